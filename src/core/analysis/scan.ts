// Whole-tree scanning, shared by `zfs-dio scan` and the editor's "Scan Workspace" command.
//
// Speed comes from three things: a directory walk that never reads files it cannot use, a cheap
// text prefilter (the extractor's regex) so only files that can contain a site are parsed, and
// worker threads so parsing uses every core. Memory stays bounded: the walk is a lazy generator,
// each worker holds at most a couple of small batches, and results keep no file text.
import { constants as fsConstants, existsSync, readdirSync, statSync, lstatSync, openSync, fstatSync, readSync, closeSync, realpathSync, type Dirent } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyzeText } from './analyze';
import { AnalysisBudget, DEFAULT_FILE_TIME_LIMIT_MS } from './budget';
import { ExcludeMatcher } from './glob';
import { PARSER_MAX_FILE_BYTES, parserRuntimeFailure } from './parse';
import { EXTRACTORS, languageForFile, languageFromShebang, mayBeScript } from './languages';
import { projectRootOf, WorkspaceIndex, type WorkspaceConfig } from './workspace';
import { DiskFileReader } from './workspace/files';
import { RecordingFileReader, ScanCache, type CachedOutcome } from './scan-cache';
import { DEFAULT_SETTINGS, LANGUAGES, type AnalysisSettings, type Finding, type Language, type RecordsizeSource, type Site } from '../types';

export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;
import { skippedDirectoryReason } from './skipped-directories';
export { ExcludeMatcher, InvalidGlobError, globProblem, usableGlobs } from './glob';

export interface ScanOptions {
  settings?: AnalysisSettings;
  /**
   * Glob patterns (`**`, `*`, `?`, `{a,b}`, `[abc]`) relative to each scanned root; a pattern without `/`
   * matches a name anywhere. An invalid one throws InvalidGlobError (check them first with globProblem).
   */
  exclude?: readonly string[];
  /** Languages to scan; default all. */
  languages?: readonly Language[];
  /** Files larger than this many bytes are skipped with a note (never more than PARSER_MAX_FILE_BYTES). */
  maxFileSize?: number;
  /** The time each file may take per phase (parse; extraction and rules) before its analysis stops with a note. */
  fileTimeLimitMs?: number;
  /** Worker threads to use; 1 = analyse in this thread. Default: the number of cores. */
  jobs?: number;
  /** Per-file recordsize (the probe fills this seam); `undefined` from it means "use settings.recordsize". */
  recordsizeSource?: RecordsizeSource;
  /**
   * Walk, read and prefilter only; parse nothing (the files that would be parsed are counted as filtered).
   * Measures the floor of a scan apart from parsing (`zfs-dio scan --prefilter-only`, used by `npm run bench`).
   */
  prefilterOnly?: boolean;
  /**
   * What a file may know of its project's other files (headers, package files, modules). Default: the
   * project of each path scanned (the nearest folder holding `.git`, else the path itself), read as a
   * snapshot. `false`: every file on its own.
   */
  workspace?: WorkspaceConfig | false;
  /** Path of the bundled worker (default: scan-worker.js next to this bundle). Without one, the scan runs in-process. */
  workerScript?: string;
  /**
   * A cache file (see scan-cache.ts): results of unchanged files are taken from it and parse nothing,
   * and it is rewritten at the end of a scan that was not cancelled. Ignored with `prefilterOnly`.
   */
  cache?: string;
  signal?: AbortSignal;
  onProgress?: (progress: { filesDone: number; filesQueued: number }) => void;
}

export interface ScannedFile {
  /** The path as the user gave it (relative stays relative), joined with the names found below it. */
  file: string;
  language: Language;
  sites: Site[];
  findings: Finding[];
}

/**
 * `incomplete`: the file or directory should have been analysed and was not (unreadable, unlistable,
 * the analysis failed or ran out of time): the scan cannot vouch for it, so `zfs-dio scan` exits 3.
 * Without it the skip is policy (binary, too large, excluded, not a source file): a note only.
 */
export interface SkippedFile { file: string; reason: string; incomplete?: true }
/** Something worth telling about a file that was still analysed (e.g. invalid UTF-8, or only partly: incomplete). */
export interface FileNote { file: string; message: string; incomplete?: true }

export interface ScanStats {
  /** Source files of an enabled language that the walk handed to the analysis. */
  filesConsidered: number;
  /** Files the prefilter let through, which were parsed and analysed (or whose analysis a cache gave). */
  filesParsed: number;
  filesWithSites: number;
  filesSkipped: number;
  /** Files and directories that should have been analysed and were not, or only partly (see SkippedFile.incomplete). */
  filesIncomplete: number;
  /** Files the walk saw that are not sources of an enabled language (ignored silently). */
  filesIgnored: number;
  bytesRead: number;
  sites: number;
  findings: number;
  workers: number;
  /** Of the files considered, those whose result came from the cache (counted in the other figures as if analysed). */
  filesFromCache: number;
  durationMs: number;
  cancelled: boolean;
}

