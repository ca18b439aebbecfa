// Pure helpers behind the diagnostics, hover and code-action adapters: how a Finding becomes the
// arguments of the `zfsDio.explainRule` command link, and how the command validates what it receives.
// A `command:` URI can be clicked from anywhere a link renders, so its arguments are treated as untrusted.
import type { FindingContext } from '../core/panel-protocol';
import type { Finding, Range } from '../core/types';
import { COMMAND_IDS } from './command-catalog';

export const EXPLAIN_COMMAND = COMMAND_IDS.explainRule;
export const REVEAL_COMMAND = COMMAND_IDS.revealSite;
export const DIAGNOSTIC_SOURCE = 'zfs-dio';

/** What `zfsDio.explainRule` receives (the panel's FindingContext; `line` is 0-based). */
export type ExplainRuleArgs = FindingContext;

// Keeps a command URI (and the JSON the panel receives) small even for minified one-line sources.
const MAX_CODE_CHARS = 240;
// Within the panel's FindingContext limits (panel-protocol LIMITS), so a link is never rejected there.
const MAX_DERIVED_ENTRIES = 40;
const MAX_DERIVED_STRING = 300;

export function explainArgsFor(finding: Finding, file: string | undefined, lineText: string | undefined): ExplainRuleArgs {
  const args: ExplainRuleArgs = { ruleId: finding.ruleId, line: finding.range.start.line, derived: boundedDerived(finding.derived) };
  if (file !== undefined) args.file = file;
  if (lineText !== undefined) args.code = clip(lineText.trim(), MAX_CODE_CHARS);
  return args;
}

export function commandUri(command: string, args: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}

export function explainCommandUri(args: ExplainRuleArgs): string {
  return commandUri(EXPLAIN_COMMAND, args);
}

/**
 * Identity of a diagnostic across the extension-host boundary: the Diagnostic objects a code-action
 * request carries are copies, so findings are looked up by rule, range and message instead.
 */
export function findingKey(ruleId: string, range: Range, message: string): string {
  return `${ruleId}@${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}|${message}`;
}

/** The arguments of `zfsDio.revealSite`: a file URI string and a 0-based range. */
export interface RevealSiteArgs { uri: string; range: Range }

export function parseRevealArgs(raw: unknown): RevealSiteArgs | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.uri !== 'string' || !isRange(o.range)) return undefined;
  return { uri: o.uri, range: o.range };
}

function isRange(v: unknown): v is Range {
  const isPos = (p: unknown) => typeof p === 'object' && p !== null
    && Number.isInteger((p as Record<string, unknown>).line) && ((p as Record<string, number>).line ?? -1) >= 0
    && Number.isInteger((p as Record<string, unknown>).column) && ((p as Record<string, number>).column ?? -1) >= 0;
  return typeof v === 'object' && v !== null && isPos((v as Record<string, unknown>).start) && isPos((v as Record<string, unknown>).end);
}

/** Does `range` contain the 0-based position (inclusive of both ends, as hovers expect)? */
export function rangeContains(range: Range, line: number, column: number): boolean {
  if (line < range.start.line || line > range.end.line) return false;
  if (line === range.start.line && column < range.start.column) return false;
  if (line === range.end.line && column > range.end.column) return false;
  return true;
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.column === b.start.column
    && a.end.line === b.end.line && a.end.column === b.end.column;
}

function boundedDerived(derived: Finding['derived']): Finding['derived'] {
  const out: Finding['derived'] = {};
  for (const [key, value] of Object.entries(derived).slice(0, MAX_DERIVED_ENTRIES)) {
    if (key === '__proto__' || key.length === 0 || key.length > 64) continue;
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    out[key] = typeof value === 'string' ? clip(value, MAX_DERIVED_STRING) : value;
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
