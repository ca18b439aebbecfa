// The C/C++ "program model": what the extractor needs to know about names in one file.
//
// - File scope: #define, enum constants, const/constexpr/static globals, static constexpr members.
// - Function scope (built lazily, only for functions that contain a candidate call): declarations,
//   assignments, `&x` escapes, posix_memalign/memset/fcntl effects, as "definitions" keyed by an
//   access path (`fd`, `s.fd`, `iov[0].iov_len`).
// - Reaching definitions without a CFG: walk the definitions of a key backwards in text order from
//   the use, stop at the first one that dominates the use (it is not inside a branch, loop body,
//   case, lambda… that does not also contain the use). Definitions after the use are ignored, so a
//   value is the value on the *first* arrival at the call; loop-carried updates (`off += n`) are
//   ignored for the same reason. If the reaching definitions disagree, the value is unknown.
//
// Everything is depth-capped or iterative; nothing here may throw on odd syntax.
import type { HeaderDefinitions, HeaderMacro } from '../workspace/c-headers';
import { Parser, Query, type Node } from 'web-tree-sitter';
import type { BufferCapacity, BufferOrigin, ConstantDefinition, PageSizeName, ParamRef, Range, SiteFacts } from '../../types';
import { evalBinary, evalUnary, parseIntegerLiteral } from '../values';
import { captures, descendTo, LineIndex, nodeRange, stripCComments, walkTree } from './common';
import { tickBudget } from '../budget';

/** Evaluation depth cap: deeper expressions (or macro chains) are treated as unknown. */
const MAX_DEPTH = 48;

export interface Evaluated {
  value: number;
  /** The expression as written at the use, e.g. `BUF_LEN` or `128 * 1024`. */
  text: string;
  /** The named definition that produced the value, when a single one did (for "round up the constant"). */
  constant?: ConstantDefinition;
  /** The node that holds the value in this file (literal or definition), for precise ranges. */
  range?: Range;
}

/** A declared variable. Only the name and declarator shape are read eagerly; the rest on first use. */
export class VarInfo {
  private typeMemo?: string;
  private constMemo?: boolean;
  private initMemo?: Node | null;
  private alignMemo?: AlignmentRead;

  constructor(
    readonly name: string,
    readonly declNode: Node,
    readonly declarator: Node,
    readonly pointerDepth: number,
    readonly arrayDims: Node[],
    readonly isParam: boolean,
    private readonly alignmentOf: (decl: Node, declarator: Node) => AlignmentRead,
    /** Told on every read of the alignment, memoized or not: the text it came from may lie outside the declaration. */
    private readonly noteTextRead: (start: number, end: number) => void,
  ) {}

  get typeText(): string {
    if (this.typeMemo === undefined) {
      const t = this.declNode.childForFieldName('type');
      this.typeMemo = t ? t.text.replace(/\s+/g, ' ') : '';
    }
    return this.typeMemo;
  }

  /** const/constexpr and not a pointer (a pointer's `const` qualifies the pointee). */
  get isConst(): boolean {
    if (this.constMemo === undefined) {
      let c = false;
      for (let i = 0; i < this.declNode.namedChildCount && !c; i++) {
        const q = this.declNode.namedChild(i);
        if (q?.type === 'type_qualifier' && /^(const|constexpr|constinit)$/.test(q.text)) c = true;
      }
      this.constMemo = c && this.pointerDepth === 0;
    }
    return this.constMemo;
  }

  get init(): Node | undefined {
    if (this.initMemo === undefined) {
      let init: Node | null = null;
      if (this.declarator.type === 'init_declarator') {
        const v = this.declarator.childForFieldName('value');
        if (v) init = v.type === 'argument_list' && v.namedChildCount === 1 ? firstNamed(v) : v;
      } else if (this.declNode.type === 'field_declaration') {
        init = this.declNode.childForFieldName('default_value');
      }
      this.initMemo = init;
    }
    return this.initMemo ?? undefined;
  }

  /** Text of the alignment expression from alignas/_Alignas/__attribute__((aligned(…))); '' for bare `aligned`. */
  get alignText(): string | undefined {
    this.alignMemo ??= this.alignmentOf(this.declNode, this.declarator);
    this.noteTextRead(this.alignMemo.start, this.alignMemo.end);
    return this.alignMemo.text;
  }
}

/** An alignment found in the text of a declaration, and the text range that was searched for it. */
export interface AlignmentRead { text?: string; start: number; end: number }

/**
 * What one site's evaluation read beyond its own function, so a cached result can be reused only while
 * those inputs are unchanged (see c-family-reuse.ts). File-level constants are not listed: the reuse
 * check keeps them unchanged for the whole file.
 */
export interface SiteDependencies {
  /** A helper parameter was resolved through the helper's callers (paramIsODirect). */
  callerFlow: boolean;
  /** Raw text ranges [start, end) searched outside syntax nodes (alignment attributes), flattened pairs. */
  textReads: number[];
}

/** A conditional part of the function (an if branch, a loop body, a case…) as an extent, linked outward. */
/** See CFamilyModel.oDirectPath. `after`: the end of the `if`; only uses after it are on the path. */
export interface ODirectBranch { fn: number; after: number; taken: { start: number; end: number }[]; other?: { start: number; end: number } }

interface Cond {
  start: number;
  end: number;
  parent: Cond | null;
  /** For a `for` update clause: the loop body (a use there sees the update only on later iterations). */
  loopBody?: { start: number; end: number };
}

type DefKind = 'assign' | 'compound' | 'update' | 'escape' | 'zero' | 'memalign' | 'setfl';

/**
 * Where a global's one write takes effect: the end of the body of the function `fn` that makes it (main,
 * or a function that runs first). When a helper main calls makes it: `after`, the end of that call in
 * main, and `values`, the helper's parameters as that call passes them.
 */
interface WrittenOnce { end: Node; scope: Scope; fn: Node; after?: number; values?: Map<string, Evaluated | undefined> }

interface Def {
  kind: DefKind;
  /** Offset where the definition takes effect (its end), so `x = x + 1` does not reach itself. */
  pos: number;
  node: Node;
  value?: Node;
  op?: string;
  /** The conditional parts (branches, loop bodies…) around the definition, innermost first; computed lazily. */
  cond?: Cond | null;
  /** memalign: alignment and size argument nodes, and the call. */
  align?: Node;
  size?: Node;
}

/** A value source after resolving definitions and access paths. */
/** A program option kept in a handle's field that decides whether the handle's descriptor is O_DIRECT. */
export interface DirectOption { fields: string[]; mask: string }

type Source =
  | { kind: 'expr'; node: Node; scope: Scope | undefined; name?: string }
  | { kind: 'zero' }
  | { kind: 'memalign'; def: Def; scope: Scope }
  /** `escape`: the call that may have written the value (`fill_flags(&flags)`), when that is why it is unknown. */
  | { kind: 'unknown'; escape?: Node };

const C_FUNCTION_SCOPES = new Set(['function_definition']);
/** Node types buildFile looks at (everything else at file scope is skipped without materializing it). */
const FILE_SCOPE_TYPES = new Set([
  'preproc_def', 'preproc_function_def', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification',
  'declaration_list', 'namespace_definition', 'field_declaration_list', 'template_declaration', 'enum_specifier',
  'struct_specifier', 'class_specifier', 'union_specifier', 'declaration', 'type_definition', 'field_declaration', 'function_definition',
]);

/** Field order of the kernel structs that positional initializers fill. */
const STRUCT_FIELDS: Record<string, readonly string[]> = {
  file_clone_range: ['src_fd', 'src_offset', 'src_length', 'dest_offset'],
  iovec: ['iov_base', 'iov_len'],
};

/** sizeof on LP64 Linux (x86-64, arm64, ppc64le, riscv64). */
const TYPE_SIZES: Record<string, number> = {};
for (const [size, names] of [
  [1, 'char,signed char,unsigned char,int8_t,uint8_t,bool,_Bool,byte,__u8,__s8,u8,s8,char8_t'],
  [2, 'short,short int,signed short,unsigned short,unsigned short int,short unsigned int,int16_t,uint16_t,__u16,__s16,u16,s16,char16_t'],
  [4, 'int,signed,signed int,unsigned,unsigned int,int32_t,uint32_t,__u32,__s32,u32,s32,float,char32_t,wchar_t,mode_t,pid_t,uid_t,gid_t'],
  [8, 'long,long int,signed long,unsigned long,unsigned long int,long unsigned int,long long,long long int,unsigned long long,unsigned long long int,long long unsigned int,size_t,ssize_t,off_t,off64_t,loff_t,int64_t,uint64_t,__u64,__s64,u64,s64,double,intptr_t,uintptr_t,ptrdiff_t,time_t,blkcnt_t,blksize_t,ino_t,dev_t'],
  [16, 'long double,__int128,unsigned __int128'],
] as const) {
  for (const n of names.split(',')) TYPE_SIZES[n] = size;
}
const STRUCT_SIZES: Record<string, number> = { iovec: 16, file_clone_range: 32 };

const snippetParsers = new WeakMap<object, Parser>();

/** `struct disk_obj`, `const struct disk_obj` → `disk_obj`. */
function stripParens(node: Node): Node {
  let n = node;
  for (let i = 0; i < MAX_DEPTH && n.type === 'parenthesized_expression'; i++) {
    const inner = firstNamed(n);
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** Where `name` is written in C text: assigned (`=`, `+=`, …), incremented, decremented, or handed out by address. */
export function writesOf(name: string, flags = ''): RegExp {
  return new RegExp(`\\b${name}\\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|(?:\\+\\+|--)\\s*${name}\\b|\\b${name}\\s*(?:\\+\\+|--)|&\\s*${name}\\b`, flags);
}

/** First named child that is not a comment. */
export function firstNamed(node: Node): Node | null {
  for (let i = 0; i < node.namedChildCount; i++) {
    const c = node.namedChild(i);
    if (c && c.type !== 'comment') return c;
  }
  return null;
}

/** Named children without comments (argument lists, initializer lists). */
export function namedArgs(node: Node | null): Node[] {
  if (!node) return [];
  const out: Node[] = [];
  for (let i = 0; i < node.namedChildCount; i++) {
    const c = node.namedChild(i);
    if (c && c.type !== 'comment') out.push(c);
  }
  return out;
}

/** Strips parentheses, C casts and C++ named casts: `(char *)(p)`, `static_cast<T>(x)`. */
/** C's comparisons and logical operators: 1 or 0. */
const C_COMPARISONS: Record<string, (a: number, b: number) => number> = {
  '<': (a, b) => +(a < b), '<=': (a, b) => +(a <= b), '>': (a, b) => +(a > b), '>=': (a, b) => +(a >= b),
  '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b), '&&': (a, b) => +(a !== 0 && b !== 0), '||': (a, b) => +(a !== 0 || b !== 0),
};

/** Integer typedefs of the C library, which the grammar cannot tell from a name where no declaration says so. */
const STANDARD_INTEGER_TYPE = /^(?:u?int(?:8|16|32|64|max|ptr)_t|s?size_t|off(?:64)?_t|loff_t|ptrdiff_t)$/;

export function stripCasts(node: Node): Node {
  let n = node;
  for (let i = 0; i < MAX_DEPTH; i++) {
    if (n.type === 'parenthesized_expression') { const inner = firstNamed(n); if (!inner) break; n = inner; continue; }
    if (n.type === 'cast_expression') { const v = n.childForFieldName('value'); if (!v) break; n = v; continue; }
    if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'template_function' && /^(static|reinterpret|const)_cast$/.test(fn.childForFieldName('name')?.text ?? '')) {
        const args = namedArgs(n.childForFieldName('arguments'));
        if (args.length === 1) { n = args[0]!; continue; }
      }
      // `(off_t)(x)` where the grammar does not know the type (a macro's body, a C file): a cast all the same
      if (fn?.type === 'parenthesized_expression' && STANDARD_INTEGER_TYPE.test(firstNamed(fn)?.text ?? '')) {
        const args = namedArgs(n.childForFieldName('arguments'));
        if (args.length === 1) { n = args[0]!; continue; }
      }
    }
    break;
  }
  return n;
}

function compact(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/**
 * The helper that ZDIO012's quick fix adds (fixes.ts writes it): copy_file_range's arguments and result, and it
 * copies the whole range, falling back to read/write. Its calls are read as copy_file_range calls whose result
 * is handled, so the other rules keep judging the range and the descriptors where the call stands.
 */
export const FULL_COPY_HELPER = 'copy_file_range_fully';

/**
 * Test-suite wrappers that take the same arguments as the libc call they check (LTP's SAFE_* macros,
 * tst_syscall): the analysis reads them as that call. Wrappers with an extra leading argument
 * (SAFE_READ(exact, fd, …)) are I/O shapes of their own in c-family.ts.
 */
export const SAME_ARGUMENT_WRAPPERS: Readonly<Record<string, string>> = {
  [FULL_COPY_HELPER]: 'copy_file_range',
  SAFE_OPEN: 'open', SAFE_OPENAT: 'openat', SAFE_MEMALIGN: 'memalign', SAFE_MALLOC: 'malloc', SAFE_LSEEK: 'lseek',
  SAFE_CLOSE: 'close', SAFE_FCNTL: 'fcntl', SAFE_MMAP: 'mmap', SAFE_IOCTL: 'ioctl', tst_syscall: 'syscall',
};

/** The callee name of a call, without a leading `::` or `std::` (which name the same libc function). */
export function calleeName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return SAME_ARGUMENT_WRAPPERS[fn.text] ?? fn.text;
  if (fn.type === 'qualified_identifier') {
    const scope = fn.childForFieldName('scope');
    const name = fn.childForFieldName('name');
    if (name?.type !== 'identifier') return undefined;
    if (!scope) return SAME_ARGUMENT_WRAPPERS[name.text] ?? name.text;
    if (scope.text === 'std') return name.text;
  }
  return undefined;
}

/** The innermost name of a declarator plus pointer depth and array sizes. */
export function unwrapDeclarator(d: Node | null): { name?: Node; pointerDepth: number; dims: Node[]; isFunction: boolean } {
  let pointerDepth = 0;
  const dims: Node[] = [];
  let n = d;
  for (let i = 0; n && i < MAX_DEPTH; i++) {
    switch (n.type) {
      case 'identifier': case 'field_identifier':
        return { name: n, pointerDepth, dims, isFunction: false };
      case 'qualified_identifier': {
        const nm = n.childForFieldName('name');
        return nm?.type === 'identifier' ? { name: nm, pointerDepth, dims, isFunction: false } : { pointerDepth, dims, isFunction: false };
      }
      case 'pointer_declarator': pointerDepth++; n = n.childForFieldName('declarator'); break;
      case 'array_declarator': { const s = n.childForFieldName('size'); if (s) dims.unshift(s); n = n.childForFieldName('declarator'); break; }
      case 'init_declarator': n = n.childForFieldName('declarator'); break;
      case 'function_declarator': return { pointerDepth, dims, isFunction: true };
      case 'reference_declarator': case 'parenthesized_declarator': case 'attributed_declarator': n = lastNamedDeclarator(n); break;
      default: return { pointerDepth, dims, isFunction: false };
    }
  }
  return { pointerDepth, dims, isFunction: false };
}

function lastNamedDeclarator(n: Node): Node | null {
  for (let i = n.namedChildCount - 1; i >= 0; i--) {
    const c = n.namedChild(i);
    if (c && c.type !== 'attribute_specifier' && c.type !== 'attribute_declaration' && c.type !== 'comment') return c;
  }
  return null;
}

/**
 * The access path of an lvalue-ish expression: `fd`, `s.fd` (also for `s->fd`), `iov[0].iov_len`.
 * `this->x` is the member `x`. Undefined for anything not trackable (calls, `*p`, variable indexes).
 */
export function accessKey(node: Node, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const n = stripParens(node);
  switch (n.type) {
    case 'identifier': case 'field_identifier': return n.text;
    case 'qualified_identifier': { const nm = n.childForFieldName('name'); return nm?.type === 'identifier' ? nm.text : undefined; }
    case 'field_expression': {
      const arg = n.childForFieldName('argument');
      const field = n.childForFieldName('field');
      if (!arg || !field) return undefined;
      if (arg.type === 'this') return field.text;
      const base = accessKey(arg, depth + 1);
      return base === undefined ? undefined : `${base}.${field.text}`;
    }
    case 'subscript_expression': {
      const arg = n.childForFieldName('argument');
      const idx = n.childForFieldName('index') ?? n.childForFieldName('indices');
      if (!arg || !idx) return undefined;
      const i = parseIntegerLiteral(stripParens(idx.type === 'subscript_argument_list' ? (firstNamed(idx) ?? idx) : idx).text);
      const base = accessKey(arg, depth + 1);
      return base === undefined || i === undefined ? undefined : `${base}[${i}]`;
    }
    default: return undefined;
  }
}

/**
 * `files[i]` with an index that is no literal: `files[]`, the key that stands for every element of
 * the array (a descriptor table filled by a loop of opens). Undefined for other expressions.
 */
export function elementsKey(node: Node): string | undefined {
  const n = stripParens(node);
  if (n.type !== 'subscript_expression') return undefined;
  const arg = n.childForFieldName('argument');
  const base = arg ? accessKey(arg) : undefined;
  return base === undefined || base.includes('[') ? undefined : `${base}[]`;
}

/** Splits `iov[0].iov_len` into its prefixes: ['iov', 'iov[0]', 'iov[0].iov_len']. */
function keyPrefixes(key: string): string[] {
  const out: string[] = [];
  const re = /[.[]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key)) !== null) out.push(key.slice(0, m.index));
  out.push(key);
  return out;
}

/** Per-function tables: declared names and the definitions of every access path. */
export class Scope {
  readonly vars = new Map<string, VarInfo>();
  readonly defs = new Map<string, Def[]>();
  constructor(readonly root: Node) {}

  addDef(key: string, def: Def): void {
    let list = this.defs.get(key);
    if (!list) { list = []; this.defs.set(key, list); }
    list.push(def);
  }
}

/** Names of libc functions that take their arguments by value (C++ reference-escape analysis skips them). */
const BY_VALUE_CALLS = new Set([
  'read', 'write', 'pread', 'pwrite', 'pread64', 'pwrite64', 'preadv', 'pwritev', 'preadv2', 'pwritev2', 'readv', 'writev',
  'open', 'open64', 'openat', 'openat64', 'close', 'fcntl', 'ioctl', 'copy_file_range', 'syscall', 'fsync', 'fdatasync',
  'malloc', 'calloc', 'realloc', 'free', 'aligned_alloc', 'memalign', 'posix_memalign', 'valloc', 'pvalloc', 'mmap', 'munmap',
  'memset', 'memcpy', 'memmove', 'memcmp', 'printf', 'fprintf', 'snprintf', 'perror', 'strerror', 'sysconf', 'lseek', 'ftruncate',
  'fallocate', 'posix_fallocate', 'assert', 'abort', 'exit', 'err', 'errx', 'warn', 'warnx', 'dup', 'dup2', 'fstat', 'stat',
  // C string functions: a C function cannot take a reference, it writes through the pointer it is given
  'strcpy', 'strncpy', 'strcat', 'strncat', 'strlen', 'strnlen', 'strcmp', 'strncmp', 'strchr', 'strrchr', 'memchr', 'sprintf', 'puts', 'fputs',
  // C++ library functions that take const references
  'min', 'max', 'clamp', 'to_string', 'size', 'data', 'begin', 'end', 'make_unique', 'make_shared',
]);

export interface ModelOptions {
  cpp: boolean;
  /** The macros of the headers the file includes (the workspace index); the file's own definitions win. */
  headers?: HeaderDefinitions;
}

/** The model of one parsed C/C++ file. Create one per extraction; it memoizes everything per file. */
/** How many constructions of one class are read (see CFamilyModel.constructions). */
export const MAX_CONSTRUCTIONS = 32;

export class CFamilyModel {
  private fileBuilt = false;
  private readonly macros = new Map<string, Node[]>();
  /** Function-like macros (null: defined more than once). */
  private readonly functionMacros = new Map<string, Node | null>();
  private readonly enumerators = new Map<string, { node: Node; list: Node }>();
  private readonly globals = new Map<string, VarInfo[]>();
  /** Plain function definitions by name (null: defined more than once); filled on first use. */
  private readonly functionDefs = new Map<string, Node | null>();
  /** The name of each plainly named function definition of the file's scope, by its start. */
  private readonly functionNamesByStart = new Map<number, string>();
  private functionDefsBuilt = false;
  private readonly paramMemo = new Map<string, boolean>();
  private readonly returnMemo = new Map<string, boolean>();
  private readonly returnsMemo = new Map<number, Node[]>();
  private readonly callsMemo = new Map<string, Node[]>();
  /** Functions called from a function that holds an O_DIRECT descriptor: only their parameters can be O_DIRECT. */
  readonly helperNames = new Set<string>();
  /** Members initialized in a constructor's initializer list (null: by more than one constructor). */
  private readonly memberInits = new Map<string, Node | null>();
  private readonly scopes = new Map<number, Scope>();
  private readonly rootMemo = new Map<number, Node>();
  private readonly constMemo = new Map<string, Evaluated | null>();
  private readonly odirectNameMemo = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();
  private lines: LineIndex | undefined;
  /** O_DIRECT-ness of descriptors stored in globals/members (`g_fd`, `fd_`) and struct fields (`.fd`) by any function. */
  readonly fileFdTargets = new Map<string, boolean>();
  /**
   * Set when a recursion guard or depth cap cut an evaluation short. Memoized values may then depend on
   * the order in which sites were evaluated, so a partial re-extraction could differ from a full one.
   */
  orderSensitive = false;
  /**
   * Set when an answer was read from the body of another function of the file (what it returns, what it
   * does to a parameter it is given). Memoized answers carry that dependency from one site to another
   * without saying so, so such an extraction is not kept for reuse: the next edit analyses the file in full.
   */
  readsOtherFunctions = false;
  /** Where the current site's reads beyond its function are recorded (set by the extractor per site). */
  dependencies: SiteDependencies | undefined;
  /**
   * Set by the extractor while one O_DIRECT I/O site is evaluated: the arm of the `if` on which its
   * descriptor got O_DIRECT (see oDirectBranch). The site only runs with O_DIRECT on that path, so a
   * value assigned in the other arm never reaches it as an O_DIRECT call, and one assigned at the top of
   * the taken arm hides what came before the `if`.
   */
  oDirectPath: ODirectBranch | undefined;
  /**
   * The row of a table of cases that the current evaluation reads (see RowBinding): set by the
   * extractor while it evaluates a site once per row, undefined otherwise. Memoized answers are not
   * written while it is set, since they could hold one row's values.
   */
  row: RowBinding | undefined;
  /** The row items the evaluations read while `row` is set, in order (where each value came from). */
  readonly rowTouches: Node[] = [];

  constructor(readonly root: Node, readonly text: string, readonly opts: ModelOptions) {}

  /** Records that an evaluation was cut short (see orderSensitive) and returns its fallback value. */
  cutShort<T>(fallback: T): T {
    this.orderSensitive = true;
    return fallback;
  }

  get lineIndex(): LineIndex { return (this.lines ??= LineIndex.of(this.text)); }

  // ---------------------------------------------------------------- file scope

  private buildFile(): void {
    if (this.fileBuilt) return;
    this.fileBuilt = true;
    // Top-level items, descending only into containers that hold more top-level items.
    const stack: Node[] = [this.root];
    const cpp = this.opts.cpp;
    let guard = 0;
    while (stack.length && guard++ < 1_000_000) {
      const node = stack.pop()!;
      // A cursor over the children: `namedChild(i)` costs O(i) each, quadratic on big files.
      const children: Node[] = [];
      const cursor = node.walk();
      try {
        if (cursor.gotoFirstChild()) {
          do {
            const type = cursor.nodeType;
            // In C a function definition adds nothing at file scope: do not materialize thousands of them.
            if (FILE_SCOPE_TYPES.has(type) && (cpp || type !== 'function_definition')) children.push(cursor.currentNode);
          } while (cursor.gotoNextSibling());
        }
      } finally {
        cursor.delete();
      }
      for (const c of children) {
        switch (c.type) {
          case 'preproc_def': {
            const name = c.childForFieldName('name')?.text;
            if (name) { const l = this.macros.get(name) ?? []; l.push(c); this.macros.set(name, l); }
            break;
          }
          case 'preproc_function_def': {
            const name = c.childForFieldName('name')?.text;
            if (name) this.functionMacros.set(name, this.functionMacros.has(name) ? null : c);
            break;
          }
          case 'preproc_if': case 'preproc_ifdef': case 'preproc_else': case 'preproc_elif': case 'preproc_elifdef':
          case 'linkage_specification': case 'declaration_list': case 'namespace_definition': case 'field_declaration_list':
          case 'template_declaration':
            stack.push(c.type === 'linkage_specification' || c.type === 'namespace_definition' ? (c.childForFieldName('body') ?? c) : c);
            break;
          case 'enum_specifier': this.addEnum(c); break;
          case 'function_definition': {
            if (!this.opts.cpp) break;
            // Constructors: `S() : fd_(open(…)), buf_(new char[n]) {}` initialize members.
            for (let k = 0; k < c.namedChildCount; k++) {
              const list = c.namedChild(k);
              if (list?.type !== 'field_initializer_list') continue;
              for (const fi of namedArgs(list)) {
                const member = fi.namedChild(0);
                const args = fi.namedChild(1);
                const value = args?.type === 'argument_list' || args?.type === 'initializer_list' ? namedArgs(args) : [];
                if (member?.type !== 'field_identifier' || value.length !== 1) continue;
                // a copy or move constructor passes the member on: it is no initialization of its own
                const cls = constructorClass(c);
                if (cls && copiesMember(c, cls, member.text)) continue;
                this.memberInits.set(member.text, this.memberInits.has(member.text) ? null : value[0]!);
              }
            }
            break;
          }
          case 'struct_specifier': case 'class_specifier': case 'union_specifier': {
            const body = c.childForFieldName('body');
            if (body) stack.push(body);
            break;
          }
          case 'declaration': case 'type_definition': case 'field_declaration': {
            const t = c.childForFieldName('type');
            if (t?.type === 'enum_specifier') this.addEnum(t);
            else if (t && (t.type === 'struct_specifier' || t.type === 'class_specifier')) { const body = t.childForFieldName('body'); if (body) stack.push(body); }
            if (c.type !== 'type_definition') for (const v of this.varsOfDeclaration(c, false)) {
              const l = this.globals.get(v.name) ?? []; l.push(v); this.globals.set(v.name, l);
            }
            break;
          }
          default: break;
        }
      }
    }
  }

  private addEnum(spec: Node): void {
    const body = spec.childForFieldName('body');
    if (!body) return;
    for (const e of namedArgs(body)) {
      if (e.type !== 'enumerator') continue;
      const name = e.childForFieldName('name')?.text;
      if (name && !this.enumerators.has(name)) this.enumerators.set(name, { node: e, list: body });
    }
  }

  /** VarInfos declared by a declaration / parameter / field declaration. */
  varsOfDeclaration(decl: Node, isParam: boolean): VarInfo[] {
    const out: VarInfo[] = [];
    for (const d of decl.childrenForFieldName('declarator')) {
      if (!d) continue;
      const u = unwrapDeclarator(d);
      if (!u.name || u.isFunction) continue;
      out.push(new VarInfo(u.name.text, decl, d, u.pointerDepth, u.dims, isParam, this.alignmentOfDeclaration, this.noteTextRead));
    }
    return out;
  }

  /**
   * alignas(A) / _Alignas(A) / __attribute__((aligned(A))) around an array declaration. Text-based on
   * purpose: tree-sitter-c/cpp mis-parse a trailing `__attribute__` after the declarator (ERROR node),
   * so the text up to the declaration's `;` is searched as well.
   */
  private readonly noteTextRead = (start: number, end: number): void => { this.dependencies?.textReads.push(start, end); };

