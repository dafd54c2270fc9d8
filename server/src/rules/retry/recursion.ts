import { ts } from 'ts-morph';
import { classMember, resolveCallee } from './callees';
import { awaitedDelay, isTimerFunction } from './delays';
import type { DelayCall, Enclosing, ExprEnv, RetrySite, SiteContext } from './model';
import { retriesOnlyNotYet } from './polls';
import {
  catchVariable,
  changesInput,
  collectCounters,
  collectWaits,
  firstOperation,
  hasAttemptLimit,
  inspectsError,
  isLoggingCall,
  limitsAttempts,
  rejectsClientErrors,
  retriesOnlyConflicts,
  waitsAround,
  waitsBeforeAttempt,
} from './retryPath';
import { calleeName, forEachIncludingCallbacks, functionBody, functionName, isClassMember, isLoop, mentionsAny, referenceKey, skipAwait } from './syntax';
import { callParameters, skipOuterExpressions } from '../shared/localDeclarations';

// Recursive retries: a function that calls itself again when it fails — from a catch
// block, a `.catch()` handler, or an 'error'/'close' event (reconnects) — directly,
// through `setTimeout`, or through one helper of the same class (`this.scheduleReconnect()`).

type Failure = 'catch' | 'catchHandler' | 'errorEvent';

interface FailurePath {
  failure: Failure;
  /** The catch block or the handler's body: where the error is handled. */
  handler: ts.Node;
  errorName: string | undefined;
  catchClause: ts.CatchClause | undefined;
  handlerCall: ts.CallExpression | undefined;
  /** Bodies of the callbacks between the handler and the self-call (`setTimeout(() => …)`). */
  callbacks: ts.Node[];
  timers: ts.CallExpression[];
  /** Conditions that must hold for the self-call to run. */
  guards: ts.Expression[];
}

const ERROR_EVENTS = new Set(['error', 'close', 'disconnect', 'disconnected', 'end', 'exit', 'fail', 'failed']);
const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'addEventListener', 'prependListener']);
/**
 * Work in the error handler that repairs the cause, or changes the configuration, before
 * trying again: a recovery, not a blind retry.
 */
const RECOVERY = /refresh|renew|reauth|login|authenticat|token|mkdir|ensure|migrat|invalidate|configure/i;
const SETTER = /^set($|[A-Z])/;
const TIMER = /^set(Timeout|Interval|Immediate)$/;

export function recursiveRetry(call: ts.CallExpression, context: SiteContext): RetrySite | undefined {
  const target = selfCallTarget(call);
  if (!target || !mayRetrySelf(call, target, context)) return handedToTimerHelper(call, context);
  const walk = walkToFunction(call, target.name, target.viaThis);
  if (!walk) return undefined;
  let { fn, path } = walk;
  let helperBody: ts.Node | undefined;
  if (!path) {
    // One hop: `connect()` fails into `this.scheduleReconnect()`, which calls `this.connect()` later.
    const helperName = functionName(fn);
    // Only a helper that schedules the call again on a timer is followed (and this keeps every other call cheap).
    if (helperName === undefined || helperName === target.name || (walk.timers.length === 0 && !target.timer)) return undefined;
    const retrying = targetFunction(call, target.name, target.viaThis, context);
    const entry = retrying && failureCallTo(retrying, helperName, target.viaThis);
    if (!retrying || !entry) return undefined;
    helperBody = functionBody(fn);
    path = { ...entry, callbacks: [...entry.callbacks, ...walk.callbacks], timers: [...entry.timers, ...walk.timers], guards: [...entry.guards, ...walk.guards] };
    fn = retrying;
  }
  const timers = target.timer ? [target.timer, ...path.timers] : path.timers;
  return siteFor(call, target.timer ? undefined : call, target.timer ? (call.arguments[0] ?? call) : call, fn, { ...path, timers }, helperBody, context);
}

/**
 * `return this.delayReconnect(this.fetchUrl)` from fetchUrl's catch: the function hands
 * itself to a helper that calls it back from a timer (`setTimeout(() => cb.apply(this), ms)`).
 */
