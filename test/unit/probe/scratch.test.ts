// Leftover cleanup on real directories: only marked directories of dead processes go, symlinks
// are never followed, unmarked look-alikes stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  MARKER_NAME, TOOL_NAME, processAlive, processStartTicks, readMarker, removeLeftovers, removeScratch, scratchPathFor,
} from '../../../src/core/probe/scratch';

function deadPid(): number {
  // a process that has certainly exited: run one and wait for it
  return spawnSync('true').pid!;
}

function makeScratch(root: string, runId: string, marker: Record<string, unknown> | null): string {
  const dir = scratchPathFor(root, runId);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'cfr-src'), 'data');
  if (marker) writeFileSync(path.join(dir, MARKER_NAME), JSON.stringify(marker));
  return dir;
}

test('removes marked leftovers of dead processes, keeps live, unmarked, foreign and symlinked ones', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-scratch-'));
  const outside = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-outside-'));
  try {
    const dead = deadPid();
    const myStart = await processStartTicks(process.pid);
    const stale = makeScratch(root, 'aaaaaa000001', { tool: TOOL_NAME, runId: 'aaaaaa000001', pid: dead, pidStart: null, ppid: dead, ppidStart: null });
    const live = makeScratch(root, 'aaaaaa000002', { tool: TOOL_NAME, runId: 'aaaaaa000002', pid: process.pid, pidStart: myStart, ppid: dead, ppidStart: null });
    const liveParent = makeScratch(root, 'aaaaaa000003', { tool: TOOL_NAME, runId: 'aaaaaa000003', pid: dead, pidStart: null, ppid: process.pid, ppidStart: myStart });
    const reused = makeScratch(root, 'aaaaaa000004', { tool: TOOL_NAME, runId: 'aaaaaa000004', pid: process.pid, pidStart: (myStart ?? 0) + 12345, ppid: dead, ppidStart: null });
    const unmarked = makeScratch(root, 'aaaaaa000005', null);
    const foreign = makeScratch(root, 'aaaaaa000006', { tool: 'something-else', runId: 'aaaaaa000006', pid: dead });
    const notOurName = path.join(root, '.zfs-dio-probe-NOTHEX');
    mkdirSync(notOurName);
    writeFileSync(path.join(notOurName, MARKER_NAME), JSON.stringify({ tool: TOOL_NAME, runId: 'x', pid: dead }));
    // a symlink named like a scratch dir, pointing at a marked directory elsewhere: never followed
    const target = path.join(outside, 'victim');
    mkdirSync(target);
    writeFileSync(path.join(target, MARKER_NAME), JSON.stringify({ tool: TOOL_NAME, runId: 'aaaaaa000007', pid: dead }));
    writeFileSync(path.join(target, 'precious'), 'keep me');
    const link = path.join(root, '.zfs-dio-probe-aaaaaa000007');
    symlinkSync(target, link);
    // a marker that is a symlink to a valid-looking marker elsewhere: not trusted
    const markerLinkDir = makeScratch(root, 'aaaaaa000008', null);
    symlinkSync(path.join(target, MARKER_NAME), path.join(markerLinkDir, MARKER_NAME));

    const scan = await removeLeftovers(root);
    assert.deepEqual([...scan.removed].sort(), [stale, reused].sort(), 'dead, and the one whose pid was reused');
    assert.equal(existsSync(stale), false);
    for (const kept of [live, liveParent, unmarked, foreign, notOurName, link, markerLinkDir]) {
      assert.equal(existsSync(kept), true, kept);
    }
    assert.equal(existsSync(path.join(target, 'precious')), true, 'the symlink target is untouched');
    const reasons = Object.fromEntries(scan.kept.map((k) => [path.basename(k.path), k.reason]));
    assert.match(reasons['.zfs-dio-probe-aaaaaa000002']!, /still running/);
    assert.match(reasons['.zfs-dio-probe-aaaaaa000003']!, /probe \(pid \d+\) is still running/);
    assert.equal(reasons['.zfs-dio-probe-aaaaaa000005'], 'no marker file of this tool');
    assert.equal(reasons['.zfs-dio-probe-aaaaaa000007'], 'a symlink');
    assert.equal(reasons['.zfs-dio-probe-aaaaaa000008'], 'no marker file of this tool');
    assert.equal(reasons['.zfs-dio-probe-NOTHEX'], undefined, 'names outside the pattern are not even considered');
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
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

test('removeScratch removes only its own run (marker run id), nothing unmarked', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-scratch-'));
  try {
    const mine = makeScratch(root, 'bbbbbb000001', { tool: TOOL_NAME, runId: 'bbbbbb000001', pid: process.pid });
    assert.equal(await removeScratch(mine, 'bbbbbb000001'), true);
    assert.equal(existsSync(mine), false);
    const other = makeScratch(root, 'bbbbbb000002', { tool: TOOL_NAME, runId: 'cccccc000000', pid: process.pid });
    assert.equal(await removeScratch(other, 'bbbbbb000002'), false);
    assert.equal(existsSync(other), true);
    const empty = scratchPathFor(root, 'bbbbbb000003');
    mkdirSync(empty);
    assert.equal(await removeScratch(empty, 'bbbbbb000003'), false, 'no marker, not ours: even an empty directory stays');
    const unmarked = makeScratch(root, 'bbbbbb000004', null);
    assert.equal(await removeScratch(unmarked, 'bbbbbb000004'), false, 'not empty and not marked: kept');
    assert.equal(await removeScratch(path.join(root, 'gone'), 'x'), true);
    assert.equal((await readMarker(other))?.runId, 'cccccc000000');
    assert.deepEqual(readdirSync(root).sort(), ['.zfs-dio-probe-bbbbbb000002', '.zfs-dio-probe-bbbbbb000003', '.zfs-dio-probe-bbbbbb000004']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
