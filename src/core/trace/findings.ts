// The rules, applied to what really happened: the same rule ids as the static scan, with the values
// the kernel saw and the result it gave. A call repeated in a loop is one finding with a count.
import { MESSAGE_LIMIT } from '../analysis/rules/describe';
import { servedMisalignedODirect, targetFromReport } from '../knowledge/target';
import { formatZfs, parseZfsVersion } from '../knowledge/versions';
import { ruleMeta } from '../rules';
import type { Language, ProbeReport, RuleId, Severity, SiteKind } from '../types';
import type { TraceEvent } from './events';
import type { SourceFrame } from './symbolize';

/** What the trace knows about the file system under a path. */
export interface DatasetFacts {
  /** The ZFS dataset, or undefined off ZFS (then `fsType` says what it is). */
  dataset?: string;
  fsType: string;
  recordsize?: number;
  direct?: string;
  moduleVersion?: string;
  /**
   * What a misaligned O_DIRECT call that worked went through on this dataset with this module, from
   * the known-issues verdicts (see servedMisalignedODirect), with the issue that decides it. Only
   * when the module version is known: without it the ARC and the 2.4 uncached fallback look alike.
   */
  servedMisaligned?: { consequence: string; issue?: string; module: string };
}

/**
 * What a misaligned O_DIRECT call that worked went through, for the dataset, module and parameters a
 * report describes (the trace builds one from what it read; no experiments are needed): the
 * known-issues verdicts decide it. Undefined without a module version, or when the module refuses
 * such calls on that dataset.
 */
export function servedMisalignedOn(report: ProbeReport): DatasetFacts['servedMisaligned'] {
  const kmod = parseZfsVersion(report.zfs?.kmod);
  if (!kmod) return undefined;
  const target = targetFromReport(report, 'dataset');
  const consequence = servedMisalignedODirect(target);
  if (!consequence) return undefined;
  return { consequence, ...(target.odirectMisaligned.issue ? { issue: target.odirectMisaligned.issue } : {}), module: formatZfs(kmod) };
}

export interface TraceFindingRecord {
  file: string | null; line: number | null; column: number | null;
  ruleId: RuleId; severity: Severity; message: string;
  /** The whole sentence, where the message had to leave part of it out to stay within MESSAGE_LIMIT. */
  detail?: string;
  language: Language | null; kind: SiteKind; callee: string;
  derived: Record<string, number | string | boolean>;
  fixes: never[];
  observed: {
    syscall: string; pid: number; path?: string; dataset?: string;
    /** The dataset's `direct` property (standard, always, disabled), when the dataset and its properties are known. */
    direct?: string;
    result?: number; errno?: string; count: number;
    /** Where the source line came from: the binary's debug information, or none found. */
    location: 'debug-info' | 'python-bootstrap' | 'none';
    /** The program's own frames, innermost first: the call chain that led to the call. */
    frames: SourceFrame[];
  };
}

export interface FindingContext {
  pageSize: number;
  datasetOf(path: string | undefined): DatasetFacts | undefined;
  /** The program's own frames for an event, innermost first (source lines outside the system's libraries). */
  framesOf(event: TraceEvent): SourceFrame[];
  languageOf(file: string): Language | undefined;
}

const KIND: Record<TraceEvent['kind'], SiteKind | undefined> = {
  open: undefined, set_flags: undefined, io_uring_setup: undefined,
  read: 'o_direct_io', write: 'o_direct_io', copy_file_range: 'copy_file_range', ficlone: 'ficlone', ficlonerange: 'ficlone',
};

/** Where the call went; from level 2 without the dataset's `direct`, from level 3 not at all (fittedAtRunTime). */
function where(facts: DatasetFacts | undefined, level = 0): string {
  if (!facts || level >= 3) return '';
  if (facts.dataset) return ` on ${facts.dataset}${facts.direct && level < 2 ? ` (direct=${facts.direct})` : ''}`;
  return ` on ${facts.fsType}`;
}

