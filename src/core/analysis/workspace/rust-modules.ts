// The Rust provider: the other modules of a file's crate that the file names. The crate root is found
// by walking up to the folder with Cargo.toml (src/lib.rs, else src/main.rs); `mod x;` is x.rs or
// x/mod.rs in the declaring module's folder; `use crate::…`, `super::…`, `self::…` and paths through a
// module the file declares are resolved to those files, and so on from them, a few levels deep.
//
// The provider reads text only (it runs before any parse, and parsing is asynchronous): comments and
// string literals are blanked, then `mod` declarations and paths are found by pattern. It may read a
// module the code does not really reach (a `super::` written inside an inline `mod`); the extractor
// resolves every name itself, from the syntax trees, so a module read too many is only a module read.
import path from 'node:path';
import type { ContextProvider, ExternalContext, WorkspaceView } from './index';
import { contextKey, memoisedProvider, type ReadFile } from './read-set';
import { RUST_SITE_TEXT } from '../languages/rust-prefilter';
import { Blanked } from './blanked';

/** One module of the crate other than the analysed file: `crate::consts` and its text. */
export interface RustModuleSource { readonly path: string; readonly file: string; readonly text: string }

/** What a Rust file's extractor learns of its crate. */
export interface RustCrateContext {
  readonly kind: 'rust-crate';
  /** The analysed file's own module path (`crate::segment`). */
  readonly modulePath: string;
  /** The modules it names, directly or through the modules it names (never itself). */
  readonly modules: readonly RustModuleSource[];
}

/** How many modules away from the file a module is still read (its uses' uses' uses). */
export const RUST_MODULE_DEPTH = 3;
/** The most module files one file's context reads. */
export const RUST_MODULE_FILES = 32;
/** How far up from a file Cargo.toml is looked for. */
const CARGO_SEARCH_LEVELS = 8;


