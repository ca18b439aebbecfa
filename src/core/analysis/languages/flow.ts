// The abstract values the Rust, Go and Python extractors compute while they walk a function in
// source order. Each language file maps its own syntax onto these values; the values, the join at
// branch merges and the SiteFacts bookkeeping are the same for all three, so "what do we know about
// this buffer / descriptor / number" means the same thing in every language.
import { Query, type Node } from 'web-tree-sitter';
import type { ArgFact, BufferOrigin, CallRecord, CallStep, ConstantDefinition, DerivedNumber, Language, ParamRef, Range, SiteFacts, SiteKind, TableRow } from '../../types';
import { evalBinary, evalUnary, parseIntegerLiteral } from '../values';
import { AnalysisStopped, tickBudget } from '../budget';
import { nodeRange, walkTree } from './common';
import { rangeWithin } from '../interprocedural';

/**
 * Trees parsed from macro bodies (Rust `assert!(…)`, `println!(…)`): where their text sits in the real file.
 * Snippet row 0 starts `prefix` characters before the original column; later rows keep their columns.
 */
const snippetOrigins = new WeakMap<object, { line: number; column: number; prefix: number }>();

export function registerSnippet(tree: object, line: number, column: number, prefix: number): void {
  snippetOrigins.set(tree, { line, column, prefix });
}

/** nodeRange, mapped back into the real file for nodes of a macro-body snippet. */
export function rangeOf(node: Node): Range {
  const r = nodeRange(node);
  const o = snippetOrigins.get(node.tree);
  if (!o) return r;
  const map = (p: { line: number; column: number }): { line: number; column: number } =>
    p.line === 0 ? { line: o.line, column: Math.max(0, o.column + p.column - o.prefix) } : { line: o.line + p.line, column: p.column };
  return { start: map(r.start), end: map(r.end) };
}

/** true = known O_DIRECT, false = known not, 'maybe' = O_DIRECT on some path (still an O_DIRECT site). */
export type Tri = boolean | 'maybe';

export interface NumAV {
  k: 'num'; value: number; def?: ConstantDefinition;
  /** Where the number is written, when it is a literal (a buffer's size spelled inside its allocation can be grown). */
  at?: Range;
}
export interface FdAV {
  k: 'fd'; oDirect: Tri; /** Python file object with its own heap buffer (buffering != 0). */ buffered?: boolean;
  /** The Env name that holds this descriptor's file position in the walk of the function that opened it (see openedFd). */
  pos?: string;
  /** Opened with O_APPEND: writes go to the end of the file, wherever a seek put the position. */
  appends?: true;
}
export interface BufAV {
  k: 'buf'; origin: BufferOrigin; size?: NumAV;
  /** Python: slicing makes a copy (bytes, bytearray, mmap), unlike a memoryview slice. */
  slicesCopy?: boolean;
}
export interface ObjAV { k: 'obj'; type?: string; fields: Map<string, AV>; /** where each field's value was written */ ranges: Map<string, Node> }
/** An instance of a named type whose fields we only know from what the whole file stores into them. */
export interface InstAV { k: 'inst'; type: string }
export interface ListAV {
  k: 'list'; items: AV[];
  /** struct.pack format, for FICLONERANGE in Python, and the nodes of the packed values. */
  packed?: string; at?: Node[];
  /** A table of cases: the literal's rows (the first MAX_TABLE_ROWS items, each a struct, tuple or list literal). */
  rows?: Node[];
  /** A Python tuple: it cannot change, so an item read by a constant index is that item. */
  tuple?: true;
  /** A Python struct.Struct object of this format (no items): its `size`, and `pack()` like struct.pack. */
  structFormat?: string;
}
export interface ResultAV { k: 'result'; site: PendingSite }
/** Open flags (or a Rust OpenOptions builder): O_DIRECT, and O_APPEND / O_TRUNC for the file position. */
export interface FlagsAV {
  k: 'flags'; oDirect: Tri; append?: Tri; trunc?: Tri;
  /** `flags &^ O_DIRECT`, `flags & ~O_DIRECT`: whatever else the flags hold, O_DIRECT is masked off. */
  cleared?: true;
  /** `~O_DIRECT` (Go `^O_DIRECT`): every bit but O_DIRECT, a mask that clears it from what it is and-ed with. */
  mask?: true;
}
export interface OptsAV { k: 'opts'; oDirect: Tri; append?: Tri; trunc?: Tri }
export interface LayoutAV { k: 'layout'; size?: NumAV; align?: number }
export interface ModuleAV { k: 'module'; name: string }
/** A C library loaded through Python's ctypes (`CDLL(…)`), or one of its functions (`libc.pread`). */
export interface NativeAV { k: 'native'; fn?: string }
/**
 * A Python function held as a value (`copy = os.copy_file_range`, a `def` returned by a factory): each
 * target is `os.<name>` or `def:<name>` (a function of the file); a call of the value calls every target.
 */
export interface FuncAV { k: 'func'; targets: readonly string[] }
/** More targets than this and a function value is unknown. */
const MAX_FUNC_TARGETS = 4;

export type AV =
  | { k: 'unknown' }
  | { k: 'never' }
  /**
   * Rust's `None`: an option that holds nothing. `Some(e)` is the value of `e` itself, so where an
   * option may be either, its value is what the `Some` holds: `None` adds nothing to a join, and a
   * default (`unwrap_or(d)`) is joined in where it is used.
   */
  | { k: 'none' }
  | NumAV | FdAV | BufAV | ObjAV | InstAV | ListAV | ResultAV | FlagsAV | OptsAV | LayoutAV | ModuleAV | NativeAV | FuncAV;

export const UNKNOWN: AV = Object.freeze({ k: 'unknown' }) as AV;
export const NEVER: AV = Object.freeze({ k: 'never' }) as AV;
export const NONE: AV = Object.freeze({ k: 'none' }) as AV;

export function num(value: number, def?: ConstantDefinition, at?: Range): NumAV {
  const v: NumAV = { k: 'num', value };
  if (def) v.def = def;
  if (at) v.at = at;
  return v;
}
/** An integer literal in any of the languages' spellings, or UNKNOWN (floats, overflow). */
export function intLiteral(text: string, node?: Node): AV {
  const v = parseIntegerLiteral(text);
  return v === undefined ? UNKNOWN : num(v, undefined, node ? rangeOf(node) : undefined);
}

/** FICLONE = _IOW(0x94, 9, int), FICLONERANGE = _IOW(0x94, 13, struct file_clone_range) (linux/fs.h). */
export const FICLONE_REQUEST = 0x40049409;
export const FICLONERANGE_REQUEST = 0x4020940d;

export function ficloneVariantOf(av: AV): 'FICLONE' | 'FICLONERANGE' | undefined {
  if (av.k !== 'num') return undefined;
  if (av.value === FICLONE_REQUEST) return 'FICLONE';
  if (av.value === FICLONERANGE_REQUEST) return 'FICLONERANGE';
  return undefined;
}

/** Binary arithmetic on abstract values: numbers fold, O_DIRECT survives `|`, everything else is unknown. */
export function binary(op: string, a: AV, b: AV): AV {
  // `length - done` with `done` still 0 is the parameter itself: the callers' values reach the site
  const zero = (v: AV) => v.k === 'num' && v.value === 0;
  if ((op === '+' || op === '-') && zero(b) && paramTags.has(a)) return a;
  if (op === '+' && zero(a) && paramTags.has(b)) return b;
  const scaledParam = scaledParameter(op, a, b) ?? (op === '*' ? scaledParameter(op, b, a) : undefined);
  if (scaledParam) return scaledParam;
  if (a.k === 'num' && b.k === 'num') {
    const r = evalBinary(op, a.value, b.value);
    return r === undefined ? UNKNOWN : num(r);
  }
  // flags & ~O_DIRECT, flags &^ O_DIRECT: O_DIRECT is off whatever the flags held (F_GETFL's unknown value).
  if ((op === '&' && (isMask(a) || isMask(b))) || (op === '&^' && flagBit(b) === true)) return { k: 'flags', oDirect: false, cleared: true };
  if (isMask(a) || isMask(b)) return UNKNOWN;
  if (op === '|' || op === '+') {
    // O_RDWR | O_DIRECT: the numeric value is platform-specific, but the bit is certainly set.
    const fa = flagBit(a);
    const fb = flagBit(b);
    const bits = { append: triOr(bitOf(a, 'append'), bitOf(b, 'append')), trunc: triOr(bitOf(a, 'trunc'), bitOf(b, 'trunc')) };
    if (fa === true || fb === true) return withBits({ k: 'flags', oDirect: true }, bits);
    if (fa === 'maybe' || fb === 'maybe') return withBits({ k: 'flags', oDirect: 'maybe' }, bits);
    if (fa === false && fb === false) {
      const out = withBits<FlagsAV>({ k: 'flags', oDirect: false }, bits);
      if ((a.k === 'flags' && a.cleared) || (b.k === 'flags' && b.cleared)) out.cleared = true;
      return out;
    }
  }
  return UNKNOWN;
}

function isMask(av: AV): boolean {
  return av.k === 'flags' && !!av.mask;
}

/**
 * `sector * SECTOR_SIZE`, `sector << 9` with `sector` a parameter's incoming value: still that parameter,
 * times a factor, so each caller's argument (scaled) reaches the site and the finding lands on the call.
 */
