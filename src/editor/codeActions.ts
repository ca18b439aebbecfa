// Quick fixes: the core computes every fix (Finding.fixes: round a read's length up with its buffer, aligned
// allocation, suppression comment), the same ones `zfs-dio scan --format json|sarif` prints; this adapter only
// turns them (code-actions-logic.ts) into CodeActions for the diagnostics in range. Where the core offers no automatic fix because
// every edit would change what the program reads, writes, copies or clones (Finding.manualFix), the action
// opens the rule's article in the root-cause panel instead.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, findingKey } from './diagnostics-logic';
import { findingActions } from './code-actions-logic';
import { toVsRange, type DiagnosticsController } from './diagnostics';
import { VSCODE_LANGUAGE_IDS } from './settings-logic';

export class FindingCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Fix ranges are only valid for the text they were computed from.
    const current = this.diagnostics.resultFor(doc);
    if (!current) return [];
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const r = diagnostic.range;
      const finding = current.findingsByKey.get(findingKey(ruleId,
        { start: { line: r.start.line, column: r.start.character }, end: { line: r.end.line, column: r.end.character } },
        diagnostic.message));
      if (!finding) continue;
      const line = finding.range.start.line;
      const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
      for (const a of findingActions(finding, file, line < doc.lineCount ? doc.lineAt(line).text : undefined)) {
        const action = new vscode.CodeAction(a.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        if (a.type === 'edit') {
          action.isPreferred = a.isPreferred;
          const edit = new vscode.WorkspaceEdit();
          for (const e of a.edits) edit.replace(doc.uri, toVsRange(e.range), e.newText);
          action.edit = edit;
        } else {
          action.command = { command: a.command, title: a.title, arguments: [a.args] };
        }
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
