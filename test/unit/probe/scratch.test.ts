// Leftovers of earlier runs, judged and removed by the real runner on real directories: only
// directories that are provably ours (owner, mode 0700, a regular-file marker of ours naming the
// directory's own run id, processes gone) go; every look-alike is kept and named, and nothing
// outside the directory is ever reached, also while another process swaps symbolic links in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMatrix, type MatrixRequest } from '../../../src/core/probe/experiments/run-matrix';
import { realHost } from '../../../src/core/probe/host';
import { MARKER_NAME, processAlive, processStartTicks, scratchPathFor } from '../../../src/core/probe/scratch';

const RUNNER = path.join(process.env.ZFS_DIO_ROOT!, 'src/core/probe/runner/zfs_dio_runner.py');
const TOOL = 'zfs-dio-assistant';
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
/**
 * Cases that need a second user. CI runs as root, so there they always run; in CI without root they fail
 * (a skip there would hide the missing privilege), elsewhere they are skipped and say why.
 */
if (!isRoot && process.env.CI) throw new Error('CI must run the probe tests as root: some cases create files owned by another user');
const needsRoot = isRoot ? {} : { skip: 'needs root to create files owned by another user' };

function deadPid(): number {
  return spawnSync('true').pid!;   // a process that has certainly exited
}

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-scratch-'));
  const work = path.join(dir, 'work');
  const outside = path.join(dir, 'outside');
  mkdirSync(work);
  mkdirSync(outside);
  const zpool = path.join(dir, 'zpool');
  writeFileSync(zpool, '#!/bin/sh\nexit 0\n');
  chmodSync(zpool, 0o755);
  const req: MatrixRequest = {
    host: realHost(), python: 'python3', runnerScript: RUNNER, zpool, pool: 'nopool', recordsize: 16384,
    workDir: work, runId: 'feedfacefeed', experiments: [], timeoutMs: 60000, commandTimeoutMs: 5000,
  };
  return { dir, work, outside, req, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A look-alike of a scratch directory: 0700 by default, with a marker when one is given. */
function plant(work: string, runId: string, marker: Record<string, unknown> | string | null, mode = 0o700): string {
  const dir = scratchPathFor(work, runId);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'cfr-src'), 'data');
  if (marker !== null) writeFileSync(path.join(dir, MARKER_NAME), typeof marker === 'string' ? marker : JSON.stringify(marker));
  chmodSync(dir, mode);
  return dir;
}

function markerOf(runId: string, extra: Record<string, unknown> = {}) {
  const dead = deadPid();
  return { tool: TOOL, runId, pid: dead, pidStart: null, ppid: dead, ppidStart: null, ...extra };
}

