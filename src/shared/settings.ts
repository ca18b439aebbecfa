// Reads the `zfsDio.*` settings into one typed object with defaults. Pure (no `vscode` import) so the
// parsing and the defaults are unit-tested; settings.ts feeds it from workspace.getConfiguration.
// A bad value never breaks the extension: it falls back to the default and the problem is logged.
import { RULES, isRuleId } from '../core/rules';
import { LANGUAGES, type AnalysisSettings, type Language, type RuleId, type Severity } from '../core/types';
import type { TargetSystem } from '../core/knowledge/target';
import { SKIPPED_DIRECTORY_GLOBS } from '../core/analysis/skipped-directories';

export type SeveritySetting = Severity | 'off';
export const SEVERITY_VALUES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ProbeSettings {
  /** Binary overrides; undefined = find on PATH. Restricted in untrusted workspaces. */
  zfsPath?: string;
  zpoolPath?: string;
  pythonPath?: string;
  timeoutSeconds: number;
  allowAB: boolean;
}

export interface TraceSettings {
  /** Trace a Program… runs the command twice: without stacks, then with stacks for the calls that became findings. */
  twoPass: boolean;
}

export interface EditorSettings {
  languages: Language[];
  severities: Record<RuleId, SeveritySetting>;
  exclude: string[];
  pageSize: number;
  recordsize: number;
  useDatasetRecordsize: boolean;
  debounceMs: number;
  maxFileSize: number;
  /** A compile_commands.json for the C/C++ header index (relative to the first workspace folder), if set. */
  compileCommands?: string;
  /** `zfsDio.target` as written: a dataset name or a report file. Restricted in untrusted workspaces. */
  target?: string;
  /** The loaded target (settings.ts fills it in once the report or the dataset has been read). */
  targetSystem?: TargetSystem;
  probe: ProbeSettings;
  trace: TraceSettings;
}

/** Build outputs and dependency trees: generated or vendored code the user does not edit (the scan's own list). */
export const DEFAULT_EXCLUDE: readonly string[] = SKIPPED_DIRECTORY_GLOBS;

export const DEFAULTS = {
  languages: [...LANGUAGES] as Language[],
  exclude: [...DEFAULT_EXCLUDE],
  pageSize: 4096,
  recordsize: 131072,
  useDatasetRecordsize: true,
  debounceMs: 300,
  // The same limit as `zfs-dio scan` (core scan.ts DEFAULT_MAX_FILE_SIZE; a unit test keeps them equal).
  maxFileSize: 4 * 1024 * 1024,
  probe: { timeoutSeconds: 120, allowAB: false },
  trace: { twoPass: false },
} as const;

export function defaultSeverities(): Record<RuleId, SeveritySetting> {
  return Object.fromEntries(RULES.map((r) => [r.id, r.defaultSeverity])) as Record<RuleId, SeveritySetting>;
}

/** VS Code language ids this extension analyzes, and the analyzer language for each. */
const LANGUAGE_BY_VSCODE_ID: Readonly<Record<string, Language>> = {
  c: 'c', cpp: 'cpp', rust: 'rust', go: 'go', python: 'python',
};
export function languageForLanguageId(languageId: string): Language | undefined {
  return LANGUAGE_BY_VSCODE_ID[languageId];
}
export const VSCODE_LANGUAGE_IDS: readonly string[] = Object.keys(LANGUAGE_BY_VSCODE_ID);

export interface ParsedSettings { settings: EditorSettings; problems: string[] }

/** Settings whose key was renamed: old key → new key (both under `zfsDio.`). settings.ts moves the values. */
export const RENAMED_SETTINGS: Readonly<Record<string, string>> = {
  'probe.allowAB': 'probe.allowTemporaryDatasets',
};

/**
 * The problems to show the user now: those not shown at the previous read, so a warning appears once per
 * bad value and again only after the value changes.
 */
export function newProblems(current: readonly string[], shownBefore: ReadonlySet<string>): string[] {
  return current.filter((p) => !shownBefore.has(p));
}

