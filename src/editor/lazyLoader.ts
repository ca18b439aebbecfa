// Loads dist/editor-lazy.js (built from lazy.ts) on first use. A plain runtime require keeps esbuild
// from inlining it into dist/extension.js, which is what makes activation cheap.
import { existsSync } from 'node:fs';
import path from 'node:path';

export type LazyModules = typeof import('./lazy');

let loaded: LazyModules | undefined;

export function lazyModules(): LazyModules {
  if (!loaded) {
    // In the shipped bundle __dirname is dist/; the lazy bundle sits next to extension.js.
    const file = path.join(__dirname, 'editor-lazy.js');
    if (!existsSync(file)) throw new Error(`the extension is incomplete: ${file} is missing (run npm run build)`);
    loaded = require(file) as LazyModules;
  }
  return loaded;
}
