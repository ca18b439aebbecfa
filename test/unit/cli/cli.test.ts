// End-to-end tests of the shipped bundle: every case runs `node dist/cli.js scan …` in a child
// process, exactly as a user or CI would, and checks exit codes, output and notes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sarifSchemaErrors } from './sarif-schema';

const ROOT = process.env.ZFS_DIO_ROOT!;
const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURES = path.join(ROOT, 'test/unit/cli/fixtures');
const REPRO = path.join(FIXTURES, 'repro-16958.c');
const REPRO_CALL_LINE = readFileSync(REPRO, 'utf8').split('\n').findIndex((l) => l.includes('copy_file_range(src')) + 1;
const REPRO_CALL_COLUMN = readFileSync(REPRO, 'utf8').split('\n')[REPRO_CALL_LINE - 1]!.indexOf('copy_file_range') + 1;

interface Run { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function cli(args: string[], opts: { cwd?: string; asNobody?: boolean } = {}): Run {
  let command = process.execPath;
  let argv = [CLI, ...args];
  if (opts.asNobody) {
    // Root reads every file whatever its mode, so "unreadable" is only real for an unprivileged user.
    argv = ['--reuid=65534', '--regid=65534', '--clear-groups', command, ...argv];
    command = 'setpriv';
  }
  const r = spawnSync(command, argv, { cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const tempDirs: string[] = [];
after(() => { for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });

function tempTree(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-cli-'));
  tempDirs.push(dir);
  chmodSync(dir, 0o755);   // the unprivileged run must be able to enter it
  return dir;
}

function json(r: Run) {
  assert.equal(r.signal, null, `no crash: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('usage errors exit 2 with a clear message on stderr', () => {
  const cases: [string[], RegExp][] = [
    [['scan', 'no/such/path'], /no such file or directory: no\/such\/path/],
    [['scan', '--format', 'xml', REPRO], /--format must be one of text, json, sarif, got 'xml'/],
    [['scan', '--page-size', 'abc', REPRO], /--page-size expects a positive number of bytes/],
    [['scan', '--recordsize', '100000', REPRO], /--recordsize must be a power of two between 512 and 16777216/],
    [['scan', '--jobs', '0', REPRO], /--jobs expects a whole number from 1 to 256, got '0'/],
    [['scan', '--max-file-size', '-1', REPRO], /--max-file-size/],
    [['scan', '--bogus', REPRO], /^zfs-dio scan: unknown option --bogus\nRun 'zfs-dio scan --help' for the options\.\n$/],
    [['scan', '--format'], /^zfs-dio scan: --format needs a value\n/],
    [['scan', '--list-sites=yes'], /^zfs-dio scan: --list-sites takes no value\n/],
    [['scan', '--page-size', '100000'], /--page-size must be a power of two between 512 and 1073741824 bytes, got '100000'\n/],
    [['scan', '--page-size', '100K'], /--page-size must be a power of two between 512 and 1073741824 bytes, got '100K' \(102400 bytes\)\n/],
    [['scan', '--languages', 'c,cobol', REPRO], /--languages must be one of c, cpp, rust, go, python, got 'cobol'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /usage: zfs-dio <command>/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')} exits 2`);
    assert.match(r.stderr, message, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', 'nothing on stdout for a usage error');
  }
  const help = cli(['scan', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--format text\|json\|sarif/);
});

test('scan --format json: the openzfs#16958 reproducer gives a copy_file_range site and ZDIO010, exit 1', () => {
  const r = cli(['scan', path.relative(ROOT, REPRO), '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const doc = json(r);
  assert.equal(doc.version, 1);
  const site = doc.sites.find((s: { kind: string }) => s.kind === 'copy_file_range');
  assert.deepEqual({ file: site.file, line: site.line, column: site.column, language: site.language, callee: site.callee },
    { file: 'test/unit/cli/fixtures/repro-16958.c', line: REPRO_CALL_LINE, column: REPRO_CALL_COLUMN, language: 'c', callee: 'copy_file_range' },
    'file as given (relative), 1-based line and column');
  const z10 = doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'ZDIO010');
  assert.ok(z10.length >= 1, JSON.stringify(doc.findings));
  assert.equal(z10[0].severity, 'warning');
  assert.equal(z10[0].line, REPRO_CALL_LINE);
  assert.match(z10.map((f: { message: string }) => f.message).join('\n'), /196608/, 'the message names the derived length');
  for (const f of doc.findings) {
    for (const k of ['file', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'severity', 'message']) assert.ok(k in f, `finding has ${k}`);
    assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line);
  }
});

test('scan --format sarif: valid SARIF 2.1.0 with ZDIO010 and rule metadata', () => {
  const r = cli(['scan', path.relative(ROOT, REPRO), '--format', 'sarif']);
  assert.equal(r.status, 1, r.stderr);
  const log = json(r);
  assert.deepEqual(sarifSchemaErrors(log), []);
  const run = log.runs[0];
  assert.ok(run.tool.driver.rules.some((x: { id: string; help: { text: string } }) => x.id === 'ZDIO010' && x.help.text.length > 20));
  const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'ZDIO010');
  assert.ok(result, 'ZDIO010 is reported');
  assert.equal(result.level, 'warning');
  assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'test/unit/cli/fixtures/repro-16958.c', uriBaseId: '%SRCROOT%' });
  assert.equal(result.locations[0].physicalLocation.region.startLine, REPRO_CALL_LINE);
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${ROOT}/`);
});

test('scan --format sarif: partialFingerprints survive lines inserted above and tell identical findings apart', () => {
  const dir = tempTree();
  const body = readFileSync(REPRO, 'utf8');
  writeFileSync(path.join(dir, 'copy.c'), body);
  type Row = { ruleId: string; fp: string; line: number };
  const fingerprints = (): Row[] => {
    const log = json(cli(['scan', 'copy.c', '--format', 'sarif'], { cwd: dir }));
    assert.deepEqual(sarifSchemaErrors(log), []);
    return log.runs[0].results.map((x: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }) =>
      ({ ruleId: x.ruleId, fp: x.partialFingerprints['zfsDioFinding/v1']!, line: x.locations[0]!.physicalLocation.region.startLine }));
  };
  const before = fingerprints();
  assert.ok(before.length > 0, 'the reproducer has findings');
  for (const r of before) assert.match(r.fp, /^[0-9a-f]{32}:\d+$/);
  writeFileSync(path.join(dir, 'copy.c'), `/* three */\n/* new */\n/* lines */\n${body}`);
  const moved = fingerprints();
  assert.deepEqual(moved.map((r) => r.line), before.map((r) => r.line + 3), 'the findings moved down by three lines');
  assert.deepEqual(moved.map((r) => r.fp), before.map((r) => r.fp), 'and kept their fingerprints');
  // The same file twice over: every finding appears twice, with the same hash and occurrence 1 and 2.
  writeFileSync(path.join(dir, 'copy.c'), `${body}\n${body.replace(/\bmain\b/g, 'main_again')}`);
  const doubled = fingerprints();
  assert.equal(doubled.length, 2 * before.length);
  assert.equal(new Set(doubled.map((r) => r.fp)).size, doubled.length, 'no two results share a fingerprint');
  const hashes = doubled.map((r) => r.fp.split(':')[0]!);
  assert.ok(before.every((r) => hashes.filter((h) => h === r.fp.split(':')[0]).length >= 2));
});

test('a file named on the command line and also inside a scanned directory is reported once', () => {
  const dir = tempTree();
  mkdirSync(path.join(dir, 'src'));
  copyFileSync(REPRO, path.join(dir, 'src', 'copy.c'));
  copyFileSync(REPRO, path.join(dir, 'src', 'other.c'));
  const once = json(cli(['scan', 'src', '--format', 'json'], { cwd: dir }));
  const twice = json(cli(['scan', 'src', 'src/copy.c', './src/copy.c', '--format', 'json'], { cwd: dir }));
  const files = (r: { findings: { file: string }[] }) => r.findings.map((f) => f.file).sort();
  assert.equal(twice.findings.length, once.findings.length, 'no finding is repeated');
  assert.deepEqual(files(twice).filter((f: string) => f.endsWith('other.c')), files(once).filter((f: string) => f.endsWith('other.c')));
  // copy.c is reported under the name it was first given on the command line
  assert.ok(files(twice).filter((f: string) => f.endsWith('copy.c')).every((f: string) => f === path.join('src', 'copy.c')));
  assert.ok(twice.findings.some((f: { file: string }) => f.file.endsWith('copy.c')));
});

test('scan --format text: compiler-style lines and a summary; absolute paths stay absolute', () => {
  const r = cli(['scan', REPRO]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, new RegExp(`^${REPRO.replace(/[.]/g, '\\.')}:${REPRO_CALL_LINE}:\\d+: warning ZDIO010 .*196608`, 'm'));
  assert.match(r.stdout, /^zfs-dio: \d+ findings? \(\d+ warnings?\), 1 call site in 1 source file \(1 parsed\), 0 skipped$/m);
});

test('a clean tree exits 0; recordsize changes the verdict', () => {
  const dir = tempTree();
  writeFileSync(path.join(dir, 'clean.c'), 'int add(int a, int b) { return a + b; }\n');
  const r = cli(['scan', dir, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(json(r).findings, []);
  // 196608 and 262144 are multiples of 64 KiB, so the reproducer is fine on a recordsize=64K dataset.
  const small = json(cli(['scan', REPRO, '--format', 'json', '--recordsize', '64K']));
  assert.deepEqual(small.findings.filter((f: { ruleId: string }) => f.ruleId === 'ZDIO010'), []);
  // auto: no ZFS mount here (or the fixture is not on ZFS), so the default 131072 applies
  const auto = cli(['scan', REPRO, '--format', 'json', '--recordsize', 'auto']);
  assert.equal(auto.status, 1);
  assert.ok(json(auto).findings.some((f: { ruleId: string; message: string }) => f.ruleId === 'ZDIO010' && /recordsize 131072/.test(f.message)));
});

test('bad input: unreadable, binary, 8 MB, invalid UTF-8 — notes, no crash, right exit codes', () => {
  const dir = tempTree();
  const src = path.join(dir, 'src');
  mkdirSync(src);
  chmodSync(src, 0o755);
  // unreadable (for the unprivileged run below)
  writeFileSync(path.join(src, 'secret.c'), 'int x;\n');
  chmodSync(path.join(src, 'secret.c'), 0o000);
  // an unlistable directory (for the unprivileged run)
  mkdirSync(path.join(src, 'locked'));
  writeFileSync(path.join(src, 'locked', 'inner.c'), 'int y;\n');
  chmodSync(path.join(src, 'locked'), 0o000);
  // binary: a NUL byte early, and a keyword so only the binary check can stop it
  writeFileSync(path.join(src, 'blob.c'), Buffer.concat([Buffer.from('ELF\0\0\x01'), Buffer.from(' copy_file_range(a,0,b,0,196608,0);')]));
  // 8 MB of valid C with the reproducer call at the very end
  const fn = 'static int f%d(int a) { return a * 3 + 1; }\n';
  let big = '';
  for (let i = 0; big.length < 8 * 1024 * 1024; i++) big += fn.replace('%d', String(i));
  const bigTail = 'void g(int s, int d) { loff_t i = 0, o = 262144; copy_file_range(s, &i, d, &o, 196608, 0); }\n';
  writeFileSync(path.join(src, 'huge.c'), big + bigTail);
  const bigLines = (big.match(/\n/g) ?? []).length + 1;
  // invalid UTF-8 in a comment before a site
  writeFileSync(path.join(src, 'latin1.c'), Buffer.concat([Buffer.from('/* caf\xe9 na\xefve */\n', 'latin1'),
    Buffer.from('void h(int s, int d) { loff_t i = 0, o = 262144; copy_file_range(s, &i, d, &o, 196608, 0); }\n')]));

  for (const asNobody of [false, true]) {
    if (asNobody && process.getuid?.() !== 0) continue;   // already unprivileged: the first run covered it
    const r = cli(['scan', dir, '--format', 'json'], { asNobody });
    assert.equal(r.signal, null, r.stderr);
    const unprivileged = asNobody || process.getuid?.() !== 0;
    // Unreadable sources make the scan incomplete: exit 3, whatever was found; binary and large files do not.
    if (unprivileged) assert.equal(r.status, 3, `exit ${r.status}: ${r.stderr}`);
    else assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    const doc = json(r);
    const reason = (name: string) => doc.skipped.find((s: { file: string }) => s.file === path.join(src, name))?.reason as string | undefined;
    assert.match(reason('blob.c') ?? '', /binary file/);
    assert.match(reason('huge.c') ?? '', /file too large \(\d+ bytes; limit 4194304 bytes/);
    const unreadable = reason('secret.c');
    const incomplete = (name: string) => doc.skipped.find((s: { file: string }) => s.file === path.join(src, name))?.incomplete;
    assert.equal(incomplete('blob.c'), undefined, 'a binary file is skipped by policy');
    assert.equal(incomplete('huge.c'), undefined, 'an oversized file is skipped by policy');
    assert.equal(doc.stats.filesIncomplete, unprivileged ? 2 : 0);
    if (unprivileged) {
      assert.equal(incomplete('secret.c'), true);
      assert.equal(incomplete('locked'), true);
    }
    if (asNobody || process.getuid?.() !== 0) {
      assert.match(unreadable ?? '', /permission denied/, 'unprivileged: the unreadable file gets a note');
      assert.match(reason('locked') ?? '', /cannot list directory: permission denied/, 'unprivileged: the unlistable directory gets a note');
    } else {
      assert.equal(unreadable, undefined, 'root can read it');
      assert.equal(reason('locked'), undefined, 'root can list it');
    }
    const latin = doc.sites.find((s: { file: string }) => s.file === path.join(src, 'latin1.c'));
    assert.ok(latin, 'the invalid-UTF-8 file is still analysed');
    assert.equal(latin.line, 2);
    assert.ok(doc.notes.some((n: { file: string; message: string }) => n.file === path.join(src, 'latin1.c') && /invalid UTF-8/.test(n.message)));
    // the same tree in text format: skip notes on stderr
    const t = cli(['scan', dir], { asNobody });
    assert.match(t.stderr, /skipped .*blob\.c: binary file/);
    assert.match(t.stderr, /skipped .*huge\.c: file too large/);
    assert.match(t.stderr, /note: .*latin1\.c: invalid UTF-8/);
    if (asNobody) {
      assert.match(t.stderr, /skipped .*secret\.c: permission denied/);
      assert.equal(t.status, 3);
      assert.match(t.stdout, /INCOMPLETE: 2 files or directories not analysed \(exit code 3\)/);
    }
  }

  // The 8 MB file is analysed when the limit allows it, and the site on its last line is found.
  const r = cli(['scan', path.join(src, 'huge.c'), '--format', 'json', '--max-file-size', '16M', '--file-time-limit', '600']);
  assert.equal(r.signal, null);
  const doc = json(r);
  assert.deepEqual(doc.skipped, []);
  assert.deepEqual(doc.sites.map((s: { line: number }) => s.line), [bigLines]);
});

test('deeply nested code: 5,000 nested parentheses and blocks do not crash the scan', () => {
  const dir = tempTree();
  const deep = path.join(dir, 'deep.c');
  writeFileSync(deep, `int deep(void) { int v = ${'('.repeat(5000)}1${')'.repeat(5000)}; return v; }\n` +
    `void k(int s, int d) { ${'{'.repeat(5000)} copy_file_range(s, 0, d, 0, 196608, 0); ${'}'.repeat(5000)} }\n`);
  const r = cli(['scan', dir, '--format', 'json']);
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  const doc = json(r);
  // Analysed (the site is found) or, if the analysis gives up, skipped with a reason: never a crash.
  const site = doc.sites.find((s: { file: string }) => s.file === deep);
  const skipped = doc.skipped.find((s: { file: string }) => s.file === deep);
  assert.ok(site || skipped, 'deep.c is reported one way or the other');
  if (site) assert.equal(site.line, 2);
});

test('directory walk: build outputs, VCS data, excludes and symlink loops are skipped with notes', () => {
  const dir = tempTree();
  const site = 'void f(int s, int d) { loff_t i = 0, o = 262144; copy_file_range(s, &i, d, &o, 196608, 0); }\n';
  for (const d of ['.git', 'node_modules/x', 'build', 'target', 'bazel-out', 'vendor/lib', 'third_party/lib', 'src/gen', 'src/keep']) {
    mkdirSync(path.join(dir, d), { recursive: true });
    writeFileSync(path.join(dir, d, 'a.c'), site);
  }
  copyFileSync(REPRO, path.join(dir, 'src/keep/repro.c'));
  writeFileSync(path.join(dir, 'README.md'), 'copy_file_range( is mentioned here, but this is not a source file\n');
  symlinkSync('..', path.join(dir, 'src/keep/loop'));
  const r = cli(['scan', '.', '--format', 'json', '--exclude', 'third_party', '--exclude', 'src/gen/**'], { cwd: dir });
  const doc = json(r);
  assert.deepEqual([...new Set(doc.sites.map((s: { file: string }) => s.file))].sort(), ['src/keep/a.c', 'src/keep/repro.c']);
  const skipped = Object.fromEntries(doc.skipped.map((s: { file: string; reason: string }) => [s.file, s.reason]));
  assert.match(skipped['.git'], /version control/);
  assert.match(skipped['node_modules'], /dependencies/);
  assert.match(skipped['build'], /build output/);
  assert.match(skipped['target'], /build output/);
  assert.match(skipped['bazel-out'], /build output/);
  assert.match(skipped['vendor'], /vendored dependencies/);
  assert.match(skipped['third_party'], /excluded/);
  assert.match(skipped['src/gen'], /excluded/);
  assert.match(skipped['src/keep/loop'], /already scanned/);
  assert.equal(r.status, 1);
});

test('worker threads and the in-process path give identical results', () => {
  const dir = tempTree();
  const body = readFileSync(REPRO, 'utf8');
  for (let i = 0; i < 600; i++) {   // above the small-input threshold (512), so the pool is used
    const sub = path.join(dir, `d${i % 7}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `f${i}.c`), i % 40 === 0 ? body : `int f${i}(int a) { return a + ${i}; }\n`);
  }
  const one = json(cli(['scan', dir, '--format', 'json', '--jobs', '1']));
  const two = json(cli(['scan', dir, '--format', 'json', '--jobs', '2']));
  assert.equal(one.stats.workers, 0);
  assert.equal(two.stats.workers, 2, 'the worker bundle was used');
  delete one.stats.workers; delete two.stats.workers;
  assert.deepEqual(two, one);
  assert.equal(new Set(one.sites.map((s: { file: string }) => s.file)).size, 15);
});

