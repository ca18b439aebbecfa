// The one object every editor adapter receives: the extension context, the log, the settings, the
// recordsize seam and a lazy handle on the core analyzer. Built once in activate().
import type * as vscode from 'vscode';
import type { SettingsReader } from './settings';
import type { RecordsizeSeam } from './recordsize';
import type { Analyzer } from './analyzer';
import type { WorkspaceFolders } from './workspaceFolders';

export interface EditorContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly settings: SettingsReader;
  readonly recordsize: RecordsizeSeam;
  /** The open folders as the analysis index sees them, and the changes on disk that concern it. */
  readonly workspace: WorkspaceFolders;
  /** Loads the analysis core on first use (keeps grammars and parsers out of activation). */
  analyzer(): Promise<Analyzer>;
}