function outcome(e: TraceEvent): string {
  if (e.errno) return ` → ${e.errno}`;
  if (e.result !== undefined && e.length !== undefined && e.result >= 0 && e.result < e.length && e.kind !== 'read') return ` → ${e.result} of ${e.length} bytes`;
  return '';
}

/** "the buffer 0x1001 is 1 bytes past a 4096-byte page boundary"; from level 3 (fittedAtRunTime), in fewer words. */
function pastPage(what: string, address: number, page: number, level: number): string {
  const hex = `0x${address.toString(16)}`;
  return level < 3 ? `${what} ${hex} is ${address % page} bytes past a ${page}-byte page boundary` : `${what} ${hex} is not page-aligned (+${address % page})`;
}

interface Draft { ruleId: RuleId; message: string; detail?: string; derived: Record<string, number | string | boolean>; failed: boolean }

/**
 * A run-time finding's message within MESSAGE_LIMIT: `compose(0)` says everything; each higher level
 * leaves out more (what the module did instead; then the dataset's `direct` and how the offset was
 * known; then the dataset, and the buffer's offset is told in fewer words; then the call's offset, where
 * the finding is not about it). A
 * message that had to leave something out keeps the whole sentence as its detail.
 */
function fittedAtRunTime(compose: (level: number) => string): { message: string; detail?: string } {
  const whole = compose(0);
  if (whole.length <= MESSAGE_LIMIT) return { message: whole };
  let message = whole;
  for (let level = 1; level <= 4 && message.length > MESSAGE_LIMIT; level++) message = compose(level);
  return { message, detail: whole };
}

