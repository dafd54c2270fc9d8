import { ts } from 'ts-morph';
import { chainOf, type CallSite } from './callSites';
import { resolveImportedDeclaration } from '../../engine/imports';
import type { IssueMode } from './ioSummaries';
import type { ProjectFacts } from '../../engine/projectFacts';
import { declarationOf, skipOuterExpressions, isConst, staticPropertyName } from './localDeclarations';
import { isAssignment } from './statements';

// Where code runs once per element of a collection: the body of a for...of / for...in
// loop, of an index loop bounded by `.length`, of a `while` loop that takes items off a
// queue, and callbacks of array iteration methods (`map`, `forEach`, ... and p-map).
// A call counts as per-item only when it uses the element: a retry loop over a list of
// delays, or a loop that repeats the same request, is not an N+1.

export interface IterationScope {
  kind: 'for-of' | 'for-in' | 'for' | 'while' | 'callback';
  /** The loop statement, or the iteration callback. */
  node: ts.Node;
  /** The iterated collection, when it is an expression: `lines`, `posts.items`. */
  collection: ts.Expression | undefined;
  /** Names bound to the element, and locals computed from it inside the scope. */
  elementNames: ReadonlySet<string>;
  /** The element variable, when it is a single identifier. */
  elementVariable: ts.Identifier | undefined;
  /** How the call is issued: awaited one after another, or all at once. */
  mode: IssueMode;
  /** For callbacks, what calls them, as messages name it: '.map', '.forEach', 'pMap', 'Array.from'. */
  iterator?: string;
}

const ITERATION_METHODS = new Set(['map', 'forEach', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce', 'mapSeries', 'each']);
/** p-map, Bluebird and async: `pMap(items, fn)`, `Bluebird.map(items, fn)`, `async.mapLimit(items, n, fn)`. */
const ITERATION_FUNCTIONS = /^(?:pMap|pmap|pMapSeries|pEach|pEachSeries|mapLimit|mapSeries|eachLimit|eachSeries|forEachLimit|forEachSeries)$/;

/** The innermost scope in which `call` runs once per element and uses the element. */
export function iterationScopeOf(call: CallSite, facts: ProjectFacts, cache: Map<ts.Node, IterationScope | null>): IterationScope | undefined {
  // The chain the call starts sends one request: `db('users').where({ id }).first()` uses the element where the round trip begins.
  const request = chainOf(call);
  let awaited = false;
  let child: ts.Node = call;
  for (let node: ts.Node | undefined = call.parent; node && !ts.isSourceFile(node); child = node, node = node.parent) {
    // `for await` awaits its body's promises and drains the iterable it is given (`octokit.paginate.iterator(...)`).
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier && (child === node.statement || child === node.expression))) awaited = true;
    if (ts.isFunctionLike(node)) {
      const scope = callbackScope(node, facts, cache);
      if (scope && usesAny(request, scope.elementNames)) return scope;
      if (!scope) return undefined; // code in any other function does not run per iteration here
      awaited = false;
      continue;
    }
    if (isLoop(node) && child === node.statement) {
      const scope = loopScope(node, facts, cache);
      if (scope && usesAny(request, scope.elementNames)) return { ...scope, mode: awaited ? 'sequential' : 'concurrent' };
    }
  }
  return undefined;
}

type Loop = ts.ForOfStatement | ts.ForInStatement | ts.ForStatement | ts.WhileStatement | ts.DoStatement;

function isLoop(node: ts.Node): node is Loop {
  return ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isForStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

function loopScope(loop: Loop, facts: ProjectFacts, cache: Map<ts.Node, IterationScope | null>): IterationScope | undefined {
  if (cache.has(loop)) return cache.get(loop) ?? undefined;
  const scope = computeLoopScope(loop, facts);
  cache.set(loop, scope ?? null);
  return scope;
}

function computeLoopScope(loop: Loop, facts: ProjectFacts): IterationScope | undefined {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
    if (isFixedList(loop.expression, facts) || elementsAreBatches(loop.expression, loop.initializer.getText())) return undefined;
    const names = declaredNames(loop.initializer);
    const variable = singleVariable(loop.initializer);
    return scope(ts.isForOfStatement(loop) ? 'for-of' : 'for-in', loop, loop.expression, names, variable, loop.statement);
  }
  if (ts.isForStatement(loop)) return indexedScope('for', loop, loop.condition, facts);
  const indexed = indexedScope('while', loop, loop.expression, facts);
  if (indexed) return indexed;
  // `while (queue.length) { const item = queue.shift(); ... }`
  const body = loop.statement;
  if (!ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (!init || !ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression)) continue;
      const method = init.expression.name.text;
      if ((method === 'shift' || method === 'pop') && ts.isIdentifier(declaration.name)) {
        return scope('while', loop, init.expression.expression, [declaration.name.text], declaration.name, body);
      }
    }
  }
  return undefined;
}

