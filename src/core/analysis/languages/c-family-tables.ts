// Tables of test cases in C and C++: which rows of which table a function's code reads, and on which
// part of the function. A row is read through a loop index (`for (i = 0; i < ARRAY_SIZE(tcases); i++)`
// with `tcases[i]` or `struct tcase *tc = &tcases[i]`), a parameter that every call fills from such a
// loop (`verify(i)`, `verify(&tcases[i])`, LTP's `.tcnt = ARRAY_SIZE(tcases)` with `.test = run`), a
// C++ range-for over the table, or a pointer loop (`for (tc = tcases; tc->desc; tc++)`). Only rows
// that the code is known to visit are listed: a loop with an unknown bound, or a parameter no call
// fills from the table, walks no row.
import type { Node } from 'web-tree-sitter';
import { tickBudget } from '../budget';
import { parseIntegerLiteral } from '../values';
import {
  CFamilyModel, firstNamed, namedArgs, stripCasts, unwrapDeclarator, type RowBinding, type Scope, type TableInfo,
} from './c-family-model';

/** How a function's code names the rows of one table, which rows it visits, and where in the function. */
export interface RowWalk {
  binding: Omit<RowBinding, 'row'>;
  rows: number[];
  /** The part of the function that sees the rows (a loop body, or the whole function for a parameter). */
  within: { start: number; end: number };
  /** The rows are the iterations of a loop in this function (not calls of it): leaving the loop ends them. */
  loop?: boolean;
}

/** How many callers up a row index or row pointer passed as a parameter is followed. */
const MAX_WALK_DEPTH = 3;

const COUNT_NAMES = /^(?:ARRAY_SIZE|ARRAY_LEN(?:GTH)?|ARRAYSIZE|ARR_SIZE|N_?ELEM(?:ENT)?S|NELEM|nitems|_?countof|COUNT_?OF|lengthof|ELEMENTSOF|size)$/;

export class TableWalks {
  private readonly memo = new Map<number, RowWalk[]>();

  constructor(private readonly model: CFamilyModel) {}

  /** The walks of the function around `call` whose part of the function contains the call. */
  walksAt(call: Node): RowWalk[] {
    const fn = this.model.scopeRootOf(call);
    if (fn.type !== 'function_definition') return [];
    return this.walksOf(fn).filter((w) => call.startIndex >= w.within.start && call.endIndex <= w.within.end);
  }

  private walksOf(fn: Node): RowWalk[] {
    const memo = this.memo.get(fn.id);
    if (memo) return memo;
    const out: RowWalk[] = [];
    this.memo.set(fn.id, out);
    const body = fn.childForFieldName('body');
    if (!body) return out;
    const scope = this.model.scopeFor(body);
    const seen = new Set<string>();
    const add = (w: RowWalk | undefined): void => {
      if (!w || !w.rows.length) return;
      const key = `${w.binding.table.name}|${w.binding.index ?? ''}|${w.binding.pointer ?? ''}|${w.binding.element ?? ''}|${w.within.start}`;
      if (seen.has(key) || out.length >= 16) return;
      seen.add(key);
      out.push(w);
    };
    walk(body, (n) => {
      tickBudget();
      if (n.type === 'subscript_expression' || n.type === 'binary_expression') {
        const handle = indexHandle(n);
        const table = handle ? this.model.tableOf(handle.table, scope) : undefined;
        if (handle && table) add(this.indexWalk(fn, scope, table, handle.index, n, 0));
      } else if (n.type === 'for_range_loop') {
        add(this.rangeFor(fn, scope, n));
      } else if (n.type === 'for_statement') {
        add(this.pointerLoop(fn, scope, n));
      }
    });
    for (const w of this.pointerParams(fn, scope)) add(w);
    return out;
  }

