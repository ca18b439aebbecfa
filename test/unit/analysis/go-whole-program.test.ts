// Go: call forms that name their call indirectly (cgo macros, package constants, raw system call
// numbers) and values that reach a site through a helper's parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

const lineOf = (text: string, marker: string): number => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

test('go: cgo C.FICLONE in a raw ioctl, directly and through a package variable, is a clone site; another C macro is not', async () => {
  const text = `package clone
/*
#include <linux/fs.h>
*/
import "C"
import "golang.org/x/sys/unix"

var cloneRequest uintptr = C.FICLONE
var otherRequest uintptr = C.FS_IOC_GETFLAGS

func direct(dst, src uintptr) { unix.Syscall(unix.SYS_IOCTL, dst, C.FICLONE, src) // cgo
}
func viaVar(dst, src uintptr) { unix.Syscall(unix.SYS_IOCTL, dst, cloneRequest, src) // var
}
func other(dst, src uintptr) { unix.Syscall(unix.SYS_IOCTL, dst, otherRequest, src) // other
}
`;
  const facts = await extractFacts('go', text);
  assert.deepEqual(siteKeys(facts), [`${lineOf(text, '// cgo')} ficlone unix.Syscall`, `${lineOf(text, '// var')} ficlone unix.Syscall`].sort());
  assert.ok(facts.every((f) => f.ficloneVariant === 'FICLONE'));
});

test('go: a raw Syscall with a package trap number is a site only when the build constraint fixes the architecture', async () => {
  const body = `package sysunix

import "syscall"

const (
	cfrTrap uintptr = 326
	fcntlTrap uintptr = 72
)

func CopyRange(in int, inOff *int64, out int, outOff *int64, count int) (int, error) {
	n, _, errno := syscall.Syscall6(cfrTrap, uintptr(in), uintptr(unsafe.Pointer(inOff)), uintptr(out), uintptr(unsafe.Pointer(outOff)), uintptr(count), 0) // cfr
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

func SetDirect(fd int) {
	flags, _, _ := syscall.Syscall(fcntlTrap, uintptr(fd), syscall.F_GETFL, 0) // getfl
	syscall.Syscall(fcntlTrap, uintptr(fd), syscall.F_SETFL, flags|syscall.O_DIRECT) // setfl
}

func Header(src, dst int) {
	var roff, woff int64
	CopyRange(src, &roff, dst, &woff, 4096) // header
}
`;
  const amd64 = `//go:build linux && amd64\n\n${body}`;
  const facts = await extractFacts('go', amd64);
  assert.deepEqual(siteKeys(facts), [`${lineOf(amd64, '// cfr')} copy_file_range syscall.Syscall6`, `${lineOf(amd64, '// setfl')} o_direct_open syscall.Syscall`].sort());
  // the length comes from the only caller: the finding is on that call, not in the helper
  const result = await analyzeText(amd64, 'go', DEFAULT_SETTINGS, { fileName: 'sys_linux.go' });
  assert.deepEqual(findingKeys(result), [`${lineOf(amd64, '// header')} ZDIO010`]);

  // 326 is not copy_file_range on arm64, and without a constraint no number is trusted
  for (const header of ['//go:build linux && arm64\n\n', '//go:build linux && (amd64 || arm64)\n\n', '//go:build !amd64\n\n', '']) {
    const other = await extractFacts('go', `${header}${body}`);
    assert.deepEqual(other.map((f) => f.site.kind), [], JSON.stringify(header));
  }
});

test('go: offsets through pointer parameters and lengths the callers pass are judged at each call', async () => {
  const text = `package fscopy

import (
	"os"
	"golang.org/x/sys/unix"
)

func copyRange(dst, src *os.File, off, n int64) error {
	roff, woff := off, off
	for n > 0 {
		c, err := unix.CopyFileRange(int(src.Fd()), &roff, int(dst.Fd()), &woff, int(n), 0)
		if err != nil {
			return err
		}
		n -= int64(c)
	}
	return nil
}

func layers(dst, src *os.File) {
	copyRange(dst, src, 0, 1<<20) // aligned
	copyRange(dst, src, 4096, 1<<17) // shifted
}
`;
  const result = await analyzeText(text, 'go', DEFAULT_SETTINGS, { fileName: 'copy.go' });
  assert.deepEqual(findingKeys(result), [`${lineOf(text, '// shifted')} ZDIO010`]);
  assert.match(result.findings[0]!.message, /off_in 4096/);
});

