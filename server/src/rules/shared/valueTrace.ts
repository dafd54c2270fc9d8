import { ts } from 'ts-morph';
import { importBindings, resolveExportOf, resolveImportedDeclaration } from '../../engine/imports';
import { calleeOf, isCallSite, type CallSite } from './callSites';
import { AWAIT, CALL, CALLBACK, ELEMENT, GROUPS, classifyPackageCall, listMethodResult, isCallbackClientMethod, isIoPackage, type IoCall } from './ioCatalog';
import type { ProjectFacts } from '../../engine/projectFacts';
import { builtInReshape, utilityReshape, type Reshape } from './collectionFunctions';
import { iterationCallbackOf } from './iterationScopes';
import { bindingElementNamed, bindingPath, callParameters, declaresName, isFunctionLikeDeclaration, returnedExpressions, returningFunction, skipOuterExpressions, staticPropertyName, type FunctionLike } from './localDeclarations';

// Where a callee comes from, as far as one file can tell, without the type checker: the
// receiver chain is followed back through parameters' and fields' type annotations,
// variable initializers, `this`, class heritage and imports. What lies in another project
// file is left as an `external` target, so that localCallTarget depends on this file only
// and can be memoised with it; resolveAcrossFiles then follows the imports, and its
// callers memoise that across files (ioSummaries.ts).

export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration;

export type LocalTarget =
  /** The call performs a round trip itself. */
  | { kind: 'io'; io: IoCall }
  /** The call runs a project function of this file. */
  | { kind: 'function'; sourceFile: ts.SourceFile; node: FunctionNode; name: string }
  /**
   * The callee lies behind an import: resolved across files later. `unknownIfUnresolved`:
   * reached through a collection's element, which stays unknown where the import leads
   * nowhere known (stillUnknown).
   */
  | { kind: 'external'; sourceFile: ts.SourceFile; module: string; imported: string; instance: boolean; path: readonly string[]; unknownIfUnresolved?: true }
  /**
   * Rooted at something no annotation describes (an untyped parameter, a call's result), or
   * a method a project type declares without a body; `declaredAsync` when that declaration
   * says it returns a promise (a typed client's `findFirst(...): Promise<User | null>`), and
   * `declaredBy` the interface or type literal that declares it.
   */
  | { kind: 'opaque'; declaredAsync?: true; declaredBy?: ts.InterfaceDeclaration | ts.TypeLiteralNode };

/** A target once other files are looked at: a round trip, a project function, or unknown. */
export type CallTarget = Exclude<LocalTarget, { kind: 'external' }>;

type Root =
  /** `typeName`: the type a qualified annotation names inside the import (`gmail_v1.Schema$Message` → 'Schema$Message'). */
  | { kind: 'import'; module: string; imported: string; typeName?: string }
  | { kind: 'declaration'; node: ts.Node }
  | { kind: 'opaque' };

interface Trace {
  root: Root;
  instance: boolean;
  path: string[];
  /** Reached through a destructured variable or an imported factory's ReturnType: where it leads into a package or file that says nothing of it, it stays unknown, as such values were before they were followed. */
  unknownIfUnresolved?: true;
}

const MAX_DEPTH = 12;

/** Where the callee of `call` leads; undefined when it is known not to matter (a non-I/O package, a plain value). */
export function localCallTarget(facts: ProjectFacts, sourceFile: ts.SourceFile, call: CallSite): LocalTarget | undefined {
  const trace = traceExpression(facts, sourceFile, calleeOf(call), 0);
  const target = trace && stillUnknown(resolveTrace(facts, sourceFile, trace, call, 0), trace.path);
  // However far it got in this file (`const { db } = ctx`, `ctx: Ctx` typed from another package).
  return trace?.unknownIfUnresolved && target?.kind === 'external' ? { ...target, unknownIfUnresolved: true } : target;
}

/** Where a call leads once its `external` target is followed into the project files it imports. */
export function resolveAcrossFiles(facts: ProjectFacts, target: LocalTarget | undefined, call: CallSite): CallTarget | undefined {
  const resolved = followImports(facts, target, call);
  return target?.kind === 'external' ? stillUnknown(resolved, target.path, target.unknownIfUnresolved) : resolved;
}

/**
 * A callback's parameter or a collection's element that leads nowhere known (the method
 * turned out to be a project function, a client the catalog does not say calls back with
 * one, a list of no records) stays unknown, as every unannotated parameter and loop
 * variable was before the catalog knew such methods and records. `throughElement`: an
 * element already walked past, whose type lay in another file (resolveDeclarationPath).
 */
function stillUnknown<T extends LocalTarget>(target: T | undefined, path: readonly string[], throughElement = false): T | { kind: 'opaque' } | undefined {
  return target ?? (throughElement || path.includes(CALLBACK) || path.includes(ELEMENT) ? { kind: 'opaque' } : undefined);
}

function followImports(facts: ProjectFacts, target: LocalTarget | undefined, call: CallSite): CallTarget | undefined {
  let current = target;
  for (let hop = 0; current?.kind === 'external' && hop < 8; hop++) {
    const { sourceFile, module, imported, instance } = current;
    let { path } = current;
    // Types too: a client typed by a project interface (`db: Database`) is traced through its declared members.
    const resolve = (name: string) => resolveImportedDeclaration(facts, sourceFile, { module, imported: name, local: name, declaration: sourceFile }, { types: true });
    // A default import of a module with no default export is the module itself (CommonJS interop: `import db from './db.server'; db.prisma`).
    let declaration = resolve(imported) ?? (imported === 'default' ? resolve('*') : undefined);
    // A whole module (`import * as users from './users'`, or a re-exported `export * as users`): `users.find()`'s first member names the export.
    while (declaration && ts.isSourceFile(declaration.node) && path[0] !== undefined && path[0] !== CALL) {
      declaration = resolveExportOf(facts, declaration.node, path[0], { types: true });
      path = path.slice(1);
    }
    if (!declaration || ts.isSourceFile(declaration.node)) return undefined;
    current = resolveDeclarationPath(facts, declaration.sourceFile, declaration.node, instance, path, call, 0);
  }
  return current?.kind === 'external' ? undefined : current;
}

