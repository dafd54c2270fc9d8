import { ts } from 'ts-morph';
import { argumentsOf, calleeOf, isChainLink, type CallSite } from './callSites';
import { skipOuterExpressions } from './localDeclarations';
import { builderMayRun } from './lazyBuilders';

// Which calls on values that come from a data-access or network package issue a round
// trip. A value is tracked by the package it comes from and the member path walked from
// there (`prisma.user.findMany` → '@prisma/client', ['user', 'findMany']); the method at
// the end of the path decides. Knowledge of libraries lives here and nowhere else.

/** A call in a member path: `db.collection('x').find` → ['collection', CALL, 'find']. */
export const CALL = '()';
/** An `await` in a member path: `(await pool.connect()).query` → ['connect', CALL, AWAIT, 'query']. */
export const AWAIT = '(await)';
/** The first parameter of a callback a method is given: `ds.transaction(async (manager) => ...)` → ['transaction', CALLBACK]. */
export const CALLBACK = '(callback)';
/** One element of what the path before it holds: `for (const user of await User.findAll())` → ['findAll', CALL, AWAIT, ELEMENT]. */
export const ELEMENT = '(element)';
/** Lists of the elements of what the path before it holds, whose element is such a list: `groupBy(users, 'teamId')` → [..., GROUPS] (valueTrace folds GROUPS, ELEMENT away). */
export const GROUPS = '(groups)';
const LIST_METHODS = new Set(['filter', 'slice', 'sort', 'reverse', 'toSorted', 'toReversed']);
const ELEMENT_METHODS = new Set(['find', 'findLast', 'at', 'pop', 'shift']);

/** What a list's own method returns of its elements: a list of them (`filter`), one of them (`find`), or neither. */
export function listMethodResult(method: string): 'list' | 'element' | undefined {
  return LIST_METHODS.has(method) ? 'list' : ELEMENT_METHODS.has(method) ? 'element' : undefined;
}

/** How a single call's round trips combine when it is issued once per item. */
export type Batching =
  /** One round trip per call. */
  | 'none'
  /** The client merges calls issued in the same tick (Prisma findUnique): concurrent calls batch, awaited ones do not. */
  | 'sameTick'
  /** The call already loads a whole list of keys (`in: ids`, `In(ids)`, `$in`, `whereIn`, `mget`). */
  | 'list';

export type IoKind = 'database query' | 'HTTP request' | 'Redis command' | 'RPC call' | 'queue command' | 'Kafka request';

export interface IoCall {
  kind: IoKind;
  batching: Batching;
}

export interface PackageValue {
  module: string;
  /** The exported name the value starts from ('default', '*', 'PrismaClient', ...). */
  imported: string;
  /** Created with `new`, returned by a factory, or typed by an annotation: an instance, not the export. */
  instance: boolean;
  /** Members walked from the root, with CALL, AWAIT, CALLBACK and ELEMENT marking calls, awaits, callbacks and elements: `db.collection('x').find` → ['collection', CALL, 'find']. */
  path: readonly string[];
  /** For a value typed by a qualified name, the type it names: `mongo.Db` → 'Db', `gmail_v1.Schema$Message` → 'Schema$Message'. */
  typeName?: string;
}

interface IoPackage {
  kind: IoKind;
  matches(module: string): boolean;
  /** Method names, as the last member of the path, that perform a round trip. */
  methods?: ReadonlySet<string>;
  /** Exports that perform a request when called directly: `superagent(url)`, `request(url, query)`. */
  callableExports?: ReadonlySet<string>;
  /** Instances that perform a round trip when called: `knex('users')`. */
  callableInstance?: boolean;
  sameTick?: ReadonlySet<string>;
  listMethods?: ReadonlySet<string>;
  /** Members that queue what follows (a pipeline, a write batch), each with the method that then sends it all: `multi()` … `exec()`. */
  pipelines?: ReadonlyMap<string, string>;
  /**
   * Exports a client comes from. Others (`getMetadataArgsStorage`, `Schema`, `In`) hold
   * metadata or helpers whose `find`/`filter` are plain array methods.
   */
  roots?: ReadonlySet<string>;
  /** Properties that lead from a client to another client: `dataSource.manager`. */
  navigation?: ReadonlySet<string>;
  /** One property may name a model or table delegate: `prisma.user`, `db.query.users`. */
  modelHop?: boolean;
  /** Any number of properties may lead to the method: tRPC's routers nest (`trpc.admin.user.byId.query`). */
  anyHops?: boolean;
  /** Members under which every method sends a request, whatever its name: Octokit's `octokit.rest.issues.listForRepo`. */
  requestNamespaces?: ReadonlySet<string>;
  /** Members that only build a request (Octokit's `.endpoint(...)`): nothing past them is sent. */
  builders?: ReadonlySet<string>;
  /** Types of the package that describe data, not a client: a value annotated with one is no client (`gmail_v1.Schema$Message`). */
  dataTypes?: RegExp;
  /**
   * Methods whose result, awaited, is a client: a connection (`await pool.connect()`), or a
   * client made at once (`client.db()`, which an async helper may return). Any other
   * awaited call of the package resolves to data (rows, a document), whose `find` is an array's.
   */
  awaitedClients?: ReadonlySet<string>;
  /** Calls build a query that runs only when awaited (Knex): one turned into text or handed to another builder makes no round trip (lazyBuilders.ts). */
  lazyBuilders?: boolean;
  /**
   * Methods that call back with a client: the export it is an instance of (TypeORM's
   * `transaction` passes an `EntityManager`), or null for one like the receiver (Knex's
   * `transaction(async (trx) => ...)`).
   */
  callbackClients?: ReadonlyMap<string, string | null>;
  /**
   * Active records: awaited, these loaders resolve to a record (`one`) or a list of them
   * (`lists`), whose own `methods` query again: Sequelize's `for (const user of await
   * User.findAll())` then `await user.save()`. A list's array methods (`users.find(...)`)
   * are none of them, and neither is anything an element of one record holds.
   */
  records?: {
    one: ReadonlySet<string>;
    lists: ReadonlySet<string>;
    methods: ReadonlySet<string>;
    /** The exports whose loaders these are, when not every client's: TypeORM's `BaseEntity` (a repository's entities may be plain classes). */
    owners?: ReadonlySet<string>;
  };
}

