// A trace report as the root-cause panel shows it: the recorded calls in the order they happened,
// each with what it worked on, what it asked for, what the kernel answered, the program's own source
// line and the rules its finding broke. Pure, and free of the tracer's own modules (it describes a report
// by the fields it reads), so the panel protocol and the webview can use its types.
import type { RuleId } from '../types';

/** The fields of a trace report (TraceReport in index.ts) that a timeline reads. */
export interface TimelineInput {
  command: string[];
  exitCode: number;
  signal?: string;
  events: {
    syscall: string; pid: number; fd: number | null; path: string | null; dataset: string | null;
    /** The dataset's `direct` property, when the trace read it. */
    direct?: string | null;
    args: Record<string, number | string | boolean | number[] | string[]>;
    result: number | null; errno: string | null;
    frames: { file: string; line: number; function?: string }[];
  }[];
  findings: {
    file: string | null; line: number | null; ruleId: RuleId;
    derived: Record<string, number | string | boolean>;
    observed: { syscall: string; path?: string };
  }[];
}

export interface TimelineRow {
  /** The call's place in the report's events (0-based), so the host can find it again. */
  event: number;
  syscall: string;
  pid: number;
  fd: number | null;
  path: string | null;
  dataset: string | null;
  /** The dataset's `direct` property (standard, always, disabled), when known. */
  direct: string | null;
  /** What the call asked for, in words: "1000 bytes, at offset 0, buffer 0x7f…, O_DIRECT". */
  request: string;
  /** What the kernel answered: "4096 bytes", "EINVAL", "0". */
  answer: string;
  failed: boolean;
  /** The program's own line for the call (innermost frame), when the trace could resolve one. */
  source: { file: string; line: number; function?: string } | null;
  /** The rules whose findings this call gave. */
  rules: RuleId[];
}

export interface TraceTimeline {
  command: string[];
  /** "exited with 0", "was killed by SIGKILL". */
  exit: string;
  calls: number;
  findings: number;
  rows: TimelineRow[];
  /** Calls left out to keep the panel small; those with findings are always kept. */
  omitted: number;
}

/** The values a finding's `derived` and a call's `args` both name, under the same keys. */
const MATCHED_VALUES = ['length', 'offset', 'buffer', 'sourceOffset'] as const;

/** At most this many rows reach the panel: a program can make millions of calls. */
export const TIMELINE_ROWS = 400;

function describeRequest(syscall: string, args: TimelineInput['events'][number]['args']): string {
  const parts: string[] = [];
  if (Array.isArray(args.segments)) parts.push(`${args.segments.join(' + ')} bytes`);
  else if (typeof args.length === 'number') parts.push(`${args.length} bytes`);
  if (typeof args.sourceOffset === 'number') parts.push(`from offset ${args.sourceOffset}`);
  if (typeof args.offset === 'number') parts.push(`${typeof args.sourceOffset === 'number' ? 'to' : 'at'} offset ${args.offset}${args.offsetFrom === 'position' ? ' (the file position)' : ''}`);
  if (typeof args.sourcePath === 'string') parts.push(`from ${args.sourcePath}`);
  if (typeof args.buffer === 'string') parts.push(`buffer ${args.buffer}`);
  if (Array.isArray(args.segmentBuffers)) parts.push(`buffers ${args.segmentBuffers.join(', ')}`);
  if (typeof args.flags === 'string') parts.push(`flags ${args.flags}`);
  if (args.oDirect === true) parts.push('O_DIRECT');
  return parts.length ? parts.join(', ') : syscall;
}

export function traceTimeline(report: TimelineInput, limit: number = TIMELINE_ROWS): TraceTimeline {
  // A finding belongs to a call with the same system call, file and line, and the same values it names:
  // one helper's line can hold a short write and a misaligned one, each with its own rule. A finding that
  // counts repeats with other values marks the calls that had its values.
  const sameValues = (derived: Record<string, unknown>, args: Record<string, unknown>) =>
    MATCHED_VALUES.every((k) => derived[k] === undefined || args[k] === undefined || derived[k] === args[k]);
  const rulesOf = (i: number): RuleId[] => {
    const e = report.events[i]!;
    const top = e.frames[0];
    return [...new Set(report.findings.filter((f) => f.observed.syscall === e.syscall && (f.observed.path ?? null) === e.path
      && (top ? f.file === top.file && f.line === top.line : f.file === null) && sameValues(f.derived, e.args)).map((f) => f.ruleId))];
  };
  const rows: TimelineRow[] = report.events.map((e, i) => {
    const top = e.frames[0];
    const failed = e.errno !== null || (e.result !== null && e.result < 0);
    return {
      event: i, syscall: e.syscall, pid: e.pid, fd: e.fd, path: e.path, dataset: e.dataset, direct: e.direct ?? null,
      request: describeRequest(e.syscall, e.args),
      answer: e.errno ?? (e.result === null ? 'no result' : String(e.result)),
      failed,
      source: top ? { file: top.file, line: top.line, ...(top.function ? { function: top.function } : {}) } : null,
      rules: rulesOf(i),
    };
  });
  // Keep every call with a finding, then the earliest others, and show them in the order they happened.
  const keep = new Set<number>();
  for (const r of rows) if (r.rules.length && keep.size < limit) keep.add(r.event);
  for (const r of rows) if (keep.size < limit) keep.add(r.event);
  const shown = rows.filter((r) => keep.has(r.event));
  return {
    command: report.command,
    exit: report.signal ? `was killed by ${report.signal}` : `exited with ${report.exitCode}`,
    calls: report.events.length, findings: report.findings.length,
    rows: shown, omitted: rows.length - shown.length,
  };
}
