import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseWebviewMessage, parseFindingContext, parseRestoredState, articleIdForIssue, LIMITS,
  type ValidationContext,
} from '../../../src/core/panel-protocol';

const ctx: ValidationContext = {
  articleIds: new Set(['ZDIO001', 'openzfs-16958', 'how-direct-io-works']),
  datasetNames: new Set(['tank', 'tank/data', "tank/my 'odd' set"]),
};

function rejects(raw: unknown, reasonPart: RegExp) {
  const r = parseWebviewMessage(raw, ctx);
  assert.equal(r.ok, false, `expected rejection of ${JSON.stringify(raw)}`);
  if (!r.ok) assert.match(r.reason, reasonPart);
}

test('every valid message type passes and comes back rebuilt', () => {
  const valid = [
    { type: 'ready' }, { type: 'cancelProbe' }, { type: 'refreshDatasets' }, { type: 'revealFinding' },
    { type: 'runProbe', target: 'tank/data' }, { type: 'runProbe', target: "tank/my 'odd' set" },
    { type: 'openArticle', id: 'openzfs-16958' },
  ];
  for (const m of valid) {
    const r = parseWebviewMessage(m, ctx);
    assert.deepEqual(r, { ok: true, value: m });
    if (r.ok) assert.notEqual(r.value, m, 'the host gets a fresh object, not the one it received');
  }
  // A structured clone of a JSON value is what postMessage delivers; the same must pass.
  const cloned = structuredClone(JSON.parse('{"type":"openArticle","id":"ZDIO001"}'));
  assert.equal(parseWebviewMessage(cloned, ctx).ok, true);
});

test('a trace row is named by its index in the rows the host sent, and by nothing else', () => {
  const withTrace: ValidationContext = { ...ctx, traceRows: 3 };
  for (const row of [0, 2]) assert.deepEqual(parseWebviewMessage({ type: 'revealTraceCall', row }, withTrace), { ok: true, value: { type: 'revealTraceCall', row } });
  for (const [raw, reason] of [
    [{ type: 'revealTraceCall', row: 3 }, /row 3 is not a row of the trace/],
    [{ type: 'revealTraceCall', row: -1 }, /row -1 is not a row of the trace/],
    [{ type: 'revealTraceCall', row: 1.5 }, /must be an integer/],
    [{ type: 'revealTraceCall', row: '1' }, /must be an integer/],
    [{ type: 'revealTraceCall', row: 0, file: '/etc/shadow' }, /unexpected field "file"/],
    [{ type: 'revealTraceCall' }, /missing field "row"/],
  ] as const) {
    const r = parseWebviewMessage(raw, withTrace);
    assert.equal(r.ok, false, JSON.stringify(raw));
    if (!r.ok) assert.match(r.reason, reason);
  }
  // Without a trace no row exists.
  assert.equal(parseWebviewMessage({ type: 'revealTraceCall', row: 0 }, ctx).ok, false);
});

test('unknown, missing and non-string types are rejected', () => {
  rejects({ type: 'runCommand', command: 'workbench.action.terminal.new' }, /unknown message type/);
  rejects({ type: 'toString' }, /unknown message type/);
  rejects({ type: '__proto__' }, /unknown message type/);
  rejects({ type: 'hasOwnProperty' }, /unknown message type/);
  rejects({}, /no string "type"/);
  rejects({ type: 7 }, /no string "type"/);
  rejects(null, /not a plain object/);
  rejects('ready', /not a plain object/);
  rejects(['ready'], /not a plain object/);
  rejects(undefined, /not a plain object/);
});

test('path traversal and unknown article ids are rejected', () => {
  rejects({ type: 'openArticle', id: '../../etc/passwd' }, /malformed/);
  rejects({ type: 'openArticle', id: '/etc/passwd' }, /malformed/);
  rejects({ type: 'openArticle', id: 'ZDIO001/../../x' }, /malformed/);
  rejects({ type: 'openArticle', id: '.hidden' }, /malformed/);
  rejects({ type: 'openArticle', id: 'ZDIO999' }, /not a known article/);
  rejects({ type: 'openArticle', id: 'openzfs#16958' }, /malformed/);
  rejects({ type: 'openArticle', id: '' }, /malformed/);
  rejects({ type: 'openArticle' }, /missing field "id"/);
  rejects({ type: 'openArticle', id: ['ZDIO001'] }, /must be a string/);
  rejects({ type: 'openArticle', id: { toString: 'ZDIO001' } }, /must be a string/);
});

test('dataset names must be in the host list', () => {
  rejects({ type: 'runProbe', target: '/' }, /not in the list/);
  rejects({ type: 'runProbe', target: 'tank; rm -rf ~' }, /not in the list/);
  rejects({ type: 'runProbe', target: '-o mountpoint=/ tank' }, /not in the list/);
  rejects({ type: 'runProbe', target: 'tank\n' }, /control characters/);
  rejects({ type: 'runProbe', target: 'tank\u0000' }, /control characters/);
  rejects({ type: 'runProbe', target: '' }, /out of range/);
  rejects({ type: 'runProbe', target: 42 }, /must be a string/);
  rejects({ type: 'runProbe' }, /missing field "target"/);
});

test('extra fields are rejected, including ones that try to smuggle commands', () => {
  rejects({ type: 'ready', command: 'workbench.action.terminal.new' }, /unexpected field "command"/);
  rejects({ type: 'cancelProbe', target: 'tank' }, /unexpected field "target"/);
  rejects({ type: 'revealFinding', file: '/etc/shadow', line: 1 }, /unexpected field "file"/);
  rejects({ type: 'runProbe', target: 'tank', ab: true }, /unexpected field "ab"/);
  rejects({ type: 'runProbe', target: 'tank', zfsPath: '/tmp/evil' }, /unexpected field "zfsPath"/);
});

