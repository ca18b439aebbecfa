// "Open Terminal with zfs-dio": an integrated terminal where `zfs-dio` runs the command-line tool bundled in this
// extension (dist/cli.js), with the extension host's own runtime, so nothing needs to be installed on PATH.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { EditorContext } from './context';
import { launcherScript } from './cli-terminal-logic';

export async function openCliTerminal(ctx: EditorContext): Promise<void> {
  const cli = path.join(ctx.extension.extensionPath, 'dist', 'cli.js');
  const binDir = path.join(ctx.extension.globalStorageUri.fsPath, 'bin');
  await mkdir(binDir, { recursive: true });
  const launcher = path.join(binDir, 'zfs-dio');
  await writeFile(launcher, launcherScript(process.execPath, cli));
  await chmod(launcher, 0o755);
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const terminal = vscode.window.createTerminal({
    name: 'zfs-dio',
    ...(cwd ? { cwd } : {}),
    env: { PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` },
    message: `zfs-dio is the command line of ZFS Direct I/O Assistant (${cli}).\r\nTry: zfs-dio scan .   or   zfs-dio probe --help\r\n`,
  });
  terminal.show();
}
