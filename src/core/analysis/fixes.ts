// Quick fixes, computed in core so the editor and the command line only convert them. A fix never makes
// code worse, which decides what is offered:
// - A read's length is rounded up to a page multiple only when the buffer is known to hold the longer
//   read, or when the same fix grows the buffer (a literal inside its allocation, or a constant that no
//   other code uses). An unknown buffer size gets no length fix: a longer read could overflow it.
// - A write's length, an offset, a copy_file_range or FICLONERANGE range is never rounded: each such edit
//   changes which bytes the program writes, reads, copies or clones. The rules say what to do by hand
//   (`manualFix`); the editor offers the rule's article.
// - malloc becomes aligned_alloc with the file's own page-size name (else sysconf(_SC_PAGESIZE), with the
//   include it needs); the size keeps its spelling and is rounded up, with names, only when it is not
//   known to be a page multiple.
// - An unchecked copy_file_range (C, C++) becomes a call of copy_file_range_fully(), added above the function:
//   same arguments and result, but it copies the whole range and falls back to read/write where the kernel
//   cannot copy. Not offered on O_DIRECT descriptors, whose read/write fallback through an ordinary buffer
//   would fail, nor where the name is already taken.
// - A suppression comment.
import type { BufferCapacity, BufferOrigin, ConstantDefinition, Fix, Finding, Language, PageSizeName, Position, Range, SiteFacts, TextEdit } from '../types';
import { FULL_COPY_HELPER } from './languages/c-family-model';
import { LineIndex } from './languages/common';
import type { LengthRound, RuleHit } from './rules';
import { parseIntegerLiteral, roundUp } from './values';

/** A constant expression made of literals only: safe to replace with its rounded value. */
const LITERAL_EXPR = /^[\s()0-9a-fA-FxXuUlLzZ'_+*\/%<>|&^~-]+$/;
/** The largest page size of the Linux kernels in use (arm64 and ppc64le with 64K pages). */
const LARGEST_PAGE_SIZE = 65536;
const RUNTIME_PAGE_SIZE = 'sysconf(_SC_PAGESIZE)';

export interface FixContext {
  text: string;
  lines: LineIndex;
  language: Language;
  pageSize: number;
  /** The file's line break for inserted lines; found once per file when absent (a scan of the text per finding was quadratic). */
  eol?: string;
  /** Where each name occurs in code (comments left out); built once per file, on the first fix that asks. */
  nameOffsets?: Map<string, number[]>;
  /** The text with comments blanked (see withoutComments), built with nameOffsets. */
  codeWithoutComments?: string;
  /** Per array name, where code measures it (sizeof and the like). */
  measured?: Map<string, number[]>;
}

export interface FixResult {
  fixes: Fix[];
  /** Why a fix a rule asked for is not offered, or what the rule says to do by hand (Finding.manualFix). */
  manualFix?: string;
}

function eolOf(ctx: FixContext): string {
  return (ctx.eol ??= ctx.text.includes('\r\n') ? '\r\n' : '\n');
}

/** Keeps a literal's base, digit separators aside, and suffix: `0x30000ULL` → `0x40000ULL`, `1000usize` → `4096usize`. */
export function formatLike(oldText: string, value: number): string {
  const t = oldText.trim();
  const m = /^(0[xX])?([0-9a-fA-F'_]+?)((?:[iu](?:8|16|32|64|128|size))|[uUlLzZ]*)$/.exec(t);
  if (m && parseIntegerLiteral(t) !== undefined) {
    if (m[1]) return `${m[1]}${value.toString(16)}${m[3]}`;
    if (!/^0\d/.test(t)) return `${value}${m[3]}`;
  }
  return String(value);
}

function textAt(ctx: FixContext, r: Range): string {
  return ctx.text.slice(ctx.lines.offsetAt(r.start), ctx.lines.offsetAt(r.end));
}

function contains(outer: Range, inner: Range): boolean {
  const le = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.column <= b.column);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.column === b.start.column && a.end.line === b.end.line && a.end.column === b.end.column;
}

// ---------------------------------------------------------------------------------------------
// Where a number is spelled, and whether editing it is safe

/** A number in the source that a fix may replace: a literal, or the value of a named constant's definition. */
interface Spot {
  range: Range;
  text: string;
  /** The constant's name, when the spot is a named definition (its other uses change with it). */
  name?: string;
}

type Refusal = { refused: string };

function isName(name: string): boolean { return /^[A-Za-z_]\w*$/.test(name); }

/** A definition whose value is made of literals only; a value with names in it would lose them. */
function definitionSpot(def: ConstantDefinition): Spot | Refusal {
  if (!LITERAL_EXPR.test(def.valueText) || !/\d/.test(def.valueText)) {
    return { refused: `${def.name} is defined as ${def.valueText.trim()}, not as a number: a fix would replace the names in it` };
  }
  return isName(def.name) ? { range: def.range, text: def.valueText, name: def.name } : { range: def.range, text: def.valueText };
}

function literalSpot(ctx: FixContext, range: Range): Spot | undefined {
  const text = textAt(ctx, range);
  return LITERAL_EXPR.test(text) && /\d/.test(text) ? { range, text } : undefined;
}

/**
 * Offsets of `name` in the file's code (comments blanked, strings kept, so a name inside a string counts as
 * a use: safe, since it only makes a fix less likely).
 */
function nameOffsets(ctx: FixContext, name: string): number[] {
  if (!ctx.nameOffsets) {
    const code = (ctx.codeWithoutComments ??= withoutComments(ctx.text, ctx.language));
    const index = new Map<string, number[]>();
    const re = /[A-Za-z_][A-Za-z0-9_]*/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(code)) !== null) {
      const list = index.get(m[0]);
      if (list) list.push(m.index); else index.set(m[0], [m.index]);
    }
    ctx.nameOffsets = index;
  }
  return ctx.nameOffsets.get(name) ?? [];
}