/**
 * Follows a member path from a declaration of `sourceFile` (a class, function, variable,
 * object literal or default-exported expression), e.g. UsersService + ['findById'].
 */
export function resolveDeclarationPath(
  facts: ProjectFacts,
  sourceFile: ts.SourceFile,
  node: ts.Node,
  instance: boolean,
  path: readonly string[],
  call: CallSite,
  depth: number,
): LocalTarget | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (ts.isExportAssignment(node)) return resolveDeclarationPath(facts, sourceFile, node.expression, instance, path, call, depth + 1);
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) {
    if (path.length === 0) return { kind: 'function', sourceFile, node, name: functionName(node) };
    return resolveReturnedValue(facts, sourceFile, node, path, call, depth);
  }
  if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) return resolveClassPath(facts, sourceFile, node, instance, path, call, depth);
  if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) return resolveTypeMemberPath(facts, sourceFile, node, path, call, depth);
  if (ts.isTypeAliasDeclaration(node)) return resolveTypedPath(facts, sourceFile, node.type, path, call, depth);
  const elementType = ts.isTypeNode(node) ? elementTypeOf(node) : undefined;
  if (elementType) {
    const [method, called, ...rest] = path;
    // `rows.filter(...)` is the list again, `rows.find(...)` one of its elements (listMethodResult).
    const result = called === CALL ? listMethodResult(method!) : undefined;
    if (result) return resolveDeclarationPath(facts, sourceFile, node, instance, result === 'list' ? rest : [ELEMENT, ...rest], call, depth + 1);
    if (path[0] !== ELEMENT) return undefined;
    // `tenants: Tenant[]` with Tenant in another file: what is left to follow there no longer says it is an element's.
    const target = resolveTypedPath(facts, sourceFile, elementType, path.slice(1), call, depth);
    return target?.kind === 'external' ? { ...target, unknownIfUnresolved: true } : target;
  }
  if (ts.isObjectLiteralExpression(node)) return resolveObjectPath(facts, sourceFile, node, path, call, depth);
  if (ts.isVariableDeclaration(node)) {
    const init = node.initializer && skipOuterExpressions(node.initializer);
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isObjectLiteralExpression(init) || ts.isClassExpression(init))) {
      return resolveDeclarationPath(facts, sourceFile, init, instance, path, call, depth + 1);
    }
    if (node.type) return resolveTypedPath(facts, sourceFile, node.type, path, call, depth);
    const trace = init && traceExpression(facts, sourceFile, init, depth + 1);
    return trace && resolveTrace(facts, sourceFile, { ...trace, path: extendPath(trace.path, path) }, call, depth + 1);
  }
  if (ts.isExpression(node)) {
    const trace = traceExpression(facts, sourceFile, node, depth + 1);
    return trace && resolveTrace(facts, sourceFile, { ...trace, path: extendPath(trace.path, path) }, call, depth + 1);
  }
  return undefined;
}

function resolveClassPath(
  facts: ProjectFacts,
  sourceFile: ts.SourceFile,
  node: ts.ClassLikeDeclaration,
  instance: boolean,
  path: readonly string[],
  call: CallSite,
  depth: number,
): LocalTarget | undefined {
  const [member, ...rest] = path;
  if (member === undefined || member === CALL) return undefined;
  const declaration = findClassMember(node, member);
  if (declaration) {
    if (isFunctionMember(declaration)) {
      const fn = ts.isPropertyDeclaration(declaration) ? (skipOuterExpressions(declaration.initializer!) as ts.ArrowFunction | ts.FunctionExpression) : declaration;
      if (rest.length === 0) return { kind: 'function', sourceFile, node: fn, name: functionName(fn) };
      return resolveReturnedValue(facts, sourceFile, fn, rest, call, depth);
    }
    const type = ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration) || ts.isGetAccessor(declaration) ? declaration.type : undefined;
    if (type) return resolveTypedPath(facts, sourceFile, type, rest, call, depth);
    const init = ts.isPropertyDeclaration(declaration) ? declaration.initializer : undefined;
    const trace = init ? traceExpression(facts, sourceFile, init, depth + 1) : opaqueTrace();
    return trace && resolveTrace(facts, sourceFile, { ...trace, path: extendPath(trace.path, rest) }, call, depth + 1);
  }
  const base = baseClassExpression(node);
  if (!base) return undefined;
  const trace = traceExpression(facts, sourceFile, base, depth + 1);
  return trace && resolveTrace(facts, sourceFile, { root: trace.root, instance: instance || trace.instance, path: extendPath(trace.path, path) }, call, depth + 1);
}

/**
 * `getRepository(User).find()`: what a project function returns is known from its return
 * type annotation (`: Repository<User>`), or else from what its return statements return.
 */
