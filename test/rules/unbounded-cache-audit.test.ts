import rule from '../../server/src/rules/unbounded-cache';
import { runRuleTests } from '../ruleTester';

// One case per false-positive class found while auditing real code bases (NestJS and
// Angular services, ORM and model decorators, GraphQL servers, language servers), and
// the true positives that must stay reported. The code is written for these tests in
// the shape the audit found, not copied.

const nest = { 'src/nest.d.ts': `declare module '@nestjs/common' {\n  export function Injectable(options?: object): ClassDecorator;\n}\n` };

runRuleTests(rule, {
  valid: [
    {
      name: 'registration: a provider that collects what plugins register (keys come from code)',
      files: nest,
      code: `import { Injectable } from '@nestjs/common';\ninterface Widget { id: string; title: string }\n@Injectable()\nexport class WidgetRegistryService {\n  private readonly widgets = new Map<string, Widget[]>();\n  registerWidget(location: string, widget: Widget) {\n    if (!this.widgets.has(location)) this.widgets.set(location, []);\n    this.widgets.get(location)!.push(widget);\n  }\n  widgetsFor(location: string) { return this.widgets.get(location) ?? []; }\n}\n`,
    },
    {
      name: 'registration: a static registry filled by a register function and read by fixed names',
      code: `type Factory = (input: unknown) => unknown;\nexport class Builder {\n  private static builderRegistry: Record<string, Factory> = {};\n  static registerBuilder(name: string, factory: Factory) { Builder.builderRegistry[name] = factory; }\n  select(input: unknown) { return Builder.builderRegistry['select']!(input); }\n}\n`,
    },
    {
      name: 'decorator metadata: a property decorator records fields per class',
      code: `const fieldsByClass = new Map<string, string[]>();\nexport function getFields(model: { name: string }) { return fieldsByClass.get(model.name) ?? []; }\nexport const Field = (target: object, propertyKey: string) => {\n  const className = target.constructor.name;\n  const existing = fieldsByClass.get(className) ?? [];\n  fieldsByClass.set(className, [...existing, propertyKey]);\n};\n`,
    },
    {
      name: 'decorator metadata: a decorator factory keyed by the entity class',
      code: `interface ColumnConfig { name: string; nullable: boolean }\nconst moneyColumns = new Map<unknown, ColumnConfig[]>();\nexport function Money(options: { nullable?: boolean } = {}) {\n  return (entity: object, propertyName: string) => {\n    const columns = moneyColumns.get(entity);\n    const entry = { name: propertyName, nullable: options.nullable ?? false };\n    if (columns) columns.push(entry);\n    else moneyColumns.set(entity, [entry]);\n  };\n}\n`,
    },
    {
      name: 'filled and then read back while building modules: set-then-get is not memoisation',
      code: `const moduleClasses: { [name: string]: object } = {};\nexport function createModules(plugins: { name: string }[]) {\n  return plugins.map((plugin) => {\n    const className = plugin.name + 'ApiModule';\n    moduleClasses[className] = class {};\n    return { module: moduleClasses[className] };\n  });\n}\n`,
    },
    {
      name: 'a warn-once set keyed by component names',
      code: `const warnedComponents = new Set<string>();\nexport function resolveComponent(id: string, known: ReadonlyMap<string, () => void>) {\n  const component = known.get(id);\n  if (!component && !warnedComponents.has(id)) {\n    warnedComponents.add(id);\n    console.warn(\`Component "\${id}" not found\`);\n  }\n  return component;\n}\n`,
    },
    {
      name: 'keys computed from a parameter of a finite type (a locale of a fixed list)',
      code: `const locales = { en_US: 1, de_DE: 2, fr_FR: 3 };\nconst separators = new Map<string, string>();\nexport function separatorOf(language?: keyof typeof locales | null): string {\n  const tag = language ? language.replace('_', '-') : 'en-US';\n  let separator = separators.get(tag);\n  if (separator !== undefined) return separator;\n  separator = new Intl.DateTimeFormat(tag).format(0).includes(',') ? ', ' : ' ';\n  separators.set(tag, separator);\n  return separator;\n}\n`,
    },
    {
      name: 'keys of a type parameter constrained to keyof: one entry per known key',
      code: `interface RegistryContents { theme: string; locale: string; routes: string[] }\ntype RegistryKey = keyof RegistryContents;\nclass GlobalRegistry {\n  private static instance: GlobalRegistry;\n  private registry = new Map<string, unknown>();\n  update<K extends RegistryKey>(key: K, updater: (old: RegistryContents[K] | undefined) => RegistryContents[K]) {\n    const old = this.registry.get(key) as RegistryContents[K] | undefined;\n    this.registry.set(key, updater(old));\n  }\n  static get(): GlobalRegistry { return (GlobalRegistry.instance ??= new GlobalRegistry()); }\n}\nexport const registry = GlobalRegistry.get();\n`,
    },
    {
      name: 'named like a cache but never looked up by key (a test hook fills it, a loop scans it)',
      code: `const directoryCache = new Map<string, Record<string, unknown>>();\nexport function __setDirectoryCache(suffix: string, modules: Record<string, unknown>) { directoryCache.set(suffix, modules); }\nexport function modulesIn(dir: string) {\n  for (const [suffix, modules] of directoryCache) if (dir.endsWith(suffix)) return Object.keys(modules);\n  return [];\n}\n`,
    },
    {
      name: 'a test-helper package lives for one test run',
      files: { 'packages/catalog-test-utils/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }) },
      filename: 'packages/catalog-test-utils/src/id-map.ts',
      code: `class IdMap {\n  private ids: Record<string, string> = {};\n  getId(key: string) {\n    if (this.ids[key]) return this.ids[key]!;\n    const id = Math.random().toString(36).slice(2);\n    this.ids[key] = id;\n    return id;\n  }\n}\nexport default new IdMap();\n`,
    },
    {
      name: 'GraphQL types made while the schema is built, keyed by names from the schema definition',
      files: { 'src/graphql.d.ts': `declare module 'graphql' {\n  export class GraphQLScalarType { constructor(config: { name: string }); readonly name: string }\n}\n` },
      code: `import { GraphQLScalarType } from 'graphql';\nconst urlTypes: Record<string, GraphQLScalarType> = {};\nexport function urlTypeOf(base: GraphQLScalarType): GraphQLScalarType {\n  const existing = urlTypes[base.name];\n  if (existing) return existing;\n  const created = new GraphQLScalarType({ name: \`\${base.name}Url\` });\n  urlTypes[base.name] = created;\n  return created;\n}\n`,
    },
    {
      name: 'a multiton: one instance of the class per name the code asks for',
      code: `export class LogFile {\n  private static instances: Map<string, LogFile> = new Map();\n  private constructor(readonly fileName: string) {}\n  static open(fileName: string): LogFile {\n    if (LogFile.instances.has(fileName)) return LogFile.instances.get(fileName)!;\n    const file = new LogFile(fileName);\n    LogFile.instances.set(fileName, file);\n    return file;\n  }\n}\n`,
    },
    {
      name: 'a language server keeps per-document state until the document closes',
      code: `interface Events { onDidClose(listener: (e: { uri: string }) => void): void }\ndeclare const documents: Events;\ninterface Parsed { version: number }\nconst parsed = new Map<string, Parsed>();\nexport function parsedOf(uri: string, version: number): Parsed {\n  const hit = parsed.get(uri);\n  if (hit && hit.version === version) return hit;\n  const fresh = { version };\n  parsed.set(uri, fresh);\n  return fresh;\n}\ndocuments.onDidClose((e) => parsed.delete(e.uri));\n`,
    },
    {
      name: 'an eviction through another reference to the field',
      files: nest,
      code: `import { Injectable } from '@nestjs/common';\ndeclare function load(id: string): Promise<string>;\n@Injectable()\nexport class NameService {\n  nameCache = new Map<string, string>();\n  async nameOf(id: string) {\n    const hit = this.nameCache.get(id);\n    if (hit !== undefined) return hit;\n    const name = await load(id);\n    this.nameCache.set(id, name);\n    return name;\n  }\n}\nexport function resetNames(service: NameService) { service.nameCache.clear(); }\n`,
    },
  ],
  invalid: [
    {
      name: 'tests are checked when checkTests is on',
      files: { 'packages/catalog-test-utils/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }) },
      options: { checkTests: true },
      filename: 'packages/catalog-test-utils/src/id-map.ts',
      code: `class IdMap {\n  private ids: Record<string, string> = {};\n  getId(key: string) {\n    if (this.ids[key]) return this.ids[key]!;\n    const id = Math.random().toString(36).slice(2);\n    this.ids[key] = id;\n    return id;\n  }\n}\nexport default new IdMap();\n`,
      errors: [{ messageId: 'neverEvicted', line: 2 }],
    },
    {
      name: 'true positive from the audit: an importer service remembers every asset path it ever saw',
      files: nest,
      code: `import { Injectable } from '@nestjs/common';\ninterface Asset { id: string; source: string }\ndeclare function createAsset(path: string): Promise<Asset>;\n@Injectable()\nexport class AssetImporter {\n  private assetMap = new Map<string, Asset>();\n  async getAssets(paths: string[]) {\n    const assets: Asset[] = [];\n    for (const path of new Set(paths)) {\n      const cached = this.assetMap.get(path);\n      if (cached) {\n        assets.push(cached);\n      } else {\n        const asset = await createAsset(path);\n        this.assetMap.set(path, asset);\n        assets.push(asset);\n      }\n    }\n    return assets;\n  }\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 6 }],
    },
    {
      name: 'true positive from the audit: parsed GraphQL documents keyed by the query text of each request',
      code: `interface DocumentNode { kind: 'Document' }\ndeclare function parse(query: string): DocumentNode;\nconst queryCache = new Map<string, DocumentNode>();\nconst parseQuery = (query: string): DocumentNode => {\n  const cached = queryCache.get(query);\n  if (cached) return cached;\n  const document = parse(query);\n  queryCache.set(query, document);\n  return document;\n};\nexport async function execute(payload: { query: string }) { return parseQuery(payload.query); }\n`,
      errors: [{ messageId: 'neverEvicted', line: 3 }],
    },
    {
      name: 'a register function that runs per request is still registration, but a get-then-set elsewhere is not',
      code: `const sessions = new Map<string, { user: string }>();\nexport function registerSession(id: string, user: string) { sessions.set(id, { user }); }\nexport function sessionOf(id: string) {\n  let session = sessions.get(id);\n  if (!session) { session = { user: 'anonymous' }; sessions.set(id, session); }\n  return session;\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 1 }],
    },
    {
      name: 'Date#getTime() on a stored date is not an expiry check',
      code: `const intervals = new Map<string, number>();\nexport function intervalOf(id: string, next: () => Date, after: () => Date): number {\n  const cached = intervals.get(id);\n  if (cached) return cached;\n  const ms = after().getTime() - next().getTime();\n  intervals.set(id, ms);\n  return ms;\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 1 }],
    },
    {
      name: 'a decorator-like signature elsewhere does not hide a cache: (entity, id) is not (target, propertyKey)',
      code: `interface Entity { id: string }\nconst entityCache = new Map<string, Entity>();\nexport function remember(entity: Entity, id: string) {\n  if (entityCache.has(id)) return entityCache.get(id)!;\n  entityCache.set(id, entity);\n  return entity;\n}\n`,
      errors: [{ messageId: 'neverEvicted', line: 2 }],
    },
  ],
});
