// The VS Code side of the zfs-dio language server. The server (src/server/, started from the shipped
// dist/cli.js as `zfs-dio lsp --node-ipc`) owns the analysis: it keeps the open documents, answers the
// pulled diagnostics (the workspace scan's closed files too), hovers and quick fixes, and scans the
// workspace. This module only says how VS Code talks to it: which documents, which settings, how far hover
// markdown is trusted, the workspace's trust, and where the Call Sites view's data comes from. The server
// asks for the `zfsDio` settings (workspace/configuration) and registers its own file watchers.
import * as vscode from 'vscode';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  LanguageClient, TransportKind, WorkDoneProgress, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import {
  AnalysisStoppedNotification, DidChangeSitesNotification, DidGrantWorkspaceTrustNotification, RefreshDatasetsRequest, ScanWorkspaceRequest, SitesRequest,
  type DidChangeSitesParams, type FileSites, type InitializationOptions, type RefreshDatasetsResult, type ScanWorkspaceResult,
} from '../core/protocol/server';
import { DIAGNOSTIC_SOURCE } from '../shared/diagnostics';
import { HOVER_ENABLED_COMMANDS } from '../shared/present';
import { VSCODE_LANGUAGE_IDS } from '../shared/settings';

export class ServerConnection implements vscode.Disposable {
  readonly client: LanguageClient;
  private readonly sitesEmitter = new vscode.EventEmitter<DidChangeSitesParams>();
  /** Files whose sites the server analysed again, and files it forgot (the Call Sites view listens). */
  readonly onDidChangeSites = this.sitesEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private starting: Promise<void> | undefined;

  constructor(extensionPath: string, log: vscode.LogOutputChannel, scanCacheFile?: string) {
    // The command line and the server are one bundle; fork() gives it VS Code's own Node runtime.
    const module = path.join(extensionPath, 'dist', 'cli.js');
    const serverOptions: ServerOptions = {
      run: { module, args: ['lsp'], transport: TransportKind.ipc },
      debug: { module, args: ['lsp'], transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const initializationOptions: InitializationOptions = {
      explainLinks: 'command',
      editorShowsDiagnosticMessages: true,
      workspaceTrusted: vscode.workspace.isTrusted,
      sitesNotifications: true,
      analysisStoppedNotifications: true,
      ...(scanCacheFile ? { scanCacheFile } : {}),
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: VSCODE_LANGUAGE_IDS.flatMap((language) => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]),
      diagnosticCollectionName: DIAGNOSTIC_SOURCE,
      // A pull after every change and save; the server waits for zfsDio.debounceMs of quiet before it analyses.
      diagnosticPullOptions: { onChange: true, onSave: true },
      initializationOptions,
      outputChannel: log,
      // Only the explain command may run from a hover; every other command link stays inert.
      markdown: { isTrusted: { enabledCommands: [...HOVER_ENABLED_COMMANDS] }, supportThemeIcons: true },
    };
    this.client = new LanguageClient('zfsDio', 'ZFS Direct I/O language server', serverOptions, clientOptions);
    this.disposables.push(
      this.sitesEmitter,
      this.client.onNotification(DidChangeSitesNotification, (params) => this.sitesEmitter.fire(params)),
      this.client.onNotification(AnalysisStoppedNotification, ({ message }) => {
        void vscode.window.showWarningMessage(message, 'Show Output').then((choice) => { if (choice) log.show(true); });
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.ready().then(() => this.client.sendNotification(DidGrantWorkspaceTrustNotification, {}))
          .catch((err: unknown) => log.warn(`could not tell the server that the workspace is trusted: ${String(err)}`));
      }),
    );
  }

  /** Starts the server on first use; later calls share the start. */
  ready(): Promise<void> {
    this.starting ??= this.client.start().catch((err: unknown) => { this.starting = undefined; throw err; });
    return this.starting;
  }

  // The requests are sent from here, not by the other bundles: a message type is recognised by the
  // protocol library's own objects, and each bundle would carry its own copy of them.

  /**
   * zfsDio/scanWorkspace; cancelling the token stops the scan (its partial result stays). `onProgress` gets
   * the server's work-done reports ("N of M files" and a percentage).
   */
  async scanWorkspace(token?: vscode.CancellationToken,
    onProgress?: (report: { message?: string; percentage?: number }) => void): Promise<ScanWorkspaceResult> {
    await this.ready();
    const workDoneToken = randomUUID();
    const listening = onProgress ? this.client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'report') onProgress({ ...(value.message !== undefined ? { message: value.message } : {}), ...(value.percentage !== undefined ? { percentage: value.percentage } : {}) });
    }) : undefined;
    try {
      return await this.client.sendRequest(ScanWorkspaceRequest, onProgress ? { workDoneToken } : {}, token);
    } finally {
      listening?.dispose();
    }
  }

  /** zfsDio/sites for every file the server knows. */
  async allSites(): Promise<FileSites[]> {
    await this.ready();
    return (await this.client.sendRequest(SitesRequest, {})).files;
  }

  /** zfsDio/refreshDatasets. */
  async refreshDatasets(): Promise<RefreshDatasetsResult> {
    await this.ready();
    return this.client.sendRequest(RefreshDatasetsRequest, {});
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    if (this.starting) await this.client.dispose().catch(() => undefined);
  }
}
