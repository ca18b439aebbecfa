// Incremental re-parse bookkeeping: turns VS Code content changes into tree-sitter edits and keeps at
// most one syntax tree per document, tagged with the document version it matches. Pure (no `vscode`):
// the change shape is VS Code's, the tree is anything with edit()/delete(), so it is tested with real trees.
import type { TreeEdit } from '../core/analysis/document';
export type { TreeEdit };

/** The fields of vscode.TextDocumentContentChangeEvent this module needs. */
export interface ContentChange {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export function editFromChange(change: ContentChange): TreeEdit {
  const start = { row: change.range.start.line, column: change.range.start.character };
  const oldEnd = { row: change.range.end.line, column: change.range.end.character };
  const lines = change.text.split(/\r\n|\r|\n/);
  const lastLine = lines[lines.length - 1] ?? '';
  const newEnd = lines.length === 1
    ? { row: start.row, column: start.column + lastLine.length }
    : { row: start.row + lines.length - 1, column: lastLine.length };
  return {
    startIndex: change.rangeOffset,
    oldEndIndex: change.rangeOffset + change.rangeLength,
    newEndIndex: change.rangeOffset + change.text.length,
    startPosition: start, oldEndPosition: oldEnd, newEndPosition: newEnd,
  };
}

export interface EditableTree { edit(edit: TreeEdit): void; delete(): void }

/**
 * One tree per document. A tree is only ever handed out for the exact version it matches, and it is
 * handed out once (`take`): the analysis that re-parses it owns it, so an edit arriving while the
 * analysis runs can never touch a tree that is in use. Whatever is dropped is deleted (wasm memory).
 */
export class TreeStore<T extends EditableTree> {
  private readonly trees = new Map<string, { tree: T; version: number }>();

  /** Applies a change event that moved the document from `version - 1` to `version`. */
  applyChanges(key: string, version: number, changes: readonly ContentChange[]): void {
    const held = this.trees.get(key);
    if (!held) return;
    if (held.version !== version - 1 || changes.length === 0) { this.drop(key); return; }
    // VS Code lists the changes of one event so that applying them in order is valid (bottom-up for multi-cursor).
    for (const change of changes) held.tree.edit(editFromChange(change));
    held.version = version;
  }

  /** Removes and returns the tree if it matches `version`; otherwise drops it and returns undefined. */
  take(key: string, version: number): T | undefined {
    const held = this.trees.get(key);
    if (!held) return undefined;
    this.trees.delete(key);
    if (held.version === version) return held.tree;
    held.tree.delete();
    return undefined;
  }

  /** Keeps `tree` as the document's tree for `version`, replacing (and deleting) any older one. */
  put(key: string, version: number, tree: T): void {
    const held = this.trees.get(key);
    if (held && held.tree !== tree) held.tree.delete();
    this.trees.set(key, { tree, version });
  }

  drop(key: string): void {
    const held = this.trees.get(key);
    if (held) { held.tree.delete(); this.trees.delete(key); }
  }

  dropAll(): void { for (const key of [...this.trees.keys()]) this.drop(key); }
  has(key: string): boolean { return this.trees.has(key); }
  get size(): number { return this.trees.size; }
}
