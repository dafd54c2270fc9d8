import { ts } from 'ts-morph';
import { findLocalDeclaration } from '../../engine/imports';
import { skipOuterExpressions, isConst } from '../shared/localDeclarations';
import type { Holder, HolderKind } from './holders';
import { dottedName, type Use } from './holderUses';
import { localDeclarationOf } from './references';
import { alwaysExits } from '../retry/syntax';
import { isInsideDecorator, isRegistration, operationOf, runsAtStartup, splitWords, type Operation } from './operations';

// Whether a long-lived collection is used as a cache: filled at run time with keys that
// come from the work being done, and looked up by them. A table filled at start-up from a
// fixed set, or keyed by something finite (classes, enum members), does not grow.

const CACHE_WORDS = new Set(['cache', 'cached', 'caches', 'caching', 'memo', 'memos', 'memoized', 'memoised', 'memoize', 'memoization', 'store', 'seen', 'registry']);
/** "Warn once" sets: keyed by the messages or names the code itself can produce. */
const ONCE_WORDS = new Set(['warn', 'warned', 'warning', 'warnings', 'logged', 'reported', 'deprecated', 'deprecation', 'deprecations', 'notified', 'printed', 'shown']);

const MEMO_USAGE: Record<HolderKind, string> = {
  Map: 'get-then-set',
  Set: 'has-then-add',
  object: 'read-then-assign',
  array: 'find-then-push',
};

/** Type names whose values are classes or constructors: one entry per class in the code. */
const CLASS_KEY_TYPES = /^(Function|Type|Class|ClassType|Constructor|Newable|AbstractType|AbstractClass|EntityTarget|ObjectType)$|(Constructor|Ctor|Class)$/;

export interface CacheEvidence {
  /** How it is used as a cache, for the message. */
  usage: string;
  /** The places that add to it while the program runs. */
  runtimeAdds: Use[];
}

export function cacheEvidence(holder: Holder, uses: readonly Use[], sourceFile: ts.SourceFile): CacheEvidence | undefined {
  const words = splitWords(holder.name);
  if (words.some((word) => ONCE_WORDS.has(word))) return undefined;
  const runtimeAdds = uses.filter((use) => use.kind === 'add' && runsPerRequest(use) && !hasFixedKey(use) && !isCheckedAgainstTable(use, sourceFile));
  if (runtimeAdds.length === 0) return undefined;
  if (holdsWeakReferences(holder, runtimeAdds, sourceFile) || holdsSchemaTypes(holder, sourceFile) || hasFiniteKeys(holder, sourceFile) || isMultiton(holder, runtimeAdds)) {
    return undefined;
  }
  if (runtimeAdds.every((add) => add.key !== undefined && isDerivedFromFiniteValues(add.key, sourceFile))) return undefined;
  const reads = uses.filter((use) => use.kind === 'read' && runsPerRequest(use) && !hasFixedKey(use));
  // Get-then-set: a lookup, then a fill of the same key when it missed.
  const firstReads = firstReadByOperationAndKey(holder, reads, sourceFile);
  const memoised = runtimeAdds.some((add) => {
    const key = memoKey(holder, add.key, sourceFile);
    const first = key === undefined ? undefined : firstReads.get(operationOf(add.site))?.get(key);
    return first !== undefined && first <= add.site.getStart(sourceFile);
  });
  if (memoised) return { usage: MEMO_USAGE[holder.kind], runtimeAdds };
  // A cache-like name, written and looked up by computed keys while the program runs.
  if (words.some((word) => CACHE_WORDS.has(word)) && reads.length > 0) return { usage: 'named like one, filled at run time', runtimeAdds };
  return undefined;
}

/** Code that runs for the work the program does, not once while it starts or loads classes. */
function runsPerRequest(use: Use): boolean {
  const operation = operationOf(use.site);
  return !runsAtStartup(operation) && !isRegistration(operation) && !isInsideDecorator(use.site);
}

function hasFixedKey(add: Use): boolean {
  return add.key !== undefined && (ts.isStringLiteralLike(add.key) || ts.isNumericLiteral(add.key));
}

/**
 * `const loader = jobLoaders[name]; if (!loader) return;` before `cache.set(name, …)`: a key
 * first checked against a table written in the code is one of that table's keys.
 */
