// "ZFS Direct I/O: Scan Workspace": runs the core's whole-tree scan over the workspace folders with a
// cancellable progress notification, then publishes every file's sites and findings to the Problems
// panel and the sites view. The walk, excludes, size limits and workers are the core's (scan.ts).
import * as vscode from 'vscode';
import path from 'node:path';
import type { EditorContext } from './context';
import type { DiagnosticsController } from './diagnostics';
import { analysisSettingsFor, scanExcludeGlobs } from './settings-logic';
import { plural } from './present-logic';
import { lazyModules } from './lazyLoader';

let running: Promise<void> | undefined;

export function scanWorkspace(ctx: EditorContext, diagnostics: DiagnosticsController): Promise<void> {
  // A second invocation while one runs just waits for it: two scans would race on the same results.
  running ??= doScan(ctx, diagnostics).finally(() => { running = undefined; });
  return running;
}

async function doScan(ctx: EditorContext, diagnostics: DiagnosticsController): Promise<void> {
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
  const { scanPaths, usableGlobs } = lazyModules().scan;
  // zfsDio.exclude and files.exclude come from the workspace: a pattern that cannot be used is named
  // in a warning and left out, and the scan goes on with the others.
  const { usable: exclude, invalid } = usableGlobs(scanExcludeGlobs(settings.exclude,
    vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude')));
  for (const bad of invalid) ctx.log.warn(`scan: ignoring the exclude pattern '${bad.pattern}' (zfsDio.exclude or files.exclude): ${bad.reason}`);
  if (invalid.length) {
    void vscode.window.showWarningMessage(`ZFS Direct I/O: ignoring invalid exclude pattern${invalid.length === 1 ? '' : 's'} `
      + `${invalid.map((b) => `'${b.pattern}' (${b.reason})`).join(', ')} from zfsDio.exclude or files.exclude.`);
  }
  const roots = folders.map((f) => f.uri.fsPath);
  ctx.log.info(`scan: ${roots.join(', ')} (languages ${settings.languages.join(', ')}; ${exclude.length} exclude globs)`);
  // Make sure the dataset recordsizes are known before files are matched to datasets.
  await ctx.recordsize.whenLoaded();

  const result = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification,
    title: 'ZFS Direct I/O: Scanning workspace',
    cancellable: true,
  }, async (progress, token) => {
    const abort = new AbortController();
    const cancelSubscription = token.onCancellationRequested(() => abort.abort());
    let reported = 0;
    try {
      return await scanPaths(roots, {
        settings: analysisSettingsFor(settings),
        exclude,
        languages: settings.languages,
        maxFileSize: settings.maxFileSize,
        recordsizeSource: ctx.recordsize,
        workspace: { ...(ctx.workspace.config() ?? { roots }), snapshot: true },
        workerScript: path.join(ctx.extension.extensionPath, 'dist', 'scan-worker.js'),
        signal: abort.signal,
        onProgress: ({ filesDone, filesQueued }) => {
          const fraction = filesQueued > 0 ? filesDone / filesQueued : 0;
          const increment = Math.max(0, fraction * 100 - reported);
          reported += increment;
          progress.report({ message: `${filesDone} of ${filesQueued} files`, increment });
        },
      });
    } finally {
      cancelSubscription.dispose();
    }
  });

  for (const skipped of result.skipped) (skipped.incomplete ? ctx.log.warn : ctx.log.debug).call(ctx.log, `scan: skipped ${skipped.file}: ${skipped.reason}`);
  for (const note of result.notes) (note.incomplete ? ctx.log.warn : ctx.log.info).call(ctx.log, `scan: ${note.file}: ${note.message}`);

  const published = new Set<string>();
  for (const file of result.files) {
    const uri = vscode.Uri.file(path.resolve(file.file));
    published.add(uri.toString());
    // The explanation link carries the source line; read it only for files that have findings.
    let lines: string[] | undefined;
    if (file.findings.length > 0) {
      try { lines = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)).split(/\r\n|\r|\n/); } catch { lines = undefined; }
    }
    diagnostics.publishScanned(uri, {
      language: file.language, sites: file.sites, findings: file.findings, hadSyntaxErrors: false,
    }, lines);
  }
  // A cancelled scan saw only part of the tree, so earlier results for the rest stay.
  if (!result.stats.cancelled) diagnostics.clearScanned(published);

  const s = result.stats;
  const summary = `${plural(s.sites, 'call site')} and ${plural(s.findings, 'finding')} in ${plural(s.filesWithSites, 'file')} `
    + `(${plural(s.filesConsidered, 'source file')} checked, ${s.filesSkipped} skipped, ${s.durationMs} ms)`
    + (s.filesIncomplete ? `; ${s.filesIncomplete} could not be read or analysed (listed in the ZFS Direct I/O output)` : '');
  ctx.log.info(`scan ${s.cancelled ? 'cancelled' : 'done'}: ${summary}`);
  if (s.cancelled) {
    void vscode.window.showInformationMessage(`ZFS Direct I/O: scan cancelled after ${plural(s.filesParsed, 'file')}. Partial results are shown.`);
    return;
  }
  // Not awaited: the notification may sit in the notification center indefinitely, and the scan is over.
  void vscode.window.showInformationMessage(`ZFS Direct I/O: scan found ${summary}.`,
    ...(s.findings > 0 ? ['Show Problems'] : []), 'Show Call Sites').then((choice) => {
    if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (choice === 'Show Call Sites') void vscode.commands.executeCommand('zfsDio.sites.focus');
  });
}
