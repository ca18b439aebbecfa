// Every finding's message fits MESSAGE_LIMIT on the findings the project measures itself on: VS Code's
// Problems panel shows a diagnostic's message on one line and cuts the rest, so a message that names its
// values and then runs on loses its point there (the details belong in the hover). The findings: the
// real-code corpus, the test fixtures and the samples, without a target and on every target system
// recorded from a real module. A finding seen from a call counts with its path in words (in brief, or left to the
// detail and the related locations, where the whole would not fit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scanPaths, scanWorkspace } from '../../../src/core/analysis/scan';
import { MESSAGE_LIMIT } from '../../../src/core/analysis/rules/describe';
import { parseTargetReport, targetFromReport, type TargetSystem } from '../../../src/core/knowledge/target';
import { RULES } from '../../../src/core/rules';
import { DEFAULT_SETTINGS } from '../../../src/core/types';

const root = process.env.ZFS_DIO_ROOT!;
const TREES = ['test/corpus', 'test/fixtures', 'samples'].map((p) => path.join(root, p));
const REPORT_DIRS = ['test/fixtures/probe/real', 'test/fixtures/knowledge'];

function recordedTargets(): TargetSystem[] {
  return REPORT_DIRS.flatMap((dir) => readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.json')).map((n) =>
    targetFromReport(parseTargetReport(readFileSync(path.join(root, dir, n), 'utf8'), n), 'report')));
}

test(`every finding's message, with its path in words, is at most ${MESSAGE_LIMIT} characters, with and without a target`, async () => {
  const targets = recordedTargets();
  assert.ok(targets.length >= 10, 'the recorded reports of every version in the matrix');
  const rendered = new Map<string, number>();
  const tooLong: string[] = [];
  const workspace = scanWorkspace(TREES);
  const scan = (paths: readonly string[], target?: TargetSystem) =>
    scanPaths(paths, { settings: { ...DEFAULT_SETTINGS, ...(target ? { target } : {}) }, jobs: 1, workspace });
  const plain = await scan(TREES);
  // On a target, the files with findings without one: every recorded target has the default recordsize,
  // so the same values break the same alignments there (the assertion below holds the two runs together).
  const withFindings = plain.files.filter((f) => f.findings.length).map((f) => f.file);
  for (const target of [undefined, ...targets]) {
    const result = target ? await scan(withFindings, target) : plain;
    assert.equal(target?.recordsize ?? DEFAULT_SETTINGS.recordsize, DEFAULT_SETTINGS.recordsize);
    for (const file of result.files) {
      for (const f of file.findings) {
        const message = f.message;
        rendered.set(f.ruleId, (rendered.get(f.ruleId) ?? 0) + 1);
        if (message.length > MESSAGE_LIMIT) tooLong.push(`${f.ruleId} (${message.length}) ${target?.summary ?? 'no target'}: ${message}`);
        if (target && f.derived.target !== undefined) assert.equal(f.derived.target, target.summary, 'the hover names the whole target');
      }
    }
  }
  assert.deepEqual(tooLong, []);
  assert.deepEqual([...rendered.keys()].sort(), RULES.map((r) => r.id).sort(), 'every rule rendered at least once');
});
