import rule from '../../server/src/rules/unbounded-cache';
import { runRuleTests } from '../ruleTester';

// Quick fixes: the Map becomes a bounded LRU and every call site keeps compiling (the
// tester type-checks each output with the inserted pattern file in place).

const memo = (declaration: string, receiver = 'prices') =>
  `${declaration}\nexport async function priceOf(sku: string, load: (sku: string) => Promise<number>) {\n  const hit = ${receiver}.get(sku);\n  if (hit !== undefined) return hit;\n  const price = await load(sku);\n  ${receiver}.set(sku, price);\n  return price;\n}\n`;

const NEVER_EVICTED = [{ messageId: 'neverEvicted', line: 1 }];
const LRU_PATTERN = /^\/\/ resilint-pattern: lru-cache v\d+\n[\s\S]*export class LruCache<K, V>/;

runRuleTests(rule, {
  valid: [],
  invalid: [
    {
      name: 'the shop fixture: the LruCache pattern is inserted and imported',
      code: `// Prices rarely change, so they are remembered per SKU.\nconst prices = new Map<string, number>();\n\nexport async function priceOf(sku: string, load: (sku: string) => Promise<number>): Promise<number> {\n  const cached = prices.get(sku);\n  if (cached !== undefined) return cached;\n  const price = await load(sku);\n  prices.set(sku, price);\n  return price;\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 2 }],
      output: `import { LruCache } from './resilience/lru-cache';\n\n// Prices rarely change, so they are remembered per SKU.\nconst prices = new LruCache<string, number>({ maxEntries: 1000 });\n\nexport async function priceOf(sku: string, load: (sku: string) => Promise<number>): Promise<number> {\n  const cached = prices.get(sku);\n  if (cached !== undefined) return cached;\n  const price = await load(sku);\n  prices.set(sku, price);\n  return price;\n}\n`,
      createdFiles: { 'src/resilience/lru-cache.ts': LRU_PATTERN },
    },
    {
      name: 'the limit comes from the maxEntries option; an existing import list is extended',
      options: { maxEntries: 250 },
      files: { 'src/resilience/lru-cache.ts': `export class LruCache<K, V> {\n  constructor(_options: { maxEntries: number }) {}\n  get(_key: K): V | undefined { return undefined; }\n  set(_key: K, _value: V): this { return this; }\n}\nexport type EvictionReason = 'capacity';\n` },
      code: `import { type EvictionReason } from './resilience/lru-cache';\nexport const reason: EvictionReason = 'capacity';\n${memo('const prices = new Map<string, number>();')}`,
      errors: [{ messageId: 'neverEvicted', line: 3 }],
      output: `import { type EvictionReason, LruCache } from './resilience/lru-cache';\nexport const reason: EvictionReason = 'capacity';\n${memo('const prices = new LruCache<string, number>({ maxEntries: 250 });')}`,
      createdFiles: {},
    },
    {
      name: 'a Map typed by its annotation: the annotation changes too',
      code: `import { readFileSync } from 'node:fs';\nexport const banner = readFileSync;\n${memo('const prices: Map<string, number> = new Map();')}`,
      errors: [{ messageId: 'neverEvicted', line: 3 }],
      output: `import { readFileSync } from 'node:fs';\nimport { LruCache } from './resilience/lru-cache';\nexport const banner = readFileSync;\n${memo('const prices: LruCache<string, number> = new LruCache({ maxEntries: 1000 });')}`,
    },
    {
      name: 'an untyped new Map() keeps its any types',
      code: memo('const prices = new Map();'),
      errors: NEVER_EVICTED,
      output: `import { LruCache } from './resilience/lru-cache';\n\n${memo('const prices = new LruCache<any, any>({ maxEntries: 1000 });')}`,
    },
    {
      name: 'a private field of a NestJS provider, created in the constructor, with iteration and clear()',
      files: { 'src/nest.d.ts': `declare module '@nestjs/common' {\n  export function Injectable(options?: object): ClassDecorator;\n}\n` },
      code: `import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class PriceService {\n  private readonly prices: Map<string, number>;\n  constructor() {\n    this.prices = new Map<string, number>();\n  }\n  async priceOf(sku: string, load: (sku: string) => Promise<number>) {\n    if (this.prices.has(sku)) return this.prices.get(sku)!;\n    const price = await load(sku);\n    this.prices.set(sku, price);\n    return price;\n  }\n  report() {\n    for (const [sku, price] of this.prices) console.log(sku, price);\n    this.prices.forEach((price, sku) => console.log(sku, price));\n    return { count: this.prices.size, skus: [...this.prices.keys()] };\n  }\n  reload(sku: string) { this.prices.delete(sku); }\n}\n`,
      errors: [{ messageId: 'invalidationOnly', line: 5 }],
      output: `import { Injectable } from '@nestjs/common';\nimport { LruCache } from './resilience/lru-cache';\n\n@Injectable()\nexport class PriceService {\n  private readonly prices: LruCache<string, number>;\n  constructor() {\n    this.prices = new LruCache<string, number>({ maxEntries: 1000 });\n  }\n  async priceOf(sku: string, load: (sku: string) => Promise<number>) {\n    if (this.prices.has(sku)) return this.prices.get(sku)!;\n    const price = await load(sku);\n    this.prices.set(sku, price);\n    return price;\n  }\n  report() {\n    for (const [sku, price] of this.prices) console.log(sku, price);\n    this.prices.forEach((price, sku) => console.log(sku, price));\n    return { count: this.prices.size, skus: [...this.prices.keys()] };\n  }\n  reload(sku: string) { this.prices.delete(sku); }\n}\n`,
    },
    {
      name: 'an ES module project imports the pattern with a .js extension',
      packageJson: { type: 'module' },
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
      code: `import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n${memo('const prices = new Map<string, number>();')}`,
      errors: [{ messageId: 'neverEvicted', line: 3 }],
      output: `import { readFileSync } from 'node:fs';\nimport { LruCache } from './resilience/lru-cache.js';\nexport const read = readFileSync;\n${memo('const prices = new LruCache<string, number>({ maxEntries: 1000 });')}`,
    },
    {
      name: 'the configured patternsDir is where the pattern goes',
      config: { patternsDir: 'src/lib/resilience' },
      code: memo('const prices = new Map<string, number>();'),
      errors: NEVER_EVICTED,
      output: `import { LruCache } from './lib/resilience/lru-cache';\n\n${memo('const prices = new LruCache<string, number>({ maxEntries: 1000 });')}`,
      createdFiles: { 'src/lib/resilience/lru-cache.ts': LRU_PATTERN },
    },
    {
      name: 'a project that depends on lru-cache gets LRUCache from it',
      packageJson: { dependencies: { 'lru-cache': '^11.0.0' } },
      code: `import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n${memo('const prices = new Map<string, number>();')}`,
      errors: [{ messageId: 'neverEvicted', line: 3 }],
      output: `import { readFileSync } from 'node:fs';\nimport { LRUCache } from 'lru-cache';\nexport const read = readFileSync;\n${memo('const prices = new LRUCache<string, number>({ max: 1000 });')}`,
      createdFiles: {},
    },
    {
      name: 'lru-cache with a value type declared in another file',
      packageJson: { dependencies: { 'lru-cache': '^11.0.0' } },
      files: { 'src/price.ts': `export interface Price { amount: number; currency: string }\n` },
      code: `import type { Price } from './price';\nconst prices = new Map<string, Price>();\nexport async function priceOf(sku: string, load: (sku: string) => Promise<Price>) {\n  const hit = prices.get(sku);\n  if (hit) return hit;\n  const price = await load(sku);\n  prices.set(sku, price);\n  return price;\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 2 }],
      output: `import type { Price } from './price';\nimport { LRUCache } from 'lru-cache';\nconst prices = new LRUCache<string, Price>({ max: 1000 });\nexport async function priceOf(sku: string, load: (sku: string) => Promise<Price>) {\n  const hit = prices.get(sku);\n  if (hit) return hit;\n  const price = await load(sku);\n  prices.set(sku, price);\n  return price;\n}\n`,
    },
    {
      name: 'lru-cache cannot hold undefined values: the LruCache pattern is used instead',
      packageJson: { dependencies: { 'lru-cache': '^11.0.0' } },
      code: `const prices = new Map<string, number | undefined>();\nexport async function priceOf(sku: string, load: (sku: string) => Promise<number | undefined>) {\n  if (prices.has(sku)) return prices.get(sku);\n  const price = await load(sku);\n  prices.set(sku, price);\n  return price;\n}\n`,
      errors: NEVER_EVICTED,
      output: `import { LruCache } from './resilience/lru-cache';\n\nconst prices = new LruCache<string, number | undefined>({ maxEntries: 1000 });\nexport async function priceOf(sku: string, load: (sku: string) => Promise<number | undefined>) {\n  if (prices.has(sku)) return prices.get(sku);\n  const price = await load(sku);\n  prices.set(sku, price);\n  return price;\n}\n`,
    },
    {
      name: 'the LruCache fix stays available when lru-cache is preferred',
      packageJson: { dependencies: { 'lru-cache': '^11.0.0' } },
      fixTitle: /bounded LruCache/,
      code: memo('const prices = new Map<string, number>();'),
      errors: NEVER_EVICTED,
      output: `import { LruCache } from './resilience/lru-cache';\n\n${memo('const prices = new LruCache<string, number>({ maxEntries: 1000 });')}`,
    },
    {
      name: 'no fix: an exported Map may be used as a Map elsewhere',
      code: memo('export const prices = new Map<string, number>();'),
      errors: NEVER_EVICTED,
      output: null,
    },
    {
      name: 'no fix: the value of set() is kept, and it would no longer be a Map',
      code: `const prices = new Map<string, number>();\nexport function remember(sku: string, price: number): Map<string, number> | undefined {\n  if (prices.has(sku)) return undefined;\n  return prices.set(sku, price);\n}\n`,
      errors: NEVER_EVICTED,
      output: null,
    },
    {
      name: 'no fix: a Map created with entries',
      code: memo(`const prices = new Map<string, number>([['gift-card', 0]]);`),
      errors: NEVER_EVICTED,
      output: null,
    },
    {
      name: 'no fix: a Set is not a Map',
      code: `const seen = new Set<string>();\nexport function firstTime(id: string) {\n  if (seen.has(id)) return false;\n  seen.add(id);\n  return true;\n}\n`,
      errors: NEVER_EVICTED,
      output: null,
    },
    {
      name: 'no fix: the file has its own LruCache',
      code: `class LruCache { readonly size = 0; }\nexport const unrelated = new LruCache();\n${memo('const prices = new Map<string, number>();')}`,
      errors: [{ messageId: 'neverEvicted', line: 3 }],
      output: null,
    },
  ],
});
