// The one object every editor adapter receives: the extension context, the log, the settings and the
// connection to the language server, which owns the analysis. Built once in activate().
import type * as vscode from 'vscode';
import type { SettingsReader } from './settings';
import type { ServerConnection } from './languageClient';

export interface EditorContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly settings: SettingsReader;
  /** The language server's client, started on first use (keeps it out of activation). */
  server(): Promise<ServerConnection>;
}
