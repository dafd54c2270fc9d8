import assert from 'node:assert/strict';
import { LruCache, type EvictionReason } from '../../patterns/lru-cache';

describe('patterns/lru-cache', () => {
  let time: number;
  const now = () => time;
  beforeEach(() => {
    time = 0;
  });

  it('offers the Map methods a cache call site uses', () => {
    const cache = new LruCache<string, number>({ maxEntries: 10 });
    // Typed as the Map surface: replacing `new Map()` keeps these call sites compiling.
    const mapLike: Pick<Map<string, number>, 'get' | 'has' | 'delete' | 'clear' | 'size'> = cache;
    assert.equal(cache.set('a', 1).set('b', 2), cache);
    assert.equal(mapLike.get('a'), 1);
    assert.equal(mapLike.get('missing'), undefined);
    assert.equal(mapLike.has('b'), true);
    assert.equal(mapLike.size, 2);
    assert.equal(mapLike.delete('a'), true);
    assert.equal(mapLike.delete('a'), false);
    assert.equal(mapLike.size, 1);
    mapLike.clear();
    assert.equal(mapLike.size, 0);
    assert.equal(cache.has('b'), false);
    assert.equal(Object.prototype.toString.call(cache), '[object LruCache]');
  });

  it('iterates from least to most recently used like a Map', () => {
    const cache = new LruCache<string, number>({ maxEntries: 10 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.get('a');
    assert.deepEqual([...cache], [['b', 2], ['c', 3], ['a', 1]]);
    assert.deepEqual([...cache.entries()], [['b', 2], ['c', 3], ['a', 1]]);
    assert.deepEqual([...cache.keys()], ['b', 'c', 'a']);
    assert.deepEqual([...cache.values()], [2, 3, 1]);
    assert.deepEqual(new Map(cache), new Map([['b', 2], ['c', 3], ['a', 1]]));
    const seen: Array<[string, number, unknown, unknown]> = [];
    const context = { name: 'ctx' };
    cache.forEach(function (this: unknown, value, key, owner) {
      seen.push([key, value, owner, this]);
    }, context);
    assert.deepEqual(seen, [['b', 2, cache, context], ['c', 3, cache, context], ['a', 1, cache, context]]);
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const evicted: Array<[string, number, EvictionReason]> = [];
    const cache = new LruCache<string, number>({ maxEntries: 2, onEvict: (key, value, reason) => evicted.push([key, value, reason]) });
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    assert.equal(cache.has('b'), false);
    assert.deepEqual([...cache.keys()], ['a', 'c']);
    assert.deepEqual(evicted, [['b', 2, 'capacity']]);
    assert.equal(cache.size, 2);
  });

  it('does not refresh recency on peek, has or iteration', () => {
    const cache = new LruCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1).set('b', 2);
    assert.equal(cache.peek('a'), 1);
    assert.equal(cache.has('a'), true);
    [...cache];
    cache.set('c', 3);
    assert.deepEqual([...cache.keys()], ['b', 'c']);
  });

  it('refreshes recency when an existing key is set, without evicting anything', () => {
    const evicted: string[] = [];
    const cache = new LruCache<string, number>({ maxEntries: 2, onEvict: (key) => evicted.push(key) });
    cache.set('a', 1).set('b', 2).set('a', 10);
    assert.deepEqual(evicted, []);
    cache.set('c', 3);
    assert.deepEqual([...cache], [['a', 10], ['c', 3]]);
    assert.deepEqual(evicted, ['b']);
  });

  it('never returns an expired entry and deletes it on read', () => {
    const evicted: Array<[string, EvictionReason]> = [];
    const cache = new LruCache<string, number>({ maxEntries: 10, ttlMs: 1000, now, onEvict: (key, _v, reason) => evicted.push([key, reason]) });
    cache.set('a', 1);
    time = 999;
    assert.equal(cache.get('a'), 1);
    time = 1000;
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.has('a'), false);
    assert.equal(cache.size, 0);
    assert.deepEqual(evicted, [['a', 'expired']]);
  });

  it('restarts the TTL on set but not on get', () => {
    const cache = new LruCache<string, number>({ maxEntries: 10, ttlMs: 1000, now });
    cache.set('a', 1).set('b', 2);
    time = 600;
    cache.set('a', 11);
    cache.get('b');
    time = 1200;
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 11);
    time = 1600;
    assert.equal(cache.get('a'), undefined);
  });

  it('leaves expired entries out of size, iteration and forEach', () => {
    const cache = new LruCache<string, number>({ maxEntries: 10, ttlMs: 100, now });
    cache.set('old', 1);
    time = 50;
    cache.set('new', 2);
    time = 120;
    assert.equal(cache.size, 1);
    assert.deepEqual([...cache], [['new', 2]]);
    const keys: string[] = [];
    cache.forEach((_value, key) => keys.push(key));
    assert.deepEqual(keys, ['new']);
  });

  it('does not report explicit deletes or clear as evictions', () => {
    const evicted: string[] = [];
    const cache = new LruCache<string, number>({ maxEntries: 3, ttlMs: 100, now, onEvict: (key) => evicted.push(key) });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.delete('a');
    cache.clear();
    time = 500;
    assert.equal(cache.size, 0);
    assert.deepEqual(evicted, []);
  });

  it('stays bounded under many distinct keys', () => {
    const cache = new LruCache<number, number>({ maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) cache.set(i, i);
    assert.equal(cache.size, 100);
    assert.deepEqual([...cache.keys()].slice(0, 2), [9900, 9901]);
  });

  it('rejects invalid bounds', () => {
    assert.throws(() => new LruCache({ maxEntries: 0 }), RangeError);
    assert.throws(() => new LruCache({ maxEntries: 1.5 }), RangeError);
    assert.throws(() => new LruCache({ maxEntries: 1, ttlMs: 0 }), RangeError);
  });
});
