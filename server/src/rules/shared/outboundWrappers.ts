import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { coverageOf } from './clientCoverage';
import { functionNamed, importedFunction } from './clientValues';
import { baseClassOf, classNamed, classOfThis, declarationOf, memberOf, methodOf, skipOuterExpressions, type ClassLike, type FunctionLike, type LocalDeclaration } from './localDeclarations';
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
  const parameter = forward.fn.parameters[paramIndex];
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
    // `import * as http from './http'; http.get(url)`: a function the module exports.
    if (declaration?.kind === 'import' && declaration.binding.imported === '*') {
      return importedFunction(facts, receiver.getSourceFile(), { ...declaration.binding, imported: method });
    }
    const cls = declaration && classOfDeclared(receiver, declaration, facts);
    return cls && methodOf(cls, method, facts);
  }
  const cls = classOfMember(receiver, facts);
  return cls && methodOf(cls, method, facts);
}

/** The class a name holds: `new C()` in a const, a `C`-typed parameter, or `C` itself (static calls). */
function classOfDeclared(name: ts.Identifier, declaration: LocalDeclaration, facts: ProjectFacts): ClassLike | undefined {
  if (declaration.kind === 'class') return declaration.node;
  if (declaration.kind === 'import') return classNamed(name, facts);
  if (declaration.kind === 'variable' || declaration.kind === 'parameter') return classOfValue(declaration.node.initializer, declaration.node.type, facts);
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
  return undefined;
}
