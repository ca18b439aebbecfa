// Reads what `strace -f -y -X raw -k -o FILE` writes: one record per system call, with the
// arguments split at top-level commas, the result and errno, and the stack frames that follow it.
// The tracer's format is stable across the 5.x and 6.x releases Debian ships; anything this reader
// does not recognise is skipped, never guessed.

export interface RawFrame {
  /** The ELF file the frame's address belongs to. */
  binary: string;
  /** The symbol strace's unwinder named, when it named one (`main+0x26`). */
  symbol?: string;
  /** The address relative to the start of the binary's file, as the unwinder printed it. */
  fileOffset: number;
}

export interface SyscallRecord {
  pid: number;
  name: string;
  /** The arguments as printed, split at top-level commas. */
  args: string[];
  /** The return value, or undefined when strace printed `?` (the process died inside the call). */
  result?: number;
  /** The path strace printed after a descriptor result (`= 3</tmp/a>`). */
  resultPath?: string;
  errno?: string;
  frames: RawFrame[];
  /** 1-based line of the record in the trace file, for messages about what could not be read. */
  line: number;
}

export interface ExitRecord { pid: number; code?: number; signal?: string }

export interface StraceOutput {
  calls: SyscallRecord[];
  exits: ExitRecord[];
  /** The first process the tracer started (the command itself). */
  rootPid?: number;
}

const CALL_LINE = /^(\d+)\s+([a-z_0-9]+)\((.*)$/;
const RESUMED_LINE = /^(\d+)\s+<\.\.\. ([a-z_0-9]+) resumed>(.*)$/;
const EXIT_LINE = /^(\d+)\s+\+\+\+ (?:exited with (\d+)|killed by (SIG[A-Z0-9]+)(?: \(core dumped\))?) \+\+\+$/;
const FRAME_LINE = /^ > (.+?)(?:\((.*)\))? \[0x([0-9a-f]+)\]$/;
const UNFINISHED = ' <unfinished ...>';

/** Parses a whole trace file. */
export function parseStraceOutput(text: string): StraceOutput {
  const calls: SyscallRecord[] = [];
  const exits: ExitRecord[] = [];
  // A call interrupted by another thread's output: its first half, keyed by pid.
  const pending = new Map<number, { name: string; head: string; line: number; frames: RawFrame[] }>();
  let rootPid: number | undefined;
  // Stack frames follow the line of their call; a call printed in two halves gets them after either.
  let framesOf: RawFrame[] | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith(' > ')) {
      const frame = parseFrame(line);
      if (frame && framesOf) framesOf.push(frame);
      continue;
    }
    framesOf = undefined;
    let m = EXIT_LINE.exec(line);
    if (m) {
      exits.push({ pid: Number(m[1]), ...(m[2] !== undefined ? { code: Number(m[2]) } : {}), ...(m[3] ? { signal: m[3] } : {}) });
      continue;
    }
    m = RESUMED_LINE.exec(line);
    if (m) {
      const pid = Number(m[1]);
      const first = pending.get(pid);
      pending.delete(pid);
      if (!first || first.name !== m[2]) continue;
      const record = completeCall(pid, first.name, first.head + m[3]!, first.line);
      if (record) { record.frames.push(...first.frames); calls.push(record); framesOf = record.frames; }
      continue;
    }
    m = CALL_LINE.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    rootPid ??= pid;
    if (line.endsWith(UNFINISHED)) {
      const entry = { name: m[2]!, head: m[3]!.slice(0, -UNFINISHED.length), line: i + 1, frames: [] as RawFrame[] };
      pending.set(pid, entry);
      framesOf = entry.frames;
      continue;
    }
    const record = completeCall(pid, m[2]!, m[3]!, i + 1);
    if (record) { calls.push(record); framesOf = record.frames; }
  }
  return { calls, exits, ...(rootPid !== undefined ? { rootPid } : {}) };
}

function parseFrame(line: string): RawFrame | undefined {
  const m = FRAME_LINE.exec(line);
  if (!m) return undefined;
  return { binary: m[1]!, ...(m[2] ? { symbol: m[2] } : {}), fileOffset: parseInt(m[3]!, 16) };
}

/** `rest` is everything after `name(`: the arguments, `) = result`, and perhaps errno text. */
function completeCall(pid: number, name: string, rest: string, line: number): SyscallRecord | undefined {
  const close = closingParen(rest);
  if (close < 0) return undefined;
  const args = splitArguments(rest.slice(0, close));
  const tail = rest.slice(close + 1);
  const m = /^\s*=\s*(\?|-?(?:0x[0-9a-f]+|\d+))(<(?:[^>\\]|\\.)*>)?(?:\s+([A-Z][A-Z0-9_]+)\b)?/.exec(tail);
  if (!m) return undefined;
  const result = m[1] === '?' ? undefined : parseNumber(m[1]!);
  return {
    pid, name, args, line, frames: [],
    ...(result !== undefined ? { result } : {}),
    ...(m[2] ? { resultPath: unescapeStraceText(m[2].slice(1, -1)) } : {}),
    ...(m[3] && result !== undefined && result < 0 ? { errno: m[3] } : {}),
  };
}

