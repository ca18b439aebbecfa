// `zfs-dio-ignore` comments. A comment on the line above a finding (or a block of comment lines
// directly above it) or at the end of the finding's own line suppresses it:
//   // zfs-dio-ignore ZDIO001, ZDIO002   → those rules
//   // zfs-dio-ignore                    → every rule
// The finding's first line and its call's first line both count, so a comment above a multi-line
// call works for a squiggle on a later argument. The marker must really be inside a comment node
// (not a string), which the syntax tree tells when one is given.
import type { Node } from 'web-tree-sitter';
import type { Finding, RuleId } from '../types';
import { LineIndex } from './languages/common';

const MARKER = /zfs-dio-ignore\b((?:[\s:,=]*ZDIO\d{3}\b)*)/g;
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*|#|--)/;
/** How many comment lines above a statement are searched. */
const MAX_COMMENT_BLOCK = 5;

export type Suppression = 'all' | Set<RuleId>;

/** Markers on one line; `inComment` decides whether an offset lies in a comment. */
function markersOnLine(lines: LineIndex, line: number, inComment: (offset: number) => boolean): Suppression | undefined {
  const text = lines.lineText(line);
  if (!text.includes('zfs-dio-ignore')) return undefined;
  const lineStart = lines.offsetAt({ line, column: 0 });
  let result: Set<RuleId> | undefined;
  MARKER.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKER.exec(text)) !== null) {
    if (!inComment(lineStart + m.index)) continue;
    const ids = (m[1] ?? '').match(/ZDIO\d{3}/g) as RuleId[] | null;
    if (!ids || !ids.length) return 'all';
    result = new Set([...(result ?? []), ...ids]);
  }
  return result;
}

function covers(s: Suppression | undefined, ruleId: RuleId): boolean {
  return s === 'all' || (s !== undefined && s.has(ruleId));
}

export class SuppressionIndex {
  private readonly memo = new Map<number, Suppression | undefined>();
  private readonly inComment: (offset: number) => boolean;
  /** No marker anywhere in the file: nothing to look up per finding (most files). */
  private readonly noMarkers: boolean;

  constructor(private readonly lines: LineIndex, root?: Node) {
    this.noMarkers = !lines.text.includes('zfs-dio-ignore');
    this.inComment = root
      ? (offset) => {
        const n = root.descendantForIndex(offset, offset + 1);
        return !!n && /comment/.test(n.type);
      }
      : () => true;
  }

  /** Suppressions that apply to code on `line` (same line, or the comment block right above it). */
  forLine(line: number): Suppression | undefined {
    if (this.memo.has(line)) return this.memo.get(line);
    let acc: Suppression | undefined = markersOnLine(this.lines, line, this.inComment);
    for (let above = line - 1; above >= 0 && above >= line - MAX_COMMENT_BLOCK && acc !== 'all'; above--) {
      if (!COMMENT_LINE.test(this.lines.lineText(above))) break;
      const s = markersOnLine(this.lines, above, this.inComment);
      if (s === 'all') acc = 'all';
      else if (s) acc = new Set([...(acc ?? []), ...s]);
    }
    this.memo.set(line, acc);
    return acc;
  }

  isSuppressed(f: Pick<Finding, 'ruleId' | 'range' | 'site'>): boolean {
    if (this.noMarkers) return false;
    return covers(this.forLine(f.range.start.line), f.ruleId) || covers(this.forLine(f.site.range.start.line), f.ruleId);
  }
}
