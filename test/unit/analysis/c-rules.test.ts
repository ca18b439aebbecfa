// C fixtures, one per rule family: the exact findings (rule id and line) and the derived numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { analyzeFixture, findingAt, findingKeys, siteKeys } from './c-family-helpers';
import { inFull } from '../../support/told';

test('C copy_file_range: ZDIO010/011/012 exactly where expected', async () => {
  const { text, result } = await analyzeFixture('c/copy-file-range.c');
  assert.equal(result.hadSyntaxErrors, false);
  assert.deepEqual(findingKeys(text, result.findings), [
    'ZDIO010@macro-len', 'ZDIO010@repro', 'ZDIO010@src-off', 'ZDIO010@syscall',
    'ZDIO011@odirect-src',
    'ZDIO012@discarded', 'ZDIO012@gives-up-assigned', 'ZDIO012@gives-up-direct', 'ZDIO012@never-read', 'ZDIO012@repro', 'ZDIO012@void-cast',
  ]);
  assert.deepEqual(siteKeys(text, result), [
    'copy_file_range@aligned', 'copy_file_range@discarded', 'copy_file_range@errno', 'copy_file_range@gives-up-assigned',
    'copy_file_range@gives-up-direct', 'copy_file_range@loop-gives-up', 'copy_file_range@macro-len',
    'copy_file_range@never-read', 'copy_file_range@odirect-src', 'copy_file_range@own-fallback', 'copy_file_range@repro', 'copy_file_range@returned',
    'copy_file_range@src-off', 'copy_file_range@syscall', 'copy_file_range@unknown', 'copy_file_range@void-cast',
    'o_direct_open@open-in',
  ]);
});

