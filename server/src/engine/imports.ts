import { ts } from 'ts-morph';
import type { ProjectFacts } from './projectFacts';

// Import tracing without the type checker: which local names come from which module.
// Works on a bare checkout with no node_modules, which is where the CLI often runs.

export interface ImportBinding {
  /** The module specifier as written: 'axios', './clients/http'. */
  module: string;
  /** 'default', '*' (namespace or `import x = require()`), or the exported name. */
  imported: string;
  /** The local name in this file. */
  local: string;
  declaration: ts.Node;
}

/** Local name → binding, for ES imports, `import x = require()` and top-level `const x = require()`. */
export function importBindings(facts: ProjectFacts, sourceFile: ts.SourceFile): ReadonlyMap<string, ImportBinding> {
  return facts.perFile(sourceFile, 'imports', () => collectImportBindings(sourceFile));
}

export function collectImportBindings(sourceFile: ts.SourceFile): Map<string, ImportBinding> {
  const bindings = new Map<string, ImportBinding>();
  const add = (local: string, module: string, imported: string, declaration: ts.Node) =>
    bindings.set(local, { local, module, imported, declaration });
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) add(clause.name.text, module, 'default', clause);
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) add(named.name.text, module, '*', named);
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) add(element.name.text, module, (element.propertyName ?? element.name).text, element);
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const expression = statement.moduleReference.expression;
      if (ts.isStringLiteral(expression)) add(statement.name.text, expression.text, '*', statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const module = requiredModule(declaration.initializer);
        if (module === undefined) continue;
        if (ts.isIdentifier(declaration.name)) add(declaration.name.text, module, '*', declaration);
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name)) continue;
            const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
            add(element.name.text, module, imported, element);
          }
        }
      }
    }
  }
  return bindings;
}

/** `require('x')` or `require('x').y` → 'x'. */
function requiredModule(expression: ts.Expression | undefined): string | undefined {
  let current = expression;
  while (current && ts.isPropertyAccessExpression(current)) current = current.expression;
  if (!current || !ts.isCallExpression(current)) return undefined;
  const [argument] = current.arguments;
  const isRequire = ts.isIdentifier(current.expression) && current.expression.text === 'require';
  return isRequire && argument && ts.isStringLiteral(argument) ? argument.text : undefined;
}

/** `@types/pg` → `pg`, `@types/babel__core` → `@babel/core`: the package a types package describes; other names unchanged. */
export function describedPackage(name: string): string {
  return name.startsWith('@types/') ? name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2') : name;
}

/** The package a specifier names: '@scope/pkg/sub' → '@scope/pkg', 'node:http' → 'http'. */
export function packageName(specifier: string): string {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  // Slices, not split and join: rules ask this of every import binding they trace.
  const first = bare.indexOf('/');
  if (first < 0) return bare;
  if (!bare.startsWith('@')) return bare.slice(0, first);
  const second = bare.indexOf('/', first + 1);
  return second < 0 ? bare : bare.slice(0, second);
}

export function isRelativeSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/');
}

/**
 * The relative module specifiers a file's text imports, re-exports or requires (`./x`,
 * `../y/z`, `..`), read with a regular expression instead of parsing or `ts.preProcessFile`
 * (about 20 times slower). An import inside a comment or string adds an edge: fine for
 * walks that steer work (the scan order) or widen a search (the start-up files looked
 * through for a default timeout), not where a finding needs the exact graph.
 */
export function relativeSpecifiersIn(text: string): string[] {
  return specifiersMatching(text, RELATIVE_SPECIFIER);
}

/** Every module specifier in `text`, packages and aliases too, read the same way. */
export function moduleSpecifiersIn(text: string): string[] {
  return specifiersMatching(text, MODULE_SPECIFIER);
}

function specifiersMatching(text: string, pattern: RegExp): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

