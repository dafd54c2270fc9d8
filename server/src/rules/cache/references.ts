import { ts } from 'ts-morph';
import type { Holder } from './holders';

// Which holder an identifier or property access names. Module variables are found by
// name (unless a local of the same name hides them); fields by `this.x` inside their
// class, `ClassName.x` for statics, and — conservatively — `anything.x` for fields other
// code can reach, so an eviction through another reference is never missed.

export interface HolderIndex {
  byVariable: ReadonlyMap<string, Holder>;
  byField: ReadonlyMap<string, readonly Holder[]>;
  /** Per variable name, what each scope resolves it to (see localDeclarationOf). */
  scopes: Map<string, ScopeMemo>;
}

/** Node → the declaration of a name found from that node upwards (null: none below the module). */
export type ScopeMemo = Map<ts.Node, ts.Node | null>;

export function indexHolders(holders: readonly Holder[]): HolderIndex {
  const byVariable = new Map<string, Holder>();
  const byField = new Map<string, Holder[]>();
  for (const holder of holders) {
    if (!holder.ownerClass) byVariable.set(holder.name, holder);
    else byField.set(holder.name, [...(byField.get(holder.name) ?? []), holder]);
  }
  return { byVariable, byField, scopes: new Map() };
}

/** The module-level holder a value reference names, if any. */
export function holderOfIdentifier(index: HolderIndex, identifier: ts.Identifier): Holder | undefined {
  const holder = index.byVariable.get(identifier.text);
  if (!holder || identifier === holder.nameNode || !isValueReference(identifier)) return undefined;
  let memo = index.scopes.get(identifier.text);
  if (!memo) index.scopes.set(identifier.text, (memo = new Map()));
  return localDeclarationOf(identifier, memo) ? undefined : holder;
}

/** The field holder(s) `receiver.name` may name; `exact` when the receiver is certain. */
export function holdersOfAccess(index: HolderIndex, access: ts.PropertyAccessExpression): { holders: readonly Holder[]; exact: boolean } {
  const name = ts.isPrivateIdentifier(access.name) ? access.name.text.slice(1) : access.name.text;
  const candidates = index.byField.get(name);
  if (!candidates) return { holders: [], exact: false };
  const receiver = access.expression;
  const enclosingClass = receiver.kind === ts.SyntaxKind.ThisKeyword ? classOf(access) : undefined;
  const exact = candidates.filter((holder) => {
    if (receiver.kind === ts.SyntaxKind.ThisKeyword) return holder.ownerClass === enclosingClass;
    return holder.isStatic && ts.isIdentifier(receiver) && receiver.text === holder.ownerClass?.name?.text;
  });
  if (exact.length > 0) return { holders: exact, exact: true };
  const reachable = candidates.filter((holder) => !holder.isPrivate && receiver.kind !== ts.SyntaxKind.ThisKeyword);
  return { holders: reachable, exact: false };
}

function classOf(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isClassLike(current)) return current;
  }
  return undefined;
}

function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isExportSpecifier(parent) || ts.isImportSpecifier(parent) || ts.isTypeQueryNode(parent) || ts.isTypeReferenceNode(parent)) return false;
  if (ts.isQualifiedName(parent)) return false;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (ts.isBindingElement(parent)) return parent.initializer === identifier;
  const named = parent as ts.Node & { name?: ts.Node };
  return named.name !== identifier;
}

/**
 * The parameter, local variable, function or catch binding that a name refers to,
 * searching the scopes between the use and the module; undefined for module-level names.
 * The memo makes repeated lookups of one name linear in the file, even in deep trees.
 */
export function localDeclarationOf(identifier: ts.Identifier, memo: ScopeMemo = new Map()): ts.Node | undefined {
  const name = identifier.text;
  const visited: ts.Node[] = [];
  let found: ts.Node | null = null;
  for (let current = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    const known = memo.get(current);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(current);
    const here = declarationAt(current, name);
    if (here) {
      found = here;
      break;
    }
  }
  for (const node of visited) memo.set(node, found);
  return found ?? undefined;
}

/** A declaration of `name` that the scope `node` opens, if any. */
function declarationAt(node: ts.Node, name: string): ts.Node | undefined {
  if (ts.isFunctionLike(node)) return node.parameters.find((p) => bindsName(p.name, name));
  if (ts.isCatchClause(node)) {
    return node.variableDeclaration && bindsName(node.variableDeclaration.name, name) ? node.variableDeclaration : undefined;
  }
  if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
    return node.initializer.declarations.find((d) => bindsName(d.name, name));
  }
  if (ts.isBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
    for (const statement of node.statements) {
      const declaration = declarationIn(statement, name);
      if (declaration) return declaration;
    }
  }
  return undefined;
}

function declarationIn(statement: ts.Statement, name: string): ts.Node | undefined {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.find((d) => bindsName(d.name, name));
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) return statement;
  return undefined;
}

/** Whether a binding name (possibly a destructuring pattern) introduces `name`. */
function bindsName(binding: ts.BindingName, name: string): boolean {
  const stack: ts.BindingName[] = [binding];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (ts.isIdentifier(current)) {
      if (current.text === name) return true;
      continue;
    }
    for (const element of current.elements) if (!ts.isOmittedExpression(element)) stack.push(element.name);
  }
  return false;
}
