// The message schema between the root-cause panel's webview and its extension-host side.
// Pure TypeScript (no `vscode`, no DOM) so both sides and the unit tests share one definition.
//
// Trust boundary: the webview renders third-party text (article HTML, probe output), so the host
// treats everything it receives from the webview as hostile. Every message is checked against a
// closed schema: known `type`, exactly the allowed fields, data properties only, bounded strings,
// and references (article ids, dataset names) that must come from lists the host itself sent.
import { isRuleId } from './rules';
// The experiments the panel lays out in tables: the probe's catalog is their one owner, and the webview reads
// it through this protocol, not from the probe.
export { EXPERIMENTS, type ExperimentFamily, type ExperimentSpec, type Misalignment } from './probe/experiments/catalog';
import type { DatasetInfo, ProbeReport, RuleId } from './types';
import type { TraceTimeline } from './trace/timeline';
export type { TimelineRow, TraceTimeline } from './trace/timeline';

// ---------------------------------------------------------------------------------------------
// Shared value types

/** What the analyzer knew about one finding when the user asked for its explanation. */
export interface FindingContext {
  ruleId: RuleId;
  /** Absolute path of the file the finding is in. */
  file?: string;
  /** 0-based line, like every Position inside the program; the panel shows it 1-based. */
  line?: number;
  /** The source line as the user wrote it. */
  code?: string;
  /** Values the analyzer derived (Finding.derived). */
  derived?: Record<string, number | string | boolean>;
}

export interface ArticleRef { id: string; title: string }
export interface RenderedArticle extends ArticleRef { /** marked output; the webview sanitises it again. */ html: string }

export type DatasetsState =
  | { status: 'loading' }
  | { status: 'ok'; datasets: DatasetInfo[] }
  /** The zfs tooling or kernel module is missing: the panel shows its "No ZFS found" state. */
  | { status: 'no-zfs'; message: string }
  | { status: 'error'; message: string };

export type ProbeState =
  | { status: 'idle' }
  | { status: 'running'; target: string; step: string; fraction?: number }
  | { status: 'done'; target: string }
  | { status: 'cancelled'; target: string }
  | { status: 'failed'; target: string; code: string; message: string };

// ---------------------------------------------------------------------------------------------
// Host -> webview. The host is trusted; these are typed, not validated.

export type HostMessage =
  | { type: 'init'; trusted: boolean; articles: ArticleRef[]; overviews: string[] }
  | { type: 'trust'; trusted: boolean }
  | { type: 'datasets'; datasets: DatasetsState }
  | { type: 'probe'; probe: ProbeState }
  | { type: 'report'; report: ProbeReport | null }
  /** `finding` is set when the article was opened from a diagnostic; null clears the "Your code" box. */
  | { type: 'article'; article: RenderedArticle; finding: FindingContext | null }
  | { type: 'articleError'; id: string; message: string }
  /** The last trace of this window (Trace a Program…), null before any. */
  | { type: 'trace'; trace: TraceTimeline | null };

// ---------------------------------------------------------------------------------------------
// Webview -> host. Closed union; `parseWebviewMessage` is the only way in.

export type WebviewMessage =
  | { type: 'ready' }
  /** `target` must be a dataset name from the host's last `datasets` message. */
  | { type: 'runProbe'; target: string }
  | { type: 'cancelProbe' }
  /** `id` must be one of the article ids the host sent in `init`. */
  | { type: 'openArticle'; id: string }
  /** Reveal the finding the host itself holds; the webview cannot name a file. */
  | { type: 'revealFinding' }
  | { type: 'refreshDatasets' }
  /** Open the source line of a row of the trace the host sent; `row` is its index in that trace's rows. */
  | { type: 'revealTraceCall'; row: number };

export type WebviewMessageType = WebviewMessage['type'];

