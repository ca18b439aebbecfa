// The model behind the "Call Sites" tree: every spotted site per file, grouped by file and kind, with
// the findings at each site. Pure, so grouping, ordering and counts are unit-tested; sitesView.ts only
// turns these nodes into TreeItems.
import type { Finding, Site, SiteKind, Severity } from '../core/types';
import { KIND_LABELS, KIND_ORDER, plural, worstSeverity } from './present';
import { sameRange } from './diagnostics';

export interface FileEntry {
  /** Document URI string (the tree's identity for the file). */
  uri: string;
  /** Path shown to the user, relative to the workspace when possible. */
  label: string;
  sites: readonly Site[];
  findings: readonly Finding[];
}

export interface FileNode { type: 'file'; id: string; uri: string; label: string; description: string; severity?: Severity; siteCount: number; findingCount: number }
export interface KindNode { type: 'kind'; id: string; uri: string; kind: SiteKind; label: string; description: string; severity?: Severity }
export interface SiteNode { type: 'site'; id: string; uri: string; site: Site; findings: readonly Finding[]; label: string; description: string; severity?: Severity }
export type SitesNode = FileNode | KindNode | SiteNode;

export function findingsAtSite(site: Site, findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.site.kind === site.kind && sameRange(f.site.range, site.range));
}

export class SiteIndex {
  private readonly files = new Map<string, FileEntry>();

  set(entry: FileEntry): void {
    if (entry.sites.length === 0 && entry.findings.length === 0) this.files.delete(entry.uri);
    else this.files.set(entry.uri, entry);
  }
  delete(uri: string): void { this.files.delete(uri); }
  clear(): void { this.files.clear(); }
  get(uri: string): FileEntry | undefined { return this.files.get(uri); }
  get size(): number { return this.files.size; }

  totals(): { files: number; sites: number; findings: number } {
    let sites = 0;
    let findings = 0;
    for (const e of this.files.values()) { sites += e.sites.length; findings += e.findings.length; }
    return { files: this.files.size, sites, findings };
  }

  roots(): FileNode[] {
    return [...this.files.values()]
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((e) => ({
        type: 'file', id: `file:${e.uri}`, uri: e.uri, label: e.label,
        description: `${plural(e.sites.length, 'site')} · ${plural(e.findings.length, 'finding')}`,
        severity: worstSeverity(e.findings), siteCount: e.sites.length, findingCount: e.findings.length,
      }));
  }

  children(node: SitesNode): SitesNode[] {
    const entry = this.files.get(node.uri);
    if (!entry || node.type === 'site') return [];
    if (node.type === 'file') {
      return KIND_ORDER.filter((k) => entry.sites.some((s) => s.kind === k)).map((kind): KindNode => {
        const sites = entry.sites.filter((s) => s.kind === kind);
        const findings = sites.flatMap((s) => findingsAtSite(s, entry.findings));
        return {
          type: 'kind', id: `kind:${entry.uri}#${kind}`, uri: entry.uri, kind, label: KIND_LABELS[kind],
          description: findings.length ? `${plural(sites.length, 'site')} · ${plural(findings.length, 'finding')}` : plural(sites.length, 'site'),
          severity: worstSeverity(findings),
        };
      });
    }
    return entry.sites
      .filter((s) => s.kind === node.kind)
      .slice()
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column)
      .map((site): SiteNode => {
        const findings = findingsAtSite(site, entry.findings);
        const rules = [...new Set(findings.map((f) => f.ruleId))].join(', ');
        return {
          type: 'site', id: `site:${entry.uri}@${site.range.start.line}:${site.range.start.column}`, uri: entry.uri, site, findings,
          label: site.callee,
          description: `line ${site.range.start.line + 1}${rules ? ` · ${rules}` : ''}`,
          severity: worstSeverity(findings),
        };
      });
  }
}