export interface ScanResult {
  /** Files with at least one site or finding, in walk order. */
  files: ScannedFile[];
  skipped: SkippedFile[];
  notes: FileNote[];
  stats: ScanStats;
  /** With `cache`: where it is, whether the stored results could be used, and why it could not be written. */
  cache?: { location: string; state: 'reused' | 'new' | 'stale'; problem?: string };
}

// ---------------------------------------------------------------------------------------------
// One file: read, filter, analyse. Runs in a worker or in-process; returns no file text.

export interface FileTask { seq: number; file: string; abs: string; language: Language; recordsize?: number }

export interface OutcomeNote { message: string; incomplete?: true }

export type FileOutcome =
  | { seq: number; kind: 'analyzed'; file: ScannedFile; bytes: number; notes: OutcomeNote[] }
  | { seq: number; kind: 'filtered'; bytes: number }
  | { seq: number; kind: 'skipped'; file: string; reason: string; bytes: number; incomplete?: true }
  /** A worker found a candidate in a language another worker parses (see runPool); bytes are counted by the parser. */
  | { seq: number; kind: 'deferred'; task: FileTask; bytes: 0 };

export interface FileProcessorConfig {
  settings: AnalysisSettings; maxFileSize: number; fileTimeLimitMs: number; prefilterOnly?: boolean;
  /** Each thread builds its own index from this (an index cannot cross into a worker). */
  workspace?: WorkspaceConfig;
  /** Note every path the index looks at (for a scan cache): see takeThreadReads. */
  recordReads?: boolean;
}

/**
 * The index of this thread, for the scan's workspace (one scan at a time per configuration). A scan
 * reads its workspace as a snapshot, so each scan in this thread starts a new one (see scanPaths):
 * a long-lived process (the language server) must not answer a second scan from the first one's reads.
 */
let threadIndex: { key: string; index: WorkspaceIndex; recorder?: RecordingFileReader } | undefined;
/** The key of the last configuration asked for: a scan asks with the same object for every file. */
let lastKeyed: { config: WorkspaceConfig; recordReads: boolean; key: string } | undefined;

function workspaceIndexFor(config: WorkspaceConfig | undefined, recordReads: boolean | undefined): WorkspaceIndex | undefined {
  if (!config) return undefined;
  if (lastKeyed?.config !== config || lastKeyed.recordReads !== (recordReads === true)) {
    lastKeyed = { config, recordReads: recordReads === true, key: JSON.stringify({ config, recordReads: recordReads === true }) };
  }
  const key = lastKeyed.key;
  if (threadIndex?.key !== key) {
    const recorder = recordReads ? new RecordingFileReader(new DiskFileReader(config.snapshot ?? false)) : undefined;
    threadIndex = { key, index: new WorkspaceIndex(config, recorder), recorder };
  }
  return threadIndex.index;
}

/** The paths this thread's index looked at since the last call, with their fingerprints (recordReads only). */
export function takeThreadReads(): [string, string][] {
  return threadIndex?.recorder?.takeReads() ?? [];
}

/** What of an outcome a cache may keep: nothing that depended on time or failed. */
function cacheable(outcome: FileOutcome): CachedOutcome | undefined {
  if (outcome.kind === 'filtered') return { kind: 'filtered', bytes: outcome.bytes };
  if (outcome.kind !== 'analyzed' || outcome.notes.some((n) => n.incomplete)) return undefined;
  const { file: _name, ...rest } = outcome.file;
  return { kind: 'analyzed', bytes: outcome.bytes, file: rest, notes: outcome.notes.map((n) => ({ message: n.message })) };
}

function fromCache(seq: number, name: string, cached: CachedOutcome): FileOutcome {
  if (cached.kind === 'filtered') return { seq, kind: 'filtered', bytes: cached.bytes };
  return { seq, kind: 'analyzed', bytes: cached.bytes, notes: cached.notes, file: { file: name, ...cached.file } };
}

/** The workspace of a scan of `paths`: the projects they belong to, read as a snapshot. */
export function scanWorkspace(paths: readonly string[], compileCommands?: string): WorkspaceConfig {
  const isDirectory = (p: string) => { try { return statSync(p).isDirectory(); } catch { return false; } };
  const roots = [...new Set(paths.map((p) => projectRootOf(path.resolve(p), isDirectory, existsSync)))];
  return { roots, snapshot: true, ...(compileCommands ? { compileCommands: path.resolve(compileCommands) } : {}) };
}

const BINARY_PROBE_BYTES = 8192;
const prefilterCache = new Map<Language, { regex: RegExp; onBytes: boolean }>();

function prefilterFor(language: Language): { regex: RegExp; onBytes: boolean } {
  let entry = prefilterCache.get(language);
  if (!entry) {
    const p = EXTRACTORS[language].prefilter;
    // A stateless copy: `g`/`y` would make test() depend on the previous call.
    const regex = new RegExp(p.source, p.flags.replace(/[gy]/g, ''));
    // An ASCII-only, non-unicode pattern matches the same on a latin1 view of the bytes as on the
    // decoded text (multi-byte UTF-8 sequences become chars >= 0x80, which no ASCII atom or \w matches),
    // and the latin1 view is a plain copy, several times cheaper than UTF-8 decoding.
    const onBytes = !/[^\x00-\x7f]/.test(p.source) && !/[uv]/.test(p.flags);
    entry = { regex, onBytes };
    prefilterCache.set(language, entry);
  }
  return entry;
}

