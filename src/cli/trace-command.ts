// `zfs-dio trace [--format text|json|sarif] [--page-size N] [--timeout SECONDS] [--no-stacks | --two-pass] -- COMMAND [ARGS…]`
// Exit codes as for scan: 0 no warning or error, 1 at least one, 2 usage error; plus 3 when the
// trace could not be made (no strace, ptrace refused, the command cannot start, timeout) and 130
// when cancelled. The traced program's own exit status is in the report.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { version } from '../../package.json';
import { realHost } from '../core/probe/host';
import { RULES } from '../core/rules';
import { traceCommand, type TraceReport } from '../core/trace/index';
import { TraceError } from '../core/trace/tracer';
import { parseChoice, parseCommandLine, parsePowerOfTwoBytes, parseSeconds, type OptionSpecs } from './args';
import { artifactLocation, sarifLevel, SARIF_SCHEMA_URI } from './formats/sarif';
import type { CliIO } from './io';
import { UsageError } from './io';

export const TRACE_USAGE = `usage: zfs-dio trace [options] -- COMMAND [ARGS...]

Runs COMMAND under strace and reports, on the program's own source lines, the copy_file_range,
FICLONE and O_DIRECT calls it really made, with the values the kernel saw and what it answered.
Source lines need debug information (build with -g); no root is needed to trace your own program.

  --format text|json|sarif  output format (default text)
  --page-size BYTES         page size the alignment rules use (default 4096)
  --timeout SECONDS         kill the command and its children after this long (default: no limit)
  --no-stacks               do not record stack traces (faster; findings get no source line)
  --two-pass                run COMMAND without stack traces, then, if calls became findings, once
                            more with stack traces for just those calls (much faster for a busy
                            program; COMMAND must do the same thing both times)
  --strace PATH             the strace to run (default: strace from PATH)

exit codes: 0 nothing at warning or error level, 1 warnings or errors, 2 usage error,
3 the trace could not be made (no strace, ptrace refused, command not found, timeout), 130 cancelled
`;

const FORMATS = ['text', 'json', 'sarif'] as const;