/** `for (let i = 0; i < items.length; i++)`, `while (i < items.length)`: the index is the element. */
function indexedScope(kind: 'for' | 'while', loop: Loop, condition: ts.Expression | undefined, facts: ProjectFacts): IterationScope | undefined {
  const bound = condition && indexBound(condition, loop, facts);
  if (!bound || elementsAreBatches(bound.collection, bound.index) || stepsByChunks(loop, bound.index)) return undefined;
  return scope(kind, loop, bound.collection, [bound.index], undefined, loop.statement);
}

/**
 * `for (let i = 0; i < keys.length; i += 1000) { const batch = keys.slice(i, i + 1000); … }`:
 * an index stepped by more than 1 that slices the collection there walks chunks, and each
 * pass is one batched call (`i += 2` over pairs, with no slice, still makes N/2 calls).
 */
function stepsByChunks(loop: Loop, index: string): boolean {
  const roots = ts.isForStatement(loop) && loop.incrementor ? [loop.incrementor, loop.statement] : [loop.statement];
  return someNodeIn(roots, (node) => isSliceAt(node, index)) && someNodeIn(roots, (node) => isStepNotByOne(node, index));
}

/** `i += size`, `i = i + size` with a step that is not the literal 1. */
function isStepNotByOne(node: ts.Node, index: string): boolean {
  if (!ts.isBinaryExpression(node) || skipOuterExpressions(node.left).getText() !== index) return false;
  const kind = node.operatorToken.kind;
  const step = kind === ts.SyntaxKind.PlusEqualsToken || kind === ts.SyntaxKind.MinusEqualsToken ? node.right : kind === ts.SyntaxKind.EqualsToken ? addedTo(node.right, index) : undefined;
  return step !== undefined && !isOne(step);
}

/** `items.slice(i, …)`, `.subarray(i, …)`, `.splice(i, …)`. */
function isSliceAt(node: ts.Node, index: string): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  const first = node.arguments[0];
  return ts.isPropertyAccessExpression(callee) && SLICES.has(callee.name.text) && first !== undefined && skipOuterExpressions(first).getText() === index;
}

/** Whether `test` holds for a node under the roots, outside nested functions (an explicit stack: user code nests deep). */
function someNodeIn(roots: readonly ts.Node[], test: (node: ts.Node) => boolean): boolean {
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isFunctionLike(node)) continue;
    if (test(node)) return true;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}

const SLICES = new Set(['slice', 'subarray', 'splice']);

/** `i + size` → `size`: what an assignment `i = i + size` adds to the index. */
function addedTo(value: ts.Expression, index: string): ts.Expression | undefined {
  const e = skipOuterExpressions(value);
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.PlusToken) return undefined;
  if (skipOuterExpressions(e.left).getText() === index) return e.right;
  return skipOuterExpressions(e.right).getText() === index ? e.left : undefined;
}

function isOne(expression: ts.Expression): boolean {
  const e = skipOuterExpressions(expression);
  return ts.isNumericLiteral(e) && Number(e.text) === 1;
}

const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * The index a loop condition compares and the collection whose length bounds it, either
 * side: `i < items.length`, `++i < items.size`, `items.length > i`, `i < n` with a const
 * `n = items.length`, or a for loop counting down to 0 from `items.length - 1`.
 */
function indexBound(condition: ts.Expression, loop: Loop, facts: ProjectFacts): { index: string; collection: ts.Expression } | undefined {
  const compared = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(compared) || !COMPARISONS.has(compared.operatorToken.kind)) return undefined;
  const left = counterName(compared.left);
  const right = left === undefined ? counterName(compared.right) : undefined;
  const index = left ?? right;
  if (index === undefined) return undefined;
  const limit = left !== undefined ? compared.right : compared.left;
  const collection = lengthOf(limit, facts) ?? (isZeroOrMinusOne(limit) ? countdownFrom(loop, index, facts) : undefined);
  return collection && { index, collection };
}

/** `i`, `++i`, `i++`, `--i`, `i--`. */
function counterName(expression: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expression);
  if (ts.isIdentifier(e)) return e.text;
  const stepped = (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken);
  return stepped && ts.isIdentifier(e.operand) ? e.operand.text : undefined;
}

