// The recordsize seam for the analyzer: files on a ZFS dataset use that dataset's real
// recordsize. `recordsizeFor` is synchronous (the analyzer calls it per directory) and answers
// from a cache; `refresh()` reloads it from `zfs get` and the mount table.
//
// The lookup is a longest-prefix match over the WHOLE mount table, not only ZFS mounts, so a
// non-ZFS filesystem mounted below a dataset (an NFS share inside /home) is not given the
// dataset's recordsize.
import path from 'node:path';
import type { DatasetInfo, RecordsizeSource } from '../types';
import { ProbeError } from './errors';
import { realHost } from './host';
import { listDatasets } from './list';
import { mountForPath, parseMountinfo, type MountEntry } from './mountinfo';

export interface RecordsizeCacheOptions {
  /** `zfs` binary override (setting zfsDio.probe.zfsPath). */
  zfsPath?: string;
  commandTimeoutMs?: number;
  /** Lists the mounted datasets (default: listDatasets with the options above). */
  listDatasets?: (signal?: AbortSignal) => Promise<DatasetInfo[]>;
  /** Reads /proc/self/mountinfo (default: the real file). */
  readMountinfo?: () => Promise<string | null>;
}

export class DatasetRecordsizeCache implements RecordsizeSource {
  private mounts: MountEntry[] = [];
  private recordsizeByMountpoint = new Map<string, number>();
  private refreshing: Promise<void> | undefined;
  /** Why the last refresh failed (no ZFS, timeout…); the cache then answers `undefined`. */
  lastError: ProbeError | undefined;
  lastRefreshed: Date | undefined;

  private readonly list: (signal?: AbortSignal) => Promise<DatasetInfo[]>;
  private readonly readMountinfo: () => Promise<string | null>;

  constructor(options: RecordsizeCacheOptions = {}) {
    this.list = options.listDatasets
      ?? ((signal) => listDatasets({ zfsPath: options.zfsPath, commandTimeoutMs: options.commandTimeoutMs, signal }));
    this.readMountinfo = options.readMountinfo ?? (() => realHost().readText('/proc/self/mountinfo'));
  }

  /** The cached datasets' recordsize for the filesystem holding `filePath`, or undefined. */
  recordsizeFor(filePath: string): number | undefined {
    if (this.recordsizeByMountpoint.size === 0) return undefined;
    const mount = mountForPath(this.mounts, path.resolve(filePath));
    if (!mount || mount.fsType !== 'zfs') return undefined;
    return this.recordsizeByMountpoint.get(mount.mountPoint);
  }

  /** Number of ZFS mount points with a known recordsize. */
  get size(): number {
    return this.recordsizeByMountpoint.size;
  }

  /** Reloads datasets and the mount table; concurrent calls share one reload. Never throws. */
  refresh(signal?: AbortSignal): Promise<void> {
    this.refreshing ??= this.load(signal).finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async load(signal?: AbortSignal): Promise<void> {
    try {
      const [datasets, mountinfo] = await Promise.all([this.list(signal), this.readMountinfo()]);
      const sizes = new Map<string, number>();
      for (const d of datasets) {
        const rs = Number(d.properties.recordsize);
        if (Number.isSafeInteger(rs) && rs > 0 && path.isAbsolute(d.mountpoint)) sizes.set(d.mountpoint, rs);
      }
      this.mounts = parseMountinfo(mountinfo ?? '');
      this.recordsizeByMountpoint = sizes;
      this.lastError = undefined;
      this.lastRefreshed = new Date();
    } catch (e) {
      this.lastError = e instanceof ProbeError ? e : new ProbeError('RUNNER_FAILED', String((e as Error)?.message ?? e));
      this.mounts = [];
      this.recordsizeByMountpoint = new Map();
    }
  }
}
