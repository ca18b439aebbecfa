// The three output formats on a hand-built ScanResult: 1-based positions, level mapping, URIs,
// and SARIF validity against the official 2.1.0 schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { ScanResult } from '../../../src/core/analysis/scan';
import { formatJson } from '../../../src/cli/formats/json';
import { formatSarif, artifactLocation } from '../../../src/cli/formats/sarif';
import { formatText } from '../../../src/cli/formats/text';
import { RULES } from '../../../src/core/rules';
import type { Finding, Site } from '../../../src/core/types';
import { sarifSchemaErrors } from './sarif-schema';

function site(line: number, column: number, callee = 'copy_file_range'): Site {
  return { kind: 'copy_file_range', language: 'c', callee, range: { start: { line, column }, end: { line, column: column + callee.length } } };
}
function finding(s: Site, ruleId: Finding['ruleId'], severity: Finding['severity'], message: string): Finding {
  return { ruleId, severity, message, range: s.range, site: s, derived: { length: 196608, recordsize: 131072 }, fixes: [] };
}

const s1 = site(9, 16);
const s2 = site(2, 0);
const sample: ScanResult = {
  files: [
    { file: 'src/clone.c', language: 'c', sites: [s1, s2], findings: [
      finding(s1, 'ZDIO012', 'information', 'result of copy_file_range is not checked'),
      finding(s1, 'ZDIO010', 'warning', 'length 196608 is not a multiple of recordsize 131072'),
    ] },
    { file: '/abs/dir with space/x.c', language: 'c', sites: [site(0, 4)], findings: [finding(site(0, 4), 'ZDIO020', 'hint', 'hint level')] },
  ],
  skipped: [{ file: 'blob.c', reason: 'binary file (NUL byte in the first 8 KiB)' }, { file: 'secret.c', reason: 'permission denied (unreadable)', incomplete: true }],
  notes: [{ file: 'latin.c', message: 'invalid UTF-8: replaced' }],
  stats: { filesConsidered: 5, filesParsed: 2, filesWithSites: 2, filesSkipped: 2, filesIncomplete: 1, filesIgnored: 3, bytesRead: 100, sites: 3, findings: 3, filesFromCache: 0,
    workers: 0, durationMs: 12, cancelled: false },
};

test('JSON: version 1, 1-based positions, sorted by position, contract keys present', () => {
  const doc = JSON.parse(formatJson(sample));
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.sites.map((s: { line: number; column: number }) => [s.line, s.column]), [[3, 1], [10, 17], [1, 5]]);
  assert.deepEqual(Object.keys(doc.sites[0]).slice(0, 6), ['file', 'line', 'column', 'language', 'kind', 'callee']);
  const f = doc.findings[0];
  assert.deepEqual({ file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, ruleId: f.ruleId, severity: f.severity },
    { file: 'src/clone.c', line: 10, column: 17, endLine: 10, endColumn: 32, ruleId: 'ZDIO010', severity: 'warning' });
  assert.equal(f.message, 'length 196608 is not a multiple of recordsize 131072');
  assert.equal(doc.findings[1].ruleId, 'ZDIO012', 'same position: ordered by rule id');
  assert.deepEqual(doc.skipped, sample.skipped);
  assert.equal(doc.stats.durationMs, undefined, 'no timing in the document, so equal scans give equal output');
});

test('text: compiler-style lines, summary, skip notes on stderr', () => {
  const out = formatText(sample);
  const lines = out.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'src/clone.c:10:17: warning ZDIO010 length 196608 is not a multiple of recordsize 131072');
  assert.equal(lines[1], 'src/clone.c:10:17: information ZDIO012 result of copy_file_range is not checked');
  assert.match(lines.at(-1)!, /^zfs-dio: 3 findings \(1 warning\), 3 call sites in 5 source files \(2 parsed\), 2 skipped, INCOMPLETE: 1 file or directory not analysed \(exit code 3\)$/);
  assert.match(out.stderr, /^zfs-dio: skipped blob\.c: binary file/m);
  assert.match(out.stderr, /^zfs-dio: note: latin\.c: invalid UTF-8/m);
  assert.match(formatText(sample, { listSites: true }).stdout, /^src\/clone\.c:3:1: site copy_file_range copy_file_range \(c\)$/m);
});

