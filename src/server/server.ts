// The zfs-dio language server: the analysis core behind LSP, for VS Code and every other editor. It keeps
// the open documents (incremental sync), analyzes them with the same document analyzer and time limits as
// the VS Code extension, and serves diagnostics (pushed, or pulled when the client can pull), hovers and
// quick fixes. A workspace scan keeps closed files' findings as workspace diagnostics.
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, DocumentDiagnosticReportKind, FileChangeType, MessageType,
  ShowMessageNotification, TextDocumentSyncKind,
  type CodeAction, type Connection, type Diagnostic, type InitializeParams, type InitializeResult,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult, Finding, Language, RecordsizeSource } from '../core/types';
import { createDocumentAnalyzer, type DocumentTree } from '../core/analysis/document';
import { DEFAULT_FILE_TIME_LIMIT_MS } from '../core/analysis/budget';
import { languageForFile } from '../core/analysis/languages/index';
import { scanPaths, usableGlobs } from '../core/analysis/scan';
import { loadArticle, articleIdFor } from '../core/knowledge/articles';
import { targetProvenance } from '../core/knowledge/target';
import { findingKey } from '../shared/diagnostics';
import { hoverInputsAt } from './hover';
import { TreeStore, type ContentChange } from './incremental';
import { hoverMarkdown } from '../shared/present';
import { KeyedDebouncer } from './scheduling';
import { analysisSettingsFor, languageForLanguageId, parseSettings, scanExcludeGlobs, type EditorSettings } from '../shared/settings';
import { loadTarget, targetNamesReport } from './target';
import { documentsToRecheck, watchGlobFor, workspaceConfigFor, type WatchedChange } from './workspace';
import {
  AnalysisStoppedNotification, DidChangeSitesNotification, DidGrantWorkspaceTrustNotification, ExplainRequest, RefreshDatasetsRequest, ScanWorkspaceRequest,
  SERVER_COMMANDS, SETTINGS_SECTION, SitesRequest,
  type FileSites, type InitializationOptions, type RefreshDatasetsResult, type ScanWorkspaceResult,
} from '../core/protocol/server';
import {
  articleUri, codeActionsFor, hoverInputsForClient, hoverMarkdownForClient, keyOfDiagnostic, toDiagnostic, type LinkStyle,
} from './convert';
import { version as SERVER_VERSION } from '../../package.json';

/**
 * The time a document's parse, and then its analysis, may take: the command line's limit. The server is
 * its own process, so a slow file holds up only this server's next answers, not the editor.
 */
export const SERVER_FILE_TIME_LIMIT_MS = DEFAULT_FILE_TIME_LIMIT_MS;

/** Language ids that editors other than VS Code send for the same languages. */
const LANGUAGE_ID_ALIASES: Readonly<Record<string, Language>> = { 'c++': 'cpp', cxx: 'cpp', rs: 'rust', golang: 'go', python3: 'python' };

/** The latest analysis of a file: of an open document's `version`, or of the file on disk (`version` null). */
interface Analysed { version: number | null; result: AnalysisResult; findingsByKey: Map<string, Finding>; lines: string[] }

interface OpenDocument {
  doc: TextDocument;
  language: Language | undefined;
  /** Counts this server's own edits, for the syntax tree kept between them (client versions may skip). */
  edits: number;
  analysed?: Analysed;
  running?: { version: number; done: Promise<Analysed | undefined> };
  /** When the text last changed (ms): a pull waits until it has been quiet for zfsDio.debounceMs. */
  changedAt: number;
}

export interface ServerOptions {
  /** The knowledge articles (media/articles); default: next to the bundle. */
  articlesDir?: string;
  /** The scan worker; default: next to the bundle. */
  workerScript?: string;
}

function defaultArticlesDir(): string {
  const candidates = [path.join(__dirname, '..', 'media', 'articles'), path.join(__dirname, 'media', 'articles')];
  if (process.env.ZFS_DIO_ROOT) candidates.push(path.join(process.env.ZFS_DIO_ROOT, 'media', 'articles'));
  return candidates.find((d) => existsSync(d)) ?? candidates[0]!;
}

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}

