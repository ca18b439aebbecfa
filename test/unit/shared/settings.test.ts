import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS, RENAMED_SETTINGS, defaultSeverities, languageForLanguageId, newProblems, parseSettings, scanExcludeGlobs, analysisSettingsFor } from '../../../src/shared/settings';
import { RULES } from '../../../src/core/rules';
import { DEFAULT_MAX_FILE_SIZE } from '../../../src/core/analysis/scan';

const manifest = JSON.parse(readFileSync(path.join(process.env.ZFS_DIO_ROOT!, 'package.json'), 'utf8'));
const props = Object.assign({}, ...manifest.contributes.configuration.map((category: { properties: object }) => category.properties)) as Record<string, { default: unknown; enum?: unknown[]; properties?: Record<string, { default: unknown; enum: unknown[] }> }>;

test('unset settings give the documented defaults', () => {
  const { settings, problems } = parseSettings(() => undefined);
  assert.deepEqual(problems, []);
  assert.deepEqual(settings.languages, ['c', 'cpp', 'rust', 'go', 'python']);
  assert.equal(settings.pageSize, 4096);
  assert.equal(settings.recordsize, 131072);
  assert.equal(settings.debounceMs, 300);
  assert.equal(settings.useDatasetRecordsize, true);
  assert.equal(settings.probe.allowAB, false);
  assert.equal(settings.probe.zfsPath, undefined);
  assert.equal(settings.trace.twoPass, false);
  assert.deepEqual(settings.severities, defaultSeverities());
  assert.equal(settings.severities.ZDIO004, 'information');
});

test('the manifest defaults match the code defaults', () => {
  const { settings } = parseSettings(() => undefined);
  assert.deepEqual(props['zfsDio.languages']!.default, settings.languages);
  assert.deepEqual(props['zfsDio.exclude']!.default, settings.exclude);
  assert.equal(props['zfsDio.pageSize']!.default, settings.pageSize);
  assert.equal(props['zfsDio.recordsize']!.default, settings.recordsize);
  assert.equal(props['zfsDio.debounceMs']!.default, settings.debounceMs);
  assert.equal(props['zfsDio.maxFileSize']!.default, settings.maxFileSize);
  assert.equal(props['zfsDio.useDatasetRecordsize']!.default, settings.useDatasetRecordsize);
  assert.equal(props['zfsDio.probe.timeoutSeconds']!.default, settings.probe.timeoutSeconds);
  assert.equal(props['zfsDio.probe.allowTemporaryDatasets']!.default, settings.probe.allowAB);
  assert.equal(props['zfsDio.trace.twoPass']!.default, settings.trace.twoPass);
  // One severity entry per rule in the rule table, with the rule's default.
  const severity = props['zfsDio.severity']!;
  assert.deepEqual(Object.keys(severity.properties!).sort(), RULES.map((r) => r.id).sort());
  for (const r of RULES) {
    assert.equal(severity.properties![r.id]!.default, r.defaultSeverity, r.id);
    assert.deepEqual(severity.properties![r.id]!.enum, ['error', 'warning', 'information', 'hint', 'off']);
  }
  assert.deepEqual(severity.default, settings.severities);
});

test('every setting that names a program, or enables dataset creation, is restricted in untrusted workspaces', () => {
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  for (const key of Object.keys(props)) {
    if (/Path$/.test(key) || key === 'zfsDio.probe.allowTemporaryDatasets' || key === 'zfsDio.probe.allowAB') assert.ok(restricted.includes(key), `${key} is restricted`);
  }
  for (const key of restricted) assert.ok(key in props, `${key} is a real setting`);
});

test('the Settings editor validates sizes: power-of-two enums within the bounds the code accepts', () => {
  const powers = (min: number, max: number) => { const out: number[] = []; for (let v = min; v <= max; v *= 2) out.push(v); return out; };
  for (const [key, min, max] of [['pageSize', 512, 1 << 20], ['recordsize', 512, 16 << 20]] as const) {
    const schema = props[`zfsDio.${key}`] as unknown as { enum: number[]; enumItemLabels: string[]; minimum: number; maximum: number; default: number };
    assert.deepEqual(schema.enum, powers(min, max), key);
    assert.deepEqual([schema.minimum, schema.maximum], [min, max], key);
    assert.equal(schema.enumItemLabels.length, schema.enum.length);
    assert.ok(schema.enum.includes(schema.default));
    // Every value the schema offers is one the code takes, and its neighbours outside the bounds are not.
    for (const v of schema.enum) assert.equal(parseSettings((k) => (k === key ? v : undefined)).settings[key], v);
    for (const v of [min / 2, max * 2, min + 1]) assert.equal(parseSettings((k) => (k === key ? v : undefined)).problems.length, 1, `${key} ${v}`);
  }
  assert.equal((props['zfsDio.pageSize'] as unknown as { enumItemLabels: string[] }).enumItemLabels[3], '4096 (4K)');
});

test('an ignored value is reported with the value used instead, and reported again only when it changes', () => {
  const first = parseSettings((k) => (k === 'pageSize' ? 1000 : undefined)).problems;
  assert.deepEqual(first, ['zfsDio.pageSize: 1000 is not a power of two (512, 1024, … 1048576); using the default 4096']);
  assert.deepEqual(newProblems(first, new Set()), first);
  assert.deepEqual(newProblems(first, new Set(first)), [], 'the same bad value is not shown twice');
  const second = parseSettings((k) => (k === 'pageSize' ? 3000 : undefined)).problems;
  assert.deepEqual(newProblems(second, new Set(first)), second);
});

