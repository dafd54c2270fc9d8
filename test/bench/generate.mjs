import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// A deterministic synthetic TypeScript service code base for the benchmark: NestJS-style
// GraphQL modules (entity, repository, service, resolver, HTTP client, cache, barrel),
// shared infrastructure, imports between modules, and resilience defects sprinkled at
// rates like real code (most calls fine, some without timeouts, N+1 loops, unbounded
// caches, retries without backoff). The same (files, seed) always yields the same bytes,
// so runs on different days and machines compare.
// Usage: node test/bench/generate.mjs <outDir> [--files N] [--seed S]

const NOUNS = [
  'order', 'customer', 'product', 'invoice', 'shipment', 'payment', 'refund', 'address', 'channel', 'promotion',
  'collection', 'facet', 'asset', 'review', 'stock', 'warehouse', 'tax', 'zone', 'seller', 'session',
];
const FIELD_TYPES = ['string', 'number', 'boolean', 'Date', 'string | null', 'number | null'];
const FIELD_WORDS = ['code', 'name', 'state', 'total', 'currency', 'note', 'priority', 'externalId', 'createdBy', 'region', 'weight', 'label'];
const SHARED_FILES = ['src/shared/http.ts', 'src/shared/logger.ts', 'src/shared/config.ts', 'src/shared/errors.ts', 'src/shared/pagination.ts', 'src/app.module.ts'];
const FILES_PER_MODULE = 7;

/** mulberry32: tiny, fast, and the same sequence on every platform. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pascal = (s) => s[0].toUpperCase() + s.slice(1);

export function generateCorpus(outDir, { files = 1000, seed = 1 } = {}) {
  const rnd = random(seed);
  const chance = (p) => rnd() < p;
  const pick = (items) => items[Math.floor(rnd() * items.length)];
  const count = (min, max) => min + Math.floor(rnd() * (max - min + 1));

  fs.rmSync(outDir, { recursive: true, force: true });
  const written = [];
  const write = (relative, text) => {
    const file = path.join(outDir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    if (relative.endsWith('.ts') && !relative.endsWith('.d.ts')) written.push(relative);
  };

  write('package.json', JSON.stringify({
    name: 'synthetic-service', private: true,
    dependencies: { '@nestjs/common': '^10.0.0', '@nestjs/graphql': '^12.0.0', '@prisma/client': '^5.0.0', axios: '^1.6.0', dataloader: '^2.2.0', 'lru-cache': '^10.0.0', graphql: '^16.8.0' },
  }, null, 2));
  write('tsconfig.json', JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: true, esModuleInterop: true, noEmit: true },
    include: ['src'],
  }, null, 2));
  write('src/types/vendor.d.ts', VENDOR_DECLARATIONS);
  write('src/shared/http.ts', SHARED_HTTP);
  write('src/shared/logger.ts', SHARED_LOGGER);
  write('src/shared/config.ts', SHARED_CONFIG);
  write('src/shared/errors.ts', SHARED_ERRORS);
  write('src/shared/pagination.ts', SHARED_PAGINATION);

  const moduleCount = Math.max(1, Math.ceil((files - SHARED_FILES.length) / FILES_PER_MODULE));
  const modules = Array.from({ length: moduleCount }, (_, i) => {
    const noun = NOUNS[i % NOUNS.length] + (i < NOUNS.length ? '' : String(Math.floor(i / NOUNS.length)));
    return { noun, Name: pascal(noun), dir: `src/modules/${noun}` };
  });

  for (const [index, mod] of modules.entries()) {
    // Each module leans on a few others, mostly near it, as real feature folders do.
    const peers = [...new Set(Array.from({ length: count(1, 3) }, () => modules[Math.max(0, index - count(1, 6))]))].filter((p) => p !== mod);
    const fields = Array.from({ length: count(10, 30) }, (_, f) => ({ name: `${pick(FIELD_WORDS)}${f}`, type: pick(FIELD_TYPES) }));
    const parts = [
      ['entity', entityFile(mod, fields, peers)],
      ['repository', repositoryFile(mod, { chance, count })],
      ['client', clientFile(mod, { chance, count, pick })],
      ['cache', cacheFile(mod, { chance })],
      ['service', serviceFile(mod, peers, { chance, count, pick })],
      ['resolver', resolverFile(mod, peers, { chance, count })],
      ['index', barrelFile(mod)],
    ];
    for (const [kind, text] of parts) {
      if (written.length >= files - 1) break;
      write(kind === 'index' ? `${mod.dir}/index.ts` : `${mod.dir}/${mod.noun}.${kind}.ts`, text);
    }
  }
  write('src/app.module.ts', appModule(modules.filter((m) => fs.existsSync(path.join(outDir, m.dir, 'index.ts')))));
  return { dir: outDir, files: written.length };
}

function entityFile(mod, fields, peers) {
  const imports = peers.map((p) => `import type { ${p.Name} } from '../${p.noun}/${p.noun}.entity';`).join('\n');
  return `${imports}

/**
 * A ${mod.noun} as stored and exposed through the API.
 *
 * @docsCategory ${mod.noun}
 */
