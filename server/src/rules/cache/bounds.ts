import { ts } from 'ts-morph';
import { skipOuterExpressions, outermostWrapping, isConst } from '../shared/localDeclarations';
import { findLocalDeclaration } from '../../engine/imports';
import type { Holder } from './holders';
import { dottedName, type Use } from './holderUses';
import { isInTimerCallback, isScheduledMethod, isTimerArgument, operationOf, operationWords, ownName, type Operation } from './operations';

// Whether something keeps a collection from growing for ever: eviction under a size
// check, a sweep (a timer, or a loop over the entries), a reset, or removal of each entry
// when the work that added it ends. Deleting a key when its data changes (invalidation)
// does not count: every key ever read still stays.

/** Words of operations that end an entry's life: closing a document, a sweep, a shutdown. */
const ENDING_WORDS = new Set([
  'close', 'closed', 'dispose', 'disposed', 'destroy', 'destroyed', 'disconnect', 'disconnected', 'unregister',
  'unsubscribe', 'release', 'released', 'detach', 'teardown', 'unload', 'shutdown', 'cleanup', 'clean', 'evict',
  'expire', 'expired', 'prune', 'purge', 'sweep', 'trim', 'gc', 'vacuum', 'reap', 'stop', 'end', 'ended', 'exit',
  'finish', 'finished', 'complete', 'completed', 'leave', 'abort', 'aborted', 'remove', 'removed', 'delete',
  'deleted', 'unmount', 'unwatch', 'unsubscribed', 'closing', 'reset', 'shrink', 'oldest',
]);
const CLOCK_CALLS = /^(Date\.now|performance\.now|process\.hrtime(\.bigint)?)$/;

export interface ProgramFacts {
  /** Operations that read the clock (Date.now(), new Date(), performance.now()). */
  clockReaders: ReadonlySet<Operation | undefined>;
  /** Names of functions that timers call. */
  timerCalledNames: ReadonlySet<string>;
}

export type BoundVerdict =
  | { kind: 'bounded' }
  | { kind: 'none' }
  | { kind: 'invalidationOnly'; line: number }
  | { kind: 'deadSizeCheck'; line: number; reason: string }
  | { kind: 'expiryNeverDeletes'; line: number };

export function judgeBound(holder: Holder, uses: readonly Use[], facts: ProgramFacts, sourceFile: ts.SourceFile): BoundVerdict {
  const removals = uses.filter((use) => use.kind === 'delete' || use.kind === 'drop');
  let dead: BoundVerdict | undefined;
  let invalidation: Use | undefined;
  const checksByOperation = groupByOperation(uses.filter((use) => use.kind === 'size'));
  const addingOperations = new Set(uses.filter((use) => use.kind === 'add').map((use) => operationOf(use.site)));
  for (const removal of removals) {
    const operation = operationOf(removal.site);
    const checks = checksByOperation.get(operation) ?? [];
    const verdicts = checks.map((check) => ({ check, reason: whyDead(holder, check, sourceFile) }));
    const live = verdicts.some((v) => v.reason === undefined);
    if (live) return { kind: 'bounded' };
    const firstDead = verdicts[0];
    if (firstDead?.reason !== undefined) {
      dead ??= { kind: 'deadSizeCheck', line: lineOf(sourceFile, firstDead.check.site), reason: firstDead.reason };
      continue;
    }
    if (removal.kind === 'drop') return { kind: 'bounded' };
    if (removesEveryEntryInTime(removal, operation, uses, addingOperations, facts)) return { kind: 'bounded' };
    invalidation ??= removal;
  }
  if (dead) return dead;
  if (invalidation) return { kind: 'invalidationOnly', line: lineOf(sourceFile, invalidation.site) };
  const expiryRead = uses.find((use) => use.kind === 'read' && facts.clockReaders.has(operationOf(use.site)));
  if (expiryRead) return { kind: 'expiryNeverDeletes', line: lineOf(sourceFile, expiryRead.site) };
  return { kind: 'none' };
}

/** A delete that every entry eventually reaches, rather than one that only some keys hit. */
function removesEveryEntryInTime(
  removal: Use,
  operation: Operation | undefined,
  uses: readonly Use[],
  addingOperations: ReadonlySet<Operation | undefined>,
  facts: ProgramFacts,
): boolean {
  // Removed by the same work that added it: in-flight bookkeeping, a per-entry timer; or by
  // the function it hands back to undo it (`subscribe()` returning its unsubscribe).
  const undoneBy = operation && returnedBy(operation);
  if (addingOperations.has(operation) || (undoneBy !== undefined && addingOperations.has(undoneBy))) return true;
  if (isInTimerCallback(removal.site, operation) || isInsideIterationOf(removal, uses)) return true;
  // An expiry check that deletes what it finds expired.
  if (facts.clockReaders.has(operation)) return true;
  if (!operation) return false;
  if (isTimerArgument(operation) || isScheduledMethod(operation)) return true;
  const name = ownName(operation);
  if (name !== undefined && facts.timerCalledNames.has(name)) return true;
  return operationWords(operation).some((word) => ENDING_WORDS.has(word));
}

