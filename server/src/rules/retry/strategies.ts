import { ts } from 'ts-morph';
import type { DelayCall, ExprEnv, RetrySite, SiteContext } from './model';
import { functionBody } from './syntax';
import { returnedExpressions, skipOuterExpressions, type FunctionLike } from '../shared/localDeclarations';

// Delay callbacks handed to a client or retry library: ioredis `retryStrategy(times)`,
// node-redis `reconnectStrategy(retries)`, axios-retry and fetch-retry `retryDelay(attempt)`,
// ofetch `retryDelay(context)`.
// The library does the retrying; the callback decides the backoff, so it is judged like a
// home-made delay, with its first parameter as the attempt counter.

// Also the prefixed variants (`clusterRetryStrategy`, `sentinelReconnectStrategy`).
const DELAY_CALLBACK = /(retry|reconnect)Strategy$|retryDelay$/i;

export function delayCallbackRetry(node: ts.Node, context: SiteContext): RetrySite | undefined {
  const callback = callbackOf(node);
  if (!callback) return undefined;
  const { fn, name } = callback;
  const body = functionBody(fn);
  if (!body) return undefined;
  const counterName = fn.parameters[0] && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : undefined;
  // ofetch passes its request context instead, whose `options.retry` counts the retries left.
  const counters = new Set(counterName ? [counterName, `${counterName}.options.retry`] : []);
  const env: ExprEnv = { sourceFile: context.sourceFile, scope: body, counters };
  const delays: DelayCall[] = returnedExpressions(fn)
    .filter(isDelayValue)
    .map((expression) => ({ node: expression, ms: { expression, env } }));
  if (delays.length === 0) return undefined;
  return {
    shape: 'strategy',
    anchor: name,
    container: fn,
    operation: undefined,
    delays,
    delayUnknown: false,
    // The library stops retrying (or the callback does, by returning null/an Error).
    bounded: true,
    nonRetryable: undefined,
    counters,
    risingCounters: counters,
    env,
  };
}

function callbackOf(node: ts.Node): { fn: FunctionLike; name: ts.Node } | undefined {
  if (ts.isMethodDeclaration(node) && ts.isObjectLiteralExpression(node.parent) && ts.isIdentifier(node.name) && DELAY_CALLBACK.test(node.name.text)) {
    return { fn: node, name: node.name };
  }
  if (!ts.isPropertyAssignment(node) || !ts.isIdentifier(node.name) || !DELAY_CALLBACK.test(node.name.text)) return undefined;
  const value = skipOuterExpressions(node.initializer);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? { fn: value, name: node.name } : undefined;
}

/** `return null`, `return false`, `return new Error(…)` stop retrying; they are not delays. */
function isDelayValue(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (node.kind === ts.SyntaxKind.NullKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.TrueKeyword) return false;
  if (ts.isIdentifier(node) && node.text === 'undefined') return false;
  if (ts.isNewExpression(node) || ts.isStringLiteralLike(node)) return false;
  return true;
}