test('go: a size chosen on the branch that adds O_DIRECT is the size of the O_DIRECT read; a reassigned switch or a second O_DIRECT path keeps the join', async () => {
  const code = (extra: string, elseFlags = '') => `package p
import ("os"; "syscall"; "github.com/ncw/directio")
func read(path string, direct bool) {
	flags := os.O_RDONLY
	size := 4096
	if direct {
		flags |= syscall.O_DIRECT
		size = 512
	} else {
		${elseFlags}
	}
	${extra}
	f, _ := os.OpenFile(path, flags, 0)
	buf := directio.AlignedBlock(4096)
	f.ReadAt(buf[:size], 0) // read
}
`;
  const lengthOf = async (text: string) => {
    const facts = await extractFacts('go', text);
    const site = facts.find((f) => f.site.range.start.line === lineOf(text, '// read') - 1);
    return site?.length?.known ? site.length.value : 'unknown';
  };
  const plain = code('');
  assert.equal(await lengthOf(plain), 512);
  const result = await analyzeText(plain, 'go', DEFAULT_SETTINGS, { fileName: 'read.go' });
  assert.deepEqual(findingKeys(result), [`${lineOf(plain, '// read')} ZDIO002`]);
  // the switch changes between the branch and the read: the two are no longer one path
  assert.equal(await lengthOf(code('direct = !direct')), 'unknown');
  // O_DIRECT on both paths: the read is O_DIRECT with either size
  assert.equal(await lengthOf(code('', 'flags |= syscall.O_DIRECT')), 'unknown');
  // a negated switch: the O_DIRECT path is the one with the switch unset, and its size is still 512
  assert.equal(await lengthOf(plain.replace('if direct {', 'if !direct {')), 512);
});

test('go: package state: flags set in main under an option and a file stored in a package var reach the helpers that use them', async () => {
  const text = `package main

import (
	"os"
	"syscall"
)

var (
	direct    = true
	openFlags = os.O_RDWR | os.O_CREATE
	recordLen = 512
	out       *os.File
)

func writeRecord() {
	rec := make([]byte, recordLen)
	out.WriteAt(rec, 0) // record
}

func main() {
	if direct {
		openFlags |= syscall.O_DIRECT
	}
	var err error
	out, err = os.OpenFile("data", openFlags, 0o644) // open
	if err != nil {
		return
	}
	writeRecord()
}
`;
  const facts = await extractFacts('go', text);
  assert.deepEqual(siteKeys(facts), [`${lineOf(text, '// open')} o_direct_open os.OpenFile`, `${lineOf(text, '// record')} o_direct_io out.WriteAt`].sort());
  const result = await analyzeText(text, 'go', DEFAULT_SETTINGS, { fileName: 'main.go' });
  assert.deepEqual(findingKeys(result), [`${lineOf(text, '// record')} ZDIO001`, `${lineOf(text, '// record')} ZDIO002`].sort());

  // without O_DIRECT anywhere in the package state, the helper's write is no site
  const buffered = text.replace('openFlags |= syscall.O_DIRECT', 'openFlags |= os.O_TRUNC');
  assert.deepEqual((await extractFacts('go', buffered)).map((f) => f.site.kind), []);
  // a local of the same name in main is not the package var: the helper's file stays a plain one
  const shadowed = text.replace('\tvar err error\n\tout, err = os.OpenFile', '\tout, err := os.OpenFile');
  assert.deepEqual(siteKeys(await extractFacts('go', shadowed)), [`${lineOf(shadowed, '// open')} o_direct_open os.OpenFile`]);
});
