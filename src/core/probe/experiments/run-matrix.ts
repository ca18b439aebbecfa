// Runs the Python experiment runner in its own process (through the exec wrapper: timeout,
// cancellation) and turns its JSON into ExperimentResults. When the runner could not report its own
// cleanup (cancelled, timed out, killed, crashed), the runner is started once more in its cleanup
// mode after the first process has ended: file removal always happens through directory descriptors,
// which only the runner has.
import path from 'node:path';
import type { ExperimentId, ExperimentResult, ProbeErrorCode, ProbeProgress } from '../../types';
import { ProbeError } from '../errors';
import type { ProbeHost } from '../host';
import { scratchPathFor } from '../scratch';
import {
  EXPERIMENT_IDS, experimentSpec, IO_PATHS, isExperimentId, RUNNER_PHASES,
  type CallOf, type ExperimentFile, type ExperimentKind, type FilePreparation, type IoPath, type RunnerPhase,
} from './catalog';

export const RUNNER_FILE = 'zfs_dio_runner.py';

/** dist/probe/zfs_dio_runner.py next to the bundle (build.mjs copies src/core/probe/runner/ there). */
export function defaultRunnerScript(): string {
  return path.join(__dirname, 'probe', RUNNER_FILE);
}

export interface MatrixRequest {
  host: ProbeHost;
  python: string;
  runnerScript: string;
  zpool: string;
  pool: string;
  recordsize: number;
  workDir: string;
  runId: string;
  /** The experiments to run (default: all), performed in the catalog's order. */
  experiments?: readonly ExperimentId[];
  timeoutMs: number;
  commandTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (p: ProbeProgress) => void;
  log?: (line: string) => void;
}

/** Scratch directories of earlier runs that the runner found next to its own. */
export interface LeftoverScan {
  removed: string[];
  /** Look-alikes left alone, each with the reason. */
  kept: { path: string; reason: string }[];
  /** Why the parent directory could not be looked through, when it could not. */
  note: string | null;
}

export interface RunnerOutput {
  pageSize: number | null;
  python: string | null;
  statxDioAlign: { memAlign: number; offsetAlign: number; blksize?: number } | null;
  statxNote: string | null;
  experiments: ExperimentResult[];
  syncMethod: string | null;
  notes: string[];
  cleanedUp: boolean;
  /** What was left on the dataset and why, when cleanedUp is false. */
  cleanupProblem: string | null;
  leftovers: LeftoverScan;
  scratchDir: string;
  durationMs: number;
}

const RUNNER_ENV = { LC_ALL: 'C', PYTHONDONTWRITEBYTECODE: '1' };
// -I: isolated mode, ignores PYTHONPATH/PYTHONHOME and the user's site-packages
const runnerArgs = (script: string) => ['-I', script];

export async function runMatrix(req: MatrixRequest): Promise<RunnerOutput> {
  const scratchDir = scratchPathFor(req.workDir, req.runId);
  const config = {
    mode: 'run', workDir: req.workDir, runId: req.runId, pool: req.pool, recordsize: req.recordsize, zpool: req.zpool,
    commandTimeout: Math.max(1, Math.round(req.commandTimeoutMs / 1000)),
    plan: runnerPlan(req.experiments ?? EXPERIMENT_IDS),
  };
  let res;
  try {
    res = await req.host.exec(req.python, runnerArgs(req.runnerScript), {
      timeoutMs: req.timeoutMs, signal: req.signal, input: JSON.stringify(config), cwd: '/',
      label: 'the experiment runner',
      env: RUNNER_ENV,
      onStderrLine: (line) => {
        const m = /^PROGRESS (\d+)\/(\d+) (.*)$/.exec(line);
        if (m) req.onProgress?.({ step: m[3]!, fraction: Number(m[1]) / Math.max(1, Number(m[2])) });
        else if (line.trim()) req.log?.(`runner: ${line}`);
      },
    });
  } catch (e) {
    // Cancelled, timed out or killed: its own cleanup may not have run, or not to the end.
    throw withCleanup(e, await cleanupRun(req));
  }
  const raw = runnerJson(res.stdout);
  if (raw && !raw.error) return toRunnerOutput(raw, scratchDir, res.durationMs);
  const error = runnerError(raw, res.stderr, res.exitCode);
  // A report that says how its cleanup went is believed; without one, the cleanup mode makes sure.
  if (raw?.cleanedUp === true) throw error;
  if (raw?.cleanedUp === false) throw withCleanup(error, { removed: false, problem: raw.cleanupProblem ?? `${scratchDir} could not be removed` });
  throw withCleanup(error, await cleanupRun(req));
}

