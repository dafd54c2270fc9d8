import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { coverageOf } from './clientCoverage';
import { exportedFunction, functionNamed } from './clientValues';
import { baseClassOf, callParameters, classNamed, classOfThis, constObjectOf, declarationOf, importedDeclaration, memberOf, methodOf, returnedExpressions, skipOuterExpressions, staticMethodCalled, staticPropertyName, type ClassLike, type FunctionLike, type LocalDeclaration } from './localDeclarations';
import { recognizeOutboundCall, type OutboundCall, type RecognitionOptions } from './outboundCalls';
import { isTimeBounded } from './timeBounds';
import { COVERED, evaluateAt, UNKNOWN, type Coverage, type Forward, type MissingSite } from './timeoutOptions';

// A project's own HTTP helpers: `httpGet(url, options)` around fetch or axios. A helper
// that hands its caller's options (or signal, or timeout) to the client forwards the
// decision to its callers, so those callers are judged instead; a helper that sets a
// timeout itself, or offers no way to pass one, is judged where the client is called.

export interface WrapperSummary {
  forward: Forward;
  /** The client call inside the wrapper the options end up in. */
  inner: { call: ts.CallExpression; label: string };
}

export type Judgement =
  | { kind: 'direct'; outbound: OutboundCall; coverage: Coverage }
  | { kind: 'wrapper'; call: ts.CallExpression; fn: FunctionLike; summary: WrapperSummary; coverage: Coverage };

const MAX_WRAPPER_DEPTH = 5;
const inProgress = new Set<FunctionLike>();

/** Whether a call is an outbound call (or a call to a forwarding wrapper) and whether it is bounded. */
export function judgeCall(call: ts.CallExpression, options: RecognitionOptions): Judgement | undefined {
  const { facts } = options;
  const outbound = recognizeOutboundCall(call, options);
  if (outbound) return { kind: 'direct', outbound, coverage: bounded(call, coverageOf(outbound, options), facts) };
  const fn = calledFunction(call, facts);
  if (!fn) return undefined;
  const summary = wrapperSummary(fn, options);
  if (!summary) return undefined;
  return { kind: 'wrapper', call, fn, summary, coverage: bounded(call, coverageAtCaller(summary.forward, call, facts), facts) };
}

function bounded(call: ts.CallExpression, coverage: Coverage, facts: ProjectFacts): Coverage {
  if (coverage.status !== 'missing' && coverage.status !== 'forwarded') return coverage;
  return isTimeBounded(call, facts) ? COVERED : coverage;
}

/** How a wrapper's forwarded option fares at one call site. */
function coverageAtCaller(forward: Forward, call: ts.CallExpression, facts: ProjectFacts): Coverage {
  const { paramIndex, path, target, spec } = forward;
  const args = call.arguments;
  if (args.slice(0, paramIndex + 1).some(ts.isSpreadElement)) return UNKNOWN;
  const argument = args[paramIndex];
  if (argument) {
    return evaluateAt(argument, path, target, spec, facts, 0);
  }
  const parameter = callParameters(forward.fn)[paramIndex];
  if (parameter?.initializer) {
    const fromDefault = evaluateAt(parameter.initializer, path, target, spec, facts, 0);
    if (fromDefault.status !== 'missing' || fromDefault.reason !== 'absent') return fromDefault.status === 'forwarded' ? UNKNOWN : fromDefault;
  }
  return { status: 'missing', reason: 'absent', site: argumentSite(forward, call), spec };
}

/** Where a fix adds the missing option at a call site that passes nothing for it. */
function argumentSite(forward: Forward, call: ts.CallExpression): MissingSite {
  const { paramIndex, path, target, spec } = forward;
  if (paramIndex !== call.arguments.length) return { kind: 'none' };
  if (path.length === 0) {
    const value = target.kind === 'option';
    return { kind: 'argument', call, index: paramIndex, option: target.kind === 'option' ? target.name : spec.preferred, value };
  }
  const [only] = path;
  if (path.length === 1 && target.kind === 'option' && target.name === only) return { kind: 'argument', call, index: paramIndex, option: only, value: false };
  return { kind: 'none' };
}

