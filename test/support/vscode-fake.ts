// The one stand-in for the `vscode` module, for tests and benchmarks that run the extension's code in plain
// Node (the shipped dist/extension.js, the panel host): it records what the code registers, lets a test
// open documents, call the registered providers and play a webview, and implements VS Code's API shapes,
// not any of the extension's logic. The real workbench is covered by test/e2e (code-server + Playwright).
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Listener<T> = (e: T) => unknown;
export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };
  fire(e: T): void { for (const l of [...this.listeners]) l(e); }
  dispose(): void { this.listeners = []; }
}

export class Position { constructor(readonly line: number, readonly character: number) {} }
export class Range {
  readonly start: Position; readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    if (typeof a === 'number') { this.start = new Position(a, b as number); this.end = new Position(c!, d!); }
    else { this.start = a; this.end = b as Position; }
  }
}
export class Uri {
  private constructor(readonly scheme: string, readonly path: string, readonly query = '') {}
  static file(p: string): Uri { return new Uri('file', p); }
  static parse(s: string): Uri {
    const m = /^([a-z][\w+.-]*):(?:\/\/)?([^?]*)(?:\?(.*))?$/i.exec(s);
    if (!m) throw new Error(`bad uri ${s}`);
    return new Uri(m[1]!, m[2]!, m[3] ?? '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri { return new Uri(base.scheme, path.posix.join(base.path, ...parts)); }
  get fsPath(): string { return this.path; }
  toString(): string { return this.scheme === 'file' ? `file://${this.path}` : `${this.scheme}:${this.path}${this.query ? `?${this.query}` : ''}`; }
}
export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }
export class Diagnostic {
  source?: string;
  code?: string | number | { value: string | number; target: Uri };
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(readonly range: Range, readonly message: string, readonly severity: DiagnosticSeverity) {}
}
export class CustomExecution { constructor(readonly callback: () => Promise<unknown>) {} }
export class Task {
  constructor(readonly definition: { type: string; [key: string]: unknown }, readonly scope: unknown, readonly name: string,
    readonly source: string, readonly execution?: CustomExecution) {}
}
export const TaskScope = { Global: 1, Workspace: 2 } as const;
export class Location { constructor(readonly uri: Uri, readonly range: Range) {} }
export class DiagnosticRelatedInformation { constructor(readonly location: Location, readonly message: string) {} }
export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  constructor(readonly value: string) {}
  contains(other: CodeActionKind): boolean { return other.value === this.value || other.value.startsWith(`${this.value}.`); }
}
export class CodeAction {
  diagnostics?: Diagnostic[]; isPreferred?: boolean; edit?: WorkspaceEdit; command?: { command: string; title: string; arguments?: unknown[] };
  constructor(readonly title: string, readonly kind: CodeActionKind) {}
}
export class WorkspaceEdit {
  readonly edits: { uri: Uri; range: Range; newText: string }[] = [];
  replace(uri: Uri, range: Range, newText: string): void { this.edits.push({ uri, range, newText }); }
}
export class MarkdownString {
  isTrusted?: boolean | { enabledCommands: readonly string[] };
  constructor(public value = '', public supportThemeIcons = false) {}
  appendText(t: string): this { this.value += t; return this; }
}
export class Hover { constructor(readonly contents: MarkdownString, readonly range?: Range) {} }
export class ThemeIcon { static readonly File = new ThemeIcon('file'); constructor(readonly id: string, readonly color?: ThemeColor) {} }
export class ThemeColor { constructor(readonly id: string) {} }
export class TreeItem {
  id?: string; description?: string; tooltip?: unknown; iconPath?: unknown; command?: unknown; contextValue?: string;
  resourceUri?: Uri; accessibilityInformation?: unknown;
  constructor(readonly label: string, public collapsibleState = 0) {}
}
export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum TextEditorRevealType { Default = 0, InCenter = 1, InCenterIfOutsideViewport = 2, AtTop = 3 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2 } as const;

/** A webview: what the host posted to it, and `receive` to play the page sending a message. */
export class FakeWebview {
  html = '';
  options: Record<string, unknown> = {};
  readonly cspSource = 'https://fake.vscode-cdn.net';
  readonly posted: { type: string; [key: string]: unknown }[] = [];
  readonly receive = new EventEmitter<unknown>();
  onDidReceiveMessage = this.receive.event;
  postMessage(m: unknown): Promise<boolean> { this.posted.push(JSON.parse(JSON.stringify(m))); return Promise.resolve(true); }
  asWebviewUri(u: Uri): { toString(): string } { return { toString: () => `${this.cspSource}${u.fsPath}` }; }
}

