// Dataset-name validation (the ZFS name grammar) and the dataset-or-path decision for a target.
// Names are checked before they reach any command, so a hostile name is refused with a message
// instead of being handed to `zfs` (which would refuse it less clearly).
import { ProbeError } from './errors';

/** ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL. */
export const MAX_DATASET_NAME_LENGTH = 255;

// zfs_namecheck.c valid_char(): alphanumerics plus '-', '_', '.', ':' and ' '.
const COMPONENT_CHAR = /^[A-Za-z0-9_.: -]$/;
// Pool names that `zpool create` refuses because they are vdev keywords.
const RESERVED_POOL_NAMES = ['mirror', 'raidz', 'draid', 'spare', 'log'];

/** Returns null for a valid filesystem name, otherwise the reason it is invalid. */
export function datasetNameProblem(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_DATASET_NAME_LENGTH) return `the name is ${name.length} characters long (the limit is ${MAX_DATASET_NAME_LENGTH})`;
  if (name.includes('@')) return 'it names a snapshot (`@`); the probe needs a mounted filesystem';
  if (name.includes('#')) return 'it names a bookmark (`#`); the probe needs a mounted filesystem';
  const components = name.split('/');
  for (let i = 0; i < components.length; i++) {
    const c = components[i]!;
    if (c.length === 0) {
      return i === 0 ? 'it starts with `/` (a path? paths must exist on disk)' : 'it has an empty component (`//` or a trailing `/`)';
    }
    if (c === '.' || c === '..') return `the component \`${c}\` is not allowed`;
    for (const ch of c) {
      if (!COMPONENT_CHAR.test(ch)) {
        return `it contains ${describeChar(ch)}, which is not allowed in ZFS names (allowed: letters, digits, \`_\`, \`-\`, \`.\`, \`:\` and space)`;
      }
    }
  }
  const pool = components[0]!;
  if (!/^[A-Za-z]/.test(pool)) return `the pool name \`${pool}\` must begin with a letter`;
  if (RESERVED_POOL_NAMES.some((r) => pool === r || (r !== 'log' && pool.startsWith(r)))) {
    return `the pool name \`${pool}\` is reserved`;
  }
  return null;
}

function describeChar(ch: string): string {
  const names: Record<string, string> = {
    "'": 'a single quote (`\'`)', '"': 'a double quote (`"`)', '\n': 'a newline', '\t': 'a tab',
    '\\': 'a backslash', '$': 'a dollar sign', '`': 'a backtick', ';': 'a semicolon', '*': 'an asterisk',
  };
  const cp = ch.codePointAt(0)!;
  return names[ch] ?? (cp < 0x20 || cp === 0x7f ? `the control character U+${cp.toString(16).padStart(4, '0')}` : `the character \`${ch}\``);
}

export function assertValidDatasetName(name: string): void {
  const problem = datasetNameProblem(name);
  if (problem) {
    throw new ProbeError('BAD_INPUT', `${JSON.stringify(name)} is not a valid ZFS dataset name: ${problem}.`);
  }
}

/**
 * A target is a path when it looks like one (absolute, `.`/`..`-relative or `~`), otherwise a
 * dataset name. `tank/home` is a dataset; `./tank/home` is a path.
 */
export function looksLikePath(target: string): boolean {
  return target.startsWith('/') || target === '.' || target === '..' || target.startsWith('./')
    || target.startsWith('../') || target.startsWith('~');
}
