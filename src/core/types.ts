// One type per concept, shared by the analyzer, the CLI, the editor adapters and the panel.
// Positions are 0-based (line, UTF-16 column) everywhere inside the program; only the CLI's
// text/JSON/SARIF writers convert to 1-based, because that is what those formats promise.
import type { ExperimentId, IoPath } from './probe/experiments/catalog';

export type Language = 'c' | 'cpp' | 'rust' | 'go' | 'python';
export const LANGUAGES: readonly Language[] = ['c', 'cpp', 'rust', 'go', 'python'];

export type SiteKind = 'copy_file_range' | 'ficlone' | 'o_direct_open' | 'o_direct_io';
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Position { line: number; column: number }
export interface Range { start: Position; end: Position }

/** A spotted call: the product must find the calls, not only the mistakes. */
export interface Site {
  kind: SiteKind;
  language: Language;
  /** The callee as written, e.g. `copy_file_range`, `os.pread`, `unix.CopyFileRange`, `ioctl`. */
  callee: string;
  range: Range;
  /**
   * Set on a site with no finding whose rules could not check everything: the values they needed and
   * did not get, and why. Without it, a quiet site was checked and is fine.
   */
  unknowns?: UnknownInput[];
}

/** A value a rule needed at a site and the analysis does not know, with where its trail ended. */
export interface UnknownInput {
  value: 'descriptor' | 'buffer' | 'length' | 'offset' | 'source offset' | 'destination offset';
  /** The value as written (`count`, `buf`), or what it is (`the file position`). */
  text: string;
  reason: string;
}

/**
 * A number the analysis either derived (with the text it came from) or could not derive. An unknown
 * number may still be a known fraction or multiple of the runtime page size (`pages`: `pagesize / 2`
 * is 0.5): its bytes depend on the machine, whether it is a page multiple does not.
 */
export type DerivedNumber =
  | { known: true; value: number; text: string }
  | { known: false; text: string; pages?: number };

/** Where a buffer came from, as far as the analysis can tell. */
export interface BufferOrigin {
  /** `aligned`: known to be aligned to `alignment`; `unaligned`: allocated by something with no page guarantee. */
  state: 'aligned' | 'unaligned' | 'unknown';
  /** Alignment in bytes, when known (e.g. 4096 for posix_memalign(&p, 4096, n)). */
  alignment?: number;
  /** Human-readable origin, e.g. `malloc(65536)`, `posix_memalign(4096)`, `Vec<u8>`, `os.read (allocates its own buffer)`. */
  origin: string;
  /** Byte offset added to an aligned base (`buf + 1`), when known. */
  offset?: number;
  /** Where the allocation is, for the "replace malloc" quick fix. */
  allocationRange?: Range;
  /** The allocation call's text, e.g. `malloc(n)`; present when `allocationRange` is. */
  allocationText?: string;
  /** The requested size of that allocation (the aligned-allocation fix rounds it up to the page size). */
  allocationSize?: DerivedNumber;
  /**
   * Aligned to the runtime page size whatever it is (mmap, valloc, `posix_memalign(&p, sysconf(_SC_PAGESIZE), n)`),
   * so page-alignment rules accept it for any configured page size. `alignment` may then be absent.
   */
  alignedToPage?: boolean;
  /** How many bytes the buffer holds, when the allocation's size is known: a fix must never read past it. */
  capacity?: BufferCapacity;
  /** The call allocates the buffer it returns, as long as the length it is asked for (`os.pread`, `f.read(n)`). */
  sizedByCall?: boolean;
  /** Names holding the page size that the allocation's line can use (the aligned-allocation fix prefers them). */
  pageSizeNames?: PageSizeName[];
}

/** The size of a buffer's allocation, and where the source spells it (so a fix can grow it). */
export interface BufferCapacity {
  /** The allocation's size in bytes. */
  size: number;
  /** Bytes between the allocation's start and the pointer the call receives (`buf + 512`, `buf[512:]`). */
  offset: number;
  /** The size as written, e.g. `BLOCK_SIZE` or `1000`. */
  text: string;
  /** The literal spelling the size inside the allocation itself (`malloc(1000)`, `vec![0u8; 1000]`): editing it grows only this buffer. */
  literal?: Range;
  /** The named constant that is the size, when exactly one is (editing it changes every use of the name). */
  constant?: ConstantDefinition;
  /** Where the allocation spells its size (the size argument, the array dimension, or the whole allocation). */
  sizeAt?: Range;
  /** A C array's name: `sizeof` it, anywhere, changes with the array's size. */
  holder?: string;
}

