// Where the shop fixture shows each rule, located the way a person finds it: the file, the
// text of the line, and the token the squiggle starts at; and what the preferred quick fix
// must leave on disk. Lines are found by their text, never by number, so the fixture can grow.

export const docsUrlPrefix = 'https://github.com/resilint/resilint/blob/main/docs/rules/';

/**
 * @typedef {object} RuleExample
 * @property {string} rule
 * @property {string} file          workspace-relative path
 * @property {string} line          text of the flagged line (unique in the file)
 * @property {string} at            token on that line where the finding starts
 * @property {RegExp} message       the diagnostic's message
 * @property {string} fix           the quick fix's title starts with this
 * @property {(saved: string) => string | undefined} checkFixed  undefined when the saved file holds the fix, else why not
 */

/** @type {RuleExample[]} */
export const ruleExamples = [
  {
    rule: 'missing-timeout',
    file: 'src/clients/inventoryClient.ts',
    line: 'const res = await fetch(url);',
    at: 'fetch(url)',
    message: /^fetch\(\) has no timeout: if the server stops responding, this call waits forever\.$/,
    fix: 'Add timeout',
    checkFixed: (saved) => expectText(saved, 'await fetch(url, { signal: AbortSignal.timeout(10000) })'),
  },
  {
    rule: 'retry-without-backoff',
    file: 'src/services/orderService.ts',
    line: 'for (const line of lines) await reserve(line.sku, line.quantity);',
    at: 'reserve(',
    message: /^This retry loop waits the same delay \(1000\) before every attempt instead of backing off exponentially\.$/,
    fix: 'Back off exponentially',
    checkFixed: (saved) => saved.includes('setTimeout(resolve, 1000)')
      ? 'the constant 1000 ms delay is still there'
      : expectText(saved, 'Math.random()'),
  },
  {
    rule: 'n-plus-one-resolver',
    file: 'src/graphql/resolvers.ts',
    line: 'vendor: (product: Product, _args: unknown, ctx: Context) =>',
    at: 'ctx.db.vendor.findFirst',
    message: /^The Product\.vendor resolver runs once per Product, and `ctx\.db\.vendor\.findFirst` performs a database query/,
    fix: 'Batch Product.vendor with a per-request DataLoader',
    checkFixed: (saved) => saved.includes('ctx.db.vendor.findFirst(')
      ? 'the resolver still queries per parent'
      : expectText(saved, "import DataLoader from 'dataloader'"),
  },
  {
    rule: 'n-plus-one-query',
    file: 'src/services/vendorReport.ts',
    line: 'const vendor = await prisma.vendor.findFirst(',
    at: 'prisma.vendor.findFirst',
    message: /^`prisma\.vendor\.findFirst` performs a database query once per element of `products`, one after another/,
    fix: 'Load all vendor rows with one findMany() before the loop',
    checkFixed: (saved) => saved.includes('prisma.vendor.findFirst(')
      ? 'the loop still queries once per product'
      : expectText(saved, 'await prisma.vendor.findMany('),
  },
  {
    rule: 'unbounded-cache',
    file: 'src/cache/priceCache.ts',
    line: 'const prices = new Map<string, number>();',
    at: 'prices',
    message: /^`prices` is a module-level Map used as a cache \(get-then-set\) and is never evicted: it grows with every distinct key\.$/,
    fix: 'Replace `prices` with a bounded LruCache',
    checkFixed: (saved) => saved.includes('new Map<string, number>()')
      ? 'the unbounded Map is still there'
      : expectText(saved, 'new LruCache<'),
  },
];

function expectText(saved, text) {
  return saved.includes(text) ? undefined : `it does not contain ${JSON.stringify(text)}`;
}

/** 1-based line and column of an example's finding in `text`. */
export function positionOf(example, text) {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(example.line));
  if (index === -1) throw new Error(`${example.file} has no line containing ${JSON.stringify(example.line)}`);
  if (lines.findIndex((line, i) => i > index && line.includes(example.line)) !== -1) {
    throw new Error(`${example.file} has several lines containing ${JSON.stringify(example.line)}`);
  }
  const column = lines[index].indexOf(example.at);
  if (column === -1) throw new Error(`line ${index + 1} of ${example.file} has no ${JSON.stringify(example.at)}`);
  return { line: index + 1, column: column + 1 };
}
