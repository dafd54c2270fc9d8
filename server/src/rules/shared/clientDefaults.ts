import * as path from 'node:path';
import { ts } from 'ts-morph';
import { moduleSpecifiersIn, relativeSpecifiersIn } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { clientValueOf, type ClientValue } from './clientValues';

// Timeouts set on a client after it was created: `api.defaults.timeout = 5000`,
// `axios.defaults.timeout = 5000` at start-up, or an interceptor that sets one per
// request. Collected once per file; the global axios default is looked for along the
// import graph from the project's entry files, where start-up code lives.

export interface DefaultsEntry {
  /** The client the default is set on: `api`, `this.http`, `axios`. */
  target: ts.Expression;
  /** 'yes': a timeout is set; 'maybe': an interceptor mentions one. Undefined: set to 0 (none). */
  bounds: 'yes' | 'maybe' | undefined;
  position: number;
}

export function clientDefaultsIn(facts: ProjectFacts, sourceFile: ts.SourceFile): readonly DefaultsEntry[] {
  return facts.perFile(sourceFile, 'missing-timeout:client-defaults', () => collectDefaults(sourceFile));
}

/** Cheap text test: only a file that mentions them can set client defaults or interceptors. */
function mayConfigureClients(text: string): boolean {
  return text.includes('defaults') || text.includes('interceptors');
}

function collectDefaults(sourceFile: ts.SourceFile): DefaultsEntry[] {
  if (!mayConfigureClients(sourceFile.text)) return [];
  const entries: DefaultsEntry[] = [];
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const defaultsOf = defaultsTarget(node.left);
      if (defaultsOf) entries.push({ target: defaultsOf.target, bounds: bounds(defaultsOf.option, node.right), position: node.getStart(sourceFile) });
    }
    if (ts.isCallExpression(node)) {
      const interceptor = interceptorTarget(node);
      if (interceptor && /timeout|signal/i.test(node.arguments.map((a) => a.getText(sourceFile)).join(' '))) {
        entries.push({ target: interceptor, bounds: 'maybe', position: node.getStart(sourceFile) });
      }
    }
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return entries;
}

/** `X.defaults.timeout` / `X.defaults.signal` → X. */
function defaultsTarget(left: ts.Expression): { target: ts.Expression; option: string } | undefined {
  if (!ts.isPropertyAccessExpression(left) || !['timeout', 'signal'].includes(left.name.text)) return undefined;
  const defaults = left.expression;
  if (!ts.isPropertyAccessExpression(defaults) || defaults.name.text !== 'defaults') return undefined;
  return { target: defaults.expression, option: left.name.text };
}

function bounds(option: string, value: ts.Expression): DefaultsEntry['bounds'] {
  if (option === 'timeout' && ts.isNumericLiteral(value) && Number(value.text) === 0) return undefined;
  return 'yes';
}

/** `X.interceptors.request.use(...)` → X. */
function interceptorTarget(call: ts.CallExpression): ts.Expression | undefined {
  const use = call.expression;
  if (!ts.isPropertyAccessExpression(use) || use.name.text !== 'use') return undefined;
  const request = use.expression;
  if (!ts.isPropertyAccessExpression(request) || request.name.text !== 'request') return undefined;
  const interceptors = request.expression;
  if (!ts.isPropertyAccessExpression(interceptors) || interceptors.name.text !== 'interceptors') return undefined;
  return interceptors.expression;
}

const ENTRY_FILES = [
  'src/main.ts', 'src/index.ts', 'src/server.ts', 'src/app.ts', 'src/bootstrap.ts',
  'main.ts', 'index.ts', 'server.ts', 'app.ts', 'server/index.ts', 'server/main.ts', 'server/server.ts', 'server/app.ts',
];
const MAX_FILES = 2000;

/**
 * Whether `axios.defaults.timeout` is set (to something other than 0) in this file, a
 * file it imports, or any file reachable from the project's entry files.
 */