function scaledParameter(op: string, param: AV, factor: AV): AV | undefined {
  const ref = paramTags.get(param);
  if (!ref || ref.part || factor.k !== 'num' || !Number.isInteger(factor.value) || factor.value <= 0) return undefined;
  const k = op === '*' ? factor.value : op === '<<' && factor.value < 31 ? 2 ** factor.value : undefined;
  if (k === undefined) return undefined;
  const times = (ref.times ?? 1) * k;
  const v: AV = param.k === 'num' ? num(param.value * k) : { ...UNKNOWN };
  paramTags.set(v, { ...ref, times });
  return v;
}

/** O_APPEND and O_TRUNC (Linux values) of a flags value; a number spells them as bits. */
function bitOf(av: AV, bit: 'append' | 'trunc'): Tri | undefined {
  if (av.k === 'flags' || av.k === 'opts') return av[bit] ?? false;
  if (av.k === 'num') return (av.value & (bit === 'append' ? 0o2000 : 0o1000)) !== 0;
  return undefined;
}

/** Either may carry the bit; a value we cannot read may ('maybe'). */
function triOr(a: Tri | undefined, b: Tri | undefined): Tri {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return 'maybe';
}

function triJoin(a: Tri, b: Tri): Tri {
  return a === b ? a : 'maybe';
}

function withBits<T extends FlagsAV | OptsAV>(av: T, bits: { append: Tri; trunc: Tri }): T {
  if (bits.append !== false) av.append = bits.append;
  if (bits.trunc !== false) av.trunc = bits.trunc;
  return av;
}

/** The flags value of a named O_ flag: O_DIRECT, O_APPEND and O_TRUNC are told apart, the others are just flags. */
export function namedFlag(name: string): FlagsAV {
  if (name === 'O_DIRECT') return { k: 'flags', oDirect: true };
  if (name === 'O_APPEND') return { k: 'flags', oDirect: false, append: true };
  if (name === 'O_TRUNC') return { k: 'flags', oDirect: false, trunc: true };
  return { k: 'flags', oDirect: false };
}

/** A Rust OpenOptions builder after `.append(on)` / `.truncate(on)`. */
export function optsWith(opts: OptsAV, bit: 'append' | 'trunc', on: Tri): OptsAV {
  return withBits({ k: 'opts', oDirect: opts.oDirect }, { append: opts.append ?? false, trunc: opts.trunc ?? false, [bit]: on });
}

/** A Rust OpenOptions builder after `.custom_flags(flags)`: the flags' O_APPEND / O_TRUNC are added to its own. */
export function optsWithFlags(opts: OptsAV, oDirect: Tri, flags: AV): OptsAV {
  return withBits({ k: 'opts', oDirect }, { append: triOr(opts.append ?? false, bitOf(flags, 'append')), trunc: triOr(opts.trunc ?? false, bitOf(flags, 'trunc')) });
}

function flagBit(av: AV): Tri | undefined {
  if (av.k === 'flags') return av.oDirect;
  if (av.k === 'num' && av.value === 0) return false;
  return undefined;
}

export function unary(op: string, a: AV): AV {
  // ~O_DIRECT (Go ^O_DIRECT): the mask that takes O_DIRECT away.
  if ((op === '~' || op === '^') && a.k === 'flags' && a.oDirect === true && !a.mask) return { k: 'flags', oDirect: false, mask: true };
  if (a.k !== 'num') return UNKNOWN;
  const r = evalUnary(op, a.value);
  return r === undefined ? UNKNOWN : num(r);
}

/** Does this value, used as open flags, carry O_DIRECT? */
export function oDirectOf(av: AV): Tri | undefined {
  if (av.k === 'flags' || av.k === 'fd' || av.k === 'opts') return av.oDirect;
  return undefined;
}

/** SiteFacts wants a boolean: an fd that is O_DIRECT on some path counts as O_DIRECT. */
export function fdFact(av: AV): boolean | undefined {
  const d = av.k === 'fd' ? av.oDirect : undefined;
  return d === undefined ? undefined : d !== false;
}

// ---------------------------------------------------------------------------------------------
// Joins at control-flow merges. Equal facts survive, different ones become unknown, except that
// "O_DIRECT on one path" is kept as 'maybe' (the I/O still has to be aligned on that path).

const NO_FLAGS: FlagsAV = Object.freeze({ k: 'flags', oDirect: false }) as FlagsAV;

export function join(a: AV | undefined, b: AV | undefined): AV {
  if (!a || !b) return UNKNOWN;
  if (a.k === 'never' || a.k === 'none') return b;
  if (b.k === 'never' || b.k === 'none') return a;
  if (a === b) return a;
  // Open flags on one path and no flags at all (0) on the other: the flags, with each bit set on one path only.
  if (a.k === 'num' && a.value === 0 && b.k === 'flags') return join(NO_FLAGS, b);
  if (b.k === 'num' && b.value === 0 && a.k === 'flags') return join(a, NO_FLAGS);
  switch (a.k) {
    case 'num':
      if (b.k === 'num' && a.value === b.value) return a.def && b.def && a.def.range === b.def.range ? a : num(a.value);
      return UNKNOWN;
    case 'fd': {
      if (b.k !== 'fd') return UNKNOWN;
      const oDirect: Tri = a.oDirect === b.oDirect ? a.oDirect : a.oDirect === false && b.oDirect === false ? false : 'maybe';
      if (oDirect === a.oDirect && a.buffered === b.buffered && a.pos === b.pos) return a;
      // Two different opens: no one file position.
      const fd: FdAV = { k: 'fd', oDirect };
      if (a.buffered !== undefined) fd.buffered = a.buffered;
      if (a.pos !== undefined && a.pos === b.pos) { fd.pos = a.pos; if (a.appends) fd.appends = true; }
      return fd;
    }
    case 'flags':
    case 'opts': {
      if (b.k !== a.k) return UNKNOWN;
      const o = b as FlagsAV | OptsAV;
      if (a.k === 'flags' && !!a.mask !== !!(o as FlagsAV).mask) return UNKNOWN;
      if (a.k === 'flags' && !!a.cleared !== !!(o as FlagsAV).cleared) {
        // O_DIRECT masked off on one path and set (or unknown) on the other: not followed, as before the
        // mask was modelled. Off on both paths, the flags lack it still.
        return a.oDirect === false && o.oDirect === false ? withBits<FlagsAV>({ k: 'flags', oDirect: false }, { append: triJoin(a.append ?? false, o.append ?? false), trunc: triJoin(a.trunc ?? false, o.trunc ?? false) }) : UNKNOWN;
      }
      const append = triJoin(a.append ?? false, o.append ?? false);
      const trunc = triJoin(a.trunc ?? false, o.trunc ?? false);
      if (a.oDirect === o.oDirect && append === (a.append ?? false) && trunc === (a.trunc ?? false)) return a;
      return withBits({ k: a.k, oDirect: a.oDirect === o.oDirect ? a.oDirect : a.oDirect === false && o.oDirect === false ? false : 'maybe' } as FlagsAV | OptsAV, { append, trunc });
    }
    case 'buf': {
      if (b.k !== 'buf') return UNKNOWN;
      const oa = a.origin;
      const ob = b.origin;
      if (oa.state !== ob.state || oa.alignment !== ob.alignment || oa.alignedToPage !== ob.alignedToPage || oa.offset !== ob.offset) return UNKNOWN;
      const size = a.size && b.size && a.size.value === b.size.value ? a.size : undefined;
      return oa.origin === ob.origin ? { k: 'buf', origin: oa, size } : { k: 'buf', origin: { state: oa.state, alignment: oa.alignment, alignedToPage: oa.alignedToPage, offset: oa.offset, origin: `${oa.origin} or ${ob.origin}` }, size };
    }
    case 'module':
      return b.k === 'module' && a.name === b.name ? a : UNKNOWN;
    case 'native':
      return b.k === 'native' && a.fn === b.fn ? a : UNKNOWN;
    case 'func': {
      if (b.k !== 'func') return UNKNOWN;
      const targets = [...new Set([...a.targets, ...b.targets])].sort();
      return targets.length > MAX_FUNC_TARGETS ? UNKNOWN : { k: 'func', targets };
    }
    case 'inst': case 'obj':
      // Two values of the same struct type: keep the type, so field facts can still be looked up.
      if ((b.k === 'inst' || b.k === 'obj') && a.type && a.type === b.type) return { k: 'inst', type: a.type };
      return UNKNOWN;
    case 'result':
      return b.k === 'result' && a.site === b.site ? a : UNKNOWN;
    case 'list':
      // Multiple return values (Go): joined position by position.
      if (b.k !== 'list' || a.items.length !== b.items.length || a.packed !== b.packed) return UNKNOWN;
      return { k: 'list', items: a.items.map((x, i) => join(x, b.items[i])), packed: a.packed };
    default:
      return UNKNOWN;
  }
}

// ---------------------------------------------------------------------------------------------
// Environment: one map per function walk. Blocks remember what their declarations shadowed so the
// outer binding comes back at the closing brace; branches work on copies that are joined afterwards.

const ABSENT = Symbol('absent');

export class Env {
  private readonly vars: Map<string, AV>;
  private readonly shadowed: Array<Map<string, AV | typeof ABSENT>> = [];

  constructor(vars?: Map<string, AV>) { this.vars = vars ? new Map(vars) : new Map(); }

  get(name: string): AV | undefined { return this.vars.get(name); }
  has(name: string): boolean { return this.vars.has(name); }
  names(): IterableIterator<string> { return this.vars.keys(); }
  /** Drops a binding the walk made itself (never a declared name: blocks do not restore it). */
  delete(name: string): void { this.vars.delete(name); }

