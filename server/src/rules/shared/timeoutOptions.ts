import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { bindingPath, callParameters, constObjectOf, declarationOf, isConst, isNamedObject, skipOuterExpressions, staticPropertyName, type FunctionLike } from './localDeclarations';
import { controllerAbortTiming, forEachReference, scopeOf } from './timeBounds';

// Reads the options an outbound call is given and decides whether they bound its
// duration: an explicit timeout, a signal that a timer aborts, or a value the enclosing
// function receives from its callers (then the callers decide). Unknown values count
// as bounded: a linter that guesses produces noise.

/** How an option's value bounds the call. */
export type OptionKind =
  /** An AbortSignal: bounded when a timer aborts it. */
  | 'signal'
  /** Milliseconds; 0 disables (axios `timeout`, undici `headersTimeout`). */
  | 'duration'
  /** got's `timeout: { request: ms }` (a number in got ≤ 11); `{}` sets nothing. */
  | 'gotTimeout'
  /** ky's `timeout`: a number, or `false` to disable ky's default. */
  | 'kyTimeout'
  /** gRPC's `deadline`: a Date or a timestamp; Infinity means none. */
  | 'deadline'
  /** Anything set counts (axios `cancelToken`). */
  | 'present';

export interface OptionSpec {
  /** Option names that bound the call, with how to read them. */
  options: ReadonlyMap<string, OptionKind>;
  /** The option a fix adds. */
  preferred: string;
}

/** `notEnforced`: node:http's `timeout` option or `setTimeout` without a handler that destroys the request. */
export type MissingReason = 'absent' | 'disabled' | 'untimedSignal' | 'notEnforced';

/** Where a missing timeout would go: what a fix edits. */
export type MissingSite =
  /** An options object literal that lacks the option. */
  | { kind: 'object'; object: ts.ObjectLiteralExpression; option: string }
  /**
   * An argument that is not there: `fetch(url)`; inserted before the argument now at
   * `index` (a callback) if there is one. `value`: the argument is the option's value
   * itself. `prefix`: arguments that must come first (`new grpc.Metadata(), `).
   */
  | { kind: 'argument'; call: ts.CallExpression; index: number; option: string; value: boolean; prefix?: string }
  /** A property whose value disables the timeout or is a signal nothing times out. */
  | { kind: 'value'; property: ts.PropertyAssignment | ts.ShorthandPropertyAssignment; option: string }
  /** A request whose options are chained on it (superagent): the fix chains `.option(value)` after the call. */
  | { kind: 'chained'; call: ts.CallExpression; option: string }
  /** A const options object passed by name: the fix spreads it into a new literal. */
  | { kind: 'reference'; reference: ts.Expression; option: string }
  /** Nowhere a fix can safely edit. */
  | { kind: 'none' };

/** A value the enclosing function takes from its callers: its parameter `paramIndex`, then `path`. */
export interface Forward {
  fn: FunctionLike;
  paramIndex: number;
  path: readonly string[];
  /** What the value at the end of the path is: an options object, or one option's value. */
  target: { kind: 'options' } | { kind: 'option'; name: string };
  spec: OptionSpec;
}

export type Coverage =
  | { status: 'covered' }
  | { status: 'unknown' }
  | { status: 'missing'; reason: MissingReason; site: MissingSite; spec: OptionSpec }
  | { status: 'forwarded'; forward: Forward };

export const COVERED: Coverage = { status: 'covered' };
export const UNKNOWN: Coverage = { status: 'unknown' };

const MAX_DEPTH = 6;

/** Evaluates an options argument (absent when `expression` is undefined). */
export function evaluateOptions(expression: ts.Expression | undefined, spec: OptionSpec, facts: ProjectFacts, absentSite: MissingSite): Coverage {
  if (!expression) return { status: 'missing', reason: 'absent', site: absentSite, spec };
  return evaluateAt(expression, [], { kind: 'options' }, spec, facts, 0);
}

