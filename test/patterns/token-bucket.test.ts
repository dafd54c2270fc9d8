import assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { TokenBucket } from '../../patterns/token-bucket';

describe('patterns/token-bucket', () => {
  let clock: FakeTimers.Clock;
  beforeEach(() => {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.uninstall());

  function settled(promise: Promise<unknown>): () => boolean {
    let done = false;
    promise.then(() => (done = true), () => (done = true));
    return () => done;
  }

  it('starts full and allows a burst up to capacity', () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1 });
    assert.equal(bucket.tryRemove(), true);
    assert.equal(bucket.tryRemove(2), true);
    assert.equal(bucket.tryRemove(), false);
  });

  it('honours initialTokens and never fills beyond capacity', () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 10, initialTokens: 1 });
    assert.equal(bucket.available, 1);
    clock.tick(60_000);
    assert.equal(bucket.available, 5);
  });

  it('keeps fractional tokens across refills', () => {
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 2.5, initialTokens: 0 });
    clock.tick(700);
    // 1.75 tokens: one is spent, and the 0.75 left over must not be rounded away.
    assert.equal(bucket.tryRemove(), true);
    assert.ok(Math.abs(bucket.available - 0.75) < 1e-9);
    clock.tick(100);
    assert.equal(bucket.tryRemove(), true);
  });

  it('accumulates many small refills into whole tokens', () => {
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 1, initialTokens: 0 });
    for (let i = 0; i < 10; i++) {
      clock.tick(100);
      assert.equal(bucket.tryRemove(), i === 9, `after ${(i + 1) * 100} ms`);
    }
  });

  it('take() waits exactly until enough tokens have refilled', async () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 2.5, initialTokens: 0 });
    const done = settled(bucket.take());
    await clock.tickAsync(399);
    assert.equal(done(), false);
    await clock.tickAsync(1);
    assert.equal(done(), true);
    assert.ok(bucket.available < 1e-9);
    assert.equal(clock.countTimers(), 0);
  });

  it('serves waiters in FIFO order and lets nobody jump the queue', async () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1, initialTokens: 0 });
    const order: string[] = [];
    const big = bucket.take(3).then(() => order.push('big'));
    const small = bucket.take(1).then(() => order.push('small'));
    await clock.tickAsync(1000);
    assert.equal(bucket.tryRemove(), false, 'a token is available but the queue goes first');
    await clock.tickAsync(2000);
    await big;
    assert.deepEqual(order, ['big']);
    await clock.tickAsync(1000);
    await small;
    assert.deepEqual(order, ['big', 'small']);
  });

  it('take() rejects with the abort reason, removes no tokens and serves the next waiter', async () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1, initialTokens: 0 });
    const controller = new AbortController();
    const aborted = bucket.take(3, { signal: controller.signal });
    const next = settled(bucket.take(1));
    await clock.tickAsync(1500);
    const reason = new Error('client went away');
    controller.abort(reason);
    await assert.rejects(aborted, (error) => error === reason);
    await clock.tickAsync(0);
    assert.equal(next(), true, 'the 1.5 tokens that accrued now go to the next waiter');
    assert.ok(Math.abs(bucket.available - 0.5) < 1e-9);
    assert.equal(clock.countTimers(), 0);
  });

  it('take() rejects at once when the signal is already aborted', async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 });
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await assert.rejects(bucket.take(1, { signal: controller.signal }), { message: 'cancelled' });
    assert.equal(bucket.available, 1);
  });

  it('does not add tokens when the clock steps backwards', () => {
    let time = 10_000;
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 1, initialTokens: 0, now: () => time });
    time = 5_000;
    assert.equal(bucket.available, 0);
    time = 6_000;
    assert.equal(bucket.available, 1);
  });

  it('rejects requests that could never be served', async () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 });
    assert.throws(() => bucket.tryRemove(3), RangeError);
    assert.throws(() => bucket.tryRemove(0), RangeError);
    await assert.rejects(bucket.take(3), RangeError);
    assert.throws(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 }), RangeError);
  });
});
