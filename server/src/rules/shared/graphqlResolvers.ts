import { ts } from 'ts-morph';
import { walk } from '../../engine/analyzer';
import { isExported } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { staticPropertyName, outermostWrapping } from './localDeclarations';

// GraphQL field resolvers, found syntactically in every common TypeScript style:
//
//   fieldResolverOf(fn, facts)   the resolver a function implements (or undefined)
//
// Recognised: Apollo / graphql-tools resolver maps (`{ Post: { author: (post, args, ctx)
// => ... } }`, per-type objects merged from several files, also held by a const the map
// names (`{ Post }`) or default-exported to the folder's index that does, codegen
// `PostResolvers` objects), NestJS `@ResolveField` and TypeGraphQL `@FieldResolver` methods, Pothos and
// Nexus `t.field({ resolve })`, and graphql-js `new GraphQLObjectType({ fields })`.
// Fields of the root operation types run once per operation; `isRoot` marks them so rules
// about per-parent work can skip them.

export type ResolverStyle = 'resolver-map' | 'nestjs' | 'type-graphql' | 'pothos' | 'nexus' | 'graphql-js';

export interface FieldResolver {
  style: ResolverStyle;
  /** The GraphQL type the field belongs to: 'Post'. */
  typeName: string;
  fieldName: string;
  /** The function that resolves the field. */
  node: ts.FunctionLikeDeclaration;
  /** Query, Mutation or Subscription (or Root*): runs once per operation, not per parent. */
  isRoot: boolean;
  /** The parameter that receives the parent object, when the resolver declares it. */
  parentParameter?: ts.ParameterDeclaration;
  /** The parameter that receives the per-request context, when the resolver declares it. */
  contextParameter?: ts.ParameterDeclaration;
}

const ROOT_TYPE = /^(?:Root)?(?:Query|Mutation|Subscription)(?:Type|Root)?$/;
const TYPE_NAME = /^[A-Z][A-Za-z0-9_]*$/;
const NEST_FIELD_DECORATORS = new Map<string, ResolverStyle>([
  ['ResolveField', 'nestjs'],
  ['ResolveProperty', 'nestjs'],
  ['FieldResolver', 'type-graphql'],
]);
const POTHOS_ROOT_METHODS = /^(?:query|mutation|subscription)(?:Type|Field|Fields)$/;
const POTHOS_TYPE_METHODS = /^(?:objectType|prismaObject|prismaNode|node|interfaceType|objectField|objectFields|interfaceField|interfaceFields|drizzleObject|drizzleNode|loadableObject|loadableNode)$/;
const NEXUS_ROOT_FACTORIES = /^(?:queryType|mutationType|subscriptionType|queryField|mutationField|subscriptionField)$/;

/**
 * The field resolver `node` implements, or undefined when it is not one. With `facts`, a
 * per-type object exported from its own file is named by the folder's index that maps it.
 */
export function fieldResolverOf(node: ts.Node, facts: ProjectFacts): FieldResolver | undefined {
  if (ts.isMethodDeclaration(node) && ts.isClassLike(node.parent)) return decoratedFieldResolver(node, node.parent);
  if (!ts.isMethodDeclaration(node) && !ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return undefined;
  const slot = objectSlot(node);
  if (!slot) return undefined;
  if (slot.name === 'resolve') return fieldConfigResolver(node, slot.object, facts);
  return resolverMapField(node, slot.object, slot.name, facts);
}

/** `name: fn` or `name(...) {}` inside an object literal. */
function objectSlot(fn: ts.FunctionLikeDeclaration): { object: ts.ObjectLiteralExpression; name: string } | undefined {
  if (ts.isMethodDeclaration(fn)) {
    return ts.isObjectLiteralExpression(fn.parent) ? named(fn.parent, fn.name) : undefined;
  }
  const property = outermostWrapping(fn).parent;
  if (!property || !ts.isPropertyAssignment(property) || !ts.isObjectLiteralExpression(property.parent)) return undefined;
  return named(property.parent, property.name);
}

function named(object: ts.ObjectLiteralExpression, name: ts.PropertyName): { object: ts.ObjectLiteralExpression; name: string } | undefined {
  const text = staticPropertyName(name);
  return text === undefined ? undefined : { object, name: text };
}

function stringOrIdentifier(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  if (ts.isStringLiteralLike(expression) || ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && staticPropertyName(property.name) === name) return property.initializer;
  }
  return undefined;
}

