import * as path from 'node:path';
import { ts } from 'ts-morph';
import { rangeOfNode, rangeOfOffsets } from '../engine/analyzer';
import type { Range } from '../engine/findings';
import { collectImportBindings, isRelativeSpecifier, packageName, type ImportBinding } from '../engine/imports';
import type { CodeKind, EdgeKind, ResourceKind } from './model';
import { describeTarget, isRelativeUrl, remoteTargetOf, type RemoteTarget } from './remoteTargets';
import { edgeKindFor, INJECTING_DECORATORS, resourceOfImport, ROUTER_PACKAGES, type PackageResource } from './resources';
import { injectableRole, isPlumbingName, roleFromDecorators, roleFromName } from './roles';
import { countResolverFields, isResolverMap } from './resolverMaps';
import { routeOfCall, routeOfDecorator } from './routes';

// What one file says about the architecture, from its syntax alone: the candidates for
// nodes (classes, the module itself, GraphQL resolver maps), and every use they make of
// imports, other declarations and external resources. Cross-file meaning is added later by
// extract.ts, so this result depends on this file only and is memoised per parsed file.

export interface Candidate {
  key: string;
  name: string;
  /** Role named by decorators, names or routes; undefined: a node only if it uses a resource. */
  kind: CodeKind | undefined;
  /** Never a node (Nest modules, guards, …): its uses count for the file's module instead. */
  plumbing: boolean;
  start: number;
  end: number;
  range: Range;
  detail?: string;
}

export interface ResourceRef {
  key: string;
  kind: ResourceKind;
  label: string;
  detail?: string;
  edge: EdgeKind;
  edgeLabel?: string;
}

export type UseTarget =
  | { type: 'import'; local: string }
  | { type: 'local'; name: string }
  | { type: 'resource'; ref: ResourceRef }
  | { type: 'alias'; name: string };

export interface Use {
  container: string;
  via: 'injects' | 'calls';
  target: UseTarget;
  range: Range;
}

/** What a top-level variable stands for when another file imports it. */
export type VariableMeaning = { resources: ResourceRef[] } | { instanceOf: UseTarget } | { module: true };

export interface FileFacts {
  moduleKey: string;
  candidates: Candidate[];
  uses: Use[];
  imports: Map<string, ImportBinding>;
  /** Top-level class name → its candidate key. */
  classes: Map<string, string>;
  variables: Map<string, VariableMeaning>;
  /** Object-literal properties `name: new X()` (Apollo context, dataSources): name → what X is. */
  constructedProps: Map<string, UseTarget>;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'fetch']);
const FETCH_PACKAGES = new Set(['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch']);
const CONTEXT_NAMES = new Set(['context', 'ctx', 'contextValue']);
const REST_DATA_SOURCE = new Set(['RESTDataSource']);
const MODULE_SUFFIX = '#module';
const GRAPHQL_OPERATIONS: Record<string, string> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription', ResolveField: 'field' };

/** A class-level property (`this.x`) or a variable that holds a client. */
type CreatedHolder = { resource: ResourceRef } | { http: RemoteTarget | undefined };
type Holder = CreatedHolder | { injected: UseTarget };

export function fileFactsOf(sourceFile: ts.SourceFile): FileFacts {
  return new FileScanner(sourceFile).scan();
}

class FileScanner {
  private readonly file: string;
  private readonly moduleKey: string;
  private readonly imports: Map<string, ImportBinding>;
  private readonly facts: FileFacts;
  private readonly topLevel = new Set<string>();
  private readonly variableHolders = new Map<string, Holder>();
  private readonly classHolders = new Map<ts.ClassLikeDeclaration, Map<string, Holder>>();
  private readonly restBases = new Map<ts.ClassLikeDeclaration, RemoteTarget | undefined>();
  private readonly routesByContainer = new Map<string, string[]>();
  private readonly packages = new Set<string>();

  constructor(private readonly sourceFile: ts.SourceFile) {
    this.file = sourceFile.fileName;
    this.moduleKey = this.file + MODULE_SUFFIX;
    this.imports = collectImportBindings(sourceFile);
    for (const binding of this.imports.values()) if (!isRelativeSpecifier(binding.module)) this.packages.add(packageName(binding.module));
    this.facts = { moduleKey: this.moduleKey, candidates: [], uses: [], imports: this.imports, classes: new Map(), variables: new Map(), constructedProps: new Map() };
  }

  scan(): FileFacts {
    this.collectTopLevel();
    this.walkFile();
    this.facts.candidates.push(this.moduleCandidate());
    this.applyRouteDetails();
    this.facts.uses = dropUnnamedWhenNamed(this.facts.uses);
    return this.facts;
  }

  // ---- top level -------------------------------------------------------------------

