import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { callParameters, declarationOf, isConst, skipOuterExpressions, staticPropertyName } from './localDeclarations';

// What an expression is known to hold when some parameters hold known values: the
// literals and option objects a caller passes (`present(doc, { includeData: false })`), or
// leaves out so that a default applies. Three-valued: whatever is not known is UNKNOWN,
// and a condition is decided only when everything it depends on is known, so a guard
// that cannot be decided never hides a call.

const UNKNOWN: unique symbol = Symbol('unknown');
/** Known only to be truthy or falsy: `a || 'x'`, `a && 0` with `a` unknown. */
const TRUTHY: unique symbol = Symbol('truthy');
const FALSY: unique symbol = Symbol('falsy');

export interface ObjectValue {
  readonly props: ReadonlyMap<string, StaticValue>;
  /** No spread or computed key may add properties beyond `props`. */
  readonly complete: boolean;
}

export type StaticValue = typeof UNKNOWN | typeof TRUTHY | typeof FALSY | undefined | null | boolean | number | string | ObjectValue;

/** Known values of a function's parameters: the parameter declaration, or the element destructured from one. */
export type Bindings = ReadonlyMap<ts.ParameterDeclaration | ts.BindingElement, StaticValue>;

const NO_BINDINGS: Bindings = new Map();
/** Conditions and option objects are shallow; a deeper chain of constants is not worth following. */
const MAX_DEPTH = 16;

/** Whether a value is truthy: true, false, or undefined when unknown. */
export function truthiness(value: StaticValue): boolean | undefined {
  if (value === UNKNOWN) return undefined;
  if (value === TRUTHY) return true;
  if (value === FALSY) return false;
  return typeof value === 'object' && value !== null ? true : Boolean(value);
}

/** Whether a value is null or undefined: true, false, or undefined when unknown. */
export function nullishness(value: StaticValue): boolean | undefined {
  if (value === UNKNOWN || value === FALSY) return undefined;
  return value === undefined || value === null;
}

export function evaluate(expression: ts.Expression, bindings: Bindings, facts: ProjectFacts, depth = 0): StaticValue {
  if (depth > MAX_DEPTH) return UNKNOWN;
  const node = skipOuterExpressions(expression);
  const next = (e: ts.Expression) => evaluate(e, bindings, facts, depth + 1);
  switch (node.kind) {
    case ts.SyntaxKind.TrueKeyword:
      return true;
    case ts.SyntaxKind.FalseKeyword:
      return false;
    case ts.SyntaxKind.NullKeyword:
      return null;
    case ts.SyntaxKind.NumericLiteral:
      return Number((node as ts.NumericLiteral).text.replace(/_/g, ''));
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      return (node as ts.StringLiteral).text;
    case ts.SyntaxKind.VoidExpression:
      return undefined;
    case ts.SyntaxKind.Identifier:
      return identifierValue(node as ts.Identifier, bindings, facts, depth);
    case ts.SyntaxKind.PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      return memberValue(next(access.expression), access.name.text, access);
    }
    case ts.SyntaxKind.ElementAccessExpression: {
      const access = node as ts.ElementAccessExpression;
      const key = skipOuterExpressions(access.argumentExpression);
      return ts.isStringLiteralLike(key) ? memberValue(next(access.expression), key.text, access) : UNKNOWN;
    }
    case ts.SyntaxKind.PrefixUnaryExpression: {
      const unary = node as ts.PrefixUnaryExpression;
      if (unary.operator !== ts.SyntaxKind.ExclamationToken) return UNKNOWN;
      const operand = truthiness(next(unary.operand));
      return operand === undefined ? UNKNOWN : !operand;
    }
    case ts.SyntaxKind.BinaryExpression:
      return binaryValue(node as ts.BinaryExpression, next);
    case ts.SyntaxKind.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      const condition = truthiness(next(conditional.condition));
      return condition === undefined ? UNKNOWN : next(condition ? conditional.whenTrue : conditional.whenFalse);
    }
    case ts.SyntaxKind.ObjectLiteralExpression:
      return objectValue(node as ts.ObjectLiteralExpression, next);
    // Objects whose properties are not followed, but which are never falsy.
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.NewExpression:
    case ts.SyntaxKind.RegularExpressionLiteral:
      return { props: new Map(), complete: false };
    default:
      return UNKNOWN;
  }
}

function identifierValue(identifier: ts.Identifier, bindings: Bindings, facts: ProjectFacts, depth: number): StaticValue {
  const declaration = declarationOf(identifier, facts);
  if (!declaration) return identifier.text === 'undefined' ? undefined : UNKNOWN;
  if (declaration.kind === 'parameter' || declaration.kind === 'binding') {
    if (bindings.has(declaration.node)) return bindings.get(declaration.node);
    return declaration.kind === 'binding' ? destructuredValue(declaration.node, bindings, facts, depth) : UNKNOWN;
  }
  if (declaration.kind === 'variable' && isConst(declaration.node) && ts.isIdentifier(declaration.node.name) && declaration.node.initializer) {
    return evaluate(declaration.node.initializer, bindings, facts, depth + 1);
  }
  return UNKNOWN;
}

