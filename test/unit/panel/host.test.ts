// The panel host (src/editor/panel.ts) against a small fake of the VS Code webview API: what it sends,
// what it refuses, and that the webview can only trigger the protocol's fixed actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { HostMessage } from '../../../src/core/panel-protocol';
import type { ProbeOptions, ProbeReport } from '../../../src/core/types';
import { fixtureReport } from '../../panel-harness/fixtures';
import { createStub, FakeDocument, FakeWebviewPanel, installStub, Uri, type FakeWebviewPanel as FakePanel } from '../../support/vscode-fake';

const ROOT = process.env.ZFS_DIO_ROOT!;

// ---------------------------------------------------------------------------------------------
// The shared vscode fake, with the workspace the panel host looks at: one folder, and a document for any file.

const stub = createStub();
const fake = {
  panels: stub.panels,
  serializers: stub.serializers,
  /** The files revealed in an editor, by path. */
  get shown() { return stub.shown.map((s) => Uri.parse(s.uri).fsPath); },
  workspaceFolder: path.join(ROOT, 'samples'),
};
const logLines = stub.logLines;
const channel = stub.vscode.window.createOutputChannel('ZFS Direct I/O', { log: true });
Object.assign(stub.vscode.workspace, {
  getWorkspaceFolder: (u: Uri) => (u.fsPath.startsWith(`${fake.workspaceFolder}/`) ? { uri: Uri.file(fake.workspaceFolder) } : undefined),
  openTextDocument: async (u: Uri) => new FakeDocument(u, 'c', ['int main(void) {', '    pread(fd, buf, 4097, 0);', '}'].join('\n')),
});
installStub(stub);
const setTrusted = (trusted: boolean) => { stub.vscode.workspace.isTrusted = trusted; };
/** What the host posted to a panel's webview, as the protocol's messages. */
const posted = (panel: FakePanel) => panel.webview.posted as unknown as HostMessage[];

function memento() {
  const m = new Map<string, unknown>();
  return { get: (k: string) => m.get(k), update: async (k: string, v: unknown) => { if (v === undefined) m.delete(k); else m.set(k, v); } };
}
const ctx = { extensionUri: Uri.file(ROOT), workspaceState: memento(), subscriptions: [] as unknown[] };

// ---------------------------------------------------------------------------------------------
// Fake probe services (the real ones need ZFS; they are tested in test/unit/probe and test/zfs).

const probeCalls: ProbeOptions[] = [];
const DATASET = { name: 'tank/data', mountpoint: '/tank/data', properties: { direct: 'standard', recordsize: '131072' } };

async function loadPanel() {
  const mod = await import('../../../src/editor/panel');
  mod.RootCausePanel.useLog(channel as never);
  mod.panelServices.listDatasets = async () => [DATASET];
  mod.panelServices.runProbe = (async (opts: ProbeOptions): Promise<ProbeReport> => {
    probeCalls.push(opts);
    opts.onProgress?.({ step: 'cfr.aligned', fraction: 0.5 });
    if (opts.target === 'tank/data') {
      // Waits to be cancelled, like a long probe.
      await new Promise((_, reject) => opts.signal?.addEventListener('abort', () => {
        const { ProbeError } = require('../../../src/core/probe/errors');
        reject(new ProbeError('CANCELLED', 'cancelled'));
      }));
    }
    return fixtureReport('zfs-2.3.2-standard', ROOT);
  }) as never;
  return mod;
}

const settle = () => new Promise((r) => setTimeout(r, 30));
function send(panel: FakePanel, message: unknown) { panel.webview.receive.fire(message); }
function types(panel: FakePanel) { return posted(panel).map((m) => m.type); }

test('one panel, strict webview options and CSP', async () => {
  const { RootCausePanel } = await loadPanel();
  const a = RootCausePanel.show(ctx as never);
  const b = RootCausePanel.show(ctx as never);
  assert.equal(a, b);
  assert.equal(fake.panels.length, 1, 'the second show() reveals the open panel');
  const panel = fake.panels[0]!;
  assert.equal(panel.viewType, 'zfsDio.panel');
  assert.equal(panel.revealed, 1);
  assert.equal(panel.options.enableScripts, true);
  assert.equal(panel.options.enableCommandUris, false);
  assert.deepEqual((panel.options.localResourceRoots as Uri[]).map((u) => path.relative(ROOT, u.fsPath)), ['dist', 'media']);
  const csp = /content="([^"]+)"/.exec(panel.webview.html)![1]!.replace(/&#39;/g, "'");
  assert.match(csp, /^default-src 'none'; img-src https:\/\/fake\.vscode-cdn\.net; style-src https:\/\/fake\.vscode-cdn\.net; font-src https:\/\/fake\.vscode-cdn\.net; script-src 'nonce-[A-Za-z0-9+/=]{24}'$/);
  assert.match(panel.webview.html, new RegExp(`src="https://fake.vscode-cdn.net${ROOT}/dist/webview.js"`));
});

