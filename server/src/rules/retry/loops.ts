import { ts } from 'ts-morph';
import { headerAttemptCount } from './attemptCount';
import { constantValue } from './constants';
import type { ExprEnv, RetrySite, SiteContext } from './model';
import { readsNamedStates, retriesOnlyNotYet, waitsOnSuccessToo } from './polls';
import {
  catchVariable,
  isLocalFileCall,
  collectCounters,
  collectWaits,
  firstOperation,
  hasAttemptLimit,
  inspectsError,
  limitsAttempts,
  changesInput,
  operationWaits,
  rejectsClientErrors,
  retriesOnlyConflicts,
  scopeOf,
  waitsBeforeAttempt,
} from './retryPath';
import { alwaysExits, breakTarget, calleeName, containsNode, forEachInScope, isComparison, isLoop, mentionsAny, numericValue, referenceKey, referencedKeys, skipAwait } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

// Retry loops: `for`/`while`/`do` loops whose attempt is an awaited call that leaves the
// loop when it succeeds and goes round again when it fails. A loop that moves on to the
// next item after a failure, or that retries with a different input, is not a retry.

export function retryLoop(loop: ts.IterationStatement, context: SiteContext): RetrySite | undefined {
  if (ts.isForInStatement(loop)) return undefined;
  if (ts.isForOfStatement(loop) && !iteratesAttempts(loop)) return undefined;
  for (const attempt of outermostTries(loop)) {
    const site = tryCatchRetry(loop, attempt, context);
    if (site) return site;
  }
  return statusCheckRetry(loop, context);
}

/** `for (const wait of [100, 400, 1600])`, `for (const attempt of range(3))`: attempts, not items. */
function iteratesAttempts(loop: ts.ForOfStatement): boolean {
  // `of await getPlugins()`: the list awaited, not a wait.
  const iterated = skipAwait(loop.expression);
  if (ts.isArrayLiteralExpression(iterated)) return iterated.elements.length > 0 && iterated.elements.every((e) => numericValue(e) !== undefined);
  const text = ts.isCallExpression(iterated) ? (calleeName(iterated) ?? '') : iterated.getText();
  return /delay|backoff|attempt|retr|interval|wait|schedule/i.test(text.slice(text.lastIndexOf('.') + 1)) || /^(range|times)$/.test(text);
}

function outermostTries(loop: ts.IterationStatement): ts.TryStatement[] {
  const tries: ts.TryStatement[] = [];
  forEachInScope(loop.statement, (node) => {
    if (node !== loop.statement && isLoop(node)) return 'skip';
    if (!ts.isTryStatement(node)) return undefined;
    tries.push(node);
    return 'skip';
  });
  return tries;
}

