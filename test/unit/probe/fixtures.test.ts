// Parsers and report assembly on output recorded from the real OpenZFS 2.3.2 VM
// (test/fixtures/probe/README.md). The ProbeHost is the seam: it replays the recorded output for
// exactly the commands and files the probe asks for, and fails the test on anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { datasetForPath, listDatasets, runProbe } from '../../../src/core/probe/index';
import type { ProbeHost } from '../../../src/core/probe/host';
import type { ExecOptions, ExecResult } from '../../../src/core/probe/exec';
import { classifyZfsFailure, resolveTarget, ZFS_SUPER_MAGIC, type DiscoveryContext } from '../../../src/core/probe/discover';
import { mountForPath, parseMountinfo, zfsMounts } from '../../../src/core/probe/mountinfo';
import { parseKstatNamed, parseZfsGet, parseZfsList, parseZfsVersion, parseZpoolGet } from '../../../src/core/probe/parse';
import { parseRunnerOutput, type RunnerPlanPhase } from '../../../src/core/probe/experiments/run-matrix';
import { ProbeError } from '../../../src/core/probe/errors';
import { formatReport } from '../../../src/cli/probe-command';
import { knownIssuesData } from '../../../src/core/knowledge/verdicts';
import { EXPERIMENT_IDS } from '../../../src/core/probe/experiments/catalog';

const FIX = path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/probe');
const fx = (name: string) => readFileSync(path.join(FIX, name), 'utf8');
const plannedIds = (plan: RunnerPlanPhase[]): string[] => plan.flatMap((phase) => phase.experiments.map((e) => e.id));
/** A recorded "output + rc=N" file → stdout/stderr text and exit status. */
function withRc(name: string): { text: string; rc: number } {
  const t = fx(name);
  const m = /\nrc=(\d+)\n?$/.exec('\n' + t);
  return { text: m ? t.slice(0, t.length - m[0].length + 1) : t, rc: m ? Number(m[1]) : 0 };
}

test('zfs list / zfs get (-H -p) with a space in a name and a quote in a mountpoint', () => {
  const rows = parseZfsList(fx('zfs-list-filesystems.txt'), ['name', 'mountpoint', 'mounted']);
  assert.deepEqual(rows.map((r) => r.name), ['tank', 'tank/always', 'tank/standard', 'tank/with space']);
  assert.equal(rows.find((r) => r.name === 'tank/with space')!.mountpoint, "/tmp/zt/it's here");
  const props = parseZfsGet(fx('zfs-get-all.txt'));
  assert.deepEqual(props.get('tank/always')!.direct, { value: 'always', source: 'local' });
  assert.deepEqual(props.get('tank/standard')!.recordsize, { value: '131072', source: 'default' });
  assert.equal(props.get('tank/with space')!.direct!.value, 'standard');
  assert.deepEqual(Object.keys(props.get('tank')!).sort(), ['checksum', 'compression', 'direct', 'encryption', 'recordsize', 'sync']);
  assert.deepEqual(parseZfsGet(fx('zfs-get-space.txt')).get('tank/with space'), props.get('tank/with space'));
  assert.equal(fx('zfs-list-path-quote.txt').trim(), 'tank/with space');
});

test('zfs version, text and -j, and the module version file', () => {
  assert.deepEqual(parseZfsVersion(fx('zfs-version.txt')), { userland: '2.3.2-2~bpo12+2', kmod: '2.3.2-2~bpo12+2' });
  assert.deepEqual(parseZfsVersion(fx('zfs-version-j.json')), { userland: '2.3.2-2~bpo12+2', kmod: '2.3.2-2~bpo12+2' });
  assert.equal(fx('sys-module-zfs-version.txt').trim(), '2.3.2-2~bpo12+2');
});

