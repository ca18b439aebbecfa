// The on-disk cache of a whole-tree scan (`zfs-dio scan --cache`): what each file's analysis gave, so
// that a second scan of an unchanged tree only looks at each file's metadata and parses nothing.
//
// A result is reused only when nothing it could depend on has changed:
// - the file itself: its inode, size, modification and change times (the change time cannot be set
//   back by a program that restores the modification time);
// - the tool and its configuration: the running bundle, the settings, the limits and the workspace;
// - every other file the workspace index looked at while the scan ran: headers, package files,
//   modules, the listings of directories, and the paths where it looked for a file and found none.
//   These are recorded scan-wide (the index's memos share what one file read with the next), so a
//   change to any of them discards every cached result, while a change to a file that nothing else
//   reads discards that file's result alone.
// Results that depend on time (a file that ran out of its time limit) are never kept. The cache is a
// single JSON file, replaced by a rename, so a reader never sees half of one and a link planted at its
// path is replaced, not followed.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { FileReader } from './workspace/files';
import type { Language } from '../types';
import type { ScannedFile } from './scan';

/** The default cache file, in the directory the scan runs from (as ESLint's `.eslintcache`). */
export const DEFAULT_CACHE_FILE = '.zfs-dio-cache';

/** Bumped whenever the file's layout or the meaning of an entry changes. */
const CACHE_FORMAT = 2;

