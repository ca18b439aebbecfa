// What the parser benchmarks share: their command-line numbers, the latency benchmark's document generator
// compiled from its TypeScript source, web-tree-sitter with the C grammar the extension ships (`dist/grammars`),
// and the statistics they print.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GRAMMARS = path.join(ROOT, 'dist/grammars');

/** The number given as `--name N` on the command line, else `fallback`. */
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** bench/latency-document.ts's `makeDocument(lines)`. */
export async function latencyDocumentMaker() {
  const source = readFileSync(path.join(ROOT, 'bench/latency-document.ts'), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm' });
  const { makeDocument } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return makeDocument;
}

/** A parser set to the shipped C grammar. */
export async function cParser() {
  const { Parser, Language } = await import(pathToFileURL(path.join(ROOT, 'node_modules/web-tree-sitter/web-tree-sitter.js')).href)
    .catch(() => import('web-tree-sitter'));
  await Parser.init({ locateFile: () => path.join(GRAMMARS, 'web-tree-sitter.wasm') });
  const parser = new Parser();
  parser.setLanguage(await Language.load(path.join(GRAMMARS, 'tree-sitter-c.wasm')));
  return parser;
}

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
export const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]; };
