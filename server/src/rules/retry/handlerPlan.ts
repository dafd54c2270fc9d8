import { ts } from 'ts-morph';
import type { Step } from './attemptCount';
import { isLoggingCall } from './retryPath';
import { mentionsAny, referenceKey } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

// Reads a retry's error handler statement by statement, for the replacement fix: each one
// must be bookkeeping the retry() pattern takes over (counters, waits, the attempt limit),
// an error filter (→ shouldRetry), or logging (→ onRetry). Anything else means the
// handler does work a rewrite would lose, and no fix is offered.

export interface HandlerPlan {
  steps: Step[];
  /** Conditions under which the error is rethrown at once: `shouldRetry` is their negation. */
  filters: ts.Expression[];
  logs: ts.Statement[];
  /** `lastError = err`: a variable that only carries the error out of the loop. */
  lastError: string | undefined;
  /** The handler ends with `continue`: the rest of the loop body is skipped. */
  continues: boolean;
}

export interface HandlerContext {
  errorName: string | undefined;
  /** Counters and delay variables: updates of these are dropped. */
  bookkeeping: ReadonlySet<string>;
  counters: ReadonlySet<string>;
  /** Nodes of the waits on the retry path. */
  delays: ReadonlySet<ts.Node>;
}

export function planHandler(statements: readonly ts.Statement[], context: HandlerContext): HandlerPlan | undefined {
  const plan: HandlerPlan = { steps: [], filters: [], logs: [], lastError: undefined, continues: false };
  for (const [index, statement] of statements.entries()) {
    if (ts.isContinueStatement(statement) && !statement.label && index === statements.length - 1) {
      plan.continues = true;
      continue;
    }
    if (ts.isIfStatement(statement)) {
      if (!planCheck(statement, plan, context)) return undefined;
      continue;
    }
    if (!ts.isExpressionStatement(statement)) return undefined;
    const expression = skipOuterExpressions(statement.expression);
    if (isUpdateOf(expression, context.bookkeeping)) {
      if (mentionsAny(expression, context.counters)) plan.steps.push({ kind: 'update', expression });
    } else if (isWait(expression, context.delays)) {
      // retry() waits instead.
    } else if (ts.isCallExpression(expression) && isLoggingCall(expression) && !mentionsAny(expression, context.bookkeeping)) {
      plan.logs.push(statement);
    } else if (isErrorCapture(expression, context.errorName)) {
      plan.lastError = referenceKey((expression as ts.BinaryExpression).left);
    } else {
      return undefined;
    }
  }
  return plan;
}

/** `if (attempt >= max) throw err;`, `if (!isTransient(err)) throw err;`, or both joined by `||`. */
function planCheck(statement: ts.IfStatement, plan: HandlerPlan, context: HandlerContext): boolean {
  if (statement.elseStatement || !rethrows(statement.thenStatement, context.errorName, plan.lastError)) return false;
  const bounds: ts.Expression[] = [];
  const filters: ts.Expression[] = [];
  for (const part of disjuncts(statement.expression)) {
    if (mentionsAny(part, context.counters)) bounds.push(part);
    else if (mentionsAny(part, context.bookkeeping)) return false;
    else filters.push(part);
  }
  // Several limits are evaluated through the whole condition, which a filter would upset.
  if (bounds.length === 1) plan.steps.push({ kind: 'stopIf', condition: bounds[0]! });
  else if (bounds.length > 1 && filters.length > 0) return false;
  else if (bounds.length > 1) plan.steps.push({ kind: 'stopIf', condition: statement.expression });
  plan.filters.push(...filters);
  return true;
}

function disjuncts(expression: ts.Expression): ts.Expression[] {
  const node = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.BarBarToken) return [...disjuncts(node.left), ...disjuncts(node.right)];
  return [node];
}

/** `throw err` (or the variable that carries it), alone or in a block. */
export function rethrows(statement: ts.Statement, errorName: string | undefined, lastError: string | undefined): boolean {
  const only = ts.isBlock(statement) ? (statement.statements.length === 1 ? statement.statements[0] : undefined) : statement;
  if (!only || !ts.isThrowStatement(only) || !only.expression) return false;
  const thrown = referenceKey(only.expression);
  return thrown !== undefined && (thrown === errorName || thrown === lastError);
}

function isUpdateOf(expression: ts.Expression, keys: ReadonlySet<string>): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    const key = referenceKey(node.operand);
    return key !== undefined && keys.has(key) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken);
  }
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind < ts.SyntaxKind.FirstAssignment || node.operatorToken.kind > ts.SyntaxKind.LastAssignment) return false;
  const key = referenceKey(node.left);
  return key !== undefined && keys.has(key);
}

function isWait(expression: ts.Expression, delays: ReadonlySet<ts.Node>): boolean {
  const node = skipOuterExpressions(expression);
  return ts.isAwaitExpression(node) && delays.has(skipOuterExpressions(node.expression));
}

function isErrorCapture(expression: ts.Expression, errorName: string | undefined): boolean {
  const node = skipOuterExpressions(expression);
  return (
    errorName !== undefined &&
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(node.left) &&
    referenceKey(node.right) === errorName
  );
}
