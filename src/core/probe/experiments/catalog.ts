// The experiment matrix: the one place where an experiment is declared: its id, label, description and
// place in the panel's tables, and what the runner (runner/zfs_dio_runner.py) does for it: the call, its
// sizes and offsets, the file it works on and how that file is written first. The runner is handed these
// declarations (run-matrix.ts builds its plan) and performs them in this order; the CLI text, the JSON
// report, the panel and the ExperimentId type derive from this table too.

export type ExperimentKind = 'copy_file_range' | 'FICLONE' | 'FICLONERANGE' | 'pread' | 'pwrite';
/** Which parameter is misaligned on purpose, if any ('page-only': page-aligned, not recordsize-aligned). */
export type Misalignment = 'none' | 'page-only' | 'offset+length' | 'buffer' | 'length' | 'offset';
/** The panel's tables: copies, clones, O_DIRECT reads and writes. */
export type ExperimentFamily = 'cfr' | 'clone' | 'dio';

/**
 * A size or offset in bytes, in the units it is meant in: records × the dataset's recordsize + pages × the
 * page size + bytes. The runner adds it up, because only it knows the page size of the machine it runs on.
 */
export interface Size { records?: number; pages?: number; bytes?: number }

/** A copy or clone of a range of the source file into a new file. */
export interface RangeCall { length: Size; srcOffset: Size; dstOffset: Size }
/** An O_DIRECT read into, or write from, a page-aligned buffer at bufferOffset bytes past its start. */
export interface DirectIoCall { bufferOffset: Size; length: Size; offset: Size }
/** What each kind of experiment is told: FICLONE clones the whole file and needs nothing more. */
export interface CallOf {
  copy_file_range: RangeCall & { oDirect: boolean };
  FICLONERANGE: RangeCall;
  FICLONE: Record<string, never>;
  pread: DirectIoCall;
  pwrite: DirectIoCall;
}

/** How the runner writes a phase's files before the phase's first experiment. */
export type FilePreparation =
  /** Written, fsynced, then the pool synced: only blocks already on disk can be cloned. */
  | 'synced'
  /** Written and not synced: its blocks are still dirty in the open txg when the experiment starts. */
  | 'dirty'
  /**
   * Record 0 written buffered, the rest with aligned O_DIRECT writes, then the pool synced: data written
   * direct is not left in the ARC, so a later direct read has to reach the disks (and shows in the
   * counters), and a later misaligned write finds no cached dbuf to update in place.
   */
  | 'out-of-arc';

/**
 * The runner's phases, in the order it runs them: each prepares the files of its experiments (those asked
 * for), then performs them. A phase's experiments are consecutive in the catalog (a unit test checks).
 */
export const RUNNER_PHASES = {
  /** One synced source file for every copy and clone of a synced source. */
  'clone-sources': { prepare: 'synced' },
  /** A source written and cloned at once, within one txg. */
  'fresh-source': { prepare: 'dirty' },
  /**
   * One file per read case: a read through the ARC makes ZFS prefetch the following records, which would
   * let a later case in the same file hit the cache and show up in neither counter.
   */
  reads: { prepare: 'out-of-arc' },
  /** One file for the write cases, which write into records 1 to 5: they start out of the ARC. */
  writes: { prepare: 'out-of-arc' },
} as const satisfies Record<string, { prepare: FilePreparation }>;
export type RunnerPhase = keyof typeof RUNNER_PHASES;

/** A file of the scratch directory, of `records` records of random data. */
export interface ExperimentFile { name: string; records: number }

interface CommonSpec {
  id: string;
  family: ExperimentFamily;
  /** A short name (panel heading, cell tooltips). */
  label: string;
  /** The experiment as a noun phrase for sentences ("…predicts success for <phrase>"). */
  phrase: string;
  /** One line: what is done, with sizes in terms of recordsize (record) and page size. */
  description: string;
  /** Why this case is in the matrix, independent of its result. */
  purpose: string;
  misaligned: Misalignment;
  /** Row and column of the family's table in the panel. */
  row: string;
  column: string;
  phase: RunnerPhase;
  /** The file the call reads, writes, copies or clones from. */
  file: ExperimentFile;
}

export type ExperimentSpec = CommonSpec & { [K in ExperimentKind]: { kind: K; call: CallOf[K] } }[ExperimentKind];

