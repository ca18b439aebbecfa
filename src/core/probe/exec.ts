// The single gateway to external programs (zfs, zpool, python3 runner). Everything goes through
// `execCommand`: argument arrays only (never a shell string, so names and paths with spaces,
// quotes or newlines stay single arguments), a timeout, AbortSignal cancellation, and failures
// turned into ProbeError. Callers receive an `ExecFn` so tests can replay recorded output; the
// production code never asks whether it is under test.
import { execa } from 'execa';
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProbeError, NO_ZFS_ARTICLE } from './errors';

export interface ExecOptions {
  /** Hard limit for the command; it is sent SIGTERM, then SIGKILL after `killGraceMs`. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Written to stdin, which is then closed. Without it stdin is /dev/null ('ignore'). */
  input?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Called for each stderr line as it arrives (the runner's progress lines). */
  onStderrLine?: (line: string) => void;
  /** Called once the process has really exited, even when the promise already rejected. */
  onExit?: () => void;
  /** How the command is named in messages; default: the program's base name and first argument. */
  label?: string;
  /** Delay between SIGTERM and SIGKILL (default 2000 ms). */
  killGraceMs?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export type ExecFn = (file: string, args: readonly string[], opts: ExecOptions) => Promise<ExecResult>;

/**
 * Runs `file` with `args`. Resolves with the exit code and output for any exit status (callers
 * decide what a non-zero status means). Rejects with ProbeError for: a program that cannot be
 * started (NO_ZFS is decided earlier by resolveBinary; here ENOENT/EACCES become RUNNER_FAILED /
 * PERMISSION), TIMEOUT, CANCELLED and death by an unexpected signal.
 */
export const execCommand: ExecFn = async (file, args, opts) => {
  const label = opts.label ?? `\`${[path.basename(file), ...args.slice(0, 1)].join(' ')}\``;
  const killGraceMs = opts.killGraceMs ?? 2000;
  if (opts.signal?.aborted) throw new ProbeError('CANCELLED', `cancelled before ${label} started`);
  const started = Date.now();
  const onLine = opts.onStderrLine;
  const subprocess = execa(file, [...args], {
    reject: false,
    timeout: opts.timeoutMs,
    cancelSignal: opts.signal,
    forceKillAfterDelay: killGraceMs,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    env: opts.env,
    extendEnv: true,
    cwd: opts.cwd,
    stripFinalNewline: false,
    maxBuffer: 64 * 1024 * 1024,
    // A line transform sees stderr as it streams and still keeps it in result.stderr.
    stderr: onLine ? [function* (line: unknown) { onLine(String(line)); yield line; }] : 'pipe',
  });
  if (opts.onExit) {
    const onExit = opts.onExit;
    subprocess.then(() => onExit(), () => onExit());
  }
  // SIGKILL cannot end a process stuck in an uninterruptible kernel call. Do not wait for it
  // forever: give up shortly after the kill and let onExit clean up whenever it finally exits.
  const timers: NodeJS.Timeout[] = [];
  let onAbort: (() => void) | undefined;
  const abandon = new Promise<never>((_resolve, reject) => {
    const grace = killGraceMs + 3000;
    timers.push(setTimeout(() => reject(new ProbeError('TIMEOUT',
      `${label} did not finish within ${seconds(opts.timeoutMs)} and could not be stopped (stuck in the kernel?)`)),
    opts.timeoutMs + grace));
    onAbort = () => {
      timers.push(setTimeout(() => reject(new ProbeError('CANCELLED', `cancelled; ${label} has not exited yet`)), grace));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  let result;
  try {
    result = await Promise.race([subprocess, abandon]);
  } finally {
    for (const t of timers) clearTimeout(t);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
  }
  const durationMs = Date.now() - started;
  if (result.timedOut) {
    throw new ProbeError('TIMEOUT', `${label} did not finish within ${seconds(opts.timeoutMs)} and was stopped`,
      { detail: result.stderr });
  }
  if (result.isCanceled) throw new ProbeError('CANCELLED', `cancelled while ${label} was running`);
  const spawnCode = (result as { code?: string }).code;
  if (result.exitCode === undefined) {
    if (spawnCode === 'ENOENT') {
      throw new ProbeError('RUNNER_FAILED', `cannot run ${file}: no such file`, { detail: result.shortMessage });
    }
    if (spawnCode === 'EACCES' || spawnCode === 'EPERM') {
      throw new ProbeError('PERMISSION', `cannot run ${file}: permission denied`, { detail: result.shortMessage });
    }
    const how = result.signal ? `was killed by ${result.signal}` : `failed to start (${spawnCode ?? 'unknown error'})`;
    throw new ProbeError('RUNNER_FAILED', `${label} ${how}`, { detail: String(result.stderr ?? '') });
  }
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), durationMs };
};

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Finding the programs

export type ToolName = 'zfs' | 'zpool' | 'python3';

/** Environment variables that point at a specific binary (the settings do the same in the editor). */
export const TOOL_ENV: Record<ToolName, string> = {
  zfs: 'ZFS_DIO_ZFS', zpool: 'ZFS_DIO_ZPOOL', python3: 'ZFS_DIO_PYTHON',
};

// Debian and Ubuntu install zfs/zpool in /usr/sbin (or /sbin), which is not in an ordinary user's
// PATH, although `zfs list`/`zfs get` work without root (/dev/zfs is 0666).
const EXTRA_DIRS: Record<ToolName, string[]> = {
  zfs: ['/usr/sbin', '/sbin', '/usr/local/sbin'],
  zpool: ['/usr/sbin', '/sbin', '/usr/local/sbin'],
  python3: ['/usr/bin', '/usr/local/bin'],
};

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    const st = await stat(p);
    if (!st.isFile()) return false;
    await access(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of a tool: the explicit setting, else $ZFS_DIO_<TOOL>, else PATH, else the usual
 * sbin directories. Throws NO_ZFS (zfs/zpool) or RUNNER_FAILED (python3) naming every place looked at.
 */
export async function resolveBinary(tool: ToolName, explicit?: string, env: NodeJS.ProcessEnv = process.env,
  fallbackDirs: readonly string[] = EXTRA_DIRS[tool]): Promise<string> {
  const configured = explicit || env[TOOL_ENV[tool]];
  if (configured) {
    if (await isExecutableFile(configured)) return path.resolve(configured);
    const source = explicit ? 'the configured path' : `$${TOOL_ENV[tool]}`;
    throw missingTool(tool, `${source} ${JSON.stringify(configured)} is not an executable file`);
  }
  const pathDirs = (env.PATH ?? '').split(':').filter((d) => d.length > 0 && path.isAbsolute(d));
  const dirs = [...new Set([...pathDirs, ...fallbackDirs])];
  for (const dir of dirs) {
    const candidate = path.join(dir, tool);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return Promise.reject(missingTool(tool,
    `the \`${tool}\` command was not found in PATH (looked for ${dirs.map((d) => path.join(d, tool)).join(', ') || '(PATH is empty)'})`));
}

function missingTool(tool: ToolName, what: string): ProbeError {
  if (tool === 'python3') {
    return new ProbeError('RUNNER_FAILED',
      `${what}; the experiment runner needs Python 3 (install python3 or set zfsDio.probe.pythonPath / $ZFS_DIO_PYTHON)`);
  }
  return new ProbeError('NO_ZFS', `${what}; is OpenZFS installed?`,
    { article: NO_ZFS_ARTICLE });
}
