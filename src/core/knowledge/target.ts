// The target system: where the scanned program's data lives, which is rarely the machine the source
// tree is on. A target is a dataset of this machine or a saved probe report from another one; findings
// then speak about that system's module version, direct= value, parameters and recordsize. Pure: the
// outcomes come from the known-issues verdicts, so the database stays the one owner of those facts.
import type { ProbeReport, Severity } from '../types';
import { evaluate } from './verdicts';
import { formatZfs, parseZfsVersion } from './versions';

/** What one kind of finding does on the target: its severity and the words that say so. */
export interface TargetOutcome {
  severity: Severity;
  /** A short clause for the message, e.g. "EAGAIN" or "copied, not cloned". */
  consequence: string;
  /** The known issue that decides it, when one does. */
  issue?: string;
}

/** Plain data (it crosses into scan workers with the settings). */
export interface TargetSystem {
  /** "tank/vm, OpenZFS 2.3.0, direct=always": how the hover and the panel name the target. */
  summary: string;
  /** "tank/vm (2.3.0, direct=always)": how messages name it, in fewer characters. */
  brief: string;
  /** "tank/vm (2.3.0)": how a message names it when the brief name does not fit. */
  terse: string;
  dataset: string | null;
  kmod: string | null;
  direct: string | null;
  recordsize: number | null;
  /** Where the facts come from: a dataset read on this machine, or a saved report. */
  origin: 'dataset' | 'report';
  /** For a saved report: where, when and by which tool version it was made, when it says so. */
  host?: string;
  createdAt?: string;
  toolVersion?: string;
  /** copy_file_range on plain descriptors whose range cannot be cloned (ZDIO010). */
  copyFallback: TargetOutcome;
  /** copy_file_range on O_DIRECT descriptors (ZDIO011). */
  odirectCopy: TargetOutcome;
  /** A misaligned O_DIRECT read or write (ZDIO001-003). */
  odirectMisaligned: TargetOutcome;
}

function parseSize(v: string | undefined): number | null {
  if (!v || !/^\d+$/.test(v.trim())) return null;
  const n = Number(v.trim());
  return n > 0 ? n : null;
}

/** Reads the target out of a probe report (experiments are not needed: the verdicts come from the facts). */
export function targetFromReport(report: ProbeReport, origin: TargetSystem['origin']): TargetSystem {
  const verdicts = evaluate(report);
  const affected = (id: string): boolean => verdicts.some((v) => v.issue === id && v.status === 'affected');
  const dataset = report.dataset?.name ?? null;
  const directRaw = report.dataset?.properties?.direct?.trim().toLowerCase();
  const direct = directRaw === 'always' || directRaw === 'standard' || directRaw === 'disabled' ? directRaw : null;
  const kmod = parseZfsVersion(report.zfs?.kmod);
  const strict = report.moduleParameters?.zfs_dio_strict?.trim();
  const settings = [...(direct ? [`direct=${direct}`] : []), ...(strict === '1' ? ['zfs_dio_strict=1'] : [])];
  const parts = [dataset ?? 'the target', kmod ? `OpenZFS ${formatZfs(kmod)}` : 'OpenZFS version unknown', ...settings];
  const version = kmod ? formatZfs(kmod) : 'version unknown';
  const brief = `${dataset ?? 'the target'} (${[version, ...settings].join(', ')})`;

  // Before 2.2 nothing is cloned, aligned or not: the range's alignment changes nothing until an upgrade.
  const copyFallback: TargetOutcome = affected('openzfs#16958') && direct === 'always'
    ? { severity: 'error', consequence: 'EAGAIN', issue: 'openzfs#16958' }
    : affected('pre-2.2-no-clone')
      ? { severity: 'information', consequence: 'never cloned pre-2.2', issue: 'pre-2.2-no-clone' }
      : { severity: 'warning', consequence: 'copied, not cloned' };

  let odirectCopy: TargetOutcome;
  if (affected('openzfs#16958')) odirectCopy = { severity: 'error', consequence: 'EAGAIN if not cloneable', issue: 'openzfs#16958' };
  else if (affected('openzfs#16953')) odirectCopy = { severity: 'error', consequence: 'a misaligned range gets EINVAL', issue: 'openzfs#16953' };
  else if (affected('openzfs#17218')) odirectCopy = { severity: 'information', consequence: 'a misaligned range is copied uncached', issue: 'openzfs#17218' };
  else odirectCopy = { severity: 'warning', consequence: 'copied, not cloned' };

  let odirectMisaligned: TargetOutcome;
  if (affected('openzfs#16953')) odirectMisaligned = { severity: 'error', consequence: 'EINVAL', issue: 'openzfs#16953' };
  else if (affected('openzfs#17218')) odirectMisaligned = { severity: 'information', consequence: 'uncached, not EINVAL', issue: 'openzfs#17218' };
  else if (affected('pre-2.3-odirect')) odirectMisaligned = { severity: 'information', consequence: 'cached, no Direct I/O pre-2.3', issue: 'pre-2.3-odirect' };
  else if (direct === 'disabled') odirectMisaligned = { severity: 'information', consequence: 'O_DIRECT is ignored (direct=disabled)' };
  else if (direct === 'always') odirectMisaligned = { severity: 'information', consequence: 'through the ARC, no error' };
  else odirectMisaligned = { severity: 'warning', consequence: 'EINVAL on 2.3.x, uncached on 2.4+' };

  return {
    summary: parts.join(', '),
    brief,
    terse: `${dataset ?? 'the target'} (${version})`,
    dataset, kmod: report.zfs?.kmod ?? null, direct,
    recordsize: parseSize(report.dataset?.properties?.recordsize),
    origin,
    ...(typeof report.host === 'string' ? { host: report.host } : {}),
    ...(typeof report.createdAt === 'string' ? { createdAt: report.createdAt } : {}),
    ...(typeof report.toolVersion === 'string' ? { toolVersion: report.toolVersion } : {}),
    copyFallback, odirectCopy, odirectMisaligned,
  };
}