  private collectTopLevel(): void {
    for (const statement of this.sourceFile.statements) {
      if (ts.isClassDeclaration(statement) && statement.name) {
        this.topLevel.add(statement.name.text);
        this.addClassCandidate(statement, statement.name.text);
      } else if (ts.isFunctionDeclaration(statement) && statement.name) {
        this.topLevel.add(statement.name.text);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name)) continue;
          this.topLevel.add(declaration.name.text);
          this.facts.variables.set(declaration.name.text, this.variableMeaning(declaration.initializer));
        }
      }
    }
  }

  private variableMeaning(initializer: ts.Expression | undefined): VariableMeaning {
    const init = initializer && skipAwait(initializer);
    if (!init) return { module: true };
    const holder = this.holderOfCreation(init);
    if (holder) return { resources: [this.refOfHolder(holder)] };
    if (ts.isNewExpression(init) && ts.isIdentifier(init.expression)) {
      const target = this.targetOfName(init.expression.text);
      if (target && target.type !== 'resource') return { instanceOf: target };
    }
    return { module: true };
  }

  private addClassCandidate(node: ts.ClassDeclaration, name: string): void {
    const decorators = decoratorNames(node);
    const restBase = this.restDataSourceBase(node);
    let kind: CodeKind | undefined = roleFromDecorators(decorators);
    if (!kind && restBase) kind = 'client';
    if (!kind && decorators.includes('Injectable')) kind = injectableRole(name);
    const plumbing = isPlumbingName(name) && !roleFromDecorators(decorators);
    if (!kind && !plumbing) kind = roleFromName(name);
    const key = `${this.file}#class:${name}`;
    this.facts.classes.set(name, key);
    this.facts.candidates.push({ key, name, kind, plumbing, start: node.getStart(this.sourceFile), end: node.getEnd(), range: rangeOfNode(this.sourceFile, node) });
  }

  /** The base URL of an Apollo RESTDataSource subclass (its `baseURL` property). */
  private restDataSourceBase(node: ts.ClassLikeDeclaration): RemoteTarget | undefined {
    const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!base || !ts.isIdentifier(base) || !REST_DATA_SOURCE.has(this.imports.get(base.text)?.imported ?? '')) return undefined;
    let target: RemoteTarget | undefined;
    for (const member of node.members) {
      if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === 'baseURL') target = remoteTargetOf(member.initializer);
    }
    this.restBases.set(node, target);
    return target ?? { configKey: '' };
  }

  private moduleCandidate(): Candidate {
    const base = path.basename(this.file).replace(/\.[cm]?tsx?$/, '');
    const routes = this.routesByContainer.get(this.moduleKey);
    const hasFunctions = this.sourceFile.statements.some((s) => ts.isFunctionDeclaration(s) || (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => d.initializer && isFunctionLike(d.initializer))));
    // The file name describes what the file holds: when a class or resolver map in it already
    // has that role (OrdersService in orders.service.ts, the map in resolvers.ts), functions
    // next to it are its helpers (the loaders the DataLoader quick fix writes), not a second node.
    const named = hasFunctions ? roleFromName(base) : undefined;
    const kind: CodeKind | undefined = routes ? 'controller' : named && !this.facts.candidates.some((c) => c.kind === named) ? named : undefined;
    return { key: this.moduleKey, name: base, kind, plumbing: false, start: 0, end: this.sourceFile.getEnd(), range: rangeOfOffsets(this.sourceFile, 0, this.sourceFile.getEnd()) };
  }

  private applyRouteDetails(): void {
    for (const candidate of this.facts.candidates) {
      const routes = this.routesByContainer.get(candidate.key);
      if (routes && routes.length > 0) candidate.detail = candidate.kind === 'resolver' ? countOperations(routes) : summarise(routes);
    }
  }

  // ---- the walk --------------------------------------------------------------------

  private walkFile(): void {
    const stack: { node: ts.Node; container: string }[] = [];
    for (const statement of [...this.sourceFile.statements].reverse()) stack.push({ node: statement, container: this.moduleKey });
    const children: ts.Node[] = [];
    while (stack.length > 0) {
      const { node, container: outer } = stack.pop()!;
      if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node) || ts.isTypeNode(node) || ts.isDecorator(node)) continue;
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isHeritageClause(node)) continue;
      let container = outer;
      if (ts.isClassLike(node)) container = this.enterClass(node, outer);
      else if (ts.isObjectLiteralExpression(node) && isResolverMap(node)) container = this.enterResolverMap(node);
      else if (this.isResourceInitializer(node)) continue;
      this.visit(node, container);
      if (ts.isParameter(node) && node.parent && ts.isConstructorDeclaration(node.parent)) {
        // Constructor parameters were read as injections; only their initializers remain.
        if (node.initializer) stack.push({ node: node.initializer, container });
        continue;
      }
      node.forEachChild((child) => {
        children.push(child);
      });
      while (children.length > 0) stack.push({ node: children.pop()!, container });
    }
  }

  /** A top-level `const db = new PrismaClient()` defines a resource; it is not a use by the module. */
  private isResourceInitializer(node: ts.Node): boolean {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name)) return false;
    if (!ts.isVariableDeclarationList(node.parent) || !ts.isVariableStatement(node.parent.parent) || node.parent.parent.parent !== this.sourceFile) return false;
    const meaning = this.facts.variables.get(node.name.text);
    if (meaning && 'resources' in meaning) {
      const holder = this.holderOfCreation(skipAwait(node.initializer!));
      if (holder) this.variableHolders.set(node.name.text, holder);
      // A consumer (`new Worker('emails', handler)`) is the module's own work: walk it.
      return !(holder && 'resource' in holder && holder.resource.edge === 'consumes');
    }
    return false;
  }

  private enterClass(node: ts.ClassLikeDeclaration, outer: string): string {
    const name = node.name?.text;
    const key = name && ts.isClassDeclaration(node) && node.parent === this.sourceFile ? this.facts.classes.get(name) : undefined;
    const container = key ?? outer;
    const holders = new Map<string, Holder>();
    this.classHolders.set(node, holders);
    this.readClassDecorators(node, container);
    this.readHeritage(node, container);
    for (const member of node.members) {
      if (ts.isConstructorDeclaration(member)) this.readConstructor(member, container, holders);
      else if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.initializer) {
        const holder = this.holderOfCreation(skipAwait(member.initializer));
        if (holder) holders.set(member.name.text, holder);
      } else if (ts.isMethodDeclaration(member)) this.readMethodDecorators(member, container);
    }
    return container;
  }

  private enterResolverMap(node: ts.ObjectLiteralExpression): string {
    const holder = node.parent && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
    const name = holder ?? `${path.basename(this.file).replace(/\.[cm]?tsx?$/, '')} resolvers`;
    const key = `${this.file}#map:${node.getStart(this.sourceFile)}`;
    this.facts.candidates.push({
      key, name, kind: 'resolver', plumbing: false,
      start: node.getStart(this.sourceFile), end: node.getEnd(), range: rangeOfNode(this.sourceFile, node),
      detail: countResolverFields(node),
    });
    return key;
  }

  private readClassDecorators(node: ts.ClassLikeDeclaration, container: string): void {
    for (const decorator of decoratorsOf(node)) {
      const { name, args } = decoratorCall(decorator);
      if (name === 'Processor') {
        const queue = literalText(args[0]);
        const label = this.decoratorPackageLabel(name, 'BullMQ');
        this.addUse(container, 'calls', { type: 'resource', ref: queueRef(label, queue, true) }, decorator);
      }
      if (name === 'Controller') {
        const prefix = literalText(args[0]);
        if (prefix !== undefined) this.controllerPrefix.set(container, prefix);
      }
    }
  }

  private readonly controllerPrefix = new Map<string, string>();

  private readMethodDecorators(method: ts.MethodDeclaration, container: string): void {
    for (const decorator of decoratorsOf(method)) {
      const { name, args } = decoratorCall(decorator);
      const route = routeOfDecorator(name, literalText(args[0]), this.controllerPrefix.get(container));
      if (route && this.packages.has('@nestjs/common')) this.addRoute(container, route);
      const operation = GRAPHQL_OPERATIONS[name];
      if (operation && this.packages.has('@nestjs/graphql')) this.addRoute(container, operation);
      if ((name === 'EventPattern' || name === 'MessagePattern') && this.packages.has('@nestjs/microservices')) {
        const pattern = literalText(args[0]);
        this.addUse(container, 'calls', { type: 'resource', ref: queueRef('message broker', pattern, true) }, decorator);
      }
    }
  }

  private readHeritage(node: ts.ClassLikeDeclaration, container: string): void {
    for (const clause of node.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
      for (const type of clause.types) {
        if (!ts.isIdentifier(type.expression)) continue;
        const name = type.expression.text;
        if (REST_DATA_SOURCE.has(this.imports.get(name)?.imported ?? '')) continue;
        const target = this.targetOfName(name);
        if (target) this.addUse(container, 'calls', target, type);
      }
    }
  }

  /** Constructor injection: each parameter's decorators and type name. */
  private readConstructor(ctor: ts.ConstructorDeclaration, container: string, holders: Map<string, Holder>): void {
    for (const parameter of ctor.parameters) {
      const propertyName = ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
      const isProperty = (ts.getModifiers(parameter)?.length ?? 0) > 0;
      const injected = this.injectedByDecorator(parameter) ?? this.injectedByType(parameter.type);
      if (!injected) continue;
      if ('holder' in injected) {
        if (propertyName) holders.set(propertyName, injected.holder);
        if ('resource' in injected.holder) this.addUse(container, 'injects', { type: 'resource', ref: injected.holder.resource }, parameter);
      } else {
        this.addUse(container, 'injects', injected.target, parameter);
        if (propertyName) holders.set(propertyName, { injected: injected.target });
      }
      if (propertyName && !isProperty) this.readAssignedProperties(ctor, propertyName, holders);
    }
  }

  /** `this.redis = redis` in the constructor body makes `this.redis` hold the parameter's client. */
  private readAssignedProperties(ctor: ts.ConstructorDeclaration, parameterName: string, holders: Map<string, Holder>): void {
    const holder = holders.get(parameterName);
    if (!holder) return;
    for (const statement of ctor.body?.statements ?? []) {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
      const { left, right } = statement.expression;
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(right) && right.text === parameterName) {
        holders.set(left.name.text, holder);
      }
    }
  }

  private injectedByDecorator(parameter: ts.ParameterDeclaration): { holder: Holder } | undefined {
    for (const decorator of decoratorsOf(parameter)) {
      const { name, args } = decoratorCall(decorator);
      const resource = INJECTING_DECORATORS[name];
      if (resource) {
        const label = this.decoratorPackageLabel(name, resource.label);
        if (resource.family === 'queue') return { holder: { resource: queueRef(label, literalText(args[0]), false) } };
        const entity = entityName(args[0]);
        return { holder: { resource: resourceRef({ family: resource.family, label }, entity) } };
      }
      if (name === 'Inject' && args[0] && ts.isIdentifier(args[0]) && args[0].text === 'CACHE_MANAGER') {
        return { holder: { resource: resourceRef({ family: 'cache', label: 'Cache manager' }, undefined) } };
      }
    }
    return undefined;
  }

  /** The technology a Nest decorator injects, from the package it comes from (@nestjs/bull vs bullmq). */
  private decoratorPackageLabel(decorator: string, fallback: string): string {
    const binding = this.imports.get(decorator);
    const byPackage = binding && resourceOfImport(binding.module, '*');
    return byPackage?.label ?? fallback;
  }

  private injectedByType(type: ts.TypeNode | undefined): { holder: Holder } | { target: UseTarget } | undefined {
    if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
    const name = type.typeName.text;
    const binding = this.imports.get(name);
    const resource = binding && !isRelativeSpecifier(binding.module) ? resourceOfImport(binding.module, binding.imported) : undefined;
    if (resource) {
      if (resource.family === 'http') return { holder: { http: undefined } };
      const entity = entityName(type.typeArguments?.[0]);
      return { holder: { resource: resourceRef(resource, entity) } };
    }
    const target = this.targetOfName(name);
    return target ? { target } : undefined;
  }

  // ---- per node --------------------------------------------------------------------

  private visit(node: ts.Node, container: string): void {
    if (ts.isIdentifier(node)) this.visitIdentifier(node, container);
    else if (ts.isPropertyAccessExpression(node)) this.visitPropertyAccess(node, container);
    else if (ts.isCallExpression(node)) this.visitCall(node, container);
    else if (ts.isNewExpression(node)) this.visitNew(node, container);
    else if (ts.isPropertyAssignment(node)) this.visitPropertyAssignment(node);
  }

  private visitIdentifier(identifier: ts.Identifier, container: string): void {
    if (!isReference(identifier) || isConstructorArgument(identifier)) return;
    const name = identifier.text;
    const variable = this.variableHolders.get(name);
    if (variable && this.topLevel.has(name)) {
      if ('resource' in variable) this.addUse(container, 'calls', { type: 'resource', ref: withModel(variable.resource, identifier) }, usageSite(identifier));
      return; // HTTP instances are read at their calls
    }
    const binding = this.imports.get(name);
    if (binding) {
      const resource = isRelativeSpecifier(binding.module) ? undefined : resourceOfImport(binding.module, binding.imported);
      if (!resource) {
        // Also a package name: a tsconfig `paths` alias may map it into the project (extract.ts resolves it).
        this.addUse(container, 'calls', { type: 'import', local: name }, usageSite(identifier));
        return;
      }
      if (resource.family === 'http') return;
      const consuming = isConstructedAs(identifier, 'Worker') || identifier.text === 'Consumer';
      const ref = resource.family === 'queue' ? queueRef(resource.label, queueNameOfConstruction(identifier), consuming) : resourceRef(resource, undefined);
      this.addUse(container, 'calls', { type: 'resource', ref }, usageSite(identifier));
      return;
    }
    if (this.topLevel.has(name) && !isDeclarationName(identifier)) this.addUse(container, 'calls', { type: 'local', name }, usageSite(identifier));
  }

  private visitPropertyAccess(access: ts.PropertyAccessExpression, container: string): void {
    if (access.expression.kind === ts.SyntaxKind.ThisKeyword) {
      // Each use of an injected client is a site of its edge, so findings on those calls land there.
      const holder = this.classHolderOf(access);
      if (holder && 'resource' in holder) this.addUse(container, 'calls', { type: 'resource', ref: withModel(holder.resource, access) }, usageSite(access));
      if (holder && 'injected' in holder) this.addUse(container, 'injects', holder.injected, usageSite(access));
      return;
    }
    const receiver = access.expression;
    const viaDataSources = (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'dataSources') || (ts.isIdentifier(receiver) && receiver.text === 'dataSources');
    const viaContext = ts.isIdentifier(receiver) && CONTEXT_NAMES.has(receiver.text);
    if (viaDataSources || viaContext) this.addUse(container, 'calls', { type: 'alias', name: access.name.text }, usageSite(access));
  }

  private visitCall(call: ts.CallExpression, container: string): void {
    const http = this.httpCall(call);
    if (http) {
      const target = describeTarget(http.target);
      const ref: ResourceRef = { key: target.key, kind: 'remote-api', label: target.label, edge: 'http', edgeLabel: http.method, ...(target.detail ? { detail: target.detail } : {}) };
      this.addUse(container, 'calls', { type: 'resource', ref }, call);
      return;
    }
    const route = this.usesRouter() ? routeOfCall(call) : undefined;
    if (route && !this.isHttpClientReceiver(call.expression)) {
      this.addRoute(container, route);
      return;
    }
    const message = this.messagingCall(call);
    if (message) this.addUse(container, 'calls', { type: 'resource', ref: message }, call);
  }

  private visitNew(expression: ts.NewExpression, container: string): void {
    this.visitGrpcClientConstruction(expression, container);
    if (!ts.isIdentifier(expression.expression)) return;
    const binding = this.imports.get(expression.expression.text);
    if (!binding) return;
    const pkg = packageName(binding.module);
    const input = expression.arguments?.[0];
    const commandOf = (property: string) => (input && ts.isObjectLiteralExpression(input) ? queueNameOf(propertyValue(input, property)) : undefined);
    if (pkg === '@aws-sdk/client-sqs' && /^(Send|Receive)Message(Batch)?Command$/.test(binding.imported)) {
      this.addUse(container, 'calls', { type: 'resource', ref: queueRef('SQS', commandOf('QueueUrl'), binding.imported.startsWith('Receive')) }, expression);
    } else if (pkg === '@aws-sdk/client-sns' && binding.imported === 'PublishCommand') {
      this.addUse(container, 'calls', { type: 'resource', ref: queueRef('SNS', commandOf('TopicArn'), false) }, expression);
    }
  }

  /** `new inventoryProto.InventoryService('inventory:50051', grpc.credentials.createInsecure())`. */
  private visitGrpcClientConstruction(expression: ts.NewExpression, container: string): void {
    if (!this.packages.has('@grpc/grpc-js') && !this.packages.has('grpc')) return;
    const args = expression.arguments ?? [];
    if (args.length < 2 || !ts.isPropertyAccessExpression(expression.expression)) return;
    const credentials = args[1]!.getText(this.sourceFile);
    if (!/credentials/i.test(credentials)) return;
    const service = expression.expression.name.text;
    const address = literalText(args[0]);
    const ref: ResourceRef = { key: `grpc:${service}`, kind: 'grpc', label: service, edge: 'grpc', ...(address ? { detail: address } : {}) };
    this.addUse(container, 'calls', { type: 'resource', ref }, expression);
  }

  private visitPropertyAssignment(property: ts.PropertyAssignment): void {
    if (!ts.isIdentifier(property.name) && !ts.isStringLiteral(property.name)) return;
    const value = property.initializer;
    if (!ts.isNewExpression(value) || !ts.isIdentifier(value.expression)) return;
    const holder = this.holderOfCreation(value);
    const target: UseTarget | undefined = holder && 'resource' in holder ? { type: 'resource', ref: holder.resource } : this.targetOfName(value.expression.text);
    if (target) this.facts.constructedProps.set(property.name.text, target);
  }

  // ---- HTTP ------------------------------------------------------------------------

  /** A call that sends an HTTP request, with where it goes as far as the code says. */
  private httpCall(call: ts.CallExpression): { target: RemoteTarget | undefined; method: string } | undefined {
    const callee = call.expression;
    const [first] = call.arguments;
    if (ts.isIdentifier(callee)) {
      if (!this.isFetchOrHttpFunction(callee.text)) return undefined;
      return { target: urlTarget(first, undefined), method: methodOption(call) ?? 'GET' };
    }
    if (!ts.isPropertyAccessExpression(callee) || !HTTP_METHODS.has(callee.name.text)) return undefined;
    const verb = callee.name.text;
    const method = verb === 'request' || verb === 'fetch' ? (methodOption(call) ?? 'HTTP') : verb.toUpperCase();
    const client = this.httpClientOf(callee.expression);
    if (!client) return undefined;
    return { target: urlTarget(first, client.base), method };
  }

  private isFetchOrHttpFunction(name: string): boolean {
    const binding = this.imports.get(name);
    if (!binding) return name === 'fetch' && !this.topLevel.has('fetch');
    if (isRelativeSpecifier(binding.module)) return false;
    const pkg = packageName(binding.module);
    if (FETCH_PACKAGES.has(pkg)) return binding.imported === 'fetch' || binding.imported === 'default' || binding.imported === 'request';
    return resourceOfImport(binding.module, binding.imported)?.family === 'http' && binding.imported !== 'HttpService';
  }

  /** The HTTP client an expression names, with its base URL: axios, an axios.create() instance, this.http. */
  private httpClientOf(expression: ts.Expression): { base: RemoteTarget | undefined } | undefined {
    if (ts.isIdentifier(expression)) {
      const holder = this.variableHolders.get(expression.text);
      if (holder && 'http' in holder) return { base: holder.http };
      const binding = this.imports.get(expression.text);
      if (binding && !isRelativeSpecifier(binding.module) && resourceOfImport(binding.module, binding.imported)?.family === 'http') return { base: undefined };
      return undefined;
    }
    if (expression.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = enclosingClass(expression);
      return owner && this.restBases.has(owner) ? { base: this.restBases.get(owner) } : undefined;
    }
    if (ts.isPropertyAccessExpression(expression)) {
      if (expression.name.text === 'axiosRef') return this.httpClientOf(expression.expression);
      if (expression.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
      const holder = this.classHolderOf(expression);
      return holder && 'http' in holder ? { base: holder.http } : undefined;
    }
    return undefined;
  }

  private isHttpClientReceiver(callee: ts.Expression): boolean {
    return ts.isPropertyAccessExpression(callee) && this.httpClientOf(callee.expression) !== undefined;
  }

  // ---- clients created in this file ------------------------------------------------

  /** `new Redis()`, `new PrismaClient()`, `axios.create({ baseURL })`, `new Queue('emails')`. */
  private holderOfCreation(expression: ts.Expression): CreatedHolder | undefined {
    const callee = ts.isNewExpression(expression) || ts.isCallExpression(expression) ? expression.expression : undefined;
    if (!callee) return undefined;
    const root = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
    if (!ts.isIdentifier(root)) return undefined;
    const binding = this.imports.get(root.text);
    if (!binding || isRelativeSpecifier(binding.module)) return undefined;
    const resource = resourceOfImport(binding.module, binding.imported);
    if (!resource) return undefined;
    const args = ts.isNewExpression(expression) ? (expression.arguments ?? []) : (expression as ts.CallExpression).arguments;
    if (resource.family === 'http') {
      const isFactory = ts.isPropertyAccessExpression(callee) && /^(create|extend)$/.test(callee.name.text);
      if (!isFactory) return undefined;
      const options = args[0];
      const base = options && ts.isObjectLiteralExpression(options) ? (propertyValue(options, 'baseURL') ?? propertyValue(options, 'prefixUrl') ?? propertyValue(options, 'prefix')) : undefined;
      return { http: remoteTargetOf(base) };
    }
    if (resource.family === 'queue') {
      const consuming = ts.isNewExpression(expression) && ts.isIdentifier(callee) && binding.imported === 'Worker';
      return { resource: queueRef(resource.label, ts.isNewExpression(expression) ? literalText(args[0]) : undefined, consuming) };
    }
    return { resource: resourceRef(resource, undefined) };
  }

  private classHolderOf(access: ts.PropertyAccessExpression): Holder | undefined {
    for (let owner = enclosingClass(access); owner; owner = enclosingClass(owner)) {
      const holder = this.classHolders.get(owner)?.get(access.name.text);
      if (holder) return holder;
    }
    return undefined;
  }

  // ---- messaging -------------------------------------------------------------------

  /** Topic and queue names in producer/consumer calls of the messaging libraries this file imports. */
  private messagingCall(call: ts.CallExpression): ResourceRef | undefined {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const [first] = call.arguments;
    if (this.packages.has('kafkajs') && (method === 'send' || method === 'subscribe') && first && ts.isObjectLiteralExpression(first)) {
      const topic = queueNameOf(propertyValue(first, 'topic')) ?? firstArrayName(propertyValue(first, 'topics'));
      return topic === undefined ? undefined : queueRef('Kafka', topic, method === 'subscribe');
    }
    if ((this.packages.has('amqplib') || this.packages.has('amqp-connection-manager')) && /^(sendToQueue|publish|consume)$/.test(method)) {
      const name = literalText(first);
      return name === undefined ? undefined : queueRef('RabbitMQ', name, method === 'consume');
    }
    if (this.packages.has('nats') && (method === 'publish' || method === 'subscribe')) {
      const name = literalText(first);
      return name === undefined ? undefined : queueRef('NATS', name, method === 'subscribe');
    }
    if (this.packages.has('@nestjs/microservices') && (method === 'emit' || method === 'send') && first) {
      const name = literalText(first);
      const holder = callee.expression.kind === ts.SyntaxKind.PropertyAccessExpression ? this.classHolderOf(callee.expression as ts.PropertyAccessExpression) : undefined;
      if (name !== undefined && holder && 'resource' in holder && holder.resource.kind === 'queue') return queueRef(holder.resource.detail ?? holder.resource.label, name, false);
    }
    if (this.packages.has('@nestjs/microservices') && method === 'getService') {
      const name = literalText(first);
      if (name !== undefined) return { key: `grpc:${name}`, kind: 'grpc', label: name, edge: 'grpc' };
    }
    if (this.packages.has('sqs-consumer') && method === 'create' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Consumer' && first && ts.isObjectLiteralExpression(first)) {
      return queueRef('SQS', queueNameOf(propertyValue(first, 'queueUrl')), true);
    }
    return undefined;
  }

  // ---- helpers ---------------------------------------------------------------------

  private usesRouter(): boolean {
    for (const pkg of ROUTER_PACKAGES) if (this.packages.has(pkg)) return true;
    return false;
  }

  private addRoute(container: string, route: string): void {
    const routes = this.routesByContainer.get(container) ?? [];
    routes.push(route);
    this.routesByContainer.set(container, routes);
  }

  /** What a name declared or imported in this file refers to, for injections and instances. */
  private targetOfName(name: string): UseTarget | undefined {
    const binding = this.imports.get(name);
    if (binding) {
      const resource = isRelativeSpecifier(binding.module) ? undefined : resourceOfImport(binding.module, binding.imported);
      if (!resource) return { type: 'import', local: name }; // relative, or a `paths` alias extract.ts may resolve into the project
      return resource.family !== 'http' ? { type: 'resource', ref: resourceRef(resource, undefined) } : undefined;
    }
    return this.topLevel.has(name) ? { type: 'local', name } : undefined;
  }

  private refOfHolder(holder: CreatedHolder): ResourceRef {
    if ('resource' in holder) return holder.resource;
    const target = describeTarget(holder.http);
    return { key: target.key, kind: 'remote-api', label: target.label, edge: 'http', ...(target.detail ? { detail: target.detail } : {}) };
  }

  private addUse(container: string, via: Use['via'], target: UseTarget, node: ts.Node): void {
    this.facts.uses.push({ container, via, target, range: rangeOfNode(this.sourceFile, node) });
  }
}

