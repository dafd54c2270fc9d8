import rule from '../../server/src/rules/n-plus-one-resolver';
import { runRuleTests } from '../ruleTester';

// GraphQL framework stand-ins: NestJS, TypeGraphQL, Pothos, Nexus and TypeORM are not
// installed, so tsconfig `paths` maps each package name to a small project file.
const STUBS = {
  'src/stubs/nestjs-graphql.ts': `
export declare function Resolver(of?: unknown): ClassDecorator;
export declare function ResolveField(name?: unknown, options?: unknown): MethodDecorator;
export declare function Query(returns?: unknown): MethodDecorator;
export declare function Parent(): ParameterDecorator;
export declare function Context(): ParameterDecorator;
`,
  'src/stubs/type-graphql.ts': `
export declare function Resolver(of?: unknown): ClassDecorator;
export declare function FieldResolver(returns?: unknown): MethodDecorator;
export declare function Root(): ParameterDecorator;
`,
  'src/stubs/typeorm.ts': `
export declare class Repository<T> {
  findOne(options: { where: Partial<T> }): Promise<T | null>;
  find(options?: { where?: Partial<T> }): Promise<T[]>;
}
`,
  'src/stubs/pothos.ts': `
export interface FieldBuilder { field(options: { type: unknown; resolve: (...args: any[]) => unknown }): unknown; string(options: { resolve: (...args: any[]) => unknown }): unknown }
export declare class SchemaBuilder { objectType(name: string, options: { fields: (t: FieldBuilder) => Record<string, unknown> }): void; queryType(options: { fields: (t: FieldBuilder) => Record<string, unknown> }): void }
export default SchemaBuilder;
`,
  'src/stubs/nexus.ts': `
export interface DefinitionBlock { field(name: string, options: { type: string; resolve: (...args: any[]) => unknown }): void }
export declare function objectType(config: { name: string; definition(t: DefinitionBlock): void }): unknown;
`,
};
const stubPaths = {
  baseUrl: '.',
  paths: {
    '@nestjs/graphql': ['src/stubs/nestjs-graphql.ts'],
    'type-graphql': ['src/stubs/type-graphql.ts'],
    typeorm: ['src/stubs/typeorm.ts'],
    '@pothos/core': ['src/stubs/pothos.ts'],
    nexus: ['src/stubs/nexus.ts'],
  },
};
const withStubs = { files: STUBS, compilerOptions: stubPaths };

const DB = `export interface Product { id: string; name: string; vendorId: string }
export interface Vendor { id: string; name: string }
interface VendorDelegate {
  findFirst(args: { where: { id?: string } }): Promise<Vendor | null>;
  findUnique(args: { where: { id: string } }): Promise<Vendor | null>;
  findMany(args: { where: { id?: string | { in: string[] }; name?: string } }): Promise<Vendor[]>;
}
export interface Context { db: { vendor: VendorDelegate } }
`;

// The shop fixture's resolver map, before and after the per-request DataLoader rewrite.
const SHOP_QUERY = 'ctx.db.vendor.findFirst({ where: { id: product.vendorId } })';
const SHOP_LOADED = 'vendorByIdLoader(ctx).load(product.vendorId)';
const shopResolvers = (vendor: string) => `export const resolvers = {
  Query: {
    products: () => [] as Product[],
  },
  Product: {
    vendor: (product: Product, _args: unknown, ctx: Context) => ${vendor},
  },
};
`;
const shopLoader = (dataLoader: string) => `/** Loads vendor rows for every key requested in the same tick with one query. */
function createVendorByIdLoader(ctx: Context) {
  return new ${dataLoader}(batchByKey((keys: readonly string[]) => ctx.db.vendor.findMany({ where: { id: { in: [...keys] } } }), (row) => row.id));
}

// One loader per request, keyed by the request's context object: rows are never cached across requests.
const vendorByIdLoaders = new WeakMap<Context, ReturnType<typeof createVendorByIdLoader>>();

function vendorByIdLoader(ctx: Context): ReturnType<typeof createVendorByIdLoader> {
  let loader = vendorByIdLoaders.get(ctx);
  if (!loader) {
    loader = createVendorByIdLoader(ctx);
    vendorByIdLoaders.set(ctx, loader);
  }
  return loader;
}`;

