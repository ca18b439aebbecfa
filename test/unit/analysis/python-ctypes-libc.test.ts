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
