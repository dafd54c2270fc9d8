import * as path from 'node:path';
import { ts } from 'ts-morph';
import { importBindings, packageName } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { filesReachableFrom, projectSetsAxiosDefaultTimeout, setsDefaultTimeout, startupFiles } from './clientDefaults';
import { NEST_HTTP_MODULES } from './clientValues';
import { isFunctionLikeDeclaration, returnedExpressions, skipOuterExpressions } from './localDeclarations';
import { COVERED, evaluateOptions, UNKNOWN, type Coverage, type OptionSpec } from './timeoutOptions';

// NestJS's HttpService sends its requests with the axios instance of the HttpModule that
// provides it: `HttpModule.register(config)` creates one with that config,
// `registerAsync({ useFactory })` with what the factory returns, and a bare `HttpModule`
// uses axios's default instance, which `axios.defaults.timeout` bounds. Which module
// provides the service a class is given is dependency injection's business, so the
// registrations of the whole app are read (the modules reachable from its main.ts): the
// service is bounded when every one sets a timeout and unbounded when none does. Defaults
// set on the service's axios instance (`http.axiosRef.defaults.timeout`, an interceptor)
// bound it whatever the module.

/** How the HttpModule registrations of the app that `call` belongs to bound its HttpService. */
export function httpModuleCoverage(facts: ProjectFacts, call: ts.CallExpression, spec: OptionSpec): Coverage {
  const callFile = call.getSourceFile().fileName;
  const entry = appEntryOf(facts, path.dirname(callFile));
  const appFiles = entry ? filesReachableFrom(facts, [entry]) : startupFiles(facts);
  if (setsAxiosRefDefaults(facts, callFile) || facts.acrossFiles(`missing-timeout:axios-ref-defaults:${entry ?? ''}`, () => appFiles.some((file) => setsAxiosRefDefaults(facts, file)))) {
    return COVERED;
  }
  const registrations = facts.acrossFiles(`missing-timeout:http-module-registrations:${entry ?? ''}`, () =>
    appFiles
      .filter((file) => facts.readText(file)?.includes('HttpModule'))
      .flatMap((file) => {
        const moduleFile = facts.getSourceFile(file);
        return moduleFile ? registrationsIn(facts, moduleFile, spec) : [];
      }),
  );
  if (registrations.length === 0) return UNKNOWN; // the module that provides it is out of sight
  const outcomes = registrations.map((registration) => (registration === 'default instance' ? defaultInstanceStatus(facts, call) : registration));
  if (outcomes.every((status) => status === 'covered')) return COVERED;
  if (outcomes.every((status) => status === 'missing')) return { status: 'missing', reason: 'absent', site: { kind: 'none' }, spec };
  return UNKNOWN;
}

/**
 * The `main.ts` nearest above `dir`, in it or in a `src/` beside it, up to the project's
 * root: the app a file belongs to, where a monorepo project holds several.
 */
function appEntryOf(facts: ProjectFacts, dir: string): string | undefined {
  const known = facts.perGeneration('missing-timeout:app-entries', () => new Map<string, string | undefined>());
  if (known.has(dir)) return known.get(dir);
  const here = [path.join(dir, 'main.ts'), path.join(dir, 'src', 'main.ts')].find((candidate) => facts.readText(candidate) !== undefined);
  const parent = path.dirname(dir);
  const entry = here ?? (dir === facts.root || parent === dir || !parent.startsWith(facts.root) ? undefined : appEntryOf(facts, parent));
  known.set(dir, entry);
  return entry;
}

/** `http.axiosRef.defaults.timeout = ms`, or an interceptor that sets one, on an HttpService. */
function setsAxiosRefDefaults(facts: ProjectFacts, file: string): boolean {
  const sourceFile = facts.readText(file)?.includes('axiosRef') ? facts.getSourceFile(file) : undefined;
  return sourceFile !== undefined && setsDefaultTimeout(facts, sourceFile, 'http-service', (value) => value.kind === 'client' && value.httpModule === true);
}

type Status = Coverage['status'];
/** What one registration's config does; kept as a status so that the memo holds no nodes of the files it read. */
type Registration = Status | 'default instance';

function registrationsIn(facts: ProjectFacts, sourceFile: ts.SourceFile, spec: OptionSpec): Registration[] {
  const names = new Set<string>();
  for (const binding of importBindings(facts, sourceFile).values()) {
    if (binding.imported === 'HttpModule' && NEST_HTTP_MODULES.has(packageName(binding.module))) names.add(binding.local);
  }
  if (names.size === 0) return [];
  const found: Registration[] = [];
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isIdentifier(node) && names.has(node.text)) {
      const registration = registrationAt(node, facts, spec);
      if (registration) found.push(registration);
    }
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return found;
}

/** `HttpModule` listed in a module's imports, or `HttpModule.register(...)` / `.registerAsync(...)`. */
function registrationAt(name: ts.Identifier, facts: ProjectFacts, spec: OptionSpec): Registration | undefined {
  const parent = name.parent;
  // Listed in `imports` (or in a list spread into them); `exports: [HttpModule]` only passes on what was imported.
  if (ts.isArrayLiteralExpression(parent)) return isExportsList(parent) ? undefined : 'default instance';
  if (!ts.isPropertyAccessExpression(parent) || parent.expression !== name || !ts.isCallExpression(parent.parent) || parent.parent.expression !== parent) return undefined;
  const [options] = parent.parent.arguments;
  switch (parent.name.text) {
    case 'register':
      return options && !ts.isSpreadElement(options) ? evaluateOptions(options, spec, facts, { kind: 'none' }).status : 'unknown';
    case 'registerAsync':
      return options ? factoryStatus(options, facts, spec) : 'unknown';
    default:
      return undefined;
  }
}

/** `registerAsync({ useFactory: () => ({ timeout }) })`; a `useClass` or `useExisting` is not followed. */
function factoryStatus(options: ts.Expression, facts: ProjectFacts, spec: OptionSpec): Status {
  const object = skipOuterExpressions(options);
  if (!ts.isObjectLiteralExpression(object)) return 'unknown';
  const property = object.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'useFactory');
  const factory = property && ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : property;
  if (!factory || !isFunctionLikeDeclaration(factory)) return 'unknown';
  const returned = returnedExpressions(factory).map((e) => evaluateOptions(e, spec, facts, { kind: 'none' }).status);
  if (returned.length === 0) return 'unknown';
  if (returned.every((status) => status === 'covered')) return 'covered';
  return returned.includes('missing') ? 'missing' : 'unknown';
}

function isExportsList(list: ts.ArrayLiteralExpression): boolean {
  const holder = list.parent;
  return ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name) && holder.name.text === 'exports';
}

function defaultInstanceStatus(facts: ProjectFacts, call: ts.CallExpression): Status {
  return projectSetsAxiosDefaultTimeout(facts, call.getSourceFile()) ? 'covered' : 'missing';
}