function tryCatchRetry(loop: ts.IterationStatement, attempt: ts.TryStatement, context: SiteContext): RetrySite | undefined {
  const clause = attempt.catchClause;
  if (!clause) return undefined;
  const env0: ExprEnv = { sourceFile: context.sourceFile, scope: scopeOf(loop), counters: new Set() };
  const operation = firstOperation(attempt.tryBlock, env0, context);
  if (!operation) return undefined;
  if (!leavesOnSuccess(attempt.tryBlock, loop) && !retriesByFlag(loop, clause) && !leavesAfterwards(attempt, loop)) return undefined;
  if (isLocalFileCall(operation, context)) return undefined;
  if (!goesRound(clause.block, loop)) return undefined;

  const header = loopHeader(loop);
  const path = [clause.block, ...surroundings(attempt, loop), ...header];
  if (changesInput(path, operation)) return undefined;
  const counters = collectCounters([...path, ...attempt.tryBlock.statements.filter((s) => !containsNode(s, operation))]);
  const scheduled = new Set<string>();
  if (ts.isForOfStatement(loop)) addForOfVariable(loop, counters, scheduled);
  const env: ExprEnv = { ...env0, counters, scheduled };
  const waits = collectWaits(path, [clause.block], env, context.delays);
  waits.delays.push(...waitsBeforeAttempt(attempt.tryBlock, operation, env, context.delays));
  const errorName = catchVariable(clause);
  if (ts.isForOfStatement(loop) && mentionsAny(attempt.tryBlock, forOfVariables(loop))) return undefined; // trying each item in turn
  if (indexesBy(attempt.tryBlock, counters) || indexesBy(localInputs(operation, loop), counters)) return undefined; // `models[i]`: the next fallback, not the same call again
  if (awaitsOthersWork(attempt.tryBlock)) return undefined;
  if (retriesOnlyConflicts(path, errorName) || retriesOnlyNotYet(clause.block, errorName)) return undefined;
  if (waitsOnSuccessToo(attempt.tryBlock, operation, env, context.delays)) return undefined;
  const condition = loopCondition(loop);
  const stopFlags = new Set([...(condition ? referencedKeys(condition) : [])].filter((key) => !counters.has(key)));
  const bounded = ts.isForOfStatement(loop) || conditionLimits(loop, counters) || hasAttemptLimit(path, counters, errorName, stopFlags);
  const nonRetryable = inspectsError(path, errorName) ? undefined : rejectsClientErrors(attempt.tryBlock, operation, context.sourceFile, context.facts);
  return {
    shape: reconnects(attempt.tryBlock, path) ? 'reconnect' : 'loop',
    anchor: operation.expression,
    container: loop,
    operation,
    delays: waits.delays,
    delayUnknown: waits.unknown || operationWaits(operation, context),
    bounded,
    nonRetryable,
    counters,
    // Two attempts make one wait: how it would grow cannot matter.
    singleRetry: ts.isForStatement(loop) && (headerAttemptCount(loop, counters, (limit) => constantValue(limit, loop, context.facts, { defaults: false })) ?? Infinity) <= 2,
    env,
  };
}

/** Calls that (re)open a connection or a subscription; `disconnect`, `unsubscribe` and `unwatch` close one. */
const RECONNECT = /(?<!dis)connect|(?<!un)subscribe|listen|consume|stream|(?<!un)watch/i;

/** A loop that (re)opens a long-lived connection or subscription, or says so in its names. */
function reconnects(attempt: ts.Block, path: readonly ts.Node[]): boolean {
  let found = false;
  forEachInScope(attempt, (node) => {
    if ((ts.isAwaitExpression(node) || ts.isYieldExpression(node)) && node.expression) {
      const target = skipAwait(node.expression);
      if ((ts.isCallExpression(target) || ts.isNewExpression(target)) && RECONNECT.test(calleeName(target) ?? '')) found = true;
    }
  });
  return found || path.some((part) => [...referencedKeys(part)].some((key) => /reconnect/i.test(key)));
}

function indexesBy(roots: ts.Node | readonly ts.Node[], counters: ReadonlySet<string>): boolean {
  let indexes = false;
  for (const root of Array.isArray(roots) ? roots : [roots]) {
    forEachInScope(root, (node) => {
      if (ts.isElementAccessExpression(node) && mentionsAny(node.argumentExpression, counters)) indexes = true;
    });
  }
  return indexes;
}

/** How the loop body computes what the call takes: `const url = this.urls[i]` for `fetchFont(url)`. */
function localInputs(operation: ts.Node, loop: ts.IterationStatement): ts.Expression[] {
  const used = referencedKeys(operation);
  const initializers: ts.Expression[] = [];
  forEachInScope(loop.statement, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && used.has(node.name.text) && node.initializer) initializers.push(node.initializer);
  });
  return initializers;
}

/**
 * `while ((flow = pending.get(key))) { try { await flow } catch {} }`: the first thing the
 * attempt awaits is a promise someone else started, so the loop waits for their work.
 */
function awaitsOthersWork(attempt: ts.Block): boolean {
  let first: ts.Expression | undefined;
  forEachInScope(attempt, (node) => {
    if (first || !ts.isAwaitExpression(node)) return undefined;
    first = skipOuterExpressions(node.expression);
    return 'skip';
  });
  return first !== undefined && (ts.isIdentifier(first) || ts.isPropertyAccessExpression(first));
}

