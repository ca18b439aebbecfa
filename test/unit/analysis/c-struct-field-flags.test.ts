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

// The same through typedef names, spelled as the tag (`typedef struct dev {…} dev;`) or not, and with the
// flag composed by a conditional from an option: a struct type is one type however its variables spell it.
const typedefText = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>
typedef struct dev { const char *name; int open_flag; int fd; } dev;
typedef struct plain_dev { const char *name; int open_flag; int fd; } plain_dev_t;
static void dev_init(dev *d, const char *path, bool direct)
{
	d->name = path;
	d->open_flag = O_RDWR | (direct ? O_DIRECT : 0);
	d->fd = -1;
}
static void plain_init(plain_dev_t *p, const char *path)
{
	p->name = path;
	p->open_flag = O_RDWR | O_DSYNC;
}
static int dev_fd(struct dev *d)
{
	if (d->fd < 0)
		d->fd = open(d->name, d->open_flag, 0644); // => o_direct_open open
	return d->fd;
}
static int plain_fd(plain_dev_t *p)
{
	return open(p->name, p->open_flag, 0644);
}
int main(int argc, char **argv)
{
	dev d;
	plain_dev_t p;
	static char buf[4096] __attribute__((aligned(4096)));
	dev_init(&d, argv[1], argc > 2);
	plain_init(&p, argv[1]);
	int fd = dev_fd(&d);
	int pfd = plain_fd(&p);
	pwrite(pfd, buf, 100, 0);
	return pwrite(fd, buf, 100, 0) < 0; // => o_direct_io pwrite | ZDIO002
}
`;

test('c: flags stored in a field of a typedef\'d struct reach the open through the typedef name and the tag alike', async () => {
  const r = await analyzeText(typedefText, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  const expected = expectationsOf(typedefText);
  assert.deepEqual(siteKeys(await extractFacts('c', typedefText)), expected.sites);
  assert.deepEqual(findingKeys(r), expected.findings);
});

test('c: a typedef\'d struct whose flags field never holds O_DIRECT gives a buffered open', async () => {
  const buffered = typedefText.replace('(direct ? O_DIRECT : 0)', '(direct ? O_SYNC : 0)');
  const r = await analyzeText(buffered, 'c', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(siteKeys(await extractFacts('c', buffered)), []);
  assert.deepEqual(findingKeys(r), []);
});
