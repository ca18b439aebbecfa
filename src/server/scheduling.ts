// Timing helpers for on-type analysis. Pure, so debouncing and "newest result wins" are unit-tested.

/** Runs the last callback scheduled per key after `delayMs` of quiet. */
export class KeyedDebouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  schedule(key: string, delayMs: number, run: () => void): void {
    this.cancel(key);
    if (delayMs <= 0) { run(); return; }
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); run(); }, delayMs));
  }
  cancel(key: string): void {
    const t = this.timers.get(key);
    if (t !== undefined) { clearTimeout(t); this.timers.delete(key); }
  }
  cancelAll(): void { for (const key of [...this.timers.keys()]) this.cancel(key); }
  pending(key: string): boolean { return this.timers.has(key); }
}

/**
 * Hands out a ticket per request; only the newest ticket of a key is current. An analysis that
 * finishes after a newer one started (or after the document closed) sees `isCurrent` false and
 * discards its result, so a slow stale result can never overwrite a newer one.
 */
export class LatestOnly {
  private readonly generations = new Map<string, number>();
  private counter = 0;

  begin(key: string): number {
    const ticket = ++this.counter;
    this.generations.set(key, ticket);
    return ticket;
  }
  isCurrent(key: string, ticket: number): boolean { return this.generations.get(key) === ticket; }
  /** Invalidates every outstanding ticket of the key (document closed or disabled). */
  forget(key: string): void { this.generations.delete(key); }
}
