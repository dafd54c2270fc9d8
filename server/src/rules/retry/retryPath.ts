import { ts } from 'ts-morph';
import { importBindings } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { resolveCallee } from './callees';
import { awaitedDelay, isTimerFunction, type DelayContext } from './delays';
import type { DelayCall, ExprEnv, SiteContext } from './model';
import {
  alwaysExits,
  calleeName,
  forEachIncludingCallbacks,
  forEachInScope,
  functionBody,
  isAssignment,
  isComparison,
  isRelational,
  mentionsAny,
  numericValue,
  referenceKey,
  referencedKeys,
  skipAwait,
  skipParentheses,
} from './syntax';

// What happens between one attempt and the next, shared by every retry shape: which
// values count attempts, which waits run, whether something stops the retrying, and
// whether the error is looked at before it is retried.

/** Keys of values stepped by one per pass: `i++`, `attempt += 1`, `this.retries--`, `n = n + 1`. */
export function collectCounters(parts: readonly ts.Node[]): Set<string> {
  const counters = new Set<string>();
  for (const part of parts) {
    forEachInScope(part, (node) => {
      if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && isStep(node.operator)) {
        const key = referenceKey(node.operand);
        if (key !== undefined) counters.add(key);
      } else if (ts.isBinaryExpression(node) && isStepAssignment(node)) {
        const key = referenceKey(node.left);
        if (key !== undefined) counters.add(key);
      }
    });
  }
  return counters;
}

function isStep(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken;
}

function isStepAssignment(node: ts.BinaryExpression): boolean {
  const kind = node.operatorToken.kind;
  const small = (e: ts.Expression) => {
    const value = numericValue(e);
    return value !== undefined && Math.abs(value) <= 1;
  };
  if (kind === ts.SyntaxKind.PlusEqualsToken || kind === ts.SyntaxKind.MinusEqualsToken) return small(node.right);
  if (kind !== ts.SyntaxKind.EqualsToken) return false;
  const right = skipParentheses(node.right);
  const key = referenceKey(node.left);
  return (
    ts.isBinaryExpression(right) &&
    (right.operatorToken.kind === ts.SyntaxKind.PlusToken || right.operatorToken.kind === ts.SyntaxKind.MinusToken) &&
    key !== undefined &&
    referenceKey(right.left) === key &&
    small(right.right)
  );
}

export interface PathWaits {
  delays: DelayCall[];
  /** An awaited call the analysis cannot see into might wait. */
  unknown: boolean;
}

/**
 * Waits in `parts`. Only awaited calls in `opaqueParts` (the error handler) that cannot be
 * resolved make the delay unknown: elsewhere they are the next attempt's own work.
 */
export function collectWaits(parts: readonly ts.Node[], opaqueParts: readonly ts.Node[], env: ExprEnv, context: DelayContext): PathWaits {
  const delays: DelayCall[] = [];
  let unknown = false;
  for (const part of parts) {
    forEachInScope(part, (node) => {
      if (!ts.isAwaitExpression(node) && !ts.isYieldExpression(node)) return;
      if (!node.expression) return;
      const delay = awaitedDelay(node.expression, env, context);
      if (delay) {
        delays.push(delay);
        return 'skip';
      }
      if (opaqueParts.some((p) => p.pos <= node.pos && node.end <= p.end) && mightWait(node.expression, env, context.facts)) unknown = true;
      return undefined;
    });
  }
  return { delays, unknown };
}

const LOG_METHODS = new Set(['log', 'info', 'warn', 'warning', 'error', 'debug', 'trace', 'verbose', 'fatal', 'captureException', 'captureMessage']);

