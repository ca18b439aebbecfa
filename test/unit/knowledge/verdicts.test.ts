import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentId, ProbeReport, Verdict } from '../../../src/core/types';
import {
  evaluate, experimentHazards, sameErrno, knownIssuesData, listKnownIssues, unexplainedFailures, validateKnownIssues,
} from '../../../src/core/knowledge/verdicts';

const FIXTURES = path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/knowledge');
function fixture(name: string): ProbeReport {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as ProbeReport;
}
function verdictFor(verdicts: Verdict[], issue: string): Verdict {
  const v = verdicts.find((x) => x.issue === issue);
  assert.ok(v, `a verdict for ${issue}`);
  return v;
}
function setOutcome(report: ProbeReport, id: ExperimentId, outcome: { result: 'ok' | 'error'; errno: string | null; cloned?: boolean | null }): void {
  const e = report.experiments.find((x) => x.id === id);
  assert.ok(e, `fixture has ${id}`);
  Object.assign(e, outcome);
}
function bare(kmod: string | null, extra: Partial<ProbeReport> = {}): ProbeReport {
  return { version: 1, dataset: null, zfs: { kmod, userland: null }, kernel: '6.12.117+deb12-amd64', pageSize: 4096, experiments: [], verdicts: [], ...extra };
}

const REQUIRED_IDS = ['openzfs#16958', 'openzfs#16952', 'openzfs#16956', 'openzfs#16953', 'openzfs#17218', 'openzfs#17455', 'openzfs#15526', 'pre-2.3-odirect', 'openzfs#16972'];

test('the database covers every contract id and validates', () => {
  const ids = listKnownIssues().map((i) => i.id);
  for (const id of REQUIRED_IDS) assert.ok(ids.includes(id), id);
  assert.doesNotThrow(() => validateKnownIssues(knownIssuesData()));
  for (const issue of listKnownIssues()) {
    assert.ok(issue.sources.length > 0, `${issue.id} has sources`);
    assert.ok(issue.workaround.length > 20, `${issue.id} has a workaround`);
    assert.ok('errno' in issue.symptom, `${issue.id} names its symptom errno (or null)`);
  }
});

test('validation rejects a made-up version and an unknown experiment', () => {
  const broken = structuredClone(knownIssuesData());
  broken.issues[0]!.versions.affected[0]!.from = 'two point three';
  broken.issues[0]!.expectations[0]!.experiments = ['cfr.nonsense' as ExperimentId];
  assert.throws(() => validateKnownIssues(broken), /not an OpenZFS version[\s\S]*unknown experiment cfr\.nonsense/);
});

