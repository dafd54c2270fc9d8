import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { chainOf, isChainLink } from './callSites';
import { clientValueOf, type ClientValue, type Creation, type TraceOptions } from './clientValues';
import { clientDefaultsIn, projectSetsAxiosDefaultTimeout, startupConfigurationFiles } from './clientDefaults';
import { declarationOf, isConst, isFunctionLikeDeclaration, outermostWrapping, skipOuterExpressions } from './localDeclarations';
import { httpModuleCoverage } from './nestHttpModule';
import type { OutboundCall } from './outboundCalls';
import { forEachReference, isTimerCall, scopeOf } from './timeBounds';
import { anyOf, COVERED, evaluateAt, evaluateOptions, UNKNOWN, type Coverage, type MissingSite, type OptionKind, type OptionSpec } from './timeoutOptions';

// Whether one outbound call is bounded in time, client by client: the call's own options,
// then what its instance was created with (`axios.create({ timeout })`, `got.extend`,
// `new Pool(origin, { headersTimeout })`) and later defaults (`api.defaults.timeout = ...`).

const spec = (preferred: string, options: Record<string, OptionKind>): OptionSpec => ({ preferred, options: new Map(Object.entries(options)) });

const SPECS = {
  fetch: spec('signal', { signal: 'signal' }),
  nodeFetch: spec('signal', { signal: 'signal', timeout: 'duration' }),
  axios: spec('timeout', { timeout: 'duration', signal: 'signal', cancelToken: 'present' }),
  got: spec('timeout', { timeout: 'gotTimeout', signal: 'signal' }),
  ky: spec('timeout', { timeout: 'kyTimeout', signal: 'signal' }),
  ofetch: spec('timeout', { timeout: 'duration', signal: 'signal' }),
  superagent: spec('timeout', { timeout: 'duration' }),
  undici: spec('signal', { signal: 'signal', headersTimeout: 'duration', bodyTimeout: 'duration' }),
  'node-http': spec('signal', { signal: 'signal' }),
  grpc: spec('deadline', { deadline: 'deadline' }),
  custom: spec('timeout', { timeout: 'duration', timeoutMs: 'duration', signal: 'signal', abortSignal: 'signal', deadline: 'deadline' }),
} as const;

export function coverageOf(outbound: OutboundCall, options: TraceOptions): Coverage {
  const { facts } = options;
  switch (outbound.client) {
    case 'fetch': {
      const optionSpec = outbound.value.kind === 'fetch' && outbound.value.nodeFetch ? SPECS.nodeFetch : SPECS.fetch;
      return withInstance(callOptions(outbound, optionSpec, facts), () => requestCoverage(outbound.call.arguments[0], optionSpec, facts, 0));
    }
    case 'axios':
    case 'got':
    case 'ofetch':
    case 'undici':
      return withInstance(callOptions(outbound, SPECS[outbound.client], facts), () => instanceCoverage(outbound.value, outbound.call, options));
    case 'ky':
      return kyCoverage(outbound, options);
    case 'superagent':
      // An agent's defaults (`agent.timeout(...)`) are set by calls on it that are not traced.
      return outbound.value.kind === 'client' && !outbound.value.isDefault ? UNKNOWN : superagentCoverage(outbound.call);
    case 'node-http':
      return nodeHttpCoverage(outbound, facts);
    case 'grpc':
      return grpcCoverage(outbound, facts);
    case 'custom':
      return customCoverage(outbound.call, facts);
  }
}

function callOptions(outbound: OutboundCall, optionSpec: OptionSpec, facts: ProjectFacts): Coverage {
  const { call, optionsIndex } = outbound;
  if (optionsIndex === undefined) return UNKNOWN;
  if (call.arguments.slice(0, optionsIndex + 1).some(ts.isSpreadElement)) return UNKNOWN;
  const argument = call.arguments[optionsIndex];
  const isCallback = argument !== undefined && (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument));
  const site: MissingSite = { kind: 'argument', call, index: optionsIndex, option: optionSpec.preferred, value: false };
  return evaluateOptions(isCallback ? undefined : argument, optionSpec, facts, site);
}

