import { ts } from 'ts-morph';
import { skipOuterExpressions } from '../shared/localDeclarations';
import { insertText, replaceText } from '../../engine/edits';
import type { Fix, TextEdit } from '../../engine/findings';
import { ensureNamedImport } from '../shared/fixText';
import { findLocalDeclaration, importBindings, resolveImportedDeclaration } from '../../engine/imports';
import { planPatternImport } from '../../engine/patternInsertion';
import type { RuleContext } from '../../engine/rule';
import type { Holder } from './holders';
import { dottedName, type Use } from './holderUses';
import { typeArgumentsOfCreation } from './evidence';

// Swaps `new Map()` for a bounded LRU with the same get/set/has/delete surface: the
// project's own `lru-cache` when it depends on it, else the LruCache pattern. Offered only
// when every use of the Map is one the replacement supports and no code outside this file
// can reach it, so the call sites keep compiling.

type FixContext = RuleContext<{ maxEntries: number }>;

const ITERATING_MEMBERS = new Set(['forEach', 'keys', 'values', 'entries']);
/** Type names whose values are objects, never undefined or null. */
const OBJECT_TYPE_NAMES = new Set([
  'Array', 'ReadonlyArray', 'Promise', 'Map', 'Set', 'ReadonlyMap', 'ReadonlySet', 'Record', 'Date', 'RegExp', 'Buffer',
  'Uint8Array', 'Error', 'URL', 'WeakRef', 'Partial', 'Required', 'Readonly', 'Pick', 'Omit', 'Function', 'Object',
]);
const NON_EMPTY_KEYWORDS = new Set([
  ts.SyntaxKind.StringKeyword, ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.SymbolKeyword, ts.SyntaxKind.ObjectKeyword, ts.SyntaxKind.AnyKeyword,
]);

export function lruCacheFixes(context: FixContext, holder: Holder, uses: readonly Use[], reachedFromOutside: boolean): Fix[] {
  const creation = skipOuterExpressions(holder.creation);
  if (holder.kind !== 'Map' || !holder.isPrivate || reachedFromOutside) return [];
  if (!ts.isNewExpression(creation) || !creation.arguments || creation.arguments.length > 0) return [];
  if (holder.typeNode && !isPlainMapType(holder.typeNode)) return [];
  if (!uses.every(keepsCompiling)) return [];
  const typeArguments = holder.typeNode ? undefined : typeArgumentsOfCreation(holder);
  const maxEntries = context.options.maxEntries;
  const fixes: Fix[] = [];
  if (context.facts.dependencies().has('lru-cache')) {
    const packageFix = lruCachePackageFix(context, holder, creation, maxEntries);
    if (packageFix) fixes.push(packageFix);
  }
  const patternFix = lruPatternFix(context, holder, creation, typeArguments, maxEntries);
  if (patternFix) fixes.push(patternFix);
  if (fixes[0]) fixes[0].isPreferred = true;
  return fixes;
}

function lruPatternFix(
  context: FixContext,
  holder: Holder,
  creation: ts.NewExpression,
  typeArguments: readonly ts.TypeNode[] | undefined,
  maxEntries: number,
): Fix | undefined {
  const { sourceFile } = context;
  if (isNameTaken(context, 'LruCache', (module) => /lru-cache(\.js)?$/.test(module) && module.startsWith('.'))) return undefined;
  const plan = planPatternImport({
    pattern: 'lru-cache',
    symbols: ['LruCache'],
    targetFile: sourceFile.fileName,
    targetText: sourceFile.text,
    projectRoot: context.settings.projectRoot,
    patternsDir: context.settings.patternsDir,
    esm: context.facts.usesEsmImports(),
  });
  // `new Map()` without types is Map<any, any>; the replacement keeps exactly that.
  const anyTypes = !holder.typeNode && typeArguments?.length === 0 ? '<any, any>' : '';
  const edits = replacementEdits(sourceFile, holder, creation, `LruCache${anyTypes}`, `{ maxEntries: ${maxEntries} }`, 'LruCache');
  return {
    title: `Replace \`${holder.name}\` with a bounded LruCache (maxEntries: ${maxEntries})`,
    edits: [...edits, ...plan.edits],
    createFiles: plan.createFiles,
  };
}

/** `lru-cache` requires key and value types that exclude undefined and null (`K extends {}`). */
function lruCachePackageFix(context: FixContext, holder: Holder, creation: ts.NewExpression, maxEntries: number): Fix | undefined {
  const { sourceFile } = context;
  const typeArguments = holder.typeNode && ts.isTypeReferenceNode(holder.typeNode) ? holder.typeNode.typeArguments : creation.typeArguments;
  if (typeArguments && !typeArguments.every((type) => excludesNullish(context, type, 0))) return undefined;
  if (isNameTaken(context, 'LRUCache', (module) => module === 'lru-cache')) return undefined;
  const { name, edits: importEdits } = ensureNamedImport(sourceFile, 'lru-cache', 'LRUCache');
  const anyTypes = !holder.typeNode && !creation.typeArguments ? '<any, any>' : '';
  const edits = replacementEdits(sourceFile, holder, creation, `${name}${anyTypes}`, `{ max: ${maxEntries} }`, name);
  return {
    title: `Replace \`${holder.name}\` with LRUCache from lru-cache (max: ${maxEntries})`,
    edits: [...edits, ...importEdits],
  };
}