/** A name in the source that holds the page size: a constant of known value, or the runtime page size (`value` absent). */
export interface PageSizeName { name: string; value?: number }

/** Where a constant came from, so a quick fix can round the definition up instead of the use. */
export interface ConstantDefinition { name: string; range: Range; valueText: string }

/**
 * What the language extractor learned about one site. Rules read only this, so the rules are
 * written once for all five languages. Absent fields mean "does not apply or could not be derived".
 */
export interface SiteFacts {
  site: Site;
  /** Descriptor(s) and whether they are known to carry O_DIRECT. `undefined` = unknown. */
  fdODirect?: boolean;
  srcFdODirect?: boolean;
  dstFdODirect?: boolean;
  /** o_direct_io: read or write. */
  direction?: 'read' | 'write';
  buffer?: BufferOrigin;
  length?: DerivedNumber;
  offset?: DerivedNumber;
  /** copy_file_range / FICLONERANGE offsets. */
  srcOffset?: DerivedNumber;
  dstOffset?: DerivedNumber;
  /** copy_file_range: is the return value checked (loop on short count, or errno fallback)? */
  resultHandled?: boolean;
  /** copy_file_range: the result is only compared to report a failure and leave, with no fallback and no loop. */
  resultOnlyEndsTheProgram?: boolean;
  /** copy_file_range: the call copies the whole range and falls back to read/write where the kernel refuses. */
  copiesWithFallback?: boolean;
  /** ficlone: FICLONE (whole file) or FICLONERANGE. */
  ficloneVariant?: 'FICLONE' | 'FICLONERANGE';
  /** Source ranges of the arguments, for precise squiggles and fixes. */
  argRanges: Partial<Record<'fd' | 'buffer' | 'length' | 'offset' | 'srcOffset' | 'dstOffset' | 'flags', Range>>;
  /** Constant definitions behind length/offset values, keyed like argRanges. */
  constants: Partial<Record<'length' | 'offset' | 'srcOffset' | 'dstOffset', ConstantDefinition>>;
  /** Where a length/offset value is a literal written somewhere (a slice bound `buf[:1000]`), keyed like argRanges. */
  literals?: Partial<Record<'length' | 'offset' | 'srcOffset' | 'dstOffset', Range>>;
  /**
   * Vectored I/O (preadv/pwritev/readv/writev, os.preadv…): each segment's length, in order. Every
   * segment must be page-aligned (ZDIO002 checks them); `length` is then the total (ZDIO004 uses it).
   */
  segments?: { length: DerivedNumber; range?: Range; constant?: ConstantDefinition; buffer?: BufferOrigin }[];
  /** The length is the buffer's own length (`len(buf)`, `buf.len()`): a longer request needs a longer buffer. */
  lengthIsBufferSize?: boolean;
  /**
   * Values that are unknown here because they are a parameter of the enclosing function: callers
   * may know them (interprocedural.ts substitutes the arguments of each call).
   */
  params?: Partial<Record<ParamField, ParamRef>>;
  /**
   * The function clears O_DIRECT from the descriptor (`fcntl(fd, F_SETFL, fl & ~O_DIRECT)`) before the
   * I/O when its parameter `param` compares with `value` as `op` says (`size < COPY_BLOCK`): each call
   * decides whether the I/O is O_DIRECT.
   */
  bufferedWhen?: { param: ParamRef; op: '<' | '<=' | '>' | '>=' | '==' | '!='; value: number; condition: string };
  /**
   * The conditions around the site that read its function's parameters (`if (n % 4096 == 0)`), each a
   * `part: 'expression'` reference and whether the site needs it true: a call whose arguments make one
   * of them go the other way does not reach the site.
   */
  guards?: { condition: ParamRef; holds: boolean }[];
  /** Set on facts seen from a call: the calls from the outermost one down to the site's function. */
  via?: CallStep[];
  /**
   * The site lies in another file than the one analysed (absolute path): a sibling file of a Go
   * package. Such facts are not sites of the analysed file; they matter only as seen from its calls.
   */
  file?: string;
  /**
   * With `file`: the lines of that file's ranges are moved down by this many, so that no position of it can
   * fall inside the analysed file's text (an extractor that analyses several files in one pass does so).
   */
  lineOffset?: number;
  /** The argRanges keys whose ranges lie in another file than the analysed one (`file`'s, or a call's there). */
  elsewhere?: (keyof SiteFacts['argRanges'])[];
}