function drafts(e: TraceEvent, ctx: Pick<FindingContext, 'pageSize' | 'datasetOf'>): Draft[] {
  const page = ctx.pageSize;
  const target = ctx.datasetOf(e.file?.path);
  const out: Draft[] = [];
  const failed = e.errno !== undefined;
  const base = { syscall: e.syscall, ...(e.file?.path ? { path: e.file.path } : {}), ...(target?.dataset ? { dataset: target.dataset } : {}) };
  if (e.kind === 'read' || e.kind === 'write') {
    // One description of the call for every rule, as the kernel saw it; each rule adds its reason.
    // From level 4 the offset is left out, except where it is what the finding is about.
    const at = (level: number, offsetMatters: boolean) => (e.offset !== undefined && (level < 4 || offsetMatters)
      ? ` at offset ${e.offset}${e.offsetFrom === 'position' && level < 2 ? ' (the file position)' : ''}` : '');
    const call = (level: number, offsetMatters = false) => `at run time: O_DIRECT ${e.syscall} of ${e.length ?? '?'} bytes${at(level, offsetMatters)}${where(target, level)}${outcome(e)}`;
    // A misaligned call the module did not refuse: say what it went through instead of Direct I/O.
    const served = !failed && e.result !== undefined && target?.servedMisaligned;
    const how = (level: number) => (served && level < 1 ? `; it worked: ${served.consequence} on OpenZFS ${served.module}` : '');
    const servedAs = served ? { servedAs: served.consequence, ...(served.issue ? { knownIssue: served.issue } : {}) } : {};
    if (e.buffer !== undefined && e.buffer % page !== 0) {
      out.push({ ruleId: 'ZDIO001', failed, ...fittedAtRunTime((l) => `${call(l)}; ${pastPage(l < 3 ? 'the buffer' : 'buffer', e.buffer!, page, l)}${how(l)}`),
        derived: { ...base, buffer: `0x${e.buffer.toString(16)}`, bufferMisalignment: e.buffer % page, pageSize: page, ...servedAs } });
    }
    // A vectored call: the first segment whose buffer is misaligned, when strace showed the addresses.
    const badBuffer = e.segmentBuffers?.findIndex((b) => b % page !== 0) ?? -1;
    if (badBuffer >= 0) {
      const b = e.segmentBuffers![badBuffer]!;
      const which = (l: number) => (e.segmentBuffers!.length > 1
        ? (l < 3 ? `segment ${badBuffer + 1} of ${e.segmentBuffers!.length}: its buffer` : `segment ${badBuffer + 1}'s buffer`)
        : l < 3 ? 'the buffer' : 'buffer');
      out.push({ ruleId: 'ZDIO001', failed, ...fittedAtRunTime((l) => `${call(l)}; ${pastPage(which(l), b, page, l)}${how(l)}`),
        derived: { ...base, buffer: `0x${b.toString(16)}`, bufferMisalignment: b % page, segment: badBuffer + 1, pageSize: page, ...servedAs } });
    }
    const badSegment = e.segments?.find((s) => s % page !== 0);
    if (badSegment !== undefined || (e.segments === undefined && e.length !== undefined && e.length % page !== 0)) {
      const len = badSegment ?? e.length!;
      out.push({ ruleId: 'ZDIO002', failed, ...fittedAtRunTime((l) => `${call(l)}; ${badSegment !== undefined ? `a segment of ${len} bytes` : 'the length'} is not a multiple of ${page}${how(l)}`),
        derived: { ...base, length: len, pageSize: page, ...servedAs } });
    }
    if (e.offset !== undefined && e.offset % page !== 0) {
      out.push({ ruleId: 'ZDIO003', failed, ...fittedAtRunTime((l) => `${call(l, true)}; the offset is not a multiple of ${page}${how(l)}`),
        derived: { ...base, offset: e.offset, pageSize: page, ...servedAs } });
    }
    const rs = target?.recordsize;
    if (out.length === 0 && e.kind === 'write' && rs && e.length !== undefined && e.length > 0 && (e.length % rs !== 0 || (e.offset !== undefined && e.offset % rs !== 0))) {
      out.push({ ruleId: 'ZDIO004', failed, ...fittedAtRunTime((l) => `${call(l, true)}; not whole ${rs}-byte records, so part of it goes through the ARC`),
        derived: { ...base, length: e.length, ...(e.offset !== undefined ? { offset: e.offset } : {}), recordsize: rs } });
    }
    if (out.length === 0 && failed) {
      if (e.segments !== undefined && e.segmentBuffers === undefined) {
        // Lengths and offset are aligned, and only the buffers are left unseen.
        out.push({ ruleId: 'ZDIO001', failed, ...fittedAtRunTime((l) => (l < 1
          ? `${call(l)}; the lengths and the offset are page-aligned, and strace did not print the buffer addresses (it prints a vectored write's data instead), so a misaligned buffer is the cause left`
          : `${call(l)}; lengths and offset aligned: the unseen buffer is the cause`)), derived: { ...base } });
      } else {
        out.push({ ruleId: e.buffer !== undefined || e.segmentBuffers !== undefined ? 'ZDIO001' : 'ZDIO002', failed, ...fittedAtRunTime((l) => `${call(l)}; buffer, length and offset are page-aligned, so the refusal has another cause`), derived: { ...base } });
      }
    }
  } else if (e.kind === 'copy_file_range') {
    const source = ctx.datasetOf(e.source?.path);
    const rs = source?.recordsize ?? target?.recordsize;
    const values = `${e.length ?? '?'} bytes from offset ${e.sourceOffset ?? '?'} to ${e.offset ?? '?'}`;
    const misaligned = rs !== undefined && [e.length, e.sourceOffset, e.offset].some((v) => v !== undefined && v % rs !== 0);
    if (misaligned || e.errno === 'EAGAIN') {
      out.push({ ruleId: 'ZDIO010', failed, ...fittedAtRunTime((l) => `at run time: copy_file_range of ${values}${misaligned ? `, not aligned to recordsize ${rs}` : ''}${where(source ?? target, l)}${outcome(e)}`),
        derived: { ...base, ...(e.length !== undefined ? { length: e.length } : {}), ...(rs ? { recordsize: rs } : {}) } });
    }
    if (e.file?.oDirect || e.source?.oDirect) {
      out.push({ ruleId: 'ZDIO011', failed, ...fittedAtRunTime((l) => `at run time: copy_file_range of ${values} with an O_DIRECT ${e.source?.oDirect ? 'source' : 'destination'}${where(source ?? target, l)}${outcome(e)}`),
        derived: { ...base, srcODirect: e.source?.oDirect ?? false, dstODirect: e.file?.oDirect ?? false } });
    }
  } else if (e.kind === 'ficlonerange' || e.kind === 'ficlone') {
    const source = ctx.datasetOf(e.source?.path);
    const rs = source?.recordsize ?? target?.recordsize;
    const misaligned = e.kind === 'ficlonerange' && rs !== undefined && [e.length, e.sourceOffset, e.offset].some((v) => v !== undefined && v !== 0 && v % rs !== 0);
    if (misaligned || failed) {
      const what = e.kind === 'ficlone' ? 'FICLONE' : `FICLONERANGE of ${e.length ?? '?'} bytes from offset ${e.sourceOffset ?? '?'} to ${e.offset ?? '?'}`;
      out.push({ ruleId: 'ZDIO020', failed, ...fittedAtRunTime((l) => `at run time: ${what}${misaligned ? `, not aligned to recordsize ${rs}` : ''}${where(source ?? target, l)}${outcome(e)}`),
        derived: { ...base, ...(rs ? { recordsize: rs } : {}) } });
    }
  }
  return out;
}