function replacementEdits(sourceFile: ts.SourceFile, holder: Holder, creation: ts.NewExpression, constructor: string, options: string, typeName: string): TextEdit[] {
  const edits = [
    replaceText(sourceFile, creation.expression.getStart(sourceFile), creation.expression.getEnd(), constructor),
    insertText(sourceFile, creation.arguments!.pos, options),
  ];
  if (holder.typeNode && ts.isTypeReferenceNode(holder.typeNode)) {
    const name = holder.typeNode.typeName;
    edits.push(replaceText(sourceFile, name.getStart(sourceFile), name.getEnd(), typeName));
  }
  return edits;
}

function isNameTaken(context: FixContext, name: string, isOurImport: (module: string) => boolean): boolean {
  const { sourceFile } = context;
  const binding = importBindings(context.facts, sourceFile).get(name);
  if (binding) return !isOurImport(binding.module);
  return findLocalDeclaration(sourceFile, name) !== undefined;
}

function isPlainMapType(type: ts.TypeNode): boolean {
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Map' && type.typeArguments?.length === 2;
}

/** Whether the code around a use still compiles when the Map becomes an LRU cache. */
function keepsCompiling(use: Use): boolean {
  switch (use.kind) {
    case 'read':
    case 'delete':
      return ts.isCallExpression(use.site);
    case 'add':
      // set() returns the cache itself; code that keeps that value may expect a Map.
      return ts.isCallExpression(use.site) && (ts.isExpressionStatement(use.site.parent) || ts.isPropertyAccessExpression(use.site.parent));
    case 'drop':
      return ts.isCallExpression(use.site); // clear(); a reassignment would assign a Map
    case 'size':
      return use.sizeRead === 'size';
    case 'inspect':
      return isSupportedIteration(use.site);
    case 'escape':
      return false;
  }
}

function isSupportedIteration(site: ts.Node): boolean {
  if (ts.isForOfStatement(site) || ts.isSpreadElement(site)) return true;
  if (!ts.isCallExpression(site)) return false;
  if (dottedName(site.expression) === 'Array.from') return true;
  return ts.isPropertyAccessExpression(site.expression) && ITERATING_MEMBERS.has(site.expression.name.text);
}

/** Syntactically sure that a type has neither undefined nor null in it. */
function excludesNullish(context: FixContext, type: ts.TypeNode, depth: number): boolean {
  if (depth > 4) return false;
  if (NON_EMPTY_KEYWORDS.has(type.kind)) return true;
  if (ts.isLiteralTypeNode(type)) return type.literal.kind !== ts.SyntaxKind.NullKeyword;
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type) || ts.isTypeLiteralNode(type) || ts.isFunctionTypeNode(type)) return true;
  if (ts.isUnionTypeNode(type)) return type.types.every((member) => excludesNullish(context, member, depth + 1));
  if (ts.isParenthesizedTypeNode(type)) return excludesNullish(context, type.type, depth + 1);
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
  const name = type.typeName.text;
  if (OBJECT_TYPE_NAMES.has(name)) return true;
  const declaration = declarationOf(context, name);
  if (!declaration) return false;
  if (ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration) || ts.isEnumDeclaration(declaration)) return true;
  return ts.isTypeAliasDeclaration(declaration) && declaration.typeParameters === undefined && excludesNullish(context, declaration.type, depth + 1);
}

/** The declaration of a type name: in this file, or in the project file it is imported from. */
function declarationOf(context: FixContext, name: string): ts.Node | undefined {
  const { sourceFile } = context;
  const local = typeDeclarationIn(sourceFile, name);
  if (local) return local;
  const binding = importBindings(context.facts, sourceFile).get(name);
  if (!binding || binding.imported === '*' || binding.imported === 'default') return undefined;
  // engine/imports follows values; interfaces and type aliases are looked up in the module itself.
  const target = context.facts.resolveModule(sourceFile.fileName, binding.module);
  return (target && typeDeclarationIn(target, binding.imported)) ?? resolveImportedDeclaration(context.facts, sourceFile, binding)?.node;
}

function typeDeclarationIn(sourceFile: ts.SourceFile, name: string): ts.Node | undefined {
  return sourceFile.statements.find(
    (s) => (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name?.text === name,
  );
}
