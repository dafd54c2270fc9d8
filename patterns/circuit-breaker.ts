// resilint-pattern: circuit-breaker v1
// Stop calling a dependency that keeps failing, and test it with one call before trusting it again.
//
// Use it in front of a remote dependency whose failures are correlated (an overloaded
// service, a database failing over): while it is down, callers fail fast with a
// CircuitOpenError instead of piling up waiting, and the dependency gets room to recover.
// closed: calls pass and outcomes are counted over a rolling window; too many failures
// open the circuit. open: every call is rejected until openDurationMs has passed.
// half-open: exactly one probe call is let through; concurrent calls are rejected until
// it settles; success closes the circuit, failure opens it again.
// Give the operation its own timeout (e.g. withTimeout): a probe that never settles
// would hold the circuit half-open.

const DEFAULT_WINDOW_MS = 60_000;
const DEFAULT_WINDOW_BUCKETS = 10;
const DEFAULT_FAILURE_THRESHOLD = 5;
const DEFAULT_MINIMUM_CALLS = 10;
const DEFAULT_OPEN_DURATION_MS = 30_000;

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitStateChange {
  from: CircuitState;
  to: CircuitState;
  /** Clock reading (options.now) at the transition. */
  at: number;
}

/**
 * Which outcomes count: those of the last `durationMs` (tracked in `buckets` slices, so
 * the window moves in steps of durationMs / buckets), or those of the last `calls` calls.
 */
export type RollingWindow = { durationMs: number; buckets?: number } | { calls: number };

/** When the window trips the circuit: a number of failures, or a failure rate over enough calls. */
export type TripThreshold = { failures: number } | { failureRate: number; minimumCalls?: number };

export interface CircuitBreakerOptions {
  /** Default { durationMs: 60 000, buckets: 10 }. */
  window?: RollingWindow;
  /** Default { failures: 5 }. */
  threshold?: TripThreshold;
  /** How long the circuit stays open before a probe is allowed. Default 30 000 ms. */
  openDurationMs?: number;
  /** Errors that say nothing about the dependency's health (e.g. validation) can be excluded. Default: every error counts. */
  isFailure?: (error: unknown) => boolean;
  /** Clock in milliseconds, injectable for tests. Default Date.now. */
  now?: () => number;
}

export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  /** Milliseconds until a probe will be allowed; 0 while a probe is already in flight. */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number, message: string) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

export type CircuitStateListener = (change: CircuitStateChange) => void;

export class CircuitBreaker {
  private readonly window: OutcomeWindow;
  private readonly tripped: (totals: OutcomeTotals) => boolean;
  private readonly openDurationMs: number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly now: () => number;
  private readonly listeners = new Set<CircuitStateListener>();
  private current: CircuitState = 'closed';
  private openedAt = 0;
  private probeInFlight = false;
  /** Bumped on every transition, so a call that started in an earlier state cannot move this one. */
  private generation = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    const window = options.window ?? { durationMs: DEFAULT_WINDOW_MS };
    this.window = 'calls' in window
      ? new CountWindow(window.calls)
      : new TimeWindow(window.durationMs, window.buckets ?? DEFAULT_WINDOW_BUCKETS);
    this.tripped = tripRule(options.threshold ?? { failures: DEFAULT_FAILURE_THRESHOLD });
    this.openDurationMs = options.openDurationMs ?? DEFAULT_OPEN_DURATION_MS;
    this.isFailure = options.isFailure ?? (() => true);
    this.now = options.now ?? Date.now;
  }

  /** The current state; an open circuit whose open duration has passed reports half-open. */
  get state(): CircuitState {
    return this.refreshState();
  }

  /** Subscribes to transitions; listeners run synchronously. Returns the unsubscribe function. */
  onStateChange(listener: CircuitStateListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async execute<T>(operation: () => Promise<T>): Promise<T> {
    const state = this.refreshState();
    if (state === 'open') {
      const retryAfterMs = Math.max(0, this.openedAt + this.openDurationMs - this.now());
      throw new CircuitOpenError(retryAfterMs, `Circuit is open; retry in ${retryAfterMs} ms`);
    }
    if (state === 'half-open') {
      if (this.probeInFlight) throw new CircuitOpenError(0, 'Circuit is half-open and its probe call is in flight');
      this.probeInFlight = true;
    }
    const generation = this.generation;
    let result: T;
    try {
      result = await operation();
    } catch (error) {
      this.settle(generation, this.isFailure(error));
      throw error;
    }
    this.settle(generation, false);
    return result;
  }

  private settle(generation: number, failed: boolean): void {
    if (generation !== this.generation) return;
    if (this.current === 'half-open') {
      this.transition(failed ? 'open' : 'closed');
      return;
    }
    const now = this.now();
    this.window.record(failed, now);
    if (failed && this.tripped(this.window.totals(now))) this.transition('open');
  }

  private refreshState(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.openDurationMs) {
      this.transition('half-open');
    }
    return this.current;
  }

  private transition(to: CircuitState): void {
    const from = this.current;
    const at = this.now();
    this.current = to;
    this.generation++;
    this.probeInFlight = false;
    if (to === 'open') this.openedAt = at;
    if (to === 'closed') this.window.reset();
    for (const listener of [...this.listeners]) listener({ from, to, at });
  }
}

