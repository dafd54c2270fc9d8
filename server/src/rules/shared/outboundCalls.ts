import { ts } from 'ts-morph';
import { importBindings } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { clientOfTypeName, clientValueOf, libraryOfModule, TYPED_CLIENT_MODULES, type ClientValue, type Library, type TraceOptions } from './clientValues';
import { declarationOf, isConst, lastNameOf, skipOuterExpressions } from './localDeclarations';
import { localCallTarget, resolveAcrossFiles } from './valueTrace';
import { isKnownNonClient } from './receiverDeclarations';

// Outbound call recognition: which calls leave the process over HTTP or RPC.
//
//   recognizeOutboundCall(call, options).client → 'fetch' | 'axios' | 'got' | 'ky' | 'ofetch' |
//     'superagent' | 'undici' | 'node-http' | 'grpc' | 'custom', or no call at all
//
// answers "is this call a network round trip, and through which client" for any rule (the
// N+1 rules' I/O summaries use it too). It recognises global fetch and its imports
// (node-fetch, undici, cross-fetch), axios/got/ky/ofetch/superagent clients and instances,
// undici request/Pool/Client, node:http(s) request/get and generated gRPC clients, traced
// through consts, class fields, factory functions and project imports; where that
// tracing finds nothing and the project depends on a client library, the type checker
// names the receiver's type (AxiosInstance, Got, KyInstance, ...). Calls to project
// functions that wrap such a call ("httpGet(url)") are recognised one level deep.
//
// recognizeOutboundCall gives the details missing-timeout needs: the argument that
// holds per-call options and the instance (with the calls that created it).

export type OutboundClient = Library | 'fetch' | 'custom';

export interface OutboundCall {
  client: OutboundClient;
  call: ts.CallExpression;
  /** The callee as written, for messages: 'axios.get', 'this.api.post', 'https.request'. */
  label: string;
  /** Index of the per-call options argument (it may be absent); undefined when the call shape cannot tell. */
  optionsIndex: number | undefined;
  value: ClientValue;
}

export interface RecognitionOptions extends TraceOptions {
  /** Function names the project configured as outbound clients. */
  customFunctions: ReadonlySet<string>;
  /** Class → methods configured as outbound calls (empty set: every method). */
  customMethods: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The checker of the analysed file's program, built on first use and asked only when
   * syntax cannot decide; undefined for other files' nodes, which its program may not hold.
   */
  typeChecker?: (sourceFile: ts.SourceFile) => ts.TypeChecker | undefined;
}

const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
/** superagent's request methods: the verbs, and `del` for delete. */
const SUPERAGENT_METHODS = new Set([...HTTP_VERBS, 'del']);
const AXIOS_URL_CONFIG = new Set(['get', 'delete', 'head', 'options', 'getUri']);
const AXIOS_URL_DATA_CONFIG = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
/** Members of grpc's Client that do not call a remote method. */
const GRPC_CLIENT_MEMBERS = new Set([
  'close', 'getChannel', 'waitForReady', 'makeUnaryRequest', 'makeClientStreamRequest', 'makeServerStreamRequest',
  'makeBidiStreamRequest', 'on', 'once', 'emit', 'bind', 'call', 'apply', 'toString', 'constructor',
]);
const CLIENT_PACKAGES = ['axios', 'got', 'ky', 'undici'];
/** Members worth tracing as a client called directly (`this.http(url)`, `this.apiClient(config)`), by how their names end. */
const CALLABLE_CLIENT_NAME = /(?:http|api|client|fetch|fetcher|agent|axios|got|ky)$/i;
/** Receivers worth a type lookup: `map.get(key)` is far more common than `api.get(url)`. */
const CLIENT_LIKE_NAME = /http|api|client|axios|got|ky|fetch|request|rest|sdk|service|agent|pool|instance|grpc|stub|transport|connector/i;

