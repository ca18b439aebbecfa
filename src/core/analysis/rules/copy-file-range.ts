// ZDIO010-012: copy_file_range. A range that is not a multiple of the source block size cannot be
// cloned; Linux falls back to a content copy (F17, F18). On OpenZFS 2.3.0 with Direct I/O active that
// fallback fails with EAGAIN (openzfs#16958, reproduced on a real 2.3.0 module; fixed in 2.3.1 by
// PR #17006) or crashes 5.15 kernels (openzfs#16952). With O_DIRECT descriptors on 2.3.2 and
// direct=standard, a page-misaligned range fails with EINVAL (measured by the VM suite on 2.3.0 and 2.3.2).
import type { DerivedNumber } from '../../types';
import { fitted, isKnown, recordsizeLabel, type KnownNumber, type Spelling } from './describe';
import type { DerivedValues } from '../../value-labels';
import type { Rule, RuleHit } from './types';

/** Rounding any part of the range would copy other bytes: the program's copy is correct, only not a clone. */
const RANGE_BY_HAND = 'Rounding the offsets or the length up would copy more, or other, bytes than the program means to. The copy itself is correct; to get clones, copy record-aligned ranges: clone the aligned part with one call and copy the unaligned tail with a second call (the article shows how). On OpenZFS 2.3.0 with Direct I/O, upgrade to 2.3.1 or later.';

/** Why a range that is not a multiple of the block size is copied, and where that copy fails. */
const NOT_CLONED = 'A range whose offsets and length are not multiples of the source file\'s block size (its recordsize, for a file of '
  + 'several records) cannot be cloned, so Linux copies the bytes instead. On OpenZFS 2.3.0 with Direct I/O active that copy '
  + 'fails with EAGAIN (openzfs#16958, fixed in 2.3.1 by PR #17006).';
const ODIRECT_COPY = 'If the range cannot be cloned, the kernel\'s fallback copy runs as Direct I/O on the O_DIRECT descriptor: with '
  + 'direct=standard a page-misaligned range fails with EINVAL (measured on 2.3.2), and on 2.3.0 any range that cannot be '
  + 'cloned fails with EAGAIN (openzfs#16958).';
const RESULT_ERRORS = 'copy_file_range fails with EXDEV, EINVAL, EOPNOTSUPP, ENOSYS or EAGAIN where a read/write copy would work, and may '
  + 'copy fewer bytes than asked: loop until the whole range is copied and fall back to read/write on those errors (retrying '
  + 'EAGAIN does not help on 2.3.0).';

const FIELDS = [
  // copy_file_range(2)'s own names for them
  { key: 'srcOffset', label: 'off_in' },
  { key: 'dstOffset', label: 'off_out' },
  { key: 'length', label: 'len' },
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
      const t = ctx.target;
      // In the fewest words the argument names alone say which call it is (three values leave no room for more).
      const notMultiple = (s: Spelling) => `${s.fewest && bad.length > 2 ? '' : 'copy_file_range '}${bad.map((b) => `${b.label} ${s.value(b.d)}`).join(' and ')} `
        + `${bad.length > 1 ? 'are not multiples' : 'is not a multiple'} of ${recordsizeLabel(rs, ctx.recordsizeSource)}`;
      hits.push({
        ruleId: 'ZDIO010',
        range: f.argRanges[bad[0]!.key] ?? f.site.range,
        message: fitted((s) => f.copiesWithFallback
          // The caller's own fallback copies where the kernel's fails: only the clone is lost.
          ? `${notMultiple(s)}: copied, not cloned${s.terse ? '' : ` (by the kernel or ${s.text(f.site.callee)}()'s own copy)`}`
          : t
            ? `${notMultiple(s)}: ${s.onTarget(t, t.copyFallback)}`
            : `${notMultiple(s)}: copied, not cloned${s.terse ? '' : ' (EAGAIN on 2.3.0 with Direct I/O)'}`, ctx.messageLimit),
        detail: f.copiesWithFallback
          ? `${NOT_CLONED} Where the kernel refuses, ${f.site.callee}() copies the bytes with read/write itself: only the clone is lost.`
          : NOT_CLONED,
        ...(t ? { severity: t.copyFallback.severity } : {}),
        derived: t ? { ...derived, target: t.summary, ...(t.copyFallback.issue ? { targetIssue: t.copyFallback.issue } : {}) } : derived,
        manualFix: RANGE_BY_HAND,
      });
    }
    if (f.srcFdODirect === true || f.dstFdODirect === true) {
      const which = f.srcFdODirect && f.dstFdODirect ? 'O_DIRECT descriptors' : f.srcFdODirect ? 'an O_DIRECT source' : 'an O_DIRECT destination';
      const t = ctx.target;
      const derived = { srcFdODirect: f.srcFdODirect === true, dstFdODirect: f.dstFdODirect === true };
      hits.push({
        ruleId: 'ZDIO011',
        range: (f.srcFdODirect ? f.argRanges.fd : undefined) ?? f.site.range,
        message: fitted((s) => t
          ? `copy_file_range with ${which}: ${s.onTarget(t, t.odirectCopy)}`
          : `copy_file_range with ${which}: its fallback copy is Direct I/O${s.terse ? '' : ' (EINVAL if misaligned; EAGAIN on 2.3.0)'}`, ctx.messageLimit),
        detail: ODIRECT_COPY,
        ...(t ? { severity: t.odirectCopy.severity } : {}),
        derived: t ? { ...derived, target: t.summary, ...(t.odirectCopy.issue ? { targetIssue: t.odirectCopy.issue } : {}) } : derived,
      });
    }
    if (f.resultHandled === false && f.resultOnlyEndsTheProgram) {
      hits.push({
        ruleId: 'ZDIO012',
        range: f.site.range,
        message: 'copy_file_range result is only checked to give up: a short count or EXDEV/EINVAL/EAGAIN ends the copy early',
        detail: RESULT_ERRORS,
        derived: { resultCheck: 'error-exit-only' },
        fallbackCopy: true,
      });
    } else if (f.resultHandled === false) {
      hits.push({
        ruleId: 'ZDIO012',
        range: f.site.range,
        message: 'copy_file_range result is not checked: a short count or a failure with EXDEV/EINVAL/EAGAIN goes unnoticed',
        detail: RESULT_ERRORS,
        derived: { resultCheck: 'discarded' },
        fallbackCopy: true,
      });
    }
    return hits;
  },
};