test('ready sends the whole state: trust, articles, datasets, probe state', async () => {
  const panel = fake.panels[0]!;
  panel.webview.posted.length = 0;
  send(panel, { type: 'ready' });
  await settle();
  const init = posted(panel).find((m) => m.type === 'init');
  assert.ok(init && init.type === 'init');
  assert.equal(init.trusted, true);
  assert.ok(init.articles.some((a) => a.id === 'ZDIO001'), 'articles come from media/articles');
  const datasets = posted(panel).filter((m) => m.type === 'datasets').at(-1);
  assert.deepEqual(datasets, { type: 'datasets', datasets: { status: 'ok', datasets: [DATASET] } });
  assert.ok(types(panel).includes('probe'));
});

test('hostile messages are rejected, logged, and change nothing', async () => {
  const panel = fake.panels[0]!;
  panel.webview.posted.length = 0;
  logLines.length = 0;
  for (const m of [
    { type: 'runCommand', command: 'workbench.action.terminal.new' },
    { type: 'openArticle', id: '../../etc/passwd' },
    { type: 'openArticle', id: 'ZDIO001', path: '/etc/passwd' },
    { type: 'runProbe', target: '/' },
    { type: 'runProbe', target: 'tank/data', zfsPath: '/tmp/evil' },
    JSON.parse('{"type":"ready","__proto__":{"polluted":1}}'),
    'ready', null, 42,
  ]) send(panel, m);
  await settle();
  assert.deepEqual(posted(panel), [], 'the host answered nothing');
  assert.equal(probeCalls.length, 0, 'no probe ran');
  assert.equal(logLines.filter((l) => l.startsWith('[warn] panel: rejected')).length, 9);
});

test('openArticle renders a listed article on the host', async () => {
  const panel = fake.panels[0]!;
  panel.webview.posted.length = 0;
  send(panel, { type: 'openArticle', id: 'ZDIO001' });
  await settle();
  const msg = posted(panel).at(-1);
  assert.ok(msg && msg.type === 'article');
  assert.equal(msg.article.id, 'ZDIO001');
  assert.match(msg.article.html, /<h1[^>]*>/);
  assert.equal(msg.finding, null);
});

test('untrusted workspace: the host refuses to probe even if the webview asks', async () => {
  const panel = fake.panels[0]!;
  setTrusted(false);
  panel.webview.posted.length = 0;
  send(panel, { type: 'runProbe', target: 'tank/data' });
  await settle();
  assert.equal(probeCalls.length, 0);
  assert.deepEqual(posted(panel), [{ type: 'trust', trusted: false }]);
  setTrusted(true);
  stub.events.trust.fire();
  await settle();
  assert.deepEqual(posted(panel).at(-1), { type: 'trust', trusted: true });
});

test('a probe reports progress and can be cancelled', async () => {
  const panel = fake.panels[0]!;
  panel.webview.posted.length = 0;
  send(panel, { type: 'runProbe', target: 'tank/data' });
  await settle();
  assert.equal(probeCalls.length, 1);
  assert.equal(probeCalls[0]!.target, 'tank/data');
  assert.ok(probeCalls[0]!.signal instanceof AbortSignal);
  const progress = posted(panel).filter((m) => m.type === 'probe').map((m) => m.type === 'probe' && m.probe);
  assert.deepEqual(progress.at(-1), { status: 'running', target: 'tank/data', step: 'cfr.aligned', fraction: 0.5 });
  // A second runProbe while one runs is ignored.
  send(panel, { type: 'runProbe', target: 'tank/data' });
  await settle();
  assert.equal(probeCalls.length, 1);
  send(panel, { type: 'cancelProbe' });
  await settle();
  assert.deepEqual(posted(panel).at(-1), { type: 'probe', probe: { status: 'cancelled', target: 'tank/data' } });
});

test('the panel\'s probe uses the extension\'s settings reader, mapped as the Probe Dataset command maps it', async () => {
  const mod = await import('../../../src/editor/panel');
  mod.RootCausePanel.useProbeSettings(() => ({ zfsPath: '/opt/zfs/sbin/zfs', pythonPath: '/usr/bin/python3.11', timeoutSeconds: 7, allowAB: false }));
  const panel = fake.panels[0]!;
  const before = probeCalls.length;
  send(panel, { type: 'runProbe', target: 'tank/data' });
  await settle();
  assert.equal(probeCalls.length, before + 1);
  const opts = probeCalls.at(-1)!;
  assert.equal(opts.zfsPath, '/opt/zfs/sbin/zfs');
  assert.equal(opts.pythonPath, '/usr/bin/python3.11');
  assert.equal(opts.zpoolPath, undefined);
  assert.equal(opts.runnerTimeoutMs, 7000);
  send(panel, { type: 'cancelProbe' });
  await settle();
});

test('a report passed to show() gets verdicts when it has none, and is re-sent after a webview reload', async () => {
  const { RootCausePanel } = await loadPanel();
  const panel = fake.panels[0]!;
  const bare = fixtureReport('zfs-2.3.2-standard', ROOT);
  assert.equal(bare.verdicts.length, 0);
  panel.webview.posted.length = 0;
  RootCausePanel.show(ctx as never, { report: bare });
  const sent = posted(panel).find((m) => m.type === 'report');
  assert.ok(sent && sent.type === 'report' && sent.report && sent.report.verdicts.length > 0);
  panel.webview.posted.length = 0;
  send(panel, { type: 'ready' });
  await settle();
  assert.ok(types(panel).includes('report'));
});

