// Bundles every test/unit/**/*.test.ts into out/test/*.test.cjs so node:test runs exactly the
// code that ships (same esbuild settings, same ESM-dependency shim), on plain Node 20.
import { build } from 'esbuild';
import { readdirSync, rmSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out/test');

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) found.push(...findTests(p));
    else if (name.endsWith('.test.ts')) found.push(p);
  }
  return found;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const entries = findTests(path.join(root, 'test/unit'));
await build({
  entryPoints: Object.fromEntries(entries.map((e) => [path.relative(path.join(root, 'test/unit'), e).replace(/\.ts$/, ''), e])),
  outdir: out, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  sourcemap: 'inline', logLevel: 'warning', external: ['vscode'],
  define: { 'import.meta.url': 'importMetaUrl', 'process.env.ZFS_DIO_ROOT': JSON.stringify(root) },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
console.log(`build-tests: ${entries.length} test files bundled into out/test`);
