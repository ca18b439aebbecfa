// The rule registry. A new rule family is one more entry here (and its ids in src/core/rules.ts).
import type { SiteFacts } from '../../types';
import { copyFileRangeRules } from './copy-file-range';
import { ficloneRules } from './ficlone';
import { odirectRules } from './odirect';
import type { Rule, RuleContext, RuleHit } from './types';

export const RULE_CHECKS: readonly Rule[] = [odirectRules, copyFileRangeRules, ficloneRules];

export function runRules(facts: SiteFacts, ctx: RuleContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of RULE_CHECKS) hits.push(...rule.check(facts, ctx));
  return hits;
}

export type { LengthRound, Rule, RuleContext, RuleHit } from './types';
