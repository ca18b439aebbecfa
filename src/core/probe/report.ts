// Assembles the ProbeReport (the `zfs-dio probe --json` document, version 1) from what discovery
// and the runner measured. Pure: fixture tests build reports from recorded output with it.
import type { AbRun, DatasetInfo, ExperimentResult, ProbeReport } from '../types';
import type { PoolFacts } from './discover';
import type { ZfsVersions } from './parse';
import type { RunnerOutput } from './experiments/run-matrix';
import { EXPERIMENT_IDS } from './experiments/catalog';

export interface ReportParts {
  dataset: DatasetInfo;
  versions: ZfsVersions;
  kernel: string | null;
  moduleParameters: Record<string, string | null>;
  pool: PoolFacts | null;
  runner: RunnerOutput;
  runnerScript: string;
  ab?: { runs: AbRun[]; destroyed: string[] } | null;
  notes?: string[];
}

export function assembleReport(parts: ReportParts): ProbeReport {
  const notes = [...(parts.notes ?? []), ...parts.runner.notes];
  if (parts.runner.statxNote) notes.push(`STATX_DIOALIGN: ${parts.runner.statxNote}`);
  if (!('direct' in parts.dataset.properties) && parts.dataset.propertySources?.recordsize !== 'statfs') {
    notes.push('this OpenZFS userland has no `direct` dataset property (it appeared in 2.3.0)');
  }
  if (parts.pool && parts.pool.iostats === null) {
    notes.push(`no iostats kstat for pool ${parts.pool.name} (it exists from OpenZFS 2.3.0): direct/ARC cannot be measured`);
  }
  const unknownIo = parts.runner.experiments.filter((e) => e.id.startsWith('dio.') && e.result === 'ok' && e.io === 'unknown');
  if (unknownIo.length) {
    notes.push(`io "unknown" for ${unknownIo.map((e) => e.id).join(', ')}: the iostats counters only count I/O that reached the disks, `
      + 'so an I/O served from a cache moves neither the direct nor the ARC counter');
  }
  const report: ProbeReport = {
    version: 1,
    dataset: parts.dataset,
    zfs: { kmod: parts.versions.kmod, userland: parts.versions.userland },
    kernel: parts.kernel,
    pageSize: parts.runner.pageSize,
    moduleParameters: parts.moduleParameters,
    pool: parts.pool ? { name: parts.pool.name, features: parts.pool.features, properties: poolProperties(parts.pool) } : null,
    statxDioAlign: parts.runner.statxDioAlign
      ? { memAlign: parts.runner.statxDioAlign.memAlign, offsetAlign: parts.runner.statxDioAlign.offsetAlign }
      : null,
    experiments: sortExperiments(parts.runner.experiments),
    verdicts: [],
    notes,
    run: {
      scratchDir: parts.runner.scratchDir,
      runner: parts.runnerScript,
      python: parts.runner.python,
      syncMethod: parts.runner.syncMethod,
      durationMs: parts.runner.durationMs,
      cleanedUp: parts.runner.cleanedUp,
      ...(parts.runner.cleanupProblem ? { cleanupProblem: parts.runner.cleanupProblem } : {}),
    },
  };
  if (parts.ab !== undefined) report.ab = parts.ab;
  return report;
}

function poolProperties(pool: PoolFacts): Record<string, string> {
  const props = { ...pool.properties };
  // iostats counters go into the pool properties as strings, prefixed, so the report stays flat JSON
  for (const [k, v] of Object.entries(pool.iostats ?? {})) {
    if (k.startsWith('direct_') || k.startsWith('arc_')) props[`iostats.${k}`] = String(v);
  }
  return props;
}

function sortExperiments(list: ExperimentResult[]): ExperimentResult[] {
  return [...list].sort((a, b) => EXPERIMENT_IDS.indexOf(a.id) - EXPERIMENT_IDS.indexOf(b.id));
}
