// `zfs-dio probe` as a real process (dist/cli.js, built by `npm test` before the tests), with a
// stand-in `zfs`/`zpool` through $ZFS_DIO_ZFS / $ZFS_DIO_ZPOOL (the documented override). The
// dataset "mountpoint" is a temporary directory, so this checks the CLI plumbing (exit codes,
// JSON shape, Ctrl-C, cleanup); ZFS behaviour itself is asserted by `npm run test:zfs`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseProbeArgs, run, targetAsPath, withArticlePointer } from '../../../src/cli/probe-command';
import { ProbeError } from '../../../src/core/probe/errors';
import { MARKER_NAME } from '../../../src/core/probe/scratch';
import type { ProbeReport } from '../../../src/core/types';
import { EXPERIMENT_IDS } from '../../../src/core/probe/experiments/catalog';

const CLI = path.join(process.env.ZFS_DIO_ROOT!, 'dist/cli.js');

function fakeZfsEnv() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-cli-'));
  const ds = path.join(dir, 'ds');
  mkdirSync(ds);
  const zfs = path.join(dir, 'zfs');
  // answers only the queries the probe makes for a dataset given by name
  writeFileSync(zfs, `#!/bin/sh
case "$*" in
  *"list -H -p -o name,type,mountpoint,mounted -- tank/fake") printf 'tank/fake\\tfilesystem\\t%s\\tyes\\n' '${ds}' ;;
  *"get -Hp -o name,property,value,source"*) printf 'tank/fake\\tdirect\\tstandard\\tdefault\\ntank/fake\\trecordsize\\t16384\\tlocal\\n' ;;
  *"version -j"*) printf '{"zfs_version":{"userland":"zfs-2.3.2-1","kernel":"zfs-kmod-2.3.2-1"}}\\n' ;;
  *) echo "cannot open 'x': dataset does not exist" >&2; exit 1 ;;
esac
`);
  const zpool = path.join(dir, 'zpool');
  writeFileSync(zpool, '#!/bin/sh\ncase "$1" in sync) sleep 1 ;; get) echo "no such pool" >&2; exit 1 ;; esac\nexit 0\n');
  chmodSync(zfs, 0o755);
  chmodSync(zpool, 0o755);
  return { dir, ds, env: { ...process.env, ZFS_DIO_ZFS: zfs, ZFS_DIO_ZPOOL: zpool }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function runCli(args: string[], env: NodeJS.ProcessEnv, onStart?: (pid: number) => void, cwd?: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'probe', ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    onStart?.(child.pid!);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test('a completed probe prints the version-1 JSON report and exits 0, leaving nothing behind', async () => {
  const f = fakeZfsEnv();
  try {
    const r = await runCli(['--json', 'tank/fake'], f.env);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ProbeReport;
    assert.equal(report.version, 1);
    assert.deepEqual([report.dataset!.name, report.dataset!.mountpoint, report.dataset!.properties.recordsize], ['tank/fake', f.ds, '16384']);
    assert.equal(report.zfs.userland, '2.3.2-1');
    assert.equal(typeof report.zfs.kmod, 'string', '/sys/module/zfs/version, else the kmod line of `zfs version -j`');
    assert.equal(report.experiments.length, EXPERIMENT_IDS.length);
    assert.ok(report.verdicts.length > 0, 'the known-issues database was evaluated');
    assert.ok(report.notes!.some((n) => /pool properties of tank could not be read/.test(n)));
    assert.deepEqual(readdirSync(f.ds), []);
  } finally {
    f.cleanup();
  }
});

/** When to send the signal: as soon as the scratch directory exists (perhaps before its marker), once the marker exists, once an experiment file exists. */
const MOMENTS: Record<string, (dir: string) => boolean> = {
  'the directory appears': () => true,
  'the marker exists': (d) => existsSync(path.join(d, MARKER_NAME)),
  'an experiment file exists': (d) => { try { return readdirSync(d).some((n) => n !== MARKER_NAME); } catch { return false; } },
};

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} cancels at any moment: exit ${code}, a message, and the scratch directory is removed before the process exits`, async () => {
    for (const [moment, ready] of Object.entries(MOMENTS)) {
      const f = fakeZfsEnv();
      try {
        let sent = false;
        const r = await runCli(['--json', 'tank/fake'], f.env, (pid) => {
          const poll = setInterval(() => {
            const scratch = readdirSync(f.ds).find((n) => n.startsWith('.zfs-dio-probe-'));
            if (scratch && ready(path.join(f.ds, scratch))) {
              clearInterval(poll);
              sent = true;
              process.kill(pid, signal);
            }
          }, 5);
          setTimeout(() => clearInterval(poll), 30000);
        });
        // the probe may finish before the chosen moment is seen; then it exits 0 and the case says nothing
        if (!sent) { assert.equal(r.code, 0, r.stderr); continue; }
        assert.equal(r.code, code, `${moment}: ${r.signal} ${r.stderr}`);
        assert.match(r.stderr, /^zfs-dio probe: cancelled/, moment);
        assert.equal(r.stdout, '');
        assert.deepEqual(readdirSync(f.ds), [], `${moment}: nothing left, and nothing left to remove after the exit`);
      } finally {
        f.cleanup();
      }
    }
  });
}

test('exit codes: 2 for bad input and usage, 3 for environment problems, with one-line messages', async () => {
  const f = fakeZfsEnv();
  try {
    const quote = await runCli(['tank/it\'s'], f.env);
    assert.equal(quote.code, 2);
    assert.match(quote.stderr, /^zfs-dio probe: "tank\/it's" is not a valid ZFS dataset name: it contains a single quote/);
    const unknown = await runCli(['tank/other'], f.env);
    assert.deepEqual([unknown.code, unknown.stderr], [2, "zfs-dio probe: cannot open 'x': dataset does not exist\n"]);
    const usage = await runCli(['--bogus'], f.env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown option --bogus\nusage: zfs-dio probe/);
    const noZfs = await runCli(['tank/fake'], { ...f.env, ZFS_DIO_ZFS: path.join(f.dir, 'absent') });
    assert.equal(noZfs.code, 3);
    // The article is named by a path that exists from anywhere: next to dist/cli.js in the extension.
    const article = path.join(process.env.ZFS_DIO_ROOT!, 'media/articles/how-direct-io-works.md');
    assert.ok(noZfs.stderr.endsWith(`is OpenZFS installed? See ${article} for an explanation.\n`), noZfs.stderr);
    assert.equal(noZfs.stderr.trim().split('\n').length, 1);
    const notZfs = await runCli([os.tmpdir()], f.env);
    assert.equal(notZfs.code, 3);
    assert.match(notZfs.stderr, /is not on a ZFS dataset: it is on /);
  } finally {
    f.cleanup();
  }
});

test('on the command line an error names its explanation article by its absolute path, as one sentence more', () => {
  const root = process.env.ZFS_DIO_ROOT!;
  const article = 'media/articles/how-direct-io-works.md';
  const file = path.join(root, article);
  assert.equal(withArticlePointer('the ZFS kernel module is not loaded (zfs: gone)', article, root),
    `the ZFS kernel module is not loaded (zfs: gone). See ${file} for an explanation.`);
  assert.equal(withArticlePointer('is OpenZFS installed?', article, root), `is OpenZFS installed? See ${file} for an explanation.`);
  assert.equal(withArticlePointer('permission denied.', undefined, root), 'permission denied.');
  // An article that is not there (a CLI copied out of the extension) is not pointed to.
  assert.equal(withArticlePointer('is OpenZFS installed?', article, os.tmpdir()), 'is OpenZFS installed?');
});

test('a bare target that exists here is probed as that path, and the CLI says so', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-target-'));
  try {
    mkdirSync(path.join(dir, 'samples'));
    assert.equal(targetAsPath('samples', dir), './samples');
    assert.equal(targetAsPath('tank/data', dir), undefined);
    assert.equal(targetAsPath('./samples', dir), undefined, 'already a path');
    assert.equal(targetAsPath(undefined, dir), undefined);
    const f = fakeZfsEnv();
    try {
      const r = await runCli(['samples'], f.env, undefined, dir);
      assert.match(r.stderr, /^zfs-dio probe: samples is a directory here: probing the dataset it is on \(to probe the dataset named samples instead, run the command from a directory that has no samples in it\)\n/);
      assert.match(r.stderr, /is not on a ZFS dataset/, 'then probed as a path, not looked up with zfs list');
      assert.equal(r.code, 3);
    } finally {
      f.cleanup();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('argument parsing', () => {
  assert.deepEqual(parseProbeArgs(['--json', 'tank/a b', '--timeout=30']),
    { json: true, ab: false, yes: false, help: false, target: 'tank/a b', timeoutS: 30 });
  assert.deepEqual(parseProbeArgs(['--ab', '-y', '--', '--weird-dir']),
    { json: false, ab: true, yes: true, help: false, target: '--weird-dir' });
  assert.throws(() => parseProbeArgs(['a', 'b']), /only one dataset or path/);
  assert.throws(() => parseProbeArgs(['--timeout']), /^UsageError: --timeout needs a value$/);
  assert.throws(() => parseProbeArgs(['--json=yes']), /^UsageError: --json takes no value$/);
  assert.throws(() => parseProbeArgs(['--frobnicate']), /^UsageError: unknown option --frobnicate$/);
  assert.throws(() => parseProbeArgs(['-q']), /^UsageError: unknown option -q \(options: --json, --ab, --yes, --timeout, --help\)$/);
  assert.throws(() => parseProbeArgs(['--timeout', '0']), /--timeout expects a whole number from 1 to 3600/);
});

function sink() {
  let text = '';
  return { write: (s: string) => { text += s; }, get text() { return text; } };
}

test('--ab without ZFS says so and asks nothing', async () => {
  const stderr = sink();
  const questions: string[] = [];
  const code = await run(['--ab', 'tank/x'], { stdout: sink(), stderr }, {
    checkZfs: async () => { throw new ProbeError('NO_ZFS', 'the `zfs` command was not found in PATH; is OpenZFS installed?'); },
    confirm: async (q) => { questions.push(q); return true; },
    probe: async () => { throw new Error('must not run'); },
    signal: new AbortController().signal,
  });
  assert.equal(code, 3);
  assert.deepEqual(questions, []);
  assert.equal(stderr.text, 'zfs-dio probe: the `zfs` command was not found in PATH; is OpenZFS installed?\n');
});

test('--ab asks for confirmation; a refusal is exit 2 and nothing runs', async () => {
  const stdout = sink();
  const stderr = sink();
  let probed = false;
  const questions: string[] = [];
  const code = await run(['--ab', 'tank/x'], { stdout, stderr }, {
    checkZfs: async () => {},
    confirm: async (q) => { questions.push(q); return false; },
    probe: async () => { probed = true; throw new Error('must not run'); },
    signal: new AbortController().signal,
  });
  assert.equal(code, 2);
  assert.equal(probed, false);
  assert.match(questions[0]!, /creates two child datasets under tank\/x .* destroys them/);
  assert.match(stderr.text, /--ab needs confirmation/);
});

test('--ab --yes passes ab to the probe; ProbeError codes map to exit codes', async () => {
  const seen: boolean[] = [];
  const codes: Record<string, number> = {};
  for (const c of ['BAD_INPUT', 'NO_DATASET', 'NO_ZFS', 'NOT_ON_ZFS', 'PERMISSION', 'TIMEOUT', 'RUNNER_FAILED', 'TAMPERED', 'NO_SPACE', 'CANCELLED'] as const) {
    const stderr = sink();
    codes[c] = await run(['--ab', '--yes', 'tank/x'], { stdout: sink(), stderr }, {
      probe: async (o) => { seen.push(o.ab === true); throw new ProbeError(c, `problem\nwith two lines`); },
      signal: new AbortController().signal,
    });
    assert.equal(stderr.text, 'zfs-dio probe: problem with two lines\n');
  }
  assert.deepEqual(codes, {
    BAD_INPUT: 2, NO_DATASET: 2, NO_ZFS: 3, NOT_ON_ZFS: 3, PERMISSION: 3, TIMEOUT: 3, RUNNER_FAILED: 3, TAMPERED: 3, NO_SPACE: 3, CANCELLED: 130,
  });
  assert.ok(seen.every(Boolean));
});

test('a scratch directory that could not be removed is said loudly in text and JSON, and exit code 4 says so', async () => {
  const problem = '/tank/x/.zfs-dio-probe-abc was moved or replaced during the run: its files were removed, but the empty directory itself is now at /tank/x/elsewhere and was left there';
  const report = {
    version: 1, dataset: { name: 'tank/x', mountpoint: '/tank/x', properties: {} }, zfs: { kmod: '2.3.2-1', userland: '2.3.2-1' },
    kernel: '6.12.0', pageSize: 4096, experiments: [], verdicts: [],
    run: { scratchDir: '/tank/x/.zfs-dio-probe-abc', runner: 'r', python: '3.11', syncMethod: null, durationMs: 1, cleanedUp: false, cleanupProblem: problem },
  } as ProbeReport;
  for (const json of [false, true]) {
    const stdout = sink();
    const stderr = sink();
    const code = await run([...(json ? ['--json'] : []), 'tank/x'], { stdout, stderr }, { probe: async () => report, signal: new AbortController().signal });
    assert.equal(code, 4);
    assert.equal(stderr.text, `zfs-dio probe: WARNING: the scratch directory was not removed: ${problem}\n`);
    if (json) assert.equal(JSON.parse(stdout.text).run.cleanupProblem, problem);
    else assert.match(stdout.text, /^ZFS Direct I\/O probe of tank\/x \(mounted at \/tank\/x\)\n  WARNING: the scratch directory was not removed: \/tank\/x\/\.zfs-dio-probe-abc was moved/);
  }
  // a failed probe that could not clean up: its own message, then the warning; 4 wins over 3 and 130
  for (const c of ['TIMEOUT', 'CANCELLED'] as const) {
    const stderr = sink();
    const code = await run(['tank/x'], { stdout: sink(), stderr }, {
      probe: async () => { throw new ProbeError(c, 'the experiment runner did not finish within 2 s and was stopped', { leftBehind: '/tank/x/.zfs-dio-probe-abc may be left behind: EACCES' }); },
      signal: new AbortController().signal,
    });
    assert.equal(code, 4, c);
    assert.equal(stderr.text, 'zfs-dio probe: the experiment runner did not finish within 2 s and was stopped\n'
      + 'zfs-dio probe: WARNING: the probe could not clean up after itself: /tank/x/.zfs-dio-probe-abc may be left behind: EACCES\n');
  }
});

test('--json with a path off ZFS prints a JSON error object on stdout, and the message on stderr', async () => {
  const stdout = sink();
  const stderr = sink();
  const code = await run(['--json', '/tmp'], { stdout, stderr }, {
    probe: async () => { throw new ProbeError('NOT_ON_ZFS', '/tmp is not on a ZFS dataset', { article: 'probe-not-on-zfs' }); },
    signal: new AbortController().signal,
  });
  assert.equal(code, 3);
  assert.deepEqual(JSON.parse(stdout.text), { error: { code: 'NOT_ON_ZFS', message: '/tmp is not on a ZFS dataset', article: 'probe-not-on-zfs' } });
  assert.match(stderr.text, /^zfs-dio probe: \/tmp is not on a ZFS dataset/);
  const plain = sink();
  await run(['/tmp'], { stdout: plain, stderr: sink() }, {
    probe: async () => { throw new ProbeError('NOT_ON_ZFS', '/tmp is not on a ZFS dataset'); },
    signal: new AbortController().signal,
  });
  assert.equal(plain.text, '', 'without --json stdout stays empty');
});
