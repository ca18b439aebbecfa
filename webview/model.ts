// What the panel says about probe data: outcome classes for the matrix, the experiment catalogue
// behind each cell's explanation, verdict ordering and number formatting. No DOM here, so the unit
// tests run it on plain Node.
import type { ExperimentId, ExperimentResult, ProbeReport, Verdict, VerdictStatus } from '../src/core/types';
import { articleIdForIssue, EXPERIMENTS as PROBE_CATALOG, type ExperimentFamily, type ExperimentSpec, type Misalignment } from '../src/core/panel-protocol';

export type Outcome = 'cloned' | 'copied' | 'direct' | 'arc' | 'uncached' | 'error' | 'unknown' | 'missing';

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
  { outcome: 'uncached', label: 'Uncached', meaning: 'the I/O went through the ARC without staying there (the 2.4 fallback)' },
  { outcome: 'error', label: 'Error', meaning: 'the call failed (errno shown)' },
  { outcome: 'unknown', label: 'OK', meaning: 'succeeded, path not measurable' },
];

type Family = ExperimentFamily;

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
const CLONE_ARTICLES = ['copy-file-range-and-block-cloning'];
const DIO_RULE_ARTICLES: Partial<Record<Misalignment, string>> = { buffer: 'ZDIO001', length: 'ZDIO002', offset: 'ZDIO003' };

function articlesOf(spec: ExperimentSpec): string[] {
  if (spec.family === 'cfr') return spec.id.startsWith('cfr.odirect.') ? CFR_ODIRECT_ARTICLES : CFR_ARTICLES;
  if (spec.family === 'clone') return spec.id === 'ficlone.fresh' ? ['openzfs-17455', ...CLONE_ARTICLES] : CLONE_ARTICLES;
  const rule = DIO_RULE_ARTICLES[spec.misaligned] ?? (spec.kind === 'pwrite' ? 'ZDIO004' : undefined);
  return rule ? [rule, 'how-direct-io-works'] : ['how-direct-io-works'];
}

function misalignedOf(m: Misalignment): ExperimentInfo['misaligned'] {
  if (m === 'none') return undefined;
  return m === 'page-only' || m === 'offset+length' ? 'range' : m;
}

/** The panel's view of each experiment: label, purpose and misalignment come from the probe's catalog. */
export const EXPERIMENTS: Readonly<Record<ExperimentId, ExperimentInfo>> = Object.fromEntries(PROBE_CATALOG.map((spec) => {
  const misaligned = misalignedOf(spec.misaligned);
  const info: ExperimentInfo = { id: spec.id, family: spec.family, title: spec.label, purpose: spec.purpose, articles: articlesOf(spec) };
  if (misaligned) info.misaligned = misaligned;
  return [spec.id, info];
})) as Record<ExperimentId, ExperimentInfo>;

export const EXPERIMENT_COUNT = PROBE_CATALOG.length;

/** The matrix tables: rows are operations, columns are which parameter is misaligned. */
export interface MatrixTable {
  caption: string;
  columns: string[];
  rows: Array<{ label: string; cells: Array<ExperimentId | null> }>;
}

const TABLE_CAPTIONS: Record<Family, string> = {
  cfr: 'copy_file_range: clone or copy',
  clone: 'FICLONE and FICLONERANGE: clone or error',
  dio: 'O_DIRECT read and write: direct, ARC, uncached or error',
};

/** One table per family, rows and columns in the catalog's order of first appearance. */
export const MATRIX: readonly MatrixTable[] = (['cfr', 'clone', 'dio'] as const).map((family) => {
  const specs = PROBE_CATALOG.filter((e) => e.family === family);
  const columns = [...new Set(specs.map((e) => e.column))];
  const rows = [...new Set(specs.map((e) => e.row))].map((label) => ({
    label,
    cells: columns.map((c) => specs.find((e) => e.row === label && e.column === c)?.id ?? null),
  }));
  return { caption: TABLE_CAPTIONS[family], columns, rows };
});

/** What the runner actually does for this experiment, from the probe's own catalogue. */
export function procedureOf(id: ExperimentId): string | undefined {
  const spec = PROBE_CATALOG.find((e) => e.id === id);
  // Not capitalised: most descriptions start with a function name (copy_file_range, O_DIRECT pread).
  return spec ? `${spec.description}.` : undefined;
}

export function familyOf(id: ExperimentId): Family { return EXPERIMENTS[id].family; }

