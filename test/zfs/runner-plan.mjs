// Prints the runner plan of the whole experiment matrix as JSON, built from the catalog by the same
// function the probe uses (run-matrix.ts, bundled in memory): the suite records the runner's raw
// output for the fixtures by starting the runner itself, with the plan the CLI would hand it.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const result = await build({
  stdin: {
    contents: "export { runnerPlan } from './src/core/probe/experiments/run-matrix';\n"
      + "export { EXPERIMENT_IDS } from './src/core/probe/experiments/catalog';\n",
    resolveDir: root, loader: 'ts',
  },
  bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
});
const { runnerPlan, EXPERIMENT_IDS } = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
process.stdout.write(JSON.stringify(runnerPlan(EXPERIMENT_IDS)) + '\n');