const set = (...names: string[]): ReadonlySet<string> => new Set(names);
const exact = (...modules: string[]) => (module: string) => modules.includes(module);

const PRISMA_METHODS = set(
  'findFirst', 'findFirstOrThrow', 'findMany', 'create', 'createMany', 'createManyAndReturn', 'update', 'updateMany',
  'updateManyAndReturn', 'upsert', 'delete', 'deleteMany', 'count', 'aggregate', 'groupBy', 'findRaw', 'aggregateRaw',
  '$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe', '$runCommandRaw', '$transaction',
);
/** Prisma's own dataloader merges findUnique calls made in the same tick into one query. */
const PRISMA_SAME_TICK = set('findUnique', 'findUniqueOrThrow');

const REDIS_COMMANDS = set(
  'get', 'set', 'setex', 'setEx', 'getset', 'del', 'exists', 'expire', 'ttl', 'incr', 'incrby', 'incrBy', 'decr',
  'hget', 'hGet', 'hset', 'hSet', 'hgetall', 'hGetAll', 'hdel', 'hDel', 'hincrby', 'hIncrBy', 'lpush', 'lPush',
  'rpush', 'rPush', 'lpop', 'lPop', 'rpop', 'rPop', 'lrange', 'lRange', 'sadd', 'sAdd', 'srem', 'sRem', 'smembers',
  'sMembers', 'sismember', 'sIsMember', 'zadd', 'zAdd', 'zrange', 'zRange', 'zrem', 'zRem', 'zscore', 'zScore',
  'publish', 'xadd', 'xAdd', 'json', 'sendCommand', 'call', 'eval', 'evalsha',
);
const REDIS_LIST_COMMANDS = set('mget', 'mGet', 'mset', 'mSet', 'hmget', 'hmGet', 'hMGet');
const REDIS_PIPELINES = new Map([['pipeline', 'exec'], ['multi', 'exec']]);

const MONGO_METHODS = set(
  'find', 'findOne', 'findById', 'findByIdAndUpdate', 'findByIdAndDelete', 'findByIdAndRemove', 'findOneAndUpdate',
  'findOneAndDelete', 'findOneAndReplace', 'findOneAndRemove', 'create', 'insertOne', 'insertMany', 'updateOne',
  'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'countDocuments', 'estimatedDocumentCount', 'aggregate',
  'distinct', 'exists', 'bulkWrite', 'save', 'populate', 'remove',
);

/** Payload's Local API operations. */
const PAYLOAD_METHODS = set(
  'find', 'findByID', 'findGlobal', 'findDistinct', 'create', 'update', 'updateGlobal', 'delete', 'count', 'countVersions',
  'countGlobalVersions', 'findVersions', 'findVersionByID', 'findGlobalVersions', 'findGlobalVersionByID', 'duplicate',
  'restoreVersion', 'restoreGlobalVersion',
);

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

const FIRESTORE_FUNCTIONS = ['getDoc', 'getDocs', 'setDoc', 'updateDoc', 'deleteDoc', 'addDoc', 'getCountFromServer', 'getAggregateFromServer'];

// The low-level DynamoDB client's methods and the document client's, with `send(command)` for both.
const DYNAMODB_SINGLE_METHODS = ['getItem', 'putItem', 'updateItem', 'deleteItem', 'query', 'scan', 'executeStatement', 'get', 'put', 'update', 'delete'];
const DYNAMODB_LIST_METHODS = ['batchGetItem', 'batchWriteItem', 'transactGetItems', 'transactWriteItems', 'batchExecuteStatement', 'batchGet', 'batchWrite', 'transactGet', 'transactWrite'];

/** The methods of Google API resources (`users.messages.get`, `events.insert`, `files.export`). */
const GOOGLE_API_METHODS = [
  'get', 'list', 'insert', 'update', 'patch', 'delete', 'modify', 'send', 'trash', 'untrash', 'watch', 'stop',
  'import', 'create', 'copy', 'export', 'move', 'query', 'search', 'append', 'clear', 'getProfile', 'instances',
];
const GOOGLE_API_LIST_METHODS = ['batchModify', 'batchDelete', 'batchGet', 'batchUpdate', 'batchClear', 'batchCreate'];

/** The REST API's namespaces (`octokit.rest.issues`), which @octokit/rest also puts on the client (`octokit.issues`). */
const OCTOKIT_REST_NAMESPACES = [
  'actions', 'activity', 'apps', 'billing', 'checks', 'codeScanning', 'codesOfConduct', 'codespaces', 'dependabot',
  'emojis', 'gists', 'git', 'gitignore', 'interactions', 'issues', 'licenses', 'markdown', 'meta', 'migrations', 'orgs',
  'packages', 'projects', 'pulls', 'rateLimit', 'reactions', 'repos', 'search', 'secretScanning', 'teams', 'users',
];

