// Broken and half-typed code is what an editor sees most of the time: the Rust, Go and Python
// extractors must never throw on it, and the pipeline must not report an extractor failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { flowDiagnostics } from '../../../src/core/analysis/languages/flow';
import type { Language } from '../../../src/core/types';
import { DEFAULT_SETTINGS, extractFacts, readFixture } from './rust-go-python-helpers';
import { seededRandom } from '../../support/prng';


const NOISE = ['(', ')', '{', '}', '[', ']', ',', ';', ':', '"', "'", '&', '*', '|', '\n', ' = ', '..', '?', '#', '\\'];

function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * out.length);
    const len = Math.floor(random() * 40);
    switch (Math.floor(random() * 3)) {
      case 0: out = out.slice(0, at) + out.slice(at + len); break;                       // delete a span
      case 1: out = out.slice(0, at) + NOISE[Math.floor(random() * NOISE.length)] + out.slice(at); break;
      default: out = out.slice(0, at) + out.slice(at, at + len) + out.slice(at); break;  // duplicate a span
    }
  }
  return out;
}

const FIXTURES: Array<[Language, string[]]> = [
  ['rust', ['rust/odirect.rs', 'rust/copy_file_range.rs', 'rust/ficlone.rs']],
  ['go', ['go/odirect.go', 'go/copy_file_range.go', 'go/ficlone.go']],
  ['python', ['python/odirect.py', 'python/copy_file_range.py', 'python/ficlone.py']],
];

for (const [language, files] of FIXTURES) {
  test(`${language}: mutated fixtures never make the extractor throw`, async () => {
    const random = seededRandom(0x5eed + language.length);
    let checked = 0;
    for (const file of files) {
      const original = readFixture(file);
      for (let i = 0; i < 25; i++) {
        const text = mutate(original, random);
        await assert.doesNotReject(extractFacts(language, text), `${file} variant ${i}`);
        const result = await analyzeText(text, language, DEFAULT_SETTINGS);
        assert.equal(result.analysisError, undefined, `${file} variant ${i}: ${result.analysisError}`);
        checked++;
      }
    }
    assert.equal(checked, files.length * 25);
    assert.equal(flowDiagnostics.unitFailures, 0, `no function analysis threw (last: ${flowDiagnostics.lastError})`);
  });
}

test('empty, whitespace-only and truncated inputs give no sites', async () => {
  for (const language of ['rust', 'go', 'python'] as const) {
    for (const text of ['', '   \n\t', 'copy_file_range(', 'O_DIRECT', 'FICLONE = ']) {
      assert.deepEqual(await extractFacts(language, text), [], `${language}: ${JSON.stringify(text)}`);
    }
  }
});