function resolveReturnedValue(
  facts: ProjectFacts,
  sourceFile: ts.SourceFile,
  fn: ts.SignatureDeclaration,
  path: readonly string[],
  call: CallSite,
  depth: number,
): LocalTarget | undefined {
  if (path[0] !== CALL) return undefined;
  if (fn.type) return resolveTypedPath(facts, sourceFile, fn.type, path.slice(1), call, depth);
  return isFunctionLikeDeclaration(fn) ? resolveReturnStatements(facts, sourceFile, fn, path.slice(1), call, depth) : { kind: 'opaque' };
}

/**
 * What a function with no return type annotation returns: the first of its returned
 * values that leads to a round trip or a project function (`return client.db('app')`).
 * Awaiting the result awaits the returned value, which only a call may be a promise of:
 * `new Users()` or a name is the value itself, however async the function.
 */
function resolveReturnStatements(facts: ProjectFacts, sourceFile: ts.SourceFile, fn: FunctionLike, path: readonly string[], call: CallSite, depth: number): LocalTarget | undefined {
  for (const returned of returnedExpressions(fn)) {
    const value = skipOuterExpressions(returned);
    const trace = traceExpression(facts, sourceFile, value, depth + 1);
    const rest = path[0] === AWAIT && !isCallSite(value) ? path.slice(1) : path;
    const target = trace && resolveTrace(facts, sourceFile, { ...trace, path: extendPath(trace.path, rest) }, call, depth + 1);
    if (target && target.kind !== 'opaque') return target;
  }
  return { kind: 'opaque' };
}

/**
 * A value declared with `type`, then the member path walked from it. Awaiting a value
 * declared as `Promise<T>` gives a T (`const db = await getDb()`); awaiting any other
 * value gives the value itself.
 */
function resolveTypedPath(facts: ProjectFacts, sourceFile: ts.SourceFile, type: ts.TypeNode, path: readonly string[], call: CallSite, depth: number): LocalTarget | undefined {
  const awaited = path[0] === AWAIT;
  const trace = traceType(facts, sourceFile, awaited ? promisedType(type) : type, depth + 1);
  return trace && resolveTrace(facts, sourceFile, { ...trace, path: extendPath(trace.path, awaited ? path.slice(1) : path) }, call, depth + 1);
}

/** `Promise<T>` → T; a type that is no promise is its own awaited type. */
function promisedType(type: ts.TypeNode): ts.TypeNode {
  const promise = ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && /^Promise(?:Like)?$/.test(type.typeName.text);
  return promise && type.typeArguments?.length === 1 ? type.typeArguments[0]! : type;
}

/**
 * A member path through a type the project declares (an interface, an object type): its
 * property annotations lead on, and the called method's declared return type tells a
 * promise (a typed client, asynchronous) from plain data (an in-memory registry). An
 * interface may inherit a member it does not list, so a miss there stays unknown; an
 * object type lists them all.
 */
function resolveTypeMemberPath(
  facts: ProjectFacts,
  sourceFile: ts.SourceFile,
  node: ts.InterfaceDeclaration | ts.TypeLiteralNode,
  path: readonly string[],
  call: CallSite,
  depth: number,
): LocalTarget | undefined {
  const [member, ...rest] = path;
  if (member === undefined || member === CALL) return { kind: 'opaque' };
  const declaration = typeMember(node, member);
  if (!declaration) return ts.isInterfaceDeclaration(node) ? inheritedMemberTarget(facts, node, path, call, depth) : undefined;
  const signature = ts.isMethodSignature(declaration)
    ? declaration
    : ts.isPropertySignature(declaration) && declaration.type && ts.isFunctionTypeNode(declaration.type)
      ? declaration.type
      : undefined;
  if (signature) {
    if (rest.length === 0) {
      const target = declaredCallTarget(facts, sourceFile, signature.type, depth + 1);
      return target?.kind === 'opaque' ? { ...target, declaredBy: node } : target;
    }
    if (rest[0] !== CALL || !signature.type) return { kind: 'opaque' };
    return resolveTypedPath(facts, sourceFile, signature.type, rest.slice(1), call, depth);
  }
  const type = ts.isPropertySignature(declaration) ? declaration.type : undefined;
  if (!type) return { kind: 'opaque' };
  return resolveTypedPath(facts, sourceFile, type, rest, call, depth);
}

/**
 * A member an interface does not declare comes from what it extends: `interface IUserModel
 * extends Model<IUserDocument> { getUser(): ... }` has mongoose's `findOne`. A project
 * interface it extends that declares the member settles it, whatever the order: in
 * `interface IOrderDocument extends Document, IOrder`, IOrder's `lines: ILine[]` is no model of mongoose's.
 */
function inheritedMemberTarget(facts: ProjectFacts, node: ts.InterfaceDeclaration, path: readonly string[], call: CallSite, depth: number): LocalTarget {
  if (depth > MAX_DEPTH) return { kind: 'opaque' };
  const file = node.getSourceFile();
  const bases = (node.heritageClauses ?? []).flatMap((clause) => clause.types.map((type) => type.expression)).filter(ts.isIdentifier);
  const traced = bases.map((base) => traceIdentifier(facts, file, base, depth + 1));
  const resolve = (base: Trace) => resolveTrace(facts, file, { root: base.root, instance: true, path: extendPath(base.path, path) }, call, depth + 1);
  const declaring = traced.find((base) => base?.root.kind === 'declaration' && base.path.length === 0 && declaresMember(base.root.node, path[0]!));
  if (declaring) return resolve(declaring) ?? { kind: 'opaque' };
  for (const base of traced) {
    const target = base && resolve(base);
    if (target && target.kind !== 'opaque') return target;
  }
  return { kind: 'opaque' };
}

