// Discovery without root: mounted datasets and their properties, path → dataset, versions,
// module parameters, pool feature/bclone properties and the iostats kstat.
import os from 'node:os';
import path from 'node:path';
import type { DatasetInfo } from '../types';
import { ProbeError, NO_ZFS_ARTICLE } from './errors';
import type { ProbeHost } from './host';
import { parseMountinfo, mountForPath, zfsMounts, type MountEntry } from './mountinfo';
import { assertValidDatasetName, looksLikePath } from './names';
import { parseKstatNamed, parseZfsGet, parseZfsList, parseZfsVersion, parseZpoolGet, type ZfsVersions } from './parse';

export const ZFS_SUPER_MAGIC = 0x2fc12fc1;

/** The dataset properties the probe reports (`direct` exists from OpenZFS 2.3.0). */
export const DATASET_PROPERTIES = ['direct', 'recordsize', 'compression', 'encryption', 'checksum', 'sync'] as const;

/** Module parameters of interest; a missing file means "this version does not have it". */
export const MODULE_PARAMETERS = [
  'zfs_dio_enabled', 'zfs_dio_strict', 'zfs_bclone_enabled', 'zfs_bclone_wait_dirty',
  'zfs_vdev_direct_write_verify', 'zfs_txg_timeout',
] as const;

export const POOL_PROPERTIES = ['feature@block_cloning', 'bcloneused', 'bclonesaved', 'bcloneratio'] as const;

/** What a discovery step needs: the machine, the resolved binaries, limits. */
export interface DiscoveryContext {
  host: ProbeHost;
  zfs: string;
  zpool: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

// zfs/zpool messages are parsed in a few places; make sure they are the English ones.
const C_LOCALE = { LC_ALL: 'C', LANG: 'C' };

/** Runs zfs/zpool; a non-zero exit becomes a ProbeError chosen from the message. */
export async function runZfsTool(ctx: DiscoveryContext, tool: 'zfs' | 'zpool', args: string[]): Promise<string> {
  const file = tool === 'zfs' ? ctx.zfs : ctx.zpool;
  const label = `\`${tool} ${args.filter((a) => !a.startsWith('-')).slice(0, 1).join(' ')}\``;
  const res = await ctx.host.exec(file, args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, env: C_LOCALE, label });
  if (res.exitCode === 0) return res.stdout;
  throw classifyZfsFailure(tool, args, res.stderr, res.exitCode);
}

export function classifyZfsFailure(tool: string, args: readonly string[], stderr: string, exitCode: number): ProbeError {
  const msg = stderr.trim().split('\n')[0]?.trim() || `exit status ${exitCode}`;
  const cmd = `${tool} ${args.join(' ')}`;
  if (/modules? (cannot be auto-loaded|are not loaded)|failed to initialize the libzfs library|\/dev\/zfs/i.test(stderr)) {
    // The tools ran, so ZFS is installed; keep their own hint (it names the command that loads the module).
    return new ProbeError('NO_ZFS', `ZFS is installed, but its kernel module is not loaded. ${tool} says: ${toolSays(stderr, msg)}`,
      { detail: stderr, article: NO_ZFS_ARTICLE, zfsInstalled: true });
  }
  if (/permission denied|operation not permitted|insufficient privileges/i.test(stderr)) {
    return new ProbeError('PERMISSION', `\`${cmd}\` was refused: ${msg}`, { detail: stderr });
  }
  if (/dataset does not exist|no such pool|could not find any snapshots/i.test(stderr)) {
    return new ProbeError('NO_DATASET', `${msg}`, { detail: stderr });
  }
  if (/not a zfs filesystem|not a ZFS dataset/i.test(stderr)) {
    return new ProbeError('NOT_ON_ZFS', msg, { detail: stderr });
  }
  return new ProbeError('RUNNER_FAILED', `\`${cmd}\` failed: ${msg}`, { detail: stderr });
}

/** The first few lines a zfs tool printed, as one sentence-ended text. */
function toolSays(stderr: string, fallback: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3)
    .map((l) => (/[.!?]$/.test(l) ? l : `${l}.`));
  const text = lines.join(' ') || fallback;
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// datasets

