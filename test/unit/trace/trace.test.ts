// The trace's reader and its replay of descriptor tables, on strace output recorded on ext4 from the
// programs beside each recording (test/fixtures/trace/*.c, built with gcc -g), and on small excerpts
// written the way strace prints the forms the recordings do not contain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseStraceOutput, splitArguments, unescapeStraceText, iovecBases, iovecLengths, pointedNumber } from '../../../src/core/trace/strace-output';
import { replayTrace } from '../../../src/core/trace/events';
import { MESSAGE_LIMIT } from '../../../src/core/analysis/rules/describe';
import { servedMisalignedOn, traceFindings, type DatasetFacts, type FindingContext } from '../../../src/core/trace/findings';
import type { ProbeReport } from '../../../src/core/types';
import { straceArguments, TRACED_SYSCALLS } from '../../../src/core/trace/tracer';
import { parseTraceArgs } from '../../../src/cli/trace-command';

const FIX = path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/trace');
const recorded = (name: string) => readFileSync(path.join(FIX, name), 'utf8');

const onExt4: FindingContext = {
  pageSize: 4096,
  datasetOf: () => ({ fsType: 'ext4' }),
  framesOf: () => [],
  languageOf: () => 'c',
};

test('a call printed in two halves by interleaved threads is joined, with its frames', () => {
  const out = parseStraceOutput([
    '10 pwrite64(0x3, 0x7000, 0x200, 0x1000 <unfinished ...>',
    ' > /srv/app/bin(worker+0x2d) [0x11c6]',
    '11 openat(-100</srv>, "x", 0x42, 0644) = 4</srv/x>',
    '10 <... pwrite64 resumed>)           = 0x200',
    '10 +++ exited with 0 +++',
  ].join('\n'));
  assert.equal(out.calls.length, 2);
  const pw = out.calls.find((c) => c.name === 'pwrite64')!;
  assert.deepEqual(pw.args, ['0x3', '0x7000', '0x200', '0x1000']);
  assert.equal(pw.result, 0x200);
  assert.deepEqual(pw.frames, [{ binary: '/srv/app/bin', symbol: 'worker+0x2d', fileOffset: 0x11c6 }]);
  assert.equal(out.calls.find((c) => c.name === 'openat')!.resultPath, '/srv/x');
  assert.deepEqual(out.exits, [{ pid: 10, code: 0 }]);
  assert.equal(out.rootPid, 10);
});

test('paths with commas, spaces, newlines and angle brackets survive the split', () => {
  assert.deepEqual(splitArguments('3</a, b\\nc>, "x,\\"y", [{iov_base="", iov_len=512}], 2'),
    ['3</a, b\\nc>', '"x,\\"y"', '[{iov_base="", iov_len=512}]', '2']);
  assert.equal(unescapeStraceText('out file\\nx\\\\\\x41\\101'), 'out file\nx\\AA');
  assert.deepEqual(iovecLengths('[{iov_base="", iov_len=512}, {iov_base="", iov_len=4096}]'), [512, 4096]);
  assert.equal(iovecLengths('[{iov_base="", iov_len=512}, ...]'), undefined, 'an abbreviated array is not guessed');
  assert.equal(pointedNumber('[4096 => 8192]'), 4096);
  assert.equal(pointedNumber('NULL'), null);
});

test('errno and an unknown result are read; a failed open adds no descriptor', () => {
  const out = parseStraceOutput([
    '7 openat(-100</w>, "/w/d", 0x4042, 0644) = -1 EACCES (Permission denied)',
    '7 write(0x3, 0x1000, 0x1000) = ? <unavailable>',
  ].join('\n'));
  assert.equal(out.calls[0]!.errno, 'EACCES');
  assert.equal(out.calls[1]!.result, undefined);
  assert.deepEqual(replayTrace(out, { arch: 'x64' }), []);
});