/** The lists a message may refer to. The host keeps them; the webview cannot extend them. */
export interface ValidationContext {
  articleIds: ReadonlySet<string>;
  datasetNames: ReadonlySet<string>;
  /** Rows of the trace the host last sent (0 or absent: none, so no row can be named). */
  traceRows?: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export const LIMITS = {
  /** OpenZFS ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL. */
  datasetName: 255,
  articleId: 64,
  /** Longest string echoed back in a rejection reason, so a log line stays readable. */
  echo: 60,
  file: 4096,
  code: 2000,
  derivedEntries: 40,
  derivedKey: 64,
  derivedString: 300,
  maxLine: 10_000_000,
} as const;

type FieldKind = 'datasetName' | 'articleId' | 'traceRow';
const SCHEMA: Record<WebviewMessageType, Readonly<Record<string, FieldKind>>> = {
  ready: {},
  runProbe: { target: 'datasetName' },
  cancelProbe: {},
  openArticle: { id: 'articleId' },
  revealFinding: {},
  refreshDatasets: {},
  revealTraceCall: { row: 'traceRow' },
};

const ARTICLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// C0 controls and DEL never appear in a real dataset name or article id; rejecting them keeps log lines honest.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function fail<T>(reason: string): ParseResult<T> { return { ok: false, reason }; }

function echo(value: string): string {
  const cut = value.length > LIMITS.echo ? `${value.slice(0, LIMITS.echo)}…` : value;
  return JSON.stringify(cut);
}

/**
 * A record whose own keys are exactly data properties: rejects arrays, class instances, getters
 * and symbol keys. Messages arrive as structured clones, so anything else is forged.
 */
function plainRecord(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const proto = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) return undefined;
  for (const key of Reflect.ownKeys(raw)) {
    if (typeof key !== 'string') return undefined;
    const desc = Object.getOwnPropertyDescriptor(raw, key);
    if (!desc || !('value' in desc)) return undefined;
  }
  return raw as Record<string, unknown>;
}

function hasOwn(record: object, key: string): boolean { return Object.prototype.hasOwnProperty.call(record, key); }

/** Validates one message from the webview. Never throws. */
export function parseWebviewMessage(raw: unknown, ctx: ValidationContext): ParseResult<WebviewMessage> {
  const record = plainRecord(raw);
  if (!record) return fail('message is not a plain object');
  if (!hasOwn(record, 'type') || typeof record.type !== 'string') return fail('message has no string "type"');
  const type = record.type;
  if (!hasOwn(SCHEMA, type)) return fail(`unknown message type ${echo(type)}`);
  const fields = SCHEMA[type as WebviewMessageType];

  for (const key of Object.keys(record)) {
    if (key !== 'type' && !hasOwn(fields, key)) return fail(`${type}: unexpected field ${echo(key)}`);
  }
  for (const [key, kind] of Object.entries(fields)) {
    if (!hasOwn(record, key)) return fail(`${type}: missing field "${key}"`);
    const value = record[key];
    if (kind === 'traceRow') {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail(`${type}: "${key}" must be an integer`);
      if (value < 0 || value >= (ctx.traceRows ?? 0)) return fail(`${type}: row ${value} is not a row of the trace the panel was given`);
      continue;
    }
    if (typeof value !== 'string') return fail(`${type}: "${key}" must be a string`);
    const problem = kind === 'datasetName' ? checkDatasetName(value, ctx) : checkArticleId(value, ctx);
    if (problem) return fail(`${type}: ${problem}`);
  }
  // Rebuild the message from the checked fields so nothing else rides along.
  const value = { type, ...Object.fromEntries(Object.keys(fields).map((k) => [k, record[k]])) } as WebviewMessage;
  return { ok: true, value };
}

function checkDatasetName(value: string, ctx: ValidationContext): string | undefined {
  if (value.length === 0 || value.length > LIMITS.datasetName) return `dataset name length ${value.length} is out of range`;
  if (CONTROL_CHARS.test(value)) return 'dataset name contains control characters';
  if (!ctx.datasetNames.has(value)) return `dataset ${echo(value)} is not in the list the panel was given`;
  return undefined;
}

