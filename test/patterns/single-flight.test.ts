import assert from 'node:assert/strict';
import { SingleFlight } from '../../patterns/single-flight';

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

describe('patterns/single-flight', () => {
  it('shares one in-flight call among concurrent callers of the same key', async () => {
    const flights = new SingleFlight<string, number>();
    const load = deferred<number>();
    let calls = 0;
    const op = () => {
      calls++;
      return load.promise;
    };
    const first = flights.run('user:1', op);
    const second = flights.run('user:1', op);
    assert.equal(first, second);
    assert.equal(calls, 1);
    assert.equal(flights.has('user:1'), true);
    load.resolve(7);
    assert.deepEqual(await Promise.all([first, second]), [7, 7]);
  });

  it('runs separate calls for different keys', async () => {
    const flights = new SingleFlight<number, number>();
    const calls: number[] = [];
    const results = await Promise.all([1, 2, 1].map((key) => flights.run(key, async () => {
      calls.push(key);
      return key * 10;
    })));
    assert.deepEqual(results, [10, 20, 10]);
    assert.deepEqual(calls, [1, 2]);
  });

  it('removes the entry once the call succeeds, so the next call runs again', async () => {
    const flights = new SingleFlight<string, string>();
    let calls = 0;
    const op = async () => `result ${++calls}`;
    assert.equal(await flights.run('k', op), 'result 1');
    assert.equal(flights.has('k'), false);
    assert.equal(flights.size, 0);
    assert.equal(await flights.run('k', op), 'result 2');
  });

  it('shares a failure with every waiter and removes the entry, so the next call retries', async () => {
    const flights = new SingleFlight<string, string>();
    const load = deferred<string>();
    const first = flights.run('k', () => load.promise);
    const second = flights.run('k', () => Promise.resolve('not called'));
    const failure = new Error('backend down');
    load.reject(failure);
    await assert.rejects(first, (error) => error === failure);
    await assert.rejects(second, (error) => error === failure);
    assert.equal(flights.has('k'), false);
    assert.equal(await flights.run('k', async () => 'recovered'), 'recovered');
  });

  it('turns a synchronous throw into a shared rejection and cleans up', async () => {
    const flights = new SingleFlight<string, string>();
    await assert.rejects(flights.run('k', () => {
      throw new Error('sync');
    }), { message: 'sync' });
    assert.equal(flights.size, 0);
  });

  it('forget() starts a fresh call, and the old call settling does not remove the new entry', async () => {
    const flights = new SingleFlight<string, string>();
    const old = deferred<string>();
    const fresh = deferred<string>();
    const stale = flights.run('k', () => old.promise);
    assert.equal(flights.forget('k'), true);
    const current = flights.run('k', () => fresh.promise);
    assert.notEqual(stale, current);
    old.resolve('old');
    assert.equal(await stale, 'old');
    assert.equal(flights.has('k'), true);
    assert.equal(flights.run('k', () => Promise.resolve('other')), current);
    fresh.resolve('new');
    assert.equal(await current, 'new');
    assert.equal(flights.has('k'), false);
  });
});