test('the openzfs#16958 reproducer (src 0, dst 262144, length 196608) gives ZDIO010 with the derived numbers', async () => {
  const { text, result } = await analyzeFixture('c/copy-file-range.c');
  const f = findingAt(text, result, 'ZDIO010', 'repro');
  assert.match(f.message, /len 196608 is not a multiple of recordsize 131072: copied, not cloned \(EAGAIN on 2\.3\.0 with Direct I\/O\)$/);
  assert.match(f.detail!, /openzfs#16958/);
  assert.deepEqual(f.derived, { recordsize: 131072, recordsizeSource: 'setting', srcOffset: 0, dstOffset: 262144, length: 196608 });
  assert.equal(f.severity, 'warning');
  // The squiggle is on the length argument.
  const line = text.split('\n')[f.range.start.line]!;
  assert.equal(line.slice(f.range.start.column, f.range.end.column), '196608');
});

test('C copy_file_range: values through #define chains, enums, locals and syscall()', async () => {
  const { text, result } = await analyzeFixture('c/copy-file-range.c');
  assert.match(findingAt(text, result, 'ZDIO010', 'macro-len').message, /len 196608 \(MISALIGNED_LEN\) is not a multiple of recordsize 131072/);
  const src = findingAt(text, result, 'ZDIO010', 'src-off');
  assert.match(src.message, /off_in 4096 \(src\) is not a multiple of recordsize 131072/);
  assert.deepEqual(src.derived, { recordsize: 131072, recordsizeSource: 'setting', srcOffset: 4096, dstOffset: 131072, length: 131072 });
  const sys = findingAt(text, result, 'ZDIO010', 'syscall');
  assert.match(sys.message, /len 100000 is not a multiple of recordsize 131072/);
  assert.equal(sys.site.callee, 'syscall(SYS_copy_file_range)');
  assert.match(findingAt(text, result, 'ZDIO011', 'odirect-src').message, /^copy_file_range with an O_DIRECT source: /);
  assert.equal(findingAt(text, result, 'ZDIO012', 'discarded').severity, 'information');
  assert.deepEqual(findingAt(text, result, 'ZDIO012', 'discarded').derived, { resultCheck: 'discarded' });
  // perror + return is the openzfs#16958 failure path: the error is reported, nothing falls back
  const givesUp = findingAt(text, result, 'ZDIO012', 'repro');
  assert.match(givesUp.message, /only checked to give up/);
  assert.deepEqual(givesUp.derived, { resultCheck: 'error-exit-only' });
});

test('C O_DIRECT I/O: ZDIO001-004 exactly where expected', async () => {
  const { text, result } = await analyzeFixture('c/odirect.c');
  assert.deepEqual(findingKeys(text, result.findings), [
    'ZDIO001@global-static', 'ZDIO001@malloc', 'ZDIO001@plus-offset', 'ZDIO001@sector', 'ZDIO001@sector-len',
    'ZDIO001@field-write', 'ZDIO001@setfl-read',
    'ZDIO002@iov-one-len', 'ZDIO002@iov-seg-len', 'ZDIO002@sector', 'ZDIO002@sector-len', 'ZDIO002@setfl-read',
    'ZDIO003@bad-offset',
    'ZDIO004@iov-two', 'ZDIO004@offset-write', 'ZDIO004@small-write',
  ].sort());
});

test('C O_DIRECT I/O: sites follow descriptors through locals, flags variables, macros, fields and globals', async () => {
  const { text, result } = await analyzeFixture('c/odirect.c');
  const sites = siteKeys(text, result);
  for (const tag of ['global-static', 'malloc', 'aligned-read', 'aligned-write', 'small-write', 'offset-write', 'sector', 'sector-len',
    'plus-offset', 'index-offset', 'bad-offset', 'field-write', 'attr-aligned', 'sysconf', 'mmap', 'valloc', 'iov-one', 'iov-two', 'iov-parts',
    'setfl-read', 'unknown']) {
    assert.ok(sites.includes(`o_direct_io@${tag}`), `o_direct_io site at @${tag}`);
  }
  for (const tag of ['open-global', 'open-macro', 'open-flags', 'openat', 'open-field', 'open-sources', 'open-vec', 'open-other', 'setfl', 'open-unknown']) {
    assert.ok(sites.includes(`o_direct_open@${tag}`), `o_direct_open site at @${tag}`);
  }
  // The plain open, the read after fcntl(F_SETFL, … & ~O_DIRECT) and the parameter fd are not sites.
  assert.equal(result.sites.filter((s) => s.kind === 'o_direct_io').length, 21);
  assert.equal(result.sites.filter((s) => s.kind === 'o_direct_open').length, 10);
});

test('C O_DIRECT I/O: messages name the derived value and the alignment', async () => {
  const { text, result } = await analyzeFixture('c/odirect.c');
  const malloc = findingAt(text, result, 'ZDIO001', 'malloc');
  assert.match(malloc.message, /buffer from malloc\(65536\) may not be page-aligned \(4096\)/);
  assert.deepEqual(malloc.derived, { origin: 'malloc(65536)', pageSize: 4096 });
  assert.match(findingAt(text, result, 'ZDIO001', 'sector').message, /is only 512-aligned \(page size 4096\)/);
  assert.match(findingAt(text, result, 'ZDIO002', 'sector-len').message, /length 1536 \(3 \* SECTOR\) is not a multiple of page size 4096/);
  const plus = findingAt(text, result, 'ZDIO001', 'plus-offset');
  assert.match(plus.message, /\+ 512 is not a multiple of page size 4096/);
  assert.equal(plus.derived.bufferOffset, 512);
  assert.match(findingAt(text, result, 'ZDIO003', 'bad-offset').message, /offset 1000 is not a multiple of page size 4096/);
  const small = findingAt(text, result, 'ZDIO004', 'small-write');
  assert.match(small.message, /O_DIRECT write length 8192 is not a multiple of recordsize 131072: only whole records bypass the ARC/);
  assert.deepEqual(small.derived, { length: 8192, offset: 131072, pageSize: 4096, recordsize: 131072, recordsizeSource: 'setting' });
  assert.match(findingAt(text, result, 'ZDIO004', 'offset-write').message, /offset 8192 is not a multiple of recordsize 131072/);
  assert.match(findingAt(text, result, 'ZDIO001', 'global-static').message, /array char sbuf\[8192\]/);
  // preadv with a single iovec: the segment length; pwritev with two: the total, for the recordsize rule.
  assert.match(result.findings.find((f) => f.ruleId === 'ZDIO002' && /one\.iov_len/.test(f.message))!.message, /length 6000 \(one\.iov_len\)/);
  assert.match(findingAt(text, result, 'ZDIO004', 'iov-two').message, /length 12288/);
  // iovecs filled field by field: the misaligned segment is named, on the line that sets it.
  const seg = findingAt(text, result, 'ZDIO002', 'iov-seg-len');
  assert.match(seg.message, /segment 1 length 100 is not a multiple of page size 4096/);
  assert.deepEqual(seg.derived, { length: 100, segment: 1, pageSize: 4096 });
  assert.equal(seg.site.callee, 'preadv');
});

test('C FICLONE/FICLONERANGE: ZDIO020 exactly where expected', async () => {
  const { text, result } = await analyzeFixture('c/ficlone.c');
  assert.deepEqual(findingKeys(text, result.findings), ['ZDIO020@assigned-dest', 'ZDIO020@designated-len', 'ZDIO020@pointer-off', 'ZDIO020@positional']);
  assert.deepEqual(siteKeys(text, result), ['ficlone@alias', 'ficlone@designated', 'ficlone@eof', 'ficlone@ficlone', 'ficlone@numeric', 'ficlone@pointer', 'ficlone@unknown']);
  const d = findingAt(text, result, 'ZDIO020', 'designated-len');
  assert.match(d.message, /src_length 196608 is not a multiple of recordsize 131072: EINVAL, no fallback/);
  assert.deepEqual(d.derived, { recordsize: 131072, recordsizeSource: 'setting', srcOffset: 0, length: 196608, dstOffset: 0 });
  assert.match(findingAt(text, result, 'ZDIO020', 'positional').message, /src_offset 4096 is not a multiple/);
  const a = findingAt(text, result, 'ZDIO020', 'assigned-dest');
  assert.match(a.message, /dest_offset 401408 \(3 \* REC \+ 8192\)/);
  assert.deepEqual(a.derived, { recordsize: 131072, recordsizeSource: 'setting', srcOffset: 0, length: 262144, dstOffset: 401408 });
  assert.match(findingAt(text, result, 'ZDIO020', 'pointer-off').message, /src_offset 1000/);
});

test('C ZDIO020 from a #define in a designated initializer: squiggle on the field\'s value, fix on the #define', async () => {
  const code = [
    '#define CLONE_LEN (3 * 65536)',
    'int clone_part(int src, int dst)',
    '{',
    '    struct file_clone_range r = {',
    '        .src_fd = src,',
    '        .src_length = CLONE_LEN,',
    '    };',
    '    return ioctl(dst, FICLONERANGE, &r);',
    '}',
    '',
  ].join('\n');
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.equal(r.findings.length, 1);
  const f = r.findings[0]!;
  assert.equal(f.ruleId, 'ZDIO020');
  assert.match(f.message, /src_length 196608 \(CLONE_LEN\)/);
  assert.deepEqual([f.range.start.line, f.range.start.column, f.range.end.column], [5, 22, 31], 'on CLONE_LEN in `.src_length = CLONE_LEN`');
  // Rounding CLONE_LEN up would clone more than the program means to: only the suppression, and the advice.
  assert.deepEqual(f.fixes.map((x) => x.title), ['Suppress ZDIO020 here (zfs-dio-ignore)']);
  assert.match(f.manualFix!, /Clone the block-aligned part of the range with FICLONERANGE and copy the rest with copy_file_range/);
});

test('C: comments, strings, macros, declarations, definitions, members and look-alikes are not sites', async () => {
  const { result } = await analyzeFixture('c/not-sites.c');
  assert.deepEqual(result.sites, []);
  assert.deepEqual(result.findings, []);
});

test('C: descriptors, buffers and lengths passed to helper functions of the same file, each call on its own', async () => {
  const { text, result } = await analyzeFixture('c/helpers.c');
  assert.deepEqual(siteKeys(text, result), ['o_direct_io@helper-pwrite', 'o_direct_io@helper-read', 'o_direct_io@mixed-read', 'o_direct_open@open']);
  assert.deepEqual(findingKeys(text, result.findings), [
    'ZDIO001@fill-call', 'ZDIO001@helper-read', 'ZDIO001@mixed-read', 'ZDIO002@fill-call', 'ZDIO002@helper-read',
    'ZDIO002@mixed-read', 'ZDIO003@mixed-call', 'ZDIO004@main-call',
  ]);
  // fill() leaves the descriptor 100 bytes in (its read of 100): mixed()'s read starts there
  assert.match(inFull(findingAt(text, result, 'ZDIO003', 'mixed-call')), /offset 100 is not a multiple of page size 4096/);
  assert.match(findingAt(text, result, 'ZDIO002', 'helper-read').message, /length 100 is not a multiple of page size 4096/);
  // the length the call passes, reported at the call, naming the path and pointing at the pwrite
  const passed = findingAt(text, result, 'ZDIO002', 'fill-call');
  assert.match(inFull(passed), /length 100 is not a multiple .*\(passed to write_block\(\), reaches pwrite\(\)\)$/);
  assert.deepEqual(passed.related?.map((r) => [r.range.start.line + 1, r.message]), [[8, 'pwrite() receives it here']]);
  // the helper's own literal, O_DIRECT only on the call that passes such a descriptor: reported in the helper, naming that call
  const mixed = findingAt(text, result, 'ZDIO002', 'mixed-read');
  assert.match(inFull(mixed), /\(on the O_DIRECT descriptor a call passes to mixed\(\)\)$/);
  assert.deepEqual(mixed.related?.map((r) => [r.range.start.line + 1, r.message]), [[36, 'mixed() is called here with an O_DIRECT descriptor']]);
});

test('C: the clone ioctls spelled with _IOW(0x94, …) are FICLONE sites too', async () => {
  const code = [
    'int f(int s, int d) { return ioctl(d, _IOW(0x94, 9, int), s); }',
    'int g(int s, int d) { struct file_clone_range r = { s, 0, 4096, 0 }; return ioctl(d, _IOW(0x94, 13, struct file_clone_range), &r); }',
    'int h(int fd) { return ioctl(fd, _IOW(0x94, 1, int), 0); }',
    '',
  ].join('\n');
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.sites.map((s) => `${s.kind}@${s.range.start.line}`), ['ficlone@0', 'ficlone@1']);
  assert.deepEqual(r.findings.map((f) => `${f.ruleId}@${f.range.start.line}`), ['ZDIO020@1']);
  assert.match(r.findings[0]!.message, /src_length 4096 is not a multiple/);
});