/**
 * " (report made on prod-1 at … by zfs-dio 0.9.0)" for a saved report that says where, when or by which
 * version it was made; "" for a dataset of this machine, whose facts were read just now.
 */
export function targetProvenance(t: TargetSystem): string {
  if (t.origin !== 'report') return '';
  const made = [t.host ? `made on ${t.host}` : '', t.createdAt ? `at ${t.createdAt}` : '',
    t.toolVersion ? `by zfs-dio ${t.toolVersion}` : ''].filter(Boolean).join(' ');
  return made ? ` (report ${made})` : '';
}

/**
 * Parses a saved probe report (`zfs-dio probe --json`). Throws an Error whose message says what is
 * wrong, for the CLI and the editor to show as it is.
 */
export function parseTargetReport(text: string, name: string): ProbeReport {
  let data: unknown;
  try { data = JSON.parse(text); } catch (e) {
    throw new Error(`${name} is not JSON (${e instanceof Error ? e.message : String(e)}); a target report is the output of \`zfs-dio probe --json\``);
  }
  const r = data as Partial<ProbeReport> & { error?: unknown };
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw new Error(`${name} is not a probe report: expected a JSON object`);
  if (r.error !== undefined) throw new Error(`${name} records a probe that failed, not a report`);
  if (r.version !== 1) throw new Error(`${name} is not a version-1 probe report (no "version": 1)`);
  if (!r.zfs || typeof r.zfs !== 'object') throw new Error(`${name} has no "zfs" versions: it cannot say which OpenZFS the target runs`);
  if (r.dataset !== null && r.dataset !== undefined && (typeof r.dataset !== 'object' || typeof r.dataset.name !== 'string')) {
    throw new Error(`${name} has a malformed "dataset"`);
  }
  return { experiments: [], verdicts: [], kernel: null, pageSize: null, dataset: null, ...r } as ProbeReport;
}

/**
 * What a misaligned O_DIRECT read or write that the target did not refuse really went through, as
 * the verdicts decide it ("through the ARC, no error", "uncached fallback, not EINVAL"…); undefined
 * when the target refuses such a call or the verdicts cannot say. Every outcome of a call that is
 * served is an information, a refusal an error, and a guess between the two a warning.
 */
export function servedMisalignedODirect(t: TargetSystem): string | undefined {
  return t.odirectMisaligned.severity === 'information' ? t.odirectMisaligned.consequence : undefined;
}