test('leftovers: dead, marked and ours are removed; live, unmarked, foreign, symlinked and odd ones are kept and named', async () => {
  const s = setup();
  try {
    const myStart = await processStartTicks(process.pid);
    const stale = plant(s.work, 'aaaaaa000001', markerOf('aaaaaa000001'));
    const live = plant(s.work, 'aaaaaa000002', markerOf('aaaaaa000002', { pid: process.pid, pidStart: myStart }));
    const liveParent = plant(s.work, 'aaaaaa000003', markerOf('aaaaaa000003', { ppid: process.pid, ppidStart: myStart }));
    const reused = plant(s.work, 'aaaaaa000004', markerOf('aaaaaa000004', { pid: process.pid, pidStart: (myStart ?? 0) + 12345 }));
    const unmarked = plant(s.work, 'aaaaaa000005', null);
    const foreign = plant(s.work, 'aaaaaa000006', { ...markerOf('aaaaaa000006'), tool: 'something-else' });
    const notOurName = path.join(s.work, '.zfs-dio-probe-NOTHEX');
    mkdirSync(notOurName);
    writeFileSync(path.join(notOurName, MARKER_NAME), JSON.stringify(markerOf('x')));
    // a symlink named like a scratch directory, to a marked directory elsewhere: never followed
    const victim = path.join(s.outside, 'victim');
    mkdirSync(victim, 0o700);
    writeFileSync(path.join(victim, MARKER_NAME), JSON.stringify(markerOf('aaaaaa000007')));
    writeFileSync(path.join(victim, 'precious'), 'keep me');
    const link = path.join(s.work, '.zfs-dio-probe-aaaaaa000007');
    symlinkSync(victim, link);
    const markerLink = plant(s.work, 'aaaaaa000008', null);
    symlinkSync(path.join(victim, MARKER_NAME), path.join(markerLink, MARKER_NAME));
    const wideMode = plant(s.work, 'aaaaaa000009', markerOf('aaaaaa000009'), 0o755);
    const copiedMarker = plant(s.work, 'aaaaaa00000a', markerOf('bbbbbb00000a'));
    const freshEmpty = plant(s.work, 'aaaaaa00000b', '');
    const oldEmpty = plant(s.work, 'aaaaaa00000c', '');
    const hour = Date.now() / 1000 - 3600;
    utimesSync(path.join(oldEmpty, MARKER_NAME), hour, hour);
    const notDir = path.join(s.work, '.zfs-dio-probe-aaaaaa00000d');
    writeFileSync(notDir, 'a file');

    const out = await runMatrix(s.req);
    assert.deepEqual([...out.leftovers.removed].sort(), [stale, reused, oldEmpty].sort(),
      'dead, the one whose pid was reused, and an interrupted creation (empty marker, an hour old)');
    for (const gone of [stale, reused, oldEmpty]) assert.equal(existsSync(gone), false, gone);
    for (const kept of [live, liveParent, unmarked, foreign, notOurName, link, markerLink, wideMode, copiedMarker, freshEmpty, notDir]) {
      assert.equal(existsSync(kept), true, kept);
    }
    assert.deepEqual(readdirSync(victim).sort(), [MARKER_NAME, 'precious'], 'the symlink target is untouched');
    const reasons = Object.fromEntries(out.leftovers.kept.map((k) => [path.basename(k.path), k.reason]));
    assert.match(reasons['.zfs-dio-probe-aaaaaa000002']!, /^its runner \(pid \d+\) is still running$/);
    assert.match(reasons['.zfs-dio-probe-aaaaaa000003']!, /^its probe \(pid \d+\) is still running$/);
    assert.equal(reasons['.zfs-dio-probe-aaaaaa000005'], 'it has no marker file of this tool');
    assert.equal(reasons['.zfs-dio-probe-aaaaaa000006'], 'it has no marker file of this tool');
    assert.equal(reasons['.zfs-dio-probe-aaaaaa000007'], 'it is a symbolic link');
    assert.equal(reasons['.zfs-dio-probe-aaaaaa000008'], 'its marker is a symbolic link');
    assert.equal(reasons['.zfs-dio-probe-aaaaaa000009'], 'it has mode 0755, not the 0700 of a scratch directory');
    assert.equal(reasons['.zfs-dio-probe-aaaaaa00000a'], 'its marker belongs to another directory');
    assert.match(reasons['.zfs-dio-probe-aaaaaa00000b']!, /^its marker is empty/);
    assert.equal(reasons['.zfs-dio-probe-aaaaaa00000d'], 'it is not a directory');
    assert.equal(reasons['.zfs-dio-probe-NOTHEX'], undefined, 'names outside the pattern are not even considered');
    assert.equal(out.cleanedUp, true);
  } finally {
    s.cleanup();
  }
});

test('leftovers of another user, or with another user\'s marker or content, are left alone and named', needsRoot, async () => {
  const s = setup();
  try {
    const theirs = plant(s.work, 'cccccc000001', markerOf('cccccc000001'));
    chownSync(theirs, NOBODY, NOBODY);
    const theirMarker = plant(s.work, 'cccccc000002', markerOf('cccccc000002'));
    chownSync(path.join(theirMarker, MARKER_NAME), NOBODY, NOBODY);
    const link = path.join(s.work, '.zfs-dio-probe-cccccc000003');
    symlinkSync(s.outside, link);
    lchownSync(link, NOBODY, NOBODY);
    const out = await runMatrix(s.req);
    assert.deepEqual(out.leftovers.removed, []);
    const reasons = Object.fromEntries(out.leftovers.kept.map((k) => [path.basename(k.path), k.reason]));
    assert.equal(reasons['.zfs-dio-probe-cccccc000001'], 'it is owned by uid 65534, not by this user (uid 0)');
    assert.equal(reasons['.zfs-dio-probe-cccccc000002'], 'its marker is owned by uid 65534, not by this user');
    assert.equal(reasons['.zfs-dio-probe-cccccc000003'], 'it is a symbolic link');
    for (const p of [theirs, theirMarker, link]) assert.equal(existsSync(p), true);
  } finally {
    s.cleanup();
  }
});

