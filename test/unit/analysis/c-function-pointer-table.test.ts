// C: a helper reached through a function-pointer field of a table of operations (`ops->write(…)` with
// `.write = disk_write`) is called with the arguments of those calls; a field that holds several
// functions names no one of them. A 4096-byte write at a page-aligned offset is also ZDIO004, on the
// helper's own length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('c: calls through a table\'s function-pointer field that only ever holds the helper are its calls', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int fd;
struct ops { int (*write)(const void *buf, off_t off); int (*read)(void *buf, off_t off); };
static int disk_write(const void *buf, off_t off)
{
	return pwrite(fd, buf, 4096, off); // => o_direct_io pwrite | ZDIO004
}
static int disk_read(void *buf, off_t off)
{
	return pread(fd, buf, 4096, off); // => o_direct_io pread
}
static int disk_read_other(void *buf, off_t off)
{
	return pread(fd, buf, 4096, off); // => o_direct_io pread
}
static const struct ops direct_ops = { .write = disk_write, .read = disk_read };
static const struct ops other_ops = { .write = disk_write, .read = disk_read_other };
int main(void)
{
	fd = open("data", O_RDWR | O_DIRECT); // => o_direct_open open
	const struct ops *ops = getenv("OTHER") ? &other_ops : &direct_ops;
	void *block = aligned_alloc(4096, 4096);
	char *heap = malloc(4096);
	ops->write(block, 0);
	ops->write(heap, 8192); // => | ZDIO001
	ops->write(block, 100); // => | ZDIO003
	ops->read(block, 100);
	return 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