/** `items.length`, `items.size`, `items.length - 1`, or a const holding one: the collection. */
function lengthOf(expression: ts.Expression, facts: ProjectFacts, depth = 0): ts.Expression | undefined {
  const e = skipOuterExpressions(expression);
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'length' || e.name.text === 'size' ? e.expression : undefined;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.right)) return lengthOf(e.left, facts, depth);
  if (!ts.isIdentifier(e) || depth > 0) return undefined;
  const declaration = declarationOf(e, facts);
  const variable = declaration?.kind === 'variable' ? declaration.node : undefined;
  return variable?.initializer && isConst(variable) ? lengthOf(variable.initializer, facts, depth + 1) : undefined;
}

function isZeroOrMinusOne(expression: ts.Expression): boolean {
  const e = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(e)) return e.text === '0';
  return ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand) && e.operand.text === '1';
}

/** `for (let i = items.length - 1; ...)`: the collection the index starts from the end of. */
function countdownFrom(loop: Loop, index: string, facts: ProjectFacts): ts.Expression | undefined {
  if (!ts.isForStatement(loop) || !loop.initializer || !ts.isVariableDeclarationList(loop.initializer)) return undefined;
  const declaration = loop.initializer.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === index);
  return declaration?.initializer && lengthOf(declaration.initializer, facts);
}

function callbackScope(fn: ts.SignatureDeclaration, facts: ProjectFacts, cache: Map<ts.Node, IterationScope | null>): IterationScope | undefined {
  if (cache.has(fn)) return cache.get(fn) ?? undefined;
  const computed = computeCallbackScope(fn, facts);
  cache.set(fn, computed ?? null);
  return computed;
}

/** An iteration callback: the collection it runs over, the method that calls it, and the parameter that holds each element. */
export interface IterationCallback {
  collection: ts.Expression;
  method: string;
  /** What calls it, as messages name it: '.map', 'pMap', 'Array.from'. */
  iterator: string;
  element: ts.ParameterDeclaration | undefined;
}

/** `items.map((item) => ...)`, `Array.from(items, fn)`, `Bluebird.map(items, fn)`, `pMap(items, fn)`; undefined for a function passed to anything else. */
export function iterationCallbackOf(fn: ts.ArrowFunction | ts.FunctionExpression): IterationCallback | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call)) return undefined;
  const callee = call.expression;
  let collection: ts.Expression;
  let method: string;
  let iterator: string;
  if (ts.isPropertyAccessExpression(callee) && ITERATION_METHODS.has(callee.name.text) && call.arguments[0] === fn) {
    method = callee.name.text;
    iterator = `.${method}`;
    collection = callee.expression;
  } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'from' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Array' && call.arguments[1] === fn) {
    // Array.from(items, (item) => ...) maps as it copies.
    method = iterator = 'Array.from';
    collection = call.arguments[0]!;
  } else if (ts.isPropertyAccessExpression(callee) && /^(?:map|each|mapSeries|filter)$/.test(callee.name.text) && /^(?:Bluebird|Promise|P)$/.test(callee.expression.getText()) && call.arguments[1] === fn) {
    method = callee.name.text;
    iterator = `${callee.expression.getText()}.${method}`;
    collection = call.arguments[0]!;
  } else {
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (!ITERATION_FUNCTIONS.test(name) || !call.arguments.includes(fn) || call.arguments[0] === fn) return undefined;
    method = name;
    iterator = callee.getText();
    collection = call.arguments[0]!;
  }
  return { collection, method, iterator, element: fn.parameters[method === 'reduce' ? 1 : 0] };
}

function computeCallbackScope(fn: ts.SignatureDeclaration, facts: ProjectFacts): IterationScope | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const callback = iterationCallbackOf(fn);
  if (!callback) return undefined;
  const { collection, method, iterator, element } = callback;
  if (isFixedList(collection, facts)) return undefined;
  if (!element || elementsAreBatches(collection, element.name.getText())) return undefined;
  const variable = ts.isIdentifier(element.name) ? element.name : undefined;
  const result = scope('callback', fn, collection, bindingNames(element.name), variable, fn.body);
  result.iterator = iterator;
  result.mode = /Series$/.test(method) ? 'sequential' : 'concurrent';
  return result;
}

function scope(
  kind: IterationScope['kind'],
  node: ts.Node,
  collection: ts.Expression | undefined,
  names: string[],
  variable: ts.Identifier | undefined,
  body: ts.Node,
): IterationScope {
  return { kind, node, collection, elementNames: derivedNames(body, new Set(names)), elementVariable: variable, mode: 'sequential' };
}

