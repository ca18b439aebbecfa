// Go: the conditions around a helper's site that only its parameters decide. A helper that writes a
// block-multiple length as it is and pads anything else (`if len(data) == alignedSize { return
// file.Write(data) }`) reaches its direct write only from the calls that pass a block multiple; each
// call's arguments decide the condition, and a call that decides it the other way does not reach the
// site (interprocedural.ts drops the site's facts for that call). A condition is taken only when it is
// pure arithmetic of the parameters, of locals computed once from them, and of constants, so that
// evaluating it again with a call's arguments has no effect and gives what the program computes.
import type { Node } from 'web-tree-sitter';
import type { DerivedNumber, ParamRef } from '../../types';
import { expressionKey } from '../interprocedural';
import { type AV, Env, UNKNOWN, fieldChild as fc } from './flow';

/** The most conditions of one function evaluated at each of its calls (and recorded around one site). */
export const MAX_GUARDS = 8;
/** Nodes of a condition (and of the locals it reads) beyond this are not looked at: no guard. */
const MAX_GUARD_NODES = 200;
const COMPARE: Record<string, (x: number, y: number) => boolean> = {
  '==': (x, y) => x === y, '!=': (x, y) => x !== y, '<': (x, y) => x < y, '<=': (x, y) => x <= y, '>': (x, y) => x > y, '>=': (x, y) => x >= y,
};
/** What a guard may contain: arithmetic, comparisons, `len`/`cap`, names and constants (no call, no receive). */
const PURE_TYPES = new Set([
  'identifier', 'int_literal', 'binary_expression', 'unary_expression', 'parenthesized_expression', 'true', 'false',
  'selector_expression', 'field_identifier', 'package_identifier', 'call_expression', 'argument_list',
]);

export interface GuardCondition {
  readonly node: Node;
  /** Where it lies from the start of the function (the key its value has at each call). */
  readonly ref: ParamRef;
  /** The locals it reads, each defined once from parameters and constants, in the order they are defined. */
  readonly locals: readonly { name: string; value: Node }[];
}

/** A function's parameter names, by position (the receiver excluded), as its calls pass them. */
export function parameterNames(fn: Node): string[] {
  const names: string[] = [];
  for (const p of fc(fn, 'parameters')?.namedChildren ?? []) {
    if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
    for (const nm of p.childrenForFieldName('name')) names.push(nm.text);
  }
  return names;
}

function isPure(node: Node): boolean {
  const stack = [node];
  for (let count = 0; stack.length; count++) {
    const n = stack.pop()!;
    if (count > MAX_GUARD_NODES || !PURE_TYPES.has(n.type)) return false;
    if (n.type === 'call_expression') {
      const f = fc(n, 'function');
      if (f?.type !== 'identifier' || (f.text !== 'len' && f.text !== 'cap')) return false;
    }
    if (n.type === 'unary_expression' && fc(n, 'operator')?.text === '<-') return false;
    stack.push(...n.namedChildren);
  }
  return true;
}

/** The bare names an expression reads (not the fields of selectors, nor a package's name before its member). */
function namesRead(node: Node): string[] {
  const out: string[] = [];
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier') { out.push(n.text); continue; }
    if (n.type === 'selector_expression') continue;
    if (n.type === 'call_expression') { const args = fc(n, 'arguments'); if (args) stack.push(args); continue; }
    stack.push(...n.namedChildren);
  }
  return out;
}

/** The innermost block-like node around `n` (what scopes a `:=` there). */
function scopeOf(n: Node): Node | null {
  let p = n.parent;
  while (p && p.type !== 'block' && p.type !== 'function_declaration' && p.type !== 'method_declaration' && p.type !== 'func_literal') p = p.parent;
  return p;
}

const within = (inner: Node, outer: Node): boolean => inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;

/**
 * The conditions of the function's `if` statements that only its parameters (never assigned in the
 * function), locals defined once from them, and constants decide. `isConstant`: a name the package
 * declares as a constant.
 */
