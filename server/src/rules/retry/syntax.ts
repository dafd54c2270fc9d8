import { ts } from 'ts-morph';
import { skipOuterExpressions } from '../shared/localDeclarations';
import { breakTarget, isAssignment, isLoop } from '../shared/statements';

// Small syntactic helpers the retry analysis shares. Every traversal here uses an
// explicit stack: expressions in user code can nest thousands deep.

/** Visits `root` and its descendants, but not the bodies of nested functions or classes. */
export function forEachInScope(root: ts.Node, visit: (node: ts.Node) => void | 'skip'): void {
  const stack: ts.Node[] = [root];
  // One closure and no array per node: rules call this on every loop and function.
  const push = (child: ts.Node) => {
    stack.push(child);
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === 'skip') continue;
    if (node !== root && (ts.isFunctionLike(node) || ts.isClassLike(node))) continue;
    const first = stack.length;
    node.forEachChild(push);
    reverseFrom(stack, first);
  }
}

/** Reverses `items[from..]` in place, so children pushed in source order are popped in source order. */
function reverseFrom(items: unknown[], from: number): void {
  for (let i = from, j = items.length - 1; i < j; i++, j--) {
    const item = items[i];
    items[i] = items[j];
    items[j] = item;
  }
}

/** Like forEachInScope, but also enters nested arrow functions and function expressions (callbacks). */
export function forEachIncludingCallbacks(root: ts.Node, visit: (node: ts.Node) => void): void {
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    if (node !== root && (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isClassLike(node))) continue;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
}

/** `await x`, `(await x)`, `void x` → x. */
export function skipAwait(expression: ts.Expression): ts.Expression {
  let current = skipOuterExpressions(expression);
  while (ts.isAwaitExpression(current) || ts.isVoidExpression(current)) current = skipOuterExpressions(current.expression);
  return current;
}

/** The name a call is made by: `sleep` for `sleep()`, `delay` for `this.utils.delay()`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/**
 * A stable key for "the same thing": identifiers and `this.x`/`a.b.c` chains by their text,
 * so a counter read in one place can be matched with its updates elsewhere.
 */
export function referenceKey(expression: ts.Expression): string | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) {
    const owner = referenceKey(node.expression);
    return owner === undefined ? undefined : `${owner}.${node.name.text}`;
  }
  return undefined;
}

/** Every reference key that occurs inside `root` (the root itself included). */
export function referencedKeys(root: ts.Node): Set<string> {
  const keys = new Set<string>();
  forEachIncludingCallbacks(root, (node) => {
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const key = referenceKey(node);
      if (key !== undefined) keys.add(key);
    }
  });
  return keys;
}

export function mentionsAny(root: ts.Node, keys: ReadonlySet<string>): boolean {
  if (keys.size === 0) return false;
  for (const key of referencedKeys(root)) if (keys.has(key)) return true;
  return false;
}

const RELATIONAL = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

export function isRelational(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && RELATIONAL.has(node.operatorToken.kind);
}


export function isComparison(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && (RELATIONAL.has(node.operatorToken.kind) || EQUALITY.has(node.operatorToken.kind));
}

/** True when the statement can never complete normally: it always throws, returns, breaks or continues. */
export function alwaysExits(statement: ts.Statement | undefined): boolean {
  if (!statement) return false;
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement) || ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some((s) => alwaysExits(s));
  if (ts.isIfStatement(statement)) return alwaysExits(statement.thenStatement) && alwaysExits(statement.elseStatement);
  if (ts.isExpressionStatement(statement)) return callsNeverReturning(statement.expression);
  return false;
}

/** `this.rethrow(err)` or `fail(err)` where the method or function is declared to return `never`. */
function callsNeverReturning(expression: ts.Expression): boolean {
  const call = skipAwait(expression);
  if (!ts.isCallExpression(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  let declaration: ts.SignatureDeclaration | undefined;
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    declaration = enclosingClass(call)?.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === callee.name.text);
  } else if (ts.isIdentifier(callee)) {
    declaration = call.getSourceFile().statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === callee.text);
  }
  return declaration?.type?.kind === ts.SyntaxKind.NeverKeyword;
}

export function enclosingClass(from: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let node: ts.Node | undefined = from.parent; node; node = node.parent) {
    if (ts.isClassLike(node)) return node;
  }
  return undefined;
}



/** The statements a function-like's body runs (an expression body counts as one). */
export function functionBody(fn: ts.SignatureDeclaration): ts.Node | undefined {
  return 'body' in fn ? (fn.body as ts.Node | undefined) : undefined;
}

/**
 * The number an expression computes from literals, and from whatever `named` knows the
 * value of (`MAX_ATTEMPTS - 1` with a constant resolver).
 */
export function numericValue(expression: ts.Expression | undefined, named?: (node: ts.Expression) => number | undefined, depth = 0): number | undefined {
  if (!expression || depth > 16) return undefined;
  const node = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const inner = numericValue(node.operand, named, depth + 1);
    return inner === undefined ? undefined : -inner;
  }
  if (ts.isBinaryExpression(node)) {
    const left = numericValue(node.left, named, depth + 1);
    const right = numericValue(node.right, named, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return left * right;
      case ts.SyntaxKind.PlusToken:
        return left + right;
      case ts.SyntaxKind.MinusToken:
        return left - right;
      case ts.SyntaxKind.SlashToken:
        return right === 0 ? undefined : left / right;
      case ts.SyntaxKind.AsteriskAsteriskToken:
        return left ** right;
      default:
        return undefined;
    }
  }
  return named?.(node);
}

/** The name a function-like is called by: declarations, methods, `const f = () => …`, class fields. */
export function functionName(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) {
    return fn.name.text;
  }
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const parent = fn.parent;
    if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === fn && ts.isIdentifier(parent.name)) {
      return parent.name.text;
    }
  }
  return undefined;
}

/** Whether a function is a class member (called as `this.name()`). */
export function isClassMember(fn: ts.Node): boolean {
  if (ts.isMethodDeclaration(fn)) return ts.isClassLike(fn.parent);
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isPropertyDeclaration(fn.parent);
}

/** `n += 1`, `n -= 1`, `n = n + 1`: a counter stepping by one. */
export function isStepAssignment(node: ts.BinaryExpression): boolean {
  const kind = node.operatorToken.kind;
  const small = (e: ts.Expression) => {
    const value = numericValue(e);
    return value !== undefined && Math.abs(value) <= 1;
  };
  if (kind === ts.SyntaxKind.PlusEqualsToken || kind === ts.SyntaxKind.MinusEqualsToken) return small(node.right);
  if (kind !== ts.SyntaxKind.EqualsToken) return false;
  const right = skipOuterExpressions(node.right);
  const key = referenceKey(node.left);
  return (
    ts.isBinaryExpression(right) &&
    (right.operatorToken.kind === ts.SyntaxKind.PlusToken || right.operatorToken.kind === ts.SyntaxKind.MinusToken) &&
    key !== undefined &&
    referenceKey(right.left) === key &&
    small(right.right)
  );
}

/** Whether `inner` lies within `outer` (or is it). */
export function containsNode(outer: ts.Node, inner: ts.Node): boolean {
  return outer.pos <= inner.pos && inner.end <= outer.end;
}

// Statement helpers the N+1 rule shares, kept where retry's modules have always found them.
export { breakTarget, isAssignment, isLoop };
