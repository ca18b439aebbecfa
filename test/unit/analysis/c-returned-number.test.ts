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
