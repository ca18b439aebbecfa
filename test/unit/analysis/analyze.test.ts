// The pipeline around the rules: prefilter, severities, the recordsize seam, ordering, incremental trees.
import { test } from 'node:test';
import { Edit } from 'web-tree-sitter';
import assert from 'node:assert/strict';
import { analyzeText, analyzeTree } from '../../../src/core/analysis/analyze';
import { languageForFile } from '../../../src/core/analysis/languages/index';
import { parse } from '../../../src/core/analysis/parse';
import { DEFAULT_SETTINGS, type RecordsizeSource } from '../../../src/core/types';

const CODE = [
  '#define LEN 196608',
  'int f(int a, int b) {',
  '  copy_file_range(a, NULL, b, NULL, LEN, 0);',
  '  loff_t o = 4096;',
  '  return copy_file_range(a, &o, b, NULL, 131072, 0) < 0;',
  '}',
  '',
].join('\n');

test('files the prefilter rules out are not parsed and have no sites', async () => {
  const r = await analyzeText('int main(void) { return read(0, buf, 10); } )))) garbage ((((', 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r, { language: 'c', sites: [], findings: [], hadSyntaxErrors: false });
});

test('default severities, stable order by position then rule', async () => {
  const r = await analyzeText(CODE, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.findings.map((f) => `${f.range.start.line}:${f.range.start.column}:${f.ruleId}:${f.severity}`), [
    '2:2:ZDIO012:information',
    '2:36:ZDIO010:warning',
    '4:28:ZDIO010:warning',
  ]);
  assert.deepEqual(r.sites.map((s) => [s.kind, s.callee, s.range.start.line]), [['copy_file_range', 'copy_file_range', 2], ['copy_file_range', 'copy_file_range', 4]]);
});

test('severity overrides; off drops the rule', async () => {
  const r = await analyzeText(CODE, 'c', { ...DEFAULT_SETTINGS, severities: { ZDIO010: 'error', ZDIO012: 'off' } });
  assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.severity}`), ['ZDIO010:error', 'ZDIO010:error']);
});

test('page size and recordsize settings change the verdicts', async () => {
  const r = await analyzeText(CODE, 'c', { pageSize: 4096, recordsize: 65536 });
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['ZDIO012', 'ZDIO010']);
  assert.match(r.findings[1]!.message, /off_in 4096 \(o\) is not a multiple of recordsize 65536/);
});

test('the recordsize seam: a dataset recordsize wins over the setting and is named as such', async () => {
  const asked: string[] = [];
  const source: RecordsizeSource = { recordsizeFor: (file) => { asked.push(file); return 1 << 20; } };
  const r = await analyzeText(CODE, 'c', DEFAULT_SETTINGS, { fileName: '/tank/src/copy.c', recordsizeSource: source });
  assert.deepEqual(asked, ['/tank/src/copy.c']);
  const f = r.findings.find((x) => x.ruleId === 'ZDIO010')!;
  assert.match(f.message, /len 196608 \(LEN\) is not a multiple of the dataset's recordsize 1048576/);
  assert.equal(f.derived.recordsizeSource, 'dataset');
  assert.equal(f.derived.recordsize, 1048576);
  const unknown: RecordsizeSource = { recordsizeFor: () => undefined };
  const u = await analyzeText(CODE, 'c', DEFAULT_SETTINGS, { fileName: 'x.c', recordsizeSource: unknown });
  assert.equal(u.findings.find((x) => x.ruleId === 'ZDIO010')!.derived.recordsizeSource, 'setting');
  const broken: RecordsizeSource = { recordsizeFor: () => { throw new Error('zfs get failed'); } };
  const b = await analyzeText(CODE, 'c', DEFAULT_SETTINGS, { fileName: 'x.c', recordsizeSource: broken });
  assert.equal(b.findings.find((x) => x.ruleId === 'ZDIO010')!.derived.recordsize, 131072);
});

test('invalid settings are rejected with a clear message', async () => {
  await assert.rejects(analyzeText(CODE, 'c', { pageSize: 0, recordsize: 131072 }), /pageSize must be a positive integer, got 0/);
  await assert.rejects(analyzeText(CODE, 'c', { pageSize: 4096, recordsize: 1.5 }), /recordsize must be a positive integer, got 1.5/);
});

test('analyzeTree on an incrementally re-parsed tree sees the edit', async () => {
  const tree = await parse('c', CODE);
  assert.equal(analyzeTree(tree, CODE, 'c', DEFAULT_SETTINGS).findings.filter((f) => f.ruleId === 'ZDIO010').length, 2);
  // Edit `#define LEN 196608` → `#define LEN 262144` (same length), as the editor would.
  const at = CODE.indexOf('196608');
  const edited = CODE.slice(0, at) + '262144' + CODE.slice(at + 6);
  tree.edit(new Edit({
    startIndex: at, oldEndIndex: at + 6, newEndIndex: at + 6,
    startPosition: { row: 0, column: at }, oldEndPosition: { row: 0, column: at + 6 }, newEndPosition: { row: 0, column: at + 6 },
  }));
  const next = await parse('c', edited, tree);
  const r = analyzeTree(next, edited, 'c', DEFAULT_SETTINGS);
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['ZDIO012', 'ZDIO010']);
  assert.equal(r.findings[1]!.range.start.line, 4);
  tree.delete();
  next.delete();
});

test('file extensions: .c and .h are C; C++ endings are C++; matching ignores case', () => {
  for (const f of ['a.c', 'dir/b.h']) assert.equal(languageForFile(f), 'c', f);
  // Upper-case .C/.H are C++ by GCC's convention.
  for (const f of ['a.cc', 'a.cpp', 'a.cxx', 'a.c++', 'a.hpp', 'a.hh', 'a.hxx', 'A.CPP', 'x.ipp', 'C.C', 'X.H']) assert.equal(languageForFile(f), 'cpp', f);
  assert.equal(languageForFile('a.cs'), undefined);
  assert.equal(languageForFile('Makefile'), undefined);
});
