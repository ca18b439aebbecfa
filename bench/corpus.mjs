#!/usr/bin/env node
// Real-code corpus harness: `npm run corpus` (builds, then runs this).
// Scans test/corpus/ with the built CLI (`dist/cli.js scan --format json`), matches the reported sites and
// findings to the `zdio-expect…` annotations in the case files (file + line + rule or site kind; the format is
// in test/corpus/README.md) and prints, per category and in total: site recall, site precision, finding
// recall and warning precision, then every miss and every false positive.
//
//   node bench/corpus.mjs [--json] [--write-baseline [--accept-regression]]
//
//   --json                 print the figures, misses and false positives as JSON instead of the table
//   --write-baseline       record today's figures and met expectations in test/corpus/baseline.json (the
//                          ratchet that `npm test` checks); refused when a figure fell or a met expectation is
//                          now missed, unless --accept-regression is given as well
//
// The functions are exported so that the ratchet test (test/unit/corpus.test.ts) measures the same way.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = path.join(ROOT, 'test/corpus');
export const BASELINE_FILE = path.join(CORPUS_DIR, 'baseline.json');
const CLI = path.join(ROOT, 'dist/cli.js');

/** The four kinds of call site the product reports (SiteKind in src/core/types.ts). */
export const SITE_KINDS = ['copy_file_range', 'ficlone', 'o_direct_open', 'o_direct_io'];
/** Files of the corpus directory that are not cases. */
const NOT_CASES = new Set(['README.md', 'baseline.json']);
/** The settings every measurement uses, so that the figures do not depend on the machine's datasets. */
const SCAN_SETTINGS = ['--page-size', '4096', '--recordsize', '131072'];
/** The figures the ratchet compares, in the order they are printed. */
export const FIGURES = ['siteRecall', 'sitePrecision', 'findingRecall', 'warningPrecision'];

/** Rule ids, from the one place that lists them for users (the per-rule severity setting). */
function knownRuleIds() {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const settings = Object.assign({}, ...pkg.contributes.configuration.map((category) => category.properties));
  return new Set(Object.keys(settings['zfsDio.severity'].properties));
}

/** Errors, as warnings, decide the exit code of `zfs-dio scan` too (isWarning in src/cli/formats/model.ts). */
const isWarning = (severity) => severity === 'error' || severity === 'warning';

// ---------------------------------------------------------------------------------------------
// Reading the annotations

const MARKER = /zdio-(expect-site|expect-none|expect|category):/g;

/** The code on an annotated line without the comment that holds the annotation (names the case in messages). */
function codeOf(lineText) {
  const at = lineText.search(/zdio-(expect|category)/);
  let code = at < 0 ? lineText : lineText.slice(0, at);
  code = code.replace(/\s*(\/\/|\/\*|#)\s*$/, '');
  return code.replace(/\s+/g, ' ').trim();
}

/**
 * Reads one case file's annotations.
 * @returns {{ file: string, category?: string, expectations: object[], errors: string[] }}
 */
export function parseCase(file, text, ruleIds = knownRuleIds()) {
  const errors = [];
  const expectations = [];
  let category;
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, index) => {
    const line = index + 1;
    const where = `${file}:${line}`;
    const markers = [...lineText.matchAll(MARKER)];
    const seen = new Set();
    markers.forEach((m, i) => {
      const end = i + 1 < markers.length ? markers[i + 1].index : lineText.length;
      let body = lineText.slice(m.index + m[0].length, end);
      const close = body.indexOf('*/');
      if (close >= 0) body = body.slice(0, close);
      const tokens = body.split(/[\s,]+/).filter(Boolean);
      const marker = m[1];
      if (!tokens.length) { errors.push(`${where}: zdio-${marker}: names nothing`); return; }
      if (marker === 'category') {
        if (tokens.length !== 1 || !/^[a-z][a-z-]*$/.test(tokens[0])) errors.push(`${where}: zdio-category: takes one lower-case name, got "${tokens.join(' ')}"`);
        else if (category !== undefined) errors.push(`${where}: a second zdio-category (the file already is "${category}")`);
        else category = tokens[0];
        return;
      }
      for (const token of tokens) {
        const isRule = ruleIds.has(token);
        const isKind = SITE_KINDS.includes(token);
        let type;
        if (marker === 'expect') type = isRule ? 'finding' : undefined;
        else if (marker === 'expect-site') type = isKind ? 'site' : undefined;
        else type = isRule || isKind ? 'none' : undefined;
        if (!type) {
          const wanted = marker === 'expect' ? 'a rule id' : marker === 'expect-site' ? `a site kind (${SITE_KINDS.join(', ')})` : 'a rule id or a site kind';
          errors.push(`${where}: zdio-${marker}: "${token}" is not ${wanted}`);
          continue;
        }
        const id = `${type}:${token}`;
        if (seen.has(id)) { errors.push(`${where}: ${token} is listed twice on one line`); continue; }
        seen.add(id);
        expectations.push({ file, line, type, value: token, code: codeOf(lineText) });
      }
    });
    for (const e of expectations.filter((x) => x.line === line && x.type === 'none')) {
      if (seen.has(`finding:${e.value}`) || seen.has(`site:${e.value}`)) errors.push(`${where}: ${e.value} is both expected and forbidden`);
    }
  });
  if (category === undefined && expectations.length) errors.push(`${file}: has expectations but no zdio-category`);
  return { file, category, expectations, errors };
}

