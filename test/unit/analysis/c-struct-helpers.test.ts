// C: iovec fields set by a helper of the file, which returns the struct (by pointer or by value) or
// fills it through the pointer it is given, and fields of a struct that one constructor builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

async function check(text: string) {
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
  return r;
}

const PRELUDE = `#include <fcntl.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <liburing.h>
static int fd = -1;
`;

test('c: an iovec built by a helper that returns the struct it allocated: its iov_base is the helper\'s', async () => {
  const text = `${PRELUDE}struct chunk { off_t at; size_t len; struct iovec vec; };
static struct chunk *chunk_new(off_t at, size_t len)
{
	struct chunk *c = malloc(sizeof(*c) + len);
	if (!c)
		return NULL;
	c->at = at;
	c->vec.iov_base = c + 1;
	c->vec.iov_len = len;
	return c;
}
static void submit(struct io_uring_sqe *sqe, off_t at)
{
	struct chunk *c = chunk_new(at, 4096);
	io_uring_prep_readv(sqe, fd, &c->vec, 1, c->at); // => | ZDIO001
}
/* the completion hands the chunk back: the one constructor of struct chunk set its iov_base */
static void resubmit(struct io_uring_sqe *sqe, struct chunk *c)
{
	io_uring_prep_writev(sqe, fd, &c->vec, 1, c->at); // => | ZDIO001
}
int main(int argc, char **argv) { fd = open(argv[1], O_RDWR | O_DIRECT); return 0; }
`;
  const r = await check(text);
  assert.match(r.findings[0]!.message, /buffer from malloc\(sizeof\(\*c\) \+ len\)/);
});

test('c: an iovec returned by value or filled through a pointer takes the call\'s arguments for the helper\'s parameters', async () => {
  const text = `${PRELUDE}static char page[8192] __attribute__((aligned(4096)));
static char bytes[100];
static struct iovec make_iov(void *base, size_t n)
{
	struct iovec v;
	v.iov_base = base;
	v.iov_len = n;
	return v;
}
static void fill_iov(struct iovec *v, void *base, size_t n)
{
	v->iov_base = base;
	v->iov_len = n;
}
static struct iovec literal_iov(size_t n) { return (struct iovec){ .iov_base = page, .iov_len = n }; }
int main(int argc, char **argv)
{
	/* a length is squiggled where the call gives it, a buffer on the iovec the I/O takes */
	struct iovec a = make_iov(page, 100); // => | ZDIO002
	struct iovec b = make_iov(bytes, 4096);
	struct iovec c, d = literal_iov(512); // => | ZDIO002
	struct iovec e = make_iov(page, 8192);
	fd = open(argv[1], O_RDWR | O_DIRECT);
	preadv(fd, &a, 1, 0);
	preadv(fd, &b, 1, 0); // => | ZDIO001
	fill_iov(&c, bytes, 8192);
	pwritev(fd, &c, 1, 0); // => | ZDIO001
	pwritev(fd, &d, 1, 0);
	preadv(fd, &e, 1, 0);
	return 0;
}
`;
  await check(text);
});

test('c: a field the file writes in two places, or a struct some initializer builds, has no constructor\'s value', async () => {
  const twice = `${PRELUDE}struct chunk { struct iovec vec; };
static struct chunk *chunk_new(size_t len)
{
	struct chunk *c = malloc(sizeof(*c) + len);
	c->vec.iov_base = c + 1;
	c->vec.iov_len = len;
	return c;
}
static void rebase(struct chunk *c, void *aligned) { c->vec.iov_base = aligned; }
static void resubmit(struct io_uring_sqe *sqe, struct chunk *c)
{
	io_uring_prep_writev(sqe, fd, &c->vec, 1, 0);
}
int main(int argc, char **argv) { fd = open(argv[1], O_RDWR | O_DIRECT); return 0; }
`;
  const control = await analyzeText(twice.replace('static void rebase(struct chunk *c, void *aligned) { c->vec.iov_base = aligned; }', ''), 'c', DEFAULT_SETTINGS);
  assert.deepEqual(control.findings.map((f) => f.ruleId), ['ZDIO001'], 'with the one constructor alone, the write has its buffer');
  const r = await check(twice);
  assert.equal(r.sites.filter((x) => x.kind === 'o_direct_io').length, 1, 'the write is still a site');
  const initialized = twice.replace('static void rebase(struct chunk *c, void *aligned) { c->vec.iov_base = aligned; }',
    'static struct chunk spare = { { 0, 0 } };');
  await check(initialized);
  const local = twice.replace('static void rebase(struct chunk *c, void *aligned) { c->vec.iov_base = aligned; }', '')
    .replace('	io_uring_prep_writev(sqe, fd, &c->vec, 1, 0);', '	c->vec = (struct iovec){ 0 };\n	io_uring_prep_writev(sqe, fd, &c->vec, 1, 0);');
  await check(local);
});

test('C: a clone range behind a global pointer, filled field by field in the setup function, is seen by the test that runs later', async () => {
  const code = (setup: string, later = '') => `#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
static struct file_clone_range *range;
static void setup(void)
{
	range = calloc(1, sizeof(*range));
${setup}
}
static void run(int src, int dst)
{
${later}
	range->src_fd = src;
	ioctl(dst, FICLONERANGE, range);
}
int main(void)
{
	setup();
	run(3, 4);
	return 0;
}
`;
  const text = code('\trange->src_offset = 0;\n\trange->src_length = 65536;\n\trange->dest_offset = 0;');
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS, { fileName: 'clone.c' });
  const line = text.split('\n').findIndex((l) => l.includes('src_length = 65536')) + 1;
  assert.deepEqual(r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), [`ZDIO020@${line}`]);
  // written again by the test itself: the setup's value is not the one the ioctl sees
  const rewritten = await analyzeText(code('\trange->src_length = 65536;', '\trange->src_length = 131072;'), 'c', DEFAULT_SETTINGS, { fileName: 'clone.c' });
  assert.deepEqual(rewritten.findings.map((f) => f.ruleId), []);
  // the pointer pointed elsewhere later: no one struct
  const repointed = await analyzeText(code('\trange->src_length = 65536;', '\tstatic struct file_clone_range other;\n\trange = &other;'), 'c', DEFAULT_SETTINGS, { fileName: 'clone.c' });
  assert.deepEqual(repointed.findings.map((f) => f.ruleId), []);
});
