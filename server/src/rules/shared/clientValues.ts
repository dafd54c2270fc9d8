import { ts } from 'ts-morph';
import { packageName, type ImportBinding } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { classOfThis, declarationOf, exportedDeclaration, importedDeclaration, isFunctionLikeDeclaration, memberOf, methodOf, returnedExpressions, skipOuterExpressions, staticMethodCalled, type FunctionLike } from './localDeclarations';

// What an expression holds, when it is an HTTP or RPC client: the fetch function, a
// library's default export (`axios`), an instance and the calls that created it
// (`axios.create({...})`, `got.extend(...)`, `new Pool(...)`, a generated gRPC client),
// or a module object (`https`, `undici`). Traced through consts, class fields, factory
// functions and imports of project files, without the type checker.

export type Library = 'axios' | 'got' | 'ky' | 'ofetch' | 'superagent' | 'undici' | 'node-http' | 'grpc';

/** A call that created an instance, with the option objects it was given. */
export interface Creation {
  node: ts.CallExpression | ts.NewExpression;
  options: readonly ts.Expression[];
  /** What it was created from: `axios` for `axios.create`, another instance for `api.extend`. */
  base: ClientValue | undefined;
}

export type ClientValue =
  /** A fetch function; node-fetch 2 also honours its own `timeout` option. */
  | { kind: 'fetch'; nodeFetch?: boolean }
  /** `undici`, `https`, `@grpc/grpc-js` as namespaces: their members are what matter. */
  | { kind: 'module'; library: 'undici' | 'node-http' | 'grpc' }
  /** `request`/`get` imported by name from undici or node:http(s). */
  | { kind: 'requestFunction'; library: 'undici' | 'node-http'; name: string }
  /** undici's Pool, Client, Agent, BalancedPool classes. */
  | { kind: 'dispatcherClass'; name: string }
  /**
   * A client: the library's default export when `creations` is empty and `unknownOrigin`
   * is false (`axios`, `got`, `ky`, ofetch's `ofetch`, `superagent`), otherwise an
   * instance. `unknownOrigin`: at least one way the value is produced could not be traced
   * (an injected `AxiosInstance`). `httpModule`: NestJS's HttpService, whose axios
   * instance is the one its HttpModule was registered with (see nestHttpModule.ts).
   */
  | { kind: 'client'; library: Library; creations: readonly Creation[]; unknownOrigin: boolean; isDefault: boolean; httpModule?: true }
  /** An instance of a class the project configured as an outbound client. */
  | { kind: 'custom'; className: string };

export interface TraceOptions {
  facts: ProjectFacts;
  /** Classes the project named as outbound clients (option `clientClasses`, without method suffixes). */
  customClasses: ReadonlySet<string>;
}

const MODULE_LIBRARIES: Record<string, Library | 'fetch'> = {
  axios: 'axios',
  got: 'got',
  ky: 'ky',
  'ky-universal': 'ky',
  ofetch: 'ofetch',
  superagent: 'superagent',
  undici: 'undici',
  http: 'node-http',
  https: 'node-http',
  '@grpc/grpc-js': 'grpc',
  grpc: 'grpc',
  'node-fetch': 'fetch',
  'cross-fetch': 'fetch',
  'isomorphic-fetch': 'fetch',
  'isomorphic-unfetch': 'fetch',
};

/** The library a module specifier names, if it is an outbound client. */
export function libraryOfModule(specifier: string): Library | 'fetch' | undefined {
  return MODULE_LIBRARIES[packageName(specifier)];
}

/** A package whose declarations hold the client types the checker recognises (clientOfTypeName); undici-types is where @types/node takes undici's from. */
export function isClientPackage(name: string): boolean {
  return libraryOfModule(name) !== undefined || name === 'undici-types';
}

const MAX_DEPTH = 8;

/** Traces `expression` to the client it holds; undefined when it is not (known to be) one. */
export function clientValueOf(expression: ts.Expression, options: TraceOptions): ClientValue | undefined {
  return trace(expression, options, 0, new Set());
}

