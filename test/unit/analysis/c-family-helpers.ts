// Shared helpers for the C/C++ analysis tests: real fixture files, real parses.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { EXTRACTORS } from '../../../src/core/analysis/languages/index';
import { parse } from '../../../src/core/analysis/parse';
import { DEFAULT_SETTINGS, type AnalysisResult, type AnalysisSettings, type Finding, type Language, type SiteFacts } from '../../../src/core/types';

export function fixturePath(rel: string): string {
  return path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures', rel);
}

export function readFixture(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

/** 0-based line of the `// @tag` marker in a fixture. */
export function tagLine(text: string, tag: string): number {
  const lines = text.split('\n');
  const re = new RegExp(`@${tag.replace(/[-]/g, '\\-')}(?![\\w-])`);
  const hits = lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  assert.equal(hits.length, 1, `tag @${tag} must appear exactly once`);
  return hits[0]!;
}

export async function analyzeFixture(rel: string, settings: AnalysisSettings = DEFAULT_SETTINGS): Promise<{ text: string; result: AnalysisResult }> {
  const text = readFixture(rel);
  const language: Language = rel.endsWith('.c') || rel.endsWith('.h') ? 'c' : 'cpp';
  return { text, result: await analyzeText(text, language, settings, { fileName: rel }) };
}

/** `ZDIO010@repro` strings for the findings, using the tag on each finding's line. */
export function findingKeys(text: string, findings: Finding[]): string[] {
  const lines = text.split('\n');
  return findings.map((f) => {
    const tag = /@([\w-]+)/.exec(lines[f.range.start.line] ?? '')?.[1] ?? `line${f.range.start.line + 1}`;
    return `${f.ruleId}@${tag}`;
  }).sort();
}

export function siteKeys(text: string, result: AnalysisResult): string[] {
  const lines = text.split('\n');
  return result.sites.map((s) => {
    const tag = /@([\w-]+)/.exec(lines[s.range.start.line] ?? '')?.[1] ?? `line${s.range.start.line + 1}`;
    return `${s.kind}@${tag}`;
  }).sort();
}

export function findingAt(text: string, result: AnalysisResult, ruleId: string, tag: string): Finding {
  const line = tagLine(text, tag);
  const f = result.findings.find((x) => x.ruleId === ruleId && x.range.start.line === line);
  assert.ok(f, `expected ${ruleId} at @${tag} (line ${line + 1}); got ${findingKeys(text, result.findings).join(', ')}`);
  return f;
}

/** Extracts the facts of a C or C++ snippet (real parse, real extractor). */
export async function factsOf(code: string, language: Language = 'c'): Promise<SiteFacts[]> {
  const tree = await parse(language, code);
  try {
    return EXTRACTORS[language].extract(tree.rootNode, code).facts;
  } finally {
    tree.delete();
  }
}