/** Evaluates the value at `path` inside `expression` (the whole value when the path is empty). */
export function evaluateAt(expression: ts.Expression, path: readonly string[], target: Forward['target'], spec: OptionSpec, facts: ProjectFacts, depth: number): Coverage {
  if (depth > MAX_DEPTH) return UNKNOWN;
  const e = skipOuterExpressions(expression);
  if (isUndefined(e)) return missingAt({ kind: 'none' }, spec);
  if (path.length === 0 && target.kind === 'option') return evaluateOption(target.name, spec, e, facts, depth);
  if (ts.isObjectLiteralExpression(e)) return evaluateObject(e, path, target, spec, facts, depth);
  const forwarded = forwardedFrom(e, facts);
  if (forwarded) return forwardCoverage(forwarded.fn, forwarded.paramIndex, [...forwarded.path, ...path], target, spec);
  if (ts.isIdentifier(e)) {
    const constant = constObject(e, facts);
    if (!constant) return UNKNOWN;
    const result = evaluateAt(constant.initializer, path, target, spec, facts, depth + 1);
    // Fixes edit the call, not the shared const: spread the const into a new object there.
    return result.status === 'missing' && result.reason === 'absent' && path.length === 0 ? { ...result, site: { kind: 'reference', reference: e, option: spec.preferred } } : result;
  }
  if (ts.isConditionalExpression(e)) {
    return both(evaluateAt(e.whenTrue, path, target, spec, facts, depth + 1), evaluateAt(e.whenFalse, path, target, spec, facts, depth + 1));
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return fallback(evaluateAt(e.left, path, target, spec, facts, depth + 1), evaluateAt(e.right, path, target, spec, facts, depth + 1));
  }
  return UNKNOWN;
}

function evaluateObject(object: ts.ObjectLiteralExpression, path: readonly string[], target: Forward['target'], spec: OptionSpec, facts: ProjectFacts, depth: number): Coverage {
  const [head, ...rest] = path;
  let explicit: Coverage | undefined;
  const fromSpreads: Coverage[] = [];
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) {
      fromSpreads.push(evaluateAt(property.expression, path, target, spec, facts, depth + 1));
      continue;
    }
    const name = staticPropertyName(property.name);
    if (name === undefined) {
      if (property.name && ts.isComputedPropertyName(property.name)) explicit = UNKNOWN;
      continue;
    }
    const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!value) continue;
    if (head !== undefined) {
      if (name === head) explicit = evaluateAt(value, rest, target, spec, facts, depth + 1);
    } else if (spec.options.has(name)) {
      const result = evaluateOption(name, spec, value, facts, depth);
      const located: Coverage = result.status === 'missing' && result.reason !== 'absent'
        ? { ...result, site: { kind: 'value', property: property as ts.PropertyAssignment | ts.ShorthandPropertyAssignment, option: name } }
        : result;
      explicit = explicit ? anyOf(explicit, located) : located;
    }
  }
  if (explicit && explicit.status !== 'missing') return explicit;
  if (explicit?.status === 'missing' && explicit.reason !== 'absent') return explicit;
  const spread = fromSpreads.reduce<Coverage | undefined>((acc, c) => (acc ? anyOf(acc, c) : c), undefined);
  if (spread && !(spread.status === 'missing' && spread.reason === 'absent')) return spread;
  if (head === undefined) return missingAt({ kind: 'object', object, option: spec.preferred }, spec);
  // A wrapper that reads `options.signal`: the caller's object lacks exactly that option.
  const addable = rest.length === 0 && target.kind === 'option' && target.name === head;
  return missingAt(addable ? { kind: 'object', object, option: head } : { kind: 'none' }, spec);
}

/** The value of one option. */
function evaluateOption(name: string, spec: OptionSpec, value: ts.Expression, facts: ProjectFacts, depth: number): Coverage {
  const kind = spec.options.get(name);
  const e = skipOuterExpressions(value);
  const missing = (reason: MissingReason): Coverage => ({ status: 'missing', reason, site: { kind: 'none' }, spec });
  if (isUndefined(e)) return missing('absent');
  const forwarded = forwardedFrom(e, facts);
  if (forwarded) return forwardCoverage(forwarded.fn, forwarded.paramIndex, forwarded.path, { kind: 'option', name }, spec);
  switch (kind) {
    case 'signal':
      return evaluateSignal(e, facts, depth, spec);
    case 'duration':
      return numberValue(e) === 0 ? missing('disabled') : COVERED;
    case 'kyTimeout':
      return e.kind === ts.SyntaxKind.FalseKeyword ? missing('disabled') : COVERED;
    case 'gotTimeout':
      return ts.isObjectLiteralExpression(e) && e.properties.length === 0 ? missing('absent') : COVERED;
    case 'deadline':
      return ts.isIdentifier(e) && e.text === 'Infinity' ? missing('disabled') : COVERED;
    default:
      return COVERED;
  }
}

