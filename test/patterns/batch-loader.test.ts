import assert from 'node:assert/strict';
import DataLoader from 'dataloader';
import {
  KeyNotFoundError,
  batchByKey,
  batchByKeyOrError,
  batchGroupsByKey,
  createLoaders,
} from '../../patterns/batch-loader';

interface User {
  id: number;
  name: string;
}

interface Post {
  id: number;
  authorId: number;
}

const users: User[] = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
  { id: 3, name: 'Edsger' },
];

const posts: Post[] = [
  { id: 10, authorId: 2 },
  { id: 11, authorId: 1 },
  { id: 12, authorId: 2 },
];

/** A fake table that answers in its own order, as databases do, and records each query. */
function table<Row>(rows: Row[], matches: (row: Row, keys: readonly number[]) => boolean) {
  const queries: Array<readonly number[]> = [];
  const fetchMany = async (keys: readonly number[]) => {
    queries.push([...keys]);
    return [...rows].reverse().filter((row) => matches(row, keys));
  };
  return { queries, fetchMany };
}

describe('patterns/batch-loader', () => {
  it('loads many keys in one query and answers in key order, null for missing keys', async () => {
    const { queries, fetchMany } = table(users, (user, keys) => keys.includes(user.id));
    const loader = new DataLoader(batchByKey(fetchMany, (user: User) => user.id));
    const result = await Promise.all([loader.load(3), loader.load(1), loader.load(99), loader.load(2)]);
    assert.deepEqual(result.map((user) => user?.name ?? null), ['Edsger', 'Ada', null, 'Grace']);
    assert.deepEqual(queries, [[3, 1, 99, 2]]);
  });

  it('keeps the first row when the source returns a key twice', async () => {
    const batch = batchByKey(async () => [{ id: 1, v: 'first' }, { id: 1, v: 'second' }], (row) => row.id);
    assert.deepEqual(await batch([1]), [{ id: 1, v: 'first' }]);
  });

  it('rejects the loads of missing keys with KeyNotFoundError when asked to', async () => {
    const { fetchMany } = table(users, (user, keys) => keys.includes(user.id));
    const loader = new DataLoader(batchByKeyOrError(fetchMany, (user: User) => user.id));
    const [found, missing] = await loader.loadMany([2, 42]);
    assert.deepEqual(found, users[1]);
    assert.ok(missing instanceof KeyNotFoundError);
    assert.equal(missing.key, 42);
    assert.equal(missing.name, 'KeyNotFoundError');
    await assert.rejects(loader.load(43), KeyNotFoundError);
  });

  it('groups many rows per key in key order, with [] for keys without rows', async () => {
    const { queries, fetchMany } = table(posts, (post, keys) => keys.includes(post.authorId));
    const loader = new DataLoader(batchGroupsByKey(fetchMany, (post: Post) => post.authorId));
    const [byAda, byGrace, byNobody] = await Promise.all([loader.load(1), loader.load(2), loader.load(3)]);
    assert.deepEqual(byAda?.map((post) => post.id), [11]);
    assert.deepEqual(byGrace?.map((post) => post.id), [12, 10]);
    assert.deepEqual(byNobody, []);
    assert.equal(queries.length, 1);
  });

  it('rejects every load of the batch when the query fails', async () => {
    const loader = new DataLoader(batchByKey(async (): Promise<User[]> => {
      throw new Error('db down');
    }, (user) => user.id));
    const results = await Promise.allSettled([loader.load(1), loader.load(2)]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  });

  it('creates fresh loaders per request, so caches are not shared across requests', async () => {
    const { queries, fetchMany } = table(users, (user, keys) => keys.includes(user.id));
    const loaderFactories = {
      userById: () => new DataLoader(batchByKey(fetchMany, (user: User) => user.id)),
      postsByAuthor: () => new DataLoader(batchGroupsByKey(async () => posts, (post: Post) => post.authorId)),
    };
    const firstRequest = { loaders: createLoaders(loaderFactories) };
    const secondRequest = { loaders: createLoaders(loaderFactories) };
    assert.notEqual(firstRequest.loaders.userById, secondRequest.loaders.userById);

    const ada: User | null = await firstRequest.loaders.userById.load(1);
    assert.equal(ada?.name, 'Ada');
    await firstRequest.loaders.userById.load(1);
    assert.equal(queries.length, 1, 'one request caches its own loads');
    await secondRequest.loaders.userById.load(1);
    assert.equal(queries.length, 2, 'another request does not see the first one\'s cache');
    const grace: Post[] = await secondRequest.loaders.postsByAuthor.load(2);
    assert.equal(grace.length, 2);
  });
});
