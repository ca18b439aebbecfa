#!/usr/bin/env node
// What tree-sitter-c's incremental re-parse costs on the latency benchmark's document, and on variants of it
// that differ only in how some declarations are spelled. The parser alone (web-tree-sitter and the grammar the
// extension ships, `dist/grammars`), no analysis: a full parse, a re-parse of the unchanged text with the old
// tree (no edit at all), and a re-parse after a one-character edit in the middle of the file (the latency
// benchmark's edit: a digit typed into, then removed from, a copy_file_range length; in the variants made of
// one-line declarations, into the value of the declaration in the middle).
//
//   node scripts/build.mjs && node bench/reparse-cost.mjs [--lines 10000] [--runs 25] [--json]
//
// Each figure is the median (and, for the edit, the 95th percentile) of `--runs` timed repetitions after 3
// untimed ones. The variants are text replacements of the generated document, so every one has the same
// functions, statements and sites.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, cParser, latencyDocumentMaker, median, option, p95 } from './c-parser-setup.mjs';

const LINES = option('lines', 10_000);
const RUNS = option('runs', 25);
const JSON_OUT = process.argv.includes('--json');

const makeDocument = await latencyDocumentMaker();

const parser = await cParser();

// makeDocument cuts the text at `lines`, which ends it inside a function: the tree then has a MISSING `}` at the
// end. The latency benchmark edits that document as it is; the other variants start from the same text cut back
// to its last complete function, so that the only syntax error they have is the one a variant adds.
const generated = makeDocument(LINES);
const base = generated.slice(0, generated.lastIndexOf('\n}\n') + 3);
/** A syntax error in one function near the middle of the file: a statement without its `;`. */
function withError(text) {
  const at = text.indexOf('\treturn total;', Math.floor(text.length / 2));
  return text.slice(0, at) + '\ttotal += 1\n' + text.slice(at);
}
const VARIANTS = [
  ['the latency document as generated (ends inside a function)', generated],
  ['the latency document as generated, `long` spelled `int64_t`', generated.replace(/\blong\b/g, 'int64_t')],
  ['cut to its last complete function (`static long sum_N(const long *v, …)`, `long total`)', base],
  ['return type `int64_t`, the rest `long`', base.replace(/static long sum_/g, 'static int64_t sum_')],
  ['return type `long`, the rest `int64_t`', base.replace(/\blong\b/g, 'int64_t').replace(/static int64_t sum_/g, 'static long sum_')],
  ['every `long` spelled `int64_t`', base.replace(/\blong\b/g, 'int64_t')],
  ['every `long` spelled `long int`', base.replace(/\blong\b/g, 'long int')],
  ['every `long` spelled `int`', base.replace(/\blong\b/g, 'int')],
  ['every `long` spelled `unsigned`', base.replace(/\blong\b/g, 'unsigned')],
  ['every `long` spelled `short`', base.replace(/\blong\b/g, 'short')],
  ['every `long` spelled `signed`', base.replace(/\blong\b/g, 'signed')],
  ['every `long` spelled `unsigned long`', base.replace(/\blong\b/g, 'unsigned long')],
  ['cut to its last complete function, with one syntax error', withError(base)],
  ...['long', 'unsigned', 'int', 'int64_t'].map((type) => [`${LINES} one-line declarations \`static ${type} gN = N;\``,
    Array.from({ length: LINES }, (_, i) => (i === LINES >> 1 ? 'static int edit_here = 196608;' : `static ${type} g${i} = ${i};`)).join('\n') + '\n']),
  ['every `long` spelled `int64_t`, with one syntax error', withError(base.replace(/\blong\b/g, 'int64_t'))],
];


/** The point of `index` in `text`, as tree-sitter counts it (rows, and columns in UTF-16 units for the JS API). */
function pointAt(text, index) {
  const before = text.slice(0, index);
  const row = before.split('\n').length - 1;
  return { row, column: index - (before.lastIndexOf('\n') + 1) };
}

function measure(text) {
  const full = [];
  const unchanged = [];
  const edited = [];
  let tree = parser.parse(text);
  const editAt = text.indexOf('196608', Math.floor(text.length / 2)) + '196608'.length;
  let current = text;
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = performance.now();
    const fresh = parser.parse(current);
    const t1 = performance.now();
    fresh.delete();
    const t2 = performance.now();
    const again = parser.parse(current, tree);
    const t3 = performance.now();
    tree.delete();
    tree = again;
    // type a digit, or delete it again
    const inserting = i % 2 === 0;
    const next = inserting ? current.slice(0, editAt) + '0' + current.slice(editAt) : current.slice(0, editAt) + current.slice(editAt + 1);
    const start = pointAt(current, editAt);
    tree.edit(inserting
      ? { startIndex: editAt, oldEndIndex: editAt, newEndIndex: editAt + 1, startPosition: start, oldEndPosition: start, newEndPosition: { row: start.row, column: start.column + 1 } }
      : { startIndex: editAt, oldEndIndex: editAt + 1, newEndIndex: editAt, startPosition: start, oldEndPosition: { row: start.row, column: start.column + 1 }, newEndPosition: start });
    const t4 = performance.now();
    const after = parser.parse(next, tree);
    const t5 = performance.now();
    tree.delete();
    tree = after;
    current = next;
    if (i >= 3) { full.push(t1 - t0); unchanged.push(t3 - t2); edited.push(t5 - t4); }
  }
  const hasError = tree.rootNode.hasError;
  tree.delete();
  return { fullMs: median(full), unchangedMs: median(unchanged), editP50Ms: median(edited), editP95Ms: p95(edited), hasError };
}

const rows = VARIANTS.map(([name, text]) => ({ name, lines: text.split('\n').length - 1, ...measure(text) }));
if (JSON_OUT) {
  console.log(JSON.stringify({ lines: LINES, runs: RUNS, rows }, null, 2));
} else {
  const f = (x) => x.toFixed(2);
  console.log(`tree-sitter-c re-parse, ${LINES}-line latency document, median of ${RUNS} runs (edit: p50 / p95)\n`);
  console.log('| document | full parse | re-parse, no edit | re-parse after a one-character edit |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name}${r.hasError ? ' (the tree has an error)' : ''} | ${f(r.fullMs)} ms | ${f(r.unchangedMs)} ms | ${f(r.editP50Ms)} / ${f(r.editP95Ms)} ms |`);
}