interface OutcomeTotals {
  calls: number;
  failures: number;
}

interface OutcomeWindow {
  record(failed: boolean, now: number): void;
  totals(now: number): OutcomeTotals;
  reset(): void;
}

function tripRule(threshold: TripThreshold): (totals: OutcomeTotals) => boolean {
  if ('failures' in threshold) {
    const { failures } = threshold;
    if (!(failures >= 1)) throw new RangeError(`CircuitBreaker: threshold.failures must be >= 1, got ${failures}`);
    return (totals) => totals.failures >= failures;
  }
  const { failureRate } = threshold;
  const minimumCalls = threshold.minimumCalls ?? DEFAULT_MINIMUM_CALLS;
  if (!(failureRate > 0 && failureRate <= 1)) {
    throw new RangeError(`CircuitBreaker: threshold.failureRate must be in (0, 1], got ${failureRate}`);
  }
  return (totals) => totals.calls >= minimumCalls && totals.failures / totals.calls >= failureRate;
}

/** The outcomes of the last `size` calls, in a ring. */
class CountWindow implements OutcomeWindow {
  private readonly size: number;
  private outcomes: boolean[] = [];
  private next = 0;
  private failures = 0;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`CircuitBreaker: window.calls must be a positive integer, got ${size}`);
    this.size = size;
  }

  record(failed: boolean): void {
    if (this.outcomes[this.next] === true) this.failures--;
    this.outcomes[this.next] = failed;
    if (failed) this.failures++;
    this.next = (this.next + 1) % this.size;
  }

  totals(): OutcomeTotals {
    return { calls: this.outcomes.length, failures: this.failures };
  }

  reset(): void {
    this.outcomes = [];
    this.next = 0;
    this.failures = 0;
  }
}

/** Outcome counts per time slice; slices older than the window are dropped. */
class TimeWindow implements OutcomeWindow {
  private readonly sliceMs: number;
  private readonly sliceCount: number;
  private readonly slices = new Map<number, OutcomeTotals>();

  constructor(durationMs: number, sliceCount: number) {
    if (!(durationMs > 0 && Number.isInteger(sliceCount) && sliceCount >= 1)) {
      throw new RangeError('CircuitBreaker: window.durationMs must be > 0 and window.buckets a positive integer');
    }
    this.sliceMs = durationMs / sliceCount;
    this.sliceCount = sliceCount;
  }

  record(failed: boolean, now: number): void {
    const slice = this.currentSlice(now);
    let totals = this.slices.get(slice);
    if (!totals) {
      totals = { calls: 0, failures: 0 };
      this.slices.set(slice, totals);
    }
    totals.calls++;
    if (failed) totals.failures++;
  }

  totals(now: number): OutcomeTotals {
    this.currentSlice(now);
    const sum = { calls: 0, failures: 0 };
    for (const totals of this.slices.values()) {
      sum.calls += totals.calls;
      sum.failures += totals.failures;
    }
    return sum;
  }

  reset(): void {
    this.slices.clear();
  }

  /** The slice `now` falls in, after dropping slices that have left the window. */
  private currentSlice(now: number): number {
    const slice = Math.floor(now / this.sliceMs);
    for (const key of this.slices.keys()) {
      if (key <= slice - this.sliceCount) this.slices.delete(key);
    }
    return slice;
  }
}