export interface ${mod.Name} {
  id: string;
  createdAt: Date;
  updatedAt: Date;
${fields.map((f) => `  /** The ${f.name} of the ${mod.noun}, as entered by the ${f.type === 'boolean' ? 'system' : 'user'}. */\n  ${f.name}: ${f.type};`).join('\n')}
${peers.map((p) => `  ${p.noun}Id: string;\n  ${p.noun}?: ${p.Name};`).join('\n')}
}

export interface Create${mod.Name}Input {
${fields.filter((_, i) => i % 2 === 0).map((f) => `  ${f.name}: ${f.type};`).join('\n')}
}

export interface Update${mod.Name}Input extends Partial<Create${mod.Name}Input> {
  id: string;
}

export type ${mod.Name}SortKey = ${fields.slice(0, 4).map((f) => `'${f.name}'`).join(' | ')};

export function is${mod.Name}(value: unknown): value is ${mod.Name} {
  return typeof value === 'object' && value !== null && 'id' in value && typeof (value as { id: unknown }).id === 'string';
}
`;
}

function repositoryFile(mod, { chance, count }) {
  const queries = Array.from({ length: count(5, 10) }, (_, i) => {
    if (chance(0.2)) {
      return `  /** Loads the given ${mod.noun}s one by one. */
  async findEach${i}(ids: string[]): Promise<${mod.Name}[]> {
    const found: ${mod.Name}[] = [];
    for (const id of ids) {
      const row = await this.prisma.${mod.noun}.findFirst({ where: { id } });
      if (row) found.push(row);
    }
    return found;
  }`;
    }
    return `  async findPage${i}(options: PageOptions): Promise<Page<${mod.Name}>> {
    const [items, total] = await Promise.all([
      this.prisma.${mod.noun}.findMany({ skip: options.skip, take: clampTake(options.take), orderBy: { createdAt: 'desc' } }),
      this.prisma.${mod.noun}.count(),
    ]);
    return { items, total };
  }`;
  });
  return `import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
import { clampTake, type Page, type PageOptions } from '../../shared/pagination';
import type { ${mod.Name}, Create${mod.Name}Input } from './${mod.noun}.entity';