const USERS_SERVICE = `import { Repository } from 'typeorm';
export interface User { id: string; name: string }
export class UsersService {
  constructor(private readonly users: Repository<User>) {}
  findById(id: string) {
    return this.users.findOne({ where: { id } });
  }
}
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'a resolver map in a test is a fixture',
      filename: 'src/__tests__/schema.fixture.ts',
      code: `${DB}
${shopResolvers(SHOP_QUERY)}`,
    },
    {
      name: "modular resolvers: an object the folder's index does not name as a type, or spreads into Query, is no type's fields",
      filename: 'src/graphql/resolvers/queries.ts',
      code: `import type { Context } from '../../db';
export default {
  vendor(_root: unknown, args: { id: string }, ctx: Context) {
    return ctx.db.vendor.findFirst({ where: { id: args.id } });
  },
};
export const helpers = {
  vendorOf(product: { vendorId: string }, ctx: Context) {
    return ctx.db.vendor.findFirst({ where: { id: product.vendorId } });
  },
};
`,
      files: {
        'src/db.ts': DB,
        'src/graphql/resolvers/index.ts': `import queries, { helpers } from './queries';
export default { Query: { ...queries }, helpers };
`,
      },
    },
    {
      name: 'root Query and Mutation fields run once per operation',
      code: `${DB}
export const resolvers = {
  Query: { vendor: (_: unknown, args: { id: string }, ctx: Context) => ctx.db.vendor.findFirst({ where: { id: args.id } }) },
  Mutation: { touch: (_: unknown, args: { id: string }, ctx: Context) => ctx.db.vendor.findFirst({ where: { id: args.id } }) },
};`,
    },
    {
      name: 'a field that loads through a DataLoader on the context is batched',
      code: `interface Context { loaders: { user: { load(id: string): Promise<{ name: string }> } } }
export const resolvers = {
  Post: { author: (post: { authorId: string }, _: unknown, ctx: Context) => ctx.loaders.user.load(post.authorId) },
};`,
    },
    {
      name: 'Prisma findUnique in a field resolver is batched by Prisma within the tick',
      code: `${DB}