/** Properties of the given filesystems (or of all of them when `names` is empty). */
export async function datasetProperties(ctx: DiscoveryContext, names: string[]):
Promise<{ props: Map<string, Record<string, { value: string; source: string }>>; missing: string[] }> {
  let wanted: string[] = [...DATASET_PROPERTIES];
  const missing: string[] = [];
  // `zfs get` refuses the whole list if one property is unknown (`direct` before 2.3): drop it and retry.
  for (let attempt = 0; attempt < DATASET_PROPERTIES.length; attempt++) {
    const args = ['get', '-Hp', '-o', 'name,property,value,source', ...(names.length ? [] : ['-t', 'filesystem']),
      wanted.join(','), ...(names.length ? ['--', ...names] : [])];
    try {
      return { props: parseZfsGet(await runZfsTool(ctx, 'zfs', args)), missing };
    } catch (e) {
      const bad = e instanceof ProbeError ? /invalid property '([^']+)'/.exec(e.detail ?? '') : null;
      if (!bad || !wanted.includes(bad[1]!)) throw e;
      missing.push(bad[1]!);
      wanted = wanted.filter((p) => p !== bad[1]);
    }
  }
  throw new ProbeError('RUNNER_FAILED', 'zfs get refused every dataset property');
}

function toDatasetInfo(name: string, mountpoint: string, props: Record<string, { value: string; source: string }> | undefined): DatasetInfo {
  const properties: Record<string, string> = {};
  const propertySources: Record<string, string> = {};
  for (const [k, v] of Object.entries(props ?? {})) {
    properties[k] = v.value;
    propertySources[k] = v.source;
  }
  return { name, mountpoint, properties, propertySources };
}

/**
 * Mounted ZFS filesystems. Uses `zfs list`/`zfs get`; without a usable `zfs` command falls back
 * to /proc/self/mountinfo (with the recordsize that statfs reports as f_bsize).
 */
export async function discoverDatasets(ctx: DiscoveryContext): Promise<DatasetInfo[]> {
  const columns = ['name', 'mountpoint', 'mounted'];
  const rows = parseZfsList(await runZfsTool(ctx, 'zfs', ['list', '-H', '-p', '-t', 'filesystem', '-o', columns.join(',')]), columns);
  const mounted = rows.filter((r) => r.mounted === 'yes');
  if (mounted.length === 0) return [];
  const { props } = await datasetProperties(ctx, []);
  const table = await readMountTable(ctx.host);
  return mounted.map((r) => toDatasetInfo(r.name!, effectiveMountpoint(r.name!, r.mountpoint!, table), props.get(r.name!)));
}

/** `legacy` mountpoints are mounted by fstab: find where from the mount table. */
function effectiveMountpoint(name: string, mountpoint: string, table: MountEntry[]): string {
  if (path.isAbsolute(mountpoint)) return mountpoint;
  return zfsMounts(table).find((m) => m.source === name)?.mountPoint ?? mountpoint;
}

export async function readMountTable(host: ProbeHost): Promise<MountEntry[]> {
  return parseMountinfo((await host.readText('/proc/self/mountinfo')) ?? '');
}

/** The fallback list: ZFS entries of the mount table, with recordsize from statfs. */
export async function datasetsFromMountinfo(host: ProbeHost): Promise<DatasetInfo[]> {
  const seen = new Set<string>();
  const out: DatasetInfo[] = [];
  for (const m of zfsMounts(await readMountTable(host))) {
    if (seen.has(m.mountPoint)) continue;
    seen.add(m.mountPoint);
    out.push(await datasetFromMount(host, m));
  }
  return out;
}

const FS_MAGIC_NAMES: Record<number, string> = {
  0xef53: 'ext2/ext3/ext4', 0x01021994: 'tmpfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs',
  0x794c7630: 'overlay', 0x6969: 'nfs', 0x01021997: '9p', 0x65735546: 'fuse', 0x9fa0: 'proc',
  0x62656572: 'sysfs', 0x4d44: 'vfat', 0x5346544e: 'ntfs', 0xf2f52010: 'f2fs',
};

export interface ResolvedTarget {
  dataset: DatasetInfo;
  /** Where the scratch directory goes: the given directory, or the dataset's mountpoint. */
  workDir: string;
  /** How the target was given. */
  kind: 'path' | 'dataset' | 'cwd';
  /** Set when `zfs` refused this user and the mount table stood in for it. */
  degraded?: string;
}

/**
 * `zfs` refuses every command to a user who cannot open /dev/zfs ("Permission denied the ZFS
 * utilities must be run as root"). OpenZFS' udev rule makes /dev/zfs 0666, but not every system
 * has it. The experiments need only a writable directory, so the mount table stands in.
 */
function refusedByZfs(e: unknown): e is ProbeError {
  return e instanceof ProbeError && e.code === 'PERMISSION';
}

