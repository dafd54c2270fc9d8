// resilint-pattern: with-timeout v1
// Bound how long an async operation may take, and cancel it when the time is up.
//
// Use it around any call that waits on something outside the process (HTTP, database,
// queue, child process) that has no timeout of its own. Prefer passing a function that
// accepts an AbortSignal: then the operation itself stops at the deadline instead of
// running on unobserved. The timer is always cleared, so a fast call leaves nothing
// behind to keep the event loop alive.

/** The longest delay setTimeout honours; larger values fire immediately. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** Rejection reason when the deadline passes first; `instanceof` tells it apart. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  /** The deadline that was exceeded, in milliseconds. */
  readonly ms: number;

  constructor(ms: number, message = `Operation timed out after ${ms} ms`) {
    super(message);
    this.ms = ms;
  }
}

export interface WithTimeoutOptions {
  /** The caller's own cancellation; aborting it also aborts the operation. */
  signal?: AbortSignal | undefined;
  /** Message for the TimeoutError, e.g. naming the dependency that was slow. */
  message?: string;
}

/** A promise that is already running, or a function that starts one and honours a signal. */
export type TimedOperation<T> = Promise<T> | ((signal: AbortSignal) => Promise<T>);

export async function withTimeout<T>(
  operation: TimedOperation<T>,
  ms: number,
  options: WithTimeoutOptions = {},
): Promise<T> {
  if (!(ms >= 0 && ms <= MAX_TIMER_DELAY_MS)) {
    throw new RangeError(`withTimeout: ms must be between 0 and ${MAX_TIMER_DELAY_MS}, got ${ms}`);
  }
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onCallerAbort: (() => void) | undefined;
  // The timer rejects a promise rather than throwing: a throw inside a timer callback
  // escapes every try/catch and takes the process down.
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(ms, options.message);
      controller.abort(error);
      reject(error);
    }, ms);
    if (signal) {
      onCallerAbort = () => {
        const reason = abortReason(signal);
        controller.abort(reason);
        reject(reason);
      };
      signal.addEventListener('abort', onCallerAbort, { once: true });
    }
  });

  try {
    const work = typeof operation === 'function' ? operation(controller.signal) : operation;
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    if (signal && onCallerAbort) signal.removeEventListener('abort', onCallerAbort);
  }
}

function abortReason(signal: AbortSignal): unknown {
  // Runtimes before Node 17.2 abort without a reason; never reject with `undefined`.
  if (signal.reason !== undefined) return signal.reason;
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
