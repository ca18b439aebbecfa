// A/B mode (opt-in, after confirmation): two temporary child datasets
// `<dataset>/zfs-dio-probe-<id>-always` and `…-standard`, the matrix on each, then `zfs destroy`
// of exactly those names, always. Existing datasets are never modified: the children get their
// `direct=` value at creation. Each child carries a user property naming its creator, so a run
// killed with -9 can be recognised (and only then destroyed) by the next A/B run.
//
// The children are mounted in a fresh private directory (mode 0700, made by mkdtemp in a directory
// only root or this user can write), never next to the dataset's own files: `zfs mount` creates and
// follows the mountpoint path, and in a directory that other users can write to, a symbolic link
// planted under a name they could predict would mount a dataset over any directory of the system.
import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import type { AbRun, DatasetInfo } from '../types';
import { ProbeError } from './errors';
import { runZfsTool, datasetProperties, type DiscoveryContext } from './discover';
import { MAX_DATASET_NAME_LENGTH, assertValidDatasetName } from './names';
import { parseZfsList } from './parse';
import { processAlive, processStartTicks } from './scratch';

export const AB_OWNER_PROPERTY = 'org.zfs-dio:probe-owner';
export const AB_DIRECT_VALUES = ['always', 'standard'] as const;

export function abChildName(parent: string, runId: string, direct: string): string {
  return `${parent}/zfs-dio-probe-${runId}-${direct}`;
}

const CHILD_PATTERN = /\/zfs-dio-probe-[0-9a-f]{6,32}-(always|standard)$/;
const MOUNT_ROOT_PREFIX = 'zfs-dio-ab-';

/** Root's /run (no other user can write there), else the temporary directory. */
async function mountRootParent(): Promise<string> {
  if (process.geteuid?.() === 0) {
    try { if ((await stat('/run')).isDirectory()) return '/run'; } catch { /* no /run: fall through */ }
  }
  return os.tmpdir();
}

/** Removes the empty mountpoint directory of a destroyed child and its private parent (rmdir: only if empty). */
async function removeMountDirectories(mountpoint: string): Promise<void> {
  const parent = path.dirname(mountpoint);
  if (!path.basename(parent).startsWith(MOUNT_ROOT_PREFIX)) return;
  await rmdir(mountpoint).catch(() => undefined);
  await rmdir(parent).catch(() => undefined);
}

/**
 * Root, or a `zfs allow` delegation naming this user (or everyone) with create, mount and destroy.
 * A delegation through a group cannot be matched cheaply (zfs prints group names); then the
 * attempt itself decides, and a refusal becomes PERMISSION.
 */
export async function checkAbPrivileges(ctx: DiscoveryContext, dataset: string): Promise<void> {
  if (process.getuid?.() === 0) return;
  const out = await runZfsTool(ctx, 'zfs', ['allow', '--', dataset]).catch(() => '');
  const user = os.userInfo().username;
  const uid = String(process.getuid?.() ?? '');
  const perms = new Set<string>();
  let viaGroup = false;
  for (const raw of out.split('\n')) {
    const l = raw.trim();
    const m = /^user\s+(\S+)\s+(\S+)$/.exec(l) ?? /^(everyone)\s+(\S+)$/.exec(l);
    if (m && (m[1] === 'everyone' || m[1] === user || m[1] === uid)) for (const p of m[2]!.split(',')) perms.add(p);
    if (/^group\s/.test(l)) viaGroup = true;
  }
  const missing = ['create', 'mount', 'destroy'].filter((p) => !perms.has(p));
  if (missing.length && !viaGroup) {
    throw new ProbeError('PERMISSION', `A/B mode creates and destroys child datasets of ${dataset}: it needs root, or `
      + `\`zfs allow ${user} create,mount,destroy ${dataset}\` (missing: ${missing.join(', ')}).`);
  }
}

/** Destroys A/B children of `parent` left by runs whose process is gone (marker property checked). */
export async function removeAbLeftovers(ctx: DiscoveryContext, parent: string): Promise<string[]> {
  const columns = ['name', 'mountpoint', AB_OWNER_PROPERTY];
  const rows = parseZfsList(await runZfsTool(ctx, 'zfs',
    ['list', '-H', '-p', '-r', '-d', '1', '-t', 'filesystem', '-o', columns.join(','), '--', parent]), columns);
  const destroyed: string[] = [];
  for (const r of rows) {
    const name = r.name!;
    if (!name.startsWith(parent + '/') || !CHILD_PATTERN.test(name)) continue;
    const owner = /^pid=(\d+) start=(\d+|null)$/.exec(r[AB_OWNER_PROPERTY] ?? '');
    if (!owner) continue;   // no marker of ours: never touched
    const pid = Number(owner[1]);
    const start = owner[2] === 'null' ? null : Number(owner[2]);
    if (await processAlive(pid, start)) continue;
    await destroyExact(ctx, name);
    destroyed.push(name);
    if (path.isAbsolute(r.mountpoint ?? '')) await removeMountDirectories(r.mountpoint!);
  }
  return destroyed;
}