const PACKAGES: readonly IoPackage[] = [
  {
    kind: 'database query',
    // Also the client generated to a custom output, imported by path: 'src/generated/prisma/client',
    // '../prisma/client', '../../prisma/generated-prisma-client', or a workspace package
    // '@repo/prisma-client'. A project file named `prisma-client` that exports its own client is
    // followed into instead.
    matches: (m) => m === '@prisma/client' || m.startsWith('@prisma/client/') || /(?:^|\/)(?:\.?prisma\/client|generated\/prisma(?:\/client)?|generated[-_]prisma[-_]client)(?:\/index)?$/.test(m) || /^@[\w.-]+\/prisma-client$/.test(m),
    methods: PRISMA_METHODS,
    sameTick: PRISMA_SAME_TICK,
    roots: set('PrismaClient', 'Prisma', 'default'),
    modelHop: true,
    callbackClients: new Map([['$transaction', null]]),
  },
  {
    kind: 'database query',
    matches: exact('typeorm'),
    methods: set(
      'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy',
      'findByIds', 'count', 'countBy', 'exist', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum', 'save',
      'insert', 'update', 'upsert', 'delete', 'remove', 'softDelete', 'softRemove', 'restore', 'recover', 'increment',
      'decrement', 'preload', 'query', 'clear', 'getOne', 'getOneOrFail', 'getMany', 'getRawOne', 'getRawMany',
      'getCount', 'getExists', 'getManyAndCount', 'getRawAndEntities', 'execute', 'stream', 'transaction', 'reload',
    ),
    listMethods: set('findByIds'),
    roots: set(
      'DataSource', 'Connection', 'EntityManager', 'Repository', 'TreeRepository', 'MongoRepository', 'BaseEntity',
      'QueryBuilder', 'SelectQueryBuilder', 'InsertQueryBuilder', 'UpdateQueryBuilder', 'DeleteQueryBuilder',
      'QueryRunner', 'getRepository', 'getManager', 'getConnection', 'getCustomRepository', 'getTreeRepository',
      'getMongoRepository', 'createQueryBuilder', 'AbstractRepository',
    ),
    navigation: set('manager', 'connection', 'queryRunner'),
    awaitedClients: set('initialize', 'createConnection'),
    callbackClients: new Map([['transaction', 'EntityManager']]),
    // Entities that extend BaseEntity, loaded by its static methods (`await User.findBy(...)`), save themselves.
    records: {
      one: set('findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail'),
      lists: set('find', 'findBy', 'findByIds'),
      methods: set('save', 'remove', 'softRemove', 'recover', 'reload'),
      owners: set('BaseEntity'),
    },
  },
  {
    kind: 'database query',
    matches: exact('sequelize', 'sequelize-typescript', '@sequelize/core'),
    methods: set(
      'findAll', 'findOne', 'findByPk', 'findAndCountAll', 'findOrCreate', 'findCreateFind', 'count', 'max', 'min', 'sum',
      'create', 'bulkCreate', 'update', 'destroy', 'upsert', 'increment', 'decrement', 'restore', 'save', 'reload',
      'query', 'truncate', 'transaction',
    ),
    roots: set('Sequelize', 'Model', 'default', 'Transaction'),
    navigation: set('models', 'sequelize'),
    modelHop: true,
    records: {
      one: set('findOne', 'findByPk', 'create', 'reload'),
      // findOrCreate resolves to [record, created].
      lists: set('findAll', 'bulkCreate', 'findOrCreate', 'findCreateFind'),
      methods: set('save', 'update', 'destroy', 'reload', 'increment', 'decrement', 'restore'),
    },
  },
  {
    kind: 'database query',
    matches: exact('mongoose', 'mongodb'),
    methods: MONGO_METHODS,
    roots: set('model', 'Model', 'connection', 'Connection', 'createConnection', 'connect', 'Document', 'Query', 'MongoClient', 'Db', 'Collection', 'default'),
    navigation: set('connection', 'db', 'models', 'base'),
    modelHop: true,
    // MongoClient.connect(), client.connect(), mongoose.connect(), createConnection().asPromise(); then client.db(), db.collection(), mongoose.model().
    awaitedClients: set('connect', 'asPromise', 'db', 'collection', 'model'),
    // Mongoose documents, awaited from the query itself: `.lean()` ones are plain objects, and so are the driver's.
    records: {
      one: set('findOne', 'findById', 'findOneAndUpdate', 'findByIdAndUpdate', 'create'),
      lists: set('find', 'insertMany'),
      methods: set('save', 'deleteOne', 'updateOne', 'replaceOne', 'remove', 'populate'),
    },
  },
  {
    kind: 'database query',
    matches: (m) => m.startsWith('@mikro-orm/'),
    methods: set(
      'find', 'findOne', 'findOneOrFail', 'findAll', 'findAndCount', 'findByCursor', 'count', 'upsert', 'upsertMany',
      'insert', 'insertMany', 'nativeInsert', 'nativeUpdate', 'nativeDelete', 'flush', 'persistAndFlush',
      'removeAndFlush', 'populate', 'refresh', 'execute', 'getResult', 'getSingleResult', 'getResultAndCount',
    ),
    listMethods: set('upsertMany', 'insertMany'),
    roots: set('EntityManager', 'SqlEntityManager', 'EntityRepository', 'SqlEntityRepository', 'MikroORM', 'QueryBuilder'),
    navigation: set('em'),
    awaitedClients: set('init'),
    callbackClients: new Map([['transactional', 'EntityManager']]),
  },
  {
    kind: 'database query',
    matches: exact('knex'),
    callableInstance: true,
    lazyBuilders: true,
    methods: set('raw', 'select', 'insert', 'update', 'del', 'delete', 'from', 'table', 'into', 'first', 'count', 'pluck', 'increment', 'decrement', 'truncate', 'upsert'),
    listMethods: set('whereIn'),
    // `const trx = await knex.transaction()`: a callable client bound to the transaction.
    awaitedClients: set('transaction'),
    callbackClients: new Map([['transaction', null]]),
  },
  {
    kind: 'database query',
    matches: (m) => m === 'drizzle-orm' || m.startsWith('drizzle-orm/'),
    methods: set('select', 'selectDistinct', 'insert', 'update', 'delete', 'execute', 'findFirst', 'findMany', 'run', 'all', 'get', 'values'),
    listMethods: set('inArray'),
    navigation: set('query'),
    modelHop: true,
    callbackClients: new Map([['transaction', null]]),
  },
  {
    kind: 'database query',
    // postgres.js: `const sql = postgres(url)`, then sql`select ...` (a call of `sql(ids)` only builds a fragment).
    matches: exact('postgres'),
    callableInstance: true,
    methods: set('unsafe', 'file'),
  },
  {
    kind: 'database query',
    // sql`select ...`, sql.query(...), and a pool's or client's `.sql` tag.
    matches: exact('@vercel/postgres'),
    callableExports: set('sql'),
    methods: set('sql', 'query'),
    awaitedClients: set('connect'),
  },
  {
    kind: 'database query',
    matches: exact('kysely'),
    methods: set('execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream'),
    // db.transaction().execute(async (trx) => ...)
    callbackClients: new Map([['execute', null]]),
  },
  {
    kind: 'database query',
    // Payload CMS's Local API: `payload.find(...)`, `req.payload.findByID(...)` read or write the database.
    matches: exact('payload'),
    methods: PAYLOAD_METHODS,
    roots: set('getPayload', 'Payload', 'BasePayload', 'PayloadRequest', 'default'),
    awaitedClients: set('getPayload'),
    navigation: set('payload'),
  },
  {
    kind: 'database query',
    // Slonik and Logto's fork of it: `pool.one(sql.type(Row)\`...\`)`; `sql` itself only builds the query.
    matches: exact('slonik', '@silverhand/slonik'),
    methods: set('query', 'one', 'oneFirst', 'many', 'manyFirst', 'any', 'anyFirst', 'maybeOne', 'maybeOneFirst', 'exists', 'copyFromBinary', 'stream'),
    roots: set('createPool', 'DatabasePool', 'DatabaseConnection', 'DatabasePoolConnection', 'DatabaseTransactionConnection', 'CommonQueryMethods'),
    awaitedClients: set('createPool'),
    callbackClients: new Map([['transaction', null], ['connect', null]]),
  },
  {
    kind: 'database query',
    matches: exact('pg', 'pg-pool', 'mysql', 'mysql2', 'mysql2/promise', 'better-sqlite3', 'sqlite', '@neondatabase/serverless', '@planetscale/database'),
    methods: set('query', 'execute'),
    // Neon's `const sql = neon(url)`, used as a tag: sql`select ...`.
    callableInstance: true,
    // pg's and Neon's pool.connect(), mysql2's createConnection() and pool.getConnection().
    awaitedClients: set('connect', 'createConnection', 'getConnection'),
  },
  {
    kind: 'database query',
    // Chains are awaited builders: `from('users')` (or `rpc('fn')`) starts the one request the chain sends.
    matches: exact('@supabase/supabase-js'),
    methods: set('from', 'rpc'),
  },
  {
    kind: 'database query',
    // The Admin SDK (`admin.firestore()`, getFirestore(), new Firestore()) and the modular web SDK's functions.
    matches: exact('firebase-admin', 'firebase-admin/firestore', '@google-cloud/firestore', 'firebase/firestore', '@firebase/firestore'),
    callableExports: set(...FIRESTORE_FUNCTIONS),
    methods: set('get', 'set', 'update', 'delete', 'create', 'add', 'getAll'),
    listMethods: set('getAll'),
    // Not admin.auth() (the next entry) or admin.storage(): their get/update/delete are no Firestore reads or writes.
    roots: set('firestore', 'getFirestore', 'initializeFirestore', 'Firestore', ...FIRESTORE_FUNCTIONS),
    // Writes queued on a batch or a bulk writer are sent together.
    pipelines: new Map([['batch', 'commit'], ['bulkWriter', 'close']]),
  },
  {
    // Firebase Authentication through the Admin SDK: `admin.auth().getUser(uid)`, `getAuth().updateUser(...)`;
    // `getUsers` looks up to 100 users in one request. `verifyIdToken` checks against cached keys.
    kind: 'HTTP request',
    matches: exact('firebase-admin', 'firebase-admin/auth'),
    methods: set(
      'getUser', 'getUserByEmail', 'getUserByPhoneNumber', 'getUserByProviderUid', 'createUser', 'updateUser', 'deleteUser',
      'setCustomUserClaims', 'revokeRefreshTokens', 'generatePasswordResetLink', 'generateEmailVerificationLink',
      'generateSignInWithEmailLink', 'getUsers', 'deleteUsers', 'importUsers',
    ),
    listMethods: set('getUsers', 'deleteUsers', 'importUsers'),
    roots: set('auth', 'getAuth', 'Auth'),
  },
  {
    kind: 'database query',
    matches: exact('@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'),
    methods: set('send', ...DYNAMODB_SINGLE_METHODS, ...DYNAMODB_LIST_METHODS),
    listMethods: set(...DYNAMODB_LIST_METHODS),
  },
  // Every other AWS SDK v3 client; after DynamoDB's entry, as the first entry that classifies a call wins.
  { kind: 'HTTP request', matches: (m) => m.startsWith('@aws-sdk/client-'), methods: set('send') },
  {
    kind: 'database query',
    matches: exact('@elastic/elasticsearch', '@opensearch-project/opensearch'),
    methods: set('get', 'search', 'index', 'create', 'update', 'delete', 'count', 'exists', 'updateByQuery', 'deleteByQuery', 'mget', 'msearch', 'bulk'),
    listMethods: set('mget', 'msearch', 'bulk'),
  },
  // ioredis sends each command as it is issued (unless created with enableAutoPipelining).
  { kind: 'Redis command', matches: exact('ioredis'), methods: REDIS_COMMANDS, listMethods: REDIS_LIST_COMMANDS, pipelines: REDIS_PIPELINES },
  {
    // node-redis 4+ and Upstash pipeline the commands issued in the same tick by default:
    // `Promise.all(keys.map((k) => redis.get(k)))` is one round trip, awaiting each is N.
    kind: 'Redis command',
    matches: exact('redis', '@redis/client', '@upstash/redis'),
    sameTick: REDIS_COMMANDS,
    listMethods: REDIS_LIST_COMMANDS,
    pipelines: REDIS_PIPELINES,
    // node-redis 4+: `await createClient().connect()` resolves to the client (ioredis's to nothing).
    awaitedClients: set('connect'),
  },
  {
    // SQL Server: `(await sql.connect(config)).request().input('id', id).query(...)`; `bulk` inserts a table in one.
    kind: 'database query',
    matches: exact('mssql'),
    methods: set('query', 'execute', 'batch', 'bulk'),
    listMethods: set('bulk'),
    roots: set('connect', 'ConnectionPool', 'Request', 'Transaction', 'query'),
    awaitedClients: set('connect'),
  },
  {
    // Neo4j: `session.run(cypher)`, `driver.executeQuery(cypher)`; managed transactions call back with one.
    kind: 'database query',
    matches: exact('neo4j-driver'),
    methods: set('run', 'executeQuery'),
    roots: set('driver', 'Driver', 'Session', 'Transaction', 'ManagedTransaction'),
    callbackClients: new Map([['executeRead', null], ['executeWrite', null], ['readTransaction', null], ['writeTransaction', null]]),
  },
  {
    // Turso / libSQL: `client.execute(sql)`; `batch` sends many statements in one request.
    kind: 'database query',
    matches: exact('@libsql/client', '@libsql/client/web'),
    methods: set('execute', 'batch', 'executeMultiple'),
    listMethods: set('batch', 'executeMultiple'),
    roots: set('createClient'),
    awaitedClients: set('transaction'),
  },
  {
    // Oracle: `(await oracledb.getConnection(config)).execute(sql, binds)`; `executeMany` binds a list.
    kind: 'database query',
    matches: exact('oracledb'),
    methods: set('execute', 'executeMany', 'queryStream'),
    listMethods: set('executeMany'),
    roots: set('getConnection', 'createPool', 'getPool'),
    awaitedClients: set('getConnection', 'createPool'),
  },
  {
    // BigQuery: `bigquery.query(sql)`, `bigquery.dataset(d).table(t).insert(rows)` (a list of rows).
    kind: 'database query',
    matches: exact('@google-cloud/bigquery'),
    methods: set('query', 'createQueryJob', 'insert', 'getRows', 'get', 'exists', 'delete'),
    listMethods: set('insert'),
    roots: set('BigQuery'),
  },
  {
    // Azure Cosmos DB: `container.item(id, pk).read()`, `container.items.create(doc)`,
    // `container.items.query(q).fetchAll()`; `bulk` and `batch` send many operations in one.
    kind: 'database query',
    matches: exact('@azure/cosmos'),
    methods: set('read', 'replace', 'delete', 'patch', 'create', 'upsert', 'fetchAll', 'fetchNext', 'bulk', 'batch', 'executeBulkOperations'),
    listMethods: set('bulk', 'batch', 'executeBulkOperations'),
    roots: set('CosmosClient', 'Container', 'Database'),
    navigation: set('items'),
  },
  // Cassandra: `client.execute(cql, params)`; `batch` sends many statements in one request.
  { kind: 'database query', matches: exact('cassandra-driver'), methods: set('execute', 'batch', 'eachRow', 'stream'), listMethods: set('batch'), roots: set('Client') },
  {
    // Search indexes. Algolia (v5 `client.saveObject(...)`, v4 `client.initIndex(name).saveObject(...)`) and
    // Meilisearch (`client.index(name).search(...)`): the plural methods take a list.
    kind: 'HTTP request',
    matches: exact('algoliasearch', 'algoliasearch/lite'),
    methods: set(
      'search', 'searchSingleIndex', 'saveObject', 'getObject', 'deleteObject', 'partialUpdateObject', 'addOrUpdateObject',
      'saveObjects', 'getObjects', 'deleteObjects', 'partialUpdateObjects', 'batch', 'multipleBatch',
    ),
    listMethods: set('saveObjects', 'getObjects', 'deleteObjects', 'partialUpdateObjects', 'batch', 'multipleBatch'),
    roots: set('algoliasearch', 'liteClient', 'default'),
  },
  {
    kind: 'HTTP request',
    matches: exact('meilisearch'),
    methods: set('search', 'getDocument', 'deleteDocument', 'addDocuments', 'updateDocuments', 'deleteDocuments', 'getDocuments', 'multiSearch'),
    listMethods: set('addDocuments', 'updateDocuments', 'deleteDocuments', 'getDocuments', 'multiSearch'),
    roots: set('MeiliSearch', 'Meilisearch'),
  },
  // Google Cloud Storage: `storage.bucket(name).file(path).download()`.
  {
    kind: 'HTTP request',
    matches: exact('@google-cloud/storage'),
    methods: set('download', 'save', 'delete', 'exists', 'getMetadata', 'setMetadata', 'upload', 'getFiles', 'copy', 'move', 'makePublic'),
    roots: set('Storage'),
  },
  // Apollo Client: `client.query({ query, variables })` and `client.mutate(...)` are requests (without a batch link).
  { kind: 'HTTP request', matches: exact('@apollo/client', '@apollo/client/core'), methods: set('query', 'mutate'), roots: set('ApolloClient') },
  {
    // kafkajs: each `producer.send(...)` is a produce request; one send takes many messages, `sendBatch` many topics.
    kind: 'Kafka request',
    matches: exact('kafkajs'),
    methods: set('send', 'sendBatch'),
    listMethods: set('sendBatch'),
    roots: set('Kafka', 'Producer', 'Transaction'),
    // `const transaction = await producer.transaction()` sends through the same producer.
    awaitedClients: set('transaction'),
  },
  {
    // Bull and BullMQ: each `add` runs a script on Redis, one round trip; `addBulk` adds a list in one.
    // Bull's default export is the Queue class (`new Queue('mail')`, `queue: Bull.Queue`).
    kind: 'queue command',
    matches: exact('bullmq', 'bull'),
    methods: set('add', 'addBulk'),
    listMethods: set('addBulk'),
    roots: set('Queue', 'FlowProducer', 'default'),
  },
  // fetch, axios, got, ky, ofetch, superagent, undici, node:http and gRPC clients are
  // recognised by rules/shared/outboundCalls.ts; these are the HTTP/RPC clients it does not cover.
  { kind: 'HTTP request', matches: exact('needle'), callableExports: set('default'), methods: set(...HTTP_VERBS) },
  { kind: 'HTTP request', matches: exact('graphql-request'), callableExports: set('request'), methods: set('request', 'rawRequest') },
  { kind: 'HTTP request', matches: exact('@nestjs/axios'), methods: set(...HTTP_VERBS, 'request'), navigation: set('axiosRef') },
  {
    kind: 'HTTP request',
    matches: exact('@apollo/datasource-rest', 'apollo-datasource-rest'),
    methods: set(...HTTP_VERBS, 'fetch'),
  },
  { kind: 'RPC call', matches: exact('@nestjs/microservices'), methods: set('send') },
  {
    // Google's APIs: `google.gmail({ version, auth })` (googleapis) or `gmail({ ... })`
    // (@googleapis/gmail), then `gmail.users.messages.get(params)`: resources nest, and
    // each method sends a request. The batch methods take a list of ids.
    kind: 'HTTP request',
    matches: (m) => m === 'googleapis' || m.startsWith('@googleapis/'),
    methods: set(...GOOGLE_API_METHODS, ...GOOGLE_API_LIST_METHODS),
    listMethods: set(...GOOGLE_API_LIST_METHODS),
    anyHops: true,
    // Request and response bodies (`Schema$Message`), method parameters, responses and options.
    dataTypes: /^(?:Schema|Params)\$|^Gaxios|Options$/,
  },
  {
    // Octokit: `octokit.request('GET /repos/{owner}/{repo}')`, `octokit.graphql(query)`,
    // `octokit.paginate(...)` (a request per page), and every method of its REST API
    // (`octokit.rest.pulls.create(...)`); an app's `await app.getInstallationOctokit(id)` is one too.
    kind: 'HTTP request',
    matches: exact('octokit', '@octokit/rest', '@octokit/core', '@octokit/app'),
    methods: set('request', 'graphql', 'paginate'),
    // `octokit.paginate.iterator(...)` pages too; `.endpoint(...)` only builds a request's options.
    // @octokit/rest also keeps its REST namespaces on the client itself: `octokit.repos.get(...)`.
    requestNamespaces: set('rest', 'paginate', ...OCTOKIT_REST_NAMESPACES),
    builders: set('endpoint'),
    anyHops: true,
    awaitedClients: set('getInstallationOctokit'),
  },
  {
    // Microsoft Graph: `client.api('/me/messages').select('id').get()`; `api()` and the
    // query options only build the request.
    kind: 'HTTP request',
    matches: exact('@microsoft/microsoft-graph-client'),
    methods: set('get', 'post', 'put', 'patch', 'delete', 'del', 'update', 'create', 'getStream', 'putStream'),
    roots: set('Client'),
  },
  {
    // Stripe: `stripe.customers.retrieve(id)`, `stripe.checkout.sessions.create(...)`; each is a
    // request to Stripe's API.
    kind: 'HTTP request',
    matches: exact('stripe'),
    methods: set(
      'create', 'retrieve', 'update', 'del', 'list', 'search', 'cancel', 'confirm', 'capture', 'attach', 'detach',
      'pay', 'finalizeInvoice', 'voidInvoice', 'sendInvoice', 'markUncollectible', 'listLineItems', 'retrieveUpcoming',
      'createPreview', 'resume', 'expire', 'listPaymentMethods', 'retrievePaymentMethod', 'createBalanceTransaction',
    ),
    roots: set('default', 'Stripe'),
    anyHops: true,
  },
  {
    // OpenAI: `openai.chat.completions.create(...)`, `openai.embeddings.create({ input })` (which
    // takes a list of inputs), `openai.beta.chat.completions.parse(...)`.
    kind: 'HTTP request',
    matches: exact('openai'),
    methods: set('create', 'retrieve', 'list', 'del', 'delete', 'update', 'parse', 'stream', 'cancel', 'createAndPoll', 'poll'),
    roots: set('default', 'OpenAI', 'AzureOpenAI'),
    anyHops: true,
  },
  {
    // Resend: `resend.emails.send(...)` per message; `resend.batch.send([...])` sends a list in one.
    kind: 'HTTP request',
    matches: exact('resend'),
    methods: set('send', 'create', 'get', 'list', 'update', 'remove', 'cancel', 'verify'),
    pipelines: new Map([['batch', 'send']]),
    roots: set('Resend'),
    anyHops: true,
  },
  // SendGrid: `sgMail.send(message)`, a request per message (`sendMultiple` sends one to many recipients).
  { kind: 'HTTP request', matches: exact('@sendgrid/mail'), methods: set('send'), roots: set('default', 'MailService') },
  {
    // Slack's Web API client: every method under its namespaces is a request (`slack.chat.postMessage(...)`).
    kind: 'HTTP request',
    matches: exact('@slack/web-api'),
    methods: set('apiCall', 'paginate'),
    requestNamespaces: set(
      'chat', 'conversations', 'users', 'reactions', 'files', 'views', 'team', 'usergroups', 'pins', 'bookmarks',
      'reminders', 'emoji', 'auth', 'admin', 'apps', 'bots', 'dnd', 'search', 'stars', 'workflows', 'calls', 'oauth', 'openid',
    ),
    roots: set('WebClient'),
    anyHops: true,
  },
  {
    // Twilio: `twilio(sid, token).messages.create(...)`, `client.messages(sid).fetch()`.
    kind: 'HTTP request',
    matches: exact('twilio'),
    methods: set('create', 'fetch', 'update', 'remove', 'list', 'each', 'page'),
    roots: set('default', 'Twilio'),
    anyHops: true,
  },
  {
    // tRPC: `trpc.user.byId.query(input)`, or untyped `client.query('user.byId', input)`.
    // httpBatchLink, the usual link, sends the calls of one tick as one request.
    kind: 'HTTP request',
    matches: exact('@trpc/client'),
    roots: set('createTRPCClient', 'createTRPCProxyClient', 'createTRPCUntypedClient'),
    sameTick: set('query', 'mutate', 'mutation'),
    anyHops: true,
  },
];

