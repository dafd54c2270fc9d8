import rule from '../../server/src/rules/n-plus-one-query';
import { runRuleTests } from '../ruleTester';

/** One insert per name: the loop tests and seed scripts run on purpose. */
const SEED_USERS = `import { Pool } from 'pg';
const pool = new Pool();
export async function seed(names: string[]) {
  for (const name of names) await pool.query('INSERT INTO users(name) VALUES ($1)', [name]);
}
`;

// Stand-ins for ORM packages that are not installed: tsconfig `paths` maps the package
// name to a project file, so import tracing and the type checker both see it.
const PRISMA = {
  'src/stubs/prisma.ts': `
export interface Customer { id: string; name: string }
export interface Comment { id: string; postId: string; body: string }
interface CustomerDelegate {
  findFirst(args: { where: { id?: string } }): Promise<Customer | null>;
  findUnique(args: { where: { id: string } }): Promise<Customer | null>;
  findMany(args: { where: { id?: string | { in: string[] } } }): Promise<Customer[]>;
  update(args: { where: { id: string }; data: Partial<Customer> }): Promise<Customer>;
}
interface CommentDelegate {
  findMany(args: { where: { postId?: string | { in: string[] } } }): Promise<Comment[]>;
}
export declare class PrismaClient {
  customer: CustomerDelegate;
  comment: CommentDelegate;
}
`,
};
const TYPEORM = {
  'src/stubs/typeorm.ts': `
export type FindOptionsWhere<T> = { [K in keyof T]?: T[K] | FindOperator<T[K]> };
export declare class FindOperator<T> { private value: T }
export declare function In<T>(values: readonly T[]): FindOperator<T>;
export declare class Repository<T> {
  findOneBy(where: FindOptionsWhere<T>): Promise<T | null>;
  findBy(where: FindOptionsWhere<T>): Promise<T[]>;
  find(options?: { where?: FindOptionsWhere<T> }): Promise<T[]>;
  save(entity: T): Promise<T>;
}
export declare function getMetadataArgsStorage(): { filterColumns(target: Function): { propertyName: string }[] };
`,
};
/** BullMQ's queue and flow producer, as far as the bulk fix asks: `add`'s parameter names, `addBulk`, options that repeat. */
const BULLMQ = {
  'src/stubs/bullmq.ts': `
export interface JobsOptions { attempts?: number; delay?: number; repeat?: { every: number } }
export type BulkJobOptions = Omit<JobsOptions, 'repeat'>;
export declare class Job<D = any> { id?: string; data: D }
export declare class Queue<D = any, N extends string = string> {
  constructor(name: string);
  add(name: N, data: D, opts?: JobsOptions): Promise<Job<D>>;
  addBulk(jobs: { name: N; data: D; opts?: BulkJobOptions }[]): Promise<Job<D>[]>;
}
export interface FlowJob { name: string; queueName: string; data?: unknown }
export declare class FlowProducer {
  add(flow: FlowJob, opts?: { queuesOptions?: object }): Promise<{ job: Job }>;
  addBulk(flows: FlowJob[]): Promise<{ job: Job }[]>;
}
`,
};
const paths = (map: Record<string, string>) => ({ baseUrl: '.', paths: Object.fromEntries(Object.entries(map).map(([k, v]) => [k, [v]])) });
const prismaProject = { files: PRISMA, compilerOptions: paths({ '@prisma/client': 'src/stubs/prisma.ts' }) };
const bullmqProject = { files: BULLMQ, compilerOptions: paths({ bullmq: 'src/stubs/bullmq.ts' }) };
const typeormProject = { files: TYPEORM, compilerOptions: paths({ typeorm: 'src/stubs/typeorm.ts' }) };

// A database client typed by the project's own declarations, not imported from a client package.
const DECLARED_DB = {
  'src/db.ts': `
export interface User { id: string; name: string }
interface UserDelegate {
  findFirst(args: { where: { id?: string } }): Promise<User | null>;
  findMany(args: { where: { id?: string | { in: string[] } } }): Promise<User[]>;
}
export interface Database { user: UserDelegate }
export declare const store: Database;
`,
};

const INVENTORY_CLIENT = `
export interface StockLevel { sku: string; available: number }
export async function getStock(sku: string): Promise<StockLevel> {
  const res = await fetch(\`https://inventory.example/stock/\${encodeURIComponent(sku)}\`);
  return (await res.json()) as StockLevel;
}
export function formatSku(sku: string): string {
  return sku.trim().toUpperCase();
}
`;

// A presenter that queries only for some options (outline's presenters, vendure's
// getEntityOrThrow): what its callers pass decides whether a loop over it makes N queries.
const PRESENTERS = `import { Pool } from 'pg';
const pool = new Pool();
export interface Doc { id: string; teamId: string; body: string }
export async function present(doc: Doc, options: { withAuthor?: boolean; includeBody?: boolean } = {}) {
  const author = options.withAuthor ? await pool.query('SELECT * FROM users WHERE id = $1', [doc.id]) : undefined;
  return { id: doc.id, body: options.includeBody === false ? undefined : await render(doc, options.withAuthor ? { teamId: doc.teamId } : undefined), author };
}
async function render(doc: Doc, signing?: { teamId: string }) {
  if (signing?.teamId) await pool.query('SELECT * FROM attachments WHERE team = $1', [signing.teamId]);
  return doc.body;
}
export async function internalId(externalId: string, known: Record<string, string>, teamId?: string) {
  if (!teamId) return known[externalId];
  const found = await pool.query('SELECT id FROM documents WHERE external_id = $1', [externalId]);
  return found.rows[0]?.id as string;
}
export async function summary(doc: Doc, { eager = false }: { eager?: boolean } = {}) {
  return eager && (await pool.query('SELECT count(*) FROM comments WHERE doc = $1', [doc.id]));
}
export async function audited(doc: Doc, options: { withAuthor?: boolean } = {}) {
  options = { withAuthor: true, ...options };
  return options.withAuthor ? pool.query('SELECT * FROM users WHERE id = $1', [doc.id]) : undefined;
}
export async function logged(doc: Doc, options: { withAuthor?: boolean } = {}) {
  const author = options.withAuthor ? await pool.query('SELECT * FROM users WHERE id = $1', [doc.id]) : undefined;
  await fetch('https://audit.example/views', { method: 'POST', body: doc.id, signal: AbortSignal.timeout(2000) });
  return author;
}
`;

const ACTIVE_RECORDS = {
  'src/models.ts': `import { Model } from 'sequelize';
export class Integration extends Model {
  declare name: string;
}
`,
  'src/entities.ts': `import { BaseEntity } from 'typeorm';
export class Account extends BaseEntity {
  name!: string;
}
`,
};

