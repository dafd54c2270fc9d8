import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { bindParameters, resolveCallee } from './callees';
import type { BoundExpression, DelayShape, ExprEnv } from './model';
import { enclosingClass, forEachInScope, functionBody, isAssignment, isRelational, isStepAssignment, numericValue, referenceKey } from './syntax';
import { isFunctionLikeDeclaration, returnedExpressions, skipOuterExpressions } from '../shared/localDeclarations';

// How a delay grows from one attempt to the next, read from the expression that computes
// it: constant, linear in the attempt counter, exponential (`2 ** attempt`, `delay *= 2`),
// or a table looked up by attempt; plus whether it is randomised (jitter) and capped.
// Variables are followed to their assignments, helpers to their return values.

interface Features {
  counter: boolean;
  exponential: boolean;
  linear: boolean;
  schedule: boolean;
  jitter: boolean;
  cap: boolean;
  unknown: boolean;
}

const NONE: Features = { counter: false, exponential: false, linear: false, schedule: false, jitter: false, cap: false, unknown: false };
const UNKNOWN: Features = { ...NONE, unknown: true };
const RETRY_AFTER_HEADER = /^retry-after/i;

/** A string literal naming the Retry-After header (`headers.get('retry-after')`), comments aside. */
function readsRetryAfter(body: ts.Node): boolean {
  let found = false;
  forEachInScope(body, (node) => {
    if (ts.isStringLiteralLike(node) && RETRY_AFTER_HEADER.test(node.text)) found = true;
  });
  return found;
}
const TRANSPARENT_MATH = new Set(['floor', 'ceil', 'round', 'trunc', 'abs', 'max']);
const MAX_DEPTH = 12;

function merge(...parts: Features[]): Features {
  const result = { ...NONE };
  for (const part of parts) {
    for (const key of Object.keys(result) as (keyof Features)[]) result[key] ||= part[key];
  }
  return result;
}

/**
 * `base ** exponent` and `Math.pow(base, exponent)`: exponential in a counted exponent. A
 * counted base raised to more than 1 (`attempt ** 2`, `Math.pow(attempt, 1.5)`) grows faster
 * than linearly: it backs off, so its jitter and cap are what to judge; raised to a power
 * the code does not show (`attempt ** config.exponent`), how it grows is not known.
 */
function power(base: Features, exponent: Features, exponentNode: ts.Expression): Features {
  const both = merge(base, exponent);
  if (exponent.counter) return { ...both, exponential: true };
  if (!base.counter || both.exponential) return both;
  const k = numericValue(exponentNode);
  if (k === undefined) return { ...both, counter: false, unknown: true };
  return k > 1 ? { ...both, exponential: true } : { ...both, linear: true };
}

export function classifyDelay(ms: BoundExpression | undefined, facts: ProjectFacts): DelayShape {
  if (!ms) return { growth: 'constant', jitter: false, cap: false, certain: true };
  const features = new Classifier(facts).expression(ms.expression, ms.env, 0);
  const growth = features.exponential
    ? 'exponential'
    : features.schedule
      ? 'schedule'
      : features.linear || features.counter
        ? 'linear'
        : features.unknown
          ? 'unknown'
          : 'constant';
  return { growth, jitter: features.jitter, cap: features.cap, certain: !features.unknown };
}

class Classifier {
  private readonly visiting = new Set<ts.Node>();
  private readonly visitingVariables = new Set<string>();

  constructor(private readonly facts: ProjectFacts) {}

