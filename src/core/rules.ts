// Rule metadata lives in one table: the analyzer, the editor, SARIF and the panel all read it.
import type { RuleId, Severity } from './types';

export interface RuleMeta {
  id: RuleId;
  defaultSeverity: Severity;
  /** Short name, used in SARIF `name` and the panel. */
  name: string;
  title: string;
  /** One or two sentences of help text (SARIF `help`, hover). */
  help: string;
  /** Knowledge article id: media/articles/<article>.md */
  article: string;
}

export const RULES: readonly RuleMeta[] = [
  { id: 'ZDIO001', defaultSeverity: 'warning', name: 'odirect-buffer-alignment',
    title: 'O_DIRECT buffer not known to be page-aligned',
    help: 'OpenZFS 2.3.x rejects an O_DIRECT read or write with EINVAL (direct=standard) when the user buffer is not page-aligned. Allocate with posix_memalign/aligned_alloc/mmap using the page size.',
    article: 'ZDIO001' },
  { id: 'ZDIO002', defaultSeverity: 'warning', name: 'odirect-length-alignment',
    title: 'O_DIRECT length not a multiple of the page size',
    help: 'OpenZFS 2.3.x requires the length of an O_DIRECT request to be a multiple of PAGE_SIZE; otherwise EINVAL with direct=standard (2.4+: silent uncached fallback unless zfs_dio_strict=1).',
    article: 'ZDIO002' },
  { id: 'ZDIO003', defaultSeverity: 'warning', name: 'odirect-offset-alignment',
    title: 'O_DIRECT file offset not a multiple of the page size',
    help: 'OpenZFS 2.3.x requires the file offset of an O_DIRECT request to be a multiple of PAGE_SIZE; otherwise EINVAL with direct=standard.',
    article: 'ZDIO003' },
  { id: 'ZDIO004', defaultSeverity: 'information', name: 'odirect-write-recordsize',
    title: 'O_DIRECT write is page-aligned but not a multiple of recordsize',
    help: 'Only the recordsize-aligned whole-block part of a Direct I/O write bypasses the ARC; the rest is a read-modify-write through the ARC.',
    article: 'ZDIO004' },
  { id: 'ZDIO010', defaultSeverity: 'warning', name: 'cfr-recordsize-alignment',
    title: 'copy_file_range range not aligned to recordsize',
    help: 'A range that is not a multiple of the source block size cannot be block-cloned; the kernel falls back to a content copy. On OpenZFS 2.3.0 with Direct I/O active that fallback fails with EAGAIN or crashes older kernels (openzfs#16958, #16952; fixed in 2.3.1).',
    article: 'ZDIO010' },
  { id: 'ZDIO011', defaultSeverity: 'warning', name: 'cfr-on-odirect-fd',
    title: 'copy_file_range on an O_DIRECT descriptor',
    help: 'The fallback copy reads through the O_DIRECT descriptor. With direct=standard on 2.3.x a page-misaligned range fails with EINVAL (measured on 2.3.2); on 2.3.0 any uncloneable range fails with EAGAIN.',
    article: 'ZDIO011' },
  { id: 'ZDIO012', defaultSeverity: 'information', name: 'cfr-result-unhandled',
    title: 'copy_file_range result not handled',
    help: 'copy_file_range may copy fewer bytes than asked and may fail with EXDEV, EINVAL, EOPNOTSUPP, ENOSYS or EAGAIN. Loop on short counts and fall back to read/write.',
    article: 'ZDIO012' },
  { id: 'ZDIO020', defaultSeverity: 'warning', name: 'ficlonerange-alignment',
    title: 'FICLONERANGE range not aligned to the source block size',
    help: 'FICLONE/FICLONERANGE have no fallback: a range not aligned to the source file block size fails with EINVAL.',
    article: 'ZDIO020' },
];

const byId = new Map(RULES.map((r) => [r.id, r]));
export function ruleMeta(id: RuleId): RuleMeta {
  const meta = byId.get(id);
  if (!meta) throw new Error(`unknown rule ${id}`);
  return meta;
}
export function isRuleId(value: string): value is RuleId { return byId.has(value as RuleId); }
