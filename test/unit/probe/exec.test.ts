// The exec wrapper with real processes: timeouts, cancellation, exit codes, missing binaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { getEventListeners } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { execCommand, resolveBinary } from '../../../src/core/probe/exec';
import { ProbeError } from '../../../src/core/probe/errors';

const isCode = (code: string) => (e: unknown) => e instanceof ProbeError && e.code === code;

test('arguments are passed as an array: spaces, quotes and newlines arrive intact', async () => {
  const weird = ["it's here", 'a "b"', 'x\ny', '$(id)', '-n'];
  const r = await execCommand(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...weird], { timeoutMs: 10000 });
  assert.equal(r.exitCode, 0);
  assert.deepEqual(JSON.parse(r.stdout), weird);
});

test('a non-zero exit is returned, not thrown, with stderr', async () => {
  const r = await execCommand('sh', ['-c', 'echo out; echo "bad thing" >&2; exit 3'], { timeoutMs: 10000 });
  assert.deepEqual([r.exitCode, r.stdout, r.stderr.trim()], [3, 'out\n', 'bad thing']);
});

test('stdin input and streamed stderr lines', async () => {
  const lines: string[] = [];
  const r = await execCommand('sh', ['-c', 'cat; echo one >&2; echo two >&2'], { timeoutMs: 10000, input: 'hello', onStderrLine: (l) => lines.push(l) });
  assert.equal(r.stdout, 'hello');
  assert.deepEqual(lines, ['one', 'two']);
});

test('a hung command is stopped at the timeout and reported as TIMEOUT', async () => {
  const t0 = Date.now();
  await assert.rejects(execCommand('sleep', ['30'], { timeoutMs: 300, label: '`sleep`' }), (e: unknown) =>
    isCode('TIMEOUT')(e) && /`sleep` did not finish within 0\.3 s/.test((e as Error).message));
  assert.ok(Date.now() - t0 < 5000, 'returns promptly');
});

test('a command that ignores SIGTERM is killed after the grace period', async () => {
  const t0 = Date.now();
  await assert.rejects(execCommand('sh', ['-c', 'trap "" TERM; sleep 30 & wait; sleep 30'], { timeoutMs: 300, killGraceMs: 500 }), isCode('TIMEOUT'));
  assert.ok(Date.now() - t0 < 8000, `took ${Date.now() - t0} ms`);
});

test('cancellation through an AbortSignal gives CANCELLED and runs onExit', async () => {
  const ac = new AbortController();
  let exited = false;
  const p = execCommand('sleep', ['30'], { timeoutMs: 60000, signal: ac.signal, onExit: () => { exited = true; } });
  setTimeout(() => ac.abort(), 200);
  await assert.rejects(p, isCode('CANCELLED'));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(exited, true);
});

test('sequential commands sharing one AbortSignal do not accumulate abort listeners', async () => {
  const ac = new AbortController();
  const before = getEventListeners(ac.signal, 'abort').length;
  for (let i = 0; i < 15; i++) await execCommand('true', [], { timeoutMs: 5000, signal: ac.signal });
  assert.equal(getEventListeners(ac.signal, 'abort').length, before);
});

test('an already aborted signal does not start the command', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(execCommand('sh', ['-c', 'exit 0'], { timeoutMs: 1000, signal: ac.signal }), isCode('CANCELLED'));
});

test('a binary that cannot be executed is PERMISSION; a vanished one RUNNER_FAILED', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-exec-'));
  try {
    const f = path.join(dir, 'not-executable');
    writeFileSync(f, '#!/bin/sh\nexit 0\n');
    chmodSync(f, 0o644);
    await assert.rejects(execCommand(f, [], { timeoutMs: 2000 }), isCode('PERMISSION'));
    await assert.rejects(execCommand(path.join(dir, 'missing'), [], { timeoutMs: 2000 }), isCode('RUNNER_FAILED'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolveBinary: explicit path, env override, PATH, and a NO_ZFS message listing the places looked at', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-bin-'));
  try {
    const fake = path.join(dir, 'zfs');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
    assert.equal(await resolveBinary('zfs', fake, {}), fake);
    assert.equal(await resolveBinary('zfs', undefined, { ZFS_DIO_ZFS: fake }), fake);
    assert.equal(await resolveBinary('zfs', undefined, { PATH: dir }), fake);
    const emptyDir = path.join(dir, 'empty');
    await assert.rejects(resolveBinary('zfs', path.join(dir, 'nope'), {}), (e: unknown) =>
      isCode('NO_ZFS')(e) && /the configured path ".*nope" is not an executable file; is OpenZFS installed\?/.test((e as Error).message));
    // the sbin fallback directories are searched after PATH (Debian users lack /usr/sbin in PATH)
    const sbin = path.join(dir, 'sbin');
    mkdirSync(sbin);
    writeFileSync(path.join(sbin, 'zfs'), '#!/bin/sh\n');
    chmodSync(path.join(sbin, 'zfs'), 0o755);
    assert.equal(await resolveBinary('zfs', undefined, { PATH: emptyDir }, [sbin]), path.join(sbin, 'zfs'));
    await assert.rejects(resolveBinary('zfs', undefined, { PATH: `${emptyDir}:relative/dir` }, ['/nonexistent-sbin']), (e: unknown) =>
      isCode('NO_ZFS')(e) && (e as ProbeError).message === `the \`zfs\` command was not found in PATH (looked for ${emptyDir}/zfs, /nonexistent-sbin/zfs); is OpenZFS installed?`
      && (e as ProbeError).article === 'media/articles/how-direct-io-works.md');
    await assert.rejects(resolveBinary('python3', path.join(dir, 'nope'), {}), (e: unknown) =>
      isCode('RUNNER_FAILED')(e) && /needs Python 3/.test((e as Error).message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