function splitLines(text: string): string[] { return text.split(/\r\n|\r|\n/); }

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function indexFindings(findings: readonly Finding[]): Map<string, Finding> {
  return new Map(findings.map((f) => [findingKey(f.ruleId, f.range, f.message), f]));
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const analyzer = createDocumentAnalyzer(SERVER_FILE_TIME_LIMIT_MS);
  const documents = new Map<string, OpenDocument>();
  const trees = new TreeStore<DocumentTree>();
  const debouncer = new KeyedDebouncer();
  /** Files analysed by the last workspace scan (by URI), kept while they are closed. */
  const scanned = new Map<string, Analysed>();
  const articlesDir = options.articlesDir ?? defaultArticlesDir();
  let links: LinkStyle = { explainLinks: 'article', articlesDir };
  let roots: string[] = [];
  let settings: EditorSettings = parseSettings(() => undefined).settings;
  let initSettings: Record<string, unknown> | undefined;
  /** InitializationOptions.scanCacheFile. */
  let scanCacheFile: string | undefined;
  let canPull = false;
  let canRefresh = false;
  let canAskConfiguration = false;
  let canShowDocument = false;
  let canFollowFolders = false;
  let canRegisterConfiguration = false;
  let canRegisterWatchers = false;
  /** Whether the client's workspace is trusted; untrusted, no program runs (InitializationOptions.workspaceTrusted). */
  let trusted = true;
  let editorShowsMessages = false;
  let sitesNotifications = false;
  let analysisStoppedNotifications = false;
  /** The client's `files.exclude`, which a workspace scan skips as well (VS Code answers it; other editors do not). */
  let filesExclude: Record<string, unknown> | undefined;
  /** What the last dataset-recordsize lookup found, for zfsDio/refreshDatasets. */
  let datasetsRead: RefreshDatasetsResult = { datasets: 0, skipped: 'no-zfs' };
  /** Documents already reported as too large or as stopped, so each is said once, not once per keystroke. */
  const reportedTooLarge = new Set<string>();
  const reportedStopped = new Set<string>();
  /** Counts settings loads: an analysis started under older settings is discarded. */
  let settingsGeneration = 0;
  let recordsize: RecordsizeSource | undefined;
  let scanning: Promise<ScanWorkspaceResult> | undefined;
  /** Settings arrive after `initialized`; nothing is analysed before they do. */
  let settingsReady: Promise<void> = Promise.resolve();

  const log = (message: string) => connection.console.log(message);
  /** Asks a pulling client to pull again; a client that refuses is only logged (an unhandled rejection would end the server). */
  const refreshDiagnostics = () => {
    if (canPull && canRefresh) connection.languages.diagnostics.refresh().catch((err: unknown) => log(`workspace/diagnostic/refresh failed: ${String(err)}`));
  };

  // ---- settings -------------------------------------------------------------------------------
  async function loadSettings(): Promise<void> {
    let raw: unknown = initSettings;
    let rawFilesExclude: unknown;
    if (canAskConfiguration) {
      try {
        [raw, rawFilesExclude] = await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }, { section: 'files.exclude' }]) as unknown[];
      } catch (err) {
        log(`workspace/configuration failed (${err instanceof Error ? err.message : String(err)}); using the defaults`);
      }
    }
    const section = isRecord(raw) ? raw : {};
    const parsed = parseSettings((key) => key.split('.').reduce<unknown>((o, k) =>
      o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined, section));
    for (const problem of parsed.problems) connection.console.warn(problem);
    let next = parsed.settings;
    if (next.target) {
      const targetSystem = await readTarget(next);
      if (targetSystem) next = { ...next, targetSystem };
    }
    const nextRecordsize = next.useDatasetRecordsize ? await datasetRecordsizes(next) : undefined;
    if (!next.useDatasetRecordsize) datasetsRead = { datasets: 0, skipped: 'disabled' };
    filesExclude = isRecord(rawFilesExclude) ? rawFilesExclude : undefined;
    settings = next;
    recordsize = nextRecordsize;
    settingsGeneration += 1;
  }

  /**
   * Each file's dataset recordsize when ZFS is mounted (as `zfs-dio scan` does); nothing is spawned otherwise,
   * and nothing at all in an untrusted workspace, where `zfs` could be a program the workspace chose.
   */
  async function datasetRecordsizes(next: EditorSettings): Promise<RecordsizeSource | undefined> {
    if (!trusted) { datasetsRead = { datasets: 0, skipped: 'untrusted' }; return undefined; }
    let mountinfo = '';
    try { mountinfo = readFileSync('/proc/self/mountinfo', 'utf8'); } catch { datasetsRead = { datasets: 0, skipped: 'no-zfs' }; return undefined; }
    if (!/ - zfs /.test(mountinfo)) { datasetsRead = { datasets: 0, skipped: 'no-zfs' }; return undefined; }
    const { DatasetRecordsizeCache } = await import('../core/probe/index');
    const cache = new DatasetRecordsizeCache({ zfsPath: next.probe.zfsPath });
    await cache.refresh();
    if (cache.lastError) {
      log(`could not read dataset recordsizes (${cache.lastError.message}); using zfsDio.recordsize`);
      datasetsRead = { datasets: 0, error: cache.lastError.message };
      return undefined;
    }
    datasetsRead = { datasets: cache.size };
    log(`dataset recordsizes: ${cache.size} ZFS mount point(s)`);
    return cache;
  }

  /**
   * `zfsDio.target`: a saved report (a file, relative to the first workspace folder) or a dataset of this
   * machine (read with `zfs get`, so only in a trusted workspace). A bad target is logged and ignored.
   */
  async function readTarget(next: EditorSettings): Promise<EditorSettings['targetSystem']> {
    const value = next.target!;
    if (!trusted && !targetNamesReport(value)) {
      connection.console.warn(`zfsDio.target: the dataset ${value} is read only in a trusted workspace; the findings ignore it`);
      return undefined;
    }
    const root = roots[0];
    try {
      const target = await loadTarget(value, {
        readFile: (file) => readFile(file, 'utf8'),
        describeDataset: async (name) => (await import('../core/probe/index')).describeDataset(name, { zfsPath: next.probe.zfsPath }),
      }, (p) => (path.isAbsolute(p) || !root ? p : path.join(root, p)));
      log(`target: ${target.summary}${targetProvenance(target)}`);
      return target;
    } catch (err) {
      connection.console.warn(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  /** Tells a client that asked for it (the Call Sites view) what a file's sites are now. */
  function sitesChanged(files: readonly FileSites[], removed: readonly string[]): void {
    if (!sitesNotifications || (files.length === 0 && removed.length === 0)) return;
    void connection.sendNotification(DidChangeSitesNotification, { files: [...files], removed: [...removed] });
  }
  const sitesOf = (uri: string, analysed: Analysed): FileSites =>
    ({ uri, version: analysed.version, sites: analysed.result.sites, findings: analysed.result.findings });

  // ---- analysis -------------------------------------------------------------------------------
  function languageOf(uri: string, languageId: string): Language | undefined {
    const file = pathOf(uri);
    const language = languageForLanguageId(languageId) ?? LANGUAGE_ID_ALIASES[languageId] ?? (file ? languageForFile(file) : undefined);
    return language && settings.languages.includes(language) ? language : undefined;
  }

  /** The analysis of the document's current version: the finished one, the running one, or a new one. */
  function analysisOf(entry: OpenDocument): Promise<Analysed | undefined> {
    const uri = entry.doc.uri;
    const version = entry.doc.version;
    debouncer.cancel(uri);
    if (entry.analysed?.version === version) return Promise.resolve(entry.analysed);
    if (entry.running?.version === version) return entry.running.done;
    const done = analyse(entry, version);
    entry.running = { version, done };
    return done;
  }

  async function analyse(entry: OpenDocument, version: number): Promise<Analysed | undefined> {
    await settingsReady;
    const generation = settingsGeneration;
    const uri = entry.doc.uri;
    if (documents.get(uri) !== entry || entry.doc.version !== version) return undefined;
    const text = entry.doc.getText();
    const language = entry.language = languageOf(uri, entry.doc.languageId);
    if (!language || text.length > settings.maxFileSize) {
      if (language && !reportedTooLarge.has(uri)) {
        reportedTooLarge.add(uri);
        log(`skipped ${pathOf(uri) ?? uri}: ${text.length} characters is over zfsDio.maxFileSize (${settings.maxFileSize})`);
      }
      trees.drop(uri);
      if (entry.analysed) { entry.analysed = undefined; sitesChanged([], [uri]); }
      return undefined;
    }
    reportedTooLarge.delete(uri);
    const fileName = pathOf(uri);
    const oldTree = trees.take(uri, entry.edits);
    const edits = entry.edits;
    const started = Date.now();
    try {
      const { result, tree } = await analyzer.analyzeDocument(text, language, analysisSettingsFor(settings), {
        fileName, oldTree, recordsizeSource: recordsize, workspace: workspaceConfigFor(roots, settings.compileCommands),
      });
      // Newest wins: the document changed or closed meanwhile.
      if (documents.get(uri) !== entry || entry.doc.version !== version) { tree?.delete(); return undefined; }
      // The settings changed while it ran: the same text again, under the new settings.
      if (generation !== settingsGeneration) { tree?.delete(); return await analyse(entry, version); }
      if (tree) trees.put(uri, edits, tree);
      if (result.analysisError) connection.console.warn(`analysis of ${fileName ?? uri} was incomplete: ${result.analysisError}`);
      reportStopped(uri, fileName, result.analysisStopped);
      entry.analysed = { version, result, findingsByKey: indexFindings(result.findings), lines: splitLines(text) };
      sitesChanged([sitesOf(uri, entry.analysed)], []);
      log(`analyzed ${fileName ?? uri} v${version} (${language}${oldTree ? ', incremental' : ''}): ${result.sites.length} sites, ${result.findings.length} findings in ${Date.now() - started} ms`);
      return entry.analysed;
    } catch (err) {
      connection.console.error(`analysis of ${fileName ?? uri} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    } finally {
      if (entry.running?.version === version) entry.running = undefined;
    }
  }

  /**
   * An open document whose analysis ran out of time has partial diagnostics, which the user must know: one
   * message per document (the reason is in the log each time); once an analysis completes the next stop says so again.
   */
  function reportStopped(uri: string, fileName: string | undefined, note: string | undefined): void {
    if (!note) { reportedStopped.delete(uri); return; }
    connection.console.warn(`${fileName ?? uri}: ${note}; its diagnostics may be incomplete`);
    if (reportedStopped.has(uri)) return;
    reportedStopped.add(uri);
    const message = `ZFS Direct I/O: ${path.basename(fileName ?? uri)}: ${note}. Its diagnostics may be incomplete.`;
    // The VS Code client offers to show the output, where the server's log is; other editors show the text.
    if (analysisStoppedNotifications) void connection.sendNotification(AnalysisStoppedNotification, { uri, message });
    else void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  }

  function diagnosticsOf(uri: string, analysed: Analysed | undefined): Diagnostic[] {
    if (!analysed) return [];
    const file = pathOf(uri);
    return analysed.result.findings.map((f) => toDiagnostic(f, uri, file, analysed.lines[f.range.start.line], links));
  }

  /** Push mode: analyse after `delayMs` of quiet and publish, unless a newer version came meanwhile. */
  function schedule(entry: OpenDocument, delayMs: number): void {
    if (canPull) return;
    debouncer.schedule(entry.doc.uri, delayMs, () => {
      const version = entry.doc.version;
      void analysisOf(entry).then((analysed) => {
        if (documents.get(entry.doc.uri) !== entry || entry.doc.version !== version) return;
        void connection.sendDiagnostics({ uri: entry.doc.uri, version, diagnostics: diagnosticsOf(entry.doc.uri, analysed) });
      });
    });
  }

  function reanalyseAll(): void {
    for (const entry of documents.values()) {
      entry.language = languageOf(entry.doc.uri, entry.doc.languageId);
      entry.analysed = undefined;
      entry.running = undefined;
      schedule(entry, 0);
    }
    refreshDiagnostics();
  }

  /** A closed file the scan had: analysed again from disk, so its findings stay and are current. */
  async function analyseFromDisk(uri: string): Promise<Analysed | undefined> {
    const file = pathOf(uri);
    const language = file ? languageForFile(file) : undefined;
    if (!file || !language || !settings.languages.includes(language)) return undefined;
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { return undefined; }
    if (text.length > settings.maxFileSize) return undefined;
    const { result, tree } = await analyzer.analyzeDocument(text, language, analysisSettingsFor(settings),
      { fileName: file, recordsizeSource: recordsize, workspace: workspaceConfigFor(roots, settings.compileCommands) });
    tree?.delete();
    return { version: null, result, findingsByKey: indexFindings(result.findings), lines: splitLines(text) };
  }

  // ---- workspace scan -------------------------------------------------------------------------
  async function scanWorkspace(signal?: AbortSignal, onProgress?: (filesDone: number, filesQueued: number) => void): Promise<ScanWorkspaceResult> {
    await settingsReady;
    const { usable: exclude, invalid } = usableGlobs(scanExcludeGlobs(settings.exclude, filesExclude));
    for (const bad of invalid) connection.console.warn(`scan: ignoring the exclude pattern '${bad.pattern}': ${bad.reason}`);
    const ignoredExcludes = invalid.map((b) => ({ pattern: b.pattern, reason: b.reason }));
    if (roots.length === 0 || settings.languages.length === 0) {
      return { files: 0, filesWithSites: 0, sites: 0, findings: 0, skipped: 0, durationMs: 0, cancelled: false, ignoredExcludes };
    }
    const result = await scanPaths(roots, {
      settings: analysisSettingsFor(settings), exclude, languages: settings.languages, maxFileSize: settings.maxFileSize,
      recordsizeSource: recordsize, workspace: { ...workspaceConfigFor(roots, settings.compileCommands)!, snapshot: true },
      ...(options.workerScript ? { workerScript: options.workerScript } : {}), signal,
      ...(scanCacheFile && cacheFolderReady(scanCacheFile) ? { cache: scanCacheFile } : {}),
      ...(onProgress ? { onProgress: ({ filesDone, filesQueued }: { filesDone: number; filesQueued: number }) => onProgress(filesDone, filesQueued) } : {}),
    });
    if (result.cache?.problem) connection.console.warn(`scan: ${result.cache.problem}`);
    for (const s of result.skipped) if (s.incomplete) connection.console.warn(`scan: skipped ${s.file}: ${s.reason}`);
    for (const note of result.notes) (note.incomplete ? connection.console.warn : connection.console.log).call(connection.console, `scan: ${note.file}: ${note.message}`);
    const seen = new Set<string>();
    const changedSites: FileSites[] = [];
    const removedSites: string[] = [];
    for (const f of result.files) {
      const abs = path.resolve(f.file);
      const uri = documentsUriFor(abs);
      seen.add(uri);
      let lines: string[] = [];
      if (f.findings.length > 0) { try { lines = splitLines(readFileSync(abs, 'utf8')); } catch { lines = []; } }
      scanned.set(uri, { version: null, result: { language: f.language, sites: f.sites, findings: f.findings, hadSyntaxErrors: false },
        findingsByKey: indexFindings(f.findings), lines });
      if (!documents.has(uri)) {
        if (!canPull) void connection.sendDiagnostics({ uri, diagnostics: diagnosticsOf(uri, scanned.get(uri)) });
        changedSites.push(sitesOf(uri, scanned.get(uri)!));
      }
    }
    // A cancelled scan saw only part of the tree, so earlier results for the rest stay.
    if (!result.stats.cancelled) {
      for (const uri of [...scanned.keys()]) {
        if (seen.has(uri)) continue;
        scanned.delete(uri);
        if (!documents.has(uri)) {
          if (!canPull) void connection.sendDiagnostics({ uri, diagnostics: [] });
          removedSites.push(uri);
        }
      }
    }
    sitesChanged(changedSites, removedSites);
    refreshDiagnostics();
    const s = result.stats;
    const cached = result.cache ? `, ${s.filesFromCache} from the cache` : '';
    log(`scan ${s.cancelled ? 'cancelled' : 'done'}: ${s.sites} sites, ${s.findings} findings in ${s.filesWithSites} files (${s.filesConsidered} checked${cached}, ${s.durationMs} ms)`);
    return { files: s.filesConsidered, filesWithSites: s.filesWithSites, sites: s.sites, findings: s.findings,
      skipped: s.filesSkipped, durationMs: s.durationMs, cancelled: s.cancelled, incomplete: s.filesIncomplete, ignoredExcludes,
      ...(result.cache ? { fromCache: s.filesFromCache } : {}) };
  }

  /** Creates the cache file's folder when missing; false (and a warning) when it cannot, and the scan goes on without. */
  function cacheFolderReady(file: string): boolean {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      return true;
    } catch (err) {
      connection.console.warn(`scan: no scan cache: cannot create ${path.dirname(file)}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /** The URI an open document has for this path, else the path's own file: URI. */
  function documentsUriFor(abs: string): string {
    for (const uri of documents.keys()) if (pathOf(uri) === abs) return uri;
    return pathToFileURL(abs).href;
  }

  function startScan(signal?: AbortSignal, onProgress?: (filesDone: number, filesQueued: number) => void): Promise<ScanWorkspaceResult> {
    // A second request while one runs waits for the same scan: two would race on the same results. Its
    // progress is reported to the request that started the scan.
    scanning ??= scanWorkspace(signal, onProgress).finally(() => { scanning = undefined; });
    return scanning;
  }

  // ---- lifecycle ------------------------------------------------------------------------------
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canPull = caps.textDocument?.diagnostic !== undefined;
    canRefresh = caps.workspace?.diagnostics?.refreshSupport === true;
    canAskConfiguration = caps.workspace?.configuration === true;
    canShowDocument = caps.window?.showDocument?.support === true;
    canFollowFolders = caps.workspace?.workspaceFolders === true;
    canRegisterConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canRegisterWatchers = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    links = { explainLinks: init.explainLinks === 'command' ? 'command' : 'article', articlesDir };
    if (init.settings && typeof init.settings === 'object') initSettings = init.settings;
    trusted = init.workspaceTrusted !== false;
    editorShowsMessages = init.editorShowsDiagnosticMessages === true;
    sitesNotifications = init.sitesNotifications === true;
    analysisStoppedNotifications = init.analysisStoppedNotifications === true;
    scanCacheFile = typeof init.scanCacheFile === 'string' && path.isAbsolute(init.scanCacheFile) ? init.scanCacheFile : undefined;
    const folders = params.workspaceFolders?.map((f) => pathOf(f.uri)).filter((p): p is string => p !== undefined);
    const rootPath = params.rootUri ? pathOf(params.rootUri) : params.rootPath ?? undefined;
    roots = folders?.length ? folders : rootPath ? [rootPath] : [];
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [SERVER_COMMANDS.scanWorkspace, SERVER_COMMANDS.showArticle] },
        ...(canPull ? { diagnosticProvider: { identifier: 'zfs-dio', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'zfs-dio', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    settingsReady = loadSettings();
    if (canRegisterConfiguration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: [SETTINGS_SECTION, 'files.exclude'] })
        .catch(() => { /* the client sends didChangeConfiguration unasked, or never */ });
    }
    // Changes on disk to the analysed languages' files and to the files that say how they are built
    // (compile_commands.json, Cargo.toml, go.mod) re-check the open documents that read them.
    if (canRegisterWatchers) {
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: watchGlobFor(analyzer.extensions) }] })
        .catch((err: unknown) => log(`could not watch the workspace files (${String(err)}); changes on disk are seen when a document changes`));
    }
    if (canFollowFolders) connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => pathOf(f.uri)));
      roots = [...roots.filter((r) => !removed.has(r)), ...e.added.map((f) => pathOf(f.uri)).filter((p): p is string => p !== undefined)];
      reanalyseAll();
    });
  });
  connection.onDidChangeConfiguration(() => {
    settingsReady = loadSettings();
    void settingsReady.then(reanalyseAll);
  });

  connection.onNotification(DidGrantWorkspaceTrustNotification, () => {
    if (trusted) return;
    trusted = true;
    log('workspace trusted: dataset recordsizes and target datasets are read now');
    settingsReady = loadSettings();
    void settingsReady.then(reanalyseAll);
  });

  connection.onRequest(RefreshDatasetsRequest, async () => {
    settingsReady = loadSettings();
    await settingsReady;
    reanalyseAll();
    return datasetsRead;
  });

  // ---- documents ------------------------------------------------------------------------------
  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    const entry: OpenDocument = { doc: TextDocument.create(t.uri, t.languageId, t.version, t.text), language: languageOf(t.uri, t.languageId), edits: 0, changedAt: 0 };
    documents.set(t.uri, entry);
    trees.drop(t.uri);
    schedule(entry, 0);
  });

  connection.onDidChangeTextDocument(({ textDocument: { uri, version }, contentChanges }) => {
    const entry = documents.get(uri);
    if (!entry || contentChanges.length === 0) return;
    // Each change is applied in turn, so each one's offsets are those of the text the previous one left.
    const treeChanges: ContentChange[] = [];
    let wholeText = false;
    for (const change of contentChanges) {
      if ('range' in change) {
        const rangeOffset = entry.doc.offsetAt(change.range.start);
        const rangeLength = entry.doc.offsetAt(change.range.end) - rangeOffset;
        // offsetAt clamps a position past the end; the clamped position is the one the tree must see too.
        const range = { start: entry.doc.positionAt(rangeOffset), end: entry.doc.positionAt(rangeOffset + rangeLength) };
        treeChanges.push({ range, rangeOffset, rangeLength, text: change.text });
      } else wholeText = true;
      TextDocument.update(entry.doc, [change], version);
    }
    entry.edits += 1;
    entry.changedAt = Date.now();
    if (wholeText) trees.drop(uri);
    else trees.applyChanges(uri, entry.edits, treeChanges);
    schedule(entry, settings.debounceMs);
  });

  connection.onDidSaveTextDocument(({ textDocument: { uri } }) => {
    const entry = documents.get(uri);
    if (entry) schedule(entry, 0);
  });

  connection.onDidCloseTextDocument(({ textDocument: { uri } }) => {
    debouncer.cancel(uri);
    trees.drop(uri);
    const had = documents.get(uri)?.analysed !== undefined;
    documents.delete(uri);
    reportedTooLarge.delete(uri);
    reportedStopped.delete(uri);
    if (!scanned.has(uri)) {
      if (!canPull) void connection.sendDiagnostics({ uri, diagnostics: [] });
      if (had) sitesChanged([], [uri]);
      return;
    }
    // A file of the workspace scan keeps its findings once closed, as they are on disk now.
    void analyseFromDisk(uri).then((analysed) => {
      if (documents.has(uri)) return;
      if (analysed) scanned.set(uri, analysed); else scanned.delete(uri);
      sitesChanged(analysed ? [sitesOf(uri, analysed)] : [], analysed ? [] : [uri]);
      if (!canPull) void connection.sendDiagnostics({ uri, diagnostics: diagnosticsOf(uri, analysed) });
      else refreshDiagnostics();
    }, (err: unknown) => connection.console.error(`analysis of ${pathOf(uri) ?? uri} after it closed failed: ${String(err)}`));
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const watched: WatchedChange[] = changes.flatMap((c) => {
      const p = pathOf(c.uri);
      return p ? [{ path: p, kind: c.type === FileChangeType.Created ? 'created' as const : c.type === FileChangeType.Deleted ? 'deleted' as const : 'changed' as const }] : [];
    });
    analyzer.workspaceFilesChanged(watched.map((w) => w.path));
    const keys = documentsToRecheck(watched, [...documents.values()].map((e) => ({ key: e.doc.uri, workspaceFiles: e.analysed?.result.workspaceFiles })));
    for (const key of keys) {
      const entry = documents.get(key);
      if (!entry) continue;
      entry.analysed = undefined;
      schedule(entry, 0);
    }
    if (keys.length) refreshDiagnostics();
  });

  // ---- diagnostics (pull) ---------------------------------------------------------------------
  connection.languages.diagnostics.on(async ({ textDocument: { uri } }, token) => {
    const entry = documents.get(uri);
    if (!entry) return { kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(uri, scanned.get(uri)) };
    // A client pulls after every change; the analysis waits for a pause in typing (zfsDio.debounceMs).
    for (let quiet = entry.changedAt + settings.debounceMs - Date.now(); quiet > 0 && !token.isCancellationRequested;
      quiet = entry.changedAt + settings.debounceMs - Date.now()) await delay(quiet);
    // An edit that arrives while the analysis runs makes it stale: the answer is for the newest text.
    let analysed = await analysisOf(entry);
    while (!analysed && documents.get(uri) === entry && entry.analysed?.version !== entry.doc.version && entry.running) analysed = await analysisOf(entry);
    return { kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(uri, analysed ?? entry.analysed) };
  });

  // A client pulls workspace diagnostics again every few seconds: a file whose analysis has not changed since
  // the client's last report is answered `unchanged` (an Analysed is replaced, never modified, so it is its own id).
  const resultIds = new WeakMap<Analysed, string>();
  let nextResultId = 0;
  const resultIdOf = (analysed: Analysed) => {
    let id = resultIds.get(analysed);
    if (id === undefined) { id = `r${++nextResultId}`; resultIds.set(analysed, id); }
    return id;
  };
  connection.languages.diagnostics.onWorkspace(async ({ previousResultIds }) => {
    const previous = new Map(previousResultIds.map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [uri, analysed] of scanned) {
      if (documents.has(uri)) continue;   // an open document's diagnostics are its own pull's
      const resultId = resultIdOf(analysed);
      items.push(previous.get(uri) === resultId
        ? { uri, version: null, kind: DocumentDiagnosticReportKind.Unchanged, resultId }
        : { uri, version: null, kind: DocumentDiagnosticReportKind.Full, resultId, items: diagnosticsOf(uri, analysed) });
    }
    return { items };
  });

  // ---- hover and code actions -----------------------------------------------------------------
  connection.onHover(async ({ textDocument: { uri }, position }) => {
    const entry = documents.get(uri);
    const analysed = entry ? await analysisOf(entry) : undefined;
    if (!entry || !analysed) return null;
    const at = hoverInputsAt(analysed.result, position.line, position.character, pathOf(uri), (line) => analysed.lines[line], editorShowsMessages);
    if (!at) return null;
    const inputs = hoverInputsForClient(at.inputs, links);
    return {
      contents: { kind: 'markdown', value: hoverMarkdownForClient(hoverMarkdown(inputs), inputs, links) },
      range: { start: { line: at.range.start.line, character: at.range.start.column }, end: { line: at.range.end.line, character: at.range.end.column } },
    };
  });

  connection.onCodeAction(async ({ textDocument: { uri }, context }) => {
    if (context.only && !context.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
    const entry = documents.get(uri);
    // Fix ranges are only valid for the text they were computed from.
    const analysed = entry ? await analysisOf(entry) : undefined;
    if (!entry || !analysed || analysed.version !== entry.doc.version) return [];
    const actions: CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const key = keyOfDiagnostic(diagnostic);
      const finding = key ? analysed.findingsByKey.get(key) : undefined;
      if (!finding) continue;
      actions.push(...codeActionsFor(finding, diagnostic, uri, pathOf(uri), analysed.lines[finding.range.start.line], links));
    }
    return actions;
  });

  connection.onExecuteCommand(async ({ command, arguments: args }, token) => {
    if (command === SERVER_COMMANDS.scanWorkspace) {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return startScan(abort.signal);
    }
    if (command === SERVER_COMMANDS.showArticle) {
      const id = typeof args?.[0] === 'string' ? args[0] : undefined;
      if (!id) return null;
      const uri = articleUri(articlesDir, id);
      const shown = canShowDocument ? await connection.window.showDocument({ uri }).then((r) => r.success, () => false) : false;
      if (!shown) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `${id}: ${pathOf(uri) ?? uri}` });
      return { uri };
    }
    return null;
  });

  // ---- custom requests ------------------------------------------------------------------------
  connection.onRequest(SitesRequest, async ({ uri }) => {
    const files: FileSites[] = [];
    const add = (u: string, analysed: Analysed | undefined) => {
      if (analysed) files.push({ uri: u, version: analysed.version, sites: analysed.result.sites, findings: analysed.result.findings });
    };
    if (uri !== undefined) {
      const entry = documents.get(uri);
      add(uri, entry ? await analysisOf(entry) : scanned.get(uri));
      return { files };
    }
    for (const [u, entry] of documents) add(u, await analysisOf(entry));
    for (const [u, analysed] of scanned) if (!documents.has(u)) add(u, analysed);
    return { files };
  });

  connection.onRequest(ExplainRequest, ({ id }) => {
    const article = loadArticle(articlesDir, articleIdFor(String(id)));
    return { id: article.id, title: article.title, markdown: article.markdown, uri: articleUri(articlesDir, article.id) };
  });

  connection.onRequest(ScanWorkspaceRequest, (params, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    // Without a workDoneToken in the params the reporter sends nothing.
    const workDone = connection.window.attachWorkDoneProgress(params?.workDoneToken);
    workDone.begin('Scanning workspace', 0, undefined, true);
    let lastPercent = -1;
    return startScan(abort.signal, (done, queued) => {
      const percent = queued > 0 ? Math.floor((100 * done) / queued) : 0;
      if (percent === lastPercent) return;   // one message per percent, not one per file
      lastPercent = percent;
      workDone.report(percent, `${done} of ${queued} files`);
    }).finally(() => workDone.done());
  });

  connection.onShutdown(() => {
    debouncer.cancelAll();
    trees.dropAll();
  });

  connection.listen();
}

