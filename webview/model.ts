// What the panel says about probe data: outcome classes for the matrix, the experiment catalogue
// behind each cell's explanation, verdict ordering and number formatting. No DOM here, so the unit
// tests run it on plain Node.
import type { ExperimentId, ExperimentResult, ProbeReport, Verdict, VerdictStatus } from '../src/core/types';
import { articleIdForIssue } from '../src/core/panel-protocol';
import { EXPERIMENTS as PROBE_CATALOG } from '../src/core/probe/experiments/catalog';

export type Outcome = 'cloned' | 'copied' | 'direct' | 'arc' | 'error' | 'unknown' | 'missing';

export interface OutcomeInfo {
  outcome: Outcome;
  /** Short text shown in the cell; never colour alone. */
  label: string;
  /** Second line in the cell: errno detail, bytes, "not run". */
  detail: string;
}

export const OUTCOME_LEGEND: ReadonlyArray<{ outcome: Outcome; label: string; meaning: string }> = [
  { outcome: 'cloned', label: 'Cloned', meaning: 'copy_file_range shared the blocks (bclonesaved grew)' },
  { outcome: 'copied', label: 'Copied', meaning: 'the kernel fell back to copying the bytes' },
  { outcome: 'direct', label: 'Direct', meaning: 'O_DIRECT I/O bypassed the ARC' },
  { outcome: 'arc', label: 'ARC', meaning: 'the I/O succeeded but went through the ARC' },
  { outcome: 'error', label: 'Error', meaning: 'the call failed (errno shown)' },
  { outcome: 'unknown', label: 'OK', meaning: 'succeeded, path not measurable' },
];

type Family = 'cfr' | 'dio';

export interface ExperimentInfo {
  id: ExperimentId;
  family: Family;
  /** Heading for the explanation pane. */
  title: string;
  /** Why this case is in the matrix, independent of its result. */
  purpose: string;
  /** Which parameter is deliberately misaligned, if any. */
  misaligned?: 'buffer' | 'length' | 'offset' | 'range';
  /** Article ids that explain the consequence for user code, most specific first. */
  articles: string[];
}

const CFR_ARTICLES = ['ZDIO010', 'copy-file-range-and-block-cloning'];
const CFR_ODIRECT_ARTICLES = ['ZDIO011', 'openzfs-16958', 'copy-file-range-and-block-cloning'];

