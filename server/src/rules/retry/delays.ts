import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { bindParameters, resolveCallee, type Callee } from './callees';
import type { BoundExpression, DelayCall, ExprEnv } from './model';
import { calleeName, forEachIncludingCallbacks, functionBody, skipAwait } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

// Recognises waits: `new Promise(r => setTimeout(r, ms))`, `setTimeout` from
// 'timers/promises', delay packages, and helpers anywhere in the project whose body waits
// on a timer (resolved through imports, not guessed from their name). Names like `sleep`
// are trusted only when the callee cannot be resolved at all.

export interface DelayContext {
  facts: ProjectFacts;
  /** Extra names of wait helpers (the rule's `sleepFunctions` option). */
  sleepNames: ReadonlySet<string>;
}

const SLEEP_NAME = /^(sleep|delay|wait|pause|snooze)(Ms|Millis|Seconds|For)?$|^(setTimeoutPromise|setTimeoutAsync|promiseTimeout|delayPromise|waitTimeout)$/i;
const PACKAGE_WAITS: Record<string, readonly string[]> = {
  'timers/promises': ['setTimeout', '*.setTimeout', 'scheduler.wait', '*.scheduler.wait'],
  delay: ['default', '*'],
  'sleep-promise': ['default', '*'],
  'await-sleep': ['default', '*'],
  'es-toolkit': ['delay'],
  'es-toolkit/compat': ['delay'],
  bluebird: ['default.delay', '*.delay', 'delay'],
};
const MAX_HELPER_DEPTH = 3;

/** The wait an awaited (or yielded) expression performs, if it is one. */
export function awaitedDelay(expression: ts.Expression, env: ExprEnv, context: DelayContext, depth = 0): DelayCall | undefined {
  const target = skipAwait(expression);
  if (ts.isNewExpression(target)) {
    const ms = promiseTimerDuration(target);
    return ms === undefined ? undefined : { node: target, ms: ms === null ? undefined : { expression: ms, env } };
  }
  if (!ts.isCallExpression(target)) return undefined;
  const callee = skipOuterExpressions(target.expression);
  // `sleep(ms).then(() => …)` waits as long as sleep does.
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'then') {
    const inner = awaitedDelay(callee.expression, env, context, depth);
    return inner && { ...inner, node: target };
  }
  const resolved = resolveCallee(target, env.sourceFile, context.facts);
  const firstArgument = (): BoundExpression | undefined => {
    const argument = target.arguments[0];
    return argument && !ts.isSpreadElement(argument) ? { expression: argument, env } : undefined;
  };
  // An unknown package's `sleep` is judged by its name below, like any unresolved callee.
  if (resolved?.kind === 'package' && isPackageWait(resolved)) return { node: target, ms: firstArgument() };
  if (resolved?.kind === 'function') {
    if (depth >= MAX_HELPER_DEPTH) return undefined;
    const helper = timerHelper(resolved, context, depth);
    if (!helper) return undefined;
    const ms = helper.ms && bindInHelper(helper, resolved.fn, target, env);
    return helper.unknownDuration ? { node: target, ms, durationUnknown: true } : { node: target, ms };
  }
  const name = calleeName(target);
  if (name === undefined || !(SLEEP_NAME.test(name) || context.sleepNames.has(name))) return undefined;
  // Trusted by name only: without an argument, how long it waits is its own business.
  const ms = firstArgument();
  return ms ? { node: target, ms } : { node: target, ms: undefined, durationUnknown: true };
}

function isPackageWait(callee: Extract<Callee, { kind: 'package' }>): boolean {
  const module = callee.module.replace(/^node:/, '');
  const accepted = PACKAGE_WAITS[module];
  if (!accepted) return false;
  return accepted.includes([callee.imported, ...callee.path].join('.'));
}

interface TimerHelper {
  /** The duration as written in `fn`, in terms of fn's parameters; undefined when the timer has none. */
  ms: ts.Expression | undefined;
  /** The helper waits, but for a duration computed where this analysis does not follow. */
  unknownDuration?: boolean;
  fn: ts.SignatureDeclaration;
  sourceFile: ts.SourceFile;
}

/** Whether a project function waits on a timer before it resolves, and for how long. Memoised per file. */
function timerHelper(callee: Extract<Callee, { kind: 'function' }>, context: DelayContext, depth: number): TimerHelper | undefined {
  const { fn, sourceFile } = callee;
  const found = context.facts.perFile(sourceFile, `retry-without-backoff/timer-helper@${fn.pos}`, () => findTimer(fn, sourceFile, context, depth) ?? null);
  return found ?? undefined;
}

