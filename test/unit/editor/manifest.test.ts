// package.json repeats what the rule table and the command catalog declare; scripts/manifest.mjs generates
// those parts. These tests fail when the two disagree, and run the script itself on copies of the manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMAND_CATALOG, COMMAND_IDS, COMMAND_NAMES, SITES_VIEW, SITES_VIEW_SPEC, WHEN, welcomeContents } from '../../../src/shared/command-catalog';
import { firstDifference, formatKey, manifestParts, valueAt } from '../../../src/editor/manifest-contributions';
import { RULES } from '../../../src/core/rules';

const root = process.env.ZFS_DIO_ROOT!;
const manifestFile = path.join(root, 'package.json');
const manifestText = readFileSync(manifestFile, 'utf8');
const manifest = JSON.parse(manifestText);
const WRITE_COMMAND = 'node scripts/manifest.mjs --write';

function runScript(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'scripts/manifest.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

function withScratchManifest(text: string, run: (file: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-manifest-'));
  try {
    const file = path.join(dir, 'package.json');
    writeFileSync(file, text);
    run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('package.json holds the commands, menus and severity schema that the rule table and the command catalog declare', () => {
  for (const part of manifestParts()) {
    const difference = firstDifference(valueAt(manifest, part.path), part.value, part.path);
    if (difference) {
      assert.fail(`package.json is out of date at ${difference.key}: it has ${JSON.stringify(difference.actual)}, `
        + `${part.owner} declares ${JSON.stringify(difference.expected)}. Run \`${WRITE_COMMAND}\`.`);
    }
  }
  // The drift this generation removed: the setting's description now carries the rule table's title.
  const zdio004 = manifest.contributes.configuration[0].properties['zfsDio.severity'].properties.ZDIO004;
  assert.equal(zdio004.markdownDescription, `ZDIO004: ${RULES.find((r) => r.id === 'ZDIO004')!.title}. Default \`information\`; \`off\` disables the rule.`);
});

test('each settings category is named by the prefix of its keys, so the Settings editor labels them without "Zfs Dio:"', () => {
  // VS Code strips a setting's category from its label only when the category's id is that key's prefix
  // (zfsDio.probe.timeoutSeconds under id zfsDio.probe shows as "Timeout Seconds").
  const categories = manifest.contributes.configuration as { id: string; title: string; properties: Record<string, unknown> }[];
  assert.ok(Array.isArray(categories) && categories.length > 1, 'an array of categories (a single one is labelled by the extension id)');
  for (const category of categories) {
    for (const key of Object.keys(category.properties)) {
      assert.equal(key.slice(0, key.lastIndexOf('.')), category.id, `${key} is in the category ${category.id}`);
    }
  }
});

test('node scripts/manifest.mjs --check accepts the repository package.json as it is, byte for byte', () => {
  const run = runScript('--check');
  assert.equal(run.status, 0, `${run.stderr}\nRun \`${WRITE_COMMAND}\`.`);
  assert.match(run.stdout, /package\.json is up to date/);
});

test('--check names the first differing key and the fix; --write restores the file and leaves every other byte alone', () => {
  const original = '"title": "Trace a Program…"';
  assert.ok(manifestText.includes(original));
  // A drifted title, and a hand-made edit outside the generated parts (inline arrays, extra spaces) that must survive.
  const outside = ['"required": ["command"]', '"required":   ["command"]'] as const;
  assert.ok(manifestText.includes(outside[0]));
  const drifted = manifestText.replace(original, '"title": "Trace Program"').replace(outside[0], outside[1]);
  withScratchManifest(drifted, (file) => {
    const check = runScript('--check', '--package', file);
    assert.equal(check.status, 1);
    assert.match(check.stderr, /contributes\.commands\[2\]\.title differs from src\/shared\/command-catalog\.ts/);
    assert.match(check.stderr, /- package\.json: "Trace Program"/);
    assert.match(check.stderr, /\+ src\/shared\/command-catalog\.ts: "Trace a Program…"/);
    assert.ok(check.stderr.includes(`Run ${WRITE_COMMAND}`), check.stderr);
    assert.equal(readFileSync(file, 'utf8'), drifted, '--check writes nothing');

    const write = runScript('--write', '--package', file);
    assert.equal(write.status, 0, write.stderr);
    assert.match(write.stdout, /contributes\.commands\[2\]\.title \(from src\/shared\/command-catalog\.ts\)/);
    assert.equal(readFileSync(file, 'utf8'), manifestText.replace(outside[0], outside[1]));
    assert.equal(runScript('--check', '--package', file).status, 0);
  });
});

test('--write regenerates a severity entry from the rule table, and --check reports a layout-only change', () => {
  const withoutRule = JSON.parse(manifestText);
  delete withoutRule.contributes.configuration[0].properties['zfsDio.severity'].properties.ZDIO020;
  withScratchManifest(`${JSON.stringify(withoutRule, null, 2)}\n`, (file) => {
    const check = runScript('--check', '--package', file);
    assert.equal(check.status, 1);
    assert.match(check.stderr, /contributes\.configuration\[0\]\.properties\["zfsDio\.severity"\]\.properties\.ZDIO020 differs from src\/core\/rules\.ts/);
    assert.match(check.stderr, /- package\.json: \(nothing\)/);
    assert.equal(runScript('--write', '--package', file).status, 0);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), manifest);
  });
  // Same values on one line: nothing to report about the values, but the layout is not what --write produces.
  const oneLine = manifestText.replace(/"commandPalette": \[[^\]]*\]/, (block) => `"commandPalette": ${JSON.stringify(JSON.parse(block.slice(block.indexOf('['))))}`);
  assert.notEqual(oneLine, manifestText);
  withScratchManifest(oneLine, (file) => {
    const check = runScript('--check', '--package', file);
    assert.equal(check.status, 1);
    assert.match(check.stderr, /contributes\.menus\.commandPalette holds the values of src\/shared\/command-catalog\.ts, laid out differently/);
  });
});

test('the script refuses bad input with a clear message', () => {
  const usage = runScript();
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /give --write or --check/);
  assert.match(runScript('--check', '--write').stderr, /not both/);
  assert.match(runScript('--check', '--bogus').stderr, /unknown argument "--bogus"/);
  withScratchManifest('{ "contributes": { "commands": [ }', (file) => {
    const run = runScript('--check', '--package', file);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /is not valid JSON: invalid JSON at offset \d+/);
  });
  const noMenus = JSON.parse(manifestText);
  delete noMenus.contributes.menus;
  withScratchManifest(`${JSON.stringify(noMenus, null, 2)}\n`, (file) => {
    const before = readFileSync(file, 'utf8');
    const run = runScript('--write', '--package', file);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /package\.json has no contributes\.menus; add the key/);
    assert.equal(readFileSync(file, 'utf8'), before, 'nothing is written when a part has no place');
  });
});

