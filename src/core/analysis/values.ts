// Shared constant arithmetic. Language extractors decide what a node means; these helpers only
// do the arithmetic, so `1ULL << 17`, `128 * 1024`, `0x20000` and `131_072` agree in every language.

/** Parses an integer literal in C, C++, Rust, Go or Python spelling. Returns undefined for floats or garbage. */
export function parseIntegerLiteral(raw: string): number | undefined {
  let text = raw.trim().replace(/[_']/g, '');   // Rust/Go/Python `_` and C++14 `'` digit separators
  // C/C++ suffixes (u, l, ul, ull, z…), Rust type suffixes (u64, i32, usize…)
  text = text.replace(/(?:[iu](?:8|16|32|64|128|size)|[uUlLzZ]+)$/, '');
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = parseInt(text.slice(2), 16);
  else if (/^0[bB][01]+$/.test(text)) value = parseInt(text.slice(2), 2);
  else if (/^0[oO][0-7]+$/.test(text)) value = parseInt(text.slice(2), 8);
  else if (/^0[0-7]+$/.test(text)) value = parseInt(text.slice(1), 8);  // C/Go legacy octal
  else if (/^[0-9]+$/.test(text)) value = parseInt(text, 10);
  else return undefined;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Integer arithmetic with C-like semantics for the operators constants use. Undefined when not computable. */
export function evalBinary(op: string, a: number, b: number): number | undefined {
  let r: number;
  switch (op) {
    case '+': r = a + b; break;
    case '-': r = a - b; break;
    case '*': r = a * b; break;
    case '/': case '//': if (b === 0) return undefined; r = Math.trunc(a / b); break;
    case '%': if (b === 0) return undefined; r = a % b; break;
    case '<<': if (b < 0 || b > 62) return undefined; r = a * 2 ** b; break;
    case '>>': if (b < 0 || b > 62) return undefined; r = Math.floor(a / 2 ** b); break;
    case '&': r = Number(BigInt(a) & BigInt(b)); break;
    case '|': r = Number(BigInt(a) | BigInt(b)); break;
    case '^': r = Number(BigInt(a) ^ BigInt(b)); break;
    case '&^': r = Number(BigInt(a) & ~BigInt(b)); break;   // Go bit clear
    case '**': r = a ** b; break;
    default: return undefined;
  }
  return Number.isSafeInteger(r) ? r : undefined;
}

export function evalUnary(op: string, a: number): number | undefined {
  switch (op) {
    case '-': return -a;
    case '+': return a;
    case '~': case '^': return Number(~BigInt(a));  // Go spells bitwise not as unary ^
    default: return undefined;
  }
}

/** Smallest multiple of `of` that is ≥ value (the "round up" quick fix). */
export function roundUp(value: number, of: number): number { return Math.ceil(value / of) * of; }

/** Largest power of two dividing `value` (Infinity for 0). */
export function powerOfTwoAlignment(value: number): number {
  if (value === 0) return Infinity;
  let a = 1;
  while (a < 2 ** 52 && value % (a * 2) === 0) a *= 2;
  return a;
}