function make(
  style: ResolverStyle,
  typeName: string,
  fieldName: string,
  node: ts.FunctionLikeDeclaration,
  parentIndex: number,
  contextIndex: number,
): FieldResolver {
  const resolver: FieldResolver = { style, typeName, fieldName, node, isRoot: ROOT_TYPE.test(typeName) };
  const parent = node.parameters[parentIndex];
  const context = node.parameters[contextIndex];
  if (parent) resolver.parentParameter = parent;
  if (context) resolver.contextParameter = context;
  return resolver;
}

// --- Resolver maps ---------------------------------------------------------------

function resolverMapField(fn: ts.FunctionLikeDeclaration, typeObject: ts.ObjectLiteralExpression, fieldName: string, facts: ProjectFacts): FieldResolver | undefined {
  if (fieldName.startsWith('__') && fieldName !== '__resolveReference') return undefined;
  const typeName = resolverMapTypeName(typeObject, facts);
  if (!typeName) return undefined;
  // Federation's __resolveReference(reference, context) runs once per entity reference.
  return fieldName === '__resolveReference' ? make('resolver-map', typeName, fieldName, fn, 0, 1) : make('resolver-map', typeName, fieldName, fn, 0, 2);
}

/** The GraphQL type an object of field resolvers belongs to, if it is one. */
function resolverMapTypeName(typeObject: ts.ObjectLiteralExpression, facts: ProjectFacts): string | undefined {
  const holder = outermostWrapping(typeObject);
  const parent = holder.parent;
  if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) {
    const typeName = staticPropertyName(parent.name);
    return typeName && TYPE_NAME.test(typeName) && isResolverMap(parent.parent) ? typeName : undefined;
  }
  if (ts.isVariableDeclaration(parent) && parent.type) {
    // Codegen style: `const Post: PostResolvers = {...}` or `Resolvers['Post']`.
    const annotation = parent.type.getText();
    const indexed = /^\w*Resolvers\s*\[\s*['"](\w+)['"]\s*\]$/.exec(annotation);
    if (indexed) return indexed[1];
    const perType = /^(\w+?)Resolvers\b/.exec(annotation);
    if (perType && perType[1] && TYPE_NAME.test(perType[1])) return perType[1];
  }
  const held = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  const sourceFile = typeObject.getSourceFile();
  // `const Post = {...}` named by a map of the same file: `export const resolvers = { Post }`.
  const local = held === undefined ? undefined : typeKeys(sourceFile, facts).get(held);
  if (local || !facts) return local;
  const exported = ts.isExportAssignment(parent) ? 'default' : held !== undefined && isExported(parent.parent.parent as ts.Statement) ? held : undefined;
  return exported === undefined ? undefined : typeNameFromIndex(sourceFile, exported, facts);
}

/** What the resolver maps of `file` hold by name: `{ Post }` or `Post: postFields` → local name to type. */
function typeKeys(file: ts.SourceFile, facts: ProjectFacts): ReadonlyMap<string, string> {
  const compute = () => {
    const keys = new Map<string, string>();
    walk(file, (node) => {
      if (!ts.isObjectLiteralExpression(node)) return;
      let map: boolean | undefined;
      for (const property of node.properties) {
        const value = ts.isShorthandPropertyAssignment(property) ? property.name : ts.isPropertyAssignment(property) ? property.initializer : undefined;
        const key = staticPropertyName(property.name);
        if (!value || !ts.isIdentifier(value) || !key || !TYPE_NAME.test(key) || ROOT_TYPE.test(key)) continue;
        map ??= isResolverMap(node);
        if (map && !keys.has(value.text)) keys.set(value.text, key);
      }
    });
    return keys;
  };
  return facts.perFile(file, 'resolver-type-keys', compute);
}

/**
 * Modular resolvers: `customResolvers/customer.ts` default-exports the fields of one type,
 * and the folder's index maps them (`import Customer from './customer'; export default { Customer }`).
 */
function typeNameFromIndex(file: ts.SourceFile, exported: string, facts: ProjectFacts): string | undefined {
  const index = facts.resolveModule(file.fileName, '.');
  if (!index || index === file) return undefined;
  const mapped = facts.acrossFiles(`resolver-index:${index.fileName}`, () => indexedTypes(index, facts), index);
  return mapped.get(`${file.fileName}#${exported}`);
}

/** What an index's resolver maps name: `<file>#<export>` → the type it holds the fields of. */
function indexedTypes(index: ts.SourceFile, facts: ProjectFacts): Map<string, string> {
  const mapped = new Map<string, string>();
  for (const statement of index.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.importClause?.isTypeOnly) continue;
    const target = facts.resolveModulePath(index.fileName, statement.moduleSpecifier.text);
    const clause = statement.importClause;
    if (!target || !clause) continue;
    const bindings: [string, string][] = clause.name ? [[clause.name.text, 'default']] : [];
    if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      for (const element of clause.namedBindings.elements) bindings.push([element.name.text, (element.propertyName ?? element.name).text]);
    }
    for (const [local, imported] of bindings) {
      const key = typeKeys(index, facts).get(local);
      if (key) mapped.set(`${target}#${imported}`, key);
    }
  }
  return mapped;
}

