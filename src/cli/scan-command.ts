// `zfs-dio scan [paths…]`: whole-tree scan with text, JSON or SARIF output.
// Exit codes: 0 no warnings, 1 at least one finding of severity error or warning, 2 usage error,
// 3 the scan is incomplete (a source file or directory that should have been analysed was not; wins
// over 1, because findings from a partial scan are only a lower bound), 70 internal error (main.ts).
import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_MAX_FILE_SIZE, globProblem, scanPaths, scanWorkspace } from '../core/analysis/scan';
import { DEFAULT_CACHE_FILE } from '../core/analysis/scan-cache';
import { compileCommandsProblem } from '../core/analysis/workspace/compile-commands';
import { DEFAULT_FILE_TIME_LIMIT_MS } from '../core/analysis/budget';
import { PARSER_MAX_FILE_BYTES } from '../core/analysis/parse';
import { DEFAULT_SETTINGS, LANGUAGES, type AnalysisSettings, type Language, type RecordsizeSource } from '../core/types';
import { parseBytes, parseChoice, parseCommandLine, parsePositiveInt, parsePowerOfTwoBytes, parseSeconds, type OptionSpecs } from './args';
import { UsageError, type CliIO } from './io';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { isWarning } from './formats/model';
import { version as toolVersion } from '../../package.json';
import { parseTargetReport, targetFromReport, targetProvenance, type TargetSystem } from '../core/knowledge/target';

export const SCAN_USAGE = `usage: zfs-dio scan [paths…] [options]
Scans files and directories (default: .) for copy_file_range, FICLONE and O_DIRECT calls
and reports patterns that misbehave on OpenZFS.

options:
  --format text|json|sarif   output format (default: text)
  --page-size N              page size in bytes (default: ${DEFAULT_SETTINGS.pageSize})
  --recordsize N|auto        ZFS recordsize in bytes, e.g. 131072 or 128K; auto (the default) uses the recordsize
                             of the dataset each file is on, and ${DEFAULT_SETTINGS.recordsize} for files not on ZFS
  --target DATASET|REPORT.json
                             judge findings for the system the data lives on: a dataset of this machine
                             (read-only: zfs get and the module version, no experiments) or a saved
                             \`zfs-dio probe --json\` report from another machine; its recordsize, direct=,
                             OpenZFS version and parameters decide the messages and severities
  --exclude GLOB             skip paths matching GLOB, relative to each scanned directory (repeatable);
                             a pattern without "/" matches a file or directory name anywhere
  --languages LIST           comma-separated subset of ${LANGUAGES.join(',')} (default: all)
  --max-file-size BYTES      skip larger files with a note (default: ${DEFAULT_MAX_FILE_SIZE}; at most ${PARSER_MAX_FILE_BYTES})
  --file-time-limit SECONDS  time one file may take to parse, and again to analyse, before its analysis
                             stops with a note (default: ${DEFAULT_FILE_TIME_LIMIT_MS / 1000})
  --compile-commands FILE    a compile_commands.json whose include paths (-I, -iquote, -isystem) and defines
                             (-D) find the headers of C and C++ files (default: compile_commands.json at
                             the top of the project, or in its build/ folder)
  --cache                    keep each file's result in ${DEFAULT_CACHE_FILE} (in the current directory) and take it
                             from there while the file, the tool, the options and every header, package file
                             or module it depends on are unchanged: a second scan of an unchanged tree parses nothing
  --cache-location FILE      the cache file to use (implies --cache)
  --jobs N                   worker threads (default: number of cores; 1 = scan in the main thread)
  --list-sites               text format: also print one line per call site
  --prefilter-only           walk, read and prefilter only, parse nothing (measures the floor of a scan)
  -h, --help                 show this help

exit codes: 0 no warnings; 1 warnings found; 2 usage error; 3 the scan is incomplete: a source file or
directory that should have been analysed could not be read or analysed (3 wins over 1: the findings of
a partial scan are only a lower bound); 70 internal error`;

const FORMATS = ['text', 'json', 'sarif'] as const;

interface ScanCommandOptions {
  paths: string[];
  format: (typeof FORMATS)[number];
  settings: AnalysisSettings;
  /** Look up each file's dataset recordsize (no explicit --recordsize). */
  recordsizeFromDatasets: boolean;
  exclude: string[];
  languages: Language[];
  maxFileSize: number;
  fileTimeLimitMs: number;
  jobs?: number;
  listSites: boolean;
  prefilterOnly: boolean;
  /** --cache / --cache-location: the cache file. */
  cache?: string;
  compileCommands?: string;
  /** --target as given: a report file or a dataset name. */
  target?: string;
}

