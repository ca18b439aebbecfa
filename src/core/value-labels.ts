// What each named value means to a reader: the values a rule derived at a call (Finding.derived) and
// the parameters an experiment recorded (ExperimentResult.params). Declared here once; the hover, the
// panel's "Your code" table and its experiment pane all show these words instead of the keys, and a
// rule cannot attach a value that has no entry (RuleHit.derived is typed by DerivedKey).

type Kind = 'bytes' | 'count' | 'yesNo' | 'text';

interface ValueLabel {
  label: string;
  kind: Kind;
  /** Words for the string values of an enumerated value. */
  words?: Readonly<Record<string, string>>;
}

/** The values rules derive at a call site. */
export const DERIVED_VALUES = {
  length: { label: 'Length', kind: 'bytes' },
  offset: { label: 'File offset', kind: 'bytes' },
  lengthInPages: { label: 'Length, as a fraction of the runtime page size', kind: 'text' },
  offsetInPages: { label: 'File offset, as a fraction of the runtime page size', kind: 'text' },
  srcOffset: { label: 'Source offset', kind: 'bytes' },
  dstOffset: { label: 'Destination offset', kind: 'bytes' },
  segment: { label: 'iovec segment', kind: 'count' },
  origin: { label: 'Buffer comes from', kind: 'text' },
  alignment: { label: 'Buffer alignment', kind: 'bytes' },
  bufferOffset: { label: 'Offset into the buffer', kind: 'bytes' },
  pageSize: { label: 'Page size', kind: 'bytes' },
  recordsize: { label: 'Recordsize', kind: 'bytes' },
  recordsizeSource: {
    label: 'Recordsize taken from', kind: 'text',
    words: { setting: 'the zfsDio.recordsize setting', dataset: 'the dataset that holds the file', target: 'the target system' },
  },
  target: { label: 'Target system', kind: 'text' },
  targetIssue: { label: 'Known issue that decides it on the target', kind: 'text' },
  srcFdODirect: { label: 'Source opened with O_DIRECT', kind: 'yesNo' },
  dstFdODirect: { label: 'Destination opened with O_DIRECT', kind: 'yesNo' },
  resultCheck: {
    label: 'Result handling', kind: 'text',
    words: {
      discarded: 'the result is not looked at',
      'error-exit-only': 'a failure is only reported, with no fallback copy and no loop on a short count',
    },
  },
} as const satisfies Readonly<Record<string, ValueLabel>>;

export type DerivedKey = keyof typeof DERIVED_VALUES;
export type DerivedValues = Partial<Record<DerivedKey, number | string | boolean>>;

/** The parameters the experiment runner records; keys it records that are not here are shown humanized. */
export const EXPERIMENT_PARAMS: Readonly<Record<string, ValueLabel>> = {
  length: DERIVED_VALUES.length,
  offset: DERIVED_VALUES.offset,
  srcOffset: DERIVED_VALUES.srcOffset,
  dstOffset: DERIVED_VALUES.dstOffset,
  bufferOffset: DERIVED_VALUES.bufferOffset,
  pageSize: DERIVED_VALUES.pageSize,
  recordsize: DERIVED_VALUES.recordsize,
  oDirect: { label: 'Opened with O_DIRECT', kind: 'yesNo' },
  recordAligned: { label: 'Range is recordsize-aligned', kind: 'yesNo' },
  pageAligned: { label: 'Range is page-aligned', kind: 'yesNo' },
  shortCopy: { label: 'Copied less than asked (short count)', kind: 'yesNo' },
  bclonesavedDelta: { label: 'Bytes saved by cloning (bclonesaved growth)', kind: 'bytes' },
  direct_read_count: { label: 'Direct reads counted', kind: 'count' },
  direct_read_bytes: { label: 'Bytes read direct', kind: 'bytes' },
  arc_read_count: { label: 'Reads through the ARC counted', kind: 'count' },
  arc_read_bytes: { label: 'Bytes read through the ARC', kind: 'bytes' },
  direct_write_count: { label: 'Direct writes counted', kind: 'count' },
  direct_write_bytes: { label: 'Bytes written direct', kind: 'bytes' },
  arc_write_count: { label: 'Writes through the ARC counted', kind: 'count' },
  arc_write_bytes: { label: 'Bytes written through the ARC', kind: 'bytes' },
  arcUncachedSizeBefore: { label: 'ARC uncached state before the call', kind: 'bytes' },
  arcUncachedSizeAfter: { label: 'ARC uncached state right after the call', kind: 'bytes' },
  arcUncachedSizeAfterSync: { label: 'ARC uncached state after the txg sync', kind: 'bytes' },
  arcUncachedGrowth: { label: 'Growth of the ARC uncached state', kind: 'bytes' },
  uncachedEvidence: {
    label: 'Uncached I/O shown by', kind: 'text',
    words: {
      kstat: 'the ARC uncached state growing by the request',
      reread: 'a re-read of the range that had to reach the disks',
    },
  },
  rereadUncachedHits: { label: 'Re-read hits in the ARC uncached state', kind: 'count' },
  rereadArcReadBytes: { label: 'Bytes the re-read fetched from the disks', kind: 'bytes' },
};

export interface LabelledValue { label: string; text: string }

/** A derived value in words: `{ label: 'Page size', text: '4096 bytes (4 KiB)' }`. */
export function describeDerivedValue(key: string, value: number | string | boolean): LabelledValue {
  return describeWith((DERIVED_VALUES as Readonly<Record<string, ValueLabel>>)[key], key, value);
}

/** An experiment parameter in words. */
export function describeExperimentParam(key: string, value: number | string | boolean): LabelledValue {
  return describeWith(EXPERIMENT_PARAMS[key], key, value);
}

function describeWith(entry: ValueLabel | undefined, key: string, value: number | string | boolean): LabelledValue {
  // Own properties only: a key such as "constructor" from a saved report must not find Object.prototype.
  const own = entry && Object.prototype.hasOwnProperty.call(entry, 'label') ? entry : undefined;
  const label = own?.label ?? humanizeKey(key);
  if (typeof value === 'boolean') return { label, text: value ? 'yes' : 'no' };
  if (typeof value === 'string') {
    const words = own?.words && Object.prototype.hasOwnProperty.call(own.words, value) ? own.words[value] : undefined;
    return { label, text: words ?? value };
  }
  if (own?.kind === 'bytes') return { label, text: bytesText(value) };
  return { label, text: String(value) };
}

/** `4096 bytes (4 KiB)`, `1000 bytes`, `1 byte`. */
export function bytesText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const unit = n === 1 ? 'byte' : 'bytes';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(n);
  let u = -1;
  while (v >= 1024 && v % 1024 === 0 && u < units.length - 1) { v /= 1024; u += 1; }
  return u < 0 ? `${n} ${unit}` : `${n} ${unit} (${n < 0 ? '-' : ''}${v} ${units[u]})`;
}

/** `bclonesavedDelta` → `Bclonesaved delta`, `direct_write_count` → `Direct write count`. */
export function humanizeKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
