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

export type { LanguageExtractor };
