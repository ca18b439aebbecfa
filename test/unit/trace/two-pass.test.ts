// --two-pass: which calls the second run traces, and how its calls are matched to the first run's.
// The recordings are two runs of test/fixtures/trace/two-pass.c (gcc -g -O0) on ext4: pass 1 with the
// full filter and no stacks, pass 2 with -k on pwrite64 and copy_file_range of the program's two files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseStraceOutput } from '../../../src/core/trace/strace-output';
import { replayTrace, type TraceEvent } from '../../../src/core/trace/events';
import { becomesFinding, traceFindings, type FindingContext } from '../../../src/core/trace/findings';
import { eventIdentity, matchSecondPass, planSecondPass, recordIdentity } from '../../../src/core/trace/two-pass';
import { straceArguments } from '../../../src/core/trace/tracer';
import { parseTraceArgs } from '../../../src/cli/trace-command';

const FIX = path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/trace');
const recorded = (name: string) => readFileSync(path.join(FIX, name), 'utf8');
const ctx: FindingContext = { pageSize: 4096, datasetOf: () => ({ fsType: 'ext4' }), framesOf: () => [], languageOf: () => 'c' };
const finds = (e: TraceEvent) => becomesFinding(e, ctx);

const pass1 = () => replayTrace(parseStraceOutput(recorded('two-pass.pass1.strace')), { arch: 'x64' });
const pass2 = () => parseStraceOutput(recorded('two-pass.pass2.strace'));

test('pass 2 is planned for the calls that became findings: their system calls, on their files', () => {
  const events = pass1();
  const plan = planSecondPass(events, finds)!;
  assert.deepEqual(plan.syscalls, ['copy_file_range', 'pwrite64']);
  assert.deepEqual(plan.paths?.map((p) => path.basename(p)), ['tp data', 'tp other']);
  // the misaligned pwrite, the copy from the O_DIRECT descriptor, the short pwrite; not the aligned pwrite
  assert.deepEqual(plan.events.map((e) => [e.syscall, e.length, e.errno]), [
    ['pwrite64', 4096, 'EINVAL'], ['copy_file_range', 3000, 'EINVAL'], ['pwrite64', 1000, 'EINVAL']]);
  // every pwrite64 on the file counts, the one on the plain descriptor too: that is what pass 2 sees
  assert.deepEqual(events.filter((e) => e.syscall === 'pwrite64').map((e) => e.ordinal), [1, 2, 3]);
});

test('nothing to plan: no finding, or every finding already has its line from the Python bootstrap', () => {
  const events = pass1();
  assert.equal(planSecondPass(events, () => false), undefined);
  const marked = events.map((e) => ({ ...e, scriptFrame: { file: '/srv/app.py', line: 3 } }));
  assert.equal(planSecondPass(marked, finds), undefined);
});

test('pass 2\'s calls are matched by their order on the file and checked by their values', () => {
  const events = pass1();
  const plan = planSecondPass(events, finds)!;
  const match = matchSecondPass(plan, pass2());
  assert.deepEqual([match.matched, match.unmatched], [3, 0]);
  const own = (m: typeof match, e: TraceEvent) => m.frames.get(e)?.find((f) => f.binary.endsWith('/tp'))?.symbol;
  assert.deepEqual(plan.events.map((e) => own(match, e)), ['main+0xc8', 'main+0x115', 'main+0x12d']);
  const line = (e: TraceEvent) => Number.parseInt(own(match, e)!.slice('main+'.length), 16);
  const findings = traceFindings(events, { ...ctx, framesOf: (e) => (match.frames.has(e) ? [{ file: 'two-pass.c', line: line(e) }] : []) });
  assert.deepEqual(findings.map((f) => [f.ruleId, f.line]).sort(), [['ZDIO001', 0xc8], ['ZDIO002', 0x12d], ['ZDIO011', 0x115]]);
});

