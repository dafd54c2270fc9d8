import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { declarationOf, isFunctionLikeDeclaration, skipOuterExpressions } from './localDeclarations';
import { recognizeOutboundCall, type RecognitionOptions } from './outboundCalls';
import { isTimeBounded, isTimerCall } from './timeBounds';

// Request/reply over a queue or a socket, awaited through a hand-made promise:
//
//   new Promise((resolve) => {
//     pending.set(id, resolve);                       // settled when the reply arrives...
//     channel.sendToQueue('rpc', body, { replyTo });   // ...to this request
//   });
//
// Without a timer that rejects it, a lost request or a dead responder leaves the promise
// pending forever, and everything awaiting it with it.

/** Methods that send a request over a channel, socket, queue or IPC link. */
const SEND_METHODS = new Set(['send', 'sendToQueue', 'publish', 'emit', 'postMessage', 'write', 'sendMessage', 'produce', 'request', 'rpush', 'lpush', 'xadd', 'xAdd']);
/** Events that are a connection's life cycle, not a reply. */
const LIFECYCLE_EVENTS = new Set(['error', 'close', 'end', 'finish', 'drain', 'open', 'connect', 'ready', 'listening', 'exit', 'disconnect', 'unpipe', 'pipe']);

export interface RequestReply {
  promise: ts.NewExpression;
  /** The call that sends the request, for the message. */
  send: ts.CallExpression;
}

/** A `new Promise` that sends a request and waits for a reply with no timer; undefined otherwise. */
export function unboundedRequestReply(expression: ts.NewExpression, options: RecognitionOptions): RequestReply | undefined {
  if (!ts.isIdentifier(expression.expression) || expression.expression.text !== 'Promise') return undefined;
  const executor = expression.arguments?.[0] && skipOuterExpressions(expression.arguments[0]);
  if (!executor || (!ts.isArrowFunction(executor) && !ts.isFunctionExpression(executor))) return undefined;
  const resolve = executor.parameters[0];
  if (!resolve || !ts.isIdentifier(resolve.name)) return undefined;
  const settlers = new Set(executor.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')).filter(Boolean));

  let send: ts.CallExpression | undefined;
  let awaitsReply = false;
  let pendingStore: string | undefined;
  const stack: ts.Node[] = [executor.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isCallExpression(node)) {
      if (isTimerCall(node)) return undefined;
      if (recognizeOutboundCall(node, options)) return undefined; // judged as an outbound call itself
      const method = memberName(node);
      if (method === 'timeout' || method === 'setTimeout') return undefined; // socket.timeout(ms).emit(...), req.setTimeout(...)
      if (method && SEND_METHODS.has(method) && !(method === 'emit' && emitsInProcess(node, options.facts))) {
        send ??= node;
        if (method === 'emit' && node.arguments.slice(1).some((a) => settles(a, settlers))) awaitsReply = true; // an acknowledgement callback
      }
      if (method && ['on', 'once', 'addListener', 'addEventListener', 'prependOnceListener'].includes(method) && listensForReply(node, settlers)) awaitsReply = true;
      if (method && ['set', 'push', 'unshift'].includes(method) && node.arguments.some((a) => settles(a, settlers))) {
        awaitsReply = true;
        pendingStore ??= storeName(node);
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && settles(node.right, settlers) && !ts.isIdentifier(node.left)) {
      awaitsReply = true;
      pendingStore ??= storeName(node.left);
    }
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  if (!send || !awaitsReply) return undefined;
  if (isTimeBounded(expression, options.facts)) return undefined;
  // A sweeper elsewhere that expires entries of the same pending map is a timer too.
  if (pendingStore && timerCallbacksMention(expression.getSourceFile(), pendingStore, options.facts)) return undefined;
  return { promise: expression, send };
}

/** Event emitters that dispatch to listeners in this process: their `emit` sends nothing out. */
const IN_PROCESS_EMITTERS = new Set(['events', 'node:events', 'eventemitter3', 'eventemitter2']);

/**
 * `emitter.emit('open', { resolve })` on a `new EventEmitter()` of this file: a listener in
 * this process settles it (a dialog the user answers), not a reply from a remote party.
 */
function emitsInProcess(call: ts.CallExpression, facts: ProjectFacts): boolean {
  const callee = skipOuterExpressions(call.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : undefined;
  const declaration = receiver && ts.isIdentifier(receiver) ? declarationOf(receiver, facts) : undefined;
  const created = declaration?.kind === 'variable' && declaration.node.initializer ? skipOuterExpressions(declaration.node.initializer) : undefined;
  if (!created || !ts.isNewExpression(created) || !ts.isIdentifier(created.expression)) return false;
  const constructor = declarationOf(created.expression, facts);
  return constructor?.kind === 'import' && IN_PROCESS_EMITTERS.has(constructor.binding.module);
}

function memberName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** `resolve`, `{ resolve, reject }`, or a callback that calls one of them. */
function settles(expression: ts.Expression, settlers: ReadonlySet<string>, depth = 0): boolean {
  const e = skipOuterExpressions(expression);
  if (ts.isIdentifier(e)) return settlers.has(e.text);
  if (ts.isObjectLiteralExpression(e) && depth < 3) {
    return e.properties.some((p) => (ts.isShorthandPropertyAssignment(p) && settlers.has(p.name.text)) || (ts.isPropertyAssignment(p) && settles(p.initializer, settlers, depth + 1)));
  }
  if (isFunctionLikeDeclaration(e)) return callsAny(e, settlers);
  return false;
}

function callsAny(root: ts.Node, names: ReadonlySet<string>): boolean {
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text)) return true;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}

function listensForReply(call: ts.CallExpression, settlers: ReadonlySet<string>): boolean {
  const [event, handler] = call.arguments;
  if (!event || !handler) return false;
  if (ts.isStringLiteralLike(event) && LIFECYCLE_EVENTS.has(event.text)) return false;
  return settles(handler, settlers);
}

/** The text naming the container a settler is stored in: `this.pending` for `this.pending.set(id, ...)` or `this.pending[id] = ...`. */
function storeName(node: ts.Expression): string {
  let target: ts.Expression = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) ? node.expression.expression : node;
  while (ts.isElementAccessExpression(target)) target = target.expression;
  return target.getText();
}

/** Whether a setTimeout/setInterval callback in the file refers to `name`. */
function timerCallbacksMention(sourceFile: ts.SourceFile, name: string, facts: ProjectFacts): boolean {
  const texts = facts.perFile(sourceFile, 'missing-timeout:timer-callback-texts', () => {
    const found: string[] = [];
    const stack: ts.Node[] = [sourceFile];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (ts.isCallExpression(node) && isTimerCall(node) && node.arguments[0]) found.push(node.arguments[0].getText(sourceFile));
      node.forEachChild((child) => {
        stack.push(child);
      });
    }
    return found;
  });
  const member = name.replace(/^this\./, '');
  return texts.some((text) => text.includes(member));
}