  /** A new binding (`let`, `:=`, Python assignment): shadows until the enclosing block ends. */
  declare(name: string, value: AV): void {
    const top = this.shadowed[this.shadowed.length - 1];
    if (top && !top.has(name)) top.set(name, this.vars.has(name) ? this.vars.get(name)! : ABSENT);
    this.vars.set(name, value);
  }

  /** An assignment to an existing binding (or a new one where the language has no declarations). */
  assign(name: string, value: AV): void { this.vars.set(name, value); }

  enterBlock(): void { this.shadowed.push(new Map()); }
  exitBlock(): void {
    const saved = this.shadowed.pop();
    if (!saved) return;
    for (const [name, prev] of saved) {
      if (prev === ABSENT) this.vars.delete(name); else this.vars.set(name, prev);
    }
  }

  copy(): Env {
    const e = new Env(this.vars);
    for (const s of this.shadowed) e.shadowed.push(new Map(s));
    return e;
  }

  /** Replaces this env's bindings by the join of several branch envs (a missing branch binding = unknown). */
  joinFrom(branches: Env[]): void {
    const live = branches.filter((b) => !b.diverged);
    if (live.length === 0) { this.diverged = true; return; }
    const names = new Set<string>();
    for (const b of live) for (const n of b.vars.keys()) names.add(n);
    for (const n of names) {
      let v: AV | undefined = live[0]!.vars.get(n);
      for (let i = 1; i < live.length && v; i++) v = join(v, live[i]!.vars.get(n));
      // An unknown that is one object on every live branch is kept as it is: a parameter's incoming
      // value stays tagged as that parameter (see paramValue), so its callers can still supply it.
      if (v && (v.k !== 'unknown' || paramTags.has(v))) this.vars.set(n, v); else if (this.vars.has(n) || v) this.vars.set(n, UNKNOWN);
    }
    // Shadow bookkeeping follows the first live branch (the branches came from copies of this env).
    this.shadowed.length = 0;
    for (const s of live[0]!.shadowed) this.shadowed.push(new Map(s));
  }

  /** Set when the rest of the block cannot run (return/break/continue/panic): its bindings must not join. */
  diverged = false;

  /** Forget what loops may change: each name assigned inside a loop body is unknown at the loop head. */
  havoc(names: Iterable<string>): void { for (const n of names) if (this.vars.has(n)) this.vars.set(n, UNKNOWN); }
}

// ---------------------------------------------------------------------------------------------
// File positions. A read or write without an offset (Go f.Write, Python os.write, Rust write_all)
// uses the descriptor's position: 0 right after the open in the same function, moved by every read
// and write of a known length, set by a seek to a known place. The position lives in the Env under a
// name of the open (aliases share it, branches join it, a loop body starts from the first arrival);
// a descriptor that escapes (handed to a helper, stored in a field, captured by a closure) has no
// known position for the rest of the walk.

const POSITION = '#position:';
const ESCAPED = '#escaped:';

/**
 * The descriptor an open returns, with its position at 0, or at an unknown place when the flags may
 * append to a file that is not truncated (or cannot be read). `where` names the open (its range).
 */
export function openedFd(env: Env, fd: FdAV, where: Range, flags: AV | undefined): FdAV {
  const key = `${POSITION}${where.start.line}:${where.start.column}`;
  const append = flags ? bitOf(flags, 'append') : false;
  const trunc = flags ? bitOf(flags, 'trunc') : false;
  env.assign(key, append === false || (append === true && trunc === true) ? num(0) : UNKNOWN);
  env.delete(ESCAPED + key);
  const out: FdAV = { ...fd, pos: key };
  if (append !== false) out.appends = true;
  return out;
}

/** The file position of a descriptor value just before an I/O on it, when known. */
export function positionOf(env: Env, fd: AV | undefined): NumAV | undefined {
  if (fd?.k !== 'fd' || !fd.pos || env.has(ESCAPED + fd.pos)) return undefined;
  const v = env.get(fd.pos);
  return v?.k === 'num' && v.value >= 0 ? num(v.value) : undefined;
}

/** Has the descriptor gone where the walk cannot follow it (see escapePosition), so that its position may have moved? */
export function positionEscaped(env: Env, fd: FdAV): boolean {
  return !!fd.pos && env.has(ESCAPED + fd.pos);
}

/** A read or write of `by` bytes at the position (unknown length: the position becomes unknown). */
export function movePosition(env: Env, fd: AV | undefined, by: AV): void {
  if (fd?.k !== 'fd' || !fd.pos) return;
  const cur = env.get(fd.pos);
  env.assign(fd.pos, cur?.k === 'num' && by.k === 'num' && by.value >= 0 ? num(cur.value + by.value) : UNKNOWN);
}

/** lseek / Seek: whence 0 sets the position, 1 moves it, anything else (SEEK_END, unknown) loses it. */
export function seekPosition(env: Env, fd: AV | undefined, offset: AV, whence: AV): void {
  if (fd?.k !== 'fd' || !fd.pos) return;
  // With O_APPEND a write goes to the end whatever the position says: not followed past a seek.
  if (fd.appends) { escapePosition(env, fd); return; }
  const w = whence.k === 'num' ? whence.value : undefined;
  const cur = env.get(fd.pos);
  if (w === 0 && offset.k === 'num' && offset.value >= 0) env.assign(fd.pos, num(offset.value));
  else if (w === 1 && offset.k === 'num' && cur?.k === 'num' && cur.value + offset.value >= 0) env.assign(fd.pos, num(cur.value + offset.value));
  else env.assign(fd.pos, UNKNOWN);
}

/** The descriptor went where the walk cannot follow it: its position is unknown from here on. */
export function escapePosition(env: Env, av: AV | undefined): void {
  if (av?.k === 'fd' && av.pos) env.assign(ESCAPED + av.pos, num(1));
  else if (av?.k === 'list') for (const i of av.items) escapePosition(env, i);
}

/** Every descriptor bound to a name that `node` mentions escapes (a closure, a goroutine, a nested def). */
export function escapeMentioned(env: Env, node: Node): void {
  const names = new Set<string>();
  walkTree(node, (type, get) => { if (type === 'identifier') names.add(get().text); return true; });
  for (const n of names) escapePosition(env, env.get(n));
}

/** A walk that may run at another time than its place in the text (a closure body, an exception handler). */
export function forgetPositions(env: Env): void {
  for (const n of [...env.names()]) if (n.startsWith(POSITION)) env.assign(n, UNKNOWN);
}

/** An I/O at the descriptor's position: the position, when known, is its offset (reported on the call). */
export function setPosition(facts: SiteFacts, env: Env, fd: AV | undefined): void {
  const pos = positionOf(env, fd);
  if (pos) facts.offset = { known: true, value: pos.value, text: 'the file position' };
}

// ---------------------------------------------------------------------------------------------
// Sites under construction. A copy_file_range result starts "not handled" and is flipped when the
// walk later sees the result checked (comparison, condition, `?`, match, return, loop use, except).

export interface PendingSite {
  facts: SiteFacts;
  inLoop: boolean;
  /** The call that is the site (for what its function's syntax says around it). */
  node?: Node;
}

export class SiteCollector {
  readonly sites: PendingSite[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly language: Language) {}

  /**
   * Records one site per call node (deduplicated, so the depth-capped fallback walk may revisit
   * a call without doubling it). Returns undefined for a duplicate.
   */
  add(kind: SiteKind, callee: string, call: Node, siteRange?: Range): PendingSite | undefined {
    const r = rangeOf(call);
    const range = siteRange ?? r;
    const key = `${r.start.line}:${r.start.column}:${r.end.line}:${r.end.column}:${kind}`;
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    const site: PendingSite = {
      facts: { site: { kind, language: this.language, callee, range }, argRanges: {}, constants: {} },
      inLoop: false,
      node: call,
    };
    this.sites.push(site);
    return site;
  }

  result(): SiteFacts[] {
    return this.sites
      .map((s) => s.facts)
      .sort((a, b) => a.site.range.start.line - b.site.range.start.line || a.site.range.start.column - b.site.range.start.column);
  }
}

/** The copy_file_range result was checked (or propagated): ZDIO012 must stay quiet. */
export function markHandled(av: AV | undefined): void {
  if (!av) return;
  if (av.k === 'result') av.site.facts.resultHandled = true;
  else if (av.k === 'list') for (const i of av.items) markHandled(i);
}

/** The copy_file_range sites whose result nothing has handled yet. */
export function unhandledResults(sites: SiteCollector): PendingSite[] {
  return sites.sites.filter((s) => s.facts.site.kind === 'copy_file_range' && s.facts.resultHandled === false);
}

/**
 * Around an `if` whose branch only reports and leaves: the results its condition looked at (they were
 * unhandled before it and are handled after it) were only checked to give up, with no fallback and no
 * loop on a short count. Call `check` to evaluate the condition; then `settle` after the branch, whose
 * reporting calls (log.Fatal(err)) would otherwise count as handling.
 */
export function giveUpCheck(sites: SiteCollector, check: () => void): { settle(): void } {
  // Sites the condition itself creates (`if let Err(e) = copy_file_range(…)`) count as unhandled before it.
  const handledBefore = new Set(sites.sites.filter((s) => s.facts.resultHandled !== false));
  check();
  const checked = sites.sites.filter((s) => s.facts.site.kind === 'copy_file_range' && s.facts.resultHandled === true && !handledBefore.has(s));
  return {
    settle() {
      for (const s of checked) { s.facts.resultHandled = false; s.facts.resultOnlyEndsTheProgram = true; }
    },
  };
}

/** An errno a copy_file_range fallback looks for: a condition naming one is a fallback check, not giving up. */
export const FALLBACK_ERRNO = /\bE(XDEV|INVAL|OPNOTSUPP|NOTSUP|NOSYS|AGAIN|WOULDBLOCK)\b/;

