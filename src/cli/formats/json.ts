// `--format json`: the stable machine-readable format (version 1). Keys listed in the issue are
// a contract; `skipped`, `notes`, `stats` and the extra per-record fields are additions.
import type { ScanResult } from '../../core/analysis/scan';
import { flatten } from './model';

export function formatJson(result: ScanResult): string {
  const { sites, findings } = flatten(result);
  // No timing and no cache figures: equal scans give equal output, whether or not a cache answered.
  const { durationMs: _time, filesFromCache: _cached, ...stats } = result.stats;
  return JSON.stringify({
    version: 1,
    sites: sites.map((s) => ({ file: s.file, line: s.line, column: s.column, language: s.language, kind: s.kind, callee: s.callee,
      endLine: s.endLine, endColumn: s.endColumn, ...(s.unknowns ? { unknowns: s.unknowns } : {}) })),
    findings: findings.map((f) => ({ file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn,
      ruleId: f.ruleId, severity: f.severity, message: f.message, language: f.language, kind: f.kind, callee: f.callee, derived: f.derived,
      fixes: f.fixes, ...(f.manualFix ? { manualFix: f.manualFix } : {}), ...(f.detail ? { detail: f.detail } : {}), ...(f.related ? { related: f.related } : {}) })),
    skipped: result.skipped,
    notes: result.notes,
    stats,
  }, null, 2) + '\n';
}
