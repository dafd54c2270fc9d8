import { ts } from 'ts-morph';
import { insertText, lineEnding } from '../../engine/edits';
import type { TextEdit } from '../../engine/findings';

// Small text helpers the N+1 quick fixes share: fresh names, imports of packages, the
// offset where generated declarations go, and whether code can move into a new callback.

/** `base`, or `base2`, `base3`... whichever the file does not use yet. */
export function unusedName(sourceFile: ts.SourceFile, base: string): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}${n}`;
    if (!new RegExp(`\\b${candidate}\\b`).test(sourceFile.text)) return candidate;
  }
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The local name under which the named export `imported` of `module` is imported, and the
 * edit that adds it (to an existing named import of the module, or as a new import).
 */
export function ensureNamedImport(sourceFile: ts.SourceFile, module: string, imported: string): { name: string; edits: TextEdit[] } {
  const declarations = sourceFile.statements.filter(
    (s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === module,
  );
  for (const declaration of declarations) {
    const clause = declaration.importClause;
    const named = clause?.namedBindings;
    if (!clause || clause.isTypeOnly || !named || !ts.isNamedImports(named)) continue;
    const element = named.elements.find((e) => (e.propertyName ?? e.name).text === imported && !e.isTypeOnly);
    if (element) return { name: element.name.text, edits: [] };
    const last = named.elements[named.elements.length - 1];
    if (last) return { name: imported, edits: [insertText(sourceFile, last.getEnd(), `, ${imported}`)] };
  }
  return { name: imported, edits: [newImportEdit(sourceFile, `import { ${imported} } from ${quote(sourceFile)}${module}${quote(sourceFile)};`)] };
}

/**
 * The local name under which a package whose typings say `export = Value` (dataloader) is
 * imported, and the edit that adds the import when the file has none. An existing value
 * import of the package is reused when its form loads the value itself.
 */
export function ensureExportAssignmentImport(
  sourceFile: ts.SourceFile,
  module: string,
  local: string,
  options: ts.CompilerOptions,
): { name: string; edits: TextEdit[] } {
  const form = exportAssignmentImportForm(sourceFile, options);
  for (const statement of sourceFile.statements) {
    const existing = importedValueName(statement, module, form);
    if (existing) return { name: existing, edits: [] };
  }
  const name = unusedName(sourceFile, local);
  const specifier = `${quote(sourceFile)}${module}${quote(sourceFile)}`;
  const statement =
    form === 'require' ? `import ${name} = require(${specifier});` : `import ${form === 'namespace' ? `* as ${name}` : name} from ${specifier};`;
  return { name, edits: [newImportEdit(sourceFile, statement)] };
}

type ExportAssignmentImportForm = 'default' | 'require' | 'namespace';

/**
 * Which import of an `export =` module both type-checks and yields the value at run time.
 * A file compiled to CommonJS can always say `import X = require('m')`; a default import
 * is right there only when esModuleInterop emits the `__importDefault` wrapper (with
 * allowSyntheticDefaultImports alone it type-checks, then reads an undefined `.default`).
 * ESM output rejects `import = require`; its default import is the CommonJS module's value,
 * typed so unless allowSyntheticDefaultImports is off, where only `import * as` is accepted
 * (node16/nodenext type default imports of CommonJS that way whatever the flags say).
 */
function exportAssignmentImportForm(sourceFile: ts.SourceFile, options: ts.CompilerOptions): ExportAssignmentImportForm {
  const nodeModules = isNodeModuleKind(moduleKind(options));
  if (emitsCommonJs(sourceFile, options)) {
    // node16/nodenext imply esModuleInterop unless it is turned off.
    const interop = options.esModuleInterop ?? nodeModules;
    return interop ? 'default' : 'require';
  }
  return options.allowSyntheticDefaultImports === false && !nodeModules ? 'namespace' : 'default';
}

/** Whether the file compiles to CommonJS, where ESM import syntax becomes `require` calls. */
export function emitsCommonJs(sourceFile: ts.SourceFile, options: ts.CompilerOptions): boolean {
  const kind = moduleKind(options);
  if (isNodeModuleKind(kind)) return sourceFile.impliedNodeFormat === ts.ModuleKind.CommonJS;
  return kind === ts.ModuleKind.None || kind === ts.ModuleKind.CommonJS || kind === ts.ModuleKind.AMD || kind === ts.ModuleKind.UMD;
}

/** TypeScript's own default when `module` is unset: CommonJS only below an ES2015 target. */
function moduleKind(options: ts.CompilerOptions): ts.ModuleKind {
  return options.module ?? (options.target === ts.ScriptTarget.ES5 ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext);
}

/** node16, node18, node20, nodenext: each file's format follows its extension and package.json `type`. */
function isNodeModuleKind(kind: ts.ModuleKind): boolean {
  return kind >= ts.ModuleKind.Node16 && kind <= ts.ModuleKind.NodeNext;
}

/** The local name `statement` imports `module`'s value under, if it does so in a form that works under `form`. */
function importedValueName(statement: ts.Statement, module: string, form: ExportAssignmentImportForm): string | undefined {
  if (ts.isImportEqualsDeclaration(statement)) {
    const reference = statement.moduleReference;
    const matches = ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression) && reference.expression.text === module;
    return matches && !statement.isTypeOnly ? statement.name.text : undefined;
  }
  if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) return undefined;
  const clause = statement.importClause;
  if (!clause || clause.isTypeOnly) return undefined;
  if (clause.name) return clause.name.text;
  // A namespace object is only the value itself where synthetic default imports are off.
  const named = clause.namedBindings;
  return named && ts.isNamespaceImport(named) && form === 'namespace' ? named.name.text : undefined;
}

function newImportEdit(sourceFile: ts.SourceFile, statement: string): TextEdit {
  const eol = lineEnding(sourceFile);
  const imports = sourceFile.statements.filter((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s));
  const last = imports[imports.length - 1];
  if (!last) return insertText(sourceFile, 0, statement + eol);
  const semicolon = last.getText(sourceFile).endsWith(';');
  return insertText(sourceFile, lineEndOffset(sourceFile, last.getEnd()), eol + (semicolon ? statement : statement.replace(/;$/, '')));
}

function quote(sourceFile: ts.SourceFile): string {
  const first = sourceFile.statements.find(ts.isImportDeclaration);
  return first && first.moduleSpecifier.getText(sourceFile).startsWith('"') ? '"' : "'";
}

/** The offset of the end of the line `offset` is on, before the line break. */
function lineEndOffset(sourceFile: ts.SourceFile, offset: number): number {
  const { line } = sourceFile.getLineAndCharacterOfPosition(offset);
  const next = sourceFile.getLineStarts()[line + 1];
  if (next === undefined) return sourceFile.text.length;
  return sourceFile.text[next - 2] === '\r' ? next - 2 : next - 1;
}

/** The start of the line a node starts on, above its leading comments (JSDoc stays with its code). */
export function lineStartAbove(sourceFile: ts.SourceFile, node: ts.Node): number {
  const comments = ts.getLeadingCommentRanges(sourceFile.text, node.getFullStart()) ?? [];
  const first = comments[0]?.pos ?? node.getStart(sourceFile);
  const { line } = sourceFile.getLineAndCharacterOfPosition(first);
  return sourceFile.getLineStarts()[line] ?? 0;
}

/** Whether an expression awaits (or yields) outside the functions it holds: moved into a new callback, it would no longer be valid. */
export function awaits(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, awaits) ?? false;
}
