// Python: libc functions called through ctypes (`libc = CDLL(…)`, `libc.pwrite(…)`, or a function of the
// library stored on the instance, `self._pread = libc.pread`) take a descriptor, a buffer, a count and an
// offset as in C: on an O_DIRECT descriptor they are I/O sites, judged on those arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

async function checkInline(text: string): Promise<void> {
  const expected = expectationsOf(text);
  assert.ok(expected.sites.length > 0, 'the fixture has annotations');
  const facts = await extractFacts('python', text);
  assert.deepEqual(siteKeys(facts), expected.sites, 'sites');
  const result = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'native.py' });
  assert.equal(result.analysisError, undefined);
  assert.deepEqual(findingKeys(result), expected.findings, 'findings');
}

test('python: libc.pwrite / libc.pread through ctypes on an O_DIRECT descriptor are sites with the C arguments; on a buffered one they are not', async () => {
  await checkInline(`import ctypes
import os
from ctypes import CDLL

libc = CDLL("libc.so.6", use_errno=True)


def direct(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    small = ctypes.create_string_buffer(100)
    libc.pwrite(fd, small, 100, 0)  # => o_direct_io libc.pwrite | ZDIO001 ZDIO002
    libc.pread(fd, small, 100, 4096)  # => o_direct_io libc.pread | ZDIO001 ZDIO002
    libc.posix_fadvise(fd, 0, 0, 4)


def buffered(path):
    fd = os.open(path, os.O_RDWR)
    small = ctypes.create_string_buffer(100)
    libc.pwrite(fd, small, 100, 0)


def other_library(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    lib = ctypes.CDLL("libc.so.6")
    lib.write(fd, ctypes.create_string_buffer(512), 512)  # => o_direct_io lib.write | ZDIO001 ZDIO002
`);
});

test('python: a libc function stored on the instance is called through self; a method of that name is the method', async () => {
  await checkInline(`import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)


class Reader:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECT)  # => o_direct_open os.open
        self._pread = libc.pread
        self._buf = ctypes.create_string_buffer(100)

    def read_block(self, index):
        return self._pread(self.fd, self._buf, 100, index * 4096)  # => o_direct_io self._pread | ZDIO001 ZDIO002


class OwnRead:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECT)  # => o_direct_open os.open
        self._buf = ctypes.create_string_buffer(100)

    def _pread(self, fd, buf, count, offset):
        return count

    def read_block(self, index):
        return self._pread(self.fd, self._buf, 100, index * 4096)
`);
});

test('python: a libc function kept under any attribute name, called inside another call, with a posix_memalign buffer and a length taken from the caller', async () => {
  await checkInline(`import ctypes
import ctypes.util
import os

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
SECTOR = 512
PAGE = 4096


class Direct:
    def __init__(self, path):
        self._fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
        self._memalign = libc.posix_memalign
        self._cwrite = libc.pwrite
        self._cwrite.restype = ctypes.c_ssize_t

    @staticmethod
    def _check(n):
        if n < 0:
            raise OSError(ctypes.get_errno(), "pwrite")
        return n

    def _sector_aligned(self, length):
        p = ctypes.c_void_p()
        if self._memalign(ctypes.byref(p), SECTOR, length) != 0:
            raise MemoryError(length)
        return p

    def _page_aligned(self, length):
        p = ctypes.c_void_p()
        if self._memalign(ctypes.byref(p), PAGE, length) != 0:
            raise MemoryError(length)
        return p

    def write_small(self, data, offset):
        p = self._sector_aligned(len(data))
        ctypes.memmove(p, data, len(data))
        return self._check(self._cwrite(self._fd, p, len(data), offset))  # => o_direct_io self._cwrite | ZDIO001

    def write_page(self, data, offset):
        p = self._page_aligned(len(data))
        ctypes.memmove(p, data, len(data))
        return self._check(self._cwrite(self._fd, p, len(data), offset))  # => o_direct_io self._cwrite


def main(path, n):
    d = Direct(path)
    d.write_small(b"\\0" * 4096, 0)
    d.write_small(b"\\0" * n, 4096)
    d.write_page(b"\\0" * 512, 8192)  # => | ZDIO002
    d.write_page(b"\\0" * n, 0)
    d.write_page(b"\\0" * 131072, 131072)
`);
});

test('python: read and write of a library other than libc, and a method of the attribute\'s name, are no sites', async () => {
  await checkInline(`import ctypes
import os

libc = ctypes.CDLL("libc.so.6")
fuse = ctypes.CDLL("libfuse.so.2")
either = ctypes.CDLL(ctypes.util.find_library("fuse") or "libc.so.6")


def direct(path):
    fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
    small = ctypes.create_string_buffer(100)
    fuse.write(fd, small, 100)
    either.pwrite(fd, small, 100, 0)
    ctypes.CDLL("libaio.so.1").read(fd, small, 100)
    libc.write(fd, small, 100)  # => o_direct_io libc.write | ZDIO001 ZDIO002


class Own:
    def __init__(self, path):
        self._fd = os.open(path, os.O_RDWR | os.O_DIRECT)  # => o_direct_open os.open
        self._cpwrite = fuse.pwrite
        self._cpread = libc.pread
        self._buf = ctypes.create_string_buffer(100)

    def _cpread(self, fd, buf, count, offset):
        return count

    def both(self):
        self._cpwrite(self._fd, self._buf, 100, 0)
        self._cpread(self._fd, self._buf, 100, 0)
`);
});
