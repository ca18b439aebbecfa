// "ZFS Direct I/O: Scan Workspace": asks the language server to scan the workspace folders (zfsDio/scanWorkspace),
// with a cancellable progress notification. The server keeps every closed file's findings as workspace
// diagnostics, which VS Code pulls into the Problems panel, and tells the Call Sites view about their sites.
// The walk, excludes, size limits and workers are the core's (scan.ts), run by the server.
import * as vscode from 'vscode';
import type { ScanWorkspaceResult } from '../core/protocol/server';
import type { EditorContext } from './context';
import { plural } from '../shared/present';

let running: Promise<void> | undefined;

export function scanWorkspace(ctx: EditorContext): Promise<void> {
  // A second invocation while one runs just waits for it (the server would join the same scan anyway).
  running ??= doScan(ctx).finally(() => { running = undefined; });
  return running;
}

async function doScan(ctx: EditorContext): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('ZFS Direct I/O: open a folder to scan. Open files are analyzed as you edit them.');
    return;
  }
  const { settings } = ctx.settings;
  if (settings.languages.length === 0) {
    void vscode.window.showWarningMessage('ZFS Direct I/O: no language is enabled (setting zfsDio.languages), so there is nothing to scan.');
    return;
  }
  ctx.log.info(`scan: ${folders.map((f) => f.uri.fsPath).join(', ')} (languages ${settings.languages.join(', ')})`);
  const server = await ctx.server();
  let cancelled = false;
  const result: ScanWorkspaceResult | undefined = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification,
    title: 'ZFS Direct I/O: Scanning workspace',
    cancellable: true,
  }, async (progress, token) => {
    let reported = 0;
    try {
      return await server.scanWorkspace(token, ({ message, percentage }) => {
        const increment = Math.max(0, (percentage ?? reported) - reported);
        reported += increment;
        progress.report({ ...(message !== undefined ? { message } : {}), increment });
      });
    } catch (err) {
      // A cancelled request may end with the partial result or with a cancellation error.
      if (token.isCancellationRequested) { cancelled = true; return undefined; }
      throw err;
    }
  });
  if (!result) {
    if (cancelled) void vscode.window.showInformationMessage('ZFS Direct I/O: scan cancelled. Partial results are shown.');
    return;
  }

  // zfsDio.exclude and files.exclude come from the workspace: a pattern that cannot be used is named in a
  // warning, and the scan went on with the others.
  const invalid = result.ignoredExcludes ?? [];
  if (invalid.length) {
    void vscode.window.showWarningMessage(`ZFS Direct I/O: ignoring invalid exclude pattern${invalid.length === 1 ? '' : 's'} `
      + `${invalid.map((b) => `'${b.pattern}' (${b.reason})`).join(', ')} from zfsDio.exclude or files.exclude.`);
  }
  const summary = `${plural(result.sites, 'call site')} and ${plural(result.findings, 'finding')} in ${plural(result.filesWithSites, 'file')} `
    + `(${plural(result.files, 'source file')} checked, ${result.skipped} skipped, ${result.durationMs} ms`
    + (result.fromCache ? `; ${result.fromCache} unchanged since the last scan, not parsed again)` : ')')
    + (result.incomplete ? `; ${result.incomplete} could not be read or analysed (listed in the ZFS Direct I/O output)` : '');
  ctx.log.info(`scan ${result.cancelled ? 'cancelled' : 'done'}: ${summary}`);
  if (result.cancelled) {
    void vscode.window.showInformationMessage(`ZFS Direct I/O: scan cancelled after ${plural(result.files, 'file')}. Partial results are shown.`);
    return;
  }
  // Not awaited: the notification may sit in the notification center indefinitely, and the scan is over.
  void vscode.window.showInformationMessage(`ZFS Direct I/O: scan found ${summary}.`,
    ...(result.findings > 0 ? ['Show Problems'] : []), 'Show Call Sites').then((choice) => {
    if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (choice === 'Show Call Sites') void vscode.commands.executeCommand('zfsDio.sites.focus');
  });
}
