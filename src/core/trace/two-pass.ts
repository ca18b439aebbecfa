// `zfs-dio trace --two-pass`: stack traces (-k) cost an unwind at every recorded call, which is most of
// the tracing cost of a busy program. Pass 1 records every call without stacks; the calls that
// became findings are then known. Pass 2 runs the command again with stacks, but only for those
// system calls and only on those files (strace's -P). A pass-2 call stands for the pass-1 call at the
// same position among the calls of that system call on the same file(s), if it also has what
// identifies a call apart from its process and addresses: its lengths, explicit offsets, result and
// errno. Pass 1 stays the record of what happened; pass 2 only lends it source lines. That holds
// only for a program that does the same thing when run again.
import type { RawFrame, StraceOutput, SyscallRecord } from './strace-output';
import { callOrdinalKey, type TraceEvent } from './events';
import { descriptorArgument, iovecLengths, parseNumber, pointedNumber, structFields } from './strace-output';

/** What pass 2 traces: the system calls that became findings, on the files they worked on. */
export interface SecondPassPlan {
  syscalls: string[];
  /** Paths for strace's -P; undefined when there are too many (then the planned calls are traced on every file). */
  paths?: string[];
  /** The pass-1 events that need source lines, in trace order. */
  events: TraceEvent[];
}

/** More paths than this are not worth a -P each: pass 2 then traces the planned calls on every file. */
const MAX_PATHS = 256;

/**
 * The plan for pass 2, or undefined when it is not needed: no call became a finding, or every one of
 * them already has its source line (the Python bootstrap's markers need no stacks). A call whose
 * file the replay could not name cannot be matched, so it is not planned.
 */
export function planSecondPass(events: readonly TraceEvent[], becomesFinding: (e: TraceEvent) => boolean): SecondPassPlan | undefined {
  const need = events.filter((e) => !e.scriptFrame && e.ordinal !== undefined && becomesFinding(e)
    && callOrdinalKey(e.syscall, e.file?.path, e.source?.path) !== undefined);
  if (need.length === 0) return undefined;
  const syscalls = [...new Set(need.map((e) => e.syscall))].sort();
  const paths = new Set<string>();
  for (const e of need) for (const p of [e.file?.path, e.source?.path]) if (p) paths.add(p);
  const all = [...paths].sort();
  // -P names files as the kernel names the descriptors' files: absolute paths only.
  return { syscalls, ...(all.length <= MAX_PATHS && all.every((p) => p.startsWith('/')) ? { paths: all } : {}), events: need };
}

/** What identifies a call across two runs: not the pid, descriptor numbers or buffer addresses. */
interface CallIdentity {
  syscall: string;
  path?: string | undefined;
  sourcePath?: string | undefined;
  lengths?: string | undefined;
  offset?: number | undefined;
  sourceOffset?: number | undefined;
  result?: number | undefined;
  errno?: string | undefined;
}

function identityKey(c: CallIdentity): string {
  return JSON.stringify([c.syscall, c.path ?? null, c.sourcePath ?? null, c.lengths ?? null, c.offset ?? null,
    c.sourceOffset ?? null, c.result ?? null, c.errno ?? null]);
}

const POSITIONAL = /^p(read|write)/;

/** A pass-1 event's identity (its descriptor table was replayed, so its paths are known). */
export function eventIdentity(e: TraceEvent): string {
  const explicit = e.offsetFrom === 'argument' && (e.kind === 'read' || e.kind === 'write') && POSITIONAL.test(e.syscall);
  const isCopy = e.kind === 'copy_file_range' || e.kind === 'ficlonerange';
  return identityKey({
    syscall: e.syscall, path: e.file?.path, sourcePath: e.source?.path,
    lengths: e.segments ? e.segments.join('+') : e.length !== undefined ? String(e.length) : undefined,
    offset: explicit || isCopy ? e.offset : undefined,
    sourceOffset: isCopy ? e.sourceOffset : undefined,
    result: e.result, errno: e.errno,
  });
}

/**
 * A pass-2 call's identity, read from its own arguments: pass 2 prints descriptors with their paths
 * (-y, not raw), and traces too few calls to replay a descriptor table. Undefined for a call that
 * is not of a kind pass 1 could have made a finding of.
 */