function handedToTimerHelper(call: ts.CallExpression, context: SiteContext): RetrySite | undefined {
  const index = call.arguments.findIndex((argument) => {
    const named = namedReference(unbound(argument));
    return named !== undefined && mayRetrySelf(call, { ...named, timer: undefined }, context);
  });
  const argument = call.arguments[index];
  const named = argument && namedReference(unbound(argument));
  if (!named) return undefined;
  const resolved = resolveCallee(call, context.sourceFile, context.facts);
  const helper = resolved?.kind === 'function' && resolved.sourceFile === context.sourceFile ? resolved.fn : undefined;
  const parameter = helper && callParameters(helper)[index]?.name;
  const helperBody = helper && functionBody(helper);
  if (!helperBody || !parameter || !ts.isIdentifier(parameter)) return undefined;
  const timer = timerCallingBack(helperBody, parameter.text);
  const walk = timer && walkToFunction(call, named.name, named.viaThis);
  if (!timer || !walk?.path) return undefined;
  return siteFor(call, undefined, call, walk.fn, { ...walk.path, timers: [timer, ...walk.path.timers] }, helperBody, context);
}

/** `this.f.bind(this)` → `this.f`. */
function unbound(argument: ts.Expression): ts.Expression {
  const node = skipOuterExpressions(argument);
  return ts.isCallExpression(node) && calleeName(node) === 'bind' && ts.isPropertyAccessExpression(node.expression) ? node.expression.expression : node;
}

/** The `setTimeout` in a helper whose callback calls the parameter back (`cb()`, `cb.apply(this)`, `cb.call(this)`). */
function timerCallingBack(helperBody: ts.Node, parameter: string): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  forEachIncludingCallbacks(helperBody, (node) => {
    if (found || !ts.isCallExpression(node) || !isTimerFunction(node.expression, 'setTimeout')) return;
    const callback = node.arguments[0];
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return;
    forEachIncludingCallbacks(callback.body, (inner) => {
      if (!ts.isCallExpression(inner)) return;
      const callee = skipOuterExpressions(inner.expression);
      const direct = ts.isIdentifier(callee) && callee.text === parameter;
      const applied = ts.isPropertyAccessExpression(callee) && ['apply', 'call'].includes(callee.name.text) && referenceKey(callee.expression) === parameter;
      if (direct || applied) found = node;
    });
  });
  return found;
}

/** Cheap first look: an enclosing function has the callee's name, or a timer schedules the call. */
function mayRetrySelf(call: ts.CallExpression, target: SelfCall, context: SiteContext): boolean {
  if (target.timer) return true;
  const around = enclosingFunctions(call, context.enclosing);
  return around.inTimer || around.names.has(target.name);
}

const TOP_LEVEL: Enclosing = { names: new Set(), inTimer: false };

/**
 * The functions around a node, worked out once per function of the file and shared by the
 * calls in it (every call, and every named argument, asks). Iterative: functions may nest
 * deeply. Kept per analysis of the file, since a re-parse may move a function under others.
 */
function enclosingFunctions(node: ts.Node, known: Map<ts.Node, Enclosing>): Enclosing {
  const pending: ts.Node[] = [];
  let outer = TOP_LEVEL;
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const found = known.get(current);
    if (found) {
      outer = found;
      break;
    }
    pending.push(current);
  }
  for (let i = pending.length - 1; i >= 0; i--) {
    const fn = pending[i]!;
    const name = functionName(fn);
    const scheduled = ts.isCallExpression(fn.parent) && fn.parent.arguments[0] === fn && isTimerFunction(fn.parent.expression, 'setTimeout');
    outer = { names: name === undefined || outer.names.has(name) ? outer.names : new Set([...outer.names, name]), inTimer: outer.inTimer || scheduled };
    known.set(fn, outer);
  }
  return outer;
}

interface SelfCall {
  name: string;
  viaThis: boolean;
  timer: ts.CallExpression | undefined;
}

