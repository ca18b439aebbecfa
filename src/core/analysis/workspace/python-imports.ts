// The Python provider: the modules of the project that a file imports, and the modules those import,
// a few levels deep. `from .mod import X` and `from . import x` are relative to the file's package (its
// folder, when that holds __init__.py, and the packages above it); `import a.b` and `from a.b import X`
// are looked up beside the file (a script's folder comes first on sys.path), then above the top package
// of its __init__.py chain, then in the project folder. Modules the extractor reads itself (os, mmap…)
// are never taken from the project, and nothing outside the project folder is read.
//
// The provider reads text only (it runs before any parse, and parsing is asynchronous): comments and
// strings are blanked, then the import statements are found by pattern. Each module comes with the
// table of its own imports, resolved to files, so the extractor never resolves a path itself.
import path from 'node:path';
import type { ContextProvider, ExternalContext, WorkspaceView } from './index';
import { PYTHON_SITE_TEXT } from '../languages/python-sites';
import { contextKey, memoisedProvider, isWithin, type ReadFile } from './read-set';
import { Blanked } from './blanked';

/** One imported module: its file, its text, a name for messages and keys, and where its imports lead. */
export interface PythonModuleSource {
  readonly file: string;
  /** Dotted from the top of its package chain (`directio.file`), unique within the context. */
  readonly name: string;
  readonly text: string;
  /** Import specs as written (`.buffers`, `directio`, `directio.file`, `..`) -> the file they load. */
  readonly imports: Readonly<Record<string, string>>;
}

export interface PythonImportsContext {
  readonly kind: 'python-imports';
  /** The analysed file's own imports, resolved like a module's. */
  readonly imports: Readonly<Record<string, string>>;
  /** The imported modules by file (never the analysed file itself). */
  readonly modules: Readonly<Record<string, PythonModuleSource>>;
}

/** How many imports away from the file a module is still read. */
export const PYTHON_IMPORT_DEPTH = 3;
/** The most module files one file's context reads. */
export const PYTHON_IMPORT_FILES = 24;
/** The longest __init__.py chain followed up from a file. */
const MAX_PACKAGE_DEPTH = 12;

/** The modules the Python extractor gives their meaning itself: a project file never stands for one. */
const EXTRACTOR_MODULES = new Set(['os', 'posix', 'fcntl', 'mmap', 'struct', 'io', 'ctypes', 'builtins', 'sys']);

export function isPythonImportsContext(v: unknown): v is PythonImportsContext {
  return !!v && typeof v === 'object' && (v as PythonImportsContext).kind === 'python-imports';
}

/** `from M import name` as a module spec: `directio` + `file` -> `directio.file`; `.` + `x` -> `.x`. */
export function joinSpec(module: string, name: string): string {
  return module.endsWith('.') ? `${module}${name}` : `${module}.${name}`;
}

export function pythonImportsProvider(view: WorkspaceView): ContextProvider<PythonImportsContext> {
  // In a snapshot the files never change, so where an import spec leads from a folder is looked up
  // once for all the files of that folder (most import the same modules).
  const lookups = view.config.snapshot ? new Map<string, string | undefined>() : undefined;
  const provider = memoisedProvider(view.reader, (fileName, text, read) => buildContext(view, fileName, text, read, lookups),
    (p) => p.endsWith('.py'));
  return {
    contextFor: (fileName, text) => provider.contextFor(fileName, text),
    forget(paths) { lookups?.clear(); provider.forget(paths); },
  };
}