const ZERO: Size = {};
const records = (n: number): Size => ({ records: n });
const pages = (n: number): Size => ({ pages: n });
const bytes = (n: number): Size => ({ bytes: n });
/** Written once and synced: the copies and clones read from it. */
const SOURCE: ExperimentFile = { name: 'cfr-src', records: 4 };
/** The write cases' file: its record 0, the one written buffered, is written by no case. */
const WRITE_FILE: ExperimentFile = { name: 'dio-write', records: 6 };

const CATALOG = [
  { id: 'cfr.aligned', family: 'cfr', kind: 'copy_file_range', misaligned: 'none',
    phase: 'clone-sources', file: SOURCE, call: { length: records(2), srcOffset: records(1), dstOffset: ZERO, oDirect: false },
    row: 'Plain descriptors', column: 'Recordsize-aligned',
    phrase: 'a recordsize-aligned copy_file_range',
    label: 'copy_file_range, recordsize-aligned range',
    description: 'copy_file_range of 2 records, source offset 1 record, destination offset 0 (recordsize-aligned)',
    purpose: 'The shape block cloning accepts: offsets and length are multiples of the source file\'s block size (the recordsize, for files of several records). A clone is expected.' },
  { id: 'cfr.page', family: 'cfr', kind: 'copy_file_range', misaligned: 'page-only',
    phase: 'clone-sources', file: SOURCE, call: { length: pages(16), srcOffset: pages(1), dstOffset: pages(2), oDirect: false },
    row: 'Plain descriptors', column: 'Page-aligned only',
    phrase: 'a page-aligned but not recordsize-aligned copy_file_range',
    label: 'copy_file_range, page-aligned only',
    description: 'copy_file_range of 16 pages at offsets 1 page / 2 pages (page-aligned, not recordsize-aligned)',
    purpose: 'Page alignment is enough for O_DIRECT but not for cloning, which works on whole blocks of the source file. A copy is expected.' },
  { id: 'cfr.misaligned', family: 'cfr', kind: 'copy_file_range', misaligned: 'offset+length',
    phase: 'clone-sources', file: SOURCE, call: { length: { records: 1, bytes: 1 }, srcOffset: bytes(1000), dstOffset: ZERO, oDirect: false },
    row: 'Plain descriptors', column: 'Misaligned',
    phrase: 'a page-misaligned copy_file_range',
    label: 'copy_file_range, misaligned range',
    description: 'copy_file_range of 1 record + 1 byte from offset 1000 (aligned to nothing)',
    purpose: 'A range aligned to nothing cannot be cloned, so the kernel has to copy the bytes. A copy is expected.' },
  { id: 'cfr.odirect.aligned', family: 'cfr', kind: 'copy_file_range', misaligned: 'none',
    phase: 'clone-sources', file: SOURCE, call: { length: records(2), srcOffset: ZERO, dstOffset: ZERO, oDirect: true },
    row: 'O_DIRECT descriptors', column: 'Recordsize-aligned',
    phrase: 'a recordsize-aligned copy_file_range on O_DIRECT descriptors',
    label: 'copy_file_range on O_DIRECT descriptors, aligned',
    description: 'copy_file_range between O_DIRECT descriptors, 2 records at offset 0',
    purpose: 'Shows whether O_DIRECT descriptors keep an aligned range from being cloned.' },
  { id: 'cfr.odirect.page', family: 'cfr', kind: 'copy_file_range', misaligned: 'page-only',
    phase: 'clone-sources', file: SOURCE, call: { length: pages(16), srcOffset: pages(1), dstOffset: pages(2), oDirect: true },
    row: 'O_DIRECT descriptors', column: 'Page-aligned only',
    phrase: 'a page-aligned but not recordsize-aligned copy_file_range on O_DIRECT descriptors',
    label: 'copy_file_range on O_DIRECT descriptors, page-aligned only',
    description: 'copy_file_range between O_DIRECT descriptors, 16 pages at offsets 1 page / 2 pages (page-aligned, not recordsize-aligned)',
    purpose: 'The range meets the Direct I/O rules but cannot be cloned, so the fallback copy reads through the O_DIRECT descriptor with Direct I/O active even on direct=standard: the trigger of openzfs#16958 on 2.3.0.' },
  { id: 'cfr.odirect.misaligned', family: 'cfr', kind: 'copy_file_range', misaligned: 'offset+length',
    phase: 'clone-sources', file: SOURCE, call: { length: { records: 1, bytes: 1 }, srcOffset: bytes(1000), dstOffset: ZERO, oDirect: true },
    row: 'O_DIRECT descriptors', column: 'Misaligned',
    phrase: 'a page-misaligned copy_file_range on O_DIRECT descriptors',
    label: 'copy_file_range on O_DIRECT descriptors, misaligned',
    description: 'copy_file_range between O_DIRECT descriptors, 1 record + 1 byte from offset 1000',
    purpose: 'The range cannot be cloned, so the kernel\'s fallback copy reads through the O_DIRECT descriptor with a range that breaks the Direct I/O alignment rules.' },
  { id: 'ficlone.aligned', family: 'clone', kind: 'FICLONE', misaligned: 'none',
    phase: 'clone-sources', file: SOURCE, call: {},
    row: 'Synced source', column: 'Whole file',
    phrase: 'a FICLONE of a whole synced file',
    label: 'FICLONE of a whole file',
    description: 'FICLONE of a 4-record file whose blocks are on disk (txg synced) into a new file',
    purpose: 'The clone ioctl has no copy fallback: it clones or fails. A whole synced file is the case it is made for.' },
  { id: 'ficlone.misaligned', family: 'clone', kind: 'FICLONERANGE', misaligned: 'page-only',
    phase: 'clone-sources', file: SOURCE, call: { length: pages(16), srcOffset: pages(1), dstOffset: pages(2) },
    row: 'Synced source', column: 'Page-aligned range',
    phrase: 'a page-aligned but not recordsize-aligned FICLONERANGE',
    label: 'FICLONERANGE, page-aligned, not recordsize-aligned',
    description: 'FICLONERANGE of 16 pages at offsets 1 page / 2 pages (page-aligned, not recordsize-aligned)',
    purpose: 'Where copy_file_range silently copies a range it cannot clone, the clone ioctl fails: code that uses FICLONERANGE needs its own fallback.' },
  { id: 'ficlone.fresh', family: 'clone', kind: 'FICLONE', misaligned: 'none',
    phase: 'fresh-source', file: { name: 'ficlone-fresh-src', records: 4 }, call: {},
    row: 'Just written', column: 'Whole file',
    phrase: 'a FICLONE of a file written a moment before (dirty blocks)',
    label: 'FICLONE right after writing',
    description: 'FICLONE of a 4-record file written a moment before, while its blocks are still dirty in the open txg',
    purpose: 'Dirty blocks cannot be cloned until their txg syncs: with zfs_bclone_wait_dirty=0 (the default before 2.3.4) the ioctl fails with EAGAIN (openzfs#17455), with 1 it waits for the sync.' },
  { id: 'dio.read.aligned', family: 'dio', kind: 'pread', misaligned: 'none',
    phase: 'reads', file: { name: 'dio-read-aligned', records: 3 }, call: { bufferOffset: ZERO, length: records(1), offset: records(1) },
    row: 'pread', column: 'All aligned',
    phrase: 'an aligned O_DIRECT pread',
    label: 'O_DIRECT pread, everything aligned',
    description: 'O_DIRECT pread of 1 record into a page-aligned buffer at a record offset',
    purpose: 'The baseline: a read that meets every Direct I/O alignment rule.' },
  { id: 'dio.read.buf', family: 'dio', kind: 'pread', misaligned: 'buffer',
    phase: 'reads', file: { name: 'dio-read-buf', records: 3 }, call: { bufferOffset: bytes(1), length: records(1), offset: records(1) },
    row: 'pread', column: 'Misaligned buffer',
    phrase: 'an O_DIRECT pread into a misaligned buffer',
    label: 'O_DIRECT pread, misaligned buffer',
    description: 'O_DIRECT pread of 1 record into a buffer 1 byte past a page boundary',
    purpose: 'Tests the buffer rule: OpenZFS wants the user buffer aligned to the page size (512-byte alignment is not enough).' },
  { id: 'dio.read.len', family: 'dio', kind: 'pread', misaligned: 'length',
    phase: 'reads', file: { name: 'dio-read-len', records: 3 }, call: { bufferOffset: ZERO, length: { pages: 1, bytes: 1 }, offset: records(1) },
    row: 'pread', column: 'Misaligned length',
    phrase: 'an O_DIRECT pread whose length is not a page multiple',
    label: 'O_DIRECT pread, misaligned length',
    description: 'O_DIRECT pread of 1 page + 1 byte',
    purpose: 'Tests the length rule: the length must be a multiple of the page size.' },
  { id: 'dio.read.off', family: 'dio', kind: 'pread', misaligned: 'offset',
    phase: 'reads', file: { name: 'dio-read-off', records: 3 }, call: { bufferOffset: ZERO, length: records(1), offset: { records: 1, bytes: 512 } },
    row: 'pread', column: 'Misaligned offset',
    phrase: 'an O_DIRECT pread at an offset that is not a page multiple',
    label: 'O_DIRECT pread, misaligned offset',
    description: 'O_DIRECT pread of 1 record at a file offset 512 bytes past a record boundary',
    purpose: 'Tests the file-offset rule: the offset must be a multiple of the page size.' },
  { id: 'dio.write.aligned', family: 'dio', kind: 'pwrite', misaligned: 'none',
    phase: 'writes', file: WRITE_FILE, call: { bufferOffset: ZERO, length: records(1), offset: records(1) },
    row: 'pwrite', column: 'All aligned',
    phrase: 'an aligned O_DIRECT pwrite',
    label: 'O_DIRECT pwrite, everything aligned',
    description: 'O_DIRECT pwrite of 1 record from a page-aligned buffer at a record offset',
    purpose: 'The baseline: a whole-record write that meets every rule and can bypass the ARC.' },
  { id: 'dio.write.buf', family: 'dio', kind: 'pwrite', misaligned: 'buffer',
    phase: 'writes', file: WRITE_FILE, call: { bufferOffset: bytes(1), length: records(1), offset: records(2) },
    row: 'pwrite', column: 'Misaligned buffer',
    phrase: 'an O_DIRECT pwrite from a misaligned buffer',
    label: 'O_DIRECT pwrite, misaligned buffer',
    description: 'O_DIRECT pwrite of 1 record from a buffer 1 byte past a page boundary',
    purpose: 'Tests the buffer rule: OpenZFS wants the user buffer aligned to the page size (512-byte alignment is not enough).' },
  { id: 'dio.write.len', family: 'dio', kind: 'pwrite', misaligned: 'length',
    phase: 'writes', file: WRITE_FILE, call: { bufferOffset: ZERO, length: { pages: 1, bytes: 1 }, offset: records(3) },
    row: 'pwrite', column: 'Misaligned length',
    phrase: 'an O_DIRECT pwrite whose length is not a page multiple',
    label: 'O_DIRECT pwrite, misaligned length',
    description: 'O_DIRECT pwrite of 1 page + 1 byte',
    purpose: 'Tests the length rule: the length must be a multiple of the page size.' },
  { id: 'dio.write.off', family: 'dio', kind: 'pwrite', misaligned: 'offset',
    phase: 'writes', file: WRITE_FILE, call: { bufferOffset: ZERO, length: records(1), offset: { records: 4, bytes: 512 } },
    row: 'pwrite', column: 'Misaligned offset',
    phrase: 'an O_DIRECT pwrite at an offset that is not a page multiple',
    label: 'O_DIRECT pwrite, misaligned offset',
    description: 'O_DIRECT pwrite of 1 record at a file offset 512 bytes past a record boundary',
    purpose: 'Tests the file-offset rule: the offset must be a multiple of the page size.' },
] as const satisfies readonly ExperimentSpec[];

export type ExperimentId = (typeof CATALOG)[number]['id'];

export const EXPERIMENTS: readonly (ExperimentSpec & { id: ExperimentId })[] = CATALOG;

export const EXPERIMENT_IDS: readonly ExperimentId[] = EXPERIMENTS.map((e) => e.id);

export function isExperimentId(s: string): s is ExperimentId {
  return (EXPERIMENT_IDS as readonly string[]).includes(s);
}

export function experimentSpec(id: ExperimentId): ExperimentSpec & { id: ExperimentId } {
  return EXPERIMENTS.find((e) => e.id === id)!;
}

/** How an experiment's I/O went: bypassing the ARC, cached in it, through it uncached (2.4), or not measurable. */
export type IoPath = 'direct' | 'arc' | 'uncached' | 'unknown';
export const IO_PATHS: readonly IoPath[] = ['direct', 'arc', 'uncached', 'unknown'];