function trace(expression: ts.Expression, options: TraceOptions, depth: number, seen: Set<ts.Node>): ClientValue | undefined {
  if (depth > MAX_DEPTH || seen.has(expression)) return undefined;
  seen.add(expression);
  const e = skipOuterExpressions(expression);
  if (ts.isIdentifier(e)) return traceIdentifier(e, options, depth, seen);
  if (ts.isPropertyAccessExpression(e)) {
    if (e.expression.kind === ts.SyntaxKind.ThisKeyword) return traceThisMember(e, options, depth, seen);
    if (ts.isIdentifier(e.expression) && ['globalThis', 'window', 'self', 'global'].includes(e.expression.text) && e.name.text === 'fetch') {
      return declarationOf(e.expression, options.facts) ? undefined : { kind: 'fetch' };
    }
    const owner = trace(e.expression, options, depth + 1, seen);
    if (owner?.kind === 'module' && owner.library === 'undici' && e.name.text === 'fetch') return { kind: 'fetch' };
    if (owner?.kind === 'module' && owner.library !== 'grpc' && (e.name.text === 'request' || (owner.library === 'node-http' && e.name.text === 'get'))) {
      return { kind: 'requestFunction', library: owner.library, name: e.name.text };
    }
    if (owner?.kind === 'module' && owner.library === 'undici' && DISPATCHER_CLASSES.has(e.name.text)) return { kind: 'dispatcherClass', name: e.name.text };
    if (owner?.kind === 'client' && owner.library === 'got' && owner.isDefault && e.name.text === 'default') return owner;
    // HttpService.axiosRef: the axios instance the service sends its requests with.
    if (owner?.kind === 'client' && owner.httpModule && e.name.text === 'axiosRef') return owner;
    return undefined;
  }
  if (ts.isCallExpression(e)) return traceCall(e, options, depth, seen);
  if (ts.isNewExpression(e)) return traceNew(e, options, depth, seen);
  if (ts.isConditionalExpression(e)) return merge([trace(e.whenTrue, options, depth + 1, seen), trace(e.whenFalse, options, depth + 1, seen)]);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return merge([trace(e.left, options, depth + 1, seen), trace(e.right, options, depth + 1, seen)]);
  }
  return undefined;
}

const DISPATCHER_CLASSES = new Set(['Pool', 'Client', 'Agent', 'BalancedPool', 'RetryAgent']);

function traceIdentifier(identifier: ts.Identifier, options: TraceOptions, depth: number, seen: Set<ts.Node>): ClientValue | undefined {
  const declaration = declarationOf(identifier, options.facts);
  if (!declaration) {
    if (identifier.text === 'fetch') return { kind: 'fetch' };
    return identifier.text === '$fetch' && declaresGlobalOfetch(options.facts) ? defaultClient('ofetch') : undefined;
  }
  switch (declaration.kind) {
    case 'import':
      return traceImport(declaration.binding, identifier.getSourceFile(), options, depth, seen);
    case 'variable': {
      const { node } = declaration;
      if (node.initializer) return trace(node.initializer, options, depth + 1, seen);
      return node.type ? valueOfType(node.type, options) : undefined;
    }
    case 'parameter':
      return declaration.node.type ? valueOfType(declaration.node.type, options) : undefined;
    default:
      return undefined;
  }
}

function traceImport(binding: ImportBinding, fromFile: ts.SourceFile, options: TraceOptions, depth: number, seen: Set<ts.Node>): ClientValue | undefined {
  const library = libraryOfModule(binding.module);
  const imported = binding.imported;
  const whole = imported === 'default' || imported === '*';
  switch (library) {
    case 'fetch':
      return whole || imported === 'fetch' ? { kind: 'fetch', nodeFetch: packageName(binding.module) === 'node-fetch' } : undefined;
    case 'axios':
    case 'ky':
      return whole ? defaultClient(library) : undefined;
    case 'got':
      return whole || imported === 'got' ? defaultClient('got') : undefined;
    case 'ofetch':
      return imported === 'ofetch' || imported === '$fetch' ? defaultClient('ofetch') : undefined;
    case 'superagent':
      return whole ? defaultClient('superagent') : undefined;
    case 'undici':
      if (imported === 'fetch') return { kind: 'fetch' };
      if (imported === 'request') return { kind: 'requestFunction', library: 'undici', name: 'request' };
      if (DISPATCHER_CLASSES.has(imported)) return { kind: 'dispatcherClass', name: imported };
      return whole ? { kind: 'module', library: 'undici' } : undefined;
    case 'node-http':
      if (imported === 'request' || imported === 'get') return { kind: 'requestFunction', library: 'node-http', name: imported };
      return whole ? { kind: 'module', library: 'node-http' } : undefined;
    case 'grpc':
      return whole ? { kind: 'module', library: 'grpc' } : undefined;
    default: {
      const target = importedDeclaration(options.facts, fromFile, binding);
      if (!target) return undefined;
      if (ts.isVariableDeclaration(target)) return target.initializer ? trace(target.initializer, options, depth + 1, seen) : undefined;
      if (ts.isExpression(target)) return trace(target, options, depth + 1, seen);
      return undefined;
    }
  }
}

