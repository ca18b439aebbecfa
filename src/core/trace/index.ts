// `zfs-dio trace`: run a command under strace, replay its descriptor table, put each relevant call
// on the program's own source line, and apply the rules to the values the kernel really saw.
import path from 'node:path';
import { languageForFile } from '../analysis/languages';
import { datasetProperties, readModuleParameters, readMountTable, type DiscoveryContext } from '../probe/discover';
import { resolveBinary } from '../probe/exec';
import { mountForPath } from '../probe/mountinfo';
import type { ProbeHost } from '../probe/host';
import { replayTrace, type TraceEvent } from './events';
import { becomesFinding, servedMisalignedOn, traceFindings, type DatasetFacts, type TraceFindingRecord } from './findings';
import { parseStraceOutput, type RawFrame } from './strace-output';
import { matchSecondPass, planSecondPass } from './two-pass';
import { createSymbolizer, isSystemSource, type SourceFrame } from './symbolize';
import { runUnderStrace, type TraceRunOptions } from './tracer';

export interface TraceEventRecord {
  syscall: string; pid: number; fd: number | null; path: string | null; dataset: string | null;
  /** The dataset's `direct` property; null off ZFS or when `zfs get` could not be read. */
  direct: string | null;
  args: Record<string, number | string | boolean | number[] | string[]>;
  result: number | null; errno: string | null;
  frames: SourceFrame[];
}

/** What the second pass of --two-pass did. */
export interface SecondPassReport {
  /** False when pass 1 found nothing that needed a source line from a stack. */
  ran: boolean;
  /** The system calls and files pass 2 traced with stacks. */
  syscalls: string[];
  paths: string[] | null;
  /** The calls that became findings and got their stack from pass 2, and those pass 2 did not repeat. */
  matched: number;
  unmatched: number;
  exitCode?: number;
  durationMs: number;
}

export interface TraceReport {
  version: 1;
  command: string[];
  exitCode: number;
  signal?: string;
  /** The whole trace; with --two-pass, both runs of the command and the work between them. */
  durationMs: number;
  /** Present with --two-pass. */
  secondPass?: SecondPassReport;
  events: TraceEventRecord[];
  findings: TraceFindingRecord[];
  notes: string[];
}

export interface TraceOptions extends TraceRunOptions {
  pageSize: number;
  host: ProbeHost;
  /** zfs and zpool for the dataset properties; default: found like the probe finds them (zfsPath, $ZFS_DIO_ZFS, PATH). */
  discovery?: DiscoveryContext;
  zfsPath?: string;
  addr2line?: string;
  /** The directory holding the Python bootstrap (sitecustomize.py); default: the one shipped in dist/. */
  pythonBootstrap?: string;
  /**
   * Run the command twice: first without stacks, then, only if calls became findings, again with
   * stacks for just those system calls on just those files (see two-pass.ts). `stacks` is ignored.
   */
  twoPass?: boolean;
}

/** dist/trace/python next to the bundle (build.mjs copies src/core/trace/python there). */
export function defaultPythonBootstrap(): string {
  return path.join(__dirname, 'trace', 'python');
}

