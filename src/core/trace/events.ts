// Replays the traced system calls against a model of each process's descriptor table, so that every
// read, write, copy and clone is known with its file, its O_DIRECT flag and its file position, the
// way the kernel saw them. Threads share a table (CLONE_FILES); fork copies it; dup shares the open
// file description (flags and position), as POSIX says.
import type { RawFrame, StraceOutput, SyscallRecord } from './strace-output';
import type { SourceFrame } from './symbolize';
import { descriptorArgument, iovecBases, iovecLengths, parseNumber, pointedNumber, stringArgument, structFields } from './strace-output';

/** Open-flag bits differ between architectures; these are the Linux values for each Node `process.arch`. */
export const OPEN_FLAG_BITS: Record<string, { direct: number; append: number }> = {
  x64: { direct: 0o40000, append: 0o2000 },
  ia32: { direct: 0o40000, append: 0o2000 },
  arm64: { direct: 0o200000, append: 0o2000 },
  arm: { direct: 0o200000, append: 0o2000 },
  ppc64: { direct: 0o400000, append: 0o2000 },
  riscv64: { direct: 0o40000, append: 0o2000 },
  s390x: { direct: 0o40000, append: 0o2000 },
};

const FICLONE = 0x40049409;
const FICLONERANGE = 0x4020940d;
const F_DUPFD = 0, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
const CLONE_FILES = 0x400;

export type TraceEventKind = 'open' | 'set_flags' | 'read' | 'write' | 'copy_file_range' | 'ficlone' | 'ficlonerange' | 'io_uring_setup';

export interface FileRef {
  fd: number;
  path?: string;
  oDirect: boolean;
}

export interface TraceEvent {
  kind: TraceEventKind;
  syscall: string;
  pid: number;
  /** The descriptor the call worked on (the destination for copies and clones). */
  file?: FileRef;
  /** The source of a copy or clone. */
  source?: FileRef;
  /** Buffer address (read/write family, not vectored). */
  buffer?: number;
  /** Bytes asked for (the sum of the segments for vectored calls). */
  length?: number;
  /** Each segment's length, for readv/writev and friends. */
  segments?: number[];
  /**
   * Each segment's buffer address, when strace showed them (a vectored read that failed; see
   * iovecBases). Undefined for the other vectored calls, whose addresses strace does not print.
   */
  segmentBuffers?: number[];
  /** File offset the call used: explicit, or the descriptor's position when the model knows it. */
  offset?: number;
  /** Where that offset came from. */
  offsetFrom?: 'argument' | 'position';
  sourceOffset?: number;
  /** open: the flags; set_flags: the new status flags. */
  flags?: number;
  result?: number;
  errno?: string;
  frames: RawFrame[];
  /** The script's own line, from the Python bootstrap's marker just before the call. */
  scriptFrame?: SourceFrame;
  line: number;
  /**
   * How many calls of the same system call on the same file(s) came before this one in the trace,
   * O_DIRECT or not (see `callOrdinalKey`): what a second run of the command is matched by.
   */
  ordinal?: number;
}

/** The calls an ordinal counts: one system call on one file (a copy: on one source and destination). */
export function callOrdinalKey(syscall: string, path: string | undefined, sourcePath?: string): string | undefined {
  if (syscall === 'copy_file_range') return path !== undefined && sourcePath !== undefined ? `${syscall}\0${sourcePath}\0${path}` : undefined;
  return path !== undefined ? `${syscall}\0${path}` : undefined;
}

/** The name the Python bootstrap reads as a link before each call it wraps: `<prefix><line>/<function>/<file>`. */
export const PYTHON_FRAME_MARKER = '/.zfs-dio-trace-frame/';

export function parseFrameMarker(path: string): SourceFrame | undefined {
  if (!path.startsWith(PYTHON_FRAME_MARKER)) return undefined;
  const m = /^(\d+)\/([^/]*)\/(.+)$/.exec(path.slice(PYTHON_FRAME_MARKER.length));
  return m ? { file: m[3]!, line: Number(m[1]), ...(m[2] ? { function: m[2] } : {}) } : undefined;
}

interface OpenFile { path?: string; flags: number; position?: number }
type Table = Map<number, OpenFile>;

export interface ReplayOptions { arch?: string }