/** `get(key)` returns the raw value of `zfsDio.<key>` (undefined when unset). */
export function parseSettings(get: (key: string) => unknown): ParsedSettings {
  const problems: string[] = [];
  const bad = (key: string, value: unknown, expected: string) =>
    problems.push(`zfsDio.${key}: ${JSON.stringify(value)} is not ${expected}; using the default`);
  const badNumber = (key: string, value: unknown, expected: string, def: number) =>
    problems.push(`zfsDio.${key}: ${JSON.stringify(value)} is not ${expected}; using the default ${def}`);

  const int = (key: string, def: number, min: number, max: number): number => {
    const v = get(key);
    if (v === undefined || v === null) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      badNumber(key, v, `an integer between ${min} and ${max}`, def);
      return def;
    }
    return v;
  };
  const powerOfTwo = (key: string, def: number, min: number, max: number): number => {
    const v = int(key, def, min, max);
    if ((v & (v - 1)) !== 0) { badNumber(key, v, `a power of two (${min}, ${min * 2}, … ${max})`, def); return def; }
    return v;
  };
  const bool = (key: string, def: boolean): boolean => {
    const v = get(key);
    if (v === undefined || v === null) return def;
    if (typeof v !== 'boolean') { bad(key, v, 'true or false'); return def; }
    return v;
  };
  const optionalPath = (key: string): string | undefined => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || v.includes('\0')) { bad(key, v, 'a path'); return undefined; }
    return v.trim() || undefined;
  };

  let languages: Language[] = [...DEFAULTS.languages];
  const rawLanguages = get('languages');
  if (rawLanguages !== undefined && rawLanguages !== null) {
    if (!Array.isArray(rawLanguages)) bad('languages', rawLanguages, 'a list of languages');
    else {
      const unknown = rawLanguages.filter((l) => !(LANGUAGES as readonly unknown[]).includes(l));
      if (unknown.length) problems.push(`zfsDio.languages: ignoring unknown language(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${LANGUAGES.join(', ')}`);
      languages = LANGUAGES.filter((l) => rawLanguages.includes(l));
    }
  }

  const severities = defaultSeverities();
  const rawSeverity = get('severity');
  if (rawSeverity !== undefined && rawSeverity !== null) {
    if (typeof rawSeverity !== 'object' || Array.isArray(rawSeverity)) bad('severity', rawSeverity, 'an object of rule id → severity');
    else {
      for (const [id, value] of Object.entries(rawSeverity as Record<string, unknown>)) {
        if (!isRuleId(id)) { problems.push(`zfsDio.severity: unknown rule id ${JSON.stringify(id)} ignored`); continue; }
        if (!(SEVERITY_VALUES as readonly unknown[]).includes(value)) {
          problems.push(`zfsDio.severity.${id}: ${JSON.stringify(value)} is not one of ${SEVERITY_VALUES.join('|')}; using ${severities[id]}`);
          continue;
        }
        severities[id] = value as SeveritySetting;
      }
    }
  }

  let exclude = [...DEFAULTS.exclude];
  const rawExclude = get('exclude');
  if (rawExclude !== undefined && rawExclude !== null) {
    if (!Array.isArray(rawExclude) || rawExclude.some((g) => typeof g !== 'string')) bad('exclude', rawExclude, 'a list of glob strings');
    else exclude = rawExclude.map((g: string) => g.trim()).filter((g) => g.length > 0);
  }

  return {
    settings: {
      languages,
      severities,
      exclude,
      pageSize: powerOfTwo('pageSize', DEFAULTS.pageSize, 512, 1 << 20),
      recordsize: powerOfTwo('recordsize', DEFAULTS.recordsize, 512, 16 << 20),
      useDatasetRecordsize: bool('useDatasetRecordsize', DEFAULTS.useDatasetRecordsize),
      debounceMs: int('debounceMs', DEFAULTS.debounceMs, 0, 10_000),
      // The parser's limit (core parse.ts PARSER_MAX_FILE_BYTES): larger files exhaust its memory.
      maxFileSize: int('maxFileSize', DEFAULTS.maxFileSize, 1024, 16 * 1024 * 1024),
      compileCommands: optionalPath('compileCommands'),
      target: optionalPath('target'),
      probe: {
        zfsPath: optionalPath('probe.zfsPath'),
        zpoolPath: optionalPath('probe.zpoolPath'),
        pythonPath: optionalPath('probe.pythonPath'),
        timeoutSeconds: int('probe.timeoutSeconds', DEFAULTS.probe.timeoutSeconds, 5, 3600),
        // The old key still counts until settings.ts has moved it (RENAMED_SETTINGS).
        allowAB: bool('probe.allowTemporaryDatasets', DEFAULTS.probe.allowAB) || bool('probe.allowAB', DEFAULTS.probe.allowAB),
      },
      trace: { twoPass: bool('trace.twoPass', DEFAULTS.trace.twoPass) },
    },
    problems,
  };
}

/** The analyzer's settings; a file's dataset recordsize, when known, comes from the recordsize seam instead. */
export function analysisSettingsFor(settings: EditorSettings): AnalysisSettings {
  return {
    pageSize: settings.pageSize, recordsize: settings.recordsize, severities: { ...settings.severities },
    ...(settings.targetSystem ? { target: settings.targetSystem } : {}),
  };
}

/**
 * The exclude globs a workspace scan passes to the core's scanPaths: ours plus the enabled
 * `files.exclude` entries (those are the files the user hid from the explorer).
 */
export function scanExcludeGlobs(exclude: readonly string[], filesExclude: Record<string, unknown> | undefined): string[] {
  const patterns = new Set(exclude);
  for (const [glob, enabled] of Object.entries(filesExclude ?? {})) {
    // `true` excludes; an object is a `when` clause on a sibling file, which a path glob cannot express.
    if (enabled === true) patterns.add(glob);
  }
  return [...patterns];
}