export function recordIdentity(r: SyscallRecord): string | undefined {
  const base = { syscall: r.name, result: r.result, errno: r.errno };
  switch (r.name) {
    case 'read': case 'write': case 'pread64': case 'pwrite64':
    case 'readv': case 'writev': case 'preadv': case 'pwritev': case 'preadv2': case 'pwritev2': {
      const vectored = r.name.includes('v');
      const segments = vectored ? iovecLengths(r.args[1]) : undefined;
      const length = vectored ? undefined : parseNumber(r.args[2] ?? '');
      const offset = POSITIONAL.test(r.name) ? parseNumber(r.args[3] ?? '') : undefined;
      return identityKey({
        ...base, path: descriptorArgument(r.args[0])?.path,
        lengths: segments ? segments.join('+') : length !== undefined ? String(length) : undefined,
        offset: offset === -1 ? undefined : offset,
      });
    }
    case 'copy_file_range': {
      const length = parseNumber(r.args[4] ?? '');
      const inOff = pointedNumber(r.args[1]);
      const outOff = pointedNumber(r.args[3]);
      return identityKey({
        ...base, path: descriptorArgument(r.args[2])?.path, sourcePath: descriptorArgument(r.args[0])?.path,
        lengths: length !== undefined ? String(length) : undefined,
        offset: outOff ?? undefined, sourceOffset: inOff ?? undefined,
      });
    }
    case 'ioctl': {
      const fields = structFields(r.args[2]);
      if (fields['src_fd'] !== undefined) {
        const length = parseNumber(fields['src_length'] ?? '');
        return identityKey({
          ...base, path: descriptorArgument(r.args[0])?.path, sourcePath: descriptorArgument(fields['src_fd'])?.path,
          lengths: length !== undefined ? String(length) : undefined,
          offset: parseNumber(fields['dest_offset'] ?? ''), sourceOffset: parseNumber(fields['src_offset'] ?? ''),
        });
      }
      return identityKey({ ...base, path: descriptorArgument(r.args[0])?.path, sourcePath: descriptorArgument(r.args[2])?.path });
    }
    default:
      return undefined;
  }
}

export interface SecondPassMatch {
  /** The stack of each pass-1 event that pass 2 repeated. */
  frames: Map<TraceEvent, RawFrame[]>;
  matched: number;
  /** Pass-1 events that needed a line and that pass 2 did not repeat, or repeated with other values. */
  unmatched: number;
}

/** The files a pass-2 call worked on, read from its -y decorations, as `callOrdinalKey` wants them. */
function recordOrdinalKey(r: SyscallRecord): string | undefined {
  if (r.name === 'copy_file_range') return callOrdinalKey(r.name, descriptorArgument(r.args[2])?.path, descriptorArgument(r.args[0])?.path);
  return callOrdinalKey(r.name, descriptorArgument(r.args[0])?.path);
}

/**
 * Gives each planned pass-1 event the stack of the pass-2 call that repeats it: the call with the
 * same ordinal among the calls of that system call on the same file(s) (pass 2 traces every call of
 * the planned system calls on the planned files, as pass 1 counted them), and only when that call
 * has the same identity (lengths, explicit offsets, result, errno). Anything else is a mismatch,
 * and the event keeps no source line: pass 1's values are never replaced by pass 2's.
 */
export function matchSecondPass(plan: SecondPassPlan, second: StraceOutput): SecondPassMatch {
  const wanted = new Set(plan.syscalls);
  const byOrdinal = new Map<string, SyscallRecord>();
  const counts = new Map<string, number>();
  for (const r of second.calls) {
    if (!wanted.has(r.name)) continue;
    const key = recordOrdinalKey(r);
    if (key === undefined) continue;
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    byOrdinal.set(`${key}\0#${n}`, r);
  }
  const frames = new Map<TraceEvent, RawFrame[]>();
  let matched = 0;
  let unmatched = 0;
  for (const e of plan.events) {
    const key = callOrdinalKey(e.syscall, e.file?.path, e.source?.path);
    const r = key !== undefined && e.ordinal !== undefined ? byOrdinal.get(`${key}\0#${e.ordinal}`) : undefined;
    if (r && recordIdentity(r) === eventIdentity(e)) { frames.set(e, r.frames); matched++; } else unmatched++;
  }
  return { frames, matched, unmatched };
}