const IDENT = /^(?:r#)?[A-Za-z_][A-Za-z0-9_]*$/;

export function isRustCrateContext(v: unknown): v is RustCrateContext {
  return !!v && typeof v === 'object' && (v as RustCrateContext).kind === 'rust-crate';
}

export function rustModulesProvider(view: WorkspaceView): ContextProvider<RustCrateContext> {
  return memoisedProvider(view.reader, (fileName, text, read) => buildContext(view, fileName, text, read),
    (p) => p.endsWith('.rs') || path.basename(p) === 'Cargo.toml');
}

interface Crate { root: string; rootFile: string }

function buildContext(view: WorkspaceView, fileName: string, text: string, read: ReadFile[]): ExternalContext<RustCrateContext> | undefined {
  const reader = view.reader;
  const readText = (abs: string): string | undefined => {
    const t = reader.readText(abs);
    if (t !== undefined && !read.some((r) => r.file === abs)) read.push({ file: abs, text: t });
    return t;
  };
  const crate = crateOf(view, fileName, text);
  if (!crate) return undefined;
  const cleaned = new Map<string, string>();
  const cleanOf = (abs: string, raw: string): string => {
    let c = cleaned.get(abs);
    if (c === undefined) { c = blankCommentsAndStrings(raw); cleaned.set(abs, c); }
    return c;
  };
  cleaned.set(fileName, blankCommentsAndStrings(text));
  const fileOf = new Map<string, string | null>([['crate', crate.rootFile]]);
  /** The file of a module path, when every module on the way is declared with `mod x;` in its parent. */
  const moduleFile = (segs: readonly string[]): string | undefined => {
    const key = segs.join('::');
    const known = fileOf.get(key);
    if (known !== undefined) return known ?? undefined;
    let found: string | undefined;
    if (segs.length > 1 && segs.length <= 12) {
      const parent = moduleFile(segs.slice(0, -1));
      const parentText = parent === fileName ? text : parent ? readText(parent) : undefined;
      const name = segs[segs.length - 1]!.replace(/^r#/, '');
      if (parent && parentText !== undefined && declaredModules(cleanOf(parent, parentText)).has(name)) {
        const dir = childDirectory(parent, parent === crate.rootFile);
        for (const candidate of [path.join(dir, `${name}.rs`), path.join(dir, name, 'mod.rs')]) {
          if (candidate === fileName || reader.isFile(candidate)) { found = candidate; break; }
        }
      }
    }
    fileOf.set(key, found ?? null);
    return found;
  };
  const own = modulePathOf(crate, fileName);
  if (!own || moduleFile(own) !== fileName) return undefined;

  const modules: RustModuleSource[] = [];
  const seen = new Set<string>([fileName]);
  let frontier: { segs: string[]; text: string; file: string }[] = [{ segs: own, text: cleanOf(fileName, text), file: fileName }];
  for (let depth = 1; depth <= RUST_MODULE_DEPTH && frontier.length; depth++) {
    const next: typeof frontier = [];
    for (const m of frontier) {
      const children = declaredModules(m.text);
      for (const ref of referencedPaths(m.text)) {
        const abs = absolutePath(m.segs, ref, children);
        if (!abs) continue;
        // The longest prefix of the path that is a module with a file of its own.
        for (let n = abs.length; n >= 1; n--) {
          const file = moduleFile(abs.slice(0, n));
          if (!file) continue;
          if (!seen.has(file) && modules.length < RUST_MODULE_FILES) {
            seen.add(file);
            const t = readText(file);
            if (t !== undefined) {
              modules.push({ path: abs.slice(0, n).join('::'), file, text: t });
              next.push({ segs: abs.slice(0, n), text: cleanOf(file, t), file });
            }
          }
          break;
        }
      }
    }
    frontier = next;
  }
  if (!modules.length) return undefined;
  return {
    key: contextKey('rust', text, read),
    // Does a module hold something a site could come from (the extractor's own prefilter)?
    mentionsSites: modules.some((m) => RUST_SITE_TEXT.test(m.text)),
    files: modules.map((m) => m.file),
    value: { kind: 'rust-crate', modulePath: own.join('::'), modules },
  };
}

/**
 * The crate of a file: the folder with Cargo.toml above it (not above the project folder) and its
 * src/lib.rs or src/main.rs. A file of src/bin, tests, examples or benches, or one with no Cargo.toml
 * above it that declares modules, is a crate root of its own.
 */
function crateOf(view: WorkspaceView, fileName: string, text: string): Crate | undefined {
  const stop = view.rootOf(fileName);
  let dir = path.dirname(fileName);
  for (let i = 0; i < CARGO_SEARCH_LEVELS; i++) {
    if (view.reader.isFile(path.join(dir, 'Cargo.toml'))) {
      const rel = path.relative(dir, fileName).split(path.sep);
      if (rel[0] === 'src' && rel[1] !== 'bin') {
        for (const name of ['lib.rs', 'main.rs']) {
          const rootFile = path.join(dir, 'src', name);
          if (rootFile === fileName || view.reader.isFile(rootFile)) return { root: dir, rootFile };
        }
        return undefined;
      }
      return { root: path.dirname(fileName), rootFile: fileName };
    }
    if (dir === stop || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  // Blanking only removes text: without the word in the raw text, no `mod x;` survives it.
  if (!text.includes('mod')) return undefined;
  return declaredModules(blankCommentsAndStrings(text)).size ? { root: path.dirname(fileName), rootFile: fileName } : undefined;
}

/** `crate::a::b` for src/a/b.rs or src/a/b/mod.rs of the crate (as the layout names it; checked against the `mod` chain). */
function modulePathOf(crate: Crate, fileName: string): string[] | undefined {
  if (fileName === crate.rootFile) return ['crate'];
  const rel = path.relative(path.dirname(crate.rootFile), fileName).split(path.sep);
  if (rel.some((s) => s === '..' || s === '')) return undefined;
  const last = rel.pop()!;
  if (last !== 'mod.rs') rel.push(last.replace(/\.rs$/, ''));
  if (!rel.length || !rel.every((s) => IDENT.test(s))) return undefined;
  return ['crate', ...rel];
}

/** Where a module's `mod x;` files are: beside a crate root or mod.rs, else in the folder named after the module. */
function childDirectory(file: string, isCrateRoot: boolean): string {
  if (isCrateRoot || path.basename(file) === 'mod.rs') return path.dirname(file);
  return path.join(path.dirname(file), path.basename(file, '.rs'));
}

/** The names of `mod x;` declarations (not inline `mod x { … }`). */
export function declaredModules(cleaned: string): Set<string> {
  const names = new Set<string>();
  for (const m of cleaned.matchAll(/\bmod\s+(?:r#)?([A-Za-z_][A-Za-z0-9_]*)\s*;/g)) names.add(m[1]!);
  return names;
}

/**
 * The paths a module's text names: every path of every `use` tree (`use a::{b, c::d}` names a::b and
 * a::c::d) and every path expression or type starting with `crate`, `super` or `self`, or with a
 * module the text declares (checked by the caller).
 */
export function referencedPaths(cleaned: string): string[][] {
  const out: string[][] = [];
  for (const m of cleaned.matchAll(/\buse\s+([^;]{1,2000});/g)) expandUseTree(m[1]!, out);
  for (const m of cleaned.matchAll(/(?<![A-Za-z0-9_:])(?:r#)?[A-Za-z_][A-Za-z0-9_]*(?:\s*::\s*(?:r#)?[A-Za-z_][A-Za-z0-9_]*)+/g)) {
    if (out.length > 4000) break;
    out.push(m[0].split('::').map((s) => s.trim()));
  }
  return out;
}

/** Expands one `use` tree into its paths (a glob keeps the path it globs). */
function expandUseTree(tree: string, out: string[][]): void {
  const tokens = tree.match(/(?:r#)?[A-Za-z_][A-Za-z0-9_]*|::|[{},*]/g) ?? [];
  let i = 0;
  const walk = (prefix: string[], depth: number): void => {
    if (depth > 16) { i = tokens.length; return; }
    const segs = [...prefix];
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (t === '{') {
        i++;
        while (i < tokens.length && tokens[i] !== '}') {
          walk(segs, depth + 1);
          if (tokens[i] === ',') i++;
        }
        i++;
        return;
      }
      if (t === '*') { i++; out.push(segs); return; }
      if (t === ',' || t === '}') { if (segs.length > prefix.length) out.push(segs); return; }
      if (t === 'as') { i += 2; out.push(segs); return; }
      if (t !== '::') segs.push(t);
      i++;
    }
    if (segs.length > prefix.length) out.push(segs);
  };
  walk([], 0);
}

/** A path as seen from module `from`, made absolute; undefined when it does not start in the crate. */
function absolutePath(from: readonly string[], ref: readonly string[], children: ReadonlySet<string>): string[] | undefined {
  const segs = ref.map((s) => s.replace(/^r#/, ''));
  if (segs[0] === 'crate') return segs;
  if (segs[0] === 'self') return [...from, ...segs.slice(1)];
  if (segs[0] === 'super') {
    const base = [...from];
    let k = 0;
    while (segs[k] === 'super') { if (base.length <= 1) return undefined; base.pop(); k++; }
    return [...base, ...segs.slice(k)];
  }
  if (children.has(segs[0]!)) return [...from, ...segs];
  return undefined;
}

/**
 * The text with comments, string and character literals replaced by spaces (lines and columns kept), so
 * that a `mod x;` or `crate::x` in a comment or a string is not taken for code.
 */
export function blankCommentsAndStrings(text: string): string {
  const blanked = new Blanked(text);
  const n = text.length;
  // Only these characters can open a comment or a literal; everything between them is kept as it is.
  const opener = /[/"'r]/g;
  let i = 0;
  while (i < n) {
    opener.lastIndex = i;
    if (!opener.exec(text)) break;
    i = opener.lastIndex - 1;
    const c = text[i]!;
    const d = text[i + 1];
    if (c === '/' && d === '/') { const e = text.indexOf('\n', i); const end = e < 0 ? n : e; blanked.blank(i, end); i = end; continue; }
    if (c === '/' && d === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text[j] === '/' && text[j + 1] === '*') { depth++; j += 2; } else if (text[j] === '*' && text[j + 1] === '/') { depth--; j += 2; } else j++;
      }
      blanked.blank(i, j); i = j; continue;
    }
    if (c === 'r' && (d === '"' || d === '#') && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
      const m = /^r(#*)"/.exec(text.slice(i, i + 260));
      if (m) {
        const close = `"${m[1]}`;
        const e = text.indexOf(close, i + m[0].length);
        const end = e < 0 ? n : e + close.length;
        blanked.blank(i, end); i = end; continue;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      blanked.blank(i, j + 1); i = j + 1; continue;
    }
    if (c === '\'') {
      const m = /^'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)|[^\\'\n])'/.exec(text.slice(i, i + 16));
      if (m) { blanked.blank(i, i + m[0].length); i += m[0].length; continue; }
    }
    i++;
  }
  return blanked.text();
}
