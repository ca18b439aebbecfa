import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launcherScript } from '../../../src/editor/cli-terminal-logic';
import { version } from '../../../package.json';

test('the zfs-dio launcher runs the bundled CLI with the given runtime, also from a path with quotes and spaces', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "zfs-dio launcher 'q' "));
  try {
    // A copy of dist/cli.js in an awkward place stands for the installed extension's.
    const dist = path.join(dir, 'ext dir', 'dist');
    mkdirSync(dist, { recursive: true });
    const cli = path.join(dist, 'cli.js');
    copyFileSync(path.join(process.env.ZFS_DIO_ROOT!, 'dist', 'cli.js'), cli);
    const launcher = path.join(dir, 'zfs-dio');
    writeFileSync(launcher, launcherScript(process.execPath, cli));
    chmodSync(launcher, 0o755);
    const r = spawnSync(launcher, ['--version'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `zfs-dio ${version}\n`);
    const usage = spawnSync(launcher, ['scan', '--frobnicate'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^zfs-dio scan: unknown option --frobnicate\n/, 'arguments reach the CLI unchanged');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