/** The result was read somewhere. Inside a loop that counts as handling the short count. */
export function markUsed(av: AV | undefined): void {
  if (!av) return;
  if (av.k === 'result') { if (av.site.inLoop) av.site.facts.resultHandled = true; }
  else if (av.k === 'list') for (const i of av.items) markUsed(i);
}

// ---------------------------------------------------------------------------------------------
// Turning abstract values into SiteFacts fields.

export function derived(av: AV, text: string): DerivedNumber {
  return av.k === 'num' ? { known: true, value: av.value, text } : { known: false, text };
}

/** Records a derived number on a site (with its constant, if the number is exactly one named constant). */
export function setNumber(
  facts: SiteFacts, role: 'length' | 'offset' | 'srcOffset' | 'dstOffset', av: AV, text: string, argNode?: Node | Range,
): void {
  facts[role] = derived(av, text);
  if (av.k === 'num' && av.def) facts.constants[role] = av.def;
  else if (av.k === 'num' && av.at) (facts.literals ??= {})[role] = av.at;
  if (argNode) facts.argRanges[role] = 'startPosition' in argNode ? rangeOf(argNode) : argNode;
  const ref = av.k === 'num' ? undefined : paramTags.get(av);
  if (ref) (facts.params ??= {})[role] = ref;
}

// ---------------------------------------------------------------------------------------------
// Summaries per call. A parameter whose value the callers do not agree on enters its function as a
// fresh abstract value tagged with the parameter; a site that reads that very value (unchanged, so
// still the caller's) records the parameter, and interprocedural.ts supplies each call's argument.

/** Abstract values that are exactly a parameter's incoming value. Keyed by object identity. */
const paramTags = new WeakMap<object, ParamRef>();

/**
 * The value a parameter starts with: what the callers agree on, as a copy tagged with the parameter.
 * A known value is tagged too, so that a call passing it on names the parameter and the question goes
 * up to the caller that wrote the value (the finding lands where the value comes from).
 */
export function paramValue(passed: AV, ref: ParamRef): AV {
  if (passed.k !== 'unknown' && passed.k !== 'num' && passed.k !== 'buf') return passed;
  const v: AV = { ...passed };
  paramTags.set(v, ref);
  return v;
}

/**
 * `len(p)` of a parameter's incoming buffer whose size the callers do not agree on: each caller's
 * argument size, so that a length taken from the buffer is judged at every call.
 */
export function parameterSize(param: AV): AV | undefined {
  const ref = paramTags.get(param);
  if (!ref || ref.part || ref.times !== undefined || ref.atMost !== undefined || (param.k !== 'buf' && param.k !== 'unknown')) return undefined;
  const v: AV = { ...UNKNOWN };
  paramTags.set(v, { ...ref, part: 'size' });
  return v;
}

/**
 * A site's number, except that a parameter still holding the number its callers agree on is left to
 * each call: the finding then lands on the call's argument, where the value is written, not in the helper.
 */
export function setCallersNumber(
  facts: SiteFacts, role: 'length' | 'offset' | 'srcOffset' | 'dstOffset', av: AV, text: string, node?: Node,
): void {
  const ref = av.k === 'num' ? paramTags.get(av) : undefined;
  setNumber(facts, role, ref ? UNKNOWN : av, text, node);
  if (ref) (facts.params ??= {})[role] = ref;
}

/**
 * A site's buffer that is a parameter's incoming value: its origin, and its size when the length is the buffer's.
 * With `toCallers`, a buffer the callers agree on is left to each call too, so the finding lands on the
 * argument that carries it, as a number does (see setCallersNumber).
 */
export function setBufferParam(facts: SiteFacts, av: AV, toCallers = false): void {
  const ref = paramTags.get(av);
  if (!ref || (!toCallers && facts.buffer && facts.buffer.state !== 'unknown')) return;
  if (toCallers) delete facts.buffer;
  (facts.params ??= {}).buffer = ref;
  if (facts.lengthIsBufferSize && !facts.length?.known) facts.params.length = { ...ref, part: 'size' };
}

/** What a caller knows about one argument, for the summaries. */
export function argFact(av: AV, node: Node): ArgFact {
  const fact: ArgFact = { range: rangeOf(node), text: node.text };
  if (av.k === 'num') { fact.number = { known: true, value: av.value, text: node.text }; if (av.def) fact.constant = av.def; }
  if (av.k === 'buf' && av.origin.state !== 'unknown') fact.buffer = av.origin;
  // `footer[:64]` of a block from a helper: where it starts is not known, how long it is is
  if (av.k === 'buf' && av.size) fact.size = { known: true, value: av.size.value, text: `len(${node.text})` };
  if (av.k === 'fd' && av.oDirect !== 'maybe') fact.oDirect = av.oDirect;
  const ref = paramTags.get(av);
  if (ref) fact.param = ref;
  return fact;
}

/** The calls of the file's own functions, by call position (a unit analysed again replaces its records). */
export class CallLog {
  private readonly byCall = new Map<string, CallRecord>();
  private muted = 0;

  /** Runs `fn` without recording calls: a row walk's calls carry one row's values (see factsFromRow). */
  mute<T>(fn: () => T): T {
    this.muted++;
    try { return fn(); } finally { this.muted--; }
  }

  /**
   * Runs `fn` recording its calls as made by one row of a table (a row walk): a helper the loop body
   * calls with the row's values is judged per row, and the finding goes on the row (on the row's own
   * literal for the value when it has one), as for a site in the body itself.
   */
  asRow<T>(row: RowOfTable, fn: () => T): T {
    const saved = this.row;
    const label = rowLabel(row.node);
    this.row = { range: rangeOf(row.node), row: { table: row.table, index: row.index, ...(label ? { label } : {}) } };
    try { return fn(); } finally { this.row = saved; }
  }

  private row: { range: Range; row: TableRow } | undefined;

  /** `args`: by parameter position; a position the call leaves empty (a keyword slot it does not fill) is undefined. */
  record(callee: string, caller: string | undefined, call: Node, args: ({ av: AV; node: Node } | undefined)[], expressions?: CallRecord['expressions']): void {
    if (this.muted) return;
    const range = rangeOf(call);
    if (this.row) {
      const { range: rowRange, row } = this.row;
      const inRow = (r: Range | undefined): r is Range => !!r && !before(r.start, rowRange.start) && !before(rowRange.end, r.end);
      const facts = args.map((a) => {
        if (!a) return undefined;
        const f = argFact(a.av, a.node);
        // What the row makes known is placed on the row; what the body knows anyway stays where it is.
        if (f.number || f.buffer || f.oDirect !== undefined) {
          f.range = a.av.k === 'num' && inRow(a.av.at) ? a.av.at : rowRange;
          delete f.constant;
        }
        return f;
      });
      const key = `row:${row.table}:${row.index}:${range.start.line}:${range.start.column}:${callee}`;
      this.byCall.set(key, { callee, caller, range: rowRange, row, args: facts, ...(expressions ? { expressions } : {}) });
      return;
    }
    this.byCall.set(`${range.start.line}:${range.start.column}:${callee}`, { callee, caller, range, args: args.map((a) => a && argFact(a.av, a.node)), ...(expressions ? { expressions } : {}) });
  }

  list(): CallRecord[] { return [...this.byCall.values()]; }
}

/** A new buffer with no page-alignment guarantee (heap vectors, stack arrays, bytes objects). */
export function unalignedBuf(origin: string, size?: NumAV, at?: Node): BufAV {
  const o: BufferOrigin = { state: 'unaligned', origin };
  if (at) { o.allocationRange = rangeOf(at); o.allocationText = at.text; }
  setCapacity(o, size);
  return { k: 'buf', origin: o, size };
}

/** A buffer aligned to `alignment` bytes; no alignment = the system page size (mmap and friends). */
export function alignedBuf(origin: string, alignment: number | undefined, size?: NumAV, at?: Node): BufAV {
  const o: BufferOrigin = { state: 'aligned', origin };
  if (alignment !== undefined) o.alignment = alignment; else o.alignedToPage = true;
  if (at) { o.allocationRange = rangeOf(at); o.allocationText = at.text; }
  setCapacity(o, size);
  return { k: 'buf', origin: o, size };
}

/**
 * A new allocation of `size` bytes. Its size can be grown by a fix where it is spelled: a named constant, or a
 * literal inside the allocation itself (a literal that reached it through a variable may have other uses).
 */
