import { ts } from 'ts-morph';
import type { DelayContext } from './delays';
import type { ExprEnv } from './model';
import { collectWaits } from './retryPath';
import { alwaysExits, forEachInScope, mentionsAny } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

// Polling is not retrying: the call worked, the answer is just "not yet". A loop that
// goes round only while what it waits for is not found (or still in progress), or that
// reads the states a reply names (`authorization_pending`, `slow_down`), is waiting for a
// state to change, so the dependency is not failing and backoff is not the cure.

/** What is not there yet: a 404, or work the other side reports as still in progress. */
const NOT_YET = /\b404\b|not.?found|ENOENT|in.?progress|pending|not.?ready/i;

/**
 * The error handler rethrows everything except "not found (yet)" or "still in progress":
 * `if (err.status === 404) {} else { throw err }`, `if (!(err instanceof NotFoundError)) throw err`,
 * `if (isNotFound(err)) continue; throw err`.
 */
export function retriesOnlyNotYet(handler: ts.Node, errorName: string | undefined): boolean {
  if (errorName === undefined) return false;
  const keys = new Set([errorName]);
  const notYet = (e: ts.Expression) => mentionsAny(e, keys) && NOT_YET.test(e.getText());
  let found = false;
  forEachInScope(handler, (node) => {
    if (found || !ts.isIfStatement(node)) return;
    const condition = node.expression;
    const thenExits = alwaysExits(node.thenStatement);
    const otherwiseExits = node.elseStatement ? alwaysExits(node.elseStatement) : alwaysExits(nextStatement(node));
    const goesRoundWhenTrue = !thenExits || continues(node.thenStatement);
    if (goesRoundWhenTrue && otherwiseExits && parts(condition, ts.SyntaxKind.AmpersandAmpersandToken).some(notYet)) found = true;
    const negated = parts(condition, ts.SyntaxKind.BarBarToken).map(negation);
    if (thenExits && !continues(node.thenStatement) && negated.some((n) => n !== undefined && notYet(n))) found = true;
  });
  return found;
}

/**
 * The attempt also waits when it worked (`healthy = await check(); if (!healthy) await wait(1000)`):
 * a successful "not yet" goes round like an error, so the loop is polling.
 */
export function waitsOnSuccessToo(attempt: ts.Block, operation: ts.Node, env: ExprEnv, context: DelayContext): boolean {
  return collectWaits([attempt], [], env, context).delays.some((d) => d.node.pos >= operation.end);
}

/** A reply read for the state it names: a `switch` over two or more words. */
export function readsNamedStates(body: ts.Node): boolean {
  let found = false;
  forEachInScope(body, (node) => {
    if (!ts.isSwitchStatement(node)) return;
    const words = node.caseBlock.clauses.filter((c) => ts.isCaseClause(c) && ts.isStringLiteralLike(skipOuterExpressions(c.expression)));
    if (words.length >= 2) found = true;
  });
  return found;
}

function nextStatement(statement: ts.Statement): ts.Statement | undefined {
  const parent = statement.parent;
  if (!ts.isBlock(parent) && !ts.isSourceFile(parent)) return undefined;
  return parent.statements[parent.statements.indexOf(statement) + 1];
}

function continues(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && ts.isContinueStatement(last);
}

/** `a && b && c` → [a, b, c] for the given operator (a loop: conditions can be long chains). */
function parts(condition: ts.Expression, operator: ts.SyntaxKind): ts.Expression[] {
  const found: ts.Expression[] = [];
  const stack = [condition];
  while (stack.length > 0) {
    const node = skipOuterExpressions(stack.pop()!);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === operator) stack.push(node.right, node.left);
    else found.push(node);
  }
  return found;
}

/** `!(x)` → x; `a !== b` → the comparison (its negation is the equality). */
function negation(expression: ts.Expression): ts.Expression | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return node.operand;
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken)) return node;
  return undefined;
}