/** Whether some data-access client calls back with a client from a method of this name (a cheap filter before tracing). */
export function isCallbackClientMethod(name: string): boolean {
  return PACKAGES.some((p) => p.callbackClients?.has(name));
}

/** Whether some data-access client has a method of this name (a cheap filter before costlier checks). */
export function isIoMethodName(name: string): boolean {
  return PACKAGES.some((p) => p.methods?.has(name) || p.sameTick?.has(name) || p.listMethods?.has(name));
}

/** Whether values imported from `module` are worth tracking (they may perform I/O). */
export function isIoPackage(module: string): boolean {
  return PACKAGES.some((p) => p.matches(module));
}

/**
 * Classifies a call on a value from a package; undefined when it is not a round trip. A
 * module may hold several clients (firebase-admin's Firestore and Auth): the first entry
 * that classifies the call wins.
 */
export function classifyPackageCall(awaitedValue: PackageValue, call: CallSite): IoCall | undefined {
  for (const pkg of PACKAGES) {
    if (!pkg.matches(awaitedValue.module)) continue;
    const io = classifyWith(pkg, awaitedValue, call);
    if (io) return io;
  }
  return undefined;
}

function classifyWith(pkg: IoPackage, awaitedValue: PackageValue, call: CallSite): IoCall | undefined {
  if (pkg.lazyBuilders && !builderMayRun(call)) return undefined;
  // A tagged query interpolated into another (sql`... ${sql`and id = ${id}`}`) is a fragment of it.
  if (ts.isTaggedTemplateExpression(call) && ts.isTemplateSpan(call.parent)) return undefined;
  const value = clientValue(pkg, awaitedValue);
  if (value?.record) return value.record === 'one' && value.path.length === 1 && pkg.records!.methods.has(value.path[0]!) ? { kind: pkg.kind, batching: 'none' } : undefined;
  if (!value || !reachesClient(pkg, value)) return undefined;
  const typeName = value.typeName ?? (value.instance ? value.imported : undefined);
  if (pkg.dataTypes && typeName !== undefined && pkg.dataTypes.test(typeName)) return undefined;
  if (pkg.builders && value.path.some((member) => pkg.builders!.has(member))) return undefined;
  const last = value.path[value.path.length - 1];
  const io = (batching: Batching): IoCall => ({ kind: pkg.kind, batching: batching === 'none' && argumentsLoadAList(call) ? 'list' : batching });
  // A tag made by calling the export (`const sql = postgres(url)`) is called as an instance is.
  const calledTag = ts.isTaggedTemplateExpression(call) && value.path.length === 1 && last === CALL;
  if (last === undefined || calledTag) {
    const callable = value.instance || calledTag ? pkg.callableInstance : pkg.callableExports?.has(value.imported);
    return callable ? io('none') : undefined;
  }
  const pipeline = pkg.pipelines && value.path.find((member) => pkg.pipelines!.has(member));
  if (pipeline) return last === pkg.pipelines!.get(pipeline) ? io('list') : undefined;
  if (pkg.sameTick?.has(last)) return io('sameTick');
  if (pkg.listMethods?.has(last)) return io('list');
  if (pkg.methods?.has(last)) return io('none');
  if (pkg.requestNamespaces && value.path.slice(0, -1).some((member) => pkg.requestNamespaces!.has(member))) return io('none');
  return undefined;
}

