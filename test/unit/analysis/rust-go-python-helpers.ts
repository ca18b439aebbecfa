// Shared helpers for the Rust, Go and Python extractor tests. Fixtures carry their expectations on
// the line they are about, in a trailing comment:
//
//   f.read_at(&mut buf, 1)?;   // => o_direct_io f.read_at | ZDIO001 ZDIO003
//
// Before `|`: the sites on that line (`kind callee`, comma-separated). After `|`: the rule ids reported
// on that line. A line without `=>` must have no site and no finding, which is how the must-not-report
// cases (comments, strings, definitions, lookalikes) are checked.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { EXTRACTORS } from '../../../src/core/analysis/languages/index';
import { parse } from '../../../src/core/analysis/parse';
import { DEFAULT_SETTINGS, type AnalysisResult, type Language, type SiteFacts } from '../../../src/core/types';

export function readFixture(rel: string): string {
  return readFileSync(path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures', rel), 'utf8');
}

export interface Expectations { sites: string[]; findings: string[] }

const MARKER = /(?:\/\/|#)\s*=>\s*(.*)$/;

/** Expected `line kind callee` and `line ZDIOxxx` keys (1-based lines) from the `=>` comments. */
export function expectationsOf(text: string): Expectations {
  const sites: string[] = [];
  const findings: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = MARKER.exec(line);
    if (!m) return;
    const [sitePart, rulePart = ''] = m[1]!.split('|');
    for (const s of sitePart!.split(',').map((x) => x.trim()).filter(Boolean)) {
      const [kind, callee] = s.split(/\s+/);
      sites.push(`${i + 1} ${kind} ${callee}`);
    }
    for (const r of rulePart.trim().split(/\s+/).filter(Boolean)) findings.push(`${i + 1} ${r}`);
  });
  return { sites: sites.sort(), findings: findings.sort() };
}

/** The facts of the file's sites as the file shows them (facts with a path, `via`, are a site as a table row or a loop's first pass sees it). */
export async function extractFacts(language: Language, text: string): Promise<SiteFacts[]> {
  const tree = await parse(language, text);
  try {
    return EXTRACTORS[language].extract(tree.rootNode, text).facts.filter((f) => !f.via);
  } finally {
    tree.delete();
  }
}

export const siteKeys = (facts: SiteFacts[]): string[] =>
  facts.map((f) => `${f.site.range.start.line + 1} ${f.site.kind} ${f.site.callee}`).sort();

export const findingKeys = (result: AnalysisResult): string[] =>
  result.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`).sort();

/** Runs one annotated fixture through the extractor and the whole pipeline and compares both with the comments. */
export async function checkFixture(language: Language, rel: string): Promise<{ text: string; facts: SiteFacts[]; result: AnalysisResult }> {
  const text = readFixture(rel);
  const expected = expectationsOf(text);
  assert.ok(expected.sites.length > 0, `${rel} has annotations`);
  const facts = await extractFacts(language, text);
  assert.deepEqual(siteKeys(facts), expected.sites, `${rel}: sites`);
  const result = await analyzeText(text, language, DEFAULT_SETTINGS, { fileName: rel });
  assert.equal(result.analysisError, undefined);
  assert.deepEqual(findingKeys(result), expected.findings, `${rel}: findings`);
  return { text, facts, result };
}

/** The facts of the one site on the line that contains `marker` (a unique substring of that line). */
export function factsAt(text: string, facts: SiteFacts[], marker: string, kind?: string): SiteFacts {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(marker) ? [i] : []));
  assert.equal(hits.length, 1, `marker ${JSON.stringify(marker)} must be on exactly one line`);
  const found = facts.filter((f) => f.site.range.start.line === hits[0] && (!kind || f.site.kind === kind));
  assert.equal(found.length, 1, `exactly one ${kind ?? ''} site on the line of ${JSON.stringify(marker)}`);
  return found[0]!;
}

/** A DerivedNumber's value, or 'unknown'. */
export function valueOf(d: { known: boolean; value?: number } | undefined): number | 'unknown' | 'absent' {
  if (!d) return 'absent';
  return d.known ? d.value! : 'unknown';
}

export { DEFAULT_SETTINGS };
