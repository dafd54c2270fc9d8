import { ts } from 'ts-morph';
import { importBindings } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { classMember, resolveCallee } from './callees';
import { awaitedDelay, isTimerFunction, passedThrough, type DelayContext } from './delays';
import type { DelayCall, ExprEnv, SiteContext } from './model';
import { alwaysExits, calleeName, containsNode, enclosingClass, forEachIncludingCallbacks, forEachInScope, functionBody, isAssignment, isComparison, isRelational, isStepAssignment, mentionsAny, numericValue, referenceKey, referencedKeys, skipAwait } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

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
  return { delays, unknown: unknown || (delays.length === 0 && opaqueParts.some((part) => startsTimer(part, env, context))) };
}

/**
 * A timer started on the failure path that is not awaited there may still hold the next
 * attempt back: `hostDelays.set(host, wait.then(() => setTimeout(retryAfterMs)))`, awaited
 * when the attempt starts. How long it waits is not for this analysis to say.
 */
function startsTimer(part: ts.Node, env: ExprEnv, context: DelayContext): boolean {
  let starts = false;
  // A timer without a duration (or of 0 ms) holds nothing back.
  const lasts = (ms: ts.Expression | undefined) => ms !== undefined && numericValue(ms) !== 0;
  forEachIncludingCallbacks(part, (node) => {
    if (starts || !ts.isCallExpression(node)) return;
    const argument = node.arguments[1];
    if (isTimerFunction(node.expression, 'setTimeout')) starts = lasts(argument && !ts.isSpreadElement(argument) ? argument : undefined);
    const wait = starts ? undefined : awaitedDelay(node, env, context);
    if (wait?.durationUnknown || (wait?.ms && lasts(passedThrough(wait.ms).expression))) starts = true;
  });
  return starts;
}

/**
 * Waits at the start of the attempt, before the call that fails:
 * `try { if (attempt > 0) await sleep(backoff(attempt)); return await op(); } catch { … }`.
 */
export function waitsBeforeAttempt(attempt: ts.Block, operation: ts.Node | undefined, env: ExprEnv, context: DelayContext): DelayCall[] {
  return collectWaits([attempt], [], env, context).delays.filter((d) => !operation || d.node.end <= operation.getStart());
}

const LOG_METHODS = new Set(['log', 'info', 'warn', 'warning', 'error', 'debug', 'trace', 'verbose', 'fatal', 'captureException', 'captureMessage']);

export function isLoggingCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  return LOG_METHODS.has(callee.name.text) || /log|sentry|metric|telemetry/i.test(callee.expression.getText());
}

function mightWait(expression: ts.Expression, env: ExprEnv, facts: ProjectFacts): boolean {
  const target = skipAwait(expression);
  if (!ts.isCallExpression(target)) return !ts.isIdentifier(target);
  if (isLoggingCall(target)) return false;
  const callee = resolveCallee(target, env.sourceFile, facts);
  // A project function that is not a timer helper (awaitedDelay said no) waits only for
  // something else to happen: a promise made elsewhere (`await this.connectionBack`).
  return callee?.kind !== 'function' || awaitsEvent(callee.fn);
}

function awaitsEvent(fn: ts.SignatureDeclaration): boolean {
  const body = functionBody(fn);
  let awaits = false;
  if (body) {
    forEachInScope(body, (node) => {
      if (!ts.isAwaitExpression(node)) return;
      const awaited = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(awaited) || ts.isPropertyAccessExpression(awaited) || ts.isNewExpression(awaited)) awaits = true;
    });
  }
  return awaits;
}

/** The `if`s on the path whose branch leaves the attempt cycle (throw, return, break, continue). */
function exitingConditions(parts: readonly ts.Node[], stopFlags: ReadonlySet<string> = new Set()): ts.Expression[] {
  const conditions: ts.Expression[] = [];
  const exits = (statement: ts.Statement) => containsExit(statement) || assignsAny(statement, stopFlags);
  for (const part of parts) {
    forEachInScope(part, (node) => {
      if (ts.isIfStatement(node) && (exits(node.thenStatement) || (node.elseStatement !== undefined && exits(node.elseStatement)))) {
        conditions.push(node.expression);
      } else if (ts.isConditionalExpression(node)) {
        conditions.push(node.condition);
      }
    });
  }
  return conditions;
}

/** Giving up without leaving the handler: `this.stop(err)`, `reject(err)`, `client.close()`. */
const GIVES_UP = /^(stop|close|destroy|abort|cancel|shutdown|dispose|reject|fail)$/i;

function containsExit(statement: ts.Statement): boolean {
  let found = false;
  forEachInScope(statement, (node) => {
    if (ts.isThrowStatement(node) || ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node)) found = true;
    if (ts.isCallExpression(node) && GIVES_UP.test(calleeName(node) ?? '')) found = true;
  });
  return found || alwaysExits(statement);
}

const TIME_LIMIT = /deadline|timeout|elapsed|expires?|until|Date\.now|performance\.now|hrtime|getTime/i;