function declaresMember(node: ts.Node, name: string): boolean {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) return typeMember(node, name) !== undefined;
  return ts.isClassLike(node) && findClassMember(node, name) !== undefined;
}

function typeMember(node: ts.InterfaceDeclaration | ts.TypeLiteralNode, name: string): ts.TypeElement | undefined {
  return node.members.find((m) => m.name !== undefined && staticPropertyName(m.name) === name);
}

/** What calling a body-less declared method leads to, by its return type annotation. */
function declaredCallTarget(facts: ProjectFacts, sourceFile: ts.SourceFile, returnType: ts.TypeNode | undefined, depth: number): LocalTarget | undefined {
  const kind = returnType ? returnKind(facts, sourceFile, returnType, depth) : 'unknown';
  if (kind === 'promise') return { kind: 'opaque', declaredAsync: true };
  return kind === 'data' ? undefined : { kind: 'opaque' };
}

/**
 * Whether a declared return type is a promise (or another thenable), plain data computed
 * in memory, or unknown (`any`, a type parameter, a package's type).
 */
function returnKind(facts: ProjectFacts, sourceFile: ts.SourceFile, type: ts.TypeNode, depth: number): 'promise' | 'data' | 'unknown' {
  if (depth > MAX_DEPTH) return 'unknown';
  if (ts.isParenthesizedTypeNode(type)) return returnKind(facts, sourceFile, type.type, depth + 1);
  if (ts.isUnionTypeNode(type)) {
    const kinds = type.types.map((member) => returnKind(facts, sourceFile, member, depth + 1));
    if (kinds.includes('promise')) return 'promise';
    return kinds.every((k) => k === 'data') ? 'data' : 'unknown';
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName;
    if (/Promise(?:Like)?$/.test(ts.isIdentifier(name) ? name.text : name.right.text)) return 'promise';
    if (!ts.isIdentifier(name)) return 'unknown';
    const found = lookupName(facts, sourceFile, name);
    if (found.kind === 'global') return GLOBAL_DATA_TYPES.has(name.text) ? 'data' : 'unknown';
    if (found.kind !== 'declaration') return 'unknown';
    const node = found.node;
    if (ts.isTypeAliasDeclaration(node)) return returnKind(facts, sourceFile, node.type, depth + 1);
    if (ts.isEnumDeclaration(node)) return 'data';
    if (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) {
      // A row type (`User`) is data; a query object that is awaited has `then`.
      const members: readonly (ts.TypeElement | ts.ClassElement)[] = node.members;
      const thenable = members.some((m) => m.name !== undefined && staticPropertyName(m.name) === 'then');
      return thenable ? 'promise' : node.heritageClauses ? 'unknown' : 'data';
    }
    return 'unknown';
  }
  const data = ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type) || ts.isTypeLiteralNode(type) || ts.isLiteralTypeNode(type) || DATA_KEYWORDS.has(type.kind);
  return data ? 'data' : 'unknown';
}

// `any` and `unknown` say nothing, so they are not among these.
const DATA_KEYWORDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.SymbolKeyword,
  ts.SyntaxKind.ObjectKeyword,
  ts.SyntaxKind.VoidKeyword,
  ts.SyntaxKind.UndefinedKeyword,
  ts.SyntaxKind.NeverKeyword,
]);

/** Built-in types that hold data in memory (a type parameter is unknown instead). */
const GLOBAL_DATA_TYPES = new Set(['Array', 'ReadonlyArray', 'Map', 'ReadonlyMap', 'Set', 'ReadonlySet', 'Record', 'Partial', 'Required', 'Readonly', 'Pick', 'Omit', 'Date', 'RegExp', 'Error', 'Buffer', 'Uint8Array']);

function resolveObjectPath(
  facts: ProjectFacts,
  sourceFile: ts.SourceFile,
  node: ts.ObjectLiteralExpression,
  path: readonly string[],
  call: CallSite,
  depth: number,
): LocalTarget | undefined {
  const [member, ...rest] = path;
  if (member === undefined || member === CALL) return undefined;
  for (const property of node.properties) {
    if (!property.name || staticPropertyName(property.name) !== member) continue;
    if (ts.isMethodDeclaration(property)) {
      if (rest.length === 0) return { kind: 'function', sourceFile, node: property, name: functionName(property) };
      return undefined;
    }
    if (ts.isPropertyAssignment(property)) return resolveDeclarationPath(facts, sourceFile, skipOuterExpressions(property.initializer), false, rest, call, depth + 1);
    if (ts.isShorthandPropertyAssignment(property)) {
      const trace = traceExpression(facts, sourceFile, property.name, depth + 1);
      return trace && resolveTrace(facts, sourceFile, { ...trace, path: extendPath(trace.path, rest) }, call, depth + 1);
    }
    return undefined;
  }
  return node.properties.some(ts.isSpreadAssignment) ? { kind: 'opaque' } : undefined;
}

function resolveTrace(facts: ProjectFacts, sourceFile: ts.SourceFile, trace: Trace, call: CallSite, depth: number): LocalTarget | undefined {
  const target = resolveTraceRoot(facts, sourceFile, trace, call, depth);
  // An element of what is not known to hold records stays unknown, as loop variables were before records were known.
  return target ?? (trace.path.includes(ELEMENT) ? { kind: 'opaque' } : undefined);
}

