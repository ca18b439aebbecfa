import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { splitInlineCode, tidyReason, classify, explainResult, EXPERIMENTS, findExperiment, formatBytes, formatProperty, MATRIX, sortVerdicts, verdictArticle } from '../../../webview/model';
import { applyHostMessage, initialState, restoreState } from '../../../webview/state';
import { datasetsOf, fixtureReport } from '../../panel-harness/fixtures';

const ROOT = process.env.ZFS_DIO_ROOT!;
const reportStandard = () => fixtureReport('zfs-2.3.2-standard', ROOT);
const reportAlways = () => fixtureReport('zfs-2.3.2-always', ROOT);
const report230Always = () => fixtureReport('zfs-2.3.0-always', ROOT);
// Two datasets with different names, so selection logic has something to choose between.
const datasetsList = () => [{ ...reportAlways().dataset!, name: 'tank/always' }, reportStandard().dataset!];
import type { ExperimentId } from '../../../src/core/types';
import { EXPERIMENT_IDS } from '../../../src/core/probe/experiments/catalog';

const ALL_IDS = Object.keys(EXPERIMENTS) as ExperimentId[];

test('the matrix places every experiment id of the catalog exactly once', () => {
  const placed = MATRIX.flatMap((t) => t.rows.flatMap((r) => r.cells)).filter((c): c is ExperimentId => c !== null);
  assert.equal(placed.length, EXPERIMENT_IDS.length);
  assert.deepEqual(ALL_IDS, [...EXPERIMENT_IDS], 'the panel derives its experiments from the catalog, in its order');
  assert.deepEqual([...placed].sort(), [...ALL_IDS].sort());
  for (const t of MATRIX) for (const r of t.rows) assert.equal(r.cells.length, t.columns.length);
});

test('outcomes of the measured 2.3.2 direct=standard matrix', () => {
  const r = reportStandard();
  const got = Object.fromEntries(ALL_IDS.map((id) => [id, classify(id, findExperiment(r, id)).outcome]));
  assert.deepEqual(got, {
    'cfr.aligned': 'cloned', 'cfr.page': 'copied', 'cfr.misaligned': 'copied',
    'cfr.odirect.aligned': 'cloned', 'cfr.odirect.misaligned': 'error',
    // recorded before these experiments existed
    'cfr.odirect.page': 'missing', 'ficlone.aligned': 'missing', 'ficlone.misaligned': 'missing', 'ficlone.fresh': 'missing',
    'dio.read.aligned': 'unknown', 'dio.read.buf': 'error', 'dio.read.len': 'error', 'dio.read.off': 'error',
    'dio.write.aligned': 'direct', 'dio.write.buf': 'error', 'dio.write.len': 'error', 'dio.write.off': 'error',
  });
  assert.equal(classify('dio.read.buf', findExperiment(r, 'dio.read.buf')).label, 'EINVAL', 'errors are labelled with their errno, not colour alone');
});

test('direct=always: the misaligned-buffer write went through the ARC and the explanation says so', () => {
  const r = reportAlways();
  const res = findExperiment(r, 'dio.write.buf');
  assert.equal(classify('dio.write.buf', res).outcome, 'arc');
  const text = explainResult(EXPERIMENTS['dio.write.buf'], res, r).join(' ');
  assert.match(text, /direct=always/);
  assert.match(text, /EINVAL on a direct=standard dataset/);
});

