// C: a struct field handed to a helper that switches O_DIRECT on with fcntl(F_SETFL) holds an O_DIRECT
// descriptor for the other functions of the file; one handed to a helper that switches it off is
// buffered after that call (nginx's ngx_directio_on()/ngx_directio_off() on of->fd).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

test('c: of->fd handed to an O_DIRECT setter makes the helper that reads of->fd an O_DIRECT site; a clearer before the tail read undoes it', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
struct file_info { int fd; long size; };
static int dio_on(int fd) {
    int flags = fcntl(fd, F_GETFL);
    return fcntl(fd, F_SETFL, flags | O_DIRECT); // => o_direct_open fcntl
}
static int dio_off(int fd) {
    int flags = fcntl(fd, F_GETFL);
    return fcntl(fd, F_SETFL, flags & ~O_DIRECT);
}
static ssize_t read_at(struct file_info *fi, void *buf, size_t n, off_t off) {
    return pread(fi->fd, buf, n, off); // => o_direct_io pread
}
static int open_info(const char *p, struct file_info *fi) {
    fi->fd = open(p, O_RDONLY);
    return fi->fd < 0 ? -1 : dio_on(fi->fd);
}
int main(void) {
    static char page[4096] __attribute__((aligned(4096)));
    struct file_info fi;
    if (open_info("f", &fi) != 0) return 1;
    read_at(&fi, page, 1000, 0); // => | ZDIO002
    dio_off(fi.fd);
    return pread(fi.fd, page, 1000, 4096) < 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(findingKeys(r), expected.findings);
  assert.deepEqual(siteKeys(await extractFacts('c', text)), expected.sites);
});

test('c: a field only ever opened plainly and never handed to a setter is no O_DIRECT site', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
struct file_info { int fd; };
static int dio_on(int fd) {
    return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_DIRECT); // => o_direct_open fcntl
}
static ssize_t read_at(struct file_info *fi, void *buf, size_t n) {
    return pread(fi->fd, buf, n, 0);
}
int main(void) {
    char b[100];
    int other = open("g", O_RDONLY);
    struct file_info fi;
    fi.fd = open("f", O_RDONLY);
    dio_on(other);
    return read_at(&fi, b, sizeof b) < 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(findingKeys(r), expected.findings);
  assert.deepEqual(siteKeys(await extractFacts('c', text)), expected.sites);
});