export function guardConditionsOf(fn: Node, isConstant: (name: string) => boolean): GuardCondition[] {
  const body = fc(fn, 'body');
  if (!body) return [];
  // a variadic parameter is no single argument of the call
  const variadic = new Set((fc(fn, 'parameters')?.namedChildren ?? []).filter((p) => p.type === 'variadic_parameter_declaration')
    .flatMap((p) => p.childrenForFieldName('name').map((nm) => nm.text)));
  const params = new Set(parameterNames(fn).filter((nm) => !variadic.has(nm)));
  // every definition and assignment of each name in the function (a name defined more than once, or
  // assigned, has no single value); and the conditions of the `if` statements outside function literals
  const defs = new Map<string, { value: Node | null; at: Node }[]>();
  const define = (name: string, value: Node | null, at: Node) => {
    const list = defs.get(name);
    if (list) list.push({ value, at }); else defs.set(name, [{ value, at }]);
  };
  const conditions: Node[] = [];
  const stack: { n: Node; inLiteral: boolean }[] = [{ n: body, inLiteral: false }];
  while (stack.length) {
    const { n, inLiteral } = stack.pop()!;
    switch (n.type) {
      case 'short_var_declaration': case 'assignment_statement': {
        const left = fc(n, 'left')?.namedChildren ?? [];
        const right = fc(n, 'right')?.namedChildren ?? [];
        const single = n.type === 'short_var_declaration' && left.length === right.length;
        left.forEach((l, i) => { if (l.type === 'identifier') define(l.text, single && !inLiteral ? right[i]! : null, n); });
        break;
      }
      case 'var_spec': {
        const names = n.childrenForFieldName('name');
        const values = fc(n, 'value')?.namedChildren ?? [];
        names.forEach((nm, i) => define(nm.text, values.length === names.length && !inLiteral ? values[i]! : null, n));
        break;
      }
      case 'inc_statement': case 'dec_statement': {
        const target = n.namedChildren[0];
        if (target?.type === 'identifier') define(target.text, null, n);
        break;
      }
      case 'range_clause': {
        for (const l of fc(n, 'left')?.namedChildren ?? []) if (l.type === 'identifier') define(l.text, null, n);
        break;
      }
      case 'unary_expression': {
        // `&x` lets anything change x
        const operand = fc(n, 'operand');
        if (fc(n, 'operator')?.text === '&' && operand?.type === 'identifier') define(operand.text, null, n);
        break;
      }
      case 'if_statement':
        if (!inLiteral && !fc(n, 'initializer')) { const c = fc(n, 'condition'); if (c) conditions.push(c); }
        break;
    }
    for (const c of n.namedChildren) stack.push({ n: c, inLiteral: inLiteral || c.type === 'func_literal' });
  }
  const out: GuardCondition[] = [];
  conditions.sort((a, b) => a.startIndex - b.startIndex);
  for (const cond of conditions) {
    if (out.length >= MAX_GUARDS) break;
    const locals = new Map<string, Node>();
    let readsParam = false;
    // Can the name be valued at `use` from the parameters alone (recording the locals that takes)?
    const valued = (name: string, use: Node, depth: number): boolean => {
      const d = defs.get(name);
      if (params.has(name)) { if (!d) readsParam = true; return !d; }
      if (!d) return !variadic.has(name) && isConstant(name);
      const { value, at } = d[0]!;
      if (d.length !== 1 || !value || depth > 3) return false;
      const scope = scopeOf(at);
      if (at.endIndex > use.startIndex || !scope || !within(use, scope) || !isPure(value)) return false;
      if (!namesRead(value).every((nm) => valued(nm, value, depth + 1))) return false;
      locals.set(name, value);
      return true;
    };
    if (!isPure(cond) || !namesRead(cond).every((nm) => valued(nm, cond, 0)) || !readsParam) continue;
    const ref: ParamRef = { fn: '', index: -1, name: cond.text, part: 'expression', at: cond.startIndex - fn.startIndex, length: cond.endIndex - cond.startIndex };
    out.push({ node: cond, ref, locals: [...locals].sort((a, b) => a[1].startIndex - b[1].startIndex).map(([name, value]) => ({ name, value })) });
  }
  return out;
}

/** Does the block always leave the function (its last statement a return)? */
function returns(block: Node | null): boolean {
  const list = block?.namedChildren.find((c) => c.type === 'statement_list') ?? block;
  return list?.lastNamedChild?.type === 'return_statement';
}

