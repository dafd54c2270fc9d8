import { packageName } from '../engine/imports';
import type { EdgeKind, ResourceKind } from './model';

// Which packages are external resources, and what a use of them looks like on the map.
// Keyed by package name; a few packages expose different resources per export
// (@nestjs/microservices: ClientGrpc is gRPC, ClientKafka is Kafka).

export type ResourceFamily = ResourceKind | 'http';

export interface PackageResource {
  family: ResourceFamily;
  /** Shown on the node: the technology, not the package. */
  label: string;
}

const PACKAGES: Record<string, PackageResource> = {};
function register(family: ResourceFamily, label: string, names: string[]): void {
  for (const name of names) PACKAGES[name] = { family, label };
}

register('database', 'Prisma', ['@prisma/client']);
register('database', 'TypeORM', ['typeorm', '@nestjs/typeorm']);
register('database', 'Sequelize', ['sequelize', 'sequelize-typescript', '@nestjs/sequelize']);
register('database', 'Mongoose', ['mongoose', '@nestjs/mongoose']);
register('database', 'Knex', ['knex']);
register('database', 'Drizzle', ['drizzle-orm']);
register('database', 'PostgreSQL', ['pg', 'postgres', 'pg-promise', 'slonik', '@silverhand/slonik']);
register('database', 'MySQL', ['mysql2', 'mysql']);
register('database', 'MongoDB', ['mongodb']);
register('database', 'MikroORM', ['@mikro-orm/core', '@mikro-orm/postgresql', '@mikro-orm/mysql', '@mikro-orm/nestjs']);
register('database', 'Kysely', ['kysely']);
register('database', 'SQLite', ['better-sqlite3', 'sqlite3']);
register('database', 'DynamoDB', ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']);
register('cache', 'Redis', ['ioredis', 'redis', '@redis/client', '@upstash/redis', '@nestjs-modules/ioredis', '@liaoliaots/nestjs-redis']);
register('cache', 'Cache manager', ['cache-manager', '@nestjs/cache-manager']);
register('cache', 'in-memory cache', ['lru-cache', 'node-cache', 'quick-lru', 'keyv']);
register('cache', 'Memcached', ['memcached', 'memjs']);
register('queue', 'Kafka', ['kafkajs']);
register('queue', 'RabbitMQ', ['amqplib', 'amqp-connection-manager', '@golevelup/nestjs-rabbitmq']);
register('queue', 'BullMQ', ['bullmq', '@nestjs/bullmq']);
register('queue', 'Bull', ['bull', '@nestjs/bull']);
register('queue', 'SQS', ['@aws-sdk/client-sqs', 'sqs-consumer']);
register('queue', 'SNS', ['@aws-sdk/client-sns']);
register('queue', 'NATS', ['nats']);
register('grpc', 'gRPC', ['@grpc/grpc-js', 'grpc', '@grpc/proto-loader']);
register('http', 'HTTP', ['axios', 'got', 'ky', 'ofetch', 'node-fetch', 'undici', 'superagent', 'cross-fetch', 'isomorphic-fetch', '@nestjs/axios', '@apollo/datasource-rest', 'apollo-datasource-rest']);

/** Exports of mixed packages that name a specific resource. */
const BY_EXPORT: Record<string, Record<string, PackageResource>> = {
  '@nestjs/microservices': {
    ClientGrpc: { family: 'grpc', label: 'gRPC' },
    ClientKafka: { family: 'queue', label: 'Kafka' },
    ClientRMQ: { family: 'queue', label: 'RabbitMQ' },
    ClientNats: { family: 'queue', label: 'NATS' },
    ClientRedis: { family: 'queue', label: 'Redis pub/sub' },
    ClientProxy: { family: 'queue', label: 'message broker' },
  },
};

/** Nest decorators that inject a resource rather than a class. */
export const INJECTING_DECORATORS: Record<string, PackageResource> = {
  InjectRepository: { family: 'database', label: 'TypeORM' },
  InjectDataSource: { family: 'database', label: 'TypeORM' },
  InjectEntityManager: { family: 'database', label: 'TypeORM' },
  InjectModel: { family: 'database', label: 'Mongoose' },
  InjectConnection: { family: 'database', label: 'Mongoose' },
  InjectQueue: { family: 'queue', label: 'BullMQ' },
  InjectRedis: { family: 'cache', label: 'Redis' },
};

/** Packages' type-only exports that carry no resource (decorators, helper types). */
const NOT_A_RESOURCE = new Set(['Entity', 'Column', 'PrimaryGeneratedColumn', 'PrimaryColumn', 'ManyToOne', 'OneToMany', 'ManyToMany', 'OneToOne', 'JoinColumn', 'JoinTable', 'CreateDateColumn', 'UpdateDateColumn', 'Index', 'Schema', 'Prop', 'SchemaFactory', 'Field', 'InjectRepository', 'InjectModel', 'InjectQueue', 'InjectDataSource', 'InjectEntityManager', 'InjectConnection', 'InjectRedis', 'Processor', 'Process', 'OnWorkerEvent', 'TypeOrmModule', 'MongooseModule', 'SequelizeModule', 'BullModule', 'CacheModule', 'HttpModule', 'ClientsModule', 'Transport', 'MessagePattern', 'EventPattern', 'Payload', 'Ctx', 'In', 'Not', 'IsNull', 'Like', 'ILike', 'Between', 'MoreThan', 'LessThan', 'FindOptionsWhere', 'FindManyOptions', 'FindOneOptions', 'Prisma', 'Job', 'AxiosError', 'AxiosResponse', 'AxiosRequestConfig', 'HttpException']);

export function resourceOfImport(specifier: string, importedName: string): PackageResource | undefined {
  const pkg = packageName(specifier);
  if (NOT_A_RESOURCE.has(importedName)) return undefined;
  const specific = BY_EXPORT[pkg]?.[importedName];
  if (specific) return specific;
  if (BY_EXPORT[pkg]) return undefined;
  return PACKAGES[pkg] ?? (pkg === 'drizzle-orm' || specifier.startsWith('drizzle-orm/') ? PACKAGES['drizzle-orm'] : undefined);
}

/** Frameworks whose `app.get('/path', …)` registers a route. */
export const ROUTER_PACKAGES = new Set(['express', 'koa', '@koa/router', 'koa-router', 'fastify', 'hono', '@hono/node-server']);

export function edgeKindFor(family: ResourceFamily, consuming: boolean): EdgeKind {
  switch (family) {
    case 'database':
      return 'queries';
    case 'cache':
      return 'caches';
    case 'queue':
      return consuming ? 'consumes' : 'publishes';
    case 'grpc':
      return 'grpc';
    case 'http':
    case 'remote-api':
      return 'http';
  }
}
