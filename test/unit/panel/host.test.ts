// The panel host (src/editor/panel.ts) against a small fake of the VS Code webview API: what it sends,
// what it refuses, and that the webview can only trigger the protocol's fixed actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import path from 'node:path';
import type { HostMessage } from '../../../src/core/panel-protocol';
import type { ProbeOptions, ProbeReport } from '../../../src/core/types';
import { fixtureReport } from '../../panel-harness/fixtures';

const ROOT = process.env.ZFS_DIO_ROOT!;

// ---------------------------------------------------------------------------------------------
// Fake vscode: only the API surface the panel host touches.

type Listener = (e: unknown) => unknown;
class Emitter {
  listeners: Listener[] = [];
  event = (l: Listener) => { this.listeners.push(l); return { dispose: () => { this.listeners = this.listeners.filter((x) => x !== l); } }; };
  fire(e?: unknown) { for (const l of [...this.listeners]) l(e); }
}
class Uri {
  constructor(readonly fsPath: string) {}
  static file(p: string) { return new Uri(p); }
  static joinPath(base: Uri, ...parts: string[]) { return new Uri(path.join(base.fsPath, ...parts)); }
  toString() { return `file://${this.fsPath}`; }
}

class FakeWebview {
  html = '';
  options: Record<string, unknown> = {};
  readonly cspSource = 'https://fake.vscode-cdn.net';
  readonly posted: HostMessage[] = [];
  readonly receive = new Emitter();
  onDidReceiveMessage = this.receive.event;
  postMessage(m: HostMessage) { this.posted.push(JSON.parse(JSON.stringify(m))); return Promise.resolve(true); }
  asWebviewUri(u: Uri) { return { toString: () => `${this.cspSource}${u.fsPath}` }; }
}
class FakePanel {
  readonly webview = new FakeWebview();
  title = '';
  revealed = 0;
  private readonly disposed = new Emitter();
  onDidDispose = this.disposed.event;
  constructor(readonly viewType: string, readonly options: Record<string, unknown>) { this.webview.options = options; }
  reveal() { this.revealed += 1; }
  dispose() { this.disposed.fire(); }
}

const logLines: string[] = [];
const fake = {
  panels: [] as FakePanel[],
  serializers: new Map<string, { deserializeWebviewPanel(p: FakePanel, state: unknown): Promise<void> }>(),
  shown: [] as string[],
  trusted: true,
  workspaceFolder: path.join(ROOT, 'samples'),
};
const grantTrust = new Emitter();
const channel = {
  info: (s: string) => logLines.push(`info ${s}`), warn: (s: string) => logLines.push(`warn ${s}`),
  error: (s: string) => logLines.push(`error ${s}`), dispose() {},
};
const vscodeFake = {
  Uri, ViewColumn: { One: 1, Beside: -2 },
  window: {
    createWebviewPanel: (viewType: string, _title: string, _col: unknown, options: Record<string, unknown>) => {
      const p = new FakePanel(viewType, options);
      fake.panels.push(p);
      return p;
    },
    registerWebviewPanelSerializer: (viewType: string, s: { deserializeWebviewPanel(p: FakePanel, state: unknown): Promise<void> }) => {
      fake.serializers.set(viewType, s);
      return { dispose() {} };
    },
    createOutputChannel: () => channel,
    showTextDocument: async (doc: { uri: Uri }) => { fake.shown.push(doc.uri.fsPath); },
  },
  workspace: {
    get isTrusted() { return fake.trusted; },
    onDidGrantWorkspaceTrust: grantTrust.event,
    getConfiguration: () => ({ get: () => undefined }),
    textDocuments: [] as unknown[],
    getWorkspaceFolder: (u: Uri) => (u.fsPath.startsWith(`${fake.workspaceFolder}/`) ? { uri: Uri.file(fake.workspaceFolder) } : undefined),
    openTextDocument: async (u: Uri) => {
      const lines = ['int main(void) {', '    pread(fd, buf, 4097, 0);', '}'];
      return { uri: u, lineCount: lines.length, lineAt: (n: number) => ({ text: lines[n]!, range: { line: n } }) };
    },
  },
};

