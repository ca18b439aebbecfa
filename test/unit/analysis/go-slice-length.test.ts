// Go: the length of a slice expression with known bounds is known whatever the sliced value is (a
// block a helper aligned by hand, a nil slice), so a short view of an aligned block is a short I/O.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('go: b[:64] of a block returned by a helper that aligns by hand is a 64-byte I/O with an unknown buffer', async () => {
  const text = `package main

import (
	"os"
	"syscall"
	"unsafe"
)

const alignSize = 4096

func alignedBlock(size int) []byte {
	raw := make([]byte, size+alignSize)
	shift := 0
	if rem := int(uintptr(unsafe.Pointer(&raw[0])) & (alignSize - 1)); rem != 0 {
		shift = alignSize - rem
	}
	return raw[shift : shift+size]
}

func main() {
	f, err := os.OpenFile("data", os.O_RDONLY|syscall.O_DIRECT, 0) // => o_direct_open os.OpenFile
	if err != nil {
		return
	}
	header := alignedBlock(alignSize)
	if _, err := f.ReadAt(header[:64], 0); err != nil { // => o_direct_io f.ReadAt | ZDIO002
		return
	}
	if _, err := f.ReadAt(header[:alignSize], 0); err != nil { // => o_direct_io f.ReadAt
		return
	}
	if _, err := f.ReadAt(header[512:1024], 0); err != nil { // => o_direct_io f.ReadAt | ZDIO002
		return
	}
	if _, err := f.ReadAt(header, 0); err != nil { // => o_direct_io f.ReadAt
		return
	}
}
`;
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  const short = r.findings.find((f) => f.range.start.line === 25)!;
  assert.match(short.message, /length 64/);
});
