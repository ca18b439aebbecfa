// Workspace adapter: the open folders and zfsDio.compileCommands as the core index's configuration,
// and a file-system watcher whose events, settled for a moment, say which files changed. It loads
// none of the analysis core: the watcher starts with the first analysis (see DiagnosticsController).
import * as vscode from 'vscode';
import type { WorkspaceConfig } from '../core/analysis/workspace';
import type { SettingsReader } from './settings';
import { watchGlobFor, workspaceConfigFor, type WatchedChange } from './workspace-logic';

/** Events closer together than this arrive as one batch (a checkout or a build touches many files). */
export const SETTLE_MS = 300;

export class WorkspaceFolders implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<readonly WatchedChange[]>();
  /** Batches of files that changed, appeared or vanished (absolute paths). */
  readonly onDidChangeFiles = this.emitter.event;
  /** The configuration changed (folders or the setting): everything the index knows may be wrong. */
  private readonly reconfigured = new vscode.EventEmitter<void>();
  readonly onDidReconfigure = this.reconfigured.event;
  private readonly disposables: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  private pending: WatchedChange[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastConfig: string;

  constructor(private readonly settings: SettingsReader) {
    this.lastConfig = JSON.stringify(this.config());
    this.disposables.push(this.emitter, this.reconfigured,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.checkConfig()),
      settings.onDidChange(() => this.checkConfig()));
  }

  /** The index configuration now, or undefined without a folder on the local file system. */
  config(): WorkspaceConfig | undefined {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    return workspaceConfigFor(folders, this.settings.settings.compileCommands);
  }

  /** Starts watching the files of these languages (their extensions); later calls do nothing. */
  watch(extensions: readonly string[]): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(watchGlobFor(extensions));
    const add = (kind: WatchedChange['kind']) => (uri: vscode.Uri) => {
      if (uri.scheme !== 'file') return;
      this.pending.push({ path: uri.fsPath, kind });
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), SETTLE_MS);
    };
    this.disposables.push(this.watcher, this.watcher.onDidChange(add('changed')),
      this.watcher.onDidCreate(add('created')), this.watcher.onDidDelete(add('deleted')));
  }

  private flush(): void {
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length) this.emitter.fire(batch);
  }

  private checkConfig(): void {
    const now = JSON.stringify(this.config());
    if (now === this.lastConfig) return;
    this.lastConfig = now;
    this.reconfigured.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
