// A real JSON-RPC client for the language server: spawns the shipped `dist/cli.js lsp --stdio` (or
// `--node-ipc`, as the VS Code extension starts it) and speaks LSP to it with vscode-languageserver-protocol, answering the server's workspace/configuration requests
// from a settings object the test controls, and recording every published diagnostic.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest, createProtocolConnection, DidChangeConfigurationNotification, ExitNotification,
  InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, RegistrationRequest, ShutdownRequest,
  StreamMessageReader, StreamMessageWriter, DiagnosticRefreshRequest, IPCMessageReader, IPCMessageWriter,
  LogMessageNotification, ShowMessageNotification, type Registration,
  type ClientCapabilities, type Diagnostic, type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { DidChangeSitesNotification, type InitializationOptions } from '../../../src/core/protocol/server';

export const root = process.env.ZFS_DIO_ROOT!;
export const cli = path.join(root, 'dist', 'cli.js');

export interface Client {
  connection: ProtocolConnection;
  process: ChildProcess;
  initialize: InitializeResult;
  /** The `zfsDio` section the client answers workspace/configuration with. */
  settings: Record<string, unknown>;
  /** How many times the server asked for the configuration. */
  configurationRequests: number;
  refreshRequests: number;
  /** The server's zfsDio/didChangeSites, window/logMessage and window/showMessage notifications, in order. */
  notifications: { method: string; params: unknown }[];
  /** Every capability the server registered. */
  registrations: Registration[];
  /** Resolves with the first publishDiagnostics for `uri` (at `version`, when given) that `accept` accepts. */
  nextDiagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  stderr(): string;
  stop(): Promise<number | null>;
}

export const uriOf = (file: string) => pathToFileURL(file).href;

export async function startClient(opts: {
  pull?: boolean; rootPath?: string; settings?: Record<string, unknown>; initializationOptions?: InitializationOptions;
  configuration?: boolean; ipc?: boolean; watchers?: boolean;
} = {}): Promise<Client> {
  const child = opts.ipc
    ? spawn(process.execPath, [cli, 'lsp', '--node-ipc', `--clientProcessId=${process.pid}`], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    : spawn(process.execPath, [cli, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const connection = opts.ipc
    ? createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
    : createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const client = {
    connection, process: child, settings: opts.settings ?? {}, configurationRequests: 0, refreshRequests: 0,
    notifications: [] as Client['notifications'], registrations: [] as Registration[],
  } as unknown as Client;
  for (const type of [DidChangeSitesNotification, LogMessageNotification.type, ShowMessageNotification.type]) {
    connection.onNotification(type.method, (params: unknown) => { client.notifications.push({ method: type.method, params }); });
  }
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(p); }
    }
  });
  connection.onRequest(ConfigurationRequest.type, (params) => {
    client.configurationRequests += 1;
    return params.items.map((item) => (item.section === 'zfsDio' ? client.settings : null));
  });
  connection.onRequest(RegistrationRequest.type, (params) => { client.registrations.push(...params.registrations); });
  connection.onRequest(DiagnosticRefreshRequest.type, () => { client.refreshRequests += 1; });
  connection.listen();

  const capabilities: ClientCapabilities = {
    workspace: { configuration: opts.configuration ?? true, didChangeConfiguration: { dynamicRegistration: true },
      ...(opts.watchers ? { didChangeWatchedFiles: { dynamicRegistration: true } } : {}),
      ...(opts.pull ? { diagnostics: { refreshSupport: true } } : {}) },
    textDocument: {
      synchronization: { didSave: true },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
      publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, versionSupport: true },
      ...(opts.pull ? { diagnostic: { relatedDocumentSupport: false } } : {}),
    },
  };
  const rootUri = opts.rootPath ? uriOf(opts.rootPath) : null;
  client.initialize = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri, capabilities,
    workspaceFolders: opts.rootPath ? [{ uri: rootUri!, name: path.basename(opts.rootPath) }] : null,
    ...(opts.initializationOptions ? { initializationOptions: opts.initializationOptions } : {}),
  });
  await connection.sendNotification(InitializedNotification.type, {});

  client.nextDiagnostics = (uri, accept = () => true, timeoutMs = 20_000) => {
    const earlier = published.find((p) => p.uri === uri && accept(p));
    if (earlier) { published.splice(published.indexOf(earlier), 1); return Promise.resolve(earlier); }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} in ${timeoutMs} ms; server stderr: ${stderr}`)), timeoutMs);
      waiters.push({ uri, accept, resolve: (p) => { clearTimeout(timer); published.splice(published.indexOf(p), 1); resolve(p); } });
    });
  };
  client.stderr = () => stderr;
  client.stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server ended early (${child.exitCode ?? child.signalCode}): ${stderr}`);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    const code = await exited;
    connection.dispose();
    return code;
  };
  return client;
}

export async function changeSettings(client: Client, settings: Record<string, unknown>): Promise<void> {
  client.settings = settings;
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
}

/** Rule id and 1-based line of each diagnostic, sorted: what the CLI's JSON prints too. */
export function ruleLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(d.code)}:${d.range.start.line + 1}`).sort();
}