function findTimer(fn: ts.SignatureDeclaration, sourceFile: ts.SourceFile, context: DelayContext, depth: number): TimerHelper | undefined {
  const body = functionBody(fn);
  if (!body) return undefined;
  let result: TimerHelper | undefined;
  const helperEnv: ExprEnv = { sourceFile, scope: body, counters: new Set() };
  forEachIncludingCallbacks(body, (node) => {
    if (result) return;
    if (ts.isNewExpression(node)) {
      const ms = promiseTimerDuration(node);
      if (ms !== undefined) result = { ms: ms ?? undefined, fn, sourceFile };
      return;
    }
    let waited: ts.Expression | undefined;
    if (ts.isAwaitExpression(node) || ts.isReturnStatement(node)) waited = node.expression;
    else if (node === body && !ts.isBlock(node)) waited = node as ts.Expression; // a concise arrow body
    if (!waited) return;
    const inner = awaitedDelay(waited, helperEnv, context, depth + 1);
    if (!inner) return;
    // A wait that passes its duration through keeps it in terms of this helper's parameters.
    const duration = inner.ms && passedThrough(inner.ms);
    if (!duration) result = { ms: undefined, fn, sourceFile, ...(inner.durationUnknown ? { unknownDuration: true } : {}) };
    else if (duration.env.sourceFile === sourceFile) result = { ms: duration.expression, fn, sourceFile };
    else result = { ms: undefined, fn, sourceFile, unknownDuration: true };
  });
  return result;
}

/** `sleep(ms)` inside `backoff(delay)`: the duration is whatever was passed for `ms`. */
export function passedThrough(bound: BoundExpression): BoundExpression {
  let current = bound;
  for (let hop = 0; hop < MAX_HELPER_DEPTH * 2; hop++) {
    const expression = skipOuterExpressions(current.expression);
    const next = ts.isIdentifier(expression) ? current.env.params?.get(expression.text) : undefined;
    if (!next) return current;
    current = next;
  }
  return current;
}

function bindInHelper(helper: TimerHelper, calledFn: ts.SignatureDeclaration, call: ts.CallExpression, callerEnv: ExprEnv): BoundExpression | undefined {
  if (!helper.ms) return undefined;
  const helperEnv: ExprEnv = { sourceFile: helper.sourceFile, scope: functionBody(helper.fn), counters: new Set() };
  if (helper.fn !== calledFn) return { expression: helper.ms, env: helperEnv };
  const params = new Map<string, BoundExpression>();
  for (const [name, bound] of bindParameters(calledFn, call)) {
    params.set(name, { expression: bound.expression, env: bound.fromCall ? callerEnv : helperEnv });
  }
  return { expression: helper.ms, env: { ...helperEnv, params } };
}

/**
 * For `new Promise(resolve => setTimeout(resolve, ms))`: the ms expression, null when the
 * timer has no duration, undefined when this is not a promise that a timer resolves.
 */
export function promiseTimerDuration(expression: ts.NewExpression): ts.Expression | null | undefined {
  if (!ts.isIdentifier(expression.expression) || expression.expression.text !== 'Promise') return undefined;
  const executor = expression.arguments?.[0];
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return undefined;
  const resolveParam = executor.parameters[0]?.name;
  if (!resolveParam || !ts.isIdentifier(resolveParam)) return undefined;
  const resolveName = resolveParam.text;
  let duration: ts.Expression | null | undefined;
  forEachIncludingCallbacks(executor.body, (node) => {
    if (duration !== undefined || !ts.isCallExpression(node) || !isTimerFunction(node.expression, 'setTimeout')) return;
    const callback = node.arguments[0];
    if (callback && resolvesWith(callback, resolveName, executor.body)) duration = node.arguments[1] ?? null;
  });
  return duration;
}

/** `resolve`, `() => resolve()`, or a local `const done = () => { …; resolve() }`. */
function resolvesWith(callback: ts.Expression, resolveName: string, executorBody: ts.Node): boolean {
  let target: ts.Node = skipOuterExpressions(callback);
  if (ts.isIdentifier(target)) {
    if (target.text === resolveName) return true;
    const local = localCallback(executorBody, target.text);
    if (!local) return false;
    target = local;
  }
  if (!ts.isArrowFunction(target) && !ts.isFunctionExpression(target) && !ts.isFunctionDeclaration(target)) return false;
  let calls = false;
  forEachIncludingCallbacks(target, (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === resolveName) calls = true;
  });
  return calls;
}

function localCallback(executorBody: ts.Node, name: string): ts.Node | undefined {
  if (!ts.isBlock(executorBody)) return undefined;
  for (const statement of executorBody.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return statement;
    if (!ts.isVariableStatement(statement)) continue;
    const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (declaration?.initializer) return skipOuterExpressions(declaration.initializer);
  }
  return undefined;
}

/** The global timer functions: `setTimeout`, `globalThis.setTimeout`, `window.setTimeout`. */
export function isTimerFunction(callee: ts.Expression, name: 'setTimeout' | 'setInterval'): boolean {
  const target = skipOuterExpressions(callee);
  if (ts.isIdentifier(target)) return target.text === name;
  return (
    ts.isPropertyAccessExpression(target) &&
    target.name.text === name &&
    ts.isIdentifier(target.expression) &&
    ['globalThis', 'window', 'global', 'self'].includes(target.expression.text)
  );
}