function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES': case 'EPERM': return 'permission denied (unreadable)';
    case 'ENOENT': return 'no such file or directory';
    case 'ELOOP': return 'symbolic link loop';
    case 'EISDIR': return 'is a directory';
    case 'EMFILE': case 'ENFILE': return 'too many open files';
    default: return e instanceof Error ? e.message : String(err);
  }
}

/**
 * One scratch buffer per thread for the first read: most source files fit, so the common case is
 * open + read + close with no fstat and no allocation. Safe to share because every caller finishes
 * with the bytes (prefilter, decoding) before its first `await`.
 */
const FIRST_READ_BYTES = 64 * 1024;
const scratch = Buffer.allocUnsafe(FIRST_READ_BYTES);

/**
 * Opened without blocking and checked with fstat before any read: a file replaced by a FIFO (or a
 * device) between the walk and the read would otherwise block the open or the read forever.
 */
const OPEN_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY;

function readWhole(abs: string, maxFileSize: number): { buffer: Buffer } | { reason: string; incomplete?: true } {
  let fd: number;
  try { fd = openSync(abs, OPEN_FLAGS); } catch (err) { return { reason: describeError(err), incomplete: true }; }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { reason: 'not a regular file (a FIFO, socket or device is never read)' };
    if (st.size > maxFileSize) return { reason: tooLarge(st.size, maxFileSize) };
    const first = readSync(fd, scratch, 0, FIRST_READ_BYTES, 0);
    if (first < FIRST_READ_BYTES) {
      return first > maxFileSize ? { reason: tooLarge(first, maxFileSize) } : { buffer: scratch.subarray(0, first) };
    }
    const buffer = Buffer.allocUnsafe(Math.max(st.size, first));
    scratch.copy(buffer, 0, 0, first);
    let filled = first;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;   // the file shrank while we read it
      filled += n;
    }
    return { buffer: filled === buffer.length ? buffer : buffer.subarray(0, filled) };
  } catch (err) {
    return { reason: describeError(err), incomplete: true };
  } finally {
    closeSync(fd);
  }
}

/**
 * The bytes of a file the workspace index already read for another file's context (a package's files,
 * the sources that include a header), as readWhole would give them: in a snapshot the disk holds the same.
 */
function readBefore(abs: string, maxFileSize: number, workspace: WorkspaceIndex | undefined): { buffer: Buffer } | { reason: string; incomplete?: true } | undefined {
  const buffer = workspace?.reader.takeBytes?.(abs);
  if (!buffer) return undefined;
  return buffer.length > maxFileSize ? { reason: tooLarge(buffer.length, maxFileSize) } : { buffer };
}

/** The language of an extensionless script, from its first line (read without blocking: it may be a FIFO). */
function scriptLanguage(abs: string): Language | undefined {
  let fd: number;
  try { fd = openSync(abs, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK); } catch { return undefined; }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const head = Buffer.alloc(256);
    const n = readSync(fd, head, 0, head.length, 0);
    return languageFromShebang(head.toString('latin1', 0, n).split('\n', 1)[0]!);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, limit: number): string {
  return `file too large (${size} bytes; limit ${limit} bytes, see --max-file-size)`;
}

