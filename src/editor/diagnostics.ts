// Diagnostics adapter: analyzes open documents on open, change (debounced) and save, and publishes the
// core's findings as VS Code diagnostics. It also holds the latest result per document for the hover,
// the code actions and the sites view. Decisions (what is a finding, its severity) stay in the core.
import * as vscode from 'vscode';
import path from 'node:path';
import type { AnalysisResult, Finding, Language, Severity } from '../core/types';
import { DIAGNOSTIC_SOURCE, explainArgsFor, explainCommandUri, findingKey } from './diagnostics-logic';
import { KeyedDebouncer, LatestOnly } from './scheduling-logic';
import { TreeStore } from './incremental-logic';
import { analysisSettingsFor, languageForLanguageId } from './settings-logic';
import type { EditorContext } from './context';
import type { AnalyzerTree } from './analyzer';
import { documentsToRecheck, type WatchedChange } from './workspace-logic';

const SEVERITY: Readonly<Record<Severity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The latest analysis of one document (or of one file from a workspace scan). */
export interface DocumentResult {
  uri: vscode.Uri;
  /** Document version analyzed; undefined for results read from disk by a workspace scan. */
  version: number | undefined;
  result: AnalysisResult;
  findingsByKey: Map<string, Finding>;
}

export function toVsRange(r: { start: { line: number; column: number }; end: { line: number; column: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);
}

/** Builds the diagnostic for a finding; `lineText` is the source line, carried into the explanation link. */
export function toDiagnostic(finding: Finding, uri: vscode.Uri, lineText: string | undefined): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVsRange(finding.range), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  const file = uri.scheme === 'file' ? uri.fsPath : undefined;
  diagnostic.code = {
    value: finding.ruleId,
    target: vscode.Uri.parse(explainCommandUri(explainArgsFor(finding, file, lineText))),
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) =>
      new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toVsRange(r.range)), r.message));
  }
  return diagnostic;
}

