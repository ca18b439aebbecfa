// The scan cache: real trees in a temporary folder, scanned twice by the real scanner (in-process and
// through the worker bundle), with files, headers and settings changed in between.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanPaths, type ScanResult } from '../../../src/core/analysis/scan';
import { formatJson } from '../../../src/cli/formats/json';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

const ROOT = process.env.ZFS_DIO_ROOT!;
const WORKER = path.join(ROOT, 'dist/scan-worker.js');
const REPRO = readFileSync(path.join(ROOT, 'test/unit/cli/fixtures/repro-16958.c'), 'utf8');

const tempDirs: string[] = [];
after(() => { for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });
function project(files: Record<string, string>): { dir: string; cache: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdio-cache-'));
  tempDirs.push(dir);
  mkdirSync(path.join(dir, '.git'));   // the project root, so the workspace is this folder
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  // Outside the tree, so that a scan without the cache sees the same files.
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'zdio-cache-file-'));
  tempDirs.push(cacheDir);
  return { dir, cache: path.join(cacheDir, 'cache.json') };
}

// The file spells no O_DIRECT: its sites and its finding exist only through the header.
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
const SIZES = '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n';

const findings = (r: ScanResult) => r.files.flatMap((f) => f.findings.map((x) => `${path.basename(f.file)}:${x.ruleId}:${x.range.start.line + 1}`)).sort();
const json = (r: ScanResult) => formatJson(r);

test('a second scan of an unchanged tree takes every result from the cache and gives the same output', async () => {
  const { dir, cache } = project({ 'src/repro.c': REPRO, 'src/writer.c': WRITER, 'src/sizes.h': SIZES, 'src/clean.c': 'int f(void) { return 1; }\n' });
  const plain = await scanPaths([dir], { jobs: 1 });
  const cold = await scanPaths([dir], { jobs: 1, cache });
  assert.equal(cold.cache?.state, 'new');
  assert.equal(cold.stats.filesFromCache, 0);
  assert.equal(json(cold), json(plain), 'a scan that fills the cache reports what a scan without one does');
  assert.ok(findings(cold).some((f) => f.startsWith('writer.c:ZDIO002')), findings(cold).join('\n'));

  const warm = await scanPaths([dir], { jobs: 1, cache });
  assert.equal(warm.cache?.state, 'reused');
  assert.equal(warm.stats.filesFromCache, warm.stats.filesConsidered);
  assert.equal(warm.stats.filesConsidered, 4);
  assert.equal(json(warm), json(cold), 'byte for byte the same JSON');

  // Proof that the warm results were read from the file, not recomputed: a result edited in the cache shows.
  const stored = JSON.parse(readFileSync(cache, 'utf8'));
  const entry = stored.entries[path.join(dir, 'src/repro.c')];
  entry.outcome.file.findings[0].message = 'taken from the cache';
  writeFileSync(cache, JSON.stringify(stored));
  const again = await scanPaths([dir], { jobs: 1, cache });
  assert.ok(again.files.some((f) => f.findings.some((x) => x.message === 'taken from the cache')));
});

test('a changed file is analysed again, and only that file', async () => {
  const { dir, cache } = project({ 'a.c': REPRO, 'b.c': REPRO, 'c.c': 'int f(void) { return 1; }\n' });
  await scanPaths([dir], { jobs: 1, cache });
  // Same size and modification time as before: only the change time and the text tell.
  const file = path.join(dir, 'b.c');
  const before = statSync(file);
  writeFileSync(file, REPRO.replace(/copy_file_range/g, 'copy_file_rangX'));
  utimesSync(file, before.atime, before.mtime);
  const warm = await scanPaths([dir], { jobs: 1, cache });
  assert.equal(warm.cache?.state, 'reused');
  assert.equal(warm.stats.filesFromCache, 2);
  assert.deepEqual(warm.files.map((f) => path.basename(f.file)), ['a.c'], 'b.c no longer calls copy_file_range');
  assert.equal(json(warm), json(await scanPaths([dir], { jobs: 1 })));
});

test('a header that changes, or appears where an include found none, is seen by the files that include it', async () => {
  const { dir, cache } = project({ 'src/writer.c': WRITER, 'src/other.c': REPRO });
  const missing = await scanPaths([dir], { jobs: 1, cache });
  assert.deepEqual(findings(missing).filter((f) => f.startsWith('writer.c')), [], 'no header: nothing to say of writer.c');

  writeFileSync(path.join(dir, 'src/sizes.h'), SIZES);
  const appeared = await scanPaths([dir], { jobs: 1, cache });
  assert.equal(appeared.cache?.state, 'stale', 'the include that found nothing now finds a file');
  assert.equal(appeared.stats.filesFromCache, 0);
  assert.ok(findings(appeared).includes('writer.c:ZDIO002:7'), findings(appeared).join('\n'));

  writeFileSync(path.join(dir, 'src/sizes.h'), SIZES.replace('6000', '8192'));
  const changed = await scanPaths([dir], { jobs: 1, cache });
  assert.equal(changed.cache?.state, 'stale');
  assert.ok(!findings(changed).includes('writer.c:ZDIO002:7'), '8192 is a multiple of the page size');
  assert.equal(json(changed), json(await scanPaths([dir], { jobs: 1 })));
});