test('two calls with the same values on the same file (direct=always accepts both) are told apart by their order', () => {
  // As if the kernel had taken the misaligned pwrite too: then it differs from the aligned one only in its
  // buffer address, which pass 2 does not print. Its stack must still be its own (main+0xc8), not main+0xac.
  const accept = (text: string) => text.replace(/(pwrite64\(0x3, 0x[0-9a-f]+, 0x1000, 0x1000\)) = -1 EINVAL \(Invalid argument\)/, '$1 = 0x1000')
    .replace(/(4096, 4096\)) = -1 EINVAL \(Invalid argument\)/, '$1 = 4096');
  const events = replayTrace(parseStraceOutput(accept(recorded('two-pass.pass1.strace'))), { arch: 'x64' });
  const plan = planSecondPass(events, finds)!;
  const same = events.filter((e) => e.syscall === 'pwrite64' && e.length === 4096);
  assert.equal(eventIdentity(same[0]!), eventIdentity(same[1]!), 'the aligned and the misaligned call look the same');
  const match = matchSecondPass(plan, parseStraceOutput(accept(recorded('two-pass.pass2.strace'))));
  assert.deepEqual([match.matched, match.unmatched], [3, 0]);
  assert.equal(match.frames.get(plan.events[0]!)?.find((f) => f.binary.endsWith('/tp'))?.symbol, 'main+0xc8');
  assert.equal(match.frames.has(same[0]!), false, 'the aligned call was not planned');
});

test('a second run that did something else leaves those calls without a line, and keeps pass 1\'s values', () => {
  const events = pass1();
  const plan = planSecondPass(events, finds)!;
  // the short pwrite got another result the second time, and the copy never happened
  const text = recorded('two-pass.pass2.strace')
    .replace('1000, 0) = -1 EINVAL (Invalid argument)', '1000, 0) = 1000')
    .replace(/^\d+\s+copy_file_range\(.*$/m, '');
  const match = matchSecondPass(plan, parseStraceOutput(text));
  assert.deepEqual([match.matched, match.unmatched], [1, 2]);
  assert.ok(match.frames.has(plan.events[0]!));
  assert.equal(plan.events[2]!.errno, 'EINVAL', 'the first run is the record');
});

test('a call\'s identity leaves out what differs between runs: pids, descriptor numbers, buffer addresses', () => {
  const [a] = parseStraceOutput('7 pwrite64(3</d/f>, "\\0\\0"..., 4096, 8192) = -1 EINVAL (Invalid argument)').calls;
  const [b] = parseStraceOutput('9 pwrite64(5</d/f>, 0x7f0000001001, 4096, 8192) = -1 EINVAL (Invalid argument)').calls;
  assert.equal(recordIdentity(a!), recordIdentity(b!));
  const [c] = parseStraceOutput('9 pwrite64(5</d/f>, 0x7f0000001001, 4096, 12288) = -1 EINVAL (Invalid argument)').calls;
  assert.notEqual(recordIdentity(a!), recordIdentity(c!), 'an explicit offset is part of it');
  const replayed = replayTrace(parseStraceOutput([
    '7 openat(-100</d>, "f", 0x4042, 0644) = 3</d/f>',
    '7 pwrite64(0x3, 0x1001, 0x1000, 0x2000) = -1 EINVAL (Invalid argument)',
  ].join('\n')), { arch: 'x64' }).find((e) => e.kind === 'write')!;
  assert.equal(eventIdentity(replayed), recordIdentity(a!), 'a replayed raw call and a decoded one agree');
  const [v] = parseStraceOutput('7 preadv2(3</d/f>, [{iov_base="", iov_len=512}, {iov_base="", iov_len=4096}], 2, -1, 0) = 4608').calls;
  assert.match(recordIdentity(v!)!, /"512\+4096",null/, 'segments kept, the -1 offset (the file position) left out');
});

test('pass 2\'s strace arguments: stacks, only the planned calls on the planned files, descriptors decoded', () => {
  const argv = straceArguments('/o', ['prog'], true, { syscalls: ['pwrite64', 'copy_file_range'], paths: ['/d/a b', '/d/c'] });
  assert.ok(argv.includes('-k'));
  assert.equal(argv[argv.indexOf('-e') + 1], 'trace=pwrite64,copy_file_range');
  assert.ok(!argv.some((a) => a.startsWith('raw=')), 'not raw: the descriptors carry their paths');
  assert.deepEqual(argv.flatMap((a, i) => (a === '-P' ? [argv[i + 1]] : [])), ['/d/a b', '/d/c']);
  assert.deepEqual(argv.slice(-2), ['--', 'prog']);
  assert.ok(!straceArguments('/o', ['prog'], true, { syscalls: ['write'] }).includes('-P'));
});

test('--two-pass on the command line, and not with --no-stacks', () => {
  assert.equal(parseTraceArgs(['--two-pass', '--', 'x']).twoPass, true);
  assert.equal(parseTraceArgs(['--', 'x']).twoPass, false);
  assert.throws(() => parseTraceArgs(['--two-pass', '--no-stacks', '--', 'x']), /cannot be combined with --no-stacks/);
});
