// Host-side assertions on what the VMs recorded: test/zfs/guest/suite.sh on the real OpenZFS 2.3.2
// module (Debian kernel 6.12), and test/zfs/guest/matrix.sh on the other versions of the matrix
// (modules built from Debian's zfs-dkms packages). Run by test/zfs/run.sh with
// ZFS_TEST_OUTPUT=test-output/zfs, ZFS_TEST_STAGES and ZFS_TEST_VERSIONS (what it ran).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const OUT = process.env.ZFS_TEST_OUTPUT;
assert.ok(OUT && existsSync(OUT), 'ZFS_TEST_OUTPUT must point at test-output/zfs (run test/zfs/run.sh)');
const STAGES = (process.env.ZFS_TEST_STAGES ?? 'suite').split(/\s+/).filter(Boolean);
const VERSIONS = (process.env.ZFS_TEST_VERSIONS ?? '').split(/\s+/).filter(Boolean);
const SUITE = STAGES.includes('suite');
const MATRIX = STAGES.includes('matrix');
const CASES = path.join(OUT, 'guest', 'cases');

function read(name) {
  const p = path.join(CASES, name);
  assert.ok(existsSync(p), `the guest did not record ${name}`);
  return readFileSync(p, 'utf8');
}
function caseOf(name) {
  return {
    rc: Number(read(`${name}.rc`).trim()),
    stdout: read(`${name}.stdout`),
    stderr: read(`${name}.stderr`),
    ms: existsSync(path.join(CASES, `${name}.ms`)) ? Number(read(`${name}.ms`).trim()) : NaN,
  };
}
function report(name) {
  const c = caseOf(name);
  assert.equal(c.rc, 0, `${name}: exit 0 expected, got ${c.rc}; stderr: ${c.stderr}`);
  return JSON.parse(c.stdout);
}
function exp(r, id) {
  const e = r.experiments.find((x) => x.id === id);
  assert.ok(e, `experiment ${id} missing`);
  return e;
}
// the whole matrix in the catalog's order, which the runner's plan follows
const ALL_IDS = ['cfr.aligned', 'cfr.page', 'cfr.misaligned', 'cfr.odirect.aligned', 'cfr.odirect.page', 'cfr.odirect.misaligned',
  'ficlone.aligned', 'ficlone.misaligned', 'ficlone.fresh',
  'dio.read.aligned', 'dio.read.buf', 'dio.read.len', 'dio.read.off',
  'dio.write.aligned', 'dio.write.buf', 'dio.write.len', 'dio.write.off'];
const suiteTest = (name, fn) => test(name, { skip: !SUITE && 'the suite stage did not run' }, fn);

suiteTest('the runner started by hand with the plan the CLI builds runs the whole matrix, as the probe did', () => {
  const p = path.join(OUT, 'guest', 'fixtures', 'runner-always.json');
  assert.ok(existsSync(p), 'the guest did not record fixtures/runner-always.json');
  const raw = JSON.parse(readFileSync(p, 'utf8').trim().split('\n').pop());
  assert.equal(raw.error, undefined, JSON.stringify(raw.error));
  assert.equal(raw.cleanedUp, true);
  assert.deepEqual(raw.experiments.map((e) => e.id), ALL_IDS);
  const probe = report('always-json');
  for (const e of raw.experiments) {
    const q = exp(probe, e.id);
    assert.deepEqual([e.result, e.errno, e.params.length ?? null], [q.result, q.errno, q.params.length ?? null], `${e.id}: the same call and outcome`);
  }
});