  /** `table[index]` in `fn`: the rows the index walks there (a loop around `use`, or the callers' loops). */
  private indexWalk(fn: Node, scope: Scope, table: TableInfo, index: string, use: Node, depth: number): RowWalk | undefined {
    const loop = this.loopRows(fn, scope, table, index, use);
    if (loop) return { binding: { fn, table, index }, rows: loop.rows, within: loop.within, loop: true };
    const v = scope.vars.get(index);
    if (!v?.isParam || depth > MAX_WALK_DEPTH) return undefined;
    const at = paramIndex(fn, v.declNode);
    const name = functionName(fn);
    if (at < 0 || !name || scope.defs.get(index)?.length) return undefined;   // a parameter the function changes
    const rows = new Set<number>();
    for (const call of this.model.callsTo(name)) {
      const arg = namedArgs(call.childForFieldName('arguments'))[at];
      const k = arg ? parseIntegerLiteral(stripCasts(arg).text) : undefined;
      if (k !== undefined) { if (k >= 0 && k < table.rows.length) rows.add(k); continue; }
      const caller = this.model.scopeRootOf(call);
      if (!arg || caller.type !== 'function_definition' || caller.id === fn.id) continue;
      const inner = stripCasts(arg);
      if (inner.type !== 'identifier') continue;
      const callerScope = this.model.scopeFor(call);
      if (!sameTable(this.model, table, callerScope)) continue;
      const w = this.indexWalk(caller, callerScope, table, inner.text, call, depth + 1);
      for (const r of w?.rows ?? []) rows.add(r);
    }
    for (const r of this.testHarnessRows(name, table)) rows.add(r);
    return { binding: { fn, table, index }, rows: [...rows].sort((a, b) => a - b), within: extent(fn) };
  }

  /**
   * The rows a `for (index = lo; index < hi; index++)` loop around `use` visits. The loop must be the
   * only writer of the index in its body, and `hi` the table's length or a known number.
   */
  private loopRows(fn: Node, scope: Scope, table: TableInfo, index: string, use: Node): { rows: number[]; within: { start: number; end: number } } | undefined {
    for (let p = use.parent; p && p.id !== fn.id; p = p.parent) {
      if (p.type !== 'for_statement') continue;
      const body = p.childForFieldName('body');
      if (!body || use.startIndex < body.startIndex || use.endIndex > body.endIndex) continue;
      const lo = loopStart(this.model, scope, p, index);
      if (lo === undefined) continue;
      const cond = p.childForFieldName('condition');
      const c = cond ? stripParensOf(cond) : undefined;
      if (c?.type !== 'binary_expression' || stripParensOf(c.childForFieldName('left')!).text !== index) return undefined;
      const op = c.childForFieldName('operator')?.type;
      const hiNode = c.childForFieldName('right');
      let hi = hiNode ? this.countOf(hiNode, table, scope) : undefined;
      if (hi === undefined || (op !== '<' && op !== '<=' && op !== '!=')) return undefined;
      if (op === '<=') hi += 1;
      if (!stepsByOne(p.childForFieldName('update'), index)) return undefined;
      // the body must not move the index itself
      if (scope.defs.get(index)?.some((d) => d.pos > body.startIndex && d.pos <= body.endIndex)) return undefined;
      const rows: number[] = [];
      for (let r = Math.max(0, lo); r < Math.min(hi, table.rows.length); r++) rows.push(r);
      return { rows, within: extent(body) };
    }
    return undefined;
  }

