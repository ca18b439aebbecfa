// The language server's conformance test: the shipped `zfs-dio lsp --stdio` driven over its standard
// input and output by a real JSON-RPC client: initialize, open, incremental change, pushed and pulled
// diagnostics, hover, code actions, configuration, the custom requests, the workspace scan, shutdown; and
// over Node IPC with the options the VS Code extension sends (trust, hover, sites notifications).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionRequest, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest, ExecuteCommandRequest, HoverRequest, TextDocumentSyncKind, WorkDoneProgress, WorkspaceDiagnosticRequest,
  type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport,
  type CodeAction, type Diagnostic, type FullDocumentDiagnosticReport, type MarkupContent, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DidChangeSitesNotification, DidGrantWorkspaceTrustNotification, ExplainRequest, RefreshDatasetsRequest, ScanWorkspaceRequest,
  SERVER_COMMANDS, SitesRequest, type ScanWorkspaceResult,
} from '../../../src/core/protocol/server';
import { changeSettings, cli, root, ruleLines, startClient, uriOf, type Client } from './lsp-client';

// A UTF-16 column differs from a byte column after the `é`: an edit below it checks that the server's
// incremental sync and the tree's edits count the same units as the client.
const C_SOURCE = [
  '#include <fcntl.h>',
  '#include <stdlib.h>',
  '#include <unistd.h>',
  '/* café */',
  'int rd(const char *p) {',
  '  int fd = open(p, O_RDONLY | O_DIRECT); /* é */',
  '  void *buf;',
  '  if (posix_memalign(&buf, 4096, 8192) != 0) return -1;',
  '  return pread(fd, buf, 4096, 0);',
  '}',
  '',
].join('\n');
const PREAD_LINE = 8;

function scratch(): string { return mkdtempSync(path.join(os.tmpdir(), 'zfs-dio-lsp-')); }

/** The CLI's findings for these files (rule id and 1-based line), which the server must match. */
function cliRuleLines(paths: readonly string[]): Map<string, string[]> {
  const run = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', ...paths], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `zfs-dio scan failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { findings: { file: string; ruleId: string; line: number }[] };
  const by = new Map<string, string[]>();
  for (const f of out.findings) {
    const abs = path.resolve(f.file);
    by.set(abs, [...(by.get(abs) ?? []), `${f.ruleId}:${f.line}`].sort());
  }
  return by;
}

function sampleFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) found.push(...sampleFiles(p));
    else if (/\.(c|cpp|rs|go|py)$/.test(name)) found.push(p);
  }
  return found.sort();
}

const LANGUAGE_IDS: Record<string, string> = { '.c': 'c', '.cpp': 'cpp', '.rs': 'rust', '.go': 'go', '.py': 'python' };

async function open(client: Client, file: string, text: string, languageId = LANGUAGE_IDS[path.extname(file)]!): Promise<string> {
  const uri = uriOf(file);
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  return uri;
}

/** Replaces the first `find` (after `after`, when given) with `by`, as an incremental change; returns the new text. */
async function edit(client: Client, doc: TextDocument, find: string, by: string): Promise<void> {
  const text = doc.getText();
  const at = text.indexOf(find);
  assert.ok(at >= 0, `${find} not in the document`);
  const range = { start: doc.positionAt(at), end: doc.positionAt(at + find.length) };
  TextDocument.update(doc, [{ range, text: by }], doc.version + 1);
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: doc.uri, version: doc.version }, contentChanges: [{ range, text: by }],
  });
}

test('initialize announces incremental sync, hovers, quick fixes, commands, and pull diagnostics only to a client that pulls', async () => {
  const push = await startClient();
  try {
    const caps = push.initialize.capabilities;
    assert.equal(push.initialize.serverInfo?.name, 'zfs-dio');
    assert.deepEqual(caps.textDocumentSync && typeof caps.textDocumentSync === 'object' ? caps.textDocumentSync.change : undefined, TextDocumentSyncKind.Incremental);
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.deepEqual(caps.executeCommandProvider?.commands, [SERVER_COMMANDS.scanWorkspace, SERVER_COMMANDS.showArticle]);
    assert.equal(caps.diagnosticProvider, undefined);
  } finally {
    assert.equal(await push.stop(), 0);
  }
  const pull = await startClient({ pull: true });
  try {
    assert.deepEqual(pull.initialize.capabilities.diagnosticProvider, { identifier: 'zfs-dio', interFileDependencies: true, workspaceDiagnostics: true });
  } finally {
    assert.equal(await pull.stop(), 0);
  }
});

