// The C/C++ header index: real files in a temporary project, resolved and read by the real
// WorkspaceIndex, analysed with real parses; and `zfs-dio scan` of the same projects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { WorkspaceIndex, projectRootOf } from '../../../src/core/analysis/workspace';
import { includesOf, readHeader, MAX_HEADERS } from '../../../src/core/analysis/workspace/c-headers';
import { compileCommandsProblem, splitCommand } from '../../../src/core/analysis/workspace/compile-commands';
import { DiskFileReader } from '../../../src/core/analysis/workspace/files';
import { DEFAULT_SETTINGS, type Language } from '../../../src/core/types';

const CLI = path.join(process.env.ZFS_DIO_ROOT!, 'dist/cli.js');

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdio-headers-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function analyzeIn(dir: string, rel: string, opts: { compileCommands?: string; language?: Language } = {}) {
  const workspace = new WorkspaceIndex({ roots: [dir], snapshot: true, ...(opts.compileCommands ? { compileCommands: opts.compileCommands } : {}) });
  const fileName = path.join(dir, rel);
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(fileName, 'utf8');
  return analyzeText(text, opts.language ?? (rel.endsWith('.c') ? 'c' : 'cpp'), DEFAULT_SETTINGS, { fileName, workspace });
}

const rules = (r: { findings: { ruleId: string; range: { start: { line: number } } }[] }) =>
  r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).sort();

const WRITER = `#include <fcntl.h>
#include <unistd.h>
#include "sizes.h"
int main(void) {
  int fd = open("f", DIO_FLAGS);
  static char buf[RECORD] __attribute__((aligned(4096)));
  write(fd, buf, RECORD);
  return 0;
}
`;