/** The call's own setting wins; without one, the instance's applies. */
function withInstance(call: Coverage, instance: () => Coverage): Coverage {
  if (call.status === 'covered' || call.status === 'unknown') return call;
  if (call.status === 'missing' && call.reason === 'disabled') return call;
  const fromInstance = instance();
  return fromInstance.status === 'covered' || fromInstance.status === 'unknown' ? fromInstance : call;
}

const ABSENT: Coverage = { status: 'missing', reason: 'absent', site: { kind: 'none' }, spec: SPECS.fetch };

/**
 * `fetch(request)`: a Request carries the signal of the init it was built with
 * (`new Request(url, { signal })`), or else that of the Request it copies.
 */
function requestCoverage(input: ts.Expression | undefined, optionSpec: OptionSpec, facts: ProjectFacts, depth: number): Coverage {
  const request = input && depth < 4 ? requestConstruction(input, facts) : undefined;
  if (!request) return ABSENT;
  const [source, init] = request.arguments ?? [];
  const own = init && !ts.isSpreadElement(init) ? evaluateOptions(init, optionSpec, facts, { kind: 'none' }) : ABSENT;
  return own.status === 'missing' && own.reason === 'absent' ? withInstance(own, () => requestCoverage(source, optionSpec, facts, depth + 1)) : own;
}

/** `new Request(...)`, written in place or held by a const. */
function requestConstruction(input: ts.Expression, facts: ProjectFacts): ts.NewExpression | undefined {
  let e = skipOuterExpressions(input);
  if (ts.isIdentifier(e)) {
    const declaration = declarationOf(e, facts);
    const variable = declaration?.kind === 'variable' ? declaration.node : undefined;
    if (!variable?.initializer || !isConst(variable)) return undefined;
    e = skipOuterExpressions(variable.initializer);
  }
  return ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Request' ? e : undefined;
}

function instanceCoverage(value: ClientValue, call: ts.CallExpression, options: TraceOptions): Coverage {
  if (value.kind !== 'client') return ABSENT; // undici's request(): only the call's options count
  if (value.isDefault) {
    return value.library === 'axios' && projectSetsAxiosDefaultTimeout(options.facts, call.getSourceFile()) ? COVERED : ABSENT;
  }
  if (value.unknownOrigin) return UNKNOWN;
  if (value.httpModule) return httpModuleCoverage(options.facts, call, SPECS.axios);
  return allOf(value.creations.map((creation) => creationCoverage(creation, value.library, [call.getSourceFile()], options, 0)));
}

function allOf(results: Coverage[]): Coverage {
  if (results.length === 0) return UNKNOWN;
  if (results.every((r) => r.status === 'covered')) return COVERED;
  return results.find((r) => r.status === 'missing') ?? UNKNOWN;
}