/** `f()`, `this.f()`, and `setTimeout(f, ms)` / `setTimeout(this.f.bind(this), ms)`. */
function selfCallTarget(call: ts.CallExpression): SelfCall | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (isTimerFunction(callee, 'setTimeout')) {
    const first = call.arguments[0];
    if (!first) return undefined;
    let reference = skipOuterExpressions(first);
    if (ts.isCallExpression(reference) && calleeName(reference) === 'bind' && ts.isPropertyAccessExpression(reference.expression)) {
      reference = reference.expression.expression;
    }
    const named = namedReference(reference);
    return named && { ...named, timer: call };
  }
  const named = namedReference(callee);
  return named && { ...named, timer: undefined };
}

function namedReference(expression: ts.Expression): { name: string; viaThis: boolean } | undefined {
  if (ts.isIdentifier(expression)) return { name: expression.text, viaThis: false };
  if (ts.isPropertyAccessExpression(expression) && expression.expression.kind === ts.SyntaxKind.ThisKeyword) return { name: expression.name.text, viaThis: true };
  return undefined;
}

interface Walk {
  fn: ts.SignatureDeclaration;
  path: FailurePath | undefined;
  callbacks: ts.Node[];
  timers: ts.CallExpression[];
  guards: ts.Expression[];
}

/** Walks from a call up to the enclosing function, noting how it got there. */
function walkToFunction(from: ts.Node, name: string, viaThis: boolean): Walk | undefined {
  const callbacks: ts.Node[] = [];
  const timers: ts.CallExpression[] = [];
  const guards: ts.Expression[] = [];
  let path: Omit<FailurePath, 'callbacks' | 'timers' | 'guards'> | undefined;
  let child: ts.Node = from;
  for (let node = from.parent; node; child = node, node = node.parent) {
    // A call made from inside a loop is that loop's attempt: the loop is the retry (loops.ts).
    if (isLoop(node)) return undefined;
    if (ts.isIfStatement(node) && child !== node.expression) guards.push(node.expression);
    if (ts.isConditionalExpression(node) && child !== node.condition) guards.push(node.condition);
    if (ts.isBinaryExpression(node) && child === node.right && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) guards.push(node.left);
    if (ts.isCatchClause(node) && child === node.block) {
      path ??= { failure: 'catch', handler: node.block, errorName: catchVariable(node), catchClause: node, handlerCall: undefined };
    }
    if (!ts.isFunctionLike(node)) continue;
    if (ts.isClassLike(node.parent) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) {
      // Reached a named function: the one retried, or a helper of it (checked by the caller).
      const fnName = functionName(node);
      if (fnName === undefined) return undefined;
      const isTarget = fnName === name && matchesReceiver(node, viaThis);
      return { fn: node, path: path && isTarget ? { ...path, callbacks, timers, guards } : undefined, callbacks, timers, guards };
    }
    const named = functionName(node);
    if (named !== undefined) {
      if (named !== name || !matchesReceiver(node, viaThis)) return undefined;
      return { fn: node, path: path && { ...path, callbacks, timers, guards }, callbacks, timers, guards };
    }
    const role = callbackRole(node);
    const body = functionBody(node);
    if (body) callbacks.push(body);
    if (role?.kind === 'timer') {
      if (role.call) timers.push(role.call);
    } else if (role) {
      path ??= { failure: role.kind, handler: body ?? node, errorName: firstParameterName(node), catchClause: undefined, handlerCall: role.call };
    }
  }
  return undefined;
}

function matchesReceiver(fn: ts.Node, viaThis: boolean): boolean {
  return isClassMember(fn) === viaThis;
}