// ---- resource references ---------------------------------------------------------------

export function resourceRef(resource: PackageResource, edgeLabel: string | undefined): ResourceRef {
  const kind: ResourceKind = resource.family === 'http' ? 'remote-api' : resource.family;
  return { key: `${kind}:${resource.label}`, kind, label: resource.label, edge: edgeKindFor(resource.family, false), ...(edgeLabel ? { edgeLabel } : {}) };
}

/** A queue or topic: named ones are their own node ('emails', BullMQ); unnamed ones the technology. */
function queueRef(technology: string, name: string | undefined, consuming: boolean): ResourceRef {
  const base = { kind: 'queue' as const, edge: edgeKindFor('queue', consuming) };
  return name ? { ...base, key: `queue:${technology}:${name}`, label: name, detail: technology } : { ...base, key: `queue:${technology}`, label: technology };
}

/** A Prisma model (`prisma.order.findMany`) names what the edge to the database carries. */
function withModel(ref: ResourceRef, holderExpression: ts.Expression): ResourceRef {
  if (ref.label !== 'Prisma') return ref;
  const parent = holderExpression.parent;
  if (!parent || !ts.isPropertyAccessExpression(parent) || parent.expression !== holderExpression) return ref;
  const model = parent.name.text;
  return model.startsWith('$') ? ref : { ...ref, edgeLabel: model };
}

