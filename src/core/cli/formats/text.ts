// `--format text`: one compiler-style line per finding (`file:line:col: severity ZDIOxxx message`),
// optionally one per site, then a summary line. Skip notes go to stderr so stdout stays greppable.
import type { ScanResult } from '../../analysis/scan';
import { flatten, isWarning } from './model';

export function formatText(result: ScanResult, opts: { listSites?: boolean } = {}): { stdout: string; stderr: string } {
  const { sites, findings } = flatten(result);
  const out: string[] = [];
  if (opts.listSites) for (const s of sites) out.push(`${s.file}:${s.line}:${s.column}: site ${s.kind} ${s.callee} (${s.language})`);
  for (const f of findings) out.push(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.ruleId} ${f.message}`);
  const warnings = findings.filter((f) => isWarning(f.severity)).length;
  const st = result.stats;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.push(`zfs-dio: ${plural(findings.length, 'finding')} (${plural(warnings, 'warning')}), ${plural(sites.length, 'call site')}` +
    ` in ${plural(st.filesConsidered, 'source file')} (${st.filesParsed} parsed), ${st.filesSkipped} skipped` +
    (st.cancelled ? ', CANCELLED before the end' : ''));
  const err: string[] = [];
  for (const s of result.skipped) err.push(`zfs-dio: skipped ${s.file}: ${s.reason}`);
  for (const n of result.notes) err.push(`zfs-dio: note: ${n.file}: ${n.message}`);
  return { stdout: out.join('\n') + '\n', stderr: err.length ? err.join('\n') + '\n' : '' };
}