test('zpool get, the iostats kstat and the mount table', () => {
  assert.deepEqual(parseZpoolGet(fx('zpool-get-tank.txt')),
    { 'feature@block_cloning': 'enabled', bcloneused: '0', bclonesaved: '0', bcloneratio: '1.00' });
  const io = parseKstatNamed(fx('iostats-tank.txt'));
  for (const k of ['direct_read_count', 'direct_write_bytes', 'arc_read_count', 'arc_write_bytes']) assert.equal(typeof io[k], 'number', k);
  assert.equal(io.arc_write_count, 280);
  assert.equal(io['30'], undefined, 'the kstat header line is not a counter');
  const mounts = parseMountinfo(fx('mountinfo.txt'));
  assert.deepEqual(zfsMounts(mounts).map((m) => [m.source, m.mountPoint]), [
    ['tank', '/tmp/zt'], ['tank/always', '/tmp/zt/always'], ['tank/standard', '/tmp/zt/standard'], ['tank/with space', "/tmp/zt/it's here"],
  ]);
  assert.equal(mountForPath(mounts, "/tmp/zt/it's here/x")!.source, 'tank/with space');
  assert.equal(mountForPath(mounts, '/tmp/other')!.fsType, 'tmpfs');
});

test('real zfs error messages map to the right ProbeError codes', () => {
  // Installed but not loaded: say that, and keep zfs's own hint, in sentences with single full stops.
  const unloaded = withRc('zfs-list-module-not-loaded.txt');
  const noModule = classifyZfsFailure('zfs', ['list'], unloaded.text, unloaded.rc);
  assert.equal(noModule.code, 'NO_ZFS');
  assert.equal(noModule.zfsInstalled, true);
  assert.equal(noModule.message, "ZFS is installed, but its kernel module is not loaded. zfs says: The ZFS modules cannot be auto-loaded. "
    + "Try running 'modprobe zfs' as root to manually load them.");
  const missing = withRc('zfs-list-missing.txt');
  assert.equal(classifyZfsFailure('zfs', ['list'], missing.text, missing.rc).code, 'NO_DATASET');
  const notZfs = withRc('zfs-list-path-tmp.txt');
  assert.equal(classifyZfsFailure('zfs', ['list'], notZfs.text, notZfs.rc).code, 'NOT_ON_ZFS');
  const refused = withRc('zfs-list-as-nobody-no-udev.txt');
  assert.equal(refused.rc, 1);
  assert.equal(classifyZfsFailure('zfs', ['list'], refused.text, refused.rc).code, 'PERMISSION');
  const create = withRc('zfs-create-as-nobody.txt');
  assert.equal(classifyZfsFailure('zfs', ['create'], create.text, create.rc).code, 'PERMISSION');
  const bad = withRc('zfs-get-invalid-property.txt');
  assert.equal(bad.rc, 2);
  assert.equal(/invalid property '([^']+)'/.exec(bad.text)![1], 'bogusprop', 'the retry-without-property path can read the name');
  assert.equal(withRc('zpool-sync-as-nobody.txt').rc, 0, '`zpool sync` works without root once /dev/zfs is 0666');
});