/** Drops a container's technology-level queue/gRPC uses when it also names the queue or service. */
function dropUnnamedWhenNamed(uses: Use[]): Use[] {
  const named = new Set<string>();
  for (const use of uses) {
    if (use.target.type === 'resource' && use.target.ref.detail && (use.target.ref.kind === 'queue' || use.target.ref.kind === 'grpc')) {
      named.add(`${use.container}|${use.target.ref.kind}:${use.target.ref.detail}`);
      named.add(`${use.container}|${use.target.ref.kind}:gRPC`);
    }
    if (use.target.type === 'resource' && use.target.ref.kind === 'grpc' && !use.target.ref.detail && use.target.ref.label !== 'gRPC') named.add(`${use.container}|grpc:gRPC`);
  }
  return uses.filter((use) => {
    if (use.target.type !== 'resource' || use.target.ref.detail) return true;
    const ref = use.target.ref;
    return !named.has(`${use.container}|${ref.kind}:${ref.label}`);
  });
}

// ---- syntax helpers --------------------------------------------------------------------

function decoratorsOf(node: ts.Node): ts.Decorator[] {
  return ts.canHaveDecorators(node) ? [...(ts.getDecorators(node) ?? [])] : [];
}

function decoratorNames(node: ts.Node): string[] {
  return decoratorsOf(node).map((d) => decoratorCall(d).name);
}

