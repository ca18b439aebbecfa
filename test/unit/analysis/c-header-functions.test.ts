// C functions across files: a helper defined in a header (`static inline`) runs in every file that
// includes it and calls it, so its sites are seen from those calls (the finding at the caller's
// argument), and the header's own analysis learns from its includers what its parameters carry (the
// reverse include index). Real files in a temporary project, the real WorkspaceIndex, real parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { WorkspaceIndex } from '../../../src/core/analysis/workspace';
import type { HeaderDefinitions } from '../../../src/core/analysis/workspace/c-headers';
import { DiskFileReader } from '../../../src/core/analysis/workspace/files';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { findingKeys } from './rust-go-python-helpers';
import { analyzeIn, checkInProject, makeProject, siteLines } from './workspace-helpers';
import { inFull } from '../../support/told';

const lineOf = (text: string, marker: string): number => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

test('c: open flags that are a parameter carry the O_DIRECT a call passes; each call decides its own findings', async (t) => {
  const text = `#include <fcntl.h>
#include <unistd.h>
static char buf[8192] __attribute__((aligned(4096)));
static void put(const char *path, int flags, size_t n)
{
	int fd = open(path, flags, 0666); // => o_direct_open open
	write(fd, buf, n); // => o_direct_io write
	close(fd);
}
int main(void)
{
	put("a", O_WRONLY | O_DIRECT, 100); // => | ZDIO002
	put("b", O_WRONLY, 200); // a buffered call: no finding
	put("c", O_WRONLY | O_DIRECT, 131072);
	return 0;
}
`;
  const p = makeProject({ 'one.c': text });
  t.after(() => p.remove());
  const r = await checkInProject(p, 'one.c', 'c', text);
  assert.match(inFull(r.findings[0]!), /length 100 .*passed to put\(\), reaches write\(\)/);
});

test('c: flags a caller only passes on are judged at the caller\'s own calls', async (t) => {
  const text = `#include <fcntl.h>
#include <unistd.h>
static char buf[8192] __attribute__((aligned(4096)));
static void put(const char *path, int flags, size_t n)
{
	int fd = open(path, flags, 0666); // => o_direct_open open
	write(fd, buf, n); // => o_direct_io write
}
static void wrap(const char *path, int flags) { put(path, flags, 100); }
static void wrap_direct(const char *path, int flags) { put(path, flags, 200); } // => | ZDIO002
int main(void)
{
	put("a", O_WRONLY | O_DIRECT, 131072);
	wrap("b", O_WRONLY); // buffered: the 100 wrap passes is no O_DIRECT write
	wrap_direct("c", O_WRONLY | O_DIRECT); // makes the 200 an O_DIRECT write's length
	return 0;
}
`;
  const p = makeProject({ 'chain.c': text });
  t.after(() => p.remove());
  const r = await checkInProject(p, 'chain.c', 'c', text);
  assert.match(inFull(r.findings[0]!), /length 200 .*wrap_direct\(\) → put\(\), reaches write\(\)/);
});

test('c: flags of a helper that no call gives O_DIRECT open nothing; a helper returning its descriptor does not take every caller\'s flags', async (t) => {
  const text = `#include <fcntl.h>
#include <unistd.h>
static char buf[8192] __attribute__((aligned(4096)));
static void put(const char *path, int flags, size_t n)
{
	int fd = open(path, flags, 0666);
	write(fd, buf, n);
}
static int open_it(const char *path, int flags) { return open(path, flags); }
int main(void)
{
	int a = open_it("a", O_RDONLY | O_DIRECT);
	int b = open_it("b", O_RDONLY);
	put("b", O_WRONLY, 100);
	read(b, buf, 100); // a buffered descriptor: no site
	return a + b;
}
`;
  const p = makeProject({ 'two.c': text });
  t.after(() => p.remove());
  const r = await analyzeIn(p, 'two.c', 'c', text);
  assert.deepEqual(siteLines(r), [`${lineOf(text, 'return open(path, flags)')} o_direct_open open`]);
  assert.deepEqual(r.findings, []);
});

const HELPERS = `#ifndef HELPERS_H
#define HELPERS_H
#include <fcntl.h>
#include <unistd.h>
static char block[1 << 20] __attribute__((aligned(4096)));
/* Appends n bytes through a descriptor opened with the caller's flags. */
static inline void append(const char *path, int flags, size_t n)
{
	int fd = open(path, flags | O_WRONLY, 0666); // => o_direct_open open
	write(fd, block, n); // => o_direct_io write
	close(fd);
}
static inline int plain_size(void) { return 4096; }
#endif
`;

const MAIN = `#include "helpers.h"
#include "sizes.h"
int main(void)
{
	append("log", O_DIRECT | O_CREAT, RECORD); // => | ZDIO002
	append("copy", O_CREAT, 100); // buffered: no finding
	append("big", O_DIRECT, 1 << 17);
	return 0;
}
`;

test('c: a header\'s helper is judged at the calls of the file that includes it, with the path into the header', async (t) => {
  const p = makeProject({ 'src/helpers.h': HELPERS, 'src/sizes.h': '#define RECORD 6000\n', 'src/main.c': MAIN, 'src/other.c': '#include "helpers.h"\nint f(void) { return plain_size(); }\n' });
  t.after(() => p.remove());
  const r = await checkInProject(p, 'src/main.c', 'c', MAIN);
  const f = r.findings[0]!;
  assert.match(inFull(f), /length 6000 .*passed to append\(\), reaches write\(\) in helpers\.h/);
  const header = path.join(p.dir, 'src/helpers.h');
  assert.deepEqual(f.related?.map((x) => `${x.file ? path.basename(x.file) : '-'}:${x.range.start.line + 1}`), [`helpers.h:${lineOf(HELPERS, 'write(fd, block, n)')}`],
    'the related place is the write in the header, on the header\'s own line');
  assert.deepEqual(f.fixes.map((x) => x.title), ['Suppress ZDIO002 here (zfs-dio-ignore)'], 'RECORD is a header\'s: no fix edits it');
  assert.ok(r.workspaceFiles?.includes(header));
});

