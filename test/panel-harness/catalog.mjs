// The experiment catalog, bundled in memory from its TypeScript source, so the checks count the cells the
// catalog declares instead of a number that falls behind when an experiment is added.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const result = await build({
  entryPoints: [path.join(root, 'src/core/probe/experiments/catalog.ts')], bundle: true, write: false,
  format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
});
const catalog = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);

/** Every experiment id, in the catalog's order: one matrix cell each. */
export const EXPERIMENT_IDS = catalog.EXPERIMENT_IDS;