function isCheckedAgainstTable(add: Use, sourceFile: ts.SourceFile): boolean {
  const key = add.key && skipOuterExpressions(add.key);
  const operation = operationOf(add.site);
  const body = operation && 'body' in operation ? operation.body : undefined;
  if (!key || !ts.isIdentifier(key) || !body || !ts.isBlock(body)) return false;
  const start = add.site.getStart(sourceFile);
  return body.statements.some(
    (statement) => statement.end <= start && ts.isIfStatement(statement) && alwaysExits(statement.thenStatement) && isMissFromTable(statement.expression, key.text, sourceFile),
  );
}

/** `!table[key]`, `!(key in table)`, `!table.has(key)`, `!found` with `const found = table[key]`. */
function isMissFromTable(condition: ts.Expression, key: string, sourceFile: ts.SourceFile): boolean {
  const negated = skipOuterExpressions(condition);
  if (!ts.isPrefixUnaryExpression(negated) || negated.operator !== ts.SyntaxKind.ExclamationToken) return false;
  const looked = skipOuterExpressions(negated.operand);
  const isKey = (e: ts.Expression) => {
    const node = skipOuterExpressions(e);
    return ts.isIdentifier(node) && node.text === key;
  };
  const isTable = (e: ts.Expression) => isWrittenTable(e, sourceFile);
  if (ts.isElementAccessExpression(looked)) return isKey(looked.argumentExpression) && isTable(looked.expression);
  if (ts.isBinaryExpression(looked) && looked.operatorToken.kind === ts.SyntaxKind.InKeyword) return isKey(looked.left) && isTable(looked.right);
  if (ts.isCallExpression(looked) && ts.isPropertyAccessExpression(looked.expression) && ['has', 'includes'].includes(looked.expression.name.text)) {
    return looked.arguments.length === 1 && isKey(looked.arguments[0]!) && isTable(looked.expression.expression);
  }
  if (!ts.isIdentifier(looked)) return false;
  const local = localDeclarationOf(looked);
  const init = local && ts.isVariableDeclaration(local) && isConst(local) && local.initializer && skipOuterExpressions(local.initializer);
  return !!init && ts.isElementAccessExpression(init) && isKey(init.argumentExpression) && isTable(init.expression);
}

/** A const object, array or Set written out in the code, in a function or at the top of the file. */
function isWrittenTable(expression: ts.Expression, sourceFile: ts.SourceFile): boolean {
  const node = skipOuterExpressions(expression);
  const declaration = ts.isIdentifier(node) ? (localDeclarationOf(node) ?? findLocalDeclaration(sourceFile, node.text)) : undefined;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !isConst(declaration) || !declaration.initializer) return false;
  const init = skipOuterExpressions(declaration.initializer);
  if (ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init)) return true;
  return ts.isNewExpression(init) && init.expression.getText() === 'Set' && !!init.arguments?.[0] && ts.isArrayLiteralExpression(skipOuterExpressions(init.arguments[0]));
}

/** Where each operation first looks each key up (arrays: any lookup), for get-then-set. */
function firstReadByOperationAndKey(holder: Holder, reads: readonly Use[], sourceFile: ts.SourceFile): Map<Operation | undefined, Map<string, number>> {
  const first = new Map<Operation | undefined, Map<string, number>>();
  for (const read of reads) {
    const key = memoKey(holder, read.key, sourceFile);
    if (key === undefined) continue;
    const operation = operationOf(read.site);
    let byKey = first.get(operation);
    if (!byKey) first.set(operation, (byKey = new Map()));
    const start = read.site.getStart(sourceFile);
    if (start < (byKey.get(key) ?? Infinity)) byKey.set(key, start);
  }
  return first;
}

/** The text a key is compared by; arrays are looked up by predicate, so any lookup matches. */
function memoKey(holder: Holder, key: ts.Expression | undefined, sourceFile: ts.SourceFile): string | undefined {
  if (holder.kind === 'array') return '';
  return key && skipOuterExpressions(key).getText(sourceFile).replace(/\s+/g, '');
}

/** `Map<string, WeakRef<T>>`: the values can be collected; the guide calls these clean. */
function holdsWeakReferences(holder: Holder, adds: readonly Use[], sourceFile: ts.SourceFile): boolean {
  const declared = [holder.typeNode, ...typeArgumentsOfCreation(holder)].some((type) => type !== undefined && /\bWeakRef\b/.test(type.getText(sourceFile)));
  return declared || adds.some((add) => add.value !== undefined && /^new\s+WeakRef\b/.test(add.value.getText(sourceFile)));
}

