// Analysis of one open document, as an editor or a language server needs it: the syntax tree is kept between
// edits and re-parsed incrementally, every phase has a time limit, and the workspace index is made once per
// configuration. Shared by the VS Code extension (through its lazy bundle) and the language server.
import type { Tree } from 'web-tree-sitter';
import type { AnalysisResult, AnalysisSettings, Language, RecordsizeSource } from '../types';
import * as parser from './parse';
import * as analyze from './analyze';
import { AnalysisBudget, AnalysisStopped, stoppedNote } from './budget';
import { EXTRACTORS, languageForFile } from './languages/index';
import { WorkspaceIndex, type WorkspaceConfig } from './workspace';

/** tree-sitter's edit: indices and columns in UTF-16 code units, as web-tree-sitter uses for JS strings. */
export interface TreeEdit {
  startIndex: number; oldEndIndex: number; newEndIndex: number;
  startPosition: { row: number; column: number }; oldEndPosition: { row: number; column: number }; newEndPosition: { row: number; column: number };
}

/** A syntax tree kept between keystrokes (web-tree-sitter Tree). */
export interface DocumentTree { edit(edit: TreeEdit): void; delete(): void }

export interface DocumentAnalyzer {
  /**
   * Analyzes a document. With `oldTree` (already edited to match `text`) the parse is incremental.
   * Takes ownership of `oldTree`; returns the new tree for the next edit when there is one.
   */
  analyzeDocument(text: string, language: Language, settings: AnalysisSettings,
    opts: { fileName?: string; oldTree?: DocumentTree; recordsizeSource?: RecordsizeSource; workspace?: WorkspaceConfig }): Promise<{ result: AnalysisResult; tree?: DocumentTree }>;
  languageForFile(fileName: string): Language | undefined;
  /** Files of the workspace changed on disk (all of them may have, without a list): the index forgets them. */
  workspaceFilesChanged(paths?: readonly string[]): void;
  /** The file-name endings of every language (what a workspace watcher watches). */
  readonly extensions: readonly string[];
}

/** `timeLimitMs`: the time a document's parse, and then its analysis, may take. */
export function createDocumentAnalyzer(timeLimitMs: number): DocumentAnalyzer {
  // One index for the window, made again when the folders or the compile commands setting change.
  let current: { key: string; index: WorkspaceIndex } | undefined;
  const indexFor = (config: WorkspaceConfig | undefined): WorkspaceIndex | undefined => {
    if (!config) return undefined;
    const key = JSON.stringify(config);
    if (current?.key !== key) current = { key, index: new WorkspaceIndex(config) };
    return current.index;
  };
  return {
    async analyzeDocument(text, language, settings, { fileName, oldTree, recordsizeSource, workspace }) {
      const opts = { fileName, recordsizeSource, budget: new AnalysisBudget(timeLimitMs), workspace: indexFor(workspace) };
      const external = analyze.externalContextFor(text, language, opts);
      // No possible site: the core answers without parsing, and there is no tree worth keeping.
      if (analyze.cannotContainSites(text, language, external)) {
        oldTree?.delete();
        return { result: await analyze.analyzeText(text, language, settings, opts) };
      }
      let tree: Tree;
      try {
        tree = await parser.parse(language, text, oldTree as Tree | undefined, opts.budget);
      } catch (err) {
        oldTree?.delete();
        if (err instanceof AnalysisStopped) {
          return { result: { language, sites: [], findings: [], hadSyntaxErrors: false, unparsed: true,
            analysisStopped: stoppedNote('parse', timeLimitMs, 0, 0) } };
        }
        throw err;
      }
      // The new tree shares nothing the old one owns; the old one lives until the analysis has
      // compared the two (it reuses results for the functions an edit did not touch).
      try {
        return { result: analyze.analyzeTree(tree, text, language, settings, { ...opts, incremental: { previousTree: oldTree as Tree | undefined } }, external), tree };
      } catch (err) {
        tree.delete();
        throw err;
      } finally {
        oldTree?.delete();
      }
    },
    languageForFile: (name) => languageForFile(name),
    workspaceFilesChanged: (paths) => current?.index.filesChanged(paths),
    extensions: Object.values(EXTRACTORS).flatMap((e) => e.extensions),
  };
}
