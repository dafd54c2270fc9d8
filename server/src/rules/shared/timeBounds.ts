import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { declarationOf, enclosingFunction, isFunctionLikeDeclaration, lastNameOf, skipOuterExpressions } from './localDeclarations';

// Timers that bound a wait from the outside: a call raced against a timer
// (`withTimeout(call, ms)`, `Promise.race([call, sleep(ms)])`, `p.timeout(ms)`), and
// AbortControllers that a timer aborts. Both make an outbound call finite even when the
// call itself sets no timeout.

const TIMER_FUNCTIONS = new Set(['setTimeout', 'setInterval']);
/** Modules whose default export races a promise against a timer. */
const TIMEOUT_MODULES = new Set(['p-timeout', 'promise-timeout', 'p-time-limit', 'promise.timeout']);

/** `setTimeout(...)`, `global.setTimeout(...)`, `timers.setTimeout(...)`. */
export function isTimerCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return TIMER_FUNCTIONS.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && TIMER_FUNCTIONS.has(callee.name.text);
}

function calleeName(call: ts.CallExpression): string | undefined {
  return lastNameOf(call.expression);
}

/**
 * A function that bounds what it is given: `withTimeout`, `pTimeout`, `promiseWithDeadline`,
 * or the default export of p-timeout under any name. Timer primitives (`setTimeout`,
 * `clearTimeout`) schedule work rather than bound it.
 */
function isBoundingCall(call: ts.CallExpression, facts: ProjectFacts): boolean {
  const name = calleeName(call);
  if (name === undefined) return false;
  if (/timeout|deadline/i.test(name) && !/^(?:set|clear)(?:Timeout|Interval)$/.test(name) && !/^(?:set|get|clear|has)/.test(name)) return true;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    const declaration = declarationOf(callee, facts);
    return declaration?.kind === 'import' && TIMEOUT_MODULES.has(declaration.binding.module);
  }
  return false;
}

/** Whether an expression mentions a timer: `sleep(5000)`, `setTimeout(...)`, `timeoutPromise`, `AbortSignal.timeout(...)`. */
function mentionsTimer(root: ts.Node): boolean {
  const stack: ts.Node[] = [root];
  for (let budget = 500; stack.length > 0 && budget > 0; budget--) {
    const node = stack.pop()!;
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name && (TIMER_FUNCTIONS.has(name) || /^(?:sleep|delay|wait|timer)$/i.test(name) || (/timeout|deadline/i.test(name) && !/^clear/.test(name)))) return true;
    }
    if (ts.isIdentifier(node) && /timeout|timer|deadline/i.test(node.text) && !/^clear/.test(node.text)) return true;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}

/**
 * Whether the value of `expression` (an outbound call, a `new Promise`) is raced against
 * a timer by the code around it, directly or through a const it is stored in, or because
 * the callback it is made in is handed to a bounding function.
 */
export function isTimeBounded(expression: ts.Expression, facts: ProjectFacts): boolean {
  if (valueIsBounded(expression, facts, 0)) return true;
  for (let fn = enclosingFunction(expression); fn; fn = enclosingFunction(fn)) {
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) break;
    if (valueIsBounded(fn, facts, 0)) return true;
  }
  return false;
}

function valueIsBounded(start: ts.Expression, facts: ProjectFacts, depth: number): boolean {
  let node: ts.Node = start;
  for (;;) {
    const parent = node.parent;
    if (!parent) return false;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isAwaitExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isConditionalExpression(parent) && parent.condition !== node) {
      node = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      const member = parent.name.text;
      if (member === 'timeout') return true; // Bluebird and similar: `promise.timeout(ms)`
      // An Observable piped through RxJS's timeout(): `http.get(url).pipe(timeout(5000))`.
      if (member === 'pipe') {
        if (parent.parent.arguments.some((a) => ts.isCallExpression(a) && isBoundingCall(a, facts))) return true;
        node = parent.parent;
        continue;
      }
      if (member !== 'then' && member !== 'catch' && member !== 'finally') return false;
      node = parent.parent;
      continue;
    }
    if (ts.isCallExpression(parent) && parent.arguments.some((a) => a === node)) return isBoundingCall(parent, facts);
    if (ts.isArrayLiteralExpression(parent)) return isRacedAgainstTimer(parent, node);
    if (ts.isArrowFunction(parent) && parent.body === node) {
      node = parent;
      continue;
    }
    if (ts.isReturnStatement(parent)) {
      const fn = enclosingFunction(parent);
      if (!fn || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn))) return false;
      node = fn;
      continue;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name) && depth < 2) {
      return referencesAreBounded(parent, facts, depth + 1);
    }
    return false;
  }
}

