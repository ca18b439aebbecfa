// Branch conditions that vouch for an O_DIRECT request's buffer. Storage code that takes buffers from
// its callers often checks them before the I/O and copies a misaligned one into an aligned bounce
// buffer: `if (!(flags & O_DIRECT) || ((uintptr_t)buf % 4096) == 0) return pwrite(fd, buf, n, off);`
// with `flags = fcntl(fd, F_GETFL)`. On that branch the descriptor is buffered or the buffer is aligned
// to 4096; either way the buffer is no cause of EINVAL, whatever the callers pass.
import type { Node } from 'web-tree-sitter';
import { tickBudget } from '../budget';
import { powerOfTwoAlignment } from '../values';
import type { BufferOrigin } from '../../types';
import { namedArgs, stripCasts, writesOf, type CFamilyModel, type Scope } from './c-family-model';

/**
 * What a condition guarantees about the buffer on one of its branches: `NOT_DIRECT` (the descriptor is
 * buffered there), an alignment in bytes, or `UNKNOWN_ALIGNMENT` (checked against a value the analysis
 * cannot derive, so the buffer's alignment is unknown and no finding may rest on it).
 */
export const NOT_DIRECT = Infinity;
const UNKNOWN_ALIGNMENT = 0;
type Vouch = number | undefined;

/** At most this many enclosing statements are read per call: a guard sits close to its I/O. */
const MAX_ENCLOSING = 24;

export interface CheckedBuffer {
  /** `NOT_DIRECT` when the branch only runs on a buffered descriptor, else the alignment it checks (0: a value nobody knows). */
  alignment: number;
  /** The condition as written, for the origin the hover shows. */
  condition: string;
}

/**
 * The guarantee the branches around `call` give its buffer `buf` on descriptor `fd`: the if statements
 * it sits in (then or else branch) and the early exits before it (`if (…) return …;`) in the same
 * function. Undefined when none vouches for the buffer, or when the buffer or the flags are assigned
 * between the check and the call.
 */
export function checkedBuffer(model: CFamilyModel, call: Node, buf: Node, fd: Node, scope: Scope): CheckedBuffer | undefined {
  const bufName = stripCasts(buf);
  if (bufName.type !== 'identifier') return undefined;
  const fdNode = stripCasts(fd);
  const fdField = fdNode.type === 'field_expression' ? fdNode.childForFieldName('field')?.text : undefined;
  const ctx: GuardContext = { model, scope, buf: bufName.text, fd: fdNode.text, fn: scope.root, fdField };
  let node: Node = call;
  for (let i = 0; i < MAX_ENCLOSING && node.parent && node.id !== scope.root.id; i++) {
    const parent: Node = node.parent;
    if (parent.type === 'if_statement') {
      const cond = parent.childForFieldName('condition');
      const inThen = parent.childForFieldName('consequence')?.id === node.id;
      const inElse = parent.childForFieldName('alternative')?.id === node.id;
      if (cond && (inThen || inElse) && untouchedBetween(ctx, cond, call)) {
        const v = vouch(ctx, cond, inThen, 0);
        if (v !== undefined) return { alignment: v, condition: cond.text };
      }
    } else if (parent.type === 'compound_statement') {
      for (const sibling of namedArgs(parent)) {
        if (sibling.startIndex >= node.startIndex) break;
        const cond = earlyExitCondition(sibling);
        if (!cond || !untouchedBetween(ctx, cond, call)) continue;
        const v = vouch(ctx, cond, false, 0);
        if (v !== undefined) return { alignment: v, condition: `!(${cond.text})` };
      }
    }
    node = parent;
  }
  return undefined;
}

interface GuardContext {
  model: CFamilyModel;
  scope: Scope;
  buf: string;
  fd: string;
  fn: Node;
  /** The struct field the descriptor is read from (`data->dev`): the program's own O_DIRECT option may be kept beside it. */
  fdField?: string;
}

/** `if (cond) return …;` (or goto, break, continue) with no else: the code after it runs when cond is false. */
function earlyExitCondition(statement: Node): Node | undefined {
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative')) return undefined;
  let then = statement.childForFieldName('consequence');
  if (then?.type === 'compound_statement') then = namedArgs(then).at(-1) ?? null;
  const exits = then && ['return_statement', 'goto_statement', 'break_statement', 'continue_statement'].includes(then.type);
  return exits ? statement.childForFieldName('condition') ?? undefined : undefined;
}

/** Neither the buffer nor a name the condition reads is assigned between the condition and the call. */
function untouchedBetween(ctx: GuardContext, cond: Node, call: Node): boolean {
  const text = ctx.model.text.slice(cond.endIndex, call.startIndex);
  const names = new Set([ctx.buf, ...(cond.text.match(/[A-Za-z_]\w*/g) ?? [])]);
  for (const name of names) {
    if (writesOf(name).test(text)) return false;
  }
  return true;
}

/**
 * The guarantee of `cond` evaluating to `truth`. `a || b` true needs both disjuncts' guarantees (the
 * weaker holds), false gives each (the stronger holds); `&&` the other way round; `!` flips.
 */
