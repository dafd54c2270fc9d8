import { ts } from 'ts-morph';
import { skipOuterExpressions, outermostWrapping } from '../shared/localDeclarations';
import type { HolderKind } from './holders';

// What one mention of a holder does to it, read from the code around the mention.

export type UseKind =
  /** get/has/find/`in`/`x[k]`: looks an entry up. */
  | 'read'
  /** set/add/push/`x[k] = v`: may add an entry. */
  | 'add'
  /** delete/`delete x[k]`: removes one entry. */
  | 'delete'
  /** clear()/reassignment/`length = 0`/splice/shift/pop: drops entries in bulk or in order. */
  | 'drop'
  /** size/length, or Object.keys(x).length. */
  | 'size'
  /** Iteration or a read that does not touch entries by key. */
  | 'inspect'
  /** Handed to other code (argument, return, alias), which may evict it where we cannot see. */
  | 'escape';

export interface Use {
  kind: UseKind;
  /** The expression that names the holder. */
  node: ts.Node;
  /** The call, assignment or access the use is. */
  site: ts.Node;
  /** The key (or, for Sets, the value) of a read or add, when it is one expression. */
  key?: ts.Expression;
  /** The value an add stores. */
  value?: ts.Expression;
  /** Only for drops: a reassignment or clear(), rather than removal in order. */
  reset?: boolean;
  /** For size uses: how the size is read ('size', 'length', 'Object.keys'). */
  sizeRead?: 'size' | 'length' | 'Object.keys';
}