export const EXPERIMENTS: Readonly<Record<ExperimentId, ExperimentInfo>> = {
  'cfr.aligned': { id: 'cfr.aligned', family: 'cfr', title: 'copy_file_range, recordsize-aligned range',
    purpose: 'The shape block cloning accepts: offsets and length are multiples of the source file\'s block size (the recordsize, for files of several records). A clone is expected.',
    articles: CFR_ARTICLES },
  'cfr.page': { id: 'cfr.page', family: 'cfr', title: 'copy_file_range, page-aligned only',
    purpose: 'Page alignment is enough for O_DIRECT but not for cloning, which works on whole blocks of the source file. A copy is expected.',
    misaligned: 'range', articles: CFR_ARTICLES },
  'cfr.misaligned': { id: 'cfr.misaligned', family: 'cfr', title: 'copy_file_range, misaligned range',
    purpose: 'A range aligned to nothing cannot be cloned, so the kernel has to copy the bytes. A copy is expected.',
    misaligned: 'range', articles: CFR_ARTICLES },
  'cfr.odirect.aligned': { id: 'cfr.odirect.aligned', family: 'cfr', title: 'copy_file_range on O_DIRECT descriptors, aligned',
    purpose: 'Shows whether O_DIRECT descriptors keep an aligned range from being cloned.',
    articles: CFR_ODIRECT_ARTICLES },
  'cfr.odirect.misaligned': { id: 'cfr.odirect.misaligned', family: 'cfr', title: 'copy_file_range on O_DIRECT descriptors, misaligned',
    purpose: 'The range cannot be cloned, so the kernel\'s fallback copy reads through the O_DIRECT descriptor. This is where the Direct I/O alignment rules, and the 2.3.0 bug openzfs#16958, meet copy_file_range.',
    misaligned: 'range', articles: CFR_ODIRECT_ARTICLES },
  'dio.read.aligned': { id: 'dio.read.aligned', family: 'dio', title: 'O_DIRECT pread, everything aligned',
    purpose: 'The baseline: a read that meets every Direct I/O alignment rule.',
    articles: ['how-direct-io-works'] },
  'dio.read.buf': { id: 'dio.read.buf', family: 'dio', title: 'O_DIRECT pread, misaligned buffer',
    purpose: 'Tests the buffer rule: OpenZFS 2.3 wants the user buffer aligned to the page size (512-byte alignment is not enough).',
    misaligned: 'buffer', articles: ['ZDIO001', 'how-direct-io-works'] },
  'dio.read.len': { id: 'dio.read.len', family: 'dio', title: 'O_DIRECT pread, misaligned length',
    purpose: 'Tests the length rule: the length must be a multiple of the page size.',
    misaligned: 'length', articles: ['ZDIO002', 'how-direct-io-works'] },
  'dio.read.off': { id: 'dio.read.off', family: 'dio', title: 'O_DIRECT pread, misaligned offset',
    purpose: 'Tests the file-offset rule: the offset must be a multiple of the page size.',
    misaligned: 'offset', articles: ['ZDIO003', 'how-direct-io-works'] },
  'dio.write.aligned': { id: 'dio.write.aligned', family: 'dio', title: 'O_DIRECT pwrite, everything aligned',
    purpose: 'The baseline: a whole-record write that meets every rule and can bypass the ARC.',
    articles: ['ZDIO004', 'how-direct-io-works'] },
  'dio.write.buf': { id: 'dio.write.buf', family: 'dio', title: 'O_DIRECT pwrite, misaligned buffer',
    purpose: 'Tests the buffer rule: OpenZFS 2.3 wants the user buffer aligned to the page size (512-byte alignment is not enough).',
    misaligned: 'buffer', articles: ['ZDIO001', 'how-direct-io-works'] },
  'dio.write.len': { id: 'dio.write.len', family: 'dio', title: 'O_DIRECT pwrite, misaligned length',
    purpose: 'Tests the length rule: the length must be a multiple of the page size.',
    misaligned: 'length', articles: ['ZDIO002', 'how-direct-io-works'] },
  'dio.write.off': { id: 'dio.write.off', family: 'dio', title: 'O_DIRECT pwrite, misaligned offset',
    purpose: 'Tests the file-offset rule: the offset must be a multiple of the page size.',
    misaligned: 'offset', articles: ['ZDIO003', 'how-direct-io-works'] },
};

/** The two matrix tables: rows are operations, columns are which parameter is misaligned. */
export interface MatrixTable {
  caption: string;
  columns: string[];
  rows: Array<{ label: string; cells: Array<ExperimentId | null> }>;
}

export const MATRIX: readonly MatrixTable[] = [
  { caption: 'copy_file_range: clone or copy',
    columns: ['Recordsize-aligned', 'Page-aligned only', 'Misaligned'],
    rows: [
      { label: 'Plain descriptors', cells: ['cfr.aligned', 'cfr.page', 'cfr.misaligned'] },
      { label: 'O_DIRECT descriptors', cells: ['cfr.odirect.aligned', null, 'cfr.odirect.misaligned'] },
    ] },
  { caption: 'O_DIRECT read and write: direct, ARC or error',
    columns: ['All aligned', 'Misaligned buffer', 'Misaligned length', 'Misaligned offset'],
    rows: [
      { label: 'pread', cells: ['dio.read.aligned', 'dio.read.buf', 'dio.read.len', 'dio.read.off'] },
      { label: 'pwrite', cells: ['dio.write.aligned', 'dio.write.buf', 'dio.write.len', 'dio.write.off'] },
    ] },
];

/** What the runner actually does for this experiment, from the probe's own catalogue. */
export function procedureOf(id: ExperimentId): string | undefined {
  const spec = PROBE_CATALOG.find((e) => e.id === id);
  // Not capitalised: most descriptions start with a function name (copy_file_range, O_DIRECT pread).
  return spec ? `${spec.description}.` : undefined;
}

export function familyOf(id: ExperimentId): Family { return id.startsWith('cfr.') ? 'cfr' : 'dio'; }

export function classify(id: ExperimentId, r: ExperimentResult | undefined): OutcomeInfo {
  if (!r) return { outcome: 'missing', label: 'Not run', detail: 'no result in this report' };
  if (r.result === 'error') return { outcome: 'error', label: r.errno ?? 'Error', detail: 'call failed' };
  if (r.dataOk === false) return { outcome: 'error', label: 'Bad data', detail: 'content check failed' };
  const bytes = r.bytes === null ? '' : formatBytes(r.bytes);
  if (familyOf(id) === 'cfr') {
    if (r.cloned === true) return { outcome: 'cloned', label: 'Cloned', detail: bytes };
    if (r.cloned === false) return { outcome: 'copied', label: 'Copied', detail: bytes };
    return { outcome: 'unknown', label: 'OK', detail: 'clone not measured' };
  }
  if (r.io === 'direct') return { outcome: 'direct', label: 'Direct', detail: bytes };
  if (r.io === 'arc') return { outcome: 'arc', label: 'ARC', detail: bytes };
  return { outcome: 'unknown', label: 'OK', detail: 'path not measured' };
}