test('every sample file gets the same diagnostics from the server as from zfs-dio scan, with code, link and data', async () => {
  const files = sampleFiles(path.join(root, 'samples'));
  const expected = cliRuleLines(files);
  assert.ok(expected.size >= 5, 'the samples have findings in every language');
  const client = await startClient({ rootPath: path.join(root, 'samples') });
  try {
    for (const file of files) {
      const { readFileSync } = await import('node:fs');
      const uri = await open(client, file, readFileSync(file, 'utf8'));
      const published = await client.nextDiagnostics(uri);
      assert.deepEqual(ruleLines(published.diagnostics), expected.get(file) ?? [], file);
      assert.equal(published.version, 1);
      for (const d of published.diagnostics) {
        assert.equal(d.source, 'zfs-dio');
        assert.match(String(d.code), /^ZDIO\d{3}$/);
        // Without initialization options the link is the rule's article, a file that exists.
        const article = fileURLToPath(d.codeDescription!.href);
        assert.ok(existsSync(article), article);
        assert.equal(path.basename(article), `${String(d.code)}.md`);
        assert.match((d.data as { key: string }).key, new RegExp(`^${String(d.code)}@${d.range.start.line}:${d.range.start.character}-`));
      }
    }
  } finally {
    assert.equal(await client.stop(), 0);
  }
});

