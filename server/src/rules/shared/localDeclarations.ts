import { ts } from 'ts-morph';
import { findLocalDeclaration, importBindings, resolveExportOf, resolveImportedDeclaration, type ImportBinding } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';

// Name resolution without the type checker: which declaration an identifier or a
// `this.member` refers to, by walking the enclosing scopes. Good enough for the shapes
// rules trace (a client held in a const, a class field, a parameter) and free of the
// cost of a program build.

export type LocalDeclaration =
  | { kind: 'variable'; node: ts.VariableDeclaration }
  | { kind: 'parameter'; node: ts.ParameterDeclaration }
  /** A name destructured from a parameter or a variable: `{ signal }` in `({ signal }) => ...`. */
  | { kind: 'binding'; node: ts.BindingElement }
  | { kind: 'function'; node: ts.FunctionDeclaration }
  | { kind: 'class'; node: ts.ClassDeclaration }
  | { kind: 'import'; binding: ImportBinding }
  /** Catch variables, loop variables, enums: declared, but nothing a rule traces. */
  | { kind: 'other' };

export type FunctionLike = ts.FunctionDeclaration | ts.MethodDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

/** Memo of returnedExpressions: tracers ask it of the same helper from every call site. */
const returnsOf = new WeakMap<FunctionLike, readonly ts.Expression[]>();

/** The expressions a function returns (its own returns, not those of nested functions). */
export function returnedExpressions(fn: FunctionLike): readonly ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  let found = returnsOf.get(fn);
  if (found) return found;
  const returns: ts.Expression[] = [];
  const stack: ts.Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isReturnStatement(node) && node.expression) returns.push(node.expression);
    if (isFunctionLikeDeclaration(node) || ts.isClassLike(node)) continue;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  // Popped from a stack: put back in source order, the order the tracers try them in.
  found = returns.reverse();
  returnsOf.set(fn, found);
  return found;
}

export function isFunctionLikeDeclaration(node: ts.Node): node is FunctionLike {
  // One switch, not seven predicates: name lookup asks this of every enclosing node.
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

/**
 * The parameters a call's arguments fill, in order: a `this` parameter only types the
 * receiver (`function get(this: Api, path: string)` is called `api.get('/a')`).
 */
export function callParameters(fn: ts.SignatureDeclaration): readonly ts.ParameterDeclaration[] {
  const first = fn.parameters[0];
  return first && ts.isIdentifier(first.name) && first.name.text === 'this' ? fn.parameters.slice(1) : fn.parameters;
}

/** The nearest function the node is inside (not the node itself). */
export function isAsync(fn: ts.SignatureDeclaration): boolean {
  return ts.canHaveModifiers(fn) && (ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false);
}

export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (isFunctionLikeDeclaration(current)) return current;
  }
  return undefined;
}

/** The function that hands `fn` back to its caller: `return () => { … }`, or an arrow whose expression body `fn` is. */
export function returningFunction(fn: ts.Node): FunctionLike | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const parent = fn.parent;
  if (ts.isArrowFunction(parent) && parent.body === fn) return parent;
  return ts.isReturnStatement(parent) ? enclosingFunction(parent) : undefined;
}

/** The declaration `identifier` refers to, from the innermost scope outwards. */
export function declarationOf(identifier: ts.Identifier, facts: ProjectFacts): LocalDeclaration | undefined {
  const name = identifier.text;
  let child: ts.Node = identifier;
  for (let scope = identifier.parent; scope; child = scope, scope = scope.parent) {
    const found = declarationIn(scope, child, name, facts);
    if (found) return found;
  }
  return undefined;
}