export function findExperiment(report: ProbeReport | null, id: ExperimentId): ExperimentResult | undefined {
  return report?.experiments.find((e) => e.id === id);
}

/**
 * What one result means, in a few sentences. Version statements follow the team fact sheet
 * (shared/reference/openzfs-direct-io-facts.md) and the 2.3.2 matrix measured in the VM rig.
 */
export function explainResult(info: ExperimentInfo, r: ExperimentResult | undefined, report: ProbeReport | null): string[] {
  if (!r) return ['This report has no result for this experiment. The probe may have been cancelled, or this version of the probe does not run it.'];
  const direct = report?.dataset?.properties.direct;
  const page = report?.pageSize ?? 4096;
  const lines: string[] = [];
  if (r.result === 'error') {
    lines.push(...explainError(info, r.errno, direct, page));
  } else if (r.dataOk === false) {
    lines.push('The call reported success, but the destination did not match the source byte for byte. Treat this as data corruption and report it with the probe JSON.');
  } else if (info.family === 'cfr') {
    if (r.cloned === true) {
      lines.push('The pool counter bclonesaved grew, so ZFS cloned the blocks: the destination shares the source\'s blocks and no data was copied.');
    } else if (r.cloned === false) {
      lines.push('bclonesaved did not grow: ZFS did not clone, and Linux fell back to copying the bytes. The call still succeeded.');
      if (info.id === 'cfr.aligned' || info.id === 'cfr.odirect.aligned') {
        lines.push('An aligned range is normally cloned. Likely reasons: block cloning is off (zfs_bclone_enabled=0, the default on 2.2.1 to 2.2.x, or feature@block_cloning not enabled on the pool), or the source had just been written and zfs_bclone_wait_dirty=0 (the default before 2.3.4).');
      } else {
        lines.push('That is expected: block cloning only handles ranges aligned to the source file\'s block size. Code that assumes a clone gets a slower, space-consuming copy instead.');
      }
    } else {
      lines.push('The call succeeded, but the probe could not read bclonesaved, so it cannot tell a clone from a copy.');
    }
    if (r.dataOk === true) lines.push('The copy was checked byte for byte and is correct.');
  } else {
    const verb = info.id.startsWith('dio.read') ? 'read' : 'write';
    if (r.io === 'direct') {
      lines.push(`The pool's iostats counted a direct ${verb}: the data went straight between your buffer and the disks, bypassing the ARC.`);
    } else if (r.io === 'arc') {
      lines.push(`The call succeeded, but the pool's iostats counted an ARC ${verb}, not a direct one.`);
      if (info.misaligned) {
        lines.push(`With direct=${direct ?? '?'} OpenZFS accepted the misaligned request and served it through the ARC instead of failing. Your code works here but loses the Direct I/O benefit, and the same code fails with EINVAL on a direct=standard dataset with OpenZFS 2.3.x.`);
      } else if (verb === 'write') {
        lines.push('Only the part of a Direct I/O write that covers whole records bypasses the ARC; the rest is a read-modify-write through the ARC.');
      }
    } else {
      lines.push(`The call succeeded. The probe could not tell whether it went direct: the pool's direct_read_count only counts direct reads that reach the disks, so a read served from a cached block looks the same as an ARC read.`);
    }
  }
  return lines;
}