/** Nuxt and Nitro make ofetch's `$fetch` a global: their projects call it without an import. */
function declaresGlobalOfetch(facts: ProjectFacts): boolean {
  const dependencies = facts.dependencies();
  return dependencies.has('nuxt') || dependencies.has('nitropack');
}

function defaultClient(library: Library): ClientValue {
  return { kind: 'client', library, creations: [], unknownOrigin: false, isDefault: true };
}

/** `this.client`: every value the class (or a base class) gives the field. */
function traceThisMember(access: ts.PropertyAccessExpression, options: TraceOptions, depth: number, seen: Set<ts.Node>): ClientValue | undefined {
  const cls = classOfThis(access);
  if (!cls) return undefined;
  const member = memberOf(cls, access.name.text, options.facts);
  if (!member) return undefined;
  const values: (ClientValue | undefined)[] = [];
  for (const declaration of member.declarations) {
    if (ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration)) {
      if (declaration.initializer) values.push(trace(declaration.initializer, options, depth + 1, seen));
      // A field declared with only a type gets its value from the assignments below; a
      // parameter property gets it from whoever constructs the class: only the type is known.
      else if (declaration.type && (ts.isParameter(declaration) || member.assignments.length === 0)) values.push(valueOfType(declaration.type, options));
    } else if (ts.isGetAccessorDeclaration(declaration)) {
      values.push(...returnedExpressions(declaration).map((e) => trace(e, options, depth + 1, seen)));
    }
  }
  for (const assigned of member.assignments) {
    // `this.api = rateLimit(this.api, ...)` decorates the same instance: it adds no origin.
    if (mentionsThisMember(assigned, access.name.text)) continue;
    values.push(trace(assigned, options, depth + 1, seen));
  }
  return merge(values);
}

function mentionsThisMember(expression: ts.Expression, name: string): boolean {
  const stack: ts.Node[] = [expression];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && node.name.text === name) return true;
    if (isFunctionLikeDeclaration(node)) continue;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}

/** Libraries whose default export makes instances, and the methods that make them. */
type InstanceLibrary = 'axios' | 'got' | 'ky' | 'ofetch' | 'superagent';

const INSTANCE_FACTORIES: Record<InstanceLibrary, ReadonlySet<string>> = {
  axios: new Set(['create']),
  got: new Set(['extend']),
  ky: new Set(['create', 'extend']),
  ofetch: new Set(['create']),
  superagent: new Set(['agent']),
};

function makesInstances(library: Library): library is InstanceLibrary {
  return library in INSTANCE_FACTORIES;
}

function traceCall(call: ts.CallExpression, options: TraceOptions, depth: number, seen: Set<ts.Node>): ClientValue | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const base = trace(callee.expression, options, depth + 1, seen);
    if (base?.kind === 'client' && makesInstances(base.library) && INSTANCE_FACTORIES[base.library].has(callee.name.text)) {
      return {
        kind: 'client',
        library: base.library,
        creations: [{ node: call, options: call.arguments.filter((a) => !ts.isSpreadElement(a)), base }],
        unknownOrigin: call.arguments.some(ts.isSpreadElement),
        isDefault: false,
      };
    }
    // A static factory of a project class, `ApiClient.create()`, or a method of this class or
    // one it extends, `this.getHttp()`. What a library's value returns (`axios.get()`) is no
    // class of the project's.
    const factory = base ? undefined : (staticMethodCalled(call, options.facts)?.method ?? thisMethodCalled(callee, options.facts));
    return factory && merge(returnedExpressions(factory).map((e) => trace(e, options, depth + 1, seen)));
  }
  // A factory function of the project: `const api = createApiClient()`.
  const factory = ts.isIdentifier(callee) ? functionNamed(callee, options.facts) : undefined;
  if (!factory) return undefined;
  return merge(returnedExpressions(factory).map((e) => trace(e, options, depth + 1, seen)));
}

