// Real traces: each program under test/trace/programs/ is built with its language's Debian toolchain
// and debug information, run by `zfs-dio trace --format json` in a scratch directory on this
// machine's disk (ext4 refuses misaligned O_DIRECT with EINVAL, as OpenZFS does on direct=standard),
// and every `expect: ZDIO…` comment must be a finding on exactly that line, with nothing elsewhere.
// test/trace/run.sh installs the toolchains and sets TRACE_WORK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repo, 'dist/cli.js');
const programs = path.join(repo, 'test/trace/programs');
const work = process.env.TRACE_WORK ?? path.join(repo, 'test-output/trace');
const bin = path.join(work, 'bin');
const data = path.join(work, 'data');
mkdirSync(bin, { recursive: true });
mkdirSync(data, { recursive: true });

const BUILD = {
  '.c': (src, out) => ['/usr/bin/gcc', ['-g', '-O0', '-Wall', '-o', out, src]],
  '.cpp': (src, out) => ['/usr/bin/g++', ['-g', '-O0', '-Wall', '-o', out, src]],
  '.rs': (src, out) => ['/usr/bin/rustc', ['-g', '-C', 'opt-level=0', '--edition', '2021', '-o', out, src]],
  '.go': (src, out) => ['/usr/bin/go', ['build', '-o', out, src]],
};

function build(file) {
  const ext = path.extname(file);
  if (ext === '.py') return ['/usr/bin/python3', [path.join(programs, file)]];
  const out = path.join(bin, path.basename(file).replace('.', '_'));
  const [cc, args] = BUILD[ext](path.join(programs, file), out);
  execFileSync(cc, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOCACHE: path.join(work, 'gocache'), GOFLAGS: '-mod=mod', GO111MODULE: 'off' } });
  return [out, []];
}

/** Lines of `file` with an `expect:` comment, and the rule ids each expects. */
function expectations(file) {
  const out = new Map();
  readFileSync(path.join(programs, file), 'utf8').split('\n').forEach((line, i) => {
    const m = /expect: ((?:ZDIO\d{3}\s*)+)/.exec(line);
    if (m) out.set(i + 1, new Set(m[1].trim().split(/\s+/)));
  });
  return out;
}

function trace(args, opts = {}) {
  const r = spawnSync(process.execPath, [cli, 'trace', '--format', 'json', ...args], { cwd: data, encoding: 'utf8', timeout: 120_000, ...opts });
  let report;
  try { report = JSON.parse(r.stdout); } catch { assert.fail(`zfs-dio trace printed no JSON (exit ${r.status}): ${r.stderr}\n${r.stdout}`); }
  return { status: r.status, report, stderr: r.stderr };
}

for (const file of readdirSync(programs).filter((f) => /^(direct_helpers\.c|vectored_io\.c|member_io\.cpp|write_at\.rs|write_at\.go|block_writer\.py)$/.test(f))) {
  test(`${file}: every expected finding on its line, nothing else`, () => {
    const [program, pre] = build(file);
    const target = path.join(data, `${path.basename(file)} out\nfile.dat`);
    const { status, report } = trace(['--', program, ...pre, target]);
    assert.equal(status, 1, 'findings at warning or error level give exit code 1');
    assert.equal(report.version, 1);
    const expected = expectations(file);
    assert.ok(expected.size > 0);
    const source = path.join(programs, file);
    const got = new Map();
    for (const f of report.findings) {
      assert.equal(f.file, source, `finding ${f.ruleId} "${f.message}" is on the program's own source, not ${f.file}`);
      if (!got.has(f.line)) got.set(f.line, new Set());
      got.get(f.line).add(f.ruleId);
      assert.equal(f.observed.errno, 'EINVAL', `${f.ruleId} at line ${f.line}: ext4 refuses it`);
      assert.equal(f.severity, 'error');
      assert.match(f.message, /^at run time: /);
      assert.ok(f.observed.path.endsWith('out\nfile.dat'), 'the path with a space and a newline is reported as it is');
    }
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort(), 'findings on exactly the expected lines');
    for (const [line, rules] of expected) assert.deepEqual([...got.get(line)].sort(), [...rules].sort(), `rules at line ${line}`);
    // The O_DIRECT open is an event with its frames on the program's source.
    const open = report.events.find((e) => /^open/.test(e.syscall) && e.args.oDirect);
    assert.ok(open, 'the O_DIRECT open is recorded');
    assert.ok(open.frames.some((fr) => fr.file === source), 'and placed on the source');
  });
}

