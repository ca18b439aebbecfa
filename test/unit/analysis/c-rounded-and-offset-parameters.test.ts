// A helper whose length is its parameter rounded up by a macro of the file (`ROUND_UP(n)` as
// `((x) + (512 - 1)) & ~(512 - 1)`) or whose offset is its parameter plus a known number (`BASE + blocks
// * 512`): each call's argument, rounded or moved the same way, is the value, and the finding goes on
// the caller's argument. A macro that does not round up, or an addend that is not known, gives nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

async function check(text: string): Promise<void> {
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('c', text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
}

test('c: a length rounded up by a macro and an offset with a known base take each call\'s arguments', async () => {
  await check(`#include <fcntl.h>
#include <unistd.h>
#define BLOCK 512
#define BASE (16 * 1024)
#define ROUND_UP(x) (((x) + (BLOCK - 1)) & ~(off_t)(BLOCK - 1))
static int dev = -1;
static ssize_t read_doc(void* buf, unsigned long blocks, size_t approx) {
    size_t len = ROUND_UP(approx);
    off_t pos = BASE + (off_t)(blocks * BLOCK);
    return pread(dev, buf, len, pos); // => o_direct_io pread
}
int main(int argc, char** argv) {
    static char buf[1 << 20] __attribute__((aligned(4096)));
    dev = open(argv[1], O_RDONLY | O_DIRECT); // => o_direct_open open
    read_doc(buf, 3, 700); // => | ZDIO002 ZDIO003
    read_doc(buf, 8, 3000); // => | ZDIO002
    read_doc(buf, 256, 1 << 20);
    return 0;
}
`);
});

test('c: no value from a macro that keeps the low bits instead of rounding up (a length of 0 here), or from an addend the analysis does not know', async () => {
  await check(`#include <fcntl.h>
#include <unistd.h>
#define BLOCK 512
#define LOW_BITS(x) (((x) + (BLOCK - 1)) & (BLOCK - 1))
static int dev = -1;
extern off_t base_of(void);
static ssize_t read_low(void* buf, size_t approx) {
    return pread(dev, buf, LOW_BITS(approx), 0); // => o_direct_io pread
}
static ssize_t read_from(void* buf, unsigned long blocks) {
    off_t pos = base_of() + (off_t)(blocks * BLOCK);
    return pread(dev, buf, 4096, pos); // => o_direct_io pread
}
int main(int argc, char** argv) {
    static char buf[1 << 20] __attribute__((aligned(4096)));
    dev = open(argv[1], O_RDONLY | O_DIRECT); // => o_direct_open open
    read_low(buf, 1);
    read_from(buf, 3);
    return 0;
}
`);
});