function thisMethodCalled(callee: ts.PropertyAccessExpression, facts: ProjectFacts): FunctionLike | undefined {
  const cls = callee.expression.kind === ts.SyntaxKind.ThisKeyword ? classOfThis(callee) : undefined;
  return cls && methodOf(cls, callee.name.text, facts);
}

function traceNew(expression: ts.NewExpression, options: TraceOptions, depth: number, seen: Set<ts.Node>): ClientValue | undefined {
  const constructed = trace(expression.expression, options, depth + 1, seen);
  const args = expression.arguments ?? [];
  if (constructed?.kind === 'dispatcherClass') {
    // Pool/Client take (origin, options); Agent takes (options).
    const optionArgs = constructed.name === 'Agent' || constructed.name === 'RetryAgent' ? args.slice(0, 1) : args.slice(1, 2);
    return { kind: 'client', library: 'undici', creations: [{ node: expression, options: optionArgs, base: undefined }], unknownOrigin: false, isDefault: false };
  }
  const className = ts.isIdentifier(expression.expression) ? expression.expression.text : ts.isPropertyAccessExpression(expression.expression) ? expression.expression.name.text : undefined;
  if (className && options.customClasses.has(className)) return { kind: 'custom', className };
  if (looksLikeGrpcClient(expression, options)) {
    return { kind: 'client', library: 'grpc', creations: [{ node: expression, options: args.slice(2, 3), base: undefined }], unknownOrigin: false, isDefault: false };
  }
  return undefined;
}

/**
 * A generated gRPC client is constructed with (address, credentials[, options]); the
 * credentials come from grpc's `credentials` or `ChannelCredentials`, which the
 * constructor call names.
 */
function looksLikeGrpcClient(expression: ts.NewExpression, options: TraceOptions): boolean {
  const credentials = expression.arguments?.[1];
  if (!credentials) return false;
  const sourceFile = expression.getSourceFile();
  const text = credentials.getText(sourceFile);
  if (!/\bcredentials\b|ChannelCredentials|createInsecure|createSsl/.test(text)) {
    if (!ts.isIdentifier(credentials)) return false;
    const declaration = declarationOf(credentials, options.facts);
    const init = declaration?.kind === 'variable' ? declaration.node.initializer : undefined;
    if (!init || !/\bcredentials\b|ChannelCredentials|createInsecure|createSsl/.test(init.getText(sourceFile))) return false;
  }
  return true;
}

/** A type annotation naming a client type: `AxiosInstance`, `Got`, `KyInstance`, undici's `Pool`, grpc's `Client`. */
function valueOfType(type: ts.TypeNode, options: TraceOptions): ClientValue | undefined {
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  let binding: ImportBinding | undefined;
  let typeName: string;
  if (ts.isIdentifier(name)) {
    typeName = name.text;
    if (options.customClasses.has(typeName)) return { kind: 'custom', className: typeName };
    const declaration = declarationOf(name, options.facts);
    binding = declaration?.kind === 'import' ? declaration.binding : undefined;
    if (binding) typeName = binding.imported;
  } else {
    typeName = name.right.text;
    if (options.customClasses.has(typeName)) return { kind: 'custom', className: typeName };
    const declaration = ts.isIdentifier(name.left) ? declarationOf(name.left, options.facts) : undefined;
    binding = declaration?.kind === 'import' && declaration.binding.imported === '*' ? declaration.binding : undefined;
    if (declaration?.kind === 'import' && declaration.binding.imported === 'default') binding = declaration.binding;
  }
  if (!binding) return undefined;
  if (typeName === 'HttpService' && NEST_HTTP_MODULES.has(packageName(binding.module))) return HTTP_SERVICE;
  return clientOfTypeName(libraryOfModule(binding.module), typeName);
}

/** The packages of NestJS's HttpService and HttpModule: @nestjs/axios, and @nestjs/common before Nest 8. */
export const NEST_HTTP_MODULES = new Set(['@nestjs/axios', '@nestjs/common']);
const HTTP_SERVICE: ClientValue = { kind: 'client', library: 'axios', creations: [], unknownOrigin: false, isDefault: false, httpModule: true };