test('the panel\'s timeline of a real trace: the calls in order, the refused ones with their rules and the program\'s lines', async () => {
  // The timeline module, bundled from its TypeScript source, as the panel host runs it.
  const { build: bundle } = await import('esbuild');
  const out = await bundle({ entryPoints: [path.join(repo, 'src/core/trace/timeline.ts')], bundle: true, write: false,
    format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  const { traceTimeline } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const [program] = build('direct_helpers.c');
  const { report } = trace(['--', program, path.join(data, 'timeline.dat')]);
  const t = traceTimeline(report);
  const source = path.join(programs, 'direct_helpers.c');
  assert.equal(t.calls, report.events.length);
  assert.equal(t.omitted, 0);
  assert.deepEqual(t.rows.map((r) => r.event), report.events.map((_, i) => i), 'every call, in order');
  const refused = t.rows.filter((r) => r.failed);
  assert.ok(refused.length >= 3, `the short, misaligned and mispositioned writes are refused: ${JSON.stringify(t.rows.map((r) => [r.syscall, r.answer]))}`);
  for (const r of refused) {
    assert.equal(r.answer, 'EINVAL');
    assert.ok(r.rules.length > 0, `${r.syscall} ${r.request}: a refused call has its finding's rules`);
    assert.equal(r.source?.file, source);
  }
  const short = t.rows.find((r) => r.request.startsWith('1000 bytes'));
  assert.ok(short, 'the 1000-byte pwrite is a row');
  assert.deepEqual([...short.rules].sort(), ['ZDIO002']);
  assert.match(short.request, /^1000 bytes, at offset 4096, buffer 0x[0-9a-f]+, O_DIRECT$/);
  assert.ok(t.rows.some((r) => !r.failed && r.request.startsWith('4096 bytes, at offset 0')), 'the aligned pwrite went through');
  writeFileSync(path.join(work, 'timeline.json'), JSON.stringify(t, null, 2));
});

test('vectored reads that failed name the misaligned segment\'s real address; a vectored write\'s addresses are not printed, and the report says so', () => {
  const [program] = build('vectored_io.c');
  const { report } = trace(['--', program, path.join(data, 'vectored.dat')]);
  const source = path.join(programs, 'vectored_io.c');
  const lines = [...expectations('vectored_io.c').keys()];
  const at = (syscall) => {
    const e = report.events.filter((x) => x.syscall === syscall && x.errno === 'EINVAL');
    assert.equal(e.length, 1, `one refused ${syscall}`);
    const f = report.findings.filter((x) => x.callee === syscall && x.ruleId === 'ZDIO001');
    assert.equal(f.length, 1, `one ZDIO001 on ${syscall}`);
    assert.equal(f[0].file, source);
    return [e[0], f[0]];
  };
  const [preadv, preadvFinding] = at('preadv');
  assert.equal(preadvFinding.line, lines[0]);
  assert.equal(preadv.args.segmentBuffers.length, 1);
  assert.equal(preadvFinding.derived.buffer, preadv.args.segmentBuffers[0], 'the address the kernel was given');
  assert.equal(preadvFinding.derived.bufferMisalignment, 8);
  const [readv, readvFinding] = at('readv');
  assert.equal(readvFinding.line, lines[1]);
  assert.equal(readvFinding.derived.buffer, readv.args.segmentBuffers[1]);
  assert.deepEqual([readvFinding.derived.segment, readvFinding.derived.bufferMisalignment], [2, 16]);
  const [pwritev, pwritevFinding] = at('pwritev');
  assert.equal(pwritevFinding.line, lines[2]);
  assert.equal(pwritev.args.segmentBuffers, undefined);
  assert.equal(pwritevFinding.derived.buffer, undefined, 'no address was printed for the write');
  assert.ok(report.notes.some((n) => /^2 vectored O_DIRECT call\(s\) had their buffer addresses unchecked/.test(n)), report.notes.join('; '));
});

test('a program that forks many children: every child\'s call is seen, as one finding with a count', () => {
  const [program] = build('many_children.c');
  const { status, report } = trace(['--', program, path.join(data, 'many children.dat')]);
  assert.equal(status, 1);
  const f = report.findings.filter((x) => x.ruleId === 'ZDIO002');
  assert.equal(f.length, 1);
  assert.equal(f[0].observed.count, 40);
  assert.equal(f[0].line, [...expectations('many_children.c').keys()][0]);
  assert.equal(new Set(report.events.filter((e) => e.syscall === 'pwrite64').map((e) => e.pid)).size, 40, '40 different processes');
});

test('a program that never ends: the timeout kills it and the child it left behind', () => {
  const [program] = build('never_ends.c');
  const pids = path.join(data, 'never-ends.pids');
  const r = spawnSync(process.execPath, [cli, 'trace', '--timeout', '3', '--', program, pids], { cwd: data, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /ran longer than 3 s; it and its children were killed/);
  const [parent, child] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
  for (const pid of [parent, child]) {
    let alive = true;
    try { process.kill(pid, 0); } catch { alive = false; }
    assert.equal(alive, false, `process ${pid} is gone`);
  }
});

test('missing strace, a command that cannot start, and a usage error each get a clear message', () => {
  let r = spawnSync(process.execPath, [cli, 'trace', '--strace', '/nonexistent/strace', '--', '/bin/true'], { encoding: 'utf8' });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /strace was not found/);
  r = spawnSync(process.execPath, [cli, 'trace', '--format', 'json', '--', path.join(data, 'no such program')], { encoding: 'utf8' });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /cannot start .*no such program: No such file or directory/);
  assert.equal(JSON.parse(r.stdout).error.code, 'COMMAND_NOT_STARTED');
  r = spawnSync(process.execPath, [cli, 'trace', 'ls'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /put the command after --/);
});

test('SARIF output carries the observed values and the source location', () => {
  const [program] = build('direct_helpers.c');
  const r = spawnSync(process.execPath, [cli, 'trace', '--format', 'sarif', '--', program, path.join(data, 'sarif.dat')], { cwd: data, encoding: 'utf8' });
  const log = JSON.parse(r.stdout);
  const results = log.runs[0].results;
  assert.ok(results.length >= 3);
  for (const res of results) {
    assert.match(res.locations[0].physicalLocation.artifactLocation.uri, /direct_helpers\.c$/);
    assert.equal(res.properties.observed.errno, 'EINVAL');
  }
  writeFileSync(path.join(work, 'direct_helpers.sarif'), r.stdout);
  assert.ok(existsSync(path.join(work, 'direct_helpers.sarif')));
});

test('--two-pass: the same findings on the same lines as one pass with stacks; a Python script needs no second run', () => {
  const [program] = build('direct_helpers.c');
  const target = path.join(data, 'two pass.dat');
  const shape = (r) => r.findings.map((f) => JSON.stringify([f.ruleId, f.file, f.line, f.observed.errno ?? null, f.observed.count, f.message.replace(/0x[0-9a-f]+/, 'ADDR')])).sort();
  const one = trace(['--', program, target]);
  const two = trace(['--two-pass', '--', program, target]);
  assert.equal(two.status, 1);
  assert.equal(one.report.findings.length, 3);
  assert.deepEqual(shape(two.report), shape(one.report));
  const second = two.report.secondPass;
  assert.deepEqual([second.ran, second.unmatched, second.matched], [true, 0, 3],
    'the three calls that became findings (two pwrites through the helper, the write at 100) were matched');
  assert.deepEqual(second.syscalls, ['pwrite64', 'write']);
  assert.deepEqual(second.paths, [target]);
  // Only the calls that became findings have frames: the aligned pwrite was not traced again.
  const aligned = two.report.events.find((e) => e.syscall === 'pwrite64' && e.args.length === 4096 && e.args.offset === 0);
  assert.deepEqual(aligned.frames, []);

  const py = trace(['--two-pass', '--', '/usr/bin/python3', path.join(programs, 'block_writer.py'), path.join(data, 'two pass py.dat')]);
  assert.equal(py.report.secondPass.ran, false, 'the bootstrap\'s markers already give every line');
  assert.ok(py.report.findings.length > 0 && py.report.findings.every((f) => f.file === path.join(programs, 'block_writer.py')));
  assert.ok(py.report.findings.every((f) => f.observed.location === 'python-bootstrap'), 'a script\'s line comes from the bootstrap, and says so');
  assert.ok(one.report.findings.every((f) => f.observed.location === 'debug-info'), 'a binary\'s line comes from its debug information');
});
