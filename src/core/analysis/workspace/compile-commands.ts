// compile_commands.json (the JSON compilation database that CMake, Meson and Bear write, and clangd
// reads): for each source file, the folders its compiler searches for headers and the macros it defines.
import path from 'node:path';

export interface CompileFlags {
  /** `-iquote` folders: searched for `#include "…"` only, after the including file's folder. */
  quote: readonly string[];
  /** `-I` then `-isystem`/`-idirafter` folders, in command-line order: searched for both spellings. */
  angled: readonly string[];
  /** `-DNAME` and `-DNAME=value`, as a `#define` would give them (a bare name is 1). */
  defines: ReadonlyMap<string, string>;
}

export interface CompilationDatabase {
  /** The flags of a file the database names (absolute path), or undefined. */
  flagsFor(abs: string): CompileFlags | undefined;
  /** The flags of the database's first entry in the same folder, for a header or a file it does not name. */
  nearestFlags(abs: string): CompileFlags | undefined;
}

interface Entry { directory?: unknown; file?: unknown; command?: unknown; arguments?: unknown }

/** Why `text` is not a compilation database, or undefined when it is one. */
export function compileCommandsProblem(text: string): string | undefined {
  let data: unknown;
  try { data = JSON.parse(text); } catch (e) { return `not JSON (${e instanceof Error ? e.message : String(e)})`; }
  if (!Array.isArray(data)) return 'not a JSON array of compile commands';
  const bad = data.findIndex((e: Entry) => !e || typeof e !== 'object' || typeof e.file !== 'string'
    || (typeof e.command !== 'string' && !Array.isArray(e.arguments)));
  return bad >= 0 ? `entry ${bad + 1} has no "file" with a "command" or "arguments"` : undefined;
}

/** Splits a shell command line the way compile_commands.json writers quote it (no expansion). */
export function splitCommand(command: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < command.length && '"\\$`'.includes(command[i + 1]!)) cur += command[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; inWord = true; }
    else if (ch === '\\' && i + 1 < command.length) { cur += command[++i]; inWord = true; }
    else if (/\s/.test(ch)) { if (inWord) out.push(cur); cur = ''; inWord = false; }
    else { cur += ch; inWord = true; }
  }
  if (inWord) out.push(cur);
  return out;
}

/** The include folders and defines of one compiler command, its relative paths resolved against `directory`. */
export function flagsOf(args: readonly string[], directory: string): CompileFlags {
  const quote: string[] = [];
  const angled: string[] = [];
  const system: string[] = [];
  const defines = new Map<string, string>();
  const dir = (p: string) => path.resolve(directory, p);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const valued = (flag: string): string | undefined => {
      if (a === flag) return args[++i];
      return a.startsWith(flag) ? a.slice(flag.length) : undefined;
    };
    let v: string | undefined;
    if ((v = valued('-iquote')) !== undefined) quote.push(dir(v));
    else if ((v = valued('-isystem')) !== undefined || (v = valued('-idirafter')) !== undefined) system.push(dir(v));
    else if ((v = valued('-I')) !== undefined) angled.push(dir(v));
    else if ((v = valued('-D')) !== undefined) {
      const eq = v.indexOf('=');
      const name = eq < 0 ? v : v.slice(0, eq);
      if (/^[A-Za-z_]\w*$/.test(name)) defines.set(name, eq < 0 ? '1' : v.slice(eq + 1));
    } else if ((v = valued('-U')) !== undefined) defines.delete(v);
  }
  return { quote, angled: [...angled, ...system], defines };
}

/** Reads a database's text (already checked with compileCommandsProblem, or skipped when broken). */
export function parseCompilationDatabase(text: string, databaseDir: string): CompilationDatabase | undefined {
  if (compileCommandsProblem(text) !== undefined) return undefined;
  const byFile = new Map<string, CompileFlags>();
  const byFolder = new Map<string, CompileFlags>();
  for (const e of JSON.parse(text) as Entry[]) {
    const directory = typeof e.directory === 'string' ? path.resolve(databaseDir, e.directory) : databaseDir;
    const args = Array.isArray(e.arguments) ? e.arguments.filter((a): a is string => typeof a === 'string') : splitCommand(e.command as string);
    const file = path.resolve(directory, e.file as string);
    if (byFile.has(file)) continue;  // the first entry of a file wins, as in clangd
    const flags = flagsOf(args.slice(1), directory);
    byFile.set(file, flags);
    if (!byFolder.has(path.dirname(file))) byFolder.set(path.dirname(file), flags);
  }
  return {
    flagsFor: (abs) => byFile.get(abs),
    nearestFlags: (abs) => {
      for (let d = path.dirname(abs); ; d = path.dirname(d)) {
        const f = byFolder.get(d);
        if (f) return f;
        if (path.dirname(d) === d) return undefined;
      }
    },
  };
}
