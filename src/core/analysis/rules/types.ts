// What a rule sees and returns. Rules read only SiteFacts and the alignment settings, never syntax,
// so one implementation serves all five languages.
import type { ConstantDefinition, Range, RuleId, SiteFacts } from '../../types';

export interface RuleContext {
  pageSize: number;
  /** Recordsize for this file: from the dataset when the RecordsizeSource knows it, else the setting. */
  recordsize: number;
  recordsizeSource: 'setting' | 'dataset';
}

/** Which value a "round up" quick fix should change, and to a multiple of what. */
export interface RoundRequest {
  field: 'length' | 'offset' | 'srcOffset' | 'dstOffset';
  value: number;
  multiple: number;
  /** Where the value is, when not `argRanges[field]` / `constants[field]` (an iovec segment). */
  range?: Range;
  constant?: ConstantDefinition;
}

export interface RuleHit {
  ruleId: RuleId;
  message: string;
  range: Range;
  derived: Record<string, number | string | boolean>;
  /** Constants a quick fix may round up. */
  rounds?: RoundRequest[];
  /** The buffer's allocation may be replaced by an aligned one. */
  replaceAllocation?: boolean;
}

export interface Rule {
  /** The rule ids this check can report. */
  ids: readonly RuleId[];
  check(facts: SiteFacts, ctx: RuleContext): RuleHit[];
}
