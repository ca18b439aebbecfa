// Turns a probe report into one verdict per known issue, using only the data in known-issues.json.
// Behaviour follows the kernel module version (/sys/module/zfs/version), never the userland tools'
// version, which distributions do not always bump. Every reason names the fact it used, so a user can check it.
import rawData from './known-issues.json';
import type { ExperimentId, ExperimentResult, ProbeReport, Verdict, VerdictStatus } from '../types';
import { EXPERIMENT_IDS, EXPERIMENTS } from '../probe/experiments/catalog';
import {
  compareZfs, describeInRange, formatKernel, formatZfs, kernelInRange, parseKernelVersion,
  parseZfsVersion, zfsInRange, zfsVersionOf, type KernelVersion, type VersionRange, type ZfsVersion,
} from './versions';

// ---------------------------------------------------------------------------------------------
// Shape of known-issues.json

export interface LabeledRange extends VersionRange { label: string }
export interface Source { label: string; url: string }

export interface ParameterFacts {
  meaning: string;
  exists: VersionRange[];
  /** Linux code defaults by module version; FreeBSD defaults differ and are not modelled. */
  linuxDefaults: (VersionRange & { value: string; label: string })[];
  source: string;
}

export interface ParameterCondition {
  name: string;
  /** The issue cannot happen when the parameter has one of these values. */
  unaffectedValues?: string[];
  /** What a parameter that does not exist in this module means: default "unknown". */
  missing?: 'affected' | 'not-affected' | 'continue' | 'unknown';
  missingLabel?: string;
  label: string;
}

export type AlignmentClass = 'recordsize-aligned' | 'page-aligned' | 'page-misaligned';

export interface Expectation {
  experiments: ExperimentId[];
  /** Only compare when the experiment's range has this alignment (from its params, else from its id). */
  requires?: AlignmentClass;
  when: {
    kmod?: VersionRange;
    kernel?: VersionRange;
    direct?: string[];
    parameters?: Record<string, string[]>;
    poolFeature?: string[];
  };
  expect: { result?: 'ok' | 'error'; errno?: string; cloned?: boolean };
  /** Where the prediction comes from (measured on which version, or read in which code). */
  basis: string;
  /** Why the system behaves so, added to the reasons when the probe confirms this prediction. */
  explains?: string;
}

/** Which direct= values an issue needs, optionally different from some module version on. */
export interface DirectCondition { affectedValues: string[]; notes: Record<string, string> }

export interface KnownIssue {
  id: string;
  title: string;
  kind: 'bug' | 'behaviour' | 'behaviour-change' | 'default-change' | 'missing-feature';
  platforms: ('linux' | 'freebsd')[];
  versions: { affected: LabeledRange[]; notAffected: LabeledRange[] };
  fixedIn: string[];
  kernel?: { affected: LabeledRange[]; notAffected: LabeledRange[]; note?: string };
  parameters?: ParameterCondition[];
  parameterNotes?: Record<string, Record<string, string>>;
  backportEvidence?: { parameter: string; status: VerdictStatus; reason: string };
  direct?: DirectCondition & { byVersion?: (VersionRange & DirectCondition)[] };
  poolFeature?: { name: string; affectedValues: string[]; label: string };
  versionNotes?: (VersionRange & { text: string })[];
  statx?: { reportedFrom: string };
  hazard?: { experiments: ExperimentId[]; description: string };
  trigger: string;
  /** errno: the main symptom; otherErrnos: further errors the same bug gives on other paths. */
  symptom: { errno: string | null; otherErrnos?: string[]; description: string };
  workaround: string;
  sources: Source[];
  confidence?: string;
  article: string;
  expectations: Expectation[];
}

export interface KnownIssuesData {
  schema: 1;
  about: string;
  checkedThrough: string[];
  parameters: Record<string, ParameterFacts>;
  issues: KnownIssue[];
}

export { EXPERIMENT_IDS };

/** Plain-language names for the experiment ids, used in contradiction messages (from the probe's catalog). */
const EXPERIMENT_WORDS = Object.fromEntries(EXPERIMENTS.map((e) => [e.id, e.phrase])) as Record<ExperimentId, string>;