  /** A loop bound: the number of rows of `table` (`ARRAY_SIZE(t)`, `sizeof t / sizeof t[0]`, `std::size(t)`), or a known number. */
  private countOf(node: Node, table: TableInfo, scope: Scope): number | undefined {
    const n = stripParensOf(node);
    const names = (x: Node | null | undefined): boolean => !!x && stripParensOf(x).text === table.name;
    if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      const args = namedArgs(n.childForFieldName('arguments'));
      const name = fn?.type === 'qualified_identifier' ? (fn.childForFieldName('scope')?.text === 'std' ? fn.childForFieldName('name')?.text : undefined) : fn?.text;
      if (args.length === 1 && names(args[0]) && name && (this.model.isCountMacro(name) || COUNT_NAMES.test(name))) return table.rows.length;
    }
    if (n.type === 'call_expression' && n.childForFieldName('function')?.type === 'field_expression') {
      const f = n.childForFieldName('function')!;
      if (f.childForFieldName('field')?.text === 'size' && names(f.childForFieldName('argument'))) return table.rows.length;
    }
    if (n.type === 'binary_expression' && n.childForFieldName('operator')?.type === '/') {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const right = r ? sizeofOf(r) : undefined;
      if (l && right !== undefined && sizeofOf(l) === table.name) {
        if (right.replace(/\s+/g, '') === `${table.name}[0]` || right.replace(/[\s()]+/g, '') === `*${table.name}` || right.replace(/^struct\s+/, '') === tableStructName(table)) return table.rows.length;
      }
    }
    const v = this.model.evalNumber(n, scope);
    return v && v.value >= 0 ? v.value : undefined;
  }

  /** LTP's `static struct tst_test test = { .tcnt = N, .test = fn }`: fn is run with n = 0 … N-1. */
  private testHarnessRows(fnName: string, table: TableInfo): number[] {
    const rows: number[] = [];
    const text = this.model.text;
    const re = /\.test\s*=\s*&?\s*([A-Za-z_]\w*)\s*[,}]/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[1] !== fnName) continue;
      const node = this.model.root.descendantForIndex(m.index + 1, m.index + 5);
      let list: Node | null = node;
      for (let i = 0; list && list.type !== 'initializer_list' && i < 4; i++) list = list.parent;
      const decl = list?.parent?.parent;
      if (!list || decl?.type !== 'declaration' || !/\bstruct\s+tst_test\b/.test(decl.childForFieldName('type')?.text ?? '')) continue;
      for (const item of namedArgs(list)) {
        if (item.type !== 'initializer_pair' || item.childForFieldName('designator')?.text !== '.tcnt') continue;
        const value = item.childForFieldName('value');
        const count = value ? this.countOf(value, table, this.model.scopeFor(value)) : undefined;
        for (let r = 0; count !== undefined && r < Math.min(count, table.rows.length); r++) rows.push(r);
      }
    }
    return rows;
  }

  /** Pointer parameters that every call fills with `&table[i]` (or `table + i`) from a loop over the table. */
  private pointerParams(fn: Node, scope: Scope): RowWalk[] {
    const name = functionName(fn);
    if (!name) return [];
    const out: RowWalk[] = [];
    const params = namedArgs(functionDeclaratorOf(fn)?.childForFieldName('parameters') ?? null);
    params.forEach((param, at) => {
      const d = param.childForFieldName('declarator');
      const u = d ? unwrapDeclarator(d) : undefined;
      const v = u?.name ? scope.vars.get(u.name.text) : undefined;
      if (!v || !u?.name || scope.defs.get(v.name)?.length) return;
      const byValue = u.pointerDepth === 0;
      let table: TableInfo | undefined;
      const rows = new Set<number>();
      for (const call of this.model.callsTo(name)) {
        const arg = namedArgs(call.childForFieldName('arguments'))[at];
        if (!arg) continue;
        const handle = rowArgument(stripCasts(arg), byValue);
        if (!handle) continue;
        const callerScope = this.model.scopeFor(call);
        const t = this.model.tableOf(handle.table, callerScope);
        if (!t || t.scope || (table && table.v !== t.v)) continue;   // a local table of the caller is not the callee's to name
        table = t;
        if (handle.row !== undefined) { if (handle.row < t.rows.length) rows.add(handle.row); continue; }
        const caller = this.model.scopeRootOf(call);
        if (caller.type !== 'function_definition' || caller.id === fn.id) continue;
        const w = this.indexWalk(caller, callerScope, t, handle.index!, call, 1);
        for (const r of w?.rows ?? []) rows.add(r);
      }
      if (table && rows.size) {
        out.push({ binding: byValue ? { fn, table, element: v.name } : { fn, table, pointer: v.name }, rows: [...rows].sort((a, b) => a - b), within: extent(fn) });
      }
    });
    return out;
  }

  /** `for (const auto &tc : table)` / `for (auto [name, off, len] : table)`: every row, in the loop body. */
  private rangeFor(fn: Node, scope: Scope, loop: Node): RowWalk | undefined {
    const right = loop.childForFieldName('right');
    const body = loop.childForFieldName('body');
    const decl = loop.childForFieldName('declarator');
    if (right?.type !== 'identifier' || !body || !decl) return undefined;
    const table = this.model.tableOf(right.text, scope);
    if (!table) return undefined;
    const rows = table.rows.map((_, i) => i);
    if (decl.type === 'structured_binding_declarator') {
      const elements = namedArgs(decl).map((e) => (e.type === 'identifier' ? e.text : ''));
      return { binding: { fn, table, elements }, rows, within: extent(body), loop: true };
    }
    const name = unwrapDeclarator(decl).name?.text ?? (decl.type === 'reference_declarator' ? firstNamed(decl)?.text : undefined);
    return name ? { binding: { fn, table, element: name }, rows, within: extent(body), loop: true } : undefined;
  }

  /**
   * `for (tc = table; tc < table + N; tc++)` or `for (tc = table; tc->field; tc++)` (a table ended by a
   * row whose field is 0 or NULL): the rows before the bound, or before the first row that ends it.
   */
  private pointerLoop(fn: Node, scope: Scope, loop: Node): RowWalk | undefined {
    const init = loop.childForFieldName('initializer');
    const body = loop.childForFieldName('body');
    if (!init || !body) return undefined;
    let pointer: string | undefined;
    let start: Node | undefined;
    if (init.type === 'assignment_expression' && init.childForFieldName('left')?.type === 'identifier') {
      pointer = init.childForFieldName('left')!.text;
      start = init.childForFieldName('right') ?? undefined;
    } else if (init.type === 'declaration') {
      const d = init.childForFieldName('declarator');
      if (d?.type === 'init_declarator') { pointer = unwrapDeclarator(d).name?.text; start = d.childForFieldName('value') ?? undefined; }
    }
    const s = start ? stripCasts(start) : undefined;
    if (!pointer || s?.type !== 'identifier') return undefined;
    const table = this.model.tableOf(s.text, scope);
    if (!table || !stepsByOne(loop.childForFieldName('update'), pointer)) return undefined;
    if (scope.defs.get(pointer)?.some((d) => d.pos > body.startIndex && d.pos <= body.endIndex)) return undefined;
    const cond = loop.childForFieldName('condition');
    const c = cond ? stripParensOf(cond) : undefined;
    if (!c) return undefined;
    let count: number | undefined;
    if (c.type === 'binary_expression' && (c.childForFieldName('operator')?.type === '<' || c.childForFieldName('operator')?.type === '!=')
      && stripParensOf(c.childForFieldName('left')!).text === pointer) {
      const r = stripParensOf(c.childForFieldName('right')!);
      const l2 = r.type === 'binary_expression' && r.childForFieldName('operator')?.type === '+' ? r.childForFieldName('left') : null;
      if (l2 && stripParensOf(l2).text === table.name) count = this.countOf(r.childForFieldName('right')!, table, scope);
    } else {
      count = this.sentinelCount(table, pointer, c);
    }
    if (count === undefined) return undefined;
    const rows: number[] = [];
    for (let r = 0; r < Math.min(count, table.rows.length); r++) rows.push(r);
    return { binding: { fn, table, pointer }, rows, within: extent(body), loop: true };
  }

  /** `tc->field` (or `tc->field != NULL`/`!= 0`) as a loop condition: the rows before the first whose field is 0 or NULL. */
  private sentinelCount(table: TableInfo, pointer: string, cond: Node): number | undefined {
    let test = cond;
    if (cond.type === 'binary_expression' && cond.childForFieldName('operator')?.type === '!=' && /^(?:NULL|nullptr|0)$/.test(stripParensOf(cond.childForFieldName('right')!).text)) {
      test = stripParensOf(cond.childForFieldName('left')!);
    }
    if (test.type !== 'field_expression' || test.childForFieldName('operator')?.type !== '->' || test.childForFieldName('argument')?.text !== pointer) return undefined;
    const field = test.childForFieldName('field')?.text;
    const at = field ? table.struct?.names.indexOf(field) ?? -1 : -1;
    if (at < 0) return undefined;
    for (let r = 0; r < table.rows.length; r++) {
      const items = namedArgs(table.rows[r]!);
      if (items.some((i) => i.type === 'initializer_pair')) return r;   // designated: not read here
      const item = items[at];
      if (!item) return r;   // a missing member is zero: the row that ends the table
      const t = stripCasts(item);
      if (/^(?:NULL|nullptr|0)$/.test(t.text)) return r;
      if (t.type !== 'string_literal' && !(t.type === 'number_literal' && parseIntegerLiteral(t.text) !== 0)) return r;   // not known to go on
    }
    return undefined;   // no row ends it: the loop runs past the table
  }
}

