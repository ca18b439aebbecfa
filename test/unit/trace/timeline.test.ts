// The trace timeline the root-cause panel shows: rows in the order the calls happened, the kernel's
// answer, the program's line and the rules each call broke; bounded, with every call that has a finding kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceTimeline, type TimelineInput } from '../../../src/core/trace/timeline';
import type { TraceReport } from '../../../src/core/trace/index';

type Event = TimelineInput['events'][number];
const frame = (line: number) => [{ file: '/src/prog.c', line, function: 'main' }, { file: '/src/prog.c', line: 3, function: 'start' }];
const open: Event = { syscall: 'openat', pid: 10, fd: 3, path: '/tank/db/f', dataset: 'tank/db', args: { flags: '0x4042', oDirect: true },
  result: 3, errno: null, frames: frame(12) };
const misaligned: Event = { syscall: 'pwrite64', pid: 10, fd: 3, path: '/tank/db/f', dataset: 'tank/db', direct: 'standard',
  args: { buffer: '0x5612a0', length: 1000, offset: 0, offsetFrom: 'argument', oDirect: true }, result: -1, errno: 'EINVAL', frames: frame(14) };
const aligned: Event = { ...misaligned, args: { ...misaligned.args, length: 4096 }, result: 4096, errno: null, frames: frame(15) };
const copy: Event = { syscall: 'copy_file_range', pid: 10, fd: 4, path: '/tank/db/g', dataset: 'tank/db',
  args: { length: 65536, sourceOffset: 512, offset: 0, sourcePath: '/tank/db/f', sourceFd: 3 }, result: 65536, errno: null, frames: [] };

function report(events: Event[]): TimelineInput {
  return {
    command: ['./prog', 'a b'], exitCode: 0, events,
    findings: [{ file: '/src/prog.c', line: 14, ruleId: 'ZDIO002', derived: { length: 1000, pageSize: 4096 }, observed: { syscall: 'pwrite64', path: '/tank/db/f' } }],
  };
}

test('each call becomes a row in order: what it asked for, what the kernel answered, its line and its rules', () => {
  const t = traceTimeline(report([open, misaligned, aligned, copy]));
  assert.deepEqual(t.command, ['./prog', 'a b']);
  assert.equal(t.exit, 'exited with 0');
  assert.equal(t.calls, 4);
  assert.equal(t.findings, 1);
  assert.equal(t.omitted, 0);
  assert.deepEqual(t.rows.map((r) => [r.event, r.syscall, r.answer, r.failed, r.rules]), [
    [0, 'openat', '3', false, []],
    [1, 'pwrite64', 'EINVAL', true, ['ZDIO002']],
    [2, 'pwrite64', '4096', false, []],
    [3, 'copy_file_range', '65536', false, []],
  ]);
  assert.equal(t.rows[1]!.request, '1000 bytes, at offset 0, buffer 0x5612a0, O_DIRECT');
  assert.equal(t.rows[3]!.request, '65536 bytes, from offset 512, to offset 0, from /tank/db/f');
  assert.equal(t.rows[0]!.request, 'flags 0x4042, O_DIRECT');
  assert.deepEqual(t.rows[1]!.source, { file: '/src/prog.c', line: 14, function: 'main' }, 'the innermost of the program\'s frames');
  assert.equal(t.rows[3]!.source, null, 'no frames: no line');
  assert.equal(t.rows[1]!.dataset, 'tank/db');
  assert.equal(t.rows[1]!.direct, 'standard');
  assert.equal(t.rows[0]!.direct, null, 'not read for that call: unknown');
});

test('two calls on one helper line: each gets the rule whose values it had', () => {
  const helperLine = frame(14);
  const short: Event = { ...misaligned, frames: helperLine };
  const shifted: Event = { ...misaligned, args: { ...misaligned.args, length: 4096, buffer: '0x5612a8' }, frames: helperLine };
  const t = traceTimeline({ ...report([short, shifted]), findings: [
    { file: '/src/prog.c', line: 14, ruleId: 'ZDIO002', derived: { length: 1000 }, observed: { syscall: 'pwrite64', path: '/tank/db/f' } },
    { file: '/src/prog.c', line: 14, ruleId: 'ZDIO001', derived: { buffer: '0x5612a8', bufferMisalignment: 8 }, observed: { syscall: 'pwrite64', path: '/tank/db/f' } },
  ] });
  assert.deepEqual(t.rows.map((r) => r.rules), [['ZDIO002'], ['ZDIO001']]);
});

test('a killed program says so', () => {
  const t = traceTimeline({ ...report([open]), exitCode: 137, signal: 'SIGKILL' });
  assert.equal(t.exit, 'was killed by SIGKILL');
});

test('many calls: the rows are bounded, every call with a finding is kept, and the order stays the order of the calls', () => {
  const many: Event[] = [];
  for (let i = 0; i < 1000; i++) many.push({ ...aligned, frames: frame(100 + i) });
  many.push(misaligned);   // the one finding comes last
  const t = traceTimeline(report(many), 50);
  assert.equal(t.rows.length, 50);
  assert.equal(t.omitted, 951);
  assert.equal(t.rows.at(-1)!.event, 1000, 'the call with a finding is kept although it came last');
  assert.deepEqual(t.rows.at(-1)!.rules, ['ZDIO002']);
  const order = t.rows.map((r) => r.event);
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
});

test('the tracer\'s own report type is a timeline input', () => {
  const r: TraceReport = { version: 1, command: ['x'], exitCode: 0, durationMs: 1, events: [], findings: [], notes: [] };
  assert.equal(traceTimeline(r).rows.length, 0);
});