/** The SiteFacts values a parameter can stand for. */
export type ParamField = 'fd' | 'srcFd' | 'dstFd' | 'buffer' | 'length' | 'offset' | 'srcOffset' | 'dstOffset';

/**
 * A site's value that is a parameter of the enclosing function (functions keyed as the extractor keys
 * them: `runtest`, `Copier.copy`). The parameter itself, or a `part` of it: its buffer's size (`size`),
 * what it points to (`pointee`), open flags it carries (`flags`: the descriptor opened with them is
 * O_DIRECT on the calls whose flags carry O_DIRECT), `position` (where the descriptor it is stood when the
 * function started, so the file position of a read or write is that plus `plus`; with `index` -1, the
 * descriptor is the file-scope variable `name`, whose position each call records), or `iovec` (the
 * iovecs it points to, `count` of them or as many as the parameter at `countParam` says, give the
 * segments' lengths and bases). For numbers, `times` multiplies the caller's value first (`kb * 1024`),
 * `roundUpTo` then rounds it up to that power of two (`ROUND_TO_BLOCK(n)`), `atMost` caps the result
 * (`MIN(len, 1 << 30)`) and `plus` adds a known number last (`base_ + blocks * 512`).
 */
export interface ParamRef {
  fn: string; index: number; name: string; part?: 'size' | 'pointee' | 'flags' | 'position' | 'iovec' | 'expression'; times?: number; atMost?: number; roundUpTo?: number; plus?: number;
  /**
   * With `part: 'expression'` (`index` -1, `name` its text): an expression of several of the function's
   * parameters (`read_end - read_offset`), by where it lies from the start of the function's definition;
   * each call records its value with the parameters bound (CallRecord.expressions, by expressionKey).
   */
  at?: number; length?: number;
  /** With `part: 'iovec'`: how many iovecs the site reads, or the parameter (by position) that says so at each call. */
  count?: number; countParam?: number;
  /** Capped by another parameter of the same function, by position (`min(count, buffer_size)`): each call's argument is the cap. */
  atMostParam?: number;
}

/**
 * One call of a path to a site; `supplied`: the values this call made known. A step with `row` is a row
 * of a table of cases that a loop feeds to the site (`range`: the row; `callee`: the table's name).
 */
export interface CallStep {
  callee: string; range: Range; supplied?: ParamField[]; row?: TableRow;
  /** The offset it supplied is the file position of the descriptor it passes (a read or write without an offset). */
  offsetFromDescriptor?: true;
  /** Where, in the caller but outside the call, values it supplied are set (the lengths of the iovecs it passes). */
  places?: Range[];
  /**
   * Not a call: the first pass of the loop at `range`, whose values (those the loop starts with) the
   * step supplied. What the site does on later passes is not described.
   */
  firstPass?: true;
  /** The call lies in another file than the one analysed (absolute path): its range is that file's. */
  file?: string;
  /** With `file`: that file's lines are moved down by this many in `range` (see SiteFacts.lineOffset). */
  lineOffset?: number;
}

/** A row of a table of cases: the table's name, the row's position (0-based) and its label, a string it holds. */
export interface TableRow { table: string; index: number; label?: string }

/** What the caller knows about one argument of a call. */
export interface ArgFact {
  range: Range;
  text: string;
  /** Known numbers only, or an unknown one that is a known fraction or multiple of the runtime page size. */
  number?: DerivedNumber;
  constant?: ConstantDefinition;
  /** Known origins only (state aligned or unaligned). */
  buffer?: BufferOrigin;
  /** The byte size of that buffer, when known. */
  size?: DerivedNumber;
  /** For `&x`: the value x holds at the call, when known (copy_file_range offsets are passed so). */
  pointee?: DerivedNumber;
  /** The argument as a descriptor: known to carry O_DIRECT, or known not to. */
  oDirect?: boolean;
  /** The argument as open flags: may carry O_DIRECT (true), or is not known to (false). */
  flagsODirect?: boolean;
  /** The argument is itself a parameter of the calling function. */
  param?: ParamRef;
  /** The argument is `&p`, p a parameter of the calling function taken by value: what it points to is p. */
  pointeeParam?: ParamRef;
  /** The argument as a descriptor: its file position when the call starts, when known. */
  position?: DerivedNumber;
  /** That position is where the caller's own descriptor parameter stood when the caller started, plus a known amount. */
  positionParam?: ParamRef;
  /** The argument as the iovecs of a vectored request (a `part: 'iovec'` parameter): their segments as the caller set them. */
  iovec?: { segments: NonNullable<SiteFacts['segments']>; length: DerivedNumber; buffer: BufferOrigin; range?: Range };
}