function decoratorCall(decorator: ts.Decorator): { name: string; args: readonly ts.Expression[] } {
  const expression = decorator.expression;
  if (ts.isCallExpression(expression)) {
    const callee = expression.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return { name, args: expression.arguments };
  }
  return { name: ts.isIdentifier(expression) ? expression.text : '', args: [] };
}

/** `User`, `User.name`, `() => User` → 'User'. */
function entityName(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'name' && ts.isIdentifier(node.expression)) return node.expression.text;
  if (ts.isArrowFunction(node) && ts.isIdentifier(node.body)) return node.body.text;
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) return node.typeName.text;
  return literalText(node as ts.Expression);
}

/** A string literal, or a `const` in the file initialised with one. */
export function literalText(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return expression.text;
  if (ts.isIdentifier(expression)) {
    const declaration = findConst(expression);
    return declaration?.initializer && (ts.isStringLiteral(declaration.initializer) || ts.isNoSubstitutionTemplateLiteral(declaration.initializer)) ? declaration.initializer.text : undefined;
  }
  return undefined;
}

function findConst(identifier: ts.Identifier): ts.VariableDeclaration | undefined {
  const sourceFile = identifier.getSourceFile();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === identifier.text);
    if (found) return found;
  }
  return undefined;
}

/** A queue's name from a literal or config: an SQS URL's last path segment, a config key. */
function queueNameOf(expression: ts.Expression | undefined): string | undefined {
  const text = literalText(expression);
  if (text !== undefined) return /^[a-z]+:\/\//i.test(text) ? text.replace(/\/+$/, '').split(/[/:]/).pop() : text;
  const target = remoteTargetOf(expression);
  return target && 'configKey' in target ? target.configKey : undefined;
}

