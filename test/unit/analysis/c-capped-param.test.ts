// C: a helper that writes in chunks, `chunk = MIN(len, 1 GiB)` in a loop that counts len down in its
// update clause, reads the caller's length, capped, on the first pass (WiredTiger's
// __posix_file_write() with WT_MIN(len, WT_GIGABYTE)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const HELPERS = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#define MIN(a, b) ((a) < (b) ? (a) : (b))
static int fd;
static int chunked(off_t offset, size_t len, const void *buf) {
    const uint8_t *addr;
    ssize_t nw;
    size_t chunk;
    for (addr = buf; len > 0; addr += nw, len -= (size_t)nw, offset += nw) {
        chunk = MIN(len, 1UL << 30);
        if ((nw = pwrite(fd, addr, chunk, offset)) < 0)
            return -1;
    }
    return 0;
}
static int capped_small(size_t len, const void *buf) {
    return pwrite(fd, buf, len > 131072 ? 131072 : len, 0);
}
static int changed_first(size_t len, const void *buf) {
    len -= 100;
    return pwrite(fd, buf, len, 0);
}
`;

test('c: MIN(param, constant) and a loop update clause give the caller\'s value, capped, on the first pass', async () => {
  const text = `${HELPERS}int main(void) {
    static char b[8192] __attribute__((aligned(4096)));
    fd = open("x", O_RDWR | O_DIRECT);
    chunked(0, 512, b); // => | ZDIO002
    chunked(4096, 8192, b); // => | ZDIO004
    capped_small(1000, b); // => | ZDIO002
    return 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('c: a cap that makes the value aligned, and a parameter changed before the use, give no finding', async () => {
  const text = `${HELPERS}int main(void) {
    static char b[8192] __attribute__((aligned(4096)));
    fd = open("x", O_RDWR | O_DIRECT);
    capped_small(200000, b);
    changed_first(4196, b);
    chunked(0, 131072, b);
    return 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