/**
 * The forwarding summary of a project function. It depends on other files (the client
 * instance, inner wrappers): memoised until one of the files it read changes.
 */
function wrapperSummary(fn: FunctionLike, options: RecognitionOptions): WrapperSummary | undefined {
  if (inProgress.has(fn) || inProgress.size >= MAX_WRAPPER_DEPTH || !fn.body || fn.parameters.length === 0) return undefined;
  const sourceFile = fn.getSourceFile();
  return options.facts.acrossFiles(
    `missing-timeout:wrapper:${sourceFile.fileName}:${fn.pos}`,
    () => {
      inProgress.add(fn);
      try {
        return findForwardingCall(fn, options);
      } finally {
        inProgress.delete(fn);
      }
    },
    sourceFile,
  );
}

function findForwardingCall(fn: FunctionLike, options: RecognitionOptions): WrapperSummary | undefined {
  const stack: ts.Node[] = [fn.body!];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isClassLike(node) || ts.isFunctionDeclaration(node)) continue;
    if (ts.isCallExpression(node)) {
      const judgement = judgeCall(node, options);
      if (judgement?.coverage.status === 'forwarded' && judgement.coverage.forward.fn === fn) {
        const inner = judgement.kind === 'direct' ? { call: node, label: judgement.outbound.label } : judgement.summary.inner;
        return { forward: judgement.coverage.forward, inner };
      }
    }
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return undefined;
}

/** The project function or method a call invokes, when syntax can tell. */
function calledFunction(call: ts.CallExpression, facts: ProjectFacts): FunctionLike | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return functionNamed(callee, facts);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const receiver = skipOuterExpressions(callee.expression);
  if (receiver.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = classOfThis(callee);
    return cls && methodOf(cls, method, facts);
  }
  if (receiver.kind === ts.SyntaxKind.SuperKeyword) {
    const cls = classOfThis(callee);
    const base = cls && baseClassOf(cls, facts);
    return base && methodOf(base, method, facts);
  }
  if (ts.isIdentifier(receiver)) {
    const declaration = declarationOf(receiver, facts);
    const holder = declaration && holderOfDeclared(receiver, declaration, facts);
    if (!holder) return undefined;
    // A module: `import * as http from './http'`, or `export * as http` re-exported by a barrel.
    if (ts.isSourceFile(holder)) return exportedFunction(facts, holder, method);
    return ts.isObjectLiteralExpression(holder) ? objectMethod(holder, method, facts) : methodOf(holder, method, facts);
  }
  const cls = classOfMember(receiver, facts);
  return cls && methodOf(cls, method, facts);
}

/**
 * What a name holds that has methods: a class (`new C()` in a const, a `C`-typed parameter,
 * `C` itself for static calls) or an object literal held by a const (`const api = { get() {} }`),
 * here or imported (a default-exported object too), or a module (a namespace import or re-export).
 */
function holderOfDeclared(name: ts.Identifier, declaration: LocalDeclaration, facts: ProjectFacts): ClassLike | ts.ObjectLiteralExpression | ts.SourceFile | undefined {
  switch (declaration.kind) {
    case 'class':
      return declaration.node;
    case 'variable':
      return constObjectOf(declaration.node) ?? classOfValue(declaration.node.initializer, declaration.node.type, facts);
    case 'parameter':
      return classOfValue(declaration.node.initializer, declaration.node.type, facts);
    case 'import': {
      const target = importedDeclaration(facts, name.getSourceFile(), declaration.binding);
      if (!target) return undefined;
      if (ts.isClassDeclaration(target) || ts.isClassExpression(target) || ts.isSourceFile(target)) return target;
      if (ts.isVariableDeclaration(target)) return constObjectOf(target);
      const value = ts.isExpression(target) ? skipOuterExpressions(target) : undefined;
      return value && ts.isObjectLiteralExpression(value) ? value : undefined;
    }
    default:
      return undefined;
  }
}