test('threads share the descriptor table, a fork copies it, and dup shares the file position (recorded)', () => {
  const events = replayTrace(parseStraceOutput(recorded('threads-fork-dup.strace')), { arch: 'x64' });
  const writes = events.filter((e) => e.kind === 'write');
  // 3 threads × 50 O_DIRECT pwrite64 of 512 bytes at 0, 4096, 8192: the threads saw the O_DIRECT descriptor.
  const threadWrites = writes.filter((e) => e.syscall === 'pwrite64');
  assert.equal(threadWrites.length, 150);
  assert.deepEqual([...new Set(threadWrites.map((e) => e.offset))].sort((a, b) => a! - b!), [0, 4096, 8192]);
  assert.ok(threadWrites.every((e) => e.length === 512 && e.file?.path?.endsWith('/th data')));
  // The child reopened the file without O_DIRECT: its write of 100 bytes is not an O_DIRECT write.
  assert.ok(!writes.some((e) => e.length === 100), 'the forked child\'s plain descriptor is not O_DIRECT');
  // lseek on the dup moved the original's position to 100: the last write is at offset 100 and failed.
  const last = writes[writes.length - 1]!;
  assert.equal(last.syscall, 'write');
  assert.equal(last.offset, 100);
  assert.equal(last.offsetFrom, 'position');
  assert.equal(last.errno, 'EINVAL');
  const findings = traceFindings(events, onExt4);
  const zdio002 = findings.filter((f) => f.ruleId === 'ZDIO002');
  assert.equal(zdio002.length, 1, 'one finding for the repeated call, not one per call');
  assert.equal(zdio002[0]!.observed.count, 150);
  assert.match(zdio002[0]!.message, /^at run time: O_DIRECT pwrite64 of 512 bytes at offset \d+ on ext4; the length is not a multiple of 4096$/);
  const zdio003 = findings.find((f) => f.ruleId === 'ZDIO003')!;
  assert.match(zdio003.detail ?? zdio003.message, /O_DIRECT write of 4096 bytes at offset 100 \(the file position\) on ext4 → EINVAL; the offset is not a multiple of 4096/);
  assert.equal(zdio003.severity, 'error', 'a call the kernel refused is an error');
});

test('F_SETFL, FICLONE, FICLONERANGE and vectored reads are replayed (recorded)', () => {
  const events = replayTrace(parseStraceOutput(recorded('clone-fcntl-vectored.strace')), { arch: 'x64' });
  const range = events.find((e) => e.kind === 'ficlonerange')!;
  assert.equal(range.length, 4096);
  assert.equal(range.source?.path?.endsWith('/a'), true);
  assert.equal(range.file?.oDirect, true);
  assert.equal(range.errno, 'EOPNOTSUPP');
  assert.ok(events.some((e) => e.kind === 'ficlone'));
  const preadv = events.find((e) => e.syscall === 'preadv')!;
  assert.deepEqual(preadv.segments, [512, 4096]);
  assert.equal(preadv.length, 4608);
  const findings = traceFindings(events, onExt4);
  assert.ok(findings.some((f) => f.ruleId === 'ZDIO002' && /a segment of 512 bytes is not a multiple of 4096/.test(f.message)));
});

test('fcntl(F_SETFL, O_DIRECT) makes later I/O O_DIRECT; clearing it ends that', () => {
  const out = parseStraceOutput([
    '5 openat(-100</d>, "f", 0x2) = 3</d/f>',
    '5 write(0x3, 0x1001, 0x1000) = 0x1000',
    '5 fcntl(3</d/f>, 0x4, 0x4000) = 0',
    '5 write(0x3, 0x1001, 0x1000) = -1 EINVAL (Invalid argument)',
    '5 fcntl(3</d/f>, 0x4, 0) = 0',
    '5 write(0x3, 0x1001, 0x1000) = 0x1000',
  ].join('\n'));
  const events = replayTrace(out, { arch: 'x64' });
  assert.deepEqual(events.map((e) => e.kind), ['set_flags', 'write', 'set_flags']);
  assert.equal(events[1]!.offset, 0x1000, 'the first write moved the position');
  const f = traceFindings(events, onExt4);
  assert.deepEqual(f.map((x) => x.ruleId), ['ZDIO001']);
  assert.match(f[0]!.detail ?? f[0]!.message, /of 4096 bytes at offset 4096 \(the file position\) on ext4 → EINVAL; the buffer 0x1001 is 1 bytes past a 4096-byte page boundary/);
});