test('the runner JSON from the VM parses into the fixed experiment ids', () => {
  const out = parseRunnerOutput(fx('runner-always.json'), fx('runner-always.stderr'), 0, '/tmp/x');
  assert.equal(out.experiments.length, 13);
  assert.equal(out.pageSize, 4096);
  assert.deepEqual(out.statxDioAlign, { memAlign: 4096, offsetAlign: 131072, blksize: 131072 });
  assert.equal(out.syncMethod, 'zpool sync');
  const cfr = out.experiments.find((e) => e.id === 'cfr.aligned')!;
  assert.deepEqual([cfr.result, cfr.cloned, cfr.dataOk, cfr.params!.bclonesavedDelta], ['ok', true, true, 262144]);
  assert.equal(out.experiments.find((e) => e.id === 'dio.read.buf')!.io, 'arc');
  assert.throws(() => parseRunnerOutput('not json', 'Traceback…', 1, '/x'), (e: unknown) =>
    e instanceof ProbeError && e.code === 'RUNNER_FAILED' && /exited with status 1 without a report: Traceback/.test(e.message));
  assert.throws(() => parseRunnerOutput('{"error":{"code":"PERMISSION","message":"cannot create a scratch directory in /x: Permission denied","errno":"EACCES"}}', '', 3, '/x'),
    (e: unknown) => e instanceof ProbeError && e.code === 'PERMISSION' && /Permission denied \(the experiments only need a directory on the dataset that you can write to/.test(e.message));
});

// ---------------------------------------------------------------------------------------------
// the whole probe, replayed

function replayHost(binDir: string, overrides: Record<string, ExecResult> = {}, system: { kmod?: string; kernel?: string } = {}):
{ host: ProbeHost; seen: string[]; runnerConfigs: { plan: RunnerPlanPhase[] }[] } {
  const seen: string[] = [];
  const runnerConfigs: { plan: RunnerPlanPhase[] }[] = [];
  const params = Object.fromEntries(fx('module-parameters.txt').trim().split('\n').map((l) => {
    const [k, v] = l.split('=');
    return [k!, v === '<missing>' ? null : `${v}\n`];
  }));
  const zfsGetFor = (name: string) => fx('zfs-get-all.txt').split('\n').filter((l) => l.startsWith(`${name}\t`)).join('\n') + '\n';
  const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1 });
  const commands: Record<string, () => ExecResult> = {
    'zfs list -H -p -o name,type,mountpoint,mounted -- tank/always': () => ok(fx('zfs-list-always.txt')),
    'zfs get -Hp -o name,property,value,source direct,recordsize,compression,encryption,checksum,sync -- tank/always': () => ok(zfsGetFor('tank/always')),
    'zfs version -j': () => ok(fx('zfs-version-j.json')),
    'zpool get -Hp -o property,value feature@block_cloning,bcloneused,bclonesaved,bcloneratio -- tank': () => ok(fx('zpool-get-tank.txt')),
  };
  const files: Record<string, string | null> = {
    '/proc/self/mountinfo': fx('mountinfo.txt'),
    '/sys/module/zfs/version': system.kmod ?? fx('sys-module-zfs-version.txt'),
    '/proc/spl/kstat/zfs/tank/iostats': fx('iostats-tank.txt'),
  };
  for (const [k, v] of Object.entries(params)) files[`/sys/module/zfs/parameters/${k}`] = v;
  const host: ProbeHost = {
    async exec(file: string, args: readonly string[], opts: ExecOptions) {
      const tool = path.basename(file);
      if (tool === 'python3') {
        assert.equal(args[0], '-I');
        const cfg = JSON.parse(opts.input!);
        assert.equal(cfg.pool, 'tank');
        assert.equal(cfg.recordsize, 131072);
        assert.equal(cfg.mode, 'run');
        assert.equal(cfg.workDir, '/tmp/zt/always');
        assert.match(cfg.runId, /^[0-9a-f]{12}$/);
        seen.push('python3 runner');
        runnerConfigs.push(cfg);
        // the recorded run, restricted to what this run asked for
        const recorded = JSON.parse(fx('runner-always.json'));
        const planned = plannedIds(cfg.plan);
        recorded.experiments = recorded.experiments.filter((e: { id: string }) => planned.includes(e.id));
        return ok(JSON.stringify(recorded));
      }
      const key = `${tool} ${args.join(' ')}`;
      seen.push(key);
      if (overrides[key]) return overrides[key]!;
      const replay = commands[key];
      if (!replay) throw new Error(`unexpected command in replay: ${key}`);
      return replay();
    },
    async readText(p) {
      if (!(p in files)) throw new Error(`unexpected file read in replay: ${p}`);
      return files[p]!;
    },
    async statfs() { return { type: ZFS_SUPER_MAGIC, bsize: 131072 }; },
    async isDirectory() { return true; },
    async realPath(p) { return p; },
    kernelRelease: () => system.kernel ?? fx('uname-r.txt').trim(),
    env: {
      ZFS_DIO_ZFS: path.join(binDir, 'zfs'), ZFS_DIO_ZPOOL: path.join(binDir, 'zpool'), ZFS_DIO_PYTHON: path.join(binDir, 'python3'),
    },
    cwd: () => '/',
  };
  return { host, seen, runnerConfigs };
}