test('C: every GCC spelling of an aligned array is aligned (__attribute, __aligned__, spaces), an unaligned one is not', async () => {
  const code = [
    '#include <fcntl.h>',
    '#include <unistd.h>',
    'static char a[4096] __attribute((aligned (4096)));',
    'static char b[4096] __attribute__((__aligned__(4096)));',
    'static char c[4096] __attribute__ (( aligned ( 4096 ) ));',
    'static char d[4096];',
    'int f(const char *p) {',
    '  int fd = open(p, O_RDONLY | O_DIRECT);',
    '  pread(fd, a, 4096, 0);',
    '  pread(fd, b, 4096, 0);',
    '  pread(fd, c, 4096, 0);',
    '  return pread(fd, d, 4096, 0);',
    '}',
    '',
  ].join('\n');
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'ZDIO001').map((f) => f.range.start.line + 1), [12], 'only the array without an alignment');
});

test('C: asynchronous I/O on O_DIRECT descriptors: liburing prep calls, libaio io_prep_*, and a hand-filled SQE', async () => {
  const code = [
    '#include <fcntl.h>',
    '#include <liburing.h>',
    '#include <libaio.h>',
    'static char small[512];',
    'static char page[8192] __attribute__((aligned(4096)));',
    'void submit(struct io_uring *ring, struct iocb *cb) {',
    '  int fd = open("f", O_RDWR | O_DIRECT);',
    '  int plain = open("g", O_RDWR);',
    '  struct io_uring_sqe *sqe = io_uring_get_sqe(ring);',
    '  io_uring_prep_read(sqe, fd, small, sizeof(small), 0);',      // 10: ZDIO001 ZDIO002
    '  io_uring_prep_write(sqe, fd, page, 4096, 512);',             // 11: ZDIO003
    '  io_uring_prep_read(sqe, fd, page, 8192, 0);',                // 12: fine
    '  io_uring_prep_read(sqe, plain, small, 1, 0);',               // 13: not O_DIRECT
    '  io_prep_pwrite(cb, fd, small, 100, 0);',                     // 14: ZDIO001 ZDIO002
    '  io_prep_pread(cb, fd, page, 4096, 4096 + 512);',             // 15: ZDIO003
    '  sqe->opcode = IORING_OP_READ;',                              // 16: the site
    '  sqe->fd = fd;',
    '  sqe->addr = (unsigned long)page;',
    '  sqe->len = 1000;',                                           // 19: ZDIO002
    '  sqe->off = 0;',
    '}',
    '',
  ].join('\n');
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.sites.filter((s) => s.kind === 'o_direct_io').map((s) => `${s.range.start.line + 1} ${s.callee}`),
    ['10 io_uring_prep_read', '11 io_uring_prep_write', '12 io_uring_prep_read', '14 io_prep_pwrite', '15 io_prep_pread', '16 IORING_OP_READ']);
  assert.deepEqual(r.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`).sort(),
    ['10 ZDIO001', '10 ZDIO002', '11 ZDIO003', '14 ZDIO001', '14 ZDIO002', '15 ZDIO003', '19 ZDIO002'].sort());
});

test('C: the file position of read/write after open, lseek and earlier I/O is their offset; helpers and branches make it unknown', async () => {
  const code = [
    '#include <fcntl.h>',
    '#include <unistd.h>',
    'static char page[8192] __attribute__((aligned(4096)));',
    'void log_step(int fd);',
    'int f(const char *p, int c) {',
    '  int fd = open(p, O_RDWR | O_DIRECT);',
    '  write(fd, page, 4096);',            // 7: at 0, ZDIO004 (length 4096 < record)
    '  lseek(fd, 1000, SEEK_SET);',
    '  read(fd, page, 4096);',             // 9: at 1000, ZDIO003
    '  lseek(fd, 0, SEEK_SET);',
    '  if (c) read(fd, page, 4096);',      // 11: in a branch, at 0: fine
    '  read(fd, page, 4096);',             // 12: after a read in a branch: unknown, silent
    '  lseek(fd, 8192, SEEK_SET);',
    '  log_step(fd);',
    '  read(fd, page, 4096);',             // 15: after a helper took the descriptor: unknown, silent
    '  return 0;',
    '}',
    'int g(const char *p) {',
    '  int fd = open(p, O_WRONLY | O_APPEND | O_DIRECT);',
    '  return write(fd, page, 4096);',     // 20: appending to a file of unknown size: silent
    '}',
    '',
  ].join('\n');
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`), ['7 ZDIO004', '9 ZDIO003']);
  assert.match(r.findings[1]!.message, /offset 1000 \(the file position\) is not a multiple of page size 4096/);
});

