// C and C++: the macros of the headers a file includes. Includes are resolved the way the compiler
// would: through the file's entry in compile_commands.json when the project has one (the clangd
// convention), otherwise `"…"` next to the including file and both spellings in the project's
// `include/` folders. System headers are not read: they hold no project constants, and libc's own
// definition of O_DIRECT would make every file look like it might have a site.
//
// Headers are read as text, not parsed: the definitions a header gives are its `#define` lines
// (comments removed, continuation lines joined). `#if` is not evaluated, so a macro defined twice
// with different bodies is ambiguous and stays unknown.
import path from 'node:path';
import type { Language } from '../../types';
import { CANDIDATES, C_FAMILY_PREFILTER } from '../languages/c-family';
import { skippedDirectoryReason } from '../skipped-directories';
import { parseCompilationDatabase, type CompilationDatabase, type CompileFlags } from './compile-commands';
import type { ContextProvider, ExternalContext, WorkspaceView } from './index';

/** A header closure stops here: enough for any project's own headers, bounded for any input. */
export const MAX_HEADERS = 256;
const MAX_INCLUDE_DEPTH = 16;

interface SearchDirs { quote: readonly string[]; angled: readonly string[] }
/** The search path of a compile command's flags (a database is read again when it changes, with new flags). */
const flagsDirs = new WeakMap<CompileFlags, SearchDirs>();

/** How many of a project's C and C++ files the reverse include index reads (once, until a file changes). */
export const MAX_INDEXED_SOURCES = 4000;
/** How many files' functions join one file's analysis (headers it includes, or files that include it). */
export const MAX_UNIT_PARTS = 8;
/** Source files, whose includes the reverse index reads (headers are found through them). */
const SOURCE_ENDINGS = ['.c', '.cc', '.cpp', '.cxx', '.c++'];
const isSource = (abs: string): boolean => SOURCE_ENDINGS.some((e) => abs.toLowerCase().endsWith(e));
/** Files an include may name besides sources: one that appears or vanishes may change where includes resolve. */
const HEADER_ENDINGS = ['.h', '.hh', '.hpp', '.hxx', '.h++', '.inl', '.ipp', '.tcc', '.icpp', '.inc', '.def'];
const isWithinOrAt = (abs: string, dir: string): boolean => abs === dir || abs.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/** Which source files include which headers, for one project folder. */
interface ReverseIndex {
  /** Per header (absolute): the source files that include it directly. */
  readonly targets: Map<string, string[]>;
  /** Per source file: the headers it includes directly (to take it out again when it changes). */
  readonly sources: Map<string, string[]>;
  /** Source files that changed, appeared or vanished since they were read. */
  readonly stale: Set<string>;
}

/**
 * Another file whose functions join a file's analysis, as the compiler's translation unit would have
 * them: a header the file includes that defines functions the file calls, or (for a header) a file that
 * includes it and calls its functions.
 */
export interface UnitPart { readonly file: string; readonly text: string }

/** What a C or C++ file learns from the headers it includes. */
export interface HeaderDefinitions {
  /**
   * The headers of the closure that define functions (`static inline` helpers) the file calls: their
   * code runs in the file's program, so their sites are seen from the file's calls.
   */
  readonly definingHeaders: readonly UnitPart[];
  /** For a header: the project's files that include it and call its functions (whose calls say what its parameters are). */
  readonly includers: readonly UnitPart[];
  /** An object-like macro's body (`#define DIO_RECORD_BYTES 6000`), unless headers disagree on it. */
  macro(name: string): HeaderMacro | undefined;
  /** A function-like macro (`#define KB(n) ((n) * 1024)`), unless headers disagree on it. */
  functionMacro(name: string): HeaderFunctionMacro | undefined;
  /** The headers read, nearest first (absolute). */
  readonly headers: readonly string[];
}

export interface HeaderMacro { name: string; body: string; header: string }
export interface HeaderFunctionMacro extends HeaderMacro { params: readonly string[] }

/** The cheap text test of the C extractor: a macro whose body matches it may stand for a site's spelling. */
const SITE_TERMS = C_FAMILY_PREFILTER;

/**
 * One header, read once per text. Most headers of a closure only lead to others: their definitions
 * are read the first time a lookup or the site test needs them.
 */