function explainError(info: ExperimentInfo, errno: string | null, direct: string | undefined, page: number): string[] {
  const name = errno ?? 'an error';
  if (errno === 'EINVAL' && info.family === 'dio') {
    return [
      `OpenZFS 2.3.x accepts a Direct I/O request only when the buffer address, the length and the file offset are all multiples of the page size (${page} here). This request had a misaligned ${info.misaligned ?? 'parameter'}, and with direct=${direct ?? 'standard'} it was rejected with EINVAL.`,
      'On a direct=always dataset the same request is served through the ARC instead. From 2.4.0, a misaligned request falls back to uncached I/O and only fails when the module parameter zfs_dio_strict=1.',
    ];
  }
  if (errno === 'EINVAL' && info.family === 'cfr') {
    return [
      'The range could not be cloned, so the kernel fell back to copying, and that copy reads the source through its O_DIRECT descriptor. OpenZFS 2.3.x rejects a Direct I/O read that is not page-aligned, so the whole copy_file_range fails with EINVAL (measured on 2.3.2 with direct=standard).',
      'Open the descriptors without O_DIRECT for copies, or keep ranges aligned to the recordsize so they are cloned.',
    ];
  }
  if (errno === 'EAGAIN' && info.family === 'cfr') {
    return [
      'This is the signature of openzfs#16958: on OpenZFS 2.3.0 with Direct I/O active on the source (direct=always, or an O_DIRECT descriptor), the fallback copy for an uncloneable range fails with EAGAIN. Retrying does not help.',
      'Fixed in 2.3.1. Until you can upgrade, use direct=standard without O_DIRECT descriptors for copies, or clone only recordsize-aligned ranges.',
    ];
  }
  if (errno === 'EXDEV') return ['EXDEV: the kernel refused to copy between these files (different file systems, or encryption keys that do not match for cloning).'];
  if (errno === 'EOPNOTSUPP' || errno === 'ENOSYS') return [`${name}: this kernel or file system does not support the call. Code must fall back to read/write.`];
  return [`The call failed with ${name}. The probe JSON in the output channel has the details.`];
}

const STATUS_ORDER: Record<VerdictStatus, number> = { affected: 0, unknown: 1, 'not-affected': 2 };

/** Affected first, then contradictions, then unknown, then not affected; stable otherwise. */
export function sortVerdicts(verdicts: readonly Verdict[]): Verdict[] {
  return verdicts
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (STATUS_ORDER[a.v.status] - STATUS_ORDER[b.v.status])
      || (Number(!!b.v.contradiction) - Number(!!a.v.contradiction)) || a.i - b.i)
    .map(({ v }) => v);
}

export const STATUS_LABEL: Record<VerdictStatus, string> = {
  affected: 'Affected', 'not-affected': 'Not affected', unknown: 'Unknown',
};

/** The article for a verdict: its explicit article when known, else the convention from TEAM.md. */
export function verdictArticle(v: Verdict, known: ReadonlySet<string>): string | undefined {
  for (const candidate of [v.article, articleIdForIssue(v.issue)]) {
    if (!candidate) continue;
    const id = candidate.replace(/^.*\//, '').replace(/\.md$/, '');
    if (known.has(id)) return id;
  }
  return undefined;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && value % 1024 === 0 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return unit === 0 ? `${n} B` : `${value}${units[unit]}`;
}

/** recordsize etc. arrive as raw byte strings from `zfs get -Hp`; show both forms. */
export function formatProperty(name: string, value: string): string {
  if ((name === 'recordsize' || name === 'volblocksize') && /^\d+$/.test(value)) {
    const n = Number(value);
    const short = formatBytes(n);
    return short.endsWith(' B') ? value : `${short} (${value})`;
  }
  return value;
}

/** The dataset properties the panel shows, in this order; others are listed after them. */
export const KEY_PROPERTIES = ['direct', 'recordsize', 'compression', 'encryption', 'checksum', 'sync'] as const;

/** A probe error message as a sentence for the panel: capitalised. */
export function tidyReason(message: string): string {
  const text = message.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Text from the known-issues database with its `inline code` spans marked (CommonMark rule: a span
 * closes at the next backtick run of the same length; an unmatched run stays literal text).
 */
export function splitInlineCode(text: string): Array<{ code: boolean; text: string }> {
  const parts: Array<{ code: boolean; text: string }> = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') { plain += text[i]; i++; continue; }
    let run = 1;
    while (text[i + run] === '`') run++;
    const fence = '`'.repeat(run);
    let close = text.indexOf(fence, i + run);
    while (close !== -1 && (text[close + run] === '`' || text[close - 1] === '`')) close = text.indexOf(fence, close + 1);
    if (close === -1) { plain += fence; i += run; continue; }
    if (plain) parts.push({ code: false, text: plain });
    plain = '';
    const inner = text.slice(i + run, close);
    const trimmed = /^ .* $/.test(inner) && inner.trim() ? inner.slice(1, -1) : inner;
    parts.push({ code: true, text: trimmed });
    i = close + run;
  }
  if (plain) parts.push({ code: false, text: plain });
  return parts;
}
