import { test } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
  articleIdOf, datasetDetail, formatBytes, leftBehindWarning, noZfsMessage, orderDatasets, probeErrorCode, probeErrorMessage, probeRunOptions, probeTarget, reportLogLines, UI,
} from '../../../src/editor/probe-logic';
import type { DatasetInfo, ProbeReport } from '../../../src/core/types';
import { datasetForPath } from '../../../src/core/probe/index';

const ds = (name: string, mountpoint: string, properties: Record<string, string> = {}): DatasetInfo => ({ name, mountpoint, properties });

test('the dataset holding the workspace comes first (deepest mountpoint), the rest by name', () => {
  const list = [ds('tank', '/tank'), ds('tank/home', '/home'), ds('tank/home/u', '/home/u'), ds('rpool/ROOT', '/'), ds('tank/legacy', 'legacy'), ds('a/b', '/ab')];
  const ordered = orderDatasets(list, ['/home/u/project', '/srv/x'], datasetForPath);
  assert.deepEqual(ordered.map((o) => [o.dataset.name, o.holdsWorkspace]), [
    ['tank/home/u', true], ['rpool/ROOT', true], ['a/b', false], ['tank', false], ['tank/home', false], ['tank/legacy', false],
  ]);
  // /home/user2 is not under /home/u.
  assert.equal(orderDatasets(list, ['/home/user2'], datasetForPath)[0]!.dataset.name, 'tank/home');
  assert.deepEqual(orderDatasets([], ['/x'], datasetForPath), []);
});

test('the probe writes its scratch directory into the workspace folder when the chosen dataset holds it', () => {
  const list = [ds('tank', '/tank'), ds('tank/home/u', '/home/u')];
  const [mine, other] = orderDatasets(list, ['/home/u/project'], datasetForPath);
  assert.equal(mine!.workspacePath, '/home/u/project');
  assert.equal(probeTarget(mine!), '/home/u/project', 'a folder the user can write to, not the mountpoint');
  assert.equal(other!.workspacePath, undefined);
  assert.equal(probeTarget(other!), 'tank', 'another dataset is probed by name (its mountpoint)');
});

test('dataset details name recordsize and direct, and say when direct is missing', () => {
  assert.equal(datasetDetail(ds('t', '/t', { recordsize: '131072', direct: 'standard', compression: 'lz4' })), 'recordsize 128K · direct=standard · compression=lz4');
  assert.match(datasetDetail(ds('t', '/t', { recordsize: '1048576' })), /recordsize 1M · direct=\(no direct property: before OpenZFS 2\.3\)/);
  assert.equal(formatBytes('4096'), '4K');
  assert.equal(formatBytes('1000'), '1000');
  assert.equal(formatBytes('-'), '-');
});

test('messages: no ZFS is said plainly with the reason; errors name their cause', () => {
  const unloaded = "ZFS is installed, but its kernel module is not loaded. zfs says: The ZFS modules cannot be auto-loaded. Try running 'modprobe zfs' as root to manually load them.";
  assert.equal(noZfsMessage(unloaded, true), `ZFS Direct I/O: ${unloaded}`, 'installed: no "No ZFS found", zfs\'s hint kept');
  assert.doesNotMatch(noZfsMessage(unloaded, true), /\.\)?\.|No ZFS found/);
  assert.equal(probeErrorMessage('NO_ZFS', unloaded, true), `ZFS Direct I/O: ${unloaded}`);
  assert.equal(noZfsMessage('zfs: command not found; is OpenZFS installed?'), 'ZFS Direct I/O: No ZFS found on this machine. Zfs: command not found; is OpenZFS installed? A probe needs OpenZFS: the zfs and zpool commands and the zfs kernel module.');
  assert.equal(noZfsMessage(undefined), 'ZFS Direct I/O: No ZFS found on this machine. A probe needs OpenZFS: the zfs and zpool commands and the zfs kernel module.');
  assert.equal(articleIdOf('media/articles/how-direct-io-works.md'), 'how-direct-io-works');
  assert.equal(articleIdOf('media/articles/openzfs-16958.md'), 'openzfs-16958');
  assert.equal(articleIdOf(undefined), undefined);
  assert.match(probeErrorMessage('TIMEOUT', 'runner exceeded 120 s'), /timed out.*zfsDio\.probe\.timeoutSeconds.*Runner exceeded 120 s\./);
  assert.match(probeErrorMessage('PERMISSION', 'EACCES'), /permission denied/);
  assert.equal(probeErrorMessage('CANCELLED', ''), UI.cancelled);
  assert.match(probeErrorMessage(undefined, 'boom'), /probe failed\. Boom\./);
  assert.match(probeErrorMessage('TAMPERED', '/tank/s/.zfs-dio-probe-1 was replaced right after it was created'), /scratch directory was replaced while it used it\. \/tank/);
  assert.match(probeErrorMessage('NO_SPACE', 'no space left on the dataset (EDQUOT while writing the experiment files)'), /the dataset is full\. No space left/);
});

