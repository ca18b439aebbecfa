// Quick fixes: the core computes every fix (Finding.fixes: round a constant up, aligned allocation,
// suppression comment); this adapter only turns them into CodeActions for the diagnostics in range.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, findingKey } from './diagnostics-logic';
import { toVsRange, type DiagnosticsController } from './diagnostics';
import { VSCODE_LANGUAGE_IDS } from './settings-logic';

export class FindingCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Fix ranges are only valid for the text they were computed from.
    const current = this.diagnostics.resultFor(doc);
    if (!current) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const r = diagnostic.range;
      const finding = current.findingsByKey.get(findingKey(ruleId,
        { start: { line: r.start.line, column: r.start.character }, end: { line: r.end.line, column: r.end.character } },
        diagnostic.message));
      if (!finding) continue;
      for (const fix of finding.fixes) {
        if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) continue;
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.isPreferred ?? false;
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) edit.replace(doc.uri, toVsRange(e.range), e.newText);
        action.edit = edit;
        actions.push(action);
      }
    }
    return actions;
  }
}

export function registerCodeActions(diagnostics: DiagnosticsController): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    VSCODE_LANGUAGE_IDS.flatMap((language) => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]),
    new FindingCodeActions(diagnostics), FindingCodeActions.metadata);
}
