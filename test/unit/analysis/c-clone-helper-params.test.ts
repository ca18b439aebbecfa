// C: clone and copy ranges that a helper builds from its own parameters, so each caller's constants
// decide: the fields of a struct file_clone_range given the parameters.
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