function resolveTraceRoot(facts: ProjectFacts, sourceFile: ts.SourceFile, trace: Trace, call: CallSite, depth: number): LocalTarget | undefined {
  const { root, instance, path } = trace;
  switch (root.kind) {
    case 'opaque':
      return { kind: 'opaque' };
    case 'import': {
      if (isIoPackage(root.module)) {
        const io = classifyPackageCall({ module: root.module, imported: root.imported, instance, path, ...(root.typeName ? { typeName: root.typeName } : {}) }, call);
        return io && { kind: 'io', io };
      }
      // Relative, or a tsconfig `paths` / baseUrl alias: the cross-file step finds out.
      return { kind: 'external', sourceFile, module: root.module, imported: root.imported, instance, path, ...(trace.unknownIfUnresolved ? { unknownIfUnresolved: true as const } : {}) };
    }
    case 'declaration':
      return resolveDeclarationPath(facts, sourceFile, root.node, instance, path, call, depth + 1);
  }
}

function traceExpression(facts: ProjectFacts, sourceFile: ts.SourceFile, expression: ts.Expression, depth: number): Trace | undefined {
  const suffix: string[] = [];
  let instance = false;
  let current = skipOuterExpressions(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) {
      suffix.push(current.name.text);
      current = skipOuterExpressions(current.expression);
    } else if (ts.isElementAccessExpression(current)) {
      suffix.push(ts.isStringLiteralLike(current.argumentExpression) ? current.argumentExpression.text : ELEMENT);
      current = skipOuterExpressions(current.expression);
    } else if (isCallSite(current)) {
      const regrouped = ts.isCallExpression(current) ? regroupedCollection(facts, sourceFile, current) : undefined;
      if (regrouped) {
        if (regrouped.reshape !== 'same') suffix.push(regrouped.reshape === 'groups' ? GROUPS : ELEMENT);
        current = skipOuterExpressions(regrouped.collection);
        continue;
      }
      const injected = injectedClass(facts, sourceFile, current, depth);
      if (injected) instance = true;
      else suffix.push(CALL);
      current = skipOuterExpressions(injected ?? calleeOf(current));
    } else if (ts.isNewExpression(current)) {
      instance = true;
      current = skipOuterExpressions(current.expression);
    } else if (ts.isAwaitExpression(current)) {
      // What an awaited value is depends on what it awaits: a client (`await pool.connect()`) or data.
      suffix.push(AWAIT);
      current = skipOuterExpressions(current.expression);
    } else break;
  }
  const path = suffix.reverse();
  let base: Trace | undefined;
  if (current.kind === ts.SyntaxKind.ThisKeyword) {
    const owner = thisClass(current);
    base = owner ? { root: { kind: 'declaration', node: owner }, instance: true, path: [] } : opaqueTrace();
  } else if (current.kind === ts.SyntaxKind.SuperKeyword) {
    // `super.update(...)`: the member as the class it extends has it, a project class or a package's.
    const extended = thisClass(current)?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    const traced = extended && ts.isIdentifier(extended) ? traceIdentifier(facts, sourceFile, extended, depth + 1) : undefined;
    base = traced ? { ...traced, instance: true } : opaqueTrace();
  } else if (ts.isIdentifier(current)) {
    base = traceIdentifier(facts, sourceFile, current, depth);
  } else if (ts.isBinaryExpression(current) && (current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || current.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    // `globalForPrisma.prisma ?? new PrismaClient()`: the singleton idiom keeps, on a global, what the right side makes.
    // `groups[id] ?? []`: an empty fallback leaves what the left side holds.
    const right = skipOuterExpressions(current.right);
    const emptyFallback = (ts.isArrayLiteralExpression(right) && right.elements.length === 0) || (ts.isObjectLiteralExpression(right) && right.properties.length === 0);
    base = (depth < MAX_DEPTH ? traceExpression(facts, sourceFile, emptyFallback ? current.left : right, depth + 1) : undefined) ?? opaqueTrace();
  } else if (ts.isLiteralExpression(current) || ts.isArrayLiteralExpression(current) || ts.isTemplateExpression(current)) {
    return undefined; // data, not a client
  } else if (ts.isObjectLiteralExpression(current) || ts.isClassExpression(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current)) {
    base = { root: { kind: 'declaration', node: current }, instance: false, path: [] };
  } else {
    base = opaqueTrace();
  }
  return base && { root: base.root, instance: base.instance || instance, path: extendPath(base.path, path), ...(base.unknownIfUnresolved ? { unknownIfUnresolved: true as const } : {}) };
}

/** `groupBy(users, 'teamId')`, `Object.values(byId)`: the collection a utility or built-in function regroups (collectionFunctions.ts). */
function regroupedCollection(facts: ProjectFacts, sourceFile: ts.SourceFile, call: ts.CallExpression): { collection: ts.Expression; reshape: Reshape } | undefined {
  const collection = call.arguments[0];
  if (!collection || ts.isSpreadElement(collection)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  let reshape: Reshape | undefined;
  if (ts.isIdentifier(callee)) {
    const found = lookupName(facts, sourceFile, callee);
    reshape = found.kind === 'import' ? utilityReshape(found.module, found.imported) : undefined;
  } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const found = lookupName(facts, sourceFile, callee.expression);
    if (found.kind === 'global') reshape = builtInReshape(callee.expression.text, callee.name.text, call.arguments.length);
    else if (found.kind === 'import' && (found.imported === '*' || found.imported === 'default')) reshape = utilityReshape(found.module, callee.name.text);
  }
  return reshape && { collection, reshape };
}

