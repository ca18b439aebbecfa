// Hover on a spotted call: per finding the rule with its "Explain ZDIOxxx" link, what to change and the
// values the analyzer derived there; then what the call is.
import * as vscode from 'vscode';
import type { DiagnosticsController } from './diagnostics';
import { toVsRange } from './diagnostics';
import { hoverInputsAt } from './hover-logic';
import { HOVER_ENABLED_COMMANDS, hoverMarkdown } from './present-logic';
import { VSCODE_LANGUAGE_IDS } from './settings-logic';

export class SiteHoverProvider implements vscode.HoverProvider {
  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const current = this.diagnostics.resultFor(doc);
    if (!current) return undefined;
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    const at = hoverInputsAt(current.result, position.line, position.character, file,
      (line) => line < doc.lineCount ? doc.lineAt(line).text : undefined, true);
    if (!at) return undefined;
    const markdown = new vscode.MarkdownString(hoverMarkdown(at.inputs), true);
    // Only the explain command may run from this hover; every other command link stays inert.
    markdown.isTrusted = { enabledCommands: [...HOVER_ENABLED_COMMANDS] };
    return new vscode.Hover(markdown, toVsRange(at.range));
  }
}

export function registerHover(diagnostics: DiagnosticsController): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    VSCODE_LANGUAGE_IDS.flatMap((language) => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]),
    new SiteHoverProvider(diagnostics));
}