test('SARIF: valid against the official 2.1.0 schema, with rule metadata and mapped levels', () => {
  const log = JSON.parse(formatSarif(sample, { toolVersion: '0.1.0', cwd: '/work/project' }));
  assert.deepEqual(sarifSchemaErrors(log), []);
  const run = log.runs[0];
  assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), RULES.map((r) => r.id));
  for (const r of run.tool.driver.rules) {
    assert.ok(r.name && r.shortDescription.text && r.fullDescription.text && r.help.text, `${r.id} has names and help`);
    assert.equal(r.helpUri, undefined, 'no placeholder help URI');
  }
  assert.equal(run.tool.driver.rules.find((r: { id: string }) => r.id === 'ZDIO012').defaultConfiguration.level, 'note');
  const levels = run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`);
  assert.deepEqual(levels, ['ZDIO010:warning', 'ZDIO012:note', 'ZDIO020:note']);
  const loc = run.results[0].locations[0].physicalLocation;
  assert.deepEqual(loc.artifactLocation, { uri: 'src/clone.c', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(loc.region, { startLine: 10, startColumn: 17, endLine: 10, endColumn: 32 });
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///work/project/');
  assert.equal(run.results[2].locations[0].physicalLocation.artifactLocation.uri, 'file:///abs/dir%20with%20space/x.c');
  assert.equal(run.results[0].ruleIndex, RULES.findIndex((r) => r.id === 'ZDIO010'));
  const notes = run.invocations[0].toolExecutionNotifications;
  assert.equal(notes.length, 3);
  assert.equal(notes[1].level, 'warning', 'an unreadable file is a warning-level notification');
});

test('SARIF: the schema check is not vacuous', () => {
  assert.notDeepEqual(sarifSchemaErrors({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), []);
  assert.notDeepEqual(sarifSchemaErrors({ version: '2.0.0', runs: [] }), []);
});

test('SARIF: artifact locations for awkward relative paths', () => {
  assert.deepEqual(artifactLocation(path.join('.', 'a b', 'c#d.c')), { uri: 'a%20b/c%23d.c', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('../up/x.c'), { uri: '../up/x.c', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('weird:name.c'), { uri: 'weird%3Aname.c', uriBaseId: '%SRCROOT%' });
});

test('every format survives a file with 200,000 findings (no spread of a huge array into push)', () => {
  const s0 = site(0, 0);
  const many = Array.from({ length: 200_000 }, (_, i) => finding({ ...s0, range: { start: { line: i, column: 0 }, end: { line: i, column: 4 } } }, 'ZDIO010', 'warning', `length ${i} is not a multiple of recordsize 131072`));
  const big: ScanResult = { ...sample, files: [{ file: 'big.c', language: 'c', sites: many.map((f) => f.site), findings: many }] };
  assert.equal(formatText(big).stdout.split('\n').length, 200_002);
  assert.equal(JSON.parse(formatJson(big)).findings.length, 200_000);
  assert.equal(JSON.parse(formatSarif(big, { toolVersion: '0', cwd: '/w' })).runs[0].results.length, 200_000);
});

// A finding with a two-edit fix (a replacement and an insertion), a suppression, and a manual-fix note.
const fixSite: Site = { kind: 'o_direct_io', language: 'c', callee: 'pread', range: { start: { line: 4, column: 9 }, end: { line: 4, column: 35 } } };
const withFixes: ScanResult = {
  ...sample,
  files: [{ file: 'src/read.c', language: 'c', sites: [fixSite], findings: [{
    ruleId: 'ZDIO002', severity: 'warning', message: 'O_DIRECT read length 1000 is not a multiple of page size 4096',
    range: { start: { line: 4, column: 24 }, end: { line: 4, column: 28 } }, site: fixSite, derived: { length: 1000 },
    fixes: [
      { title: 'Round 1000 up to 4096 and grow the buffer malloc(1000) to 4096 bytes', edits: [
        { range: { start: { line: 4, column: 24 }, end: { line: 4, column: 28 } }, newText: '4096' },
        { range: { start: { line: 3, column: 21 }, end: { line: 3, column: 25 } }, newText: '4096' },
      ] },
      { title: 'Suppress ZDIO002 here (zfs-dio-ignore)', edits: [
        { range: { start: { line: 4, column: 0 }, end: { line: 4, column: 0 } }, newText: '  // zfs-dio-ignore ZDIO002\n' },
      ] },
    ],
  }, {
    ruleId: 'ZDIO003', severity: 'warning', message: 'O_DIRECT read offset 1000 is not a multiple of page size 4096',
    range: { start: { line: 4, column: 30 }, end: { line: 4, column: 34 } }, site: fixSite, derived: { offset: 1000 },
    fixes: [], manualFix: 'Moving the offset would read or write other bytes of the file than the program means to.',
  }] }],
};

test('JSON: each finding carries its fixes, 1-based and end-exclusive like the finding, and the manual-fix note', () => {
  const doc = JSON.parse(formatJson(withFixes));
  const [f02, f03] = doc.findings;
  assert.deepEqual(f02.fixes, [
    { title: 'Round 1000 up to 4096 and grow the buffer malloc(1000) to 4096 bytes', isPreferred: false, edits: [
      { line: 5, column: 25, endLine: 5, endColumn: 29, newText: '4096' },
      { line: 4, column: 22, endLine: 4, endColumn: 26, newText: '4096' },
    ] },
    { title: 'Suppress ZDIO002 here (zfs-dio-ignore)', isPreferred: false, edits: [
      { line: 5, column: 1, endLine: 5, endColumn: 1, newText: '  // zfs-dio-ignore ZDIO002\n' },
    ] },
  ]);
  assert.deepEqual([f02.line, f02.column, f02.endLine, f02.endColumn], [5, 25, 5, 29], 'the first edit has the finding\'s own coordinates');
  assert.equal(f02.manualFix, undefined);
  assert.deepEqual(f03.fixes, []);
  assert.match(f03.manualFix, /other bytes of the file/);
});

test('SARIF: fixes as the standard result.fixes (artifactChanges, deletedRegion + insertedContent), schema-valid', () => {
  const log = JSON.parse(formatSarif(withFixes, { toolVersion: '0.1.0', cwd: '/work/project' }));
  assert.deepEqual(sarifSchemaErrors(log), []);
  const [r02, r03] = log.runs[0].results;
  assert.deepEqual(r02.fixes[0], {
    description: { text: 'Round 1000 up to 4096 and grow the buffer malloc(1000) to 4096 bytes' },
    artifactChanges: [{ artifactLocation: { uri: 'src/read.c', uriBaseId: '%SRCROOT%' }, replacements: [
      { deletedRegion: { startLine: 5, startColumn: 25, endLine: 5, endColumn: 29 }, insertedContent: { text: '4096' } },
      { deletedRegion: { startLine: 4, startColumn: 22, endLine: 4, endColumn: 26 }, insertedContent: { text: '4096' } },
    ] }],
  });
  assert.deepEqual(r02.fixes[1].artifactChanges[0].replacements, [
    { deletedRegion: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 1 }, insertedContent: { text: '  // zfs-dio-ignore ZDIO002\n' } },
  ], 'an insertion deletes an empty region');
  assert.equal(r03.fixes, undefined, 'no fixes: no empty property');
  assert.match(r03.properties.manualFix, /other bytes of the file/);
});

// A finding seen from a call: the I/O it reaches is a related place in the same file.
const passedSite: Site = { kind: 'o_direct_io', language: 'c', callee: 'read', range: { start: { line: 4, column: 9 }, end: { line: 4, column: 29 } } };
const withRelated: ScanResult = {
  ...sample,
  files: [{ file: 'src/helper.c', language: 'c', sites: [passedSite], findings: [{
    ruleId: 'ZDIO002', severity: 'warning', message: 'O_DIRECT read length 1 is not a multiple of page size 4096 (passed to runtest(), reaches read())',
    range: { start: { line: 9, column: 26 }, end: { line: 9, column: 27 } }, site: passedSite, derived: { length: 1 }, fixes: [],
    related: [{ range: passedSite.range, message: 'read() receives it here' }],
  }] }],
};

// The same helper defined in a header the file includes: the related place carries that file.
const inHeader: ScanResult = {
  ...withRelated,
  files: [{ ...withRelated.files[0]!, findings: [{ ...withRelated.files[0]!.findings[0]!,
    related: [{ range: passedSite.range, message: 'read() receives it here', file: path.join(process.cwd(), 'src', 'include', 'helper.h') }] }] }],
};

test('JSON and SARIF: a related place in another file is named by that file, written as the scan writes the finding\'s', () => {
  const doc = JSON.parse(formatJson(inHeader));
  assert.deepEqual(doc.findings[0].related, [{ line: 5, column: 10, endLine: 5, endColumn: 30, message: 'read() receives it here', file: path.join('src', 'include', 'helper.h') }]);
  assert.equal(doc.findings[0].file, 'src/helper.c');
  const log = JSON.parse(formatSarif(inHeader, { toolVersion: '0.1.0', cwd: process.cwd() }));
  assert.deepEqual(sarifSchemaErrors(log), []);
  assert.deepEqual(log.runs[0].results[0].relatedLocations[0].physicalLocation.artifactLocation, { uri: 'src/include/helper.h', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'src/helper.c', uriBaseId: '%SRCROOT%' });
});

test('JSON and SARIF: a finding passed down to a helper carries the helper\'s I/O as a related place (1-based)', () => {
  const doc = JSON.parse(formatJson(withRelated));
  assert.deepEqual(doc.findings[0].related, [{ line: 5, column: 10, endLine: 5, endColumn: 30, message: 'read() receives it here' }]);
  const log = JSON.parse(formatSarif(withRelated, { toolVersion: '0.1.0', cwd: '/work/project' }));
  assert.deepEqual(sarifSchemaErrors(log), []);
  assert.deepEqual(log.runs[0].results[0].relatedLocations, [{
    id: 0, message: { text: 'read() receives it here' },
    physicalLocation: { artifactLocation: { uri: 'src/helper.c', uriBaseId: '%SRCROOT%' }, region: { startLine: 5, startColumn: 10, endLine: 5, endColumn: 30 } },
  }]);
  const plain = JSON.parse(formatJson(sample));
  assert.ok(plain.findings.every((f: Record<string, unknown>) => !('related' in f)), 'no empty property on ordinary findings');
});

test('text: a finding\'s related places follow it as compiler-style note lines, each in its own file', () => {
  const lines = formatText(withRelated).stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('src/helper.c:10:27: warning ZDIO002 '));
  assert.ok(at >= 0, lines.join('\n'));
  assert.equal(lines[at + 1], 'src/helper.c:5:10: note: read() receives it here');
  const header = formatText(inHeader).stdout.split('\n');
  assert.ok(header.includes(`${path.join('src', 'include', 'helper.h')}:5:10: note: read() receives it here`), header.join('\n'));
  assert.ok(!formatText(sample).stdout.includes(': note: '), 'no note lines for findings without related places');
});