/**
 * A call to a function of the analysed code, keyed like ParamRef.fn, with its arguments by parameter
 * position, and the function the call is in (undefined at file or module level).
 */
export interface CallRecord {
  callee: string; caller?: string; range: Range; args: (ArgFact | undefined)[];
  /** The file positions of file-scope descriptors the callee writes to where the caller left them, when known at the call. */
  globalPositions?: Record<string, DerivedNumber>;
  /** The values of the callee's `part: 'expression'` references with this call's arguments, by expressionKey, when known. */
  expressions?: Record<string, DerivedNumber>;
  /** The call as one row of a table makes it (a loop over the table calls the function): `range` is the row's. */
  row?: TableRow;
  /** The call lies in another file than the one analysed (absolute path): its ranges are that file's. */
  file?: string;
  /** With `file`: that file's lines are moved down by this many in the ranges (see SiteFacts.lineOffset). */
  lineOffset?: number;
}

export interface TextEdit { range: Range; newText: string }
export interface Fix { title: string; edits: TextEdit[]; isPreferred?: boolean }

export type RuleId =
  | 'ZDIO001' | 'ZDIO002' | 'ZDIO003' | 'ZDIO004'
  | 'ZDIO010' | 'ZDIO011' | 'ZDIO012' | 'ZDIO020';

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  /** Names the derived value and the alignment it broke, e.g. "length 196608 is not a multiple of recordsize 131072". */
  message: string;
  range: Range;
  site: Site;
  /** The values the analyzer derived, for hovers and the panel's article view. */
  derived: Record<string, number | string | boolean>;
  fixes: Fix[];
  /**
   * Other places that explain the finding: for a value passed down to a helper, the calls and the I/O.
   * `file` (absolute path) names a place in another file than the finding's (a helper in a header, a sibling
   * file of a Go package, another module of a crate); without it the place is in the finding's own file.
   */
  related?: { range: Range; message: string; file?: string }[];
  /**
   * Why no automatic fix changes the code, and what to change by hand: set when every edit would change
   * what the program reads, writes, copies or clones (the editor offers the rule's article instead).
   */
  manualFix?: string;
  /** The longer explanation behind the message (versions, settings, known issues), shown in the hover. */
  detail?: string;
}

export interface AnalysisSettings {
  pageSize: number;
  recordsize: number;
  /** Severity override per rule; 'off' disables the rule. */
  severities?: Partial<Record<RuleId, Severity | 'off'>>;
  /** The system the program's data lives on: its recordsize, version and direct= decide the findings. */
  target?: import('./knowledge/target').TargetSystem;
}

export const DEFAULT_SETTINGS: AnalysisSettings = { pageSize: 4096, recordsize: 131072 };

