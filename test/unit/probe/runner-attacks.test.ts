// The runner against an attacker who acts at the worst moment, and against a full dataset: the
// moments are made exact by runner-attacks.py, which wraps one os call of the real runner. What is
// asserted is what a user relies on: nothing is written outside the scratch directory, nothing of
// ours is left where it can be found, and every such case is reported clearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runnerPlan } from '../../../src/core/probe/experiments/run-matrix';

const ROOT = process.env.ZFS_DIO_ROOT!;
const RUNNER = path.join(ROOT, 'src/core/probe/runner/zfs_dio_runner.py');
const HARNESS = path.join(ROOT, 'test/unit/probe/runner-attacks.py');
const NAME = '.zfs-dio-probe-abcabcabcabc';
// a copy and a write: files of two phases, written before and during the experiments
const PLAN = JSON.stringify(runnerPlan(['cfr.aligned', 'dio.write.aligned']));

interface Outcome {
  rc: number;
  report: { error?: { code: string; message: string }; cleanedUp?: boolean; cleanupProblem?: string | null; experiments?: unknown[] };
  work: Record<string, string>;
  outside: Record<string, string>;
}

function play(scenario: string): Outcome {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-attack-'));
  try {
    const work = path.join(dir, 'work');
    const outside = path.join(dir, 'outside');
    mkdirSync(work);
    mkdirSync(outside);
    const r = spawnSync('python3', [HARNESS, RUNNER, scenario, work, outside, PLAN], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, `harness failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the scratch directory swapped for a symbolic link right after mkdir: refused, nothing written anywhere', () => {
  const o = play('swap-after-mkdir');
  assert.equal(o.report.error?.code, 'TAMPERED');
  assert.match(o.report.error!.message, new RegExp(`${NAME} was replaced right after it was created .*another user may be tampering with .*nothing was written`));
  assert.equal(o.rc, 3);
  assert.deepEqual(o.outside, {}, 'the link target stays empty');
  assert.deepEqual(o.work, { 'moved-away': 'dir', [NAME]: 'link' }, 'only the attacker\'s rename and link: the moved directory is empty');
});

test('the scratch directory moved away during the run: every file lands in it, is removed, and the leftover is reported', () => {
  const o = play('move-during-run');
  assert.equal(o.report.error, undefined);
  assert.equal(o.report.experiments?.length, 2, 'the experiments ran, in the directory the runner holds open');
  assert.equal(o.report.cleanedUp, false);
  assert.match(o.report.cleanupProblem!, new RegExp(`${NAME} was moved or replaced during the run .*its files were removed .*now at .*moved-away and was left there`));
  assert.deepEqual(o.outside, {}, 'nothing was written through the planted link');
  assert.deepEqual(o.work, { 'moved-away': 'dir', [NAME]: 'link' }, 'the moved directory is empty; the attacker\'s link is left alone');
});

test('a full dataset while writing the marker: a clear NO_SPACE error and no directory left behind', () => {
  const o = play('enospc-marker');
  assert.equal(o.report.error?.code, 'NO_SPACE');
  assert.equal(o.report.error!.message, 'no space left on the dataset (ENOSPC while writing the marker file of the scratch directory); '
    + 'free some space, raise the quota, or probe another dataset');
  assert.deepEqual(o.work, {});
});

test('a quota hit by the experiment files: NO_SPACE, and the scratch directory is removed', () => {
  const o = play('edquot-experiments');
  assert.equal(o.report.error?.code, 'NO_SPACE');
  assert.match(o.report.error!.message, /^no space left on the dataset \(EDQUOT while writing the experiment files\)/);
  assert.equal(o.report.cleanedUp, true);
  assert.deepEqual(o.work, {});
});

test('a cancel that arrives between mkdir and the marker waits until the directory is known, then removes it', () => {
  const o = play('signal-while-creating');
  assert.equal(o.report.error?.code, 'CANCELLED');
  assert.equal(o.report.cleanedUp, true);
  assert.deepEqual(o.work, {});
});