function forOfVariables(loop: ts.ForOfStatement): Set<string> {
  const names = new Set<string>();
  if (ts.isVariableDeclarationList(loop.initializer)) {
    for (const declaration of loop.initializer.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
  }
  return names;
}

/** The attempt leaves the loop when it succeeds: return, break, or setting what the loop tests. */
function leavesOnSuccess(block: ts.Block, loop: ts.IterationStatement): boolean {
  const condition = loopCondition(loop);
  const tested = condition ? referencedKeys(condition) : new Set<string>();
  const counters = collectCounters([loop.statement, ...loopHeader(loop)]);
  const leaves = (s: ts.Statement) => ts.isReturnStatement(s) || (ts.isBreakStatement(s) && breakTarget(s) === loop);
  return block.statements.some((statement) => {
    if (leaves(statement)) return true;
    if (ts.isIfStatement(statement)) return looksLikeSuccess(statement.expression) && exitsLoop(statement.thenStatement, loop);
    const expression = ts.isExpressionStatement(statement) ? skipOuterExpressions(statement.expression) : undefined;
    if (!expression || !ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
    // `done = true` or `result = await op()` tested by the loop; resetting a counter is not leaving.
    const assigned = referenceKey(expression.left);
    return assigned !== undefined && tested.has(assigned) && !counters.has(assigned) && numericValue(expression.right) === undefined;
  });
}

/**
 * `try { response = await op() } catch {…}` and, after it, `if (response) { …; return response }`:
 * the attempt's result is checked once the try is over. Only in a loop that counts attempts:
 * an agent or job loop checks its step's result the same way.
 */
function leavesAfterwards(attempt: ts.TryStatement, loop: ts.IterationStatement): boolean {
  if (!retryNamedCounter(loop)) return false;
  const results = new Set<string>();
  for (const statement of attempt.tryBlock.statements) {
    const expression = ts.isExpressionStatement(statement) ? skipOuterExpressions(statement.expression) : undefined;
    if (!expression || !ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const key = referenceKey(expression.left);
    if (key !== undefined && ts.isAwaitExpression(skipOuterExpressions(expression.right))) results.add(key);
  }
  const body = attempt.parent;
  if (results.size === 0 || body !== loop.statement || !ts.isBlock(body)) return false;
  return body.statements.slice(body.statements.indexOf(attempt) + 1).some((statement) => {
    if (!ts.isIfStatement(statement) || !mentionsAny(statement.expression, results) || isNegative(statement.expression)) return false;
    let leaves = false;
    forEachInScope(statement.thenStatement, (node) => {
      if (ts.isReturnStatement(node) || (ts.isBreakStatement(node) && breakTarget(node) === loop)) leaves = true;
    });
    return leaves;
  });
}

const SUCCESS_WORDS = /\b(ok|status|statusCode|success|successful|succeeded|ready|connected|healthy|alive)\b/i;

/**
 * `if (res.ok) return res`, `if (result) return result`: the attempt worked. A comparison
 * such as `if (updated < BATCH_SIZE) break` ends a batch loop instead, and `if (!msg) return`
 * means there is nothing to do.
 */
function looksLikeSuccess(condition: ts.Expression): boolean {
  const node = skipOuterExpressions(condition);
  if (isNegative(node)) return false;
  // `data.status === 'complete'`: a job or a stream being polled reached its end.
  if (comparesWithWords(node)) return false;
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) return true;
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return looksLikeSuccess(node.left) || looksLikeSuccess(node.right);
  }
  return SUCCESS_WORDS.test(node.getText());
}

function comparesWithWords(condition: ts.Expression): boolean {
  let words = false;
  forEachInScope(condition, (node) => {
    if (isComparison(node) && (ts.isStringLiteralLike(node.left) || ts.isStringLiteralLike(node.right))) words = true;
  });
  return words;
}

function exitsLoop(statement: ts.Statement, loop: ts.IterationStatement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isReturnStatement(last) || (ts.isBreakStatement(last) && breakTarget(last) === loop));
}

/** `!x`, `x === null`, `x.length === 0`: "nothing to do", not "it worked". */
function isNegative(condition: ts.Expression): boolean {
  const node = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return true;
  if (!ts.isBinaryExpression(node)) return false;
  const text = node.getText();
  return /(===?|!==?)\s*(null|undefined|0|false)\b/.test(text) || /\.length\s*(===?|<)/.test(text);
}

