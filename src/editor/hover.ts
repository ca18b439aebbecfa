// Hover on a spotted call: per finding the rule with its "Explain ZDIOxxx" link, what to change and the
// values the analyzer derived there; then what the call is.
import * as vscode from 'vscode';
import { explainArgsFor, rangeContains } from './diagnostics-logic';
import type { DiagnosticsController } from './diagnostics';
import { toVsRange } from './diagnostics';
import { HOVER_ENABLED_COMMANDS, hoverMarkdown, type HoverInput } from './present-logic';
import { findingsAtSite } from './sites-logic';
import { VSCODE_LANGUAGE_IDS } from './settings-logic';

export class SiteHoverProvider implements vscode.HoverProvider {
  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const current = this.diagnostics.resultFor(doc);
    if (!current) return undefined;
    const sites = current.result.sites.filter((s) => rangeContains(s.range, position.line, position.character));
    if (sites.length === 0) return undefined;
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    const inputs: HoverInput[] = sites.map((site) => {
      const findings = findingsAtSite(site, current.result.findings);
      return {
        site, findings,
        // VS Code shows a diagnostic's message in the hover when the pointer is inside its range.
        messageShown: findings.map((f) => rangeContains(f.range, position.line, position.character)),
        explainArgs: findings.map((f) => explainArgsFor(f, file, f.range.start.line < doc.lineCount ? doc.lineAt(f.range.start.line).text : undefined)),
      };
    });
    const markdown = new vscode.MarkdownString(hoverMarkdown(inputs), true);
    // Only the explain command may run from this hover; every other command link stays inert.
    markdown.isTrusted = { enabledCommands: [...HOVER_ENABLED_COMMANDS] };
    // The innermost site gives the hover its range.
    const innermost = sites.reduce((a, b) =>
      (b.range.end.line - b.range.start.line) * 1e6 + (b.range.end.column - b.range.start.column)
        < (a.range.end.line - a.range.start.line) * 1e6 + (a.range.end.column - a.range.start.column) ? b : a);
    return new vscode.Hover(markdown, toVsRange(innermost.range));
  }
}

export function registerHover(diagnostics: DiagnosticsController): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    VSCODE_LANGUAGE_IDS.flatMap((language) => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]),
    new SiteHoverProvider(diagnostics));
}
