// C: iovecs the caller sets up and hands to a helper that submits them (`bdev_writev(disk, &iov, 1, lba)`
// → `pwritev(fd, iov, iovcnt, …)`): each call's segments are checked, each finding on the caller's
// `iov_len` (SPDK's aio block device).
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

const HELPERS = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>
static int dev_fd;
static ssize_t submit_writev(struct iovec *iov, int iovcnt, off_t off)
{
	return pwritev(dev_fd, iov, iovcnt, off);
}
static ssize_t read_one(struct iovec *iov, off_t off)
{
	return preadv(dev_fd, iov, 1, off);
}
`;

test('c: the iovecs a caller passes to a helper are its segments: their lengths, for the count each call gives', async () => {
  const text = `${HELPERS}int main(int argc, char **argv)
{
	struct iovec one, two[2];
	void *a, *b;
	dev_fd = open(argv[1], O_RDWR | O_DIRECT);
	if (posix_memalign(&a, 4096, 8192) || posix_memalign(&b, 4096, 8192))
		return 1;
	one.iov_base = a;
	one.iov_len = 512; // => | ZDIO002
	submit_writev(&one, 1, 0);
	two[0].iov_base = a;
	two[0].iov_len = 4096;
	two[1].iov_base = b;
	two[1].iov_len = 100; // => | ZDIO002
	submit_writev(two, 2, 4096);
	one.iov_len = 1000; // => | ZDIO002
	read_one(&one, 0);
	return 0;
}
`;
  const r = await check(text);
  const seg = r.findings.find((f) => f.message.includes('segment 1'));
  assert.match(seg?.message ?? '', /segment 1 length 100/);
  assert.ok(seg?.related?.some((x) => /pwritev\(\) receives it here/.test(x.message)), JSON.stringify(seg?.related));
});

test('c: a caller\'s iovec on an unaligned buffer is a buffer finding at the call', async () => {
  const text = `${HELPERS}int main(int argc, char **argv)
{
	struct iovec one;
	dev_fd = open(argv[1], O_RDWR | O_DIRECT);
	one.iov_base = malloc(4096);
	one.iov_len = 4096;
	read_one(&one, 0); // => | ZDIO001
	return 0;
}
`;
  await check(text);
});

test('c: iovecs that are aligned, of unknown length, or counted at run time give no finding', async () => {
  const text = `${HELPERS}int main(int argc, char **argv)
{
	struct iovec one, two[2];
	void *a;
	dev_fd = open(argv[1], O_RDWR | O_DIRECT);
	if (posix_memalign(&a, 4096, 131072))
		return 1;
	one.iov_base = a;
	one.iov_len = 131072;
	submit_writev(&one, 1, 0);
	one.iov_len = (size_t)atoi(argv[2]);
	submit_writev(&one, 1, 0);
	two[0].iov_base = a;
	two[0].iov_len = 100;
	two[1].iov_base = a;
	two[1].iov_len = 100;
	submit_writev(two, argc, 0);
	return 0;
}
`;
  await check(text);
});
