// Reuse of per-site results between two versions of one C/C++ document (the editor's path: an edit,
// an incremental re-parse, a re-analysis). Correctness comes first: a cached result is reused only when
// everything it was computed from is provably unchanged, and any doubt means a full extraction.
//
// What a site's facts depend on, and how each input is kept unchanged:
// - Its own top-level function: the edit must lie inside ONE other top-level function_definition (U),
//   with every other top-level item unchanged in text and syntax (text diff + tree.getChangedRanges).
// - File-level items (#define, enum, globals): they are outside U, so unchanged. One exception: a global
//   counts as a constant only while nothing assigns it, and U may add or remove an assignment; the
//   assignment count of every name U assigns must be the same before and after (else full extraction).
//   C++ constructor initializer lists also feed file-level values: an edit in a constructor is not reused.
// - Phase A of the extraction (O_DIRECT opens, descriptor targets, helper functions, the candidate list)
//   runs in full every time; its products must be identical outside U.
// - A helper's parameter is resolved through its callers: such a site is re-evaluated when U (before or
//   after the edit) mentions a helper name (SiteDependencies.callerFlow).
// - Raw text searched around declarations (alignment attributes): re-evaluated when it touches U.
// - Any range in the facts that touches U: re-evaluated. Ranges after U move by the edit's line delta.
// - Memoized values that a recursion guard or depth cap cut short can depend on evaluation order; such an
//   extraction is never cached, and a partial one that hits a guard is redone in full (CFamilyModel.orderSensitive).
import type { Node, Tree } from 'web-tree-sitter';
import type { Language, Position, SiteFacts } from '../../types';
import type { SiteDependencies } from './c-family-model';
import { commonPrefix, commonSuffix, descendTo } from './common';

/** How often reuse was planned and how much it saved (read by tests and the bench; never changes results). */
export const reuseStats = { plans: 0, fallbacks: 0, reused: 0, evaluated: 0 };

/** One candidate call of a finished extraction: what it produced and what it read beyond its function. */
export interface CachedCandidate extends SiteDependencies {
  name: string;
  index: number;
  /** Treated as immutable once extracted (the rules and the editor only read facts), so they may be shared. */
  facts: SiteFacts[];
  /** Every {line, column} in `facts`, flattened, so the reuse check need not walk the facts. */
  positions: number[];
}

/** The positions inside a candidate's facts, flattened (see CachedCandidate.positions). */
export function positionsOf(facts: SiteFacts[]): number[] {
  const out: number[] = [];
  visitPositions(facts, (p) => { out.push(p.line, p.column); });
  return out;
}

export interface CFamilyReuseState {
  language: Language;
  /** The text the state was computed from. */
  text: string;
  /** Phase-A products every site may read: descriptor targets of globals/fields, and helper names. */
  targetsKey: string;
  helperNames: string[];
  candidates: CachedCandidate[];
}

export interface ReuseInput {
  state: unknown;
  /** The tree the current one was re-parsed from, edited to the current text, not yet deleted. */
  previousTree: Tree;
}

export interface ReuseContext {
  root: Node;
  text: string;
  language: Language;
  candidates: readonly { name: string; index: number }[];
  targetsKey: string;
  helperNames: string[];
  /** Is `name` a variable declared at file scope (the new version)? */
  isFileScopeVariable(name: string): boolean;
}

export function isReuseState(s: unknown): s is CFamilyReuseState {
  return typeof s === 'object' && s !== null && Array.isArray((s as CFamilyReuseState).candidates) && typeof (s as CFamilyReuseState).text === 'string';
}

/**
 * For each current candidate (same order as ctx.candidates): the cached entry to reuse, moved to its new
 * position, or undefined where the candidate must be evaluated. Undefined overall: extract everything.
 */
export function planReuse(input: ReuseInput, ctx: ReuseContext): (CachedCandidate | undefined)[] | undefined {
  const plan = makePlan(input, ctx);
  if (!plan) { reuseStats.fallbacks++; return undefined; }
  reuseStats.plans++;
  for (const p of plan) { if (p) reuseStats.reused++; else reuseStats.evaluated++; }
  return plan;
}

