// The scanner never hangs and never crashes: each case runs the shipped bundle in a child process.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = process.env.ZFS_DIO_ROOT!;
const CLI = path.join(ROOT, 'dist/cli.js');
const tempDirs: string[] = [];
after(() => { for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });
function tempTree(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-hard-'));
  tempDirs.push(dir);
  chmodSync(dir, 0o755);
  return dir;
}

interface Run { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
function run(args: string[], opts: { asNobody?: boolean; nodeArgs?: string[]; timeoutMs?: number } = {}): Run {
  let command = process.execPath;
  let argv = [...(opts.nodeArgs ?? []), CLI, ...args];
  if (opts.asNobody) { argv = ['--reuid=65534', '--regid=65534', '--clear-groups', command, ...argv]; command = 'setpriv'; }
  const r = spawnSync(command, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000 });
  if (r.error && !r.signal) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const C_SITE = '#include <fcntl.h>\nvoid f(int s, int d) { loff_t i = 0, o = 262144; copy_file_range(s, &i, d, &o, 196608, 0); }\n';

test('exclude: an invalid pattern is a usage error (exit 2); a backtracking-prone one finishes at once', () => {
  const dir = tempTree();
  writeFileSync(path.join(dir, `${'a'.repeat(120)}.c`), C_SITE);
  for (const bad of ['[z-a]', '!vendor']) {
    const r = run(['scan', dir, '--exclude', bad]);
    assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`--exclude '${bad.replace(/[[\]!]/g, '\\$&')}' is not a valid pattern: `));
    assert.doesNotMatch(r.stderr, /internal error/);
  }
  const r = run(['scan', dir, '--exclude', '*a*a*a*a*a*a*b', '--format', 'json'], { timeoutMs: 60_000 });
  assert.equal(r.signal, null, 'finished within the watchdog');
  assert.equal(JSON.parse(r.stdout).sites.length, 1);
});

test('exit codes: 3 when a named source file cannot be read, 70 for an internal error', () => {
  const dir = tempTree();
  const secret = path.join(dir, 'unreadable.c');
  writeFileSync(secret, C_SITE);
  chmodSync(secret, 0o000);
  if (process.getuid?.() === 0) {
    const r = run(['scan', secret], { asNobody: true });
    assert.equal(r.status, 3, r.stderr + r.stdout);
    assert.match(r.stdout, /0 findings .* 1 skipped, INCOMPLETE: 1 file or directory not analysed \(exit code 3\)/);
  }
  // An internal error (here: stdout throws on write) is not a usage error.
  const preload = path.join(dir, 'broken-stdout.cjs');
  writeFileSync(preload, "process.stdout.write = () => { throw new Error('stdout is broken'); };\n");
  const r = run(['scan', path.join(ROOT, 'test/unit/cli/fixtures/repro-16958.c')], { nodeArgs: ['-r', preload] });
  assert.equal(r.status, 70, r.stderr);
  assert.match(r.stderr, /zfs-dio: internal error: Error: stdout is broken/);
  const help = run(['scan', '--help']);
  assert.match(help.stdout, /exit codes: 0 no warnings; 1 warnings found; 2 usage error; 3 the scan is incomplete/);
  assert.match(help.stdout, /70 internal error/);
});

test('text format: a newline or other control character in a path never splits a line', () => {
  const dir = tempTree();
  writeFileSync(path.join(dir, 'evil\nname\x1b[31m.c'), C_SITE);
  writeFileSync(path.join(dir, 'blob\n.c'), Buffer.from('x\0y copy_file_range('));
  const r = run(['scan', dir, '--list-sites']);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 4, r.stdout);   // site, ZDIO012, ZDIO010, summary
  assert.ok(lines[0]!.startsWith(`${dir}/evil\\nname\\x1b[31m.c:2:`), lines[0]);
  assert.ok(lines[2]!.startsWith(`${dir}/evil\\nname\\x1b[31m.c:2:`) && lines[2]!.includes('ZDIO010'), lines[2]);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /skipped .*blob\\n\.c: binary file/);
});

