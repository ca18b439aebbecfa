// The layers' boundaries, as far as imports show them. tsconfig.core.json and tsconfig.webview.json make the
// compiler check the rest (no DOM in the core and the server, no Node in the webview); an import of `vscode`
// still type-checks anywhere, because TypeScript finds @types/vscode by module resolution, so it is checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = process.env.ZFS_DIO_ROOT ?? process.cwd();

function sources(dir: string, accept: (file: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p, accept));
    else if (name.endsWith('.ts') && accept(p)) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports: static imports and exports, `import(…)` and `require(…)`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push(m[1] ?? m[2] ?? m[3]!);
  }
  return found;
}

function offenders(files: string[], forbidden: (specifier: string) => boolean): string[] {
  return files.flatMap((f) => importsOf(f).filter(forbidden).map((s) => `${path.relative(root, f)} imports '${s}'`));
}

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'child_process', 'worker_threads', 'url', 'util', 'crypto', 'events', 'stream', 'net', 'module']);

test('the import scanner sees every form of import (so the checks below can fail)', () => {
  const probe = path.join(root, 'test', 'unit', 'architecture', 'layers.test.ts');
  const specifiers = importsOf(probe);
  for (const s of ['node:test', 'node:assert/strict', 'node:fs', 'node:path']) assert.ok(specifiers.includes(s), s);
});

test('the core, the language server and the pure editor modules never import vscode', () => {
  const pureEditor = (f: string) => /-logic\.ts$|command-catalog\.ts$|manifest-contributions\.ts$/.test(f);
  const files = [
    ...sources(path.join(root, 'src', 'core')),
    ...sources(path.join(root, 'src', 'server')),
    ...sources(path.join(root, 'src', 'editor'), pureEditor),
  ];
  assert.ok(files.length > 50, `found ${files.length} files`);
  assert.deepEqual(offenders(files, (s) => s === 'vscode'), []);
});

test('the core and the server import nothing from the VS Code adapters (only their pure *-logic modules)', () => {
  const files = [...sources(path.join(root, 'src', 'core')), ...sources(path.join(root, 'src', 'server'))];
  const adapter = (s: string) => /(^|\/)editor\//.test(s) && !/-logic$|command-catalog$/.test(s);
  assert.deepEqual(offenders(files, adapter), []);
});

test('the webview imports neither vscode nor Node, and nothing from src/ but the panel protocol and pure modules', () => {
  const files = sources(path.join(root, 'webview'));
  assert.ok(files.length > 0);
  const forbidden = (s: string) => s === 'vscode' || s.startsWith('node:') || NODE_BUILTINS.has(s)
    || /(^|\/)src\/(editor|server|core\/(probe|analysis|cli))\//.test(s);
  assert.deepEqual(offenders(files, forbidden), []);
});
