// Wording shared by the rules: every message names the derived value and the alignment it broke.
import type { DerivedNumber } from '../../types';

export type KnownNumber = Extract<DerivedNumber, { known: true }>;

export function isKnown(d: DerivedNumber | undefined): d is KnownNumber {
  return !!d && d.known && Number.isSafeInteger(d.value);
}

/** `196608`, or `196608 (BUF_LEN)` when the source spelled it differently. */
export function describeValue(d: KnownNumber): string {
  const text = d.text.replace(/\s+/g, ' ').trim();
  if (!text || text === String(d.value) || normalizesTo(text, d.value)) return String(d.value);
  return `${d.value} (${text.length > 48 ? text.slice(0, 47) + '…' : text})`;
}

function normalizesTo(text: string, value: number): boolean {
  const t = text.replace(/[_']/g, '').replace(/[uUlLzZ]+$/, '');
  return /^(0[xX][0-9a-fA-F]+|\d+)$/.test(t) && Number(t) === value;
}

export function recordsizeLabel(recordsize: number, source: 'setting' | 'dataset' | 'target'): string {
  if (source === 'target') return `the target's recordsize ${recordsize}`;
  return source === 'dataset' ? `the dataset's recordsize ${recordsize}` : `recordsize ${recordsize}`;
}
