// The editor's only door into the analysis core. The core is loaded on first use (lazyLoader.ts), so
// activation evaluates none of the analyzer, parser or grammar code.
import type { Tree } from 'web-tree-sitter';
import type { AnalysisResult, AnalysisSettings, Language, RecordsizeSource } from '../core/types';
import type { WorkspaceConfig, WorkspaceIndex } from '../core/analysis/workspace';
import type { TreeEdit } from './incremental-logic';
import { lazyModules } from './lazyLoader';

/** A syntax tree the diagnostics controller keeps between keystrokes (web-tree-sitter Tree). */
export interface AnalyzerTree { edit(edit: TreeEdit): void; delete(): void }

export interface Analyzer {
  /**
   * Analyzes a document. With `oldTree` (already edited to match `text`) the parse is incremental.
   * Takes ownership of `oldTree`; returns the new tree for the next edit when there is one.
   */
  analyzeDocument(text: string, language: Language, settings: AnalysisSettings,
    opts: { fileName?: string; oldTree?: AnalyzerTree; recordsizeSource?: RecordsizeSource; workspace?: WorkspaceConfig }): Promise<{ result: AnalysisResult; tree?: AnalyzerTree }>;
  languageForFile(fileName: string): Language | undefined;
  /** Files of the workspace changed on disk (all of them may have, without a list): the index forgets them. */
  workspaceFilesChanged(paths?: readonly string[]): void;
  /** The file-name endings of every language (what the workspace watcher watches). */
  readonly extensions: readonly string[];
}

/**
 * The time an open document's parse, and then its analysis, may take on the extension host. Shorter
 * than the command line's: the whole editor waits while it runs, again after every pause in typing.
 */
export const EDITOR_FILE_TIME_LIMIT_MS = 2000;

let loading: Promise<Analyzer> | undefined;

export function loadAnalyzer(grammarDir: string): Promise<Analyzer> {
  loading ??= (async (): Promise<Analyzer> => {
    const { parser, analyze, languages, budget, workspace: index } = lazyModules();
    parser.setGrammarDirectory(grammarDir);
    // One index for the window, made again when the folders or the compile commands setting change.
    let current: { key: string; index: WorkspaceIndex } | undefined;
    const indexFor = (config: WorkspaceConfig | undefined): WorkspaceIndex | undefined => {
      if (!config) return undefined;
      const key = JSON.stringify(config);
      if (current?.key !== key) current = { key, index: new index.WorkspaceIndex(config) };
      return current.index;
    };
    return {
      async analyzeDocument(text, language, settings, { fileName, oldTree, recordsizeSource, workspace }) {
        // This runs on the extension host's only thread: every analysis gets a time limit per phase.
        const opts = { fileName, recordsizeSource, budget: new budget.AnalysisBudget(EDITOR_FILE_TIME_LIMIT_MS), workspace: indexFor(workspace) };
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
          if (err instanceof budget.AnalysisStopped) {
            return { result: { language, sites: [], findings: [], hadSyntaxErrors: false, unparsed: true,
              analysisStopped: budget.stoppedNote('parse', EDITOR_FILE_TIME_LIMIT_MS, 0, 0) } };
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
      languageForFile: (name) => languages.languageForFile(name),
      workspaceFilesChanged: (paths) => current?.index.filesChanged(paths),
      extensions: Object.values(languages.EXTRACTORS).flatMap((e) => e.extensions),
    };
  })();
  loading.catch(() => { loading = undefined; });
  return loading;
}