interface HeaderFile {
  text: string;
  /** Tells two versions apart (empty in a snapshot, where a header never changes). */
  hash: string;
  /** `[quoted, spelled]` of each `#include`, in order. */
  includes: [boolean, string][];
  /** Does the text spell a site term anywhere (then its macros may stand for one)? */
  hasSiteTerm: boolean;
  definitions?: HeaderDefinitionsOfFile;
  /** The functions the header defines with a body, when it spells an I/O call (else none matter). */
  functions?: readonly string[];
}

/** What one header defines. */
export interface HeaderDefinitionsOfFile {
  objects: Map<string, string | null>;
  functions: Map<string, { params: string[]; body: string } | null>;
  /** Macros whose body matches SITE_TERMS. */
  siteMacros: string[];
  /** For each identifier used in a macro body: the macros of this header whose bodies use it. */
  usedBy: Map<string, string[]>;
}

export function cHeadersProvider(view: WorkspaceView, _language: Language): ContextProvider<HeaderDefinitions> {
  return new HeaderIndex(view);
}

class HeaderIndex implements ContextProvider<HeaderDefinitions> {
  private readonly files = new Map<string, HeaderFile>();
  /** Per search path (one object per folder of including files): where each spelling resolved, by including folder. */
  private readonly resolved = new WeakMap<SearchDirs, Map<string, string | null>>();
  private readonly dirsByFolder = new Map<string, SearchDirs>();
  private readonly databases = new Map<string, { text: string | undefined; db: CompilationDatabase | undefined }>();
  /** Per closure (its key): the macros that stand for a site's spelling, directly or through other macros. */
  private readonly siteNames = new Map<string, ReadonlySet<string>>();
  private readonly contexts = new Map<string, ExternalContext<HeaderDefinitions>>();
  /** Per project folder: the source files that include each header directly (see includersOf). */
  private readonly reverse = new Map<string, ReverseIndex>();

  constructor(private readonly view: WorkspaceView) {}

  forget(paths?: readonly string[]): void {
    if (!paths) { this.files.clear(); this.databases.clear(); }
    else for (const p of paths) { this.files.delete(p); this.databases.delete(p); }
    // a header that appeared or vanished changes where includes resolve, and every closure may change
    this.dirsByFolder.clear();
    this.siteNames.clear();
    this.contexts.clear();
    this.forgetIncluders(paths);
  }

  /**
   * The reverse index after a change: a source file that changed, appeared or vanished is read again when
   * next needed; a header, folder or compilation database that appeared or vanished may change where every
   * include resolves, so the index is built again. A header whose text changed, and any other file, leave
   * it as it is.
   */
  private forgetIncluders(paths: readonly string[] | undefined): void {
    if (!paths) { this.reverse.clear(); return; }
    for (const p of paths) {
      if (isSource(p)) { for (const index of this.reverse.values()) index.stale.add(p); continue; }
      const known = [...this.reverse.values()].some((index) => index.targets.has(p));
      const mayResolve = HEADER_ENDINGS.some((e) => p.toLowerCase().endsWith(e)) || path.basename(p) === 'compile_commands.json'
        || !/\.[^./\\]+$/.test(path.basename(p));
      if (mayResolve && !(known && this.view.reader.isFile(p))) { this.reverse.clear(); return; }
    }
  }

