// Go and Python: fcntl(F_SETFL) with flags that mask O_DIRECT off (`flags &^ O_DIRECT`, `flags & ~O_DIRECT`)
// makes the descriptor buffered from there on, in the function itself or after a call of a helper that
// does it on its descriptor parameter (always, or for one literal value of a boolean parameter). The I/O
// before the clearing stays an O_DIRECT site; an F_SETFL that sets O_DIRECT again clears nothing.
// Fixtures carry their expectations in `// => sites | rules` comments (see rust-go-python-helpers.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { ALWAYS_CLEARS, UNKNOWN, binary, callClears, clearsWhen, join, namedFlag, unary, type AV } from '../../../src/core/analysis/languages/flow';
import { DEFAULT_SETTINGS, type Language } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

async function checkInline(language: Language, text: string, fileName: string): Promise<void> {
  const expected = expectationsOf(text);
  assert.ok(expected.sites.length > 0, 'the fixture has annotations');
  const facts = await extractFacts(language, text);
  assert.deepEqual(siteKeys(facts), expected.sites, 'sites');
  const result = await analyzeText(text, language, DEFAULT_SETTINGS, { fileName });
  assert.equal(result.analysisError, undefined);
  assert.deepEqual(findingKeys(result), expected.findings, 'findings');
}

test('flow: ~O_DIRECT is a mask; and-ing it (or &^ O_DIRECT) leaves flags without O_DIRECT; | O_DIRECT puts it back', () => {
  const direct = namedFlag('O_DIRECT');
  const mask = unary('~', direct);
  assert.deepEqual(unary('^', direct), mask, 'Go spells the complement ^');
  const cleared = binary('&', UNKNOWN, mask);
  assert.equal(cleared.k === 'flags' && cleared.oDirect, false);
  assert.deepEqual(binary('&', mask, UNKNOWN), cleared);
  assert.deepEqual(binary('&^', UNKNOWN, direct), cleared);
  const again = binary('|', cleared, direct);
  assert.equal(again.k === 'flags' && again.oDirect, true);
  // without O_DIRECT to take away, &^ says nothing of an unknown value
  assert.equal(binary('&^', UNKNOWN, namedFlag('O_APPEND')).k, 'unknown');
  // masked off on one path, set on the other: not followed (no 'maybe' O_DIRECT site from a helper's if/else)
  assert.equal(join(cleared, direct).k, 'unknown');
  const plain = join(cleared, namedFlag('O_RDWR'));
  assert.equal(plain.k === 'flags' && plain.oDirect, false);
});

test('flow: a conditional clearer clears only on a call that spells the switch value', () => {
  const literal = (v: boolean | undefined) => () => v;
  assert.equal(callClears(ALWAYS_CLEARS, literal(undefined)), true);
  assert.equal(callClears(clearsWhen(1, false), literal(false)), true);
  assert.equal(callClears(clearsWhen(1, false), literal(true)), false);
  assert.equal(callClears(clearsWhen(1, false), literal(undefined)), false);
  assert.equal(callClears(UNKNOWN as AV, literal(true)), false);
});

test('go: F_SETFL with flags &^ O_DIRECT in the function: the I/O after it is buffered, the I/O before it stays O_DIRECT', async () => {
  await checkInline('go', `package tail

import (
	"os"

	"golang.org/x/sys/unix"
)

func Write(path string) error {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_DIRECT, 0o644) // => o_direct_open unix.Open
	if err != nil {
		return err
	}
	buf := make([]byte, 100)
	unix.Pwrite(fd, buf, 0) // => o_direct_io unix.Pwrite | ZDIO001 ZDIO002
	flags, _ := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	unix.FcntlInt(uintptr(fd), unix.F_SETFL, flags&^unix.O_DIRECT)
	unix.Pwrite(fd, buf, 4096)
	return nil
}

func Again(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|unix.O_DIRECT, 0o644) // => o_direct_open os.OpenFile
	if err != nil {
		return err
	}
	flags, _ := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	unix.FcntlInt(f.Fd(), unix.F_SETFL, flags|unix.O_DIRECT) // => o_direct_open unix.FcntlInt
	buf := make([]byte, 100)
	f.WriteAt(buf, 0) // => o_direct_io f.WriteAt | ZDIO001 ZDIO002
	return nil
}
`, 'tail.go');
});

test('go: a package helper that masks O_DIRECT off its *os.File parameter makes the caller\'s file buffered after the call', async () => {
  await checkInline('go', `package shard

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func disableDirect(f *os.File) error {
	fd := f.Fd()
	flag, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	flag &= ^(syscall.O_DIRECT)
	_, err = unix.FcntlInt(fd, unix.F_SETFL, flag)
	return err
}

func keepDirect(f *os.File) error {
	flag, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	_, err = unix.FcntlInt(f.Fd(), unix.F_SETFL, flag|syscall.O_DIRECT) // => o_direct_open unix.FcntlInt
	return err
}

func Store(path string) error {
	w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_DIRECT, 0o644) // => o_direct_open os.OpenFile
	if err != nil {
		return err
	}
	buf := make([]byte, 100)
	w.WriteAt(buf, 0) // => o_direct_io w.WriteAt | ZDIO001 ZDIO002
	if err := disableDirect(w); err != nil {
		return err
	}
	w.WriteAt(buf, 8192)
	return nil
}

func StoreKept(path string) error {
	w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_DIRECT, 0o644) // => o_direct_open os.OpenFile
	if err != nil {
		return err
	}
	keepDirect(w)
	buf := make([]byte, 100)
	w.WriteAt(buf, 0) // => o_direct_io w.WriteAt | ZDIO001 ZDIO002
	return nil
}
`, 'shard.go');
});