function makePlan(input: ReuseInput, ctx: ReuseContext): (CachedCandidate | undefined)[] | undefined {
  const prev = input.state;
  if (!isReuseState(prev) || prev.language !== ctx.language || prev.targetsKey !== ctx.targetsKey
    || prev.helperNames.join(',') !== ctx.helperNames.join(',')) return undefined;
  const oldText = prev.text;
  const text = ctx.text;
  const changedRanges = input.previousTree.getChangedRanges(ctx.root.tree);
  if (oldText === text) {
    // Edits that cancel out: the same text, and (checked, not assumed) the same syntax.
    return changedRanges.length === 0 && sameCandidates(prev.candidates, ctx.candidates) ? prev.candidates.slice() : undefined;
  }

  // The changed text, [start, oldEnd) before and [start, newEnd) after.
  const start = commonPrefix(oldText, text);
  const suffix = commonSuffix(oldText, text, start);
  const oldEnd = oldText.length - suffix;
  const newEnd = text.length - suffix;
  const delta = text.length - oldText.length;
  let a = start;
  let b = newEnd;
  for (const r of changedRanges) {
    a = Math.min(a, r.startIndex);
    b = Math.max(b, r.endIndex);
  }

  // U: the one top-level function that holds all of it, in both versions.
  const unit = descendTo(ctx.root, a, b)[0];
  if (!unit || unit.type !== 'function_definition' || unit.startIndex > a || unit.endIndex < b) return undefined;
  const uStart = unit.startIndex;
  const uNewEnd = unit.endIndex;
  const uOldEnd = uNewEnd - delta;
  const oldUnit = descendTo(input.previousTree.rootNode, uStart, uNewEnd)[0];
  if (!oldUnit || oldUnit.type !== 'function_definition' || oldUnit.startIndex !== uStart || oldUnit.endIndex !== uNewEnd) return undefined;
  if (uOldEnd < oldEnd || !plainFunctionText(oldText, uStart, uOldEnd) || !plainFunctionText(text, uStart, uNewEnd)) return undefined;
  if (ctx.language === 'cpp' && (hasInitializerList(unit) || hasInitializerList(oldUnit))) return undefined;
  const oldUnitText = oldText.slice(uStart, uOldEnd);
  const newUnitText = text.slice(uStart, uNewEnd);
  if (assignmentsChanged(oldText, text, uStart, uOldEnd, uNewEnd, ctx.isFileScopeVariable)) return undefined;
  const helperMentioned = ctx.helperNames.some((h) => mentions(oldUnitText, h) || mentions(newUnitText, h));

  // Rows: U starts at the same place in both versions; what follows U moves by rowDelta lines.
  const uStartPos = unit.startPosition;
  const oldEndPos = positionAfter(oldText, uStart, { line: uStartPos.row, column: uStartPos.column }, uOldEnd);
  const rowDelta = unit.endPosition.row - oldEndPos.line;

  // The candidates outside U must be the same calls as before, in the same order.
  const outside = ctx.candidates.filter((c) => c.index < uStart || c.index >= uNewEnd);
  const oldOutside = prev.candidates.filter((c) => c.index < uStart || c.index >= uOldEnd);
  if (outside.length !== oldOutside.length) return undefined;
  for (let i = 0; i < outside.length; i++) {
    const o = oldOutside[i]!;
    if (o.name !== outside[i]!.name || (o.index < uStart ? o.index : o.index + delta) !== outside[i]!.index) return undefined;
  }

  const uStartAt: Position = { line: uStartPos.row, column: uStartPos.column };
  const plan: (CachedCandidate | undefined)[] = [];
  let k = 0;
  for (const c of ctx.candidates) {
    if (c.index >= uStart && c.index < uNewEnd) { plan.push(undefined); continue; }
    const o = oldOutside[k++]!;
    if (o.callerFlow && helperMentioned) { plan.push(undefined); continue; }
    let touches = false;
    for (let i = 0; i < o.textReads.length; i += 2) if (o.textReads[i]! < uOldEnd && o.textReads[i + 1]! > uStart) touches = true;
    // Positions inside U, or after U on U's last line (their column would move too), are not reused.
    let after = false;
    const ps = o.positions;
    for (let i = 0; i < ps.length && !touches; i += 2) {
      const p = { line: ps[i]!, column: ps[i + 1]! };
      if (before(p, uStartAt)) continue;
      if (before(p, oldEndPos) || p.line === oldEndPos.line) touches = true;
      else after = true;
    }
    if (touches) { plan.push(undefined); continue; }
    plan.push(moved(o, after ? rowDelta : 0, oldEndPos, delta, uOldEnd));
  }
  return plan;
}

function sameCandidates(a: readonly { name: string; index: number }[], b: readonly { name: string; index: number }[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.index === b[i]!.index);
}

/**
 * A cached candidate moved to the new version: text offsets from `movedFrom` on by `delta`, and the lines
 * of positions from `from` on by `rowDelta`. Facts without a moved position are shared, not copied.
 */