  expression(expression: ts.Expression, env: ExprEnv, depth: number): Features {
    if (depth > MAX_DEPTH) return UNKNOWN;
    const node = skipOuterExpressions(expression);
    if (ts.isNumericLiteral(node)) return NONE;
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || node.kind === ts.SyntaxKind.ThisKeyword) return this.reference(node, env, depth);
    if (ts.isCallExpression(node)) return this.call(node, env, depth);
    if (ts.isBinaryExpression(node)) return this.binary(node, env, depth);
    if (ts.isPrefixUnaryExpression(node)) return this.expression(node.operand, env, depth + 1);
    if (ts.isConditionalExpression(node)) {
      const condition = this.expression(node.condition, env, depth + 1);
      const branches = merge(this.expression(node.whenTrue, env, depth + 1), this.expression(node.whenFalse, env, depth + 1));
      // `attempt > 3 ? 5000 : 1000` steps with the attempt; `d > max ? max : d` clamps.
      const stepped = condition.counter && !branches.exponential && !branches.linear;
      return merge(branches, { ...NONE, schedule: stepped, cap: isRelational(skipOuterExpressions(node.condition)) });
    }
    if (ts.isElementAccessExpression(node)) {
      const index = this.expression(node.argumentExpression, env, depth + 1);
      return index.counter ? { ...NONE, schedule: true, cap: true, jitter: index.jitter } : UNKNOWN;
    }
    return UNKNOWN;
  }

  private binary(node: ts.BinaryExpression, env: ExprEnv, depth: number): Features {
    const left = this.expression(node.left, env, depth + 1);
    const right = this.expression(node.right, env, depth + 1);
    const both = merge(left, right);
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskAsteriskToken:
        return power(left, right, node.right);
      case ts.SyntaxKind.LessThanLessThanToken:
        return { ...both, exponential: both.exponential || right.counter };
      case ts.SyntaxKind.AsteriskToken:
        return { ...both, linear: both.linear || ((left.counter || right.counter) && !both.exponential) };
      case ts.SyntaxKind.PlusToken:
      case ts.SyntaxKind.MinusToken:
      case ts.SyntaxKind.SlashToken:
      case ts.SyntaxKind.QuestionQuestionToken:
      case ts.SyntaxKind.BarBarToken:
        return both;
      default:
        return UNKNOWN;
    }
  }

  private call(node: ts.CallExpression, env: ExprEnv, depth: number): Features {
    const callee = skipOuterExpressions(node.expression);
    const args = node.arguments.filter((a): a is ts.Expression => !ts.isSpreadElement(a));
    const argFeatures = () => merge(...args.map((a) => this.expression(a, env, depth + 1)));
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (/random|jitter/i.test(name)) return { ...argFeatures(), jitter: true };
    const isMath = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Math';
    if (isMath && name === 'min') return { ...argFeatures(), cap: true };
    if (isMath && name === 'pow' && args.length === 2) {
      return power(this.expression(args[0]!, env, depth + 1), this.expression(args[1]!, env, depth + 1), args[1]!);
    }
    if (isMath && name === 'exp') {
      const exponent = args[0] ? this.expression(args[0], env, depth + 1) : NONE;
      return { ...exponent, exponential: exponent.counter };
    }
    if (isMath && TRANSPARENT_MATH.has(name)) return argFeatures();
    if (ts.isIdentifier(callee) && ['Number', 'parseInt', 'parseFloat'].includes(name)) return argFeatures();
    const resolved = resolveCallee(node, env.sourceFile, this.facts);
    if (resolved?.kind !== 'function' || this.visiting.has(resolved.fn)) return UNKNOWN;
    // A helper computing the delay: its return values, with parameters bound to this call's arguments.
    const body = functionBody(resolved.fn);
    // One that reads the server's Retry-After header returns what the server asked for: not ours to judge.
    if (!body || readsRetryAfter(body)) return UNKNOWN;
    const helperEnv: ExprEnv = { sourceFile: resolved.sourceFile, scope: body, counters: new Set() };
    const params = new Map<string, BoundExpression>();
    for (const [paramName, bound] of bindParameters(resolved.fn, node)) {
      params.set(paramName, { expression: bound.expression, env: bound.fromCall ? env : helperEnv });
    }
    const boundEnv: ExprEnv = { ...helperEnv, params };
    const returned = isFunctionLikeDeclaration(resolved.fn) ? returnedExpressions(resolved.fn) : [];
    if (returned.length === 0) return UNKNOWN;
    this.visiting.add(resolved.fn);
    const features = merge(...returned.map((r) => this.expression(r, boundEnv, depth + 1)));
    this.visiting.delete(resolved.fn);
    return features;
  }

  private reference(node: ts.Expression, env: ExprEnv, depth: number): Features {
    const key = referenceKey(node);
    if (key === undefined) return UNKNOWN;
    if (env.counters.has(key)) return { ...NONE, counter: true };
    if (env.scheduled?.has(key)) return { ...NONE, schedule: true, cap: true };
    const bound = ts.isIdentifier(node) ? env.params?.get(key) : undefined;
    if (bound) return this.expression(bound.expression, bound.env, depth + 1);
    const lastName = key.slice(key.lastIndexOf('.') + 1);
    if (/jitter|random/i.test(lastName)) return { ...NONE, jitter: true };
    // A delay the server asked for (Retry-After) is not ours to judge.
    if (/retry.?after|reset/i.test(lastName)) return UNKNOWN;
    const scope = key.startsWith('this.') ? (enclosingClass(node) ?? env.scope) : declaringScope(node, key, env);
    const variable = scope && `${env.sourceFile.fileName}:${scope.pos}:${key}`;
    if (!scope || !variable || this.visitingVariables.has(variable)) return NONE;
    this.visitingVariables.add(variable);
    const features = this.assignments(key, scope, env, depth);
    this.visitingVariables.delete(variable);
    return features;
  }

  /** Features of a variable or field from its initialiser and every assignment in scope. */
  private assignments(key: string, scope: ts.Node, env: ExprEnv, depth: number): Features {
    const parts: Features[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === key && node.initializer) {
        parts.push(this.expression(node.initializer, env, depth + 1));
      } else if (ts.isPropertyDeclaration(node) && key === `this.${node.name.getText()}` && node.initializer) {
        parts.push(this.expression(node.initializer, env, depth + 1));
      } else if (ts.isBinaryExpression(node) && isAssignment(node) && referenceKey(node.left) === key) {
        parts.push(this.update(key, node, env, depth));
      } else if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && referenceKey(node.operand) === key) {
        parts.push({ ...NONE, counter: true });
      }
    };
    // Fields are assigned in any method; locals only in the retrying scope.
    if (key.startsWith('this.')) forEachDescendant(scope, visit);
    else forEachInScope(scope, visit);
    // A recursive retry "assigns" its parameters through the arguments of the self-call.
    for (const argument of env.recursiveArguments?.get(key) ?? []) {
      const growth = selfReferenceGrowth(key, argument);
      const value = this.expression(argument, env, depth + 1);
      parts.push({ ...value, exponential: value.exponential || growth === 'multiply', linear: value.linear || growth === 'add' });
    }
    return merge(...parts);
  }

  private update(key: string, node: ts.BinaryExpression, env: ExprEnv, depth: number): Features {
    // `this.attempts += 1` counts attempts wherever it is (a delay getter, not the retry path),
    // so `2 ** this.attempts` grows exponentially.
    if (isStepAssignment(node)) return { ...NONE, counter: true };
    const value = this.expression(node.right, env, depth + 1);
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskEqualsToken:
        return { ...value, exponential: true };
      case ts.SyntaxKind.PlusEqualsToken:
        return { ...value, linear: true };
      case ts.SyntaxKind.EqualsToken: {
        const selfGrowth = selfReferenceGrowth(key, node.right);
        return { ...value, exponential: value.exponential || selfGrowth === 'multiply', linear: value.linear || selfGrowth === 'add' };
      }
      default:
        return value;
    }
  }
}