export const TRACE_OPTIONS = {
  format: { type: 'string' }, 'page-size': { type: 'string' }, timeout: { type: 'string' },
  'no-stacks': { type: 'boolean' }, 'two-pass': { type: 'boolean' }, strace: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

interface TraceArgs { format: (typeof FORMATS)[number]; pageSize: number; timeoutMs?: number; stacks: boolean; twoPass: boolean; strace?: string; command: string[]; help: boolean }

export function parseTraceArgs(argv: string[]): TraceArgs {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const command = dash < 0 ? [] : argv.slice(dash + 1);
  const parsed = parseCommandLine(own, TRACE_OPTIONS);
  const v = parsed.options;
  if (parsed.positionals.length > 0) {
    throw new UsageError(`put the command after --, as in: zfs-dio trace -- ${parsed.positionals.join(' ')}`);
  }
  if (v['no-stacks'] && v['two-pass']) {
    throw new UsageError('--two-pass records stack traces in its second pass; it cannot be combined with --no-stacks');
  }
  return {
    format: v.format !== undefined ? parseChoice('--format', v.format, FORMATS) : 'text',
    pageSize: v['page-size'] !== undefined ? parsePowerOfTwoBytes('--page-size', v['page-size'], 512, 1 << 16) : 4096,
    ...(v.timeout !== undefined ? { timeoutMs: parseSeconds('--timeout', v.timeout, 86_400) * 1000 } : {}),
    stacks: !v['no-stacks'], twoPass: v['two-pass'] ?? false,
    ...(v.strace !== undefined ? { strace: v.strace } : {}),
    command, help: v.help ?? false,
  };
}

export interface TraceCommandDeps { signal?: AbortSignal }

export async function run(argv: string[], io: CliIO, deps: TraceCommandDeps = {}): Promise<number> {
  let args: TraceArgs;
  try { args = parseTraceArgs(argv); } catch (e) {
    if (e instanceof UsageError) { io.stderr.write(`zfs-dio trace: ${e.message}\n`); return 2; }
    throw e;
  }
  if (args.help) { io.stdout.write(TRACE_USAGE); return 0; }
  if (args.command.length === 0) { io.stderr.write(`zfs-dio trace: no command to trace\n${TRACE_USAGE}`); return 2; }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  deps.signal?.addEventListener('abort', onSigint, { once: true });
  const host = realHost();
  let report: TraceReport;
  try {
    report = await traceCommand({
      command: args.command, pageSize: args.pageSize, host,
      stacks: args.stacks, twoPass: args.twoPass, signal: controller.signal, ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
      ...(args.strace ? { strace: args.strace } : {}),
      // The program talks to the terminal in text mode; with JSON or SARIF on stdout its output must not mix in.
      stdio: args.format === 'text' ? 'inherit' : 'ignore',
    });
  } catch (e) {
    if (e instanceof TraceError) {
      if (args.format === 'json') io.stdout.write(JSON.stringify({ version: 1, command: args.command, error: { code: e.code, message: e.message } }, null, 2) + '\n');
      io.stderr.write(`zfs-dio trace: ${e.message}\n`);
      return e.code === 'CANCELLED' ? 130 : 3;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  io.stdout.write(args.format === 'json' ? JSON.stringify(report, null, 2) + '\n'
    : args.format === 'sarif' ? formatTraceSarif(report, process.cwd())
    : formatTraceText(report, process.cwd()));
  return report.findings.some((f) => f.severity === 'warning' || f.severity === 'error') ? 1 : 0;
}

export function formatTraceText(report: TraceReport, cwd: string): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const where = f.file ? `${path.relative(cwd, f.file) || f.file}:${f.line}:${f.column}` : `(no source line) ${f.callee}`;
    lines.push(`${where}: ${f.severity} ${f.ruleId}: ${f.message}${f.observed.count > 1 ? ` (${f.observed.count} times)` : ''}`);
  }
  const exit = report.signal ? `killed by ${report.signal}` : `exited with ${report.exitCode}`;
  lines.push(`${report.findings.length} finding(s) from ${report.events.length} recorded call(s); the command ${exit}`);
  const second = report.secondPass;
  if (second) {
    lines.push(second.ran
      ? `two passes: the second run traced ${second.syscalls.join(', ')} with stacks${second.paths ? ` on ${second.paths.length} file(s)` : ''}; ${second.matched} of ${second.matched + second.unmatched} call(s) matched`
      : 'two passes: nothing needed a stack, so the command ran once');
  }
  for (const n of report.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

export function formatTraceSarif(report: TraceReport, cwd: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  return JSON.stringify({
    $schema: SARIF_SCHEMA_URI, version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'zfs-dio', fullName: 'ZFS Direct I/O Assistant', version, semanticVersion: version,
        rules: RULES.map((r) => ({ id: r.id, name: r.name, shortDescription: { text: r.title }, fullDescription: { text: r.help },
          defaultConfiguration: { level: sarifLevel(r.defaultSeverity) } })) } },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') } },
      invocations: [{ executionSuccessful: true, commandLine: report.command.join(' '), exitCode: report.exitCode,
        toolExecutionNotifications: report.notes.map((n) => ({ level: 'note', message: { text: n } })) }],
      results: report.findings.map((f) => ({
        ruleId: f.ruleId, ruleIndex: ruleIndex.get(f.ruleId), level: sarifLevel(f.severity), message: { text: f.message },
        ...(f.file ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(path.isAbsolute(f.file) ? f.file : path.resolve(cwd, f.file)),
          region: { startLine: f.line } } }] } : {}),
        properties: { observed: f.observed, derived: f.derived, callee: f.callee, ...(f.detail ? { detail: f.detail } : {}) },
      })),
    }],
  }, null, 2) + '\n';
}