function fakeBins(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-replay-'));
  for (const b of ['zfs', 'zpool', 'python3']) {
    writeFileSync(path.join(dir, b), '#!/bin/sh\nexit 99\n');   // never run: the replay host answers
    chmodSync(path.join(dir, b), 0o755);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a path off ZFS names its filesystem, and says so when the machine has no ZFS at all', async () => {
  const bins = fakeBins();
  try {
    const EXT4_SUPER_MAGIC = 0xef53;
    const ext4Only = '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n';
    // The recorded VM mount table (root over 9p) has ZFS mounts and the module: the message names the filesystem only.
    const withZfs = replayHost(bins.dir).host;
    withZfs.statfs = async () => ({ type: EXT4_SUPER_MAGIC, bsize: 4096 });
    await assert.rejects(runProbe({ target: '/home/me/project' }, { host: withZfs, runnerScript: '/opt/runner.py' }), (e: unknown) =>
      e instanceof ProbeError && e.code === 'NOT_ON_ZFS' && /"\/home\/me\/project" is not on a ZFS dataset: it is on 9p \(mounted at \/ from hostroot\)\.$/.test(e.message));
    // zfs tools installed, but no module loaded and nothing mounted: say that there is no ZFS here.
    const noModule = replayHost(bins.dir).host;
    noModule.statfs = withZfs.statfs;
    noModule.readText = async (p) => (p === '/proc/self/mountinfo' ? ext4Only : null);
    await assert.rejects(runProbe({ target: '/home/me/project' }, { host: noModule, runnerScript: '/opt/runner.py' }), (e: unknown) =>
      e instanceof ProbeError && e.code === 'NOT_ON_ZFS' && /it is on ext4 .*\. There is no ZFS on this machine: the zfs kernel module is not loaded and no ZFS dataset is mounted\.$/.test(e.message));
    // The module is loaded but no dataset is mounted.
    const unmounted = replayHost(bins.dir).host;
    unmounted.statfs = withZfs.statfs;
    unmounted.readText = async (p) => (p === '/proc/self/mountinfo' ? ext4Only : p === '/sys/module/zfs/version' ? '2.3.2-2~bpo12+2\n' : null);
    await assert.rejects(runProbe({ target: '/home/me/project' }, { host: unmounted, runnerScript: '/opt/runner.py' }), (e: unknown) =>
      e instanceof ProbeError && e.code === 'NOT_ON_ZFS' && /\. No ZFS dataset is mounted on this machine\.$/.test(e.message));
  } finally {
    bins.cleanup();
  }
});

test('runProbe on recorded tank/always output: the report, the matrix and the verdicts', async () => {
  const bins = fakeBins();
  try {
    const { host, seen } = replayHost(bins.dir);
    const steps: string[] = [];
    const report = await runProbe({ target: 'tank/always', onProgress: (p) => steps.push(p.step) },
      { host, runnerScript: '/opt/runner.py' });
    assert.equal(report.version, 1);
    assert.deepEqual(report.dataset, {
      name: 'tank/always', mountpoint: '/tmp/zt/always',
      properties: { direct: 'always', recordsize: '131072', compression: 'on', encryption: 'off', checksum: 'on', sync: 'standard' },
      propertySources: { direct: 'local', recordsize: 'default', compression: 'default', encryption: 'default', checksum: 'default', sync: 'default' },
    });
    assert.deepEqual(report.zfs, { kmod: '2.3.2-2~bpo12+2', userland: '2.3.2-2~bpo12+2' });
    assert.equal(report.kernel, '6.12.117+deb12-amd64');
    assert.equal(report.pageSize, 4096);
    assert.deepEqual(report.moduleParameters, {
      zfs_dio_enabled: '1', zfs_dio_strict: null, zfs_bclone_enabled: '1', zfs_bclone_wait_dirty: '0',
      zfs_vdev_direct_write_verify: '1', zfs_txg_timeout: '5',
    });
    assert.deepEqual(report.pool!.features, { block_cloning: 'enabled' });
    assert.equal(report.pool!.properties['iostats.arc_write_count'], '280');
    assert.deepEqual(report.statxDioAlign, { memAlign: 4096, offsetAlign: 131072 });
    assert.equal(report.experiments.length, 13);
    assert.ok(report.experiments.every((e) => e.result === 'ok'), 'direct=always accepts every case');
    const v = report.verdicts.find((x) => x.issue === 'openzfs#16958')!;
    assert.equal(v.status, 'not-affected');
    assert.match(v.reasons[0]!, /kmod 2\.3\.2 ≥ 2\.3\.1/);
    assert.equal(v.contradiction, undefined);
    assert.equal(report.verdicts.find((x) => x.issue === 'openzfs#16972')!.status, 'not-affected');
    assert.deepEqual(seen, [
      'zfs list -H -p -o name,type,mountpoint,mounted -- tank/always',
      'zfs get -Hp -o name,property,value,source direct,recordsize,compression,encryption,checksum,sync -- tank/always',
      'zfs version -j',
      'zpool get -Hp -o property,value feature@block_cloning,bcloneused,bclonesaved,bcloneratio -- tank',
      'python3 runner',
    ]);
    assert.equal(steps.at(-1), 'done');
    // the human-readable rendering of the same report
    const text = formatReport(report);
    assert.match(text, /^ZFS Direct I\/O probe of tank\/always \(mounted at \/tmp\/zt\/always\)/);
    assert.match(text, /zfs_dio_strict=\(not in this version\)/);
    assert.match(text, /cfr\.aligned\s+ok, 262144 bytes\s+cloned, data verified/);
    assert.match(text, /dio\.read\.buf\s+ok, 131072 bytes\s+through the ARC, data verified/);
  } finally {
    bins.cleanup();
  }
});