test('prototype-pollution keys, getters, symbols and exotic objects are rejected', () => {
  rejects(JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'), /unexpected field "__proto__"/);
  rejects(JSON.parse('{"type":"ready","constructor":{"prototype":{"polluted":true}}}'), /unexpected field "constructor"/);
  rejects({ type: 'openArticle', id: 'ZDIO001', prototype: {} }, /unexpected field "prototype"/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype stays clean');

  const getter = { get type() { return 'ready'; } };
  rejects(getter, /not a plain object/);
  const withSymbol = { type: 'ready', [Symbol('x')]: 1 };
  rejects(withSymbol, /not a plain object/);
  class Fake { type = 'ready'; }
  rejects(new Fake(), /not a plain object/);
  rejects(Object.assign(Object.create({ inherited: 1 }), { type: 'ready' }), /not a plain object/);
  // A null-prototype object with only valid fields is still data.
  assert.equal(parseWebviewMessage(Object.assign(Object.create(null), { type: 'ready' }), ctx).ok, true);
});

test('huge strings are rejected without echoing them back in full', () => {
  const huge = 'a'.repeat(5_000_000);
  const r1 = parseWebviewMessage({ type: 'runProbe', target: huge }, ctx);
  assert.equal(r1.ok, false);
  if (!r1.ok) assert.ok(r1.reason.length < 200, 'reason stays short');
  const r2 = parseWebviewMessage({ type: 'openArticle', id: huge }, ctx);
  assert.equal(r2.ok, false);
  if (!r2.ok) assert.ok(r2.reason.length < 200);
  const r3 = parseWebviewMessage({ type: huge }, ctx);
  assert.equal(r3.ok, false);
  if (!r3.ok) assert.ok(r3.reason.length < 200);
  const r4 = parseWebviewMessage({ type: 'ready', [huge]: 1 }, ctx);
  assert.equal(r4.ok, false);
  if (!r4.ok) assert.ok(r4.reason.length < 200);
  // Exactly at the ZFS limit is allowed when the host listed it.
  const longName = 'p/' + 'd'.repeat(LIMITS.datasetName - 2);
  assert.equal(parseWebviewMessage({ type: 'runProbe', target: longName },
    { ...ctx, datasetNames: new Set([longName]) }).ok, true);
});

test('an empty host list allows nothing', () => {
  const none: ValidationContext = { articleIds: new Set(), datasetNames: new Set() };
  assert.equal(parseWebviewMessage({ type: 'runProbe', target: 'tank' }, none).ok, false);
  assert.equal(parseWebviewMessage({ type: 'openArticle', id: 'ZDIO001' }, none).ok, false);
  assert.equal(parseWebviewMessage({ type: 'ready' }, none).ok, true);
});

test('finding context from a command argument', () => {
  const ok = parseFindingContext({ ruleId: 'ZDIO002', file: '/w/src/io.c', line: 41, code: 'pread(fd, buf, 4097, 0);',
    derived: { length: 4097, pageSize: 4096, direct: true }, extra: 'dropped' });
  assert.deepEqual(ok, { ok: true, value: { ruleId: 'ZDIO002', file: '/w/src/io.c', line: 41, code: 'pread(fd, buf, 4097, 0);',
    derived: { length: 4097, pageSize: 4096, direct: true } } });
  assert.equal(parseFindingContext({ ruleId: 'ZDIO002' }).ok, true);
  assert.equal(parseFindingContext({ ruleId: 'rm -rf' }).ok, false);
  assert.equal(parseFindingContext({ ruleId: 'ZDIO002', line: -1 }).ok, false);
  assert.equal(parseFindingContext({ ruleId: 'ZDIO002', line: 1.5 }).ok, false);
  assert.equal(parseFindingContext({ ruleId: 'ZDIO002', file: 7 }).ok, false);
  assert.equal(parseFindingContext({ ruleId: 'ZDIO002', file: '/a\nb' }).ok, false);
  assert.equal(parseFindingContext({ ruleId: 'ZDIO002', derived: { x: { nested: 1 } } }).ok, false);
  assert.equal(parseFindingContext({ ruleId: 'ZDIO002', derived: { x: Number.NaN } }).ok, false);
  assert.equal(parseFindingContext({ ruleId: 'ZDIO002', derived: JSON.parse('{"__proto__":{"polluted":1}}') }).ok, false);
  const longCode = parseFindingContext({ ruleId: 'ZDIO002', code: 'x'.repeat(10_000) });
  assert.ok(longCode.ok && longCode.value.code!.length <= LIMITS.code + 1, 'long code lines are shortened');
});

test('restored state keeps only well-formed fields', () => {
  assert.deepEqual(parseRestoredState({ articleId: 'ZDIO001', selectedDataset: 'tank/data', report: { big: 1 } }),
    { articleId: 'ZDIO001', selectedDataset: 'tank/data' });
  assert.deepEqual(parseRestoredState({ articleId: '../x', selectedDataset: 5 }), {});
  assert.deepEqual(parseRestoredState(undefined), {});
  assert.deepEqual(parseRestoredState('junk'), {});
});

test('issue ids map to article ids by the team convention', () => {
  assert.equal(articleIdForIssue('openzfs#16958'), 'openzfs-16958');
  assert.equal(articleIdForIssue('pre-2.3-odirect'), 'pre-2.3-odirect');
});