/** `table[index]` or `table + index` with a variable index. */
function indexHandle(n: Node): { table: string; index: string } | undefined {
  if (n.type === 'subscript_expression') {
    const arg = n.childForFieldName('argument');
    const idx = n.childForFieldName('index') ?? n.childForFieldName('indices');
    const index = idx ? stripParensOf(idx.type === 'subscript_argument_list' ? (firstNamed(idx) ?? idx) : idx) : undefined;
    return arg?.type === 'identifier' && index?.type === 'identifier' ? { table: arg.text, index: index.text } : undefined;
  }
  if (n.childForFieldName('operator')?.type !== '+') return undefined;
  const l = n.childForFieldName('left');
  const r = n.childForFieldName('right');
  return l?.type === 'identifier' && r?.type === 'identifier' ? { table: l.text, index: r.text } : undefined;
}

/** A call's argument that hands over a row: `&table[i]`, `table + i`, `&table[2]`, or (by value) `table[i]`. */
function rowArgument(arg: Node, byValue: boolean): { table: string; index?: string; row?: number } | undefined {
  let target = arg;
  if (!byValue) {
    if (arg.type === 'binary_expression') {
      const h = indexHandle(arg);
      return h ? { table: h.table, index: h.index } : undefined;
    }
    if (arg.type !== 'pointer_expression' || arg.childForFieldName('operator')?.type !== '&') return undefined;
    target = stripParensOf(arg.childForFieldName('argument')!);
  }
  if (target.type !== 'subscript_expression') return undefined;
  const t = target.childForFieldName('argument');
  const idx = target.childForFieldName('index') ?? target.childForFieldName('indices');
  const index = idx ? stripParensOf(idx.type === 'subscript_argument_list' ? (firstNamed(idx) ?? idx) : idx) : undefined;
  if (t?.type !== 'identifier' || !index) return undefined;
  const k = parseIntegerLiteral(index.text);
  if (k !== undefined) return { table: t.text, row: k };
  return index.type === 'identifier' ? { table: t.text, index: index.text } : undefined;
}

