// resilint-pattern: batch-loader v1
// Per-request DataLoaders that turn one query per parent (N+1) into one query per batch.
//
// Use it in GraphQL field resolvers (and any code that loads related rows in a loop):
// every `loader.load(id)` issued in the same tick is collected into one call of the
// batch function. DataLoader requires the batch function to return exactly one result
// per key, in key order; the helpers below index the rows by key in a Map (a `find`
// inside `map` would be O(n²)) and answer null, an Error, or an empty list for keys
// without rows. Create the loaders per request (in the GraphQL context): a loader
// caches what it loaded, and a process-wide one would serve stale data and leak it
// across users.

// dataloader's typings say `export = DataLoader`, whose import form depends on the
// project's module and interop settings; a type-only named import compiles under all.
import type { BatchLoadFn } from 'dataloader';

/** Fetches the rows for many keys in one round trip, in any order, omitting missing ones. */
export type FetchMany<K, Row> = (keys: readonly K[]) => Promise<Iterable<Row>>;

/** Rejection reason for a key that has no row, from batchByKeyOrError. */
export class KeyNotFoundError<K> extends Error {
  override readonly name = 'KeyNotFoundError';
  readonly key: K;

  constructor(key: K) {
    super(`No row found for key ${String(key)}`);
    this.key = key;
  }
}

/** One row per key (e.g. user by id); keys without a row load as null. */
export function batchByKey<K, Row>(
  fetchMany: FetchMany<K, Row>,
  keyOf: (row: Row) => K,
): BatchLoadFn<K, Row | null> {
  return async (keys) => {
    const rows = indexFirstRowByKey(await fetchMany(keys), keyOf);
    return keys.map((key) => rows.get(key) ?? null);
  };
}

/** One row per key; a key without a row rejects its load() with KeyNotFoundError. */
export function batchByKeyOrError<K, Row>(
  fetchMany: FetchMany<K, Row>,
  keyOf: (row: Row) => K,
): BatchLoadFn<K, Row> {
  return async (keys) => {
    const rows = indexFirstRowByKey(await fetchMany(keys), keyOf);
    return keys.map((key) => rows.get(key) ?? new KeyNotFoundError(key));
  };
}

/** Many rows per key (e.g. posts by author id); keys without rows load as []. */
export function batchGroupsByKey<K, Row>(
  fetchMany: FetchMany<K, Row>,
  keyOf: (row: Row) => K,
): BatchLoadFn<K, Row[]> {
  return async (keys) => {
    const groups = new Map<K, Row[]>();
    for (const row of await fetchMany(keys)) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  };
}

/** What createLoaders needs of a loader: every DataLoader<K, V> is one. */
interface Loader {
  load(key: never): Promise<unknown>;
}

/**
 * Builds a fresh set of loaders from factories; call it once per request, e.g.
 * `context: () => ({ loaders: createLoaders(loaderFactories) })`.
 */
export function createLoaders<Factories extends Record<string, () => Loader>>(
  factories: Factories,
): { [Name in keyof Factories]: ReturnType<Factories[Name]> } {
  const loaders: Record<string, unknown> = {};
  for (const [name, factory] of Object.entries(factories)) loaders[name] = factory();
  return loaders as { [Name in keyof Factories]: ReturnType<Factories[Name]> };
}

/** Rows are matched to keys with Map lookups, so keys must be comparable with ===. */
function indexFirstRowByKey<K, Row>(rows: Iterable<Row>, keyOf: (row: Row) => K): Map<K, Row> {
  const index = new Map<K, Row>();
  for (const row of rows) {
    const key = keyOf(row);
    // The first row wins, so a duplicated row cannot replace the one already chosen.
    if (!index.has(key)) index.set(key, row);
  }
  return index;
}