function setCapacity(o: BufferOrigin, size: NumAV | undefined): void {
  if (!size || size.value < 0) return;
  const inside = (r: Range, outer: Range) => !before(r.start, outer.start) && !before(outer.end, r.end);
  const literal = size.at && o.allocationRange && inside(size.at, o.allocationRange) ? size.at : undefined;
  o.capacity = { size: size.value, offset: 0, text: size.def?.name ?? String(size.value) };
  if (o.allocationRange) o.capacity.sizeAt = o.allocationRange;
  if (size.def) o.capacity.constant = size.def;
  else if (literal) o.capacity.literal = literal;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/**
 * A view into a buffer, `buf[start:end]` style. The view keeps the base's alignment plus the start
 * offset; its size is end - start (or base size - start). Unknown start on an aligned base = unknown.
 */
export function sliceBuf(base: BufAV, start: AV | undefined, end: AV | undefined): BufAV {
  const origin: BufferOrigin = { ...base.origin };
  delete origin.allocationRange;
  delete origin.allocationText;
  let startValue: number | undefined = 0;
  if (start) startValue = start.k === 'num' ? start.value : undefined;
  // The view starts `start` bytes into the allocation: what it can hold shrinks by as much.
  if (origin.capacity) {
    if (startValue === undefined) delete origin.capacity;
    else origin.capacity = { ...origin.capacity, offset: origin.capacity.offset + startValue };
  }
  if (origin.state === 'aligned') {
    if (startValue === undefined) { origin.state = 'unknown'; delete origin.offset; origin.origin = `${base.origin.origin} at an unknown offset`; }
    else if (startValue !== 0) origin.offset = (origin.offset ?? 0) + startValue;
  } else if (origin.state === 'unaligned' && startValue === undefined) {
    // An allocation without a page guarantee, entered at an offset computed at run time: that offset
    // is how code aligns by hand (over-allocate, then start at the first aligned address), so the view
    // may well be aligned. Unknown, not unaligned.
    origin.state = 'unknown';
    origin.origin = `${base.origin.origin} at an unknown offset`;
  }
  let size: NumAV | undefined;
  if (end) {
    if (end.k === 'num' && startValue !== undefined) size = end.value - startValue === end.value ? end : num(end.value - startValue);
  } else if (base.size && startValue !== undefined) {
    size = startValue === 0 ? base.size : num(base.size.value - startValue);
  }
  if (size && size.value < 0) size = undefined;
  // Keep the origin's allocation range on a whole view so the "use an aligned allocation" fix still applies.
  if (!start && !end) return base;
  return { k: 'buf', origin, size };
}

/** The combined buffer of a vectored call (readv/preadv): aligned only if every piece is. */
export function combineBuffers(items: AV[]): BufAV | undefined {
  if (items.length === 0) return undefined;
  const bufs = items.map((i) => (i.k === 'buf' ? i : undefined));
  if (bufs.length === 1) return bufs[0];
  const bad = bufs.find((b) => b?.origin.state === 'unaligned');
  let total: number | undefined = 0;
  for (const b of bufs) total = b?.size && total !== undefined ? total + b.size.value : undefined;
  const size = total === undefined ? undefined : num(total);
  // One piece's allocation says nothing about the whole request's: no capacity, no allocation to grow.
  if (bad) return { k: 'buf', origin: { state: 'unaligned', origin: bad.origin.origin }, size };
  if (bufs.every((b) => b?.origin.state === 'aligned' && !b.origin.offset && b.origin.alignment === bufs[0]!.origin.alignment && b.origin.alignedToPage === bufs[0]!.origin.alignedToPage)) {
    const first = bufs[0]!.origin;
    return { k: 'buf', origin: { state: 'aligned', alignment: first.alignment, alignedToPage: first.alignedToPage, origin: bufs.map((b) => b!.origin.origin).join(', ') }, size };
  }
  return { k: 'buf', origin: { state: 'unknown', origin: 'several buffers' }, size };
}

/** Builds the ConstantDefinition for `name = <valueNode>`. */
export function constantDef(name: string, valueNode: Node): ConstantDefinition {
  return { name, range: rangeOf(valueNode), valueText: valueNode.text };
}

const fieldIds = new WeakMap<object, Map<string, number>>();

/**
 * `node.childForFieldName(name)` with the field id cached per grammar: web-tree-sitter looks the
 * name up with a linear search on every call, which dominated the profile.
 */
export function fieldChild(node: Node, name: string): Node | null {
  const language = node.tree.language;
  let ids = fieldIds.get(language);
  if (!ids) { ids = new Map(); fieldIds.set(language, ids); }
  let id = ids.get(name);
  if (id === undefined) { id = language.fields.indexOf(name); ids.set(name, id); }
  return id < 0 ? null : node.childForFieldId(id);
}

/**
 * A query compiled once per grammar and reused for every file: compiling takes milliseconds, and a scan
 * analyses thousands of files. Returns the getter an extractor calls with a file's root node.
 */
export function cachedQuery(source: string): (root: Node) => Query {
  let cache: { language: unknown; query: Query } | undefined;
  return (root) => {
    const language = root.tree.language;
    if (cache?.language !== language) cache = { language, query: new Query(language, source) };
    return cache.query;
  };
}

/** Nesting deeper than this is walked flat (sites found, facts unknown) instead of recursively. */
export const MAX_DEPTH = 200;

/**
 * What the Rust, Go and Python extractors share: the recursion guard and the walks of a table's rows.
 * Real (and hostile) code nests expressions arbitrarily deep; past MAX_DEPTH, evaluation switches to a flat,
 * non-recursive walk that still finds every call below (so no site is lost) while argument values become
 * shallow (so no deep recursion happens).
 */
export abstract class GuardedEvaluator {
  protected depth = 0;
  protected flat = false;
  protected abstract readonly language: Language;
  /** The sites the current walk records. */
  abstract sites: SiteCollector;
  abstract readonly calls: CallLog;
  protected abstract readonly summaries: Summaries;
  /** Values the current function returns, for its return summary. */
  protected returns: AV[] = [];
  /** Sites of the unit as rows of tables of cases see them (see factsFromRow). */
  protected rowFacts: SiteFacts[] = [];
  protected readonly rowBudget = new RowWalkBudget();
  protected inRowWalk = false;
  /** The grammar's call node type. */
  protected abstract readonly callType: string;
  /** Node types a flat walk does not enter (nested definitions are analysed as units of their own). */
  protected abstract readonly flatScanSkips: ReadonlySet<string>;
  protected abstract evalCall(node: Node, env: Env): AV;
  /** Full evaluation of one node, recursing through evalExpr. */
  protected abstract evalInner(node: Node, env: Env): AV;
  /** Evaluation in flat mode: only leaves (literals, names), never recursion. */
  protected abstract shallow(node: Node, env: Env): AV;

  evalExpr(node: Node | null | undefined, env: Env): AV {
    if (!node) return UNKNOWN;
    tickBudget();
    if (this.flat) return this.shallow(node, env);
    if (this.depth > MAX_DEPTH) { this.flatScan(node, env); return UNKNOWN; }
    this.depth++;
    try {
      return this.evalInner(node, env);
    } finally {
      this.depth--;
    }
  }

  /**
   * Walks a loop body once per row of the table it iterates, with the loop's names (`names`) bound to the
   * row by `walkRow`, which then walks the body; the sites that a row makes more known are kept as seen from
   * that row. Nothing a row walk stores or calls reaches the rest of the file.
   */
  protected walkRows(body: Node, start: Env, names: ReadonlySet<string>, table: ListAV, tableName: string,
    walkRow: (env: Env, row: AV) => void): void {
    if (this.inRowWalk) return;
    const base = this.sites.sites.map((s) => s.facts).filter((f) => rangeWithin(f.site.range, rangeOf(body)));
    const excluded = rowDependentExtents(body, names);
    const savedSites = this.sites;
    const savedReturns = this.returns;
    this.inRowWalk = true;
    try {
      for (let k = 0; k < table.rows!.length && this.rowBudget.take(body); k++) {
        const env = start.copy();
        this.sites = new SiteCollector(this.language);
        this.returns = [];
        const row: RowOfTable = { table: tableName, index: k, node: table.rows![k]! };
        this.summaries.mute(() => this.calls.asRow(row, () => walkRow(env, table.items[k] ?? UNKNOWN)));
        this.rowFacts.push(...factsFromRow(base, this.sites.result(), { table: tableName, index: k, node: table.rows![k]! }, excluded));
      }
    } finally {
      this.sites = savedSites;
      this.returns = savedReturns;
      this.inRowWalk = false;
    }
  }

  /** Depth-capped fallback: finds every call below `node` without recursion; arguments get only shallow values. */
  protected flatScan(node: Node, env: Env): void {
    const saved = this.flat;
    this.flat = true;
    try {
      walkTree(node, (type, get) => {
        if (this.flatScanSkips.has(type)) return false;
        if (type === this.callType) this.evalCall(get(), env);
        return true;
      });
    } finally {
      this.flat = saved;
    }
  }
}

/**
 * What one function tells the others: the values stored into `Type.field`, the value a function
 * returns, and the values callers pass to a parameter. Each write is keyed by the syntax node that
 * made it, so re-analysing a function replaces its old contribution instead of piling onto it.
 * Reads register the reading unit, so a later change re-queues exactly the functions that care.
 */
export class Summaries {
  private readonly writes = new Map<string, Map<number, AV>>();
  private readonly joined = new Map<string, AV>();
  /** The join of every writer of a key, in writing order (`joined` keeps an older, equal value). */
  private readonly folds = new Map<string, AV>();
  private readonly readers = new Map<string, Set<number>>();
  /** Keys whose joined value changed since the scheduler last looked. */
  readonly changed = new Set<string>();
  currentUnit = -1;
  /** Told the first time a key is read: the scheduler may then run the units that can write it. */
  onFirstRead: ((key: string) => void) | undefined;
  private muted = 0;

  /**
   * Runs `fn` with writes ignored. A loop body walked once per row of a table stores that row's values
   * only; what the rest of the file sees is what the ordinary walk of the body stored.
   */
  mute<T>(fn: () => T): T {
    this.muted++;
    try { return fn(); } finally { this.muted--; }
  }

  read(key: string): AV {
    let r = this.readers.get(key);
    if (!r) { r = new Set(); this.readers.set(key, r); this.onFirstRead?.(key); }
    if (this.currentUnit >= 0) r.add(this.currentUnit);
    return this.joined.get(key) ?? UNKNOWN;
  }

  write(key: string, writer: number, value: AV): void {
    if (this.muted) return;
    let w = this.writes.get(key);
    if (!w) { w = new Map(); this.writes.set(key, w); }
    const prev = w.get(writer);
    if (prev && sameAV(prev, value)) return;
    w.set(writer, value);
    const folded = this.folds.get(key);
    let j: AV | undefined;
    if (!prev && folded) {
      // A new writer goes last in the map's order, so folding it into the previous fold gives exactly
      // the full fold, without re-joining every earlier writer (N calls of one function were O(N²)).
      j = join(folded, value);
    } else {
      for (const v of w.values()) j = j === undefined ? v : join(j, v);
    }
    this.folds.set(key, j!);
    const old = this.joined.get(key);
    if (!old || !sameAV(old, j!)) { this.joined.set(key, j!); this.changed.add(key); }
  }

  readersOf(key: string): Iterable<number> { return this.readers.get(key) ?? []; }
  valueOf(key: string): AV | undefined { return this.joined.get(key); }
}

/** A value worth re-visiting other functions for: it can make their I/O O_DIRECT. */
export function carriesODirect(av: AV | undefined): boolean {
  if (av?.k === 'list') return av.items.some(carriesODirect);
  return !!av && (av.k === 'fd' || av.k === 'opts' || av.k === 'flags') && av.oDirect !== false;
}

/** Counts analysis units that threw (and were skipped): tests assert it stays 0 on hostile input. */
export const flowDiagnostics = { unitFailures: 0, lastError: '' };

export interface Unit {
  /** Text used to decide whether a unit can matter at all (cheap regex / substring tests). */
  text: string;
}

/**
 * Runs `analyze` over the units that can contain a site, then re-runs units whose inputs changed
 * (a field or return value they read) and units that mention a name which just became O_DIRECT.
 * `nameOfKey` maps a summary key to the identifier a unit would mention to use it.
 */
export function runUnits<U extends Unit>(
  units: U[], relevant: { test(text: string): boolean }, summaries: Summaries, nameOfKey: (key: string) => string | undefined,
  analyze: (unit: U, index: number) => SiteFacts[],
  /** The sites a unit had found when it failed: an odd construct costs that unit's rest, not the file. */
  partial: () => SiteFacts[] = () => [],
  more: {
    /**
     * The names a unit must mention to call the function of a site that reads a parameter. Such units
     * are analysed too (their calls say what the parameter is), whatever their text holds.
     */
    calleeNames?: (fact: SiteFacts) => Iterable<string>;
    /**
     * Units run only on demand (the functions of other files): never at the start or for a name they
     * mention, only when `demand` names them for a key some unit reads.
     */
    onDemand?: (unit: U) => boolean;
    /** The units that may write a summary key (run when the key is first read). */
    demand?: (key: string) => Iterable<number>;
    /** Units run at the start whatever their text holds (a function that stores module state others read). */
    start?: Iterable<number>;
  } = {},
): SiteFacts[] {
  const { calleeNames, onDemand, demand, start } = more;
  const free = (u: U): boolean => !onDemand?.(u);
  const results = new Map<number, SiteFacts[]>();
  const queue: number[] = [];
  const queued = new Set<number>();
  const push = (i: number): void => { if (!queued.has(i)) { queued.add(i); queue.push(i); } };
  units.forEach((u, i) => { if (free(u) && relevant.test(u.text)) push(i); });
  for (const i of start ?? []) push(i);
  const collected = (): SiteFacts[] => {
    const all: SiteFacts[] = [];
    for (const i of [...results.keys()].sort((a, b) => a - b)) all.push(...results.get(i)!);
    return all.sort((a, b) => a.site.range.start.line - b.site.range.start.line || a.site.range.start.column - b.site.range.start.column);
  };
  const rerunForOwnWrite = new Set<number>();
  const followed = new Set<string>();
  const followCallers = (found: readonly SiteFacts[]): void => {
    if (!calleeNames) return;
    for (const f of found) {
      if (!f.params) continue;
      for (const name of calleeNames(f)) {
        if (followed.has(name)) continue;
        followed.add(name);
        units.forEach((u, j) => { if (free(u) && !results.has(j) && u.text.includes(name)) push(j); });
      }
    }
  };
  const previousHook = summaries.onFirstRead;
  if (demand) summaries.onFirstRead = (key) => { for (const j of demand(key)) if (!results.has(j)) push(j); };
  try {
    let runs = units.length * 4 + 16;
    while (queue.length && runs-- > 0) {
      const i = queue.shift()!;
      queued.delete(i);
      summaries.currentUnit = i;
      try {
        tickBudget();
        results.set(i, analyze(units[i]!, i));
        followCallers(results.get(i)!);
      } catch (e) {
        if (e instanceof AnalysisStopped) {
          // Out of time: what every unit found so far, this one's partial sites included, is kept.
          results.set(i, [...(results.get(i) ?? []), ...partial()]);
          throw e.withPartial(collected());
        }
        flowDiagnostics.unitFailures++;
        flowDiagnostics.lastError = e instanceof Error ? e.stack ?? e.message : String(e);
        results.set(i, partial());
      }
      summaries.currentUnit = -1;
      if (!summaries.changed.size) continue;
      const changed = [...summaries.changed];
      summaries.changed.clear();
      for (const key of changed) {
        // A unit that read what it wrote itself (a cache in module state, `if _C is not None: return _C`)
        // runs once more to see its own value; not again, so that it cannot keep itself going.
        for (const r of summaries.readersOf(key)) {
          if (r !== i || !results.has(r)) push(r);
          else if (!rerunForOwnWrite.has(r)) { rerunForOwnWrite.add(r); push(r); }
        }
        const name = nameOfKey(key);
        if (name && carriesODirect(summaries.valueOf(key))) {
          units.forEach((u, j) => { if (free(u) && !results.has(j) && u.text.includes(name)) push(j); });
        }
      }
    }
  } finally {
    summaries.onFirstRead = previousHook;
  }
  return collected();
}

function sameAV(a: AV, b: AV): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'fd': return a.oDirect === (b as FdAV).oDirect && a.buffered === (b as FdAV).buffered && a.pos === (b as FdAV).pos;
    case 'flags': case 'opts': return a.oDirect === (b as FlagsAV).oDirect && a.append === (b as FlagsAV).append && a.trunc === (b as FlagsAV).trunc
      && (a as FlagsAV).cleared === (b as FlagsAV).cleared && (a as FlagsAV).mask === (b as FlagsAV).mask;
    case 'num': return a.value === (b as NumAV).value;
    case 'inst': return a.type === (b as InstAV).type;
    case 'native': return a.fn === (b as NativeAV).fn;
    case 'func': { const t = (b as FuncAV).targets; return a.targets.length === t.length && a.targets.every((x) => t.includes(x)); }
    case 'obj': return a.type === (b as ObjAV).type;
    case 'buf': {
      const o = (b as BufAV).origin;
      return a.origin.state === o.state && a.origin.alignment === o.alignment && a.origin.offset === o.offset && a.size?.value === (b as BufAV).size?.value;
    }
    case 'unknown': case 'never': case 'none': return true;
    case 'list': {
      const items = (b as ListAV).items;
      return a.items.length === items.length && a.items.every((x, i) => sameAV(x, items[i]!));
    }
    default: return a === b;
  }
}