  contextFor(fileName: string, text: string): ExternalContext<HeaderDefinitions> | undefined {
    const own = includesOf(text);
    const flags = this.flagsFor(fileName);
    const calling = isSource(fileName) ? { unit: [], read: [] } : this.includersCalling(fileName, text);
    const includers = calling.unit;
    if (!own.length && !flags?.defines.size && !calling.read.length) return undefined;
    const dirs = this.searchDirs(fileName, flags);
    // the closure, breadth first: nearer headers first, each once, bounded in number and depth
    const headers: string[] = [];
    const seen = new Set<string>();
    let frontier: { from: string; includes: [boolean, string][] }[] = [{ from: fileName, includes: own }];
    for (let depth = 0; frontier.length && depth < MAX_INCLUDE_DEPTH && headers.length < MAX_HEADERS; depth++) {
      const next: typeof frontier = [];
      for (const f of frontier) {
        for (const [quoted, spelled] of f.includes) {
          const abs = this.resolve(spelled, quoted, path.dirname(f.from), dirs);
          if (!abs || seen.has(abs) || abs === fileName) continue;
          seen.add(abs);
          const h = this.header(abs);
          if (!h) continue;
          headers.push(abs);
          if (headers.length >= MAX_HEADERS) break;
          next.push({ from: abs, includes: h.includes });
        }
        if (headers.length >= MAX_HEADERS) break;
      }
      frontier = next;
    }
    const defines = flags?.defines ?? new Map<string, string>();
    const parts = headers.map((h) => `${h}:${this.files.get(h)!.hash}`);
    // hashed: thousands of closures of hundreds of paths each would otherwise hold megabytes of keys
    const closureKey = hashOf(`${[...defines].map(([k, v]) => `-D${k}=${v}`).join(' ')}|${parts.join('|')}`);
    const macroMentions = this.mentions(closureKey, headers, defines, text);
    // A header's helper can hold a site for this file only if one of the two spells a site's term (the
    // file's flags, or the helper's own open); the headers of other files are not looked at.
    const defining = this.definingHeaders(headers, text, macroMentions || SITE_TERMS.test(text));
    // The file's text decides which headers' functions it calls: the key says which did.
    const unitKey = [...defining.map((d) => d.file), ...includers.map((i) => `${i.file}:${hashOf(i.text)}`)].join('|');
    const key = unitKey ? hashOf(`${closureKey}|${unitKey}`) : closureKey;
    // An includer that spells a site's term can make the header's code a site (its flags, its descriptors),
    // and a helper that spells one can make the file's code a site (the descriptor it returns).
    const unitMentions = includers.length > 0 || defining.some((d) => this.files.get(d.file)!.hasSiteTerm);
    const mentions = (): boolean => macroMentions || unitMentions;
    let context = this.contexts.get(key);
    if (context) return { ...context, mentionsSites: mentions() };
    const files = headers.map((h) => this.files.get(h)!);
    const definitions = new Definitions(headers, files, defines, defining, includers);
    // every includer that calls the header's functions is one of its files: an edit there may make it join
    context = { key, mentionsSites: false, files: [...headers, ...calling.read], value: definitions };
    if (this.contexts.size > 4096) this.contexts.clear();
    this.contexts.set(key, context);
    return { ...context, mentionsSites: mentions() };
  }

  /**
   * The headers of a closure that define functions `text` calls, nearest first, at most MAX_UNIT_PARTS.
   * `fileMentions`: the file spells a site's term (directly or through a macro); else only a header that
   * spells one itself can matter.
   */
  private definingHeaders(headers: readonly string[], text: string, fileMentions: boolean): UnitPart[] {
    const out: UnitPart[] = [];
    for (const abs of headers) {
      if (out.length >= MAX_UNIT_PARTS) break;
      const h = this.files.get(abs)!;
      if (!fileMentions && !h.hasSiteTerm) continue;
      const names = (h.functions ??= functionsDefinedIn(h.text));
      if (names.length && callsAny(text, names)) out.push({ file: abs, text: h.text });
    }
    return out;
  }

  /**
   * For a header: the project's source files that include it and call a function it defines (`read`), and
   * those of them that spell a site's term (`unit`: only they can make the header's code a site).
   */
  private includersCalling(header: string, text: string): { unit: UnitPart[]; read: string[] } {
    const unit: UnitPart[] = [];
    const read: string[] = [];
    // most headers define no function that makes an I/O call: their includers are not looked up (the
    // reverse index reads every source file of the project)
    const names = functionsDefinedIn(text);
    if (!names.length) return { unit, read };
    for (const file of this.includersOf(header)) {
      if (unit.length >= MAX_UNIT_PARTS) break;
      const t = this.view.reader.readText(file);
      if (t === undefined || !callsAny(t, names)) continue;
      read.push(file);
      if (SITE_TERMS.test(t)) unit.push({ file, text: t });
    }
    return { unit, read };
  }

  /**
   * The source files of the header's project that include it directly, found by reading the includes of
   * every source file of the project once (bounded by MAX_INDEXED_SOURCES; the skipped directories of a
   * scan are skipped here too). Kept across changes as forgetIncluders says.
   */
  private includersOf(header: string): readonly string[] {
    const root = this.view.rootOf(header) ?? path.dirname(header);
    let index = this.reverse.get(root);
    if (!index) {
      index = { targets: new Map(), sources: new Map(), stale: new Set() };
      this.reverse.set(root, index);
      const dirs = [root];
      let read = 0;
      while (dirs.length && read < MAX_INDEXED_SOURCES) {
        const dir = dirs.shift()!;
        for (const name of this.view.reader.listDir(dir) ?? []) {
          if (read >= MAX_INDEXED_SOURCES) break;
          const abs = path.join(dir, name);
          if (isSource(abs)) {
            if (!this.view.reader.isFile(abs)) continue;
            read++;
            this.indexSource(index, abs);
          } else if (!name.startsWith('.') && !skippedDirectoryReason(name) && !/\.\w+$/.test(name) && this.view.reader.listDir(abs)) {
            dirs.push(abs);
          }
        }
      }
    }
    for (const abs of index.stale) {
      for (const target of index.sources.get(abs) ?? []) {
        const list = index.targets.get(target)!;
        list.splice(list.indexOf(abs), 1);
      }
      index.sources.delete(abs);
      if (isWithinOrAt(abs, root) && this.view.reader.isFile(abs)) this.indexSource(index, abs);
    }
    index.stale.clear();
    return index.targets.get(header) ?? [];
  }

