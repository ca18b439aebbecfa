// Rust extractor: walks each fn body in source order with the abstract values of flow.ts, so a
// `File` opened with `custom_flags(libc::O_DIRECT)` is still known to be O_DIRECT three lets and a
// `.as_raw_fd()` later, and a `vec![0u8; CHUNK]` still knows its size when it reaches `read_at`.
import type { Language as TsLanguage, Node, Tree } from 'web-tree-sitter';
import { createHash } from 'node:crypto';
import { Parser } from 'web-tree-sitter';
import type { ExternalContext } from '../workspace';
import { isRustCrateContext, type RustCrateContext, type RustModuleSource } from '../workspace/rust-modules';
import type { CallRecord, ParamRef, Range, SiteFacts } from '../../types';
import { rangeWithin } from '../interprocedural';
import { parseIntegerLiteral } from '../values';
import { captures, walkTree } from './common';
import type { Extraction, LanguageExtractor } from './extractor';
import {
  GuardedEvaluator, cachedQuery, intLiteral,
  type AV, type BufAV, type FdAV, type NumAV, type ObjAV, type PendingSite, Env, FICLONERANGE_REQUEST, FICLONE_REQUEST, Summaries, carriesODirect, runUnits,
  NEVER, NONE, SiteCollector, UNKNOWN, alignedBuf, binary, combineBuffers, constantDef, fdFact, ficloneVariantOf,
  FALLBACK_ERRNO, giveUpCheck, fieldChild as fc, join, markHandled, rangeOf, registerSnippet, markUsed, num, oDirectOf, setNumber, setCallersNumber, sliceBuf, unalignedBuf, unary,
  fieldKey, prefilterWithNames, readField, paramValue, parameterSize, setBufferParam, CallLog, placeElsewhere, callElsewhere,
  MAX_TABLE_ROWS, type ListAV, boundNames,
  openedFd, setPosition, movePosition, seekPosition, escapePosition, escapeMentioned, forgetPositions, optsWith, optsWithFlags,
  type Tri,
} from './flow';
import { RUST_SITE_TEXT } from './rust-prefilter';

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** Methods that hand back (a view of) their receiver as far as our facts go. */
const PASS_THROUGH = new Set([
  'unwrap', 'expect', 'unwrap_unchecked', 'into', 'try_into', 'as_ref', 'as_mut', 'borrow', 'borrow_mut', 'deref',
  'deref_mut', 'lock', 'write_lock', 'read_lock', 'get_ref', 'get_mut', 'map_err', 'as_raw_fd', 'as_fd', 'into_raw_fd',
  'try_clone', 'as_file', 'as_file_mut', 'by_ref', 'as_mut_ptr', 'as_ptr', 'as_mut_slice', 'as_slice', 'into_boxed_slice',
  'cast', 'cast_mut', 'cast_const', 'as_bytes', 'as_bytes_mut', 'into_inner', 'leak', 'await',
]);
/** Methods that consume a Result for real: the caller looked at the error. */
const RESULT_CHECKS = new Set([
  'is_err', 'is_ok', 'unwrap_or', 'unwrap_or_else', 'unwrap_or_default', 'or_else', 'map_or', 'map_or_else', 'ok', 'err',
  'context', 'with_context', 'is_some', 'is_none',
]);

const READ_METHODS: Record<string, { offsetArg?: number }> = {
  read: {}, read_exact: {}, read_at: { offsetArg: 1 }, read_exact_at: { offsetArg: 1 }, read_vectored: {},
};
const WRITE_METHODS: Record<string, { offsetArg?: number }> = {
  write: {}, write_all: {}, write_at: { offsetArg: 1 }, write_all_at: { offsetArg: 1 }, write_vectored: {},
};

/** Free functions doing I/O: argument positions of fd, buffer, explicit length and offset. */
interface IoApi { dir: 'read' | 'write'; fd: number; buf: number; len?: number; off?: number; vectored?: boolean }
const IO_FUNCTIONS: Record<string, IoApi> = {
  'libc::read': { dir: 'read', fd: 0, buf: 1, len: 2 },
  'libc::write': { dir: 'write', fd: 0, buf: 1, len: 2 },
  'libc::pread': { dir: 'read', fd: 0, buf: 1, len: 2, off: 3 },
  'libc::pread64': { dir: 'read', fd: 0, buf: 1, len: 2, off: 3 },
  'libc::pwrite': { dir: 'write', fd: 0, buf: 1, len: 2, off: 3 },
  'libc::pwrite64': { dir: 'write', fd: 0, buf: 1, len: 2, off: 3 },
  'libc::readv': { dir: 'read', fd: 0, buf: 1, vectored: true },
  'libc::writev': { dir: 'write', fd: 0, buf: 1, vectored: true },
  'libc::preadv': { dir: 'read', fd: 0, buf: 1, off: 3, vectored: true },
  'libc::pwritev': { dir: 'write', fd: 0, buf: 1, off: 3, vectored: true },
  'nix::unistd::read': { dir: 'read', fd: 0, buf: 1 },
  'nix::unistd::write': { dir: 'write', fd: 0, buf: 1 },
  'nix::sys::uio::pread': { dir: 'read', fd: 0, buf: 1, off: 2 },
  'nix::sys::uio::pwrite': { dir: 'write', fd: 0, buf: 1, off: 2 },
  'nix::sys::uio::preadv': { dir: 'read', fd: 0, buf: 1, off: 2, vectored: true },
  'nix::sys::uio::pwritev': { dir: 'write', fd: 0, buf: 1, off: 2, vectored: true },
  'rustix::io::read': { dir: 'read', fd: 0, buf: 1 },
  'rustix::io::write': { dir: 'write', fd: 0, buf: 1 },
  'rustix::io::pread': { dir: 'read', fd: 0, buf: 1, off: 2 },
  'rustix::io::pwrite': { dir: 'write', fd: 0, buf: 1, off: 2 },
  'rustix::io::preadv': { dir: 'read', fd: 0, buf: 1, off: 2, vectored: true },
  'rustix::io::pwritev': { dir: 'write', fd: 0, buf: 1, off: 2, vectored: true },
};

/** Functions that open a descriptor: which argument holds the flags. */
const OPEN_FUNCTIONS: Record<string, number> = {
  'libc::open': 1, 'libc::open64': 1, 'libc::openat': 2, 'libc::openat64': 2,
  'nix::fcntl::open': 1, 'nix::fcntl::openat': 2, 'rustix::fs::open': 1, 'rustix::fs::openat': 2,
};

/**
 * io-uring crate submission builders (`opcode::Read::new(fd, buf, len)`): the same alignment rules as
 * pread/pwrite. Their offset is 0 unless a chained `.offset(n)` sets it.
 */
const URING_OPCODES: Record<string, IoApi> = {
  Read: { dir: 'read', fd: 0, buf: 1, len: 2 },
  Write: { dir: 'write', fd: 0, buf: 1, len: 2 },
  ReadFixed: { dir: 'read', fd: 0, buf: 1, len: 2 },
  WriteFixed: { dir: 'write', fd: 0, buf: 1, len: 2 },
};
/** Builder methods of an io-uring entry that do not change what it reads or writes. */
const URING_NEUTRAL = new Set(['build', 'user_data', 'flags', 'ioprio', 'rw_flags', 'buf_group', 'personality']);

/** Atomic and once-cell methods that store into a `static` / read it back. */
const STATIC_STORES = new Set(['store', 'swap', 'set', 'replace']);
const STATIC_LOADS = new Set(['load', 'get', 'swap', 'replace', 'into_inner', 'get_mut']);

/** File methods that neither use nor move the file position. */
const POSITION_NEUTRAL = new Set(['read_at', 'read_exact_at', 'write_at', 'write_all_at', 'sync_all', 'sync_data', 'metadata',
  'set_len', 'set_permissions', 'flush', 'as_raw_fd', 'as_fd', 'try_clone', 'unwrap', 'expect', 'by_ref', 'as_ref', 'as_mut', 'borrow', 'borrow_mut']);

const CFR_FUNCTIONS = new Set(['libc::copy_file_range', 'nix::fcntl::copy_file_range', 'rustix::fs::copy_file_range']);

/** Integer widths of literal suffixes, for `[0u64; 512]` style arrays. */
const SUFFIX_BYTES: Record<string, number> = { 8: 1, 16: 2, 32: 4, 64: 8, 128: 16, size: 8 };

interface AlignedType { align: number; firstField?: string; size?: number }
interface ConstDecl { name: string; value: Node }

class RustAnalysis extends GuardedEvaluator {
  protected readonly language = 'rust';
  protected readonly callType = 'call_expression';
  protected readonly flatScanSkips: ReadonlySet<string> = new Set(['function_item']);
  sites: SiteCollector;
  private readonly consts = new Map<string, ConstDecl[]>();
  private readonly constCache = new Map<Node['id'], AV>();
  private readonly constBusy = new Set<Node['id']>();
  /** `use` imports: local name -> full path; wildcard prefixes from `use x::*`. */
  private readonly uses = new Map<string, string>();
  private readonly wildcards: string[] = [];
  private readonly alignedTypes = new Map<string, AlignedType>();
  /** nix ioctl wrapper functions declared with ioctl_write_int!/ioctl_write_ptr! and friends. */
  private readonly ioctlWrappers = new Map<string, 'FICLONE' | 'FICLONERANGE'>();
  readonly functions: RustUnit[] = [];
  /** Left-hand sides of assignments and receivers of in-place mutators, in document order. */
  private readonly mutations: Node[] = [];
  private selfType: string | undefined;
  /** Macros of this file that turn `name(args)` into `libc::name(args)` (see collectWrapperMacro). */
  private readonly libcWrapperMacros = new Set<string>();
  /** Macros of this file that take no tokens and expand to one expression: `macro_rules! FICLONE { () => { 0x40049409 } }`. */
  private readonly constantMacros = new Map<string, string>();
  /** `static` items of this file: values stored into them by one function are read by the others. */
  private readonly statics = new Set<string>();
  private readonly mutableStatics = new Set<string>();
  /** The io_uring entries under construction, by builder value: a chained `.offset(n)` completes their site. */
  private readonly uringEntries = new WeakMap<object, PendingSite>();
  /** Set while the arguments of such a macro are evaluated: a bare function name there is libc's. */
  private inLibcWrapper = false;
  readonly calls = new CallLog();
  /** Calls of functions of other modules of the crate: their qualified name and the values passed. */
  readonly crossCalls: Array<{ module: string; rest: readonly string[]; args: AV[] }> = [];
  private unitKey: string | undefined;
  /** The parameters of the function being walked: name -> index and the value it came in with. */
  private params = new Map<string, { index: number; value: AV }>();
  /**
   * Struct parameters that a condition tests before an early return (`if request_misaligned(cb) { return
   * handle_misaligned_write(cb); }`): a call after it reaches only the structs the test lets through, which
   * its record cannot say, so a field of such a parameter it passes on (`raw_writev(cb.file_fd, &cb.iovec,
   * cb.offset)`) does not stand for what each builder of the struct was given (see recordedArgs).
   */
  private divertingParams = new Set<string>();
  private loopDepth = 0;
  /** The values a loop counter has at the loop head when it is 0 before the loop (see evalLoop). */
  private readonly zeroOnFirstPass = new WeakSet<object>();
  private macroParser: Parser | undefined;
  /** Macro-body trees; they stay alive until the whole file is done (facts may still point into them). */
  readonly snippetTrees: Array<{ delete(): void }> = [];

  /** `mod x;` declarations of this file: a path through one of them leads to another file of the crate. */
  private readonly childModules = new Set<string>();
  /** Inline `mod x { … }` names and the types declared here: what may stand between a module and its item. */
  private readonly localScopes = new Set<string>();
  /** How many inline modules enclose each `use` (a `super::` there may still mean this file). */
  private readonly useNesting = new Map<string, number>();

  /**
   * `crate`: the other modules of the crate, when the workspace index knows them; `modulePath` is this
   * file's own (`crate::segment`).
   */
  constructor(readonly root: Node, protected readonly summaries: Summaries,
    private readonly crate?: CrateModules, private readonly modulePath: readonly string[] = ['crate'],
    /** Prefix of the names this walk gives its functions in parameter references and calls: a module's path, for another file. */
    private readonly qualifier = '') {
    super();
    this.sites = new SiteCollector('rust');
  }

  /** Frees the macro-body trees. */
  dispose(): void {
    for (const t of this.snippetTrees) t.delete();
    this.snippetTrees.length = 0;
    this.macroParser?.delete();
  }

