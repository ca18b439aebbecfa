#!/usr/bin/env node
// Does parsing a C document as several trees (chunks cut between top-level items) remove the cost of
// tree-sitter-c's incremental re-parse? The parser alone (web-tree-sitter and the grammar the extension ships,
// `dist/grammars`), no analysis.
//
//   node scripts/build.mjs && node bench/chunked-reparse.mjs [--lines 10000] [--runs 25] [--chunk 500]
//                                              [--fuzz 300] [--fuzz-lines 3000] [--seed 7] [--undo 0.6] [--json]
//
// Every chunk is parsed from the whole text with `includedRanges` set to its own range, so its nodes have the
// same positions as in a single tree. Chunks are cut only between two top-level items that have no error, once a
// chunk has `--chunk` lines. An edit re-parses the chunk that holds it (the chunks it touches, merged, when it
// touches a boundary); the chunks after it are only shifted (`tree.edit`). A re-parsed chunk that has a syntax
// error, after the edit or before it, is parsed once more together with its neighbours, and the three must give
// the same nodes; that check is skipped when the change stayed inside one top-level item whose errors are the same
// before and after. When the check fails, and when a chunk with an error opens a block comment that a later edit
// could close, the document is parsed as one tree (a single tree kept beside the chunks, edited with every edit and
// re-parsed from its last parse), and cut into chunks again once it has no more top-level items with an error
// than when it was last cut. A chunk that grew past twice `--chunk` lines is cut again.
//
// Timing: the latency benchmark's document (bench/latency-document.ts, its `long` declarations as they are) and
// the same edit as bench/reparse-cost.mjs (a digit typed into, then removed from, a copy_file_range length in the
// middle; also a `(`, which puts a syntax error there), the single tree against the chunks; the same on OpenZFS's
// arc.c and spa.c, after the first digit past the middle; medians and 95th percentiles of `--runs` edits after 3
// untimed ones.
// Correctness: after every edit of a random sequence (characters from `{}()/*;\n x0` inserted or deleted, and
// slices of text moved; most edits taken back soon after, as when typing), the chunks' nodes (type, range,
// missing) in document order must be those of a single tree parsed from scratch, without its root (or, where the
// single tree re-parsed edit by edit differs from a from-scratch parse, that tree's); on the latency document, on
// the C files of test/corpus/c one after the other, on /usr/include/sqlite3.h (its tree has an ERROR root) and on
// OpenZFS's arc.c and spa.c (/usr/src/zfs-*, from Debian's zfs-dkms), where they exist; the real files are timed too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, cParser, latencyDocumentMaker, median, option, p95 } from './c-parser-setup.mjs';

const LINES = option('lines', 10_000);
const RUNS = option('runs', 25);
const CHUNK_LINES = option('chunk', 500);
const FUZZ_EDITS = option('fuzz', 300);
const FUZZ_LINES = option('fuzz-lines', 3000);
const SEED = option('seed', 7);
const UNDO = option('undo', 0.6);
const JSON_OUT = process.argv.includes('--json');

const makeDocument = await latencyDocumentMaker();

const parser = await cParser();

/** The point of `index` in `text` (rows, and columns in UTF-16 units as the JS API counts them). */
function pointAt(text, index) {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) { row++; lineStart = i + 1; }
  return { row, column: index - lineStart };
}
function pointAfter(start, inserted) {
  const lines = inserted.split('\n');
  return lines.length === 1 ? { row: start.row, column: start.column + inserted.length } : { row: start.row + lines.length - 1, column: lines[lines.length - 1].length };
}
/** The tree-sitter edit that replaces text[start, end) with `inserted`. */
function editOf(text, start, end, inserted) {
  const startPosition = pointAt(text, start);
  const oldEndPosition = pointAt(text, end);
  return { startIndex: start, oldEndIndex: end, newEndIndex: start + inserted.length, startPosition, oldEndPosition, newEndPosition: pointAfter(startPosition, inserted) };
}
const movePoint = (p, edit) => (p.row > edit.oldEndPosition.row || (p.row === edit.oldEndPosition.row && p.column >= edit.oldEndPosition.column))
  ? (p.row === edit.oldEndPosition.row
    ? { row: edit.newEndPosition.row, column: edit.newEndPosition.column + p.column - edit.oldEndPosition.column }
    : { row: p.row + edit.newEndPosition.row - edit.oldEndPosition.row, column: p.column })
  : p;

