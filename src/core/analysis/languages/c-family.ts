// C and C++ extractor. Finds copy_file_range / FICLONE* / O_DIRECT open / O_DIRECT I/O calls and
// derives lengths, offsets, buffer origins and descriptor flags with the CFamilyModel.
//
// Candidates come from a regex over the text (`name(`), then the syntax tree decides: the hit must
// be the callee identifier of a real call_expression. That rejects comments, strings, macro bodies
// (preproc_arg is opaque text), declarations/definitions (function_declarator, not a call), member
// calls (`obj.read(…)`: field_expression) and look-alike identifiers (the regex needs a word boundary
// and the node must span exactly the name).
import type { ExternalContext } from '../workspace';
import type { HeaderDefinitions, UnitPart } from '../workspace/c-headers';
import type { Node } from 'web-tree-sitter';
import { parseIfLoaded } from '../parse';
import { callElsewhere, detachOrigin, placeElsewhere } from './flow';
import type {
  ArgFact, BufferOrigin, CallRecord, ConstantDefinition, DerivedNumber, Language, ParamField, ParamRef, Range, SiteFacts, SiteKind, TableRow,
} from '../../types';
import { AnalysisStopped, tickBudget } from '../budget';
import { knownNumber, nodeRange, unknownNumber, walkTree } from './common';
import { expressionKey, rangeWithin } from '../interprocedural';
import {
  FULL_COPY_HELPER, MAX_CONSTRUCTIONS, SAME_ARGUMENT_WRAPPERS, accessKey, CFamilyModel, elementsKey, LOOP_TYPES, mentionsNegatedODirect, namedArgs, openFlagsArg, stripCasts, unwrapDeclarator, type Evaluated, type Scope,
} from './c-family-model';
import { planReuse, positionsOf, type CachedCandidate, type CFamilyReuseState, type ReuseInput } from './c-family-reuse';
import { rowReaches, TableWalks, type RowWalk } from './c-family-tables';
import { checkedBuffer, checkedOrigin, NOT_DIRECT, type CheckedBuffer } from './c-family-guards';
import { powerOfTwoAlignment } from '../values';
import type { Extraction, LanguageExtractor } from './extractor';

