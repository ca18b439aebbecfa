// What the hover on a position shows: the sites that contain it, the findings at each, and the arguments
// of their explanation links; the innermost site gives the hover its range. Pure, so the VS Code hover
// and the language server's hover are built from the same inputs (src/shared/present.ts turns them into text).
import type { AnalysisResult, Range } from '../core/types';
import { explainArgsFor, rangeContains } from '../shared/diagnostics';
import type { HoverInput } from '../shared/present';
import { findingsAtSite } from '../shared/sites';

export interface HoverAt { inputs: HoverInput[]; range: Range }

/**
 * `lineText(line)`: the document's line (carried into the explanation link), undefined past the end.
 * `editorShowsMessages`: the editor itself puts a diagnostic's message in the hover when the pointer is
 * inside its range (VS Code does; Neovim and Emacs do not), so the section need not repeat it.
 */
export function hoverInputsAt(result: AnalysisResult, line: number, column: number, file: string | undefined,
  lineText: (line: number) => string | undefined, editorShowsMessages = false): HoverAt | undefined {
  const sites = result.sites.filter((s) => rangeContains(s.range, line, column));
  if (sites.length === 0) return undefined;
  const inputs: HoverInput[] = sites.map((site) => {
    const findings = findingsAtSite(site, result.findings);
    return {
      site, findings, explainArgs: findings.map((f) => explainArgsFor(f, file, lineText(f.range.start.line))),
      ...(editorShowsMessages ? { messageShown: findings.map((f) => rangeContains(f.range, line, column)) } : {}),
    };
  });
  const innermost = sites.reduce((a, b) =>
    (b.range.end.line - b.range.start.line) * 1e6 + (b.range.end.column - b.range.start.column)
      < (a.range.end.line - a.range.start.line) * 1e6 + (a.range.end.column - a.range.start.column) ? b : a);
  return { inputs, range: innermost.range };
}
