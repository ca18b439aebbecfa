// Placeholder until the Python extractor lands (issue #2): finds nothing yet.
import type { LanguageExtractor } from './extractor';

export const pythonExtractor: LanguageExtractor = {
  language: 'python',
  extensions: [],
  prefilter: /(?!)/,
  extract: () => [],
};