test('other settings never reuse a result; the same file under another name does, reported under that name', async () => {
  const { dir, cache } = project({ 'a.c': REPRO });
  const first = await scanPaths([dir], { jobs: 1, cache });
  const other = await scanPaths([dir], { jobs: 1, cache, settings: { ...DEFAULT_SETTINGS, recordsize: 1 << 20 } });
  assert.equal(other.cache?.state, 'new', 'a different recordsize keys a different cache');
  assert.notEqual(json(other), json(first));
  // The same file reached through a relative path: its result is reused, under the name given this time
  // (the places a finding names in other files are absolute, so nothing else depends on the name).
  const cwd = process.cwd();
  process.chdir(path.dirname(dir));
  try {
    const relative = await scanPaths([path.basename(dir)], { jobs: 1, cache, settings: { ...DEFAULT_SETTINGS, recordsize: 1 << 20 } });
    assert.equal(relative.stats.filesFromCache, 1);
    assert.deepEqual(relative.files.map((f) => f.file), [path.join(path.basename(dir), 'a.c')]);
    assert.deepEqual(relative.files.map((f) => f.findings), other.files.map((f) => f.findings));
  } finally {
    process.chdir(cwd);
  }
});

test('the cache file inside the scanned tree is not one of its files', async () => {
  const { dir } = project({ 'a.c': REPRO });
  const cache = path.join(dir, '.zfs-dio-cache');
  const cold = await scanPaths([dir], { jobs: 1, cache });
  const warm = await scanPaths([dir], { jobs: 1, cache });
  assert.equal(warm.stats.filesFromCache, 1);
  assert.equal(json(warm), json(cold));
});

test('a corrupt cache is ignored, and a link planted at its path is replaced, not followed', async () => {
  const { dir, cache } = project({ 'a.c': REPRO });
  writeFileSync(cache, '{"format": 1, "key": ');
  const r = await scanPaths([dir], { jobs: 1, cache });
  assert.equal(r.cache?.state, 'new');
  assert.equal(r.cache?.problem, undefined);
  assert.equal(r.files.length, 1);

  const victim = path.join(dir, 'victim.txt');
  writeFileSync(victim, 'keep me');
  rmSync(cache);
  symlinkSync(victim, cache);
  const linked = await scanPaths([dir], { jobs: 1, cache });
  assert.equal(linked.cache?.problem, undefined);
  assert.equal(readFileSync(victim, 'utf8'), 'keep me');
  assert.ok(!statSync(cache, { throwIfNoEntry: false })?.isSymbolicLink());
  assert.equal(JSON.parse(readFileSync(cache, 'utf8')).format, 2);
});

test('a cache that cannot be written is a problem of the result, not a failed scan', async () => {
  const { dir } = project({ 'a.c': REPRO });
  const r = await scanPaths([dir], { jobs: 1, cache: path.join(dir, 'no-such-dir', 'cache') });
  assert.equal(r.files.length, 1);
  assert.match(r.cache?.problem ?? '', /could not write the scan cache .*no-such-dir/);
});

test('through worker threads: the reads of every worker key the cache', async () => {
  const files: Record<string, string> = { 'inc/sizes.h': SIZES };
  for (let i = 0; i < 560; i++) files[`inc/w${i}.c`] = i % 40 === 0 ? WRITER : `int f${i}(int a) { return a + ${i}; }\n`;
  const { dir, cache } = project(files);
  const cold = await scanPaths([dir], { jobs: 2, workerScript: WORKER, cache });
  assert.equal(cold.stats.workers, 2, 'the worker bundle was used');
  assert.equal(cold.files.length, 14);
  const warm = await scanPaths([dir], { jobs: 2, workerScript: WORKER, cache });
  assert.equal(warm.stats.filesFromCache, 561, 'the 560 sources and the header');
  assert.equal(warm.stats.workers, 0, 'nothing left to parse: no worker is started');
  assert.deepEqual([warm.files, warm.skipped, warm.notes], [cold.files, cold.skipped, cold.notes]);
  writeFileSync(path.join(dir, 'inc/sizes.h'), SIZES.replace('6000', '8192'));
  const changed = await scanPaths([dir], { jobs: 2, workerScript: WORKER, cache });
  assert.equal(changed.cache?.state, 'stale', 'the header a worker read was recorded');
  assert.ok(changed.files.every((f) => !f.findings.some((x) => x.ruleId === 'ZDIO002')), 'no length of 6000 is left');
  assert.ok(cold.files.some((f) => f.findings.some((x) => x.ruleId === 'ZDIO002')));
});