  /** Records the headers one source file includes directly. */
  private indexSource(index: ReverseIndex, abs: string): void {
    const t = this.view.reader.readText(abs);
    const targets: string[] = [];
    index.sources.set(abs, targets);
    if (t === undefined || !t.includes('include')) return;
    const search = this.searchDirs(abs, this.flagsFor(abs));
    for (const [quoted, spelled] of includesOf(t)) {
      const target = this.resolve(spelled, quoted, path.dirname(abs), search);
      if (!target || targets.includes(target)) continue;
      targets.push(target);
      const list = index.targets.get(target);
      if (!list) index.targets.set(target, [abs]); else list.push(abs);
    }
  }

  /** Does `text` use a macro of the closure that stands for a site's spelling? */
  private mentions(key: string, headers: readonly string[], defines: ReadonlyMap<string, string>, text: string): boolean {
    let names = this.siteNames.get(key);
    if (!names) {
      names = siteNamesOf(headers.map((h) => this.files.get(h)!), defines);
      this.siteNames.set(key, names);
    }
    if (!names.size) return false;
    for (const m of text.matchAll(/[A-Za-z_]\w*/g)) if (names.has(m[0])) return true;
    return false;
  }

  private header(abs: string): HeaderFile | undefined {
    const text = this.view.reader.readText(abs);
    if (text === undefined) return undefined;
    const known = this.files.get(abs);
    if (known && known.text === text) return known;
    const h: HeaderFile = { text, hash: this.view.config.snapshot ? '' : hashOf(text), includes: includesOf(text), hasSiteTerm: SITE_TERMS.test(text) };
    this.files.set(abs, h);
    return h;
  }

  /** The folders searched for the file's includes: its compile flags', else its project's include/ folders. */
  private searchDirs(fileName: string, flags: CompileFlags | undefined): SearchDirs {
    const folder = path.dirname(fileName);
    const memoKey = flags ? undefined : folder;
    const known = memoKey !== undefined ? this.dirsByFolder.get(memoKey) : flagsDirs.get(flags!);
    if (known) return known;
    const root = this.view.rootOf(fileName) ?? folder;
    const dirs = flags ? { quote: flags.quote, angled: flags.angled } : projectIncludeDirs(fileName, root, (d) => this.view.reader.listDir(d) !== undefined);
    if (memoKey !== undefined) this.dirsByFolder.set(memoKey, dirs); else flagsDirs.set(flags!, dirs);
    return dirs;
  }

  private resolve(spelled: string, quoted: boolean, fromDir: string, dirs: SearchDirs): string | undefined {
    let cache = this.resolved.get(dirs);
    if (!cache) { cache = new Map(); this.resolved.set(dirs, cache); }
    const cacheKey = quoted ? `"${spelled}\0${fromDir}` : `<${spelled}`;
    const known = cache.get(cacheKey);
    if (known !== undefined) return known ?? undefined;
    let found: string | undefined;
    if (!path.isAbsolute(spelled)) {
      const order = quoted ? [fromDir, ...dirs.quote, ...dirs.angled] : dirs.angled;
      for (const d of order) {
        const candidate = path.resolve(d, spelled);
        if (this.view.reader.isFile(candidate)) { found = candidate; break; }
      }
    }
    cache.set(cacheKey, found ?? null);
    return found;
  }

  /** The file's compile flags, from the configured database or one at the top of its project (or its build/). */
  private flagsFor(fileName: string): CompileFlags | undefined {
    const root = this.view.rootOf(fileName);
    const configured = this.view.config.compileCommands;
    const candidates = configured ? [path.resolve(this.view.config.roots[0] ?? '.', configured)]
      : root ? [path.join(root, 'compile_commands.json'), path.join(root, 'build', 'compile_commands.json')] : [];
    for (const c of candidates) {
      const db = this.database(c);
      if (db) return db.flagsFor(fileName) ?? db.nearestFlags(fileName);
    }
    return undefined;
  }

