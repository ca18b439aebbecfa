// Entry point: builds one context and registers the editor features. It decides nothing itself.
// Activation stays cheap: the language client, probe and panel modules load on first use, and the
// analysis runs in the language server's own process.
import * as vscode from 'vscode';
import type { EditorContext } from './editor/context';
import type { ServerConnection } from './editor/languageClient';
import { SettingsReader } from './editor/settings';
import { clientModule } from './editor/lazyLoader';
import { registerSitesView } from './editor/sitesView';
import { registerCommands } from './editor/commands';
import { registerPanelSerializer } from './editor/panelBridge';

let connection: ServerConnection | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('ZFS Direct I/O', { log: true });
  const settings = new SettingsReader(log);
  let starting: Promise<ServerConnection> | undefined;
  const server = (): Promise<ServerConnection> => {
    starting ??= (async () => {
      // The client bundle loads after activate() has returned, even when a view asks for the server
      // during activation: requiring it is most of what activation would otherwise cost.
      await new Promise((resolve) => setImmediate(resolve));
      // The workspace scan's cache lives in this workspace's own storage (on the remote machine in a remote window).
      const scanCacheFile = context.storageUri?.scheme === 'file' ? vscode.Uri.joinPath(context.storageUri, 'scan-cache.json').fsPath : undefined;
      connection ??= new (clientModule().ServerConnection)(context.extensionPath, log, scanCacheFile);
      await connection.ready();
      return connection;
    })().catch((err: unknown) => {
      // Said once per attempt; the next command that needs the server tries again.
      starting = undefined;
      log.error(`the language server did not start: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      void vscode.window.showErrorMessage('ZFS Direct I/O: the analysis server did not start; see the ZFS Direct I/O output.', 'Show Output')
        .then((choice) => { if (choice) log.show(true); });
      throw err;
    });
    return starting;
  };
  const ctx: EditorContext = { extension: context, log, settings, server };

  context.subscriptions.push(
    log, settings,
    ...registerSitesView(ctx),
    ...registerCommands(ctx),
    vscode.workspace.onDidGrantWorkspaceTrust(() => log.info('workspace trusted: probes and dataset recordsizes are enabled')),
  );
  // Everything that loads the client, probe or panel code runs after activate() has returned.
  setImmediate(() => {
    registerPanelSerializer(ctx).catch((err: unknown) => log.error(`panel serializer: ${String(err)}`));
    // The server analyses the open documents as soon as it runs.
    server().catch(() => { /* reported above */ });
  });

  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: probes disabled'})`);
}

export async function deactivate(): Promise<void> {
  // The client sends shutdown and exit, so the server process ends with the extension host.
  await connection?.dispose();
  connection = undefined;
}
