// The real Python runner in a real process on a temporary directory (not ZFS: the errno values
// depend on the filesystem, so only the protocol, the marker and the cleanup are asserted here;
// the ZFS behaviour is asserted by the VM suite, npm run test:zfs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanupRun, runMatrix, type MatrixRequest } from '../../../src/core/probe/experiments/run-matrix';
import { EXPERIMENT_IDS } from '../../../src/core/probe/experiments/catalog';
import { realHost } from '../../../src/core/probe/host';
import { ProbeError } from '../../../src/core/probe/errors';
import { MARKER_NAME } from '../../../src/core/probe/scratch';

const RUNNER = path.join(process.env.ZFS_DIO_ROOT!, 'src/core/probe/runner/zfs_dio_runner.py');

function setup(zpoolScript: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-runner-'));
  const work = path.join(dir, 'work');
  mkdirSync(work);
  const zpool = path.join(dir, 'zpool');
  writeFileSync(zpool, `#!/bin/sh\n${zpoolScript}\n`);
  chmodSync(zpool, 0o755);
  const req: MatrixRequest = {
    host: realHost(), python: 'python3', runnerScript: RUNNER, zpool, pool: 'nopool', recordsize: 16384,
    workDir: work, runId: 'abcdef012345', timeoutMs: 60000, commandTimeoutMs: 5000,
  };
  return { dir, work, req, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a full run: every experiment reported, data verified, scratch directory gone', async () => {
  const s = setup('exit 0');
  try {
    const progress: string[] = [];
    const out = await runMatrix({ ...s.req, onProgress: (p) => progress.push(p.step) });
    assert.deepEqual(out.experiments.map((e) => e.id), [...EXPERIMENT_IDS]);
    for (const e of out.experiments) {
      if (e.result === 'ok') {
        assert.equal(typeof e.bytes, 'number');
        assert.notEqual(e.dataOk, false, `${e.id} content verified`);
      } else {
        assert.match(e.errno ?? '', /^E[A-Z]+$/, `${e.id}: errno name`);
      }
      assert.equal(e.cloned, null, 'no bclonesaved on this fake pool');
    }
    // the calls made, in bytes (recordsize 16384, page 4096), as the catalog declares them
    const made = Object.fromEntries(out.experiments.map((e) => {
      const p = e.params!;
      const call = 'bufferOffset' in p ? [p.bufferOffset, p.length, p.offset]
        : p.wholeFile ? ['whole file', p.freshSource] : [p.length, p.srcOffset, p.dstOffset, p.oDirect ?? 'clone'];
      return [e.id, call];
    }));
    assert.deepEqual(made, {
      'cfr.aligned': [32768, 16384, 0, false], 'cfr.page': [65536, 4096, 8192, false], 'cfr.misaligned': [16385, 1000, 0, false],
      'cfr.odirect.aligned': [32768, 0, 0, true], 'cfr.odirect.page': [65536, 4096, 8192, true], 'cfr.odirect.misaligned': [16385, 1000, 0, true],
      'ficlone.aligned': ['whole file', false], 'ficlone.misaligned': [65536, 4096, 8192, 'clone'], 'ficlone.fresh': ['whole file', true],
      'dio.read.aligned': [0, 16384, 16384], 'dio.read.buf': [1, 16384, 16384], 'dio.read.len': [0, 4097, 16384], 'dio.read.off': [0, 16384, 16896],
      'dio.write.aligned': [0, 16384, 16384], 'dio.write.buf': [1, 16384, 32768], 'dio.write.len': [0, 4097, 49152], 'dio.write.off': [0, 16384, 66048],
    });
    assert.equal(out.pageSize, 4096);
    assert.equal(out.cleanedUp, true);
    assert.equal(out.syncMethod, 'zpool sync');
    assert.ok(progress.includes('dio.write.off'));
    assert.deepEqual(readdirSync(s.work), [], 'nothing left in the dataset directory');
  } finally {
    s.cleanup();
  }
});

test('a subset of experiments, and an empty subset runs nothing', async () => {
  const s = setup('exit 0');
  try {
    const some = await runMatrix({ ...s.req, experiments: ['dio.read.aligned', 'cfr.misaligned'] });
    assert.deepEqual(some.experiments.map((e) => e.id), ['cfr.misaligned', 'dio.read.aligned']);
    const none = await runMatrix({ ...s.req, runId: 'abcdef0123ff', experiments: [] });
    assert.deepEqual(none.experiments, []);
  } finally {
    s.cleanup();
  }
});

test('cancel mid-run: CANCELLED, and the scratch directory is removed', async () => {
  const s = setup('[ "$1" = sync ] && sleep 3; exit 0');
  try {
    const ac = new AbortController();
    let sawScratch = false;
    await assert.rejects(runMatrix({
      ...s.req, signal: ac.signal,
      onProgress: (p) => {
        if (p.step.startsWith('scratch ')) {
          sawScratch = existsSync(path.join(s.work, '.zfs-dio-probe-abcdef012345', MARKER_NAME));
          setTimeout(() => ac.abort(), 300);
        }
      },
    }), (e: unknown) => e instanceof ProbeError && e.code === 'CANCELLED');
    assert.equal(sawScratch, true, 'the marker exists as soon as the runner reports its scratch directory');
    assert.deepEqual(readdirSync(s.work), []);
  } finally {
    s.cleanup();
  }
});

