// `zfs-dio lsp --stdio`: the language server over standard input and output (the only transport editors
// need; src/server/ holds the server). Nothing else may write to stdout while it runs: it carries JSON-RPC.
import type { CliIO } from './io';

export const LSP_USAGE = `usage: zfs-dio lsp --stdio | --node-ipc

Runs the zfs-dio language server, speaking LSP over standard input and output.
Configure an editor to start it; docs/editors.md has Neovim, Helix and Emacs setups.

options:
  --stdio                talk LSP over stdin/stdout
  --node-ipc             talk LSP over Node's IPC channel (when started by a Node parent with fork(), as
                         the VS Code extension does)
  --clientProcessId=PID  exit when that process is gone
  -h, --help             show this help`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) { io.stdout.write(LSP_USAGE + '\n'); return 0; }
  const unknown = argv.filter((a) => a !== '--stdio' && a !== '--node-ipc' && !/^--clientProcessId=\d+$/.test(a));
  const transports = argv.filter((a) => a === '--stdio' || a === '--node-ipc');
  if (unknown.length || transports.length !== 1) {
    const why = unknown.length ? `unknown option '${unknown[0]}'` : transports.length ? 'choose one of --stdio and --node-ipc' : '--stdio or --node-ipc is required';
    io.stderr.write(`zfs-dio lsp: ${why}\n${LSP_USAGE}\n`);
    return 2;
  }
  const ipc = transports[0] === '--node-ipc';
  if (ipc && !process.send) { io.stderr.write('zfs-dio lsp: --node-ipc needs a parent that started this process with an IPC channel\n'); return 2; }
  const [{ createConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter }, { startServer }] =
    await Promise.all([import('vscode-languageserver/node'), import('../server/server')]);
  // One failed request must not end the server for the whole editor session: logged, not fatal.
  process.on('unhandledRejection', (err) => io.stderr.write(`zfs-dio lsp: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`));
  // createConnection reads --clientProcessId from the command line itself and exits when that process is gone.
  const connection = ipc
    ? createConnection(new IPCMessageReader(process), new IPCMessageWriter(process))
    : createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection);
  // The connection exits the process on the client's `exit`; until then (or until its input closes) it runs.
  await new Promise<void>((resolve) => (ipc ? process.on('disconnect', resolve) : process.stdin.on('close', resolve)));
  return 0;
}