export const CANDIDATES = /\b(copy_file_range_fully|copy_file_range|syscall|ioctl|open|open64|openat|openat64|fcntl|fcntl64|read|write|pread|pwrite|pread64|pwrite64|preadv|pwritev|preadv2|pwritev2|preadv64|pwritev64|readv|writev|io_uring_prep_(?:read|write)(?:_fixed|v2?)?|io_prep_p(?:read|write)v?|SAFE_OPEN|SAFE_OPENAT|SAFE_FCNTL|SAFE_IOCTL|SAFE_P?(?:READ|WRITE)|tst_syscall)\s*\(/g;

/** Any file with a site contains one of these (an O_DIRECT I/O site needs an O_DIRECT open in the same file). */
export const C_FAMILY_PREFILTER = /copy_file_range|O_DIRECT|FICLONE|BTRFS_IOC_CLONE|0[xX]4004940|0[xX]4020940|_IOW\s*\(\s*0[xX]94|1074041865|1075876877/;

const FICLONE_VALUE = 0x40049409;
/** How many functions' calls one file's summaries look at (a helper called from everywhere is enough). */
const MAX_SUMMARY_FUNCTIONS = 64;
const FICLONERANGE_VALUE = 0x4020940d;
/** How many (site, row) evaluations one file may make: tables of cases cost at most this much. */
const MAX_ROW_EVALUATIONS = 2048;
const ERRNO_FALLBACKS = new Set(['EXDEV', 'EINVAL', 'EOPNOTSUPP', 'ENOTSUP', 'ENOSYS', 'EAGAIN', 'EWOULDBLOCK']);

/**
 * The argument positions of an I/O call: descriptor, buffer (or iovec array), length (or iovec count),
 * offset (absent: the file position). Asynchronous submissions (liburing's io_uring_prep_*, libaio's
 * io_prep_*) take the same buffer, length and offset rules as the synchronous calls: O_DIRECT is O_DIRECT.
 */
interface IoShape { direction: 'read' | 'write'; vectored: boolean; fdArg: number; bufArg: number; lenArg: number; offsetArg?: number; arity: number[] }
const sync = (direction: IoShape['direction'], vectored: boolean, arity: number, offsetArg?: number): IoShape =>
  ({ direction, vectored, fdArg: 0, bufArg: 1, lenArg: 2, offsetArg, arity: [arity] });
/** `io_uring_prep_read(sqe, fd, buf, n, off, …)`, `io_prep_pread(iocb, fd, buf, n, off)`. */
const submit = (direction: IoShape['direction'], vectored: boolean, arity: number): IoShape =>
  ({ direction, vectored, fdArg: 1, bufArg: 2, lenArg: 3, offsetArg: 4, arity: [arity] });
const IO_CALLS: Record<string, IoShape> = {
  read: sync('read', false, 3),
  write: sync('write', false, 3),
  pread: sync('read', false, 4, 3),
  pwrite: sync('write', false, 4, 3),
  pread64: sync('read', false, 4, 3),
  pwrite64: sync('write', false, 4, 3),
  readv: sync('read', true, 3),
  writev: sync('write', true, 3),
  preadv: sync('read', true, 4, 3),
  pwritev: sync('write', true, 4, 3),
  preadv64: sync('read', true, 4, 3),
  pwritev64: sync('write', true, 4, 3),
  preadv2: sync('read', true, 5, 3),
  pwritev2: sync('write', true, 5, 3),
  io_uring_prep_read: submit('read', false, 5),
  io_uring_prep_write: submit('write', false, 5),
  io_uring_prep_read_fixed: submit('read', false, 6),
  io_uring_prep_write_fixed: submit('write', false, 6),
  io_uring_prep_readv: submit('read', true, 5),
  io_uring_prep_writev: submit('write', true, 5),
  io_uring_prep_readv2: submit('read', true, 6),
  io_uring_prep_writev2: submit('write', true, 6),
  io_prep_pread: submit('read', false, 5),
  io_prep_pwrite: submit('write', false, 5),
  io_prep_preadv: submit('read', true, 5),
  io_prep_pwritev: submit('write', true, 5),
  // LTP's checked wrappers: SAFE_READ(exact, fd, buf, len), SAFE_PWRITE(mode, fd, buf, len, off)
  SAFE_READ: { direction: 'read', vectored: false, fdArg: 1, bufArg: 2, lenArg: 3, arity: [4] },
  SAFE_WRITE: { direction: 'write', vectored: false, fdArg: 1, bufArg: 2, lenArg: 3, arity: [4] },
  SAFE_PREAD: submit('read', false, 5),
  SAFE_PWRITE: submit('write', false, 5),
};

interface Candidate { call: Node; name: string; callee: string; args: Node[] }

/** io_uring operations a submission queue entry filled in by hand (`sqe->opcode = IORING_OP_READ`) can carry. */
const SQE_OPCODES: Record<string, { direction: 'read' | 'write'; vectored: boolean }> = {
  IORING_OP_READ: { direction: 'read', vectored: false }, IORING_OP_WRITE: { direction: 'write', vectored: false },
  IORING_OP_READ_FIXED: { direction: 'read', vectored: false }, IORING_OP_WRITE_FIXED: { direction: 'write', vectored: false },
  IORING_OP_READV: { direction: 'read', vectored: true }, IORING_OP_WRITEV: { direction: 'write', vectored: true },
};
const SQE_OPCODE_TEXT = /\bIORING_OP_(?:READ|WRITE)(?:V|_FIXED)?\b/g;
/**
 * Kernel AIO control blocks filled in by hand and submitted later (`cb->aio_lio_opcode = IOCB_CMD_PWRITE`,
 * then `aio_fildes`, `aio_buf`, `aio_nbytes`, `aio_offset`, submitted by the raw io_submit syscall); libaio's
 * own `struct iocb` spells the last three `u.c.buf`, `u.c.nbytes`, `u.c.offset` (`IO_CMD_PWRITE`).
 */
type IocbFields = readonly [fd: string, buf: string, len: string, off: string];
const KERNEL_IOCB: IocbFields = ['aio_fildes', 'aio_buf', 'aio_nbytes', 'aio_offset'];
const LIBAIO_IOCB: IocbFields = ['aio_fildes', 'u.c.buf', 'u.c.nbytes', 'u.c.offset'];
const IOCB_OPCODES: Record<string, { direction: 'read' | 'write'; vectored: boolean; fields: IocbFields }> = {
  IOCB_CMD_PREAD: { direction: 'read', vectored: false, fields: KERNEL_IOCB },
  IOCB_CMD_PWRITE: { direction: 'write', vectored: false, fields: KERNEL_IOCB },
  IOCB_CMD_PREADV: { direction: 'read', vectored: true, fields: KERNEL_IOCB },
  IOCB_CMD_PWRITEV: { direction: 'write', vectored: true, fields: KERNEL_IOCB },
  IO_CMD_PREAD: { direction: 'read', vectored: false, fields: LIBAIO_IOCB },
  IO_CMD_PWRITE: { direction: 'write', vectored: false, fields: LIBAIO_IOCB },
};
const IOCB_OPCODE_TEXT = /\b(?:IOCB_CMD_P(?:READ|WRITE)V?|IO_CMD_P(?:READ|WRITE))\b/g;
/** POSIX AIO submissions of one request (`lio_listio` of a list is not followed). */
const POSIX_AIO_TEXT = /\b(aio_(read|write)(?:64)?)\s*\(/g;

/**
 * A C++ accessor that returns one of these names (`int fd() const { return fd_; }`): a call of it on an
 * object (`disk_.fd()`, `this->fd()`) or in the class (`fd()`) reads that name. Read from the text, to
 * pick the I/O calls worth a look; the model decides each. Null when the file has none.
 */
function accessorsOf(text: string, names: string[]): RegExp | null {
  const wanted = names.filter((n) => /^[A-Za-z_]\w*$/.test(n)).slice(0, 32);
  if (!wanted.length) return null;
  const def = new RegExp(`\\b([A-Za-z_]\\w*)\\s*\\(\\s*\\)\\s*(?:const\\s*)?(?:noexcept\\s*)?\\{\\s*return\\s+(?:this\\s*->\\s*)?(?:${wanted.join('|')})\\s*;\\s*\\}`, 'g');
  const accessors = new Set<string>();
  for (let m = def.exec(text); m && accessors.size < 32; m = def.exec(text)) accessors.add(m[1]!);
  return accessors.size ? new RegExp(`(?:^|\\.|->)\\s*(?:${[...accessors].join('|')})\\s*\\(\\s*\\)\\s*$`) : null;
}

function toDerived(e: Evaluated | undefined, fallbackText: string): DerivedNumber {
  return e ? knownNumber(e.value, e.text) : unknownNumber(fallbackText.replace(/\s+/g, ' ').trim());
}

/** An unknown number that the model still knows as a fraction or multiple of the runtime page size. */
function inPages(d: DerivedNumber, pages: number | undefined): DerivedNumber {
  return d.known || pages === undefined ? d : { ...d, pages };
}

/** The call whose callee is exactly this identifier (`name(…)` or `::name(…)`), else null. */
function callOf(ident: Node): { call: Node; callee: string } | null {
  const p = ident.parent;
  if (!p) return null;
  if (p.type === 'call_expression' && p.childForFieldName('function')?.id === ident.id) return { call: p, callee: ident.text };
  if (p.type === 'qualified_identifier' && !p.childForFieldName('scope') && p.childForFieldName('name')?.id === ident.id) {
    const g = p.parent;
    if (g?.type === 'call_expression' && g.childForFieldName('function')?.id === p.id) return { call: g, callee: p.text };
  }
  return null;
}

class CFamilyExtraction {
  private readonly model: CFamilyModel;
  private readonly facts: SiteFacts[] = [];
  /** Text extents of the functions that contain an O_DIRECT open or fcntl(F_SETFL). */
  private readonly odirectExtents: [number, number][] = [];
  private readonly pendingPlainTargets: { key: string; call: Node }[] = [];
  /** Plain opens stored in a bare name, seen only in the text pass (resolved if the name turns out to matter). */
  private readonly pendingTextTargets: { name: string; index: number }[] = [];
  private readonly tables: TableWalks;
  private rowEvaluations = 0;
  /** While a site is evaluated for one row: the row items each of its values read (see track). */
  private supplied: Partial<Record<ParamField, Node[]>> | undefined;

  constructor(private readonly root: Node, text: string, private readonly language: Language, private readonly external?: ExternalContext) {
    this.model = new CFamilyModel(root, text, { cpp: language === 'cpp', headers: external?.value as HeaderDefinitions | undefined });
    this.tables = new TableWalks(this.model);
  }

  /**
   * Extracts the file's sites. With `reuse`, it also returns a state for the next version of the file
   * (unless the extraction was order-sensitive, see CFamilyModel.orderSensitive); with `reuse.previous`
   * (the state of the version before an edit), calls whose cached facts provably still hold are not
   * evaluated again. Without `reuse` (a workspace scan) nothing is recorded.
   */
  run(text: string, reuse?: { previous?: ReuseInput }): Extraction & { state?: CFamilyReuseState } {
    const previous = reuse?.previous;
    // 1. Text only: every `name(` hit, with a cheap look at its arguments. Most read/write/open calls
    //    of an ordinary file are dropped here without touching the syntax tree.
    // A header's macro may spell O_DIRECT for the file (`#define DIO_FLAGS (O_RDWR | O_DIRECT)`).
    const hasODirectText = /O_DIRECT/.test(text) || this.external?.mentionsSites === true;
    const opens: TextHit[] = [];
    const ios: TextHit[] = [];
    const others: TextHit[] = [];
    for (const found of textHits(text, CANDIDATES)) {
      const hit: TextHit = { ...found, name: SAME_ARGUMENT_WRAPPERS[found.name] ?? found.name, written: found.name };
      if (hit.name === 'copy_file_range' || hit.name === 'syscall' || hit.name === 'ioctl') others.push(hit);
      else if (!hasODirectText) continue;  // no O_DIRECT in the file: no O_DIRECT open, no O_DIRECT I/O
      else if (hit.name in IO_CALLS) ios.push(hit);
      else if (mayBeODirectOpen(hit)) opens.push(hit);
      else this.plainOpenTarget(text, hit);
    }
    // 2. Opens and fcntl(F_SETFL) first: they tell which functions, globals and fields hold O_DIRECT descriptors.
    for (const c of this.resolve(opens)) this.guard(() => this.openOrFcntl(c));
    this.guard(() => this.setterArgumentTargets(text));
    this.guard(() => this.settlePendingTargets());
    this.guard(() => this.addCallerExtents(text));
    this.guard(() => this.addHelperExtents(text));
    if (this.language === 'cpp') {
      // after the helpers: a construction in one passes the descriptor its callers give it
      const before = this.odirectExtents.length;
      this.guard(() => this.constructedMembers(text));
      if (this.odirectExtents.length > before) this.guard(() => this.addHelperExtents(text));
    }
    // after the helpers: a helper handed the descriptor may be the one that stores it (`file->fd = fd;`)
    this.guard(() => this.storedDescriptors(text));
    // 3. O_DIRECT I/O only where such a descriptor can be: in a function with an O_DIRECT open, or on a
    //    global/member/field that some function opened with O_DIRECT.
    const targets = [...this.model.fileFdTargets].filter(([, v]) => v).map(([k]) => (k.startsWith('.') ? k.slice(1) : k));
    const targetRe = targets.length ? new RegExp(`\\b(?:${targets.map((n) => n.replace(/\W/g, '')).join('|')})\\b`) : null;
    // A table whose rows name an O_DIRECT descriptor (`{ &fd_direct, … }`) can hand it to I/O that reads a row's field.
    const rowFds = targetRe !== null && rowsNameTargets(text, targetRe);
    const accessorRe = this.language === 'cpp' && targetRe !== null ? accessorsOf(text, targets) : null;
    const relevantIo = ios.filter((h) => this.odirectExtents.some(([s, e]) => h.index >= s && h.index < e)
      || (targetRe !== null && targetRe.test(h.args?.[IO_CALLS[h.name]!.fdArg] ?? text.slice(h.index, h.index + 200)))
      || (accessorRe !== null && accessorRe.test(h.args?.[IO_CALLS[h.name]!.fdArg] ?? ''))
      || (rowFds && /->|\.|\[|^\s*\*/.test(h.args?.[IO_CALLS[h.name]!.fdArg] ?? '')));
    const candidates = [...others, ...relevantIo];
    if (hasODirectText) for (const m of text.matchAll(SQE_OPCODE_TEXT)) this.guard(() => this.sqe(m.index!, m[0]));
    if (hasODirectText) for (const m of text.matchAll(IOCB_OPCODE_TEXT)) this.guard(() => this.filledIocb(m.index!, m[0]));
    if (hasODirectText) for (const m of text.matchAll(POSIX_AIO_TEXT)) this.guard(() => this.posixAio(m.index!, m[1]!, m[2] === 'read' ? 'read' : 'write'));
    const targetsKey = [...this.model.fileFdTargets].map(([k, v]) => `${k}=${v}`).sort().join(',');
    // A function of the file under a library call's name makes its calls a helper's (resolve): one that
    // an edit renames, or names so, must not leave the other calls' cached answers in place.
    for (const name of new Set([...opens, ...ios, ...others].map((h) => h.written ?? h.name))) {
      if (name !== FULL_COPY_HELPER && this.model.functionDefinition(name)) this.model.helperNames.add(name);
    }
    const helperNames = [...this.model.helperNames].sort();
    const plan = previous ? planReuse(previous, {
      root: this.root, text, language: this.language, candidates, targetsKey, helperNames,
      isFileScopeVariable: (name) => this.model.isFileScopeVariable(name),
    }) : undefined;
    const cached: CachedCandidate[] = [];
    candidates.forEach((hit, i) => {
      this.guard(tickBudget);   // a stop here keeps the sites found so far
      const reused = plan?.[i];
      if (reused) {
        this.facts.push(...reused.facts);
        cached.push(reused);
        return;
      }
      const entry: CachedCandidate = { name: hit.name, index: hit.index, facts: [], positions: [], callerFlow: false, textReads: [] };
      const before = this.facts.length;
      this.model.dependencies = reuse ? entry : undefined;
      try {
        for (const c of this.resolve([hit])) {
          this.guard(() => {
            if (c.name === 'copy_file_range') this.withRows(c, text, () => this.copyFileRange(c, 0));
            else if (c.name === 'syscall') this.withRows(c, text, () => this.copyFileRangeSyscall(c));
            else if (c.name === 'ioctl') this.ioctl(c);
            else if (c.name in IO_CALLS) this.withRows(c, text, (force) => this.io(c, IO_CALLS[c.name]!, force));
          });
        }
      } finally {
        this.model.dependencies = undefined;
      }
      if (!reuse) return;
      entry.facts = this.facts.slice(before);
      entry.positions = positionsOf(entry.facts);
      cached.push(entry);
    });
    // A partial extraction that met a recursion guard or depth cap may differ from a full one: redo it in full.
    if (plan && this.model.orderSensitive) return new CFamilyExtraction(this.root, text, this.language, this.external).run(text, {});
    this.sortedFacts();
    const state: CFamilyReuseState | undefined = !reuse || this.model.orderSensitive || this.model.readsOtherFunctions ? undefined
      : { language: this.language, text, targetsKey, helperNames, candidates: cached };
    let calls: CallRecord[] = [];
    this.guard(() => { calls = this.collectCalls(); });
    return { facts: this.facts, state, calls };
  }

  private sortedFacts(): SiteFacts[] {
    return this.facts.sort((a, b) => a.site.range.start.line - b.site.range.start.line || a.site.range.start.column - b.site.range.start.column);
  }

  /**
   * A descriptor opened with O_DIRECT and then stored in a struct field or a global (`w[i].fd = fd;`
   * before the struct goes to a thread or a helper): the field's name holds an O_DIRECT descriptor for
   * the other functions of the file, as when the open itself is stored there. Only the functions that
   * hold such a descriptor are read, from the text: `name = ident;` statements.
   */
  private storedDescriptors(text: string): void {
    const store = /([A-Za-z_][\w\]\[]*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)+|\b[A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*;/g;
    for (const [s, e] of this.odirectExtents.slice(0, 64)) {
      const body = text.slice(s, e);
      store.lastIndex = 0;
      for (let m = store.exec(body); m; m = store.exec(body)) {
        tickBudget();
        const at = s + m.index + m[0].indexOf(m[2]!, m[1]!.length);
        const right = this.root.descendantForIndex(at, at + m[2]!.length);
        const assign = right?.parent;
        if (right?.type !== 'identifier' || assign?.type !== 'assignment_expression' || assign.childForFieldName('right')?.id !== right.id
          || assign.childForFieldName('operator')?.text !== '=') continue;
        const left = assign.childForFieldName('left');
        // a field counts by its name, whatever the base (`w[i].fd`: an index accessKey cannot follow)
        const field = left?.type === 'field_expression' && left.childForFieldName('argument')?.type !== 'this'
          ? left.childForFieldName('field')?.text : undefined;
        const key = field !== undefined ? `.${field}` : left ? accessKey(left) : undefined;
        if (key === undefined) continue;
        const scope = this.model.scopeFor(assign);
        const fileKey = key.includes('.') ? key.slice(key.lastIndexOf('.')) : key;
        if (!key.includes('.') && (this.isLocal(key, assign) || this.model.fileFdTargets.has(fileKey))) continue;
        if (this.model.isODirectFd(right, scope, assign)) this.mergeTarget(fileKey, true);
      }
    }
  }

  /**
   * A struct field or global handed to an O_DIRECT setter of this file (`directio_on(of->fd)`, where
   * the helper does fcntl(F_SETFL) with O_DIRECT on its parameter) holds a descriptor that may carry
   * O_DIRECT for the other functions of the file, as when the open itself is stored there, even when a
   * plain open is stored there too (the switch comes after it).
   */
  private setterArgumentTargets(text: string): void {
    const setters = this.model.oDirectSetters;
    if (!setters.size) return;
    const re = new RegExp(`\\b(${[...setters.keys()].map((k) => k.replace(/\W/g, '')).join('|')})\\s*\\(`, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      tickBudget();
      const ident = this.root.descendantForIndex(m.index, m.index + m[1]!.length);
      const call = ident?.parent;
      if (ident?.type !== 'identifier' || call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== ident.id) continue;
      const args = namedArgs(call.childForFieldName('arguments'));
      for (const index of setters.get(m[1]!) ?? []) {
        const arg = args[index];
        const key = arg ? accessKey(stripCasts(arg)) : undefined;
        if (key === undefined) continue;
        // the switch comes after the open: a plain open stored in the same name does not undo it
        if (key.includes('.')) this.model.fileFdTargets.set(key.slice(key.lastIndexOf('.')), true);
        else if (!this.isLocal(key, call)) this.model.fileFdTargets.set(key, true);
      }
    }
  }

  /**
   * C++ members a constructor sets from its parameter, in its member-initializer list (`File(int fd) :
   * fd_(fd) {}`) or by an assignment at the top of its body (`fd_ = fd;`): the member holds an O_DIRECT
   * descriptor for the other functions of the file when every construction of the class in this file
   * (`new File(fd)`, `std::make_unique<File>(fd)`, `File f(fd);`, `ns::File f(fd);`) passes one for that
   * parameter. A construction that passes a plain or an unknown descriptor leaves the member unknown.
   */
  private constructedMembers(text: string): void {
    const ctors = this.model.constructorDefinitions();
    const verdicts = new Map<string, boolean>();
    for (const { cls, fn } of ctors) {
      tickBudget();
      const decl = fn.childForFieldName('declarator');
      const params = namedArgs((decl?.type === 'function_declarator' ? decl : null)?.childForFieldName('parameters') ?? null)
        .filter((p) => p.type === 'parameter_declaration' || p.type === 'optional_parameter_declaration');
      const required = params.filter((p) => p.type === 'parameter_declaration').length;
      // Another constructor that takes as many arguments: a construction's arguments could be either's.
      const overlaps = ctors.some((o) => o.cls === cls && o.fn.id !== fn.id && this.arityRange(o.fn).some((n) => n >= required && n <= params.length));
      if (overlaps) continue;
      const members = this.membersFromParams(fn, params);
      if (!members.size) continue;
      // `fd` for the class's own functions; `.fd` for code that reads it through an object (`handle.fd`,
      // `h->fd`), which, like any struct field, is known by its name only
      const wanted = [...members].filter(([member]) => !this.model.fileFdTargets.has(member) || !this.model.fileFdTargets.has(`.${member}`));
      if (!wanted.length) continue;
      const all = this.model.constructions(cls);
      // past the cap, a construction not read could pass anything
      if (all.length >= MAX_CONSTRUCTIONS) continue;
      const built = all.filter((args) => args.length >= required && args.length <= params.length);
      if (!built.length) continue;
      for (const [member, index] of wanted) {
        const odirect = built.every((args) => !!args[index] && this.constructorArgIsODirect(args[index]!));
        verdicts.set(member, (verdicts.get(member) ?? true) && odirect);
      }
    }
    // after every class: another class that keeps a descriptor not known to be O_DIRECT in a member of the
    // same name makes the name unreliable, in member functions (`fd`) and through objects (`x.fd`)
    for (const [member, odirect] of verdicts) {
      const key = `.${member}`;
      if (!odirect) {
        if (this.model.fileFdTargets.get(key) === true) this.model.fileFdTargets.set(key, false);
        continue;
      }
      if (!this.model.fileFdTargets.has(member)) this.mergeTarget(member, true);  // else decided by the opens stored in it
      this.mergeTarget(key, true);
      this.memberUserExtents(text, member);
    }
  }

  /**
   * The member functions that read a member holding an O_DIRECT descriptor: like the functions with an
   * O_DIRECT open, their helpers may get it as an argument (`readblock(ides_, …)`), see addHelperExtents.
   */
  private memberUserExtents(text: string, member: string): void {
    const seen = new Set<number>(this.odirectExtents.map(([s]) => s));
    const re = new RegExp(`\\b${member}\\b`, 'g');
    for (let m = re.exec(text); m && seen.size < 64; m = re.exec(text)) {
      tickBudget();
      const node = this.root.descendantForIndex(m.index, m.index + member.length);
      const root = node ? this.model.scopeRootOf(node) : undefined;
      if (root?.type !== 'function_definition' || seen.has(root.startIndex)) continue;
      seen.add(root.startIndex);
      this.odirectExtents.push([root.startIndex, root.endIndex]);
    }
  }

  /** How many arguments a constructor takes: from its required parameters to all of them. */
  private arityRange(fn: Node): number[] {
    const decl = fn.childForFieldName('declarator');
    const params = namedArgs((decl?.type === 'function_declarator' ? decl : null)?.childForFieldName('parameters') ?? null);
    const all = params.filter((p) => p.type === 'parameter_declaration' || p.type === 'optional_parameter_declaration').length;
    const required = params.filter((p) => p.type === 'parameter_declaration').length;
    return Array.from({ length: all - required + 1 }, (_, i) => required + i);
  }

  /**
   * The members a constructor sets to one of its parameters, with that parameter's index: `fd_(fd)` or
   * `fd_{fd}` in its initializer list, `fd_ = fd;` or `this->fd_ = fd;` as a statement of its body (not
   * under a condition). A name declared in the body is a local, not a member.
   */
  private membersFromParams(fn: Node, params: Node[]): Map<string, number> {
    const out = new Map<string, number>();
    const indexOf = (arg: Node | null | undefined): number => {
      const a = arg ? stripCasts(arg) : undefined;
      return a?.type === 'identifier' ? params.findIndex((p) => unwrapDeclarator(p.childForFieldName('declarator')).name?.text === a.text) : -1;
    };
    const list = fn.namedChildren.find((c) => c.type === 'field_initializer_list');
    for (const init of list?.namedChildren ?? []) {
      const member = init.namedChild(0);
      const args = namedArgs(init.namedChildren.find((c) => c.type === 'argument_list' || c.type === 'initializer_list') ?? null);
      if (init.type !== 'field_initializer' || member?.type !== 'field_identifier' || args.length !== 1) continue;
      const index = indexOf(args[0]);
      if (index >= 0) out.set(member.text, index);
    }
    for (const [name, sets] of this.model.memberAssignmentsInBody(fn)) {
      const index = indexOf(sets[0]!.right);
      if (index >= 0 && !out.has(name)) out.set(name, index);
    }
    return out;
  }


  /**
   * Is a constructor argument an O_DIRECT descriptor? A bare name of a vexing-parse declaration (`fd`
   * in `File f(fd);`, a type_identifier there) is read as the variable it names, at that declaration.
   */
  private constructorArgIsODirect(arg: Node): boolean {
    const scope = this.model.scopeFor(arg);
    if (arg.type !== 'type_identifier') return this.model.isODirectFd(arg, scope, arg);
    const v = this.model.lookupVar(arg.text, scope);
    const ident = v ? unwrapDeclarator(v.declarator).name : undefined;
    return !!ident && this.model.isODirectFd(ident, scope, arg);
  }

  /**
   * Functions of this file that call a function with an O_DIRECT open or fcntl(F_SETFL): it may return
   * the descriptor (`fd = open_journal(path)`) or switch O_DIRECT on for the caller's (`set_nocache(fd)`),
   * so their I/O calls are candidates too; the model decides per descriptor. Two levels of callers.
   */
  private addCallerExtents(text: string): void {
    const seen = new Set<number>(this.odirectExtents.map(([s]) => s));
    let frontier = this.odirectExtents.slice();
    for (let round = 0; round < 2 && frontier.length; round++) {
      const names = new Set<string>();
      for (const [s] of frontier) {
        const name = this.model.functionNameAt(s);
        if (name && this.model.functionDefinition(name)?.startIndex === s) names.add(name);
      }
      if (!names.size) break;
      // One pass over the text for all the names: a look per name would make a file of many such
      // functions quadratic.
      const next: [number, number][] = [];
      const re = /\b([A-Za-z_]\w*)\s*\(/g;
      for (let m = re.exec(text); m && next.length < 256; m = re.exec(text)) {
        if (!names.has(m[1]!)) continue;
        tickBudget();
        const ident = this.root.descendantForIndex(m.index, m.index + m[1]!.length);
        const call = ident?.parent;
        if (ident?.type !== 'identifier' || call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== ident.id) continue;
        const root = this.model.scopeRootOf(call);
        if (root.type !== 'function_definition' || seen.has(root.startIndex)) continue;
        seen.add(root.startIndex);
        next.push([root.startIndex, root.endIndex]);
      }
      this.odirectExtents.push(...next);
      frontier = next;
    }
  }

  /**
   * Functions of this file called from a function with an O_DIRECT descriptor, with that descriptor as
   * an argument: their I/O calls are candidates too (the model then checks every caller). Two levels.
   */
  private addHelperExtents(text: string): void {
    const seen = new Set<string>();
    for (let round = 0; round < 2; round++) {
      const before = this.odirectExtents.length;
      for (const [s, e] of this.odirectExtents.slice()) {
        const re = /\b([A-Za-z_]\w*)\s*\(/g;
        // From the body on: the function's own name is not a call.
        const open = text.indexOf('{', s);
        const body = text.slice(open >= 0 && open < e ? open : s, e);
        let m: RegExpExecArray | null;
        while ((m = re.exec(body)) !== null) {
          const name = m[1]!;
          // through a function-pointer field (`e->issue(…)`): the functions of the file it may hold
          const viaField = /(?:->|\.)\s*$/.test(body.slice(Math.max(0, m.index - 4), m.index)) && !seen.has(`.${name}`)
            ? this.model.functionFields().get(name) ?? [] : [];
          if (viaField.length) seen.add(`.${name}`);
          for (const held of viaField) this.addHelperExtent(held, s, e);
          if (seen.has(name) || NOT_HELPERS.has(name)) continue;
          seen.add(name);
          this.addHelperExtent(name, s, e);
        }
      }
      if (this.odirectExtents.length === before) break;
    }
  }

  /** A function of the file that the function at [s, e) calls: its I/O may get the caller's O_DIRECT descriptor. */
  private addHelperExtent(name: string, s: number, e: number): void {
    const fn = this.model.functionDefinition(name);
    if (!fn || (fn.startIndex === s && fn.endIndex === e)) return;
    this.model.helperNames.add(name);
    // a second pass (after constructedMembers) meets the helpers of the first again
    if (!this.odirectExtents.some(([x]) => x === fn.startIndex)) this.odirectExtents.push([fn.startIndex, fn.endIndex]);
  }

  /**
   * An open without O_DIRECT that was dropped by the text pass still matters when it stores into a
   * struct field or a global that another function opens with O_DIRECT: then that name is not
   * reliably O_DIRECT. The target is read from the text just before the call (`s->fd = open(…)`).
   */
  private plainOpenTarget(text: string, hit: TextHit): void {
    if (!hit.name.startsWith('open')) return;
    const before = text.slice(Math.max(0, hit.index - 160), hit.index);
    const m = /([A-Za-z_][\w\]\[]*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)\s*=\s*(?:\([^()]*\)\s*)?(?:::\s*)?$/.exec(before);
    if (!m) return;
    const target = m[1]!.replace(/\s+/g, '');
    const field = /(?:->|\.)([A-Za-z_]\w*)$/.exec(target);
    if (field) { this.mergeTarget(`.${field[1]}`, false); return; }
    const name = target.replace(/^this->/, '');
    this.pendingTextTargets.push({ name, index: hit.index });
    // an element of a table of descriptors (`files[0] = open(…)`): the table's elements are not all O_DIRECT
    const element = /^([A-Za-z_]\w*)\[[^\]]*\]$/.exec(name);
    if (element) this.pendingTextTargets.push({ name: `${element[1]}[]`, index: hit.index });
  }

  /** Text hits → real calls: the hit must be the callee identifier of a call_expression. */
  private resolve(hits: TextHit[]): Candidate[] {
    const out: Candidate[] = [];
    for (const hit of hits) {
      this.guard(() => {
        const length = (hit.written ?? hit.name).length;
        const node = this.root.descendantForIndex(hit.index, hit.index + length);
        if (!node || node.type !== 'identifier' || node.startIndex !== hit.index || node.endIndex !== hit.index + length) return;
        const c = callOf(node);
        // The file's own function of that name (`static loff_t copy_file_range(…)` around syscall()): its
        // calls are a helper's, the library call inside it is the site.
        // (The full-copy helper a quick fix adds is defined in the file and stays the site it stands for.)
        if (c && node.text !== FULL_COPY_HELPER && c.call.childForFieldName('function')?.id === node.id && this.model.functionDefinition(node.text)) return;
        if (c) out.push({ call: c.call, name: hit.name, callee: c.callee, args: namedArgs(c.call.childForFieldName('arguments')) });
      });
    }
    return out;
  }

  /** One odd construct must not cost the whole file its other sites. */
  private guard(fn: () => void): void {
    try { fn(); } catch (e) {
      if (e instanceof AnalysisStopped) throw e.withPartial(this.sortedFacts());
      // Skip this candidate. A throw (a stack overflow, say) can leave memoized values that depend on evaluation order.
      this.model.orderSensitive = true;
    }
  }

  private site(c: Candidate, kind: SiteKind): SiteFacts['site'] {
    return { kind, language: this.language, callee: c.callee, range: nodeRange(c.call) };
  }

  // ------------------------------------------------------------------ tables of cases

  /**
   * Evaluates a site, then once for each row of each table of cases that its function walks around
   * it: what a row supplies (a field read through `tc->count`, `*tc->fd`…) is judged as that row's,
   * like an argument a call passes, and a finding about it goes on the row. `force`: record the site
   * even when its own descriptor is not known to be O_DIRECT (the rows may make it so).
   */
  private withRows(c: Candidate, text: string, evaluate: (force: boolean) => void): void {
    const before = this.facts.length;
    evaluate(false);
    const own = this.facts.length > before;
    const walks = this.tables.walksAt(c.call);
    if (!walks.length) return;
    // the rows, the loops and the callers that walk them may lie anywhere in the file
    this.model.dependencies?.textReads.push(0, text.length);
    const rowFacts: SiteFacts[] = [];
    for (const w of walks) {
      let stopped = false;
      for (const row of w.rows) {
        if (this.rowEvaluations >= MAX_ROW_EVALUATIONS || stopped) break;
        this.rowEvaluations++;
        tickBudget();
        this.model.row = { ...w.binding, row };
        this.model.rowTouches.length = 0;
        this.supplied = {};
        const mark = this.facts.length;
        try {
          const reaches = rowReaches(this.model, c.call, w.within, !!w.loop);
          stopped = reaches === 'stop';
          if (reaches !== true) continue;
          evaluate(true);
          for (const f of this.facts.splice(mark)) {
            const g = this.rowFact(f, w, row);
            if (g) rowFacts.push(g);
          }
        } finally {
          this.facts.length = Math.min(this.facts.length, mark);
          this.model.row = undefined;
          this.model.rowTouches.length = 0;
          this.supplied = undefined;
        }
      }
    }
    if (!rowFacts.length) return;
    if (!own) evaluate(true);   // the site itself: O_DIRECT through its rows
    this.facts.push(...rowFacts);
  }

  /** Records which row items the evaluation of one of the site's values read. */
  private track<T>(field: ParamField, fn: () => T): T {
    if (!this.supplied) return fn();
    const before = this.model.rowTouches.length;
    const r = fn();
    if (this.model.rowTouches.length > before) (this.supplied[field] ??= []).push(...this.model.rowTouches.slice(before));
    return r;
  }

  /**
   * A site's facts for one row, as seen from that row: the values the row made known point at the row
   * (the one item they came from, else the whole row), and the row is the first step of the path.
   * Undefined when the row supplied nothing known, or left an I/O's descriptor not known to be O_DIRECT.
   */
  private rowFact(f: SiteFacts, w: RowWalk, row: number): SiteFacts | undefined {
    if (f.site.kind === 'o_direct_io' && f.fdODirect !== true) return undefined;
    const rowNode = w.binding.table.rows[row]!;
    const rowRange = nodeRange(rowNode);
    const argRanges = { ...f.argRanges };
    const constants = { ...f.constants };
    const literals = f.literals ? { ...f.literals } : undefined;
    const supplied: ParamField[] = [];
    for (const [field, nodes] of Object.entries(this.supplied ?? {}) as [ParamField, Node[]][]) {
      if (!suppliedKnown(f, field)) continue;
      supplied.push(field);
      const ids = new Set(nodes.map((n) => n.id));
      const at = ids.size === 1 ? nodeRange(nodes[0]!) : rowRange;
      const key = field === 'srcFd' ? 'fd' : field === 'dstFd' ? undefined : field;
      if (!key) continue;
      argRanges[key] = at;
      if (key !== 'fd' && key !== 'buffer') {
        // a constant or literal the site's own code holds is not where the row's value is written
        const c = constants[key];
        if (c && !rangeWithin(c.range, rowRange)) delete constants[key];
        if (literals) delete literals[key];
      }
    }
    if (!supplied.length) return undefined;
    const label = namedArgs(rowNode).find((i) => i.type === 'string_literal' || i.type === 'concatenated_string')?.text;
    const rowInfo: TableRow = { table: w.binding.table.name, index: row, ...(label && label.length <= 60 ? { label } : {}) };
    return {
      ...f, argRanges, constants, ...(literals ? { literals } : {}),
      via: [{ callee: w.binding.table.name, range: rowRange, supplied, row: rowInfo }],
    };
  }

  // ------------------------------------------------------------------ open / fcntl(F_SETFL)

  private openOrFcntl(c: Candidate): void {
    let flags: Node | undefined;
    let fdArg: Node | undefined;
    if (c.name === 'fcntl' || c.name === 'fcntl64') {
      if (c.args.length !== 3 || c.args[1]!.text.trim() !== 'F_SETFL') return;
      flags = c.args[2];
      fdArg = c.args[0];
    } else {
      flags = openFlagsArg(c.name, c.args);
    }
    if (!flags) return;
    // Flags spelled with standard O_* constants only are decided without building the function's tables.
    const odirect = plainFlagsHaveODirect(flags.text) ?? this.atSite(c.call, () => this.model.hasODirect(flags!, this.model.scopeFor(c.call), c.call, 0)).result;
    this.recordFileTarget(c.call, fdArg, odirect);
    if (!odirect) {
      if (fdArg && mentionsNegatedODirect(flags)) this.model.noteODirectClearer(fdArg, this.model.scopeFor(c.call));
      return;
    }
    if (fdArg) this.model.noteODirectSetter(fdArg, this.model.scopeFor(c.call));
    const root = this.model.scopeRootOf(c.call);
    this.odirectExtents.push([root.startIndex, root.endIndex]);
    this.facts.push({
      site: this.site(c, 'o_direct_open'),
      fdODirect: true,
      argRanges: { flags: nodeRange(flags), ...(fdArg ? { fd: nodeRange(fdArg) } : {}) },
      constants: {},
    });
  }

  /**
   * Globals, C++ members and struct fields that receive a descriptor: usable from other functions.
   * A struct field counts by its name (`.fd`); a name is O_DIRECT only if every open stored in it is.
   */
  private recordFileTarget(call: Node, fdArg: Node | undefined, odirect: boolean): void {
    let key: string | undefined;
    if (fdArg) {
      if (!odirect) return;  // fcntl without O_DIRECT says nothing about how the descriptor was opened
      key = accessKey(fdArg);
    } else {
      const p = call.parent;
      if (p?.type === 'assignment_expression' && p.childForFieldName('operator')?.text === '=' && p.childForFieldName('right')?.id === call.id) {
        const left = p.childForFieldName('left');
        key = left ? accessKey(left) ?? elementsKey(left) : undefined;
      } else if (p?.type === 'init_declarator' && p.childForFieldName('value')?.id === call.id) {
        if (this.model.scopeRootOf(call).type === 'function_definition') return;  // a local declaration
        key = unwrapDeclarator(p).name?.text;
      } else if (p?.type === 'argument_list' && p.parent?.type === 'field_initializer') {
        // C++ constructor: `S(const char *p) : fd_(::open(p, O_RDWR | O_DIRECT)) {}` — a member.
        const member = p.parent.namedChild(0);
        if (member?.type === 'field_identifier') { this.mergeTarget(member.text, odirect); return; }
      }
    }
    if (key === undefined) return;
    if (key.includes('.')) { this.mergeTarget(key.slice(key.lastIndexOf('.')), odirect); return; }
    // `files[0] = open(…)`: one element of the table that `files[i]` reads too
    const element = /^([A-Za-z_]\w*)\[\d+\]$/.exec(key);
    for (const k of element ? [key, `${element[1]}[]`] : [key]) {
      if (!odirect) { this.pendingPlainTargets.push({ key: k, call }); continue; }  // decided later, if it matters
      if (!this.isLocal(k, call)) this.mergeTarget(k, true);
    }
  }

  private isLocal(key: string, at: Node): boolean {
    const root = this.model.scopeRootOf(at);
    // `files[]`: the elements of the array `files`
    return root.type === 'function_definition' && this.model.scopeFor(at).vars.has(key.replace(/\[\d*\]$/, ''));
  }

  private mergeTarget(fileKey: string, odirect: boolean): void {
    const prev = this.model.fileFdTargets.get(fileKey);
    this.model.fileFdTargets.set(fileKey, prev === undefined ? odirect : prev && odirect);
  }

  /** A plain open stored in a name another function opened with O_DIRECT: then the name is not reliably O_DIRECT. */
  private settlePendingTargets(): void {
    for (const { key, call } of this.pendingPlainTargets) {
      if (this.model.fileFdTargets.get(key) === true && !this.isLocal(key, call) && !fallbackAfterFailure(call, key)) this.model.fileFdTargets.set(key, false);
    }
    for (const { name, index } of this.pendingTextTargets) {
      if (this.model.fileFdTargets.get(name) !== true) continue;
      const ident = this.root.descendantForIndex(index, index + 4);
      if (!ident || (!this.isLocal(name, ident) && !fallbackAfterFailure(ident, name))) this.model.fileFdTargets.set(name, false);
    }
  }

  // ------------------------------------------------------------------ copy_file_range

  private copyFileRangeSyscall(c: Candidate): void {
    const nr = c.args[0] ? stripCasts(c.args[0]).text : '';
    if (nr !== 'SYS_copy_file_range' && nr !== '__NR_copy_file_range') return;
    this.copyFileRange({ ...c, callee: `${c.callee}(${nr})` }, 1);
  }

  private copyFileRange(c: Candidate, shift: number): void {
    if (c.args.length !== 6 + shift) return;
    const [fdIn, offIn, fdOut, offOut, len] = c.args.slice(shift) as [Node, Node, Node, Node, Node];
    const scope = this.model.scopeFor(c.call);
    const constants: SiteFacts['constants'] = {};
    const length = this.track('length', () => this.model.evalNumber(len, scope));
    if (length?.constant) constants.length = length.constant;
    const src = this.track('srcOffset', () => this.offsetPointer(offIn, scope));
    const dst = this.track('dstOffset', () => this.offsetPointer(offOut, scope));
    if (src.constant) constants.srcOffset = src.constant;
    if (dst.constant) constants.dstOffset = dst.constant;
    const params: NonNullable<SiteFacts['params']> = {};
    if (!length) this.paramOf(len, scope, params, 'length');
    // `loff_t *off_in` parameters: the callers' `&off` values
    for (const [node, field, d] of [[offIn, 'srcOffset', src], [offOut, 'dstOffset', dst]] as const) {
      if (d.derived.known) continue;
      const ref = this.model.paramRefAt(node, scope);
      const addressed = ref ? undefined : this.model.addressedParamRefAt(node, scope);
      if (ref) params[field] = { ...ref, part: 'pointee' };
      else if (addressed) params[field] = addressed;
    }
    // Inside the full-copy helper the values are its callers', and each of its calls is a site of its own.
    for (const field of Object.keys(params) as (keyof typeof params)[]) if (params[field]!.fn === FULL_COPY_HELPER) delete params[field];
    const fullCopy = c.callee.replace(/^::\s*/, '') === FULL_COPY_HELPER;
    const facts: SiteFacts = {
      site: this.site(c, 'copy_file_range'),
      ...(Object.keys(params).length ? { params } : {}),
      length: toDerived(length, len.text),
      srcOffset: src.derived,
      dstOffset: dst.derived,
      // The helper finishes the range and falls back to read/write itself.
      ...(fullCopy ? { resultHandled: true, copiesWithFallback: true } : resultFacts(this.resultCheck(c.call, scope))),
      argRanges: { fd: nodeRange(fdIn), length: nodeRange(len), srcOffset: nodeRange(offIn), dstOffset: nodeRange(offOut) },
      constants,
    };
    if (this.track('srcFd', () => this.model.isODirectFd(fdIn, scope, fdIn))) facts.srcFdODirect = true;
    if (this.track('dstFd', () => this.model.isODirectFd(fdOut, scope, fdOut))) facts.dstFdODirect = true;
    this.facts.push(facts);
  }

  /** `&off` → the value of off before the call; NULL/nullptr/0 → the file position (unknown). */
  private offsetPointer(arg: Node, scope: Scope): { derived: DerivedNumber; constant?: ConstantDefinition } {
    const n = stripCasts(arg);
    if (n.type === 'null' || n.text === 'NULL' || n.text === 'nullptr' || n.text === '0') {
      return { derived: unknownNumber('NULL (the file position)') };
    }
    if (n.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '&') {
      const target = n.childForFieldName('argument');
      const key = target ? accessKey(target) : undefined;
      const e = key !== undefined ? this.model.valueOfKey(key, n, scope) : undefined;
      return e ? { derived: knownNumber(e.value, key!), constant: e.constant } : { derived: unknownNumber(arg.text) };
    }
    return { derived: unknownNumber(arg.text) };
  }

  /**
   * Is the return value looked at? Discarded → no. Assigned to a variable that is never read again and
   * no EXDEV/EINVAL/… check in the function → no. Only compared in an `if` whose branch reports and
   * leaves (perror + return), outside a loop → no: a short count ends the copy early and EXDEV/EINVAL/
   * EAGAIN, where a read/write copy would have worked, end the program. Anything else (returned, passed
   * on, accumulated, compared with another outcome) → yes: when the value flows somewhere we do not
   * follow, assume it is handled.
   */
  private resultCheck(call: Node, scope: Scope): { handled: boolean; exitOnly?: boolean } {
    const yes = { handled: true };
    let child = call;
    let p = call.parent;
    for (let i = 0; p && p.type === 'parenthesized_expression'; i++) {
      if (i > 32) return yes;  // absurd nesting: do not guess
      child = p;
      p = p.parent;
    }
    if (!p) return yes;
    if (p.type === 'expression_statement') return { handled: false };
    if (p.type === 'cast_expression' && p.childForFieldName('type')?.text.replace(/\s+/g, '') === 'void') {
      let q = p.parent;
      for (let i = 0; q && q.type === 'parenthesized_expression' && i < 32; i++) q = q.parent;
      return q?.type !== 'expression_statement' ? yes : { handled: false };
    }
    const loops = insideLoop(call, scope.root);
    const mentionsErrno = () => {
      let found = false;
      walkTree(scope.root, (type, get) => {
        if (found) return false;
        if ((type === 'identifier' || type === 'field_identifier') && ERRNO_FALLBACKS.has(get().text)) found = true;
        return !found;
      });
      return found;
    };
    // `if (copy_file_range(…) < 0) { perror(…); return 1; }`
    if (!loops && checkThatOnlyLeaves(child)) return mentionsErrno() ? yes : { handled: false, exitOnly: true };
    let target: string | undefined;
    let checkedAtCall = false;
    if (p.type === 'assignment_expression' && p.childForFieldName('operator')?.text === '=' && p.childForFieldName('right')?.id === child.id) {
      let q: Node = p;
      for (let i = 0; q.parent && q.parent.type === 'parenthesized_expression' && i < 32; i++) q = q.parent;
      if (q.parent?.type !== 'expression_statement') {
        // `if ((n = copy_file_range(…)) < 0) { perror(…); return 1; }` may still read n later
        if (loops || !checkThatOnlyLeaves(q)) return yes;  // `while ((n = …) > 0)`
        checkedAtCall = true;
      }
      const left = p.childForFieldName('left');
      target = left ? accessKey(left) : undefined;
    } else if (p.type === 'init_declarator' && p.childForFieldName('value')?.id === child.id) {
      target = unwrapDeclarator(p).name?.text;
    } else {
      return yes;
    }
    if (target === undefined) return yes;
    const name = target.includes('.') ? target.slice(target.lastIndexOf('.') + 1) : target;
    let otherUse = false;
    let exitChecks = checkedAtCall ? 1 : 0;
    let errno = false;
    walkTree(scope.root, (type, get) => {
      if (otherUse || errno) return false;
      if (type !== 'identifier' && type !== 'field_identifier') return true;
      const node = get();
      if (ERRNO_FALLBACKS.has(node.text)) { errno = true; return false; }
      if (node.text !== name) return true;
      if (isDefiningOccurrence(node)) return true;
      const operand = node.parent?.type === 'field_expression' && node.parent.childForFieldName('field')?.id === node.id ? node.parent : node;
      if (!loops && checkThatOnlyLeaves(operand)) exitChecks++;
      else otherUse = true;
      return !otherUse;
    });
    if (otherUse || errno) return yes;
    return exitChecks > 0 ? { handled: false, exitOnly: true } : { handled: false };
  }

  // ------------------------------------------------------------------ FICLONE / FICLONERANGE

  private ioctl(c: Candidate): void {
    if (c.args.length < 3) return;
    const scope = this.model.scopeFor(c.call);
    const variant = this.cloneRequest(c.args[1]!, scope, 0);
    if (!variant) return;
    const facts: SiteFacts = {
      site: this.site(c, 'ficlone'),
      ficloneVariant: variant,
      argRanges: { fd: nodeRange(c.args[0]!), flags: nodeRange(c.args[1]!) },
      constants: {},
    };
    if (variant === 'FICLONERANGE') this.cloneRange(c.args[2]!, scope, facts);
    this.facts.push(facts);
  }

  private cloneRequest(node: Node, scope: Scope | undefined, depth: number): 'FICLONE' | 'FICLONERANGE' | undefined {
    if (depth > 16) return this.model.cutShort(undefined);
    const n = stripCasts(node);
    if (n.type === 'identifier' || n.type === 'qualified_identifier') {
      const name = n.type === 'identifier' ? n.text : n.childForFieldName('name')?.text;
      if (name === 'FICLONE' || name === 'FICLONERANGE') return name;
      // Btrfs's names for the same two requests, which the VFS later took over as FICLONE and
      // FICLONERANGE: the same numbers, so on ZFS they clone as FICLONE and FICLONERANGE do.
      if (name === 'BTRFS_IOC_CLONE') return 'FICLONE';
      if (name === 'BTRFS_IOC_CLONE_RANGE') return 'FICLONERANGE';
    }
    if (n.type === 'call_expression' && /^_IOW$/.test(n.childForFieldName('function')?.text ?? '')) {
      const a = namedArgs(n.childForFieldName('arguments'));
      const magic = a[0]?.text === 'BTRFS_IOCTL_MAGIC' ? { value: 0x94 } : a[0] ? this.model.evalNumber(a[0], scope) : undefined;
      const nr = a[1] ? this.model.evalNumber(a[1], scope) : undefined;
      if (magic?.value === 0x94 && nr?.value === 9) return 'FICLONE';
      if (magic?.value === 0x94 && nr?.value === 13) return 'FICLONERANGE';
      return undefined;
    }
    // Aliases: `#define MY_CLONE FICLONERANGE`, `const unsigned long req = FICLONE;`, the numeric values.
    const v = this.model.evalNumber(n, scope);
    if (v?.value === FICLONE_VALUE) return 'FICLONE';
    if (v?.value === FICLONERANGE_VALUE) return 'FICLONERANGE';
    return this.model.followAlias(n, scope, (inner, innerScope) => this.cloneRequest(inner, innerScope, depth + 1));
  }

  /** FICLONERANGE's struct file_clone_range: from its initializer and field assignments before the ioctl. */
  private cloneRange(arg: Node, scope: Scope, facts: SiteFacts): void {
    const n = stripCasts(arg);
    let base: string | undefined;
    if (n.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '&') {
      const t = n.childForFieldName('argument');
      base = t ? accessKey(t) : undefined;
    } else {
      base = accessKey(n);  // a pointer: r->src_offset has the same access path as r.src_offset
    }
    const field = (name: string, key: 'srcOffset' | 'length' | 'dstOffset'): void => {
      const e = base !== undefined ? this.model.valueOfKey(`${base}.${name}`, arg, scope) : undefined;
      const derived = e ? knownNumber(e.value, e.text) : unknownNumber(name);
      if (key === 'srcOffset') facts.srcOffset = derived;
      else if (key === 'length') facts.length = derived;
      else facts.dstOffset = derived;
      if (e?.constant) facts.constants[key] = e.constant;
      // The squiggle goes where the field gets its value (the quick fix still edits the constant).
      facts.argRanges[key] = e?.range ?? e?.constant?.range ?? nodeRange(arg);
      // a field given a helper's parameter: each call's argument is its value
      const ref = e || base === undefined ? undefined : this.model.paramRefOfKey(`${base}.${name}`, arg, scope);
      if (ref) (facts.params ??= {})[key] = ref;
    };
    field('src_offset', 'srcOffset');
    field('src_length', 'length');
    field('dest_offset', 'dstOffset');
  }

  // ------------------------------------------------------------------ O_DIRECT read/write

  private io(c: Candidate, shape: IoShape, force = false): void {
    if (!shape.arity.includes(c.args.length)) return;
    const scope = this.model.scopeFor(c.call);
    const fd = c.args[shape.fdArg]!;
    const bufArg = c.args[shape.bufArg]!;
    const params: NonNullable<SiteFacts['params']> = {};
    let fdODirect: boolean | undefined = true;
    const judged = this.atSite(c.call, () => this.track('fd', () => this.model.isODirectFd(fd, scope, fd)));
    // O_DIRECT only through the flags a parameter brings: each call's flags decide (see flagsParamFromCallers)
    if (judged.result && judged.flagParams.length === 1 && !this.model.paramRefAt(fd, scope)) params.fd = judged.flagParams[0];
    let bufferedWhen: SiteFacts['bufferedWhen'];
    if (!judged.result) {
      // A helper's descriptor parameter that only some calls give an O_DIRECT descriptor: an O_DIRECT
      // site on those calls (the summaries decide per call), none on the others.
      // O_DIRECT cleared before the I/O only when a parameter says so (dd's short final block): each call decides
      const clear = this.model.conditionalClear(fd, scope, c.call);
      const ref = this.model.paramRefAt(fd, scope, !!clear);
      if (clear && (this.model.isODirectFd(fd, scope, clear.at) || (ref && this.model.paramMayBeODirect(ref)))) bufferedWhen = clear.when;
      else if ((!ref || !this.model.paramMayBeODirect(ref)) && !force) return;
      fdODirect = undefined;
      if (ref) params.fd = ref;
    }
    // A branch that only runs on a buffered descriptor (`if (!(fcntl(fd, F_GETFL) & O_DIRECT))`) is no O_DIRECT I/O.
    const checked = shape.vectored ? undefined : checkedBuffer(this.model, c.call, bufArg, fd, scope);
    if (checked?.alignment === NOT_DIRECT) return;
    const facts: SiteFacts = {
      site: this.site(c, 'o_direct_io'),
      fdODirect,
      direction: shape.direction,
      argRanges: { fd: nodeRange(fd), buffer: nodeRange(bufArg) },
      constants: {},
      params,
      ...(bufferedWhen ? { bufferedWhen } : {}),
    };
    // The values this call has when it runs with O_DIRECT: those of the branch that added the flag.
    this.model.oDirectPath = fdODirect ? this.model.oDirectBranch(fd, scope, c.call) : undefined;
    try {
      this.ioValues(c, shape, scope, fd, bufArg, facts, params, checked);
    } finally {
      this.model.oDirectPath = undefined;
    }
    if (!Object.keys(params).length) delete facts.params;
    else {
      const guards = this.model.guardsAround(c.call, scope);
      if (guards.length) facts.guards = guards;
    }
    this.facts.push(facts);
  }

  private ioValues(c: Candidate, shape: IoShape, scope: Scope, fd: Node, bufArg: Node, facts: SiteFacts, params: NonNullable<SiteFacts['params']>, checked?: CheckedBuffer): void {
    if (shape.offsetArg !== undefined) {
      const offArg = c.args[shape.offsetArg]!;
      const off = this.track('offset', () => this.model.evalNumber(offArg, scope));
      // preadv2/pwritev2 with offset -1 use the file position.
      facts.offset = off && off.value >= 0 ? knownNumber(off.value, off.text) : inPages(unknownNumber(offArg.text), off ? undefined : this.model.pageRatio(offArg, scope));
      facts.argRanges.offset = nodeRange(offArg);
      if (off?.constant && off.value >= 0) facts.constants.offset = off.constant;
      if (!off) this.paramOf(offArg, scope, params, 'offset');
    }
    if (shape.offsetArg === undefined) {
      // read/write/readv/writev: at the descriptor's file position
      const pos = this.model.filePositionBefore(c.call, fd, scope);
      if (pos) facts.offset = knownNumber(pos.value, pos.text);
      // `lseek(fd, offset, SEEK_SET)` with a parameter: the callers' offsets are the position
      const seekTo = pos ? undefined : this.model.filePositionExpression(c.call, fd, scope);
      if (seekTo) {
        facts.offset = unknownNumber(seekTo.text);
        this.paramOf(seekTo, scope, params, 'offset');
      }
      // a descriptor the caller hands over: the position it has at each call, moved by what this function did first
      const entry = pos || seekTo ? undefined : this.model.entryPositionDelta(c.call, fd, scope);
      const fn = entry?.global ? this.model.enclosingFunctionName(c.call) : undefined;
      const ref = entry?.global ? (fn ? { fn, index: -1, name: entry.param } : undefined) : entry ? this.model.paramRefAt(fd, scope, true) : undefined;
      if (entry && ref) {
        facts.offset = unknownNumber('the file position');
        params.offset = { ...ref, part: 'position', ...(entry.delta ? { plus: entry.delta } : {}) };
      }
    }
    if (shape.vectored) {
      this.iovecs(bufArg, c.args[shape.lenArg]!, scope, facts, params);
    } else {
      facts.buffer = this.track('buffer', () => this.model.originOf(bufArg, scope));
      if (checked && facts.buffer.state !== 'aligned') facts.buffer = checkedOrigin(checked);
      if (facts.buffer.state === 'unknown' && !checked) this.paramOf(bufArg, scope, params, 'buffer');
      const lenArg = c.args[shape.lenArg]!;
      const len = this.track('length', () => this.model.evalNumber(lenArg, scope));
      facts.length = inPages(toDerived(len, lenArg.text), len ? undefined : this.model.pageRatio(lenArg, scope));
      facts.argRanges.length = nodeRange(lenArg);
      if (len?.constant) facts.constants.length = len.constant;
      if (!len) this.paramOf(lenArg, scope, params, 'length');
    }
  }

  /**
   * A submission queue entry filled in field by field: `sqe->opcode = IORING_OP_READ`, then `->fd`,
   * `->addr`, `->len`, `->off` in the same function. The site is the opcode assignment; each value is
   * judged where it is assigned, with what reaches the end of the function.
   */
  private sqe(index: number, opcode: string): void {
    const filled = this.opcodeAssignment(index, opcode, 'opcode');
    if (!filled) return;
    const { assign, value, scope } = filled;
    this.requestSite(assign, opcode, SQE_OPCODES[opcode]!, scope, value('fd'), value('addr'), value('len'), value('off'));
  }

  /** `cb->aio_lio_opcode = IOCB_CMD_PWRITE`: a kernel AIO request filled in by hand (see IOCB_OPCODES). */
  private filledIocb(index: number, opcode: string): void {
    const filled = this.opcodeAssignment(index, opcode, 'aio_lio_opcode');
    if (!filled) return;
    const { assign, value, scope } = filled;
    const shape = IOCB_OPCODES[opcode]!;
    const [fd, buf, len, off] = shape.fields;
    this.requestSite(assign, opcode, shape, scope, value(fd), value(buf), value(len), value(off));
  }

  /**
   * The assignment of `opcode` to a request's `field` at `index` (`sqe->opcode = IORING_OP_READ`), with the
   * request's other fields as they stand at the end of the function, where it is submitted at the latest.
   */
  private opcodeAssignment(index: number, opcode: string, field: string): { assign: Node; scope: Scope; value: (field: string) => Node | undefined } | undefined {
    const node = this.root.descendantForIndex(index, index + opcode.length);
    let assign = node?.parent;
    for (let i = 0; assign && assign.type === 'parenthesized_expression' && i < 4; i++) assign = assign.parent;
    if (assign?.type !== 'assignment_expression' || assign.childForFieldName('operator')?.text !== '=') return undefined;
    const left = assign.childForFieldName('left');
    if (left?.type !== 'field_expression' || left.childForFieldName('field')?.text !== field) return undefined;
    const base = accessKey(left.childForFieldName('argument')!);
    if (base === undefined) return undefined;
    const scope = this.model.scopeFor(assign);
    const body = scope.root.childForFieldName('body');
    const end = body?.lastNamedChild ?? assign;
    const value = (f: string) => {
      const direct = this.model.assignedValue(`${base}.${f}`, end, scope);
      // what reaches the field is the construction of the whole object: what its constructor set
      return !direct || direct.type === 'new_expression' ? this.model.constructedMemberArgument(base, f, assign, scope, direct) : direct;
    };
    return { assign, scope, value };
  }

  /**
   * POSIX AIO, `aio_read(&cb)` and `aio_write(&cb)`: the request's descriptor, buffer, length and offset
   * are the fields of its struct aiocb (`aio_fildes`, `aio_buf`, `aio_nbytes`, `aio_offset`), as they are
   * set when the request is submitted. The same rules hold as for pread and pwrite: O_DIRECT is O_DIRECT.
   */
  private posixAio(index: number, name: string, direction: 'read' | 'write'): void {
    const ident = this.root.descendantForIndex(index, index + name.length);
    const call = ident?.parent;
    if (ident?.type !== 'identifier' || call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== ident.id) return;
    const args = namedArgs(call.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
    if (args.length !== 1) return;
    const arg = stripCasts(args[0]!);
    const target = arg.type === 'pointer_expression' && arg.childForFieldName('operator')?.text === '&' ? arg.childForFieldName('argument') : arg;
    const base = target ? accessKey(target) : undefined;
    if (base === undefined) return;
    const scope = this.model.scopeFor(call);
    const value = (field: string) => this.model.assignedValue(`${base}.${field}`, call, scope);
    this.requestSite(call, name, { direction, vectored: false }, scope, value('aio_fildes'), value('aio_buf'), value('aio_nbytes'), value('aio_offset'));
  }

  /**
   * An I/O request filled in field by field and submitted at `at` (an io_uring SQE, a struct aiocb): a
   * site when its descriptor is an O_DIRECT one, each value judged where the field gets it.
   */
  private requestSite(at: Node, callee: string, shape: { direction: 'read' | 'write'; vectored: boolean }, scope: Scope,
    fd: Node | undefined, addr: Node | undefined, len: Node | undefined, off: Node | undefined): void {
    if (!fd || !this.model.isODirectFd(fd, scope, fd)) return;
    const facts: SiteFacts = {
      site: { kind: 'o_direct_io', language: this.language, callee, range: nodeRange(at) },
      fdODirect: true, direction: shape.direction, argRanges: { fd: nodeRange(fd) }, constants: {},
    };
    const params: NonNullable<SiteFacts['params']> = {};
    if (addr && !shape.vectored) {
      facts.buffer = this.model.originOf(addr, scope);
      facts.argRanges.buffer = nodeRange(addr);
      if (facts.buffer.state === 'unknown') this.paramOf(addr, scope, params, 'buffer');
    }
    if (len && !shape.vectored) {
      const n = this.model.evalNumber(len, scope);
      facts.length = toDerived(n, len.text);
      facts.argRanges.length = nodeRange(len);
      if (n?.constant) facts.constants.length = n.constant;
      if (!n) this.paramOf(len, scope, params, 'length');
    }
    if (off) {
      const n = this.model.evalNumber(off, scope);
      facts.offset = toDerived(n, off.text);
      facts.argRanges.offset = nodeRange(off);
      if (n?.constant) facts.constants.offset = n.constant;
      if (!n) this.paramOf(off, scope, params, 'offset');
    }
    if (Object.keys(params).length) facts.params = params;
    this.facts.push(facts);
  }

  /** Runs `fn` as the judgement of a site at `call`: the flags parameters it relied on come back with its result. */
  private atSite<T>(call: Node, fn: () => T): { result: T; flagParams: ParamRef[] } {
    const saved = this.model.siteRoot;
    const mark = this.model.flagParams.length;
    this.model.siteRoot = this.model.scopeRootOf(call);
    try {
      const result = fn();
      const seen = new Set<string>();
      const flagParams = this.model.flagParams.slice(mark).filter((r) => !seen.has(`${r.fn}#${r.index}`) && !!seen.add(`${r.fn}#${r.index}`));
      return { result, flagParams };
    } finally {
      this.model.siteRoot = saved;
      this.model.flagParams.length = mark;
    }
  }

  /** Records that a value unknown here is the enclosing function's parameter (callers may know it). */
  private paramOf(arg: Node, scope: Scope, params: NonNullable<SiteFacts['params']>, field: ParamField): void {
    const ref = this.model.paramRefAt(arg, scope)
      ?? (field === 'buffer' ? undefined : this.model.scaledParamRefAt(arg, scope) ?? this.model.cappedParamRefAt(arg, scope))
      // `size_t left = size;` before a loop that counts it down: on the first pass it is the caller's size
      ?? (field !== 'buffer' && stripCasts(arg).type === 'identifier' ? this.model.paramRefOfKey(stripCasts(arg).text, arg, scope, true) : undefined)
      // a C++ member the constructor sets from its parameter: each construction's argument
      ?? (field !== 'buffer' && this.language === 'cpp' ? this.model.memberParamRefAt(arg, scope) : undefined)
      // `pos + sz` in a loop over short reads, `sz` 0 on the first pass: each call's argument, on that pass
      ?? this.model.firstPassParamRefAt(arg, scope)
      ?? (field === 'buffer' ? undefined : this.model.roundedParamRefAt(arg, scope) ?? this.model.offsetParamRefAt(arg, scope))
      // an expression of several parameters (`end - start`): each call's value, with its arguments
      ?? (field === 'buffer' ? undefined : this.model.expressionRefAt(arg, scope));
    // a known addend only for an offset: a length's quick fix rewrites the caller's argument as the length itself
    if (ref && (ref.plus === undefined || field === 'offset')) params[field] = ref;
  }

  /**
   * Every call of a function whose sites read its parameters, with what the caller knows about each
   * argument; and, for arguments that are the caller's own parameters, the calls of the caller too.
   */
  private collectCalls(): CallRecord[] {
    const wanted: string[] = [];
    /** `fn#index` of the parameters that are open flags: their arguments are judged as flags. */
    const flags = new Set<string>();
    /** `fn#index` of the descriptor parameters whose position at the call a site reads. */
    const positions = new Set<string>();
    /** The file-scope descriptors whose position at each call of a function a site reads. */
    const globalPositions = new Map<string, Set<string>>();
    /** `fn#index` of the parameters that are iovecs a site reads, with how many of them. */
    const iovecs = new Map<string, ParamRef>();
    /** The expressions of each function's parameters that a site reads, evaluated at every call once all are known. */
    const expressions = new Map<string, ParamRef[]>();
    const addExpression = (ref: ParamRef): void => {
      let list = expressions.get(ref.fn);
      if (!list) expressions.set(ref.fn, (list = []));
      if (!list.some((r) => expressionKey(r) === expressionKey(ref))) list.push(ref);
    };
    const callNodes = new Map<CallRecord, Node>();
    for (const f of this.facts) {
      if (f.bufferedWhen && !wanted.includes(f.bufferedWhen.param.fn)) wanted.push(f.bufferedWhen.param.fn);
      for (const g of f.guards ?? []) addExpression(g.condition);
      for (const ref of Object.values(f.params ?? {})) {
        if (!ref) continue;
        if (!wanted.includes(ref.fn)) wanted.push(ref.fn);
        if (ref.part === 'iovec') iovecs.set(`${ref.fn}#${ref.index}`, ref);
        if (ref.part === 'expression') addExpression(ref);
        if (ref.part === 'flags') flags.add(`${ref.fn}#${ref.index}`);
        if (ref.part === 'position' && ref.index >= 0) positions.add(`${ref.fn}#${ref.index}`);
        if (ref.part === 'position' && ref.index < 0) {
          let names = globalPositions.get(ref.fn);
          if (!names) globalPositions.set(ref.fn, (names = new Set()));
          names.add(ref.name);
        }
      }
    }
    const records: CallRecord[] = [];
    for (let i = 0; i < wanted.length && i < MAX_SUMMARY_FUNCTIONS; i++) {
      for (const call of this.model.callsTo(wanted[i]!)) {
        const scope = this.model.scopeFor(call);
        const callArgs = namedArgs(call.childForFieldName('arguments'));
        const args = callArgs.map((arg, index): ArgFact => {
          const fact: ArgFact = { range: nodeRange(arg), text: arg.text };
          if (flags.has(`${wanted[i]!}#${index}`)) fact.flagsODirect = this.model.hasODirect(arg, scope, call, 1);
          const n = this.model.evalNumber(arg, scope);
          if (n) { fact.number = knownNumber(n.value, n.text); if (n.constant) fact.constant = n.constant; }
          const pages = n ? undefined : this.model.pageRatio(arg, scope);
          if (pages !== undefined) fact.number = { known: false, text: arg.text.replace(/\s+/g, ' ').trim(), pages };
          const b = this.model.originOf(arg, scope);
          if (b.state !== 'unknown') fact.buffer = b;
          if (this.model.isODirectFd(arg, scope, arg)) fact.oDirect = true;
          const up = this.model.paramRefAt(arg, scope);
          if (up) {
            fact.param = up;
            if (!wanted.includes(up.fn)) wanted.push(up.fn);
            // flags passed on: the caller's callers' arguments are flags too
            if (flags.has(`${wanted[i]!}#${index}`)) flags.add(`${up.fn}#${up.index}`);
          } else if (!n && pages === undefined && b.state === 'unknown' && !fact.oDirect) {
            // a number the caller computes from its own parameters: each of its calls gives it
            const expression = this.model.expressionRefAt(arg, scope);
            if (expression) {
              fact.param = expression;
              addExpression(expression);
              if (!wanted.includes(expression.fn)) wanted.push(expression.fn);
            }
          }
          const pointee = this.offsetPointer(arg, scope).derived;
          if (pointee.known) fact.pointee = pointee;
          const addressed = pointee.known ? undefined : this.model.addressedParamRefAt(arg, scope);
          if (addressed) {
            fact.pointeeParam = addressed;
            if (!wanted.includes(addressed.fn)) wanted.push(addressed.fn);
          }
          if (positions.has(`${wanted[i]!}#${index}`)) this.positionAtCall(call, arg, scope, fact, wanted, positions);
          const iov = iovecs.get(`${wanted[i]!}#${index}`);
          if (iov) {
            const countArg = iov.countParam !== undefined ? callArgs[iov.countParam] : undefined;
            const count = iov.count ?? (countArg ? this.model.evalNumber(countArg, scope)?.value : undefined);
            const segments = count !== undefined ? this.segmentsOf(arg, count, scope) : undefined;
            if (segments) fact.iovec = { segments: segments.segments, length: segments.length, buffer: segments.buffer, ...(segments.range ? { range: segments.range } : {}) };
          }
          return fact;
        });
        const at: Record<string, DerivedNumber> = {};
        for (const name of globalPositions.get(wanted[i]!) ?? []) {
          const p = this.model.globalPositionAt(call, name);
          if (p !== undefined) at[name] = knownNumber(p, 'the file position');
        }
        const record: CallRecord = { callee: wanted[i]!, caller: this.model.enclosingFunctionName(call), range: nodeRange(call), args, ...(Object.keys(at).length ? { globalPositions: at } : {}) };
        records.push(record);
        callNodes.set(record, call);
      }
    }
    // after every call is read: a caller's expression may be found after its function's calls were
    for (const [record, call] of callNodes) {
      const values: Record<string, DerivedNumber> = {};
      for (const ref of expressions.get(record.callee) ?? []) {
        const v = this.model.expressionAtCall(ref, call);
        if (v) values[expressionKey(ref)] = knownNumber(v.value, v.text);
      }
      if (Object.keys(values).length) record.expressions = values;
    }
    return records;
  }

  /**
   * The file position a descriptor argument has when `call` starts: known from the caller's own open
   * and I/O, or where the caller's descriptor parameter stood when the caller started plus what the
   * caller moved it by (then the caller's callers are asked too).
   */
  private positionAtCall(call: Node, arg: Node, scope: Scope, fact: ArgFact, wanted: string[], positions: Set<string>): void {
    const pos = this.model.filePositionBefore(call, arg, scope);
    if (pos) { fact.position = knownNumber(pos.value, pos.text); return; }
    const entry = this.model.entryPositionDelta(call, arg, scope);
    const up = entry ? this.model.paramRefAt(arg, scope, true) : undefined;
    if (!entry || !up) return;
    fact.positionParam = { ...up, part: 'position', ...(entry.delta ? { plus: entry.delta } : {}) };
    if (!wanted.includes(up.fn)) wanted.push(up.fn);
    positions.add(`${up.fn}#${up.index}`);
  }

  /**
   * preadv/pwritev: every iovec's base and length must be page-aligned. Reports the first misaligned
   * segment length (else the total) and the first unaligned base (else the weakest alignment). An array
   * of iovecs that is a parameter (`helper(disk, &iov, 1, lba)`) is each call's: its segments are read
   * in the caller, at the call, for the count the site is given.
   */
  private iovecs(iovArg: Node, cntArg: Node, scope: Scope, facts: SiteFacts, params: NonNullable<SiteFacts['params']>): void {
    const cnt = this.model.evalNumber(cntArg, scope)?.value;
    const iov = this.segmentsOf(iovArg, cnt, scope);
    if (!iov) {
      const ref = this.model.paramRefAt(iovArg, scope);
      const count = cnt === undefined ? this.model.paramRefAt(cntArg, scope) : undefined;
      if (ref && !ref.part && (cnt !== undefined || count?.fn === ref.fn) && (cnt === undefined || (cnt >= 1 && cnt <= MAX_SEGMENTS))) {
        const part = { part: 'iovec' as const, ...(cnt !== undefined ? { count: cnt } : { countParam: count!.index }) };
        params.length = { ...ref, ...part };
        params.buffer = { ...ref, ...part };
      }
      return;
    }
    facts.segments = iov.segments;
    facts.length = iov.length;
    if (iov.constant) facts.constants.length = iov.constant;
    if (iov.length.known) facts.argRanges.length = iov.range ?? nodeRange(iovArg);
    facts.buffer = iov.buffer;
  }

  /**
   * The segments of the iovecs `iovArg` points to, `cnt` of them (`&iov` for one, an array's first
   * `cnt`), with their lengths and bases as they stand at `iovArg`: undefined when they are not a
   * variable's of this function.
   */
  private segmentsOf(iovArg: Node, cnt: number | undefined, scope: Scope): IovecSegments | undefined {
    const n = stripCasts(iovArg);
    let keys: string[] = [];
    if (n.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '&') {
      const t = n.childForFieldName('argument');
      const k = t ? accessKey(t) : undefined;
      if (k !== undefined && (cnt === undefined || cnt === 1)) keys = [k];
    } else {
      const k = accessKey(n);
      const v = k !== undefined && !k.includes('.') ? this.model.lookupVar(k, scope) : undefined;
      if (k !== undefined && v?.arrayDims.length && cnt !== undefined && cnt >= 1 && cnt <= MAX_SEGMENTS) {
        keys = Array.from({ length: cnt }, (_, i) => `${k}[${i}]`);
      }
    }
    if (!keys.length) return undefined;
    const lengths = keys.map((k) => ({ key: k, e: this.model.valueOfKey(`${k}.iov_len`, iovArg, scope) }));
    const origins: BufferOrigin[] = keys.map((k) => this.model.originOfKey(`${k}.iov_base`, iovArg, scope));
    const segments = lengths.map(({ key, e }, i) => ({
      length: e ? knownNumber(e.value, `${key}.iov_len`) : unknownNumber(`${key}.iov_len`),
      range: e ? (e.constant?.range ?? e.range) : undefined,
      constant: e?.constant,
      buffer: origins[i],
    }));
    const bad = origins.find((o) => o.state === 'unaligned');
    const buffer = bad ?? (origins.every((o) => o.state === 'aligned')
      ? origins.reduce((a, o) => (bufferAlignment(o) < bufferAlignment(a) ? o : a))
      : { state: 'unknown' as const, origin: `${keys[0]}.iov_base` });
    if (!lengths.every((l) => l.e)) return { segments, length: unknownNumber(`${keys[0]}.iov_len`), buffer };
    const total = lengths.reduce((sum, l) => sum + l.e!.value, 0);
    return {
      segments, buffer,
      length: knownNumber(total, lengths.length === 1 ? `${lengths[0]!.key}.iov_len` : lengths.map((l) => `${l.key}.iov_len`).join(' + ')),
      ...(lengths.length === 1 && lengths[0]!.e!.constant ? { constant: lengths[0]!.e!.constant } : {}),
      ...(lengths.length === 1 ? { range: lengths[0]!.e!.range ?? lengths[0]!.e!.constant?.range } : {}),
    };
  }
}

/** How many iovecs of an array the analysis reads. */
const MAX_SEGMENTS = 64;

/** The iovecs of a vectored request as the analysis reads them (see segmentsOf). */
interface IovecSegments {
  segments: NonNullable<SiteFacts['segments']>;
  length: DerivedNumber;
  buffer: BufferOrigin;
  constant?: ConstantDefinition;
  /** Where the one segment's length is set. */
  range?: Range;
}

/**
 * Is the open at `node` the fallback of a failed one into the same name: on the branch of an `if` that
 * tests that name for failure (`if (fd < 0) fd = open(path, flags);`, `== -1`)? Then the name holds an
 * O_DIRECT descriptor whenever the O_DIRECT open succeeded, as with a local.
 */
function fallbackAfterFailure(node: Node, key: string): boolean {
  const name = key.replace(/^\./, '');
  let child: Node = node;
  for (let p = node.parent, i = 0; p && i < 8; child = p, p = p.parent, i++) {
    if (p.type !== 'if_statement') continue;
    if (p.childForFieldName('consequence')?.id !== child.id) return false;
    const cond = p.childForFieldName('condition');
    const test = cond ? namedArgs(cond).filter((c) => c.type !== 'comment').at(-1) : undefined;
    if (test?.type !== 'binary_expression') return false;
    const left = test.childForFieldName('left')?.text.replace(/^this->/, '').replace(/^.*(?:->|\.)/, '');
    const op = test.childForFieldName('operator')?.text;
    const right = test.childForFieldName('right')?.text.replace(/\s+/g, '');
    return left === name && ((op === '<' && right === '0') || (op === '==' && right === '-1') || (op === '<=' && right === '-1'));
  }
  return false;
}

/** Did the row make this value known (an O_DIRECT descriptor, a buffer of known origin, a number)? */
function suppliedKnown(f: SiteFacts, field: ParamField): boolean {
  switch (field) {
    case 'fd': return f.fdODirect === true;
    case 'srcFd': return f.srcFdODirect === true;
    case 'dstFd': return f.dstFdODirect === true;
    case 'buffer': return !!f.buffer && f.buffer.state !== 'unknown';
    default: return !!f[field]?.known;
  }
}

/**
 * Does the text hold a table whose rows name one of the O_DIRECT descriptor targets (`{ &fd_direct, … }`)?
 * A cheap look at brace-enclosed lists, to widen the I/O candidates only where a row can carry such a descriptor.
 */
function rowsNameTargets(text: string, targets: RegExp): boolean {
  const re = /=\s*\{\s*\{/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (targets.test(text.slice(m.index, m.index + 4000))) return true;
  }
  return false;
}

/** Names that are never helper functions of the file: keywords that take parentheses and libc calls. */
const NOT_HELPERS = new Set([
  'if', 'while', 'for', 'switch', 'return', 'sizeof', 'alignof', '_Alignof', 'alignas', '_Alignas', 'defined', 'decltype', 'typeof',
  '__attribute__', 'static_cast', 'reinterpret_cast', 'const_cast', 'dynamic_cast',
  ...Object.keys(IO_CALLS), 'copy_file_range', FULL_COPY_HELPER, 'syscall', 'ioctl', 'open', 'open64', 'openat', 'openat64', 'fcntl', 'fcntl64', 'close',
  'malloc', 'calloc', 'realloc', 'free', 'posix_memalign', 'aligned_alloc', 'memalign', 'valloc', 'pvalloc', 'mmap', 'munmap',
  'memset', 'memcpy', 'memmove', 'memcmp', 'strlen', 'strcmp', 'printf', 'fprintf', 'snprintf', 'sprintf', 'perror', 'strerror',
  'sysconf', 'getpagesize', 'lseek', 'fsync', 'fdatasync', 'ftruncate', 'fstat', 'stat', 'exit', 'abort', 'assert', 'err', 'errx',
]);

/** `written`: the name as it stands in the text, when the hit is read as another call (SAFE_OPEN as open). */
interface TextHit { name: string; index: number; args?: string[]; written?: string }

/** `name(` hits in the raw text with their argument texts (undefined when the parentheses do not close nearby). */
function textHits(text: string, pattern: RegExp): TextHit[] {
  const re = new RegExp(pattern.source, 'g');
  const out: TextHit[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const name = m[1]!;
    out.push({ name, index: m.index + m[0].indexOf(name), args: splitArgs(text, m.index + m[0].length - 1) });
  }
  return out;
}

/** Top-level comma-separated argument texts of the call whose `(` is at `open` (strings, chars and comments skipped). */
export function splitArgs(text: string, open: number, limit = 4000): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  const end = Math.min(text.length, open + limit);
  for (let i = open; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 || ch === 39) {  // " or '
      for (i++; i < end && text.charCodeAt(i) !== ch; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (ch === 47 && text.charCodeAt(i + 1) === 42) {  // /* */
      const close = text.indexOf('*/', i + 2);
      if (close === -1) return undefined;
      i = close + 1;
    } else if (ch === 47 && text.charCodeAt(i + 1) === 47) {  // //
      const nl = text.indexOf('\n', i);
      if (nl === -1) return undefined;
      i = nl;
    } else if (ch === 40 || ch === 91 || ch === 123) depth++;
    else if (ch === 41 || ch === 93 || ch === 125) {
      depth--;
      if (depth === 0) { args.push(text.slice(start, i)); return args; }
      if (depth < 0) return undefined;
    } else if (ch === 44 && depth === 1) { args.push(text.slice(start, i)); start = i + 1; }
  }
  return undefined;
}

/** Could this open/openat/fcntl text hit carry O_DIRECT? Plain-constant flags without it cannot. */
function mayBeODirectOpen(hit: TextHit): boolean {
  if (!hit.args) return true;
  if (hit.name === 'fcntl' || hit.name === 'fcntl64') return hit.args.length === 3 && hit.args[1]!.trim() === 'F_SETFL';
  const flags = hit.name.startsWith('openat') ? hit.args[2] : hit.args[1];
  if (flags === undefined) return false;
  return plainFlagsHaveODirect(flags) !== false;
}

const PLAIN_OPEN_FLAG = /^O_(?:RDONLY|WRONLY|RDWR|CREAT|EXCL|NOCTTY|TRUNC|APPEND|NONBLOCK|NDELAY|DSYNC|SYNC|RSYNC|CLOEXEC|DIRECTORY|NOFOLLOW|NOATIME|PATH|TMPFILE|LARGEFILE|ASYNC|DIRECT)$/;

/**
 * `O_RDWR | O_DIRECT | O_CLOEXEC`-style flags (standard constants, `|`, literals, parentheses) are
 * decided from the text. Undefined when anything else appears (a variable, a macro, `~`, `&`).
 */
export function plainFlagsHaveODirect(text: string): boolean | undefined {
  const stripped = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ' ');
  if (/[~&?]/.test(stripped)) return undefined;
  const ids: string[] = stripped.match(/[A-Za-z_]\w*/g) ?? [];
  for (const id of ids) if (!PLAIN_OPEN_FLAG.test(id) && !/^[0-9]/.test(id)) return undefined;
  if (/[^\sA-Za-z0-9_|()+]/.test(stripped)) return undefined;
  return ids.includes('O_DIRECT');
}

function bufferAlignment(o: BufferOrigin): number {
  const base = o.alignedToPage ? Infinity : (o.alignment ?? 1);
  return Math.min(base, powerOfTwoAlignment(Math.abs(o.offset ?? 0)));
}

/** The declaration or the left side of a plain `=`: writing the variable is not reading it. */
function isDefiningOccurrence(node: Node): boolean {
  const p = node.parent;
  if (!p) return false;
  if (p.type === 'init_declarator' && p.childForFieldName('declarator')?.id === node.id) return true;
  if (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === node.id && p.childForFieldName('operator')?.text === '=') return true;
  if (p.type === 'field_expression' && p.childForFieldName('field')?.id === node.id) {
    const g = p.parent;
    return g?.type === 'assignment_expression' && g.childForFieldName('left')?.id === p.id && g.childForFieldName('operator')?.text === '=';
  }
  return p.type === 'declaration' || p.type === 'pointer_declarator' || p.type === 'parameter_declaration';
}

function extractCFamily(language: Language) {
  return (root: Node, text: string, external?: ExternalContext): Extraction =>
    extractUnit(text, language, external) ?? new CFamilyExtraction(root, text, language, external).run(text);
}

function extractCFamilyReusing(language: Language) {
  return (root: Node, text: string, previous: ReuseInput | undefined, external?: ExternalContext): Extraction & { state?: unknown } =>
    extractUnit(text, language, external) ?? new CFamilyExtraction(root, text, language, external).run(text, { previous });
}

/**
 * The file analysed with the other files of its translation unit whose functions it shares: the headers
 * it includes that define functions it calls, and (for a header) the files that include it and call its
 * functions. The preprocessor pastes a header's functions into every file that includes it, so one tree
 * of the file followed by those files' texts sees the calls and the functions together, as within one
 * file. The file comes first, so its own positions do not move; each other file's lines are placed after
 * it (their facts and calls carry the file and that offset). Undefined when no other file takes part.
 *
 * What this file reports: its own sites; another file's sites only as seen from this file's calls (a
 * header's helper that this file passes a short length to: the finding is at this file's argument); an
 * includer's sites and calls are that file's business (its own analysis reports them). The unit is
 * parsed anew on each analysis (no state is kept for the next edit), so only files that call another
 * file's functions pay for it.
 */
function extractUnit(text: string, language: Language, external: ExternalContext | undefined): Extraction | undefined {
  const headers = external?.value as HeaderDefinitions | undefined;
  const defining = headers?.definingHeaders ?? [];
  const includers = headers?.includers ?? [];
  if (!defining.length && !includers.length) return undefined;
  const ownLast = lineCount(text);
  let combined = text;
  const parts: { part: UnitPart; first: number; last: number; foreignSites: boolean }[] = [];
  for (const [list, foreignSites] of [[defining, true], [includers, false]] as const) {
    for (const part of list) {
      combined += '\n';
      const first = lineCount(combined);
      combined += part.text;
      parts.push({ part, first, last: lineCount(combined), foreignSites });
    }
  }
  const tree = parseIfLoaded(language, combined);
  if (!tree) return undefined;
  let out: Extraction;
  try {
    out = new CFamilyExtraction(tree.rootNode, combined, language, external).run(combined);
  } finally {
    tree.delete();
  }
  const partAt = (line: number) => (line <= ownLast ? undefined : parts.find((p) => line >= p.first && line <= p.last));
  const own = (r: Range | undefined): boolean => !r || r.start.line <= ownLast;
  const facts: SiteFacts[] = [];
  const foreign: SiteFacts[] = [];
  for (const f of out.facts) {
    const p = partAt(f.site.range.start.line);
    if (!p) facts.push(ownFacts(f, own));
    else if (p.foreignSites && f.params && !f.via) foreign.push(placeElsewhere(f, p.part.file, p.first));
  }
  const calls: CallRecord[] = [];
  for (const c of out.calls ?? []) {
    const p = partAt(c.range.start.line);
    if (!p) calls.push({ ...c, args: c.args.map((a) => a && ownArg(a, own)) });
    else calls.push(callElsewhere(c, p.part.file, p.first));
  }
  return foreign.length ? { facts, calls, foreign } : { facts, calls };
}

/** The 0-based number of the text's last line. */
function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A site of the analysed file as its unit saw it: a place in another file of the unit (a constant a
 * header defines, an allocation in a header's helper) is no place of this file, so no fix may edit it and
 * no squiggle may point there (the site's own call stands for it).
 */
function ownFacts(f: SiteFacts, own: (r: Range | undefined) => boolean): SiteFacts {
  const g: SiteFacts = { ...f, argRanges: { ...f.argRanges }, constants: { ...f.constants } };
  for (const k of Object.keys(g.argRanges) as (keyof SiteFacts['argRanges'])[]) if (!own(g.argRanges[k])) g.argRanges[k] = f.site.range;
  for (const k of Object.keys(g.constants) as (keyof SiteFacts['constants'])[]) if (!own(g.constants[k]!.range)) delete g.constants[k];
  if (g.literals) {
    g.literals = { ...g.literals };
    for (const k of Object.keys(g.literals) as (keyof NonNullable<SiteFacts['literals']>)[]) if (!own(g.literals[k])) delete g.literals[k];
  }
  if (g.buffer && !ownOrigin(g.buffer, own)) g.buffer = detachOrigin(g.buffer);
  if (g.segments) {
    g.segments = g.segments.map((s) => {
      const placedHere = own(s.range) && own(s.constant?.range);
      const buffer = s.buffer && !ownOrigin(s.buffer, own) ? detachOrigin(s.buffer) : s.buffer;
      return placedHere ? { ...s, ...(buffer ? { buffer } : {}) } : { length: s.length, ...(buffer ? { buffer } : {}) };
    });
  }
  return g;
}

function ownOrigin(o: BufferOrigin, own: (r: Range | undefined) => boolean): boolean {
  return own(o.allocationRange) && own(o.capacity?.literal) && own(o.capacity?.constant?.range) && own(o.capacity?.sizeAt);
}

function ownArg(a: ArgFact, own: (r: Range | undefined) => boolean): ArgFact {
  const { constant, ...rest } = a;
  const b = rest.buffer && !ownOrigin(rest.buffer, own) ? { ...rest, buffer: detachOrigin(rest.buffer) } : rest;
  return constant && own(constant.range) ? { ...b, constant } : b;
}

export const cExtractor: LanguageExtractor = {
  language: 'c',
  // `.C` (upper case) is a C++ convention, but languageForFile matches lower-cased names, so it lands here.
  extensions: ['.c', '.h'],
  prefilter: C_FAMILY_PREFILTER,
  extract: extractCFamily('c'),
  extractReusing: extractCFamilyReusing('c'),
};

export const cppExtractor: LanguageExtractor = {
  language: 'cpp',
  extensions: ['.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++', '.ipp', '.icpp', '.tcc', '.inl'],
  prefilter: C_FAMILY_PREFILTER,
  extract: extractCFamily('cpp'),
  extractReusing: extractCFamilyReusing('cpp'),
};

/** The SiteFacts fields for how a copy_file_range result is looked at. */
function resultFacts(check: { handled: boolean; exitOnly?: boolean }): Pick<SiteFacts, 'resultHandled' | 'resultOnlyEndsTheProgram'> {
  return check.exitOnly ? { resultHandled: check.handled, resultOnlyEndsTheProgram: true } : { resultHandled: check.handled };
}

function insideLoop(node: Node, root: Node): boolean {
  for (let p = node.parent, i = 0; p && i < 200; p = p.parent, i++) {
    if (LOOP_TYPES.has(p.type)) return true;
    if (p.id === root.id) return false;
  }
  return false;
}

const COMPARISONS = new Set(['<', '<=', '==', '!=', '>', '>=']);

/**
 * Is `operand` (the result, or the variable holding it) compared, `if (x < 0)`, `if (x != len)`,
 * `if (!x)`, in the condition of an `if` whose branch only reports and leaves?
 */
function checkThatOnlyLeaves(operand: Node): boolean {
  let n = operand;
  let p = n.parent;
  for (let i = 0; p && p.type === 'parenthesized_expression' && i < 32; i++) { n = p; p = p.parent; }
  if (!p) return false;
  const compared = (p.type === 'binary_expression' && COMPARISONS.has(p.childForFieldName('operator')?.text ?? ''))
    || (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '!');
  if (!compared) return false;
  n = p;
  p = n.parent;
  for (let i = 0; p && (p.type === 'parenthesized_expression' || p.type === 'condition_clause') && i < 32; i++) { n = p; p = p.parent; }
  if (p?.type !== 'if_statement' || p.childForFieldName('condition')?.id !== n.id) return false;
  const branch = p.childForFieldName('consequence');
  return !!branch && onlyReportsAndLeaves(branch);
}

/** Calls that only tell the user, free what the function holds, or end the program. */
const REPORT_OR_EXIT_CALLS = new Set([
  'perror', 'fprintf', 'printf', 'dprintf', 'puts', 'fputs', 'warn', 'warnx', 'vwarn', 'err', 'errx', 'syslog',
  'exit', '_exit', '_Exit', 'abort', 'close', 'fclose', 'free', 'unlink',
]);
const REPORT_STREAMS = new Set(['cerr', 'std::cerr', 'cout', 'std::cout', 'clog', 'std::clog']);

const PLAIN_RETURN_VALUE = /^(-?\s*\(?\s*\d+\s*\)?|-?\s*[A-Za-z_]\w*|NULL|nullptr|false|true)$/;

/** A block (or one statement) that only reports, cleans up and returns, exits or jumps away; it must leave. */
function onlyReportsAndLeaves(branch: Node): boolean {
  const statements = branch.type === 'compound_statement' ? branch.namedChildren.filter((c) => c.type !== 'comment') : [branch];
  if (statements.length === 0 || statements.length > 12) return false;
  let leaves = false;
  for (const st of statements) {
    // `return -1;`, not `return copy_by_hand(…);` (that may be the fallback), nor a goto to a label we do not follow
    if (st.type === 'return_statement') {
      const value = st.namedChildren[0];
      if (value && !PLAIN_RETURN_VALUE.test(value.text)) return false;
      leaves = true;
      continue;
    }
    if (st.type !== 'expression_statement') return false;
    const e = st.namedChildren[0];
    if (!e) return false;
    if (e.type === 'call_expression') {
      const callee = e.childForFieldName('function')?.text.replace(/^::/, '').replace(/^std::/, '') ?? '';
      if (!REPORT_OR_EXIT_CALLS.has(callee)) return false;
      if (callee === 'exit' || callee === '_exit' || callee === '_Exit' || callee === 'abort' || callee === 'err' || callee === 'errx') leaves = true;
      continue;
    }
    if (e.type === 'binary_expression' && e.childForFieldName('operator')?.text === '<<') {
      let left: Node = e;
      for (let i = 0; left.type === 'binary_expression' && i < 64; i++) left = left.childForFieldName('left') ?? left;
      if (!REPORT_STREAMS.has(left.text)) return false;
      continue;
    }
    return false;
  }
  return leaves;
}