test('runProbe: a pre-2.3 userland without the `direct` property is retried without it', async () => {
  const bins = fakeBins();
  try {
    // what `zfs get` prints for a property it does not know, recorded with `bogusprop`
    const refusal = withRc('zfs-get-invalid-property.txt').text.replace("'bogusprop'", "'direct'");
    const { host, seen } = replayHost(bins.dir, {
      'zfs get -Hp -o name,property,value,source direct,recordsize,compression,encryption,checksum,sync -- tank/always':
        { exitCode: 2, stdout: '', stderr: refusal, durationMs: 1 },
      'zfs get -Hp -o name,property,value,source recordsize,compression,encryption,checksum,sync -- tank/always':
        { exitCode: 0, stdout: fx('zfs-get-all.txt').split('\n').filter((l) => l.startsWith('tank/always\t') && !l.includes('\tdirect\t')).join('\n'), stderr: '', durationMs: 1 },
    });
    const report = await runProbe({ target: 'tank/always' }, { host, runnerScript: '/opt/runner.py' });
    assert.equal(report.dataset!.properties.direct, undefined);
    assert.equal(report.dataset!.properties.recordsize, '131072');
    assert.ok(report.notes!.some((n) => /no `direct` dataset property/.test(n)));
    assert.equal(seen.filter((s) => s.startsWith('zfs get')).length, 2);
  } finally {
    bins.cleanup();
  }
});

test('when zfs refuses the user, the dataset comes from the mount table (recorded refusal)', async () => {
  const bins = fakeBins();
  try {
    const refused = withRc('zfs-list-as-nobody-no-udev.txt');
    const { host } = replayHost(bins.dir, {
      'zfs list -H -p -o name,type,mountpoint,mounted -- tank/with space': { exitCode: refused.rc, stdout: '', stderr: refused.text, durationMs: 1 },
    });
    const ctx: DiscoveryContext = { host, zfs: path.join(bins.dir, 'zfs'), zpool: path.join(bins.dir, 'zpool'), timeoutMs: 1000 };
    const t = await resolveTarget(ctx, 'tank/with space');
    assert.deepEqual([t.dataset.name, t.dataset.mountpoint, t.workDir], ['tank/with space', "/tmp/zt/it's here", "/tmp/zt/it's here"]);
    assert.deepEqual(t.dataset.properties, { recordsize: '131072' });
    assert.match(t.degraded!, /`zfs` refused this user \(Permission denied the ZFS utilities must be run as root\.\)/);
  } finally {
    bins.cleanup();
  }
});

