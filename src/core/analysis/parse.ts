// Loads web-tree-sitter and the grammar wasm files lazily: nothing is read until the first file of a
// language is parsed, so activation stays cheap and an unused grammar costs nothing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language as TsLanguage, Parser, type Tree } from 'web-tree-sitter';
import type { Language } from '../types';
import { AnalysisStopped, type AnalysisBudget } from './budget';

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

/**
 * The largest file the parser is given. web-tree-sitter's heap is at most 2 GiB; a tree costs about
 * 120 bytes per node, and dense code has one or two nodes per byte, so a 50 MB file aborted the
 * runtime (measured: 32 MB of ordinary C parsed, 50 MB aborted). Larger files are refused, not tried.
 */
export const PARSER_MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Set when the wasm runtime failed (an abort, a trap): emscripten cannot be restarted in a process,
 * and every later call into a broken runtime fails or returns garbage, so nothing is parsed any more.
 */
let runtimeFailure: string | undefined;

/** Why this thread's parser runtime stopped working, if it has. */
export function parserRuntimeFailure(): string | undefined { return runtimeFailure; }

/** Records that the runtime failed (on a wasm trap seen by the caller, e.g. during extraction). */
export function markParserRuntimeBroken(reason: string): void { runtimeFailure ??= reason; }

// Read from globalThis: the core is compiled without the DOM library, which is where TypeScript declares WebAssembly.
const WasmRuntimeError = (globalThis as { WebAssembly?: { RuntimeError: new () => Error } }).WebAssembly?.RuntimeError;

/** Is this error the wasm runtime failing (rather than the analysis code)? */
export function isRuntimeFailure(err: unknown): boolean {
  return (WasmRuntimeError !== undefined && err instanceof WasmRuntimeError) || (err instanceof Error && /^Aborted\(/.test(err.message));
}

/**
 * Parses `text` with the grammar for `lang`. Pass `oldTree` (already edited) for an incremental re-parse.
 * With `budget`, the parse is the budget's 'parse' phase and is cancelled when it runs out of time.
 * @throws AnalysisStopped when the budget cancelled the parse
 */
export async function parse(lang: Language, text: string, oldTree?: Tree | null, budget?: AnalysisBudget): Promise<Tree> {
  if (runtimeFailure) throw new Error(`the parser stopped working on an earlier file (${runtimeFailure}) and cannot be restarted in this thread`);
  const language = await loadLanguage(lang);
  let parser = parsers.get(lang);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(lang, parser);
  }
  budget?.start('parse');
  let tree: Tree | null;
  try {
    tree = parser.parse(text, oldTree ?? null, budget ? { progressCallback: () => budget.expired() } : undefined);
  } catch (err) {
    if (isRuntimeFailure(err)) markParserRuntimeBroken(err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    // A cancelled parse is kept for resumption; the next file must start from scratch.
    if (budget?.stoppedIn === 'parse') parser.reset();
  }
  if (!tree && budget?.stoppedIn === 'parse') throw new AnalysisStopped('parse');
  if (!tree) throw new Error(`tree-sitter returned no tree for a ${lang} file`);
  return tree;
}

/**
 * Parses `text` at once when the grammar for `lang` is loaded already and the runtime works, else
 * returns undefined. For the workspace index, whose providers are synchronous: the files a language's
 * extractor reads beside its own are parsed while that file's tree exists, so the grammar is loaded.
 * The parser is the one `parse` uses; calling this between two calls of `parse` is safe.
 */
export function parseIfLoaded(lang: Language, text: string): Tree | undefined {
  if (runtimeFailure || text.length > PARSER_MAX_FILE_BYTES) return undefined;
  const parser = parsers.get(lang);
  if (!parser) return undefined;
  try {
    return parser.parse(text) ?? undefined;
  } catch (err) {
    if (isRuntimeFailure(err)) markParserRuntimeBroken(err instanceof Error ? err.message : String(err));
    return undefined;
  }
}

export type { Tree, Node, Query } from 'web-tree-sitter';
export { TsLanguage };