test('copy_file_range on ZFS: recordsize alignment, O_DIRECT descriptors and a real EAGAIN', () => {
  const out = parseStraceOutput([
    '9 openat(-100</tank>, "src", 0x4000) = 3</tank/vm/src>',
    '9 openat(-100</tank>, "dst", 0x4042, 0644) = 4</tank/vm/dst>',
    '9 copy_file_range(3</tank/vm/src>, [4096], 4</tank/vm/dst>, [4096], 131072, 0) = -1 EAGAIN (Resource temporarily unavailable)',
    '9 copy_file_range(3</tank/vm/src>, [0], 4</tank/vm/dst>, [0], 131072, 0) = 131072',
  ].join('\n'));
  const events = replayTrace(out, { arch: 'x64' });
  const zfs: FindingContext = { ...onExt4, datasetOf: () => ({ fsType: 'zfs', dataset: 'tank/vm', recordsize: 131072, direct: 'always' }) };
  const findings = traceFindings(events, zfs);
  const misaligned = findings.find((f) => f.ruleId === 'ZDIO010')!;
  assert.match(misaligned.detail ?? misaligned.message, /131072 bytes from offset 4096 to 4096, not aligned to recordsize 131072 on tank\/vm \(direct=always\) → EAGAIN/);
  assert.equal(misaligned.severity, 'error');
  assert.equal(findings.filter((f) => f.ruleId === 'ZDIO010').length, 1, 'the aligned copy is not a ZDIO010 finding');
  // Both copies are on O_DIRECT descriptors: ZDIO011 for each outcome (the failed one and the one that worked).
  assert.equal(findings.filter((f) => f.ruleId === 'ZDIO011').length, 2);
  for (const f of findings) assert.deepEqual([f.observed.dataset, f.observed.direct], ['tank/vm', 'always'], f.message);
});

test('a finding carries the direct property of its descriptor\'s dataset, and only when it is known', () => {
  const out = parseStraceOutput([
    '9 openat(-100</t>, "a", 0x4042, 0644) = 3</t/std/a>',
    '9 openat(-100</t>, "b", 0x4042, 0644) = 4</t/nop/b>',
    '9 openat(-100</t>, "c", 0x4042, 0644) = 5</srv/c>',
    '9 pwrite64(0x3, 0x1000, 0x3e8, 0) = -1 EINVAL (Invalid argument)',
    '9 pwrite64(0x4, 0x1000, 0x3e8, 0) = 1000',
    '9 pwrite64(0x5, 0x1000, 0x3e8, 0) = -1 EINVAL (Invalid argument)',
  ].join('\n'));
  const facts: Record<string, DatasetFacts> = {
    '/t/std/a': { fsType: 'zfs', dataset: 'tank/std', recordsize: 131072, direct: 'standard' },
    // `zfs get` refused: the dataset is named from the mount table, its properties are unknown
    '/t/nop/b': { fsType: 'zfs', dataset: 'tank/nop' },
    '/srv/c': { fsType: 'ext4' },
  };
  const findings = traceFindings(replayTrace(out, { arch: 'x64' }), { ...onExt4, datasetOf: (p) => (p ? facts[p] : undefined) });
  const by = (p: string) => findings.find((f) => f.observed.path === p)!;
  assert.equal(by('/t/std/a').observed.direct, 'standard');
  assert.match(by('/t/std/a').detail ?? by('/t/std/a').message, /on tank\/std \(direct=standard\) → EINVAL/);
  assert.equal(by('/t/nop/b').observed.dataset, 'tank/nop');
  assert.equal('direct' in by('/t/nop/b').observed, false, 'no direct property when it could not be read');
  assert.equal('direct' in by('/srv/c').observed, false, 'none off ZFS');
});