/** A path's identity and state as stat sees it: its kind, inode, size and times, or `absent`. */
export function fingerprintOf(abs: string): string {
  let st;
  // most of the paths the index looked up and did not find are still missing: no exception to build for them
  try { st = statSync(abs, { bigint: true, throwIfNoEntry: false }); } catch { return 'absent'; }
  if (!st) return 'absent';
  const kind = st.isFile() ? 'f' : st.isDirectory() ? 'd' : 'o';
  return `${kind}:${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/**
 * A FileReader that notes every path the workspace index asks about, with the path's fingerprint taken
 * before the first answer, so a file that changes after being read is seen as changed next time.
 */
export class RecordingFileReader implements FileReader {
  private readonly seen = new Set<string>();
  private fresh: [string, string][] = [];

  constructor(private readonly inner: FileReader) {}

  private note(abs: string): void {
    if (this.seen.has(abs)) return;
    this.seen.add(abs);
    this.fresh.push([abs, fingerprintOf(abs)]);
  }

  readText(abs: string): string | undefined { this.note(abs); return this.inner.readText(abs); }
  listDir(abs: string): readonly string[] | undefined { this.note(abs); return this.inner.listDir(abs); }
  isFile(abs: string): boolean { this.note(abs); return this.inner.isFile(abs); }
  // the scan's own read of a file, not a read of the index: not noted
  takeBytes(abs: string): Buffer | undefined { return this.inner.takeBytes?.(abs); }
  forget(paths?: readonly string[]): void {
    this.inner.forget(paths);
    if (!paths) this.seen.clear();
    else for (const p of paths) this.seen.delete(path.resolve(p));
  }

  /** The paths noted since the last call, each once. */
  takeReads(): [string, string][] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}

/** What a cached file gave: enough to count it and report it exactly as its analysis did. */
export type CachedOutcome =
  | { kind: 'filtered'; bytes: number }
  | { kind: 'analyzed'; bytes: number; file: Omit<ScannedFile, 'file'>; notes: { message: string }[] };

interface Entry {
  language: Language;
  recordsize: number | null;
  fingerprint: string;
  outcome: CachedOutcome;
}

interface CacheFile {
  format: number;
  key: string;
  reads: Record<string, string>;
  entries: Record<string, Entry>;
}

export interface CacheTask { file: string; abs: string; language: Language; recordsize?: number }

/** Why the cache could not be used or kept (the scan itself goes on without it). */
export interface CacheProblem { message: string }

export class ScanCache {
  private entries = new Map<string, Entry>();
  private reads = new Map<string, string>();
  private readonly pending = new Map<number, { task: CacheTask; fingerprint: string }>();
  private changed = false;
  /** How the stored cache was found: 'reused', 'new' (none, another tool or configuration) or 'stale' (an input changed). */
  readonly state: 'reused' | 'new' | 'stale';

  private constructor(readonly location: string, private readonly key: string, stored: CacheFile | undefined) {
    if (!stored) { this.state = 'new'; return; }
    for (const [p, fp] of Object.entries(stored.reads)) {
      if (fingerprintOf(p) !== fp) { this.state = 'stale'; this.changed = true; return; }
    }
    this.reads = new Map(Object.entries(stored.reads));
    this.entries = new Map(Object.entries(stored.entries));
    this.state = 'reused';
  }

  /**
   * Opens the cache at `location` for a scan configured by `config` (anything JSON that decides what a
   * file's analysis gives). An unreadable, foreign or corrupt file is treated as no cache.
   */
  static open(location: string, config: unknown): ScanCache {
    const key = createHash('sha1').update(JSON.stringify({ format: CACHE_FORMAT, tool: toolFingerprint(), config })).digest('hex');
    let stored: CacheFile | undefined;
    try {
      const parsed = JSON.parse(readFileSync(location, 'utf8')) as unknown;
      if (isCacheFile(parsed) && parsed.key === key) stored = parsed;
    } catch { /* missing or unreadable: start empty */ }
    return new ScanCache(path.resolve(location), key, stored);
  }

  /**
   * The stored outcome of `task` when its file is unchanged; otherwise undefined, and the fingerprint
   * taken now is kept for `store` (taken before the file is read, so a change while it is read shows).
   */
  lookup(seq: number, task: CacheTask): CachedOutcome | undefined {
    const fingerprint = fingerprintOf(task.abs);
    const e = this.entries.get(task.abs);
    if (e && e.fingerprint === fingerprint && e.language === task.language
      && e.recordsize === (task.recordsize ?? null)) return e.outcome;
    this.pending.set(seq, { task, fingerprint });
    return undefined;
  }

  /** What the analysis of the file looked up at `seq` gave; undefined: nothing to keep (it depended on time). */
  store(seq: number, outcome: CachedOutcome | undefined): void {
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    if (!outcome) { if (this.entries.delete(p.task.abs)) this.changed = true; return; }
    this.entries.set(p.task.abs, { language: p.task.language, recordsize: p.task.recordsize ?? null,
      fingerprint: p.fingerprint, outcome });
    this.changed = true;
  }

  /** Paths the workspace index looked at, with their fingerprints at that time. */
  addReads(reads: readonly [string, string][] | undefined): void {
    for (const [p, fp] of reads ?? []) {
      if (this.reads.get(p) !== fp) { this.reads.set(p, fp); this.changed = true; }
    }
  }

  /** Writes the cache if anything changed. Returns a problem instead of throwing: a scan never fails on its cache. */
  save(): CacheProblem | undefined {
    if (!this.changed) return undefined;
    const data: CacheFile = { format: CACHE_FORMAT, key: this.key, reads: Object.fromEntries(this.reads), entries: Object.fromEntries(this.entries) };
    const tmp = `${this.location}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      // 'wx': the temporary name is new, so nothing planted there is followed or overwritten.
      const fd = openSync(tmp, 'wx', 0o644);
      try { writeSync(fd, JSON.stringify(data)); } finally { closeSync(fd); }
      renameSync(tmp, this.location);
      this.changed = false;
      return undefined;
    } catch (err) {
      try { unlinkSync(tmp); } catch { /* never created */ }
      return { message: `could not write the scan cache ${this.location}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}

/**
 * The running analyzer: the bundle this module is part of (a rebuilt tool never trusts an old cache),
 * or, unbundled, this module's own file.
 */
function toolFingerprint(): string {
  return typeof __filename === 'string' ? fingerprintOf(__filename) : 'unknown';
}

function isCacheFile(v: unknown): v is CacheFile {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<CacheFile>;
  if (c.format !== CACHE_FORMAT || typeof c.key !== 'string') return false;
  if (typeof c.reads !== 'object' || c.reads === null || typeof c.entries !== 'object' || c.entries === null) return false;
  if (!Object.values(c.reads).every((fp) => typeof fp === 'string')) return false;
  return Object.values(c.entries).every((e) => typeof e === 'object' && e !== null
    && typeof e.fingerprint === 'string' && typeof e.language === 'string' && (e.recordsize === null || typeof e.recordsize === 'number')
    && typeof e.outcome === 'object' && e.outcome !== null && (e.outcome.kind === 'filtered' || e.outcome.kind === 'analyzed')
    && typeof e.outcome.bytes === 'number');
}