function buildContext(view: WorkspaceView, fileName: string, text: string, read: ReadFile[],
  lookups: Map<string, string | undefined> | undefined): ExternalContext<PythonImportsContext> | undefined {
  const reader = view.reader;
  const root = view.rootOf(fileName) ?? path.dirname(fileName);
  const readText = (abs: string): string | undefined => {
    const t = reader.readText(abs);
    if (t !== undefined && !read.some((r) => r.file === abs)) read.push({ file: abs, text: t });
    return t;
  };
  const isFile = (abs: string): boolean => isWithin(abs, root) && reader.isFile(abs);
  const isPackage = (dir: string): boolean => isFile(path.join(dir, '__init__.py'));

  /** The package folders holding a file, innermost first. */
  const chainOf = (file: string): string[] => {
    const chain: string[] = [];
    for (let dir = path.dirname(file); chain.length < MAX_PACKAGE_DEPTH && isWithin(dir, root) && isPackage(dir); dir = path.dirname(dir)) chain.push(dir);
    return chain;
  };
  const nameOf = (file: string): string => {
    const chain = chainOf(file);
    const parts = chain.map((d) => path.basename(d)).reverse();
    if (path.basename(file) !== '__init__.py') parts.push(path.basename(file, '.py'));
    return parts.join('.') || path.basename(file, '.py');
  };
  const moduleIn = (base: string, dotted: string): string | undefined => {
    const parts = dotted ? dotted.split('.') : [];
    if (parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return undefined;
    const stem = path.join(base, ...parts);
    for (const candidate of parts.length ? [`${stem}.py`, path.join(stem, '__init__.py')] : [path.join(base, '__init__.py')]) {
      if (isFile(candidate)) return candidate;
    }
    return undefined;
  };
  /** Where one import spec of `file` leads, if to a file of the project (it depends on the file's folder only). */
  const resolve = (file: string, spec: string): string | undefined => {
    if (!lookups) return lookup(file, spec);
    const key = `${root}\0${path.dirname(file)}\0${spec}`;
    if (lookups.has(key)) return lookups.get(key);
    const found = lookup(file, spec);
    lookups.set(key, found);
    return found;
  };
  const lookup = (file: string, spec: string): string | undefined => {
    const dots = /^\.*/.exec(spec)![0].length;
    const rest = spec.slice(dots);
    if (dots) {
      const chain = chainOf(file);
      if (dots > chain.length) return undefined;
      return moduleIn(chain[dots - 1]!, rest);
    }
    if (EXTRACTOR_MODULES.has(rest.split('.')[0]!)) return undefined;
    const chain = chainOf(file);
    const bases = [path.dirname(file), chain.length ? path.dirname(chain[chain.length - 1]!) : undefined, root];
    for (const base of bases) {
      if (!base) continue;
      const found = moduleIn(base, rest);
      if (found) return found;
    }
    return undefined;
  };
  const importsOf = (file: string, source: string): Record<string, string> => {
    const table: Record<string, string> = {};
    for (const spec of importSpecs(blankPython(source))) {
      const target = resolve(file, spec);
      if (target && target !== file) table[spec] = target;
    }
    return table;
  };

  const own = importsOf(fileName, text);
  const modules: Record<string, PythonModuleSource> = {};
  const names = new Set<string>();
  let frontier = Object.values(own);
  for (let depth = 1; depth <= PYTHON_IMPORT_DEPTH && frontier.length; depth++) {
    const next: string[] = [];
    for (const file of frontier) {
      if (file === fileName || modules[file] || Object.keys(modules).length >= PYTHON_IMPORT_FILES) continue;
      const t = readText(file);
      if (t === undefined) continue;
      let name = nameOf(file);
      for (let k = 2; names.has(name); k++) name = `${nameOf(file)}#${k}`;
      names.add(name);
      const imports = importsOf(file, t);
      modules[file] = { file, name, text: t, imports };
      next.push(...Object.values(imports));
    }
    frontier = next;
  }
  const list = Object.values(modules);
  if (!list.length) return undefined;
  return {
    key: contextKey('python', text, read),
    mentionsSites: list.some((m) => PYTHON_SITE_TEXT.test(m.text)),
    files: list.map((m) => m.file),
    value: { kind: 'python-imports', imports: own, modules },
  };
}

/**
 * The import specs a module's (blanked) text names: `import a.b.c` names a, a.b and a.b.c; `from M
 * import x, y` names M, M.x and M.y (a name may be a submodule); relative specs keep their dots.
 */
export function importSpecs(cleaned: string): string[] {
  const specs = new Set<string>();
  const text = cleaned.replace(/\\\r?\n/g, ' ');
  for (const m of text.matchAll(/(?:^|[\n;:])[ \t]*from[ \t]+(\.*[ \t]*[A-Za-z_][A-Za-z0-9_.\t ]*?|\.+)[ \t]+import[ \t]*(\([^)]*\)|[^\n;]*)/g)) {
    const module = m[1]!.replace(/\s+/g, '');
    if (!/^\.*(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?$/.test(module)) continue;
    specs.add(module);
    for (const item of m[2]!.replace(/[()]/g, ' ').split(',')) {
      const name = item.trim().split(/\s+/)[0];
      if (name && name !== '*' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) specs.add(joinSpec(module, name));
    }
  }
  for (const m of text.matchAll(/(?:^|[\n;:])[ \t]*import[ \t]+([^\n;]*)/g)) {
    for (const item of m[1]!.split(',')) {
      const dotted = item.trim().split(/\s+/)[0] ?? '';
      if (!/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(dotted)) continue;
      const parts = dotted.split('.');
      for (let i = 1; i <= parts.length; i++) specs.add(parts.slice(0, i).join('.'));
    }
  }
  return [...specs].slice(0, 400);
}

/** The text with comments and string literals replaced by spaces (line breaks kept). */
export function blankPython(text: string): string {
  const blanked = new Blanked(text);
  const n = text.length;
  // Only these characters can open a comment or a string; everything between them is kept as it is.
  const opener = /[#"']/g;
  let i = 0;
  while (i < n) {
    opener.lastIndex = i;
    if (!opener.exec(text)) break;
    i = opener.lastIndex - 1;
    const c = text[i]!;
    if (c === '#') { const e = text.indexOf('\n', i); const end = e < 0 ? n : e; blanked.blank(i, end); i = end; continue; }
    const triple = text.startsWith(c.repeat(3), i);
    const close = triple ? c.repeat(3) : c;
    let j = i + close.length;
    while (j < n && !text.startsWith(close, j)) {
      if (!triple && text[j] === '\n') break;
      j += text[j] === '\\' ? 2 : 1;
    }
    const end = Math.min(n, j + close.length);
    blanked.blank(i, end); i = end;
  }
  return blanked.text();
}