  private readonly alignmentOfDeclaration = (decl: Node, declarator: Node): AlignmentRead => {
    let start = decl.startIndex;
    for (let i = 0; i < decl.childCount; i++) {
      const c = decl.child(i);
      if (!c || c.startIndex >= declarator.startIndex) break;
      if (c.type === 'ERROR') start = c.endIndex;  // what precedes an ERROR belongs to the previous declaration
    }
    let end = this.text.indexOf(';', declarator.endIndex);
    if (end === -1 || end - declarator.endIndex > 400) end = Math.min(this.text.length, declarator.endIndex + 400);
    const region = this.text.slice(start, end);
    const alignas = /\b(?:_Alignas|alignas)\s*\(\s*((?:[^()]|\([^()]*\))*)\)/.exec(region);
    if (alignas) return { text: alignas[1]!.trim(), start, end };
    // GCC accepts __attribute__ and __attribute, aligned and __aligned__, with spaces anywhere between
    const attr = /\b__attribute(?:__)?\s*\(\(\s*(?:__)?aligned(?:__)?\s*(\(\s*((?:[^()]|\([^()]*\))*)\))?/.exec(region);
    if (attr) return { text: attr[1] ? attr[2]!.trim() : '', start, end };
    const cxxAttr = /\[\[\s*gnu::aligned\s*\(\s*((?:[^()]|\([^()]*\))*)\)\s*\]\]/.exec(region);
    if (cxxAttr) return { text: cxxAttr[1]!.trim(), start, end };
    return { start, end };
  };

  /** Is `name` a variable declared at file scope (or a C++ member)? */
  isFileScopeVariable(name: string): boolean {
    this.buildFile();
    return this.globals.has(name);
  }

  private globalVar(name: string): VarInfo | undefined {
    this.buildFile();
    const l = this.globals.get(name);
    return l && l.length >= 1 ? (l.find((v) => v.init) ?? l[0]) : undefined;
  }

  /**
   * The declaration of a struct or class field by its name (`r.scratch` → `std::vector<char> scratch;`),
   * when every field of that name in the file is declared with the same type: a base whose type the
   * analysis does not follow (`auto &r : reqs`) still has a field whose type is known.
   */
  private fieldDeclaration(name: string): VarInfo | undefined {
    this.buildFile();
    const l = this.globals.get(name);
    if (!l?.length || l.some((v) => v.declNode.type !== 'field_declaration')) return undefined;
    const type = l[0]!.typeText.replace(/\s+/g, '');
    return l.every((v) => v.typeText.replace(/\s+/g, '') === type && v.pointerDepth === l[0]!.pointerDepth && !v.arrayDims.length) ? l[0] : undefined;
  }

  /**
   * The initializer of a global (or a C++ member initialized in a constructor's initializer list) that
   * is const, or never assigned / incremented / address-taken anywhere else in the file.
   */
  private stableInit(name: string): Node | undefined {
    const g = this.globalVar(name);
    if (!g) return undefined;
    const init = g.init ?? this.memberInits.get(name) ?? undefined;
    return init && this.globalIsStable(g) ? init : undefined;
  }

  /** A global's initializer and the right-hand sides of its `=`/`|=` assignments anywhere in the file (not to a local of that name). */
  private globalValues(v: VarInfo): { node: Node; scope: Scope | undefined }[] {
    const out: { node: Node; scope: Scope | undefined }[] = [];
    if (v.init) out.push({ node: v.init, scope: undefined });
    const re = new RegExp(`\\b${v.name}\\s*\\|?=(?!=)`, 'g');
    for (let m = re.exec(this.text); m && out.length < 64; m = re.exec(this.text)) {
      const ident = this.root.descendantForIndex(m.index, m.index + v.name.length);
      const assign = ident?.parent;
      if (ident?.type !== 'identifier' || assign?.type !== 'assignment_expression' || assign.childForFieldName('left')?.id !== ident.id) continue;
      const scope = this.scopeFor(assign);
      if (scope.vars.has(v.name)) continue;   // a local of the same name
      const right = assign.childForFieldName('right');
      if (right) out.push({ node: right, scope });
    }
    return out;
  }

  private readonly mainOnceMemo = new Map<string, WrittenOnce | null>();
  /** Globals whose O_DIRECT answer came from assignments anywhere in the file. */
  private readonly readsWholeFile = new Set<string>();

  private globalIsStable(v: VarInfo): boolean {
    if (v.isConst) return true;
    const re = writesOf(v.name, 'g');
    let count = 0;
    while (re.exec(this.text) !== null) if (++count > 1) return false;
    return count <= (v.init ? 1 : 0);
  }

  // ---------------------------------------------------------------- function scope

  /** The function (or top-level item) a node is in: the innermost function_definition around it. */
  scopeRootOf(node: Node): Node {
    const memo = this.rootMemo.get(node.id);
    if (memo) return memo;
    const path = descendTo(this.root, node.startIndex, node.endIndex);
    let found: Node | undefined = path[0];
    for (const n of path) {
      if (n.startIndex === node.startIndex && n.endIndex === node.endIndex && n.typeId === node.typeId) break;
      if (C_FUNCTION_SCOPES.has(n.type)) found = n;
    }
    const root = found ?? node;
    this.rootMemo.set(node.id, root);
    return root;
  }

  scopeFor(node: Node): Scope {
    const root = this.scopeRootOf(node);
    let s = this.scopes.get(root.id);
    if (!s) { s = this.buildScope(root); this.scopes.set(root.id, s); }
    return s;
  }

  /**
   * Collects a function's declarations and definitions with one compiled query: only the nodes that
   * define something cross from wasm to JS, which keeps large functions cheap. Where a definition sits
   * (inside which branch or loop) is worked out later, and only for definitions a lookup reaches.
   */
  private buildScope(root: Node): Scope {
    const scope = new Scope(root);
    const cpp = this.opts.cpp;
    for (const cap of captures(scopeQuery(root, cpp), root)) {
      const node = cap.node;
      switch (cap.name) {
        case 'param':
          for (const v of this.varsOfDeclaration(node, true)) if (!scope.vars.has(v.name)) scope.vars.set(v.name, v);
          break;
        case 'decl': {
          for (const v of this.varsOfDeclaration(node, false)) {
            if (!scope.vars.has(v.name)) scope.vars.set(v.name, v);
            const value = v.declarator.type === 'init_declarator' ? v.init : undefined;
            if (value) scope.addDef(v.name, { kind: 'assign', pos: v.declarator.endIndex, node: v.declarator, value });
          }
          break;
        }
        case 'rangedecl': {
          const u = unwrapDeclarator(node);
          if (u.name) scope.addDef(u.name.text, { kind: 'escape', pos: u.name.endIndex, node });
          break;
        }
        case 'assign': {
          const left = node.childForFieldName('left');
          const op = node.childForFieldName('operator')?.text ?? '=';
          const key = left ? accessKey(left) : undefined;
          const right = node.childForFieldName('right');
          if (key !== undefined) scope.addDef(key, { kind: op === '=' ? 'assign' : 'compound', op, pos: node.endIndex, node, value: right ?? undefined });
          break;
        }
        case 'update': {
          const arg = node.childForFieldName('argument');
          const key = arg ? accessKey(arg) : undefined;
          if (key !== undefined) scope.addDef(key, { kind: 'update', pos: node.endIndex, node });
          break;
        }
        case 'addr': this.addressEffect(node, scope); break;
        case 'setfl': {
          // fcntl(…) or, in C++, ::fcntl(…)
          const call = node.parent?.type === 'qualified_identifier' ? node.parent.parent : node.parent;
          if (!call || call.type !== 'call_expression') break;
          const args = namedArgs(call.childForFieldName('arguments'));
          const key = args.length === 3 && stripParens(args[1]!).text === 'F_SETFL' ? accessKey(args[0]!) : undefined;
          if (key !== undefined) scope.addDef(key, { kind: 'setfl', pos: call.endIndex, node: call, value: args[2] });
          break;
        }
        case 'refarg': {
          // C++ may take a local by non-const reference: a call to anything but a by-value libc function may write it.
          const call = node.parent?.parent;
          const name = call?.type === 'call_expression' ? calleeName(call) : undefined;
          const v = scope.vars.get(node.text);
          if (call && (name === undefined || !BY_VALUE_CALLS.has(name)) && v && !v.isConst) {
            scope.addDef(node.text, { kind: 'escape', pos: call.endIndex, node: call });
          }
          break;
        }
        case 'shiftin': {
          const key = accessKey(node);
          const b = node.parent;
          if (key !== undefined && b) scope.addDef(key, { kind: 'escape', pos: b.endIndex, node: b });
          break;
        }
        default: break;
      }
    }
    for (const list of scope.defs.values()) list.sort((a, b) => a.pos - b.pos);
    return scope;
  }

  /** `&x` as a call argument: posix_memalign(&p,…) allocates, memset(&s, 0, …) zeroes, anything else may write x. */
  private addressEffect(addr: Node, scope: Scope): void {
    const target = addr.childForFieldName('argument');
    const key = target ? accessKey(target) : undefined;
    if (key === undefined) return;
    let arg: Node = addr;
    let p = addr.parent;
    for (let i = 0; p && i < 8 && (p.type === 'cast_expression' || p.type === 'parenthesized_expression'); i++) { arg = p; p = p.parent; }
    if (p?.type !== 'argument_list') return;
    const call = p.parent;
    if (call?.type !== 'call_expression') return;
    const name = calleeName(call);
    const args = namedArgs(p);
    const first = args[0]?.id === arg.id;
    const pos = call.endIndex;
    if (name === 'posix_memalign' && first && args.length === 3) {
      scope.addDef(key, { kind: 'memalign', pos, node: call, align: args[1], size: args[2] });
    } else if (first && ((name === 'memset' && args.length === 3 && parseIntegerLiteral(args[1]!.text) === 0) || ((name === 'bzero' || name === 'explicit_bzero') && args.length === 2))) {
      scope.addDef(key, { kind: 'zero', pos, node: call });
    } else {
      scope.addDef(key, { kind: 'escape', pos, node: call });
    }
  }

  /** The conditional parts around a definition, computed on first need (see Cond). */
  private condOf(def: Def, root: Node): Cond | null {
    if (def.cond !== undefined) return def.cond;
    const path = [root, ...descendTo(root, def.node.startIndex, def.node.endIndex)];
    let cond: Cond | null = null;
    for (let i = 1; i < path.length; i++) {
      const p = path[i - 1]!;
      const c = path[i]!;
      const ptype = p.type;
      if (!CONDITIONAL_PARENTS.has(ptype)) continue;
      const field = fieldOf(p, c);
      const op = ptype === 'binary_expression' ? (p.childForFieldName('operator')?.type ?? null) : null;
      if (!isConditionalField(ptype, field, op)) continue;
      const entry: Cond = { start: c.startIndex, end: c.endIndex, parent: cond };
      if (ptype === 'for_statement' && field === 'update') {
        const body = p.childForFieldName('body');
        if (body) entry.loopBody = { start: body.startIndex, end: body.endIndex };
      }
      cond = entry;
    }
    def.cond = cond;
    return cond;
  }

  // ---------------------------------------------------------------- reaching definitions

  private reaching(scope: Scope, key: string, use: Node, mode: 'value' | 'odirect'): Source[] | undefined {
    const usePos = use.startIndex;
    const path = mode === 'value' && this.oDirectPath && this.oDirectPath.fn === scope.root.id && usePos >= this.oDirectPath.after ? this.oDirectPath : undefined;
    const prefixes = keyPrefixes(key);
    const cands: { def: Def; rest: string; prefix: string }[] = [];
    for (const p of prefixes) {
      const list = scope.defs.get(p);
      if (!list) continue;
      const rest = key.slice(p.length);
      for (const def of list) {
        if (def.pos > usePos) continue;
        if (mode === 'value' && def.kind === 'setfl') continue;
        if (rest && mode === 'odirect') continue;
        if (isLoopCarried(this.condOf(def, scope.root), usePos)) continue;
        if (path?.other && def.pos >= path.other.start && def.pos < path.other.end) continue;
        cands.push({ def, rest, prefix: p });
      }
    }
    if (!cands.length) return undefined;
    cands.sort((a, b) => b.def.pos - a.def.pos);
    const out: Source[] = [];
    for (const { def, rest, prefix } of cands) {
      out.push(this.sourceOf(def, rest, scope, prefix));
      const kills = mode === 'value' ? true
        : def.kind === 'assign' || def.kind === 'zero' || def.kind === 'setfl' || (def.kind === 'compound' && def.op === '&=' && !!def.value && mentionsNegatedODirect(def.value));
      if (kills && dominates(this.condOf(def, scope.root), use)) break;
      // at the top level of the arm the O_DIRECT path takes: on that path it hides every earlier value
      const cond = path && kills ? this.condOf(def, scope.root) : null;
      if (cond && path!.taken.some((r) => cond.start === r.start && cond.end === r.end)) break;
    }
    return out;
  }

  /**
   * The arm of an `if` on which the descriptor at `use` got O_DIRECT, when that is the only way it gets
   * it: `if (o->direct) { flags |= O_DIRECT; … } else { … }` before `fd = open(path, flags)`. Undefined
   * when O_DIRECT is unconditional, comes from several places, or the open is not in this function.
   */
  oDirectBranch(fd: Node, scope: Scope, use: Node): ODirectBranch | undefined {
    const fdKey = accessKey(stripCasts(fd));
    if (fdKey === undefined) return undefined;
    const opens = this.reaching(scope, fdKey, use, 'odirect');
    if (opens?.length !== 1 || opens[0]!.kind !== 'expr') return undefined;
    const open = stripCasts(opens[0]!.node);
    if (open.type !== 'call_expression') return undefined;
    const flags = openFlagsArg(calleeName(open), namedArgs(open.childForFieldName('arguments')));
    const flagsKey = flags ? accessKey(stripCasts(flags)) : undefined;
    if (!flags || flagsKey === undefined) return undefined;
    const sources = this.reaching(scope, flagsKey, open, 'odirect');
    if (!sources?.length) return undefined;
    let arm: Node | undefined;
    let ifNode: Node | undefined;
    for (const src of sources) {
      if (src.kind !== 'expr') return undefined;
      if (!this.hasODirect(src.node, src.scope, src.node, 1)) continue;
      if (src.name !== '|=' || arm) return undefined;  // O_DIRECT from an assignment, or from two places
      for (let n: Node | null = src.node, child: Node | null = null; n && n.id !== scope.root.id; child = n, n = n.parent) {
        if (n.type !== 'if_statement' || !child) continue;
        const consequence = n.childForFieldName('consequence');
        const alternative = n.childForFieldName('alternative');
        if (consequence?.id === child.id || alternative?.id === child.id) { arm = child; ifNode = n; break; }
      }
      if (!arm) return undefined;
    }
    if (!arm || !ifNode) return undefined;
    const consequence = ifNode.childForFieldName('consequence')!;
    const alternative = ifNode.childForFieldName('alternative');
    // the arm as a region: the consequence statement, or the else clause (and the statement in it)
    const region = (n: Node) => ({ start: n.startIndex, end: n.endIndex });
    const taken = [region(arm), ...(arm.type === 'else_clause' && arm.namedChild(0) ? [region(arm.namedChild(0)!)] : [])];
    const other = arm.id === consequence.id ? alternative : consequence;
    return { fn: scope.root.id, after: ifNode.endIndex, taken,
      ...(other ? { other: region(other) } : {}) };
  }

  private readonly directOptionMemo = new Map<string, DirectOption | null>();

  /**
   * The program's own option that turns O_DIRECT on for descriptors stored in struct field `fdField`,
   * when the handle keeps that option too: `data->flags = flags; if (flags & IO_FLAG_DIRECT_IO)
   * open_flags |= O_DIRECT; data->dev = open(name, open_flags);` gives `{ fields: ['flags'], mask:
   * 'IO_FLAG_DIRECT_IO' }`, so that code testing `data->flags & IO_FLAG_DIRECT_IO` knows whether the
   * descriptor is O_DIRECT (every field that keeps the option counts: `io->flags` too). Every open the
   * file stores in the field must add O_DIRECT that way.
   */
  directOptionFor(fdField: string): DirectOption | undefined {
    const memo = this.directOptionMemo.get(fdField);
    if (memo !== undefined) return memo ?? undefined;
    this.noteTextRead(0, this.text.length);
    let found: DirectOption | undefined;
    let agreed = true;
    const re = new RegExp(`(?:->|\\.)\\s*${fdField}\\s*=\\s*(open(?:at)?(?:64)?)\\s*\\(`, 'g');
    for (const m of this.text.matchAll(re)) {
      tickBudget();
      const at = m.index! + m[0].indexOf(m[1]!);
      const call = this.root.descendantForIndex(at, at + m[1]!.length)?.parent;
      if (call?.type !== 'call_expression') { agreed = false; break; }
      const option = this.directOptionOfOpen(call);
      if (!option || (found && (found.fields.join() !== option.fields.join() || found.mask !== option.mask))) { agreed = false; break; }
      found = option;
    }
    const result = agreed ? found : undefined;
    this.directOptionMemo.set(fdField, result ?? null);
    return result;
  }

  private directOptionOfOpen(call: Node): DirectOption | undefined {
    const scope = this.scopeFor(call);
    const flags = openFlagsArg(calleeName(call), namedArgs(call.childForFieldName('arguments')));
    const flagsKey = flags ? accessKey(stripCasts(flags)) : undefined;
    if (!flags || flagsKey === undefined) return undefined;
    const sources = this.reaching(scope, flagsKey, call, 'odirect');
    const adding = (sources ?? []).filter((src) => src.kind !== 'expr' || this.hasODirect(src.node, src.scope, src.node, 1));
    const only = adding.length === 1 ? adding[0]! : undefined;
    if (only?.kind !== 'expr' || only.name !== '|=') return undefined;
    // the `|=` is the consequence of an `if (option & MASK)`, directly or as the block's statement
    let n: Node | null = only.node;
    for (let i = 0; n && n.type !== 'if_statement' && i < 6; i++) n = n.parent;
    const cond = n?.type === 'if_statement' ? n.childForFieldName('condition') : undefined;
    const test = cond ? stripParens(stripCasts(namedArgs(cond).at(-1) ?? cond)) : undefined;
    if (!n || !test || test.type !== 'binary_expression' || test.childForFieldName('operator')?.text !== '&') return undefined;
    if (!(n.childForFieldName('consequence')!.startIndex <= only.node.startIndex && only.node.endIndex <= n.childForFieldName('consequence')!.endIndex)) return undefined;
    const option = test.childForFieldName('left');
    const mask = test.childForFieldName('right');
    if (option?.type !== 'identifier' || !mask || !/^[A-Za-z_]\w*$/.test(mask.text)) return undefined;
    // the handle keeps the option: `h->field = option;` in the same function, before the open
    const body = this.text.slice(scope.root.startIndex, call.startIndex);
    const kept = [...body.matchAll(new RegExp(`(?:->|\\.)\\s*([A-Za-z_]\\w*)\\s*=\\s*${option.text}\\s*;`, 'g'))];
    if (!kept.length) return undefined;
    if (new RegExp(`(?<!->|\\.|\\w)\\s*${option.text}\\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)`).test(this.text.slice(scope.root.startIndex, scope.root.endIndex))) return undefined;
    return { fields: [...new Set(kept.map((k) => k[1]!))].sort(), mask: mask.text };
  }

  /** Does a plain assignment (or an O_DIRECT-clearing `&=`) of `key` dominate `use`, hiding the value on entry? */
  private killedOnEveryPath(scope: Scope, key: string, use: Node): boolean {
    return (scope.defs.get(key) ?? []).some((def) => def.pos <= use.startIndex
      && (def.kind === 'assign' || def.kind === 'zero' || def.kind === 'setfl'
        || (def.kind === 'compound' && def.op === '&=' && !!def.value && mentionsNegatedODirect(def.value)))
      && dominates(this.condOf(def, scope.root), use));
  }

  private sourceOf(def: Def, rest: string, scope: Scope, prefix = ''): Source {
    switch (def.kind) {
      case 'assign': {
        if (!def.value) return { kind: 'unknown' };
        if (!rest) return { kind: 'expr', node: def.value, scope };
        return this.navigateInitializer(def.value, rest, scope);
      }
      case 'zero': return { kind: 'zero' };
      case 'memalign': return rest ? { kind: 'unknown' } : { kind: 'memalign', def, scope };
      case 'compound':
        // `flags |= O_DIRECT` contributes its right-hand side to O_DIRECT analysis; numbers are unknown.
        return def.op === '|=' && def.value && !rest ? { kind: 'expr', node: def.value, scope, name: '|=' } : { kind: 'unknown' };
      case 'setfl': return { kind: 'expr', node: def.node, scope, name: 'setfl' };
      case 'escape': {
        if (def.node.type !== 'call_expression') return { kind: 'unknown' };
        if (!rest) return { kind: 'unknown', escape: def.node };
        // `fill_iov(&v, buf, n)`: a helper of this file that sets the fields through the pointer
        const index = namedArgs(def.node.childForFieldName('arguments')).findIndex((a) => {
          const n = stripCasts(a);
          const target = n.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '&' ? n.childForFieldName('argument') : null;
          return !!target && accessKey(target) === prefix;
        });
        return index >= 0 ? this.fieldFromHelper(def.node, rest, scope, index) : { kind: 'unknown' };
      }
      default: return { kind: 'unknown' };
    }
  }

  /**
   * A field of a struct that a function of this file builds: returned (`c = chunk_new(at, len)` with
   * `c->vec.iov_base = c + 1; … return c;`, or a struct returned by value), or filled through the pointer
   * the call passes (`fill_iov(&v, buf, n)`, the `through` argument). The field's one reaching value in
   * the helper, at its return or at the end of its body; a parameter of the helper unchanged since the
   * call is the call's argument, judged where the call is. Unknown when the helper returns several
   * things, or the field has several values there.
   */
  private fieldFromHelper(call: Node, rest: string, callerScope: Scope | undefined, through?: number): Source {
    const unknown: Source = { kind: 'unknown' };
    const callee = call.childForFieldName('function');
    const name = callee?.type === 'identifier' ? callee.text : undefined;
    const fn = name ? this.functionDefinition(name) : undefined;
    const body = fn?.childForFieldName('body');
    if (!name || !fn || !body || this.evaluating.has('field:' + name)) return unknown;
    this.readFunction(name);
    this.noteTextRead(fn.startIndex, fn.endIndex);
    this.evaluating.add('field:' + name);
    try {
      const inner = this.scopeFor(body);
      const params = namedArgs(functionDeclarator(fn)?.childForFieldName('parameters') ?? null);
      const args = namedArgs(call.childForFieldName('arguments'));
      let key: string | undefined;
      let at: Node | null;
      if (through === undefined) {
        const returns = this.returnsOf(fn).filter((r) => {
          const bare = stripCasts(r);
          return !(bare.type === 'null' || bare.text === 'NULL' || bare.text === 'nullptr' || bare.text === '0');
        });
        if (returns.length !== 1) return unknown;
        const r = stripCasts(returns[0]!);
        if (r.type === 'compound_literal_expression' || r.type === 'initializer_list') return this.asArgument(this.navigateInitializer(r, rest, inner), inner, params, args, callerScope, r);
        const base = accessKey(r);
        key = base === undefined ? undefined : base + rest;
        at = returns[0]!;
      } else {
        const u = params[through] ? unwrapDeclarator(params[through]!.childForFieldName('declarator')) : undefined;
        if (!u?.name || u.pointerDepth !== 1) return unknown;
        key = u.name.text + rest;
        at = body.lastChild;
      }
      if (key === undefined || !at) return unknown;
      const sources = this.reaching(inner, key, at, 'value');
      if (sources?.length !== 1) return unknown;
      return this.asArgument(sources[0]!, inner, params, args, callerScope, at);
    } finally {
      this.evaluating.delete('field:' + name);
    }
  }

  /**
   * The assignments in the file whose left side is a field named `field` (`x.field = …`, `p->field |= …`):
   * found in the text with `operators` (a regex for what may stand before the `=`), each checked on the tree.
   */
  private *fieldAssignments(field: string, operators: string): Generator<{ assign: Node; left: Node }> {
    const writes = new RegExp(`\\b${field}\\s*${operators}=(?!=)`, 'g');
    for (let w = writes.exec(this.text); w; w = writes.exec(this.text)) {
      tickBudget();
      const ident = this.root.descendantForIndex(w.index, w.index + field.length);
      const left = ident?.parent;
      const assign = left?.parent;
      if (ident?.type !== 'field_identifier' || left?.type !== 'field_expression' || assign?.type !== 'assignment_expression'
        || assign.childForFieldName('left')?.id !== left.id) continue;
      yield { assign, left };
    }
  }

  /**
   * A field of a struct that a parameter points to, not written in this function (`c->vec.iov_base` in
   * `submit_write(ring, c)`, where `c` comes back from a completion queue): the value the struct's
   * constructor gives it, when the file has exactly one. The file must write that field of that struct
   * type in one place only, in a function whose one non-null return is the struct it wrote (`c =
   * malloc(…); c->vec.iov_base = c + 1; … return c;`); no initializer of the struct type and no
   * assignment of a whole enclosing member (`c->vec = …`) anywhere. The value is the constructor's own
   * (what a parameter of it holds is no value here: every call may pass another).
   */
  private constructedField(key: string, scope: Scope): { node: Node; scope: Scope } | undefined {
    const m = /^([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*){2,})$/.exec(key);
    if (!m || this.row) return undefined;
    const v = scope.vars.get(m[1]!);
    const struct = v?.isParam && v.pointerDepth === 1 ? /^(?:const\s+)?struct\s+([A-Za-z_]\w*)$/.exec(v.typeText)?.[1] : undefined;
    if (!struct) return undefined;
    const rest = m[2]!;
    const fields = rest.slice(1).split('.');
    const last = fields[fields.length - 1]!;
    // the answer reads the whole file: any edit may change it
    this.noteTextRead(0, this.text.length);
    if (new RegExp(`\\bstruct\\s+${struct}\\b[^;{}()]*=\\s*\\{|\\(\\s*struct\\s+${struct}\\s*\\)\\s*\\{`).test(this.text)) return undefined;
    for (const f of fields.slice(0, -1)) if (new RegExp(`(?:->|\\.)\\s*${f}\\s*=(?!=)`).test(this.text)) return undefined;
    let found: { assign: Node; base: string } | undefined;
    for (const { assign, left } of this.fieldAssignments(last, '(?:[-+*/|&^]|<<|>>)?')) {
      const leftKey = accessKey(left);
      if (leftKey === undefined || !leftKey.endsWith(rest)) continue;
      const base = leftKey.slice(0, leftKey.length - rest.length);
      if (!/^[A-Za-z_]\w*$/.test(base)) return undefined;  // `w[i].vec.iov_base`: not one struct
      const where = this.scopeFor(assign);
      const bv = where.vars.get(base) ?? this.globalVar(base);
      if (!bv || /^(?:const\s+)?struct\s+([A-Za-z_]\w*)$/.exec(bv.typeText)?.[1] !== struct) continue;
      if (found || assign.childForFieldName('operator')?.text !== '=') return undefined;
      found = { assign, base };
    }
    if (!found) return undefined;
    const fn = this.scopeRootOf(found.assign);
    const name = fn.type === 'function_definition' ? functionName(fn) : undefined;
    if (!name || this.functionDefinition(name)?.id !== fn.id) return undefined;
    const returns = this.returnsOf(fn).filter((r) => {
      const bare = stripCasts(r);
      return !(bare.type === 'null' || bare.text === 'NULL' || bare.text === 'nullptr' || bare.text === '0');
    });
    if (returns.length !== 1 || stripCasts(returns[0]!).text !== found.base) return undefined;
    this.readFunction(name);
    const inner = this.scopeFor(found.assign);
    const sources = this.reaching(inner, found.base + rest, returns[0]!, 'value');
    const only = sources?.length === 1 ? sources[0]! : undefined;
    if (only?.kind !== 'expr' || only.name || !only.scope) return undefined;
    const bare = stripCasts(only.node);
    if (bare.type === 'identifier' && inner.vars.get(bare.text)?.isParam) return undefined;
    return { node: only.node, scope: only.scope };
  }

  /** A helper's value that is one of its parameters, unchanged before `at`: the call's argument, in the caller's scope. */
  private asArgument(s: Source, inner: Scope, params: Node[], args: Node[], callerScope: Scope | undefined, at: Node): Source {
    if (s.kind !== 'expr' || s.name) return s.kind === 'zero' ? s : { kind: 'unknown' };
    const bare = stripCasts(s.node);
    if (bare.type !== 'identifier') return s;
    const v = inner.vars.get(bare.text);
    if (!v?.isParam) return s;
    if (inner.defs.get(bare.text)?.some((d) => d.pos <= at.startIndex)) return { kind: 'unknown' };
    const index = params.findIndex((p) => p.id === v.declNode.id);
    const arg = index >= 0 ? args[index] : undefined;
    return arg ? { kind: 'expr', node: arg, scope: callerScope } : { kind: 'unknown' };
  }

  /** Follows `.field` / `[i]` through an initializer list (designated or positional). Missing members are 0. */
  private navigateInitializer(value: Node, rest: string, scope: Scope): Source {
    let node: Node = stripCasts(value);
    if (node.type === 'call_expression') return this.fieldFromHelper(node, rest, scope);
    if (node.type === 'compound_literal_expression') node = node.childForFieldName('value') ?? node;
    const segs = rest.match(/\.[A-Za-z_]\w*|\[\d+\]/g) ?? [];
    let structName = this.structTypeOfInit(value, scope);
    for (const seg of segs) {
      if (node.type !== 'initializer_list') return { kind: 'unknown' };
      const items = namedArgs(node);
      let found: Node | undefined;
      let allDesignated = true;
      if (seg.startsWith('.')) {
        const field = seg.slice(1);
        const order = structName ? STRUCT_FIELDS[structName] : undefined;
        let positional = 0;
        for (const it of items) {
          if (it.type === 'initializer_pair') {
            const des = it.childForFieldName('designator');
            if (des?.text.replace(/\s+/g, '') === `.${field}` || des?.text === field) { found = it.childForFieldName('value') ?? undefined; break; }
          } else {
            allDesignated = false;
            if (order && order[positional] === field) { found = it; break; }
            positional++;
          }
        }
        if (!found && !allDesignated && !order) return { kind: 'unknown' };
        structName = undefined;
      } else {
        const index = Number(seg.slice(1, -1));
        let positional = 0;
        for (const it of items) {
          if (it.type === 'initializer_pair') {
            const des = it.childForFieldName('designator');
            if (des?.text.replace(/\s+/g, '') === `[${index}]`) { found = it.childForFieldName('value') ?? undefined; break; }
          } else {
            if (positional === index) { found = it; break; }
            positional++;
          }
        }
      }
      if (!found) return { kind: 'zero' };
      node = found;
    }
    return { kind: 'expr', node, scope };
  }

  private structTypeOfInit(value: Node, scope: Scope): string | undefined {
    // init_declarator → declaration type; or the assignment's target variable's type.
    let p: Node | null = value.parent;
    for (let i = 0; p && i < 4; i++, p = p.parent) {
      if (p.type === 'declaration') return structNameOf(p.childForFieldName('type')?.text ?? '');
      if (p.type === 'assignment_expression') {
        const left = p.childForFieldName('left');
        const key = left ? accessKey(left) : undefined;
        const v = key ? scope.vars.get(key.replace(/[.[].*$/, '')) : undefined;
        return v ? structNameOf(v.typeText) : undefined;
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- numbers

  /** The integer value of an expression at its position, or undefined when it cannot be derived. */
  evalNumber(node: Node, scope: Scope | undefined, depth = 0): Evaluated | undefined {
    tickBudget();
    if (depth > MAX_DEPTH) return this.cutShort(undefined);
    const n = stripParens(node);
    const text = compact(node.text);
    if (this.row) {
      const item = this.rowExpr(n, scope);
      if (item) {
        const r = this.evalNumber(item.node, item.scope, depth + 1);
        return r ? { ...r, text } : undefined;
      }
    }
    switch (n.type) {
      case 'number_literal': {
        // tree-sitter-c folds a sign into the literal in some positions: `-(-4096)`.
        const t = n.text;
        const v = t.startsWith('-') ? evalUnary('-', parseIntegerLiteral(t.slice(1)) ?? NaN) : parseIntegerLiteral(t.replace(/^\+/, ''));
        if (v !== undefined && Number.isNaN(v)) return undefined;
        return v === undefined ? undefined : { value: v, text, range: nodeRange(n) };
      }
      case 'char_literal': return undefined;
      // stdbool's and C++'s: a flag a struct field holds (`ns->direct = true`) decides a `?:`
      case 'true': return { value: 1, text, range: nodeRange(n) };
      case 'false': return { value: 0, text, range: nodeRange(n) };
      case 'cast_expression': {
        const v = n.childForFieldName('value');
        const r = v ? this.evalNumber(v, scope, depth + 1) : undefined;
        return r ? { ...r, text } : undefined;
      }
      case 'unary_expression': {
        const op = n.childForFieldName('operator')?.text ?? '';
        const arg = n.childForFieldName('argument');
        const r = arg ? this.evalNumber(arg, scope, depth + 1) : undefined;
        if (!r) return undefined;
        const v = op === '!' ? (r.value === 0 ? 1 : 0) : evalUnary(op, r.value);
        return v === undefined ? undefined : { value: v, text };
      }
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.text ?? '';
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (!l || !r) return undefined;
        const a = this.evalNumber(l, scope, depth + 1);
        if (!a) return undefined;
        const b = this.evalNumber(r, scope, depth + 1);
        if (!b) return undefined;
        const v = C_COMPARISONS[op]?.(a.value, b.value) ?? evalBinary(op, a.value, b.value);
        return v === undefined ? undefined : { value: v, text };
      }
      case 'conditional_expression': {
        const c = n.childForFieldName('consequence');
        const alt = n.childForFieldName('alternative');
        // a known condition picks its arm (`skip < START_POS ? START_POS : skip` with a known skip)
        const cond = n.childForFieldName('condition');
        const known = cond ? this.evalNumber(cond, scope, depth + 1) : undefined;
        const arm = known ? (known.value !== 0 ? c : alt) : undefined;
        if (arm) {
          const r = this.evalNumber(arm, scope, depth + 1);
          return r ? { value: r.value, text } : undefined;
        }
        const a = c ? this.evalNumber(c, scope, depth + 1) : undefined;
        const b = alt ? this.evalNumber(alt, scope, depth + 1) : undefined;
        return a && b && a.value === b.value ? { value: a.value, text } : undefined;
      }
      case 'sizeof_expression': {
        const v = this.sizeOf(n, scope, depth + 1);
        return v === undefined ? undefined : { value: v, text };
      }
      case 'call_expression': {
        const inner = stripCasts(n);
        if (inner !== n) return this.evalNumber(inner, scope, depth + 1);
        const fixed = this.fixedArraySize(n, scope, depth + 1);
        if (fixed) return { value: fixed.value, text };
        const r = this.expandFunctionMacro(n, scope, depth + 1) ?? this.accessorValue(n, depth + 1) ?? this.returnedNumber(n, scope, depth + 1);
        return r ? { value: r.value, text } : undefined;
      }
      case 'identifier': case 'field_expression': case 'subscript_expression': case 'qualified_identifier': {
        const key = accessKey(n);
        if (key === undefined) return undefined;
        const r = this.evalKey(key, n, scope, depth + 1);
        return r ? { ...r, text } : undefined;
      }
      default: return undefined;
    }
  }

  /**
   * `disk->block_size` where `disk` is a parameter pointing to a struct that this function does not
   * write: the value the file's one write of that field gives it (`disk->block_size = block_size ?
   * block_size : DEFAULT_BLOCK_SIZE;` in the function that builds the struct). The writer's parameters
   * are those of its one call in the file (`create_disk(path, 0)`); with more calls, a value that reads
   * them is unknown. Any other write of the field, or an initializer of the struct type, leaves it unknown.
   */
  private fieldFromConstructor(key: string, scope: Scope, depth: number): Evaluated | undefined {
    const [base, field] = key.split('.') as [string, string];
    const v = scope.vars.get(base);
    const struct = v && v.pointerDepth === 1 ? this.structIdentity(v.typeText) : undefined;
    if (!struct || this.row || this.evaluating.has(`built:${struct}.${field}`)) return undefined;
    // the answer reads the whole file: any edit may change it
    this.noteTextRead(0, this.text.length);
    const memoKey = `${struct}.${field}`;
    const outermost = this.numberFrames.length === 0;
    if (outermost && this.builtFieldMemo.has(memoKey)) return this.builtFieldMemo.get(memoKey) ?? undefined;
    const r = this.fieldFromConstructorUncached(struct, field, scope, depth);
    if (outermost) this.builtFieldMemo.set(memoKey, r ?? null);
    return r;
  }

  private readonly builtFieldMemo = new Map<string, Evaluated | null>();

  private fieldFromConstructorUncached(struct: string, field: string, scope: Scope, depth: number): Evaluated | undefined {
    const names = [...this.structSpecs()].filter(([, d]) => d && `${d.spec.startIndex}` === struct).map(([n]) => n);
    for (const name of names.length ? names : [struct]) {
      if (new RegExp(`\\b${name}\\b[^;{}()]*=\\s*\\{|\\(\\s*(?:struct\\s+)?${name}\\s*\\)\\s*\\{`).test(this.text)) return undefined;
    }
    const writes = [...this.text.matchAll(new RegExp(`(?:->|\\.)\\s*${field}\\s*(?:(?:[-+*/%&|^]|<<|>>)?=(?!=)|\\+\\+|--)`, 'g'))];
    const assigns = [...this.fieldAssignments(field, '(?:[-+*/%&|^]|<<|>>)?')];
    if (writes.length !== 1 || assigns.length !== 1 || assigns[0]!.assign.childForFieldName('operator')?.text !== '=') return undefined;
    const { assign, left } = assigns[0]!;
    const owner = stripParens(left.childForFieldName('argument') ?? left);
    const where = this.scopeFor(assign);
    const ov = owner.type === 'identifier' ? where.vars.get(owner.text) ?? this.globalVar(owner.text) : undefined;
    const right = assign.childForFieldName('right');
    // written through a pointer (`disk->block_size = …`) or in the struct itself (`env.psize = …` before `copy(&env)`)
    if (!ov || !right || ov.pointerDepth > 1 || this.structIdentity(ov.typeText) !== struct || where.root.id === scope.root.id) return undefined;
    const fn = where.root;
    const name = fn.type === 'function_definition' ? functionName(fn) : undefined;
    if (!name || this.functionDefinition(name)?.id !== fn.id) return undefined;
    this.readFunction(name);
    // the writer's parameters, from its one call (a value that reads them is otherwise unknown)
    const calls = this.callsTo(name);
    const values = this.argumentsOf(fn, calls.length === 1 ? calls[0] : undefined, depth);
    this.evaluating.add(`built:${struct}.${field}`);
    this.numberFrames.push({ fn: fn.id, values });
    try {
      return this.evalNumber(right, where, depth + 1);
    } finally {
      this.numberFrames.pop();
      this.evaluating.delete(`built:${struct}.${field}`);
    }
  }

  /** The parameters of the functions whose return values are being read for one call's arguments (innermost last). */
  private numberFrames: { fn: number; values: Map<string, Evaluated | undefined> }[] = [];

  /**
   * A function of this file called with arguments (`sb_offset(1)`): what it returns for them, read from
   * the statements of its body in order. An `if` whose condition the arguments decide takes its branch;
   * the first `return` reached gives the value. A parameter the body assigns, a condition nobody can
   * decide, or a loop, switch or goto before the return leave the value unknown. Three calls deep at most.
   */
  private returnedNumber(call: Node, scope: Scope | undefined, depth: number): Evaluated | undefined {
    const fnNode = call.childForFieldName('function');
    if (fnNode?.type !== 'identifier' || this.numberFrames.length >= 3) return undefined;
    const def = this.functionDefinition(fnNode.text);
    const body = def?.childForFieldName('body');
    if (!def || !body || (this.opts.cpp && isMemberFunction(def)) || this.numberFrames.some((f) => f.fn === def.id)) return undefined;
    const params = namedArgs(functionDeclarator(def)?.childForFieldName('parameters') ?? null).filter((p) => p.type === 'parameter_declaration');
    const args = namedArgs(call.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
    if (!params.length || params.length !== args.length) return undefined;
    const values = this.argumentsOf(def, call, depth, scope);
    if (values.size !== params.length) return undefined;   // a parameter without a name
    this.readFunction(fnNode.text);
    this.numberFrames.push({ fn: def.id, values });
    try {
      const r = this.returnOfBlock(body, depth + 1);
      return r === 'falls through' ? undefined : r;
    } finally {
      this.numberFrames.pop();
    }
  }

  /** The value the first reached `return` of a statement gives, 'falls through' when it reaches none. */
  private returnOfBlock(statement: Node, depth: number): Evaluated | undefined | 'falls through' {
    tickBudget();
    if (depth > MAX_DEPTH) return this.cutShort(undefined);
    switch (statement.type) {
      case 'compound_statement': {
        for (const s of statement.namedChildren) {
          const r = this.returnOfBlock(s, depth + 1);
          if (r !== 'falls through') return r;
        }
        return 'falls through';
      }
      case 'return_statement': {
        const e = statement.namedChild(0);
        return e && e.type !== 'comment' ? this.evalNumber(e, this.scopeFor(e), depth + 1) : undefined;
      }
      case 'if_statement': {
        const cond = statement.childForFieldName('condition');
        const inner = cond ? namedArgs(cond).filter((c) => c.type !== 'comment').at(-1) : undefined;
        const decided = inner ? this.evalNumber(inner, this.scopeFor(inner), depth + 1) : undefined;
        if (!decided) return undefined;
        const alternative = statement.childForFieldName('alternative');
        const taken = decided.value !== 0 ? statement.childForFieldName('consequence')
          : alternative?.type === 'else_clause' ? alternative.namedChildren.find((c) => c.type !== 'comment') ?? null : alternative;
        return taken ? this.returnOfBlock(taken, depth + 1) : 'falls through';
      }
      case 'declaration': case 'expression_statement': case 'comment': return 'falls through';
      default: return undefined;
    }
  }

  /**
   * A C++ accessor of this file called without arguments (`headerLen()`, `disk.skip()`, `this->size()`):
   * a member function with no parameters whose body is one `return expr;` has the value of that
   * expression, read as the member function reads it (a member's value is its one initialization).
   */
  private accessorValue(call: Node, depth: number): Evaluated | undefined {
    if (!this.opts.cpp || namedArgs(call.childForFieldName('arguments')).length) return undefined;
    const fn = call.childForFieldName('function');
    const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'field_expression' ? fn.childForFieldName('field')?.text : undefined;
    const def = name ? this.functionDefinition(name) : undefined;
    if (!def || !isMemberFunction(def)) return undefined;
    const params = namedArgs(functionDeclarator(def)?.childForFieldName('parameters') ?? null).filter((p) => p.type !== 'comment');
    const body = def.childForFieldName('body');
    const only = body?.type === 'compound_statement' && body.namedChildCount === 1 ? body.namedChild(0) : null;
    const value = only?.type === 'return_statement' ? only.namedChild(0) : null;
    if (params.length || !value || this.evaluating.has('accessor:' + name)) return undefined;
    this.readFunction(name!);
    this.evaluating.add('accessor:' + name);
    try {
      return this.evalNumber(value, this.scopeFor(body!), depth + 1);
    } finally {
      this.evaluating.delete('accessor:' + name);
    }
  }

  /**
   * The value of an expression in units of the runtime page size, when it is one: `getpagesize()` is 1,
   * `pg / 2` is 0.5, `3 * pg + pg / 4` is 3.25. Only sums, multiples and power-of-two fractions of it:
   * the page size is a power of two of at least 4096 on every Linux system, so a fraction whose
   * denominator is at most 4096 is exact there (integer division loses nothing) and holds on any machine.
   */
  pageRatio(node: Node, scope: Scope | undefined, depth = 0): number | undefined {
    tickBudget();
    if (depth > MAX_DEPTH) return undefined;
    const n = stripCasts(node);
    if (isPageSizeExpr(n, this)) return 1;
    if (n.type === 'identifier') return this.followAlias(n, scope, (inner, innerScope) => this.pageRatio(inner, innerScope, depth + 1));
    if (n.type !== 'binary_expression') return undefined;
    const op = n.childForFieldName('operator')?.text ?? '';
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (!l || !r || !/^(?:[-+*/]|<<|>>)$/.test(op)) return undefined;
    const a = this.pageRatio(l, scope, depth + 1);
    const b = op === '+' || op === '-' || (op === '*' && a === undefined) ? this.pageRatio(r, scope, depth + 1) : undefined;
    if (op === '+' || op === '-') return a !== undefined && b !== undefined ? exactPageRatio(op === '+' ? a + b : a - b) : undefined;
    // a multiple: one side is the page size, the other a plain number
    if (op === '*') {
      if ((a === undefined) === (b === undefined)) return undefined;
      const k = this.evalNumber(a === undefined ? l : r, scope, depth + 1);
      return k ? exactPageRatio((a ?? b!) * k.value) : undefined;
    }
    const k = a !== undefined && a > 0 ? this.evalNumber(r, scope, depth + 1)?.value : undefined;
    if (k === undefined) return undefined;
    if (op === '/') return k > 0 && Number.isInteger(Math.log2(k)) ? exactPageRatio(a! / k) : undefined;
    if (k < 0 || k > 30) return undefined;
    return exactPageRatio(op === '<<' ? a! * 2 ** k : a! / 2 ** k);
  }

  /**
   * `a.size()` on a `std::array<T, N>` variable is N: the size is part of the type, whatever the code
   * does to the elements. Any other `.size()` (a vector, a string) is unknown here.
   */
  private fixedArraySize(call: Node, scope: Scope | undefined, depth: number): Evaluated | undefined {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'field_expression' || fn.childForFieldName('field')?.text !== 'size') return undefined;
    if (namedArgs(call.childForFieldName('arguments')).length) return undefined;
    const obj = fn.childForFieldName('argument');
    const key = obj && obj.type === 'identifier' ? obj.text : undefined;
    const v = key ? this.varInfo(key, scope) : undefined;
    if (!v || v.pointerDepth || v.arrayDims.length) return undefined;
    const m = /^(?:std::)?array\s*<([\s\S]*)>$/.exec(v.typeText.replace(/\b(?:const|volatile|static|constexpr)\b/g, '').trim());
    if (!m) return undefined;
    const comma = m[1]!.lastIndexOf(',');
    if (comma < 0 || /[<>]/.test(m[1]!.slice(comma + 1))) return undefined;
    return this.evalSnippet(m[1]!.slice(comma + 1).trim(), depth);
  }

  /** The value of an access path (`r.src_length`, `iov[0].iov_len`) at `use`. */
  valueOfKey(key: string, use: Node, scope: Scope | undefined): Evaluated | undefined {
    return this.evalKey(key, use, scope, 0);
  }

  /** Where the buffer stored at an access path (`iov[0].iov_base`) came from, at `use`. */
  originOfKey(key: string, use: Node, scope: Scope): BufferOrigin {
    const unknown: BufferOrigin = { state: 'unknown', origin: key };
    const sources = this.reaching(scope, key, use, 'value');
    if (!sources) {
      const built = this.constructedField(key, scope);
      return built ? this.originOf(built.node, built.scope, 1) : unknown;
    }
    if (sources.length === 1 && sources[0]!.kind === 'expr' && !sources[0]!.name) return this.originOf(sources[0]!.node, sources[0]!.scope, 1);
    return this.combineOrigins(sources, 1, unknown);
  }

  /**
   * Follows a name to the one expression it stands for (a local's single reaching definition, a stable
   * global's initializer, a macro body) and hands that to `fn`. Macro bodies live in a temporary tree,
   * so `fn` must not keep the node.
   */
  followAlias<T>(n: Node, scope: Scope | undefined, fn: (inner: Node, innerScope: Scope | undefined) => T | undefined): T | undefined {
    const key = accessKey(n);
    if (key === undefined) return undefined;
    if (scope) {
      const sources = this.reaching(scope, key, n, 'value');
      if (sources) {
        const s = sources[0]!;
        return sources.length === 1 && s.kind === 'expr' && !s.name ? fn(s.node, s.scope) : undefined;
      }
      if (scope.vars.has(key.replace(/[.[].*$/, ''))) return undefined;
    }
    if (!/^[A-Za-z_]\w*$/.test(key)) return undefined;
    this.buildFile();
    const init = this.stableInit(key);
    if (init) return fn(init, undefined);
    const defs = this.macros.get(key);
    const body = defs?.length === 1 ? this.macroBody(defs[0]!)?.text : defs ? undefined : this.headerMacro(key)?.body;
    if (body && !this.evaluating.has('alias:' + key)) {
      this.evaluating.add('alias:' + key);
      try { return this.withSnippet(body, (v) => fn(v, undefined)); } finally { this.evaluating.delete('alias:' + key); }
    }
    if (body) return this.cutShort(undefined);
    return undefined;
  }

  /**
   * A macro from the included headers, when the file itself gives the name no meaning (no macro,
   * variable, enumerator or function of its own): the file's own definitions always win.
   */
  headerMacro(name: string): HeaderMacro | undefined {
    const headers = this.opts.headers;
    if (!headers) return undefined;
    this.buildFile();
    if (this.macros.has(name) || this.functionMacros.has(name) || this.enumerators.has(name) || this.globals.has(name)) return undefined;
    return headers.macro(name);
  }

  /** The declared variable behind a name in this scope or at file scope. */
  lookupVar(name: string, scope: Scope | undefined): VarInfo | undefined { return this.varInfo(name, scope); }

  private evalKey(key: string, use: Node, scope: Scope | undefined, depth: number): Evaluated | undefined {
    const frame = this.numberFrames[this.numberFrames.length - 1];
    if (frame && scope?.root.id === frame.fn && frame.values.has(key)) return frame.values.get(key);
    if (scope) {
      const sources = this.reaching(scope, key, use, 'value');
      if (sources) return this.combineNumbers(sources, key, depth);
      const base = key.replace(/[.[].*$/, '');
      // a parameter (the construction's argument while a member's initializer is read), or a local read
      // before any assignment: a field of a C++ struct declared without initializer has its default
      if (scope.vars.has(base)) {
        return this.boundParamValue(key, base, scope, depth) ?? this.defaultMemberValue(key, base, scope, depth)
          ?? (scope.vars.get(base)!.isParam && /^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(key) ? this.fieldFromConstructor(key, scope, depth + 1) : undefined);
      }
    }
    const field = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(key);
    if (field) {
      const g = this.globalVar(field[1]!);
      const once = g ? this.fieldSetOnceInMain(g, field[2]!) : undefined;
      if (once) return this.valueWrittenOnce(key, once, scope, depth);
      const item = g ? this.initializedField(g, field[2]!) : undefined;
      return item ? this.evalNumber(item, undefined, depth + 1) : undefined;
    }
    if (!/^[A-Za-z_]\w*$/.test(key)) return undefined;
    const c = this.constValue(key, depth);
    // a constant needs no look for main: finding main queries the whole tree, once per extraction
    if (c) return c;
    const main = this.mainFunction();
    if (main && scope?.root.id === main.id) return c;
    const g = this.globalVar(key);
    const fromMain = g ? this.setOnceInMain(g) : undefined;
    return fromMain ? this.valueWrittenOnce(key, fromMain, scope, depth) : undefined;
  }

  /** What a global's one write gives `key`, read in `scope` (not the writer's own function). */
  private valueWrittenOnce(key: string, once: WrittenOnce, scope: Scope | undefined, depth: number): Evaluated | undefined {
    if (scope?.root.id === once.fn.id) return undefined;
    return this.inWriter(once, scope, () => this.evalKey(key, once.end, once.scope, depth + 1));
  }

  /**
   * `read` run in the function that made a global's one write, for a reader in `scope`: with the
   * writer's parameters as main's call passes them, and only when the reader runs after that call
   * (undefined otherwise).
   */
  private inWriter<T>(once: WrittenOnce, scope: Scope | undefined, read: () => T): T | undefined {
    if (!once.values) return read();
    if ((once.after !== undefined && !this.runsAfter(scope, once.after)) || this.numberFrames.length >= 3) return undefined;
    this.numberFrames.push({ fn: once.fn.id, values: once.values });
    try {
      return read();
    } finally {
      this.numberFrames.pop();
    }
  }

  /** While a member's initializer is read for a construction (see memberInitFromConstructions): the constructor's parameters and that construction's arguments. */
  private readonly ctorBindings = new Map<number, { params: Node[]; args: Node[] }>();

  /**
   * A member initialized from the constructor's parameters (`skip_(ROUND(skip < MIN ? MIN : skip))`,
   * `hardbs_(ro.sector_size)`): the value every construction of the class in this file gives it, each
   * parameter read as that construction's argument, when all agree. The class must have that one
   * constructor, and every construction found must fit it (a copy or another constructor could give
   * anything); otherwise unknown.
   */
  private memberInitFromConstructions(init: Node, name: string, depth: number): Evaluated | undefined {
    if (!this.opts.cpp || init.parent?.parent?.type !== 'field_initializer') return undefined;
    const ctor = init.parent.parent.parent?.parent;
    if (ctor?.type !== 'function_definition') return undefined;
    const ctors = this.constructorDefinitions();
    const cls = ctors.find((c) => c.fn.id === ctor.id)?.cls;
    const member = init.parent.parent.namedChild(0);
    if (!cls || member?.type !== 'field_identifier') return undefined;
    // another constructor may only be a copy or move that takes the member from the object it copies
    if (ctors.some((c) => c.cls === cls && c.fn.id !== ctor.id && !copiesMember(c.fn, cls, member.text))) return undefined;
    const params = namedArgs(functionDeclarator(ctor)?.childForFieldName('parameters') ?? null)
      .filter((p) => p.type === 'parameter_declaration' || p.type === 'optional_parameter_declaration');
    const required = params.filter((p) => p.type === 'parameter_declaration').length;
    const all = this.constructions(cls);
    if (!all.length || all.length >= MAX_CONSTRUCTIONS || all.some((args) => args.length < required || args.length > params.length)) return undefined;
    // which constructions there are depends on the whole file (for the editor's reuse)
    this.noteTextRead(0, this.text.length);
    const scope = this.scopeFor(init);
    let value: Evaluated | undefined;
    for (const args of all.slice(0, 8)) {
      this.ctorBindings.set(ctor.id, { params, args });
      let r: Evaluated | undefined;
      try {
        r = this.evalNumber(init, scope, depth + 1);
      } finally {
        this.ctorBindings.delete(ctor.id);
      }
      if (!r || (value && value.value !== r.value)) return undefined;
      value = r;
    }
    return all.length > 8 || !value ? undefined : { value: value.value, text: name };
  }

  /** A constructor's parameter while a member's initializer is read for one construction: that construction's argument (`ro.sector_size` → the caller's `ro.sector_size`). */
  private boundParamValue(key: string, base: string, scope: Scope, depth: number): Evaluated | undefined {
    const binding = this.ctorBindings.get(scope.root.id);
    const v = binding ? scope.vars.get(base) : undefined;
    if (!binding || !v?.isParam) return undefined;
    const index = binding.params.findIndex((p) => p.id === v.declNode.id);
    const arg = index >= 0 ? binding.args[index] : undefined;
    if (!arg) return undefined;
    const argScope = this.scopeFor(arg);
    const rest = key.slice(base.length);
    // a bare name of a vexing-parse declaration (`C obj(ro, fd);`) is a type_identifier
    const argKey = arg.type === 'type_identifier' ? arg.text : accessKey(stripCasts(arg));
    if (!rest && argKey === undefined) return this.evalNumber(arg, argScope, depth + 1);
    return argKey === undefined ? undefined : this.evalKey(argKey + rest, arg, argScope, depth + 1);
  }

  /**
   * `o.sector_size` where `o` is a local of a C++ struct of this file declared without an initializer
   * (`Rescue_options o;`) and neither it nor that field is written before the use: the field's default
   * member initializer (`int sector_size = 512;`). Not for a struct with a constructor of its own.
   */
  private defaultMemberValue(key: string, base: string, scope: Scope, depth: number): Evaluated | undefined {
    const field = /^[A-Za-z_]\w*\.([A-Za-z_]\w*)$/.exec(key)?.[1];
    const v = field && this.opts.cpp ? scope.vars.get(base) : undefined;
    if (!v || v.isParam || v.pointerDepth || v.arrayDims.length || v.declarator.type === 'init_declarator') return undefined;
    const type = v.declNode.childForFieldName('type');
    const name = type?.type === 'type_identifier' ? type.text
      : type?.type === 'struct_specifier' && !type.childForFieldName('body') ? type.childForFieldName('name')?.text : undefined;
    const struct = name ? this.structNamed(name) : undefined;
    const init = struct && !struct.constructed ? struct.defaults[struct.names.indexOf(field!)] : undefined;
    return init ? this.evalNumber(init, undefined, depth + 1) : undefined;
  }

  /** The file's `main`, when it defines one. */
  private mainFunction(): Node | undefined { return this.functionDefinition('main'); }

  /**
   * A global written once, in main, before anything else could read it (`page_size = getpagesize()`,
   * `buf = malloc(n)`, `posix_memalign(&buf, …)` at the top level of main's body): the functions main
   * calls see that value. The same holds for a setup function that runs first: called once, by main,
   * before main calls any other function of the file, or LTP's `.setup` (which runs before the tests).
   * Where main is and the single write are checked; the value is what reaches the end of the body of
   * the function that writes it. The address of the global in a row of a table of cases whose field is
   * only ever read through (`*tc->buf`) is not a write.
   */
  private setOnceInMain(g: VarInfo): WrittenOnce | undefined {
    if (g.isConst || g.isParam) return undefined;
    // whether the global is written once, and where, depends on the whole file (for the editor's reuse)
    this.noteTextRead(0, this.text.length);
    if (this.mainOnceMemo.has(g.name)) return this.mainOnceMemo.get(g.name) ?? undefined;
    let result: WrittenOnce | undefined;
    if (!(g.init && this.evalNumber(g.init, undefined)?.value !== 0)) {
      const re = writesOf(g.name, 'g');
      const writes = [...this.text.matchAll(re)].map((m) => m.index!).filter((at) => !this.addressReadThroughTable(at, g.name));
      result = writes.length === 1 ? this.writtenFirst(writes[0]!) ?? this.writtenByHelperOfMain(writes[0]!) : undefined;
    }
    this.mainOnceMemo.set(g.name, result ?? null);
    return result;
  }

  /**
   * The function whose top-level statement at `at` writes a value before the rest of the program runs
   * (main, or a setup function that runs first), with the end of its body, where the value is read.
   */
  private writtenFirst(at: number): { end: Node; scope: Scope; fn: Node } | undefined {
    const node = this.root.descendantForIndex(at, at + 1);
    const fn = node ? this.scopeRootOf(node) : undefined;
    const body = fn?.type === 'function_definition' ? fn.childForFieldName('body') : undefined;
    // the closing brace: what reaches the end of the body, the last statement's effect included
    const end = body?.lastChild;
    if (!fn || !body || !end || !(fn.id === this.mainFunction()?.id || this.runsFirst(fn))) return undefined;
    // the one write is a statement of the body itself, not inside a branch or loop of it
    const statement = body.namedChildren.find((c) => c.startIndex <= at && at < c.endIndex);
    const direct = statement && (statement.type === 'expression_statement' || statement.type === 'if_statement')
      && (statement.type !== 'if_statement' || statement.childForFieldName('condition')?.startIndex! <= at && at < statement.childForFieldName('condition')!.endIndex);
    if (!direct) return undefined;
    // a setup function main calls first: its parameters are that call's arguments
    const calls = fn.id === this.mainFunction()?.id ? [] : this.callsTo(functionName(fn) ?? '');
    return { end, scope: this.scopeFor(end), fn, ...(calls.length === 1 ? { values: this.argumentsOf(fn, calls[0]!) } : {}) };
  }

  /**
   * A write at `at`, a statement of the body of a function that main calls once, as one of its own
   * statements (`if (alloc_buffer(131072, seed) < 0) return 1;`): the value is that function's, its
   * parameters read as that call's arguments, for the functions main calls after it (see runsAfter).
   */
  private writtenByHelperOfMain(at: number): WrittenOnce | undefined {
    const node = this.root.descendantForIndex(at, at + 1);
    const fn = node ? this.scopeRootOf(node) : undefined;
    const name = fn?.type === 'function_definition' ? functionName(fn) : undefined;
    const main = this.mainFunction();
    const mainBody = main?.childForFieldName('body');
    const body = fn?.childForFieldName('body');
    const end = body?.lastChild;
    if (!fn || !name || !main || !mainBody || !body || !end || fn.id === main.id || this.functionDefinition(name)?.id !== fn.id) return undefined;
    if (!isOwnStatement(body, at)) return undefined;
    const calls = this.callsTo(name);
    const call = calls.length === 1 ? calls[0]! : undefined;
    if (!call || this.scopeRootOf(call).id !== main.id || !isOwnStatement(mainBody, call.startIndex)) return undefined;
    return { end, scope: this.scopeFor(end), fn, after: call.endIndex, values: this.argumentsOf(fn, call) };
  }

  /**
   * An expression the function cannot evaluate that reads its parameters, directly or through its
   * locals (`read_end - read_offset`, both computed from `rblock_id` and `n_rblocks`): a reference
   * that each call evaluates with its arguments bound (expressionAtCall). Only in a function of the
   * file with a few calls, since each call reads the expression again.
   */
  expressionRefAt(node: Node, scope: Scope | undefined): ParamRef | undefined {
    const owner = this.expressionOwner(scope);
    if (!owner || !this.readsParameters(node, scope!, owner.params, 0)) return undefined;
    const { root, fn } = owner;
    const n = stripParens(stripCasts(node));
    // A condition of the function that reads the value (`if (is_aligned(location, size, buf))`, `while
    // (size > 0)`) may keep some of the callers' values from the call: they are not the call's values.
    const names = identifierNames(n);
    const body = root.childForFieldName('body');
    if (body && conditionsBefore(body, n.endIndex).some((c) => [...identifierNames(c)].some((id) => names.has(id)))) return undefined;
    return expressionRef(fn, root, n);
  }

  /**
   * The function `scope` is the body of, when its expressions can be `part: 'expression'` references:
   * a function of the file with parameters and at least one but at most MAX_EXPRESSION_CALLS calls,
   * since each call evaluates them again.
   */
  private expressionOwner(scope: Scope | undefined): { root: Node; fn: string; params: string[] } | undefined {
    const root = scope?.root;
    if (root?.type !== 'function_definition' || this.row) return undefined;
    const fn = functionName(root);
    if (!fn || this.functionDefinition(fn)?.id !== root.id) return undefined;
    const params = [...scope!.vars.values()].filter((v) => v.isParam).map((v) => v.name);
    const calls = params.length ? this.callsTo(fn).length : 0;
    return calls === 0 || calls > MAX_EXPRESSION_CALLS ? undefined : { root, fn, params };
  }

  /**
   * The conditions of the `if` statements and `?:` around `node` in its function that read the
   * function's parameters, with the side `node` is on: each call decides whether it reaches `node`.
   */
  guardsAround(node: Node, scope: Scope | undefined): { condition: ParamRef; holds: boolean }[] {
    const owner = this.expressionOwner(scope);
    if (!owner) return [];
    const { root, fn, params } = owner;
    const out: { condition: ParamRef; holds: boolean }[] = [];
    for (let child: Node = node, p = node.parent; p && p.id !== root.id && out.length < 8; child = p, p = p.parent) {
      if (p.type !== 'if_statement' && p.type !== 'conditional_expression') continue;
      const cond = p.childForFieldName('condition');
      const inner = cond ? stripParens(p.type === 'if_statement' ? (namedArgs(cond).filter((c) => c.type !== 'comment').at(-1) ?? cond) : cond) : undefined;
      const onConsequence = p.childForFieldName('consequence')?.id === child.id;
      const alternative = p.childForFieldName('alternative');
      const onAlternative = alternative?.id === child.id || (alternative?.type === 'else_clause' && alternative.namedChildren.some((c) => c.id === child.id));
      if (!inner || (!onConsequence && !onAlternative) || !this.readsParameters(inner, scope!, params, 0)) continue;
      out.push({ condition: expressionRef(fn, root, inner), holds: onConsequence });
    }
    return out;
  }

  /** Does the expression read one of the parameters, itself or through the definitions of the locals it reads? */
  private readsParameters(node: Node, scope: Scope, params: string[], depth: number): boolean {
    if (depth > 3) return false;
    for (const name of identifierNames(node)) {
      if (params.includes(name)) return true;
      const v = scope.vars.get(name);
      if (!v || v.isParam) continue;
      for (const d of scope.defs.get(name) ?? []) {
        if (d.value && this.readsParameters(d.value, scope, params, depth + 1)) return true;
      }
      if (v.init && this.readsParameters(v.init, scope, params, depth + 1)) return true;
    }
    return false;
  }

  /** The value of a `part: 'expression'` reference at one call of its function, with the call's arguments bound. */
  expressionAtCall(ref: ParamRef, call: Node): Evaluated | undefined {
    const def = this.functionDefinition(ref.fn);
    if (!def || ref.at === undefined || ref.length === undefined || this.numberFrames.length >= 3) return undefined;
    const start = def.startIndex + ref.at;
    let node: Node | null = this.root.descendantForIndex(start, start + ref.length);
    while (node && node.parent && node.startIndex === node.parent.startIndex && node.endIndex === node.parent.endIndex) node = node.parent;
    for (let i = 0; node && i < 8 && (node.startIndex !== start || node.endIndex !== start + ref.length); i++) node = node.parent;
    if (!node || node.startIndex !== start || node.endIndex !== start + ref.length) return undefined;
    const values = this.argumentsOf(def, call);
    if (![...values.values()].some(Boolean)) return undefined;
    this.readFunction(ref.fn);
    this.numberFrames.push({ fn: def.id, values });
    try {
      return this.evalNumber(node, this.scopeFor(node));
    } finally {
      this.numberFrames.pop();
    }
  }

  /**
   * A function's parameters as one call of it passes them, for reading its body with them bound: a
   * parameter the call does not make known, or that the body assigns, is undefined (so is every one
   * without a call).
   */
  private argumentsOf(fn: Node, call: Node | undefined, depth = 0, scope: Scope | undefined = call ? this.scopeFor(call) : undefined): Map<string, Evaluated | undefined> {
    const params = namedArgs(functionDeclarator(fn)?.childForFieldName('parameters') ?? null).filter((p) => p.type === 'parameter_declaration');
    const args = call ? namedArgs(call.childForFieldName('arguments')).filter((a) => a.type !== 'comment') : [];
    const body = fn.childForFieldName('body');
    const inner = body ? this.scopeFor(body) : undefined;
    const values = new Map<string, Evaluated | undefined>();
    for (const [i, p] of params.entries()) {
      const pname = unwrapDeclarator(p.childForFieldName('declarator')).name?.text;
      if (!pname) continue;
      // assigned, updated or taken by address in the body (its definitions; `d->block_size = …` is none)
      const written = (inner?.defs.get(pname) ?? []).some((d) => d.kind !== 'setfl');
      const bound = call && args.length === params.length && !written;
      values.set(pname, bound ? this.evalNumber(args[i]!, scope, depth + 1) : undefined);
    }
    return values;
  }

  /**
   * Does the function `scope` is in run only after main's statement that ends at `after`: every call
   * of it is in main, after that statement?
   */
  private runsAfter(scope: Scope | undefined, after: number): boolean {
    const main = this.mainFunction();
    const name = scope?.root.type === 'function_definition' ? functionName(scope.root) : undefined;
    if (!main || !name) return false;
    const calls = this.callsTo(name);
    return calls.length > 0 && calls.every((c) => c.startIndex >= after && this.scopeRootOf(c).id === main.id);
  }

  /**
   * A field of a global struct, or of what a global pointer points to, written once, by main or a setup
   * function that runs first (LTP's `clone_range->src_length = …` in setup()), where the pointer, if it
   * is assigned at all, is assigned too: the functions that run later see that value.
   */
  private fieldSetOnceInMain(g: VarInfo, field: string): { end: Node; scope: Scope; fn: Node } | undefined {
    if (g.isConst || g.isParam) return undefined;
    this.noteTextRead(0, this.text.length);
    const memoKey = `${g.name}.${field}`;
    if (this.mainOnceMemo.has(memoKey)) return this.mainOnceMemo.get(memoKey) ?? undefined;
    const fieldRe = new RegExp(`\\b${g.name}\\s*(?:->|\\.)\\s*${field}\\b\\s*(?:(?:[-+*/%&|^]|<<|>>)?=(?!=)|\\+\\+|--)|(?:\\+\\+|--|&)\\s*${g.name}\\s*(?:->|\\.)\\s*${field}\\b`, 'g');
    const writes = [...this.text.matchAll(fieldRe)].map((m) => m.index!);
    let result = writes.length === 1 ? this.writtenFirst(writes[0]!) : undefined;
    if (result) {
      // the whole struct or the pointer, written or handed out by address elsewhere: no one value
      const whole = new RegExp(`\\b${g.name}\\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|&\\s*${g.name}\\b(?!\\s*(?:->|\\.))`, 'g');
      const fn = result.fn;
      if ([...this.text.matchAll(whole)].some((m) => m.index! < fn.startIndex || m.index! >= fn.endIndex)) result = undefined;
    }
    this.mainOnceMemo.set(memoKey, result ?? null);
    return result;
  }

  /**
   * The initializer item of a field of a file-scope struct (`static conf_t conf = { 4 << 20, 512 };` or
   * with designators) that nothing in the file writes: the field, the struct as a whole, or the struct
   * handed out by address (where a callee could write it). Positional items follow the struct's
   * declared field order.
   */
  private initializedField(g: VarInfo, field: string): Node | undefined {
    if (g.isParam || !g.init || stripCasts(g.init).type !== 'initializer_list') return undefined;
    const type = g.declNode.childForFieldName('type');
    const struct = type ? this.structOfType(type) : undefined;
    if (!struct?.names.includes(field)) return undefined;
    this.noteTextRead(0, this.text.length);
    const writes = new RegExp(`\\b${g.name}\\s*(?:->|\\.)\\s*${field}\\b\\s*(?:(?:[-+*/%&|^]|<<|>>)?=(?!=)|\\+\\+|--)|(?:\\+\\+|--|&)\\s*${g.name}\\s*(?:->|\\.)\\s*${field}\\b`
      + `|\\b${g.name}\\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|&\\s*${g.name}\\b(?!\\s*(?:->|\\.))`, 'g');
    const decl = g.declNode;
    // the declaration's own `conf = { … }` is not a write
    if ([...this.text.matchAll(writes)].some((m) => m.index! < decl.startIndex || m.index! >= decl.endIndex)) return undefined;
    const item = this.rowItem({ list: stripCasts(g.init), struct }, field);
    return item && !('list' in item) ? item : undefined;
  }

  /**
   * A setup function that runs before the rest of the program: LTP's `.setup = fn` in a `struct tst_test`,
   * or a function called exactly once in the file, as a top-level statement of main that comes before
   * main calls anything else of the file.
   */
  private runsFirst(fn: Node): boolean {
    const name = functionName(fn);
    if (!name || this.functionDefinition(name)?.id !== fn.id) return false;
    const ltp = new RegExp(`\\.setup\\s*=\\s*&?\\s*${name}\\s*[,}]`).exec(this.text);
    if (ltp && /\bstruct\s+tst_test\b/.test(this.text)) return this.callsTo(name).length === 0;
    const main = this.mainFunction();
    const body = main?.childForFieldName('body');
    const calls = this.callsTo(name);
    if (!main || !body || calls.length !== 1) return false;
    const call = calls[0]!;
    const statement = body.namedChildren.find((c) => c.startIndex <= call.startIndex && call.endIndex <= c.endIndex);
    if (statement?.type !== 'expression_statement' || stripCasts(statement.namedChildren[0] ?? statement).id !== call.id) return false;
    const before = this.text.slice(body.startIndex, statement.startIndex);
    for (const m of before.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) if (this.functionDefinition(m[1]!)) return false;
    return true;
  }

  /**
   * Is the `&name` at `at` an item of a row of a file-scope table whose field is only read through,
   * never written or passed on (`*tc->buf`, `*tcases[i].buf` as a value)? Then the row holds the
   * global's address to read it, and the address is not a write of the global.
   */
  private addressReadThroughTable(at: number, name: string): boolean {
    if (this.text[at] !== '&') return false;
    const ident = this.root.descendantForIndex(this.text.indexOf(name, at), this.text.indexOf(name, at) + name.length);
    const addr = ident?.parent;
    const row = addr?.parent;
    if (addr?.type !== 'pointer_expression' || row?.type !== 'initializer_list') return false;
    const table = row.parent?.type === 'initializer_list' ? row.parent.parent : undefined;
    const declarator = table?.type === 'init_declarator' ? unwrapDeclarator(table).name?.text : undefined;
    const info = declarator ? this.tableOf(declarator, undefined) : undefined;
    if (!info || this.scopeRootOf(row).type === 'function_definition') return false;
    const position = namedArgs(row).findIndex((c) => c.id === addr.id);
    const field = info.struct?.names[position];
    if (!field || namedArgs(row).some((c) => c.type === 'initializer_pair')) return false;
    for (const m of this.text.matchAll(new RegExp(`(?:->|\\.)\\s*${field}\\b`, 'g'))) {
      const f = this.root.descendantForIndex(m.index! + m[0].length - field.length, m.index! + m[0].length);
      const access = f?.parent;
      if (f?.type !== 'field_identifier' || access?.type !== 'field_expression') continue;   // a declaration or a designator
      const deref = access.parent;
      if (deref?.type !== 'pointer_expression' || deref.childForFieldName('operator')?.type !== '*') return false;
      const user = deref.parent;
      if (user?.type === 'assignment_expression' && user.childForFieldName('left')?.id === deref.id) return false;
      if (user?.type === 'pointer_expression' && user.childForFieldName('operator')?.type === '&') return false;
    }
    return true;
  }

  private combineNumbers(sources: Source[], name: string, depth: number): Evaluated | undefined {
    let result: Evaluated | undefined;
    for (const s of sources) {
      let r: Evaluated | undefined;
      if (s.kind === 'zero') r = { value: 0, text: '0' };
      else if (s.kind === 'expr' && !s.name) r = this.evalWithConstant(s.node, s.scope, name, depth);
      if (!r) return undefined;
      if (result && result.value !== r.value) return undefined;
      if (result) { result = { value: r.value, text: r.text }; continue; }  // several agreeing definitions: no single constant to edit
      result = r;
    }
    return result;
  }

  /** Evaluates a definition's expression and remembers the definition for the "round up" fix. */
  private evalWithConstant(expr: Node, scope: Scope | undefined, name: string, depth: number): Evaluated | undefined {
    const r = this.evalNumber(expr, scope, depth + 1);
    if (!r) return undefined;
    const bare = stripCasts(expr);
    // A named constant keeps its definition for the fix; the range is where this definition uses it.
    if (r.constant && (bare.type === 'identifier' || bare.type === 'qualified_identifier')) return { ...r, range: nodeRange(expr) };
    return { ...r, constant: { name, range: nodeRange(expr), valueText: expr.text } };
  }

  /** File-level constant: const/constexpr/stable global, #define, enum constant. Memoized per file. */
  constValue(name: string, depth = 0): Evaluated | undefined {
    if (this.constMemo.has(name)) return this.constMemo.get(name) ?? undefined;
    tickBudget();
    if (depth > MAX_DEPTH || this.evaluating.has(name)) return this.cutShort(undefined);
    this.buildFile();
    this.evaluating.add(name);
    let r: Evaluated | undefined;
    try {
      const g = this.globalVar(name);
      const init = g && !g.arrayDims.length ? this.stableInit(name) : undefined;
      if (init) r = this.evalWithConstant(init, undefined, name, depth);
      if (!r && init && init !== g?.init) r = this.memberInitFromConstructions(init, name, depth);
      if (!r) {
        const defs = this.macros.get(name);
        if (defs) r = this.evalMacro(name, defs, depth);
      }
      if (!r && this.enumerators.has(name)) r = this.enumValue(name, depth);
      if (!r && !g) {
        // A header's value is shown by name; no fix edits a header from this file.
        const m = this.headerMacro(name);
        const v = m ? this.evalSnippet(m.body, depth + 1) : undefined;
        if (v) r = { value: v.value, text: name };
      }
    } finally {
      this.evaluating.delete(name);
    }
    if (!this.row) this.constMemo.set(name, r ?? null);   // a row's values are that row's only
    return r;
  }

  private evalMacro(name: string, defs: Node[], depth: number): Evaluated | undefined {
    let result: Evaluated | undefined;
    for (const def of defs) {
      const body = this.macroBody(def);
      if (!body) return undefined;
      const r = this.evalSnippet(body.text, depth + 1);
      if (!r || (result && result.value !== r.value)) return undefined;
      const bareIdent = /^\(?\s*[A-Za-z_]\w*\s*\)?$/.test(body.text);
      result = defs.length > 1 ? { value: r.value, text: name }
        : { value: r.value, text: name, constant: bareIdent && r.constant ? r.constant : { name, range: body.range, valueText: body.text } };
    }
    return result;
  }

  /**
   * `KB(128)`, `ALIGN_UP(len, 4096)`: a function-like macro of this file whose arguments all evaluate
   * (in the caller's scope) is expanded with those numbers and evaluated. Anything else stays unknown.
   */
  private expandFunctionMacro(call: Node, scope: Scope | undefined, depth: number): Evaluated | undefined {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'identifier') return undefined;
    tickBudget();
    if (depth > MAX_DEPTH) return this.cutShort(undefined);
    this.buildFile();
    const def = this.functionMacros.get(fn.text);
    const fromHeader = def === undefined && !this.macros.has(fn.text) ? this.opts.headers?.functionMacro(fn.text) : undefined;
    if (!def && !fromHeader) return undefined;
    const params = def ? namedArgs(def.childForFieldName('parameters')).map((p) => p.text) : [...fromHeader!.params];
    const args = namedArgs(call.childForFieldName('arguments'));
    if (params.length !== args.length || params.some((p) => !/^[A-Za-z_]\w*$/.test(p))) return undefined;
    const body = def ? this.macroBody(def) : { text: fromHeader!.body };
    if (!body || !body.text || /#/.test(body.text)) return undefined;  // stringizing / token pasting: not arithmetic
    // A field read through a pointer argument (`(dev)->block_size` with `dev` for `ssd`) is that field of
    // the caller's struct, read at the call; the number arguments are those the rest of the body reads.
    let unread = false;
    const fieldsRead = body.text.replace(/\(?\s*\b([A-Za-z_]\w*)\s*\)?\s*->\s*([A-Za-z_]\w*)/g, (whole, p: string, field: string) => {
      const i = params.indexOf(p);
      const base = i >= 0 ? stripParens(args[i]!) : undefined;
      if (!base) return whole;
      const key = base.type === 'identifier' ? `${base.text}.${field}` : undefined;
      const v = key !== undefined ? this.evalKey(key, call, scope, depth + 1) : undefined;
      if (!v) unread = true;
      return v ? `(${v.value})` : whole;
    });
    if (unread) return undefined;
    const used = new Set(fieldsRead.match(/[A-Za-z_]\w*/g) ?? []);
    const values: (number | undefined)[] = [];
    for (const [i, a] of args.entries()) {
      if (!used.has(params[i]!)) { values.push(undefined); continue; }
      const v = this.evalNumber(a, scope, depth + 1);
      if (!v) return undefined;
      values.push(v.value);
    }
    const expanded = fieldsRead.replace(/[A-Za-z_]\w*/g, (id) => {
      const i = params.indexOf(id);
      return i >= 0 ? `(${values[i]})` : id;
    });
    const key = `fmacro:${fn.text}`;
    if (this.evaluating.has(key)) return this.cutShort(undefined);
    this.evaluating.add(key);
    try {
      const r = this.evalSnippet(expanded, depth + 1);
      return r ? { value: r.value, text: compact(call.text) } : undefined;
    } finally {
      this.evaluating.delete(key);
    }
  }

  /** A function-like macro of this file that divides one sizeof by another: `ARRAY_SIZE(a)` counts a's elements. */
  isCountMacro(name: string): boolean {
    this.buildFile();
    const def = this.functionMacros.get(name);
    const body = def ? this.macroBody(def)?.text : undefined;
    return !!body && /^\(*\s*sizeof\b[^/]*\/\s*sizeof\b/.test(body) && namedArgs(def!.childForFieldName('parameters')).length === 1;
  }

  /** The macro's value text without comments and surrounding space, and its range in the file. */
  macroBody(def: Node): { text: string; range: Range } | undefined {
    const arg = def.childForFieldName('value');
    if (!arg) return undefined;
    const raw = arg.text;
    const cleaned = stripCComments(raw);
    const trimmed = cleaned.trim();
    if (!trimmed) return undefined;
    // Locate the trimmed text inside the raw text (comments only shrink to spaces or vanish at the end).
    const lead = cleaned.length - cleaned.trimStart().length;
    const start = arg.startIndex + lead;
    const end = start + trimmed.length;
    if (this.text.slice(start, end) !== trimmed) return { text: trimmed, range: nodeRange(arg) };
    return { text: trimmed, range: this.lineIndex.rangeOf(start, end) };
  }

  private enumValue(name: string, depth: number): Evaluated | undefined {
    const entry = this.enumerators.get(name);
    if (!entry) return undefined;
    let value = -1;
    let constant: ConstantDefinition | undefined;
    for (const e of namedArgs(entry.list)) {
      if (e.type !== 'enumerator') continue;
      const v = e.childForFieldName('value');
      if (v) {
        const r = this.evalNumber(v, undefined, depth + 1);
        if (!r) {
          if (e.childForFieldName('name')?.text === name) return undefined;
          value = NaN;
          continue;
        }
        value = r.value;
        constant = { name: e.childForFieldName('name')?.text ?? name, range: nodeRange(v), valueText: v.text };
      } else {
        value += 1;
        constant = undefined;
      }
      if (e.childForFieldName('name')?.text === name) {
        return Number.isSafeInteger(value) ? { value, text: name, constant } : undefined;
      }
    }
    return undefined;
  }

  /** Parses a macro body as an expression with the file's own grammar and evaluates it at file scope. */
  private withSnippet<T>(exprText: string, fn: (expr: Node) => T): T | undefined {
    const lang = this.root.tree.language;
    let parser = snippetParsers.get(lang);
    if (!parser) { parser = new Parser(); parser.setLanguage(lang); snippetParsers.set(lang, parser); }
    const tree = parser.parse(`long __zdio_probe = (${exprText}\n);`);
    if (!tree) return undefined;
    try {
      const decl = tree.rootNode.namedChild(0);
      const init = decl?.childForFieldName('declarator');
      const value = init?.type === 'init_declarator' ? init.childForFieldName('value') : null;
      // Bodies the grammar cannot fully parse (`_IOW(0x94, 13, struct file_clone_range)`) still yield
      // a partial tree; the evaluators treat ERROR nodes as unknown.
      return value ? fn(value) : undefined;
    } finally {
      tree.delete();
    }
  }

  evalSnippet(exprText: string, depth: number): Evaluated | undefined {
    const r = this.withSnippet(exprText, (v) => this.evalNumber(v, undefined, depth));
    // Ranges inside the snippet mean nothing in the file; keep only a constant that points into the file.
    return r ? { value: r.value, text: exprText, constant: r.constant } : undefined;
  }

  sizeOf(n: Node, scope: Scope | undefined, depth: number): number | undefined {
    const typeNode = n.childForFieldName('type');
    if (typeNode) {
      // `sizeof(buf)` may parse as a type named `buf`: prefer a variable of that name.
      const inner = typeNode.childForFieldName('type');
      if (inner?.type === 'type_identifier' && !typeNode.childForFieldName('declarator')) {
        const v = this.varInfo(inner.text, scope);
        if (v) return this.sizeOfVar(v, depth);
      }
      return this.sizeOfTypeDescriptor(typeNode, depth);
    }
    const value = n.childForFieldName('value');
    if (!value) return undefined;
    const v = stripParens(value);
    if (v.type === 'identifier') {
      const info = this.varInfo(v.text, scope);
      if (info) return this.sizeOfVar(info, depth);
      // `sizeof(CONTENT)` with `#define CONTENT "text\n"`: the size of the string it stands for
      const defs = this.macros.get(v.text);
      const body = defs?.length === 1 ? this.macroBody(defs[0]!)?.text : defs ? undefined : this.headerMacro(v.text)?.body;
      if (body) return stringLiteralSize(body);
      // `sizeof(header_t)`: a typedef or class name the grammar could not tell from a variable
      return defs ? undefined : this.typeSize(v.text, depth);
    }
    if (v.type === 'string_literal') return stringLiteralSize(v.text);
    return undefined;
  }

  private varInfo(name: string, scope: Scope | undefined): VarInfo | undefined {
    return scope?.vars.get(name) ?? this.globalVar(name);
  }

  private sizeOfVar(v: VarInfo, depth: number): number | undefined {
    if (v.isParam && v.arrayDims.length) return 8;  // an array parameter is a pointer
    if (v.arrayDims.length) {
      const elem = v.pointerDepth > 0 ? 8 : this.typeSize(v.typeText, depth);
      if (elem === undefined) return undefined;
      let total = elem;
      for (const d of v.arrayDims) {
        const r = this.evalNumber(d, undefined, depth + 1);
        if (!r) return undefined;
        total *= r.value;
      }
      return total;
    }
    return v.pointerDepth > 0 ? 8 : this.typeSize(v.typeText, depth);
  }

  private sizeOfTypeDescriptor(t: Node, depth: number): number | undefined {
    const decl = t.childForFieldName('declarator');
    const base = t.childForFieldName('type')?.text ?? '';
    if (!decl) return this.typeSize(base, depth);
    if (decl.type === 'abstract_pointer_declarator') return 8;
    if (decl.type === 'abstract_array_declarator') {
      const size = decl.childForFieldName('size');
      const elem = decl.childForFieldName('declarator') ? undefined : this.typeSize(base, depth);
      const n = size ? this.evalNumber(size, undefined, depth + 1) : undefined;
      return elem !== undefined && n ? elem * n.value : undefined;
    }
    return undefined;
  }

  /** sizeof a type by its text: a scalar, a kernel struct, or a struct, class or union this file defines. */
  typeSize(typeText: string, depth = 0): number | undefined {
    return sizeOfTypeName(typeText) ?? this.layoutOfTypeText(typeText, depth)?.size;
  }

  private layoutOfTypeText(typeText: string, depth: number): { size: number; align: number } | undefined {
    const t = typeText.replace(/\b(?:const|volatile|static|register|extern|constexpr|inline)\b/g, ' ').replace(/\s+/g, ' ').trim();
    const m = /^(?:(?:struct|class|union) )?(?:[A-Za-z_]\w*::)*([A-Za-z_]\w*)$/.exec(t);
    return m ? this.structLayout(m[1]!, depth) : undefined;
  }

  private structSpecsMemo?: Map<string, { spec: Node; body: Node; decl: Node } | null>;

  /** The structs, classes and unions this file defines, by tag and by typedef name (null: defined twice). */
  private structSpecs(): Map<string, { spec: Node; body: Node; decl: Node } | null> {
    if (!this.structSpecsMemo) {
      const found = new Map<string, { spec: Node; body: Node; decl: Node } | null>();
      const add = (n: string | undefined, spec: Node, decl: Node): void => {
        const body = spec.childForFieldName('body');
        if (!n || !body) return;
        const known = found.get(n);
        if (known?.spec.id === spec.id) return;   // `typedef struct x {…} x;`: one definition under one name
        found.set(n, known !== undefined ? null : { spec, body, decl });   // two definitions (#ifdef): do not guess
      };
      walkNodes(this.root, (node) => {
        if (node.type === 'struct_specifier' || node.type === 'class_specifier' || node.type === 'union_specifier') {
          if (node.parent?.type !== 'type_definition') add(node.childForFieldName('name')?.text, node, node.parent ?? node);
        } else if (node.type === 'type_definition') {
          const spec = node.childForFieldName('type');
          if (!spec || !['struct_specifier', 'class_specifier', 'union_specifier'].includes(spec.type)) return;
          add(spec.childForFieldName('name')?.text, spec, node);
          for (const d of node.childrenForFieldName('declarator')) if (d.type === 'type_identifier') add(d.text, spec, node);
        }
      });
      this.structSpecsMemo = found;
    }
    return this.structSpecsMemo;
  }

  /**
   * One name for a struct type however the code spells it: `struct drv_ssd`, its typedef `drv_ssd` or a
   * C++ class name all name the definition this file holds; a tag the file does not define is named by
   * the tag. Undefined for anything that is not a plain struct type (a pointer level is the variable's).
   */
  structIdentity(typeText: string): string | undefined {
    const t = typeText.replace(/\b(?:const|volatile)\b/g, ' ').replace(/\s+/g, ' ').trim();
    const m = /^(struct |class |union )?([A-Za-z_]\w*)$/.exec(t);
    if (!m) return undefined;
    const def = this.structSpecs().get(m[2]!);
    if (def) return `${def.spec.startIndex}`;
    return m[1] ? m[2] : undefined;
  }

  /**
   * sizeof and alignment of a struct, class or union this file defines once under `name` (its tag or a
   * typedef name), by the LP64 rules: each member at the next multiple of its alignment, the whole
   * rounded up to the largest. Undefined when anything but plain members could change the layout:
   * alignment or packing attributes, bit-fields, base classes, virtual functions, anonymous members,
   * or a member whose type is not known.
   */
  structLayout(name: string, depth = 0): { size: number; align: number } | undefined {
    if (depth > 8) return undefined;
    const def = this.structSpecs().get(name);    if (!def) return undefined;
    // the declaration around the specifier too: `struct x {…} __attribute__((aligned(4096)));`
    if (/\b(?:alignas|_Alignas|__attribute__|__declspec|virtual|__packed|__aligned)\b|#\s*pragma\s+pack/.test(def.decl.text)) return undefined;
    if (namedArgs(def.spec).some((c) => c.type === 'base_class_clause')) return undefined;
    const union = def.spec.type === 'union_specifier';
    let offset = 0;
    let size = 0;
    let align = 1;
    for (const member of namedArgs(def.body)) {
      if (member.type === 'access_specifier' || member.type === 'function_definition' || member.type === 'declaration'
        || member.type === 'template_declaration' || member.type === 'friend_declaration' || member.type === 'alias_declaration'
        || member.type === 'using_declaration' || member.type === 'type_definition' || member.type === 'static_assert_declaration') continue;
      if (member.type !== 'field_declaration') return undefined;
      if (namedArgs(member).some((c) => c.type === 'bitfield_clause')) return undefined;
      if (namedArgs(member).some((c) => c.type === 'storage_class_specifier' && /^(?:static|thread_local)$/.test(c.text))) continue;
      const typeNode = member.childForFieldName('type');
      const declarators = member.childrenForFieldName('declarator');
      if (!typeNode) return undefined;
      if (!declarators.length) {
        if (/^(?:struct|class|union)_specifier$/.test(typeNode.type)) return undefined;   // an anonymous member
        continue;                                                                           // a nested type's definition
      }
      for (const d of declarators) {
        const u = unwrapDeclarator(d);
        if (u.isFunction) continue;
        if (!u.name) return undefined;
        let elem: { size: number; align: number } | undefined;
        if (u.pointerDepth > 0) elem = { size: 8, align: 8 };
        else {
          const scalar = sizeOfTypeName(typeNode.text);
          if (scalar !== undefined) elem = { size: scalar, align: /\b(?:iovec|file_clone_range)\b/.test(typeNode.text) ? 8 : Math.min(scalar, 16) };
          else {
            const inner = /^(?:struct|class|union)_specifier$/.test(typeNode.type) ? typeNode.childForFieldName('name')?.text : typeNode.type === 'type_identifier' ? typeNode.text : undefined;
            if (!inner || typeNode.childForFieldName('body')) return undefined;
            elem = this.structLayout(inner, depth + 1);
          }
        }
        if (!elem) return undefined;
        let bytes = elem.size;
        for (const dim of u.dims) {
          const n = this.evalNumber(dim, undefined, depth + 1);
          if (!n || n.value <= 0) return undefined;
          bytes *= n.value;
        }
        if (!u.dims.length && d.type !== 'field_identifier' && d.type !== 'pointer_declarator' && d.type !== 'array_declarator' && d.type !== 'init_declarator') return undefined;
        align = Math.max(align, elem.align);
        if (union) size = Math.max(size, bytes);
        else { offset = Math.ceil(offset / elem.align) * elem.align + bytes; size = offset; }
      }
    }
    const total = Math.ceil(size / align) * align;
    return total > 0 ? { size: total, align } : undefined;
  }

  // ---------------------------------------------------------------- O_DIRECT flags and descriptors

  /** May the flag expression contain O_DIRECT? (`O_RDWR | O_DIRECT`, a macro/const/local holding it, `flags |= O_DIRECT`.) */
  hasODirect(node: Node, scope: Scope | undefined, use: Node, depth: number): boolean {
    tickBudget();
    if (depth > MAX_DEPTH) return this.cutShort(false);
    const n = stripCasts(node);
    switch (n.type) {
      case 'identifier': case 'field_expression': case 'qualified_identifier': {
        if (n.text === 'O_DIRECT' || n.text === '__O_DIRECT') return true;
        const key = accessKey(n);
        // `table[i].value`: a row the walk's index picks
        if (key === undefined) return !!scope && this.tableFieldHasODirect(n, scope, depth + 1);
        if (scope) {
          const sources = this.reaching(scope, key, use, 'odirect');
          if (sources) {
            if (sources.some((s) => s.kind === 'expr' && s.name !== 'setfl' && this.hasODirect(s.node, s.scope, s.node, depth + 1))) return true;
            if (sources.some((s) => s.kind === 'unknown' && s.escape && this.outParamHasODirect(s.escape, key, scope, depth + 1))) return true;
            if (this.killedOnEveryPath(scope, key, use)) return false;
            if (this.boundArgumentHasODirect(key, scope, depth + 1)) return true;
            // A global changed only on some paths here (`if (opt) flags &= ~O_DIRECT;`): its value on
            // entry may still arrive, and that may carry O_DIRECT.
            if (scope.vars.has(key.replace(/[.[].*$/, ''))) return false;
          } else if (scope.vars.has(key.replace(/[.[].*$/, ''))) {
            return this.boundArgumentHasODirect(key, scope, depth + 1) || this.flagsParamFromCallers(n, scope, depth + 1)
              || this.tableFieldHasODirect(n, scope, depth + 1) || this.structFieldHasODirect(n, scope, depth + 1);
          }
        }
        return /^[A-Za-z_]\w*$/.test(key) && this.nameHasODirect(key, depth + 1);
      }
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.text;
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (!l || !r) return false;
        if (op === '|' || op === '+' || op === '^') return this.hasODirect(l, scope, use, depth + 1) || this.hasODirect(r, scope, use, depth + 1);
        if (op === '&') return this.hasODirect(l, scope, use, depth + 1) && this.hasODirect(r, scope, use, depth + 1);
        return false;
      }
      case 'conditional_expression': {
        const c = n.childForFieldName('consequence');
        const a = n.childForFieldName('alternative');
        return (!!c && this.hasODirect(c, scope, use, depth + 1)) || (!!a && this.hasODirect(a, scope, use, depth + 1));
      }
      case 'call_expression': {
        const name = n.childForFieldName('function')?.type === 'identifier' ? n.childForFieldName('function')!.text : undefined;
        return name !== undefined && this.returnsODirectFlags(name, n, scope, depth + 1);
      }
      default: return false;
    }
  }

  /**
   * `obj->flags` where `obj` is a parameter or local of a struct type and nothing here set the field:
   * may some function of the file have stored O_DIRECT in that field of that struct type
   * (`obj->flags = O_RDWR | O_DIRECT;` in the O_DIRECT variant's constructor)? A descriptor is O_DIRECT
   * when the program may open it with O_DIRECT.
   */
  private structFieldHasODirect(n: Node, scope: Scope, depth: number): boolean {
    if (n.type !== 'field_expression') return false;
    const field = n.childForFieldName('field')?.text;
    const arg = stripParens(n.childForFieldName('argument') ?? n);
    if (!field || arg.type !== 'identifier') return false;
    const struct = this.structIdentity(scope.vars.get(arg.text)?.typeText ?? '');
    if (!struct) return false;
    // the answer reads the whole file: any edit may change it
    this.noteTextRead(0, this.text.length);
    const memoKey = `${struct}.${field}`;
    const memo = this.structFieldMemo.get(memoKey);
    if (memo !== undefined) return memo;
    if (this.evaluating.has('field:' + memoKey)) return this.cutShort(false);
    this.evaluating.add('field:' + memoKey);
    let found = false;
    try {
      for (const { assign, left } of this.fieldAssignments(field, '\\|?')) {
        const base = stripParens(left.childForFieldName('argument') ?? left);
        if (base.type !== 'identifier') continue;
        const where = this.scopeFor(assign);
        const bv = where.vars.get(base.text) ?? this.globalVar(base.text);
        if (!bv || this.structIdentity(bv.typeText) !== struct) continue;
        const right = assign.childForFieldName('right');
        if (right && this.hasODirect(right, where, right, depth + 1)) { found = true; break; }
      }
    } finally {
      this.evaluating.delete('field:' + memoKey);
    }
    this.structFieldMemo.set(memoKey, found);
    return found;
  }

  /**
   * `f->value` where `f` walks a table of this file (`for (f = flag_table; f->name; f++)`), or
   * `table[i].value`: may the field carry O_DIRECT in some row? A flag parser that ORs a table's
   * values together then returns O_DIRECT when the table names it.
   */
  private tableFieldHasODirect(n: Node, scope: Scope, depth: number): boolean {
    if (n.type !== 'field_expression') return false;
    const field = n.childForFieldName('field')?.text;
    const arg = n.childForFieldName('argument');
    if (!field || !arg) return false;
    let tableNode: Node | undefined;
    const a = stripParens(arg);
    if (a.type === 'subscript_expression' && n.childForFieldName('operator')?.text === '.') tableNode = a.childForFieldName('argument') ?? undefined;
    else if (a.type === 'identifier' && n.childForFieldName('operator')?.text === '->') {
      const v = scope.vars.get(a.text);
      if (!v || v.isParam || v.pointerDepth !== 1 || v.arrayDims.length) return false;
      // where the pointer starts: the table itself, or the address of one of its rows
      let start = v.init ? stripCasts(v.init) : undefined;
      if (start?.type === 'pointer_expression' && start.childForFieldName('operator')?.text === '&') {
        const sub = start.childForFieldName('argument');
        start = sub && stripParens(sub).type === 'subscript_expression' ? stripParens(sub).childForFieldName('argument') ?? undefined : undefined;
      }
      tableNode = start;
    }
    if (!tableNode || (tableNode.type !== 'identifier' && tableNode.type !== 'qualified_identifier')) return false;
    const table = this.tableOf(tableNode.text, scope);
    if (!table?.struct) return false;
    return table.rows.some((list) => {
      const item = this.rowItem({ list, struct: table.struct }, field);
      return !!item && !('list' in item) && this.hasODirect(item, table.scope, item, depth + 1);
    });
  }

  /**
   * While a helper's returned flags are judged for one call (see returnsODirectFlags): the helper, the
   * call and the scope the call is in. A parameter of the helper that keeps its value on entry is then
   * the call's argument.
   */
  private flagCalls: { fn: Node; call: Node; scope: Scope | undefined }[] = [];

  /**
   * Does a call of a function of this file return flags with O_DIRECT? Its returns are judged in its
   * body, and a parameter that reaches a return unchanged (`flags |= O_CLOEXEC; return flags;`) is
   * the call's argument: `flags = add_cloexec(flags)` keeps the O_DIRECT the caller put there.
   */
  private returnsODirectFlags(name: string, call: Node, scope: Scope | undefined, depth: number): boolean {
    if (depth > 16 || this.flagCalls.length >= 4) return this.cutShort(false);
    const fn = this.functionDefinition(name);
    const body = fn?.childForFieldName('body');
    if (!fn || !body || this.flagCalls.some((b) => b.fn.id === fn.id)) return false;
    this.readFunction(name);
    this.noteTextRead(fn.startIndex, fn.endIndex);
    this.flagCalls.push({ fn, call, scope });
    try {
      const inner = this.scopeFor(body);
      return this.returnsOf(fn).some((r) => this.hasODirect(r, inner, r, depth + 1));
    } finally {
      this.flagCalls.pop();
    }
  }

  /**
   * Set by the extractor while it judges one site: the function the site is in. Only there does a flags
   * parameter take its callers' flags (see flagsParamFromCallers); a helper whose returned descriptor
   * is judged for one call must not take the flags every other call passes.
   */
  siteRoot: Node | undefined;
  /** The flags parameters that flagsParamFromCallers answered yes for while the current site was judged. */
  readonly flagParams: ParamRef[] = [];
  private readonly flagsParamMemo = new Map<string, boolean>();
  /** `struct.field` → may a function of the file store O_DIRECT in that field (structFieldHasODirect). */
  private readonly structFieldMemo = new Map<string, boolean>();

  /**
   * Open flags that are a parameter of the site's own function, unchanged since the call (`fd =
   * open(path, flags)` in `io_append(path, flags, …)`): they may carry O_DIRECT when some call of the
   * function passes flags that do. A descriptor is O_DIRECT when the program may open it so; the
   * extractor then lets each call decide (a ParamRef with part `flags`), so a call that passes other
   * flags gets no finding. Callers' own parameters are not followed further.
   */
  private flagsParamFromCallers(n: Node, scope: Scope, depth: number): boolean {
    if (!this.siteRoot || scope.root.id !== this.siteRoot.id || this.row) return false;
    const ref = this.paramRefAt(n, scope);
    if (!ref) return false;
    // the answer reads the callers, anywhere in the file: an extraction that used it is not reused
    this.readsOtherFunctions = true;
    if (this.dependencies) this.dependencies.callerFlow = true;
    const memoKey = `${ref.fn}#${ref.index}`;
    let r = this.flagsParamMemo.get(memoKey);
    if (r === undefined) {
      if (this.evaluating.has('flags:' + memoKey)) return this.cutShort(false);
      this.evaluating.add('flags:' + memoKey);
      const saved = this.siteRoot;
      this.siteRoot = undefined;
      try {
        r = this.callsTo(ref.fn).slice(0, 64).some((call) => {
          const arg = namedArgs(call.childForFieldName('arguments'))[ref.index];
          return !!arg && this.hasODirect(arg, this.scopeFor(call), call, depth + 1);
        });
      } finally {
        this.siteRoot = saved;
        this.evaluating.delete('flags:' + memoKey);
      }
      this.flagsParamMemo.set(memoKey, r);
    }
    if (r) this.flagParams.push({ ...ref, part: 'flags' });
    return r;
  }

  /** `key` as a parameter of the helper whose returns are being judged: does the call's argument carry O_DIRECT? */
  private boundArgumentHasODirect(key: string, scope: Scope, depth: number): boolean {
    const bound = this.flagCalls[this.flagCalls.length - 1];
    if (!bound || bound.fn.id !== scope.root.id || !/^[A-Za-z_]\w*$/.test(key)) return false;
    const v = scope.vars.get(key);
    if (!v?.isParam) return false;
    const params = namedArgs(functionDeclarator(bound.fn)?.childForFieldName('parameters') ?? null);
    const index = params.findIndex((p) => p.id === v.declNode.id);
    const arg = index >= 0 ? namedArgs(bound.call.childForFieldName('arguments'))[index] : undefined;
    if (!arg) return false;
    // the argument is judged where the call is, outside the helper
    const saved = this.flagCalls;
    this.flagCalls = saved.slice(0, -1);
    try {
      return this.hasODirect(arg, bound.scope, bound.call, depth + 1);
    } finally {
      this.flagCalls = saved;
    }
  }

  /**
   * A call that takes the flags by address (`image_flags(opts, &flags)`, in C++ also by reference): does
   * the helper, a function of this file, store or `|=` O_DIRECT through that parameter (`*flags |=
   * O_DIRECT;`, on any path)? Only its own body is read; what it passes on further is not followed.
   */
  private outParamHasODirect(call: Node, key: string, scope: Scope, depth: number): boolean {
    return this.outParamReceives(call, key, depth, (right, inner) => this.hasODirect(right, inner, right, depth + 1));
  }

  /**
   * A call that takes a descriptor by address (`copy_create(env, path, &fd)`): does the helper store one
   * it made O_DIRECT through that parameter (`fcntl(fd, F_SETFL, fl | O_DIRECT); *fdp = fd;`)?
   */
  private outParamIsODirectFd(call: Node, key: string, depth: number): boolean {
    return this.outParamReceives(call, key, depth, (right, inner, at) => this.isODirectFd(right, inner, at, depth + 1));
  }

  /**
   * A call that takes a descriptor by address (`copy_create(env, path, &fd)`): the file position of the
   * descriptor the helper stores through that parameter, when every store of a descriptor (not of a
   * number such as `-1`) has the same known position there (0 just after its `open`).
   */
  private outParamPosition(call: Node, key: string, depth: number): number | undefined {
    const seen: (number | undefined)[] = [];
    this.outParamReceives(call, key, depth, (right, inner, at) => {
      const r = stripCasts(right);
      if (r.type === 'number_literal' || (r.type === 'unary_expression' && r.childForFieldName('argument')?.type === 'number_literal')) return false;
      seen.push(this.filePositionBefore(at, r, inner, depth + 1)?.value);
      return false;
    });
    const first = seen[0];
    return first !== undefined && seen.every((p) => p === first) ? first : undefined;
  }

  /** Does the helper `call` calls store, through the parameter the caller's `&key` fills, a value `judge` accepts (on any path)? */
  private outParamReceives(call: Node, key: string, depth: number, judge: (right: Node, inner: Scope, at: Node) => boolean): boolean {
    if (depth > 16) return this.cutShort(false);
    const fnNode = call.childForFieldName('function');
    if (fnNode?.type !== 'identifier') return false;
    const fn = this.functionDefinition(fnNode.text);
    const body = fn?.childForFieldName('body');
    if (!fn || !body || this.evaluating.has('outparam:' + fnNode.text)) return false;
    const args = namedArgs(call.childForFieldName('arguments'));
    const index = args.findIndex((a) => {
      const bare = stripCasts(a);
      if (bare.type === 'pointer_expression' && bare.childForFieldName('operator')?.text === '&') {
        const t = bare.childForFieldName('argument');
        return !!t && accessKey(t) === key;
      }
      return this.opts.cpp && accessKey(bare) === key;
    });
    const param = index >= 0 ? namedArgs(functionDeclarator(fn)?.childForFieldName('parameters') ?? null)[index] : undefined;
    const u = param ? unwrapDeclarator(param.childForFieldName('declarator')) : undefined;
    const pname = u?.name?.text;
    if (!pname) return false;
    this.readFunction(fnNode.text);
    // a C++ reference parameter (`int &flags`) is the caller's variable itself
    const byReference = u!.pointerDepth === 0 && param!.childForFieldName('declarator')?.type === 'reference_declarator';
    this.noteTextRead(fn.startIndex, fn.endIndex);
    this.evaluating.add('outparam:' + fnNode.text);
    try {
      const inner = this.scopeFor(body);
      let found = false;
      walkTree(body, (type, get) => {
        if (found) return false;
        if (type === 'lambda_expression') return false;
        if (type !== 'assignment_expression') return true;
        const a = get();
        const op = a.childForFieldName('operator')?.text;
        const left = a.childForFieldName('left');
        const right = a.childForFieldName('right');
        if ((op !== '=' && op !== '|=') || !left || !right) return true;
        const l = stripParens(left);
        const through = l.type === 'pointer_expression' && l.childForFieldName('operator')?.text === '*'
          ? stripParens(l.childForFieldName('argument') ?? l).text === pname
          : byReference && l.type === 'identifier' && l.text === pname;
        if (through && judge(right, inner, a)) found = true;
        return true;
      });
      return found;
    } finally {
      this.evaluating.delete('outparam:' + fnNode.text);
    }
  }

  private nameHasODirect(name: string, depth: number): boolean {
    if (this.readsWholeFile.has(name)) this.noteTextRead(0, this.text.length);
    const memo = this.odirectNameMemo.get(name);
    if (memo !== undefined) return memo;
    tickBudget();
    if (this.evaluating.has('odirect:' + name) || depth > MAX_DEPTH) return this.cutShort(false);
    this.buildFile();
    this.evaluating.add('odirect:' + name);
    let r = false;
    try {
      const g = this.globalVar(name);
      const init = g ? this.stableInit(name) : undefined;
      if (init) r = this.hasODirect(init, undefined, init, depth + 1);
      // A global the file changes (`flags |= O_DIRECT` under an option, `o_direct = O_DIRECT` for -Z):
      // O_DIRECT on some path if its initializer or any assignment in the file gives it.
      else if (g && !g.isConst) {
        // every assignment in the file counts: an edit anywhere may change the answer
        this.readsWholeFile.add(name);
        this.noteTextRead(0, this.text.length);
        r = this.globalValues(g).some((v) => this.hasODirect(v.node, v.scope, v.node, depth + 1));
      }
      if (!r) {
        for (const def of this.macros.get(name) ?? []) {
          const body = this.macroBody(def);
          if (body && /O_DIRECT|[A-Za-z_]/.test(body.text) && this.withSnippet(body.text, (v) => this.hasODirect(v, undefined, v, depth + 1))) { r = true; break; }
        }
      }
      if (!r && !g) {
        const m = this.headerMacro(name);
        if (m && /[A-Za-z_]/.test(m.body)) r = this.withSnippet(m.body, (v) => this.hasODirect(v, undefined, v, depth + 1)) ?? false;
      }
    } finally {
      this.evaluating.delete('odirect:' + name);
    }
    if (!this.row) this.odirectNameMemo.set(name, r);
    return r;
  }

  /** Is this descriptor expression known to carry O_DIRECT at `use`? */
  isODirectFd(node: Node, scope: Scope | undefined, use: Node, depth = 0): boolean {
    tickBudget();
    if (depth > MAX_DEPTH) return this.cutShort(false);
    const n = stripCasts(node);
    if (this.row) {
      const item = this.rowExpr(n, scope);
      if (item) return this.isODirectFd(item.node, item.scope, item.node, depth + 1);
    }
    if (n.type === 'call_expression') {
      const name = calleeName(n);
      const args = namedArgs(n.childForFieldName('arguments'));
      const flags = openFlagsArg(name, args);
      if (flags) return this.hasODirect(flags, scope, n, depth + 1);
      if ((name === 'dup' || name === 'dup3' || name === 'fcntl') && args[0] && (name !== 'fcntl' || /^F_DUPFD/.test(args[1]?.text ?? ''))) {
        return this.isODirectFd(args[0], scope, n, depth + 1);
      }
      const own = name ?? this.fileFunctionCalled(n);
      return own !== undefined && this.returnsODirectFd(own, depth + 1, n, scope);
    }
    if (n.type === 'conditional_expression') {
      const c = n.childForFieldName('consequence');
      const a = n.childForFieldName('alternative');
      return (!!c && this.isODirectFd(c, scope, use, depth + 1)) || (!!a && this.isODirectFd(a, scope, use, depth + 1));
    }
    if (n.type === 'assignment_expression') {
      const r = n.childForFieldName('right');
      return !!r && this.isODirectFd(r, scope, use, depth + 1);
    }
    const key = accessKey(n);
    if (key === undefined) {
      // an element of a file-scope table of descriptors that opens fill (`files[i] = open(…)` in a loop)
      const elements = elementsKey(n);
      return !!elements && !(scope && scope.vars.has(elements.slice(0, -2))) && this.fileFdTargets.get(elements) === true;
    }
    if (scope) {
      const sources = this.reaching(scope, key, use, 'odirect');
      if (sources) {
        return sources.some((s) => s.kind === 'expr' && (s.name === 'setfl'
          ? this.setflHasODirect(s.node, scope)
          : s.name !== '|=' && this.isODirectFd(s.node, s.scope, s.node, depth + 1)))
          || sources.some((s) => s.kind === 'unknown' && !!s.escape && this.outParamIsODirectFd(s.escape, key, depth + 1))
          || (!key.includes('.') && this.handedToODirectSetter(key, scope, use));
      }
      const v = key.includes('.') ? undefined : scope.vars.get(key);
      if (v?.isParam) return this.paramIsODirect(scope.root, v, depth + 1) || this.handedToODirectSetter(key, scope, use);
      if (v) return this.handedToODirectSetter(key, scope, use);  // a local with no known open
    }
    // A struct field or global handed to a clearer (`directio_off(of.fd)`) earlier in this function is buffered here.
    if (scope && this.lastDescriptorHelper(key, scope, use) === 'clear') return false;
    // Globals, C++ members and struct fields opened in another function of this file.
    const fileKey = key.includes('.') ? key.slice(key.lastIndexOf('.')) : key;
    return this.fileFdTargets.get(fileKey) === true;
  }

  /**
   * A site's answer reads the body of the function `name`. A helper (helperNames) is covered by the
   * reuse check already: an edit that mentions its name re-evaluates every site with callerFlow. Any
   * other function: the extraction is not kept (see readsOtherFunctions).
   */
  private readFunction(name: string): void {
    if (!this.dependencies) return;   // not a site's evaluation: the first steps are redone on every edit
    this.dependencies.callerFlow = true;
    if (!this.helperNames.has(name)) this.readsOtherFunctions = true;
  }

  /**
   * Does a function of this file return a descriptor that may carry O_DIRECT (`int open_log(…) { int fd
   * = open(p, O_WRONLY | O_DIRECT); …; return fd; }`)? One return that does is enough: the others are
   * the error paths (`return -1`). Recursion and deep chains of such helpers answer no.
   */
  returnsODirectFd(name: string, depth: number, call?: Node, callScope?: Scope): boolean {
    if (depth > 8) return this.cutShort(false);
    const fn = this.functionDefinition(name);
    if (!fn) return false;
    this.readFunction(name);
    const memo = this.row ? undefined : this.returnMemo.get(name);
    if (memo === false && call) return this.returnsODirectFdFor(fn, call, callScope, depth);
    if (memo !== undefined) return memo;
    if (this.evaluating.has('return:' + name)) return this.cutShort(false);
    this.evaluating.add('return:' + name);
    let result = false;
    try {
      const scope = this.scopeFor(fn.childForFieldName('body') ?? fn);
      result = this.returnsOf(fn).some((r) => this.isODirectFd(r, scope, r, depth + 1));
    } finally {
      this.evaluating.delete('return:' + name);
    }
    if (!this.row) this.returnMemo.set(name, result);
    return result || (!!call && this.returnsODirectFdFor(fn, call, callScope, depth));
  }

  /**
   * A helper that opens with the flags it is handed (`int open_fd(const char *fn, int flags)`) returns
   * an O_DIRECT descriptor to a call that passes O_DIRECT: its returns judged with its parameters bound
   * to that call's arguments (see boundArgumentHasODirect).
   */
  private returnsODirectFdFor(fn: Node, call: Node, callScope: Scope | undefined, depth: number): boolean {
    if (this.flagCalls.length >= 4 || this.flagCalls.some((b) => b.fn.id === fn.id)) return false;
    this.flagCalls.push({ fn, call, scope: callScope });
    try {
      const scope = this.scopeFor(fn.childForFieldName('body') ?? fn);
      return this.returnsOf(fn).some((r) => this.isODirectFd(r, scope, r, depth + 1));
    } finally {
      this.flagCalls.pop();
    }
  }

  /** The returned expressions of a function (not those of lambdas or local classes inside it); at most 64. */
  returnsOf(fn: Node): Node[] {
    const memo = this.returnsMemo.get(fn.id);
    if (memo) return memo;
    const out: Node[] = [];
    this.returnsMemo.set(fn.id, out);
    const body = fn.childForFieldName('body');
    if (!body) return out;
    walkTree(body, (type, get) => {
      if (out.length >= 64) return false;
      if (type === 'lambda_expression' || type === 'function_definition' || type === 'class_specifier' || type === 'struct_specifier') return false;
      if (type !== 'return_statement') return true;
      const e = get().namedChild(0);
      if (e && e.type !== 'comment') out.push(e);
      return false;
    });
    return out;
  }

  /**
   * Functions of this file that switch O_DIRECT on for a descriptor parameter (`fcntl(fd, F_SETFL,
   * O_DIRECT)` on it), by name, with the parameter's position: the extractor records them as it meets
   * each fcntl, before any I/O is judged.
   */
  readonly oDirectSetters = new Map<string, Set<number>>();

  /**
   * Functions of this file that switch O_DIRECT off for a descriptor parameter (`fcntl(fd, F_SETFL,
   * flags & ~O_DIRECT)` on it), recorded like oDirectSetters.
   */
  readonly oDirectClearers = new Map<string, Set<number>>();

  /** Records a setter when `fdArg` of an O_DIRECT fcntl(F_SETFL) is a parameter of its function. */
  noteODirectSetter(fdArg: Node, scope: Scope): void {
    this.noteDescriptorHelper(this.oDirectSetters, fdArg, scope);
  }

  /** Records a clearer when `fdArg` of an fcntl(F_SETFL) that removes O_DIRECT is a parameter of its function. */
  noteODirectClearer(fdArg: Node, scope: Scope): void {
    this.noteDescriptorHelper(this.oDirectClearers, fdArg, scope);
  }

  private noteDescriptorHelper(helpers: Map<string, Set<number>>, fdArg: Node, scope: Scope): void {
    const ref = this.paramRefAt(fdArg, scope);
    if (!ref) return;
    let set = helpers.get(ref.fn);
    if (!set) helpers.set(ref.fn, (set = new Set()));
    set.add(ref.index);
  }

  /**
   * Is the descriptor held in `key` handed, before `use` in the same function, to a setter of this
   * file (see oDirectSetters) or a clearer (oDirectClearers) in the position of its descriptor? The
   * last such call decides: after a setter it may carry O_DIRECT, even when the call is conditional (a
   * descriptor is O_DIRECT when the program may make it so); after a clearer it is buffered.
   */
  private lastDescriptorHelper(key: string, scope: Scope, use: Node): 'set' | 'clear' | undefined {
    if (!this.oDirectSetters.size && !this.oDirectClearers.size) return undefined;
    const names = [...new Set([...this.oDirectSetters.keys(), ...this.oDirectClearers.keys()])];
    for (const name of names) this.readFunction(name);
    const root = scope.root;
    const re = new RegExp(`\\b(${names.map((k) => k.replace(/\W/g, '')).join('|')})\\s*\\(`, 'g');
    const text = this.text.slice(root.startIndex, Math.min(use.startIndex, root.endIndex));
    let last: 'set' | 'clear' | undefined;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      tickBudget();
      const at = root.startIndex + m.index;
      const ident = this.root.descendantForIndex(at, at + m[1]!.length);
      const call = ident?.parent;
      if (ident?.type !== 'identifier' || call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== ident.id) continue;
      const args = namedArgs(call.childForFieldName('arguments'));
      const hands = (helpers: Map<string, Set<number>>) => [...helpers.get(m![1]!) ?? []].some((index) => {
        const arg = args[index];
        return !!arg && accessKey(stripCasts(arg)) === key;
      });
      if (hands(this.oDirectSetters)) last = 'set';
      else if (hands(this.oDirectClearers)) last = 'clear';
    }
    return last;
  }

  private handedToODirectSetter(key: string, scope: Scope, use: Node): boolean {
    return this.lastDescriptorHelper(key, scope, use) === 'set';
  }

  /**
   * A parameter of a function defined in this file is an O_DIRECT descriptor when every call of that
   * function in the file passes one in that position (one level of inter-procedural flow, per file).
   */
  paramIsODirect(fn: Node, param: VarInfo, depth: number): boolean {
    if (fn.type !== 'function_definition') return false;
    if (depth > 8) return this.cutShort(false);
    const name = functionName(fn);
    if (!name || !this.helperNames.has(name)) return false;
    if (this.dependencies) this.dependencies.callerFlow = true;
    const params = namedArgs(functionDeclarator(fn)?.childForFieldName('parameters') ?? null);
    const index = params.findIndex((p) => p.id === param.declNode.id);
    if (index < 0) return false;
    const memoKey = `${name}#${index}`;
    const memo = this.row ? undefined : this.paramMemo.get(memoKey);
    if (memo !== undefined) return memo;
    if (this.evaluating.has('param:' + memoKey)) return this.cutShort(false);  // recursion
    this.evaluating.add('param:' + memoKey);
    let result = false;
    try {
      const calls = this.callsTo(name);
      result = calls.length > 0 && calls.every((call) => {
        const arg = namedArgs(call.childForFieldName('arguments'))[index];
        return !!arg && this.isODirectFd(arg, this.scopeFor(call), arg, depth + 1);
      });
    } finally {
      this.evaluating.delete('param:' + memoKey);
    }
    if (!this.row) this.paramMemo.set(memoKey, result);
    return result;
  }

  /**
   * The parameter of the enclosing function that `node` is, still holding its value from the call:
   * for summaries, which let the callers supply what is unknown here. Plain functions only (a method's
   * calls are not matched by name).
   */
  paramRefAt(node: Node, scope: Scope | undefined, flagsChangeOnly = false): ParamRef | undefined {
    if (!scope || scope.root.type !== 'function_definition') return undefined;
    const n = stripCasts(node);
    if (n.type !== 'identifier') return undefined;
    const v = scope.vars.get(n.text);
    if (!v?.isParam || v.arrayDims.length) return undefined;
    // reassigned, updated or passed by address before this use: no longer the caller's value; but the
    // update clause of a loop around the use (`len -= nw` in `for (…; len > 0; …, len -= nw)`) runs
    // only after a pass, so on the first pass the use still reads the caller's value
    // (`flagsChangeOnly`: an `fcntl(fd, F_SETFL, …)` keeps the descriptor the caller's, as its file position does)
    if (scope.defs.get(n.text)?.some((d) => d.pos <= n.startIndex && !inUpdateOfLoopAround(d.node, n) && !(flagsChangeOnly && d.kind === 'setfl'))) return undefined;
    const fn = functionName(scope.root);
    if (!fn || this.functionDefinition(fn)?.id !== scope.root.id) return undefined;
    const params = namedArgs(functionDeclarator(scope.root)?.childForFieldName('parameters') ?? null);
    const index = params.findIndex((p) => p.id === v.declNode.id);
    return index < 0 ? undefined : { fn, index, name: n.text };
  }

  /**
   * The parameter a struct field or variable holds at `use` when its one reaching definition is a
   * parameter (`struct file_clone_range r = { .src_offset = soff }` in a helper): each call's argument is
   * the value there. With `reshaped`, also a parameter rounded up or plus a known number (see
   * roundedParamRefAt and offsetParamRefAt): the fields of a clone range keep to the plain forms.
   */
  paramRefOfKey(key: string, use: Node, scope: Scope | undefined, reshaped = false): ParamRef | undefined {
    if (!scope || scope.root.type !== 'function_definition') return undefined;
    const sources = this.reaching(scope, key, use, 'value');
    if (sources?.length !== 1) return undefined;
    const s = sources[0]!;
    if (s.kind !== 'expr' || s.name || s.scope?.root.id !== scope.root.id) return undefined;
    return this.paramRefAt(s.node, scope) ?? this.scaledParamRefAt(s.node, scope) ?? this.cappedParamRefAt(s.node, scope)
      ?? (reshaped ? this.roundedParamRefAt(s.node, scope) ?? this.offsetParamRefAt(s.node, scope) : undefined);
  }

  /**
   * `&off` where `off` is a parameter the function has not changed before this use: what the callee reads
   * through the pointer is the caller's argument (`copy_file_range(in, &soff, out, &doff, len, 0)` in a
   * helper that takes `off_t soff` by value).
   */
  addressedParamRefAt(node: Node, scope: Scope | undefined): ParamRef | undefined {
    if (!scope || scope.root.type !== 'function_definition') return undefined;
    const n = stripCasts(node);
    if (n.type !== 'pointer_expression' || n.childForFieldName('operator')?.text !== '&') return undefined;
    const target = n.childForFieldName('argument');
    if (target?.type !== 'identifier') return undefined;
    const v = scope.vars.get(target.text);
    if (!v?.isParam || v.arrayDims.length || v.pointerDepth) return undefined;
    // changed before this use (the address taken here is no change yet)
    if (scope.defs.get(target.text)?.some((d) => d.pos < n.startIndex)) return undefined;
    const fn = functionName(scope.root);
    if (!fn || this.functionDefinition(fn)?.id !== scope.root.id) return undefined;
    const params = namedArgs(functionDeclarator(scope.root)?.childForFieldName('parameters') ?? null);
    const index = params.findIndex((p) => p.id === v.declNode.id);
    return index < 0 ? undefined : { fn, index, name: target.text };
  }

  /**
   * A parameter multiplied by a known positive whole number (`kb * 1024`, `PAGE * n`), as a number a
   * site reads: each call's argument, times the factor, is the site's value.
   */
  scaledParamRefAt(node: Node, scope: Scope | undefined): ParamRef | undefined {
    const n = stripParens(stripCasts(node));
    if (n.type !== 'binary_expression' || n.childForFieldName('operator')?.text !== '*') return undefined;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (!l || !r) return undefined;
    for (const [p, k] of [[l, r], [r, l]] as const) {
      const ref = this.paramRefAt(p, scope) ?? this.scaledParamRefAt(p, scope);
      if (!ref) continue;
      const factor = this.evalNumber(k, scope);
      if (!factor || !Number.isSafeInteger(factor.value) || factor.value <= 0) return undefined;
      return { ...ref, times: (ref.times ?? 1) * factor.value };
    }
    return undefined;
  }

  /**
   * A C++ data member read in a member function defined in its class, when the class's one constructor
   * initializes it from a parameter (`: size_(buf_size)`) and nothing else in the class writes it:
   * each construction's argument (`std::make_unique<C>(path, 24000)`, `new C(…)`, `C(…)`) is the value
   * the object's member functions read.
   */
  memberParamRefAt(node: Node, scope: Scope | undefined): ParamRef | undefined {
    if (!scope || scope.root.type !== 'function_definition') return undefined;
    const n = stripParens(stripCasts(node));
    const name = n.type === 'identifier' ? n.text
      : n.type === 'field_expression' && n.childForFieldName('argument')?.type === 'this' ? n.childForFieldName('field')?.text : undefined;
    if (!name || scope.vars.has(name)) return undefined;   // a local or a parameter
    const body = scope.root.parent;
    const cls = body?.type === 'field_declaration_list' ? body.parent : undefined;
    const clsName = cls && (cls.type === 'class_specifier' || cls.type === 'struct_specifier') ? cls.childForFieldName('name')?.text : undefined;
    if (!cls || !clsName || !body) return undefined;
    const ctors = body.namedChildren.filter((c) => c.type === 'function_definition' && constructorClass(c) === clsName);
    if (ctors.length !== 1) return undefined;
    const ctor = ctors[0]!;
    const init = ctor.namedChildren.find((c) => c.type === 'field_initializer_list')?.namedChildren
      .find((f) => f.type === 'field_initializer' && f.namedChild(0)?.text === name);
    const args = init ? namedArgs(init.namedChildren.find((c) => c.type === 'argument_list' || c.type === 'initializer_list') ?? null) : [];
    // or set by a statement of the constructor's body, not under a condition (`size_ = n;`, `this->size_ = n;`)
    const sets = init ? undefined : this.memberAssignmentsInBody(ctor).get(name);
    const set = sets?.length === 1 ? sets[0] : undefined;
    const value = init ? (args.length === 1 ? stripCasts(args[0]!) : undefined) : set?.right;
    if (value?.type !== 'identifier') return undefined;
    const param = value.text;
    const params = namedArgs(functionDeclarator(ctor)?.childForFieldName('parameters') ?? null);
    const index = params.findIndex((p) => unwrapDeclarator(p.childForFieldName('declarator') ?? p).name?.text === param);
    if (index < 0 || (set && (this.scopeFor(set.statement).defs.get(param) ?? []).length)) return undefined;
    // written anywhere else in the class: no one value per object
    this.noteTextRead(cls.startIndex, cls.endIndex);
    const writes = new RegExp(`(?:\\b|->|\\.)${name}\\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|(?:\\+\\+|--|&)\\s*(?:this\\s*->\\s*)?${name}\\b|\\b${name}\\s*(?:\\+\\+|--)`, 'g');
    const classText = this.text.slice(cls.startIndex, cls.endIndex);
    for (const m of classText.matchAll(writes)) {
      const at = cls.startIndex + m.index!;
      if (!set || at < set.statement.startIndex || at >= set.statement.endIndex) return undefined;
    }
    return { fn: clsName, index, name: param };
  }

  /**
   * C++: the argument that set `field` of the object `base` points to, when the function built it
   * (`IOBlock *io = new IOBlock(fd);`) with a class of the file whose one constructor sets that field
   * from a parameter, and nothing in the function wrote the field since (`reachingField`: what reaches
   * the field at `use`, the construction itself or nothing). An object on the stack (`IOBlock io(fd);`)
   * is not followed: the grammar reads that line as a function declaration.
   */
  constructedMemberArgument(base: string, field: string, use: Node, scope: Scope, reachingField: Node | undefined): Node | undefined {
    if (!this.opts.cpp || !/^[A-Za-z_]\w*$/.test(base) || !/^[A-Za-z_]\w*$/.test(field)) return undefined;
    const made = this.assignedValue(base, use, scope);
    // the field's only definition is the construction (or none at all): no later write changed it
    if (reachingField && reachingField.id !== made?.id) return undefined;
    if (made?.type !== 'new_expression') return undefined;
    const type = made.childForFieldName('type')?.text;
    const args = namedArgs(made.childForFieldName('arguments'));
    if (!type || !/^[A-Za-z_]\w*$/.test(type)) return undefined;
    const cls = this.classDefinition(type);
    const ctors = cls?.childForFieldName('body')?.namedChildren.filter((c) => c.type === 'function_definition' && constructorClass(c) === type) ?? [];
    if (ctors.length !== 1) return undefined;
    const ctor = ctors[0]!;
    const sets = this.memberAssignmentsInBody(ctor).get(field);
    const set = sets?.length === 1 ? stripCasts(sets[0]!.right) : undefined;
    if (set?.type !== 'identifier') return undefined;
    const params = namedArgs(functionDeclarator(ctor)?.childForFieldName('parameters') ?? null);
    const index = params.findIndex((p) => unwrapDeclarator(p.childForFieldName('declarator') ?? p).name?.text === set.text);
    this.noteTextRead(cls!.startIndex, cls!.endIndex);
    return index >= 0 && params.length === args.length ? args[index] : undefined;
  }

  /** The class or struct of the file with this name and a body (the first such). */
  private classDefinition(name: string): Node | undefined {
    const re = new RegExp(`\\b(?:struct|class)\\s+${name}\\b`, 'g');
    for (const m of this.text.matchAll(re)) {
      const at = this.root.descendantForIndex(m.index!, m.index! + m[0].length);
      for (let n: Node | null = at; n && n.startIndex >= m.index! - 1; n = n.parent) {
        if ((n.type === 'struct_specifier' || n.type === 'class_specifier') && n.childForFieldName('name')?.text === name && n.childForFieldName('body')) return n;
      }
    }
    return undefined;
  }

  /**
   * The members the top-level statements of a constructor's body assign (`size_ = n;`, `this->size_ =
   * n;`; not under a condition), each with its assignments in order. A local of the body is no member.
   */
  memberAssignmentsInBody(ctor: Node): Map<string, { statement: Node; right: Node }[]> {
    const out = new Map<string, { statement: Node; right: Node }[]>();
    const body = ctor.childForFieldName('body');
    const scope = body ? this.scopeFor(body) : undefined;
    for (const st of body?.namedChildren ?? []) {
      const assign = st.type === 'expression_statement' ? st.namedChild(0) : null;
      if (assign?.type !== 'assignment_expression' || assign.childForFieldName('operator')?.text !== '=') continue;
      const left = assign.childForFieldName('left');
      const name = left?.type === 'identifier' ? left.text
        : left?.type === 'field_expression' && left.childForFieldName('argument')?.type === 'this' ? left.childForFieldName('field')?.text : undefined;
      const right = assign.childForFieldName('right');
      if (!name || !right || (left?.type === 'identifier' && scope?.vars.has(name))) continue;
      let list = out.get(name);
      if (!list) out.set(name, (list = []));
      list.push({ statement: st, right: stripCasts(right) });
    }
    return out;
  }

  /**
   * A function-like macro of this file that rounds its one argument up to a power of two
   * (`ROUND_TO_CACHE_BLOCK(n)` as `(((x) + (512 - 1)) & ~(off_t)(512 - 1))`), applied to a parameter (or a
   * scaled one): each call's argument, rounded up, is the site's value.
   */
  roundedParamRefAt(node: Node, scope: Scope | undefined): ParamRef | undefined {
    const n = stripParens(stripCasts(node));
    const fn = n.type === 'call_expression' ? n.childForFieldName('function') : null;
    const args = n.type === 'call_expression' ? namedArgs(n.childForFieldName('arguments')) : [];
    if (fn?.type !== 'identifier' || args.length !== 1) return undefined;
    const ref = this.paramRefAt(args[0]!, scope) ?? this.scaledParamRefAt(args[0]!, scope);
    if (!ref || ref.atMost !== undefined || ref.roundUpTo !== undefined || ref.plus !== undefined) return undefined;
    this.buildFile();
    const def = this.functionMacros.get(fn.text);
    const params = def ? namedArgs(def.childForFieldName('parameters')).map((p) => p.text) : [];
    const body = def ? this.macroBody(def)?.text : undefined;
    if (params.length !== 1 || !body || /#/.test(body) || !/^[A-Za-z_]\w*$/.test(params[0]!)) return undefined;
    const probe = '__zdio_rounded';
    const expanded = body.replace(/[A-Za-z_]\w*/g, (id) => (id === params[0] ? probe : id));
    const to = this.withSnippet(expanded, (e) => this.roundUpStep(e, probe));
    return to === undefined ? undefined : { ...ref, roundUpTo: to };
  }

  /** `(x + (K - 1)) & ~(K - 1)` with x the probe name and K a power of two: K. */
  private roundUpStep(expr: Node, probe: string): number | undefined {
    const e = stripParens(expr);
    if (e.type !== 'binary_expression' || e.childForFieldName('operator')?.text !== '&') return undefined;
    const sum = stripParens(e.childForFieldName('left') ?? e);
    const mask = e.childForFieldName('right');
    if (sum.type !== 'binary_expression' || sum.childForFieldName('operator')?.text !== '+' || !mask) return undefined;
    const l = sum.childForFieldName('left');
    const r = sum.childForFieldName('right');
    if (!l || !r) return undefined;
    const isProbe = (x: Node) => stripParens(stripCasts(x)).text === probe;
    const addend = isProbe(l) ? r : isProbe(r) ? l : undefined;
    const k = addend ? this.evalNumber(addend, undefined) : undefined;
    const m = this.evalNumber(mask, undefined);
    if (!k || !m) return undefined;
    const to = k.value + 1;
    return to > 1 && (to & (to - 1)) === 0 && m.value === -to ? to : undefined;
  }

  /**
   * A parameter (or a scaled or rounded one) plus a known number (`start_ + blocks * 512`, `pos - 512`):
   * each call's argument, with that number added, is the site's value.
   */
  offsetParamRefAt(node: Node, scope: Scope | undefined): ParamRef | undefined {
    const n = stripParens(stripCasts(node));
    const op = n.type === 'binary_expression' ? n.childForFieldName('operator')?.text : undefined;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if ((op !== '+' && op !== '-') || !l || !r) return undefined;
    for (const [p, k] of op === '+' ? [[l, r], [r, l]] : [[l, r]]) {
      const ref = this.paramRefAt(p!, scope) ?? this.scaledParamRefAt(p!, scope) ?? this.roundedParamRefAt(p!, scope);
      if (!ref || ref.atMost !== undefined || ref.plus !== undefined) continue;
      const known = this.evalNumber(k!, scope);
      if (!known || !Number.isSafeInteger(known.value)) return undefined;
      return { ...ref, plus: op === '+' ? known.value : -known.value };
    }
    return undefined;
  }

  /**
   * `pos + sz`, `size - sz` or `buf + sz` in the body of a loop, where `sz` is a local set to 0 before
   * the loop and changed only after this use in the body (the loop over short reads of a
   * `readblock(fd, buf, size, pos)` helper): on the first pass it is the parameter, and each call's
   * argument is the value of the loop's first read or write.
   */
  firstPassParamRefAt(node: Node, scope: Scope | undefined): ParamRef | undefined {
    if (!scope || scope.root.type !== 'function_definition') return undefined;
    const n = stripParens(stripCasts(node));
    const op = n.type === 'binary_expression' ? n.childForFieldName('operator')?.text : undefined;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if ((op !== '+' && op !== '-') || !l || !r) return undefined;
    for (const [p, z] of op === '+' ? [[l, r], [r, l]] : [[l, r]]) {
      const ref = this.paramRefAt(p!, scope) ?? this.scaledParamRefAt(p!, scope);
      if (ref && this.zeroOnFirstPass(z!, scope)) return ref;
    }
    return undefined;
  }

  /** Is this local 0 at its use on the first pass of the one loop around it in the function (see firstPassParamRefAt)? */
  private zeroOnFirstPass(node: Node, scope: Scope): boolean {
    const z = stripParens(stripCasts(node));
    const v = z.type === 'identifier' ? scope.vars.get(z.text) : undefined;
    if (!v || v.isParam) return false;
    let loop: Node | undefined;
    for (let p = z.parent; p && p.id !== scope.root.id; p = p.parent) {
      if (p.type !== 'while_statement' && p.type !== 'for_statement' && p.type !== 'do_statement') continue;
      if (loop) return false;   // a loop around the loop: its later passes start the inner one again
      loop = p;
    }
    const body = loop?.childForFieldName('body');
    if (!loop || !body || z.startIndex < body.startIndex || z.endIndex > body.endIndex) return false;
    const defs = scope.defs.get(z.text) ?? [];
    // changed in the loop before the use (or in its header): not the value the loop starts with
    if (defs.some((d) => d.pos >= loop.startIndex && d.pos < loop.endIndex && d.pos <= z.startIndex)) return false;
    const before = defs.filter((d) => d.pos < loop.startIndex);
    const start = before.length === 1 ? before[0]! : undefined;
    if (start?.kind !== 'assign' || !start.value || this.condOf(start, scope.root)) return false;
    return this.evalNumber(start.value, scope)?.value === 0;
  }

  /**
   * The smaller of a parameter (or a scaled one) and a known positive number: `MIN(len, WT_GIGABYTE)`
   * with a function-like macro of the `((a) < (b) ? (a) : (b))` kind, `std::min(len, kChunk)`, or that
   * conditional written out. Each call's argument, capped, is the site's value (a loop's first chunk).
   */
  cappedParamRefAt(node: Node, scope: Scope | undefined): ParamRef | undefined {
    const pair = this.minOperands(stripParens(stripCasts(node)));
    if (!pair) return undefined;
    for (const [p, k] of [pair, [pair[1], pair[0]]] as const) {
      const ref = this.paramRefAt(p, scope) ?? this.scaledParamRefAt(p, scope);
      if (!ref || ref.atMost !== undefined) continue;
      const cap = this.evalNumber(k, scope);
      if (!cap) {
        // `min(count, buffer_size)` with both parameters: the callers pass both
        const other = this.paramRefAt(k, scope);
        return other && other.fn === ref.fn && other.index !== ref.index && !other.part && !other.times ? { ...ref, atMostParam: other.index } : undefined;
      }
      if (!Number.isSafeInteger(cap.value) || cap.value <= 0) return undefined;
      return { ...ref, atMost: cap.value };
    }
    return undefined;
  }

  /** The two operands of a minimum: `a < b ? a : b` (or `>`, `<=`, `>=` with the arms to match), `std::min(a, b)`, `MIN(a, b)`. */
  private minOperands(n: Node): [Node, Node] | undefined {
    if (n.type === 'conditional_expression') {
      const cond = stripParens(n.childForFieldName('condition') ?? n);
      const c = n.childForFieldName('consequence');
      const alt = n.childForFieldName('alternative');
      if (cond.type !== 'binary_expression' || !c || !alt) return undefined;
      const op = cond.childForFieldName('operator')?.text;
      const l = cond.childForFieldName('left');
      const r = cond.childForFieldName('right');
      if (!l || !r) return undefined;
      const same = (x: Node, y: Node) => stripParens(x).text.replace(/\s+/g, '') === stripParens(y).text.replace(/\s+/g, '');
      const smallerFirst = op === '<' || op === '<=';
      const largerFirst = op === '>' || op === '>=';
      if ((smallerFirst && same(c, l) && same(alt, r)) || (largerFirst && same(c, r) && same(alt, l))) return [l, r];
      return undefined;
    }
    if (n.type !== 'call_expression') return undefined;
    const args = namedArgs(n.childForFieldName('arguments'));
    if (args.length !== 2) return undefined;
    const fn = n.childForFieldName('function');
    const name = fn?.type === 'qualified_identifier' ? fn.text.replace(/\s+/g, '') : fn?.type === 'identifier' || fn?.type === 'template_function' ? fn.text : undefined;
    if (name === 'std::min' || /^std::min\s*</.test(name ?? '')) return [args[0]!, args[1]!];
    if (fn?.type !== 'identifier') return undefined;
    this.buildFile();
    const def = this.functionMacros.get(fn.text);
    const params = def ? namedArgs(def.childForFieldName('parameters')).map((p) => p.text) : undefined;
    const body = def ? this.macroBody(def)?.text.replace(/\s+/g, '') : undefined;
    if (!params || params.length !== 2 || !body) return undefined;
    const [a, b] = params as [string, string];
    const arm = (x: string) => `\\(?${x}\\)?`;
    const min = new RegExp(`^\\(*(?:${arm(a)}<=?${arm(b)}\\?${arm(a)}:${arm(b)}|${arm(a)}>=?${arm(b)}\\?${arm(b)}:${arm(a)}`
      + `|${arm(b)}<=?${arm(a)}\\?${arm(b)}:${arm(a)}|${arm(b)}>=?${arm(a)}\\?${arm(a)}:${arm(b)})\\)*$`);
    return min.test(body) ? [args[0]!, args[1]!] : undefined;
  }

  /**
   * Can the parameter receive a descriptor opened with O_DIRECT from some call (directly, or through
   * callers that pass their own parameter on)? Then the helper's I/O is an O_DIRECT site on those calls.
   */
  paramMayBeODirect(ref: ParamRef, depth = 0): boolean {
    if (depth > 4) return false;
    if (this.dependencies) this.dependencies.callerFlow = true;
    return this.callsTo(ref.fn).some((call) => {
      const arg = namedArgs(call.childForFieldName('arguments'))[ref.index];
      if (!arg) return false;
      const scope = this.scopeFor(call);
      if (this.isODirectFd(arg, scope, arg)) return true;
      const up = this.paramRefAt(arg, scope);
      return !!up && up.fn !== ref.fn && this.paramMayBeODirect(up, depth + 1);
    });
  }

  /** The name of the function a node is in, as summaries key it (undefined outside a plain function). */
  enclosingFunctionName(node: Node): string | undefined {
    const root = this.scopeRootOf(node);
    return root.type === 'function_definition' ? functionName(root) : undefined;
  }

  /**
   * The file position of a descriptor just before a read/write/readv/writev `call` on it, followed in
   * the function from the `open` that set the descriptor: 0 after the open (and after O_APPEND with
   * O_TRUNC, as the file starts empty), moved by every read and write of a known length, set or moved
   * by lseek with a known offset. Every step must happen on the way to the call (not in a branch or a
   * loop it is not in; in the same loop, the first iteration counts). Anything else that takes the
   * descriptor (a helper, an unknown length, SEEK_END) makes the position unknown.
   */
  filePositionBefore(call: Node, fdNode: Node, scope: Scope, depth = 0): Evaluated | undefined {
    const r = this.positionBefore(call, fdNode, scope, depth);
    return r && 'value' in r ? r : undefined;
  }

  /**
   * The file position at `call` as an expression: `lseek(fd, offset, SEEK_SET)` dominating the call with
   * nothing that moves the position in between, in a function that got the descriptor from its caller
   * (`offset` may be a parameter that callers know). Undefined when it is known as a number, or unknown.
   */
  filePositionExpression(call: Node, fdNode: Node, scope: Scope): Node | undefined {
    const r = this.positionBefore(call, fdNode, scope, 0);
    return r && 'seekTo' in r ? r.seekTo : undefined;
  }

  /**
   * How far a read/write/readv/writev `call` on a descriptor the function received (parameter
   * `fdNode`) is from where the descriptor stood when the function started: every step from the body's
   * start to the call moves it by a known amount and none sets it (the callers' positions decide).
   */
  entryPositionDelta(call: Node, fdNode: Node, scope: Scope): { param: string; delta: number; global?: true } | undefined {
    if (scope.root.type !== 'function_definition') return undefined;
    const fd = stripCasts(fdNode);
    if (fd.type !== 'identifier') return undefined;
    // a parameter, or a file-scope descriptor (`ofd`) the function writes to where its caller left it
    const global = !scope.vars.has(fd.text) && !!this.globalVar(fd.text) && !this.globalVar(fd.text)!.isConst;
    if (!global && !scope.vars.get(fd.text)?.isParam) return undefined;
    if ((scope.defs.get(fd.text) ?? []).some((d) => d.pos <= call.startIndex && d.kind !== 'setfl')) return undefined;
    const body = scope.root.childForFieldName('body');
    if (!body) return undefined;
    // Known without the entry position: a seek set it, so the callers' positions do not matter.
    const absolute = this.positionWalk(call, fd.text, scope, 0, body.startIndex, undefined);
    if (absolute) return undefined;
    const relative = this.positionWalk(call, fd.text, scope, 0, body.startIndex, 0);
    return relative && 'value' in relative ? { param: fd.text, delta: relative.value, ...(global ? { global: true as const } : {}) } : undefined;
  }

  /** The file position of the file-scope descriptor `name` when `call` starts, followed in the caller from its open there. */
  globalPositionAt(call: Node, name: string): number | undefined {
    const scope = this.scopeFor(call);
    const body = scope.root.childForFieldName('body');
    if (scope.vars.has(name) || !body) return undefined;
    // a function of the file called before it that uses the descriptor itself may have moved it unseen
    const mentions = new RegExp(`\\b${name}\\b`);
    for (const m of this.text.slice(body.startIndex, call.startIndex).matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      const def = m[1] !== undefined ? this.functionDefinition(m[1]) : undefined;
      if (def && mentions.test(def.text)) return undefined;
    }
    const r = this.positionBefore(call, name, scope, 0);
    return r && 'value' in r ? r.value : undefined;
  }

  private positionBefore(call: Node, fdNode: Node | string, scope: Scope, depth: number): Evaluated | { seekTo: Node } | undefined {
    if (scope.root.type !== 'function_definition' || depth > MAX_DEPTH) return undefined;
    const fd = typeof fdNode === 'string' ? undefined : stripCasts(fdNode);
    if (fd && fd.type !== 'identifier') return undefined;
    const key = fd ? fd.text : fdNode as string;
    // `fcntl(fd, F_SETFL, …)` changes the descriptor's flags, not where it stands
    const defs = (scope.defs.get(key) ?? []).filter((d) => d.pos <= call.startIndex && d.kind !== 'setfl');
    const opened = defs[defs.length - 1];
    // A descriptor the function received: its position is unknown until a seek sets it.
    if (!opened && scope.vars.get(key)?.isParam) {
      const body = scope.root.childForFieldName('body');
      return body ? this.positionWalk(call, key, scope, depth, body.startIndex, undefined) : undefined;
    }
    // filled by a helper that opens it (`copy_create(env, path, &fd)`): where the helper left it
    if (opened?.kind === 'escape' && opened.node.type === 'call_expression' && dominates(this.condOf(opened, scope.root), call)) {
      const start = this.outParamPosition(opened.node, key, depth + 1);
      return start === undefined ? undefined : this.positionWalk(call, key, scope, depth, opened.pos, start);
    }
    if (!opened || opened.kind !== 'assign' || !opened.value || !dominates(this.condOf(opened, scope.root), call)) return undefined;
    const openCall = stripCasts(opened.value);
    const openName = openCall.type === 'call_expression' ? calleeName(openCall) : undefined;
    const flags = openName === 'creat' ? undefined : openFlagsArg(openName, namedArgs(openCall.childForFieldName('arguments')));
    if (openName !== 'creat' && !flags) return undefined;
    // O_APPEND without O_TRUNC appends at a size nobody knows; a seek does not move an appending write
    if (flags && /\bO_APPEND\b/.test(flags.text) && !/\bO_TRUNC\b/.test(flags.text)) return undefined;
    return this.positionWalk(call, key, scope, depth, opened.pos, 0, !!flags && /\bO_APPEND\b/.test(flags.text));
  }

  /**
   * The descriptor's uses from `from` to `call`, in order: each seek, read and write on every path to
   * the call moves the position (`initial` at `from`; undefined: unknown); one that only some paths
   * take, or a use the walk cannot follow, makes it unknown until a later `SEEK_SET` sets it again.
   * `appending`: writes go to the end whatever the seeks say, so a seek makes the position unknown.
   */
  private positionWalk(call: Node, key: string, scope: Scope, depth: number, from: number, initial: number | undefined, appending = false, toEnd = false): Evaluated | { seekTo: Node } | undefined {
    let pos = initial;
    let seekTo: Node | undefined;
    const ident = new RegExp(`\\b${key}\\b`, 'g');
    ident.lastIndex = from;
    for (let m = ident.exec(this.text); m && m.index < call.startIndex; m = ident.exec(this.text)) {
      tickBudget();
      const node = this.root.descendantForIndex(m.index, m.index + key.length);
      if (node?.type !== 'identifier' || node.startIndex !== m.index) continue;
      const argList = node.parent;
      const user = argList?.type === 'argument_list' ? argList.parent : undefined;
      if (user?.type !== 'call_expression') continue;   // a comparison, a declaration…: not a call with the descriptor
      const name = calleeName(user);
      if (name !== undefined && POSITION_NEUTRAL.has(name)) continue;
      // a use on a branch that returns before it could reach the call (`return writev(fd, …);` of an iovec mode);
      // walking to the end of a function, a returning use is on the way there
      if ((!toEnd && returnsBefore(user, call)) || otherBranch(user, call)) continue;
      const args = namedArgs(user.childForFieldName('arguments'));
      const unknown = () => { pos = undefined; seekTo = undefined; };
      // handed to a helper of this file: what the helper moves it by, for this call's arguments
      const helperArg = name !== undefined && !POSITION_CALLS.has(name) ? args.findIndex((a) => stripCasts(a).id === node.id) : -1;
      if (helperArg >= 0 && dominates(this.condOf({ kind: 'escape', pos: user.endIndex, node: user }, scope.root), call)) {
        const moved = pos === undefined ? undefined : this.helperMove(user, helperArg, depth + 1);
        if (moved !== undefined) pos! += moved; else unknown();
        continue;
      }
      // passed on in another position, or a step not every path to the call takes: who knows
      if (stripCasts(args[0] ?? user).id !== node.id || !dominates(this.condOf({ kind: 'escape', pos: user.endIndex, node: user }, scope.root), call)) { unknown(); continue; }
      if ((name === 'read' || name === 'write') && args.length === 3) {
        const n = this.evalNumber(args[2]!, scope, depth + 1);
        if (n && pos !== undefined) pos += n.value; else unknown();
        seekTo = undefined;
      } else if ((name === 'readv' || name === 'writev') && args.length === 3) {
        const n = this.iovecTotal(args[1]!, args[2]!, user, scope, depth + 1);
        if (n !== undefined && pos !== undefined) pos += n; else unknown();
        seekTo = undefined;
      } else if ((name === 'lseek' || name === 'lseek64') && args.length === 3 && !appending) {
        const n = this.evalNumber(args[1]!, scope, depth + 1);
        const whence = stripParens(args[2]!).text;
        if (whence === 'SEEK_SET' || whence === '0') { pos = n?.value; seekTo = n ? undefined : args[1]!; }
        else if ((whence === 'SEEK_CUR' || whence === '1') && n && pos !== undefined) pos += n.value;
        else unknown();
      } else {
        unknown();
      }
    }
    if (pos !== undefined) return { value: pos, text: 'the file position' };
    return seekTo ? { seekTo } : undefined;
  }

  /**
   * How far a helper of this file moves the descriptor `call` passes as its argument `index`: the
   * helper's reads, writes and seeks on that parameter from its start to its end, with its parameters
   * bound to the call's arguments (`write_header(fd)` with `write(fd, hdr, 4096)` inside: 4096). Every
   * step must be on every path; a `return` may end it early only on a branch that checks one of those
   * steps (`if (write(fd, …) != n) return -1;`, a failure, after which the caller's position does not
   * matter). Undefined when the move is not known.
   */
  private helperMove(call: Node, index: number, depth: number): number | undefined {
    const fnNode = call.childForFieldName('function');
    if (fnNode?.type !== 'identifier' || depth > MAX_DEPTH || this.numberFrames.length >= 3) return undefined;
    const def = this.functionDefinition(fnNode.text);
    const body = def?.childForFieldName('body');
    const end = body?.lastChild;
    if (!def || !body || end?.type !== '}' || this.evaluating.has('move:' + fnNode.text)) return undefined;
    const param = namedArgs(functionDeclarator(def)?.childForFieldName('parameters') ?? null)[index];
    const pname = param?.type === 'parameter_declaration' ? unwrapDeclarator(param.childForFieldName('declarator')).name?.text : undefined;
    const inner = this.scopeFor(body);
    if (!pname || !inner.vars.get(pname)?.isParam || (inner.defs.get(pname) ?? []).length) return undefined;
    this.readFunction(fnNode.text);
    this.noteTextRead(def.startIndex, def.endIndex);
    if (!this.returnsOnlyAtEndOrOnFailure(body, pname)) return undefined;
    this.evaluating.add('move:' + fnNode.text);
    this.numberFrames.push({ fn: def.id, values: this.argumentsOf(def, call) });
    try {
      const r = this.positionWalk(end, pname, inner, depth, body.startIndex, 0, false, true);
      return r && 'value' in r ? r.value : undefined;
    } finally {
      this.numberFrames.pop();
      this.evaluating.delete('move:' + fnNode.text);
    }
  }

  /** Every `return` of `body` is its last statement, or on a branch of an `if` whose condition uses the descriptor `fd` (a failed step). */
  private returnsOnlyAtEndOrOnFailure(body: Node, fd: string): boolean {
    const statements = body.namedChildren.filter((c) => c.type !== 'comment');
    const last = statements[statements.length - 1];
    const usesFd = new RegExp(`\\b${fd}\\b`);
    let ok = true;
    walkTree(body, (type, get) => {
      if (!ok) return false;
      if (type === 'lambda_expression' || type === 'goto_statement') { if (type === 'goto_statement') ok = false; return false; }
      if (type !== 'return_statement') return true;
      const ret = get();
      if (last && ret.id === last.id) return false;
      let branch: Node | null = ret.parent;
      while (branch && branch.type !== 'if_statement' && branch.id !== body.id) branch = branch.parent;
      const cond = branch?.type === 'if_statement' ? branch.childForFieldName('condition') : null;
      if (!cond || !usesFd.test(cond.text)) ok = false;
      return false;
    });
    return ok;
  }

  /**
   * An `fcntl(fd, F_SETFL, fl & ~O_DIRECT)` before `use` that only runs when a parameter compares with a
   * known value (`if ((flags & O_DIRECT) && size < COPY_BLOCK) { …; fcntl(ofd, F_SETFL, old & ~O_DIRECT); }`):
   * the clear (where the descriptor's O_DIRECT is judged before it) and that comparison, the parameter
   * on the left. Undefined when another conjunct of the condition is not about O_DIRECT itself, when
   * there is more than one clear, or when one clears on every path.
   */
  conditionalClear(fd: Node, scope: Scope, use: Node): { at: Node; when: NonNullable<SiteFacts['bufferedWhen']> } | undefined {
    const key = accessKey(stripCasts(fd));
    if (key === undefined) return undefined;
    const clears = (scope.defs.get(key) ?? []).filter((d) => d.kind === 'setfl' && d.pos <= use.startIndex && !!d.value && mentionsNegatedODirect(d.value));
    const clear = clears.length === 1 ? clears[0]! : undefined;
    if (!clear || dominates(this.condOf(clear, scope.root), use)) return undefined;
    let branch: Node | undefined;
    for (let n: Node | null = clear.node, child: Node | null = null; n && n.id !== scope.root.id; child = n, n = n.parent) {
      if (n.type === 'if_statement' && child && n.childForFieldName('consequence')?.id === child.id) { branch = n; break; }
    }
    const cond = branch?.childForFieldName('condition');
    if (!branch || !cond || (branch.startIndex <= use.startIndex && use.endIndex <= branch.endIndex)) return undefined;
    const conjuncts: Node[] = [];
    const split = (n: Node): void => {
      const e = stripParens(n);
      if (e.type === 'binary_expression' && e.childForFieldName('operator')?.text === '&&') { split(e.childForFieldName('left')!); split(e.childForFieldName('right')!); } else conjuncts.push(e);
    };
    split(cond);
    const FLIP = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const;
    let when: NonNullable<SiteFacts['bufferedWhen']> | undefined;
    for (const c of conjuncts) {
      const op = c.type === 'binary_expression' ? c.childForFieldName('operator')?.text : undefined;
      const l = c.childForFieldName('left');
      const r = c.childForFieldName('right');
      const compared = op && op in FLIP && l && r ? ([[l, r, op], [r, l, FLIP[op as keyof typeof FLIP]]] as const).find(([p, k]) => {
        const ref = this.paramRefAt(p, scope);
        return !!ref && !ref.part && !ref.times && !!this.evalNumber(k, scope);
      }) : undefined;
      if (compared && !when) {
        when = { param: this.paramRefAt(compared[0], scope)!, op: compared[2] as keyof typeof FLIP, value: this.evalNumber(compared[1], scope)!.value, condition: c.text };
      } else if (!/\bO_DIRECT\b/.test(c.text)) {
        return undefined;   // the clear also depends on something no call decides
      }
    }
    return when ? { at: clear.node, when } : undefined;
  }

  /** The bytes `readv`/`writev(fd, iov, count)` move: the sum of the first `count` `iov_len`s at `use`, when all are known. */
  private iovecTotal(iovArg: Node, countArg: Node, use: Node, scope: Scope, depth: number): number | undefined {
    const count = this.evalNumber(countArg, scope, depth);
    if (!count || count.value < 1 || count.value > 64) return undefined;
    const iov = stripCasts(iovArg);
    const base = iov.type === 'pointer_expression' && iov.text.startsWith('&') ? accessKey(iov.childForFieldName('argument')!) : accessKey(iov);
    if (base === undefined) return undefined;
    let total = 0;
    for (let i = 0; i < count.value; i++) {
      const key = iov.type === 'pointer_expression' ? (count.value === 1 ? `${base}.iov_len` : undefined) : `${base}[${i}].iov_len`;
      const v = key !== undefined ? this.evalKey(key, use, scope, depth + 1) : undefined;
      if (!v) return undefined;
      total += v.value;
    }
    return total;
  }

  /** The expression assigned to `key` that reaches `use` when exactly one plain assignment does. */
  assignedValue(key: string, use: Node, scope: Scope): Node | undefined {
    const sources = this.reaching(scope, key, use, 'value');
    return sources?.length === 1 && sources[0]!.kind === 'expr' && !sources[0]!.name ? sources[0]!.node : undefined;
  }

  /** Calls of a plain function name in this file (not member calls, not the definition). */
  callsTo(name: string): Node[] {
    // the same names are asked for by every site of a helper: one look at the text per name
    const memo = this.callsMemo.get(name);
    if (memo) return memo;
    const out: Node[] = [];
    this.callsMemo.set(name, out);
    const memberOnly = name.startsWith('.');
    const bare = memberOnly ? name.slice(1) : name;
    const re = new RegExp(`\\b${bare.replace(/\W/g, '')}\\s*\\(`, 'g');
    let m: RegExpExecArray | null;
    while (!memberOnly && (m = re.exec(this.text)) !== null && out.length < 1000) {
      const ident = this.root.descendantForIndex(m.index, m.index + bare.length);
      if (!ident || ident.type !== 'identifier' || ident.startIndex !== m.index || ident.endIndex !== m.index + bare.length) continue;
      const call = ident.parent;
      if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === ident.id) out.push(call);
      // `io::make_reader(…)`: a function of a namespace of this file, called by its qualified name
      else if (call?.type === 'qualified_identifier' && call.childForFieldName('name')?.id === ident.id
        && call.parent?.type === 'call_expression' && call.parent.childForFieldName('function')?.id === call.id) out.push(call.parent);
    }
    // A member function is also called through an object: `dev.write_label(…)`, `this->flush(…)`.
    const def = this.functionDefinition(name);
    if (def && isMemberFunction(def)) {
      re.lastIndex = 0;
      while ((m = re.exec(this.text)) !== null && out.length < 1000) {
        const field = this.root.descendantForIndex(m.index, m.index + bare.length);
        if (!field || field.type !== 'field_identifier' || field.startIndex !== m.index || field.endIndex !== m.index + bare.length) continue;
        const access = field.parent;
        const call = access?.parent;
        if (access?.type === 'field_expression' && access.childForFieldName('field')?.id === field.id
          && call?.type === 'call_expression' && call.childForFieldName('function')?.id === access.id) out.push(call);
      }
      out.sort((a, b) => a.startIndex - b.startIndex);
    }
    // A C++ constructor defined in its class is called by `new C(…)` and `std::make_unique<C>(…)` /
    // `make_shared<C>(…)` too, with the same arguments (`C(…)` built in place is found above).
    if (def && !memberOnly && constructorClass(def) === name) {
      const built = new RegExp(`(?:\\bnew\\s+(?:\\w+::)*|\\bmake_(?:unique|shared)\\s*<\\s*(?:\\w+::)*)${name.replace(/\W/g, '')}\\b`, 'g');
      while ((m = built.exec(this.text)) !== null && out.length < 1000) {
        const at = m.index + m[0].length - name.length;
        let n: Node | null = this.root.descendantForIndex(at, at + name.length);
        for (let i = 0; n && i < 6 && n.type !== 'new_expression' && n.type !== 'call_expression'; i++) n = n.parent;
        if (n?.childForFieldName('arguments')?.type === 'argument_list') out.push(n);
      }
      out.sort((a, b) => a.startIndex - b.startIndex);
    }
    // Called through a function-pointer field that only ever holds it: `ops->write(…)` with
    // `.write = name` in a table of operations.
    const viaFields = this.pointerFieldsHolding(name);
    if (viaFields.length) {
      const fields = new RegExp(`\\b(${viaFields.join('|')})\\s*\\(`, 'g');
      while ((m = fields.exec(this.text)) !== null && out.length < 1000) {
        const field = this.root.descendantForIndex(m.index, m.index + m[1]!.length);
        if (!field || field.type !== 'field_identifier' || field.startIndex !== m.index) continue;
        const access = field.parent;
        const call = access?.parent;
        if (access?.type === 'field_expression' && access.childForFieldName('field')?.id === field.id
          && call?.type === 'call_expression' && call.childForFieldName('function')?.id === access.id) out.push(call);
      }
      out.sort((a, b) => a.startIndex - b.startIndex);
    }
    return out;
  }

  /**
   * The struct fields that are set to the function `name` (`.write = name` in an initializer,
   * `ops->write = name;`) and otherwise only to other functions of this file (the engines of an
   * operations table: `e->issue = async_issue` in one constructor, `sync_issue` in another): a call
   * through such a field may be a call of `name`, as the program may pick either.
   */
  private pointerFieldsHolding(name: string): string[] {
    if (!/^[A-Za-z_]\w*$/.test(name) || !this.functionDefinition(name)) return [];
    // No field is set to the function anywhere: nothing to find. An edit that adds such a binding names
    // the function, and a site resolved through its callers is re-evaluated when an edit names one of
    // them (SiteDependencies.callerFlow), so only a file that has a binding is a whole-file read.
    if (!new RegExp(`=\\s*&?\\s*${name}\\s*[,;}]`).test(this.text)) return [];
    const out: string[] = [];
    for (const [field, values] of this.functionFields()) if (values.includes(name)) out.push(field);
    return out;
  }

  /**
   * The functions of this file a function-pointer field may hold (`.read = disk_read`, `e->issue =
   * sync_issue;`), by field name: only fields set to at most MAX_FIELD_FUNCTIONS names, every one a
   * function defined in the file.
   */
  functionFields(): ReadonlyMap<string, readonly string[]> {
    // any edit may bind a field to a function
    this.noteTextRead(0, this.text.length);
    if (this.functionFieldsMemo) return this.functionFieldsMemo;
    const bindings = new Map<string, Set<string>>();
    const re = /(?:\.|->)\s*([A-Za-z_]\w*)\s*=(?!=)\s*&?\s*([A-Za-z_]\w*)\s*[,;}]/g;
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      tickBudget();
      const field = this.root.descendantForIndex(m.index + m[0].indexOf(m[1]!), m.index + m[0].indexOf(m[1]!) + m[1]!.length);
      const holder = field?.parent;
      const designated = holder?.type === 'field_designator' && holder.parent?.type === 'initializer_pair';
      const assigned = holder?.type === 'field_expression' && holder.parent?.type === 'assignment_expression';
      if (!designated && !assigned) continue;
      let set = bindings.get(m[1]!);
      if (!set) bindings.set(m[1]!, (set = new Set()));
      set.add(m[2]!);
    }
    const out = new Map<string, string[]>();
    for (const [field, values] of bindings) {
      if (values.size <= MAX_FIELD_FUNCTIONS && [...values].every((v) => this.functionDefinition(v))) out.set(field, [...values]);
    }
    this.functionFieldsMemo = out;
    return out;
  }

  private functionFieldsMemo?: Map<string, string[]>;

  /**
   * The C++ constructors of this file that have a body, each with its class's name: defined in the class
   * (`File(int fd) : fd_(fd) {}`) or out of it (`File::File(int fd) { … }`). Deleted and defaulted ones
   * (`File(const File&) = delete;`) are left out: they set no member from a parameter.
   */
  constructorDefinitions(): { cls: string; fn: Node }[] {
    const out: { cls: string; fn: Node }[] = [];
    for (const fn of fileScopeFunctionDefinitions(this.root)) {
      if (fn.childForFieldName('body')?.type !== 'compound_statement') continue;
      const inClass = constructorClass(fn);
      const name = functionDeclarator(fn)?.childForFieldName('declarator');
      const outOfClass = name?.type === 'qualified_identifier' ? name.childForFieldName('scope')?.text.split('::').pop() : undefined;
      const cls = inClass ?? (outOfClass && outOfClass === name?.childForFieldName('name')?.text ? outOfClass : undefined);
      if (cls) out.push({ cls, fn });
      if (out.length >= 64) break;
    }
    return out;
  }

  /**
   * The argument lists of `new C(…)`, `std::make_unique<C>(…)` / `make_shared<C>(…)`, and of C built in
   * place: `return C(fd, …);`, `C(fd)` as an argument, `C obj(fd);` and `C obj{fd};` (at most MAX_CONSTRUCTIONS).
   */
  constructions(cls: string): Node[][] {
    const text = this.text;
    const out: Node[][] = [];
    const re = new RegExp(`(?:\\bnew\\s+(?:\\w+::)*|\\bmake_(?:unique|shared)\\s*<\\s*(?:\\w+::)*)${cls}\\b`, 'g');
    for (let m = re.exec(text); m && out.length < MAX_CONSTRUCTIONS; m = re.exec(text)) {
      const at = m.index + m[0].length - cls.length;
      let n: Node | null = this.root.descendantForIndex(at, at + cls.length);
      for (let i = 0; n && i < 6 && n.type !== 'new_expression' && n.type !== 'call_expression'; i++) n = n.parent;
      if (!n) continue;
      const args = n.childForFieldName('arguments');
      if (args) out.push(namedArgs(args));
    }
    const inPlace = new RegExp(`\\b${cls}\\s*(?:\\(|[A-Za-z_]\\w*\\s*[({])`, 'g');
    for (let m = inPlace.exec(text); m && out.length < MAX_CONSTRUCTIONS; m = inPlace.exec(text)) {
      const name = this.root.descendantForIndex(m.index, m.index + cls.length);
      if (name?.text !== cls) continue;
      // `ns::C obj(fd);`: the type is the qualified name
      const qualified = name.parent?.type === 'qualified_identifier'
        && name.parent.childForFieldName('name')?.id === name.id ? name.parent : undefined;
      const type = qualified ?? name;
      const parent = type.parent;
      // `C(fd, …)`, `ns::C(fd, …)`: a call whose callee is the class name (not the constructor's own declarator)
      if (parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === type.id) {
        const args = parent.childForFieldName('arguments');
        if (args) out.push(namedArgs(args));
        continue;
      }
      // `C obj(fd);` / `C obj{fd};`: a declaration of the class's type with constructor arguments
      if (name.type === 'type_identifier' && parent?.type === 'declaration' && parent.childForFieldName('type')?.id === type.id) {
        for (const d of parent.childrenForFieldName('declarator')) {
          const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
          if (value?.type === 'argument_list' || value?.type === 'initializer_list') out.push(namedArgs(value));
          // `C obj(fd);` in a function body parses as a function declaration (the most vexing parse):
          // each "parameter" that is a bare name is the argument, read as the local or global it names
          else if (d.type === 'function_declarator' && this.scopeRootOf(parent).type === 'function_definition') {
            const params = namedArgs(d.childForFieldName('parameters'));
            // anything else (`argv[1]` read as an array parameter) stays as it parsed: no descriptor the file knows
            out.push(params.map((p) => {
              const t = p.type === 'parameter_declaration' && !p.childForFieldName('declarator') ? p.childForFieldName('type') : null;
              return t?.type === 'type_identifier' ? t : p;
            }));
          }
        }
      }
    }
    return out;
  }

  /**
   * The function of this file that a call reaches when calleeName does not name it: a member function
   * called through an object (`disk_.fd()`, `this->fd()`), or a function of a namespace or class of
   * this file called by its qualified name (`cache::open_span(p)`). A member function counts by its bare
   * name, as callsTo finds its calls, so only a name that one definition of the file has.
   */
  fileFunctionCalled(call: Node): string | undefined {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'field_expression') {
      const field = fn.childForFieldName('field');
      if (field?.type !== 'field_identifier') return undefined;
      const name = LIBRARY_CALL_NAMES.test(field.text) ? memberOnlyName(field.text) : field.text;
      const def = this.functionDefinition(name);
      return def && isMemberFunction(def) ? name : undefined;
    }
    if (fn?.type !== 'qualified_identifier') return undefined;
    const name = fn.childForFieldName('name');
    const owner = fn.childForFieldName('scope')?.text.split('::').pop();
    const def = name?.type === 'identifier' ? this.functionDefinition(name.text) : undefined;
    if (!def || !owner) return undefined;
    // defined in that namespace or class
    for (let p = def.parent; p; p = p.parent) {
      if ((p.type === 'namespace_definition' || p.type === 'class_specifier' || p.type === 'struct_specifier') && p.childForFieldName('name')?.text === owner) return name!.text;
    }
    return undefined;
  }

  /** The definition of a plain function of this file with that name, if there is exactly one. */
  functionDefinition(name: string): Node | undefined {
    this.buildFunctionDefinitions();
    return this.functionDefs.get(name) ?? undefined;
  }

  /** The plain name of the function definition of the file's scope that starts at `start`, if any. */
  functionNameAt(start: number): string | undefined {
    this.buildFunctionDefinitions();
    return this.functionNamesByStart.get(start);
  }

  private buildFunctionDefinitions(): void {
    if (this.functionDefsBuilt) return;
    this.functionDefsBuilt = true;
    // A walk over the nodes that can hold a definition (the file, preprocessor blocks, namespaces,
    // extern "C" blocks, templates), never into a function body: a query over the whole tree visited
    // every node of the file on each edit, which was most of an edit's analysis in a large file.
    const names = definitionNameCache(this.root);
    for (const def of fileScopeFunctionDefinitions(this.root)) {
      // The name is read from the tree once per distinct definition text: an edit changes one definition,
      // and asking the tree for every other one's declarator on each keystroke cost more than the walk.
      const key = this.text.slice(def.startIndex, def.endIndex);
      let n = names.get(key);
      if (n === undefined) {
        n = functionName(def) ?? null;
        if (names.size >= DEFINITION_NAME_CACHE_SIZE) names.clear();
        // A copy, not the slice: a slice keeps the whole document's text alive as long as the entry.
        names.set(JSON.parse(JSON.stringify(key)) as string, n);
      }
      if (n === null) continue;
      this.functionNamesByStart.set(def.startIndex, n);
      // Several definitions (#ifdef variants): do not guess.
      this.functionDefs.set(n, this.functionDefs.has(n) ? null : def);
    }
  }

  private setflHasODirect(call: Node, scope: Scope): boolean {
    const args = namedArgs(call.childForFieldName('arguments'));
    return args.length === 3 && this.hasODirect(args[2]!, scope, call, 1);
  }


  // ---------------------------------------------------------------- tables of cases

  private structsMemo?: Map<string, StructFields | null>;

  /**
   * A table of cases: an array (or C++ vector/array) variable whose initializer lists its rows, each row
   * an initializer list (a struct, a tuple or a pair). Only the first MAX_TABLE_ROWS rows are kept.
   */
  tableOf(name: string, scope: Scope | undefined): TableInfo | undefined {
    const local = scope?.vars.get(name);
    const v = local ?? this.globalVar(name);
    if (!v || v.isParam || !v.init) return undefined;
    const isArray = declaratorIsArray(v.declarator);
    const container = /^(?:std::)?(?:vector|array)\s*</.test(v.typeText);
    if (!isArray && !container) return undefined;
    let list = stripCasts(v.init);
    // `std::array<T, N> t = {{ … }}`: the outer braces hold the inner array
    if (container && list.type === 'initializer_list') {
      const only = namedArgs(list);
      if (only.length === 1 && only[0]!.type === 'initializer_list' && namedArgs(only[0]!).every((r) => r.type === 'initializer_list')) list = only[0]!;
    }
    if (list.type !== 'initializer_list') return undefined;
    const rows: Node[] = [];
    for (const item of namedArgs(list)) {
      if (rows.length >= MAX_TABLE_ROWS) break;
      if (item.type !== 'initializer_list') return undefined;   // designated rows, a non-list row: not a plain table
      rows.push(item);
    }
    if (!rows.length) return undefined;
    const elementType = isArray ? v.declNode.childForFieldName('type') : null;
    const element = container ? /<\s*(?:const\s+)?(?:struct\s+)?([A-Za-z_][\w:]*)/.exec(v.typeText)?.[1] : undefined;
    const struct = elementType ? this.structOfType(elementType) : element ? this.structNamed(element.replace(/^.*::/, '')) : undefined;
    return { name, v, rows, struct, scope: local ? scope : undefined };
  }

  /** The fields of the struct a type node names or defines (`struct tcase {…}`, `struct tcase`, a typedef name). */
  private structOfType(type: Node): StructFields | undefined {
    if ((type.type === 'struct_specifier' || type.type === 'class_specifier') && type.childForFieldName('body')) return fieldsOf(type.childForFieldName('body')!);
    const name = type.type === 'struct_specifier' || type.type === 'class_specifier' ? type.childForFieldName('name')?.text : type.type === 'type_identifier' ? type.text : undefined;
    return name ? this.structNamed(name) : undefined;
  }

  private structNamed(name: string): StructFields | undefined {
    if (!this.structsMemo) {
      const found = new Map<string, StructFields | null>();
      const add = (n: string | undefined, body: Node | null): void => {
        if (!n || !body) return;
        // two definitions (#ifdef): do not guess
        found.set(n, found.has(n) ? null : { ...fieldsOf(body), constructed: new RegExp(`\\b${n}\\s*\\(`).test(body.text) });
      };
      walkNodes(this.root, (node) => {
        if (node.type === 'struct_specifier' || node.type === 'class_specifier') add(node.childForFieldName('name')?.text, node.childForFieldName('body'));
        else if (node.type === 'type_definition') {
          const t = node.childForFieldName('type');
          const d = node.childForFieldName('declarator');
          if (t && (t.type === 'struct_specifier' || t.type === 'class_specifier') && d?.type === 'type_identifier') add(d.text, t.childForFieldName('body'));
        }
      });
      this.structsMemo = found;
    }
    return this.structsMemo.get(name) ?? undefined;
  }

  /** The item of a row (an initializer list) that fills `field`, positional or designated, by C's rules. */
  private rowItem(row: RowRef, field: string | number): RowRef | Node | undefined {
    const items = namedArgs(row.list);
    const order = row.struct?.names;
    const wanted = typeof field === 'number' ? field : order?.indexOf(field) ?? -1;
    let at = 0;
    for (const it of items) {
      if (it.type === 'initializer_pair') {
        const des = it.childForFieldName('designator')?.text.replace(/^\./, '');
        if (des === undefined || !order?.includes(des)) return undefined;
        at = order.indexOf(des);
        if (at === wanted) return this.asRow(it.childForFieldName('value'), row.struct, at);
        at++;
        continue;
      }
      if (at === wanted) return this.asRow(it, row.struct, at);
      at++;
    }
    return undefined;   // a missing member is zero, but a zero descriptor or buffer says nothing useful
  }

  /** A row item; a nested initializer list becomes a row of the field's own struct type. */
  private asRow(item: Node | null, struct: StructFields | undefined, at: number): RowRef | Node | undefined {
    if (!item) return undefined;
    if (item.type !== 'initializer_list') return item;
    const type = struct?.types[at];
    return { list: item, struct: type ? this.structOfType(type) : undefined };
  }

  /** The bound row of the table, as a RowRef. */
  private boundRow(): RowRef {
    const b = this.row!;
    return { list: b.table.rows[b.row]!, struct: b.table.struct };
  }

  /** Is `n` the bound table itself (not a local of the same name)? */
  private isBoundTable(n: Node, scope: Scope): boolean {
    const b = this.row!;
    if (n.type !== 'identifier' || n.text !== b.table.name) return false;
    return b.table.scope ? scope.vars.get(n.text) === b.table.v : !scope.vars.has(n.text);
  }

  /**
   * The expression of the bound row that `node` reads (`tc->count`, `tcases[i].count`, `*tc->fd` through
   * the row's `&fd`, a structured binding's name), with the scope to evaluate it in; undefined when
   * `node` does not read the row. Only in the function the binding is for.
   */
  rowExpr(node: Node, scope: Scope | undefined, depth = 0): { node: Node; scope: Scope | undefined } | undefined {
    const b = this.row;
    if (!b || !scope || scope.root.id !== b.fn.id || depth > 16) return undefined;
    const n = stripCasts(node);
    let item: RowRef | Node | undefined;
    if (n.type === 'field_expression') {
      item = this.rowField(n, scope, depth + 1);
    } else if (n.type === 'pointer_expression' && n.childForFieldName('operator')?.type === '*') {
      const inner = this.rowExpr(n.childForFieldName('argument')!, scope, depth + 1);
      const p = inner ? stripCasts(inner.node) : undefined;
      const target = p?.type === 'pointer_expression' && p.childForFieldName('operator')?.type === '&' ? p.childForFieldName('argument') : null;
      return target ? { node: target, scope: inner!.scope } : undefined;
    } else if (n.type === 'identifier' && b.elements) {
      const at = b.elements.indexOf(n.text);
      if (at >= 0) item = this.rowItem(this.boundRow(), at);
    }
    if (!item || !('type' in item)) return undefined;
    this.rowTouches.push(item);
    return { node: item, scope: b.table.scope };
  }

  /** The row `n` stands for: `tcases[i]`, `*tc`, `tc[0]`, the loop's element, a local copy of one of these. */
  private rowOf(node: Node, scope: Scope, depth: number): RowRef | undefined {
    if (depth > 16) return undefined;
    const b = this.row!;
    const n = stripCasts(node);
    switch (n.type) {
      case 'subscript_expression': {
        const arg = n.childForFieldName('argument');
        const idx = n.childForFieldName('index') ?? n.childForFieldName('indices');
        if (!arg || !idx) return undefined;
        const index = stripParens(idx.type === 'subscript_argument_list' ? (firstNamed(idx) ?? idx) : idx);
        if (this.isBoundTable(stripParens(arg), scope)) return b.index !== undefined && index.text === b.index ? this.boundRow() : undefined;
        return parseIntegerLiteral(index.text) === 0 ? this.rowPointee(arg, scope, depth + 1) : undefined;
      }
      case 'pointer_expression':
        return n.childForFieldName('operator')?.type === '*' ? this.rowPointee(n.childForFieldName('argument')!, scope, depth + 1) : undefined;
      case 'identifier': {
        if (b.element === n.text) return this.boundRow();
        const s = this.singleSource(n, scope);
        return s ? this.rowOf(s, scope, depth + 1) : undefined;
      }
      case 'field_expression': {
        const item = this.rowField(n, scope, depth + 1);
        return item && !('type' in item) ? item : undefined;
      }
      default: return undefined;
    }
  }

  /** The item of the bound row that a field access reads (`tc->count`, `tcases[i].range.len`). */
  private rowField(n: Node, scope: Scope, depth: number): RowRef | Node | undefined {
    // a field the function writes itself holds that write's value
    const key = accessKey(n);
    if (key !== undefined && scope.defs.get(key)?.some((d) => d.pos <= n.startIndex)) return undefined;
    const arg = n.childForFieldName('argument');
    const field = n.childForFieldName('field')?.text;
    if (!arg || !field) return undefined;
    const row = n.childForFieldName('operator')?.type === '->' ? this.rowPointee(arg, scope, depth + 1) : this.rowOf(arg, scope, depth + 1);
    return row ? this.rowItem(row, field) : undefined;
  }

  /** The row `n` points to: `&tcases[i]`, `tcases + i`, the walked pointer, a local holding one of these. */
  private rowPointee(node: Node, scope: Scope, depth: number): RowRef | undefined {
    if (depth > 16) return undefined;
    const b = this.row!;
    const n = stripCasts(node);
    switch (n.type) {
      case 'identifier': {
        if (b.pointer === n.text) return this.boundRow();
        const s = this.singleSource(n, scope);
        return s ? this.rowPointee(s, scope, depth + 1) : undefined;
      }
      case 'pointer_expression':
        return n.childForFieldName('operator')?.type === '&' ? this.rowOf(n.childForFieldName('argument')!, scope, depth + 1) : undefined;
      case 'binary_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (n.childForFieldName('operator')?.type !== '+' || !l || !r || !this.isBoundTable(stripParens(l), scope)) return undefined;
        return b.index !== undefined && stripParens(r).text === b.index ? this.boundRow() : undefined;
      }
      default: return undefined;
    }
  }

  /** The one expression a local holds at `use` (its single reaching plain assignment), if any. */
  private singleSource(use: Node, scope: Scope): Node | undefined {
    const sources = this.reaching(scope, use.text, use, 'value');
    const s = sources?.length === 1 ? sources[0]! : undefined;
    return s?.kind === 'expr' && !s.name && s.scope === scope ? s.node : undefined;
  }

  // ---------------------------------------------------------------- buffers

  originOf(node: Node, scope: Scope | undefined, depth = 0): BufferOrigin {
    const unknown: BufferOrigin = { state: 'unknown', origin: compact(node.text) };
    tickBudget();
    if (depth > MAX_DEPTH) return this.cutShort(unknown);
    const n = stripCasts(node);
    if (this.row) {
      const item = this.rowExpr(n, scope);
      if (item) return this.originOf(item.node, item.scope, depth + 1);
    }
    switch (n.type) {
      case 'string_literal': case 'raw_string_literal': case 'concatenated_string':
        return { state: 'unaligned', origin: 'a string literal' };
      case 'call_expression': return this.originOfCall(n, scope, depth);
      case 'new_expression': return this.originOfNew(n, scope, depth);
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.text;
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if ((op !== '+' && op !== '-') || !l || !r) return unknown;
        const base = this.originOf(l, scope, depth + 1);
        const k = this.evalNumber(r, scope, depth + 1);
        const scale = this.pointeeSize(l, scope);
        return withOffset(base, k && scale !== undefined ? (op === '-' ? -k.value : k.value) * scale : undefined, n.text);
      }
      case 'pointer_expression': {
        const op = n.childForFieldName('operator')?.text;
        const arg = n.childForFieldName('argument');
        if (op !== '&' || !arg) return unknown;
        const a = stripParens(arg);
        if (a.type === 'subscript_expression') {
          const base = a.childForFieldName('argument');
          const idxNode = a.childForFieldName('index') ?? a.childForFieldName('indices');
          if (!base || !idxNode) return unknown;
          const idx = this.evalNumber(idxNode.type === 'subscript_argument_list' ? (firstNamed(idxNode) ?? idxNode) : idxNode, scope, depth + 1);
          const scale = this.elementSize(base, scope);
          const origin = this.originOf(base, scope, depth + 1);
          return withOffset(origin, idx && scale !== undefined ? idx.value * scale : undefined, n.text);
        }
        if (a.type === 'identifier') {
          const v = this.varInfo(a.text, scope);
          if (v && v.arrayDims.length && !v.isParam) return this.arrayOrigin(v, depth);
          // A struct variable of a type laid out here with no alignment of its own, nor on the variable:
          // its address is aligned to its largest member, far below a page.
          if (v && !v.isParam && !v.arrayDims.length && v.pointerDepth === 0 && v.alignText === undefined && v.declarator.type !== 'reference_declarator') {
            const layout = this.layoutOfTypeText(v.typeText, depth + 1);
            if (layout && layout.align < 512) return { state: 'unaligned', origin: `variable ${v.typeText} ${v.name}` };
          }
        }
        return unknown;
      }
      case 'identifier': case 'field_expression': case 'subscript_expression': case 'qualified_identifier': {
        if (n.type === 'identifier' || n.type === 'qualified_identifier') {
          const name = accessKey(n);
          const v = name ? this.varInfo(name, scope) : undefined;
          if (v && v.arrayDims.length && !v.isParam) return this.arrayOrigin(v, depth);
        }
        const key = accessKey(n);
        if (key === undefined) return unknown;
        if (scope) {
          const sources = this.reaching(scope, key, n, 'value');
          if (sources) return this.combineOrigins(sources, depth, unknown);
          if (scope.vars.has(key.replace(/[.[].*$/, ''))) return unknown;
        }
        const g = /^[A-Za-z_]\w*$/.test(key) ? this.globalVar(key) : undefined;
        const init = g ? this.stableInit(key) : undefined;
        if (init) return this.originOf(init, undefined, depth + 1);
        const main = this.mainFunction();
        const fromMain = g && !(main && scope?.root.id === main.id) ? this.setOnceInMain(g) : undefined;
        if (!fromMain || scope?.root.id === fromMain.fn.id) return unknown;
        return this.inWriter(fromMain, scope, () => this.originOfKey(key, fromMain.end, fromMain.scope)) ?? unknown;
      }
      default: return unknown;
    }
  }

  private combineOrigins(sources: Source[], depth: number, unknown: BufferOrigin): BufferOrigin {
    const origins: BufferOrigin[] = [];
    for (const s of sources) {
      if (s.kind === 'memalign') origins.push(this.memalignOrigin(s.def, s.scope, depth));
      else if (s.kind === 'expr' && !s.name) origins.push(this.originOf(s.node, s.scope, depth + 1));
      else return unknown;
      if (origins[origins.length - 1]!.state === 'unknown') return unknown;
    }
    return mergeOrigins(origins, unknown);
  }

  private memalignOrigin(def: Def, scope: Scope, depth: number): BufferOrigin {
    const align = def.align ? this.alignmentOf(def.align, scope, depth) : undefined;
    const size = def.size ? this.evalNumber(def.size, scope, depth + 1) : undefined;
    const origin = `posix_memalign(${align?.text ?? '?'}${size ? `, ${size.value}` : ''})`;
    if (!align) return { state: 'unknown', origin };
    return withCapacity({ state: 'aligned', origin, alignment: align.value, alignedToPage: align.page || undefined }, this.capacityOf(def.size, scope, depth));
  }

  /**
   * The capacity of an allocation of `arg` elements of `scale` bytes. The size can be grown where it is
   * spelled: a literal argument, or a named constant that is the whole argument.
   */
  private capacityOf(arg: Node | undefined, scope: Scope | undefined, depth: number, scale = 1): BufferCapacity | undefined {
    if (!arg) return undefined;
    const r = this.evalNumber(arg, scope, depth + 1);
    const bytes = r ? evalBinary('*', r.value, scale) : undefined;
    if (!r || bytes === undefined || bytes < 0) return undefined;
    const c: BufferCapacity = { size: bytes, offset: 0, text: compact(arg.text), sizeAt: nodeRange(arg) };
    if (scale !== 1) return c;
    const bare = stripCasts(arg);
    if (bare.type === 'number_literal') c.literal = nodeRange(bare);
    else if ((bare.type === 'identifier' || bare.type === 'qualified_identifier') && r.constant) c.constant = r.constant;
    return c;
  }

  /**
   * Names holding the page size that code at `use` may refer to: locals of its function computed from
   * sysconf(_SC_PAGESIZE)/getpagesize() (any name) or holding a number (page-named), then page-named macros,
   * constants and enumerators of the file defined before `use`. A name shadowed by a local is left out.
   */
  private pageSizeNamesAt(use: Node, scope: Scope | undefined): PageSizeName[] {
    const out: PageSizeName[] = [];
    const inScope = scope && use.startIndex >= scope.root.startIndex && use.endIndex <= scope.root.endIndex;
    if (scope && inScope) {
      for (const [name, v] of scope.vars) {
        if (v.isParam || v.arrayDims.length || v.pointerDepth || v.declarator.startIndex > use.startIndex) continue;
        const sources = this.reaching(scope, name, use, 'value');
        const s = sources?.length === 1 ? sources[0]! : undefined;
        if (s?.kind !== 'expr' || s.name) continue;
        if (isPageSizeExpr(stripCasts(s.node), this)) { out.push({ name }); continue; }
        const r = PAGE_NAME.test(name) ? this.evalNumber(s.node, scope) : undefined;
        if (r) out.push({ name, value: r.value });
      }
    }
    for (const f of this.filePageSizeNames()) {
      if (f.start < use.startIndex && !(inScope && scope!.vars.has(f.name)) && (!f.within || (use.startIndex >= f.within.start && use.endIndex <= f.within.end))) {
        out.push(f.value === undefined ? { name: f.name } : { name: f.name, value: f.value });
      }
    }
    return out;
  }

  private filePageNamesMemo?: { name: string; value?: number; start: number; within?: { start: number; end: number } }[];

  /** Page-named macros, constants and enumerators at file scope (or in a namespace: `within` it), in file order. */
  private filePageSizeNames(): { name: string; value?: number; start: number; within?: { start: number; end: number } }[] {
    if (this.filePageNamesMemo) return this.filePageNamesMemo;
    this.buildFile();
    const out: { name: string; value?: number; start: number; within?: { start: number; end: number } }[] = [];
    for (const [name, defs] of this.macros) {
      if (!PAGE_NAME.test(name) || defs.length !== 1) continue;
      const body = this.macroBody(defs[0]!);
      if (!body) continue;
      if (this.withSnippet(body.text, (v) => isPageSizeExpr(stripCasts(v), this))) { out.push({ name, start: defs[0]!.startIndex }); continue; }
      const r = this.constValue(name);
      if (r) out.push({ name, value: r.value, start: defs[0]!.startIndex });
    }
    const declared = (name: string, decl: Node): void => {
      const place = fileScopePlace(decl);
      if (!place) return;
      const r = this.constValue(name);
      if (r) out.push({ name, value: r.value, start: decl.startIndex, within: place.within });
    };
    for (const [name, vars] of this.globals) {
      if (PAGE_NAME.test(name) && vars.length === 1 && vars[0]!.isConst && !vars[0]!.arrayDims.length) declared(name, vars[0]!.declNode);
    }
    for (const [name, e] of this.enumerators) if (PAGE_NAME.test(name)) declared(name, e.node);
    out.sort((a, b) => a.start - b.start);
    this.filePageNamesMemo = out;
    return out;
  }

  /** An alignment argument: a number, or the runtime page size (sysconf(_SC_PAGESIZE), getpagesize()). */
  private alignmentOf(node: Node, scope: Scope | undefined, depth: number): { value?: number; page: boolean; text: string } | undefined {
    const bare = stripCasts(node);
    if (isPageSizeExpr(bare, this)) return { page: true, text: compact(node.text) };
    if (bare.type === 'identifier') {
      // A local or a macro holding the page size: `long pg = sysconf(_SC_PAGESIZE);`, `#define PAGE sysconf(_SC_PAGESIZE)`.
      if (this.followAlias(bare, scope, (inner) => isPageSizeExpr(stripCasts(inner), this) || undefined)) return { page: true, text: bare.text };
    }
    const r = this.evalNumber(node, scope, depth + 1);
    return r ? { value: r.value, page: false, text: r.text === String(r.value) ? r.text : `${r.text} = ${r.value}` } : undefined;
  }

  private originOfCall(call: Node, scope: Scope | undefined, depth: number): BufferOrigin {
    const name = calleeName(call);
    const args = namedArgs(call.childForFieldName('arguments'));
    const text = compact(call.text);
    const fn = call.childForFieldName('function');
    const sizeText = (a: Node | undefined): string => {
      if (!a) return '';
      const r = this.evalNumber(a, scope, depth + 1);
      return r ? String(r.value) : compact(a.text, 30);
    };
    switch (name) {
      case 'malloc': {
        const size = args[0] ? this.evalNumber(args[0], scope, depth + 1) : undefined;
        const o: BufferOrigin = { state: 'unaligned', origin: `malloc(${sizeText(args[0])})` };
        if (fn?.type === 'identifier' || fn?.text === '::malloc' || fn?.text === 'std::malloc') {
          o.allocationRange = nodeRange(call);
          o.allocationText = call.text;
          o.allocationSize = size ? { known: true, value: size.value, text: size.text } : { known: false, text: args[0]?.text ?? '' };
          o.pageSizeNames = this.pageSizeNamesAt(call, scope);
        }
        return withCapacity(o, this.capacityOf(args[0], scope, depth));
      }
      case 'calloc': {
        const o: BufferOrigin = { state: 'unaligned', origin: `calloc(${args.map((a) => sizeText(a)).join(', ')})` };
        const count = args[0] ? this.evalNumber(args[0], scope, depth + 1) : undefined;
        const each = args[1] ? this.evalNumber(args[1], scope, depth + 1) : undefined;
        const bytes = count && each && args.length === 2 ? evalBinary('*', count.value, each.value) : undefined;
        return withCapacity(o, bytes !== undefined && bytes >= 0 ? { size: bytes, offset: 0, text: compact(`${args[0]!.text} * ${args[1]!.text}`) } : undefined);
      }
      case 'realloc': case 'reallocarray': case 'strdup': case 'strndup':
        return { state: 'unaligned', origin: `${name}(${args.map((a) => sizeText(a)).join(', ')})` };
      case 'aligned_alloc': case 'memalign': case '_mm_malloc': case '__builtin_assume_aligned': {
        const alignArg = name === 'aligned_alloc' || name === 'memalign' ? args[0] : args[1];
        const sizeArg = name === '_mm_malloc' ? args[0] : name === '__builtin_assume_aligned' ? undefined : args[1];
        const a = alignArg ? this.alignmentOf(alignArg, scope, depth) : undefined;
        const origin = `${name}(${a?.text ?? '?'}${sizeArg ? ', ' + sizeText(sizeArg) : ''})`;
        if (!a) return { state: 'unknown', origin };
        return withCapacity({ state: 'aligned', origin, alignment: a.value, alignedToPage: a.page || undefined }, this.capacityOf(sizeArg, scope, depth));
      }
      case 'valloc': case 'pvalloc':
        return withCapacity({ state: 'aligned', origin: `${name}(${sizeText(args[0])})`, alignedToPage: true }, this.capacityOf(args[0], scope, depth));
      case 'mmap': case 'mmap64': return withCapacity({ state: 'aligned', origin: 'mmap', alignedToPage: true }, this.capacityOf(args[1], scope, depth));
      default: break;
    }
    // C++: v.data(), s.c_str(), p.get(), std::make_unique<char[]>(n)
    if (fn?.type === 'field_expression') {
      const method = fn.childForFieldName('field')?.text;
      const obj = fn.childForFieldName('argument');
      if (obj && (method === 'data' || method === 'c_str' || method === 'get' || method === 'begin')) {
        const objKey = accessKey(obj);
        const field = !!objKey && objKey.includes('.');
        const v = objKey ? (field ? this.fieldDeclaration(objKey.slice(objKey.lastIndexOf('.') + 1)) : this.varInfo(objKey, scope)) : undefined;
        if (!v && objKey && !field && method !== 'get') {
          const type = this.vexingLocalType(objKey, obj);
          const heap = type ? /^(?:std::)?(vector|basic_string|string)\b\s*(?:<(.*)>)?/.exec(type) : undefined;
          if (heap && !(heap[2] && hasTopLevelComma(heap[2]))) return { state: 'unaligned', origin: `${type!.replace(/\s+/g, '')}::${method}()` };
        }
        if (v && method !== 'get') {
          const container = /^(?:std::)?(vector|basic_string|string|array)\b\s*(?:<(.*)>)?/.exec(v.typeText);
          // a std::array field lies inside its struct, which may be aligned: only heap containers are judged by the field
          if (container && field && container[1] === 'array') return { state: 'unknown', origin: text };
          if (container) {
            if (container[1] === 'array') {
              if (v.alignText !== undefined) return this.arrayOrigin(v, depth);
            } else if (container[2] && hasTopLevelComma(container[2])) {
              return { state: 'unknown', origin: `${v.typeText}::${method}()` };  // a custom allocator may align
            }
            return { state: 'unaligned', origin: `${v.typeText.replace(/\s+/g, '')}::${method}()` };
          }
        }
        if (method === 'get' && objKey) return this.originOf(obj, scope, depth + 1);
      }
      return { state: 'unknown', origin: text };
    }
    if (fn?.type === 'template_function' || fn?.type === 'qualified_identifier') {
      if (/^(?:std::)?make_unique(?:_for_overwrite)?\s*<[^>]*\[\s*\]\s*>$/.test(fn.text.replace(/\s+/g, ''))) {
        return { state: 'unaligned', origin: `${fn.text.replace(/\s+/g, '')}(${sizeText(args[0])})` };
      }
    }
    if (fn?.type === 'identifier' && name) {
      const returned = this.returnedOrigin(name, args, scope, depth);
      if (returned) return returned;
    }
    const qualified = fn ? this.fileFunctionByQualifiedName(fn) : undefined;
    if (qualified) {
      const returned = this.returnedOrigin(qualified, args, scope, depth);
      if (returned) return returned;
    }
    return { state: 'unknown', origin: text };
  }

  /**
   * The function of this file a callee names with template arguments or a namespace
   * (`dma::allocate_aligned_buffer<char>`, `make_block<T>`, `ns::alloc`): its bare name, when the one
   * definition of that name is inside the namespace or class the callee names (none for a bare template).
   */
  private fileFunctionByQualifiedName(fn: Node): string | undefined {
    const owner = fn.type === 'qualified_identifier' ? fn.childForFieldName('scope')?.text.split('::').pop() : undefined;
    const inner = fn.type === 'qualified_identifier' ? fn.childForFieldName('name') : fn;
    if (fn.type === 'qualified_identifier' && (!owner || owner === 'std')) return undefined;
    const nameNode = inner?.type === 'template_function' ? inner.childForFieldName('name') : inner?.type === 'identifier' && owner ? inner : undefined;
    if (nameNode?.type !== 'identifier') return undefined;
    const def = this.functionDefinition(nameNode.text);
    if (!def || isMemberFunction(def)) return undefined;
    if (!owner) return nameNode.text;
    for (let p = def.parent; p; p = p.parent) {
      if ((p.type === 'namespace_definition' || p.type === 'class_specifier' || p.type === 'struct_specifier') && p.childForFieldName('name')?.text === owner) return nameNode.text;
    }
    return undefined;
  }

  /**
   * The buffer a function of this file returns, as seen from one call (`p = alloc_block(512, n)` with
   * `alloc_block` returning what `posix_memalign(&p, align, size)` gave): every return that is not a
   * null pointer must agree, as for the branches of a function. An alignment that is one of the
   * function's parameters is the call's argument. Undefined when unknown.
   */
  private returnedOrigin(name: string, args: Node[], callerScope: Scope | undefined, depth: number): BufferOrigin | undefined {
    if (depth > 8) return this.cutShort(undefined);
    const fn = this.functionDefinition(name);
    const body = fn?.childForFieldName('body');
    if (!fn || !body || this.evaluating.has('origin:' + name)) return undefined;
    this.readFunction(name);
    this.noteTextRead(fn.startIndex, fn.endIndex);
    this.evaluating.add('origin:' + name);
    try {
      const scope = this.scopeFor(body);
      const params = namedArgs(functionDeclarator(fn)?.childForFieldName('parameters') ?? null);
      // A parameter not written before `at`: the call's argument, evaluated where the call is.
      const argumentFor = (node: Node, at: Node): Node | undefined => {
        const bare = stripCasts(node);
        if (bare.type !== 'identifier') return undefined;
        const v = scope.vars.get(bare.text);
        if (!v?.isParam || scope.defs.get(bare.text)?.some((d) => d.pos <= at.startIndex)) return undefined;
        const index = params.findIndex((p) => p.id === v.declNode.id);
        return index >= 0 ? args[index] : undefined;
      };
      const origins: BufferOrigin[] = [];
      for (const r of this.returnsOf(fn)) {
        const bare = stripCasts(ownedPointer(stripCasts(r)));
        if (bare.type === 'null' || bare.text === 'NULL' || bare.text === 'nullptr' || bare.text === '0') continue;
        const key = bare.type === 'identifier' ? bare.text : undefined;
        const sources = key !== undefined ? this.reaching(scope, key, r, 'value') : undefined;
        const only = sources?.length === 1 ? sources[0]! : undefined;
        if (only?.kind === 'memalign' && only.def.align) {
          const supplied = argumentFor(only.def.align, only.def.node);
          const alignArg = supplied ?? only.def.align;
          const align = this.alignmentOf(alignArg, supplied ? callerScope : scope, depth + 1);
          const origin = `${name}() with posix_memalign(${align?.text ?? '?'})`;
          origins.push(align ? { state: 'aligned', origin, alignment: align.value, alignedToPage: align.page || undefined } : { state: 'unknown', origin });
        } else {
          const o = this.originOf(r, scope, depth + 1);
          origins.push(o.state === 'unaligned' ? { state: 'unaligned', origin: `${name}() returning ${o.origin}` } : o);
        }
      }
      if (!origins.length || origins.some((o) => o.state === 'unknown')) return undefined;
      const combined = mergeOrigins(origins, { state: 'unknown', origin: name });
      return combined.state === 'unknown' ? undefined : combined;
    } finally {
      this.evaluating.delete('origin:' + name);
    }
  }

  /**
   * The type of a local that the grammar read as a function declaration (the most vexing parse:
   * `std::vector<char> check(kAlignment);` in a function body), declared before `use` in the same
   * function. Only when every "parameter" is a bare name the file knows as a value (a local, a
   * global or member, an enumerator, a macro or a constant), so the declaration cannot declare a
   * function; undefined otherwise.
   */
  private vexingLocalType(name: string, use: Node): string | undefined {
    const fn = this.scopeRootOf(use);
    if (fn.type !== 'function_definition') return undefined;
    const scope = this.scopeFor(use);
    this.buildFile();
    const isValue = (n: string): boolean => scope.vars.has(n) || this.globals.has(n) || this.enumerators.has(n) || this.macros.has(n) || this.constValue(n) !== undefined;
    let found: string | undefined;
    let count = 0;
    walkTree(fn, (type, node) => {
      if (type !== 'declaration') return;
      const n = node();
      if (n.startIndex >= use.startIndex) return false;
      for (const d of n.childrenForFieldName('declarator')) {
        if (d.type !== 'function_declarator' || d.childForFieldName('declarator')?.text !== name) continue;
        const params = namedArgs(d.childForFieldName('parameters'));
        const values = params.length > 0 && params.every((p) => {
          const t = p.type === 'parameter_declaration' && !p.childForFieldName('declarator') && p.namedChildCount === 1 ? p.childForFieldName('type') : null;
          return t?.type === 'type_identifier' && isValue(t.text);
        });
        count++;
        if (values) found = n.childForFieldName('type')?.text;
      }
      return false;
    });
    return count === 1 ? found : undefined;
  }

  private originOfNew(n: Node, scope: Scope | undefined, depth: number): BufferOrigin {
    const placement = n.childForFieldName('placement');
    const type = n.childForFieldName('type')?.text ?? '';
    const len = n.childForFieldName('declarator')?.childForFieldName('length');
    const lenText = len ? (this.evalNumber(len, scope, depth + 1)?.value ?? compact(len.text, 30)) : '';
    const origin = `new ${type}${len ? `[${lenText}]` : ''}`;
    if (placement) {
      for (const a of namedArgs(placement)) {
        const inner = stripCasts(a);
        if (inner.type === 'call_expression' && /(?:^|::)align_val_t$/.test(inner.childForFieldName('function')?.text ?? '')) {
          const arg = namedArgs(inner.childForFieldName('arguments'))[0];
          const al = arg ? this.alignmentOf(arg, scope, depth) : undefined;
          if (!al) return { state: 'unknown', origin };
          return { state: 'aligned', origin: `new (std::align_val_t(${al.text})) ${type}[…]`, alignment: al.value, alignedToPage: al.page || undefined };
        }
      }
      return { state: 'unknown', origin };
    }
    const elem = sizeOfTypeName(type);
    return withCapacity({ state: 'unaligned', origin }, len && elem !== undefined ? this.capacityOf(len, scope, depth, elem) : undefined);
  }

  private arrayOrigin(v: VarInfo, depth: number): BufferOrigin {
    const dims = v.arrayDims.map((d) => this.evalNumber(d, undefined, depth + 1)?.value ?? compact(d.text, 20)).map((d) => `[${d}]`).join('');
    const decl = `${v.typeText} ${v.name}${dims}`;
    // A one-dimensional array of plain elements: its size is its dimension (growable when spelled with bytes).
    const elem = v.pointerDepth === 0 && v.arrayDims.length === 1 ? sizeOfTypeName(v.typeText) : undefined;
    const capacity = elem !== undefined ? this.capacityOf(v.arrayDims[0], undefined, depth, elem) : undefined;
    if (capacity) capacity.holder = v.name;
    if (v.alignText !== undefined) {
      if (v.alignText === '') return withCapacity({ state: 'aligned', origin: `${decl} __attribute__((aligned))`, alignment: 16 }, capacity);
      const a = this.evalSnippet(v.alignText, depth + 1);
      if (!a) {
        if (/sysconf|getpagesize|PAGE_SIZE/.test(v.alignText)) return withCapacity({ state: 'aligned', origin: `${decl} aligned(${v.alignText})`, alignedToPage: true }, capacity);
        return { state: 'unknown', origin: decl };
      }
      return withCapacity({ state: 'aligned', origin: `${decl} aligned(${a.value})`, alignment: a.value }, capacity);
    }
    return withCapacity({ state: 'unaligned', origin: `array ${decl}` }, capacity);
  }

  /** Bytes per `+1` on a pointer expression (char/void pointers: 1). */
  private pointeeSize(node: Node, scope: Scope | undefined): number | undefined {
    const n = stripParens(node);
    if (n.type === 'cast_expression') {
      const t = n.childForFieldName('type');
      const base = t?.childForFieldName('type')?.text ?? '';
      const decl = t?.childForFieldName('declarator');
      if (decl?.type === 'abstract_pointer_declarator' && !decl.namedChildCount) return base === 'void' ? 1 : sizeOfTypeName(base);
      return undefined;
    }
    if (n.type === 'call_expression') return stripCasts(n) !== n ? 1 : undefined;
    const key = accessKey(n);
    const v = key && !key.includes('.') ? this.varInfo(key, scope) : undefined;
    if (!v) return undefined;
    if (v.arrayDims.length === 1 && v.pointerDepth === 0) return sizeOfTypeName(v.typeText);
    if (v.pointerDepth === 1 && !v.arrayDims.length) return v.typeText === 'void' ? 1 : sizeOfTypeName(v.typeText);
    return undefined;
  }

  private elementSize(base: Node, scope: Scope | undefined): number | undefined {
    return this.pointeeSize(base, scope);
  }
}


/** At most this many rows of one table are evaluated: a generated table of thousands costs no more. */
export const MAX_TABLE_ROWS = 256;

/** The fields of a struct in declaration order, with each field's type (for nested initializer lists). */
/**
 * A struct's fields in order, with their types (plain fields) and C++ default member initializers
 * (`int sector_size = 512;`); `constructed`: the struct declares a constructor of its own.
 */
interface StructFields { names: string[]; types: (Node | undefined)[]; defaults: (Node | undefined)[]; constructed?: boolean }

/** A table of cases (see CFamilyModel.tableOf). `scope`: the function of a local table, undefined for a global. */
export interface TableInfo { name: string; v: VarInfo; rows: Node[]; struct?: StructFields; scope: Scope | undefined }

/** A row (or a nested struct in a row) as an initializer list, with the struct whose fields it fills. */
interface RowRef { list: Node; struct?: StructFields }

/**
 * One row of a table, as the code of one function names it while its sites are evaluated for that row:
 * `table[index]` (a loop index or a parameter that walks the table), a pointer that points to the row
 * (`pointer->field`), or the element itself (a C++ range-for variable, or the names of a structured
 * binding, `elements`, in row order).
 */
export interface RowBinding {
  fn: Node;
  table: TableInfo;
  row: number;
  index?: string;
  pointer?: string;
  element?: string;
  elements?: string[];
}

function declaratorIsArray(d: Node): boolean {
  let n: Node | null = d;
  for (let i = 0; n && i < 8; i++) {
    if (n.type === 'array_declarator') return true;
    if (n.type !== 'init_declarator') return false;
    n = n.childForFieldName('declarator');
  }
  return false;
}

function fieldsOf(body: Node): StructFields {
  const names: string[] = [];
  const types: (Node | undefined)[] = [];
  const defaults: (Node | undefined)[] = [];
  for (const f of namedArgs(body)) {
    if (f.type !== 'field_declaration') continue;
    const declarators = f.childrenForFieldName('declarator');
    for (const d of declarators) {
      const u = unwrapDeclarator(d);
      if (!u.name || u.isFunction) continue;
      names.push(u.name.text);
      types.push(u.pointerDepth === 0 && !u.dims.length ? (f.childForFieldName('type') ?? undefined) : undefined);
      defaults.push(declarators.length === 1 ? (f.childForFieldName('default_value') ?? undefined) : undefined);
    }
  }
  return { names, types, defaults };
}

/** Visits every node under `root` with a cursor (no recursion), until `visit` returns false. */
function walkNodes(root: Node, visit: (n: Node) => void): void {
  const cursor = root.walk();
  try {
    let guard = 0;
    for (;;) {
      if (guard++ > 2_000_000) return;
      const type = cursor.nodeType;
      if (type === 'struct_specifier' || type === 'class_specifier' || type === 'union_specifier' || type === 'type_definition') visit(cursor.currentNode);
      if (type !== 'function_definition' && type !== 'compound_statement' && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) { if (!cursor.gotoParent()) return; }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * sizeof of a plain narrow string literal (`"…"`, the terminating NUL included), or undefined for
 * anything else (prefixed literals, concatenations, unknown escapes).
 */
export function stringLiteralSize(text: string): number | undefined {
  const m = /^\s*"((?:[^"\\\n]|\\.)*)"\s*$/.exec(text);
  if (!m) return undefined;
  let bytes = 0;
  const body = m[1]!;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { bytes += Buffer.byteLength(c, 'utf8'); continue; }
    const e = body[++i]!;
    if ('ntrvfab\\\'"?e'.includes(e)) { bytes++; continue; }
    if (/[0-7]/.test(e)) { let j = 1; while (j < 3 && /[0-7]/.test(body[i + 1] ?? '')) { i++; j++; } bytes++; continue; }
    if (e === 'x') { while (/[0-9a-fA-F]/.test(body[i + 1] ?? '')) i++; bytes++; continue; }
    return undefined;   // \u, \U and others: their byte count depends on the execution character set
  }
  return bytes + 1;
}

function withOffset(base: BufferOrigin, offset: number | undefined, text: string): BufferOrigin {
  // `buf + k` holds k bytes less than buf; a backwards offset leaves the allocation's known extent.
  const capacity = base.capacity && offset !== undefined && offset >= 0 && base.capacity.offset + offset <= base.capacity.size
    ? { ...base.capacity, offset: base.capacity.offset + offset } : undefined;
  if (base.state === 'unaligned') return withCapacity({ state: 'unaligned', origin: base.origin }, capacity);
  if (base.state !== 'aligned' || offset === undefined) return { state: 'unknown', origin: compact(text) };
  const o: BufferOrigin = { ...base, offset: (base.offset ?? 0) + offset };
  delete o.allocationRange;
  delete o.allocationText;
  delete o.allocationSize;
  delete o.pageSizeNames;
  delete o.capacity;
  return withCapacity(o, capacity);
}

/**
 * One origin for several that may reach a use: they must agree on being aligned or not (aligned on one
 * path and not on another is unknown: no guess); aligned ones keep the weakest alignment.
 */
function mergeOrigins(origins: readonly BufferOrigin[], unknown: BufferOrigin): BufferOrigin {
  let acc: BufferOrigin | undefined;
  for (const o of origins) {
    if (o.state === 'unknown') return unknown;
    if (!acc) { acc = o; continue; }
    if (acc.state !== o.state) return unknown;
    if (o.state === 'aligned') {
      acc = {
        state: 'aligned', origin: acc.origin,
        alignment: acc.alignment !== undefined && o.alignment !== undefined ? Math.min(acc.alignment, o.alignment) : undefined,
        alignedToPage: acc.alignedToPage && o.alignedToPage ? true : undefined,
        offset: acc.offset === o.offset ? acc.offset : undefined,
      };
      if (acc.alignment === undefined && !acc.alignedToPage) return unknown;
    } else {
      acc = { state: 'unaligned', origin: acc.origin };  // two allocations: no single one to replace
    }
  }
  return acc ?? unknown;
}

function withCapacity(o: BufferOrigin, capacity: BufferCapacity | undefined): BufferOrigin {
  if (capacity) o.capacity = capacity;
  return o;
}

/** A name that says it holds the page size (PAGE_BYTES, kPageSize, page_size, PAGESIZE). */
const PAGE_NAME = /page/i;

/**
 * Where a file-level declaration can be named without qualification: not inside a struct, class, union or
 * function; inside a named namespace only by code in that namespace (`within`). Undefined when nowhere.
 */
function fileScopePlace(decl: Node): { within?: { start: number; end: number } } | undefined {
  let within: { start: number; end: number } | undefined;
  for (let p = decl.parent; p; p = p.parent) {
    switch (p.type) {
      case 'struct_specifier': case 'class_specifier': case 'union_specifier': case 'field_declaration_list':
      case 'function_definition': case 'compound_statement': case 'template_declaration':
        return undefined;
      case 'namespace_definition':
        if (p.childForFieldName('name') && !within) within = { start: p.startIndex, end: p.endIndex };
        break;
      default: break;
    }
  }
  return { within };
}

function hasTopLevelComma(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) return true;
  }
  return false;
}

function structNameOf(typeText: string): string | undefined {
  const m = /(?:struct\s+)?(file_clone_range|iovec)\b/.exec(typeText);
  return m ? m[1] : undefined;
}

export function mentionsNegatedODirect(node: Node): boolean {
  return /~\s*\(?\s*(?:__)?O_DIRECT\b/.test(node.text);
}

/**
 * Is `fn` a copy or move constructor of `cls` (`C(C&& o)`, `C(const C& o)`) that initializes `member`
 * from the same member of the object it copies (`: member(o.member)`) and never names it in its body?
 * Such a constructor gives the member no value the other constructors could not.
 */
function copiesMember(fn: Node, cls: string, member: string): boolean {
  const params = namedArgs(functionDeclarator(fn)?.childForFieldName('parameters') ?? null).filter((p) => p.type !== 'comment');
  const only = params.length === 1 && params[0]!.type === 'parameter_declaration' ? params[0]! : undefined;
  const type = only?.childForFieldName('type')?.text.split('::').pop();
  const ref = only?.childForFieldName('declarator');
  const name = ref?.type === 'reference_declarator' ? ref.namedChildren.find((c) => c.type === 'identifier')?.text : undefined;
  if (!only || type !== cls || !name) return false;
  const body = fn.childForFieldName('body');
  if (!body || new RegExp(`\\b${member}\\b`).test(body.text)) return false;
  const list = fn.namedChildren.find((c) => c.type === 'field_initializer_list');
  const inits = list ? namedArgs(list).filter((fi) => fi.namedChild(0)?.text === member) : [];
  if (inits.length !== 1) return false;
  const args = inits[0]!.namedChild(1);
  const value = args?.type === 'argument_list' || args?.type === 'initializer_list' ? namedArgs(args) : [];
  const from = value.length === 1 ? stripParens(value[0]!) : undefined;
  return from?.type === 'field_expression' && from.childForFieldName('argument')?.text === name
    && from.childForFieldName('field')?.text === member && from.childForFieldName('operator')?.text === '.';
}

/**
 * The pointer a smart pointer is built around (`std::unique_ptr<T[], free_deleter>(p)`): its get() is
 * that pointer. Anything else is returned as it is.
 */
function ownedPointer(node: Node): Node {
  if (node.type !== 'call_expression') return node;
  const fn = node.childForFieldName('function');
  const args = namedArgs(node.childForFieldName('arguments'));
  return args.length === 1 && /^(?:std::)?(?:unique_ptr|shared_ptr)\s*<[\s\S]*>$/.test(fn?.text ?? '') ? args[0]! : node;
}

/** The function_declarator of a definition (under any pointer/reference declarators). */
function functionDeclarator(fn: Node): Node | null {
  let d = fn.childForFieldName('declarator');
  for (let i = 0; d && i < 8 && d.type !== 'function_declarator'; i++) d = d.childForFieldName('declarator') ?? lastNamedDeclarator(d);
  return d?.type === 'function_declarator' ? d : null;
}

/** A plain (unqualified) function name, or undefined for methods, operators and qualified names. */
function functionName(fn: Node): string | undefined {
  const name = functionDeclarator(fn)?.childForFieldName('declarator');
  if (name?.type === 'identifier') return name.text;
  // A C++ member function, defined in its class or as `Class::name`: by its bare name. One named like a
  // C library call the analysis knows (a device's `read()`, a file's `write()`) must not stand for the
  // library's, which the class's own code reaches as `::read`: it is `.read`, reached only through an
  // object (`dev.read(…)`, `this->read(…)`).
  const member = name?.type === 'field_identifier' ? name : name?.type === 'qualified_identifier' ? name.childForFieldName('name') : undefined;
  if (member && (member.type === 'identifier' || member.type === 'field_identifier')) return LIBRARY_CALL_NAMES.test(member.text) ? memberOnlyName(member.text) : member.text;
  return undefined;
}

/** A `part: 'expression'` reference to `node` of the function `fn` defined at `root`. */
function expressionRef(fn: string, root: Node, node: Node): ParamRef {
  return { fn, index: -1, name: compact(node.text), part: 'expression', at: node.startIndex - root.startIndex, length: node.endIndex - node.startIndex };
}

/** The names an expression reads (the first 64; `p->len` reads `p`), macro arguments included. */
function identifierNames(node: Node): Set<string> {
  const out = new Set<string>();
  const stack: Node[] = [node];
  while (stack.length && out.size < 64) {
    const n = stack.pop()!;
    if (n.type === 'identifier') { out.add(n.text); continue; }
    if (n.type === 'field_identifier' || n.type === 'type_identifier') continue;
    for (let i = n.namedChildCount - 1; i >= 0; i--) { const c = n.namedChild(i); if (c) stack.push(c); }
  }
  return out;
}

/** The conditions of the statements and `?:` of a function body that start before `end` (the first 256). */
function conditionsBefore(body: Node, end: number): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [body];
  while (stack.length && out.length < 256) {
    const n = stack.pop()!;
    if (n.startIndex >= end) continue;
    if (CONDITIONAL_TYPES.has(n.type)) { const c = n.childForFieldName('condition'); if (c) out.push(c); }
    for (let i = n.namedChildCount - 1; i >= 0; i--) { const c = n.namedChild(i); if (c) stack.push(c); }
  }
  return out;
}

const CONDITIONAL_TYPES = new Set(['if_statement', 'while_statement', 'do_statement', 'for_statement', 'switch_statement', 'conditional_expression']);

/** The name of a member function that only a call through an object reaches (see functionName). */
function memberOnlyName(member: string): string {
  return `.${member}`;
}

/** A function-pointer field set to more functions than this is a dispatch the analysis does not follow. */
const MAX_FIELD_FUNCTIONS = 4;

/** A function with more calls than this has no `part: 'expression'` references: each call would evaluate them again. */
const MAX_EXPRESSION_CALLS = 16;

/** C library functions the analysis reads as themselves (sites, allocators, descriptor calls). */
const LIBRARY_CALL_NAMES = /^(?:open|open64|openat|openat64|creat|close|dup|dup2|dup3|fcntl|fcntl64|ioctl|syscall|read|write|pread|pwrite|pread64|pwrite64|readv|writev|preadv|pwritev|preadv2|pwritev2|lseek|lseek64|copy_file_range|malloc|calloc|realloc|free|posix_memalign|aligned_alloc|memalign|valloc|pvalloc|mmap|mmap64|fsync|fdatasync|ftruncate|fallocate|posix_fallocate|sysconf|getpagesize)$/;

/** Is this function definition a C++ member function (defined in its class, or as `Class::name`)? */
/** Is `def` in the update clause of a for loop whose body holds `use`? */
function inUpdateOfLoopAround(def: Node, use: Node): boolean {
  for (let n: Node | null = def.parent; n; n = n.parent) {
    if (n.type !== 'for_statement') continue;
    const update = n.childForFieldName('update');
    const body = n.childForFieldName('body');
    return !!update && !!body && update.startIndex <= def.startIndex && def.endIndex <= update.endIndex
      && body.startIndex <= use.startIndex && use.endIndex <= body.endIndex;
  }
  return false;
}

/** The class a constructor defined inside its class body belongs to (`class C { C(int fd) … }`), when `fn` is one. */
function constructorClass(fn: Node): string | undefined {
  const name = functionDeclarator(fn)?.childForFieldName('declarator');
  const body = fn.parent;
  const cls = body?.type === 'field_declaration_list' ? body.parent : undefined;
  const clsName = cls && (cls.type === 'class_specifier' || cls.type === 'struct_specifier') ? cls.childForFieldName('name')?.text : undefined;
  return name?.type === 'identifier' && clsName === name.text ? clsName : undefined;
}

function isMemberFunction(fn: Node): boolean {
  const name = functionDeclarator(fn)?.childForFieldName('declarator');
  return name?.type === 'field_identifier' || name?.type === 'qualified_identifier';
}

/** Does the child in `field` of a `parentType` node run only sometimes, relative to its parent? */
function isConditionalField(parentType: string, field: string | null, op: string | null): boolean {
  switch (parentType) {
    case 'if_statement': case 'conditional_expression': return field === 'consequence' || field === 'alternative';
    case 'while_statement': case 'for_range_loop': case 'lambda_expression': return field === 'body';
    case 'for_statement': return field === 'body' || field === 'update';
    // Without the operator (deep path), a right operand of any binary expression counts as conditional.
    case 'binary_expression': return field === 'right' && (op === null || op === '&&' || op === '||');
    case 'case_statement': return field !== 'value';
    case 'catch_clause': return true;
    default: return false;
  }
}

const CONDITIONAL_FIELDS = ['consequence', 'alternative', 'body', 'update', 'right', 'value', 'condition'];
/** Calls that take a descriptor and leave its file position where it is. */
const POSITION_NEUTRAL = new Set(['fstat', 'fstat64', 'fsync', 'fdatasync', 'fcntl', 'fcntl64', 'ioctl', 'posix_fadvise', 'posix_fallocate',
  'fallocate', 'ftruncate', 'ftruncate64', 'flock', 'pread', 'pwrite', 'pread64', 'pwrite64', 'preadv', 'pwritev', 'preadv2', 'pwritev2',
  'fstatfs', 'fstatvfs', 'syncfs', 'perror', 'printf', 'fprintf']);

/** The calls the file position walk reads itself (a function of the file with one of these names is libc's). */
const POSITION_CALLS = new Set(['read', 'write', 'readv', 'writev', 'lseek', 'lseek64']);

const CONDITIONAL_PARENTS = new Set(['if_statement', 'conditional_expression', 'while_statement', 'for_range_loop', 'lambda_expression',
  'for_statement', 'binary_expression', 'case_statement', 'catch_clause']);

/** The field name under which `child` hangs in `parent` (only the fields dominance cares about). */
function fieldOf(parent: Node, child: Node): string | null {
  for (const f of CONDITIONAL_FIELDS) if (parent.childForFieldName(f)?.id === child.id) return f;
  return null;
}

/** Approximate dominance: every conditional part around the definition also contains the use. */
function dominates(cond: Cond | null, use: Node): boolean {
  const s = use.startIndex;
  const e = use.endIndex;
  for (let c = cond; c; c = c.parent) if (s < c.start || e > c.end) return false;
  return true;
}

/**
 * Does every path from `use` leave the function before it can reach `call`? True when the use is in a
 * `return` statement, or in a block that ends with one, that does not hold the call, and that no
 * `break`, `continue` or `goto` inside it can leave.
 */
function returnsBefore(use: Node, call: Node): boolean {
  for (let n: Node | null = use; n && !(n.startIndex <= call.startIndex && call.endIndex <= n.endIndex); n = n.parent) {
    if (n.type === 'return_statement') return true;
    if (n.type !== 'compound_statement') continue;
    const statements = n.namedChildren.filter((c) => c.type !== 'comment');
    if (statements[statements.length - 1]?.type === 'return_statement' && !leftEarly(n)) return true;
  }
  return false;
}

/**
 * Is the offset `at` inside one of `body`'s own statements, not in a branch or loop of it: an expression
 * statement, a declaration, or the condition of an `if` (`if (setup(…) < 0) return 1;`)?
 */
function isOwnStatement(body: Node, at: number): boolean {
  const statement = body.namedChildren.find((c) => c.startIndex <= at && at < c.endIndex);
  if (statement?.type === 'expression_statement' || statement?.type === 'declaration') return true;
  const cond = statement?.type === 'if_statement' ? statement.childForFieldName('condition') : null;
  return !!cond && cond.startIndex <= at && at < cond.endIndex;
}

/**
 * Is `use` on the other branch of the `if` or `?:` that `call` is on (`compact ? copy_compact(&env, fd) :
 * copy_plain(&env, fd)`)? Then it never runs before the call on the same pass.
 */
function otherBranch(use: Node, call: Node): boolean {
  const holds = (n: Node | null, x: Node) => !!n && n.startIndex <= x.startIndex && x.endIndex <= n.endIndex;
  let fork: Node | null = use.parent;
  while (fork && !holds(fork, call)) fork = fork.parent;
  if (fork?.type !== 'if_statement' && fork?.type !== 'conditional_expression') return false;
  const yes = fork.childForFieldName('consequence');
  const no = fork.childForFieldName('alternative');
  return (holds(yes, use) && holds(no, call)) || (holds(no, use) && holds(yes, call));
}

/** The loop statements of the C and C++ grammars. */
export const LOOP_TYPES = new Set(['for_statement', 'while_statement', 'do_statement', 'for_range_loop']);

/** Can a jump inside `block` leave it other than by a return (a `goto`, or a `break`/`continue` of a loop or switch outside it)? */
function leftEarly(block: Node): boolean {
  let left = false;
  walkTree(block, (type, get) => {
    if (left) return false;
    if (type === 'goto_statement') { left = true; return false; }
    if (type !== 'break_statement' && type !== 'continue_statement') return true;
    let target = get().parent;
    while (target && target.id !== block.id && !LOOP_TYPES.has(target.type) && !(type === 'break_statement' && target.type === 'switch_statement')) target = target.parent;
    if (!target || target.id === block.id) left = true;
    return false;
  });
  return left;
}

/** A `for (…; …; update)` update runs after the body: for a use in that body it is loop-carried. */
function isLoopCarried(cond: Cond | null, usePos: number): boolean {
  for (let c = cond; c; c = c.parent) {
    if (c.loopBody && usePos >= c.loopBody.start && usePos < c.loopBody.end) return true;
  }
  return false;
}

/** Nodes whose children may be function definitions of the file's scope. */
const DEFINITION_CONTAINERS = new Set([
  'translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef',
  'linkage_specification', 'namespace_definition', 'declaration_list', 'template_declaration', 'ERROR',
  // C++ classes: their member functions are definitions of the file too
  'class_specifier', 'struct_specifier', 'field_declaration_list',
]);

const DEFINITION_NAME_CACHE_SIZE = 20_000;
const definitionNameCaches = new WeakMap<object, Map<string, string | null>>();

/** Plain function names by the definition's text, per grammar (a definition's text decides its parse). */
function definitionNameCache(root: Node): Map<string, string | null> {
  const lang = root.tree.language;
  let cache = definitionNameCaches.get(lang);
  if (!cache) { cache = new Map(); definitionNameCaches.set(lang, cache); }
  return cache;
}

/** The function definitions of the file's scope, in source order, found without entering any function. */
function fileScopeFunctionDefinitions(root: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    tickBudget();
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (child.type === 'function_definition') out.push(child);
      else if (DEFINITION_CONTAINERS.has(child.type)) stack.push(child);
    }
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

const scopeQueries = new WeakMap<object, { c?: Query; cpp?: Query }>();

/** The compiled per-language query that finds everything buildScope needs (compiled once per grammar). */
function scopeQuery(root: Node, cpp: boolean): Query {
  const lang = root.tree.language;
  let entry = scopeQueries.get(lang);
  if (!entry) { entry = {}; scopeQueries.set(lang, entry); }
  const key = cpp ? 'cpp' : 'c';
  let q = entry[key];
  if (!q) {
    const common = [
      '(parameter_declaration) @param',
      '(declaration) @decl',
      '(assignment_expression) @assign',
      '(update_expression) @update',
      '(pointer_expression operator: "&") @addr',
      '(call_expression function: (identifier) @setfl (#match? @setfl "^fcntl(64)?$"))',
    ];
    const cppOnly = [
      '(optional_parameter_declaration) @param',
      '(for_range_loop declarator: (_) @rangedecl)',
      '(call_expression arguments: (argument_list (identifier) @refarg))',
      '(expression_statement (binary_expression operator: ">>" right: (_) @shiftin))',
      '(call_expression function: (qualified_identifier name: (identifier) @setfl (#match? @setfl "^fcntl(64)?$")))',
    ];
    q = new Query(lang, [...common, ...(cpp ? cppOnly : [])].join('\n'));
    entry[key] = q;
  }
  return q;
}

export function sizeOfTypeName(typeText: string): number | undefined {
  const t = typeText.replace(/\b(?:const|volatile|static|register|extern|restrict|__restrict|constexpr|inline)\b/g, ' ')
    .replace(/\bstd::/g, '').replace(/\s+/g, ' ').trim();
  if (t in TYPE_SIZES) return TYPE_SIZES[t];
  const s = /^(?:struct\s+)?(\w+)$/.exec(t);
  if (s && /^struct\s/.test(t) && s[1]! in STRUCT_SIZES) return STRUCT_SIZES[s[1]!];
  if (s && s[1]! in STRUCT_SIZES) return STRUCT_SIZES[s[1]!];
  return undefined;
}

/** The finest fraction of a page the analysis counts in: exact for any page size (at least 4096, a power of two). */
const PAGE_FRACTION_LIMIT = 4096;

/** More pages than any length or offset spans: beyond it a ratio is not followed. */
const PAGE_RATIO_LIMIT = 2 ** 30;

/** `ratio` when it is a whole number of 1/4096ths of a page (and not absurdly large), else undefined. */
function exactPageRatio(ratio: number): number | undefined {
  return Math.abs(ratio) <= PAGE_RATIO_LIMIT && Number.isInteger(ratio * PAGE_FRACTION_LIMIT) ? ratio : undefined;
}

function isPageSizeExpr(n: Node, model: CFamilyModel): boolean {
  if (n.type === 'call_expression') {
    const name = calleeName(n);
    if (name === 'getpagesize') return true;
    if (name === 'sysconf') {
      const a = namedArgs(n.childForFieldName('arguments'))[0];
      return !!a && /^_SC_PAGE_?SIZE$/.test(a.text.trim());
    }
    return false;
  }
  // PAGE_SIZE as defined by the platform headers (not by this file) is the runtime page size.
  if (n.type === 'identifier' && /^(?:PAGE_SIZE|PAGESIZE|EXEC_PAGESIZE)$/.test(n.text)) return model.constValue(n.text) === undefined;
  return false;
}

/** The flags argument of an open-family call, or undefined if this is not one. */
export function openFlagsArg(name: string | undefined, args: Node[]): Node | undefined {
  switch (name) {
    case 'open': case 'open64': return args.length >= 2 && args.length <= 3 ? args[1] : undefined;
    case 'openat': case 'openat64': return args.length >= 3 && args.length <= 4 ? args[2] : undefined;
    default: return undefined;
  }
}