export const SCAN_OPTIONS = {
  format: { type: 'string' }, 'page-size': { type: 'string' }, recordsize: { type: 'string' },
  exclude: { type: 'string', multiple: true }, languages: { type: 'string' }, 'max-file-size': { type: 'string' },
  'file-time-limit': { type: 'string' }, 'compile-commands': { type: 'string' },
  target: { type: 'string' },
  jobs: { type: 'string' }, 'list-sites': { type: 'boolean' }, 'prefilter-only': { type: 'boolean' },
  cache: { type: 'boolean' }, 'cache-location': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export function parseScanArgs(argv: string[]): ScanCommandOptions | 'help' {
  const parsed = parseCommandLine(argv, SCAN_OPTIONS);
  const v = parsed.options;
  if (v.help) return 'help';
  const languages = v.languages === undefined ? [...LANGUAGES]
    : v.languages.split(',').map((l) => l.trim()).filter(Boolean).map((l) => parseChoice('--languages', l, LANGUAGES));
  if (!languages.length) throw new UsageError('--languages needs at least one of ' + LANGUAGES.join(', '));
  const settings: AnalysisSettings = {
    ...DEFAULT_SETTINGS,
    pageSize: v['page-size'] === undefined ? DEFAULT_SETTINGS.pageSize : parsePowerOfTwoBytes('--page-size', v['page-size'], 512, 1 << 30),
    recordsize: v.recordsize === undefined || v.recordsize === 'auto' ? DEFAULT_SETTINGS.recordsize
      : parsePowerOfTwoBytes('--recordsize', v.recordsize, 512, 16 * 1024 * 1024),
  };
  const exclude = v.exclude ?? [];
  for (const pattern of exclude) {
    const problem = globProblem(pattern);
    if (problem !== undefined) throw new UsageError(`--exclude '${pattern}' is not a valid pattern: ${problem}`);
  }
  const maxFileSize = v['max-file-size'] === undefined ? DEFAULT_MAX_FILE_SIZE : parseBytes('--max-file-size', v['max-file-size']);
  if (maxFileSize > PARSER_MAX_FILE_BYTES) {
    throw new UsageError(`--max-file-size can be at most ${PARSER_MAX_FILE_BYTES} bytes (16M): larger files exhaust the parser's memory, got '${v['max-file-size']}'`);
  }
  const compileCommands = v['compile-commands'];
  if (compileCommands !== undefined) {
    let text: string;
    try { text = readFileSync(compileCommands, 'utf8'); } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`--compile-commands ${compileCommands}: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`);
    }
    const problem = compileCommandsProblem(text);
    if (problem !== undefined) throw new UsageError(`--compile-commands ${compileCommands}: ${problem}`);
  }
  const cacheLocation = v['cache-location'];
  if (cacheLocation === '') throw new UsageError('--cache-location needs a file name');
  if (cacheLocation !== undefined) {
    let isDirectory = false;
    try { isDirectory = statSync(cacheLocation).isDirectory(); } catch { /* a new file */ }
    if (isDirectory) throw new UsageError(`--cache-location ${cacheLocation} is a directory; give the cache file's name`);
  }
  const cache = cacheLocation ?? (v.cache ? DEFAULT_CACHE_FILE : undefined);
  if (cache !== undefined && v['prefilter-only']) throw new UsageError('--cache and --prefilter-only cannot be combined: a prefilter-only scan has no results to keep');
  const paths = parsed.positionals.length ? parsed.positionals : ['.'];
  for (const p of paths) {
    if (p === '') throw new UsageError('an empty path was given');
    try { statSync(p); } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `no such file or directory: ${p}` : `cannot access ${p}: ${code ?? String(err)}`);
    }
  }
  return {
    paths,
    format: v.format === undefined ? 'text' : parseChoice('--format', v.format, FORMATS),
    settings,
    recordsizeFromDatasets: v.recordsize === undefined || v.recordsize === 'auto',
    exclude,
    languages,
    maxFileSize,
    fileTimeLimitMs: v['file-time-limit'] === undefined ? DEFAULT_FILE_TIME_LIMIT_MS : parseSeconds('--file-time-limit', v['file-time-limit']) * 1000,
    jobs: v.jobs === undefined ? undefined : parsePositiveInt('--jobs', v.jobs, 256),
    listSites: v['list-sites'] ?? false,
    prefilterOnly: v['prefilter-only'] ?? false,
    ...(cache !== undefined ? { cache } : {}),
    ...(compileCommands !== undefined ? { compileCommands } : {}),
    ...(v.target !== undefined ? { target: checkTargetArg(v.target) } : {}),
  };
}

