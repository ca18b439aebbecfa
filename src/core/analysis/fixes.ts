// Quick fixes, computed in core so the editor only converts them: round a constant up to the
// alignment, replace malloc with an aligned allocation (C/C++), insert a suppression comment.
import type { Fix, Finding, Language, Position, Range, SiteFacts } from '../types';
import { LineIndex } from './languages/common';
import type { RuleHit } from './rules';
import { parseIntegerLiteral, roundUp } from './values';

/** A constant expression made of literals only: safe to replace with its rounded value. */
const LITERAL_EXPR = /^[\s()0-9a-fA-FxXuUlLzZ'_+*\/%<>|&^~-]+$/;

export interface FixContext {
  text: string;
  lines: LineIndex;
  language: Language;
  pageSize: number;
  /** The file's line break for inserted lines; found once per file when absent (a scan of the text per finding was quadratic). */
  eol?: string;
}

function eolOf(ctx: FixContext): string {
  return (ctx.eol ??= ctx.text.includes('\r\n') ? '\r\n' : '\n');
}

/** Keeps a literal's base and suffix: `0x30000ULL` → `0x40000ULL`, `196608` → `262144`. */
export function formatLike(oldText: string, value: number): string {
  const t = oldText.trim();
  const m = /^(0[xX])?([0-9a-fA-F']+)([uUlLzZ]*)$/.exec(t);
  if (m && parseIntegerLiteral(t) !== undefined) {
    if (m[1]) return `${m[1]}${value.toString(16)}${m[3]}`;
    if (!/^0\d/.test(t)) return `${value}${m[3]}`;
  }
  return String(value);
}

function textAt(ctx: FixContext, r: Range): string {
  return ctx.text.slice(ctx.lines.offsetAt(r.start), ctx.lines.offsetAt(r.end));
}

function roundFixes(hit: RuleHit, facts: SiteFacts, ctx: FixContext): Fix[] {
  const fixes: Fix[] = [];
  for (const req of hit.rounds ?? []) {
    if (req.value <= 0) continue;
    const target = roundUp(req.value, req.multiple);
    const constant = req.constant ?? (req.range ? undefined : facts.constants[req.field]);
    if (constant) {
      fixes.push({
        title: `Round ${constant.name} up to ${target} (a multiple of ${req.multiple})`,
        edits: [{ range: constant.range, newText: formatLike(constant.valueText, target) }],
        isPreferred: fixes.length === 0,
      });
      continue;
    }
    const arg = req.range ?? facts.argRanges[req.field];
    if (!arg) continue;
    const old = textAt(ctx, arg);
    // Only a literal argument is replaced; `&off` or `len` must not become a number.
    if (!LITERAL_EXPR.test(old) || !/\d/.test(old)) continue;
    fixes.push({
      title: `Round ${old.trim()} up to ${target} (a multiple of ${req.multiple})`,
      edits: [{ range: arg, newText: formatLike(old, target) }],
      isPreferred: fixes.length === 0,
    });
  }
  return fixes;
}

function allocationFix(facts: SiteFacts, ctx: FixContext): Fix | undefined {
  const b = facts.buffer;
  if (!b?.allocationRange || (ctx.language !== 'c' && ctx.language !== 'cpp')) return undefined;
  const page = ctx.pageSize;
  let size: string;
  if (b.allocationSize?.known) size = String(roundUp(Math.max(b.allocationSize.value, 1), page));
  else {
    const raw = b.allocationSize?.text ?? /^[^(]*\(([\s\S]*)\)\s*$/.exec(b.allocationText ?? '')?.[1];
    if (!raw || !raw.trim()) return undefined;
    // aligned_alloc wants a size that is a multiple of the alignment.
    size = `((${raw.trim()}) + ${page - 1}) / ${page} * ${page}`;
  }
  return {
    title: `Allocate with aligned_alloc(${page}, …) instead of malloc (free() still works)`,
    edits: [{ range: b.allocationRange, newText: `aligned_alloc(${page}, ${size})` }],
    isPreferred: true,
  };
}

/** Inserts `// zfs-dio-ignore ZDIOxxx` above the finding's line, or extends such a comment already there. */
export function suppressionFix(finding: Pick<Finding, 'ruleId' | 'range'>, ctx: FixContext): Fix {
  const line = finding.range.start.line;
  const lineText = ctx.lines.lineText(line);
  const indent = /^\s*/.exec(lineText)![0];
  const comment = ctx.language === 'python' ? '#' : '//';
  const above = line > 0 ? ctx.lines.lineText(line - 1) : '';
  const existing = /^(\s*(?:\/\/|#)\s*zfs-dio-ignore\b(?:[\s:,=]*ZDIO\d{3}\b)+)/.exec(above);
  if (existing && !above.includes(finding.ruleId)) {
    const at: Position = { line: line - 1, column: existing[1]!.length };
    return {
      title: `Suppress ${finding.ruleId} here (zfs-dio-ignore)`,
      edits: [{ range: { start: at, end: at }, newText: `, ${finding.ruleId}` }],
    };
  }
  const at: Position = { line, column: 0 };
  return {
    title: `Suppress ${finding.ruleId} here (zfs-dio-ignore)`,
    edits: [{ range: { start: at, end: at }, newText: `${indent}${comment} zfs-dio-ignore ${finding.ruleId}${eolOf(ctx)}` }],
  };
}

export function buildFixes(hit: RuleHit, facts: SiteFacts, ctx: FixContext): Fix[] {
  const fixes: Fix[] = [];
  if (hit.replaceAllocation) {
    const f = allocationFix(facts, ctx);
    if (f) fixes.push(f);
  }
  for (const f of roundFixes(hit, facts, ctx)) {
    if (fixes.some((x) => x.isPreferred)) f.isPreferred = false;
    fixes.push(f);
  }
  fixes.push(suppressionFix(hit, ctx));
  return fixes;
}

/** Applies non-overlapping edits to a text (tests and the CLI use it; the editor applies its own). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = new LineIndex(text);
  const withOffsets = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