function creationCoverage(creation: Creation, library: string, alsoSearch: ts.SourceFile[], options: TraceOptions, depth: number): Coverage {
  const { facts } = options;
  const optionSpec = library === 'undici' || library === 'got' || library === 'ky' || library === 'ofetch' ? SPECS[library] : SPECS.axios;
  let own: Coverage | undefined;
  for (const argument of creation.options) {
    const result = evaluateAt(argument, [], { kind: 'options' }, optionSpec, facts, 0);
    // A factory's parameter: the instance's callers are not the call sites this rule sees.
    const located = result.status === 'forwarded' ? UNKNOWN : result;
    own = own ? anyOf(own, located) : located;
  }
  if (own && (own.status === 'covered' || own.status === 'unknown')) return own;
  if (own?.status === 'missing' && own.reason === 'disabled') return own;
  if (creation.options.some(configuresTimeoutInCode)) return UNKNOWN;
  const creationFile = creation.node.getSourceFile();
  for (const file of new Set([creationFile, ...alsoSearch, ...startupConfigurationFiles(facts)])) {
    for (const entry of clientDefaultsIn(facts, file)) {
      if (!entry.bounds) continue;
      const target = clientValueOf(entry.target, options);
      if (target?.kind === 'client' && target.creations.some((c) => c.node === creation.node)) return entry.bounds === 'yes' ? COVERED : UNKNOWN;
    }
  }
  const base = creation.base;
  if (base?.kind === 'client' && depth < 4) {
    if (base.isDefault) {
      // Instances copy axios.defaults when created: only an assignment that runs earlier counts.
      const earlier = clientDefaultsIn(facts, creationFile).some(
        (entry) => entry.bounds === 'yes' && entry.position < creation.node.getStart() && isDefaultTarget(entry.target, options),
      );
      if (earlier) return COVERED;
    } else if (!base.unknownOrigin) {
      const inherited = allOf(base.creations.map((c) => creationCoverage(c, library, alsoSearch, options, depth + 1)));
      if (inherited.status !== 'missing') return inherited;
    } else {
      return UNKNOWN;
    }
  }
  return own ?? { status: 'missing', reason: 'absent', site: objectSite(creation, optionSpec), spec: optionSpec };
}

function isDefaultTarget(target: ts.Expression, options: TraceOptions): boolean {
  const value = clientValueOf(target, options);
  return value?.kind === 'client' && value.isDefault;
}

function objectSite(creation: Creation, optionSpec: OptionSpec): MissingSite {
  const first = creation.options[0] && skipOuterExpressions(creation.options[0]);
  return first && ts.isObjectLiteralExpression(first) ? { kind: 'object', object: first, option: optionSpec.preferred } : { kind: 'none' };
}

/** Hooks or interceptors in the config that set a timeout per request. */
function configuresTimeoutInCode(config: ts.Expression): boolean {
  const stack: ts.Node[] = [config];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionLikeDeclaration(node) && /timeout|signal/i.test(node.getText())) return true;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}

/** ky has a 10 s default timeout: only `timeout: false` (on the call or its instance) removes it. */
function kyCoverage(outbound: OutboundCall, options: TraceOptions): Coverage {
  const call = callOptions(outbound, SPECS.ky, options.facts);
  if (call.status !== 'missing' || call.reason === 'disabled') return call.status === 'forwarded' ? COVERED : call;
  if (outbound.value.kind !== 'client' || outbound.value.isDefault || outbound.value.unknownOrigin) return COVERED;
  for (const creation of outbound.value.creations) {
    const instance = creationCoverage(creation, 'ky', [], options, 0);
    if (instance.status === 'missing' && instance.reason === 'disabled') return { ...call, reason: 'disabled' };
  }
  return COVERED;
}

/** Methods that send a superagent request (it is a thenable), or stream it. */
const SUPERAGENT_SENDS = new Set(['then', 'catch', 'finally', 'end', 'pipe']);

/**
 * superagent: a `.timeout(...)` chained on the request before it is sent. A request the
 * chain neither awaits nor sends (returned, stored, handed on) may get one elsewhere.
 */
function superagentCoverage(call: ts.CallExpression): Coverage {
  let sent = false;
  for (let node: ts.Node = call; isChainLink(node.parent, node); node = node.parent) {
    const link = node.parent;
    if (!ts.isPropertyAccessExpression(link) || !isChainLink(link.parent, link) || !ts.isCallExpression(link.parent)) continue;
    if (link.name.text === 'timeout') return COVERED;
    if (SUPERAGENT_SENDS.has(link.name.text)) sent = true;
  }
  if (!sent && !ts.isAwaitExpression(outermostWrapping(chainOf(call)).parent)) return UNKNOWN;
  return { status: 'missing', reason: 'absent', site: { kind: 'chained', call, option: 'timeout' }, spec: SPECS.superagent };
}

