// C: a helper reached through a function-pointer field of a table of operations (`ops->write(…)` with
// `.write = disk_write`) is called with the arguments of those calls; a field that holds a few
// functions of the file may call each of them (an engine the program picks), one that also holds a
// function defined elsewhere names none. A 4096-byte write at a page-aligned offset is also ZDIO004, on
// the helper's own length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

test('c: calls through a table\'s function-pointer field that holds the helper, or it and another function of the file, are its calls', async () => {
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
	ops->read(block, 100); // => | ZDIO003
	return 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('c: a function-pointer field that also holds a function defined elsewhere, or an engine set from the options, in a file of its own', async () => {
  const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
extern int remote_read(int fd, void *buf, off_t off);
struct engine { int (*read)(int fd, void *buf, off_t off); };
struct transport { int (*fetch)(int fd, void *buf, off_t off); };
static int direct_read(int fd, void *buf, off_t off)
{
	return pread(fd, buf, 4096, off); // => o_direct_io pread
}
static int sync_read(int fd, void *buf, off_t off)
{
	return pread(fd, buf, 4096, off); // => o_direct_io pread
}
int main(int argc, char **argv)
{
	struct transport local = { .fetch = direct_read }, net = { .fetch = remote_read };
	struct transport *t = argc > 2 ? &net : &local;
	int fd = open(argv[1], O_RDONLY | O_DIRECT); // => o_direct_open open
	void *block = aligned_alloc(4096, 4096);
	t->fetch(fd, block, 100);
	struct engine *g = malloc(sizeof(*g));
	if (argc > 3) g->read = sync_read; else g->read = direct_read;
	g->read(fd, block, 512); // => | ZDIO003
	return 0;
}
`;
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