function walk(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/** The language of a case: the first path segment up to a `-` (`c/…`, `go-reflink/…` → c, go). */
export function languageOf(file) { return file.split('/')[0].split('-')[0]; }

/** Every case file under `corpusDir` with its annotations. Files without a zdio-category are not cases. */
export function readCorpus(corpusDir = CORPUS_DIR) {
  const ruleIds = knownRuleIds();
  const cases = [];
  const errors = [];
  const others = [];
  for (const file of walk(corpusDir)) {
    if (NOT_CASES.has(file)) continue;
    const parsed = parseCase(file, readFileSync(path.join(corpusDir, file), 'utf8'), ruleIds);
    errors.push(...parsed.errors);
    if (parsed.category !== undefined) cases.push(parsed);
    else others.push(file);
  }
  return { cases, others, errors };
}

// ---------------------------------------------------------------------------------------------
// Scanning

/** Runs the built CLI over the corpus and returns its JSON (sites and findings, 1-based lines). */
export function scanCorpus(corpusDir = CORPUS_DIR) {
  if (!existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} is missing: run \`node scripts/build.mjs\` first (npm run corpus does)`);
  const run = spawnSync(process.execPath, [CLI, 'scan', corpusDir, '--format', 'json', ...SCAN_SETTINGS],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // Exit code 1 only says that warnings were found, which the corpus is full of.
  if (run.status !== 0 && run.status !== 1) throw new Error(`zfs-dio scan exited with ${run.status ?? run.signal}: ${run.stderr}`);
  const doc = JSON.parse(run.stdout);
  const relative = (file) => path.relative(corpusDir, path.resolve(ROOT, file)).split(path.sep).join('/');
  return {
    sites: doc.sites.map((s) => ({ file: relative(s.file), line: s.line, kind: s.kind, callee: s.callee })),
    findings: doc.findings.map((f) => ({ file: relative(f.file), line: f.line, ruleId: f.ruleId, severity: f.severity, message: f.message })),
    skipped: doc.skipped.map((s) => ({ file: relative(s.file), reason: s.reason })),
  };
}

// ---------------------------------------------------------------------------------------------
// Matching

const ratio = (num, den) => (den === 0 ? null : num / den);

function emptyTally() {
  return { files: 0, expectedSites: 0, metSites: 0, reportedSites: 0, matchedSites: 0,
    expectedFindings: 0, metFindings: 0, reportedWarnings: 0, matchedWarnings: 0, expectedAbsences: 0, heldAbsences: 0 };
}

function withFigures(t) {
  return { ...t,
    siteRecall: ratio(t.metSites, t.expectedSites), sitePrecision: ratio(t.matchedSites, t.reportedSites),
    findingRecall: ratio(t.metFindings, t.expectedFindings), warningPrecision: ratio(t.matchedWarnings, t.reportedWarnings) };
}

/** A name for an expectation that survives edits elsewhere in its file: file, what, and the code on its line. */
function expectationKeys(expectations) {
  const counts = new Map();
  return expectations.map((e) => {
    const what = e.type === 'site' ? `site ${e.value}` : e.type === 'none' ? `not ${e.value}` : e.value;
    const base = `${e.file} | ${what} | ${e.code}`;
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    return n === 1 ? base : `${base} #${n}`;
  });
}

/**
 * Matches a scan to the corpus annotations. Several reports of the same rule (or site kind) on one line
 * count once, as does an expectation listed once; a report matches when its file, line and rule (or kind)
 * equal an expectation's.
 */
export function matchCorpus(corpus, scan) {
  const categoryOf = new Map(corpus.cases.map((c) => [c.file, c.category]));
  const expectations = corpus.cases.flatMap((c) => c.expectations);
  const keys = expectationKeys(expectations);
  const errors = [];
  const at = (file, line) => `${file}:${line}`;
  const expectedAt = new Map();
  for (const e of expectations) {
    const k = at(e.file, e.line);
    if (!expectedAt.has(k)) expectedAt.set(k, { site: new Set(), finding: new Set(), none: new Set() });
    expectedAt.get(k)[e.type].add(e.value);
  }

  // One report per file, line and kind/rule; a finding counts as a warning when any of its copies is one.
  const sites = new Map();
  for (const s of scan.sites) {
    if (!SITE_KINDS.includes(s.kind)) errors.push(`the scan reported an unknown site kind "${s.kind}" (add it to SITE_KINDS)`);
    const k = `${at(s.file, s.line)}|${s.kind}`;
    if (!sites.has(k)) sites.set(k, s);
  }
  const findings = new Map();
  for (const f of scan.findings) {
    const k = `${at(f.file, f.line)}|${f.ruleId}`;
    const prev = findings.get(k);
    if (!prev || (isWarning(f.severity) && !isWarning(prev.severity))) findings.set(k, f);
  }
  for (const r of [...sites.values(), ...findings.values()]) {
    if (!categoryOf.has(r.file)) errors.push(`${r.file}:${r.line}: reported in a file without zdio-category`);
  }

  const tallies = new Map();
  const tally = (category) => {
    if (!tallies.has(category)) tallies.set(category, emptyTally());
    return tallies.get(category);
  };
  for (const c of corpus.cases) tally(c.category).files++;

  const met = [];
  const misses = [];
  const violated = [];
  expectations.forEach((e, i) => {
    const t = tally(e.category ?? categoryOf.get(e.file));
    const siteThere = (kind) => sites.has(`${at(e.file, e.line)}|${kind}`);
    const findingThere = (rule) => findings.has(`${at(e.file, e.line)}|${rule}`);
    if (e.type === 'site') {
      t.expectedSites++;
      if (siteThere(e.value)) { t.metSites++; met.push(keys[i]); } else misses.push({ ...e, key: keys[i] });
    } else if (e.type === 'finding') {
      t.expectedFindings++;
      if (findingThere(e.value)) { t.metFindings++; met.push(keys[i]); } else misses.push({ ...e, key: keys[i] });
    } else {
      t.expectedAbsences++;
      const broken = SITE_KINDS.includes(e.value) ? siteThere(e.value) : findingThere(e.value);
      if (broken) violated.push({ ...e, key: keys[i] }); else { t.heldAbsences++; met.push(keys[i]); }
    }
  });

  const falsePositives = [];
  const unexpectedInformation = [];
  for (const s of sites.values()) {
    const t = tally(categoryOf.get(s.file) ?? '(none)');
    t.reportedSites++;
    const exp = expectedAt.get(at(s.file, s.line));
    if (exp?.site.has(s.kind)) t.matchedSites++;
    else falsePositives.push({ file: s.file, line: s.line, what: `site ${s.kind}`, detail: s.callee, forbidden: !!exp?.none.has(s.kind) });
  }
  for (const f of findings.values()) {
    const exp = expectedAt.get(at(f.file, f.line));
    const expected = !!exp?.finding.has(f.ruleId);
    if (!isWarning(f.severity)) {
      if (!expected) unexpectedInformation.push({ file: f.file, line: f.line, what: `${f.severity} ${f.ruleId}`, detail: f.message, forbidden: !!exp?.none.has(f.ruleId) });
      continue;
    }
    const t = tally(categoryOf.get(f.file) ?? '(none)');
    t.reportedWarnings++;
    if (expected) t.matchedWarnings++;
    else falsePositives.push({ file: f.file, line: f.line, what: `${f.severity} ${f.ruleId}`, detail: f.message, forbidden: !!exp?.none.has(f.ruleId) });
  }

  const total = emptyTally();
  for (const t of tallies.values()) for (const k of Object.keys(total)) total[k] += t[k];
  const byPosition = (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
  const languages = {};
  for (const c of corpus.cases) {
    const l = (languages[languageOf(c.file)] ??= { files: 0, expectedSites: 0, expectedFindings: 0 });
    l.files++;
    l.expectedSites += c.expectations.filter((e) => e.type === 'site').length;
    l.expectedFindings += c.expectations.filter((e) => e.type === 'finding').length;
  }
  return {
    totals: withFigures(total),
    categories: Object.fromEntries([...tallies.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, withFigures(v)])),
    languages,
    met: met.sort(),
    expectationKeys: keys,
    misses: misses.sort(byPosition),
    violatedAbsences: violated.sort(byPosition),
    falsePositives: falsePositives.sort(byPosition),
    unexpectedInformation: unexpectedInformation.sort(byPosition),
    errors,
  };
}

/** Reads, scans and matches: the whole measurement. Throws on a malformed corpus. */
export function measureCorpus(corpusDir = CORPUS_DIR) {
  const corpus = readCorpus(corpusDir);
  if (corpus.errors.length) throw new Error(`the corpus annotations have errors:\n  ${corpus.errors.join('\n  ')}`);
  const scan = scanCorpus(corpusDir);
  const result = matchCorpus(corpus, scan);
  if (result.errors.length) throw new Error(`the corpus cannot be measured:\n  ${result.errors.join('\n  ')}`);
  result.skipped = scan.skipped;
  return result;
}

// ---------------------------------------------------------------------------------------------
// The ratchet

/** Names the set of expectations, so that a baseline can tell a changed corpus from a changed analyzer. */
function corpusDigest(result) {
  return createHash('sha256').update([...result.expectationKeys].sort().join('\n')).digest('hex').slice(0, 16);
}

/** What the baseline file records: the four figures with their counts, and every met expectation. */
export function baselineOf(result) {
  const t = result.totals;
  return {
    note: 'Written by `node bench/corpus.mjs --write-baseline`; `npm test` fails when a figure falls below these or a listed expectation stops being met.',
    corpus: { expectations: result.expectationKeys.length, digest: corpusDigest(result) },
    totals: Object.fromEntries(FIGURES.map((f) => [f, t[f] === null ? null : Math.round(t[f] * 10000) / 10000])),
    counts: { expectedSites: t.expectedSites, metSites: t.metSites, reportedSites: t.reportedSites, matchedSites: t.matchedSites,
      expectedFindings: t.expectedFindings, metFindings: t.metFindings, reportedWarnings: t.reportedWarnings,
      matchedWarnings: t.matchedWarnings, expectedAbsences: t.expectedAbsences, heldAbsences: t.heldAbsences },
    met: result.met,
  };
}

/**
 * Compares a measurement with a recorded baseline.
 * `fallen`: figures below the baseline; `missed`: expectations met then, not now; `gone`: expectations met
 * then that the corpus no longer has (a case was edited: rewrite the baseline); `corpusChanged`: the
 * expectations are not the ones the baseline was measured on, so its figures are not comparable.
 */
export function compareWithBaseline(result, baseline) {
  const fallen = [];
  for (const f of FIGURES) {
    const was = baseline.totals?.[f];
    const now = result.totals[f];
    // Figures are stored rounded to four places; compare at that precision.
    if (typeof was === 'number' && typeof now === 'number' && Math.round(now * 10000) / 10000 < was) fallen.push({ figure: f, was, now });
  }
  const metNow = new Set(result.met);
  const known = new Set(result.expectationKeys);
  const missed = [];
  const gone = [];
  for (const key of baseline.met ?? []) {
    if (metNow.has(key)) continue;
    (known.has(key) ? missed : gone).push(key);
  }
  const corpusChanged = baseline.corpus?.digest !== undefined && baseline.corpus.digest !== corpusDigest(result);
  return { fallen, missed, gone, corpusChanged };
}

export function readBaseline(file = BASELINE_FILE) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Printing

const pct = (x) => (x === null ? '   –' : x.toFixed(2));
const frac = (x, n, d) => `${pct(x)} (${n}/${d})`.padEnd(16);

export function formatReport(result) {
  const out = [];
  const t = result.totals;
  out.push(`Real-code corpus: ${t.files} case files, ${t.expectedSites} expected sites, ${t.expectedFindings} expected findings, ${t.expectedAbsences} expected absences`);
  out.push('  by language: ' + Object.entries(result.languages).map(([l, v]) => `${l} ${v.files} files/${v.expectedSites} sites/${v.expectedFindings} findings`).join(', '));
  out.push('');
  const head = ['category'.padEnd(20), 'files', 'site recall     ', 'site precision  ', 'finding recall  ', 'warning precision', 'absences held'];
  out.push(head.join('  '));
  const row = (name, c) => [name.padEnd(20), String(c.files).padStart(5), frac(c.siteRecall, c.metSites, c.expectedSites),
    frac(c.sitePrecision, c.matchedSites, c.reportedSites), frac(c.findingRecall, c.metFindings, c.expectedFindings),
    frac(c.warningPrecision, c.matchedWarnings, c.reportedWarnings).padEnd(17), `${c.heldAbsences}/${c.expectedAbsences}`].join('  ');
  for (const [name, c] of Object.entries(result.categories)) out.push(row(name, c));
  out.push(row('total', t));
  const list = (title, items, show) => {
    out.push('', `${title} (${items.length}):`);
    for (const item of items) out.push('  ' + show(item));
  };
  list('Misses: expected, not reported', result.misses, (m) => `${m.file}:${m.line}  ${m.type === 'site' ? 'site ' : ''}${m.value}  ${m.code}`);
  list('False positives: reported, not expected', result.falsePositives,
    (f) => `${f.file}:${f.line}  ${f.what}${f.forbidden ? ' [zdio-expect-none]' : ''}  ${f.detail}`);
  list('Forbidden reports (zdio-expect-none broken)', result.violatedAbsences, (v) => `${v.file}:${v.line}  ${v.value}  ${v.code}`);
  list('Information findings nobody expected (not counted in warning precision)', result.unexpectedInformation,
    (f) => `${f.file}:${f.line}  ${f.what}${f.forbidden ? ' [zdio-expect-none]' : ''}  ${f.detail}`);
  if (result.skipped?.length) list('Skipped by the scanner', result.skipped, (s) => `${s.file}: ${s.reason}`);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Command line

function main(argv) {
  const opts = { json: false, writeBaseline: false, acceptRegression: false };
  for (const a of argv) {
    if (a === '--json') opts.json = true;
    else if (a === '--write-baseline') opts.writeBaseline = true;
    else if (a === '--accept-regression') opts.acceptRegression = true;
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 14).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      return 0;
    } else { console.error(`corpus: unknown argument ${a} (see --help)`); return 2; }
  }
  if (opts.acceptRegression && !opts.writeBaseline) { console.error('corpus: --accept-regression only goes with --write-baseline'); return 2; }
  let result;
  try { result = measureCorpus(); } catch (e) { console.error(`corpus: ${e instanceof Error ? e.message : String(e)}`); return 1; }
  if (opts.json) {
    const { expectationKeys: _keys, ...figures } = result;
    process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
  } else process.stdout.write(formatReport(result));
  if (opts.writeBaseline) {
    const previous = readBaseline();
    if (previous) {
      const { fallen, missed, corpusChanged } = compareWithBaseline(result, previous);
      // A changed corpus moves the figures by itself; what it must not do is lose a met expectation.
      const worse = corpusChanged ? [] : fallen;
      if ((worse.length || missed.length) && !opts.acceptRegression) {
        console.error('corpus: not writing the baseline, the analyzer got worse on the corpus:');
        for (const f of worse) console.error(`  ${f.figure} fell from ${f.was} to ${f.now.toFixed(4)}`);
        for (const k of missed) console.error(`  no longer met: ${k}`);
        console.error('corpus: fix the regression, or give --accept-regression if it is intended');
        return 1;
      }
      if (corpusChanged) for (const f of fallen) console.error(`corpus: the corpus changed; ${f.figure} goes from ${f.was} to ${f.now.toFixed(4)}`);
    }
    writeFileSync(BASELINE_FILE, JSON.stringify(baselineOf(result), null, 2) + '\n');
    console.error(`corpus: wrote ${path.relative(ROOT, BASELINE_FILE)}`);
  }
  return 0;
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) process.exitCode = main(process.argv.slice(2));