function evaluateSignal(e: ts.Expression, facts: ProjectFacts, depth: number, spec: OptionSpec): Coverage {
  if (ts.isCallExpression(e)) return COVERED; // AbortSignal.timeout/any, or a helper that builds a signal
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'signal' && ts.isIdentifier(e.expression)) {
    const declaration = declarationOf(e.expression, facts);
    if (declaration?.kind === 'variable' && isNewAbortController(declaration.node.initializer)) {
      const timing = controllerAbortTiming(declaration.node);
      return timing === 'never' ? { status: 'missing', reason: 'untimedSignal', site: { kind: 'none' }, spec } : timing === 'timer' ? COVERED : UNKNOWN;
    }
    return UNKNOWN;
  }
  if (ts.isIdentifier(e)) {
    const declaration = declarationOf(e, facts);
    if (declaration?.kind === 'variable' && declaration.node.initializer && isConst(declaration.node) && depth < MAX_DEPTH) {
      return evaluateSignal(skipOuterExpressions(declaration.node.initializer), facts, depth + 1, spec);
    }
    return UNKNOWN;
  }
  if (ts.isConditionalExpression(e)) return both(evaluateSignal(skipOuterExpressions(e.whenTrue), facts, depth + 1, spec), evaluateSignal(skipOuterExpressions(e.whenFalse), facts, depth + 1, spec));
  return UNKNOWN;
}

function isNewAbortController(expression: ts.Expression | undefined): boolean {
  const e = expression && skipOuterExpressions(expression);
  return !!e && ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'AbortController';
}

/** A parameter (or something read from one) of a function its callers can be found for. */
function forwardedFrom(expression: ts.Expression, facts: ProjectFacts): { fn: FunctionLike; paramIndex: number; path: string[] } | undefined {
  const path: string[] = [];
  let e = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(e)) {
    path.unshift(e.name.text);
    e = skipOuterExpressions(e.expression);
  }
  if (!ts.isIdentifier(e)) return undefined;
  const declaration = declarationOf(e, facts);
  let parameter: ts.ParameterDeclaration | undefined;
  if (declaration?.kind === 'parameter') parameter = declaration.node;
  else if (declaration?.kind === 'binding') {
    const origin = bindingPath(declaration.node);
    if (!origin || declaration.node.initializer) return undefined;
    // `const { signal } = props` in the body reads the parameter as `({ signal })` would.
    const root = ts.isVariableDeclaration(origin.root) ? parameterHeldBy(origin.root, facts) : origin.root;
    if (!root) return undefined;
    parameter = root;
    path.unshift(...origin.path);
  }
  if (!parameter || parameter.dotDotDotToken) return undefined;
  const fn = parameter.parent;
  if (!ts.isFunctionDeclaration(fn) && !ts.isMethodDeclaration(fn) && !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  return { fn, paramIndex: callParameters(fn).indexOf(parameter), path };
}

/** The parameter a `const` destructures as it is: `const { url, signal } = props`. */
function parameterHeldBy(declaration: ts.VariableDeclaration, facts: ProjectFacts): ts.ParameterDeclaration | undefined {
  const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
  if (!isConst(declaration) || !init || !ts.isIdentifier(init)) return undefined;
  const source = declarationOf(init, facts);
  return source?.kind === 'parameter' ? source.node : undefined;
}

/**
 * A value from a parameter: the callers decide. Only functions whose callers can be found
 * (named functions and methods) forward; for callbacks the value is unknown.
 */
function forwardCoverage(fn: FunctionLike, paramIndex: number, path: readonly string[], target: Forward['target'], spec: OptionSpec): Coverage {
  if (!isCallableByName(fn)) return UNKNOWN;
  const parameter = callParameters(fn)[paramIndex];
  if (path.length === 0 && target.kind === 'options' && parameter?.type && !typeMayHaveOption(parameter.type, spec)) {
    // `opts: { headers?: ... }` spread into the client's options: callers cannot pass a timeout.
    return { status: 'missing', reason: 'absent', site: { kind: 'none' }, spec };
  }
  return { status: 'forwarded', forward: { fn, paramIndex, path, target, spec } };
}