export function isLoggingCall(call: ts.CallExpression): boolean {
  const callee = skipParentheses(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  return LOG_METHODS.has(callee.name.text) || /log|sentry|metric|telemetry/i.test(callee.expression.getText());
}

function mightWait(expression: ts.Expression, env: ExprEnv, facts: ProjectFacts): boolean {
  const target = skipAwait(expression);
  if (!ts.isCallExpression(target)) return !ts.isIdentifier(target);
  if (isLoggingCall(target)) return false;
  // A project function that is not a timer helper (awaitedDelay said no) does not wait.
  return resolveCallee(target, env.sourceFile, facts)?.kind !== 'function';
}

/** The `if`s on the path whose branch leaves the attempt cycle (throw, return, break, continue). */
function exitingConditions(parts: readonly ts.Node[]): ts.Expression[] {
  const conditions: ts.Expression[] = [];
  for (const part of parts) {
    forEachInScope(part, (node) => {
      if (ts.isIfStatement(node) && (containsExit(node.thenStatement) || (node.elseStatement !== undefined && containsExit(node.elseStatement)))) {
        conditions.push(node.expression);
      } else if (ts.isConditionalExpression(node)) {
        conditions.push(node.condition);
      }
    });
  }
  return conditions;
}

function containsExit(statement: ts.Statement): boolean {
  let found = false;
  forEachInScope(statement, (node) => {
    if (ts.isThrowStatement(node) || ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node)) found = true;
  });
  return found || alwaysExits(statement);
}

const TIME_LIMIT = /deadline|timeout|elapsed|expires?|until|Date\.now|performance\.now|hrtime|getTime/i;

/** Something on the path compares an attempt counter, a clock or a limit before going round again. */
export function hasAttemptLimit(parts: readonly ts.Node[], counters: ReadonlySet<string>, errorName: string | undefined): boolean {
  const errorKeys = new Set(errorName ? [errorName] : []);
  return exitingConditions(parts).some((condition) => limitsAttempts(condition, counters, errorKeys));
}

const ATTEMPT_NAME = /attempt|retr|tries/i;

export function limitsAttempts(condition: ts.Expression, counters: ReadonlySet<string>, errorKeys: ReadonlySet<string>): boolean {
  if (mentionsAny(condition, counters)) return true;
  // `!retriesRemaining`, `retriesLeft === 0`: a budget counted elsewhere.
  if ([...referencedKeys(condition)].some((key) => ATTEMPT_NAME.test(key.slice(key.lastIndexOf('.') + 1)))) return true;
  let limited = false;
  forEachInScope(condition, (node) => {
    if (isRelational(node) && !mentionsAny(node, errorKeys)) limited = true;
    if (isComparison(node) && !mentionsAny(node, errorKeys) && TIME_LIMIT.test(node.getText())) limited = true;
  });
  return limited;
}

/** The error is inspected (or handed to code that may rethrow it) before the next attempt. */
export function inspectsError(parts: readonly ts.Node[], errorName: string | undefined): boolean {
  if (errorName === undefined) return false;
  const keys = new Set([errorName]);
  if (exitingConditions(parts).some((condition) => mentionsAny(condition, keys))) return true;
  let handed = false;
  for (const part of parts) {
    forEachInScope(part, (node) => {
      if (ts.isSwitchStatement(node) && mentionsAny(node.expression, keys)) handed = true;
      if (ts.isCallExpression(node) && !isLoggingCall(node) && node.arguments.some((a) => mentionsAny(a, keys))) handed = true;
    });
  }
  return handed;
}

const CONFLICT = /unique|duplicate|conflict|P2002|23505|ER_DUP_ENTRY/i;

/**
 * Retrying only a uniqueness conflict (pick another slug, re-read and write again) resolves
 * a race between writers; the dependency is not struggling, so backoff is not the cure.
 */
export function retriesOnlyConflicts(parts: readonly ts.Node[], errorName: string | undefined): boolean {
  if (errorName === undefined) return false;
  const keys = new Set([errorName]);
  return exitingConditions(parts).some((condition) => mentionsAny(condition, keys) && CONFLICT.test(condition.getText()));
}

/** The variable a catch clause binds, when it is a plain identifier. */
export function catchVariable(clause: ts.CatchClause | undefined): string | undefined {
  const name = clause?.variableDeclaration?.name;
  return name && ts.isIdentifier(name) ? name.text : undefined;
}

const REJECTS_4XX: Record<string, string> = {
  axios: 'axios rejects 4xx responses',
  '@nestjs/axios': 'HttpService rejects 4xx responses',
  got: 'got rejects 4xx responses',
  ky: 'ky rejects 4xx responses',
  'ky-universal': 'ky rejects 4xx responses',
  superagent: 'superagent rejects 4xx responses',
};

