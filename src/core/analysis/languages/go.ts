// Go extractor: walks each func body in source order with the abstract values of flow.ts. It knows
// os.OpenFile/syscall.Open/unix.Open flags, x/sys/unix copy_file_range and clone ioctls, the
// github.com/ncw/directio helpers, and follows *os.File values through `f.Fd()`, struct fields,
// multiple assignment and the results of the package's own functions. A package is all the files of
// its directory (the workspace index hands them over): package-level names resolve in every file, and
// the functions of the other files are analysed with this one's, their sites reported only there.
import type { Node, QueryCapture } from 'web-tree-sitter';
import type { CallRecord, Range, SiteFacts } from '../../types';
import type { ExternalContext } from '../workspace';
import type { GoPackageContext } from '../workspace/go-package';
import { MAX_CALL_DEPTH, rangeWithin } from '../interprocedural';
import type { Extraction, LanguageExtractor } from './extractor';
import { captures, walkTree } from './common';
import { guardConditionsOf, guardsAround, guardValues, type GuardCondition } from './go-guards';
import {
  GuardedEvaluator, cachedQuery, intLiteral,
  type AV, type BufAV, type FdAV, type NumAV, type ObjAV, Env, FICLONERANGE_REQUEST, FICLONE_REQUEST, MAX_DEPTH, NEVER, NONE, SiteCollector, Summaries, UNKNOWN,
  alignedBuf, binary, carriesODirect, combineBuffers, constantDef, fdFact, ficloneVariantOf, fieldChild as fc, join,
  FALLBACK_ERRNO, giveUpCheck, markHandled, markUsed, num, oDirectOf, rangeOf, runUnits, setNumber, sliceBuf, unalignedBuf, unary,
  fieldKey, readField, paramValue, setBufferParam, CallLog,
  MAX_TABLE_ROWS, type ListAV, RowWalkBudget, factsOfFirstPass,
  placeElsewhere, callElsewhere, detachOrigin, setCallersNumber, switchNames, SwitchWalkBudget, withSwitchWalks,
  openedFd, positionEscaped, positionOf, movePosition, seekPosition, escapePosition, escapeMentioned, forgetPositions, namedFlag,
  ALWAYS_CLEARS, bindDescriptorParam, callClears, clearedAtEnd, clearedParams, clearsKey, clearsWhen,
  descriptorParamOf, holdsKnownDescriptor, setflClears, setflOnName,
} from './flow';

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);
/** Packages whose names we recognise, by import path. */
const KNOWN_IMPORTS: Record<string, string> = {
  'golang.org/x/sys/unix': 'unix', syscall: 'syscall', os: 'os', io: 'io', 'github.com/ncw/directio': 'directio',
  // Named by its path, so that another package called iouring is not taken for it.
  'github.com/iceber/iouring-go': 'iceber/iouring',
  ...Object.fromEntries(Object.keys(STD_SIZE_CONSTANTS()).map((path) => [path, path])),
};

/**
 * Sizes the standard library declares as constants, by import path: a checksum written after the data
 * (`footer[:sha512.Size]`) is that many bytes. The values are the Go documentation's.
 */
function STD_SIZE_CONSTANTS(): Record<string, Record<string, number>> {
  return {
    'crypto/md5': { Size: 16, BlockSize: 64 },
    'crypto/sha1': { Size: 20, BlockSize: 64 },
    'crypto/sha256': { Size: 32, Size224: 28, BlockSize: 64 },
    'crypto/sha512': { Size: 64, Size224: 28, Size256: 32, Size384: 48, BlockSize: 128 },
    'hash/crc32': { Size: 4 },
    'hash/crc64': { Size: 8 },
    'encoding/binary': { MaxVarintLen16: 3, MaxVarintLen32: 5, MaxVarintLen64: 10 },
  };
}
const SYS = new Set(['unix', 'syscall']);
/** Known packages whose declared name is not the last element of their import path. */
const PACKAGE_NAMES: Record<string, string> = { 'github.com/iceber/iouring-go': 'iouring' };
/**
 * The request builders of github.com/iceber/iouring-go that carry an explicit file offset, with
 * unix.Pwrite's argument order: the I/O happens when the request is submitted, on the values given here.
 */
const IOURING_REQUESTS: Record<string, IoApi> = {
  Pread: { dir: 'read', fd: 0, buf: 1, off: 2 }, Pwrite: { dir: 'write', fd: 0, buf: 1, off: 2 },
  Preadv: { dir: 'read', fd: 0, buf: 1, off: 2, vectored: true }, Pwritev: { dir: 'write', fd: 0, buf: 1, off: 2, vectored: true },
};
/** cgo's pseudo-package: `C.FICLONE`, `C.O_DIRECT` are the C headers' macros (linux/fs.h, fcntl.h). */
const CGO = 'C';

/**
 * Linux system call numbers of the calls we look for, per GOARCH (the kernel's syscall tables: x86_64,
 * i386, arm EABI, and the generic table of arm64, riscv64 and loong64). They agree with Go's own tables:
 * syscall/zsysnum_linux_<arch>.go for ioctl and fcntl, internal/syscall/unix/sysnum_linux_<arch>.go for
 * copy_file_range.
 */