test('every command package.json names elsewhere (links, completion events) is in the catalog; none is an activation event', () => {
  const views: string[] = Object.values(manifest.contributes.views).flat().map((v) => (v as { id: string }).id);
  assert.ok(views.includes(SITES_VIEW), `the catalog's view ${SITES_VIEW} is declared in contributes.views`);
  // A view's focus command is VS Code's own.
  const known = new Set<string>([...Object.values(COMMAND_IDS), ...views.map((id) => `${id}.focus`)]);
  const named = [...manifestText.matchAll(/(?:command:|onCommand:)(zfsDio\.[\w.]+)/g)].map((m) => m[1]!);
  assert.ok(named.length >= 8, `links and events found: ${named.join(', ')}`);
  for (const id of named) assert.ok(known.has(id), `${id} is named in package.json but not declared in src/shared/command-catalog.ts`);
  // VS Code (engine ^1.99) activates on every contributed command by itself; a hand-written event would be a second list.
  assert.deepEqual((manifest.activationEvents as string[]).filter((e) => e.startsWith('onCommand:')), []);
});

test('the catalog: ids follow the names, titles are distinct, and a condition reaches the manifest where VS Code reads it', () => {
  assert.deepEqual(COMMAND_NAMES, Object.keys(COMMAND_CATALOG));
  for (const name of COMMAND_NAMES) assert.equal(COMMAND_IDS[name], `zfsDio.${name}`);
  const titles = COMMAND_NAMES.map((name) => COMMAND_CATALOG[name].title);
  assert.equal(new Set(titles).size, titles.length);

  const parts = manifestParts(RULES, {
    first: { title: 'First', enablement: WHEN.workspaceFolderOpen, sitesViewTitle: '2_more@2' },
    second: { title: 'Second', icon: '$(beaker)', palette: WHEN.never, sitesViewTitle: 'navigation@1' },
    third: { title: 'Third', sitesViewTitle: '2_more@1' },
  });
  const at = (key: string) => parts.find((p) => formatKey(p.path) === key)!.value;
  assert.deepEqual(at('contributes.commands'), [
    { command: 'zfsDio.first', title: 'First', category: 'ZFS Direct I/O', enablement: 'workspaceFolderCount > 0' },
    { command: 'zfsDio.second', title: 'Second', category: 'ZFS Direct I/O', icon: '$(beaker)' },
    { command: 'zfsDio.third', title: 'Third', category: 'ZFS Direct I/O' },
  ]);
  assert.deepEqual(at('contributes.menus.commandPalette'), [{ command: 'zfsDio.second', when: 'false' }]);
  // Listed in the order VS Code shows them: the navigation buttons, then the "…" menu by group and order.
  assert.deepEqual((at('contributes.menus["view/title"]') as { command: string }[]).map((e) => e.command),
    ['zfsDio.second', 'zfsDio.third', 'zfsDio.first']);
});