function firstArrayName(expression: ts.Expression | undefined): string | undefined {
  return expression && ts.isArrayLiteralExpression(expression) ? literalText(expression.elements[0]) : undefined;
}

function queueNameOfConstruction(identifier: ts.Identifier): string | undefined {
  const parent = identifier.parent;
  if (parent && ts.isNewExpression(parent) && parent.expression === identifier) return literalText(parent.arguments?.[0]);
  return undefined;
}

/** `new ProductsDb(pool)` wires a client into a class; the class uses it, the wiring does not. */
function isConstructorArgument(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return !!parent && ts.isNewExpression(parent) && (parent.arguments?.includes(identifier) ?? false);
}

function isConstructedAs(identifier: ts.Identifier, name: string): boolean {
  return identifier.text === name && !!identifier.parent && ts.isNewExpression(identifier.parent);
}

function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

/** The `method` a call's options or request config name: `fetch(url, { method })`, `axios({ url, method })`. */
function methodOption(call: ts.CallExpression): string | undefined {
  for (const argument of call.arguments.slice(0, 2)) {
    const method = ts.isObjectLiteralExpression(argument) ? literalText(propertyValue(argument, 'method')) : undefined;
    if (method) return method.toUpperCase();
  }
  return undefined;
}

/** The call's URL argument against the client's base: absolute URLs win, relative ones use the base. */
function urlTarget(argument: ts.Expression | undefined, base: RemoteTarget | undefined): RemoteTarget | undefined {
  let url = argument;
  if (url && ts.isObjectLiteralExpression(url)) url = propertyValue(url, 'url') ?? propertyValue(url, 'baseURL');
  if (!url || isRelativeUrl(url)) return base;
  return remoteTargetOf(url) ?? base;
}