test('a probe that left something on the dataset gets a warning naming it; a clean one none', () => {
  const run = { scratchDir: '/tank/a/.zfs-dio-probe-1', runner: 'r', python: null, syncMethod: null, durationMs: 1 };
  const base: Omit<ProbeReport, 'run'> = { version: 1, dataset: null, zfs: { kmod: null, userland: null }, kernel: null, pageSize: null, experiments: [], verdicts: [] };
  assert.equal(leftBehindWarning({ report: { ...base, run: { ...run, cleanedUp: true } } }), undefined);
  assert.equal(leftBehindWarning({ report: { ...base, run: { ...run, cleanedUp: false, cleanupProblem: '/tank/a/.zfs-dio-probe-1 was moved or replaced during the run' } } }),
    'ZFS Direct I/O: the probe\'s scratch directory was not removed. /tank/a/.zfs-dio-probe-1 was moved or replaced during the run.');
  assert.equal(leftBehindWarning({ error: Object.assign(new Error('cancelled'), { leftBehind: '/tank/a/.zfs-dio-probe-1 may be left behind: EACCES' }) }),
    'ZFS Direct I/O: the probe could not clean up after itself. /tank/a/.zfs-dio-probe-1 may be left behind: EACCES.');
  assert.equal(leftBehindWarning({ error: new Error('cancelled') }), undefined);
});

test('the probe log lists every experiment and verdict', () => {
  const report: ProbeReport = {
    version: 1, dataset: ds('tank/a', '/tank/a', { recordsize: '131072', direct: 'always' }),
    zfs: { kmod: '2.3.2-1', userland: 'zfs-2.3.2-1' }, kernel: '6.12.0', pageSize: 4096,
    experiments: [
      { id: 'cfr.aligned', result: 'ok', errno: null, bytes: 262144, cloned: true, io: 'unknown' },
      { id: 'dio.read.buf', result: 'error', errno: 'EINVAL', bytes: null, cloned: null, io: 'unknown' },
    ],
    verdicts: [{ issue: 'openzfs#16958', status: 'not-affected', reasons: ['kmod 2.3.2 >= 2.3.1'] }],
  };
  const text = reportLogLines(report).join('\n');
  assert.match(text, /dataset tank\/a at \/tank\/a: recordsize 128K · direct=always/);
  assert.match(text, /OpenZFS kmod 2\.3\.2-1/);
  assert.match(text, /cfr\.aligned\s+ok 262144 bytes, cloned, io unknown/);
  assert.match(text, /dio\.read\.buf\s+error EINVAL, io unknown/);
  assert.match(text, /openzfs#16958: not-affected \(kmod 2\.3\.2 >= 2\.3\.1\)/);
});

test('a saved probe report is checked for the fixed minimum shape', async () => {
  const { parseProbeReportJson } = await import('../../../src/editor/probe-logic');
  const good = { version: 1, dataset: { name: 'tank/a', mountpoint: '/tank/a', properties: {} }, zfs: { kmod: null, userland: null },
    kernel: null, pageSize: 4096, experiments: [{ id: 'cfr.aligned', result: 'ok', errno: null, bytes: 1, cloned: true, io: 'unknown' }], verdicts: [] };
  const ok = parseProbeReportJson(JSON.stringify(good));
  assert.ok('report' in ok && ok.report.dataset?.name === 'tank/a');
  const cases: [string, RegExp][] = [
    ['{', /not JSON/], ['[]', /not a JSON object/], [JSON.stringify({ ...good, version: 2 }), /unsupported report version 2/],
    [JSON.stringify({ ...good, experiments: undefined }), /no "experiments" array/],
    [JSON.stringify({ ...good, experiments: [{}] }), /experiment 0 has no id/],
    [JSON.stringify({ ...good, verdicts: [{ status: 'affected' }] }), /verdict 0 has no issue id/],
    [JSON.stringify({ ...good, dataset: 'tank' }), /"dataset" must be null or an object/],
  ];
  for (const [text, re] of cases) {
    const r = parseProbeReportJson(text);
    assert.ok('error' in r && re.test(r.error), `${text.slice(0, 40)} -> ${JSON.stringify(r)}`);
  }
  const fixtures = path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/probe');
  for (const f of existsSync(fixtures) ? readdirSync(fixtures).filter((n) => /^report-.*\.json$/.test(n)) : []) {
    const r = parseProbeReportJson(readFileSync(path.join(fixtures, f), 'utf8'));
    assert.ok('report' in r, `recorded report ${f} is accepted: ${JSON.stringify(r).slice(0, 200)}`);
  }
});

test('probeRunOptions: the zfsDio.probe settings as probe options, leaving out what is not set', () => {
  assert.deepEqual(probeRunOptions({ timeoutSeconds: 120, allowAB: false }), { runnerTimeoutMs: 120_000 });
  assert.deepEqual(probeRunOptions({ zfsPath: '/sbin/zfs', zpoolPath: '/sbin/zpool', pythonPath: '/usr/bin/python3', timeoutSeconds: 5, allowAB: true }),
    { zfsPath: '/sbin/zfs', zpoolPath: '/sbin/zpool', pythonPath: '/usr/bin/python3', runnerTimeoutMs: 5000 });
});

test('probeErrorCode: the code of a probe error, nothing for other values', () => {
  assert.equal(probeErrorCode({ code: 'NO_ZFS' }), 'NO_ZFS');
  assert.equal(probeErrorCode(new Error('plain')), undefined);
  assert.equal(probeErrorCode(null), undefined);
  assert.equal(probeErrorCode({ code: 3 }), undefined);
});
