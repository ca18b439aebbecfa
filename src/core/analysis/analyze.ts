// The analysis pipeline: parse → extractor (SiteFacts) → rules → suppression comments → severity
// overrides ('off' drops a rule) → quick fixes → stable order. Never throws on any input text: an
// extractor failure is reported in `analysisError` with the sites found so far.
import type { Tree } from 'web-tree-sitter';
import { ruleMeta } from '../rules';
import type { AnalysisResult, AnalysisSettings, CallRecord, Finding, Language, Range, RecordsizeSource, SiteFacts } from '../types';
import { AnalysisStopped, stoppedNote, withBudget, type AnalysisBudget, type BudgetPhase } from './budget';
import { buildFixes, type FixContext } from './fixes';
import { describePath, describeRow, functionLabel, hitFromCall, siteLabel, hitInThisFile, instantiate } from './interprocedural';
import { LineIndex, MAX_QUERY_START_DEPTH, nestsBeyondQueries } from './languages/common';
import { EXTRACTORS } from './languages/index';
import { isRuntimeFailure, markParserRuntimeBroken, parse } from './parse';
import { runRules, type RuleContext, type RuleHit } from './rules';
import { MESSAGE_LIMIT } from './rules/describe';
import { CallIndex, unknownInputs } from './silence';
import { SuppressionIndex } from './suppress';
import type { ExternalContext, WorkspaceIndex } from './workspace';

export interface AnalyzeOptions {
  /** The file's path: used for the dataset recordsize lookup. */
  fileName?: string;
  /** The recordsize seam: the dataset's real recordsize for `fileName`, when known. */
  recordsizeSource?: RecordsizeSource;
  /**
   * The editor's edit-by-edit path (analyzeTree only): remember what the extraction learned about this
   * tree, and reuse what it learned about `previousTree` (the tree this one was re-parsed from, edited
   * and not yet deleted) wherever the edit provably changed nothing. The result is the same as without.
   */
  incremental?: { previousTree?: Tree };
  /**
   * The time this file may take (per phase: parse, then extraction and rules). When it runs out the
   * analysis stops, keeps what it found and says so in `analysisStopped`. Without one there is no limit.
   */
  budget?: AnalysisBudget;
  /** What the analysis may know of the project's other files (headers, package files, modules). */
  workspace?: WorkspaceIndex;
}

/** Per kept tree: what the next version of the document can reuse (dropped with the tree). */
const reuseStates = new WeakMap<Tree, { extraction?: unknown; lines: LineIndex; externalKey?: string }>();