for (const ds of ['always', 'standard']) {
  suiteTest(`scan --target tank/${ds}: the samples' findings speak about that dataset (recordsize, direct=, version)`, () => {
    const c = { rc: Number(read(`scan-target-${ds}.rc`).trim()), stdout: read(`scan-target-${ds}.stdout`), stderr: read(`scan-target-${ds}.stderr`) };
    assert.equal(c.rc, 1, `findings make the exit status 1; stderr: ${c.stderr}`);
    const target = `tank/${ds}, OpenZFS 2.3.2, direct=${ds}`;
    assert.ok(c.stderr.split('\n').includes(`zfs-dio: target ${target}`), `read from the dataset with zfs get and the module version: ${c.stderr}`);
    const { findings } = JSON.parse(c.stdout);
    assert.ok(findings.length >= 10, `the samples have findings (${findings.length})`);
    const byRule = (id) => findings.filter((f) => f.ruleId === id);
    for (const id of ['ZDIO001', 'ZDIO002', 'ZDIO003', 'ZDIO010', 'ZDIO011']) {
      assert.ok(byRule(id).length, `${id} in the samples`);
      for (const f of byRule(id)) {
        assert.equal(f.derived.target, target, `${id}: the hover names the whole target`);
        assert.ok(f.message.length <= 120, `${id}: one line of the Problems panel: ${f.message}`);
        assert.match(f.message, new RegExp(` on tank/${ds}( \\(2\\.3\\.2(, direct=${ds})?\\))?$`), `${id} names the dataset: ${f.message}`);
      }
    }
    assert.ok(findings.some((f) => f.message.endsWith(` on tank/${ds} (2.3.2, direct=${ds})`)), 'a message names the version and the direct= value');
    for (const f of [...byRule('ZDIO010'), ...byRule('ZDIO020'), ...byRule('ZDIO004')]) {
      assert.equal(f.derived.recordsize, 131072, `${f.ruleId}: the dataset's recordsize`);
      assert.equal(f.derived.recordsizeSource, 'target');
      assert.match(f.message, /recordsize 131072/);
    }
    for (const f of byRule('ZDIO010')) assert.match(f.message, new RegExp(`: copied, not cloned on tank/${ds}`), '2.3.2 copies what it cannot clone');
    const misaligned = [...byRule('ZDIO001'), ...byRule('ZDIO002'), ...byRule('ZDIO003')];
    if (ds === 'standard') {
      for (const f of misaligned) {
        assert.equal(f.severity, 'error', `${f.ruleId}: EINVAL on direct=standard, as the probe measured`);
        assert.match(f.message, /: EINVAL on tank\/standard/);
        assert.equal(f.derived.targetIssue, 'openzfs#16953');
      }
      for (const f of byRule('ZDIO011')) assert.equal(f.severity, 'error');
    } else {
      for (const f of misaligned) {
        assert.equal(f.severity, 'information', `${f.ruleId}: through the ARC on direct=always, as the probe measured`);
        assert.match(f.message, /: through the ARC, no error on tank\/always/);
      }
      for (const f of byRule('ZDIO011')) assert.equal(f.severity, 'warning');
    }
  });
}

function assertCommonReport(r, name, direct) {
  assert.equal(r.version, 1);
  assert.equal(r.dataset.name, name);
  assert.equal(r.dataset.properties.direct, direct);
  assert.equal(r.dataset.properties.recordsize, '131072');
  assert.match(r.zfs.kmod, /^2\.3\.2-/, 'kernel module version from /sys/module/zfs/version');
  assert.match(r.zfs.userland, /^2\.3\.2-/);
  assert.match(r.kernel, /^6\.12\./);
  assert.equal(r.pageSize, 4096);
  assert.deepEqual(r.experiments.map((e) => e.id), ALL_IDS, 'the whole matrix, in the fixed order');
  for (const e of r.experiments) {
    assert.ok(['direct', 'arc', 'unknown'].includes(e.io), `${e.id}: io`);
    if (e.result === 'ok') assert.notEqual(e.dataOk, false, `${e.id}: content verified byte for byte`);
    else assert.equal(e.bytes, null);
  }
  assert.equal(r.moduleParameters.zfs_dio_enabled, '1');
  assert.equal(r.moduleParameters.zfs_dio_strict, null, 'zfs_dio_strict does not exist before 2.4.0');
  assert.equal(r.moduleParameters.zfs_bclone_enabled, '1');
  assert.equal(r.moduleParameters.zfs_bclone_wait_dirty, '0');
  assert.ok(['enabled', 'active'].includes(r.pool.features.block_cloning));
  assert.ok(r.statxDioAlign, 'OpenZFS 2.3.2 reports STATX_DIOALIGN');
  assert.equal(r.statxDioAlign.memAlign, 4096);
  assert.equal(r.statxDioAlign.offsetAlign, 131072, 'max(file block size, page) for a multi-record file');
  assert.equal(r.run.cleanedUp, true);
  const v = r.verdicts.find((x) => x.issue === 'openzfs#16958');
  assert.ok(v, 'a verdict for openzfs#16958');
  assert.equal(v.status, 'not-affected');
  assert.match(v.reasons.join(' '), /2\.3\.2/);
  assert.match(v.reasons.join(' '), /2\.3\.1/);
}

