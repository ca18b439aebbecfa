// Small syntax-tree helpers shared by the language extractors. Everything here is iterative or
// depth-capped: files with thousands of nested parentheses must not blow the JS stack.
import type { Node, Query, QueryCapture } from 'web-tree-sitter';
import type { DerivedNumber, Position, Range } from '../../types';
import { budgetExpired, checkBudget, tickBudget } from '../budget';

export function nodeRange(node: Node): Range {
  const s = node.startPosition;
  const e = node.endPosition;
  return { start: { line: s.row, column: s.column }, end: { line: e.row, column: e.column } };
}

export function knownNumber(value: number, text: string): DerivedNumber { return { known: true, value, text }; }
export function unknownNumber(text: string): DerivedNumber { return { known: false, text }; }

/** Length of the common prefix of two texts, compared in large slices first (native compares, no per-character loop). */
export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (let step = 65536; step >= 1; step >>= 4) {
    while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  return i;
}

/** Length of the common suffix that does not overlap the first `prefix` characters of either text. */
export function commonSuffix(a: string, b: string, prefix: number): number {
  const n = Math.min(a.length, b.length) - prefix;
  let i = 0;
  for (let step = 65536; step >= 1; step >>= 4) {
    while (i + step <= n && a.slice(a.length - i - step, a.length - i) === b.slice(b.length - i - step, b.length - i)) i += step;
  }
  return i;
}

/** The last index asked for with LineIndex.of: the analysis pipeline and the C/C++ model share it. */
let shared: LineIndex | undefined;

/** Maps UTF-16 offsets of one text to 0-based line/column positions (for ranges inside a node's text). */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(readonly text: string, starts?: number[]) { this.starts = starts; }

  /** The index of `text`, shared with the other callers that ask for the same text (building one costs O(text)). */
  static of(text: string): LineIndex {
    if (shared?.text !== text) shared = new LineIndex(text);
    return shared;
  }

  /**
   * The index of `text`, made from the index of its previous version: only the changed part is searched
   * for line breaks, the lines before and after it are kept and moved. Becomes the shared index.
   */
  static afterEdit(previous: LineIndex, text: string): LineIndex {
    const old = previous.text;
    const oldStarts = previous.starts;
    if (!oldStarts) return LineIndex.of(text);
    const prefix = commonPrefix(old, text);
    const suffix = commonSuffix(old, text, prefix);
    const oldEnd = old.length - suffix;
    const newEnd = text.length - suffix;
    const delta = newEnd - oldEnd;
    // A line start s follows the break at s - 1: breaks before `prefix` stay, breaks from oldEnd on move.
    const starts: number[] = [];
    let i = 0;
    for (; i < oldStarts.length && oldStarts[i]! - 1 < prefix; i++) starts.push(oldStarts[i]!);
    for (let b = text.indexOf('\n', prefix); b !== -1 && b < newEnd; b = text.indexOf('\n', b + 1)) starts.push(b + 1);
    for (; i < oldStarts.length && oldStarts[i]! - 1 < oldEnd; i++) { /* breaks inside the changed text: searched again above */ }
    for (; i < oldStarts.length; i++) starts.push(oldStarts[i]! + delta);
    shared = new LineIndex(text, starts);
    return shared;
  }

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo]! };
  }

  rangeOf(start: number, end: number): Range { return { start: this.positionAt(start), end: this.positionAt(end) }; }

  get lineCount(): number { return this.lineStarts().length; }

  /** Offset of the first character of a 0-based line (the text length past the last line). */
  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.text.length;
    return Math.min(starts[Math.max(0, position.line)]! + position.column, this.text.length);
  }

  /** A line's text without its line break. */
  lineText(line: number): string {
    const starts = this.lineStarts();
    if (line < 0 || line >= starts.length) return '';
    const end = line + 1 < starts.length ? starts[line + 1]! - 1 : this.text.length;
    const s = this.text.slice(starts[line]!, end);
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  }
}

