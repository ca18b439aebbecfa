// Applies every quick fix the analyzer offers on a text, one fix at a time, re-analyses the result and says
// what went wrong: the finding must be gone, no finding may appear that was not there before, no call site
// may be lost (code the fix adds may hold calls of its own), the fixed text must parse as well as
// the original did, and a suppression comment must change
// nothing but the finding it suppresses. Compiling the fixed texts is test/samples/run.sh's part.
import { analyzeText } from '../../src/core/analysis/analyze';
import { applyEdits } from '../../src/core/analysis/fixes';
import { LineIndex } from '../../src/core/analysis/languages/common';
import { DEFAULT_SETTINGS, type AnalysisResult, type AnalysisSettings, type Finding, type Fix, type Language } from '../../src/core/types';

export interface FixCheck {
  ruleId: string;
  /** 1-based line of the finding in the original text. */
  line: number;
  title: string;
  suppression: boolean;
  fixedText: string;
  /** Empty when the fix did what it promised. */
  problems: string[];
}

const isSuppression = (fix: Fix): boolean => /^Suppress ZDIO\d{3} here/.test(fix.title);

/**
 * Where each call site of the original text is after a fix: positions after an edit move by what it
 * inserted; a site that starts inside replaced text is not followed. A fix keeps every call; code it adds may
 * hold calls of its own (ZDIO012's helper holds a copy_file_range).
 */
interface SiteMap {
  /** After-site index → before-site index, or undefined for a site the fix added. */
  origin: (number | undefined)[];
  /** Offsets in the fixed text of the inserted texts, [start, end). */
  inserted: [number, number][];
}

function mapSites(text: string, fixedText: string, fix: Fix, before: AnalysisResult, after: AnalysisResult): SiteMap {
  const lines = new LineIndex(text);
  const fixedLines = new LineIndex(fixedText);
  const edits = fix.edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), length: e.newText.length }))
    .sort((a, b) => a.start - b.start);
  const inserted: [number, number][] = [];
  let shift = 0;
  for (const e of edits) {
    inserted.push([e.start + shift, e.start + shift + e.length]);
    shift += e.length - (e.end - e.start);
  }
  const mapped = (offset: number): number | undefined => {
    let delta = 0;
    for (const e of edits) {
      if (offset < e.start) break;
      // A call whose name the edit replaces starts where its replacement starts.
      if (offset === e.start && e.end > e.start) return offset + delta;
      if (offset < e.end) return undefined;
      delta += e.length - (e.end - e.start);
    }
    return offset + delta;
  };
  const byOffset = new Map<string, number>();
  before.sites.forEach((s, i) => {
    const at = mapped(lines.offsetAt(s.range.start));
    if (at !== undefined) byOffset.set(`${s.kind}@${at}`, i);
  });
  return { origin: after.sites.map((s) => byOffset.get(`${s.kind}@${fixedLines.offsetAt(s.range.start)}`)), inserted };
}

/** A finding's identity across a fix: its rule and which call site of the original text it is on. */
type FindingKey = (f: Finding) => string;

function findingKey(result: AnalysisResult, siteId: (index: number) => string): FindingKey {
  return (f) => `${f.ruleId}@${siteId(result.sites.indexOf(f.site))}`;
}

function counts(result: AnalysisResult, key: FindingKey): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of result.findings) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
  return m;
}

function editProblems(text: string, fix: Fix): string[] {
  const lines = new LineIndex(text);
  const spans = fix.edits.map((e) => [lines.offsetAt(e.range.start), lines.offsetAt(e.range.end)] as const).sort((a, b) => a[0] - b[0]);
  const problems: string[] = [];
  for (const e of fix.edits) {
    if (e.range.start.line >= lines.lineCount || e.range.end.line >= lines.lineCount) problems.push(`an edit lies past the end of the text: ${JSON.stringify(e.range)}`);
  }
  for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![1]) problems.push('two edits overlap');
  if (!fix.edits.length) problems.push('a fix without edits');
  return problems;
}

/** Checks every fix of every finding in `text`. */
export async function checkAllFixes(text: string, language: Language, settings: AnalysisSettings = DEFAULT_SETTINGS): Promise<FixCheck[]> {
  const before = await analyzeText(text, language, settings);
  const keyBefore = findingKey(before, (i) => `site${i}`);
  const beforeCounts = counts(before, keyBefore);
  const checks: FixCheck[] = [];
  for (const finding of before.findings) {
    for (const fix of finding.fixes) {
      const problems = editProblems(text, fix);
      const fixedText = problems.length ? text : applyEdits(text, fix.edits);
      const check: FixCheck = { ruleId: finding.ruleId, line: finding.range.start.line + 1, title: fix.title, suppression: isSuppression(fix), fixedText, problems };
      checks.push(check);
      if (problems.length) continue;
      const after = await analyzeText(fixedText, language, settings);
      if (after.analysisError) problems.push(`re-analysis failed: ${after.analysisError}`);
      if (after.hadSyntaxErrors && !before.hadSyntaxErrors) problems.push('the fixed text has syntax errors');
      const { origin, inserted } = mapSites(text, fixedText, fix, before, after);
      const fixedLines = new LineIndex(fixedText);
      const insertedSites = after.sites.filter((s, i) => {
        const at = fixedLines.offsetAt(s.range.start);
        return origin[i] === undefined && inserted.some(([from, to]) => at >= from && at < to);
      });
      const siteProblems: string[] = [];
      before.sites.forEach((s, i) => {
        if (!origin.includes(i)) siteProblems.push(`the ${s.kind} call at line ${s.range.start.line + 1} was lost`);
      });
      after.sites.forEach((s, i) => {
        if (origin[i] === undefined && !insertedSites.includes(s)) siteProblems.push(`a ${s.kind} call appeared at line ${s.range.start.line + 1} outside the inserted code`);
      });
      if (siteProblems.length) {
        problems.push(`call sites changed: ${siteProblems.join('; ')}`);
        continue;
      }
      const key = keyBefore(finding);
      const keyAfter = findingKey(after, (i) => (origin[i] === undefined ? `added${i}` : `site${origin[i]}`));
      const afterCounts = counts(after, keyAfter);
      if ((afterCounts.get(key) ?? 0) >= (beforeCounts.get(key) ?? 0)) problems.push(`${finding.ruleId} is still reported at that call`);
      for (const [k, n] of afterCounts) {
        if (n > (beforeCounts.get(k) ?? 0)) problems.push(`a new finding appeared: ${k} (${after.findings.filter((f) => keyAfter(f) === k).map((f) => f.message).join(' | ')})`);
      }
      if (check.suppression) {
        // Nothing else changes: every other finding keeps its rule, call and message. A comment covers its
        // rule on the line below, so findings of the same rule starting on that line go with it.
        const line = finding.range.start.line;
        const covered = (f: Finding) => f.ruleId === finding.ruleId && (f.range.start.line === line || f.site.range.start.line === line);
        const kept = new Set(after.findings.map((f) => `${keyAfter(f)}|${f.message}`));
        for (const f of before.findings) {
          if (!covered(f) && !kept.has(`${keyBefore(f)}|${f.message}`)) problems.push(`the suppression changed another finding: ${f.ruleId} ${f.message}`);
        }
      }
    }
  }
  return checks;
}