/**
 * `for (const chunk of chunks)`, `chunk(ids, 100).map(...)`: each element already is a
 * batch of keys. `for (const migration of pendingMigrations)`: each step must finish
 * before the next. (`for (const item of batch)` is per item, so a singular `batch` alone
 * does not count.)
 */
function elementsAreBatches(collection: ts.Expression | undefined, element: string): boolean {
  return BATCH_ELEMENT.test(element) || (collection !== undefined && BATCH_COLLECTION.test(collection.getText()));
}

const BATCH_ELEMENT = /chunk|batch|migration/i;
const BATCH_COLLECTION = /chunks|batches|chunk\w*\(|migrations/i;

/**
 * A list written out in the code (`['a', 'b']`, `const VIEWS = [...] as const`, imported or
 * not, and what `filter`/`slice`/`reverse` or `[...new Set(list)]` make of it) has a small
 * size fixed by the code, not by data: looping over it is not an N+1. So have the statements
 * of one schema change.
 */
function isFixedList(expression: ts.Expression, facts: ProjectFacts, depth = 0): boolean {
  if (depth > 6) return false;
  const e = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(e)) {
    return e.elements.every((element) => !ts.isSpreadElement(element) || isFixedList(setSource(element.expression), facts, depth + 1));
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && SIZE_PRESERVING.has(e.expression.name.text)) {
    return isFixedList(e.expression.expression, facts, depth + 1);
  }
  // `for (const statement of schema.createTable(...).toSQL())`: the few statements one Knex schema change compiles to.
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'toSQL' && e.arguments.length === 0) return true;
  // `const CODES = new Set(['a', 'b'])`, spread or looped over.
  if (ts.isNewExpression(e) && setSource(e) !== e) return isFixedList(setSource(e), facts, depth + 1);
  // `Object.keys(COLLECTIONS)` of an object written in the code.
  if (ts.isCallExpression(e) && /^Object\.(?:keys|values|entries)$/.test(e.expression.getText()) && e.arguments[0]) return isWrittenObject(e.arguments[0], facts);
  // `for (const model of DEFAULT_MODELS) for (const tier of model.tiers)`: a list written in each entry of a written list.
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const loop = forOfDeclaring(e.expression);
    return !!loop && isFixedList(loop.expression, facts, depth + 1) && entriesWriteList(loop.expression, e.name.text, facts);
  }
  if (!ts.isIdentifier(e)) return false;
  const declaration = declarationOf(e, facts);
  if (declaration?.kind === 'variable') return isConstWithFixedList(declaration.node, facts, depth);
  if (declaration?.kind !== 'import') return false;
  const imported = resolveImportedDeclaration(facts, e.getSourceFile(), declaration.binding);
  return !!imported && ts.isVariableDeclaration(imported.node) && isConstWithFixedList(imported.node, facts, depth);
}

/** The enclosing for...of loop whose variable `identifier` is, unless a function parameter between them takes the name. */
function forOfDeclaring(identifier: ts.Identifier): ts.ForOfStatement | undefined {
  for (let node = identifier.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node) && node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === identifier.text)) return undefined;
    if (!ts.isForOfStatement(node) || !ts.isVariableDeclarationList(node.initializer)) continue;
    const [variable] = node.initializer.declarations;
    if (variable && ts.isIdentifier(variable.name) && variable.name.text === identifier.text) return node;
  }
  return undefined;
}

/** Every entry of the written list is an object literal whose `property` is a written array (or absent). */
function entriesWriteList(list: ts.Expression, property: string, facts: ProjectFacts): boolean {
  let e = skipOuterExpressions(list);
  if (ts.isIdentifier(e)) {
    const declaration = declarationOf(e, facts);
    const initializer = declaration?.kind === 'variable' ? declaration.node.initializer : undefined;
    if (!initializer) return false;
    e = skipOuterExpressions(initializer);
  }
  return (
    ts.isArrayLiteralExpression(e) &&
    e.elements.every((entry) => {
      const object = skipOuterExpressions(entry as ts.Expression);
      if (!ts.isObjectLiteralExpression(object)) return false;
      const value = object.properties.find((p) => p.name !== undefined && staticPropertyName(p.name) === property);
      return value === undefined || (ts.isPropertyAssignment(value) && ts.isArrayLiteralExpression(skipOuterExpressions(value.initializer)));
    })
  );
}

const SIZE_PRESERVING = new Set(['filter', 'slice', 'reverse', 'toReversed', 'toSorted', 'sort', 'map']);

