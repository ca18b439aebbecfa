// Loads dist/editor-lazy.js (built from lazy.ts) and dist/editor-client.js (built from languageClient.ts)
// on first use. A plain runtime require keeps esbuild from inlining them into dist/extension.js, which is
// what makes activation cheap.
import { existsSync } from 'node:fs';
import path from 'node:path';

export type LazyModules = typeof import('./lazy');
export type ClientModule = typeof import('./languageClient');

let loaded: LazyModules | undefined;
let client: ClientModule | undefined;

function requireBundle<T>(name: string): T {
  // In the shipped bundle __dirname is dist/; the lazy bundles sit next to extension.js.
  const file = path.join(__dirname, name);
  if (!existsSync(file)) throw new Error(`the extension is incomplete: ${file} is missing (run npm run build)`);
  return require(file) as T;
}

export function lazyModules(): LazyModules {
  loaded ??= requireBundle<LazyModules>('editor-lazy.js');
  return loaded;
}

export function clientModule(): ClientModule {
  client ??= requireBundle<ClientModule>('editor-client.js');
  return client;
}
