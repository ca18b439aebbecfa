// C: a field of a file-scope struct given by its initializer (positional or designated) and written
// nowhere in the file has that value in every function (nginx's core configuration defaults,
// WiredTiger's connection settings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('c: positional and designated initializers of a global struct give its fields their values', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
typedef struct { long threshold; unsigned long align; unsigned long chunk; } conf_t;
static conf_t positional = { 4194304, 512, 32768 };
static conf_t designated = { .chunk = 65536, .align = 1024 };
void run(void *page_aligned_buf) {
    int fd = open("f", O_RDONLY | O_DIRECT); // => o_direct_open open
    pread(fd, page_aligned_buf, positional.align, 0); // => o_direct_io pread | ZDIO002
    pread(fd, page_aligned_buf, positional.chunk, 0); // => o_direct_io pread
    pread(fd, page_aligned_buf, designated.align, 0); // => o_direct_io pread | ZDIO002
    pread(fd, page_aligned_buf, 4096, designated.chunk + designated.align); // => o_direct_io pread | ZDIO003
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('c: a global struct field written somewhere, or the struct handed out by address, keeps no initializer value', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
typedef struct { unsigned long align; unsigned long chunk; } conf_t;
static conf_t written = { 512, 512 };
static conf_t handed = { 512, 512 };
void configure(conf_t *c);
void set_align(unsigned long a) { written.align = a; }
void run(void *buf) {
    int fd = open("f", O_RDONLY | O_DIRECT); // => o_direct_open open
    configure(&handed);
    pread(fd, buf, written.align, 0); // => o_direct_io pread
    pread(fd, buf, handed.chunk, 0); // => o_direct_io pread
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