/** A const initialised with a non-empty written list that nothing pushes to afterwards. */
function isConstWithFixedList(declaration: ts.VariableDeclaration, facts: ProjectFacts, depth: number): boolean {
  const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
  if (!isConst(declaration) || !init || (ts.isArrayLiteralExpression(init) && init.elements.length === 0)) return false;
  if (!ts.isIdentifier(declaration.name) || isGrown(declaration.name.text, declaration.parent.parent.parent)) return false;
  return isFixedList(init, facts, depth + 1);
}

/** An object literal written in the code, in place or held by a `const` that nothing adds keys to. */
function isWrittenObject(expression: ts.Expression, facts: ProjectFacts): boolean {
  const e = skipOuterExpressions(expression);
  const written = (object: ts.Expression) => ts.isObjectLiteralExpression(object) && !object.properties.some(ts.isSpreadAssignment);
  if (written(e)) return true;
  const declaration = ts.isIdentifier(e) ? declarationOf(e, facts) : undefined;
  if (declaration?.kind !== 'variable' || !isConst(declaration.node) || !declaration.node.initializer) return false;
  return written(skipOuterExpressions(declaration.node.initializer)) && !hasKeysAdded((e as ts.Identifier).text, declaration.node.parent.parent.parent);
}

/** `table[key] = ...` (also `??=`, `+=`), `table.key = ...` or `Object.assign(table, ...)` anywhere in the scope that declares `table`. */
function hasKeysAdded(name: string, scope: ts.Node): boolean {
  let added = false;
  const rootedAtTable = (target: ts.Expression): boolean => {
    let e = skipOuterExpressions(target);
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = skipOuterExpressions(e.expression);
    return ts.isIdentifier(e) && e.text === name && e !== target;
  };
  const visit = (node: ts.Node): void => {
    if (added) return;
    if (isAssignment(node) && rootedAtTable(node.left)) added = true;
    else if (ts.isCallExpression(node) && node.expression.getText() === 'Object.assign' && node.arguments[0] && ts.isIdentifier(node.arguments[0]) && node.arguments[0].text === name) added = true;
    else node.forEachChild(visit);
  };
  visit(scope);
  return added;
}

/**
 * `list.push(...)`, `list.unshift(...)`, `list.splice(...)` anywhere in the scope that
 * declares `list`. For a module-level list the scope is the whole file, asked about every
 * loop over it: the name is found with indexOf and only what follows it is matched.
 */
function isGrown(name: string, scope: ts.Node): boolean {
  const text = scope.getText();
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (at > 0 && /[\w$]/.test(text[at - 1]!)) continue;
    GROWN_AFTER_NAME.lastIndex = at + name.length;
    if (GROWN_AFTER_NAME.test(text)) return true;
  }
  return false;
}

const GROWN_AFTER_NAME = /\s*\.\s*(?:push|unshift|splice|add)\s*\(/y;

/** `new Set(list)` spread back into an array has at most the list's elements. */
function setSource(expression: ts.Expression): ts.Expression {
  const e = skipOuterExpressions(expression);
  return ts.isNewExpression(e) && e.arguments?.[0] && e.expression.getText() === 'Set' ? e.arguments[0] : e;
}

/** `names` plus the locals computed from them in `body`, in source order (one pass over the body). */
export function derivedNames(body: ts.Node, names: Set<string>): Set<string> {
  const stack: ts.Node[] = [body];
  const ordered: ts.VariableDeclaration[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isVariableDeclaration(node)) ordered.push(node);
    const children: ts.Node[] = [];
    node.forEachChild((c) => {
      children.push(c);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  for (const declaration of ordered) {
    if (declaration.initializer && usesAny(declaration.initializer, names)) for (const name of bindingNames(declaration.name)) names.add(name);
  }
  return names;
}

function declaredNames(initializer: ts.ForInitializer): string[] {
  if (ts.isVariableDeclarationList(initializer)) return initializer.declarations.flatMap((d) => bindingNames(d.name));
  return ts.isIdentifier(initializer) ? [initializer.text] : [];
}

function singleVariable(initializer: ts.ForInitializer): ts.Identifier | undefined {
  if (!ts.isVariableDeclarationList(initializer)) return undefined;
  const [only] = initializer.declarations;
  return initializer.declarations.length === 1 && only && ts.isIdentifier(only.name) ? only.name : undefined;
}

export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/** Whether an expression reads any of the names (property names after a dot do not count). */
export function usesAny(root: ts.Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isIdentifier(node) && names.has(node.text) && !isPropertyName(node)) return true;
    if (ts.isShorthandPropertyAssignment(node) && names.has(node.name.text)) return true;
    node.forEachChild((c) => {
      stack.push(c);
    });
  }
  return false;
}

function isPropertyName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === identifier;
  if (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) return parent.name === identifier;
  return false;
}
