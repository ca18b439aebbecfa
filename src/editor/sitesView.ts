// The "Call Sites" tree (view zfsDio.sites): every spotted call in the workspace, by file and kind, with
// finding counts. Fed by the language server (open documents and workspace-scan results): everything it
// knows once it runs, then each file it analyses again or forgets.
import * as vscode from 'vscode';
import type { Severity } from '../core/types';
import type { FileSites } from '../core/protocol/server';
import type { EditorContext } from './context';
import { REVEAL_COMMAND, type RevealSiteArgs } from '../shared/diagnostics';
import { KIND_DESCRIPTIONS, plural, siteTooltipMarkdown } from '../shared/present';
import { SiteIndex, type SitesNode } from '../shared/sites';
import { COMMAND_CATALOG, SITES_VIEW } from '../shared/command-catalog';

export const SITES_VIEW_ID = SITES_VIEW;

const SEVERITY_ICON: Readonly<Record<Severity, vscode.ThemeIcon>> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  information: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  hint: new vscode.ThemeIcon('lightbulb'),
};

export class SitesTreeProvider implements vscode.TreeDataProvider<SitesNode>, vscode.Disposable {
  private readonly index = new SiteIndex();
  private readonly emitter = new vscode.EventEmitter<SitesNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private subscription: vscode.Disposable | undefined;
  private disposed = false;
  private view: vscode.TreeView<SitesNode> | undefined;

  constructor(ctx: EditorContext) {
    void ctx.server().then(async (server) => {
      if (this.disposed) return;
      this.subscription = server.onDidChangeSites(({ files, removed }) => {
        for (const uri of removed) this.index.delete(uri);
        for (const file of files) this.update(file);
        this.scheduleRefresh();
      });
      // What the server already analysed before this view subscribed (messages arrive in order, so a
      // notification sent after this answer is newer than it).
      for (const file of await server.allSites()) this.update(file);
      this.scheduleRefresh();
    }).catch((err: unknown) => ctx.log.warn(`call sites: ${err instanceof Error ? err.message : String(err)}`));
  }

  attach(view: vscode.TreeView<SitesNode>): void { this.view = view; this.refreshMessage(); }

  private update(file: FileSites): void {
    this.index.set({ uri: file.uri, label: vscode.workspace.asRelativePath(vscode.Uri.parse(file.uri)), sites: file.sites, findings: file.findings });
  }

  /** A workspace scan publishes hundreds of files at once; one tree refresh per burst is enough. */
  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.emitter.fire(undefined);
      this.refreshMessage();
    }, 150);
  }

  private refreshMessage(): void {
    if (!this.view) return;
    const t = this.index.totals();
    // An empty tree shows the viewsWelcome content instead (Scan Workspace button).
    this.view.message = t.files === 0 ? undefined
      : `${plural(t.sites, 'call site')} in ${plural(t.files, 'file')} · ${plural(t.findings, 'finding')}`;
    this.view.badge = t.findings > 0 ? { value: t.findings, tooltip: `${plural(t.findings, 'finding')}` } : undefined;
  }

  getChildren(node?: SitesNode): SitesNode[] {
    return node ? this.index.children(node) : this.index.roots();
  }

  getTreeItem(node: SitesNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label);
    item.id = node.id;
    item.description = node.description;
    const uri = vscode.Uri.parse(node.uri);
    switch (node.type) {
      case 'file':
        item.collapsibleState = this.index.size <= 20 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
        item.resourceUri = uri;
        item.iconPath = vscode.ThemeIcon.File;
        item.contextValue = 'zfsDio.file';
        item.tooltip = `${node.label}\n${node.description}`;
        break;
      case 'kind':
        item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
        item.iconPath = node.severity ? SEVERITY_ICON[node.severity] : new vscode.ThemeIcon('symbol-event');
        item.tooltip = KIND_DESCRIPTIONS[node.kind];
        item.contextValue = 'zfsDio.kind';
        break;
      case 'site': {
        item.collapsibleState = vscode.TreeItemCollapsibleState.None;
        item.iconPath = node.severity ? SEVERITY_ICON[node.severity] : new vscode.ThemeIcon('pass');
        // Built as markdown, not with appendText: appendText turns every space into &nbsp;, and a tooltip
        // with no breakable space wraps inside words.
        const tooltip = new vscode.MarkdownString(siteTooltipMarkdown(node.site, node.findings));
        item.tooltip = tooltip;
        item.contextValue = node.findings.length ? 'zfsDio.site.withFindings' : 'zfsDio.site';
        const args: RevealSiteArgs = { uri: node.uri, range: node.site.range };
        item.command = { command: REVEAL_COMMAND, title: COMMAND_CATALOG.revealSite.title, arguments: [args] };
        item.accessibilityInformation = {
          label: `${node.site.callee}, line ${node.site.range.start.line + 1}, ${plural(node.findings.length, 'finding')}`,
        };
        break;
      }
    }
    return item;
  }

  dispose(): void {
    this.disposed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.subscription?.dispose();
    this.emitter.dispose();
  }
}

export function registerSitesView(ctx: EditorContext): vscode.Disposable[] {
  const provider = new SitesTreeProvider(ctx);
  const view = vscode.window.createTreeView(SITES_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  provider.attach(view);
  return [provider, view];
}