test('runner timeout: TIMEOUT, and the scratch directory is removed', async () => {
  const s = setup('[ "$1" = sync ] && sleep 10; exit 0');
  try {
    const t0 = Date.now();
    await assert.rejects(runMatrix({ ...s.req, timeoutMs: 1500 }), (e: unknown) =>
      e instanceof ProbeError && e.code === 'TIMEOUT' && /experiment runner did not finish within 1\.5 s/.test(e.message));
    assert.ok(Date.now() - t0 < 15000);
    assert.deepEqual(readdirSync(s.work), []);
  } finally {
    s.cleanup();
  }
});

test('runner killed with SIGKILL: RUNNER_FAILED, and the TypeScript side removes the scratch directory', async () => {
  const s = setup('[ "$1" = sync ] && sleep 10; exit 0');
  try {
    await assert.rejects(runMatrix({
      ...s.req,
      onProgress: (p) => {
        if (!p.step.startsWith('scratch ')) return;
        const marker = JSON.parse(readFileSync(path.join(s.work, '.zfs-dio-probe-abcdef012345', MARKER_NAME), 'utf8'));
        setTimeout(() => process.kill(marker.pid, 'SIGKILL'), 200);
      },
    }), (e: unknown) => e instanceof ProbeError && e.code === 'RUNNER_FAILED' && /SIGKILL/.test(e.message));
    assert.deepEqual(readdirSync(s.work), []);
  } finally {
    s.cleanup();
  }
});

test('an existing scratch path is refused, never reused', async () => {
  const s = setup('exit 0');
  try {
    mkdirSync(path.join(s.work, '.zfs-dio-probe-abcdef012345'));
    await assert.rejects(runMatrix(s.req), (e: unknown) => e instanceof ProbeError && e.code === 'BAD_INPUT' && /already exists/.test(e.message));
    assert.deepEqual(readdirSync(s.work), ['.zfs-dio-probe-abcdef012345'], 'a directory the runner did not create is left alone');
  } finally {
    s.cleanup();
  }
});

test('zpool gets `--` before the pool name, so a name can never be taken for an option', async () => {
  const s = setup('echo "$@" >> "$(dirname "$0")/zpool-args"; exit 0');
  try {
    await runMatrix({ ...s.req, experiments: ['cfr.aligned'] });
    const calls = readFileSync(path.join(s.dir, 'zpool-args'), 'utf8').trim().split('\n');
    assert.ok(calls.includes('sync -- nopool'), calls.join(' | '));
    assert.ok(calls.includes('get -Hp -o value bcloneused,bclonesaved -- nopool'), calls.join(' | '));
    assert.ok(calls.every((c) => c.endsWith('-- nopool')), calls.join(' | '));
  } finally {
    s.cleanup();
  }
});

test('a symbolic link anywhere in the scratch parent is refused (TAMPERED), and nothing is written through it', async () => {
  const s = setup('exit 0');
  try {
    const elsewhere = path.join(s.dir, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(s.dir, 'link'));
    await assert.rejects(runMatrix({ ...s.req, workDir: path.join(s.dir, 'link') }), (e: unknown) =>
      e instanceof ProbeError && e.code === 'TAMPERED' && e.message.includes(`${path.join(s.dir, 'link')} changed while the probe ran`)
      && e.leftBehind === undefined);
    mkdirSync(path.join(elsewhere, 'sub'));
    await assert.rejects(runMatrix({ ...s.req, workDir: path.join(s.dir, 'link', 'sub') }), (e: unknown) =>
      e instanceof ProbeError && e.code === 'TAMPERED');
    assert.deepEqual(readdirSync(elsewhere), ['sub']);
    assert.deepEqual(readdirSync(path.join(elsewhere, 'sub')), []);
  } finally {
    s.cleanup();
  }
});

test('cleanup mode removes a killed run\'s directory even without a marker, and leaves anything not ours alone', async () => {
  const s = setup('exit 0');
  try {
    const mine = path.join(s.work, '.zfs-dio-probe-abcdef012345');
    mkdirSync(mine, 0o700);   // a runner killed between mkdir and the marker leaves this
    assert.deepEqual(await cleanupRun(s.req), { removed: true, problem: null });
    assert.deepEqual(readdirSync(s.work), []);
    mkdirSync(mine, 0o755);   // not made by the runner (it uses 0700): not ours, nothing of ours is left
    assert.deepEqual(await cleanupRun(s.req), { removed: true, problem: null });
    assert.deepEqual(readdirSync(s.work), ['.zfs-dio-probe-abcdef012345']);
    rmdirSync(mine);
    symlinkSync(s.dir, mine);
    assert.deepEqual(await cleanupRun(s.req), { removed: true, problem: null });
    assert.equal(lstatSync(mine).isSymbolicLink(), true);
    assert.ok(existsSync(path.join(s.dir, 'zpool')), 'the link target is untouched');
  } finally {
    s.cleanup();
  }
});
