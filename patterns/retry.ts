// resilint-pattern: retry v1
// Retry a failing async operation with capped exponential backoff and full jitter.
//
// Use it for calls that fail transiently (timeouts, 5xx, 429, connection resets) and
// are safe to repeat (idempotent reads, writes with an idempotency key). Full jitter
// spreads clients that failed together across the whole backoff window, so they do not
// come back as a synchronised herd; the cap keeps late attempts from waiting for ever;
// the attempt limit and the shouldRetry predicate stop retrying what cannot succeed.

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BASE_DELAY_MS = 100;
const DEFAULT_MAX_DELAY_MS = 10_000;
const DEFAULT_FACTOR = 2;
/** The longest delay setTimeout honours; larger values fire immediately. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

export interface RetryContext {
  /** The error the attempt failed with. */
  error: unknown;
  /** The attempt that failed, counting from 1. */
  attempt: number;
  /** How long retry waits before the next attempt, in milliseconds. */
  delayMs: number;
}

export interface RetryOptions {
  /** Attempts in total, including the first. Default 3. */
  maxAttempts?: number;
  /** Backoff cap before the first retry, in milliseconds. Default 100. */
  baseDelay?: number;
  /** Upper bound of any single wait, in milliseconds. Default 10 000. */
  maxDelay?: number;
  /** Growth of the backoff cap per attempt. Default 2. */
  factor?: number;
  /** Whether an error is worth another attempt. Default: isRetryableError. */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Stops retrying: a pending wait is cancelled and retry rejects with the abort reason. */
  signal?: AbortSignal | undefined;
  /** Called before each wait, e.g. to log or count retries. */
  onRetry?: (context: RetryContext) => void;
  /** Source of randomness in [0, 1), injectable for tests. Default Math.random. */
  random?: () => number;
}

export async function retry<T>(
  operation: (attempt: number, signal: AbortSignal) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const baseDelay = options.baseDelay ?? DEFAULT_BASE_DELAY_MS;
  const maxDelay = options.maxDelay ?? DEFAULT_MAX_DELAY_MS;
  const factor = options.factor ?? DEFAULT_FACTOR;
  const shouldRetry = options.shouldRetry ?? isRetryableError;
  const random = options.random ?? Math.random;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`retry: maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  if (!(baseDelay >= 0 && maxDelay >= 0 && maxDelay <= MAX_TIMER_DELAY_MS && factor >= 1)) {
    throw new RangeError(`retry: need 0 <= baseDelay, 0 <= maxDelay <= ${MAX_TIMER_DELAY_MS} and factor >= 1`);
  }
  // Operations always receive a signal, so they can pass it on without null checks.
  const signal = options.signal ?? new AbortController().signal;

  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw abortReason(signal);
    try {
      return await operation(attempt, signal);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      if (attempt >= maxAttempts || !shouldRetry(error, attempt)) throw error;
      const cap = Math.min(maxDelay, baseDelay * factor ** (attempt - 1));
      const delayMs = random() * cap;
      options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, signal);
    }
  }
}

/**
 * Default retry policy: HTTP client errors (4xx) will fail the same way again, except
 * 408 Request Timeout and 429 Too Many Requests. Everything else (5xx, network errors,
 * timeouts, errors without a status) is treated as transient.
 */
export function isRetryableError(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status === undefined) return true;
  if (status === 408 || status === 429) return true;
  return status < 400 || status >= 500;
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } | null };
  for (const value of [candidate.status, candidate.statusCode, candidate.response?.status]) {
    if (typeof value === 'number') return value;
  }
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  // Runtimes before Node 17.2 abort without a reason; never reject with `undefined`.
  if (signal.reason !== undefined) return signal.reason;
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