test('a finding shows with its rule article; revealing it stays inside the workspace', async () => {
  const { RootCausePanel } = await loadPanel();
  const panel = fake.panels[0]!;
  panel.webview.posted.length = 0;
  const file = path.join(fake.workspaceFolder, 'c', 'blockstore.c');
  RootCausePanel.show(ctx as never, { article: 'ZDIO002', finding: { ruleId: 'ZDIO002', file, line: 1, derived: { length: 4097, pageSize: 4096 } } });
  await settle();
  const msg = posted(panel).find((m) => m.type === 'article');
  assert.ok(msg && msg.type === 'article');
  assert.equal(msg.article.id, 'ZDIO002');
  assert.equal(msg.finding?.code, '    pread(fd, buf, 4097, 0);', 'the host read the line from the workspace file');
  send(panel, { type: 'revealFinding' });
  await settle();
  assert.deepEqual(fake.shown, [file]);

  // A finding outside the workspace (e.g. from a crafted command URI) is shown but never opened.
  RootCausePanel.show(ctx as never, { article: 'ZDIO002', finding: { ruleId: 'ZDIO002', file: '/etc/shadow', line: 0 } });
  await settle();
  send(panel, { type: 'revealFinding' });
  await settle();
  assert.deepEqual(fake.shown, [file]);
  assert.ok(logLines.some((l) => l.includes('not revealing /etc/shadow')));
  const last = posted(panel).filter((m) => m.type === 'article').at(-1);
  assert.ok(last && last.type === 'article' && last.finding?.code === undefined, 'no line was read from /etc/shadow');
});

test('a trace reaches the open panel and a reloaded one; a row opens the program\'s line, only inside the workspace', async () => {
  const { RootCausePanel } = await loadPanel();
  const panel = fake.panels[0]!;
  panel.webview.posted.length = 0;
  const inside = path.join(fake.workspaceFolder, 'c', 'blockstore.c');
  const row = (source: { file: string; line: number } | null, event: number) => ({ event, syscall: 'pwrite64', pid: 1, fd: 3, path: '/tank/f',
    dataset: 'tank', direct: 'standard', request: '1000 bytes, at offset 0', answer: 'EINVAL', failed: true, source, rules: ['ZDIO002' as const] });
  const trace = { command: ['./prog'], exit: 'exited with 0', calls: 2, findings: 2, omitted: 0,
    rows: [row({ file: inside, line: 2 }, 0), row({ file: '/etc/passwd', line: 1 }, 1)] };
  RootCausePanel.noteTrace(trace);
  await settle();
  assert.deepEqual(posted(panel).filter((m) => m.type === 'trace'), [{ type: 'trace', trace }]);
  // A webview that starts again gets it with everything else.
  panel.webview.posted.length = 0;
  send(panel, { type: 'ready' });
  await settle();
  assert.deepEqual(posted(panel).filter((m) => m.type === 'trace'), [{ type: 'trace', trace }]);

  const before = fake.shown.length;
  send(panel, { type: 'revealTraceCall', row: 0 });
  await settle();
  assert.deepEqual(fake.shown.slice(before), [inside]);
  const selection = stub.shown.at(-1)!.selection!;
  assert.equal(selection.start.line, 1, 'line 2 of the trace is the editor\'s line 1');
  // The row's file is the host's: outside the workspace it is not opened, and no row beyond the trace exists.
  send(panel, { type: 'revealTraceCall', row: 1 });
  send(panel, { type: 'revealTraceCall', row: 2 });
  await settle();
  assert.deepEqual(fake.shown.slice(before), [inside]);
  assert.ok(logLines.some((l) => l.includes('not revealing /etc/passwd')));
  assert.ok(logLines.some((l) => /rejected a message from the webview: revealTraceCall: row 2 is not a row of the trace/.test(l)));
});

test('the serializer restores only a known article from the saved state', async () => {
  const { RootCausePanel } = await loadPanel();
  RootCausePanel.registerSerializer(ctx as never);
  const serializer = fake.serializers.get('zfsDio.panel')!;

  const hostile = new FakeWebviewPanel('zfsDio.panel', {});
  await serializer.deserializeWebviewPanel(hostile, { articleId: '../../etc/passwd', selectedDataset: 'x' });
  send(hostile, { type: 'ready' });
  await settle();
  assert.ok(!types(hostile).includes('article') && !types(hostile).includes('articleError'));
  assert.match(hostile.webview.html, /Content-Security-Policy/);
  assert.equal((hostile.webview.options.localResourceRoots as Uri[]).length, 2);

  const good = new FakeWebviewPanel('zfsDio.panel', {});
  await serializer.deserializeWebviewPanel(good, { articleId: 'openzfs-16958' });
  send(good, { type: 'ready' });
  await settle();
  const article = posted(good).find((m) => m.type === 'article');
  assert.ok(article && article.type === 'article' && article.article.id === 'openzfs-16958');
});
