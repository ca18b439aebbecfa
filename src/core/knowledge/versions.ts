// Version strings exactly as OpenZFS and Linux print them, parsed into something comparable.
//
// OpenZFS: `/sys/module/zfs/version` is ZFS_META_VERSION "-" ZFS_META_RELEASE (e.g. `2.3.2-1`), `zfs version`
// prints `zfs-2.3.2-1` / `zfs-kmod-2.3.2-1`, distributions append their own revision (`2.3.2-2~bpo12+2`,
// `2.2.2-0ubuntu9`), release candidates are `2.3.0-rc5`, and builds from the development branch are
// `2.2.99-365_g8f2f6cd2ac` (the next minor minus one, with a git-describe suffix).
// Linux: `uname -r`, e.g. `6.12.117+deb12-amd64`, `5.15.0-119-generic`, `4.18.0-553.el8_10.x86_64`.

export interface ZfsVersion {
  major: number;
  minor: number;
  patch: number;
  /** Release-candidate number for `-rcN`, undefined for a release. */
  rc?: number;
  /** Everything after the numeric version and rc, e.g. `2~bpo12+2`, `1`, `365_g8f2f6cd2ac`. */
  release?: string;
  /** A development-branch build (`x.y.99`): its fixes depend on the commit, not the number. */
  development: boolean;
  /** The version string mentions FreeBSD (e.g. `zfs-kmod-2.2.0-FreeBSD_g95785196f`). */
  freebsd: boolean;
  /** The input, trimmed. */
  raw: string;
}

const ZFS_VERSION = /^(?:zfs-kmod-|zfs-|v)?(\d+)\.(\d+)(?:\.(\d+))?(?:-rc(\d+))?(?:[-_~+](.*))?$/i;

/** Parses an OpenZFS version string; returns undefined when it does not look like one. */
export function parseZfsVersion(text: string | null | undefined): ZfsVersion | undefined {
  if (typeof text !== 'string') return undefined;
  // `zfs version` prints two lines; callers may pass either, so take the first non-empty token.
  const raw = text.trim().split(/\s+/)[0] ?? '';
  const m = ZFS_VERSION.exec(raw);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? 0 : Number(m[3]);
  const rc = m[4] === undefined ? undefined : Number(m[4]);
  const release = m[5] === undefined || m[5] === '' ? undefined : m[5];
  return {
    major, minor, patch, rc, release, raw,
    development: patch >= 99,
    freebsd: /freebsd/i.test(raw),
  };
}

/**
 * Orders two OpenZFS versions by major.minor.patch, with a release candidate before its release.
 * The distribution/release suffix is ignored on purpose: `2.3.2-1` and `2.3.2-2~bpo12+2` are the
 * same upstream code as far as the release tags show (backports are handled separately).
 */
export function compareZfs(a: ZfsVersion, b: ZfsVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  const ra = a.rc ?? Number.POSITIVE_INFINITY;
  const rb = b.rc ?? Number.POSITIVE_INFINITY;
  return ra === rb ? 0 : ra < rb ? -1 : 1;
}

/** Parses a version that the knowledge base itself wrote; throws, because a typo there is a bug. */
export function zfsVersionOf(text: string): ZfsVersion {
  const v = parseZfsVersion(text);
  if (!v) throw new Error(`known-issues data: "${text}" is not an OpenZFS version`);
  return v;
}

/** `2.3.2` or `2.3.0-rc5`: the upstream part only, for messages. */
export function formatZfs(v: ZfsVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.rc === undefined ? '' : `-rc${v.rc}`}`;
}

export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
  /** The distribution suffix, e.g. `+deb12-amd64`, `-119-generic`. */
  suffix: string;
  raw: string;
}

const KERNEL_VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?(.*)$/;

/** Parses `uname -r` output; undefined when it does not start with a dotted version. */
export function parseKernelVersion(text: string | null | undefined): KernelVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const raw = text.trim();
  const m = KERNEL_VERSION.exec(raw);
  if (!m) return undefined;
  // FreeBSD's `uname -r` (`14.1-RELEASE-p5`) also starts with digits; it is not a Linux release.
  if (/RELEASE|STABLE|CURRENT/.test(m[4] ?? '')) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]), suffix: m[4] ?? '', raw };
}

export function compareKernel(a: KernelVersion, b: KernelVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  return a.patch - b.patch;
}

export function kernelVersionOf(text: string): KernelVersion {
  const v = parseKernelVersion(text);
  if (!v) throw new Error(`known-issues data: "${text}" is not a kernel version`);
  return v;
}

export function formatKernel(v: KernelVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/**
 * A version interval as the data writes it: `from` is inclusive, `before` exclusive, `through` inclusive
 * (so the data can say "up to 2.2.11" without inventing a "2.2.12"). Any end may be left open.
 */
export interface VersionRange { from?: string; before?: string; through?: string }

export function zfsInRange(v: ZfsVersion, range: VersionRange): boolean {
  if (range.from !== undefined && compareZfs(v, zfsVersionOf(range.from)) < 0) return false;
  if (range.before !== undefined && compareZfs(v, zfsVersionOf(range.before)) >= 0) return false;
  if (range.through !== undefined && compareZfs(v, zfsVersionOf(range.through)) > 0) return false;
  return true;
}

export function kernelInRange(v: KernelVersion, range: VersionRange): boolean {
  if (range.from !== undefined && compareKernel(v, kernelVersionOf(range.from)) < 0) return false;
  if (range.before !== undefined && compareKernel(v, kernelVersionOf(range.before)) >= 0) return false;
  if (range.through !== undefined && compareKernel(v, kernelVersionOf(range.through)) > 0) return false;
  return true;
}

/** `x.y.99` marks "the end of the x.y line" in the data; it is not a release, so messages leave it out. */
function isLineEnd(text: string | undefined): boolean {
  return text !== undefined && /^\d+\.\d+\.99$/.test(text);
}

/** "kmod 2.3.2 ≥ 2.3.1", "kmod 2.2.7 < 2.3.0-rc5", "2.3.0-rc5 ≤ kmod 2.3.0 < 2.3.1", "2.2.1 ≤ kmod 2.2.6 ≤ 2.2.11". */
export function describeInRange(subject: string, range: VersionRange): string {
  const upper = range.through !== undefined ? ` ≤ ${range.through}`
    : range.before !== undefined && !isLineEnd(range.before) ? ` < ${range.before}` : '';
  if (range.from !== undefined) return upper ? `${range.from} ≤ ${subject}${upper}` : `${subject} ≥ ${range.from}`;
  if (upper) return `${subject}${upper}`;
  return `${subject} (any version)`;
}
