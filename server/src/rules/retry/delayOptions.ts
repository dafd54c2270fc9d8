import { ts } from 'ts-morph';
import type { Assessment } from './assessment';
import { capOf, delayExpression, linearFactor } from './delayFix';
import { passedThrough } from './delays';
import type { RetrySite } from './model';
import { forEachInScope, isAssignment, mentionsAny, numericValue, referencedKeys } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

// The user's own numbers, carried into retry()'s options: the base delay (the constant,
// the linear step, the factor in front of `2 ** attempt`) and the cap (`Math.min(…, cap)`).
// Only expressions that can be evaluated once, before the first attempt, are carried.

export function delayOptions(site: RetrySite, assessment: Assessment, bookkeeping: ReadonlySet<string>): string[] {
  const shape = assessment.shape;
  const ms = assessment.delay?.ms && passedThrough(assessment.delay.ms);
  if (!ms || !shape || ms.env.sourceFile !== site.env.sourceFile) return [];
  const sourceFile = site.env.sourceFile;
  const expression = delayExpression(ms.expression, site);
  const portable = (node: ts.Expression | undefined) => node !== undefined && !mentionsAny(node, bookkeeping) && !declaredWithin(node, site.container);
  const options: string[] = [];
  const start = startingValue(expression, site);
  if (start) {
    const updates = assignedValues(expression, site);
    const cap = updates.map((update) => capOption(shape.cap, update, bookkeeping, portable, sourceFile)).find((option) => option.length > 0) ?? [];
    return [`baseDelay: ${start.getText(sourceFile)}`, ...cap];
  }
  const base = shape.growth === 'constant' ? expression : shape.growth === 'linear' ? linearFactor(expression, site.counters) : shape.growth === 'exponential' ? exponentialBase(expression, site.counters) : undefined;
  if (portable(base)) options.push(`baseDelay: ${base!.getText(sourceFile)}`);
  return [...options, ...capOption(shape.cap, expression, bookkeeping, portable, sourceFile)];
}

function capOption(capped: boolean, expression: ts.Expression, bookkeeping: ReadonlySet<string>, portable: (node: ts.Expression | undefined) => boolean, sourceFile: ts.SourceFile): string[] {
  const cap = capped ? capOf(expression, bookkeeping) : undefined;
  return portable(cap) ? [`maxDelay: ${cap!.getText(sourceFile)}`] : [];
}

/**
 * A delay variable that grows by itself starts from its first value: `let delay = 1000`
 * (then `delay *= 2`), or the parameter a recursive retry doubles (`f(x, delay * 2)`).
 */
function startingValue(expression: ts.Expression, site: RetrySite): ts.Expression | undefined {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return undefined;
  if (site.env.recursiveArguments?.has(node.text)) return node;
  let initial: ts.Expression | undefined;
  if (site.env.scope) {
    forEachInScope(site.env.scope, (inner) => {
      if (ts.isVariableDeclaration(inner) && ts.isIdentifier(inner.name) && inner.name.text === node.text && inner.initializer) initial = inner.initializer;
    });
  }
  return initial && numericValue(initial) !== undefined ? initial : undefined;
}

/** `1000 * 2 ** attempt`, `Math.pow(2, attempt) * base` → `1000` / `base`. */
function exponentialBase(expression: ts.Expression, counters: ReadonlySet<string>): ts.Expression | undefined {
  let base: ts.Expression | undefined;
  forEachInScope(expression, (node) => {
    if (base || !ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.AsteriskToken) return;
    if (isPowerOfCounter(node.right, counters) && !mentionsAny(node.left, counters)) base = node.left;
    else if (isPowerOfCounter(node.left, counters) && !mentionsAny(node.right, counters)) base = node.right;
  });
  return base;
}

function isPowerOfCounter(expression: ts.Expression, counters: ReadonlySet<string>): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken) return mentionsAny(node.right, counters);
  return ts.isCallExpression(node) && node.expression.getText() === 'Math.pow' && node.arguments[1] !== undefined && mentionsAny(node.arguments[1], counters);
}

/** What a delay variable is assigned on each pass: `delay = Math.min(delay * 2, 5000)`. */
function assignedValues(expression: ts.Expression, site: RetrySite): ts.Expression[] {
  const node = skipOuterExpressions(expression);
  const values: ts.Expression[] = [...(ts.isIdentifier(node) ? (site.env.recursiveArguments?.get(node.text) ?? []) : [])];
  if (ts.isIdentifier(node) && site.env.scope) {
    forEachInScope(site.env.scope, (inner) => {
      if (isAssignment(inner) && ts.isIdentifier(inner.left) && inner.left.text === node.text) values.push(inner.right);
    });
  }
  return values;
}

/** A variable declared inside the retry itself cannot be read before it starts. */
function declaredWithin(expression: ts.Expression, container: ts.Node): boolean {
  const keys = referencedKeys(expression);
  let declared = false;
  forEachInScope(container, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && keys.has(node.name.text)) declared = true;
  });
  return declared;
}