function checkArticleId(value: string, ctx: ValidationContext): string | undefined {
  if (value.length === 0 || value.length > LIMITS.articleId || !ARTICLE_ID.test(value)) {
    return `article id ${echo(value)} is malformed`;
  }
  if (!ctx.articleIds.has(value)) return `article ${echo(value)} is not a known article`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Other untrusted inputs the host receives: command arguments (zfsDio.explainRule can be invoked
// through a command URI) and the state VS Code hands back when it restores a panel.

/** Checks a FindingContext from a command argument. Unknown fields are dropped, bad ones reject the whole value. */
export function parseFindingContext(raw: unknown): ParseResult<FindingContext> {
  const record = plainRecord(raw);
  if (!record) return fail('finding is not a plain object');
  if (typeof record.ruleId !== 'string' || !isRuleId(record.ruleId)) return fail('finding has no known ruleId');
  const finding: FindingContext = { ruleId: record.ruleId };
  if (record.file !== undefined) {
    if (typeof record.file !== 'string' || record.file.length === 0 || record.file.length > LIMITS.file
      || CONTROL_CHARS.test(record.file)) return fail('finding.file must be a path string');
    finding.file = record.file;
  }
  if (record.line !== undefined) {
    if (typeof record.line !== 'number' || !Number.isInteger(record.line) || record.line < 0 || record.line > LIMITS.maxLine) {
      return fail('finding.line must be a non-negative integer');
    }
    finding.line = record.line;
  }
  if (record.code !== undefined) {
    if (typeof record.code !== 'string') return fail('finding.code must be a string');
    // A long line is shortened rather than refused: it is only displayed.
    finding.code = record.code.length > LIMITS.code ? `${record.code.slice(0, LIMITS.code)}…` : record.code;
  }
  if (record.derived !== undefined) {
    const derived = plainRecord(record.derived);
    if (!derived) return fail('finding.derived must be a plain object');
    const entries = Object.entries(derived);
    if (entries.length > LIMITS.derivedEntries) return fail('finding.derived has too many entries');
    const clean: Record<string, number | string | boolean> = {};
    for (const [key, value] of entries) {
      if (key.length === 0 || key.length > LIMITS.derivedKey || key === '__proto__') return fail(`finding.derived key ${echo(key)} is not allowed`);
      if (typeof value === 'number' ? !Number.isFinite(value)
        : typeof value === 'string' ? value.length > LIMITS.derivedString
          : typeof value !== 'boolean') return fail(`finding.derived.${key} must be a finite number, a short string or a boolean`);
      Object.defineProperty(clean, key, { value, enumerable: true, writable: true, configurable: true });
    }
    finding.derived = clean;
  }
  return { ok: true, value: finding };
}

/** The part of the webview's saved state the host reads back after a reload. */
export interface RestoredPanelState { articleId?: string; selectedDataset?: string }

/** Reads the webview state handed to the serializer. Anything unexpected is ignored, never trusted. */
export function parseRestoredState(raw: unknown): RestoredPanelState {
  const record = plainRecord(raw);
  if (!record) return {};
  const state: RestoredPanelState = {};
  const articleId = record.articleId;
  if (typeof articleId === 'string' && articleId.length <= LIMITS.articleId && ARTICLE_ID.test(articleId)) state.articleId = articleId;
  const dataset = record.selectedDataset;
  if (typeof dataset === 'string' && dataset.length > 0 && dataset.length <= LIMITS.datasetName && !CONTROL_CHARS.test(dataset)) {
    state.selectedDataset = dataset;
  }
  return state;
}

// ---------------------------------------------------------------------------------------------
// Naming conventions shared by host and webview.

/**
 * Article id for a known-issue id: `openzfs#16958` -> `openzfs-16958`. Article ids are file names under
 * media/articles/, where `#` cannot appear in a link; the known-issues validator holds every entry to this.
 */
export function articleIdForIssue(issue: string): string { return issue.replace(/#/g, '-'); }

/** The overview articles offered when there is nothing more specific to read (e.g. no ZFS here). */
export const OVERVIEW_ARTICLES = ['how-direct-io-works', 'copy-file-range-and-block-cloning'] as const;
