// The flat, 1-based view of a scan that all three output formats print. Inside the program
// positions are 0-based with UTF-16 columns; these formats promise 1-based lines and columns.
import path from 'node:path';
import type { ScanResult } from '../../core/analysis/scan';
import type { Fix, Language, Range, RuleId, Severity, SiteKind, UnknownInput } from '../../core/types';

export interface SiteRecord {
  file: string; line: number; column: number; endLine: number; endColumn: number;
  language: Language; kind: SiteKind; callee: string;
  /** What the rules could not check at a quiet site, and why. */
  unknowns?: UnknownInput[];
}

export interface FindingRecord {
  file: string; line: number; column: number; endLine: number; endColumn: number;
  ruleId: RuleId; severity: Severity; message: string; language: Language; kind: SiteKind; callee: string;
  derived: Record<string, number | string | boolean>;
  fixes: FixRecord[];
  /** Why no automatic fix is offered, and what to change by hand (Finding.manualFix). */
  manualFix?: string;
  /** The longer explanation behind the one-line message (Finding.detail). */
  detail?: string;
  /** Other places in the same file that explain the finding (the calls and the I/O of a value passed down). */
  /** `file`: a place in another file than the finding's (as the scan names files); absent: the finding's own file. */
  related?: { line: number; column: number; endLine: number; endColumn: number; message: string; file?: string }[];
}

/** A quick fix as the formats print it: its edits in the finding's own 1-based, end-exclusive coordinates. */
export interface FixRecord {
  title: string;
  isPreferred: boolean;
  edits: { line: number; column: number; endLine: number; endColumn: number; newText: string }[];
}

const byPosition = (a: { line: number; column: number }, b: { line: number; column: number }) =>
  a.line - b.line || a.column - b.column;

function oneBased(range: Range) {
  // End columns stay exclusive (the column after the last character), as in SARIF regions.
  return { line: range.start.line + 1, column: range.start.column + 1, endLine: range.end.line + 1, endColumn: range.end.column + 1 };
}

/** A related place's file, written like the scan writes the finding's file (absolute, or relative to the working directory). */
function sameForm(absolute: string, findingFile: string): string {
  return path.isAbsolute(findingFile) ? absolute : path.relative(process.cwd(), absolute);
}

export function flatten(result: ScanResult): { sites: SiteRecord[]; findings: FindingRecord[] } {
  const sites: SiteRecord[] = [];
  const findings: FindingRecord[] = [];
  for (const f of result.files) {
    const fileSites = f.sites.map((s) => ({ file: f.file, ...oneBased(s.range), language: s.language, kind: s.kind, callee: s.callee,
      ...(s.unknowns ? { unknowns: s.unknowns } : {}) }));
    const fileFindings = f.findings.map((x) => ({ file: f.file, ...oneBased(x.range), ruleId: x.ruleId, severity: x.severity,
      message: x.message, language: x.site.language, kind: x.site.kind, callee: x.site.callee, derived: x.derived,
      fixes: x.fixes.map(fixRecord), ...(x.manualFix ? { manualFix: x.manualFix } : {}), ...(x.detail ? { detail: x.detail } : {}),
      ...(x.related?.length ? { related: x.related.map((r) => ({ ...oneBased(r.range), message: r.message, ...(r.file ? { file: sameForm(r.file, f.file) } : {}) })) } : {}) }));
    // One push per record: spreading a file's records into push() passes each as an argument, and a
    // file with 140,000 calls overflowed the stack.
    for (const s of fileSites.sort(byPosition)) sites.push(s);
    for (const x of fileFindings.sort((a, b) => byPosition(a, b) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))) findings.push(x);
  }
  return { sites, findings };
}

export function fixRecord(fix: Fix): FixRecord {
  return { title: fix.title, isPreferred: fix.isPreferred ?? false, edits: fix.edits.map((e) => ({ ...oneBased(e.range), newText: e.newText })) };
}

/** Warnings decide the exit code: severity error or warning. */
export function isWarning(severity: Severity): boolean { return severity === 'error' || severity === 'warning'; }
