// What the editor tells the core's workspace index, and which open documents a change on disk
// touches. No editor API here, so it is unit-tested on its own.
import path from 'node:path';
import type { WorkspaceConfig } from '../core/analysis/workspace';

/**
 * The index's configuration for the open folders (file-system paths) and the zfsDio.compileCommands
 * setting: a relative path is taken from the first folder, as VS Code resolves `${workspaceFolder}`.
 */
export function workspaceConfigFor(folders: readonly string[], compileCommands: string | undefined): WorkspaceConfig | undefined {
  if (!folders.length) return undefined;
  const first = folders[0]!;
  const named = compileCommands?.replace(/\$\{workspaceFolder\}/g, first);
  return { roots: [...folders], ...(named ? { compileCommands: path.resolve(first, named) } : {}) };
}

/**
 * The files whose changes can change an analysis: sources of every language (a header, a package's
 * other file, an imported module) and the files that say how they are built.
 */
export function watchGlobFor(extensions: readonly string[]): string {
  const endings = [...new Set(extensions.map((e) => e.replace(/^\./, '')))].sort();
  return `**/{*.{${endings.join(',')}},compile_commands.json,Cargo.toml,go.mod}`;
}

export interface WatchedChange { path: string; kind: 'changed' | 'created' | 'deleted' }

/**
 * The open documents to analyse again after these changes: those whose last analysis read a changed
 * file; after a file appeared or vanished, every document (an include may now resolve elsewhere).
 */
export function documentsToRecheck(changes: readonly WatchedChange[], documents: readonly { key: string; workspaceFiles?: readonly string[] }[]): string[] {
  if (!changes.length) return [];
  const structural = changes.some((c) => c.kind !== 'changed');
  const changed = new Set(changes.map((c) => c.path));
  return documents.filter((d) => structural || (d.workspaceFiles ?? []).some((f) => changed.has(f))).map((d) => d.key);
}
