// resilint-pattern: bulkhead v1
// Cap how many calls to one dependency run at once, with a bounded, time-limited wait queue.
//
// Use it to keep one slow dependency from absorbing every connection, socket or worker
// the process has: at most maxConcurrent calls run, up to maxQueue more wait in FIFO
// order, and anything beyond that fails at once with BulkheadFullError. A waiter that
// does not get a slot within queueTimeoutMs fails with BulkheadTimeoutError rather than
// waiting for ever, and a waiter can be aborted with an AbortSignal.

const DEFAULT_QUEUE_TIMEOUT_MS = 10_000;
/** The longest delay setTimeout honours; larger values fire immediately. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

export interface BulkheadOptions {
  /** Calls allowed to run at the same time. */
  maxConcurrent: number;
  /** Calls allowed to wait for a slot; 0 rejects as soon as every slot is busy. */
  maxQueue: number;
  /** How long a call may wait for a slot, in milliseconds; Infinity waits without limit. Default 10 000. */
  queueTimeoutMs?: number;
}

export interface AcquireOptions {
  /** Gives up waiting: the call rejects with the abort reason and leaves the queue. */
  signal?: AbortSignal | undefined;
}

/** Gives the slot back; calling it more than once has no further effect. */
export type ReleaseSlot = () => void;

export class BulkheadFullError extends Error {
  override readonly name = 'BulkheadFullError';
}

export class BulkheadTimeoutError extends Error {
  override readonly name = 'BulkheadTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`No bulkhead slot became free within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

interface Waiter {
  grant: (release: ReleaseSlot) => void;
}

export class Bulkhead {
  private readonly maxConcurrent: number;
  private readonly maxQueue: number;
  private readonly queueTimeoutMs: number;
  private running = 0;
  private readonly waiters: Waiter[] = [];

  constructor(options: BulkheadOptions) {
    const queueTimeoutMs = options.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS;
    if (!(Number.isInteger(options.maxConcurrent) && options.maxConcurrent >= 1)) {
      throw new RangeError(`Bulkhead: maxConcurrent must be a positive integer, got ${options.maxConcurrent}`);
    }
    if (!(Number.isInteger(options.maxQueue) && options.maxQueue >= 0)) {
      throw new RangeError(`Bulkhead: maxQueue must be a non-negative integer, got ${options.maxQueue}`);
    }
    if (!(queueTimeoutMs >= 0 && (queueTimeoutMs <= MAX_TIMER_DELAY_MS || queueTimeoutMs === Infinity))) {
      throw new RangeError(`Bulkhead: queueTimeoutMs must be between 0 and ${MAX_TIMER_DELAY_MS}, or Infinity`);
    }
    this.maxConcurrent = options.maxConcurrent;
    this.maxQueue = options.maxQueue;
    this.queueTimeoutMs = queueTimeoutMs;
  }

  /** Calls holding a slot. */
  get active(): number {
    return this.running;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  /** Runs the operation in a slot, and frees the slot however it ends. */
  async run<T>(operation: () => Promise<T>, options: AcquireOptions = {}): Promise<T> {
    const release = await this.acquire(options);
    try {
      return await operation();
    } finally {
      release();
    }
  }

  /** Waits for a slot; the caller must call the returned function when done. Prefer run(). */
  async acquire(options: AcquireOptions = {}): Promise<ReleaseSlot> {
    const { signal } = options;
    if (signal?.aborted) throw abortReason(signal);
    if (this.running < this.maxConcurrent) {
      this.running++;
      return this.releaser();
    }
    if (this.waiters.length >= this.maxQueue) {
      throw new BulkheadFullError(
        `Bulkhead is full: ${this.maxConcurrent} running and ${this.waiters.length} waiting`,
      );
    }
    return new Promise<ReleaseSlot>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stopWaiting = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const leaveQueue = (reason: unknown) => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        stopWaiting();
        reject(reason);
      };
      const onAbort = () => leaveQueue(abortReason(signal));
      const waiter: Waiter = {
        grant: (release) => {
          stopWaiting();
          resolve(release);
        },
      };
      if (this.queueTimeoutMs !== Infinity) {
        timer = setTimeout(() => leaveQueue(new BulkheadTimeoutError(this.queueTimeoutMs)), this.queueTimeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so a newcomer cannot take it first.
      if (next) next.grant(this.releaser());
      else this.running--;
    };
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  // Runtimes before Node 17.2 abort without a reason; never reject with `undefined`.
  if (signal?.reason !== undefined) return signal.reason;
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
