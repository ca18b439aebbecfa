// Settings adapter: reads `zfsDio.*` through src/shared/settings.ts (defaults + validation) and re-reads on change.
import * as vscode from 'vscode';
import { name, publisher } from '../../package.json';
import { RENAMED_SETTINGS, newProblems, parseSettings, type EditorSettings } from '../shared/settings';

export const CONFIG_SECTION = 'zfsDio';
/** For the Settings editor's `@ext:` filter. */
const EXTENSION_ID = `${publisher}.${name}`;

export class SettingsReader implements vscode.Disposable {
  private current: EditorSettings;
  private readonly emitter = new vscode.EventEmitter<EditorSettings>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  /** Problems already shown in a notification, so each bad value is shown once. */
  private shown = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.moveRenamedSettings().catch((e: unknown) => {
      this.log.warn(`settings: could not move renamed settings: ${e instanceof Error ? e.message : String(e)}`);
    });
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
    // The Settings editor validates against the manifest's schema, but settings.json can say anything:
    // an ignored value is shown, not only logged.
    const fresh = newProblems(problems, this.shown);
    this.shown = new Set(problems);
    if (fresh.length) {
      const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more in the ZFS Direct I/O output)` : '';
      void vscode.window.showWarningMessage(`ZFS Direct I/O: ${fresh[0]}${more}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID} `);
      });
    }
    return settings;
  }

  /** Moves each renamed setting's user and workspace values to its new key, where the new key is unset. */
  private async moveRenamedSettings(): Promise<void> {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const targets = [
      ['globalValue', vscode.ConfigurationTarget.Global],
      ['workspaceValue', vscode.ConfigurationTarget.Workspace],
    ] as const;
    for (const [oldKey, newKey] of Object.entries(RENAMED_SETTINGS)) {
      const was = config.inspect(oldKey);
      const now = config.inspect(newKey);
      for (const [scope, target] of targets) {
        if (was?.[scope] === undefined) continue;
        try {
          if (now?.[scope] === undefined) await config.update(newKey, was[scope], target);
          await config.update(oldKey, undefined, target);
          this.log.info(`settings: moved ${CONFIG_SECTION}.${oldKey} to ${CONFIG_SECTION}.${newKey} (${target === vscode.ConfigurationTarget.Global ? 'user' : 'workspace'} settings)`);
        } catch (e) {
          this.log.warn(`settings: could not move ${CONFIG_SECTION}.${oldKey} to ${CONFIG_SECTION}.${newKey}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
  }

  dispose(): void { this.subscription.dispose(); this.emitter.dispose(); }
}