function callbackRole(fn: ts.Node): { kind: Failure | 'timer'; call: ts.CallExpression | undefined } | undefined {
  const parent = fn.parent;
  // `ws.onclose = () => …`
  if (ts.isBinaryExpression(parent) && parent.right === fn && ts.isPropertyAccessExpression(parent.left) && /^on(error|close)$/i.test(parent.left.name.text)) {
    return { kind: 'errorEvent', call: undefined };
  }
  if (!ts.isCallExpression(parent)) return undefined;
  const index = parent.arguments.indexOf(fn as ts.Expression);
  const method = calleeName(parent);
  if (isTimerFunction(parent.expression, 'setTimeout') && index === 0) return { kind: 'timer', call: parent };
  if ((method === 'catch' && index === 0) || (method === 'then' && index === 1)) return { kind: 'catchHandler', call: parent };
  const event = parent.arguments[0];
  if (method !== undefined && LISTEN_METHODS.has(method) && index === 1 && event && ts.isStringLiteralLike(event) && ERROR_EVENTS.has(event.text.toLowerCase())) {
    return { kind: 'errorEvent', call: parent };
  }
  return undefined;
}

function firstParameterName(fn: ts.SignatureDeclaration): string | undefined {
  const name = fn.parameters[0]?.name;
  return name && ts.isIdentifier(name) ? name.text : undefined;
}

function targetFunction(call: ts.CallExpression, name: string, viaThis: boolean, context: SiteContext): ts.SignatureDeclaration | undefined {
  if (viaThis) return classMember(call, name);
  const resolved = resolveCallee(call, context.sourceFile, context.facts);
  return resolved?.kind === 'function' && resolved.sourceFile === context.sourceFile ? resolved.fn : undefined;
}

/**
 * In `fn`, a call to `helperName` made on failure (from a catch block or error handler).
 * An event handler wins: a connection that is restarted when it closes is a reconnect.
 */
function failureCallTo(fn: ts.SignatureDeclaration, helperName: string, viaThis: boolean): FailurePath | undefined {
  const body = functionBody(fn);
  if (!body) return undefined;
  const found: FailurePath[] = [];
  forEachIncludingCallbacks(body, (node) => {
    if (!ts.isCallExpression(node)) return;
    const named = namedReference(skipOuterExpressions(node.expression));
    if (!named || named.name !== helperName || named.viaThis !== viaThis) return;
    const walk = walkToFunction(node, functionName(fn) ?? '', viaThis);
    if (walk?.fn === fn && walk.path) found.push(walk.path);
  });
  return found.find((path) => path.failure === 'errorEvent') ?? found[0];
}

function siteFor(
  call: ts.CallExpression,
  selfCall: ts.CallExpression | undefined,
  anchor: ts.Node,
  fn: ts.SignatureDeclaration,
  path: FailurePath,
  helperBody: ts.Node | undefined,
  context: SiteContext,
): RetrySite | undefined {
  const body = functionBody(fn);
  if (!body) return undefined;
  const recursiveArguments = new Map<string, ts.Expression[]>();
  if (selfCall && !bindsSameInputs(fn, selfCall, recursiveArguments)) return undefined;
  if (stepsAnInput(body, path.handler, recursiveArguments, context)) return undefined;
  const regions = [path.handler, ...path.callbacks, ...(helperBody ? [helperBody] : [])];
  if (repairsFirst(regions, call) || retriesOnlyConflicts(regions, path.errorName) || retriesOnlyNotYet(path.handler, path.errorName) || pollsOnSuccessToo(fn, path)) {
    return undefined;
  }
  const attemptBlock = path.catchClause && ts.isTryStatement(path.catchClause.parent) ? path.catchClause.parent.tryBlock : undefined;
  if (attemptBlock && changesInput(regions, attemptBlock, call, [...regions, body])) return undefined; // `image.crossOrigin = 'anonymous'`, then again

  const counters = collectCounters(regions);
  for (const [name, args] of recursiveArguments) if (args.some((a) => stepsBy(a, name))) counters.add(name);
  const env: ExprEnv = { sourceFile: context.sourceFile, scope: body, counters, recursiveArguments };
  const waits = collectWaits(regions, [path.handler], env, context.delays);
  const operation = failingOperation(path, env, context);
  // `try { await sleep(backoff(attempt)); await connect(); } catch { return tryAgain(attempt + 1) }`
  const attempt = path.catchClause?.parent;
  if (attempt && ts.isTryStatement(attempt)) waits.delays.push(...waitsBeforeAttempt(attempt.tryBlock, operation, env, context.delays));
  const thenDelays = waitsAround(call, fn, env, context).filter((d) => !path.timers.includes(d.node as ts.CallExpression));
  const timerDelays: DelayCall[] = path.timers.map((timer) => {
    const ms = timer.arguments[1];
    return { node: timer, ms: ms && !ts.isSpreadElement(ms) ? { expression: ms, env } : undefined };
  });
  const errorKeys = new Set(path.errorName ? [path.errorName] : []);
  const bounded =
    path.guards.some((g) => limitsAttempts(g, counters, errorKeys)) || hasAttemptLimit([body, ...regions], counters, path.errorName);
  const filters = inspectsError(regions, path.errorName) || path.guards.some((g) => mentionsAny(g, errorKeys));
  const reconnect = path.failure === 'errorEvent' || /connect/i.test(functionName(fn) ?? '');
  return {
    shape: reconnect ? 'reconnect' : path.failure === 'catchHandler' ? 'promiseChain' : 'recursion',
    anchor,
    container: fn,
    operation,
    delays: [...timerDelays, ...thenDelays, ...waits.delays],
    delayUnknown: waits.unknown,
    bounded,
    nonRetryable: filters || path.failure === 'errorEvent' ? undefined : rejectsClientErrors(path.catchClause?.parent ?? path.handler, operation, context.sourceFile, context.facts),
    counters,
    env,
  };
}

