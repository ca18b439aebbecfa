// C: a length or offset that a function computes from several of its parameters (`end - start`,
// locals built from them, a rounding macro that reads a field through a struct pointer) is known at
// each call with that call's arguments (Aerospike's ssd_read_record() rounding a record to device
// sectors before its pread helper).
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

test('c: an expression of two parameters at the site is each call\'s value', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int fd;
static ssize_t read_range(void *buf, off_t start, off_t end)
{
	return pread(fd, buf, end - start, start);
}
int main(int argc, char **argv)
{
	void *buf;
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (posix_memalign(&buf, 4096, 65536))
		return 1;
	read_range(buf, 0, 1000); // => | ZDIO002
	read_range(buf, 4096, 8192);
	return 0;
}
`;
  const r = await check(text);
  assert.match(r.findings[0]!.message, /length 1000/);
});

test('c: a caller that computes the length and offset from its own parameters passes each of its calls\' values on', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#define UNIT 16
#define DOWN_TO_SECTOR(d, n) ((n) & -(uint64_t)(d)->sector)
#define UP_TO_SECTOR(d, n) (((n) + (d)->sector - 1) & -(uint64_t)(d)->sector)
struct dev { int fd; uint32_t sector; bool direct; };
static void dev_init(struct dev *d, const char *path, bool direct)
{
	d->direct = direct;
	d->sector = d->direct ? 512 : 4096;
	d->fd = open(path, O_RDONLY | (direct ? O_DIRECT : 0));
}
static bool read_all(int fd, void *buf, size_t size, off_t off)
{
	return pread(fd, buf, size, off) == (ssize_t)size;
}
static bool read_record(struct dev *d, uint64_t unit, uint32_t n_units, void *buf)
{
	uint64_t start = unit * UNIT;
	uint64_t from = DOWN_TO_SECTOR(d, start);
	uint64_t to = UP_TO_SECTOR(d, start + n_units * UNIT);
	return read_all(d->fd, buf, to - from, (off_t)from);
}
int main(int argc, char **argv)
{
	struct dev d;
	void *buf;
	dev_init(&d, argv[1], true);
	if (posix_memalign(&buf, 4096, 65536))
		return 1;
	read_record(&d, 40, 13, buf); // => | ZDIO002 ZDIO003
	read_record(&d, 65536, 256, buf);
	return 0;
}
`;
  await check(text);
});

test('c: no call\'s value for an expression that a condition of the function reads, or whose parameter the function changes', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int fd;
static int aligned(off_t off, size_t size)
{
	return off % 4096 == 0 && size % 4096 == 0;
}
static ssize_t checked_read(void *buf, off_t start, off_t end)
{
	size_t size = end - start;
	if (aligned(start, size))
		return pread(fd, buf, size, start);
	return -1;
}
static ssize_t moved_read(void *buf, off_t start, off_t end)
{
	start += 512;
	return pread(fd, buf, end - start, start);
}
int main(int argc, char **argv)
{
	void *buf;
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (posix_memalign(&buf, 4096, 65536))
		return 1;
	checked_read(buf, 0, 1000);
	moved_read(buf, 0, 4096);
	return 0;
}
`;
  await check(text);
});

test('c: a call whose arguments make a condition around the site go the other way does not reach it', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int fd;
static ssize_t put(const void *buf, size_t n, int mode)
{
	if (n % 4096 == 0)
		return pwrite(fd, buf, n, 0);
	else if (mode)
		return pwrite(fd, buf, n, 4096);
	return -1;
}
int main(int argc, char **argv)
{
	void *b;
	fd = open(argv[1], O_WRONLY | O_DIRECT);
	if (posix_memalign(&b, 4096, 8192))
		return 1;
	put(b, 100, 0);
	put(b, 200, 1); // => | ZDIO002
	put(b, 300, atoi(argv[2])); // => | ZDIO002
	put(b, 8192, 1); // => | ZDIO004
	return 0;
}
`;
  await check(text);
});