test('c: a header\'s own analysis takes its includers\' calls: its helper\'s open and write are sites, its findings are the includers\'', async (t) => {
  const p = makeProject({ 'src/helpers.h': HELPERS, 'src/sizes.h': '#define RECORD 6000\n', 'src/main.c': MAIN, 'tests/t.c': '#include "../src/helpers.h"\nint g(void) { return plain_size(); }\n' });
  t.after(() => p.remove());
  const r = await checkInProject(p, 'src/helpers.h', 'c', HELPERS);
  assert.deepEqual(r.workspaceFiles, [path.join(p.dir, 'src/main.c')], 'the includer that calls the helper is read; one that calls another function of the header is not');
  // without an includer that passes O_DIRECT, the header opens nothing
  const alone = makeProject({ 'helpers.h': HELPERS, 'main.c': MAIN.replace(/O_DIRECT \| /g, '').replace('O_DIRECT', '0') });
  t.after(() => alone.remove());
  assert.deepEqual(siteLines(await analyzeIn(alone, 'helpers.h', 'c', HELPERS)), []);
});

test('c: a file whose headers define no function it calls gets no unit; an edited header is read again', async (t) => {
  const p = makeProject({ 'src/helpers.h': HELPERS, 'src/sizes.h': '#define RECORD 6000\n', 'src/main.c': MAIN });
  t.after(() => p.remove());
  const workspace = new WorkspaceIndex({ roots: [p.dir] }, new DiskFileReader(false));
  const main = path.join(p.dir, 'src/main.c');
  const noCall = '#include "helpers.h"\n#include "sizes.h"\nint x = RECORD;\n';
  const plain = workspace.contextFor(path.join(p.dir, 'src/plain.c'), 'c', noCall)!.value as HeaderDefinitions;
  assert.deepEqual(plain.definingHeaders, [], 'the file calls none of the header\'s functions: analysed alone, as before');
  const before = await analyzeText(MAIN, 'c', DEFAULT_SETTINGS, { fileName: main, workspace });
  assert.deepEqual(findingKeys(before), [`${lineOf(MAIN, 'RECORD); //')} ZDIO002`]);
  // the helper now rounds the length up to a page itself: 8192 bytes, no longer misaligned, only short of a record
  p.write('src/helpers.h', HELPERS.replace('write(fd, block, n);', 'write(fd, block, (n + 4095) & ~4095UL);'));
  workspace.filesChanged([path.join(p.dir, 'src/helpers.h')]);
  const after = await analyzeText(MAIN, 'c', DEFAULT_SETTINGS, { fileName: main, workspace });
  assert.deepEqual(findingKeys(after), [`${lineOf(MAIN, 'RECORD); //')} ZDIO004`]);
  assert.match(after.findings[0]!.message, /length 8192/);
});

test('c: in the editor, a header is analysed again with the includers as they are now: one that changed, one that appeared', async (t) => {
  const buffered = MAIN.replace(/O_DIRECT \| /g, '').replace('O_DIRECT', '0');
  const p = makeProject({ 'src/helpers.h': HELPERS, 'src/sizes.h': '#define RECORD 6000\n', 'src/main.c': buffered });
  t.after(() => p.remove());
  const workspace = new WorkspaceIndex({ roots: [p.dir] }, new DiskFileReader(false));
  const header = path.join(p.dir, 'src/helpers.h');
  const sites = async () => siteLines(await analyzeText(HELPERS, 'c', DEFAULT_SETTINGS, { fileName: header, workspace }));
  assert.deepEqual(await sites(), [], 'no includer passes O_DIRECT');
  p.write('src/main.c', MAIN);
  workspace.filesChanged([path.join(p.dir, 'src/main.c')]);
  assert.equal((await sites()).length, 2, 'the includer now passes O_DIRECT');
  p.write('src/main.c', buffered);
  workspace.filesChanged([path.join(p.dir, 'src/main.c')]);
  assert.deepEqual(await sites(), []);
  p.write('tools/direct.c', '#include "../src/helpers.h"\nint main(void) { append("x", O_DIRECT, 4096); return 0; }\n');
  workspace.filesChanged([path.join(p.dir, 'tools/direct.c')]);
  assert.equal((await sites()).length, 2, 'a new file that includes the header and passes O_DIRECT');
  const r = await analyzeText(HELPERS, 'c', DEFAULT_SETTINGS, { fileName: header, workspace });
  assert.deepEqual(r.workspaceFiles, [path.join(p.dir, 'src/main.c'), path.join(p.dir, 'tools/direct.c')].sort());
});

test('c: a file that spells no O_DIRECT itself reads through a descriptor a header\'s helper opens with it', async (t) => {
  const main = `#include <stdlib.h>
#include "direct.h"
int main(void)
{
	int fd = open_direct("log");
	char *buf = malloc(4096);
	read(fd, buf, 4096); // => o_direct_io read | ZDIO001
	return 0;
}
`;
  const p = makeProject({
    'direct.h': '#include <fcntl.h>\n#include <unistd.h>\nstatic inline int open_direct(const char *path) { return open(path, O_RDONLY | O_DIRECT); }\n',
    'main.c': main,
  });
  t.after(() => p.remove());
  await checkInProject(p, 'main.c', 'c', main);
});