/**
 * An object whose PascalCase keys hold per-type resolver objects, and that something
 * marks as a resolver map: a root type key, a name or type like `resolvers`, or being
 * passed where resolvers go.
 */
function isResolverMap(map: ts.ObjectLiteralExpression): boolean {
  let typeKeys = 0;
  for (const property of map.properties) {
    const name = property.name && staticPropertyName(property.name);
    if (name && ROOT_TYPE.test(name)) return true;
    if (name && TYPE_NAME.test(name)) typeKeys++;
  }
  if (typeKeys === 0) return false;
  const parent = outermostWrapping(map).parent;
  if (ts.isVariableDeclaration(parent)) {
    const name = ts.isIdentifier(parent.name) ? parent.name.text : '';
    return /resolvers?$/i.test(name) || (parent.type !== undefined && /Resolvers\b/.test(parent.type.getText()));
  }
  if (ts.isPropertyAssignment(parent)) return staticPropertyName(parent.name) === 'resolvers';
  if (ts.isExportAssignment(parent)) return /resolver/i.test(parent.getSourceFile().fileName);
  if (ts.isCallExpression(parent) || ts.isArrayLiteralExpression(parent)) {
    const call = ts.isCallExpression(parent) ? parent : ts.isCallExpression(parent.parent) ? parent.parent : undefined;
    return !!call && /(?:merge|Resolvers|Schema)\w*$/i.test(call.expression.getText());
  }
  return false;
}

// --- `resolve` in a field config: graphql-js, Pothos, Nexus, Apollo `{ resolve }` ----

function fieldConfigResolver(fn: ts.FunctionLikeDeclaration, config: ts.ObjectLiteralExpression, facts: ProjectFacts): FieldResolver | undefined {
  const holder = outermostWrapping(config);
  const parent = holder.parent;
  if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) {
    const fieldName = staticPropertyName(parent.name);
    if (!fieldName) return undefined;
    const fields = parent.parent;
    const typeName = graphqlJsTypeName(fields);
    if (typeName) return make('graphql-js', typeName, fieldName, fn, 0, 2);
    const mapType = resolverMapTypeName(fields, facts);
    return mapType ? make('resolver-map', mapType, fieldName, fn, 0, 2) : undefined;
  }
  if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression)) {
    const builderCall = parent;
    const nexusName = builderCall.arguments[0] !== holder ? stringOrIdentifier(builderCall.arguments[0]) : undefined;
    if (nexusName) {
      const typeName = enclosingNexusType(builderCall);
      return typeName ? make('nexus', typeName, nexusName, fn, 0, 2) : undefined;
    }
    const fieldProperty = outermostWrapping(builderCall).parent;
    const fieldName = ts.isPropertyAssignment(fieldProperty) ? staticPropertyName(fieldProperty.name) : enclosingPothosFieldName(builderCall);
    const typeName = enclosingPothosType(builderCall);
    return fieldName && typeName ? make('pothos', typeName, fieldName, fn, 0, 2) : undefined;
  }
  return undefined;
}

/** `fields` of `new GraphQLObjectType({ name, fields: {...} | () => ({...}) })` → its name. */
function graphqlJsTypeName(fields: ts.ObjectLiteralExpression): string | undefined {
  let holder: ts.Node = outermostWrapping(fields);
  if (ts.isArrowFunction(holder.parent)) holder = outermostWrapping(holder.parent);
  else if (ts.isReturnStatement(holder.parent)) {
    const fn = holder.parent.parent.parent;
    if (fn && (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn))) holder = ts.isMethodDeclaration(fn) ? fn : outermostWrapping(fn);
  }
  const property = holder.parent;
  const isFields = ts.isMethodDeclaration(holder) ? staticPropertyName(holder.name) === 'fields' : ts.isPropertyAssignment(property) && staticPropertyName(property.name) === 'fields';
  if (!isFields) return undefined;
  const config = ts.isMethodDeclaration(holder) ? holder.parent : property.parent;
  if (!ts.isObjectLiteralExpression(config)) return undefined;
  const construct = outermostWrapping(config).parent;
  if (!ts.isNewExpression(construct) || !/GraphQL(?:Object|Interface)Type$/.test(construct.expression.getText())) return undefined;
  return stringOrIdentifier(propertyValue(config, 'name'));
}

