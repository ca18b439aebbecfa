// Core probe API: listDatasets, runProbe, ProbeError and DatasetRecordsizeCache. Pure Node, no
// `vscode`: the extension and the CLI both call this.
import type { ExperimentId, ProbeOptions, ProbeReport } from '../types';
import { evaluate, experimentHazards } from '../knowledge/verdicts';
import { checkAbPrivileges, withAbChildren } from './ab';
import {
  discoverPool, discoverVersions, poolOf, readModuleParameters, resolveTarget, type DiscoveryContext, type PoolFacts,
} from './discover';
import { ProbeError } from './errors';
import { resolveBinary } from './exec';
import { EXPERIMENT_IDS } from './experiments/catalog';
import { defaultRunnerScript, runMatrix } from './experiments/run-matrix';
import { realHost, type ProbeHost } from './host';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './list';
import { assembleReport } from './report';
import { newRunId } from './scratch';
import { hostname } from 'node:os';
import { version as toolVersion } from '../../../package.json';

export { ProbeError, isProbeError, NO_ZFS_ARTICLE } from './errors';
export { listDatasets, datasetForPath } from './list';
export { DatasetRecordsizeCache } from './recordsize-cache';
export { datasetNameProblem, assertValidDatasetName, looksLikePath } from './names';
export { EXPERIMENTS, EXPERIMENT_IDS } from './experiments/catalog';
export type { ProbeHost } from './host';

export const DEFAULT_RUNNER_TIMEOUT_MS = 120000;
const DEFAULT_RECORDSIZE = 131072;

/** Knobs that are not user options: the machine and the runner location (tests, the bench). */
export interface ProbeInternals {
  host?: ProbeHost;
  runnerScript?: string;
  /** Run only these experiments (default: all). */
  experiments?: ExperimentId[];
}

/**
 * Discovers the target's dataset, versions, parameters and pool state, runs the experiment
 * matrix in a scratch directory on the dataset (a separate process: timeout, cancellation,
 * cleanup), optionally the A/B mode, and evaluates the known-issues database on the result.
 */