const clean = (node) => !node.hasError && !node.isMissing && node.type !== 'ERROR';

/** Whether `text[from, to)` opens a block comment that it does not close (strings and line comments aside). */
function opensComment(text, from, to) {
  const open = text.lastIndexOf('/*', to - 2);
  if (open < from) return false;
  const close = text.indexOf('*/', open + 2);
  return close < 0 || close + 2 > to;
}

/**
 * A document parsed as consecutive chunks. Each chunk: { startIndex, endIndex, startPosition, endPosition, tree };
 * the last chunk's range ends at the end of the text. Error recovery is not local: an unclosed brace, `#if` or
 * comment takes in what follows, and an ERROR can wrap the items before it. So a chunk with a syntax error is
 * trusted only while a parse of it together with its neighbours gives the same nodes, and no chunk with an error
 * opens a block comment that a later edit could close. Otherwise the document is one tree: a single tree of the
 * whole text is kept beside the chunks, edited with every edit and re-parsed (incrementally, from its last parse)
 * only when it is needed, and cut into chunks again once it has no more top-level items with an error than when
 * it was last cut.
 */
class ChunkedDocument {
  constructor(text, chunkLines) {
    this.chunkLines = chunkLines;
    this.text = text;
    this.reparsedChunks = 0;
    this.fallbacks = 0;
    this.windowChecks = 0;
    this.single = parser.parse(text);
    this.itemsWithErrors = itemsWithErrors(this.single.rootNode);
    this.chunks = this.split(this.whole(), this.single);
  }

  whole() { return { startIndex: 0, endIndex: this.text.length, startPosition: { row: 0, column: 0 }, endPosition: pointAt(this.text, this.text.length) }; }

  /**
   * Cuts `range` (parsed as `tree`) between two error-free top-level items every `chunkLines` lines, and parses
   * each piece. A tree whose root is an ERROR is not cut. When the tree has an error, the pieces must give its
   * nodes, and no piece with an error may open a block comment it does not close; otherwise it stays one piece.
   */
  split(range, tree) {
    const whole = [{ ...range, tree: tree.copy() }];
    const root = tree.rootNode;
    if (root.type === 'ERROR') return whole;
    const pieces = [];
    let from = range;
    let previous = null;
    for (const child of root.children) {
      if (previous && clean(previous) && clean(child) && child.startPosition.row - from.startPosition.row >= this.chunkLines) {
        pieces.push({ ...from, endIndex: previous.endIndex, endPosition: previous.endPosition });
        from = { ...from, startIndex: previous.endIndex, startPosition: previous.endPosition };
      }
      previous = child;
    }
    pieces.push(from);
    if (pieces.length === 1) return whole;
    const parsed = pieces.map((r) => ({ ...r, tree: this.parseRange(r, tree) }));
    // Where neither side has an error the two parses agree; elsewhere the nodes are compared.
    const children = root.children;
    const ok = !root.hasError || parsed.every((c) => {
      const mine = children.filter((n) => n.startIndex >= c.startIndex && n.endIndex <= c.endIndex);
      if (!c.tree.rootNode.hasError && !mine.some((n) => n.hasError)) return true;
      return !this.openComment(c) && sameNodes(mine.flatMap((n) => [nodeKey(n), ...nodesOf(n)]), [c]);
    });
    if (!ok) {
      for (const c of parsed) c.tree.delete();
      return whole;
    }
    whole[0].tree.delete();
    return parsed;
  }

  openComment(chunk) { return chunk.tree.rootNode.hasError && opensComment(this.text, chunk.startIndex, chunk.endIndex); }

  parseRange(range, oldTree) {
    const { startIndex, endIndex, startPosition, endPosition } = range;
    return parser.parse(this.text, oldTree ?? null, { includedRanges: [{ startIndex, endIndex, startPosition, endPosition }] });
  }