/**
 * Undefined when every use of the spot's constant lies in `known` (the read's length, the buffer's size) or
 * is the definition's own name; else why rounding it would change other code.
 */
function otherUses(ctx: FixContext, spot: Spot, known: (Range | undefined)[]): string | undefined {
  if (!spot.name) return undefined;
  const offsets = nameOffsets(ctx, spot.name);
  // Counted with binary searches, not a walk over every use: a file may use one constant at 100 000 calls.
  let accounted = 0;
  for (const [s, e] of mergedRegions(ctx, known)) accounted += countBetween(offsets, s, e - spot.name.length + 1);
  const defLineStart = ctx.lines.offsetAt({ line: spot.range.start.line, column: 0 });
  if (countBetween(offsets, defLineStart, ctx.lines.offsetAt(spot.range.start)) > 0) accounted++;  // the definition's own name
  const others = offsets.length - accounted;
  if (others <= 0) return undefined;
  return `${spot.name} is used elsewhere too (${others} more ${others === 1 ? 'use' : 'uses'}): rounding it up would change that code as well`;
}

/** The ranges as sorted, non-overlapping [start, end) offset pairs. */
function mergedRegions(ctx: FixContext, ranges: (Range | undefined)[]): [number, number][] {
  const spans = ranges.filter((r): r is Range => !!r).map((r) => [ctx.lines.offsetAt(r.start), ctx.lines.offsetAt(r.end)] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const sp of spans) {
    const last = out[out.length - 1];
    if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]); else out.push(sp);
  }
  return out;
}

/** How many of the ascending `offsets` lie in [from, to). */
function countBetween(offsets: readonly number[], from: number, to: number): number {
  return to <= from ? 0 : lowerBound(offsets, to) - lowerBound(offsets, from);
}

function lowerBound(offsets: readonly number[], value: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < value) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Growing a buffer also changes what other code sees of it when its variable carries the size (a C array
 * under `sizeof`, a Go slice, a Rust Vec or array, a Python bytearray or mmap): such a variable may appear
 * only where the buffer is made and in this call. Undefined when that holds, else why not.
 */
