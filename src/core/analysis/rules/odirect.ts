// ZDIO001-004: O_DIRECT reads and writes. OpenZFS 2.3.x requires the buffer address, the length and
// the file offset to be multiples of PAGE_SIZE (else EINVAL with direct=standard; 2.4.0+ falls back to
// uncached I/O unless zfs_dio_strict=1). Writes bypass the ARC only for whole, recordsize-aligned
// blocks. Source: zfs_setup_direct() / dmu_write_uio_dnode(), facts F4, F5, F7.
import type { DerivedNumber, SiteFacts } from '../../types';
import { fitted, isKnown, recordsizeLabel, type Spelling } from './describe';
import type { Rule, RuleContext, RuleHit } from './types';

const EINVAL_NOTE = 'EINVAL on 2.3.x direct=standard, uncached on 2.4+';
const EINVAL_NOTE_TERSE = 'EINVAL on 2.3.x direct=standard';
const MISALIGNED_DETAIL = 'OpenZFS 2.3.x refuses a misaligned O_DIRECT request with EINVAL on a dataset with direct=standard and '
  + 'serves it through the ARC with direct=always; 2.4 and later serve it as uncached I/O instead, without an error, '
  + 'unless zfs_dio_strict=1 makes it EINVAL again.';

/** What a misaligned O_DIRECT request does: on the target when one is set, else on each OpenZFS line. */
function misalignedNote(ctx: RuleContext, s: Spelling): string {
  return ctx.target ? s.onTarget(ctx.target, ctx.target.odirectMisaligned) : s.terse ? EINVAL_NOTE_TERSE : EINVAL_NOTE;
}

// Why these findings get no automatic edit: each one would change which bytes the program writes or reads.
const WRITE_LENGTH_BY_HAND = 'Rounding a write\'s length up would write bytes the program did not mean to write, past its data and over whatever follows in the file. Pad the record to whole pages in a page-aligned buffer (and zero the padding), batch small records into page-sized writes, or write them without O_DIRECT.';
const OFFSET_BY_HAND = 'Moving the offset would read or write other bytes of the file than the program means to. Lay the file out on page boundaries (a format change: existing files keep the old layout), or do this I/O without O_DIRECT.';
const RECORD_BY_HAND = 'Rounding the length or the offset up to the recordsize would write other bytes than the program means to. Batch writes into whole, record-aligned records where the format allows it; otherwise the partial record goes through the ARC, which is correct, only not direct.';

const READ_PAGES_BY_HAND = 'The length is computed from the page size of the machine the program runs on, so no fixed number can replace it. Read a whole number of pages (round the length up to a multiple of the page size) into a page-aligned buffer that holds them, and use the part the program needs.';

/**
 * A length or offset that is a fraction of the runtime page size (`pagesize / 2`): misaligned on every
 * machine, since a page is never a multiple of a proper fraction of itself. Its fraction, as `1/2`.
 */
function pageFraction(d: DerivedNumber | undefined): { text: string; fraction: string } | undefined {
  if (!d || d.known || d.pages === undefined || d.pages <= 0 || Number.isInteger(d.pages)) return undefined;
  let denominator = 2;
  while (!Number.isInteger(d.pages * denominator) && denominator < 2 ** 20) denominator *= 2;
  return { text: d.text, fraction: `${d.pages * denominator}/${denominator}` };
}