function declarationIn(scope: ts.Node, child: ts.Node, name: string, facts: ProjectFacts): LocalDeclaration | undefined {
  // A switch on the kind: most enclosing nodes (calls, JSX, expressions) declare nothing,
  // and this runs at every level of every lookup.
  switch (scope.kind) {
    case ts.SyntaxKind.SourceFile: {
      // `const x = require('y')` counts as an import, as it does for import tracing.
      const binding = importBindings(facts, scope as ts.SourceFile).get(name);
      return binding ? { kind: 'import', binding } : statementsDeclaration((scope as ts.SourceFile).statements, name);
    }
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.ModuleBlock:
    case ts.SyntaxKind.CaseClause:
    case ts.SyntaxKind.DefaultClause:
      return statementsDeclaration((scope as ts.Block | ts.ModuleBlock | ts.CaseOrDefaultClause).statements, name);
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement: {
      const initializer = (scope as ts.ForStatement | ts.ForOfStatement | ts.ForInStatement).initializer;
      if (!initializer || child === initializer || !ts.isVariableDeclarationList(initializer)) return undefined;
      return initializer.declarations.some((d) => declaresName(d.name, name)) ? { kind: 'other' } : undefined;
    }
    case ts.SyntaxKind.CatchClause: {
      const variable = (scope as ts.CatchClause).variableDeclaration;
      return variable && declaresName(variable.name, name) ? { kind: 'other' } : undefined;
    }
    default:
      return isFunctionLikeDeclaration(scope) ? parameterDeclaration(scope, name) : undefined;
  }
}

function parameterDeclaration(fn: FunctionLike, name: string): LocalDeclaration | undefined {
  for (const parameter of fn.parameters) {
    if (ts.isIdentifier(parameter.name)) {
      if (parameter.name.text === name) return { kind: 'parameter', node: parameter };
    } else {
      const element = bindingElementNamed(parameter.name, name);
      if (element) return { kind: 'binding', node: element };
    }
  }
  return ts.isFunctionExpression(fn) && fn.name?.text === name ? { kind: 'other' } : undefined;
}

/**
 * Each statement list's declarations by name, built in one pass on first lookup: rules
 * resolve thousands of identifiers per file, each through every enclosing block, and a
 * scan per lookup made name resolution the largest cost of re-analysing a large file.
 * Keyed by the list itself, so an edit (a new tree) simply starts afresh.
 */
const declarationTables = new WeakMap<ts.NodeArray<ts.Statement>, Map<string, LocalDeclaration>>();

function statementsDeclaration(statements: ts.NodeArray<ts.Statement>, name: string): LocalDeclaration | undefined {
  let table = declarationTables.get(statements);
  if (!table) declarationTables.set(statements, (table = declarationTable(statements)));
  return table.get(name);
}

function declarationTable(statements: ts.NodeArray<ts.Statement>): Map<string, LocalDeclaration> {
  const table = new Map<string, LocalDeclaration>();
  // The first declaration of a name wins, as a scan in source order would find it.
  const add = (name: string, declaration: LocalDeclaration) => {
    if (!table.has(name)) table.set(name, declaration);
  };
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) add(declaration.name.text, { kind: 'variable', node: declaration });
        else for (const element of bindingElements(declaration.name)) add((element.name as ts.Identifier).text, { kind: 'binding', node: element });
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      add(statement.name.text, { kind: 'function', node: statement });
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      add(statement.name.text, { kind: 'class', node: statement });
    } else if ((ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) && ts.isIdentifier(statement.name)) {
      add(statement.name.text, { kind: 'other' });
    }
  }
  return table;
}

/** The identifier-named elements of a destructuring pattern, nested ones included, in source order. */
function bindingElements(pattern: ts.BindingName): ts.BindingElement[] {
  if (ts.isIdentifier(pattern)) return [];
  const found: ts.BindingElement[] = [];
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isIdentifier(element.name)) found.push(element);
    else found.push(...bindingElements(element.name));
  }
  return found;
}

export function bindingElementNamed(pattern: ts.BindingName, name: string): ts.BindingElement | undefined {
  return bindingElements(pattern).find((element) => (element.name as ts.Identifier).text === name);
}

/** Whether a declared name or binding pattern binds `name`. */
export function declaresName(pattern: ts.BindingName, name: string): boolean {
  return ts.isIdentifier(pattern) ? pattern.text === name : bindingElementNamed(pattern, name) !== undefined;
}

