// Runs the shipped dist/extension.js against a recording stand-in for the `vscode` module: checks that
// activation is cheap and wires every contributed command and view, that the language client loads after
// it, and the commands that refuse to run in an untrusted workspace. Diagnostics, hovers and quick fixes
// come from the language server (test/unit/server/lsp.test.ts, and the e2e suite in a real VS Code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { createStub, fakeExtensionContext, installStub } from '../../support/vscode-fake';
import { COMMAND_CATALOG, COMMAND_IDS, COMMAND_NAMES, type CommandSpec } from '../../../src/shared/command-catalog';

const root = process.env.ZFS_DIO_ROOT!;
const bundle = path.join(root, 'dist/extension.js');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const stub = createStub();
installStub(stub);


async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nlog:\n${stub.logLines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let ext: { activate(ctx: unknown): void; deactivate(): Promise<void> };
let context: ReturnType<typeof fakeExtensionContext>;

test('activation loads nothing heavy and registers every contributed command and view', () => {
  assert.ok(existsSync(bundle), 'dist/extension.js is built (npm test builds it first)');
  const t0 = performance.now();
  ext = require(bundle);
  const t1 = performance.now();
  context = fakeExtensionContext(root);
  // Every require made while activate() runs, loaded or not: a lazy bundle that fails to load under the
  // fake would leave no trace in require.cache, though requiring it is what would make activation slow.
  const requiredDuringActivate: string[] = [];
  const mod = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const load = mod._load;
  mod._load = function (request: string, parent: unknown, isMain: boolean) {
    requiredDuringActivate.push(request);
    return load.call(this, request, parent, isMain);
  };
  try {
    ext.activate(context);
  } finally {
    mod._load = load;
  }
  const activateMs = performance.now() - t1;
  console.log(`# require(dist/extension.js) ${(t1 - t0).toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms`);
  // activate() only wires: no grammar, parser, probe or panel code runs in it. That is asserted below by what
  // is loaded, not by a time limit: speed is measured by `npm run bench`, never asserted in tests.
  const loaded = (bundle: string) => Object.keys(require.cache).some((k) => k.endsWith(`${path.sep}${bundle}`));
  assert.equal(loaded('editor-lazy.js'), false, 'the probe/panel bundle is not loaded during activate()');
  assert.equal(loaded('editor-client.js'), false, 'the language client is not loaded during activate()');
  assert.deepEqual(requiredDuringActivate.filter((r) => /editor-(lazy|client)\.js$/.test(r)), [], 'no lazy bundle is even required during activate()');
  assert.match(stub.logLines.join('\n'), /activated in [\d.]+ ms/);

  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  const registered = [...stub.commands.keys()].filter((id) => id.startsWith('zfsDio.'));
  assert.deepEqual([...registered].sort(), [...contributed].sort());
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'ZFS Direct I/O');

  const views = Object.values(manifest.contributes.views).flat().map((v) => (v as { id: string }).id);
  for (const id of views) assert.ok(stub.treeViews.has(id), `tree view ${id} is created`);
  // Diagnostics, hovers and quick fixes are the language server's (test/unit/server/lsp.test.ts): no provider of the extension host's own.
  assert.equal(stub.hoverProviders.length, 0);
  assert.equal(stub.codeActionProviders.length, 0);
  for (const lang of ['c', 'cpp', 'rust', 'go', 'python']) assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`));
  assert.ok(context.subscriptions.length > 10, 'disposables are owned by the extension context');
});

test('the lazy bundles load after activation, in the background; a language server that cannot start is reported', async () => {
  const loaded = (bundle: string) => (Object.keys(require.cache).some((k) => k.endsWith(`${path.sep}${bundle}`)) ? true : undefined);
  await until('dist/editor-lazy.js to be loaded', () => loaded('editor-lazy.js'), 5000);
  // This stand-in for `vscode` has too little of the API for vscode-languageclient, so the start fails here:
  // the failure must reach the log and the user, not vanish (the real start is the e2e suite's).
  await until('the start failure in the log', () => stub.logLines.find((l) => /the language server did not start/.test(l)), 5000);
  await until('the start failure shown', () => stub.messages.find((m) => /the analysis server did not start/.test(m.text)), 5000);
});

test('the explain command validates its argument before opening anything', async () => {
  stub.messages.length = 0;
  await stub.commands.get('zfsDio.explainRule')!({ ruleId: 'ZDIO999' });
  assert.match(stub.messages.at(-1)?.text ?? '', /cannot explain that rule: finding has no known ruleId/);
});

test('the probe and the dataset lookup are refused in an untrusted workspace, each with its reason', async () => {
  stub.vscode.workspace.isTrusted = false;
  stub.messages.length = 0;
  await stub.commands.get('zfsDio.probeDataset')!();
  assert.match(stub.messages.at(-1)?.text ?? '', /probes are disabled in an untrusted workspace/);
  assert.deepEqual(stub.messages.at(-1)?.items, ['Manage Workspace Trust']);
  // Reading dataset recordsizes runs zfs too, and says so in its own words.
  await stub.commands.get('zfsDio.refreshDatasets')!();
  assert.match(stub.messages.at(-1)?.text ?? '', /reading dataset recordsizes is disabled in an untrusted workspace: it runs zfs/);
  stub.vscode.workspace.isTrusted = true;
});

test('every command the catalog marks as running programs is refused in an untrusted workspace, before it asks anything', async () => {
  const marked = COMMAND_NAMES.filter((n) => (COMMAND_CATALOG[n] as CommandSpec).runsPrograms !== undefined);
  assert.deepEqual([...marked].sort(), ['probeDataset', 'refreshDatasets', 'traceProgram']);
  stub.vscode.workspace.isTrusted = false;
  try {
    for (const name of marked) {
      stub.messages.length = 0;
      await stub.commands.get(COMMAND_IDS[name])!();
      assert.equal(stub.messages.length, 1, `${name}: one message`);
      assert.match(stub.messages[0]!.text, /is disabled in an untrusted workspace|are disabled in an untrusted workspace/, name);
      assert.deepEqual(stub.messages[0]!.items, ['Manage Workspace Trust'], name);
    }
  } finally {
    stub.vscode.workspace.isTrusted = true;
  }
});

test('tracing a program is refused in an untrusted workspace, from the command and from a task', async () => {
  stub.vscode.workspace.isTrusted = false;
  stub.messages.length = 0;
  await stub.commands.get('zfsDio.traceProgram')!();
  assert.match(stub.messages.at(-1)?.text ?? '', /tracing is disabled in an untrusted workspace\. Tracing runs the program/);
  const provider = stub.taskProviders.get('zfs-dio-trace')!;
  assert.ok(provider, 'the trace task type has a provider');
  assert.equal(provider.resolveTask({ definition: { type: 'zfs-dio-trace', command: 'make check' } }), undefined,
    'a command given as one string (which would need a shell) is not a trace task');
  const task = provider.resolveTask({ definition: { type: 'zfs-dio-trace', command: ['./prog', 'a b'] }, name: '' }) as
    { name: string; execution: { callback(): Promise<{ open(): void; onDidWrite(l: (t: string) => void): void; onDidClose(l: (c: number) => void): void }> } };
  assert.equal(task.name, 'trace ./prog');
  const terminal = await task.execution.callback();
  const written: string[] = [];
  let code: number | undefined;
  terminal.onDidWrite((t) => written.push(t));
  terminal.onDidClose((c) => { code = c; });
  terminal.open();
  assert.equal(code, 3, 'the task ends at once without running anything');
  assert.match(written.join(''), /disabled in an untrusted workspace/);
  stub.vscode.workspace.isTrusted = true;
});

test('deactivation disposes everything', async () => {
  for (const d of context.subscriptions) d.dispose();
  await ext.deactivate();
});