const RELATIVE_SPECIFIER = /\b(?:from|import|require)\s*\(?\s*['"](\.{1,2}(?:\/[^'"\n]*)?)['"]/g;
const MODULE_SPECIFIER = /\b(?:from|import|require)\s*\(?\s*['"]([^'"\n]+)['"]/g;

/**
 * Follows a relative import to the declaration it names in another project file (through
 * `export { x } from`, `export * from`, `export * as ns from`, re-exported imports and
 * default exports), up to a few hops. A name that stands for a whole module (`import * as`,
 * or a re-exported namespace) resolves to that module's source file.
 */
export function resolveImportedDeclaration(
  facts: ProjectFacts,
  fromFile: ts.SourceFile,
  binding: ImportBinding,
  /** Also accept an exported interface or type alias when the name has no value declaration (a type reference). */
  options: { types?: boolean } = {},
): Declaration | undefined {
  const file = facts.resolveModule(fromFile.fileName, binding.module);
  return file && resolveExport(facts, file, binding.imported, options.types === true, 0);
}

/** What a module exports under a name, followed as resolveImportedDeclaration follows it. */
export function resolveExportOf(facts: ProjectFacts, file: ts.SourceFile, name: string, options: { types?: boolean } = {}): Declaration | undefined {
  return resolveExport(facts, file, name, options.types === true, 0);
}

interface Declaration {
  sourceFile: ts.SourceFile;
  node: ts.Node;
}

const MAX_EXPORT_HOPS = 8;

/** `visited` (file and name): barrels reach the same module along several paths; each is looked into once. */
function resolveExport(facts: ProjectFacts, file: ts.SourceFile, name: string, types: boolean, hops: number, visited = new Set<string>()): Declaration | undefined {
  if (name === '*') return { sourceFile: file, node: file };
  visited.add(`${file.fileName}\0${name}`);
  const found = findExport(file, name, types);
  if (!found) return undefined;
  if ('node' in found) return { sourceFile: file, node: found.node };
  if (hops >= MAX_EXPORT_HOPS) return undefined;
  // A barrel's `export * from` modules, in order: the first that exports the name, as
  // TypeScript resolves it (it reports a second one as a conflict) and as CommonJS runs it.
  // A barrel of many modules is asked through its index of names instead (see starExports).
  const modules = found.modules.length > STAR_INDEX_FROM ? indexedModule(facts, file, found.name) : found.modules;
  for (const module of modules) {
    const next = facts.resolveModule(file.fileName, module);
    const declaration = next && !visited.has(`${next.fileName}\0${found.name}`) ? resolveExport(facts, next, found.name, types, hops + 1, visited) : undefined;
    if (declaration) return declaration;
  }
  return undefined;
}

/** Barrels with more `export *` modules than this are looked up through their index of names. */
const STAR_INDEX_FROM = 8;

/** The `export *` module of a barrel that provides `name`: none, or the first that does. */
function indexedModule(facts: ProjectFacts, barrel: ts.SourceFile, name: string): readonly string[] {
  const module = facts.acrossFiles(`star-exports:${barrel.fileName}`, () => starExports(facts, barrel, new Map()), barrel).get(name);
  return module === undefined ? [] : [module];
}

/**
 * Every name a barrel's `export *` modules provide, with the first module providing it. A
 * package's index re-exports hundreds of modules, and every imported name was looked for in
 * them one by one (medusa's utils: a third of the scan); built once, each lookup is one step.
 */
function starExports(facts: ProjectFacts, barrel: ts.SourceFile, built: Map<ts.SourceFile, Map<string, string>>): Map<string, string> {
  // Each barrel once per build: nested barrels are reached along many paths, and a cycle
  // (`export * from './index'` in a module the index re-exports) meets the one being built.
  const known = built.get(barrel);
  if (known) return known;
  const index = new Map<string, string>();
  built.set(barrel, index);
  for (const module of starModulesOf(barrel)) {
    const next = facts.resolveModule(barrel.fileName, module);
    if (!next || next === barrel) continue;
    for (const name of [...ownExportNames(next), ...starExports(facts, next, built).keys()]) {
      if (!index.has(name)) index.set(name, module);
    }
  }
  return index;
}

function starModulesOf(sourceFile: ts.SourceFile): string[] {
  const modules: string[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isExportDeclaration(statement) && !statement.exportClause && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) modules.push(statement.moduleSpecifier.text);
  }
  return modules;
}

/** The names a module exports itself or re-exports by name (`export *` aside); `export *` never passes on `default`. */
function ownExportNames(sourceFile: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamespaceExport(clause)) names.push(clause.name.text);
      if (clause && ts.isNamedExports(clause)) for (const element of clause.elements) names.push(element.name.text);
    } else if (isExported(statement) && declaredName(statement, true) !== 'default') {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
      } else {
        const named = statement as ts.Statement & { name?: ts.Node };
        if (named.name && ts.isIdentifier(named.name)) names.push(named.name.text);
      }
    }
  }
  return names;
}

