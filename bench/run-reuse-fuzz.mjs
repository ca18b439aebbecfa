#!/usr/bin/env node
// Bundles and runs bench/reuse-fuzz.ts: incremental extraction against full extraction on random edits.
//   node bench/run-reuse-fuzz.mjs [edits-per-file] [seed]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(ROOT, 'bench/.work/reuse-fuzz.cjs');
await build({ entryPoints: [path.join(ROOT, 'bench/reuse-fuzz.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  logLevel: 'warning', define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" } });
const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, ZFS_DIO_ROOT: ROOT } });
process.exit(r.status ?? 1);