test('the tracer is asked for every call the replay understands, raw where addresses matter', () => {
  const argv = straceArguments('/out/trace.txt', ['prog', '--flag', 'a b'], true);
  assert.deepEqual(argv.slice(-4), ['--', 'prog', '--flag', 'a b'], 'the command is passed as an argument array after --');
  const trace = argv[argv.indexOf('-e') + 1]!;
  for (const name of ['openat', 'pwrite64', 'copy_file_range', 'ioctl', 'fcntl', 'clone3']) assert.ok(trace.split(/[=,]/).includes(name), name);
  assert.ok(argv.includes('-k') && argv.includes('-f') && argv.includes('-y'));
  assert.ok(TRACED_SYSCALLS.length > 20);
  assert.ok(!straceArguments('/o', ['p'], false).includes('-k'));
});

test('the command line: the command follows --, options are checked', () => {
  assert.deepEqual(parseTraceArgs(['--format', 'json', '--', './prog', '--format', 'x']).command, ['./prog', '--format', 'x']);
  assert.throws(() => parseTraceArgs(['--frobnicate', '--', 'x']), /unknown option --frobnicate/);
  assert.throws(() => parseTraceArgs(['./prog']), /put the command after --/);
  assert.throws(() => parseTraceArgs(['--page-size', '1000', '--', 'x']), /power of two/);
  assert.equal(parseTraceArgs(['--timeout', '2.5', '--', 'x']).timeoutMs, 2500);
});

import { splitCommandLine } from '../../../src/core/trace/command-line';

test('a command line typed in the editor is split like a shell splits words, and never handed to one', () => {
  assert.deepEqual(splitCommandLine(`./build/prog --out 'a b' "c \\"d\\"" e\\ f`), { ok: true, argv: ['./build/prog', '--out', 'a b', 'c "d"', 'e f'] });
  assert.deepEqual(splitCommandLine(`bash -c 'make test | tee log'`), { ok: true, argv: ['bash', '-c', 'make test | tee log'] });
  for (const bad of ['prog > out', 'a | b', 'echo $HOME', 'rm *', `"x $(y)"`, `'open`, '   ']) {
    const r = splitCommandLine(bad);
    assert.equal(r.ok, false, bad);
  }
});

