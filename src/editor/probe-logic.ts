// Pure helpers for the "Probe Dataset…" command: quick-pick ordering and texts, and the user-facing
// messages. The texts here are what the end-to-end suites select on.
import type { DatasetInfo, ProbeErrorCode, ProbeReport } from '../core/types';
import type { ProbeSettings } from '../shared/settings';

export const UI = {
  untrusted: 'ZFS Direct I/O: probes are disabled in an untrusted workspace. A probe runs zfs and zpool and writes scratch files on the dataset, so it needs a trusted workspace. Scanning still works.',
  untrustedTrace: 'ZFS Direct I/O: tracing is disabled in an untrusted workspace. Tracing runs the program you name under strace, so it needs a trusted workspace. Scanning still works.',
  untrustedDatasets: 'ZFS Direct I/O: reading dataset recordsizes is disabled in an untrusted workspace: it runs zfs. Files use zfsDio.recordsize until you trust the workspace. Scanning still works.',
  manageTrust: 'Manage Workspace Trust',
  noZfs: 'ZFS Direct I/O: No ZFS found on this machine.',
  noDatasets: 'ZFS Direct I/O: ZFS is installed, but no mounted ZFS dataset was found.',
  openExplanation: 'Open explanation',
  showLog: 'Show Log',
  pickPlaceholder: 'Pick the ZFS dataset to probe (experiments run in a scratch directory inside it)',
  progressTitle: 'ZFS Direct I/O: Probing',
  cancelled: 'ZFS Direct I/O: probe cancelled. Scratch files were removed.',
  abConfirm: 'Run A/B mode',
  abSkip: 'Probe only this dataset',
} as const;

/**
 * Why there is no probe here, said plainly, with the reason the probe module gave. When ZFS is
 * installed and only its module is not loaded, that reason says so (with zfs's own hint), and the
 * "No ZFS found" headline would be wrong.
 */
export function noZfsMessage(detail: string | undefined, zfsInstalled = false): string {
  const reason = sentence(detail ?? '');
  if (zfsInstalled && reason) return `ZFS Direct I/O: ${reason}`;
  return `${UI.noZfs}${reason ? ` ${reason}` : ''} A probe needs OpenZFS: the zfs and zpool commands and the zfs kernel module.`;
}

