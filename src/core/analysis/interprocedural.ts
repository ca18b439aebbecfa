// Function summaries, one engine for every language. An extractor reports two things besides its
// sites: which of a site's values are exactly a parameter of the enclosing function (a `ParamRef`,
// when the value is unknown inside the function), and every call to a function of the analysed code
// with what it knows about each argument (`CallRecord`). This module puts them together: for each
// call of a function whose site reads a parameter, it substitutes the call's argument and yields the
// site's facts as seen from that call, with the path of calls that leads there. A caller's argument
// that is itself one of the caller's parameters carries the question one level up, so a chain of
// helpers is followed, bounded in depth and in total work; what no caller makes known stays unknown.
import type { BufferOrigin, CallRecord, CallStep, DerivedNumber, ParamField, ParamRef, Range, Site, SiteFacts, TableRow } from '../types';

/** How many helpers deep a value is followed (the site's own function is level 0). */
export const MAX_CALL_DEPTH = 4;
/** The most facts one file's summaries may produce: a call graph that fans out cannot cost more. */
export const MAX_INSTANTIATIONS = 2000;

const NUMBER_FIELDS = ['length', 'offset', 'srcOffset', 'dstOffset'] as const;
const FD_FIELDS = { fd: 'fdODirect', srcFd: 'srcFdODirect', dstFd: 'dstFdODirect' } as const;

/**
 * The facts as seen from one call: each parameter the call gives a known value replaces the unknown;
 * an argument that is one of the caller's own parameters becomes a reference to that one. `resolved`
 * says whether anything became known.
 */