/** One experiment as the runner is told it: the catalog's call, with its kind, file and id. */
export type RunnerPlanExperiment = { [K in ExperimentKind]: { id: ExperimentId; kind: K; file: ExperimentFile } & CallOf[K] }[ExperimentKind];

export interface RunnerPlanPhase {
  phase: RunnerPhase;
  prepare: FilePreparation;
  experiments: RunnerPlanExperiment[];
}

/**
 * What the runner performs, from the catalog: the phases that have an experiment asked for, in the
 * catalog's order, each with those of its experiments that were asked for. The runner holds no
 * experiment of its own: this plan is all it knows about them.
 */
export function runnerPlan(ids: readonly ExperimentId[]): RunnerPlanPhase[] {
  const wanted = new Set(ids);
  const plan: RunnerPlanPhase[] = [];
  for (const id of EXPERIMENT_IDS) {
    if (!wanted.has(id)) continue;
    const spec = experimentSpec(id);
    let last = plan[plan.length - 1];
    if (last?.phase !== spec.phase) {
      last = { phase: spec.phase, prepare: RUNNER_PHASES[spec.phase].prepare, experiments: [] };
      plan.push(last);
    }
    last.experiments.push({ id, kind: spec.kind, file: spec.file, ...spec.call } as RunnerPlanExperiment);
  }
  return plan;
}

export interface CleanupOutcome { removed: boolean; problem: string | null }

/**
 * Starts the runner in its cleanup mode for one run: it removes `.zfs-dio-probe-<runId>` when that is a
 * real directory owned by this user with mode 0700, through descriptors, and leaves anything else alone
 * (then it is not ours, and nothing of ours is left). Never cancelled: a cancelled probe must still
 * clean up. Resolves, never rejects.
 */
export async function cleanupRun(req: Pick<MatrixRequest, 'host' | 'python' | 'runnerScript' | 'workDir' | 'runId' | 'commandTimeoutMs'>): Promise<CleanupOutcome> {
  const where = scratchPathFor(req.workDir, req.runId);
  try {
    const res = await req.host.exec(req.python, runnerArgs(req.runnerScript), {
      timeoutMs: Math.max(req.commandTimeoutMs, 30000), cwd: '/', label: 'the experiment runner (cleanup)', env: RUNNER_ENV,
      input: JSON.stringify({ mode: 'cleanup', workDir: req.workDir, runId: req.runId }),
    });
    const raw = runnerJson(res.stdout);
    if (!raw) return { removed: false, problem: `${where} may be left behind: the cleanup exited with status ${res.exitCode} without a report` };
    if (raw.error) return { removed: false, problem: `${where} may be left behind: ${raw.error.message ?? 'the cleanup failed'}` };
    if (raw.cleanedUp === true) return { removed: true, problem: null };
    return { removed: false, problem: raw.cleanupProblem ?? `${where} could not be removed` };
  } catch (e) {
    return { removed: false, problem: `${where} may be left behind: ${(e as Error).message}` };
  }
}

/** The error of a failed run, saying so when its scratch directory could not be removed. */
function withCleanup(e: unknown, cleanup: CleanupOutcome): unknown {
  if (cleanup.removed || !(e instanceof ProbeError)) return e;
  return new ProbeError(e.code, e.message, {
    detail: e.detail, article: e.article, cause: e.cause, leftBehind: cleanup.problem ?? undefined,
  });
}

interface RawRunnerJson {
  pageSize?: number;
  python?: string;
  statxDioAlign?: { memAlign: number; offsetAlign: number; blksize?: number } | null;
  statxNote?: string;
  experiments?: unknown[];
  syncMethod?: string | null;
  notes?: string[];
  cleanedUp?: boolean;
  cleanupProblem?: string | null;
  leftovers?: { removed?: unknown[]; kept?: unknown[]; note?: unknown };
  error?: { code?: string; message?: string; errno?: string | null };
}