export async function traceCommand(options: TraceOptions): Promise<TraceReport> {
  const started = Date.now();
  const bootstrap = options.pythonBootstrap ?? defaultPythonBootstrap();
  const inherited = options.env?.['PYTHONPATH'] ?? options.host.env['PYTHONPATH'];
  const runOptions = { ...options, env: { ...options.env, PYTHONPATH: inherited ? `${bootstrap}:${inherited}` : bootstrap } };
  const run = await runUnderStrace({ ...runOptions, ...(options.twoPass ? { stacks: false } : {}) });
  const output = parseStraceOutput(run.text);
  const events = replayTrace(output);
  const notes: string[] = [];
  let discovery = options.discovery;
  if (!discovery) {
    try {
      const zfs = await resolveBinary('zfs', options.zfsPath, options.host.env);
      discovery = { host: options.host, zfs, zpool: zfs, timeoutMs: 30_000, ...(options.signal ? { signal: options.signal } : {}) };
    } catch { /* no zfs command: datasets are named from the mount table only */ }
  }
  const datasets = await datasetFacts(events, { ...options, ...(discovery ? { discovery } : {}) });
  const datasetOf = (p: string | undefined) => (p ? datasets.get(p) : undefined);

  // The stacks: from the one run, or, with --two-pass, from a second run for the calls that need them.
  let rawFrames = (e: TraceEvent): readonly RawFrame[] => e.frames;
  let secondPass: SecondPassReport | undefined;
  if (options.twoPass) {
    const plan = planSecondPass(events, (e) => becomesFinding(e, { pageSize: options.pageSize, datasetOf }));
    if (!plan) {
      secondPass = { ran: false, syscalls: [], paths: null, matched: 0, unmatched: 0, durationMs: 0 };
    } else {
      const second = await runUnderStrace({ ...runOptions, stacks: true, only: { syscalls: plan.syscalls, ...(plan.paths ? { paths: plan.paths } : {}) } });
      const match = matchSecondPass(plan, parseStraceOutput(second.text));
      rawFrames = (e) => match.frames.get(e) ?? [];
      secondPass = {
        ran: true, syscalls: plan.syscalls, paths: plan.paths ?? null, matched: match.matched, unmatched: match.unmatched,
        exitCode: second.exitCode, durationMs: second.durationMs,
      };
      if (match.unmatched > 0) {
        notes.push(`two passes: the second run did not repeat ${match.unmatched} of the ${plan.events.length} calls that became findings `
          + '(the program did not do the same thing twice); those keep the first run\'s values and have no source line');
      }
      if (second.exitCode !== run.exitCode) notes.push(`two passes: the command exited with ${run.exitCode} the first time and ${second.exitCode} the second`);
    }
  }
  const symbolizer = createSymbolizer(options.addr2line, options.signal);
  await symbolizer.prefetch(events.flatMap((e) => rawFrames(e)));
  if (symbolizer.unavailable) notes.push(`source lines: ${symbolizer.unavailable}`);
  const framesOf = new Map<TraceEvent, SourceFrame[]>();
  for (const e of events) {
    const native = (await symbolizer.resolve(rawFrames(e))).filter((f): f is SourceFrame => f !== undefined);
    framesOf.set(e, e.scriptFrame ? [e.scriptFrame, ...native] : native);
  }
  const findings = traceFindings(events, {
    pageSize: options.pageSize,
    datasetOf,
    framesOf: (e) => (framesOf.get(e) ?? []).filter((f) => !isSystemSource(f.file)),
    languageOf: (file) => languageForFile(file),
  });
  const unseenBuffers = events.filter((e) => e.segments !== undefined && e.segmentBuffers === undefined).length;
  if (unseenBuffers > 0) {
    notes.push(`${unseenBuffers} vectored O_DIRECT call(s) had their buffer addresses unchecked: strace prints the data of a vectored write `
      + 'and of a vectored read that worked, not the addresses (it prints them only for a vectored read that failed)');
  }
  if (events.some((e) => e.kind === 'io_uring_setup')) {
    notes.push('the program set up io_uring: requests submitted through its rings are not visible to strace, so their alignment is not checked at run time');
  }
  // With --two-pass only the calls that became findings were given stacks: the others have none, by design.
  if (!options.twoPass && events.length > 0 && events.every((e) => e.frames.length === 0)) {
    notes.push('no stack traces were recorded (strace without -k support?): findings have no source line');
  } else if (findings.some((f) => f.file === null)) {
    notes.push('some calls have no source line: build the program with -g (C, C++, Rust, Go); for Python the frames are the interpreter\'s');
  }
  return {
    version: 1, command: options.command, exitCode: run.exitCode, ...(run.signal ? { signal: run.signal } : {}),
    durationMs: options.twoPass ? Date.now() - started : run.durationMs,
    ...(secondPass ? { secondPass } : {}),
    events: events.map((e) => eventRecord(e, datasetOf, framesOf.get(e) ?? [])),
    findings, notes,
  };
}