export function classify(id: ExperimentId, r: ExperimentResult | undefined): OutcomeInfo {
  if (!r) return { outcome: 'missing', label: 'Not run', detail: 'no result in this report' };
  if (r.result === 'error') return { outcome: 'error', label: r.errno ?? 'Error', detail: 'call failed' };
  if (r.dataOk === false) return { outcome: 'error', label: 'Bad data', detail: 'content check failed' };
  const bytes = r.bytes === null ? '' : formatBytes(r.bytes);
  if (familyOf(id) !== 'dio') {
    if (r.cloned === true) return { outcome: 'cloned', label: 'Cloned', detail: bytes };
    if (r.cloned === false) return { outcome: 'copied', label: 'Copied', detail: bytes };
    return { outcome: 'unknown', label: 'OK', detail: 'clone not measured' };
  }
  if (r.io === 'direct') return { outcome: 'direct', label: 'Direct', detail: bytes };
  if (r.io === 'arc') return { outcome: 'arc', label: 'ARC', detail: bytes };
  if (r.io === 'uncached') return { outcome: 'uncached', label: 'Uncached', detail: bytes };
  return { outcome: 'unknown', label: 'OK', detail: 'path not measured' };
}

export function findExperiment(report: ProbeReport | null, id: ExperimentId): ExperimentResult | undefined {
  return report?.experiments.find((e) => e.id === id);
}

/**
 * What one result means, in a few sentences. Version statements follow the known-issues database and
 * the matrices that `npm run test:zfs` measures on real modules (test/fixtures/probe/real/).
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
  } else if (info.family === 'clone') {
    if (r.cloned === true) lines.push('The pool counter bclonesaved grew: the ioctl cloned the blocks.');
    else if (r.cloned === false) lines.push('The ioctl succeeded but bclonesaved did not grow, so the pool counted no shared blocks.');
    else lines.push('The ioctl succeeded, but the probe could not read bclonesaved, so the clone is not confirmed by the pool counters.');
    if (info.id === 'ficlone.fresh' && report?.moduleParameters?.zfs_bclone_wait_dirty === '1') lines.push('The source had just been written, so its blocks were still dirty: this module waited for the txg to sync and then cloned (zfs_bclone_wait_dirty=1).');
    if (r.dataOk === true) lines.push('The destination was checked byte for byte and is correct.');
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
    } else if (r.io === 'uncached') {
      lines.push(`The call succeeded through the ARC, but its data did not stay cached: a second read of the range had to go to the disks. This is the uncached fallback of OpenZFS 2.4, which serves an O_DIRECT request that cannot go direct through the ARC without keeping it.`);
      if (info.misaligned) lines.push('Your code works here without the Direct I/O benefit, and it fails with EINVAL where zfs_dio_strict=1, and on OpenZFS 2.3.x with direct=standard.');
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
  if (errno === 'EAGAIN' && info.id === 'ficlone.fresh') {
    return [
      'The source had just been written and its blocks were still dirty in the open txg. With zfs_bclone_wait_dirty=0 (the default before 2.3.4) OpenZFS refuses to clone them and the ioctl fails with EAGAIN (openzfs#17455); copy_file_range would have copied instead.',
      'Sync the source first (fsync is not enough: the txg must sync), retry after the txg timeout, or set zfs_bclone_wait_dirty=1.',
    ];
  }
  if (errno === 'EINVAL' && info.family === 'clone') {
    return ['The clone ioctls only take ranges aligned to the source file\'s block size (the recordsize for files of several records); there is no copy fallback, so a misaligned range fails with EINVAL. Use copy_file_range, which copies what it cannot clone.'];
  }
  if ((errno === 'EOPNOTSUPP' || errno === 'ENOTSUP' || errno === 'ENOTTY') && info.family === 'clone') {
    return [`${name}: this module cannot clone blocks (OpenZFS before 2.2, block cloning disabled with zfs_bclone_enabled=0, or feature@block_cloning not enabled on the pool). Code that clones needs a copy fallback.`];
  }
  if (errno === 'EXDEV') return ['EXDEV: the kernel refused to copy between these files (different file systems, or encryption keys that do not match for cloning).'];
  if (errno === 'EOPNOTSUPP' || errno === 'ENOTSUP' || errno === 'ENOSYS') return [`${name}: this kernel or file system does not support the call. Code must fall back to read/write.`];
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

/** The article for a verdict: its explicit article when known, else the one its issue id names (articleIdForIssue). */
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
