// C: a helper that checks its caller's buffer before an O_DIRECT request, and sends a misaligned one
// through an aligned bounce buffer, vouches for the buffer on the branch that uses it as it is: a
// descriptor whose fcntl(F_GETFL) flags lack O_DIRECT, or a buffer whose address is a multiple of the
// page. The callers' malloc'd buffers are then no finding; lengths and offsets still are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

async function report(code: string): Promise<{ sites: string[]; findings: string[]; messages: string[] }> {
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS, { fileName: '/x/t.c' });
  return {
    sites: r.sites.map((s) => `${s.kind}@${s.range.start.line + 1}`).sort(),
    findings: r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).sort(),
    messages: r.findings.map((f) => f.message),
  };
}

/** A bounce-buffer write helper guarded by `guard`, called with a malloc'd buffer at line 20. */
const bounced = (guard: string, between = '') => `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define SECTOR 4096
static ssize_t write_at(int fd, const void *buf, size_t count, off_t offset)
{
	int flags = fcntl(fd, F_GETFL);
	void *bounce;
	${between}
	if (${guard})
		return pwrite(fd, buf, count, offset);
	if (posix_memalign(&bounce, SECTOR, SECTOR) != 0)
		return -1;
	memcpy(bounce, buf, count);
	return pwrite(fd, bounce, SECTOR, offset);
}
int main(int argc, char **argv)
{
	int fd = open(argv[1], O_RDWR | O_DIRECT);
	char *sb = malloc(4096);
	return write_at(fd, sb, 4096, 1000) < 0;
}
`;

test('a branch taken only when the descriptor is buffered or the buffer is page-aligned vouches for the buffer', async () => {
  for (const guard of ['!(flags & O_DIRECT) || ((uintptr_t)buf % SECTOR) == 0', '(flags & O_DIRECT) == 0 || !((uintptr_t)buf & (SECTOR - 1))']) {
    const r = await report(bounced(guard));
    assert.deepEqual(r.sites, ['o_direct_io@14', 'o_direct_io@18', 'o_direct_open@22'], guard);
    // the offset still reaches the writes from the caller; the malloc'd buffer is no finding
    assert.deepEqual(r.findings, ['ZDIO003@24'], guard);
  }
});

test('a check against a smaller alignment, of another buffer, or of the wrong branch, vouches for nothing', async () => {
  // 512-aligned at most, whatever the caller passes: the finding is the helper's own
  const small = await report(bounced('!(flags & O_DIRECT) || ((uintptr_t)buf % 512) == 0'));
  assert.ok(small.findings.includes('ZDIO001@14'), small.findings.join(' '));
  assert.ok(small.messages.some((m) => /only 512-aligned/.test(m)), small.messages.join('\n'));
  const other = await report(bounced('!(flags & O_DIRECT) || ((uintptr_t)bounce % SECTOR) == 0'));
  assert.ok(other.findings.includes('ZDIO001@24'), other.findings.join(' '));
  // `&&` needs both: the buffered test alone does not cover an O_DIRECT descriptor with any buffer
  const either = await report(bounced('!(flags & O_DIRECT) && ((uintptr_t)buf % SECTOR) == 0'));
  assert.deepEqual(either.findings.filter((f) => f.startsWith('ZDIO001')), []);
  const wrong = await report(bounced('(flags & O_DIRECT) || ((uintptr_t)buf % SECTOR) == 0'));
  assert.ok(wrong.findings.includes('ZDIO001@24'), wrong.findings.join(' '));
});

test('flags read from another descriptor say nothing about this one', async () => {
  // with its own flags the branch would vouch (see above); with stdin's it says nothing about the buffer
  const code = bounced('!(flags & O_DIRECT) || ((uintptr_t)buf % SECTOR) == 0').replace('fcntl(fd, F_GETFL)', 'fcntl(0, F_GETFL)');
  const r = await report(code);
  assert.ok(r.findings.includes('ZDIO001@24'), r.findings.join(' '));
});

test('a branch that only runs on a buffered descriptor is no O_DIRECT I/O', async () => {
  const r = await report(bounced('!(fcntl(fd, F_GETFL) & O_DIRECT)'));
  assert.deepEqual(r.sites, ['o_direct_io@18', 'o_direct_open@22']);
  assert.deepEqual(r.findings, ['ZDIO003@24']);
});

test('an early exit on the unaligned case vouches for the buffer after it', async () => {
  const code = `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
static ssize_t read_block(int fd, void *buf, size_t count, off_t offset)
{
	if (((uintptr_t)buf & 4095) != 0)
		return -1;
	return pread(fd, buf, count, offset);
}
static ssize_t read_any(int fd, void *buf, size_t count, off_t offset)
{
	if (((uintptr_t)buf & 4095) == 0)
		return -1;
	return pread(fd, buf, count, offset);
}
int main(int argc, char **argv)
{
	int fd = open(argv[1], O_RDONLY | O_DIRECT);
	char *block = malloc(4096);
	read_block(fd, block, 4096, 0);
	return read_any(fd, block, 4096, 0) < 0;
}
`;
  const r = await report(code);
  assert.deepEqual(r.findings, ['ZDIO001@23']);
});

/** A channel whose open adds O_DIRECT under the caller's IO_DIRECT option, kept in the handle beside the descriptor. */
const channel = (openFlags: string, guard: string) => `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#define IO_RW 0x1
#define IO_DIRECT 0x4
#define IO_SYNC 0x8
struct chan { int dev; int flags; };
static int chan_open(struct chan *c, const char *name, int flags)
{
	int open_flags = ${openFlags};
	c->flags = flags;
	if (flags & IO_DIRECT)
		open_flags |= O_DIRECT;
	c->dev = open(name, open_flags);
	return c->dev < 0 ? -1 : 0;
}
static int chan_write_byte(struct chan *c, long offset, int size, const void *buf)
{
	if (${guard})
		return -1;
	return pwrite(c->dev, buf, (size_t)size, offset) == size ? 0 : -1;
}
int main(int argc, char **argv)
{
	struct chan c;
	char *sb = malloc(1024);
	if (chan_open(&c, argv[1], IO_RW | IO_DIRECT) != 0)
		return 1;
	return chan_write_byte(&c, 1024, 1024, sb);
}
`;

test('a write that returns early when the handle\'s own direct option is set is no O_DIRECT I/O', async () => {
  const r = await report(channel('O_RDWR', 'c->flags & IO_DIRECT'));
  assert.deepEqual(r.sites, ['o_direct_open@15']);
  assert.deepEqual(r.findings, []);
});

test('another option, an open with O_DIRECT whatever the option, or the wrong branch keeps the O_DIRECT write', async () => {
  for (const [openFlags, guard] of [['O_RDWR', 'c->flags & IO_SYNC'], ['O_RDWR | O_DIRECT', 'c->flags & IO_DIRECT'], ['O_RDWR', '!(c->flags & IO_DIRECT)']]) {
    const r = await report(channel(openFlags!, guard!));
    assert.deepEqual(r.sites, ['o_direct_io@22', 'o_direct_open@15'], `${openFlags} / ${guard}`);
    assert.ok(r.findings.length > 0, `${openFlags} / ${guard}`);
  }
});
