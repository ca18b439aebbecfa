// Placeholder until the Rust extractor lands (issue #2): finds nothing yet.
import type { LanguageExtractor } from './extractor';

export const rustExtractor: LanguageExtractor = {
  language: 'rust',
  extensions: [],
  prefilter: /(?!)/,
  extract: () => [],
};
