// Host-side assertions on the traces of the real-OpenZFS suite: `zfs-dio trace --format json` of
// test/zfs/guest/trace_io.c (gcc -g, lines from addr2line) and trace_io.py (lines from the Python
// bootstrap's markers), made by test/zfs/guest/suite.sh on the 2.3.2 module (tank/always and
// tank/standard) and by test/zfs/guest/matrix.sh on every version of the matrix (each dataset, and
// each zfs_dio_strict value where the module has it). Each traced call is held against three things
// that were made independently of the tracer:
//   - the program's own record of what the call returned (result, or -1 and the errno's name);
//   - the probe's report for the same dataset, made in the same VM just before the trace: the
//     experiment of the same id must have had the same outcome;
//   - the `expect:` comment on the call's source line: the experiment id, then the rule ids that
//     must be findings on exactly that line.
// Run by test/zfs/run.sh with ZFS_TEST_OUTPUT=test-output/zfs, ZFS_TEST_STAGES and ZFS_TEST_VERSIONS;
// re-run alone on a saved output with ZFS_TEST_OUTPUT=… node --test test/zfs/trace-assert.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const OUT = process.env.ZFS_TEST_OUTPUT;
assert.ok(OUT && existsSync(OUT), 'ZFS_TEST_OUTPUT must point at test-output/zfs (run test/zfs/run.sh)');
const STAGES = (process.env.ZFS_TEST_STAGES ?? 'suite').split(/\s+/).filter(Boolean);
const VERSIONS = (process.env.ZFS_TEST_VERSIONS ?? '').split(/\s+/).filter(Boolean);
const GUEST = path.join(OUT, 'guest');
const TRACE = path.join(GUEST, 'trace');
const SOURCES = { c: path.join(import.meta.dirname, 'guest', 'trace_io.c'), py: path.join(import.meta.dirname, 'guest', 'trace_io.py') };
const EXPECTED = JSON.parse(readFileSync(new URL('./matrix-expected.json', import.meta.url), 'utf8'));
const PAGE = 4096;
const RS = 131072;

function readGuest(dir, name) {
  const p = path.join(dir, name);
  assert.ok(existsSync(p), `the guest did not record ${path.relative(OUT, p)}`);
  return readFileSync(p, 'utf8');
}

/** The `expect:` comments of a program: line → { id, rules }. */
function expectations(file) {
  const out = new Map();
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    const m = /expect: ([a-z]+(?:\.[a-z]+)+)((?:\s+ZDIO\d{3})*)/.exec(text);
    if (m) out.set(i + 1, { id: m[1], rules: m[2].trim().split(/\s+/).filter(Boolean).sort() });
  });
  return out;
}

/** Does a frame's file name the program's source? The C one is the path gcc was given on the host. */
function isSource(prog, file) {
  if (!file) return false;
  return prog === 'c' ? file.endsWith('/test/zfs/guest/trace_io.c') : file === '/run/zfstest/trace_io.py';
}

/**
 * Every traced dataset: where its traces and its probe report are. The suite's are named by dataset;
 * the matrix's by its report's name (<dataset>[-strict<N>], as in matrix-expected.json).
 */
const RUNS = [
  ...(STAGES.includes('suite') ? ['always', 'standard'].map((ds) => ({
    title: `2.3.2 suite, tank/${ds}`, ds, traceDir: TRACE, name: ds,
    probe: { dir: path.join(GUEST, 'cases'), rc: `${ds}-json.rc`, json: `${ds}-json.stdout` },
  })) : []),
  ...(STAGES.includes('matrix') ? VERSIONS.flatMap((label) => Object.keys(EXPECTED.versions[label]?.reports ?? {}).map((key) => ({
    title: `OpenZFS ${label} (matrix), ${key}`, label, ds: key.split('-')[0], traceDir: path.join(OUT, 'matrix', label, 'trace'), name: key,
    probe: { dir: path.join(OUT, 'matrix', label, 'reports'), rc: `${key}.rc`, json: `${key}.json` },
  }))) : []),
];