/** The caller sees the same table by that name (not a local that hides it). */
function sameTable(model: CFamilyModel, table: TableInfo, scope: Scope): boolean {
  if (table.scope) return false;
  return model.tableOf(table.name, scope)?.v === table.v;
}

function loopStart(model: CFamilyModel, scope: Scope, loop: Node, index: string): number | undefined {
  const init = loop.childForFieldName('initializer');
  if (!init) return undefined;
  let value: Node | null | undefined;
  if (init.type === 'assignment_expression' && init.childForFieldName('operator')?.type === '=' && init.childForFieldName('left')?.text === index) {
    value = init.childForFieldName('right');
  } else if (init.type === 'declaration') {
    for (const d of init.childrenForFieldName('declarator')) {
      if (d?.type === 'init_declarator' && unwrapDeclarator(d).name?.text === index) value = d.childForFieldName('value');
    }
  }
  const v = value ? model.evalNumber(value, scope) : undefined;
  return v?.value;
}

/** `x++`, `++x`, `x += 1`, `x = x + 1`. */
function stepsByOne(update: Node | null, name: string): boolean {
  if (!update) return false;
  const u = stripParensOf(update);
  if (u.type === 'update_expression') return u.childForFieldName('argument')?.text === name && u.text.includes('++');
  if (u.type === 'assignment_expression' && u.childForFieldName('left')?.text === name) {
    const op = u.childForFieldName('operator')?.type;
    const right = u.childForFieldName('right');
    if (op === '+=') return !!right && parseIntegerLiteral(right.text) === 1;
    if (op === '=') return !!right && /^\s*\(?\s*(\w+)\s*\+\s*1\s*\)?\s*$/.exec(right.text)?.[1] === name;
  }
  return false;
}

/** The operand text of `sizeof x` / `sizeof(x)` (expression or type), else undefined. */
function sizeofOf(n: Node): string | undefined {
  const s = stripParensOf(n);
  if (s.type !== 'sizeof_expression') return undefined;
  const v = s.childForFieldName('value') ?? s.childForFieldName('type');
  return v ? stripParensOf(v).text.trim() : undefined;
}

function tableStructName(table: TableInfo): string | undefined {
  const t = table.v.declNode.childForFieldName('type');
  return t?.childForFieldName('name')?.text ?? (t?.type === 'type_identifier' ? t.text : undefined);
}