/**
 * The body of the innermost enclosing function that declares `name` (a local or a
 * parameter), so a delay computed in a helper is read where it is declared.
 */
function declaringScope(reference: ts.Node, name: string, env: ExprEnv): ts.Node | undefined {
  for (let node: ts.Node | undefined = reference.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (!ts.isFunctionLike(node)) continue;
    const body = functionBody(node);
    if (!body) continue;
    if (node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)) return body;
    let declares = false;
    forEachInScope(body, (inner) => {
      if (ts.isVariableDeclaration(inner) && ts.isIdentifier(inner.name) && inner.name.text === name) declares = true;
    });
    if (declares) return body;
  }
  return env.scope;
}

/** `d = d * 2` multiplies, `d = d + 500` adds; anything else does not grow by itself. */
function selfReferenceGrowth(key: string, expression: ts.Expression): 'multiply' | 'add' | undefined {
  let growth: 'multiply' | 'add' | undefined;
  forEachInScope(expression, (node) => {
    if (!ts.isBinaryExpression(node)) return;
    const mentionsSelf = referenceKey(node.left) === key || referenceKey(node.right) === key;
    if (!mentionsSelf) return;
    if (node.operatorToken.kind === ts.SyntaxKind.AsteriskToken) growth = 'multiply';
    else if (node.operatorToken.kind === ts.SyntaxKind.PlusToken) growth ??= 'add';
  });
  return growth;
}

/** Every descendant, nested functions included (fields are assigned from any method). */
function forEachDescendant(root: ts.Node, visit: (node: ts.Node) => void): void {
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
}
