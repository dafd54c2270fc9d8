import { ts } from 'ts-morph';
import { describedPackage, packageName } from '../../engine/imports';
import { manifestDependencies } from '../../engine/workspacePackages';
import type { ProjectFacts } from '../../engine/projectFacts';
import { isClientPackage, libraryOfModule } from './clientValues';
import { classOfThis, declarationOf, importedDeclaration, memberOf, skipOuterExpressions } from './localDeclarations';
import { injectedClass, isGlobalName } from './valueTrace';

// What a method call's receiver is declared as, read from one file's syntax, so that
// missing-timeout can settle `pending.get(id)` or `configService.get('HOST')` without the
// type checker, whose program takes in the file's whole import closure.

/** Its annotation, or without one the values it is given; undefined when the syntax says neither. */
type ReceiverDeclaration = { type: ts.TypeNode } | { values: ts.Expression[] };

/**
 * A variable, parameter, imported const or class field (`this.x`): by its annotation or,
 * for a field without one, every value given to it (initializers and assignments).
 */
function receiverDeclaration(receiver: ts.Expression, facts: ProjectFacts): ReceiverDeclaration | undefined {
  const e = skipOuterExpressions(receiver);
  if (ts.isIdentifier(e)) {
    const declaration = declarationOf(e, facts);
    if (declaration?.kind === 'parameter') return declaration.node.type && { type: declaration.node.type };
    const variable =
      declaration?.kind === 'variable' ? declaration.node
      : declaration?.kind === 'import' ? importedDeclaration(facts, e.getSourceFile(), declaration.binding)
      : undefined;
    if (!variable || !ts.isVariableDeclaration(variable)) return undefined;
    if (variable.type) return { type: variable.type };
    return variable.initializer && { values: [variable.initializer] };
  }
  if (!ts.isPropertyAccessExpression(e) || e.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = classOfThis(e);
  const member = cls && memberOf(cls, e.name.text, facts);
  if (!member || member.declarations.length === 0) return undefined;
  // Without an annotation, a field's type is that of the values given to it (or any).
  const values = [...member.assignments];
  for (const declaration of member.declarations) {
    if (!ts.isPropertyDeclaration(declaration) && !ts.isParameter(declaration)) return undefined;
    if (declaration.type) return { type: declaration.type };
    if (declaration.initializer) values.push(declaration.initializer);
  }
  return values.length > 0 ? { values } : undefined;
}

/** The language's own collections: `this.pendingRequests.get(id)` on a Map is no client. */
const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'ReadonlyMap', 'ReadonlySet']);

/**
 * Whether syntax settles that the receiver is no client, by the class every declaration of
 * it names (its annotation, or each value it is given):
 * - the global Map or Set (not an import named Map);
 * - a class a package declares (`configService: ConfigService`, `http = inject(HttpClient)`,
 *   `app.get(ConfigService)`) where neither that package nor one it depends on is an HTTP or
 *   gRPC client library: its type is then taken to be none of the client types the checker
 *   would find (one that reaches a client library only through a dependency's dependency is
 *   missed). Packages the project declares itself (`declare module`) and those not
 *   installed are left to the checker.
 */
export function isKnownNonClient(receiver: ts.Expression, facts: ProjectFacts): boolean {
  const declared = receiverDeclaration(receiver, facts);
  if (!declared) return false;
  const classes = 'type' in declared ? [typeReferenceRoot(declared.type)] : declared.values.map((value) => constructedClassRoot(value, facts));
  const names = classes.filter((name): name is ts.Identifier => name !== undefined);
  if (names.length < classes.length) return false;
  return names.every((name) => COLLECTIONS.has(name.text) && isGlobalName(facts, name)) || names.every((name) => isNonClientPackageName(name, facts));
}

/** `ConfigService`, `Repository<User>` → its name; `redis.Redis` → `redis`. */
function typeReferenceRoot(type: ts.TypeNode): ts.Identifier | undefined {
  if (!ts.isTypeReferenceNode(type)) return undefined;
  let name = type.typeName;
  while (ts.isQualifiedName(name)) name = name.left;
  return name;
}

/** `new Redis(url)`, `new ioredis.Redis()`, `inject(HttpClient)`, `app.get(ConfigService)` → the class's (or namespace's) name. */
function constructedClassRoot(value: ts.Expression, facts: ProjectFacts): ts.Identifier | undefined {
  const e = skipOuterExpressions(value);
  let constructed: ts.Expression | undefined;
  if (ts.isNewExpression(e)) constructed = e.expression;
  else if (ts.isCallExpression(e)) constructed = injectedClass(facts, e.getSourceFile(), e);
  while (constructed && ts.isPropertyAccessExpression(constructed)) constructed = constructed.expression;
  return constructed && ts.isIdentifier(constructed) ? constructed : undefined;
}

function isNonClientPackageName(name: ts.Identifier, facts: ProjectFacts): boolean {
  const declaration = declarationOf(name, facts);
  if (declaration?.kind !== 'import') return false;
  const module = declaration.binding.module;
  if (module.startsWith('.') || module.startsWith('/') || libraryOfModule(module) !== undefined || facts.ambientModules().has(module)) return false;
  const fromFile = name.getSourceFile().fileName;
  // A tsconfig path or a workspace package leads to the project's own code.
  if (facts.resolveModulePath(fromFile, module) !== undefined) return false;
  const manifest = facts.installedManifest(fromFile, packageName(module));
  return manifest !== undefined && !dependsOnClientLibrary(manifest);
}

function dependsOnClientLibrary(manifest: Record<string, unknown>): boolean {
  return manifestDependencies(manifest).some((name) => isClientPackage(describedPackage(name)));
}