test('go: a helper that clears O_DIRECT for one value of its bool parameter clears it only on calls that pass that literal', async () => {
  await checkInline('go', `package toggle

import (
	"os"

	"golang.org/x/sys/unix"
)

func setDirect(f *os.File, on bool) {
	flag, _ := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if on {
		flag |= unix.O_DIRECT
	} else {
		flag &^= unix.O_DIRECT
	}
	unix.FcntlInt(f.Fd(), unix.F_SETFL, flag)
}

func directOrReturn(f *os.File, on bool) {
	flag, _ := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if on {
		return
	}
	unix.FcntlInt(f.Fd(), unix.F_SETFL, flag&^unix.O_DIRECT)
}

func Off(path string) {
	f, _ := os.OpenFile(path, os.O_RDWR|unix.O_DIRECT, 0) // => o_direct_open os.OpenFile
	setDirect(f, false)
	buf := make([]byte, 100)
	f.WriteAt(buf, 0)
}

func On(path string) {
	f, _ := os.OpenFile(path, os.O_RDWR|unix.O_DIRECT, 0) // => o_direct_open os.OpenFile
	setDirect(f, true)
	buf := make([]byte, 100)
	f.WriteAt(buf, 0) // => o_direct_io f.WriteAt | ZDIO001 ZDIO002
}

func Unknown(path string, on bool) {
	f, _ := os.OpenFile(path, os.O_RDWR|unix.O_DIRECT, 0) // => o_direct_open os.OpenFile
	setDirect(f, on)
	buf := make([]byte, 100)
	f.WriteAt(buf, 0) // => o_direct_io f.WriteAt | ZDIO001 ZDIO002
}

func EarlyReturn(path string) {
	f, _ := os.OpenFile(path, os.O_RDWR|unix.O_DIRECT, 0) // => o_direct_open os.OpenFile
	directOrReturn(f, true)
	buf := make([]byte, 100)
	f.WriteAt(buf, 0) // => o_direct_io f.WriteAt | ZDIO001 ZDIO002
	directOrReturn(f, false)
	f.WriteAt(buf, 4096)
}
`, 'toggle.go');
});

test('go: a raw SYS_FCNTL with flags &^ O_DIRECT clears it too', async () => {
  await checkInline('go', `package raw

import "syscall"

func Write(path string) {
	fd, _ := syscall.Open(path, syscall.O_WRONLY|syscall.O_DIRECT, 0) // => o_direct_open syscall.Open
	buf := make([]byte, 100)
	syscall.Pwrite(fd, buf, 0) // => o_direct_io syscall.Pwrite | ZDIO001 ZDIO002
	flags, _, _ := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFL, 0)
	syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_SETFL, flags&^syscall.O_DIRECT)
	syscall.Pwrite(fd, buf, 4096)
}
`, 'raw.go');
});

test('python: fcntl F_SETFL with flags & ~os.O_DIRECT in the function: the write after it is buffered, the one before stays O_DIRECT', async () => {
  await checkInline('python', `import fcntl
import os


def write(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)  # => o_direct_open os.open
    os.pwrite(fd, b"x" * 100, 0)  # => o_direct_io os.pwrite | ZDIO001 ZDIO002
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_DIRECT)
    os.pwrite(fd, b"y" * 100, 4096)


def again(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)  # => o_direct_open os.open
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_DIRECT)  # => o_direct_open fcntl.fcntl
    os.pwrite(fd, b"x" * 100, 0)  # => o_direct_io os.pwrite | ZDIO001 ZDIO002
`, 'tail.py');
});

test('python: a helper that clears O_DIRECT on its fd (itself or through another helper), always or for one literal of a bool parameter, makes the caller\'s fd buffered after the call', async () => {
  await checkInline('python', `import fcntl
import os


def drop_direct(fd):
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    flags &= ~os.O_DIRECT
    fcntl.fcntl(fd, fcntl.F_SETFL, flags)


def keep_direct(fd):
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_DIRECT)  # => o_direct_open fcntl.fcntl


def set_direct(fd, enable):
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    if enable:
        flags |= os.O_DIRECT
    else:
        flags &= ~os.O_DIRECT
    fcntl.fcntl(fd, fcntl.F_SETFL, flags)


def finish(fd):
    drop_direct(fd)


def through_two_helpers(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    finish(fd)
    os.pwrite(fd, b"x" * 100, 0)


def always(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    os.pwrite(fd, b"x" * 100, 0)  # => o_direct_io os.pwrite | ZDIO001 ZDIO002
    drop_direct(fd)
    os.pwrite(fd, b"y" * 100, 4096)


def kept(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    keep_direct(fd)
    os.pwrite(fd, b"x" * 100, 0)  # => o_direct_io os.pwrite | ZDIO001 ZDIO002


def switched_off(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    set_direct(fd, False)
    os.pwrite(fd, b"x" * 100, 0)


def switched_on(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    set_direct(fd, True)
    os.pwrite(fd, b"x" * 100, 0)  # => o_direct_io os.pwrite | ZDIO001 ZDIO002


def switched_by_caller(path, enable):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    set_direct(fd, enable)
    os.pwrite(fd, b"x" * 100, 0)  # => o_direct_io os.pwrite | ZDIO001 ZDIO002
`, 'helpers.py');
});