function substitute(facts: SiteFacts, call: CallRecord): { facts: SiteFacts; resolved: boolean } | undefined {
  const params = facts.params ?? {};
  if (!facts.params && !facts.bufferedWhen) return undefined;
  // a condition around the site that this call's arguments decide the other way: the call never gets there
  for (const g of facts.guards ?? []) {
    const v = g.condition.fn === call.callee ? call.expressions?.[expressionKey(g.condition)] : undefined;
    if (v?.known && (v.value !== 0) !== g.holds) return undefined;
  }
  const step: CallStep = { callee: call.callee, range: call.range, ...(call.row ? { row: call.row } : {}), ...(call.file ? { file: call.file, ...(call.lineOffset ? { lineOffset: call.lineOffset } : {}) } : {}) };
  const next: SiteFacts = {
    ...facts, argRanges: { ...facts.argRanges }, constants: { ...facts.constants }, params: {},
    via: [step, ...(facts.via ?? [])],
  };
  // the conditions are the site's function's: the callers further up have their own
  delete next.guards;
  const supplied: ParamField[] = [];
  // Which argument ranges now lie in another file: those the call supplies when the call is there.
  const elsewhere = new Set(facts.elsewhere ?? []);
  const placed = (key: keyof SiteFacts['argRanges']): void => { if (call.file) elsewhere.add(key); else elsewhere.delete(key); };
  /** The offset is the descriptor's file position where the call finds it (`at`, the place it shows), moved by `plus`. */
  const fromPosition = (position: DerivedNumber, plus: number | undefined, at: Range): void => {
    next.offset = plus ? added(position, plus) : position;
    next.argRanges.offset = at;
    placed('offset');
    delete next.constants.offset;
    supplied.push('offset');
    step.offsetFromDescriptor = true;
  };
  for (const [field, given] of Object.entries(params) as [ParamField, ParamRef][]) {
    if (given.part === 'expression') {
      // an expression of the function's parameters: its value with this call's arguments
      const passed = call.expressions?.[expressionKey(given)];
      const f = field as (typeof NUMBER_FIELDS)[number];
      if (!passed?.known || !(NUMBER_FIELDS as readonly string[]).includes(field)) continue;
      next[f] = reshaped(passed, given);
      next.argRanges[f] = call.range;
      placed(f);
      delete next.constants[f];
      supplied.push(field);
      continue;
    }
    if (given.part === 'position' && given.index < 0) {
      // a file-scope descriptor: where this call finds it
      const at = call.globalPositions?.[given.name];
      if (at?.known) fromPosition(at, given.plus, call.range);
      continue;
    }
    const arg = call.args[given.index];
    if (!arg) continue;
    // a cap that is another parameter: this call's argument for it, when known (else the value stays unknown)
    const ref = given.atMostParam === undefined ? given : withCap(given, call.args[given.atMostParam]?.number);
    if (!ref) continue;
    if (ref.part === 'position') {
      // the descriptor's position at the call, moved by what the function did before the site
      if (arg.position?.known) {
        fromPosition(arg.position, ref.plus, arg.range);
      } else if (arg.positionParam) {
        const up = arg.positionParam;
        const total = (up.plus ?? 0) + (ref.plus ?? 0);
        next.params![field] = { fn: up.fn, index: up.index, name: up.name, part: 'position', ...(total ? { plus: total } : {}) };
      }
      continue;
    }
    if (ref.part === 'iovec') {
      // the iovecs the caller set up: their segments, placed in the caller (in another file, at the call)
      const iov = arg.iovec;
      if (!iov) continue;
      if (field === 'length') {
        next.segments = iov.segments.map((seg) => ({ length: seg.length, buffer: seg.buffer, ...(seg.range && !call.file ? { range: seg.range } : {}) }));
        const places = next.segments.flatMap((seg) => (seg.range ? [seg.range] : []));
        if (places.length) step.places = places;
        next.length = iov.length;
        next.argRanges.length = (call.file ? undefined : iov.range) ?? arg.range;
        placed('length');
        delete next.constants.length;
        if (iov.length.known) supplied.push(field);
      } else if (field === 'buffer' && iov.buffer.state !== 'unknown') {
        next.buffer = iov.buffer;
        next.argRanges.buffer = arg.range;
        placed('buffer');
        supplied.push(field);
      }
      continue;
    }
    if (ref.part === 'pointee' && arg.pointeeParam && !arg.pointee?.known) {
      // `&soff` for an `off_t *` parameter: the caller's own parameter soff is what the site reads
      next.params![field] = { ...arg.pointeeParam, ...(ref.times !== undefined ? { times: ref.times } : {}) };
      continue;
    }
    if (arg.param) {
      // an expression of the caller's parameters stands for a number only
      if (arg.param.part === 'expression' && (ref.part || !(NUMBER_FIELDS as readonly string[]).includes(field))) continue;
      const times = (ref.times ?? 1) * (arg.param.times ?? 1);
      next.params![field] = {
        ...arg.param, ...(ref.part ? { part: ref.part } : {}), ...(times !== 1 ? { times } : {}), ...(ref.atMost !== undefined ? { atMost: ref.atMost } : {}),
        ...(ref.roundUpTo !== undefined ? { roundUpTo: ref.roundUpTo } : {}), ...(ref.plus !== undefined ? { plus: ref.plus } : {}),
      };
      // Flags the caller only passes on: its own callers' flags decide whether the descriptor is O_DIRECT.
      if (ref.part === 'flags') delete next[FD_FIELDS[field as keyof typeof FD_FIELDS]];
      continue;
    }
    if ((NUMBER_FIELDS as readonly string[]).includes(field)) {
      const f = field as (typeof NUMBER_FIELDS)[number];
      const passed = ref.part === 'size' ? arg.size : ref.part === 'pointee' ? arg.pointee : arg.number;
      // a number, or a known fraction or multiple of the runtime page size
      if (!passed?.known && passed?.pages === undefined) continue;
      // a capped, rounded or offset value is known only from a known number (a page multiple capped is not one)
      const reshapes = ref.atMost !== undefined || ref.roundUpTo !== undefined || ref.plus !== undefined;
      if (reshapes && !passed.known) continue;
      next[f] = reshaped(passed, ref);
      next.argRanges[f] = arg.range;
      placed(f);
      // A definition in another file is no place a fix of this file may edit; nor is a constant the site scales.
      if (arg.constant && !ref.part && !ref.times && !reshapes && !call.file) next.constants[f] = arg.constant; else delete next.constants[f];
      supplied.push(field);
    } else if (field === 'buffer') {
      if (!arg.buffer || arg.buffer.state === 'unknown') continue;
      next.buffer = arg.buffer as BufferOrigin;
      next.argRanges.buffer = arg.range;
      placed('buffer');
      supplied.push(field);
    } else {
      const key = FD_FIELDS[field as keyof typeof FD_FIELDS];
      const oDirect = ref.part === 'flags' ? arg.flagsODirect : arg.oDirect;
      if (!key || oDirect === undefined) continue;
      next[key] = oDirect;
      // copy_file_range's `fd` range is its source descriptor, where an O_DIRECT source is reported
      if (field === 'fd' || (field === 'srcFd' && facts.site.kind === 'copy_file_range')) { next.argRanges.fd = arg.range; placed('fd'); }
      supplied.push(field);
    }
  }
  // O_DIRECT cleared on a condition of a parameter: this call's argument decides
  const when = facts.bufferedWhen;
  if (when && when.param.fn === call.callee) {
    const arg = call.args[when.param.index];
    delete next.bufferedWhen;
    if (arg?.number?.known) {
      if (holds(arg.number.value, when.op, when.value)) next.fdODirect = false;
      else if (!params.fd) { next.fdODirect = true; supplied.push('fd'); }
    } else if (arg?.param && !arg.param.part && !arg.param.times) {
      next.bufferedWhen = { ...when, param: arg.param };
    }
  }
  if (elsewhere.size) next.elsewhere = [...elsewhere]; else delete next.elsewhere;
  if (!Object.keys(next.params!).length) delete next.params;
  if (!supplied.length && !next.params && !next.bufferedWhen && next.fdODirect !== false) return undefined;
  if (supplied.length) step.supplied = supplied;
  return { facts: next, resolved: supplied.length > 0 };
}

