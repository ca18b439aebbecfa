// Runs the Python experiment runner in its own process (through the exec wrapper: timeout,
// cancellation) and turns its JSON into ExperimentResults. The scratch directory is removed
// here as well after the process has ended, however it ended.
import path from 'node:path';
import type { ExperimentId, ExperimentResult, ProbeProgress } from '../../types';
import { ProbeError } from '../errors';
import type { ProbeHost } from '../host';
import { removeScratch, scratchPathFor } from '../scratch';
import { isExperimentId } from './catalog';

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
  experiments?: ExperimentId[];
  timeoutMs: number;
  commandTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (p: ProbeProgress) => void;
  log?: (line: string) => void;
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
  scratchDir: string;
  durationMs: number;
}

export async function runMatrix(req: MatrixRequest): Promise<RunnerOutput> {
  const scratchDir = scratchPathFor(req.workDir, req.runId);
  const config = {
    scratchDir, runId: req.runId, pool: req.pool, recordsize: req.recordsize, zpool: req.zpool,
    commandTimeout: Math.max(1, Math.round(req.commandTimeoutMs / 1000)),
    experiments: req.experiments ?? null,
  };
  let cleanup: Promise<boolean> | undefined;
  const cleanupOnce = () => (cleanup ??= removeScratch(scratchDir, req.runId).catch(() => false));
  let res;
  try {
    // -I: isolated mode, ignores PYTHONPATH/PYTHONHOME and the user's site-packages
    res = await req.host.exec(req.python, ['-I', req.runnerScript], {
      timeoutMs: req.timeoutMs, signal: req.signal, input: JSON.stringify(config), cwd: '/',
      label: 'the experiment runner',
      env: { LC_ALL: 'C', PYTHONDONTWRITEBYTECODE: '1' },
      onStderrLine: (line) => {
        const m = /^PROGRESS (\d+)\/(\d+) (.*)$/.exec(line);
        if (m) req.onProgress?.({ step: m[3]!, fraction: Number(m[1]) / Math.max(1, Number(m[2])) });
        else if (line.trim()) req.log?.(`runner: ${line}`);
      },
      onExit: () => { void cleanupOnce(); },
    });
  } catch (e) {
    await cleanupOnce();
    throw e;
  }
  await cleanupOnce();
  return parseRunnerOutput(res.stdout, res.stderr, res.exitCode, scratchDir, res.durationMs);
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
  error?: { code?: string; message?: string; errno?: string | null };
}

/** Validates the runner's JSON (it is another program's output: trust nothing). */
export function parseRunnerOutput(stdout: string, stderr: string, exitCode: number, scratchDir: string, durationMs = 0): RunnerOutput {
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  let raw: RawRunnerJson;
  try {
    raw = JSON.parse(lastLine) as RawRunnerJson;
  } catch {
    throw new ProbeError('RUNNER_FAILED', `the experiment runner exited with status ${exitCode} without a report`
      + (stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''), { detail: stderr });
  }
  if (raw.error) {
    const code = raw.error.code;
    const known = code === 'PERMISSION' || code === 'BAD_INPUT' || code === 'CANCELLED' || code === 'TIMEOUT';
    let message = raw.error.message ?? 'the experiment runner failed';
    if (code === 'PERMISSION') {
      message += ' (the experiments only need a directory on the dataset that you can write to: give its path as the target)';
    }
    throw new ProbeError(known ? code : 'RUNNER_FAILED', message, { detail: raw.error.errno ?? stderr });
  }
  const experiments: ExperimentResult[] = [];
  for (const e of raw.experiments ?? []) experiments.push(toExperimentResult(e));
  return {
    pageSize: typeof raw.pageSize === 'number' ? raw.pageSize : null,
    python: raw.python ?? null,
    statxDioAlign: raw.statxDioAlign ?? null,
    statxNote: raw.statxNote ?? null,
    experiments,
    syncMethod: raw.syncMethod ?? null,
    notes: Array.isArray(raw.notes) ? raw.notes.map(String) : [],
    cleanedUp: raw.cleanedUp === true,
    scratchDir,
    durationMs,
  };
}

function toExperimentResult(e: unknown): ExperimentResult {
  const o = (e ?? {}) as Record<string, unknown>;
  const id = String(o.id);
  if (!isExperimentId(id)) throw new ProbeError('RUNNER_FAILED', `the runner reported an unknown experiment ${JSON.stringify(id)}`);
  const io = o.io === 'direct' || o.io === 'arc' ? o.io : 'unknown';
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