export function indexFindings(findings: readonly Finding[]): Map<string, Finding> {
  return new Map(findings.map((f) => [findingKey(f.ruleId, f.range, f.message), f]));
}

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly results = new Map<string, DocumentResult>();
  private readonly debouncer = new KeyedDebouncer();
  private readonly latest = new LatestOnly();
  private readonly trees = new TreeStore<AnalyzerTree>();
  /** Documents already reported as too large, so the log gets one line per document, not one per keystroke. */
  private readonly reportedTooLarge = new Set<string>();
  /** Documents whose latest analysis ran out of time and that were already warned about. */
  private readonly reportedStopped = new Set<string>();
  private readonly changed = new vscode.EventEmitter<DocumentResult | { uri: vscode.Uri; removed: true }>();
  /** Fires when a document's result is replaced or removed (the sites view listens). */
  readonly onDidChangeResult = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Files whose diagnostics came from a workspace scan; they keep diagnostics after their editor closes. */
  private readonly scannedFiles = new Set<string>();

  constructor(private readonly ctx: EditorContext) {
    this.disposables.push(
      this.collection, this.changed,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidSaveTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onClose(doc)),
      ctx.settings.onDidChange(() => this.reanalyzeAll()),
      ctx.workspace.onDidChangeFiles((changes) => void this.workspaceFilesChanged(changes)),
      ctx.workspace.onDidReconfigure(() => this.reanalyzeAll()),
    );
  }

  /**
   * Files changed on disk: the index forgets them, and the open documents whose analysis read one
   * (a header they include, say) are analysed again, at once.
   */
  async workspaceFilesChanged(changes: readonly WatchedChange[]): Promise<void> {
    const analyzer = await this.ctx.analyzer();
    analyzer.workspaceFilesChanged(changes.map((c) => c.path));
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const documents = [...this.results.values()].filter((r) => open.has(r.uri.toString()))
      .map((r) => ({ key: r.uri.toString(), workspaceFiles: r.result.workspaceFiles }));
    const keys = documentsToRecheck(changes, documents);
    if (keys.length) this.ctx.log.trace(`${changes.length} file change(s) on disk: analysing ${keys.length} open document(s) again`);
    for (const key of keys) this.schedule(open.get(key)!, 0);
  }

  /** Analyzes the documents that were already open at activation. */
  analyzeOpenDocuments(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The latest result for the document, only if it matches the document's current text. */
  resultFor(doc: vscode.TextDocument): DocumentResult | undefined {
    const r = this.results.get(doc.uri.toString());
    return r && r.version === doc.version ? r : undefined;
  }

  allResults(): IterableIterator<DocumentResult> { return this.results.values(); }

  /** Re-analyzes every open document (settings or dataset recordsizes changed). */
  reanalyzeAll(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (this.languageOf(doc)) this.schedule(doc, 0);
      else this.remove(doc.uri);
    }
  }

  /** Publishes results for a file read from disk by the workspace scan (open documents keep their live result). */
  publishScanned(uri: vscode.Uri, result: AnalysisResult, lines: readonly string[] | undefined): void {
    const key = uri.toString();
    this.scannedFiles.add(key);
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) return;
    this.publish({ uri, version: undefined, result, findingsByKey: indexFindings(result.findings) }, (line) => lines?.[line]);
  }

  /** Forgets scan results for files no longer in the workspace scan. */
  clearScanned(keep: ReadonlySet<string>): void {
    for (const key of [...this.scannedFiles]) {
      if (keep.has(key)) continue;
      this.scannedFiles.delete(key);
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) this.remove(vscode.Uri.parse(key));
    }
  }

  private languageOf(doc: vscode.TextDocument): Language | undefined {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return undefined;
    const lang = languageForLanguageId(doc.languageId);
    return lang && this.ctx.settings.settings.languages.includes(lang) ? lang : undefined;
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;   // dirty-state-only events
    const key = e.document.uri.toString();
    this.trees.applyChanges(key, e.document.version, e.contentChanges);
    this.schedule(e.document, this.ctx.settings.settings.debounceMs);
  }

  private onClose(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.debouncer.cancel(key);
    this.latest.forget(key);
    this.trees.drop(key);
    this.reportedTooLarge.delete(key);
    this.reportedStopped.delete(key);
    if (this.scannedFiles.has(key) && doc.uri.scheme === 'file') void this.reanalyzeFromDisk(doc.uri);
    else this.remove(doc.uri);
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    const key = doc.uri.toString();
    if (!this.languageOf(doc)) return;
    this.debouncer.schedule(key, delayMs, () => { void this.analyze(doc); });
  }

  private async analyze(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const language = this.languageOf(doc);
    if (!language || doc.isClosed) return;
    const { settings } = this.ctx.settings;
    const text = doc.getText();
    if (text.length > settings.maxFileSize) {
      if (!this.reportedTooLarge.has(key)) {
        this.reportedTooLarge.add(key);
        this.ctx.log.info(`skipped ${doc.uri.fsPath || key}: ${text.length} characters is over zfsDio.maxFileSize (${settings.maxFileSize})`);
      }
      this.trees.drop(key);
      this.remove(doc.uri);
      return;
    }
    this.reportedTooLarge.delete(key);

    const version = doc.version;
    const ticket = this.latest.begin(key);
    const oldTree = this.trees.take(key, version);
    const started = Date.now();
    try {
      const fileName = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
      const recordsize = (fileName && this.ctx.recordsize.recordsizeFor(fileName)) || settings.recordsize;
      const analyzer = await this.ctx.analyzer();
      this.ctx.workspace.watch(analyzer.extensions);
      const { result, tree } = await analyzer.analyzeDocument(text, language, analysisSettingsFor(settings), {
        fileName, oldTree, recordsizeSource: this.ctx.recordsize, workspace: this.ctx.workspace.config(),
      });
      // Newest wins: drop the result if the document changed, closed, or a newer analysis started meanwhile.
      if (!this.latest.isCurrent(key, ticket) || doc.isClosed || doc.version !== version) {
        tree?.delete();
        return;
      }
      if (tree) this.trees.put(key, version, tree);
      if (result.analysisError) this.ctx.log.warn(`analysis of ${fileName ?? key} was incomplete: ${result.analysisError}`);
      this.reportStopped(doc, result.analysisStopped);
      this.publish({ uri: doc.uri, version, result, findingsByKey: indexFindings(result.findings) }, (line) =>
        line < doc.lineCount ? doc.lineAt(line).text : undefined);
      this.ctx.log.trace(`analyzed ${fileName ?? key} v${version} (${language}, recordsize ${recordsize}${oldTree ? ', incremental' : ''}): ${result.sites.length} sites, ${result.findings.length} findings in ${Date.now() - started} ms`);
    } catch (err) {
      if (!this.latest.isCurrent(key, ticket)) return;
      this.ctx.log.error(`analysis of ${doc.uri.fsPath || key} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }

  /**
   * An open document whose analysis ran out of time: its diagnostics are partial, which the user must
   * know. One warning per document (with the reason in the output channel), not one per keystroke;
   * once an analysis completes again the next stop warns again.
   */
  private reportStopped(doc: vscode.TextDocument, note: string | undefined): void {
    const key = doc.uri.toString();
    if (!note) { this.reportedStopped.delete(key); return; }
    const name = doc.uri.fsPath || key;
    this.ctx.log.warn(`${name}: ${note}`);
    if (this.reportedStopped.has(key)) return;
    this.reportedStopped.add(key);
    void vscode.window.showWarningMessage(`ZFS Direct I/O: ${path.basename(name)}: ${note}. Its diagnostics may be incomplete.`, 'Show Output')
      .then((choice) => { if (choice === 'Show Output') this.ctx.log.show(true); });
  }

  private async reanalyzeFromDisk(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    try {
      const analyzer = await this.ctx.analyzer();
      const { settings } = this.ctx.settings;
      const language = analyzer.languageForFile(uri.fsPath);
      if (language && !settings.languages.includes(language)) { this.remove(uri); return; }
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (!language || bytes.byteLength > settings.maxFileSize) { this.remove(uri); return; }
      const text = new TextDecoder('utf-8').decode(bytes);
      const { result, tree } = await analyzer.analyzeDocument(text, language, analysisSettingsFor(settings),
        { fileName: uri.fsPath, recordsizeSource: this.ctx.recordsize, workspace: this.ctx.workspace.config() });
      tree?.delete();
      // Reopened meanwhile: the live analysis owns it now.
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) return;
      const lines = text.split(/\r\n|\r|\n/);
      this.publish({ uri, version: undefined, result, findingsByKey: indexFindings(result.findings) }, (line) => lines[line]);
    } catch (err) {
      this.ctx.log.warn(`could not re-read ${uri.fsPath} after it closed: ${err instanceof Error ? err.message : String(err)}`);
      this.remove(uri);
    }
  }

  private publish(entry: DocumentResult, lineText: (line: number) => string | undefined): void {
    this.results.set(entry.uri.toString(), entry);
    this.collection.set(entry.uri, entry.result.findings.map((f) => toDiagnostic(f, entry.uri, lineText(f.range.start.line))));
    this.changed.fire(entry);
  }

  private remove(uri: vscode.Uri): void {
    const key = uri.toString();
    this.debouncer.cancel(key);
    this.latest.forget(key);
    this.trees.drop(key);
    const had = this.results.delete(key);
    this.collection.delete(uri);
    if (had) this.changed.fire({ uri, removed: true });
  }

  dispose(): void {
    this.debouncer.cancelAll();
    this.trees.dropAll();
    for (const d of this.disposables) d.dispose();
  }
}