function vouch(ctx: GuardContext, cond: Node, truth: boolean, depth: number): Vouch {
  tickBudget();
  if (depth > 12) return undefined;
  const n = stripCasts(cond);
  if (n.type === 'parenthesized_expression' || n.type === 'condition_clause') {
    const inner = namedArgs(n).at(-1);
    return inner ? vouch(ctx, inner, truth, depth + 1) : undefined;
  }
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '!') {
    const arg = n.childForFieldName('argument');
    return arg ? vouch(ctx, arg, !truth, depth + 1) : undefined;
  }
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (!l || !r) return undefined;
    if (op === '||' || op === '&&') {
      const a = vouch(ctx, l, truth, depth + 1);
      const b = vouch(ctx, r, truth, depth + 1);
      // `a || b` true, `a && b` false: either side may be the one that holds
      return (op === '||') === truth ? weaker(a, b) : stronger(a, b);
    }
    if (op === '==' || op === '!=') {
      const zeroRight = isZero(r);
      const other = zeroRight ? l : isZero(l) ? r : undefined;
      // `x == 0` is `!x`
      if (other) return vouch(ctx, other, (op === '==') !== truth, depth + 1);
      return undefined;
    }
    // a value used as a condition: true when non-zero
    if (op === '&' && !truth && isDirectOption(ctx, l, r)) return NOT_DIRECT;
    if (op === '&' && !truth && namesODirect(r) && isDescriptorFlags(ctx, l)) return NOT_DIRECT;
    if (op === '&' && !truth && namesODirect(l) && isDescriptorFlags(ctx, r)) return NOT_DIRECT;
    if (!truth) return alignmentTest(ctx, n);
  }
  return undefined;
}

/** Both must hold: the weaker guarantee (an unknown alignment dominates: no finding may rest on it). */
function weaker(a: Vouch, b: Vouch): Vouch {
  if (a === undefined || b === undefined) return undefined;
  return Math.min(a, b);
}

/** Either holds: the stronger guarantee, but an unknown alignment on one side leaves the alignment unknown. */
function stronger(a: Vouch, b: Vouch): Vouch {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a === NOT_DIRECT || b === NOT_DIRECT) return NOT_DIRECT;
  if (a === UNKNOWN_ALIGNMENT || b === UNKNOWN_ALIGNMENT) return UNKNOWN_ALIGNMENT;
  return Math.max(a, b);
}

function isZero(n: Node): boolean {
  return /^0[uUlL]*$/.test(stripCasts(n).text.trim());
}

function namesODirect(n: Node): boolean {
  return /^(?:__)?O_DIRECT$/.test(stripCasts(n).text.trim());
}

/** `data->flags & IO_FLAG_DIRECT_IO`, where that option is what adds O_DIRECT to the open stored beside it (`data->dev`). */
function isDirectOption(ctx: GuardContext, option: Node, mask: Node): boolean {
  const field = stripCasts(option);
  if (!ctx.fdField || field.type !== 'field_expression') return false;
  const known = ctx.model.directOptionFor(ctx.fdField);
  return !!known && known.fields.includes(field.childForFieldName('field')?.text ?? '') && stripCasts(mask).text.trim() === known.mask;
}

/** `fcntl(fd, F_GETFL)` on the call's descriptor, or a name this function assigns from it. */
function isDescriptorFlags(ctx: GuardContext, n: Node): boolean {
  const bare = stripCasts(n);
  const getfl = (text: string) => new RegExp(`^fcntl(?:64)?\\s*\\(\\s*${escaped(ctx.fd)}\\s*,\\s*F_GETFL\\b`).test(text);
  if (bare.type === 'call_expression') return getfl(bare.text);
  if (bare.type !== 'identifier') return false;
  const body = ctx.model.text.slice(ctx.fn.startIndex, ctx.fn.endIndex);
  const assigns = [...body.matchAll(new RegExp(`\\b${bare.text}\\s*=(?!=)\\s*([^;]*);`, 'g'))];
  return assigns.length === 1 && getfl(assigns[0]![1]!.trim());
}

/**
 * `(uintptr_t)buf % N` or `(uintptr_t)buf & (N - 1)` (with N a power of two), as a value that is zero:
 * the buffer is aligned to N (an N the analysis cannot derive gives an unknown alignment).
 */
function alignmentTest(ctx: GuardContext, n: Node): Vouch {
  const op = n.childForFieldName('operator')?.text;
  const l = n.childForFieldName('left');
  const r = n.childForFieldName('right');
  if (!l || !r || (op !== '%' && op !== '&') || !isBuffer(ctx, l)) return undefined;
  const value = ctx.model.evalNumber(r, ctx.scope)?.value;
  if (value === undefined) return UNKNOWN_ALIGNMENT;
  if (op === '%') return value > 0 ? powerOfTwoAlignment(value) : undefined;
  const n1 = value + 1;
  return value >= 0 && (n1 & value) === 0 ? n1 : undefined;
}

function isBuffer(ctx: GuardContext, n: Node): boolean {
  let bare = stripCasts(n);
  for (let i = 0; i < 4 && bare.type === 'parenthesized_expression'; i++) bare = stripCasts(namedArgs(bare).at(-1) ?? bare);
  return bare.type === 'identifier' && bare.text === ctx.buf;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*');
}

/** The buffer as the branch vouches for it: aligned (to the page whatever it is, when the branch is buffered or aligned). */
export function checkedOrigin(checked: CheckedBuffer): BufferOrigin {
  const condition = checked.condition.replace(/\s+/g, ' ');
  const origin = `a branch checking ${condition.length > 48 ? `${condition.slice(0, 47)}…` : condition}`;
  if (checked.alignment === UNKNOWN_ALIGNMENT) return { state: 'unknown', origin };
  if (checked.alignment === NOT_DIRECT) return { state: 'aligned', alignedToPage: true, origin };
  return { state: 'aligned', alignment: checked.alignment, origin };
}