  /** The document as one tree: the single tree, re-parsed; cut into chunks again when its errors went back. */
  asOneTree() {
    const reparsed = parser.parse(this.text, this.single);
    this.single.delete();
    this.single = reparsed;
    for (const c of this.chunks) c.tree.delete();
    const errors = itemsWithErrors(reparsed.rootNode);
    if (errors <= this.itemsWithErrors) {
      this.itemsWithErrors = errors;
      this.chunks = this.split(this.whole(), reparsed);
    } else {
      this.chunks = [{ ...this.whole(), tree: reparsed.copy() }];
    }
  }

  /** Applies one edit (`next` is the new text) and re-parses what it touched. */
  edit(edit, next) {
    this.text = next;
    this.single.edit(edit);
    const chunks = this.chunks;
    if (chunks.length === 1) { this.asOneTree(); return; }
    const last = chunks.length - 1;
    // The chunks whose closed range meets the edited span; an edit at a boundary touches both sides.
    let first = chunks.findIndex((c) => c.endIndex >= edit.startIndex);
    if (first < 0) first = last;
    let end = first;
    while (end < last && chunks[end + 1].startIndex <= edit.oldEndIndex) end++;
    const delta = edit.newEndIndex - edit.oldEndIndex;
    for (let i = end + 1; i <= last; i++) {
      const c = chunks[i];
      c.tree.edit(edit);
      c.startIndex += delta; c.endIndex += delta;
      c.startPosition = movePoint(c.startPosition, edit); c.endPosition = movePoint(c.endPosition, edit);
    }
    const range = {
      startIndex: chunks[first].startIndex, startPosition: chunks[first].startPosition,
      endIndex: chunks[end].endIndex + delta, endPosition: movePoint(chunks[end].endPosition, edit),
    };
    const oldTree = chunks[first].tree;
    let hadError = false;
    for (let i = first; i <= end; i++) hadError ||= chunks[i].tree.rootNode.hasError;
    oldTree.edit(edit);
    const tree = this.parseRange(range, oldTree);
    const withinCleanItem = first === end && changedWithinCleanItem(oldTree, tree, edit);
    for (let i = first; i <= end; i++) chunks[i].tree.delete();
    this.reparsedChunks++;
    chunks.splice(first, end - first + 1, { ...range, tree });
    const n = chunks.length;
    if (n === 1) { this.asOneTree(); return; }
    // A chunk with an error before this one that opens a block comment: this edit may have closed it.
    if (chunks.some((c, i) => i !== first && this.openComment(c))) { this.fallbacks++; this.asOneTree(); return; }
    // An error in this chunk, now or before the edit: parsed together with its neighbours, the three must give
    // the same nodes. Not when the change stayed inside one top-level item whose errors stayed as they were:
    // the chunk's errors are then the ones that were checked before.
    const lo = Math.max(0, first - 1);
    const hi = Math.min(n - 1, first + 1);
    if ((tree.rootNode.hasError || hadError) && !withinCleanItem) {
      const window = { startIndex: chunks[lo].startIndex, startPosition: chunks[lo].startPosition, endIndex: chunks[hi].endIndex, endPosition: chunks[hi].endPosition };
      const together = this.parseRange(window, tree);
      this.windowChecks++;
      const same = sameNodes(nodesOf(together.rootNode), chunks.slice(lo, hi + 1));
      together.delete();
      if (!same) { this.fallbacks++; this.asOneTree(); return; }
    }
    const grown = chunks[first];
    if (grown.endPosition.row - grown.startPosition.row > 2 * this.chunkLines) {
      const pieces = this.split(grown, grown.tree);
      chunks.splice(first, 1, ...pieces);
      grown.tree.delete();
    }
  }

  delete() { for (const c of this.chunks) c.tree.delete(); this.single.delete(); }
}

/**
 * Whether what the re-parse changed (the edited text and tree-sitter's changed ranges) lies inside one top-level
 * item that starts at the same place in the old tree, and the item's errors (ERROR and MISSING nodes) are the same
 * before and after, none of them in what changed: its recovery, and so its neighbours', is the one checked before.
 */
