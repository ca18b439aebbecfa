// Every quick fix on every fixture and sample, applied one at a time and re-analysed (test/support/fix-harness.ts):
// the finding is gone, nothing new appears, no call is lost, the text parses as before, and a suppression
// changes nothing else. `npm run test:samples` compiles the same fixed variants of the compilable ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { languageForFile } from '../../../src/core/analysis/languages/index';
import type { Language } from '../../../src/core/types';
import { checkAllFixes, type FixCheck } from '../../support/fix-harness';

const root = process.env.ZFS_DIO_ROOT!;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return languageForFile(e.name) ? [full] : [];
  }).sort();
}

const CORPORA = {
  fixtures: ['c', 'cpp', 'go', 'python', 'rust'].flatMap((l) => sources(path.join(root, 'test/fixtures', l))),
  samples: sources(path.join(root, 'samples')),
  fixCases: sources(path.join(root, 'test/fixtures/fixes')),
};

async function checkFiles(files: string[]): Promise<{ checks: (FixCheck & { file: string; language: Language })[]; failures: string[] }> {
  const checks: (FixCheck & { file: string; language: Language })[] = [];
  const failures: string[] = [];
  for (const file of files) {
    const language = languageForFile(file)!;
    for (const c of await checkAllFixes(readFileSync(file, 'utf8'), language)) {
      checks.push({ ...c, file, language });
      if (c.problems.length) failures.push(`${path.relative(root, file)}:${c.line} ${c.ruleId} "${c.title}": ${c.problems.join('; ')}`);
    }
  }
  return { checks, failures };
}

for (const [name, files] of Object.entries(CORPORA)) {
  test(`every fix in the ${name} (${files.length} files) removes its finding and nothing else`, async () => {
    assert.ok(files.length > 0);
    const { checks, failures } = await checkFiles(files);
    assert.deepEqual(failures, []);
    assert.ok(checks.some((c) => c.suppression), 'suppression fixes were checked');
    assert.ok(checks.some((c) => !c.suppression), 'code-changing fixes were checked');
  });
}

test('the fix cases exercise every kind of fix in every language', async () => {
  const { checks } = await checkFiles(CORPORA.fixCases);
  const kinds = new Set(checks.filter((c) => !c.suppression).map((c) => `${c.language}: ${c.title.replace(/[\d(].*$/, '').trim()}`));
  for (const expected of [
    'c: Allocate with aligned_alloc', 'c: Round', 'cpp: Allocate with std::aligned_alloc', 'cpp: Round',
    'rust: Grow the buffer to', 'rust: Round', 'go: Grow the buffer to', 'go: Round', 'python: Grow the buffer to', 'python: Round',
  ]) assert.ok(kinds.has(expected), `${expected} among ${[...kinds].join(' | ')}`);
  // And the cases where a fix would make things worse are refused, not offered.
  const c = readFileSync(path.join(root, 'test/fixtures/fixes/c/buffers.c'), 'utf8').split('\n');
  const offeredAt = new Set(checks.filter((x) => x.file.endsWith('buffers.c') && !x.suppression).map((x) => c[x.line - 1]!.trim()));
  for (const refused of ['long got = pread(fd, tmp, RECORD_BYTES, 0);', 'return pread(fd, buf, 700, 0);', 'long put = pwrite(fd, page, 100, 0);']) {
    assert.ok(!offeredAt.has(refused), `no fix on: ${refused}`);
  }
});
