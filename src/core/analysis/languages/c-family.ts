// Placeholder until the C/C++ extractor lands (issue #2): finds nothing yet.
import type { LanguageExtractor } from './extractor';

export const cExtractor: LanguageExtractor = { language: 'c', extensions: [], prefilter: /(?!)/, extract: () => [] };
export const cppExtractor: LanguageExtractor = { language: 'cpp', extensions: [], prefilter: /(?!)/, extract: () => [] };