/** `do { retry = false; try {…} catch { retry = true } } while (retry)`. */
function retriesByFlag(loop: ts.IterationStatement, clause: ts.CatchClause): boolean {
  const condition = loopCondition(loop);
  if (!condition) return false;
  const tested = referencedKeys(condition);
  let flagged = false;
  forEachInScope(clause.block, (node) => {
    if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const key = referenceKey(node.left);
    if (key !== undefined && tested.has(key) && node.right.kind === ts.SyntaxKind.TrueKeyword) flagged = true;
  });
  return flagged;
}

/** The error handler goes round again: it does not always leave, or it continues the loop. */
function goesRound(block: ts.Block, loop: ts.IterationStatement): boolean {
  let continues = false;
  forEachInScope(block, (node) => {
    if (ts.isContinueStatement(node) && breakTarget(node) === loop) continues = true;
  });
  return continues || !alwaysExits(block);
}

function loopCondition(loop: ts.IterationStatement): ts.Expression | undefined {
  if (ts.isForStatement(loop)) return loop.condition;
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return loop.expression;
  return undefined;
}

function loopHeader(loop: ts.IterationStatement): ts.Node[] {
  if (ts.isForStatement(loop)) return [loop.condition, loop.incrementor].filter((n): n is ts.Expression => n !== undefined);
  const condition = loopCondition(loop);
  return condition ? [condition] : [];
}

/** The parts of the loop body around the attempt (what else runs on each pass). */
function surroundings(attempt: ts.Node, loop: ts.IterationStatement): ts.Node[] {
  const parts: ts.Node[] = [];
  let child: ts.Node = attempt;
  for (let node = attempt.parent; child !== loop.statement && node; node = node.parent) {
    node.forEachChild((c) => {
      if (c !== child) parts.push(c);
    });
    child = node;
  }
  return parts;
}

function conditionLimits(loop: ts.IterationStatement, counters: ReadonlySet<string>): boolean {
  const condition = loopCondition(loop);
  if (!condition || skipOuterExpressions(condition).kind === ts.SyntaxKind.TrueKeyword) return false;
  return limitsAttempts(condition, counters, new Set());
}

function addForOfVariable(loop: ts.ForOfStatement, counters: Set<string>, scheduled: Set<string>): void {
  const declaration = ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0] : undefined;
  if (!declaration || !ts.isIdentifier(declaration.name)) return;
  const name = declaration.name.text;
  const iterated = skipOuterExpressions(loop.expression);
  if (ts.isArrayLiteralExpression(iterated)) {
    const values = new Set(iterated.elements.map((e) => numericValue(e)));
    if (values.size > 1) scheduled.add(name);
  } else if (/delay|backoff|wait|interval|schedule/i.test(iterated.getText())) {
    scheduled.add(name);
  } else {
    counters.add(name);
  }
}

/**
 * A loop without try/catch that retries on the response status:
 * `for (…) { const res = await fetch(url); if (res.ok) return res; await sleep(…) }`.
 */
function statusCheckRetry(loop: ts.IterationStatement, context: SiteContext): RetrySite | undefined {
  const body = loop.statement;
  let check: { condition: ts.Expression; operation: ts.CallExpression; status: boolean } | undefined;
  forEachInScope(body, (node) => {
    if (check || (node !== body && isLoop(node))) return 'skip';
    if (!ts.isIfStatement(node) || isNegative(node.expression) || !exitsLoop(node.thenStatement, loop)) return undefined;
    const response = checkedResponse(node.expression);
    const operation = response && awaitedCallAssignedTo(body, response);
    if (operation) check = { condition: node.expression, operation, status: true };
    const result = truthyVariable(node.expression);
    const attempt = result && retryNamedCounter(loop) ? awaitedCallAssignedTo(body, result) : undefined;
    if (!operation && attempt) check = { condition: node.expression, operation: attempt, status: false };
    return undefined;
  });
  if (!check || readsNamedStates(body)) return undefined;
  const { condition, operation, status } = check;
  if (isLocalFileCall(operation, context)) return undefined;
  const path = [body, ...loopHeader(loop)];
  if (changesInput(path, operation)) return undefined;
  const counters = collectCounters(path);
  const env: ExprEnv = { sourceFile: context.sourceFile, scope: scopeOf(loop), counters };
  const waits = collectWaits(path, [], env, context.delays);
  const bounded = conditionLimits(loop, counters) || hasAttemptLimit(path, counters, undefined);
  const delayUnknown = waits.unknown || operationWaits(operation, context);
  const limitedToServerErrors = /\b(4\d\d|5\d\d)\b/.test(condition.getText()) || otherStatusExit(body, loop, condition);
  return {
    shape: 'loop',
    anchor: operation.expression,
    container: loop,
    operation,
    delays: waits.delays,
    delayUnknown,
    bounded,
    nonRetryable: limitedToServerErrors || !status
      ? undefined
      : { reason: `only \`${condition.getText(context.sourceFile)}\` ends the loop, so 4xx responses are retried too`, node: condition },
    counters,
    env,
  };
}

