// Differential check of the editor's incremental extraction (src/core/analysis/languages/c-family-reuse.ts):
// random edits to real C/C++ files, each followed by an incremental re-parse and two analyses of the same
// tree, one reusing the previous version's results and one from scratch. They must be deeply equal.
//
//   node bench/run-reuse-fuzz.mjs [edits-per-file] [seed]
//
// The edits are token-sized, like typing: numbers, identifiers, O_* flags, operators, line breaks, and
// whole statements that assign a global or call a helper, so the cross-function rules are exercised.
import { deepStrictEqual } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyzeTree } from '../src/core/analysis/analyze';
import { reuseStats } from '../src/core/analysis/languages/c-family-reuse';
import { LineIndex } from '../src/core/analysis/languages/common';
import { parse, type Tree } from '../src/core/analysis/parse';
import { DEFAULT_SETTINGS, type Language } from '../src/core/types';
import type { DocumentTree as AnalyzerTree } from '../src/core/analysis/document';
import { editFromChange, type ContentChange } from '../src/server/incremental';
import { makeDocument } from './latency-document';
import { seededRandom } from '../test/support/prng';

const ROOT = process.env.ZFS_DIO_ROOT ?? process.cwd();

function filesUnder(dir: string, out: string[] = []): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return out; }
  for (const n of names.sort()) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else if (/\.(c|h|cc|cpp|hpp)$/.test(n)) out.push(p);
  }
  return out;
}