/**
 * Something on the path compares an attempt counter, a clock or a limit before going round
 * again — also through a local computed from the counter (`const willRetry = retries < max`,
 * `const wait = nextWait(failure, attempt)`: the helper decides when to stop), and by setting
 * what the loop tests (`stopFlags`: `doneError = err` in `while (!doneError)`).
 */
export function hasAttemptLimit(parts: readonly ts.Node[], counters: ReadonlySet<string>, errorName: string | undefined, stopFlags?: ReadonlySet<string>): boolean {
  const errorKeys = new Set(errorName ? [errorName] : []);
  const computed = new Map<string, ts.Expression>();
  for (const part of parts) {
    forEachInScope(part, (node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) computed.set(node.name.text, node.initializer);
    });
  }
  const fromCounter = (condition: ts.Expression) =>
    [...referencedKeys(condition)].some((key) => {
      const value = computed.get(key);
      return value !== undefined && mentionsAny(value, counters);
    });
  return exitingConditions(parts, stopFlags).some((condition) => limitsAttempts(condition, counters, errorKeys) || fromCounter(condition));
}

function assignsAny(statement: ts.Statement, keys: ReadonlySet<string>): boolean {
  if (keys.size === 0) return false;
  let assigns = false;
  forEachInScope(statement, (node) => {
    if (isAssignment(node) && keys.has(referenceKey(node.left) ?? '')) assigns = true;
  });
  return assigns;
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

/**
 * Uniqueness conflicts (Prisma P2002, Postgres 23505, MySQL ER_DUP_ENTRY or errno 1062,
 * MongoDB code 11000) and transaction conflicts: deadlocks and serialization failures
 * (Prisma P2034, Postgres 40P01 and 40001, MySQL ER_LOCK_DEADLOCK).
 */
const CONFLICT = /unique|duplicate|conflict|concurren|deadlock|serializ|P2002|P2034|23505|40P01|40001|ER_DUP_ENTRY|\b(?:E?11000|1062)\b/i;

/**
 * Retrying only a uniqueness conflict (pick another slug, re-read and write again) or a
 * transaction that lost a deadlock resolves a race between writers; the dependency is not
 * struggling, so backoff is not the cure.
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
  let node: ts.Expression = skipOuterExpressions(call.expression);
  // NestJS: `firstValueFrom(this.httpService.get(url))`.
  if (ts.isIdentifier(node) && (node.text === 'firstValueFrom' || node.text === 'lastValueFrom')) {
    const inner = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
    return inner && ts.isCallExpression(inner) ? httpClientOf(inner, sourceFile, facts) : undefined;
  }
  while (ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) {
    if (ts.isPropertyAccessExpression(node) && /^httpService$/i.test(node.name.text)) return '@nestjs/axios';
    node = skipOuterExpressions(node.expression);
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
  let root: ts.Expression = skipOuterExpressions(call.expression);
  while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
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
      const waited = owner.expression.expression;
      const direct = awaitedDelay(waited, env, context.delays);
      if (direct) delays.push(direct);
      else delays.push(...storedWaits(waited, scopeOf(owner), env, context));
    }
  }
  return delays;
}

/**
 * A wait kept for cancelling: `const c = delay(ms); c.then(() => retry())`, or
 * `const handle = wait(ms); handle.promise.then(…)`. Every value the variable is given
 * in the enclosing function counts (`handle = wait(0)` on one branch, `wait(ms)` on the other).
 */
function storedWaits(waited: ts.Expression, scope: ts.Node, env: ExprEnv, context: SiteContext): DelayCall[] {
  let root = skipOuterExpressions(waited);
  if (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root)) return [];
  const name = root.text;
  const delays: DelayCall[] = [];
  forEachInScope(scope, (node) => {
    let value: ts.Expression | undefined;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) value = node.initializer;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && referenceKey(node.left) === name) value = node.right;
    const delay = value && awaitedDelay(value, env, context.delays);
    if (delay) delays.push(delay);
  });
  return delays;
}

/**
 * Retrying with another input (the next slug, a rebuilt client, `element.muted = true`,
 * the next job once `queue.shift()` dropped the failed one) is not a retry of the same
 * call: something the call reads, or the object it is made on, is assigned or consumed
 * on the way round. `declarations` is where the attempt's locals may be declared besides
 * the path: a recursive retry's whole function, which runs again before the next attempt.
 */