/** The parameter a destructured name comes from, and the property path to it: `({ a: { b } })` → b: ['a', 'b']. */
export function bindingPath(element: ts.BindingElement): { root: ts.ParameterDeclaration | ts.VariableDeclaration; path: string[] } | undefined {
  const path: string[] = [];
  let node: ts.Node = element;
  while (ts.isBindingElement(node)) {
    const pattern = node.parent;
    if (!ts.isObjectBindingPattern(pattern)) return undefined;
    const property = node.propertyName ?? node.name;
    if (!ts.isIdentifier(property) && !ts.isStringLiteral(property)) return undefined;
    path.unshift(property.text);
    node = pattern.parent;
  }
  return ts.isParameter(node) || ts.isVariableDeclaration(node) ? { root: node, path } : undefined;
}

export type ClassLike = ts.ClassDeclaration | ts.ClassExpression;

/** The class whose instance `this` means at `node`: arrow functions keep it, other functions rebind it. */
export function classOfThis(node: ts.Node): ClassLike | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
    if (ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

export interface MemberSources {
  /** The class that declares the member (the class itself or a base class). */
  owner: ClassLike;
  /** Property declarations, parameter properties, methods and accessors named so. */
  declarations: ts.Node[];
  /** Right-hand sides of `this.name = value` anywhere in the owner class. */
  assignments: ts.Expression[];
}

const MAX_HERITAGE_DEPTH = 6;

/** Where `this.name` is declared and assigned, following `extends` into base classes (also imported ones). */
export function memberOf(cls: ClassLike, name: string, facts: ProjectFacts): MemberSources | undefined {
  let current: ClassLike | undefined = cls;
  for (let depth = 0; current && depth < MAX_HERITAGE_DEPTH; depth++) {
    const sources = ownMember(current, name, facts);
    if (sources) return sources;
    current = baseClassOf(current, facts);
  }
  return undefined;
}

function ownMember(cls: ClassLike, name: string, facts: ProjectFacts): MemberSources | undefined {
  const declarations = memberDeclarations(cls).get(name) ?? [];
  const assignments = thisAssignments(cls, facts).get(name) ?? [];
  return declarations.length > 0 || assignments.length > 0 ? { owner: cls, declarations, assignments } : undefined;
}

/** Property declarations, parameter properties, methods and accessors, by name; one pass per class (as declarationTables). */
const memberTables = new WeakMap<ClassLike, Map<string, ts.Node[]>>();

function memberDeclarations(cls: ClassLike): ReadonlyMap<string, ts.Node[]> {
  let table = memberTables.get(cls);
  if (table) return table;
  memberTables.set(cls, (table = new Map()));
  const add = (name: string, node: ts.Node) => {
    const list = table.get(name);
    if (list) list.push(node);
    else table.set(name, [node]);
  };
  for (const member of cls.members) {
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        const isProperty = (ts.getModifiers(parameter)?.length ?? 0) > 0; // `private x`, `readonly x`: a parameter property
        if (isProperty && ts.isIdentifier(parameter.name)) add(parameter.name.text, parameter);
      }
    } else if (member.name) {
      const name = memberName(member.name);
      if (name !== undefined) add(name, member);
    }
  }
  return table;
}

function memberName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name) ? name.text : undefined;
}

/** `this.name = value` in the class's own members (not in nested classes), by name; one walk per class. */
function thisAssignments(cls: ClassLike, facts: ProjectFacts): ReadonlyMap<string, ts.Expression[]> {
  return facts.perFile(cls.getSourceFile(), `this-assignments:${cls.pos}`, () => {
    const byName = new Map<string, ts.Expression[]>();
    const stack: ts.Node[] = [...cls.members];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) continue;
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        node.left.expression.kind === ts.SyntaxKind.ThisKeyword
      ) {
        const list = byName.get(node.left.name.text) ?? [];
        list.push(node.right);
        byName.set(node.left.name.text, list);
      }
      node.forEachChild((child) => {
        stack.push(child);
      });
    }
    return byName;
  });
}

/** The class named in `extends`, when it is declared in this file or a project file it imports. */
export function baseClassOf(cls: ClassLike, facts: ProjectFacts): ClassLike | undefined {
  const heritage = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!heritage || !ts.isIdentifier(heritage.expression)) return undefined;
  return classNamed(heritage.expression, facts);
}

/**
 * The declaration an import of a project file names, following `export default name` to
 * the declaration of `name` in that file.
 */
