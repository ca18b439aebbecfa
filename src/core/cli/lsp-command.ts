// `zfs-dio lsp --stdio`: the language server over standard input and output (the only transport editors
// need; src/server/ holds the server). Nothing else may write to stdout while it runs: it carries JSON-RPC.
import type { CliIO } from './io';

export const LSP_USAGE = `usage: zfs-dio lsp --stdio

Runs the zfs-dio language server, speaking LSP over standard input and output.
Configure an editor to start it; docs/editors.md has Neovim, Helix and Emacs setups.

options:
  --stdio     talk LSP over stdin/stdout (required)
  -h, --help  show this help`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) { io.stdout.write(LSP_USAGE + '\n'); return 0; }
  const unknown = argv.filter((a) => a !== '--stdio');
  if (unknown.length || !argv.includes('--stdio')) {
    io.stderr.write(`zfs-dio lsp: ${unknown.length ? `unknown option '${unknown[0]}'` : '--stdio is required'}\n${LSP_USAGE}\n`);
    return 2;
  }
  const [{ createConnection, StreamMessageReader, StreamMessageWriter }, { startServer }] =
    await Promise.all([import('vscode-languageserver/node'), import('../../server/server')]);
  // One failed request must not end the server for the whole editor session: logged, not fatal.
  process.on('unhandledRejection', (err) => io.stderr.write(`zfs-dio lsp: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`));
  const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection);
  // The connection exits the process on the client's `exit`; until then (or until stdin closes) it runs.
  await new Promise<void>((resolve) => process.stdin.on('close', resolve));
  return 0;
}
