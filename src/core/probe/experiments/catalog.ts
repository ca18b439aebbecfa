// The experiment matrix (ids fixed by issue #3). The runner (runner/zfs_dio_runner.py) performs
// them; this table describes them for people (CLI text, panel) and fixes the order.
import type { ExperimentId } from '../../types';

export interface ExperimentSpec {
  id: ExperimentId;
  kind: 'copy_file_range' | 'pread' | 'pwrite';
  /** One line: what is done, with sizes in terms of recordsize (rs) and page size. */
  description: string;
  /** Which parameter is misaligned on purpose, if any. */
  misaligned: 'none' | 'page-only' | 'offset+length' | 'buffer' | 'length' | 'offset';
}

export const EXPERIMENTS: readonly ExperimentSpec[] = [
  { id: 'cfr.aligned', kind: 'copy_file_range', misaligned: 'none',
    description: 'copy_file_range of 2 records, source offset 1 record, destination offset 0 (recordsize-aligned)' },
  { id: 'cfr.page', kind: 'copy_file_range', misaligned: 'page-only',
    description: 'copy_file_range of 16 pages at offsets 1 page / 2 pages (page-aligned, not recordsize-aligned)' },
  { id: 'cfr.misaligned', kind: 'copy_file_range', misaligned: 'offset+length',
    description: 'copy_file_range of 1 record + 1 byte from offset 1000 (aligned to nothing)' },
  { id: 'cfr.odirect.aligned', kind: 'copy_file_range', misaligned: 'none',
    description: 'copy_file_range between O_DIRECT descriptors, 2 records at offset 0' },
  { id: 'cfr.odirect.misaligned', kind: 'copy_file_range', misaligned: 'offset+length',
    description: 'copy_file_range between O_DIRECT descriptors, 1 record + 1 byte from offset 1000' },
  { id: 'dio.read.aligned', kind: 'pread', misaligned: 'none',
    description: 'O_DIRECT pread of 1 record into a page-aligned buffer at a record offset' },
  { id: 'dio.read.buf', kind: 'pread', misaligned: 'buffer',
    description: 'O_DIRECT pread of 1 record into a buffer 1 byte past a page boundary' },
  { id: 'dio.read.len', kind: 'pread', misaligned: 'length',
    description: 'O_DIRECT pread of 1 page + 1 byte' },
  { id: 'dio.read.off', kind: 'pread', misaligned: 'offset',
    description: 'O_DIRECT pread of 1 record at a file offset 512 bytes past a record boundary' },
  { id: 'dio.write.aligned', kind: 'pwrite', misaligned: 'none',
    description: 'O_DIRECT pwrite of 1 record from a page-aligned buffer at a record offset' },
  { id: 'dio.write.buf', kind: 'pwrite', misaligned: 'buffer',
    description: 'O_DIRECT pwrite of 1 record from a buffer 1 byte past a page boundary' },
  { id: 'dio.write.len', kind: 'pwrite', misaligned: 'length',
    description: 'O_DIRECT pwrite of 1 page + 1 byte' },
  { id: 'dio.write.off', kind: 'pwrite', misaligned: 'offset',
    description: 'O_DIRECT pwrite of 1 record at a file offset 512 bytes past a record boundary' },
];

export const EXPERIMENT_IDS: readonly ExperimentId[] = EXPERIMENTS.map((e) => e.id);

export function isExperimentId(s: string): s is ExperimentId {
  return (EXPERIMENT_IDS as readonly string[]).includes(s);
}
