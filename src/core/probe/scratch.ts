// Scratch directories: `.zfs-dio-probe-<random>` inside the dataset, created by the runner, which
// writes a marker file into it before anything else. Removal is deliberately narrow:
//  - only entries whose name matches the pattern, that are real directories (never a symlink),
//    and that contain a regular-file marker naming this tool;
//  - leftovers of other runs only when neither the runner nor its parent is still alive
//    (pid + start time from /proc, so a reused pid does not keep a leftover forever);
//  - fs.rm removes symlinks inside the directory as links, it never follows them.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export const SCRATCH_PREFIX = '.zfs-dio-probe-';
export const MARKER_NAME = '.zfs-dio-probe-marker.json';
export const TOOL_NAME = 'zfs-dio-assistant';
const SCRATCH_PATTERN = /^\.zfs-dio-probe-[0-9a-f]{6,32}$/;

export interface ScratchMarker {
  tool: string;
  runId: string;
  pid: number;
  pidStart: number | null;
  ppid: number;
  ppidStart: number | null;
  startedAt: string;
}

export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

export function scratchPathFor(workDir: string, runId: string): string {
  return path.join(workDir, SCRATCH_PREFIX + runId);
}

/** The marker of a scratch directory, or null when the directory is not ours (or not a directory). */
export async function readMarker(dir: string): Promise<ScratchMarker | null> {
  try {
    const st = await lstat(dir);
    if (!st.isDirectory()) return null;
    // O_NOFOLLOW: a symlink planted in place of the marker is not read through
    const fh = await open(path.join(dir, MARKER_NAME), fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    try {
      const mst = await fh.stat();
      if (!mst.isFile() || mst.size > 64 * 1024) return null;
      const m = JSON.parse(await fh.readFile('utf8')) as Partial<ScratchMarker>;
      if (m.tool !== TOOL_NAME || typeof m.runId !== 'string' || typeof m.pid !== 'number') return null;
      return {
        tool: m.tool, runId: m.runId, pid: m.pid, pidStart: m.pidStart ?? null,
        ppid: typeof m.ppid === 'number' ? m.ppid : 0, ppidStart: m.ppidStart ?? null, startedAt: m.startedAt ?? '',
      };
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
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

/** Is the process that wrote the marker still running (same pid AND same start time)? */
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

export interface LeftoverScan {
  removed: string[];
  /** Matching directories that were left alone, with the reason. */
  kept: { path: string; reason: string }[];
}

/** Removes scratch directories of earlier runs in `workDir` whose processes are gone. */
export async function removeLeftovers(workDir: string, skipRunId?: string): Promise<LeftoverScan> {
  const scan: LeftoverScan = { removed: [], kept: [] };
  let entries;
  try {
    entries = await readdir(workDir, { withFileTypes: true });
  } catch {
    return scan;
  }
  for (const e of entries) {
    if (!SCRATCH_PATTERN.test(e.name)) continue;
    const p = path.join(workDir, e.name);
    if (!e.isDirectory()) { scan.kept.push({ path: p, reason: e.isSymbolicLink() ? 'a symlink' : 'not a directory' }); continue; }
    const marker = await readMarker(p);
    if (!marker) { scan.kept.push({ path: p, reason: 'no marker file of this tool' }); continue; }
    if (marker.runId === skipRunId) continue;
    if (await processAlive(marker.pid, marker.pidStart)) { scan.kept.push({ path: p, reason: `runner pid ${marker.pid} is still running` }); continue; }
    if (await processAlive(marker.ppid, marker.ppidStart)) { scan.kept.push({ path: p, reason: `its probe (pid ${marker.ppid}) is still running` }); continue; }
    await rm(p, { recursive: true, force: true });
    scan.removed.push(p);
  }
  return scan;
}

/**
 * Removes this run's scratch directory after the runner exited or was killed: only when it is a
 * real directory whose marker carries our run id. (A runner killed in the microseconds between
 * mkdir and writing the marker leaves an empty directory behind; without the marker it is not
 * ours to remove.)
 */
export async function removeScratch(dir: string, runId: string): Promise<boolean> {
  try {
    await lstat(dir);
  } catch {
    return true;   // already gone (the runner cleaned up)
  }
  const marker = await readMarker(dir);
  if (marker?.runId !== runId) return false;
  await rm(dir, { recursive: true, force: true });
  return true;
}