function bufferHit(f: SiteFacts, ctx: RuleContext, io: string): RuleHit | undefined {
  const b = f.buffer;
  if (!b || b.state === 'unknown') return undefined;
  const range = f.argRanges.buffer ?? f.site.range;
  const page = ctx.pageSize;
  if (b.state === 'unaligned') {
    return {
      ruleId: 'ZDIO001', range, replaceAllocation: !!b.allocationRange,
      message: fitted((s) => `${io} buffer from ${s.text(b.origin)} may not be page-aligned (${page}): ${misalignedNote(ctx, s)}`, ctx.messageLimit),
      detail: `The buffer's address is not known to be a multiple of the page size ${page}. ${MISALIGNED_DETAIL}`,
      derived: { origin: b.origin, pageSize: page },
    };
  }
  // aligned
  const alignmentOk = b.alignedToPage || (b.alignment !== undefined && b.alignment % page === 0);
  if (!alignmentOk && b.alignment !== undefined) {
    return {
      ruleId: 'ZDIO001', range,
      // the origin usually spells the alignment out: the fewest words leave it to the hover
      message: fitted((s) => `${io} buffer${s.fewest ? '' : ` from ${s.text(b.origin)}`} is only ${b.alignment}-aligned (page size ${page}): ${misalignedNote(ctx, s)}`, ctx.messageLimit),
      detail: `OpenZFS wants the buffer aligned to the page size ${page}; ${b.alignment}-byte alignment is not enough. ${MISALIGNED_DETAIL}`,
      derived: { origin: b.origin, alignment: b.alignment, pageSize: page },
    };
  }
  if (alignmentOk && b.offset !== undefined && b.offset % page !== 0) {
    return {
      ruleId: 'ZDIO001', range,
      message: fitted((s) => `${io} buffer ${s.fewest ? 'offset' : `${s.text(b.origin)} +`} ${b.offset} is not a multiple of page size ${page}: ${misalignedNote(ctx, s)}`, ctx.messageLimit),
      detail: `The buffer starts ${b.offset} bytes past a page-aligned address, so it is not page-aligned. ${MISALIGNED_DETAIL}`,
      derived: { origin: b.origin, bufferOffset: b.offset, pageSize: page, ...(b.alignment !== undefined ? { alignment: b.alignment } : {}) },
    };
  }
  return undefined;
}

/** A read's length may be rounded up (when the buffer allows, fixes.ts decides); a write's never. */
function lengthFix(f: SiteFacts, value: number, page: number, segment?: number): Pick<RuleHit, 'roundLength' | 'manualFix'> {
  if (f.direction !== 'read') return { manualFix: WRITE_LENGTH_BY_HAND };
  return { roundLength: segment === undefined ? { value, multiple: page } : { value, multiple: page, segment } };
}

