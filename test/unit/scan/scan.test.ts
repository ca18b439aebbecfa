// scanPaths through its API: the recordsize seam (in-process and across worker threads), a broken
// worker bundle, cancellation, and the walk's per-directory bookkeeping.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanPaths, type ScanResult } from '../../../src/core/analysis/scan';
import type { RecordsizeSource } from '../../../src/core/types';

const ROOT = process.env.ZFS_DIO_ROOT!;
const WORKER = path.join(ROOT, 'dist/scan-worker.js');
const REPRO = readFileSync(path.join(ROOT, 'test/unit/cli/fixtures/repro-16958.c'), 'utf8');

const tempDirs: string[] = [];
after(() => { for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Three datasets' worth of directories, each with `perDir` copies of the reproducer and `cleanPerRepro` clean files per copy. */
function makeTree(perDir: number, cleanPerRepro = 1): string {
  const dir = tempDir('zfs-dio-scan-');
  for (const sub of ['rs64k', 'rs128k', 'rs256k']) {
    mkdirSync(path.join(dir, sub));
    for (let i = 0; i < perDir; i++) {
      writeFileSync(path.join(dir, sub, `repro${i}.c`), REPRO);
      for (let k = 0; k < cleanPerRepro; k++) writeFileSync(path.join(dir, sub, `clean${i}_${k}.c`), `int f${i}(int a) { return a + ${k}; }\n`);
    }
  }
  return dir;
}

/** A fake dataset map, as DatasetRecordsizeCache would answer from `zfs get recordsize`. */
function datasetSource(): RecordsizeSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    recordsizeFor(file: string) {
      calls.push(file);
      if (file.includes(`${path.sep}rs64k${path.sep}`)) return 65536;
      if (file.includes(`${path.sep}rs256k${path.sep}`)) return 262144;
      return undefined;
    },
  };
}

function zdio010Files(result: ScanResult): string[] {
  return result.files.filter((f) => f.findings.some((x) => x.ruleId === 'ZDIO010')).map((f) => path.basename(path.dirname(f.file))).sort();
}

test('recordsize seam: files on a recordsize=64K dataset are judged by 64K, others by the setting (in-process)', async () => {
  const dir = makeTree(2);
  const source = datasetSource();
  const result = await scanPaths([dir], { recordsizeSource: source, jobs: 1 });
  assert.equal(result.stats.workers, 0);
  // 196608 and 262144 are multiples of 65536: no ZDIO010 on the 64K dataset, ZDIO010 on the default 128K and on 256K.
  assert.deepEqual(zdio010Files(result), ['rs128k', 'rs128k', 'rs256k', 'rs256k']);
  assert.equal(result.files.filter((f) => f.sites.length).length, 6, 'all six reproducers still have their site');
  assert.equal(source.calls.length, 3, 'asked once per directory, not once per file');
  const messages = result.files.flatMap((f) => f.findings.filter((x) => x.ruleId === 'ZDIO010').map((x) => `${path.basename(path.dirname(f.file))}: ${x.message}`));
  assert.ok(messages.some((m) => m.startsWith('rs256k:') && m.includes("the dataset's recordsize 262144")), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('rs128k:') && m.includes('recordsize 131072') && !m.includes('dataset')), messages.join('\n'));
});

test('recordsize seam and results are the same through worker threads', async () => {
  const dir = makeTree(40, 4);   // 600 files: above the small-input threshold (512), so the pool is used
  const inProcess = await scanPaths([dir], { recordsizeSource: datasetSource(), jobs: 1 });
  const pooled = await scanPaths([dir], { recordsizeSource: datasetSource(), jobs: 2, workerScript: WORKER });
  assert.equal(pooled.stats.workers, 2, 'the worker bundle was used');
  assert.equal(zdio010Files(pooled).length, 80);
  assert.ok(zdio010Files(pooled).every((d) => d !== 'rs64k'));
  assert.deepEqual(pooled.files, inProcess.files);
  assert.deepEqual(pooled.skipped, inProcess.skipped);
});

test('a worker bundle that cannot start: the scan finishes in-process with the same results', async () => {
  const dir = makeTree(30, 5);   // 540 files
  const broken = path.join(tempDir('zfs-dio-broken-'), 'broken-worker.js');
  writeFileSync(broken, "throw new Error('this worker bundle is broken');\n");
  const expected = await scanPaths([dir], { jobs: 1 });
  const result = await scanPaths([dir], { jobs: 2, workerScript: broken });
  assert.equal(result.stats.workers, 0, 'fell back to the main thread');
  assert.deepEqual(result.files, expected.files);
  assert.deepEqual(result.skipped, []);
});

test('cancellation: an aborted signal stops the scan and says so', async () => {
  const dir = makeTree(5);
  const controller = new AbortController();
  controller.abort();
  const result = await scanPaths([dir], { signal: controller.signal, jobs: 1 });
  assert.equal(result.stats.cancelled, true);
  assert.equal(result.stats.filesParsed, 0);
});

