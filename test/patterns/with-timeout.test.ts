import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import FakeTimers from '@sinonjs/fake-timers';
import { TimeoutError, withTimeout } from '../../patterns/with-timeout';

describe('patterns/with-timeout', () => {
  let clock: FakeTimers.Clock;
  beforeEach(() => {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.uninstall());

  it('resolves with the operation result and clears its timer', async () => {
    const result = await withTimeout(Promise.resolve(42), 1000);
    assert.equal(result, 42);
    assert.equal(clock.countTimers(), 0);
  });

  it('passes a live signal to a function operation and clears the timer when it wins', async () => {
    let received: AbortSignal | undefined;
    const pending = withTimeout(async (signal) => {
      received = signal;
      await new Promise((resolve) => setTimeout(resolve, 500));
      return 'done';
    }, 1000);
    await clock.tickAsync(500);
    assert.equal(await pending, 'done');
    assert.equal(received?.aborted, false);
    assert.equal(clock.countTimers(), 0);
  });

  it('rejects with a TimeoutError that carries ms and aborts the operation', async () => {
    let received: AbortSignal | undefined;
    const pending = withTimeout((signal) => {
      received = signal;
      return new Promise<never>(() => {});
    }, 250);
    const outcome = assert.rejects(pending, (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'TimeoutError');
      assert.equal(error.ms, 250);
      assert.match(error.message, /250 ms/);
      return true;
    });
    await clock.tickAsync(249);
    assert.equal(received?.aborted, false);
    await clock.tickAsync(1);
    await outcome;
    assert.equal(received?.aborted, true);
    assert.ok(received?.reason instanceof TimeoutError);
    assert.equal(clock.countTimers(), 0);
  });

  it('uses the message option', async () => {
    const pending = withTimeout(new Promise<never>(() => {}), 10, { message: 'inventory service is slow' });
    const outcome = assert.rejects(pending, { name: 'TimeoutError', message: 'inventory service is slow' });
    await clock.tickAsync(10);
    await outcome;
  });

  it('passes the operation error through and clears the timer', async () => {
    const failure = new Error('boom');
    await assert.rejects(withTimeout(Promise.reject(failure), 1000), (error) => error === failure);
    assert.equal(clock.countTimers(), 0);
  });

  it('turns a synchronous throw of the operation into a rejection', async () => {
    const failure = new Error('sync');
    await assert.rejects(withTimeout(() => { throw failure; }, 1000), (error) => error === failure);
    assert.equal(clock.countTimers(), 0);
  });

  it('does not leave an unhandled rejection when a raced promise fails after the deadline', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const slow = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('late')), 2000));
      const outcome = assert.rejects(withTimeout(slow, 1000), TimeoutError);
      await clock.tickAsync(2000);
      await outcome;
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('aborts the operation and rejects with the reason when the caller aborts mid-wait', async () => {
    const caller = new AbortController();
    let received: AbortSignal | undefined;
    const pending = withTimeout((signal) => {
      received = signal;
      return new Promise<never>(() => {});
    }, 1000, { signal: caller.signal });
    await clock.tickAsync(100);
    const reason = new Error('request cancelled');
    caller.abort(reason);
    await assert.rejects(pending, (error) => error === reason);
    assert.equal(received?.aborted, true);
    assert.equal(received?.reason, reason);
    assert.equal(clock.countTimers(), 0);
    assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
  });

  it('removes its listener from the caller signal after success', async () => {
    const caller = new AbortController();
    await withTimeout(Promise.resolve('ok'), 1000, { signal: caller.signal });
    assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
  });

  it('rejects at once without starting the operation when the signal is already aborted', async () => {
    const caller = new AbortController();
    caller.abort(new Error('gone'));
    let started = false;
    await assert.rejects(
      withTimeout(async () => {
        started = true;
      }, 1000, { signal: caller.signal }),
      { message: 'gone' },
    );
    assert.equal(started, false);
    assert.equal(clock.countTimers(), 0);
  });

  it('rejects invalid deadlines with a RangeError', async () => {
    await assert.rejects(withTimeout(Promise.resolve(1), -1), RangeError);
    await assert.rejects(withTimeout(Promise.resolve(1), Number.NaN), RangeError);
    await assert.rejects(withTimeout(Promise.resolve(1), 2 ** 31), RangeError);
  });
});
