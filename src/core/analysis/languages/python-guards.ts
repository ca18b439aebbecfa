// Python's syntax for the guards of flow-guards.ts: which `if` conditions of a function its parameters
// decide (`if len(data) % BLOCK == 0:`, or a local computed once from them), and which of them stand
// around a site, as an enclosing `if`/`else` or an earlier `if …: return` (or `raise`).
import type { Node } from 'web-tree-sitter';
import type { ParamRef } from '../../types';
import { type AV, Env, fieldChild as fc } from './flow';
import { COMPARE, decidableConditions, guardsOf, guardValues as valuesOf, logical, namesReadIn, pureExpression, type GuardCondition } from './flow-guards';

/** What a guard may contain: arithmetic, comparisons, `and`/`or`/`not`, `len()`, names and numbers. */
const PURE_TYPES = new Set([
  'identifier', 'integer', 'binary_operator', 'unary_operator', 'comparison_operator', 'boolean_operator', 'not_operator',
  'parenthesized_expression', 'true', 'false', 'call', 'argument_list',
]);
/** Nested scopes: their names are their own, and their code runs at another time. */
const NESTED = new Set(['function_definition', 'lambda', 'class_definition']);

/**
 * The parameter names by call position, as the analysis numbers them: `self` of a method is not one,
 * and `*args`/`**kwargs` take no position (and decide nothing).
 */
export function parameterNames(fn: Node, isMethod: boolean): string[] {
  const names: string[] = [];
  (fc(fn, 'parameters')?.namedChildren ?? []).forEach((p, i) => {
    const name = p.type === 'identifier' ? p.text : fc(p, 'name')?.text ?? (p.type === 'typed_parameter' ? p.namedChildren[0]?.text : undefined);
    if (!name || (i === 0 && isMethod)) return;
    names.push(name);
  });
  return names;
}

/** `len(x)` is the only call. */
const isPure = (node: Node): boolean => pureExpression(node, PURE_TYPES, 'call', (call) => {
  const f = fc(call, 'function');
  return f?.type === 'identifier' && f.text === 'len' && (fc(call, 'arguments')?.namedChildren.length ?? 0) === 1;
});

const namesRead = (node: Node): string[] => namesReadIn(node, 'call');

/**
 * The conditions of the function's `if` and `elif` statements that only its parameters (never bound
 * again in the function), locals bound once from them, and module constants decide.
 */
export function guardConditionsOf(fn: Node, isMethod: boolean, isConstant: (name: string) => boolean): GuardCondition[] {
  const body = fc(fn, 'body');
  if (!body) return [];
  const params = new Set(parameterNames(fn, isMethod));
  const defs = new Map<string, { value: Node | null; at: Node }[]>();
  const define = (name: string, value: Node | null, at: Node) => {
    const list = defs.get(name);
    if (list) list.push({ value, at }); else defs.set(name, [{ value, at }]);
  };
  /** Every name a binding target binds (`a, b = …`, `for i in …`, `with … as f`). */
  const bindAll = (target: Node | null, at: Node) => {
    if (!target) return;
    if (target.type === 'identifier') define(target.text, null, at);
    else for (const c of target.namedChildren) bindAll(c, at);
  };
  const conditions: Node[] = [];
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'assignment': {
        const left = fc(n, 'left');
        const right = fc(n, 'right');
        if (left?.type === 'identifier') define(left.text, right && right.type !== 'assignment' ? right : null, n);
        else bindAll(left, n);
        break;
      }
      case 'augmented_assignment': bindAll(fc(n, 'left'), n); break;
      case 'named_expression': bindAll(fc(n, 'name'), n); break;
      case 'for_statement': case 'for_in_clause': bindAll(fc(n, 'left'), n); break;
      case 'as_pattern': bindAll(fc(n, 'alias'), n); break;
      case 'global_statement': case 'nonlocal_statement': case 'delete_statement': case 'import_statement': case 'import_from_statement':
        bindAll(n, n); break;
      case 'if_statement': case 'elif_clause': { const c = fc(n, 'condition'); if (c) conditions.push(c); break; }
    }
    for (const c of n.namedChildren) if (!NESTED.has(c.type)) stack.push(c);
  }
  // Python binds a name for its whole function: a definition anywhere before the use that is the only one is the one it sees
  return decidableConditions(fn, conditions, defs, params, isConstant, () => true, isPure, namesRead);
}