  private database(abs: string): CompilationDatabase | undefined {
    const text = this.view.reader.readText(abs);
    const known = this.databases.get(abs);
    if (known && known.text === text) return known.db;
    const db = text === undefined ? undefined : parseCompilationDatabase(text, path.dirname(abs));
    this.databases.set(abs, { text, db });
    return db;
  }
}

/** The definitions of one closure: looked up header by header, nearest first (few lookups per file). */
class Definitions implements HeaderDefinitions {
  constructor(readonly headers: readonly string[], private readonly files: readonly HeaderFile[], private readonly defines: ReadonlyMap<string, string>,
    readonly definingHeaders: readonly UnitPart[] = [], readonly includers: readonly UnitPart[] = []) {}

  macro(name: string): HeaderMacro | undefined {
    const d = this.defines.get(name);
    if (d !== undefined) return { name, body: d, header: 'compile_commands.json' };
    let found: HeaderMacro | undefined;
    for (let i = 0; i < this.files.length; i++) {
      const body = definitionsOf(this.files[i]!).objects.get(name);
      if (body === undefined) continue;
      if (body === null || (found && found.body !== body)) return undefined;
      found ??= { name, body, header: this.headers[i]! };
    }
    return found;
  }

  functionMacro(name: string): HeaderFunctionMacro | undefined {
    let found: HeaderFunctionMacro | undefined;
    for (let i = 0; i < this.files.length; i++) {
      const f = definitionsOf(this.files[i]!).functions.get(name);
      if (f === undefined) continue;
      if (f === null || (found && (found.body !== f.body || found.params.join() !== f.params.join()))) return undefined;
      found ??= { name, body: f.body, params: f.params, header: this.headers[i]! };
    }
    return found;
  }
}

/** Macros of the closure that stand for a site's spelling: directly, or through other macros (a fixpoint). */
function siteNamesOf(files: readonly HeaderFile[], defines: ReadonlyMap<string, string>): ReadonlySet<string> {
  const names = new Set<string>();
  // nothing in the closure spells a site term: no macro of it can stand for one (the common case)
  if (!files.some((f) => f.hasSiteTerm) && ![...defines.values()].some((v) => SITE_TERMS.test(v))) return names;
  const queue: string[] = [];
  const add = (n: string) => { if (!names.has(n)) { names.add(n); queue.push(n); } };
  const defs = files.map(definitionsOf);
  for (const d of defs) for (const n of d.siteMacros) add(n);
  for (const [n, v] of defines) if (SITE_TERMS.test(v)) add(n);
  while (queue.length && names.size < 10_000) {
    const n = queue.pop()!;
    for (const d of defs) for (const user of d.usedBy.get(n) ?? []) add(user);
  }
  return names;
}

const IO_CALL_TEXT = new RegExp(CANDIDATES.source);
const NOT_FUNCTIONS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'defined']);

/**
 * The functions a header's text defines with a body (`static inline void io_append(…) {`) that make an
 * I/O call, directly or through another such function of the header (the others cannot lead to a
 * site). Read from the text: comments and preprocessor lines left out, a name followed by its
 * parameter list and an opening brace, the body up to the matching brace.
 */
export function functionsDefinedIn(text: string): string[] {
  if (!IO_CALL_TEXT.test(text)) return [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '').replace(/^\s*#.*(?:\\\r?\n.*)*$/gm, '');
  const bodies = new Map<string, string>();
  const definition = /\b([A-Za-z_]\w*)\s*\((?:[^;{}()]|\([^;{}()]*\))*\)\s*(?:const\s*)?\{/g;
  for (let m = definition.exec(code); m && bodies.size < 256; m = definition.exec(code)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < code.length && depth > 0; i++) {
      if (code[i] === '{') depth++;
      else if (code[i] === '}') depth--;
    }
    if (!NOT_FUNCTIONS.has(m[1]!)) bodies.set(m[1]!, code.slice(m.index + m[0].length, i));
    definition.lastIndex = i;
  }
  const out = new Set<string>();
  for (const [name, body] of bodies) if (IO_CALL_TEXT.test(body)) out.add(name);
  // wrappers of those, a few levels
  for (let round = 0; round < 4; round++) {
    const before = out.size;
    for (const [name, body] of bodies) if (!out.has(name) && callsAny(body, [...out])) out.add(name);
    if (out.size === before) break;
  }
  return [...out];
}

/** Does `text` call one of these functions (`name(` as a word)? */
function callsAny(text: string, names: readonly string[]): boolean {
  const set = new Set(names);
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) if (set.has(m[1]!)) return true;
  return false;
}

