// The per-file time budget: tests run out of time on a clock they control, never on the machine's speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, analyzeTree } from '../../../src/core/analysis/analyze';
import { AnalysisBudget } from '../../../src/core/analysis/budget';
import { parse } from '../../../src/core/analysis/parse';
import { DEFAULT_SETTINGS, type Language } from '../../../src/core/types';

/**
 * A budget whose clock moves 1 ms each time the extraction or the rules read it (the parse sees time stand
 * still): a limit of N ms is spent after N readings, on any machine. `readings` counts them.
 */
function steppingBudget(limitMs: number): AnalysisBudget & { readings: () => number } {
  let t = 0;
  const budget: AnalysisBudget = new AnalysisBudget(limitMs, () => (budget.phase === 'parse' ? 0 : ++t));
  return Object.assign(budget, { readings: () => t });
}

/** Half the clock readings a complete analysis makes: a limit that stops the analysis in the middle. */
async function halfway(analyze: (budget: AnalysisBudget) => unknown): Promise<number> {
  const counting = steppingBudget(1e12);
  await analyze(counting);
  assert.ok(counting.readings() >= 4, `the analysis reads the clock (${counting.readings()} times)`);
  return Math.floor(counting.readings() / 2);
}

const PY_FN = (i: number) => `def f${i}(p):\n    fd = os.open(p, os.O_RDWR | os.O_DIRECT)\n    os.pread(fd, 1000, 0)\n\n`;
const C_FN = (i: number) => `void f${i}(const char *p) { char b[100]; int fd = open(p, O_RDWR | O_DIRECT); pread(fd, b, 1000, 0); }\n`;
const SOURCES: Record<'python' | 'c', (n: number) => string> = {
  python: (n) => 'import os\n\n' + Array.from({ length: n }, (_, i) => PY_FN(i)).join(''),
  c: (n) => '#include <fcntl.h>\n#include <unistd.h>\n' + Array.from({ length: n }, (_, i) => C_FN(i)).join(''),
};

for (const language of ['python', 'c'] as const) {
  test(`budget (${language}): a spent budget stops the extraction with a note and keeps the sites found so far`, async () => {
    const text = SOURCES[language](400);
    const full = await analyzeText(text, language, DEFAULT_SETTINGS);
    assert.equal(full.analysisStopped, undefined);
    assert.equal(full.sites.length, 800, 'an open and a read per function');
    const limit = await halfway((budget) => analyzeText(text, language, DEFAULT_SETTINGS, { budget }));
    const result = await analyzeText(text, language, DEFAULT_SETTINGS, { budget: steppingBudget(limit) });
    assert.match(result.analysisStopped ?? '', /^analysis stopped: (finding the call sites|checking the rules) took longer than the time limit per file \(\d+ m?s\); the \d+ call sites? and \d+ findings? found until then are reported/);
    assert.ok(result.sites.length > 0 && result.sites.length < full.sites.length, `some sites kept: ${result.sites.length} of ${full.sites.length}`);
    const fullKeys = new Set(full.sites.map((s) => JSON.stringify(s)));
    assert.ok(result.sites.every((s) => fullKeys.has(JSON.stringify(s))), 'the kept sites are real ones');
    assert.ok(result.findings.length > 0, 'the kept sites were still checked');
  });
}

test('budget: a parse that runs out of time is cancelled, says so, and the next parse is unaffected', async () => {
  const text = SOURCES.c(2000);
  // Every reading of this clock is a second later: the parse's first progress check is already too late.
  let t = 0;
  const result = await analyzeText(text, 'c', DEFAULT_SETTINGS, { budget: new AnalysisBudget(1000, () => (t += 1000)) });
  assert.equal(result.unparsed, true);
  assert.match(result.analysisStopped ?? '', /^analysis stopped: parsing took longer than the time limit per file \(1 s\); nothing in this file was analysed$/);
  assert.deepEqual(result.sites, []);
  // The parser was reset: the same file parses in full afterwards (a cancelled parse would otherwise be resumed).
  const again = await analyzeText(text, 'c', DEFAULT_SETTINGS, { budget: new AnalysisBudget(60_000) });
  assert.equal(again.analysisStopped, undefined);
  assert.equal(again.sites.length, 4000);
});

test('budget: the editor path (analyzeTree, incremental) stops too, and keeps no half-done state for the next edit', async () => {
  for (const language of ['c', 'python'] as Language[]) {
    const text = SOURCES[language as 'c' | 'python'](300);
    const tree = await parse(language, text);
    try {
      const limit = await halfway((budget) => analyzeTree(tree, text, language, DEFAULT_SETTINGS, { budget }));
      const stopped = analyzeTree(tree, text, language, DEFAULT_SETTINGS, { incremental: {}, budget: steppingBudget(limit) });
      assert.match(stopped.analysisStopped ?? '', /^analysis stopped: /, language);
      assert.ok(stopped.sites.length > 0 && stopped.sites.length < 600, `${language}: partial (${stopped.sites.length})`);
      // The next version, parsed from the stopped one, must give the complete result (nothing reused from the stop).
      const tree2 = await parse(language, text, tree);
      try {
        const next = analyzeTree(tree2, text, language, DEFAULT_SETTINGS, { incremental: { previousTree: tree }, budget: new AnalysisBudget(60_000) });
        const full = analyzeTree(tree2, text, language, DEFAULT_SETTINGS);
        assert.equal(next.analysisStopped, undefined);
        assert.deepEqual(next.sites, full.sites, language);
        assert.equal(next.sites.length, 600);
      } finally {
        tree2.delete();
      }
    } finally {
      tree.delete();
    }
  }
});
