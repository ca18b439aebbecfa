// Go: a table of cases that a range loop hands to a helper doing the clone or copy, directly or
// through a function value (a map of registered methods). Each row's values are judged at the helper's
// site and reported on the row; a package-level table is walked like a local one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const program = (call: string, table: 'local' | 'package'): string => {
  const rows = `[]struct {
	name      string
	srcOffset int64
	size      int64
}{
	{"records", 0, 262144}, // =>
	{"one page", 0, 4096}, // => | ZDIO020
	{"odd start", 100, 131072}, // => | ZDIO020
}`;
  return `package main

import (
	"os"
	"syscall"
	"unsafe"
)

type cloneRangeArgs struct {
	srcFd     int64
	srcOffset uint64
	srcLength uint64
	dstOffset uint64
}

type rangeFunc func(src, dst *os.File, srcOffset, size int64) error

var methods = map[string]rangeFunc{}

func init() {
	methods["ioctl"] = cloneRange
}

func cloneRange(src, dst *os.File, srcOffset, size int64) error {
	args := cloneRangeArgs{srcFd: int64(src.Fd()), srcOffset: uint64(srcOffset), srcLength: uint64(size), dstOffset: uint64(srcOffset)}
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, dst.Fd(), 0x4020940d, uintptr(unsafe.Pointer(&args))) // => ficlone syscall.Syscall
	if errno != 0 {
		return errno
	}
	return nil
}
${table === 'package' ? `\nvar cases = ${rows}\n` : ''}
func run(src, dst *os.File) error {
${table === 'local' ? `	cases := ${rows}\n` : ''}	for _, tc := range cases {
		if err := ${call}; err != nil {
			return err
		}
	}
	return nil
}
`;
};

async function check(text: string): Promise<void> {
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

test('go: rows of a local table passed to a helper are judged at its FICLONERANGE and reported on the row', async () => {
  await check(program('cloneRange(src, dst, tc.srcOffset, tc.size)', 'local'));
});

test('go: a package-level table walked by a range loop is a table too', async () => {
  await check(program('cloneRange(src, dst, tc.srcOffset, tc.size)', 'package'));
});

test('go: a call through a map of registered functions reaches the function registered with that many parameters', async () => {
  await check(program('methods["ioctl"](src, dst, tc.srcOffset, tc.size)', 'package'));
});

test('go: a function value of another arity is not taken for the helper', async () => {
  const text = program('methods["ioctl"](src, dst, tc.srcOffset, tc.size)', 'package')
    .replace(/ \/\/ => \| ZDIO020/g, ' // =>')
    .replace('methods["ioctl"](src, dst, tc.srcOffset, tc.size)', 'other["x"](src, tc.srcOffset, tc.size)')
    .replace('var methods = map[string]rangeFunc{}', 'var methods = map[string]rangeFunc{}\n\nvar other = map[string]func(*os.File, int64, int64) error{}');
  await check(text);
});