function probeReport(run) {
  const rc = Number(readGuest(run.probe.dir, run.probe.rc).trim());
  assert.equal(rc, 0, `${run.title}: the probe exited ${rc}`);
  return JSON.parse(readGuest(run.probe.dir, run.probe.json));
}

function traced(prog, run) {
  const rc = Number(readGuest(run.traceDir, `${prog}-${run.name}.rc`).trim());
  const stderr = readGuest(run.traceDir, `${prog}-${run.name}.stderr`);
  assert.equal(rc, 1, `${run.title}: zfs-dio trace of ${prog}: exit 1 (findings at warning or error level), got ${rc}; stderr: ${stderr}`);
  const report = JSON.parse(readGuest(run.traceDir, `${prog}-${run.name}.json`));
  const record = JSON.parse(readGuest(run.traceDir, `${prog}-${run.name}.record.json`));
  return { report, record };
}
const SUITE_RUN = (ds) => RUNS.find((r) => r.label === undefined && r.ds === ds);

/** The first frame of an event or finding that is on the program's source. */
const ownLine = (prog, frames) => frames.find((f) => isSource(prog, f.file))?.line;

for (const prog of ['c', 'py']) {
  const expected = expectations(SOURCES[prog]);
  const byId = new Map([...expected].map(([line, e]) => [e.id, { line, rules: e.rules }]));

  test(`${path.basename(SOURCES[prog])}: the expect: comments name distinct probe experiments`, () => {
    assert.equal(byId.size, expected.size, 'one line per experiment');
    assert.ok(byId.size >= 13, `the program covers the copies and the O_DIRECT reads and writes (${byId.size})`);
  });

  for (const run of RUNS) {
    const { ds } = run;
    // Before 2.3 there is no direct property: the dataset has none, and neither have its events and findings.
    const direct = ds === 'plain' ? null : ds;
    test(`${path.basename(SOURCES[prog])} traced on ${run.title}: the program's record, the probe's matrix and the trace agree`, () => {
      const { report, record } = traced(prog, run);
      const probe = probeReport(run);
      if (run.label) assert.match(probe.zfs.kmod, new RegExp(`^${run.label.replace(/\./g, '\\.')}-`), 'the probe ran on the version\'s module');
      assert.equal(report.version, 1);
      assert.equal(report.exitCode, 0, 'the traced program ran to its end');
      assert.equal(record.pageSize, PAGE);
      assert.equal(record.recordsize, RS);
      assert.equal(probe.dataset.properties.recordsize, String(RS), 'the program uses the dataset\'s recordsize');
      assert.deepEqual(record.calls.map((c) => c.id).sort(), [...byId.keys()].sort(), 'the record has every case once');

      for (const call of record.calls) {
        const where = `${prog} on ${run.title}, ${call.id}`;
        // The record's shape: a failed call is -1 with an errno name, a call that worked has its result and null.
        assert.ok(Number.isSafeInteger(call.result), `${where}: result is an integer (${call.result})`);
        if (call.errno === null) assert.ok(call.result >= 0, `${where}: no errno, so a result >= 0`);
        else { assert.equal(call.result, -1, `${where}: failed, so -1`); assert.match(call.errno, /^E[A-Z]+$/); }

        // The probe's report for the same dataset: the same experiment had the same outcome.
        const exp = probe.experiments.find((x) => x.id === call.id);
        assert.ok(exp, `${where}: the probe ran ${call.id}`);
        if (exp.result === 'ok') {
          assert.equal(call.errno, null, `${where}: the probe's ${call.id} worked on tank/${ds}, the program's call got ${call.errno}`);
          assert.equal(call.result, exp.bytes, `${where}: as many bytes as the probe's`);
        } else {
          assert.equal(call.errno, exp.errno, `${where}: the probe's ${call.id} failed with ${exp.errno} on tank/${ds}`);
        }

        // The trace: exactly one I/O event on the call's source line, with the record's result and errno.
        const { line, rules } = byId.get(call.id);
        const events = report.events.filter((e) => !/^open/.test(e.syscall) && ownLine(prog, e.frames) === line);
        assert.equal(events.length, 1, `${where}: one traced call on line ${line}, got ${events.map((e) => e.syscall).join(', ') || 'none'}`);
        const [ev] = events;
        assert.equal(ev.syscall === 'copy_file_range', call.call === 'copy_file_range', `${where}: ${ev.syscall}`);
        assert.equal(ev.result, call.result, `${where}: the trace's result is the program's`);
        assert.equal(ev.errno, call.errno, `${where}: the trace's errno is the program's`);
        assert.equal(ev.dataset, `tank/${ds}`);
        assert.equal(ev.direct, direct, 'the event carries the dataset\'s direct property');
        assert.ok(ev.path.startsWith(`/tmp/zt/${ds}/trace-${prog}/`), ev.path);

        // The findings on that line: exactly the expected rules, each with the call's real outcome.
        const findings = report.findings.filter((f) => isSource(prog, f.file) && f.line === line);
        assert.deepEqual(findings.map((f) => f.ruleId).sort(), rules, `${where}: rules on line ${line}`);
        for (const f of findings) {
          assert.equal(f.observed.errno, call.errno ?? undefined, `${where} ${f.ruleId}: errno`);
          assert.equal(f.observed.result, call.result, `${where} ${f.ruleId}: result`);
          // Every rule these calls break is a warning by default (ZDIO004, information, is never hit: the
          // aligned writes are whole records).
          assert.equal(f.severity, call.errno ? 'error' : 'warning',
            `${where} ${f.ruleId}: a refused call is an error, one that worked keeps the rule's severity`);
          assert.equal(f.observed.count, 1);
          assert.equal(f.observed.dataset, `tank/${ds}`);
          assert.equal(f.observed.direct, direct ?? undefined, 'the finding carries the dataset\'s direct property');
          // The message stays within the Problems panel's line; the whole sentence is the detail where it had to be cut.
          assert.ok(f.message.length <= 120, `${where} ${f.ruleId}: ${f.message.length} characters: ${f.message}`);
          const whole = f.detail ?? f.message;
          assert.match(whole, new RegExp(`^at run time: .* on tank/${ds}${direct ? ` \\(direct=${ds}\\)` : '(?! \\(direct=)'}`));
          if (call.errno) assert.match(f.message, new RegExp(`→ ${call.errno}`));
          if (f.ruleId === 'ZDIO001') assert.ok(f.derived.bufferMisalignment > 0, `${where}: the buffer really was misaligned`);
          // A misaligned O_DIRECT read or write that worked says what it went through, as the probe measured it.
          if (/^dio\./.test(call.id) && !call.errno) {
            const how = { arc: /; it worked: through the ARC, no error on OpenZFS /, uncached: /; it worked: uncached, not EINVAL on OpenZFS /,
              unknown: /; it worked: cached, no Direct I\/O pre-2\.3 on OpenZFS / }[exp.io];
            assert.ok(how, `${where}: the probe measured io=${exp.io}`);
            assert.match(whole, how, `${where}: the probe measured io=${exp.io}`);
            if (run.label) assert.ok(whole.endsWith(` on OpenZFS ${run.label}`), `${where}: ${whole}`);
          } else {
            assert.doesNotMatch(whole, /it worked:/, `${where}: only a misaligned O_DIRECT call that worked says how`);
          }
          assert.equal(f.observed.location, prog === 'c' ? 'debug-info' : 'python-bootstrap', `${where}: where the line came from`);
        }
      }
      // No finding anywhere else: every finding is on a line with an expect: comment.
      for (const f of report.findings) {
        assert.ok(isSource(prog, f.file) && expected.has(f.line), `unexpected finding ${f.ruleId} at ${f.file}:${f.line}: ${f.message}`);
      }
    });
  }

  if (SUITE_RUN('always')) test(`${path.basename(SOURCES[prog])}: misaligned O_DIRECT is EINVAL on direct=standard and works through the ARC on direct=always (2.3.2)`, () => {
    const always = traced(prog, SUITE_RUN('always')).record.calls;
    const standard = traced(prog, SUITE_RUN('standard')).record.calls;
    const probeAlways = probeReport(SUITE_RUN('always'));
    assert.match(probeAlways.zfs.kmod, /^2\.3\.2-/);
    for (const id of ['dio.read.buf', 'dio.read.len', 'dio.read.off', 'dio.write.buf', 'dio.write.len', 'dio.write.off']) {
      const s = standard.find((c) => c.id === id);
      assert.deepEqual([s.result, s.errno], [-1, 'EINVAL'], `${id} on standard`);
      const a = always.find((c) => c.id === id);
      assert.equal(a.errno, null, `${id} on always`);
      assert.ok(a.result > 0, `${id} on always moved bytes`);
      assert.equal(probeAlways.experiments.find((x) => x.id === id).io, 'arc', `${id}: the probe saw it go through the ARC`);
    }
    for (const id of ['dio.read.aligned', 'dio.write.aligned']) {
      for (const calls of [always, standard]) assert.deepEqual([calls.find((c) => c.id === id).result, calls.find((c) => c.id === id).errno], [RS, null], id);
    }
    // The copy with O_DIRECT descriptors and a range that is not even page-aligned: the fallback copy's
    // O_DIRECT read is refused on standard, and done through the ARC on always.
    assert.equal(standard.find((c) => c.id === 'cfr.odirect.misaligned').errno, 'EINVAL');
    assert.equal(always.find((c) => c.id === 'cfr.odirect.misaligned').result, RS + 1);
  });
}