function checkTargetArg(value: string): string {
  if (value.trim() === '') throw new UsageError('--target needs a dataset name or a probe report file');
  return value;
}

/** A target that names an existing file, or ends in .json, is a saved report; anything else is a dataset. */
export function targetIsReport(value: string): boolean {
  if (/\.json$/i.test(value)) return true;
  try { return statSync(value).isFile(); } catch { return false; }
}

/** Loads --target. Throws UsageError with a message that says what is wrong. */
export async function loadTarget(value: string): Promise<TargetSystem> {
  if (targetIsReport(value)) {
    let text: string;
    try { text = readFileSync(value, 'utf8'); } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`--target ${value}: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`);
    }
    try { return targetFromReport(parseTargetReport(text, value), 'report'); } catch (err) {
      throw new UsageError(`--target ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const { describeDataset, isProbeError, datasetNameProblem } = await import('../core/probe/index');
  const problem = datasetNameProblem(value);
  if (problem) throw new UsageError(`--target ${value}: ${problem} (give a dataset name such as tank/vm, or a report file)`);
  try { return targetFromReport(await describeDataset(value), 'dataset'); } catch (err) {
    if (isProbeError(err)) throw new UsageError(`--target ${value}: ${err.message}`);
    throw err;
  }
}

/**
 * The recordsize seam for the CLI: when ZFS is mounted, each file is judged by its dataset's recordsize
 * (`zfs list`, once). Without a ZFS mount nothing is spawned, so scans elsewhere stay fast and reproducible.
 */
async function datasetRecordsizes(io: CliIO): Promise<RecordsizeSource | undefined> {
  let mountinfo = '';
  try { mountinfo = readFileSync('/proc/self/mountinfo', 'utf8'); } catch { return undefined; }
  if (!/ - zfs /.test(mountinfo)) return undefined;
  const { DatasetRecordsizeCache } = await import('../core/probe/index');
  const cache = new DatasetRecordsizeCache();
  await cache.refresh();
  if (cache.lastError) {
    io.stderr.write(`zfs-dio: could not read dataset recordsizes (${cache.lastError.message}); using ${DEFAULT_SETTINGS.recordsize}\n`);
    return undefined;
  }
  return cache;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let options;
  try {
    options = parseScanArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`zfs-dio scan: ${err.message}\nRun 'zfs-dio scan --help' for the options.\n`);
    return 2;
  }
  if (options === 'help') { io.stdout.write(SCAN_USAGE + '\n'); return 0; }

  let settings = options.settings;
  if (options.target !== undefined) {
    try {
      const target = await loadTarget(options.target);
      settings = { ...settings, target };
      io.stderr.write(`zfs-dio: target ${target.summary}${targetProvenance(target)}\n`);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.stderr.write(`zfs-dio scan: ${err.message}\n`);
      return 2;
    }
  }
  const recordsizeSource = options.recordsizeFromDatasets && !settings.target?.recordsize ? await datasetRecordsizes(io) : undefined;
  const result = await scanPaths(options.paths, {
    settings, exclude: options.exclude, languages: options.languages,
    maxFileSize: options.maxFileSize, fileTimeLimitMs: options.fileTimeLimitMs, jobs: options.jobs, recordsizeSource,
    prefilterOnly: options.prefilterOnly, workspace: scanWorkspace(options.paths, options.compileCommands),
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
  });
  if (result.cache?.problem) io.stderr.write(`zfs-dio: warning: ${result.cache.problem}\n`);

  if (options.format === 'text') {
    const text = formatText(result, { listSites: options.listSites });
    io.stderr.write(text.stderr);
    io.stdout.write(text.stdout);
  } else {
    // Machine formats carry skip notes inside the document; stderr still gets a one-line count.
    io.stdout.write(options.format === 'json' ? formatJson(result) : formatSarif(result, { toolVersion, cwd: process.cwd() }));
    if (result.skipped.length) io.stderr.write(`zfs-dio: ${result.skipped.length} path(s) skipped (listed in the ${options.format} output)\n`);
    if (result.stats.filesIncomplete) io.stderr.write(`zfs-dio: INCOMPLETE: ${result.stats.filesIncomplete} file(s) or directories could not be read or analysed (exit code 3)\n`);
  }
  if (result.stats.filesIncomplete > 0) return 3;
  const warned = result.files.some((f) => f.findings.some((x) => isWarning(x.severity)));
  return warned ? 1 : 0;
}
