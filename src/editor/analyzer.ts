// The editor's only door into the analysis core. The core is loaded on first use (lazyLoader.ts), so
// activation evaluates none of the analyzer, parser or grammar code. The document analysis itself is the
// core's (core/analysis/document.ts), shared with the language server.
import type { DocumentAnalyzer, DocumentTree } from '../core/analysis/document';
import { lazyModules } from './lazyLoader';

/** A syntax tree the diagnostics controller keeps between keystrokes (web-tree-sitter Tree). */
export type AnalyzerTree = DocumentTree;
export type Analyzer = DocumentAnalyzer;

/**
 * The time an open document's parse, and then its analysis, may take on the extension host. Shorter
 * than the command line's: the whole editor waits while it runs, again after every pause in typing.
 */
export const EDITOR_FILE_TIME_LIMIT_MS = 2000;

let loading: Promise<Analyzer> | undefined;

export function loadAnalyzer(grammarDir: string): Promise<Analyzer> {
  loading ??= (async (): Promise<Analyzer> => {
    const { parser, document } = lazyModules();
    parser.setGrammarDirectory(grammarDir);
    return document.createDocumentAnalyzer(EDITOR_FILE_TIME_LIMIT_MS);
  })();
  loading.catch(() => { loading = undefined; });
  return loading;
}