/** Nexus: the `objectType({ name })` / `extendType({ type })` whose `definition(t)` holds the call. */
function enclosingNexusType(call: ts.Node): string | undefined {
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (!ts.isCallExpression(node)) continue;
    const callee = node.expression.getText().split('.').pop() ?? '';
    if (NEXUS_ROOT_FACTORIES.test(callee)) return 'Query';
    if (callee === 'objectType' || callee === 'extendType' || callee === 'interfaceType') {
      const config = node.arguments[0];
      if (!config || !ts.isObjectLiteralExpression(config)) return undefined;
      return stringOrIdentifier(propertyValue(config, 'name') ?? propertyValue(config, 'type'));
    }
  }
  return undefined;
}

/** Pothos: `builder.objectType('Post', { fields: (t) => ... })` and its relatives. */
function enclosingPothosType(call: ts.Node): string | undefined {
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) continue;
    const method = node.expression.name.text;
    if (POTHOS_ROOT_METHODS.test(method)) return 'Query';
    if (POTHOS_TYPE_METHODS.test(method)) return stringOrIdentifier(node.arguments[0]);
  }
  return undefined;
}

/** `builder.objectField(Post, 'author', (t) => t.field({...}))`: the field name argument. */
function enclosingPothosFieldName(call: ts.Node): string | undefined {
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /Field$/.test(node.expression.name.text)) {
      const name = node.arguments[1];
      return name && ts.isStringLiteralLike(name) ? name.text : undefined;
    }
  }
  return undefined;
}

// --- Decorated classes: NestJS and TypeGraphQL --------------------------------------

function decoratedFieldResolver(method: ts.MethodDeclaration, owner: ts.ClassLikeDeclaration): FieldResolver | undefined {
  for (const decorator of ts.getDecorators(method) ?? []) {
    const { name, args } = decoratorCall(decorator);
    const style = name === undefined ? undefined : NEST_FIELD_DECORATORS.get(name);
    if (!style) continue;
    const explicitName = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : args[0] && ts.isObjectLiteralExpression(args[0]) ? stringOrIdentifier(propertyValue(args[0], 'name')) : undefined;
    const fieldName = explicitName ?? staticPropertyName(method.name) ?? method.name.getText();
    const typeName = resolverClassType(owner) ?? owner.name?.text.replace(/Resolver$/, '') ?? 'unknown';
    const resolver: FieldResolver = { style, typeName, fieldName, node: method, isRoot: false };
    for (const parameter of method.parameters) {
      const decorators = (ts.getDecorators(parameter) ?? []).map((d) => decoratorCall(d).name);
      if (decorators.some((d) => d === 'Parent' || d === 'Root')) resolver.parentParameter = parameter;
      if (decorators.some((d) => d === 'Context' || d === 'Ctx')) resolver.contextParameter = parameter;
    }
    return resolver;
  }
  return undefined;
}

/** `@Resolver(() => Post)`, `@Resolver(of => Post)`, `@Resolver('Post')`, `@Resolver(Post)`. */
function resolverClassType(owner: ts.ClassLikeDeclaration): string | undefined {
  for (const decorator of ts.getDecorators(owner) ?? []) {
    const { name, args } = decoratorCall(decorator);
    if (name !== 'Resolver') continue;
    const first = args[0];
    if (!first) return undefined;
    if (ts.isArrowFunction(first) || ts.isFunctionExpression(first)) {
      const body = ts.isArrowFunction(first) && !ts.isBlock(first.body) ? first.body : undefined;
      return stringOrIdentifier(body);
    }
    return stringOrIdentifier(first);
  }
  return undefined;
}

function decoratorCall(decorator: ts.Decorator): { name: string | undefined; args: readonly ts.Expression[] } {
  const expression = decorator.expression;
  const callee = ts.isCallExpression(expression) ? expression.expression : expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return { name, args: ts.isCallExpression(expression) ? expression.arguments : [] };
}
