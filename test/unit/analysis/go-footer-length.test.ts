// Go: a checksum footer cut from a block a helper aligned by hand (`footer[:sha512.Size]`) and handed
// to a write helper: its start is unknown, its length is known, and the standard library's size
// constants (sha512.Size, crc32.Size…) are numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('go: a slice of known length of a hand-aligned block keeps its length through a helper call', async () => {
  const text = `package main

import (
	"crypto/sha512"
	"hash/crc32"
	"os"
	"syscall"
	"unsafe"
)

const alignSize = 4096

func allocateAligned(size int) []byte {
	block := make([]byte, size+alignSize)
	a := int(uintptr(unsafe.Pointer(&block[0])) & uintptr(alignSize-1))
	offset := 0
	if a != 0 {
		offset = alignSize - a
	}
	return block[offset : offset+size]
}

func writeAt(f *os.File, data []byte, off int64) error {
	_, err := f.WriteAt(data, off)
	return err
}

func main() {
	f, _ := os.OpenFile("seg", os.O_WRONLY|syscall.O_DIRECT, 0)
	footer := allocateAligned(alignSize)
	writeAt(f, footer[:sha512.Size], 8192) // => | ZDIO002
	writeAt(f, footer[:crc32.Size], 8192) // => | ZDIO002
	writeAt(f, footer[:sha512.BlockSize*32], 8192) // => | ZDIO004
}
`;
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