test('2.3.2 (measured matrix, direct=always): not affected by the 2.3.0 bugs, and the probe agrees', () => {
  const verdicts = evaluate(fixture('zfs-2.3.2-always.json'));
  assert.equal(verdicts.length, listKnownIssues().length);
  const v16958 = verdictFor(verdicts, 'openzfs#16958');
  assert.equal(v16958.status, 'not-affected');
  assert.match(v16958.reasons[0]!, /kmod 2\.3\.2 ≥ 2\.3\.1.*PR #17006/);
  assert.equal(v16958.contradiction, undefined);
  assert.ok(v16958.reasons.some((r) => /live probe agrees: cfr\.page → success/.test(r)));
  assert.equal(v16958.article, 'openzfs-16958');
  assert.ok(v16958.workaround);
  for (const id of ['openzfs#16952', 'openzfs#16956', 'openzfs#16972', 'pre-2.3-odirect', 'openzfs#17218', 'openzfs#15526']) {
    assert.equal(verdictFor(verdicts, id).status, 'not-affected', id);
  }
  const v16953 = verdictFor(verdicts, 'openzfs#16953');
  assert.equal(v16953.status, 'not-affected');
  assert.ok(v16953.reasons.some((r) => /direct=always.*through the ARC/.test(r)), v16953.reasons.join(' | '));
  assert.ok(v16953.reasons.some((r) => /dio\.read\.buf → success/.test(r)));
  // zfs_bclone_wait_dirty=0 was read from the real module.
  const v17455 = verdictFor(verdicts, 'openzfs#17455');
  assert.equal(v17455.status, 'affected');
  assert.ok(v17455.reasons.some((r) => r === 'zfs_bclone_wait_dirty=0 (read from the module)'));
  assert.ok(v17455.reasons.some((r) => /fails with EAGAIN \(FICLONE\/FICLONERANGE\) or quietly becomes a byte copy/.test(r)));
  assert.ok(verdictFor(verdicts, 'openzfs#15526').reasons.some((r) => /cfr\.aligned → success \(block-cloned\)/.test(r)));
  for (const v of verdicts) assert.equal(v.contradiction, undefined, `${v.issue}: ${v.contradiction}`);
});

test('2.3.2 (measured matrix, direct=standard): #16953 affected and confirmed by EINVAL', () => {
  const verdicts = evaluate(fixture('zfs-2.3.2-standard.json'));
  const v = verdictFor(verdicts, 'openzfs#16953');
  assert.equal(v.status, 'affected');
  assert.match(v.reasons[0]!, /2\.3\.0 ≤ kmod 2\.3\.2 ≤ 2\.3\.9/);
  assert.ok(v.reasons.some((r) => /dataset tank has direct=standard/.test(r)));
  assert.ok(v.reasons.some((r) => /dio\.read\.buf → EINVAL/.test(r) && /cfr\.odirect\.misaligned → EINVAL/.test(r)));
  assert.ok(v.reasons.some((r) => /^confirmed on this system by the live probe: .*dio\.read\.buf → EINVAL/.test(r)));
  assert.ok(!v.reasons.some((r) => /decided from the version number/.test(r)), 'the probe confirmed it, so the version-only caveat is gone');
  for (const x of verdicts) assert.equal(x.contradiction, undefined, `${x.issue}: ${x.contradiction}`);
});

test('a verdict decided by the version alone still carries the backport caveat', () => {
  const v = verdictFor(evaluate(bare('2.3.2-2~bpo12+2', { dataset: { name: 'p/d', mountpoint: '/p/d', properties: { direct: 'standard' } } })), 'openzfs#16953');
  assert.equal(v.status, 'affected');
  assert.ok(v.reasons.some((r) => /decided from the version number.*distribution build \(release "2~bpo12\+2"\)/.test(r)));
});

test('2.3.0 + direct=always (measured): #16958 affected, EAGAIN confirmed; #16952 not on a 6.12 kernel', () => {
  const verdicts = evaluate(fixture('zfs-2.3.0-always.json'));
  const v = verdictFor(verdicts, 'openzfs#16958');
  assert.equal(v.status, 'affected');
  assert.match(v.reasons[0]!, /2\.3\.0-rc5 ≤ kmod 2\.3\.0 < 2\.3\.1/);
  assert.ok(v.reasons.some((r) => /kernel 6\.12\.117 ≥ 5\.8/.test(r)));
  assert.ok(v.reasons.some((r) => /zfs_dio_enabled=1 assumed/.test(r)), 'no parameters were recorded, so the default is used and said so');
  assert.ok(v.reasons.some((r) => /cfr\.page → EAGAIN/.test(r)));
  assert.ok(v.reasons.some((r) => /userland tools are 2\.3\.2 but the kernel module is 2\.3\.0/.test(r)));
  assert.equal(v.contradiction, undefined);
  const panic = verdictFor(verdicts, 'openzfs#16952');
  assert.equal(panic.status, 'not-affected');
  assert.ok(panic.reasons.some((r) => /kernel 6\.12\.117 ≥ 6\.5.*EAGAIN instead/.test(r)));
  assert.equal(verdictFor(verdicts, 'openzfs#16956').status, 'affected', 'loop devices on direct=always');
  assert.equal(verdictFor(verdicts, 'openzfs#16972').status, 'affected', 'no STATX_DIOALIGN before 2.3.2');
});

test('2.3.0 + direct=standard (measured): #16958 still affected for O_DIRECT descriptors, #16956 not', () => {
  const verdicts = evaluate(fixture('zfs-2.3.0-standard.json'));
  const v = verdictFor(verdicts, 'openzfs#16958');
  assert.equal(v.status, 'affected');
  assert.ok(v.reasons.some((r) => /direct=standard: only when the source descriptor is opened with O_DIRECT/.test(r)));
  assert.ok(v.reasons.some((r) => /cfr\.page → success/.test(r)), 'plain descriptors on standard copied fine on 2.3.0');
  assert.equal(verdictFor(verdicts, 'openzfs#16956').status, 'not-affected');
});

test('a contradicting matrix is reported as a contradiction (one cell flipped from the real 2.3.2 data)', () => {
  const report = fixture('zfs-2.3.2-standard.json');
  setOutcome(report, 'dio.read.buf', { result: 'ok', errno: null });
  const v = verdictFor(evaluate(report), 'openzfs#16953');
  assert.equal(v.status, 'affected', 'the verdict still follows the database');
  assert.ok(v.contradiction);
  assert.match(v.contradiction, /predicts EINVAL for an O_DIRECT pread into a misaligned buffer \(dio\.read\.buf\) on direct=standard with kmod 2\.3\.2.*but the probe measured success/);
});

test('a 2.3.0 report where the #16958 copy succeeds contradicts the database', () => {
  const report = fixture('zfs-2.3.0-always.json');
  setOutcome(report, 'cfr.page', { result: 'ok', errno: null, cloned: false });
  const v = verdictFor(evaluate(report), 'openzfs#16958');
  assert.match(v.contradiction ?? '', /predicts EAGAIN for a page-aligned but not recordsize-aligned copy_file_range \(cfr\.page\) on direct=always/);
});

test('a 2.3.2 report where an aligned copy is not cloned contradicts the block-cloning default', () => {
  const report = fixture('zfs-2.3.2-always.json');
  setOutcome(report, 'cfr.aligned', { result: 'ok', errno: null, cloned: false });
  assert.match(verdictFor(evaluate(report), 'openzfs#15526').contradiction ?? '', /predicts a block clone.*cfr\.aligned.*copied, not cloned/);
});

test('copy parameters decide whether an expectation applies', () => {
  const report = fixture('zfs-2.3.2-standard.json');
  // The same id, but a page-aligned range: the misaligned-range prediction must not be applied.
  const e = report.experiments.find((x) => x.id === 'cfr.odirect.misaligned')!;
  e.params = { ...e.params, length: 65536, srcOffset: 4096, dstOffset: 8192 };
  setOutcome(report, 'cfr.odirect.misaligned', { result: 'ok', errno: null });
  assert.equal(verdictFor(evaluate(report), 'openzfs#16953').contradiction, undefined);
});

test('missing kmod → every verdict unknown, and it says why', () => {
  const report = fixture('zfs-2.3.2-always.json');
  report.zfs.kmod = null;
  for (const v of evaluate(report)) {
    assert.equal(v.status, 'unknown', v.issue);
    assert.match(v.reasons[0]!, /kernel module version not found/);
    assert.ok(v.reasons.some((r) => /userland tools are 2\.3\.2, but behaviour follows the kernel module/.test(r)));
  }
  const garbled = bare('not-a-version');
  assert.match(verdictFor(evaluate(garbled), 'openzfs#16958').reasons[0]!, /could not be parsed/);
});

test('zfs_dio_enabled=0 switches off the Direct I/O issues', () => {
  const report = fixture('zfs-2.3.2-standard.json');
  report.moduleParameters = { ...report.moduleParameters, zfs_dio_enabled: '0' };
  report.experiments = [];
  const v = verdictFor(evaluate(report), 'openzfs#16953');
  assert.equal(v.status, 'not-affected');
  assert.ok(v.reasons.some((r) => /zfs_dio_enabled=0 \(read from the module\): Direct I\/O is switched off/.test(r)));
  const old = bare('2.3.0-1', { moduleParameters: { zfs_dio_enabled: '0' }, dataset: { name: 'p/d', mountpoint: '/p/d', properties: { direct: 'always' } } });
  assert.equal(verdictFor(evaluate(old), 'openzfs#16958').status, 'not-affected');
});

test('kernel conditions: #16952 on 5.15, nothing on kernels without pin_user_pages_unlocked()', () => {
  const k515 = evaluate(bare('2.3.0-1', { kernel: '5.15.0-119-generic' }));
  assert.equal(verdictFor(k515, 'openzfs#16952').status, 'affected');
  assert.ok(verdictFor(k515, 'openzfs#16958').reasons.some((r) => /crash instead \(openzfs#16952\)/.test(r)));
  const k418 = evaluate(bare('2.3.0-1', { kernel: '4.18.0-553.el8_10.x86_64' }));
  assert.equal(verdictFor(k418, 'openzfs#16958').status, 'not-affected');
  assert.match(verdictFor(k418, 'openzfs#16958').reasons.join(' '), /kernel 4\.18\.0 < 5\.8/);
  const noKernel = evaluate(bare('2.3.0-1', { kernel: null }));
  assert.equal(verdictFor(noKernel, 'openzfs#16958').status, 'unknown');
  assert.equal(verdictFor(noKernel, 'openzfs#16953').status, 'affected', '#16953 does not depend on the kernel');
});

test('hazards: the probe is told which experiments could crash a 2.3.0 + 5.15 machine', () => {
  const hazards = experimentHazards({ kmod: '2.3.0-1', kernel: '5.15.0-119-generic' });
  assert.ok(hazards.some((h) => h.experiment === 'cfr.odirect.misaligned' && h.issue === 'openzfs#16952'));
  assert.deepEqual(experimentHazards({ kmod: '2.3.0-1', kernel: '6.12.117+deb12-amd64' }), []);
  assert.deepEqual(experimentHazards({ kmod: '2.3.2-1', kernel: '5.15.0-119-generic' }), []);
  assert.ok(experimentHazards({ kmod: '2.3.0-1', kernel: null }).length > 0, 'an unknown kernel is treated as risky');
});

test('development builds are unknown where a fix landed in their window', () => {
  const dev = evaluate(bare('2.2.99-365_g8f2f6cd2ac'));
  const v = verdictFor(dev, 'openzfs#16958');
  assert.equal(v.status, 'unknown');
  assert.match(v.reasons[0]!, /development build/);
  assert.equal(verdictFor(dev, 'pre-2.3-odirect').status, 'unknown');
  const dev24 = evaluate(bare('2.4.99-12_gdeadbeef'));
  assert.equal(verdictFor(dev24, 'openzfs#16958').status, 'not-affected', 'nothing about #16958 changed after 2.4.0');
});

test('2.4.x: uncached fallback, wait_dirty default 1, and the newer-than-checked note', () => {
  const v = evaluate(bare('2.4.4-1', { dataset: { name: 'p/d', mountpoint: '/p/d', properties: { direct: 'standard' } } }));
  const fallback = verdictFor(v, 'openzfs#17218');
  assert.equal(fallback.status, 'affected');
  assert.ok(fallback.reasons.some((r) => /zfs_dio_strict=0: a misaligned O_DIRECT request is served uncached.*assumed default/.test(r)));
  assert.equal(verdictFor(v, 'openzfs#16953').status, 'not-affected');
  const wait = verdictFor(v, 'openzfs#17455');
  assert.equal(wait.status, 'not-affected');
  assert.ok(wait.reasons.some((r) => /zfs_bclone_wait_dirty=1 assumed/.test(r)));
  const future = evaluate(bare('2.5.1-1'));
  assert.ok(verdictFor(future, 'openzfs#16958').reasons.some((r) => /newer than the releases the facts were checked against/.test(r)));
  const strict = evaluate(bare('2.4.0-1', { moduleParameters: { zfs_dio_strict: '1', zfs_dio_enabled: '1' } }));
  assert.ok(verdictFor(strict, 'openzfs#17218').reasons.some((r) => /zfs_dio_strict=1/.test(r)));
});

test('a 2.4 tunable on a 2.3 module reveals a backport', () => {
  const v = evaluate(bare('2.3.2-1', { moduleParameters: { zfs_dio_strict: '0', zfs_dio_enabled: '1' } }));
  assert.equal(verdictFor(v, 'openzfs#17218').status, 'affected');
  assert.match(verdictFor(v, 'openzfs#17218').reasons[0]!, /zfs_dio_strict/);
  assert.equal(verdictFor(v, 'openzfs#16953').status, 'unknown');
});

test('2.2.x: block cloning off by default, #15526 history, no Direct I/O', () => {
  const v226 = evaluate(bare('2.2.6-1'));
  const hist = verdictFor(v226, 'openzfs#15526');
  assert.equal(hist.status, 'not-affected');
  assert.ok(hist.reasons.some((r) => /off by default on 2\.2\.1–2\.2\.11/.test(r)));
  assert.equal(verdictFor(v226, 'pre-2.3-odirect').status, 'affected');
  assert.ok(verdictFor(v226, 'pre-2.3-odirect').reasons.some((r) => /served through the ARC/.test(r)));
  assert.equal(verdictFor(v226, 'openzfs#16972').status, 'not-affected');
  assert.equal(verdictFor(v226, 'openzfs#16958').status, 'not-affected');
  // zfs_bclone_enabled defaults to 0 on 2.2.6, so nothing is cloned and wait_dirty does not matter.
  assert.equal(verdictFor(v226, 'openzfs#17455').status, 'not-affected');
  assert.equal(verdictFor(evaluate(bare('2.2.0-1')), 'openzfs#15526').status, 'affected');
  assert.equal(verdictFor(evaluate(bare('2.1.5-1ubuntu6~22.04.4')), 'openzfs#15526').status, 'affected');
  const ancient = verdictFor(evaluate(bare('0.7.13-1')), 'pre-2.3-odirect');
  assert.equal(ancient.status, 'affected');
  assert.ok(ancient.reasons.some((r) => /open\(\.\.\., O_DIRECT\) itself fails with EINVAL/.test(r)));
  const on226 = evaluate(bare('2.2.6-1', { moduleParameters: { zfs_bclone_enabled: '1', zfs_bclone_wait_dirty: '0' } }));
  assert.equal(verdictFor(on226, 'openzfs#17455').status, 'affected');
});

test('STATX_DIOALIGN evidence', () => {
  const ok = verdictFor(evaluate(bare('2.3.2-1', { statxDioAlign: { memAlign: 4096, offsetAlign: 131072 } })), 'openzfs#16972');
  assert.equal(ok.status, 'not-affected');
  assert.ok(ok.reasons.some((r) => /dio_mem_align=4096, dio_offset_align=131072/.test(r)));
  assert.equal(ok.contradiction, undefined);
  const early = verdictFor(evaluate(bare('2.3.1-1', { statxDioAlign: { memAlign: 4096, offsetAlign: 131072 } })), 'openzfs#16972');
  assert.match(early.contradiction ?? '', /only from 2\.3\.2/);
  const odd = verdictFor(evaluate(bare('2.3.2-1', { statxDioAlign: { memAlign: 512, offsetAlign: 512 } })), 'openzfs#16972');
  assert.match(odd.contradiction ?? '', /dio_mem_align = PAGE_SIZE \(4096\)/);
});

test('FreeBSD builds are not affected by Linux-only bugs', () => {
  const v = evaluate(bare('zfs-kmod-2.3.0-FreeBSD_gabcdef', { kernel: '14.1-RELEASE-p5' }));
  assert.equal(verdictFor(v, 'openzfs#16958').status, 'not-affected');
  assert.match(verdictFor(v, 'openzfs#16958').reasons[0]!, /FreeBSD/);
});

test('bad input gets a clear error', () => {
  assert.throws(() => evaluate(null as unknown as ProbeReport), /needs a ProbeReport/);
});

// The measured matrices: `zfs-dio probe --json` run by the project's VM suite (npm run test:zfs) on
// 2026-12-01 against modules built from the zfs-2.3.0 and zfs-2.4.0 tags (zfs_dio_strict 0 and 1) and
// Debian's 2.3.2 module, kernel 6.12.117, recordsize 128K, page 4K. test/fixtures/knowledge/README.md maps
// every cell of these reports to that measurement.
const MATRIX = [
  'zfs-2.3.0-always.json', 'zfs-2.3.0-standard.json', 'zfs-2.3.2-always.json', 'zfs-2.3.2-standard.json',
  'zfs-2.4.0-strict0-always.json', 'zfs-2.4.0-strict0-standard.json', 'zfs-2.4.0-strict1-always.json', 'zfs-2.4.0-strict1-standard.json',
];

test('every measured matrix: no verdict contradicts the real module, and every failure is explained', () => {
  for (const name of MATRIX) {
    const report = fixture(name);
    const verdicts = evaluate(report);
    for (const v of verdicts) assert.equal(v.contradiction, undefined, `${name} ${v.issue}: ${v.contradiction}`);
    assert.deepEqual(unexplainedFailures(report, verdicts).map((r) => `${r.id} ${r.errno}`), [], name);
    for (const v of verdicts) {
      if (v.status !== 'affected') continue;
      assert.ok(!v.reasons.some((r) => /decided from the version number/.test(r)) || !v.reasons.some((r) => /^confirmed on this system/.test(r)), `${name} ${v.issue}: caveat and confirmation exclude each other`);
    }
  }
});

test('unexplainedFailures names a failure no affected verdict predicts (one cell of the real 2.3.2 matrix flipped)', () => {
  const report = fixture('zfs-2.3.2-always.json');
  setOutcome(report, 'cfr.page', { result: 'error', errno: 'EIO', cloned: null });
  assert.deepEqual(unexplainedFailures(report).map((r) => `${r.id} ${r.errno}`), ['cfr.page EIO']);
});

test('2.3.0 + direct=always: EFAULT on misaligned copies is #16958, with the code path named', () => {
  const v = verdictFor(evaluate(fixture('zfs-2.3.0-always.json')), 'openzfs#16958');
  assert.equal(v.status, 'affected');
  const confirmed = v.reasons.find((r) => r.startsWith('confirmed on this system by the live probe:'));
  assert.ok(confirmed, v.reasons.join('\n'));
  for (const cell of ['cfr.page → EAGAIN', 'cfr.odirect.page → EAGAIN', 'cfr.misaligned → EFAULT', 'cfr.odirect.misaligned → EFAULT']) {
    assert.ok(confirmed.includes(cell), cell);
  }
  assert.ok(v.reasons.some((r) => /EFAULT .*zfs_setup_direct\(\) → zfs_uio_get_dio_pages_alloc\(\) → zfs_uio_pin_user_pages\(\).*zfs-2\.3\.0/.test(r)));
  assert.ok(!v.reasons.some((r) => /decided from the version number/.test(r)));
});

test('2.3.0 + direct=standard: the O_DIRECT page-aligned copy is the live evidence for #16958', () => {
  const verdicts = evaluate(fixture('zfs-2.3.0-standard.json'));
  const v = verdictFor(verdicts, 'openzfs#16958');
  assert.equal(v.status, 'affected');
  assert.ok(v.reasons.some((r) => /^confirmed on this system by the live probe: cfr\.odirect\.page → EAGAIN$/.test(r)), v.reasons.join('\n'));
  assert.ok(v.reasons.some((r) => /^the live probe agrees: .*cfr\.page → success/.test(r)));
  const loop = verdictFor(verdicts, 'openzfs#16956');
  const direct = loop.reasons.find((r) => /direct=standard/.test(r))!;
  assert.equal(direct.match(/needs direct=always/g)?.length, 1, direct);
});

test('2.4.0, zfs_dio_strict=1: EINVAL on direct=always too is #16953 in strict mode, and #17218 no longer claims success', () => {
  for (const name of ['zfs-2.4.0-strict1-always.json', 'zfs-2.4.0-strict1-standard.json']) {
    const verdicts = evaluate(fixture(name));
    const strict = verdictFor(verdicts, 'openzfs#16953');
    assert.equal(strict.status, 'affected', name);
    assert.ok(strict.reasons.some((r) => /zfs_dio_strict=1 \(read from the module\)/.test(r)), name);
    const confirmed = strict.reasons.find((r) => r.startsWith('confirmed on this system by the live probe:')) ?? '';
    for (const cell of ['dio.read.buf', 'dio.write.off', 'cfr.odirect.misaligned']) assert.ok(confirmed.includes(`${cell} → EINVAL`), `${name} ${cell}`);
    const fallback = verdictFor(verdicts, 'openzfs#17218');
    assert.equal(fallback.status, 'not-affected', name);
    assert.ok(fallback.reasons.some((r) => /zfs_dio_strict=1 .*fails with EINVAL instead of falling back/.test(r)), name);
    assert.ok(!fallback.reasons.some((r) => /never EINVAL/.test(r)), name);
  }
  const always = verdictFor(evaluate(fixture('zfs-2.4.0-strict1-always.json')), 'openzfs#16953');
  assert.ok(always.reasons.some((r) => /direct=always: zfs_dio_strict tests the caller's own O_DIRECT flag/.test(r)));
});

test('2.4.0, zfs_dio_strict=0: misaligned O_DIRECT succeeds, #17218 affected and confirmed, #16953 not', () => {
  for (const name of ['zfs-2.4.0-strict0-always.json', 'zfs-2.4.0-strict0-standard.json']) {
    const verdicts = evaluate(fixture(name));
    assert.equal(verdictFor(verdicts, 'openzfs#16953').status, 'not-affected', name);
    const fallback = verdictFor(verdicts, 'openzfs#17218');
    assert.equal(fallback.status, 'affected', name);
    assert.ok(fallback.reasons.some((r) => /live probe agrees: .*dio\.read\.buf → success/.test(r)), name);
  }
});

test('clone experiments: FICLONERANGE EINVAL and FICLONE EAGAIN on fresh data are explained (predicted from the code, not yet measured)', () => {
  const report = fixture('zfs-2.3.2-always.json');
  // The probe's catalog gains these ids; the outcomes are what zfs_clone_range()/zpl_remap_file_range() give.
  const clone = (id: string, outcome: { result: 'ok' | 'error'; errno: string | null; cloned: boolean | null }) =>
    ({ id: id as ExperimentId, bytes: null, io: 'unknown' as const, ...outcome });
  report.experiments.push(
    clone('ficlone.aligned', { result: 'ok', errno: null, cloned: true }),
    clone('ficlone.misaligned', { result: 'error', errno: 'EINVAL', cloned: null }),
    clone('ficlone.fresh', { result: 'error', errno: 'EAGAIN', cloned: null }),
  );
  const verdicts = evaluate(report);
  for (const v of verdicts) assert.equal(v.contradiction, undefined, `${v.issue}: ${v.contradiction}`);
  assert.deepEqual(unexplainedFailures(report, verdicts), []);
  assert.equal(verdictFor(verdicts, 'ficlone-no-fallback').status, 'affected');
  assert.ok(verdictFor(verdicts, 'openzfs#17455').reasons.some((r) => /confirmed on this system by the live probe: ficlone\.fresh → EAGAIN/.test(r)));
  report.moduleParameters = { ...report.moduleParameters, zfs_bclone_wait_dirty: '1' };
  const waiting = evaluate(report);
  assert.match(verdictFor(waiting, 'openzfs#17455').contradiction ?? '', /predicts a block clone for a FICLONE of a file written a moment before/);
});

// The reports `npm run test:zfs` recorded in its version matrix (test/fixtures/probe/real/, see the README there):
// 2.1.11 on Debian 12's 6.1 kernel, 2.3.2, 2.3.9 and 2.4.4 (zfs_dio_strict 0 and 1) on 6.12.
test('every report of the version matrix: no contradiction, every failure explained (2.1.11: the clone ioctls before 2.2)', () => {
  const dir = path.join(FIXTURES, '..', 'probe', 'real');
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  assert.ok(names.length >= 9, names.join(', '));
  for (const name of names) {
    const report = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as ProbeReport;
    const verdicts = evaluate(report);
    for (const v of verdicts) assert.equal(v.contradiction, undefined, `${name} ${v.issue}: ${v.contradiction}`);
    assert.deepEqual(unexplainedFailures(report, verdicts).map((r) => `${r.id} ${r.errno}`), [], name);
  }
  const old = JSON.parse(readFileSync(path.join(dir, '2.1.11-plain.json'), 'utf8')) as ProbeReport;
  const clone = verdictFor(evaluate(old), 'pre-2.2-no-clone');
  assert.equal(clone.status, 'affected');
  assert.ok(clone.reasons.some((r) => /^confirmed on this system by the live probe:.*ficlone\.aligned/.test(r)), clone.reasons.join('\n'));
  const modern = JSON.parse(readFileSync(path.join(dir, '2.3.9-always.json'), 'utf8')) as ProbeReport;
  assert.equal(verdictFor(evaluate(modern), 'pre-2.2-no-clone').status, 'not-affected');
});

test('ENOTSUP, as Python names errno 95, is the database\'s EOPNOTSUPP', () => {
  assert.equal(sameErrno('ENOTSUP', 'EOPNOTSUPP'), true);
  assert.equal(sameErrno('EOPNOTSUPP', 'ENOTSUP'), true);
  assert.equal(sameErrno('EINVAL', 'EINVAL'), true);
  assert.equal(sameErrno('EINVAL', 'EOPNOTSUPP'), false);
  assert.equal(sameErrno(null, 'EINVAL'), false);
});