/**
 * Why the attempt fails on responses that will fail again (4xx), when the code shows it:
 * an HTTP client that rejects them, or an explicit `if (!res.ok) throw`.
 */
export function rejectsClientErrors(attempt: ts.Node, operation: ts.Node | undefined, sourceFile: ts.SourceFile, facts: ProjectFacts): { reason: string; node: ts.Node } | undefined {
  if (operation && ts.isCallExpression(operation)) {
    const client = httpClientOf(operation, sourceFile, facts);
    if (client) return { reason: `${REJECTS_4XX[client]}, and every rejection is retried`, node: operation };
  }
  let found: { reason: string; node: ts.Node } | undefined;
  forEachInScope(attempt, (node) => {
    if (found || !ts.isIfStatement(node)) return;
    const first = firstStatement(node.thenStatement);
    if (!first || !ts.isThrowStatement(first)) return;
    if (throwsOnClientErrors(node.expression)) found = { reason: `\`${node.expression.getText(sourceFile)}\` throws on 4xx responses too, and they are retried`, node };
  });
  return found;
}

function firstStatement(statement: ts.Statement): ts.Statement | undefined {
  return ts.isBlock(statement) ? statement.statements[0] : statement;
}

/** `!res.ok`, `res.status !== 200`, `res.status >= 400`: true unless the test is limited to 5xx / 429. */
export function throwsOnClientErrors(condition: ts.Expression): boolean {
  const keys = referencedKeys(condition);
  const mentionsOk = [...keys].some((k) => k.endsWith('.ok'));
  const mentionsStatus = [...keys].some((k) => /\.status(Code)?$/.test(k));
  if (!mentionsOk && !mentionsStatus) return false;
  let serverOnly = false;
  forEachInScope(condition, (node) => {
    const value = ts.isNumericLiteral(node) ? Number(node.text) : undefined;
    if (value !== undefined && (value >= 500 || value === 429 || value === 408)) serverOnly = true;
  });
  return !serverOnly;
}

function httpClientOf(call: ts.CallExpression, sourceFile: ts.SourceFile, facts: ProjectFacts): string | undefined {
  let node: ts.Expression = skipParentheses(call.expression);
  // NestJS: `firstValueFrom(this.httpService.get(url))`.
  if (ts.isIdentifier(node) && (node.text === 'firstValueFrom' || node.text === 'lastValueFrom')) {
    const inner = call.arguments[0] && skipParentheses(call.arguments[0]);
    return inner && ts.isCallExpression(inner) ? httpClientOf(inner, sourceFile, facts) : undefined;
  }
  while (ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) {
    if (ts.isPropertyAccessExpression(node) && /^httpService$/i.test(node.name.text)) return '@nestjs/axios';
    node = skipParentheses(node.expression);
  }
  if (!ts.isIdentifier(node)) return undefined;
  const module = importBindings(facts, sourceFile).get(node.text)?.module;
  return module !== undefined && module in REJECTS_4XX ? module : undefined;
}

/** The function body (or file) enclosing a node: where a retry's counters and delays are declared. */
export function scopeOf(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && 'body' in current && current.body) return current.body as ts.Node;
    if (ts.isSourceFile(current)) return current;
  }
  return node;
}

/** The first awaited call of an attempt that is neither a wait nor logging. */
export function firstOperation(block: ts.Block, env: ExprEnv, context: SiteContext): ts.CallExpression | ts.NewExpression | undefined {
  let found: ts.CallExpression | ts.NewExpression | undefined;
  forEachInScope(block, (node) => {
    if (found) return 'skip';
    if (!(ts.isAwaitExpression(node) || ts.isYieldExpression(node)) || !node.expression) return undefined;
    const target = skipAwait(node.expression);
    if (!ts.isCallExpression(target) && !ts.isNewExpression(target)) return undefined;
    if (ts.isCallExpression(target) && isLoggingCall(target)) return undefined;
    if (awaitedDelay(node.expression, env, context.delays)) return undefined;
    found = target;
    return 'skip';
  });
  return found;
}

const FILE_MODULES = new Set(['fs', 'fs/promises', 'fs-extra', 'graceful-fs', 'node:fs', 'node:fs/promises']);

