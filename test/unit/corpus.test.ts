// The real-code corpus ratchet: test/corpus/ is measured with the same harness as `npm run corpus`
// (bench/corpus.mjs, loaded as it ships), and the figures recorded in test/corpus/baseline.json may only rise.
// When the analyzer gets better, `node bench/corpus.mjs --write-baseline` records the new state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.ZFS_DIO_ROOT!;

interface Expectation { file: string; line: number; type: 'site' | 'finding' | 'none'; value: string; code: string }
interface Case { file: string; category?: string; expectations: Expectation[]; errors: string[] }
interface Corpus { cases: Case[]; others: string[]; errors: string[] }
interface Tally {
  files: number; expectedSites: number; metSites: number; reportedSites: number; matchedSites: number;
  expectedFindings: number; metFindings: number; reportedWarnings: number; matchedWarnings: number;
  siteRecall: number | null; sitePrecision: number | null; findingRecall: number | null; warningPrecision: number | null;
}
interface Report { file: string; line: number; what: string; detail: string; forbidden: boolean }
interface Result {
  totals: Tally; categories: Record<string, Tally>; met: string[]; expectationKeys: string[];
  misses: (Expectation & { key: string })[]; falsePositives: Report[]; unexpectedInformation: Report[];
  violatedAbsences: (Expectation & { key: string })[]; errors: string[];
}
interface Scan {
  sites: { file: string; line: number; kind: string; callee: string }[];
  findings: { file: string; line: number; ruleId: string; severity: string; message: string }[];
}
interface Baseline { totals: Record<string, number | null>; met: string[]; corpus?: { expectations: number; digest: string } }
interface Harness {
  CORPUS_DIR: string;
  FIGURES: string[];
  parseCase(file: string, text: string, ruleIds?: Set<string>): Case;
  readCorpus(dir?: string): Corpus;
  matchCorpus(corpus: Corpus, scan: Scan): Result;
  measureCorpus(dir?: string): Result;
  readBaseline(file?: string): Baseline | undefined;
  compareWithBaseline(result: Result, baseline: Baseline): {
    fallen: { figure: string; was: number; now: number }[]; missed: string[]; gone: string[]; corpusChanged: boolean;
  };
}

const harness = import(pathToFileURL(path.join(root, 'bench/corpus.mjs')).href) as Promise<Harness>;
let measured: Promise<Result> | undefined;
/** One scan of the corpus shared by the tests (it spawns the CLI over about a hundred files). */
const measurement = () => (measured ??= harness.then((h) => h.measureCorpus()));

const RULES = new Set(['ZDIO001', 'ZDIO002', 'ZDIO003', 'ZDIO004', 'ZDIO010', 'ZDIO011', 'ZDIO012', 'ZDIO020']);