test('a file that runs out of time: "analysis stopped" in text, JSON and SARIF, exit 3', () => {
  const dir = tempTree();
  const fn = (i: number) => `def f${i}(p):\n    fd = os.open(p, os.O_RDWR | os.O_DIRECT)\n    os.pread(fd, 1000, 0)\n\n`;
  writeFileSync(path.join(dir, 'big.py'), 'import os\n\n' + Array.from({ length: 30_000 }, (_, i) => fn(i)).join(''));
  // 1 ms for a 2 MB file: no machine parses it that fast.
  const limit = ['--file-time-limit', '0.001'];
  const text = run(['scan', dir, ...limit]);
  assert.equal(text.status, 3, text.stderr);
  assert.match(text.stderr, /big\.py: analysis stopped: parsing took longer than the time limit per file \(1 ms\)/);
  const json = JSON.parse(run(['scan', dir, '--format', 'json', ...limit]).stdout);
  const stopped = [...json.skipped.map((s: { reason: string }) => s.reason), ...json.notes.map((n: { message: string }) => n.message)];
  assert.ok(stopped.some((m: string) => m.startsWith('analysis stopped: ')), JSON.stringify(stopped));
  assert.equal(json.stats.filesIncomplete, 1);
  const sarif = JSON.parse(run(['scan', dir, '--format', 'sarif', ...limit]).stdout);
  const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
  assert.ok(notes.some((n: { level: string; message: { text: string } }) => n.level === 'warning' && /analysis stopped: /.test(n.message.text)), JSON.stringify(notes));
  const usage = run(['scan', dir, '--file-time-limit', '0']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--file-time-limit expects a number of seconds above 0/);
});

test('deep nesting: 40,000 levels in every language are analysed, not stopped; beyond what the queries reach, a note says so', { timeout: 900_000 }, () => {
  const dir = tempTree();
  const n = 40_000;
  const files: Record<string, string> = {
    'calls.c': `#include <fcntl.h>\nint f(int x) { return x; }\nvoid g(void) { int fd = open("f", O_RDWR | O_DIRECT); char b[4096]; pread(fd, b, 1, 0); int x = ${'f('.repeat(n)}1${')'.repeat(n)}; }\n`,
    'calls.rs': `fn f(x: i64) -> i64 { x }\nfn g() { let file = std::fs::OpenOptions::new().custom_flags(libc::O_DIRECT).open("f").unwrap(); let mut b = vec![0u8; 1]; file.read_at(&mut b, 0).unwrap(); let x = ${'f('.repeat(n)}1${')'.repeat(n)}; }\n`,
    'brackets.go': `package main\nimport "syscall"\nvar a []int\nfunc g() { fd, _ := syscall.Open("f", syscall.O_RDWR|syscall.O_DIRECT, 0); b := make([]byte, 1); syscall.Pread(fd, b, 0); x := ${'a['.repeat(n)}0${']'.repeat(n)}; _ = x }\n`,
    'parens.py': `import os\ndef g():\n    fd = os.open('f', os.O_RDWR | os.O_DIRECT)\n    os.pread(fd, 1, 0)\n    x = ${'('.repeat(n)}1${')'.repeat(n)}\n`,
  };
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    // A generous limit: the point is that the analysis finishes, not how fast this machine is.
    const r = run(['scan', file, '--format', 'json', '--file-time-limit', '120'], { timeoutMs: 200_000 });
    assert.equal(r.signal, null, `${name}: finished within the watchdog`);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.skipped, [], name);
    // 40,000 nested calls are 80,000 syntax-tree levels, deeper than the queries look (60,000): the
    // file says that part was not searched; 40,000 brackets or parentheses are one level each.
    const deeperThanQueries = name.startsWith('calls.');
    assert.deepEqual(doc.notes.map((n: { message: string }) => n.message),
      deeperThanQueries ? ['analysis incomplete: code nested more than 60000 syntax-tree levels deep: what lies deeper was not searched'] : [], name);
    assert.equal(r.status, deeperThanQueries ? 3 : 1, `${name}: exit code`);
    assert.ok(doc.sites.some((s: { kind: string }) => s.kind === 'o_direct_io'), `${name}: the read is found`);
  }
});

test('--max-file-size above what the parser can take is a usage error', () => {
  const r = run(['scan', ROOT + '/test/unit/cli/fixtures/repro-16958.c', '--max-file-size', '256M']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--max-file-size can be at most 16777216 bytes/);
});

test('a source file replaced by a FIFO is refused with a note, never read (a worker is asked directly)', () => {
  const dir = tempTree();
  const fifo = path.join(dir, 'swapped.c');
  const mk = spawnSync('mkfifo', [fifo]);
  assert.equal(mk.status, 0, `mkfifo (coreutils) makes the FIFO: ${mk.stderr}`);
  const code = `const { Worker } = require('node:worker_threads');
const w = new Worker(${JSON.stringify(path.join(ROOT, 'dist/scan-worker.js'))}, { workerData: { config: { settings: { pageSize: 4096, recordsize: 131072 }, maxFileSize: 4194304, fileTimeLimitMs: 5000 } } });
w.on('message', (m) => { console.log(JSON.stringify(m)); process.exit(0); });
w.postMessage({ id: 1, tasks: [{ seq: 0, file: 'swapped.c', abs: ${JSON.stringify(fifo)}, language: 'c' }], parseLanguages: ['c'] });`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, 'did not hang on the FIFO');
  const outcome = JSON.parse(r.stdout).outcomes[0];
  assert.equal(outcome.kind, 'skipped');
  assert.match(outcome.reason, /not a regular file/);
});