runRuleTests(rule, {
  valid: [
    {
      name: 'array methods of a loaded list of records, an element of a list of no records, and a member a project interface declares as data, whichever base comes first, are no queries',
      files: ACTIVE_RECORDS,
      code: `import type { Document } from 'mongoose';
import { Integration } from './models';
interface Line { sku: string }
interface Order { lines: Line[] }
interface OrderDocument extends Order, Document {}
interface OrderRecord extends Document, Order {}
export async function pick(ids: string[], order: OrderDocument, items: { save(): void }[], records: OrderRecord[]) {
  const integrations = await Integration.findAll();
  for (const id of ids) integrations.find((integration) => integration.name === id);
  for (const item of items) item.save();
  for (const record of records) record.lines.find((line) => line.sku === 'x');
  return ids.map((id) => order.lines.find((line) => line.sku === id));
}`,
    },
    {
      name: 'a Knex builder in a branch of a statement or of a builder\'s argument is a fragment, never run',
      code: `import knex from 'knex';
const db = knex({ client: 'pg' });
export function build(columns: { id: string; sql?: string }[], ready: boolean) {
  const qb = db('t');
  for (const c of columns) {
    ready && qb.select(c.id);
    qb.select(c.sql ? db.raw(c.sql) : c.id);
  }
  return qb;
}`,
    },
    {
      name: 'a group of records is a list, not a record, and what lodash regroups from data stays data',
      files: ACTIVE_RECORDS,
      code: `import { groupBy, keyBy } from 'lodash';
import { Integration } from './models';
export async function names(ids: string[], rows: { save(): void }[]) {
  const integrations = await Integration.findAll();
  const groups = groupBy(integrations, 'name');
  for (const id of ids) groups[id].reverse();
  for (const id of ids) keyBy(rows, 'id')[id].save();
  for (const group of Object.values(groups)) await group.save();
  return Object.values(groups).map((group) => group.find((i) => i.name === 'x'));
}`,
    },
    {
      name: 'a TypeORM entity a repository loaded is a plain class (its own remove() is no query), and what one Mongoose document holds is no document',
      code: `import { DataSource, Entity, PrimaryGeneratedColumn, Column } from 'typeorm';
import { Schema, model } from 'mongoose';
declare const dataSource: DataSource;
@Entity()
export class Playlist {
  @PrimaryGeneratedColumn() id!: number;
  @Column('simple-array') tracks!: string[];
  remove(track: string) { this.tracks = this.tracks.filter((t) => t !== track); }
}
export async function purge(track: string) {
  const playlists = await dataSource.getRepository(Playlist).find();
  for (const playlist of playlists) playlist.remove(track);
  await dataSource.getRepository(Playlist).save(playlists);
}
const User = model('User', new Schema({ followers: [String], following: [String] }));
export async function unlink(id: string, other: string, fields: Array<'followers' | 'following'>) {
  const user = await User.findById(id);
  if (!user) return;
  for (const field of fields) user[field].remove(other);
  await user.save();
}`,
    },
    {
      name: 'a helper that queries only for an option its callers leave out or turn off, through two calls',
      files: { 'src/presenters.ts': PRESENTERS },
      code: `import { present, type Doc } from './presenters';
export async function list(docs: Doc[]) {
  const out = [];
  for (const doc of docs) out.push(await present(doc));
  return Promise.all(docs.map((doc) => present(doc, { withAuthor: false }))).then(() => out);
}`,
    },
    {
      name: 'a helper that returns early without the argument its callers leave out, or queries only for a destructured option they turn off',
      files: { 'src/presenters.ts': PRESENTERS },
      code: `import { internalId, summary, type Doc } from './presenters';
export async function map(docs: Doc[], known: Record<string, string>) {
  for (const doc of docs) {
    await internalId(doc.id, known);
    await summary(doc, { eager: false });
  }
}`,
    },
    {
      name: 'in-memory work per element is not I/O',
      code: `export function totals(lines: { sku: string; qty: number }[], prices: Map<string, number>) {
  let total = 0;
  for (const line of lines) total += (prices.get(line.sku) ?? 0) * line.qty;
  return total;
}`,
    },
    {
      name: 'a project function that only computes, in another file, is not I/O',
      files: { 'src/clients/inventory.ts': INVENTORY_CLIENT },
      code: `import { formatSku } from './clients/inventory';
export async function normalise(skus: string[]) {
  const out: string[] = [];
  for (const sku of skus) out.push(await Promise.resolve(formatSku(sku)));
  return out;
}`,
    },
    {
      name: 'loads through a DataLoader are batched',
      code: `import DataLoader from 'dataloader';
const users = new DataLoader(async (ids: readonly string[]) => ids.map((id) => ({ id })));
export async function owners(posts: { ownerId: string }[]) {
  const result = [];
  for (const post of posts) result.push(await users.load(post.ownerId));
  return result;
}`,
    },
    {
      name: 'a loop over chunks of ids that queries each chunk with IN is batching',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function load(idChunks: string[][]) {
  for (const chunk of idChunks) await prisma.customer.findMany({ where: { id: { in: chunk } } });
}`,
    },
    {
      name: 'an index loop stepping by a chunk size sends one batch per pass',
      code: `declare function deleteObjects(keys: string[]): Promise<void>;
export async function deleteAll(keys: string[]) {
  const CHUNK = 1000;
  for (let i = 0; i < keys.length; i += CHUNK) await deleteObjects(keys.slice(i, i + CHUNK));
  let j = 0;
  while (j < keys.length) {
    await deleteObjects(keys.slice(j, j + 500));
    j = j + 500;
  }
}`,
    },
    {
      name: 'one request per group that carries the group\'s ids (where id in ids), also through a local',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function loadGroups(grouped: Record<string, string[]>) {
  await Promise.all(Object.entries(grouped).map(async ([collection, ids]) => {
    const query = { where: { id: { in: ids } } };
    const res = await fetch(\`https://api.example.com/\${collection}\`, { method: 'POST', body: JSON.stringify(query), signal: AbortSignal.timeout(5000) });
    return res.json();
  }));
  for (const ids of Object.values(grouped)) {
    const where = { id: { in: ids } };
    await prisma.customer.findMany({ where });
  }
}`,
    },
    {
      name: 'making a handler per element is not running it: factories, hooks pushed to a list',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
function makeHook(slug: string) {
  return async (id: string) => {
    await prisma.customer.findFirst({ where: { id } });
    return slug;
  };
}
const makeHandler = (slug: string) => async (id: string) => (await prisma.customer.findFirst({ where: { id } }))?.name ?? slug;
export function configure(slugs: string[]) {
  const hooks: ((id: string) => Promise<unknown>)[] = [];
  for (const slug of slugs) {
    hooks.push(makeHook(slug), makeHandler(slug));
    hooks.push(async (id) => prisma.customer.findFirst({ where: { id } }));
  }
  return hooks;
}`,
    },
    {
      name: 'findUnique issued concurrently is batched by Prisma within the tick',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const load = (ids: string[]) => Promise.all(ids.map((id) => prisma.customer.findUnique({ where: { id } })));`,
    },
    {
      name: 'a retry loop repeats one request: not per element',
      code: `export async function get(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    if (res.ok) return res;
  }
  throw new Error('unavailable');
}`,
    },
    {
      name: 'a request followed by a return, a throw or a break of the loop runs at most once per loop',
      code: `declare function runAction(action: string): Promise<{ reply?: string; fatal?: boolean }>;
const send = (reply: string) => fetch('https://example.com/replies', { method: 'POST', body: reply, signal: AbortSignal.timeout(1000) });
export async function drain(actions: string[]) {
  for (const action of actions) {
    const result = await runAction(action);
    if (result.reply) {
      send(result.reply);
      return;
    }
    if (result.fatal) {
      await send('fatal');
      throw new Error(action);
    }
  }
}
export async function firstReply(actions: string[]) {
  outer: for (const action of actions) {
    switch (action) {
      case 'reply':
        await send(action);
        break outer;
    }
  }
}`,
    },
    {
      name: 'node-redis and Upstash pipeline the commands issued in one tick: Promise.all over them is one round trip',
      code: `import { createClient } from 'redis';
import { Redis } from '@upstash/redis';
const client = await createClient().connect();
const upstash = Redis.fromEnv();
export const teams = (ids: string[]) => Promise.all(ids.map((id) => client.get(\`team:\${id}\`)));
export const usage = (keys: string[]) => Promise.all(keys.map((key) => upstash.hgetall(key)));
`,
    },
    {
      name: 'a helper that answers from a store it fills (module cache, memoised member) makes its round trips once per key, not per call',
      code: `import Redis from 'ioredis';
const redis = new Redis();
const serviceCache: Record<string, string> = {};
export async function service(name: string) {
  if (serviceCache[name]) return serviceCache[name];
  const address = (await redis.get(\`service:\${name}\`)) ?? '';
  serviceCache[name] = address;
  return address;
}
const configs = new Map<string, string | null>();
async function config(name: string) {
  const hit = configs.get(name);
  if (hit !== undefined) return hit;
  const value = await redis.get(\`config:\${name}\`);
  configs.set(name, value);
  return value;
}
class Patterns {
  private groups: string[] | undefined;
  async getGroups() {
    if (this.groups === undefined) this.groups = await redis.lrange('groups', 0, -1);
    return this.groups;
  }
}
export async function describe(names: string[]) {
  const patterns = new Patterns();
  for (const name of names) {
    await service(name);
    await config(name);
    await patterns.getGroups();
  }
}`,
    },
    {
      name: 'Knex builders that never run: turned into SQL text, handed to another builder as a fragment, changed and dropped, or the statements of one schema change (the union of mapped builders carries a whereIn list per element)',
      code: `import type { Knex } from 'knex';
declare function runRaw(sql: string): Promise<unknown>;
export function countQueries(db: Knex, tables: string[]) {
  return tables.map((table) => db.count('*', { as: 'count' }).from(table).toQuery());
}
export async function related(db: Knex, groups: Record<string, string[]>) {
  const queries = Object.entries(groups).map(([field, ids]) => db.select({ field: db.raw('?', field), id: 'self' }).from('links').whereIn('self', ids));
  const [first, ...rest] = queries;
  return runRaw(first!.unionAll(rest).toQuery());
}
export function addColumns(db: Knex, qb: Knex.QueryBuilder, columns: Record<string, string>) {
  Object.entries(columns).forEach(([name, sql]) => {
    qb.select(db.raw(\`\${sql} as ??\`, [name]));
  });
  return qb;
}
export async function createTable(db: Knex, name: string) {
  for (const statement of db.schema.createTable(name, (t) => t.increments('id')).toSQL()) await runRaw(statement.sql);
}`,
    },
    {
      name: 'keys of an object written in the code, a list spreading a written Set, and a branch run until it sets what it tests',
      code: `import { MongoClient } from 'mongodb';
const db = new MongoClient('mongodb://db').db();
const COLLECTIONS = { deals: 'deals', posts: 'content_posts' };
const SUB_CODES = new Set(['ebarimt', 'returns']);
const CODES = ['main', ...SUB_CODES, 'erkhet'];
export async function migrate() {
  for (const type of Object.keys(COLLECTIONS)) await db.collection('fields').find({ type }).toArray();
  for (const code of CODES) await db.collection('configs').findOne({ code });
}
export async function chain(docs: { id: string }[]) {
  let parentId = '';
  for (const doc of docs) {
    if (!parentId) {
      const first = await db.collection('transactions').insertOne({ ...doc });
      parentId = String(first.insertedId);
    }
  }
  return parentId;
}`,
    },
    {
      name: 'trying mirrors until one answers is a search, sequential by design',
      code: `export async function firstAvailable(mirrors: string[]) {
  for (const mirror of mirrors) {
    const res = await fetch(mirror, { signal: AbortSignal.timeout(1000) });
    if (res.ok) return res;
  }
  return undefined;
}`,
    },
    {
      name: 'a literal list of a few constants is not a growing collection',
      code: `export async function warm() {
  for (const path of ['/a', '/b']) await fetch(path, { signal: AbortSignal.timeout(1000) });
}`,
    },
    {
      name: 'a search loop that returns the element once a request succeeds',
      code: `export async function reachableDomain(domains: string[]) {
  for (const domain of domains) {
    const ok = await fetch(\`https://\${domain}\`, { method: 'HEAD', signal: AbortSignal.timeout(1000) });
    if (ok.status < 400) {
      return domain;
    }
  }
  return null;
}`,
    },
    {
      name: 'a list inside each entry of a written list is written in the code too',
      code: `import { Pool } from 'pg';
const pool = new Pool();
const PLANS = [
  { name: 'basic', tiers: [{ seats: 1 }, { seats: 5 }] },
  { name: 'pro', tiers: [{ seats: 10 }] },
] as const;
export async function seedPlans() {
  for (const plan of PLANS) {
    for (const tier of plan.tiers) await pool.query('INSERT INTO tiers(plan, seats) VALUES ($1, $2)', [plan.name, tier.seats]);
  }
}`,
    },
    {
      name: 'a const list written in another file (migration steps, view names) has a fixed size',
      files: { 'src/views.ts': `export const VIEWS = ['daily', 'weekly', 'monthly'] as const;\n` },
      code: `import { Pool } from 'pg';
import { VIEWS } from './views';
const pool = new Pool();
export async function refresh() {
  for (const view of [...VIEWS].reverse()) await pool.query(\`REFRESH MATERIALIZED VIEW \${view}\`);
  await Promise.all([...new Set(VIEWS)].map((view) => pool.query(\`ANALYZE \${view}\`)));
}`,
    },
    {
      name: 'chunks processed with an index loop or chunk(...).map are batches, not items',
      code: `import { Pool } from 'pg';
const pool = new Pool();
declare function chunk<T>(items: T[], size: number): T[][];
export async function purge(ids: number[]) {
  const deleteBatches = chunk(ids, 100);
  for (let i = 0; i < deleteBatches.length; i++) await pool.query('SELECT purge_documents($1)', [deleteBatches[i]]);
  await Promise.all(chunk(ids, 100).map((group) => pool.query('SELECT archive_documents($1)', [group])));
}`,
    },
    {
      name: 'a migration runner applies and records steps one by one, by design',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function migrate(pendingMigrations: { id: number; sql: string }[]) {
  for (const migration of pendingMigrations) {
    await pool.query(migration.sql);
    await pool.query('INSERT INTO migrations(id) VALUES ($1)', [migration.id]);
  }
}`,
    },
    {
      name: 'test files are ignored by default (fixture setup loops)',
      filename: 'src/__tests__/users.test.ts',
      code: SEED_USERS,
    },
    {
      name: 'migrations are ignored by default',
      filename: 'src/migrations/1700000000000-backfill.ts',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function up(ids: number[]) {
  for (const id of ids) await pool.query('UPDATE users SET flag = true WHERE id = $1', [id]);
}`,
    },
    {
      name: 'a seed script named seed.ts is ignored by default, like a seeds/ folder',
      filename: 'packages/database/src/seed.ts',
      code: SEED_USERS,
    },
    {
      name: 'a migration-scripts/ folder is ignored by default',
      filename: 'migration-scripts/add-default-roles.ts',
      code: SEED_USERS,
    },
    {
      name: 'an alterations/ folder (Logto\'s migrations) is ignored by default',
      filename: 'packages/schemas/alterations/1.0.0-update-config.ts',
      code: SEED_USERS,
    },
    {
      name: 'slonik\'s sql tag builds a query, it does not send one',
      code: `import { sql } from 'slonik';
export function conditions(ids: string[]) {
  return ids.map((id) => sql.fragment\`id = \${id}\`);
}`,
    },
    {
      name: 'array methods on ORM metadata are not queries',
      ...typeormProject,
      code: `import { getMetadataArgsStorage } from 'typeorm';
export function columnsOf(entities: Function[], wanted: string) {
  return entities.map((entity) => getMetadataArgsStorage().filterColumns(entity).find((c) => c.propertyName === wanted));
}`,
    },
    {
      name: 'array data held by a query builder is not a query',
      ...typeormProject,
      code: `import type { Repository } from 'typeorm';
interface Builder { expressionMap: { joinAttributes: { alias: string }[] } }
export function aliases(qb: Builder, repo: Repository<{ id: string }>, names: string[]) {
  void repo;
  return names.map((name) => qb.expressionMap.joinAttributes.find((j) => j.alias === name));
}`,
    },
    {
      name: 'a project-declared type whose lookup methods are synchronous holds data in memory',
      code: `interface User { id: string; name: string }
interface Registry { user: { findFirst(args: { where: { id: string } }): User | undefined; count(): number } }
export function names(db: Registry, ids: string[]) {
  return ids.map((id) => db.user.findFirst({ where: { id } })?.name ?? db.user.count());
}`,
    },
    {
      name: 'an in-memory object typed by a type literal: Map methods named like queries are not queries',
      code: `type Db = { user: Map<string, { name: string }> };
export function forget(db: Db, ids: string[]) {
  for (const id of ids) db.user.delete(id);
}`,
    },
    {
      name: 'a non-query method on a project-declared async client is left to the I/O recognition',
      files: { 'src/jobs.ts': 'export interface Jobs { queue: { schedule(name: string): Promise<void> } }\n' },
      code: `import type { Jobs } from './jobs';
export async function plan(jobs: Jobs, names: string[]) {
  for (const name of names) await jobs.queue.schedule(name);
}`,
    },
    {
      name: 'awaited query results are data: their find is an array\'s',
      ...typeormProject,
      files: { ...TYPEORM, 'src/rows.ts': 'export interface Row { id: string }\nexport declare function loadRows(): Promise<Row[]>;\n' },
      code: `import type { Repository } from 'typeorm';
import { MongoClient } from 'mongodb';
import { Pool } from 'pg';
import { loadRows } from './rows';
const mongo = new MongoClient('mongodb://db');
const pool = new Pool();
export async function pick(repo: Repository<{ id: string }>, ids: string[]) {
  const users = await repo.find();
  const docs = await mongo.db('app').collection('users').find({}).toArray();
  const result = await pool.query('SELECT id FROM users');
  const rows = await loadRows();
  for (const id of ids) {
    users.find((u) => u.id === id);
    docs.find((d) => d.id === id);
    result.rows.find((r: { id: string }) => r.id === id);
    rows.find((r) => r.id === id);
  }
}`,
    },
    {
      name: 'what an unannotated async helper returns from a query is data once awaited',
      ...typeormProject,
      code: `import type { Repository } from 'typeorm';
export async function pick(repo: Repository<{ id: string }>, ids: string[]) {
  const all = async () => repo.find();
  const first = async () => {
    const rows = await repo.find();
    return rows;
  };
  const users = await all();
  const same = await first();
  for (const id of ids) {
    users.find((u) => u.id === id);
    same.find((u) => u.id === id);
  }
}`,
    },
    {
      name: 'batched reads of Supabase, DynamoDB, Firestore and Elasticsearch, a Firestore write batch, and a snapshot\'s fields',
      code: `import { createClient } from '@supabase/supabase-js';
import { DynamoDBDocumentClient, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { getFirestore } from 'firebase-admin/firestore';
import { Client } from '@elastic/elasticsearch';
const supabase = createClient('https://x.supabase.co', 'key');
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const firestore = getFirestore();
const search = new Client({ node: 'http://search:9200' });
export async function load(teams: { memberIds: string[] }[], names: string[]) {
  for (const team of teams) {
    await supabase.from('users').select('*').in('id', team.memberIds);
    await documents.send(new BatchGetCommand({ RequestItems: { users: { Keys: team.memberIds.map((id) => ({ id })) } } }));
    await firestore.getAll(...team.memberIds.map((id) => firestore.doc(\`users/\${id}\`)));
    await search.mget({ index: 'users', ids: team.memberIds });
  }
  const batch = firestore.batch();
  for (const name of names) batch.set(firestore.collection('names').doc(name), { name });
  await batch.commit();
  const snapshot = await firestore.collection('settings').doc('names').get();
  return names.map((name) => snapshot.get(name));
}`,
    },
    {
      name: 'tagged queries for a list of keys, rows already loaded, a fragment interpolated into a query, and tags that only build SQL (Kysely, Drizzle, postgres.js helpers)',
      code: `import postgres from 'postgres';
import { sql as kyselySql } from 'kysely';
import { sql as drizzleSql } from 'drizzle-orm';
const sql = postgres('postgres://db/app');
export async function load(teams: { memberIds: string[] }[]) {
  const rows = await sql\`SELECT id FROM users\`;
  for (const team of teams) {
    await sql\`SELECT * FROM users WHERE id IN \${sql(team.memberIds)}\`;
    await sql\`SELECT * FROM users WHERE id = ANY(\${team.memberIds})\`;
    rows.find((row) => row.id === team.memberIds[0]);
    await sql\`SELECT * FROM users WHERE \${sql\`team_id = \${team.memberIds[0]}\`} AND id IN \${sql(team.memberIds)}\`;
    kyselySql\`id = \${team.memberIds[0]}\`;
    drizzleSql\`id = \${team.memberIds[0]}\`;
  }
}`,
    },
    {
      name: 'a loop that counts down from a number goes over no collection, though it indexes one',
      code: `export async function probe(ids: string[]) {
  for (let i = 3; i >= 0; i--) await fetch(\`/health/\${ids[i]}\`, { signal: AbortSignal.timeout(2000) });
}
`,
    },
    {
      name: 'Octokit: its log and auth members, and a request made once',
      code: `import { Octokit } from 'octokit';
const octokit = new Octokit({ auth: 'token' });
export async function report(lines: string[]) {
  for (const line of lines) octokit.log.info(line);
  const { data } = await octokit.rest.issues.listForRepo({ owner: 'o', repo: 'r' });
  return data.map((issue) => issue.title);
}`,
    },
    {
      name: "a Google API's data types are no clients (a message's snippet searched, a response's headers read), nor is an Octokit endpoint built per element",
      code: `import type { gmail_v1 } from '@googleapis/gmail';
import type { Common, drive_v3 } from 'googleapis';
import { Octokit } from '@octokit/rest';
export function isInvoice(message: gmail_v1.Schema$Message) { return message.snippet!.search(/invoice/i) >= 0; }
export const invoices = (messages: gmail_v1.Schema$Message[]) => messages.filter((m) => isInvoice(m));
export const etags = (r: Common.GaxiosResponse<drive_v3.Schema$File>, keys: string[]) => keys.map((k) => r.headers.get(k));
export const urls = (octokit: Octokit, repos: string[]) => repos.map((repo) => octokit.rest.repos.get.endpoint({ owner: 'o', repo }).url);`,
    },
    {
      name: "Google and Graph calls made once, requests only built per element, and a Google API's data objects",
      code: `import type { gmail_v1 } from '@googleapis/gmail';
import { Client } from '@microsoft/microsoft-graph-client';
export async function archive(gmail: gmail_v1.Gmail, graph: Client, ids: string[], message: gmail_v1.Schema$Message) {
  await gmail.users.messages.batchModify({ userId: 'me', requestBody: { ids, removeLabelIds: ['INBOX'] } });
  const requests = ids.map((id) => graph.api(\`/me/messages/\${id}\`).select('subject'));
  const names = (message.payload?.headers ?? []).map((header) => header.name);
  return { requests, names, all: await graph.api('/me/messages').top(50).get() };
}`,
    },
    {
      name: 'jobs added in one call (Bull and BullMQ addBulk), and add on queues of other packages',
      code: `import { Queue } from 'bullmq';
import Bull from 'bull';
import PQueue from 'p-queue';
const mail = new Queue('mail');
const legacy = new Bull('legacy');
const local = new PQueue({ concurrency: 2 });
class Outbox { add(item: string) { return item; } }
export async function enqueue(userIds: string[], outbox: Outbox) {
  await mail.addBulk(userIds.map((userId) => ({ name: 'welcome', data: { userId } })));
  await legacy.addBulk(userIds.map((userId) => ({ data: { userId } })));
  for (const userId of userIds) outbox.add(userId);
  return Promise.all(userIds.map((userId) => local.add(() => userId)));
}`,
    },
    {
      name: "SaaS SDKs: batch forms, calls that send nothing, and the SDKs' data types",
      code: `import Stripe from 'stripe';
import OpenAI from 'openai';
import { Resend } from 'resend';
import sgMail from '@sendgrid/mail';
import { WebClient } from '@slack/web-api';
const stripe = new Stripe('key');
const openai = new OpenAI();
const resend = new Resend('key');
const slack = new WebClient('token');
type Team = { name: string; members: string[] };
export async function notify(texts: string[], teams: Team[], customers: Stripe.Customer[], messages: OpenAI.Chat.ChatCompletionMessageParam[], payload: string, signature: string) {
  const events = texts.map(() => stripe.webhooks.constructEvent(payload, signature, 'secret'));
  const embeddings = await openai.embeddings.create({ model: 'text-embedding-3-small', input: texts });
  for (const team of teams) {
    await resend.batch.send(team.members.map((to) => ({ from: 'a@example.com', to, subject: team.name, html: payload })));
    await sgMail.sendMultiple({ to: team.members, from: 'a@example.com', subject: team.name, text: payload });
  }
  texts.forEach(() => sgMail.setApiKey('key'));
  const names = customers.map((customer) => customer.metadata.name);
  const roles = messages.map((message) => message.role);
  return { events, embeddings, names, roles, channel: await slack.chat.postMessage({ channel: 'c', text: texts.join() }) };
}`,
    },
    {
      name: "Firebase Auth: a team's users looked up in one getUsers, ID tokens checked against cached keys",
      code: `import * as admin from 'firebase-admin';
import { getAuth } from 'firebase-admin/auth';
export async function profiles(teams: { uids: string[] }[], tokens: string[]) {
  const users = [];
  for (const team of teams) users.push(await admin.auth().getUsers(team.uids.map((uid) => ({ uid }))));
  for (const token of tokens) await getAuth().verifyIdToken(token);
  return users;
}`,
    },
    {
      name: 'Kafka messages produced in one send, or in one sendBatch across topics',
      code: `import { Kafka } from 'kafkajs';
const producer = new Kafka({ brokers: ['localhost:9092'] }).producer();
export async function publish(events: { id: string; topic: string }[], tenants: { name: string; events: { id: string; topic: string }[] }[]) {
  await producer.send({ topic: 'events', messages: events.map((e) => ({ key: e.id, value: JSON.stringify(e) })) });
  for (const tenant of tenants) await producer.sendBatch({ topicMessages: tenant.events.map((e) => ({ topic: \`\${tenant.name}.\${e.topic}\`, messages: [{ value: e.id }] })) });
}`,
    },
    {
      name: 'SQL Server, Neo4j, Cassandra, search indexes, Cloud Storage and Apollo Client: batch forms and calls that send nothing',
      code: `import sql from 'mssql';
import neo4j from 'neo4j-driver';
import { Client as Cassandra } from 'cassandra-driver';
import { algoliasearch } from 'algoliasearch';
import { MeiliSearch } from 'meilisearch';
import { Storage } from '@google-cloud/storage';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
const cassandra = new Cassandra({ contactPoints: ['db'], localDataCenter: 'dc1' });
const algolia = algoliasearch('app', 'key');
const meili = new MeiliSearch({ host: 'http://search' });
const storage = new Storage();
const apollo = new ApolloClient({ uri: '/graphql', cache: new InMemoryCache() });
const PRODUCT = gql\`query Product($id: ID!) { product(id: $id) { id } }\`;
type Tenant = { name: string; ids: string[]; table: sql.Table };
export async function sync(tenants: Tenant[]) {
  const pool = await sql.connect('mssql://db');
  for (const tenant of tenants) {
    await pool.request().bulk(tenant.table);
    await cassandra.batch(tenant.ids.map((id) => ({ query: 'DELETE FROM t WHERE id = ?', params: [id] })), { prepare: true });
    await algolia.saveObjects({ indexName: tenant.name, objects: tenant.ids.map((objectID) => ({ objectID })) });
    await meili.index(tenant.name).addDocuments(tenant.ids.map((id) => ({ id })));
  }
  const ids = tenants.flatMap((t) => t.ids);
  return {
    files: ids.map((id) => storage.bucket('media').file(id)),
    cached: ids.map((id) => apollo.readQuery({ query: PRODUCT, variables: { id } })),
    keys: ids.map((id) => neo4j.int(id.length)),
  };
}`,
    },
    {
      name: 'libSQL, Oracle, BigQuery and Cosmos DB: statements, rows and operations sent in one request',
      code: `import { createClient } from '@libsql/client';
import oracledb from 'oracledb';
import { BigQuery } from '@google-cloud/bigquery';
import { CosmosClient, type OperationInput } from '@azure/cosmos';
const turso = createClient({ url: 'libsql://db' });
const bigquery = new BigQuery();
const container = new CosmosClient('AccountEndpoint=x').database('shop').container('orders');
type Tenant = { name: string; ids: string[]; operations: OperationInput[] };
export async function sync(tenants: Tenant[]) {
  const connection = await oracledb.getConnection({ connectString: 'db' });
  for (const tenant of tenants) {
    await turso.batch(tenant.ids.map((id) => ({ sql: 'DELETE FROM t WHERE id = ?', args: [id] })));
    await connection.executeMany('DELETE FROM t WHERE id = :id', tenant.ids.map((id) => ({ id })));
    await bigquery.dataset('shop').table(tenant.name).insert(tenant.ids.map((id) => ({ id })));
    await container.items.bulk(tenant.operations);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'a query per element through libSQL (also in a transaction), Oracle, BigQuery and Cosmos DB',
      code: `import { createClient } from '@libsql/client';
import oracledb from 'oracledb';
import { BigQuery } from '@google-cloud/bigquery';
import { CosmosClient } from '@azure/cosmos';
const turso = createClient({ url: 'libsql://db' });
const bigquery = new BigQuery();
const container = new CosmosClient('AccountEndpoint=x').database('shop').container('orders');
export async function load(ids: string[]) {
  for (const id of ids) await turso.execute({ sql: 'SELECT * FROM t WHERE id = ?', args: [id] });
  const transaction = await turso.transaction('write');
  for (const id of ids) await transaction.execute({ sql: 'DELETE FROM t WHERE id = ?', args: [id] });
  const connection = await oracledb.getConnection({ connectString: 'db' });
  for (const id of ids) await connection.execute('SELECT * FROM t WHERE id = :id', { id });
  await Promise.all(ids.map((id) => bigquery.query({ query: 'SELECT * FROM shop.t WHERE id = @id', params: { id } })));
  for (const id of ids) await container.item(id, id).read();
  for (const id of ids) await container.items.create({ id });
}
`,
      errors: [
        { messageId: 'sequential', line: 9 },
        { messageId: 'sequential', line: 11 },
        { messageId: 'sequential', line: 13 },
        { messageId: 'concurrent', line: 14 },
        { messageId: 'sequential', line: 15 },
        { messageId: 'sequential', line: 16 },
      ],
    },
    {
      name: 'a query or request per element through SQL Server, Neo4j, Cassandra, Algolia, Cloud Storage and Apollo Client',
      code: `import sql from 'mssql';
import neo4j from 'neo4j-driver';
import { Client as Cassandra } from 'cassandra-driver';
import { algoliasearch } from 'algoliasearch';
import { Storage } from '@google-cloud/storage';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
const driver = neo4j.driver('bolt://db');
const cassandra = new Cassandra({ contactPoints: ['db'], localDataCenter: 'dc1' });
const algolia = algoliasearch('app', 'key');
const storage = new Storage();
const apollo = new ApolloClient({ uri: '/graphql', cache: new InMemoryCache() });
const PRODUCT = gql\`query Product($id: ID!) { product(id: $id) { id } }\`;
export async function load(ids: string[]) {
  const pool = await sql.connect('mssql://db');
  for (const id of ids) await pool.request().input('id', id).query('SELECT * FROM products WHERE id = @id');
  const session = driver.session();
  for (const id of ids) await session.run('MATCH (p:Product { id: $id }) RETURN p', { id });
  await session.executeWrite((tx) => Promise.all(ids.map((id) => tx.run('MATCH (p { id: $id }) SET p.seen = true', { id }))));
  for (const id of ids) await cassandra.execute('SELECT * FROM products WHERE id = ?', [id], { prepare: true });
  for (const id of ids) await algolia.saveObject({ indexName: 'products', body: { objectID: id } });
  await Promise.all(ids.map((id) => storage.bucket('media').file(id).download()));
  for (const id of ids) await apollo.query({ query: PRODUCT, variables: { id } });
}
`,
      errors: [
        { messageId: 'sequential', line: 15, message: "\`pool.request().input('id', id).query\` performs a database query once per element of \`ids\`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader)." },
        { messageId: 'sequential', line: 17 },
        { messageId: 'concurrent', line: 18 },
        { messageId: 'sequential', line: 19 },
        { messageId: 'sequential', line: 20 },
        { messageId: 'concurrent', line: 21 },
        { messageId: 'sequential', line: 22 },
      ],
    },
    {
      name: 'a Kafka message produced per element, on a producer made from the client or typed as one, or in a transaction',
      code: `import { Kafka, type Producer } from 'kafkajs';
const kafka = new Kafka({ brokers: ['localhost:9092'] });
const producer = kafka.producer();
export async function publish(events: { id: string }[], typed: Producer) {
  for (const e of events) await producer.send({ topic: 'events', messages: [{ key: e.id, value: JSON.stringify(e) }] });
  await Promise.all(events.map((e) => typed.send({ topic: 'audit', messages: [{ value: e.id }] })));
  const transaction = await producer.transaction();
  for (const e of events) await transaction.send({ topic: 'events', messages: [{ value: e.id }] });
  await transaction.commit();
}
`,
      errors: [
        { messageId: 'sequential', line: 5, message: '`producer.send` performs a Kafka request once per element of `events`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 6 },
        { messageId: 'sequential', line: 8 },
      ],
    },
    {
      name: "a helper in another project of a monorepo is named by its path in the workspace, as reports print files",
      filename: 'apps/api/src/main.ts',
      files: {
        'apps/api/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }),
        'libs/db/src/orders.ts': `import { Pool } from 'pg';
const pool = new Pool();
export const loadOrder = (id: string) => pool.query('SELECT * FROM orders WHERE id = $1', [id]);
`,
      },
      code: `import { loadOrder } from '../../../libs/db/src/orders';
export async function orders(ids: string[]) {
  for (const id of ids) await loadOrder(id);
}
`,
      errors: [
        { messageId: 'sequential', line: 3, message: '`loadOrder()` performs a database query (`pool.query` in libs/db/src/orders.ts) once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
      ],
    },
    {
      name: 'Firebase Auth per element, through the Admin SDK namespace and its modular entry point',
      code: `import * as admin from 'firebase-admin';
import { getAuth } from 'firebase-admin/auth';
export async function emails(uids: string[]) {
  const found: (string | undefined)[] = [];
  for (const uid of uids) found.push((await admin.auth().getUser(uid)).email);
  await Promise.all(uids.map((uid) => getAuth().setCustomUserClaims(uid, { admin: true })));
  return found;
}
`,
      errors: [
        { messageId: 'sequential', line: 5, message: '`admin.auth().getUser` performs an HTTP request once per element of `uids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 6 },
      ],
    },
    {
      name: 'a request per element through SaaS SDKs: Stripe, OpenAI, Resend, SendGrid, Slack and Twilio',
      code: `import Stripe from 'stripe';
import OpenAI from 'openai';
import { Resend } from 'resend';
import sgMail from '@sendgrid/mail';
import { WebClient } from '@slack/web-api';
import twilio from 'twilio';
const stripe = new Stripe('key');
const openai = new OpenAI();
const resend = new Resend('key');
const slack = new WebClient('token');
const sms = twilio('sid', 'token');
export async function notify(customerIds: string[], texts: string[], channels: string[], phones: string[]) {
  for (const id of customerIds) await stripe.customers.retrieve(id);
  await Promise.all(texts.map((input) => openai.embeddings.create({ model: 'text-embedding-3-small', input })));
  for (const text of texts) await resend.emails.send({ from: 'a@example.com', to: 'b@example.com', subject: text, html: text });
  for (const text of texts) await sgMail.send({ to: 'b@example.com', from: 'a@example.com', subject: text, text });
  for (const channel of channels) await slack.chat.postMessage({ channel, text: 'deploy done' });
  for (const to of phones) await sms.messages.create({ to, from: '+15550100', body: 'hi' });
}
`,
      errors: [
        { messageId: 'sequential', line: 13, message: '`stripe.customers.retrieve` performs an HTTP request once per element of `customerIds`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 14 },
        { messageId: 'sequential', line: 15 },
        { messageId: 'sequential', line: 16 },
        { messageId: 'sequential', line: 17 },
        { messageId: 'sequential', line: 18 },
      ],
    },
    {
      name: 'jobs added one by one in a for...of loop become one addBulk, the options kept',
      ...bullmqProject,
      code: `import { Queue } from 'bullmq';
const mail = new Queue<{ userId: string }>('mail');
export async function welcome(users: { id: string }[]) {
  for (const user of users) {
    await mail.add('welcome', { userId: user.id }, { attempts: 3 });
  }
}
`,
      errors: [{ messageId: 'sequentialJobs', line: 5 }],
      output: `import { Queue } from 'bullmq';
const mail = new Queue<{ userId: string }>('mail');
export async function welcome(users: { id: string }[]) {
  await mail.addBulk(users.map((user) => ({ name: 'welcome', data: { userId: user.id }, opts: { attempts: 3 } })));
}
`,
    },
    {
      name: 'Promise.all of jobs added over an iterable becomes one addBulk of Array.from, which resolves to the same jobs',
      ...bullmqProject,
      code: `import { Queue } from 'bullmq';
export class Reminders {
  constructor(private readonly queue: Queue<{ id: string }>) {}
  remind(ids: Set<string>, name: string) {
    return Promise.all([...ids].length > 0 ? Array.from(ids, (id) => this.queue.add(name, { id })) : []);
  }
  nudge(ids: Set<string>, name: string) {
    return Promise.all(new Array(...ids).map(async (id) => await this.queue.add(name, { id })));
  }
  later(ids: ReadonlySet<string>, name: string) {
    return Promise.all([...ids].map((id) => this.queue.add(name, { id })));
  }
}
`,
      errors: [
        { messageId: 'concurrentJobs', line: 5 },
        { messageId: 'concurrentJobs', line: 8 },
        { messageId: 'concurrentJobs', line: 11 },
      ],
      output: `import { Queue } from 'bullmq';
export class Reminders {
  constructor(private readonly queue: Queue<{ id: string }>) {}
  remind(ids: Set<string>, name: string) {
    return Promise.all([...ids].length > 0 ? Array.from(ids, (id) => this.queue.add(name, { id })) : []);
  }
  nudge(ids: Set<string>, name: string) {
    return this.queue.addBulk(new Array(...ids).map((id) => ({ name, data: { id } })));
  }
  later(ids: ReadonlySet<string>, name: string) {
    return this.queue.addBulk([...ids].map((id) => ({ name, data: { id } })));
  }
}
`,
    },
    {
      name: 'no addBulk fix where it would change what the loop does, drop a comment, await in a callback that is not async, or not type-check',
      ...bullmqProject,
      code: `import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
const mail = new Queue<{ userId: string }>('mail');
const flows = new FlowProducer();
export async function welcome(userIds: string[], options: JobsOptions) {
  for (const userId of userIds) await mail.add('welcome', { userId }, { repeat: { every: 1000 } });
  for (const userId of userIds) await mail.add('welcome', { userId }, options);
  for (const userId of userIds) {
    // one a second, for the mail provider's rate limit
    await mail.add('welcome', { userId });
  }
  for (const userId of userIds) {
    await mail.add('welcome', { userId });
    console.log(userId);
  }
  for await (const userId of userIds) await mail.add('welcome', { userId });
  for (const userId of userIds) await flows.add({ name: 'onboard', queueName: 'mail', data: { userId } });
  for (const userId of userIds) await mail.add('welcome', { userId: await Promise.resolve(userId) });
  await Promise.all(userIds.map(async (userId) => mail.add('welcome', { userId: await Promise.resolve(userId) })));
}
`,
      errors: [
        { messageId: 'sequentialJobs', line: 5 },
        { messageId: 'sequentialJobs', line: 6 },
        { messageId: 'sequentialJobs', line: 9 },
        { messageId: 'sequentialJobs', line: 12 },
        { messageId: 'sequentialJobs', line: 15 },
        { messageId: 'sequentialJobs', line: 16 },
        { messageId: 'sequentialJobs', line: 17 },
        { messageId: 'concurrentJobs', line: 18 },
      ],
      output: null,
    },
    {
      name: 'a job added to a Bull or BullMQ queue per element: an injected NestJS queue, a FlowProducer, Bull by its default export, a helper',
      code: `import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { FlowProducer, Queue } from 'bullmq';
import Bull from 'bull';
const flows = new FlowProducer();
const legacy = new Bull('legacy');
@Injectable()
export class WelcomeService {
  constructor(@InjectQueue('mail') private readonly mailQueue: Queue) {}
  async welcome(userIds: string[]) {
    for (const userId of userIds) {
      await this.mailQueue.add('welcome', { userId }, { attempts: 3 });
    }
    await Promise.all(userIds.map((userId) => flows.add({ name: 'onboard', queueName: 'mail', data: { userId } })));
  }
}
export const remind = async (legacyQueue: Bull.Queue, ids: string[]) => {
  for (const id of ids) await legacyQueue.add({ id });
  ids.forEach((id) => legacy.add('nudge', { id }));
};
const schedule = (id: string) => legacy.add('nudge', { id });
export async function later(ids: string[]) {
  for (const id of ids) await schedule(id);
}
`,
      errors: [
        { messageId: 'sequentialJobs', line: 12, message: '`this.mailQueue.add` performs a queue command once per element of `userIds`, one after another: N elements cost N round trips. Add the jobs in one call before the loop (`addBulk`).' },
        { messageId: 'concurrentJobs', line: 14, message: '`flows.add` performs a queue command once per element of `userIds` (inside .map()): concurrent, but still N round trips. Add the jobs in one call (`addBulk`).' },
        { messageId: 'sequentialJobs', line: 18 },
        { messageId: 'concurrentJobs', line: 19 },
        // Through a helper the generic advice stands: what the helper does first may change.
        { messageId: 'sequential', line: 23, message: '`schedule()` performs a queue command (`legacy.add` in src/main.ts) once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
      ],
    },
    {
      name: 'a break of a switch or an inner loop, or a return in a callback, does not end the loop',
      code: `const send = (reply: string) => fetch('https://example.com/replies', { method: 'POST', body: reply, signal: AbortSignal.timeout(1000) });
export async function each(actions: string[]) {
  for (const action of actions) {
    switch (action) {
      case 'reply':
        await send(action);
        break;
    }
  }
  await Promise.all(actions.map(async (action) => {
    await send(action);
    return;
  }));
}`,
      errors: [
        { messageId: 'sequential', line: 6 },
        { messageId: 'concurrent', line: 11 },
      ],
    },
    {
      name: 'a handler made and run at once per element, and an fp-ts Task run in the loop, query per element',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
declare namespace T { type Task<A> = () => Promise<A> }
const prisma = new PrismaClient();
const lookup = (id: string) => async () => prisma.customer.findFirst({ where: { id } });
const lookupTask = (id: string): T.Task<unknown> => async () => prisma.customer.findFirst({ where: { id } });
declare function runAll(tasks: T.Task<unknown>[]): Promise<void>;
export async function names(ids: string[]) {
  for (const id of ids) await lookup(id)();
  await runAll(ids.map((id) => lookupTask(id)));
}`,
      errors: [
        { messageId: 'sequential', line: 8, message: '\`lookup()()\` performs a database query (\`prisma.customer.findFirst\` in src/main.ts) once per element of \`ids\`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 9 },
      ],
    },
    {
      name: 'Payload\'s Local API per element, on a typed request and in a hook whose req only its hook type types',
      code: `import type { CollectionBeforeChangeHook, PayloadRequest } from 'payload';
export async function subtotal(req: PayloadRequest, items: { product: string }[]) {
  let total = 0;
  for (const item of items) total += ((await req.payload.findByID({ collection: 'products', id: item.product })) as unknown as { price: number }).price;
  return total;
}
export const beforeChange: CollectionBeforeChangeHook = async ({ data, req }) => {
  for (const id of data.tags as string[]) await req.payload.update({ collection: 'tags', id, data: { used: true } });
  return data;
};
`,
      errors: [
        { messageId: 'sequential', line: 4 },
        { messageId: 'sequential', line: 8 },
      ],
    },
    {
      name: 'with packages installed, the type checker names the library class whose method a loop element calls (sequelize Model.save, TypeORM Repository.findOneBy)',
      packageJson: { dependencies: { sequelize: '6', typeorm: '0.3' } },
      // Installed under src/: the project's own node_modules links the repository's.
      files: {
        'src/node_modules/sequelize/package.json': JSON.stringify({ name: 'sequelize', version: '6.0.0', types: 'index.d.ts' }),
        'src/node_modules/sequelize/index.d.ts': `export declare abstract class Model {
  save(options?: object): Promise<this>;
  toJSON(): object;
}
`,
        'src/node_modules/typeorm/package.json': JSON.stringify({ name: 'typeorm', version: '0.3.0', types: 'index.d.ts' }),
        'src/node_modules/typeorm/index.d.ts': `export declare class Repository<T> {
  findOneBy(where: Partial<T>): Promise<T | null>;
}
`,
        'src/models.ts': `import { Model } from 'sequelize';
export class Integration extends Model {
  declare name: string;
}
`,
      },
      code: `import type { Repository } from 'typeorm';
import type { Integration } from './models';
export async function rename(load: () => Promise<Integration[]>, repositories: Repository<{ id: string }>[]) {
  for (const integration of await load()) {
    integration.name = 'x';
    await integration.save();
    await integration.toJSON();
  }
  for (const repository of repositories) await repository.findOneBy({ id: '1' });
}
`,
      errors: [
        { messageId: 'sequential', line: 6 },
        { messageId: 'sequential', line: 9 },
      ],
    },
    {
      name: 'an active record a query loaded queries again per element: Sequelize (over findAll, in .map, from findOrCreate, by index in a list annotated with the model) and TypeORM BaseEntity (no types installed)',
      files: ACTIVE_RECORDS,
      code: `import { Integration } from './models';
import { Account } from './entities';
export async function rename(names: string[]) {
  const integrations = await Integration.findAll({ where: { name: names } });
  for (const integration of integrations) {
    integration.name = 'x';
    await integration.save();
  }
  await Promise.all(integrations.map((integration) => integration.destroy()));
  for (const name of names) {
    const [integration] = await Integration.findOrCreate({ where: { name } });
    await integration.update({ name });
  }
  let page: Integration[] = [];
  page = await Integration.findAll();
  for (let i = 0; i < page.length; i++) await page[i].reload();
  for (const account of await Account.findBy({ name: 'x' })) await account.remove();
}`,
      errors: [
        { messageId: 'sequential', line: 7, message: '\`integration.save\` performs a database query once per element of \`integrations\`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 9 },
        { messageId: 'sequential', line: 11 },
        { messageId: 'sequential', line: 12 },
        { messageId: 'sequential', line: 16 },
        { messageId: 'sequential', line: 17 },
      ],
    },
    {
      name: 'records stay records through array methods, lodash and built-ins that regroup or pick them (no types installed)',
      files: ACTIVE_RECORDS,
      code: `import { groupBy, keyBy, head, chunk } from 'lodash';
import sortBy from 'lodash/sortBy';
import * as _ from 'lodash-es';
import { groupBy as toolkitGroupBy } from 'es-toolkit';
import lodashGroupBy from 'lodash.groupby';
import { Integration } from './models';
export async function touch(ids: string[]) {
  const integrations = await Integration.findAll();
  for (const active of integrations.filter((i) => i.name !== '')) await active.save();
  for (const id of ids) await integrations.find((i) => i.name === id)?.reload();
  for (const group of Object.values(groupBy(integrations, 'name'))) {
    for (const integration of group) await integration.destroy();
  }
  const byName = keyBy(integrations, 'name');
  for (const id of ids) await byName[id].save();
  for (const integration of sortBy(integrations, 'name')) await integration.save();
  const [first] = _.partition(integrations, (i) => i.name === 'a');
  for (const integration of first) await integration.save();
  const grouped = Object.groupBy(integrations, (i) => i.name);
  for (const integration of Array.from(grouped[ids[0]])) await integration.save();
  for (const id of ids) for (const integration of grouped[id] ?? []) await integration.save();
  for (const integration of integrations.slice(1).sort().reverse().toSorted().toReversed()) await integration.save();
  for (const id of ids) await Promise.all([integrations.at(Number(id))?.destroy(), integrations.findLast((i) => i.name === id)?.destroy()]);
  for (const id of ids) await head(integrations.filter((i) => i.name === id))?.reload();
  for (const batch of chunk(integrations, 10)) for (const integration of batch) await integration.save();
  for (const group of Object.values(toolkitGroupBy(integrations, (i) => i.name))) for (const integration of group) await integration.save();
  for (const group of Object.values(lodashGroupBy(integrations, 'name'))) for (const integration of group) await integration.save();
}
export async function typed(ids: string[], rows: Integration[]) {
  for (const row of rows.filter((r) => r.name !== '')) await row.save();
  for (const id of ids) await rows.find((r) => r.name === id)?.save();
}`,
      errors: [9, 10, 12, 15, 16, 18, 20, 21, 22, 23, 23, 24, 25, 26, 27, 30, 31].map((line) => ({ messageId: 'sequential', line })),
    },
    {
      name: 'a client destructured from what a package that declares nothing of it holds stays unknown, so its Prisma-shaped calls still count',
      code: `import type { FastifyInstance } from 'fastify';
import type { Response } from 'express';
export async function routes(fastify: FastifyInstance, res: Response, ids: string[]) {
  const { prisma } = fastify;
  for (const id of ids) await prisma.user.findUnique({ where: { id } });
  const { db } = res.locals;
  for (const id of ids) await db.user.delete({ where: { id } });
}`,
      errors: [
        { messageId: 'sequential', line: 5 },
        { messageId: 'sequential', line: 7 },
      ],
    },
    {
      name: 'followed through destructuring, a generic singleton (whatever the caller makes it), a default import of a module that has none and the ReturnType of an imported factory (no types installed)',
      files: {
        ...ACTIVE_RECORDS,
        'src/db.ts': `import { PrismaClient } from '@prisma/client';
function remember<T>(name: string, make: () => T): T {
  const store = globalThis as unknown as Record<string, T>;
  store[name] ??= make();
  return store[name];
}
export const prisma = remember('prisma', () => new PrismaClient());
export function createClient() {
  return new PrismaClient();
}
`,
      },
      code: `import dbModule, { prisma as db, createClient } from './db';
import { Integration } from './models';
const { prisma } = dbModule;
export class Importer {
  private async load(): Promise<{ integrations: Integration[] }> {
    return { integrations: await Integration.findAll() };
  }
  async run(ids: string[]) {
    const { integrations } = await this.load();
    for (const integration of integrations) await integration.save();
    for (const id of ids) await prisma.user.findUnique({ where: { id } });
    for (const id of ids) await db.user.delete({ where: { id } });
    for (const id of ids) await cached?.user.update({ where: { id }, data: {} });
  }
}
let cached: ReturnType<typeof createClient> | undefined;`,
      errors: [
        { messageId: 'sequential', line: 10 },
        { messageId: 'sequential', line: 11 },
        { messageId: 'sequential', line: 12 },
        { messageId: 'sequential', line: 13 },
      ],
    },
    {
      name: 'an element or a member reached through a project type that leads nowhere known stays unknown, so the Prisma-shaped call still counts',
      files: {
        'src/context.ts': `import type { Db } from '@acme/db';
export interface Tenant { name: string; db: Db }
`,
      },
      code: `import { PrismaClient } from '@prisma/client';
import type { Tenant } from './context';
interface BaseContext<TDb> { db: TDb; requestId: string }
interface AppContext extends BaseContext<PrismaClient> { userId: string }
export async function each(ctx: AppContext, ids: string[], tenants: Tenant[]) {
  for (const id of ids) await ctx.db.user.findUnique({ where: { id } });
  for (const tenant of tenants) await tenant.db.user.findMany();
}`,
      errors: [
        { messageId: 'sequential', line: 6 },
        { messageId: 'sequential', line: 7 },
      ],
    },
    {
      name: 'a Mongoose document a query loaded saves itself per element; a lean one is a plain object',
      code: `import mongoose from 'mongoose';
const Field = mongoose.model('Field', new mongoose.Schema({ name: String, value: String }));
export async function store(values: Record<string, string>) {
  for (const name of Object.keys(values)) {
    const field = await Field.findOne({ name });
    if (field) {
      field.value = values[name];
      await field.save();
    }
    const plain = await Field.findOne({ name }).lean().exec();
    await Promise.all(Object.keys(plain ?? {}).map((key) => plain?.populate(key)));
  }
}`,
      errors: [
        { messageId: 'sequential', line: 5 },
        { messageId: 'sequential', line: 8, message: '\`field.save\` performs a database query once per element of \`Object.keys(values)\`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 10 },
      ],
    },
    {
      name: 'a service looked up by dependency injection (NestJS app.get in a script, Angular inject) is the project class',
      files: {
        'src/customers.service.ts': `import { Pool } from 'pg';
export class CustomersService {
  constructor(private readonly pool: Pool) {}
  rename(id: string) {
    return this.pool.query('UPDATE customers SET name = $2 WHERE id = $1', [id, 'x']);
  }
}
`,
      },
      code: `import { NestFactory } from '@nestjs/core';
import { inject } from '@angular/core';
import { CustomersService } from './customers.service';
import { AppModule } from './app.module';
export async function script(ids: string[]) {
  const app = await NestFactory.createApplicationContext(AppModule);
  const customers = app.get(CustomersService);
  for (const id of ids) await customers.rename(id);
}
export class CustomersComponent {
  private readonly customers = inject(CustomersService);
  async renameAll(ids: string[]) {
    await Promise.all(ids.map((id) => this.customers.rename(id)));
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 8 },
        { messageId: 'concurrent', line: 13 },
      ],
    },
    {
      name: 'a client returned by a method declared to return Readonly<> of it is the client (no types installed)',
      code: `import { PrismaClient } from '@prisma/client';
export class PrismaService extends PrismaClient {}
export class CustomerRepository {
  constructor(private readonly prisma: PrismaService) {}
  client(): Readonly<PrismaService> {
    return this.prisma;
  }
  async rename(ids: string[]) {
    for (const id of ids) await this.client().customer.update({ where: { id }, data: { name: 'x' } });
  }
}
`,
      errors: [{ messageId: 'sequential', line: 9 }],
    },
    {
      name: 'an index stepped by 2 with no slice still reads element by element',
      code: `export async function pairs(ids: string[]) {
  for (let i = 0; i < ids.length; i += 2) await fetch(\`https://api.example.com/pair/\${ids[i]}/\${ids[i + 1]}\`, { signal: AbortSignal.timeout(5000) });
}`,
      errors: [{ messageId: 'sequential', line: 2 }],
    },
    {
      name: 'a list inside entries of a written list that are themselves data is data',
      code: `import { Pool } from 'pg';
const pool = new Pool();
declare const basic: { tiers: number[] };
declare const pro: { tiers: number[] };
export async function seedPlans() {
  for (const plan of [basic, pro]) {
    for (const seats of plan.tiers) await pool.query('INSERT INTO tiers(seats) VALUES ($1)', [seats]);
  }
}`,
      errors: [{ messageId: 'sequential', line: 7 }],
    },
    {
      name: 'the global singleton idiom (globalThis.prisma ?? new PrismaClient()) is the client, raw queries too',
      ...prismaProject,
      files: {
        ...PRISMA,
        'src/db.ts': `import { PrismaClient } from '@prisma/client';
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
export const prisma = globalForPrisma.prisma ?? new PrismaClient();
`,
      },
      code: `import { prisma } from './db';
export async function touch(ids: string[]) {
  for (const id of ids) await prisma.$executeRaw\`UPDATE customers SET seen = now() WHERE id = \${id}\`;
}
`,
      errors: [{ messageId: 'sequential', line: 3 }],
    },
    {
      name: 'saving what a batched query returned, once per element, is still a query per element',
      ...typeormProject,
      code: `import { In, Repository } from 'typeorm';
interface Variant { id: string; deletedAt?: Date }
declare const repo: Repository<Variant>;
export async function softDelete(id: string) {
  const variants = await repo.find({ where: { id: In([id]) } });
  await repo.save(variants[0]!);
}
export const softDeleteAll = (ids: string[]) => Promise.all(ids.map((id) => softDelete(id)));
`,
      errors: [{ messageId: 'concurrent', line: 8 }],
    },
    {
      name: 'slonik queries per element, on a pool and on a transaction (also Logto\'s fork)',
      code: `import type { CommonQueryMethods } from '@silverhand/slonik';
import { sql } from 'slonik';
export async function names(pool: CommonQueryMethods, ids: string[]) {
  const out: unknown[] = [];
  for (const id of ids) out.push(await pool.one(sql\`select name from users where id = \${id}\`));
  return out;
}
export const drop = (pool: CommonQueryMethods, ids: string[]) =>
  pool.transaction(async (trx) => Promise.all(ids.map((id) => trx.query(sql\`delete from users where id = \${id}\`))));
`,
      errors: [
        { messageId: 'sequential', line: 5 },
        { messageId: 'concurrent', line: 9 },
      ],
    },
    {
      name: 'a list inside each entry of data is data',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function saveTiers(plans: { tiers: { seats: number }[] }[]) {
  for (const plan of plans) {
    for (const tier of plan.tiers) await pool.query('INSERT INTO tiers(seats) VALUES ($1)', [tier.seats]);
  }
}`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'a query through super.method() of the base service, which the subclass overrides',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
export class CustomerServiceBase {
  constructor(protected readonly prisma: PrismaClient) {}
  async find(id: string) {
    return this.prisma.customer.findFirst({ where: { id } });
  }
}
export class CustomerService extends CustomerServiceBase {
  override async find(id: string) {
    return { id, name: 'cached' };
  }
  async names(ids: string[]) {
    const names: string[] = [];
    for (const id of ids) names.push((await super.find(id))?.name ?? '');
    for (const id of ids) names.push((await this.find(id)).name);
    return names;
  }
}
`,
      errors: [{ messageId: 'sequential', line: 14 }],
    },
    {
      name: 'a client typed through Pick<> or Readonly<> is still the client',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
export class PrismaService extends PrismaClient {}
export class CustomerRepository {
  constructor(private readonly model: Pick<PrismaService, 'customer'>, private readonly db: Readonly<PrismaService>) {}
  async rename(ids: string[]) {
    for (const id of ids) await this.model.customer.update({ where: { id }, data: { name: 'x' } });
    for (const id of ids) await this.db.customer.update({ where: { id }, data: { name: 'y' } });
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 6 },
        { messageId: 'sequential', line: 7 },
      ],
    },
    {
      name: 'an index loop stepping by one with += is per element',
      code: `export async function readAll(keys: string[]) {
  const values: Response[] = [];
  for (let i = 0; i < keys.length; i += 1) values.push(await fetch(\`https://kv.example.com/\${keys[i]}\`, { signal: AbortSignal.timeout(5000) }));
  return values;
}`,
      errors: [{ messageId: 'sequential', line: 3 }],
    },
    {
      name: 'a Prisma client generated to a custom output path (not generated yet), extended by a Nest service',
      code: `// @ts-ignore: \`prisma generate\` writes it
import { PrismaClient } from '../prisma/generated-prisma-client';
export class PrismaService extends PrismaClient {}
export class CustomerService {
  constructor(private readonly prisma: PrismaService) {}
  async names(ids: string[]) {
    const names: string[] = [];
    for (const id of ids) names.push((await this.prisma.customer.findUnique({ where: { id } }))?.name ?? '');
    return names;
  }
}
`,
      errors: [{ messageId: 'sequential', line: 8 }],
    },
    {
      name: 'a connection awaited from a pool or a driver queries per element (pg, mysql2, mongodb, knex)',
      code: `import { Pool } from 'pg';
import mysql from 'mysql2/promise';
import { MongoClient } from 'mongodb';
import knex from 'knex';
const pool = new Pool();
const db = knex({ client: 'pg' });
export async function touch(ids: string[]) {
  const client = await pool.connect();
  const conn = await mysql.createConnection({ host: 'db' });
  const mongo = (await MongoClient.connect('mongodb://db')).db('app');
  const trx = await db.transaction();
  for (const id of ids) {
    await client.query('UPDATE users SET seen = now() WHERE id = $1', [id]);
    await conn.execute('UPDATE users SET seen = now() WHERE id = ?', [id]);
    await mongo.collection('users').updateOne({ id }, { $set: { seen: new Date() } });
    await trx('users').where({ id }).update({ seen: new Date() });
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 13, message: '`client.query` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 14 },
        { messageId: 'sequential', line: 15 },
        { messageId: 'sequential', line: 16 },
      ],
    },
    {
      name: 'a client awaited from a project function or static factory declared to return a promise of it, in another file',
      files: {
        'src/db.ts': `import { Db, MongoClient } from 'mongodb';
const client = new MongoClient('mongodb://db');
export async function getDb(): Promise<Db> {
  await client.connect();
  return client.db('app');
}
export class Users {
  static async open(): Promise<Users> {
    return new Users(await getDb());
  }
  constructor(private readonly db: Db) {}
  byId(id: string) {
    return this.db.collection('users').findOne({ id });
  }
}
`,
      },
      code: `import { getDb, Users } from './db';
export async function names(ids: string[]) {
  const db = await getDb();
  const users = await Users.open();
  for (const id of ids) {
    await db.collection('users').findOne({ id });
    await users.byId(id);
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 6, message: "`db.collection('users').findOne` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader)." },
        { messageId: 'sequential', line: 7, message: "`Users.byId()` performs a database query (`this.db.collection('users').findOne` in src/db.ts) once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).", relatedFiles: ['src/db.ts'] },
      ],
    },
    {
      name: 'a client returned by project helpers with no return type annotation, in another file',
      files: {
        'src/db.ts': `import { MongoClient } from 'mongodb';
import { Pool } from 'pg';
const client = new MongoClient('mongodb://db');
const pool = new Pool();
export async function getDb() {
  await client.connect();
  return client.db('app');
}
export function users() {
  return client.db('app').collection('users');
}
export const getPool = () => pool;
export class Orders {
  static async open() {
    return new Orders();
  }
  byId(id: string) {
    return pool.query('SELECT * FROM orders WHERE id = $1', [id]);
  }
}
`,
      },
      code: `import { getDb, getPool, Orders, users } from './db';
export async function touch(ids: string[]) {
  const db = await getDb();
  const orders = await Orders.open();
  for (const id of ids) {
    await db.collection('users').findOne({ id });
    await users().findOne({ id });
    await getPool().query('SELECT 1 WHERE $1', [id]);
    await orders.byId(id);
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 6 },
        { messageId: 'sequential', line: 7 },
        { messageId: 'sequential', line: 8 },
        { messageId: 'sequential', line: 9, relatedFiles: ['src/db.ts'] },
      ],
    },
    {
      name: 'Supabase, DynamoDB, other AWS SDK clients, Firestore and Elasticsearch per element',
      code: `import { createClient } from '@supabase/supabase-js';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import admin from 'firebase-admin';
import { doc, getDoc, getFirestore } from 'firebase/firestore';
import { Client } from '@elastic/elasticsearch';
const supabase = createClient('https://x.supabase.co', 'key');
const ddb = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(ddb);
const s3 = new S3Client({});
const web = getFirestore();
const search = new Client({ node: 'http://search:9200' });
export async function load(ids: string[]) {
  for (const id of ids) {
    await supabase.from('users').select('*').eq('id', id).single();
    await ddb.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: id } } }));
    await documents.send(new GetCommand({ TableName: 'users', Key: { id } }));
    await s3.send(new GetObjectCommand({ Bucket: 'avatars', Key: id }));
    await admin.firestore().collection('users').doc(id).get();
    await getDoc(doc(web, 'users', id));
    await search.get({ index: 'users', id });
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 16, message: '`supabase.from` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 17 },
        { messageId: 'sequential', line: 18 },
        { messageId: 'sequential', line: 19, message: '`s3.send` performs an HTTP request once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 20 },
        { messageId: 'sequential', line: 21 },
        { messageId: 'sequential', line: 22 },
      ],
    },
    {
      name: 'MikroORM: an injected EntityManager, a repository, and the manager of an awaited MikroORM.init()',
      code: `import { EntityManager, EntityRepository, MikroORM } from '@mikro-orm/core';
class User { id!: string }
export class Users {
  constructor(private readonly em: EntityManager, private readonly users: EntityRepository<User>) {}
  async touch(ids: string[]) {
    const orm = await MikroORM.init({});
    for (const id of ids) {
      await this.em.findOne(User, { id });
      await this.users.nativeUpdate({ id }, { id });
      await orm.em.fork().find(User, { id });
    }
    await this.em.upsertMany(User, ids.map((id) => ({ id })));
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 8, message: '`this.em.findOne` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 9 },
        { messageId: 'sequential', line: 10 },
      ],
    },
    {
      name: 'SQL sent by a template tag per element: postgres.js, Neon, Vercel Postgres, Prisma raw queries, and a helper that uses one',
      ...prismaProject,
      code: `import postgres from 'postgres';
import { neon } from '@neondatabase/serverless';
import { sql as vercelSql, createPool } from '@vercel/postgres';
import { PrismaClient } from '@prisma/client';
const sql = postgres('postgres://db/app');
const neonSql = neon('postgres://db/app');
const pool = createPool();
const prisma = new PrismaClient();
async function userById(id: string) {
  const [user] = await sql\`SELECT * FROM users WHERE id = \${id}\`;
  return user;
}
export async function load(ids: string[]) {
  for (const id of ids) {
    await sql\`SELECT * FROM users WHERE id = \${id}\`;
    await neonSql\`SELECT * FROM users WHERE id = \${id}\`;
    await vercelSql\`SELECT * FROM users WHERE id = \${id}\`;
    await pool.sql\`SELECT * FROM users WHERE id = \${id}\`;
    await prisma.$queryRaw\`SELECT * FROM users WHERE id = \${id}\`;
    await userById(id);
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 15, message: '`sql` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 16 },
        { messageId: 'sequential', line: 17 },
        { messageId: 'sequential', line: 18 },
        { messageId: 'sequential', line: 19 },
        { messageId: 'sequential', line: 20, message: '`userById()` performs a database query (`sql` in src/main.ts) once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
      ],
    },
    {
      name: 'the client a transaction calls back with: TypeORM, Knex, Drizzle, Kysely, MikroORM and Prisma',
      code: `import { DataSource } from 'typeorm';
import knex from 'knex';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Kysely } from 'kysely';
import { MikroORM } from '@mikro-orm/core';
import { PrismaClient } from '@prisma/client';
const dataSource = new DataSource({ type: 'postgres' });
const db = knex({ client: 'pg' });
const orm = drizzle('postgres://db/app');
const kysely = new Kysely<any>({} as any);
const prisma = new PrismaClient();
export async function touch(ids: string[], mikro: MikroORM) {
  await dataSource.transaction('SERIALIZABLE', async (manager) => {
    for (const id of ids) await manager.findOneBy('User', { id });
  });
  await db.transaction(async (trx) => {
    for (const id of ids) await trx('users').where({ id }).update({ seen: true });
  });
  await orm.transaction(async (tx) => {
    for (const id of ids) await tx.query.users.findFirst({ where: { id } });
  });
  await kysely.transaction().execute(async (trx) => {
    for (const id of ids) await trx.selectFrom('users').where('id', '=', id).executeTakeFirst();
  });
  await mikro.em.transactional(async (em) => {
    for (const id of ids) await em.findOne('User', { id });
  });
  await prisma.$transaction(async (client) => {
    for (const id of ids) await client.user.findFirst({ where: { id } });
  });
}
`,
      errors: [
        { messageId: 'sequential', line: 14, message: '`manager.findOneBy` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 17 },
        { messageId: 'sequential', line: 20 },
        { messageId: 'sequential', line: 23 },
        { messageId: 'sequential', line: 26 },
        { messageId: 'sequential', line: 29 },
      ],
    },
    {
      name: 'a transaction method of a project class calls back with a client named like one (the Prisma-shaped call)',
      code: `export class Store {
  async transaction<T>(work: (tx: any) => Promise<T>): Promise<T> {
    return work(this);
  }
}
export async function touch(store: Store, ids: string[]) {
  await store.transaction(async (tx) => {
    for (const id of ids) await tx.user.update({ where: { id }, data: {} });
  });
}
`,
      errors: [{ messageId: 'sequential', line: 8 }],
    },
    {
      name: 'callbacks of Array.from, p-map and Bluebird run per element, and the message names what calls them',
      code: `import pMap from 'p-map';
import Bluebird from 'bluebird';
export async function load(ids: Set<string>) {
  await Promise.all(Array.from(ids, (id) => fetch(\`/users/\${id}\`, { signal: AbortSignal.timeout(2000) })));
  await pMap(ids, (id) => fetch(\`/users/\${id}\`, { signal: AbortSignal.timeout(2000) }), { concurrency: 4 });
  await Bluebird.map([...ids], (id) => fetch(\`/users/\${id}\`, { signal: AbortSignal.timeout(2000) }));
}
`,
      errors: [
        { messageId: 'concurrent', line: 4, message: '`fetch` performs an HTTP request once per element of `ids` (inside Array.from()): concurrent, but still N round trips. Load them in one batched call (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 5, message: '`fetch` performs an HTTP request once per element of `ids` (inside pMap()): concurrent, but still N round trips. Load them in one batched call (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 6, message: '`fetch` performs an HTTP request once per element of `[...ids]` (inside Bluebird.map()): concurrent, but still N round trips. Load them in one batched call (an IN query, a batch endpoint or a DataLoader).' },
      ],
    },
    {
      name: 'a while loop over an index bounded by the collection, and a do-while',
      code: `export async function load(ids: string[]) {
  let i = 0;
  while (i < ids.length) {
    await fetch(\`/users/\${ids[i]}\`, { signal: AbortSignal.timeout(2000) });
    i++;
  }
  let j = 0;
  do {
    await fetch(\`/teams/\${ids[j]}\`, { signal: AbortSignal.timeout(2000) });
    j++;
  } while (j < ids.length);
}
`,
      errors: [
        { messageId: 'sequential', line: 4, message: '`fetch` performs an HTTP request once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 9 },
      ],
    },
    {
      name: 'superagent requests per element, on the default client and on an agent',
      code: `import superagent from 'superagent';
const agent = superagent.agent();
export async function load(ids: string[]) {
  for (const id of ids) await superagent.get(\`/users/\${id}\`).timeout(1000);
  return Promise.all(ids.map((id) => agent.get(\`/teams/\${id}\`).timeout(1000)));
}
`,
      errors: [
        { messageId: 'sequential', line: 4, message: '`superagent.get` performs an HTTP request once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 5 },
      ],
    },
    {
      name: 'index loops written other ways: counting down, a pre-incremented index, the length in a const, the bound on the left',
      code: `export async function load(ids: string[]) {
  for (let i = ids.length - 1; i >= 0; i--) await fetch(\`/a/\${ids[i]}\`, { signal: AbortSignal.timeout(2000) });
  let j = -1;
  while (++j < ids.length) await fetch(\`/b/\${ids[j]}\`, { signal: AbortSignal.timeout(2000) });
  const n = ids.length;
  for (let k = 0; k < n; k++) await fetch(\`/c/\${ids[k]}\`, { signal: AbortSignal.timeout(2000) });
  for (let m = 0; ids.length > m; m++) await fetch(\`/d/\${ids[m]}\`, { signal: AbortSignal.timeout(2000) });
}
`,
      errors: [
        { messageId: 'sequential', line: 2, message: '`fetch` performs an HTTP request once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 4 },
        { messageId: 'sequential', line: 6 },
        { messageId: 'sequential', line: 7 },
      ],
    },
    {
      name: 'Knex builders that run: awaited together by Promise.all, returned from an async callback, or then-ed',
      code: `import type { Knex } from 'knex';
export function rows(db: Knex, ids: string[]) {
  return Promise.all(ids.map((id) => db('users').where({ id }).first()));
}
export function touched(db: Knex, ids: string[]) {
  return ids.map(async (id) => db('users').where({ id }).update({ seen: new Date() }));
}
export function logged(db: Knex, ids: string[]) {
  ids.forEach((id) => db('users').where({ id }).first().then((row) => console.log(row)));
}`,
      errors: [
        { messageId: 'concurrent', line: 3 },
        { messageId: 'concurrent', line: 6 },
        { messageId: 'concurrent', line: 9 },
      ],
    },
    {
      name: 'a chain that starts with the round trip uses the element further on (a Knex instance called with a table)',
      code: `import type { Knex } from 'knex';
export async function first(db: Knex, ids: string[]) {
  for (const id of ids) await db('users').where({ id }).first();
}
`,
      errors: [{ messageId: 'sequential', line: 3 }],
    },
    {
      name: 'a Prisma-style client typed by an interface declared in another project file',
      files: DECLARED_DB,
      code: `import type { Database } from './db';
export async function names(db: Database, ids: string[]) {
  const out: string[] = [];
  for (const id of ids) {
    const user = await db.user.findFirst({ where: { id } });
    if (user) out.push(user.name);
  }
  return out;
}
`,
      errors: [{ messageId: 'sequential', line: 5, message: '`db.user.findFirst` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' }],
    },
    {
      name: 'a typed database client under any name: its declared delegate method returns a Promise',
      files: DECLARED_DB,
      code: `import { store } from './db';
export async function names(ids: string[]) {
  return Promise.all(ids.map((id) => store.user.findFirst({ where: { id } })));
}
`,
      errors: [{ messageId: 'concurrent', line: 3 }],
    },
    {
      name: 'the message shows a call written over several lines, or with a cast, as it reads',
      files: DECLARED_DB,
      code: `import { store, type Database } from './db';
export async function names(ids: string[]) {
  for (const id of ids) {
    await store
      .user
      .findFirst({ where: { id } });
    await (store satisfies Database).user.findFirst({ where: { id } });
  }
}
`,
      errors: [
        { messageId: 'sequential', line: 4, message: '`store.user.findFirst` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 7, message: '`(store satisfies Database).user.findFirst` performs a database query once per element of `ids`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
      ],
    },
    {
      name: 'a Prisma-style client typed by a type alias of an object type, in the same file',
      code: `interface User { id: string; name: string }
type Db = { user: { findFirst(args: { where: { id?: string } }): Promise<User | null> } };
export async function names(ctx: { db: Db }, ids: string[]) {
  for (const id of ids) await ctx.db.user.findFirst({ where: { id } });
}
`,
      errors: [{ messageId: 'sequential', line: 4 }],
    },
    {
      name: 'an await per element on a function that fetches in another file (the shop fixture)',
      files: { 'src/clients/inventory.ts': INVENTORY_CLIENT },
      code: `import { getStock } from './clients/inventory';
export async function check(lines: { sku: string; quantity: number }[]) {
  for (const line of lines) {
    const stock = await getStock(line.sku);
    if (stock.available < line.quantity) throw new Error(line.sku);
  }
}
`,
      errors: [
        {
          messageId: 'sequential',
          line: 4,
          message:
            '`getStock()` performs an HTTP request (`fetch` in src/clients/inventory.ts) once per element of `lines`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).',
          relatedFiles: ['src/clients/inventory.ts'],
        },
      ],
      output: null,
    },
    {
      name: 'through a barrel that re-exports the import, and a module re-exported as a namespace',
      files: {
        'src/clients/inventory.ts': INVENTORY_CLIENT,
        'src/clients/index.ts': `import { getStock } from './inventory';\nexport * as inventory from './inventory';\nexport { getStock };\n`,
      },
      code: `import { getStock, inventory } from './clients';
export async function check(skus: string[]) {
  for (const sku of skus) await getStock(sku);
  return Promise.all(skus.map((sku) => inventory.getStock(sku)));
}
`,
      errors: [
        { messageId: 'sequential', line: 3, relatedFiles: ['src/clients/inventory.ts'] },
        { messageId: 'concurrent', line: 4, relatedFiles: ['src/clients/inventory.ts'] },
      ],
      output: null,
    },
    {
      name: 'a Prisma lookup per element is hoisted into one findMany and a Map',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function customerNames(orders: { id: string; customerId: string }[]) {
  const names: string[] = [];
  for (const order of orders) {
    const customer = await prisma.customer.findFirst({ where: { id: order.customerId } });
    if (customer) names.push(customer.name);
  }
  return names;
}
`,
      errors: [{ messageId: 'sequential', line: 6 }],
      output: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function customerNames(orders: { id: string; customerId: string }[]) {
  const names: string[] = [];
  const customerRows = await prisma.customer.findMany({ where: { id: { in: orders.map((order) => order.customerId) } } });
  const customerById = new Map(customerRows.map((row) => [row.id, row] as const));
  for (const order of orders) {
    const customer = customerById.get(order.customerId) ?? null;
    if (customer) names.push(customer.name);
  }
  return names;
}
`,
    },
    {
      name: 'no hoisted query when the key is awaited: the keys are mapped in a callback that is not async',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
const customerIdOf = async (orderId: string) => orderId;
export async function customerNames(orders: { id: string }[]) {
  const names: string[] = [];
  for (const order of orders) {
    const customer = await prisma.customer.findFirst({ where: { id: await customerIdOf(order.id) } });
    if (customer) names.push(customer.name);
  }
  return names;
}
`,
      errors: [{ messageId: 'sequential', line: 7 }],
      output: null,
    },
    {
      name: 'findUnique awaited one after another is not batched: reported, and hoisted',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function load(ids: string[]) {
  const found = [];
  for (const id of ids) found.push(await prisma.customer.findUnique({ where: { id: id } }));
  return found;
}
`,
      errors: [{ messageId: 'sequential', line: 5 }],
      output: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function load(ids: string[]) {
  const found = [];
  const rowRows = await prisma.customer.findMany({ where: { id: { in: Array.from(ids) } } });
  const rowById = new Map(rowRows.map((row) => [row.id, row] as const));
  for (const id of ids) found.push(rowById.get(id) ?? null);
  return found;
}
`,
    },
    {
      name: 'a list per element (findMany by foreign key) is grouped by key',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function threads(posts: { id: string }[]) {
  const counts: number[] = [];
  for (const post of posts) {
    const comments = await prisma.comment.findMany({ where: { postId: post.id } });
    counts.push(comments.length);
  }
  return counts;
}
`,
      errors: [{ messageId: 'sequential', line: 6 }],
      output: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function threads(posts: { id: string }[]) {
  const counts: number[] = [];
  const commentsRows = await prisma.comment.findMany({ where: { postId: { in: posts.map((post) => post.id) } } });
  const commentsByPostId = new Map<string, typeof commentsRows>();
  for (const row of commentsRows) {
    const group = commentsByPostId.get(row.postId);
    if (group) group.push(row);
    else commentsByPostId.set(row.postId, [row]);
  }
  for (const post of posts) {
    const comments = commentsByPostId.get(post.id) ?? [];
    counts.push(comments.length);
  }
  return counts;
}
`,
    },
    {
      name: 'a TypeORM repository injected into a service: findOneBy({ id }) becomes findBy with In',
      ...typeormProject,
      code: `import { Repository } from 'typeorm';
export interface User { id: string; email: string }
export class UsersService {
  constructor(private readonly users: Repository<User>) {}
  async emails(ids: string[]) {
    const out: string[] = [];
    for (const id of ids) {
      const user = await this.users.findOneBy({ id });
      if (user) out.push(user.email);
    }
    return out;
  }
}
`,
      errors: [{ messageId: 'sequential', line: 8 }],
      output: `import { Repository, In } from 'typeorm';
export interface User { id: string; email: string }
export class UsersService {
  constructor(private readonly users: Repository<User>) {}
  async emails(ids: string[]) {
    const out: string[] = [];
    const userRows = await this.users.findBy({ id: In(Array.from(ids)) });
    const userById = new Map(userRows.map((row) => [row.id, row] as const));
    for (const id of ids) {
      const user = userById.get(id) ?? null;
      if (user) out.push(user.email);
    }
    return out;
  }
}
`,
    },
    {
      name: 'TypeORM findOneBy with an explicit key is rewritten, adding In to the import',
      ...typeormProject,
      code: `import { Repository } from 'typeorm';
export interface User { id: string; email: string }
export class UsersService {
  constructor(private readonly users: Repository<User>) {}
  async emails(posts: { authorId: string }[]) {
    const out: string[] = [];
    for (const post of posts) {
      const user = await this.users.findOneBy({ id: post.authorId });
      if (user) out.push(user.email);
    }
    return out;
  }
}
`,
      errors: [{ messageId: 'sequential', line: 8 }],
      output: `import { Repository, In } from 'typeorm';
export interface User { id: string; email: string }
export class UsersService {
  constructor(private readonly users: Repository<User>) {}
  async emails(posts: { authorId: string }[]) {
    const out: string[] = [];
    const userRows = await this.users.findBy({ id: In(posts.map((post) => post.authorId)) });
    const userById = new Map(userRows.map((row) => [row.id, row] as const));
    for (const post of posts) {
      const user = userById.get(post.authorId) ?? null;
      if (user) out.push(user.email);
    }
    return out;
  }
}
`,
    },
    {
      name: 'Promise.all over items.map with axios: concurrent, still N requests',
      code: `import axios from 'axios';
export async function profiles(ids: string[]) {
  return Promise.all(ids.map((id) => axios.get(\`https://users.example/\${id}\`, { timeout: 1000 })));
}
`,
      errors: [
        {
          messageId: 'concurrent',
          line: 3,
          message:
            '`axios.get` performs an HTTP request once per element of `ids` (inside .map()): concurrent, but still N round trips. Load them in one batched call (an IN query, a batch endpoint or a DataLoader).',
        },
      ],
      output: null,
    },
    {
      name: 'the same helper with the option that makes it query, or options it cannot know',
      files: { 'src/presenters.ts': PRESENTERS },
      code: `import { present, internalId, type Doc } from './presenters';
export async function list(docs: Doc[], options: { withAuthor?: boolean }, teamId: string) {
  for (const doc of docs) await present(doc, { withAuthor: true });
  for (const doc of docs) await present(doc, options);
  for (const doc of docs) await internalId(doc.id, {}, teamId);
}`,
      errors: [
        { messageId: 'sequential', line: 3, message: '`present()` performs a database query (`pool.query` in src/presenters.ts) once per element of `docs`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 4 },
        { messageId: 'sequential', line: 5 },
      ],
      output: null,
    },
    {
      name: 'a helper that reassigns its options, or queries on another path too, is reported',
      files: { 'src/presenters.ts': PRESENTERS },
      code: `import { audited, logged, type Doc } from './presenters';
export async function list(docs: Doc[]) {
  for (const doc of docs) await audited(doc);
  for (const doc of docs) await logged(doc);
}`,
      errors: [
        { messageId: 'sequential', line: 3 },
        { messageId: 'sequential', line: 4, message: '`logged()` performs an HTTP request (`fetch` in src/presenters.ts) once per element of `docs`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
      ],
      output: null,
    },
    {
      name: 'a chain across three files: controller → service → repository (TypeORM)',
      ...typeormProject,
      files: {
        ...TYPEORM,
        'src/users/user.repository.ts': `import { Repository } from 'typeorm';
export interface User { id: string; email: string }
export class UserRepository {
  constructor(private readonly repo: Repository<User>) {}
  byEmail(email: string) {
    return this.repo.find({ where: { email } });
  }
}
`,
        'src/users/users.service.ts': `import { UserRepository } from './user.repository';
export class UsersService {
  constructor(private readonly users: UserRepository) {}
  async exists(email: string) {
    const found = await this.users.byEmail(email.toLowerCase());
    return found.length > 0;
  }
}
`,
      },
      code: `import { UsersService } from './users/users.service';
export class InviteController {
  constructor(private readonly users: UsersService) {}
  async invite(emails: string[]) {
    const fresh: string[] = [];
    for (const email of emails) if (!(await this.users.exists(email))) fresh.push(email);
    return fresh;
  }
}
`,
      errors: [
        {
          messageId: 'sequential',
          line: 6,
          message:
            '`UsersService.exists()` performs a database query (`this.repo.find` in src/users/user.repository.ts, through UserRepository.byEmail()) once per element of `emails`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).',
          relatedFiles: ['src/users/users.service.ts', 'src/users/user.repository.ts'],
        },
      ],
    },
    {
      name: 'forEach with an async callback and a Mongoose model',
      code: `import mongoose from 'mongoose';
const Order = mongoose.model('Order');
export function touch(ids: string[]) {
  ids.forEach(async (id) => {
    await Order.updateOne({ _id: id }, { touchedAt: new Date() });
  });
}
`,
      errors: [{ messageId: 'concurrent', line: 5 }],
    },
    {
      name: 'awaited one by one, node-redis and Upstash commands are N round trips; ioredis does not pipeline by default',
      code: `import { createClient } from 'redis';
import { Redis } from '@upstash/redis';
import IORedis from 'ioredis';
const client = await createClient().connect();
const upstash = Redis.fromEnv();
const ioredis = new IORedis();
export async function teams(ids: string[]) {
  const found = [];
  for (const id of ids) found.push(await client.get(\`team:\${id}\`));
  for (const id of ids) found.push(await upstash.get(id));
  return [found, await Promise.all(ids.map((id) => ioredis.get(id)))];
}
`,
      errors: [
        { messageId: 'sequential', line: 9, message: '\`client.get\` performs a Redis command once per element of \`ids\`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 10 },
        { messageId: 'concurrent', line: 11 },
      ],
    },
    {
      name: 'a store declared in the helper, or a guard that answers something else, does not spare the round trip',
      code: `import Redis from 'ioredis';
const redis = new Redis();
const settings = { disabled: false, reads: 0 };
async function service(name: string) {
  const local: Record<string, string> = {};
  if (local[name]) return local[name];
  local[name] = (await redis.get(name)) ?? '';
  return local[name];
}
async function lookup(name: string) {
  if (settings.disabled) return null;
  settings.reads = settings.reads + 1;
  return redis.get(name);
}
export async function describe(names: string[]) {
  for (const name of names) {
    await service(name);
    await lookup(name);
  }
}`,
      errors: [
        { messageId: 'sequential', line: 17 },
        { messageId: 'sequential', line: 18 },
      ],
    },
    {
      name: 'a model typed by an interface extending mongoose Model, reached through a destructured context parameter',
      code: `import { Document, Model } from 'mongoose';
interface IUserDocument extends Document { email: string }
interface IUserModel extends Model<IUserDocument> { getUser(id: string): Promise<IUserDocument> }
interface IContext { models: { Users: IUserModel } }
export async function emails(ids: string[], { models }: IContext, { models: { Users } }: IContext) {
  for (const id of ids) await models.Users.findOne({ _id: id });
  for (const id of ids) await Users.countDocuments({ _id: id });
}`,
      errors: [
        { messageId: 'sequential', line: 6, message: '\`models.Users.findOne\` performs a database query once per element of \`ids\`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 7 },
      ],
    },
    {
      name: 'a client typed Awaited<ReturnType<typeof connectDb>> in another file is what connectDb returns',
      files: {
        'src/client.ts': `import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
export const db = drizzle(new Pool());
export const connectDb = async () => {
  return db;
};
export type Database = Awaited<ReturnType<typeof connectDb>>;
`,
      },
      code: `import { eq } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import type { Database } from './client';
const members = pgTable('members', { teamId: text('team_id'), userId: text('user_id') });
export async function owners(db: Database, teamIds: string[]) {
  const out = [];
  for (const teamId of teamIds) out.push(await db.select().from(members).where(eq(members.teamId, teamId)).limit(1));
  return out;
}`,
      errors: [{ messageId: 'sequential', line: 7 }],
    },
    {
      name: 'an object that gains keys, or a test of a variable the branch does not set or that each element declares anew, is per element',
      code: `import { MongoClient } from 'mongodb';
const db = new MongoClient('mongodb://db').db();
const COLLECTIONS: Record<string, string> = { deals: 'deals' };
export function register(name: string) {
  COLLECTIONS[name] = name;
}
export async function migrate(docs: { id: string; parentId?: string }[]) {
  for (const type of Object.keys(COLLECTIONS)) await db.collection('fields').find({ type }).toArray();
  let seen = '';
  for (const doc of docs) {
    if (!seen) await db.collection('log').insertOne({ id: doc.id });
    let parentId = doc.parentId;
    if (!parentId) {
      await db.collection('transactions').insertOne({ id: doc.id });
      parentId = doc.id;
    }
  }
}`,
      errors: [
        { messageId: 'sequential', line: 8 },
        { messageId: 'sequential', line: 11 },
        { messageId: 'sequential', line: 14 },
      ],
    },
    {
      name: 'review cases: a call before the cache guard, a Knex builder pushed then awaited together, a flag reset each time, keys added with ??=, a Set grown by add',
      code: `import Redis from 'ioredis';
import knex from 'knex';
import { MongoClient } from 'mongodb';
const redis = new Redis();
const db = knex({ client: 'pg' });
const mongo = new MongoClient('mongodb://db').db();
const cache = new Map<string, string>();
async function getUser(id: string) {
  await redis.set(\`audit:\${id}\`, Date.now().toString());
  const hit = cache.get(id);
  if (hit) return hit;
  const value = (await redis.get(\`user:\${id}\`)) ?? '';
  cache.set(id, value);
  return value;
}
export async function all(ids: string[], items: { owner: string; name: string }[]) {
  for (const id of ids) await getUser(id);
  const pending: Promise<unknown>[] = [];
  for (const id of ids) pending.push(db('users').where({ id }).update({ seen: true }));
  await Promise.all(pending);
  let saved: unknown;
  for (const id of ids) {
    if (!saved) saved = await mongo.collection('docs').insertOne({ id });
    saved = undefined;
  }
  const groups: Record<string, string[]> = {};
  for (const item of items) (groups[item.owner] ??= []).push(item.name);
  for (const owner of Object.keys(groups)) await mongo.collection('groups').insertOne({ owner });
  const seen = new Set<string>(['root']);
  for (const item of items) seen.add(item.owner);
  for (const owner of seen) await mongo.collection('owners').deleteOne({ owner });
}`,
      errors: [
        { messageId: 'sequential', line: 17 },
        { messageId: 'concurrent', line: 19 },
        { messageId: 'sequential', line: 23 },
        { messageId: 'sequential', line: 28 },
        { messageId: 'sequential', line: 31 },
      ],
    },
    {
      name: 'tRPC procedures awaited one by one are a request each; called together, httpBatchLink sends one',
      code: `import { createTRPCClient, httpBatchLink } from '@trpc/client';
type AppRouter = any;
const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: 'http://api/trpc' })] });
export async function names(ids: string[]) {
  const out = [];
  for (const id of ids) out.push(await trpc.user.byId.query({ id }));
  await Promise.all(ids.map((id) => trpc.admin.user.touch.mutate({ id })));
  return out;
}`,
      errors: [{ messageId: 'sequential', line: 6, message: '\`trpc.user.byId.query\` performs an HTTP request once per element of \`ids\`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' }],
    },
    {
      name: "Google API resources (googleapis and @googleapis/*) and Microsoft Graph requests, one per element",
      code: `import { google } from 'googleapis';
import type { gmail_v1 } from '@googleapis/gmail';
import { Client } from '@microsoft/microsoft-graph-client';
const calendar = google.calendar({ version: 'v3' });
export async function sync(gmail: gmail_v1.Gmail, graph: Client, ids: string[], calendars: string[]) {
  const messages = await Promise.all(ids.map((id) => gmail.users.messages.get({ userId: 'me', id })));
  for (const calendarId of calendars) await calendar.events.list({ calendarId });
  for (const id of ids) await graph.api(\`/me/messages/\${id}\`).select('subject').get();
  return messages;
}`,
      errors: [
        { messageId: 'concurrent', line: 6, message: '\`gmail.users.messages.get\` performs an HTTP request once per element of \`ids\` (inside .map()): concurrent, but still N round trips. Load them in one batched call (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'sequential', line: 7 },
        { messageId: 'sequential', line: 8 },
      ],
    },
    {
      name: 'Octokit: a REST method, request() and graphql() per element',
      code: `import { Octokit } from '@octokit/rest';
export class GitHubService {
  constructor(private readonly octokit: Octokit) {}
  async sync(owner: string, repos: string[], numbers: number[]) {
    for (const repo of repos) await this.octokit.rest.repos.listForOrg({ org: repo });
    await Promise.all(numbers.map((pull_number) => this.octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo: 'x', pull_number })));
    for (const n of numbers) await this.octokit.graphql('query { viewer { login } }', { n });
    for (const n of numbers) await this.octokit.issues.get({ owner, repo: 'x', issue_number: n });
  }
}`,
      errors: [
        { messageId: 'sequential', line: 5, message: '\`this.octokit.rest.repos.listForOrg\` performs an HTTP request once per element of \`repos\`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).' },
        { messageId: 'concurrent', line: 6 },
        { messageId: 'sequential', line: 7 },
        { messageId: 'sequential', line: 8 },
      ],
    },
    {
      name: "Octokit: an app's installation client, awaited, pages through issues per repository",
      code: `import { App } from '@octokit/app';
export async function issues(app: App, installationId: number, repos: string[]) {
  const octokit = await app.getInstallationOctokit(installationId);
  const all = [];
  for (const repo of repos) all.push(...(await octokit.paginate('GET /repos/{owner}/{repo}/issues', { owner: 'o', repo })));
  return all;
}`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'clients typed through a namespace import (mongo.Db, MicrosoftGraph.Client), and Octokit paginate.iterator per element',
      code: `import * as mongo from 'mongodb';
import * as MicrosoftGraph from '@microsoft/microsoft-graph-client';
import { Octokit } from 'octokit';
export async function load(db: mongo.Db, graph: MicrosoftGraph.Client, octokit: Octokit, ids: string[], repos: string[]) {
  for (const id of ids) await db.collection('users').findOne({ id });
  for (const id of ids) await graph.api(\`/users/\${id}\`).get();
  for (const repo of repos) for await (const page of octokit.paginate.iterator('GET /repos/{owner}/{repo}/issues', { owner: 'o', repo })) void page;
}`,
      errors: [
        { messageId: 'sequential', line: 5 },
        { messageId: 'sequential', line: 6 },
        { messageId: 'sequential', line: 7 },
      ],
    },
    {
      name: 'a queue drained one item at a time with Redis',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function drain(queue: string[]) {
  const values: (string | null)[] = [];
  while (queue.length > 0) {
    const key = queue.shift();
    if (key) values.push(await redis.get(key));
  }
  return values;
}
`,
      errors: [{ messageId: 'sequential', line: 7 }],
    },
    {
      name: 'an index loop over an array with pg',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function names(ids: number[]) {
  const rows = [];
  for (let i = 0; i < ids.length; i++) rows.push(await pool.query('SELECT name FROM users WHERE id = $1', [ids[i]]));
  return rows;
}
`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'a knex chain is reported once, at the query that starts it',
      code: `import knex from 'knex';
const db = knex({ client: 'pg' });
export async function lookup(ids: number[]) {
  for (const id of ids) await db('users').where({ id }).first();
}
`,
      errors: [{ messageId: 'sequential', line: 4 }],
    },
    {
      name: 'a Prisma client reached through a GraphQL context, in a loop started without await',
      code: `interface Context { prisma: { customer: { update(args: { where: { id: string }; data: { seen: boolean } }): Promise<unknown> } } }
export function markSeen(ctx: Context, ids: string[]) {
  const pending: Promise<unknown>[] = [];
  for (const id of ids) pending.push(ctx.prisma.customer.update({ where: { id }, data: { seen: true } }));
  return Promise.all(pending);
}
`,
      errors: [{ messageId: 'concurrent', line: 4 }],
    },
    {
      name: 'test files are checked when checkTests is on',
      filename: 'src/__tests__/users.test.ts',
      options: { checkTests: true },
      code: SEED_USERS,
      errors: [{ messageId: 'sequential', line: 4 }],
    },
    {
      name: 'a file whose name only starts like a seed script is checked',
      filename: 'src/seeding-progress.ts',
      code: SEED_USERS,
      errors: [{ messageId: 'sequential', line: 4 }],
    },
    {
      name: 'a wallet\'s seed-phrase module is checked',
      filename: 'src/wallet/seed-phrase.ts',
      code: SEED_USERS,
      errors: [{ messageId: 'sequential', line: 4 }],
    },
    {
      name: 'a migration wizard feature is checked',
      filename: 'src/features/migration-wizard/import.ts',
      code: SEED_USERS,
      errors: [{ messageId: 'sequential', line: 4 }],
    },
    {
      name: 'ignorePaths can be emptied to check migrations too',
      filename: 'src/migrations/1700000000000-seed-users.ts',
      options: { ignorePaths: [] },
      code: SEED_USERS,
      errors: [{ messageId: 'sequential', line: 4 }],
    },
    {
      name: 'a const list that starts empty and is filled at run time is data, not a fixed list',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function backfill(days: number) {
  const periods: number[] = [];
  for (let d = 0; d < days; d++) periods.push(d);
  for (const period of periods) await pool.query('SELECT backfill_day($1)', [period]);
}
`,
      errors: [{ messageId: 'sequential', line: 6 }],
    },
    {
      name: 'a module-level list written with elements is data once something pushes to it (not another list of a longer name)',
      code: `import { Pool } from 'pg';
const pool = new Pool();
const tenants = ['default'];
const regions = ['eu', 'us'];
const subregions: string[] = [];
export function register(tenant: string) {
  tenants .push(tenant);
  subregions.push(tenant);
}
export async function migrateAll() {
  for (const tenant of tenants) await pool.query('SELECT migrate($1)', [tenant]);
  for (const region of regions) await pool.query('SELECT migrate_region($1)', [region]);
}
`,
      errors: [{ messageId: 'sequential', line: 11 }],
    },
    {
      name: 'a validation exit (if (!row) return) does not make a loop a search',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function allExist(ids: string[]) {
  for (const id of ids) {
    const customer = await prisma.customer.findFirst({ where: { id } });
    if (!customer) return false;
  }
  return true;
}
`,
      errors: [{ messageId: 'sequential', line: 5 }],
    },
    {
      name: 'no rewrite when the key comes from a local computed inside the loop',
      ...prismaProject,
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function load(refs: string[]) {
  for (const ref of refs) {
    const id = ref.split(':')[1] ?? '';
    await prisma.customer.findFirst({ where: { id } });
  }
}
`,
      errors: [{ messageId: 'sequential', line: 6 }],
      output: null,
    },
  ],
});