function isFunctionLike(expression: ts.Expression): boolean {
  return ts.isArrowFunction(expression) || ts.isFunctionExpression(expression);
}

function skipAwait(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
  return e;
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isClassLike(current)) return current;
  return undefined;
}

/** An identifier read as a value (not a property name, declaration name or label). */
function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isPropertySignature(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isExportSpecifier(parent) || ts.isQualifiedName(parent)) return false;
  return !isDeclarationName(identifier);
}

function isDeclarationName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return !!parent && (ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isEnumDeclaration(parent)) && (parent as { name?: ts.Node }).name === identifier;
}

/** A use's site: the whole call or member chain it starts, so a finding on that call lands on the edge. */
function usageSite(node: ts.Expression): ts.Node {
  let current: ts.Node = node;
  while (current.parent && ((ts.isPropertyAccessExpression(current.parent) && current.parent.expression === current) || (ts.isCallExpression(current.parent) && current.parent.expression === current) || (ts.isNewExpression(current.parent) && current.parent.expression === current))) {
    current = current.parent;
  }
  return current;
}

/** ['query', 'field', 'field'] → '1 query · 2 fields'. */
function countOperations(operations: string[]): string {
  const counts = new Map<string, number>();
  for (const op of operations) counts.set(op, (counts.get(op) ?? 0) + 1);
  return [...counts].map(([op, n]) => `${n} ${n === 1 ? op : op === 'query' ? 'queries' : `${op}s`}`).join(' · ');
}

function summarise(items: string[]): string {
  const unique = [...new Set(items)];
  return unique.length <= 2 ? unique.join(', ') : `${unique.slice(0, 2).join(', ')} +${unique.length - 2} more`;
}
