// Go: a block aligned by hand is `raw[shift : shift+n]`, n bytes long whatever the shift, and the
// allocator that returns it is a helper no site names. Its result is read when a caller writes the
// block, and a helper that takes n as a parameter gives each call the length of its own argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const HEADER = `package main

import (
	"os"
	"syscall"
	"unsafe"
)

const alignSize = 4096

func misalignment(block []byte) int {
	return int(uintptr(unsafe.Pointer(&block[0])) & (alignSize - 1))
}
`;

test('go: a block a helper aligns by hand is as long as the slice end says past its start, per call of a sizing parameter', async () => {
  const text = `${HEADER}
func fixedBlock() []byte {
	raw := make([]byte, 2*alignSize)
	shift := 0
	if m := misalignment(raw); m != 0 {
		shift = alignSize - m
	}
	return raw[shift : shift+alignSize]
}

func sizedBlock(size int) []byte {
	raw := make([]byte, size+alignSize)
	shift := 0
	if m := misalignment(raw); m != 0 {
		shift = alignSize - m
	}
	raw = raw[shift : shift+size]
	return raw
}

func main() {
	f, err := os.OpenFile("data", os.O_WRONLY|syscall.O_DIRECT, 0) // => o_direct_open os.OpenFile
	if err != nil {
		return
	}
	f.WriteAt(fixedBlock(), 0)                      // => o_direct_io f.WriteAt | ZDIO004
	f.WriteAt(sizedBlock(8192), 131072)            // => o_direct_io f.WriteAt | ZDIO004
	f.WriteAt(sizedBlock(131072), 262144)          // => o_direct_io f.WriteAt
	b := sizedBlock(3 * alignSize)
	f.WriteAt(b, 0)                                 // => o_direct_io f.WriteAt | ZDIO004
}
`;
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  const line = (marker: string): number => text.split('\n').findIndex((l) => l.includes(marker));
  const at = (marker: string): string => r.findings.find((f) => f.range.start.line === line(marker))!.message;
  assert.match(at('fixedBlock(), 0'), /length 4096/);
  assert.match(at('sizedBlock(8192)'), /length 8192/);
  assert.match(at('b, 0'), /length 12288/);
});

test('go: a block whose end is not its start plus a length, or whose sizing parameter changed, has no known length', async () => {
  const text = `${HEADER}
func unevenBlock(size int) []byte {
	raw := make([]byte, size+alignSize)
	shift := misalignment(raw)
	return raw[shift : size+alignSize]
}

func grownBlock(size int) []byte {
	raw := make([]byte, 2*size+alignSize)
	shift := 0
	if m := misalignment(raw); m != 0 {
		shift = alignSize - m
	}
	size = 2 * size
	return raw[shift : shift+size]
}

func eitherBlock(size int) []byte {
	raw := make([]byte, size+alignSize)
	shift := 0
	if m := misalignment(raw); m != 0 {
		shift = alignSize - m
	}
	if size > 131072 {
		return raw[shift : shift+131072]
	}
	return raw[shift : shift+size]
}

func main() {
	f, err := os.OpenFile("data", os.O_WRONLY|syscall.O_DIRECT, 0) // => o_direct_open os.OpenFile
	if err != nil {
		return
	}
	f.WriteAt(unevenBlock(4096), 0)                 // => o_direct_io f.WriteAt
	// 131072 and 262144 bytes written, whole records: the parameter is not their length
	f.WriteAt(grownBlock(65536), 0)                 // => o_direct_io f.WriteAt
	f.WriteAt(grownBlock(131072), 262144)           // => o_direct_io f.WriteAt
	// 131072 bytes each time: a return of a fixed length makes the parameter no length
	f.WriteAt(eitherBlock(196608), 0)               // => o_direct_io f.WriteAt
	f.WriteAt(eitherBlock(131072), 0)               // => o_direct_io f.WriteAt
}
`;
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  const writes = r.sites.filter((s) => s.callee === 'f.WriteAt');
  assert.equal(writes.length, 5);
});