function eventRecord(e: TraceEvent, datasetOf: (p: string | undefined) => DatasetFacts | undefined, frames: SourceFrame[]): TraceEventRecord {
  const args: TraceEventRecord['args'] = {};
  if (e.buffer !== undefined) args['buffer'] = `0x${e.buffer.toString(16)}`;
  if (e.length !== undefined) args['length'] = e.length;
  if (e.segments) args['segments'] = e.segments;
  if (e.segmentBuffers) args['segmentBuffers'] = e.segmentBuffers.map((b) => `0x${b.toString(16)}`);
  if (e.offset !== undefined) args['offset'] = e.offset;
  if (e.offsetFrom) args['offsetFrom'] = e.offsetFrom;
  if (e.sourceOffset !== undefined) args['sourceOffset'] = e.sourceOffset;
  if (e.source) { args['sourceFd'] = e.source.fd; if (e.source.path) args['sourcePath'] = e.source.path; args['sourceODirect'] = e.source.oDirect; }
  if (e.flags !== undefined) args['flags'] = `0x${e.flags.toString(16)}`;
  if (e.file) args['oDirect'] = e.file.oDirect;
  const facts = datasetOf(e.file?.path);
  return {
    syscall: e.syscall, pid: e.pid, fd: e.file?.fd ?? null, path: e.file?.path ?? null,
    dataset: facts?.dataset ?? null, direct: (facts?.dataset && facts.direct) || null, args,
    result: e.result ?? null, errno: e.errno ?? null, frames,
  };
}

/** The file system under every path the events touched: the mount table, then `zfs get` for ZFS datasets. */
async function datasetFacts(events: readonly TraceEvent[], options: TraceOptions): Promise<Map<string, DatasetFacts>> {
  const out = new Map<string, DatasetFacts>();
  const paths = new Set<string>();
  for (const e of events) for (const p of [e.file?.path, e.source?.path]) if (p && p.startsWith('/')) paths.add(p);
  if (paths.size === 0) return out;
  const table = await readMountTable(options.host);
  const zfsDatasets = new Set<string>();
  for (const p of paths) {
    const mount = mountForPath(table, p);
    if (!mount) continue;
    out.set(p, mount.fsType === 'zfs' ? { fsType: 'zfs', dataset: mount.source } : { fsType: mount.fsType });
    if (mount.fsType === 'zfs') zfsDatasets.add(mount.source);
  }
  if (zfsDatasets.size === 0) return out;
  const kmod = (await options.host.readText('/sys/module/zfs/version'))?.trim() || undefined;
  const version = kmod?.replace(/-\d+$/, '');
  // The parameters that decide a misaligned O_DIRECT call's fate (zfs_dio_enabled, zfs_dio_strict…).
  const moduleParameters = kmod ? await readModuleParameters(options.host) : {};
  let props = new Map<string, Record<string, { value: string; source: string }>>();
  if (options.discovery) {
    try { props = (await datasetProperties(options.discovery, [...zfsDatasets])).props; } catch { /* named from the mount table only */ }
  }
  for (const facts of out.values()) {
    if (!facts.dataset) continue;
    const p = props.get(facts.dataset);
    const rs = Number(p?.['recordsize']?.value);
    if (Number.isSafeInteger(rs) && rs > 0) facts.recordsize = rs;
    if (p?.['direct']?.value) facts.direct = p['direct'].value;
    if (version) facts.moduleVersion = version;
    const served = kmod ? servedMisalignedOn({
      version: 1, zfs: { kmod, userland: null }, kernel: options.host.kernelRelease(), pageSize: options.pageSize,
      dataset: { name: facts.dataset, mountpoint: '', properties: Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, v.value])) },
      moduleParameters, experiments: [], verdicts: [],
    }) : undefined;
    if (served) facts.servedMisaligned = served;
  }
  return out;
}