/**
 * Visits `node` and its descendants in document order without recursion. `visit` returns false to
 * skip a node's children. Uses one TreeCursor, so only the nodes the visitor asks for are materialized.
 */
export function walkTree(node: Node, visit: (type: string, cursorNode: () => Node, depth: number) => boolean | void): void {
  const cursor = node.walk();
  try {
    let current: Node | undefined;
    const get = (): Node => (current ??= cursor.currentNode);
    // The depth below `node`, counted here: the cursor's own currentDepth is recomputed from the
    // cursor's stack on every read, which made a walk over N nested nodes cost O(N²).
    let depth = 0;
    for (;;) {
      current = undefined;
      tickBudget();
      const descend = visit(cursor.nodeType, get, depth) !== false;
      if (descend && cursor.gotoFirstChild()) { depth++; continue; }
      for (;;) {
        if (depth === 0) return;
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * How deep below the node a query pattern may start. tree-sitter keeps a match's start depth in 16
 * bits: past 65,535 levels the depth wraps, the in-progress matches are never retired, and the query
 * turns quadratic (42 s for 40,000 nested calls in Rust, 0.3 s for 20,000) while missing captures.
 */
export const MAX_QUERY_START_DEPTH = 60_000;

/**
 * Does the tree nest deeper than the queries look (MAX_QUERY_START_DEPTH levels)? Such a file must say
 * that it was not searched in full. The walk that measures it runs only when the text could nest
 * that deep (see mayNestBeyondQueries), which ordinary code never does.
 */
export function nestsBeyondQueries(root: Node, text: string): boolean {
  if (!mayNestBeyondQueries(text)) return false;
  let deepest = 0;
  walkTree(root, (_type, _node, depth) => { if (depth > deepest) deepest = depth; });
  return deepest > MAX_QUERY_START_DEPTH;
}

/**
 * Whether code in `text` may nest deeper than the queries look: by its deepest bracket nesting and its
 * `else if` chains, each of which costs at least two syntax levels. Cheap, from the text alone.
 */
export function mayNestBeyondQueries(text: string): boolean {
  const limit = MAX_QUERY_START_DEPTH / 2;
  if (text.length < limit) return false;
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) { if (++depth > deepest) deepest = depth; } else if (c === 41 || c === 93 || c === 125) depth--;
  }
  if (deepest >= limit) return true;
  let chain = 0;
  for (const _ of text.matchAll(/\belse\s+if\b/g)) if (++chain >= limit) return true;
  return false;
}

/** Runs a query with the start-depth cap and the analysis budget. @throws AnalysisStopped when the budget cancelled it */
export function captures(query: Query, node: Node): QueryCapture[] {
  const found = query.captures(node, { maxStartDepth: MAX_QUERY_START_DEPTH, progressCallback: budgetExpired });
  checkBudget();
  return found;
}

/** True when `inner` lies within `outer` (by text offsets; both from the same tree). */
export function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** Strips C-style comments from a snippet (macro bodies keep their trailing comments in tree-sitter-c). */
export function stripCComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
}

/**
 * The nodes from `ancestor` (excluded) down to the node spanning [start, end) (included; nodes below
 * it with the same start may follow when they span the whole target too), one wasm call per level. Use instead of `.parent` chains: tree-sitter answers `.parent` by walking down
 * from the root, scanning every top-level item of the file, so each call costs O(file) on big files.
 */
export function descendTo(ancestor: Node, start: number, end: number, maxDepth = 100_000): Node[] {
  const path: Node[] = [];
  let cur = ancestor;
  for (let d = 0; d < maxDepth; d++) {
    const child = cur.firstChildForIndex(start);
    if (!child || child.startIndex > start || child.endIndex < end) break;
    path.push(child);
    if (child.startIndex === start && child.endIndex === end && child.childCount === 0) break;
    cur = child;
  }
  return path;
}