/** `path` walked on by `steps`; an element of lists of elements (GROUPS, ELEMENT) is such a list, the path before them. */
function extendPath(path: readonly string[], steps: readonly string[]): string[] {
  const extended = [...path];
  for (const step of steps) {
    if (step === ELEMENT && extended[extended.length - 1] === GROUPS) extended.pop();
    else extended.push(step);
  }
  return extended;
}

/**
 * The class whose instance a dependency-injection lookup returns, as a constructor
 * parameter typed with it would hold it: Angular's `inject(UserService)`, and NestJS's
 * `app.get(ConfigService)` on an application from `await NestFactory.create(...)` or on a
 * `ModuleRef` (start-up code, and services that look providers up at run time).
 */
export function injectedClass(facts: ProjectFacts, sourceFile: ts.SourceFile, call: CallSite, depth = 0): ts.Identifier | undefined {
  if (!ts.isCallExpression(call) || depth > MAX_DEPTH) return undefined;
  const token = call.arguments[0];
  if (!token || !ts.isIdentifier(token)) return undefined;
  const callee = call.expression;
  if (ts.isIdentifier(callee)) {
    if (callee.text !== 'inject') return undefined;
    const found = lookupName(facts, sourceFile, callee);
    return found.kind === 'import' && found.module === '@angular/core' && found.imported === 'inject' ? token : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get' || !ts.isIdentifier(callee.expression)) return undefined;
  const container = traceIdentifier(facts, sourceFile, callee.expression, depth + 1);
  const root = container?.root;
  if (root?.kind !== 'import' || root.module !== '@nestjs/core') return undefined;
  const [created, called, awaited] = container!.path;
  const application = root.imported === 'NestFactory' && container!.path.length === 3 && created!.startsWith('create') && called === CALL && awaited === AWAIT;
  const moduleRef = root.imported === 'ModuleRef' && container!.instance && container!.path.length === 0;
  return application || moduleRef ? token : undefined;
}

function traceIdentifier(facts: ProjectFacts, sourceFile: ts.SourceFile, identifier: ts.Identifier, depth: number): Trace | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const found = lookupName(facts, sourceFile, identifier);
  switch (found.kind) {
    case 'import':
      return { root: { kind: 'import', module: found.module, imported: found.imported }, instance: false, path: [] };
    case 'global':
      return undefined; // globals (fetch included) are recognised with the HTTP clients in rules/shared/outboundCalls.ts
    case 'unknown':
      return opaqueTrace();
    case 'element':
      return elementTrace(facts, sourceFile, found.collection, depth);
    case 'declaration': {
      const node = found.node;
      if (ts.isParameter(node)) return node.type ? traceType(facts, sourceFile, node.type, depth + 1) : (callbackParameterTrace(facts, sourceFile, node, depth) ?? opaqueTrace());
      if (ts.isBindingElement(node)) return bindingTrace(facts, sourceFile, node, depth);
      if (ts.isVariableDeclaration(node) && !isTopLevel(node)) {
        if (node.type) return traceType(facts, sourceFile, node.type, depth + 1);
        const init = node.initializer && skipOuterExpressions(node.initializer);
        if (!init) return opaqueTrace();
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isObjectLiteralExpression(init)) return declarationTrace(node);
        return traceExpression(facts, sourceFile, init, depth + 1);
      }
      return declarationTrace(node);
    }
  }
}

/** A destructured name: a parameter's by its annotation, a variable's by its annotation or what initializes it. */
function bindingTrace(facts: ProjectFacts, sourceFile: ts.SourceFile, element: ts.BindingElement, depth: number): Trace {
  const origin = element.initializer || element.dotDotDotToken ? undefined : bindingPath(element);
  const root = origin?.root;
  const base = !root ? undefined : root.type ? traceType(facts, sourceFile, root.type, depth + 1) : ts.isVariableDeclaration(root) && root.initializer ? traceExpression(facts, sourceFile, root.initializer, depth + 1) : undefined;
  if (!base) return opaqueTrace();
  return { ...base, path: extendPath(base.path, origin!.path), ...(ts.isVariableDeclaration(root!) ? { unknownIfUnresolved: true as const } : {}) };
}

/**
 * `dataSource.transaction(async (manager) => ...)`: the first parameter of a callback given
 * to a method that calls back with a client (ioCatalog knows which) is traced as that
 * method's callback, and stays unknown wherever the method turns out to be another.
 */
function callbackParameterTrace(facts: ProjectFacts, sourceFile: ts.SourceFile, parameter: ts.ParameterDeclaration, depth: number): Trace | undefined {
  const fn = parameter.parent;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const iteration = iterationCallbackOf(fn);
  if (iteration && iteration.element === parameter) return elementTrace(facts, sourceFile, iteration.collection, depth);
  if (callParameters(fn)[0] !== parameter) return undefined;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !isCallbackClientMethod(callee.name.text)) return undefined;
  const trace = traceExpression(facts, sourceFile, callee, depth + 1);
  return trace && { ...trace, path: [...trace.path, CALLBACK] };
}

/** An element of a collection (a loop's variable, an iteration callback's parameter): a record when the collection holds records (ioCatalog). */
function elementTrace(facts: ProjectFacts, sourceFile: ts.SourceFile, collection: ts.Expression, depth: number): Trace {
  const trace = depth < MAX_DEPTH ? traceExpression(facts, sourceFile, collection, depth + 1) : undefined;
  return trace ? { ...trace, path: extendPath(trace.path, [ELEMENT]) } : opaqueTrace();
}

function declarationTrace(node: ts.Node): Trace {
  return { root: { kind: 'declaration', node }, instance: false, path: [] };
}