test('explanations name the cause for each error class', () => {
  const std = reportStandard();
  assert.match(explainResult(EXPERIMENTS['dio.read.off'], findExperiment(std, 'dio.read.off'), std).join(' '), /misaligned offset.*EINVAL/);
  assert.match(explainResult(EXPERIMENTS['cfr.odirect.misaligned'], findExperiment(std, 'cfr.odirect.misaligned'), std).join(' '), /O_DIRECT descriptor/);
  const old = report230Always();
  assert.match(explainResult(EXPERIMENTS['cfr.page'], findExperiment(old, 'cfr.page'), old).join(' '), /openzfs#16958.*2\.3\.1/s);
  // measured on 2.3.0 direct=always: a misaligned O_DIRECT read is served through the ARC
  assert.equal(classify('dio.read.buf', findExperiment(old, 'dio.read.buf')).outcome, 'arc');
  assert.match(explainResult(EXPERIMENTS['dio.read.buf'], undefined, old)[0]!, /no result/);
});

test('a failed content check is an error even when the call succeeded', () => {
  const o = classify('cfr.page', { id: 'cfr.page', result: 'ok', errno: null, bytes: 10, cloned: false, io: 'unknown', dataOk: false });
  assert.equal(o.outcome, 'error');
});

test('verdicts: affected first, contradictions before plain ones, stable otherwise', () => {
  const sorted = sortVerdicts([
    { issue: 'a', status: 'not-affected', reasons: [] },
    { issue: 'b', status: 'unknown', reasons: [] },
    { issue: 'c', status: 'affected', reasons: [] },
    { issue: 'd', status: 'not-affected', reasons: [], contradiction: 'x' },
    { issue: 'e', status: 'affected', reasons: [], contradiction: 'y' },
  ]);
  assert.deepEqual(sorted.map((v) => v.issue), ['e', 'c', 'b', 'd', 'a']);
});

test('verdict articles follow the naming convention and only link known articles', () => {
  const known = new Set(['openzfs-16958', 'pre-2.3-odirect']);
  assert.equal(verdictArticle({ issue: 'openzfs#16958', status: 'affected', reasons: [] }, known), 'openzfs-16958');
  assert.equal(verdictArticle({ issue: 'x', status: 'affected', reasons: [], article: 'media/articles/pre-2.3-odirect.md' }, known), 'pre-2.3-odirect');
  assert.equal(verdictArticle({ issue: 'openzfs#1', status: 'affected', reasons: [] }, known), undefined);
});

test('byte formatting', () => {
  assert.equal(formatBytes(131072), '128K');
  assert.equal(formatBytes(100000), '100000 B');
  assert.equal(formatBytes(1048576), '1M');
  assert.equal(formatProperty('recordsize', '131072'), '128K (131072)');
  assert.equal(formatProperty('compression', 'lz4'), 'lz4');
});

test('state: datasets keep the selection when possible and follow the probed dataset', () => {
  let s = applyHostMessage(initialState(), { type: 'init', trusted: true, articles: [], overviews: [] });
  assert.equal(s.connected, true);
  s = applyHostMessage(s, { type: 'datasets', datasets: { status: 'ok', datasets: datasetsList() } });
  assert.equal(s.selectedDataset, 'tank/always', 'the first dataset is preselected');
  s = applyHostMessage(s, { type: 'report', report: { ...reportAlways(), dataset: datasetsList()[0]! } });
  assert.equal(s.selectedDataset, 'tank/always');
  s = applyHostMessage(s, { type: 'report', report: reportStandard() });
  assert.equal(s.selectedDataset, 'tank', 'a new report selects its dataset');
  s = applyHostMessage(s, { type: 'datasets', datasets: { status: 'ok', datasets: datasetsList() } });
  assert.equal(s.selectedDataset, 'tank', 'a refresh keeps the selection');
  assert.equal(datasetsOf(reportStandard()).length, 1);
  s = applyHostMessage(s, { type: 'datasets', datasets: { status: 'no-zfs', message: 'zfs not found' } });
  assert.equal(s.selectedDataset, undefined);
});

test('state: articles set the restore key; a saved running probe comes back idle and disconnected', () => {
  const s = applyHostMessage(initialState(), { type: 'article', article: { id: 'ZDIO002', title: 'x', html: '<p>x</p>' }, finding: { ruleId: 'ZDIO002', line: 3 } });
  assert.equal(s.articleId, 'ZDIO002');
  assert.equal(s.pane.kind, 'article');
  const saved = JSON.parse(JSON.stringify({ ...s, connected: true, probe: { status: 'running', target: 'tank', step: 'x' } }));
  const back = restoreState(saved);
  assert.equal(back.probe.status, 'idle');
  assert.equal(back.connected, false);
  assert.equal(back.pane.kind, 'article');
  assert.equal(restoreState({ v: 2 }).pane.kind, 'welcome');
  assert.equal(restoreState('junk').pane.kind, 'welcome');
});

test('probe messages are tidied for the panel', () => {
  assert.equal(tidyReason('the ZFS kernel module is not loaded (zfs: The ZFS modules cannot be auto-loaded.)'),
    'The ZFS kernel module is not loaded (zfs: The ZFS modules cannot be auto-loaded.)');
  assert.equal(tidyReason('Permission denied.'), 'Permission denied.');
});

test('known-issue text renders its `inline code` spans as code, and a stray backtick as text', () => {
  assert.deepEqual(splitInlineCode('run `zpool sync` before cloning'),
    [{ code: false, text: 'run ' }, { code: true, text: 'zpool sync' }, { code: false, text: ' before cloning' }]);
  assert.deepEqual(splitInlineCode('``a`b`` and `c`'), [{ code: true, text: 'a`b' }, { code: false, text: ' and ' }, { code: true, text: 'c' }]);
  assert.deepEqual(splitInlineCode('it`s one backtick'), [{ code: false, text: 'it`s one backtick' }]);
  assert.deepEqual(splitInlineCode(''), []);
});

test('the panel classifies every experiment of a real 2.3.2 report with the clone experiments', () => {
  const r = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/probe/real/2.3.2-always.json'), 'utf8'));
  const got = Object.fromEntries(ALL_IDS.map((id) => [id, classify(id, findExperiment(r, id)).outcome]));
  assert.deepEqual(got, {
    'cfr.aligned': 'cloned', 'cfr.page': 'copied', 'cfr.misaligned': 'copied',
    'cfr.odirect.aligned': 'cloned', 'cfr.odirect.page': 'copied', 'cfr.odirect.misaligned': 'copied',
    'ficlone.aligned': 'cloned', 'ficlone.misaligned': 'error', 'ficlone.fresh': 'error',
    'dio.read.aligned': 'direct', 'dio.read.buf': 'arc', 'dio.read.len': 'arc', 'dio.read.off': 'arc',
    'dio.write.aligned': 'direct', 'dio.write.buf': 'arc', 'dio.write.len': 'arc', 'dio.write.off': 'arc',
  });
  assert.match(explainResult(EXPERIMENTS['ficlone.fresh'], findExperiment(r, 'ficlone.fresh'), r).join(' '), /zfs_bclone_wait_dirty=0.*EAGAIN.*openzfs#17455/);
  assert.match(explainResult(EXPERIMENTS['ficlone.misaligned'], findExperiment(r, 'ficlone.misaligned'), r).join(' '), /no copy fallback/);
  assert.equal(MATRIX.find((t) => t.caption.startsWith('FICLONE'))!.rows.length, 2);
});

test('an uncached result gets its own outcome and explanation', () => {
  const res = { id: 'dio.read.buf' as const, result: 'ok' as const, errno: null, bytes: 131072, cloned: null, io: 'uncached' as const, dataOk: true };
  assert.equal(classify('dio.read.buf', res).outcome, 'uncached');
  assert.match(explainResult(EXPERIMENTS['dio.read.buf'], res, null).join(' '), /uncached fallback of OpenZFS 2\.4/);
});

test('state: a trace message replaces the timeline, and null clears it', () => {
  const trace = { command: ['./prog'], exit: 'exited with 0', calls: 0, findings: 0, omitted: 0, rows: [] };
  let s = applyHostMessage(initialState(), { type: 'trace', trace });
  assert.deepEqual(s.trace, trace);
  s = applyHostMessage(s, { type: 'trace', trace: null });
  assert.equal(s.trace, null);
  assert.equal(initialState().trace, null);
});
