import { ts } from 'ts-morph';
import { skipOuterExpressions } from '../shared/localDeclarations';
import { dottedName } from './holderUses';

// The long-lived collections of a file: module-level variables, static fields, and
// fields of classes that exist once per process. A collection anywhere else (a local,
// a field of an object made per request) dies with its owner, so it cannot leak.

export type HolderKind = 'Map' | 'Set' | 'object' | 'array';

export interface Holder {
  name: string;
  kind: HolderKind;
  /** How the message describes it, e.g. "a module-level Map". */
  description: string;
  nameNode: ts.Node;
  declaration: ts.VariableDeclaration | ts.PropertyDeclaration;
  /** The expression that creates it: the initializer, or the constructor's assignment. */
  creation: ts.Expression;
  /** The declared type, when written. */
  typeNode: ts.TypeNode | undefined;
  /** The class owning a field; undefined for module variables. */
  ownerClass: ts.ClassLikeDeclaration | undefined;
  isStatic: boolean;
  /** Only code in this file can reach it: a non-exported variable, a private field. */
  isPrivate: boolean;
}

/** The kind with its article: "a Map", "an object". */
const KIND_PHRASE: Record<HolderKind, { alone: string; field: string }> = {
  Map: { alone: 'Map', field: 'a Map field' },
  Set: { alone: 'Set', field: 'a Set field' },
  object: { alone: 'object', field: 'an object field' },
  array: { alone: 'array', field: 'an array field' },
};

export function findHolders(sourceFile: ts.SourceFile): Holder[] {
  const holders: Holder[] = [];
  const moduleInstances = classesInstantiatedAtModuleLevel(sourceFile);
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
      for (const declaration of statement.declarationList.declarations) {
        const kind = declaration.initializer && holderKindOf(declaration.initializer);
        if (!kind || !ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        holders.push({
          name: declaration.name.text,
          kind,
          description: `a module-level ${KIND_PHRASE[kind].alone}`,
          nameNode: declaration.name,
          declaration,
          creation: declaration.initializer,
          typeNode: declaration.type,
          ownerClass: undefined,
          isStatic: false,
          isPrivate: !exported,
        });
      }
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      const onceBecause = createdOnceBecause(statement, moduleInstances);
      holders.push(...classHolders(statement, onceBecause));
    }
  }
  return holders;
}

/** The collection fields of a class; instance fields only when `onceBecause` says why there is one instance. */
export function classHolders(classNode: ts.ClassDeclaration, onceBecause: string | undefined): Holder[] {
  const holders: Holder[] = [];
  const constructorAssignments = assignmentsInConstructor(classNode);
  for (const member of classNode.members) {
    if (!ts.isPropertyDeclaration(member)) continue;
    if (!ts.isIdentifier(member.name) && !ts.isPrivateIdentifier(member.name)) continue;
    const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
    if (!isStatic && !onceBecause) continue;
    const name = ts.isPrivateIdentifier(member.name) ? member.name.text.slice(1) : member.name.text;
    const creation = member.initializer ?? (isStatic ? undefined : constructorAssignments.get(member.name.text));
    const kind = creation && holderKindOf(creation);
    if (!creation || !kind) continue;
    const where = isStatic ? `a static ${KIND_PHRASE[kind].alone} field` : `${KIND_PHRASE[kind].field} of ${onceBecause}`;
    holders.push({
      name,
      kind,
      description: where,
      nameNode: member.name,
      declaration: member,
      creation,
      typeNode: member.type,
      ownerClass: classNode,
      isStatic,
      isPrivate: ts.isPrivateIdentifier(member.name) || hasModifier(member, ts.SyntaxKind.PrivateKeyword),
    });
  }
  return holders;
}

/** `this.x = new Map()` directly in the constructor body, by field name (`#x` included). */
function assignmentsInConstructor(classNode: ts.ClassLikeDeclaration): Map<string, ts.Expression> {
  const assignments = new Map<string, ts.Expression>();
  const constructor = classNode.members.find(ts.isConstructorDeclaration);
  for (const statement of constructor?.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = statement.expression;
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const target = expression.left;
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
      assignments.set(target.name.text, expression.right);
    }
  }
  return assignments;
}