/**
 * The self-call passes the same inputs: each argument is the parameter itself, a step of it
 * (`retries - 1`, `delay * 2`), or omitted. Anything else is a different call, not a retry.
 */
function bindsSameInputs(fn: ts.SignatureDeclaration, call: ts.CallExpression, recursiveArguments: Map<string, ts.Expression[]>): boolean {
  const parameters = callParameters(fn);
  if (call.arguments.length > parameters.length) return false;
  return call.arguments.every((argument, index) => {
    const parameter = parameters[index]?.name;
    if (!parameter || !ts.isIdentifier(parameter) || ts.isSpreadElement(argument)) return false;
    const name = parameter.text;
    if (referenceKey(argument) === name) return true;
    // A counter or delay stepping (`retries - 1`, `delay * 2`); `{ ...options, audio: false }` is another call.
    if (!mentionsAny(argument, new Set([name])) || !isArithmetic(argument)) return false;
    recursiveArguments.set(name, [...(recursiveArguments.get(name) ?? []), argument]);
    return true;
  });
}

/**
 * `startServer(port + 1)` when `listen(port)` failed tries the next port: a stepped
 * parameter that the attempt hands to a call (not a wait, not logging) is its input,
 * unlike a counter only compared with a limit or a delay only waited for.
 */
function stepsAnInput(body: ts.Node, handler: ts.Node, recursiveArguments: ReadonlyMap<string, readonly ts.Expression[]>, context: SiteContext): boolean {
  if (recursiveArguments.size === 0) return false;
  const env: ExprEnv = { sourceFile: context.sourceFile, scope: body, counters: new Set() };
  let feeds = false;
  forEachIncludingCallbacks(body, (node) => {
    if (feeds || !ts.isIdentifier(node) || !recursiveArguments.has(node.text) || (handler.pos <= node.pos && node.end <= handler.end)) return;
    const call = callTakingArgument(node, body);
    if (call && !isBookkeeping(call, env, context)) feeds = true;
  });
  return feeds;
}

/** Calls that only log, wait or compute a number with the value: not the attempt's input. */
function isBookkeeping(call: ts.CallExpression | ts.NewExpression, env: ExprEnv, context: SiteContext): boolean {
  if (!ts.isCallExpression(call)) return false;
  if (isLoggingCall(call) || isTimerFunction(call.expression, 'setTimeout') || /^Math\./.test(call.expression.getText())) return true;
  return awaitedDelay(call, env, context.delays) !== undefined;
}