export const odirectRules: Rule = {
  ids: ['ZDIO001', 'ZDIO002', 'ZDIO003', 'ZDIO004'],
  check(f, ctx) {
    if (f.site.kind !== 'o_direct_io' || f.fdODirect !== true) return [];
    const hits: RuleHit[] = [];
    const io = `O_DIRECT ${f.direction ?? 'I/O'}`;
    const page = ctx.pageSize;
    const buf = bufferHit(f, ctx, io);
    if (buf) hits.push(buf);

    const len = isKnown(f.length) && f.length.value >= 0 ? f.length : undefined;
    const off = isKnown(f.offset) && f.offset.value >= 0 ? f.offset : undefined;
    // Vectored I/O: every segment must be a page multiple; report the first one that is not.
    const badSegment = f.segments?.findIndex((s) => isKnown(s.length) && s.length.value >= 0 && s.length.value % page !== 0) ?? -1;
    if (badSegment >= 0) {
      const seg = f.segments![badSegment]!;
      const d = seg.length as Extract<typeof seg.length, { known: true }>;
      hits.push({
        ruleId: 'ZDIO002', range: seg.range ?? f.argRanges.length ?? f.site.range,
        message: fitted((s) => `${io} segment ${badSegment} length ${s.value(d)} is not a multiple of page size ${page}: ${misalignedNote(ctx, s)}`, ctx.messageLimit),
        detail: `Every iovec segment of a vectored O_DIRECT request must be a multiple of the page size. ${MISALIGNED_DETAIL}`,
        derived: { length: d.value, segment: badSegment, pageSize: page },
        ...lengthFix(f, d.value, page, badSegment),
      });
    } else if (len && len.value % page !== 0 && !f.segments?.length) {
      hits.push({
        ruleId: 'ZDIO002', range: f.argRanges.length ?? f.site.range,
        message: fitted((s) => `${io} length ${s.value(len)} is not a multiple of page size ${page}: ${misalignedNote(ctx, s)}`, ctx.messageLimit),
        detail: MISALIGNED_DETAIL,
        derived: { length: len.value, pageSize: page },
        ...lengthFix(f, len.value, page),
      });
    } else if (!len && !f.segments?.length) {
      const frac = pageFraction(f.length);
      if (frac) {
        hits.push({
          ruleId: 'ZDIO002', range: f.argRanges.length ?? f.site.range,
          message: fitted((s) => `${io} length ${s.text(frac.text)} is ${frac.fraction} page, never a page multiple: ${misalignedNote(ctx, s)}`, ctx.messageLimit),
          detail: `A fraction of the runtime page size is never a multiple of it, whatever the machine's page size. ${MISALIGNED_DETAIL}`,
          derived: { lengthInPages: frac.fraction },
          manualFix: f.direction === 'read' ? READ_PAGES_BY_HAND : WRITE_LENGTH_BY_HAND,
        });
      }
    }
    const offFrac = off ? undefined : pageFraction(f.offset);
    if (offFrac) {
      hits.push({
        ruleId: 'ZDIO003', range: f.argRanges.offset ?? f.site.range,
        message: fitted((s) => `${io} offset ${s.text(offFrac.text)} is ${offFrac.fraction} page, never a page multiple: ${misalignedNote(ctx, s)}`, ctx.messageLimit),
        detail: `A fraction of the runtime page size is never a multiple of it, whatever the machine's page size. ${MISALIGNED_DETAIL}`,
        derived: { offsetInPages: offFrac.fraction },
        manualFix: OFFSET_BY_HAND,
      });
    }
    if (off && off.value % page !== 0) {
      hits.push({
        ruleId: 'ZDIO003', range: f.argRanges.offset ?? f.site.range,
        message: fitted((s) => `${io} offset ${s.value(off)} is not a multiple of page size ${page}: ${misalignedNote(ctx, s)}`, ctx.messageLimit),
        detail: MISALIGNED_DETAIL,
        derived: { offset: off.value, pageSize: page },
        manualFix: OFFSET_BY_HAND,
      });
    }
    // ZDIO004: accepted as Direct I/O, but only whole records bypass the ARC. Not when the buffer is
    // already wrong (ZDIO001): then the write is rejected or buffered anyway.
    if (!buf && f.direction === 'write' && len && off && len.value > 0 && len.value % page === 0 && off.value % page === 0) {
      const rs = ctx.recordsize;
      const lenOff = len.value % rs !== 0;
      const offOff = off.value % rs !== 0;
      if (lenOff || offOff) {
        hits.push({
          // a vectored write's length is the sum of its segments: no one segment carries it, the call does
          ruleId: 'ZDIO004', range: (f.segments?.length ? undefined : lenOff ? f.argRanges.length : f.argRanges.offset) ?? f.site.range,
          message: fitted((s) => {
            const parts = [lenOff ? `length ${s.value(len)}` : '', offOff ? `offset ${s.value(off)}` : ''].filter(Boolean);
            return `O_DIRECT write ${parts.join(' and ')} ${parts.length > 1 ? 'are not multiples' : 'is not a multiple'} of ${recordsizeLabel(rs, ctx.recordsizeSource)}: only whole records bypass the ARC`;
          }, ctx.messageLimit),
          detail: `The write is page-aligned, so OpenZFS accepts it as Direct I/O, but only whole, record-aligned blocks of ${rs} bytes bypass the ARC: the partial record is a read-modify-write through it.`
            + (ctx.target ? ` The recordsize is that of ${ctx.target.summary}.` : ''),
          derived: { length: len.value, offset: off.value, pageSize: page, recordsize: rs, recordsizeSource: ctx.recordsizeSource },
          manualFix: RECORD_BY_HAND,
        });
      }
    }
    const t = ctx.target;
    if (t) {
      for (const h of hits) {
        if (h.ruleId === 'ZDIO004') continue;
        h.severity = t.odirectMisaligned.severity;
        h.derived = { ...h.derived, target: t.summary, ...(t.odirectMisaligned.issue ? { targetIssue: t.odirectMisaligned.issue } : {}) };
      }
    }
    return hits;
  },
};