export function importedDeclaration(facts: ProjectFacts, fromFile: ts.SourceFile, binding: ImportBinding): ts.Node | undefined {
  return declarationNode(resolveImportedDeclaration(facts, fromFile, binding));
}

/** The declaration a module exports under a name, as importedDeclaration follows it. */
export function exportedDeclaration(facts: ProjectFacts, module: ts.SourceFile, name: string): ts.Node | undefined {
  return declarationNode(resolveExportOf(facts, module, name));
}

function declarationNode(resolved: { sourceFile: ts.SourceFile; node: ts.Node } | undefined): ts.Node | undefined {
  if (!resolved) return undefined;
  const node = resolved.node;
  if (ts.isIdentifier(node)) return findLocalDeclaration(resolved.sourceFile, node.text);
  return node;
}

/** The class declaration an identifier (a class name) refers to, locally or through an import. */
export function classNamed(identifier: ts.Identifier, facts: ProjectFacts): ClassLike | undefined {
  const declaration = declarationOf(identifier, facts);
  if (declaration?.kind === 'class') return declaration.node;
  if (declaration?.kind === 'import') {
    const target = importedDeclaration(facts, identifier.getSourceFile(), declaration.binding);
    if (target && (ts.isClassDeclaration(target) || ts.isClassExpression(target))) return target;
  }
  return undefined;
}

/** A method (or function-valued property) of a class or its bases. */
export function methodOf(cls: ClassLike, name: string, facts: ProjectFacts): FunctionLike | undefined {
  const sources = memberOf(cls, name, facts);
  for (const declaration of sources?.declarations ?? []) {
    if (ts.isMethodDeclaration(declaration) && declaration.body) return declaration;
    if (ts.isPropertyDeclaration(declaration) && declaration.initializer) {
      const value = skipOuterExpressions(declaration.initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
    }
  }
  return undefined;
}

/**
 * The project class and static method a call on the class itself runs (`ApiClient.create()`);
 * an instance member of the same name is not it.
 */
export function staticMethodCalled(call: ts.CallExpression, facts: ProjectFacts): { cls: ClassLike; method: ts.MethodDeclaration } | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  const cls = classNamed(callee.expression, facts);
  const isStatic = (node: ts.MethodDeclaration) => ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword) === true;
  const method = cls && memberOf(cls, callee.name.text, facts)?.declarations.find((node): node is ts.MethodDeclaration => ts.isMethodDeclaration(node) && node.body !== undefined && isStatic(node));
  return cls && method ? { cls, method } : undefined;
}

/** `const x = ...`, not `let` or `var`: nothing assigns it another value. */
export function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

type OuterExpression = ts.ParenthesizedExpression | ts.AsExpression | ts.SatisfiesExpression | ts.NonNullExpression | ts.TypeAssertion;

/** Parentheses, `as`, `satisfies`, `!` and `<T>x`: they do not change which value an expression is. */
export function isOuterExpression(node: ts.Node): node is OuterExpression {
  return ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node);
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>x`. */
export function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (isOuterExpression(current)) current = current.expression;
  return current;
}

/** The outermost of the wrappers skipOuterExpressions strips around a node (the node itself when none): `(x as T)` for `x` in `f((x as T))`. */
export function outermostWrapping(node: ts.Node): ts.Node {
  let outer = node;
  while (isOuterExpression(outer.parent)) outer = outer.parent;
  return outer;
}

/** The object literal a const holds: `const api = { get() {} }`. */
export function constObjectOf(declaration: ts.VariableDeclaration): ts.ObjectLiteralExpression | undefined {
  const value = isConst(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  return value && ts.isObjectLiteralExpression(value) ? value : undefined;
}

/** An object literal that has a name its members are called by: held by a const (`api.get()`), or the default export. */
export function isNamedObject(object: ts.ObjectLiteralExpression): boolean {
  const holder = outermostWrapping(object).parent;
  return (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && constObjectOf(holder) === object) || ts.isExportAssignment(holder);
}

/** The text of a property name when it is static: `a`, `'a'`, `"a"`. */
export function staticPropertyName(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** The name an expression ends in: `client` for `client`, `this.client` or `deps.client`. */
export function lastNameOf(expression: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expression);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}