test('settings read well in the Settings editor: the renamed A/B key is migrated, machine settings name the Remote tab', () => {
  for (const [oldKey, newKey] of Object.entries(RENAMED_SETTINGS)) {
    assert.ok(props[`zfsDio.${newKey}`], newKey);
    const old = props[`zfsDio.${oldKey}`] as { markdownDeprecationMessage?: string };
    assert.match(old.markdownDeprecationMessage ?? '', new RegExp(`#zfsDio\\.${newKey.replace('.', '\\.')}#`));
    // Either key enables the A/B mode until the old one has been moved.
    assert.equal(parseSettings((k) => (k === oldKey ? true : undefined)).settings.probe.allowAB, true);
    assert.equal(parseSettings((k) => (k === newKey ? true : undefined)).settings.probe.allowAB, true);
  }
  for (const [key, schema] of Object.entries(props) as [string, { scope?: string; markdownDescription?: string; markdownDeprecationMessage?: string }][]) {
    if (schema.scope === 'machine-overridable' && !schema.markdownDeprecationMessage) assert.match(schema.markdownDescription ?? '', /\*\*Remote\*\* tab/, key);
    // The label VS Code derives from the last part of the key: no abbreviation a user has to decode.
    if (!schema.markdownDeprecationMessage) assert.doesNotMatch(key.split('.').pop()!, /[A-Z]{2}/, `${key}: an acronym in a key becomes a label like "Allow AB"`);
  }
});

test('the editor file-size limit equals the CLI scan default', () => {
  assert.equal(DEFAULTS.maxFileSize, DEFAULT_MAX_FILE_SIZE);
});

test('bad values fall back to defaults with a message naming the setting', () => {
  const raw: Record<string, unknown> = {
    pageSize: 3000, recordsize: 'big', debounceMs: -5, languages: ['c', 'cobol'], severity: { ZDIO010: 'loud', ZDIO001: 'off', ZDIO999: 'error' },
    exclude: 'build', 'probe.zfsPath': 42, 'probe.timeoutSeconds': 1.5, useDatasetRecordsize: 'yes',
  };
  const { settings, problems } = parseSettings((k) => raw[k]);
  assert.equal(settings.pageSize, 4096);
  assert.equal(settings.recordsize, 131072);
  assert.equal(settings.debounceMs, 300);
  assert.deepEqual(settings.languages, ['c']);
  assert.equal(settings.severities.ZDIO010, 'warning');
  assert.equal(settings.severities.ZDIO001, 'off');
  assert.deepEqual(settings.exclude, DEFAULTS.exclude);
  assert.equal(settings.probe.zfsPath, undefined);
  assert.equal(settings.probe.timeoutSeconds, 120);
  assert.equal(settings.useDatasetRecordsize, true);
  const text = problems.join('\n');
  for (const key of ['zfsDio.pageSize', 'zfsDio.recordsize', 'zfsDio.debounceMs', '"cobol"', 'zfsDio.severity.ZDIO010', '"ZDIO999"', 'zfsDio.exclude', 'zfsDio.probe.zfsPath', 'zfsDio.probe.timeoutSeconds', 'zfsDio.useDatasetRecordsize']) {
    assert.ok(text.includes(key), `problems mention ${key}:\n${text}`);
  }
});

test('valid values are taken as given', () => {
  const raw: Record<string, unknown> = { pageSize: 16384, recordsize: 1048576, languages: ['rust', 'go'], exclude: [' third_party/** ', ''], 'probe.zfsPath': '/sbin/zfs', 'probe.allowAB': true };
  const { settings, problems } = parseSettings((k) => raw[k]);
  assert.deepEqual(problems, []);
  assert.equal(settings.pageSize, 16384);
  assert.equal(settings.recordsize, 1048576);
  assert.deepEqual(settings.languages, ['rust', 'go']);
  assert.deepEqual(settings.exclude, ['third_party/**']);
  assert.equal(settings.probe.zfsPath, '/sbin/zfs');
  assert.equal(settings.probe.allowAB, true);
  const a = analysisSettingsFor(settings);
  assert.deepEqual({ pageSize: a.pageSize, recordsize: a.recordsize }, { pageSize: 16384, recordsize: 1048576 });
  assert.equal(a.severities?.ZDIO001, 'warning');
});

test('VS Code language ids map to analyzer languages', () => {
  assert.equal(languageForLanguageId('c'), 'c');
  assert.equal(languageForLanguageId('cpp'), 'cpp');
  assert.equal(languageForLanguageId('python'), 'python');
  assert.equal(languageForLanguageId('javascript'), undefined);
});

test('scan excludes add enabled files.exclude entries only', () => {
  assert.deepEqual(scanExcludeGlobs(['**/build/**'], { '**/.git': true, '**/*.js': { when: '$(basename).ts' }, '**/tmp': false }),
    ['**/build/**', '**/.git']);
  assert.deepEqual(scanExcludeGlobs([], undefined), []);
});

test('zfsDio.trace.twoPass is read, and a value that is not a boolean falls back to one pass', () => {
  assert.equal(parseSettings((k) => (k === 'trace.twoPass' ? true : undefined)).settings.trace.twoPass, true);
  const bad = parseSettings((k) => (k === 'trace.twoPass' ? 'yes' : undefined));
  assert.equal(bad.settings.trace.twoPass, false);
  assert.deepEqual(bad.problems, ['zfsDio.trace.twoPass: "yes" is not true or false; using the default']);
});
