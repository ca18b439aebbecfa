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

test('the core, the shared modules and the language server never import vscode', () => {
  const pureEditor = (f: string) => /manifest-contributions\.ts$|-logic\.ts$/.test(f);
  const files = [
    ...sources(path.join(root, 'src', 'core')),
    ...sources(path.join(root, 'src', 'shared')),
    ...sources(path.join(root, 'src', 'server')),
    ...sources(path.join(root, 'src', 'cli')),
    ...sources(path.join(root, 'src', 'editor'), pureEditor),
  ];
  assert.ok(files.length > 50, `found ${files.length} files`);
  assert.deepEqual(offenders(files, (s) => s === 'vscode'), []);
});

/** The layer a relative import of `file` lands in: core, shared, server, editor or another folder. */
function layerOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const rel = path.relative(path.join(root, 'src'), path.resolve(path.dirname(file), specifier));
  return rel.startsWith('..') ? 'outside src' : rel.split(path.sep)[0];
}

test('each layer imports only the layers below it: core ← shared ← server ← cli; neither imports the editor', () => {
  const allowed: Record<string, string[]> = {
    core: ['core'],
    shared: ['core', 'shared'],
    server: ['core', 'shared', 'server'],
    cli: ['core', 'shared', 'server', 'cli'],
  };
  for (const [layer, may] of Object.entries(allowed)) {
    const files = sources(path.join(root, 'src', layer));
    assert.ok(files.length > 0, `${layer} has sources`);
    const wrong = files.flatMap((f) => importsOf(f).map((s) => [s, layerOf(f, s)] as const)
      .filter(([s, l]) => l !== undefined && !may.includes(l) && !(l === 'outside src' && s.endsWith('/package.json')))
      .map(([s, l]) => `${path.relative(root, f)} imports '${s}' (${l})`));
    assert.deepEqual(wrong, [], `${layer} may import only ${may.join(', ')}`);
  }
});

test('the webview imports neither vscode nor Node, and nothing from src/ but the panel protocol and pure modules', () => {
  const files = sources(path.join(root, 'webview'));
  assert.ok(files.length > 0);
  const forbidden = (s: string) => s === 'vscode' || s.startsWith('node:') || NODE_BUILTINS.has(s)
    || /(^|\/)src\/(editor|server|cli|core\/(probe|analysis))\//.test(s);
  assert.deepEqual(offenders(files, forbidden), []);
});