/**
 * The operation that returns `fn`: `return () => { … }`, or an arrow whose body it is. Unlike
 * `returningFunction`, a maker that runs inside its caller (a `.map` callback) counts as that
 * caller, as `operationOf` counts it for the adds.
 */
function returnedBy(fn: Operation): Operation | undefined {
  const parent = outermostWrapping(fn).parent;
  if (ts.isReturnStatement(parent)) return operationOf(parent);
  return ts.isArrowFunction(parent) && parent.body === outermostWrapping(fn) ? parent : undefined;
}

function groupByOperation(uses: readonly Use[]): Map<Operation | undefined, Use[]> {
  const groups = new Map<Operation | undefined, Use[]>();
  for (const use of uses) {
    const operation = operationOf(use.site);
    const group = groups.get(operation);
    if (group) group.push(use);
    else groups.set(operation, [use]);
  }
  return groups;
}

/** `for (const [k, v] of cache) ... cache.delete(k)` or `cache.forEach(...)`: a sweep over all entries. */
function isInsideIterationOf(removal: Use, uses: readonly Use[]): boolean {
  for (let current = removal.site.parent; current && !ts.isSourceFile(current); current = current.parent) {
    const iterated = ts.isForOfStatement(current) || ts.isForInStatement(current) ? current.expression : forEachReceiver(current);
    if (iterated && uses.some((use) => use.node.pos >= iterated.pos && use.node.end <= iterated.end)) return true;
  }
  return false;
}

function forEachReceiver(node: ts.Node): ts.Expression | undefined {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return undefined;
  const call = node.parent;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'forEach') return undefined;
  return call.expression.expression;
}

/** Why a size check can never let its eviction run, or undefined when it can. */
function whyDead(holder: Holder, check: Use, sourceFile: ts.SourceFile): string | undefined {
  const collection = holder.kind === 'Map' || holder.kind === 'Set';
  if (collection && check.sizeRead === 'length') return `a ${holder.kind} has no \`length\`, so it is always undefined`;
  if (collection && check.sizeRead === 'Object.keys') return `\`Object.keys()\` of a ${holder.kind} is always empty`;
  if (!collection && check.sizeRead === 'size') return `${holder.kind === 'array' ? 'an array' : 'a plain object'} has no \`size\`, so it is always undefined`;
  const outer = outermostWrapping(check.site);
  const comparison = outer.parent;
  if (!ts.isBinaryExpression(comparison)) return undefined;
  const sizeOnLeft = comparison.left === outer;
  const other = sizeOnLeft ? comparison.right : comparison.left;
  const op = comparison.operatorToken.kind;
  const exceeds = sizeOnLeft
    ? op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken
    : op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken;
  const below = sizeOnLeft ? op === ts.SyntaxKind.LessThanToken : op === ts.SyntaxKind.GreaterThanToken;
  const limit = constantValue(other, sourceFile);
  if (exceeds && limit === Infinity) return 'the limit is Infinity';
  if (below && limit !== undefined && limit <= 0) return 'a size is never below 0';
  return undefined;
}

/** A number literal, Infinity, or a module constant holding one. */
function constantValue(expression: ts.Expression, sourceFile: ts.SourceFile, depth = 0): number | undefined {
  const bare = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(bare)) return Number(bare.text);
  if (ts.isPrefixUnaryExpression(bare) && bare.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(bare.operand)) return -Number(bare.operand.text);
  const name = dottedName(bare);
  if (name === 'Infinity' || name === 'Number.POSITIVE_INFINITY') return Infinity;
  if (!ts.isIdentifier(bare) || depth > 3) return undefined;
  const declaration = findLocalDeclaration(sourceFile, bare.text);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if (!isConst(declaration)) return undefined;
  return constantValue(declaration.initializer, sourceFile, depth + 1);
}

export function isClockRead(node: ts.Node): boolean {
  if (ts.isNewExpression(node)) return dottedName(node.expression) === 'Date' && (node.arguments?.length ?? 0) === 0;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const member = node.expression.name.text;
  // Cheap test first: this runs for every call in the file.
  return (member === 'now' || member === 'hrtime' || member === 'bigint') && CLOCK_CALLS.test(dottedName(node.expression) ?? '');
}

function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}