/** The index of the `)` that closes the argument list (quotes, brackets and `<path>` decorations skipped). */
function closingParen(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') { i = endOfString(text, i); continue; }
    if (c === '<' && /\d$/.test(text.slice(0, i))) { i = endOfDecoration(text, i); continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') { if (depth === 0) return i; depth--; }
  }
  return -1;
}

export function splitArguments(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') { i = endOfString(text, i); continue; }
    if (c === '<' && /\d$/.test(text.slice(start, i))) { i = endOfDecoration(text, i); continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) { out.push(text.slice(start, i).trim()); start = i + 1; }
  }
  const last = text.slice(start).trim();
  if (last !== '' || out.length > 0) out.push(last);
  return out;
}

function endOfString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') { i++; continue; }
    if (text[i] === '"') return text.startsWith('...', i + 1) ? i + 3 : i;
  }
  return text.length;
}

function endOfDecoration(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') { i++; continue; }
    if (text[i] === '>') return i;
  }
  return text.length;
}

/** A number as strace prints it with -X raw: decimal, 0x hex, or 0-prefixed octal (modes). */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  let m = /^(-?)0x([0-9a-f]+)$/i.exec(t);
  if (m) return (m[1] ? -1 : 1) * parseInt(m[2]!, 16);
  m = /^(-?)(0[0-7]+)$/.exec(t);
  if (m) return (m[1] ? -1 : 1) * parseInt(m[2]!, 8);
  return /^-?\d+$/.test(t) ? Number(t) : undefined;
}

/** A descriptor argument: `3`, `0x3` (raw) or `3</path>` (-y). */
export function descriptorArgument(text: string | undefined): { fd: number; path?: string } | undefined {
  if (text === undefined) return undefined;
  const m = /^(-?(?:0x[0-9a-f]+|\d+))(?:<((?:[^>\\]|\\.)*)>)?$/i.exec(text.trim());
  if (!m) return undefined;
  const fd = parseNumber(m[1]!);
  if (fd === undefined) return undefined;
  return { fd, ...(m[2] !== undefined ? { path: unescapeStraceText(m[2]) } : {}) };
}

/** A quoted string argument (`"out\nfile"`), unescaped; undefined for anything else (a pointer, `NULL`). */
export function stringArgument(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /^"((?:[^"\\]|\\.)*)"(?:\.\.\.)?$/.exec(text.trim());
  return m ? unescapeStraceText(m[1]!) : undefined;
}

/** The C escapes strace uses in strings and paths: \n \t \" \\ \xHH and octal \NNN. */
export function unescapeStraceText(text: string): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) { bytes.push(...encoder.encode(c)); continue; }
    const n = text[++i]!;
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, '"': 34, '\\': 92, "'": 39 };
    if (n in simple) { bytes.push(simple[n]!); continue; }
    if (n === 'x') { bytes.push(parseInt(text.slice(i + 1, i + 3), 16)); i += 2; continue; }
    const oct = /^[0-7]{1,3}/.exec(text.slice(i));
    if (oct) { bytes.push(parseInt(oct[0], 8) & 0xff); i += oct[0].length - 1; continue; }
    bytes.push(...encoder.encode(n));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** `{src_fd=3</a>, src_offset=0, …}` → its fields, values as printed. */
export function structFields(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return out;
  for (const part of splitArguments(t.slice(1, -1))) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** `[0]` (a loff_t pointer strace dereferenced) → 0; `NULL` → null; anything else → undefined. */
export function pointedNumber(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === 'NULL') return null;
  const m = /^\[(-?(?:0x[0-9a-f]+|\d+))(?:\s*=>\s*-?(?:0x[0-9a-f]+|\d+))?\]$/i.exec(t);
  return m ? parseNumber(m[1]!) : undefined;
}

/**
 * One field of each element of an iovec array as strace prints it, read by `read`; undefined when strace
 * abbreviated the array or `read` cannot read the field of one element.
 */
function iovecField(text: string | undefined, field: 'iov_base' | 'iov_len', read: (value: string) => number | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']') || t.includes('...]')) return undefined;
  const values: number[] = [];
  for (const element of splitArguments(t.slice(1, -1))) {
    const value = read(structFields(element)[field] ?? '');
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/**
 * The iov_base of each element of an iovec array, when strace printed them as addresses; undefined
 * when it printed any of them as data or abbreviated the array. strace prints the addresses only for
 * a vectored read that failed (readv, preadv, preadv2): for a read that worked, and for every
 * vectored write, it prints what the buffers held instead.
 */
export function iovecBases(text: string | undefined): number[] | undefined {
  return iovecField(text, 'iov_base', (base) => base === 'NULL' ? 0 : /^0x[0-9a-f]+$/i.test(base) ? parseNumber(base) : undefined);
}

/** The iov_len of each element of an iovec array as strace prints it; undefined when it abbreviated the array. */
export function iovecLengths(text: string | undefined): number[] | undefined {
  return iovecField(text, 'iov_len', parseNumber);
}