const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
(Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? vscodeFake : load.call(this, request, ...rest);
};

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
function types(panel: FakePanel) { return panel.webview.posted.map((m) => m.type); }

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
  const init = panel.webview.posted.find((m) => m.type === 'init');
  assert.ok(init && init.type === 'init');
  assert.equal(init.trusted, true);
  assert.ok(init.articles.some((a) => a.id === 'ZDIO001'), 'articles come from media/articles');
  const datasets = panel.webview.posted.filter((m) => m.type === 'datasets').at(-1);
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
  assert.deepEqual(panel.webview.posted, [], 'the host answered nothing');
  assert.equal(probeCalls.length, 0, 'no probe ran');
  assert.equal(logLines.filter((l) => l.startsWith('warn panel: rejected')).length, 9);
});

test('openArticle renders a listed article on the host', async () => {
  const panel = fake.panels[0]!;
  panel.webview.posted.length = 0;
  send(panel, { type: 'openArticle', id: 'ZDIO001' });
  await settle();
  const msg = panel.webview.posted.at(-1);
  assert.ok(msg && msg.type === 'article');
  assert.equal(msg.article.id, 'ZDIO001');
  assert.match(msg.article.html, /<h1[^>]*>/);
  assert.equal(msg.finding, null);
});

test('untrusted workspace: the host refuses to probe even if the webview asks', async () => {
  const panel = fake.panels[0]!;
  fake.trusted = false;
  panel.webview.posted.length = 0;
  send(panel, { type: 'runProbe', target: 'tank/data' });
  await settle();
  assert.equal(probeCalls.length, 0);
  assert.deepEqual(panel.webview.posted, [{ type: 'trust', trusted: false }]);
  fake.trusted = true;
  grantTrust.fire();
  await settle();
  assert.deepEqual(panel.webview.posted.at(-1), { type: 'trust', trusted: true });
});

test('a probe reports progress and can be cancelled', async () => {
  const panel = fake.panels[0]!;
  panel.webview.posted.length = 0;
  send(panel, { type: 'runProbe', target: 'tank/data' });
  await settle();
  assert.equal(probeCalls.length, 1);
  assert.equal(probeCalls[0]!.target, 'tank/data');
  assert.ok(probeCalls[0]!.signal instanceof AbortSignal);
  const progress = panel.webview.posted.filter((m) => m.type === 'probe').map((m) => m.type === 'probe' && m.probe);
  assert.deepEqual(progress.at(-1), { status: 'running', target: 'tank/data', step: 'cfr.aligned', fraction: 0.5 });
  // A second runProbe while one runs is ignored.
  send(panel, { type: 'runProbe', target: 'tank/data' });
  await settle();
  assert.equal(probeCalls.length, 1);
  send(panel, { type: 'cancelProbe' });
  await settle();
  assert.deepEqual(panel.webview.posted.at(-1), { type: 'probe', probe: { status: 'cancelled', target: 'tank/data' } });
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
  const sent = panel.webview.posted.find((m) => m.type === 'report');
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
  const msg = panel.webview.posted.find((m) => m.type === 'article');
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
  const last = panel.webview.posted.filter((m) => m.type === 'article').at(-1);
  assert.ok(last && last.type === 'article' && last.finding?.code === undefined, 'no line was read from /etc/shadow');
});

test('the serializer restores only a known article from the saved state', async () => {
  const { RootCausePanel } = await loadPanel();
  RootCausePanel.registerSerializer(ctx as never);
  const serializer = fake.serializers.get('zfsDio.panel')!;

  const hostile = new FakePanel('zfsDio.panel', {});
  await serializer.deserializeWebviewPanel(hostile, { articleId: '../../etc/passwd', selectedDataset: 'x' });
  send(hostile, { type: 'ready' });
  await settle();
  assert.ok(!types(hostile).includes('article') && !types(hostile).includes('articleError'));
  assert.match(hostile.webview.html, /Content-Security-Policy/);
  assert.equal((hostile.webview.options.localResourceRoots as Uri[]).length, 2);

  const good = new FakePanel('zfsDio.panel', {});
  await serializer.deserializeWebviewPanel(good, { articleId: 'openzfs-16958' });
  send(good, { type: 'ready' });
  await settle();
  const article = good.webview.posted.find((m) => m.type === 'article');
  assert.ok(article && article.type === 'article' && article.article.id === 'openzfs-16958');
});