/** The alignment each copy experiment has by definition (issue #3), when it does not report its params. */
const DEFAULT_CFR_CLASS: Partial<Record<ExperimentId, AlignmentClass>> = {
  'cfr.aligned': 'recordsize-aligned',
  'cfr.odirect.aligned': 'recordsize-aligned',
  'cfr.page': 'page-aligned',
  'cfr.odirect.page': 'page-aligned',
  'cfr.misaligned': 'page-misaligned',
  'cfr.odirect.misaligned': 'page-misaligned',
};

const DIRECT_VALUES = new Set(['disabled', 'standard', 'always']);

// ---------------------------------------------------------------------------------------------
// Loading and validating the data (once). A broken data file is a bug, so it throws loudly.

let cached: KnownIssuesData | undefined;

export function knownIssuesData(): KnownIssuesData {
  cached ??= validateKnownIssues(rawData);
  return cached;
}

export function listKnownIssues(): readonly KnownIssue[] { return knownIssuesData().issues; }

// One owner for the issue-to-article naming, shared with the webview.
import { articleIdForIssue } from '../panel-protocol';
export { articleIdForIssue };

export function validateKnownIssues(data: unknown): KnownIssuesData {
  const problems: string[] = [];
  const d = data as Partial<KnownIssuesData>;
  const checkZfs = (where: string, text: string | undefined): void => {
    if (text !== undefined && !parseZfsVersion(text)) problems.push(`${where}: "${text}" is not an OpenZFS version`);
  };
  const checkKernel = (where: string, text: string | undefined): void => {
    if (text !== undefined && !parseKernelVersion(text)) problems.push(`${where}: "${text}" is not a kernel version`);
  };
  const checkRange = (where: string, r: VersionRange, check: typeof checkZfs): void => {
    check(where, r.from); check(where, r.before); check(where, r.through);
    if (r.before !== undefined && r.through !== undefined) problems.push(`${where}: both before and through`);
  };
  if (d.schema !== 1) problems.push('schema must be 1');
  if (!Array.isArray(d.issues) || d.issues.length === 0) problems.push('issues must be a non-empty array');
  for (const [name, p] of Object.entries(d.parameters ?? {})) {
    p.exists.forEach((r) => checkRange(`parameter ${name}.exists`, r, checkZfs));
    p.linuxDefaults.forEach((r) => checkRange(`parameter ${name}.linuxDefaults`, r, checkZfs));
  }
  const seen = new Set<string>();
  for (const issue of d.issues ?? []) {
    const at = `issue ${issue.id ?? '(no id)'}`;
    if (!issue.id || seen.has(issue.id)) problems.push(`${at}: missing or duplicate id`);
    seen.add(issue.id);
    for (const field of ['title', 'trigger', 'workaround', 'article'] as const) {
      if (typeof issue[field] !== 'string' || issue[field].length === 0) problems.push(`${at}: ${field} missing`);
    }
    if (issue.article !== articleIdForIssue(issue.id)) problems.push(`${at}: article must be ${articleIdForIssue(issue.id)}`);
    if (!issue.sources?.length || issue.sources.some((s) => !/^https:\/\//.test(s.url))) problems.push(`${at}: sources need https URLs`);
    if (!issue.versions?.affected || !issue.versions?.notAffected) problems.push(`${at}: versions.affected/notAffected missing`);
    [...(issue.versions?.affected ?? []), ...(issue.versions?.notAffected ?? [])].forEach((r) => checkRange(`${at} versions`, r, checkZfs));
    issue.fixedIn?.forEach((v) => checkZfs(`${at} fixedIn`, v));
    [...(issue.kernel?.affected ?? []), ...(issue.kernel?.notAffected ?? [])].forEach((r) => checkRange(`${at} kernel`, r, checkKernel));
    issue.versionNotes?.forEach((r) => checkRange(`${at} versionNotes`, r, checkZfs));
    for (const p of issue.parameters ?? []) {
      if (!d.parameters?.[p.name]) problems.push(`${at}: parameter ${p.name} has no facts in "parameters"`);
    }
    if (issue.statx) checkZfs(`${at} statx`, issue.statx.reportedFrom);
    for (const e of issue.expectations ?? []) {
      for (const id of e.experiments) if (!EXPERIMENT_IDS.includes(id)) problems.push(`${at}: unknown experiment ${id}`);
      if (e.when.kmod) checkRange(`${at} expectation`, e.when.kmod, checkZfs);
      if (e.when.kernel) checkRange(`${at} expectation`, e.when.kernel, checkKernel);
      if (e.when.direct?.some((v) => !DIRECT_VALUES.has(v))) problems.push(`${at}: bad direct value in expectation`);
      if (e.expect.result === undefined && e.expect.cloned === undefined) problems.push(`${at}: expectation predicts nothing`);
      if (!e.basis) problems.push(`${at}: expectation without basis`);
    }
    for (const id of issue.hazard?.experiments ?? []) if (!EXPERIMENT_IDS.includes(id)) problems.push(`${at}: unknown hazard experiment ${id}`);
  }
  if (problems.length) throw new Error(`known-issues.json is invalid:\n- ${problems.join('\n- ')}`);
  return d as KnownIssuesData;
}

// ---------------------------------------------------------------------------------------------
// What the evaluator knows about the probed system

type ParamReading =
  | { known: true; value: string | null; text: string }   // value null = the module has no such parameter
  | { known: false; text: string };

interface Context {
  report: ProbeReport;
  kmodRaw: string | null;
  kmod: ZfsVersion | undefined;
  userland: ZfsVersion | undefined;
  kernel: KernelVersion | undefined;
  direct: string | undefined;
  datasetName: string | undefined;
  recordsize: number | undefined;
  data: KnownIssuesData;
  param(name: string): ParamReading;
  poolFeature(name: string): string | undefined;
}

function parseSize(text: string | number | boolean | undefined): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const m = /^(\d+)([KMG]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * unit;
}

function makeContext(report: ProbeReport, data: KnownIssuesData): Context {
  const kmodRaw = report.zfs?.kmod?.trim() || null;
  const kmod = parseZfsVersion(kmodRaw);
  const directRaw = report.dataset?.properties?.direct?.trim().toLowerCase();
  const ctx: Context = {
    report, kmodRaw, kmod,
    userland: parseZfsVersion(report.zfs?.userland),
    kernel: parseKernelVersion(report.kernel),
    direct: directRaw && DIRECT_VALUES.has(directRaw) ? directRaw : undefined,
    datasetName: report.dataset?.name,
    recordsize: parseSize(report.dataset?.properties?.recordsize),
    data,
    param(name) {
      const measured = report.moduleParameters;
      if (measured && Object.prototype.hasOwnProperty.call(measured, name)) {
        const v = measured[name];
        if (v === null || v === undefined) return { known: true, value: null, text: `${name} does not exist in this module` };
        return { known: true, value: v.trim(), text: `${name}=${v.trim()} (read from the module)` };
      }
      const facts = data.parameters[name];
      if (!facts || !kmod || kmod.development || kmod.freebsd) {
        return { known: false, text: `${name} was not read from the module and its default cannot be derived` };
      }
      if (!facts.exists.some((r) => zfsInRange(kmod, r))) {
        return { known: true, value: null, text: `${name} does not exist in ${formatZfs(kmod)} (assumed from the version)` };
      }
      const d = facts.linuxDefaults.find((r) => zfsInRange(kmod, r));
      if (!d) return { known: false, text: `${name} was not read from the module and its default for ${formatZfs(kmod)} is not in the database` };
      return { known: true, value: d.value, text: `${name}=${d.value} assumed (not read from the module; ${d.label})` };
    },
    poolFeature(name) {
      const features = report.pool?.features;
      if (!features) return undefined;
      const v = features[`feature@${name}`] ?? features[name];
      return v?.trim().toLowerCase();
    },
  };
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// Version status with development builds handled honestly

interface Step { status: VerdictStatus; reason: string }

function boundaries(ranges: VersionRange[]): ZfsVersion[] {
  const out: ZfsVersion[] = [];
  for (const r of ranges) {
    for (const t of [r.from, r.before, r.through]) {
      if (t !== undefined && !/^\d+\.\d+\.99$/.test(t)) out.push(zfsVersionOf(t));
    }
  }
  return out;
}

function versionStep(issue: KnownIssue, ctx: Context, kmod: ZfsVersion): Step {
  const subject = `kmod ${formatZfs(kmod)}`;
  if (kmod.freebsd && !issue.platforms.includes('freebsd')) {
    return { status: 'not-affected', reason: `${kmod.raw} is a FreeBSD build; this issue is in Linux-only code` };
  }
  if (kmod.development) {
    // x.y.99 is built from the development branch between x.y.0 and x.(y+1).0; if a fix or regression
    // landed in that window, only the commit can tell.
    const low = zfsVersionOf(`${kmod.major}.${kmod.minor}.0`);
    const high = zfsVersionOf(`${kmod.major}.${kmod.minor + 1}.0`);
    const all = [...issue.versions.affected, ...issue.versions.notAffected];
    if (boundaries(all).some((b) => compareZfs(b, low) > 0 && compareZfs(b, high) <= 0)) {
      return { status: 'unknown', reason: `kmod ${kmod.raw} is a development build; this issue changed between ${formatZfs(low)} and ${formatZfs(high)}, so its status depends on the commit, not the version number` };
    }
  }
  const hit = issue.versions.affected.find((r) => zfsInRange(kmod, r));
  if (hit) return { status: 'affected', reason: `${describeInRange(subject, hit)} (${hit.label})` };
  const safe = issue.versions.notAffected.find((r) => zfsInRange(kmod, r));
  if (safe) return { status: 'not-affected', reason: `${describeInRange(subject, safe)} (${safe.label})` };
  return { status: 'unknown', reason: `${subject} is outside every version range the database has for this issue (facts checked through ${ctx.data.checkedThrough.join(' / ')})` };
}

function newerThanChecked(kmod: ZfsVersion, checked: string[]): boolean {
  const versions = checked.map(zfsVersionOf);
  const sameLine = versions.find((v) => v.major === kmod.major && v.minor === kmod.minor);
  if (sameLine) return compareZfs(kmod, sameLine) > 0;
  return versions.every((v) => compareZfs(kmod, v) > 0);
}

function kernelStep(issue: KnownIssue, ctx: Context): Step | undefined {
  const k = issue.kernel;
  if (!k) return undefined;
  if (!ctx.kernel) {
    const why = ctx.report.kernel ? `kernel release "${ctx.report.kernel}" could not be parsed` : 'kernel release not found in the report';
    return { status: 'unknown', reason: `${why}; this issue depends on the kernel (${k.affected.map((r) => describeInRange('kernel', r)).join(', ')})` };
  }
  const subject = `kernel ${formatKernel(ctx.kernel)}`;
  const hit = k.affected.find((r) => kernelInRange(ctx.kernel!, r));
  if (hit) return { status: 'affected', reason: `${describeInRange(subject, hit)}: ${hit.label}` };
  const safe = k.notAffected.find((r) => kernelInRange(ctx.kernel!, r));
  if (safe) return { status: 'not-affected', reason: `${describeInRange(subject, safe)}: ${safe.label}` };
  return { status: 'unknown', reason: `${subject} is outside the kernel ranges the database has for this issue` };
}

function parameterSteps(issue: KnownIssue, ctx: Context): Step[] {
  const steps: Step[] = [];
  for (const cond of issue.parameters ?? []) {
    const reading = ctx.param(cond.name);
    if (!reading.known) { steps.push({ status: 'unknown', reason: reading.text }); return steps; }
    if (reading.value === null) {
      const missing = cond.missing ?? 'unknown';
      if (missing === 'continue') continue;
      const reason = cond.missingLabel ?? reading.text;
      steps.push({ status: missing, reason });
      if (missing !== 'affected') return steps;
      continue;
    }
    if (cond.unaffectedValues?.includes(reading.value)) {
      steps.push({ status: 'not-affected', reason: `${reading.text}: ${cond.label}` });
      return steps;
    }
    steps.push({ status: 'affected', reason: reading.text });
  }
  return steps;
}

function datasetLabel(ctx: Context): string {
  return ctx.datasetName ? `dataset ${ctx.datasetName}` : 'the dataset';
}

function directCondition(issue: KnownIssue, ctx: Context): DirectCondition | undefined {
  const d = issue.direct;
  if (!d) return undefined;
  const kmod = ctx.kmod;
  const later = kmod && !kmod.development ? d.byVersion?.find((r) => zfsInRange(kmod, r)) : undefined;
  return later ?? d;
}

function directStep(issue: KnownIssue, ctx: Context): Step | undefined {
  const d = directCondition(issue, ctx);
  if (!d) return undefined;
  if (!ctx.direct) {
    return { status: 'affected', reason: `applies on datasets with direct=${d.affectedValues.join(' or ')} (${ctx.report.dataset ? 'the direct property is not in the report' : 'no dataset in the report'})` };
  }
  const note = d.notes[ctx.direct];
  if (d.affectedValues.includes(ctx.direct)) {
    return { status: 'affected', reason: `${datasetLabel(ctx)} has direct=${ctx.direct}${note ? `: ${note}` : ''}` };
  }
  return { status: 'not-affected', reason: `${datasetLabel(ctx)} has direct=${ctx.direct}${note ? `: ${note}` : ''}; the issue needs direct=${d.affectedValues.join(' or ')}` };
}

function poolStep(issue: KnownIssue, ctx: Context): Step | undefined {
  const f = issue.poolFeature;
  if (!f) return undefined;
  const value = ctx.poolFeature(f.name);
  if (value === undefined) return undefined;
  if (f.affectedValues.includes(value)) return { status: 'affected', reason: `pool feature@${f.name} is ${value}` };
  return { status: 'not-affected', reason: `pool feature@${f.name} is ${value}: ${f.label}` };
}

// ---------------------------------------------------------------------------------------------
// Live experiments against the database's predictions

function numberParam(params: ExperimentResult['params'], ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = params?.[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  return undefined;
}

/** The alignment of a copy experiment, from the parameters it reports, else from its id. */
export function copyAlignment(result: ExperimentResult, pageSize: number | null, datasetRecordsize?: number): AlignmentClass | undefined {
  const p = result.params;
  const len = numberParam(p, 'length', 'len', 'count');
  const src = numberParam(p, 'srcOffset', 'srcOff', 'offSrc', 'offIn');
  const dst = numberParam(p, 'dstOffset', 'dstOff', 'offDst', 'offOut');
  const rs = numberParam(p, 'recordsize', 'blockSize') ?? datasetRecordsize;
  const page = pageSize ?? numberParam(p, 'pageSize');
  if (len === undefined || src === undefined || dst === undefined || !rs || !page) return DEFAULT_CFR_CLASS[result.id];
  const all = [len, src, dst];
  if (all.every((n) => n % rs === 0)) return 'recordsize-aligned';
  if (all.every((n) => n % page === 0)) return 'page-aligned';
  return 'page-misaligned';
}

function describeMeasured(r: ExperimentResult): string {
  if (r.result === 'error') return r.errno ? r.errno : 'an error';
  if (r.cloned === true) return 'success (block-cloned)';
  if (r.cloned === false) return 'success (copied, not cloned)';
  return 'success';
}

function describePrediction(e: Expectation['expect']): string {
  if (e.cloned === true) return 'a block clone';
  if (e.cloned === false) return 'a copy (no block clone)';
  if (e.result === 'error') return e.errno ?? 'an error';
  return 'success';
}

/**
 * Two names of one errno: on Linux ENOTSUP is EOPNOTSUPP (95). Python's errno module, which the probe's
 * runner uses, names 95 ENOTSUP, while the kernel sources and the database say EOPNOTSUPP.
 */
const ERRNO_ALIASES: Readonly<Record<string, string>> = { ENOTSUP: 'EOPNOTSUPP' };

/** Does a measured errno name the same error as the database's name for it? */
export function sameErrno(measured: string | null | undefined, named: string | null | undefined): boolean {
  if (!measured || !named) return false;
  return (ERRNO_ALIASES[measured] ?? measured) === (ERRNO_ALIASES[named] ?? named);
}

/** Whether the measurement agrees: true, false, or undefined when it cannot tell (e.g. clone state not measured). */
function agrees(e: Expectation['expect'], r: ExperimentResult): boolean | undefined {
  if (e.cloned !== undefined) {
    if (r.result !== 'ok') return false;
    if (r.cloned === null || r.cloned === undefined) return undefined;
    return r.cloned === e.cloned;
  }
  if (e.result === 'ok') return r.result === 'ok';
  if (e.result === 'error') return r.result === 'error' && (e.errno === undefined || sameErrno(r.errno, e.errno));
  return undefined;
}

function conditionsHold(e: Expectation, ctx: Context, direct: string | undefined): boolean {
  const w = e.when;
  if (w.kmod && (!ctx.kmod || ctx.kmod.development || !zfsInRange(ctx.kmod, w.kmod))) return false;
  if (w.kernel && (!ctx.kernel || !kernelInRange(ctx.kernel, w.kernel))) return false;
  if (w.direct && (!direct || !w.direct.includes(direct))) return false;
  for (const [name, values] of Object.entries(w.parameters ?? {})) {
    const reading = ctx.param(name);
    if (!reading.known || reading.value === null || !values.includes(reading.value)) return false;
  }
  if (w.poolFeature) {
    const v = ctx.poolFeature('block_cloning');
    if (v === undefined || !w.poolFeature.includes(v)) return false;
  }
  return true;
}

function experimentDirect(r: ExperimentResult, ctx: Context): string | undefined {
  const own = r.params?.direct;
  if (typeof own === 'string' && DIRECT_VALUES.has(own)) return own;
  return ctx.direct;
}

interface LiveEvidence {
  contradictions: string[];
  /** Confirmed predictions of an error: the probe showed the issue's symptom. */
  symptoms: string[];
  /** Confirmed predictions of success or of a clone. */
  confirmed: string[];
  explanations: string[];
}

function compareWithExperiments(issue: KnownIssue, ctx: Context): LiveEvidence {
  const contradictions: string[] = [];
  const symptoms: string[] = [];
  const confirmed: string[] = [];
  const explanations: string[] = [];
  for (const e of issue.expectations) {
    for (const r of ctx.report.experiments ?? []) {
      if (!e.experiments.includes(r.id)) continue;
      if (e.requires) {
        // Only copy experiments have an alignment class; for the others `requires` does not apply.
        const cls = copyAlignment(r, ctx.report.pageSize, ctx.recordsize);
        if (cls !== undefined && cls !== e.requires) continue;
      }
      const direct = experimentDirect(r, ctx);
      if (!conditionsHold(e, ctx, direct)) continue;
      const ok = agrees(e.expect, r);
      if (ok === undefined) continue;
      if (ok) {
        (e.expect.result === 'error' ? symptoms : confirmed).push(`${r.id} → ${describeMeasured(r)}`);
        if (e.explains && !explanations.includes(e.explains)) explanations.push(e.explains);
        continue;
      }
      const on = direct ? ` on direct=${direct}` : '';
      const version = ctx.kmod ? ` with kmod ${formatZfs(ctx.kmod)}` : '';
      contradictions.push(`the database predicts ${describePrediction(e.expect)} for ${EXPERIMENT_WORDS[r.id]} (${r.id})${on}${version} [${e.basis}], but the probe measured ${describeMeasured(r)}`);
    }
  }
  return { contradictions, symptoms, confirmed, explanations };
}

function statxFindings(issue: KnownIssue, ctx: Context): { reasons: string[]; contradictions: string[] } {
  const reasons: string[] = [];
  const contradictions: string[] = [];
  const s = ctx.report.statxDioAlign;
  if (!issue.statx || s === undefined || !ctx.kmod || ctx.kmod.development) return { reasons, contradictions };
  const from = zfsVersionOf(issue.statx.reportedFrom);
  const supported = compareZfs(ctx.kmod, from) >= 0;
  if (s) {
    reasons.push(`the probe read STATX_DIOALIGN: dio_mem_align=${s.memAlign}, dio_offset_align=${s.offsetAlign}`);
    if (!supported) contradictions.push(`the database says OpenZFS reports STATX_DIOALIGN only from ${issue.statx.reportedFrom}, but kmod ${formatZfs(ctx.kmod)} reported it (a backport?)`);
    if (ctx.report.pageSize && s.memAlign !== ctx.report.pageSize) {
      contradictions.push(`the database predicts dio_mem_align = PAGE_SIZE (${ctx.report.pageSize}), but the probe read ${s.memAlign}`);
    }
    if (ctx.report.pageSize && s.offsetAlign < ctx.report.pageSize) {
      contradictions.push(`the database predicts dio_offset_align ≥ PAGE_SIZE (${ctx.report.pageSize}), but the probe read ${s.offsetAlign}`);
    }
  } else if (supported) {
    const dio = ctx.param('zfs_dio_enabled');
    if (ctx.direct === 'disabled' || (dio.known && dio.value === '0')) {
      reasons.push('the probe got no STATX_DIOALIGN, as expected while Direct I/O is disabled on this dataset');
    } else {
      reasons.push(`the probe got no STATX_DIOALIGN although kmod ${formatZfs(ctx.kmod)} ≥ ${issue.statx.reportedFrom}; the running kernel may not support STATX_DIOALIGN`);
    }
  }
  return { reasons, contradictions };
}

// ---------------------------------------------------------------------------------------------
// The evaluator

function evaluateIssue(issue: KnownIssue, ctx: Context): Verdict {
  const reasons: string[] = [];
  const live = compareWithExperiments(issue, ctx);
  let status: VerdictStatus;
  let decidedByVersionOnly = false;

  if (!ctx.kmodRaw) {
    status = 'unknown';
    reasons.push('OpenZFS kernel module version not found (/sys/module/zfs/version was not read or ZFS is not loaded)');
    if (ctx.userland) reasons.push(`the userland tools are ${formatZfs(ctx.userland)}, but behaviour follows the kernel module, not the tools`);
  } else if (!ctx.kmod) {
    status = 'unknown';
    reasons.push(`the OpenZFS kernel module version "${ctx.kmodRaw}" could not be parsed`);
  } else {
    const kmod = ctx.kmod;
    const v = versionStep(issue, ctx, kmod);
    status = v.status;
    reasons.push(v.reason);
    decidedByVersionOnly = status === 'affected';

    // A tunable that only exists in newer releases betrays a backport: the version number is then not enough.
    const evidence = issue.backportEvidence;
    if (evidence && !kmod.development) {
      const present = ctx.report.moduleParameters?.[evidence.parameter];
      const facts = ctx.data.parameters[evidence.parameter];
      const expectedToExist = facts?.exists.some((r) => zfsInRange(kmod, r)) ?? false;
      if (typeof present === 'string' && !expectedToExist) {
        status = evidence.status;
        reasons.unshift(evidence.reason);
        decidedByVersionOnly = false;
      }
    }

    if (status === 'affected') {
      const steps: (Step | undefined)[] = [kernelStep(issue, ctx), ...parameterSteps(issue, ctx), poolStep(issue, ctx), directStep(issue, ctx)];
      for (const step of steps) {
        if (!step) continue;
        reasons.push(step.reason);
        if (step.status !== 'affected') { status = step.status; break; }
      }
      if (issue.kernel?.note && status === 'affected') reasons.push(issue.kernel.note);
    }

    for (const note of issue.versionNotes ?? []) if (zfsInRange(kmod, note) && !kmod.development) reasons.push(note.text);
    for (const [name, byValue] of Object.entries(issue.parameterNotes ?? {})) {
      const reading = ctx.param(name);
      if (reading.known && reading.value !== null && byValue[reading.value]) {
        const origin = reading.text.includes('assumed') ? ` (assumed default for ${formatZfs(kmod)})` : '';
        reasons.push(`${byValue[reading.value]}${origin}`);
      }
    }
    if (ctx.userland && compareZfs(ctx.userland, kmod) !== 0) {
      reasons.push(`the userland tools are ${formatZfs(ctx.userland)} but the kernel module is ${formatZfs(kmod)}; verdicts follow the module`);
    }
    if (status === 'affected' && live.symptoms.length) {
      reasons.push(`confirmed on this system by the live probe: ${live.symptoms.join(', ')}`);
    } else if (status === 'affected' && decidedByVersionOnly && (issue.kind === 'bug' || issue.kind === 'behaviour')) {
      const distro = kmod.release && kmod.release !== '1' ? ` This is a distribution build (release "${kmod.release}").` : '';
      reasons.push(`decided from the version number: distribution packages may carry backported fixes, so the version can under-report fixes.${distro}`);
    }
    if (newerThanChecked(kmod, ctx.data.checkedThrough)) {
      reasons.push(`kmod ${formatZfs(kmod)} is newer than the releases the facts were checked against (${ctx.data.checkedThrough.join(', ')}); the verdict assumes nothing changed since`);
    }
  }

  const statx = statxFindings(issue, ctx);
  reasons.push(...statx.reasons);
  if (live.symptoms.length && status !== 'affected') reasons.push(`the live probe agrees: ${live.symptoms.join(', ')}`);
  reasons.push(...live.explanations);
  if (live.confirmed.length) reasons.push(`the live probe agrees: ${live.confirmed.join(', ')}`);
  const contradictions = [...live.contradictions, ...statx.contradictions];

  const verdict: Verdict = { issue: issue.id, title: issue.title, status, reasons, workaround: issue.workaround, article: issue.article };
  if (contradictions.length) {
    verdict.contradiction = `${contradictions.join('; ')}. Trust the measurement for this machine: the module may carry distribution patches, or the probe ran under different conditions.`;
  }
  return verdict;
}

/** The errnos an issue is known to give: its main symptom and the others the same bug gives. */
export function issueErrnos(issue: KnownIssue): string[] {
  return [issue.symptom.errno, ...(issue.symptom.otherErrnos ?? [])].filter((e): e is string => !!e);
}

/**
 * The failed experiments of a report that no *affected* verdict explains: a verdict explains a failure
 * when the probe confirmed its prediction of exactly that errno and the issue names the errno among its
 * symptoms. An empty list means every failure on this system has a known cause.
 */
export function unexplainedFailures(report: ProbeReport, verdicts: readonly Verdict[] = evaluate(report)): ExperimentResult[] {
  const data = knownIssuesData();
  return (report.experiments ?? []).filter((r) => {
    if (r.result !== 'error') return false;
    const mark = `${r.id} → ${describeMeasured(r)}`;
    return !verdicts.some((v) => {
      const issue = data.issues.find((i) => i.id === v.issue);
      return v.status === 'affected' && !!issue && !!r.errno && issueErrnos(issue).some((e) => sameErrno(r.errno, e))
        && v.reasons.some((reason) => reason.startsWith('confirmed on this system by the live probe:') && reason.includes(mark));
    });
  });
}

/** One verdict per known issue, in the order of known-issues.json. */
export function evaluate(report: ProbeReport): Verdict[] {
  if (!report || typeof report !== 'object') throw new TypeError('evaluate() needs a ProbeReport object');
  const data = knownIssuesData();
  const ctx = makeContext(report, data);
  return data.issues.map((issue) => evaluateIssue(issue, ctx));
}

export interface ExperimentHazard { experiment: ExperimentId; issue: string; reason: string }

/**
 * Experiments that could crash this machine's kernel, per the database (e.g. #16952 on 2.3.0 with a
 * 5.8–6.4 kernel). The probe should skip them. Unknown kernels count as hazardous when the module is
 * in the affected range: a skipped experiment costs little, a panic costs the user's machine.
 */
export function experimentHazards(system: { kmod: string | null; kernel: string | null }): ExperimentHazard[] {
  const data = knownIssuesData();
  const kmod = parseZfsVersion(system.kmod);
  const kernel = parseKernelVersion(system.kernel);
  const out: ExperimentHazard[] = [];
  if (!kmod) return out;
  for (const issue of data.issues) {
    if (!issue.hazard) continue;
    const hitVersion = issue.versions.affected.some((r) => zfsInRange(kmod, r));
    // A development build may sit anywhere between its own line and the next one.
    const devWindow = kmod.development && issue.versions.affected.some((r) => {
      if (r.from === undefined) return false;
      const from = zfsVersionOf(r.from);
      return from.major === kmod.major && (from.minor === kmod.minor || from.minor === kmod.minor + 1);
    });
    if (!hitVersion && !devWindow) continue;
    const k = issue.kernel;
    const hitKernel = !k || !kernel || k.affected.some((r) => kernelInRange(kernel, r));
    if (!hitKernel) continue;
    const on = `kmod ${kmod.raw}, kernel ${kernel ? kernel.raw : 'unknown'}`;
    for (const experiment of issue.hazard.experiments) {
      out.push({ experiment, issue: issue.id, reason: `${issue.hazard.description} (${on})` });
    }
  }
  return out;
}
