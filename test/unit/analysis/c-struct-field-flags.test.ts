// C: open flags kept in a struct field that another function of the file sets (a backend's O_DIRECT
// variant differs from the buffered one only in the flags it stores), read back by a shared open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys, siteKeys, extractFacts } from './rust-go-python-helpers';

const text = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
struct disk_obj { int fd; int flags; };
struct other_obj { int fd; int flags; };
static int shared_open(struct disk_obj *obj, const char *path)
{
	obj->fd = open(path, obj->flags); // => o_direct_open open
	return obj->fd;
}
static int shared_read(struct disk_obj *obj, void *buf, off_t off)
{
	return pread(obj->fd, buf, 4096, off); // => o_direct_io pread
}
static int other_open(struct other_obj *o, const char *path)
{
	return open(path, o->flags);
}
static struct disk_obj *direct_variant(const char *path)
{
	struct disk_obj *obj = calloc(1, sizeof(*obj));
	obj->flags = O_RDWR | O_DIRECT;
	shared_open(obj, path);
	return obj;
}
static struct other_obj *buffered_other(void)
{
	struct other_obj *o = calloc(1, sizeof(*o));
	o->flags = O_RDWR;
	return o;
}
int main(void)
{
	void *buf = aligned_alloc(4096, 4096);
	struct disk_obj *d = direct_variant("data");
	struct other_obj *o = buffered_other();
	other_open(o, "plain");
	return shared_read(d, buf, 512); // => | ZDIO003
}
`;

test('c: a struct field that some function sets to flags with O_DIRECT makes the open reading it an O_DIRECT open', async () => {
  const r = await analyzeText(text, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('c', text)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
});
