// Placeholder until the Go extractor lands (issue #2): finds nothing yet.
import type { LanguageExtractor } from './extractor';

export const goExtractor: LanguageExtractor = {
  language: 'go',
  extensions: [],
  prefilter: /(?!)/,
  extract: () => [],
};