/**
 * `Record<string, GraphQLScalarType>`: types made while a GraphQL schema is built, keyed
 * by type and field names from the schema definition — a fixed set once the server runs.
 */
function holdsSchemaTypes(holder: Holder, sourceFile: ts.SourceFile): boolean {
  const declared = holder.typeNode ? [holder.typeNode] : typeArgumentsOfCreation(holder);
  return declared.some((type) => /\bGraphQL\w*Type\b/.test(type.getText(sourceFile)));
}

/**
 * `static instances = new Map<string, Logger>()` inside `class Logger`: one instance per
 * name the code asks for (a multiton), not data from requests.
 */
function isMultiton(holder: Holder, adds: readonly Use[]): boolean {
  const className = holder.ownerClass?.name?.text;
  if (!holder.isStatic || !className) return false;
  const declared = holder.typeNode && ts.isTypeReferenceNode(holder.typeNode) ? holder.typeNode.typeArguments : typeArgumentsOfCreation(holder);
  const valueType = declared?.at(-1);
  if (valueType && ts.isTypeReferenceNode(valueType) && ts.isIdentifier(valueType.typeName) && valueType.typeName.text === className) return true;
  return adds.some((add) => {
    const value = add.value && skipOuterExpressions(add.value);
    return value !== undefined && ts.isNewExpression(value) && dottedName(value.expression) === className;
  });
}

/** Keys typed as a finite set: booleans, literal unions, enums, classes and constructors. */
function hasFiniteKeys(holder: Holder, sourceFile: ts.SourceFile): boolean {
  const keyType = keyTypeOf(holder);
  return keyType !== undefined && isFiniteType(keyType, sourceFile, 0);
}

function keyTypeOf(holder: Holder): ts.TypeNode | undefined {
  const declared = holder.typeNode;
  if (declared && ts.isTypeReferenceNode(declared)) return declared.typeArguments?.[0];
  if (declared && ts.isTypeLiteralNode(declared)) {
    const member = declared.members[0];
    if (member && ts.isIndexSignatureDeclaration(member)) return member.parameters[0]?.type;
  }
  if (declared && ts.isMappedTypeNode(declared)) return declared.typeParameter.constraint;
  return typeArgumentsOfCreation(holder)[0];
}

export function typeArgumentsOfCreation(holder: Holder): readonly ts.TypeNode[] {
  const creation = skipOuterExpressions(holder.creation);
  return ts.isNewExpression(creation) ? (creation.typeArguments ?? []) : [];
}

/**
 * A key computed only from parameters of finite types (and literals), e.g. `tag` in
 * `const tag = language ? language.replace('_', '-') : 'en-US'` with `language: Locale`:
 * there are only as many keys as values of those types.
 */
function isDerivedFromFiniteValues(key: ts.Expression, sourceFile: ts.SourceFile): boolean {
  const stack: { node: ts.Node; depth: number }[] = [{ node: key, depth: 0 }];
  let fromParameter = false;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (ts.isIdentifier(node)) {
      const declaration = localDeclarationOf(node);
      if (declaration && ts.isParameter(declaration) && ts.isIdentifier(declaration.name)) {
        if (!declaration.type || !isFiniteType(declaration.type, sourceFile, 0)) return false;
        fromParameter = true;
        continue;
      }
      if (!declaration || !ts.isVariableDeclaration(declaration) || !isConst(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name) || depth > 3) return false;
      stack.push({ node: declaration.initializer, depth: depth + 1 });
    } else if (ts.isPropertyAccessExpression(node)) {
      // `opts.key` with `opts: { key: FlagKey }`: the member's own type decides.
      const memberType = parameterMemberType(node);
      if (memberType && isFiniteType(memberType, sourceFile, 0)) fromParameter = true;
      else stack.push({ node: node.expression, depth }); // `language.length`: the name is not a value
    } else if (ts.isCallExpression(node)) {
      // A function of finite inputs has finite outputs: look at the receiver and arguments only.
      if (ts.isPropertyAccessExpression(node.expression)) {
        if (!isPureGlobalCall(node.expression)) stack.push({ node: node.expression.expression, depth });
      } else if (!ts.isIdentifier(node.expression)) return false;
      for (const argument of node.arguments) stack.push({ node: argument, depth });
    } else if (ts.isFunctionLike(node) || node.kind === ts.SyntaxKind.ThisKeyword) {
      return false;
    } else {
      node.forEachChild((child) => {
        stack.push({ node: child, depth });
      });
    }
  }
  return fromParameter;
}

