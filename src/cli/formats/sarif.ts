// `--format sarif`: a SARIF 2.1.0 log (one run) with the rule table from rules.ts as
// tool.driver.rules, so code-scanning UIs can show names and help text without our extension.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type * as Sarif from 'sarif';
import type { ScanResult } from '../../core/analysis/scan';
import { RULES } from '../../core/rules';
import type { Severity } from '../../core/types';
import { flatten, type FixRecord } from './model';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

export function sarifLevel(severity: Severity): Sarif.ReportingConfiguration.level {
  switch (severity) {
    case 'error': return 'error';
    case 'warning': return 'warning';
    case 'information': case 'hint': return 'note';
  }
}

/** Relative paths stay relative to %SRCROOT% (the working directory); absolute ones become file: URIs. */
export function artifactLocation(file: string): Sarif.ArtifactLocation {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const segments = file.split(path.sep).filter((s) => s !== '' && s !== '.');
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/**
 * Code-scanning services match results between runs by partialFingerprints. Ours leaves the line number
 * out (a finding stays the same finding when code above it moves): a hash of the rule, the file, the
 * callee and the message (which names the derived values), plus the occurrence among identical ones.
 */
export const FINGERPRINT_KEY = 'zfsDioFinding/v1';
export function findingFingerprints(findings: readonly { ruleId: string; file: string; callee: string; message: string }[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const hash = createHash('sha256').update([f.ruleId, f.file.split(path.sep).join('/'), f.callee, f.message].join('\0')).digest('hex').slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}

/** A quick fix as a SARIF fix: one artifactChange on the finding's file, each edit a deletedRegion + insertedContent. */
export function sarifFix(file: string, fix: FixRecord): Sarif.Fix {
  return {
    description: { text: fix.title },
    artifactChanges: [{
      artifactLocation: artifactLocation(file),
      replacements: fix.edits.map((e) => ({
        deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
        insertedContent: { text: e.newText },
      })),
    }],
  };
}

export function formatSarif(result: ScanResult, opts: { toolVersion: string; cwd: string }): string {
  const { findings, sites } = flatten(result);
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const rules: Sarif.ReportingDescriptor[] = RULES.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.title },
    fullDescription: { text: r.help },
    help: { text: `${r.title}. ${r.help}` },
    defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
    properties: { tags: ['zfs', 'direct-io'] },
  }));
  const fingerprints = findingFingerprints(findings);
  const results: Sarif.Result[] = findings.map((f, i) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId),
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file),
      region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn } } }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i]! },
    ...(f.related ? { relatedLocations: f.related.map((r, id) => ({ id, message: { text: r.message },
      physicalLocation: { artifactLocation: artifactLocation(r.file ?? f.file),
        region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn } } })) } : {}),
    ...(f.fixes.length ? { fixes: f.fixes.map((fix) => sarifFix(f.file, fix)) } : {}),
    properties: { callee: f.callee, siteKind: f.kind, language: f.language, derived: f.derived, ...(f.manualFix ? { manualFix: f.manualFix } : {}), ...(f.detail ? { detail: f.detail } : {}) },
  }));
  // A file that could not be analysed is a tool notification, not a result: it says nothing about the code.
  const notifications: Sarif.Notification[] = [
    ...result.skipped.map((s) => ({
      level: s.incomplete ? 'warning' as const : 'note' as const,
      message: { text: `skipped: ${s.reason}` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(s.file) } }],
    })),
    ...result.notes.map((n) => ({ level: n.incomplete ? 'warning' as const : 'note' as const, message: { text: n.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file) } }] })),
  ];
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'zfs-dio', fullName: 'ZFS Direct I/O Assistant', version: opts.toolVersion,
        semanticVersion: opts.toolVersion, rules } },
      originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(opts.cwd).href.replace(/\/?$/, '/') } },
      columnKind: 'utf16CodeUnits',
      invocations: [{ executionSuccessful: !result.stats.cancelled, toolExecutionNotifications: notifications }],
      results,
      properties: { callSites: sites.length, filesConsidered: result.stats.filesConsidered, filesParsed: result.stats.filesParsed },
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
