// The time one file may cost: a deadline for the parse and one for the extraction and the rules.
// Whatever the input, the scanner and the editor (which analyses open documents on the extension
// host's only thread) must come back within a few seconds; a file that runs out of time keeps the
// sites found so far and says so in an "analysis stopped: …" note.
//
// The extraction is synchronous, so the budget in force is a module-level slot set around it
// (withBudget); the loops that can run long call tickBudget(), which reads the clock only every
// CLOCK_EVERY ticks, so a tick costs a counter decrement.

/** The default per phase for `zfs-dio scan` (--file-time-limit) and scanPaths. */
export const DEFAULT_FILE_TIME_LIMIT_MS = 5000;

export type BudgetPhase = 'parse' | 'extraction' | 'rules';

const CLOCK_EVERY = 1024;

export class AnalysisBudget {
  private deadline = Infinity;
  private countdown = CLOCK_EVERY;
  /** The phase that ran out of time, once one has. */
  stoppedIn: BudgetPhase | undefined;
  phase: BudgetPhase = 'parse';

  /**
   * @param limitMs the time each phase may take
   * @param now the clock (injectable, so tests can run out of time without depending on speed)
   */
  constructor(readonly limitMs: number, private readonly now: () => number = () => performance.now()) {
    if (!(limitMs > 0)) throw new RangeError(`the time limit must be positive, got ${String(limitMs)}`);
  }

  /** Starts a phase: it gets the whole limit from now. */
  start(phase: BudgetPhase): void {
    this.phase = phase;
    this.deadline = this.now() + this.limitMs;
    this.countdown = CLOCK_EVERY;
  }

  /** True when the current phase is past its deadline (reads the clock). */
  expired(): boolean {
    this.countdown = CLOCK_EVERY;
    if (this.now() < this.deadline) return false;
    this.stoppedIn ??= this.phase;
    return true;
  }

  /** expired(), reading the clock only every CLOCK_EVERY calls (for callbacks called very often). */
  poll(): boolean {
    if (--this.countdown > 0) return false;
    return this.expired();
  }

  /** Cheap check for hot loops: reads the clock every CLOCK_EVERY calls. @throws AnalysisStopped */
  tick(): void {
    if (--this.countdown > 0) return;
    this.check();
  }

  /** Reads the clock. @throws AnalysisStopped when the current phase is past its deadline */
  check(): void {
    if (this.expired()) throw new AnalysisStopped(this.phase);
  }
}

/** Thrown out of the extraction when the budget runs out; carries the sites found until then. */
export class AnalysisStopped extends Error {
  constructor(readonly phase: BudgetPhase, readonly partial?: unknown[]) {
    super(`analysis stopped in ${phase}`);
    this.name = 'AnalysisStopped';
  }

  /** The same stop, carrying what the extractor had found (the innermost catcher that knows it adds it). */
  withPartial(partial: unknown[]): AnalysisStopped {
    return this.partial ? this : new AnalysisStopped(this.phase, partial);
  }
}

let current: AnalysisBudget | undefined;

/** Runs `fn` with `budget` as the one tickBudget() checks. */
export function withBudget<T>(budget: AnalysisBudget | undefined, fn: () => T): T {
  const previous = current;
  current = budget;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** Called by loops that may run long. @throws AnalysisStopped when the budget in force is spent */
export function tickBudget(): void { current?.tick(); }

/** For tree-sitter progress callbacks, which cancel when they return true. */
export function budgetExpired(): boolean { return current?.poll() ?? false; }

/** After work that a progress callback may have cancelled: a cancelled one is a stop. @throws AnalysisStopped */
export function checkBudget(): void { current?.check(); }

/** Rethrows a budget stop; any other error is the caller's to handle. */
export function rethrowStop(e: unknown): void {
  if (e instanceof AnalysisStopped) throw e;
}

const PHASE_WORDS: Readonly<Record<BudgetPhase, string>> = {
  parse: 'parsing', extraction: 'finding the call sites', rules: 'checking the rules',
};

/** The note for a file whose analysis ran out of time (one wording for the CLI and the editor). */
export function stoppedNote(phase: BudgetPhase, limitMs: number, sitesKept: number, findingsKept: number): string {
  const limit = limitMs >= 1000 ? `${+(limitMs / 1000).toFixed(2)} s` : `${limitMs} ms`;
  const kept = phase === 'parse' ? 'nothing in this file was analysed'
    : `the ${sitesKept} call site${sitesKept === 1 ? '' : 's'} and ${findingsKept} finding${findingsKept === 1 ? '' : 's'} found until then are reported; the rest of the file was not checked`;
  return `analysis stopped: ${PHASE_WORDS[phase]} took longer than the time limit per file (${limit}); ${kept}`;
}
