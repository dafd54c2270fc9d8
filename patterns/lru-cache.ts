// resilint-pattern: lru-cache v1
// A bounded cache that evicts the least recently used entry, with an optional time to live.
//
// Use it wherever a plain Map serves as a cache: a Map only grows, so a long-running
// process slowly runs out of memory and serves stale data. LruCache has the same methods
// as Map (get, set, has, delete, clear, size, keys, values, entries, forEach, iteration),
// so `new Map()` can be replaced with `new LruCache({ maxEntries })` without touching
// the call sites. get() refreshes an entry's recency; set() also restarts its TTL.
// Expired entries are removed when they are next looked at and are never returned.
// Iteration runs from least to most recently used and does not change recency.

export type EvictionReason = 'capacity' | 'expired';

export interface LruCacheOptions<K, V> {
  /** The most entries the cache holds; setting one more evicts the least recently used. */
  maxEntries: number;
  /** Time to live of an entry after it was set, in milliseconds. Default: no expiry. */
  ttlMs?: number;
  /** Called for every entry dropped for capacity or age (not for delete() or clear()). */
  onEvict?: (key: K, value: V, reason: EvictionReason) => void;
  /** Clock in milliseconds, injectable for tests. Default Date.now. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class LruCache<K, V> {
  readonly [Symbol.toStringTag] = 'LruCache';
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly onEvict: ((key: K, value: V, reason: EvictionReason) => void) | undefined;
  private readonly now: () => number;
  /** Ordered from least to most recently used. */
  private readonly byRecency = new Map<K, Entry<V>>();
  /**
   * Ordered by when each entry was last set. Every entry gets the same TTL, so this is
   * also expiry order, and purging expired entries only ever looks at the front.
   */
  private readonly bySetTime = new Map<K, Entry<V>>();

  constructor(options: LruCacheOptions<K, V>) {
    if (!(Number.isInteger(options.maxEntries) && options.maxEntries >= 1)) {
      throw new RangeError(`LruCache: maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
    const ttlMs = options.ttlMs ?? Infinity;
    if (!(ttlMs > 0)) throw new RangeError(`LruCache: ttlMs must be > 0, got ${ttlMs}`);
    this.maxEntries = options.maxEntries;
    this.ttlMs = ttlMs;
    this.onEvict = options.onEvict;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    this.purgeExpired();
    return this.byRecency.size;
  }

  get(key: K): V | undefined {
    this.purgeExpired();
    const entry = this.byRecency.get(key);
    if (!entry) return undefined;
    this.byRecency.delete(key);
    this.byRecency.set(key, entry);
    return entry.value;
  }

  /** Like get(), without refreshing the entry's recency. */
  peek(key: K): V | undefined {
    this.purgeExpired();
    return this.byRecency.get(key)?.value;
  }

  set(key: K, value: V): this {
    this.purgeExpired();
    const entry: Entry<V> = { value, expiresAt: this.now() + this.ttlMs };
    this.byRecency.delete(key);
    this.byRecency.set(key, entry);
    this.bySetTime.delete(key);
    this.bySetTime.set(key, entry);
    for (const [oldestKey, oldest] of this.byRecency) {
      if (this.byRecency.size <= this.maxEntries) break;
      this.remove(oldestKey);
      this.onEvict?.(oldestKey, oldest.value, 'capacity');
    }
    return this;
  }

  has(key: K): boolean {
    this.purgeExpired();
    return this.byRecency.has(key);
  }

  delete(key: K): boolean {
    this.purgeExpired();
    return this.remove(key);
  }

  clear(): void {
    this.byRecency.clear();
    this.bySetTime.clear();
  }

  *entries(): IterableIterator<[K, V]> {
    this.purgeExpired();
    for (const [key, entry] of this.byRecency) {
      if (entry.expiresAt > this.now()) yield [key, entry.value];
    }
  }

  *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, cache: this) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  private remove(key: K): boolean {
    this.bySetTime.delete(key);
    return this.byRecency.delete(key);
  }

  private purgeExpired(): void {
    if (this.ttlMs === Infinity) return;
    const now = this.now();
    for (const [key, entry] of this.bySetTime) {
      if (entry.expiresAt > now) break;
      this.remove(key);
      this.onEvict?.(key, entry.value, 'expired');
    }
  }
}
