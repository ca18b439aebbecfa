// Quick fixes: the core computes every fix (Finding.fixes: round a read's length up with its buffer, aligned
// allocation, suppression comment), the same ones `zfs-dio scan --format json|sarif` prints; this adapter only
// turns them into CodeActions for the diagnostics in range. Where the core offers no automatic fix because
// every edit would change what the program reads, writes, copies or clones (Finding.manualFix), the action
// opens the rule's article in the root-cause panel instead.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, EXPLAIN_COMMAND, explainArgsFor, findingKey } from './diagnostics-logic';
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
      for (const fix of finding.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.isPreferred ?? false;
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) edit.replace(doc.uri, toVsRange(e.range), e.newText);
        action.edit = edit;
        actions.push(action);
      }
      if (finding.manualFix) {
        const explain = new vscode.CodeAction(`Why no automatic fix? Explain ${finding.ruleId}`, vscode.CodeActionKind.QuickFix);
        explain.diagnostics = [diagnostic];
        const line = finding.range.start.line;
        const args = explainArgsFor(finding, doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined, line < doc.lineCount ? doc.lineAt(line).text : undefined);
        explain.command = { command: EXPLAIN_COMMAND, title: explain.title, arguments: [args] };
        actions.push(explain);
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
