// The extension's commands, declared once. package.json's `contributes.commands` and `contributes.menus` are
// generated from this table (`node scripts/manifest.mjs --write`), and commands.ts registers one handler per entry,
// so a command cannot be declared without a handler or registered without a declaration.
// Pure (no `vscode` import): the manifest script and the unit tests read it too.

/** The Command Palette shows every command as "<category>: <title>". */
export const COMMAND_CATEGORY = 'ZFS Direct I/O';

/** The tree view whose title bar offers commands. */
export const SITES_VIEW = 'zfsDio.sites';

/** The extension's icon in the activity bar, and the view container it opens. */
export const VIEW_CONTAINER = { id: 'zfsDio', title: 'ZFS Direct I/O', icon: 'media/icons/zfs-dio.svg' } as const;

/**
 * The Call Sites view, in VIEW_CONTAINER (package.json's `contributes.views`, `viewsContainers` and
 * `viewsWelcome` are generated from these). `welcome` is what an empty view shows, one paragraph per line;
 * a line that is only a command becomes its button (VS Code shows a link alone on its line as one).
 */
export const SITES_VIEW_SPEC = {
  id: SITES_VIEW,
  name: 'Call Sites',
  icon: VIEW_CONTAINER.icon,
  contextualTitle: VIEW_CONTAINER.title,
  welcome: [
    'No copy_file_range, FICLONE or O_DIRECT call found yet. Open a C, C++, Rust, Go or Python file, or scan the whole workspace.',
    { command: 'scanWorkspace' },
    { text: 'New here? ', command: 'openWalkthrough' },
  ],
} as const;

/** The conditions a command depends on, each a VS Code when-clause, named once. */
export const WHEN = {
  /** Never: for commands that only make sense with arguments (a click in a view or a link passes them). */
  never: 'false',
  /** At least one folder is open: scanning a window without one has nothing to read. */
  workspaceFolderOpen: 'workspaceFolderCount > 0',
} as const;

export type WhenClause = (typeof WHEN)[keyof typeof WHEN];

export interface CommandSpec {
  /** Shown after the category in the Command Palette, and as the tooltip of a view title button. */
  readonly title: string;
  /** A product icon, `$(name)`; shown when the command is a view title button. */
  readonly icon?: `$(${string})`;
  /** When the Command Palette offers the command. Absent: always. */
  readonly palette?: WhenClause;
  /** When the command can run at all (VS Code greys it out elsewhere). Absent: always. */
  readonly enablement?: WhenClause;
  /**
   * The command runs programs on this machine (zfs, the probe's runner, a traced program): in an untrusted
   * workspace it refuses with the message named here, and says how to trust the workspace.
   */
  readonly runsPrograms?: 'probe' | 'trace' | 'datasets';
  /** Its place in the Call Sites view's title bar, as a VS Code menu group: `navigation@N` is a button, any other group is in the "…" menu. */
  readonly sitesViewTitle?: `${string}@${number}`;
}

/** Every command, in the order package.json lists them. The key is the command's name; its id is `zfsDio.<name>`. */
export const COMMAND_CATALOG = {
  scanWorkspace: { title: 'Scan Workspace', icon: '$(search)', palette: WHEN.workspaceFolderOpen, sitesViewTitle: 'navigation@1' },
  probeDataset: { title: 'Probe Dataset…', icon: '$(beaker)', runsPrograms: 'probe', sitesViewTitle: 'navigation@2' },
  traceProgram: { title: 'Trace a Program…', icon: '$(debug-alt)', runsPrograms: 'trace' },
  openPanel: { title: 'Open Root-Cause Panel', icon: '$(book)', sitesViewTitle: 'navigation@3' },
  openReport: { title: 'Open Probe Report…', icon: '$(file-code)' },
  explainRule: { title: 'Explain Rule…', icon: '$(question)' },
  refreshDatasets: { title: 'Refresh Dataset Recordsizes', icon: '$(refresh)', runsPrograms: 'datasets', sitesViewTitle: '2_more@1' },
  openCliTerminal: { title: 'Open Terminal with zfs-dio', icon: '$(terminal)', sitesViewTitle: '2_more@3' },
  openWalkthrough: { title: 'Get Started', icon: '$(rocket)', sitesViewTitle: '2_more@2' },
  // Run by a click on a call site in the view, with the site as its argument.
  revealSite: { title: 'Reveal Call Site', palette: WHEN.never },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMAND_CATALOG;
export type CommandId = `zfsDio.${CommandName}`;

export const COMMAND_NAMES = Object.keys(COMMAND_CATALOG) as readonly CommandName[];

export function commandId<N extends CommandName>(name: N): `zfsDio.${N}` {
  return `zfsDio.${name}`;
}

/** The id of every command, by name: `COMMAND_IDS.scanWorkspace` is `'zfsDio.scanWorkspace'`. */
export const COMMAND_IDS = Object.fromEntries(COMMAND_NAMES.map((name) => [name, commandId(name)])) as
  { readonly [N in CommandName]: `zfsDio.${N}` };

/** A view's welcome lines as the markdown VS Code shows: each command is a link named by its catalog title. */
export function welcomeContents(lines: readonly (string | { text?: string; command: CommandName })[]): string {
  return lines.map((line) => (typeof line === 'string' ? line
    : `${line.text ?? ''}[${COMMAND_CATALOG[line.command].title}](command:${commandId(line.command)})`)).join('\n');
}
