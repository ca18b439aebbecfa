// The Go provider: a Go file's package is every .go file of its directory with the same `package`
// clause, and Go code keeps constants, flag sets, ioctl wrappers and helpers in whichever file of the
// package it likes. The context of a file is the other files of its package, read through the index's
// FileReader, and parsed (lazily, once per thread for all the files of the package) for the extractor.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { goExtractor } from '../languages/go';
import { parseIfLoaded } from '../parse';
import type { ContextProvider, ExternalContext, WorkspaceView } from './index';

/** The most files of one package read besides the analysed one. */
export const MAX_PACKAGE_FILES = 200;
/** Files longer than this (characters) are left out of a package: generated tables, not constants and wrappers. */
export const MAX_PACKAGE_FILE_CHARS = 256 * 1024;
/** The most text (characters) of one package read in all: a file costs at most this much parsing besides its own. */
export const MAX_PACKAGE_CHARS = 4 * 1024 * 1024;
/** How many packages keep their syntax trees between two files (a scan goes directory by directory). */
const PARSED_PACKAGES = 4;

export interface GoPackageFile {
  readonly path: string; readonly text: string; readonly hash: string;
  /** Does the text hold something the Go prefilter looks for? Tested once per file, not once per file of its package. */
  readonly mentionsSites: boolean;
}

/** The files of one package as read from the disk, with their trees parsed on first use. */
export class GoPackage {
  private parsed: (Tree | undefined)[] | undefined;
  private readonly derivedValues = new Map<string, unknown>();

  constructor(readonly dir: string, readonly name: string, readonly files: readonly GoPackageFile[]) {}

  /**
   * The syntax tree of each file (undefined for one that cannot be parsed now). Valid until the next
   * call of `roots` on any package: call it within one synchronous extraction, and keep no node.
   */
  roots(): (Node | undefined)[] {
    freeRetired(this);
    if (!this.parsed) this.parsed = this.files.map((f) => parseIfLoaded('go', f.text));
    touch(this);
    return this.parsed.map((t) => t?.rootNode);
  }

  /**
   * What the extractor derives from file `index`'s tree (its declarations), computed once and kept as
   * long as the tree: every file of the package needs the same of the others. Same validity as `roots`.
   */
  derived<T>(kind: string, index: number, make: () => T): T {
    const key = `${kind}\0${index}`;
    if (this.derivedValues.has(key)) return this.derivedValues.get(key) as T;
    const value = make();
    this.derivedValues.set(key, value);
    return value;
  }

  /** Frees the trees (they are parsed again if asked for), and what was derived from them. */
  release(): void {
    for (const t of this.parsed ?? []) t?.delete();
    this.parsed = undefined;
    this.derivedValues.clear();
  }
}

// Trees are freed only when some extraction asks for trees: extractions are synchronous, so no other
// one is running then, and no tree being freed is in use.
const parsedOrder: GoPackage[] = [];
const retired = new Set<GoPackage>();

function freeRetired(current: GoPackage): void {
  for (const p of retired) if (p !== current) { p.release(); retired.delete(p); }
}

function touch(p: GoPackage): void {
  const at = parsedOrder.indexOf(p);
  if (at >= 0) parsedOrder.splice(at, 1);
  parsedOrder.unshift(p);
  while (parsedOrder.length > PARSED_PACKAGES) parsedOrder.pop()!.release();
}

/** What the Go extractor receives: the package and which of its files is the analysed one. */
export interface GoPackageContext {
  readonly package: GoPackage;
  /** The analysed file (absolute): its own text is the one being analysed, not the package's copy. */
  readonly self: string;
}

/**
 * The package clause of a Go file: the first token after the leading comments must be `package`.
 * Undefined when the file has none (not Go, or a fragment) or when a build constraint says `ignore`
 * (files kept out of every build, such as generators).
 */
export function packageClauseOf(text: string): string | undefined {
  let i = 0;
  const n = Math.min(text.length, 64 * 1024);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) { i++; continue; }
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const line = text.slice(i, end < 0 ? n : end);
      if (/^\/\/(?:go:build|\s*\+build)[ \t]+ignore[ \t]*\r?$/.test(line)) return undefined;
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    const m = /^package[ \t]+([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 200));
    return m?.[1];
  }
  return undefined;
}

const isTestFile = (name: string): boolean => name.endsWith('_test.go');