test('every corpus case names the pattern it was modelled on and carries one category', async () => {
  const h = await harness;
  const corpus = h.readCorpus();
  assert.deepEqual(corpus.errors, []);
  assert.ok(corpus.cases.length >= 60, `only ${corpus.cases.length} case files`);
  for (const c of corpus.cases) {
    const lines = readFileSync(path.join(h.CORPUS_DIR, c.file), 'utf8').split('\n');
    const first = lines[0]!.startsWith('#!') ? lines[1]! : lines[0]!;
    assert.match(first, /^(\/\/|\/\*|#) Pattern: .+\(modelled on .+\)\.( \*\/)?$/, `${c.file}: the first line must be "Pattern: … (modelled on …)."`);
  }
  // Each language has cases, and the corpus measures precision as well as recall.
  const languages = new Set(corpus.cases.map((c) => c.file.split('/')[0]!.split('-')[0]));
  assert.deepEqual([...languages].sort(), ['c', 'cpp', 'go', 'python', 'rust']);
  assert.ok(corpus.cases.some((c) => c.category === 'negative'));
});

test('the corpus figures do not fall below test/corpus/baseline.json', async () => {
  const h = await harness;
  const baseline = h.readBaseline();
  assert.ok(baseline, 'test/corpus/baseline.json is missing: run `node bench/corpus.mjs --write-baseline`');
  const { fallen, corpusChanged } = h.compareWithBaseline(await measurement(), baseline);
  const hint = corpusChanged ? 'the corpus changed since the baseline was written: check the misses with `npm run corpus`, then run `node bench/corpus.mjs --write-baseline`' : 'the analyzer got worse on the corpus';
  assert.deepEqual(fallen.map((f) => `${f.figure} fell from ${f.was} to ${f.now.toFixed(4)}`), [], hint);
  assert.equal(corpusChanged, false, 'the corpus changed since the baseline was written: run `node bench/corpus.mjs --write-baseline`');
});

test('every expectation met in the baseline is still met', async () => {
  const h = await harness;
  const baseline = h.readBaseline();
  assert.ok(baseline, 'test/corpus/baseline.json is missing: run `node bench/corpus.mjs --write-baseline`');
  const { missed, gone } = h.compareWithBaseline(await measurement(), baseline);
  assert.deepEqual(missed, [], 'expectations that were met and are now missed (file | rule or site | code)');
  assert.deepEqual(gone, [], 'met expectations that the corpus no longer has: a case was edited, run `node bench/corpus.mjs --write-baseline`');
});

test('annotations: markers, several values per line, comment endings and the errors a typo gets', async () => {
  const h = await harness;
  const text = [
    '// Pattern: x (modelled on y).',
    '// zdio-category: within-function',
    'read(fd, buf, 100); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002',
    'x = 1; /* zdio-expect-none: ZDIO004, ficlone */',
    'y(); # zdio-expect: ZDIO099',
    'z(); // zdio-expect-site: odirect_io',
    'w(); // zdio-expect: ZDIO002, ZDIO002',
    'v(); // zdio-expect: ZDIO003, zdio-expect-none: ZDIO003',
    '// zdio-category: table',
  ].join('\n');
  const parsed = h.parseCase('c/example.c', text, RULES);
  assert.equal(parsed.category, 'within-function');
  assert.deepEqual(parsed.expectations.filter((e) => e.line <= 4).map((e) => `${e.line} ${e.type} ${e.value} [${e.code}]`), [
    '3 site o_direct_io [read(fd, buf, 100);]',
    '3 finding ZDIO001 [read(fd, buf, 100);]',
    '3 finding ZDIO002 [read(fd, buf, 100);]',
    '4 none ZDIO004 [x = 1;]',
    '4 none ficlone [x = 1;]',
  ]);
  assert.deepEqual(parsed.errors, [
    'c/example.c:5: zdio-expect: "ZDIO099" is not a rule id',
    'c/example.c:6: zdio-expect-site: "odirect_io" is not a site kind (copy_file_range, ficlone, o_direct_open, o_direct_io)',
    'c/example.c:7: ZDIO002 is listed twice on one line',
    'c/example.c:8: ZDIO003 is both expected and forbidden',
    'c/example.c:9: a second zdio-category (the file already is "within-function")',
  ]);
});

test('matching: recall and precision per category, once per line, information findings apart', async () => {
  const h = await harness;
  const corpus: Corpus = {
    others: [], errors: [],
    cases: [
      h.parseCase('c/a.c', [
        '// zdio-category: within-function',
        'open(p, O_DIRECT); // zdio-expect-site: o_direct_open',
        'read(fd, b, 1); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002',
        'pwrite(fd, b, 8192, 0); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO004',
      ].join('\n'), RULES),
      h.parseCase('go/b.go', [
        '// zdio-category: negative',
        'f.ReadAt(block, 0) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001',
        'unix.IoctlSetInt(fd, unix.TIOCSPGRP, 0) // zdio-expect-none: ficlone',
      ].join('\n'), RULES),
    ],
  };
  const scan: Scan = {
    sites: [
      { file: 'c/a.c', line: 2, kind: 'o_direct_open', callee: 'open' },
      { file: 'c/a.c', line: 3, kind: 'o_direct_io', callee: 'read' },
      { file: 'c/a.c', line: 3, kind: 'o_direct_io', callee: 'read' },     // the same site twice counts once
      { file: 'go/b.go', line: 2, kind: 'o_direct_io', callee: 'f.ReadAt' },
      { file: 'go/b.go', line: 3, kind: 'ficlone', callee: 'unix.IoctlSetInt' },
    ],
    findings: [
      { file: 'c/a.c', line: 3, ruleId: 'ZDIO002', severity: 'warning', message: 'length 1' },
      { file: 'c/a.c', line: 3, ruleId: 'ZDIO003', severity: 'warning', message: 'offset 7' },
      { file: 'c/a.c', line: 4, ruleId: 'ZDIO012', severity: 'information', message: 'unchecked' },
      { file: 'go/b.go', line: 2, ruleId: 'ZDIO001', severity: 'warning', message: 'make([]byte)' },
    ],
  };
  const r = h.matchCorpus(corpus, scan);
  assert.deepEqual(r.errors, []);
  const within = r.categories['within-function']!;
  assert.deepEqual([within.metSites, within.expectedSites, within.matchedSites, within.reportedSites], [2, 3, 2, 2]);
  assert.deepEqual([within.metFindings, within.expectedFindings, within.matchedWarnings, within.reportedWarnings], [1, 3, 1, 2]);
  const negative = r.categories['negative']!;
  assert.deepEqual([negative.matchedSites, negative.reportedSites, negative.matchedWarnings, negative.reportedWarnings], [1, 2, 0, 1]);
  assert.equal(r.totals.siteRecall, 3 / 4);
  assert.equal(r.totals.sitePrecision, 3 / 4);
  assert.equal(r.totals.findingRecall, 1 / 3);
  assert.equal(r.totals.warningPrecision, 1 / 3);
  assert.deepEqual(r.misses.map((m) => `${m.file}:${m.line} ${m.value}`), ['c/a.c:3 ZDIO001', 'c/a.c:4 o_direct_io', 'c/a.c:4 ZDIO004']);
  assert.deepEqual(r.falsePositives.map((f) => `${f.file}:${f.line} ${f.what}${f.forbidden ? ' forbidden' : ''}`),
    ['c/a.c:3 warning ZDIO003', 'go/b.go:2 warning ZDIO001 forbidden', 'go/b.go:3 site ficlone forbidden']);
  assert.deepEqual(r.unexpectedInformation.map((f) => `${f.file}:${f.line} ${f.what}`), ['c/a.c:4 information ZDIO012']);
  assert.deepEqual(r.violatedAbsences.map((v) => `${v.file}:${v.line} ${v.value}`), ['go/b.go:2 ZDIO001', 'go/b.go:3 ficlone']);
  assert.ok(r.met.includes('c/a.c | ZDIO002 | read(fd, b, 1);'), r.met.join('\n'));

  // A report in a file that is not a case is an error of the corpus, not a silent false positive.
  const stray = h.matchCorpus(corpus, { sites: [{ file: 'c/notes.c', line: 1, kind: 'ficlone', callee: 'ioctl' }], findings: [] });
  assert.deepEqual(stray.errors, ['c/notes.c:1: reported in a file without zdio-category']);
});

test('the baseline comparison names fallen figures, lost expectations and edited cases', async () => {
  const h = await harness;
  const result = {
    totals: { siteRecall: 0.5, sitePrecision: 1, findingRecall: 0.25, warningPrecision: null },
    met: ['c/a.c | ZDIO002 | read(fd, b, 1);'],
    expectationKeys: ['c/a.c | ZDIO002 | read(fd, b, 1);', 'c/a.c | ZDIO001 | read(fd, b, 1);'],
  } as unknown as Result;
  const cmp = h.compareWithBaseline(result, {
    totals: { siteRecall: 0.5, sitePrecision: 1, findingRecall: 0.3, warningPrecision: 0.9 },
    met: ['c/a.c | ZDIO002 | read(fd, b, 1);', 'c/a.c | ZDIO001 | read(fd, b, 1);', 'c/a.c | ZDIO004 | gone();'],
  });
  assert.deepEqual(cmp.fallen, [{ figure: 'findingRecall', was: 0.3, now: 0.25 }]);
  assert.deepEqual(cmp.missed, ['c/a.c | ZDIO001 | read(fd, b, 1);']);
  assert.deepEqual(cmp.gone, ['c/a.c | ZDIO004 | gone();']);
  assert.equal(cmp.corpusChanged, false, 'a baseline without a digest cannot tell');
  assert.equal(h.compareWithBaseline(result, { totals: {}, met: [], corpus: { expectations: 2, digest: '0000000000000000' } }).corpusChanged, true);
});
