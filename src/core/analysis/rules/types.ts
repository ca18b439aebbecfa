// What a rule sees and returns. Rules read only SiteFacts and the alignment settings, never syntax,
// so one implementation serves all five languages.
import type { Range, RuleId, Severity, SiteFacts } from '../../types';
import type { TargetSystem } from '../../knowledge/target';
import type { DerivedValues } from '../../value-labels';

export interface RuleContext {
  pageSize: number;
  /** Recordsize for this file: from the dataset when the RecordsizeSource knows it, else the setting. */
  recordsize: number;
  recordsizeSource: 'setting' | 'dataset' | 'target';
  /** The target system, when one is set: its outcomes name the system and decide the severity. */
  target?: TargetSystem;
  /** How long a message may be: less than MESSAGE_LIMIT where the finding's path in words follows it. */
  messageLimit?: number;
}

/**
 * A read length a quick fix may round up to a multiple of `multiple`: only where the buffer is known to hold
 * the longer read, or grows with it (fixes.ts decides). `segment` names the iovec segment of a vectored read.
 */
export interface LengthRound {
  value: number;
  multiple: number;
  segment?: number;
}

export interface RuleHit {
  ruleId: RuleId;
  /** One line for the Problems panel: the derived values and what they break (describe.ts keeps it short). */
  message: string;
  /** The longer explanation behind the message (versions, settings, issues), for the hover and the reports. */
  detail?: string;
  /** The severity on the target system; the rule's default when unset, a user's override wins over both. */
  severity?: Severity;
  range: Range;
  /** Values shown with the finding; each key is declared, with its label, in value-labels.ts. */
  derived: DerivedValues;
  /** The read length a quick fix may round up. */
  roundLength?: LengthRound;
  /** The buffer's allocation may be replaced by an aligned one. */
  replaceAllocation?: boolean;
  /** The copy_file_range call may become a call of a helper that copies the whole range, falling back to read/write. */
  fallbackCopy?: boolean;
  /** No edit keeps what the program reads, writes, copies or clones: what to change by hand instead. */
  manualFix?: string;
}

export interface Rule {
  /** The rule ids this check can report. */
  ids: readonly RuleId[];
  check(facts: SiteFacts, ctx: RuleContext): RuleHit[];
}
