import assert from 'node:assert/strict';
import {
  CircuitBreaker,
  CircuitOpenError,
  type CircuitBreakerOptions,
  type CircuitStateChange,
} from '../../patterns/circuit-breaker';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const fail = async (): Promise<never> => {
  throw new Error('dependency down');
};
const succeed = async () => 'ok';

describe('patterns/circuit-breaker', () => {
  let time: number;
  let changes: CircuitStateChange[];

  function breaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
    const created = new CircuitBreaker({ now: () => time, ...options });
    created.onStateChange((change) => changes.push(change));
    return created;
  }

  async function failTimes(target: CircuitBreaker, count: number): Promise<void> {
    for (let i = 0; i < count; i++) await assert.rejects(target.execute(fail), { message: 'dependency down' });
  }

  beforeEach(() => {
    time = 1_000_000;
    changes = [];
  });

  it('passes calls through while closed and returns their results', async () => {
    const target = breaker();
    assert.equal(await target.execute(succeed), 'ok');
    assert.equal(target.state, 'closed');
  });

  it('opens when the failure count reaches the threshold and then fails fast', async () => {
    const target = breaker({ threshold: { failures: 3 }, openDurationMs: 5000 });
    await failTimes(target, 2);
    assert.equal(target.state, 'closed');
    await failTimes(target, 1);
    assert.equal(target.state, 'open');
    assert.deepEqual(changes, [{ from: 'closed', to: 'open', at: time }]);

    let called = false;
    time += 2000;
    await assert.rejects(
      target.execute(async () => {
        called = true;
      }),
      (error: unknown) => error instanceof CircuitOpenError && error.name === 'CircuitOpenError' && error.retryAfterMs === 3000,
    );
    assert.equal(called, false);
  });

  it('moves to half-open after the open duration and closes on a successful probe', async () => {
    const target = breaker({ threshold: { failures: 1 }, openDurationMs: 5000 });
    await failTimes(target, 1);
    time += 4999;
    assert.equal(target.state, 'open');
    time += 1;
    assert.equal(target.state, 'half-open');
    assert.equal(await target.execute(succeed), 'ok');
    assert.equal(target.state, 'closed');
    assert.deepEqual(changes.map(({ from, to }) => `${from}->${to}`), ['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('lets exactly one probe through while half-open and rejects concurrent calls until it settles', async () => {
    const target = breaker({ threshold: { failures: 1 }, openDurationMs: 1000 });
    await failTimes(target, 1);
    time += 1000;
    const probe = deferred<string>();
    let probeCalls = 0;
    const probeResult = target.execute(() => {
      probeCalls++;
      return probe.promise;
    });
    let othersCalled = 0;
    const others = Array.from({ length: 3 }, () =>
      target.execute(async () => {
        othersCalled++;
      }),
    );
    for (const other of others) {
      await assert.rejects(other, (error: unknown) => error instanceof CircuitOpenError && error.retryAfterMs === 0);
    }
    assert.equal(probeCalls, 1);
    assert.equal(othersCalled, 0);
    probe.resolve('recovered');
    assert.equal(await probeResult, 'recovered');
    assert.equal(target.state, 'closed');
    assert.equal(await target.execute(succeed), 'ok');
  });

  it('re-opens when the probe fails and waits a full open duration again', async () => {
    const target = breaker({ threshold: { failures: 1 }, openDurationMs: 1000 });
    await failTimes(target, 1);
    time += 1500;
    await failTimes(target, 1);
    assert.equal(target.state, 'open');
    assert.deepEqual(changes.map(({ to }) => to), ['open', 'half-open', 'open']);
    assert.equal(changes[2]?.at, time);
    time += 999;
    await assert.rejects(target.execute(succeed), CircuitOpenError);
    time += 1;
    assert.equal(await target.execute(succeed), 'ok');
  });

  it('forgets failures that have left the time window', async () => {
    const target = breaker({ threshold: { failures: 3 }, window: { durationMs: 10_000, buckets: 10 } });
    await failTimes(target, 2);
    time += 11_000;
    await failTimes(target, 2);
    assert.equal(target.state, 'closed');
    await failTimes(target, 1);
    assert.equal(target.state, 'open');
  });

  it('counts only the last N calls with a count window', async () => {
    const target = breaker({ threshold: { failures: 2 }, window: { calls: 3 } });
    await failTimes(target, 1);
    await target.execute(succeed);
    await target.execute(succeed);
    // The first failure has now been pushed out of the last three calls.
    await failTimes(target, 1);
    assert.equal(target.state, 'closed');
    await failTimes(target, 1);
    assert.equal(target.state, 'open');
  });

  it('trips on a failure rate only once enough calls were seen', async () => {
    const target = breaker({ threshold: { failureRate: 0.6, minimumCalls: 4 } });
    await failTimes(target, 3);
    assert.equal(target.state, 'closed', '3 of 3 failed, but 3 calls are below minimumCalls');
    await target.execute(succeed);
    await target.execute(succeed);
    await target.execute(succeed);
    await failTimes(target, 1);
    assert.equal(target.state, 'closed', '4 of 7 failed is under 0.6');
    await failTimes(target, 1);
    assert.equal(target.state, 'open', '5 of 8 failed is over 0.6');
  });

  it('does not count errors that isFailure excludes', async () => {
    const notFound = Object.assign(new Error('not found'), { status: 404 });
    const target = breaker({ threshold: { failures: 1 }, isFailure: (error) => error !== notFound });
    await assert.rejects(target.execute(async () => {
      throw notFound;
    }), (error) => error === notFound);
    assert.equal(target.state, 'closed');
  });

  it('ignores the outcome of a call that started before the circuit changed state', async () => {
    const target = breaker({ threshold: { failures: 1 }, openDurationMs: 1000 });
    const slow = deferred<string>();
    const slowCall = target.execute(() => slow.promise);
    await failTimes(target, 1);
    time += 1000;
    assert.equal(target.state, 'half-open');
    slow.reject(new Error('late failure'));
    await assert.rejects(slowCall, { message: 'late failure' });
    assert.equal(target.state, 'half-open');
    assert.equal(await target.execute(succeed), 'ok');
    assert.equal(target.state, 'closed');
  });

  it('stops notifying a listener after it unsubscribes', async () => {
    const target = new CircuitBreaker({ threshold: { failures: 1 }, now: () => time });
    const seen: string[] = [];
    const unsubscribe = target.onStateChange(({ to }) => seen.push(to));
    await failTimes(target, 1);
    unsubscribe();
    time += 60_000;
    assert.equal(target.state, 'half-open');
    assert.deepEqual(seen, ['open']);
  });

  it('rejects invalid thresholds and windows', () => {
    assert.throws(() => new CircuitBreaker({ threshold: { failures: 0 } }), RangeError);
    assert.throws(() => new CircuitBreaker({ threshold: { failureRate: 1.5 } }), RangeError);
    assert.throws(() => new CircuitBreaker({ window: { calls: 0 } }), RangeError);
    assert.throws(() => new CircuitBreaker({ window: { durationMs: 0 } }), RangeError);
  });
});