export function projectSetsAxiosDefaultTimeout(facts: ProjectFacts, sourceFile: ts.SourceFile): boolean {
  // Asked at every call of the default client: scanned once per file, until a file it read changes.
  const imported = facts.perFile(sourceFile, 'missing-timeout:imported-configuration', () => configuringFiles(facts, importedPaths(facts, sourceFile.fileName)));
  const near = [sourceFile, ...imported];
  return near.some((file) => setsAxiosDefault(facts, file)) || startupConfigurationFiles(facts).some((file) => setsAxiosDefault(facts, file));
}

/**
 * The files reachable through imports from the project's entry files, where start-up
 * configuration runs, that may configure clients.
 */
export function startupConfigurationFiles(facts: ProjectFacts): readonly ts.SourceFile[] {
  return facts.acrossFiles('missing-timeout:startup-configuration', () => configuringFiles(facts, startupFiles(facts)));
}

/** The paths reachable through imports from the project's entry files. */
export function startupFiles(facts: ProjectFacts): readonly string[] {
  return filesReachableFrom(facts, ENTRY_FILES.map((file) => path.join(facts.root, file)));
}

/**
 * The paths reachable through imports from `entries` (a NestJS app's modules, from main.ts
 * through app.module.ts), the entries that exist included. The import graph is read with
 * the compiler's import scanner, not parsed: in a service code base it is most of the
 * project, and every scan thread would otherwise parse all of it for a handful of candidates.
 */
export function filesReachableFrom(facts: ProjectFacts, entries: readonly string[]): readonly string[] {
  return facts.acrossFiles(`missing-timeout:reachable-from:${entries.join('|')}`, () => {
    const queue = entries.filter((file) => facts.readText(file) !== undefined);
    const seen = new Set(queue);
    for (let i = 0; i < queue.length && queue.length < MAX_FILES; i++) {
      for (const next of importedPaths(facts, queue[i]!)) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return queue;
  });
}

function configuringFiles(facts: ProjectFacts, files: readonly string[]): ts.SourceFile[] {
  return files
    .filter((file) => mayConfigureClients(facts.readText(file) ?? ''))
    .map((file) => facts.getSourceFile(file))
    .filter((file): file is ts.SourceFile => file !== undefined);
}

function setsAxiosDefault(facts: ProjectFacts, sourceFile: ts.SourceFile): boolean {
  return setsDefaultTimeout(facts, sourceFile, 'axios', (value) => value.kind === 'client' && value.library === 'axios' && value.isDefault);
}

/**
 * Whether `sourceFile` sets a default timeout, or an interceptor that may set one, on a
 * client `which` accepts; `kind` names that test in the per-file memo.
 */
export function setsDefaultTimeout(facts: ProjectFacts, sourceFile: ts.SourceFile, kind: string, which: (value: ClientValue) => boolean): boolean {
  return facts.perFile(sourceFile, `missing-timeout:sets-default:${kind}`, () =>
    clientDefaultsIn(facts, sourceFile).some((entry) => {
      if (entry.bounds === undefined) return false;
      const value = clientValueOf(entry.target, { facts, customClasses: new Set() });
      return value !== undefined && which(value);
    }),
  );
}

/**
 * Project files a file imports, re-exports or requires, including side-effect imports
 * (`import './setup'`) and imports through tsconfig `paths` or `baseUrl` (`src/app.module`,
 * `@app/rates`). Read from the text: the walk reaches most of a service's files, and an
 * extra edge only widens where a default timeout is looked for.
 */
function importedPaths(facts: ProjectFacts, file: string): string[] {
  const { paths: aliases, baseUrl } = facts.compilerOptions;
  const text = facts.readText(file) ?? '';
  // Packages are no start-up code of this project: without aliases, only relative imports can lead to it.
  const specifiers = aliases !== undefined || baseUrl !== undefined ? moduleSpecifiersIn(text) : relativeSpecifiersIn(text);
  const paths: string[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('node:')) continue;
    const resolved = facts.resolveModulePath(file, specifier);
    // An alias may lead into another package of a monorepo; the app's own start-up code is under its root.
    if (resolved !== undefined && (specifier.startsWith('.') || resolved.startsWith(`${facts.root}/`))) paths.push(resolved);
  }
  return paths;
}