const SYSCALL_NUMBERS: Record<string, Record<number, string>> = {
  amd64: { 16: 'SYS_IOCTL', 72: 'SYS_FCNTL', 326: 'SYS_COPY_FILE_RANGE' },
  386: { 54: 'SYS_IOCTL', 55: 'SYS_FCNTL', 377: 'SYS_COPY_FILE_RANGE' },
  arm: { 54: 'SYS_IOCTL', 55: 'SYS_FCNTL', 391: 'SYS_COPY_FILE_RANGE' },
  arm64: { 29: 'SYS_IOCTL', 25: 'SYS_FCNTL', 285: 'SYS_COPY_FILE_RANGE' },
  riscv64: { 29: 'SYS_IOCTL', 25: 'SYS_FCNTL', 285: 'SYS_COPY_FILE_RANGE' },
  loong64: { 29: 'SYS_IOCTL', 25: 'SYS_FCNTL', 285: 'SYS_COPY_FILE_RANGE' },
};
const KNOWN_ARCHES = Object.keys(SYSCALL_NUMBERS);
/** Every GOARCH a file name suffix may spell (a `_mips64.go` file is one we have no numbers for). */
const GOARCHES = new Set([...KNOWN_ARCHES, 'amd64p32', 'arm64be', 'armbe', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32',
  'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);

/** The name an `if` tests alone: `direct`, `*direct` (a flag's pointer), `!direct`; undefined for anything else. */
function goSwitchOf(cond: Node | null): { name: string; negated: boolean } | undefined {
  let n = cond;
  let negated = false;
  for (let i = 0; n && i < 4; i++) {
    if (n.type === 'parenthesized_expression') { n = n.namedChildren[0] ?? null; continue; }
    if (n.type !== 'unary_expression') break;
    const op = fc(n, 'operator')?.type;
    if (op === '!') negated = !negated;
    else if (op !== '*') return undefined;
    n = fc(n, 'operand');
  }
  return n?.type === 'identifier' ? { name: n.text, negated } : undefined;
}

/** The call a number names on every one of the architectures, or undefined (none, or they disagree). */
function syscallOfNumber(value: number, arches: readonly string[]): string | undefined {
  if (!arches.length) return undefined;
  const names = new Set(arches.map((a) => SYSCALL_NUMBERS[a]?.[value]));
  const [only] = names;
  return names.size === 1 ? only : undefined;
}

/**
 * The architectures a Go file is built for, as far as its build constraints say: the name's `_GOARCH`
 * (or `_GOOS_GOARCH`) suffix, else the architectures the `//go:build` line requires (its positive
 * terms, all of which must be ones we know, or the line says nothing certain). Empty: unknown.
 */
function buildArchitectures(root: Node, path: string | undefined): readonly string[] {
  const suffix = path ? /_([a-z0-9]+)(?:_test)?\.go$/.exec(path.split(/[\\/]/).pop() ?? '') : null;
  if (suffix && GOARCHES.has(suffix[1]!)) return SYSCALL_NUMBERS[suffix[1]!] ? [suffix[1]!] : [];
  for (const c of root.namedChildren) {
    if (c.type === 'package_clause') break;
    const m = c.type === 'comment' ? /^\/\/go:build\s+(.*)$/.exec(c.text) : null;
    if (!m) continue;
    const expr = m[1]!;
    // Only a plain conjunction or disjunction of terms is read; anything with negated architectures is not.
    const terms = [...expr.matchAll(/(!?)([A-Za-z0-9_.]+)/g)];
    const arches = terms.filter((t) => GOARCHES.has(t[2]!));
    if (!arches.length || arches.some((t) => t[1] === '!') || arches.some((t) => !SYSCALL_NUMBERS[t[2]!])) return [];
    return [...new Set(arches.map((t) => t[2]!))];
  }
  return [];
}

interface IoApi { dir: 'read' | 'write'; fd: number; buf: number; off?: number; vectored?: boolean }
const IO_FUNCTIONS: Record<string, IoApi> = {
  Pread: { dir: 'read', fd: 0, buf: 1, off: 2 }, Pwrite: { dir: 'write', fd: 0, buf: 1, off: 2 },
  Read: { dir: 'read', fd: 0, buf: 1 }, Write: { dir: 'write', fd: 0, buf: 1 },
  Preadv: { dir: 'read', fd: 0, buf: 1, off: 2, vectored: true }, Pwritev: { dir: 'write', fd: 0, buf: 1, off: 2, vectored: true },
  Readv: { dir: 'read', fd: 0, buf: 1, vectored: true }, Writev: { dir: 'write', fd: 0, buf: 1, vectored: true },
};
const FILE_METHODS: Record<string, { dir: 'read' | 'write'; off?: number; string?: boolean }> = {
  ReadAt: { dir: 'read', off: 1 }, WriteAt: { dir: 'write', off: 1 }, Read: { dir: 'read' }, Write: { dir: 'write' },
  WriteString: { dir: 'write', string: true },
};
/** Methods of *os.File (and friends) that hand back the same descriptor. */
const FD_PASS = new Set(['Fd', 'SyscallConn', 'File']);
/** Methods of *os.File that leave its file position where it is. */
const FILE_POSITION_NEUTRAL = new Set(['ReadAt', 'WriteAt', 'Close', 'Sync', 'Stat', 'Name', 'Truncate', 'Chmod', 'Chown', 'Chdir',
  'SetDeadline', 'SetReadDeadline', 'SetWriteDeadline']);
/** unix/syscall functions that take a descriptor and leave its file position where it is. */
const SYS_POSITION_NEUTRAL = new Set(['Pread', 'Pwrite', 'Preadv', 'Pwritev', 'Fstat', 'Fstatfs', 'Fsync', 'Fdatasync', 'Ftruncate',
  'Fallocate', 'Fadvise', 'FcntlInt', 'Fcntl', 'Flock', 'IoctlFileClone', 'IoctlFileCloneRange', 'IoctlSetInt', 'IoctlSetPointerInt',
  'Close', 'Mmap', 'Fchmod', 'Fchown', 'SyncFileRange']);
const CONVERSIONS = new Set(['int', 'int32', 'int64', 'uint', 'uint32', 'uint64', 'uintptr', 'uint8', 'uint16', 'int8', 'int16']);

interface GoUnit { fn: Node; name: string; recvType?: string; text: string; owner: GoAnalysis }
interface ConstDecl { name: string; value: Node; iota: number }
/** A function a variable of function type may hold: a package's (`directio.OpenFile`) or one of the package's own. */
type FunctionTarget = { kind: 'package'; pkg: string; fn: string } | { kind: 'function'; name: string };
/** Every function a variable may hold; `open` when some value stored in it is none we can name (a literal, a call's result). */
interface FunctionTargets { targets: FunctionTarget[]; open: boolean }
/** How many variables deep `a = b` (b itself a variable of function type) is followed. */
const MAX_TARGET_HOPS = 8;

/** How many files deep a package-level name may be looked up through others (`A = B` in one file, `B = C` in another…). */
const MAX_PACKAGE_HOPS = 32;

/**
 * The package-level declarations of all the files of a package, for the analysis of each: Go has one
 * namespace per package (imports are per file). A value is computed by the file that declares it,
 * with that file's imports, and reaches the other files detached from its places there.
 */
class GoPackageScope {
  private hops = 0;

  constructor(readonly files: readonly GoAnalysis[]) {}

  /** The value of a package-level const or var declared in another file than `asking`, or undefined. */
  valueOf(name: string, asking: GoAnalysis): AV | undefined {
    if (this.hops >= MAX_PACKAGE_HOPS) return UNKNOWN;
    let result: AV | undefined;
    this.hops++;
    try {
      for (const f of this.files) {
        if (f === asking || !f.declares(name)) continue;
        const v = f.ownValue(name);
        if (v) result = result === undefined ? detach(v) : join(result, detach(v));
      }
    } finally {
      this.hops--;
    }
    return result;
  }

  declares(name: string): boolean { return this.files.some((f) => f.declares(name)); }

  /** Whether some file of the package declares a package-level var of this name. */
  declaresVar(name: string): boolean { return this.files.some((f) => f.declaresVar(name)); }

  /** Whether some file of the package declares a function (not a method) of this name. */
  declaresFunction(name: string): boolean { return this.files.some((f) => f.declaresFunction(name)); }

  /** The functions any file of the package stores in a package-level var (see GoAnalysis.ownFunctionTargets). */
  functionTargets(name: string, seen: Set<string>): FunctionTargets {
    const all: FunctionTargets = { targets: [], open: false };
    for (const f of this.files) addTargets(all, f.ownFunctionTargets(name, seen));
    return all;
  }

  structFields(type: string): string[] | undefined {
    for (const f of this.files) { const fields = f.ownStructFields(type); if (fields) return fields; }
    return undefined;
  }
}

class GoAnalysis extends GuardedEvaluator {
  protected readonly language = 'go';
  protected readonly callType = 'call_expression';
  protected readonly flatScanSkips: ReadonlySet<string> = new Set([]);
  sites = new SiteCollector('go');
  readonly calls = new CallLog();
  private unitKey: string | undefined;
  readonly units: GoUnit[] = [];
  private readonly imports = new Map<string, string>();
  private readonly consts = new Map<string, ConstDecl[]>();
  private readonly constCache = new Map<string, AV>();
  private readonly constBusy = new Set<string>();
  /** Package-level vars never assigned in a function: treated like constants. */
  private readonly pkgVars = new Map<string, Node>();
  /** Every package-level var: a descriptor stored in one may be used by any function. */
  private readonly topLevelVars = new Set<string>();
  /** Each package-level var's initializer and type, for the value a function sees on entry. */
  private readonly varInits = new Map<string, { value?: Node; type?: Node }>();
  private readonly structFields = new Map<string, string[]>();
  private readonly mutations: Node[] = [];
  private loopDepth = 0;
  private condDepth = 0;
  private iota: number | undefined;
  /** The current function's parameters: position and incoming value (to tell a parameter still unchanged). */
  private params = new Map<string, { index: number; value: AV }>();
  /** For each return of the current walk: the parameter the returned block's length is, if it is one. */
  private returnLengthParams: (number | undefined)[] = [];
  /**
   * For each return of the current walk: null when it returns no descriptor opened here, else the
   * parameter whose flags alone decide where the descriptor starts, undefined when none does.
   */
  private returnOpens: (number | null | undefined)[] = [];
  /** Parameters of the current function whose descriptor an fcntl(F_SETFL) (or a clearing helper) changes. */
  private setflParams = new Set<number>();
  /** The current walk's returns, with the parameters whose O_DIRECT was cleared on the way to each. */
  private clearReturns: { node: Node; cleared: Set<number> }[] = [];
  /** Package-level names some function of this file assigns to (not constants, in any file). */
  readonly assigned = new Set<string>();
  /**
   * Functions of this file used as values (`register("ioctl", copyRangeIoctl)`, a map literal of them),
   * by their number of parameters: a call through a function value may be a call of any of them.
   */
  readonly functionValues = new Map<string, number>();
  /** The functions of this file that call through a function value (`methods[name](…)`, `fn(…)` of a local). */
  readonly indirectCallers = new Set<string>();
  scope: GoPackageScope | undefined;

  /**
   * `file`: set when this is another file of the analysed file's package (its absolute path).
   * `writerBase`: keeps this file's writers of the shared summaries apart from other files' (node offsets
   * repeat from file to file).
   */
  constructor(private readonly root: Node, protected readonly summaries: Summaries, readonly file?: string, private readonly writerBase = 0, private readonly path?: string) { super(); }

  private write(key: string, writer: number, value: AV): void {
    this.summaries.write(key, this.writerBase + writer, this.file ? detach(value) : value);
  }

  /**
   * What a call says of a parameter. From another file, only what makes the callee's calls sites (an
   * O_DIRECT descriptor): its numbers and buffers are judged at that call, in that file, so they must
   * not combine with this file's callers into a value placed at the callee's site.
   */
  private writeParam(key: string, writer: number, value: AV): void {
    this.write(key, writer, this.file && (value.k === 'num' || value.k === 'buf') ? UNKNOWN : value);
  }

  declares(name: string): boolean { return this.consts.has(name) || this.pkgVars.has(name); }

  declaresVar(name: string): boolean { return this.topLevelVars.has(name); }

  declaresFunction(name: string): boolean { return this.units.some((u) => !u.recvType && u.name === name); }

  /** A package-level name declared in this file, evaluated here. */
  ownValue(name: string): AV | undefined { return this.constValue(name) ?? this.pkgVarValue(name); }

  ownStructFields(type: string): string[] | undefined { return this.structFields.get(type); }

  private fieldsOf(type: string): string[] | undefined { return this.structFields.get(type) ?? this.scope?.structFields(type); }

  /** Package-level vars that no file of the package assigns to stay treated as constants. */
  dropAssigned(names: Iterable<string>): void { for (const name of names) this.pkgVars.delete(name); }

  /** `found`: the file query's captures when they are known already (another file of the package). */
  collect(found: readonly QueryCapture[] = captures(fileQuery(this.root), this.root)): void {
    const assigned = new Set<string>();
    for (const cap of found) {
      const n = cap.node;
      switch (cap.name) {
        case 'import': {
          const path = fc(n, 'path')?.text.replace(/^["`]|["`]$/g, '') ?? '';
          const alias = fc(n, 'name')?.text;
          const pkg = KNOWN_IMPORTS[path] ?? path.split('/').pop() ?? path;
          if (alias === '.') for (const p of ['unix', 'syscall', 'os', 'directio']) { if (pkg === p) this.imports.set('.', pkg); }
          else if (alias !== '_') this.imports.set(alias ?? PACKAGE_NAMES[path] ?? path.split('/').pop()!, pkg);
          break;
        }
        case 'constblock': this.collectConstBlock(n); break;
        case 'var': {
          // package level: `var x = …` or a spec of a `var ( … )` block, not a function's own
          const decl = n.parent?.type === 'var_spec_list' ? n.parent.parent : n.parent;
          if (decl?.parent?.type !== 'source_file') break;
          const names = n.childrenForFieldName('name');
          const values = fc(n, 'value')?.namedChildren ?? [];
          for (const nm of names) this.topLevelVars.add(nm.text);
          if (names.length === values.length) names.forEach((nm, i) => this.pkgVars.set(nm.text, values[i]!));
          const type = fc(n, 'type');
          names.forEach((nm, i) => this.varInits.set(nm.text, { value: names.length === values.length ? values[i] : undefined, type: type ?? undefined }));
          break;
        }
        case 'struct': {
          const name = fc(n, 'name')?.text;
          const list = fc(n, 'type')?.namedChildren.find((c) => c.type === 'field_declaration_list');
          if (name && list) {
            const fields: string[] = [];
            for (const f of list.namedChildren) if (f.type === 'field_declaration') for (const nm of f.childrenForFieldName('name')) fields.push(nm.text);
            this.structFields.set(name, fields);
          }
          break;
        }
        case 'fn': {
          const name = fc(n, 'name')?.text ?? '';
          const recv = n.type === 'method_declaration' ? fc(n, 'receiver')?.namedChildren[0] : undefined;
          const recvType = recv ? typeName(fc(recv, 'type')) : undefined;
          if (fc(n, 'body')) this.units.push({ fn: n, name, recvType, text: n.text, owner: this });
          break;
        }
        case 'mutation': {
          this.mutations.push(n);
          if (n.type === 'identifier') assigned.add(n.text);
          break;
        }
        default: break;
      }
    }
    for (const name of assigned) { this.pkgVars.delete(name); this.assigned.add(name); }
    this.collectFunctionValues();
  }

  private collectFunctionValues(): void {
    const arity = new Map<string, number>();
    for (const u of this.units) if (!u.recvType) arity.set(u.name, parameterCount(u.fn));
    if (!arity.size) return;
    for (const u of this.units) {
      walkTree(u.fn, (type, get) => {
        if (type === 'call_expression') {
          const fn = fc(get(), 'function');
          const local = fn?.type === 'identifier' && !arity.has(fn.text) && !GO_BUILTINS.has(fn.text) && declaresLocally(u.fn, fn.text);
          if (fn && (fn.type === 'index_expression' || local)) this.indirectCallers.add(u.name);
          return;
        }
        if (type !== 'identifier') return;
        const id = get();
        const n = arity.get(id.text);
        if (n === undefined || n < 0 || id.parent === u.fn) return;
        const parent = id.parent;
        if (parent?.type === 'call_expression' && fc(parent, 'function')?.id === id.id) return;
        this.functionValues.set(id.text, n);
      });
    }
  }

  private collectConstBlock(decl: Node): void {
    // Go repeats the previous spec's expression for a spec without one, with iota counting up.
    let previous: Node | undefined;
    let index = 0;
    for (const spec of decl.namedChildren) {
      if (spec.type !== 'const_spec') continue;
      const names = spec.childrenForFieldName('name');
      const values = fc(spec, 'value')?.namedChildren;
      const list = values && values.length ? values : undefined;
      if (list) previous = list[0];
      names.forEach((nm, i) => {
        const value = list ? list[i] : previous;
        if (value) {
          const decls = this.consts.get(nm.text) ?? [];
          decls.push({ name: nm.text, value, iota: index });
          this.consts.set(nm.text, decls);
        }
      });
      index++;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Variables of function type (`var openFile = directio.OpenFile`, swapped for os.OpenFile by a flag)

  private readonly packageTargetCache = new Map<string, FunctionTargets>();
  private readonly localTargetCache = new Map<string, FunctionTargets>();

  /**
   * The functions this file stores in the package-level var `name`: its initializer (when this file
   * declares it) and the right side of every `name = …` in a function that has no local of that name.
   */
  ownFunctionTargets(name: string, seen: Set<string>): FunctionTargets {
    const all: FunctionTargets = { targets: [], open: false };
    const init = this.varInits.get(name);
    if (init?.value) addTargets(all, this.targetsOfValue(init.value, seen, undefined));
    for (const m of this.assignmentsOf(name)) {
      const statement = m.parent?.parent;
      if (statement?.type !== 'assignment_statement') continue;
      const fn = enclosingFunction(statement);
      if (fn && this.localsOf(fn).has(name)) continue;
      addTargets(all, this.assignedTargets(statement, m, seen, undefined));
    }
    return all;
  }

  private assignmentIndex: Map<string, Node[]> | undefined;

  /** The identifiers assigned (or declared with `:=`) in this file's functions, by name. */
  private assignmentsOf(name: string): readonly Node[] {
    if (!this.assignmentIndex) {
      this.assignmentIndex = new Map();
      for (const m of this.mutations) {
        if (m.type !== 'identifier') continue;
        const list = this.assignmentIndex.get(m.text);
        if (list) list.push(m); else this.assignmentIndex.set(m.text, [m]);
      }
    }
    return this.assignmentIndex.get(name) ?? [];
  }

  private readonly localsCache = new Map<number, Set<string>>();

  /** The names a function declares itself (parameters, `:=`, `var`, `const`, range variables), nested literals included. */
  private localsOf(fn: Node): Set<string> {
    let names = this.localsCache.get(fn.startIndex);
    if (names) return names;
    names = new Set();
    const found = names;
    walkTree(fn, (type, get) => {
      if (type === 'parameter_declaration' || type === 'variadic_parameter_declaration' || type === 'var_spec' || type === 'const_spec') {
        for (const nm of get().childrenForFieldName('name')) found.add(nm.text);
      } else if (type === 'short_var_declaration' || (type === 'range_clause' && /:=/.test(get().text))) {
        for (const l of fc(get(), 'left')?.namedChildren ?? []) if (l.type === 'identifier') found.add(l.text);
      }
      return true;
    });
    this.localsCache.set(fn.startIndex, names);
    return names;
  }

  /** What `left` of an assignment or declaration is given: the value beside it, or open (`f, err := pick()`, `f += …`). */
  private assignedTargets(statement: Node, left: Node, seen: Set<string>, local: Node | undefined): FunctionTargets {
    const operator = fc(statement, 'operator')?.text ?? '=';
    if (statement.type === 'assignment_statement' && operator !== '=') return OPEN_TARGETS;
    const lefts = statement.type === 'var_spec' ? statement.childrenForFieldName('name') : fc(statement, 'left')?.namedChildren ?? [];
    const rights = fc(statement, statement.type === 'var_spec' ? 'value' : 'right')?.namedChildren ?? [];
    if (statement.type === 'var_spec' && !rights.length) return NO_TARGETS;   // `var open func(…) …`: nil until assigned
    const i = lefts.findIndex((l) => l.id === left.id);
    return i >= 0 && lefts.length === rights.length ? this.targetsOfValue(rights[i]!, seen, local) : OPEN_TARGETS;
  }

  /** The functions a package-level var may hold, from every file of the package. */
  private packageTargets(name: string, seen: Set<string>): FunctionTargets {
    const key = `package:${name}`;
    const cached = this.packageTargetCache.get(name);
    if (cached) return cached;
    if (seen.has(key)) return NO_TARGETS;   // `a = b` and `b = a`: what each holds comes from their other values
    if (seen.size >= MAX_TARGET_HOPS) return OPEN_TARGETS;
    seen.add(key);
    const found = this.scope ? this.scope.functionTargets(name, seen) : this.ownFunctionTargets(name, seen);
    seen.delete(key);
    if (!seen.size) this.packageTargetCache.set(name, found);
    return found;
  }

  /**
   * The functions a local of `fn` may hold: every value the function declares or assigns it with. A
   * parameter or a range variable is open: its callers or the ranged value decide.
   */
  private localTargets(fn: Node, name: string, seen: Set<string>): FunctionTargets {
    const key = `local:${fn.startIndex}:${name}`;
    const cached = this.localTargetCache.get(key);
    if (cached) return cached;
    if (seen.has(key)) return NO_TARGETS;
    if (seen.size >= MAX_TARGET_HOPS) return OPEN_TARGETS;
    seen.add(key);
    const all: FunctionTargets = { targets: [], open: false };
    walkTree(fn, (type, get) => {
      if (type === 'parameter_declaration' || type === 'variadic_parameter_declaration') {
        if (get().childrenForFieldName('name').some((n) => n.text === name)) all.open = true;
      } else if (type === 'range_clause') {
        if ((fc(get(), 'left')?.namedChildren ?? []).some((n) => n.text === name)) all.open = true;
      } else if (type === 'var_spec') {
        const left = get().childrenForFieldName('name').find((n) => n.text === name);
        if (left) addTargets(all, this.assignedTargets(get(), left, seen, fn));
      } else if (type === 'short_var_declaration' || type === 'assignment_statement') {
        const left = (fc(get(), 'left')?.namedChildren ?? []).find((n) => n.type === 'identifier' && n.text === name);
        if (left) addTargets(all, this.assignedTargets(get(), left, seen, fn));
      }
    });
    seen.delete(key);
    if (!seen.size) this.localTargetCache.set(key, all);
    return all;
  }

  /**
   * The functions a value names: `directio.OpenFile` (a package's), `openDirect` (the package's own),
   * another variable of function type (what it holds); nil holds none. `local`: the function the value
   * is written in, whose locals it may name.
   */
  private targetsOfValue(value: Node, seen: Set<string>, local: Node | undefined): FunctionTargets {
    let n: Node | undefined = value;
    while (n?.type === 'parenthesized_expression') n = n.namedChildren[0];
    if (!n) return OPEN_TARGETS;
    if (n.type === 'nil') return NO_TARGETS;
    const isLocal = (id: string): boolean => !!local && this.localsOf(local).has(id);
    const isVar = (id: string): boolean => this.declaresVar(id) || !!this.scope?.declaresVar(id);
    if (n.type === 'selector_expression') {
      const operand = fc(n, 'operand');
      const field = fc(n, 'field')?.text;
      // A method value (`w.Write` of a local or a package var) is no package's function.
      if (operand?.type !== 'identifier' || !field || isLocal(operand.text) || isVar(operand.text)) return OPEN_TARGETS;
      const pkg = this.pkgOf(operand, new Env());
      return pkg === undefined ? OPEN_TARGETS : { targets: [{ kind: 'package', pkg, fn: field }], open: false };
    }
    if (n.type === 'identifier') {
      if (isLocal(n.text)) return this.localTargets(local!, n.text, seen);
      if (this.declaresFunction(n.text) || this.scope?.declaresFunction(n.text)) return { targets: [{ kind: 'function', name: n.text }], open: false };
      if (isVar(n.text)) return this.packageTargets(n.text, seen);
    }
    return OPEN_TARGETS;
  }

  /**
   * The functions a call `name(…)` may call when `name` is a variable of function type (a local of
   * the current function, or else a package-level var); undefined when it is none, or we name none of
   * the functions it may hold.
   */
  private calledTargets(name: string): FunctionTargets | undefined {
    let found: FunctionTargets | undefined;
    if (this.currentFn && this.shadowed(name)) found = this.localTargets(this.currentFn, name, new Set());
    else if (this.declaresVar(name) || this.scope?.declaresVar(name)) found = this.packageTargets(name, new Set());
    return found?.targets.length ? found : undefined;
  }

  /** Package-level vars of function type that may hold a directio opener or a function of the package: a function calling one matters. */
  private functionVarNames(): string[] {
    const names: string[] = [];
    for (const name of this.topLevelVars) {
      const held = this.packageTargets(name, new Set());
      if (held.targets.some((t) => t.kind === 'function' || t.pkg === 'directio')) names.push(name);
    }
    return names;
  }

  /** The package-level names of this file that hold O_DIRECT or a clone request: a function using one matters. */
  relevantNames(): string[] {
    const names: string[] = [];
    for (const name of this.consts.keys()) {
      const v = this.constValue(name);
      if (v && (carriesODirect(v) || ficloneVariantOf(v))) names.push(name);
    }
    for (const name of this.pkgVars.keys()) {
      const v = this.pkgVarValue(name);
      if (v && carriesODirect(v)) names.push(name);
    }
    names.push(...this.functionVarNames());
    return names;
  }

  analyzeUnit(unit: GoUnit): SiteFacts[] {
    this.sites = new SiteCollector('go');
    this.depth = 0;
    this.loopDepth = 0;
    this.condDepth = 0;
    this.returns = [];
    this.rowFacts = [];
    this.unitKey = fnKey(unit.recvType, unit.name);
    this.params = new Map();
    this.returnLengthParams = [];
    this.returnOpens = [];
    this.setflParams = new Set();
    this.clearReturns = [];
    const env = new Env();
    const fn = unit.fn;
    if (unit.recvType) {
      const recv = fc(fn, 'receiver')?.namedChildren[0];
      const name = recv ? fc(recv, 'name')?.text : undefined;
      if (name) env.declare(name, { k: 'inst', type: unit.recvType });
    }
    let index = 0;
    for (const p of fc(fn, 'parameters')?.namedChildren ?? []) {
      if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
      const t = typeName(fc(p, 'type'));
      for (const nm of p.childrenForFieldName('name')) {
        const at = index++;
        // Another file's function takes from its callers only what makes its calls sites (an O_DIRECT
        // descriptor): numbers and buffers are each call's, judged by interprocedural.ts at the call, since
        // a value all callers agree on would be placed at the site, in that file.
        const summary = this.summaries.read(paramKey(unit.recvType, unit.name, at));
        const passed = this.file && (summary.k === 'num' || summary.k === 'buf') ? UNKNOWN : summary;
        const value = passed.k !== 'unknown' ? paramValue(passed, { fn: fnKey(unit.recvType, unit.name), index: at, name: nm.text })
          : t && this.fieldsOf(t) ? { k: 'inst', type: t } as AV : paramValue(UNKNOWN, { fn: fnKey(unit.recvType, unit.name), index: at, name: nm.text });
        env.declare(nm.text, value);
        bindDescriptorParam(env, nm.text, at);
        this.params.set(nm.text, { index: at, value });
      }
    }
    this.currentFn = fn;
    this.localNames = undefined;
    this.enterPackageState(unit, env);
    const start = env.copy();
    this.evalBlock(fc(fn, 'body'), env);
    let ret: AV = NEVER;
    for (const r of this.returns) ret = join(ret, summaryValue(r));
    ret = withoutNil(ret);
    this.write(retKey(unit.recvType, unit.name), fn.startIndex, ret.k === 'never' ? UNKNOWN : ret);
    // Every return hands back a block as long as one parameter says: each call's argument is its length.
    const sized = this.returnLengthParams;
    const same = sized.length > 0 && sized.length === this.returns.length && sized.every((i) => i !== undefined && i === sized[0]);
    this.write(retLengthKey(unit.recvType, unit.name), fn.startIndex, same ? num(sized[0]!) : UNKNOWN);
    // Every return of a descriptor hands back one just opened with its caller's flags (an opener that adds
    // O_DIRECT): where each call's descriptor starts is what its own flags argument says.
    const opens = this.returnOpens.filter((o) => o !== null);
    const opener = opens.length > 0 && opens.every((o) => o !== undefined && o === opens[0]);
    this.write(retOpenFlagsKey(unit.recvType, unit.name), fn.startIndex, opener ? num(opens[0]!) : UNKNOWN);
    this.writeClears(fn, env, start);
    const conditions = this.guardConditions(fn);
    for (const s of conditions.length ? this.sites.sites : []) {
      const guards = s.facts.params && s.node ? guardsAround(s.node, fn, conditions, this.unitKey) : [];
      if (guards.length) s.facts.guards = guards;
    }
    return [...this.withSwitches(fn, start, this.sites.result()), ...this.rowFacts];
  }

  private readonly guardCache = new Map<number, GuardCondition[]>();
  private unitsByKey: Map<string, GoUnit | null> | undefined;

  /** The conditions of a function of this file that each call's arguments decide (see go-guards.ts). */
  private guardConditions(fn: Node): GuardCondition[] {
    let found = this.guardCache.get(fn.startIndex);
    if (!found) {
      found = guardConditionsOf(fn, (name) => this.constValue(name)?.k === 'num');
      this.guardCache.set(fn.startIndex, found);
    }
    return found;
  }

  /** What a call of this file's function `name` decides of the conditions around its sites. */
  private guardValuesAt(recvType: string | undefined, name: string, args: AV[]): CallRecord['expressions'] {
    if (!this.unitsByKey) {
      // a name defined twice (under two build constraints) has no one body to decide its conditions
      this.unitsByKey = new Map();
      for (const u of this.units) { const k = fnKey(u.recvType, u.name); this.unitsByKey.set(k, this.unitsByKey.has(k) ? null : u); }
    }
    const unit = this.unitsByKey.get(fnKey(recvType, name));
    return unit ? guardValues(unit.fn, this.guardConditions(unit.fn), args, (n, env) => this.evalExpr(n, env)) : undefined;
  }

  /**
   * What the function leaves of O_DIRECT on each descriptor parameter it hands to fcntl(F_SETFL): cleared
   * on every path to its end, cleared only for one value of a boolean parameter it tests (a walk per
   * value, like the switch walks), or not known to be cleared.
   */
  private writeClears(fn: Node, end: Env, start: Env): void {
    if (!this.setflParams.size || !this.unitKey) return;
    const params = [...this.setflParams];
    const always = clearedAtEnd(end, this.clearReturns, (ret) => !goErrorExit(ret));
    const conditional = new Map<number, AV>();
    const body = fc(fn, 'body');
    if (body && params.some((i) => !always.has(i))) {
      const switches = switchNames(body, 'if_statement', (n) => goSwitchOf(fc(n, 'condition'))?.name, this.assignedNames(fn), true).filter((n) => this.params.has(n));
      for (const name of switches) {
        const [on, off] = [true, false].map((value) => this.clearedWith(body, start, name, value));
        for (const i of params) {
          if (always.has(i) || conditional.has(i) || on!.has(i) === off!.has(i)) continue;
          conditional.set(i, clearsWhen(this.params.get(name)!.index, on!.has(i)));
        }
      }
    }
    for (const i of params) this.write(clearsKey(this.unitKey, i), fn.startIndex, always.has(i) ? ALWAYS_CLEARS : conditional.get(i) ?? UNKNOWN);
  }

  /** The parameters cleared at the end of a walk of the body with the switch `name` taking `value`. */
  private clearedWith(body: Node, start: Env, name: string, value: boolean): Set<number> {
    const saved = { sites: this.sites, returns: this.returns, clearReturns: this.clearReturns, setflParams: this.setflParams,
      loopDepth: this.loopDepth, condDepth: this.condDepth, inRowWalk: this.inRowWalk };
    this.sites = new SiteCollector('go');
    this.returns = [];
    this.clearReturns = [];
    this.setflParams = new Set();
    this.assumed = { name, value };
    this.inRowWalk = true;
    try {
      const env = start.copy();
      this.summaries.mute(() => this.calls.mute(() => this.evalBlock(body, env)));
      return clearedAtEnd(env, this.clearReturns, (ret) => !goErrorExit(ret));
    } finally {
      Object.assign(this, saved, { assumed: undefined });
    }
  }

  /** The name a descriptor argument is read from: `f`, `int(f.Fd())`, `uintptr(fd)`, `(fd)`. */
  private descriptorName(node: Node | undefined): string | undefined {
    let n = node;
    for (let i = 0; n && i < 6; i++) {
      if (n.type === 'parenthesized_expression') { n = n.namedChildren[0]; continue; }
      if (n.type === 'type_conversion_expression') { n = fc(n, 'operand') ?? undefined; continue; }
      if (n.type !== 'call_expression') break;
      const fnNode = fc(n, 'function');
      const args = fc(n, 'arguments')?.namedChildren ?? [];
      if (fnNode?.type === 'identifier' && CONVERSIONS.has(fnNode.text) && args.length === 1) n = args[0];
      else if (fnNode?.type === 'selector_expression' && fc(fnNode, 'field')?.text === 'Fd' && !args.length) n = fc(fnNode, 'operand') ?? undefined;
      else break;
    }
    return n?.type === 'identifier' ? n.text : undefined;
  }

  /**
   * An fcntl(F_SETFL) on `fdNode`: with flags that lack O_DIRECT the descriptor is buffered from here
   * on (and, when it is a parameter's, the callers' after the call); one that sets O_DIRECT undoes an
   * earlier clearing of the parameter.
   */
  private setflOn(fdNode: Node | undefined, clears: boolean, env: Env): void {
    const name = this.descriptorName(fdNode);
    if (name) setflOnName(env, name, clears, this.setflParams);
  }

  /** Is the argument a descriptor the walk knows (or a parameter's)? Only those are asked about clearing. */
  private holdsDescriptor(arg: Node, env: Env): boolean {
    const name = this.descriptorName(arg);
    return name !== undefined && holdsKnownDescriptor(env, name);
  }

  /** A call of a function of the package that clears O_DIRECT on a descriptor it is passed (see writeClears). */
  private callClearing(fn: string, argNodes: Node[], env: Env): void {
    argNodes.forEach((arg, i) => {
      if (!this.holdsDescriptor(arg, env) || !callClears(this.summaries.read(clearsKey(fn, i)), (at) => goBoolean(argNodes[at]))) return;
      this.setflOn(arg, true, env);
    });
  }

  /** The switch the current walk takes as set (`direct` true) or unset; undefined in an ordinary walk. */
  private assumed: { name: string; value: boolean } | undefined;
  private readonly switchBudget = new SwitchWalkBudget();

  /**
   * Package state: a package-level var that functions of this file assign holds, on entry to any
   * function, its initializer or any value a function stores in it (`openFlags |= O_DIRECT` in main,
   * `dataFile, err = os.OpenFile(…)`), joined. Bound in the function's environment so that its own
   * assignments and branches follow it from there; a local of the same name shadows it as usual.
   */
  private enterPackageState(unit: GoUnit, env: Env): void {
    if (!this.stateNames.size) return;
    const mentioned = new Set(unit.text.match(IDENTIFIERS) ?? []);
    for (const name of this.stateNames) {
      if (!mentioned.has(name) || env.has(name)) continue;
      const stored = this.summaries.read(stateKey(name));   // read first: a later store runs this function again
      const initial = this.initialValue(name);
      env.assign(name, this.summaries.valueOf(stateKey(name)) === undefined ? initial : join(initial, stored));
    }
  }

  /** The package-level vars this file assigns in a function (not ones another file's functions assign). */
  private get stateNames(): ReadonlySet<string> {
    return (this.stateCache ??= new Set([...this.assigned].filter((n) => this.varInits.has(n))));
  }

  private stateCache: Set<string> | undefined;
  /** The current function and the names it declares itself (parameters, `:=`, `var`), computed when first asked. */
  private currentFn: Node | undefined;
  private localNames: Set<string> | undefined;

  /** Does the current function declare a local of this name (so that assigning it is no package state)? */
  private shadowed(name: string): boolean {
    this.localNames ??= this.currentFn ? this.localsOf(this.currentFn) : new Set();
    return this.localNames.has(name);
  }

  /** A package var's value before any function runs: its initializer's number or flags, nil for a pointer. */
  private initialValue(name: string): AV {
    const decl = this.varInits.get(name);
    if (!decl) return UNKNOWN;
    if (!decl.value) return decl.type && /^(pointer_type|interface_type|slice_type|map_type|channel_type|function_type)$/.test(decl.type.type) ? NEVER : UNKNOWN;
    const node = decl.value;
    return this.fileLevelValue(`init:${name}`, () => {
      const v = this.evalExpr(node, new Env());
      return v.k === 'num' || v.k === 'flags' ? v : UNKNOWN;
    });
  }

  /**
   * The unit's sites, those that are O_DIRECT only with one of its switches on taking the values of
   * that path (see correlatedFacts). The extra walks write no summary and record no call.
   */
  private withSwitches(fn: Node, start: Env, base: SiteFacts[]): SiteFacts[] {
    const body = fc(fn, 'body');
    if (!body || this.inRowWalk || !base.length) return base;
    const names = switchNames(body, 'if_statement', (n) => goSwitchOf(fc(n, 'condition'))?.name, this.assignedNames(fn));
    const saved = { sites: this.sites, returns: this.returns, loop: this.loopDepth, cond: this.condDepth };
    this.inRowWalk = true;   // a table's rows are walked by the ordinary walk only
    try {
      return withSwitchWalks(base, names, this.switchBudget, body, (name, value) => {
        this.sites = new SiteCollector('go');
        this.returns = [];
        this.assumed = { name, value };
        this.summaries.mute(() => this.calls.mute(() => this.evalBlock(body, start.copy())));
        return this.sites.result();
      });
    } finally {
      Object.assign(this, { sites: saved.sites, returns: saved.returns, loopDepth: saved.loop, condDepth: saved.cond, assumed: undefined, inRowWalk: false });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private evalBlock(block: Node | null, env: Env): void {
    if (!block) return;
    if (this.depth > MAX_DEPTH || this.flat) { this.flatScan(block, env); return; }
    this.depth++;
    env.enterBlock();
    try {
      for (const c of block.namedChildren) {
        if (c.type === 'statement_list') { for (const s of c.namedChildren) { if (env.diverged) break; this.exec(s, env); } }
        else if (!env.diverged) this.exec(c, env);
      }
    } finally {
      env.exitBlock();
      this.depth--;
    }
  }

  private exec(node: Node, env: Env): void {
    switch (node.type) {
      case 'short_var_declaration': this.assign(fc(node, 'left'), fc(node, 'right'), env, true); return;
      case 'assignment_statement': {
        const op = fc(node, 'operator')?.text ?? '=';
        if (op === '=') { this.assign(fc(node, 'left'), fc(node, 'right'), env, false); return; }
        const left = fc(node, 'left')?.namedChildren[0];
        const r = this.evalExpr(fc(node, 'right')?.namedChildren[0], env);
        markUsed(r);
        const cur = left ? this.evalExpr(left, env) : UNKNOWN;
        this.store(left ?? null, binary(op.slice(0, -1), cur, r), env, false);
        return;
      }
      case 'inc_statement': case 'dec_statement': {
        const target = node.namedChildren[0];
        const cur = target ? this.evalExpr(target, env) : UNKNOWN;
        this.store(target ?? null, binary(node.type === 'inc_statement' ? '+' : '-', cur, num(1)), env, false);
        return;
      }
      case 'var_declaration': case 'const_declaration': {
        const specs = node.namedChildren.flatMap((c) => (c.type === 'var_spec_list' ? c.namedChildren : [c]));
        if (node.type === 'const_declaration') {
          // Local constants: evaluate like package ones (iota included).
          let previous: Node | undefined;
          specs.forEach((spec, iota) => {
            const values = fc(spec, 'value')?.namedChildren;
            if (values?.length) previous = values[0];
            spec.childrenForFieldName('name').forEach((nm, i) => {
              const v = values?.[i] ?? previous;
              env.declare(nm.text, v ? this.withIota(iota, () => this.constNumber(nm.text, v, env)) : UNKNOWN);
            });
          });
          return;
        }
        for (const spec of specs) {
          if (spec.type !== 'var_spec') continue;
          const names = spec.childrenForFieldName('name');
          const values = fc(spec, 'value')?.namedChildren ?? [];
          const typeNode = fc(spec, 'type');
          const vals = this.evalList(values, env, names.length);
          names.forEach((nm, i) => {
            let v = vals[i] ?? UNKNOWN;
            if (!values.length && typeNode) v = this.zeroValue(typeNode, env, spec);
            env.declare(nm.text, v);
          });
        }
        return;
      }
      case 'expression_statement': this.evalExpr(node.namedChildren[0], env); return;
      case 'return_statement': {
        const list = node.namedChildren[0];
        // `return nil, err`: a nil result is no value at all, so an error path adds nothing to what the
        // function returns (the descriptor of `return f, nil` stays the result)
        const vals = list ? (list.type === 'expression_list' ? list.namedChildren : [list]).map((e) => (e.type === 'nil' ? NONE : this.evalExpr(e, env))) : [];
        for (const v of vals) markHandled(v);
        this.returns.push(vals.length === 1 ? vals[0]! : { k: 'list', items: vals });
        this.returnLengthParams.push(vals.length === 1 && vals[0]!.k === 'buf' ? lengthParamOf.get(vals[0]!) : undefined);
        this.returnOpens.push(this.openDecidedByParam(vals, env));
        this.clearReturns.push({ node, cleared: clearedParams(env) });
        env.diverged = true;
        return;
      }
      case 'if_statement': this.execIf(node, env); return;
      case 'for_statement': this.execFor(node, env); return;
      case 'expression_switch_statement': case 'type_switch_statement': case 'select_statement': this.execSwitch(node, env); return;
      case 'block': this.evalBlock(node, env); return;
      case 'labeled_statement': for (const c of node.namedChildren) if (c.type !== 'label_name') this.exec(c, env); return;
      case 'go_statement': case 'defer_statement': {
        this.evalExpr(node.namedChildren[0], env.copy());
        // A goroutine runs alongside the rest of the function: what it touches has no known position.
        if (node.type === 'go_statement') escapeMentioned(env, node);
        return;
      }
      case 'break_statement': case 'continue_statement': case 'goto_statement': env.diverged = true; return;
      case 'send_statement': for (const c of node.namedChildren) escapePosition(env, this.evalExpr(c, env)); return;
      case 'comment': case 'empty_statement': case 'type_declaration': case 'fallthrough_statement': return;
      default: this.evalExpr(node, env);
    }
  }

  /** `a, b := f()` / `x = y`: one multi-valued call spreads over the names, else pairwise. */
  private assign(leftList: Node | null, rightList: Node | null, env: Env, declare: boolean): void {
    const lefts = leftList ? (leftList.type === 'expression_list' ? leftList.namedChildren : [leftList]) : [];
    const rights = rightList ? (rightList.type === 'expression_list' ? rightList.namedChildren : [rightList]) : [];
    const vals = this.evalList(rights, env, lefts.length);
    lefts.forEach((l, i) => this.store(l, vals[i] ?? UNKNOWN, env, declare));
    // `fd := f.Fd()` with f a parameter: fd is that parameter's descriptor (for an fcntl on it).
    lefts.forEach((l, i) => {
      if (l.type !== 'identifier' || l.text === '_') return;
      const from = lefts.length === rights.length ? this.descriptorName(rights[i]) : undefined;
      bindDescriptorParam(env, l.text, from === undefined ? undefined : descriptorParamOf(env, from));
    });
  }

  private evalList(exprs: Node[], env: Env, want: number): AV[] {
    if (exprs.length === 1 && want > 1) {
      const v = this.evalExpr(exprs[0], env);
      return v.k === 'list' ? v.items : [];
    }
    return exprs.map((e) => this.evalExpr(e, env));
  }

  private store(left: Node | null, v: AV, env: Env, declare: boolean): void {
    if (!left) return;
    if (left.type === 'identifier') {
      if (left.text === '_') return;
      if (!declare && this.topLevelVars.has(left.text)) escapePosition(env, v);
      if (!declare && this.stateNames.has(left.text) && !this.shadowed(left.text)) this.write(stateKey(left.text), left.startIndex, summaryValue(v));
      if (declare) env.declare(left.text, v); else env.assign(left.text, v);
      return;
    }
    escapePosition(env, v);   // a field, an element: other code may use the descriptor through it
    if (left.type === 'selector_expression') {
      const objNode = fc(left, 'operand');
      const field = fc(left, 'field')?.text;
      if (!objNode || !field) return;
      const obj = this.evalExpr(objNode, env);
      if ((obj.k === 'inst' || obj.k === 'obj') && obj.type) this.write(fieldKey(obj.type, field), left.startIndex, this.fieldValue(v));
      if (obj.k === 'obj') {
        const copy: ObjAV = { k: 'obj', type: obj.type, fields: new Map(obj.fields), ranges: new Map(obj.ranges) };
        copy.fields.set(field, v);
        const rhs = left.parent?.parent ? fc(left.parent.parent, 'right') : null;
        copy.ranges.set(field, rhs?.namedChildren[0] ?? left);
        if (objNode.type === 'identifier') env.assign(objNode.text, copy);
      }
      return;
    }
    this.evalExpr(left, env);
  }

  private execIf(node: Node, env: Env): void {
    env.enterBlock();   // `if x := f(); x > 0` scopes x to the if
    const init = fc(node, 'initializer');
    if (init) this.exec(init, env);
    const cond = fc(node, 'condition');
    const consequence = fc(node, 'consequence');
    const alt = fc(node, 'alternative');
    // `if err != nil { log.Fatal(err) }` outside a loop: checked only to give up.
    const givesUp = this.loopDepth === 0 && !alt && !!cond && !FALLBACK_ERRNO.test(cond.text) && onlyReportsAndLeaves(consequence);
    const evalCond = () => { this.condDepth++; markHandled(this.evalExpr(cond, env)); this.condDepth--; };
    const check = givesUp ? giveUpCheck(this.sites, evalCond) : (evalCond(), undefined);
    const tested = this.assumed ? goSwitchOf(cond) : undefined;
    if (tested && tested.name === this.assumed!.name) {
      // the walk of one value of the switch: only the branch that value takes
      if (this.assumed!.value !== tested.negated) this.evalBlock(consequence, env);
      else if (alt) { if (alt.type === 'if_statement') this.execIf(alt, env); else this.evalBlock(alt, env); }
      check?.settle();
      env.exitBlock();
      return;
    }
    const thenEnv = env.copy();
    const elseEnv = env.copy();
    this.evalBlock(consequence, thenEnv);
    check?.settle();
    if (alt) { if (alt.type === 'if_statement') this.execIf(alt, elseEnv); else this.evalBlock(alt, elseEnv); }
    env.joinFrom([thenEnv, elseEnv]);
    env.exitBlock();
  }

  private execFor(node: Node, env: Env): void {
    const body = fc(node, 'body');
    env.enterBlock();
    const clause = node.namedChildren.find((c) => c.type === 'for_clause' || c.type === 'range_clause');
    // Node objects are fresh on every access: compare ids, not objects.
    const cond = node.namedChildren.find((c) => c.id !== body?.id && c.id !== clause?.id && c.type !== 'comment');
    if (clause?.type === 'for_clause') { const init = fc(clause, 'initializer'); if (init) this.exec(init, env); }
    const ranged = clause?.type === 'range_clause' ? this.evalExpr(fc(clause, 'right'), env) : undefined;
    // `for size > 0 { … }` and `for i := 0; …; i++ { … }`: the first pass starts from the values before
    // the loop, after its initializer (see walkFirstPass)
    const firstPassTest = clause?.type === 'for_clause' ? fc(clause, 'condition') : clause ? null : cond ?? null;
    const entry = (clause?.type === 'for_clause' || (!clause && cond)) && !this.inRowWalk ? env.copy() : undefined;
    env.havoc(this.assignedNames(node));
    this.loopDepth++;
    const inner = env.copy();
    if (clause?.type === 'range_clause') {
      const left = fc(clause, 'left');
      for (const l of left?.namedChildren ?? []) if (l.type === 'identifier') inner.declare(l.text, UNKNOWN);
    }
    this.condDepth++;
    if (clause?.type === 'for_clause') markHandled(this.evalExpr(fc(clause, 'condition'), inner));
    if (cond) markHandled(this.evalExpr(cond, inner));
    this.condDepth--;
    const start = inner.copy();
    this.evalBlock(body, inner);
    // `for _, tc := range tests` over a literal table: the body once more per row
    const value = clause?.type === 'range_clause' ? fc(clause, 'left')?.namedChildren[1] : undefined;
    if (ranged?.k === 'list' && ranged.rows && value?.type === 'identifier' && value.text !== '_' && body) {
      const right = fc(clause!, 'right');
      this.walkRows(body, start, new Set([value.text]), ranged, right?.type === 'identifier' ? right.text : 'the table',
        (env, row) => { env.declare(value.text, row); this.evalBlock(body, env); });
    }
    if (entry && body) this.walkFirstPass(node, firstPassTest, clause?.type === 'for_clause' ? clause : cond!, body, entry);
    inner.diverged = false;
    if (clause?.type === 'for_clause') { const upd = fc(clause, 'update'); if (upd) this.exec(upd, inner); }
    this.loopDepth--;
    env.joinFrom([env.copy(), inner]);
    env.exitBlock();
  }

  private readonly firstPassBudget = new RowWalkBudget();

  /**
   * Walks the body of a condition-only loop once more from the values it starts with (`entry`, before
   * what the loop assigns is forgotten): on the first pass of `for size > 0 { … int(size) … size -= n }`
   * the length is still the caller's. The sites every first pass reaches that this walk makes more known
   * are kept as seen on that pass; nothing this walk stores or calls reaches the rest of the file. Not
   * when the condition is known to be false at the start.
   */
  /** `cond`: the loop's test, if it has one; `header`: where the loop's words end (its test or its clause). */
  private walkFirstPass(loop: Node, cond: Node | null, header: Node, body: Node, entry: Env): void {
    const base = this.sites.sites.map((x) => x.facts).filter((f) => rangeWithin(f.site.range, rangeOf(body)) && goReachedOnEveryPass(body, f.site.range));
    if (!base.length || (cond && this.falseAtStart(cond, entry)) || !this.firstPassBudget.take(body)) return;
    const saved = { sites: this.sites, returns: this.returns };
    this.inRowWalk = true;
    this.loopDepth++;
    let seen: SiteFacts[] = [];
    try {
      this.sites = new SiteCollector('go');
      this.returns = [];
      this.summaries.mute(() => this.calls.mute(() => {
        this.condDepth++;
        if (cond) markHandled(this.evalExpr(cond, entry));
        this.condDepth--;
        this.evalBlock(body, entry);
      }));
      seen = this.sites.result();
    } finally {
      this.sites = saved.sites;
      this.returns = saved.returns;
      this.loopDepth--;
      this.inRowWalk = false;
    }
    this.rowFacts.push(...factsOfFirstPass(base, seen, { start: rangeOf(loop).start, end: rangeOf(header).end }, 'for'));
  }

  /** `n > 0` (or <, <=, >=, ==, !=) with both sides numbers known before the loop, and false. */
  private falseAtStart(cond: Node, env: Env): boolean {
    const c = cond.type === 'parenthesized_expression' && cond.namedChildCount === 1 ? cond.namedChildren[0]! : cond;
    if (c.type === 'false') return true;
    if (c.type !== 'binary_expression' || /\(/.test(c.text)) return false;
    const op = fc(c, 'operator')?.text ?? '';
    const scratch = env.copy();
    const a = this.evalExpr(fc(c, 'left'), scratch);
    const b = this.evalExpr(fc(c, 'right'), scratch);
    if (a.k !== 'num' || b.k !== 'num') return false;
    const holds: Record<string, (x: number, y: number) => boolean> = {
      '>': (x, y) => x > y, '>=': (x, y) => x >= y, '<': (x, y) => x < y, '<=': (x, y) => x <= y, '==': (x, y) => x === y, '!=': (x, y) => x !== y,
    };
    const h = holds[op];
    return h !== undefined && !h(a.value, b.value);
  }


  private execSwitch(node: Node, env: Env): void {
    env.enterBlock();
    const init = fc(node, 'initializer');
    if (init) this.exec(init, env);
    this.condDepth++;
    const value = fc(node, 'value');
    if (value) markHandled(this.evalExpr(value, env));
    this.condDepth--;
    const branches: Env[] = [];
    let hasDefault = false;
    for (const c of node.namedChildren) {
      if (!/_case$|^default_case$|^communication_case$/.test(c.type)) continue;
      if (c.type === 'default_case') hasDefault = true;
      const e = env.copy();
      e.enterBlock();
      for (const s of c.namedChildren) {
        if (s.id === fc(c, 'value')?.id || s.type === 'expression_list') { this.condDepth++; markHandled(this.evalExpr(s, e)); this.condDepth--; continue; }
        if (s.type === 'statement_list') { for (const t of s.namedChildren) if (!e.diverged) this.exec(t, e); }
        else if (!e.diverged && s.type !== 'type_case' && !s.type.endsWith('_type') && s.type !== 'type_identifier') this.exec(s, e);
      }
      e.exitBlock();
      if (e.diverged && c.namedChildren.some((s) => s.type === 'statement_list' && s.lastNamedChild?.type === 'break_statement')) e.diverged = false;
      branches.push(e);
    }
    if (!hasDefault) branches.push(env.copy());
    env.joinFrom(branches);
    env.exitBlock();
  }

  private assignedNames(loop: Node): Set<string> {
    const names = new Set<string>();
    const list = this.mutations;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid]!.startIndex < loop.startIndex) lo = mid + 1; else hi = mid; }
    for (let i = lo; i < list.length && list[i]!.startIndex < loop.endIndex; i++) {
      const n = list[i]!;
      if (n.type === 'identifier') names.add(n.text);
    }
    return names;
  }


  // -------------------------------------------------------------------------------------------
  // Expressions

  protected override shallow(node: Node, env: Env): AV {
    switch (node.type) {
      case 'int_literal': case 'identifier': case 'selector_expression': case 'nil': return this.evalInner(node, env);
      case 'unary_expression': {
        const operand = fc(node, 'operand');
        return operand?.type === 'identifier' ? this.evalInner(operand, env) : UNKNOWN;
      }
      default: return UNKNOWN;
    }
  }

  protected override evalInner(node: Node, env: Env): AV {
    switch (node.type) {
      case 'int_literal': return intLiteral(node.text, node);
      case 'identifier': return this.evalIdentifier(node.text, env);
      case 'iota': return this.iota === undefined ? UNKNOWN : num(this.iota);
      case 'selector_expression': return this.evalSelector(node, env);
      case 'parenthesized_expression': return this.evalExpr(node.namedChildren[0], env);
      case 'binary_expression': {
        const op = fc(node, 'operator')?.type ?? '';
        const a = this.evalExpr(fc(node, 'left'), env);
        const b = this.evalExpr(fc(node, 'right'), env);
        if (COMPARISONS.has(op) || op === '&&' || op === '||') { markHandled(a); markHandled(b); return UNKNOWN; }
        markUsed(a); markUsed(b);
        return binary(op, a, b);
      }
      case 'unary_expression': {
        const op = fc(node, 'operator')?.type ?? '';
        const v = this.evalExpr(fc(node, 'operand'), env);
        if (op === '&' || op === '*' || op === '<-') return v;   // &x for *int64 offsets, &Struct{}
        markUsed(v);
        return unary(op, v);
      }
      case 'call_expression': return this.evalCall(node, env);
      case 'type_conversion_expression': {
        const v = this.evalExpr(fc(node, 'operand'), env);
        const t = fc(node, 'type');
        if (t?.type === 'slice_type' && v.k !== 'buf') {
          // []byte("…") copies into a fresh heap slice, as long as the string's bytes.
          const operand = fc(node, 'operand');
          const bytes = operand ? this.stringBytes(operand) : undefined;
          return unalignedBuf(`[]byte conversion`, bytes !== undefined ? num(bytes) : undefined, node);
        }
        return v;
      }
      case 'type_assertion_expression': return this.evalExpr(fc(node, 'operand'), env);
      case 'slice_expression': {
        const base = this.evalExpr(fc(node, 'operand'), env);
        const s = fc(node, 'start');
        const e = fc(node, 'end');
        const start = s ? this.evalExpr(s, env) : undefined;
        const end = e ? this.evalExpr(e, env) : undefined;
        const cap = fc(node, 'capacity');
        if (cap) this.evalExpr(cap, env);
        const view = base.k === 'buf' ? sliceBuf(base, start, end)
          // Whatever the slice holds (a helper's block, a parameter), `b[:64]` is 64 bytes long.
          : end ? sliceBuf({ k: 'buf', origin: { state: 'unknown', origin: fc(node, 'operand')?.text ?? 'the slice' } }, start, end) : undefined;
        if (!view) return UNKNOWN;
        const lengthNode = e && !view.size ? (s ? this.lengthPastStartNode(s, e) : e) : undefined;
        const length = lengthNode && s ? this.callFreeLength(lengthNode, env) : undefined;
        let out: BufAV = length ? { ...view, size: length } : view;
        // A heap slice entered at a multiple of a block size (`data[i*blockSize:]`) is no block aligned by
        // hand: it starts as unaligned as the allocation does.
        if (base.k === 'buf' && base.origin.state === 'unaligned' && out.origin.state === 'unknown' && s && this.isBlockMultiple(s, 0)) {
          out = { ...out, origin: { state: 'unaligned', origin: base.origin.origin } };
        }
        const param = !length && lengthNode ? this.unchangedParam(lengthNode, env) : undefined;
        if (param !== undefined) lengthParamOf.set(out, param);
        return out;
      }
      case 'index_expression': {
        this.evalExpr(fc(node, 'operand'), env);
        this.evalExpr(fc(node, 'index'), env);
        return UNKNOWN;
      }
      case 'composite_literal': return this.evalComposite(node, env);
      case 'func_literal': {
        const saved = this.returns;
        const savedClears = this.clearReturns;
        this.returns = [];
        this.clearReturns = [];
        // The closure runs later (or never): it sees no known position, and what it uses escapes.
        const inner = env.copy();
        forgetPositions(inner);
        this.evalBlock(fc(node, 'body'), inner);
        this.returns = saved;
        this.clearReturns = savedClears;
        escapeMentioned(env, node);
        return UNKNOWN;
      }
      case 'expression_list': {
        const items = node.namedChildren.map((c) => this.evalExpr(c, env));
        return items.length === 1 ? items[0]! : { k: 'list', items };
      }
      case 'interpreted_string_literal': case 'raw_string_literal': case 'rune_literal': case 'float_literal': case 'nil':
      case 'true': case 'false': case 'comment': case 'imaginary_literal':
        return UNKNOWN;
      default:
        for (const c of node.namedChildren) this.evalExpr(c, env);
        return UNKNOWN;
    }
  }

  private evalIdentifier(name: string, env: Env): AV {
    const v = env.get(name);
    if (v) {
      markUsed(v);
      if (this.condDepth > 0) markHandled(v);   // `errors.Is(err, unix.EXDEV)` inside a condition
      return v;
    }
    const c = this.constValue(name);
    if (c) return c;
    const pv = this.pkgTable(name) ?? this.pkgVarValue(name);
    if (pv) return pv;
    const other = this.scope?.valueOf(name, this);
    if (other) return other;
    // Dot-imported or unimported spellings of the well-known constants.
    return this.packageMember(this.imports.get('.') ?? '', name) ?? UNKNOWN;
  }

  private withIota<T>(iota: number, f: () => T): T {
    const saved = this.iota;
    this.iota = iota;
    try { return f(); } finally { this.iota = saved; }
  }

  private constNumber(name: string, value: Node, env: Env): AV {
    const v = this.evalExpr(value, env);
    return v.k === 'num' ? num(v.value, constantDef(name, value)) : v;
  }

  private constValue(name: string): AV | undefined {
    const decls = this.consts.get(name);
    if (!decls) return undefined;
    return this.fileLevelValue(name, () => {
      let result: AV | undefined;
      for (const d of decls) {
        const v = this.withIota(d.iota, () => this.constNumber(d.name, d.value, new Env()));
        result = result === undefined ? v : join(result, v);
      }
      return result!;
    });
  }

  /** The length in bytes of a string literal, or of a constant of this file declared as one. */
  private stringBytes(node: Node): number | undefined {
    let lit: Node | undefined = node;
    if (node.type === 'identifier') {
      const decls = this.consts.get(node.text);
      lit = decls?.length === 1 ? decls[0]!.value : undefined;
    }
    if (lit?.type === 'raw_string_literal') return utf8Length(lit.text.slice(1, -1).replace(/\r/g, ''));
    if (lit?.type === 'interpreted_string_literal') return goInterpretedBytes(lit.text.slice(1, -1));
    return undefined;
  }

  private pkgVarValue(name: string): AV | undefined {
    const node = this.pkgVars.get(name);
    if (!node) return undefined;
    return this.fileLevelValue(`var:${name}`, () => {
      // Only numbers and flags: a package-level call result (os.OpenFile…) is not tracked across functions here.
      const v = this.evalExpr(node, new Env());
      return v.k === 'num' || v.k === 'flags' ? v : UNKNOWN;
    });
  }

  /**
   * A package-level table of cases that no function assigns (`var copyRangeCases = []struct{…}{…}`),
   * for a range loop of this file to walk row by row. Its rows are this file's nodes, so it is this
   * file's own value only: other files of the package see no table.
   */
  private pkgTable(name: string): AV | undefined {
    const node = this.pkgVars.get(name);
    if (!node || node.type !== 'composite_literal') return undefined;
    const v = this.fileLevelValue(`table:${name}`, () => {
      const t = this.evalExpr(node, new Env());
      return t.k === 'list' && t.rows ? t : UNKNOWN;
    });
    return v.k === 'list' ? v : undefined;
  }

  /**
   * A package-level value, computed once per file with a fresh depth budget (whatever function asks first);
   * a definition that reaches itself (`const A = B; const B = A`) reads as unknown.
   */
  private fileLevelValue(key: string, compute: () => AV): AV {
    const cached = this.constCache.get(key);
    if (cached) return cached;
    if (this.constBusy.has(key)) return UNKNOWN;
    this.constBusy.add(key);
    const saved = { depth: this.depth, flat: this.flat, cond: this.condDepth };
    this.depth = 0; this.flat = false; this.condDepth = 0;
    let v: AV;
    try {
      v = compute();
    } finally {
      this.constBusy.delete(key);
      Object.assign(this, { depth: saved.depth, flat: saved.flat, condDepth: saved.cond });
    }
    this.constCache.set(key, v);
    return v;
  }

  /** `pkg.Name` where pkg is one of the system packages: flags and ioctl numbers. */
  private packageMember(pkg: string, name: string): AV | undefined {
    if (/^O_[A-Z0-9_]+$/.test(name) && (SYS.has(pkg) || pkg === 'os' || pkg === '' || pkg === CGO)) return namedFlag(name);
    const whence = pkg === 'io' ? ['SeekStart', 'SeekCurrent', 'SeekEnd'].indexOf(name) : SYS.has(pkg) || pkg === 'os' ? ['SEEK_SET', 'SEEK_CUR', 'SEEK_END'].indexOf(name) : -1;
    if (whence >= 0) return num(whence);
    if (name === 'FICLONE' && (SYS.has(pkg) || pkg === '' || pkg === CGO)) return num(FICLONE_REQUEST);
    if (name === 'FICLONERANGE' && (SYS.has(pkg) || pkg === '' || pkg === CGO)) return num(FICLONERANGE_REQUEST);
    if (pkg === 'directio' && (name === 'BlockSize' || name === 'AlignSize')) return num(4096);
    const size = STD_SIZE_CONSTANTS()[pkg]?.[name];
    if (size !== undefined) return num(size);
    return undefined;
  }

  private pkgOf(node: Node | null, env: Env): string | undefined {
    if (node?.type !== 'identifier' || env.has(node.text)) return undefined;
    if (this.declares(node.text) || this.scope?.declares(node.text)) return undefined;
    return this.imports.get(node.text) ?? node.text;
  }

  private evalSelector(node: Node, env: Env): AV {
    const operand = fc(node, 'operand');
    const field = fc(node, 'field')?.text ?? '';
    const pkg = this.pkgOf(operand, env);
    if (pkg !== undefined) return this.packageMember(pkg, field) ?? UNKNOWN;
    const obj = this.evalExpr(operand, env);
    return readField(obj, field, this.summaries) ?? UNKNOWN;
  }

  private evalComposite(node: Node, env: Env): AV {
    const t = fc(node, 'type');
    const type = typeName(t);
    const body = fc(node, 'body');
    const obj: ObjAV = { k: 'obj', type, fields: new Map(), ranges: new Map() };
    const order = type ? this.fieldsOf(type) : undefined;
    let position = 0;
    const items: AV[] = [];
    for (const el of body?.namedChildren ?? []) {
      if (el.type === 'keyed_element') {
        const key = fc(el, 'key')?.text ?? el.namedChildren[0]?.text;
        const valueNode = fc(el, 'value') ?? el.namedChildren[1];
        const inner = valueNode?.type === 'literal_element' ? valueNode.namedChildren[0] : valueNode;
        const v = this.evalExpr(inner, env);
        if (key) { obj.fields.set(key, v); if (inner) obj.ranges.set(key, inner); }
      } else {
        const inner = el.type === 'literal_element' ? el.namedChildren[0] : el;
        const v = this.evalExpr(inner, env);
        items.push(v);
        const name = order?.[position];
        if (name) { obj.fields.set(name, v); if (inner) obj.ranges.set(name, inner); }
        position++;
      }
    }
    if (t?.type === 'slice_type' || t?.type === 'array_type') {
      // [][]byte{a, b} for Preadv; []byte{0, 1} is a small heap slice.
      const elem = fc(t, 'element')?.text;
      if (elem === 'byte' || elem === 'uint8') return unalignedBuf('[]byte literal', num(items.length), node);
      const table = this.tableRows(fc(t, 'element'), body, env);
      return table ?? { k: 'list', items };
    }
    for (const v of [...obj.fields.values(), ...items]) escapePosition(env, v);
    if (type) for (const [name, v] of obj.fields) this.write(fieldKey(type, name), node.startIndex, this.fieldValue(v));
    return obj;
  }

  /**
   * `[]struct{ name string; off int64 }{ {"a", 0}, … }` (or `[]Case{…}`): a table of cases whose rows
   * are struct literals without their type; each row becomes an object with the element type's fields.
   */
  private tableRows(elem: Node | null, body: Node | null, env: Env): ListAV | undefined {
    let e = elem;
    if (e?.type === 'pointer_type') e = e.namedChildren[0] ?? null;
    const order = e?.type === 'struct_type'
      ? (e.namedChildren.find((c) => c.type === 'field_declaration_list')?.namedChildren ?? [])
        .filter((f) => f.type === 'field_declaration').flatMap((f) => f.childrenForFieldName('name').map((n) => n.text))
      : e ? this.fieldsOf(typeName(e) ?? '') : undefined;
    if (!order?.length || !body) return undefined;
    const items: AV[] = [];
    const rows: Node[] = [];
    for (const el of body.namedChildren) {
      if (el.type === 'comment') continue;
      const inner = el.type === 'literal_element' ? el.namedChildren[0] : el;
      if (inner?.type !== 'literal_value') return undefined;
      if (rows.length >= MAX_TABLE_ROWS) break;
      const obj: ObjAV = { k: 'obj', type: e?.type === 'struct_type' ? undefined : typeName(e), fields: new Map(), ranges: new Map() };
      let position = 0;
      for (const f of inner.namedChildren) {
        const keyed = f.type === 'keyed_element';
        const name = keyed ? (fc(f, 'key')?.text ?? f.namedChildren[0]?.text) : order[position++];
        const valueNode = keyed ? (fc(f, 'value') ?? f.namedChildren[1]) : f;
        const v = valueNode?.type === 'literal_element' ? valueNode.namedChildren[0] : valueNode;
        if (!name || !v || f.type === 'comment') continue;
        obj.fields.set(name, this.evalExpr(v, env));
        obj.ranges.set(name, v);
      }
      items.push(obj);
      rows.push(inner);
    }
    return rows.length ? { k: 'list', items, rows } : undefined;
  }

  /** `var buf [4096]byte`, `var r unix.FileCloneRange`: zero values with a known shape. */
  private zeroValue(typeNode: Node, env: Env, at: Node): AV {
    if (typeNode.type === 'array_type') {
      const len = this.evalExpr(fc(typeNode, 'length'), env);
      const elem = fc(typeNode, 'element')?.text;
      if (elem === 'byte' || elem === 'uint8') return unalignedBuf(`array ${typeNode.text}`, len.k === 'num' ? len : undefined, at);
      return UNKNOWN;
    }
    const t = typeName(typeNode);
    if (t === 'FileCloneRange') {
      const fields = new Map<string, AV>([['Src_offset', num(0)], ['Src_length', num(0)], ['Dest_offset', num(0)]]);
      return { k: 'obj', type: t, fields, ranges: new Map() };
    }
    if (t && this.fieldsOf(t)) return { k: 'obj', type: t, fields: new Map(), ranges: new Map() };
    return UNKNOWN;
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  protected override evalCall(node: Node, env: Env): AV {
    const fnNode = fc(node, 'function');
    const argList = fc(node, 'arguments');
    const argNodes = argList ? argList.namedChildren.filter((c) => c.type !== 'comment') : [];
    if (!fnNode) return UNKNOWN;

    if (fnNode.type === 'identifier' && !env.has(fnNode.text)) {
      const name = fnNode.text;
      if (name === 'make') {
        const t = argNodes[0];
        const size = this.evalExpr(argNodes[1], env);
        argNodes.slice(2).forEach((a) => this.evalExpr(a, env));
        const elem = t ? fc(t, 'element')?.text : undefined;
        if (t?.type === 'slice_type' && (elem === 'byte' || elem === 'uint8')) return unalignedBuf(`make(${t.text}, ${argNodes[1]?.text ?? ''})`, size.k === 'num' ? size : undefined, node);
        return UNKNOWN;
      }
      if (name === 'new' && argNodes[0]) return this.zeroValue(argNodes[0], env, node);
      if (name === 'len') { const v = this.evalExpr(argNodes[0], env); return v.k === 'buf' && v.size ? v.size : UNKNOWN; }
      if (CONVERSIONS.has(name) && argNodes.length === 1) return this.evalExpr(argNodes[0], env);
      if (name === 'panic') { argNodes.forEach((a) => this.evalExpr(a, env)); env.diverged = true; return NEVER; }
    }

    if (fnNode.type === 'selector_expression') {
      const operand = fc(fnNode, 'operand');
      const method = fc(fnNode, 'field')?.text ?? '';
      const pkg = this.pkgOf(operand, env);
      if (pkg !== undefined) {
        const args = argNodes.map((a) => this.evalExpr(a, env));
        if (!positionAware(pkg, method)) args.forEach((a) => escapePosition(env, a));
        const r = this.packageCall(node, pkg, method, fnNode.text, argNodes, args, env);
        if (r) return r;
        args.forEach(markHandled);   // log.Fatal(err), fmt.Errorf("…%w", err): handled by code we cannot see
        return UNKNOWN;
      }
      const recv = this.evalExpr(operand, env);
      const args = argNodes.map((a) => this.evalExpr(a, env));
      return this.methodCall(node, recv, method, `${operand?.text ?? ''}.${method}`, argNodes, args, env);
    }

    const args = argNodes.map((a) => this.evalExpr(a, env));
    if (fnNode.type === 'identifier') {
      // Dot imports (`import . "golang.org/x/sys/unix"`) make CopyFileRange a bare name.
      const dot = this.imports.get('.');
      if (dot && !env.has(fnNode.text)) {
        if (!positionAware(dot, fnNode.text)) args.forEach((a) => escapePosition(env, a));
        const r = this.packageCall(node, dot, fnNode.text, fnNode.text, argNodes, args, env);
        if (r !== undefined) return r;
      }
      const held = this.calledTargets(fnNode.text);
      if (held) return this.callThroughVariable(node, fnNode.text, held, argNodes, args, env);
      return this.callByName(node, fnNode.text, argNodes, args, env);
    }
    this.evalExpr(fnNode, env);
    args.forEach((a) => escapePosition(env, a));
    if (fnNode.type === 'index_expression') { args.forEach(markHandled); this.callThroughValue(node, argNodes, args); }
    return UNKNOWN;
  }

  /** `name(…)`: a call of a function of the package, or through a function value we cannot name. */
  private callByName(node: Node, name: string, argNodes: Node[], args: AV[], env: Env): AV {
    args.forEach((a) => escapePosition(env, a));   // a helper of this file (or a builtin like append) got the descriptor
    args.forEach(markHandled);
    if (env.has(name)) { this.callThroughValue(node, argNodes, args); return UNKNOWN; }
    this.wrappedIoctl(node, fnKey(undefined, name), name, argNodes, args);
    args.forEach((a, i) => this.writeParam(paramKey(undefined, name, i), node.startIndex * 8 + Math.min(i, 7), summaryValue(a)));
    this.calls.record(fnKey(undefined, name), this.unitKey, node, args.map((av, i) => ({ av, node: argNodes[i]! })), this.guardValuesAt(undefined, name, args));
    this.callClearing(fnKey(undefined, name), argNodes, env);
    return this.resultOfCall(undefined, name, args, node, env);
  }

  /**
   * A call through a variable of function type: a call of each function it may hold, each from the
   * state before the call, their results and states joined. A descriptor one of them opens with
   * O_DIRECT is one the program may open so ('maybe' beside a buffered opener); when the variable may
   * also hold a function we cannot name, the result is unknown (its open sites are still sites).
   */
  private callThroughVariable(node: Node, spelled: string, held: FunctionTargets, argNodes: Node[], args: AV[], env: Env): AV {
    const call = (target: FunctionTarget, e: Env): AV => {
      if (target.kind === 'function') return this.callByName(node, target.name, argNodes, args, e);
      if (!positionAware(target.pkg, target.fn)) args.forEach((a) => escapePosition(e, a));
      const r = this.packageCall(node, target.pkg, target.fn, spelled, argNodes, args, e);
      if (r) return r;
      args.forEach(markHandled);
      return UNKNOWN;
    };
    if (held.targets.length === 1 && !held.open) return call(held.targets[0]!, env);
    const branches: Env[] = [];
    let result: AV = NEVER;
    for (const target of held.targets) {
      const e = env.copy();
      result = join(result, call(target, e));
      branches.push(e);
    }
    if (held.open) {
      const e = env.copy();
      this.callByName(node, spelled, argNodes, args, e);
      result = UNKNOWN;
      branches.push(e);
    }
    env.joinFrom(branches);
    return result;
  }

  /** A call through a function value: a call of each function of this file used as a value with as many parameters. */
  private callThroughValue(node: Node, argNodes: Node[], args: AV[]): void {
    for (const [name, n] of this.functionValues) {
      if (n !== args.length) continue;
      this.calls.record(fnKey(undefined, name), this.unitKey, node, args.map((av, i) => ({ av, node: argNodes[i]! })));
    }
  }

  /** A call `pkg.fn(…)` into a package we model; undefined when it is not one of ours. */
  private packageCall(node: Node, pkg: string, fn: string, callee: string, argNodes: Node[], args: AV[], env: Env): AV | undefined {
    const arg = (i: number): AV => args[i] ?? UNKNOWN;
    if (SYS.has(pkg)) {
      if (fn === 'CopyFileRange') return this.copyFileRangeSite(node, callee, argNodes, args);
      if ((fn === 'Syscall' || fn === 'Syscall6' || fn === 'RawSyscall' || fn === 'RawSyscall6') && argNodes[0]) {
        const nr = this.syscallName(argNodes[0], arg(0));
        if (nr === 'SYS_FCNTL') {
          const d = oDirectOf(arg(3));
          if (/F_SETFL$/.test(argNodes[2]?.text ?? '') && (d === true || d === 'maybe')) {
            this.openSite(node, callee, argNodes[3]);
            this.markFdODirect(argNodes[1], d, env);
            this.setflOn(argNodes[1], false, env);
          } else if (/F_SETFL$/.test(argNodes[2]?.text ?? '')) this.setflOn(argNodes[1], setflClears(arg(3)), env);
          return { k: 'list', items: [UNKNOWN, UNKNOWN, UNKNOWN] };
        }
        if (nr === 'SYS_COPY_FILE_RANGE') {
          const r = this.copyFileRangeSite(node, callee, argNodes.slice(1), args.slice(1));
          return { k: 'list', items: [r, UNKNOWN, r] };
        }
        if (nr === 'SYS_IOCTL') {
          const request = this.paramIndexOf(argNodes[2], env);
          if (request >= 0) this.noteIoctlWrapper(node, request, this.paramIndexOf(argNodes[1], env), this.paramIndexOf(argNodes[3], env));
          else {
            const variant = ficloneVariantOf(arg(2));
            if (variant) this.ficloneSite(node, callee, variant, argNodes[1], arg(1), argNodes[3], arg(3));
          }
          return { k: 'list', items: [UNKNOWN, UNKNOWN, UNKNOWN] };
        }
      }
      if (fn === 'IoctlFileClone') { this.ficloneSite(node, callee, 'FICLONE', argNodes[0], arg(0), argNodes[1], arg(1)); return UNKNOWN; }
      if (fn === 'IoctlFileCloneRange') { this.ficloneSite(node, callee, 'FICLONERANGE', argNodes[0], arg(0), argNodes[1], arg(1)); return UNKNOWN; }
      if (fn === 'IoctlSetInt' || fn === 'IoctlSetPointerInt') {
        const variant = ficloneVariantOf(arg(1));
        if (variant) this.ficloneSite(node, callee, variant, argNodes[0], arg(0), argNodes[2], arg(2));
        return UNKNOWN;
      }
      if (fn === 'Open' || fn === 'Openat') {
        const i = fn === 'Open' ? 1 : 2;
        const d = oDirectOf(arg(i));
        if (d === true || d === 'maybe') this.openSite(node, callee, argNodes[i]);
        return { k: 'list', items: [openedFd(env, { k: 'fd', oDirect: d ?? false }, rangeOf(node), arg(i)), UNKNOWN] };
      }
      if (fn === 'Seek') {
        seekPosition(env, arg(0), arg(1), arg(2));
        return { k: 'list', items: [UNKNOWN, UNKNOWN] };
      }
      if (fn === 'FcntlInt' || fn === 'Fcntl') {
        const d = oDirectOf(arg(2));
        if (/F_SETFL$/.test(argNodes[1]?.text ?? '') && (d === true || d === 'maybe')) {
          this.openSite(node, callee, argNodes[2]);
          this.markFdODirect(argNodes[0], d, env);
          this.setflOn(argNodes[0], false, env);
        } else if (/F_SETFL$/.test(argNodes[1]?.text ?? '')) this.setflOn(argNodes[0], setflClears(arg(2)), env);
        return { k: 'list', items: [UNKNOWN, UNKNOWN] };
      }
      const io = IO_FUNCTIONS[fn];
      if (io) {
        const fd = arg(io.fd);
        const position = io.off === undefined ? positionOf(env, fd) : undefined;
        const moved = fdFact(fd) ? this.ioSite(node, callee, io.dir, argNodes[io.fd], argNodes[io.buf], arg(io.buf), io.off !== undefined ? argNodes[io.off] : undefined, io.off !== undefined ? arg(io.off) : position, !!io.vectored) : bytesOf(arg(io.buf), !!io.vectored);
        if (io.off === undefined) movePosition(env, fd, moved);
        return { k: 'list', items: [UNKNOWN, UNKNOWN] };
      }
      if (fn === 'Mmap') {
        const size = arg(2);
        return { k: 'list', items: [alignedBuf(`${callee} (page-aligned)`, undefined, size.k === 'num' ? size : undefined, node), UNKNOWN] };
      }
    }
    if (pkg === 'os') {
      if (fn === 'OpenFile') {
        const d = oDirectOf(arg(1));
        if (d === true || d === 'maybe') this.openSite(node, callee, argNodes[1]);
        const fd = openedFd(env, { k: 'fd', oDirect: d ?? false }, rangeOf(node), arg(1));
        this.noteCallersFlags(env, fd, argNodes[1]);
        return { k: 'list', items: [fd, UNKNOWN] };
      }
      if (fn === 'Open' || fn === 'Create') return { k: 'list', items: [openedFd(env, { k: 'fd', oDirect: false }, rangeOf(node), undefined), UNKNOWN] };
      if (fn === 'NewFile') return arg(0);
      // a fresh heap slice of the file's bytes, with no page guarantee
      if (fn === 'ReadFile') return { k: 'list', items: [unalignedBuf(`${callee}(…)`, undefined, node), UNKNOWN] };
    }
    if (pkg === 'directio') {
      if (fn === 'OpenFile') {
        // github.com/ncw/directio adds O_DIRECT itself (on Linux).
        this.openSite(node, callee, argNodes[1]);
        return { k: 'list', items: [openedFd(env, { k: 'fd', oDirect: true }, rangeOf(node), arg(1)), UNKNOWN] };
      }
      if (fn === 'AlignedBlock') {
        const size = arg(0);
        return alignedBuf(`${callee}(${argNodes[0]?.text ?? ''})`, 4096, size.k === 'num' ? size : undefined, node);
      }
    }
    if (pkg === 'iceber/iouring' && IOURING_REQUESTS[fn]) {
      const io = IOURING_REQUESTS[fn]!;
      if (fdFact(arg(io.fd))) this.ioSite(node, callee, io.dir, argNodes[io.fd], argNodes[io.buf], arg(io.buf), argNodes[io.off!], arg(io.off!), !!io.vectored);
      return UNKNOWN;
    }
    if (pkg === 'io' && (fn === 'ReadFull' || fn === 'ReadAtLeast') && arg(0).k === 'fd') {
      // ReadFull reads exactly len(buf) bytes from the position (or fails); ReadAtLeast some amount.
      const position = positionOf(env, arg(0));
      const moved = fdFact(arg(0)) ? this.ioSite(node, callee, 'read', argNodes[0], argNodes[1], arg(1), undefined, position, false) : bytesOf(arg(1), false);
      movePosition(env, arg(0), fn === 'ReadFull' ? moved : UNKNOWN);
      return { k: 'list', items: [UNKNOWN, UNKNOWN] };
    }
    if (pkg === 'unsafe' && fn === 'Pointer') return arg(0);   // uintptr(unsafe.Pointer(&off)) in raw syscalls
    if (pkg === 'bytes' && fn === 'Repeat') {
      const unit = arg(0);
      const n = arg(1);
      const size = unit.k === 'buf' && unit.size && n.k === 'num' ? num(unit.size.value * n.value) : undefined;
      return unalignedBuf(`bytes.Repeat(…)`, size, node);
    }
    return undefined;
  }

  private methodCall(node: Node, recv: AV, method: string, callee: string, argNodes: Node[], args: AV[], env: Env): AV {
    args.forEach((a) => escapePosition(env, a));   // f.ReadFrom(g), w.Write…: no descriptor argument is followed
    if (recv.k === 'fd') {
      const io = FILE_METHODS[method];
      if (method === 'Seek') { seekPosition(env, recv, args[0] ?? UNKNOWN, args[1] ?? UNKNOWN); return { k: 'list', items: [UNKNOWN, UNKNOWN] }; }
      if (io && io.off === undefined && (io.string || !fdFact(recv))) movePosition(env, recv, io.string ? UNKNOWN : bytesOf(args[0] ?? UNKNOWN, false));
      else if (!io && !FD_PASS.has(method) && !FILE_POSITION_NEUTRAL.has(method)) escapePosition(env, recv);
      if (io && fdFact(recv)) {
        if (io.string) {
          const s = this.sites.add('o_direct_io', callee, node);
          if (s) {
            s.facts.fdODirect = true;
            s.facts.direction = 'write';
            s.facts.buffer = { state: 'unaligned', origin: 'a Go string (copied into a heap []byte)' };
            s.facts.length = { known: false, text: `len(${argNodes[0]?.text ?? ''})` };
          }
          return { k: 'list', items: [UNKNOWN, UNKNOWN] };
        }
        if (io.off !== undefined) {
          this.ioSite(node, callee, io.dir, undefined, argNodes[0], args[0] ?? UNKNOWN, argNodes[io.off], args[io.off], false);
        } else {
          // f.Read / f.Write: at the file position, which then moves by the length
          const moved = this.ioSite(node, callee, io.dir, undefined, argNodes[0], args[0] ?? UNKNOWN, undefined, positionOf(env, recv), false);
          movePosition(env, recv, moved);
        }
        return { k: 'list', items: [UNKNOWN, UNKNOWN] };
      }
      if (FD_PASS.has(method)) return recv;
      return UNKNOWN;
    }
    args.forEach(markHandled);
    if ((recv.k === 'inst' || recv.k === 'obj') && recv.type) {
      this.wrappedIoctl(node, fnKey(recv.type, method), callee, argNodes, args);
      args.forEach((a, i) => this.writeParam(paramKey(recv.type, method, i), node.startIndex * 8 + Math.min(i, 7), summaryValue(a)));
      this.calls.record(fnKey(recv.type, method), this.unitKey, node, args.map((av, i) => ({ av, node: argNodes[i]! })), this.guardValuesAt(recv.type, method, args));
      this.callClearing(fnKey(recv.type, method), argNodes, env);
      return this.resultOfCall(recv.type, method, args, node, env);
    }
    return UNKNOWN;
  }

  /**
   * The system call a raw Syscall's trap names: `unix.SYS_IOCTL` by its name, or a number (a package's
   * own `copyFileRangeTrap uintptr = 326`) when the file is built for architectures that all give that
   * number the same call.
   */
  private syscallName(trapNode: Node, trap: AV): string | undefined {
    const named = /^(?:\w+\.)?(SYS_[A-Z0-9_]+)$/.exec(trapNode.text);
    if (named) return named[1];
    if (trap.k !== 'num') return undefined;
    return syscallOfNumber(trap.value, this.architectures());
  }

  private archCache: readonly string[] | undefined;

  /** The architectures the file is built for: its `//go:build` line and its name's `_GOARCH` suffix. */
  private architectures(): readonly string[] {
    return (this.archCache ??= buildArchitectures(this.root, this.file ?? this.path));
  }

  /**
   * A raw SYS_IOCTL whose request is a parameter of the function it is in: the function is an ioctl
   * wrapper (`func ioctl(fd, req, arg uintptr) error`), and its calls are the clone sites, judged with
   * their own request, descriptor and argument. The wrapper's own call is none: its request is open.
   */
  private noteIoctlWrapper(node: Node, request: number, fd: number, arg: number): void {
    this.write(ioctlKey(this.unitKey!), node.startIndex, { k: 'list', items: [num(fd), num(request), num(arg)] });
  }

  /**
   * What a struct field keeps of a value stored in it. A buffer parameter whose callers agree on its
   * alignment is the struct's from then on: code that later writes the field is judged where it passes
   * the field (the parameter's callers made the struct, they did not do that I/O).
   */
  private fieldValue(v: AV): AV {
    const stored = summaryValue(v);
    if (stored.k !== 'buf' || stored.origin.state === 'unknown') return stored;
    for (const p of this.params.values()) if (p.value === v) return { ...stored };
    return stored;
  }

  /**
   * `b[lo : lo+n]` is n bytes long whatever lo is: the shape of a block aligned by hand, which starts at
   * an offset computed from its address and ends n bytes later. The node of n, when the end is so written.
   */
  private lengthPastStartNode(start: Node, end: Node): Node | undefined {
    const e = bareExpr(end);
    if (e.type !== 'binary_expression' || fc(e, 'operator')?.text !== '+') return undefined;
    const lo = bareExpr(start).text.replace(/\s+/g, '');
    const left = fc(e, 'left');
    const right = fc(e, 'right');
    return left && bareExpr(left).text.replace(/\s+/g, '') === lo ? right ?? undefined : right && bareExpr(right).text.replace(/\s+/g, '') === lo ? left ?? undefined : undefined;
  }

  /** The value of a length expression read a second time: only one that makes no call (a conversion `int64(n)` is none). */
  private callFreeLength(n: Node, env: Env): NumAV | undefined {
    if (/[\w\]]\s*\(/.test(n.text.replace(/\b(u?int(8|16|32|64)?|uintptr)\s*\(/g, '('))) return undefined;
    const v = this.evalExpr(n, env);
    return v.k === 'num' && v.value >= 0 ? num(v.value) : undefined;
  }

  /**
   * What a call of a function of the package returns: its summary, and for a block it sizes by a
   * parameter (`AllocateAligned(size)`), the size this call's argument gives it.
   */
  private resultOfCall(type: string | undefined, fn: string, args: AV[], node: Node, env: Env): AV {
    const ret = this.summaries.read(retKey(type, fn));
    const opened = ret.k === 'fd' ? ret : ret.k === 'list' && ret.items[0]?.k === 'fd' ? ret.items[0] : undefined;

    if (opened) {
      const at = this.summaries.read(retOpenFlagsKey(type, fn));
      const flags = at.k === 'num' ? args[at.value] : undefined;
      if (!flags) return ret;
      const { pos: _pos, appends: _appends, ...plain } = opened;
      const fd = openedFd(env, plain, rangeOf(node), flags);
      return ret.k === 'list' ? { ...ret, items: [fd, ...ret.items.slice(1)] } : fd;
    }
    if (ret.k !== 'buf' || ret.size) return ret;
    const at = this.summaries.read(retLengthKey(type, fn));
    const n = at.k === 'num' ? args[at.value] : undefined;
    return n?.k === 'num' && n.value >= 0 ? { ...ret, size: num(n.value) } : ret;
  }

  /**
   * Is the expression a multiple of a constant block size (a multiple of 4096): a constant, a product with
   * one (`uint64(i) * blockSize`), a sum of such, or a local that every assignment of the current function
   * makes one. An offset computed so does not come from an address.
   */
  private isBlockMultiple(node: Node, depth: number): boolean {
    if (depth > 4) return false;
    const e = bareExpr(node);
    if (this.isBlockConstant(e)) return true;
    if (e.type === 'call_expression') {
      const args = fc(e, 'arguments')?.namedChildren ?? [];
      return /^(u?int(8|16|32|64)?|uintptr)$/.test(fc(e, 'function')?.text ?? '') && args.length === 1 && this.isBlockMultiple(args[0]!, depth + 1);
    }
    if (e.type === 'binary_expression') {
      const op = fc(e, 'operator')?.text;
      const l = fc(e, 'left');
      const r = fc(e, 'right');
      if (!l || !r) return false;
      if (op === '*') return this.isBlockMultiple(l, depth + 1) || this.isBlockMultiple(r, depth + 1);
      if (op === '+' || op === '-') return this.isBlockMultiple(l, depth + 1) && this.isBlockMultiple(r, depth + 1);
      return false;
    }
    if (e.type !== 'identifier' || this.params.has(e.text) || !this.currentFn) return false;
    let defs = 0;
    let every = true;
    walkTree(fc(this.currentFn, 'body') ?? this.currentFn, (type, get) => {
      if (!every) return false;
      if (type === 'inc_statement' || type === 'dec_statement') {
        if (get().namedChildren[0]?.text === e.text) every = false;
        return true;
      }
      if (type !== 'short_var_declaration' && type !== 'assignment_statement' && type !== 'range_clause' && type !== 'var_spec') return true;
      const n = get();
      const left = type === 'var_spec' ? n.childrenForFieldName('name') : fc(n, 'left')?.namedChildren ?? [];
      const at = left.findIndex((x) => x.text === e.text);
      if (at < 0) return true;
      const right = type === 'var_spec' ? fc(n, 'value')?.namedChildren : type === 'range_clause' ? undefined : fc(n, 'right')?.namedChildren;
      const op = type === 'assignment_statement' ? fc(n, 'operator')?.text ?? n.children.find((c) => /=$/.test(c.type))?.type : ':=';
      const value = right && right.length === left.length ? right[at] : undefined;
      defs++;
      if (!value || !(op === '=' || op === ':=' || op === '+=' || op === '-=') || !this.isBlockMultiple(value, depth + 1)) every = false;
      return true;
    });
    return every && defs > 0;
  }

  /** A constant number that is a multiple of 4096 (0 is one), written without a call. */
  private isBlockConstant(e: Node): boolean {
    if (e.type !== 'identifier' && e.type !== 'int_literal' && e.type !== 'selector_expression') return false;
    if (e.type === 'identifier' && (this.params.has(e.text) || this.shadowed(e.text))) return false;
    const v = this.evalExpr(e, new Env());
    return v.k === 'num' && v.value >= 0 && v.value % 4096 === 0;
  }

  /**
   * An open whose flags are a parameter, alone or with constants ORed in that do not append
   * (`syscall.O_DIRECT|flag`): the caller's flags decide where the descriptor starts. Noted so that a read,
   * write or seek after it undoes the note: a known position is noted beside it and must still be that
   * number at the return; an unknown one becomes a negative number no file position is (positionOf still
   * reads it as unknown), which any move changes and a join of equal numbers keeps.
   */
  private noteCallersFlags(env: Env, fd: FdAV, flagsNode: Node | undefined): void {
    if (!fd.pos || !flagsNode) return;
    const parts: Node[] = [];
    const split = (n: Node): void => {
      const e = bareExpr(n);
      if (e.type === 'binary_expression' && fc(e, 'operator')?.text === '|') { for (const side of [fc(e, 'left'), fc(e, 'right')]) if (side) split(side); }
      else parts.push(e);
    };
    split(flagsNode);
    const params = parts.map((p) => this.unchangedParam(p, env)).filter((i) => i !== undefined);
    if (params.length !== 1) return;
    for (const p of parts) {
      if (this.unchangedParam(p, env) !== undefined) continue;
      if (/[\w\]]\s*\(/.test(p.text)) return;
      const v = this.evalExpr(p, env);
      // O_APPEND (0o2000 on Linux) in the constant part: the writes go to the end whatever the caller says
      if (v.k === 'num' ? (v.value & 0o2000) !== 0 : v.k !== 'flags' || (v.append ?? false) !== false) return;
    }
    const at = positionOf(env, fd);
    if (at) { env.assign(OPENER_PARAM + fd.pos, num(params[0]!)); env.assign(OPENER_START + fd.pos, at); }
    else env.assign(fd.pos, num(CALLERS_FLAGS_POSITION - params[0]!));
  }

  /** The parameter whose flags decide where a returned descriptor starts (see noteCallersFlags); null: no descriptor opened here. */
  private openDecidedByParam(vals: AV[], env: Env): number | null | undefined {
    const fd = vals.flatMap((v) => (v.k === 'list' ? v.items : [v])).find((v): v is FdAV => v.k === 'fd' && !!v.pos);
    if (!fd) return null;

    if (positionEscaped(env, fd)) return undefined;
    const at = env.get(fd.pos!);
    if (at?.k === 'num' && at.value <= CALLERS_FLAGS_POSITION && at.value > CALLERS_FLAGS_POSITION - MAX_PARAMS) return CALLERS_FLAGS_POSITION - at.value;
    const param = env.get(OPENER_PARAM + fd.pos);
    const start = env.get(OPENER_START + fd.pos);
    const now = positionOf(env, fd);
    return param?.k === 'num' && start?.k === 'num' && now?.value === start.value ? param.value : undefined;
  }

  /** The position of the parameter an expression names, while it still holds what the call passed. */
  private unchangedParam(n: Node, env: Env): number | undefined {
    const e = bareExpr(n);
    const p = e.type === 'identifier' ? this.params.get(e.text) : undefined;
    return p && env.get(e.text) === p.value ? p.index : undefined;
  }

  /**
   * Which parameter of the current function an argument is, through conversions (`uintptr(req)`,
   * `unsafe.Pointer(arg)`), when it still holds its incoming value; -1 when it is none.
   */
  private paramIndexOf(node: Node | undefined, env: Env): number {
    let n = node;
    for (let i = 0; (n?.type === 'call_expression' || n?.type === 'type_conversion_expression') && i < 4; i++) {
      if (n.type === 'type_conversion_expression') { n = fc(n, 'operand') ?? undefined; continue; }
      const fnNode = fc(n, 'function');
      const args = fc(n, 'arguments')?.namedChildren ?? [];
      if (args.length !== 1 || !fnNode || !(CONVERSIONS.has(fnNode.text) || fnNode.text === 'unsafe.Pointer')) return -1;
      n = args[0];
    }
    if (n?.type === 'parenthesized_expression') n = n.namedChildren[0];
    const p = n?.type === 'identifier' ? this.params.get(n.text) : undefined;
    return p && env.get(n!.text) === p.value ? p.index : -1;
  }

  /** A call of an ioctl wrapper of the package with a clone request: a clone site here. */
  private wrappedIoctl(node: Node, fn: string, callee: string, argNodes: Node[], args: AV[]): void {
    const wrapper = this.summaries.read(ioctlKey(fn));
    if (wrapper.k !== 'list' || wrapper.items.length !== 3 || !wrapper.items.every((v) => v.k === 'num')) return;
    const [fd, request, arg] = wrapper.items.map((v) => (v as { value: number }).value) as [number, number, number];
    const variant = ficloneVariantOf(args[request] ?? UNKNOWN);
    if (!variant) return;
    const at = (i: number): [Node | undefined, AV] => (i >= 0 ? [argNodes[i], args[i] ?? UNKNOWN] : [undefined, UNKNOWN]);
    this.ficloneSite(node, callee, variant, ...at(fd), ...at(arg));
  }

  private markFdODirect(target: Node | undefined, d: boolean | 'maybe', env: Env): void {
    let n = target;
    while (n?.type === 'call_expression' && n.namedChildren.length) {
      // int(f.Fd()) → f
      const fnNode = fc(n, 'function');
      if (fnNode?.type === 'identifier' && CONVERSIONS.has(fnNode.text)) n = fc(n, 'arguments')?.namedChildren[0];
      else if (fnNode?.type === 'selector_expression' && fc(fnNode, 'field')?.text === 'Fd') n = fc(fnNode, 'operand') ?? undefined;
      else break;
    }
    if (n?.type !== 'identifier') return;
    const cur = env.get(n.text);
    env.assign(n.text, cur?.k === 'fd' ? { ...cur, oDirect: d } : { k: 'fd', oDirect: d });
  }

  // -------------------------------------------------------------------------------------------
  // Site builders

  private copyFileRangeSite(node: Node, callee: string, argNodes: Node[], args: AV[]): AV {
    const s = this.sites.add('copy_file_range', callee, node);
    if (!s) return UNKNOWN;
    const f = s.facts;
    const a = (i: number): AV => args[i] ?? UNKNOWN;
    f.srcFdODirect = fdFact(a(0));
    f.dstFdODirect = fdFact(a(2));
    if (argNodes[0]) f.argRanges.fd = rangeOf(argNodes[0]);
    // An offset pointer that is the function's parameter (`inOff *int64`) stays tagged: its callers' `&off` is the number.
    const offset = (v: AV): AV => (v.k === 'num' || v.k === 'unknown' ? v : UNKNOWN);
    setCallersNumber(f, 'srcOffset', offset(a(1)), argNodes[1]?.text ?? '', argNodes[1]);
    setCallersNumber(f, 'dstOffset', offset(a(3)), argNodes[3]?.text ?? '', argNodes[3]);
    setCallersNumber(f, 'length', a(4), argNodes[4]?.text ?? '', argNodes[4]);
    if (argNodes[5]) f.argRanges.flags = rangeOf(argNodes[5]);
    f.resultHandled = false;
    s.inLoop = this.loopDepth > 0;
    const r: AV = { k: 'result', site: s };
    return { k: 'list', items: [r, r] };
  }

  private ficloneSite(node: Node, callee: string, variant: 'FICLONE' | 'FICLONERANGE', dstNode: Node | undefined, dst: AV, argNode: Node | undefined, arg: AV): void {
    const s = this.sites.add('ficlone', callee, node);
    if (!s) return;
    const f = s.facts;
    f.ficloneVariant = variant;
    f.dstFdODirect = fdFact(dst);
    if (dstNode) f.argRanges.fd = rangeOf(dstNode);
    if (variant === 'FICLONE') { f.srcFdODirect = fdFact(arg); return; }
    const obj = arg.k === 'obj' ? arg : undefined;
    // unix.FileCloneRange's fields, or a package's own copy of struct file_clone_range (srcOffset, dest_offset…).
    const own = (name: string): string => (obj && !obj.fields.has(name) ? [...obj.fields.keys()].find((k) => cloneFieldOf(k) === cloneFieldOf(name)) : undefined) ?? name;
    const field = (name: string): AV => obj?.fields.get(own(name)) ?? UNKNOWN;
    const at = (name: string): Node | undefined => obj?.ranges.get(own(name)) ?? argNode;
    const text = (name: string): string => obj?.ranges.get(own(name))?.text ?? `${(argNode?.text ?? 'range').replace(/^&/, '')}.${name}`;
    f.srcFdODirect = fdFact(field('Src_fd'));
    setNumber(f, 'srcOffset', field('Src_offset'), text('Src_offset'), at('Src_offset'));
    setNumber(f, 'dstOffset', field('Dest_offset'), text('Dest_offset'), at('Dest_offset'));
    setNumber(f, 'length', field('Src_length'), text('Src_length'), at('Src_length'));
  }

  private openSite(node: Node, callee: string, flagsNode: Node | undefined): void {
    const s = this.sites.add('o_direct_open', callee, node);
    if (!s) return;
    s.facts.fdODirect = true;
    if (flagsNode) s.facts.argRanges.flags = rangeOf(flagsNode);
  }

  /**
   * Records an O_DIRECT read or write; returns its length (what it moves a file position by). An
   * offset without a node is the file position: the finding about it goes on the call.
   */
  private ioSite(node: Node, callee: string, dir: 'read' | 'write', fdNode: Node | undefined, bufNode: Node | undefined, bufAV: AV, offNode: Node | undefined, off: AV | undefined, vectored: boolean): AV {
    const length = bytesOf(bufAV, vectored);
    const s = this.sites.add('o_direct_io', callee, node);
    if (!s) return length;
    const f = s.facts;
    f.fdODirect = true;
    f.direction = dir;
    if (fdNode) f.argRanges.fd = rangeOf(fdNode);
    let buf = bufAV;
    if (vectored) buf = buf.k === 'list' ? combineBuffers(buf.items) ?? UNKNOWN : UNKNOWN;
    if (bufNode) f.argRanges.buffer = rangeOf(bufNode);
    if (buf.k === 'buf') f.buffer = buf.origin;
    setCallersNumber(f, 'length', buf.k === 'buf' && buf.size ? buf.size : UNKNOWN, `len(${bufNode?.text ?? ''})`, bufNode);
    f.lengthIsBufferSize = true;
    setBufferParam(f, buf, true);
    if (off && offNode) setCallersNumber(f, 'offset', off, offNode.text, offNode);
    else if (off?.k === 'num') f.offset = { known: true, value: off.value, text: 'the file position' };
    return length;
  }
}

/** How many bytes a read or write of this buffer (or these buffers) moves the file position by. */
function bytesOf(buf: AV, vectored: boolean): AV {
  const b = vectored ? (buf.k === 'list' ? combineBuffers(buf.items) ?? UNKNOWN : UNKNOWN) : buf;
  return b.k === 'buf' && b.size ? num(b.size.value) : UNKNOWN;
}

/** Package functions whose use of a descriptor is followed (the position moves or stays), so it does not escape. */
function positionAware(pkg: string, fn: string): boolean {
  if (SYS.has(pkg)) return !!IO_FUNCTIONS[fn] || fn === 'Seek' || SYS_POSITION_NEUTRAL.has(fn);
  if (pkg === 'os') return fn === 'NewFile' || fn === 'OpenFile' || fn === 'Open' || fn === 'Create';
  if (pkg === 'io') return fn === 'ReadFull' || fn === 'ReadAtLeast';
  if (pkg === 'iceber/iouring') return !!IOURING_REQUESTS[fn];
  return pkg === 'directio' || pkg === 'unsafe';
}

/** `*pkg.Store` → `Store`; `unix.FileCloneRange` → `FileCloneRange`. */
function typeName(node: Node | null | undefined): string | undefined {
  let n = node;
  for (let i = 0; n && i < 10; i++) {
    switch (n.type) {
      case 'pointer_type': n = n.namedChildren[0]; continue;
      case 'type_identifier': return n.text;
      case 'qualified_type': return fc(n, 'name')?.text;
      case 'generic_type': n = fc(n, 'type'); continue;
      default: return undefined;
    }
  }
  return undefined;
}

/** `Src_offset`, `srcOffset`, `SrcOffset`, `src_offset` → `srcoffset`; `dst…` and `dest…` alike. */
function cloneFieldOf(name: string): string {
  return name.replace(/_/g, '').toLowerCase().replace(/^dst/, 'dest');
}

const retKey = (type: string | undefined, fn: string): string => `ret:${type ?? ''}::${fn}`;
/** The parameter (by position) whose value is the length of every block the function returns. */
const retLengthKey = (type: string | undefined, fn: string): string => `retlen:${type ?? ''}::${fn}`;
/** The parameter (by position) whose flags decide where every descriptor the function returns starts. */
const retOpenFlagsKey = (type: string | undefined, fn: string): string => `retopen:${type ?? ''}::${fn}`;
/** The position an open whose flags a parameter decides leaves when it is not known: this minus the parameter's position (see noteCallersFlags). */
const CALLERS_FLAGS_POSITION = -(2 ** 40);
const MAX_PARAMS = 256;
/** Env names beside a known position: the parameter that decides it, and the number the open left. */
const OPENER_PARAM = '#opener-param:';
const OPENER_START = '#opener-start:';
/** Returned blocks whose length is a parameter of the function returning them (see resultOfCall). */
const lengthParamOf = new WeakMap<BufAV, number>();
const bareExpr = (n: Node): Node => (n.type === 'parenthesized_expression' && n.namedChildren[0] ? bareExpr(n.namedChildren[0]) : n);
/** The summary that says a function is an ioctl wrapper: which parameters are the fd, the request and the argument. */
const ioctlKey = (fn: string): string => `ioctl:${fn}`;
const paramKey = (type: string | undefined, fn: string, i: number): string => `param:${type ?? ''}::${fn}:${i}`;
/** A function as summaries name it: `Type.Method` or `function`. */
const fnKey = (type: string | undefined, fn: string): string => (type ? `${type}.${fn}` : fn);
/** The summary of a package-level var that functions assign (read as the field of the package). */
function stateKey(name: string): string { return fieldKey('(package)', name); }

function nameOfKey(key: string): string | undefined {
  return /^(?:field:.*\.|ret:.*::|param:.*::)([A-Za-z_][A-Za-z0-9_]*)(?::\d+)?$/.exec(key)?.[1];
}

/** A result that is nil on every path (or one item of it so) is not known: nil is kept only for the joins of the returns. */
function withoutNil(v: AV): AV {
  if (v.k === 'none') return UNKNOWN;
  if (v.k === 'list' && v.items.some((i) => i.k === 'none')) return { ...v, items: v.items.map((i) => (i.k === 'none' ? UNKNOWN : i)) };
  return v;
}

function summaryValue(v: AV): AV {
  switch (v.k) {
    case 'result': case 'never': case 'layout': return UNKNOWN;
    case 'obj': return v.type ? { k: 'inst', type: v.type } : UNKNOWN;
    case 'num': return v.def ? v : num(v.value);
    case 'list': return { k: 'list', items: v.items.map(summaryValue) };
    default: return v;
  }
}

const FILE_QUERY = `
(import_spec) @import
(const_declaration) @constblock
(var_spec) @var
(type_spec name: (type_identifier) type: (struct_type)) @struct
(function_declaration) @fn
(method_declaration) @fn
(assignment_statement left: (expression_list (_) @mutation))
(short_var_declaration left: (expression_list (_) @mutation))
(inc_statement (_) @mutation)
(dec_statement (_) @mutation)
`;
const fileQuery = cachedQuery(FILE_QUERY);

/** The package context the workspace index gave, if it is one (the extractor reads no other kind). */
function packageOf(external: ExternalContext | undefined): GoPackageContext | undefined {
  const v = external?.value as Partial<GoPackageContext> | undefined;
  return v && typeof v.self === 'string' && typeof v.package?.roots === 'function' ? v as GoPackageContext : undefined;
}

/** Unit relevance beyond the file prefilter: a raw ioctl may be a wrapper whose calls are clone sites. */
const WRAPPER_HINT = /SYS_IOCTL/;
const IDENTIFIERS = /[A-Za-z_][A-Za-z0-9_]*/g;

export function extractGo(root: Node, external?: ExternalContext): Extraction {
  const summaries = new Summaries();
  const pkg = packageOf(external);
  const analysis = new GoAnalysis(root, summaries, undefined, 0, pkg?.self);
  const files = [analysis];
  const found: (readonly QueryCapture[] | undefined)[] = [undefined];
  if (pkg) {
    const roots = pkg.package.roots();
    pkg.package.files.forEach((f, i) => {
      const r = roots[i];
      if (!r || f.path === pkg.self) return;
      // Writers are node offsets (times 8): 2^28 apart keeps files up to the parser's limit apart.
      files.push(new GoAnalysis(r, summaries, f.path, files.length * 2 ** 28));
      found.push(pkg.package.derived('go-declarations', i, () => captures(fileQuery(r), r)));
    });
  }
  const scope = files.length > 1 ? new GoPackageScope(files) : undefined;
  files.forEach((f, i) => { f.scope = scope; f.collect(found[i]); });
  if (scope) {
    const assigned = new Set(files.flatMap((f) => [...f.assigned]));
    for (const f of files) f.dropAssigned(assigned);
  }
  const units = files.flatMap((f) => f.units);
  const demand = scope ? demandOf(units, analysis) : undefined;
  // A unit matters when it spells what the prefilter looks for, a raw ioctl, or a package-level name
  // holding O_DIRECT or a clone request. Names are looked up by token: a package may have thousands.
  const names = new Set(files.flatMap((f) => f.relevantNames()));
  const spelled = new RegExp(`${goExtractor.prefilter.source}|${WRAPPER_HINT.source}`);
  const mentionsAny = (text: string, set: ReadonlySet<string>): boolean => {
    if (!set.size) return false;
    for (const token of text.match(IDENTIFIERS) ?? []) if (set.has(token)) return true;
    return false;
  };
  const relevant = { test: (text: string): boolean => spelled.test(text) || mentionsAny(text, names) };
  if (demand) {
    // This file's functions that call the other files' relevant functions (directly or through a few
    // others of theirs) are relevant too: the other files' functions run only when this file's call them.
    const relevantThere = new Set<number>();
    units.forEach((u, i) => { if (u.owner !== analysis && spelled.test(u.text)) relevantThere.add(i); });
    for (const name of names) for (const i of demand.mentioning(name)) relevantThere.add(i);
    const callees = new Set<string>();
    let fresh = [...relevantThere];
    for (let depth = 0; fresh.length && depth < MAX_CALL_DEPTH; depth++) {
      const next: number[] = [];
      for (const i of fresh) {
        const name = units[i]!.name;
        if (callees.has(name)) continue;
        callees.add(name);
        for (const j of demand.mentioning(name)) if (!relevantThere.has(j)) { relevantThere.add(j); next.push(j); }
      }
      fresh = next;
    }
    for (const i of fresh) callees.add(units[i]!.name);
    // And this file's functions that those functions call: the calls may pass an O_DIRECT descriptor
    // (the calling function then runs on demand, when this file's function reads the parameter).
    for (const u of analysis.units) if (demand.mentioning(u.name).some((i) => relevantThere.has(i))) callees.add(u.name);
    for (const name of callees) names.add(name);
  }
  const ownResultWriters = (key: string): number[] => {
    const m = /^ret(?:len|open)?:([^:]*)::(.+)$/.exec(key);
    const out: number[] = [];
    if (m) units.forEach((u, i) => { if (u.owner === analysis && u.name === m[2] && (u.recvType ?? '') === m[1]) out.push(i); });
    return out;
  };
  let current = analysis;
  const inFile = (owner: GoAnalysis, found: SiteFacts[]): SiteFacts[] => (owner.file ? found.map((f) => placeElsewhere(f, owner.file!)) : found);
  const all = runUnits(units, relevant, summaries, nameOfKey,
    (unit) => { current = unit.owner; return inFile(unit.owner, unit.owner.analyzeUnit(unit)); },
    () => inFile(current, current.sites.result()),
    {
      calleeNames: (fact) => Object.values(fact.params ?? {}).flatMap((p) => {
        const name = p!.fn.split('.').pop()!;
        // A function used as a value is called where a function value is: those callers name it not.
        return analysis.functionValues.has(name) ? [name, ...analysis.indirectCallers] : [name];
      }),
      // The other files' functions run only when this file's analysis reads what they may write: a
      // package of many files then costs each file what it uses, not the whole package.
      ...(demand ? { onDemand: (unit: GoUnit) => unit.owner !== analysis } : {}),
      // A helper of this file that a relevant function takes its result from (a block it allocates and
      // aligns) runs when that result is first read, whatever its text holds.
      demand: (key) => [...(demand?.writers(key) ?? []), ...ownResultWriters(key)],
    });
  const calls: CallRecord[] = analysis.calls.list();
  for (const f of files.slice(1)) for (const c of f.calls.list()) calls.push(callElsewhere(c, f.file!));
  const facts = all.filter((f) => !f.file);
  // Another file's site matters here only through a parameter this file's calls may supply (a row of a
  // table there is that file's business).
  const foreign = all.filter((f) => f.file && f.params && !f.via);
  return foreign.length ? { facts, calls, foreign } : { facts, calls };
}

/**
 * The units of other files that may write a summary key: the function whose result or wrapper it is,
 * the callers of the function whose parameter it is, the functions naming the field it is.
 */
function demandOf(units: readonly GoUnit[], self: GoAnalysis): { writers: (key: string) => number[]; mentioning: (name: string) => number[] } {
  let byToken: Map<string, number[]> | undefined;
  const mentioning = (name: string): number[] => {
    if (!byToken) {
      byToken = new Map();
      units.forEach((u, i) => {
        if (u.owner === self) return;
        for (const token of new Set(u.text.match(IDENTIFIERS) ?? [])) {
          const list = byToken!.get(token);
          if (list) list.push(i); else byToken!.set(token, [i]);
        }
      });
    }
    return byToken.get(name) ?? [];
  };
  const named = (type: string, fn: string): number[] => {
    const out: number[] = [];
    units.forEach((u, i) => { if (u.owner !== self && u.name === fn && (u.recvType ?? '') === type) out.push(i); });
    return out;
  };
  const writers = (key: string): number[] => {
    let m = /^ret(?:len|open)?:([^:]*)::(.+)$/.exec(key);
    if (m) return named(m[1]!, m[2]!);
    m = /^ioctl:(?:([^.]*)\.)?(.+)$/.exec(key);
    if (m) return named(m[1] ?? '', m[2]!);
    m = /^clears:(?:([^.:]*)\.)?(.+):\d+$/.exec(key);
    if (m) return named(m[1] ?? '', m[2]!);
    m = /^param:[^:]*::(.+):\d+$/.exec(key);
    if (m) return mentioning(m[1]!);
    m = /^field:.*\.([^.]+)$/.exec(key);
    if (m) return mentioning(m[1]!);
    return [];
  };
  return { writers, mentioning };
}

/**
 * A value computed in another file of the package, as this file may hold it: without the places where
 * it is written there (a constant's definition, a literal, an allocation), which a fix here must not edit.
 */
function detach(v: AV): AV {
  switch (v.k) {
    case 'num': return v.def || v.at ? num(v.value) : v;
    case 'buf': return { ...v, origin: detachOrigin(v.origin), size: v.size && num(v.size.value) };
    case 'list': return { k: 'list', items: v.items.map(detach) };
    case 'layout': return { ...v, size: v.size && num(v.size.value) };
    case 'obj': return v.type ? { k: 'inst', type: v.type } : UNKNOWN;
    case 'result': return UNKNOWN;
    default: return v;
  }
}

export const goExtractor: LanguageExtractor = {
  language: 'go',
  extensions: ['.go'],
  prefilter: /CopyFileRange|COPY_FILE_RANGE|Syscall6?\(|IoctlFileClone|FICLONE|FileCloneRange|O_DIRECT|directio|0[xX]4004_?9409|0[xX]4020_?940[dD]|1074041865|1075876877/,
  extract: (root, _text, external) => extractGo(root, external),
};

/** A return under `if err != nil` (or any `… != nil` test): the error path, after which a caller gives up. */
function goErrorExit(ret: Node): boolean {
  for (let p = ret.parent; p && p.type !== 'function_declaration' && p.type !== 'method_declaration' && p.type !== 'func_literal'; p = p.parent) {
    if (p.type === 'if_statement' && /!=\s*nil\b/.test(fc(p, 'condition')?.text ?? '')) return true;
  }
  return false;
}

/** A boolean argument spelled as a literal: `true`, `false`. */
function goBoolean(node: Node | undefined): boolean | undefined {
  const t = node?.text;
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

/** Calls that only tell the user, or end the program. */
const REPORTS = /^(log\.(Print|Printf|Println|Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)|fmt\.(Print|Printf|Println|Fprint|Fprintf|Fprintln)|slog\.(Error|Warn|Info)|os\.Exit|panic|println|print)$/;
const ENDS = /^(log\.(Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)|os\.Exit|panic)$/;
/** `return`, `return -1`, `return nil`, `return false, nil`: not `return err` (the caller may fall back), nor a call. */
const PLAIN_RETURN = /^(-?\d+|nil|true|false|"[^"]*")$/;

/** A branch that only reports and then returns or ends the program. */
function onlyReportsAndLeaves(block: Node | null | undefined): boolean {
  if (!block || block.type !== 'block') return false;
  const list = block.namedChildren.find((c) => c.type === 'statement_list');
  const statements = (list ? list.namedChildren : block.namedChildren).filter((c) => c.type !== 'comment');
  if (statements.length === 0 || statements.length > 8) return false;
  let leaves = false;
  for (const st of statements) {
    if (st.type === 'return_statement') {
      const values = st.namedChildren[0];
      const items = values ? (values.type === 'expression_list' ? values.namedChildren : [values]) : [];
      if (!items.every((v) => PLAIN_RETURN.test(v.text.trim()))) return false;
      leaves = true;
      continue;
    }
    const call = st.type === 'expression_statement' ? st.namedChildren[0] : st.type === 'call_expression' ? st : undefined;
    if (!call || call.type !== 'call_expression') return false;
    const callee = call.childForFieldName('function')?.text ?? '';
    if (!REPORTS.test(callee)) return false;
    if (ENDS.test(callee)) leaves = true;
  }
  return leaves;
}

/** Bytes of a string in UTF-8. */
function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Bytes of the contents of a Go interpreted string literal: `\n`, `\xNN` and octal escapes are one byte,
 * `\u`/`\U` escapes the UTF-8 of their code point; undefined for an escape Go does not accept.
 */
function goInterpretedBytes(body: string): number | undefined {
  let bytes = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      const cp = body.codePointAt(i)!;
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (cp > 0xffff) i++;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return undefined;
    if ('abfnrtv\\\'"'.includes(e)) { bytes += 1; continue; }
    if (e === 'x') { if (!/^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) return undefined; i += 2; bytes += 1; continue; }
    if (/[0-7]/.test(e)) { if (!/^[0-7]{3}$/.test(body.slice(i, i + 3))) return undefined; i += 2; bytes += 1; continue; }
    const hex = e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (!hex || !new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(body.slice(i + 1, i + 1 + hex))) return undefined;
    const cp = parseInt(body.slice(i + 1, i + 1 + hex), 16);
    i += hex;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Go's predeclared functions: a call of one is no call through a function value. */
const GO_BUILTINS = new Set(['append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic', 'print', 'println', 'real', 'recover']);

/** How many parameters a function declares (`src, dst *os.File` are two); -1 for a variadic one. */
function parameterCount(fn: Node): number {
  let n = 0;
  for (const p of fc(fn, 'parameters')?.namedChildren ?? []) {
    if (p.type === 'variadic_parameter_declaration') return -1;
    if (p.type !== 'parameter_declaration') continue;
    n += Math.max(1, p.childrenForFieldName('name').length);
  }
  return n;
}

const NO_TARGETS: FunctionTargets = Object.freeze({ targets: [], open: false }) as FunctionTargets;
const OPEN_TARGETS: FunctionTargets = Object.freeze({ targets: [], open: true }) as FunctionTargets;

function targetKey(t: FunctionTarget): string { return t.kind === 'package' ? `${t.pkg}.${t.fn}` : t.name; }

/** Adds `more` to `all` (each function once). */
function addTargets(all: FunctionTargets, more: FunctionTargets): void {
  const have = new Set(all.targets.map(targetKey));
  for (const t of more.targets) if (!have.has(targetKey(t))) { all.targets.push(t); have.add(targetKey(t)); }
  if (more.open) all.open = true;
}

/** The function or method declaration a node lies in, or undefined at package level. */
function enclosingFunction(node: Node): Node | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) if (n.type === 'function_declaration' || n.type === 'method_declaration') return n;
  return undefined;
}

/** Whether a function binds `name` itself: a parameter, a `:=`, a `var` or a range variable. */
function declaresLocally(fn: Node, name: string): boolean {
  let found = false;
  walkTree(fn, (type, get) => {
    if (found) return false;
    if (type !== 'parameter_declaration' && type !== 'short_var_declaration' && type !== 'range_clause' && type !== 'var_spec') return;
    const n = get();
    const left = type === 'parameter_declaration' || type === 'var_spec' ? n.childrenForFieldName('name') : fc(n, 'left')?.namedChildren ?? [];
    if (left.some((c) => c.text === name)) found = true;
  });
  return found;
}

/**
 * Does every pass of a loop whose body is `body` reach the site: it lies in a statement of the body
 * itself (not under an if or a nested loop), after no statement that may end the pass early.
 */
function goReachedOnEveryPass(body: Node, site: Range): boolean {
  const list = body.namedChildren.find((c) => c.type === 'statement_list') ?? body;
  for (const statement of list.namedChildren) {
    const r = rangeOf(statement);
    if (rangeWithin(site, r)) {
      // `if _, err := unix.Pwrite(…); err != nil`: the initializer and the test run on every pass
      if (statement.type === 'if_statement') {
        return [fc(statement, 'initializer'), fc(statement, 'condition')].some((part) => !!part && rangeWithin(site, rangeOf(part)));
      }
      return !/^(?:if|for|switch|select|type_switch|expression_switch)_statement$/.test(statement.type) && !statement.type.endsWith('switch_statement');
    }
    let leaves = false;
    walkTree(statement, (type) => {
      if (leaves || type === 'func_literal') return false;
      if (/^(?:return|break|continue|goto)_statement$/.test(type)) leaves = true;
      return !leaves;
    });
    if (leaves) return false;
  }
  return false;
}
