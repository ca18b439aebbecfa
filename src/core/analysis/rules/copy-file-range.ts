// ZDIO010-012: copy_file_range. A range that is not a multiple of the source block size cannot be
// cloned; Linux falls back to a content copy (F17, F18). On OpenZFS 2.3.0 with Direct I/O active that
// fallback fails with EAGAIN (openzfs#16958, reproduced on a real 2.3.0 module; fixed in 2.3.1 by
// PR #17006) or crashes 5.15 kernels (openzfs#16952). With O_DIRECT descriptors on 2.3.2 and
// direct=standard, a page-misaligned range fails with EINVAL (measured by the VM suite on 2.3.0 and 2.3.2).
import type { DerivedNumber } from '../../types';
import { describeValue, isKnown, recordsizeLabel, type KnownNumber } from './describe';
import { onTarget } from '../../knowledge/target';
import type { DerivedValues } from '../../value-labels';
import type { Rule, RuleHit } from './types';

/** Rounding any part of the range would copy other bytes: the program's copy is correct, only not a clone. */
const RANGE_BY_HAND = 'Rounding the offsets or the length up would copy more, or other, bytes than the program means to. The copy itself is correct; to get clones, copy record-aligned ranges: clone the aligned part with one call and copy the unaligned tail with a second call (the article shows how). On OpenZFS 2.3.0 with Direct I/O, upgrade to 2.3.1 or later.';

const FIELDS = [
  { key: 'srcOffset', label: 'source offset' },
  { key: 'dstOffset', label: 'destination offset' },
  { key: 'length', label: 'length' },
] as const;

export const copyFileRangeRules: Rule = {
  ids: ['ZDIO010', 'ZDIO011', 'ZDIO012'],
  check(f, ctx) {
    if (f.site.kind !== 'copy_file_range') return [];
    const hits: RuleHit[] = [];
    const rs = ctx.recordsize;
    const bad: { key: (typeof FIELDS)[number]['key']; label: string; d: KnownNumber }[] = [];
    for (const { key, label } of FIELDS) {
      const d: DerivedNumber | undefined = f[key];
      if (isKnown(d) && d.value >= 0 && d.value % rs !== 0) bad.push({ key, label, d });
    }
    if (bad.length) {
      const derived: DerivedValues = { recordsize: rs, recordsizeSource: ctx.recordsizeSource };
      for (const { key } of FIELDS) { const d = f[key]; if (isKnown(d)) derived[key] = d.value; }
      const what = bad.map((b) => `${b.label} ${describeValue(b.d)}`).join(' and ');
      const t = ctx.target;
      const notMultiple = `copy_file_range ${what} ${bad.length > 1 ? 'are not multiples' : 'is not a multiple'} of`;
      hits.push({
        ruleId: 'ZDIO010',
        range: f.argRanges[bad[0]!.key] ?? f.site.range,
        message: f.copiesWithFallback
          // The caller's own fallback copies where the kernel's fails: only the clone is lost.
          ? `${notMultiple} ${recordsizeLabel(rs, ctx.recordsizeSource)}: no block clone; the bytes are copied instead, by the kernel or, where it refuses (EAGAIN on OpenZFS 2.3.0 with Direct I/O active, openzfs#16958), by ${f.site.callee}()'s read/write`
          : t
            ? `${notMultiple} ${rs}: ${onTarget(t, t.copyFallback)}`
            : `${notMultiple} ${recordsizeLabel(rs, ctx.recordsizeSource)}: no block clone; the content-copy fallback fails with EAGAIN on OpenZFS 2.3.0 with Direct I/O active (openzfs#16958, fixed in 2.3.1)`,
        ...(t ? { severity: t.copyFallback.severity } : {}),
        derived: t ? { ...derived, target: t.summary, ...(t.copyFallback.issue ? { targetIssue: t.copyFallback.issue } : {}) } : derived,
        manualFix: RANGE_BY_HAND,
      });
    }
    if (f.srcFdODirect === true || f.dstFdODirect === true) {
      const which = f.srcFdODirect && f.dstFdODirect ? 'both descriptors were' : f.srcFdODirect ? 'the source descriptor was' : 'the destination descriptor was';
      const t = ctx.target;
      const derived = { srcFdODirect: f.srcFdODirect === true, dstFdODirect: f.dstFdODirect === true };
      hits.push({
        ruleId: 'ZDIO011',
        range: (f.srcFdODirect ? f.argRanges.fd : undefined) ?? f.site.range,
        message: t
          ? `copy_file_range where ${which} opened with O_DIRECT: ${onTarget(t, t.odirectCopy)}`
          : `copy_file_range where ${which} opened with O_DIRECT: if the range cannot be cloned, the fallback copy runs as Direct I/O; with direct=standard a page-misaligned range fails with EINVAL (measured on 2.3.2), and on 2.3.0 any uncloneable range fails with EAGAIN (openzfs#16958)`,
        ...(t ? { severity: t.odirectCopy.severity } : {}),
        derived: t ? { ...derived, target: t.summary, ...(t.odirectCopy.issue ? { targetIssue: t.odirectCopy.issue } : {}) } : derived,
      });
    }
    if (f.resultHandled === false && f.resultOnlyEndsTheProgram) {
      hits.push({
        ruleId: 'ZDIO012',
        range: f.site.range,
        message: 'copy_file_range result is only checked to report a failure and give up: a short count ends the copy early, and EXDEV/EINVAL/EOPNOTSUPP/ENOSYS/EAGAIN, where a read/write copy would work, end it with an error; loop until the whole range is copied and fall back to read/write on those errors (retrying EAGAIN does not help on 2.3.0)',
        derived: { resultCheck: 'error-exit-only' },
        fallbackCopy: true,
      });
    } else if (f.resultHandled === false) {
      hits.push({
        ruleId: 'ZDIO012',
        range: f.site.range,
        message: 'copy_file_range result is not checked: a short count, or a failure with EXDEV/EINVAL/EOPNOTSUPP/ENOSYS/EAGAIN, goes unnoticed; loop until the whole range is copied and fall back to read/write on those errors (retrying EAGAIN does not help on 2.3.0)',
        derived: { resultCheck: 'discarded' },
        fallbackCopy: true,
      });
    }
    return hits;
  },
};
