// "ZFS Direct I/O: Probe Dataset…": pick a mounted dataset (the workspace's own first), run the core
// probe with a cancellable progress notification, log the result and open the root-cause panel on it.
// The probe runs commands and writes scratch files, so it never runs in an untrusted workspace.
import * as vscode from 'vscode';
import type { DatasetInfo } from '../core/types';
import type { EditorContext } from './context';
import {
  UI, articleIdOf, datasetDetail, leftBehindWarning, noZfsMessage, orderDatasets, probeErrorCode, probeErrorMessage, probeRunOptions,
  probeTarget, reportLogLines,
} from './probe-logic';
import { openPanel } from './panelBridge';
import { lazyModules } from './lazyLoader';

/** Why a command that runs programs refuses in an untrusted workspace, with the way to trust it. */
export async function showUntrustedMessage(what: 'probe' | 'trace' | 'datasets' = 'probe'): Promise<void> {
  const text = what === 'trace' ? UI.untrustedTrace : what === 'datasets' ? UI.untrustedDatasets : UI.untrusted;
  const choice = await vscode.window.showWarningMessage(text, UI.manageTrust);
  if (choice === UI.manageTrust) await vscode.commands.executeCommand('workbench.trust.manage');
}

export async function showNoZfs(ctx: EditorContext, err: unknown): Promise<void> {
  const detail = err instanceof Error ? err.message : undefined;
  const article = articleIdOf((err as { article?: string } | undefined)?.article) ?? 'how-direct-io-works';
  const installed = (err as { zfsInstalled?: unknown } | undefined)?.zfsInstalled === true;
  const choice = await vscode.window.showWarningMessage(noZfsMessage(detail, installed), UI.openExplanation, UI.showLog);
  if (choice === UI.openExplanation) await openPanel(ctx, { article });
  else if (choice === UI.showLog) ctx.log.show(true);
}

/** A probe or dataset listing that failed: logged, and said with the way to the log (NO_ZFS gets its own notice). */
async function reportFailure(ctx: EditorContext, what: string, err: unknown): Promise<void> {
  const code = probeErrorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  ctx.log.warn(`${what} (${code ?? 'error'}): ${message}`);
  if (code === 'NO_ZFS') await showNoZfs(ctx, err);
  else void vscode.window.showErrorMessage(probeErrorMessage(code, message), UI.showLog).then((c) => { if (c) ctx.log.show(true); });
}

interface DatasetPick extends vscode.QuickPickItem { dataset: DatasetInfo; workspacePath?: string }

/** Run only through its command, which refuses in an untrusted workspace (runsPrograms in the catalog). */
export async function probeDataset(ctx: EditorContext, target?: unknown): Promise<void> {
  const { probe } = lazyModules();
  const options = probeRunOptions(ctx.settings.settings.probe);

  let datasets: DatasetInfo[];
  try {
    datasets = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'ZFS Direct I/O: looking for datasets' },
      () => probe.listDatasets(options));
  } catch (err) {
    await reportFailure(ctx, 'probe: listing datasets failed', err);
    return;
  }
  if (datasets.length === 0) {
    ctx.log.warn('probe: zfs list returned no mounted dataset');
    const choice = await vscode.window.showWarningMessage(UI.noDatasets, UI.openExplanation);
    if (choice === UI.openExplanation) await openPanel(ctx, { article: 'how-direct-io-works' });
    return;
  }

  // A dataset name passed by another command (e.g. the panel) skips the pick if it is one of ours.
  let dataset = typeof target === 'string' ? datasets.find((d) => d.name === target) : undefined;
  let workspacePath: string | undefined;
  if (!dataset) {
    const workspacePaths = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const items: DatasetPick[] = orderDatasets(datasets, workspacePaths, probe.datasetForPath).map(({ dataset: d, holdsWorkspace, workspacePath: wp }) => ({
      dataset: d,
      workspacePath: wp,
      label: d.name,
      description: holdsWorkspace ? `${d.mountpoint} · this workspace` : d.mountpoint,
      detail: datasetDetail(d),
      iconPath: new vscode.ThemeIcon(holdsWorkspace ? 'root-folder' : 'database'),
    }));
    const picked = await vscode.window.showQuickPick(items, { placeHolder: UI.pickPlaceholder, matchOnDescription: true, matchOnDetail: true });
    if (!picked) return;
    dataset = picked.dataset;
    workspacePath = picked.workspacePath;
  }

  let ab = false;
  if (ctx.settings.settings.probe.allowAB) {
    const choice = await vscode.window.showWarningMessage(
      `A/B mode creates two child datasets ${dataset.name}/zfs-dio-probe-<random> (direct=always and direct=standard), runs the experiments on both and destroys them. It needs root or zfs allow delegation and never changes ${dataset.name} itself.`,
      { modal: true }, UI.abConfirm, UI.abSkip);
    if (choice === undefined) return;
    ab = choice === UI.abConfirm;
  }

  const chosen = dataset;
  // A/B mode works on the dataset itself (it creates child datasets), not on a directory.
  const runTarget = ab ? chosen.name : probeTarget({ dataset: chosen, workspacePath });
  ctx.log.info(`probe: ${chosen.name} (${chosen.mountpoint}), scratch directory under ${runTarget}${ab ? ', with A/B mode' : ''}`);
  try {
    const report = await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification,
      title: `${UI.progressTitle} ${chosen.name}`,
      cancellable: true,
    }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let done = 0;
      try {
        return await probe.runProbe({
          ...options, target: runTarget, ab, signal: abort.signal,
          log: (line: string) => ctx.log.info(`probe: ${line}`),
          onProgress: ({ step, fraction }) => {
            const increment = fraction === undefined ? undefined : Math.max(0, fraction * 100 - done);
            if (increment !== undefined) done += increment;
            progress.report({ message: step, increment });
          },
        });
      } finally {
        sub.dispose();
      }
    });
    for (const line of reportLogLines(report)) ctx.log.info(`probe: ${line}`);
    const left = leftBehindWarning({ report });
    if (left) { ctx.log.warn(`probe: ${left}`); void vscode.window.showWarningMessage(left); }
    await openPanel(ctx, { report });
  } catch (err) {
    const left = leftBehindWarning({ error: err });
    if (left) { ctx.log.warn(`probe: ${left}`); void vscode.window.showWarningMessage(left, UI.showLog).then((c) => { if (c) ctx.log.show(true); }); }
    if (probeErrorCode(err) === 'CANCELLED') {
      ctx.log.info(`probe of ${chosen.name} cancelled`);
      if (!left) void vscode.window.showInformationMessage(UI.cancelled);
    } else {
      await reportFailure(ctx, `probe of ${chosen.name} ended`, err);
    }
  }
}
