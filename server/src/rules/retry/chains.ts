import { ts } from 'ts-morph';
import { isTimerFunction } from './delays';
import type { DelayCall, ExprEnv, RetrySite, SiteContext } from './model';
import { catchVariable, changesInput, collectCounters, collectWaits, firstOperation, hasAttemptLimit, inspectsError, rejectsClientErrors, scopeOf, waitsAround } from './retryPath';
import { calleeName, forEachInScope, forEachIncludingCallbacks, functionBody, functionName, skipAwait } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

// Retries that are neither loops nor self-calls: a promise chain that repeats the same
// call in its `.catch()` handler, and a `setInterval` that keeps trying until it works.

export function promiseChainRetry(call: ts.CallExpression, context: SiteContext): RetrySite | undefined {
  const method = calleeName(call);
  const handler = method === 'catch' ? call.arguments[0] : method === 'then' ? call.arguments[1] : undefined;
  if (!handler || !(ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const attempt = call.expression.expression;
  const operation = chainRoot(attempt);
  if (!operation || enclosingFunctionNamed(call, selfCallName(operation))) return undefined; // a recursive retry: reported as one
  const repeat = sameCallIn(handler.body, operation, context.sourceFile);
  if (!repeat) return undefined;

  const env: ExprEnv = { sourceFile: context.sourceFile, scope: scopeOf(call), counters: new Set() };
  const regions = [handler.body, ...callbackBodiesBetween(repeat, handler)];
  if (changesInput(regions, operation)) return undefined;
  const waits = collectWaits(regions, [handler.body], env, context.delays);
  const errorName = handler.parameters[0] && ts.isIdentifier(handler.parameters[0].name) ? handler.parameters[0].name.text : undefined;
  return {
    shape: 'promiseChain',
    anchor: call.expression.name,
    container: call,
    operation,
    delays: [...waitsAround(repeat, handler, env, context), ...waits.delays],
    delayUnknown: waits.unknown,
    bounded: true,
    singleRetry: true,
    nonRetryable: inspectsError(regions, errorName) ? undefined : rejectsClientErrors(attempt, operation, context.sourceFile, context.facts),
    counters: new Set(),
    env,
  };
}

/** `api.get(id).then(f).then(g)` → `api.get(id)`. */
function chainRoot(expression: ts.Expression): ts.CallExpression | undefined {
  let current = skipOuterExpressions(expression);
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && ['then', 'catch', 'finally'].includes(current.expression.name.text)) {
    current = skipOuterExpressions(current.expression.expression);
  }
  return ts.isCallExpression(current) ? current : undefined;
}

/** `f()` or `this.f()`: calls that may be the enclosing function calling itself. */
function selfCallName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? callee.name.text : undefined;
}

function enclosingFunctionNamed(from: ts.Node, name: string | undefined): boolean {
  if (name === undefined) return false;
  for (let node: ts.Node | undefined = from.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node) && functionName(node) === name) return true;
  }
  return false;
}

/** A call in `root` with the same callee and the same arguments, as written. */
function sameCallIn(root: ts.Node, original: ts.CallExpression, sourceFile: ts.SourceFile): ts.CallExpression | undefined {
  const text = original.getText(sourceFile).replace(/\s+/g, '');
  let found: ts.CallExpression | undefined;
  forEachIncludingCallbacks(root, (node) => {
    if (!found && ts.isCallExpression(node) && node.getText(sourceFile).replace(/\s+/g, '') === text) found = node;
  });
  return found;
}

function callbackBodiesBetween(inner: ts.Node, outer: ts.Node): ts.Node[] {
  const bodies: ts.Node[] = [];
  for (let node = inner.parent; node && node !== outer; node = node.parent) {
    const body = ts.isFunctionLike(node) ? functionBody(node) : undefined;
    if (body) bodies.push(body);
  }
  return bodies;
}

/**
 * `const timer = setInterval(async () => { try { await connect(); clearInterval(timer) } catch {} }, 5000)`
 * and `setInterval(() => { if (!this.connected) this.connect() }, 5000)`: a retry on a fixed beat.
 */
export function intervalRetry(call: ts.CallExpression, context: SiteContext): RetrySite | undefined {
  if (!isTimerFunction(call.expression, 'setInterval')) return undefined;
  const [callback, ms] = call.arguments;
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
  const body = callback.body;
  const env: ExprEnv = { sourceFile: context.sourceFile, scope: body, counters: collectCounters([body]) };
  const found = stopsWhenItWorks(body, env, context) ?? reconnectsWhenDown(body);
  if (!found) return undefined;
  const delay: DelayCall = { node: call, ms: ms && !ts.isSpreadElement(ms) ? { expression: ms, env } : undefined };
  const errorName = catchVariable(found.clause);
  return {
    shape: found.reconnect ? 'reconnect' : 'interval',
    anchor: ts.isCallExpression(found.operation) || ts.isNewExpression(found.operation) ? found.operation.expression : found.operation,
    container: call,
    operation: found.operation,
    delays: [delay],
    delayUnknown: false,
    bounded: hasAttemptLimit([body], env.counters, errorName),
    nonRetryable: found.clause && !inspectsError([found.clause.block], errorName) ? rejectsClientErrors(found.clause.parent, found.operation, context.sourceFile, context.facts) : undefined,
    counters: env.counters,
    env,
  };
}

interface IntervalAttempt {
  operation: ts.Node;
  clause: ts.CatchClause | undefined;
  reconnect: boolean;
}

function stopsWhenItWorks(body: ts.Node, env: ExprEnv, context: SiteContext): IntervalAttempt | undefined {
  let found: IntervalAttempt | undefined;
  forEachInScope(body, (node) => {
    if (found || !ts.isTryStatement(node) || !node.catchClause) return;
    // Stopping only when the result says so (`if (await ready()) clearInterval(timer)`) is
    // polling for a condition; a retry stops as soon as the attempt did not throw.
    let clears = false;
    forEachInScope(node.tryBlock, (inner) => {
      if (ts.isIfStatement(inner) || ts.isConditionalExpression(inner)) return 'skip';
      if (ts.isCallExpression(inner) && calleeName(inner) === 'clearInterval') clears = true;
      return undefined;
    });
    const operation = clears ? firstOperation(node.tryBlock, env, context) : undefined;
    if (operation) found = { operation, clause: node.catchClause, reconnect: /connect/i.test(calleeName(operation) ?? '') };
  });
  return found;
}

function reconnectsWhenDown(body: ts.Node): IntervalAttempt | undefined {
  let found: IntervalAttempt | undefined;
  forEachInScope(body, (node) => {
    if (found || !ts.isIfStatement(node) || !/connect|readyState|isOpen|alive/i.test(node.expression.getText())) return;
    forEachInScope(node.thenStatement, (inner) => {
      const call = ts.isCallExpression(inner) ? inner : undefined;
      if (!found && call && /^(re)?connect$/i.test(calleeName(call) ?? '')) found = { operation: skipAwait(call), clause: undefined, reconnect: true };
    });
  });
  return found;
}
