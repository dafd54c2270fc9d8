import assert from 'node:assert/strict';
import FakeTimers from '@sinonjs/fake-timers';
import { Bulkhead, BulkheadFullError, BulkheadTimeoutError } from '../../patterns/bulkhead';

interface Gate {
  promise: Promise<void>;
  open: () => void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('patterns/bulkhead', () => {
  let clock: FakeTimers.Clock;
  beforeEach(() => {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.uninstall());

  it('runs at most maxConcurrent operations and queues the rest in FIFO order', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 2, maxQueue: 5 });
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      bulkhead.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await clock.tickAsync(0);
    assert.deepEqual(started, [0, 1]);
    assert.equal(bulkhead.active, 2);
    assert.equal(bulkhead.queued, 2);
    gates[1]?.open();
    await clock.tickAsync(0);
    assert.deepEqual(started, [0, 1, 2]);
    gates[0]?.open();
    await clock.tickAsync(0);
    assert.deepEqual(started, [0, 1, 2, 3]);
    gates[2]?.open();
    gates[3]?.open();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
    assert.equal(bulkhead.active, 0);
    assert.equal(bulkhead.queued, 0);
  });

  it('rejects with BulkheadFullError when the queue is full, without running the operation', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const g = gate();
    const running = bulkhead.run(() => g.promise);
    const waiting = bulkhead.run(async () => 'queued');
    let ran = false;
    await assert.rejects(
      bulkhead.run(async () => {
        ran = true;
      }),
      (error: unknown) => error instanceof BulkheadFullError && error.name === 'BulkheadFullError',
    );
    assert.equal(ran, false);
    g.open();
    await running;
    assert.equal(await waiting, 'queued');
  });

  it('rejects immediately when every slot is busy and maxQueue is 0', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 0 });
    const g = gate();
    const running = bulkhead.run(() => g.promise);
    await assert.rejects(bulkhead.acquire(), BulkheadFullError);
    g.open();
    await running;
  });

  it('rejects a waiter with BulkheadTimeoutError after queueTimeoutMs and frees its queue place', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 500 });
    const g = gate();
    const running = bulkhead.run(() => g.promise);
    const waiting = bulkhead.acquire();
    const outcome = assert.rejects(waiting, (error: unknown) => error instanceof BulkheadTimeoutError && error.timeoutMs === 500);
    await clock.tickAsync(500);
    await outcome;
    assert.equal(bulkhead.queued, 0);
    assert.equal(clock.countTimers(), 0);
    g.open();
    await running;
    assert.equal(bulkhead.active, 0);
  });

  it('clears the queue timer when a waiter gets its slot', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 500 });
    const release = await bulkhead.acquire();
    const waiting = bulkhead.acquire();
    assert.equal(clock.countTimers(), 1);
    release();
    const releaseSecond = await waiting;
    assert.equal(clock.countTimers(), 0);
    releaseSecond();
    assert.equal(bulkhead.active, 0);
  });

  it('waits without a timer when queueTimeoutMs is Infinity', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: Infinity });
    const release = await bulkhead.acquire();
    const waiting = bulkhead.acquire();
    assert.equal(clock.countTimers(), 0);
    release();
    (await waiting)();
  });

  it('lets a waiter abort, leaving the queue and clearing its timer', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 2 });
    const release = await bulkhead.acquire();
    const controller = new AbortController();
    const aborted = bulkhead.acquire({ signal: controller.signal });
    const next = bulkhead.acquire();
    const reason = new Error('request cancelled');
    controller.abort(reason);
    await assert.rejects(aborted, (error) => error === reason);
    assert.equal(bulkhead.queued, 1);
    release();
    (await next)();
    assert.equal(bulkhead.active, 0);
    assert.equal(clock.countTimers(), 0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const controller = new AbortController();
    controller.abort(new Error('no'));
    await assert.rejects(bulkhead.run(async () => 1, { signal: controller.signal }), { message: 'no' });
    assert.equal(bulkhead.active, 0);
  });

  it('frees the slot when the operation fails', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 0 });
    await assert.rejects(bulkhead.run(async () => {
      throw new Error('boom');
    }), { message: 'boom' });
    assert.equal(bulkhead.active, 0);
    assert.equal(await bulkhead.run(async () => 'next'), 'next');
  });

  it('ignores a second call of the same release function', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 2, maxQueue: 0 });
    const releaseA = await bulkhead.acquire();
    await bulkhead.acquire();
    releaseA();
    releaseA();
    assert.equal(bulkhead.active, 1);
  });

  it('hands a freed slot to the queue before a newcomer', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const release = await bulkhead.acquire();
    const order: string[] = [];
    const waiter = bulkhead.acquire().then((r) => {
      order.push('waiter');
      return r;
    });
    release();
    const newcomer = bulkhead.acquire().then((r) => {
      order.push('newcomer');
      return r;
    });
    assert.equal(bulkhead.active, 1);
    assert.equal(bulkhead.queued, 1, 'the newcomer waits: the slot already belongs to the waiter');
    (await waiter)();
    (await newcomer)();
    assert.deepEqual(order, ['waiter', 'newcomer']);
    assert.equal(bulkhead.active, 0);
  });

  it('rejects invalid limits', () => {
    assert.throws(() => new Bulkhead({ maxConcurrent: 0, maxQueue: 0 }), RangeError);
    assert.throws(() => new Bulkhead({ maxConcurrent: 1, maxQueue: -1 }), RangeError);
    assert.throws(() => new Bulkhead({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: -5 }), RangeError);
  });
});
