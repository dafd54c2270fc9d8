import rule from '../../server/src/rules/unbounded-cache';
import { runRuleTests } from '../ruleTester';

// Detection: which long-lived collections are caches, and what counts as a bound.
// Fixes are in unbounded-cache-fixes.test.ts; audit false-positive classes in
// unbounded-cache-audit.test.ts.

const loader = `declare function loadPrice(sku: string): Promise<number>;\n`;

// A session registry whose class lives in one file and whose single instance is created in
// another (the container), used per request from a third.
const registryClass = (field: string, extra = '') => `export interface Session { id: string; user: string }
declare function loadSession(id: string): Promise<Session>;
export class SessionRegistry {
  ${field} = new Map<string, Session>();
  async session(id: string) {
    let session = this.sessions.get(id);
    if (!session) {
      session = await loadSession(id);
      this.sessions.set(id, session);
    }
    return session;
  }${extra}
}
`;
const sessionRoute = `import { registry } from './container';
export async function handle(request: { sessionId: string }) {
  return (await registry.session(request.sessionId)).user;
}
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'a Map local to one call is collected with it',
      code: `${loader}export async function total(skus: string[]) {\n  const prices = new Map<string, number>();\n  for (const sku of skus) {\n    if (!prices.has(sku)) prices.set(sku, await loadPrice(sku));\n  }\n  return [...prices.values()].reduce((a, b) => a + b, 0);\n}\n`,
    },
    {
      name: 'a lookup table filled at start-up from a fixed set',
      code: `const currencies = new Map<string, number>();\nfor (const [code, digits] of [['EUR', 2], ['JPY', 0]] as const) currencies.set(code, digits);\nexport function digitsOf(code: string) { return currencies.get(code) ?? 2; }\n`,
    },
    {
      name: 'a lookup table filled in the constructor of a singleton',
      code: `export class Units {\n  static readonly instance = new Units();\n  private readonly factors = new Map<string, number>();\n  constructor() { this.factors.set('km', 1000); this.factors.set('m', 1); }\n  factor(unit: string) { return this.factors.get(unit); }\n}\n`,
    },
    {
      name: 'evicts the oldest entry when over a size limit',
      code: `${loader}const MAX = 500;\nconst prices = new Map<string, number>();\nexport async function priceOf(sku: string) {\n  const cached = prices.get(sku);\n  if (cached !== undefined) return cached;\n  const price = await loadPrice(sku);\n  if (prices.size >= MAX) prices.delete(prices.keys().next().value!);\n  prices.set(sku, price);\n  return price;\n}\n`,
    },
    {
      name: 'a size check that clears everything',
      code: `${loader}const prices = new Map<string, number>();\nexport async function priceOf(sku: string) {\n  if (prices.has(sku)) return prices.get(sku)!;\n  if (prices.size > 10_000) prices.clear();\n  const price = await loadPrice(sku);\n  prices.set(sku, price);\n  return price;\n}\n`,
    },
    {
      name: 'a sweep on an interval deletes expired entries',
      code: `${loader}const prices = new Map<string, { value: number; at: number }>();\nsetInterval(() => {\n  for (const [sku, entry] of prices) if (Date.now() - entry.at > 60_000) prices.delete(sku);\n}, 10_000).unref();\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit) return hit.value;\n  const value = await loadPrice(sku);\n  prices.set(sku, { value, at: Date.now() });\n  return value;\n}\n`,
    },
    {
      name: 'a sweep method that an interval calls',
      code: `${loader}export class PriceService {\n  static readonly instance = new PriceService();\n  private readonly prices = new Map<string, number>();\n  private readonly timer = setInterval(() => this.flush(), 60_000);\n  async priceOf(sku: string) {\n    const hit = this.prices.get(sku);\n    if (hit !== undefined) return hit;\n    const value = await loadPrice(sku);\n    this.prices.set(sku, value);\n    return value;\n  }\n  private flush() { for (const sku of [...this.prices.keys()]) this.prices.delete(sku); }\n  stop() { clearInterval(this.timer); }\n}\n`,
    },
    {
      name: 'a reset that reassigns the Map',
      code: `${loader}let prices = new Map<string, number>();\nexport function resetPrices() { prices = new Map(); }\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  prices.set(sku, value);\n  return value;\n}\n`,
    },
    {
      name: 'in-flight requests removed when they settle (single-flight)',
      code: `${loader}const inFlight = new Map<string, Promise<number>>();\nexport function priceOf(sku: string) {\n  const pending = inFlight.get(sku);\n  if (pending) return pending;\n  const promise = loadPrice(sku).finally(() => inFlight.delete(sku));\n  inFlight.set(sku, promise);\n  return promise;\n}\n`,
    },
    {
      name: 'a registry whose entry a close handler declared in an object literal removes',
      code: `declare function tool<I>(run: (input: I) => Promise<unknown>): (input: I) => Promise<unknown>;