/** The summary key of a struct/class field, shared by the writers and readers of every extractor. */
export const fieldKey = (type: string, field: string): string => `field:${type}.${field}`;

/** A field of an object value: written in this function, else what the whole file stores into Type.field. */
export function readField(obj: AV, field: string, summaries: Summaries): AV | undefined {
  if (obj.k === 'obj') return obj.fields.get(field) ?? (obj.type ? summaries.read(fieldKey(obj.type, field)) : UNKNOWN);
  if (obj.k === 'inst') return summaries.read(fieldKey(obj.type, field));
  return undefined;
}

/**
 * The extractor's prefilter widened by the file's own names that stand for O_DIRECT or a clone request
 * (`const FLAGS = O_DIRECT | …`): a function that only mentions such a name is still analysed.
 */
export function prefilterWithNames(prefilter: RegExp, names: readonly string[]): RegExp {
  const extra = names.filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)).map((n) => `\\b${n}\\b`).join('|');
  return new RegExp(extra ? `${prefilter.source}|${extra}` : prefilter.source);
}

// ---------------------------------------------------------------------------------------------
// Tables of cases. A loop over a literal table (`for _, tc := range tests`, `for name, off, n in CASES`,
// `for &(name, off, len) in CASES`) is walked as usual, with the row unknown, and then once per row
// with the loop variables bound to that row. A value a row walk knows and the ordinary walk does not
// came from the row: the site as seen from that row is judged like a site seen from a call, and a
// finding about such a value goes on the row.

/** At most this many rows of one table are walked. */
export const MAX_TABLE_ROWS = 256;
/** At most this many row walks per file: nested or repeated tables cost no more. */
export const MAX_ROW_WALKS = 1024;
/** A loop body longer than this (in characters) is not walked per row. */
export const MAX_ROW_BODY = 20_000;
/** At most this much loop body text is walked again for rows, per file (rows × body length). */
export const MAX_ROW_WALK_TEXT = 2_000_000;

/**
 * What one file's row walks may still cost: a walk is allowed while the number of walks and the body
 * text walked again stay within their bounds.
 */
export class RowWalkBudget {
  private walks = 0;
  private text = 0;

  /** Takes one walk of `body` from the budget; false when there is none left for it. */
  take(body: Node): boolean {
    const length = body.endIndex - body.startIndex;
    if (length > MAX_ROW_BODY || this.walks >= MAX_ROW_WALKS || this.text + length > MAX_ROW_WALK_TEXT) return false;
    this.walks++;
    this.text += length;
    return true;
  }
}

