// Re-analysis latency, measured in one process through the editor's own code path: the change is turned
// into a tree-sitter edit by editFromChange (src/server/incremental.ts), the kept tree is edited, and
// the language server's DocumentAnalyzer.analyzeDocument (src/core/analysis/document.ts) re-parses incrementally and runs analyzeTree. "Full" is
// the same call without a kept tree (first open, or a dropped tree). bench/run.mjs bundles this file with
// esbuild and runs it in a fresh process per document size.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocumentAnalyzer, type DocumentTree as AnalyzerTree } from '../src/core/analysis/document';
import { setGrammarDirectory } from '../src/core/analysis/parse';
import { SERVER_FILE_TIME_LIMIT_MS } from '../src/server/server';
import { editFromChange, type ContentChange } from '../src/server/incremental';
import { DEFAULT_SETTINGS } from '../src/core/types';
import { parse, type Tree } from '../src/core/analysis/parse';
import { makeDocument } from './latency-document';

/** The language server's document analyzer, with its time limit. */
function loadAnalyzer(grammarDir: string) {
  setGrammarDirectory(grammarDir);
  return createDocumentAnalyzer(SERVER_FILE_TIME_LIMIT_MS);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function measure(lines: number, iterations: number): Promise<Record<string, number | string>> {
  const analyzer = loadAnalyzer(path.join(process.env.ZFS_DIO_ROOT ?? process.cwd(), 'dist', 'grammars'));
  let text = makeDocument(lines);
  // The document lives in a project folder with a header it includes, so each analysis asks the
  // workspace index for its context as the editor does.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdio-latency-'));
  writeFileSync(path.join(dir, 'project.h'), '#define PROJECT_CHUNK (128 * 1024)\n');
  text = '#include "project.h"\n' + text;
  // The edit: typing into the length argument of a copy_file_range call in the middle of the file
  // (196608 -> 1966080 -> 196608 …; 1966080 is 15 records), so a finding appears and disappears.
  const editAt = text.indexOf('196608, 0);', Math.floor(text.length / 2)) + '196608'.length;
  const before = text.slice(0, editAt);
  const at = { line: before.split('\n').length - 1, character: editAt - (before.lastIndexOf('\n') + 1) };
  const settings = DEFAULT_SETTINGS;
  const opts = { fileName: path.join(dir, 'doc.c'), workspace: { roots: [dir] } };
  const full: number[] = [];
  const incremental: number[] = [];
  const reparseOnly: number[] = [];
  const findingsSeen = new Set<number>();

  let tree: AnalyzerTree | undefined = (await analyzer.analyzeDocument(text, 'c', settings, opts)).tree;
  // A second kept tree, re-parsed but not analysed: how much of the incremental time is tree-sitter's.
  let parseOnly: Tree = await parse('c', text);
  const warmup = Math.min(5, iterations);
  for (let i = 0; i < iterations + warmup; i++) {
    const inserting = i % 2 === 0;
    const change: ContentChange = inserting
      ? { range: { start: at, end: at }, rangeOffset: editAt, rangeLength: 0, text: '0' }
      : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, rangeOffset: editAt, rangeLength: 1, text: '' };
    text = inserting ? text.slice(0, editAt) + '0' + text.slice(editAt) : text.slice(0, editAt) + text.slice(editAt + 1);

    // Incremental: what the diagnostics controller does with the tree it kept for the document.
    const t0 = performance.now();
    tree?.edit(editFromChange(change));
    const next = await analyzer.analyzeDocument(text, 'c', settings, { ...opts, oldTree: tree });
    const t1 = performance.now();
    tree = next.tree;

    const t4 = performance.now();
    (parseOnly as unknown as AnalyzerTree).edit(editFromChange(change));   // the editor's cast, too
    const reparsed = await parse('c', text, parseOnly);
    const t5 = performance.now();
    parseOnly.delete();
    parseOnly = reparsed;

    // Full: the same document without a kept tree.
    const t2 = performance.now();
    const fresh = await analyzer.analyzeDocument(text, 'c', settings, opts);
    const t3 = performance.now();
    fresh.tree?.delete();
    if (fresh.result.findings.length !== next.result.findings.length) throw new Error(`incremental and full analysis disagree at iteration ${i}`);
    findingsSeen.add(next.result.findings.length);
    if (i >= warmup) { incremental.push(t1 - t0); full.push(t3 - t2); reparseOnly.push(t5 - t4); }
  }
  tree?.delete();
  parseOnly.delete();
  rmSync(dir, { recursive: true, force: true });
  reparseOnly.sort((a, b) => a - b);
  full.sort((a, b) => a - b);
  incremental.sort((a, b) => a - b);
  return {
    lines, iterations, findingCounts: [...findingsSeen].join('/'),
    fullP50: percentile(full, 50), fullP95: percentile(full, 95),
    incrementalP50: percentile(incremental, 50), incrementalP95: percentile(incremental, 95),
    reparseOnlyP50: percentile(reparseOnly, 50), reparseOnlyP95: percentile(reparseOnly, 95),
  };
}

// Entry: node latency.cjs <lines> <iterations>  → one JSON line on stdout.
if (require.main === module) {
  const [lines, iterations] = process.argv.slice(2).map(Number);
  measure(lines!, iterations!).then((r) => process.stdout.write(JSON.stringify(r) + '\n'), (e) => { console.error(e); process.exitCode = 1; });
}