/** `if (result)`, `if (started === true)` → the variable tested. */
function truthyVariable(condition: ts.Expression): string | undefined {
  const node = skipOuterExpressions(condition);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isBinaryExpression(node) && node.right.kind === ts.SyntaxKind.TrueKeyword && ts.isIdentifier(node.left)) return node.left.text;
  return undefined;
}

const RETRY_COUNTER = /attempt|retr|tries|tried/i;

/** Without a status to go by, only a loop that counts attempts (`while (attempts < maxRetries)`) is a retry. */
function retryNamedCounter(loop: ts.IterationStatement): boolean {
  const condition = loopCondition(loop);
  return condition !== undefined && [...referencedKeys(condition)].some((key) => RETRY_COUNTER.test(key));
}

/**
 * `res.ok`, `res.status === 200`, `response.statusCode < 300` → 'res' / 'response'. A status
 * compared with words (`job.status === 'finished'`) is a job being polled, not an HTTP reply.
 */
function checkedResponse(condition: ts.Expression): string | undefined {
  let found: string | undefined;
  forEachInScope(condition, (node) => {
    if (found !== undefined) return;
    const key = ts.isPropertyAccessExpression(node) ? referenceKey(node) : undefined;
    const match = key === undefined ? null : /^([\w$]+)\.(ok|status|statusCode)$/.exec(key);
    if (!match) return;
    const comparedWithNumber = match[2] === 'ok' || (isComparison(node.parent) && [node.parent.left, node.parent.right].some((side) => numericValue(side) !== undefined));
    if (comparedWithNumber) found = match[1];
  });
  return found;
}

function awaitedCallAssignedTo(body: ts.Node, name: string): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  forEachInScope(body, (node) => {
    if (found) return;
    const target =
      ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name
        ? node.initializer
        : ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && referenceKey(node.left) === name
          ? node.right
          : undefined;
    if (!target || !ts.isAwaitExpression(skipOuterExpressions(target))) return;
    const call = skipAwait(target);
    if (ts.isCallExpression(call)) found = call;
  });
  return found;
}

/** Another exit that looks at the status (`if (res.status === 404) return null`) filters client errors. */
function otherStatusExit(body: ts.Node, loop: ts.IterationStatement, successCondition: ts.Expression): boolean {
  const response = checkedResponse(successCondition);
  let found = false;
  forEachInScope(body, (node) => {
    if (!ts.isIfStatement(node) || node.expression === successCondition) return;
    // `if (res.status === 404) return`, or the response handed to a check: `if (this.isTerminal(res.error)) return`.
    const inspects = checkedResponse(node.expression) !== undefined || (response !== undefined && handsToCall(node.expression, response));
    if (inspects && (alwaysExits(node.thenStatement) || exitsLoop(node.thenStatement, loop))) found = true;
  });
  return found;
}

/** A call in `condition` takes `name` or one of its members as an argument. */
function handsToCall(condition: ts.Expression, name: string): boolean {
  let found = false;
  forEachInScope(condition, (node) => {
    if (ts.isCallExpression(node) && node.arguments.some((argument) => mentionsAny(argument, new Set([name])))) found = true;
  });
  return found;
}