/** Where a file's export of a name is: declared in the file, or re-exported from one of `modules`. */
type ExportLookup = { node: ts.Node } | { modules: readonly string[]; name: string };

/** Lookups by file, name and kind: barrel files are asked for name after name, by every file that imports through them. */
const exportLookups = new WeakMap<ts.SourceFile, Map<string, ExportLookup | undefined>>();

function findExport(sourceFile: ts.SourceFile, name: string, types: boolean): ExportLookup | undefined {
  let lookups = exportLookups.get(sourceFile);
  if (!lookups) exportLookups.set(sourceFile, (lookups = new Map()));
  const key = types ? `type:${name}` : name;
  if (!lookups.has(key)) lookups.set(key, scanExports(sourceFile, name, types));
  return lookups.get(key);
}

function scanExports(sourceFile: ts.SourceFile, name: string, types: boolean): ExportLookup | undefined {
  let typeDeclaration: ts.Node | undefined;
  for (const statement of sourceFile.statements) {
    if (ts.isExportDeclaration(statement)) {
      const module = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (clause && ts.isNamespaceExport(clause) && module && clause.name.text === name) return { modules: [module], name: '*' };
      if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          if (element.name.text !== name) continue;
          const original = (element.propertyName ?? element.name).text;
          if (module) return { modules: [module], name: original };
          const local = findLocalDeclaration(sourceFile, original);
          return local ? { node: local } : reexportedImport(sourceFile, original);
        }
      }
    } else if (ts.isExportAssignment(statement) && name === 'default') {
      const expression = statement.expression;
      return (ts.isIdentifier(expression) ? reexportedImport(sourceFile, expression.text) : undefined) ?? { node: expression };
    } else if (isExported(statement)) {
      if (ts.isVariableStatement(statement)) {
        const declaration = variableDeclaration(statement, name);
        if (declaration) return { node: declaration };
      } else if (declaredName(statement, name === 'default') === name) {
        return { node: statement };
      } else if (types && !typeDeclaration && (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name.text === name) {
        // A value of the same name (declaration merging) wins: it is what a value import means.
        typeDeclaration = statement;
      }
    }
  }
  if (typeDeclaration) return { node: typeDeclaration };
  const starModules = starModulesOf(sourceFile);
  return starModules.length > 0 ? { modules: starModules, name } : undefined;
}

/** `import { get } from './http'; export { get }` (or `export default get`): the export is the import's. */
function reexportedImport(sourceFile: ts.SourceFile, local: string): ExportLookup | undefined {
  const imported = collectImportBindings(sourceFile).get(local);
  return imported && { modules: [imported.module], name: imported.imported };
}

/** A top-level declaration of `name` in the file (function, class, variable, enum). */
export function findLocalDeclaration(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      const declaration = variableDeclaration(statement, name);
      if (declaration) return declaration;
    } else if (declaredName(statement, false) === name) {
      return statement;
    }
  }
  return undefined;
}

function variableDeclaration(statement: ts.VariableStatement, name: string): ts.VariableDeclaration | undefined {
  return statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
}

function declaredName(statement: ts.Statement, asDefault: boolean): string | undefined {
  const isDefault = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  if (asDefault && isDefault) return 'default';
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) return statement.name?.text;
  if (ts.isVariableStatement(statement)) {
    const first = statement.declarationList.declarations[0];
    return first && ts.isIdentifier(first.name) ? first.name.text : undefined;
  }
  return undefined;
}

export function isExported(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}