const READ_METHODS: Record<HolderKind, ReadonlySet<string>> = {
  Map: new Set(['get', 'has', 'peek']),
  Set: new Set(['has']),
  object: new Set(['hasOwnProperty']),
  array: new Set(['find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'includes', 'indexOf', 'lastIndexOf', 'filter', 'every']),
};
const ADD_METHODS: Record<HolderKind, ReadonlySet<string>> = {
  Map: new Set(['set']),
  Set: new Set(['add']),
  object: new Set(),
  array: new Set(['push', 'unshift']),
};
const DROP_METHODS: Record<HolderKind, ReadonlySet<string>> = {
  Map: new Set(['clear']),
  Set: new Set(['clear']),
  object: new Set(),
  array: new Set(['splice', 'shift', 'pop']),
};
/** Functions that only look at what they are given. */
const INSPECTING_CALLS = new Set(['Array.from', 'JSON.stringify', 'Object.keys', 'Object.values', 'Object.entries', 'structuredClone']);
const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** Classifies a mention of a holder of the given kind; `node` is the identifier or `this.x`. */
export function classifyUse(node: ts.Expression, kind: HolderKind): Use[] {
  const outer = outermostWrapping(node);
  const parent = outer.parent;
  const use = (useKind: UseKind, site: ts.Node, extra: Partial<Use> = {}): Use[] => [{ kind: useKind, node, site, ...extra }];

  if (ts.isPropertyAccessExpression(parent) && parent.expression === outer) return classifyMember(node, kind, parent);
  if (ts.isElementAccessExpression(parent) && parent.expression === outer) return classifyElement(node, kind, parent);
  if (ts.isBinaryExpression(parent)) {
    if (parent.operatorToken.kind === ts.SyntaxKind.InKeyword && parent.right === outer) return use('read', parent, { key: parent.left });
    if (parent.left === outer && ASSIGNMENTS.has(parent.operatorToken.kind)) return use('drop', parent, { reset: true });
    if (parent.left === outer || isComparison(parent.operatorToken.kind)) return use('inspect', parent);
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression)) return classifyArgument(node, parent);
  if (ts.isForOfStatement(parent) || ts.isForInStatement(parent) || ts.isSpreadElement(parent)) return use('inspect', parent);
  if (ts.isPrefixUnaryExpression(parent) || ts.isTypeOfExpression(parent) || ts.isIfStatement(parent)) return use('inspect', parent);
  if (ts.isNewExpression(parent) && parent.expression !== outer) {
    const callee = dottedName(parent.expression);
    if (callee === 'Map' || callee === 'Set' || callee === 'Array') return use('inspect', parent);
  }
  return use('escape', parent);
}

function classifyMember(node: ts.Expression, kind: HolderKind, access: ts.PropertyAccessExpression): Use[] {
  const member = access.name.text;
  const call = access.parent;
  if (ts.isCallExpression(call) && call.expression === access) {
    const [first, second] = call.arguments;
    const withKey = (useKind: UseKind): Use[] => [{ kind: useKind, node, site: call, ...(first ? { key: first } : {}), ...(second ? { value: second } : {}) }];
    if (READ_METHODS[kind].has(member)) return withKey('read');
    if (ADD_METHODS[kind].has(member)) {
      // push(a, b) adds each argument; the first stands for all of them as the value.
      if (kind === 'array') return [{ kind: 'add', node, site: call, ...(first ? { value: first } : {}) }];
      return withKey('add');
    }
    if (member === 'delete' && (kind === 'Map' || kind === 'Set')) return withKey('delete');
    if (DROP_METHODS[kind].has(member)) {
      const emptiesAll = member === 'clear' || (member === 'splice' && isZero(first) && second === undefined);
      return [{ kind: 'drop', node, site: call, reset: emptiesAll }];
    }
    return [{ kind: 'inspect', node, site: call }];
  }
  if ((member === 'size' || member === 'length') && !isAssigned(access)) {
    return [{ kind: 'size', node, site: access, sizeRead: member }];
  }
  if (member === 'length' && isAssigned(access)) return [{ kind: 'drop', node, site: access.parent, reset: true }];
  if (kind === 'object' && isAssigned(access)) return [{ kind: 'inspect', node, site: access.parent }]; // a fixed key
  if (kind === 'object' && ts.isDeleteExpression(access.parent)) return [{ kind: 'delete', node, site: access.parent }];
  return [{ kind: 'inspect', node, site: access }];
}

function classifyElement(node: ts.Expression, kind: HolderKind, access: ts.ElementAccessExpression): Use[] {
  const key = access.argumentExpression;
  const fixedKey = ts.isStringLiteralLike(key) || ts.isNumericLiteral(key);
  const outer = outermostWrapping(access);
  const parent = outer.parent;
  if (ts.isDeleteExpression(parent)) return [{ kind: 'delete', node, site: parent, key }];
  if (kind !== 'object' || fixedKey) return [{ kind: 'inspect', node, site: access }];
  if (ts.isBinaryExpression(parent) && parent.left === outer && ASSIGNMENTS.has(parent.operatorToken.kind)) {
    const add: Use = { kind: 'add', node, site: parent, key, value: parent.right };
    // `cache[k] ??= compute()` reads and fills in one step: memoisation.
    return parent.operatorToken.kind === ts.SyntaxKind.EqualsToken ? [add] : [{ kind: 'read', node, site: access, key }, add];
  }
  return [{ kind: 'read', node, site: access, key }];
}

function classifyArgument(node: ts.Expression, call: ts.CallExpression): Use[] {
  const callee = dottedName(call.expression) ?? '';
  if (callee === 'Reflect.deleteProperty' && call.arguments[0] && isSameMention(call.arguments[0], node)) {
    return [{ kind: 'delete', node, site: call, ...(call.arguments[1] ? { key: call.arguments[1] } : {}) }];
  }
  if (callee === 'Object.keys' || callee === 'Object.values' || callee === 'Object.entries') {
    const length = call.parent;
    if (ts.isPropertyAccessExpression(length) && length.name.text === 'length') {
      return [{ kind: 'size', node, site: length, sizeRead: 'Object.keys' }];
    }
  }
  if (callee === 'Object.hasOwn' && call.arguments[1]) return [{ kind: 'read', node, site: call, key: call.arguments[1] }];
  if (INSPECTING_CALLS.has(callee) || /^console\./.test(callee)) return [{ kind: 'inspect', node, site: call }];
  return [{ kind: 'escape', node, site: call }];
}

/**
 * `a.b.c` for a chain of plain names, built from the names rather than the source text
 * (`getText()` without the source file walks up to the root each time).
 */
export function dottedName(expression: ts.Expression): string | undefined {
  const names: string[] = [];
  let current = expression;
  while (ts.isPropertyAccessExpression(current) && ts.isIdentifier(current.name)) {
    names.unshift(current.name.text);
    current = current.expression;
  }
  if (!ts.isIdentifier(current)) return undefined;
  names.unshift(current.text);
  return names.join('.');
}

function isSameMention(argument: ts.Expression, node: ts.Node): boolean {
  return skipOuterExpressions(argument) === node;
}

function isAssigned(expression: ts.Expression): boolean {
  const parent = expression.parent;
  return ts.isBinaryExpression(parent) && parent.left === expression && ASSIGNMENTS.has(parent.operatorToken.kind);
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.LessThanToken && kind <= ts.SyntaxKind.ExclamationEqualsEqualsToken;
}

function isZero(expression: ts.Expression | undefined): boolean {
  return expression !== undefined && ts.isNumericLiteral(expression) && Number(expression.text) === 0;
}