function checkSettings(settings: AnalysisSettings): void {
  for (const key of ['pageSize', 'recordsize'] as const) {
    const v = settings[key];
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${key} must be a positive integer, got ${String(v)}`);
  }
}

function ruleContext(settings: AnalysisSettings, opts: AnalyzeOptions): RuleContext {
  let recordsize = settings.recordsize;
  let recordsizeSource: RuleContext['recordsizeSource'] = 'setting';
  if (opts.fileName && opts.recordsizeSource) {
    try {
      const fromDataset = opts.recordsizeSource.recordsizeFor(opts.fileName);
      if (fromDataset !== undefined && Number.isSafeInteger(fromDataset) && fromDataset > 0) {
        recordsize = fromDataset;
        recordsizeSource = 'dataset';
      }
    } catch { /* a failing lookup falls back to the setting */ }
  }
  // A target says where the data lives, so its recordsize wins over the dataset the source file is on.
  const target = settings.target;
  if (target?.recordsize) return { pageSize: settings.pageSize, recordsize: target.recordsize, recordsizeSource: 'target', target };
  return { pageSize: settings.pageSize, recordsize, recordsizeSource, ...(target ? { target } : {}) };
}

function emptyResult(language: Language): AnalysisResult {
  return { language, sites: [], findings: [], hadSyntaxErrors: false };
}

/**
 * True when the extractor's cheap text test says this file cannot contain a site, neither by its own
 * text nor through the other files its context was built from (a header's `#define` of O_DIRECT).
 */
export function cannotContainSites(text: string, language: Language, external?: ExternalContext): boolean {
  return text.search(EXTRACTORS[language].prefilter) === -1 && !external?.mentionsSites;
}

/** The context the workspace index gives this file, if any. */
export function externalContextFor(text: string, language: Language, opts: AnalyzeOptions): ExternalContext | undefined {
  return opts.workspace?.contextFor(opts.fileName, language, text);
}

/**
 * Analyzes one file's text. Files that cannot contain a site (by the extractor's prefilter) are not
 * parsed at all; `hadSyntaxErrors` is then false.
 * @throws RangeError when pageSize/recordsize are not positive integers (callers validate settings).
 */
export async function analyzeText(text: string, language: Language, settings: AnalysisSettings, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  checkSettings(settings);
  if (!EXTRACTORS[language]) throw new RangeError(`unknown language ${String(language)}`);
  const external = externalContextFor(text, language, opts);
  if (cannotContainSites(text, language, external)) return { ...emptyResult(language), ...(external ? { workspaceFiles: external.files } : {}) };
  let tree: Tree;
  try {
    tree = await parse(language, text, null, opts.budget);
  } catch (e) {
    if (e instanceof AnalysisStopped && opts.budget) return { ...emptyResult(language), unparsed: true, analysisStopped: stoppedNote('parse', opts.budget.limitMs, 0, 0) };
    return { ...emptyResult(language), unparsed: true, analysisError: `parse failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  try {
    return analyzeTree(tree, text, language, settings, opts, external);
  } finally {
    tree.delete();
  }
}

/**
 * Analyzes an already parsed tree (the editor keeps trees for incremental re-parses). The tree is not
 * deleted. `known`: the file's external context when the caller has already asked the index for it.
 */
export function analyzeTree(tree: Tree, text: string, language: Language, settings: AnalysisSettings, opts: AnalyzeOptions = {},
  known?: ExternalContext): AnalysisResult {
  checkSettings(settings);
  const root = tree.rootNode;
  const result: AnalysisResult = { ...emptyResult(language), hadSyntaxErrors: root.hasError };
  const external = known ?? externalContextFor(text, language, opts);
  if (external) result.workspaceFiles = external.files;
  if (cannotContainSites(text, language, external)) return result;
  let facts: SiteFacts[] = [];
  let calls: CallRecord[] = [];
  /** Sites in other files (a Go package's), which only this file's calls can make matter here. */
  let foreign: SiteFacts[] = [];
  const extractor = EXTRACTORS[language];
  const previousTree = opts.incremental?.previousTree;
  const kept = previousTree ? reuseStates.get(previousTree) : undefined;
  // What the extraction learned is reused only when the other files it read are the same as then.
  const previous = kept && kept.externalKey === external?.key ? kept : kept && { lines: kept.lines };
  // The line index of the previous version, moved past the edit: cheaper than searching the whole text again.
  const lines = previous ? LineIndex.afterEdit(previous.lines, text) : LineIndex.of(text);
  if (opts.incremental) reuseStates.set(tree, { lines, externalKey: external?.key });
  const budget = opts.budget;
  let stoppedIn: BudgetPhase | undefined;
  const stop = (phase: BudgetPhase): AnalysisResult => {
    stoppedIn ??= phase;
    result.analysisStopped = stoppedNote(stoppedIn, budget!.limitMs, result.sites.length, result.findings.length);
    return result;
  };
  budget?.start('extraction');
  try {
    withBudget(budget, () => {
      if (opts.incremental && extractor.extractReusing) {
        const state = previous?.extraction;
        const out = extractor.extractReusing(root, text, previousTree && state !== undefined ? { state, previousTree } : undefined, external);
        facts = out.facts;
        calls = out.calls ?? [];
        foreign = out.foreign ?? [];
        // A stopped extraction never gets here: the next version of the document reuses only complete results.
        if (out.state !== undefined) reuseStates.set(tree, { extraction: out.state, lines, externalKey: external?.key });
      } else {
        const out = extractor.extract(root, text, external);
        facts = out.facts;
        calls = out.calls ?? [];
        foreign = out.foreign ?? [];
      }
    });
  } catch (e) {
    if (e instanceof AnalysisStopped && budget) {
      facts = (e.partial ?? []) as SiteFacts[];
      stoppedIn = e.phase;
    } else {
      if (isRuntimeFailure(e)) markParserRuntimeBroken(e instanceof Error ? e.message : String(e));
      result.analysisError = `${language} extractor failed: ${e instanceof Error ? e.message : String(e)}`;
      return result;
    }
  }
  // Facts with a path (`via`) are a site as one row of a table of cases sees it, not a site of their own.
  result.sites = facts.filter((f) => !f.via).map((f) => f.site);
  if (nestsBeyondQueries(root, text)) {
    result.analysisError ??= `code nested more than ${MAX_QUERY_START_DEPTH} syntax-tree levels deep: what lies deeper was not searched`;
  }
  if (!facts.length && !(foreign.length && calls.length)) return stoppedIn ? stop(stoppedIn) : result;

  const ctx = ruleContext(settings, opts);
  const suppressions = new SuppressionIndex(lines, root);
  const fixCtx: FixContext = { text, lines, language, pageSize: ctx.pageSize };
  const findings: Finding[] = [];
  /** Findings seen from calls, by rule and place: a second call reaching the same place adds its call to the first. */
  const fromCalls = new Map<string, Finding>();
  const report = (f: SiteFacts, hit: RuleHit, passed?: PathInWords): void => {
    if (suppressions.isSuppressed({ ruleId: hit.ruleId, range: hit.range, site: f.site })) return;
    const override = settings.severities?.[hit.ruleId];
    if (override === 'off') return;
    const key = `${hit.ruleId}:${hit.range.start.line}:${hit.range.start.column}`;
    const earlier = passed ? fromCalls.get(key) : undefined;
    if (earlier) {
      for (const r of passed!.related) {
        if (!earlier.related!.some((e) => e.file === r.file && e.range.start.line === r.range.start.line && e.range.start.column === r.range.start.column)) earlier.related!.push(r);
      }
      return;
    }
    const { fixes, manualFix } = buildFixes(hit, f, fixCtx);
    const finding: Finding = {
      ruleId: hit.ruleId,
      severity: override ?? hit.severity ?? ruleMeta(hit.ruleId).defaultSeverity,
      message: passed?.message ? `${hit.message} ${passed.message}` : hit.message,
      range: hit.range,
      site: f.site,
      derived: hit.derived,
      fixes,
      ...(manualFix ? { manualFix } : {}),
      ...(hit.detail || passed?.whole ? { detail: [hit.detail, passed?.whole && `The whole path: ${passed.whole}.`].filter(Boolean).join(' ') } : {}),
      ...(passed ? { related: [...passed.related] } : {}),
    };
    if (passed) fromCalls.set(key, finding);
    findings.push(finding);
  };
  // The rules get a deadline of their own, so the sites a stopped extraction found are still checked.
  budget?.start('rules');
  // The sites as the file shows them, then as seen from each call that supplies a value they lack.
  // Seen from a call in another file, a site is that file's business (it reports what it finds there).
  const seenFromCalls = calls.length ? instantiate([...facts, ...foreign], calls).filter((f) => !f.via![0]!.file) : [];
  const ownHits = new Set<string>();
  const hitKey = (f: SiteFacts, hit: RuleHit) =>
    `${f.site.range.start.line}:${f.site.range.start.column}:${hit.ruleId}:${hit.range.start.line}:${hit.range.start.column}`;
  for (const f of [...facts, ...seenFromCalls]) {
    if (budget) {
      try { budget.tick(); } catch (e) {
        if (!(e instanceof AnalysisStopped)) throw e;
        stoppedIn ??= 'rules';
        break;
      }
    }
    let hits;
    try { hits = f.via ? hitsWithPaths(f, ctx) : runRules(f, ctx).map((hit) => ({ hit, telling: undefined })); } catch (e) {
      result.analysisError ??= `rule failed: ${e instanceof Error ? e.message : String(e)}`;
      continue;
    }
    for (const { hit, telling } of hits) {
      if (!f.via) { ownHits.add(hitKey(f, hit)); report(f, hit); continue; }
      if (!hitInThisFile(hit.range, f)) continue;
      // Seen from a call, a hit is news when the call supplied the value it is about, or when the site
      // has no such finding of its own (the call made its descriptor O_DIRECT); else it is reported already.
      // A site in another file is shown here at the call that leads to it (suppressions, fixes and the
      // finding's site then speak of this file's places).
      if (hitFromCall(hit.range, f.via)) report(f.file ? { ...f, site: { ...f.site, range: f.via[0]!.range } } : f, hit, telling!.value);
      else if (!f.file && !ownHits.has(hitKey(f, hit))) report(f, hit, telling!.own);
    }
  }
  // A quiet site says what its rules could not check (a finding already tells what was wrong there).
  // The sites are new objects: the editor may reuse the facts of an earlier version of the document.
  if (!stoppedIn) {
    const withFindings = new Set(findings.map((x) => `${x.site.range.start.line}:${x.site.range.start.column}`));
    // This file's calls and sites only: another file's ranges would be taken for this file's places.
    // A loop's first pass is not what the site sees on every pass: it does not make a value checked.
    const index = new CallIndex(calls.filter((c) => !c.file), seenFromCalls.filter((g) => !g.file && !g.via!.some((v) => v.firstPass)));
    result.sites = facts.filter((f) => !f.via).map((f) => {
      if (withFindings.has(`${f.site.range.start.line}:${f.site.range.start.column}`)) return f.site;
      const unknowns = unknownInputs(f, index);
      return unknowns.length ? { ...f.site, unknowns } : f.site;
    });
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column
    || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  result.findings = findings;
  return stoppedIn ? stop(stoppedIn) : result;
}

/** A finding's path in words, its places, and the whole path when the words tell it in brief. */
interface PathInWords {
  message: string;
  related: NonNullable<Finding['related']>;
  whole?: string;
}

/** Did the calls of the path supply nothing but descriptors (the site's own values, made O_DIRECT by a call)? */
function onlyDescriptors(f: SiteFacts): boolean {
  // the file position a descriptor has is the descriptor's too
  return f.via!.every((v) => (v.supplied ?? []).every((field) => field === 'fd' || field === 'srcFd' || field === 'dstFd' || (field === 'offset' && v.offsetFromDescriptor)));
}

/** A range moved down (or up, with a negative `by`) by `by` lines. */
function shiftLines(range: Range, by: number): Range {
  return { start: { line: range.start.line + by, column: range.start.column }, end: { line: range.end.line + by, column: range.end.column } };
}

/**
 * For a finding seen from a call: the path in words, and the calls and the site as related places.
 * `value`: a call supplied the value the finding is about; `descriptor`: the value is the site's own,
 * and a call gave it the O_DIRECT descriptor; `call`: the value is the site's own, and what a call
 * supplied (an offset, say) makes it wrong.
 */
function pathOf(f: SiteFacts, what: 'value' | 'descriptor' | 'call', brief = false): PathInWords {
  // A loop's first pass is a step of the path but no call: it is named after the calls.
  const loop = f.via!.find((v) => v.firstPass);
  const onLoop = loop ? [{ range: loop.range, message: 'on the first pass of this loop, with the values it starts with' }] : [];
  const via = f.via!.filter((v) => !v.firstPass);
  if (!via.length) return { message: '(on the first pass of the loop)', related: onLoop };
  const pass = loop && !brief ? ', on the first pass of its loop' : '';
  const outer = via[0]!;
  const related: NonNullable<Finding['related']> = [];
  if (outer.row) {
    // a row of a table of cases that a loop feeds to the site
    const row = describeRow(outer.row);
    if (what === 'descriptor') related.push({ range: outer.range, message: `${row} gives the O_DIRECT descriptor here` });
    if (what === 'call') related.push({ range: outer.range, message: `${row} is here` });
  } else {
    if (what === 'descriptor') related.push({ range: outer.range, message: `${functionLabel(outer.callee)}() is called here with an O_DIRECT descriptor` });
    if (what === 'call') related.push({ range: outer.range, message: `${functionLabel(outer.callee)}() is called here` });
  }
  // A place in another file carries that file and its own lines; the message names the site's file too.
  const place = (range: Range, file: string | undefined, lineOffset = 0) => (file
    ? { range: lineOffset ? shiftLines(range, -lineOffset) : range, file }
    : { range });
  for (const v of via.slice(1)) related.push({ ...place(v.range, v.file, v.lineOffset), message: v.row ? `${describeRow(v.row)} here` : `passed on to ${functionLabel(v.callee)}() here` });
  related.push(...onLoop.map((r) => ({ ...r, ...place(r.range, f.file, f.lineOffset) })));
  if (what === 'value') related.push({ ...place(f.site.range, f.file, f.lineOffset), message: `${siteLabel(f.site)} receives it here` });
  const path = describePath(f.via!, f.site, f.file, brief);
  const calls = describePath(via, f.site).replace(/, reaches .*$/, '');
  const message = brief ? `(via ${path})` : what === 'value' ? (outer.row ? `(from ${path})` : `(passed to ${path})`)
    : what === 'descriptor' ? (outer.row ? `(on the O_DIRECT descriptor of ${describeRow(outer.row)}${pass})` : `(on the O_DIRECT descriptor a call passes to ${functionLabel(outer.callee)}()${pass})`)
      : outer.row ? `(with ${calls}${pass})` : `(as ${calls} is called${pass})`;
  return { message, related, ...(brief ? { whole: pathOf(f, what).message.replace(/^\(|\)$/g, '') } : {}) };
}

/** One way to tell a site seen from a call: a value the call supplied, or the site's own value. */
interface PathTelling {
  value: PathInWords;
  own: PathInWords;
  /** The room both leave the rule's message within MESSAGE_LIMIT. */
  room: number;
}

/**
 * The ways a site seen from a call may be told, longest first: the whole path, the path in brief, and
 * no path in the message at all. Each finding takes the first whose words fit beside the rule's; the
 * whole path then goes to the finding's detail, and its places are the related locations in every case.
 */
function tellingsOf(f: SiteFacts): PathTelling[] {
  const own: 'descriptor' | 'call' = onlyDescriptors(f) ? 'descriptor' : 'call';
  const telling = (value: PathInWords, other: PathInWords): PathTelling =>
    ({ value, own: other, room: MESSAGE_LIMIT - (value.message || other.message ? 1 : 0) - Math.max(value.message.length, other.message.length) });
  const bare = (p: PathInWords): PathInWords => ({ ...p, message: '', whole: p.whole ?? p.message.replace(/^\(|\)$/g, '') });
  const value = pathOf(f, 'value', true), other = pathOf(f, own, true);
  return [telling(pathOf(f, 'value'), pathOf(f, own)), telling(value, other), telling(bare(value), bare(other))];
}

/**
 * The rules' hits on a site seen from a call, each with the telling of its path that fits beside it.
 * The rules run again, with less room, only for a hit whose message and path are too long together.
 */
function hitsWithPaths(f: SiteFacts, ctx: RuleContext): { hit: RuleHit; telling: PathTelling }[] {
  const tellings = tellingsOf(f);
  const byTelling = new Map<number, RuleHit[]>();
  const hitsAt = (i: number): RuleHit[] => {
    let hits = byTelling.get(i);
    if (!hits) byTelling.set(i, hits = runRules(f, { ...ctx, messageLimit: tellings[i]!.room }));
    return hits;
  };
  const same = (a: RuleHit, b: RuleHit) => a.ruleId === b.ruleId && a.range.start.line === b.range.start.line
    && a.range.start.column === b.range.start.column;
  return hitsAt(0).map((first) => {
    for (let i = 0; i < tellings.length; i++) {
      const hit = i ? hitsAt(i).find((h) => same(h, first)) ?? first : first;
      const words = hitFromCall(hit.range, f.via!) ? tellings[i]!.value.message : tellings[i]!.own.message;
      if (hit.message.length + (words ? words.length + 1 : 0) <= MESSAGE_LIMIT || i === tellings.length - 1) return { hit, telling: tellings[i]! };
    }
    return { hit: first, telling: tellings[0]! };
  });
}
