// The messages between the zfs-dio language server and its clients beyond plain LSP, declared once: the
// server (src/server/) and every client (the VS Code extension, tests, other editors' configuration) import
// these names and shapes. No editor API here.
import { NotificationType, RequestType, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { Finding, Site } from '../types';

/** The settings section the server asks for with workspace/configuration: the VS Code extension's `zfsDio.*`. */
export const SETTINGS_SECTION = 'zfsDio';

/**
 * What a client may pass as `initializationOptions`. `explainLinks`: where a diagnostic's code and a hover's
 * "Explain" link lead: `command` (the VS Code extension's `zfsDio.explainRule`, which opens the root-cause
 * panel) or `article` (the rule's markdown article as a file: URI, for editors without that command; the
 * default). `settings`: the `zfsDio` settings for a client that does not answer workspace/configuration.
 */
export interface InitializationOptions {
  explainLinks?: 'command' | 'article';
  settings?: Record<string, unknown>;
  /**
   * The client shows a diagnostic's message in its own hover (VS Code does), so the server's hover leaves it
   * out instead of saying it twice. Default false: other editors' hovers show only what the server sends.
   */
  editorShowsDiagnosticMessages?: boolean;
  /**
   * false: the workspace is not trusted (VS Code's Restricted Mode). The server then runs no program at all
   * (no `zfs` for dataset recordsizes or a target dataset) until zfsDio/didGrantWorkspaceTrust. Default true:
   * editors without workspace trust leave it out.
   */
  workspaceTrusted?: boolean;
  /** true: the server sends zfsDio/didChangeSites whenever a file's sites change (the VS Code Call Sites view). */
  sitesNotifications?: boolean;
  /** true: an analysis that stopped early is said with zfsDio/analysisStopped instead of window/showMessage. */
  analysisStoppedNotifications?: boolean;
  /**
   * An absolute file where zfsDio/scanWorkspace keeps each file's result, as `zfs-dio scan --cache` does, so a
   * second scan of unchanged files parses nothing (its folder is created when missing). The VS Code client
   * passes a file in the extension's storage for this workspace. Absent: no cache.
   */
  scanCacheFile?: string;
}

/** What a diagnostic's `data` carries, so a code action finds its finding again. */
export interface DiagnosticData { key: string }

/** The sites and findings of one file, as the server's latest analysis (open document or workspace scan) has them. */
export interface FileSites { uri: string; version: number | null; sites: Site[]; findings: Finding[] }

/** `zfsDio/sites`: one file's sites (`uri`), or every file the server knows (no `uri`). */
export interface SitesParams { uri?: string }
export interface SitesResult { files: FileSites[] }
export const SitesRequest = new RequestType<SitesParams, SitesResult, void>('zfsDio/sites');

/** `zfsDio/explain`: the knowledge article of a rule (`ZDIO001`) or a known issue (`openzfs#16958`). */
export interface ExplainParams { id: string }
export interface ExplainResult { id: string; title: string; markdown: string; uri: string }
export const ExplainRequest = new RequestType<ExplainParams, ExplainResult, void>('zfsDio/explain');

/** `zfsDio/scanWorkspace`: scans the workspace folders; the findings of closed files stay as workspace diagnostics. */
export interface ScanWorkspaceResult {
  files: number; filesWithSites: number; sites: number; findings: number; skipped: number; durationMs: number; cancelled: boolean;
  /** Files that could not be read or analysed completely (each is named in the server's log). */
  incomplete?: number;
  /** Files whose result came from the scan cache (scanCacheFile), unread and unparsed. */
  fromCache?: number;
  /** Exclude patterns (zfsDio.exclude, files.exclude) that could not be used, and why; the scan went on without them. */
  ignoredExcludes?: { pattern: string; reason: string }[];
}
/**
 * With a `workDoneToken`, the server reports the scan's progress on it (`$/progress`, the message "N of M files"
 * and a percentage), as LSP's work-done progress does for the standard requests.
 */
export type ScanWorkspaceParams = WorkDoneProgressParams;
export const ScanWorkspaceRequest = new RequestType<ScanWorkspaceParams | null, ScanWorkspaceResult, void>('zfsDio/scanWorkspace');

/** workspace/executeCommand commands, for editors that run server commands but send no custom requests. */
export const SERVER_COMMANDS = {
  /** Same as zfsDio/scanWorkspace. */
  scanWorkspace: 'zfsDio.server.scanWorkspace',
  /** Arguments `[ruleId]`: asks the client to show the rule's article (window/showDocument). */
  showArticle: 'zfsDio.server.showArticle',
} as const;

/** `zfsDio/didChangeSites` (server to client, when asked for with `sitesNotifications`): files analysed again, and files forgotten. */
export interface DidChangeSitesParams { files: FileSites[]; removed: string[] }
export const DidChangeSitesNotification = new NotificationType<DidChangeSitesParams>('zfsDio/didChangeSites');

/**
 * `zfsDio/analysisStopped` (server to client, when asked for with `analysisStoppedNotifications`): a document's analysis
 * stopped early, so its diagnostics may be incomplete. Other clients get the same text as window/showMessage.
 */
export interface AnalysisStoppedParams { uri: string; message: string }
export const AnalysisStoppedNotification = new NotificationType<AnalysisStoppedParams>('zfsDio/analysisStopped');

/** `zfsDio/didGrantWorkspaceTrust` (client to server): the user trusted the workspace; programs may run now. */
export const DidGrantWorkspaceTrustNotification = new NotificationType<Record<string, never> | null>('zfsDio/didGrantWorkspaceTrust');

/** `zfsDio/refreshDatasets`: reads the dataset recordsizes again and analyses the open documents with them. */
export interface RefreshDatasetsResult { datasets: number; error?: string; skipped?: 'untrusted' | 'disabled' | 'no-zfs' }
export const RefreshDatasetsRequest = new RequestType<Record<string, never> | null, RefreshDatasetsResult, void>('zfsDio/refreshDatasets');
