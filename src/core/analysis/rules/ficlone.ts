// ZDIO020: FICLONERANGE. Offsets (and the length, unless it runs to EOF) must be multiples of the
// source file's block size; there is no fallback, the ioctl fails with EINVAL (F17, F20). The
// recordsize setting stands in for the source file's block size (st_blksize).
import { MESSAGE_LIMIT, fitted, isKnown, recordsizeLabel, type KnownNumber } from './describe';
import type { DerivedValues } from '../../value-labels';
import type { Rule } from './types';

/** Rounding the range would clone other bytes; the ioctl has no partial mode to fall back on. */
const RANGE_BY_HAND = 'Rounding the offsets or the length up would clone more, or other, bytes than the program means to. Clone the block-aligned part of the range with FICLONERANGE and copy the rest with copy_file_range (which copies what it cannot clone), or clone whole files with FICLONE.';

const FIELDS = [
  { key: 'srcOffset', label: 'src_offset' },
  { key: 'length', label: 'src_length' },
  { key: 'dstOffset', label: 'dest_offset' },
] as const;

export const ficloneRules: Rule = {
  ids: ['ZDIO020'],
  check(f, ctx) {
    if (f.site.kind !== 'ficlone' || f.ficloneVariant !== 'FICLONERANGE') return [];
    const rs = ctx.recordsize;
    const bad: { key: (typeof FIELDS)[number]['key']; label: string; d: KnownNumber }[] = [];
    for (const { key, label } of FIELDS) {
      const d = f[key];
      if (!isKnown(d) || d.value < 0) continue;
      if (key === 'length' && d.value === 0) continue;  // 0 = clone to the end of the source file
      if (d.value % rs !== 0) bad.push({ key, label, d });
    }
    if (!bad.length) return [];
    const derived: DerivedValues = { recordsize: rs, recordsizeSource: ctx.recordsizeSource };
    for (const { key } of FIELDS) { const d = f[key]; if (isKnown(d)) derived[key] = d.value; }
    return [{
      ruleId: 'ZDIO020',
      range: f.argRanges[bad[0]!.key] ?? f.site.range,
      message: fitted((s) => {
        const values = bad.map((b) => `${b.label} ${s.value(b.d)}`);
        const named = values.length > 1 ? `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}` : values[0];
        const head = `FICLONERANGE ${named} ${bad.length > 1 ? 'are not multiples' : 'is not a multiple'} of ${recordsizeLabel(rs, ctx.recordsizeSource)}: EINVAL`;
        // All three fields wrong is long enough already: the detail says there is no fallback.
        return `${head}, no fallback`.length <= (ctx.messageLimit ?? MESSAGE_LIMIT) ? `${head}, no fallback` : head;
      }, ctx.messageLimit),
      detail: `The recordsize stands in for the source file's block size, which FICLONERANGE's offsets (and its length, unless `
        + `it runs to the end of the file) must be multiples of. The ioctl fails with EINVAL and, unlike copy_file_range, `
        + `has no copy to fall back on.`,
      derived,
      manualFix: RANGE_BY_HAND,
    }];
  },
};