/** `Promise.race([call, timer])` (or `Promise.any`): some other element is a timer. */
function isRacedAgainstTimer(array: ts.ArrayLiteralExpression, element: ts.Node): boolean {
  const call = array.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== array) return false;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'race') return false;
  return array.elements.some((other) => other !== element && mentionsTimer(other));
}

/** A const holding the promise: `const p = fetch(url); await withTimeout(p, ms)`. */
function referencesAreBounded(declaration: ts.VariableDeclaration, facts: ProjectFacts, depth: number): boolean {
  const name = (declaration.name as ts.Identifier).text;
  const scope = scopeOf(declaration);
  let bounded = false;
  forEachReference(scope, name, declaration.name, (reference) => {
    if (!bounded && valueIsBounded(reference, facts, depth)) bounded = true;
  });
  return bounded;
}

/** The body a local declaration is visible in: its function, else its file. */
export function scopeOf(node: ts.Node): ts.Node {
  const fn = enclosingFunction(node);
  return fn?.body ?? node.getSourceFile();
}

/** Identifiers named `name` in `scope` that are references (not property names or the declaration itself). */
export function forEachReference(scope: ts.Node, name: string, declarationName: ts.Node, visit: (reference: ts.Identifier) => void): void {
  const stack: ts.Node[] = [scope];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isIdentifier(node) && node.text === name && node !== declarationName && isReference(node)) visit(node);
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
}

function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  return true;
}

export type AbortTiming = 'timer' | 'never' | 'unknown';

/**
 * Whether a local `new AbortController()` is aborted by a timer. 'never' when every use
 * is visible and no abort happens in a timer callback (it is aborted on an event or not
 * at all); 'unknown' when the controller escapes (passed on, returned, stored).
 */
export function controllerAbortTiming(declaration: ts.VariableDeclaration): AbortTiming {
  if (!ts.isIdentifier(declaration.name)) return 'unknown';
  const name = declaration.name.text;
  const scope = scopeOf(declaration);
  let timing: AbortTiming = 'never';
  forEachReference(scope, name, declaration.name, (reference) => {
    if (timing === 'timer') return;
    const parent = reference.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === reference) {
      if (parent.name.text === 'signal') return;
      if (parent.name.text === 'abort') {
        const abort = abortTiming(parent, scope);
        if (abort === 'timer' || abort === 'unknown') timing = abort === 'timer' ? 'timer' : 'unknown';
        return;
      }
    }
    timing = 'unknown';
  });
  return timing;
}

const EVENT_REGISTRATIONS = new Set(['on', 'once', 'addEventListener', 'addListener', 'prependListener', 'prependOnceListener', 'then', 'catch', 'finally']);

/** Where `controller.abort` runs: in a timer callback, synchronously or on an event, or somewhere untraceable. */
function abortTiming(abort: ts.Node, scope: ts.Node): AbortTiming {
  for (let node: ts.Node = abort; node !== scope && node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isCallExpression(parent) && parent.arguments.some((a) => a === node)) {
      if (isTimerCall(parent)) return 'timer';
      if (isFunctionLikeDeclaration(node)) {
        const name = calleeName(parent);
        return name !== undefined && EVENT_REGISTRATIONS.has(name) ? 'never' : 'unknown';
      }
    }
    if (isFunctionLikeDeclaration(node) && node !== abort) {
      // A named callback: `const onTimeout = () => controller.abort(); setTimeout(onTimeout, ms)`.
      if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return callbackTiming(parent, scope);
      if (!ts.isCallExpression(parent)) return 'unknown';
    }
  }
  return 'never';
}

function callbackTiming(declaration: ts.VariableDeclaration, scope: ts.Node): AbortTiming {
  let timing: AbortTiming = 'never';
  forEachReference(scope, (declaration.name as ts.Identifier).text, declaration.name, (reference) => {
    const parent = reference.parent;
    if (ts.isCallExpression(parent) && parent.arguments.some((a) => a === reference)) {
      if (isTimerCall(parent)) timing = 'timer';
      else if (timing !== 'timer') timing = EVENT_REGISTRATIONS.has(calleeName(parent) ?? '') ? timing : 'unknown';
    } else if (!(ts.isCallExpression(parent) && parent.expression === reference) && timing !== 'timer') {
      timing = 'unknown';
    }
  });
  return timing;
}