/** A file of a package; its hash (only a context's key needs it) is computed when first asked for. */
function packageFile(abs: string, text: string): GoPackageFile {
  let hash: string | undefined;
  return { path: abs, text, mentionsSites: goExtractor.prefilter.test(text), get hash() { return (hash ??= hashOf(text)); } };
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

class GoPackageProvider implements ContextProvider<GoPackageContext> {
  /** By directory, package name and whether tests belong to it. */
  private readonly packages = new Map<string, GoPackage>();
  /**
   * The package clause of each file read, with the text it was found in: every file of a directory asks
   * for its package, and each of them would otherwise scan the heads of all the others again.
   */
  private readonly clauses = new Map<string, { text: string; clause: string | undefined }>();

  constructor(private readonly view: WorkspaceView) {}

  contextFor(fileName: string, text: string): ExternalContext<GoPackageContext> | undefined {
    if (!fileName.endsWith('.go')) return undefined;
    const name = packageClauseOf(text);
    if (!name) return undefined;
    const pkg = this.packageOf(path.dirname(fileName), name, isTestFile(path.basename(fileName)));
    if (!pkg) return undefined;
    const others = pkg.files.filter((f) => f.path !== fileName);
    if (!others.length) return undefined;
    // Hashed when first asked for: a file that fails the prefilter needs only mentionsSites.
    let key: string | undefined;
    return {
      get key() { return (key ??= hashOf(others.map((f) => `${f.path}\0${f.hash}`).join('\0'))); },
      mentionsSites: others.some((f) => f.mentionsSites),
      files: others.map((f) => f.path),
      value: { package: pkg, self: fileName },
    };
  }

  private clauseOf(abs: string, text: string): string | undefined {
    const known = this.clauses.get(abs);
    if (known && known.text === text) return known.clause;
    const clause = packageClauseOf(text);
    this.clauses.set(abs, { text, clause });
    return clause;
  }

  /** The package as the disk holds it now; the one built before when no file of it changed. */
  private packageOf(dir: string, name: string, withTests: boolean): GoPackage | undefined {
    const memoKey = `${dir}\0${name}\0${withTests ? 'test' : ''}`;
    // In a snapshot the directory and its files read the same every time: the package built for the
    // first file of a directory is the package of every other one.
    if (this.view.config.snapshot && this.packages.has(memoKey)) return this.packages.get(memoKey);
    const names = this.view.reader.listDir(dir);
    if (!names) return undefined;
    const read: { path: string; text: string }[] = [];
    let chars = 0;
    for (const entry of names) {
      // The go tool ignores files starting with `.` or `_`; tests belong only to a test's package.
      if (!entry.endsWith('.go') || entry.startsWith('.') || entry.startsWith('_')) continue;
      if (isTestFile(entry) && !withTests) continue;
      if (read.length >= MAX_PACKAGE_FILES) break;
      const abs = path.join(dir, entry);
      const text = this.view.reader.readText(abs);
      if (text === undefined || text.length > MAX_PACKAGE_FILE_CHARS || chars + text.length > MAX_PACKAGE_CHARS) continue;
      if (this.clauseOf(abs, text) !== name) continue;
      chars += text.length;
      read.push({ path: abs, text });
    }
    const known = this.packages.get(memoKey);
    if (known && known.files.length === read.length && known.files.every((f, i) => f.path === read[i]!.path && f.text === read[i]!.text)) return known;
    if (known) retired.add(known);
    const pkg = new GoPackage(dir, name, read.map((f) => packageFile(f.path, f.text)));
    this.packages.set(memoKey, pkg);
    return pkg;
  }

  forget(paths?: readonly string[]): void {
    if (!paths) this.clauses.clear();
    else for (const p of paths) this.clauses.delete(path.resolve(p));
    if (!paths) {
      for (const p of this.packages.values()) retired.add(p);
      this.packages.clear();
      return;
    }
    const dirs = new Set(paths.map((p) => path.dirname(path.resolve(p))));
    // A directory that vanished or was renamed is a path itself.
    for (const p of paths) dirs.add(path.resolve(p));
    for (const [k, p] of this.packages) {
      if (dirs.has(p.dir)) { retired.add(p); this.packages.delete(k); }
    }
  }
}

export function goPackageProvider(view: WorkspaceView): ContextProvider<GoPackageContext> {
  return new GoPackageProvider(view);
}