function degradedNote(e: ProbeError): string {
  return `\`zfs\` refused this user (${e.message.replace(/^`[^`]*` was refused: /, '')}); the dataset was taken from `
    + '/proc/self/mountinfo and its recordsize from statfs, other properties are unknown. OpenZFS normally installs a udev rule '
    + 'that makes /dev/zfs readable and writable for everyone (mode 0666)';
}

/** The dataset for a ZFS mount, from the mount table and statfs only. */
async function datasetFromMount(host: ProbeHost, mount: MountEntry): Promise<DatasetInfo> {
  const info: DatasetInfo = { name: mount.source, mountpoint: mount.mountPoint, properties: {}, propertySources: {} };
  const st = await host.statfs(mount.mountPoint).catch(() => null);
  if (st && st.type === ZFS_SUPER_MAGIC) {
    info.properties.recordsize = String(st.bsize);
    info.propertySources!.recordsize = 'statfs';
  }
  return info;
}

/** Dataset name or path → the dataset and a directory on it. */
export async function resolveTarget(ctx: DiscoveryContext, target: string | undefined): Promise<ResolvedTarget> {
  if (target !== undefined && target.trim() === '') throw new ProbeError('BAD_INPUT', 'the probe target is empty');
  if (target === undefined || looksLikePath(target)) {
    const given = target === undefined ? ctx.host.cwd() : expandHome(target, ctx.host);
    return { ...(await resolvePath(ctx, given)), kind: target === undefined ? 'cwd' : 'path' };
  }
  assertValidDatasetName(target);
  const columns = ['name', 'type', 'mountpoint', 'mounted'];
  let rows: Record<string, string>[];
  try {
    rows = parseZfsList(await runZfsTool(ctx, 'zfs', ['list', '-H', '-p', '-o', columns.join(','), '--', target]), columns)
      .filter((r) => r.name === target);
  } catch (e) {
    if (!refusedByZfs(e)) throw e;
    const mount = zfsMounts(await readMountTable(ctx.host)).find((m) => m.source === target);
    if (!mount) throw e;
    return { dataset: await datasetFromMount(ctx.host, mount), workDir: mount.mountPoint, kind: 'dataset', degraded: degradedNote(e) };
  }
  const row = rows[0];
  if (!row) throw new ProbeError('NO_DATASET', `dataset ${JSON.stringify(target)} does not exist`);
  if (row.type !== 'filesystem') {
    throw new ProbeError('BAD_INPUT', `${JSON.stringify(target)} is a ${row.type}; the probe needs a mounted filesystem`);
  }
  const mountpoint = effectiveMountpoint(target, row.mountpoint!, await readMountTable(ctx.host));
  if (row.mounted !== 'yes' || !path.isAbsolute(mountpoint)) {
    throw new ProbeError('NO_DATASET', `dataset ${JSON.stringify(target)} is not mounted (mountpoint ${row.mountpoint}, mounted ${row.mounted}); the probe needs a mounted filesystem`);
  }
  const { props } = await datasetProperties(ctx, [target]);
  return { dataset: toDatasetInfo(target, mountpoint, props.get(target)), workDir: mountpoint, kind: 'dataset' };
}

function expandHome(p: string, host: ProbeHost): string {
  if (p === '~' || p.startsWith('~/')) return path.join(host.env.HOME ?? os.homedir(), p.slice(1));
  return path.resolve(host.cwd(), p);
}

/**
 * Added to "not on a ZFS dataset" when the machine has no ZFS at all (the zfs tools can be installed
 * without the module), so the user does not go looking for a better path.
 */
async function noZfsHereNote(host: ProbeHost, table: readonly MountEntry[]): Promise<string> {
  if (zfsMounts(table).length > 0) return '';
  const kmod = await host.readText('/sys/module/zfs/version').catch(() => null);
  return kmod === null
    ? ' There is no ZFS on this machine: the zfs kernel module is not loaded and no ZFS dataset is mounted.'
    : ' No ZFS dataset is mounted on this machine.';
}

async function resolvePath(ctx: DiscoveryContext, given: string): Promise<{ dataset: DatasetInfo; workDir: string; degraded?: string }> {
  let abs = path.resolve(given);
  let isDir: boolean;
  try {
    abs = await ctx.host.realPath(abs);
    isDir = await ctx.host.isDirectory(abs);
  } catch (e) {
    if (e instanceof ProbeError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new ProbeError('PERMISSION', `cannot access ${JSON.stringify(abs)}: permission denied`);
    throw new ProbeError('BAD_INPUT', `${JSON.stringify(abs)} does not exist (${code ?? 'error'})`);
  }
  const workDir = isDir ? abs : path.dirname(abs);
  const st = await ctx.host.statfs(workDir);
  const table = await readMountTable(ctx.host);
  const mount = mountForPath(table, workDir);
  if (st.type !== ZFS_SUPER_MAGIC) {
    const fsName = mount?.fsType ?? FS_MAGIC_NAMES[st.type] ?? `filesystem type 0x${st.type.toString(16)}`;
    throw new ProbeError('NOT_ON_ZFS', `${JSON.stringify(abs)} is not on a ZFS dataset: it is on ${fsName}`
      + `${mount ? ` (mounted at ${mount.mountPoint}${mount.source && mount.source !== 'none' ? ` from ${mount.source}` : ''})` : ''}.`
      + await noZfsHereNote(ctx.host, table));
  }
  let name: string;
  try {
    name = (await runZfsTool(ctx, 'zfs', ['list', '-H', '-o', 'name', '--', workDir])).split('\n')[0]!.trim();
  } catch (e) {
    if (!refusedByZfs(e) || mount?.fsType !== 'zfs') throw e;
    return { dataset: await datasetFromMount(ctx.host, mount), workDir, degraded: degradedNote(e) };
  }
  if (!name) throw new ProbeError('NOT_ON_ZFS', `\`zfs list\` found no dataset for ${JSON.stringify(workDir)}`);
  const columns = ['name', 'mountpoint'];
  const row = parseZfsList(await runZfsTool(ctx, 'zfs', ['list', '-H', '-p', '-o', columns.join(','), '--', name]), columns)[0];
  const mountpoint = effectiveMountpoint(name, row?.mountpoint ?? '', table);
  const { props } = await datasetProperties(ctx, [name]);
  return { dataset: toDatasetInfo(name, mountpoint, props.get(name)), workDir };
}

