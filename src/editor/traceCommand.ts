// "ZFS Direct I/O: Trace a Program…": runs a command line of the user's under strace, with a
// cancellable progress notification, and shows what the kernel really saw as diagnostics on the
// program's own source lines (a collection of their own, so an edit's re-analysis never clears
// them). It runs a program, so it never runs in an untrusted workspace.
import * as vscode from 'vscode';
import type { TraceReport } from '../core/trace/index';
import type { EditorContext } from './context';
import { EXPLAIN_COMMAND } from '../shared/diagnostics';
import { lazyModules } from './lazyLoader';
import { openPanel } from './panelBridge';

export const TRACE_DIAGNOSTIC_SOURCE = 'zfs-dio trace';
const LAST_COMMAND_KEY = 'zfsDio.trace.lastCommand';
const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint,
};

export class TraceDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(TRACE_DIAGNOSTIC_SOURCE);
  dispose(): void { this.collection.dispose(); }

  show(report: TraceReport): number {
    this.collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    let placed = 0;
    for (const f of report.findings) {
      if (!f.file || !f.line) continue;
      const line = f.line - 1;
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 10_000),
        f.observed.count > 1 ? `${f.message} (${f.observed.count} times)` : f.message, SEVERITY[f.severity]);
      d.source = TRACE_DIAGNOSTIC_SOURCE;
      d.code = { value: f.ruleId, target: vscode.Uri.parse(`command:${EXPLAIN_COMMAND}?${encodeURIComponent(JSON.stringify([f.ruleId]))}`) };
      // The whole sentence where the message had to leave a part out (a diagnostic has no detail of its
      // own), then the callers that led to the call: the rest of the program's own stack.
      const whole = f.detail ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(f.file), new vscode.Position(line, 0)), f.detail)] : [];
      d.relatedInformation = [...whole, ...f.observed.frames.slice(1, 6).map((fr) => new vscode.DiagnosticRelatedInformation(
        new vscode.Location(vscode.Uri.file(fr.file), new vscode.Position(Math.max(0, fr.line - 1), 0)), `called from ${fr.function ?? 'here'}`))];
      const list = byFile.get(f.file) ?? [];
      list.push(d);
      byFile.set(f.file, list);
      placed++;
    }
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    return placed;
  }
}

/** The `zfs-dio-trace` task type: `{ "type": "zfs-dio-trace", "command": ["./build/prog", "--flag"] }` in tasks.json. */
export const TRACE_TASK_TYPE = 'zfs-dio-trace';
interface TraceTaskDefinition extends vscode.TaskDefinition { command: string[]; cwd?: string }

function isTraceTaskDefinition(d: vscode.TaskDefinition): d is TraceTaskDefinition {
  return Array.isArray(d['command']) && d['command'].length > 0 && d['command'].every((a: unknown) => typeof a === 'string')
    && (d['cwd'] === undefined || typeof d['cwd'] === 'string');
}

/** Resolves tasks of the trace type into a terminal that runs the tracer and prints its text report. */
export function registerTraceTasks(ctx: EditorContext, diagnostics: TraceDiagnostics): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TRACE_TASK_TYPE, {
    provideTasks: () => [],
    resolveTask(task) {
      const definition = task.definition;
      if (!isTraceTaskDefinition(definition)) return undefined;
      const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
      return new vscode.Task(definition, task.scope ?? vscode.TaskScope.Workspace, task.name || `trace ${definition.command[0]}`, 'zfs-dio',
        new vscode.CustomExecution(async () => tracePseudoterminal(ctx, diagnostics, definition.command,
          definition.cwd ?? folder?.uri.fsPath)));
    },
  });
}

function tracePseudoterminal(ctx: EditorContext, diagnostics: TraceDiagnostics, command: string[], cwd: string | undefined): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number>();
  const controller = new AbortController();
  const say = (text: string) => write.fire(text.replace(/\n/g, '\r\n'));
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      if (!vscode.workspace.isTrusted) { say('ZFS Direct I/O: tracing runs a program, so it is disabled in an untrusted workspace.\n'); close.fire(3); return; }
      const { trace, traceCli, probeHost } = lazyModules();
      say(`zfs-dio trace -- ${command.join(' ')}\n`);
      trace.traceCommand({
        command, pageSize: ctx.settings.settings.pageSize, host: probeHost.realHost(), signal: controller.signal,
        zfsPath: ctx.settings.settings.probe.zfsPath, twoPass: ctx.settings.settings.trace.twoPass, stdio: 'ignore', ...(cwd ? { cwd } : {}),
      }).then((report) => {
        diagnostics.show(report);
        showInPanelLater(report);
        say(traceCli.formatTraceText(report, cwd ?? process.cwd()));
        close.fire(report.findings.some((f) => f.severity === 'error' || f.severity === 'warning') ? 1 : 0);
      }, (err: unknown) => {
        say(`zfs-dio trace: ${err instanceof Error ? err.message : String(err)}\n`);
        close.fire(3);
      });
    },
    close: () => controller.abort(),
  };
}

