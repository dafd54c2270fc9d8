// resilint-pattern: token-bucket v1
// Rate limiting that allows short bursts: up to `capacity` at once, `refillPerSecond` sustained.
//
// Use it to stay under a dependency's rate limit (an API quota, a database's write
// budget) or to throttle work you start. tryRemove() answers at once; take() waits
// for tokens, in FIFO order, and can be aborted. Refill keeps fractional tokens: at
// 2.5 tokens a second, 400 ms earns exactly one token, and rounding down each time
// instead would quietly lower the rate.

export interface TokenBucketOptions {
  /** The most tokens the bucket holds: the largest burst. */
  capacity: number;
  /** Tokens added per second, fractions allowed. */
  refillPerSecond: number;
  /** Tokens at construction. Default: capacity. */
  initialTokens?: number;
  /** Clock in milliseconds, injectable for tests. Default Date.now. */
  now?: () => number;
}

export interface TakeOptions {
  /** Gives up waiting: take() rejects with the abort reason and no tokens are removed. */
  signal?: AbortSignal | undefined;
}

interface Waiter {
  count: number;
  resolve: () => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class TokenBucket {
  private readonly capacity: number;
  private readonly refillPerSecond: number;
  private readonly now: () => number;
  /**
   * Tokens held, in thousandths of a token. Elapsed milliseconds times tokens per second
   * is then exact for whole-millisecond clocks and typical rates, where adding 0.1 ten
   * times would leave 0.9999999999999999 tokens and wrongly refuse a request.
   */
  private milliTokens: number;
  private lastRefill: number;
  private readonly waiters: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity > 0 && options.refillPerSecond > 0)) {
      throw new RangeError('TokenBucket: capacity and refillPerSecond must be > 0');
    }
    this.capacity = options.capacity;
    this.refillPerSecond = options.refillPerSecond;
    this.now = options.now ?? Date.now;
    this.milliTokens = Math.min(options.capacity, options.initialTokens ?? options.capacity) * 1000;
    this.lastRefill = this.now();
  }

  /** Tokens available now, including fractions. */
  get available(): number {
    this.refill();
    return this.milliTokens / 1000;
  }

  /** Removes `count` tokens if they are available and nobody is waiting ahead; never waits. */
  tryRemove(count = 1): boolean {
    this.checkCount(count);
    this.refill();
    if (this.waiters.length > 0 || this.milliTokens < count * 1000) return false;
    this.milliTokens -= count * 1000;
    return true;
  }

  /** Waits until `count` tokens are available, then removes them. */
  async take(count = 1, options: TakeOptions = {}): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) throw abortReason(signal);
    if (this.tryRemove(count)) return;
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve,
        signal,
        onAbort: () => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(abortReason(signal));
          // The head may have left: the next waiter might be served now or need another wait.
          this.serveWaiters();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      if (this.waiters.length === 1) this.serveWaiters();
    });
  }

  private serveWaiters(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.refill();
    let head = this.waiters[0];
    while (head && this.milliTokens >= head.count * 1000) {
      this.waiters.shift();
      this.milliTokens -= head.count * 1000;
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve();
      head = this.waiters[0];
    }
    if (!head) return;
    // Rounding up never wakes too early; the floor of 1 ms guarantees progress even if
    // floating-point leaves the bucket a hair short after the wait.
    const waitMs = Math.max(1, Math.ceil((head.count * 1000 - this.milliTokens) / this.refillPerSecond));
    this.timer = setTimeout(() => this.serveWaiters(), waitMs);
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.lastRefill;
    // A clock that steps backwards adds nothing, and refill restarts from the new reading.
    if (elapsed > 0) this.milliTokens = Math.min(this.capacity * 1000, this.milliTokens + elapsed * this.refillPerSecond);
    this.lastRefill = now;
  }

  private checkCount(count: number): void {
    if (!(count > 0 && count <= this.capacity)) {
      throw new RangeError(`TokenBucket: count must be in (0, ${this.capacity}], got ${count}`);
    }
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  // Runtimes before Node 17.2 abort without a reason; never reject with `undefined`.
  if (signal?.reason !== undefined) return signal.reason;
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
