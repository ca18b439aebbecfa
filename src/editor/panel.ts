// Host side of the root-cause panel: one webview panel (viewType zfsDio.panel) that shows the
// datasets, runs probes, and renders knowledge articles. The webview is treated as untrusted: every
// message goes through parseWebviewMessage, and the only things it can ask for are the fixed actions
// of the protocol on names the host itself listed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  OVERVIEW_ARTICLES, parseFindingContext, parseRestoredState, parseWebviewMessage,
  type ArticleRef, type DatasetsState, type FindingContext, type HostMessage, type ProbeState,
  type RestoredPanelState, type TraceTimeline, type WebviewMessage,
} from '../core/panel-protocol';
import { listArticles, loadArticle } from '../core/knowledge/articles';
import { renderMarkdown } from '../core/knowledge/render';
import { evaluate } from '../core/knowledge/verdicts';
import { isProbeError, listDatasets, runProbe } from '../core/probe/index';
import { isRuleId, ruleMeta } from '../core/rules';
import type { ProbeReport } from '../core/types';
import { buildPanelHtml, makeNonce } from './panel-html';
import { leftBehindWarning, probeRunOptions } from './probe-logic';
import { DEFAULTS, type ProbeSettings } from '../shared/settings';

export type { FindingContext } from '../core/panel-protocol';
export interface PanelTarget { article?: string; finding?: FindingContext; report?: ProbeReport }

/** The probe functions the panel calls; unit tests replace them (the real ones need a machine with ZFS). */
export const panelServices = { listDatasets, runProbe };

const VIEW_TYPE = 'zfsDio.panel';
const TITLE = 'ZFS Direct I/O';
/** The last report and finding survive window reloads in workspace state, so the host can re-send them. */
const LAST_REPORT_KEY = 'zfsDio.panel.lastReport';
const LAST_FINDING_KEY = 'zfsDio.panel.lastFinding';

/** The window's last trace: a panel opened later shows it too (a trace is not kept across reloads). */
let latestTrace: TraceTimeline | null = null;

let sharedLog: vscode.LogOutputChannel | undefined;
/** Until the extension hands over its settings reader (a panel host without it, as in tests): the defaults. */
let probeSettingsSource = (): ProbeSettings => DEFAULTS.probe;
let ownLog: vscode.LogOutputChannel | undefined;
function log(): vscode.LogOutputChannel {
  return sharedLog ?? (ownLog ??= vscode.window.createOutputChannel('ZFS Direct I/O Panel', { log: true }));
}

function webviewOptions(ctx: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // Links in articles must not run commands: command: URIs are off, and the protocol has no "run command" message.
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(ctx.extensionUri, 'dist'), vscode.Uri.joinPath(ctx.extensionUri, 'media')],
  };
}

export class RootCausePanel {
  private static current: RootCausePanel | undefined;

  /** Opens the panel (or reveals the open one) and shows `target`. */
  static show(ctx: vscode.ExtensionContext, target?: PanelTarget): RootCausePanel {
    const existing = RootCausePanel.current;
    if (existing) {
      existing.panel.reveal(undefined, false);
      existing.applyTarget(target);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      webviewOptions(ctx));
    return new RootCausePanel(panel, ctx, target, {});
  }

