import { ts } from 'ts-morph';

// A function that answers from a store it fills itself makes its round trips once per key
// for the life of the store, not once per call:
//
//   if (serviceCache[name]) return serviceCache[name];      // answered from the store
//   serviceCache[name] = await redis.get(`service:${name}`); // filled on a miss
//
//   if (this.groups === undefined) this.groups = await db.group.findMany();
//
// Its callers do not pay those round trips per element, so the I/O summaries leave them out.
// Stores are what the function assigns (`=`, `??=`, `||=`, to a name, a member or an index)
// or fills with `.set()`, and does not declare itself (module state, `this` members, closures).

/** The store an assignment or `.set()` call writes, named by its root (`cache`, `this.groups`); undefined for anything else. */
export function storeWritten(node: ts.Node): string | undefined {
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    const assigns = operator === ts.SyntaxKind.EqualsToken || operator === ts.SyntaxKind.QuestionQuestionEqualsToken || operator === ts.SyntaxKind.BarBarEqualsToken;
    if (!assigns) return undefined;
    if (ts.isIdentifier(node.left)) return node.left.text;
    return ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left) ? storeRoot(node.left) : undefined;
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set') return storeRoot(node.expression.expression);
  return undefined;
}

/** Whether `call`, made by `fn`, runs only when one of `stores` (see lastingStores) has no answer yet. */
export function behindReadThroughCache(call: ts.Node, fn: ts.Node, stores: ReadonlySet<string>): boolean {
  const isStore = (name: string) => stores.has(name);
  const body = (fn as ts.FunctionLikeDeclaration).body;
  let statement: ts.Node | undefined;
  for (let child: ts.Node = call, parent = call.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    if (parent === body) statement = child;
    // `if (!cache[key]) cache[key] = await load(key)`: the miss branch fills the store.
    if (ts.isIfStatement(parent) && child === parent.thenStatement) {
      const store = mentionedStore(parent.expression, isStore);
      if (store !== undefined && writes(parent.thenStatement, store)) return true;
    }
    // `cache[key] ??= await load(key)`
    if (ts.isBinaryExpression(parent) && child === parent.right && parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken) {
      const store = storeWritten(parent);
      if (store !== undefined && isStore(store)) return true;
    }
  }
  if (!body || !ts.isBlock(body) || !statement) return false;
  // `if (cache[key]) return cache[key];` (or a local read from it first) before the call.
  const readFromStore = new Map<string, string>();
  for (const earlier of body.statements) {
    if (earlier === statement) break;
    if (ts.isVariableStatement(earlier)) {
      for (const declaration of earlier.declarationList.declarations) {
        const store = declaration.initializer && ts.isIdentifier(declaration.name) ? mentionedStore(declaration.initializer, isStore) : undefined;
        if (store !== undefined) readFromStore.set((declaration.name as ts.Identifier).text, store);
      }
    }
    if (!ts.isIfStatement(earlier) || earlier.elseStatement) continue;
    const answer = returnedValue(earlier.thenStatement);
    const store = answer && mentionedStore(earlier.expression, (name) => isStore(name) || readFromStore.has(name));
    if (store !== undefined && answer && mentions(answer, store)) return true;
  }
  return false;
}

function storeRoot(expression: ts.Expression): string | undefined {
  let e = expression;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e)) {
    if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${e.name.text}`;
    e = e.expression;
  }
  return ts.isIdentifier(e) ? e.text : undefined;
}

/** The first store (by root) an expression reads. */
function mentionedStore(expression: ts.Node, isStore: (name: string) => boolean): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined || ts.isFunctionLike(node)) return;
    const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword ? `this.${node.name.text}` : undefined;
    if (name !== undefined && isStore(name)) found = name;
    else node.forEachChild(visit);
  };
  visit(expression);
  return found;
}

function mentions(expression: ts.Node, store: string): boolean {
  return mentionedStore(expression, (name) => name === store) !== undefined;
}

function writes(statement: ts.Node, store: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (storeWritten(node) === store) found = true;
    else node.forEachChild(visit);
  };
  visit(statement);
  return found;
}

/** The value of `return x;`, alone or ending a block. */
function returnedValue(statement: ts.Statement): ts.Expression | undefined {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last && ts.isReturnStatement(last) ? last.expression : undefined;
}

/**
 * The stores `fn` writes that outlive its call: not a parameter or variable of `fn` or of a
 * callback in it (whose calls count as `fn`'s), which is gone after the call.
 */
export function lastingStores(fn: ts.Node, written: ReadonlySet<string>): Set<string> {
  const local = new Set<string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name)) local.add(node.name.text);
    node.forEachChild(visit);
  };
  visit(fn);
  return new Set([...written].filter((name) => name.startsWith('this.') || !local.has(name)));
}
