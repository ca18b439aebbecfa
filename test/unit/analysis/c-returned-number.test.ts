// C: what a helper of the file returns for the arguments of one call (`sb_offset(1)`): its body read in
// order, an `if` the arguments decide taking its branch, the first return reached giving the value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

/** The offset the analysis derives for `pwrite(fd, buf, 4096, OFFSET)` on an O_DIRECT descriptor, with `helper` at file scope. */
async function offsetOf(helper: string, offset: string): Promise<number | undefined> {
  const code = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#define SHIFT 12
${helper}
int main(int argc, char **argv)
{
	int fd = open(argv[1], O_RDWR | O_DIRECT);
	char *sb = aligned_alloc(4096, 4096);
	return pwrite(fd, sb, 4096, ${offset}) < 0;
}
`;
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS, { fileName: '/x/t.c' });
  assert.equal(r.analysisError, undefined);
  const f = r.findings.find((x) => x.ruleId === 'ZDIO004' || x.ruleId === 'ZDIO003');
  return f?.derived.offset as number | undefined;
}

const mirror = `static uint64_t sb_offset(int mirror)
{
	uint64_t start = 16 * 1024;

	if (mirror)
		return start << (SHIFT * mirror);
	return 65536;
}`;

test('a helper called with constants returns the value of the branch its arguments take', async () => {
  assert.equal(await offsetOf(mirror, 'sb_offset(1)'), 16 * 1024 * 4096);
  assert.equal(await offsetOf(mirror, 'sb_offset(2)'), 16 * 1024 * 2 ** 24);
  // the other branch, and a helper calling another with its own parameter
  assert.equal(await offsetOf(mirror, 'sb_offset(0) + 512'), 65536 + 512);
  assert.equal(await offsetOf(`${mirror}\nstatic uint64_t backup(int n) { if (n > 2) return 0; else return sb_offset(n) + 1024; }`, 'backup(1)'), 16 * 1024 * 4096 + 1024);
});

test('a parameter the helper writes, a branch its arguments cannot decide, a loop or a recursion: no value', async () => {
  assert.equal(await offsetOf('static long scaled(long n) { n *= 512; return n; }', 'scaled(3)'), undefined);
  assert.equal(await offsetOf('static long pick(long n, int lo) { if (lo) return n; return n * 2; }', 'pick(512, argc > 2)'), undefined);
  assert.equal(await offsetOf('static long first(long n) { for (int i = 0; i < 4; i++) n++; return n; }', 'first(512)'), undefined);
  assert.equal(await offsetOf('static long down(long n) { if (n > 4096) return down(n - 4096); return n; }', 'down(9000)'), undefined);
});

/** A disk handle built by one function, read by another through a parameter; `calls` make the handles. */
const handle = (calls: string, extra = '') => `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#define DEFAULT_BLOCK_SIZE 512
struct disk { int fd; uint32_t block_size; };
static struct disk *make_disk(const char *path, uint32_t block_size)
{
	struct disk *d = calloc(1, sizeof(*d));
	d->fd = open(path, O_RDWR | O_DIRECT);
	d->block_size = block_size ? block_size : DEFAULT_BLOCK_SIZE;
	return d;
}
static int put(struct disk *d, void *buf)
{
	return pwrite(d->fd, buf, d->block_size, 0) < 0;
}
${extra}
int main(int argc, char **argv)
{
	void *buf = aligned_alloc(4096, 4096);
	${calls}
}
`;

async function lengthFindings(code: string): Promise<string[]> {
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS, { fileName: '/x/t.c' });
  assert.equal(r.analysisError, undefined);
  return r.findings.filter((f) => f.ruleId === 'ZDIO002').map((f) => `${f.range.start.line + 1} ${f.derived.length}`);
}

test('a field of a struct parameter has the value the file\'s one write gives it, with the writer\'s one call\'s arguments', async () => {
  assert.deepEqual(await lengthFindings(handle('return put(make_disk(argv[1], 0), buf);')), ['17 512']);
  assert.deepEqual(await lengthFindings(handle('return put(make_disk(argv[1], 1000), buf);')), ['17 1000']);
});

test('two calls of the writer, another write of the field or an initializer of the struct: no value', async () => {
  assert.deepEqual(await lengthFindings(handle('put(make_disk(argv[1], 0), buf);\n\treturn put(make_disk(argv[2], 4096), buf);')), []);
  assert.deepEqual(await lengthFindings(handle('return put(make_disk(argv[1], 0), buf);', 'static void resize(struct disk *d) { d->block_size = 4096; }')), []);
  assert.deepEqual(await lengthFindings(handle('return put(make_disk(argv[1], 0), buf);', 'static struct disk spare = { -1, 4096 };')), []);
});