/** Does the block always leave the function (its last statement a return or a raise)? */
function leaves(block: Node | null): boolean {
  const last = block?.lastNamedChild;
  return last?.type === 'return_statement' || last?.type === 'raise_statement';
}

/** The guards of `site` among the function's conditions (`fnKey`: the function as its calls name it). */
export function guardsAround(site: Node, fn: Node, conditions: readonly GuardCondition[], fnKey: string): { condition: ParamRef; holds: boolean }[] {
  if (!conditions.length) return [];
  const found: { cond: Node; holds: boolean }[] = [];
  for (let child: Node = site, p = site.parent; p && p.id !== fn.id; child = p, p = p.parent) {
    if (NESTED.has(p.type)) return [];
    if (p.type === 'if_statement' || p.type === 'elif_clause') {
      const cond = fc(p, 'condition');
      if (!cond) continue;
      if (fc(p, 'consequence')?.id === child.id) found.push({ cond, holds: true });
      // an `elif` or `else` of this `if`: its condition was false
      else if (p.type === 'if_statement' && p.childrenForFieldName('alternative').some((a) => a.id === child.id)) found.push({ cond, holds: false });
    } else if (p.type === 'block') {
      for (const s of p.namedChildren) {
        if (s.startIndex >= child.startIndex) break;
        const cond = fc(s, 'condition');
        if (s.type === 'if_statement' && cond && !s.childrenForFieldName('alternative').length && leaves(fc(s, 'consequence'))) found.push({ cond, holds: false });
      }
    }
  }
  // an `elif`'s own condition held, and the `if` before it did not: both are found walking up
  return guardsOf(found, conditions, fnKey);
}

function truth(node: Node, env: Env, evaluate: (n: Node, env: Env) => AV): number | undefined {
  if (node.type === 'parenthesized_expression' && node.namedChildCount === 1) return truth(node.namedChildren[0]!, env, evaluate);
  if (node.type === 'true') return 1;
  if (node.type === 'false') return 0;
  if (node.type === 'not_operator') {
    const arg = fc(node, 'argument');
    const v = arg ? truth(arg, env, evaluate) : undefined;
    return v === undefined ? undefined : v ? 0 : 1;
  }
  if (node.type === 'boolean_operator') {
    const op = fc(node, 'operator')?.text;
    const left = fc(node, 'left');
    const right = fc(node, 'right');
    if (!left || !right || (op !== 'and' && op !== 'or')) return undefined;
    return logical(op === 'and', truth(left, env, evaluate), () => truth(right, env, evaluate));
  }
  if (node.type === 'comparison_operator') {
    // one comparison of two operands (a chain, `is` or `in` decides nothing here)
    const operands = node.namedChildren;
    const ops = node.children.filter((c) => !c.isNamed);
    const compare = operands.length === 2 && ops.length === 1 ? COMPARE[ops[0]!.text] : undefined;
    if (!compare) return undefined;
    const a = evaluate(operands[0]!, env);
    const b = evaluate(operands[1]!, env);
    return a.k === 'num' && b.k === 'num' ? (compare(a.value, b.value) ? 1 : 0) : undefined;
  }
  const v = evaluate(node, env);
  return v.k === 'num' ? (v.value !== 0 ? 1 : 0) : undefined;
}

/** What one call's arguments decide of the function's conditions (CallRecord.expressions). */
export function guardValues(fn: Node, isMethod: boolean, conditions: readonly GuardCondition[], args: readonly (AV | undefined)[], evaluate: (n: Node, env: Env) => AV): ReturnType<typeof valuesOf> {
  return valuesOf(parameterNames(fn, isMethod), conditions, args, truth, evaluate);
}