export function replayTrace(output: StraceOutput, options: ReplayOptions = {}): TraceEvent[] {
  const bits = OPEN_FLAG_BITS[options.arch ?? process.arch] ?? OPEN_FLAG_BITS['x64']!;
  const tables = new Map<number, Table>();
  const events: TraceEvent[] = [];
  const ordinals = new Map<string, number>();
  const nextOrdinal = (key: string | undefined): { ordinal?: number } => {
    if (key === undefined) return {};
    const n = ordinals.get(key) ?? 0;
    ordinals.set(key, n + 1);
    return { ordinal: n };
  };
  // The last source-line marker of each thread, waiting for the call it announces.
  const markers = new Map<number, SourceFrame>();
  const tableOf = (pid: number): Table => {
    let t = tables.get(pid);
    if (!t) {
      // A process whose creation was not seen (the first one, or a clone the trace missed).
      const root = output.rootPid !== undefined ? tables.get(output.rootPid) : undefined;
      t = root ? new Map(root) : new Map();
      tables.set(pid, t);
    }
    return t;
  };
  const ref = (table: Table, arg: string | undefined): FileRef | undefined => {
    const d = descriptorArgument(arg);
    if (!d) return undefined;
    const open = table.get(d.fd);
    const path = d.path ?? open?.path;
    return { fd: d.fd, ...(path !== undefined ? { path } : {}), oDirect: ((open?.flags ?? 0) & bits.direct) !== 0 };
  };
  const base = (r: SyscallRecord) => ({
    syscall: r.name, pid: r.pid, frames: r.frames, line: r.line,
    ...(markers.has(r.pid) ? { scriptFrame: markers.get(r.pid)! } : {}),
    ...(r.result !== undefined ? { result: r.result } : {}), ...(r.errno ? { errno: r.errno } : {}),
  });

  for (const r of output.calls) {
    const table = tableOf(r.pid);
    const ok = r.result !== undefined && r.result >= 0;
    if (r.name === 'readlink' || r.name === 'readlinkat') {
      const marker = parseFrameMarker(stringArgument(r.args[r.name === 'readlink' ? 0 : 1]) ?? '');
      if (marker) markers.set(r.pid, marker);
      continue;
    }
    switch (r.name) {
      case 'clone': case 'clone3': case 'fork': case 'vfork': {
        if (!ok || r.result === 0) break;
        const flagsText = r.name === 'clone' ? /flags=([^,]+)/.exec(r.args.join(','))?.[1]
          : r.name === 'clone3' ? structFields(r.args[0])['flags'] : undefined;
        // clone prints the exit signal OR-ed in (`0x1200000|17`).
        const flags = (flagsText ?? '').split('|').reduce((acc, part) => acc | (parseNumber(part) ?? 0), 0);
        tables.set(r.result!, (flags & CLONE_FILES) !== 0 ? table : new Map(table));
        break;
      }
      case 'open': case 'creat': case 'openat': case 'openat2': {
        const path = stringArgument(r.name === 'open' || r.name === 'creat' ? r.args[0] : r.args[1]);
        const flags = r.name === 'openat' ? parseNumber(r.args[2] ?? '')
          : r.name === 'open' ? parseNumber(r.args[1] ?? '')
          : r.name === 'creat' ? 0o1101
          : parseNumber(structFields(r.args[2])['flags'] ?? '');
        if (!ok || flags === undefined) break;
        const file: OpenFile = { ...(r.resultPath ?? path ? { path: r.resultPath ?? path } : {}), flags, ...((flags & bits.append) === 0 ? { position: 0 } : {}) };
        table.set(r.result!, file);
        if ((flags & bits.direct) !== 0) events.push({ ...base(r), kind: 'open', file: { fd: r.result!, ...(file.path ? { path: file.path } : {}), oDirect: true }, flags });
        break;
      }
      case 'close': {
        const d = descriptorArgument(r.args[0]);
        if (d && ok) table.delete(d.fd);
        break;
      }
      case 'dup': case 'dup2': case 'dup3': {
        const d = descriptorArgument(r.args[0]);
        const open = d && table.get(d.fd);
        if (ok && open) table.set(r.result!, open);
        break;
      }
      case 'fcntl': case 'fcntl64': {
        const d = descriptorArgument(r.args[0]);
        const cmd = parseNumber(r.args[1] ?? '');
        const open = d && table.get(d.fd);
        if (!ok || !open) break;
        if (cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC) table.set(r.result!, open);
        if (cmd === F_SETFL) {
          const flags = parseNumber(r.args[2] ?? '') ?? 0;
          const wasDirect = (open.flags & bits.direct) !== 0;
          // F_SETFL replaces the status flags it can change (O_APPEND, O_DIRECT, O_NONBLOCK…) and keeps the access mode.
          open.flags = (open.flags & 0o3) | (flags & ~0o3);
          if (wasDirect !== ((flags & bits.direct) !== 0)) {
            events.push({ ...base(r), kind: 'set_flags', file: { fd: d!.fd, ...(open.path ? { path: open.path } : {}), oDirect: !wasDirect }, flags });
          }
        }
        break;
      }
      case 'lseek': {
        const d = descriptorArgument(r.args[0]);
        const open = d && table.get(d.fd);
        if (open) open.position = ok ? r.result : undefined;
        break;
      }
      case 'read': case 'write': case 'pread64': case 'pwrite64':
      case 'readv': case 'writev': case 'preadv': case 'pwritev': case 'preadv2': case 'pwritev2': {
        const d = descriptorArgument(r.args[0]);
        const open = d ? table.get(d.fd) : undefined;
        const vectored = r.name.includes('v');
        const positional = r.name.startsWith('p');
        const segments = vectored ? iovecLengths(r.args[1]) : undefined;
        const segmentBuffers = vectored ? iovecBases(r.args[1]) : undefined;
        const length = vectored ? segments?.reduce((a, b) => a + b, 0) : parseNumber(r.args[2] ?? '');
        const explicitOffset = positional ? parseNumber(r.args[vectored ? 3 : 3] ?? '') : undefined;
        // preadv2/pwritev2 with offset -1 use (and move) the file position, like readv/writev.
        const usesPosition = !positional || explicitOffset === -1;
        const offset = usesPosition ? open?.position : explicitOffset;
        const file = ref(table, r.args[0]);
        const ordinal = nextOrdinal(callOrdinalKey(r.name, file?.path));
        if (file?.oDirect) {
          events.push({
            ...base(r), ...ordinal, kind: r.name.includes('read') ? 'read' : 'write', file,
            ...(!vectored ? { buffer: parseNumber(r.args[1] ?? '') } : {}),
            ...(length !== undefined ? { length } : {}), ...(segments ? { segments } : {}), ...(segmentBuffers ? { segmentBuffers } : {}),
            ...(offset !== undefined ? { offset, offsetFrom: usesPosition ? 'position' as const : 'argument' as const } : {}),
          });
        }
        if (open && usesPosition) open.position = ok && open.position !== undefined ? open.position + r.result! : undefined;
        break;
      }
      case 'copy_file_range': {
        const source = ref(table, r.args[0]);
        const file = ref(table, r.args[2]);
        const inOff = pointedNumber(r.args[1]);
        const outOff = pointedNumber(r.args[3]);
        const inOpen = descriptorArgument(r.args[0]) && table.get(descriptorArgument(r.args[0])!.fd);
        const outOpen = descriptorArgument(r.args[2]) && table.get(descriptorArgument(r.args[2])!.fd);
        const sourceOffset = inOff === null ? inOpen?.position : inOff;
        const offset = outOff === null ? outOpen?.position : outOff;
        events.push({
          ...base(r), ...nextOrdinal(callOrdinalKey(r.name, file?.path, source?.path)),
          kind: 'copy_file_range', ...(file ? { file } : {}), ...(source ? { source } : {}),
          ...(parseNumber(r.args[4] ?? '') !== undefined ? { length: parseNumber(r.args[4] ?? '') } : {}),
          ...(sourceOffset !== undefined ? { sourceOffset } : {}), ...(offset !== undefined ? { offset, offsetFrom: 'argument' as const } : {}),
        });
        // A NULL offset pointer copies from (and moves) the descriptor's own position.
        if (inOff === null && inOpen) inOpen.position = ok && inOpen.position !== undefined ? inOpen.position + r.result! : undefined;
        if (outOff === null && outOpen) outOpen.position = ok && outOpen.position !== undefined ? outOpen.position + r.result! : undefined;
        break;
      }
      case 'ioctl': {
        const request = parseNumber(r.args[1] ?? '');
        const file = ref(table, r.args[0]);
        // every ioctl on the file counts: a second run sees them all on it
        const ordinal = nextOrdinal(callOrdinalKey(r.name, file?.path));
        if (request === FICLONE) {
          const source = ref(table, r.args[2]);
          events.push({ ...base(r), ...ordinal, kind: 'ficlone', ...(file ? { file } : {}), ...(source ? { source } : {}) });
        } else if (request === FICLONERANGE) {
          const fields = structFields(r.args[2]);
          const source = ref(table, fields['src_fd']);
          const length = parseNumber(fields['src_length'] ?? '');
          const sourceOffset = parseNumber(fields['src_offset'] ?? '');
          const offset = parseNumber(fields['dest_offset'] ?? '');
          events.push({
            ...base(r), ...ordinal, kind: 'ficlonerange', ...(file ? { file } : {}), ...(source ? { source } : {}),
            ...(length !== undefined ? { length } : {}), ...(sourceOffset !== undefined ? { sourceOffset } : {}),
            ...(offset !== undefined ? { offset, offsetFrom: 'argument' as const } : {}),
          });
        }
        break;
      }
      case 'io_uring_setup':
        if (ok) events.push({ ...base(r), kind: 'io_uring_setup' });
        break;
      case 'execve':
        // A new program keeps its descriptors (but for O_CLOEXEC ones, which the model does not track).
        break;
    }
    // A marker announces exactly the next call of its thread.
    markers.delete(r.pid);
  }
  return events;
}
