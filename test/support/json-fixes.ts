// Applies a fix as `zfs-dio scan --format json` prints it, the way another tool would: 1-based lines and
// columns (UTF-16 code units), end exclusive, edits that do not overlap. Knows nothing of the analyzer.
export interface JsonEdit { line: number; column: number; endLine: number; endColumn: number; newText: string }
export interface JsonFix { title: string; isPreferred: boolean; edits: JsonEdit[] }
export interface JsonFinding { file: string; line: number; ruleId: string; message: string; fixes: JsonFix[]; manualFix?: string }

export function applyJsonFix(text: string, fix: JsonFix): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = (line: number, column: number): number => {
    if (line < 1 || line > lineStarts.length || column < 1) throw new RangeError(`position ${line}:${column} outside the text`);
    return lineStarts[line - 1]! + column - 1;
  };
  const spans = fix.edits
    .map((e) => ({ start: offset(e.line, e.column), end: offset(e.endLine, e.endColumn), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}
