// Python: a constructor parameter that a call leaves to its default (or passes by keyword) has that
// value in __init__, so an attribute set from it reaches the methods' I/O.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

async function check(text: string) {
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

test('python: a default parameter value reaches an attribute the methods read', async () => {
  await check(`import mmap
import os


class Reader:
    def __init__(self, path, offset=64):
        self._offset = offset
        self._fd = os.open(path, os.O_RDONLY | os.O_DIRECT)  # => o_direct_open os.open
        self._buf = mmap.mmap(-1, 4096)

    def first(self):
        os.preadv(self._fd, [self._buf], self._offset)  # => o_direct_io os.preadv | ZDIO003


Reader("data").first()
`);
});

test('python: a keyword argument to the constructor, and a default the only call overrides by keyword', async () => {
  await check(`import mmap
import os


class Reader:
    def __init__(self, path, offset=0, block=4096):
        self._offset = offset
        self._block = block
        self._fd = os.open(path, os.O_RDONLY | os.O_DIRECT)  # => o_direct_open os.open
        self._buf = mmap.mmap(-1, 8192)

    def first(self):
        os.preadv(self._fd, [self._buf], self._offset)  # => o_direct_io os.preadv | ZDIO003

    def block(self):
        os.preadv(self._fd, [memoryview(self._buf)[: self._block]], 0)  # => o_direct_io os.preadv


Reader("data", offset=512).first()
`);
});