suiteTest('direct=always: misaligned O_DIRECT succeeds (through the ARC), aligned copies are cloned', () => {
  const r = report('always-json');
  assertCommonReport(r, 'tank/always', 'always');
  for (const id of ['dio.read.aligned', 'dio.read.buf', 'dio.read.len', 'dio.read.off',
    'dio.write.aligned', 'dio.write.buf', 'dio.write.len', 'dio.write.off']) {
    assert.equal(exp(r, id).result, 'ok', `${id} on always`);
  }
  assert.equal(exp(r, 'dio.read.buf').bytes, 131072);
  // the iostats deltas tell the paths apart: aligned requests go direct, misaligned ones through the ARC
  assert.deepEqual(['dio.read.aligned', 'dio.write.aligned'].map((id) => exp(r, id).io), ['direct', 'direct']);
  assert.deepEqual(['dio.read.buf', 'dio.read.len', 'dio.read.off', 'dio.write.buf', 'dio.write.len', 'dio.write.off']
    .map((id) => exp(r, id).io), ['arc', 'arc', 'arc', 'arc', 'arc', 'arc']);
  assert.equal(exp(r, 'dio.read.len').bytes, 4097);
  assert.deepEqual([exp(r, 'cfr.aligned').result, exp(r, 'cfr.aligned').cloned, exp(r, 'cfr.aligned').dataOk], ['ok', true, true]);
  assert.deepEqual([exp(r, 'cfr.odirect.aligned').result, exp(r, 'cfr.odirect.aligned').cloned], ['ok', true]);
  for (const id of ['cfr.page', 'cfr.misaligned', 'cfr.odirect.misaligned']) {
    assert.deepEqual([exp(r, id).result, exp(r, id).cloned, exp(r, id).dataOk], ['ok', false, true], `${id}: copied, not cloned`);
  }
});

suiteTest('direct=standard: misaligned O_DIRECT gives EINVAL, aligned is direct, aligned copies are cloned', () => {
  const r = report('standard-json');
  assertCommonReport(r, 'tank/standard', 'standard');
  for (const id of ['dio.read.buf', 'dio.read.len', 'dio.read.off', 'dio.write.buf', 'dio.write.len', 'dio.write.off']) {
    assert.deepEqual([exp(r, id).result, exp(r, id).errno], ['error', 'EINVAL'], `${id} on standard`);
  }
  assert.deepEqual([exp(r, 'dio.read.aligned').result, exp(r, 'dio.read.aligned').io], ['ok', 'direct']);
  assert.deepEqual([exp(r, 'dio.write.aligned').result, exp(r, 'dio.write.aligned').io], ['ok', 'direct'],
    'an aligned full-record O_DIRECT write is counted in direct_write_count');
  assert.deepEqual([exp(r, 'cfr.aligned').cloned, exp(r, 'cfr.odirect.aligned').cloned], [true, true]);
  assert.deepEqual([exp(r, 'cfr.page').result, exp(r, 'cfr.page').cloned], ['ok', false]);
  assert.deepEqual([exp(r, 'cfr.misaligned').result, exp(r, 'cfr.misaligned').cloned], ['ok', false]);
  assert.deepEqual([exp(r, 'cfr.odirect.misaligned').result, exp(r, 'cfr.odirect.misaligned').errno], ['error', 'EINVAL'],
    'the fallback copy reads with O_DIRECT and the range is misaligned');
});