test('firstDifference walks the expected value in order and names the key', () => {
  assert.equal(firstDifference({ a: [1, 2] }, { a: [1, 2] }, ['x']), undefined);
  assert.deepEqual(firstDifference({ a: [1, 3] }, { a: [1, 2] }, ['x']), { key: 'x.a[1]', actual: 3, expected: 2 });
  assert.deepEqual(firstDifference({ a: [1] }, { a: [1, 2] }, ['x']), { key: 'x.a[1]', actual: undefined, expected: 2 });
  assert.deepEqual(firstDifference({ a: 1, b: 2 }, { a: 1 }, ['x']), { key: 'x.b', actual: 2, expected: undefined });
  assert.deepEqual(firstDifference({ 'view/title': 'y' }, { 'view/title': 'z' }, ['menus']), { key: 'menus["view/title"]', actual: 'y', expected: 'z' });
  assert.deepEqual(firstDifference('text', { a: 1 }, ['x']), { key: 'x', actual: 'text', expected: { a: 1 } });
});

test('the activity bar container, the Call Sites view and its welcome text come from the catalog', () => {
  const parts = manifestParts();
  const byKey = new Map(parts.map((p) => [p.path.join('.'), p]));
  for (const key of ['contributes.views', 'contributes.viewsContainers', 'contributes.viewsWelcome']) {
    assert.equal(byKey.get(key)?.owner, 'src/shared/command-catalog.ts', key);
    assert.deepEqual(manifest.contributes[key.split('.')[1]!], byKey.get(key)!.value, `${key} in package.json is the generated one`);
  }
  // Each button of the welcome text is a command of the catalog, named by its title.
  const contents = welcomeContents(SITES_VIEW_SPEC.welcome);
  const links = [...contents.matchAll(/\[([^\]]+)\]\(command:([^)]+)\)/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(links, [[COMMAND_CATALOG.scanWorkspace.title, COMMAND_IDS.scanWorkspace], [COMMAND_CATALOG.openWalkthrough.title, COMMAND_IDS.openWalkthrough]]);
});
