// Wording shared by the rules: every message names the derived value and the alignment it broke, and
// stays short enough for the Problems panel; the longer explanation goes into the finding's detail.
import type { DerivedNumber } from '../../types';
import type { TargetOutcome, TargetSystem } from '../../knowledge/target';

export type KnownNumber = Extract<DerivedNumber, { known: true }>;

/**
 * The longest message a rule writes for the findings the project measures itself on: VS Code's Problems
 * panel shows a diagnostic's message on one line and cuts what does not fit.
 */
export const MESSAGE_LIMIT = 120;

export function isKnown(d: DerivedNumber | undefined): d is KnownNumber {
  return !!d && d.known && Number.isSafeInteger(d.value);
}

/** `196608`, or `196608 (BUF_LEN)` when the source spelled it differently. */
export function describeValue(d: KnownNumber): string {
  const text = d.text.replace(/\s+/g, ' ').trim();
  if (!text || text === String(d.value) || normalizesTo(text, d.value)) return String(d.value);
  return `${d.value} (${clip(text, 48)})`;
}

/** Source text for a message, cut to `max` characters. */
export function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1).trimEnd() + '…' : t;
}

/** How a message shows the values and source text it names. */
export interface Spelling {
  /** A derived number: with its source spelling when there is room, else the number alone. */
  value(d: KnownNumber): string;
  /** Source text the message quotes (a buffer's origin): whole when there is room, else cut short. */
  text(s: string): string;
  /**
   * The tail of a finding on a target: what happens there and the target's name, with its version and
   * direct= (and zfs_dio_strict=1) when there is room, else with its version alone, else the dataset's
   * name alone. The deciding issue and the full name go into the finding's derived values (hover, panel).
   */
  onTarget(t: TargetSystem, outcome: TargetOutcome): string;
  /** The rule says what happens in fewer words, without the versions it does not apply to (the detail has them). */
  terse: boolean;
  /** The last tries: the rule leaves out what the hover shows too (a buffer's origin when the numbers say enough). */
  fewest: boolean;
}

const spelled = { value: describeValue, text: (s: string) => clip(s, 64) };
const plain = (max: number) => ({ value: (d: KnownNumber) => String(d.value), text: (s: string) => clip(s, max) });
const named = (name: (t: TargetSystem) => string) => ({ onTarget: (t: TargetSystem, o: TargetOutcome) => `${o.consequence} on ${name(t)}` });
const brief = named((t) => t.brief);
/** From the most to the least said: each is tried until the message fits. */
const SPELLINGS: readonly Spelling[] = [
  { ...spelled, ...brief, terse: false, fewest: false },
  { ...spelled, ...brief, terse: true, fewest: false },
  { ...plain(24), ...brief, terse: true, fewest: false },
  { ...plain(16), ...named((t) => t.terse), terse: true, fewest: false },
  { ...plain(16), ...named((t) => t.dataset ?? 'the target'), terse: true, fewest: false },
  { ...plain(16), ...named((t) => t.dataset ?? 'the target'), terse: true, fewest: true },
];

/**
 * The message with every value as the source spelled it; when that passes `limit`, in fewer words;
 * then with the numbers alone and quoted source text cut short; then with the target named by its
 * version alone, then by its name alone; then in the rule's fewest words. The derived values stay in every
 * message, their spellings only where they fit (the editor underlines the expression itself; the hover
 * names the whole target and gives the detail).
 */
export function fitted(compose: (s: Spelling) => string, limit = MESSAGE_LIMIT): string {
  let message = '';
  for (const s of SPELLINGS) {
    message = compose(s);
    if (message.length <= limit) break;
  }
  return message;
}

function normalizesTo(text: string, value: number): boolean {
  const t = text.replace(/[_']/g, '').replace(/[uUlLzZ]+$/, '');
  return /^(0[xX][0-9a-fA-F]+|\d+)$/.test(t) && Number(t) === value;
}

/** How a message names the recordsize: the dataset's, or the setting's (a target's is named with the target). */
export function recordsizeLabel(recordsize: number, source: 'setting' | 'dataset' | 'target'): string {
  return source === 'dataset' ? `the dataset's recordsize ${recordsize}` : `recordsize ${recordsize}`;
}