/** A client, or what a loader of records returned (`record`, its path then the members walked from it). */
type ClientValue = PackageValue & { record?: 'one' | 'list' };

/**
 * The value with its awaits, callbacks and elements resolved: an await of a call that
 * resolves to a client is dropped, a callback's client replaces the path before it, and
 * an awaited loader of records starts a record's path. Undefined when an await resolves to
 * data, a callback's parameter is not known to be a client, or an element is no record.
 */
function clientValue(pkg: IoPackage, value: PackageValue): ClientValue | undefined {
  if (!value.path.includes(AWAIT) && !value.path.includes(CALLBACK) && !value.path.includes(ELEMENT)) return value;
  let { imported, instance } = value;
  let path: string[] = [];
  let record: ClientValue['record'];
  for (const member of value.path) {
    if (member === AWAIT) {
      // The awaited call's method: the member before it, or the export itself (`await connect(uri)`).
      const method = path.length >= 2 ? path[path.length - 2]! : imported;
      if (path[path.length - 1] !== CALL) return undefined;
      const loaded = recordsLoaded(pkg, method, record, { ...value, imported, instance, path: path.slice(0, -1) });
      if (loaded) {
        record = loaded;
        path = [];
      } else if (record || !pkg.awaitedClients?.has(method)) {
        return undefined;
      }
    } else if (member === ELEMENT) {
      if (record !== 'list' || path.length > 0) return undefined;
      record = 'one';
    } else if (member === CALLBACK) {
      const client = record ? undefined : pkg.callbackClients?.get(path[path.length - 1]!);
      if (client === undefined) return undefined;
      path.pop();
      if (client !== null) {
        imported = client;
        instance = true;
        path = [];
      }
    } else if (member === CALL && record === 'list' && path.length === 1 && listMethodResult(path[0]!)) {
      // `users.filter(...)` holds the same records, `users.find(...)` one of them.
      if (listMethodResult(path.pop()!) === 'element') record = 'one';
    } else {
      path.push(member);
    }
  }
  return { ...value, imported, instance, path, ...(record ? { record } : {}) };
}