/**
 * node:http(s): only a signal or a 'timeout' handler that destroys the request bounds
 * it. The `timeout` option alone just emits 'timeout'; the request goes on waiting.
 */
function nodeHttpCoverage(outbound: OutboundCall, facts: ProjectFacts): Coverage {
  const signal = callOptions(outbound, SPECS['node-http'], facts);
  if (signal.status !== 'missing' || signal.reason !== 'absent') return signal;
  const handling = timeoutHandling(outbound.call);
  if (handling === 'destroys') return COVERED;
  if (handling === 'unknown') return UNKNOWN;
  const optionsArgument = outbound.optionsIndex === undefined ? undefined : outbound.call.arguments[outbound.optionsIndex];
  const options = optionsArgument && skipOuterExpressions(optionsArgument);
  const hasTimeoutOption = options !== undefined && ts.isObjectLiteralExpression(options) && options.properties.some((p) => p.name?.getText() === 'timeout');
  return hasTimeoutOption || handling === 'handlerKeepsWaiting' ? { ...signal, reason: 'notEnforced' } : signal;
}

type TimeoutHandling = 'destroys' | 'handlerKeepsWaiting' | 'none' | 'unknown';

function timeoutHandling(call: ts.CallExpression): TimeoutHandling {
  let result: TimeoutHandling = 'none';
  const note = (next: TimeoutHandling) => {
    const rank: Record<TimeoutHandling, number> = { none: 0, handlerKeepsWaiting: 1, unknown: 2, destroys: 3 };
    if (rank[next] > rank[result]) result = next;
  };
  // Chained: `https.get(url, cb).on('timeout', ...)`.
  let node: ts.Node = call;
  while (ts.isPropertyAccessExpression(node.parent) && ts.isCallExpression(node.parent.parent) && node.parent.parent.expression === node.parent) {
    note(handlerOf(node.parent.parent, node.parent.name.text));
    node = node.parent.parent;
  }
  const holder = node.parent;
  if (ts.isVariableDeclaration(holder) && holder.initializer === node && ts.isIdentifier(holder.name)) {
    forEachReference(scopeOf(holder), holder.name.text, holder.name, (reference) => {
      const access = reference.parent;
      if (ts.isPropertyAccessExpression(access) && access.expression === reference) {
        const member = access.name.text;
        if (ts.isCallExpression(access.parent) && access.parent.expression === access) note(handlerOf(access.parent, member));
        if ((member === 'destroy' || member === 'abort') && insideTimerCallback(access)) note('destroys');
        return;
      }
      note('unknown'); // handed to other code, which may enforce a deadline
    });
  } else if (!ts.isExpressionStatement(holder) && holder !== call) {
    if (!ts.isPropertyAccessExpression(holder)) note('unknown'); // returned or passed on: the receiver decides
  }
  return result;
}