@Injectable()
export class ${mod.Name}Repository {
  constructor(private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<${mod.Name} | null> {
    return this.prisma.${mod.noun}.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<${mod.Name}[]> {
    return this.prisma.${mod.noun}.findMany({ where: { id: { in: [...ids] } } });
  }

  create(input: Create${mod.Name}Input): Promise<${mod.Name}> {
    return this.prisma.${mod.noun}.create({ data: input });
  }

${queries.join('\n\n')}
}
`;
}

function clientFile(mod, { chance, count, pick }) {
  const calls = Array.from({ length: count(5, 10) }, (_, i) => {
    const shape = pick(['fetch', 'fetchTimeout', 'axios', 'axiosTimeout', 'retryLoop', 'retryBackoff']);
    const url = `\`\${this.baseUrl}/${mod.noun}s/\${id}/part${i}\``;
    if (shape === 'fetch' && chance(0.6)) {
      return `  async loadPart${i}(id: string): Promise<unknown> {
    const response = await fetch(${url});
    if (!response.ok) throw new UpstreamError('${mod.noun}', response.status);
    return response.json();
  }`;
    }
    if (shape === 'fetch' || shape === 'fetchTimeout') {
      return `  async loadPart${i}(id: string): Promise<unknown> {
    const response = await fetch(${url}, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(config.httpTimeoutMs) });
    if (!response.ok) throw new UpstreamError('${mod.noun}', response.status);
    return response.json();
  }`;
    }
    if (shape === 'axios') {
      return `  async loadPart${i}(id: string): Promise<unknown> {
    const { data } = await axios.get(${url}${chance(0.5) ? '' : ', { timeout: config.httpTimeoutMs }'});
    return data;
  }`;
    }
    if (shape === 'axiosTimeout') {
      return `  async loadPart${i}(id: string): Promise<unknown> {
    const { data } = await this.http.get(${url});
    return data;
  }`;
    }
    if (shape === 'retryLoop') {
      return `  async loadPart${i}(id: string): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const { data } = await this.http.get(${url});
        return data;
      } catch (error) {
        lastError = error;
        logger.warn('retrying ${mod.noun} part${i}', { attempt });
      }
    }
    throw lastError;
  }`;
    }
    return `  async loadPart${i}(id: string): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const { data } = await this.http.get(${url});
        return data;
      } catch (error) {
        lastError = error;
        await sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random()));
      }
    }
    throw lastError;
  }`;
  });
  return `import axios from 'axios';
import { config } from '../../shared/config';
import { UpstreamError } from '../../shared/errors';
import { httpClient, sleep } from '../../shared/http';
import { logger } from '../../shared/logger';

/** Talks to the remote ${mod.noun} system of record. */
export class ${mod.Name}Client {
  private readonly http = httpClient(config.${mod.noun}ServiceUrl ?? config.defaultServiceUrl);
  private readonly baseUrl = config.${mod.noun}ServiceUrl ?? config.defaultServiceUrl;

${calls.join('\n\n')}
}
`;
}

function cacheFile(mod, { chance }) {
  const bounded = chance(0.6);
  return `import { LRUCache } from 'lru-cache';
import type { ${mod.Name} } from './${mod.noun}.entity';

${bounded
    ? `const byId = new LRUCache<string, ${mod.Name}>({ max: 5000, ttl: 60_000 });`
    : `// Filled on first read; entries are never evicted.
const byId = new Map<string, ${mod.Name}>();`}
const inFlight = new Map<string, Promise<${mod.Name} | undefined>>();

export async function cached${mod.Name}(id: string, load: (id: string) => Promise<${mod.Name} | undefined>): Promise<${mod.Name} | undefined> {
  const hit = byId.get(id);
  if (hit) return hit;
  const pending = inFlight.get(id);
  if (pending) return pending;
  const promise = load(id).then((value) => {
    if (value) byId.set(id, value);
    return value;
  }).finally(() => inFlight.delete(id));
  inFlight.set(id, promise);
  return promise;
}

export function forget${mod.Name}(id: string): void {
  byId.delete(id);
}
`;
}

