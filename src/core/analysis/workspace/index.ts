// The workspace index: what a file's analysis may know of the other files of its project (the headers
// a C file includes, the other files of a Go package, the modules a Python or Rust file uses). It is
// part of the core (no editor API), so the command line, the editor and a language server share it.
//
// Each language that looks beyond its file has one provider here; the provider turns a file into an
// ExternalContext, which its extractor alone knows how to read. Everything is read through one
// FileReader, so the editor's watcher can say in one place what changed.
import path from 'node:path';
import type { Language } from '../../types';
import { DiskFileReader, type FileReader } from './files';
import { cHeadersProvider } from './c-headers';
import { goPackageProvider } from './go-package';
import { pythonImportsProvider } from './python-imports';
import { rustModulesProvider } from './rust-modules';

export interface WorkspaceConfig {
  /** The project's folders (absolute): a file outside them still gets an index, from its own folder. */
  roots: readonly string[];
  /** A compile_commands.json to take include paths and defines from (absolute, or relative to the first root). */
  compileCommands?: string;
  /** The files do not change while the index lives (a command-line scan): nothing is read twice. */
  snapshot?: boolean;
}

/** What one file's analysis knows of other files, as one language's provider built it. */
export interface ExternalContext<T = unknown> {
  /** Differs whenever what the context was built from differs: an analysis is reused only under the same key. */
  readonly key: string;
  /**
   * Do the other files hold something the language's prefilter looks for (a macro spelling O_DIRECT, a
   * package constant holding FICLONE)? Then the file may have sites although its own text has none.
   */
  readonly mentionsSites: boolean;
  /** The files read to build the context (absolute): a change to one of them changes the file's analysis. */
  readonly files: readonly string[];
  readonly value: T;
}

export interface WorkspaceView {
  readonly config: WorkspaceConfig;
  readonly reader: FileReader;
  /** The project folder holding `abs`, or undefined when it lies outside every root. */
  rootOf(abs: string): string | undefined;
}

export interface ContextProvider<T = unknown> {
  /** The context of `fileName` (absolute) whose text is `text`; undefined when other files add nothing. */
  contextFor(fileName: string, text: string): ExternalContext<T> | undefined;
  /** Forgets what it derived from these files (all of it without a list). */
  forget(paths?: readonly string[]): void;
}

/** One provider per language that looks beyond its file; the others are analysed file by file. */
const PROVIDERS: Partial<Record<Language, (view: WorkspaceView) => ContextProvider>> = {
  c: (view) => cHeadersProvider(view, 'c'),
  cpp: (view) => cHeadersProvider(view, 'cpp'),
  go: goPackageProvider,
  python: pythonImportsProvider,
  rust: rustModulesProvider,
};

export class WorkspaceIndex implements WorkspaceView {
  readonly config: WorkspaceConfig;
  readonly reader: FileReader;
  private readonly providers = new Map<Language, ContextProvider>();

  constructor(config: WorkspaceConfig, reader?: FileReader) {
    this.config = { ...config, roots: config.roots.map((r) => path.resolve(r)) };
    this.reader = reader ?? new DiskFileReader(config.snapshot ?? false);
  }

  rootOf(abs: string): string | undefined {
    let best: string | undefined;
    for (const r of this.config.roots) {
      if ((abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) && (!best || r.length > best.length)) best = r;
    }
    return best;
  }

  private provider(language: Language): ContextProvider | undefined {
    let p = this.providers.get(language);
    if (!p) {
      const make = PROVIDERS[language];
      if (!make) return undefined;
      p = make(this);
      this.providers.set(language, p);
    }
    return p;
  }

  /**
   * What other files tell the analysis of `fileName`. Never throws: an index that fails (a file it
   * cannot make sense of) means the file is analysed on its own, as without an index.
   */
  contextFor(fileName: string | undefined, language: Language, text: string): ExternalContext | undefined {
    if (!fileName) return undefined;
    try {
      return this.provider(language)?.contextFor(path.resolve(fileName), text);
    } catch {
      return undefined;
    }
  }

  /** Some files changed, appeared or vanished (all of them may have, without a list). */
  filesChanged(paths?: readonly string[]): void {
    const abs = paths?.map((p) => path.resolve(p));
    this.reader.forget(abs);
    for (const p of this.providers.values()) p.forget(abs);
  }
}

/**
 * The project folder of a path given on the command line: the nearest ancestor holding `.git` (a
 * repository is a project), else the folder itself (or a file's folder).
 */
export function projectRootOf(abs: string, isDirectory: (p: string) => boolean, exists: (p: string) => boolean): string {
  const start = isDirectory(abs) ? abs : path.dirname(abs);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