function handlerOf(call: ts.CallExpression, member: string): TimeoutHandling {
  const [first, second] = call.arguments;
  let handler: ts.Expression | undefined;
  if (member === 'setTimeout') {
    handler = second;
    if (!handler) return 'handlerKeepsWaiting';
  } else if ((member === 'on' || member === 'once' || member === 'addListener') && first && ts.isStringLiteralLike(first) && first.text === 'timeout') {
    handler = second;
  } else {
    return 'none';
  }
  if (!handler) return 'none';
  if (!ts.isArrowFunction(handler) && !ts.isFunctionExpression(handler)) return 'unknown';
  return /\.(?:destroy|abort)\s*\(|\breject\s*\(/.test(handler.getText()) ? 'destroys' : 'handlerKeepsWaiting';
}

function insideTimerCallback(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current && !ts.isSourceFile(current); current = current.parent) {
    if (isFunctionLikeDeclaration(current) && ts.isCallExpression(current.parent) && isTimerCall(current.parent)) return true;
  }
  return false;
}

/** gRPC: a `deadline` in the call options; the call shapes are (req, [metadata], [options], [callback]). */
function grpcCoverage(outbound: OutboundCall, facts: ProjectFacts): Coverage {
  const value = outbound.value;
  if (value.kind === 'client' && value.creations.some((c) => c.options.some((o) => /interceptors?|deadline/i.test(o.getText())))) return UNKNOWN;
  const { call } = outbound;
  const missing = (site: MissingSite): Coverage => ({ status: 'missing', reason: 'absent', site, spec: SPECS.grpc });
  let metadataIndex: number | undefined;
  let callbackIndex: number | undefined;
  for (let index = 1; index < call.arguments.length; index++) {
    const argument = skipOuterExpressions(call.arguments[index]!);
    if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) {
      callbackIndex ??= index;
    } else if (ts.isObjectLiteralExpression(argument)) {
      const result = evaluateOptions(argument, SPECS.grpc, facts, { kind: 'none' });
      return result.status === 'forwarded' ? UNKNOWN : result;
    } else if (isMetadata(argument, facts)) {
      metadataIndex = index;
    } else {
      return UNKNOWN;
    }
  }
  if (metadataIndex !== undefined) {
    return missing({ kind: 'argument', call, index: metadataIndex + 1, option: 'deadline', value: false });
  }
  const metadata = metadataConstructor(call.getSourceFile());
  if (callbackIndex === 1 && metadata) {
    return missing({ kind: 'argument', call, index: 1, option: 'deadline', value: false, prefix: `new ${metadata}(), ` });
  }
  return missing({ kind: 'none' });
}

function isMetadata(argument: ts.Expression, facts: ProjectFacts): boolean {
  const isNewMetadata = (e: ts.Expression) => ts.isNewExpression(e) && /(?:^|\.)Metadata$/.test(e.expression.getText());
  if (isNewMetadata(argument)) return true;
  if (!ts.isIdentifier(argument)) return false;
  const declaration = declarationOf(argument, facts);
  const init = declaration?.kind === 'variable' ? declaration.node.initializer : undefined;
  if (init) return isNewMetadata(skipOuterExpressions(init));
  return /meta/i.test(argument.text);
}

/** How this file can name grpc's Metadata class: `grpc.Metadata` or an imported `Metadata`. */
function metadataConstructor(sourceFile: ts.SourceFile): string | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (statement.moduleSpecifier.text !== '@grpc/grpc-js' || statement.importClause?.isTypeOnly) continue;
    const named = statement.importClause?.namedBindings;
    if (named && ts.isNamespaceImport(named)) return `${named.name.text}.Metadata`;
    if (named && ts.isNamedImports(named)) {
      const element = named.elements.find((e) => (e.propertyName ?? e.name).text === 'Metadata' && !e.isTypeOnly);
      if (element) return element.name.text;
    }
  }
  return undefined;
}

/** A configured client: some argument is an options object with a timeout, signal or deadline. */
function customCoverage(call: ts.CallExpression, facts: ProjectFacts): Coverage {
  let result: Coverage | undefined;
  for (const argument of call.arguments) {
    const e = skipOuterExpressions(argument);
    let verdict: Coverage | undefined;
    if (ts.isObjectLiteralExpression(e)) verdict = evaluateOptions(e, SPECS.custom, facts, { kind: 'none' });
    else if (ts.isSpreadElement(e) || (ts.isIdentifier(e) && /option|opts|config|setting|init|signal|timeout|deadline|context|ctx/i.test(e.text))) verdict = UNKNOWN;
    if (verdict) result = result ? anyOf(result, verdict) : verdict;
  }
  if (result?.status === 'forwarded') return UNKNOWN;
  if (result && !(result.status === 'missing' && result.reason === 'absent')) return result;
  return { status: 'missing', reason: 'absent', site: { kind: 'none' }, spec: SPECS.custom };
}