/** `const { withAuthor = false } = options`: one level of a const's object pattern. */
function destructuredValue(element: ts.BindingElement, bindings: Bindings, facts: ProjectFacts, depth: number): StaticValue {
  const declaration = element.parent.parent;
  if (element.dotDotDotToken || !ts.isObjectBindingPattern(element.parent) || !ts.isVariableDeclaration(declaration) || !isConst(declaration) || !declaration.initializer) return UNKNOWN;
  const key = bindingKey(element);
  const object = evaluate(declaration.initializer, bindings, facts, depth + 1);
  const value = key !== undefined && typeof object === 'object' && object !== null ? memberOf(object, key) : UNKNOWN;
  return withDefault(value, element.initializer, bindings, facts);
}

/** The property an object pattern's element takes: `a` in `{ a }`, `{ a: b }` and `{ 'a': b = 1 }`. */
function bindingKey(element: ts.BindingElement): string | undefined {
  return element.propertyName ? staticPropertyName(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined;
}

/** `base.name`: an optional chain short-circuits on a missing base; a plain access would throw, which is no known value. */
function memberValue(base: StaticValue, name: string, access: ts.PropertyAccessExpression | ts.ElementAccessExpression): StaticValue {
  if (base === undefined || base === null) return access.flags & ts.NodeFlags.OptionalChain ? undefined : UNKNOWN;
  return typeof base === 'object' ? memberOf(base, name) : UNKNOWN;
}

/** What every object literal has through Object.prototype. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

function binaryValue(node: ts.BinaryExpression, next: (e: ts.Expression) => StaticValue): StaticValue {
  const left = next(node.left);
  switch (node.operatorToken.kind) {
    case ts.SyntaxKind.AmpersandAmpersandToken: {
      const condition = truthiness(left);
      if (condition !== undefined) return condition ? next(node.right) : left;
      return truthiness(next(node.right)) === false ? FALSY : UNKNOWN;
    }
    case ts.SyntaxKind.BarBarToken: {
      const condition = truthiness(left);
      if (condition !== undefined) return condition ? left : next(node.right);
      return truthiness(next(node.right)) === true ? TRUTHY : UNKNOWN;
    }
    case ts.SyntaxKind.QuestionQuestionToken: {
      const nullish = nullishness(left);
      return nullish === undefined ? UNKNOWN : nullish ? next(node.right) : left;
    }
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
    case ts.SyntaxKind.EqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsToken: {
      const equal = equality(left, next(node.right), node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken);
      if (equal === undefined) return UNKNOWN;
      const negated = node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken;
      return negated ? !equal : equal;
    }
    default:
      return UNKNOWN;
  }
}

function equality(left: StaticValue, right: StaticValue, strict: boolean): boolean | undefined {
  const known = (v: StaticValue) => v !== UNKNOWN && v !== TRUTHY && v !== FALSY;
  if (!known(left) || !known(right)) return undefined;
  const isObject = (v: StaticValue) => typeof v === 'object' && v !== null;
  if (isObject(left) || isObject(right)) {
    // Two objects may be one; an object is never equal to null or undefined, and is strictly unequal to any primitive.
    if (isObject(left) && isObject(right)) return undefined;
    const primitive = isObject(left) ? right : left;
    return strict || primitive === undefined || primitive === null ? false : undefined;
  }
  return strict ? left === right : left == right;
}

function objectValue(literal: ts.ObjectLiteralExpression, next: (e: ts.Expression) => StaticValue): ObjectValue {
  const props = new Map<string, StaticValue>();
  let complete = true;
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      const spread = next(property.expression);
      if (spread === undefined || spread === null) continue;
      const known = typeof spread === 'object' ? spread : { props: new Map<string, StaticValue>(), complete: false };
      // What the spread may hold beyond its known properties overrides what came before.
      if (!known.complete) for (const name of props.keys()) props.set(name, UNKNOWN);
      for (const [name, value] of known.props) props.set(name, value);
      complete &&= known.complete;
      continue;
    }
    const name = staticPropertyName(property.name);
    if (name === undefined) {
      complete = false;
      continue;
    }
    if (ts.isPropertyAssignment(property)) props.set(name, next(property.initializer));
    else if (ts.isShorthandPropertyAssignment(property)) props.set(name, next(property.name));
    else if (ts.isMethodDeclaration(property)) props.set(name, TRUTHY);
    else props.set(name, UNKNOWN);
  }
  return { props, complete };
}

/**
 * The parameters of `fn` whose values `call`'s arguments make known (a literal, an option
 * object, a left-out argument with a default), given what the caller's own parameters hold.
 * A parameter the function assigns, or whose properties it assigns, is left unknown.
 */
export function bindArguments(fn: ts.SignatureDeclaration, call: ts.CallExpression, callerBindings: Bindings, facts: ProjectFacts): Bindings {
  const callee = skipOuterExpressions(call.expression);
  // `f.call(self, a)`, `f.apply(self, args)`: the arguments do not line up with the parameters.
  if (ts.isPropertyAccessExpression(callee) && ['call', 'apply', 'bind'].includes(callee.name.text)) return NO_BINDINGS;
  const spreadAt = call.arguments.findIndex((a) => ts.isSpreadElement(a));
  const bindings = new Map<ts.ParameterDeclaration | ts.BindingElement, StaticValue>();
  for (const [index, parameter] of callParameters(fn).entries()) {
    if (parameter.dotDotDotToken || (spreadAt >= 0 && index >= spreadAt)) break;
    const argument = call.arguments[index];
    let value = argument ? evaluate(argument, callerBindings, facts) : undefined;
    value = withDefault(value, parameter.initializer, bindings, facts);
    if (value === UNKNOWN) continue;
    if (ts.isIdentifier(parameter.name)) {
      if (!assignedNames(fn).has(parameter.name.text)) bindings.set(parameter, value);
    } else if (ts.isObjectBindingPattern(parameter.name)) {
      for (const element of parameter.name.elements) {
        const key = bindingKey(element);
        if (element.dotDotDotToken || !ts.isIdentifier(element.name) || key === undefined || assignedNames(fn).has(element.name.text)) continue;
        const property = typeof value === 'object' && value !== null ? memberOf(value, key) : UNKNOWN;
        const bound = withDefault(property, element.initializer, bindings, facts);
        if (bound !== UNKNOWN) bindings.set(element, bound);
      }
    }
  }
  return bindings;
}

function memberOf(value: ObjectValue, key: string): StaticValue {
  if (value.props.has(key)) return value.props.get(key);
  return value.complete && !INHERITED.has(key) ? undefined : UNKNOWN;
}

/** A default applies to undefined only; to a value that may be undefined, it may or may not. */
function withDefault(value: StaticValue, initializer: ts.Expression | undefined, bindings: Bindings, facts: ProjectFacts): StaticValue {
  if (!initializer) return value;
  if (value === undefined) return evaluate(initializer, bindings, facts);
  return value === UNKNOWN || value === FALSY ? UNKNOWN : value;
}

const assignedNamesOf = new WeakMap<ts.Node, ReadonlySet<string>>();

/**
 * Names the function assigns or mutates through (`x = ...`, `x.y = ...`, `x.y++`,
 * `delete x.y`, `Object.assign(x, ...)`), or gives another name (`const o = x`, which may
 * then be mutated), nested functions included: by name, so a shadowing name only makes a
 * parameter unknown that was not. A callee that mutates an object passed to it is not seen.
 */
function assignedNames(fn: ts.Node): ReadonlySet<string> {
  let names = assignedNamesOf.get(fn);
  if (names) return names;
  const found = new Set<string>();
  const addTarget = (target: ts.Expression) => {
    const base = baseName(target);
    if (base) found.add(base);
    else if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) collectIdentifiers(target, found);
  };
  const stack: ts.Node[] = [fn];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) addTarget(node.left);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) addTarget(node.operand);
    else if (ts.isDeleteExpression(node)) addTarget(node.expression);
    else if (ts.isCallExpression(node) && node.arguments[0] && isObjectAssign(node.expression)) addTarget(node.arguments[0]);
    const aliased = aliasedValue(node);
    if (aliased) found.add(aliased.text);
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  assignedNamesOf.set(fn, (names = found));
  return names;
}

/** `const o = x` or `holder.o = x`: `x` under another name. Destructuring (`const { a } = x`) copies values out instead. */
function aliasedValue(node: ts.Node): ts.Identifier | undefined {
  let value: ts.Expression | undefined;
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) value = node.initializer;
  else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !ts.isObjectLiteralExpression(node.left) && !ts.isArrayLiteralExpression(node.left)) value = node.right;
  const bare = value && skipOuterExpressions(value);
  return bare && ts.isIdentifier(bare) ? bare : undefined;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isObjectAssign(callee: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object';
}

/** `x`, `x.y.z`, `x[k]`, `(x as T).y` → 'x'. */
function baseName(target: ts.Expression): string | undefined {
  let current = skipOuterExpressions(target);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuterExpressions(current.expression);
  return ts.isIdentifier(current) ? current.text : undefined;
}

function collectIdentifiers(root: ts.Node, into: Set<string>): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isIdentifier(node)) into.add(node.text);
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
}