/**
 * Whether a parameter's declared type can carry one of the timeout options. Only object
 * types declared right here (a type literal, or an interface or alias of this file) are
 * read; library types (RequestInit, AxiosRequestConfig) and imported types are assumed to.
 */
function typeMayHaveOption(type: ts.TypeNode, spec: OptionSpec): boolean {
  const members = localObjectMembers(type);
  return members === undefined || members.some((m) => spec.options.has(staticPropertyName(m.name) ?? ''));
}

function localObjectMembers(type: ts.TypeNode): readonly ts.TypeElement[] | undefined {
  if (ts.isTypeLiteralNode(type)) return type.members;
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || type.typeArguments) return undefined;
  const name = type.typeName.text;
  for (const statement of type.getSourceFile().statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) return statement.heritageClauses ? undefined : statement.members;
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) return ts.isTypeLiteralNode(statement.type) ? statement.type.members : undefined;
  }
  return undefined;
}

/**
 * Functions whose call sites can be found by name: declarations, methods, functions stored
 * in a const or field, and the members of an object literal held by a const or exported
 * as the default (`api.get(url)`).
 */
function isCallableByName(fn: FunctionLike): boolean {
  if (ts.isFunctionDeclaration(fn)) return fn.name !== undefined;
  if (ts.isMethodDeclaration(fn)) return ts.isClassLike(fn.parent) || (ts.isObjectLiteralExpression(fn.parent) && isNamedObject(fn.parent));
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const parent = fn.parent;
    return (
      (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) ||
      (ts.isPropertyDeclaration(parent) && ts.isClassLike(parent.parent)) ||
      (ts.isPropertyAssignment(parent) && isNamedObject(parent.parent))
    );
  }
  return false;
}

/** A const whose value is an object literal nobody adds options to later. */
function constObject(identifier: ts.Identifier, facts: ProjectFacts): ts.VariableDeclaration & { initializer: ts.Expression } | undefined {
  const declaration = declarationOf(identifier, facts);
  if (declaration?.kind !== 'variable') return undefined;
  const node = declaration.node;
  if (!constObjectOf(node)) return undefined;
  let mutated = false;
  forEachReference(scopeOf(node), identifier.text, node.name, (reference) => {
    const parent = reference.parent;
    const assignedMember = (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === reference &&
      ts.isBinaryExpression(parent.parent) && parent.parent.left === parent && parent.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
    const assigned = ts.isCallExpression(parent) && /^Object\.assign$/.test(parent.expression.getText()) && parent.arguments[0] === reference;
    if (assignedMember || assigned) mutated = true;
  });
  return mutated ? undefined : (node as ts.VariableDeclaration & { initializer: ts.Expression });
}

function isUndefined(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === 'undefined') || e.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(e);
}

function numberValue(e: ts.Expression): number | undefined {
  return ts.isNumericLiteral(e) ? Number(e.text.replace(/_/g, '')) : undefined;
}

function missingAt(site: MissingSite, spec: OptionSpec): Coverage {
  return { status: 'missing', reason: 'absent', site, spec };
}

/** Both branches of a conditional: the same verdict, or unknown. */
function both(a: Coverage, b: Coverage): Coverage {
  if (a.status === b.status && a.status !== 'forwarded') return a;
  return UNKNOWN;
}

/** `a ?? b`: bounded when either side is; the callers decide when `a` comes from them and `b` sets nothing. */
function fallback(left: Coverage, right: Coverage): Coverage {
  if (left.status === 'covered' || right.status === 'covered') return COVERED;
  if (left.status === 'forwarded' && right.status === 'missing') return left;
  if (left.status === 'missing' && right.status === 'missing') return right;
  return UNKNOWN;
}

/** Either of two settings bounds the call (`timeout` or `signal`; an own property or a spread one). */
export function anyOf(a: Coverage, b: Coverage): Coverage {
  for (const status of ['covered', 'unknown', 'forwarded'] as const) {
    if (a.status === status) return a;
    if (b.status === status) return b;
  }
  if (a.status === 'missing' && a.reason !== 'absent') return a;
  return b;
}