/** `mayParse` (workers only): languages this thread may parse; other candidates come back as `deferred`. */
export async function processFile(task: FileTask, config: FileProcessorConfig, mayParse?: ReadonlySet<Language>): Promise<FileOutcome> {
  const workspace = workspaceIndexFor(config.workspace, config.recordReads);
  const read = readBefore(task.abs, config.maxFileSize, workspace) ?? readWhole(task.abs, config.maxFileSize);
  if (!('buffer' in read)) return { seq: task.seq, kind: 'skipped', file: task.file, reason: read.reason, bytes: 0, incomplete: read.incomplete };
  const buffer = read.buffer;
  const bytes = buffer.length;
  if (buffer.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
    return { seq: task.seq, kind: 'skipped', file: task.file, reason: 'binary file (NUL byte in the first 8 KiB)', bytes };
  }
  const prefilter = prefilterFor(task.language);
  // A file whose own text has no site may still have one through the files its context reads.
  const mayHaveSitesElsewhere = (viewed: string) =>
    workspace?.contextFor(task.abs, task.language, viewed)?.mentionsSites === true;
  let text: string | undefined;
  if (prefilter.onBytes) {
    const viewed = buffer.toString('latin1', 0, bytes);
    if (!prefilter.regex.test(viewed) && !mayHaveSitesElsewhere(viewed)) return { seq: task.seq, kind: 'filtered', bytes };
  } else {
    text = buffer.toString('utf8');
    if (!prefilter.regex.test(text) && !mayHaveSitesElsewhere(text)) return { seq: task.seq, kind: 'filtered', bytes };
  }
  if (config.prefilterOnly) return { seq: task.seq, kind: 'filtered', bytes };
  if (mayParse && !mayParse.has(task.language)) return { seq: task.seq, kind: 'deferred', task, bytes: 0 };
  const notes: OutcomeNote[] = [];
  if (!isUtf8(buffer)) notes.push({ message: 'invalid UTF-8: undecodable bytes were replaced with U+FFFD and the file was still analysed' });
  text ??= buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);   // editors hide the BOM; keep columns in step with them
  // The dataset's recordsize was looked up by the walk (RecordsizeSource objects cannot cross into a worker).
  const recordsize = task.recordsize;
  const recordsizeSource = recordsize === undefined ? undefined : { recordsizeFor: () => recordsize };
  const budget = new AnalysisBudget(config.fileTimeLimitMs);
  try {
    const result = await analyzeText(text, task.language, config.settings, { fileName: task.abs, recordsizeSource, budget, workspace });
    // Not parsed at all (out of time, or the parser failed): nothing of this file was analysed.
    if (result.unparsed) {
      const reason = result.analysisStopped ?? `analysis failed (${result.analysisError ?? 'the file could not be parsed'})`;
      return { seq: task.seq, kind: 'skipped', file: task.file, reason, bytes, incomplete: true };
    }
    if (result.analysisError) notes.push({ message: `analysis incomplete: ${result.analysisError}`, incomplete: true });
    if (result.analysisStopped) notes.push({ message: result.analysisStopped, incomplete: true });
    return { seq: task.seq, kind: 'analyzed', bytes, notes,
      file: { file: task.file, language: task.language, sites: result.sites, findings: result.findings } };
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { seq: task.seq, kind: 'skipped', file: task.file, reason: `analysis failed (${message})`, bytes, incomplete: true };
  }
}

// ---------------------------------------------------------------------------------------------
// The walk: a lazy generator of files to analyse and of skip notes, in a deterministic order.

type WalkEvent = { kind: 'task'; task: FileTask } | { kind: 'skipped'; seq: number; file: string; reason: string; incomplete?: true } | { kind: 'ignored' };

interface WalkConfig {
  exclude: ExcludeMatcher;
  languages: ReadonlySet<Language>;
  recordsizeSource?: RecordsizeSource;
  /** The scan's own cache file: not a file of the tree, so not even counted as ignored. */
  cacheFile?: string;
}