/** `#include "x.h"` / `<x.h>` lines of a text, in order (found without a regex over every line). */
export function includesOf(text: string): [boolean, string][] {
  const out: [boolean, string][] = [];
  for (let at = text.indexOf('include'); at >= 0; at = text.indexOf('include', at + 7)) {
    // `#` then optional blanks, at the start of a line (after optional blanks)
    let i = at - 1;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    if (text[i] !== '#') continue;
    i--;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    if (i >= 0 && text[i] !== '\n') continue;
    const m = /^include(?:_next)?[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/.exec(text.slice(at, at + 300));
    if (m) out.push(m[1] !== undefined ? [true, m[1]] : [false, m[2]!]);
  }
  return out;
}

/** Without a compilation database: the `include/` folders from the file's folder up to its project's top. */
export function projectIncludeDirs(fileName: string, root: string, isDir: (d: string) => boolean): { quote: string[]; angled: string[] } {
  const angled: string[] = [];
  for (let d = path.dirname(fileName); ; d = path.dirname(d)) {
    const inc = path.join(d, 'include');
    if (isDir(inc)) angled.push(inc);
    if (d === root || path.dirname(d) === d || !d.startsWith(root)) break;
  }
  return { quote: [], angled };
}

function definitionsOf(h: HeaderFile): HeaderDefinitionsOfFile {
  return (h.definitions ??= readHeader(h.text));
}

/** A header's definitions and includes, from its text. */
export function readHeader(text: string): HeaderDefinitionsOfFile {
  const lines = logicalLines(text);
  const objects = new Map<string, string | null>();
  const functions = new Map<string, { params: string[]; body: string } | null>();
  for (const line of lines) {
    const m = /^\s*#\s*define\s+(.*)$/.exec(line);
    if (!m) continue;
    const d = /^([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$/.exec(m[1]!);
    if (!d) continue;
    const name = d[1]!;
    const body = d[4]!.trim();
    if (d[2] !== undefined) {
      const params = d[3]!.split(',').map((p) => p.trim()).filter(Boolean);
      const earlier = functions.get(name);
      functions.set(name, earlier === undefined ? { params, body }
        : earlier && earlier.body === body && earlier.params.join() === params.join() ? earlier : null);
    } else {
      const earlier = objects.get(name);
      objects.set(name, earlier === undefined || earlier === body ? body : null);
    }
  }
  const siteMacros: string[] = [];
  const usedBy = new Map<string, string[]>();
  const note = (name: string, body: string) => {
    if (SITE_TERMS.test(body)) siteMacros.push(name);
    for (const id of new Set(body.match(/[A-Za-z_]\w*/g) ?? [])) {
      if (id === name) continue;
      const l = usedBy.get(id);
      if (l) l.push(name); else usedBy.set(id, [name]);
    }
  };
  for (const [name, body] of objects) if (body !== null) note(name, body);
  for (const [name, f] of functions) if (f !== null) note(name, f.body);
  return { objects, functions, siteMacros, usedBy };
}

/**
 * The lines the preprocessor sees: comments become one space (strings and character literals kept),
 * backslash-newlines join lines. Only lines that start with `#` matter to the caller.
 */
function logicalLines(text: string): string[] {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      // a comment spanning lines inside a directive continues the directive, as in the preprocessor
      out += ' ';
      i = end < 0 ? n : end + 2;
    } else if (ch === '/' && text[i + 1] === '/') {
      let end = text.indexOf('\n', i);
      while (end > 0 && text[end - 1] === '\\') end = text.indexOf('\n', end + 1);
      i = end < 0 ? n : end;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < n && text[j] !== ch && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
    } else if (ch === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
      i += 3;
    } else {
      // copy a run of plain characters at once
      let j = i + 1;
      while (j < n && !'/"\'\\'.includes(text[j]!)) j++;
      out += text.slice(i, j);
      i = j;
    }
  }
  return out.split('\n').filter((l) => l.includes('#'));
}

/** FNV-1a over the text, as hex: tells two versions of a header apart. */
function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(16)}.${text.length}`;
}