test('a macro from a quoted header next to the file gives the flags and the length their values', async (t) => {
  const dir = project({
    'src/writer.c': WRITER,
    'src/sizes.h': '#pragma once\n/* record size of the log */\n#define RECORD \\\n  (6000)\n#define DIO_FLAGS (O_WRONLY | O_DIRECT) // direct\n',
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await analyzeIn(dir, 'src/writer.c');
  assert.deepEqual(r.sites.map((s) => s.kind).sort(), ['o_direct_io', 'o_direct_open'],
    'the file spells no O_DIRECT: the header macro makes the open O_DIRECT and the write a site');
  assert.deepEqual(rules(r), ['ZDIO002@7']);
  const msg = r.findings[0]!.message;
  assert.match(msg, /RECORD/);
  assert.match(msg, /6000/);
  assert.deepEqual(r.findings[0]!.fixes.map((f) => f.title), ['Suppress ZDIO002 here (zfs-dio-ignore)'],
    'no fix rounds a value that a header defines: only the suppression comment is offered');
  assert.deepEqual(r.workspaceFiles, [path.join(dir, 'src/sizes.h')]);
});

test('headers in the project\'s include/ folders, included through other headers; function-like macros', async (t) => {
  const dir = project({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'include/suite.h': '#include "sizes.h"\n#include <kb.h>\n',
    'include/sizes.h': '#define DIO_FLAGS O_RDWR|O_DIRECT\n#define RECORD KB(3)\n',
    'include/kb.h': '#define KB(n) ((n) * 1024)\n',
    'tests/dio/writer.c': WRITER.replace('"sizes.h"', '"suite.h"'),
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await analyzeIn(dir, 'tests/dio/writer.c');
  assert.deepEqual(rules(r), ['ZDIO002@7'], 'KB(3) = 3072 from a header two includes away');
  assert.match(r.findings[0]!.message, /3072/);
  assert.equal(projectRootOf(path.join(dir, 'tests/dio'), () => true, (p) => p === path.join(dir, '.git')), dir);
});

test('the file\'s own definitions win; headers that disagree leave the value unknown', async (t) => {
  const dir = project({
    'own.c': '#define RECORD 131072\n' + WRITER,
    'sizes.h': '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n',
    'twice.c': WRITER.replace('"sizes.h"', '"a.h"\n#include "b.h"'),
    'a.h': '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n',
    'b.h': '#ifdef BIG\n#define RECORD 131072\n#endif\n',
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(rules(await analyzeIn(dir, 'own.c')), [], 'RECORD is 131072 in the file: aligned');
  const twice = await analyzeIn(dir, 'twice.c');
  assert.equal(twice.sites.length, 2);
  assert.deepEqual(rules(twice), [], 'RECORD is 6000 or 131072 by #if: unknown, so silent');
});

test('compile_commands.json: -I and -D find the headers and values; a header it does not name is not searched', async (t) => {
  const dir = project({
    'src/writer.c': WRITER,
    'third/include/sizes.h': '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n',
    'src/dflag.c': WRITER.replace('#include "sizes.h"\n', '').replace(/RECORD/g, 'LOGREC').replace('DIO_FLAGS', 'O_WRONLY | O_DIRECT'),
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual((await analyzeIn(dir, 'src/writer.c')).sites, [], 'without the database the header is not found: no O_DIRECT at all');
  writeFileSync(path.join(dir, 'build.json'), JSON.stringify([
    { directory: path.join(dir, 'src'), file: 'writer.c', command: 'cc -c -I ../third/include -DUNUSED writer.c' },
    { directory: path.join(dir, 'src'), file: 'dflag.c', arguments: ['cc', '-c', '-DLOGREC=512', 'dflag.c'] },
  ]));
  const r = await analyzeIn(dir, 'src/writer.c', { compileCommands: path.join(dir, 'build.json') });
  assert.deepEqual(rules(r), ['ZDIO002@7']);
  const d = await analyzeIn(dir, 'src/dflag.c', { compileCommands: path.join(dir, 'build.json') });
  assert.deepEqual(rules(d), ['ZDIO002@6'], '-DLOGREC=512 is the length');
  // the default place: compile_commands.json at the top of the project
  writeFileSync(path.join(dir, 'compile_commands.json'), JSON.stringify([
    { directory: path.join(dir, 'src'), file: 'writer.c', command: 'cc -c -I../third/include writer.c' },
  ]));
  assert.deepEqual(rules(await analyzeIn(dir, 'src/writer.c')), ['ZDIO002@7']);
});

test('system headers are not read, a header cycle ends, a FIFO or a huge header is never read', async (t) => {
  const dir = project({
    'cycle.c': WRITER.replace('"sizes.h"', '"a.h"'),
    'a.h': '#include "b.h"\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n',
    'b.h': '#include "a.h"\n#define RECORD 6000\n',
    'huge.c': WRITER.replace('"sizes.h"', '"huge.h"'),
    'huge.h': '#define RECORD 6000\n' + '/* padding */\n'.repeat(90_000),
    'fifo.c': WRITER.replace('"sizes.h"', '"pipe.h"'),
  });
  assert.equal(spawnSync('mkfifo', [path.join(dir, 'pipe.h')]).status, 0, 'mkfifo worked');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(rules(await analyzeIn(dir, 'cycle.c')), ['ZDIO002@7']);
  assert.deepEqual((await analyzeIn(dir, 'huge.c')).sites, [], 'a header over 1 MiB is not read');
  assert.deepEqual((await analyzeIn(dir, 'fifo.c')).sites, [], 'a FIFO is not a header');
  const sys = await analyzeIn(dir, 'cycle.c');
  assert.ok(!sys.workspaceFiles!.some((f) => f.startsWith('/usr/')), '<fcntl.h> and <unistd.h> are not read');
});

test('a closure is bounded in depth and in number of headers', async (t) => {
  const files: Record<string, string> = {
    'chain.c': WRITER.replace('"sizes.h"', '"h0.h"'),
    'wide.c': WRITER.replace('"sizes.h"', '"all.h"'),
    'all.h': Array.from({ length: MAX_HEADERS + 50 }, (_, i) => `#include "w${i}.h"\n`).join(''),
  };
  for (let i = 0; i < 40; i++) files[`h${i}.h`] = `#include "h${i + 1}.h"\n`;
  files['h40.h'] = '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n';
  for (let i = 0; i < MAX_HEADERS + 50; i++) files[`w${i}.h`] = `#define W${i} ${i}\n`;
  files[`w${MAX_HEADERS + 49}.h`] = '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n';
  const dir = project(files);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const workspace = new WorkspaceIndex({ roots: [dir], snapshot: true });
  const chain = workspace.contextFor(path.join(dir, 'chain.c'), 'c', files['chain.c']!)!;
  assert.equal(chain.files.length, 16, 'sixteen levels of includes');
  assert.equal(chain.mentionsSites, false, 'the definitions beyond the bound are not seen');
  const wide = workspace.contextFor(path.join(dir, 'wide.c'), 'c', files['wide.c']!)!;
  assert.equal(wide.files.length, MAX_HEADERS);
  assert.equal(wide.mentionsSites, false);
  assert.deepEqual((await analyzeIn(dir, 'chain.c')).sites, []);
  assert.deepEqual((await analyzeIn(dir, 'wide.c')).sites, []);
});

test('an edit to a header changes the context key and the result; the reader forgets what it was told changed', async (t) => {
  const dir = project({ 'writer.c': WRITER, 'sizes.h': '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const workspace = new WorkspaceIndex({ roots: [dir] }, new DiskFileReader(false));
  const fileName = path.join(dir, 'writer.c');
  const first = workspace.contextFor(fileName, 'c', WRITER)!;
  assert.equal(first.mentionsSites, true);
  const before = await analyzeText(WRITER, 'c', DEFAULT_SETTINGS, { fileName, workspace });
  assert.deepEqual(rules(before), ['ZDIO002@7']);
  writeFileSync(path.join(dir, 'sizes.h'), '#define RECORD 131072\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n');
  workspace.filesChanged([path.join(dir, 'sizes.h')]);
  const second = workspace.contextFor(fileName, 'c', WRITER)!;
  assert.notEqual(second.key, first.key);
  assert.deepEqual(rules(await analyzeText(WRITER, 'c', DEFAULT_SETTINGS, { fileName, workspace })), []);
});

test('include lines, header definitions and command lines are read as the compiler would', () => {
  assert.deepEqual(includesOf('#include "a.h"\n  #  include <b/c.h>\n// #include "no.h" is a comment\nx = include;\n#include_next <d.h>\n'),
    [[true, 'a.h'], [false, 'b/c.h'], [false, 'd.h']]);
  const h = readHeader('#define A 1 /* one */\n#define B \\\n  (A + 1)\n#define S "a // b"\n#define F(x, y) ((x) + (y))\n#if X\n#define C 1\n#else\n#define C 2\n#endif\n');
  assert.equal(h.objects.get('A'), '1');
  assert.equal(h.objects.get('B'), '(A + 1)');
  assert.equal(h.objects.get('S'), '"a // b"', 'a // inside a string is not a comment');
  assert.deepEqual(h.functions.get('F'), { params: ['x', 'y'], body: '((x) + (y))' });
  assert.equal(h.objects.get('C'), null, 'two different definitions: ambiguous');
  assert.deepEqual(splitCommand(`cc -I "dir with space" -DX='"s"' a\\ b.c`), ['cc', '-I', 'dir with space', '-DX="s"', 'a b.c']);
  assert.equal(compileCommandsProblem('[{"file":"a.c","command":"cc a.c"}]'), undefined);
  assert.match(compileCommandsProblem('{}')!, /array/);
  assert.match(compileCommandsProblem('[{"file":"a.c"}]')!, /entry 1/);
  assert.match(compileCommandsProblem('nope')!, /not JSON/);
});

test('zfs-dio scan: a project\'s headers count; --compile-commands names a database, a broken one is a usage error', (t) => {
  const dir = project({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'src/writer.c': WRITER,
    'src/sizes.h': '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n',
    'bad.json': '{"not": "a list"}',
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const scan = (...args: string[]) => spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json', '--recordsize', '131072'], { cwd: dir, encoding: 'utf8' });
  const r = scan('src/writer.c');
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}@${f.line}`), ['ZDIO002@7']);
  const bad = scan('src', '--compile-commands', 'bad.json');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--compile-commands bad\.json: not a JSON array/);
  const missing = scan('src', '--compile-commands', 'none.json');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file/);
  symlinkSync('/dev/null', path.join(dir, 'null.json'));
  assert.equal(scan('src', '--compile-commands', 'null.json').status, 2);
});