/** A caller's value as the site uses it: multiplied, rounded up, capped and offset as the reference says, in that order. */
function reshaped(passed: DerivedNumber, ref: ParamRef): DerivedNumber {
  const times = ref.times === undefined ? passed : scaled(passed, ref.times);
  const rounded = ref.roundUpTo === undefined ? times : roundedUp(times, ref.roundUpTo);
  const cap = ref.atMost === undefined ? rounded : capped(rounded, ref.atMost);
  return ref.plus === undefined ? cap : added(cap, ref.plus);
}

/** The key of a `part: 'expression'` reference in CallRecord.expressions. */
export function expressionKey(ref: Pick<ParamRef, 'at' | 'length'>): string {
  return `${ref.at ?? 0}:${ref.length ?? 0}`;
}

/** The reference with its parameter cap replaced by the call's known argument; undefined when the argument is not a known positive number. */
function withCap(ref: ParamRef, cap: DerivedNumber | undefined): ParamRef | undefined {
  if (!cap?.known || !Number.isSafeInteger(cap.value) || cap.value <= 0) return undefined;
  const { atMostParam: _, ...rest } = ref;
  return { ...rest, atMost: ref.atMost === undefined ? cap.value : Math.min(ref.atMost, cap.value) };
}

/** `value op bound`, for a comparison the analysed code makes. */
function holds(value: number, op: NonNullable<SiteFacts['bufferedWhen']>['op'], bound: number): boolean {
  switch (op) {
    case '<': return value < bound;
    case '<=': return value <= bound;
    case '>': return value > bound;
    case '>=': return value >= bound;
    case '==': return value === bound;
    default: return value !== bound;
  }
}

/** A caller's number as the site uses it: multiplied by the site's factor (`kb * 1024` with kb = 2 is 2048). */
function scaled(n: DerivedNumber, times: number): DerivedNumber {
  const text = `${n.text} * ${times}`;
  if (n.known) return { known: true, value: n.value * times, text };
  return n.pages === undefined ? { known: false, text } : { known: false, text, pages: n.pages * times };
}

/** A caller's known number rounded up as the site rounds it (`ROUND_TO_CACHE_BLOCK(n)` with n = 700 is 1024). */
function roundedUp(n: DerivedNumber, to: number): DerivedNumber {
  if (!n.known) return n;
  return { known: true, value: Math.ceil(n.value / to) * to, text: `${n.text} rounded up to ${to}` };
}

/** A caller's known number with the site's known addend (`start_ + blocks * 512`). */
function added(n: DerivedNumber, plus: number): DerivedNumber {
  if (!n.known) return n;
  return { known: true, value: n.value + plus, text: `${n.text} ${plus < 0 ? '-' : '+'} ${Math.abs(plus)}` };
}

/** A caller's known number capped as the site caps it (`MIN(len, 1 << 30)` with len = 512 is 512). */
function capped(n: DerivedNumber, atMost: number): DerivedNumber {
  if (!n.known || n.value <= atMost) return n;
  return { known: true, value: atMost, text: `${atMost} (at most, of ${n.text})` };
}

/**
 * The facts of every site that reads a parameter, as seen from each call that reaches it, outermost
 * call first in `via`. Facts whose parameters no call makes known are not returned.
 */
