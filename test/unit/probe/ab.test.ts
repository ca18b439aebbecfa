// A/B mode's temporary datasets are mounted in a fresh private directory, never under a name next
// to the dataset's files that another user could predict and plant a symbolic link at. The zfs
// commands are answered by a stand-in that does what `zfs create` does to the file system (it
// creates the mountpoint directory), so what is checked on disk is real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withAbChildren } from '../../../src/core/probe/ab';
import type { DiscoveryContext } from '../../../src/core/probe/discover';
import type { ProbeHost } from '../../../src/core/probe/host';
import type { DatasetInfo } from '../../../src/core/types';

function zfsStandIn(parentMountpoint: string) {
  const commands: string[][] = [];
  const mountpoints = new Map<string, string>();
  const ok = (stdout = '') => ({ exitCode: 0, stdout, stderr: '', durationMs: 1 });
  const host: ProbeHost = {
    async exec(_file, args) {
      const a = [...args];
      commands.push(a);
      const name = a[a.length - 1]!;
      if (a[0] === 'allow') return ok('');
      if (a[0] === 'list' && a.includes('-r')) return ok(`tank/parent\t${parentMountpoint}\t-\n`);
      if (a[0] === 'create') {
        const mp = a.find((x) => x.startsWith('mountpoint='))!.slice('mountpoint='.length);
        mkdirSync(mp, { recursive: true });   // zfs creates the mountpoint and mounts the dataset there
        mountpoints.set(name, mp);
        return ok();
      }
      if (a[0] === 'list') return ok(`${name}\t${mountpoints.get(name)}\tyes\n`);
      if (a[0] === 'get') return ok(`${name}\tdirect\t${name.endsWith('always') ? 'always' : 'standard'}\tlocal\n${name}\trecordsize\t131072\tdefault\n`);
      if (a[0] === 'destroy') return ok();   // zfs unmounts; an explicitly set mountpoint directory stays
      throw new Error(`unexpected zfs ${a.join(' ')}`);
    },
    readText: async () => null,
    statfs: async () => ({ type: 0, bsize: 4096 }),
    isDirectory: async () => true,
    realPath: async (p) => p,
    kernelRelease: () => '6.12.0',
    env: {},
    cwd: () => '/',
  };
  const ctx: DiscoveryContext = { host, zfs: '/sbin/zfs', zpool: '/sbin/zpool', timeoutMs: 5000 };
  return { ctx, commands, mountpoints };
}

test('A/B children are mounted in a private 0700 directory, not next to the dataset\'s files, and it is removed afterwards', async () => {
  const shared = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-ab-shared-'));
  try {
    const { ctx, commands, mountpoints } = zfsStandIn(shared);
    const parent: DatasetInfo = { name: 'tank/parent', mountpoint: shared, properties: { direct: 'standard' } };
    const seen: { mountpoint: string; mode: number }[] = [];
    const result = await withAbChildren(ctx, parent, '0123456789ab', async (child) => {
      seen.push({ mountpoint: child.dataset.mountpoint, mode: statSync(path.dirname(child.dataset.mountpoint)).mode & 0o777 });
      return { experiments: [] };
    });
    assert.deepEqual(result.destroyed, ['tank/parent/zfs-dio-probe-0123456789ab-standard', 'tank/parent/zfs-dio-probe-0123456789ab-always']);
    assert.equal(seen.length, 2);
    const root = path.dirname(seen[0]!.mountpoint);
    assert.equal(path.dirname(seen[1]!.mountpoint), root, 'both in one private directory');
    assert.match(path.basename(root), /^zfs-dio-ab-/);
    assert.equal(path.dirname(root), process.getuid?.() === 0 ? '/run' : os.tmpdir(), 'under /run for root: no other user can write there');
    assert.ok(!root.startsWith(shared), 'never inside the dataset directory that others may write to');
    for (const s of seen) assert.equal(s.mode, 0o700, 'the private directory is 0700');
    assert.deepEqual(seen.map((s) => path.basename(s.mountpoint)), ['always', 'standard']);
    for (const c of commands.filter((x) => x[0] === 'create')) assert.equal(c[c.length - 2], '--', 'the dataset name follows --');
    assert.equal(existsSync(root), false, 'the private directory and both mountpoints are gone');
    assert.deepEqual(readdirSync(shared), [], 'nothing was created next to the dataset\'s files');
    assert.equal(mountpoints.size, 2);
  } finally {
    rmSync(shared, { recursive: true, force: true });
  }
});

test('a leftover A/B child of a killed run is destroyed and its private mountpoint directories go with it', async () => {
  const shared = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-ab-shared-'));
  const staleRoot = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-ab-'));
  try {
    mkdirSync(path.join(staleRoot, 'always'));
    const { ctx, commands } = zfsStandIn(shared);
    const listing = ctx.host.exec;
    ctx.host.exec = async (file, args, opts) => {
      if (args[0] === 'list' && args.includes('-r')) {
        // a child left by a process that is gone (pid 1's start time never matches "start=1")
        return { exitCode: 0, durationMs: 1, stderr: '',
          stdout: `tank/parent\t${shared}\t-\ntank/parent/zfs-dio-probe-aaaaaa000001-always\t${path.join(staleRoot, 'always')}\tpid=999999999 start=1\n` };
      }
      return listing(file, args, opts);
    };
    const result = await withAbChildren(ctx, { name: 'tank/parent', mountpoint: shared, properties: {} }, 'bbbbbb000001', async () => ({ experiments: [] }));
    assert.deepEqual(result.leftoversRemoved, ['tank/parent/zfs-dio-probe-aaaaaa000001-always']);
    assert.ok(commands.some((c) => c.join(' ') === 'destroy -- tank/parent/zfs-dio-probe-aaaaaa000001-always'));
    assert.equal(existsSync(staleRoot), false);
  } finally {
    rmSync(shared, { recursive: true, force: true });
    if (existsSync(staleRoot)) rmdirSync(path.join(staleRoot, 'always'));
    rmSync(staleRoot, { recursive: true, force: true });
  }
});