export const resolvers = {
  Product: { vendor: (product: Product, _: unknown, ctx: Context) => ctx.db.vendor.findUnique({ where: { id: product.vendorId } }) },
};`,
    },
    {
      name: 'a computed field does no I/O',
      code: `export const resolvers = {
  User: { fullName: (user: { first: string; last: string }) => \`\${user.first} \${user.last}\` },
};`,
    },
    {
      name: 'a lookup that ignores the parent is the same for every parent (a namespace type)',
      ...withStubs,
      files: { ...STUBS, 'src/users.service.ts': USERS_SERVICE },
      code: `import { Resolver, ResolveField } from '@nestjs/graphql';
import { UsersService } from './users.service';
@Resolver('Infra')
export class InfraResolver {
  constructor(private readonly users: UsersService) {}
  @ResolveField('admin')
  admin() {
    return this.users.findById('admin');
  }
}`,
    },
    {
      name: 'an object with type-like keys that nothing marks as resolvers is not a resolver map',
      code: `${DB}
export const handlers = {
  Product: { vendor: (product: Product, _: unknown, ctx: Context) => ctx.db.vendor.findFirst({ where: { id: product.vendorId } }) },
};`,
    },
  ],
  invalid: [
    {
      name: 'a type\'s fields held by a const the resolver map names (`{ Product }`)',
      code: `${DB}
const Product = {
  vendor: (product: Product, _args: unknown, ctx: Context) => ctx.db.vendor.findFirst({ where: { id: product.vendorId } }),
};
export const resolvers = { Query: { products: () => [] as Product[] }, Product };
`,
      errors: [{ messageId: 'perParent', line: 11 }],
    },
    {
      name: "modular resolvers: a type's fields default-exported from their own file and named by the folder's index",
      filename: 'src/graphql/resolvers/types/product.ts',
      code: `import type { Context, Product } from '../../../db';
export default {
  async vendor(product: Product, _args: unknown, ctx: Context) {
    return ctx.db.vendor.findFirst({ where: { id: product.vendorId } });
  },
};
`,
      files: {
        'src/db.ts': DB,
        'src/graphql/resolvers/types/index.ts': `import Product from './product';
export default { Product };
`,
      },
      errors: [{ messageId: 'perParent', line: 4, message: 'The Product.vendor resolver runs once per Product, and \`ctx.db.vendor.findFirst\` performs a database query: a list of N Product objects costs N extra round trips. Batch it with a per-request DataLoader.' }],
    },
    {
      name: 'a query on a connection awaited from a pool, per parent',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export const resolvers = {
  Query: { posts: () => [] },
  Post: {
    async author(post: { authorId: string }) {
      const client = await pool.connect();
      try {
        return (await client.query('SELECT * FROM users WHERE id = $1', [post.authorId])).rows[0];
      } finally {
        client.release();
      }
    },
  },
};`,
      errors: [{ messageId: 'perParent', line: 9 }],
    },
    {
      name: 'a Supabase query whose filter uses the parent further along the chain',
      code: `import { createClient } from '@supabase/supabase-js';
const supabase = createClient('https://x.supabase.co', 'key');
export const resolvers = {
  Query: { posts: () => [] },
  Post: {
    author: (post: { authorId: string }) => supabase.from('users').select('*').eq('id', post.authorId).single(),
  },
};`,
      errors: [{ messageId: 'perParent', line: 6 }],
    },
    {
      name: 'a query sent by a postgres.js template tag, per parent',
      code: `import postgres from 'postgres';
const sql = postgres('postgres://db/app');
export const resolvers = {
  Query: { posts: () => [] },
  Post: {
    author: async (post: { authorId: string }) => (await sql\`SELECT * FROM users WHERE id = \${post.authorId}\`)[0],
  },
};`,
      errors: [{ messageId: 'perParent', line: 6 }],
    },
    {
      name: 'a field resolver checked with satisfies, as any wrapper around it',
      code: `interface Ctx { db: { user: { findFirst(a: { where: { id: string } }): Promise<unknown> } } }
type Field = (post: { authorId: string }, args: unknown, ctx: Ctx) => Promise<unknown>;
export const resolvers = {
  Query: { posts: () => [] },
  Post: {
    author: ((post, _args, ctx) => ctx.db.user.findFirst({ where: { id: post.authorId } })) satisfies Field,
  },
};`,
      errors: [{ messageId: 'perParent', line: 6 }],
    },
    {
      name: 'tests are checked when checkTests is on',
      filename: 'src/__tests__/schema.fixture.ts',
      options: { checkTests: true },
      code: `${DB}
${shopResolvers(SHOP_QUERY)}`,
      errors: [{ messageId: 'perParent', line: 15 }],
    },
    {
      name: 'Apollo resolver map: a query per parent becomes a per-request DataLoader (the shop fixture)',
      code: `${DB}
${shopResolvers(SHOP_QUERY)}`,
      errors: [
        {
          messageId: 'perParent',
          line: 15,
          message:
            'The Product.vendor resolver runs once per Product, and `ctx.db.vendor.findFirst` performs a database query: a list of N Product objects costs N extra round trips. Batch it with a per-request DataLoader.',
        },
      ],
      output: `import DataLoader from 'dataloader';
import { batchByKey } from './resilience/batch-loader';

${DB}
${shopLoader('DataLoader')}

${shopResolvers(SHOP_LOADED)}`,
      createdFiles: { 'src/resilience/batch-loader.ts': /^\/\/ resilint-pattern: batch-loader v1/ },
    },
    {
      name: 'without esModuleInterop, a CommonJS file imports DataLoader with import = require',
      compilerOptions: { esModuleInterop: false, ignoreDeprecations: '6.0' },
      code: `${DB}
${shopResolvers(SHOP_QUERY)}`,
      errors: [{ messageId: 'perParent', line: 15 }],
      output: `import DataLoader = require('dataloader');
import { batchByKey } from './resilience/batch-loader';

${DB}
${shopLoader('DataLoader')}

${shopResolvers(SHOP_LOADED)}`,
    },
    {
      name: 'an ES module under nodenext default-imports DataLoader (the CommonJS module itself), even without esModuleInterop',
      packageJson: { type: 'module' },
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', esModuleInterop: false, ignoreDeprecations: '6.0' },
      code: `${DB}
${shopResolvers(SHOP_QUERY)}`,
      errors: [{ messageId: 'perParent', line: 15 }],
      output: `import DataLoader from 'dataloader';
import { batchByKey } from './resilience/batch-loader.js';

${DB}
${shopLoader('DataLoader')}

${shopResolvers(SHOP_LOADED)}`,
    },
    {
      name: 'an ES module without synthetic default imports gets the namespace import, the only form that type-checks there',
      compilerOptions: { module: 'esnext', moduleResolution: 'bundler', esModuleInterop: false, allowSyntheticDefaultImports: false, ignoreDeprecations: '6.0' },
      code: `${DB}
${shopResolvers(SHOP_QUERY)}`,
      errors: [{ messageId: 'perParent', line: 15 }],
      output: `import * as DataLoader from 'dataloader';
import { batchByKey } from './resilience/batch-loader';

${DB}
${shopLoader('DataLoader')}

${shopResolvers(SHOP_LOADED)}`,
    },
    {
      name: "the file's own DataLoader import is reused, whatever its local name",
      compilerOptions: { esModuleInterop: false, ignoreDeprecations: '6.0' },
      code: `import Loader = require('dataloader');
${DB}
export const tagLoader = new Loader<string, string>(async (keys) => [...keys]);
${shopResolvers(SHOP_QUERY)}`,
      errors: [{ messageId: 'perParent', line: 17 }],
      output: `import Loader = require('dataloader');
import { batchByKey } from './resilience/batch-loader';
${DB}
export const tagLoader = new Loader<string, string>(async (keys) => [...keys]);
${shopLoader('Loader')}

${shopResolvers(SHOP_LOADED)}`,
    },
    {
      name: 'a type-only DataLoader import is not a value: a value import is added under a free name',
      code: `import type DataLoader from 'dataloader';
${DB}
export type TagLoader = DataLoader<string, string>;
${shopResolvers(SHOP_QUERY)}`,
      errors: [{ messageId: 'perParent', line: 17 }],
      output: `import type DataLoader from 'dataloader';
import DataLoader2 from 'dataloader';
import { batchByKey } from './resilience/batch-loader';
${DB}
export type TagLoader = DataLoader<string, string>;
${shopLoader('DataLoader2')}

${shopResolvers(SHOP_LOADED)}`,
    },
    {
      name: 'a CommonJS file under verbatimModuleSyntax cannot take the generated ESM imports: no rewrite is offered',
      compilerOptions: { verbatimModuleSyntax: true },
      code: `${DB}
const resolvers = {
  Product: {
    vendor: (product: Product, _args: unknown, ctx: Context) => ctx.db.vendor.findFirst({ where: { id: product.vendorId } }),
  },
};
export = { resolvers };
`,
      errors: [{ messageId: 'perParent', line: 12 }],
      output: null,
    },
    {
      name: 'a per-type resolver object merged from another file (name ends in resolvers), method syntax',
      code: `${DB}
export const productResolvers = {
  Product: {
    async vendor(product: Product, _args: unknown, ctx: Context) {
      const vendor = await ctx.db.vendor.findFirst({ where: { id: product.vendorId } });
      return vendor?.name ?? null;
    },
  },
};
`,
      errors: [{ messageId: 'perParent', line: 13 }],
    },
    {
      name: 'a codegen-typed per-type object: const Product: ProductResolvers',
      code: `${DB}
type ProductResolvers = Record<string, (parent: Product, args: unknown, ctx: Context) => unknown>;
export const Product: ProductResolvers = {
  vendor: (product, _args, ctx) => ctx.db.vendor.findFirst({ where: { id: product.vendorId } }),
};
`,
      errors: [{ messageId: 'perParent', line: 12 }],
    },
    {
      name: 'NestJS @ResolveField through a service in another file (TypeORM), chain as related locations',
      ...withStubs,
      files: { ...STUBS, 'src/users.service.ts': USERS_SERVICE },
      code: `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { UsersService } from './users.service';
interface Post { id: string; authorId: string }
@Resolver('Post')
export class PostResolver {
  constructor(private readonly users: UsersService) {}
  @ResolveField('author')
  author(@Parent() post: Post) {
    return this.users.findById(post.authorId);
  }
}
`,
      errors: [
        {
          messageId: 'perParent',
          line: 9,
          message:
            'The Post.author resolver runs once per Post, and `UsersService.findById()` performs a database query (`this.users.findOne` in src/users.service.ts): a list of N Post objects costs N extra round trips. Batch it with a per-request DataLoader.',
          relatedFiles: ['src/users.service.ts'],
        },
      ],
    },
    {
      name: 'TypeGraphQL @FieldResolver with @Root, type from @Resolver(() => Recipe)',
      ...withStubs,
      files: { ...STUBS, 'src/users.service.ts': USERS_SERVICE },
      code: `import { FieldResolver, Resolver, Root } from 'type-graphql';
import { UsersService } from './users.service';
class Recipe { authorId = '' }
@Resolver(() => Recipe)
export class RecipeResolver {
  constructor(private readonly users: UsersService) {}
  @FieldResolver()
  async author(@Root() recipe: Recipe) {
    return this.users.findById(recipe.authorId);
  }
}
`,
      errors: [{ messageId: 'perParent', line: 9, message: 'The Recipe.author resolver runs once per Recipe, and `UsersService.findById()` performs a database query (`this.users.findOne` in src/users.service.ts): a list of N Recipe objects costs N extra round trips. Batch it with a per-request DataLoader.' }],
    },
    {
      name: 'Pothos t.field({ resolve }) inside builder.objectType; queryType fields are root',
      ...withStubs,
      code: `import SchemaBuilder from '@pothos/core';
${DB}
declare const db: Context['db'];
const builder = new SchemaBuilder();
builder.queryType({ fields: (t) => ({ vendor: t.field({ type: 'Vendor', resolve: () => db.vendor.findFirst({ where: {} }) }) }) });
builder.objectType('Product', {
  fields: (t) => ({
    vendor: t.field({ type: 'Vendor', resolve: (product: Product) => db.vendor.findFirst({ where: { id: product.vendorId } }) }),
  }),
});
`,
      errors: [{ messageId: 'perParent', line: 16 }],
    },
    {
      name: 'Nexus objectType definition(t) { t.field(name, { resolve }) }',
      ...withStubs,
      code: `import { objectType } from 'nexus';
${DB}
export const ProductType = objectType({
  name: 'Product',
  definition(t) {
    t.field('vendor', {
      type: 'Vendor',
      resolve: (product: Product, _args: unknown, ctx: Context) => ctx.db.vendor.findFirst({ where: { id: product.vendorId } }),
    });
  },
});
`,
      errors: [{ messageId: 'perParent', line: 16, message: 'The Product.vendor resolver runs once per Product, and `ctx.db.vendor.findFirst` performs a database query: a list of N Product objects costs N extra round trips. Batch it with a per-request DataLoader.' }],
    },
    {
      name: 'graphql-js GraphQLObjectType fields thunk with resolve, using fetch',
      code: `import { GraphQLObjectType, GraphQLString } from 'graphql';
export const ProductType: GraphQLObjectType = new GraphQLObjectType({
  name: 'Product',
  fields: () => ({
    vendorName: {
      type: GraphQLString,
      resolve: async (product: { vendorId: string }) => {
        const res = await fetch(\`https://vendors.example/\${product.vendorId}\`, { signal: AbortSignal.timeout(2000) });
        return ((await res.json()) as { name: string }).name;
      },
    },
  }),
});
`,
      errors: [
        {
          messageId: 'perParent',
          line: 8,
          message:
            'The Product.vendorName resolver runs once per Product, and `fetch` performs an HTTP request: a list of N Product objects costs N extra round trips. Batch it with a per-request DataLoader.',
        },
      ],
    },
    {
      name: 'Apollo Federation __resolveReference runs once per entity reference',
      code: `${DB}
export const resolvers = {
  Vendor: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.db.vendor.findFirst({ where: { id: ref.id } }),
  },
};
`,
      errors: [{ messageId: 'perParent', line: 12 }],
    },
    {
      name: 'a resolver that cannot be rewritten gets the pattern inserted, not a guessed rewrite',
      code: `${DB}
export const resolvers = {
  Product: {
    vendor: async (product: Product, _args: unknown, ctx: Context) => {
      const vendors = await ctx.db.vendor.findMany({ where: { id: product.vendorId, name: product.name } });
      return vendors[0] ?? null;
    },
  },
};
`,
      errors: [{ messageId: 'perParent', line: 13 }],
      fixTitle: /^Add the batch-loader pattern/,
      output: `${DB}
export const resolvers = {
  Product: {
    vendor: async (product: Product, _args: unknown, ctx: Context) => {
      const vendors = await ctx.db.vendor.findMany({ where: { id: product.vendorId, name: product.name } });
      return vendors[0] ?? null;
    },
  },
};
`,
      createdFiles: { 'src/resilience/batch-loader.ts': /export function batchByKey/ },
    },
  ],
});