export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  title = '';
  revealed = 0;
  private readonly disposed = new EventEmitter<void>();
  onDidDispose = this.disposed.event;
  constructor(readonly viewType: string, readonly options: Record<string, unknown>) { this.webview.options = options; }
  reveal(): void { this.revealed += 1; }
  dispose(): void { this.disposed.fire(); }
}

/** A text document with VS Code's version semantics (each change increments the version). */
export class FakeDocument {
  version = 1;
  isClosed = false;
  constructor(readonly uri: Uri, readonly languageId: string, private text: string) {}
  getText(): string { return this.text; }
  get lineCount(): number { return this.text.split('\n').length; }
  lineAt(line: number): { text: string; range: Range } {
    const text = this.text.split('\n')[line] ?? '';
    return { text, range: new Range(line, 0, line, text.length) };
  }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i]!.length + 1;
    return o + p.character;
  }
  /** Applies one edit and returns the content change VS Code would report. */
  edit(range: Range, newText: string) {
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    this.text = this.text.slice(0, start) + newText + this.text.slice(end);
    this.version++;
    return { range, rangeOffset: start, rangeLength: end - start, text: newText };
  }
}

export function createStub() {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const executed: { id: string; args: unknown[] }[] = [];
  const diagnostics = new Map<string, Diagnostic[]>();
  const taskProviders = new Map<string, { resolveTask(task: unknown): unknown; provideTasks(): unknown }>();
  const hoverProviders: { selector: unknown; provider: { provideHover(doc: unknown, pos: Position): unknown } }[] = [];
  const codeActionProviders: { selector: unknown; provider: { provideCodeActions(doc: unknown, r: Range, ctx: unknown): CodeAction[] } }[] = [];
  const treeViews = new Map<string, { treeDataProvider: { getChildren(n?: unknown): unknown[]; getTreeItem(n: unknown): TreeItem }; message?: string; badge?: unknown }>();
  const logLines: string[] = [];
  const messages: { level: string; text: string; items: string[] }[] = [];
  const shown: { uri: string; selection?: Range }[] = [];
  const events = {
    open: new EventEmitter<FakeDocument>(), change: new EventEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
    save: new EventEmitter<FakeDocument>(), close: new EventEmitter<FakeDocument>(), config: new EventEmitter<{ affectsConfiguration(s: string): boolean }>(),
    trust: new EventEmitter<void>(), folders: new EventEmitter<unknown>(),
  };
  /** File-system watchers the extension created: tests fire their events as the disk would. */
  const watchers: { glob: string; change: EventEmitter<Uri>; create: EventEmitter<Uri>; remove: EventEmitter<Uri> }[] = [];
  const panels: FakeWebviewPanel[] = [];
  const serializers = new Map<string, { deserializeWebviewPanel(p: FakeWebviewPanel, state: unknown): Promise<void> }>();
  const config: Record<string, unknown> = {};
  const textDocuments: FakeDocument[] = [];
  const log = (level: string) => (line: string) => { logLines.push(`[${level}] ${line}`); };
  const disposable = { dispose() {} };

  const vscode = {
    CustomExecution, Task, TaskScope,
    EventEmitter, Position, Range, Uri, DiagnosticSeverity, Diagnostic, Location, DiagnosticRelatedInformation, CodeActionKind, CodeAction, WorkspaceEdit, MarkdownString, Hover,
    ThemeIcon, ThemeColor, TreeItem, TreeItemCollapsibleState, ProgressLocation, TextEditorRevealType, ConfigurationTarget, ViewColumn,
    window: {
      createWebviewPanel: (viewType: string, _title: string, _column: unknown, options: Record<string, unknown>) => {
        const p = new FakeWebviewPanel(viewType, options);
        panels.push(p);
        return p;
      },
      registerWebviewPanelSerializer: (viewType: string, s: { deserializeWebviewPanel(p: FakeWebviewPanel, state: unknown): Promise<void> }) => {
        serializers.set(viewType, s);
        return disposable;
      },
      createOutputChannel: (_name: string, _opts: unknown) => ({
        trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'),
        appendLine: log('info'), show() {}, dispose() {},
      }),
      createTreeView: (id: string, opts: { treeDataProvider: never }) => {
        const view = { treeDataProvider: opts.treeDataProvider, message: undefined, badge: undefined, dispose() {} };
        treeViews.set(id, view);
        return view;
      },
      showInformationMessage: (text: string, ...items: string[]) => { messages.push({ level: 'info', text, items }); return Promise.resolve(undefined); },
      showWarningMessage: (text: string, ...items: unknown[]) => { messages.push({ level: 'warning', text, items: items.filter((i): i is string => typeof i === 'string') }); return Promise.resolve(undefined); },
      showErrorMessage: (text: string, ...items: string[]) => { messages.push({ level: 'error', text, items }); return Promise.resolve(undefined); },
      withProgress: (_o: unknown, task: (p: { report(): void }, t: { onCancellationRequested(): { dispose(): void } }) => unknown) =>
        Promise.resolve(task({ report() {} }, { onCancellationRequested: () => disposable })),
      showQuickPick: () => Promise.resolve(undefined),
      showTextDocument: (doc: FakeDocument, opts?: { selection?: Range }) => { shown.push({ uri: doc.uri.toString(), selection: opts?.selection }); return Promise.resolve({}); },
      activeTextEditor: undefined,
    },
    workspace: {
      isTrusted: true,
      workspaceFolders: undefined as unknown,
      textDocuments,
      getConfiguration: (section?: string) => ({ get: (key: string) => config[section ? `${section}.${key}` : key] }),
      onDidChangeConfiguration: events.config.event,
      onDidOpenTextDocument: events.open.event,
      onDidChangeTextDocument: events.change.event,
      onDidSaveTextDocument: events.save.event,
      onDidCloseTextDocument: events.close.event,
      onDidGrantWorkspaceTrust: events.trust.event,
      onDidChangeWorkspaceFolders: events.folders.event,
      createFileSystemWatcher: (glob: string) => {
        const w = { glob, change: new EventEmitter<Uri>(), create: new EventEmitter<Uri>(), remove: new EventEmitter<Uri>() };
        watchers.push(w);
        return { onDidChange: w.change.event, onDidCreate: w.create.event, onDidDelete: w.remove.event, dispose() {} };
      },
      openTextDocument: (uri: Uri) => Promise.resolve(textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? new FakeDocument(uri, 'c', '')),
      asRelativePath: (u: Uri) => u.fsPath.replace(/^\/ws\//, ''),
      fs: { readFile: () => Promise.reject(new Error('no files in the stub')) },
    },
    languages: {
      createDiagnosticCollection: (_name: string) => ({
        set: (uri: Uri, list: Diagnostic[]) => { diagnostics.set(uri.toString(), list); },
        delete: (uri: Uri) => { diagnostics.delete(uri.toString()); },
        clear: () => { diagnostics.clear(); },
        dispose() {},
      }),
      registerHoverProvider: (selector: unknown, provider: never) => { hoverProviders.push({ selector, provider }); return disposable; },
      registerCodeActionsProvider: (selector: unknown, provider: never) => { codeActionProviders.push({ selector, provider }); return disposable; },
    },
    tasks: {
      registerTaskProvider: (type: string, provider: never) => { taskProviders.set(type, provider); return disposable; },
    },
    commands: {
      registerCommand: (id: string, run: (...args: unknown[]) => unknown) => { commands.set(id, run); return disposable; },
      executeCommand: (id: string, ...args: unknown[]) => { executed.push({ id, args }); return Promise.resolve(commands.get(id)?.(...args)); },
    },
  };

  return {
    vscode, taskProviders, commands, executed, shown, diagnostics, watchers, hoverProviders, codeActionProviders, treeViews, logLines, messages, events, config, textDocuments,
    panels, serializers,
    openDocument(doc: FakeDocument) { textDocuments.push(doc); events.open.fire(doc); },
    closeDocument(doc: FakeDocument) { doc.isClosed = true; textDocuments.splice(textDocuments.indexOf(doc), 1); events.close.fire(doc); },
  };
}

/** Makes `require('vscode')` return the stub for the rest of the process. */
export function installStub(stub: ReturnType<typeof createStub>): void {
  const mod = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const original = mod._load;
  mod._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return stub.vscode;
    return original.call(this, request, parent, isMain);
  };
}

export function fakeExtensionContext(root: string) {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  return {
    subscriptions: [] as { dispose(): unknown }[],
    extensionPath: root,
    extension: { id: `${pkg.publisher}.${pkg.name}`, packageJSON: pkg },
  };
}