function opaqueTrace(): Trace {
  return { root: { kind: 'opaque' }, instance: true, path: [] };
}

function traceType(facts: ProjectFacts, sourceFile: ts.SourceFile, type: ts.TypeNode, depth: number): Trace | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return traceType(facts, sourceFile, type.type, depth + 1);
  if (ts.isUnionTypeNode(type)) {
    const meaningful = type.types.filter((t) => !isNullishType(t));
    return meaningful.length === 1 ? traceType(facts, sourceFile, meaningful[0]!, depth + 1) : opaqueTrace();
  }
  if (ts.isTypeQueryNode(type)) {
    return ts.isIdentifier(type.exprName) ? traceIdentifier(facts, sourceFile, type.exprName, depth + 1) : opaqueTrace();
  }
  // A list is data, and its elements are what its element type says (resolveDeclarationPath).
  if (ts.isTypeLiteralNode(type) || elementTypeOf(type)) return { root: { kind: 'declaration', node: type }, instance: true, path: [] };
  if (!ts.isTypeReferenceNode(type)) return ts.isTupleTypeNode(type) ? undefined : opaqueTrace();
  let name: ts.EntityName = type.typeName;
  while (ts.isQualifiedName(name)) name = name.left;
  const found = lookupName(facts, sourceFile, name);
  if (found.kind === 'import') {
    const typeName = ts.isQualifiedName(type.typeName) ? type.typeName.right.text : undefined;
    return { root: { kind: 'import', module: found.module, imported: found.imported, ...(typeName ? { typeName } : {}) }, instance: true, path: [] };
  }
  const argument = type.typeArguments?.[0];
  if (found.kind === 'global' && argument) {
    if (MEMBER_SUBSETS.has(name.text) || name.text === 'Awaited') return traceType(facts, sourceFile, argument, depth + 1);
    // `Awaited<ReturnType<typeof connectDb>>`: what the function returns.
    if (name.text === 'ReturnType' && ts.isTypeQueryNode(argument) && ts.isIdentifier(argument.exprName)) return returnedTrace(facts, sourceFile, argument.exprName, depth + 1);
  }
  // A type parameter (`singleton<T>(...): T`) is whatever the caller makes it.
  if (found.kind !== 'declaration') return found.kind === 'global' && !isTypeParameter(type, name.text) ? undefined : opaqueTrace();
  const node = found.node;
  if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) return { root: { kind: 'declaration', node }, instance: true, path: [] };
  if (ts.isTypeAliasDeclaration(node)) return traceType(facts, sourceFile, node.type, depth + 1);
  return opaqueTrace();
}

/** The value a function named by `identifier` returns (its first `return`), traced like any expression. */
function returnedTrace(facts: ProjectFacts, sourceFile: ts.SourceFile, identifier: ts.Identifier, depth: number): Trace | undefined {
  const fn = traceIdentifier(facts, sourceFile, identifier, depth);
  // An imported function's result, as a call of it would be traced (followed into its file later).
  if (fn?.root.kind === 'import' && fn.path.length === 0) return { ...fn, path: [CALL], unknownIfUnresolved: true };
  const root = fn?.root.kind === 'declaration' && fn.path.length === 0 ? fn.root.node : undefined;
  const value = root && ts.isVariableDeclaration(root) && root.initializer ? skipOuterExpressions(root.initializer) : root;
  if (!value || !isFunctionLikeDeclaration(value)) return opaqueTrace();
  const [returned] = returnedExpressions(value);
  return returned ? traceExpression(facts, value.getSourceFile(), returned, depth + 1) : opaqueTrace();
}

function isTypeParameter(type: ts.TypeNode, name: string): boolean {
  for (let node: ts.Node | undefined = type.parent; node; node = node.parent) {
    const parameters = (node as { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }).typeParameters;
    if (parameters?.some((parameter) => parameter.name.text === name)) return true;
  }
  return false;
}

/** The element type of a list type: `User[]`, `readonly User[]`, `Array<User>`, `ReadonlyArray<User>`. */
function elementTypeOf(type: ts.TypeNode): ts.TypeNode | undefined {
  if (ts.isArrayTypeNode(type)) return type.elementType;
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return elementTypeOf(type.type);
  const list = ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && /^(?:Readonly)?Array$/.test(type.typeName.text);
  return list && type.typeArguments?.length === 1 ? type.typeArguments[0] : undefined;
}

/** Utility types whose members are some of their argument's, as they are: `Pick<PrismaService, 'user'>` is still the client. */
const MEMBER_SUBSETS = new Set(['Pick', 'Omit', 'Partial', 'Required', 'Readonly', 'NonNullable']);

function isNullishType(type: ts.TypeNode): boolean {
  if (type.kind === ts.SyntaxKind.UndefinedKeyword || type.kind === ts.SyntaxKind.NullKeyword) return true;
  return ts.isLiteralTypeNode(type) && type.literal.kind === ts.SyntaxKind.NullKeyword;
}

type Lookup =
  | { kind: 'import'; module: string; imported: string }
  | { kind: 'declaration'; node: ts.Node }
  | { kind: 'unknown' }
  /** A for...of loop's variable, or a name an array pattern binds: an element of `collection`. */
  | { kind: 'element'; collection: ts.Expression }
  | { kind: 'global' };

/** Whether nothing in scope declares the name (no value, type or import): a global such as `Map`. */
export function isGlobalName(facts: ProjectFacts, identifier: ts.Identifier): boolean {
  return lookupName(facts, identifier.getSourceFile(), identifier).kind === 'global';
}