declare function openSession(id: string): Promise<{ id: string }>;
const sessions = new Map<string, { id: string }>();
export const startChatTool = {
  handler: tool(async (input: { chatId: string }) => {
    if (sessions.has(input.chatId)) return sessions.get(input.chatId);
    sessions.set(input.chatId, await openSession(input.chatId));
    return sessions.get(input.chatId);
  }),
};
export const closeChatTool = {
  handler: tool(async (input: { chatId: string }) => {
    sessions.delete(input.chatId);
  }),
};
`,
    },
    {
      name: 'a listener registry whose subscribe returns the unsubscribe that deletes the key',
      code: `const listeners = new Map<string, Set<() => void>>();
export const subscribe = (key: string, onChange: () => void) => {
  const set = listeners.get(key) ?? new Set<() => void>();
  set.add(onChange);
  listeners.set(key, set);
  return () => {
    set.delete(onChange);
    if (set.size === 0) listeners.delete(key);
  };
};
export const notify = (key: string) => listeners.get(key)?.forEach((listener) => listener());
`,
    },
    {
      name: 'keys typed by an element of an as-const list, by Exclude<> or Extract<> of it: finite',
      code: `const PAGE_TYPES = ['blog', 'changelog', 'docs', 'all'] as const;
type PageType = (typeof PAGE_TYPES)[number];
type Corpus = Exclude<PageType, 'all'>;
declare function build(type: string): string[];
const byCorpus = new Map<Corpus, string[]>();
const byPage = new Map<Extract<PageType, 'blog' | 'docs'>, string[]>();
export function corpus(type: Corpus) {
  if (!byCorpus.has(type)) byCorpus.set(type, build(type));
  return byCorpus.get(type);
}
export function page(type: Extract<PageType, 'blog' | 'docs'>) {
  if (!byPage.has(type)) byPage.set(type, build(type));
  return byPage.get(type);
}
`,
    },
    {
      name: 'a key built from finite members of an options parameter (a flag name and a boolean)',
      code: `type FlagKey = 'darkMode' | 'betaSearch';
