// Python: a condition around a helper's site that only the helper's parameters decide is evaluated
// with each call's arguments, and with what all the callers agree on: a helper that writes a block
// multiple as it is and pads anything else reaches its direct write only from the calls that pass one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

async function check(text: string): Promise<void> {
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
}

const HELPER = `import mmap
import os

BLOCK = 4096


def write_blocks(fd, data):
    if len(data) % BLOCK == 0:
        return os.write(fd, data)  # => o_direct_io os.write
    rounded = (len(data) + BLOCK - 1) // BLOCK * BLOCK
    padded = mmap.mmap(-1, rounded)
    padded.write(data)
    return os.write(fd, padded)  # => o_direct_io os.write
`;

test('python: the only call passes a short tail, which never reaches the helper\'s direct write', async () => {
  await check(`${HELPER}

def close(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)  # => o_direct_open os.open
    write_blocks(fd, b"END\\n")
`);
});

test('python: calls that disagree are judged one by one: a length the early return sends away gives no finding', async () => {
  await check(`import mmap
import os

BLOCK = 4096


def tail(fd, data, n):
    if n % BLOCK:
        return 0
    return os.write(fd, data[:n])  # => o_direct_io os.write | ZDIO001


def main(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)  # => o_direct_open os.open
    page = mmap.mmap(-1, 8192)
    tail(fd, page, 100)
    tail(fd, page, 4096)
`);
});

test('python: an early return on a parameter test, and the else of an if', async () => {
  await check(`import os

BLOCK = 4096


def tail(fd, data, n):
    if n % BLOCK:
        return 0
    return os.write(fd, data[:n])  # => o_direct_io os.write


def head(fd, data, n):
    if n < BLOCK:
        pass
    else:
        os.write(fd, data[:n])  # => o_direct_io os.write


def main(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)  # => o_direct_open os.open
    tail(fd, bytearray(8192), 100)
    head(fd, bytearray(8192), 100)
`);
});

test('python: a condition on a parameter the helper rebinds, or one that calls a function, decides nothing', async () => {
  await check(`import os

BLOCK = 4096


def pick(n):
    return n > 10


def some(fd, data, n):
    n = n * 2
    if n == 8:
        os.write(fd, data[:n])  # => o_direct_io os.write | ZDIO001 ZDIO002
    if pick(n):
        os.write(fd, data)  # => o_direct_io os.write | ZDIO001
    return 0


def main(path):
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)  # => o_direct_open os.open
    some(fd, bytearray(BLOCK), 4)
`);
});
