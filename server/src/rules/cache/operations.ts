import { ts } from 'ts-morph';
import { dottedName } from './holderUses';
import { outermostWrapping } from '../shared/localDeclarations';

// An "operation" is the unit of code that runs as one piece of work: a named function or
// method, or a callback that other code calls later (a route handler, an event listener).
// Callbacks that run as part of their caller's work — promise continuations, array
// iteration, a per-entry timer, an IIFE — belong to the enclosing operation, so a
// `.finally(() => pending.delete(key))` is seen next to the `pending.set(key, p)` it undoes.

export type Operation = ts.SignatureDeclaration | ts.ClassStaticBlockDeclaration | ts.PropertyDeclaration;

const INLINE_CALLBACK_METHODS = new Set([
  'then', 'catch', 'finally',
  'forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'sort',
]);
const TIMER_FUNCTIONS = new Set(['setTimeout', 'setImmediate', 'setInterval', 'queueMicrotask']);
/** Timers whose callback runs once, for the operation that armed it (a per-entry expiry). */
const ONE_SHOT_TIMERS = new Set(['setTimeout', 'setImmediate', 'queueMicrotask']);
/** Hooks a framework calls once while the process starts. */
const STARTUP_METHODS = new Set(['onModuleInit', 'onApplicationBootstrap', 'ngOnInit']);
/** First words of functions that record what the code declares, not what requests bring. */
const REGISTRATION_VERBS = new Set(['register', 'define', 'declare', 'install', 'provide', 'configure', 'setup', 'init', 'initialize', 'initialise', 'bootstrap']);
/** Parameter names of decorators: `(target)` on a class, `(target, propertyKey, descriptor?)` on a member. */
const CLASS_DECORATOR_TARGET = /^(target|targetClass|constructor|ctor|cls|klass|clazz)$/;
const MEMBER_DECORATOR_TARGET = /^(target|prototype|proto|entity|object|obj|value)$/;
const MEMBER_DECORATOR_KEY = /^(property|prop|method|member|field)(Key|Name)$|^context$/;

// Both answers depend only on a node's ancestors, so they are memoised per node: asking
// for every mention in a 5,000-deep expression stays linear. Weak keys: a re-parsed file
// drops its entries.
const operations = new WeakMap<ts.Node, Operation | null>();
const inDecorator = new WeakMap<ts.Node, boolean>();

/** The operation a node runs in; undefined at the top level of the module. */
export function operationOf(node: ts.Node): Operation | undefined {
  const pending: ts.Node[] = [];
  let found: Operation | null = null;
  for (let child = node, current = node.parent; current && !ts.isSourceFile(current); child = current, current = current.parent) {
    const known = operations.get(child);
    if (known !== undefined) {
      found = known;
      break;
    }
    pending.push(child);
    if (isOperationBoundary(current, child)) {
      found = current as Operation;
      break;
    }
  }
  for (const visited of pending) operations.set(visited, found);
  return found ?? undefined;
}

/** Whether code at `child` runs as part of `current` (an operation of its own). */
function isOperationBoundary(current: ts.Node, child: ts.Node): boolean {
  if (ts.isClassStaticBlockDeclaration(current)) return true;
  if (ts.isPropertyDeclaration(current)) return current.initializer === child;
  if (!ts.isFunctionLike(current)) return false;
  return !((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && runsInsideCaller(current));
}

/** Code that runs while the process starts: module top level, constructors, init hooks. */
export function runsAtStartup(operation: Operation | undefined): boolean {
  if (!operation) return true;
  if (ts.isConstructorDeclaration(operation) || ts.isClassStaticBlockDeclaration(operation) || ts.isPropertyDeclaration(operation)) return true;
  return ts.isMethodDeclaration(operation) && ts.isIdentifier(operation.name) && STARTUP_METHODS.has(operation.name.text);
}

function runsInsideCaller(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const outer = outermostWrapping(fn);
  const parent = outer.parent;
  if (ts.isCallExpression(parent) && parent.expression === outer) return true; // IIFE
  if (ts.isNewExpression(parent) && dottedName(parent.expression) === 'Promise') return true;
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(outer as ts.Expression)) return false;
  const callee = calleeName(parent.expression);
  return callee !== undefined && (INLINE_CALLBACK_METHODS.has(callee) || ONE_SHOT_TIMERS.has(callee));
}

/** Code that fills a table from declarations: register*(), define*(), setup(). */
export function isRegistration(operation: Operation | undefined): boolean {
  const name = operation && ownName(operation);
  const first = name === undefined ? undefined : splitWords(name)[0];
  return first !== undefined && REGISTRATION_VERBS.has(first);
}

