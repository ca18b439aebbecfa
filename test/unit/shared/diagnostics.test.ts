import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainArgsFor, explainCommandUri, findingKey, parseRevealArgs, rangeContains } from '../../../src/shared/diagnostics';
import { parseFindingContext } from '../../../src/core/panel-protocol';
import type { Finding } from '../../../src/core/types';

const finding: Finding = {
  ruleId: 'ZDIO010', severity: 'warning',
  message: 'length 196608 is not a multiple of recordsize 131072',
  range: { start: { line: 11, column: 4 }, end: { line: 11, column: 60 } },
  site: { kind: 'copy_file_range', language: 'c', callee: 'copy_file_range', range: { start: { line: 11, column: 4 }, end: { line: 11, column: 60 } } },
  derived: { length: 196608, recordsize: 131072, srcOffset: 0, dstOffset: 262144 },
  fixes: [],
};

test('the explain link round-trips through a command URI into a valid panel FindingContext', () => {
  const line = '    n = copy_file_range(src, &off_in, dst, &off_out, 196608, 0); // "quoted" & 100%';
  const args = explainArgsFor(finding, '/home/u/p/clone.c', line);
  const uri = explainCommandUri(args);
  assert.match(uri, /^command:zfsDio\.explainRule\?/);
  const query = uri.slice(uri.indexOf('?') + 1);
  assert.doesNotMatch(query, /[ "&#?]/, 'no character that would end or split the query survives unencoded');
  const decoded = JSON.parse(decodeURIComponent(query));
  assert.ok(Array.isArray(decoded) && decoded.length === 1, 'VS Code passes the array elements as arguments');
  const parsed = parseFindingContext(decoded[0]);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  assert.deepEqual(parsed.value, {
    ruleId: 'ZDIO010', file: '/home/u/p/clone.c', line: 11, code: line.trim(),
    derived: { length: 196608, recordsize: 131072, srcOffset: 0, dstOffset: 262144 },
  });
});

test('explain arguments stay within the panel limits for huge lines and odd derived values', () => {
  const huge: Finding = { ...finding, derived: { ...Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'x'.repeat(500)])), nan: Number.NaN } };
  const args = explainArgsFor(huge, undefined, 'y'.repeat(10_000));
  assert.ok(args.code!.length <= 240);
  assert.equal(args.file, undefined);
  const parsed = parseFindingContext(JSON.parse(decodeURIComponent(explainCommandUri(args).split('?')[1]!))[0]);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  assert.ok(Object.keys(parsed.value.derived!).length <= 40);
  assert.equal('nan' in parsed.value.derived!, false);
});

test('finding keys identify a diagnostic by rule, range and message', () => {
  const a = findingKey('ZDIO010', finding.range, finding.message);
  assert.equal(a, findingKey('ZDIO010', { start: { line: 11, column: 4 }, end: { line: 11, column: 60 } }, finding.message));
  assert.notEqual(a, findingKey('ZDIO002', finding.range, finding.message));
  assert.notEqual(a, findingKey('ZDIO010', { ...finding.range, end: { line: 11, column: 61 } }, finding.message));
});

test('reveal arguments are validated', () => {
  const ok = { uri: 'file:///a.c', range: { start: { line: 1, column: 2 }, end: { line: 1, column: 9 } } };
  assert.deepEqual(parseRevealArgs(ok), ok);
  assert.equal(parseRevealArgs({ uri: 'file:///a.c' }), undefined);
  assert.equal(parseRevealArgs({ uri: 'file:///a.c', range: { start: { line: -1, column: 0 }, end: { line: 0, column: 0 } } }), undefined);
  assert.equal(parseRevealArgs('file:///a.c'), undefined);
});

test('rangeContains includes both ends and spans lines', () => {
  const r = { start: { line: 2, column: 5 }, end: { line: 4, column: 3 } };
  assert.ok(rangeContains(r, 2, 5));
  assert.ok(rangeContains(r, 3, 0));
  assert.ok(rangeContains(r, 4, 3));
  assert.ok(!rangeContains(r, 2, 4));
  assert.ok(!rangeContains(r, 4, 4));
  assert.ok(!rangeContains(r, 5, 0));
});
