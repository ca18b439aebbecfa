// Everything the editor needs only on first use: the analyzer and its grammars, the whole-tree scan,
// the probe and the panel host. Bundled on its own (dist/editor-lazy.js) so that loading the extension
// parses only the small editor glue; lazyLoader.ts requires this bundle the first time it is needed.
export * as parser from '../core/analysis/parse';
export * as analyze from '../core/analysis/analyze';
export * as document from '../core/analysis/document';
export * as budget from '../core/analysis/budget';
export * as languages from '../core/analysis/languages/index';
export * as scan from '../core/analysis/scan';
export * as workspace from '../core/analysis/workspace';
export * as probe from '../core/probe/index';
export * as panel from './panel';
export * as trace from '../core/trace/index';
export * as traceCommandLine from '../core/trace/command-line';
export * as probeHost from '../core/probe/host';
export * as traceCli from '../core/cli/trace-command';
