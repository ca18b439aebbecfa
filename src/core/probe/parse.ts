// Pure parsers for the text the probe reads: `zfs list/get -H`, `zpool get -H`, `zfs version`
// (text and -j), module parameters and the pool iostats kstat. Fixture tests feed them output
// recorded on a real OpenZFS 2.3.2 system (test/fixtures/probe/).

export interface PropertyValue { value: string; source: string }

/** `zfs get -Hp -o name,property,value,source …` → name → property → value/source. */
export function parseZfsGet(text: string): Map<string, Record<string, PropertyValue>> {
  const out = new Map<string, Record<string, PropertyValue>>();
  for (const line of splitLines(text)) {
    const f = line.split('\t');
    if (f.length < 4) continue;
    // Only the value can contain a tab (a mountpoint, in theory); name and property cannot.
    const name = f[0]!;
    const property = f[1]!;
    const source = f[f.length - 1]!;
    const value = f.slice(2, -1).join('\t');
    let props = out.get(name);
    if (!props) out.set(name, props = {});
    props[property] = { value, source };
  }
  return out;
}

/** `zfs list -H -p -o <columns>` → one record per line keyed by column name. */
export function parseZfsList(text: string, columns: readonly string[]): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const line of splitLines(text)) {
    const f = line.split('\t');
    if (f.length < columns.length) continue;
    const row: Record<string, string> = {};
    columns.forEach((c, i) => {
      // a value with a tab can only be the last column we ask for
      row[c] = i === columns.length - 1 ? f.slice(i).join('\t') : f[i]!;
    });
    rows.push(row);
  }
  return rows;
}

/** `zpool get -Hp -o property,value a,b POOL` → property → value. */
export function parseZpoolGet(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of splitLines(text)) {
    const f = line.split('\t');
    if (f.length >= 2) out[f[0]!] = f[1]!;
  }
  return out;
}

export interface ZfsVersions { userland: string | null; kmod: string | null }

/**
 * `zfs version` prints `zfs-2.3.2-2~bpo12+2` and `zfs-kmod-2.3.2-2~bpo12+2`; `zfs version -j`
 * (2.3.0+) prints {"zfs_version": {"userland": …, "kernel": …}}. Returns the versions without
 * the `zfs-` / `zfs-kmod-` prefixes.
 */
export function parseZfsVersion(text: string): ZfsVersions {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const j = JSON.parse(trimmed) as { zfs_version?: { userland?: unknown; kernel?: unknown } };
      const v = j.zfs_version ?? {};
      return {
        userland: typeof v.userland === 'string' ? stripPrefix(v.userland) : null,
        kmod: typeof v.kernel === 'string' ? stripPrefix(v.kernel) : null,
      };
    } catch {
      return { userland: null, kmod: null };
    }
  }
  let userland: string | null = null;
  let kmod: string | null = null;
  for (const line of splitLines(trimmed)) {
    const s = line.trim();
    if (s.startsWith('zfs-kmod-')) kmod = s.slice('zfs-kmod-'.length);
    else if (s.startsWith('zfs-')) userland = s.slice('zfs-'.length);
  }
  return { userland, kmod };
}

function stripPrefix(v: string): string {
  return v.replace(/^zfs-kmod-/, '').replace(/^zfs-/, '');
}

/**
 * A kstat "named" file: a header line, a "name type data" line, then `name type value` rows.
 * Returns the numeric rows.
 */
export function parseKstatNamed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of splitLines(text)) {
    const f = line.trim().split(/\s+/);
    if (f.length === 3 && /^\d+$/.test(f[1]!) && /^-?\d+$/.test(f[2]!)) out[f[0]!] = Number(f[2]);
  }
  return out;
}

function splitLines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.length > 0);
}