/** The row a walk was made for: the table's name, the row's position and its literal in the source. */
export interface RowOfTable { table: string; index: number; node: Node }

const NUMBER_ROLES = ['length', 'offset', 'srcOffset', 'dstOffset'] as const;

/**
 * The sites of one row walk, compared with the ordinary walk's sites (`base`, matched by position and
 * kind): each fact that the row made more known becomes that site as seen from the row. Values the row
 * supplied point at the row's own literal for them, else at the row.
 */
export function factsFromRow(base: readonly SiteFacts[], seen: readonly SiteFacts[], row: RowOfTable, excluded: readonly Range[] = []): SiteFacts[] {
  const out: SiteFacts[] = [];
  const rowRange = rangeOf(row.node);
  const inside = (r: Range, outer: Range) => !before(r.start, outer.start) && !before(outer.end, r.end);
  const within = (r: Range | undefined): r is Range => !!r && inside(r, rowRange);
  const key = (f: SiteFacts) => `${f.site.kind}:${f.site.range.start.line}:${f.site.range.start.column}`;
  const byPlace = new Map(base.map((b) => [key(b), b]));
  for (const g of seen) {
    const b = byPlace.get(key(g));
    if (!b || (g.site.kind === 'o_direct_io' && g.fdODirect !== true)) continue;
    if (excluded.some((x) => inside(g.site.range, x))) continue;
    const supplied: NonNullable<CallStep['supplied']> = [];
    const argRanges = { ...g.argRanges };
    const constants = { ...g.constants };
    if (b.fdODirect !== true && g.fdODirect === true) { supplied.push('fd'); argRanges.fd = within(g.argRanges.fd) ? g.argRanges.fd : rowRange; }
    if (b.srcFdODirect !== true && g.srcFdODirect === true) supplied.push('srcFd');
    if (b.dstFdODirect !== true && g.dstFdODirect === true) supplied.push('dstFd');
    if ((!b.buffer || b.buffer.state === 'unknown') && g.buffer && g.buffer.state !== 'unknown') {
      supplied.push('buffer');
      if (!within(argRanges.buffer)) argRanges.buffer = within(g.buffer.allocationRange) ? g.buffer.allocationRange : rowRange;
    }
    for (const role of NUMBER_ROLES) {
      if (b[role]?.known || !g[role]?.known) continue;
      supplied.push(role);
      const literal = g.literals?.[role];
      const constant = constants[role];
      argRanges[role] = within(literal) ? literal : within(constant?.range) ? constant!.range : rowRange;
      if (constant && !within(constant.range)) delete constants[role];
    }
    if (!supplied.length) continue;
    const label = rowLabel(row.node);
    out.push({
      ...g, argRanges, constants,
      via: [{ callee: row.table, range: rowRange, supplied, row: { table: row.table, index: row.index, ...(label ? { label } : {}) } }],
    });
  }
  return out;
}

/**
 * The sites of a loop body as its first pass sees them (`seen`, a walk of the body from the values the
 * loop starts with) against the ordinary walk (`base`, where whatever the loop changes is unknown): a
 * site whose length or offsets the first pass knows and the ordinary walk does not becomes that site on
 * the first pass, with `loop` as the first step of its path. Only the numbers are taken from the first
 * pass, and none with a definition or a literal: an edit of one would change every pass, not the first.
 */
export function factsOfFirstPass(base: readonly SiteFacts[], seen: readonly SiteFacts[], loop: Range, keyword = 'while'): SiteFacts[] {
  const byPlace = new Map(seen.map((g) => [siteKey(g), g]));
  const out: SiteFacts[] = [];
  for (const b of base) {
    const g = byPlace.get(siteKey(b));
    if (!g || b.via) continue;
    const supplied: NonNullable<CallStep['supplied']> = [];
    const first: SiteFacts = { ...b, argRanges: { ...b.argRanges }, constants: { ...b.constants }, ...(b.params ? { params: { ...b.params } } : {}) };
    for (const role of NUMBER_ROLES) {
      if (b[role]?.known || b.params?.[role]) continue;
      const ref = g.params?.[role];
      if (!g[role]?.known && !ref) continue;
      supplied.push(role);
      first[role] = g[role]!;
      if (g.argRanges[role]) first.argRanges[role] = g.argRanges[role];
      delete first.constants[role];
      if (first.literals?.[role]) { first.literals = { ...first.literals }; delete first.literals[role]; }
      if (ref) (first.params ??= {})[role] = ref;
    }
    if (!supplied.length) continue;
    out.push({ ...first, via: [{ callee: keyword, range: loop, supplied, firstPass: true }] });
  }
  return out;
}

/** The first short string literal of a row, as written: the case's name (`"short read"`). */
function rowLabel(row: Node): string | undefined {
  let found: string | undefined;
  walkTree(row, (type, get) => {
    if (found) return false;
    if (/^(?:interpreted_string_literal|raw_string_literal|string_literal|string)$/.test(type)) {
      const t = get().text;
      if (t.length <= 60 && !/\n/.test(t)) found = t;
      return false;
    }
    return true;
  });
  return found;
}

/** Condition-like children by node type, in Go, Python and Rust: the part that decides, and the parts it guards. */
const DECIDES: Record<string, { test: string[]; guarded?: string[] }> = {
  if_statement: { test: ['condition'], guarded: ['consequence', 'alternative'] },
  if_expression: { test: ['condition'], guarded: ['consequence', 'alternative'] },
  elif_clause: { test: ['condition'], guarded: ['consequence'] },
  while_statement: { test: ['condition'], guarded: ['body'] },
  while_expression: { test: ['condition'], guarded: ['body'] },
  for_statement: { test: ['condition'], guarded: ['body'] },
  conditional_expression: { test: [] },
  match_expression: { test: ['value'], guarded: ['body'] },
  match_statement: { test: ['subject'], guarded: ['body'] },
  expression_switch_statement: { test: ['value'] },
};
const LEAVING = /\b(?:break|return|continue|goto|panic|raise|exit|os\.Exit|sys\.exit|t\.Fatal\w*|t\.Skip\w*|unreachable)\b/;

/**
 * The parts of a loop body whose running depends on the loop variables (`names`): what a condition that
 * reads them guards, and everything after a guard that can leave. A row walk does not decide such
 * conditions, so a site there is not judged per row (that row might never reach it).
 */
export function rowDependentExtents(body: Node, names: ReadonlySet<string>): Range[] {
  const out: Range[] = [];
  if (!names.size) return out;
  const reads = (n: Node | null): boolean => {
    if (!n) return false;
    let found = false;
    walkTree(n, (type, get) => {
      if (found) return false;
      if (type === 'identifier' && names.has(get().text)) found = true;
      return !found;
    });
    return found;
  };
  const bodyRange = rangeOf(body);
  walkTree(body, (type, get) => {
    const shape = DECIDES[type];
    if (!shape) return true;
    const node = get();
    // `a if cond else b`: the whole expression, when it reads the row at all
    if (type === 'conditional_expression') {
      if (reads(node)) out.push(rangeOf(node));
      return true;
    }
    if (!shape.test.some((f) => reads(fieldChild(node, f)))) return true;
    const r = rangeOf(node);
    if (shape.guarded) {
      for (const f of shape.guarded) { const g = fieldChild(node, f); if (g) out.push(rangeOf(g)); }
    } else {
      out.push(r);
    }
    if (LEAVING.test(node.text)) out.push({ start: r.end, end: bodyRange.end });
    return true;
  });
  return out;
}

/** The identifiers a loop target or pattern binds (`tc`, `(name, off, len)`, `&(a, b)`). */
export function boundNames(pattern: Node | null): Set<string> {
  const names = new Set<string>();
  if (pattern) walkTree(pattern, (type, get) => { if (type === 'identifier') names.add(get().text); return true; });
  return names;
}

// ---------------------------------------------------------------------------------------------
// Facts of another file (a Go package's sibling, a Python module the file imports), as the analysed file holds them.

/** A site of another file: every range it has is that file's. */
export function placeElsewhere(f: SiteFacts, file: string, lineOffset = 0): SiteFacts {
  const placed: SiteFacts = { ...f, file, ...(lineOffset ? { lineOffset } : {}), elsewhere: Object.keys(f.argRanges) as (keyof SiteFacts['argRanges'])[], constants: {} };
  delete placed.literals;
  if (f.buffer) placed.buffer = detachOrigin(f.buffer);
  if (f.segments) placed.segments = f.segments.map(({ length, buffer }) => ({ length, ...(buffer ? { buffer: detachOrigin(buffer) } : {}) }));
  return placed;
}

/** A call made in another file: what it passes keeps no place of that file a fix could edit here. */
export function callElsewhere(c: CallRecord, file: string, lineOffset = 0): CallRecord {
  const arg = (a: ArgFact | undefined): ArgFact | undefined => {
    if (!a) return a;
    const { constant: _constant, ...rest } = a;
    return rest.buffer ? { ...rest, buffer: detachOrigin(rest.buffer) } : rest;
  };
  return { ...c, file, ...(lineOffset ? { lineOffset } : {}), args: c.args.map(arg) };
}

export function detachOrigin(o: BufferOrigin): BufferOrigin {
  const { allocationRange: _range, allocationText: _text, capacity, ...rest } = o;
  if (!capacity) return rest;
  const { literal: _literal, constant: _constant, sizeAt: _sizeAt, ...cap } = capacity;
  return { ...rest, capacity: cap };
}

