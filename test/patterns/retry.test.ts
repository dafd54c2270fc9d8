import assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { isRetryableError, retry, type RetryContext } from '../../patterns/retry';

function httpError(status: number): Error & { status: number } {
  return Object.assign(new Error(`HTTP ${status}`), { status });
}

describe('patterns/retry', () => {
  let clock: FakeTimers.Clock;
  beforeEach(() => {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.uninstall());

  it('returns the first success without waiting', async () => {
    const attempts: number[] = [];
    const result = await retry(async (attempt) => {
      attempts.push(attempt);
      return 'ok';
    });
    assert.equal(result, 'ok');
    assert.deepEqual(attempts, [1]);
    assert.equal(clock.countTimers(), 0);
  });

  it('retries until the operation succeeds, reporting each retry', async () => {
    const retries: RetryContext[] = [];
    const failures = [new Error('first'), new Error('second')];
    const pending = retry(
      async (attempt) => {
        const failure = failures[attempt - 1];
        if (failure) throw failure;
        return attempt;
      },
      { random: () => 0.5, onRetry: (context) => retries.push(context) },
    );
    await clock.runAllAsync();
    assert.equal(await pending, 3);
    assert.deepEqual(
      retries.map(({ error, attempt }) => ({ error, attempt })),
      [
        { error: failures[0], attempt: 1 },
        { error: failures[1], attempt: 2 },
      ],
    );
  });

  it('throws the last error after maxAttempts', async () => {
    let calls = 0;
    const pending = retry(
      async (attempt) => {
        calls++;
        throw new Error(`attempt ${attempt}`);
      },
      { maxAttempts: 4, random: () => 0 },
    );
    const outcome = assert.rejects(pending, { message: 'attempt 4' });
    await clock.runAllAsync();
    await outcome;
    assert.equal(calls, 4);
    assert.equal(clock.countTimers(), 0);
  });

  it('grows the backoff cap exponentially up to maxDelay and scales it by the random draw', async () => {
    const delays: number[] = [];
    const pending = retry(
      async () => {
        throw new Error('down');
      },
      { maxAttempts: 6, baseDelay: 100, factor: 3, maxDelay: 1000, random: () => 0.5, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    const outcome = assert.rejects(pending, { message: 'down' });
    await clock.runAllAsync();
    await outcome;
    // Caps 100, 300, 900, then 1000 (the maximum) twice; full jitter draws half of each.
    assert.deepEqual(delays, [50, 150, 450, 500, 500]);
  });

  it('keeps every delay within [0, cap) for any random draw', async () => {
    const delays: number[] = [];
    const draws = [0, 0.999999, 0.25, 0.75];
    const pending = retry(
      async () => {
        throw new Error('down');
      },
      { maxAttempts: 5, baseDelay: 200, maxDelay: 500, random: () => draws.shift() ?? 0, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    const outcome = assert.rejects(pending);
    await clock.runAllAsync();
    await outcome;
    const caps = [200, 400, 500, 500];
    delays.forEach((delay, i) => {
      assert.ok(delay >= 0 && delay < (caps[i] ?? 0), `delay ${delay} outside [0, ${caps[i]})`);
    });
    assert.equal(delays[0], 0);
  });

  it('waits the drawn delay before the next attempt', async () => {
    let calls = 0;
    const pending = retry(
      async () => {
        calls++;
        if (calls === 1) throw new Error('once');
        return 'ok';
      },
      { baseDelay: 100, random: () => 0.5 },
    );
    await clock.tickAsync(49);
    assert.equal(calls, 1);
    await clock.tickAsync(1);
    assert.equal(calls, 2);
    assert.equal(await pending, 'ok');
  });

  it('stops at the first error shouldRetry rejects, and passes it the error and attempt', async () => {
    const seen: Array<[unknown, number]> = [];
    const validation = new Error('invalid input');
    let calls = 0;
    const pending = retry(
      async () => {
        calls++;
        throw calls === 1 ? new Error('transient') : validation;
      },
      {
        maxAttempts: 5,
        random: () => 0,
        shouldRetry: (error, attempt) => {
          seen.push([error, attempt]);
          return error !== validation;
        },
      },
    );
    const outcome = assert.rejects(pending, (error) => error === validation);
    await clock.runAllAsync();
    await outcome;
    assert.equal(calls, 2);
    assert.deepEqual(seen.map(([, attempt]) => attempt), [1, 2]);
  });

  it('does not retry 4xx responses by default, but does retry 408, 429 and 5xx', async () => {
    for (const [status, expectedCalls] of [[404, 1], [400, 1], [408, 3], [429, 3], [503, 3]] as const) {
      let calls = 0;
      const pending = retry(
        async () => {
          calls++;
          throw httpError(status);
        },
        { random: () => 0 },
      );
      const outcome = assert.rejects(pending, { status });
      await clock.runAllAsync();
      await outcome;
      assert.equal(calls, expectedCalls, `status ${status}`);
    }
  });

  it('reads the status from status, statusCode or response.status', () => {
    assert.equal(isRetryableError(httpError(422)), false);
    assert.equal(isRetryableError({ statusCode: 401 }), false);
    assert.equal(isRetryableError({ response: { status: 403 } }), false);
    assert.equal(isRetryableError({ response: { status: 502 } }), true);
    assert.equal(isRetryableError({ response: null }), true);
    assert.equal(isRetryableError(new Error('ECONNRESET')), true);
    assert.equal(isRetryableError('a string'), true);
  });

  it('passes the caller signal to the operation', async () => {
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    await retry(async (_attempt, signal) => {
      received = signal;
    }, { signal: controller.signal });
    assert.equal(received, controller.signal);
  });

  it('gives the operation a signal even when the caller has none', async () => {
    const callerSignal: AbortSignal | undefined = undefined;
    await retry(async (_attempt, signal) => {
      assert.ok(signal instanceof AbortSignal);
      assert.equal(signal.aborted, false);
    }, { signal: callerSignal });
  });

  it('rejects with the abort reason and clears the timer when aborted mid-wait', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = retry(
      async () => {
        calls++;
        throw new Error('down');
      },
      { baseDelay: 1000, random: () => 0.5, signal: controller.signal },
    );
    await clock.tickAsync(100);
    assert.equal(clock.countTimers(), 1);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await assert.rejects(pending, (error) => error === reason);
    assert.equal(clock.countTimers(), 0);
    await clock.tickAsync(10_000);
    assert.equal(calls, 1);
  });

  it('does not retry an attempt that failed because the caller aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = retry(
      (_attempt, signal) => {
        calls++;
        return new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('request aborted')));
        });
      },
      { signal: controller.signal, random: () => 0 },
    );
    controller.abort(new Error('caller gave up'));
    await assert.rejects(pending, { message: 'caller gave up' });
    assert.equal(calls, 1);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    let calls = 0;
    await assert.rejects(
      retry(async () => {
        calls++;
      }, { signal: controller.signal }),
      { message: 'too late' },
    );
    assert.equal(calls, 0);
  });

  it('rejects nonsensical options', async () => {
    const op = async () => 1;
    await assert.rejects(retry(op, { maxAttempts: 0 }), RangeError);
    await assert.rejects(retry(op, { maxAttempts: 1.5 }), RangeError);
    await assert.rejects(retry(op, { factor: 0.5 }), RangeError);
    await assert.rejects(retry(op, { maxDelay: -1 }), RangeError);
  });
});