  collectItems(root: Node = this.root, depth = 0): void {
    for (const cap of captures(fileQuery(root), root)) {
      const n = cap.node;
      switch (cap.name) {
        case 'macrodef': this.collectWrapperMacro(n); break;
        case 'items': this.collectMacroItems(n, depth); break;
        case 'const': {
          const name = fc(n, 'name')?.text;
          const value = fc(n, 'value');
          if (name && n.type === 'static_item') {
            this.statics.add(name);
            if (n.namedChildren.some((c) => c.type === 'mutable_specifier')) this.mutableStatics.add(name);
          }
          if (name && value) {
            const list = this.consts.get(name) ?? [];
            list.push({ name, value });
            this.consts.set(name, list);
          }
          break;
        }
        case 'use': {
          const arg = fc(n, 'argument');
          if (!arg) break;
          const before = new Set(this.uses.keys());
          this.collectUse(arg, '');
          const nesting = inlineNesting(n);
          if (nesting) for (const k of this.uses.keys()) if (!before.has(k)) this.useNesting.set(k, nesting);
          break;
        }
        case 'mod': {
          const name = fc(n, 'name')?.text.replace(/^r#/, '');
          if (name) (fc(n, 'body') ? this.localScopes : this.childModules).add(name);
          break;
        }
        case 'type': { const name = fc(n, 'name')?.text; if (name) this.localScopes.add(name); break; }
        case 'struct': { const name = fc(n, 'name')?.text; if (name) this.localScopes.add(name); this.collectStruct(n); break; }
        case 'extern': {
          // extern "C" { fn copy_file_range(…); }: a bare call is the libc function.
          const name = fc(n, 'name')?.text;
          if (name && !this.uses.has(name)) this.uses.set(name, `libc::${name}`);
          break;
        }
        case 'ioctl': this.collectIoctlMacro(n); break;
        case 'fn': {
          const body = fc(n, 'body');
          if (body) this.functions.push({ fn: n, selfType: implTypeOf(n), name: fc(n, 'name')?.text ?? '', text: n.text });
          if (body && !implTypeOf(n)) this.noteRawFlagFunction(n, body);
          if (body && RUST_SITE_TEXT.test(body.text)) this.noteStructParameters(n);
          break;
        }
        case 'mutation': this.mutations.push(n); break;
        default: break;
      }
    }
  }

  /**
   * Free functions without parameters whose only numbers are 0 and O_DIRECT as Linux architectures
   * spell it (`fn o_direct_flag() -> i32 { if ARCH == "aarch64" { 0x10000 } else { 0x4000 } }`, or one
   * such function per `#[cfg(target_arch)]`): by name, the numbers they may return.
   */
  private readonly rawFlagNumbers = new Map<string, Set<number>>();

  private noteRawFlagFunction(fn: Node, body: Node): void {
    const name = fc(fn, 'name')?.text;
    const params = fc(fn, 'parameters')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    if (!name || params.length) return;
    const numbers = new Set<number>();
    let other = false;
    walkTree(body, (type, get) => {
      if (other) return false;
      if (type !== 'integer_literal') return;
      const v = parseIntegerLiteral(get().text.replace(/_/g, '').replace(/(i|u)(8|16|32|64|128|size)$/, ''));
      if (v === undefined || (v !== 0 && !ARCH_O_DIRECT.has(v))) other = true; else numbers.add(v);
    });
    if (other || !numbers.size) return;
    const known = this.rawFlagNumbers.get(name);
    if (known === undefined) this.rawFlagNumbers.set(name, numbers);
    else for (const v of numbers) known.add(v);
  }

  /**
   * The open flags such a function returns: O_DIRECT when it returns the numbers of two or more
   * architectures (one number alone is O_DIRECT on some and another flag on others), maybe O_DIRECT when
   * it may also return 0 (no direct I/O on this platform).
   */
  private rawFlagFunction(name: string): AV | undefined {
    const numbers = this.rawFlagNumbers.get(name);
    if (!numbers) return undefined;
    const flags = [...numbers].filter((v) => v !== 0);
    if (flags.length < 2) return undefined;
    return { k: 'flags', oDirect: numbers.has(0) ? 'maybe' : true };
  }

  /**
   * Functions that may hold a site and take a parameter of a struct type (by value or by reference): their
   * callers are walked too, since a call's struct decides the site's numbers (see walkForStructArgument).
   * The struct types are checked once the file's items are all known.
   */
  private readonly structParameterFns = new Map<string, string[]>();

  private noteStructParameters(fn: Node): void {
    const name = fc(fn, 'name')?.text;
    const types: string[] = [];
    for (const p of fc(fn, 'parameters')?.namedChildren ?? []) {
      if (p.type !== 'parameter') continue;
      let t = fc(p, 'type');
      while (t?.type === 'reference_type') t = fc(t, 'type');
      if (t?.type === 'type_identifier') types.push(t.text);
    }
    if (name && types.length) this.structParameterFns.set(name, types);
  }

  /** Names assigned (or mutated in place) inside `body`: their value at a loop head is unknown. */
  private assignedNames(body: Node | null): Set<string> {
    const names = new Set<string>();
    if (!body) return names;
    const list = this.mutations;
    // Binary search for the first mutation at or after the body start (captures come in document order).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid]!.startIndex < body.startIndex) lo = mid + 1; else hi = mid; }
    for (let i = lo; i < list.length && list[i]!.startIndex < body.endIndex; i++) {
      const root = rootIdentifier(list[i]!);
      if (root) names.add(root);
    }
    return names;
  }

  private collectUse(node: Node, prefix: string): void {
    const join2 = (a: string, b: string): string => (a ? `${a}::${b}` : b);
    switch (node.type) {
      case 'identifier': case 'scoped_identifier': case 'crate': case 'self': case 'super': {
        const full = join2(prefix, cleanPath(node.text));
        const last = full.split('::').pop()!;
        if (last === 'self') { const p = full.split('::').slice(0, -1); this.uses.set(p[p.length - 1]!, p.join('::')); }
        else this.uses.set(last, full);
        break;
      }
      case 'use_as_clause': {
        const path = fc(node, 'path');
        const alias = fc(node, 'alias');
        if (path && alias) this.uses.set(alias.text, join2(prefix, cleanPath(path.text)));
        break;
      }
      case 'use_wildcard': {
        const inner = node.namedChildren[0];
        this.wildcards.push(join2(prefix, inner ? cleanPath(inner.text) : ''));
        break;
      }
      case 'scoped_use_list': {
        const path = fc(node, 'path');
        const list = fc(node, 'list');
        const p = path ? join2(prefix, cleanPath(path.text)) : prefix;
        if (list) for (const c of list.namedChildren) this.collectUse(c, p);
        break;
      }
      case 'use_list':
        for (const c of node.namedChildren) this.collectUse(c, prefix);
        break;
      default: break;
    }
  }

  private collectStruct(node: Node): void {
    const name = fc(node, 'name')?.text;
    if (!name) return;
    let align: number | undefined;
    for (let s = node.previousNamedSibling; s && s.type === 'attribute_item'; s = s.previousNamedSibling) {
      const m = /\brepr\s*\([^)]*\balign\s*\(\s*([0-9_xXa-fA-F]+)\s*\)/.exec(s.text);
      if (m) align = parseIntegerLiteral(m[1]!);
    }
    if (!align) return;
    const body = fc(node, 'body');
    const info: AlignedType = { align };
    const first = body?.namedChildren.find((c) => c.type !== 'attribute_item' && c.type !== 'line_comment' && c.type !== 'block_comment');
    if (first) {
      const typeNode = first.type === 'field_declaration' ? fc(first, 'type') : first;
      info.firstField = first.type === 'field_declaration' ? fc(first, 'name')?.text : '0';
      if (typeNode?.type === 'array_type') {
        const len = fc(typeNode, 'length');
        const elem = fc(typeNode, 'element')?.text ?? 'u8';
        const n = len ? this.evalConstExpr(len) : undefined;
        const w = /^[iu](8|16|32|64|128|size)$/.exec(elem);
        if (n?.k === 'num') info.size = n.value * (w ? SUFFIX_BYTES[w[1]!]! : 1);
      }
    }
    this.alignedTypes.set(name, info);
  }

  /**
   * `macro_rules! syscall { ($name:ident($($arg:expr),*)) => { … libc::$name($($arg),*) … } }`: a macro
   * that makes `name(args)` a call of libc's `name`. Calls written inside it resolve to libc.
   */
  private collectWrapperMacro(def: Node): void {
    const name = fc(def, 'name')?.text;
    if (!name) return;
    const text = def.text;
    const fragment = /\$(\w+)\s*:\s*ident\s*\(/.exec(text)?.[1];
    if (fragment && new RegExp(`\\blibc\\s*::\\s*\\$${fragment}\\s*\\(`).test(text)) this.libcWrapperMacros.add(name);
    // One rule with an empty matcher and a body without metavariables: the macro stands for that expression.
    const rules = def.namedChildren.filter((c) => c.type === 'macro_rule');
    if (rules.length === 1) {
      const matcher = fc(rules[0]!, 'left');
      const body = fc(rules[0]!, 'right');
      const expansion = body?.text.slice(1, -1).trim().replace(/;$/, '').trim() ?? '';
      if (matcher && /^[([{]\s*[)\]}]$/.test(matcher.text) && expansion && !expansion.includes('$')) {
        // Two definitions of one name (under different cfgs) that disagree stand for neither.
        const seen = this.constantMacros.get(name);
        this.constantMacros.set(name, seen === undefined || seen === expansion ? expansion : '');
      }
    }
  }

  /**
   * Items written inside a macro invocation, which tree-sitter leaves as token trees: `cfg_if! { if
   * #[cfg(…)] { fn … } else { … } }` is parsed branch by branch as source files of their own (their
   * positions mapped back), and `syscall! { fn copy_file_range(…) -> … }`, which declares a function
   * that issues the system call of that name, makes bare calls of that name libc's.
   */
  private collectMacroItems(node: Node, depth: number): void {
    const tokens = node.namedChildren.find((c) => c.type === 'token_tree');
    if (!tokens || depth > 4 || tokens.text.length > 200_000) return;
    const name = macroName(node);
    const declared = /^\{\s*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?fn\s+(\w+)\s*\(/.exec(tokens.text)?.[1];
    if (declared && LIBC_WRAPPED.has(declared) && !this.uses.has(declared)) { this.uses.set(declared, `libc::${declared}`); return; }
    if (name !== 'cfg_if' && name !== 'cfg_match') return;
    for (const block of tokens.namedChildren) {
      if (block.type !== 'token_tree' || !block.text.startsWith('{')) continue;
      this.macroParser ??= (() => { const p = new Parser(); p.setLanguage(this.root.tree.language); return p; })();
      // The branch's own text, one space in place of its `{`: every row keeps its columns.
      const tree = this.macroParser.parse(` ${block.text.slice(1, -1)}`);
      if (!tree) continue;
      this.snippetTrees.push(tree);
      registerSnippet(tree, block.startPosition.row, block.startPosition.column, 0);
      this.collectItems(tree.rootNode, depth + 1);
    }
  }

  private collectIoctlMacro(node: Node): void {
    const name = macroName(node);
    if (!name || !/^ioctl_(write|readwrite)_(int|ptr|buf)(_bad)?$/.test(name)) return;
    const tokens = node.namedChildren.find((c) => c.type === 'token_tree');
    if (!tokens) return;
    const parts = tokens.text.slice(1, -1).split(',').map((s) => s.trim());
    const fnName = parts[0]?.replace(/^(pub(\([^)]*\))?\s+)?/, '').split(/\s+/).pop();
    if (!fnName) return;
    let variant: 'FICLONE' | 'FICLONERANGE' | undefined;
    if (name.endsWith('_bad')) {
      const req = parts[1] ?? '';
      const v = parseIntegerLiteral(req);
      if (/\bFICLONERANGE\b/.test(req) || v === FICLONERANGE_REQUEST) variant = 'FICLONERANGE';
      else if (/\bFICLONE\b/.test(req) || v === FICLONE_REQUEST) variant = 'FICLONE';
    } else if (parseIntegerLiteral(parts[1] ?? '') === 0x94) {
      const nr = parseIntegerLiteral(parts[2] ?? '');
      if (nr === 9) variant = 'FICLONE';
      else if (nr === 13) variant = 'FICLONERANGE';
    }
    if (variant) this.ioctlWrappers.set(fnName, variant);
  }

  /** A regex for the functions worth analysing first: the file prefilter plus this file's own aliases. */
  relevantPattern(): RegExp {
    const names = [...this.ioctlWrappers.keys()];
    for (const [fn, types] of this.structParameterFns) {
      if (types.some((t) => this.localScopes.has(t) && !this.alignedTypes.has(t))) names.push(fn);
    }
    for (const [name, expansion] of this.constantMacros) {
      const v = expansion ? this.evalSnippet(expansion, new Env()) : UNKNOWN;
      if (carriesODirect(v) || ficloneVariantOf(v)) names.push(name);
    }
    for (const name of this.consts.keys()) {
      const v = this.constValue(name);
      if (v && (carriesODirect(v) || ficloneVariantOf(v))) names.push(name);
    }
    if (this.crate) {
      // A function that names another module's items may get an O_DIRECT file or a constant from there.
      for (const [local, full] of this.uses) if (this.absolutePath(full.split('::'), this.useNesting.get(local) ?? 0)) names.push(local);
      names.push('crate', 'super', ...this.childModules);
    }
    return prefilterWithNames(rustExtractor.prefilter, names);
  }

  /**
   * `bound`: the arguments of one call, in place of what the summaries say of the parameters (a walk for
   * that call, see walkForStructArgument).
   */
  analyzeFunction(unit: RustUnit, bound?: readonly AV[]): SiteFacts[] {
    const { fn, selfType } = unit;
    const body = fc(fn, 'body')!;
    this.sites = new SiteCollector('rust');
    this.selfType = selfType;
    this.unitKey = fnKey(selfType, unit.name);
    this.depth = 0;
    this.loopDepth = 0;
    this.returns = [];
    this.rowFacts = [];
    this.params = new Map();
    this.divertingParams = new Set();
    const env = new Env();
    const params = fc(fn, 'parameters');
    let index = 0;
    for (const p of params?.namedChildren ?? []) {
      if (p.type === 'self_parameter') { unit.hasSelf = true; if (selfType) env.declare('self', { k: 'inst', type: selfType }); continue; }
      if (p.type !== 'parameter') continue;
      const pat = fc(p, 'pattern');
      const typeName = baseTypeName(fc(p, 'type'), selfType);
      // What callers in this file pass wins over what the declared type alone tells us.
      const at = index++;
      const passed = bound ? bound[at] ?? UNKNOWN : this.summaries.read(paramKey(selfType, unit.name, at));
      const typed = passed.k !== 'unknown' ? passed : typeName ? this.valueOfType(typeName) : UNKNOWN;
      if (pat?.type === 'identifier') {
        const ref = { fn: this.qualifier + fnKey(selfType, unit.name), index: at, name: pat.text };
        let value = paramValue(typed, ref);
        if (this.qualifier && typed.k === 'fd') { value = { ...typed }; this.fdParams.set(value, ref); }
        env.declare(pat.text, value);
        this.params.set(pat.text, { index: at, value });
      }
    }
    const result = this.evalExpr(body, env);
    markHandled(result); // the tail expression is the function's return value
    this.returns.push(result);
    let ret: AV = NEVER;
    // A body that ends in `return …` (or a panic) has no tail value: only its returns say what it gives back.
    for (const r of this.returns) if (r.k !== 'never') ret = join(ret, this.returnedValue(r));
    this.noteFlagsParamReturn(fnKey(selfType, unit.name), this.returns);
    this.noteClosurePassThrough(fnKey(selfType, unit.name), this.returns);
    this.summaries.write(retKey(selfType, unit.name), fn.startIndex, ret.k === 'never' ? UNKNOWN : ret);
    return [...this.sites.result(), ...this.rowFacts];
  }

  /**
   * Descriptors opened with flags that are a parameter of the function being walked, unchanged
   * (`fn openat(path, flags) -> io::Result<RawFd>` around `libc::openat(…, flags, …)`): by descriptor
   * value, the parameter's index.
   */
  private readonly fdOfFlagsParam = new WeakMap<object, number>();
  /** Functions of the file that return such a descriptor on every path that returns one: by key, the flags parameter. */
  private readonly flagsParamReturns = new Map<string, number>();

  /** The index of the parameter an argument names, when the variable still holds the value it came in with. */
  private unchangedParam(node: Node | undefined, env: Env): number | undefined {
    if (node?.type !== 'identifier') return undefined;
    const param = this.params.get(node.text);
    return param && env.get(node.text) === param.value ? param.index : undefined;
  }

  private noteFlagsParamReturn(key: string, returns: readonly AV[]): void {
    const indices = new Set<number | undefined>();
    for (const r of returns) if (r.k !== 'never' && r.k !== 'none') indices.add(this.fdOfFlagsParam.get(r));
    const [only] = indices;
    if (indices.size === 1 && only !== undefined) this.flagsParamReturns.set(key, only);
    else this.flagsParamReturns.delete(key);
  }

  /**
   * The value a call of such a function returns: a descriptor that is O_DIRECT when this call's flags
   * are (the summary joins every call's flags, which would make each returned descriptor maybe O_DIRECT).
   */
  private perCallDescriptor(key: string, returned: AV, args: readonly AV[]): AV {
    const index = this.flagsParamReturns.get(key);
    if (index === undefined || returned.k !== 'fd') return returned;
    const d = oDirectOf(args[index] ?? UNKNOWN);
    return d === undefined ? returned : { ...returned, oDirect: d };
  }

  /** Closures by their value: what the body gives back, as seen where the closure is written. */
  private readonly closureBodies = new WeakMap<object, AV>();
  /** Results of calling a parameter (`f()` in `fn retry<F: Fn() -> isize>(f: F)`): by value, the parameter's index. */
  private readonly closureResults = new WeakMap<object, number>();
  /**
   * Functions of the file whose every return is the result of calling one of their parameters
   * (`fn retry(f) -> isize { loop { let n = f(); if … { return n; } } }`): by key, that parameter.
   */
  private readonly closurePassThrough = new Map<string, number>();

  private noteClosurePassThrough(key: string, returns: readonly AV[]): void {
    const indices = new Set<number | undefined>();
    for (const r of returns) if (r.k !== 'never') indices.add(this.closureResults.get(r));
    const [only] = indices;
    if (indices.size === 1 && only !== undefined) this.closurePassThrough.set(key, only);
    else this.closurePassThrough.delete(key);
  }

  /**
   * A call of such a function with a closure written at the call (`retry(|| unsafe { libc::open(…) })`):
   * the closure body's value, which the summary (one value for every call) cannot keep.
   */
  private closureValue(key: string, args: readonly AV[]): AV | undefined {
    const index = this.closurePassThrough.get(key);
    const closure = index === undefined ? undefined : args[index];
    return closure ? this.closureBodies.get(closure) : undefined;
  }

  private inCallWalk = false;
  private callWalks = 0;

  /**
   * A call that passes a struct the caller built (`clone_range(src, dest, FileCloneRange { src_offset: 4096,
   * … })`) to a function of the file: the summaries join the structs of every call into one whose fields
   * are unknown, so the function is walked once more with this call's arguments, and a site whose numbers
   * or descriptors that walk knows and the ordinary one does not is kept as seen from this call. Nothing
   * that walk stores or calls reaches the rest of the file; a walk for a call does not start another.
   */
  private walkForStructArgument(type: string | undefined, name: string, call: Node, args: readonly AV[]): void {
    if (this.inCallWalk || this.inRowWalk || this.callWalks >= MAX_CALL_WALKS) return;
    // A buffer type (one with a slice method) is judged per call by its slice already (see asSlice).
    const isStruct = (a: AV): boolean => a.k === 'obj' && a.type !== undefined && [...a.fields.values()].some((v) => v.k === 'num')
      && !this.functions.some((u) => u.selfType === a.type && this.sliceAccessor(a.type!, u.name));
    if (!args.some(isStruct)) return;
    const units = this.functions.filter((u) => u.name === name && u.selfType === type);
    if (units.length !== 1) return;
    this.callWalks++;
    const base = this.walkDetached(units[0]!, undefined);
    const seen = this.walkDetached(units[0]!, args);
    const key = (f: SiteFacts): string => `${f.site.kind}:${f.site.range.start.line}:${f.site.range.start.column}`;
    const byPlace = new Map(base.map((b) => [key(b), b]));
    for (const g of seen) {
      const b = byPlace.get(key(g));
      if (!b) continue;
      const supplied: NonNullable<NonNullable<SiteFacts['via']>[number]['supplied']> = [];
      if (b.srcFdODirect !== true && g.srcFdODirect === true) supplied.push('srcFd');
      if (b.dstFdODirect !== true && g.dstFdODirect === true) supplied.push('dstFd');
      for (const role of ['length', 'offset', 'srcOffset', 'dstOffset'] as const) if (!b[role]?.known && g[role]?.known) supplied.push(role);
      if (!supplied.length) continue;
      const { params: _params, ...facts } = g;
      // A value the call supplied is shown where the call writes it: a field initializer of the caller's
      // struct keeps its place, a value read inside the function is the call's.
      const argRanges = { ...g.argRanges };
      const constants = { ...g.constants };
      const callee = rangeOf(units[0]!.fn);
      for (const at of ['length', 'offset', 'srcOffset', 'dstOffset'] as const) {
        if (!supplied.includes(at)) continue;
        if (!argRanges[at] || rangeWithin(argRanges[at]!, callee)) argRanges[at] = rangeOf(call);
        if (constants[at] && rangeWithin(constants[at]!.range, callee)) delete constants[at];
        if (facts.literals?.[at] && rangeWithin(facts.literals[at]!, callee)) { facts.literals = { ...facts.literals }; delete facts.literals[at]; }
      }
      this.rowFacts.push({ ...facts, argRanges, constants, via: [{ callee: this.qualifier + fnKey(type, name), range: rangeOf(call), supplied }] });
    }
  }

  /** The sites of one function walked apart from the walk in progress, which continues as it was. */
  private walkDetached(unit: RustUnit, bound: readonly AV[] | undefined): SiteFacts[] {
    const saved = { sites: this.sites, selfType: this.selfType, unitKey: this.unitKey, depth: this.depth, loopDepth: this.loopDepth,
      returns: this.returns, rowFacts: this.rowFacts, params: this.params, divertingParams: this.divertingParams };
    this.inCallWalk = true;
    try {
      return this.summaries.mute(() => this.calls.mute(() => this.analyzeFunction(unit, bound))).filter((f) => !f.via);
    } finally {
      this.sites = saved.sites; this.selfType = saved.selfType; this.unitKey = saved.unitKey; this.depth = saved.depth;
      this.loopDepth = saved.loopDepth; this.returns = saved.returns; this.rowFacts = saved.rowFacts; this.params = saved.params;
      this.divertingParams = saved.divertingParams;
      this.inCallWalk = false;
    }
  }

  /** What we know about a value only from its declared type. */
  /**
   * An empty `Vec` of a #[repr(align)] element type: its heap block is aligned as the element is (a
   * `Vec::from_raw_parts` of its pointer as bytes keeps that alignment). Not a page-aligned buffer for
   * any other element type.
   */
  private vecOfAlignedElements(element: string, at: Node): BufAV | undefined {
    const segs = this.resolvePathText(element).split('::');
    const info = this.alignedTypeAt(segs);
    const name = segs[segs.length - 1]!;
    return info ? alignedBuf(`Vec<${name}> (#[repr(align(${info.align}))] elements)`, info.align, undefined, at) : undefined;
  }

  private valueOfType(typeName: string, known?: AlignedType): AV {
    const aligned = known ?? this.alignedType(typeName);
    if (known && !this.alignedTypes.has(typeName)) this.noteOtherModuleType(typeName, known);
    if (aligned) return alignedBuf(`#[repr(align(${aligned.align}))] ${typeName}`, aligned.align, aligned.size !== undefined ? num(aligned.size) : undefined);
    if (/^[A-Z]/.test(typeName) && !STD_TYPES.has(typeName)) return { k: 'inst', type: typeName };
    return UNKNOWN;
  }

  // -------------------------------------------------------------------------------------------
  // Expressions


  protected override shallow(node: Node, env: Env): AV {
    switch (node.type) {
      case 'integer_literal': case 'identifier': case 'scoped_identifier': case 'self':
        return this.evalInner(node, env);
      case 'reference_expression': case 'parenthesized_expression': case 'type_cast_expression': {
        const inner = fc(node, 'value') ?? node.namedChildren[0];
        return inner && (inner.type === 'identifier' || inner.type === 'integer_literal' || inner.type === 'scoped_identifier') ? this.evalInner(inner, env) : UNKNOWN;
      }
      default: return UNKNOWN;
    }
  }

  protected override evalInner(node: Node, env: Env): AV {
    switch (node.type) {
      case 'integer_literal': return intLiteral(node.text, node);
      case 'identifier': return this.evalIdentifier(node.text, env);
      case 'self': return env.get('self') ?? UNKNOWN;
      case 'scoped_identifier': {
        const path = this.resolvePath(node);
        const first = node.text.split('::')[0]!.trim();
        // A `use`d first segment carries the nesting of its `use`; `super::` written here, its own.
        const nesting = this.uses.has(first) ? this.useNesting.get(first) ?? 0 : first === 'super' || first === 'self' ? inlineNesting(node) : 0;
        return this.evalPath(path, env, nesting);
      }
      case 'parenthesized_expression': return this.evalExpr(node.namedChildren[0], env);
      case 'type_cast_expression': return this.evalExpr(fc(node, 'value'), env);
      case 'reference_expression': return this.evalExpr(fc(node, 'value'), env);
      case 'unary_expression': {
        const op = node.child(0)?.type ?? '';
        const v = this.evalExpr(node.namedChildren[node.namedChildCount - 1], env);
        if (op === '*') return v;
        markUsed(v);
        return unary(op === '!' ? '~' : op, v);
      }
      case 'binary_expression': return this.evalBinaryExpr(node, env);
      case 'try_expression': {
        const v = this.evalExpr(node.namedChildren[0], env);
        markHandled(v);
        return v;
      }
      case 'await_expression': return this.evalExpr(node.namedChildren[0], env);
      case 'call_expression': return this.evalCall(node, env);
      case 'field_expression': return this.evalField(node, env);
      case 'index_expression': return this.evalIndex(node, env);
      case 'macro_invocation': return this.evalMacro(node, env);
      case 'array_expression': return this.evalArray(node, env);
      case 'tuple_expression': return { k: 'list', items: node.namedChildren.map((c) => this.evalExpr(c, env)) };
      case 'struct_expression': return this.evalStruct(node, env);
      case 'block': case 'unsafe_block': case 'async_block': case 'const_block': {
        const block = node.type === 'block' ? node : node.namedChildren.find((c) => c.type === 'block');
        return block ? this.evalBlock(block, env) : UNKNOWN;
      }
      case 'if_expression': return this.evalIf(node, env);
      case 'match_expression': return this.evalMatch(node, env);
      case 'loop_expression': case 'while_expression': case 'for_expression': return this.evalLoop(node, env);
      case 'closure_expression': {
        const inner = env.copy();
        forgetPositions(inner);   // the closure runs at a time of its own
        const body = this.evalExpr(fc(node, 'body'), inner);
        escapeMentioned(env, node);
        // Unknown as a value, but a helper that returns what the closure returns gives back the body's value.
        const closure: AV = { k: 'unknown' };
        this.closureBodies.set(closure, body);
        return closure;
      }
      case 'return_expression': {
        const v = this.evalExpr(node.namedChildren[0], env);
        markHandled(v);
        // `return Err(…)` gives a caller's `?` or `unwrap()` nothing: the function's value is what its `Ok` paths return.
        const value = node.namedChildren[0];
        const err = value?.type === 'call_expression' && cleanPath(fc(value, 'function')?.text ?? '') === 'Err';
        this.returns.push(err ? NEVER : v);
        env.diverged = true;
        return NEVER;
      }
      case 'break_expression': case 'continue_expression': {
        for (const c of node.namedChildren) if (c.type !== 'label') this.evalExpr(c, env);
        env.diverged = true;
        return NEVER;
      }
      case 'assignment_expression': this.evalAssignment(node, env); return UNKNOWN;
      case 'compound_assignment_expr': this.evalCompound(node, env); return UNKNOWN;
      case 'let_condition': {
        // `if let Ok(n) = expr`: the scrutinee is checked by the pattern.
        const v = this.evalExpr(fc(node, 'value'), env);
        markHandled(v);
        this.bindPattern(fc(node, 'pattern'), v, env, true);
        return UNKNOWN;
      }
      case 'let_chain': {
        for (const c of node.namedChildren) markHandled(this.evalExpr(c, env));
        return UNKNOWN;
      }
      case 'string_literal': case 'raw_string_literal': {
        // `b"end-of-log\n"`: a static byte array of that many bytes, aligned only as bytes are.
        const bytes = byteStringLength(node.text);
        return bytes === undefined ? UNKNOWN : unalignedBuf(`byte string ${node.text.length > 24 ? `${node.text.slice(0, 21)}…` : node.text}`, num(bytes), node);
      }
      case 'char_literal': case 'boolean_literal': case 'float_literal':
      case 'line_comment': case 'block_comment': case 'function_item': case 'const_item': case 'static_item':
      case 'struct_item': case 'enum_item': case 'impl_item': case 'trait_item': case 'mod_item': case 'use_declaration':
      case 'type_item': case 'attribute_item': case 'macro_definition':
        return UNKNOWN;
      default:
        // Anything else (ranges, generic wrappers…): still visit the children so calls in them are found.
        for (const c of node.namedChildren) this.evalExpr(c, env);
        return UNKNOWN;
    }
  }

  private evalIdentifier(name: string, env: Env): AV {
    const v = env.get(name);
    if (v) { markUsed(v); return v; }
    if (name === 'None') return NONE;
    if (this.mutableStatics.has(name)) {
      // `static mut FD`: what the functions of the file store into it, else its initializer.
      const stored = this.summaries.read(staticKey(name));
      if (this.summaries.valueOf(staticKey(name)) !== undefined) return stored;
    }
    const c = this.constValue(name);
    if (c) return c;
    const imported = this.uses.get(name);
    if (imported) return this.evalPath(imported, env, this.useNesting.get(name) ?? 0);
    for (const w of this.wildcards) {
      const r = this.evalPathConstant(`${w}::${name}`);
      if (r) return r;
    }
    return this.evalPathConstant(name) ?? UNKNOWN;
  }

  /** A path like `libc::O_DIRECT`, `OFlags::DIRECT`, `Self::CHUNK`, `consts::CHUNK`. */
  private evalPath(path: string, env: Env, nesting = 0): AV {
    const known = this.evalPathConstant(path);
    if (known) return known;
    const segs = path.split('::');
    const last = segs[segs.length - 1]!;
    if (segs.length === 1) return env.get(last) ?? UNKNOWN;
    // Our own constants, referred to through a module or `Self::` (not `u64::MAX`, `libc::PAGE_SIZE`…).
    if (FOREIGN_ROOTS.test(segs[0]!)) return UNKNOWN;
    const elsewhere = this.crateConst(segs, nesting);
    if (elsewhere !== 'here') return elsewhere ?? UNKNOWN;
    return this.constValue(last) ?? UNKNOWN;
  }

  /**
   * A path of the crate made absolute (`crate::consts::X`), when it leads out of this file: through
   * `crate::`, `super::` past the inline modules around it, `self::`, or a `mod x;` of this file.
   * Undefined when it stays in this file (or does not start in the crate).
   */
  private crateAbsolutePath(segs: readonly string[], nesting: number): string[] | undefined {
    if (!this.crate) return undefined;
    const first = segs[0]!;
    if (first === 'crate') return [...segs];
    if (first === 'self') return nesting === 0 && this.childModules.has(segs[1] ?? '') ? [...this.modulePath, ...segs.slice(1)] : undefined;
    if (first === 'super') {
      let k = 0;
      while (segs[k] === 'super') k++;
      if (k <= nesting) return undefined;
      const base = this.modulePath.slice(0, this.modulePath.length - (k - nesting));
      return base.length ? [...base, ...segs.slice(k)] : undefined;
    }
    if (nesting === 0 && this.childModules.has(first)) return [...this.modulePath, ...segs];
    return undefined;
  }

  /** A path of the crate made absolute, when it leads to another module than this file's own. */
  private absolutePath(segs: readonly string[], nesting: number): string[] | undefined {
    const abs = this.crateAbsolutePath(segs, nesting);
    if (!abs) return undefined;
    const own = this.modulePath;
    return abs.length > own.length && own.every((s, i) => abs[i] === s) ? undefined : abs;
  }

  /** A constant another module of the crate defines: 'here' when the path stays in this file. */
  private crateConst(segs: readonly string[], nesting: number): AV | undefined | 'here' {
    const abs = this.absolutePath(segs, nesting);
    if (!abs) return 'here';
    return this.crate!.constAt(abs);
  }

  /**
   * Types of other modules met through a full path (`crate::buf::Page::zeroed()`): a value names its type
   * by its last segment only, so its fields are looked up here; two different types of one name are neither.
   */
  private readonly otherModuleTypes = new Map<string, AlignedType | null>();

  private noteOtherModuleType(name: string, info: AlignedType): void {
    const seen = this.otherModuleTypes.get(name);
    if (seen === undefined) this.otherModuleTypes.set(name, info);
    else if (seen && (seen.align !== info.align || seen.firstField !== info.firstField || seen.size !== info.size)) this.otherModuleTypes.set(name, null);
  }

  /** A #[repr(align)] type by its name here: declared in this file, or brought in by `use`. */
  private alignedType(name: string): AlignedType | undefined {
    const local = this.alignedTypes.get(name);
    if (local || !this.crate) return local;
    const imported = this.uses.get(name);
    if (!imported) return this.otherModuleTypes.get(name) ?? undefined;
    const abs = this.absolutePath(imported.split('::'), this.useNesting.get(name) ?? 0);
    return abs ? this.crate.alignedTypeAt(abs) : undefined;
  }

  /** A #[repr(align)] type by a path (`AlignedPage`, `crate::buf::AlignedPage`; `use` already applied). */
  private alignedTypeAt(segs: readonly string[]): AlignedType | undefined {
    if (segs.length === 1) return this.alignedType(segs[0]!);
    const abs = this.absolutePath(segs, 0);
    if (abs) return this.crate!.alignedTypeAt(abs);
    return this.alignedTypes.get(segs[segs.length - 1]!);
  }

  /** For other modules: this module's constant at `rest` (the path after this module's own). */
  exportedConst(rest: readonly string[]): AV {
    if (!this.reachable(rest)) return UNKNOWN;
    const last = rest[rest.length - 1]!;
    const own = this.constValue(last);
    if (own) return own;
    // `pub use consts::PAGE;` here: the name is another module's.
    const imported = rest.length === 1 ? this.uses.get(last) : undefined;
    if (imported) {
      const abs = this.absolutePath(imported.split('::'), this.useNesting.get(last) ?? 0);
      if (abs) return this.crate!.constAt(abs) ?? UNKNOWN;
    }
    return UNKNOWN;
  }

  /** Functions of this module already walked for another module (by summary key of their return value). */
  private readonly walked = new Set<string>();

  /**
   * For other modules: what this module's function at `rest` (`f`, `Type::f`) returns, from a walk of
   * that function and of the functions its return value depends on, with what the module alone knows
   * of their parameters.
   */
  exportedReturn(rest: readonly string[]): { value: AV; type?: { name: string; info: AlignedType } } {
    if (rest.length > 2 || (rest.length === 2 && !this.localScopes.has(rest[0]!))) return { value: UNKNOWN };
    const [type, name] = rest.length === 2 ? [rest[0], rest[1]!] : [undefined, rest[0]!];
    const key = retKey(type, name);
    if (!this.walked.has(key)) {
      this.walked.add(key);
      const writers = this.returnWriters();
      const target = writers(key);
      if (target.length) {
        runUnits(this.functions, NOTHING, this.summaries, nameOfKey, (unit) => this.analyzeFunction(unit), () => this.sites.result(),
          { demand: writers, start: target });
      }
    }
    const value = this.summaries.valueOf(key) ?? UNKNOWN;
    const typeName = value.k === 'buf' && /repr\(align/.test(value.origin.origin) ? value.origin.origin.split(' ').pop()! : undefined;
    const info = typeName ? this.alignedType(typeName) : undefined;
    return { value: crossingValue(value), type: typeName && info ? { name: typeName, info } : undefined };
  }

  /**
   * The functions of this file that write a return-value key, for the scheduler: a function whose value
   * a walked function reads (a buffer from `alloc_aligned(n)`) is walked then, whatever its text holds.
   */
  returnWriters(): (key: string) => readonly number[] {
    const writers = new Map<string, number[]>();
    this.functions.forEach((u, i) => { const k = retKey(u.selfType, u.name); writers.set(k, [...(writers.get(k) ?? []), i]); });
    return (k: string) => writers.get(k) ?? [];
  }

  /**
   * The scheduler's demand: the writers of a return value (see returnWriters) and, for a field of a struct
   * of the file, the callers of each function that fills that field from its own parameter (`fn request(…,
   * offset: usize) -> AioCb { AioCb { offset, … } }`). A helper that reads `cb.offset` then holds the
   * builder's parameter, which only the builder's calls make known; a caller naming no site text (a
   * `main` that builds the requests and submits them) is otherwise never walked.
   */
  summaryWriters(): (key: string) => readonly number[] {
    const returns = this.returnWriters();
    const builders = new Map<string, Set<string>>();
    for (const u of this.functions) {
      const params = new Set<string>();
      for (const p of fc(u.fn, 'parameters')?.namedChildren ?? []) {
        const pat = p.type === 'parameter' ? fc(p, 'pattern') : null;
        if (pat?.type === 'identifier') params.add(pat.text);
      }
      if (!params.size) continue;
      walkTree(fc(u.fn, 'body')!, (t, get) => {
        if (t !== 'struct_expression') return true;
        const n = get();
        const type = baseTypeName(fc(n, 'name'), u.selfType);
        if (!type || !this.localScopes.has(type)) return true;
        for (const f of fc(n, 'body')?.namedChildren ?? []) {
          const field = f.type === 'field_initializer' ? fc(f, 'field')?.text : f.type === 'shorthand_field_initializer' ? f.namedChildren[0]?.text : undefined;
          const value = f.type === 'field_initializer' ? fc(f, 'value') : f.namedChildren[0];
          if (!field || value?.type !== 'identifier' || !params.has(value.text)) continue;
          const key = fieldKey(type, field);
          builders.set(key, (builders.get(key) ?? new Set()).add(u.name));
        }
        return true;
      });
    }
    const callers = new Map<string, number[]>();
    for (const [key, names] of builders) {
      const found: number[] = [];
      this.functions.forEach((u, i) => { if ([...names].some((n) => u.text.includes(`${n}(`))) found.push(i); });
      callers.set(key, found);
    }
    return (k: string) => {
      const more = callers.get(k);
      return more?.length ? [...returns(k), ...more] : returns(k);
    };
  }

  /** For other modules: this module's #[repr(align)] type at `rest`. */
  exportedAlignedType(rest: readonly string[]): AlignedType | undefined {
    if (!this.reachable(rest)) return undefined;
    return rest.length === 1 ? this.alignedType(rest[0]!) : this.alignedTypes.get(rest[rest.length - 1]!);
  }

  /** An item path inside this module names something here: itself, or through an inline module or a type of this file. */
  private reachable(rest: readonly string[]): boolean {
    return rest.length === 1 || (rest.length <= 4 && this.localScopes.has(rest[0]!));
  }

  /** Well-known constants from libc/nix/rustix, by the last path segments. */
  private evalPathConstant(path: string): AV | undefined {
    const segs = path.split('::');
    const last = segs[segs.length - 1]!;
    const owner = segs[segs.length - 2];
    if (last === 'O_DIRECT') return { k: 'flags', oDirect: true };
    if (owner === 'OFlags' && last === 'DIRECT') return { k: 'flags', oDirect: true };
    if (/^O_[A-Z0-9_]+$/.test(last) || (owner === 'OFlags' && /^[A-Z][A-Z0-9_]*$/.test(last))) return { k: 'flags', oDirect: false };
    if (last === 'FICLONE' && !this.consts.has('FICLONE')) return num(FICLONE_REQUEST);
    if (last === 'FICLONERANGE' && !this.consts.has('FICLONERANGE')) return num(FICLONERANGE_REQUEST);
    return undefined;
  }

  /** Value of a file-level `const`/`static`; ambiguous names (several different values) are unknown. */
  private constValue(name: string): AV | undefined {
    const decls = this.consts.get(name);
    if (!decls) return undefined;
    let result: AV | undefined;
    for (const d of decls) {
      const v = this.evalConstDecl(d);
      result = result === undefined ? v : join(result, v);
    }
    return result;
  }

  private evalConstDecl(d: ConstDecl): AV {
    const cached = this.constCache.get(d.value.id);
    if (cached) return cached;
    if (this.constBusy.has(d.value.id)) return UNKNOWN; // const A = B; const B = A;
    this.constBusy.add(d.value.id);
    let v: AV;
    try {
      v = this.evalConstExpr(d.value);
    } finally {
      this.constBusy.delete(d.value.id);
    }
    // `const O_DIRECT: i32 = 0x4000;`: the crate's own spelling of the flag libc names, when its number
    // is the flag on some Linux architecture. A number alone under another name is not read as the flag.
    if (v.k === 'num' && d.name === 'O_DIRECT' && ARCH_O_DIRECT.has(v.value)) v = { k: 'flags', oDirect: true };
    else if (v.k === 'num') v = num(v.value, constantDef(d.name, d.value));
    this.constCache.set(d.value.id, v);
    return v;
  }

  private evalConstExpr(node: Node): AV {
    const saved = { depth: this.depth, flat: this.flat };
    this.depth = 0;
    this.flat = false;
    try {
      return this.evalExpr(node, new Env());
    } finally {
      this.depth = saved.depth;
      this.flat = saved.flat;
    }
  }

  private resolvePath(node: Node): string {
    return this.resolvePathText(node.text);
  }

  private resolvePathText(text: string): string {
    const path = cleanPath(text);
    const segs = path.split('::');
    const first = segs[0]!;
    const imported = this.uses.get(first);
    if (imported && segs.length > 1) return [imported, ...segs.slice(1)].join('::');
    if (imported && segs.length === 1) return imported;
    return path;
  }

  /** Canonical name of a called function: `use` aliases resolved, `std::`/`::` prefixes dropped. */
  private calleePath(fnNode: Node): string | undefined {
    let n = fnNode;
    if (n.type === 'generic_function') n = fc(n, 'function') ?? n;
    if (n.type !== 'identifier' && n.type !== 'scoped_identifier') return undefined;
    let path = this.resolvePath(n);
    // Directly inside syscall!(…): the macro calls libc's function of that name.
    if (this.inLibcWrapper && n.type === 'identifier' && !this.uses.has(n.text) && n.parent?.parent?.type === 'arguments'
      && n.parent.parent.parent?.type === 'call_expression' && fc(n.parent.parent.parent, 'function')?.text === '__zfs_dio_args') {
      return normalizeCrate(`libc::${n.text}`);
    }
    if (n.type === 'identifier' && !this.uses.has(n.text)) {
      for (const w of this.wildcards) {
        const candidate = `${w}::${n.text}`;
        if (KNOWN_FUNCTIONS.has(normalizeCrate(candidate))) { path = candidate; break; }
      }
    }
    return normalizeCrate(path);
  }

  private evalBinaryExpr(node: Node, env: Env): AV {
    const op = fc(node, 'operator')?.type ?? '';
    const a = this.evalExpr(fc(node, 'left'), env);
    const b = this.evalExpr(fc(node, 'right'), env);
    if (COMPARISONS.has(op)) { markHandled(a); markHandled(b); return UNKNOWN; }
    if (op === '&&' || op === '||') { markHandled(a); markHandled(b); return UNKNOWN; }
    markUsed(a); markUsed(b);
    return binary(op, a, b);
  }

  // -------------------------------------------------------------------------------------------
  // Statements and control flow

  private evalBlock(block: Node, env: Env): AV {
    env.enterBlock();
    let last: AV = UNKNOWN;
    try {
      const children = block.namedChildren;
      for (let i = 0; i < children.length; i++) {
        const c = children[i]!;
        if (env.diverged) break;
        if (c.type === 'let_declaration') { this.evalLet(c, env); last = UNKNOWN; continue; }
        if (c.type === 'expression_statement') {
          const v = this.evalExpr(c.namedChildren[0], env);
          // `if …{}` / `unsafe {…}` without a `;` at the end of a block is still its value.
          last = v.k === 'never' ? NEVER : c.lastChild?.type === ';' ? UNKNOWN : v;
          continue;
        }
        if (isCommentOrItem(c)) continue;
        // The tail expression (no semicolon) is the block's value.
        last = this.evalExpr(c, env);
      }
    } finally {
      env.exitBlock();
    }
    return env.diverged ? NEVER : last;
  }

  private evalLet(node: Node, env: Env): void {
    const valueNode = fc(node, 'value');
    const typeNode = fc(node, 'type');
    let v = this.evalExpr(valueNode, env);
    const typeName = baseTypeName(typeNode, this.selfType);
    if (typeName && (v.k === 'unknown' || valueNode?.type === 'call_expression')) {
      // `let b: Aligned = unsafe { zeroed() }`, `let r: libc::file_clone_range = zeroed()`
      if (this.alignedType(typeName)) v = this.valueOfType(typeName);
      else if (typeName === 'file_clone_range' && v.k === 'unknown') v = zeroedCloneRange();
    }
    const element = vecElementType(typeNode);
    if (element && v.k === 'buf' && v.origin.state === 'unaligned' && valueNode && isEmptyVecCall(valueNode)) {
      // `let units: Vec<Page> = Vec::with_capacity(n)`: the annotation names the element type.
      v = this.vecOfAlignedElements(element, valueNode) ?? v;
    }
    if (typeNode?.type === 'array_type' && v.k === 'buf' && !v.size) {
      const len = fc(typeNode, 'length');
      const n = len ? this.evalExpr(len, env) : UNKNOWN;
      if (n.k === 'num') v = { ...v, size: n };
    }
    const alt = fc(node, 'alternative');
    if (alt) this.evalExpr(alt, env.copy());
    this.bindPattern(fc(node, 'pattern'), v, env, true);
  }

  private bindPattern(pat: Node | null, v: AV, env: Env, declare: boolean): void {
    if (!pat) return;
    const bind = (name: string, value: AV): void => { if (declare) env.declare(name, value); else env.assign(name, value); };
    switch (pat.type) {
      case 'identifier': bind(pat.text, v); return;
      case 'mut_pattern': case 'ref_pattern': case 'reference_pattern': this.bindPattern(pat.namedChildren[pat.namedChildCount - 1] ?? null, v, env, declare); return;
      case 'tuple_pattern': {
        const items = pat.namedChildren;
        items.forEach((p, i) => this.bindPattern(p, v.k === 'list' ? v.items[i] ?? UNKNOWN : UNKNOWN, env, declare));
        return;
      }
      case 'tuple_struct_pattern': {
        // Ok(x) / Some(x): x is the wrapped value; other constructors tell us nothing.
        const ctor = fc(pat, 'type')?.text ?? '';
        // Node objects are fresh on every access: compare ids, not objects.
        const typeId = fc(pat, 'type')?.id;
        const inner = pat.namedChildren.filter((c) => c.id !== typeId);
        inner.forEach((p) => this.bindPattern(p, ctor === 'Ok' || ctor === 'Some' ? v : UNKNOWN, env, declare));
        return;
      }
      default:
        walkTree(pat, (type, get) => {
          if (type === 'identifier' || type === 'shorthand_field_identifier') { bind(get().text, UNKNOWN); return false; }
          return type !== 'scoped_identifier' && type !== 'type_identifier';
        });
    }
  }

  private evalAssignment(node: Node, env: Env): void {
    const left = fc(node, 'left');
    const v = this.evalExpr(fc(node, 'right'), env);
    this.store(left, v, env);
  }

  private evalCompound(node: Node, env: Env): void {
    const left = fc(node, 'left');
    const opText = fc(node, 'operator')?.text ?? '';
    const r = this.evalExpr(fc(node, 'right'), env);
    markUsed(r);
    const cur = left?.type === 'identifier' ? env.get(left.text) ?? UNKNOWN : UNKNOWN;
    this.store(left, binary(opText.replace(/=$/, ''), cur, r), env);
  }

  /** Writes a value to a place: a local, a field (`self.file = f`, `r.src_offset = 0`), or anything else (ignored). */
  private store(left: Node | null, v: AV, env: Env): void {
    if (!left) return;
    if (left.type === 'identifier' && this.mutableStatics.has(left.text) && !env.has(left.text)) { this.storeStatic(left.text, v, left, env); return; }
    if (left.type === 'identifier') { env.assign(left.text, v); return; }
    escapePosition(env, v);   // a field, an element: other code may use the descriptor through it
    if (left.type === 'field_expression') {
      const objNode = fc(left, 'value');
      const field = fc(left, 'field')?.text;
      if (!objNode || !field) return;
      const obj = this.evalExpr(objNode, env);
      if (obj.k === 'inst') this.summaries.write(fieldKey(obj.type, field), left.startIndex, summaryValue(v));
      else if (obj.k === 'obj') {
        const copy: ObjAV = { k: 'obj', type: obj.type, fields: new Map(obj.fields), ranges: new Map(obj.ranges) };
        copy.fields.set(field, v);
        copy.ranges.set(field, (left.parent ? fc(left.parent, 'right') : null) ?? left);
        if (objNode.type === 'identifier') env.assign(objNode.text, copy);
        if (obj.type) this.summaries.write(fieldKey(obj.type, field), left.startIndex, summaryValue(v));
      }
      return;
    }
    this.evalExpr(left, env);
  }

  /**
   * A value stored into a `static` (an atomic's `store`, a `static mut` assignment): every function of
   * the file that reads the static sees the join of what was stored. A negative number stored into it
   * is the "no descriptor" mark (`-1`) of a static that otherwise holds one, not a value I/O uses.
   */
  private storeStatic(name: string, v: AV, at: Node, env: Env): void {
    escapePosition(env, v);
    if (v.k === 'num' && v.value < 0) return;
    this.summaries.write(staticKey(name), at.startIndex, summaryValue(v));
  }

  private evalIf(node: Node, env: Env): AV {
    const cond = fc(node, 'condition');
    const thenEnv = env.copy();
    // `if let` bindings live only in the then-branch; side effects of the condition reach both branches.
    thenEnv.enterBlock();
    const consequence = fc(node, 'consequence');
    const alt = fc(node, 'alternative');
    // `if n < 0 { eprintln!(…); std::process::exit(1) }` outside a loop: checked only to give up.
    const givesUp = this.loopDepth === 0 && !alt && !!cond && !FALLBACK_ERRNO.test(cond.text) && onlyReportsAndLeaves(consequence);
    const evalCond = () => { markHandled(this.evalExpr(cond, thenEnv)); };
    const check = givesUp ? giveUpCheck(this.sites, evalCond) : (evalCond(), undefined);
    const elseEnv = thenEnv.copy();
    elseEnv.exitBlock();
    const a = this.evalExpr(consequence, thenEnv);
    check?.settle();
    thenEnv.exitBlock();
    const b = alt ? this.evalExpr(alt.namedChildren[0], elseEnv) : UNKNOWN;
    // Without an else, the path that skips the branch is the other one.
    const direct = directBranch([alt ? a : UNKNOWN, b], [thenEnv, elseEnv], env);
    if (direct !== undefined) { env.joinFrom([[thenEnv, elseEnv][direct]!]); return alt ? [a, b][direct]! : UNKNOWN; }
    if (!alt && !givesUp && thenEnv.diverged && cond) this.noteDivertingParams(cond);
    env.joinFrom([thenEnv, elseEnv]);
    return join(a, alt ? b : UNKNOWN);
  }

  private noteDivertingParams(cond: Node): void {
    walkTree(cond, (t, get) => {
      if (t === 'identifier' && this.params.has(get().text)) this.divertingParams.add(get().text);
      return true;
    });
  }

  /**
   * The arguments a call's record keeps: a field read of a struct parameter that an early return has
   * tested (see divertingParams) is recorded as an unknown of its own, so no caller's value is judged
   * through it.
   */
  private recordedArgs(args: readonly AV[], argNodes: readonly Node[]): { av: AV; node: Node }[] {
    return args.map((av, i) => {
      const node = argNodes[i]!;
      const root = this.divertingParams.size ? fieldRoot(node) : undefined;
      return { av: root && this.divertingParams.has(root) ? { ...UNKNOWN } : this.asSlice(av), node };
    });
  }

  private evalMatch(node: Node, env: Env): AV {
    const scrutinee = this.evalExpr(fc(node, 'value'), env);
    markHandled(scrutinee);
    const body = fc(node, 'body');
    const arms = body?.namedChildren.filter((c) => c.type === 'match_arm') ?? [];
    const envs: Env[] = [];
    const values: AV[] = [];
    let value: AV = NEVER;
    for (const arm of arms) {
      const e = env.copy();
      e.enterBlock();
      const pat = fc(arm, 'pattern');
      const inner = pat?.namedChildren.find((c) => c.type !== 'line_comment') ?? null;
      this.bindPattern(inner, scrutinee, e, true);
      const guard = pat ? fc(pat, 'condition') : null;
      if (guard) markHandled(this.evalExpr(guard, e));
      const v = this.evalExpr(fc(arm, 'value'), e);
      e.exitBlock();
      envs.push(e);
      values.push(v);
      value = join(value, v);
    }
    const direct = directBranch(values, envs, env);
    if (direct !== undefined) { env.joinFrom([envs[direct]!]); return values[direct]!; }
    if (envs.length) env.joinFrom(envs);
    return arms.length ? value : UNKNOWN;
  }

  private evalLoop(node: Node, env: Env): AV {
    const body = fc(node, 'body');
    // `loop { … return n; … }` with no `break` of its own ends only through its returns: it has no value.
    const endless = node.type === 'loop_expression' && !breaksOut(body);
    const assigned = this.assignedNames(body);
    const zeroAtEntry = [...assigned].filter((n) => { const v = env.get(n); return v?.k === 'num' && v.value === 0; });
    env.havoc(assigned);
    // `let mut done = 0; while done < n { … &buf[done..n] … done += w }`: unknown at the loop head, but 0 on the first pass
    for (const n of zeroAtEntry) { const v: AV = { k: 'unknown' }; this.zeroOnFirstPass.add(v); env.assign(n, v); }
    this.loopDepth++;
    try {
      const inner = env.copy();
      let ranged: AV | undefined;
      if (node.type === 'for_expression') {
        ranged = this.evalExpr(iterated(fc(node, 'value')), env);
        inner.enterBlock();
        this.bindPattern(fc(node, 'pattern'), UNKNOWN, inner, true);
      } else if (node.type === 'while_expression') {
        markHandled(this.evalExpr(fc(node, 'condition'), inner));
      }
      const start = inner.copy();
      this.evalExpr(body, inner);
      // `for &(name, off, len) in CASES` over a literal table: the body once more per row
      const pattern = fc(node, 'pattern');
      if (ranged?.k === 'list' && ranged.rows && body && pattern) {
        const source = iterated(fc(node, 'value'));
        const name = source?.type === 'reference_expression' ? fc(source, 'value') : source;
        this.walkRows(body, start, boundNames(pattern), ranged, name?.type === 'identifier' || name?.type === 'scoped_identifier' ? name.text : 'the table',
          (env, row) => { this.bindPattern(pattern, row, env, true); this.evalExpr(body, env); });
      }
      if (node.type === 'for_expression') inner.exitBlock();
      inner.diverged = false;   // break/continue end an iteration, not the function
      env.joinFrom([env.copy(), inner]);
      // After the loop the counter is where some pass left it.
      for (const n of zeroAtEntry) { const v = env.get(n); if (v && this.zeroOnFirstPass.has(v)) env.assign(n, UNKNOWN); }
    } finally {
      this.loopDepth--;
    }
    return endless ? NEVER : UNKNOWN;
  }


  // -------------------------------------------------------------------------------------------
  // Values with structure

  private evalField(node: Node, env: Env): AV {
    const objNode = fc(node, 'value');
    const field = fc(node, 'field')?.text ?? '';
    const obj = this.evalExpr(objNode, env);
    return this.fieldOf(obj, field);
  }

  private fieldOf(obj: AV, field: string): AV {
    const read = readField(obj, field, this.summaries);
    if (read) return read;
    if (obj.k === 'buf' && obj.origin.state === 'aligned' && /repr\(align/.test(obj.origin.origin)) {
      // The first field of a #[repr(align)] struct sits at offset 0 of the aligned value.
      const typeName = obj.origin.origin.split(' ').pop()!;
      const info = this.alignedType(typeName);
      if (info && info.firstField === field) return { k: 'buf', origin: { ...obj.origin, origin: `${obj.origin.origin}.${field}` }, size: obj.size };
      return UNKNOWN;
    }
    if (obj.k === 'list' && /^\d+$/.test(field)) return obj.items[Number(field)] ?? UNKNOWN;
    return UNKNOWN;
  }

  private evalIndex(node: Node, env: Env): AV {
    const [baseNode, idxNode] = node.namedChildren;
    const base = this.evalExpr(baseNode, env);
    if (idxNode?.type === 'range_expression') {
      const { start, end, inclusive } = rangeParts(idxNode);
      const s = start ? this.evalExpr(start, env) : undefined;
      let e = end ? this.evalExpr(end, env) : undefined;
      if (e && inclusive) e = e.k === 'num' ? num(e.value + 1) : UNKNOWN;
      if (base.k !== 'buf') return UNKNOWN;
      const view = sliceBuf(base, s, e);
      if (base.origin.state === 'unaligned' && s && this.zeroOnFirstPass.has(s)) {
        // Not an offset that aligns by hand: the loop's first pass starts at the allocation itself.
        return { ...view, origin: { ...view.origin, state: 'unaligned', origin: `${base.origin.origin} (from offset 0 on the loop's first pass)` } };
      }
      return view;
    }
    this.evalExpr(idxNode, env);
    return UNKNOWN;
  }

  private evalArray(node: Node, env: Env): AV {
    const lengthNode = fc(node, 'length');
    if (lengthNode) {
      // [0u8; N]: a plain array, aligned only to its element type.
      const elem = node.namedChildren.find((c) => c.id !== lengthNode.id);
      this.evalExpr(elem, env);
      const n = this.evalExpr(lengthNode, env);
      const suffix = elem?.type === 'integer_literal' ? /[iu](8|16|32|64|128|size)$/.exec(elem.text) : null;
      const width = suffix ? SUFFIX_BYTES[suffix[1]!]! : 1;
      const size = n.k === 'num' ? (width === 1 ? n : num(n.value * width)) : undefined;
      return unalignedBuf(`array [${elem?.text ?? '_'}; ${lengthNode.text}]`, size, node);
    }
    const elements = node.namedChildren.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment');
    const list: ListAV = { k: 'list', items: elements.map((c) => this.evalExpr(c, env)) };
    // an array of tuple or struct literals is a table of cases: its rows can be walked one by one
    if (elements.length && elements.every((c) => c.type === 'tuple_expression' || c.type === 'struct_expression')) list.rows = elements.slice(0, MAX_TABLE_ROWS);
    return list;
  }

  private evalStruct(node: Node, env: Env): AV {
    const typeName = baseTypeName(fc(node, 'name'), this.selfType);
    const body = fc(node, 'body');
    const obj: ObjAV = { k: 'obj', type: typeName, fields: new Map(), ranges: new Map() };
    for (const f of body?.namedChildren ?? []) {
      if (f.type === 'field_initializer') {
        const name = fc(f, 'field')?.text;
        const valueNode = fc(f, 'value');
        const v = this.evalExpr(valueNode, env);
        escapePosition(env, v);
        if (name) { obj.fields.set(name, v); if (valueNode) obj.ranges.set(name, valueNode); }
      } else if (f.type === 'shorthand_field_initializer') {
        const name = f.namedChildren[0]?.text;
        if (name) { obj.fields.set(name, this.evalIdentifier(name, env)); obj.ranges.set(name, f); }
      } else if (f.type === 'base_field_initializer') {
        this.evalExpr(f.namedChildren[0], env);
      }
    }
    if (typeName) for (const [name, v] of obj.fields) this.summaries.write(fieldKey(typeName, name), node.startIndex, summaryValue(v));
    const info = typeName ? this.alignedType(typeName) : undefined;
    if (typeName && info) {
      return alignedBuf(`#[repr(align(${info.align}))] ${typeName}`, info.align, info.size !== undefined ? num(info.size) : undefined, node);
    }
    return obj;
  }

  private evalMacro(node: Node, env: Env): AV {
    const name = macroName(node);
    const tokens = node.namedChildren.find((c) => c.type === 'token_tree');
    const expansion = name !== undefined && fc(node, 'macro')?.type === 'identifier' ? this.constantMacros.get(name) : undefined;
    if (expansion !== undefined && tokens && /^[([{]\s*[)\]}]$/.test(tokens.text)) return expansion ? this.evalSnippet(expansion, env) : UNKNOWN;
    if (name === 'vec' && tokens) {
      const inner = tokens.text.slice(1, -1);
      const semi = topLevelSemicolon(inner);
      if (semi >= 0) {
        const sizeText = inner.slice(semi + 1).trim();
        // A literal size is a token of this tree: keep where it is, so a fix can grow the vector.
        const last = tokens.namedChildren[tokens.namedChildren.length - 1];
        const size = last?.type === 'integer_literal' && last.text === sizeText ? intLiteral(last.text, last) : this.evalSnippet(sizeText, env);
        return unalignedBuf(`Vec<u8> (vec![${inner.trim()}])`, size.k === 'num' ? size : undefined, node);
      }
      return unalignedBuf('Vec<u8> (vec![…])', undefined, node);
    }
    // The request numbers of ioctl-sys's iow!(0x94, 9, size) and nix's request_code_write!(…): the
    // clone requests by their type and number, whatever size expression names the argument.
    if ((name === 'iow' || name === 'request_code_write') && tokens) {
      const parts = splitTopLevel(tokens.text.slice(1, -1), ',');
      const magic = parts.length === 3 ? this.evalSnippet(parts[0]!, env) : UNKNOWN;
      const nr = parts.length === 3 ? this.evalSnippet(parts[1]!, env) : UNKNOWN;
      if (magic.k === 'num' && magic.value === 0x94 && nr.k === 'num' && (nr.value === 9 || nr.value === 13)) {
        return num(nr.value === 9 ? FICLONE_REQUEST : FICLONERANGE_REQUEST);
      }
      return UNKNOWN;
    }
    if (name && /^(panic|unreachable|todo|unimplemented)$/.test(name)) { env.diverged = true; return NEVER; }
    if (tokens && name && !/^(macro_rules|include_str|include_bytes|concat|stringify|env|cfg)$/.test(name) && /[\w>]\s*[(!]/.test(tokens.text)) {
      return this.evalMacroArguments(name, tokens, env);
    }
    return UNKNOWN;
  }

  /**
   * Calls inside `assert!(…)`, `println!(…)`, `dbg!(…)`, `try!(…)` and most other macros: token trees are
   * not parsed as expressions, so the body is parsed as the arguments of a call in a throwaway tree
   * whose positions are mapped back into the file. `assert!`-like macros check their arguments.
   */
  private evalMacroArguments(name: string, tokens: Node, env: Env): AV {
    const inner = tokens.text.slice(1, -1);
    if (inner.length > 20_000 || this.flat) return UNKNOWN;
    const prefix = 'fn __zfs_dio() { __zfs_dio_args(';
    this.macroParser ??= (() => { const p = new Parser(); p.setLanguage(this.root.tree.language); return p; })();
    const tree = this.macroParser.parse(`${prefix}${inner}); }`);
    if (!tree) return UNKNOWN;
    this.snippetTrees.push(tree);
    registerSnippet(tree, tokens.startPosition.row, tokens.startPosition.column + 1, prefix.length);
    const fn = tree.rootNode.namedChildren.find((c) => c.type === 'function_item');
    const stmt = fn ? fc(fn, 'body')?.namedChildren.find((c) => c.type === 'expression_statement') : undefined;
    const call = stmt?.namedChildren[0];
    if (call?.type !== 'call_expression') return UNKNOWN;
    const args = (fc(call, 'arguments')?.namedChildren ?? []).filter((c) => !c.type.endsWith('comment'));
    const checks = /^(debug_)?assert(_eq|_ne)?$|^ensure$|^matches$/.test(name);
    const wrapper = this.libcWrapperMacros.has(name) || (KNOWN_WRAPPER_MACROS.has(name) && args.length === 1 && args[0]!.type === 'call_expression');
    const outer = this.inLibcWrapper;
    this.inLibcWrapper = wrapper;
    let values: AV[];
    try {
      values = args.map((a) => {
        const v = this.evalExpr(a, env);
        if (checks) markHandled(v); else markUsed(v);
        escapePosition(env, v);   // write!(f, …) and the like move the position by what we cannot count
        return v;
      });
    } finally {
      this.inLibcWrapper = outer;
    }
    // syscall!(f(…)) is f's result (its -1 turned into an error): passed on as the value
    if (wrapper && values.length === 1) return values[0]!;
    return /^(try|dbg|identity)$/.test(name) && values.length === 1 ? values[0]! : UNKNOWN;
  }

  /**
   * Evaluates a macro argument such as the `CHUNK * 2` in `vec![0u8; CHUNK * 2]`: token trees are not
   * parsed as expressions, so the snippet is parsed on its own (synchronously, the grammar is loaded).
   */
  private evalSnippet(text: string, env: Env): AV {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return this.evalIdentifier(text, env);
    const lit = parseIntegerLiteral(text);
    if (lit !== undefined) return num(lit);
    if (text.length > 200) return UNKNOWN;
    this.macroParser ??= (() => { const p = new Parser(); p.setLanguage(this.root.tree.language); return p; })();
    const tree = this.macroParser.parse(`const _X: usize = ${text};`);
    if (!tree) return UNKNOWN;
    try {
      const item = tree.rootNode.namedChildren[0];
      const value = item?.type === 'const_item' ? fc(item, 'value') : null;
      if (!value || tree.rootNode.hasError) return UNKNOWN;
      const saved = this.flat;
      this.flat = false;
      try {
        return this.evalNumberOnly(value, env);
      } finally {
        this.flat = saved;
      }
    } finally {
      tree.delete();
    }
  }

  /** Numbers only: a snippet's nodes belong to a throwaway tree, so nothing here may record a site. */
  private evalNumberOnly(node: Node, env: Env): AV {
    switch (node.type) {
      case 'integer_literal': return intLiteral(node.text);
      case 'identifier': { const v = this.evalIdentifier(node.text, env); return v.k === 'num' ? v : UNKNOWN; }
      case 'scoped_identifier': { const v = this.evalPath(this.resolvePath(node), env); return v.k === 'num' ? v : UNKNOWN; }
      case 'parenthesized_expression': return this.evalNumberOnly(node.namedChildren[0]!, env);
      case 'type_cast_expression': return this.evalNumberOnly(fc(node, 'value')!, env);
      case 'binary_expression': {
        const op = fc(node, 'operator')?.type ?? '';
        return binary(op, this.evalNumberOnly(fc(node, 'left')!, env), this.evalNumberOnly(fc(node, 'right')!, env));
      }
      default: return UNKNOWN;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Calls: sites and the library functions whose results we understand

  protected override evalCall(node: Node, env: Env): AV {
    const fnNode = fc(node, 'function');
    const argsNode = fc(node, 'arguments');
    const argNodes = argsNode ? argsNode.namedChildren.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment' && c.type !== 'attribute_item') : [];
    if (!fnNode) return UNKNOWN;
    if (fnNode.type === 'field_expression') return this.evalMethodCall(node, fnNode, argNodes, env);
    const path = this.calleePath(fnNode);
    const args = argNodes.map((a) => this.evalExpr(a, env));
    if (path === undefined) {
      this.evalExpr(fnNode, env);
      args.forEach(markHandled);   // a copy_file_range result handed to code we cannot see: not ours to flag
      args.forEach((a) => escapePosition(env, a));
      return UNKNOWN;
    }
    return this.evalFunctionCall(node, fnNode, path, argNodes, args, env);
  }

  private evalFunctionCall(node: Node, fnNode: Node, path: string, argNodes: Node[], args: AV[], env: Env): AV {
    const callee = cleanPath(fnNode.type === 'generic_function' ? fc(fnNode, 'function')!.text : fnNode.text);
    const arg = (i: number): AV => args[i] ?? UNKNOWN;
    const calledParam = fnNode.type === 'identifier' && !this.functions.some((u) => u.name === fnNode.text && !u.selfType) ? this.unchangedParam(fnNode, env) : undefined;
    if (calledParam !== undefined) {
      // `f()` of a closure parameter: what each call's closure returns (see closurePassThrough).
      args.forEach(markHandled);
      args.forEach((a) => escapePosition(env, a));   // what the closure does with a file is not seen here
      const result: AV = { k: 'unknown' };
      this.closureResults.set(result, calledParam);
      return result;
    }

    if (CFR_FUNCTIONS.has(path)) return this.copyFileRangeSite(node, callee, argNodes, args, 0, env);
    if (path === 'libc::syscall' && /SYS_copy_file_range$/.test(cleanPath(argNodes[0]?.text ?? ''))) {
      return this.copyFileRangeSite(node, callee, argNodes, args, 1, env);
    }
    if (path === 'libc::ioctl' || (path === 'libc::syscall' && /SYS_ioctl$/.test(cleanPath(argNodes[0]?.text ?? '')))) {
      const shift = path === 'libc::syscall' ? 1 : 0;
      const variant = ficloneVariantOf(arg(shift + 1));
      if (variant) this.ficloneSite(node, callee, variant, argNodes.slice(shift), args.slice(shift));
      return UNKNOWN;
    }
    if (path === 'rustix::fs::ioctl_ficlone') { this.ficloneSite(node, callee, 'FICLONE', [argNodes[0]!, argNodes[0]!, argNodes[1]!], [arg(0), UNKNOWN, arg(1)]); return UNKNOWN; }
    const wrapper = fnNode.type === 'identifier' ? this.ioctlWrappers.get(fnNode.text) : undefined;
    if (wrapper) { this.ficloneSite(node, callee, wrapper, [argNodes[0]!, argNodes[0]!, argNodes[1]!], [arg(0), UNKNOWN, arg(1)]); return UNKNOWN; }
    if (path === 'reflink::reflink' || path === 'reflink_copy::reflink') {
      const s = this.sites.add('ficlone', callee, node);
      if (s) s.facts.ficloneVariant = 'FICLONE';
      return UNKNOWN;
    }

    const flagsIdx = OPEN_FUNCTIONS[path];
    if (flagsIdx !== undefined) {
      const d = oDirectOf(arg(flagsIdx));
      if (d === true || d === 'maybe') this.openSite(node, callee, argNodes[flagsIdx]);
      const opened = openedFd(env, { k: 'fd', oDirect: d ?? false }, rangeOf(node), arg(flagsIdx));
      const flagsParam = this.unchangedParam(argNodes[flagsIdx], env);
      if (flagsParam !== undefined) this.fdOfFlagsParam.set(opened, flagsParam);
      return opened;
    }
    if (path === 'libc::fcntl' || path === 'nix::fcntl::fcntl' || path === 'rustix::fs::fcntl_setfl') {
      // fcntl(fd, F_SETFL, flags | O_DIRECT) turns O_DIRECT on for an existing descriptor.
      const isSetfl = path === 'rustix::fs::fcntl_setfl' || /F_SETFL\b/.test(argNodes[1]?.text ?? '') || /F_SETFL\b/.test(argNodes[0]?.text ?? '');
      const flagsArg = path === 'rustix::fs::fcntl_setfl' ? 1 : path === 'nix::fcntl::fcntl' ? 1 : 2;
      let flags = arg(flagsArg);
      if (path === 'nix::fcntl::fcntl' && argNodes[1]?.type === 'call_expression') {
        flags = this.evalExpr(fc(argNodes[1], 'arguments')?.namedChildren[0], env.copy());
      }
      const d = oDirectOf(flags);
      const target = argNodes[0] ? rootIdentifier(argNodes[0]) : undefined;
      if (isSetfl && d !== true && d !== 'maybe' && argNodes[flagsArg] && masksODirectOff(argNodes[flagsArg]!) && target && env.get(target)?.k === 'fd') {
        // fcntl_setfl(f, flags & !OFlags::DIRECT): buffered from here on (a retry of a short block without O_DIRECT)
        env.assign(target, { ...env.get(target) as FdAV, oDirect: false });
        return UNKNOWN;
      }
      if (isSetfl && (d === true || d === 'maybe')) {
        this.openSite(node, callee, argNodes[flagsArg]);
        const param = target ? this.params.get(target) : undefined;
        if (param && env.get(target!) === param.value) {
          // set_direct(fd) { fcntl(fd, F_SETFL, … | O_DIRECT) }: the caller's descriptor is O_DIRECT afterwards
          if (this.unitKey) this.summaries.write(effectKey(this.unitKey, param.index), node.startIndex, { k: 'fd', oDirect: d });
        }
        if (target && env.has(target)) {
          const cur = env.get(target)!;
          env.assign(target, cur.k === 'fd' ? { ...cur, oDirect: d } : { k: 'fd', oDirect: d });
        } else if (target) env.declare(target, { k: 'fd', oDirect: d });
      }
      return UNKNOWN;
    }

    if (path === 'libc::lseek' || path === 'libc::lseek64') {
      // lseek(fd, off, SEEK_SET / SEEK_CUR) moves the position a later read/write uses
      const whence = /SEEK_SET$/.test(cleanPath(argNodes[2]?.text ?? '')) ? num(0) : /SEEK_CUR$/.test(cleanPath(argNodes[2]?.text ?? '')) ? num(1) : arg(2);
      seekPosition(env, arg(0), arg(1), whence);
      return UNKNOWN;
    }
    const io = IO_FUNCTIONS[path];
    if (io) {
      const fd = arg(io.fd);
      const d = fdFact(fd);
      const s = d ? this.ioSite(node, callee, io, argNodes, args) : undefined;
      if (io.off === undefined) {
        // read/write/readv/writev: at the descriptor's position, which moves by what a write takes
        if (s) setPosition(s.facts, env, fd);
        movePosition(env, fd, io.dir === 'write' && !io.vectored && io.len !== undefined ? arg(io.len) : UNKNOWN);
      }
      return UNKNOWN;
    }

    const segs = path.split('::');
    const last = segs[segs.length - 1]!;
    const owner = segs[segs.length - 2];
    if ((owner === 'OpenOptions' && last === 'new') || (owner === 'File' && last === 'options')) return { k: 'opts', oDirect: false };
    if (owner === 'File' && (last === 'open' || last === 'create' || last === 'create_new')) {
      return openedFd(env, { k: 'fd', oDirect: false }, rangeOf(node), last === 'create' ? { k: 'flags', oDirect: false, trunc: true } : undefined);
    }
    const uring = segs[segs.length - 3] === 'opcode' && last === 'new' && owner ? URING_OPCODES[owner] : undefined;
    if (uring) {
      const s = fdFact(arg(uring.fd)) ? this.ioSite(node, callee, uring, argNodes, args) : undefined;
      if (!s) return UNKNOWN;
      setNumber(s.facts, 'offset', num(0), 'offset 0 (the builder default)');
      const entry: ObjAV = { k: 'obj', fields: new Map(), ranges: new Map() };
      this.uringEntries.set(entry, s);
      return entry;
    }
    if (owner === 'types' && last === 'Fd') return arg(0);   // io_uring::types::Fd(raw): the descriptor itself
    if (last === 'from_raw_fd' || (last === 'from' && (owner === 'File' || owner === 'OwnedFd'))) return arg(0);
    if (owner === 'BorrowedFd' && last === 'borrow_raw') return arg(0);
    if (path === 'Some' || path === 'Ok' || path === 'std::mem::ManuallyDrop::new') return arg(0);
    // The error of a `Result` carries no `Ok` value: `if fd < 0 { Err(…) } else { Ok(fd) }` gives a caller's `?` the descriptor.
    if (path === 'Err') { args.forEach(markHandled); return NONE; }
    if (owner === 'Box' && last === 'new') {
      // Box::new([0u8; N]) is a heap copy with the array's (byte) alignment; a #[repr(align)] value keeps its alignment.
      const v = arg(0);
      if (v.k === 'buf' && v.origin.state === 'unaligned') return unalignedBuf(`Box<${v.origin.origin}>`, v.size, node);
      return v;
    }
    if (last === 'zeroed' && fnNode.type === 'generic_function' && /file_clone_range\s*>?$/.test(fc(fnNode, 'type_arguments')?.text.replace(/>$/, '') ?? '')) {
      return zeroedCloneRange();
    }
    if (owner === 'IoSliceMut' || owner === 'IoSlice') return arg(0);
    if (owner === 'Layout' && (last === 'from_size_align' || last === 'from_size_align_unchecked')) {
      const size = arg(0);
      const align = arg(1);
      return { k: 'layout', size: size.k === 'num' ? size : undefined, align: align.k === 'num' ? align.value : undefined };
    }
    if (owner === 'Layout' && last === 'array') {
      const size = arg(0);
      return { k: 'layout', size: size.k === 'num' ? size : undefined, align: 1 };
    }
    if ((path === 'std::alloc::alloc' || path === 'std::alloc::alloc_zeroed') || ((last === 'alloc' || last === 'alloc_zeroed') && owner === 'alloc')) {
      const layout = arg(0);
      if (layout.k !== 'layout') return { k: 'buf', origin: { state: 'unknown', origin: `${callee}(…)` } };
      if (layout.align !== undefined && layout.align >= 2) return alignedBuf(`${callee}(Layout align ${layout.align})`, layout.align, layout.size, node);
      return unalignedBuf(`${callee}(Layout without alignment)`, layout.size, node);
    }
    if (last === 'from_raw_parts_mut' || last === 'from_raw_parts') {
      const p = arg(0);
      const len = arg(1);
      if (p.k === 'buf') return { ...p, size: len.k === 'num' ? len : undefined };
      return UNKNOWN;
    }
    if (owner === 'Vec' && (last === 'with_capacity' || last === 'new')) {
      // `Vec::<Page>::with_capacity(n)`: the heap block has the alignment of the element type.
      const element = /\bVec\s*::\s*<\s*([\w:]+)\s*>/.exec(fnNode.text)?.[1];
      return (element ? this.vecOfAlignedElements(element, node) : undefined) ?? unalignedBuf('Vec<u8>', undefined, node);
    }
    if ((owner === 'MmapMut' || owner === 'Mmap') && (last === 'map_anon' || last === 'map_mut' || last === 'map')) {
      const size = last === 'map_anon' ? arg(0) : UNKNOWN;
      return alignedBuf(`${callee} (page-aligned)`, undefined, size.k === 'num' ? size : undefined, node);
    }
    if (owner === 'MmapOptions' && last === 'new') return { k: 'obj', type: 'MmapOptions', fields: new Map(), ranges: new Map() };
    if (path === 'libc::mmap' || path === 'libc::mmap64' || path === 'nix::sys::mman::mmap' || path === 'nix::sys::mman::mmap_anonymous' || path === 'rustix::mm::mmap' || path === 'rustix::mm::mmap_anonymous') {
      const size = arg(1);
      return alignedBuf(`${callee} (page-aligned)`, undefined, size.k === 'num' ? size : undefined, node);
    }
    if (path === 'libc::valloc') { const s = arg(0); return alignedBuf(`${callee} (page-aligned)`, undefined, s.k === 'num' ? s : undefined, node); }
    if (path === 'libc::malloc') { const s = arg(0); return unalignedBuf(`${callee}(${argNodes[0]?.text ?? ''})`, s.k === 'num' ? s : undefined, node); }
    if (path === 'libc::calloc') { const s = binary('*', arg(0), arg(1)); return unalignedBuf(`${callee}(…)`, s.k === 'num' ? s : undefined, node); }
    if (path === 'libc::aligned_alloc' || path === 'libc::memalign') {
      const a = arg(0);
      const s = arg(1);
      return a.k === 'num' ? alignedBuf(`${callee}(${a.value})`, a.value, s.k === 'num' ? s : undefined, node) : UNKNOWN;
    }
    if (path === 'libc::posix_memalign') {
      const target = argNodes[0] ? rootIdentifier(argNodes[0]) : undefined;
      const a = arg(1);
      const s = arg(2);
      if (target && a.k === 'num') env.assign(target, alignedBuf(`posix_memalign(${a.value})`, a.value, s.k === 'num' ? s : undefined, node));
      return UNKNOWN;
    }
    // A tuple-struct constructor of a #[repr(align)] type.
    // The path as written, `use` applied, before `crate::` is dropped: it may lead to another module.
    const typePath = fnNode.type === 'identifier' || fnNode.type === 'scoped_identifier' ? this.resolvePath(fnNode).split('::') : segs;
    const asType = this.alignedTypeAt(typePath);
    if (asType && (typePath.length === 1 || typePath[0] === 'crate')) return this.valueOfType(last, asType);
    const ownerType = owner ? this.alignedTypeAt(typePath.slice(0, -1)) : undefined;
    if (owner && ownerType && (last === 'new' || last === 'default' || last === 'zeroed')) return this.valueOfType(owner, ownerType);
    if (owner === 'Self' && this.selfType && this.alignedTypes.has(this.selfType)) return this.valueOfType(this.selfType);
    if (last === 'exit' || last === 'abort') { env.diverged = true; return NEVER; }
    const rawFlags = segs.length === 1 ? this.rawFlagFunction(last) : undefined;
    if (rawFlags) return rawFlags;
    // A function of this file (or one we cannot see, like `cvt(…)`): a result passed to it is its job now.
    args.forEach(markHandled);
    args.forEach((a) => escapePosition(env, a));
    const abs = this.absolutePath(typePath, 0);
    if (abs) {
      // A function of another module: its sites that read a parameter are judged with this call's arguments.
      const target = this.crate!.moduleOf(abs);
      if (target && target.rest.length <= 2 && !this.inRowWalk) {
        const callee = `${target.module}::${target.rest.join('::')}`;
        this.calls.record(callee, this.qualifiedUnit(), node, args.map((av, i) => ({ av, node: argNodes[i]! })));
        this.crossCalls.push({ module: target.module, rest: target.rest, args });
      }
      const returned = this.crate!.returnAt(abs);
      if (!returned) return UNKNOWN;
      // A #[repr(align)] value of the other module's type: its first field is looked up by the type's name.
      if (returned.type) this.noteOtherModuleType(returned.type.name, returned.type.info);
      return returned.value;
    }
    let type: string | undefined;
    if (segs.length === 2 && owner === 'Self') type = this.selfType;
    else if (segs.length === 2 && owner && /^[A-Z]/.test(owner)) type = owner;
    else if (segs.length !== 1) return UNKNOWN;
    args.forEach((a, i) => this.summaries.write(paramKey(type, last, i), node.startIndex * 8 + Math.min(i, 7), summaryValue(a)));
    this.calls.record(this.qualifier + fnKey(type, last), this.qualifiedUnit(), node, this.recordedArgs(args, argNodes));
    this.applyEffects(type, last, argNodes, env);
    this.walkForStructArgument(type, last, node, args);
    const returned = this.perCallDescriptor(fnKey(type, last), this.summaries.read(retKey(type, last)), args);
    const throughClosure = this.closureValue(fnKey(type, last), args);
    if (throughClosure) return throughClosure;
    const computed = this.arithmeticCall(type, last, args);
    if (computed) return computed;
    // The body's tail literal is what every call returns, whether or not the function itself is walked.
    const fields = type ? this.constructedFields(type, last, args) : undefined;
    return fields?.size ? { k: 'obj', type, fields, ranges: new Map() } : returned;
  }

  /**
   * A call with numbers of a function of the file whose body is one arithmetic expression of its parameters
   * (`fn round_up(x: u64, align: u64) -> u64 { (x + align - 1) & !(align - 1) }`): its value for this call.
   * The return summary joins every call's value, so rounding helpers called with different numbers were unknown.
   */
  private arithmeticCall(type: string | undefined, name: string, args: readonly AV[]): AV | undefined {
    if (!args.length || !args.every((a) => a.k === 'num')) return undefined;
    const units = this.functions.filter((u) => u.name === name && u.selfType === type);
    if (units.length !== 1) return undefined;
    const fn = units[0]!.fn;
    const parts = fc(fn, 'body')?.namedChildren.filter((c) => !c.type.endsWith('comment')) ?? [];
    const names: string[] = [];
    for (const p of fc(fn, 'parameters')?.namedChildren ?? []) {
      const pat = p.type === 'parameter' ? fc(p, 'pattern') : null;
      if (pat?.type !== 'identifier') return undefined;
      names.push(pat.text);
    }
    if (parts.length !== 1 || names.length !== args.length) return undefined;
    let arithmetic = true;
    walkTree(parts[0]!, (t, get) => {
      if (get().isNamed && !ARITHMETIC_NODES.has(t)) arithmetic = false;
      return arithmetic;
    });
    if (!arithmetic) return undefined;
    const env = new Env();
    names.forEach((n, i) => env.declare(n, { k: 'num', value: (args[i] as NumAV).value }));
    const v = this.evalExpr(parts[0]!, env);
    return v.k === 'num' ? { k: 'num', value: v.value } : undefined;
  }

  /**
   * A struct value returned: its type, and the numbers its literal gave its fields (a number is the
   * same for every call). Anything else of it is read from the type's field summaries.
   */
  private returnedValue(v: AV): AV {
    if (v.k !== 'obj' || !v.type || this.uringEntries.has(v) || v.type === 'MmapOptions') return summaryValue(v);
    const fields = new Map<string, AV>();
    for (const [name, f] of v.fields) if (f.k === 'num') fields.set(name, summaryValue(f));
    return fields.size ? { k: 'obj', type: v.type, fields, ranges: new Map() } : summaryValue(v);
  }

  /**
   * The one method of `type` in this file that takes only `&self` and returns a slice over two of its
   * fields: `from_raw_parts(self.ptr, self.len)` (or `_mut`) or `&self.buf[..self.len]`.
   */
  private sliceAccessor(type: string, method: string): { ptr: string; len: string; sliced: boolean } | undefined {
    const cacheKey = `${type}::${method}`;
    if (this.sliceAccessors.has(cacheKey)) return this.sliceAccessors.get(cacheKey) ?? undefined;
    const found = this.findSliceAccessor(type, method);
    this.sliceAccessors.set(cacheKey, found ?? null);
    return found;
  }

  private readonly sliceAccessors = new Map<string, { ptr: string; len: string; sliced: boolean } | null>();

  private findSliceAccessor(type: string, method: string): { ptr: string; len: string; sliced: boolean } | undefined {
    const fn = this.selfOnlyMethod(type, method);
    if (!fn) return undefined;
    const tailOf = (block: Node | null): Node | undefined => {
      let last = block?.namedChildren.filter((c) => !c.type.endsWith('comment')).pop();
      // `unsafe { … }` closing a body parses as a statement; one ending in `;` gives back `()`.
      if (last?.type === 'expression_statement' && !last.text.trimEnd().endsWith(';')) last = last.namedChildren[0];
      return last?.type === 'unsafe_block' || last?.type === 'block' ? tailOf(last) : last;
    };
    let tail = tailOf(fc(fn, 'body'));
    let returns = false;
    walkTree(fn, (t) => { if (t === 'return_expression') returns = true; return !returns; });
    if (!tail || returns) return undefined;
    if (/^as_(mut_)?ptr$/.test(method) && selfField(tail)) {
      // `fn as_ptr(&self) -> *const u8 { self.ptr }` beside `fn len(&self) -> usize { self.len }`: the pointer of a buffer that long.
      const ptr = selfField(tail)!;
      const len = this.lengthGetter(type);
      return len && len !== ptr ? { ptr, len, sliced: false } : undefined;
    }
    if (tail.type === 'call_expression') {
      const path = cleanPath(fc(tail, 'function')?.text ?? '');
      if (!/^(?:std::|core::)?slice::from_raw_parts(?:_mut)?$/.test(path)) return undefined;
      const args = (fc(tail, 'arguments')?.namedChildren ?? []).filter((c) => !c.type.endsWith('comment'));
      const ptr = selfField(args[0]);
      const len = selfField(args[1]);
      return args.length === 2 && ptr && len ? { ptr, len, sliced: false } : undefined;
    }
    while (tail?.type === 'reference_expression') tail = fc(tail, 'value') ?? undefined;
    if (tail?.type !== 'index_expression') return undefined;
    const [base, index] = tail.namedChildren;
    if (index?.type !== 'range_expression') return undefined;
    const { start, end, inclusive } = rangeParts(index);
    const ptr = selfField(base);
    const len = selfField(end);
    return !start && !inclusive && ptr && len ? { ptr, len, sliced: true } : undefined;
  }

  /** The field `fn len(&self) -> usize { self.len }` of `type` returns, when that is all the method does. */
  private lengthGetter(type: string): string | undefined {
    const parts = this.selfOnlyMethod(type, 'len')?.childForFieldName('body')?.namedChildren.filter((c) => !c.type.endsWith('comment')) ?? [];
    return parts.length === 1 ? selfField(parts[0]) : undefined;
  }

  /** The one method `method` of `type`, when its only parameter is `&self` or `&mut self` (a getter's shape). */
  private selfOnlyMethod(type: string, method: string): Node | undefined {
    const units = this.functions.filter((u) => u.name === method && u.selfType === type);
    if (units.length !== 1) return undefined;
    const fn = units[0]!.fn;
    const params = (fc(fn, 'parameters')?.namedChildren ?? []).filter((c) => !c.type.endsWith('comment') && c.type !== 'attribute_item');
    return params.length === 1 && params[0]!.type === 'self_parameter' && params[0]!.text.startsWith('&') ? fn : undefined;
  }

  /**
   * `v.len()` of a type whose pointer methods make it a buffer (see findSliceAccessor): the length field,
   * or for a parameter's value, unchanged, each call's argument size.
   */
  private bufferTypeLength(recv: AV, recvNode: Node, env: Env): AV | undefined {
    if ((recv.k !== 'obj' && recv.k !== 'inst') || !recv.type) return undefined;
    const accessor = this.functions.filter((u) => u.selfType === recv.type && /^as_(mut_)?ptr$/.test(u.name))
      .map((u) => this.sliceAccessor(recv.type!, u.name)).find((a) => a && !a.sliced);
    if (!accessor) return undefined;
    const view = this.sliceOf(recv, accessor);
    const param = recvNode.type === 'identifier' ? this.params.get(recvNode.text) : undefined;
    if (param && env.get(recvNode.text) === param.value && (!view.size || recv.k === 'inst') && this.unitKey !== undefined) {
      const tagged = paramValue({ ...view, size: undefined }, { fn: this.qualifier + this.unitKey, index: param.index, name: recvNode.text });
      return parameterSize(tagged) ?? UNKNOWN;
    }
    return view.size ?? UNKNOWN;
  }

  /** The slice such an accessor returns for `obj`: the pointer field's buffer, as long as the length field says. */
  private sliceOf(obj: AV, slice: { ptr: string; len: string; sliced: boolean }): BufAV {
    const base = this.fieldOf(obj, slice.ptr);
    const len = this.fieldOf(obj, slice.len);
    const size = len.k === 'num' ? len : undefined;
    if (base.k !== 'buf') return { k: 'buf', origin: { state: 'unknown', origin: `${slice.ptr} of ${obj.k === 'obj' || obj.k === 'inst' ? obj.type : 'a value'}` }, size };
    return slice.sliced ? sliceBuf(base, undefined, size ?? UNKNOWN) : { ...base, size };
  }

  /**
   * An argument as a helper's site sees it: a value of a type whose slice accessors all hand out the same
   * slice (one method, or an `as_slice`/`as_mut_slice` pair over the same fields) is that slice.
   */
  private asSlice(av: AV): AV {
    if ((av.k !== 'obj' && av.k !== 'inst') || !av.type) return av;
    const accessors = this.functions.filter((u) => u.selfType === av.type).map((u) => this.sliceAccessor(av.type!, u.name)).filter((a) => a);
    const first = accessors[0];
    const same = first !== undefined && accessors.every((a) => a!.ptr === first.ptr && a!.len === first.len && a!.sliced === first.sliced);
    return same ? this.sliceOf(av, first) : av;
  }

  /**
   * `Type::f(args)` whose body ends in `Type { len: data.len(), ptr, … }`: the fields given straight from
   * a parameter (its value, or its `len()`) are this call's arguments, not what every call of `f` agrees
   * on. A parameter the body rebinds or may change, a `return` elsewhere, and every other field are
   * left to the summaries.
   */
  private constructedFields(type: string, name: string, args: AV[], depth = 0): Map<string, AV> | undefined {
    const units = this.functions.filter((u) => u.name === name && u.selfType === type);
    if (units.length !== 1 || depth > 3) return undefined;
    const fn = units[0]!.fn;
    const body = fc(fn, 'body');
    const statements = body?.namedChildren.filter((c) => !c.type.endsWith('comment')) ?? [];
    // `Some(Type { … })`, `Ok(buf)`: the value a caller's `?`, `unwrap()` or `expect()` gets.
    const tail = unwrapOkSome(statements[statements.length - 1]);
    if (!body || !tail) return undefined;
    let returns = false;
    const rebound = new Map<string, number>();
    walkTree(body, (t, get) => {
      // `return None` / `return Err(…)` give a caller's `?` nothing: the literal is still every value it gets.
      if (t === 'return_expression' && !returnsNothing(get())) returns = true;
      if (t === 'let_declaration') for (const n of boundNames(fc(get(), 'pattern'))) rebound.set(n, (rebound.get(n) ?? 0) + 1);
      return true;
    });
    if (returns) return undefined;
    const params = new Map<string, number>();
    let index = 0;
    for (const p of fc(fn, 'parameters')?.namedChildren ?? []) {
      if (p.type !== 'parameter') continue;
      const pat = fc(p, 'pattern');
      const at = index++;
      // `mut data` may be changed before the literal; a reference parameter's length cannot be.
      if (pat?.type === 'identifier' && !rebound.has(pat.text)) params.set(pat.text, at);
    }
    const lengthOf = (v: AV): AV => (v.k === 'buf' && v.size ? v.size : parameterSize(v) ?? UNKNOWN);
    const valueOf = (e: Node | null): AV | undefined => {
      if (e?.type === 'integer_literal') return intLiteral(e.text);
      if (e?.type === 'identifier') { const i = params.get(e.text); return i === undefined ? undefined : args[i] ?? UNKNOWN; }
      if (e?.type !== 'call_expression' || fc(e, 'arguments')?.namedChildren.length) return undefined;
      const callee = fc(e, 'function');
      const recv = callee?.type === 'field_expression' && fc(callee, 'field')?.text === 'len' ? fc(callee, 'value') : null;
      const i = recv?.type === 'identifier' ? params.get(recv.text) : undefined;
      return i === undefined ? undefined : lengthOf(args[i] ?? UNKNOWN);
    };
    if (tail.type === 'identifier') {
      // `let buf = Type::new(data.len(), align)?; …; Some(buf)`: the fields that constructor gives this call.
      const init = rebound.get(tail.text) === 1 && !changedIn(body, tail.text) ? letInitializer(statements, tail.text) : undefined;
      const call = init ? unwrapOkSome(init) : undefined;
      const callee = call?.type === 'call_expression' ? cleanPath(fc(call, 'function')?.text ?? '').split('::') : [];
      if (callee.length !== 2 || (callee[0] !== type && callee[0] !== 'Self')) return undefined;
      const inner = (fc(call!, 'arguments')?.namedChildren ?? []).filter((c) => !c.type.endsWith('comment')).map((a) => valueOf(a) ?? UNKNOWN);
      return this.constructedFields(type, callee[1]!, inner, depth + 1);
    }
    if (tail.type !== 'struct_expression' || baseTypeName(fc(tail, 'name'), type) !== type) return undefined;
    const fields = new Map<string, AV>();
    for (const f of fc(tail, 'body')?.namedChildren ?? []) {
      const field = f.type === 'field_initializer' ? fc(f, 'field')?.text : f.type === 'shorthand_field_initializer' ? f.namedChildren[0]?.text : undefined;
      const v = valueOf(f.type === 'field_initializer' ? fc(f, 'value') : f.namedChildren[0] ?? null);
      if (field && v && v !== UNKNOWN) fields.set(field, v);
    }
    return fields;
  }

  private evalMethodCall(node: Node, fnNode: Node, argNodes: Node[], env: Env): AV {
    const recvNode = fc(fnNode, 'value')!;
    const method = fc(fnNode, 'field')?.text ?? '';
    if (recvNode.type === 'identifier' && this.statics.has(recvNode.text) && !env.has(recvNode.text) && (STATIC_STORES.has(method) || STATIC_LOADS.has(method))) {
      // LOG_FD.store(fd, …) in one function, LOG_FD.load(…) in another
      const values = argNodes.map((a) => this.evalExpr(a, env));
      const before = STATIC_LOADS.has(method) ? this.summaries.read(staticKey(recvNode.text)) : UNKNOWN;
      if (STATIC_STORES.has(method)) this.storeStatic(recvNode.text, values[0] ?? UNKNOWN, node, env);
      return before;
    }
    const recv = this.evalExpr(recvNode, env);
    const args = argNodes.map((a) => this.evalExpr(a, env));
    const arg = (i: number): AV => args[i] ?? UNKNOWN;
    const callee = methodCallee(recvNode, method);
    const range = methodRange(node, fnNode, recvNode);

    if (recv.k === 'result') {
      if (RESULT_CHECKS.has(method)) { markHandled(recv); return UNKNOWN; }
      return recv;  // unwrap/expect/map_err… keep the result flowing to whatever checks it
    }

    const entry = recv.k === 'obj' ? this.uringEntries.get(recv) : undefined;
    if (entry) {
      // opcode::Write::new(…).offset(512).build()
      if (method === 'offset') setNumber(entry.facts, 'offset', arg(0), argNodes[0]?.text ?? '', argNodes[0]);
      return method === 'offset' || URING_NEUTRAL.has(method) ? recv : UNKNOWN;
    }

    if (recv.k === 'opts') {
      let next = recv;
      if (method === 'custom_flags') {
        const d = oDirectOf(arg(0));
        const oDirect = d === true || d === 'maybe' ? d : recv.oDirect;
        if (d === true || d === 'maybe') this.openSite(node, callee, argNodes[0], range);
        next = optsWithFlags(recv, oDirect, arg(0));
      } else if (method === 'append' || method === 'truncate') {
        next = optsWith(recv, method === 'append' ? 'append' : 'trunc', boolArgument(argNodes[0]));
      } else if (method === 'open') {
        return openedFd(env, { k: 'fd', oDirect: recv.oDirect }, rangeOf(node), recv);
      } else {
        return recv;   // read(true), write(true), create(true), mode(0o644)…
      }
      // `opts.custom_flags(…)` on a builder variable changes that builder
      const root = builderRoot(recvNode);
      if (root && env.get(root)?.k === 'opts') env.assign(root, next);
      return next;
    }

    if (recv.k === 'fd') {
      const d = fdFact(recv);
      const read = READ_METHODS[method];
      const write = WRITE_METHODS[method];
      const offsetArg = (read ?? write)?.offsetArg;
      if ((read || write) && d) {
        const s = this.methodIoSite(node, callee, range, read ? 'read' : 'write', offsetArg, argNodes, args, method.endsWith('_vectored'), recv);
        if (s && offsetArg === undefined) setPosition(s.facts, env, recv);
      }
      if ((read || write) && offsetArg === undefined) {
        // write_all and read_exact take the whole buffer; write takes it all from a regular file; a
        // read may stop short (end of file), and a vectored call is not counted.
        const whole = method === 'write_all' || method === 'read_exact' || method === 'write';
        const buf = args[0];
        movePosition(env, recv, whole && buf?.k === 'buf' && buf.size ? buf.size : UNKNOWN);
      } else if (method === 'seek' || method === 'rewind') {
        const [whence, offset] = method === 'rewind' ? [0, num(0)] : this.seekTarget(argNodes[0], env);
        seekPosition(env, recv, offset, whence === undefined ? UNKNOWN : num(whence));
      } else if (!(read || write) && !POSITION_NEUTRAL.has(method) && !PASS_THROUGH.has(method)) {
        movePosition(env, recv, UNKNOWN);   // read_to_end, write_fmt, anything we do not count
      }
      if ((read || write) && d) return UNKNOWN;
      if ((method === 'read_to_end' || method === 'read_to_string') && d) {
        const s = this.sites.add('o_direct_io', callee, node, range);
        if (s) {
          s.facts.fdODirect = true;
          s.facts.direction = 'read';
          s.facts.buffer = { state: 'unaligned', origin: `${method} (reads into a growing Vec)` };
          s.facts.length = { known: false, text: method };
        }
        return UNKNOWN;
      }
      if (PASS_THROUGH.has(method)) return recv;
      return UNKNOWN;
    }

    // `data.len()` of a parameter whose callers pass buffers of different sizes: each call's argument size.
    if (method === 'len' && !argNodes.length && !(recv.k === 'buf' && recv.size)) { const size = parameterSize(recv); if (size) return size; }
    if (recv.k === 'buf') {
      if (method === 'len') return recv.size ?? UNKNOWN;
      if (method === 'add' || method === 'offset' || method === 'wrapping_add' || method === 'byte_add') return sliceBuf(recv, arg(0), undefined);
      if (method === 'resize' || method === 'set_len' || method === 'truncate') {
        const root = rootIdentifier(recvNode);
        const n = arg(0);
        if (root && env.get(root)?.k === 'buf') env.assign(root, { ...recv, size: n.k === 'num' ? n : undefined });
        return UNKNOWN;
      }
      if (method === 'split_at_mut' || method === 'split_at') {
        const k = arg(0);
        return { k: 'list', items: [sliceBuf(recv, undefined, k), sliceBuf(recv, k, undefined)] };
      }
      if (method === 'clone' || method === 'to_vec' || method === 'to_owned') {
        return recv.origin.state === 'unaligned' ? recv : unalignedBuf(`${method}() copy`, recv.size, node);
      }
      if (PASS_THROUGH.has(method)) return recv;
      return UNKNOWN;
    }

    if (recv.k === 'layout' && PASS_THROUGH.has(method)) return recv;
    if (recv.k === 'obj' && recv.type === 'MmapOptions') {
      if (method === 'len') { const copy: ObjAV = { ...recv, fields: new Map(recv.fields) }; copy.fields.set('len', arg(0)); return copy; }
      if (method === 'map_anon' || method === 'map_mut' || method === 'map') {
        const size = recv.fields.get('len');
        return alignedBuf('memmap2 mmap (page-aligned)', undefined, size?.k === 'num' ? size : undefined, node);
      }
      return recv;
    }
    if (recv.k === 'num' || recv.k === 'flags' || recv.k === 'none') {
      // An option of numbers or flags is its `Some` value (None adds nothing): the default is the other path.
      if (method === 'unwrap_or') return orDefault(recv, arg(0));
      if (method === 'unwrap_or_default') return orDefault(recv, num(0));
    }
    if (method === 'unwrap_or' && recv.k === 'unknown') return orDefault(recv, arg(0));
    // `data.len()` of a parameter whose callers pass buffers of different sizes: each call's argument size.

    if ((recv.k === 'num' || recv.k === 'flags') && (PASS_THROUGH.has(method) || method === 'bits')) return recv;
    if (recv.k === 'flags' && (method === 'union' || method === 'bitor')) return binary('|', recv, arg(0));
    if (recv.k === 'list' && PASS_THROUGH.has(method)) return recv;
    // `as_slice`/`as_bytes` pass a library value through, but a type of this file may define them itself.
    const ownMethod = (recv.k === 'obj' || recv.k === 'inst') && recv.type !== undefined && this.functions.some((u) => u.name === method && u.selfType === recv.type);
    if ((recv.k === 'obj' || recv.k === 'inst') && PASS_THROUGH.has(method) && !ownMethod) return recv;
    args.forEach(markHandled);
    args.forEach((a) => escapePosition(env, a));
    const typeLength = method === 'len' && !argNodes.length ? this.bufferTypeLength(recv, recvNode, env) : undefined;
    if (typeLength) return typeLength;
    const slice = (recv.k === 'obj' || recv.k === 'inst') && recv.type && !argNodes.length ? this.sliceAccessor(recv.type, method) : undefined;
    if (slice && (recv.k === 'obj' || recv.k === 'inst')) {
      const view = this.sliceOf(recv, slice);
      // A parameter's value, unchanged: each call's argument decides the buffer and its length.
      const param = recvNode.type === 'identifier' ? this.params.get(recvNode.text) : undefined;
      // A length read from the type's field summaries (what every construction agreed on) is also left to
      // each call, whose argument says which construction it passes.
      if (param && env.get(recvNode.text) === param.value && (!view.size || recv.k === 'inst') && this.unitKey !== undefined) {
        return paramValue(recv.k === 'inst' ? { ...view, size: undefined } : view, { fn: this.qualifier + this.unitKey, index: param.index, name: recvNode.text });
      }
      return view;
    }
    if ((recv.k === 'obj' || recv.k === 'inst') && recv.type) {
      // self.helper(f) / store.open_file(): a method of this file.
      args.forEach((a, i) => this.summaries.write(paramKey(recv.type, method, i), node.startIndex * 8 + Math.min(i, 7), summaryValue(a)));
      this.calls.record(this.qualifier + fnKey(recv.type, method), this.qualifiedUnit(), node, this.recordedArgs(args, argNodes));
      this.applyEffects(recv.type, method, argNodes, env);
      this.walkForStructArgument(recv.type, method, node, args);
      const returned = this.summaries.read(retKey(recv.type, method));
      return this.closureValue(fnKey(recv.type, method), args) ?? returned;
    }
    return UNKNOWN;
  }

  private qualifiedUnit(): string | undefined {
    return this.unitKey === undefined ? undefined : this.qualifier + this.unitKey;
  }

  /**
   * For a file that calls functions of this module: walks them (and what they call here) with the
   * O_DIRECT-ness of the descriptors the calls pass, and returns the sites that read a parameter with
   * the calls made here, for the calling file to judge with its own arguments.
   */
  sitesForCalls(called: ReadonlyArray<{ rest: readonly string[]; args: AV[] }>): { facts: SiteFacts[]; calls: CallRecord[] } {
    const start = new Set<number>();
    for (const c of called) {
      const [type, name] = c.rest.length === 2 ? [c.rest[0], c.rest[1]!] : [undefined, c.rest[0]!];
      this.functions.forEach((u, i) => { if (u.name === name && u.selfType === type) start.add(i); });
      // Only what makes an I/O O_DIRECT crosses over; sizes and buffers stay parameters, judged per call.
      c.args.forEach((a, i) => { if (carriesODirect(a)) this.summaries.write(paramKey(type, name, i), this.crossWriter++, crossingValue(a)); });
    }
    if (!start.size) return { facts: [], calls: [] };
    const facts = runUnits(this.functions, this.relevantPattern(), this.summaries, nameOfKey, (unit) => this.analyzeFunction(unit), () => this.sites.result(),
      { start, demand: this.returnWriters() });
    return { facts: facts.filter((f) => f.params && Object.keys(f.params).length), calls: this.calls.list() };
  }

  private crossWriter = 0;
  /**
   * In a walk for another file's calls: descriptor parameters, each a value of its own, so that a site
   * on one leaves its O_DIRECT-ness to each call (a call with a buffered file makes no O_DIRECT I/O).
   */
  private readonly fdParams = new WeakMap<object, ParamRef>();

  /** Marks a site whose descriptor is such a parameter: O_DIRECT or not, as each call says. */
  private fdFromCalls(f: SiteFacts, fd: AV | undefined): void {
    const ref = fd ? this.fdParams.get(fd) : undefined;
    if (!ref) return;
    f.fdODirect = undefined;
    (f.params ??= {}).fd = ref;
  }

  /** A helper of this file that turns O_DIRECT on for a descriptor it is given: the argument's variable is O_DIRECT after the call. */
  private applyEffects(type: string | undefined, fn: string, argNodes: Node[], env: Env): void {
    argNodes.forEach((a, i) => {
      const effect = this.summaries.read(effectKey(fnKey(type, fn), i));
      const d = effect.k === 'fd' ? effect.oDirect : false;
      const target = d ? rootIdentifier(a) : undefined;
      if (!target || !env.has(target)) return;
      const cur = env.get(target)!;
      env.assign(target, cur.k === 'fd' ? { ...cur, oDirect: d } : { k: 'fd', oDirect: d });
    });
  }

  /** `SeekFrom::Start(n)` -> [0, n], `SeekFrom::Current(n)` -> [1, n]; `SeekFrom::End` and the rest: no whence. */
  private seekTarget(arg: Node | undefined, env: Env): [number | undefined, AV] {
    const fn = arg?.type === 'call_expression' ? fc(arg, 'function') : null;
    const inner = arg ? fc(arg, 'arguments')?.namedChildren.find((c) => !c.type.endsWith('comment')) : undefined;
    if (!fn || !inner || (fn.type !== 'identifier' && fn.type !== 'scoped_identifier')) return [undefined, UNKNOWN];
    const path = this.resolvePath(fn).split('::');
    const variant = path[path.length - 1];
    if (path.length >= 2 && path[path.length - 2] !== 'SeekFrom') return [undefined, UNKNOWN];
    if (path.length < 2 && !/\bSeekFrom\b/.test(this.uses.get(variant ?? '') ?? '')) return [undefined, UNKNOWN];
    const whence = variant === 'Start' ? 0 : variant === 'Current' ? 1 : undefined;
    return [whence, whence === undefined ? UNKNOWN : this.evalNumberOnly(inner, env)];
  }

  // -------------------------------------------------------------------------------------------
  // Site builders

  private copyFileRangeSite(node: Node, callee: string, argNodes: Node[], args: AV[], shift: number, env: Env): AV {
    const s = this.sites.add('copy_file_range', callee, node);
    if (!s) return UNKNOWN;
    const a = (i: number): AV => args[i + shift] ?? UNKNOWN;
    const n = (i: number): Node | undefined => argNodes[i + shift];
    const f = s.facts;
    f.srcFdODirect = fdFact(a(0));
    f.dstFdODirect = fdFact(a(2));
    if (n(0)) f.argRanges.fd = rangeOf(n(0)!);
    this.descriptorFromCalls(f, 'srcFd', n(0), a(0), env);
    this.descriptorFromCalls(f, 'dstFd', n(2), a(2), env);
    setCallersNumber(f, 'srcOffset', offsetPointee(a(1)), n(1)?.text ?? '', n(1));
    setCallersNumber(f, 'dstOffset', offsetPointee(a(3)), n(3)?.text ?? '', n(3));
    setCallersNumber(f, 'length', a(4), n(4)?.text ?? '', n(4));
    if (n(5)) f.argRanges.flags = rangeOf(n(5)!);
    f.resultHandled = false;
    s.inLoop = this.loopDepth > 0;
    return { k: 'result', site: s };
  }

  /**
   * A descriptor that is a parameter, unchanged, which some calls pass O_DIRECT and others not: O_DIRECT
   * or not as each call says (a copy helper called with a buffered and an O_DIRECT source).
   */
  private descriptorFromCalls(f: SiteFacts, field: 'srcFd' | 'dstFd', node: Node | undefined, fd: AV, env: Env): void {
    const index = this.unchangedParam(node, env);
    if (index === undefined || fd.k !== 'fd' || fd.oDirect !== 'maybe' || this.unitKey === undefined) return;
    if (field === 'srcFd') delete f.srcFdODirect; else delete f.dstFdODirect;
    (f.params ??= {})[field] = { fn: this.qualifier + this.unitKey, index, name: node!.text };
  }

  /** FICLONE(dst, src) or FICLONERANGE(dst, &file_clone_range{…}); argNodes/args are (fd, request, arg). */
  private ficloneSite(node: Node, callee: string, variant: 'FICLONE' | 'FICLONERANGE', argNodes: Node[], args: AV[]): void {
    const s = this.sites.add('ficlone', callee, node);
    if (!s) return;
    const f = s.facts;
    f.ficloneVariant = variant;
    f.dstFdODirect = fdFact(args[0] ?? UNKNOWN);
    if (argNodes[0]) f.argRanges.fd = rangeOf(argNodes[0]);
    if (argNodes[1] && argNodes[1] !== argNodes[0]) f.argRanges.flags = rangeOf(argNodes[1]);
    const third = args[2] ?? UNKNOWN;
    if (variant === 'FICLONE') { f.srcFdODirect = fdFact(third); return; }
    const range = third.k === 'obj' ? third : undefined;
    const argNode = argNodes[2];
    const field = (name: string): AV => range?.fields.get(name) ?? UNKNOWN;
    const where = (name: string): Node | undefined => range?.ranges.get(name) ?? argNode;
    const text = (name: string): string => range?.ranges.get(name)?.text ?? `${argNode?.text ?? 'range'}.${name}`;
    f.srcFdODirect = fdFact(field('src_fd'));
    setCallersNumber(f, 'srcOffset', field('src_offset'), text('src_offset'), where('src_offset'));
    setCallersNumber(f, 'dstOffset', field('dest_offset'), text('dest_offset'), where('dest_offset'));
    setCallersNumber(f, 'length', field('src_length'), text('src_length'), where('src_length'));
  }

  private openSite(node: Node, callee: string, flagsNode: Node | undefined, range?: Range): void {
    const s = this.sites.add('o_direct_open', callee, node, range);
    if (!s) return;
    s.facts.fdODirect = true;
    if (flagsNode) s.facts.argRanges.flags = rangeOf(flagsNode);
  }

  private ioSite(node: Node, callee: string, io: IoApi, argNodes: Node[], args: AV[]): PendingSite | undefined {
    const s = this.sites.add('o_direct_io', callee, node);
    if (!s) return undefined;
    const f = s.facts;
    f.fdODirect = true;
    f.direction = io.dir;
    this.fdFromCalls(f, args[io.fd]);
    const fdNode = argNodes[io.fd];
    if (fdNode) f.argRanges.fd = rangeOf(fdNode);
    const bufNode = argNodes[io.buf];
    let buf = args[io.buf] ?? UNKNOWN;
    if (io.vectored) buf = buf.k === 'list' ? combineBuffers(buf.items) ?? UNKNOWN : UNKNOWN;
    if (bufNode) f.argRanges.buffer = rangeOf(bufNode);
    if (buf.k === 'buf') f.buffer = buf.origin;
    if (io.len !== undefined) {
      const lenNode = argNodes[io.len];
      setCallersNumber(f, 'length', args[io.len] ?? UNKNOWN, lenNode?.text ?? '', lenNode);
    } else if (!io.vectored || buf.k === 'buf') {
      setCallersNumber(f, 'length', buf.k === 'buf' && buf.size ? buf.size : UNKNOWN, `${stripRef(bufNode?.text ?? 'buf')}.len()`, bufNode);
      f.lengthIsBufferSize = true;
    }
    setBufferParam(f, buf, true);
    if (io.off !== undefined) {
      const offNode = argNodes[io.off];
      setCallersNumber(f, 'offset', args[io.off] ?? UNKNOWN, offNode?.text ?? '', offNode);
    }
    return s;
  }

  private methodIoSite(node: Node, callee: string, range: Range, dir: 'read' | 'write', offsetArg: number | undefined, argNodes: Node[], args: AV[], vectored: boolean, file?: AV): PendingSite | undefined {
    const s = this.sites.add('o_direct_io', callee, node, range);
    if (!s) return undefined;
    const f = s.facts;
    f.fdODirect = true;
    f.direction = dir;
    this.fdFromCalls(f, file);
    const bufNode = argNodes[0];
    let buf = args[0] ?? UNKNOWN;
    if (vectored) buf = buf.k === 'list' ? combineBuffers(buf.items) ?? UNKNOWN : UNKNOWN;
    if (bufNode) f.argRanges.buffer = rangeOf(bufNode);
    if (buf.k === 'buf') f.buffer = buf.origin;
    setCallersNumber(f, 'length', buf.k === 'buf' && buf.size ? buf.size : UNKNOWN, `${stripRef(bufNode?.text ?? 'buf')}.len()`, bufNode);
    f.lengthIsBufferSize = true;
    setBufferParam(f, buf, true);
    if (offsetArg !== undefined) {
      const offNode = argNodes[offsetArg];
      setCallersNumber(f, 'offset', args[offsetArg] ?? UNKNOWN, offNode?.text ?? '', offNode);
    }
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Small syntax helpers

const FOREIGN_ROOTS = /^(std|core|alloc|libc|nix|rustix|[iu](8|16|32|64|128|size)|f32|f64)$/;

const STD_TYPES = new Set(['File', 'OpenOptions', 'Vec', 'String', 'Box', 'Arc', 'Rc', 'Option', 'Result', 'Path', 'PathBuf', 'OwnedFd', 'BorrowedFd', 'RawFd', 'Self']);

/**
 * Macros that, by a convention shared by std, mio and others, call the libc function named inside
 * them: `syscall!(fcntl(fd, …))`. A definition in the file says the same (collectWrapperMacro).
 */
const KNOWN_WRAPPER_MACROS = new Set(['syscall', 'raw_syscall', 'libc_call', 'cvt_syscall']);

const KNOWN_FUNCTIONS = new Set<string>([
  ...CFR_FUNCTIONS, ...Object.keys(IO_FUNCTIONS), ...Object.keys(OPEN_FUNCTIONS),
  'libc::ioctl', 'libc::syscall', 'libc::fcntl', 'nix::fcntl::fcntl', 'rustix::fs::fcntl_setfl', 'rustix::fs::ioctl_ficlone',
  'libc::mmap', 'libc::malloc', 'libc::posix_memalign', 'libc::aligned_alloc', 'libc::memalign', 'libc::valloc', 'libc::calloc',
]);

/** libc functions a macro may declare (`syscall! { fn copy_file_range(…) -> … }`): bare calls of them are libc's. */
const LIBC_WRAPPED = new Set([...KNOWN_FUNCTIONS].filter((p) => p.startsWith('libc::')).map((p) => p.slice('libc::'.length)));

/** Drops whitespace, generics and the `std::`/`::` spellings that do not change which function is meant. */
function cleanPath(text: string): string {
  return text.replace(/\s+/g, '').replace(/::<[^>]*>/g, '').replace(/^::/, '');
}

function normalizeCrate(path: string): string {
  return path.replace(/^(crate|self|super)::/, '').replace(/^core::/, 'std::').replace(/^alloc::alloc::/, 'std::alloc::');
}

function macroName(node: Node): string | undefined {
  const m = fc(node, 'macro');
  return m ? cleanPath(m.text).split('::').pop() : undefined;
}

function implTypeOf(fn: Node): string | undefined {
  for (let p = fn.parent, i = 0; p && i < 50; p = p.parent, i++) {
    if (p.type === 'impl_item') return baseTypeName(fc(p, 'type'), undefined);
    if (p.type === 'function_item' || p.type === 'source_file') return undefined;
  }
  return undefined;
}

/** `&mut Store<'a>` -> `Store`; `Box<Aligned>` -> `Aligned`; `Self` -> the impl type. */
function baseTypeName(node: Node | null, selfType: string | undefined): string | undefined {
  let n = node;
  for (let i = 0; n && i < 20; i++) {
    switch (n.type) {
      case 'reference_type': case 'pointer_type': n = fc(n, 'type'); continue;
      case 'generic_type': {
        const base = fc(n, 'type')?.text.split('::').pop();
        if (base === 'Box' || base === 'Arc' || base === 'Rc' || base === 'Mutex' || base === 'RefCell') {
          n = fc(n, 'type_arguments')?.namedChildren[0] ?? null;
          continue;
        }
        return base;
      }
      case 'type_identifier': case 'identifier': return n.text === 'Self' ? selfType : n.text;
      case 'scoped_type_identifier': case 'scoped_identifier': return fc(n, 'name')?.text;
      default: return undefined;
    }
  }
  return undefined;
}

/** `Vec<T>` (also behind `&`/`&mut`): the element type's path as written. */
function vecElementType(node: Node | null): string | undefined {
  while (node?.type === 'reference_type') node = fc(node, 'type');
  if (node?.type !== 'generic_type' || fc(node, 'type')?.text.split('::').pop() !== 'Vec') return undefined;
  const first = fc(node, 'type_arguments')?.namedChildren.find((c) => !c.type.endsWith('comment'));
  return first?.type === 'type_identifier' || first?.type === 'scoped_type_identifier' ? first.text : undefined;
}

/** `Vec::new()` / `Vec::with_capacity(n)`, the calls that make a `Vec` with no elements yet. */
function isEmptyVecCall(node: Node): boolean {
  if (node.type !== 'call_expression') return false;
  return /^(?:std::vec::)?Vec::(?:new|with_capacity)$/.test(cleanPath(fc(node, 'function')?.text ?? ''));
}

function rangeParts(node: Node): { start?: Node; end?: Node; inclusive: boolean } {
  let opIndex = -1;
  let inclusive = false;
  for (let i = 0; i < node.childCount; i++) {
    const t = node.child(i)!.type;
    if (t === '..' || t === '..=' || t === '...') { opIndex = i; inclusive = t !== '..'; break; }
  }
  let start: Node | undefined;
  let end: Node | undefined;
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i)!;
    if (!c.isNamed) continue;
    if (i < opIndex) start = c; else if (i > opIndex) end = c;
  }
  return { start, end, inclusive };
}

/** `vec![0u8; N]`: position of the `;` that is not nested in brackets. */
/** The parts of `text` between top-level `sep`s (not inside brackets), trimmed. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{' || ch === '<') depth++;
    else if (ch === ')' || ch === ']' || ch === '}' || ch === '>') depth--;
    else if (ch === sep && depth === 0) { parts.push(text.slice(from, i).trim()); from = i + 1; }
  }
  const last = text.slice(from).trim();
  if (last) parts.push(last);
  return parts;
}

function topLevelSemicolon(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ';' && depth === 0) return i;
  }
  return -1;
}

/** `x`, `x.a.b`, `&mut x`, `x[..]` -> `x`. */
/** The variable whose field an expression reads (`cb` of `&cb.iovec`, `cb.offset as u64`), or undefined. */
function fieldRoot(node: Node): string | undefined {
  let n: Node | null = node;
  let field = false;
  for (let i = 0; n && i < 50; i++) {
    switch (n.type) {
      case 'identifier': return field ? n.text : undefined;
      case 'reference_expression': case 'type_cast_expression': n = fc(n, 'value'); continue;
      case 'parenthesized_expression': n = n.namedChildren[0] ?? null; continue;
      case 'field_expression': field = true; n = fc(n, 'value'); continue;
      default: return undefined;
    }
  }
  return undefined;
}

function rootIdentifier(node: Node): string | undefined {
  let n: Node | null = node;
  for (let i = 0; n && i < 50; i++) {
    switch (n.type) {
      case 'identifier': return n.text;
      case 'self': return 'self';
      case 'reference_expression': case 'type_cast_expression': n = fc(n, 'value'); continue;
      case 'field_expression': return undefined;
      case 'index_expression': case 'parenthesized_expression': case 'unary_expression': n = n.namedChildren[0] ?? null; continue;
      default: return undefined;
    }
  }
  return undefined;
}

/** The variable at the root of a builder chain: `opts.read(true).custom_flags(x)` -> `opts`. */
function builderRoot(node: Node): string | undefined {
  let n: Node | null = node;
  for (let i = 0; n && i < 200; i++) {
    if (n.type === 'identifier') return n.text;
    if (n.type === 'call_expression') {
      const fn = fc(n, 'function');
      n = fn?.type === 'field_expression' ? fc(fn, 'value') : null;
      continue;
    }
    if (n.type === 'reference_expression') { n = fc(n, 'value'); continue; }
    return undefined;
  }
  return undefined;
}

function methodCallee(recv: Node, method: string): string {
  const t = recv.text;
  if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_0-9]+)*$/.test(t) && t.length <= 40) return `${t}.${method}`;
  return method;
}

/** A chained builder call is reported from the method name, not from the start of the chain. */
function methodRange(call: Node, fn: Node, recv: Node): Range {
  const r = rangeOf(call);
  if (recv.type === 'call_expression' || recv.endPosition.row !== recv.startPosition.row) {
    const field = fc(fn, 'field');
    if (field) r.start = { line: field.startPosition.row, column: field.startPosition.column };
  }
  return r;
}

/**
 * Branches that belong together: `let (flags, len) = if direct { (O_DIRECT, 512) } else { (0, 4096) }`.
 * When exactly one branch turns O_DIRECT on for a value (the branch's value, an element of it, or a
 * variable it assigns) that every other branch leaves without O_DIRECT, the O_DIRECT I/O after the
 * merge can only run on that branch's path: its values are the ones to check it with, instead of the
 * join (which would lose both O_DIRECT and the size). Undefined when no branch is singled out so.
 */
function directBranch(values: readonly AV[], envs: readonly Env[], before: Env): number | undefined {
  if (values.length < 2 || envs.some((e) => e.diverged)) return undefined;
  const places: AV[][] = values.map((v) => []);
  const flatten = (v: AV, out: AV[], depth: number): void => {
    if (v.k === 'list' && depth < 4) for (const item of v.items) flatten(item, out, depth + 1);
    else out.push(v);
  };
  values.forEach((v, i) => flatten(v, places[i]!, 0));
  if (places.some((p) => p.length !== places[0]!.length)) return undefined;
  const names = new Set<string>();
  for (const e of envs) for (const n of e.names()) if (!n.startsWith('#') && before.has(n)) names.add(n);
  for (const n of names) envs.forEach((e, i) => places[i]!.push(e.get(n) ?? UNKNOWN));
  let chosen: number | undefined;
  for (let k = 0; k < places[0]!.length; k++) {
    const on = places.map((p) => directness(p[k]!));
    const direct = on.flatMap((d, i) => (d === true ? [i] : []));
    if (direct.length !== 1 || on.some((d, i) => i !== direct[0] && d !== false)) continue;
    if (chosen !== undefined && chosen !== direct[0]) return undefined;
    chosen = direct[0];
  }
  return chosen;
}

/** O_DIRECT of a flags-like value: on, off (other flags, the number 0), or neither (unknown, other kinds). */
function directness(v: AV): boolean | undefined {
  if (v.k === 'flags' || v.k === 'opts' || v.k === 'fd') return v.oDirect === 'maybe' ? undefined : v.oDirect;
  return v.k === 'num' && v.value === 0 ? false : undefined;
}

/** `append(true)`, `truncate(false)`; anything but a literal may be either. */
function boolArgument(node: Node | undefined): Tri {
  return node?.text === 'true' ? true : node?.text === 'false' ? false : 'maybe';
}

/**
 * `opt.unwrap_or(d)`: the option's value or the default. Both are of one type, so O_DIRECT on either
 * side (with the other unknown) is open flags that may carry O_DIRECT.
 */
function orDefault(value: AV, fallback: AV): AV {
  const v = join(value, fallback);
  if (v.k !== 'unknown') return v;
  const d = [oDirectOf(value), oDirectOf(fallback)];
  return (value.k === 'flags' || fallback.k === 'flags') && d.some((x) => x === true || x === 'maybe') ? { k: 'flags', oDirect: 'maybe' } : v;
}

/**
 * Flags with O_DIRECT taken out: `flags & !OFlags::DIRECT`, `flags & !libc::O_DIRECT`,
 * `flags.difference(OFlags::DIRECT)`, `flags - OFlags::DIRECT`.
 */
function masksODirectOff(flags: Node): boolean {
  return /(?:&\s*!\s*\(?\s*|\.difference\s*\(\s*|-\s*)(?:[A-Za-z_][\w]*\s*::\s*)*(?:O_DIRECT|DIRECT)\b/.test(flags.text);
}

function stripRef(text: string): string { return text.replace(/^&\s*(mut\s+)?/, ''); }

/** `self.len` (also through casts and parentheses, `self.len as usize`): the field's name. */
function selfField(n: Node | null | undefined): string | undefined {
  while (n?.type === 'type_cast_expression' || n?.type === 'parenthesized_expression') n = n.type === 'type_cast_expression' ? fc(n, 'value') : n.namedChildren[0];
  return n?.type === 'field_expression' && fc(n, 'value')?.type === 'self' ? fc(n, 'field')?.text : undefined;
}

/**
 * May a `break` leave the loop with this body: an unlabelled one not inside a loop, closure or item of
 * its own, or any labelled one (it may name this loop).
 */
function breaksOut(body: Node | null): boolean {
  if (!body) return true;
  let found = false;
  walkTree(body, (type, get) => {
    if (found) return false;
    if (type === 'break_expression') {
      if (get().namedChildren.some((c) => c.type === 'label')) found = true;
      else found = !insideInnerLoop(get(), body);
      return false;
    }
    return true;
  });
  return found;
}

function insideInnerLoop(node: Node, body: Node): boolean {
  for (let p = node.parent; p && p.id !== body.id; p = p.parent) {
    if (/^(loop|while|for)_expression$|^closure_expression$|^async_block$|_item$/.test(p.type)) return true;
  }
  return false;
}

/**
 * An expression as a caller's `?`, `unwrap()` or `expect(…)` sees it: `Some(e)` and `Ok(e)` are `e`, and so
 * are `e?`, `e.unwrap()` and `e.expect(…)` (an expression statement without its `;` is its expression).
 */
function unwrapOkSome(node: Node | null | undefined): Node | undefined {
  let n: Node | null | undefined = node;
  for (let i = 0; n && i < 8; i++) {
    if (n.type === 'expression_statement' && !n.text.trimEnd().endsWith(';')) { n = n.namedChildren[0]; continue; }
    if (n.type === 'try_expression') { n = n.namedChildren[0]; continue; }
    if (n.type !== 'call_expression') return n;
    const fn = fc(n, 'function');
    const args = (fc(n, 'arguments')?.namedChildren ?? []).filter((c) => !c.type.endsWith('comment'));
    if (fn && (fn.type === 'identifier' || fn.type === 'scoped_identifier') && /^(?:(?:std::)?(?:option::Option|result::Result|Option|Result)::)?(Some|Ok)$/.test(cleanPath(fn.text)) && args.length === 1) { n = args[0]; continue; }
    if (fn?.type === 'field_expression' && /^(unwrap|expect)$/.test(fc(fn, 'field')?.text ?? '')) { n = fc(fn, 'value'); continue; }
    return n;
  }
  return n ?? undefined;
}

/** `return None`, `return Err(…)`: a return that gives a caller's `?` no value. */
function returnsNothing(ret: Node): boolean {
  const v = ret.namedChildren[0];
  if (!v) return false;
  if (v.type === 'identifier') return v.text === 'None';
  return v.type === 'call_expression' && /^(?:\w+::)*Err$/.test(cleanPath(fc(v, 'function')?.text ?? ''));
}

/** The initializer of the body's top-level `let name = …;`. */
function letInitializer(statements: readonly Node[], name: string): Node | undefined {
  for (const st of statements) {
    if (st.type !== 'let_declaration' || fc(st, 'alternative')) continue;
    const pat = fc(st, 'pattern');
    if (pat?.type === 'identifier' && pat.text === name) return fc(st, 'value') ?? undefined;
  }
  return undefined;
}

/** May the body change what the variable holds: assigned, a field of it assigned, borrowed `&mut`, or a method called on it. */
function changedIn(body: Node, name: string): boolean {
  let changed = false;
  walkTree(body, (t, get) => {
    if (changed) return false;
    if (t === 'assignment_expression' || t === 'compound_assignment_expr') {
      const left = fc(get(), 'left');
      if (left && (rootIdentifier(left) === name || fieldRoot(left) === name)) changed = true;
    } else if (t === 'reference_expression' && /^&\s*mut\b/.test(get().text)) {
      const v = fc(get(), 'value');
      if (v && rootIdentifier(v) === name) changed = true;
    } else if (t === 'call_expression') {
      const fn = fc(get(), 'function');
      const recv = fn?.type === 'field_expression' ? fc(fn, 'value') : null;
      if (recv?.type === 'identifier' && recv.text === name) changed = true;
    }
    return true;
  });
  return changed;
}

/**
 * The bytes of a byte string literal (`b"…"`, `br"…"`, `br#"…"#`), escapes counted as the bytes they
 * stand for; undefined for a text string or an escape not read here.
 */
function byteStringLength(text: string): number | undefined {
  const raw = /^br(#*)"([\s\S]*)"\1$/.exec(text);
  if (raw) return raw[2]!.length;
  const m = /^b"([\s\S]*)"$/.exec(text);
  if (!m) return undefined;
  const body = m[1]!;
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    if (body.charCodeAt(i) > 0x7f) return undefined;   // not allowed in a byte string
    if (body[i] !== '\\') { n++; continue; }
    const next = body[i + 1];
    if (next === undefined) return undefined;
    if ('nrt0\\\'"'.includes(next)) { n++; i++; continue; }
    if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) { n++; i += 3; continue; }
    if (next === '\n' || next === '\r') {
      // a backslash at the end of a line: the line break and the next line's leading whitespace are dropped
      i++;
      while (i + 1 < body.length && /\s/.test(body[i + 1]!)) i++;
      continue;
    }
    return undefined;
  }
  return n;
}

function isCommentOrItem(n: Node): boolean {
  return n.type === 'line_comment' || n.type === 'block_comment' || n.type.endsWith('_item') || n.type === 'macro_definition';
}

/** copy_file_range offsets arrive as `&mut off`, `Some(&mut off)` or a null pointer. */
function offsetPointee(av: AV): AV { return av.k === 'num' ? av : UNKNOWN; }

function zeroedCloneRange(): ObjAV {
  const fields = new Map<string, AV>([['src_offset', num(0)], ['src_length', num(0)], ['dest_offset', num(0)]]);
  return { k: 'obj', type: 'file_clone_range', fields, ranges: new Map() };
}

// ---------------------------------------------------------------------------------------------

/**
 * One query finds every item the analysis needs up front (compiled once per grammar): running it
 * inside the wasm engine is far cheaper than walking every node from JavaScript.
 */
const FILE_QUERY = `
(function_item) @fn
(const_item) @const
(static_item) @const
(use_declaration) @use
(struct_item) @struct
(mod_item) @mod
(enum_item) @type
(union_item) @type
(trait_item) @type
(foreign_mod_item (declaration_list (function_signature_item) @extern))
((macro_invocation macro: (identifier) @_m) @ioctl (#match? @_m "^ioctl_"))
(macro_definition) @macrodef
(macro_invocation) @items
((macro_invocation macro: (scoped_identifier name: (identifier) @_m)) @ioctl (#match? @_m "^ioctl_"))
(assignment_expression left: (_) @mutation)
(compound_assignment_expr left: (_) @mutation)
((call_expression function: (field_expression value: (_) @mutation field: (field_identifier) @_f))
  (#match? @_f "^(resize|set_len|truncate|custom_flags|clear)$"))
`;
const fileQuery = cachedQuery(FILE_QUERY);

export function extractRust(root: Node, external?: ExternalContext): Extraction {
  const summaries = new Summaries();
  const crateContext = isRustCrateContext(external?.value) ? external.value : undefined;
  const crate = crateContext ? CrateModules.for(root.tree.language, crateContext) : undefined;
  const analysis = new RustAnalysis(root, summaries, crate, crateContext?.modulePath.split('::'));
  try {
    analysis.collectItems();
    const facts = runUnits(analysis.functions, analysis.relevantPattern(), summaries, nameOfKey, (unit) => analysis.analyzeFunction(unit), () => analysis.sites.result(),
      { calleeNames: callersMention, demand: analysis.summaryWriters() });
    const calls = analysis.calls.list();
    if (!crate || !analysis.crossCalls.length) return { facts, calls };
    const elsewhere = crate.sitesForCalls(analysis.crossCalls);
    return { facts, calls: [...calls, ...elsewhere.calls], foreign: elsewhere.facts };
  } finally {
    analysis.dispose();
    crate?.release();
  }
}

/** How many inline `mod x { … }` enclose a node. */
function inlineNesting(node: Node): number {
  let k = 0;
  for (let p = node.parent, i = 0; p && i < 400; p = p.parent, i++) if (p.type === 'mod_item') k++;
  return k;
}

/** The crates' modules kept between files, and how much source text one may hold to be kept. */
/** What the body of a function read as arithmetic of its parameters may hold (see arithmeticCall). */
const ARITHMETIC_NODES = new Set(['binary_expression', 'unary_expression', 'parenthesized_expression', 'identifier', 'integer_literal',
  'type_cast_expression', 'primitive_type']);
/** Walks of a function for one call's struct argument, per file (see walkForStructArgument). */
const MAX_CALL_WALKS = 64;
const KEPT_CRATES = 2;
const KEPT_CRATE_BYTES = 2 * 1024 * 1024;
const keptCrates: CrateModules[] = [];

/** A unit filter that takes no unit by its text (the units to run are named). */
const NOTHING = /(?!)/;

/** How many walks for other files' calls one crate keeps. */
const MAX_KEPT_WALKS = 64;

/** How many lookups from module to module one name may take (`pub use` chains, constants made of constants). */
const MAX_CRATE_LOOKUP_DEPTH = 12;

/**
 * The other modules of the crate, as the workspace index read them: each parsed when a name first
 * leads to it (with the grammar the analysed file was parsed with), its items collected, never its
 * functions walked. What crosses over is a value only, never a position: a constant's definition lies
 * in another file, so no fix may edit it from here.
 */
class CrateModules {
  private readonly sources = new Map<string, RustModuleSource>();
  private readonly analyses = new Map<string, RustAnalysis | null>();
  private readonly trees: Tree[] = [];
  private parser: Parser | undefined;
  private depth = 0;
  /** Results of sitesForCalls by module and by which arguments were O_DIRECT descriptors. */
  private readonly walks = new Map<string, { facts: SiteFacts[]; calls: CallRecord[] }>();
  private readonly bytes: number;

  private constructor(private readonly language: TsLanguage, context: RustCrateContext, readonly key: string) {
    let bytes = 0;
    for (const m of context.modules) { this.sources.set(m.path, m); bytes += m.text.length; }
    this.bytes = bytes;
  }

  /**
   * The modules of a context. What is read of them depends on their texts alone (never on the file
   * that uses them), so the files of a crate that use the same modules share one, kept between files.
   */
  static for(language: TsLanguage, context: RustCrateContext): CrateModules {
    const key = createHash('sha1');
    for (const m of context.modules) key.update(m.path).update('\0').update(m.file).update('\0').update(m.text).update('\0');
    const digest = key.digest('hex');
    const kept = keptCrates.find((c) => c.key === digest && c.language === language);
    if (kept) return kept;
    const made = new CrateModules(language, context, digest);
    if (made.bytes <= KEPT_CRATE_BYTES) {
      keptCrates.push(made);
      while (keptCrates.length > KEPT_CRATES) keptCrates.shift()!.dispose();
    }
    return made;
  }

  /** Done with it for one file: kept ones stay for the next file, others are freed. */
  release(): void {
    if (!keptCrates.includes(this)) this.dispose();
  }

  /** A constant at an absolute path; undefined when no module of the crate that was read holds the path. */
  constAt(abs: readonly string[]): AV | undefined {
    return this.lookup(abs, (a, rest) => crossingValue(a.exportedConst(rest)));
  }

  alignedTypeAt(abs: readonly string[]): AlignedType | undefined {
    return this.lookup(abs, (a, rest) => a.exportedAlignedType(rest));
  }

  /** What a function at an absolute path returns (`crate::io::open_direct`); undefined when no module read holds it. */
  returnAt(abs: readonly string[]): ReturnType<RustAnalysis['exportedReturn']> | undefined {
    return this.lookup(abs, (a, rest) => a.exportedReturn(rest));
  }

  /** The module of the crate (read by the workspace index) that holds an absolute path, and the path inside it. */
  moduleOf(abs: readonly string[]): { module: string; rest: readonly string[] } | undefined {
    for (let n = abs.length - 1; n >= 1; n--) {
      const key = abs.slice(0, n).join('::');
      if (this.sources.has(key)) return { module: key, rest: abs.slice(n) };
    }
    return undefined;
  }

  /**
   * The parameter sites of the functions one file calls in other modules, with those modules' own calls,
   * placed in their files. Each module is walked afresh (what one file passes is not another's).
   */
  sitesForCalls(calls: ReadonlyArray<{ module: string; rest: readonly string[]; args: AV[] }>): { facts: SiteFacts[]; calls: CallRecord[] } {
    const facts: SiteFacts[] = [];
    const records: CallRecord[] = [];
    const byModule = new Map<string, typeof calls[number][]>();
    for (const c of calls) byModule.set(c.module, [...(byModule.get(c.module) ?? []), c]);
    for (const [module, list] of byModule) {
      const source = this.sources.get(module);
      const kept = source ? this.analysisOf(source) : undefined;
      if (!source || !kept) continue;
      // What a walk finds depends on the module's text (this object's key) and on which arguments are
      // O_DIRECT descriptors: the editor asks again on every keystroke of the calling file.
      const key = `${module}\0${[...new Set(list.map((c) => `${c.rest.join('::')}(${c.args.map((a) => (carriesODirect(a) ? 'D' : '-')).join('')})`))].sort().join(',')}`;
      let found = this.walks.get(key);
      if (!found) {
        const walk = new RustAnalysis(kept.root, new Summaries(), this, module.split('::'), `${module}::`);
        try {
          walk.collectItems();
          const raw = walk.sitesForCalls(list);
          found = { facts: raw.facts.map((f) => placeElsewhere(f, source.file)), calls: raw.calls.map((c) => callElsewhere(c, source.file)) };
        } catch {
          found = { facts: [], calls: [] };   // a module that cannot be walked adds no sites
        } finally {
          walk.dispose();
        }
        if (this.walks.size >= MAX_KEPT_WALKS) this.walks.delete(this.walks.keys().next().value!);
        this.walks.set(key, found);
      }
      facts.push(...found.facts);
      records.push(...found.calls);
    }
    return { facts, calls: records };
  }

  private lookup<T>(abs: readonly string[], read: (a: RustAnalysis, rest: readonly string[]) => T): T | undefined {
    if (this.depth >= MAX_CRATE_LOOKUP_DEPTH) return undefined;
    // The longest prefix that is a module read; the analysed file's own module is not another's.
    for (let n = abs.length - 1; n >= 1; n--) {
      const key = abs.slice(0, n).join('::');
      const source = this.sources.get(key);
      if (!source) continue;
      const analysis = this.analysisOf(source);
      if (!analysis) return undefined;
      this.depth++;
      try { return read(analysis, abs.slice(n)); } finally { this.depth--; }
    }
    return undefined;
  }

  private analysisOf(source: RustModuleSource): RustAnalysis | undefined {
    const known = this.analyses.get(source.path);
    if (known !== undefined) return known ?? undefined;
    let analysis: RustAnalysis | null = null;
    try {
      this.parser ??= (() => { const p = new Parser(); p.setLanguage(this.language); return p; })();
      const tree = this.parser.parse(source.text);
      if (tree) {
        this.trees.push(tree);
        analysis = new RustAnalysis(tree.rootNode, new Summaries(), this, source.path.split('::'));
        analysis.collectItems();
      }
    } catch {
      analysis = null;   // a module that cannot be read is a module not read
    }
    this.analyses.set(source.path, analysis);
    return analysis ?? undefined;
  }

  dispose(): void {
    for (const a of this.analyses.values()) a?.dispose();
    for (const t of this.trees) t.delete();
    this.trees.length = 0;
    this.parser?.delete();
    this.parser = undefined;
  }
}

/**
 * A value from another file, without the positions that belong to that file (no fix may edit them from
 * here); a struct value's type name would mean this file's type of that name, so it is not kept.
 */
function crossingValue(v: AV): AV {
  switch (v.k) {
    case 'num': return num(v.value);
    case 'flags': case 'opts': return { k: v.k, oDirect: v.oDirect };
    case 'fd': return { k: 'fd', oDirect: v.oDirect };
    case 'buf': {
      const o = v.origin;
      const origin: BufAV['origin'] = { state: o.state, origin: o.origin };
      if (o.alignment !== undefined) origin.alignment = o.alignment;
      if (o.alignedToPage) origin.alignedToPage = true;
      if (o.offset !== undefined) origin.offset = o.offset;
      return { k: 'buf', origin, size: v.size ? num(v.size.value) : undefined };
    }
    default: return UNKNOWN;
  }
}

interface RustUnit { fn: Node; selfType?: string; name: string; text: string; hasSelf?: boolean }

/** The summary key of a `static` of the file (read back by nameOfKey as the static's name). */
const staticKey = (name: string): string => fieldKey('#static', name);
/** What a function does to the descriptor of its parameter `i` (named like a parameter, so its callers are found by name). */
const effectKey = (fn: string, i: number): string => `param:#effect::${fn}:${i}`;
const retKey = (type: string | undefined, fn: string): string => `ret:${type ?? ''}::${fn}`;
const paramKey = (type: string | undefined, fn: string, i: number): string => `param:${type ?? ''}::${fn}:${i}`;
/**
 * What a function must mention to call the function of a site that reads a parameter: `put(` for
 * `RawDisk::put`. A caller that names no O_DIRECT item (`disk.put(1, &label)`) is analysed for it.
 */
function callersMention(fact: SiteFacts): string[] {
  return Object.values(fact.params ?? {}).map((p) => `${p!.fn.split('::').pop()!}(`);
}

/** A function as summaries name it: `Type::method` or `function`. */
const fnKey = (type: string | undefined, fn: string): string => (type ? `${type}::${fn}` : fn);
function nameOfKey(key: string): string | undefined {
  const m = /^(?:field:.*\.|ret:.*::|param:.*::)([A-Za-z_][A-Za-z0-9_]*)(?::\d+)?$/.exec(key);
  return m?.[1];
}

/** What may cross a function boundary: per-call-site values (results, literal objects) are generalised. */
function summaryValue(v: AV): AV {
  switch (v.k) {
    case 'result': case 'list': case 'never': case 'layout': return UNKNOWN;
    case 'obj': return v.type ? { k: 'inst', type: v.type } : UNKNOWN;
    case 'num': return v.def ? v : num(v.value);
    default: return v;
  }
}

export const rustExtractor: LanguageExtractor = {
  language: 'rust',
  extensions: ['.rs'],
  prefilter: RUST_SITE_TEXT,
  extract: (root, _text, external) => extractRust(root, external),
};

export type { BufAV, NumAV, PendingSite };

/** What a `for` loop iterates: `CASES.iter()` and `CASES.into_iter()` walk CASES itself. */
function iterated(value: Node | null): Node | null {
  if (value?.type !== 'call_expression') return value;
  const f = fc(value, 'function');
  const args = fc(value, 'arguments');
  if (f?.type === 'field_expression' && /^(?:iter|into_iter)$/.test(fc(f, 'field')?.text ?? '') && !args?.namedChildren.length) return fc(f, 'value');
  return value;
}

/** Macros and functions that only tell the user, or end the program. */
const REPORT_MACROS = new Set(['eprintln', 'eprint', 'println', 'print', 'error', 'warn', 'info', 'log::error', 'log::warn', 'tracing::error', 'tracing::warn', 'panic', 'unreachable']);
const END_MACROS = new Set(['panic', 'unreachable']);
const EXIT_CALLS = /^(std::)?(process::)?exit$/;
/** `return`, `return 1`, `return Ok(())`: not `return Err(e)` (the caller may fall back), nor a call. */
const PLAIN_RETURN = /^return(\s+(-?\d+|true|false|\(\)|Ok\(\(\)\)|None))?$/;

/** A block that only reports and then returns, exits or panics. */
function onlyReportsAndLeaves(block: Node | null | undefined): boolean {
  if (!block || block.type !== 'block') return false;
  const items = block.namedChildren.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment');
  if (items.length === 0 || items.length > 8) return false;
  let leaves = false;
  for (const item of items) {
    const e = item.type === 'expression_statement' ? item.namedChildren[0] : item;
    if (!e) return false;
    if (e.type === 'return_expression') {
      if (!PLAIN_RETURN.test(e.text.replace(/\s+/g, ' ').trim())) return false;
      leaves = true;
    } else if (e.type === 'macro_invocation') {
      const name = e.childForFieldName('macro')?.text ?? '';
      if (!REPORT_MACROS.has(name)) return false;
      if (END_MACROS.has(name)) leaves = true;
    } else if (e.type === 'call_expression') {
      if (!EXIT_CALLS.test(e.childForFieldName('function')?.text ?? '')) return false;
      leaves = true;
    } else {
      return false;
    }
  }
  return leaves;
}

/**
 * O_DIRECT as the Linux architectures number it: 0o40000 (x86, generic, parisc), 0o200000 (arm,
 * arm64), 0o400000 (powerpc), 0x8000 (mips), 0x100000 (sparc), 0o2000000 (alpha).
 */
const ARCH_O_DIRECT = new Set([0o40000, 0o200000, 0o400000, 0x8000, 0x100000, 0o2000000]);