export async function runProbe(opts: ProbeOptions = {}, internals: ProbeInternals = {}): Promise<ProbeReport> {
  const host = internals.host ?? realHost();
  const progress = (step: string, fraction?: number) => opts.onProgress?.({ step, fraction });
  const log = (line: string) => opts.log?.(line);
  const checkCancelled = () => {
    if (opts.signal?.aborted) throw new ProbeError('CANCELLED', 'the probe was cancelled');
  };
  const commandTimeoutMs = opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const runnerTimeoutMs = opts.runnerTimeoutMs ?? DEFAULT_RUNNER_TIMEOUT_MS;
  const notes: string[] = [];

  progress('looking for the zfs and zpool commands', 0);
  const zfs = await resolveBinary('zfs', opts.zfsPath, host.env);
  const zpool = await resolveBinary('zpool', opts.zpoolPath, host.env);
  const ctx: DiscoveryContext = { host, zfs, zpool, timeoutMs: commandTimeoutMs, signal: opts.signal };
  log(`zfs: ${zfs}, zpool: ${zpool}`);

  progress('resolving the dataset', 0.02);
  const target = await resolveTarget(ctx, opts.target);
  const dataset = target.dataset;
  if (target.degraded) notes.push(target.degraded);
  // refuse A/B mode before spending time on the main matrix
  if (opts.ab) await checkAbPrivileges(ctx, dataset.name);
  // The runner opens the scratch parent without following links: hand it the resolved path.
  const workDir = target.kind === 'dataset'
    ? await host.realPath(target.workDir).catch((e: unknown) => { if (e instanceof ProbeError) throw e; return target.workDir; })
    : target.workDir;
  log(`dataset ${dataset.name} mounted at ${dataset.mountpoint}; scratch parent ${workDir}`);
  checkCancelled();

  progress('reading versions, module parameters and pool properties', 0.05);
  const versions = await discoverVersions(ctx);
  const moduleParameters = await readModuleParameters(host);
  const poolName = poolOf(dataset.name);
  let pool: PoolFacts | null = null;
  try {
    pool = await discoverPool(ctx, poolName);
  } catch (e) {
    if (e instanceof ProbeError && (e.code === 'TIMEOUT' || e.code === 'CANCELLED')) throw e;
    notes.push(`pool properties of ${poolName} could not be read: ${(e as Error).message}`);
  }
  checkCancelled();

  const python = await resolveBinary('python3', opts.pythonPath, host.env);
  const runnerScript = internals.runnerScript ?? defaultRunnerScript();
  const recordsize = Number(dataset.properties.recordsize) || DEFAULT_RECORDSIZE;

  // Never run an experiment that the database says can crash this kernel (e.g. #16952 on 2.3.0).
  const hazards = experimentHazards({ kmod: versions.kmod, kernel: host.kernelRelease() });
  const hazardous = new Set(hazards.map((h) => h.experiment));
  for (const h of hazards) notes.push(`skipped ${h.experiment}: ${h.issue}: ${h.reason}`);
  const experiments = hazardous.size
    ? (internals.experiments ?? EXPERIMENT_IDS).filter((id) => !hazardous.has(id))
    : internals.experiments;

  const runId = newRunId();
  progress('running the experiments', 0.1);
  const matrixProgress = (from: number, to: number) => (p: { step: string; fraction?: number }) =>
    progress(p.step, from + (to - from) * (p.fraction ?? 0));
  const runner = await runMatrix({
    host, python, runnerScript, zpool, pool: poolName, recordsize, workDir, runId,
    experiments, timeoutMs: runnerTimeoutMs, commandTimeoutMs, signal: opts.signal,
    onProgress: matrixProgress(0.1, opts.ab ? 0.4 : 0.95), log,
  });
  log(`runner finished in ${runner.durationMs} ms (sync: ${runner.syncMethod ?? 'none'})`);
  for (const p of runner.leftovers.removed) notes.push(`removed the leftover scratch directory ${p} of an earlier, killed run`);
  for (const k of runner.leftovers.kept) notes.push(`left alone: ${k.path} looks like a scratch directory of this tool, but ${k.reason}`);
  if (runner.leftovers.note) notes.push(runner.leftovers.note);

  let ab: ProbeReport['ab'];
  if (opts.ab) {
    checkCancelled();
    progress('A/B mode: creating temporary child datasets', 0.4);
    let slot = 0;
    // A fresh id: the scratch directory has shown runId to anyone who lists the dataset.
    const result = await withAbChildren(ctx, dataset, newRunId(), async (child) => {
      const span = slot++;
      const out = await runMatrix({
        host, python, runnerScript, zpool, pool: poolName,
        recordsize: Number(child.dataset.properties.recordsize) || recordsize,
        workDir: child.dataset.mountpoint, runId: newRunId(), experiments,
        timeoutMs: runnerTimeoutMs, commandTimeoutMs, signal: opts.signal,
        onProgress: matrixProgress(0.4 + span * 0.275, 0.675 + span * 0.275), log,
      });
      return { experiments: out.experiments, statxDioAlign: out.statxDioAlign
        ? { memAlign: out.statxDioAlign.memAlign, offsetAlign: out.statxDioAlign.offsetAlign } : null };
    });
    for (const n of result.leftoversRemoved) notes.push(`destroyed the leftover A/B dataset ${n} of an earlier, killed run`);
    ab = { runs: result.runs, destroyed: result.destroyed };
  }

  progress('evaluating known issues', 0.97);
  const report = assembleReport({
    dataset, versions, kernel: host.kernelRelease(), moduleParameters, pool, runner, runnerScript, ab, notes,
  });
  report.verdicts = evaluate(report);
  Object.assign(report, madeBy());
  progress('done', 1);
  return report;
}

/** Where, when and by which version a report was made: a saved report must say so. */
function madeBy(): Pick<ProbeReport, 'host' | 'createdAt' | 'toolVersion'> {
  return { host: hostname(), createdAt: new Date().toISOString(), toolVersion };
}

/**
 * The facts of a dataset of this machine without running any experiment: its properties, the module
 * version and parameters. Read-only (zfs get, /sys/module/zfs), for a scan target.
 */
export async function describeDataset(name: string, opts: { zfsPath?: string; signal?: AbortSignal; host?: ProbeHost } = {}): Promise<ProbeReport> {
  const host = opts.host ?? realHost();
  const zfs = await resolveBinary('zfs', opts.zfsPath, host.env);
  const ctx: DiscoveryContext = { host, zfs, zpool: zfs, timeoutMs: DEFAULT_COMMAND_TIMEOUT_MS, signal: opts.signal };
  const { dataset } = await resolveTarget(ctx, name);
  const versions = await discoverVersions(ctx);
  const report: ProbeReport = {
    version: 1, dataset, zfs: { kmod: versions.kmod, userland: versions.userland }, kernel: host.kernelRelease(),
    pageSize: null, moduleParameters: await readModuleParameters(host), experiments: [], verdicts: [], ...madeBy(),
  };
  report.verdicts = evaluate(report);
  return report;
}