/** Run only through its command, which refuses in an untrusted workspace (runsPrograms in the catalog). */
export async function traceProgram(ctx: EditorContext, diagnostics: TraceDiagnostics): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const { trace, traceCommandLine, probeHost } = lazyModules();
  const line = await vscode.window.showInputBox({
    title: 'ZFS Direct I/O: Trace a Program',
    prompt: `Command line to run under strace${folder ? ` in ${folder.name}` : ''} (no shell: to use one, trace bash -c '…')`,
    placeHolder: './build/my-program --input data.bin',
    value: ctx.extension.workspaceState.get<string>(LAST_COMMAND_KEY) ?? '',
    ignoreFocusOut: true,
    validateInput: (text) => { const r = traceCommandLine.splitCommandLine(text); return r.ok ? undefined : r.reason; },
  });
  if (line === undefined) return;
  const split = traceCommandLine.splitCommandLine(line);
  if (!split.ok) return;
  await ctx.extension.workspaceState.update(LAST_COMMAND_KEY, line);
  ctx.log.info(`trace: running ${JSON.stringify(split.argv)}${folder ? ` in ${folder.uri.fsPath}` : ''}`);
  let report: TraceReport;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `ZFS Direct I/O: tracing ${split.argv[0]}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        const twoPass = ctx.settings.settings.trace.twoPass;
        progress.report({ message: twoPass ? 'the program is running under strace (two passes: the second, with stacks, only if there are findings)…' : 'the program is running under strace…' });
        return trace.traceCommand({
          command: split.argv, pageSize: ctx.settings.settings.pageSize, host: probeHost.realHost(), signal: controller.signal,
          zfsPath: ctx.settings.settings.probe.zfsPath, twoPass,
          stdio: 'ignore', ...(folder ? { cwd: folder.uri.fsPath } : {}),
        });
      });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: string }).code;
    ctx.log.warn(`trace: ${code ?? 'error'}: ${message}`);
    if (code === 'CANCELLED') return;
    void vscode.window.showErrorMessage(`ZFS Direct I/O: ${message}`, 'Show Log').then((c) => { if (c) ctx.log.show(true); });
    return;
  }
  const placed = diagnostics.show(report);
  showInPanelLater(report);
  const exit = report.signal ? `was killed by ${report.signal}` : `exited with ${report.exitCode}`;
  ctx.log.info(`trace: ${report.events.length} recorded calls, ${report.findings.length} findings (${placed} on source lines); the command ${exit}`);
  for (const f of report.findings) ctx.log.info(`trace: ${f.file ?? '(no source line)'}:${f.line ?? ''} ${f.ruleId} ${f.message}`);
  if (report.secondPass) {
    const s = report.secondPass;
    ctx.log.info(s.ran ? `trace: second pass traced ${s.syscalls.join(', ')} with stacks; ${s.matched} call(s) matched, ${s.unmatched} not repeated`
      : 'trace: second pass not needed (no call needed a stack)');
  }
  for (const n of report.notes) ctx.log.info(`trace: note: ${n}`);
  const summary = report.findings.length === 0
    ? `ZFS Direct I/O: the trace saw ${report.events.length} relevant call(s) and nothing misaligned; the command ${exit}.`
    : `ZFS Direct I/O: ${report.findings.length} finding(s) at run time${placed < report.findings.length ? ` (${report.findings.length - placed} without a source line: build with -g)` : ''}; the command ${exit}.`;
  const choice = await vscode.window.showInformationMessage(summary, ...(placed > 0 ? ['Show Problems'] : []), 'Show in Panel', 'Show Log');
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  else if (choice === 'Show in Panel') await openPanel(ctx);   // showInPanelLater above handed it the trace
  else if (choice === 'Show Log') ctx.log.show(true);
}

/** The root-cause panel's timeline shows the last trace: at once when the panel is open, else when it opens. */
function showInPanelLater(report: TraceReport): void {
  const { panel, traceTimeline } = lazyModules();
  panel.RootCausePanel.noteTrace(traceTimeline.traceTimeline(report));
}
