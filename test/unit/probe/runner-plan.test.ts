// The runner is told every experiment by the plan that run-matrix.ts builds from the catalog: these
// tests hold the catalog to what the plan needs (phases run once each, a file written once) and the
// runner to having no experiment of its own, and show that it refuses a plan it cannot perform safely.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXPERIMENT_IDS, EXPERIMENTS, RUNNER_PHASES } from '../../../src/core/probe/experiments/catalog';
import { runnerPlan } from '../../../src/core/probe/experiments/run-matrix';

const RUNNER = path.join(process.env.ZFS_DIO_ROOT!, 'src/core/probe/runner/zfs_dio_runner.py');

test('each phase\'s experiments are consecutive in the catalog, so the runner prepares each phase once', () => {
  const order = EXPERIMENTS.map((e) => e.phase).filter((p, i, all) => p !== all[i - 1]);
  assert.deepEqual(order, Object.keys(RUNNER_PHASES), 'the phases in the catalog, each once, in RUNNER_PHASES\'s order');
  const plan = runnerPlan(EXPERIMENT_IDS);
  assert.deepEqual(plan.map((p) => p.phase), Object.keys(RUNNER_PHASES));
  assert.deepEqual(plan.flatMap((p) => p.experiments.map((e) => e.id)), [...EXPERIMENT_IDS]);
});

test('a file belongs to one phase and has one size', () => {
  const owner = new Map<string, string>();
  for (const e of EXPERIMENTS) {
    const key = `${e.phase} ${e.file.records}`;
    assert.equal(owner.get(e.file.name) ?? key, key, `${e.id}: ${e.file.name} is declared elsewhere with another phase or size`);
    owner.set(e.file.name, key);
  }
});

test('the plan of a subset keeps the catalog\'s order and leaves out phases with nothing asked for', () => {
  const plan = runnerPlan(['dio.read.off', 'cfr.misaligned']);
  assert.deepEqual(plan.map((p) => [p.phase, p.prepare, p.experiments.map((e) => e.id)]), [
    ['clone-sources', 'synced', ['cfr.misaligned']],
    ['reads', 'out-of-arc', ['dio.read.off']],
  ]);
  assert.deepEqual(plan[0]!.experiments[0], {
    id: 'cfr.misaligned', kind: 'copy_file_range', file: { name: 'cfr-src', records: 4 },
    length: { records: 1, bytes: 1 }, srcOffset: { bytes: 1000 }, dstOffset: {}, oDirect: false,
  });
  assert.deepEqual(runnerPlan([]), []);
});

test('the runner names no experiment and no file of the catalog: everything it performs comes from the plan', () => {
  const source = readFileSync(RUNNER, 'utf8');
  for (const e of EXPERIMENTS) {
    assert.ok(!source.includes(`"${e.id}"`) && !source.includes(`'${e.id}'`), `the runner names ${e.id}`);
    assert.ok(!source.includes(`"${e.file.name}"`), `the runner names the file ${e.file.name}`);
  }
});

function runRaw(plan: unknown) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-plan-'));
  try {
    const work = path.join(dir, 'work');
    mkdirSync(work);
    const zpool = path.join(dir, 'zpool');
    writeFileSync(zpool, '#!/bin/sh\nexit 0\n');
    chmodSync(zpool, 0o755);
    const r = spawnSync('python3', ['-I', RUNNER], {
      input: JSON.stringify({ mode: 'run', workDir: work, runId: 'abcdef999999', pool: 'nopool', recordsize: 16384, zpool, plan }),
      encoding: 'utf8', cwd: '/', timeout: 30000,
    });
    return { rc: r.status, out: JSON.parse(r.stdout), left: readdirSync(work), outside: readdirSync(dir).sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a plan the runner cannot perform safely is refused before anything is written', () => {
  const good = runnerPlan(['cfr.aligned']);
  const withExperiment = (change: Record<string, unknown>) => [{ ...good[0]!, experiments: [{ ...good[0]!.experiments[0]!, ...change }] }];
  const cases: [string, unknown, RegExp][] = [
    ['no plan', undefined, /lacks 'plan'/],
    ['a file name that leaves the scratch directory', withExperiment({ file: { name: '../escape', records: 4 } }), /plain lowercase name/],
    ['a file of too many records', withExperiment({ file: { name: 'big', records: 1000 } }), /1 to 8 records/],
    ['an unknown kind', withExperiment({ kind: 'unlink' }), /unknown kind 'unlink'/],
    ['a size that is not a count', withExperiment({ length: { records: -1 } }), /length must be a size/],
    ['an unknown preparation', [{ ...good[0]!, prepare: 'overwrite' }], /a phase needs prepare/],
    ['an experiment planned twice', [...good, ...good], /planned twice/],
  ];
  for (const [what, plan, message] of cases) {
    const r = runRaw(plan);
    assert.equal(r.rc, 3, what);
    assert.equal(r.out.error.code, 'BAD_INPUT', what);
    assert.match(r.out.error.message, message, what);
    assert.deepEqual(r.left, [], `${what}: nothing written in the dataset directory`);
    assert.deepEqual(r.outside, ['work', 'zpool'], `${what}: nothing written next to it`);
  }
});