/** Recognises an outbound call and how it takes options. */
export function recognizeOutboundCall(call: ts.CallExpression, options: RecognitionOptions): OutboundCall | undefined {
  const callee = skipOuterExpressions(call.expression);
  const sourceFile = call.getSourceFile();
  const make = (client: OutboundClient, optionsIndex: number | undefined, value: ClientValue): OutboundCall => ({ client, call, label: callee.getText(sourceFile), optionsIndex, value });

  if (ts.isIdentifier(callee)) {
    if (options.customFunctions.has(callee.text)) return make('custom', undefined, { kind: 'custom', className: callee.text });
    const value = clientValueOf(callee, options);
    return value && callableCall(value, call, options, make);
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (options.customFunctions.has(method)) return make('custom', undefined, { kind: 'custom', className: method });
  // A member that may itself be a client to call: `https.get(url)`, `this.http(url)` on an ofetch or axios instance.
  const callableMember = CALLABLE_MEMBERS.has(method) || CALLABLE_CLIENT_NAME.test(method);
  const clientMethod = CALLABLE_MEMBERS.has(method) || SUPERAGENT_METHODS.has(method) || method === 'raw' || options.customMethods.size > 0 || mayBeGrpc(options.facts, sourceFile);
  if (!callableMember && !clientMethod) return undefined;

  const direct = callableMember ? clientValueOf(callee, options) : undefined;
  if (direct) return callableCall(direct, call, options, make);
  if (!clientMethod) return undefined;
  const receiver = clientValueOf(callee.expression, options) ?? typedReceiver(call, callee, options);
  if (!receiver) return undefined;
  if (receiver.kind === 'custom') {
    const methods = options.customMethods.get(receiver.className);
    return methods && (methods.size === 0 || methods.has(method)) ? make('custom', undefined, receiver) : undefined;
  }
  if (receiver.kind !== 'client') return undefined;
  switch (receiver.library) {
    case 'axios':
      if (method === 'request') return make('axios', 0, receiver);
      if (AXIOS_URL_CONFIG.has(method) && method !== 'getUri') return make('axios', 1, receiver);
      if (AXIOS_URL_DATA_CONFIG.has(method)) return make('axios', 2, receiver);
      return undefined;
    case 'got':
      if (HTTP_VERBS.has(method) && method !== 'options') return make('got', urlOrOptionsIndex(call.arguments[0], call.arguments.length, options.facts), receiver);
      return method === 'stream' ? make('got', urlOrOptionsIndex(call.arguments[0], call.arguments.length, options.facts), receiver) : undefined;
    case 'ky':
      return HTTP_VERBS.has(method) && method !== 'options' ? make('ky', 1, receiver) : undefined;
    case 'ofetch':
      return method === 'raw' ? make('ofetch', 1, receiver) : undefined;
    case 'superagent':
      return SUPERAGENT_METHODS.has(method) ? make('superagent', undefined, receiver) : undefined;
    case 'undici':
      return method === 'request' || method === 'stream' ? make('undici', 0, receiver) : undefined;
    case 'grpc':
      return GRPC_CLIENT_MEMBERS.has(method) || method.startsWith('$') ? undefined : make('grpc', undefined, receiver);
    default:
      return undefined;
  }
}

/** Members that are themselves request functions: `globalThis.fetch`, `https.get`, `undici.request`. */
const CALLABLE_MEMBERS = new Set(['fetch', 'request', 'get']);

function callableCall(
  value: ClientValue,
  call: ts.CallExpression,
  options: RecognitionOptions,
  make: (client: OutboundClient, optionsIndex: number | undefined, value: ClientValue) => OutboundCall,
): OutboundCall | undefined {
  const [first] = call.arguments;
  switch (value.kind) {
    case 'fetch':
      return first && readsLocalData(first, options.facts) ? undefined : make('fetch', 1, value);
    case 'requestFunction':
      return value.library === 'undici' ? make('undici', 1, value) : make('node-http', urlOrOptionsIndex(first, call.arguments.length, options.facts, true), value);
    case 'client':
      if (value.library === 'axios' || value.library === 'got') return make(value.library, urlOrOptionsIndex(first, call.arguments.length, options.facts), value);
      if (value.library === 'ky' || value.library === 'ofetch') return make(value.library, 1, value);
      // superagent(url), superagent('GET', url): options are chained on the request it returns.
      if (value.library === 'superagent') return make('superagent', undefined, value);
      return undefined;
    default:
      return undefined;
  }
}

/**
 * `fetch(canvas.toDataURL())`, `fetch(URL.createObjectURL(blob))`, `fetch('data:...')`, also
 * through a const: a `data:` or `blob:` URL is read from memory, with no server to wait for.
 * So is `fetch(new URL('./font.ttf', import.meta.url))`, a file shipped with the module
 * (edge runtimes and bundlers serve it from the deployment; Node's fetch refuses it at once).
 */
function readsLocalData(url: ts.Expression, facts: ProjectFacts, depth = 0): boolean {
  const e = skipOuterExpressions(url);
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e)) return /^(?:data|blob):/i.test(ts.isTemplateExpression(e) ? e.head.text : e.text);
  if (ts.isNewExpression(e)) return isModuleRelativeUrl(e);
  if (ts.isCallExpression(e)) {
    const callee = skipOuterExpressions(e.expression);
    return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'toDataURL' || (callee.name.text === 'createObjectURL' && callee.expression.getText() === 'URL'));
  }
  if (!ts.isIdentifier(e) || depth > 2) return false;
  const declaration = declarationOf(e, facts);
  const initializer = declaration?.kind === 'variable' && isConst(declaration.node) ? declaration.node.initializer : undefined;
  return !!initializer && readsLocalData(initializer, facts, depth + 1);
}

