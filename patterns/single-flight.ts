// resilint-pattern: single-flight v1
// Coalesce concurrent requests for the same key into one call whose result they all share.
//
// Use it in front of an expensive or rate-limited load (a cache miss, a token refresh,
// a config fetch): when a hundred requests miss the same cache key at once, one load
// runs and the other ninety-nine wait for its result instead of stampeding the
// backend. The entry is removed as soon as the call settles, success or failure, so
// the next call after a failure tries again and nothing is cached here: put a cache
// (e.g. LruCache) in front if results may be reused. Every caller receives the same
// promise, so callers must not mutate a shared result.

export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  /** Calls `operation` unless a call for `key` is already in flight, and shares its outcome. */
  run(key: K, operation: () => Promise<V>): Promise<V> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    let started: Promise<V>;
    try {
      started = Promise.resolve(operation());
    } catch (error) {
      started = Promise.reject(error);
    }
    const shared = started.finally(() => {
      // A forget() followed by a new call may have replaced the entry; leave that one alone.
      if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
    });
    this.inFlight.set(key, shared);
    return shared;
  }

  /** Whether a call for `key` is in flight. */
  has(key: K): boolean {
    return this.inFlight.has(key);
  }

  /** Calls in flight. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Lets the next run() for `key` start a new call; callers already waiting keep the old one. */
  forget(key: K): boolean {
    return this.inFlight.delete(key);
  }
}
