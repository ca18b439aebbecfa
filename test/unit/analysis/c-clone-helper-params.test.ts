// C: clone and copy ranges that a helper builds from its own parameters: the fields of a
// struct file_clone_range given the parameters, and copy_file_range offsets passed as the addresses of
// parameters taken by value (`&soff`), so each caller's constants decide.
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

const PRELUDE = `#define _GNU_SOURCE
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>
`;

test('c: a file_clone_range initialized or assigned from a helper\'s parameters is judged at each call', async () => {
  await check(`${PRELUDE}static int clone_init(int sfd, int dfd, off_t soff, off_t doff, size_t len)
{
	struct file_clone_range r = { .src_fd = sfd, .src_offset = soff, .src_length = len, .dest_offset = doff };
	return ioctl(dfd, FICLONERANGE, &r); // => ficlone ioctl
}
static int clone_assign(int sfd, int dfd, off_t soff, off_t doff, size_t len)
{
	struct file_clone_range r;
	r.src_fd = sfd;
	r.src_offset = soff;
	r.src_length = len;
	r.dest_offset = doff;
	return ioctl(dfd, FICLONERANGE, &r); // => ficlone ioctl
}
static int clone_changed(int sfd, int dfd, off_t soff, size_t len)
{
	struct file_clone_range r = { .src_fd = sfd, .src_offset = soff, .src_length = len, .dest_offset = 0 };
	r.src_length = len + 1;
	return ioctl(dfd, FICLONERANGE, &r); // => ficlone ioctl
}
int main(void)
{
	int n = 0;
	n += clone_init(3, 4, 0, 0, 131072);
	n += clone_init(3, 4, 4096, 0, 131072); // => | ZDIO020
	n += clone_assign(3, 4, 0, 0, 65536); // => | ZDIO020
	n += clone_assign(3, 4, 0, 262144, 131072);
	n += clone_changed(3, 4, 0, 131072);
	return n;
}
`);
});

test('c: copy_file_range offsets passed as &param reach the callers of the helper, through a wrapper with pointer parameters', async () => {
  await check(`${PRELUDE}static ssize_t wrap(int sfd, off_t *soff, int dfd, off_t *doff, size_t len)
{
	return copy_file_range(sfd, soff, dfd, doff, len, 0); // => copy_file_range copy_file_range
}
static int by_value(int sfd, int dfd, off_t soff, off_t doff, size_t len)
{
	ssize_t n = wrap(sfd, &soff, dfd, &doff, len);
	return n < 0 ? -1 : 0;
}
static int outer(int sfd, int dfd, off_t soff, off_t doff, size_t len)
{
	return by_value(sfd, dfd, soff, doff, len);
}
static int moved(int sfd, int dfd, off_t soff, size_t len)
{
	soff += 100;
	off_t doff = 0;
	ssize_t n = copy_file_range(sfd, &soff, dfd, &doff, len, 0); // => copy_file_range copy_file_range
	return n < 0 ? -1 : 0;
}
int main(void)
{
	if (outer(3, 4, 0, 8192, 131072) < 0) return 1; // => | ZDIO010
	if (by_value(3, 4, 4096, 0, 131072) < 0) return 1; // => | ZDIO010
	if (by_value(3, 4, 131072, 262144, 131072) < 0) return 1;
	if (moved(3, 4, 131072, 131072) < 0) return 1;
	return 0;
}
`);
});
