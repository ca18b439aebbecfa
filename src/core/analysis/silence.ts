// Why a call site has no finding although the rules could not check it: the values they need that
// the analysis does not know, and where the trail ended. A quiet site then says "not checked"
// instead of passing for a clean one.
import type { CallRecord, DerivedNumber, ParamField, SiteFacts, UnknownInput } from '../types';
import { functionLabel } from './interprocedural';

type Checked = 'buffer' | 'length' | 'offset' | 'srcOffset' | 'dstOffset';

const LABELS: Readonly<Record<Checked, UnknownInput['value']>> = {
  buffer: 'buffer', length: 'length', offset: 'offset', srcOffset: 'source offset', dstOffset: 'destination offset',
};

/** The values the rules of this site's kind need, in the order the messages name them. */
function checkedValues(f: SiteFacts): Checked[] {
  switch (f.site.kind) {
    case 'o_direct_io': return ['buffer', 'length', 'offset'];
    case 'copy_file_range': return ['srcOffset', 'dstOffset', 'length'];
    case 'ficlone': return f.ficloneVariant === 'FICLONERANGE' ? ['srcOffset', 'length', 'dstOffset'] : [];
    default: return [];
  }
}

function isKnown(f: SiteFacts, field: Checked): boolean {
  if (field === 'buffer') return f.buffer !== undefined && f.buffer.state !== 'unknown';
  if (field === 'length' && f.segments?.length) return f.segments.every((s) => s.length.known);
  const v = f[field] as DerivedNumber | undefined;
  return v?.known === true;
}

const siteKey = (f: SiteFacts) => `${f.site.range.start.line}:${f.site.range.start.column}`;

/** The calls of a file and the facts seen from them, indexed once for every site's question. */
export class CallIndex {
  private readonly callsTo = new Map<string, number>();
  private readonly fromCalls = new Map<string, SiteFacts[]>();

  constructor(calls: readonly CallRecord[], seenFromCalls: readonly SiteFacts[]) {
    for (const c of calls) this.callsTo.set(c.callee, (this.callsTo.get(c.callee) ?? 0) + 1);
    for (const g of seenFromCalls) {
      const k = siteKey(g);
      const l = this.fromCalls.get(k);
      if (l) l.push(g); else this.fromCalls.set(k, [g]);
    }
  }

  callsOf(fn: string): number { return this.callsTo.get(fn) ?? 0; }
  seenFrom(site: SiteFacts): readonly SiteFacts[] { return this.fromCalls.get(siteKey(site)) ?? []; }
}

/**
 * What the rules could not check at the site of `own` (its facts as the file shows them), given the
 * file's calls and the facts seen from them. Empty when every value is known.
 */
export function unknownInputs(own: SiteFacts, index: CallIndex): UnknownInput[] {
  const out: UnknownInput[] = [];
  const fromCalls = index.seenFrom(own);
  if (own.site.kind === 'o_direct_io' && own.fdODirect !== true) {
    const param = own.params?.fd;
    const opened = fromCalls.filter((g) => g.fdODirect === true).length;
    const when = own.bufferedWhen;
    if (when && !param) {
      // O_DIRECT unless the function clears it first: each call's argument decides
      if (opened < index.callsOf(when.param.fn)) {
        out.push({ value: 'descriptor', text: when.param.name, reason: `O_DIRECT is cleared before this call when \`${when.condition}\`: each call of \`${functionLabel(when.param.fn)}()\` decides, with its own \`${when.param.name}\`` });
      }
    } else if (!(param && opened > 0 && opened >= index.callsOf(param.fn))) {
      // unless every call of the helper gives it an O_DIRECT descriptor: checked at each of them
      out.push({ value: 'descriptor', text: param?.name ?? '', reason: param
      ? `\`${param.name}\` is a parameter of \`${functionLabel(param.fn)}()\`; ${opened ? `checked for the ${opened === 1 ? 'call in this file that passes' : `${opened} calls in this file that pass`} an O_DIRECT descriptor, and fine there` : 'no call in this file passes a descriptor known to be opened with O_DIRECT'}`
      : 'the descriptor is not known to be opened with O_DIRECT here' });
    }
  }
  for (const field of checkedValues(own)) {
    if (isKnown(own, field)) continue;
    // a read or write at the file position has an offset only when the position is known
    if (field === 'offset' && own.site.kind === 'o_direct_io' && own.offset === undefined && !own.argRanges.offset) {
      out.push({ value: 'offset', text: 'the file position', reason: 'the file position at this call is not known (it depends on earlier I/O or seeks the analysis cannot follow)' });
      continue;
    }
    const text = field === 'buffer' ? own.buffer?.origin ?? '' : textOf(own, field);
    const param = own.params?.[field as ParamField];
    let reason: string;
    if (param) {
      const name = param.part === 'size' ? `the size of \`${param.name}\`` : param.part === 'pointee' ? `what \`${param.name}\` points to`
        : param.times || param.atMost !== undefined || param.roundUpTo !== undefined || param.plus !== undefined
          ? `\`${param.name}\` (${[param.times ? `times ${param.times}` : '', param.roundUpTo !== undefined ? `rounded up to ${param.roundUpTo}` : '',
            param.atMost !== undefined ? `at most ${param.atMost}` : '', param.plus !== undefined ? `plus ${param.plus}` : ''].filter(Boolean).join(', ')} here)`
          : `\`${param.name}\``;
      const callers = index.callsOf(param.fn);
      const checked = fromCalls.filter((g) => isKnown(g, field)).length;
      if (callers > 0 && checked >= callers) continue;  // known at every call: checked there
      const whose = param.part === 'position'
        ? `the file position is where \`${param.name}\`, a parameter of \`${functionLabel(param.fn)}()\`, stands when it starts${param.plus ? ` plus ${param.plus}` : ''}; `
        : param.part === 'expression' ? `\`${param.name}\` is computed from the parameters of \`${functionLabel(param.fn)}()\`; `
          : `${name} is a parameter of \`${functionLabel(param.fn)}()\`; `;
      reason = whose + (callers === 0 ? `no call of \`${functionLabel(param.fn)}()\` in this file`
        : checked ? `checked for the ${checked === 1 ? 'call in this file that passes' : `${checked} calls in this file that pass`} a known value, and fine there; ${callers - checked === 1 ? 'another call passes a value' : 'other calls pass values'} that ${callers - checked === 1 ? 'is' : 'are'} not known`
          : `no call in this file passes a known value`);
    } else if (field === 'buffer') {
      reason = text ? `where \`${text}\` is allocated, and so its alignment, is not known here` : 'where the buffer is allocated is not known here';
    } else {
      reason = text ? `the value of \`${text}\` is not known here (computed at run time, or from something the analysis does not follow)`
        : 'its value is not known here';
    }
    out.push({ value: LABELS[field], text, reason });
  }
  return out;
}

function textOf(f: SiteFacts, field: Exclude<Checked, 'buffer'>): string {
  if (field === 'length' && f.segments?.length) return f.segments.filter((s) => !s.length.known).map((s) => s.length.text).join(', ');
  return (f[field] as DerivedNumber | undefined)?.text ?? '';
}
