// Settings adapter: reads `zfsDio.*` through settings-logic (defaults + validation) and re-reads on change.
import * as vscode from 'vscode';
import { parseSettings, type EditorSettings } from './settings-logic';

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

  private read(): EditorSettings {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    // In an untrusted workspace VS Code already ignores workspace values of the restricted settings
    // (package.json capabilities.untrustedWorkspaces.restrictedConfigurations), so a plain get() is safe.
    const { settings, problems } = parseSettings((key) => config.get(key));
    for (const p of problems) this.log.warn(`settings: ${p}`);
    return settings;
  }

  dispose(): void { this.subscription.dispose(); this.emitter.dispose(); }
}