test('an unprivileged probe next to a forged leftover it cannot delete still runs, and names it', needsRoot, async () => {
  const s = setup();
  try {
    chmodSync(s.dir, 0o755);
    chmodSync(s.work, 0o1777);
    // nobody plants a "leftover" with a valid-looking marker naming a dead process, and a file in it
    const forged = plant(s.work, 'dddddd000001', markerOf('dddddd000001'));
    chownSync(path.join(forged, 'cfr-src'), NOBODY, NOBODY);
    chownSync(path.join(forged, MARKER_NAME), NOBODY, NOBODY);
    chownSync(forged, NOBODY, NOBODY);
    const prober = 1001;
    // Debian's interpreter: one under root's home (pyenv) is not reachable for another user
    const r = spawnSync('setpriv', ['--reuid', String(prober), '--regid', String(prober), '--clear-groups', '/usr/bin/python3', '-I', RUNNER], {
      input: JSON.stringify({ mode: 'run', workDir: s.work, runId: 'dddddd0000ff', pool: 'nopool', recordsize: 16384, zpool: s.req.zpool, plan: [] }),
      encoding: 'utf8', cwd: '/',
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.error, undefined);
    assert.equal(out.cleanedUp, true);
    assert.deepEqual(out.leftovers.kept, [{ path: forged, reason: 'it is owned by uid 65534, not by this user (uid 1001)' }]);
    assert.deepEqual(readdirSync(s.work), [path.basename(forged)]);
  } finally {
    s.cleanup();
  }
});

/**
 * Another process that keeps exchanging each subdirectory of a forged leftover with a symbolic link to
 * a directory outside it (renameat2 RENAME_EXCHANGE in a loop), as an attacker would while root cleans up.
 */
function startSwapper(leftover: string, target: string, subdirs: number): { stop: () => Promise<void> } {
  const script = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
RENAME_EXCHANGE = 2
base = sys.argv[1]; target = sys.argv[2]; n = int(sys.argv[3])
for i in range(n):
    try: os.symlink(target, os.path.join(base, "l%d" % i))
    except OSError: pass
sys.stdout.write("ready\\n"); sys.stdout.flush()
while True:
    for i in range(n):
        a = os.path.join(base, "d%d" % i).encode(); b = os.path.join(base, "l%d" % i).encode()
        libc.renameat2(-100, a, -100, b, RENAME_EXCHANGE)
`;
  const child = spawn('python3', ['-c', script, leftover, target, String(subdirs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return {
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL'); }),
  };
}

test('symbolic links swapped into a leftover while it is removed never lead outside it', async () => {
  const s = setup();
  try {
    const victim = path.join(s.outside, 'victim');
    mkdirSync(victim);
    for (let i = 0; i < 50; i++) writeFileSync(path.join(victim, `file${i}`), 'precious');
    for (let run = 0; run < 4; run++) {
      const runId = `eeeeee00000${run}`;
      const leftover = plant(s.work, runId, markerOf(runId));
      for (let i = 0; i < 20; i++) {
        mkdirSync(path.join(leftover, `d${i}`));
        writeFileSync(path.join(leftover, `d${i}`, 'x'), 'x');
      }
      const swapper = startSwapper(leftover, victim, 20);
      await new Promise((r) => setTimeout(r, 100));
      let out;
      try {
        out = await runMatrix({ ...s.req, runId: `eeeeee0000f${run}` });
      } finally {
        await swapper.stop();
      }
      assert.equal(out.cleanedUp, true);
      const handled = [...out.leftovers.removed, ...out.leftovers.kept.map((k) => k.path)];
      assert.deepEqual(handled, [leftover], 'the leftover was either removed or kept with a reason, never an internal error');
      assert.equal(readdirSync(victim).length, 50, `run ${run}: every file outside the leftover is still there`);
      rmSync(leftover, { recursive: true, force: true });
    }
  } finally {
    s.cleanup();
  }
});

test('a pid reused by another process counts as dead (start time differs)', async () => {
  const start = await processStartTicks(process.pid);
  assert.equal(typeof start, 'number');
  assert.equal(await processAlive(process.pid, start), true);
  assert.equal(await processAlive(process.pid, start! + 1), false);
  assert.equal(await processAlive(deadPid(), null), false);
  assert.equal(await processAlive(0, null), false);
});