export function changesInput(path: readonly ts.Node[], operation: ts.Node, retryCall?: ts.Node, declarations: readonly ts.Node[] = path): boolean {
  const used = referencedKeys(operation);
  used.delete('this');
  // What the attempt assigns itself (`this.socket = new WebSocket(url)`) is its output, not its input.
  forEachInScope(operation, (node) => {
    const assigned = isAssignment(node) ? referenceKey(node.left) : undefined;
    if (assigned !== undefined) used.delete(assigned);
  });
  addIndirectInputs(used, declarations, operation);
  const changesUsed = (key: string | undefined) => {
    const owners = key === undefined ? [] : key.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'));
    return owners.some((owner) => owner !== 'this' && used.has(owner));
  };
  let changes = false;
  for (const part of path) {
    forEachInScope(part, (node) => {
      if (retryCall && !runsBefore(node, retryCall)) return;
      if (isAssignment(node) ? changesUsed(assignedKey(node.left)) : !containsNode(operation, node) && changesUsed(consumedCollection(node))) changes = true;
    });
  }
  // `await this.resume(error)` that opens a new cursor (`this.cursor = …`) before the next read.
  for (const body of methodsCalledOnTheWay(path, retryCall)) {
    forEachInScope(body, (node) => {
      const key = isAssignment(node) ? referenceKey(node.left) : undefined;
      if (key?.startsWith('this.') && changesUsed(key)) changes = true;
    });
  }
  return changes;
}

/** What an assignment changes: `input`, `this.url`, and the array or object written into (`rows[i] = …`, `rows[i].body = …`). */
function assignedKey(target: ts.Expression): string | undefined {
  let node = skipOuterExpressions(target);
  for (let key = referenceKey(node); ; key = referenceKey(node)) {
    if (key !== undefined || !(ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node))) return key;
    node = skipOuterExpressions(node.expression);
  }
}

/** Array methods that take an element out (not `delete`, which HTTP clients have too: `api.delete(url)`). */
const CONSUMING_METHODS = new Set(['shift', 'pop', 'splice']);

/** `queue.shift()`, `jobs.splice(0, 1)` → the key of the array an element is taken out of. */
function consumedCollection(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(callee) && CONSUMING_METHODS.has(callee.name.text) ? referenceKey(callee.expression) : undefined;
}

const METHOD_HOPS = 2;

/** Bodies of the class's own methods the path calls (`this.recover()`), and of those they call, two hops deep. */
function methodsCalledOnTheWay(path: readonly ts.Node[], retryCall: ts.Node | undefined): ts.Node[] {
  const bodies: ts.Node[] = [];
  const seen = new Set<ts.Node>();
  let frontier = [...path];
  for (let hop = 0; hop < METHOD_HOPS && frontier.length > 0; hop++) {
    const next: ts.Node[] = [];
    for (const part of frontier) {
      forEachInScope(part, (node) => {
        if (!ts.isCallExpression(node) || node === retryCall || (retryCall && !runsBefore(node, retryCall))) return;
        const callee = skipOuterExpressions(node.expression);
        if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return;
        const method = classMember(node, callee.name.text);
        const body = method && functionBody(method);
        if (!body || seen.has(body)) return;
        seen.add(body);
        bodies.push(body);
        next.push(body);
      });
    }
    frontier = next;
  }
  return bodies;
}

/**
 * What the call reads one step removed: the fields a getter it uses returns
 * (`this.backend` → `this._backend`), and what goes into a request built on the way
 * round (`headers['if-none-match'] = this.etag`, a cursor taken from the last reply).
 */
function addIndirectInputs(used: Set<string>, path: readonly ts.Node[], operation: ts.Node): void {
  const members = enclosingClass(operation)?.members ?? [];
  for (const member of members) {
    if (!ts.isGetAccessorDeclaration(member) || !member.body || !ts.isIdentifier(member.name) || !used.has(`this.${member.name.text}`)) continue;
    for (const key of referencedKeys(member.body)) if (key !== 'this') used.add(key);
  }
  const locals = new Set([...used].filter((key) => !key.includes('.')));
  for (const part of path) {
    forEachInScope(part, (node) => {
      let value: ts.Expression | undefined;
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && locals.has(node.name.text)) value = node.initializer;
      else if (isAssignment(node) && locals.has(rootName(node.left) ?? '')) value = node.right;
      if (value) for (const key of referencedKeys(value)) if (key !== 'this') used.add(key);
    });
  }
}

/** `headers['x']`, `opts.query.page` → `headers`, `opts`. */
function rootName(expression: ts.Expression): string | undefined {
  let node = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = skipOuterExpressions(node.expression);
  return ts.isIdentifier(node) ? node.text : undefined;
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
  return !!body && callee?.kind === 'function' && awaitsWait(body, callee.sourceFile, context);
}

/** Whether a function body awaits a timer or a wait helper (`await sleep(ms)`), in it or in its callbacks. */
export function awaitsWait(body: ts.Node, sourceFile: ts.SourceFile, context: SiteContext): boolean {
  const env: ExprEnv = { sourceFile, scope: body, counters: new Set() };
  let waits = false;
  forEachIncludingCallbacks(body, (node) => {
    if (waits || !ts.isAwaitExpression(node)) return;
    const target = skipAwait(node.expression);
    if (awaitedDelay(node.expression, env, context.delays) || (ts.isCallExpression(target) && WAIT_NAME.test(calleeName(target) ?? ''))) waits = true;
  });
  return waits;
}