function changedWithinCleanItem(oldTree, tree, edit) {
  let from = edit.startIndex;
  let to = edit.newEndIndex;
  for (const r of oldTree.getChangedRanges(tree)) { from = Math.min(from, r.startIndex); to = Math.max(to, r.endIndex); }
  const item = topLevelItemAround(tree.rootNode, from, to);
  if (!item || item.type === 'ERROR') return false;
  const before = topLevelItemAround(oldTree.rootNode, item.startIndex, item.startIndex);
  if (!before || before.startIndex !== item.startIndex || before.type !== item.type) return false;
  const now = errorsIn(item);
  // The old tree was edited too, so its nodes after the edit already have their new positions.
  const then = errorsIn(before);
  return now.length === then.length && now.every((e, i) => e.key === then[i].key && (e.end <= from || e.start >= to));
}
function errorsIn(node, out = []) {
  if (!node.hasError) return out;
  if (node.type === 'ERROR' || node.isMissing) { out.push({ key: nodeKey(node), start: node.startIndex, end: node.endIndex }); return out; }
  for (const c of node.children) errorsIn(c, out);
  return out;
}
function topLevelItemAround(root, from, to) {
  const cursor = root.walk();
  let found = null;
  if (cursor.gotoFirstChild()) {
    do {
      if (cursor.startIndex <= from && cursor.endIndex >= to && cursor.endIndex > from) { found = cursor.currentNode; break; }
    } while (cursor.gotoNextSibling());
  }
  cursor.delete();
  return found;
}

/** How many top-level items of `root` have a syntax error. */
function itemsWithErrors(root) {
  let count = 0;
  const cursor = root.walk();
  if (cursor.gotoFirstChild()) do { if (cursor.currentNode.hasError) count++; } while (cursor.gotoNextSibling());
  cursor.delete();
  return count;
}

const nodeKey = (n) => `${n.type}${n.isMissing ? '(missing)' : ''} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}`;
/** The nodes of `root`'s subtrees in document order (root itself left out), as comparable strings. */
function nodesOf(root, out = []) {
  const cursor = root.walk();
  if (!cursor.gotoFirstChild()) return out;
  for (;;) {
    out.push(nodeKey(cursor.currentNode));
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || cursor.currentNode.id === root.id) { cursor.delete(); return out; }
    }
  }
}
/** Whether `chunks`' trees give the nodes `expected` lists. */
function sameNodes(expected, chunks) {
  const got = [];
  for (const c of chunks) nodesOf(c.tree.rootNode, got);
  return got.length === expected.length && got.every((n, i) => n === expected[i]);
}
/**
 * Compares the chunks with a single tree parsed from scratch; with `incremental` (a single tree re-parsed edit by
 * edit, as the editor keeps it today), also says whether the chunks give that tree's nodes.
 */
function sameAsSingleTree(doc, incremental) {
  const single = parser.parse(doc.text);
  const expected = nodesOf(single.rootNode);
  single.delete();
  const got = [];
  for (const c of doc.chunks) nodesOf(c.tree.rootNode, got);
  const n = Math.max(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] === got[i]) continue;
    const kept = incremental ? nodesOf(incremental.rootNode) : undefined;
    return { equal: false, at: i, expected: expected[i], got: got[i], sameAsIncremental: kept ? kept.length === got.length && kept.every((k, j) => k === got[j]) : undefined, incrementalSameAsScratch: kept ? kept.length === expected.length && kept.every((k, j) => k === expected[j]) : undefined };
  }
  return { equal: true, nodes: expected.length };
}


