// Values a C helper gets from two places at once: a length capped by another parameter
// (`min(count, buffer_size)`), and a global that a helper main calls sets from its own parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

const program = (readers: string, mainSteps: string) => `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#define min(a, b) ((a) < (b) ? (a) : (b))
static char buf[1 << 20] __attribute__((aligned(4096)));
static size_t bufsize;
static int setup(size_t n) { bufsize = n; return 0; }
static ssize_t do_pread(int fd, off_t offset, long long count, size_t buffer_size) {
\treturn pread(fd, buf, min((size_t)count, buffer_size), offset);
}
${readers}
int main(int argc, char **argv) {
\tint fd = open(argv[1], O_RDONLY | O_DIRECT);
${mainSteps}
\treturn 0;
}
`;

/** `rule line` of each finding, lines 1-based. */
async function findings(readers: string, mainSteps: string): Promise<string[]> {
  const r = await analyzeText(program(readers, mainSteps), 'c', DEFAULT_SETTINGS, { fileName: '/x/state.c' });
  return r.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1} length=${f.derived.length ?? '-'}`);
}

const READER = 'static int read_at(int fd, off_t offset, long long count) {\n\treturn do_pread(fd, offset, count, bufsize) < 0;\n}';

test('a length capped by another parameter takes both from each call', async () => {
  // lines: main's steps start at line 14 (16 after a three-line reader)
  assert.deepEqual(await findings('', '\tdo_pread(fd, 0, 1000, 131072);'), ['ZDIO002 14 length=1000']);
  // the cap is the smaller one: 1,000,000 capped at 131072 is a whole number of pages
  assert.deepEqual(await findings('', '\tdo_pread(fd, 0, 1000000, 131072);'), []);
  assert.deepEqual(await findings('', '\tdo_pread(fd, 0, 1000000, 1000);'), ['ZDIO002 14 length=1000']);
  // a cap no one knows leaves the length unknown
  assert.deepEqual(await findings('', '\tdo_pread(fd, 0, 1000, (size_t)argc * 4096);'), []);
  // through a reader that passes its own count on: the cap is the reader's argument
  const relay = 'static int read_n(int fd, long long count) {\n\treturn do_pread(fd, 0, count, 131072) < 0;\n}';
  assert.deepEqual(await findings(relay, '\tread_n(fd, 1000);\n\tread_n(fd, 1 << 20);'), ['ZDIO002 16 length=1000']);
});

test('a global that a helper main calls sets from its parameter has that value in the functions main calls after it', async () => {
  // setup() first: read_at sees bufsize = 131072, so min(1000, 131072) is 1000
  assert.deepEqual(await findings(READER, '\tsetup(131072);\n\tread_at(fd, 0, 1000);\n\tread_at(fd, 0, 1 << 20);'), ['ZDIO002 17 length=1000']);
  // the setter after other work of main, in an if's condition (not the first thing main does)
  assert.deepEqual(await findings(READER, '\tif (fd < 0)\n\t\treturn 1;\n\tif (setup(131072) < 0)\n\t\treturn 1;\n\tread_at(fd, 0, 1000);'), ['ZDIO002 20 length=1000']);
});

test('a reader that may run before the setter, a setter called twice or on a branch: the global is unknown', async () => {
  assert.deepEqual(await findings(READER, '\tread_at(fd, 0, 1000);\n\tif (fd < 0)\n\t\treturn 1;\n\tsetup(131072);\n\tread_at(fd, 0, 1000);'), []);
  assert.deepEqual(await findings(READER, '\tsetup(131072);\n\tsetup(512);\n\tread_at(fd, 0, 1000);'), []);
  assert.deepEqual(await findings(READER, '\tif (argc > 2)\n\t\tsetup(131072);\n\tread_at(fd, 0, 1000);'), []);
  // the helper writes the global only on one of its branches
  const branchy = program(READER, '\tsetup(131072);\n\tread_at(fd, 0, 1000);').replace('{ bufsize = n; return 0; }', '{ if (n > 4096) bufsize = n; return 0; }');
  const r = await analyzeText(branchy, 'c', DEFAULT_SETTINGS, { fileName: '/x/state.c' });
  assert.deepEqual(r.findings.map((f) => f.ruleId), []);
});

const table = (opens: string, reader = 'static ssize_t put(unsigned id, size_t n) {\n\treturn pwrite(files[id], buf, n, 0);\n}') => `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
static char buf[1 << 20] __attribute__((aligned(4096)));
static int files[4];
static int open_all(const char *name, int extra) {
${opens}
\treturn 0;
}
${reader}
int main(int argc, char **argv) {
\topen_all(argv[1], argc > 2 ? O_DIRECT : 0);
\tput(1, 1000);
\treturn 0;
}
`;

test('a file-scope table of descriptors filled by a loop of O_DIRECT opens: an element read by any index is O_DIRECT', async () => {
  const loop = '\tfor (int i = 0; i < 4; i++)\n\t\tfiles[i] = open(name, O_RDWR | extra, 0644);';
  const r = await analyzeText(table(loop), 'c', DEFAULT_SETTINGS, { fileName: '/x/table.c' });
  assert.deepEqual(r.sites.map((s) => `${s.kind}@${s.range.start.line + 1}`).sort(), ['o_direct_io@12', 'o_direct_open@8']);
  assert.deepEqual(r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), ['ZDIO002@16']);
  // one of the elements opened without O_DIRECT: no one answer for an element
  const mixed = `${loop}\n\tfiles[0] = open(name, O_RDONLY);`;
  const m = await analyzeText(table(mixed), 'c', DEFAULT_SETTINGS, { fileName: '/x/table.c' });
  assert.deepEqual(m.sites.filter((s) => s.kind === 'o_direct_io'), []);
  // a local array of the same name in the reader is not the table
  const local = 'static ssize_t put(unsigned id, size_t n) {\n\tint files[4] = { 0 };\n\treturn pwrite(files[id], buf, n, 0);\n}';
  const l = await analyzeText(table(loop, local), 'c', DEFAULT_SETTINGS, { fileName: '/x/table.c' });
  assert.deepEqual(l.sites.filter((s) => s.kind === 'o_direct_io'), []);
  // opens without O_DIRECT anywhere: nothing
  const plain = await analyzeText(table('\tfor (int i = 0; i < 4; i++)\n\t\tfiles[i] = open(name, O_RDWR, 0644);'), 'c', DEFAULT_SETTINGS, { fileName: '/x/table.c' });
  assert.deepEqual(plain.sites, []);
});

const clearing = (condition: string, calls: string) => `#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#define COPY_BLOCK 65536
static ssize_t write_block(int fd, const char *buf, size_t size, int flags) {
\tif (${condition}) {
\t\tint old = fcntl(fd, F_GETFL);
\t\tif (old < 0 || fcntl(fd, F_SETFL, old & ~O_DIRECT) != 0)
\t\t\treturn -1;
\t}
\treturn write(fd, buf, size);
}
int main(int argc, char **argv) {
\tstatic char page[1 << 20] __attribute__((aligned(4096)));
\tint fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
${calls}
\treturn 0;
}
`;

test('O_DIRECT cleared with F_SETFL only when a parameter says so: each call decides whether its write is O_DIRECT', async () => {
  const calls = '\twrite_block(fd, page, COPY_BLOCK, O_DIRECT);\n\twrite_block(fd, page, 1000, O_DIRECT);';
  const r = await analyzeText(clearing('(flags & O_DIRECT) && size < COPY_BLOCK', calls), 'c', DEFAULT_SETTINGS, { fileName: '/x/tail.c' });
  assert.deepEqual(r.sites.map((s) => `${s.kind}@${s.range.start.line + 1}`).sort(), ['o_direct_io@11', 'o_direct_open@15']);
  // the whole block is O_DIRECT (a partial record at 0); the short tail is written buffered: no ZDIO002
  assert.deepEqual(r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), ['ZDIO004@16']);
  // a call whose size nobody knows: the quiet site (a global descriptor) says what decides
  const global = clearing('size < COPY_BLOCK', '\tofd = open(argv[1], O_WRONLY | O_DIRECT);\n\twrite_block(0, page, (size_t)argc * 4096, 0);')
    .replace('static ssize_t write_block(int fd,', 'static int ofd = -1;\nstatic ssize_t write_block(int unused,').replace(/\(fd, F_/g, '(ofd, F_').replace('return write(fd,', 'return write(ofd,');
  const g = await analyzeText(global, 'c', DEFAULT_SETTINGS, { fileName: '/x/tail.c' });
  const site = g.sites.find((s) => s.kind === 'o_direct_io');
  assert.match(site?.unknowns?.find((u) => u.value === 'descriptor')?.reason ?? '', /^O_DIRECT is cleared before this call when `size < COPY_BLOCK`: each call of `write_block\(\)` decides, with its own `size`$/);
  // the comparison the other way round
  const flipped = await analyzeText(clearing('COPY_BLOCK > size', '\twrite_block(fd, page, 1000, 0);'), 'c', DEFAULT_SETTINGS, { fileName: '/x/tail.c' });
  assert.deepEqual(flipped.findings, []);
});

test('a clear on a condition no call decides, or on every path, leaves the write without O_DIRECT findings', async () => {
  const tail = '\twrite_block(fd, page, 1000, 0);';
  // `argc` is no parameter of the helper: nobody knows when it clears
  const undecided = clearing('size < COPY_BLOCK && getpid() > 1', tail);
  assert.deepEqual((await analyzeText(undecided, 'c', DEFAULT_SETTINGS, { fileName: '/x/tail.c' })).findings, []);
  // cleared on every path: a buffered write, no site
  const always = clearing('1', tail).replace('\tif (1) {', '\t{');
  const r = await analyzeText(always, 'c', DEFAULT_SETTINGS, { fileName: '/x/tail.c' });
  assert.deepEqual(r.sites.filter((s) => s.kind === 'o_direct_io'), []);
  assert.deepEqual(r.findings, []);
});

test('a parameter the setter assigns before it writes the global is not the call\'s argument there', async () => {
  const code = program(READER, '\tsetup(131072);\n\tread_at(fd, 0, 1 << 20);').replace('{ bufsize = n; return 0; }', '{ n = n + 1000; bufsize = n; return 0; }');
  const r = await analyzeText(code, 'c', DEFAULT_SETTINGS, { fileName: '/x/state.c' });
  // bufsize is 132072, not 131072: the length min(1 << 20, bufsize) is not taken for a page multiple
  const site = r.sites.find((s) => s.kind === 'o_direct_io');
  assert.ok(site?.unknowns?.some((u) => u.value === 'length'), JSON.stringify(site?.unknowns));
});
