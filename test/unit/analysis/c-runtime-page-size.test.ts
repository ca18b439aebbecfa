// C: lengths and offsets computed from the runtime page size (getpagesize(), sysconf(_SC_PAGESIZE)).
// The page size is a power of two of at least 4096 bytes whatever the machine, so a fraction of it
// such as `pagesize / 2` is never a multiple of it: such a value is misaligned on every system, and
// is reported at the call that writes it. Whole multiples (`pagesize * 2`) stay quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

const lineOf = (text: string, marker: string): number => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

async function findings(code: string): Promise<{ keys: string[]; messages: string[]; derived: Record<string, unknown>[] }> {
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS, { fileName: '/x/t.c' });
  return {
    keys: r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).sort(),
    messages: r.findings.map((f) => f.message),
    derived: r.findings.map((f) => f.derived),
  };
}

const helper = (length: string) => `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static int do_write(int fd, const char *buf, size_t len)
{
\treturn write(fd, buf, len) < 0;
}
int main(void)
{
\tsize_t pagesize = (size_t)getpagesize();
\tvoid *p;
\tint fd = open("data", O_DIRECT | O_WRONLY | O_CREAT, 0666);
\tif (fd < 0 || posix_memalign(&p, pagesize, 2 * pagesize))
\t\treturn 1;
\treturn do_write(fd, p, ${length}); // the call
}
`;

test('a helper handed half the runtime page size as an O_DIRECT write length: ZDIO002 at the call, whatever the page size', async () => {
  const code = helper('pagesize / 2');
  const r = await findings(code);
  assert.deepEqual(r.keys, [`ZDIO002@${lineOf(code, '// the call')}`]);
  assert.match(r.messages[0]!, /length pagesize \/ 2 is 1\/2 page, never a page multiple/);
  assert.match(r.messages[0]!, /do_write\(\)/);
  // the value it derived is a fraction of the page size, not a number of bytes the machine may not have
  assert.deepEqual(r.derived[0], { lengthInPages: '1/2' });
});

test('whole multiples of the runtime page size passed to the helper stay quiet', async () => {
  for (const length of ['pagesize * 2', 'pagesize', '2 * pagesize', 'pagesize / 2 * 2', '(pagesize >> 1) * 4']) {
    const r = await findings(helper(length));
    assert.deepEqual(r.keys, [], length);
  }
});

test('a length that is not computed from the page size stays unknown, and quiet', async () => {
  const code = helper('pagesize / 2').replace('size_t pagesize = (size_t)getpagesize();', 'size_t pagesize = (size_t)atoi("4096");');
  assert.deepEqual((await findings(code)).keys, []);
});

test('at the site itself: a quarter page from sysconf(_SC_PAGESIZE) as length and as offset', async () => {
  const code = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(void)
{
\tlong pg = sysconf(_SC_PAGESIZE);
\tvoid *p;
\tint fd = open("data", O_DIRECT | O_RDWR);
\tif (fd < 0 || posix_memalign(&p, pg, 4 * pg))
\t\treturn 1;
\tif (pread(fd, p, pg >> 2, 0) < 0) // short read
\t\treturn 1;
\treturn pwrite(fd, p, pg, pg / 4 + pg) < 0; // odd offset
}
`;
  const r = await findings(code);
  assert.deepEqual(r.keys, [`ZDIO002@${lineOf(code, '// short read')}`, `ZDIO003@${lineOf(code, '// odd offset')}`]);
  assert.ok(r.messages.some((m) => /length pg >> 2 is 1\/4 page, never a page multiple/.test(m)), r.messages.join('\n'));
  assert.ok(r.messages.some((m) => /offset pg \/ 4 \+ pg is 5\/4 page, never a page multiple/.test(m)), r.messages.join('\n'));
});
