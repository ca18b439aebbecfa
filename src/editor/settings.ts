// Settings adapter: reads `zfsDio.*` through settings-logic (defaults + validation) and re-reads on change.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseSettings, type EditorSettings } from './settings-logic';
import { loadTarget } from './target-logic';

export const CONFIG_SECTION = 'zfsDio';

export class SettingsReader implements vscode.Disposable {
  private current: EditorSettings;
  private readonly emitter = new vscode.EventEmitter<EditorSettings>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(CONFIG_SECTION) && !e.affectsConfiguration('files.exclude')) return;
      this.current = this.read();
      this.emitter.fire(this.current);
    });
  }

  get settings(): EditorSettings { return this.current; }

  /**
   * Reads `zfsDio.target` in the background; when it is loaded the settings change again, so the
   * diagnostics are recomputed for the target. A bad target is logged and leaves the findings as they were.
   */
  private loadTargetOf(settings: EditorSettings): void {
    const value = settings.target;
    if (!value) return;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    void loadTarget(value, {
      readFile: (file) => readFile(file, 'utf8'),
      describeDataset: async (name) => (await import('../core/probe/index')).describeDataset(name, { zfsPath: settings.probe.zfsPath }),
    }, (p) => (path.isAbsolute(p) || !root ? p : path.join(root, p))).then((target) => {
      if (this.current !== settings) return;   // the settings changed meanwhile
      this.log.info(`target: ${target.summary}${target.host ? ` (report made on ${target.host}${target.createdAt ? ` at ${target.createdAt}` : ''})` : ''}`);
      this.current = { ...settings, targetSystem: target };
      this.emitter.fire(this.current);
    }, (e: unknown) => this.log.warn(e instanceof Error ? e.message : String(e)));
  }

  private read(): EditorSettings {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    // In an untrusted workspace VS Code already ignores workspace values of the restricted settings
    // (package.json capabilities.untrustedWorkspaces.restrictedConfigurations), so a plain get() is safe.
    const { settings, problems } = parseSettings((key) => config.get(key));
    for (const p of problems) this.log.warn(`settings: ${p}`);
    queueMicrotask(() => this.loadTargetOf(settings));
    return settings;
  }

  dispose(): void { this.subscription.dispose(); this.emitter.dispose(); }
}