/** The libraries clientOfTypeName (below) knows type names of: keep the two in step. */
const TYPED_LIBRARIES = new Set<Library | 'fetch'>(['axios', 'got', 'ky', 'ofetch', 'undici', 'grpc']);

/** The modules whose declarations clientOfTypeName can name a client from (undici-types carries undici's, for @types/node). */
export const TYPED_CLIENT_MODULES: readonly string[] = [
  ...Object.keys(MODULE_LIBRARIES).filter((module) => TYPED_LIBRARIES.has(MODULE_LIBRARIES[module]!)),
  'undici-types',
];

/** Client types by library and exported type name. */
export function clientOfTypeName(library: Library | 'fetch' | undefined, typeName: string): ClientValue | undefined {
  const instance = (lib: Library): ClientValue => ({ kind: 'client', library: lib, creations: [], unknownOrigin: true, isDefault: false });
  switch (library) {
    case 'axios':
      if (typeName === 'AxiosStatic') return defaultClient('axios');
      return typeName === 'AxiosInstance' ? instance('axios') : undefined;
    case 'got':
      return typeName === 'Got' ? instance('got') : undefined;
    case 'ky':
      return typeName === 'KyInstance' ? instance('ky') : undefined;
    case 'ofetch':
      return typeName === '$Fetch' ? instance('ofetch') : undefined;
    case 'undici':
      return DISPATCHER_CLASSES.has(typeName) || typeName === 'Dispatcher' ? instance('undici') : undefined;
    case 'grpc':
      return typeName === 'Client' ? instance('grpc') : undefined;
    default:
      return undefined;
  }
}

/** A function declared in the project that an identifier names (locally or through an import). */
export function functionNamed(identifier: ts.Identifier, facts: ProjectFacts): FunctionLike | undefined {
  const declaration = declarationOf(identifier, facts);
  if (!declaration) return undefined;
  if (declaration.kind === 'function') return declaration.node.body ? declaration.node : undefined;
  if (declaration.kind === 'variable') return functionValue(declaration.node.initializer);
  if (declaration.kind === 'import') return importedFunction(facts, identifier.getSourceFile(), declaration.binding);
  return undefined;
}

/** The project function an import binding names: `import { get } from './http'`. */
function importedFunction(facts: ProjectFacts, fromFile: ts.SourceFile, binding: ImportBinding): FunctionLike | undefined {
  if (libraryOfModule(binding.module)) return undefined;
  return functionDeclared(importedDeclaration(facts, fromFile, binding));
}

/** The project function a module exports under a name. */
export function exportedFunction(facts: ProjectFacts, module: ts.SourceFile, name: string): FunctionLike | undefined {
  return functionDeclared(exportedDeclaration(facts, module, name));
}

function functionDeclared(target: ts.Node | undefined): FunctionLike | undefined {
  if (!target) return undefined;
  if (ts.isFunctionDeclaration(target)) return target.body ? target : undefined;
  if (ts.isVariableDeclaration(target)) return functionValue(target.initializer);
  if (ts.isExpression(target)) return functionValue(target);
  return undefined;
}

function functionValue(expression: ts.Expression | undefined): FunctionLike | undefined {
  const value = expression && skipOuterExpressions(expression);
  return value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) ? value : undefined;
}

/** One value for several possible origins: clients of one library combine their creations. */
function merge(values: (ClientValue | undefined)[]): ClientValue | undefined {
  const known = values.filter((v): v is ClientValue => v !== undefined);
  const first = known[0];
  if (!first) return undefined;
  if (first.kind !== 'client') return known.every((v) => v.kind === first.kind) ? first : undefined;
  const clients = known.filter((v): v is Extract<ClientValue, { kind: 'client' }> => v.kind === 'client' && v.library === first.library);
  if (clients.length !== known.length) return undefined;
  const fromHttpModule = clients.filter((c) => c.httpModule).length;
  return {
    kind: 'client',
    library: first.library,
    creations: clients.flatMap((c) => c.creations),
    // An origin that traced to nothing (a parameter with no annotation) is unknown too, and
    // so is an HttpService that may also be another instance.
    unknownOrigin: clients.some((c) => c.unknownOrigin) || values.length !== known.length || (fromHttpModule > 0 && fromHttpModule < clients.length),
    isDefault: clients.every((c) => c.isDefault),
    ...(fromHttpModule > 0 && fromHttpModule === clients.length ? { httpModule: true as const } : {}),
  };
}