function holderUsedElsewhere(ctx: FixContext, facts: SiteFacts, buffer: BufferOrigin | undefined, cap: BufferCapacity): string | undefined {
  const made = buffer?.allocationRange ?? cap.sizeAt;
  const binding: Range | undefined = made ? { start: { line: made.start.line, column: 0 }, end: made.start } : undefined;
  const allowed = [facts.argRanges.buffer, binding, made];
  if (cap.holder) {
    // A C array's other uses see its size only through sizeof, std::size/std::end, a range-for or a count macro.
    return sizeDependentUse(ctx, cap.holder, allowed) ? `${cap.holder} is measured elsewhere too (sizeof or a loop over it): growing the array would change that code` : undefined;
  }
  if (ctx.language === 'c' || ctx.language === 'cpp' || !facts.argRanges.buffer) return undefined;
  // Go slices, Rust vectors and arrays, Python bytearrays and mmaps carry their length to every other use.
  // A buffer made in the call itself (`f.ReadAt(make([]byte, 1000), 0)`) has no other use.
  if (made && contains(facts.argRanges.buffer, made)) return undefined;
  const arg = textAt(ctx, facts.argRanges.buffer);
  const holders = [...arg.matchAll(/(?<![.\w]|::)[A-Za-z_]\w*(?!\w|\s*[(!])/g)].map((m) => m[0]).filter((n) => !HOLDER_KEYWORDS.has(n));
  for (const name of new Set(holders)) {
    const other = otherUses(ctx, { range: binding ?? facts.site.range, text: '', name }, allowed);
    if (other) return `${name} is used elsewhere too: growing the buffer would change what that code sees of it`;
  }
  return undefined;
}

/** Is `name` measured outside `allowed`: `sizeof name`, `std::size(name)`, `for (… : name)`, `ARRAY_SIZE(name)`? */
function sizeDependentUse(ctx: FixContext, name: string, allowed: (Range | undefined)[]): boolean {
  const measured = measuredOffsets(ctx, name);
  const regions = mergedRegions(ctx, allowed);
  return measured.some((at) => !regions.some(([s, e]) => at >= s && at + name.length <= e));
}

/** Where `name` is measured, found once per name and file (a file may read one array at thousands of calls). */
function measuredOffsets(ctx: FixContext, name: string): number[] {
  const memo = (ctx.measured ??= new Map());
  let found = memo.get(name);
  if (found) return found;
  const code = (ctx.codeWithoutComments ??= withoutComments(ctx.text, ctx.language));
  found = nameOffsets(ctx, name).filter((at) => {
    const before = code.slice(Math.max(0, at - 40), at);
    const after = code.slice(at + name.length, at + name.length + 4);
    return /\bsizeof\s*\(?\s*$/.test(before) || /\b(?:std::)?(?:size|ssize|end|cend|rbegin|rend)\s*\(\s*$/.test(before)
      || /\b\w*(?:SIZE|COUNT|LEN|NELEM|size|count|len)\w*\s*\(\s*$/.test(before) || (/:\s*$/.test(before) && /^\s*\)/.test(after));
  });
  memo.set(name, found);
  return found;
}

const HOLDER_KEYWORDS = new Set(['mut', 'ref', 'as', 'move', 'None', 'True', 'False', 'nil']);

// ---------------------------------------------------------------------------------------------
// Read length

/** What the buffer is called in a title: its allocation as written, else its origin. */
function bufferLabel(b: BufferOrigin | undefined): string {
  const text = b?.allocationText?.replace(/\s+/g, ' ').trim();
  if (text && text.length <= 40) return text;
  return b?.origin ?? 'the buffer';
}

function lengthSpotOf(req: LengthRound, facts: SiteFacts, ctx: FixContext): Spot | Refusal {
  const seg = req.segment !== undefined ? facts.segments?.[req.segment] : undefined;
  const constant = seg ? seg.constant : facts.constants.length;
  if (constant) return definitionSpot(constant);
  const range = seg ? seg.range : facts.argRanges.length;
  const literal = range ? literalSpot(ctx, range) : undefined;
  if (literal) return literal;
  // A literal bound in the call itself (`buf[:1000]`); one that reached the call through a variable may have other uses.
  const bound = seg ? undefined : facts.literals?.length;
  if (bound && range && contains(range, bound)) return literalSpot(ctx, bound) ?? { refused: 'the length is not a plain literal' };
  return { refused: `the length ${range ? textAt(ctx, range).trim() : ''} is computed, not a literal or a constant of its own: round it up where it is computed, and grow the buffer with it` };
}

function capacitySpot(cap: BufferCapacity): Spot | Refusal | undefined {
  if (cap.constant) return definitionSpot(cap.constant);
  if (cap.literal) return { range: cap.literal, text: cap.text };
  return undefined;
}

/**
 * Rounds a read's length up to `req.multiple`, keeping the read inside its buffer: the buffer already holds
 * the longer read, or the same fix grows it. Anything else is refused with the reason.
 */
function readLengthFix(req: LengthRound, facts: SiteFacts, ctx: FixContext): Fix | Refusal {
  const target = roundUp(req.value, req.multiple);
  const seg = req.segment !== undefined ? facts.segments?.[req.segment] : undefined;
  const buffer = seg ? seg.buffer : facts.buffer;
  const page = `a multiple of the page size ${req.multiple}`;
  const lengthUse = seg ? seg.range : facts.argRanges.length;

  if (facts.lengthIsBufferSize && !seg) {
    const cap = buffer?.capacity;
    if (!cap || cap.offset !== 0 || cap.size !== req.value) {
      // A view of a larger buffer (`buf[:1000]`): its bound is the length, and the buffer must hold the longer view.
      const bound = lengthSpotOf(req, facts, ctx);
      if ('refused' in bound) return { refused: `the read fills ${bufferLabel(buffer)}, whose size is not known to be ${req.value}: grow the buffer to ${target} bytes where it is made` };
      if (!cap) return { refused: `the size of the buffer (${bufferLabel(buffer)}) is not known: a ${target}-byte view of it could run past its end` };
      const available = cap.size - cap.offset;
      if (available < target) return { refused: `${bufferLabel(buffer)} holds ${available} bytes there: a ${target}-byte view would run past its end` };
      return {
        title: `Round ${bound.text.trim()} up to ${target} (${page}); the buffer holds ${available} bytes`,
        edits: [{ range: bound.range, newText: formatLike(bound.text, target) }],
      };
    }
    // The read fills the whole buffer: growing the buffer is what makes the read longer.
    const spot = capacitySpot(cap);
    if (!spot) return { refused: `${bufferLabel(buffer)} is ${cap.text} bytes, a size computed elsewhere: grow it to ${target} bytes where it is computed` };
    if ('refused' in spot) return spot;
    const other = otherUses(ctx, spot, [cap.sizeAt, buffer?.allocationRange]) ?? holderUsedElsewhere(ctx, facts, buffer, cap);
    if (other) return { refused: other };
    return {
      title: `Grow the buffer to ${target} bytes: ${spot.name ?? cap.text} rounded up to ${page}, so the read is too`,
      edits: [{ range: spot.range, newText: formatLike(spot.text, target) }],
    };
  }

  const lengthSpot = lengthSpotOf(req, facts, ctx);
  if ('refused' in lengthSpot) return lengthSpot;
  const lengthText = lengthSpot.name ?? lengthSpot.text.trim();
  const roundLength: TextEdit = { range: lengthSpot.range, newText: formatLike(lengthSpot.text, target) };

  if (buffer?.sizedByCall) {
    const other = otherUses(ctx, lengthSpot, [lengthUse]);
    if (other) return { refused: other };
    return { title: `Round ${lengthText} up to ${target} (${page}); the call allocates a buffer that long`, edits: [roundLength] };
  }
  const cap = buffer?.capacity;
  if (!cap) return { refused: `the size of the buffer (${bufferLabel(buffer)}) is not known: a ${target}-byte read could overflow it` };
  const available = cap.size - cap.offset;
  const sizeUse = cap.sizeAt ?? buffer?.allocationRange;

  if (available >= target) {
    const other = otherUses(ctx, lengthSpot, [lengthUse]);
    if (other) return { refused: other };
    return { title: `Round ${lengthText} up to ${target} (${page}); the buffer holds ${available} bytes`, edits: [roundLength] };
  }
  const needed = cap.offset + target;
  const grow = capacitySpot(cap);
  if (!grow) return { refused: `${bufferLabel(buffer)} holds ${available} bytes, and its size ${cap.text} is computed elsewhere: a ${target}-byte read would overflow it` };
  if ('refused' in grow) return { refused: `${bufferLabel(buffer)} holds only ${available} bytes, and ${grow.refused}` };
  if (sameRange(grow.range, lengthSpot.range)) {
    // One constant is both the length and the buffer's size: rounding it grows both alike.
    if (cap.offset !== 0) return { refused: `${lengthText} is both the length and the buffer's size, but the read starts ${cap.offset} bytes into the buffer` };
    const other = otherUses(ctx, lengthSpot, [lengthUse, sizeUse]) ?? holderUsedElsewhere(ctx, facts, buffer, cap);
    if (other) return { refused: other };
    return { title: `Round ${lengthText} up to ${target} (${page}); it is the buffer's size too, which grows with it`, edits: [roundLength] };
  }
  const otherLength = otherUses(ctx, lengthSpot, [lengthUse]);
  if (otherLength) return { refused: otherLength };
  const otherSize = otherUses(ctx, grow, [sizeUse]) ?? holderUsedElsewhere(ctx, facts, buffer, cap);
  if (otherSize) return { refused: otherSize };
  return {
    title: `Round ${lengthText} up to ${target} (${page}) and grow the buffer ${bufferLabel(buffer)} to ${needed} bytes`,
    edits: [roundLength, { range: grow.range, newText: formatLike(grow.text, needed) }],
  };
}

// ---------------------------------------------------------------------------------------------
// Aligned allocation

/**
 * The page size as the file spells it: a name holding the runtime page size, else a constant equal to the
 * configured page size, else sysconf(_SC_PAGESIZE).
 */
function pageSizeSpelling(names: readonly PageSizeName[] | undefined, pageSize: number): PageSizeName {
  return names?.find((n) => n.value === undefined) ?? names?.find((n) => n.value === pageSize) ?? { name: RUNTIME_PAGE_SIZE };
}

/**
 * One edit adding the headers the file does not include yet (each given as its alternatives, the first one
 * written), before the first include so feature-test macros stay first. Undefined when nothing is missing.
 */
function includeEdit(ctx: FixContext, headers: readonly (readonly string[])[]): TextEdit | undefined {
  const code = (ctx.codeWithoutComments ??= withoutComments(ctx.text, ctx.language));
  const included = (h: string) => new RegExp(`^[ \\t]*#[ \\t]*include[ \\t]*[<"]${h.replace(/\./g, '\\.')}[>"]`, 'm').test(code);
  const missing = headers.filter((alternatives) => !alternatives.some(included)).map((alternatives) => alternatives[0]!);
  if (!missing.length) return undefined;
  const first = /^[ \t]*#[ \t]*include\b/m.exec(code);
  const at = ctx.lines.positionAt(first ? first.index : 0);
  const start: Position = { line: at.line, column: 0 };
  return { range: { start, end: start }, newText: missing.map((h) => `#include <${h}>${eolOf(ctx)}`).join('') };
}

function roundedSize(size: string, page: string): string {
  const s = /^\s*[A-Za-z_0-9]+\s*$/.test(size) ? size.trim() : `(${size.trim()})`;
  return `(${s} + ${page} - 1) / ${page} * ${page}`;
}

function allocationFix(facts: SiteFacts, ctx: FixContext): Fix | undefined {
  const b = facts.buffer;
  if (!b?.allocationRange || !b.allocationText || (ctx.language !== 'c' && ctx.language !== 'cpp')) return undefined;
  const call = /^\s*((?:::|std::)?)\s*malloc\s*\(([\s\S]*)\)\s*$/.exec(b.allocationText);
  if (!call || !call[2]!.trim()) return undefined;
  const qualifier = call[1]!;
  const sizeText = call[2]!;
  const page = pageSizeSpelling(b.pageSizeNames, ctx.pageSize);
  const known = b.allocationSize?.known ? b.allocationSize.value : undefined;
  let size: string;
  if (known !== undefined && known > 0 && known % (page.value ?? LARGEST_PAGE_SIZE) === 0) size = sizeText.trim();
  else if (known !== undefined && page.value !== undefined && parseIntegerLiteral(sizeText) !== undefined) size = formatLike(sizeText, roundUp(Math.max(known, 1), page.value));
  else size = roundedSize(sizeText, page.name);  // aligned_alloc wants a size that is a multiple of the alignment
  const edits: TextEdit[] = [{ range: b.allocationRange, newText: `${qualifier}aligned_alloc(${page.name}, ${size})` }];
  // aligned_alloc is declared with malloc only in <stdlib.h>/<cstdlib> (not in <malloc.h>); sysconf in <unistd.h>.
  const headers = [ctx.language === 'cpp' ? ['cstdlib', 'stdlib.h'] : ['stdlib.h']];
  if (page.name === RUNTIME_PAGE_SIZE) headers.push(['unistd.h']);
  const include = includeEdit(ctx, headers);
  if (include) edits.unshift(include);
  return {
    title: `Allocate with ${qualifier}aligned_alloc(${page.name}, …) instead of malloc (free() still works)`,
    edits,
    isPreferred: true,
  };
}

// ---------------------------------------------------------------------------------------------
// A copy that finishes the range: copy_file_range_fully()

/** The helper's text, indented with `unit`; one line per entry, joined with the file's line break. */
function fullCopyHelper(unit: string): string[] {
  const i = (depth: number, line: string) => unit.repeat(depth) + line;
  return [
    '/*',
    ' * copy_file_range until the whole range is copied. Where the kernel cannot copy between',
    ' * these files (EXDEV, EINVAL, EOPNOTSUPP, ENOSYS, or EAGAIN as OpenZFS 2.3.0 returns with',
    ' * Direct I/O active), the rest is copied with read and write through a 16 KiB buffer on the',
    ' * stack. Same arguments and result as copy_file_range: the bytes copied (fewer only at the',
    ' * end of the source file), or -1 with errno set.',
    ' */',
    `static ssize_t ${FULL_COPY_HELPER}(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len, unsigned int flags)`,
    '{',
    i(1, 'size_t done = 0;'),
    i(1, 'while (done < len) {'),
    i(2, 'ssize_t n = copy_file_range(fd_in, off_in, fd_out, off_out, len - done, flags);'),
    i(2, 'if (n > 0) {'),
    i(3, 'done += (size_t)n;'),
    i(3, 'continue;'),
    i(2, '}'),
    i(2, 'if (n == 0 && done > 0)'),
    i(3, 'return (ssize_t)done;'),
    i(2, 'if (n < 0 && errno == EINTR)'),
    i(3, 'continue;'),
    i(2, 'if (n < 0 && errno != EXDEV && errno != EINVAL && errno != EOPNOTSUPP && errno != ENOSYS && errno != EAGAIN)'),
    i(3, 'return done > 0 ? (ssize_t)done : -1;'),
    i(2, 'break;  /* no copy at all (some file systems answer 0): read and write instead */'),
    i(1, '}'),
    i(1, 'char buf[16384];'),
    i(1, 'while (done < len) {'),
    i(2, 'size_t want = len - done < sizeof buf ? len - done : sizeof buf;'),
    i(2, 'ssize_t got = off_in ? pread(fd_in, buf, want, *off_in) : read(fd_in, buf, want);'),
    i(2, 'if (got < 0 && errno == EINTR)'),
    i(3, 'continue;'),
    i(2, 'if (got <= 0)'),
    i(3, 'return got < 0 && done == 0 ? -1 : (ssize_t)done;'),
    i(2, 'ssize_t put = 0;'),
    i(2, 'while (put < got) {'),
    i(3, 'size_t rest = (size_t)(got - put);'),
    i(3, 'ssize_t w = off_out ? pwrite(fd_out, buf + put, rest, *off_out) : write(fd_out, buf + put, rest);'),
    i(3, 'if (w < 0 && errno == EINTR)'),
    i(4, 'continue;'),
    i(3, 'if (w <= 0) {'),
    i(4, 'if (off_in)'),
    i(5, '*off_in += put;'),
    i(4, 'done += (size_t)put;'),
    i(4, 'return done > 0 ? (ssize_t)done : -1;'),
    i(3, '}'),
    i(3, 'if (off_out)'),
    i(4, '*off_out += w;'),
    i(3, 'put += w;'),
    i(2, '}'),
    i(2, 'if (off_in)'),
    i(3, '*off_in += got;'),
    i(2, 'done += (size_t)got;'),
    i(1, '}'),
    i(1, 'return (ssize_t)done;'),
    '}',
  ];
}

/** The file's indentation: a tab, or the spaces of its first indented line (four when nothing is indented). */
function indentUnit(text: string): string {
  const m = /^([ \t]+)\S/m.exec(text);
  if (!m) return '    ';
  return m[1]!.startsWith('\t') ? '\t' : m[1]!.length >= 2 && m[1]!.length <= 8 ? m[1]! : '    ';
}

/**
 * The offset after the file-scope item that precedes the one holding `offset`: after its `;` or `}` at
 * brace depth 0, or after a preprocessor line. Strings, character literals and directives are skipped
 * over, so their braces do not count. 0 when nothing precedes it.
 */
function fileScopeBoundary(code: string, offset: number): number {
  let depth = 0;
  let boundary = 0;
  let lineStart = true;
  for (let i = 0; i < offset; i++) {
    const c = code[i]!;
    if (c === '\n') { lineStart = true; continue; }
    if (lineStart && (c === ' ' || c === '\t')) continue;
    if (lineStart && c === '#') {
      // A directive runs to the end of its line, continuation lines included.
      let e = i;
      while (e < code.length && code[e] !== '\n') {
        if (code[e] === '\\' && code[e + 1] === '\n') e += 2;
        else if (code[e] === '\\' && code[e + 1] === '\r' && code[e + 2] === '\n') e += 3;
        else e++;
      }
      if (depth === 0) boundary = Math.min(e, offset);
      i = e - 1;
      continue;
    }
    lineStart = false;
    if (c === '"' || c === '\'') {
      let k = i + 1;
      while (k < code.length && code[k] !== c && code[k] !== '\n') k += code[k] === '\\' ? 2 : 1;
      i = k;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') { depth = Math.max(0, depth - 1); if (depth === 0) boundary = i + 1; }
    else if (c === ';' && depth === 0) boundary = i + 1;
  }
  return boundary;
}

function fullCopyFix(facts: SiteFacts, ctx: FixContext): Fix | undefined {
  if (ctx.language !== 'c' && ctx.language !== 'cpp') return undefined;
  // Its read/write fallback goes through an ordinary stack buffer, which O_DIRECT refuses.
  if (facts.srcFdODirect === true || facts.dstFdODirect === true || facts.file) return undefined;
  const code = (ctx.codeWithoutComments ??= withoutComments(ctx.text, ctx.language));
  const start = ctx.lines.offsetAt(facts.site.range.start);
  // `copy_file_range(` or C++'s `::copy_file_range(`; not syscall(__NR_copy_file_range, …) or a wrapper.
  const callee = /^((?:::\s*)?)copy_file_range(?=\s*\()/.exec(code.slice(start, start + 48));
  if (!callee) return undefined;
  const nameStart = start + callee[1]!.length;
  const lineStart = code.lastIndexOf('\n', start - 1) + 1;
  if (/^[ \t]*#/.test(code.slice(lineStart, start)) || /\\\r?\n$/.test(code.slice(0, lineStart))) return undefined;  // in a macro
  const rename: TextEdit = { range: { start: ctx.lines.positionAt(nameStart), end: ctx.lines.positionAt(start + callee[0].length) }, newText: FULL_COPY_HELPER };
  const uses = nameOffsets(ctx, FULL_COPY_HELPER);
  const title = `Copy the whole range, falling back to read/write: call ${FULL_COPY_HELPER}()`;
  if (uses.length) {
    // Added by an earlier fix: call it. Any other use of the name is someone else's.
    const defined = new RegExp(`static\\s+ssize_t\\s+${FULL_COPY_HELPER}\\s*\\(\\s*int\\s+fd_in\\s*,\\s*loff_t\\s*\\*\\s*off_in`).exec(code);
    if (!defined || defined.index > start) return undefined;
    return { title, edits: [rename] };
  }
  const boundary = fileScopeBoundary(code, start);
  if (boundary === 0) return undefined;
  const eol = eolOf(ctx);
  const lineEnd = code.indexOf('\n', boundary);
  const restOfLine = code.slice(boundary, lineEnd < 0 ? code.length : lineEnd);
  const helper = fullCopyHelper(indentUnit(ctx.text));
  let insert: TextEdit;
  if (lineEnd >= 0 && !restOfLine.trim()) {
    const at = ctx.lines.positionAt(lineEnd + 1);
    insert = { range: { start: at, end: at }, newText: eol + helper.join(eol) + eol };
  } else {
    const at = ctx.lines.positionAt(boundary);
    insert = { range: { start: at, end: at }, newText: eol + eol + helper.join(eol) + eol };
  }
  const edits: TextEdit[] = [insert, rename];
  const include = includeEdit(ctx, [ctx.language === 'cpp' ? ['cerrno', 'errno.h'] : ['errno.h'], ['sys/types.h'], ['unistd.h']]);
  if (include) edits.unshift(include);
  return { title: `${title}, added above this function`, edits };
}

// ---------------------------------------------------------------------------------------------
// Suppression

/** Inserts `// zfs-dio-ignore ZDIOxxx` above the finding's line, or extends such a comment already there. */
export function suppressionFix(finding: Pick<Finding, 'ruleId' | 'range'>, ctx: FixContext): Fix {
  const line = finding.range.start.line;
  const lineText = ctx.lines.lineText(line);
  const indent = /^\s*/.exec(lineText)![0];
  const comment = ctx.language === 'python' ? '#' : '//';
  const above = line > 0 ? ctx.lines.lineText(line - 1) : '';
  const existing = /^(\s*(?:\/\/|#)\s*zfs-dio-ignore\b(?:[\s:,=]*ZDIO\d{3}\b)+)/.exec(above);
  if (existing && !above.includes(finding.ruleId)) {
    const at: Position = { line: line - 1, column: existing[1]!.length };
    return {
      title: `Suppress ${finding.ruleId} here (zfs-dio-ignore)`,
      edits: [{ range: { start: at, end: at }, newText: `, ${finding.ruleId}` }],
    };
  }
  const at: Position = { line, column: 0 };
  return {
    title: `Suppress ${finding.ruleId} here (zfs-dio-ignore)`,
    edits: [{ range: { start: at, end: at }, newText: `${indent}${comment} zfs-dio-ignore ${finding.ruleId}${eolOf(ctx)}` }],
  };
}

export function buildFixes(hit: RuleHit, facts: SiteFacts, ctx: FixContext): FixResult {
  const fixes: Fix[] = [];
  let manualFix = hit.manualFix;
  if (hit.replaceAllocation) {
    const f = allocationFix(facts, ctx);
    if (f) fixes.push(f);
  }
  if (hit.fallbackCopy) {
    const f = fullCopyFix(facts, ctx);
    if (f) fixes.push(f);
  }
  if (hit.roundLength) {
    const f = readLengthFix(hit.roundLength, facts, ctx);
    if ('refused' in f) manualFix ??= `No automatic fix: ${f.refused}.`;
    else fixes.push(f);
  }
  fixes.push(suppressionFix(hit, ctx));
  return manualFix ? { fixes, manualFix } : { fixes };
}

/** Applies non-overlapping edits to a text (tests and the CLI use it; the editor applies its own). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = new LineIndex(text);
  const withOffsets = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comments

/**
 * The text with every comment replaced by spaces (offsets unchanged). Strings are skipped over but kept, so
 * `"//"` or `'#'` inside them does not start a comment.
 */
export function withoutComments(text: string, language: Language): string {
  const parts: string[] = [];
  let copied = 0;
  const blank = (from: number, to: number) => {
    parts.push(text.slice(copied, from), text.slice(from, to).replace(/[^\r\n]/g, ' '));
    copied = to;
  };
  const n = text.length;
  const python = language === 'python';
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if ((python && c === '#') || (!python && c === '/' && text[i + 1] === '/')) {
      let e = text.indexOf('\n', i);
      if (e < 0) e = n;
      blank(i, e);
      i = e;
      continue;
    }
    if (!python && c === '/' && text[i + 1] === '*') {
      // Rust block comments nest; C's do not.
      let depth = 1;
      let k = i + 2;
      while (k < n && depth > 0) {
        if (text[k] === '*' && text[k + 1] === '/') { depth--; k += 2; }
        else if (language === 'rust' && text[k] === '/' && text[k + 1] === '*') { depth++; k += 2; }
        else k++;
      }
      blank(i, k);
      i = k;
      continue;
    }
    if (c === '"' || c === '`' || (c === '\'' && (python || /^'(?:\\.|[^\\'\n])'/.test(text.slice(i, i + 4))))) {
      const triple = python && text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let k = i + close.length;
      while (k < n && !text.startsWith(close, k)) {
        if (text[k] === '\\' && c !== '`') k++;
        else if (!triple && c !== '`' && text[k] === '\n') break;  // an unterminated string ends with its line
        k++;
      }
      i = k + close.length;
      continue;
    }
    i++;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}
