// Python extractor: walks the module body and every def in source order with the abstract values of
// flow.ts. `os.read`/`os.pread` allocate their own buffer, so on an O_DIRECT descriptor they are
// unaligned by construction; `mmap.mmap` and memoryview slices of it are page-aligned; slicing a
// bytes/bytearray/mmap copies into a fresh (unaligned) object.
import type { Language as TsLanguage, Node, Tree } from 'web-tree-sitter';
import { Parser } from 'web-tree-sitter';
import type { CallRecord, Range, SiteFacts } from '../../types';
import type { ExternalContext } from '../workspace';
import { isPythonImportsContext, joinSpec, type PythonImportsContext } from '../workspace/python-imports';
import { captures, walkTree } from './common';
import { guardConditionsOf, guardsAround, guardValues, parameterNames } from './python-guards';
import type { GuardCondition } from './flow-guards';
import { IOCTL_CLONE_TYPE_TEXT, PYTHON_SITE_TEXT } from './python-sites';
import type { Extraction, LanguageExtractor } from './extractor';
import {
  GuardedEvaluator, cachedQuery, intLiteral,
  type AV, type BufAV, type FdAV, type FuncAV, type NumAV, type ObjAV, Env, FICLONERANGE_REQUEST, FICLONE_REQUEST, MAX_DEPTH, NEVER, SiteCollector, Summaries,
  UNKNOWN, alignedBuf, binary, carriesODirect, combineBuffers, constantDef, fdFact, ficloneVariantOf, fieldChild as fc,
  FALLBACK_ERRNO, join, markHandled, markUsed, num, oDirectOf, parameterSize, rangeOf, runUnits, setNumber, setCallersNumber, sliceBuf, unalignedBuf, unary,
  fieldKey, prefilterWithNames, readField, paramValue, setBufferParam, CallLog, registerSnippet, placeElsewhere, callElsewhere,
  MAX_TABLE_ROWS, RowWalkBudget, type ListAV, boundNames,
  openedFd, positionOf, movePosition, seekPosition, escapePosition, escapeMentioned, forgetPositions, namedFlag,
  switchNames, SwitchWalkBudget, withSwitchWalks, factsOfFirstPass,
  ALWAYS_CLEARS, bindDescriptorParam, callClears, clearedAtEnd, clearedParams, clearsKey, clearsWhen,
  descriptorParamOf, holdsKnownDescriptor, setflClears, setflOnName,
} from './flow';
import { expressionKey, rangeWithin } from '../interprocedural';

/** Exceptions whose handler covers copy_file_range's errno failures (EXDEV, EINVAL, ENOSYS…). */
const OS_ERRORS = /^(OSError|IOError|EnvironmentError|Exception|BaseException|PermissionError)$/;

/** os functions doing I/O: argument positions (and keyword names) of fd, buffer/size, offset. */
interface IoApi { dir: 'read' | 'write'; size?: number; buf?: number; off?: number; vectored?: boolean; kw: string[] }
const OS_IO: Record<string, IoApi> = {
  read: { dir: 'read', size: 1, kw: ['fd', 'length'] },
  pread: { dir: 'read', size: 1, off: 2, kw: ['fd', 'length', 'offset'] },
  write: { dir: 'write', buf: 1, kw: ['fd', 'data'] },
  pwrite: { dir: 'write', buf: 1, off: 2, kw: ['fd', 'data', 'offset'] },
  readv: { dir: 'read', buf: 1, vectored: true, kw: ['fd', 'buffers'] },
  preadv: { dir: 'read', buf: 1, off: 2, vectored: true, kw: ['fd', 'buffers', 'offset'] },
  writev: { dir: 'write', buf: 1, vectored: true, kw: ['fd', 'buffers'] },
  pwritev: { dir: 'write', buf: 1, off: 2, vectored: true, kw: ['fd', 'buffers', 'offset'] },
};

interface PyUnit { node: Node; name: string; cls?: string; text: string; module?: boolean }

/** libc functions reached through ctypes that do I/O on a descriptor: fd, buffer, count (and offset) as in C. */
const LIBC_IO: Record<string, { dir: 'read' | 'write'; off?: number }> = {
  read: { dir: 'read' }, write: { dir: 'write' },
  pread: { dir: 'read', off: 3 }, pwrite: { dir: 'write', off: 3 }, pread64: { dir: 'read', off: 3 }, pwrite64: { dir: 'write', off: 3 },
};

/** os and fcntl functions that take a descriptor and leave its file position where it is (or follow it themselves). */
const OS_POSITION_AWARE = new Set(['open', 'read', 'write', 'readv', 'writev', 'lseek', 'pread', 'pwrite', 'preadv', 'pwritev',
  'fstat', 'fsync', 'fdatasync', 'ftruncate', 'posix_fallocate', 'posix_fadvise', 'close', 'fstatvfs', 'fchmod', 'fchown',
  'get_blocking', 'set_blocking', 'get_inheritable', 'set_inheritable', 'dup', 'urandom']);
const FCNTL_POSITION_AWARE = new Set(['fcntl', 'ioctl', 'flock', 'lockf']);
/** Builtins that may take a descriptor without moving its position. */
const BUILTIN_POSITION_NEUTRAL = new Set(['len', 'int', 'print', 'memoryview', 'bytearray', 'bytes', 'isinstance', 'str', 'repr']);
interface Args { pos: Node[]; kw: Map<string, Node>; splat: boolean }

class PythonAnalysis extends GuardedEvaluator {
  protected readonly language = 'python';
  protected readonly callType = 'call';
  protected readonly flatScanSkips: ReadonlySet<string> = new Set(['function_definition', 'class_definition']);
  sites = new SiteCollector('python');
  readonly calls = new CallLog();
  private unitKey: string | undefined;
  /** The current function's parameters by name: their position (without `self`). */
  private paramIndex = new Map<string, number>();
  /** The current function's `**name` parameter: what each keyword it forwards holds (see kwargsSlot). */
  private kwargsParam: { name: string; values: Map<string, AV> } | undefined;
  /** Parameters of the current function whose descriptor an fcntl(F_SETFL) (or a clearing helper) changes. */
  private setflParams = new Set<number>();
  /** The current walk's returns, with the parameters whose O_DIRECT was cleared on the way to each. */
  private clearReturns: { node: Node; cleared: Set<number> }[] = [];
  /** Classes of this file that define methods: calling one makes an instance (and calls its __init__). */
  private readonly classes = new Set<string>();
  readonly units: PyUnit[] = [];
  /** Local name -> `module` or `module.member` (from `import x as y`, `from x import y as z`). */
  private readonly imports = new Map<string, string>();
  private readonly starModules = new Set<string>();
  /** Module-level `Name = namedtuple("Name", "a b c")`: the tuple type's field names, in order. */
  readonly namedTuples = new Map<string, string[]>();
  /** Module-level names assigned exactly once: name -> value node. */
  private readonly globals = new Map<string, Node>();
  private readonly globalCount = new Map<string, number>();
  private readonly constCache = new Map<string, AV>();
  private readonly constBusy = new Set<string>();
  private readonly mutations: Node[] = [];
  private readonly firstPassBudget = new RowWalkBudget();
  private loopDepth = 0;
  private condDepth = 0;
  private handlerDepth = 0;
  /** Inside a try whose OSError handlers only report and leave. */
  private giveUpDepth = 0;
  private inModule = false;
  /** `from M import x [as y]`: local name -> the module spec as written and the member. */
  private readonly fromImports = new Map<string, { module: string; member: string }>();
  /** `import a.b` (binds a -> `a`) and `import a.b as m` (m -> `a.b`). */
  private readonly moduleImports = new Map<string, string>();
  /** Top-level `def`s and classes of this module: they shadow an import of the same name. */
  private readonly topLevel = new Set<string>();
  /** Names each function declares `global` (by the function's node id). */
  private readonly declaredGlobal = new Map<number, Set<string>>();
  /** Module-level names that are state, not constants: their value is what the module and its functions store. */
  private readonly moduleState = new Set<string>();
  /** The `global` names of the unit being analysed. */
  private unitGlobals: ReadonlySet<string> = new Set();
  /** Names the unit declares `global` or `nonlocal`: a descriptor stored in one may be used elsewhere (no known position). */
  private unitEscapes = new Set<string>();

  /**
   * `module`: for a module the analysed file imports, its key prefix (`directio.file`), where its
   * imports lead, and its number among the modules (summary writers of different files must differ).
   */
  constructor(private readonly root: Node, protected readonly summaries: Summaries,
    private readonly workspace?: PythonWorkspace,
    private readonly module: { prefix: string; imports: Readonly<Record<string, string>>; index: number; file?: string } = { prefix: '', imports: {}, index: 0 }) { super(); }

  /** The module's file, for a module the analysed file imports. */
  get file(): string | undefined { return this.module.file; }

  /** How far this module's lines are moved down in its positions (0 for the analysed file). */
  get lineOffset(): number { return this.module.file ? IMPORTED_LINE_BASE * this.module.index : 0; }

  /** A class or top-level function of this module as summaries key it: qualified by the module unless it is the analysed file. */
  q(name: string): string { return this.module.prefix ? `${this.module.prefix}:${name}` : name; }

  /** Is this one of the modules the analysed file imports (not the file itself)? */
  get imported(): boolean { return this.module.prefix !== ''; }

  private write(key: string, writer: number, value: AV): void {
    this.summaries.write(key, this.module.index * WRITERS_PER_MODULE + writer, value);
  }

  /**
   * The parameters a constructor call of a class of this file leaves to keywords or to their defaults: each
   * gets the keyword's value, else the default's (`def __init__(self, path, offset=64)` called as
   * `A(p)` has offset 64 there). Positions after the call's positional arguments only; a call that
   * unpacks `*args`/`**kw` gives them nothing known.
   */
  private writeOmitted(def: PyUnit | undefined, method: boolean, a: Args, values: Map<number, AV>, key: (i: number) => string, node: Node): void {
    if (!def || def.module) return;
    const params = (fc(def.node, 'parameters')?.namedChildren ?? []).slice(method ? 1 : 0);
    for (let i = a.pos.length; i < params.length; i++) {
      const p = params[i]!;
      if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator') break;
      const name = p.type === 'identifier' ? p.text : fc(p, 'name')?.text ?? (p.type === 'typed_parameter' ? p.namedChildren[0]?.text : undefined);
      if (!name) break;
      const given = a.kw.get(name);
      const dflt = p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? fc(p, 'value') : undefined;
      // a default is evaluated where the function is defined: only a literal means the same here
      const value = a.splat ? UNKNOWN : given ? values.get(given.id) ?? UNKNOWN : dflt && /^(integer|float|string|true|false|none)$/.test(dflt.type) ? this.evalExpr(dflt, new Env()) : UNKNOWN;
      this.write(key(i), node.startIndex * 8 + Math.min(i, 7), summaryValue(value));
    }
  }

  /** The summary key of a unit's return value. */
  retKeyOf(unit: PyUnit): string {
    return unit.cls ? retKey(this.q(unit.cls), unit.name) : retKey(undefined, this.q(unit.name));
  }

  collect(): void {
    this.units.push({ node: this.root, name: '<module>', text: this.root.text, module: true });
    for (const cap of captures(fileQuery(this.root), this.root)) {
      const n = cap.node;
      switch (cap.name) {
        case 'import':
          for (const item of n.childrenForFieldName('name')) {
            const alias = fc(item, 'alias')?.text;
            const name = fc(item, 'name')?.text;
            if (item.type === 'aliased_import') { if (alias && name) { this.imports.set(alias, name); this.moduleImports.set(alias, name.replace(/\s+/g, '')); } }
            else { const root = item.text.split('.')[0]!.trim(); this.imports.set(root, root); this.moduleImports.set(root, root); }
          }
          break;
        case 'from': {
          const mod = fc(n, 'module_name')?.text ?? '';
          if (n.namedChildren.some((c) => c.type === 'wildcard_import')) { this.starModules.add(mod); break; }
          for (const item of n.childrenForFieldName('name')) {
            const alias = fc(item, 'alias')?.text;
            const name = fc(item, 'name')?.text;
            const module = mod.replace(/\s+/g, '');
            if (item.type === 'aliased_import') { if (alias && name) { this.imports.set(alias, `${mod}.${name}`); this.fromImports.set(alias, { module, member: name }); } }
            else { this.imports.set(item.text, `${mod}.${item.text}`); this.fromImports.set(item.text, { module, member: item.text }); }
          }
          break;
        }
        case 'def': {
          const name = fc(n, 'name')?.text ?? '';
          const cls = enclosingClass(n);
          const unit: PyUnit = { node: n, name, cls, text: n.text };
          this.units.push(unit);
          ownerOfUnit.set(unit, this);
          if (cls) this.classes.add(cls);
          if (cls && isTopLevel(enclosingClassNode(n))) this.topLevel.add(cls);
          else if (!cls && isTopLevel(n)) this.topLevel.add(name);
          break;
        }
        case 'global': {
          // Module-level `NAME = value`: a constant if assigned once.
          const name = n.text;
          this.globalCount.set(name, (this.globalCount.get(name) ?? 0) + 1);
          const value = n.parent ? fc(n.parent, 'right') : null;
          if (value) this.globals.set(name, value);
          break;
        }
        case 'mutation': this.mutations.push(n); break;
        case 'globaldecl': {
          const fn = enclosingFunction(n);
          if (!fn) break;
          const names = this.declaredGlobal.get(fn.id) ?? new Set<string>();
          names.add(n.text);
          this.declaredGlobal.set(fn.id, names);
          break;
        }
        default: break;
      }
    }
    for (const [name, count] of this.globalCount) if (count > 1) this.globals.delete(name);
    for (const [name, node] of this.globals) {
      const fields = this.namedTupleFields(node);
      if (fields) this.namedTuples.set(name, fields);
    }
    // A module-level name also assigned elsewhere in the module's own code (`FLAGS |= O_DIRECT` under an
    // `if`) or by a function that declares it `global` is module state, not a constant.
    const moduleLevel = new Map<string, number>();
    for (const m of this.mutations) {
      if (m.type === 'identifier' && !enclosingFunction(m) && !enclosingClassOf(m)) moduleLevel.set(m.text, (moduleLevel.get(m.text) ?? 0) + 1);
    }
    for (const [name, count] of moduleLevel) if (count > 1 && this.globals.has(name)) this.moduleState.add(name);
    for (const names of this.declaredGlobal.values()) for (const name of names) if (this.globals.has(name)) this.moduleState.add(name);
  }