/**
 * Waiting for a local file (`fs.readFile` until the watcher has written it) is polling the
 * disk, not hammering a dependency that could be overloaded.
 */
export function isLocalFileCall(call: ts.CallExpression | ts.NewExpression, context: SiteContext): boolean {
  let root: ts.Expression = skipParentheses(call.expression);
  while (ts.isPropertyAccessExpression(root)) root = skipParentheses(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const module = importBindings(context.facts, context.sourceFile).get(root.text)?.module;
  return module !== undefined ? FILE_MODULES.has(module) : /^(fs|fsp|fse|fsPromises)$/.test(root.text);
}

/** `setTimeout(() => op(), ms)` and `sleep(ms).then(() => op())` between a repeated call and its handler. */
export function waitsAround(repeat: ts.Node, handler: ts.Node, env: ExprEnv, context: SiteContext): DelayCall[] {
  const delays: DelayCall[] = [];
  for (let node = repeat.parent; node && node !== handler; node = node.parent) {
    if (!ts.isFunctionLike(node) || !ts.isCallExpression(node.parent)) continue;
    const owner = node.parent;
    if (isTimerFunction(owner.expression, 'setTimeout') && owner.arguments[0] === node) {
      const ms = owner.arguments[1];
      delays.push({ node: owner, ms: ms && !ts.isSpreadElement(ms) ? { expression: ms, env } : undefined });
    } else if (calleeName(owner) === 'then' && ts.isPropertyAccessExpression(owner.expression)) {
      const delay = awaitedDelay(owner.expression.expression, env, context.delays);
      if (delay) delays.push(delay);
    }
  }
  return delays;
}

/**
 * Retrying with another input (the next slug, a rebuilt client, `element.muted = true`)
 * is not a retry of the same call: something the call reads, or the object it is made
 * on, is assigned on the way round.
 */
export function changesInput(path: readonly ts.Node[], operation: ts.Node, retryCall?: ts.Node): boolean {
  const used = referencedKeys(operation);
  used.delete('this');
  // What the attempt assigns itself (`this.socket = new WebSocket(url)`) is its output, not its input.
  forEachInScope(operation, (node) => {
    const assigned = isAssignment(node) ? referenceKey(node.left) : undefined;
    if (assigned !== undefined) used.delete(assigned);
  });
  let changes = false;
  for (const part of path) {
    forEachInScope(part, (node) => {
      if (!isAssignment(node) || (retryCall && !runsBefore(node, retryCall))) return;
      const key = referenceKey(node.left);
      if (key === undefined) return;
      const owners = key.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'));
      if (owners.some((owner) => owner !== 'this' && used.has(owner))) changes = true;
    });
  }
  return changes;
}

/** `node` runs before `call` on the way to it: earlier, in a block that also holds the call. */
function runsBefore(node: ts.Node, call: ts.Node): boolean {
  if (node.end > call.pos) return false;
  let block: ts.Node | undefined = node.parent;
  while (block && !ts.isBlock(block) && !ts.isSourceFile(block)) block = block.parent;
  return block !== undefined && block.pos <= call.pos && call.end <= block.end;
}

const WAIT_NAME = /wait|sleep|delay|backoff|pause/i;

/**
 * The attempt itself waits before it starts over (`connect()` awaits `retryWait(retries)`
 * when retrying): the delay is there, only not on the error path.
 */
export function operationWaits(operation: ts.Node | undefined, context: SiteContext): boolean {
  if (!operation || !ts.isCallExpression(operation)) return false;
  const callee = resolveCallee(operation, context.sourceFile, context.facts);
  const body = callee?.kind === 'function' ? functionBody(callee.fn) : undefined;
  if (!body || callee?.kind !== 'function') return false;
  const env: ExprEnv = { sourceFile: callee.sourceFile, scope: body, counters: new Set() };
  let waits = false;
  forEachIncludingCallbacks(body, (node) => {
    if (waits || !ts.isAwaitExpression(node)) return;
    const target = skipAwait(node.expression);
    if (awaitedDelay(node.expression, env, context.delays) || (ts.isCallExpression(target) && WAIT_NAME.test(calleeName(target) ?? ''))) waits = true;
  });
  return waits;
}