/** `new URL('./font.ttf', import.meta.url)`: a relative path resolved against the module's own URL. */
function isModuleRelativeUrl(e: ts.NewExpression): boolean {
  const [relative, base] = e.arguments ?? [];
  if (!ts.isIdentifier(e.expression) || e.expression.text !== 'URL' || !relative || !base || !ts.isStringLiteralLike(relative)) return false;
  // Only a path relative to the module (`./`, `../`): `/api/users` is the page's own server.
  if (!/^\.\.?\//.test(relative.text)) return false;
  const url = skipOuterExpressions(base);
  return ts.isPropertyAccessExpression(url) && url.name.text === 'url' && ts.isMetaProperty(url.expression) && url.expression.keywordToken === ts.SyntaxKind.ImportKeyword;
}

/**
 * `client(url, options)` or `client(options)`: options are the second argument unless the
 * first one is itself an options object. Undefined when a lone argument could be either.
 */
function urlOrOptionsIndex(first: ts.Expression | undefined, count: number, facts: ProjectFacts, callbackLast = false): number | undefined {
  if (!first) return undefined;
  const value = skipOuterExpressions(first);
  if (ts.isObjectLiteralExpression(value)) return 0;
  if (isUrlExpression(value)) return 1;
  if (ts.isIdentifier(value)) {
    const declaration = declarationOf(value, facts);
    const init = declaration?.kind === 'variable' ? declaration.node.initializer : undefined;
    if (init && ts.isObjectLiteralExpression(skipOuterExpressions(init))) return 0;
    if (init && isUrlExpression(skipOuterExpressions(init))) return 1;
    const type = declaration?.kind === 'parameter' || declaration?.kind === 'variable' ? declaration.node.type : undefined;
    if (type && (type.kind === ts.SyntaxKind.StringKeyword || (ts.isTypeReferenceNode(type) && type.typeName.getText() === 'URL'))) return 1;
  }
  // `http.get(options, callback)`: a function second argument means the first was the options.
  const second = ts.isCallExpression(first.parent) ? first.parent.arguments[1] : undefined;
  const callbackSecond = callbackLast && second !== undefined && (ts.isArrowFunction(second) || ts.isFunctionExpression(second));
  if (count >= 2 && !callbackSecond) return 1;
  return undefined;
}

function isUrlExpression(value: ts.Expression): boolean {
  if (ts.isStringLiteralLike(value) || ts.isTemplateExpression(value)) return true;
  if (ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'URL') return true;
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) return true;
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  return name !== undefined && /(?:url|uri|href|endpoint|link|path)$/i.test(name);
}

/** gRPC clients have any method names: only trace arbitrary method calls where gRPC is in use. */
function mayBeGrpc(facts: ProjectFacts, sourceFile: ts.SourceFile): boolean {
  const deps = facts.dependencies();
  if (deps.has('@grpc/grpc-js') || deps.has('grpc')) return true;
  return facts.perFile(sourceFile, 'outbound:imports-grpc', () => {
    for (const binding of importBindings(facts, sourceFile).values()) if (libraryOfModule(binding.module) === 'grpc') return true;
    return false;
  });
}

/**
 * Asks the type checker what the receiver is, when tracing found nothing: only for
 * HTTP-verb methods (or any method in a gRPC project) in projects that depend on a client
 * library, so ordinary code never pays for a program build.
 */