function serviceFile(mod, peers, { chance, count, pick }) {
  const peerImports = peers.map((p) => `import { ${p.Name}Service } from '../${p.noun}/${p.noun}.service';`).join('\n');
  const peerParams = peers.map((p) => `    private readonly ${p.noun}Service: ${p.Name}Service,`).join('\n');
  const methods = Array.from({ length: count(10, 20) }, (_, i) => {
    const peer = peers.length > 0 ? pick(peers) : undefined;
    if (peer && chance(0.25)) {
      return `  async enrich${i}(ids: string[]): Promise<Array<${mod.Name} & { related: unknown }>> {
    const rows = await this.repository.findByIds(ids);
    const result: Array<${mod.Name} & { related: unknown }> = [];
    for (const row of rows) {
      const related = await this.${peer.noun}Service.findOne(row.${peer.noun}Id);
      result.push({ ...row, related });
    }
    return result;
  }`;
    }
    if (chance(0.3)) {
      return `  async sync${i}(id: string): Promise<${mod.Name} | undefined> {
    const remote = await this.client.loadPart0(id);
    if (!remote || typeof remote !== 'object') {
      logger.info('${mod.noun} %s has no remote part', id);
      return undefined;
    }
    const local = await this.repository.findById(id);
    return local ?? undefined;
  }`;
    }
    return `  async summarize${i}(options: PageOptions): Promise<{ count: number; newest?: Date }> {
    const page = await this.repository.findPage0(options).catch(() => ({ items: [] as ${mod.Name}[], total: 0 }));
    let newest: Date | undefined;
    for (const item of page.items) {
      if (!newest || item.createdAt > newest) newest = item.createdAt;
    }
    return newest ? { count: page.total, newest } : { count: page.total };
  }`;
  });
  return `import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../shared/errors';
import { logger } from '../../shared/logger';
import type { PageOptions } from '../../shared/pagination';
${peerImports}
import { cached${mod.Name} } from './${mod.noun}.cache';
import { ${mod.Name}Client } from './${mod.noun}.client';
import type { ${mod.Name}, Create${mod.Name}Input } from './${mod.noun}.entity';
import { ${mod.Name}Repository } from './${mod.noun}.repository';

@Injectable()
export class ${mod.Name}Service {
  constructor(
    private readonly repository: ${mod.Name}Repository,
    private readonly client: ${mod.Name}Client,
${peerParams}
  ) {}

  async findOne(id: string): Promise<${mod.Name}> {
    const found = await cached${mod.Name}(id, async (key) => (await this.repository.findById(key)) ?? undefined);
    if (!found) throw new NotFoundError('${mod.Name}', id);
    return found;
  }

  findMany(ids: readonly string[]): Promise<${mod.Name}[]> {
    return this.repository.findByIds(ids);
  }

  async create(input: Create${mod.Name}Input): Promise<${mod.Name}> {
    const created = await this.repository.create(input);
    logger.info('created ${mod.noun} %s', created.id);
    return created;
  }

${methods.join('\n\n')}
}
`;
}

function resolverFile(mod, peers, { chance }) {
  const loader = chance(0.5);
  const fields = peers.map((p) => loader
    ? `  @ResolveField()
  ${p.noun}(@Parent() parent: ${mod.Name}): Promise<unknown> {
    return this.${p.noun}Loader.load(parent.${p.noun}Id);
  }`
    : `  @ResolveField()
  async ${p.noun}(@Parent() parent: ${mod.Name}): Promise<unknown> {
    return this.${p.noun}Service.findOne(parent.${p.noun}Id);
  }`);
  const loaders = loader
    ? peers.map((p) => `  private readonly ${p.noun}Loader = new DataLoader<string, unknown>((ids) => this.${p.noun}Service.findMany(ids));`).join('\n')
    : '';
  return `import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
${loader ? "import DataLoader from 'dataloader';\n" : ''}${peers.map((p) => `import { ${p.Name}Service } from '../${p.noun}/${p.noun}.service';`).join('\n')}
import type { ${mod.Name}, Create${mod.Name}Input } from './${mod.noun}.entity';
import { ${mod.Name}Service } from './${mod.noun}.service';

@Resolver('${mod.Name}')
export class ${mod.Name}Resolver {
${loaders}
  constructor(
    private readonly ${mod.noun}Service: ${mod.Name}Service,
${peers.map((p) => `    private readonly ${p.noun}Service: ${p.Name}Service,`).join('\n')}
  ) {}

  @Query()
  ${mod.noun}(@Args('id') id: string): Promise<${mod.Name}> {
    return this.${mod.noun}Service.findOne(id);
  }

  @Mutation()
  create${mod.Name}(@Args('input') input: Create${mod.Name}Input): Promise<${mod.Name}> {
    return this.${mod.noun}Service.create(input);
  }

${fields.join('\n\n')}
}
`;
}

