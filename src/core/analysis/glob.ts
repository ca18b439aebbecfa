// Exclude globs (`--exclude`, `zfsDio.exclude`, `files.exclude`). Patterns and paths may both come from
// the scanned workspace, so matching must cost time linear in the path whatever the pattern: no
// backtracking regex engine may run a pattern like `*a*a*a*a*a*a*b`. zeptomatch turns a glob into a
// regular expression without look-arounds; a pattern whose expression could backtrack is run by re2js
// (RE2's linear-time automaton), the rest by V8, which is faster and cannot backtrack on them.
import zeptomatch from 'zeptomatch';
import { RE2JS } from 're2js';

/** A pattern that cannot be used; `reason` says why, in words for a usage error or a warning. */
export class InvalidGlobError extends Error {
  constructor(readonly pattern: string, readonly reason: string) {
    super(`invalid exclude pattern '${pattern}': ${reason}`);
    this.name = 'InvalidGlobError';
  }
}

interface Matcher { test(path: string): boolean }

/**
 * True when V8's backtracking engine runs `source` in linear time: at most one quantifier, on a
 * single-character atom (`.`, a class, one character). Two quantifiers (`.*?a.*?`) can backtrack
 * polynomially, a quantified group exponentially.
 */
function isBacktrackFree(source: string): boolean {
  let quantifiers = 0;
  let previousAtomIsChar = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') { i++; previousAtomIsChar = true; continue; }
    if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      previousAtomIsChar = true;
      continue;
    }
    if (c === '*' || c === '+' || (c === '?' && source[i - 1] !== '(') || c === '{') {
      // `?` right after a quantifier only makes it lazy; `(?:` is a group, not a quantifier.
      if (c === '?' && (source[i - 1] === '*' || source[i - 1] === '+' || source[i - 1] === '?' || source[i - 1] === '}')) continue;
      if (c === '{') { const close = source.indexOf('}', i); if (close > 0) i = close; }
      quantifiers++;
      if (!previousAtomIsChar || quantifiers > 1) return false;
      previousAtomIsChar = false;
      continue;
    }
    previousAtomIsChar = c !== '(' && c !== ')' && c !== '|' && c !== '^' && c !== '$';
  }
  return true;
}

function compile(glob: string): Matcher {
  if (glob.startsWith('!')) throw new InvalidGlobError(glob, 'a leading "!" (negation) is not supported; list only what to exclude');
  let re: RegExp;
  try {
    re = zeptomatch.compile(glob);
  } catch (err) {
    throw new InvalidGlobError(glob, err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err));
  }
  // zeptomatch lets a path end with a separator; the paths matched here never do (see normalize).
  const source = re.source.endsWith('[\\/]?$') ? `${re.source.slice(0, -'[\\/]?$'.length)}$` : re.source;
  if (isBacktrackFree(source)) return new RegExp(source, re.flags);
  let linear: RE2JS;
  try {
    linear = RE2JS.compile(source, re.flags.includes('s') ? RE2JS.DOTALL : 0);
  } catch (err) {
    throw new InvalidGlobError(glob, err instanceof Error ? err.message : String(err));
  }
  return { test: (path) => linear.matches(path) };
}

/** The form every pattern and path is compared in: `/` separators, no leading `./`, no trailing `/`. */
function normalize(glob: string): string {
  return glob.trim().replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
}

/** Why `glob` cannot be used as an exclude pattern, or undefined when it can. */
export function globProblem(glob: string): string | undefined {
  try {
    new ExcludeMatcher([glob]);
    return undefined;
  } catch (err) {
    if (err instanceof InvalidGlobError) return err.reason;
    throw err;
  }
}

/** Splits patterns into the usable ones and the invalid ones with their reasons (the editor warns and goes on). */
export function usableGlobs(globs: readonly string[]): { usable: string[]; invalid: { pattern: string; reason: string }[] } {
  const usable: string[] = [];
  const invalid: { pattern: string; reason: string }[] = [];
  for (const pattern of globs) {
    const reason = globProblem(pattern);
    if (reason === undefined) usable.push(pattern); else invalid.push({ pattern, reason });
  }
  return { usable, invalid };
}

/**
 * Decides whether a path (relative to its scan root, any separator) is excluded. A pattern without `/`
 * matches a name anywhere; `dir/**` also excludes `dir` itself, so the walk prunes it.
 * @throws InvalidGlobError for a pattern that cannot be used
 */
export class ExcludeMatcher {
  private readonly anywhere: Matcher[] = [];   // tried on every path segment
  private readonly anchored: Matcher[] = [];   // tried on the whole path
  private readonly directoryPrefixes: Matcher[] = [];

  constructor(globs: readonly string[]) {
    for (const raw of globs) {
      const glob = normalize(raw);
      if (!glob) continue;
      // `**/name/**` (the editor's defaults) excludes every path with a segment matching `name`:
      // the cheap per-segment form of the same thing.
      const inner = /^\*\*\/([^/]+)\/\*\*$/.exec(glob)?.[1];
      if (inner !== undefined && inner !== '**') { this.anywhere.push(compile(inner)); continue; }
      if (!glob.includes('/')) { this.anywhere.push(compile(glob)); continue; }
      this.anchored.push(compile(glob));
      if (glob.endsWith('/**') && glob.length > 3) this.directoryPrefixes.push(compile(glob.slice(0, -3)));
    }
  }

  get empty(): boolean { return this.anywhere.length + this.anchored.length === 0; }

  matches(relativePath: string): boolean {
    if (this.empty) return false;
    const p = normalize(relativePath);
    if (this.anchored.some((r) => r.test(p)) || this.directoryPrefixes.some((r) => r.test(p))) return true;
    if (this.anywhere.length) {
      for (const segment of p.split('/')) if (this.anywhere.some((r) => r.test(segment))) return true;
    }
    return false;
  }
}
