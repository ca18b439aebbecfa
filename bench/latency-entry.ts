// Re-analysis latency, measured in one process the way the editor re-analyses a document on change:
// the document's tree is edited (tree-sitter `edit`), re-parsed incrementally with the old tree,
// and analysed with analyzeTree; the "full" variant is analyzeText from scratch (no tree kept).
// bench/run.mjs bundles this file with esbuild and runs it in a fresh process per document size.
import { analyzeText, analyzeTree } from '../src/core/analysis/analyze';
import { parse } from '../src/core/analysis/parse';
import { DEFAULT_SETTINGS } from '../src/core/types';
import { Edit } from 'web-tree-sitter';

/** A C document of about `lines` lines: ordinary functions with a few O_DIRECT and copy_file_range sites. */
export function makeDocument(lines: number): string {
  const out: string[] = ['#define _GNU_SOURCE', '#include <fcntl.h>', '#include <stdlib.h>', '#include <unistd.h>', '#define CHUNK (128 * 1024)', ''];
  let i = 0;
  while (out.length < lines) {
    if (i % 25 === 0) {
      out.push(`static int io_${i}(const char *path, int dst)`, '{', '\tint fd = open(path, O_RDONLY | O_DIRECT);', '\tchar *buf = malloc(CHUNK);',
        '\tssize_t n = pread(fd, buf, 4000, 512);', '\tloff_t a = 0, b = 262144;', '\tn += copy_file_range(fd, &a, dst, &b, 196608, 0);',
        '\tfree(buf);', '\tclose(fd);', '\treturn n < 0 ? -1 : 0;', '}', '');
    } else {
      out.push(`static long sum_${i}(const long *v, size_t n)`, '{', '\tlong total = 0;', '\tfor (size_t k = 0; k < n; k++) {',
        `\t\tif (v[k] & ${1 << (i % 12)})`, '\t\t\tcontinue;', `\t\ttotal += v[k] * ${(i % 97) + 1};`, '\t}', '\treturn total;', '}', '');
    }
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function measure(lines: number, iterations: number): Promise<Record<string, number | string>> {
  let text = makeDocument(lines);
  // The edit: typing into the length argument of a copy_file_range call in the middle of the file
  // (196608 -> 1966080 -> 196608 …; 1966080 is 15 records), so a finding appears and disappears.
  const anchor = text.indexOf('196608, 0);', Math.floor(text.length / 2));
  const editAt = anchor + '196608'.length;
  const position = (offset: number) => {
    const before = text.slice(0, offset);
    const row = before.split('\n').length - 1;
    return { row, column: offset - (before.lastIndexOf('\n') + 1) };
  };
  const settings = DEFAULT_SETTINGS;
  const full: number[] = [];
  const incremental: number[] = [];
  const incrementalParse: number[] = [];
  const findingsSeen = new Set<number>();

  let tree = await parse('c', text);
  const warmup = Math.min(5, iterations);
  for (let i = 0; i < iterations + warmup; i++) {
    const inserting = i % 2 === 0;
    const start = position(editAt);
    const edit = new Edit(inserting
      ? { startIndex: editAt, oldEndIndex: editAt, newEndIndex: editAt + 1, startPosition: start, oldEndPosition: start, newEndPosition: { row: start.row, column: start.column + 1 } }
      : { startIndex: editAt, oldEndIndex: editAt + 1, newEndIndex: editAt, startPosition: start, oldEndPosition: { row: start.row, column: start.column + 1 }, newEndPosition: start });
    text = inserting ? text.slice(0, editAt) + '0' + text.slice(editAt) : text.slice(0, editAt) + text.slice(editAt + 1);

    // Incremental: what the editor does with the tree it kept for the document.
    const t0 = performance.now();
    tree.edit(edit);
    const next = await parse('c', text, tree);
    const tParsed = performance.now();
    const result = analyzeTree(next, text, 'c', settings, { fileName: '/bench/doc.c' });
    const t1 = performance.now();
    tree.delete();
    tree = next;

    // Full: a document without a kept tree (first open, or after the tree was dropped).
    const t2 = performance.now();
    const fresh = await analyzeText(text, 'c', settings, { fileName: '/bench/doc.c' });
    const t3 = performance.now();
    if (fresh.findings.length !== result.findings.length) throw new Error(`incremental and full analysis disagree at iteration ${i}`);
    findingsSeen.add(result.findings.length);
    if (i >= warmup) { incremental.push(t1 - t0); incrementalParse.push(tParsed - t0); full.push(t3 - t2); }
  }
  tree.delete();
  full.sort((a, b) => a - b);
  incremental.sort((a, b) => a - b);
  incrementalParse.sort((a, b) => a - b);
  return {
    lines, iterations, findingCounts: [...findingsSeen].join('/'),
    fullP50: percentile(full, 50), fullP95: percentile(full, 95),
    incrementalP50: percentile(incremental, 50), incrementalP95: percentile(incremental, 95),
    // the share of the incremental time spent in tree-sitter (edit + re-parse); the rest is analyzeTree
    incrementalParseP50: percentile(incrementalParse, 50), incrementalParseP95: percentile(incrementalParse, 95),
  };
}

// Entry: node latency.cjs <lines> <iterations>  → one JSON line on stdout.
if (require.main === module) {
  const [lines, iterations] = process.argv.slice(2).map(Number);
  measure(lines!, iterations!).then((r) => process.stdout.write(JSON.stringify(r) + '\n'), (e) => { console.error(e); process.exitCode = 1; });
}