/** `JSON.stringify(x)`, `Math.floor(x)`: built-ins whose output depends on their arguments alone (not `Math.random()`). */
function isPureGlobalCall(callee: ts.PropertyAccessExpression): boolean {
  const receiver = callee.expression;
  return ts.isIdentifier(receiver) && PURE_GLOBALS.has(receiver.text) && callee.name.text !== 'random' && !localDeclarationOf(receiver);
}

const PURE_GLOBALS = new Set(['JSON', 'Math', 'String', 'Number']);

/** The declared type of `key` in `opts.key`, when `opts` is a parameter typed by an object type literal. */
function parameterMemberType(access: ts.PropertyAccessExpression): ts.TypeNode | undefined {
  const base = access.expression;
  const declaration = ts.isIdentifier(base) ? localDeclarationOf(base) : undefined;
  if (!declaration || !ts.isParameter(declaration) || !declaration.type || !ts.isTypeLiteralNode(declaration.type)) return undefined;
  const member = declaration.type.members.find((m) => ts.isPropertySignature(m) && m.name.getText() === access.name.text);
  return member && ts.isPropertySignature(member) && !member.questionToken ? member.type : undefined;
}

function isFiniteType(type: ts.TypeNode, sourceFile: ts.SourceFile, depth: number): boolean {
  if (depth > 4) return false;
  if (type.kind === ts.SyntaxKind.BooleanKeyword || type.kind === ts.SyntaxKind.UndefinedKeyword || ts.isLiteralTypeNode(type)) return true;
  if (ts.isConstructorTypeNode(type) || ts.isTypeQueryNode(type)) return true;
  if (ts.isUnionTypeNode(type)) return type.types.every((member) => isFiniteType(member, sourceFile, depth + 1));
  if (ts.isParenthesizedTypeNode(type)) return isFiniteType(type.type, sourceFile, depth + 1);
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.KeyOfKeyword) return true;
  if (ts.isIndexedAccessTypeNode(type)) return isConstListType(type.objectType, sourceFile);
  if (!ts.isTypeReferenceNode(type)) return false;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  if (CLASS_KEY_TYPES.test(name)) return true;
  // `Exclude<PageType, 'all'>`, `NonNullable<Kind>`: some of a finite type's members; `Extract` keeps those of either.
  const [first, second] = type.typeArguments ?? [];
  if ((name === 'Exclude' || name === 'NonNullable') && first) return isFiniteType(first, sourceFile, depth + 1);
  if (name === 'Extract' && first && second) return isFiniteType(first, sourceFile, depth + 1) || isFiniteType(second, sourceFile, depth + 1);
  const constraint = typeParameterConstraint(type, name);
  if (constraint) return isFiniteType(constraint, sourceFile, depth + 1);
  for (const statement of sourceFile.statements) {
    if (ts.isEnumDeclaration(statement) && statement.name.text === name) return true;
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) return isFiniteType(statement.type, sourceFile, depth + 1);
  }
  return false;
}

/** `(typeof PAGE_TYPES)[number]`, `(typeof ROLES)[keyof typeof ROLES]`: an element of a list or object written `as const` in this file. */
function isConstListType(objectType: ts.TypeNode, sourceFile: ts.SourceFile): boolean {
  const query = ts.isParenthesizedTypeNode(objectType) ? objectType.type : objectType;
  if (!ts.isTypeQueryNode(query) || !ts.isIdentifier(query.exprName)) return false;
  const declaration = findLocalDeclaration(sourceFile, query.exprName.text);
  const init = declaration && ts.isVariableDeclaration(declaration) && isConst(declaration) ? declaration.initializer : undefined;
  return !!init && ts.isAsExpression(init) && ts.isConstTypeReference(init.type);
}

/** `K` in `function get<K extends keyof Config>(key: K)`: its constraint. */
function typeParameterConstraint(type: ts.TypeNode, name: string): ts.TypeNode | undefined {
  for (let current: ts.Node | undefined = type.parent; current && !ts.isSourceFile(current); current = current.parent) {
    const parameters = (current as ts.Node & { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }).typeParameters;
    const match = parameters?.find((parameter) => parameter.name.text === name);
    if (match) return match.constraint;
  }
  return undefined;
}