suiteTest('the human-readable report names the matrix and the verdicts', () => {
  const c = caseOf('always-text');
  assert.equal(c.rc, 0, c.stderr);
  assert.match(c.stdout, /ZFS Direct I\/O probe of tank\/always/);
  assert.match(c.stdout, /dio\.read\.buf\s+ok, 131072 bytes/);
  assert.match(c.stdout, /openzfs#16958\s+NOT-AFFECTED/);
});

suiteTest('a dataset name with a space, mounted at a path with a quote, works by name and by path', () => {
  const byName = report('space-name-json');
  assert.equal(byName.dataset.name, 'tank/with space');
  assert.equal(byName.dataset.mountpoint, "/tmp/zt/it's here");
  assert.equal(byName.experiments.length, ALL_IDS.length);
  const byPath = report('quote-path-json');
  assert.equal(byPath.dataset.name, 'tank/with space');
  assert.equal(exp(byPath, 'dio.read.buf').errno, 'EINVAL');
});

suiteTest('when zfs refuses the user (/dev/zfs 0600), the probe still measures, from the mount table', () => {
  const r = report('nobody-devzfs-0600');
  assert.equal(r.dataset.name, 'tank/standard', 'dataset name from /proc/self/mountinfo');
  assert.equal(r.dataset.properties.recordsize, '131072');
  assert.equal(r.dataset.propertySources.recordsize, 'statfs');
  assert.ok(r.notes.some((n) => /`zfs` refused this user/.test(n)), JSON.stringify(r.notes));
  assert.equal(r.experiments.length, ALL_IDS.length);
  assert.equal(exp(r, 'dio.read.buf').errno, 'EINVAL');
  assert.equal(exp(r, 'cfr.aligned').cloned, null, 'bclonesaved unreadable: clone state unknown, not guessed');
  assert.match(r.zfs.kmod, /^2\.3\.2-/, 'the module version needs no /dev/zfs');
});

suiteTest('an unprivileged user can probe a directory it may write to', () => {
  const r = report('nobody-writable-json');
  assert.equal(r.dataset.name, 'tank/standard');
  assert.equal(r.experiments.length, ALL_IDS.length);
  assert.equal(exp(r, 'dio.read.buf').errno, 'EINVAL');
  assert.equal(r.run.scratchDir.startsWith('/tmp/zt/standard/nobody/.zfs-dio-probe-'), true);
});

suiteTest('A/B mode as an unprivileged user without delegation is refused before any experiment (exit 3)', () => {
  const c = caseOf('nobody-ab');
  assert.equal(c.rc, 3, c.stderr);
  assert.match(c.stderr, /A\/B mode creates and destroys child datasets of tank\/standard: it needs root, or `zfs allow nobody create,mount,destroy tank\/standard`/);
  const full = caseOf('nobody-writable-json');
  assert.ok(c.ms < full.ms, `refused before the matrix (${c.ms} ms, a full probe took ${full.ms} ms)`);
});

suiteTest('an unprivileged user without write permission gets PERMISSION (exit 3)', () => {
  const c = caseOf('nobody-readonly');
  assert.equal(c.rc, 3, c.stderr);
  assert.match(c.stderr, /cannot create a scratch directory in \/tmp\/zt\/always: Permission denied \(the experiments only need a directory on the dataset that you can write to: give its path as the target\)/);
  // With --json the same error is also the report: one JSON object a script can read instead of nothing.
  const report = JSON.parse(c.stdout);
  assert.equal(report.error.code, 'PERMISSION');
  assert.equal(report.error.detail, 'EACCES');
  assert.match(report.error.message, /cannot create a scratch directory in \/tmp\/zt\/always: Permission denied/);
});

suiteTest('invalid dataset names are refused before any command runs (exit 2)', () => {
  const q = caseOf('name-with-quote');
  assert.equal(q.rc, 2);
  assert.match(q.stderr, /"tank\/it's" is not a valid ZFS dataset name: it contains a single quote/);
  const n = caseOf('name-with-newline');
  assert.equal(n.rc, 2);
  assert.match(n.stderr, /contains a newline/);
  assert.equal(n.stderr.trim().split('\n').length, 1, 'one line');
  const u = caseOf('unknown-dataset');
  assert.equal(u.rc, 2);
  assert.match(u.stderr, /tank\/does-not-exist.*does not exist|dataset does not exist/);
  const m = caseOf('missing-path');
  assert.equal(m.rc, 2);
  assert.match(m.stderr, /no such dir" does not exist/);
});

suiteTest('a path that is not on ZFS names the filesystem found (exit 3)', () => {
  const c = caseOf('not-on-zfs');
  assert.equal(c.rc, 3);
  assert.match(c.stderr, /"\/tmp" is not on a ZFS dataset: it is on tmpfs/);
});

suiteTest('zfs missing from PATH: NO_ZFS with the places looked at and the explanation article (exit 3)', () => {
  const c = caseOf('zfs-missing');
  assert.equal(c.rc, 3, c.stderr);
  assert.match(c.stderr, /the `zfs` command was not found in PATH \(looked for \/usr\/bin\/zfs, \/bin\/zfs, \/usr\/sbin\/zfs/);
  assert.match(c.stderr, /is OpenZFS installed\? See \/run\/zfstest\/media\/articles\/how-direct-io-works\.md for an explanation\./);
  const e = caseOf('zfs-env-missing');
  assert.equal(e.rc, 3);
  assert.match(e.stderr, /\$ZFS_DIO_ZFS "\/nonexistent\/zfs" is not an executable file/);
});

suiteTest('a hanging zfs command times out (exit 3) quickly', () => {
  const c = caseOf('zfs-hang');
  assert.equal(c.rc, 3, c.stderr);
  assert.match(c.stderr, /did not finish within 3 s/);
  assert.ok(c.ms < 30000, `took ${c.ms} ms`);
});

suiteTest('a hung runner (SIGSTOP) times out, is killed, and its scratch directory is removed', () => {
  const c = caseOf('runner-hang');
  assert.ok(existsSync(path.join(CASES, 'runner-hang.scratch')), 'the runner had created its scratch directory');
  assert.equal(c.rc, 3, c.stderr);
  assert.match(c.stderr, /experiment runner did not finish within 8 s/);
  assert.doesNotMatch(read('runner-hang.after'), /\.zfs-dio-probe-/);
});

suiteTest('Ctrl-C cancels (exit 130) and removes the scratch directory', () => {
  assert.ok(existsSync(path.join(CASES, 'sigint.scratch')), 'the run was interrupted mid-way');
  assert.equal(Number(read('sigint.rc').trim()), 130, read('sigint.stderr'));
  assert.match(read('sigint.stderr'), /cancel/i);
  assert.doesNotMatch(read('sigint.after'), /\.zfs-dio-probe-/);
});

suiteTest('SIGTERM cancels (exit 143) and removes the scratch directory before the process exits', () => {
  assert.ok(existsSync(path.join(CASES, 'sigterm.scratch')), 'the run was interrupted mid-way');
  assert.equal(Number(read('sigterm.rc').trim()), 143, read('sigterm.stderr'));
  assert.match(read('sigterm.stderr'), /^zfs-dio probe: cancelled/);
  assert.doesNotMatch(read('sigterm.after'), /\.zfs-dio-probe-/);
});

suiteTest('kill -9 leaves a marked leftover; the next run removes it and keeps an unmarked look-alike', () => {
  const leftover = read('kill9.scratch').trim();
  const name = path.basename(leftover);
  assert.match(read('kill9.before-next-run'), new RegExp(name.replace(/\./g, '\\.')), 'leftover present after kill -9');
  assert.match(read('kill9.leftover-content'), /\.zfs-dio-probe-marker\.json/);
  const r = report('kill9-next-run');
  assert.ok(r.notes.some((n) => n.includes(`removed the leftover scratch directory ${leftover}`)), JSON.stringify(r.notes));
  const after = read('kill9.after-next-run');
  assert.doesNotMatch(after, new RegExp(name.replace(/\./g, '\\.')));
  assert.match(after, /\.zfs-dio-probe-0000aaaa0000/, 'a directory without our marker is never removed');
  assert.ok(r.notes.some((n) => n.includes('.zfs-dio-probe-0000aaaa0000 looks like a scratch directory of this tool, but it has mode 0755')),
    `the look-alike is named in the report: ${JSON.stringify(r.notes)}`);
});

suiteTest('A/B mode measures direct=always and direct=standard children and destroys exactly them', () => {
  const r = report('ab-json');
  assert.equal(r.ab.runs.length, 2);
  const [always, standard] = r.ab.runs;
  assert.match(always.dataset.name, /^tank\/standard\/zfs-dio-probe-[0-9a-f]+-always$/);
  assert.match(standard.dataset.name, /^tank\/standard\/zfs-dio-probe-[0-9a-f]+-standard$/);
  assert.equal(always.dataset.properties.direct, 'always');
  assert.equal(standard.dataset.properties.direct, 'standard');
  assert.equal(always.experiments.find((e) => e.id === 'dio.read.buf').result, 'ok');
  assert.equal(standard.experiments.find((e) => e.id === 'dio.read.buf').errno, 'EINVAL');
  assert.deepEqual([...r.ab.destroyed].sort(), [always.dataset.name, standard.dataset.name].sort());
  assert.equal(r.dataset.properties.direct, 'standard', 'the parent keeps its own property');
  for (const run of r.ab.runs) {
    assert.match(run.dataset.mountpoint, /^\/run\/zfs-dio-ab-[^/]+\/(always|standard)$/, 'mounted in a private directory under /run');
  }
  assert.doesNotMatch(read('ab.datasets-after'), /zfs-dio-probe/);
  const nc = caseOf('ab-no-confirm');
  assert.equal(nc.rc, 2);
  assert.match(nc.stderr, /--ab needs confirmation/);
});

// ---------------------------------------------------------------------------------------------
// a local attacker (nobody) on shared storage that root probes

suiteTest('forged leftovers whose subdirectories are swapped with links: root deletes nothing outside them', () => {
  assert.equal(read('leftover-swap.victim-count').trim(), '200', 'every root-owned file outside the pool is still there');
  for (const run of [1, 2, 3, 4]) {
    const r = report(`leftover-swap-${run}`);
    const id = `aaaaaa00000${run}`;
    assert.ok(r.notes.some((n) => n.includes(`.zfs-dio-probe-${id} looks like a scratch directory of this tool, but it is owned by uid 65534, not by this user (uid 0)`)),
      `run ${run}: ${JSON.stringify(r.notes)}`);
    assert.equal(r.run.cleanedUp, true);
  }
});

suiteTest('an unprivileged prober next to forged leftovers holding another user\'s files: the probe runs and names them', () => {
  const r = report('cross-user-plant');
  assert.equal(r.run.cleanedUp, true);
  const named = r.notes.filter((n) => /\.zfs-dio-probe-aaaaaa00000[1-4] looks like a scratch directory of this tool, but it is owned by uid 65534, not by this user \(uid 1001\)/.test(n));
  assert.equal(named.length, 4, JSON.stringify(r.notes));
  assert.deepEqual(read('cross-user-plant.after').trim().split('\n').sort(),
    ['.zfs-dio-probe-aaaaaa000001', '.zfs-dio-probe-aaaaaa000002', '.zfs-dio-probe-aaaaaa000003', '.zfs-dio-probe-aaaaaa000004'], 'they are left alone');
});

suiteTest('a scratch directory swapped for a link to a root-only directory: nothing is written there, and it is said loudly', () => {
  assert.equal(read('scratch-swap.rootonly').trim(), '', 'root wrote nothing into the link target');
  assert.equal(read('scratch-swap.moved-content').trim(), '', 'every directory the attacker moved away is empty');
  const log = read('scratch-swap.log');
  assert.match(log, /^swapped \.zfs-dio-probe-/m, `the attacker acted: ${log}`);
  for (const i of [1, 2, 3]) {
    const c = caseOf(`scratch-swap-${i}`);
    if (c.rc === 3) {
      // swapped between mkdir and open: refused before anything was written
      assert.match(c.stderr, /was replaced right after it was created .*another user may be tampering with .*nothing was written/, c.stderr);
    } else {
      // swapped after the runner held it open: every file went into it and was removed; the empty directory is named
      assert.equal(c.rc, 4, `scratch-swap-${i}: ${c.stderr}`);
      assert.match(c.stderr, /WARNING: the scratch directory was not removed: .* was moved or replaced during the run/);
      const r = JSON.parse(c.stdout);
      assert.equal(r.run.cleanedUp, false);
      assert.match(r.run.cleanupProblem, /its files were removed through its directory handle/);
    }
  }
});

suiteTest('A/B mode on a world-writable dataset: planted links under predictable names mount nothing anywhere', () => {
  const r = report('ab-attack');
  for (const run of r.ab.runs) assert.match(run.dataset.mountpoint, /^\/run\/zfs-dio-ab-[^/]+\/(always|standard)$/);
  const log = read('ab-attack.log');
  assert.match(log, /^planted /m, `the attacker planted its links: ${log}`);
  assert.match(log, /^victim mounted: no$/m, log);
  assert.equal(read('ab-attack.victim').trim(), 'sentinel', 'the victim directory is unchanged');
  assert.equal(read('ab-attack.datasets-after').trim(), 'tank/abshared', 'both children destroyed');
  assert.match(read('ab-attack.mount-roots-after'), /No such file or directory/, 'the private mount directory is removed');
});

suiteTest('a full dataset and a quota too small for the experiments: a clear message, exit 3, nothing left', () => {
  for (const [name, after] of [['full-dataset', 'full-dataset.after'], ['quota-midrun', 'quota-midrun.after']]) {
    const c = caseOf(name);
    assert.equal(c.rc, 3, `${name}: ${c.stderr}`);
    assert.match(c.stderr, /^zfs-dio probe: no space left on the dataset \((ENOSPC|EDQUOT) while /, `${name}: ${c.stderr}`);
    assert.doesNotMatch(read(after), /\.zfs-dio-probe-/, name);
  }
});

suiteTest('no stray files or datasets remain on the pool', () => {
  assert.equal(readFileSync(path.join(OUT, 'guest', 'stray-files.txt'), 'utf8').trim(), '');
  assert.equal(readFileSync(path.join(OUT, 'guest', 'stray-datasets.txt'), 'utf8').trim(), '0');
});

suiteTest('the probe wall time is recorded for the benchmark notes', () => {
  const t = JSON.parse(readFileSync(path.join(OUT, 'probe-timing.json'), 'utf8'));
  assert.ok(Number.isFinite(t.probeWallMs) && t.probeWallMs > 0);
  assert.match(t.zfs, /^2\.3\.2/);
});

// ---------------------------------------------------------------------------------------------
// Every report of a real module: no verdict may contradict what the module did, and every failed
// experiment must be explained by an affected verdict that names its errno.

/** One experiment as a word: the errno when it failed, else cloned/copied, or its I/O path. */
function outcomeOf(e) {
  if (e.result === 'error') return e.errno;
  if (e.id.startsWith('dio.')) return e.io;
  return e.cloned === true ? 'cloned' : e.cloned === false ? 'copied' : 'ok';
}
function assertVerdictsAgree(r, where) {
  const contradictions = r.verdicts.filter((v) => v.contradiction).map((v) => `${v.issue}: ${v.contradiction}`);
  assert.deepEqual(contradictions, [], `${where}: verdicts that contradict the real module`);
  const affected = r.verdicts.filter((v) => v.status === 'affected');
  const unexplained = r.experiments.filter((e) => e.result === 'error')
    .filter((e) => !affected.some((v) => [...v.reasons, v.title ?? ''].join(' ').includes(e.errno)))
    .map((e) => `${e.id} ${e.errno}`);
  assert.deepEqual(unexplained, [], `${where}: failed experiments that no affected verdict explains`);
}

suiteTest('2.3.2: no verdict contradicts the module, and every failure is explained', () => {
  for (const name of ['always-json', 'standard-json']) assertVerdictsAgree(report(name), `2.3.2 ${name}`);
});

// ---------------------------------------------------------------------------------------------
// The version matrix: what each real module did, per dataset and zfs_dio_strict value.
// matrix-expected.json holds, per version, the kernel it boots, its parameters, and per report
// (<dataset>[-strict<N>]) the outcomeOf() of every experiment, as the real module gave them.
const EXPECTED = JSON.parse(readFileSync(new URL('./matrix-expected.json', import.meta.url), 'utf8'));

function matrixDir(label) { return path.join(OUT, 'matrix', label); }
function matrixReport(label, key) {
  const dir = path.join(matrixDir(label), 'reports');
  const rc = Number(readFileSync(path.join(dir, `${key}.rc`), 'utf8').trim());
  const stderr = readFileSync(path.join(dir, `${key}.stderr`), 'utf8');
  assert.equal(rc, 0, `${label} ${key}: exit 0 expected, got ${rc}; stderr: ${stderr}`);
  return JSON.parse(readFileSync(path.join(dir, `${key}.json`), 'utf8'));
}

for (const label of MATRIX ? VERSIONS : []) {
  const want = EXPECTED.versions[label];
  test(`OpenZFS ${label} (real module): the measured matrix`, () => {
    assert.ok(want, `matrix-expected.json has no entry for ${label}`);
    for (const [key, outcomes] of Object.entries(want.reports)) {
      const r = matrixReport(label, key);
      assert.match(r.zfs.kmod, new RegExp(`^${label.replace(/\./g, '\\.')}-`), `${key}: the module that ran`);
      assert.match(r.kernel, new RegExp(`^${want.kernel.replace(/\./g, '\\.')}\\.`), `${key}: kernel`);
      assert.deepEqual(r.experiments.map((e) => e.id), ALL_IDS, `${key}: the whole matrix, in order`);
      for (const e of r.experiments) if (e.result === 'ok') assert.notEqual(e.dataOk, false, `${label} ${key} ${e.id}: content verified byte for byte`);
      assert.deepEqual(Object.fromEntries(r.experiments.map((e) => [e.id, outcomeOf(e)])), outcomes, `${label} ${key}: outcomes`);
      for (const [p, v] of Object.entries(want.moduleParameters)) {
        const expected = p === 'zfs_dio_strict' && /-strict(\d)$/.test(key) ? key.slice(-1) : v;
        assert.equal(r.moduleParameters[p], expected, `${key}: ${p}`);
      }
      if (want.statxDioAlign === null) assert.equal(r.statxDioAlign ?? null, null, `${key}: no STATX_DIOALIGN`);
      else assert.deepEqual({ memAlign: r.statxDioAlign?.memAlign, offsetAlign: r.statxDioAlign?.offsetAlign }, want.statxDioAlign, `${key}: STATX_DIOALIGN`);
      if (want.direct === null) assert.equal(r.dataset.properties.direct, undefined, `${key}: no direct property before 2.3`);
      else assert.equal(r.dataset.properties.direct, key.split('-')[0], `${key}: direct`);
      assert.equal(r.run.cleanedUp, true);
    }
    assert.equal(readFileSync(path.join(matrixDir(label), 'stray-files.txt'), 'utf8').trim(), '', 'no scratch directory left');
  });
  test(`OpenZFS ${label} (real module): no verdict contradicts it, and every failure is explained`, () => {
    assert.ok(want, `matrix-expected.json has no entry for ${label}`);
    for (const key of Object.keys(want.reports)) assertVerdictsAgree(matrixReport(label, key), `${label} ${key}`);
  });
}

suiteTest('2.3.2 suite: the full matrix, new experiments included, matches the measured 2.3.2 module', () => {
  const want = EXPECTED.versions['2.3.2'];
  for (const [name, key] of [['always-json', 'always'], ['standard-json', 'standard']]) {
    const r = report(name);
    assert.deepEqual(Object.fromEntries(r.experiments.map((e) => [e.id, outcomeOf(e)])), want.reports[key], `${name}: outcomes`);
  }
});
