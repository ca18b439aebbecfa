// A file that breaks the parser's wasm runtime costs only itself: the files after it are analysed by a
// fresh runtime (a worker thread) or reported as not analysed, never silently counted, and the exit
// code says the scan is incomplete. The abort is real: the runtime's memory is clamped (see
// test/support/clamp-wasm-memory.cjs) so that a 3 MB file exhausts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = process.env.ZFS_DIO_ROOT!;
const CLI = path.join(ROOT, 'dist/cli.js');
const CLAMP = path.join(ROOT, 'test/support/clamp-wasm-memory.cjs');
const SMALL = '#include <unistd.h>\nvoid copy_it(void) { copy_file_range(0, 0, 1, 0, 12345, 0); }\n';

function tree() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-runtime-'));
  // about 1.5 million nodes: far more than a 64 MiB runtime holds, nothing for an unclamped one
  writeFileSync(path.join(dir, 'a-huge.c'), `int table[] = {${Array(1_500_000).fill('1').join(',')}};\n${SMALL}`);
  writeFileSync(path.join(dir, 'b-small.c'), SMALL);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function scan(cli: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', ...args], {
    cwd, encoding: 'utf8', timeout: 120000, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: `--require ${CLAMP}`, ZFS_DIO_ROOT: ROOT },
  });
  return { code: r.status, out: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

test('in the main thread: the file after the one that aborted the runtime is analysed by a worker; exit 3', () => {
  const t = tree();
  try {
    const r = scan(CLI, ['--jobs', '1', 'a-huge.c', 'b-small.c'], t.dir);
    assert.equal(r.code, 3, r.stderr);
    assert.deepEqual(r.out.skipped.map((s: { file: string }) => s.file), ['a-huge.c']);
    assert.match(r.out.skipped[0].reason, /Aborted/);
    assert.deepEqual([...new Set(r.out.findings.map((f: { file: string }) => f.file))], ['b-small.c'], 'the small file is still checked');
    assert.equal(r.out.stats.filesParsed, 1, 'the aborted file is not counted as parsed');
  } finally {
    t.cleanup();
  }
});

test('without a worker to hand over to, every later file is reported as not analysed', () => {
  const t = tree();
  try {
    // the CLI bundle alone, without scan-worker.js next to it (grammars come from ZFS_DIO_ROOT)
    const lone = path.join(t.dir, 'bin');
    mkdirSync(lone);
    copyFileSync(CLI, path.join(lone, 'cli.js'));
    const r = scan(path.join(lone, 'cli.js'), ['--jobs', '1', 'a-huge.c', 'b-small.c'], t.dir);
    assert.equal(r.code, 3, r.stderr);
    const reasons = Object.fromEntries(r.out.skipped.map((s: { file: string; reason: string }) => [s.file, s.reason]));
    assert.match(reasons['a-huge.c'], /Aborted/);
    assert.match(reasons['b-small.c'], /^not analysed: /);
    assert.equal(r.out.findings.length, 0);
    assert.equal(r.out.stats.filesParsed, 0);
  } finally {
    t.cleanup();
  }
});

test('in the worker pool: the worker whose runtime aborted is replaced and every other file is analysed', () => {
  const t = tree();
  try {
    for (let i = 0; i < 600; i++) writeFileSync(path.join(t.dir, `c${i}.c`), SMALL);
    const r = scan(CLI, ['--jobs', '2', '.'], t.dir);
    assert.equal(r.code, 3, r.stderr);
    assert.deepEqual(r.out.skipped.map((s: { file: string }) => s.file), ['a-huge.c']);
    assert.equal(r.out.stats.filesParsed, 601, 'b-small.c and the 600 others');
    assert.equal(new Set(r.out.findings.map((f: { file: string }) => f.file)).size, 601);
  } finally {
    t.cleanup();
  }
});