/** What kind of collection an expression creates, if it creates one. */
function holderKindOf(expression: ts.Expression): HolderKind | undefined {
  const bare = skipOuterExpressions(expression);
  if (ts.isNewExpression(bare) && ts.isIdentifier(bare.expression)) {
    const name = bare.expression.text;
    if (name === 'Map') return 'Map';
    if (name === 'Set') return 'Set';
    if (name === 'Array') return 'array';
    return undefined;
  }
  if (ts.isArrayLiteralExpression(bare)) return 'array';
  if (ts.isObjectLiteralExpression(bare)) return 'object';
  if (isObjectCreateNull(bare)) return 'object';
  return undefined;
}

function isObjectCreateNull(expression: ts.Expression): boolean {
  return (
    ts.isCallExpression(expression) &&
    ts.isPropertyAccessExpression(expression.expression) &&
    ts.isIdentifier(expression.expression.expression) &&
    expression.expression.expression.text === 'Object' &&
    expression.expression.name.text === 'create' &&
    expression.arguments[0]?.kind === ts.SyntaxKind.NullKeyword
  );
}

// Framework decorators whose classes the container creates once (NestJS, Angular's root
// injector, typedi, tsyringe's @singleton). Each can be narrowed by an option below.
const SINGLETON_DECORATORS = new Map<string, string>([
  ['Injectable', 'an @Injectable() provider (one instance)'],
  ['Controller', 'a @Controller() (one instance)'],
  ['Resolver', 'a @Resolver() (one instance)'],
  ['WebSocketGateway', 'a @WebSocketGateway() (one instance)'],
  ['Processor', 'a @Processor() (one instance)'],
  ['Service', 'a @Service() (one instance)'],
  ['singleton', 'a @singleton() class (one instance)'],
]);

/** Why instances of the class live as long as the process, or undefined. */
function createdOnceBecause(classNode: ts.ClassDeclaration, moduleInstances: ReadonlySet<string>): string | undefined {
  for (const decorator of ts.getDecorators(classNode) ?? []) {
    const call = decorator.expression;
    const callee = ts.isCallExpression(call) ? call.expression : call;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const reason = name === undefined ? undefined : SINGLETON_DECORATORS.get(name);
    if (reason && !(ts.isCallExpression(call) && declaresShortLivedScope(call))) return reason;
  }
  const className = classNode.name?.text;
  if (className && moduleInstances.has(className)) return 'a class instantiated once at module level';
  if (className && holdsOwnInstance(classNode, className)) return 'a singleton';
  return undefined;
}

/** `@Injectable({ scope: Scope.REQUEST })`, `@Service({ transient: true })`: a new instance per use. */
function declaresShortLivedScope(call: ts.CallExpression): boolean {
  const options = call.arguments[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  return options.properties.some((property) => {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) return false;
    if (property.name.text === 'scope') return /REQUEST|TRANSIENT/.test(dottedName(property.initializer) ?? '');
    return property.name.text === 'transient' && property.initializer.kind === ts.SyntaxKind.TrueKeyword;
  });
}

/** The singleton pattern: a static field typed as or holding the class itself, or getInstance(). */
function holdsOwnInstance(classNode: ts.ClassDeclaration, className: string): boolean {
  return classNode.members.some((member) => {
    if (!hasModifier(member, ts.SyntaxKind.StaticKeyword)) return false;
    if (ts.isMethodDeclaration(member) && ts.isIdentifier(member.name)) return member.name.text === 'getInstance';
    if (!ts.isPropertyDeclaration(member)) return false;
    const type = member.type && ts.isTypeReferenceNode(member.type) && ts.isIdentifier(member.type.typeName) ? member.type.typeName.text : undefined;
    const created = member.initializer && ts.isNewExpression(member.initializer) ? dottedName(member.initializer.expression) : undefined;
    return type === className || created === className;
  });
}

/** Class names with `new Name(...)` as a top-level initializer or `export default new Name()`. */
function classesInstantiatedAtModuleLevel(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const note = (expression: ts.Expression | undefined) => {
    const bare = expression && skipOuterExpressions(expression);
    if (bare && ts.isNewExpression(bare) && ts.isIdentifier(bare.expression)) names.add(bare.expression.text);
  };
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((d) => note(d.initializer));
    else if (ts.isExportAssignment(statement)) note(statement.expression);
  }
  return names;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}
