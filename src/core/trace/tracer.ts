// Runs a command under Debian's strace and returns the trace file's text. The tracer stays the
// parent of the command, so no privilege is needed; it runs in a process group of its own so that a
// cancel or a timeout ends the command and every child it forked, not only strace.
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The calls the trace records: descriptor bookkeeping, the I/O the rules are about, and process creation. */
export const TRACED_SYSCALLS = [
  'open', 'openat', 'openat2', 'creat', 'close', 'dup', 'dup2', 'dup3', 'fcntl', 'lseek',
  'read', 'write', 'pread64', 'pwrite64', 'readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2',
  'copy_file_range', 'ioctl', 'io_uring_setup', 'clone', 'clone3', 'fork', 'vfork', 'execve',
  // The Python bootstrap's source-line markers (python/sitecustomize.py).
  'readlink', 'readlinkat',
] as const;

/** Printed raw (addresses and counts in hex) so that buffer addresses are visible instead of buffer contents. */
const RAW_SYSCALLS = ['read', 'write', 'pread64', 'pwrite64'] as const;

export class TraceError extends Error {
  constructor(readonly code: 'NO_STRACE' | 'PTRACE_REFUSED' | 'COMMAND_NOT_STARTED' | 'CANCELLED' | 'TIMEOUT' | 'TRACER_FAILED', message: string) {
    super(message);
  }
}

export interface TraceRunOptions {
  command: string[];
  strace?: string;
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Stack traces (-k): needed to put a finding on a source line; costs an unwind per recorded call. */
  stacks?: boolean;
  /**
   * Trace only these system calls, and (with `paths`) only on these files: the second pass of
   * --two-pass. Descriptors are then printed with their paths instead of raw, since the few calls
   * traced are not enough to replay a descriptor table.
   */
  only?: { syscalls: readonly string[]; paths?: readonly string[] };
  env?: Record<string, string>;
  /** The traced program's own output goes here (the CLI passes its terminal through). */
  stdio?: 'inherit' | 'ignore';
}

export interface TraceRun {
  text: string;
  /** strace's own exit status is the traced command's. */
  exitCode: number;
  signal?: string;
  stderr: string;
  durationMs: number;
}

/** Waits until no process of the group is left (SIGKILL is asynchronous for stopped tracees), at most `limitMs`. */
async function groupGone(pgid: number, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    try { process.kill(-pgid, 0); } catch { return; }
    try { process.kill(-pgid, 'SIGKILL'); } catch { return; }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function straceArguments(outFile: string, command: readonly string[], stacks: boolean, only?: TraceRunOptions['only']): string[] {
  return [
    '-f', '--seccomp-bpf', '-qq', '-y', '-X', 'raw', '-s', '64',
    ...(stacks ? ['-k'] : []),
    ...(only
      ? ['-e', `trace=${only.syscalls.join(',')}`, ...(only.paths ?? []).flatMap((p) => ['-P', p])]
      : ['-e', `trace=${TRACED_SYSCALLS.join(',')}`, '-e', `raw=${RAW_SYSCALLS.join(',')}`]),
    '-o', outFile, '--', ...command,
  ];
}

export async function runUnderStrace(options: TraceRunOptions): Promise<TraceRun> {
  if (options.command.length === 0) throw new TraceError('COMMAND_NOT_STARTED', 'no command to trace (give it after --)');
  if (options.signal?.aborted) throw new TraceError('CANCELLED', 'the trace was cancelled before it started');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zfs-dio-trace-'));
  const outFile = path.join(dir, 'trace.txt');
  const started = Date.now();
  try {
    const strace = options.strace ?? 'strace';
    const child = execa(strace, straceArguments(outFile, options.command, options.stacks ?? true, options.only), {
      reject: false, cwd: options.cwd, env: options.env, extendEnv: true,
      stdin: options.stdio === 'inherit' ? 'inherit' : 'ignore',
      stdout: options.stdio === 'inherit' ? 'inherit' : 'ignore',
      // strace's own messages (and the program's stderr, which shares the stream) are kept for errors.
      stderr: options.stdio === 'inherit' ? ['pipe', 'inherit'] : 'pipe',
      detached: true, cleanup: true,
    });
    let stopped: 'CANCELLED' | 'TIMEOUT' | undefined;
    const killGroup = (why: 'CANCELLED' | 'TIMEOUT') => {
      stopped ??= why;
      if (child.pid !== undefined) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } }
    };
    const onAbort = () => killGroup('CANCELLED');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs ? setTimeout(() => killGroup('TIMEOUT'), options.timeoutMs) : undefined;
    const done = await child;
    options.signal?.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
    const stderr = String(done.stderr ?? '');
    if ((done as { code?: string }).code === 'ENOENT' || /spawn .* ENOENT/.test(done.message ?? '') && done.exitCode === undefined) {
      throw new TraceError('NO_STRACE', `strace was not found (${strace}); install it with: apt-get install strace`);
    }
    if (stopped && child.pid !== undefined) await groupGone(child.pid, 5000);
    if (stopped === 'CANCELLED') throw new TraceError('CANCELLED', 'the trace was cancelled; the command and its children were killed');
    if (stopped === 'TIMEOUT') throw new TraceError('TIMEOUT', `the command ran longer than ${Math.round((options.timeoutMs ?? 0) / 1000)} s; it and its children were killed`);
    const refused = /ptrace\(PTRACE_[A-Z_]+[^)]*\): Operation not permitted|PTRACE_TRACEME: Operation not permitted/.exec(stderr);
    if (refused) {
      throw new TraceError('PTRACE_REFUSED', `the kernel refused to let strace trace the command (${refused[0]}). `
        + 'In a container, ptrace needs CAP_SYS_PTRACE or a seccomp profile that allows it; check /proc/sys/kernel/yama/ptrace_scope.');
    }
    const notStarted = /strace: Can't stat '([^']*)': (.*)|strace: exec: (.*)/.exec(stderr);
    if (notStarted) throw new TraceError('COMMAND_NOT_STARTED', `cannot start ${options.command[0]}: ${notStarted[2] ?? notStarted[3]}`);
    let text: string;
    try { text = await readFile(outFile, 'utf8'); } catch {
      throw new TraceError('TRACER_FAILED', `strace wrote no trace (exit ${done.exitCode ?? done.signal}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    return {
      text, exitCode: done.exitCode ?? 128, ...(done.signal ? { signal: done.signal } : {}),
      stderr, durationMs: Date.now() - started,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
