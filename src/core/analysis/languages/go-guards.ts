// Go's syntax for the guards of flow-guards.ts: which `if` conditions of a function its parameters
// decide (`if len(data) == alignedSize`, with `alignedSize` a local computed once from `len(data)`), and
// which of them stand around a site, as an enclosing `if` or an earlier `if … { return … }`.
import type { Node } from 'web-tree-sitter';
import type { ParamRef } from '../../types';
import { type AV, Env, fieldChild as fc } from './flow';
import { COMPARE, decidableConditions, guardsOf, guardValues as valuesOf, logical, namesReadIn, pureExpression, type GuardCondition } from './flow-guards';

export type { GuardCondition } from './flow-guards';

/** What a guard may contain: arithmetic, comparisons, `len`/`cap`, names and constants (no call, no receive). */
const PURE_TYPES = new Set([
  'identifier', 'int_literal', 'binary_expression', 'unary_expression', 'parenthesized_expression', 'true', 'false',
  'selector_expression', 'field_identifier', 'package_identifier', 'call_expression', 'argument_list',
]);

/** A function's parameter names, by position (the receiver excluded), as its calls pass them. */
export function parameterNames(fn: Node): string[] {
  const names: string[] = [];
  for (const p of fc(fn, 'parameters')?.namedChildren ?? []) {
    if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
    for (const nm of p.childrenForFieldName('name')) names.push(nm.text);
  }
  return names;
}

/** Only `len`/`cap` may be called, and no channel is received from. */
const isPure = (node: Node): boolean => pureExpression(node, PURE_TYPES, 'call_expression', (call) => {
  const f = fc(call, 'function');
  return f?.type === 'identifier' && (f.text === 'len' || f.text === 'cap');
}) && !hasReceive(node);

function hasReceive(node: Node): boolean {
  if (node.type === 'unary_expression' && fc(node, 'operator')?.text === '<-') return true;
  return node.namedChildren.some(hasReceive);
}

/** The bare names an expression reads (not the fields of selectors, nor a package's name before its member). */
const namesRead = (node: Node): string[] => namesReadIn(node, 'call_expression', 'selector_expression');

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
  const scopeHolds = (at: Node, use: Node): boolean => { const scope = scopeOf(at); return !!scope && within(use, scope); };
  return decidableConditions(fn, conditions, defs, params, (name) => !variadic.has(name) && isConstant(name), scopeHolds, isPure, namesRead);
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
  const found: { cond: Node; holds: boolean }[] = [];
  for (let child: Node = site, p = site.parent; p && p.id !== fn.id; child = p, p = p.parent) {
    if (p.type === 'func_literal') return [];
    if (p.type === 'if_statement') {
      const cond = fc(p, 'condition');
      const onConsequence = fc(p, 'consequence')?.id === child.id;
      if (cond && (onConsequence || fc(p, 'alternative')?.id === child.id)) found.push({ cond, holds: onConsequence });
    } else if (p.type === 'statement_list' || p.type === 'block') {
      for (const s of p.namedChildren) {
        if (s.startIndex >= child.startIndex) break;
        const cond = fc(s, 'condition');
        if (s.type === 'if_statement' && cond && !fc(s, 'alternative') && returns(fc(s, 'consequence'))) found.push({ cond, holds: false });
      }
    }
  }
  return guardsOf(found, conditions, fnKey);
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
    if (op === '&&' || op === '||') return logical(op === '&&', truth(left, env, evaluate), () => truth(right, env, evaluate));
    const compare = COMPARE[op];
    if (compare) {
      const a = evaluate(left, env);
      const b = evaluate(right, env);
      return a.k === 'num' && b.k === 'num' ? (compare(a.value, b.value) ? 1 : 0) : undefined;
    }
  }
  return undefined;
}

/** What one call's arguments decide of the function's conditions (CallRecord.expressions). */
export function guardValues(fn: Node, conditions: readonly GuardCondition[], args: readonly AV[], evaluate: (n: Node, env: Env) => AV): ReturnType<typeof valuesOf> {
  return valuesOf(parameterNames(fn), conditions, args, truth, evaluate);
}
