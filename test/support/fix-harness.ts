// Applies every quick fix the analyzer offers on a text, one fix at a time, re-analyses the result and says
// what went wrong: the finding must be gone, no finding may appear that was not there before, no call site
// may be lost, the fixed text must parse as well as the original did, and a suppression comment must change
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

/** A finding's identity across a fix: its rule and which call site (by order) it is on. Fixes never add or remove sites. */
function keyOf(result: AnalysisResult, f: Finding): string {
  return `${f.ruleId}@site${result.sites.indexOf(f.site)}`;
}

function counts(result: AnalysisResult): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of result.findings) m.set(keyOf(result, f), (m.get(keyOf(result, f)) ?? 0) + 1);
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
  const beforeCounts = counts(before);
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
      const siteShape = (r: AnalysisResult) => r.sites.map((s) => `${s.kind}:${s.callee}`).join(',');
      if (siteShape(after) !== siteShape(before)) {
        problems.push(`call sites changed: ${siteShape(before)} became ${siteShape(after)}`);
        continue;
      }
      const key = keyOf(before, finding);
      const afterCounts = counts(after);
      if ((afterCounts.get(key) ?? 0) >= (beforeCounts.get(key) ?? 0)) problems.push(`${finding.ruleId} is still reported at that call`);
      for (const [k, n] of afterCounts) {
        if (n > (beforeCounts.get(k) ?? 0)) problems.push(`a new finding appeared: ${k} (${after.findings.filter((f) => keyOf(after, f) === k).map((f) => f.message).join(' | ')})`);
      }
      if (check.suppression) {
        // Nothing else changes: every other finding keeps its rule, call and message. A comment covers its
        // rule on the line below, so findings of the same rule starting on that line go with it.
        const line = finding.range.start.line;
        const covered = (f: Finding) => f.ruleId === finding.ruleId && (f.range.start.line === line || f.site.range.start.line === line);
        const kept = new Set(after.findings.map((f) => `${keyOf(after, f)}|${f.message}`));
        for (const f of before.findings) {
          if (!covered(f) && !kept.has(`${keyOf(before, f)}|${f.message}`)) problems.push(`the suppression changed another finding: ${f.ruleId} ${f.message}`);
        }
      }
    }
  }
  return checks;
}
