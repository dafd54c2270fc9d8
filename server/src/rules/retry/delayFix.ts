import { ts } from 'ts-morph';
import { replaceText } from '../../engine/edits';
import type { Fix } from '../../engine/findings';
import type { Assessment } from './assessment';
import { passedThrough } from './delays';
import type { RetrySite } from './model';
import { forEachIncludingCallbacks, forEachInScope, isAssignment, mentionsAny, referenceKey } from './syntax';
import { skipOuterExpressions, isConst } from '../shared/localDeclarations';

// The small fix, for retries whose only fault is the delay: rewrite the delay expression
// into capped exponential backoff with full jitter, keeping the user's base delay and
// attempt counter: `1000` → `Math.random() * Math.min(30000, 1000 * 2 ** attempt)`.

const DELAY_DEFECTS = new Set(['constantDelay', 'linearDelay', 'noJitter', 'noCap']);

export function delayFix(site: RetrySite, assessment: Assessment, sourceFile: ts.SourceFile, maxDelayMs: number): Fix | undefined {
  // A duration passed to a wait helper is fixed where it is passed, never inside the shared helper.
  const ms = assessment.delay?.ms && passedThrough(assessment.delay.ms);
  const shape = assessment.shape;
  if (!ms || !shape || ms.env.sourceFile !== sourceFile || ms.env.params) return undefined;
  if (!assessment.defects.some((d) => DELAY_DEFECTS.has(d))) return undefined;
  const target = delayExpression(ms.expression, site);
  // The rewrite reads the attempt counter: it must sit where the counter is in scope.
  if (!(site.container.pos <= target.pos && target.end <= site.container.end)) return undefined;
  const text = (node: ts.Node) => node.getText(sourceFile);
  let replacement: string | undefined;
  if (shape.growth === 'exponential' || shape.growth === 'schedule') {
    const capped = shape.cap ? text(target) : `Math.min(${maxDelayMs}, ${text(target)})`;
    replacement = shape.jitter ? capped : `Math.random() * ${capped}`;
  } else if (shape.growth === 'constant' || shape.growth === 'linear') {
    const counter = risingCounter(site);
    const base = shape.growth === 'constant' ? target : linearFactor(target, site.counters);
    if (!counter || !base) return undefined;
    // A cap the code already has (`Math.min(times * 500, 3000)`) is kept.
    const cap = shape.cap ? capOf(target, site.counters) : undefined;
    replacement = `Math.random() * Math.min(${cap ? text(cap) : maxDelayMs}, ${operand(text(base), base)} * 2 ** ${counter})`;
  }
  if (replacement === undefined) return undefined;
  return {
    title: 'Back off exponentially with full jitter and a cap',
    edits: [replaceText(sourceFile, target.getStart(sourceFile), target.getEnd(), replacement)],
  };
}

/** A `const` declared in the retrying scope is rewritten where it is computed, not where it is used. */
export function delayExpression(expression: ts.Expression, site: RetrySite): ts.Expression {
  const key = referenceKey(expression);
  const scope = site.env.scope;
  if (key === undefined || !scope || !ts.isIdentifier(skipOuterExpressions(expression))) return expression;
  let initializer: ts.Expression | undefined;
  let assigned = false;
  forEachInScope(scope, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === key && node.initializer) {
      if (isConst(node)) initializer = node.initializer;
    }
    if (isAssignment(node) && referenceKey(node.left) === key) {
      assigned = true;
    }
  });
  // A const computed before the retry starts is shared; the use inside the retry is rewritten instead.
  const inside = initializer !== undefined && site.container.pos <= initializer.pos && initializer.end <= site.container.end;
  return initializer && inside && !assigned ? skipOuterExpressions(initializer) : expression;
}

/** A counter that goes up once per attempt: `attempt++`, `this.retries += 1`, `f(attempt + 1)`. */
function risingCounter(site: RetrySite): string | undefined {
  const rising = new Set<string>(site.risingCounters);
  forEachIncludingCallbacks(site.container, (node) => {
    if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && node.operator === ts.SyntaxKind.PlusPlusToken) {
      const key = referenceKey(node.operand);
      if (key !== undefined) rising.add(key);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) {
      const key = referenceKey(node.left);
      if (key !== undefined) rising.add(key);
    }
  });
  for (const [name, args] of site.env.recursiveArguments ?? []) {
    if (args.some((a) => ts.isBinaryExpression(skipOuterExpressions(a)) && (skipOuterExpressions(a) as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.PlusToken)) rising.add(name);
  }
  return [...site.counters].find((c) => rising.has(c));
}

/** `attempt * 1000`, `1000 * (attempt + 1)`, `Math.min(times * 500, 3000)` → `1000` / `500`. */
export function linearFactor(expression: ts.Expression, counters: ReadonlySet<string>): ts.Expression | undefined {
  let factor: ts.Expression | undefined;
  forEachInScope(expression, (node) => {
    if (factor || !ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.AsteriskToken) return;
    if (mentionsAny(node.left, counters) && !mentionsAny(node.right, counters)) factor = node.right;
    else if (mentionsAny(node.right, counters) && !mentionsAny(node.left, counters)) factor = node.left;
  });
  return factor;
}

/** The argument of `Math.min(…)` that does not grow: the cap. */
export function capOf(expression: ts.Expression, growing: ReadonlySet<string>): ts.Expression | undefined {
  let cap: ts.Expression | undefined;
  forEachInScope(expression, (node) => {
    if (cap || !ts.isCallExpression(node) || node.expression.getText() !== 'Math.min' || node.arguments.length !== 2) return;
    const fixed = node.arguments.filter((a) => !ts.isSpreadElement(a) && !mentionsAny(a, growing));
    if (fixed.length === 1) cap = fixed[0];
  });
  return cap;
}

/** Parenthesises what would bind more loosely than `*`. */
function operand(text: string, node: ts.Expression): string {
  const simple = ts.isIdentifier(node) || ts.isNumericLiteral(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node) || ts.isParenthesizedExpression(node);
  return simple ? text : `(${text})`;
}