/** The latency benchmark's edit, on one tree and on the chunks. */
function timeEdits(name, text, chunkLines, typed = '0') {
  // The latency benchmark's place; in another file, after the first digit past the middle.
  const marker = text.indexOf('196608', Math.floor(text.length / 2));
  const editAt = marker >= 0 ? marker + '196608'.length : text.slice(Math.floor(text.length / 2)).search(/[0-9]/) + Math.floor(text.length / 2) + 1;
  const single = [];
  const chunked = [];
  const typedIn = [];
  const takenBack = [];
  let tree = parser.parse(text);
  const t0 = performance.now();
  const doc = new ChunkedDocument(text, chunkLines);
  const buildMs = performance.now() - t0;
  let current = text;
  for (let i = 0; i < RUNS + 3; i++) {
    const inserting = i % 2 === 0;
    const next = inserting ? current.slice(0, editAt) + typed + current.slice(editAt) : current.slice(0, editAt) + current.slice(editAt + 1);
    const edit = inserting ? editOf(current, editAt, editAt, typed) : editOf(current, editAt, editAt + 1, '');
    const a = performance.now();
    tree.edit(edit);
    const after = parser.parse(next, tree);
    const b = performance.now();
    tree.delete();
    tree = after;
    const c = performance.now();
    doc.edit(edit, next);
    const d = performance.now();
    current = next;
    if (i >= 3) { single.push(b - a); chunked.push(d - c); (inserting ? typedIn : takenBack).push(d - c); }
  }
  tree.delete();
  const check = sameAsSingleTree(doc);
  const chunks = doc.chunks.length;
  const checks = doc.windowChecks;
  const oneTree = doc.fallbacks;
  doc.delete();
  return { name, lines: text.split('\n').length - 1, typed, chunkLines, chunks, buildMs, singleP50: median(single), singleP95: p95(single), chunkedP50: median(chunked), chunkedP95: p95(chunked), typedP50: median(typedIn), takenBackP50: median(takenBack), checks, oneTree, sameNodes: check.equal };
}

/** A small deterministic generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const PIECES = ['{', '}', '(', ')', '/*', '*/', '//', ';', '\n', ' ', 'x', '0', '#if 1\n', '#endif\n', '"', 'long ', 'int '];

/** Random edits; after each one the chunks must give the single tree's nodes. Returns the first mismatch. */
function fuzz(name, text, chunkLines, edits, seed) {
  const rnd = random(seed);
  const doc = new ChunkedDocument(text, chunkLines);
  let incremental = parser.parse(text);
  let current = text;
  let boundaryEdits = 0;
  let undo = null;
  let knownDifferences = 0;
  let chunkSum = 0;
  for (let i = 0; i < edits; i++) {
    let at; let end; let inserted;
    if (undo && rnd() < UNDO) {
      // As when typing: most edits are taken back soon, so the document goes in and out of a syntax error.
      ({ at, end, inserted } = undo);
      undo = null;
    } else {
      // Half the edits land on or next to a chunk boundary, where the rules are tested.
      at = Math.floor(rnd() * (current.length + 1));
      if (rnd() < 0.5 && doc.chunks.length > 1) {
        const c = doc.chunks[1 + Math.floor(rnd() * (doc.chunks.length - 1))];
        at = Math.max(0, Math.min(current.length, c.startIndex + Math.floor(rnd() * 5) - 2));
        boundaryEdits++;
      }
      const kind = rnd();
      end = at;
      inserted = '';
      if (kind < 0.45) inserted = PIECES[Math.floor(rnd() * PIECES.length)];
      else if (kind < 0.8) end = Math.min(current.length, at + 1 + Math.floor(rnd() * 3));
      else { end = Math.min(current.length, at + Math.floor(rnd() * 200)); const from = Math.floor(rnd() * current.length); inserted = current.slice(from, from + Math.floor(rnd() * 200)); }
      undo = { at, end: at + inserted.length, inserted: current.slice(at, end) };
    }
    const edit = editOf(current, at, end, inserted);
    const next = current.slice(0, at) + inserted + current.slice(end);
    doc.edit(edit, next);
    chunkSum += doc.chunks.length;
    incremental.edit(edit);
    const reparsed = parser.parse(next, incremental);
    incremental.delete();
    incremental = reparsed;
    current = next;
    const check = sameAsSingleTree(doc, incremental);
    if (!check.equal && check.sameAsIncremental && !check.incrementalSameAsScratch) { knownDifferences++; continue; }
    if (!check.equal) { const out = { name, edits: i + 1, boundaryEdits, chunks: doc.chunks.length, ...check, edit: { at, end, inserted } }; doc.delete(); incremental.delete(); return out; }
  }
  incremental.delete();
  const out = { name, edits, boundaryEdits, chunks: doc.chunks.length, meanChunks: chunkSum / edits, equal: true, knownDifferences, reparsedChunks: doc.reparsedChunks, windowChecks: doc.windowChecks, merges: doc.fallbacks };
  doc.delete();
  return out;
}

