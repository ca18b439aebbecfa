// /proc/self/mountinfo: the fallback list of ZFS mounts, and "which filesystem is this path on"
// for the NOT_ON_ZFS message. The kernel escapes space, tab, newline and backslash in paths and
// sources as 3-digit octal (\040, \011, \012, \134); see proc(5).
import path from 'node:path';

export interface MountEntry {
  mountId: number;
  parentId: number;
  /** "major:minor" of the filesystem. */
  device: string;
  /** Root of the mount within its filesystem. */
  root: string;
  mountPoint: string;
  mountOptions: string;
  fsType: string;
  /** For ZFS: the dataset name. */
  source: string;
  superOptions: string;
}

export function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses mountinfo text; malformed lines are skipped rather than failing the whole table. */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (sep < 6 || fields.length < sep + 3) continue;
    const mountId = Number(fields[0]);
    const parentId = Number(fields[1]);
    if (!Number.isInteger(mountId) || !Number.isInteger(parentId)) continue;
    entries.push({
      mountId, parentId,
      device: fields[2]!,
      root: unescapeMountField(fields[3]!),
      mountPoint: unescapeMountField(fields[4]!),
      mountOptions: fields[5]!,
      fsType: fields[sep + 1]!,
      source: unescapeMountField(fields[sep + 2]!),
      superOptions: fields.slice(sep + 3).join(' '),
    });
  }
  return entries;
}

/** True when `child` is `parent` or lies below it (path-component aware: /tank2 is not in /tank). */
export function isPathWithin(child: string, parent: string): boolean {
  if (parent === '/') return child.startsWith('/');
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : parent + '/');
}

/**
 * The mount that contains `absPath`: the longest mount point that is a prefix of it. When the same
 * mount point appears several times (over-mounts), the last one in the table is the visible one.
 */
export function mountForPath(entries: readonly MountEntry[], absPath: string): MountEntry | undefined {
  const p = path.resolve(absPath);
  let best: MountEntry | undefined;
  for (const e of entries) {
    if (!isPathWithin(p, e.mountPoint)) continue;
    if (!best || e.mountPoint.length >= best.mountPoint.length) best = e;
  }
  return best;
}

export function zfsMounts(entries: readonly MountEntry[]): MountEntry[] {
  return entries.filter((e) => e.fsType === 'zfs');
}
