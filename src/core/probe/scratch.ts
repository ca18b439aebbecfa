// Scratch directories: `.zfs-dio-probe-<run id>` inside the dataset. The experiment runner creates,
// marks, uses and removes them, and it alone touches files: Node has no openat/unlinkat, and every
// file operation of a probe must go through directory descriptors (root runs it on directories that
// other users can write to). This module only names them and tells whether a process still runs.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const SCRATCH_PREFIX = '.zfs-dio-probe-';
export const MARKER_NAME = '.zfs-dio-probe-marker.json';

/** A fresh random run id: 12 hex digits, unguessable, so a directory of that name owned by us is ours. */
export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

export function scratchPathFor(workDir: string, runId: string): string {
  return path.join(workDir, SCRATCH_PREFIX + runId);
}

/** Start time (clock ticks since boot) of a process, from /proc/<pid>/stat field 22. */
export async function processStartTicks(pid: number): Promise<number | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const v = Number(rest[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/** Is the process still running (same pid AND same start time, so a reused pid counts as gone)? */
export async function processAlive(pid: number, startTicks: number | null): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;   // ESRCH: gone
  }
  if (startTicks === null) return true;
  const now = await processStartTicks(pid);
  return now === null ? true : now === startTicks;
}
