// The experiment matrix: the one place where an experiment's id, label, description and place in the
// panel's tables are declared. The runner (runner/zfs_dio_runner.py) performs them in this order; the
// CLI text, the JSON report, the panel and the ExperimentId type all derive from this table.

export type ExperimentKind = 'copy_file_range' | 'FICLONE' | 'FICLONERANGE' | 'pread' | 'pwrite';
/** Which parameter is misaligned on purpose, if any ('page-only': page-aligned, not recordsize-aligned). */
export type Misalignment = 'none' | 'page-only' | 'offset+length' | 'buffer' | 'length' | 'offset';
/** The panel's tables: copies, clones, O_DIRECT reads and writes. */
export type ExperimentFamily = 'cfr' | 'clone' | 'dio';

export interface ExperimentSpec {
  id: string;
  family: ExperimentFamily;
  kind: ExperimentKind;
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
}

const CATALOG = [
  { id: 'cfr.aligned', family: 'cfr', kind: 'copy_file_range', misaligned: 'none',
    row: 'Plain descriptors', column: 'Recordsize-aligned',
    phrase: 'a recordsize-aligned copy_file_range',
    label: 'copy_file_range, recordsize-aligned range',
    description: 'copy_file_range of 2 records, source offset 1 record, destination offset 0 (recordsize-aligned)',
    purpose: 'The shape block cloning accepts: offsets and length are multiples of the source file\'s block size (the recordsize, for files of several records). A clone is expected.' },
  { id: 'cfr.page', family: 'cfr', kind: 'copy_file_range', misaligned: 'page-only',
    row: 'Plain descriptors', column: 'Page-aligned only',
    phrase: 'a page-aligned but not recordsize-aligned copy_file_range',
    label: 'copy_file_range, page-aligned only',
    description: 'copy_file_range of 16 pages at offsets 1 page / 2 pages (page-aligned, not recordsize-aligned)',
    purpose: 'Page alignment is enough for O_DIRECT but not for cloning, which works on whole blocks of the source file. A copy is expected.' },
  { id: 'cfr.misaligned', family: 'cfr', kind: 'copy_file_range', misaligned: 'offset+length',
    row: 'Plain descriptors', column: 'Misaligned',
    phrase: 'a page-misaligned copy_file_range',
    label: 'copy_file_range, misaligned range',
    description: 'copy_file_range of 1 record + 1 byte from offset 1000 (aligned to nothing)',
    purpose: 'A range aligned to nothing cannot be cloned, so the kernel has to copy the bytes. A copy is expected.' },
  { id: 'cfr.odirect.aligned', family: 'cfr', kind: 'copy_file_range', misaligned: 'none',
    row: 'O_DIRECT descriptors', column: 'Recordsize-aligned',
    phrase: 'a recordsize-aligned copy_file_range on O_DIRECT descriptors',
    label: 'copy_file_range on O_DIRECT descriptors, aligned',
    description: 'copy_file_range between O_DIRECT descriptors, 2 records at offset 0',
    purpose: 'Shows whether O_DIRECT descriptors keep an aligned range from being cloned.' },
  { id: 'cfr.odirect.page', family: 'cfr', kind: 'copy_file_range', misaligned: 'page-only',
    row: 'O_DIRECT descriptors', column: 'Page-aligned only',
    phrase: 'a page-aligned but not recordsize-aligned copy_file_range on O_DIRECT descriptors',
    label: 'copy_file_range on O_DIRECT descriptors, page-aligned only',
    description: 'copy_file_range between O_DIRECT descriptors, 16 pages at offsets 1 page / 2 pages (page-aligned, not recordsize-aligned)',
    purpose: 'The range meets the Direct I/O rules but cannot be cloned, so the fallback copy reads through the O_DIRECT descriptor with Direct I/O active even on direct=standard: the trigger of openzfs#16958 on 2.3.0.' },
  { id: 'cfr.odirect.misaligned', family: 'cfr', kind: 'copy_file_range', misaligned: 'offset+length',
    row: 'O_DIRECT descriptors', column: 'Misaligned',
    phrase: 'a page-misaligned copy_file_range on O_DIRECT descriptors',
    label: 'copy_file_range on O_DIRECT descriptors, misaligned',
    description: 'copy_file_range between O_DIRECT descriptors, 1 record + 1 byte from offset 1000',
    purpose: 'The range cannot be cloned, so the kernel\'s fallback copy reads through the O_DIRECT descriptor with a range that breaks the Direct I/O alignment rules.' },
  { id: 'ficlone.aligned', family: 'clone', kind: 'FICLONE', misaligned: 'none',
    row: 'Synced source', column: 'Whole file',
    phrase: 'a FICLONE of a whole synced file',
    label: 'FICLONE of a whole file',
    description: 'FICLONE of a 4-record file whose blocks are on disk (txg synced) into a new file',
    purpose: 'The clone ioctl has no copy fallback: it clones or fails. A whole synced file is the case it is made for.' },
  { id: 'ficlone.misaligned', family: 'clone', kind: 'FICLONERANGE', misaligned: 'page-only',
    row: 'Synced source', column: 'Page-aligned range',
    phrase: 'a page-aligned but not recordsize-aligned FICLONERANGE',
    label: 'FICLONERANGE, page-aligned, not recordsize-aligned',
    description: 'FICLONERANGE of 16 pages at offsets 1 page / 2 pages (page-aligned, not recordsize-aligned)',
    purpose: 'Where copy_file_range silently copies a range it cannot clone, the clone ioctl fails: code that uses FICLONERANGE needs its own fallback.' },
  { id: 'ficlone.fresh', family: 'clone', kind: 'FICLONE', misaligned: 'none',
    row: 'Just written', column: 'Whole file',
    phrase: 'a FICLONE of a file written a moment before (dirty blocks)',
    label: 'FICLONE right after writing',
    description: 'FICLONE of a 4-record file written a moment before, while its blocks are still dirty in the open txg',
    purpose: 'Dirty blocks cannot be cloned until their txg syncs: with zfs_bclone_wait_dirty=0 (the default before 2.3.4) the ioctl fails with EAGAIN (openzfs#17455), with 1 it waits for the sync.' },
  { id: 'dio.read.aligned', family: 'dio', kind: 'pread', misaligned: 'none',
    row: 'pread', column: 'All aligned',
    phrase: 'an aligned O_DIRECT pread',
    label: 'O_DIRECT pread, everything aligned',
    description: 'O_DIRECT pread of 1 record into a page-aligned buffer at a record offset',
    purpose: 'The baseline: a read that meets every Direct I/O alignment rule.' },
  { id: 'dio.read.buf', family: 'dio', kind: 'pread', misaligned: 'buffer',
    row: 'pread', column: 'Misaligned buffer',
    phrase: 'an O_DIRECT pread into a misaligned buffer',
    label: 'O_DIRECT pread, misaligned buffer',
    description: 'O_DIRECT pread of 1 record into a buffer 1 byte past a page boundary',
    purpose: 'Tests the buffer rule: OpenZFS wants the user buffer aligned to the page size (512-byte alignment is not enough).' },
  { id: 'dio.read.len', family: 'dio', kind: 'pread', misaligned: 'length',
    row: 'pread', column: 'Misaligned length',
    phrase: 'an O_DIRECT pread whose length is not a page multiple',
    label: 'O_DIRECT pread, misaligned length',
    description: 'O_DIRECT pread of 1 page + 1 byte',
    purpose: 'Tests the length rule: the length must be a multiple of the page size.' },
  { id: 'dio.read.off', family: 'dio', kind: 'pread', misaligned: 'offset',
    row: 'pread', column: 'Misaligned offset',
    phrase: 'an O_DIRECT pread at an offset that is not a page multiple',
    label: 'O_DIRECT pread, misaligned offset',
    description: 'O_DIRECT pread of 1 record at a file offset 512 bytes past a record boundary',
    purpose: 'Tests the file-offset rule: the offset must be a multiple of the page size.' },
  { id: 'dio.write.aligned', family: 'dio', kind: 'pwrite', misaligned: 'none',
    row: 'pwrite', column: 'All aligned',
    phrase: 'an aligned O_DIRECT pwrite',
    label: 'O_DIRECT pwrite, everything aligned',
    description: 'O_DIRECT pwrite of 1 record from a page-aligned buffer at a record offset',
    purpose: 'The baseline: a whole-record write that meets every rule and can bypass the ARC.' },
  { id: 'dio.write.buf', family: 'dio', kind: 'pwrite', misaligned: 'buffer',
    row: 'pwrite', column: 'Misaligned buffer',
    phrase: 'an O_DIRECT pwrite from a misaligned buffer',
    label: 'O_DIRECT pwrite, misaligned buffer',
    description: 'O_DIRECT pwrite of 1 record from a buffer 1 byte past a page boundary',
    purpose: 'Tests the buffer rule: OpenZFS wants the user buffer aligned to the page size (512-byte alignment is not enough).' },
  { id: 'dio.write.len', family: 'dio', kind: 'pwrite', misaligned: 'length',
    row: 'pwrite', column: 'Misaligned length',
    phrase: 'an O_DIRECT pwrite whose length is not a page multiple',
    label: 'O_DIRECT pwrite, misaligned length',
    description: 'O_DIRECT pwrite of 1 page + 1 byte',
    purpose: 'Tests the length rule: the length must be a multiple of the page size.' },
  { id: 'dio.write.off', family: 'dio', kind: 'pwrite', misaligned: 'offset',
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