function corpus(): { name: string; text: string; language: Language }[] {
  const out: { name: string; text: string; language: Language }[] = [];
  const add = (file: string): void => {
    const text = readFileSync(file, 'utf8');
    out.push({ name: path.relative(ROOT, file), text, language: /\.(c|h)$/.test(file) ? 'c' : 'cpp' });
  };
  for (const f of filesUnder(path.join(ROOT, 'samples'))) add(f);
  for (const f of filesUnder(path.join(ROOT, 'test/fixtures'))) add(f);
  // The real-code corpus: helpers, globals set in main, file positions, async I/O.
  for (const f of filesUnder(path.join(ROOT, 'test/corpus'))) add(f);
  // Generated files that hold a site (the generator sprinkles them over 3 % of the files).
  const generated = filesUnder(path.join(ROOT, 'bench/.work/generated')).filter((f) => /copy_file_range\s*\(|O_DIRECT/.test(readFileSync(f, 'utf8')));
  for (const f of generated.slice(0, 60)) add(f);
  out.push({ name: 'latency document, 600 lines', text: makeDocument(600), language: 'c' });
  return out;
}


const INSERTIONS = ['0', '1', '4096', ' * 2', ' + 512', 'x', '_', ' ', '\n', ';', '=', '&', '++', '(', ')', '{', '}', '|',
  ' | O_DIRECT', 'O_DIRECT', 'O_RDONLY', '\n\tg_fd = open(p, O_RDWR);', '\n\tcounter++;', '\n\tstatic int z = 3;',
  '\n#define EXTRA 8192\n', '\n\tn = copy_file_range(a, 0, b, 0, 65536, 0);', '\n\thelper(fd, buf);', '\n\t(void)read(fd, buf, 100);',
  '/* c */', '// zfs-dio-ignore\n', '\n\tif (n < 0) return -1;'];

interface Edit { start: number; end: number; text: string }

function randomEdit(text: string, r: () => number): Edit {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const kind = r();
  // Replace a token that already exists (a number, an identifier, an O_ flag) by another of its kind.
  if (kind < 0.45) {
    const re = kind < 0.2 ? /\b\d+\b/g : kind < 0.3 ? /\bO_[A-Z]+\b/g : /\b[A-Za-z_]\w*\b/g;
    const hits = [...text.matchAll(re)];
    if (hits.length) {
      const m = pick(hits);
      const replacement = kind < 0.2 ? pick(['0', '1', '512', '4096', '65536', '131072', '196608', '1966080', 'CHUNK', 'BLKSZ'])
        : kind < 0.3 ? pick(['O_DIRECT', 'O_RDONLY', 'O_RDWR | O_DIRECT', 'O_WRONLY'])
          : pick([...new Set(hits.map((h) => h[0]))].slice(0, 200));
      return { start: m.index!, end: m.index! + m[0].length, text: replacement };
    }
  }
  const at = Math.floor(r() * (text.length + 1));
  if (kind < 0.55) return { start: at, end: at, text: pick(INSERTIONS) };
  // A statement that assigns, takes the address of, or passes a descriptor to a name of this file: the
  // cross-function cases (a global that stops being a constant, a new caller of a helper).
  if (kind < 0.7) {
    const ids = [...new Set([...text.matchAll(/\b[A-Za-z_]\w*\b/g)].map((m) => m[0]))];
    const id = pick(ids.length ? ids : ['x']);
    const nl = text.indexOf('\n', at);
    const pos = nl === -1 ? text.length : nl;
    return { start: pos, end: pos, text: pick([`\n\t${id} = 1;`, `\n\t${id}++;`, `\n\t(void)&${id};`, `\n\t${id}(fd, buf, 4096);`, `\n\t${id}(open(p, O_RDWR | O_DIRECT), buf);`]) };
  }
  if (kind < 0.9) return { start: at, end: Math.min(text.length, at + 1 + Math.floor(r() * 4)), text: '' };
  // Delete or duplicate a whole line.
  const ls = text.lastIndexOf('\n', at - 1) + 1;
  const le = text.indexOf('\n', at);
  const lineEnd = le === -1 ? text.length : le + 1;
  return r() < 0.5 ? { start: ls, end: lineEnd, text: '' } : { start: ls, end: ls, text: text.slice(ls, lineEnd) };
}

/** Edits per run before the file starts over from its original text. */
const SEQUENCE = 6;

function changeFor(text: string, e: Edit): ContentChange {
  const pos = (i: number): { line: number; character: number } => {
    const before = text.slice(0, i);
    const line = before.split('\n').length - 1;
    return { line, character: i - (before.lastIndexOf('\n') + 1) };
  };
  return { range: { start: pos(e.start), end: pos(e.end) }, rangeOffset: e.start, rangeLength: e.end - e.start, text: e.text };
}

async function main(): Promise<void> {
  const editsPerFile = Number(process.argv[2] ?? 200);
  const seed = Number(process.argv[3] ?? 1);
  const files = corpus();
  let checked = 0;
  for (const [fi, file] of files.entries()) {
    const r = seededRandom(seed * 1000 + fi);
    let text = '';
    let tree: Tree | undefined;
    for (let i = 0; i < editsPerFile; i++) {
      // Short runs of edits from the original file: long runs pile up broken syntax where nothing is reusable.
      if (i % SEQUENCE === 0) {
        tree?.delete();
        text = file.text;
        tree = await parse(file.language, text);
        analyzeTree(tree, text, file.language, DEFAULT_SETTINGS, { incremental: {} });
      }
      const e = randomEdit(text, r);
      const change = changeFor(text, e);
      text = text.slice(0, e.start) + e.text + text.slice(e.end);
      const previous = tree!;
      (previous as unknown as AnalyzerTree).edit(editFromChange(change));   // the editor's cast, too
      const next = await parse(file.language, text, previous);
      const reusing = analyzeTree(next, text, file.language, DEFAULT_SETTINGS, { incremental: { previousTree: previous } });
      // The shared line index was just moved past the edit; make the from-scratch analysis build its own.
      LineIndex.of('');
      const fresh = analyzeTree(next, text, file.language, DEFAULT_SETTINGS, {});
      try {
        deepStrictEqual(reusing, fresh);
      } catch (err) {
        console.error(`MISMATCH in ${file.name} after edit ${i} (seed ${seed}): ${JSON.stringify(e)}`);
        throw err;
      }
      previous.delete();
      tree = next;
      checked++;
    }
    tree?.delete();
  }
  console.log(JSON.stringify({ files: files.length, editsChecked: checked, ...reuseStats }));
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