function typedReceiver(call: ts.CallExpression, callee: ts.PropertyAccessExpression, options: RecognitionOptions): ClientValue | undefined {
  if (!options.typeChecker) return undefined;
  const deps = options.facts.dependencies();
  const method = callee.name.text;
  const receiverName = lastNameOf(callee.expression);
  if (receiverName === undefined) return undefined;
  const sourceFile = callee.getSourceFile();
  const httpCandidate = (HTTP_VERBS.has(method) || method === 'request') && CLIENT_PACKAGES.some((p) => deps.has(p)) && CLIENT_LIKE_NAME.test(receiverName);
  const grpcCandidate = mayBeGrpc(options.facts, sourceFile) && /client|stub|service|grpc/i.test(receiverName);
  const customCandidate = options.customMethods.size > 0 && !/^(?:map|set|cache|list|array|items|result|results)$/i.test(receiverName);
  if (!httpCandidate && !grpcCandidate && !customCandidate) return undefined;
  // A configured client class may inherit the method: only the checker can tell whether the receiver is one.
  if (!customCandidate) {
    if (!hasTypeAssertion(callee.expression) && (callsProjectMember(call, sourceFile, options.facts) || isKnownNonClient(callee.expression, options.facts))) return undefined;
    // After the syntax: looking for node_modules makes the answer depend on every change, as the checker's does.
    if (!clientTypesVisible(options.facts, sourceFile.fileName)) return undefined;
  }
  const checker = options.typeChecker(sourceFile);
  if (!checker) return undefined;
  const type = checker.getTypeAtLocation(callee.expression);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  return clientOfType(type, checker, options, 0);
}

/**
 * Whether the call runs a method the project declares with a body (renovate's `http.get`
 * on its own Http class, typed by a parameter's annotation), or one declared by a project
 * interface or object type that extends nothing: its receiver is then a project object, not
 * a library's client, and the program that would say so is never built.
 */
function callsProjectMember(call: ts.CallExpression, sourceFile: ts.SourceFile, facts: ProjectFacts): boolean {
  const target = resolveAcrossFiles(facts, localCallTarget(facts, sourceFile, call), call);
  if (target?.kind === 'function') return true;
  const declaredBy = target?.kind === 'opaque' ? target.declaredBy : undefined;
  return declaredBy !== undefined && (ts.isTypeLiteralNode(declaredBy) || declaredBy.heritageClauses === undefined);
}

/**
 * Whether the checker could name a library's client type here at all: only through that
 * library's own declarations. In a checkout without node_modules (CI before `npm install`)
 * they are visible only if the project declares the module itself or maps it to a file of
 * its own; otherwise every answer would be `any`, and the program that gives it is not built.
 */
function clientTypesVisible(facts: ProjectFacts, fromFile: string): boolean {
  if (facts.packagesInstalled(fromFile)) return true;
  const ambient = facts.ambientModules();
  return TYPED_CLIENT_MODULES.some((module) => ambient.has(module) || facts.resolveModulePath(fromFile, module) !== undefined);
}

/** `(this.http as AxiosInstance).get()`: the tracing above looks through casts, the checker does not. */
function hasTypeAssertion(receiver: ts.Expression): boolean {
  for (let e: ts.Expression = receiver; ; e = e.expression) {
    if (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e)) return true;
    if (!ts.isParenthesizedExpression(e) && !ts.isNonNullExpression(e) && !ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e) && !ts.isCallExpression(e)) return false;
  }
}

function clientOfType(type: ts.Type, checker: ts.TypeChecker, options: RecognitionOptions, depth: number): ClientValue | undefined {
  for (const symbol of [type.aliasSymbol, type.getSymbol()]) {
    if (!symbol) continue;
    if (options.customMethods.has(symbol.name)) return { kind: 'custom', className: symbol.name };
    const module = declaringModule(symbol);
    const value = module === undefined ? undefined : clientOfTypeName(libraryOfModule(module), symbol.name);
    if (value) return value;
  }
  if (depth < 4 && type.isClassOrInterface()) {
    for (const base of checker.getBaseTypes(type)) {
      const value = clientOfType(base, checker, options, depth + 1);
      if (value) return value;
    }
  }
  return undefined;
}

/** The package a symbol is declared in: from its node_modules path or its `declare module 'x'`. */
function declaringModule(symbol: ts.Symbol): string | undefined {
  const declaration = symbol.declarations?.[0];
  if (!declaration) return undefined;
  for (let node: ts.Node | undefined = declaration.parent; node; node = node.parent) {
    if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) return node.name.text;
  }
  const fileName = declaration.getSourceFile().fileName.replace(/\\/g, '/');
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(fileName.slice(fileName.lastIndexOf('/node_modules/')));
  const pkg = match?.[1];
  if (pkg === 'undici-types') return 'undici';
  if (pkg === '@types/node') return /\/https?\.d\.ts$/.test(fileName) ? 'http' : undefined;
  return pkg;
}
