// The quick fixes offered for a finding, as plain data: the core's fixes (Finding.fixes) as text edits, and,
// where the core offers no automatic fix because every edit would change what the program reads, writes,
// copies or clones (Finding.manualFix), a command that opens the rule's article. Pure, so the VS Code
// code actions and the language server's are the same list.
import type { Finding, TextEdit } from '../core/types';
import { EXPLAIN_COMMAND, explainArgsFor, type ExplainRuleArgs } from '../shared/diagnostics';

export type FindingAction =
  | { type: 'edit'; title: string; isPreferred: boolean; edits: readonly TextEdit[] }
  | { type: 'explain'; title: string; command: typeof EXPLAIN_COMMAND; args: ExplainRuleArgs };

/** `lineText`: the finding's source line, carried into the explanation link. */
export function findingActions(finding: Finding, file: string | undefined, lineText: string | undefined): FindingAction[] {
  const actions: FindingAction[] = finding.fixes.map((fix) => ({ type: 'edit', title: fix.title, isPreferred: fix.isPreferred ?? false, edits: fix.edits }));
  if (finding.manualFix) {
    actions.push({ type: 'explain', title: `Why no automatic fix? Explain ${finding.ruleId}`, command: EXPLAIN_COMMAND,
      args: explainArgsFor(finding, file, lineText) });
  }
  return actions;
}