test('C: file-scope state: O_DIRECT flags from any assignment in the file, and globals set once at the top of main', async () => {
  const code = [
    '#include <fcntl.h>',
    '#include <stdlib.h>',
    '#include <unistd.h>',
    'static int openopts = O_WRONLY | O_CREAT | O_DIRECT;',
    'static int o_direct;',
    'static int fd = -1, fd2 = -1;',
    'static char *heap;',
    'static unsigned long tail, twice;',
    'static void put(void) {',
    '  pwrite(fd, heap, 4096, 0);',          // 10: ZDIO001 (heap = malloc in main)
    '  pwrite(fd2, heap, tail, 0);',         // 11: ZDIO001, ZDIO002 (tail = 1000 in main)
    '  pwrite(fd2, heap, twice, 0);',        // 12: ZDIO001 only: written twice, unknown
    '}',
    'int main(int argc, char **argv) {',
    '  if (argc > 2) openopts &= ~O_DIRECT;',
    '  if (argc > 3) o_direct = O_DIRECT;',
    '  heap = malloc(8192);',
    '  tail = 1000;',
    '  twice = 4096;',
    '  if (argc > 1) twice = 100;',
    '  fd = open(argv[1], openopts, 0600);',        // 21: O_DIRECT on some path
    '  fd2 = open(argv[1], O_RDWR | o_direct);',    // 22: O_DIRECT with -Z
    '  put();',
    '  return 0;',
    '}',
    '',
  ].join('\n');
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.sites.map((s) => `${s.range.start.line + 1} ${s.kind}`).sort(),
    ['10 o_direct_io', '11 o_direct_io', '12 o_direct_io', '21 o_direct_open', '22 o_direct_open'].sort());
  assert.deepEqual(r.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`).sort(),
    ['10 ZDIO001', '11 ZDIO001', '11 ZDIO002', '12 ZDIO001'].sort());
});

test('C: LTP-style checked wrappers are read as the calls they check (SAFE_OPEN, SAFE_WRITE, SAFE_PREAD, SAFE_MEMALIGN, tst_syscall)', async () => {
  const code = [
    '#include <fcntl.h>',
    '#include "tst_safe_macros.h"',
    'void run(const char *p, int src, int dst) {',
    '  int fd = SAFE_OPEN(p, O_RDWR | O_DIRECT, 0666);',           // 4: open site
    '  char *page = SAFE_MEMALIGN(getpagesize(), 8192);',
    '  char small[100];',
    '  SAFE_WRITE(SAFE_WRITE_ALL, fd, page, 4096);',                  // 7: fine at position 0 (ZDIO004 info)
    '  SAFE_WRITE(SAFE_WRITE_ALL, fd, small, sizeof(small));',        // 8: ZDIO001 ZDIO002
    '  SAFE_PREAD(1, fd, page, 4096, 512);',                          // 9: ZDIO003
    '  tst_syscall(__NR_copy_file_range, src, NULL, dst, NULL, 1000, 0);', // 10: ZDIO010
    '  int plain = SAFE_OPEN(p, O_RDONLY, 0);',
    '  SAFE_READ(0, plain, small, 1);',                               // not O_DIRECT: no site
    '}',
    '',
  ].join('\n');
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.sites.map((s) => `${s.range.start.line + 1} ${s.kind} ${s.callee}`), [
    '4 o_direct_open SAFE_OPEN', '7 o_direct_io SAFE_WRITE', '8 o_direct_io SAFE_WRITE', '9 o_direct_io SAFE_PREAD',
    '10 copy_file_range tst_syscall(__NR_copy_file_range)',
  ]);
  assert.deepEqual(r.findings.filter((f) => f.severity === 'warning').map((f) => `${f.range.start.line + 1} ${f.ruleId}`),
    ['8 ZDIO001', '8 ZDIO002', '9 ZDIO003', '10 ZDIO010']);
});
