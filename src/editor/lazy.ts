// Everything the editor needs only on first use: the probe, the trace and the panel host. Bundled on its
// own (dist/editor-lazy.js) so that loading the extension parses only the small editor glue; lazyLoader.ts
// requires this bundle the first time it is needed. The language client is a bundle of its own
// (dist/editor-client.js), so loading either one never loads the other.
export * as probe from '../core/probe/index';
export * as panel from './panel';
export * as trace from '../core/trace/index';
export * as traceCommandLine from '../core/trace/command-line';
export * as traceTimeline from '../core/trace/timeline';
export * as probeHost from '../core/probe/host';
export * as traceCli from '../cli/trace-command';