test('incremental changes re-analyse the edited text: a finding appears, its quick fix removes it, multi-change events apply in order', async () => {
  const dir = scratch();
  const client = await startClient({ rootPath: dir, settings: { debounceMs: 0 } });
  try {
    const file = path.join(dir, 'rd.c');
    const uri = await open(client, file, C_SOURCE);
    const doc = TextDocument.create(uri, 'c', 1, C_SOURCE);
    assert.deepEqual((await client.nextDiagnostics(uri)).diagnostics, []);

    await edit(client, doc, '4096, 0)', '1000, 0)');
    const afterEdit = await client.nextDiagnostics(uri, (p) => p.version === doc.version);
    assert.deepEqual(ruleLines(afterEdit.diagnostics), [`ZDIO002:${PREAD_LINE + 1}`]);
    const [finding] = afterEdit.diagnostics as [Diagnostic];
    assert.equal(doc.getText(finding.range), '1000');

    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: finding.range, context: { diagnostics: [finding], only: ['quickfix'] },
    }) as CodeAction[];
    const fix = actions.find((a) => a.edit?.changes?.[uri]);
    assert.ok(fix, `a quick fix with an edit: ${JSON.stringify(actions)}`);
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, [finding]);
    const edits = fix.edit!.changes![uri] as TextEdit[];
    // Applied the way a client applies a WorkspaceEdit: as incremental changes, in one notification, last first.
    const ordered = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start))
      .map((e) => ({ range: e.range, text: e.newText }));
    TextDocument.update(doc, ordered, doc.version + 1);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: doc.version }, contentChanges: ordered });
    const afterFix = await client.nextDiagnostics(uri, (p) => p.version === doc.version);
    assert.deepEqual(afterFix.diagnostics, [], `after "${fix.title}": ${doc.getText()}`);

    // Two changes in one event: the second one's range is in the text the first one left.
    const returnAt = doc.getText().indexOf('return pread(');
    const first = { range: { start: doc.positionAt(returnAt), end: doc.positionAt(returnAt) }, text: 'ssize_t n = 1; /* ü */\n  ' };
    TextDocument.update(doc, [first], doc.version);
    const lenAt = doc.getText().lastIndexOf('buf, ') + 'buf, '.length;
    const lenEnd = doc.getText().indexOf(',', lenAt);
    const second = { range: { start: doc.positionAt(lenAt), end: doc.positionAt(lenEnd) }, text: '513' };
    TextDocument.update(doc, [second], doc.version + 1);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: doc.version }, contentChanges: [first, second] });
    const afterTwo = await client.nextDiagnostics(uri, (p) => p.version === doc.version);
    assert.deepEqual(ruleLines(afterTwo.diagnostics), [`ZDIO002:${PREAD_LINE + 2}`], doc.getText());
    assert.equal(doc.getText((afterTwo.diagnostics[0] as Diagnostic).range), '513');
    // The server's text is the client's: a fresh server given the whole text finds the same.
    const fresh = await startClient({ rootPath: dir });
    try {
      const freshUri = await open(fresh, path.join(dir, 'fresh.c'), doc.getText());
      assert.deepEqual(ruleLines((await fresh.nextDiagnostics(freshUri)).diagnostics), ruleLines(afterTwo.diagnostics));
    } finally { await fresh.stop(); }
  } finally {
    assert.equal(await client.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hover shows the site and its finding; links lead to the article, or to the VS Code command when asked', async () => {
  const dir = scratch();
  const source = C_SOURCE.replace('4096, 0)', '1000, 0)');
  const hoverAt = { line: PREAD_LINE, character: source.split('\n')[PREAD_LINE]!.indexOf('pread') + 2 };
  for (const explainLinks of ['article', 'command'] as const) {
    const client = await startClient({ rootPath: dir, initializationOptions: { explainLinks } });
    try {
      const uri = await open(client, path.join(dir, 'rd.c'), source);
      const published = await client.nextDiagnostics(uri);
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: hoverAt });
      assert.ok(hover, 'a hover on the pread call');
      const value = (hover.contents as MarkupContent).value;
      assert.equal((hover.contents as MarkupContent).kind, 'markdown');
      assert.match(value, /`pread`/);
      assert.match(value, /\*\*ZDIO002\*\*/);
      assert.equal(hover.range?.start.line, PREAD_LINE);
      const href = published.diagnostics[0]!.codeDescription!.href;
      if (explainLinks === 'article') {
        assert.doesNotMatch(value, /command:/);
        assert.doesNotMatch(value, /(?<!\\)\$\([a-z-]+\)/, 'no VS Code codicons for other editors');
        assert.ok(value.includes(`[Explain ZDIO002](${href})`), value);
      } else {
        assert.match(href, /^command:zfsDio\.explainRule\?/);
        assert.match(value, /\[Explain ZDIO002\]\(command:zfsDio\.explainRule\?/);
        assert.match(value, /\$\(warning\)/);
      }
      // Off the site: no hover.
      assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

test('settings come from workspace/configuration (the zfsDio section) and change with didChangeConfiguration; none at all works too', async () => {
  const dir = scratch();
  const source = C_SOURCE.replace('4096, 0)', '1000, 0)');
  const client = await startClient({ rootPath: dir, settings: { severity: { ZDIO002: 'error' } } });
  try {
    const uri = await open(client, path.join(dir, 'rd.c'), source);
    const first = await client.nextDiagnostics(uri);
    assert.ok(client.configurationRequests >= 1);
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.severity]), [['ZDIO002', 1]]);

    await changeSettings(client, { severity: { ZDIO002: 'off' } });
    assert.deepEqual((await client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0)).diagnostics, []);
    // A page size of 512 makes 1000 misaligned still; 8 (not a power of two) is refused and the default kept.
    await changeSettings(client, { pageSize: 8 });
    assert.deepEqual(ruleLines((await client.nextDiagnostics(uri, (p) => p.diagnostics.length > 0)).diagnostics), [`ZDIO002:${PREAD_LINE + 1}`]);
    await changeSettings(client, { languages: ['python'] });
    assert.deepEqual((await client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0)).diagnostics, []);
  } finally {
    assert.equal(await client.stop(), 0);
  }
  // A client that never answers workspace/configuration gets the defaults.
  const bare = await startClient({ rootPath: dir, configuration: false });
  try {
    const uri = await open(bare, path.join(dir, 'rd.c'), source);
    assert.deepEqual((await bare.nextDiagnostics(uri)).diagnostics.map((d) => [d.code, d.severity]), [['ZDIO002', 2]]);
    assert.equal(bare.configurationRequests, 0);
  } finally {
    assert.equal(await bare.stop(), 0);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('pull diagnostics: textDocument/diagnostic for open files, workspace/diagnostic keeps the scanned findings of closed files', async () => {
  const dir = scratch();
  cpSync(path.join(root, 'samples'), dir, { recursive: true });
  const files = sampleFiles(dir);
  const expected = cliRuleLines(files);
  const client = await startClient({ pull: true, rootPath: dir });
  try {
    const { readFileSync } = await import('node:fs');
    const blockstore = path.join(dir, 'c', 'blockstore.c');
    const uri = await open(client, blockstore, readFileSync(blockstore, 'utf8'));
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    assert.deepEqual(ruleLines(report.items), expected.get(blockstore));

    // Before a scan the workspace has no closed-file diagnostics.
    assert.deepEqual((await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })).items, []);
    const scan = await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.equal(scan.cancelled, false);
    assert.equal(scan.findings, [...expected.values()].flat().length);
    assert.ok(client.refreshRequests >= 1, 'the client is asked to pull again after the scan');

    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    // The closed file is analysed again from disk; wait for that, then every sample is in the workspace report.
    const deadline = Date.now() + 10_000;
    let items: { uri: string; items: Diagnostic[] }[] = [];
    while (Date.now() < deadline) {
      items = (await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })).items as typeof items;
      if (items.some((i) => i.uri === uri)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const got = new Map(items.map((i) => [fileURLToPath(i.uri), ruleLines(i.items)]));
    assert.deepEqual(new Map([...got].filter(([, v]) => v.length > 0)), expected);

    const sites = await client.connection.sendRequest(SitesRequest, {});
    assert.equal(sites.files.reduce((n, f) => n + f.findings.length, 0), scan.findings);
    assert.equal(sites.files.reduce((n, f) => n + f.sites.length, 0), scan.sites);
  } finally {
    assert.equal(await client.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a workspace scan with a workDoneToken reports its progress on it: begin, "N of M files" with a rising percentage, end', async () => {
  const dir = scratch();
  cpSync(path.join(root, 'samples'), dir, { recursive: true });
  const client = await startClient({ pull: true, rootPath: dir });
  try {
    const seen: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
    const listening = client.connection.onProgress(WorkDoneProgress.type, 'scan-1', (value) => { seen.push(value); });
    const scan = await client.connection.sendRequest(ScanWorkspaceRequest, { workDoneToken: 'scan-1' });
    listening.dispose();
    assert.equal(scan.cancelled, false);
    assert.equal(seen[0]?.kind, 'begin');
    assert.equal(seen.at(-1)?.kind, 'end');
    const reports = seen.filter((v): v is WorkDoneProgressReport => v.kind === 'report');
    assert.ok(reports.length >= 1, `progress reports: ${JSON.stringify(seen)}`);
    for (const r of reports) assert.match(r.message ?? '', /^\d+ of \d+ files$/);
    const percentages = reports.map((r) => r.percentage ?? -1);
    assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'the percentage never goes back');
    assert.ok(percentages.every((p) => p >= 0 && p <= 100));
    const [done, queued] = reports.at(-1)!.message!.split(' of ').map((n) => Number.parseInt(n, 10));
    assert.equal(done, queued, 'the last report counts every queued file as done');
  } finally {
    assert.equal(await client.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scanCacheFile: the second workspace scan takes every result from the cache and finds the same', async () => {
  const dir = scratch();
  cpSync(path.join(root, 'samples'), dir, { recursive: true });
  const storage = scratch();
  const cacheFile = path.join(storage, 'not-yet', 'scan-cache.json');   // its folder is created by the server
  const strip = ({ durationMs: _time, fromCache: _cached, ...rest }: ScanWorkspaceResult) => rest;
  const client = await startClient({ pull: true, rootPath: dir, initializationOptions: { scanCacheFile: cacheFile } });
  try {
    const first = await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.equal(first.fromCache, 0);
    assert.ok(existsSync(cacheFile), 'the cache was written');
    const second = await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.ok(second.files > 5);
    assert.equal(second.fromCache, second.files);
    assert.deepEqual(strip(second), strip(first));
    assert.ok(first.findings > 0);
  } finally {
    assert.equal(await client.stop(), 0);
    rmSync(storage, { recursive: true, force: true });
  }
  // A relative path names no place: it is ignored, and the scan runs without a cache.
  const relative = await startClient({ pull: true, rootPath: dir, initializationOptions: { scanCacheFile: 'scan-cache.json' } });
  try {
    const scan = await relative.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.equal(scan.fromCache, undefined);
    assert.ok(!existsSync(path.join(dir, 'scan-cache.json')));
  } finally {
    assert.equal(await relative.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('push mode: a workspace scan publishes closed files, and zfsDio/explain and showArticle answer', async () => {
  const dir = scratch();
  cpSync(path.join(root, 'samples', 'python'), dir, { recursive: true });
  const client = await startClient({ rootPath: dir });
  try {
    const scan = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.scanWorkspace, arguments: [] }) as { findings: number };
    const wal = uriOf(path.join(dir, 'wal.py'));
    const published = await client.nextDiagnostics(wal);
    assert.equal(published.diagnostics.length, scan.findings);
    assert.deepEqual(ruleLines(published.diagnostics), cliRuleLines([path.join(dir, 'wal.py')]).get(path.join(dir, 'wal.py')));

    const article = await client.connection.sendRequest(ExplainRequest, { id: 'ZDIO001' });
    assert.equal(article.id, 'ZDIO001');
    assert.match(article.markdown, /^# /m);
    assert.ok(existsSync(fileURLToPath(article.uri)));
    await assert.rejects(client.connection.sendRequest(ExplainRequest, { id: '../package' }), /not an article id/);
    const shown = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.showArticle, arguments: ['ZDIO003'] }) as { uri: string };
    assert.equal(path.basename(fileURLToPath(shown.uri)), 'ZDIO003.md');
  } finally {
    assert.equal(await client.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the VS Code extension\'s way: over --node-ipc, a hover without the message VS Code shows, the sites as notifications, file watchers, unchanged workspace reports', async () => {
  const dir = scratch();
  cpSync(path.join(root, 'samples', 'c'), dir, { recursive: true });
  const client = await startClient({
    ipc: true, pull: true, watchers: true, rootPath: dir,
    initializationOptions: { explainLinks: 'command', editorShowsDiagnosticMessages: true, sitesNotifications: true },
  });
  try {
    const { readFileSync } = await import('node:fs');
    for (const end = Date.now() + 10_000; Date.now() < end && !client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles');) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const watch = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    const glob = (watch?.registerOptions as { watchers: { globPattern: string }[] } | undefined)?.watchers[0]?.globPattern ?? '';
    for (const part of ['c', 'cpp', 'rs', 'go', 'py', 'compile_commands.json', 'Cargo.toml', 'go.mod']) assert.ok(glob.includes(part), `the watcher covers ${part}: ${glob}`);

    const file = path.join(dir, 'rd.c');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, C_SOURCE.replace('pread(fd, buf, 4096, 0)', 'pread(fd, buf, 4000, 0)'));
    const uri = await open(client, file, readFileSync(file, 'utf8'));
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport;
    const finding = report.items.find((d) => d.code === 'ZDIO002');
    assert.ok(finding, `ZDIO002 on the pread: ${JSON.stringify(report.items)}`);
    assert.match(String(finding.codeDescription?.href), /^command:zfsDio\.explainRule\?/);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: finding.range.start });
    const markdown = (hover?.contents as MarkupContent).value;
    assert.match(markdown, /Explain ZDIO002/);
    const message = typeof finding.message === 'string' ? finding.message : finding.message.value;
    assert.ok(!markdown.includes(message), `the hover leaves the message to VS Code: ${markdown}`);

    const sites = () => client.notifications.filter((n) => n.method === DidChangeSitesNotification.method)
      .map((n) => n.params as { files: { uri: string; sites: unknown[]; findings: unknown[] }[]; removed: string[] });
    const analysed = sites().flatMap((p) => p.files).find((f) => f.uri === uri);
    assert.ok(analysed && analysed.sites.length >= 2 && analysed.findings.length === report.items.length, `the open file's sites were sent: ${JSON.stringify(sites())}`);

    // After a scan, the closed files come in the workspace report; asked again with their result ids, unchanged.
    await client.connection.sendRequest(ScanWorkspaceRequest, {});
    const scannedUris = sites().flatMap((p) => p.files.map((f) => f.uri));
    assert.ok(scannedUris.includes(uriOf(path.join(dir, 'blockstore.c'))), `the scan sent the closed files' sites: ${JSON.stringify(scannedUris)}`);
    const first = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    assert.ok(first.items.length > 0 && first.items.every((i) => i.kind === 'full' && typeof i.resultId === 'string'));
    assert.ok(!first.items.some((i) => i.uri === uri), 'an open document is not in the workspace report');
    const again = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type,
      { previousResultIds: first.items.map((i) => ({ uri: i.uri, value: i.resultId! })) });
    assert.deepEqual(again.items.map((i) => i.kind), first.items.map(() => 'unchanged'));

    // Closed, the scanned file is analysed again from disk and its sites are sent again.
    const before = sites().length;
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    const fromDisk = () => sites().slice(before).flatMap((p) => p.files).find((f) => f.uri === uri);
    for (const end = Date.now() + 10_000; Date.now() < end && !fromDisk();) await new Promise((r) => setTimeout(r, 50));
    assert.equal(fromDisk()?.findings.length, report.items.length, `closing the scanned file sends its sites from disk: ${JSON.stringify(sites().slice(before))}`);
  } finally {
    assert.equal(await client.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an untrusted workspace runs no program named in the settings until it is trusted', async () => {
  const dir = scratch();
  const marker = path.join(dir, 'ran');
  const fakeZfs = path.join(dir, 'zfs');
  const { writeFileSync, chmodSync, readFileSync } = await import('node:fs');
  // Records that it ran, then fails like a zfs without that dataset.
  writeFileSync(fakeZfs, `#!/bin/sh\necho "$@" >> '${marker}'\necho "cannot open 'tank/vm': dataset does not exist" >&2\nexit 1\n`);
  chmodSync(fakeZfs, 0o755);
  const settings = { target: 'tank/vm', probe: { zfsPath: fakeZfs } };
  const client = await startClient({ pull: true, rootPath: dir, settings, initializationOptions: { workspaceTrusted: false } });
  try {
    const uri = await open(client, path.join(dir, 'rd.c'), C_SOURCE);
    await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    const refreshed = await client.connection.sendRequest(RefreshDatasetsRequest, {});
    assert.equal(refreshed.skipped, 'untrusted');
    assert.equal(existsSync(marker), false, 'the zfs named in the settings did not run');
    const logs = () => client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message).join('\n');
    assert.match(logs(), /the dataset tank\/vm is read only in a trusted workspace/);

    await client.connection.sendNotification(DidGrantWorkspaceTrustNotification, {});
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !existsSync(marker)) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(marker), 'once trusted, the target dataset is read with that zfs');
    assert.match(readFileSync(marker, 'utf8'), /tank\/vm/);
  } finally {
    assert.equal(await client.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zfs-dio lsp refuses a missing transport and unknown options with usage', () => {
  const missing = spawnSync(process.execPath, [cli, 'lsp'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--stdio or --node-ipc is required/);
  const both = spawnSync(process.execPath, [cli, 'lsp', '--stdio', '--node-ipc'], { encoding: 'utf8' });
  assert.equal(both.status, 2);
  assert.match(both.stderr, /choose one of --stdio and --node-ipc/);
  const noChannel = spawnSync(process.execPath, [cli, 'lsp', '--node-ipc'], { encoding: 'utf8' });
  assert.equal(noChannel.status, 2);
  assert.match(noChannel.stderr, /needs a parent that started this process with an IPC channel/);
  const unknown = spawnSync(process.execPath, [cli, 'lsp', '--stdio', '--tcp'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option '--tcp'/);
  assert.match(spawnSync(process.execPath, [cli, 'lsp', '--help'], { encoding: 'utf8' }).stdout, /LSP over standard input/);
});
