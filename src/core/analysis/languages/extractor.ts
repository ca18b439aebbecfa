// The contract between a language and the rules: a language turns a syntax tree into SiteFacts;
// the rules never look at syntax. Adding a language means adding one extractor.
import type { Node, Tree } from 'web-tree-sitter';
import type { CallRecord, Language, SiteFacts } from '../../types';
import type { ExternalContext } from '../workspace';

/**
 * What a language found in a file: its sites, and the calls of the file's own functions whose sites
 * read their parameters (interprocedural.ts turns the two into the sites as seen from each call).
 * A fact with `via` set is a site as one row of a table of cases sees it (the row is the first step):
 * it is judged like a site seen from a call, and is not a site of its own.
 */
export interface Extraction {
  facts: SiteFacts[];
  calls?: CallRecord[];
  /**
   * Sites of other files whose values are parameters of their functions (each with its `file`), and
   * `calls` then includes the calls made there (each with its `file`): a call of this file to a function
   * of another file is judged with its own arguments, the finding placed at the argument here.
   */
  foreign?: SiteFacts[];
}

export interface LanguageExtractor {
  language: Language;
  /** File name endings handled by this language (lower case, with the dot). */
  extensions: readonly string[];
  /**
   * Cheap text prefilter: if this does not match a file's text, the file cannot contain a site and
   * is not parsed. Must never reject a file that has a site (false positives are fine).
   */
  prefilter: RegExp;
  /**
   * Finds every site in the tree and derives what it can about it. `external`: what the workspace index
   * knows of the other files this one uses (built by this language's provider, read only by this extractor).
   */
  extract(root: Node, text: string, external?: ExternalContext): Extraction;
  /**
   * Optional, for the editor's edit-by-edit path: the same facts as `extract`, plus a state to hand back
   * with the next version of the document. Given the previous version's state and the tree it was parsed
   * into (edited, still alive), results that the edit provably did not change may be reused.
   */
  extractReusing?(root: Node, text: string, previous: { state: unknown; previousTree: Tree } | undefined, external?: ExternalContext): Extraction & { state?: unknown };
}
