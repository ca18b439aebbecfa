// Words the editor shows for sites and findings (tree labels, hover text). Pure, so the text that
// end-to-end tests select on is unit-tested and the same in the hover, the tree and the notes.
import { ruleMeta } from '../core/rules';
import type { Finding, Site, SiteKind, Severity } from '../core/types';
import { describeDerivedValue } from '../core/value-labels';
import { EXPLAIN_COMMAND, explainCommandUri, type ExplainRuleArgs } from './diagnostics';

export const KIND_LABELS: Readonly<Record<SiteKind, string>> = {
  copy_file_range: 'copy_file_range',
  ficlone: 'FICLONE / FICLONERANGE',
  o_direct_open: 'open with O_DIRECT',
  o_direct_io: 'I/O on an O_DIRECT descriptor',
};

/** One sentence per kind: what the call is and why the extension cares about it. */
export const KIND_DESCRIPTIONS: Readonly<Record<SiteKind, string>> = {
  copy_file_range: 'In-kernel copy; on OpenZFS with block cloning it can clone whole records instead of copying.',
  ficlone: 'Block-clone ioctl; has no fallback when the range is not aligned to the source block size.',
  o_direct_open: 'Opens a file for Direct I/O, which bypasses the ARC only for aligned requests.',
  o_direct_io: 'A read or write on a descriptor opened with O_DIRECT; buffer, length and offset alignment matter.',
};

export const KIND_ORDER: readonly SiteKind[] = ['copy_file_range', 'ficlone', 'o_direct_open', 'o_direct_io'];

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The most severe of the findings, or undefined when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (worst === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Inline code that survives backticks inside the text (CommonMark: the fence must be longer than any run inside). */
export function inlineCode(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** Escapes text so markdown renders it literally (no links, emphasis, HTML or codicon syntax). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export interface HoverInput {
  site: Site;
  findings: readonly Finding[];
  /** Explain-command arguments per finding (same order), built by the adapter from the document. */
  explainArgs: readonly ExplainRuleArgs[];
  /**
   * Per finding (same order): the editor already shows its diagnostic message in this hover (the
   * pointer is inside the diagnostic's range), so the section does not repeat it.
   */
  messageShown?: readonly boolean[];
}

const SEVERITY_ICONS: Readonly<Record<Severity, string>> = {
  error: '$(error)', warning: '$(warning)', information: '$(info)', hint: '$(lightbulb)',
};

/** One line of derived values in words: `Length 196608 bytes (192 KiB) · Page size 4096 bytes (4 KiB)`. */
export function derivedLine(derived: Finding['derived']): string {
  return Object.entries(derived).map(([key, value]) => {
    const { label, text } = describeDerivedValue(key, value);
    // Text the analyzer took from the source (a buffer's origin) stays code; the rest are words.
    const shown = typeof value === 'string' && text === value ? inlineCode(text) : escapeMarkdown(text);
    return `${escapeMarkdown(label)}: ${shown}`;
  }).join(' · ');
}

/**
 * Markdown for the hover on a site: per finding the rule and its "Explain" link first (the editor
 * shows the diagnostic's message above this section, and a hover near the bottom of the view is cut
 * from below), then what to change by hand and the derived values on one line; the call's
 * description last. Command links are only ever `zfsDio.explainRule`; the adapter enables exactly
 * that command on the MarkdownString. Everything taken from the source is escaped.
 */
export function hoverMarkdown(inputs: readonly HoverInput[]): string {
  const blocks: string[] = [];
  for (const { site, findings, explainArgs, messageShown } of inputs) {
    const parts: string[] = [];
    findings.forEach((finding, i) => {
      const meta = ruleMeta(finding.ruleId);
      const args = explainArgs[i];
      const link = args ? ` · [Explain ${finding.ruleId}](${explainCommandUri(args)} "${escapeTitle(meta.title)}")` : '';
      const lines = [`${SEVERITY_ICONS[finding.severity]} **${finding.ruleId}** ${escapeMarkdown(meta.title)}${link}`];
      if (!messageShown?.[i]) lines.push(escapeMarkdown(finding.message));
      if (finding.detail) lines.push(escapeMarkdown(finding.detail));
      // No automatic fix is safe here: say what to change by hand.
      if (finding.manualFix) lines.push(`$(tools) ${escapeMarkdown(finding.manualFix)}`);
      const derived = derivedLine(finding.derived);
      if (derived) lines.push(derived);
      // Two trailing spaces: a line break inside one paragraph keeps the finding compact.
      parts.push(lines.join('  \n'));
    });
    if (findings.length === 0 && site.unknowns?.length) {
      // Quiet because values are unknown, not because they are fine: say which, and where the trail ends.
      parts.push([`$(question) Not checked: ${site.unknowns.length === 1 ? 'one value the rules need is' : 'values the rules need are'} not known here.`, '',
        ...site.unknowns.map((u) => `- ${escapeMarkdown(u.value)}${u.text ? ` ${inlineCode(u.text)}` : ''}: ${escapeMarkdown(u.reason)}`)].join('\n'));
    } else if (findings.length === 0) parts.push('$(pass) No alignment problem found at this call.');
    const kind = KIND_LABELS[site.kind] === site.callee ? '' : ` — ${escapeMarkdown(KIND_LABELS[site.kind])}`;
    parts.push(`**ZFS Direct I/O** · ${inlineCode(site.callee)}${kind}: ${escapeMarkdown(KIND_DESCRIPTIONS[site.kind])}`);
    blocks.push(parts.join('\n\n'));
  }
  return blocks.join('\n\n---\n\n');
}

/**
 * The Call Sites tooltip of one site: the call and its line, then each finding's rule and message.
 * Plain escaped markdown with ordinary spaces, so the tooltip wraps between words.
 */
export function siteTooltipMarkdown(site: Site, findings: readonly Finding[]): string {
  const head = `${inlineCode(site.callee)} — line ${site.range.start.line + 1}`;
  const body = findings.length === 0 ? ['No alignment problem found at this call.']
    : findings.map((f) => `**${f.ruleId}** ${escapeMarkdown(f.message)}`);
  return [head, ...body].join('\n\n');
}

/** The only command a hover may run. */
export const HOVER_ENABLED_COMMANDS: readonly string[] = [EXPLAIN_COMMAND];

function escapeTitle(text: string): string {
  return text.replace(/["\\]/g, (c) => `\\${c}`);
}