/** What awaiting `method` called on `receiver` resolves to: a record, a list of them, or neither. */
function recordsLoaded(pkg: IoPackage, method: string, record: ClientValue['record'], receiver: PackageValue): ClientValue['record'] {
  const records = pkg.records;
  if (!records) return undefined;
  // `await user.reload()` is the record again.
  const loads = record ? record === 'one' && receiver.path.length === 1 : (!records.owners || records.owners.has(receiver.imported)) && reachesClient(pkg, receiver);
  if (!loads) return undefined;
  return records.one.has(method) ? 'one' : records.lists.has(method) ? 'list' : undefined;
}

/** Whether the path starts at a client export and only walks client-to-client properties. */
function reachesClient(pkg: IoPackage, value: PackageValue): boolean {
  const namespace = value.imported === '*' || (value.imported === 'default' && !pkg.callableExports?.has('default') && !pkg.roots?.has('default'));
  // A value annotated with a type of the namespace (`db: mongo.Db`) is an instance of that export.
  const typed = namespace && value.typeName !== undefined;
  const root = typed ? value.typeName : namespace ? value.path[0] : value.imported;
  if (pkg.roots && (root === undefined || !pkg.roots.has(root))) return false;
  let modelHops = pkg.modelHop ? 1 : 0;
  const members = value.path.slice(namespace && !typed ? 1 : 0, -1);
  return members.every((member, i) => {
    if (member === CALL || members[i + 1] === CALL) return true; // calls and called methods chain builders
    if (pkg.navigation?.has(member) || pkg.anyHops) return true;
    return modelHops-- > 0;
  });
}