function stripParensOf(node: Node): Node {
  let n = node;
  for (let i = 0; i < 32 && n.type === 'parenthesized_expression'; i++) {
    const inner = firstNamed(n);
    if (!inner) break;
    n = inner;
  }
  return n;
}

function extent(n: Node): { start: number; end: number } { return { start: n.startIndex, end: n.endIndex }; }

function functionDeclaratorOf(fn: Node): Node | null {
  let d = fn.childForFieldName('declarator');
  for (let i = 0; d && i < 8 && d.type !== 'function_declarator'; i++) d = d.childForFieldName('declarator');
  return d?.type === 'function_declarator' ? d : null;
}

function functionName(fn: Node): string | undefined {
  const name = functionDeclaratorOf(fn)?.childForFieldName('declarator');
  return name?.type === 'identifier' ? name.text : undefined;
}

function paramIndex(fn: Node, decl: Node): number {
  return namedArgs(functionDeclaratorOf(fn)?.childForFieldName('parameters') ?? null).findIndex((p) => p.id === decl.id);
}

/** Every node under `root`, iteratively; nested function bodies (lambdas) are not entered. */
function walk(root: Node, visit: (n: Node) => void): void {
  const cursor = root.walk();
  try {
    let guard = 0;
    for (;;) {
      if (guard++ > 200_000) return;
      const type = cursor.nodeType;
      if (type === 'subscript_expression' || type === 'binary_expression' || type === 'for_range_loop' || type === 'for_statement') visit(cursor.currentNode);
      if (type !== 'lambda_expression' && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) { if (!cursor.gotoParent()) return; }
    }
  } finally {
    cursor.delete();
  }
}


/** Statements that leave the loop iteration, the loop or the function (a guard before the I/O that skips it). */
const LEAVES = /\b(?:return|continue|break|goto|exit|_exit|abort|tst_brk|longjmp)\b/;
/** Of those, the ones that also end the loop (no later row is visited); `return` does when the rows are a loop's. */
const ENDS_LOOP = /\b(?:break|goto|exit|_exit|abort|tst_brk|longjmp)\b/;

/**
 * With a row bound in the model: does the code get from the start of `within` to `call` for this row?
 * `skip`: not for this row, as a condition around the call, or a guard before it that leaves
 * (`if (tc->exp_errno) { …; continue; }`), says so or reads the row and cannot be decided; `stop`:
 * such a guard ends the loop, so no later row is visited either.
 */
export function rowReaches(model: CFamilyModel, call: Node, within: { start: number; end: number }, loop: boolean): true | 'skip' | 'stop' {
  const scope = model.scopeFor(call);
  const judge = (cond: Node | null): number | 'unknown' | 'unknown-row' => {
    if (!cond) return 'unknown';
    const before = model.rowTouches.length;
    const v = model.evalNumber(cond, scope);
    const read = model.rowTouches.length > before;
    model.rowTouches.length = before;   // a condition supplies no value to the site
    return v ? v.value : read ? 'unknown-row' : 'unknown';
  };
  let child: Node = call;
  for (let p = call.parent; p && p.startIndex >= within.start && p.endIndex <= within.end; child = p, p = p.parent) {
    tickBudget();
    if (p.type === 'if_statement') {
      const consequence = p.childForFieldName('consequence');
      const alternative = p.childForFieldName('alternative');
      const inside = consequence?.id === child.id ? 'then' : alternative?.id === child.id ? 'else' : undefined;
      if (inside) {
        const v = judge(p.childForFieldName('condition'));
        if (v === 'unknown-row') return 'skip';
        if (typeof v === 'number' && (v !== 0) !== (inside === 'then')) return 'skip';
      }
    } else if (p.type === 'compound_statement') {
      for (const st of namedArgs(p)) {
        if (st.startIndex >= child.startIndex) break;
        const leaving = st.type === 'if_statement' ? st.childForFieldName('consequence')?.text ?? '' : '';
        if (!LEAVES.test(leaving)) continue;
        const v = judge(st.childForFieldName('condition'));
        if (v === 'unknown-row' || (typeof v === 'number' && v !== 0)) return ENDS_LOOP.test(leaving) || (loop && /\breturn\b/.test(leaving)) ? 'stop' : 'skip';
      }
    }
  }
  return true;
}
