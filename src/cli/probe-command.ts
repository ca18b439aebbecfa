// `zfs-dio probe [dataset|path] [--json] [--ab] [--yes] [--timeout SECONDS]`
// Exit codes: 0 the probe completed (whatever it found), 2 usage error or bad input (invalid or
// unknown dataset name, missing path, A/B without confirmation), 3 environment problem (no ZFS,
// not on ZFS, permission, full dataset, timeout, runner failure, a scratch directory tampered with),
// 4 something the probe created on the dataset could not be removed (wins over every other code),
// 130 cancelled (Ctrl-C, SIGINT), 143 stopped by SIGTERM.
import { createInterface } from 'node:readline/promises';
import type { ProbeErrorCode, ProbeOptions, ProbeReport } from '../core/types';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ProbeError, runProbe, EXPERIMENTS, listDatasets, looksLikePath } from '../core/probe/index';
import type { CliIO } from './io';
import { UsageError } from './io';
import { parseCommandLine, parsePositiveInt, type OptionSpecs } from './args';

export const PROBE_USAGE = `usage: zfs-dio probe [dataset|path] [--json] [--ab] [--yes] [--timeout SECONDS]

Measures what this machine's OpenZFS does with copy_file_range and O_DIRECT: runs a small
experiment matrix in a scratch directory on the dataset (removed afterwards) and evaluates the
known issues for the versions found. Without a target, probes the dataset of the current directory.
A target with a "/" at the start, ".", ".." or "~", or a file or directory that exists here, is a
path (the dataset it is on is probed); anything else is a dataset name (tank/data).

  --json             print the report as JSON (version 1)
  --ab               also create two temporary child datasets (direct=always, direct=standard),
                     run the matrix on both and destroy them (needs root or zfs allow delegation)
  --yes              confirm --ab without asking
  --timeout SECONDS  limit for the experiment runner (default 120)

exit codes: 0 completed, 2 usage error or bad input, 3 environment problem (no ZFS, not on ZFS,
permission, full dataset, timeout, runner failure, scratch directory tampered with), 4 the scratch
directory could not be removed (the message says where), 130 cancelled (SIGINT), 143 SIGTERM
`;

export interface ProbeCommandDeps {
  probe?: (opts: ProbeOptions) => Promise<ProbeReport>;
  /** Fails with a ProbeError when there is no ZFS to probe; checked before --ab asks its question. */
  checkZfs?: () => Promise<void>;
  /** Asks the user a yes/no question; default: readline on the terminal, refused when not interactive. */
  confirm?: (question: string) => Promise<boolean>;
  signal?: AbortSignal;
}

interface ProbeArgs { target?: string; json: boolean; ab: boolean; yes: boolean; timeoutS?: number; help: boolean }