function barrelFile(mod) {
  return ['entity', 'repository', 'client', 'cache', 'service', 'resolver'].map((k) => `export * from './${mod.noun}.${k}';`).join('\n') + '\n';
}

function appModule(modules) {
  return `${modules.map((m) => `import { ${m.Name}Resolver, ${m.Name}Service } from './modules/${m.noun}';`).join('\n')}

export const resolvers = [${modules.map((m) => `${m.Name}Resolver`).join(', ')}];
export const services = [${modules.map((m) => `${m.Name}Service`).join(', ')}];
`;
}

const VENDOR_DECLARATIONS = `// Stand-ins for packages the synthetic project depends on but does not install.
declare module '@nestjs/common' {
  export function Injectable(): ClassDecorator;
}
declare module '@nestjs/graphql' {
  export function Resolver(name?: string): ClassDecorator;
  export function Query(): MethodDecorator;
  export function Mutation(): MethodDecorator;
  export function ResolveField(): MethodDecorator;
  export function Parent(): ParameterDecorator;
  export function Args(name: string): ParameterDecorator;
}
declare module '@prisma/client' {
  interface Delegate {
    findUnique(args: unknown): Promise<any>;
    findFirst(args: unknown): Promise<any>;
    findMany(args?: unknown): Promise<any[]>;
    create(args: unknown): Promise<any>;
    count(args?: unknown): Promise<number>;
  }
  export class PrismaClient {
    [model: string]: Delegate;
  }
}
`;

const SHARED_HTTP = `import axios, { type AxiosInstance } from 'axios';

export function httpClient(baseURL: string): AxiosInstance {
  return axios.create({ baseURL, timeout: 5000, headers: { 'user-agent': 'synthetic-service' } });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
`;

const SHARED_LOGGER = `type Level = 'debug' | 'info' | 'warn' | 'error';

function log(level: Level, message: string, ...args: unknown[]): void {
  const line = JSON.stringify({ level, message, args, at: new Date().toISOString() });
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\\n');
  else process.stdout.write(line + '\\n');
}

export const logger = {
  debug: (message: string, ...args: unknown[]) => log('debug', message, ...args),
  info: (message: string, ...args: unknown[]) => log('info', message, ...args),
  warn: (message: string, ...args: unknown[]) => log('warn', message, ...args),
  error: (message: string, ...args: unknown[]) => log('error', message, ...args),
};
`;

const SHARED_CONFIG = `export interface ServiceConfig {
  defaultServiceUrl: string;
  httpTimeoutMs: number;
  [serviceUrl: string]: string | number | undefined;
}

export const config = {
  defaultServiceUrl: process.env['SERVICE_URL'] ?? 'http://localhost:8080',
  httpTimeoutMs: Number(process.env['HTTP_TIMEOUT_MS'] ?? 5000),
} as ServiceConfig & Record<string, string | undefined>;
`;

const SHARED_ERRORS = `export class NotFoundError extends Error {
  constructor(readonly entity: string, readonly id: string) {
    super(\`\${entity} \${id} not found\`);
  }
}

export class UpstreamError extends Error {
  constructor(readonly system: string, readonly status: number) {
    super(\`\${system} answered \${status}\`);
  }
}
`;

const SHARED_PAGINATION = `export interface PageOptions {
  skip?: number;
  take?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export function clampTake(take: number | undefined): number {
  return Math.min(Math.max(take ?? 20, 1), 100);
}
`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [outDir, ...rest] = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = rest.indexOf(name);
    return at >= 0 ? Number(rest[at + 1]) : fallback;
  };
  if (!outDir) {
    process.stderr.write('usage: generate.mjs <outDir> [--files N] [--seed S]\n');
    process.exit(2);
  }
  const result = generateCorpus(path.resolve(outDir), { files: option('--files', 1000), seed: option('--seed', 1) });
  process.stdout.write(`${result.files} files in ${result.dir}\n`);
}