test('experiments the database marks as kernel-crashing are never run (2.3.0 on a 5.15 kernel)', async () => {
  const bins = fakeBins();
  try {
    // the recorded 2.3.2 outputs, with the module version and kernel of the #16952 panic report
    const { host, runnerConfigs } = replayHost(bins.dir, {}, { kmod: '2.3.0-1\n', kernel: '5.15.0-119-generic' });
    const report = await runProbe({ target: 'tank/always' }, { host, runnerScript: '/opt/runner.py' });
    const hazardous = new Set(knownIssuesData().issues.find((i) => i.id === 'openzfs#16952')!.hazard!.experiments);
    assert.ok(hazardous.has('cfr.page') && hazardous.has('cfr.odirect.misaligned'));
    assert.deepEqual(plannedIds(runnerConfigs[0]!.plan), EXPERIMENT_IDS.filter((id) => !hazardous.has(id)));
    assert.ok(report.experiments.every((e) => !hazardous.has(e.id)), 'no hazardous experiment in the report');
    assert.ok(report.notes!.some((n) => n.startsWith('skipped cfr.page: openzfs#16952: ')), JSON.stringify(report.notes));
    assert.equal(report.zfs.kmod, '2.3.0-1');
    // and on the recorded 2.3.2 system nothing is skipped: the runner is given the whole matrix
    const normal = replayHost(bins.dir);
    await runProbe({ target: 'tank/always' }, { host: normal.host, runnerScript: '/opt/runner.py' });
    assert.deepEqual(plannedIds(normal.runnerConfigs[0]!.plan), [...EXPERIMENT_IDS]);
  } finally {
    bins.cleanup();
  }
});

test('listDatasets from recorded zfs list / zfs get, and the mountinfo fallback without zfs', async () => {
  const bins = fakeBins();
  try {
    const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1 });
    const { host, seen } = replayHost(bins.dir, {
      'zfs list -H -p -t filesystem -o name,mountpoint,mounted': ok(fx('zfs-list-filesystems.txt')),
      'zfs get -Hp -o name,property,value,source -t filesystem direct,recordsize,compression,encryption,checksum,sync': ok(fx('zfs-get-all.txt')),
    });
    const list = await listDatasets({ host });
    assert.deepEqual(list.map((d) => [d.name, d.mountpoint, d.properties.direct, d.properties.recordsize]), [
      ['tank', '/tmp/zt', 'standard', '131072'],
      ['tank/always', '/tmp/zt/always', 'always', '131072'],
      ['tank/standard', '/tmp/zt/standard', 'standard', '131072'],
      ['tank/with space', "/tmp/zt/it's here", 'standard', '131072'],
    ]);
    assert.equal(seen.length, 2);
    assert.equal(datasetForPath(list, "/tmp/zt/it's here/src/a.c")!.name, 'tank/with space');
    assert.equal(datasetForPath(list, '/tmp/ztx')?.name, undefined);

    // no zfs binary at all: the ZFS mounts of the recorded mount table, recordsize from statfs
    const noZfs = replayHost(bins.dir);
    noZfs.host.env = { ...noZfs.host.env, ZFS_DIO_ZFS: path.join(bins.dir, 'absent') };
    const fallback = await listDatasets({ host: noZfs.host });
    assert.deepEqual(fallback.map((d) => [d.name, d.mountpoint, d.properties.recordsize, d.propertySources!.recordsize]), [
      ['tank', '/tmp/zt', '131072', 'statfs'],
      ['tank/always', '/tmp/zt/always', '131072', 'statfs'],
      ['tank/standard', '/tmp/zt/standard', '131072', 'statfs'],
      ['tank/with space', "/tmp/zt/it's here", '131072', 'statfs'],
    ]);
    assert.deepEqual(noZfs.seen, [], 'nothing was run');

    // no zfs and no ZFS mounts: the NO_ZFS error itself
    const bare = replayHost(bins.dir);
    bare.host.env = { ...bare.host.env, ZFS_DIO_ZFS: path.join(bins.dir, 'absent') };
    bare.host.readText = async () => fx('mountinfo.txt').split('\n').filter((l) => !l.includes(' - zfs ')).join('\n');
    await assert.rejects(listDatasets({ host: bare.host }), (e: unknown) => e instanceof ProbeError && e.code === 'NO_ZFS');
  } finally {
    bins.cleanup();
  }
});