  /** Brings a panel back after a window reload with the state the webview saved (validated, never trusted). */
  static registerSerializer(ctx: vscode.ExtensionContext): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        panel.webview.options = webviewOptions(ctx);
        RootCausePanel.current?.panel.dispose();
        new RootCausePanel(panel, ctx, undefined, parseRestoredState(state));
      },
    });
  }

  /** A trace finished: the open panel shows it at once, a panel opened later shows it when it starts. */
  static noteTrace(trace: TraceTimeline): void {
    latestTrace = trace;
    RootCausePanel.current?.post({ type: 'trace', trace });
  }

  /** Lets the editor layer share its output channel; otherwise the panel logs to its own. */
  static useLog(channel: vscode.LogOutputChannel): void { sharedLog = channel; }
  /** Where the panel reads the probe settings: the extension's SettingsReader (set once, with the log). */
  static useProbeSettings(read: () => ProbeSettings): void { probeSettingsSource = read; }

  private readonly disposables: vscode.Disposable[] = [];
  private readonly articlesDir: string;
  private articles: ArticleRef[] = [];
  private articleIds = new Set<string>();
  private datasets: DatasetsState = { status: 'loading' };
  private datasetNames = new Set<string>();
  private datasetsLoading: Promise<void> | undefined;
  private probe: ProbeState = { status: 'idle' };
  private probeAbort: AbortController | undefined;
  private report: ProbeReport | null;
  private finding: FindingContext | null;
  /** The article the pane shows; re-sent when the webview reloads. */
  private articleId: string | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly ctx: vscode.ExtensionContext,
    target: PanelTarget | undefined, restored: RestoredPanelState) {
    RootCausePanel.current = this;
    this.articlesDir = path.join(ctx.extensionUri.fsPath, 'media', 'articles');
    this.report = readReport(ctx.workspaceState.get(LAST_REPORT_KEY));
    const savedFinding = parseFindingContext(ctx.workspaceState.get(LAST_FINDING_KEY));
    this.finding = savedFinding.ok ? savedFinding.value : null;
    this.loadArticleList();
    this.articleId = restored.articleId && this.articleIds.has(restored.articleId) ? restored.articleId : undefined;

    panel.title = TITLE;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.post({ type: 'trust', trusted: true })),
    );
    this.applyTarget(target);
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, 'dist', file)).toString();
    return buildPanelHtml({ cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: asset('webview.js'), styleUri: asset('webview.css') });
  }

  private loadArticleList(): void {
    try {
      this.articles = listArticles(this.articlesDir).map(({ id, title }) => ({ id, title }));
    } catch (e) {
      log().error(`panel: cannot list articles in ${this.articlesDir}: ${(e as Error).message}`);
      this.articles = [];
    }
    this.articleIds = new Set(this.articles.map((a) => a.id));
  }

  private applyTarget(target: PanelTarget | undefined): void {
    if (!target) return;
    if (target.report) {
      const report = withVerdicts(target.report);
      this.report = report;
      void this.ctx.workspaceState.update(LAST_REPORT_KEY, report);
      this.post({ type: 'report', report });
    }
    if (target.article && !target.finding) {
      // An explicit article without a finding (rule picker, "Open explanation") must not show an old "Your code" box.
      this.finding = null;
      void this.ctx.workspaceState.update(LAST_FINDING_KEY, undefined);
    }
    if (target.finding) {
      const parsed = parseFindingContext(target.finding);
      if (parsed.ok) {
        this.finding = parsed.value;
        void this.ctx.workspaceState.update(LAST_FINDING_KEY, parsed.value);
      } else {
        log().warn(`panel: ignoring a malformed finding: ${parsed.reason}`);
      }
    }
    const article = target.article ?? (target.finding && isRuleId(target.finding.ruleId) ? ruleMeta(target.finding.ruleId).article : undefined);
    if (article) void this.showArticle(article, target.finding ? 'finding' : 'plain');
  }

  // -------------------------------------------------------------------------------------------
  // Messages

  private post(message: HostMessage): void {
    // Before `ready` the webview drops messages; `ready` re-sends the whole state, so nothing is lost.
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw, { articleIds: this.articleIds, datasetNames: this.datasetNames, traceRows: latestTrace?.rows.length ?? 0 });
    if (!parsed.ok) {
      log().warn(`panel: rejected a message from the webview: ${parsed.reason}`);
      return;
    }
    void this.handle(parsed.value).catch((e: unknown) => log().error(`panel: ${parsed.value.type} failed: ${(e as Error).message}`));
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': return this.sendEverything();
      case 'refreshDatasets': return this.refreshDatasets();
      case 'runProbe': return this.runProbe(message.target);
      case 'cancelProbe': this.probeAbort?.abort(); return;
      case 'openArticle': return this.showArticle(message.id, 'plain');
      case 'revealFinding': return this.revealFinding();
      case 'revealTraceCall': return this.revealTraceCall(message.row);
    }
  }

  /** The webview (re)started: it gets everything the host knows. */
  private async sendEverything(): Promise<void> {
    this.post({ type: 'init', trusted: vscode.workspace.isTrusted, articles: this.articles, overviews: [...OVERVIEW_ARTICLES] });
    this.post({ type: 'datasets', datasets: this.datasets });
    this.post({ type: 'probe', probe: this.probe });
    if (this.report) this.post({ type: 'report', report: this.report });
    this.post({ type: 'trace', trace: latestTrace });
    if (this.articleId) await this.showArticle(this.articleId, this.finding && this.articleId === this.findingArticle() ? 'finding' : 'plain');
    if (this.datasets.status === 'loading' || this.datasets.status === 'error') await this.refreshDatasets();
  }

  private findingArticle(): string | undefined {
    return this.finding && isRuleId(this.finding.ruleId) ? ruleMeta(this.finding.ruleId).article : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Datasets and probes

  private refreshDatasets(): Promise<void> {
    this.datasetsLoading ??= (async () => {
      this.post({ type: 'datasets', datasets: { status: 'loading' } });
      let state: DatasetsState;
      try {
        const datasets = await panelServices.listDatasets({ zfsPath: this.probeSettings().zfsPath });
        state = { status: 'ok', datasets };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        state = isProbeError(e) && e.code === 'NO_ZFS' ? { status: 'no-zfs', message } : { status: 'error', message };
        log().warn(`panel: listing datasets: ${message}`);
      }
      this.datasets = state;
      this.datasetNames = new Set(state.status === 'ok' ? state.datasets.map((d) => d.name) : []);
      this.post({ type: 'datasets', datasets: state });
      if (state.status === 'no-zfs' && !this.articleId) await this.showArticle(OVERVIEW_ARTICLES[0], 'plain');
    })().finally(() => { this.datasetsLoading = undefined; });
    return this.datasetsLoading;
  }

  /** The extension's own settings reader's probe settings (validated once, warned about once), as the command uses them. */
  private probeSettings(): ProbeSettings {
    return probeSettingsSource();
  }

  private setProbe(state: ProbeState): void {
    this.probe = state;
    this.post({ type: 'probe', probe: state });
  }

  private async runProbe(target: string): Promise<void> {
    // The webview disables the button too, but the host is the one that decides.
    if (!vscode.workspace.isTrusted) {
      log().warn('panel: refused to probe in an untrusted workspace');
      this.post({ type: 'trust', trusted: false });
      return;
    }
    if (this.probeAbort) { log().warn('panel: a probe is already running'); return; }
    const abort = new AbortController();
    this.probeAbort = abort;
    const settings = this.probeSettings();
    this.setProbe({ status: 'running', target, step: 'Starting' });
    log().info(`panel: probing ${target}`);
    try {
      const report = await panelServices.runProbe({
        target, signal: abort.signal, ...probeRunOptions(settings),
        onProgress: ({ step, fraction }) => { if (!abort.signal.aborted) this.setProbe({ status: 'running', target, step, fraction }); },
        log: (line) => log().info(`probe: ${line}`),
      });
      this.report = report;
      const left = leftBehindWarning({ report });
      if (left) { log().warn(`panel: ${left}`); void vscode.window.showWarningMessage(left); }
      void this.ctx.workspaceState.update(LAST_REPORT_KEY, report);
      this.post({ type: 'report', report });
      this.setProbe({ status: 'done', target });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const code = isProbeError(e) ? e.code : 'RUNNER_FAILED';
      log().warn(`panel: probe of ${target} ended (${code}): ${message}`);
      const left = leftBehindWarning({ error: e });
      if (left) { log().warn(`panel: ${left}`); void vscode.window.showWarningMessage(left); }
      this.setProbe(code === 'CANCELLED' ? { status: 'cancelled', target } : { status: 'failed', target, code, message });
    } finally {
      this.probeAbort = undefined;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Articles and the user's code

  private async showArticle(id: string, mode: 'plain' | 'finding'): Promise<void> {
    if (!this.articleIds.has(id)) {
      // Articles may have been added since the list was read (development); look once more.
      this.loadArticleList();
      if (!this.articleIds.has(id)) {
        log().warn(`panel: no article "${id}"`);
        this.post({ type: 'articleError', id, message: `There is no article "${id}" in this version of the extension.` });
        return;
      }
    }
    try {
      const article = loadArticle(this.articlesDir, id);
      this.articleId = id;
      let finding: FindingContext | null = null;
      if (mode === 'finding' || (this.finding && id === this.findingArticle())) finding = await this.withCodeLine(this.finding);
      this.post({ type: 'article', article: { id, title: article.title, html: renderMarkdown(article.markdown) }, finding });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log().error(`panel: article ${id}: ${message}`);
      this.post({ type: 'articleError', id, message });
    }
  }

  /** Fills in the code line when the caller gave only file and line, from an allowed file. */
  private async withCodeLine(finding: FindingContext | null): Promise<FindingContext | null> {
    if (!finding || finding.code !== undefined || !finding.file || finding.line === undefined) return finding;
    const doc = await this.allowedDocument(finding.file);
    if (!doc || finding.line >= doc.lineCount) return finding;
    return { ...finding, code: doc.lineAt(finding.line).text };
  }

  /**
   * The finding's file, only if it is inside a workspace folder or already open in the editor:
   * the finding came from the editor layer, but a restored or command-URI finding must not make
   * the panel open arbitrary files.
   */
  private async allowedDocument(file: string): Promise<vscode.TextDocument | undefined> {
    if (!path.isAbsolute(file)) return undefined;
    const uri = vscode.Uri.file(file);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
    if (open) return open;
    if (!vscode.workspace.getWorkspaceFolder(uri)) return undefined;
    try { return await vscode.workspace.openTextDocument(uri); } catch { return undefined; }
  }

  private async revealFinding(): Promise<void> {
    const f = this.finding;
    if (!f?.file) return;
    const doc = await this.allowedDocument(f.file);
    if (!doc) {
      log().warn(`panel: not revealing ${f.file}: it is neither open nor inside a workspace folder`);
      return;
    }
    const line = Math.min(f.line ?? 0, Math.max(0, doc.lineCount - 1));
    const range = doc.lineAt(line).range;
    await vscode.window.showTextDocument(doc, { selection: range, viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  }

  /** Opens the program's own line of a traced call: the host's copy of the row decides the file, never the webview. */
  private async revealTraceCall(row: number): Promise<void> {
    const source = latestTrace?.rows[row]?.source;
    if (!source) return;
    const doc = await this.allowedDocument(source.file);
    if (!doc) {
      log().warn(`panel: not revealing ${source.file}: it is neither open nor inside a workspace folder`);
      return;
    }
    const line = Math.min(Math.max(0, source.line - 1), Math.max(0, doc.lineCount - 1));
    await vscode.window.showTextDocument(doc, { selection: doc.lineAt(line).range, viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  }

  private dispose(): void {
    this.probeAbort?.abort();
    if (RootCausePanel.current === this) RootCausePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/**
 * A report saved without verdicts (an older JSON file, a hand-made one) gets them from the core
 * evaluator, so the panel always says which known issues apply.
 */
function withVerdicts(report: ProbeReport): ProbeReport {
  if (report.verdicts.length > 0) return report;
  try {
    return { ...report, verdicts: evaluate(report) };
  } catch (e) {
    log().warn(`panel: cannot evaluate the report's verdicts: ${(e as Error).message}`);
    return report;
  }
}

/** A stored report is only reused if it still looks like one (an older extension version may have stored it). */
function readReport(value: unknown): ProbeReport | null {
  const r = value as ProbeReport | undefined;
  return r && r.version === 1 && Array.isArray(r.experiments) && Array.isArray(r.verdicts) ? r : null;
}
