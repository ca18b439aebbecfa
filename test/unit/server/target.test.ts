import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSettings, analysisSettingsFor } from '../../../src/shared/settings';
import { loadTarget, targetNamesReport } from '../../../src/server/target';
import type { ProbeReport } from '../../../src/core/types';

const KNOWLEDGE = path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/knowledge');
const readers = {
  readFile: async (file: string) => readFileSync(file, 'utf8'),
  describeDataset: async (name: string): Promise<ProbeReport> => { throw new Error(`${name} is not a dataset of this machine`); },
};

test('zfsDio.target is parsed, and the loaded target reaches the analyzer settings', async () => {
  const { settings, problems } = parseSettings((key) => (key === 'target' ? 'zfs-2.3.0-always.json' : undefined));
  assert.deepEqual(problems, []);
  assert.equal(settings.target, 'zfs-2.3.0-always.json');
  assert.equal(analysisSettingsFor(settings).target, undefined, 'nothing until it is loaded');
  const target = await loadTarget(settings.target!, readers, (p) => path.join(KNOWLEDGE, p));
  const analysis = analysisSettingsFor({ ...settings, targetSystem: target });
  assert.equal(analysis.target?.summary, 'tank/always, OpenZFS 2.3.0, direct=always');
  assert.equal(analysis.target?.copyFallback.severity, 'error');
  assert.equal(parseSettings(() => undefined).settings.target, undefined);
});

test('zfsDio.target: a report path or a dataset name, with clear errors', async () => {
  assert.equal(targetNamesReport('/srv/reports/prod.json'), true);
  assert.equal(targetNamesReport('./prod'), true);
  assert.equal(targetNamesReport('tank/vm'), false);
  await assert.rejects(loadTarget('/nonexistent/r.json', readers), /zfsDio\.target: cannot read \/nonexistent\/r\.json: no such file/);
  await assert.rejects(loadTarget('tank/vm', readers), /zfsDio\.target: dataset tank\/vm: tank\/vm is not a dataset of this machine/);
  const described = await loadTarget('tank/always', { ...readers, describeDataset: async () => JSON.parse(readFileSync(path.join(KNOWLEDGE, 'zfs-2.3.2-always.json'), 'utf8')) as ProbeReport });
  assert.equal(described.origin, 'dataset');
  assert.equal(described.copyFallback.severity, 'warning');
});

test('zfsDio.target is a restricted setting: an untrusted workspace cannot point it at a probe', () => {
  const pkg = JSON.parse(readFileSync(path.join(process.env.ZFS_DIO_ROOT!, 'package.json'), 'utf8')) as {
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
  };
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('zfsDio.target'));
});
