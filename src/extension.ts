// Entry point: builds one context and registers the editor features. It decides nothing itself.
// Activation stays cheap: the analyzer, grammars, probe and panel modules load on first use.
import * as vscode from 'vscode';
import path from 'node:path';
import type { EditorContext } from './editor/context';
import { SettingsReader } from './editor/settings';
import { RecordsizeSeam } from './editor/recordsize';
import { loadAnalyzer } from './editor/analyzer';
import { WorkspaceFolders } from './editor/workspaceFolders';
import { DiagnosticsController } from './editor/diagnostics';
import { registerCodeActions } from './editor/codeActions';
import { registerHover } from './editor/hover';
import { registerSitesView } from './editor/sitesView';
import { registerCommands } from './editor/commands';
import { registerPanelSerializer } from './editor/panelBridge';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('ZFS Direct I/O', { log: true });
  const settings = new SettingsReader(log);
  const recordsize = new RecordsizeSeam(settings, log);
  const grammarDir = path.join(context.extensionPath, 'dist', 'grammars');
  const workspace = new WorkspaceFolders(settings);
  const ctx: EditorContext = { extension: context, log, settings, recordsize, workspace, analyzer: () => loadAnalyzer(grammarDir) };

  const diagnostics = new DiagnosticsController(ctx);
  context.subscriptions.push(
    log, settings, workspace, recordsize, diagnostics,
    registerCodeActions(diagnostics),
    registerHover(diagnostics),
    ...registerSitesView(diagnostics),
    ...registerCommands(ctx, diagnostics),
    recordsize.onDidRefresh(() => diagnostics.reanalyzeAll()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: probes and dataset recordsizes are enabled');
      void recordsize.refresh();
    }),
    settings.onDidChange(refreshWhenLookupChanges(settings, recordsize)),
  );
  // Everything that loads the analyzer, probe or panel code runs after activate() has returned.
  setImmediate(() => {
    registerPanelSerializer(ctx).catch((err: unknown) => log.error(`panel serializer: ${String(err)}`));
    diagnostics.analyzeOpenDocuments();
    // Dataset recordsizes load in the background; until then (and without ZFS) files use zfsDio.recordsize.
    void recordsize.refresh();
  });

  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: probes disabled'})`);
}

/** Re-reads datasets only when the lookup is switched on or the zfs binary changes, not on every setting. */
function refreshWhenLookupChanges(settings: SettingsReader, recordsize: RecordsizeSeam) {
  let last = `${settings.settings.useDatasetRecordsize}|${settings.settings.probe.zfsPath ?? ''}`;
  return (s: SettingsReader['settings']) => {
    const now = `${s.useDatasetRecordsize}|${s.probe.zfsPath ?? ''}`;
    if (now !== last && s.useDatasetRecordsize) void recordsize.refresh();
    last = now;
  };
}

export function deactivate(): void { /* every disposable is in context.subscriptions */ }