declare function readFlag(key: FlagKey, fallback: boolean): Promise<boolean>;
const flags = new Map<string, boolean>();
export async function flag(opts: { key: FlagKey; fallback: boolean }) {
  const cacheKey = \`\${opts.key}:\${JSON.stringify(opts.fallback)}\`;
  const hit = flags.get(cacheKey);
  if (hit !== undefined) return hit;
  const value = await readFlag(opts.key, opts.fallback);
  flags.set(cacheKey, value);
  return value;
}
`,
    },
    {
      name: 'a key checked against a table written in the code first is one of its keys',
      code: `${loader}const LOADERS = { basic: () => loadPrice('basic'), pro: () => loadPrice('pro') } as const;
const PLANS = new Set(['basic', 'pro']);
const prices = new Map<string, number>();
const seen = new Map<string, number>();
export async function priceOf(plan: string) {
  const hit = prices.get(plan);
  if (hit !== undefined) return hit;
  const load = LOADERS[plan as keyof typeof LOADERS];
  if (!load) return undefined;
  const value = await load();
  prices.set(plan, value);
  return value;
}
export async function planPrice(plan: string) {
  if (seen.has(plan)) return seen.get(plan);
  if (!PLANS.has(plan)) throw new Error('unknown plan');
  const value = await loadPrice(plan);
  seen.set(plan, value);
  return value;
}
`,
    },
    {
      name: 'a per-entry expiry timer deletes each key',
      code: `${loader}const prices = new Map<string, number>();\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  prices.set(sku, value);\n  setTimeout(() => prices.delete(sku), 60_000).unref();\n  return value;\n}\n`,
    },
    {
      name: 'an expiry check on read that deletes what expired',
      code: `${loader}const prices = new Map<string, { value: number; expires: number }>();\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit && hit.expires > Date.now()) return hit.value;\n  if (hit) prices.delete(sku);\n  const value = await loadPrice(sku);\n  prices.set(sku, { value, expires: Date.now() + 60_000 });\n  return value;\n}\n`,
    },
    {
      name: 'a WeakMap cache is collected with its keys',
      code: `const sizes = new WeakMap<object, number>();\nexport function sizeOf(o: object) {\n  let s = sizes.get(o);\n  if (s === undefined) { s = JSON.stringify(o).length; sizes.set(o, s); }\n  return s;\n}\n`,
    },
    {
      name: 'WeakRef values can be collected',
      code: `class Doc { constructor(readonly id: string) {} }\nconst docs = new Map<string, WeakRef<Doc>>();\nexport function docOf(id: string) {\n  const hit = docs.get(id)?.deref();\n  if (hit) return hit;\n  const doc = new Doc(id);\n  docs.set(id, new WeakRef(doc));\n  return doc;\n}\n`,
    },
    {
      name: 'lru-cache is bounded',
      code: `import { LRUCache } from 'lru-cache';\n${loader}const prices = new LRUCache<string, number>({ max: 100 });\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  prices.set(sku, value);\n  return value;\n}\n`,
    },
    {
      name: 'a field of a class made per request dies with the request',
      code: `${loader}export class RequestContext {\n  private readonly prices = new Map<string, number>();\n  async priceOf(sku: string) {\n    const hit = this.prices.get(sku);\n    if (hit !== undefined) return hit;\n    const value = await loadPrice(sku);\n    this.prices.set(sku, value);\n    return value;\n  }\n}\n`,
    },
    {
      name: 'a request-scoped NestJS provider',
      files: { 'src/nest.d.ts': `declare module '@nestjs/common' {\n  export enum Scope { DEFAULT, REQUEST, TRANSIENT }\n  export function Injectable(options?: { scope?: Scope }): ClassDecorator;\n}\n` },
      code: `import { Injectable, Scope } from '@nestjs/common';\n${loader}@Injectable({ scope: Scope.REQUEST })\nexport class PriceLoader {\n  private readonly prices = new Map<string, number>();\n  async priceOf(sku: string) {\n    const hit = this.prices.get(sku);\n    if (hit !== undefined) return hit;\n    const value = await loadPrice(sku);\n    this.prices.set(sku, value);\n    return value;\n  }\n}\n`,
    },
    {
      name: 'a Map handed to other code may be evicted there',
      code: `${loader}declare function trackCache(cache: Map<string, number>): void;\nconst prices = new Map<string, number>();\ntrackCache(prices);\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  prices.set(sku, value);\n  return value;\n}\n`,
    },
    {
      name: 'a local variable of the same name is not the module Map',
      code: `${loader}const prices = new Map<string, number>();\nexport async function priceOf(sku: string) {\n  const prices = new Map<string, number>();\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  prices.set(sku, value);\n  return value;\n}\nexport const count = () => prices.size;\n`,
    },
    {
      name: 'a Map without cache use: written and read by different code, not named like a cache',
      code: `const handlers = new Map<string, () => void>();\nexport function on(event: string, handler: () => void) { handlers.set(event, handler); }\nexport function emit(event: string) { handlers.get(event)?.(); }\n`,
    },
    {
      name: 'a 5,000-deep expression over a holder does not overflow the stack',
      code: `const prices = new Map<string, number>([['a', 1]]);\nexport const total = ${Array.from({ length: 5000 }, () => "(prices.get('a') ?? 0)").join(' + ')};\n`,
    },
    {
      name: 'suppressed with a reason',
      code: `${loader}// resilint-disable-next-line unbounded-cache -- keys are the 40 warehouse codes\nconst prices = new Map<string, number>();\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  prices.set(sku, value);\n  return value;\n}\n`,
    },
    {
      name: 'cross-file singleton: a field other code can reach may be evicted there (the boundary: only private fields are judged)',
      files: { 'src/sessions.ts': registryClass('readonly sessions'), 'src/routes.ts': sessionRoute + 'export function logout() { registry.sessions.clear(); }\n' },
      filename: 'src/container.ts',
      code: `import { SessionRegistry } from './sessions';\nexport const registry = new SessionRegistry();\n`,
    },
    {
      name: 'cross-file singleton: a class that deletes entries somewhere is left to the analysis of its own file',
      files: { 'src/sessions.ts': registryClass('private readonly sessions', `\n  end(id: string) {\n    this.sessions.delete(id);\n  }`), 'src/routes.ts': sessionRoute },
      filename: 'src/container.ts',
      code: `import { SessionRegistry } from './sessions';\nexport const registry = new SessionRegistry();\n`,
    },
    {
      name: 'cross-file: an instance made per call dies with the call',
      files: { 'src/sessions.ts': registryClass('private readonly sessions') },
      code: `import { SessionRegistry } from './sessions';\nexport async function handle(id: string) {\n  const registry = new SessionRegistry();\n  return registry.session(id);\n}\n`,
    },
    {
      name: 'cross-file: a class its own file already instantiates once is reported there, not again by each importer',
      files: { 'src/sessions.ts': registryClass('private readonly sessions') + 'export const defaultRegistry = new SessionRegistry();\n' },
      filename: 'src/container.ts',
      code: `import { SessionRegistry } from './sessions';\nexport const registry = new SessionRegistry();\n`,
    },
  ],
  invalid: [
    {
      name: 'a module-level singleton of a class from another file: its private Map only grows, reported where the instance is made',
      files: { 'src/sessions.ts': registryClass('private readonly sessions'), 'src/routes.ts': sessionRoute },
      filename: 'src/container.ts',
      code: `import { SessionRegistry } from './sessions';\nexport const registry = new SessionRegistry();\n`,
      errors: [
        {
          messageId: 'neverEvicted',
          line: 2,
          message:
            '`registry.sessions` is a Map field of SessionRegistry (instantiated once here, at module level) used as a cache (get-then-set) and is never evicted: it grows with every distinct key.',
          relatedFiles: ['src/sessions.ts', 'src/sessions.ts'],
        },
      ],
      output: null,
    },
    {
      name: 'an element of a list that is not written as const, or Exclude<> of an open type, is not finite',
      code: `const NAMES = ['a', 'b'];
type Name = (typeof NAMES)[number];
declare function build(type: string): string[];
const byName = new Map<Name, string[]>();
const byOther = new Map<Exclude<string, 'all'>, string[]>();
export function one(name: Name) {
  if (!byName.has(name)) byName.set(name, build(name));
  return byName.get(name);
}
export function other(name: Exclude<string, 'all'>) {
  if (!byOther.has(name)) byOther.set(name, build(name));
  return byOther.get(name);
}
`,
      errors: [
        { messageId: 'neverEvicted', line: 4 },
        { messageId: 'neverEvicted', line: 5 },
      ],
    },
    {
      name: 'the shop fixture: a module-level Map with get-then-set',
      code: `// Prices rarely change, so they are remembered per SKU.\nconst prices = new Map<string, number>();\n\nexport async function priceOf(sku: string, load: (sku: string) => Promise<number>): Promise<number> {\n  const cached = prices.get(sku);\n  if (cached !== undefined) return cached;\n  const price = await load(sku);\n  prices.set(sku, price);\n  return price;\n}\n`,
      errors: [
        {
          messageId: 'neverEvicted',
          line: 2,
          message: '`prices` is a module-level Map used as a cache (get-then-set) and is never evicted: it grows with every distinct key.',
          relatedFiles: ['src/main.ts', 'src/main.ts'],
        },
      ],
    },
    {
      name: 'has-then-set and a static field',
      code: `${loader}export class Prices {\n  private static cache: Map<string, number> = new Map();\n  static async of(sku: string) {\n    if (Prices.cache.has(sku)) return Prices.cache.get(sku)!;\n    const value = await loadPrice(sku);\n    Prices.cache.set(sku, value);\n    return value;\n  }\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 3, message: '`Prices.cache` is a static Map field used as a cache (get-then-set) and is never evicted: it grows with every distinct key.' }],
    },
    {
      name: 'a Set of seen ids',
      code: `const seen = new Set<string>();\nexport function firstTime(eventId: string): boolean {\n  if (seen.has(eventId)) return false;\n  seen.add(eventId);\n  return true;\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 1, message: '`seen` is a module-level Set used as a cache (has-then-add) and is never evicted: it grows with every distinct value.' }],
    },
    {
      name: 'a Record memo with ??=',
      code: `const slugs: Record<string, string> = {};\nexport function slugOf(title: string) {\n  return (slugs[title] ??= title.toLowerCase().replace(/\\W+/g, '-'));\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 1, message: '`slugs` is a module-level object used as a cache (read-then-assign) and is never evicted: it grows with every distinct key.' }],
    },
    {
      name: 'find-then-push in an array',
      code: `interface User { id: string; name: string }\ndeclare function fetchUser(id: string): Promise<User>;\nconst users: User[] = [];\nexport async function userOf(id: string) {\n  const known = users.find((u) => u.id === id);\n  if (known) return known;\n  const user = await fetchUser(id);\n  users.push(user);\n  return user;\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 3, message: '`users` is a module-level array used as a cache (find-then-push) and is never evicted: it grows with every distinct item.' }],
    },
    {
      name: 'named like a cache, filled by one function and read by another',
      code: `const responseCache = new Map<string, string>();\nexport function remember(url: string, body: string) { responseCache.set(url, body); }\nexport function recall(url: string) { return responseCache.get(url); }\n`,
      errors: [{ messageId: 'neverEvicted', line: 1, message: '`responseCache` is a module-level Map used as a cache (named like one, filled at run time) and is never evicted: it grows with every distinct key.' }],
    },
    {
      name: 'a field of an @Injectable() provider',
      files: { 'src/nest.d.ts': `declare module '@nestjs/common' {\n  export function Injectable(options?: object): ClassDecorator;\n}\n` },
      code: `import { Injectable } from '@nestjs/common';\n${loader}@Injectable()\nexport class PriceService {\n  private readonly prices = new Map<string, number>();\n  async priceOf(sku: string) {\n    const hit = this.prices.get(sku);\n    if (hit !== undefined) return hit;\n    const value = await loadPrice(sku);\n    this.prices.set(sku, value);\n    return value;\n  }\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 5, message: '`prices` is a Map field of an @Injectable() provider (one instance) used as a cache (get-then-set) and is never evicted: it grows with every distinct key.' }],
    },
    {
      name: 'a field of a class instantiated once at module level, created in the constructor',
      code: `${loader}class PriceService {\n  private readonly prices: Map<string, number>;\n  constructor() { this.prices = new Map(); }\n  async priceOf(sku: string) {\n    let value = this.prices.get(sku);\n    if (value === undefined) {\n      value = await loadPrice(sku);\n      this.prices.set(sku, value);\n    }\n    return value;\n  }\n}\nexport const priceService = new PriceService();\n`,
      errors: [{ messageId: 'neverEvicted', line: 3, message: '`prices` is a Map field of a class instantiated once at module level used as a cache (get-then-set) and is never evicted: it grows with every distinct key.' }],
    },
    {
      name: 'a singleton with getInstance()',
      code: `${loader}export class PriceService {\n  private static instance: PriceService | undefined;\n  static getInstance() { return (PriceService.instance ??= new PriceService()); }\n  #prices = new Map<string, number>();\n  async priceOf(sku: string) {\n    if (!this.#prices.has(sku)) this.#prices.set(sku, await loadPrice(sku));\n    return this.#prices.get(sku)!;\n  }\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 5 }],
    },
    {
      name: 'a route handler registered at module level fills the cache per request',
      code: `declare const app: { get(path: string, handler: (req: { params: { id: string } }, res: { json(v: unknown): void }) => void): void };\ndeclare function render(id: string): string;\nconst pages = new Map<string, string>();\napp.get('/pages/:id', (req, res) => {\n  const id = req.params.id;\n  if (!pages.has(id)) pages.set(id, render(id));\n  res.json(pages.get(id));\n});\n`,
      errors: [{ messageId: 'neverEvicted', line: 3 }],
    },
    {
      name: 'a delete in a handler declared under a name that ends nothing is invalidation',
      code: `declare function tool<I>(run: (input: I) => Promise<unknown>): (input: I) => Promise<unknown>;
${loader}const prices = new Map<string, number>();
export async function priceOf(sku: string) {
  const hit = prices.get(sku);
  if (hit !== undefined) return hit;
  const value = await loadPrice(sku);
  prices.set(sku, value);
  return value;
}
export const priceChangedTool = {
  handler: tool(async (input: { sku: string }) => {
    prices.delete(input.sku);
  }),
};
`,
      errors: [{ messageId: 'invalidationOnly', line: 3 }],
    },
    {
      name: 'a key built from a string member of an options parameter grows',
      code: `${loader}const prices = new Map<string, number>();
export async function priceOf(opts: { sku: string; fresh: boolean }) {
  const key = \`\${opts.sku}:\${JSON.stringify(opts.fresh)}\`;
  const hit = prices.get(key);
  if (hit !== undefined) return hit;
  const value = await loadPrice(opts.sku);
  prices.set(key, value);
  return value;
}
`,
      errors: [{ messageId: 'neverEvicted', line: 2 }],
    },
    {
      name: 'a key checked against a table passed in from outside can be anything',
      code: `${loader}const prices = new Map<string, number>();
export async function priceOf(plan: string, allowed: Record<string, boolean>) {
  const hit = prices.get(plan);
  if (hit !== undefined) return hit;
  if (!allowed[plan]) return undefined;
  const value = await loadPrice(plan);
  prices.set(plan, value);
  return value;
}
`,
      errors: [{ messageId: 'neverEvicted', line: 2 }],
    },
    {
      name: 'seeded at the top of the file and deleted only when the data changes is still invalidation',
      code: `${loader}const prices = new Map<string, number>();
prices.set('free', 0);
export async function priceOf(sku: string) {
  const hit = prices.get(sku);
  if (hit !== undefined) return hit;
  const value = await loadPrice(sku);
  prices.set(sku, value);
  return value;
}
export function onPriceChanged(sku: string) {
  prices.delete(sku);
}
`,
      errors: [{ messageId: 'invalidationOnly', line: 2 }],
    },
    {
      name: 'a key with Math.random() in it is never the same twice',
      code: `type Flag = 'dark' | 'beta';
declare function readFlag(flag: Flag): Promise<boolean>;
const flags = new Map<string, boolean>();
export async function flag(opts: { flag: Flag }) {
  const key = \`\${opts.flag}:\${Math.random()}\`;
  const hit = flags.get(key);
  if (hit !== undefined) return hit;
  const value = await readFlag(opts.flag);
  flags.set(key, value);
  return value;
}
`,
      errors: [{ messageId: 'neverEvicted', line: 3 }],
    },
    {
      name: 'deletes only when the data changes',
      code: `${loader}const prices = new Map<string, number>();\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  prices.set(sku, value);\n  return value;\n}\nexport function onPriceChanged(sku: string) {\n  prices.delete(sku);\n}\n`,
      errors: [{ messageId: 'invalidationOnly', line: 2, message: '`prices` is a module-level Map used as a cache (get-then-set); entries are deleted only on invalidation (line 11), never by size or age: it grows with every distinct key.' }],
    },
    {
      name: 'an expiry check on read that never deletes',
      code: `${loader}const prices = new Map<string, { value: number; expires: number }>();\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit && hit.expires > Date.now()) return hit.value;\n  const value = await loadPrice(sku);\n  prices.set(sku, { value, expires: Date.now() + 60_000 });\n  return value;\n}\n`,
      errors: [{ messageId: 'expiryNeverDeletes', line: 2, message: '`prices` is a module-level Map used as a cache (get-then-set); it checks expiry on read (line 4) but never deletes expired entries: it grows with every distinct key.' }],
    },
    {
      name: 'a size check on a Map that reads length can never evict',
      code: `${loader}const prices = new Map<string, number>();\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  if ((prices as unknown as unknown[]).length > 1000) prices.clear();\n  prices.set(sku, value);\n  return value;\n}\n`,
      errors: [{ messageId: 'deadSizeCheck', line: 2, message: '`prices` is a module-level Map used as a cache (get-then-set); its size check on line 7 can never evict (a Map has no `length`, so it is always undefined): it grows with every distinct key.' }],
    },
    {
      name: 'a size check against an Infinity limit can never evict',
      code: `${loader}const MAX_PRICES = Infinity;\nconst prices = new Map<string, number>();\nexport async function priceOf(sku: string) {\n  const hit = prices.get(sku);\n  if (hit !== undefined) return hit;\n  const value = await loadPrice(sku);\n  if (prices.size > MAX_PRICES) prices.delete(prices.keys().next().value!);\n  prices.set(sku, value);\n  return value;\n}\n`,
      errors: [{ messageId: 'deadSizeCheck', line: 3, message: '`prices` is a module-level Map used as a cache (get-then-set); its size check on line 8 can never evict (the limit is Infinity): it grows with every distinct key.' }],
    },
    {
      name: 'Object.keys() of a Map is always empty',
      code: `const cache = new Map<string, string>();\nexport function upper(s: string) {\n  if (cache.has(s)) return cache.get(s)!;\n  if (Object.keys(cache).length >= 100) cache.clear();\n  const v = s.toUpperCase();\n  cache.set(s, v);\n  return v;\n}\n`,
      errors: [{ messageId: 'deadSizeCheck', line: 1 }],
    },
  ],
});
