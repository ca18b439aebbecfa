// The launcher behind "Open Terminal with zfs-dio" (cliTerminal.ts). Pure, so a unit test runs it.
/** The `zfs-dio` launcher: a POSIX shell script, with every path single-quoted. */
export function launcherScript(runtime: string, cli: string): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // ELECTRON_RUN_AS_NODE: in desktop VS Code the extension host's runtime is Electron, which acts as plain
  // Node only with it; Node itself ignores it.
  return `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec ${quote(runtime)} ${quote(cli)} "$@"\n`;
}
