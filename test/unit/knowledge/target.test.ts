import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTargetReport, targetFromReport, targetProvenance } from '../../../src/core/knowledge/target';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS, type ProbeReport } from '../../../src/core/types';

// Reports measured on real modules by the project's VM suite (see test/fixtures/knowledge/README.md).
function measured(name: string): ProbeReport {
  return parseTargetReport(readFileSync(path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/knowledge', name), 'utf8'), name);
}

test('a target names itself and takes its outcomes from the known-issues verdicts', () => {
  const t230 = targetFromReport(measured('zfs-2.3.0-always.json'), 'report');
  assert.equal(t230.summary, 'tank/always, OpenZFS 2.3.0, direct=always');
  assert.equal(t230.brief, 'tank/always (2.3.0, direct=always)');
  assert.equal(t230.terse, 'tank/always (2.3.0)');
  assert.deepEqual(t230.copyFallback, { severity: 'error', consequence: 'EAGAIN', issue: 'openzfs#16958' });
  assert.equal(t230.recordsize, 131072);
  const t230s = targetFromReport(measured('zfs-2.3.0-standard.json'), 'report');
  assert.equal(t230s.copyFallback.severity, 'warning', 'plain descriptors on standard copy fine on 2.3.0');
  assert.equal(t230s.odirectCopy.issue, 'openzfs#16958');
  const t232 = targetFromReport(measured('zfs-2.3.2-always.json'), 'report');
  assert.equal(t232.copyFallback.severity, 'warning');
  assert.equal(t232.odirectMisaligned.severity, 'information');
  const t240 = targetFromReport(measured('zfs-2.4.0-strict0-always.json'), 'report');
  assert.deepEqual(t240.odirectMisaligned, { severity: 'information', consequence: 'uncached, not EINVAL', issue: 'openzfs#17218' });
  const strict = targetFromReport(measured('zfs-2.4.0-strict1-standard.json'), 'report');
  assert.equal(strict.summary, 'tank/standard, OpenZFS 2.4.0, direct=standard, zfs_dio_strict=1');
  assert.equal(strict.brief, 'tank/standard (2.4.0, direct=standard, zfs_dio_strict=1)');
  assert.deepEqual(strict.odirectMisaligned, { severity: 'error', consequence: 'EINVAL', issue: 'openzfs#16953' });
});

test('a saved report says where, when and by which version it was made', () => {
  const report = { ...measured('zfs-2.3.2-always.json'), host: 'prod-1', createdAt: '2026-12-01T10:00:00.000Z', toolVersion: '0.9.0' };
  const t = targetFromReport(report, 'report');
  assert.equal(t.host, 'prod-1');
  assert.equal(t.createdAt, '2026-12-01T10:00:00.000Z');
  assert.equal(t.toolVersion, '0.9.0');
  assert.equal(targetProvenance(t), ' (report made on prod-1 at 2026-12-01T10:00:00.000Z by zfs-dio 0.9.0)');
  // a dataset of this machine was read just now: no "report made on" (a guest without a host name said "(none)")
  assert.equal(targetProvenance(targetFromReport({ ...report, host: '(none)' }, 'dataset')), '');
});

test('parseTargetReport rejects what is not a probe report, saying why', () => {
  assert.throws(() => parseTargetReport('not json', 'r.json'), /r\.json is not JSON/);
  assert.throws(() => parseTargetReport('[]', 'r.json'), /expected a JSON object/);
  assert.throws(() => parseTargetReport('{"error":{"code":"NOT_ON_ZFS"}}', 'r.json'), /probe that failed/);
  assert.throws(() => parseTargetReport('{"version":2,"zfs":{}}', 'r.json'), /version-1/);
  assert.throws(() => parseTargetReport('{"version":1}', 'r.json'), /no "zfs" versions/);
});

test('the analyzer uses the target: its recordsize, the severity and the message naming it', async () => {
  const src = '#define _GNU_SOURCE\n#include <fcntl.h>\n#include <unistd.h>\nvoid f(int a, int b) { loff_t i = 0, o = 0; copy_file_range(a, &i, b, &o, 65536, 0); }\n';
  const target = targetFromReport(measured('zfs-2.3.0-always.json'), 'report');
  const withTarget = await analyzeText(src, 'c', { ...DEFAULT_SETTINGS, recordsize: 1 << 20, target });
  const hit = withTarget.findings.find((f) => f.ruleId === 'ZDIO010');
  assert.ok(hit, 'the target recordsize 131072 wins over the setting');
  assert.equal(hit.severity, 'error');
  assert.equal(hit.message, 'copy_file_range len 65536 is not a multiple of recordsize 131072: EAGAIN on tank/always (2.3.0, direct=always)');
  assert.equal(hit.derived.target, 'tank/always, OpenZFS 2.3.0, direct=always');
  assert.equal(hit.derived.targetIssue, 'openzfs#16958');
  const plain = await analyzeText(src, 'c', DEFAULT_SETTINGS);
  assert.equal(plain.findings.find((f) => f.ruleId === 'ZDIO010')?.severity, 'warning', 'without a target, as before');
  const overridden = await analyzeText(src, 'c', { ...DEFAULT_SETTINGS, target, severities: { ZDIO010: 'hint' } });
  assert.equal(overridden.findings.find((f) => f.ruleId === 'ZDIO010')?.severity, 'hint', "the user's severity setting still wins");
});

test('on a module older than 2.2 nothing is cloned, so a misaligned copy is only an information (real 2.1.11 report)', async () => {
  const text = readFileSync(path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/probe/real/2.1.11-plain.json'), 'utf8');
  const t = targetFromReport(parseTargetReport(text, '2.1.11-plain.json'), 'report');
  assert.deepEqual(t.copyFallback, { severity: 'information', consequence: 'never cloned pre-2.2', issue: 'pre-2.2-no-clone' });
  const src = '#define _GNU_SOURCE\n#include <unistd.h>\nvoid f(int a, int b) { loff_t i = 0, o = 0; copy_file_range(a, &i, b, &o, 4096, 0); }\n';
  const result = await analyzeText(src, 'c', { ...DEFAULT_SETTINGS, target: t });
  const finding = result.findings.find((f) => f.ruleId === 'ZDIO010');
  assert.equal(finding?.severity, 'information');
  assert.match(finding!.message, /: never cloned pre-2\.2 on tank\/plain/);
  assert.ok(finding!.message.length <= 120, finding!.message);
});