async function destroyExact(ctx: DiscoveryContext, name: string): Promise<void> {
  // A cancelled probe must still clean up: use a fresh deadline, not the aborted signal.
  const cleanupCtx: DiscoveryContext = { ...ctx, signal: undefined, timeoutMs: Math.max(ctx.timeoutMs, 30000) };
  try {
    await runZfsTool(cleanupCtx, 'zfs', ['destroy', '--', name]);
  } catch (e) {
    if (e instanceof ProbeError && /busy/i.test(e.detail ?? e.message)) {
      await runZfsTool(cleanupCtx, 'zfs', ['destroy', '-f', '--', name]);   // -f: force the unmount, still only this name
      return;
    }
    throw e;
  }
}

export interface AbChild { name: string; direct: string; dataset: DatasetInfo }

/**
 * Creates the children, calls `measure` on each, and destroys them in `finally`, whatever happened.
 * Returns the runs and the names destroyed.
 */
export async function withAbChildren(ctx: DiscoveryContext, parent: DatasetInfo, runId: string,
  measure: (child: AbChild) => Promise<Omit<AbRun, 'dataset'>>): Promise<{ runs: AbRun[]; destroyed: string[]; leftoversRemoved: string[] }> {
  const names = AB_DIRECT_VALUES.map((d) => abChildName(parent.name, runId, d));
  for (const n of names) {
    if (n.length > MAX_DATASET_NAME_LENGTH) throw new ProbeError('BAD_INPUT', `the A/B child name would exceed ${MAX_DATASET_NAME_LENGTH} characters under ${parent.name}`);
    assertValidDatasetName(n);
  }
  await checkAbPrivileges(ctx, parent.name);
  const leftoversRemoved = await removeAbLeftovers(ctx, parent.name);
  const owner = `pid=${process.pid} start=${(await processStartTicks(process.pid)) ?? 'null'}`;
  const mountRoot = await mkdtemp(path.join(await mountRootParent(), MOUNT_ROOT_PREFIX));
  const created: string[] = [];
  const runs: AbRun[] = [];
  const destroyed: string[] = [];
  let failure: unknown;
  try {
    for (const [i, direct] of AB_DIRECT_VALUES.entries()) {
      const name = names[i]!;
      const args = ['create', '-o', `direct=${direct}`, '-o', `${AB_OWNER_PROPERTY}=${owner}`,
        '-o', `mountpoint=${path.join(mountRoot, direct)}`];
      await runZfsTool(ctx, 'zfs', [...args, '--', name]);
      created.push(name);
      const columns = ['name', 'mountpoint', 'mounted'];
      const row = parseZfsList(await runZfsTool(ctx, 'zfs', ['list', '-H', '-p', '-o', columns.join(','), '--', name]), columns)[0];
      if (row?.mounted !== 'yes' || !path.isAbsolute(row.mountpoint ?? '')) {
        throw new ProbeError('PERMISSION', `created ${name} but it is not mounted (mounting needs root on Linux)`);
      }
      const { props } = await datasetProperties(ctx, [name]);
      const p = props.get(name) ?? {};
      const dataset: DatasetInfo = {
        name, mountpoint: row.mountpoint!,
        properties: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.value])),
        propertySources: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.source])),
      };
      runs.push({ dataset, ...(await measure({ name, direct, dataset })) });
    }
  } catch (e) {
    failure = e;
  } finally {
    for (const name of created.reverse()) {
      try {
        await destroyExact(ctx, name);
        destroyed.push(name);
      } catch (e) {
        failure ??= new ProbeError('RUNNER_FAILED', `could not destroy the temporary dataset ${name}: ${(e as Error).message}; destroy it with \`zfs destroy ${name}\``);
      }
    }
  }
  // zfs leaves explicitly set mountpoint directories behind (rmdir: only if empty)
  for (const direct of AB_DIRECT_VALUES) await rmdir(path.join(mountRoot, direct)).catch(() => undefined);
  await rmdir(mountRoot).catch(() => undefined);
  if (failure) throw failure;
  return { runs, destroyed, leftoversRemoved };
}