/** Whether a call breaks a rule (before any source line is known): what the second pass of --two-pass is for. */
export function becomesFinding(e: TraceEvent, ctx: Pick<FindingContext, 'pageSize' | 'datasetOf'>): boolean {
  return KIND[e.kind] !== undefined && drafts(e, ctx).length > 0;
}

export function traceFindings(events: readonly TraceEvent[], ctx: FindingContext): TraceFindingRecord[] {
  const byKey = new Map<string, TraceFindingRecord>();
  for (const e of events) {
    const kind = KIND[e.kind];
    if (!kind) continue;
    const ds = drafts(e, ctx);
    if (ds.length === 0) continue;
    const frames = ctx.framesOf(e);
    const frame = frames[0];
    // The descriptor's own dataset: the one the finding names, and whose `direct` decided the call's fate.
    const facts = ctx.datasetOf(e.file?.path);
    for (const d of ds) {
      const key = `${d.ruleId}\0${frame ? `${frame.file}:${frame.line}` : `#${e.syscall}`}\0${e.errno ?? ''}\0${e.file?.path ?? ''}`;
      const existing = byKey.get(key);
      if (existing) { existing.observed.count++; continue; }
      byKey.set(key, {
        file: frame?.file ?? null, line: frame?.line ?? null, column: frame ? 1 : null,
        ruleId: d.ruleId, severity: d.failed ? 'error' : ruleMeta(d.ruleId).defaultSeverity, message: d.message, ...(d.detail ? { detail: d.detail } : {}),
        language: frame ? ctx.languageOf(frame.file) ?? null : null, kind, callee: e.syscall,
        derived: d.derived, fixes: [],
        observed: {
          syscall: e.syscall, pid: e.pid, ...(e.file?.path ? { path: e.file.path } : {}),
          ...(d.derived['dataset'] ? { dataset: String(d.derived['dataset']) } : {}),
          ...(facts?.dataset && facts.direct ? { direct: facts.direct } : {}),
          ...(e.result !== undefined ? { result: e.result } : {}), ...(e.errno ? { errno: e.errno } : {}), count: 1,
          // A script's line comes from the bootstrap's marker before the call, a binary's from its debug information.
          location: e.scriptFrame ? 'python-bootstrap' : frame ? 'debug-info' : 'none', frames,
        },
      });
    }
  }
  return [...byKey.values()];
}
