// What a module-following provider (Python imports, Rust modules) read to build one file's context:
// the files and their texts, in reading order. The key is a hash of exactly that, so a context is
// reused only while every text it was built from is the same; a memo entry is checked again against
// the reader (which answers from its cache) before it is trusted.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FileReader } from './files';
import type { ContextProvider, ExternalContext } from './index';

export interface ReadFile { readonly file: string; readonly text: string }

/** The key of a context built from these files (paths and texts, in order) for a file whose text is `own`. */
export function contextKey(kind: string, own: string, read: readonly ReadFile[]): string {
  const h = createHash('sha1');
  h.update(kind).update('\0').update(own);
  for (const r of read) h.update('\0').update(r.file).update('\0').update(r.text);
  return `${kind}:${h.digest('hex')}`;
}

/**
 * Contexts by file, each with the texts it was built from: valid while the file's own text and every
 * file read are unchanged (a file that appeared where the context found none is caught by `forget`).
 */
export class ContextMemo<T> {
  private readonly entries = new Map<string, { own: string; read: readonly ReadFile[]; value: T }>();

  constructor(private readonly reader: FileReader, private readonly limit = 512) {}

  get(fileName: string, own: string): T | undefined {
    const e = this.entries.get(fileName);
    if (!e || e.own !== own) return undefined;
    for (const r of e.read) if (this.reader.readText(r.file) !== r.text) return undefined;
    return e.value;
  }

  set(fileName: string, own: string, read: readonly ReadFile[], value: T): void {
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(fileName, { own, read, value });
  }

  /**
   * Forgets the contexts that read one of these paths. A path no context read may be a module that now
   * appears where an import found none: a path that `mayBeModule` accepts then forgets every context.
   * All of them without a list.
   */
  forget(paths: readonly string[] | undefined, mayBeModule: (abs: string) => boolean): void {
    if (!paths) { this.entries.clear(); return; }
    const abs = paths.map((p) => path.resolve(p));
    const known = new Set<string>();
    for (const [file, e] of this.entries) { known.add(file); for (const r of e.read) known.add(r.file); }
    if (abs.some((p) => !known.has(p) && mayBeModule(p))) { this.entries.clear(); return; }
    for (const [file, e] of this.entries) {
      if (abs.some((p) => p === file || e.read.some((r) => r.file === p))) this.entries.delete(file);
    }
  }
}

/** Is `abs` inside `dir` (at any depth)? */
export function isWithin(abs: string, dir: string): boolean {
  const d = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return abs.startsWith(d);
}

/**
 * A provider whose context for a file is what `build` makes of it, kept while the file's text and every
 * text `build` read (it records them in `read`) stay the same. `mayBeModule`: see ContextMemo.forget.
 */
export function memoisedProvider<T>(reader: FileReader,
  build: (fileName: string, text: string, read: ReadFile[]) => ExternalContext<T> | undefined,
  mayBeModule: (abs: string) => boolean): ContextProvider<T> {
  const memo = new ContextMemo<ExternalContext<T> | undefined>(reader);
  return {
    contextFor(fileName, text) {
      const known = memo.get(fileName, text);
      if (known !== undefined) return known;
      const read: ReadFile[] = [];
      const ctx = build(fileName, text, read);
      memo.set(fileName, text, read, ctx);
      return ctx;
    },
    forget(paths) { memo.forget(paths, mayBeModule); },
  };
}