export interface AnalysisResult {
  language: Language;
  sites: Site[];
  findings: Finding[];
  /** True when the parser reported syntax errors; results are still best effort. */
  hadSyntaxErrors: boolean;
  /** Set when the extractor failed on this file (an internal error, reported instead of thrown). */
  analysisError?: string;
  /**
   * Set when the file ran out of its time budget ("analysis stopped: …"): the sites and findings are
   * those found until then.
   */
  analysisStopped?: string;
  /** The text was not parsed (the parse failed or ran out of time): nothing in the file was analysed. */
  unparsed?: true;
  /** The project's other files this analysis read (absolute; headers, package files, modules). */
  workspaceFiles?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Probe report (issue #3). The JSON shape written by `zfs-dio probe --json` starts from this type.

// The experiments are declared once, in the probe's catalog; the id type derives from it.
export type { ExperimentId, IoPath } from './probe/experiments/catalog';

export interface ExperimentResult {
  id: ExperimentId;
  result: 'ok' | 'error';
  errno: string | null;
  bytes: number | null;
  cloned: boolean | null;
  /** 'uncached': through the ARC without staying in it (the OpenZFS 2.4 fallback for misaligned O_DIRECT). */
  io: IoPath;
  /** Byte-for-byte content check after copies; null when not applicable. */
  dataOk?: boolean | null;
  /** Parameters actually used, for explanations. */
  params?: Record<string, number | boolean | string>;
}

export type VerdictStatus = 'affected' | 'not-affected' | 'unknown';
export interface Verdict {
  issue: string;            // e.g. "openzfs#16958"
  title?: string;
  status: VerdictStatus;
  reasons: string[];
  /** Set when the live experiments contradict what the database predicts. */
  contradiction?: string;
  workaround?: string;
  article?: string;
}

export interface DatasetInfo {
  name: string;
  mountpoint: string;
  properties: Record<string, string>;   // direct, recordsize, compression, encryption, checksum, sync, …
  /** Where each property comes from, as `zfs get` prints it: local, default, inherited from X, statfs (mountinfo fallback). */
  propertySources?: Record<string, string>;
}

/** One dataset of the A/B mode: a child created with a fixed `direct=` value and the matrix measured on it. */
export interface AbRun {
  dataset: DatasetInfo;
  experiments: ExperimentResult[];
  statxDioAlign?: { memAlign: number; offsetAlign: number } | null;
}

export interface ProbeReport {
  version: 1;
  /** Where, when and by which zfs-dio version the report was made (absent in reports of older versions). */
  host?: string;
  createdAt?: string;
  toolVersion?: string;
  dataset: DatasetInfo | null;
  zfs: { kmod: string | null; userland: string | null };
  kernel: string | null;
  pageSize: number | null;
  moduleParameters?: Record<string, string | null>;  // null = parameter missing in this version
  pool?: { name: string; features: Record<string, string>; properties: Record<string, string> } | null;
  statxDioAlign?: { memAlign: number; offsetAlign: number } | null;
  experiments: ExperimentResult[];
  verdicts: Verdict[];
  notes?: string[];
  /** A/B mode (opt-in): the matrix on temporary child datasets with direct=always and direct=standard. */
  ab?: { runs: AbRun[]; destroyed: string[] } | null;
  /** Where and how the experiments ran (scratch directory, runner, timings). */
  run?: {
    scratchDir: string; runner: string; python: string | null; syncMethod: string | null; durationMs: number;
    cleanedUp: boolean;
    /** Set when cleanedUp is false: what was left on the dataset, where, and why. */
    cleanupProblem?: string;
  };
}

/**
 * The recordsize seam: the analyzer asks this for the recordsize of the dataset a file lives on.
 * The probe layer implements it from `zfs get` (cached); `undefined` means "use the setting".
 */
export interface RecordsizeSource { recordsizeFor(filePath: string): number | undefined }

// ---------------------------------------------------------------------------------------------
// Probe API (implemented in src/core/probe/index.ts). Errors are ProbeError with a stable code.

export type ProbeErrorCode =
  | 'NO_ZFS'          // zfs/zpool binary missing or no ZFS kernel module
  | 'NOT_ON_ZFS'      // the path is not on a ZFS dataset
  | 'NO_DATASET'      // dataset name not found
  | 'PERMISSION'      // cannot write a scratch directory, or A/B mode lacks privileges
  | 'TIMEOUT'         // a command or the runner exceeded its time limit
  | 'CANCELLED'       // the user cancelled
  | 'BAD_INPUT'       // hostile or malformed dataset name / path
  | 'TAMPERED'        // the scratch directory or its parent was replaced while the probe used it
  | 'NO_SPACE'        // the dataset is full or over its quota
  | 'RUNNER_FAILED';  // the experiment process failed in an unexpected way

export interface ProbeProgress { step: string; fraction?: number }

export interface ProbeOptions {
  /** Dataset name or a path on a dataset. Default: the dataset of the current directory. */
  target?: string;
  /** Run the A/B mode (creates and destroys child datasets). Only after explicit confirmation. */
  ab?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ProbeProgress) => void;
  log?: (line: string) => void;
  /** Per-command timeout in ms (default 15000) and whole-runner timeout (default 120000). */
  commandTimeoutMs?: number;
  runnerTimeoutMs?: number;
  /** Overrides for the binaries (settings `zfsDio.probe.zfsPath`, …). */
  zfsPath?: string;
  zpoolPath?: string;
  pythonPath?: string;
}