export function instantiate(facts: readonly SiteFacts[], calls: readonly CallRecord[],
  limits: { depth?: number; total?: number } = {}): SiteFacts[] {
  const maxDepth = limits.depth ?? MAX_CALL_DEPTH;
  let budget = limits.total ?? MAX_INSTANTIATIONS;
  const byCallee = new Map<string, CallRecord[]>();
  for (const c of calls) {
    let list = byCallee.get(c.callee);
    if (!list) byCallee.set(c.callee, (list = []));
    list.push(c);
  }
  const out: SiteFacts[] = [];
  let frontier = facts.filter((f) => (f.params && Object.keys(f.params).length) || f.bufferedWhen);
  for (let depth = 1; depth <= maxDepth && frontier.length && budget > 0; depth++) {
    const next: SiteFacts[] = [];
    for (const f of frontier) {
      const fns = new Set([...Object.values(f.params ?? {}).map((p) => p!.fn), ...(f.bufferedWhen ? [f.bufferedWhen.param.fn] : [])]);
      for (const fn of fns) {
        for (const call of byCallee.get(fn) ?? []) {
          if (budget <= 0) break;
          // recursion: a call made inside the function itself, or inside one already on the path, adds nothing new
          if (call.caller !== undefined && (call.caller === fn || f.via?.some((v) => v.callee === call.caller))) continue;
          const g = substitute(onlyParamsOf(f, fn), call);
          if (!g) continue;
          budget--;
          if (g.resolved) out.push(g.facts);
          if (g.facts.params || g.facts.bufferedWhen) next.push(g.facts);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** The facts with only the parameter references into one function (a site reads one function's parameters). */
function onlyParamsOf(f: SiteFacts, fn: string): SiteFacts {
  const params: SiteFacts['params'] = {};
  for (const [field, ref] of Object.entries(f.params ?? {}) as [ParamField, ParamRef][]) if (ref.fn === fn) params[field] = ref;
  return { ...f, params };
}

/**
 * Whether a rule's hit on instantiated facts is news: it is about a value that a call supplied (its
 * range lies in one of the calls of the path). A hit elsewhere is the site's own, reported already.
 * Only the calls in the analysed file count: another file's ranges are not comparable with its.
 */
export function hitFromCall(range: Range, via: readonly CallStep[] | undefined): boolean {
  // a loop's first pass supplies values inside the loop, where the site's own values are too
  return !!via?.some((v) => !v.file && !v.firstPass && (rangeWithin(range, v.range) || !!v.places?.some((p) => rangeWithin(range, p))));
}

/**
 * Can a hit on these facts be shown in the analysed file? Not when it lies on a range of another file:
 * the site's own values when the site is there, and the values a call there supplied.
 */
export function hitInThisFile(range: Range, f: SiteFacts): boolean {
  const same = (r: Range | undefined): boolean => !!r && r.start.line === range.start.line && r.start.column === range.start.column
    && r.end.line === range.end.line && r.end.column === range.end.column;
  const elsewhere = new Set(f.elsewhere ?? []);
  if (!f.file) return ![...elsewhere].some((k) => same(f.argRanges[k]));
  // A site in another file: only a value a call of this file supplied is placed here.
  return (Object.keys(f.argRanges) as (keyof SiteFacts['argRanges'])[]).some((k) => !elsewhere.has(k) && same(f.argRanges[k]));
}

/** True when `inner` lies within `outer`. */
export function rangeWithin(inner: Range, outer: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.column <= b.column);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/**
 * "runtest(), reaches read()": the path from the outermost call to the site, for messages. No line
 * numbers: a message must stay the same when code above it moves (SARIF fingerprints hash it); the
 * places are in the finding's related locations. A site in another file (`siteFile`) is also named by
 * that file's base name, so the message alone says where the I/O happens.
 */
export function describePath(via: readonly CallStep[], site: { callee: string }, siteFile?: string, brief = false): string {
  const steps = via.filter((v) => !v.firstPass);
  const named = steps.map((v) => (v.row ? describeRow(v.row) : `${functionLabel(v.callee)}()`));
  // In brief (where the whole path would crowd out the rule's own words): the first step alone, since
  // the rule's message names the call it reaches.
  if (brief) return `${named[0]}${named.length > 1 ? ' → …' : ''}`;
  const where = siteFile ? ` in ${siteFile.split(/[\\/]/).pop()}` : '';
  const pass = via.some((v) => v.firstPass) ? ' on the first pass of its loop' : '';
  return `${named.join(' → ')}, reaches ${siteLabel(site)}${where}${pass}`;
}

/**
 * A site as messages name it: `pwrite()`, or for a request filled in field by field, whose site is the
 * opcode's assignment (an io_uring SQE, a kernel or libaio iocb), `an IOCB_CMD_PWRITE request`.
 */
export function siteLabel(site: Pick<Site, 'callee'>): string {
  return /^(?:IORING_OP|IOCB_CMD|IO_CMD)_[A-Z_]+$/.test(site.callee) ? `an ${site.callee} request` : `${site.callee}()`;
}

/**
 * A function as messages name it. A C++ member function named like a C library call is known as
 * `.read` (only a call through an object reaches it); a reader sees `read()`.
 */
export function functionLabel(fn: string): string {
  return fn.startsWith('.') ? fn.slice(1) : fn;
}

/** `row "one byte" of tcases[]` (by its label, else by its 1-based position), for messages. */
export function describeRow(row: TableRow): string {
  const table = /^[A-Za-z_][\w.:]*$/.test(row.table) ? `${row.table}[]` : row.table.startsWith('@') ? row.table : 'the table';
  return `row ${row.label ?? row.index + 1} of ${table}`;
}

/** A number as a parameter's value, for the derived values shown in hovers. */
export function describeArgument(n: DerivedNumber | undefined): string | undefined {
  return n?.known ? `${n.value}` : undefined;
}
