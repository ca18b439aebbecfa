/**
 * Directories that hold dependencies, version control data or build outputs, never the user's own sources.
 * The one list: the directory walk of a scan skips them by name, and the editor's default `zfsDio.exclude`
 * globs are derived from it (package.json repeats that default; a unit test keeps the two equal).
 */
const SKIPPED_DIRECTORIES: ReadonlyMap<string, string> = new Map([
  ['.git', 'version control data'], ['.hg', 'version control data'], ['.svn', 'version control data'],
  ['node_modules', 'dependencies'], ['vendor', 'vendored dependencies'],
  ['.venv', 'Python virtual environment'], ['venv', 'Python virtual environment'],
  ['__pycache__', 'Python bytecode cache'], ['build', 'build output'], ['dist', 'build output'], ['out', 'build output'],
  ['target', 'build output'], ['CMakeFiles', 'build output'],
]);

/** Bazel's output links are named after the workspace (bazel-bin, bazel-out, bazel-myproject). */
const SKIPPED_PREFIX = 'bazel-';

/** Why a directory of this name is skipped, or undefined when it is walked. */
export function skippedDirectoryReason(name: string): string | undefined {
  if (name.startsWith(SKIPPED_PREFIX)) return 'build output';
  return SKIPPED_DIRECTORIES.get(name);
}

/** The same directories as glob patterns, for settings that take globs. */
export const SKIPPED_DIRECTORY_GLOBS: readonly string[] = [
  ...[...SKIPPED_DIRECTORIES.keys()].map((name) => `**/${name}/**`),
  `**/${SKIPPED_PREFIX}*/**`,
];