export const PROBE_OPTIONS = {
  json: { type: 'boolean' }, ab: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' },
  timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export function parseProbeArgs(argv: string[]): ProbeArgs {
  const { options, positionals } = parseCommandLine(argv, PROBE_OPTIONS);
  if (positionals.length > 1) {
    throw new UsageError(`only one dataset or path can be probed at a time (got ${positionals.map((p) => JSON.stringify(p)).join(' and ')})`);
  }
  return {
    json: options.json ?? false, ab: options.ab ?? false, yes: options.yes ?? false, help: options.help ?? false,
    ...(positionals[0] !== undefined ? { target: positionals[0] } : {}),
    ...(options.timeout !== undefined ? { timeoutS: parsePositiveInt('--timeout', options.timeout, 3600) } : {}),
  };
}

/**
 * On the command line an error's explanation article is named by its absolute path, next to this program in
 * the extension (dist/cli.js, so one level up), and only when the file is there: a path relative to the
 * extension means nothing from the user's directory.
 */
export function withArticlePointer(message: string, article: string | undefined, root = packageRoot()): string {
  if (!article) return message;
  const file = path.resolve(root, article);
  if (!existsSync(file)) return message;
  return `${/[.?!]$/.test(message) ? message : `${message}.`} See ${file} for an explanation.`;
}

function packageRoot(): string {
  return path.resolve(__dirname, '..');
}

/**
 * A bare name that is also a file or directory here ("samples") is far more likely meant as that path than as
 * a dataset: probe the path, and say so, with the way to name a dataset.
 */
export function targetAsPath(target: string | undefined, cwd = process.cwd()): string | undefined {
  if (target === undefined || looksLikePath(target)) return undefined;
  return existsSync(path.resolve(cwd, target)) ? `./${target}` : undefined;
}

const EXIT_BY_CODE: Record<Exclude<ProbeErrorCode, 'CANCELLED'>, number> = {
  BAD_INPUT: 2, NO_DATASET: 2,
  NO_ZFS: 3, NOT_ON_ZFS: 3, PERMISSION: 3, TIMEOUT: 3, RUNNER_FAILED: 3, TAMPERED: 3, NO_SPACE: 3,
};
/** Something the probe made is still on the dataset: this wins over every other code. */
export const EXIT_LEFT_BEHIND = 4;
const EXIT_BY_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

export async function run(argv: string[], io: CliIO, deps: ProbeCommandDeps = {}): Promise<number> {
  let args: ProbeArgs;
  try {
    args = parseProbeArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`zfs-dio probe: ${e.message}\n${PROBE_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help) { io.stdout.write(PROBE_USAGE); return 0; }
  const asPath = targetAsPath(args.target);
  if (asPath !== undefined) {
    io.stderr.write(`zfs-dio probe: ${args.target} is a ${statKind(asPath)} here: probing the dataset it is on `
      + `(to probe the dataset named ${args.target} instead, run the command from a directory that has no ${args.target} in it)\n`);
    args = { ...args, target: asPath };
  }
  if (args.ab && !args.yes) {
    // No question about datasets that cannot exist: the lack of ZFS is the answer.
    try {
      await (deps.checkZfs ?? (async () => { await listDatasets(); }))();
    } catch (e) {
      if (!(e instanceof ProbeError)) throw e;
      io.stderr.write(`zfs-dio probe: ${withArticlePointer(oneLine(e.message), e.article)}\n`);
      return EXIT_BY_CODE[e.code as Exclude<ProbeErrorCode, 'CANCELLED'>] ?? 3;
    }
    const confirm = deps.confirm ?? terminalConfirm;
    const what = args.target ?? 'the dataset of the current directory';
    const ok = await confirm(`--ab creates two child datasets under ${what} (direct=always and direct=standard), `
      + 'runs the experiments on them and destroys them. Continue? [y/N] ');
    if (!ok) {
      io.stderr.write('zfs-dio probe: --ab needs confirmation: answer "y", or pass --yes when not running in a terminal\n');
      return 2;
    }
  }

  const controller = new AbortController();
  // SIGINT and SIGTERM cancel: the probe stops the runner and waits for its scratch directory to be
  // removed before it returns, so the process exits only after the cleanup. `on`, not `once`: execa's
  // exit handler re-raises the signal when it is the only listener left, which would kill us before
  // the cleanup. A second signal leaves at once.
  let stoppedBy: keyof typeof EXIT_BY_SIGNAL | undefined;
  const onSignal = (signal: keyof typeof EXIT_BY_SIGNAL) => {
    if (controller.signal.aborted) {
      io.stderr.write(`zfs-dio probe: stopped by a second ${signal} before the cleanup finished; a scratch directory may be left on the dataset\n`);
      process.exit(EXIT_LEFT_BEHIND);
    }
    stoppedBy = signal;
    controller.abort();
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  if (!deps.signal) { process.on('SIGINT', onSigint); process.on('SIGTERM', onSigterm); }
  deps.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const opts: ProbeOptions = {
    target: args.target, ab: args.ab, signal: controller.signal,
    ...(args.timeoutS ? { runnerTimeoutMs: args.timeoutS * 1000, commandTimeoutMs: Math.min(15000, args.timeoutS * 1000) } : {}),
  };
  try {
    const report = await (deps.probe ?? runProbe)(opts);
    io.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
    if (report.run && !report.run.cleanedUp) {
      io.stderr.write(`zfs-dio probe: WARNING: the scratch directory was not removed: ${oneLine(report.run.cleanupProblem ?? report.run.scratchDir)}\n`);
      return EXIT_LEFT_BEHIND;
    }
    return 0;
  } catch (e) {
    if (e instanceof ProbeError) {
      io.stderr.write(`zfs-dio probe: ${withArticlePointer(oneLine(e.message), e.article)}\n`);
      // A script reading --json output gets an answer on stdout too, not an empty stream to guess from;
      // an interrupted run stays silent there, as the one who interrupted it knows why.
      if (args.json && e.code !== 'CANCELLED') io.stdout.write(JSON.stringify(probeErrorJson(e), null, 2) + '\n');
      if (e.leftBehind) {
        io.stderr.write(`zfs-dio probe: WARNING: the probe could not clean up after itself: ${oneLine(e.leftBehind)}\n`);
        return EXIT_LEFT_BEHIND;
      }
      if (e.code === 'CANCELLED') return EXIT_BY_SIGNAL[stoppedBy ?? 'SIGINT'];
      return EXIT_BY_CODE[e.code] ?? 3;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigterm);
  }
}

/** The JSON object `probe --json` prints instead of a report when the probe cannot run. */
export function probeErrorJson(e: ProbeError): { error: { code: string; message: string; detail?: string; article?: string; leftBehind?: string } } {
  return {
    error: {
      code: e.code, message: oneLine(e.message),
      ...(e.detail ? { detail: e.detail } : {}), ...(e.article ? { article: e.article } : {}),
      ...(e.leftBehind ? { leftBehind: oneLine(e.leftBehind) } : {}),
    },
  };
}

function statKind(p: string): string {
  try { return statSync(p).isDirectory() ? 'directory' : 'file'; } catch { return 'path'; }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

async function terminalConfirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

// ---------------------------------------------------------------------------------------------
// human-readable report

export function formatReport(r: ProbeReport): string {
  const lines: string[] = [];
  const d = r.dataset;
  lines.push(`ZFS Direct I/O probe of ${d ? `${d.name} (mounted at ${d.mountpoint})` : '(no dataset)'}`);
  if (r.run && !r.run.cleanedUp) {
    lines.push(`  WARNING: the scratch directory was not removed: ${r.run.cleanupProblem ?? r.run.scratchDir}`);
  }
  lines.push(`  OpenZFS kernel module ${r.zfs.kmod ?? 'unknown'}, userland ${r.zfs.userland ?? 'unknown'}; `
    + `Linux ${r.kernel ?? 'unknown'}; page size ${r.pageSize ?? 'unknown'}`);
  if (d) {
    const props = Object.entries(d.properties).map(([k, v]) => `${k}=${v}${d.propertySources?.[k] ? ` (${d.propertySources[k]})` : ''}`);
    lines.push(`  dataset: ${props.join(', ') || '(properties unknown)'}`);
  }
  if (r.moduleParameters) {
    lines.push(`  module parameters: ${Object.entries(r.moduleParameters)
      .map(([k, v]) => `${k}=${v ?? '(not in this version)'}`).join(', ')}`);
  }
  if (r.pool) {
    const feats = Object.entries(r.pool.features).map(([k, v]) => `feature@${k}=${v}`);
    const props = Object.entries(r.pool.properties).filter(([k]) => !k.startsWith('iostats.')).map(([k, v]) => `${k}=${v}`);
    lines.push(`  pool ${r.pool.name}: ${[...feats, ...props].join(', ')}`);
  }
  lines.push(`  STATX_DIOALIGN: ${r.statxDioAlign ? `memory ${r.statxDioAlign.memAlign}, offset ${r.statxDioAlign.offsetAlign}` : 'not reported'}`);
  lines.push('', 'Experiments (return value or errno; clone/copy from bclonesaved; direct/ARC from the iostats kstat)');
  lines.push(...formatExperiments(r.experiments));
  for (const run of r.ab?.runs ?? []) {
    lines.push('', `A/B: ${run.dataset.name} (direct=${run.dataset.properties.direct ?? '?'})`);
    lines.push(...formatExperiments(run.experiments));
  }
  if (r.ab) lines.push(`  destroyed: ${r.ab.destroyed.join(', ') || '(nothing)'}`);
  lines.push('', 'Known issues');
  for (const v of r.verdicts) {
    lines.push(`  ${v.issue.padEnd(20)} ${v.status.toUpperCase()}${v.title ? ` — ${v.title}` : ''}`);
    for (const reason of v.reasons) lines.push(`      ${reason}`);
    if (v.contradiction) lines.push(`      CONTRADICTION: ${v.contradiction}`);
    if (v.status === 'affected' && v.workaround) lines.push(`      workaround: ${v.workaround}`);
  }
  if (r.verdicts.length === 0) lines.push('  (no verdicts)');
  if (r.notes?.length) {
    lines.push('', 'Notes');
    for (const n of r.notes) lines.push(`  - ${n}`);
  }
  return lines.join('\n') + '\n';
}

const IO_WORDS = { direct: 'direct', arc: 'through the ARC', uncached: 'through the ARC, uncached' } as const;

function formatExperiments(list: ProbeReport['experiments']): string[] {
  return list.map((e) => {
    const spec = EXPERIMENTS.find((s) => s.id === e.id);
    const outcome = e.result === 'ok' ? `ok, ${e.bytes} bytes` : (e.errno ?? 'error');
    const extras: string[] = [];
    if (e.cloned !== null) extras.push(e.cloned ? 'cloned' : 'copied');
    if (e.io !== 'unknown') extras.push(IO_WORDS[e.io]);
    if (e.dataOk === false) extras.push('DATA MISMATCH');
    else if (e.dataOk === true) extras.push('data verified');
    return `  ${e.id.padEnd(24)} ${outcome.padEnd(18)} ${extras.join(', ')}${spec ? `\n      ${spec.description}` : ''}`;
  });
}
