// `zfs-dio` entry point: dispatches to the subcommands. Exit codes: 0 no warnings, 1 warnings, 2 usage error,
// 3 incomplete scan (scan-command.ts), 70 internal error (sysexits' EX_SOFTWARE) for every command.
// Subcommands are imported lazily so `scan` does not pay for the probe's modules at start-up.
import type { CliIO } from './io';
import { version } from '../../package.json';

/** A bug in this tool, not a problem with the input or the options: sysexits' EX_SOFTWARE. */
export const EXIT_INTERNAL_ERROR = 70;

type Command = (argv: string[], io: CliIO) => Promise<number>;
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  scan: { summary: 'find copy_file_range / FICLONE / O_DIRECT calls and misaligned patterns', load: async () => (await import('./scan-command')).run },
  probe: { summary: 'run experiments on a ZFS dataset and report which known issues apply', load: async () => (await import('./probe-command')).run },
  trace: { summary: 'run a program under strace and check the calls it really makes', load: async () => (await import('./trace-command')).run },
  lsp: { summary: 'run the language server (LSP over stdio) for Neovim, Helix, Emacs and VS Code', load: async () => (await import('./lsp-command')).run },
};

const USAGE = `usage: zfs-dio <command> [options]

commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)}${c.summary}`).join('\n')}

Run 'zfs-dio <command> --help' for a command's options.`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') { io.stdout.write(`zfs-dio ${version}\n`); return 0; }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.stderr.write(`zfs-dio: unknown command '${command}'\n${USAGE}\n`);
    return 2;
  }
  return (await entry.load())(rest, io);
}

// A closed pipe (`zfs-dio scan | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); });

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`zfs-dio: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = EXIT_INTERNAL_ERROR;
});