function* walk(roots: readonly string[], config: WalkConfig): Generator<WalkEvent> {
  let seq = 0;
  const visitedDirectories = new Set<string>();   // dev:ino, so symlink loops and duplicates are scanned once
  const recordsizeFor = (abs: string): number | undefined => {
    try { return config.recordsizeSource?.recordsizeFor(abs); } catch { return undefined; }
  };

  const fileTask = (display: string, abs: string, language: Language, recordsize: number | undefined): WalkEvent =>
    ({ kind: 'task', task: { seq: seq++, file: display, abs, language, recordsize } });
  // A file named on the command line is analysed once, under the name it was given, even when a
  // directory that is also scanned holds it (`zfs-dio scan src src/main.c`) or it is named twice.
  const explicitFiles = new Set<string>();
  for (const root of roots) {
    const abs = path.resolve(root);
    try { if (statSync(abs).isFile()) explicitFiles.add(abs); } catch { /* reported when its turn comes */ }
  }
  const explicitDone = new Set<string>();

  for (const root of roots) {
    const rootAbs = path.resolve(root);
    let st;
    try { st = statSync(rootAbs); } catch (err) { yield { kind: 'skipped', seq: seq++, file: root, reason: describeError(err), incomplete: true }; continue; }
    if (st.isFile()) {
      if (explicitDone.has(rootAbs)) { yield { kind: 'ignored' }; continue; }
      explicitDone.add(rootAbs);
      const language = languageForFile(root) ?? (mayBeScript(root) ? scriptLanguage(rootAbs) : undefined);
      if (config.exclude.matches(root)) { yield { kind: 'skipped', seq: seq++, file: root, reason: 'excluded by --exclude' }; continue; }
      if (!language) { yield { kind: 'skipped', seq: seq++, file: root, reason: 'not a C, C++, Rust, Go or Python source file' }; continue; }
      if (!config.languages.has(language)) { yield { kind: 'skipped', seq: seq++, file: root, reason: `language ${language} is not enabled` }; continue; }
      yield fileTask(root, rootAbs, language, recordsizeFor(rootAbs));
      continue;
    }
    if (!st.isDirectory()) { yield { kind: 'skipped', seq: seq++, file: root, reason: 'not a regular file or directory' }; continue; }

    // Depth-first with an explicit stack (no recursion limit); entries sorted so output order is stable.
    const stack: { abs: string; display: string; rel: string; dev: number; ino: number }[] =
      [{ abs: rootAbs, display: root, rel: '', dev: st.dev, ino: st.ino }];
    while (stack.length) {
      const dir = stack.pop()!;
      const key = `${dir.dev}:${dir.ino}`;
      if (visitedDirectories.has(key)) {
        let target = dir.abs;
        try { target = realpathSync(dir.abs); } catch { /* keep the link path */ }
        yield { kind: 'skipped', seq: seq++, file: dir.display, reason: `directory already scanned (symbolic link loop or duplicate of ${target})` };
        continue;
      }
      visitedDirectories.add(key);
      let entries: Dirent[];
      try { entries = readdirSync(dir.abs, { withFileTypes: true }); } catch (err) {
        yield { kind: 'skipped', seq: seq++, file: dir.display, reason: `cannot list directory: ${describeError(err)}`, incomplete: true };
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirectories: typeof stack = [];
      let directoryRecordsize: number | undefined | null = null;   // null = not asked yet; one dataset per directory
      for (const entry of entries) {
        const abs = path.join(dir.abs, entry.name);
        if (abs === config.cacheFile) continue;
        const display = path.join(dir.display, entry.name);
        const rel = dir.rel ? `${dir.rel}/${entry.name}` : entry.name;
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        let linked: { dev: number; ino: number } | undefined;
        if (entry.isSymbolicLink()) {   // follow links; loops are caught by the dev:ino set
          try {
            const target = statSync(abs);
            isDir = target.isDirectory(); isFile = target.isFile();
            if (isDir) linked = { dev: target.dev, ino: target.ino };
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            yield code === 'ENOENT' ? { kind: 'skipped', seq: seq++, file: display, reason: 'broken symbolic link' }
              : { kind: 'skipped', seq: seq++, file: display, reason: describeError(err), incomplete: true };
            continue;
          }
        }
        if (isDir) {
          const reason = skippedDirectoryReason(entry.name);
          if (reason) { yield { kind: 'skipped', seq: seq++, file: display, reason: `directory skipped (${reason})` }; continue; }
          if (config.exclude.matches(rel)) { yield { kind: 'skipped', seq: seq++, file: display, reason: 'directory excluded by --exclude' }; continue; }
          let ids = linked;
          if (!ids) {
            try { const s = lstatSync(abs); ids = { dev: s.dev, ino: s.ino }; } catch (err) {
              yield { kind: 'skipped', seq: seq++, file: display, reason: describeError(err), incomplete: true };
              continue;
            }
          }
          subdirectories.push({ abs, display, rel, ...ids });
        } else if (isFile) {
          if (explicitFiles.has(abs)) { yield { kind: 'ignored' }; continue; }
          const language = languageForFile(entry.name) ?? (mayBeScript(entry.name) ? scriptLanguage(abs) : undefined);
          if (!language || !config.languages.has(language)) { yield { kind: 'ignored' }; continue; }
          if (config.exclude.matches(rel)) { yield { kind: 'skipped', seq: seq++, file: display, reason: 'excluded by --exclude' }; continue; }
          if (directoryRecordsize === null) directoryRecordsize = config.recordsizeSource ? recordsizeFor(abs) : undefined;
          yield fileTask(display, abs, language, directoryRecordsize);
        } else {
          yield { kind: 'ignored' };   // sockets, fifos, devices
        }
      }
      // Reverse so the stack pops them in name order.
      for (let i = subdirectories.length - 1; i >= 0; i--) stack.push(subdirectories[i]!);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scheduling

/**
 * Below this many files, starting workers costs more than it saves: each worker loads the bundle and
 * pays every grammar's first-use compile again. Measured on 2 cores: 247 files (6 parsed) ran faster
 * in-process; 641 files (OpenZFS, 16 parsed) were even; 22,000 files (843 parsed) gained from workers.
 */
const SMALL_INPUT_FILES = 512;
const BATCH_FILES = 48;
/** Deferred candidates are parsed, which costs ~100× a prefilter: small batches keep the owners balanced. */
const DEFERRED_BATCH_FILES = 4;
const BATCHES_IN_FLIGHT_PER_WORKER = 2;
/** Old-generation heap cap per worker: a runaway file kills its worker, not the machine. */
const WORKER_HEAP_MB = 1024;

/** Messages between scan.ts and scan-worker.ts. */
export interface WorkerInit { config: FileProcessorConfig }
export interface WorkerRequest { id: number; tasks: FileTask[]; parseLanguages: Language[] }
/**
 * `runtimeBroken`: the worker's parser runtime failed (see parserRuntimeFailure); `unprocessed` are the
 * tasks it did not touch after that. The pool replaces such a worker, which gets a fresh runtime.
 */
export interface WorkerResponse {
  id: number; outcomes: FileOutcome[]; runtimeBroken?: string; unprocessed?: FileTask[];
  /** With recordReads: the paths the worker's index looked at since its last answer (see takeThreadReads). */
  reads?: [string, string][];
}

class Collector {
  readonly files: (ScannedFile & { seq: number })[] = [];
  readonly skipped: (SkippedFile & { seq: number })[] = [];
  readonly notes: (FileNote & { seq: number })[] = [];
  readonly stats: ScanStats = { filesConsidered: 0, filesParsed: 0, filesWithSites: 0, filesSkipped: 0, filesIncomplete: 0, filesIgnored: 0,
    bytesRead: 0, sites: 0, findings: 0, workers: 0, filesFromCache: 0, durationMs: 0, cancelled: false };
  done = 0;

  constructor(private readonly cache?: ScanCache) {}

  add(outcome: FileOutcome): void {
    if (outcome.kind === 'deferred') return;   // the scheduler re-queues it; it is done when its parser answers
    this.done++;
    this.cache?.store(outcome.seq, cacheable(outcome));
    this.stats.bytesRead += outcome.bytes;
    if (outcome.kind === 'skipped') { this.skip(outcome.seq, outcome.file, outcome.reason, outcome.incomplete); return; }
    if (outcome.kind !== 'analyzed') return;
    this.stats.filesParsed++;
    const f = outcome.file;
    for (const n of outcome.notes) this.notes.push({ seq: outcome.seq, file: f.file, message: n.message, ...(n.incomplete ? { incomplete: true } : {}) });
    if (outcome.notes.some((n) => n.incomplete)) this.stats.filesIncomplete++;
    if (f.sites.length || f.findings.length) {
      this.stats.filesWithSites += f.sites.length ? 1 : 0;
      this.stats.sites += f.sites.length;
      this.stats.findings += f.findings.length;
      this.files.push({ seq: outcome.seq, ...f });
    }
  }

  addReads(reads: [string, string][] | undefined): void { this.cache?.addReads(reads); }

  skip(seq: number, file: string, reason: string, incomplete?: true): void {
    this.stats.filesSkipped++;
    if (incomplete) this.stats.filesIncomplete++;
    this.skipped.push({ seq, file, reason, ...(incomplete ? { incomplete } : {}) });
  }

  result(started: number): ScanResult {
    const bySeq = (a: { seq: number }, b: { seq: number }) => a.seq - b.seq;
    this.stats.durationMs = Math.round(performance.now() - started);
    return {
      files: this.files.sort(bySeq).map(({ seq: _seq, ...f }) => f),
      skipped: this.skipped.sort(bySeq).map(({ seq: _seq, ...s }) => s),
      notes: this.notes.sort(bySeq).map(({ seq: _seq, ...n }) => n),
      stats: this.stats,
    };
  }
}

function defaultWorkerScript(): string | undefined {
  // In the shipped bundles (dist/cli.js, dist/extension.js) the worker sits next to them.
  return typeof __dirname === 'string' ? path.join(__dirname, 'scan-worker.js') : undefined;
}

function drain(take: () => FileTask | undefined): FileTask[] {
  const out: FileTask[] = [];
  for (let t = take(); t; t = take()) out.push(t);
  return out;
}

export async function scanPaths(paths: readonly string[], opts: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const settings = opts.settings ?? DEFAULT_SETTINGS;
  const config: FileProcessorConfig = {
    settings, prefilterOnly: opts.prefilterOnly,
    maxFileSize: Math.min(opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, PARSER_MAX_FILE_BYTES),
    fileTimeLimitMs: opts.fileTimeLimitMs ?? DEFAULT_FILE_TIME_LIMIT_MS,
    workspace: opts.workspace === false ? undefined : (opts.workspace ?? scanWorkspace(paths.length ? paths : ['.'])),
  };
  // Everything that decides what one file's analysis gives keys the cache (recordsize is per entry).
  const cache = opts.cache !== undefined && !opts.prefilterOnly
    ? ScanCache.open(opts.cache, { settings, maxFileSize: config.maxFileSize, fileTimeLimitMs: config.fileTimeLimitMs, workspace: config.workspace ?? null })
    : undefined;
  if (cache) config.recordReads = true;
  threadIndex = undefined;
  const collector = new Collector(cache);
  const events = walk(paths.length ? paths : ['.'], {
    exclude: new ExcludeMatcher(opts.exclude ?? []),
    languages: new Set(opts.languages ?? LANGUAGES),
    recordsizeSource: opts.recordsizeSource,
    ...(cache ? { cacheFile: cache.location } : {}),
  });

  // Pull tasks from the walk, recording skip notes on the way.
  let walkDone = false;
  const nextTask = (): FileTask | undefined => {
    while (!walkDone) {
      const step = events.next();
      if (step.done) { walkDone = true; return undefined; }
      const ev = step.value;
      if (ev.kind === 'task') {
        collector.stats.filesConsidered++;
        const cached = cache?.lookup(ev.task.seq, ev.task);
        if (!cached) return ev.task;
        collector.stats.filesFromCache++;
        collector.add(fromCache(ev.task.seq, ev.task.file, cached));
        continue;
      }
      if (ev.kind === 'skipped') collector.skip(ev.seq, ev.file, ev.reason, ev.incomplete);
      else collector.stats.filesIgnored++;
    }
    return undefined;
  };

  const firstTasks: FileTask[] = [];
  while (firstTasks.length <= SMALL_INPUT_FILES) {
    const t = nextTask();
    if (!t) break;
    firstTasks.push(t);
  }

  const jobs = Math.max(1, Math.floor(opts.jobs ?? os.availableParallelism()));
  const workerScript = opts.workerScript ?? defaultWorkerScript();
  const useWorkers = jobs > 1 && firstTasks.length > SMALL_INPUT_FILES && workerScript !== undefined && existsSync(workerScript);
  const queued = () => collector.stats.filesConsidered;
  const progress = () => opts.onProgress?.({ filesDone: collector.done, filesQueued: queued() });

  /** Returns true when this thread's parser broke (see parserRuntimeFailure) and work is left. */
  const runInProcess = async (take: () => FileTask | undefined): Promise<FileTask | undefined> => {
    let pending: FileTask | undefined;
    while ((pending = take())) {
      if (opts.signal?.aborted) { collector.stats.cancelled = true; break; }
      // A parser that failed on an earlier file cannot be restarted in this thread: hand the rest over.
      if (parserRuntimeFailure()) return pending;
      const outcome = await processFile(pending, config);
      if (opts.signal?.aborted) { collector.stats.cancelled = true; break; }
      collector.add(outcome);
      if (collector.done % 64 === 0) progress();
    }
    return undefined;
  };

  const workerAvailable = workerScript !== undefined && existsSync(workerScript);
  if (!useWorkers) {
    const unfinished = await runInProcess(() => firstTasks.shift() ?? nextTask());
    if (unfinished) {
      // The rest goes to a worker thread, which has a parser runtime of its own; without one, each
      // remaining file is reported as not analysed.
      const rest = [unfinished];
      const take = () => rest.shift() ?? firstTasks.shift() ?? nextTask();
      const leftovers = workerAvailable ? await runPool(1, workerScript!, config, take, collector, opts, progress) : [];
      if (workerAvailable && !leftovers.length) collector.stats.workers = 1;
      for (const task of opts.signal?.aborted ? [] : [...leftovers.flat(), ...drain(take)]) {
        collector.done++;
        collector.skip(task.seq, task.file, `not analysed: ${parserRuntimeFailure()}`, true);
      }
    }
  } else {
    collector.stats.workers = jobs;
    const leftovers = await runPool(jobs, workerScript!, config, () => firstTasks.shift() ?? nextTask(), collector, opts, progress);
    if (leftovers.length) {
      // The worker bundle could not start: finish in this thread rather than fail the scan.
      collector.stats.workers = 0;
      const rest = leftovers.flat();
      const take = () => rest.shift() ?? firstTasks.shift() ?? nextTask();
      const unfinished = await runInProcess(take);
      if (unfinished) {
        for (const task of opts.signal?.aborted ? [] : [unfinished, ...drain(take)]) {
          collector.done++;
          collector.skip(task.seq, task.file, `not analysed: ${parserRuntimeFailure()}`, true);
        }
      }
    }
  }
  progress();
  const result = collector.result(started);
  if (cache) {
    cache.addReads(takeThreadReads());
    const problem = collector.stats.cancelled ? undefined : cache.save();
    result.cache = { location: cache.location, state: cache.state, ...(problem ? { problem: problem.message } : {}) };
  }
  return result;
}

/**
 * Feeds batches to a fixed pool of workers. Every worker reads and prefilters any file, but a language
 * is parsed by as few workers as possible ("owners"): a grammar's first use costs each thread
 * 0.1–0.7 s of compilation and warm-up (measured), which would otherwise be paid once per worker.
 * A candidate found by a non-owner comes back `deferred` and goes to an owner; a language gets a second
 * owner when its queue grows or the walk is over, so a one-language tree still parses in parallel.
 * A worker that crashes mid-batch is replaced and its batch retried file by file, so one poisonous file
 * costs only itself. If workers die before answering anything (a broken bundle), the pool stops and
 * returns the work it could not do.
 */
async function runPool(jobs: number, script: string, config: FileProcessorConfig, next: () => FileTask | undefined,
  collector: Collector, opts: ScanOptions, progress: () => void): Promise<FileTask[][]> {
  /** `isolated`: a single file retried after a crash, sent alone so that a second crash can be blamed on it. */
  interface Batch { tasks: FileTask[]; isolated: boolean }
  interface Slot { worker: Worker; inFlight: Map<number, Batch>; owned: Set<Language>; dead: boolean; answered: boolean }
  const slots: Slot[] = [];
  const deferred = new Map<Language, FileTask[]>();
  const retry: FileTask[] = [];   // files of a crashed batch, each to be retried alone
  const requeued: FileTask[] = [];   // files a retired worker did not get to (its parser runtime broke)
  const leftovers: FileTask[][] = [];   // what a broken or cancelled pool hands back to the caller
  let nextId = 0;
  let exhausted = false;
  let poolBroken = false;
  let finished = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });

  const live = () => slots.filter((s) => !s.dead);
  const owners = (lang: Language) => live().filter((s) => s.owned.has(lang));
  const load = (s: Slot) => [...s.inFlight.values()].reduce((n, b) => n + b.tasks.length, 0);

  const takeWalkBatch = (): FileTask[] | undefined => {
    if (exhausted || opts.signal?.aborted) return undefined;
    const batch: FileTask[] = [];
    while (batch.length < BATCH_FILES) {
      const t = next();
      if (!t) { exhausted = true; break; }
      batch.push(t);
    }
    return batch.length ? batch : undefined;
  };

  const defer = (task: FileTask): void => {
    let queue = deferred.get(task.language);
    if (!queue) deferred.set(task.language, (queue = []));
    queue.push(task);
    if (owners(task.language).length === 0) {
      // First candidate of this language: give it to the live worker owning the fewest languages.
      const owner = live().sort((a, b) => a.owned.size - b.owned.size || load(a) - load(b))[0];
      owner?.owned.add(task.language);
    }
  };

  const workFor = (slot: Slot): Batch | undefined => {
    if (poolBroken) return undefined;
    if (retry.length && slot.inFlight.size === 0) return { tasks: [retry.shift()!], isolated: true };
    if (requeued.length) return { tasks: requeued.splice(0, BATCH_FILES), isolated: false };
    for (const lang of slot.owned) {
      const queue = deferred.get(lang);
      if (queue?.length) return { tasks: queue.splice(0, DEFERRED_BATCH_FILES), isolated: false };
    }
    const batch = takeWalkBatch();
    if (batch) return { tasks: batch, isolated: false };
    // Nothing of its own left: help with another language's queue, becoming one of its owners.
    for (const [lang, queue] of deferred) {
      if (queue.length) { slot.owned.add(lang); return { tasks: queue.splice(0, DEFERRED_BATCH_FILES), isolated: false }; }
    }
    return undefined;
  };

  const fill = (slot: Slot): void => {
    while (!slot.dead && slot.inFlight.size < BATCHES_IN_FLIGHT_PER_WORKER && ![...slot.inFlight.values()].some((b) => b.isolated)) {
      // A long queue of one language gets a second owner while the walk is still going.
      for (const [lang, queue] of deferred) {
        if (!slot.owned.has(lang) && queue.length > DEFERRED_BATCH_FILES * 2) slot.owned.add(lang);
      }
      const batch = workFor(slot);
      if (!batch) break;
      const id = nextId++;
      slot.inFlight.set(id, batch);
      slot.worker.postMessage({ id, tasks: batch.tasks, parseLanguages: [...slot.owned] } satisfies WorkerRequest);
    }
  };

  const schedule = (): void => {
    if (finished) return;
    // Cancelled: stop now, busy workers included (a file in the middle of its analysis is dropped).
    const cancelled = opts.signal?.aborted === true;
    if (cancelled) collector.stats.cancelled = true;
    if (!cancelled) for (const slot of live()) fill(slot);
    const busy = live().some((s) => s.inFlight.size > 0);
    const pending = retry.length > 0 || requeued.length > 0 || [...deferred.values()].some((q) => q.length > 0);
    if (cancelled || (!busy && (poolBroken || (exhausted && !pending) || live().length === 0))) {
      finished = true;
      for (const s of slots) if (!s.dead) { s.dead = true; void s.worker.terminate(); }
      // Work nobody can do any more (aborted or broken pool) is handed back to the caller.
      if (retry.length) leftovers.push(retry.splice(0));
      for (const queue of deferred.values()) if (queue.length) leftovers.push(queue.splice(0));
      resolveDone();
    }
  };

  const start = (): void => {
    const worker = new Worker(script, { workerData: { config } satisfies WorkerInit,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const slot: Slot = { worker, inFlight: new Map(), owned: new Set(), dead: false, answered: false };
    slots.push(slot);
    worker.on('message', (msg: WorkerResponse) => {
      if (slot.dead) return;
      slot.answered = true;
      slot.inFlight.delete(msg.id);
      collector.addReads(msg.reads);
      for (const o of msg.outcomes) {
        if (o.kind === 'deferred') defer(o.task);
        else collector.add(o);
      }
      if (msg.runtimeBroken !== undefined) {
        // Retire it: its runtime cannot be restarted, a new worker gets a fresh one and the work it had.
        slot.dead = true;
        requeued.push(...(msg.unprocessed ?? []));
        for (const batch of slot.inFlight.values()) requeued.push(...batch.tasks);
        slot.inFlight.clear();
        slot.owned.clear();
        void worker.terminate();
        if (!finished) start();
      }
      progress();
      schedule();
    });
    const crashed = (reason: string): void => {
      if (slot.dead) return;
      slot.dead = true;
      if (!slot.answered) poolBroken = true;   // died before any answer: the worker itself is broken, not a file
      for (const batch of slot.inFlight.values()) {
        if (poolBroken) leftovers.push(batch.tasks);
        else if (batch.isolated) collector.add({ seq: batch.tasks[0]!.seq, kind: 'skipped', file: batch.tasks[0]!.file, bytes: 0,
          reason: `analysis crashed its worker (${reason})` });
        else retry.push(...batch.tasks);
      }
      slot.inFlight.clear();
      slot.owned.clear();
      if (!poolBroken && !finished) start();   // a replacement takes over the remaining work
      schedule();
    };
    worker.on('error', (err) => crashed(err instanceof Error ? err.message : String(err)));
    worker.on('exit', (code) => crashed(`worker exited with code ${code}`));
  };

  for (let i = 0; i < jobs; i++) start();
  const onAbort = (): void => schedule();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  schedule();
  try {
    await done;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  return leftovers;
}
