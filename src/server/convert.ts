// Turns the core's results into LSP shapes: a Finding into a Diagnostic (code, a link to the rule's
// explanation, related places, and the key a code action needs), the hover builders' markdown into a hover,
// and the quick-fix list into CodeActions. Pure: the same functions serve every client and the unit tests.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import {
  CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Range as LspRange,
} from 'vscode-languageserver-protocol';
import type { Finding, Range, RuleId, Severity } from '../core/types';
import { articleIdFor } from '../core/knowledge/articles';
import { DIAGNOSTIC_SOURCE, explainArgsFor, explainCommandUri, findingKey } from '../shared/diagnostics';
import { findingActions } from './code-actions';
import type { HoverInput } from '../shared/present';
import { SERVER_COMMANDS, type DiagnosticData } from '../core/protocol/server';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** How explanation links are spelled for this client (InitializationOptions.explainLinks). */
export interface LinkStyle { explainLinks: 'command' | 'article'; articlesDir: string }

export function toLspRange(r: Range): LspRange {
  return { start: { line: r.start.line, character: r.start.column }, end: { line: r.end.line, character: r.end.column } };
}

export function fromLspRange(r: LspRange): Range {
  return { start: { line: r.start.line, column: r.start.character }, end: { line: r.end.line, column: r.end.character } };
}

/** The file: URI of a rule's (or known issue's) article. */
export function articleUri(articlesDir: string, id: string): string {
  return pathToFileURL(path.join(articlesDir, `${articleIdFor(id)}.md`)).href;
}

/** `file`: the document's path when it has one; `lineText`: the finding's source line (for the panel's link). */
export function toDiagnostic(finding: Finding, uri: string, file: string | undefined, lineText: string | undefined, links: LinkStyle): Diagnostic {
  const href = links.explainLinks === 'command'
    ? explainCommandUri(explainArgsFor(finding, file, lineText))
    : articleUri(links.articlesDir, finding.ruleId);
  const data: DiagnosticData = { key: findingKey(finding.ruleId, finding.range, finding.message) };
  const diagnostic: Diagnostic = {
    range: toLspRange(finding.range),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href },
    message: finding.message,
    data,
  };
  // A related place without a file lies in the finding's own document.
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: r.file ? pathToFileURL(r.file).href : uri, range: toLspRange(r.range) }, message: r.message,
    }));
  }
  return diagnostic;
}

/** The finding key of a diagnostic a client sends back: from `data`, else from its code, range and message. */
export function keyOfDiagnostic(d: Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (data && typeof data.key === 'string') return data.key;
  const code = typeof d.code === 'object' && d.code !== null ? String((d.code as { value: unknown }).value) : String(d.code);
  return findingKey(code, fromLspRange(d.range), typeof d.message === 'string' ? d.message : d.message.value);
}

/**
 * For clients without the VS Code extension: no `command:` links (they cannot run them) and no codicons
 * (`$(warning)`, VS Code's icon syntax; source text is escaped by the builders, so a `$(` there is `\$(`).
 * The explanation links then point at the articles.
 */
export function hoverInputsForClient(inputs: readonly HoverInput[], links: LinkStyle): HoverInput[] {
  return links.explainLinks === 'command' ? [...inputs] : inputs.map((i) => ({ ...i, explainArgs: [] }));
}

export function hoverMarkdownForClient(markdown: string, inputs: readonly HoverInput[], links: LinkStyle): string {
  if (links.explainLinks === 'command') return markdown;
  const plain = markdown.replace(/(?<!\\)\$\([a-z-]+\)\s?/g, '');
  const rules = [...new Set(inputs.flatMap((i) => i.findings.map((f) => f.ruleId)))] as RuleId[];
  if (rules.length === 0) return plain;
  return `${plain}\n\n${rules.map((id) => `[Explain ${id}](${articleUri(links.articlesDir, id)})`).join(' · ')}`;
}

/** The quick fixes of a finding as CodeActions for `diagnostic` (the one the client sent). */
export function codeActionsFor(finding: Finding, diagnostic: Diagnostic, uri: string, file: string | undefined,
  lineText: string | undefined, links: LinkStyle): CodeAction[] {
  return findingActions(finding, file, lineText).map((a): CodeAction => {
    if (a.type === 'edit') {
      return { title: a.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: a.isPreferred,
        edit: { changes: { [uri]: a.edits.map((e) => ({ range: toLspRange(e.range), newText: e.newText })) } } };
    }
    const command = links.explainLinks === 'command'
      ? { title: a.title, command: a.command, arguments: [a.args] }
      : { title: a.title, command: SERVER_COMMANDS.showArticle, arguments: [finding.ruleId] };
    return { title: a.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command };
  });
}