/**
 * The guards of `site` among the function's conditions (`fnKey`: the function as its calls name it):
 * an `if` around it (`holds`: on the consequence), or an earlier `if` of an enclosing block that returns.
 * None inside a function literal, which may run at another time.
 */
export function guardsAround(site: Node, fn: Node, conditions: readonly GuardCondition[], fnKey: string): { condition: ParamRef; holds: boolean }[] {
  if (!conditions.length) return [];
  const byStart = new Map(conditions.map((c) => [c.node.startIndex, c]));
  const guard = (cond: Node | null): ParamRef | undefined => {
    const g = cond ? byStart.get(cond.startIndex) : undefined;
    return g && g.node.endIndex === cond!.endIndex ? { ...g.ref, fn: fnKey } : undefined;
  };
  const out: { condition: ParamRef; holds: boolean }[] = [];
  for (let child: Node = site, p = site.parent; p && p.id !== fn.id && out.length < MAX_GUARDS; child = p, p = p.parent) {
    if (p.type === 'func_literal') return [];
    if (p.type === 'if_statement') {
      const ref = guard(fc(p, 'condition'));
      const onConsequence = fc(p, 'consequence')?.id === child.id;
      if (ref && (onConsequence || fc(p, 'alternative')?.id === child.id)) out.push({ condition: ref, holds: onConsequence });
    } else if (p.type === 'statement_list' || p.type === 'block') {
      for (const s of p.namedChildren) {
        if (s.startIndex >= child.startIndex) break;
        if (s.type !== 'if_statement' || fc(s, 'alternative') || !returns(fc(s, 'consequence'))) continue;
        const ref = guard(fc(s, 'condition'));
        if (ref) out.push({ condition: ref, holds: false });
      }
    }
  }
  return out.slice(0, MAX_GUARDS);
}

/** 1 or 0 for a condition, when `evaluate` (the analysis's arithmetic) makes both sides known. */
function truth(node: Node, env: Env, evaluate: (n: Node, env: Env) => AV): number | undefined {
  if (node.type === 'parenthesized_expression' && node.namedChildCount === 1) return truth(node.namedChildren[0]!, env, evaluate);
  if (node.type === 'true') return 1;
  if (node.type === 'false') return 0;
  if (node.type === 'unary_expression' && fc(node, 'operator')?.text === '!') {
    const v = truth(fc(node, 'operand')!, env, evaluate);
    return v === undefined ? undefined : v ? 0 : 1;
  }
  if (node.type === 'binary_expression') {
    const op = fc(node, 'operator')?.text ?? '';
    const left = fc(node, 'left');
    const right = fc(node, 'right');
    if (!left || !right) return undefined;
    if (op === '&&' || op === '||') {
      const a = truth(left, env, evaluate);
      if (a !== undefined && (op === '&&' ? !a : a)) return a;
      const b = truth(right, env, evaluate);
      return a === undefined ? (b !== undefined && (op === '&&' ? !b : b) ? b : undefined) : b;
    }
    const compare = COMPARE[op];
    if (compare) {
      const a = evaluate(left, env);
      const b = evaluate(right, env);
      return a.k === 'num' && b.k === 'num' ? (compare(a.value, b.value) ? 1 : 0) : undefined;
    }
  }
  return undefined;
}

/**
 * The value (1 or 0) of each condition that one call's arguments decide, keyed as the sites' guards are
 * (CallRecord.expressions). `args`: the call's values by parameter position.
 */
export function guardValues(fn: Node, conditions: readonly GuardCondition[], args: readonly AV[], evaluate: (n: Node, env: Env) => AV): Record<string, DerivedNumber> | undefined {
  if (!conditions.length) return undefined;
  const names = parameterNames(fn);
  let out: Record<string, DerivedNumber> | undefined;
  for (const c of conditions) {
    const env = new Env();
    names.forEach((name, i) => env.declare(name, args[i] ?? UNKNOWN));
    for (const l of c.locals) env.declare(l.name, evaluate(l.value, env));
    const v = truth(c.node, env, evaluate);
    if (v !== undefined) (out ??= {})[expressionKey(c.ref)] = { known: true, value: v, text: c.node.text };
  }
  return out;
}
