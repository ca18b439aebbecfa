// Registers the zfsDio.* commands. Each handler adapts arguments and calls the core or another adapter.
import * as vscode from 'vscode';
import { RULES } from '../core/rules';
import { parseFindingContext } from '../core/panel-protocol';
import type { EditorContext } from './context';
import { parseRevealArgs } from '../shared/diagnostics';
import { COMMAND_CATALOG, COMMAND_IDS, COMMAND_NAMES, type CommandName, type CommandSpec } from '../shared/command-catalog';
import { openPanel } from './panelBridge';
import { probeDataset, showUntrustedMessage } from './probeCommand';
import { parseProbeReportJson } from './probe-logic';
import { scanWorkspace } from './scanCommand';
import { TraceDiagnostics, registerTraceTasks, traceProgram } from './traceCommand';
import { openCliTerminal } from './cliTerminal';

/** The id of each command, by name (declared in command-catalog.ts, which package.json is generated from). */
export const COMMANDS = COMMAND_IDS;

export const WALKTHROUGH_ID = 'zfsDio.gettingStarted';

export function registerCommands(ctx: EditorContext): vscode.Disposable[] {
  const guarded = (name: string, run: (...args: unknown[]) => Promise<unknown> | unknown) => async (...args: unknown[]) => {
    try {
      await run(...args);
    } catch (err) {
      ctx.log.error(`${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      void vscode.window.showErrorMessage(`ZFS Direct I/O: ${err instanceof Error ? err.message : String(err)}`, 'Show Log')
        .then((c) => { if (c) ctx.log.show(true); });
    }
  };
  const register = (name: CommandName, run: (...args: unknown[]) => Promise<unknown> | unknown) => {
    // The catalog says which commands run programs; none of them runs in an untrusted workspace.
    const runsPrograms = (COMMAND_CATALOG[name] as CommandSpec).runsPrograms;
    const checked = runsPrograms === undefined ? run : async (...args: unknown[]) => {
      if (!vscode.workspace.isTrusted) { await showUntrustedMessage(runsPrograms); return; }
      return run(...args);
    };
    return vscode.commands.registerCommand(COMMANDS[name], guarded(COMMANDS[name], checked));
  };

  const traceDiagnostics = new TraceDiagnostics();
  // One handler per catalog entry: a missing or an undeclared command is a type error.
  const handlers: { readonly [N in CommandName]: (...args: unknown[]) => Promise<unknown> | unknown } = {
    traceProgram: () => traceProgram(ctx, traceDiagnostics),
    scanWorkspace: () => scanWorkspace(ctx),
    probeDataset: (target?: unknown) => probeDataset(ctx, target),
    openPanel: () => openPanel(ctx),
    explainRule: (raw?: unknown) => explainRule(ctx, raw),
    refreshDatasets: () => refreshDatasets(ctx),
    openWalkthrough: () => vscode.commands.executeCommand(
      'workbench.action.openWalkthrough', `${ctx.extension.extension.id}#${WALKTHROUGH_ID}`, false),
    revealSite: (raw?: unknown) => revealSite(raw),
    openReport: (raw?: unknown) => openReport(ctx, raw),
    openCliTerminal: () => openCliTerminal(ctx),
  };
  return [
    traceDiagnostics,
    registerTraceTasks(ctx, traceDiagnostics),
    ...COMMAND_NAMES.map((name) => register(name, handlers[name])),
  ];
}

/** Opens the panel on a rule's article, with the finding's own line and values when it came from a diagnostic. */
async function explainRule(ctx: EditorContext, raw: unknown): Promise<void> {
  if (raw === undefined) {
    // From the Command Palette: let the user pick the rule.
    const picked = await vscode.window.showQuickPick(RULES.map((r) => ({ label: r.id, description: r.title, detail: r.help })),
      { placeHolder: 'Which rule should be explained?', matchOnDescription: true });
    if (picked) await openPanel(ctx, { article: picked.label });
    return;
  }
  // A command URI can be clicked from any rendered markdown, so its argument is validated like any untrusted input.
  const parsed = parseFindingContext(typeof raw === 'string' ? { ruleId: raw } : raw);
  if (!parsed.ok) {
    ctx.log.warn(`explainRule: ignored invalid argument (${parsed.reason})`);
    void vscode.window.showWarningMessage(`ZFS Direct I/O: cannot explain that rule: ${parsed.reason}.`);
    return;
  }
  await openPanel(ctx, { article: parsed.value.ruleId, finding: parsed.value });
}

async function refreshDatasets(ctx: EditorContext): Promise<void> {
  if (!ctx.settings.settings.useDatasetRecordsize) {
    void vscode.window.showInformationMessage(`ZFS Direct I/O: zfsDio.useDatasetRecordsize is off, so every file uses zfsDio.recordsize (${ctx.settings.settings.recordsize}).`);
    return;
  }
  const server = await ctx.server();
  const read = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'ZFS Direct I/O: reading dataset recordsizes' },
    () => server.refreshDatasets());
  if (read.error) ctx.log.warn(`could not read dataset recordsizes, using zfsDio.recordsize: ${read.error}`);
  else if (read.skipped === 'no-zfs') ctx.log.info('no ZFS dataset is mounted on this machine: analysis uses zfsDio.recordsize');
  else ctx.log.info(`dataset recordsizes: ${read.datasets} ZFS mount point(s)`);
}

/** Opens a saved `zfs-dio probe --json` report (for example one made on another machine) in the panel. */
async function openReport(ctx: EditorContext, raw: unknown): Promise<void> {
  let uri: vscode.Uri | undefined;
  if (raw instanceof vscode.Uri) uri = raw;
  else if (typeof raw === 'string' && raw.length > 0) uri = raw.includes('://') ? vscode.Uri.parse(raw, true) : vscode.Uri.file(raw);
  else {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false, openLabel: 'Open Probe Report', title: 'Open a report written by zfs-dio probe --json',
      filters: { 'Probe report': ['json'] },
    });
    uri = picked?.[0];
  }
  if (!uri) return;
  const bytes = await vscode.workspace.fs.readFile(uri);
  const parsed = parseProbeReportJson(new TextDecoder('utf-8').decode(bytes));
  if ('error' in parsed) {
    void vscode.window.showErrorMessage(`ZFS Direct I/O: ${uri.fsPath || uri.toString()} is not a probe report: ${parsed.error}.`);
    return;
  }
  ctx.log.info(`opened probe report ${uri.fsPath || uri.toString()}`);
  await openPanel(ctx, { report: parsed.report });
}

async function revealSite(raw: unknown): Promise<void> {
  const args = parseRevealArgs(raw);
  if (!args) throw new Error('revealSite needs {uri, range}');
  const uri = vscode.Uri.parse(args.uri, true);
  const doc = await vscode.workspace.openTextDocument(uri);
  const r = args.range;
  const range = new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);
  await vscode.window.showTextDocument(doc, { selection: range, preserveFocus: false });
  vscode.window.activeTextEditor?.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