/**
 * `req.payload.findByID(...)` in a file that imports from 'payload': a hook's `req`, typed
 * only by the hook type it is passed to (`CollectionBeforeChangeHook`), which syntax cannot see.
 */
export function classifyPayloadShapedCall(call: ts.CallExpression, importsPayload: () => boolean): IoCall | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !PAYLOAD_METHODS.has(callee.name.text)) return undefined;
  const receiver = callee.expression;
  if (!ts.isPropertyAccessExpression(receiver) || receiver.name.text !== 'payload' || !importsPayload()) return undefined;
  return { kind: 'database query', batching: argumentsLoadAList(call) ? 'list' : 'none' };
}

/**
 * Prisma-shaped calls on a client the tracer cannot see the origin of (a GraphQL context,
 * an interface-typed field): `ctx.db.user.findFirst(...)`, `tx.order.create(...)`. The
 * object holding the model must be named like a database client, unless the project's
 * own types declare the method as returning a promise (`typedAsync`): a typed client
 * under any name (`store.user.findFirst`), where an in-memory object's methods return data.
 */
export function classifyPrismaShapedCall(call: ts.CallExpression, typedAsync: boolean): IoCall | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const sameTick = PRISMA_SAME_TICK.has(method);
  if (!sameTick && !PRISMA_METHODS.has(method)) return undefined;
  const model = callee.expression;
  if (!ts.isPropertyAccessExpression(model) || !/^[a-z][A-Za-z0-9]*$/.test(model.name.text)) return undefined;
  const client = model.expression;
  const clientName = ts.isIdentifier(client) ? client.text : ts.isPropertyAccessExpression(client) ? client.name.text : undefined;
  if (!typedAsync && (clientName === undefined || !/^(?:db|database|tx|trx|prisma\w*|\w*Prisma|\w*prisma\w*|orm)$/i.test(clientName))) return undefined;
  return { kind: 'database query', batching: sameTick ? 'sameTick' : argumentsLoadAList(call) ? 'list' : 'none' };
}

