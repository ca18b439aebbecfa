// Go: a condition-only loop that copies until its count runs out (`for size > 0 { … int(size) …
// size -= n }`) calls copy_file_range with the caller's length on its first pass; later passes are
// unknown. The first pass is judged, and not when the condition is false at the start. A three-clause
// loop (`for counter := 0; ; counter++`) has a first pass too, from the values its initializer gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const program = (calls: string): string => `package main

import (
	"os"

	"golang.org/x/sys/unix"
)

func copyRange(src, dst *os.File, srcOffset, dstOffset, size int64) error {
	for size > 0 {
		n, err := unix.CopyFileRange(int(src.Fd()), &srcOffset, int(dst.Fd()), &dstOffset, int(size), 0)
		if err != nil {
			return err
		}
		size -= int64(n)
	}
	return nil
}

func main() {
	src, _ := os.Open("a")
	dst, _ := os.Create("b")
${calls}
}
`;

test('go: the first pass of a copy loop uses the caller\u2019s length', async () => {
  const text = program(`	copyRange(src, dst, 0, 0, 4096) // => | ZDIO010
	copyRange(src, dst, 0, 0, 262144) // =>`);
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

const local = (start: number, marker: string): string => `package main

import (
	"os"

	"golang.org/x/sys/unix"
)

func main() {
	src, _ := os.Open("a")
	dst, _ := os.Create("b")
	remaining := int64(${start})
	for remaining > 4096 {
		n, err := unix.CopyFileRange(int(src.Fd()), nil, int(dst.Fd()), nil, int(remaining), 0) // => ${marker}
		if err != nil || n == 0 {
			return
		}
		remaining -= int64(n)
	}
}
`;

test('go: a loop whose condition is false at the start has no first pass, one that holds has', async () => {
  for (const text of [local(1000, ''), local(5000, '| ZDIO010')]) {
    const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
    assert.equal(r.analysisError, undefined);
    assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  }
});

const counted = (loop: string, marker: string, before = ''): string => `package main

import "golang.org/x/sys/unix"

const BlockSize = 4096

func Write(path string) error {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_DIRECT, 0666)
	if err != nil {
		return err
	}
	block, _ := unix.Mmap(-1, 0, BlockSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	${loop} {
		${before}lower := counter * BlockSize
		if _, err := unix.Pwrite(fd, block, int64(lower)); err != nil { // => ${marker}
			return err
		}
	}
	return nil
}
`;

test('go: the first pass of a three-clause loop starts from its initializer (a page written at 0 is ZDIO004)', async () => {
  for (const loop of ['for counter := 0; ; counter++', 'for counter := 0; counter < 16; counter++']) {
    const text = counted(loop, '| ZDIO004');
    const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
    assert.equal(r.analysisError, undefined);
    assert.deepEqual(findingKeys(r), expectationsOf(text).findings, loop);
  }
});

test('go: no first pass of a three-clause loop whose test is false at the start, or past a `continue`', async () => {
  for (const [loop, before] of [['for counter := 0; counter < 0; counter++', ''], ['for counter := 0; ; counter++', 'if path == "" {\n\t\t\tcontinue\n\t\t}\n\t\t']]) {
    const text = counted(loop!, '', before);
    const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
    assert.equal(r.analysisError, undefined);
    assert.deepEqual(findingKeys(r), [], loop);
  }
});
