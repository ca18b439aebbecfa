// Runs the shipped dist/extension.js against a recording stand-in for the `vscode` module: checks that
// activation is cheap and wires every contributed command and view, and that an opened document gets
// diagnostics, code actions and hovers computed by the real core analyzer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStub, fakeExtensionContext, installStub, Diagnostic, FakeDocument, Uri, Range, type MarkdownString } from './vscode-stub';

const root = process.env.ZFS_DIO_ROOT!;
const bundle = path.join(root, 'dist/extension.js');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const stub = createStub();
installStub(stub);

const C_SOURCE = [
  '#include <fcntl.h>',
  '#include <stdlib.h>',
  '#include <unistd.h>',
  '#define CHUNK 5000',
  'int copy(int src, int dst) {',
  '  loff_t in = 0, out = 262144;',
  '  return copy_file_range(src, &in, dst, &out, 196608, 0);',
  '}',
  'int rd(const char *p) {',
  '  int fd = open(p, O_RDONLY | O_DIRECT);',
  '  char *buf = malloc(8192);',
  '  return pread(fd, buf, CHUNK, 0);',
  '}',
  '',
].join('\n');

async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nlog:\n${stub.logLines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let ext: { activate(ctx: unknown): void; deactivate(): void };
let context: ReturnType<typeof fakeExtensionContext>;

test('activation loads nothing heavy and registers every contributed command and view', () => {
  assert.ok(existsSync(bundle), 'dist/extension.js is built (npm test builds it first)');
  const t0 = performance.now();
  ext = require(bundle);
  const t1 = performance.now();
  context = fakeExtensionContext(root);
  ext.activate(context);
  const activateMs = performance.now() - t1;
  console.log(`# require(dist/extension.js) ${(t1 - t0).toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms`);
  // activate() only wires: no grammar, parser, probe or panel code runs in it. That is asserted below by what
  // is loaded, not by a time limit: speed is measured by `npm run bench`, never asserted in tests.
  const lazyLoaded = () => Object.keys(require.cache).some((k) => k.endsWith(`${path.sep}editor-lazy.js`));
  assert.equal(lazyLoaded(), false, 'the analyzer/probe/panel bundle is not loaded during activate()');
  assert.match(stub.logLines.join('\n'), /activated in [\d.]+ ms/);

  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  const registered = [...stub.commands.keys()].filter((id) => id.startsWith('zfsDio.'));
  assert.deepEqual([...registered].sort(), [...contributed].sort());
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'ZFS Direct I/O');

  const views = Object.values(manifest.contributes.views).flat().map((v) => (v as { id: string }).id);
  for (const id of views) assert.ok(stub.treeViews.has(id), `tree view ${id} is created`);
  const languages = (sel: unknown) => (sel as { language: string }[]).map((s) => s.language).sort();
  assert.deepEqual([...new Set(languages(stub.hoverProviders[0]!.selector))], ['c', 'cpp', 'go', 'python', 'rust']);
  assert.deepEqual([...new Set(languages(stub.codeActionProviders[0]!.selector))], ['c', 'cpp', 'go', 'python', 'rust']);
  for (const lang of ['c', 'cpp', 'rust', 'go', 'python']) assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`));
  assert.ok(context.subscriptions.length > 10, 'disposables are owned by the extension context');
});

test('the lazy bundle loads after activation, in the background', async () => {
  await until('dist/editor-lazy.js to be loaded', () => (Object.keys(require.cache).some((k) => k.endsWith(`${path.sep}editor-lazy.js`)) ? true : undefined), 5000);
});

test('an opened C document gets diagnostics, quick fixes, a hover and tree entries from the real analyzer', async () => {
  const doc = new FakeDocument(Uri.file('/ws/io.c'), 'c', C_SOURCE);
  stub.openDocument(doc);
  const diags = await until('diagnostics', () => stub.diagnostics.get(doc.uri.toString()));
  const ids = diags.map((d) => (d.code as { value: string }).value).sort();
  assert.ok(ids.includes('ZDIO010'), `ZDIO010 among ${ids}`);
  assert.ok(ids.includes('ZDIO001'), `ZDIO001 among ${ids}`);
  assert.ok(ids.includes('ZDIO002'), `ZDIO002 among ${ids}`);
  for (const d of diags) {
    assert.equal(d.source, 'zfs-dio');
    const target = (d.code as { target: Uri }).target;
    assert.equal(target.scheme, 'command');
    assert.equal(target.path, 'zfsDio.explainRule');
    const [arg] = JSON.parse(decodeURIComponent(target.query));
    assert.equal(arg.ruleId, (d.code as { value: string }).value);
    assert.equal(arg.file, '/ws/io.c');
    assert.equal(arg.code, C_SOURCE.split('\n')[arg.line].trim(), 'the link carries the source line');
  }
  const d10 = diags.find((d) => (d.code as { value: string }).value === 'ZDIO010')!;
  assert.match(d10.message, /196608/);

  // Quick fixes come from Finding.fixes; the action list mirrors them for the diagnostic in range.
  const provider = stub.codeActionProviders[0]!.provider;
  const d02 = diags.find((d) => (d.code as { value: string }).value === 'ZDIO002')!;
  const actions = provider.provideCodeActions(doc, d02.range, { diagnostics: [copy(d02)], only: undefined });
  assert.ok(actions.length >= 1, 'ZDIO002 has at least one quick fix');
  const suppress = actions.find((a) => a.edit!.edits.some((e) => /zfs-dio-ignore ZDIO002/.test(e.newText)));
  assert.ok(suppress, `a suppression fix among ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(suppress.kind.value, 'quickfix');

  // The editor offers exactly what `zfs-dio scan --format json` prints for the same text, edit for edit.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-actions-'));
  try {
    writeFileSync(path.join(dir, 'io.c'), C_SOURCE);
    const scan = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'scan', 'io.c', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const printed: { ruleId: string; line: number; column: number; fixes: { title: string; isPreferred: boolean; edits: { line: number; column: number; endLine: number; endColumn: number; newText: string }[] }[]; manualFix?: string }[] = JSON.parse(scan.stdout).findings;
    assert.equal(printed.length, diags.length);
    for (const d of diags) {
      const f = printed.find((x) => x.ruleId === (d.code as { value: string }).value && x.line === d.range.start.line + 1 && x.column === d.range.start.character + 1)!;
      const offered = provider.provideCodeActions(doc, d.range, { diagnostics: [copy(d)], only: undefined });
      const asEdits = offered.filter((a) => a.edit).map((a) => ({ title: a.title, isPreferred: a.isPreferred ?? false,
        edits: a.edit!.edits.map((e) => ({ line: e.range.start.line + 1, column: e.range.start.character + 1, endLine: e.range.end.line + 1, endColumn: e.range.end.character + 1, newText: e.newText })) }));
      assert.deepEqual(asEdits, f.fixes, `${f.ruleId}: the same fixes as the CLI`);
      // A finding with no safe automatic fix gets one more action: the rule's article, through the explain command.
      const explain = offered.filter((a) => !a.edit);
      assert.equal(explain.length, f.manualFix ? 1 : 0, `${f.ruleId}: an explain action exactly when the CLI prints manualFix`);
      if (f.manualFix) {
        assert.equal(explain[0]!.command!.command, 'zfsDio.explainRule');
        assert.equal((explain[0]!.command!.arguments![0] as { ruleId: string }).ruleId, f.ruleId);
      }
    }
    const z10 = printed.find((x) => x.ruleId === 'ZDIO010')!;
    assert.deepEqual(z10.fixes.map((x) => x.title), ['Suppress ZDIO010 here (zfs-dio-ignore)'], 'no round-up of a copy range');
    const z02 = printed.find((x) => x.ruleId === 'ZDIO002')!;
    assert.match(z02.fixes[0]!.title, /^Round CHUNK up to 8192 .*the buffer holds 8192 bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Hover on the copy_file_range call.
  const line = C_SOURCE.split('\n').findIndex((l) => l.includes('copy_file_range('));
  const col = C_SOURCE.split('\n')[line]!.indexOf('copy_file_range') + 3;
  const hover = stub.hoverProviders[0]!.provider.provideHover(doc, new (stub.vscode.Position)(line, col)) as { contents: MarkdownString } | undefined;
  assert.ok(hover, 'a hover on the call');
  assert.match(hover.contents.value, /ZFS Direct I\/O/);
  assert.match(hover.contents.value, /\[Explain ZDIO010\]\(command:zfsDio\.explainRule\?/);
  assert.deepEqual(hover.contents.isTrusted, { enabledCommands: ['zfsDio.explainRule'] });

  // The sites view lists the file and its three kinds of calls.
  const view = stub.treeViews.get('zfsDio.sites')!;
  const files = await until('tree entries', () => { const r = view.treeDataProvider.getChildren(); return r.length ? r : undefined; }, 2000);
  const fileItem = view.treeDataProvider.getTreeItem(files[0]);
  assert.equal(fileItem.label, 'io.c');
  const kinds = view.treeDataProvider.getChildren(files[0]).map((k) => view.treeDataProvider.getTreeItem(k).label);
  assert.deepEqual(kinds, ['copy_file_range', 'open with O_DIRECT', 'I/O on an O_DIRECT descriptor']);

  // Clicking a site runs zfsDio.revealSite with the site's range.
  const kindNode = view.treeDataProvider.getChildren(files[0])[0];
  const siteItem = view.treeDataProvider.getTreeItem(view.treeDataProvider.getChildren(kindNode)[0]);
  assert.equal(siteItem.label, 'copy_file_range');
  const cmd = siteItem.command as { command: string; arguments: unknown[] };
  assert.equal(cmd.command, 'zfsDio.revealSite');
  await stub.commands.get(cmd.command)!(...cmd.arguments);
  const shown = stub.shown.at(-1)!;
  assert.equal(shown.uri, doc.uri.toString());
  assert.equal(shown.selection!.start.line, line);
});

test('edits re-analyze after the debounce, and stale results never win', async () => {
  const doc = stub.textDocuments.find((d) => d.uri.fsPath === '/ws/io.c')!;
  // Make the copy recordsize-aligned: 196608 -> 262144.
  const line = C_SOURCE.split('\n').findIndex((l) => l.includes('196608'));
  const col = C_SOURCE.split('\n')[line]!.indexOf('196608');
  const change = doc.edit(new Range(line, col, line, col + 6), '262144');
  stub.events.change.fire({ document: doc, contentChanges: [change] });
  const diags = await until('ZDIO010 to go away', () => {
    const d = stub.diagnostics.get(doc.uri.toString());
    return d && !d.some((x) => (x.code as { value: string }).value === 'ZDIO010') ? d : undefined;
  });
  assert.ok(diags.some((d) => (d.code as { value: string }).value === 'ZDIO001'), 'the other findings stay');
  assert.ok(stub.logLines.some((l) => /analyzed \/ws\/io\.c v2 \(c, recordsize 131072, incremental\)/.test(l)),
    `the edit re-used the previous syntax tree:\n${stub.logLines.filter((l) => /analyzed/.test(l)).join('\n')}`);

  // Two quick edits: only the result for the final text is published.
  const c1 = doc.edit(new Range(3, 14, 3, 18), '4096');      // CHUNK 5000 -> 4096
  stub.events.change.fire({ document: doc, contentChanges: [c1] });
  const c2 = doc.edit(new Range(3, 14, 3, 18), '4097');      // and back to misaligned
  stub.events.change.fire({ document: doc, contentChanges: [c2] });
  const final = await until('result for version ' + doc.version, () => {
    const d = stub.diagnostics.get(doc.uri.toString());
    return d?.some((x) => /4097/.test(x.message)) ? d : undefined;
  });
  assert.ok(final.some((d) => (d.code as { value: string }).value === 'ZDIO002'));
});

test('closing a document clears its diagnostics and tree entries', async () => {
  const doc = stub.textDocuments.find((d) => d.uri.fsPath === '/ws/io.c')!;
  stub.closeDocument(doc);
  assert.equal(stub.diagnostics.has(doc.uri.toString()), false);
  const view = stub.treeViews.get('zfsDio.sites')!;
  await until('empty tree', () => (view.treeDataProvider.getChildren().length === 0 ? true : undefined), 2000);
});

test('a length passed to a helper is a diagnostic at the call, with the helper\'s I/O as related information', async () => {
  const text = [
    '#include <fcntl.h>',
    '#include <stdlib.h>',
    '#include <unistd.h>',
    'static int runtest(int fd, char *buf, size_t count) {',
    '  return read(fd, buf, count);',
    '}',
    'int main(void) {',
    '  int fd = open("f", O_RDONLY | O_DIRECT);',
    '  char *buf = aligned_alloc(4096, 8192);',
    '  return runtest(fd, buf, 1);',
    '}',
    '',
  ].join('\n');
  const doc = new FakeDocument(Uri.file('/ws/helper.c'), 'c', text);
  stub.openDocument(doc);
  const diags = await until('diagnostics', () => stub.diagnostics.get(doc.uri.toString()));
  const d = diags.find((x) => (x.code as { value: string }).value === 'ZDIO002')!;
  assert.ok(d, diags.map((x) => x.message).join(' | '));
  assert.deepEqual([d.range.start.line, d.range.start.character], [9, 26], 'at the 1 in the call');
  assert.match(d.message, /length 1 is not a multiple .*\(passed to runtest\(\), reaches read\(\)\)$/);
  assert.deepEqual(d.relatedInformation?.map((r) => [r.location.uri.toString(), r.location.range.start.line, r.message]),
    [[doc.uri.toString(), 4, 'read() receives it here']]);
  stub.closeDocument(doc);
  await until('cleared', () => (stub.diagnostics.has(doc.uri.toString()) ? undefined : true));
});

test('a C file sees its workspace headers; an edit to a header on disk re-checks it, and only the documents that use it', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdio-ws-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); stub.vscode.workspace.workspaceFolders = undefined; });
  writeFileSync(path.join(dir, 'sizes.h'), '#define RECORD 6000\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n');
  writeFileSync(path.join(dir, 'other.h'), '#define UNRELATED 1\n');
  stub.vscode.workspace.workspaceFolders = [{ uri: Uri.file(dir), name: 'ws', index: 0 }];
  stub.events.folders.fire({});
  const writer = ['#include <fcntl.h>', '#include <unistd.h>', '#include "sizes.h"', 'int main(void) {',
    '  int fd = open("f", DIO_FLAGS);', '  static char buf[RECORD] __attribute__((aligned(4096)));',
    '  return write(fd, buf, RECORD);', '}', ''].join('\n');
  const doc = new FakeDocument(Uri.file(path.join(dir, 'writer.c')), 'c', writer);
  const bystander = new FakeDocument(Uri.file(path.join(dir, 'other.c')), 'c', '#include "other.h"\nint f(int fd) { return fd; }\n');
  stub.openDocument(doc);
  stub.openDocument(bystander);
  const diags = await until('diagnostics from the header', () => {
    const d = stub.diagnostics.get(doc.uri.toString());
    return d?.length ? d : undefined;
  });
  assert.deepEqual(diags.map((d) => (d.code as { value: string }).value), ['ZDIO002']);
  assert.match(diags[0]!.message, /RECORD.*6000|6000.*RECORD/);
  const watcher = stub.watchers.find((w) => w.glob.includes('compile_commands.json'));
  assert.ok(watcher, 'a watcher on the workspace sources and compile_commands.json');
  assert.match(watcher.glob, /\bh\b/, 'headers are watched');
  const analysedBefore = await until('the bystander analysed', () => {
    const n = stub.logLines.filter((l) => l.includes('analyzed') && l.includes('other.c')).length;
    return n > 0 ? n : undefined;
  });
  // The header changes on disk: the size becomes a record multiple and the finding goes away.
  writeFileSync(path.join(dir, 'sizes.h'), '#define RECORD 131072\n#define DIO_FLAGS (O_WRONLY | O_DIRECT)\n');
  watcher.change.fire(Uri.file(path.join(dir, 'sizes.h')));
  await until('the finding to go', () => (stub.diagnostics.get(doc.uri.toString())?.length === 0 ? true : undefined), 5000);
  assert.ok(stub.logLines.some((l) => /1 file change\(s\) on disk: analysing 1 open document\(s\) again/.test(l)), stub.logLines.slice(-5).join('\n'));
  assert.equal(stub.logLines.filter((l) => l.includes('analyzed') && l.includes('other.c')).length, analysedBefore, 'the document that does not include it is left alone');
  stub.closeDocument(doc);
  stub.closeDocument(bystander);
});