/** The declaration a name refers to at `identifier`, by lexical scope. */
function lookupName(facts: ProjectFacts, sourceFile: ts.SourceFile, identifier: ts.Identifier): Lookup {
  const name = identifier.text;
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node)) {
      for (const parameter of node.parameters) {
        if (ts.isIdentifier(parameter.name)) {
          if (parameter.name.text === name) return { kind: 'declaration', node: parameter };
        } else {
          const element = bindingElementNamed(parameter.name, name);
          // `{ models }: IContext`: the member of the parameter's declared type.
          if (element) return parameter.type ? { kind: 'declaration', node: element } : { kind: 'unknown' };
        }
      }
    }
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      const found = lookupInStatements(node.statements, name);
      if (found) return found;
    }
    if ((ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isForStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
      const declared = node.initializer.declarations.find((d) => declaresName(d.name, name));
      if (declared) return ts.isForOfStatement(node) && ts.isIdentifier(declared.name) ? { kind: 'element', collection: node.expression } : { kind: 'unknown' };
    }
    if (ts.isCatchClause(node) && node.variableDeclaration && declaresName(node.variableDeclaration.name, name)) return { kind: 'unknown' };
  }
  const binding = importBindings(facts, sourceFile).get(name);
  if (binding) return { kind: 'import', module: binding.module, imported: binding.imported };
  return { kind: 'global' };
}

function lookupInStatements(statements: ts.NodeArray<ts.Statement>, name: string): Lookup | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) {
          if (declaration.name.text === name && !isRequireCall(declaration.initializer)) return { kind: 'declaration', node: declaration };
        } else if (declaresName(declaration.name, name)) {
          // `const [user, created] = await User.findOrCreate(...)`: an element of what it holds.
          const element = ts.isArrayBindingPattern(declaration.name) && declaration.initializer && declaration.name.elements.some((e) => ts.isBindingElement(e) && !e.dotDotDotToken && ts.isIdentifier(e.name) && e.name.text === name);
          if (element) return { kind: 'element', collection: declaration.initializer! };
          // `const { collections } = await this.load()`: a member of what it holds (traceIdentifier).
          const member = ts.isObjectBindingPattern(declaration.name) ? bindingElementNamed(declaration.name, name) : undefined;
          return member && (declaration.type || declaration.initializer) ? { kind: 'declaration', node: member } : { kind: 'unknown' };
        }
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) {
      return { kind: 'declaration', node: statement };
    } else if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name.text === name) {
      return { kind: 'declaration', node: statement };
    }
  }
  return undefined;
}

/** `const x = require('m')` is an import, which importBindings knows about. */
function isRequireCall(expression: ts.Expression | undefined): boolean {
  let current = expression;
  while (current && ts.isPropertyAccessExpression(current)) current = current.expression;
  return !!current && ts.isCallExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === 'require';
}

function isTopLevel(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableStatement(declaration.parent.parent) && ts.isSourceFile(declaration.parent.parent.parent);
}

/** The class whose instance `this` is at `node`; arrow functions see through, other functions do not. */
function thisClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
    if ((ts.isMethodDeclaration(current) || ts.isAccessor(current)) && ts.isObjectLiteralExpression(current.parent)) return undefined;
  }
  return undefined;
}

function findClassMember(node: ts.ClassLikeDeclaration, name: string): ts.ClassElement | ts.ParameterDeclaration | undefined {
  for (const member of node.members) {
    if (member.name && staticPropertyName(member.name) === name && !ts.isSetAccessor(member)) return member;
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length) return parameter;
      }
    }
  }
  return undefined;
}

function isFunctionMember(member: ts.ClassElement | ts.ParameterDeclaration): member is ts.MethodDeclaration | ts.PropertyDeclaration {
  if (ts.isMethodDeclaration(member)) return true;
  if (!ts.isPropertyDeclaration(member) || !member.initializer) return false;
  const init = skipOuterExpressions(member.initializer);
  return ts.isArrowFunction(init) || ts.isFunctionExpression(init);
}

function baseClassExpression(node: ts.ClassLikeDeclaration): ts.Expression | undefined {
  for (const clause of node.heritageClauses ?? []) {
    if (clause.token === ts.SyntaxKind.ExtendsKeyword) return clause.types[0]?.expression;
  }
  return undefined;
}

/** A readable name for a function: `OrderService.placeOrder`, `getStock`, `userRepo.findById`, `makeHook()` for the one it returns. */
export function functionName(returned: ts.Node): string {
  let node = returned;
  let calls = '';
  for (let maker = returningFunction(node); maker; maker = returningFunction(node)) {
    node = maker;
    calls += '()';
  }
  return namedFunction(node) + calls;
}

function namedFunction(node: ts.Node): string {
  const own = ownName(node);
  const isValue = (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && (ts.isPropertyDeclaration(node.parent) || ts.isPropertyAssignment(node.parent));
  const holder = isValue ? node.parent : node;
  const container = holder.parent && (ts.isClassLike(holder.parent) || ts.isObjectLiteralExpression(holder.parent)) ? holder.parent : undefined;
  const containerName = container && ownName(container);
  return containerName && own ? `${containerName}.${own}` : own ?? '(anonymous)';
}

function ownName(node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node)) && node.name) {
    return staticPropertyName(node.name) ?? node.name.getText();
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent)) return ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return staticPropertyName(parent.name);
  if (ts.isClassExpression(node) && node.name) return node.name.text;
  return undefined;
}