// ---------------------------------------------------------------------------------------------
// versions, parameters, pool

export async function discoverVersions(ctx: DiscoveryContext): Promise<ZfsVersions> {
  const kmodFile = await ctx.host.readText('/sys/module/zfs/version');
  let userland: ZfsVersions = { userland: null, kmod: null };
  try {
    userland = parseZfsVersion(await runZfsTool(ctx, 'zfs', ['version', '-j']));
  } catch (e) {
    if (e instanceof ProbeError && (e.code === 'TIMEOUT' || e.code === 'CANCELLED')) throw e;
    // `-j` exists from 2.3.0; older userland prints text only
    try {
      userland = parseZfsVersion(await runZfsTool(ctx, 'zfs', ['version']));
    } catch (e2) {
      if (!refusedByZfs(e2)) throw e2;
    }
  }
  return { userland: userland.userland, kmod: kmodFile?.trim() || userland.kmod };
}

export async function readModuleParameters(host: ProbeHost): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const p of MODULE_PARAMETERS) {
    const v = await host.readText(`/sys/module/zfs/parameters/${p}`);
    out[p] = v === null ? null : v.trim();
  }
  return out;
}

export interface PoolFacts {
  name: string;
  features: Record<string, string>;
  properties: Record<string, string>;
  iostats: Record<string, number> | null;
}

export async function discoverPool(ctx: DiscoveryContext, pool: string): Promise<PoolFacts> {
  let values: Record<string, string> = {};
  const wanted: string[] = [...POOL_PROPERTIES];
  while (wanted.length > 0) {
    try {
      values = parseZpoolGet(await runZfsTool(ctx, 'zpool', ['get', '-Hp', '-o', 'property,value', wanted.join(','), '--', pool]));
      break;
    } catch (e) {
      // bclone* properties and the feature do not exist before 2.2.0: drop what is refused
      const bad = e instanceof ProbeError ? /bad property list: invalid property '([^']+)'|invalid property '([^']+)'/.exec(e.detail ?? '') : null;
      const name = bad?.[1] ?? bad?.[2];
      if (!name || !wanted.includes(name)) throw e;
      wanted.splice(wanted.indexOf(name), 1);
    }
  }
  const features: Record<string, string> = {};
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith('feature@')) features[k.slice('feature@'.length)] = v;
    else properties[k] = v;
  }
  const kstat = await ctx.host.readText(`/proc/spl/kstat/zfs/${pool}/iostats`);
  return { name: pool, features, properties, iostats: kstat === null ? null : parseKstatNamed(kstat) };
}

export function poolOf(dataset: string): string {
  return dataset.split('/')[0]!;
}