test('disabled languages and huge documents are not analyzed', async () => {
  stub.config['zfsDio.languages'] = ['rust'];
  stub.config['zfsDio.maxFileSize'] = 2048;
  stub.events.config.fire({ affectsConfiguration: (s: string) => s === 'zfsDio' });
  const c = new FakeDocument(Uri.file('/ws/off.c'), 'c', C_SOURCE);
  stub.openDocument(c);
  const big = new FakeDocument(Uri.file('/ws/big.rs'), 'rust', `fn f() { let _ = libc::copy_file_range(a, p, b, q, 100, 0); }\n${'//x\n'.repeat(1000)}`);
  stub.openDocument(big);
  await until('the skip log line', () => stub.logLines.find((l) => /skipped \/ws\/big\.rs: \d+ characters is over zfsDio\.maxFileSize \(2048\)/.test(l)));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(stub.diagnostics.has(c.uri.toString()), false, 'c is disabled');
  assert.equal(stub.diagnostics.has(big.uri.toString()), false, 'over the size limit');
  stub.closeDocument(c); stub.closeDocument(big);
  delete stub.config['zfsDio.languages']; delete stub.config['zfsDio.maxFileSize'];
});

test('the explain command validates its argument before opening anything', async () => {
  stub.messages.length = 0;
  await stub.commands.get('zfsDio.explainRule')!({ ruleId: 'ZDIO999' });
  assert.match(stub.messages.at(-1)?.text ?? '', /cannot explain that rule: finding has no known ruleId/);
});

test('the probe is refused in an untrusted workspace, with the reason', async () => {
  stub.vscode.workspace.isTrusted = false;
  stub.messages.length = 0;
  await stub.commands.get('zfsDio.probeDataset')!();
  assert.match(stub.messages.at(-1)?.text ?? '', /probes are disabled in an untrusted workspace/);
  assert.deepEqual(stub.messages.at(-1)?.items, ['Manage Workspace Trust']);
  stub.vscode.workspace.isTrusted = true;
});

test('tracing a program is refused in an untrusted workspace, from the command and from a task', async () => {
  stub.vscode.workspace.isTrusted = false;
  stub.messages.length = 0;
  await stub.commands.get('zfsDio.traceProgram')!();
  assert.match(stub.messages.at(-1)?.text ?? '', /disabled in an untrusted workspace/);
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

test('deactivation disposes everything', () => {
  for (const d of context.subscriptions) d.dispose();
  ext.deactivate();
});

/** Code-action requests carry copies of the diagnostics, not the published objects. */
function copy(d: Diagnostic): Diagnostic {
  const c = new Diagnostic(d.range, d.message, d.severity);
  c.source = d.source;
  c.code = d.code;
  return c;
}