test('--cache: the second scan takes every result from the cache file and prints the same JSON', () => {
  const dir = tempTree();
  const body = readFileSync(REPRO, 'utf8');
  for (let i = 0; i < 12; i++) writeFileSync(path.join(dir, `f${i}.c`), i % 4 === 0 ? body : `int f${i}(int a) { return a + ${i}; }\n`);
  // --cache writes .zfs-dio-cache in the current directory, as ESLint's --cache does.
  const cold = cli(['scan', '.', '--format', 'json', '--cache'], { cwd: dir });
  assert.equal(cold.status, 1, cold.stderr);
  assert.ok(existsSync(path.join(dir, '.zfs-dio-cache')));
  const warm = cli(['scan', '.', '--format', 'json', '--cache'], { cwd: dir });
  assert.equal(warm.stdout, cold.stdout, 'byte for byte');
  assert.equal(warm.status, 1);
  const text = cli(['scan', '.', '--cache'], { cwd: dir });
  assert.match(text.stdout, /in 12 source files \(3 analysed; 12 unchanged, taken from the cache\)/);
  const elsewhere = path.join(tempTree(), 'cache.json');
  cli(['scan', dir, '--cache-location', elsewhere]);
  assert.ok(existsSync(elsewhere));
  const cases: [string[], RegExp][] = [
    [['scan', dir, '--cache', '--prefilter-only'], /--cache and --prefilter-only cannot be combined/],
    [['scan', dir, '--cache-location', dir], /is a directory; give the cache file's name/],
    [['scan', dir, '--cache-location', ''], /--cache-location needs a file name/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
  const unwritable = cli(['scan', dir, '--cache-location', path.join(dir, 'missing', 'c.json')]);
  assert.equal(unwritable.status, 1, 'the scan itself still succeeds');
  assert.match(unwritable.stderr, /warning: could not write the scan cache/);
});

test('--prefilter-only walks, reads and prefilters but parses nothing (the floor npm run bench measures)', () => {
  const full = json(cli(['scan', REPRO, '--format', 'json']));
  assert.equal(full.stats.filesParsed, 1);
  assert.ok(full.sites.length > 0);
  const floor = json(cli(['scan', REPRO, '--format', 'json', '--prefilter-only']));
  assert.equal(floor.stats.filesConsidered, 1);
  assert.equal(floor.stats.filesParsed, 0);
  assert.deepEqual(floor.sites, []);
  assert.deepEqual(floor.findings, []);
});

test('scan --format json: the printed fixes, applied by 1-based coordinates, give exactly the core\'s fixed texts', async () => {
  const { analyzeText } = await import('../../../src/core/analysis/analyze');
  const { applyEdits } = await import('../../../src/core/analysis/fixes');
  const { languageForFile } = await import('../../../src/core/analysis/languages/index');
  const { DEFAULT_SETTINGS } = await import('../../../src/core/types');
  const { applyJsonFix } = await import('../../support/json-fixes');
  const r = cli(['scan', 'test/fixtures/fixes', 'samples', '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const findings: import('../../support/json-fixes').JsonFinding[] = json(r).findings;
  const byFile = new Map<string, typeof findings>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  let compared = 0;
  for (const [file, printed] of byFile) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const core = (await analyzeText(text, languageForFile(file)!, DEFAULT_SETTINGS)).findings;
    assert.equal(printed.length, core.length, file);
    // The JSON lists a file's findings in position order, like the core.
    printed.forEach((f, i) => {
      assert.deepEqual(f.fixes.map((x) => x.title), core[i]!.fixes.map((x) => x.title), `${file}:${f.line} ${f.ruleId}`);
      assert.equal(f.manualFix, core[i]!.manualFix);
      f.fixes.forEach((fix, j) => {
        assert.equal(applyJsonFix(text, fix), applyEdits(text, core[i]!.fixes[j]!.edits), `${file}:${f.line} "${fix.title}"`);
        compared++;
      });
    });
  }
  assert.ok(compared > 40, `${compared} fixes compared`);
});

test('scan --format sarif: results carry their fixes, and the log stays valid against the 2.1.0 schema', () => {
  const r = cli(['scan', 'test/fixtures/fixes', '--format', 'sarif']);
  assert.equal(r.status, 1, r.stderr);
  const log = json(r);
  assert.deepEqual(sarifSchemaErrors(log), []);
  const results: { ruleId: string; fixes?: { description: { text: string }; artifactChanges: { replacements: unknown[] }[] }[] }[] = log.runs[0].results;
  assert.ok(results.length > 10);
  for (const result of results) assert.ok(result.fixes?.some((f) => /^Suppress /.test(f.description.text)), `${result.ruleId} can be suppressed`);
  assert.ok(results.some((x) => x.fixes!.some((f) => f.artifactChanges[0]!.replacements.length === 2)), 'a fix that edits the length and the buffer');
});

// --target with the reports measured on real modules (test/fixtures/knowledge/README.md): the same source
// gets the severities and messages of the system its data lives on.
test('scan --target REPORT.json: target-specific severities and messages for 2.3.0, 2.3.2 and 2.4.0 (strict 0 and 1)', () => {
  const source = path.join(FIXTURES, 'odirect-target.c');
  const report = (name: string) => path.join(ROOT, 'test/fixtures/knowledge', name);
  const findings = (name: string) => {
    const r = cli(['scan', '--format', 'json', '--target', report(name), source]);
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string; message: string; derived?: Record<string, unknown> }[] };
    // the Problems panel shows one line: the target's full name is in the hover (derived.target)
    for (const f of doc.findings) assert.ok(f.message.length <= 120, `short enough for the Problems panel: ${f.message}`);
    return Object.fromEntries(doc.findings.map((f) => [f.ruleId, f]));
  };
  const v230 = findings('zfs-2.3.0-always.json');
  assert.equal(v230.ZDIO010!.severity, 'error');
  assert.match(v230.ZDIO010!.message, /len 100000 are not multiples of recordsize 131072: EAGAIN on tank\/always \(2\.3\.0\)$/);
  assert.equal(v230.ZDIO011!.severity, 'error');
  assert.match(v230.ZDIO011!.message, /: EAGAIN if not cloneable on tank\/always \(2\.3\.0, direct=always\)$/);
  assert.equal(v230.ZDIO010!.derived!.target, 'tank/always, OpenZFS 2.3.0, direct=always');
  assert.equal(v230.ZDIO001!.severity, 'information');
  const v232 = findings('zfs-2.3.2-standard.json');
  assert.equal(v232.ZDIO010!.severity, 'warning');
  assert.match(v232.ZDIO010!.message, /copied, not cloned on tank \(2\.3\.2\)$/);
  assert.equal(v232.ZDIO001!.severity, 'error');
  assert.match(v232.ZDIO001!.message, /: EINVAL on tank \(2\.3\.2, direct=standard\)$/);
  const v240 = findings('zfs-2.4.0-strict0-standard.json');
  assert.equal(v240.ZDIO001!.severity, 'information');
  assert.match(v240.ZDIO001!.message, /: uncached, not EINVAL on tank\/standard \(2\.4\.0\)$/);
  const strict = findings('zfs-2.4.0-strict1-always.json');
  assert.equal(strict.ZDIO001!.severity, 'error');
  assert.match(strict.ZDIO011!.message, /: a misaligned range gets EINVAL on tank\/always \(2\.4\.0\)$/);
  assert.equal(strict.ZDIO011!.derived!.target, 'tank/always, OpenZFS 2.4.0, direct=always, zfs_dio_strict=1');
  const text = cli(['scan', '--target', report('zfs-2.3.0-always.json'), source]);
  assert.match(text.stderr, /^zfs-dio: target tank\/always, OpenZFS 2\.3\.0, direct=always$/m);
});

test('scan --target: a missing file, a non-report and a bad dataset name are usage errors with a clear message', () => {
  const dir = tempTree();
  const notReport = path.join(dir, 'x.json');
  writeFileSync(notReport, '{"findings": []}');
  const cases: [string, RegExp][] = [
    [path.join(dir, 'missing.json'), /--target .*missing\.json: no such file/],
    [notReport, /not a version-1 probe report/],
    ['bad name!', /--target bad name!: .*give a dataset name/],
  ];
  for (const [target, message] of cases) {
    const r = cli(['scan', '--target', target, REPRO]);
    assert.equal(r.status, 2, target);
    assert.match(r.stderr, message);
  }
});
