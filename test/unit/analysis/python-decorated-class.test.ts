// Python: class constants of a decorated class (`@unittest.skipUnless(…)` over a TestCase, `@dataclass`)
// are read through self like those of a plain class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

const program = (decorator: string): string => `import os
import unittest


${decorator}
class CopyTests(unittest.TestCase):
    DATA = b"0123456789"
    RECORD = 128 * 1024

    def test_short(self, src, dst):
        n = os.copy_file_range(src, dst, len(self.DATA)) # => | ZDIO010
        self.assertEqual(n, len(self.DATA))

    def test_record(self, src, dst):
        n = os.copy_file_range(src, dst, self.RECORD, 0, 0) # =>
        self.assertEqual(n, self.RECORD)
`;

test('python: a decorated class keeps its class constants for self.NAME', async () => {
  const text = program('@unittest.skipUnless(hasattr(os, "copy_file_range"), "needs copy_file_range")');
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});

test('python: the same class without a decorator reads the same', async () => {
  const text = program('');
  const r = await analyzeText(text, 'python', DEFAULT_SETTINGS);
  assert.deepEqual(findingKeys(r), expectationsOf(text).findings);
});
