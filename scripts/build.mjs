// Builds every shipped bundle with esbuild and copies the runtime assets they load lazily.
//   dist/extension.js   the VS Code extension host entry (CJS; `vscode` stays external)
//   dist/editor-lazy.js editor modules loaded on first use (src/editor/lazy.ts)
//   dist/editor-client.js the language client, loaded after activation (src/editor/languageClient.ts); its
//                       server is dist/cli.js (`zfs-dio lsp --node-ipc`)
//   dist/cli.js         the `zfs-dio` command-line tool (CJS, with a shebang)
//   dist/scan-worker.js worker thread used by whole-tree scans
//   dist/webview.js     the panel's browser bundle
//   dist/grammars/      web-tree-sitter runtime wasm + one grammar wasm per language
//   dist/probe/         the experiment runner (Python 3 stdlib script) copied verbatim
//   dist/trace/python/  the trace's Python bootstrap (sitecustomize.py) copied verbatim
import { build } from 'esbuild';
import { cpSync, mkdirSync, existsSync, rmSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const production = process.argv.includes('--production');
const dist = path.join(root, 'dist');

// ESM-only dependencies (web-tree-sitter, execa, marked) read import.meta.url; in a CJS bundle that would be `{}`.
const importMetaShim = {
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

const node = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production,
  minify: production, logLevel: 'warning', ...importMetaShim,
};

export async function buildAll() {
  mkdirSync(dist, { recursive: true });
  const jobs = [
    build({ ...node, entryPoints: [path.join(root, 'src/extension.ts')], outfile: path.join(dist, 'extension.js'), external: ['vscode'] }),
    build({ ...node, entryPoints: [path.join(root, 'src/cli/main.ts')], outfile: path.join(dist, 'cli.js'),
      banner: { js: '#!/usr/bin/env node\n' + importMetaShim.banner.js } }),
  ];
  // Editor code used only on first use (analyzer, scan, probe, panel), kept out of extension.js so activation parses little.
  if (existsSync(path.join(root, 'src/editor/lazy.ts'))) {
    jobs.push(build({ ...node, entryPoints: [path.join(root, 'src/editor/lazy.ts')], outfile: path.join(dist, 'editor-lazy.js'), external: ['vscode'] }));
  }
  if (existsSync(path.join(root, 'src/editor/languageClient.ts'))) {
    jobs.push(build({ ...node, entryPoints: [path.join(root, 'src/editor/languageClient.ts')], outfile: path.join(dist, 'editor-client.js'), external: ['vscode'] }));
  }
  if (existsSync(path.join(root, 'src/core/analysis/scan-worker.ts'))) {
    jobs.push(build({ ...node, entryPoints: [path.join(root, 'src/core/analysis/scan-worker.ts')], outfile: path.join(dist, 'scan-worker.js') }));
  }
  if (existsSync(path.join(root, 'webview/main.ts'))) {
    jobs.push(build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: production,
      sourcemap: !production, logLevel: 'warning', entryPoints: [path.join(root, 'webview/main.ts')],
      outfile: path.join(dist, 'webview.js') }));
  }
  await Promise.all(jobs);
  if (existsSync(path.join(dist, 'cli.js'))) chmodSync(path.join(dist, 'cli.js'), 0o755);
  copyGrammars();
  copyProbeRunner();
}

function copyGrammars() {
  const out = path.join(dist, 'grammars');
  mkdirSync(out, { recursive: true });
  cpSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(out, 'web-tree-sitter.wasm'));
  for (const lang of ['c', 'cpp', 'rust', 'go', 'python']) {
    cpSync(require.resolve(`tree-sitter-${lang}/tree-sitter-${lang}.wasm`), path.join(out, `tree-sitter-${lang}.wasm`));
  }
}

function copyProbeRunner() {
  for (const [from, to] of [['src/core/probe/runner', 'probe'], ['src/core/trace/python', 'trace/python']]) {
    const src = path.join(root, from);
    if (!existsSync(src)) continue;
    const out = path.join(dist, to);
    rmSync(out, { recursive: true, force: true });
    cpSync(src, out, { recursive: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const t0 = Date.now();
  await buildAll();
  console.log(`build: dist/ ready in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
}