/** The article a probe error points at (`media/articles/<id>.md`), as an article id. */
export function articleIdOf(articlePath: string | undefined): string | undefined {
  const m = articlePath ? /(?:^|\/)([\w.#-]+)\.md$/.exec(articlePath) : null;
  return m ? m[1] : undefined;
}

/** Capitalised, ending with one full stop; empty stays empty. */
function sentence(text: string): string {
  const t = text.trim();
  if (!t) return '';
  return `${t[0]!.toUpperCase()}${t.slice(1)}`.replace(/([^.!?])$/, '$1.');
}

export function probeErrorMessage(code: ProbeErrorCode | undefined, message: string, zfsInstalled = false): string {
  const detail = sentence(message);
  switch (code) {
    case 'NO_ZFS': return noZfsMessage(detail, zfsInstalled);
    case 'NOT_ON_ZFS': return `ZFS Direct I/O: that path is not on a ZFS dataset. ${detail}`;
    case 'NO_DATASET': return `ZFS Direct I/O: dataset not found. ${detail}`;
    case 'PERMISSION': return `ZFS Direct I/O: permission denied. The probe needs write permission on the dataset's mountpoint (A/B mode needs root or zfs allow). ${detail}`;
    case 'TIMEOUT': return `ZFS Direct I/O: the probe timed out and was stopped (setting zfsDio.probe.timeoutSeconds). ${detail}`;
    case 'CANCELLED': return UI.cancelled;
    case 'BAD_INPUT': return `ZFS Direct I/O: the probe refused its input. ${detail}`;
    case 'TAMPERED': return `ZFS Direct I/O: the probe stopped because its scratch directory was replaced while it used it. ${detail}`;
    case 'NO_SPACE': return `ZFS Direct I/O: the dataset is full. ${detail}`;
    case 'RUNNER_FAILED': return `ZFS Direct I/O: the experiment runner failed. ${detail}`;
    default: return `ZFS Direct I/O: the probe failed. ${detail}`;
  }
}

/**
 * The warning to show when a probe, finished or failed, could not remove what it created on the
 * dataset; undefined when nothing was left behind.
 */
export function leftBehindWarning(outcome: { report?: ProbeReport; error?: unknown }): string | undefined {
  const run = outcome.report?.run;
  if (run && !run.cleanedUp) return `ZFS Direct I/O: the probe's scratch directory was not removed. ${sentence(run.cleanupProblem ?? run.scratchDir)}`;
  const left = (outcome.error as { leftBehind?: unknown } | null | undefined)?.leftBehind;
  if (typeof left === 'string' && left) return `ZFS Direct I/O: the probe could not clean up after itself. ${sentence(left)}`;
  return undefined;
}

/**
 * Orders datasets for the quick pick: the datasets holding the workspace folders first (in folder
 * order), then the rest by name. `datasetForPath` is the probe module's resolver (passed in, so this
 * module stays free of the probe's process-spawning imports at activation).
 */
export function orderDatasets(datasets: readonly DatasetInfo[], workspacePaths: readonly string[],
  datasetForPath: (datasets: readonly DatasetInfo[], absPath: string) => DatasetInfo | undefined,
): { dataset: DatasetInfo; holdsWorkspace: boolean; workspacePath?: string }[] {
  const holders = new Map<DatasetInfo, string>();   // dataset → first workspace folder on it
  for (const p of workspacePaths) {
    const h = datasetForPath(datasets, p);
    if (h && !holders.has(h)) holders.set(h, p);
  }
  const rest = datasets.filter((d) => !holders.has(d)).slice().sort((a, b) => a.name.localeCompare(b.name));
  return [
    ...[...holders].map(([dataset, workspacePath]) => ({ dataset, holdsWorkspace: true, workspacePath })),
    ...rest.map((dataset) => ({ dataset, holdsWorkspace: false })),
  ];
}

/**
 * What to hand the probe as its target. The probe creates its scratch directory inside the target directory;
 * a dataset's mountpoint is often writable only by root, while the user's own workspace folder on that dataset
 * is writable by them, so the workspace folder is preferred when the chosen dataset holds it.
 */
export function probeTarget(pick: { dataset: DatasetInfo; workspacePath?: string }): string {
  return pick.workspacePath ?? pick.dataset.name;
}

/** One-line summary of a dataset for the quick pick's detail row. */
export function datasetDetail(d: DatasetInfo): string {
  const props = d.properties;
  const parts: string[] = [];
  if (props.recordsize) parts.push(`recordsize ${formatBytes(props.recordsize)}`);
  parts.push(`direct=${props.direct ?? '(no direct property: before OpenZFS 2.3)'}`);
  for (const key of ['compression', 'encryption', 'sync']) if (props[key]) parts.push(`${key}=${props[key]}`);
  return parts.join(' · ');
}

export function formatBytes(raw: string | number): string {
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(n) || n <= 0) return String(raw);
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)}M`;
  if (n % 1024 === 0) return `${n / 1024}K`;
  return `${n}`;
}

/** Output-channel lines for a finished probe: what ran, what happened, which issues apply. */
export function reportLogLines(report: ProbeReport): string[] {
  const lines = [
    `dataset ${report.dataset?.name ?? '(none)'} at ${report.dataset?.mountpoint ?? '?'}: ${report.dataset ? datasetDetail(report.dataset) : ''}`,
    `OpenZFS kmod ${report.zfs.kmod ?? 'unknown'}, userland ${report.zfs.userland ?? 'unknown'}; kernel ${report.kernel ?? 'unknown'}; page size ${report.pageSize ?? 'unknown'}`,
  ];
  for (const e of report.experiments) {
    const outcome = e.result === 'ok' ? `ok${e.bytes !== null ? ` ${e.bytes} bytes` : ''}` : `error ${e.errno ?? ''}`.trim();
    const cloned = e.cloned === null ? '' : e.cloned ? ', cloned' : ', copied';
    lines.push(`  ${e.id.padEnd(24)} ${outcome}${cloned}, io ${e.io}`);
  }
  for (const v of report.verdicts) lines.push(`  ${v.issue}: ${v.status}${v.reasons.length ? ` (${v.reasons.join('; ')})` : ''}${v.contradiction ? ` [contradiction: ${v.contradiction}]` : ''}`);
  for (const n of report.notes ?? []) lines.push(`  note: ${n}`);
  return lines;
}

/**
 * Reads a saved `zfs-dio probe --json` report. Checks the fixed minimum shape (issue #3) so a wrong
 * file gets a clear message instead of an empty panel; the panel renders whatever else is there.
 */
export function parseProbeReportJson(text: string): { report: ProbeReport } | { error: string } {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (err) { return { error: `not JSON (${err instanceof Error ? err.message : String(err)})` }; }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'not a JSON object' };
  const o = raw as Record<string, unknown>;
  if (o.version !== 1) return { error: `unsupported report version ${JSON.stringify(o.version)} (expected 1)` };
  if (!Array.isArray(o.experiments)) return { error: 'no "experiments" array' };
  if (!Array.isArray(o.verdicts)) return { error: 'no "verdicts" array' };
  if (typeof o.zfs !== 'object' || o.zfs === null) return { error: 'no "zfs" object' };
  if (o.dataset !== null && (typeof o.dataset !== 'object' || typeof (o.dataset as Record<string, unknown>).name !== 'string')) {
    return { error: '"dataset" must be null or an object with a name' };
  }
  const badExperiment = (o.experiments as unknown[]).findIndex((e) => typeof e !== 'object' || e === null || typeof (e as Record<string, unknown>).id !== 'string');
  if (badExperiment >= 0) return { error: `experiment ${badExperiment} has no id` };
  const badVerdict = (o.verdicts as unknown[]).findIndex((v) => typeof v !== 'object' || v === null || typeof (v as Record<string, unknown>).issue !== 'string');
  if (badVerdict >= 0) return { error: `verdict ${badVerdict} has no issue id` };
  return { report: raw as ProbeReport };
}

/** The probe's options from the zfsDio.probe settings: the one mapping the command and the panel both use. */
export function probeRunOptions(p: ProbeSettings): { zfsPath?: string; zpoolPath?: string; pythonPath?: string; runnerTimeoutMs: number } {
  return {
    ...(p.zfsPath !== undefined ? { zfsPath: p.zfsPath } : {}),
    ...(p.zpoolPath !== undefined ? { zpoolPath: p.zpoolPath } : {}),
    ...(p.pythonPath !== undefined ? { pythonPath: p.pythonPath } : {}),
    runnerTimeoutMs: p.timeoutSeconds * 1000,
  };
}

/** A probe error's code, when it has one of the probe's. */
export function probeErrorCode(err: unknown): ProbeErrorCode | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code as ProbeErrorCode : undefined;
}
