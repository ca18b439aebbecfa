// Python: a function held as a value (os.copy_file_range stored or returned, a def returned by a factory
// or cached in module state) is called as that function; a nested def sees its enclosing function's
// ctypes functions (a closure); libc's copy_file_range through ctypes takes C's argument order.
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
  const result = await analyzeText(text, 'python', DEFAULT_SETTINGS, { fileName: 'values.py' });
  assert.equal(result.analysisError, undefined);
  assert.deepEqual(findingKeys(result), expected.findings, 'findings');
}

test('python: a cached copy function (os.copy_file_range or a ctypes wrapper seeing libc through a closure) is a copy_file_range site at its call', async () => {
  await checkInline(`import ctypes
import os

_CACHED = None


def _wrapper():
    cfr = ctypes.CDLL(None, use_errno=True).copy_file_range

    def libc_copy_file_range(src_fd, dst_fd, count):
        n = cfr(src_fd, None, dst_fd, None, count, 0)  # => copy_file_range cfr
        if n < 0:
            raise OSError(ctypes.get_errno(), "copy_file_range")
        return n

    return libc_copy_file_range


def chooser():
    global _CACHED
    if _CACHED is not None:
        return _CACHED
    _CACHED = os.copy_file_range if hasattr(os, "copy_file_range") else _wrapper()
    return _CACHED


def copy(src, dst, length):
    fn = chooser()
    n = fn(src, dst, length)  # => copy_file_range fn
    if n < length:
        raise OSError(0, "short copy")


def main(src, dst):
    copy(src, dst, 1 << 20)
    copy(src, dst, 65536)  # => | ZDIO010


def direct(src, dst):
    fn = os.copy_file_range
    return fn(src, dst, 4096)  # => copy_file_range fn | ZDIO010
`);
});

test('python: a closure variable rebound after the def, copy_file_range of another library, and a def of the file held as a value are no sites', async () => {
  await checkInline(`import ctypes
import os


def copy_file_range(src, dst, count):
    return count


def rebound(src, dst):
    cfr = ctypes.CDLL(None).copy_file_range

    def call(count):
        return cfr(src, None, dst, None, count, 0)

    cfr = len
    return call(65536)


def other_library(src, dst):
    cfr = ctypes.CDLL("libuserfs.so.1").copy_file_range

    def call(count):
        return cfr(src, None, dst, None, count, 0)

    return call(65536)


def own(src, dst):
    fn = copy_file_range
    return fn(src, dst, 65536)


def real(src, dst):
    return os.copy_file_range(src, dst, 131072)  # => copy_file_range os.copy_file_range
`);
});
