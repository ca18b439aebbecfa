// C: a helper that copies its length or offset parameter into a local and counts it down in a short
// I/O loop (`size_t left = size; while (left > 0) { pwrite(fd, buf, left, off); … }`): on the loop's
// first pass the local is the caller's value; a local changed before the loop is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('c: a local initialized from a parameter and updated later in the loop carries the caller\'s value', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int fd;
static int write_all(const void *buf, off_t offset, size_t size)
{
	size_t left = size;
	off_t at = offset;
	while (left > 0) {
		ssize_t n = pwrite(fd, buf, left, at); // => o_direct_io pwrite
		if (n <= 0)
			return -1;
		left -= n;
		at += n;
		buf = (const char *)buf + n;
	}
	return 0;
}
static int read_padded(void *buf, off_t offset, size_t size)
{
	size_t want = size;
	if (want % 4096)
		want += 4096 - want % 4096;
	return pread(fd, buf, want, offset) < 0 ? -1 : 0; // => o_direct_io pread
}
int main(void)
{
	fd = open("data", O_RDWR | O_DIRECT); // => o_direct_open open
	void *block = aligned_alloc(4096, 131072);
	write_all(block, 0, 131072);
	write_all(block, 0, 1000); // => | ZDIO002
	write_all(block, 512, 131072); // => | ZDIO003
	read_padded(block, 0, 1000);
	return 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