  /** `namedtuple("T", "a b")`, `namedtuple("T", ["a", "b"])` (also `collections.namedtuple`): the field names. */
  private namedTupleFields(node: Node): string[] | undefined {
    if (node.type !== 'call') return undefined;
    const fn = fc(node, 'function')?.text.replace(/\s+/g, '') ?? '';
    const target = fn.includes('.') ? fn : this.imports.get(fn) ?? '';
    if (target !== 'collections.namedtuple' || (!fn.includes('.') && this.topLevel.has(fn))) return undefined;
    const args = (fc(node, 'arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
    const spec = args[1]?.type === 'keyword_argument' ? undefined : args[1];
    if (!spec) return undefined;
    const names = spec.type === 'string' ? stringLiteralText(spec).split(/[\s,]+/)
      : spec.type === 'list' || spec.type === 'tuple' ? spec.namedChildren.map((c) => (c.type === 'string' ? stringLiteralText(c) : '')) : [];
    const fields = names.filter(Boolean);
    return fields.length && fields.every((f) => /^[A-Za-z_]\w*$/.test(f)) && fields.length === names.filter((n) => n !== '').length ? fields : undefined;
  }

  /**
   * A call of a named tuple type of this module: an object of its fields, each the argument at its place
   * or under its name, and what every such call stores there for the code that reads the fields of one
   * it was handed (`rng.length` in a helper).
   */
  private namedTupleCall(name: string, a: Args, values: Map<number, AV>, node: Node): AV {
    const fields = this.namedTuples.get(name)!;
    const type = this.q(name);
    const out: ObjAV = { k: 'obj', type, fields: new Map(), ranges: new Map() };
    fields.forEach((f, i) => {
      const at = a.splat ? undefined : a.pos[i] ?? a.kw.get(f);
      const v = at ? values.get(at.id) ?? UNKNOWN : UNKNOWN;
      this.write(fieldKey(type, f), node.startIndex * 8 + Math.min(i, 7), summaryValue(v));
      out.fields.set(f, v);
      if (at) out.ranges.set(f, at);
    });
    return out;
  }

  relevantPattern(): RegExp {
    const names: string[] = [];
    for (const name of this.globals.keys()) {
      const v = this.globalConst(name);
      if (v && (carriesODirect(v) || ficloneVariantOf(v))) names.push(name);
    }
    names.push(...this.ioctlNumberNames());
    return prefilterWithNames(pythonExtractor.prefilter, names);
  }

  /**
   * Module-level names computed from the clone ioctls' type 0x94, directly or through other such names
   * (`IOC_CLONE_RANGE = _IOW(BTRFS_IOCTL_MAGIC, 13, args)`): their value comes from the module walk, so a
   * function that only names one of them must be analysed to see its ioctl.
   */
  private ioctlNumberNames(): string[] {
    const found = new Set<string>();
    for (const [name, node] of this.globals) if (IOCTL_CLONE_TYPE_TEXT.test(node.text)) found.add(name);
    for (let grew = found.size > 0, round = 0; grew && round < 8; round++) {
      grew = false;
      for (const [name, node] of this.globals) {
        if (found.has(name)) continue;
        if ((node.text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).some((t) => found.has(t))) { found.add(name); grew = true; }
      }
    }
    return [...found];
  }

  analyzeUnit(unit: PyUnit): SiteFacts[] {
    this.sites = new SiteCollector('python');
    this.depth = 0;
    this.loopDepth = 0;
    this.condDepth = 0;
    this.handlerDepth = 0;
    this.giveUpDepth = 0;
    this.returns = [];
    this.rowFacts = [];
    this.inModule = !!unit.module;
    this.unitEscapes = new Set();
    if (!unit.module) {
      walkTree(unit.node, (type, get) => {
        if (type === 'global_statement' || type === 'nonlocal_statement') for (const c of get().namedChildren) if (c.type === 'identifier') this.unitEscapes.add(c.text);
        return true;
      });
    }
    const unitType = unit.cls ? this.q(unit.cls) : undefined;
    const unitName = unit.cls ? unit.name : this.q(unit.name);
    this.unitKey = unit.module ? undefined : fnKey(unitType, unitName);
    this.paramIndex = new Map();
    this.kwargsParam = undefined;
    this.setflParams = new Set();
    this.clearReturns = [];
    const env = new Env();
    this.unitGlobals = unit.module ? new Set() : this.declaredGlobal.get(unit.node.id) ?? new Set();
    if (unit.module) {
      this.execBlock(unit.node, env);
      return [...this.sites.result(), ...this.rowFacts];
    }
    const params = fc(unit.node, 'parameters')?.namedChildren ?? [];
    let index = 0;
    params.forEach((p, i) => {
      const name = p.type === 'identifier' ? p.text : fc(p, 'name')?.text ?? (p.type === 'typed_parameter' ? p.namedChildren[0]?.text : undefined);
      if (!name) return;
      if (i === 0 && unitType && !isStatic(unit.node)) { env.assign(name, { k: 'inst', type: unitType }); return; }
      const at = index++;
      let passed = this.summaries.read(paramKey(unitType, unitName, at));
      // In an imported module a number or a buffer is each call's own: the calls supply it, so a
      // finding about it lands on the analysed file's argument (descriptors still come in).
      if (this.imported && (passed.k === 'num' || passed.k === 'buf')) passed = UNKNOWN;
      env.assign(name, paramValue(passed, { fn: fnKey(unitType, unitName), index: at, name }));
      bindDescriptorParam(env, name, at);
      this.paramIndex.set(name, at);
    });
    const splat = params.find((p) => p.type === 'dictionary_splat_pattern')?.namedChildren[0];
    // Only while the function leaves it as its callers passed it: no store into it, no rebinding.
    if (splat?.type === 'identifier' && !rebindsMapping(fc(unit.node, 'body'), splat.text)) {
      const values = new Map<string, AV>();
      for (const key of FORWARDED_KEYWORDS) {
        const at = kwargsSlot(unit.node, !!unitType && !isStatic(unit.node), key);
        if (at === undefined) continue;
        const passed = this.summaries.read(paramKey(unitType, unitName, at));
        values.set(key, paramValue(this.imported && passed.k === 'num' ? UNKNOWN : passed, { fn: fnKey(unitType, unitName), index: at, name: `${splat.text}['${key}']` }));
      }
      this.kwargsParam = { name: splat.text, values };
    }
    if (!unit.cls && enclosingFunction(unit.node)) {
      for (const v of this.closureNames(unit.node)) env.assign(v, this.summaries.read(closureKey(this.q(unit.name), v)));
    }
    const start = env.copy();
    this.execBlock(fc(unit.node, 'body'), env);
    this.parametrizedRows(unit.node, start);
    let ret: AV = NEVER;
    for (const r of this.returns) ret = join(ret, summaryValue(r));
    this.write(this.retKeyOf(unit), unit.node.startIndex, ret.k === 'never' ? UNKNOWN : ret);
    this.writeClears(unit.node, env, start);
    const isMethod = !!unitType && !isStatic(unit.node);
    const conditions = this.unitKey ? this.guardConditions(unit.node, isMethod) : [];
    // what the callers agree on (the values the walk started from) decides some conditions already
    const agreed = conditions.length ? guardValues(unit.node, isMethod, conditions, parameterNames(unit.node, isMethod).map((n) => start.get(n)), (n, e) => this.evalExpr(n, e)) : undefined;
    for (const s of conditions.length ? this.sites.sites : []) {
      const guards = s.node ? guardsAround(s.node, unit.node, conditions, this.unitKey!) : [];
      if (guards.some((g) => { const v = agreed?.[expressionKey(g.condition)]; return v?.known && (v.value !== 0) !== g.holds; })) unreachedByCallers(s.facts);
      else if (guards.length && s.facts.params) s.facts.guards = guards;
    }
    return [...this.withSwitches(unit.node, start, this.sites.result()), ...this.rowFacts];
  }

  private readonly guardCache = new Map<number, GuardCondition[]>();

  /** The conditions of a function of this file that each call's arguments decide (see python-guards.ts). */
  private guardConditions(def: Node, isMethod: boolean): GuardCondition[] {
    let found = this.guardCache.get(def.startIndex);
    if (!found) {
      found = guardConditionsOf(def, isMethod, (name) => this.globalConst(name)?.k === 'num');
      this.guardCache.set(def.startIndex, found);
    }
    return found;
  }

  /** What a call of this file's function (`def`) decides of the conditions around its sites. */
  private guardValuesAt(def: PyUnit | undefined, passed: readonly ({ av: AV } | undefined)[]): CallRecord['expressions'] {
    if (!def || def.module) return undefined;
    const isMethod = !!def.cls && !isStatic(def.node);
    return guardValues(def.node, isMethod, this.guardConditions(def.node, isMethod), passed.map((p) => p?.av), (n, env) => this.evalExpr(n, env));
  }

  /**
   * What the function leaves of O_DIRECT on each descriptor parameter it hands to fcntl(F_SETFL): cleared
   * on every path to its end (every return counts), cleared only for one value of a boolean parameter
   * it tests (a walk per value, like the switch walks), or not known to be cleared.
   */
  private writeClears(def: Node, end: Env, start: Env): void {
    if (!this.setflParams.size || !this.unitKey) return;
    const params = [...this.setflParams];
    const always = clearedAtEnd(end, this.clearReturns, () => true);
    const conditional = new Map<number, AV>();
    const body = fc(def, 'body');
    if (body && params.some((i) => !always.has(i))) {
      const switches = switchNames(body, 'if_statement', (n) => pySwitchOf(fc(n, 'condition'))?.name, this.assignedNames(def), true).filter((n) => this.paramIndex.has(n));
      for (const name of switches) {
        const [on, off] = [true, false].map((value) => this.clearedWith(body, start, name, value));
        for (const i of params) {
          if (always.has(i) || conditional.has(i) || on!.has(i) === off!.has(i)) continue;
          conditional.set(i, clearsWhen(this.paramIndex.get(name)!, on!.has(i)));
        }
      }
    }
    for (const i of params) this.write(clearsKey(this.unitKey, i), def.startIndex, always.has(i) ? ALWAYS_CLEARS : conditional.get(i) ?? UNKNOWN);
  }

  /** The parameters cleared at the end of a walk of the body with the switch `name` taking `value`. */
  private clearedWith(body: Node, start: Env, name: string, value: boolean): Set<number> {
    const saved = { sites: this.sites, returns: this.returns, clearReturns: this.clearReturns, setflParams: this.setflParams,
      loopDepth: this.loopDepth, condDepth: this.condDepth, handlerDepth: this.handlerDepth, inRowWalk: this.inRowWalk };
    this.sites = new SiteCollector('python');
    this.returns = [];
    this.clearReturns = [];
    this.setflParams = new Set();
    this.assumed = { name, value };
    this.inRowWalk = true;
    try {
      const env = start.copy();
      this.summaries.mute(() => this.calls.mute(() => this.execBlock(body, env)));
      return clearedAtEnd(env, this.clearReturns, () => true);
    } finally {
      Object.assign(this, saved, { assumed: undefined });
    }
  }

  /** The name a descriptor argument is read from: `fd`, `f.fileno()`, `int(fd)`, `(fd)`. */
  private descriptorName(node: Node | undefined | null): string | undefined {
    let n = node ?? undefined;
    for (let i = 0; n && i < 6; i++) {
      if (n.type === 'parenthesized_expression') { n = n.namedChildren[0]; continue; }
      if (n.type !== 'call') break;
      const fnNode = fc(n, 'function');
      const args = (fc(n, 'arguments')?.namedChildren ?? []).filter((c) => c.type !== 'comment');
      if (fnNode?.type === 'identifier' && fnNode.text === 'int' && args.length === 1) n = args[0];
      else if (fnNode?.type === 'attribute' && fc(fnNode, 'attribute')?.text === 'fileno' && !args.length) n = fc(fnNode, 'object') ?? undefined;
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

  /** A call of a function that clears O_DIRECT on a descriptor it is passed (see writeClears). */
  private callClearing(fn: string, a: Args, env: Env): void {
    if (a.splat) return;
    a.pos.forEach((arg, i) => {
      if (!this.holdsDescriptor(arg, env) || !callClears(this.summaries.read(clearsKey(fn, i)), (at) => pyBoolean(a.pos[at]))) return;
      this.setflOn(arg, true, env);
    });
  }

  /** The switch the current walk takes as set (`direct` true) or unset; undefined in an ordinary walk. */
  private assumed: { name: string; value: boolean } | undefined;
  private readonly switchBudget = new SwitchWalkBudget();

  /**
   * The unit's sites, those that are O_DIRECT only with one of its switches on taking the values of
   * that path (see correlatedFacts). The extra walks write no summary and record no call.
   */
  private withSwitches(def: Node, start: Env, base: SiteFacts[]): SiteFacts[] {
    const body = fc(def, 'body');
    if (!body || this.inRowWalk || !base.length) return base;
    const names = switchNames(body, 'if_statement', (n) => pySwitchOf(fc(n, 'condition'))?.name, this.assignedNames(def));
    const saved = { sites: this.sites, returns: this.returns, loop: this.loopDepth, cond: this.condDepth, handler: this.handlerDepth };
    this.inRowWalk = true;   // a table's rows are walked by the ordinary walk only
    try {
      return withSwitchWalks(base, names, this.switchBudget, body, (name, value) => {
        this.sites = new SiteCollector('python');
        this.returns = [];
        this.assumed = { name, value };
        this.summaries.mute(() => this.calls.mute(() => this.execBlock(body, start.copy())));
        return this.sites.result();
      });
    } finally {
      Object.assign(this, { sites: saved.sites, returns: saved.returns, loopDepth: saved.loop, condDepth: saved.cond,
        handlerDepth: saved.handler, assumed: undefined, inRowWalk: false });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private execBlock(block: Node | null, env: Env): void {
    if (!block) return;
    if (this.depth > MAX_DEPTH || this.flat) { this.flatScan(block, env); return; }
    this.depth++;
    try {
      for (const s of block.namedChildren) {
        if (env.diverged) break;
        this.exec(s, env);
      }
    } finally {
      this.depth--;
    }
  }

  private exec(node: Node, env: Env): void {
    switch (node.type) {
      case 'expression_statement':
        for (const c of node.namedChildren) this.evalExpr(c, env);
        return;
      case 'if_statement': this.execIf(node, env); return;
      case 'for_statement': case 'while_statement': this.execLoop(node, env); return;
      case 'try_statement': this.execTry(node, env); return;
      case 'with_statement': {
        const clause = node.namedChildren.find((c) => c.type === 'with_clause');
        for (const item of clause?.namedChildren ?? []) {
          const value = fc(item, 'value');
          if (value?.type === 'as_pattern') {
            const v = this.evalExpr(value.namedChildren[0], env);
            const target = fc(value, 'alias')?.namedChildren[0] ?? null;
            this.bind(target, v, env);
          } else this.evalExpr(value, env);
        }
        this.execBlock(fc(node, 'body'), env);
        return;
      }
      case 'return_statement': {
        const v = this.evalExpr(node.namedChildren[0], env);
        markHandled(v);
        this.returns.push(v);
        this.clearReturns.push({ node, cleared: clearedParams(env) });
        env.diverged = true;
        return;
      }
      case 'raise_statement': for (const c of node.namedChildren) this.evalExpr(c, env); env.diverged = true; return;
      case 'break_statement': case 'continue_statement': env.diverged = true; return;
      case 'assert_statement':
        this.condDepth++;
        for (const c of node.namedChildren) markHandled(this.evalExpr(c, env));
        this.condDepth--;
        return;
      case 'match_statement': this.execMatch(node, env); return;
      case 'class_definition':
        // Class-level constants (`BLOCK = 4096`) are readable as self.BLOCK.
        if (this.inModule) this.execClassBody(node, env);
        return;
      case 'decorated_definition': {
        // `@unittest.skipUnless(…)` / `@dataclass` over a class: its constants are the class's all the same.
        const def = fc(node, 'definition');
        if (def?.type === 'class_definition') { if (this.inModule) this.execClassBody(def, env); return; }
        escapeMentioned(env, node);
        return;
      }
      case 'function_definition': {
        // What a nested def reads of this function's variables (a ctypes function, a descriptor) is what they hold here.
        const name = fc(node, 'name')?.text;
        if (name && !this.inModule) {
          for (const v of this.closureNames(node)) {
            const value = env.get(v);
            if (value) this.write(closureKey(this.q(name), v), node.startIndex, summaryValue(value));
          }
        }
        // A nested def may run at any later call: what it mentions has no known position from here on.
        escapeMentioned(env, node);
        return;
      }
      case 'import_statement': case 'import_from_statement':
      case 'future_import_statement': case 'comment': case 'pass_statement': case 'global_statement': case 'nonlocal_statement':
        return;
      case 'delete_statement': return;
      case 'block': this.execBlock(node, env); return;
      default: this.evalExpr(node, env);
    }
  }

  private execClassBody(node: Node, env: Env): void {
    const name = fc(node, 'name')?.text;
    const body = fc(node, 'body');
    if (!name || !body) return;
    const classEnv = env.copy();
    for (const s of body.namedChildren) {
      const a = s.type === 'expression_statement' ? s.namedChildren[0] : undefined;
      if (a?.type !== 'assignment') continue;
      const left = fc(a, 'left');
      const v = this.evalExpr(fc(a, 'right'), classEnv);
      if (left?.type === 'identifier') {
        const right = fc(a, 'right');
        const value = v.k === 'num' && right ? num(v.value, constantDef(left.text, right)) : v;
        this.write(fieldKey(this.q(name), left.text), a.startIndex, value);
      }
    }
  }

  private execIf(node: Node, env: Env): void {
    this.condDepth++;
    markHandled(this.evalExpr(fc(node, 'condition'), env));
    this.condDepth--;
    // The walk of one value of a switch: the consequence alone, or everything but the consequence.
    const tested = this.assumed ? pySwitchOf(fc(node, 'condition')) : undefined;
    const taken = tested && tested.name === this.assumed!.name ? this.assumed!.value !== tested.negated : undefined;
    if (taken === true) { this.execBlock(fc(node, 'consequence'), env); return; }
    const branches: Env[] = [];
    if (taken === undefined) {
      const thenEnv = env.copy();
      this.execBlock(fc(node, 'consequence'), thenEnv);
      branches.push(thenEnv);
    }
    let sawElse = false;
    let rest = env.copy();
    for (const alt of node.childrenForFieldName('alternative')) {
      if (alt.type === 'elif_clause') {
        this.condDepth++;
        markHandled(this.evalExpr(fc(alt, 'condition'), rest));
        this.condDepth--;
        const e = rest.copy();
        this.execBlock(fc(alt, 'consequence'), e);
        branches.push(e);
      } else {
        sawElse = true;
        const e = rest.copy();
        this.execBlock(fc(alt, 'body') ?? alt.namedChildren[0] ?? null, e);
        branches.push(e);
      }
      rest = rest.copy();
    }
    if (!sawElse) branches.push(rest);
    env.joinFrom(branches);
  }

  private execLoop(node: Node, env: Env): void {
    const entry = !this.inRowWalk ? env.copy() : undefined;
    env.havoc(this.assignedNames(node));
    this.loopDepth++;
    const inner = env.copy();
    let ranged: AV | undefined;
    if (node.type === 'for_statement') {
      ranged = this.evalExpr(fc(node, 'right'), env);
      this.bind(fc(node, 'left'), UNKNOWN, inner);
    } else {
      this.condDepth++;
      markHandled(this.evalExpr(fc(node, 'condition'), inner));
      this.condDepth--;
    }
    const start = inner.copy();
    this.execBlock(fc(node, 'body'), inner);
    // `for name, off, size in CASES:` over a literal table: the body once more per row
    const body = fc(node, 'body');
    if (ranged?.k === 'list' && ranged.rows && body) {
      const right = fc(node, 'right');
      const target = fc(node, 'left');
      if (target) this.walkRows(body, start, boundNames(target), ranged, right?.type === 'identifier' ? right.text : 'the table',
        (env, row) => { this.bind(target, row, env); this.execBlock(body, env); });
    }
    // A table's rows are each pass's values already: its first pass adds nothing.
    if (entry && body && !(ranged?.k === 'list' && ranged.rows)) this.walkFirstPass(node, body, entry);
    inner.diverged = false;
    this.loopDepth--;
    env.joinFrom([env.copy(), inner]);
    const orElse = fc(node, 'alternative');
    if (orElse) this.execBlock(fc(orElse, 'body') ?? orElse.namedChildren[0] ?? null, env);
  }

  /**
   * Walks a `while` body once more from the values the loop starts with (`entry`, before anything the
   * loop assigns is forgotten): on the first pass `done = 0` still holds. The sites that every first
   * pass reaches and that this walk makes more known are kept as seen on that pass (factsOfFirstPass).
   * Not when the condition is known to be false at the start: then there is no first pass. Like a row
   * walk, nothing this walk stores or calls reaches the rest of the file.
   */
  private walkFirstPass(loop: Node, body: Node, entry: Env): void {
    const base = this.sites.sites.map((s) => s.facts).filter((f) => rangeWithin(f.site.range, rangeOf(body)) && reachedOnEveryPass(body, f.site.range));
    if (!base.length) return;
    const isFor = loop.type === 'for_statement';
    // `for`: the first pass has the target's first item (known for a `range` only), if there is one
    const first = isFor ? firstItem(fc(loop, 'right'), entry, (e, env) => this.evalExpr(e, env)) : undefined;
    if (first === 'empty' || !this.firstPassBudget.take(body)) return;
    const condition = isFor ? null : fc(loop, 'condition');
    const savedSites = this.sites;
    const savedReturns = this.returns;
    this.inRowWalk = true;
    this.loopDepth++;
    let seen: SiteFacts[] = [];
    try {
      this.sites = new SiteCollector('python');
      this.returns = [];
      this.summaries.mute(() => this.calls.mute(() => {
        if (isFor) {
          this.bind(fc(loop, 'left'), first ?? UNKNOWN, entry);
        } else {
          if (this.falseAtStart(condition, entry)) return;
          this.condDepth++;
          markHandled(this.evalExpr(condition, entry));
          this.condDepth--;
        }
        this.execBlock(body, entry);
      }));
      seen = this.sites.result();
    } finally {
      this.sites = savedSites;
      this.returns = savedReturns;
      this.loopDepth--;
      this.inRowWalk = false;
    }
    const right = isFor ? fc(loop, 'right') : null;
    const headEnd = condition ?? right;
    const head = headEnd ? { start: rangeOf(loop).start, end: rangeOf(headEnd).end } : rangeOf(loop);
    this.rowFacts.push(...factsOfFirstPass(base, seen, head, isFor ? 'for' : 'while'));
  }

  /**
   * Is a loop condition known to be false in `env`: `False`, `0`, or a comparison of two numbers known
   * there (`done < length` with both known)? The operands are evaluated on a copy, and only when they
   * call nothing, so the real evaluation of the condition is the only one with effects.
   */
  private falseAtStart(condition: Node | null, env: Env): boolean {
    if (!condition) return false;
    const c = condition.type === 'parenthesized_expression' && condition.namedChildCount === 1 ? condition.namedChildren[0]! : condition;
    if (c.type === 'false') return true;
    if (c.type === 'integer') { const v = intLiteral(c.text); return v.k === 'num' && v.value === 0; }
    if (c.type !== 'comparison_operator' || c.childCount !== 3 || /\(/.test(c.text)) return false;
    const [left, op, right] = [c.child(0)!, c.child(1)!.type, c.child(2)!];
    const scratch = env.copy();
    const a = this.evalExpr(left, scratch);
    const b = this.evalExpr(right, scratch);
    if (a.k !== 'num' || b.k !== 'num') return false;
    switch (op) {
      case '<': return !(a.value < b.value);
      case '<=': return !(a.value <= b.value);
      case '>': return !(a.value > b.value);
      case '>=': return !(a.value >= b.value);
      case '==': return a.value !== b.value;
      case '!=': return a.value === b.value;
      default: return false;
    }
  }


  /**
   * `@pytest.mark.parametrize("name,off,size", [(…), …])` on a test function: its body once more per
   * row, with the named parameters bound to the row's values.
   */
  private parametrizedRows(fn: Node, start: Env): void {
    const body = fc(fn, 'body');
    const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
    if (!body || !decorated) return;
    for (const deco of decorated.namedChildren) {
      const call = deco.type === 'decorator' ? deco.namedChildren[0] : undefined;
      if (call?.type !== 'call' || !/(?:^|\.)parametrize$/.test(fc(call, 'function')?.text ?? '')) continue;
      const [namesNode, valuesNode] = (fc(call, 'arguments')?.namedChildren ?? []).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
      const names = namesNode?.type === 'string' ? stringContent(namesNode).split(',').map((n) => n.trim())
        : namesNode?.type === 'tuple' || namesNode?.type === 'list' ? namesNode.namedChildren.filter((c) => c.type === 'string').map(stringContent) : [];
      if (!names.length || !valuesNode || names.some((n) => !/^[A-Za-z_]\w*$/.test(n))) continue;
      const values = this.evalExpr(valuesNode, start.copy());
      if (values.k !== 'list') continue;
      // one name: each element is the value itself; several: each row is a tuple of them, in order
      const rows = names.length === 1 ? (valuesNode.type === 'list' || valuesNode.type === 'tuple' ? valuesNode.namedChildren.filter((c) => c.type !== 'comment').slice(0, MAX_TABLE_ROWS) : undefined) : values.rows;
      if (!rows?.length) continue;
      const table: ListAV = { k: 'list', items: values.items, rows };
      const bindRow = (env: Env, row: AV): void => {
        names.forEach((n, i) => env.assign(n, names.length === 1 ? row : row.k === 'list' ? row.items[i] ?? UNKNOWN : UNKNOWN));
      };
      this.walkRows(body, start, new Set(names), table, valuesNode.type === 'identifier' ? valuesNode.text : '@pytest.mark.parametrize',
      (env, row) => { bindRow(env, row); this.execBlock(body, env); });
    }
  }

  private execTry(node: Node, env: Env): void {
    const handlers = node.namedChildren.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    const catchesOsError = handlers.some((h) => {
      const value = fc(h, 'value') ?? h.namedChildren.find((c) => c.type !== 'block' && c.type !== 'comment');
      if (!value || value.type === 'block') return true;   // bare except
      const typeNode = value.type === 'as_pattern' ? value.namedChildren[0] : value;
      const names = typeNode?.type === 'tuple' || typeNode?.type === 'parenthesized_expression' ? typeNode.namedChildren.map((c) => c.text) : [typeNode?.text ?? ''];
      return names.some((n) => OS_ERRORS.test(n.replace(/^builtins\./, '')));
    });
    // `except OSError as e: print(e); sys.exit(1)`: the failure is caught only to give up, no fallback.
    const givesUp = catchesOsError && this.loopDepth === 0
      && handlers.every((h) => { const b = h.namedChildren.find((c) => c.type === 'block'); return !FALLBACK_ERRNO.test(h.text) && onlyReportsAndLeaves(b); });
    const before = env.copy();
    if (givesUp) this.giveUpDepth++;
    else if (catchesOsError) this.handlerDepth++;
    this.execBlock(fc(node, 'body'), env);
    if (givesUp) this.giveUpDepth--;
    else if (catchesOsError) this.handlerDepth--;
    const branches = [env.copy()];
    for (const h of handlers) {
      // A handler may run after any statement of the body: start from what held before it.
      const e = before.copy();
      e.havoc(this.assignedNames(fc(node, 'body') ?? node));
      forgetPositions(e);
      const block = h.namedChildren.find((c) => c.type === 'block');
      this.execBlock(block ?? null, e);
      branches.push(e);
    }
    env.joinFrom(branches);
    const elseClause = node.namedChildren.find((c) => c.type === 'else_clause');
    if (elseClause) this.execBlock(fc(elseClause, 'body') ?? elseClause.namedChildren[0] ?? null, env);
    const fin = node.namedChildren.find((c) => c.type === 'finally_clause');
    if (fin) { env.diverged = false; this.execBlock(fin.namedChildren.find((c) => c.type === 'block') ?? null, env); }
  }

  private execMatch(node: Node, env: Env): void {
    this.condDepth++;
    markHandled(this.evalExpr(fc(node, 'subject'), env));
    this.condDepth--;
    const body = fc(node, 'body');
    const branches: Env[] = [env.copy()];
    for (const c of body?.namedChildren ?? []) {
      if (c.type !== 'case_clause') continue;
      const e = env.copy();
      walkTree(c, (type, get) => {
        if (type === 'capture_pattern' || (type === 'identifier' && get().parent?.type === 'case_pattern')) { e.assign(get().text, UNKNOWN); return false; }
        return type !== 'block';
      });
      this.execBlock(fc(c, 'consequence') ?? c.namedChildren.find((x) => x.type === 'block') ?? null, e);
      branches.push(e);
    }
    env.joinFrom(branches);
  }

  /**
   * The variables of the function around a nested def that the def reads: assigned once there, outside
   * the def, and neither assigned nor a parameter in the def (a later rebinding would change what it sees).
   */
  private closureNames(def: Node): string[] {
    const outer = enclosingFunction(def);
    if (!outer) return [];
    const count = new Map<string, number>();
    for (const m of this.mutations) {
      if (m.startIndex < outer.startIndex || m.startIndex >= outer.endIndex || (m.startIndex >= def.startIndex && m.startIndex < def.endIndex)) continue;
      // `cfr.restype = …` sets an attribute: only names and tuples of names rebind.
      const names = m.type === 'identifier' ? [m.text]
        : /^(?:pattern_list|tuple_pattern|list_pattern)$/.test(m.type) ? m.namedChildren.filter((c) => c.type === 'identifier').map((c) => c.text) : [];
      for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
    }
    const own = this.assignedNames(def);
    for (const p of fc(def, 'parameters')?.namedChildren ?? []) {
      const n = p.type === 'identifier' ? p.text : fc(p, 'name')?.text ?? p.namedChildren[0]?.text;
      if (n) own.add(n);
    }
    const body = fc(def, 'body')?.text ?? '';
    return [...count].filter(([n, k]) => k === 1 && !own.has(n) && new RegExp(`\\b${n}\\b`).test(body)).map(([n]) => n);
  }

  private assignedNames(node: Node): Set<string> {
    const names = new Set<string>();
    const list = this.mutations;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid]!.startIndex < node.startIndex) lo = mid + 1; else hi = mid; }
    for (let i = lo; i < list.length && list[i]!.startIndex < node.endIndex; i++) {
      const n = list[i]!;
      if (n.type === 'identifier') names.add(n.text);
      else for (const c of n.namedChildren) if (c.type === 'identifier') names.add(c.text);
    }
    return names;
  }

  /** Assignment targets: names, tuples (`a, b = …`), attributes (`self.fd = …`), subscripts (ignored). */
  private bind(target: Node | null, v: AV, env: Env, source?: Node | null): void {
    if (!target) return;
    switch (target.type) {
      case 'identifier': {
        if (this.unitEscapes.has(target.text)) escapePosition(env, v);
        env.assign(target.text, v);
        // `fd = f.fileno()` with f a parameter: fd is that parameter's descriptor (for an fcntl on it).
        const from = this.descriptorName(source);
        bindDescriptorParam(env, target.text, from === undefined ? undefined : descriptorParamOf(env, from));
        if (this.unitGlobals.has(target.text) && this.moduleState.has(target.text)) {
          this.write(globalKey(this.q(target.text)), target.startIndex, source?.type === 'none' ? NEVER : summaryValue(v));
        }
        return;
      }
      case 'pattern_list': case 'tuple_pattern': case 'list_pattern': case 'tuple': case 'list': case 'expression_list':
        target.namedChildren.forEach((t, i) => this.bind(t, v.k === 'list' ? v.items[i] ?? UNKNOWN : UNKNOWN, env));
        return;
      case 'attribute': {
        escapePosition(env, v);   // self.fd = fd: the other methods may move it
        const objNode = fc(target, 'object');
        const attr = fc(target, 'attribute')?.text;
        if (!objNode || !attr) return;
        const obj = this.evalExpr(objNode, env);
        // `self.fd = None` (a closed file, one not opened yet): no I/O succeeds on None, so it adds
        // nothing to what the I/O on the field may see.
        const stored = source?.type === 'none' ? NEVER : summaryValue(v);
        if ((obj.k === 'inst' || obj.k === 'obj') && obj.type) this.write(fieldKey(obj.type, attr), target.startIndex, stored);
        if (obj.k === 'obj' && objNode.type === 'identifier') {
          const copy: ObjAV = { k: 'obj', type: obj.type, fields: new Map(obj.fields), ranges: new Map(obj.ranges) };
          copy.fields.set(attr, v);
          env.assign(objNode.text, copy);
        }
        return;
      }
      default: escapePosition(env, v); this.evalExpr(target, env);
    }
  }


  // -------------------------------------------------------------------------------------------
  // Expressions

  protected override shallow(node: Node, env: Env): AV {
    switch (node.type) {
      case 'integer': case 'identifier': case 'attribute': return this.evalInner(node, env);
      default: return UNKNOWN;
    }
  }

  protected override evalInner(node: Node, env: Env): AV {
    switch (node.type) {
      case 'integer': return intLiteral(node.text, node);
      case 'identifier': return this.evalIdentifier(node.text, env);
      case 'attribute': return this.evalAttribute(node, env);
      case 'parenthesized_expression': return this.evalExpr(node.namedChildren.find((c) => c.type !== 'comment'), env);
      case 'string': case 'concatenated_string': return bytesLiteral(node);
      case 'binary_operator': {
        const op = fc(node, 'operator')?.type ?? '';
        const a = this.evalExpr(fc(node, 'left'), env);
        const b = this.evalExpr(fc(node, 'right'), env);
        markUsed(a); markUsed(b);
        if (op === '*' && (a.k === 'buf' || b.k === 'buf')) {
          // b'\0' * n: a new bytes object of n copies.
          const [buf, count] = a.k === 'buf' ? [a, b] : [b as BufAV, a];
          const size = buf.size && count.k === 'num' ? num(buf.size.value * count.value) : undefined;
          return { ...unalignedBuf(`bytes repetition ${node.text.length > 30 ? '' : node.text}`.trim(), size, node), slicesCopy: true };
        }
        return binary(op, a, b);
      }
      case 'unary_operator': {
        const op = fc(node, 'operator')?.type ?? '';
        const v = this.evalExpr(fc(node, 'argument'), env);
        markUsed(v);
        return unary(op, v);
      }
      case 'comparison_operator': {
        for (const c of node.namedChildren) markHandled(this.evalExpr(c, env));
        return UNKNOWN;
      }
      case 'boolean_operator': case 'not_operator': {
        for (const c of node.namedChildren) markHandled(this.evalExpr(c, env));
        return UNKNOWN;
      }
      case 'conditional_expression': {
        const [a, cond, b] = node.namedChildren;
        this.condDepth++;
        markHandled(this.evalExpr(cond, env));
        this.condDepth--;
        return join(this.evalExpr(a, env.copy()), this.evalExpr(b, env.copy()));
      }
      case 'assignment': {
        const right = fc(node, 'right');
        const v = this.evalExpr(right, env);
        const left = fc(node, 'left');
        // A number is a constant evaluated where it is read, unless a call computes it (`_IOW(0x94, 13, …)`).
        const computed = v.k === 'num' && !!right && !isConstantExpression(right);
        if (this.inModule && left?.type === 'identifier' && (v.k !== 'num' || computed || this.moduleState.has(left.text))) this.write(globalKey(this.q(left.text)), node.startIndex, right?.type === 'none' ? NEVER : summaryValue(v));
        this.bind(left, v, env, right);
        return v;
      }
      case 'augmented_assignment': {
        const left = fc(node, 'left');
        const op = (fc(node, 'operator')?.type ?? '').replace(/=$/, '');
        const r = this.evalExpr(fc(node, 'right'), env);
        markUsed(r);
        const cur = this.evalExpr(left, env);
        const next = binary(op, cur, r);
        this.bind(left, next, env);
        // `FLAGS |= os.O_DIRECT` at module level: one more value the module's state may hold.
        if (this.inModule && left?.type === 'identifier' && this.moduleState.has(left.text)) this.write(globalKey(this.q(left.text)), node.startIndex, summaryValue(next));
        return UNKNOWN;
      }
      case 'named_expression': {
        const v = this.evalExpr(fc(node, 'value'), env);
        const name = fc(node, 'name');
        if (name) env.assign(name.text, v);
        return v;
      }
      case 'call': return this.evalCall(node, env);
      case 'subscript': return this.evalSubscript(node, env);
      case 'list': case 'tuple': case 'expression_list': case 'pattern_list': {
        const elements = node.namedChildren.filter((c) => c.type !== 'comment');
        const list: ListAV = { k: 'list', items: elements.map((c) => this.evalExpr(c, env)) };
        if (node.type === 'list') for (const i of list.items) escapePosition(env, i);   // a list of descriptors: used where we do not look
        if (node.type === 'tuple') list.tuple = true;
        // a list or tuple of tuple/list literals is a table of cases: its rows can be walked one by one
        if ((node.type === 'list' || node.type === 'tuple') && elements.length && elements.every((c) => c.type === 'tuple' || c.type === 'list')) {
          list.rows = elements.slice(0, MAX_TABLE_ROWS);
        }
        return list;
      }
      case 'lambda': {
        // Used as `opener=`: the lambda's value stands for what its body returns.
        const inner = env.copy();
        forgetPositions(inner);
        const params = fc(node, 'parameters');
        for (const p of params?.namedChildren ?? []) if (p.type === 'identifier') inner.assign(p.text, UNKNOWN);
        const v = this.evalExpr(fc(node, 'body'), inner);
        escapeMentioned(env, node);
        return v;
      }
      case 'await': return this.evalExpr(node.namedChildren[0], env);
      case 'list_comprehension': case 'generator_expression': case 'set_comprehension': case 'dictionary_comprehension': {
        const inner = env.copy();
        forgetPositions(inner);
        for (const c of node.namedChildren) this.evalExpr(c, inner);
        escapeMentioned(env, node);   // run once per item: no one position
        return UNKNOWN;
      }
      case 'keyword_argument': return this.evalExpr(fc(node, 'value'), env);
      case 'true': case 'false': case 'none': case 'float': case 'comment': case 'ellipsis':
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
      if (this.condDepth > 0) markHandled(v);
      return v;
    }
    const g = this.globalValue(name);
    if (g) return g;
    const symbol = this.importedSymbol(name, 0);
    if (symbol) return symbol.k === 'value' ? symbol.av : UNKNOWN;
    const imported = this.imports.get(name);
    if (imported) {
      const dot = imported.indexOf('.');
      if (dot < 0) return { k: 'module', name: imported };
      return this.moduleMember(imported.slice(0, dot), imported.slice(dot + 1)) ?? UNKNOWN;
    }
    for (const mod of this.starModules) {
      const m = this.moduleMember(mod, name);
      if (m) return m;
    }
    const member = this.moduleMember('', name);
    if (member) return member;
    // A def of this file named as a value (returned by a factory, stored, passed on): its calls are that def's.
    if (!this.imported && this.units.some((u) => !u.module && !u.cls && u.name === name)) return { k: 'func', targets: [`def:${name}`] };
    return UNKNOWN;
  }

  /** A module-level name: literal constants are evaluated here; other values come from the module walk. */
  private globalValue(name: string): AV | undefined {
    if (!this.globals.has(name)) return undefined;
    const c = this.globalConst(name);
    if (c && c.k !== 'unknown') return c;
    if (this.inModule) return undefined;
    const v = this.summaries.read(globalKey(this.q(name)));
    return v.k === 'unknown' || v.k === 'never' ? undefined : v;
  }

  private globalConst(name: string): AV | undefined {
    if (this.moduleState.has(name)) return undefined;
    const node = this.globals.get(name);
    if (!node || !isConstantExpression(node)) return undefined;
    const cached = this.constCache.get(name);
    if (cached) return cached;
    if (this.constBusy.has(name)) return UNKNOWN;
    this.constBusy.add(name);
    const saved = { depth: this.depth, flat: this.flat, cond: this.condDepth, mod: this.inModule };
    this.depth = 0; this.flat = false; this.condDepth = 0; this.inModule = false;
    let v: AV;
    try {
      v = this.evalExpr(node, new Env());
    } finally {
      this.constBusy.delete(name);
      this.depth = saved.depth; this.flat = saved.flat; this.condDepth = saved.cond; this.inModule = saved.mod;
    }
    if (v.k === 'num') v = num(v.value, constantDef(name, node));
    this.constCache.set(name, v);
    return v;
  }

  private moduleMember(mod: string, name: string): AV | undefined {
    if (mod === 'os' || mod === 'posix') {
      if (/^O_[A-Z0-9_]+$/.test(name)) return namedFlag(name);
      const whence = ['SEEK_SET', 'SEEK_CUR', 'SEEK_END'].indexOf(name);
      if (whence >= 0) return num(whence);
    }
    // The ioctl names are specific enough to trust from any module (fcntl 3.12+, a helper module, a C binding).
    if (name === 'FICLONE') return num(FICLONE_REQUEST);
    if (name === 'FICLONERANGE') return num(FICLONERANGE_REQUEST);
    if (mod === 'mmap' && name === 'PAGESIZE') return UNKNOWN;
    // `copy = os.copy_file_range`: the function as a value; calling it is calling os's.
    if ((mod === 'os' || mod === 'posix') && (OS_IO[name] || name === 'copy_file_range')) return { k: 'func', targets: [`os.${name}`] };
    return undefined;
  }

  /** The module a name refers to (`os`, `fcntl`…), if it is an imported module and not a local. */
  private moduleOf(node: Node | null, env: Env): string | undefined {
    if (node?.type !== 'identifier' || env.has(node.text)) return undefined;
    const imported = this.imports.get(node.text);
    if (imported && !imported.includes('.')) return imported;
    if (!imported && !this.globals.has(node.text) && KNOWN_MODULES.has(node.text)) return node.text;   // snippets without imports
    return undefined;
  }

  private evalAttribute(node: Node, env: Env): AV {
    const objNode = fc(node, 'object');
    const attr = fc(node, 'attribute')?.text ?? '';
    const owner = this.symbolOf(node, env);
    if (owner) return owner.k === 'value' ? owner.av : UNKNOWN;
    const mod = this.moduleOf(objNode, env);
    if (mod !== undefined) return this.moduleMember(mod, attr) ?? UNKNOWN;
    const obj = this.evalExpr(objNode, env);
    if (obj.k === 'native') return obj.fn === undefined ? { k: 'native', fn: attr } : UNKNOWN;
    if (obj.k === 'list' && obj.structFormat !== undefined) {
      const size = attr === 'size' ? structSize(obj.structFormat) : undefined;
      return size === undefined ? UNKNOWN : num(size);
    }
    const v = readField(obj, attr, this.summaries);
    if (!v || v.k === 'never') return UNKNOWN;
    return this.fromElsewhere((obj.k === 'inst' || obj.k === 'obj') ? obj.type : undefined) ? crossingValue(v) : v;
  }

  private evalSubscript(node: Node, env: Env): AV {
    const base = this.evalExpr(fc(node, 'value'), env);
    const sub = fc(node, 'subscript');
    if (sub?.type === 'slice') {
      const parts = sliceParts(sub);
      if (parts.step) this.evalExpr(parts.step, env);
      const start = parts.start ? this.evalExpr(parts.start, env) : undefined;
      const end = parts.end ? this.evalExpr(parts.end, env) : undefined;
      if (base.k !== 'buf' || parts.step) return UNKNOWN;
      const view = sliceBuf(base, start, end);
      // bytes/bytearray/mmap slicing copies; only memoryview slicing keeps the address.
      const result: BufAV = base.slicesCopy ? { ...unalignedBuf(`slice copy of ${base.origin.origin}`, view.size, node), slicesCopy: true } : view;
      // `m[:length]` from the start: as long as `length`, which may be a parameter's value left to each call.
      if (!result.size && end && (!start || (start.k === 'num' && start.value === 0))) viewLengthOf.set(result, end);
      return result;
    }
    const index = node.childrenForFieldName('subscript').map((c) => this.evalExpr(c, env));
    // `case[1]` of a tuple (a row of a table of cases): the item itself
    const at = index.length === 1 && index[0]!.k === 'num' ? index[0]!.value : undefined;
    if (base.k === 'list' && base.tuple && at !== undefined && Number.isInteger(at) && at >= -base.items.length && at < base.items.length) {
      return base.items[at < 0 ? base.items.length + at : at] ?? UNKNOWN;
    }
    return UNKNOWN;
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  // -------------------------------------------------------------------------------------------
  // Names of the modules the analysed file imports (through the workspace index)

  /** A value of a type (or from a function) of another module, seen from the analysed file: its positions stay there. */
  private fromElsewhere(type: string | undefined): boolean {
    return !this.imported && !!type && type.includes(':');
  }

  private moduleAt(spec: string): PythonAnalysis | undefined {
    const file = this.module.imports[spec];
    return file ? this.workspace?.analysisOf(file) : undefined;
  }

  /** What an imported name of this module is, when it leads to a module of the project. */
  importedSymbol(name: string, depth: number): PySymbol | undefined {
    if (!this.workspace || depth > MAX_REEXPORT_DEPTH || this.topLevel.has(name)) return undefined;
    const from = this.fromImports.get(name);
    if (from) {
      const holder = this.moduleAt(from.module);
      const member = holder?.exportedSymbol(from.member, depth + 1);
      if (member) return member;
      const sub = this.moduleAt(joinSpec(from.module, from.member));
      return sub ? { k: 'module', analysis: sub, spec: joinSpec(from.module, from.member) } : undefined;
    }
    const spec = this.moduleImports.get(name);
    const mod = spec ? this.moduleAt(spec) : undefined;
    return mod ? { k: 'module', analysis: mod, spec: spec! } : undefined;
  }

  /** The functions that declare a module-level name of this module `global` and store into it. */
  stateWriters(): PyUnit[] { return this.units.filter((u) => this.storesState(u)); }

  storesState(u: PyUnit): boolean {
    return !u.module && [...(this.declaredGlobal.get(u.node.id) ?? [])].some((n) => this.moduleState.has(n));
  }

  /** The modules of the workspace other than this one. */
  importedAnalyses(): PythonAnalysis[] { return (this.workspace?.all() ?? []).filter((a) => a !== this); }

  /** The units of a top-level definition of this module: a function's own, or every method of a class. */
  definitionUnits(name: string): PyUnit[] {
    return this.units.filter((u) => !u.module && (u.cls === name || (!u.cls && u.name === name)) && isTopLevel(u.cls ? enclosingClassNode(u.node) : u.node));
  }

  /** A name as this module's code sees it at module level: its own definition, or what its import leads to. */
  localOrImported(name: string): PySymbol | undefined {
    if (this.topLevel.has(name)) return this.classes.has(name) ? { k: 'class', analysis: this, name } : { k: 'function', analysis: this, name };
    return this.importedSymbol(name, 0);
  }

  /** What this module defines (or imports) under `name`, for the modules that import it. */
  exportedSymbol(name: string, depth: number): PySymbol | undefined {
    if (depth > MAX_REEXPORT_DEPTH) return undefined;
    if (this.topLevel.has(name)) return this.classes.has(name) ? { k: 'class', analysis: this, name } : { k: 'function', analysis: this, name };
    if (this.globals.has(name)) {
      const c = this.globalConst(name);
      const v = c && c.k !== 'unknown' ? c : this.summaries.read(globalKey(this.q(name)));
      return { k: 'value', av: crossingValue(v) };
    }
    return this.importedSymbol(name, depth);
  }

  /** The module-level thing an expression names: `DirectFile`, `directio.DirectFile`, `pkg.mod.PAGE`. */
  private symbolOf(node: Node, env: Env, depth = 0): PySymbol | undefined {
    if (!this.workspace || depth > 8) return undefined;
    if (node.type === 'identifier') return env.has(node.text) || this.globals.has(node.text) ? undefined : this.importedSymbol(node.text, 0);
    if (node.type !== 'attribute') return undefined;
    const objNode = fc(node, 'object');
    const attr = fc(node, 'attribute')?.text;
    if (!objNode || !attr) return undefined;
    const base = this.symbolOf(objNode, env, depth + 1);
    if (base?.k !== 'module') return undefined;
    const member = base.analysis.exportedSymbol(attr, 1);
    if (member) return member;
    // `import a.b` then `a.b.X`: the submodule is one of this module's own imports.
    const spec = joinSpec(base.spec, attr);
    const sub = this.moduleAt(spec) ?? base.analysis.moduleAt(joinSpec('.', attr));
    return sub ? { k: 'module', analysis: sub, spec } : { k: 'value', av: UNKNOWN };
  }

  /** A call of another module's class (an instance, its __init__ called) or function (its return value). */
  private callSymbol(symbol: PySymbol, node: Node, a: Args, values: Map<number, AV>, env: Env): AV {
    const args = a.pos.map((p) => ({ av: values.get(p.id) ?? UNKNOWN, node: p }));
    if (symbol.k === 'class') {
      const cls = symbol.analysis.q(symbol.name);
      args.forEach((x, i) => this.write(paramKey(cls, '__init__', i), node.startIndex * 8 + Math.min(i, 7), summaryValue(x.av)));
      this.calls.record(fnKey(cls, '__init__'), this.unitKey, node, args);
      return { k: 'inst', type: cls };
    }
    for (const v of values.values()) markHandled(v);
    if (symbol.k !== 'function') return UNKNOWN;
    const fn = symbol.analysis.q(symbol.name);
    args.forEach((x, i) => this.write(paramKey(undefined, fn, i), node.startIndex * 8 + Math.min(i, 7), summaryValue(x.av)));
    this.calls.record(fnKey(undefined, fn), this.unitKey, node, args);
    this.callClearing(fnKey(undefined, fn), a, env);
    const ret = this.summaries.read(retKey(undefined, fn));
    return this.imported ? ret : crossingValue(ret);
  }

  /**
   * A call of a function of this file with a `**kw` parameter: each keyword the call spells that is none
   * of the function's named parameters goes to that keyword's slot, and a keyword it leaves out is None
   * there (for an offset, the file position: not known).
   */
  private passKeywords(def: PyUnit, method: boolean, kw: Map<string, Node>, valueOf: (name: string) => AV,
    passed: ({ av: AV; node: Node } | undefined)[], write: (slot: number, v: AV) => void): void {
    for (const key of FORWARDED_KEYWORDS) {
      const at = kwargsSlot(def.node, method, key);
      if (at === undefined) continue;
      const node = kw.get(key);
      const av = node ? valueOf(key) : UNKNOWN;
      write(at, summaryValue(av));
      if (node) { while (passed.length < at) passed.push(undefined); passed[at] = { av, node }; }
    }
  }

  /**
   * The keywords a call passes on with `**kw`, kw the current function's own `**kw` parameter (still
   * holding what its callers passed): each one is what the callers pass under that keyword.
   */
  private forwardedKeywords(list: Node | null | undefined, env: Env): { name: string; values: Map<string, AV> } | undefined {
    const kp = this.kwargsParam;
    if (!kp) return undefined;
    const splat = list?.namedChildren.find((c) => c.type === 'dictionary_splat');
    return splat?.namedChildren[0]?.type === 'identifier' && splat.namedChildren[0].text === kp.name ? kp : undefined;
  }

  private args(node: Node): Args {
    const list = fc(node, 'arguments');
    const out: Args = { pos: [], kw: new Map(), splat: false };
    for (const c of list?.namedChildren ?? []) {
      if (c.type === 'keyword_argument') { const n = fc(c, 'name')?.text; const v = fc(c, 'value'); if (n && v) out.kw.set(n, v); }
      else if (c.type === 'list_splat' || c.type === 'dictionary_splat') out.splat = true;
      else if (c.type !== 'comment') out.pos.push(c);
    }
    return out;
  }

  protected override evalCall(node: Node, env: Env): AV {
    const fnNode = fc(node, 'function');
    if (!fnNode) return UNKNOWN;
    const a = this.args(node);
    // Keyed by node id: web-tree-sitter hands out a new Node object on every access.
    const values = new Map<number, AV>();
    const listNode = fc(node, 'arguments');
    for (const c of listNode?.namedChildren ?? []) {
      const target = c.type === 'keyword_argument' ? fc(c, 'value') : c.type === 'list_splat' || c.type === 'dictionary_splat' ? c.namedChildren[0] : c;
      if (target) values.set(target.id, this.evalExpr(target, env));
    }
    const argNode = (i: number, kw?: string): Node | undefined => a.pos[i] ?? (kw ? a.kw.get(kw) : undefined);
    const forwarded = this.forwardedKeywords(listNode, env);
    const arg = (i: number, kw?: string): AV => {
      const n = argNode(i, kw);
      if (n) return values.get(n.id) ?? UNKNOWN;
      return kw ? forwarded?.values.get(kw) ?? UNKNOWN : UNKNOWN;
    };
    const call: CallInfo = { node, argNode, arg, kw: a.kw, callee: fnNode.text.replace(/\s+/g, ''), ...(forwarded ? { forwardedFrom: forwarded.name } : {}) };

    const callee = this.symbolOf(fnNode, env);
    if (callee) return this.callSymbol(callee, node, a, values, env);
    if (fnNode.type === 'attribute') {
      const objNode = fc(fnNode, 'object');
      const method = fc(fnNode, 'attribute')?.text ?? '';
      const mod = this.moduleOf(objNode, env);
      if (mod !== undefined) {
        if (!positionAware(mod, method)) for (const v of values.values()) escapePosition(env, v);
        const r = this.moduleCall(mod, method, call, env);
        if (r) return r;
        for (const v of values.values()) markHandled(v);
        return UNKNOWN;
      }
      const recv = this.evalExpr(objNode, env);
      const native = this.nativeCallee(recv, method);
      if (native) return this.nativeCall(native, call, env);
      if (recv.k !== 'fd') for (const v of values.values()) markHandled(v);
      for (const v of values.values()) escapePosition(env, v);
      // a file object's own methods move the descriptor's position in ways not followed here
      if (recv.k === 'fd' && method !== 'fileno') escapePosition(env, recv);
      return this.methodCall(recv, method, call);
    }
    if (fnNode.type === 'identifier' && !env.has(fnNode.text)) {
      const imported = this.imports.get(fnNode.text);
      if (imported?.includes('.')) {
        const dot = imported.indexOf('.');
        if (!positionAware(imported.slice(0, dot), imported.slice(dot + 1))) for (const v of values.values()) escapePosition(env, v);
        const r = this.moduleCall(imported.slice(0, dot), imported.slice(dot + 1), call, env);
        if (r) return r;
      }
      for (const mod of this.starModules) {
        if (!positionAware(mod, fnNode.text)) for (const v of values.values()) escapePosition(env, v);
        const r = this.moduleCall(mod, fnNode.text, call, env);
        if (r) return r;
      }
      if (this.namedTuples.has(fnNode.text)) return this.namedTupleCall(fnNode.text, a, values, node);
      if (!BUILTIN_POSITION_NEUTRAL.has(fnNode.text)) for (const v of values.values()) escapePosition(env, v);
      const builtin = this.builtinCall(fnNode.text, call);
      if (builtin) return builtin;
      if (this.classes.has(fnNode.text)) {
        const cls = this.q(fnNode.text);
        a.pos.forEach((p, i) => this.write(paramKey(cls, '__init__', i), node.startIndex * 8 + Math.min(i, 7), summaryValue(values.get(p.id) ?? UNKNOWN)));
        this.writeOmitted(this.units.find((u) => u.cls === fnNode.text && u.name === '__init__'), true, a, values, (i) => paramKey(cls, '__init__', i), node);
        this.calls.record(fnKey(cls, '__init__'), this.unitKey, node, a.pos.map((p) => ({ av: values.get(p.id) ?? UNKNOWN, node: p })));
        return { k: 'inst', type: cls };
      }
      // A result handed to other code (check(n), log(n)…) is that code's job; print() is not handling.
      if (fnNode.text !== 'print') for (const v of values.values()) markHandled(v);
      return this.callFileFunction(fnNode.text, node, a, values, env);
    }
    const fnValue = this.evalExpr(fnNode, env);
    if (fnValue.k === 'native' && fnValue.fn !== undefined) return this.nativeCall(fnValue.fn, call, env);
    if (fnValue.k === 'func') return this.callFunctionValue(fnValue, call, node, a, values, env);
    for (const v of values.values()) escapePosition(env, v);
    return UNKNOWN;
  }

  /** A call of a function of this file by its name: its parameters get the arguments, the call returns its result. */
  private callFileFunction(name: string, node: Node, a: Args, values: Map<number, AV>, env: Env): AV {
    const fn = this.q(name);
    a.pos.forEach((p, i) => this.write(paramKey(undefined, fn, i), node.startIndex * 8 + Math.min(i, 7), summaryValue(values.get(p.id) ?? UNKNOWN)));
    const passed: ({ av: AV; node: Node } | undefined)[] = a.pos.map((p) => ({ av: values.get(p.id) ?? UNKNOWN, node: p }));
    const def = this.units.find((u) => !u.cls && u.name === name && isTopLevel(u.node));
    if (def) this.passKeywords(def, false, a.kw, (n) => values.get(a.kw.get(n)!.id) ?? UNKNOWN, passed, (i, v) => this.write(paramKey(undefined, fn, i), node.startIndex * 8 + 7, v));
    this.calls.record(fnKey(undefined, fn), this.unitKey, node, passed, this.guardValuesAt(def, passed));
    this.callClearing(fnKey(undefined, fn), a, env);
    const inlined = this.inlineReturn(name, a, values);
    if (inlined) return inlined;
    return this.summaries.read(retKey(undefined, fn));
  }

  /** A call of a function value: each function it may be is called (an os function is a site as os.X(…) would be). */
  private callFunctionValue(fv: FuncAV, call: CallInfo, node: Node, a: Args, values: Map<number, AV>, env: Env): AV {
    let ret: AV = NEVER;
    let siteResult: AV | undefined;
    for (const target of fv.targets) {
      let r: AV;
      if (target.startsWith('os.')) {
        const fn = target.slice(3);
        if (!positionAware('os', fn)) for (const v of values.values()) escapePosition(env, v);
        r = this.moduleCall('os', fn, call, env) ?? UNKNOWN;
      } else {
        for (const v of values.values()) markHandled(v);
        r = this.callFileFunction(target.slice(4), node, a, values, env);
      }
      if (r.k === 'result') siteResult = r;
      ret = join(ret, r);
    }
    // The site's result stays one: what the caller does with it is what is done with the site's.
    return siteResult ?? ret;
  }

  /**
   * The C function a call `recv.method(…)` reaches through ctypes, if any: `libc.pread(…)` on a loaded
   * library, or `self._pread(…)` when the instance stored one there (`self._pread = libc.pread`) and
   * its class has no method of that name.
   */
  private nativeCallee(recv: AV, method: string): string | undefined {
    if (recv.k === 'native') return recv.fn === undefined ? method : undefined;
    // The attribute may be named anything (`self._cpread = libc.pread`): what was stored there decides.
    if ((recv.k !== 'inst' && recv.k !== 'obj') || !recv.type) return undefined;
    if (this.units.some((u) => u.cls !== undefined && this.q(u.cls) === recv.type && u.name === method)) return undefined;
    const stored = readField(recv, method, this.summaries);
    return stored?.k === 'native' && stored.fn !== undefined ? stored.fn : undefined;
  }

  /** A call of a C library function through ctypes: libc's read/write/pread/pwrite on an O_DIRECT descriptor is a site. */
  private nativeCall(fn: string, c: CallInfo, env: Env): AV {
    if (fn === 'posix_memalign') {
      // posix_memalign(byref(p), alignment, size) fills the ctypes pointer p with an aligned allocation.
      const target = byrefTarget(c.argNode(0));
      const align = c.arg(1);
      const size = c.arg(2);
      if (target) env.assign(target, align.k === 'num' ? alignedBuf(`posix_memalign(${align.value})`, align.value, size.k === 'num' ? size : undefined, c.node) : UNKNOWN);
      return UNKNOWN;
    }
    if (fn === 'copy_file_range') return this.copyFileRangeSite(cArgumentsOfCopyFileRange(c));
    const io = LIBC_IO[fn];
    if (!io) return UNKNOWN;
    const fd = c.arg(0);
    const position = io.off === undefined ? positionOf(env, fd) : undefined;
    const count = c.arg(2);
    if (fdFact(fd)) {
      const s = this.sites.add('o_direct_io', c.callee, c.node);
      if (s) {
        const f = s.facts;
        f.fdODirect = true;
        f.direction = io.dir;
        const fdNode = c.argNode(0);
        if (fdNode) f.argRanges.fd = rangeOf(fdNode);
        const bufNode = c.argNode(1);
        const buf = c.arg(1);
        if (bufNode) f.argRanges.buffer = rangeOf(bufNode);
        if (buf.k === 'buf') f.buffer = buf.origin;
        setBufferParam(f, buf);
        const countNode = c.argNode(2);
        setCallersNumber(f, 'length', count, countNode?.text ?? '', countNode);
        if (io.off !== undefined) {
          const n = c.argNode(io.off);
          setCallersNumber(f, 'offset', c.arg(io.off), n?.text ?? '', n);
        } else if (position) f.offset = { known: true, value: position.value, text: 'the file position' };
      }
    }
    if (io.off === undefined) movePosition(env, fd, count);
    return UNKNOWN;
  }

  private builtinCall(name: string, c: CallInfo): AV | undefined {
    switch (name) {
      case 'len': { const v = c.arg(0); return v.k === 'buf' && v.size ? v.size : parameterSize(v) ?? bufferLength(v); }
      case 'int': return c.arg(0).k === 'num' ? c.arg(0) : UNKNOWN;
      case 'bytearray': case 'bytes': {
        const v = c.arg(0);
        if (v.k === 'num') return { ...unalignedBuf(`${name}(${c.argNode(0)?.text ?? ''})`, v, c.node), slicesCopy: true };
        if (v.k === 'buf') return { ...unalignedBuf(`${name}(…) copy`, v.size, c.node), slicesCopy: true };
        return { ...unalignedBuf(`${name}(…)`, undefined, c.node), slicesCopy: true };
      }
      case 'memoryview': {
        const v = c.arg(0);
        if (v.k !== 'buf') return UNKNOWN;
        const view: BufAV = { ...v, slicesCopy: false };
        const length = viewLengthOf.get(v);
        if (length) viewLengthOf.set(view, length);
        return view;
      }
      case 'open': return this.openFileObject(c, 0);
      default: return undefined;
    }
  }

  /** open(fd, 'rb', buffering=0) / os.fdopen(fd, …): a file object over an O_DIRECT descriptor. */
  private openFileObject(c: CallInfo, fdIndex: number): AV {
    const target = c.arg(fdIndex, 'file');
    const opener = c.kw.get('opener') ? c.arg(99, 'opener') : undefined;
    const buffering = c.arg(2, 'buffering');
    const buffered = !(buffering.k === 'num' && buffering.value === 0);
    if (opener && fdFact(opener)) return { k: 'fd', oDirect: (opener as { oDirect: boolean | 'maybe' }).oDirect, buffered };
    if (target.k === 'fd') return { ...target, buffered };
    return UNKNOWN;
  }

  private moduleCall(mod: string, fn: string, c: CallInfo, env: Env): AV | undefined {
    const arg = c.arg;
    if (mod === 'os' || mod === 'posix') {
      if (fn === 'copy_file_range') return this.copyFileRangeSite(c);
      if (fn === 'open') {
        const d = oDirectOf(arg(1, 'flags'));
        if (d === true || d === 'maybe') this.openSite(c, c.argNode(1, 'flags'));
        const fd: FdAV = { k: 'fd', oDirect: d ?? false };
        // At module level any function of the file may use the descriptor in between: no position.
        return this.inModule ? fd : openedFd(env, fd, rangeOf(c.node), arg(1, 'flags'));
      }
      if (fn === 'lseek') { seekPosition(env, arg(0, 'fd'), arg(1, 'pos'), arg(2, 'how')); return UNKNOWN; }
      if (fn === 'fdopen') return this.openFileObject(c, 0);
      if (fn === 'urandom') { const n = arg(0, 'size'); return { ...unalignedBuf(`os.urandom(${c.argNode(0, 'size')?.text ?? ''})`, n.k === 'num' ? n : undefined, c.node), slicesCopy: true }; }
      if (fn === 'dup') return arg(0, 'fd');
      const io = OS_IO[fn];
      if (io) {
        const fd = arg(0, 'fd');
        if (fdFact(fd)) this.osIoSite(c, io, io.off === undefined ? positionOf(env, fd) : undefined);
        if (io.off === undefined) movePosition(env, fd, this.ioLength(c, io));
        if (io.size !== undefined) return { ...unalignedBuf(`${c.callee} result`, undefined, c.node), slicesCopy: true };
        return UNKNOWN;
      }
    }
    if (mod === 'io') {
      if (fn === 'open') return this.openFileObject(c, 0);
      if (fn === 'FileIO') { const t = arg(0, 'file'); return t.k === 'fd' ? { ...t, buffered: false } : UNKNOWN; }
    }
    if (mod === 'fcntl') {
      if (fn === 'ioctl') {
        const variant = ficloneVariantOf(arg(1, 'request'));
        if (variant) this.ficloneSite(c, variant);
        return UNKNOWN;
      }
      if (fn === 'fcntl') {
        const d = oDirectOf(arg(2, 'arg'));
        if (/F_SETFL$/.test(c.argNode(1, 'cmd')?.text ?? '') && (d === true || d === 'maybe')) {
          this.openSite(c, c.argNode(2, 'arg'));
          const fdNode = c.argNode(0, 'fd');
          if (fdNode?.type === 'identifier') env.assign(fdNode.text, { k: 'fd', oDirect: d });
          this.setflOn(fdNode, false, env);
        } else if (/F_SETFL$/.test(c.argNode(1, 'cmd')?.text ?? '')) this.setflOn(c.argNode(0, 'fd'), setflClears(arg(2, 'arg')), env);
        return UNKNOWN;
      }
    }
    if (mod === 'mmap' && fn === 'mmap') {
      const n = arg(1, 'length');
      // m[a:b] copies into bytes; memoryview(m)[a:b] is the zero-copy view.
      return { ...alignedBuf(`mmap.mmap (page-aligned)`, undefined, n.k === 'num' && n.value > 0 ? n : undefined, c.node), slicesCopy: true };
    }
    if (mod === 'struct' && fn === 'pack') {
      const fmt = c.argNode(0, 'format');
      return this.packed(c, 1, fmt ? stringLiteralText(fmt) : '');
    }
    if (mod === 'struct' && (fn === 'Struct' || fn === 'calcsize')) {
      const fmtNode = c.argNode(0, 'format');
      const fmt = fmtNode && /^[bB]?['"]/.test(fmtNode.text) ? stringLiteralText(fmtNode) : undefined;
      if (fmt === undefined) return UNKNOWN;
      if (fn === 'Struct') return { k: 'list', items: [], structFormat: fmt };
      const size = structSize(fmt);
      return size === undefined ? UNKNOWN : num(size);
    }
    // ctypes.CDLL(…) / CDLL(…): a C library; its pread, write… take a descriptor like libc's (see nativeCall).
    // Another library's read or write is not libc's: only libc (or the process's own symbols) is modelled.
    if (mod === 'ctypes' && fn === 'CDLL') return namesLibc(c.argNode(0, 'name')) ? { k: 'native' } : UNKNOWN;
    if (mod === 'ctypes' && fn === 'create_string_buffer') {
      const n = arg(0);
      return { ...unalignedBuf(`ctypes.create_string_buffer(…)`, n.k === 'num' ? n : undefined, c.node), slicesCopy: true };
    }
    return undefined;
  }

  private inlineDepth = 0;

  /**
   * A call of a module function whose body only returns an expression of its parameters (`_IOW(type,
   * nr, size)`, `_IOC(…)`), with a number (or a struct.Struct, for its size) for every argument: the
   * expression with this call's values.
   * Its summary joins every call (`_IOW(0x94, 9, …)` and `_IOW(0x94, 13, …)` give no number, two
   * `aligned_buffer(n)` no size), this gives each call its own: a number, or a buffer of known size.
   */
  private inlineReturn(name: string, a: Args, values: Map<number, AV>): NumAV | BufAV | undefined {
    if (this.inlineDepth >= 4 || a.kw.size || a.splat) return undefined;
    const unit = this.units.find((u) => !u.cls && u.name === name && isTopLevel(u.node));
    if (!unit) return undefined;
    const params = fc(unit.node, 'parameters')?.namedChildren ?? [];
    if (params.length !== a.pos.length || params.some((p) => p.type !== 'identifier')) return undefined;
    const statements = (fc(unit.node, 'body')?.namedChildren ?? []).filter((n) => n.type !== 'comment');
    const body = statements[0]?.type === 'expression_statement' && statements[0].namedChildren[0]?.type === 'string' ? statements.slice(1) : statements;
    const expr = body.length === 1 && body[0]!.type === 'return_statement' ? body[0]!.namedChildren[0] : undefined;
    if (!expr) return undefined;
    const env = new Env();
    for (let i = 0; i < params.length; i++) {
      const v = values.get(a.pos[i]!.id);
      if (!v || (v.k !== 'num' && !(v.k === 'list' && v.structFormat !== undefined))) return undefined;
      env.declare(params[i]!.text, v.k === 'num' ? num(v.value) : v);
    }
    this.inlineDepth++;
    try {
      const v = this.summaries.mute(() => this.calls.mute(() => this.evalExpr(expr, env)));
      if (v.k === 'num') return num(v.value);
      // `return mmap.mmap(-1, size)`: the buffer this call makes, of this call's size
      return v.k === 'buf' && v.size ? v : undefined;
    } finally {
      this.inlineDepth--;
    }
  }

  /** struct.pack(fmt, v1, …) from argument `first` on: the values and their nodes, for a clone struct. */
  private packed(c: CallInfo, first: number, fmt: string): AV {
    const items: AV[] = [];
    const at: Node[] = [];
    for (let i = first; c.argNode(i); i++) { items.push(c.arg(i)); at.push(c.argNode(i)!); }
    return { k: 'list', items, at, packed: fmt };
  }

  private methodCall(recv: AV, method: string, c: CallInfo): AV {
    if (recv.k === 'list' && recv.structFormat !== undefined) return method === 'pack' ? this.packed(c, 0, recv.structFormat) : UNKNOWN;
    if (recv.k === 'fd') {
      if (method === 'fileno') return { k: 'fd', oDirect: recv.oDirect };
      if (!fdFact(recv)) return UNKNOWN;
      if (method === 'readinto' || method === 'readinto1' || method === 'write') {
        this.fileIoSite(c, recv, method === 'write' ? 'write' : 'read', 'buffer');
        return UNKNOWN;
      }
      if (method === 'read' || method === 'read1' || method === 'readall') {
        this.fileIoSite(c, recv, 'read', 'size');
        return { ...unalignedBuf(`${c.callee} result`, undefined, c.node), slicesCopy: true };
      }
      return UNKNOWN;
    }
    if (recv.k === 'buf' && (method === 'cast' || method === 'toreadonly')) return recv;
    if ((recv.k === 'inst' || recv.k === 'obj') && recv.type) {
      const passed: ({ av: AV; node: Node } | undefined)[] = [];
      for (let i = 0; c.argNode(i); i++) {
        this.write(paramKey(recv.type, method, i), c.node.startIndex * 8 + Math.min(i, 7), summaryValue(c.arg(i)));
        passed.push({ av: c.arg(i), node: c.argNode(i)! });
      }
      const def = this.units.find((u) => u.cls !== undefined && this.q(u.cls) === recv.type && u.name === method);
      if (def) this.passKeywords(def, !isStatic(def.node), c.kw, (n) => c.arg(99, n), passed, (i, v) => this.write(paramKey(recv.type, method, i), c.node.startIndex * 8 + 7, v));
      this.calls.record(fnKey(recv.type, method), this.unitKey, c.node, passed, this.guardValuesAt(def, passed));
      const ret = this.summaries.read(retKey(recv.type, method));
      return this.fromElsewhere(recv.type) ? crossingValue(ret) : ret;
    }
    return UNKNOWN;
  }

  // -------------------------------------------------------------------------------------------
  // Site builders

  private copyFileRangeSite(c: CallInfo): AV {
    const s = this.sites.add('copy_file_range', c.callee, c.node);
    if (!s) return UNKNOWN;
    const f = s.facts;
    f.srcFdODirect = fdFact(c.arg(0, 'src'));
    f.dstFdODirect = fdFact(c.arg(1, 'dst'));
    const srcNode = c.argNode(0, 'src');
    if (srcNode) f.argRanges.fd = rangeOf(srcNode);
    // a number, or an unknown that may be a parameter's incoming value (each call then supplies it)
    const num3 = (i: number, kw: string): [AV, Node | undefined] => { const n = c.argNode(i, kw); const v = c.arg(i, kw); return [v.k === 'num' || v.k === 'unknown' ? v : UNKNOWN, n]; };
    const [len, lenNode] = num3(2, 'count');
    const [so, soNode] = num3(3, 'offset_src');
    const [dof, doNode] = num3(4, 'offset_dst');
    setCallersNumber(f, 'length', len, lenNode?.text ?? '', lenNode);
    const absent = (kw: string): string => (c.forwardedFrom ? `${c.forwardedFrom}.get('${kw}')` : 'None');
    setCallersNumber(f, 'srcOffset', so, soNode?.text ?? absent('offset_src'), soNode);
    setCallersNumber(f, 'dstOffset', dof, doNode?.text ?? absent('offset_dst'), doNode);
    f.resultHandled = this.handlerDepth > 0;   // inside try/except OSError: the errno fallback exists
    if (!f.resultHandled && this.giveUpDepth > 0) f.resultOnlyEndsTheProgram = true;
    s.inLoop = this.loopDepth > 0;
    return { k: 'result', site: s };
  }

  private ficloneSite(c: CallInfo, variant: 'FICLONE' | 'FICLONERANGE'): void {
    const s = this.sites.add('ficlone', c.callee, c.node);
    if (!s) return;
    const f = s.facts;
    f.ficloneVariant = variant;
    f.dstFdODirect = fdFact(c.arg(0, 'fd'));
    const fdNode = c.argNode(0, 'fd');
    if (fdNode) f.argRanges.fd = rangeOf(fdNode);
    const reqNode = c.argNode(1, 'request');
    if (reqNode) f.argRanges.flags = rangeOf(reqNode);
    const third = c.arg(2, 'arg');
    const argNode = c.argNode(2, 'arg');
    if (variant === 'FICLONE') { f.srcFdODirect = fdFact(third); return; }
    // struct file_clone_range { __s64 src_fd; __u64 src_offset, src_length, dest_offset; } packed as 'qQQQ'.
    const items = third.k === 'list' && third.items.length === 4 ? third.items : undefined;
    // The packed values' own nodes, so squiggles and round-up fixes land on `196608`, not on `arg`.
    const packArgs = third.k === 'list' && third.at ? third.at : [];
    const part = (i: number): [AV, Node | undefined] => [items?.[i] ?? UNKNOWN, packArgs[i] ?? argNode];
    const text = (i: number, name: string): string => packArgs[i]?.text ?? `${argNode?.text ?? 'arg'}[${name}]`;
    f.srcFdODirect = fdFact(items?.[0] ?? UNKNOWN);
    const [so, soNode] = part(1);
    const [len, lenNode] = part(2);
    const [dof, doNode] = part(3);
    setCallersNumber(f, 'srcOffset', so, text(1, 'src_offset'), soNode);
    setCallersNumber(f, 'length', len, text(2, 'src_length'), lenNode);
    setCallersNumber(f, 'dstOffset', dof, text(3, 'dest_offset'), doNode);
  }

  private openSite(c: CallInfo, flagsNode: Node | undefined): void {
    const s = this.sites.add('o_direct_open', c.callee, c.node);
    if (!s) return;
    s.facts.fdODirect = true;
    if (flagsNode) s.facts.argRanges.flags = rangeOf(flagsNode);
  }

  /** How many bytes an os read or write moves the file position by: its size, or its buffers' sizes. */
  private ioLength(c: CallInfo, io: IoApi): AV {
    if (io.size !== undefined) { const n = c.arg(io.size, io.kw[io.size]); return n.k === 'num' ? num(n.value) : UNKNOWN; }
    if (io.buf === undefined) return UNKNOWN;
    let buf = c.arg(io.buf, io.kw[io.buf]);
    if (io.vectored) buf = buf.k === 'list' ? combineBuffers(buf.items) ?? UNKNOWN : UNKNOWN;
    return buf.k === 'buf' && buf.size ? num(buf.size.value) : UNKNOWN;
  }

  /** `position`: the file position of a read or write without an offset, when known (the finding goes on the call). */
  private osIoSite(c: CallInfo, io: IoApi, position?: AV): void {
    const s = this.sites.add('o_direct_io', c.callee, c.node);
    if (!s) return;
    const f = s.facts;
    f.fdODirect = true;
    f.direction = io.dir;
    const fdNode = c.argNode(0, 'fd');
    if (fdNode) f.argRanges.fd = rangeOf(fdNode);
    if (io.size !== undefined) {
      // os.read/os.pread return a new bytes object: Python allocates the buffer, never page-aligned.
      const n = c.argNode(io.size, io.kw[io.size]);
      f.buffer = { state: 'unaligned', origin: `${c.callee} (allocates its own buffer)`, sizedByCall: true };
      setCallersNumber(f, 'length', c.arg(io.size, io.kw[io.size]), n?.text ?? '', n);
      if (n) f.argRanges.buffer = rangeOf(n);
    } else if (io.buf !== undefined) {
      const n = c.argNode(io.buf, io.kw[io.buf]);
      let buf = c.arg(io.buf, io.kw[io.buf]);
      // One segment is that buffer itself: a parameter stays the parameter, so callers can supply it.
      if (io.vectored) buf = buf.k === 'list' ? (buf.items.length === 1 ? buf.items[0]! : combineBuffers(buf.items) ?? UNKNOWN) : UNKNOWN;
      if (n) f.argRanges.buffer = rangeOf(n);
      if (buf.k === 'buf') f.buffer = buf.origin;
      // `[view]`: the length is the one segment's, not len() of the list
      const segments = io.vectored && n?.type === 'list' ? n.namedChildren.filter((x) => x.type !== 'comment') : [];
      const measured = segments.length === 1 ? segments[0]! : n;
      setNumber(f, 'length', bufferLength(buf), `len(${measured?.text ?? ''})`, n);
      f.lengthIsBufferSize = true;
      setBufferParam(f, buf);
    }
    if (io.off !== undefined) {
      const n = c.argNode(io.off, io.kw[io.off]);
      setCallersNumber(f, 'offset', c.arg(io.off, io.kw[io.off]), n?.text ?? '', n);
    } else if (position?.k === 'num') {
      f.offset = { known: true, value: position.value, text: 'the file position' };
    }
  }

  /** Methods of a file object over an O_DIRECT descriptor. */
  private fileIoSite(c: CallInfo, file: FdAV, dir: 'read' | 'write', what: 'buffer' | 'size'): void {
    const s = this.sites.add('o_direct_io', c.callee, c.node);
    if (!s) return;
    const f = s.facts;
    f.fdODirect = true;
    f.direction = dir;
    const n = c.argNode(0);
    if (n) f.argRanges.buffer = rangeOf(n);
    if (what === 'size') {
      f.buffer = file.buffered
        ? { state: 'unaligned', origin: `${c.callee} on a buffered file object (reads into its own heap buffer)` }
        : { state: 'unaligned', origin: `${c.callee} (allocates its own buffer)`, sizedByCall: true };
      const v = c.arg(0);
      setNumber(f, 'length', file.buffered ? UNKNOWN : v, n?.text ?? '', n);
      return;
    }
    if (file.buffered) {
      // The buffered layer may copy through its own buffer or pass large requests straight through: not derivable.
      f.length = { known: false, text: `len(${n?.text ?? ''})` };
      return;
    }
    const buf = c.arg(0);
    if (buf.k === 'buf') f.buffer = buf.origin;
    setNumber(f, 'length', bufferLength(buf), `len(${n?.text ?? ''})`, n);
    f.lengthIsBufferSize = true;
    setBufferParam(f, buf);
  }
}

interface CallInfo {
  node: Node;
  callee: string;
  argNode(i: number, kw?: string): Node | undefined;
  arg(i: number, kw?: string): AV;
  kw: Map<string, Node>;
  /** The call passes on the current function's `**name` parameter: a keyword it does not spell may come from there. */
  forwardedFrom?: string;
}

const KNOWN_MODULES = new Set(['os', 'fcntl', 'mmap', 'struct', 'io', 'ctypes', 'posix']);

/** Expressions that evaluate every part of themselves: a call inside one runs whenever the statement does. */
const EVALUATES_ALL = new Set([
  'call', 'argument_list', 'keyword_argument', 'binary_operator', 'unary_operator', 'comparison_operator', 'not_operator',
  'parenthesized_expression', 'tuple', 'list', 'expression_list', 'pattern_list', 'attribute', 'subscript', 'named_expression',
  'assignment', 'augmented_assignment', 'expression_statement', 'return_statement', 'await',
]);

/** Statements that can end a pass of a loop before the statements after them run. */
const LEAVES_A_PASS = /^(?:break|continue|return|raise)_statement$/;

/**
 * Does every pass of the loop whose body is `body` that gets there run the call at `site`? The call is
 * in a statement of the body, or of a `try`/`with` block in it, reached through expressions that
 * evaluate all their parts (not `a if c else b`, `x and f()`, a lambda or a comprehension), and no
 * statement before it, at any of those levels, can leave the pass (`continue`, `break`, `return`, `raise`).
 * An `if` statement's condition counts, its branches do not.
 */
/**
 * What a `for` loop's first pass binds its target to: the start of a `range(…)` known not to be empty,
 * `'empty'` for an iterable known to be empty (a `range` that yields nothing, `[]`, `()`: no first pass),
 * else undefined (there may be a first pass; its item is unknown). The arguments of `range` are read on
 * a copy of the values, and only when they call nothing, so the loop's real evaluation is the only one.
 */
function firstItem(right: Node | null, env: Env, evaluate: (e: Node, env: Env) => AV): AV | 'empty' | undefined {
  if (!right) return undefined;
  if ((right.type === 'list' || right.type === 'tuple') && right.namedChildCount === 0) return 'empty';
  if (right.type !== 'call' || fc(right, 'function')?.text !== 'range') return undefined;
  const args = fc(right, 'arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  if (!args.length || args.length > 3 || args.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat' || /\(/.test(a.text))) return undefined;
  const scratch = env.copy();
  const values = args.map((a) => evaluate(a, scratch));
  if (values.some((v) => v.k !== 'num')) return undefined;
  const n = values.map((v) => (v as { value: number }).value);
  const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
  if (step === 0) return undefined;   // a ValueError, no pass
  if (step > 0 ? start >= stop : start <= stop) return 'empty';
  return num(start);
}

function reachedOnEveryPass(body: Node, site: Range): boolean {
  let n: Node | null = body.descendantForPosition({ row: site.start.line, column: site.start.column }, { row: site.end.line, column: site.end.column });
  while (n) {
    const parent: Node | null = n.parent;
    if (!parent) return false;
    if (parent.type === 'block') {
      for (const earlier of parent.namedChildren) {
        if (earlier.id === n.id) break;
        if (mayLeavePass(earlier)) return false;
      }
      if (parent.id === body.id) return true;
      const holder = parent.parent;
      if (!holder || (holder.type !== 'try_statement' && holder.type !== 'with_statement') || fc(holder, 'body')?.id !== parent.id) return false;
      n = holder;   // a statement of the enclosing block, whose earlier statements are checked next
      continue;
    }
    const reached = EVALUATES_ALL.has(parent.type)
      || (parent.type === 'if_statement' && fc(parent, 'condition')?.id === n.id)
      || parent.type === 'with_clause' || parent.type === 'with_item' || (parent.type === 'with_statement' && n.type === 'with_clause');
    if (!reached) return false;
    n = parent;
  }
  return false;
}

function mayLeavePass(statement: Node): boolean {
  let leaves = false;
  walkTree(statement, (type) => {
    if (leaves) return false;
    if (type === 'function_definition' || type === 'class_definition' || type === 'lambda') return false;
    if (LEAVES_A_PASS.test(type)) leaves = true;
    return !leaves;
  });
  return leaves;
}

function enclosingClass(def: Node): string | undefined {
  let p = def.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  if (p?.type === 'block' && p.parent?.type === 'class_definition') return fc(p.parent, 'name')?.text;
  return undefined;
}

/** The name an `if` tests alone: `direct`, `not direct`; undefined for anything else. */
function pySwitchOf(cond: Node | null): { name: string; negated: boolean } | undefined {
  let n = cond;
  let negated = false;
  for (let i = 0; n && i < 4; i++) {
    if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
    else if (n.type === 'not_operator') { negated = !negated; n = fc(n, 'argument'); }
    else break;
  }
  return n?.type === 'identifier' ? { name: n.text, negated } : undefined;
}

/** The function a node is in (its nearest `def`), or null at module or class level. */
function enclosingFunction(node: Node): Node | null {
  for (let p = node.parent, i = 0; p && i < 400; p = p.parent, i++) {
    if (p.type === 'function_definition') return p;
    if (p.type === 'module') return null;
  }
  return null;
}

/** The class a node is in directly (its body, not a method's), or null. */
function enclosingClassOf(node: Node): Node | null {
  for (let p = node.parent, i = 0; p && i < 400; p = p.parent, i++) {
    if (p.type === 'class_definition') return p;
    if (p.type === 'function_definition' || p.type === 'module') return null;
  }
  return null;
}

function enclosingClassNode(def: Node): Node | null {
  let p = def.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition' ? p.parent : null;
}

/** Directly in the module (a decorated definition counts as its definition). */
function isTopLevel(node: Node | null): boolean {
  const p = node?.parent?.type === 'decorated_definition' ? node.parent.parent : node?.parent;
  return p?.type === 'module';
}

function isStatic(def: Node): boolean {
  const d = def.parent?.type === 'decorated_definition' ? def.parent : undefined;
  return !!d && /@staticmethod\b/.test(d.text.slice(0, def.startIndex - d.startIndex));
}

function sliceParts(slice: Node): { start?: Node; end?: Node; step?: Node } {
  const parts: Array<Node | undefined> = [undefined];
  for (let i = 0; i < slice.childCount; i++) {
    const c = slice.child(i)!;
    if (c.type === ':') parts.push(undefined);
    else if (c.isNamed && c.type !== 'comment') parts[parts.length - 1] = c;
  }
  return { start: parts[0], end: parts[1], step: parts[2] };
}

/** b'…' literals are (unaligned) buffers of known length; text strings are not buffers. */
function bytesLiteral(node: Node): AV {
  const start = node.type === 'string' ? node.namedChildren.find((c) => c.type === 'string_start')?.text ?? '' : '';
  if (!/^[rR]?[bB][rR]?['"]/.test(start)) return UNKNOWN;
  let size = 0;
  for (const c of node.namedChildren) {
    if (c.type === 'string_content') size += c.text.length;
    else if (c.type === 'escape_sequence') size += /^\\x[0-9a-fA-F]{2}$|^\\[0-7]{1,3}$|^\\[nrtab0\\'"fv]$/.test(c.text) ? 1 : NaN;
  }
  for (const c of node.namedChildren) if (c.type === 'string_content') for (const e of c.namedChildren) if (e.type === 'escape_sequence') size -= e.text.length - 1;
  return { ...unalignedBuf('bytes literal', Number.isFinite(size) ? num(size) : undefined, node), slicesCopy: true };
}

/** Only literals, names and arithmetic: safe to evaluate as a module constant. */
function isConstantExpression(node: Node): boolean {
  let ok = true;
  walkTree(node, (type) => {
    if (!ok) return false;
    if (type === 'call' || type === 'lambda' || type === 'subscript' || type.endsWith('comprehension')) ok = false;
    return ok;
  });
  return ok;
}

/** Summary writers are syntax-node positions: each module gets its own range of them. */
const WRITERS_PER_MODULE = 2 ** 32;
/** How many `from .x import y` re-exports a name is followed through. */
const MAX_REEXPORT_DEPTH = 6;
/** Imported modules' positions are moved this far apart, so none can fall inside the analysed file's text. */
const IMPORTED_LINE_BASE = 100_000_000;

/** What a name of another module is: a module, one of its classes or functions, or a value. */
type PySymbol =
  | { k: 'module'; analysis: PythonAnalysis; spec: string }
  | { k: 'class'; analysis: PythonAnalysis; name: string }
  | { k: 'function'; analysis: PythonAnalysis; name: string }
  | { k: 'value'; av: AV };

/**
 * A value from another module, without the positions that belong to that module's file: no fix may
 * edit a constant's definition or grow an allocation from here.
 */
function crossingValue(v: AV): AV {
  switch (v.k) {
    case 'num': return num(v.value);
    case 'flags': case 'opts': return { k: v.k, oDirect: v.oDirect };
    case 'fd': return { k: 'fd', oDirect: v.oDirect, buffered: v.buffered };
    case 'inst': return v;
    case 'obj': return v.type ? { k: 'inst', type: v.type } : UNKNOWN;
    case 'list': return { k: 'list', items: v.items.map(crossingValue), packed: v.packed, ...(v.structFormat !== undefined ? { structFormat: v.structFormat } : {}) };
    case 'buf': {
      const o = v.origin;
      const origin: BufAV['origin'] = { state: o.state, origin: o.origin };
      if (o.alignment !== undefined) origin.alignment = o.alignment;
      if (o.alignedToPage) origin.alignedToPage = true;
      if (o.offset !== undefined) origin.offset = o.offset;
      if (o.sizedByCall) origin.sizedByCall = true;
      return { k: 'buf', origin, size: v.size ? num(v.size.value) : undefined, slicesCopy: v.slicesCopy };
    }
    default: return UNKNOWN;
  }
}

/**
 * The modules the analysed file imports, each parsed with the grammar the file was parsed with and
 * analysed alongside it (one set of summaries, so a class's __init__ there and a call here meet).
 */
class PythonWorkspace {
  private readonly analyses = new Map<string, PythonAnalysis>();

  constructor(language: TsLanguage, context: PythonImportsContext, summaries: Summaries) {
    let index = 0;
    for (const m of Object.values(context.modules)) {
      index++;
      try {
        const tree = importedTree(language, m.file, m.text);
        if (!tree) continue;
        registerSnippet(tree, IMPORTED_LINE_BASE * index, 0, 0);
        const analysis = new PythonAnalysis(tree.rootNode, summaries, this, { prefix: m.name, imports: m.imports, index, file: m.file });
        analysis.collect();
        this.analyses.set(m.file, analysis);
      } catch {
        // a module that cannot be read is a module not read
      }
    }
  }

  analysisOf(file: string): PythonAnalysis | undefined { return this.analyses.get(file); }
  all(): PythonAnalysis[] { return [...this.analyses.values()]; }

  dispose(): void { trimImportedTrees(); }
}

/**
 * Imported modules' trees, kept between files (a package's modules are imported by many of its files)
 * up to this much source text; the oldest go first, and only between two files' analyses. A tree costs
 * the parser's heap some 50 bytes per byte of source (see PARSER_MAX_FILE_BYTES), so this keeps ~100 MB.
 */
const IMPORTED_TREE_BYTES = 2 * 1024 * 1024;
const importedTrees = new Map<string, { tree: Tree; bytes: number; language: TsLanguage }>();
let importedTreeBytes = 0;
let importParser: { parser: Parser; language: TsLanguage } | undefined;

function importedTree(language: TsLanguage, file: string, text: string): Tree | undefined {
  const key = `${file}\0${text}`;
  const known = importedTrees.get(key);
  if (known && known.language === language) {
    importedTrees.delete(key);
    importedTrees.set(key, known);   // most recently used last
    return known.tree;
  }
  if (!importParser || importParser.language !== language) {
    importParser?.parser.delete();
    const parser = new Parser();
    parser.setLanguage(language);
    importParser = { parser, language };
  }
  const tree = importParser.parser.parse(text);
  if (!tree) return undefined;
  if (known) { known.tree.delete(); importedTreeBytes -= known.bytes; importedTrees.delete(key); }
  importedTrees.set(key, { tree, bytes: text.length, language });
  importedTreeBytes += text.length;
  return tree;
}

function trimImportedTrees(): void {
  for (const [key, entry] of importedTrees) {
    if (importedTreeBytes <= IMPORTED_TREE_BYTES) break;
    entry.tree.delete();
    importedTreeBytes -= entry.bytes;
    importedTrees.delete(key);
  }
}

const retKey = (type: string | undefined, fn: string): string => `ret:${type ?? ''}::${fn}`;
const paramKey = (type: string | undefined, fn: string, i: number): string => `param:${type ?? ''}::${fn}:${i}`;

/** The keywords of the os calls a wrapper may pass on with `**kw` (copy_file_range's, pread's…). */
const FORWARDED_KEYWORDS = ['count', 'offset_src', 'offset_dst', 'offset', 'length'] as const;

/**
 * The parameter slot of a keyword that a function with a `**kw` parameter receives there: after its named
 * parameters, one per forwarded keyword, the same for the function and its callers. None for a keyword
 * that names one of its parameters, or a function without `**kw`.
 */
/** Does the body store into the mapping `name` (`kw['offset'] = …`, `kw.update(…)`) or bind the name again? */
function rebindsMapping(body: Node | null, name: string): boolean {
  if (!body) return true;
  const n = name;   // an identifier: nothing in it is special to a RegExp
  return new RegExp(`(^|[^\\w.])${n}\\s*(\\[[^\\]]*\\]\\s*)?([-+*/|&]?=(?!=)|\\.(update|pop|popitem|setdefault|clear)\\b)|\\b(del|global|nonlocal)\\s+${n}\\b|\\bfor\\s+${n}\\b|\\bas\\s+${n}\\b`, 'm').test(body.text);
}

function kwargsSlot(def: Node, method: boolean, key: string): number | undefined {
  const params = (fc(def, 'parameters')?.namedChildren ?? []).filter((p) => p.type !== 'comment').slice(method ? 1 : 0);
  if (!params.some((p) => p.type === 'dictionary_splat_pattern')) return undefined;
  let named = 0;
  for (const p of params) {
    if (p.type === 'dictionary_splat_pattern' || p.type === 'list_splat_pattern' || p.type === 'keyword_separator' || p.type === 'positional_separator') continue;
    const name = p.type === 'identifier' ? p.text : fc(p, 'name')?.text ?? (p.type === 'typed_parameter' ? p.namedChildren[0]?.text : undefined);
    if (name === key) return undefined;
    named++;
  }
  const k = (FORWARDED_KEYWORDS as readonly string[]).indexOf(key);
  return k < 0 ? undefined : named + k;
}
/** A function as summaries name it: `Class.method` or `function`. */
const fnKey = (type: string | undefined, fn: string): string => (type ? `${type}.${fn}` : fn);
const globalKey = (name: string): string => `global:${name}`;
function nameOfKey(key: string): string | undefined {
  return /^(?:field|ret|param|global):.*?([A-Za-z_][A-Za-z0-9_]*)(?::\d+)?$/.exec(key)?.[1];
}

/**
 * The length of a slice from the start whose bound is not a number here (`memoryview(m)[:length]`,
 * `m[:len(data)]`): the bound's value, so that a bound that is a parameter's (or a parameter's
 * `len()`) reaches the site as that parameter and each call's argument decides the length.
 */
const viewLengthOf = new WeakMap<BufAV, AV>();

/** How long a buffer is: its size, or the bound it was cut to (see viewLengthOf). */
function bufferLength(v: AV): AV {
  if (v.k !== 'buf') return UNKNOWN;
  return v.size ?? viewLengthOf.get(v) ?? UNKNOWN;
}

function summaryValue(v: AV): AV {
  switch (v.k) {
    case 'result': case 'never': case 'layout': case 'module': return UNKNOWN;
    case 'obj': return v.type ? { k: 'inst', type: v.type } : UNKNOWN;
    case 'num': return v.def ? v : num(v.value);
    // The length of a view cut to a parameter is this function's parameter: not the reader's.
    case 'buf': return viewLengthOf.has(v) ? { ...v } : v;
    case 'list': return { k: 'list', items: v.items.map(summaryValue), packed: v.packed, ...(v.structFormat !== undefined ? { structFormat: v.structFormat } : {}) };  // nodes stay local
    default: return v;
  }
}

const FILE_QUERY = `
(import_statement) @import
(import_from_statement) @from
(function_definition) @def
(module (expression_statement (assignment left: (identifier) @global)))
(assignment left: (_) @mutation)
(augmented_assignment left: (_) @mutation)
(named_expression name: (identifier) @mutation)
(for_statement left: (_) @mutation)
(global_statement (identifier) @globaldecl)
`;
const fileQuery = cachedQuery(FILE_QUERY);

/** The most units of imported modules one file's analysis takes in. */
const MAX_IMPORTED_UNITS = 2000;

/**
 * The functions of the imported modules that the file can reach: the classes (every method) and
 * functions its imported names lead to, and what those name in turn (their module's own definitions
 * and imports), up to MAX_IMPORTED_UNITS. The rest of a module is never looked at.
 */
function neededUnits(main: PythonAnalysis, mainText: string): Set<PyUnit> {
  const needed = new Set<PyUnit>();
  const queue: PyUnit[] = [];
  const take = (symbol: PySymbol | undefined): void => {
    if (!symbol || (symbol.k !== 'class' && symbol.k !== 'function')) return;
    for (const u of symbol.analysis.definitionUnits(symbol.name)) {
      if (needed.size >= MAX_IMPORTED_UNITS || needed.has(u)) continue;
      needed.add(u);
      queue.push(u);
    }
  };
  /** Every name a text spells, resolved in `a`: its own definitions, its imports, and members of imported modules. */
  const namesIn = (a: PythonAnalysis, text: string, dotted: boolean): void => {
    const seen = new Set<string>();
    for (const m of text.matchAll(dotted ? /\b([A-Za-z_][A-Za-z0-9_]*)(?:\s*\.\s*([A-Za-z_][A-Za-z0-9_]*))?/g : /\b([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const key = m[0];
      if (seen.has(key) || seen.size > 20_000) continue;
      seen.add(key);
      const symbol = a.localOrImported(m[1]!);
      if (symbol?.k === 'module' && m[2]) take(symbol.analysis.exportedSymbol(m[2], 1));
      else take(symbol);
    }
  };
  namesIn(main, mainText, true);
  // Functions that store module state (`global X`): what a module's names hold depends on them too.
  for (const a of main.importedAnalyses()) {
    for (const u of a.stateWriters()) if (needed.size < MAX_IMPORTED_UNITS && !needed.has(u)) { needed.add(u); queue.push(u); }
  }
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]!;
    const owner = ownerOfUnit.get(u);
    if (owner) namesIn(owner, u.text, true);
  }
  return needed;
}

/** Which analysis a unit belongs to (for the closure of needed units). */
const ownerOfUnit = new WeakMap<PyUnit, PythonAnalysis>();

/** For the scheduler: the units that write `ret:` keys (a function's return value), by key. */
function returnWriters(units: readonly PyUnit[], owners: readonly PythonAnalysis[]): (key: string) => readonly number[] {
  const byKey = new Map<string, number[]>();
  units.forEach((u, i) => {
    if (u.module) return;
    const key = owners[i]!.retKeyOf(u);
    const list = byKey.get(key) ?? [];
    list.push(i);
    byKey.set(key, list);
  });
  return (key) => byKey.get(key) ?? [];
}

/**
 * The writers of a field of a named tuple type: the units that call the type (a helper that reads
 * `rng.length` of the tuple it is handed runs them when it first reads the field); of a parameter, also the
 * callers of its function that make a named tuple (the tuple they pass is its value). Others as `writers` says.
 */
function namedTupleWriters(units: readonly PyUnit[], owners: readonly PythonAnalysis[], writers: (key: string) => readonly number[]): (key: string) => readonly number[] {
  const makesTuple = (u: PyUnit, owner: PythonAnalysis): boolean => [...owner.namedTuples.keys()].some((t) => new RegExp(`\\b${t}\\s*\\(`).test(u.text));
  return (key) => {
    // a parameter of a function that a caller may hand a named tuple: the callers that make one
    const p = /^param:[^:]*::(?:.+:)?([^.:]+):\d+$/.exec(key);
    if (p) {
      const out: number[] = [];
      const call = new RegExp(`\\b${p[1]}\\s*\\(`);
      units.forEach((u, i) => { if (!u.module && owners[i]!.namedTuples.size && call.test(u.text) && makesTuple(u, owners[i]!)) out.push(i); });
      return [...writers(key), ...out];
    }
    const m = /^field:(?:(.+):)?([^.:]+)\.[^.]+$/.exec(key);
    if (!m) return writers(key);
    const [, prefix, type] = m;
    const out: number[] = [];
    units.forEach((u, i) => {
      const owner = owners[i]!;
      if (owner.q(type!) !== (prefix ? `${prefix}:${type}` : type) || !owner.namedTuples.has(type!)) return;
      if (new RegExp(`\\b${type}\\s*\\(`).test(u.text)) out.push(i);
    });
    return out.length ? out : writers(key);
  };
}

/** The writer of a function's `clears:` summary is that of its result: the function itself (calls of functions only). */
function clearsOrReturnWriters(writers: (key: string) => readonly number[]): (key: string) => readonly number[] {
  return (key) => {
    const m = /^clears:(.+):\d+$/.exec(key);
    return m ? writers(retKey(undefined, m[1]!)) : writers(key);
  };
}

/**
 * `external`: the modules the file imports (the workspace index's Python context). They are analysed
 * with the file; their sites are returned apart (`foreign`), to be seen only from this file's calls.
 */
export function extractPython(root: Node, external?: ExternalContext): Extraction {
  const summaries = new Summaries();
  const context = isPythonImportsContext(external?.value) ? external.value : undefined;
  const workspace = context ? new PythonWorkspace(root.tree.language, context, summaries) : undefined;
  try {
    const analysis = new PythonAnalysis(root, summaries, workspace, { prefix: '', imports: context?.imports ?? {}, index: 0 });
    analysis.collect();
    const all = [analysis, ...(workspace?.all() ?? [])];
    const needed = workspace ? neededUnits(analysis, root.text) : undefined;
    const units: PyUnit[] = [];
    const owners: PythonAnalysis[] = [];
    for (const a of all) for (const u of a.units) if (a === analysis || u.module || needed!.has(u)) { units.push(u); owners.push(a); }
    const relevant = all.length === 1 ? analysis.relevantPattern() : new RegExp(all.map((a) => a.relevantPattern().source).join('|'));
    const ownerOf = new Map<SiteFacts, PythonAnalysis>();
    let current = analysis;
    const facts = runUnits(units, relevant, summaries, nameOfKey, (unit, i) => {
      current = owners[i]!;
      const found = current.analyzeUnit(unit);
      for (const f of found) ownerOf.set(f, current);
      return found;
    }, () => current.sites.result(), {
      // A helper that only allocates is looked at when something reads what it returns.
      demand: namedTupleWriters(units, owners, clearsOrReturnWriters(returnWriters(units, owners))),
      // A site that reads a parameter (of this file's function or an imported module's): run the units
      // that call it, whatever else their text holds; their calls say what the parameter is.
      calleeNames: (fact: SiteFacts) => Object.values(fact.params ?? {}).map((p) => `${p!.fn.split(/[.:]/).pop()!}(`),
      start: units.flatMap((u, i) => (owners[i]!.storesState(u) ? [i] : [])),
    });
    // The imported modules' sites and calls are their files': every range they hold is placed there.
    const calls = all.flatMap((a) => (a.file ? a.calls.list().map((c) => callElsewhere(c, a.file!, a.lineOffset)) : a.calls.list()));
    if (!workspace) return { facts, calls };
    const ownerOfFact = (f: SiteFacts): PythonAnalysis => ownerOf.get(f) ?? analysis;
    return {
      facts: facts.filter((f) => !ownerOfFact(f).file),
      calls,
      foreign: facts.filter((f) => ownerOfFact(f).file).map((f) => placeElsewhere(f, ownerOfFact(f).file!, ownerOfFact(f).lineOffset)),
    };
  } finally {
    workspace?.dispose();
  }
}

export const pythonExtractor: LanguageExtractor = {
  language: 'python',
  extensions: ['.py'],
  prefilter: PYTHON_SITE_TEXT,
  extract: (root, _text, external) => extractPython(root, external),
};

/** The text of a plain string literal, without quotes or prefix. */
function stringContent(node: Node): string {
  return node.namedChildren.filter((c) => c.type === 'string_content').map((c) => c.text).join('');
}

/** Module functions whose use of a descriptor is followed (the position moves or stays), so it does not escape. */
function positionAware(mod: string, fn: string): boolean {
  if (mod === 'os' || mod === 'posix') return OS_POSITION_AWARE.has(fn);
  if (mod === 'fcntl') return FCNTL_POSITION_AWARE.has(fn);
  return mod === 'mmap' || mod === 'struct' || mod === 'ctypes';
}

/** Calls that only tell the user, or end the program. */
const REPORTS = /^(print|(logging|log|logger|self\.log|self\.logger)\.(error|warning|warn|exception|critical|info)|sys\.stderr\.write|traceback\.print_exc|sys\.exit|exit|os\._exit)$/;
const ENDS = /^(sys\.exit|exit|os\._exit)$/;
/** `return`, `return False`, `return -1`, `raise SystemExit(1)`: not `raise` (the caller may fall back), nor a call. */
const PLAIN_RETURN = /^(return(\s+(-?\d+|True|False|None))?|raise\s+SystemExit(\(.*\))?)$/;

/** A boolean argument spelled as a literal: `True`, `False`. */
function pyBoolean(node: Node | undefined): boolean | undefined {
  const t = node?.text;
  return t === 'True' ? true : t === 'False' ? false : undefined;
}

/** An except block that only reports and then returns or ends the program. */
function onlyReportsAndLeaves(block: Node | null | undefined): boolean {
  if (!block) return false;
  const statements = block.namedChildren.filter((c) => c.type !== 'comment');
  if (statements.length === 0 || statements.length > 8) return false;
  let leaves = false;
  for (const st of statements) {
    if (st.type === 'return_statement' || st.type === 'raise_statement') {
      if (!PLAIN_RETURN.test(st.text.replace(/\s+/g, ' ').trim())) return false;
      leaves = true;
      continue;
    }
    const call = st.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    if (!call || call.type !== 'call') return false;
    const callee = call.childForFieldName('function')?.text ?? '';
    if (!REPORTS.test(callee)) return false;
    if (ENDS.test(callee)) leaves = true;
  }
  return leaves;
}

/**
 * Does `CDLL(name)` load libc? `None` (the process's own symbols, libc's among them), a libc file name
 * (`"libc.so.6"`), or `find_library("c")`; `a or b` when both sides do. Anything else is another library.
 */
function namesLibc(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.type === 'none') return true;
  if (node.type === 'string') return /^(?:.*\/)?libc\.so(?:\.\d+)*$/.test(stringLiteralText(node));
  if (node.type === 'parenthesized_expression') return namesLibc(node.namedChildren[0] ?? undefined);
  if (node.type === 'boolean_operator') return namesLibc(fc(node, 'left') ?? undefined) && namesLibc(fc(node, 'right') ?? undefined);
  if (node.type === 'call') {
    const fn = fc(node, 'function');
    const first = fc(node, 'arguments')?.namedChildren[0];
    return /(?:^|\.)find_library$/.test(fn?.text ?? '') && first?.type === 'string' && /^(?:c|libc)$/.test(stringLiteralText(first));
  }
  return false;
}

/** The summary key of a variable of an enclosing function, as a nested def of that name sees it. */
const closureKey = (def: string, name: string): string => `closure:${def}.${name}`;

/**
 * libc's copy_file_range(fd_in, off_in, fd_out, off_out, len, flags) as os.copy_file_range's
 * (src, dst, count, offset_src, offset_dst). The offsets are pointers to the offsets, not followed:
 * their values are unknown (the nodes still name them).
 */
function cArgumentsOfCopyFileRange(c: CallInfo): CallInfo {
  const fromOs = [0, 2, 4, 1, 3];
  const argNode = (i: number): Node | undefined => fromOs[i] === undefined ? undefined : c.argNode(fromOs[i]!);
  const arg = (i: number): AV => i === 3 || i === 4 || fromOs[i] === undefined ? UNKNOWN : c.arg(fromOs[i]!);
  return { node: c.node, argNode, arg, kw: new Map(), callee: c.callee };
}

/** The variable a ctypes `byref(p)` / `pointer(p)` argument lets the callee fill. */
function byrefTarget(node: Node | undefined): string | undefined {
  if (node?.type !== 'call' || !/(?:^|\.)(?:byref|pointer)$/.test(fc(node, 'function')?.text ?? '')) return undefined;
  const args = fc(node, 'arguments')?.namedChildren ?? [];
  return args.length >= 1 && args[0].type === 'identifier' ? args[0].text : undefined;
}

/** The text of a string literal (`"=qQQQ"`, `b'qQQQ'`), without its prefix and quotes. */
function stringLiteralText(node: Node): string {
  return node.text.replace(/^[bB]?['"]|['"]$/g, '');
}

const STRUCT_ITEM_SIZES: Record<string, number> = { x: 1, c: 1, b: 1, B: 1, '?': 1, h: 2, H: 2, e: 2, i: 4, I: 4, l: 4, L: 4, f: 4, q: 8, Q: 8, d: 8, n: 8, N: 8, P: 8 };

/**
 * struct.calcsize of a format: standard sizes with a byte-order prefix (`=qQQQ` is 32); native sizes
 * and alignment without one (64-bit Linux: `l` is 8). Undefined for what it does not know (`s` counts, `p`).
 */
export function structSize(fmt: string): number | undefined {
  const native = !/^[=<>!]/.test(fmt);
  let size = 0;
  for (const m of fmt.replace(/^[@=<>!]/, '').replace(/\s+/g, '').matchAll(/(\d*)(.)/g)) {
    const count = m[1] ? Number(m[1]) : 1;
    const ch = m[2]!;
    if (ch === 's' || ch === 'p') { size += count; continue; }
    let item = STRUCT_ITEM_SIZES[ch];
    if (item === undefined) return undefined;
    if (native && (ch === 'l' || ch === 'L')) item = 8;
    if (native && ch !== 'x') size = Math.ceil(size / item) * item;
    size += item * count;
  }
  return size;
}

/**
 * A site that no call of the file reaches (a condition around it that every caller's arguments decide
 * the other way): it stays a site, and nothing the callers agree on is said of it.
 */
function unreachedByCallers(facts: SiteFacts): void {
  for (const role of ['length', 'offset', 'srcOffset', 'dstOffset'] as const) {
    const v = facts[role];
    if (v?.known) facts[role] = { known: false, text: v.text };
    delete facts.constants[role];
  }
  if (facts.buffer) facts.buffer = { state: 'unknown', origin: facts.buffer.origin };
  delete facts.literals;
}