const ZFS = existsSync('/usr/src') ? readdirSync('/usr/src').filter((d) => d.startsWith('zfs-')).sort().pop() : undefined;
const realFiles = ZFS ? ['module/zfs/arc.c', 'module/zfs/spa.c'].map((f) => path.join('/usr/src', ZFS, f)).filter(existsSync) : [];
const timing = [];
for (const lines of [LINES, 10 * LINES]) timing.push(timeEdits(`${lines} lines`, makeDocument(lines), CHUNK_LINES));
timing.push(timeEdits(`${LINES} lines`, makeDocument(LINES), CHUNK_LINES / 5));
timing.push(timeEdits(`${LINES} lines`, makeDocument(LINES), CHUNK_LINES * 2));
// A `(` typed and taken back: every other edit puts a syntax error in the middle of the document.
for (const lines of [LINES, 10 * LINES]) timing.push(timeEdits(`${lines} lines`, makeDocument(lines), CHUNK_LINES, '('));
for (const file of realFiles) for (const typed of ['0', '(']) timing.push(timeEdits(file, readFileSync(file, 'utf8'), CHUNK_LINES, typed));

const corpusDir = path.join(ROOT, 'test/corpus/c');
const corpusText = readdirSync(corpusDir).filter((f) => f.endsWith('.c')).sort().map((f) => readFileSync(path.join(corpusDir, f), 'utf8')).join('\n');
const fuzzDocs = [['latency document', makeDocument(FUZZ_LINES)], ['test/corpus/c, its files one after the other', corpusText]];
for (const file of ['/usr/include/sqlite3.h', ...realFiles]) {
  if (existsSync(file)) fuzzDocs.push([file, readFileSync(file, 'utf8')]);
}
const fuzzing = [];
for (const [name, text] of fuzzDocs) for (const chunkLines of name.startsWith('/') ? [100] : [20, 100]) fuzzing.push({ chunkLines, ...fuzz(name, text, chunkLines, FUZZ_EDITS, SEED) });

if (JSON_OUT) {
  console.log(JSON.stringify({ runs: RUNS, timing, fuzzing }, null, 2));
} else {
  const f = (x) => x.toFixed(2);
  console.log(`tree-sitter-c: one tree against chunks, the latency benchmark's one-character edit, ${RUNS} edits (p50 / p95)\n`);
  console.log('| document, character typed and deleted | chunk size | chunks | building the chunks | one tree: re-parse | chunks: re-parse | chunks: typing it, deleting it (p50) | checks with the neighbours, falls back to one tree | same nodes |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of timing) console.log(`| ${r.name} (${r.lines} lines), \`${r.typed}\` | ${r.chunkLines} lines | ${r.chunks} | ${f(r.buildMs)} ms | ${f(r.singleP50)} / ${f(r.singleP95)} ms | ${f(r.chunkedP50)} / ${f(r.chunkedP95)} ms | ${f(r.typedP50)}, ${f(r.takenBackP50)} ms | ${r.checks}, ${r.oneTree} of ${RUNS + 3} edits | ${r.sameNodes ? 'yes' : 'NO'} |`);
  console.log(`\nrandom edits (seed ${SEED}, ${UNDO * 100} % taken back by the next edit), nodes compared with a single parse after each one\n`);
  console.log('| document | chunk size | edits (at a boundary) | chunks: mean over the edits, at the end | result |');
  console.log('|---|---|---|---|---|');
  for (const r of fuzzing) console.log(`| ${r.name} | ${r.chunkLines} lines | ${r.edits} (${r.boundaryEdits}) | ${r.meanChunks === undefined ? '' : r.meanChunks.toFixed(1) + ', '}${r.chunks} | ${r.equal ? `same nodes (${r.windowChecks} checks of a chunk with an error, ${r.merges} merges${r.knownDifferences ? `; after ${r.knownDifferences} edits the single tree re-parsed edit by edit differed from a from-scratch parse, and the chunks gave its nodes` : ''})` : `DIFFERENT after edit ${r.edits} at node ${r.at}: expected ${r.expected}, got ${r.got}; edit ${JSON.stringify(r.edit)}; the single tree re-parsed edit by edit ${r.incrementalSameAsScratch ? 'gives the from-scratch nodes' : 'differs from a from-scratch parse too'}${r.sameAsIncremental ? ', and the chunks give its nodes' : ''}`} |`);
}