// The probe's reports of the real modules of the matrix (test/fixtures/probe/real/), as the trace
// would read the same facts from the running module and `zfs get`.
const realReport = (name: string): ProbeReport => JSON.parse(readFileSync(path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/probe/real', `${name}.json`), 'utf8'));
const factsOf = (r: ProbeReport): DatasetFacts => ({
  fsType: 'zfs', dataset: r.dataset!.name, recordsize: Number(r.dataset!.properties['recordsize']),
  ...(r.dataset!.properties['direct'] ? { direct: r.dataset!.properties['direct'] } : {}),
  ...(servedMisalignedOn(r) ? { servedMisaligned: servedMisalignedOn(r)! } : {}),
});

test('what a misaligned O_DIRECT call that worked went through comes from the verdicts of the module, dataset and parameters', () => {
  assert.deepEqual(servedMisalignedOn(realReport('2.3.9-always')), { consequence: 'through the ARC, no error', module: '2.3.9' });
  assert.deepEqual(servedMisalignedOn(realReport('2.4.4-always-strict0')), { consequence: 'uncached, not EINVAL', issue: 'openzfs#17218', module: '2.4.4' });
  assert.deepEqual(servedMisalignedOn(realReport('2.4.4-standard-strict0')), { consequence: 'uncached, not EINVAL', issue: 'openzfs#17218', module: '2.4.4' });
  assert.deepEqual(servedMisalignedOn(realReport('2.1.11-plain')),
    { consequence: 'cached, no Direct I/O pre-2.3', issue: 'pre-2.3-odirect', module: '2.1.11' });
  // Where such a call is refused there is nothing to say: the errno says it.
  assert.equal(servedMisalignedOn(realReport('2.3.9-standard')), undefined);
  assert.equal(servedMisalignedOn(realReport('2.4.4-always-strict1')), undefined);
  assert.equal(servedMisalignedOn({ ...realReport('2.3.9-always'), zfs: { kmod: null, userland: null } }), undefined, 'not without the module version');
});

test('a vectored read that failed shows its segments\' buffer addresses: a misaligned one is ZDIO001 with the real address (recorded)', () => {
  const events = replayTrace(parseStraceOutput(recorded('vectored-io.strace')), { arch: 'x64' });
  const vectored = events.filter((e) => e.segments !== undefined);
  assert.deepEqual(vectored.map((e) => [e.syscall, e.errno ?? null]),
    [['preadv', 'EINVAL'], ['readv', 'EINVAL'], ['pwritev', 'EINVAL'], ['preadv', null]]);
  const [preadv, readv, pwritev, aligned] = vectored as [typeof vectored[0], typeof vectored[0], typeof vectored[0], typeof vectored[0]];
  assert.equal(preadv.segmentBuffers!.length, 1);
  assert.equal(preadv.segmentBuffers![0]! % 4096, 8);
  assert.deepEqual(readv.segmentBuffers!.map((b) => b % 4096), [0, 16]);
  assert.equal(readv.segmentBuffers![1]! - readv.segmentBuffers![0]!, 4096 + 16, 'the program\'s two buffers, as it laid them out');
  // strace printed the data of the write and of the read that worked, not their addresses.
  assert.equal(pwritev.segmentBuffers, undefined);
  assert.equal(aligned.segmentBuffers, undefined);

  const findings = traceFindings(events, onExt4);
  // The whole sentence of each: the message, or its detail where the message left a part out.
  const of = (syscall: string) => findings.filter((f) => f.callee === syscall).map((f) => [f.ruleId, f.detail ?? f.message, f.derived]);
  for (const f of findings) assert.ok(f.message.length <= MESSAGE_LIMIT, f.message);
  const hex = (n: number) => `0x${n.toString(16)}`;
  assert.deepEqual(of('preadv'), [['ZDIO001',
    `at run time: O_DIRECT preadv of 4096 bytes at offset 0 on ext4 → EINVAL; the buffer ${hex(preadv.segmentBuffers![0]!)} is 8 bytes past a 4096-byte page boundary`,
    { syscall: 'preadv', path: '/tmp/tr/vectored.dat', buffer: hex(preadv.segmentBuffers![0]!), bufferMisalignment: 8, segment: 1, pageSize: 4096 }]]);
  const [readvFinding] = of('readv');
  assert.equal(readvFinding![0], 'ZDIO001');
  assert.match(String(readvFinding![1]), new RegExp(`of 8192 bytes at offset 0 \\(the file position\\) on ext4 → EINVAL; segment 2 of 2: its buffer ${hex(readv.segmentBuffers![1]!)} is 16 bytes past`));
  // The write: lengths and offset aligned, the addresses unseen, so the buffer is the cause left, without an address.
  const [writeFinding] = of('pwritev');
  assert.equal(writeFinding![0], 'ZDIO001');
  assert.match(String(writeFinding![1]), /strace did not print the buffer addresses \(it prints a vectored write's data instead\), so a misaligned buffer is the cause left$/);
  assert.equal((writeFinding![2] as Record<string, unknown>)['buffer'], undefined);
  assert.equal(findings.length, 3, 'the aligned read that worked is no finding');

  assert.deepEqual(iovecBases('[{iov_base=0x7f0000001000, iov_len=4096}, {iov_base=NULL, iov_len=0}]'), [0x7f0000001000, 0]);
  assert.equal(iovecBases('[{iov_base="ab", iov_len=2}]'), undefined, 'data, not an address');
  assert.equal(iovecBases('[{iov_base=0x1000, iov_len=4096}, ...]'), undefined, 'an abbreviated array is not guessed');
});

// strace's output of test/zfs/guest/trace_io.c on real modules, recorded by test/zfs/guest/matrix.sh
// in the matrix's VMs (test/fixtures/trace/README.md), with the facts of the same module and dataset.
const MISALIGNED = { 'dio.read.buf': ['pread64', 'ZDIO001'], 'dio.read.len': ['pread64', 'ZDIO002'], 'dio.read.off': ['pread64', 'ZDIO003'],
  'dio.write.buf': ['pwrite64', 'ZDIO001'], 'dio.write.len': ['pwrite64', 'ZDIO002'], 'dio.write.off': ['pwrite64', 'ZDIO003'] } as const;
const WORDING: Record<string, RegExp> = {
  arc: /; it worked: through the ARC, no error on OpenZFS /,
  uncached: /; it worked: uncached, not EINVAL on OpenZFS /,
  // 2.1 has no counters that tell the ARC from Direct I/O; it has no Direct I/O at all
  unknown: /; it worked: cached, no Direct I\/O pre-2\.3 on OpenZFS /,
};
for (const name of ['2.3.9-always', '2.4.4-always-strict0', '2.1.11-plain', '2.4.4-always-strict1']) {
  test(`on the real ${name} module, a misaligned O_DIRECT call that worked says what it went through, as the probe measured it (recorded)`, () => {
    const report = realReport(name);
    const facts = factsOf(report);
    const events = replayTrace(parseStraceOutput(recorded(`zfs-${name}.strace`)), { arch: 'x64' });
    const findings = traceFindings(events, { ...onExt4, datasetOf: () => facts });
    for (const [id, [syscall, rule]] of Object.entries(MISALIGNED)) {
      const measured = report.experiments.find((x) => x.id === id)!;
      const f = findings.filter((x) => x.callee === syscall && x.ruleId === rule);
      assert.equal(f.length, 1, `${id}: one ${rule} on ${syscall}`);
      assert.equal(f[0]!.observed.errno ?? 'ok', measured.result === 'ok' ? 'ok' : measured.errno, `${id}: the trace saw what the probe saw`);
      assert.ok(f[0]!.message.length <= MESSAGE_LIMIT, `${id}: ${f[0]!.message.length} characters: ${f[0]!.message}`);
      // The whole sentence: the message, or the detail where the message had to leave a part out.
      const whole = f[0]!.detail ?? f[0]!.message;
      if (measured.result === 'ok') {
        assert.match(whole, WORDING[measured.io!]!, `${id} went ${measured.io} in the probe: ${whole}`);
        assert.ok(whole.endsWith(` on OpenZFS ${name.split('-')[0]}`), whole);
        assert.equal(f[0]!.derived['servedAs'], facts.servedMisaligned!.consequence);
        assert.equal(f[0]!.severity, 'warning', 'it worked, so the rule keeps its own severity');
      } else {
        assert.doesNotMatch(whole, /it worked/, `${id} was refused`);
        assert.equal(f[0]!.severity, 'error');
      }
    }
    // the aligned calls and the copies say nothing of the kind
    for (const f of findings) if (!['pread64', 'pwrite64'].includes(f.callee)) assert.doesNotMatch(f.detail ?? f.message, /it worked/, f.message);
    for (const f of findings) assert.ok(f.message.length <= MESSAGE_LIMIT, `${f.message.length} characters: ${f.message}`);
  });
}