/** A member of an object literal that is a function: `get() {}`, `get: (url) => ...`, or `{ get }`. */
function objectMethod(object: ts.ObjectLiteralExpression, name: string, facts: ProjectFacts): FunctionLike | undefined {
  // The last definition wins, and a spread after it may replace it with anything.
  for (let i = object.properties.length - 1; i >= 0; i--) {
    const property = object.properties[i]!;
    if (ts.isSpreadAssignment(property)) return undefined;
    if (staticPropertyName(property.name) !== name) continue;
    if (ts.isMethodDeclaration(property)) return property.body ? property : undefined;
    if (ts.isPropertyAssignment(property)) {
      const value = skipOuterExpressions(property.initializer);
      return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
    }
    if (ts.isShorthandPropertyAssignment(property)) return functionNamed(property.name, facts);
    return undefined;
  }
  return undefined;
}

/** The class of a `this.field` receiver: its declared type, initializer or assigned values. */
function classOfMember(receiver: ts.Expression, facts: ProjectFacts): ClassLike | undefined {
  if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = classOfThis(receiver);
    const member = owner && memberOf(owner, receiver.name.text, facts);
    for (const declaration of member?.declarations ?? []) {
      if (ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration)) {
        const cls = classOfValue(declaration.initializer, declaration.type, facts);
        if (cls) return cls;
      }
    }
    for (const assigned of member?.assignments ?? []) {
      const cls = classOfValue(assigned, undefined, facts);
      if (cls) return cls;
    }
  }
  return undefined;
}

function classOfValue(initializer: ts.Expression | undefined, type: ts.TypeNode | undefined, facts: ProjectFacts): ClassLike | undefined {
  const value = initializer && skipOuterExpressions(initializer);
  if (value && ts.isNewExpression(value) && ts.isIdentifier(value.expression)) return classNamed(value.expression, facts);
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return classNamed(type.typeName, facts);
  return value && classOfFactoryCall(value, facts);
}

/**
 * `await ApiClient.create()` or `ApiClient.connect()`: a static method of a project class
 * that makes the instance (a constructor cannot be async, so clients that connect first
 * are made this way). The class made is the one its return type names (`C`, `Promise<C>`),
 * else the one all its returns construct (`new C()`, `new this()`).
 */
function classOfFactoryCall(value: ts.Expression, facts: ProjectFacts): ClassLike | undefined {
  const call = awaited(value);
  const called = ts.isCallExpression(call) ? staticMethodCalled(call, facts) : undefined;
  if (!called) return undefined;
  const { cls, method: factory } = called;
  const declared = factory.type && instanceTypeName(factory.type);
  if (declared) return classNamed(declared, facts);
  const made = new Set<ClassLike | undefined>();
  for (const returned of returnedExpressions(factory)) {
    const e = awaited(returned);
    if (!ts.isNewExpression(e)) return undefined;
    made.add(e.expression.kind === ts.SyntaxKind.ThisKeyword ? cls : ts.isIdentifier(e.expression) ? classNamed(e.expression, facts) : undefined);
  }
  const [only, ...others] = made;
  return others.length === 0 ? only : undefined;
}

/** The value `await x` resolves to is what `x` makes, for a factory that may be async (not `void x`, as retry's skipAwait takes it). */
function awaited(expression: ts.Expression): ts.Expression {
  let e = skipOuterExpressions(expression);
  while (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  return e;
}

/** `C` in a return type of `C` or `Promise<C>`. */
function instanceTypeName(type: ts.TypeNode): ts.Identifier | undefined {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const [argument] = type.typeArguments ?? [];
  if (type.typeName.text !== 'Promise') return type.typeArguments ? undefined : type.typeName;
  return argument && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) && !argument.typeArguments ? argument.typeName : undefined;
}