// ---------------------------------------------------------------------------------------------
// Branches that belong together. `if direct { flags |= O_DIRECT; size = 512 } else { size = 4096 }`:
// after the join the descriptor may be O_DIRECT and the size is unknown, though on the one path where
// the descriptor is O_DIRECT the size is 512. An extractor walks such a function once more per value of
// the switch (the condition taken as true, then as false) and keeps, for a site that is O_DIRECT only
// with the switch on, the facts of that walk.

/** How many switch names of one function are walked apart (each costs two more walks of the function). */
export const MAX_SWITCHES = 2;
/** The most source text one file's switch walks may cover: a file of many such functions costs a bounded extra. */
export const MAX_SWITCH_WALK_TEXT = 64 * 1024;

/** What the switch walks of one file have left to spend (two walks of the function per switch). */
export class SwitchWalkBudget {
  private text = 0;

  /** Takes the two walks of `body` for one switch; false when there is no budget left for them. */
  take(body: Node): boolean {
    const cost = 2 * (body.endIndex - body.startIndex);
    if (this.text + cost > MAX_SWITCH_WALK_TEXT) return false;
    this.text += cost;
    return true;
  }
}

/** Where a site is, as a key that is the same in every walk of its function. */
const siteKey = (f: SiteFacts): string =>
  `${f.site.kind}@${f.site.range.start.line}:${f.site.range.start.column}-${f.site.range.end.line}:${f.site.range.end.column}`;

/**
 * The sites of a function with the walks of one switch taken into account: a site found in one walk and
 * absent from the other (its descriptor is O_DIRECT only on that path) takes the facts of the walk that
 * found it; every other site keeps its facts from the ordinary walk.
 */
export function correlatedFacts(base: readonly SiteFacts[], on: readonly SiteFacts[], off: readonly SiteFacts[]): SiteFacts[] {
  const onByKey = new Map(on.map((f) => [siteKey(f), f] as const));
  const offByKey = new Map(off.map((f) => [siteKey(f), f] as const));
  return base.map((f) => {
    if (f.via) return f;
    const key = siteKey(f);
    const withOn = onByKey.get(key);
    const withOff = offByKey.get(key);
    return withOn && !withOff ? withOn : withOff && !withOn ? withOff : f;
  });
}

/**
 * The sites of a function's body with each of its switches walked apart, while the budget lasts: `walk(name,
 * value)` walks the body once more with the switch taken as set or unset and returns the sites it found. The
 * extractor keeps its own state around the walks; the order of the walks and the merging are the same for all.
 */
export function withSwitchWalks(base: readonly SiteFacts[], names: Iterable<string>, budget: SwitchWalkBudget, body: Node,
  walk: (name: string, value: boolean) => SiteFacts[]): SiteFacts[] {
  let facts = [...base];
  for (const name of names) {
    if (!budget.take(body)) break;
    facts = correlatedFacts(facts, walk(name, true), walk(name, false));
  }
  return facts;
}

/**
 * The switches of a function: the names tested alone (or negated) by `if` statements with a branch
 * that spells O_DIRECT, that nothing in the function assigns. `condition` gives a statement's tested
 * name (undefined when the condition is anything else); `assigned` says which names the function assigns.
 * `anyBranch`: every such `if` counts, whatever its branches spell (a helper's `if on { return }` before
 * the fcntl that clears O_DIRECT).
 */
export function switchNames(body: Node, ifType: string, condition: (ifNode: Node) => string | undefined,
  assigned: ReadonlySet<string>, anyBranch = false): string[] {
  const names: string[] = [];
  walkTree(body, (type, get) => {
    if (names.length >= MAX_SWITCHES) return false;
    if (type !== ifType) return true;
    const n = get();
    const name = condition(n);
    if (name && !assigned.has(name) && !names.includes(name) && (anyBranch || /O_DIRECT|directio/.test(n.text))) names.push(name);
    return true;
  });
  return names;
}

// ---------------------------------------------------------------------------------------------
// O_DIRECT switched off again. `fcntl(fd, F_SETFL, flags &^ O_DIRECT)` makes the descriptor buffered
// from there on; done in a helper on a descriptor parameter (`disable_directio(fd)`), it makes the
// caller's descriptor buffered after the call. Two markers live in the Env for that: which parameter
// a local holds (`fd := f.Fd()`), and which parameters' descriptors have had O_DIRECT cleared on the
// path walked so far (a branch that did not clear joins to "not cleared").

const DESCRIPTOR_PARAM = '#descriptor-param:';
const CLEARED = '#odirect-cleared:';

/** Does an F_SETFL with this value leave O_DIRECT off? (Flags known to lack it: masked off, or spelled without it.) */
export function setflClears(flags: AV): boolean {
  return flags.k === 'flags' && flags.oDirect === false && !flags.mask;
}

/** `name` holds the incoming descriptor of parameter `index` (undefined: no parameter's, from here on). */
export function bindDescriptorParam(env: Env, name: string, index: number | undefined): void {
  if (index === undefined && !env.has(DESCRIPTOR_PARAM + name)) return;   // most names never held one
  env.assign(DESCRIPTOR_PARAM + name, index === undefined ? UNKNOWN : num(index));
}

/** The parameter whose incoming descriptor `name` holds on this path, if any. */
export function descriptorParamOf(env: Env, name: string): number | undefined {
  const v = env.get(DESCRIPTOR_PARAM + name);
  return v?.k === 'num' ? v.value : undefined;
}

/** The descriptor of parameter `index` had O_DIRECT cleared on this path. */
export function noteODirectCleared(env: Env, index: number): void {
  env.assign(CLEARED + index, num(1));
}

/** The parameters whose descriptors had O_DIRECT cleared on every path that reached this env. */
export function clearedParams(env: Env): Set<number> {
  const out = new Set<number>();
  for (const n of env.names()) {
    if (!n.startsWith(CLEARED)) continue;
    const v = env.get(n);
    if (v?.k === 'num' && v.value === 1) out.add(Number(n.slice(CLEARED.length)));
  }
  return out;
}

/**
 * The descriptor bound to `name` is buffered from here on: its value, and every other name holding
 * the same open (same position key), lose O_DIRECT. A name holding no known descriptor is left alone.
 */
export function clearODirect(env: Env, name: string): void {
  const cur = env.get(name);
  if (cur?.k !== 'fd') return;
  for (const n of [...env.names()]) {
    const v = env.get(n);
    if (v?.k === 'fd' && (n === name || (cur.pos !== undefined && v.pos === cur.pos)) && v.oDirect !== false) env.assign(n, { ...v, oDirect: false });
  }
}

/** The summary key that says how a function leaves the O_DIRECT of its descriptor parameter `index`. */
export const clearsKey = (fn: string, index: number): string => `clears:${fn}:${index}`;

/**
 * What a function's walks found about a descriptor parameter: it clears O_DIRECT on every path that
 * gets to the end (ALWAYS_CLEARS), or only when its boolean parameter `switchIndex` is `value`, or
 * not known to (UNKNOWN).
 */
export const ALWAYS_CLEARS: AV = Object.freeze({ k: 'num', value: 1 }) as AV;
export function clearsWhen(switchIndex: number, value: boolean): AV {
  return { k: 'list', items: [num(switchIndex), num(value ? 1 : 0)] };
}

/**
 * Does a call clear O_DIRECT on the descriptor it passes, by the callee's summary? A conditional
 * clearer counts only when the call spells the switch's value (`True`/`true` or `False`/`false`, or a
 * number); anything else is not known to clear.
 */
export function callClears(summary: AV, switchArg: (index: number) => boolean | undefined): boolean {
  if (summary.k === 'num') return summary.value === 1;
  if (summary.k !== 'list' || summary.items.length !== 2) return false;
  const [at, value] = summary.items;
  if (at?.k !== 'num' || value?.k !== 'num') return false;
  const passed = switchArg(at.value);
  return passed !== undefined && passed === (value.value === 1);
}

/**
 * The parameters cleared at the end of a walk: on the fall-through end (when the walk gets there) and
 * at each return the language counts (`counts`: Go leaves out a return under `if err != nil`, an error
 * path after which the caller does not go on to the I/O).
 */
export function clearedAtEnd(env: Env, returns: readonly { node: Node; cleared: Set<number> }[], counts: (ret: Node) => boolean): Set<number> {
  const states: Set<number>[] = [];
  if (!env.diverged) states.push(clearedParams(env));
  for (const r of returns) if (counts(r.node)) states.push(r.cleared);
  if (!states.length) return new Set();
  const [first, ...rest] = states;
  return new Set([...first!].filter((i) => rest.every((s) => s.has(i))));
}

/** An fcntl(F_SETFL) set O_DIRECT again on the descriptor of parameter `index`: no longer cleared on this path. */
export function noteODirectRestored(env: Env, index: number): void {
  env.assign(CLEARED + index, UNKNOWN);
}

/**
 * An fcntl(F_SETFL) on the descriptor held by `name`: with flags that lack O_DIRECT it is buffered from
 * here on (and, when it is a parameter's, the callers' after the call, noted in `setflParams`); one that
 * sets O_DIRECT undoes an earlier clearing of the parameter.
 */
export function setflOnName(env: Env, name: string, clears: boolean, setflParams: Set<number>): void {
  if (clears) clearODirect(env, name);
  const param = descriptorParamOf(env, name);
  if (param === undefined) return;
  setflParams.add(param);
  if (clears) noteODirectCleared(env, param); else noteODirectRestored(env, param);
}

/** Does `name` hold a descriptor the walk knows, or a parameter's? Only those are asked about clearing. */
export function holdsKnownDescriptor(env: Env, name: string): boolean {
  return env.get(name)?.k === 'fd' || descriptorParamOf(env, name) !== undefined;
}
