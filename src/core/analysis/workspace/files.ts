// The workspace index's only way to the disk: small, bounded, non-blocking reads of regular files and
// listings of directories, each remembered until someone says the file changed (the editor's watcher,
// via WorkspaceIndex.filesChanged) or, outside a snapshot, until a short while has passed.
import { constants as fsConstants, closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

/** Headers, modules and package files larger than this are not read: no project keeps its constants in one. */
export const MAX_INDEXED_FILE_BYTES = 1024 * 1024;

/**
 * Without a snapshot (the editor), a remembered read is trusted this long before the file is looked at
 * again: files outside the watched folders (system headers, an `-I` elsewhere) change rarely, and a
 * watcher event forgets a read at once.
 */
export const RECHECK_MS = 5000;

/** O_NONBLOCK: a path swapped for a FIFO or a device must not block the analysis. */
const OPEN_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY;

interface Remembered<T> { value: T; at: number }

export interface FileReader {
  /** The file's text decoded as UTF-8, or undefined (missing, not a regular file, too large, unreadable). */
  readText(abs: string): string | undefined;
  /** The names in a directory, or undefined when it cannot be listed. */
  listDir(abs: string): readonly string[] | undefined;
  /** Is there a regular file at this path? */
  isFile(abs: string): boolean;
  /** Forgets what it read of these paths (all of it without a list). */
  forget(paths?: readonly string[]): void;
  /**
   * The bytes of a file this reader read and has not handed out yet, once (a snapshot only: there they
   * are what the disk holds), so that a scan reaching the file later does not read it a second time.
   */
  takeBytes?(abs: string): Buffer | undefined;
}

/**
 * Reads through the file system. `snapshot`: the files do not change while this reader lives (a
 * command-line scan), so nothing is looked at twice.
 */
export class DiskFileReader implements FileReader {
  private readonly texts = new Map<string, Remembered<string | undefined>>();
  private readonly listings = new Map<string, Remembered<readonly string[] | undefined>>();
  private readonly files = new Map<string, Remembered<boolean>>();
  /** In a snapshot: the bytes of each file read, until takeBytes hands them out. */
  private readonly unclaimed = new Map<string, Buffer>();

  constructor(private readonly snapshot = false, private readonly now: () => number = Date.now) {}

  private fresh<T>(m: Map<string, Remembered<T>>, key: string): Remembered<T> | undefined {
    const r = m.get(key);
    return r && (this.snapshot || this.now() - r.at < RECHECK_MS) ? r : undefined;
  }

  readText(abs: string): string | undefined {
    const known = this.fresh(this.texts, abs);
    if (known) return known.value;
    const read = readSmallFile(abs);
    if (read && this.snapshot) this.unclaimed.set(abs, read.bytes);
    const value = read?.text;
    this.texts.set(abs, { value, at: this.now() });
    return value;
  }

  takeBytes(abs: string): Buffer | undefined {
    const bytes = this.unclaimed.get(abs);
    if (bytes) this.unclaimed.delete(abs);
    return bytes;
  }

  listDir(abs: string): readonly string[] | undefined {
    const known = this.fresh(this.listings, abs);
    if (known) return known.value;
    let value: readonly string[] | undefined;
    try { value = readdirSync(abs).sort(); } catch { value = undefined; }
    this.listings.set(abs, { value, at: this.now() });
    return value;
  }

  isFile(abs: string): boolean {
    const known = this.fresh(this.files, abs);
    if (known) return known.value;
    let value = false;
    try { value = statSync(abs).isFile(); } catch { /* not there */ }
    this.files.set(abs, { value, at: this.now() });
    return value;
  }

  forget(paths?: readonly string[]): void {
    if (!paths) { this.texts.clear(); this.listings.clear(); this.files.clear(); this.unclaimed.clear(); return; }
    for (const p of paths) {
      const abs = path.resolve(p);
      this.texts.delete(abs);
      this.unclaimed.delete(abs);
      this.files.delete(abs);
      // a file that appeared or vanished changes its directory's listing
      this.listings.delete(abs);
      this.listings.delete(path.dirname(abs));
    }
  }
}

function readSmallFile(abs: string): { text: string; bytes: Buffer } | undefined {
  let fd: number;
  try { fd = openSync(abs, OPEN_FLAGS); } catch { return undefined; }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_INDEXED_FILE_BYTES) return undefined;
    const buffer = Buffer.allocUnsafe(st.size);
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    const bytes = filled === buffer.length ? buffer : buffer.subarray(0, filled);
    const text = bytes.toString('utf8');
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, bytes };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
