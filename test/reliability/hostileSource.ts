// A seeded generator of hostile but plausible TypeScript: real service shapes (fetch
// calls, retry loops, resolvers, caches) cut, nested and mangled in ways editors see
// while people type. Same seed, same files, so a failure can be replayed.

export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  `export async function load(url: string) { const res = await fetch(url); return res.json(); }`,
  `for (let attempt = 0; attempt < 5; attempt++) { try { return await call(); } catch (e) { await sleep(attempt * 100); } }`,
  `while (true) { try { await connect(); break; } catch { } }`,
  `export const resolvers = { Post: { author: (post: any, _: unknown, ctx: any) => ctx.db.user.findFirst({ where: { id: post.authorId } }) } };`,
  `const cache = new Map<string, unknown>(); export function get(k: string) { if (!cache.has(k)) cache.set(k, compute(k)); return cache.get(k); }`,
  `await Promise.all(items.map(async (item) => db.order.findMany({ where: { itemId: item.id } })));`,
  `class UsersService { constructor(private readonly repo: any) {} find(id: string) { return this.repo.findOne({ where: { id } }); } }`,
  `@Resolver(() => Post) class PostResolver { @ResolveField() author(@Parent() post: any) { return this.users.find(post.authorId); } }`,
  `const client = axios.create({ baseURL: 'http://x' }); client.get('/y');`,
  `function f<T extends Array<Map<string, Set<Promise<Record<string, T>>>>>>() {}`,
  `const s = \`\${fetch(\`\${a}\`)} // resilint-disable-next-line\`;`,
  `/* unterminated comment`,
  `'unterminated string`,
  `\`unterminated template \${`,
  `<div>{fetch(url)}</div>`,
  `label: for (;;) { continue label; }`,
  `export default async function* gen() { yield* await fetch(x); }`,
  `declare module 'x' { export function fetch(): void; }`,
  `enum E { A = fetch as any }`,
  `@Decorator() export abstract class A<in out T> implements B, C { static { fetch(u); } #p = 1; }`,
];

const NOISE = ['(', ')', '{', '}', '[', ']', '<', '>', ';', ',', '`', '"', "'", '/*', '*/', '//', '=>', '...', '?.', '??', '\\', '\u0000', '\u2028', '\ud800', '@', '#', '\r\n', '\r'];

/** One hostile file: shuffled fragments with random cuts, duplications and noise. */
export function hostileSource(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 12);
  for (let i = 0; i < count; i++) {
    let fragment = pick(FRAGMENTS);
    const roll = random();
    if (roll < 0.25) fragment = fragment.slice(0, Math.floor(random() * fragment.length));
    else if (roll < 0.4) fragment = fragment.slice(Math.floor(random() * fragment.length));
    else if (roll < 0.55) {
      const at = Math.floor(random() * fragment.length);
      fragment = fragment.slice(0, at) + pick(NOISE) + fragment.slice(at);
    } else if (roll < 0.65) {
      const depth = 1 + Math.floor(random() * 200);
      fragment = '('.repeat(depth) + fragment + ')'.repeat(Math.floor(random() * depth));
    }
    parts.push(fragment);
  }
  return parts.join(random() < 0.5 ? '\n' : random() < 0.5 ? '\r\n' : ' ');
}
