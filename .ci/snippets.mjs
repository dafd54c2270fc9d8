// Generates snippets/resilint.code-snippets from patterns/*.ts, so the snippets can never
// drift from the tested patterns: test/patterns/snippets.test.ts regenerates the file in
// memory and compares. After changing a pattern: `node .ci/snippets.mjs --write`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SNIPPETS_PATH = 'snippets/resilint.code-snippets';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = /^\/\/ resilint-pattern: ([a-z-]+) v\d+$/;

/**
 * Tab stops on each pattern's tunable defaults: [exact line in the pattern, same line with
 * the value as a placeholder]. Generation fails if a line stops matching exactly once.
 */
const PATTERN_PLACEHOLDERS = {
  retry: [
    ['const DEFAULT_MAX_ATTEMPTS = 3;', 'const DEFAULT_MAX_ATTEMPTS = ${1:3};'],
    ['const DEFAULT_BASE_DELAY_MS = 100;', 'const DEFAULT_BASE_DELAY_MS = ${2:100};'],
    ['const DEFAULT_MAX_DELAY_MS = 10_000;', 'const DEFAULT_MAX_DELAY_MS = ${3:10_000};'],
  ],
  'circuit-breaker': [
    ['const DEFAULT_WINDOW_MS = 60_000;', 'const DEFAULT_WINDOW_MS = ${1:60_000};'],
    ['const DEFAULT_FAILURE_THRESHOLD = 5;', 'const DEFAULT_FAILURE_THRESHOLD = ${2:5};'],
    ['const DEFAULT_OPEN_DURATION_MS = 30_000;', 'const DEFAULT_OPEN_DURATION_MS = ${3:30_000};'],
  ],
  bulkhead: [['const DEFAULT_QUEUE_TIMEOUT_MS = 10_000;', 'const DEFAULT_QUEUE_TIMEOUT_MS = ${1:10_000};']],
};

/** Snippets for call sites, written in snippet syntax directly. */
const CALL_SITE_SNIPPETS = {
  'Resilint: fetch with a timeout': {
    prefix: 'resilint-fetch-timeout',
    description: 'fetch() that gives up after a deadline (AbortSignal.timeout, Node 17.3+ and modern browsers).',
    body: ['const ${1:response} = await fetch(${2:url}, { signal: AbortSignal.timeout(${3:5000}) });$0'],
  },
  'Resilint: axios instance with a timeout': {
    prefix: 'resilint-axios-timeout',
    description: 'An axios instance whose every request has a timeout (axios waits for ever by default).',
    body: [
      'const ${1:http} = axios.create({',
      "\tbaseURL: ${2:'https://api.example.com'},",
      '\ttimeout: ${3:5000},',
      '});$0',
    ],
  },
  'Resilint: DataLoader on a GraphQL context': {
    prefix: 'resilint-dataloader-context',
    description: 'Per-request DataLoaders on the GraphQL context: one query per batch instead of one per parent.',
    body: [
      "import DataLoader from 'dataloader';",
      '',
      '// A new context, and so new loaders, for every request: a loader caches what it loads.',
      'export function createContext() {',
      '\treturn {',
      '\t\tloaders: {',
      '\t\t\t${1:userById}: new DataLoader<${2:string}, ${3:User} | null>(async (keys) => {',
      '\t\t\t\tconst rows = await ${4:db.users.findByIds}([...keys]);',
      '\t\t\t\t// Index by key: DataLoader needs one result per key, in key order.',
      '\t\t\t\tconst byKey = new Map(rows.map((row) => [row.${5:id}, row] as const));',
      '\t\t\t\treturn keys.map((key) => byKey.get(key) ?? null);',
      '\t\t\t}),',
      '\t\t},',
      '\t};',
      '}$0',
    ],
  },
  'Resilint: resolver using a context DataLoader': {
    prefix: 'resilint-dataloader-resolver',
    description: 'A field resolver that loads through the per-request DataLoader instead of querying per parent.',
    body: ['${1:author}: (${2:parent}, _args, { loaders }) => loaders.${3:userById}.load(${2:parent}.${4:authorId}),$0'],
  },
};

/** Escapes text so VS Code inserts it literally: `$` starts snippet syntax, `\` escapes. */
function escapeSnippetText(text) {
  return text.replace(/[\\$]/g, (char) => `\\${char}`);
}

function patternSnippet(name, source) {
  const lines = source.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const marker = MARKER.exec(lines[0] ?? '');
  if (!marker || marker[1] !== name) throw new Error(`patterns/${name}.ts must start with '// resilint-pattern: ${name} v<N>'`);
  const description = (lines[1] ?? '').replace(/^\/\/\s*/, '');
  if (!description) throw new Error(`patterns/${name}.ts needs a one-line summary comment on its second line`);
  const body = lines.map(escapeSnippetText);
  for (const [line, withPlaceholder] of PATTERN_PLACEHOLDERS[name] ?? []) {
    const indexes = body.flatMap((candidate, i) => (candidate === line ? [i] : []));
    if (indexes.length !== 1) throw new Error(`patterns/${name}.ts: expected exactly one line '${line}' for a placeholder, found ${indexes.length}`);
    body[indexes[0]] = withPlaceholder;
  }
  return [`Resilint pattern: ${name}`, { prefix: `resilint-${name}`, description, body }];
}

/** The snippets file's text, generated from the patterns under `root`. */
export function generateSnippets(root = repoRoot) {
  const patternsDir = path.join(root, 'patterns');
  const names = fs.readdirSync(patternsDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  const unknown = Object.keys(PATTERN_PLACEHOLDERS).filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`placeholders for missing patterns: ${unknown.join(', ')}`);
  const snippets = Object.fromEntries([
    ...names.map((name) => patternSnippet(name, fs.readFileSync(path.join(patternsDir, `${name}.ts`), 'utf8'))),
    ...Object.entries(CALL_SITE_SNIPPETS),
  ]);
  return `${JSON.stringify(snippets, null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = path.join(repoRoot, SNIPPETS_PATH);
  const text = generateSnippets();
  if (process.argv.includes('--write')) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    console.log(`wrote ${SNIPPETS_PATH}`);
  } else if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) {
    console.error(`${SNIPPETS_PATH} is out of date; run: node .ci/snippets.mjs --write`);
    process.exitCode = 1;
  } else {
    console.log(`${SNIPPETS_PATH} is up to date`);
  }
}