test('file names are written as given: relative stays relative, files keep their spelling', async () => {
  const dir = makeTree(1);
  const prev = process.cwd();
  process.chdir(dir);
  try {
    const result = await scanPaths(['./rs64k/', 'rs128k/repro0.c'], { jobs: 1 });
    assert.deepEqual(result.files.map((f) => f.file), ['rs64k/repro0.c', 'rs128k/repro0.c']);
  } finally {
    process.chdir(prev);
  }
});

test('a file that kills its worker costs only itself: the batch is retried file by file on a new worker', async () => {
  const dir = makeTree(40, 4);   // 600 files, pool mode
  writeFileSync(path.join(dir, 'rs128k', 'zzz-crash-me.c'), REPRO);   // last in walk order: the workers have answered by then
  // A worker that dies whenever its batch holds that file, then behaves exactly like the shipped one.
  const wrapper = path.join(tempDir('zfs-dio-crashy-'), 'crashy-worker.js');
  writeFileSync(wrapper, `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => { if (m.tasks.some((t) => t.file.endsWith('zzz-crash-me.c'))) process.exit(7); });
require(${JSON.stringify(WORKER)});
`);
  const result = await scanPaths([dir], { jobs: 2, workerScript: wrapper });
  assert.equal(result.stats.workers, 2);
  const crashed = result.skipped.filter((s) => s.file.endsWith('zzz-crash-me.c'));
  assert.equal(crashed.length, 1);
  assert.match(crashed[0]!.reason, /analysis crashed its worker \(worker exited with code 7\)/);
  assert.equal(result.skipped.length, 1, 'no other file was lost: ' + JSON.stringify(result.skipped.slice(0, 5)));
  assert.equal(zdio010Files(result).length, 120, 'every other reproducer was analysed (40 per directory, default recordsize)');
});

test('cancellation in the worker pool: the scan stops early and resolves', async () => {
  const dir = makeTree(40, 4);   // 600 files, pool mode
  const controller = new AbortController();
  let progressCalls = 0;
  const result = await scanPaths([dir], { jobs: 2, workerScript: WORKER, signal: controller.signal,
    onProgress: () => { if (++progressCalls === 1) controller.abort(); } });
  assert.equal(result.stats.workers, 2);
  assert.equal(result.stats.cancelled, true);
  assert.ok(result.stats.filesParsed < 120, `stopped before parsing everything (${result.stats.filesParsed} of 120)`);
});

test('cancellation with busy workers: abort() returns at once, the busy workers are stopped', { timeout: 120_000 }, async () => {
  const dir = makeTree(40, 4);   // 600 files, pool mode
  // A worker that never finishes a batch holding a "slow" file: it stands for a file whose analysis takes long.
  for (const sub of ['rs64k', 'rs128k']) writeFileSync(path.join(dir, sub, 'aaa-slow.c'), REPRO);
  const wrapper = path.join(tempDir('zfs-dio-busy-'), 'busy-worker.js');
  writeFileSync(wrapper, `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => { if (m.tasks.some((t) => t.file.endsWith('aaa-slow.c'))) { for (;;) {} } });
require(${JSON.stringify(WORKER)});
`);
  const controller = new AbortController();
  const scan = scanPaths([dir], { jobs: 2, workerScript: wrapper, signal: controller.signal });
  await new Promise((r) => setTimeout(r, 2000));
  controller.abort();
  const abortedAt = performance.now();
  const result = await scan;
  const waitedMs = performance.now() - abortedAt;
  assert.equal(result.stats.cancelled, true);
  // Generous: before, the scan waited for the busy workers forever.
  assert.ok(waitedMs < 30_000, `returned ${Math.round(waitedMs)} ms after abort()`);
});

test('file names: C++ in .icpp, Python scripts known only by their #! line; other extensionless files are not sources', async () => {
  const dir = tempDir('zfs-dio-names-');
  const py = 'import os\nfd = os.open("f", os.O_RDWR | os.O_DIRECT)\nos.pwrite(fd, b"x" * 100, 0)\n';
  writeFileSync(path.join(dir, 'dio-probe'), `#!/usr/bin/env python3\n${py}`);
  writeFileSync(path.join(dir, 'tool'), `#!/usr/bin/python3 -u\n${py}`);
  writeFileSync(path.join(dir, 'run-tests'), `#!/bin/sh\n# os.O_DIRECT mentioned in a shell script\n${py}`);
  writeFileSync(path.join(dir, 'Makefile'), 'all:\n\tcc -DO_DIRECT x.c\n');
  writeFileSync(path.join(dir, 'engine.icpp'), '#include <fcntl.h>\nint f(const char *p) { return ::open(p, O_RDWR | O_DIRECT); }\n');
  const r = await scanPaths([dir], { jobs: 1 });
  assert.deepEqual(r.files.map((f) => [path.basename(f.file), f.language]).sort(), [['dio-probe', 'python'], ['engine.icpp', 'cpp'], ['tool', 'python']]);
  assert.equal(r.stats.filesConsidered, 3, 'the shell script and the Makefile are not source files');
  assert.ok(r.files.find((f) => f.file.endsWith('dio-probe'))!.findings.some((f) => f.ruleId === 'ZDIO002'));
});