/** The innermost call or `new` whose arguments hold `node`, within `root`. */
function callTakingArgument(node: ts.Node, root: ts.Node): ts.CallExpression | ts.NewExpression | undefined {
  for (let child = node, parent = node.parent; parent && child !== root; child = parent, parent = parent.parent) {
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.some((a) => a === child)) return parent;
    if (ts.isFunctionLike(parent)) return undefined;
  }
  return undefined;
}

function isArithmetic(expression: ts.Expression, depth = 0): boolean {
  if (depth > 16) return false; // a step is short; do not follow pathological nesting
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node) || ts.isNumericLiteral(node) || ts.isPropertyAccessExpression(node)) return true;
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) return isArithmetic(node.operand as ts.Expression, depth + 1);
  if (ts.isBinaryExpression(node)) {
    const arithmetic = [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.AsteriskAsteriskToken];
    return arithmetic.includes(node.operatorToken.kind) && isArithmetic(node.left, depth + 1) && isArithmetic(node.right, depth + 1);
  }
  return ts.isCallExpression(node) && /^Math\.(min|max|round|floor|ceil)$/.test(node.expression.getText()) && node.arguments.every((a) => !ts.isSpreadElement(a) && isArithmetic(a, depth + 1));
}

function stepsBy(argument: ts.Expression, name: string): boolean {
  const node = skipOuterExpressions(argument);
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && referenceKey(node.operand) === name) return true;
  return (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.PlusToken || node.operatorToken.kind === ts.SyntaxKind.MinusToken) &&
    referenceKey(node.left) === name
  );
}

/**
 * A function that also schedules itself again when the attempt worked is a poller whose
 * errors merely keep it polling: `try { …; setTimeout(poll, 500) } catch { setTimeout(poll, 1000) }`.
 */
function pollsOnSuccessToo(fn: ts.SignatureDeclaration, path: FailurePath): boolean {
  const body = functionBody(fn);
  const name = functionName(fn);
  if (!body || name === undefined) return false;
  let polls = false;
  forEachIncludingCallbacks(body, (node) => {
    if (polls || !ts.isCallExpression(node) || path.handler.pos <= node.pos && node.end <= path.handler.end) return;
    const target = selfCallTarget(node);
    if (target?.name !== name) return;
    const walk = walkToFunction(node, name, target.viaThis);
    if (walk?.fn === fn && !walk.path) polls = true;
  });
  return polls;
}

/** `await this.refreshToken(); return this.request(…)` repairs the cause before trying again. */
function repairsFirst(regions: readonly ts.Node[], selfCall: ts.Node): boolean {
  let repairs = false;
  for (const region of regions) {
    forEachIncludingCallbacks(region, (node) => {
      if (!ts.isCallExpression(node) || node === selfCall || isLoggingCall(node)) return;
      const name = calleeName(node) ?? '';
      if (node.end <= selfCall.pos && (RECOVERY.test(name) || (SETTER.test(name) && !TIMER.test(name)))) repairs = true;
    });
  }
  return repairs;
}

function failingOperation(path: FailurePath, env: ExprEnv, context: SiteContext): ts.Node | undefined {
  if (path.failure === 'catch') {
    const attempt = path.catchClause?.parent;
    if (!attempt || !ts.isTryStatement(attempt)) return undefined;
    return firstOperation(attempt.tryBlock, env, context) ?? firstCall(attempt.tryBlock);
  }
  if (path.failure === 'catchHandler' && path.handlerCall && ts.isPropertyAccessExpression(path.handlerCall.expression)) {
    let receiver = skipAwait(path.handlerCall.expression.expression);
    while (ts.isCallExpression(receiver) && calleeName(receiver) === 'then' && ts.isPropertyAccessExpression(receiver.expression)) {
      receiver = skipAwait(receiver.expression.expression);
    }
    return ts.isCallExpression(receiver) ? receiver : undefined;
  }
  return undefined;
}

function firstCall(block: ts.Block): ts.Node | undefined {
  let found: ts.Node | undefined;
  forEachIncludingCallbacks(block, (node) => {
    if (!found && (ts.isCallExpression(node) || ts.isNewExpression(node)) && !(ts.isCallExpression(node) && isLoggingCall(node))) found = node;
  });
  return found;
}
