// Go: a heap slice entered at a multiple of a block size (`data[i*blockSize:]`, a loop offset grown by
// whole blocks) starts as unaligned as the allocation, unlike one entered at an offset computed from its
// address (a block aligned by hand). os.ReadFile's bytes are such a heap slice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('go: os.ReadFile bytes and a make()d slice entered at whole blocks are not page-aligned', async () => {
  const text = `package main

import (
	"os"
	"syscall"
)

const blockSize uint64 = 1024 * 1024

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		return
	}
	dst, err := os.OpenFile(os.Args[2], os.O_WRONLY|os.O_CREATE|syscall.O_DIRECT, 0o644) // => o_direct_open os.OpenFile
	if err != nil {
		return
	}
	for i := 0; i*int(blockSize) < len(data); i++ {
		offset := uint64(i) * blockSize
		chunk := data[offset : offset+blockSize]
		dst.WriteAt(chunk, int64(offset)) // => o_direct_io dst.WriteAt | ZDIO001
	}
	buf := make([]byte, 64*4096)
	for off := 0; off < len(buf); off += 4096 {
		dst.WriteAt(buf[off:off+4096], int64(off)) // => o_direct_io dst.WriteAt | ZDIO001
	}
}
`;
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  assert.match(r.findings[0]!.message, /os\.ReadFile/);
});

test('go: a slice entered at an offset from its address, a parameter, or not whole blocks stays of unknown alignment; grown*align is whole blocks whatever grown is', async () => {
  const text = `package main

import (
	"os"
	"syscall"
	"unsafe"
)

const align = 4096

func write(dst *os.File, data []byte, start int) {
	raw := make([]byte, 2*align)
	shift := align - int(uintptr(unsafe.Pointer(&raw[0]))&(align-1))
	dst.ReadAt(raw[shift:shift+align], 0) // => o_direct_io dst.ReadAt
	heap := make([]byte, 8*align)
	dst.ReadAt(heap[start:start+align], 0) // => o_direct_io dst.ReadAt
	odd := len(data)
	odd = odd * 100
	dst.ReadAt(heap[odd:odd+align], 0) // => o_direct_io dst.ReadAt
	for i := range heap {
		dst.ReadAt(heap[i:i+align], 0) // => o_direct_io dst.ReadAt
		break
	}
	grown := 0
	grown++
	dst.ReadAt(heap[grown*align:], 0) // => o_direct_io dst.ReadAt | ZDIO001
}

func main() {
	dst, err := os.OpenFile(os.Args[1], os.O_WRONLY|syscall.O_DIRECT, 0) // => o_direct_open os.OpenFile
	if err != nil {
		return
	}
	write(dst, nil, len(os.Args))
}
`;
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
