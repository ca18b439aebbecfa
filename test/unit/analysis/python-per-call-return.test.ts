// Python: a helper whose body only returns an allocation of its parameter (`return mmap.mmap(-1, size)`)
// is evaluated per call, so two calls with different sizes each get a buffer of their own size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('python: a return-only allocator called with two sizes gives each call a buffer of its own size', async () => {
  const text = `import mmap
import os

BUFFERSIZE = 1024 * 1024
BLOCKSIZE = 4096


def aligned_buffer(size):
    return mmap.mmap(-1, size)


def write_header(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
    big = aligned_buffer(BUFFERSIZE)
    os.pwrite(fd, big, 0) # => | 
    block = aligned_buffer(BLOCKSIZE)
    os.pwrite(fd, block, BLOCKSIZE) # => | ZDIO004
`;
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