if (SUITE_RUN('standard')) test('the C program\'s findings name their callers from the debug information', () => {
  const { report } = traced('c', SUITE_RUN('standard'));
  const f = report.findings.find((x) => x.ruleId === 'ZDIO002' && x.callee === 'pwrite64');
  assert.ok(f, 'the misaligned-length pwrite is a finding');
  assert.deepEqual(f.observed.frames.filter((fr) => isSource('c', fr.file)).map((fr) => fr.function).slice(0, 2), ['writes', 'main']);
  assert.match(f.detail ?? f.message, /O_DIRECT pwrite64 of 4097 bytes at offset 393216 on tank\/standard \(direct=standard\) → EINVAL/);
});

for (const ds of SUITE_RUN('always') ? ['always', 'standard'] : []) {
  test(`--two-pass of trace_io.c on tank/${ds}: the same findings on the same lines as one pass with stacks`, () => {
    const one = traced('c', SUITE_RUN(ds)).report;
    const rc = Number(readGuest(TRACE, `c-${ds}.two-pass.rc`).trim());
    assert.equal(rc, 1, readGuest(TRACE, `c-${ds}.two-pass.stderr`));
    const two = JSON.parse(readGuest(TRACE, `c-${ds}.two-pass.json`));
    const shape = (r) => r.findings.map((f) => JSON.stringify([f.ruleId, f.line, f.observed.errno ?? null, f.observed.result, f.observed.count,
      f.observed.direct, f.message.replace(/0x[0-9a-f]+/, 'ADDR').replace(/trace-c2?\//, 'trace-c/')])).sort();
    assert.deepEqual(shape(two), shape(one));
    assert.ok(two.findings.every((f) => isSource('c', f.file)), 'every finding got its source line from the second run');
    const calls = new Set(two.findings.map((f) => f.line)).size;
    assert.deepEqual([two.secondPass.ran, two.secondPass.matched, two.secondPass.unmatched], [true, calls, 0]);
    assert.deepEqual(two.secondPass.syscalls, ['copy_file_range', 'pread64', 'pwrite64']);
    assert.equal(two.exitCode, 0);
    if (ds === 'always') {
      // the aligned and the misaligned-buffer read both worked: same file, length, offset and result
      const reads = two.events.filter((e) => e.syscall === 'pread64' && e.args.length === RS && e.args.offset === RS);
      assert.deepEqual(reads.map((e) => [e.result, e.errno]), [[RS, null], [RS, null]]);
      assert.deepEqual(reads[0].frames, [], 'the aligned read was not traced again');
      assert.equal(ownLine('c', reads[1].frames), byLine('dio.read.buf'), 'the misaligned read got its own line');
    }
  });
}

function byLine(id) {
  for (const [line, e] of expectations(SOURCES.c)) if (e.id === id) return line;
  return undefined;
}
