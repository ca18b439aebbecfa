// The parts of package.json that repeat facts declared in code: the rule table (src/core/rules.ts) owns the
// `zfsDio.severity` schema, the command catalog (command-catalog.ts) owns `contributes.commands`,
// `contributes.menus` and the views (`views`, `viewsContainers`, `viewsWelcome`). scripts/manifest.mjs writes or checks them; a unit test fails when they drift.
// Pure (no `vscode` import).
import { RULES, type RuleMeta } from '../core/rules';
import { COMMAND_CATALOG, COMMAND_CATEGORY, SITES_VIEW, SITES_VIEW_SPEC, VIEW_CONTAINER, commandId, welcomeContents, type CommandName, type CommandSpec } from '../shared/command-catalog';
import { SEVERITY_VALUES } from '../shared/settings';

/** One generated part: the value package.json must hold at `path`, and the source file that owns it. */
export interface ManifestPart {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly owner: string;
}

const RULES_FILE = 'src/core/rules.ts';
const CATALOG_FILE = 'src/shared/command-catalog.ts';
/** The `zfsDio.*` settings are the first of package.json's settings categories (one per key prefix). */
const SEVERITY_SETTING = ['contributes', 'configuration', 0, 'properties', 'zfsDio.severity'] as const;

export function manifestParts(
  rules: readonly RuleMeta[] = RULES,
  catalog: Readonly<Record<string, CommandSpec>> = COMMAND_CATALOG,
): ManifestPart[] {
  const commands = Object.entries(catalog);
  return [
    { path: ['contributes', 'commands'], owner: CATALOG_FILE, value: commands.map(([name, spec]) => ({
      command: commandId(name as CommandName),
      title: spec.title,
      category: COMMAND_CATEGORY,
      ...(spec.icon ? { icon: spec.icon } : {}),
      ...(spec.enablement ? { enablement: spec.enablement } : {}),
    })) },
    { path: ['contributes', 'menus', 'commandPalette'], owner: CATALOG_FILE, value: commands
      .filter(([, spec]) => spec.palette !== undefined)
      .map(([name, spec]) => ({ command: commandId(name as CommandName), when: spec.palette })) },
    { path: ['contributes', 'menus', 'view/title'], owner: CATALOG_FILE, value: commands
      .flatMap(([name, spec]) => (spec.sitesViewTitle ? [{ name, group: spec.sitesViewTitle }] : []))
      .sort((a, b) => compareMenuGroups(a.group, b.group))
      .map(({ name, group }) => ({ command: commandId(name as CommandName), when: `view == ${SITES_VIEW}`, group })) },
    { path: ['contributes', 'viewsContainers'], owner: CATALOG_FILE, value: { activitybar: [{ ...VIEW_CONTAINER }] } },
    { path: ['contributes', 'views'], owner: CATALOG_FILE, value: { [VIEW_CONTAINER.id]: [{
      id: SITES_VIEW_SPEC.id, name: SITES_VIEW_SPEC.name, icon: SITES_VIEW_SPEC.icon, contextualTitle: SITES_VIEW_SPEC.contextualTitle,
    }] } },
    { path: ['contributes', 'viewsWelcome'], owner: CATALOG_FILE, value: [{ view: SITES_VIEW_SPEC.id, contents: welcomeContents(SITES_VIEW_SPEC.welcome) }] },
    { path: [...SEVERITY_SETTING, 'properties'], owner: RULES_FILE, value: Object.fromEntries(rules.map((rule) => [rule.id, {
      type: 'string',
      enum: [...SEVERITY_VALUES],
      default: rule.defaultSeverity,
      markdownDescription: `${rule.id}: ${rule.title}. Default \`${rule.defaultSeverity}\`; \`off\` disables the rule.`,
    }])) },
    { path: [...SEVERITY_SETTING, 'default'], owner: RULES_FILE,
      value: Object.fromEntries(rules.map((rule) => [rule.id, rule.defaultSeverity])) },
  ];
}

/** The order VS Code shows a menu in: the `navigation` group first, then the others by name, each by its `@N`. */
function compareMenuGroups(a: string, b: string): number {
  const [groupA = '', orderA = '0'] = a.split('@');
  const [groupB = '', orderB = '0'] = b.split('@');
  if (groupA !== groupB) {
    if (groupA === 'navigation') return -1;
    if (groupB === 'navigation') return 1;
    return groupA < groupB ? -1 : 1;
  }
  return Number(orderA) - Number(orderB);
}

export interface ManifestDifference {
  /** Where the values first differ, e.g. `contributes.commands[2].title`. */
  readonly key: string;
  /** What package.json holds there (undefined: the key is missing). */
  readonly actual: unknown;
  /** What the code declares there (undefined: package.json has a key the code does not declare). */
  readonly expected: unknown;
}

/** The first place where `actual` differs from `expected`, walking `expected`'s keys in order; undefined if equal. */
export function firstDifference(actual: unknown, expected: unknown, path: readonly (string | number)[]): ManifestDifference | undefined {
  const here = (): ManifestDifference => ({ key: formatKey(path), actual, expected });
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return here();
    for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
      const difference = firstDifference(actual[i], expected[i], [...path, i]);
      if (difference) return difference;
    }
    return undefined;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return here();
    for (const key of Object.keys(expected)) {
      const difference = firstDifference(actual[key], expected[key], [...path, key]);
      if (difference) return difference;
    }
    const extra = Object.keys(actual).find((key) => !Object.hasOwn(expected, key));
    return extra === undefined ? undefined : { key: formatKey([...path, extra]), actual: actual[extra], expected: undefined };
  }
  return Object.is(actual, expected) ? undefined : here();
}

/** The value at `path` in a parsed package.json, or undefined when a key on the way is missing. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isObject(node) && typeof key === 'string' && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

/** `contributes.menus["view/title"][0].group`: dotted where the key is a plain name, bracketed otherwise. */
export function formatKey(path: readonly (string | number)[]): string {
  return path.map((key, i) => {
    if (typeof key === 'number') return `[${key}]`;
    if (/^[A-Za-z_$][\w$]*$/.test(key)) return i === 0 ? key : `.${key}`;
    return `[${JSON.stringify(key)}]`;
  }).join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
