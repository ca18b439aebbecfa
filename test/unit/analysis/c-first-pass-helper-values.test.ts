// A helper that reads in a loop over short reads (`pread(fd, buf + sz, size - sz, pos + sz)` with `sz`
// 0 before the loop and grown after the read) reads its caller's size at its caller's position on the
// first pass: the findings go on the callers' arguments. And a C++ struct's default member initializer
// (`int sector_size = 512;`) is the value of that field of a local declared without an initializer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS, type Language } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

async function check(language: Language, text: string): Promise<void> {
  const r = await analyzeText(text, language, DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts(language, text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
}

test('c: a loop over short reads in a helper takes its callers\' length and offset on the first pass', async () => {
  await check('c', `#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int readblock(int fd, char* buf, int size, long long pos) {
    int sz = 0;
    while (sz < size) {
        int n = pread(fd, buf + sz, size - sz, pos + sz); // => o_direct_io pread
        if (n <= 0 && errno != EINTR)
            break;
        if (n > 0)
            sz += n;
    }
    return sz;
}
int main(int argc, char** argv) {
    int fd = open(argv[1], O_RDONLY | O_DIRECT); // => o_direct_open open
    char* buf;
    if (posix_memalign((void**)&buf, 4096, 65536) != 0)
        return 1;
    readblock(fd, buf, 512, 0); // => | ZDIO002
    readblock(fd, buf, 4096, 1536); // => | ZDIO003
    readblock(fd, buf, 65536, 8192);
    return 0;
}
`);
});

test('c: no first-pass value when the local changes before the use in the loop, starts at another value, or may be set by a call before the loop', async () => {
  await check('c', `#include <fcntl.h>
#include <unistd.h>
static int skipped(int fd, char* buf, int size, long long pos) {
    int sz = 0;
    while (sz < size) {
        sz += 512;
        if (pread(fd, buf, size - sz, pos + sz) <= 0) // => o_direct_io pread
            break;
    }
    return sz;
}
static int offset(int fd, char* buf, int size, long long pos) {
    int sz = 100;
    while (sz < size) {
        int n = pread(fd, buf, size - sz, pos + sz); // => o_direct_io pread
        if (n <= 0)
            break;
        sz += n;
    }
    return sz;
}
void resume_point(int* done);
static int resumed(int fd, char* buf, int size, long long pos) {
    int sz = 0;
    resume_point(&sz);
    while (sz < size) {
        int n = pread(fd, buf, size - sz, pos + sz); // => o_direct_io pread
        if (n <= 0)
            break;
        sz += n;
    }
    return sz;
}
int main(int argc, char** argv) {
    static char buf[65536] __attribute__((aligned(4096)));
    int fd = open(argv[1], O_RDONLY | O_DIRECT); // => o_direct_open open
    skipped(fd, buf, 4608, 3584);
    offset(fd, buf, 4196, 3996);
    resumed(fd, buf, 512, 1536);
    return 0;
}
`);
});

test('cpp: a field of a local struct declared without an initializer has its default member initializer, unless the struct has a constructor', async () => {
  await check('cpp', `#include <fcntl.h>
#include <unistd.h>
struct Options {
    int sector = 512;
    bool direct = false;
};
struct Built {
    Built() : sector(4096) {}
    int sector = 512;
};
int main(int argc, char** argv) {
    static char buf[65536] __attribute__((aligned(4096)));
    Options o;
    Built b;
    if (argc > 2)
        o.direct = true;
    int fd = ::open(argv[1], O_RDONLY | O_DIRECT); // => o_direct_open ::open
    ::pread(fd, buf, o.sector, 0); // => o_direct_io ::pread | ZDIO002
    ::pread(fd, buf, b.sector, 0); // => o_direct_io ::pread
    o.sector = 4096;
    ::pread(fd, buf, o.sector, 0); // => o_direct_io ::pread
    return 0;
}
`);
});