function moved(c: CachedCandidate, rowDelta: number, from: Position, delta: number, movedFrom: number): CachedCandidate {
  const shift = (i: number): number => (i >= movedFrom ? i + delta : i);
  const facts = rowDelta === 0 ? c.facts
    : c.facts.map((f) => copyWith(f, (p) => (before(p, from) ? p : { line: p.line + rowDelta, column: p.column })) as SiteFacts);
  return {
    name: c.name,
    index: shift(c.index),
    facts,
    positions: rowDelta === 0 ? c.positions : positionsOf(facts),
    callerFlow: c.callerFlow,
    textReads: delta === 0 ? c.textReads : c.textReads.map(shift),
  };
}

function isPosition(v: object): v is Position {
  const keys = Object.keys(v);
  return keys.length === 2 && typeof (v as Position).line === 'number' && typeof (v as Position).column === 'number';
}

/** Deep copy of plain data (facts are JSON-like), with every {line, column} passed through `pos`. */
function copyWith(v: unknown, pos: (p: Position) => Position): unknown {
  if (Array.isArray(v)) return v.map((x) => copyWith(x, pos));
  if (v === null || typeof v !== 'object') return v;
  if (isPosition(v)) { const p = pos(v); return { line: p.line, column: p.column }; }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copyWith((v as Record<string, unknown>)[k], pos);
  return out;
}

function visitPositions(v: unknown, fn: (p: Position) => void): void {
  if (Array.isArray(v)) { for (const x of v) visitPositions(x, fn); return; }
  if (v === null || typeof v !== 'object') return;
  if (isPosition(v)) { fn(v); return; }
  for (const k of Object.keys(v)) visitPositions((v as Record<string, unknown>)[k], fn);
}

function before(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.column < q.column);
}

/** The position of `index`, counting from a known position at `from`. */
function positionAfter(text: string, from: number, at: Position, index: number): Position {
  let line = at.line;
  let lineStart = -1;
  for (let i = text.indexOf('\n', from); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  return lineStart < 0 ? { line, column: at.column + (index - from) } : { line, column: index - lineStart };
}

/**
 * A function definition as text starts with a name character and ends with its closing brace. Then no
 * assignment pattern (`x =`, `++x`, `&x`) can have its operator inside the function and its name outside.
 */
function plainFunctionText(text: string, start: number, end: number): boolean {
  return end > start && /[A-Za-z_]/.test(text[start]!) && text[end - 1] === '}';
}

function hasInitializerList(fn: Node): boolean {
  for (let i = 0; i < fn.namedChildCount; i++) if (fn.namedChild(i)?.type === 'field_initializer_list') return true;
  return false;
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`\\b${name.replace(/\W/g, '')}\\b`).test(text);
}

/** The same patterns as CFamilyModel.globalIsStable: an assignment, increment or address-of of `name`. */
function assignmentPattern(name: string): RegExp {
  return new RegExp(`\\b${name}\\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|(?:\\+\\+|--)\\s*${name}\\b|\\b${name}\\s*(?:\\+\\+|--)|&\\s*${name}\\b`, 'g');
}

/**
 * The alternatives of assignmentPattern with the name captured. Each is scanned on its own: one combined
 * scan could consume `x ++` and miss the `++y` that overlaps it.
 */
const ASSIGNED_NAMES = [
  /\b([A-Za-z_]\w*)\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)/g, /(?:\+\+|--)\s*([A-Za-z_]\w*)\b/g, /\b([A-Za-z_]\w*)\s*(?:\+\+|--)/g, /&\s*([A-Za-z_]\w*)\b/g,
];

/**
 * Did the edit change how often a file-scope variable is assigned? (A global counts as a constant only
 * while it is not assigned.) Counted over U plus the whitespace and one character around it, which is
 * the same text in both versions, so a match that crosses U's edge is counted in both.
 */
function assignmentsChanged(oldText: string, text: string, uStart: number, uOldEnd: number, uNewEnd: number,
  isFileScopeVariable: (name: string) => boolean): boolean {
  let from = uStart;
  while (from > 0 && /\s/.test(oldText[from - 1]!)) from--;
  from = Math.max(0, from - 1);
  const around = (t: string, end: number): string => {
    let to = end;
    while (to < t.length && /\s/.test(t[to]!)) to++;
    return t.slice(from, Math.min(t.length, to + 1));
  };
  const oldSlice = around(oldText, uOldEnd);
  const newSlice = around(text, uNewEnd);
  const names = new Set<string>();
  for (const slice of [oldSlice, newSlice]) {
    for (const re of ASSIGNED_NAMES) for (const m of slice.matchAll(re)) names.add(m[1]!);
  }
  for (const name of names) {
    const re = assignmentPattern(name);
    const count = (t: string): number => { re.lastIndex = 0; let n = 0; while (re.exec(t) !== null) n++; return n; };
    if (count(oldSlice) !== count(newSlice) && isFileScopeVariable(name)) return true;
  }
  return false;
}