/**
 * Inside a decorator's body, which runs once per decorated class or member when the
 * class is defined: what it records is keyed by code, not by data.
 */
export function isInsideDecorator(node: ts.Node): boolean {
  const pending: ts.Node[] = [];
  let found = false;
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    const known = inDecorator.get(current);
    if (known !== undefined) {
      found = known;
      break;
    }
    pending.push(current);
    if (ts.isFunctionLike(current) && hasDecoratorParameters(current)) {
      found = true;
      break;
    }
  }
  for (const visited of pending) inDecorator.set(visited, found);
  return found;
}

function hasDecoratorParameters(fn: ts.SignatureDeclaration): boolean {
  const [target, member] = fn.parameters;
  if (!target || !ts.isIdentifier(target.name)) return false;
  if (fn.parameters.length === 1 && CLASS_DECORATOR_TARGET.test(target.name.text)) return true;
  return member !== undefined && ts.isIdentifier(member.name) && MEMBER_DECORATOR_TARGET.test(target.name.text) && MEMBER_DECORATOR_KEY.test(member.name.text);
}

/** True inside a callback given to a timer (setTimeout, setInterval) or a cron scheduler. */
export function isInTimerCallback(node: ts.Node, stopAt: ts.Node | undefined): boolean {
  for (let current = node.parent; current && current !== stopAt && !ts.isSourceFile(current); current = current.parent) {
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && isTimerArgument(current)) return true;
  }
  return false;
}

export function isTimerArgument(node: ts.Node): boolean {
  const outer = outermostWrapping(node);
  const parent = outer.parent;
  if (ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression)) return isSchedulingCall(parent);
  return ts.isNewExpression(parent) && dottedName(parent.expression) === 'CronJob';
}

export function isSchedulingCall(call: ts.CallExpression): boolean {
  const callee = calleeName(call.expression);
  return callee !== undefined && (TIMER_FUNCTIONS.has(callee) || callee === 'schedule' || callee === 'scheduleJob');
}

/** `@Cron()`, `@Interval()`, `@Timeout()` (NestJS schedule): the framework runs the method on a timer. */
export function isScheduledMethod(operation: Operation): boolean {
  if (!ts.isMethodDeclaration(operation)) return false;
  return (ts.getDecorators(operation) ?? []).some((decorator) => {
    const call = decorator.expression;
    const name = calleeName(ts.isCallExpression(call) ? call.expression : call);
    return name === 'Cron' || name === 'Interval' || name === 'Timeout';
  });
}

/**
 * The words an operation is known by: its own name, or for a callback, the function it
 * was registered with and the event named, e.g. `socket.on('close', ...)` → on, close.
 */
export function operationWords(operation: Operation): string[] {
  const names: string[] = [];
  const own = ownName(operation);
  if (own) names.push(own);
  const outer = outermostWrapping(operation);
  const parent = outer.parent;
  if (ts.isCallExpression(parent) && parent.expression !== outer) {
    const callee = calleeName(parent.expression);
    if (callee) names.push(callee);
    const event = parent.arguments[0];
    if (event && ts.isStringLiteralLike(event)) names.push(event.text);
  }
  names.push(...declaredAround(outer));
  return names.flatMap(splitWords);
}

/**
 * `export const closeChatTool = { handler: toolHandler(async (input) => …) }`: the names the
 * function is declared under, through the calls and object literals that wrap it.
 */
function declaredAround(outer: ts.Node): string[] {
  const names: string[] = [];
  let node = outer.parent;
  for (let hops = 0; node && hops < 6 && (ts.isCallExpression(node) || ts.isObjectLiteralExpression(node) || ts.isPropertyAssignment(node) || ts.isVariableDeclaration(node)); hops++) {
    if ((ts.isPropertyAssignment(node) || ts.isVariableDeclaration(node)) && ts.isIdentifier(node.name)) names.push(node.name.text);
    node = node.parent;
  }
  return names;
}

/** The name a function is called by, if any. */
export function ownName(operation: Operation): string | undefined {
  if (operation.name && (ts.isIdentifier(operation.name) || ts.isPrivateIdentifier(operation.name) || ts.isStringLiteral(operation.name))) {
    return operation.name.text;
  }
  const parent = operation.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  if (ts.isBinaryExpression(parent) && parent.right === operation && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
  return undefined;
}

export function calleeName(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** `onDidCloseTextDocument` → on, did, close, text, document; `clean_up` → clean, up. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}
