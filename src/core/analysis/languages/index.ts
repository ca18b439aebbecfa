// The language registry. Each language contributes one extractor; nothing else branches on language.
import type { Language } from '../../types';
import type { LanguageExtractor } from './extractor';
import { cExtractor, cppExtractor } from './c-family';
import { rustExtractor } from './rust';
import { goExtractor } from './go';
import { pythonExtractor } from './python';

export const EXTRACTORS: Readonly<Record<Language, LanguageExtractor>> = {
  c: cExtractor, cpp: cppExtractor, rust: rustExtractor, go: goExtractor, python: pythonExtractor,
};

/** Maps a file name to its language, or undefined if no extractor handles it. */
export function languageForFile(fileName: string): Language | undefined {
  // GCC's convention, which is case-sensitive: `.C` is C++ source and `.H` a C++ header (`.c`/`.h` are C).
  if (fileName.endsWith('.C') || fileName.endsWith('.H')) return 'cpp';
  const lower = fileName.toLowerCase();
  for (const ex of Object.values(EXTRACTORS)) {
    if (ex.extensions.some((e) => lower.endsWith(e))) return ex.language;
  }
  return undefined;
}

/**
 * The language a script without a file-name extension is written in, from its `#!` line (only Python
 * scripts are commonly installed that way: `#!/usr/bin/env python3`, `#!/usr/bin/python3 -u`).
 */
export function languageFromShebang(firstLine: string): Language | undefined {
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  if (!m) return undefined;
  const program = m[1]!.endsWith('/env') && m[2] ? m[2] : m[1]!;
  return /(?:^|\/)python[0-9.]*$/.test(program) ? 'python' : undefined;
}

/** A name with no extension at all, which only its `#!` line can give a language. */
export function mayBeScript(fileName: string): boolean {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  return base.length > 0 && !base.includes('.');
}

export type { LanguageExtractor };