/**
 * The query already asks for a list of keys: `{ id: { in: ids } }`, `In(ids)`,
 * `{ $in: ids }`, `whereIn(...)`, `inArray(...)`, `.in(...)`, `Op.in`, SQL `= ANY(` / `IN (`,
 * an AWS batch or transaction command. Such a
 * call inside a loop over chunks is batching, not N+1.
 */
export function argumentsLoadAList(call: CallSite): boolean {
  const stack: ts.Node[] = [...argumentsOf(call)];
  // The whole chain the call belongs to: `knex('t').whereIn(...)`, `repo.createQueryBuilder().where('id IN (:...ids)')`.
  for (let outer: ts.Node = call; isChainLink(outer.parent, outer); outer = outer.parent) {
    const parent = outer.parent;
    if (ts.isCallExpression(parent)) stack.push(...parent.arguments);
    if (ts.isPropertyAccessExpression(parent) && LIST_OPERATORS.has(parent.name.text)) return true;
  }
  for (let receiver: ts.Node = calleeOf(call); ; ) {
    if (ts.isPropertyAccessExpression(receiver)) receiver = receiver.expression;
    else if (ts.isCallExpression(receiver)) {
      stack.push(...receiver.arguments);
      if (ts.isPropertyAccessExpression(receiver.expression) && LIST_OPERATORS.has(receiver.expression.name.text)) return true;
      receiver = receiver.expression;
    } else break;
  }
  let budget = 2000;
  const followed = new Set<ts.Node>();
  while (stack.length > 0 && budget-- > 0) {
    const node = stack.pop()!;
    // `const where = { id: { in: ids } }; …findMany({ where })`: what a local the call reads was built
    // from; not what an awaited call returned (`const rows = await repo.find({ id: In(ids) })` is data).
    const initializer = ts.isIdentifier(node) ? localConstInitializer(node) : undefined;
    if (initializer && !ts.isAwaitExpression(skipOuterExpressions(initializer)) && !followed.has(initializer)) {
      followed.add(initializer);
      stack.push(initializer);
    }
    if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      const name = node.name.getText();
      if (name === 'in' || name === '$in' || name === '"in"' || name === "'in'") return true;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (LIST_OPERATORS.has(calleeName)) return true;
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'in' && ts.isIdentifier(node.expression) && node.expression.text === 'Op') return true;
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && LIST_COMMAND.test(node.expression.text)) return true;
    if ((ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) && /\bIN\s*\(|=\s*ANY\s*\(/i.test(node.text)) return true;
    // A tagged query's list parameter: sql`... WHERE id IN ${sql(ids)}`.
    if ((ts.isTemplateHead(node) || ts.isTemplateMiddle(node)) && /\bIN\s*$/i.test(node.text)) return true;
    if (ts.isFunctionLike(node)) continue;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}

/** The initializer of the `const` an identifier reads, declared in a block around it (not a parameter, not an import). */
function localConstInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === identifier.text);
      if (declaration) return declaration.initializer;
    }
  }
  return undefined;
}

// `in`: Supabase's `.in('id', ids)` filter.
const LIST_OPERATORS = set('In', 'inArray', 'whereIn', 'orWhereIn', 'andWhereIn', 'findByIds', 'mget', 'mGet', 'in');
/** An AWS SDK command for many keys at once: `send(new BatchGetCommand(...))`, `new TransactWriteItemsCommand(...)`. */
const LIST_COMMAND = /^(?:Batch|Transact)\w*Command$/;

