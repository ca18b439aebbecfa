// Loads web-tree-sitter and the grammar wasm files lazily: nothing is read until the first file of a
// language is parsed, so activation stays cheap and an unused grammar costs nothing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language as TsLanguage, Parser, type Tree } from 'web-tree-sitter';
import type { Language } from '../types';

let grammarDirOverride: string | undefined;
let runtimeReady: Promise<void> | undefined;
const languages = new Map<Language, Promise<TsLanguage>>();

/** Where the `.wasm` files are. Bundles ship them in `dist/grammars`; tests fall back to node_modules. */
export function setGrammarDirectory(dir: string): void { grammarDirOverride = dir; }

function candidates(file: string): string[] {
  const dirs: string[] = [];
  if (grammarDirOverride) dirs.push(grammarDirOverride);
  if (typeof __dirname === 'string') dirs.push(path.join(__dirname, 'grammars'), path.join(__dirname, '..', 'dist', 'grammars'));
  const root = process.env.ZFS_DIO_ROOT;
  if (root) dirs.push(path.join(root, 'dist', 'grammars'));
  return dirs.map((d) => path.join(d, file));
}

function locate(file: string): string {
  for (const c of candidates(file)) if (existsSync(c)) return c;
  // Last resort for unbundled use: the npm packages themselves.
  const pkg = file === 'web-tree-sitter.wasm' ? 'web-tree-sitter' : file.replace(/\.wasm$/, '');
  try { return require.resolve(`${pkg}/${file}`); } catch { /* fall through */ }
  throw new Error(`cannot find ${file} (looked in: ${candidates(file).join(', ')})`);
}

function initRuntime(): Promise<void> {
  runtimeReady ??= Parser.init({ locateFile: () => locate('web-tree-sitter.wasm') });
  return runtimeReady;
}

export function loadLanguage(lang: Language): Promise<TsLanguage> {
  let p = languages.get(lang);
  if (!p) {
    p = initRuntime().then(() => TsLanguage.load(locate(`tree-sitter-${lang}.wasm`)));
    languages.set(lang, p);
    p.catch(() => languages.delete(lang)); // a failed load may be retried later
  }
  return p;
}

/** Which grammars are loaded so far (for the activation benchmark and the output channel). */
export function loadedLanguages(): Language[] { return [...languages.keys()]; }

const parsers = new Map<Language, Parser>();

/** Parses `text` with the grammar for `lang`. Pass `oldTree` (already edited) for an incremental re-parse. */
export async function parse(lang: Language, text: string, oldTree?: Tree | null): Promise<Tree> {
  const language = await loadLanguage(lang);
  let parser = parsers.get(lang);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(lang, parser);
  }
  const tree = parser.parse(text, oldTree ?? null);
  if (!tree) throw new Error(`tree-sitter returned no tree for a ${lang} file`);
  return tree;
}

export type { Tree, Node, Query } from 'web-tree-sitter';
export { TsLanguage };