/** The runner's last stdout line as JSON, or null (it is another program's output: trust nothing). */
function runnerJson(stdout: string): RawRunnerJson | null {
  try {
    const raw: unknown = JSON.parse(stdout.trim().split('\n').pop() ?? '');
    return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw as RawRunnerJson : null;
  } catch {
    return null;
  }
}

const RUNNER_ERROR_CODES: ReadonlySet<ProbeErrorCode> = new Set(['PERMISSION', 'BAD_INPUT', 'CANCELLED', 'TIMEOUT', 'TAMPERED', 'NO_SPACE']);

function runnerError(raw: RawRunnerJson | null, stderr: string, exitCode: number): ProbeError {
  if (!raw?.error) {
    return new ProbeError('RUNNER_FAILED', `the experiment runner exited with status ${exitCode} without a report`
      + (stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''), { detail: stderr });
  }
  const code = raw.error.code as ProbeErrorCode | undefined;
  let message = raw.error.message ?? 'the experiment runner failed';
  if (code === 'PERMISSION') {
    message += ' (the experiments only need a directory on the dataset that you can write to: give its path as the target)';
  }
  return new ProbeError(code && RUNNER_ERROR_CODES.has(code) ? code : 'RUNNER_FAILED', message, { detail: raw.error.errno ?? stderr });
}

/** Validates the runner's report; throws the ProbeError it carries, or RUNNER_FAILED when there is none. */
export function parseRunnerOutput(stdout: string, stderr: string, exitCode: number, scratchDir: string, durationMs = 0): RunnerOutput {
  const raw = runnerJson(stdout);
  if (!raw || raw.error) throw runnerError(raw, stderr, exitCode);
  return toRunnerOutput(raw, scratchDir, durationMs);
}

function toRunnerOutput(raw: RawRunnerJson, scratchDir: string, durationMs: number): RunnerOutput {
  const experiments: ExperimentResult[] = [];
  for (const e of raw.experiments ?? []) experiments.push(toExperimentResult(e));
  const cleanedUp = raw.cleanedUp === true;
  return {
    pageSize: typeof raw.pageSize === 'number' ? raw.pageSize : null,
    python: raw.python ?? null,
    statxDioAlign: raw.statxDioAlign ?? null,
    statxNote: raw.statxNote ?? null,
    experiments,
    syncMethod: raw.syncMethod ?? null,
    notes: Array.isArray(raw.notes) ? raw.notes.map(String) : [],
    cleanedUp,
    cleanupProblem: cleanedUp ? null : typeof raw.cleanupProblem === 'string' ? raw.cleanupProblem : `the runner did not say whether ${scratchDir} was removed`,
    leftovers: toLeftoverScan(raw.leftovers),
    scratchDir,
    durationMs,
  };
}

function toLeftoverScan(raw: RawRunnerJson['leftovers']): LeftoverScan {
  const removed = Array.isArray(raw?.removed) ? raw.removed.filter((p): p is string => typeof p === 'string') : [];
  const kept: LeftoverScan['kept'] = [];
  for (const k of Array.isArray(raw?.kept) ? raw.kept : []) {
    const o = k as { path?: unknown; reason?: unknown };
    if (typeof o?.path === 'string' && typeof o.reason === 'string') kept.push({ path: o.path, reason: o.reason });
  }
  return { removed, kept, note: typeof raw?.note === 'string' ? raw.note : null };
}

function toExperimentResult(e: unknown): ExperimentResult {
  const o = (e ?? {}) as Record<string, unknown>;
  const id = String(o.id);
  if (!isExperimentId(id)) throw new ProbeError('RUNNER_FAILED', `the runner reported an unknown experiment ${JSON.stringify(id)}`);
  const io: IoPath = (IO_PATHS as readonly unknown[]).includes(o.io) ? o.io as IoPath : 'unknown';
  const params: Record<string, number | boolean | string> = {};
  for (const [k, v] of Object.entries((o.params ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') params[k] = v;
  }
  return {
    id,
    result: o.result === 'ok' ? 'ok' : 'error',
    errno: typeof o.errno === 'string' ? o.errno : null,
    bytes: typeof o.bytes === 'number' ? o.bytes : null,
    cloned: typeof o.cloned === 'boolean' ? o.cloned : null,
    io,
    dataOk: typeof o.dataOk === 'boolean' ? o.dataOk : null,
    params,
  };
}
