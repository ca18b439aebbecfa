// listDatasets: the mounted ZFS filesystems for pickers and the recordsize cache.
import type { DatasetInfo } from '../types';
import { datasetsFromMountinfo, discoverDatasets, type DiscoveryContext } from './discover';
import { ProbeError } from './errors';
import { resolveBinary } from './exec';
import { realHost, type ProbeHost } from './host';

export interface ListOptions {
  zfsPath?: string;
  signal?: AbortSignal;
  commandTimeoutMs?: number;
  /** The machine (tests replay recorded output through it). */
  host?: ProbeHost;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 15000;

/**
 * Mounted ZFS filesystems with mountpoint and properties. When `zfs` is missing or refused, the
 * ZFS entries of /proc/self/mountinfo are returned instead (recordsize from statfs, other
 * properties unknown); if there are none either, the original error is thrown (NO_ZFS …).
 */
export async function listDatasets(opts: ListOptions = {}): Promise<DatasetInfo[]> {
  const host = opts.host ?? realHost();
  try {
    const zfs = await resolveBinary('zfs', opts.zfsPath, host.env);
    const ctx: DiscoveryContext = { host, zfs, zpool: zfs, timeoutMs: opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS, signal: opts.signal };
    return await discoverDatasets(ctx);
  } catch (e) {
    if (!(e instanceof ProbeError) || (e.code !== 'NO_ZFS' && e.code !== 'PERMISSION' && e.code !== 'RUNNER_FAILED')) throw e;
    const fallback = await datasetsFromMountinfo(host);
    if (fallback.length === 0) throw e;
    return fallback;
  }
}

/** The dataset whose mountpoint is the longest prefix of `absPath` (for "workspace dataset first"). */
export function datasetForPath(datasets: readonly DatasetInfo[], absPath: string): DatasetInfo | undefined {
  let best: DatasetInfo | undefined;
  for (const d of datasets) {
    const mp = d.mountpoint;
    const within = mp === '/' || absPath === mp || absPath.startsWith(mp.endsWith('/') ? mp : mp + '/');
    if (within && (!best || mp.length > best.mountpoint.length)) best = d;
  }
  return best;
}
