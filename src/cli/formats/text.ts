// `--format text`: one compiler-style line per finding (`file:line:col: severity ZDIOxxx message`),
// optionally one per site, then a summary line. Skip notes go to stderr so stdout stays greppable. A finding's
// related places follow it as `file:line:col: note: …` lines, as compilers print them, so an editor's
// error-list parser links each one.
import type { ScanResult } from '../../core/analysis/scan';
import { flatten, isWarning } from './model';

/**
 * A path or message on one line: control characters (a newline in a file name would split a finding
 * in two, an escape sequence would drive the terminal) and backslashes are written as escapes.
 */
export function oneLine(text: string): string {
  return text.replace(/[\\\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: {
        const code = c.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
      }
    }
  });
}

export function formatText(result: ScanResult, opts: { listSites?: boolean } = {}): { stdout: string; stderr: string } {
  const { sites, findings } = flatten(result);
  const out: string[] = [];
  if (opts.listSites) for (const s of sites) out.push(`${oneLine(s.file)}:${s.line}:${s.column}: site ${s.kind} ${oneLine(s.callee)} (${s.language})`);
  for (const f of findings) {
    out.push(`${oneLine(f.file)}:${f.line}:${f.column}: ${f.severity} ${f.ruleId} ${oneLine(f.message)}`);
    for (const r of f.related ?? []) out.push(`${oneLine(r.file ?? f.file)}:${r.line}:${r.column}: note: ${oneLine(r.message)}`);
  }
  const warnings = findings.filter((f) => isWarning(f.severity)).length;
  const st = result.stats;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.push(`zfs-dio: ${plural(findings.length, 'finding')} (${plural(warnings, 'warning')}), ${plural(sites.length, 'call site')}` +
    // filesParsed counts a file the cache answered as analysed (so JSON stays equal); the text must not say it was parsed.
    ` in ${plural(st.filesConsidered, 'source file')} (${st.filesFromCache ? `${st.filesParsed} analysed; ${st.filesFromCache} unchanged, taken from the cache` : `${st.filesParsed} parsed`}), ${st.filesSkipped} skipped` +
    (st.cancelled ? ', CANCELLED before the end' : '') +
    (st.filesIncomplete ? `, INCOMPLETE: ${st.filesIncomplete} ${st.filesIncomplete === 1 ? 'file or directory' : 'files or directories'} not analysed (exit code 3)` : ''));
  const err: string[] = [];
  for (const s of result.skipped) err.push(`zfs-dio: skipped ${oneLine(s.file)}: ${oneLine(s.reason)}`);
  for (const n of result.notes) err.push(`zfs-dio: note: ${oneLine(n.file)}: ${oneLine(n.message)}`);
  return { stdout: out.join('\n') + '\n', stderr: err.length ? err.join('\n') + '\n' : '' };
}
