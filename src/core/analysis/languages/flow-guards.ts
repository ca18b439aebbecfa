// The conditions around a helper's site that only the helper's parameters decide, for the languages of
// the abstract walk (Go, Python). A helper that writes a block multiple as it is and pads anything else
// reaches its direct write only from the calls that pass a block multiple: each call's arguments
// decide the condition, and a call that decides it the other way does not reach the site
// (interprocedural.ts drops the site's facts for that call). Each language says which conditions are
// pure (arithmetic of parameters, of locals computed once from them, and of constants, so that
// evaluating them again with a call's arguments has no effect) and how its syntax nests them.
import type { Node } from 'web-tree-sitter';
import type { DerivedNumber, ParamRef } from '../../types';
import { expressionKey } from '../interprocedural';
import { type AV, Env, UNKNOWN, fieldChild as fc } from './flow';

/** The most conditions of one function evaluated at each of its calls (and recorded around one site). */
export const MAX_GUARDS = 8;
/** Nodes of a condition (and of the locals it reads) beyond this are not looked at: no guard. */
export const MAX_GUARD_NODES = 200;
export const COMPARE: Record<string, (x: number, y: number) => boolean> = {
  '==': (x, y) => x === y, '!=': (x, y) => x !== y, '<': (x, y) => x < y, '<=': (x, y) => x <= y, '>': (x, y) => x > y, '>=': (x, y) => x >= y,
};

export interface GuardCondition {
  readonly node: Node;
  /** Where it lies from the start of the function (the key its value has at each call). */
  readonly ref: ParamRef;
  /** The locals it reads, each defined once from parameters and constants, in the order they are defined. */
  readonly locals: readonly { name: string; value: Node }[];
}

/** The language's evaluation of a condition: 1 or 0 when the arguments decide it. */
export type Truth = (node: Node, env: Env, evaluate: (n: Node, env: Env) => AV) => number | undefined;

/** A reference to a condition of `fn` (its function name is filled in where the site is recorded). */
export function conditionRef(fn: Node, cond: Node): ParamRef {
  return { fn: '', index: -1, name: cond.text, part: 'expression', at: cond.startIndex - fn.startIndex, length: cond.endIndex - cond.startIndex };
}

/**
 * The value (1 or 0) of each condition that one call's arguments decide, keyed as the sites' guards are
 * (CallRecord.expressions). `names`: the function's parameters by call position; `args`: the call's values.
 */
export function guardValues(names: readonly (string | undefined)[], conditions: readonly GuardCondition[], args: readonly (AV | undefined)[],
  truth: Truth, evaluate: (n: Node, env: Env) => AV): Record<string, DerivedNumber> | undefined {
  if (!conditions.length) return undefined;
  let out: Record<string, DerivedNumber> | undefined;
  for (const c of conditions) {
    const env = new Env();
    names.forEach((name, i) => { if (name) env.declare(name, args[i] ?? UNKNOWN); });
    for (const l of c.locals) env.declare(l.name, evaluate(l.value, env));
    const v = truth(c.node, env, evaluate);
    if (v !== undefined) (out ??= {})[expressionKey(c.ref)] = { known: true, value: v, text: c.node.text };
  }
  return out;
}

/** The guards of a site, from the conditions found around it (`fnKey`: the function as its calls name it). */
export function guardsOf(found: readonly { cond: Node; holds: boolean }[], conditions: readonly GuardCondition[], fnKey: string): { condition: ParamRef; holds: boolean }[] {
  if (!conditions.length) return [];
  const byStart = new Map(conditions.map((c) => [c.node.startIndex, c]));
  const out: { condition: ParamRef; holds: boolean }[] = [];
  for (const { cond, holds } of found) {
    const g = byStart.get(cond.startIndex);
    if (g && g.node.endIndex === cond.endIndex && out.length < MAX_GUARDS) out.push({ condition: { ...g.ref, fn: fnKey }, holds });
  }
  return out;
}

/**
 * Which conditions a function's definitions let its parameters decide. `defs`: every definition of each
 * name in the function (null value: not one known expression); `params`: the parameters that are one
 * argument each; `scopeHolds(def, use)`: the definition is the one `use` sees; `pure` and `namesRead`
 * the language's. A condition qualifies when it is pure and every name it reads is such a parameter
 * (never defined in the function), a local defined once from them, or a constant.
 */
export function decidableConditions(fn: Node, conditions: readonly Node[], defs: ReadonlyMap<string, readonly { value: Node | null; at: Node }[]>,
  params: ReadonlySet<string>, isConstant: (name: string) => boolean, scopeHolds: (def: Node, use: Node) => boolean,
  pure: (n: Node) => boolean, namesRead: (n: Node) => string[]): GuardCondition[] {
  const out: GuardCondition[] = [];
  for (const cond of [...conditions].sort((a, b) => a.startIndex - b.startIndex)) {
    if (out.length >= MAX_GUARDS) break;
    const locals = new Map<string, Node>();
    let readsParam = false;
    const valued = (name: string, use: Node, depth: number): boolean => {
      const d = defs.get(name);
      if (params.has(name)) { if (!d) readsParam = true; return !d; }
      if (!d) return isConstant(name);
      const { value, at } = d[0]!;
      if (d.length !== 1 || !value || depth > 3) return false;
      if (at.endIndex > use.startIndex || !scopeHolds(at, use) || !pure(value)) return false;
      if (!namesRead(value).every((nm) => valued(nm, value, depth + 1))) return false;
      locals.set(name, value);
      return true;
    };
    if (!pure(cond) || !namesRead(cond).every((nm) => valued(nm, cond, 0)) || !readsParam) continue;
    out.push({ node: cond, ref: conditionRef(fn, cond), locals: [...locals].sort((a, b) => a[1].startIndex - b[1].startIndex).map(([name, value]) => ({ name, value })) });
  }
  return out;
}

/**
 * Is the expression made only of nodes of `types` (at most MAX_GUARD_NODES), with every `call` node one
 * that `callAllowed` accepts (`len(x)`)? Evaluating such an expression again has no effect.
 */
export function pureExpression(node: Node, types: ReadonlySet<string>, call: string, callAllowed: (call: Node) => boolean): boolean {
  const stack = [node];
  for (let count = 0; stack.length; count++) {
    const n = stack.pop()!;
    if (count > MAX_GUARD_NODES || !types.has(n.type) || (n.type === call && !callAllowed(n))) return false;
    stack.push(...n.namedChildren);
  }
  return true;
}

/** The bare names an expression reads: of a `call` node only its arguments, nothing under a `skip` node. */
export function namesReadIn(node: Node, call: string, skip?: string): string[] {
  const out: string[] = [];
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier') { out.push(n.text); continue; }
    if (n.type === skip) continue;
    if (n.type === call) { const args = fc(n, 'arguments'); if (args) stack.push(args); continue; }
    stack.push(...n.namedChildren);
  }
  return out;
}

/** `a && b` (`and`) or `a || b` (`or`) of two conditions each 1, 0 or undecided: 1 or 0 when one side decides. */
export function logical(and: boolean, a: number | undefined, b: () => number | undefined): number | undefined {
  if (a !== undefined && (and ? !a : a)) return a;
  const right = b();
  return a === undefined ? (right !== undefined && (and ? !right : right) ? right : undefined) : right;
}
