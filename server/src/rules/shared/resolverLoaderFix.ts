import { ts } from 'ts-morph';
import { insertText, lineEnding, replaceText } from '../../engine/edits';
import type { Fix } from '../../engine/findings';
import type { IoWitness } from './ioSummaries';
import { planPatternImport } from '../../engine/patternInsertion';
import type { RuleContext } from '../../engine/rule';
import { batchedCallText, batchableLookup, hasBatchedMethod, ormOf, primitiveKeyType, type BatchableLookup } from './batchableLookups';
import { capitalize, emitsCommonJs, ensureExportAssignmentImport, ensureNamedImport, lineStartAbove, unusedName } from './fixText';
import type { FieldResolver } from './graphqlResolvers';

// Quick fixes for a field resolver that queries once per parent. When the query is a
// lookup by one key with an IN counterpart, the fix writes a per-request DataLoader next
// to the resolver (batch function from the batch-loader pattern: one query for all keys,
// results matched to keys through a Map) and rewrites the call to `loader.load(key)`.
// The loader is kept per request by keying it on the request's context object, so the
// context type and its construction stay untouched. Otherwise the fix only adds the
// batch-loader pattern to the project, for the user to wire up.

type FixContext = Pick<RuleContext, 'sourceFile' | 'facts' | 'settings' | 'getTypeChecker'>;

export function resolverLoaderFixes(context: FixContext, resolver: FieldResolver, witness: IoWitness): Fix[] {
  const generated = generatedLoaderFix(context, resolver, witness);
  if (generated) return [generated];
  const snippet = patternOnlyFix(context);
  return snippet ? [snippet] : [];
}

function generatedLoaderFix(context: FixContext, resolver: FieldResolver, witness: IoWitness): Fix | undefined {
  const { sourceFile } = context;
  const call = witness.call;
  if (witness.callee || witness.io?.kind !== 'database query' || !ts.isCallExpression(call)) return undefined;
  const parent = resolver.parentParameter?.name;
  const ctx = resolver.contextParameter;
  if (!parent || !ts.isIdentifier(parent) || !ctx || !ts.isIdentifier(ctx.name) || !ctx.type) return undefined;
  const orm = ormOf(call);
  const lookup = orm && batchableLookup(call, orm, new Set([parent.text]));
  if (!lookup || !reachableFromContext(lookup, ctx.name.text, resolver.node)) return undefined;
  const checker = context.getTypeChecker();
  const keyType = primitiveKeyType(checker, lookup.key);
  if (!keyType || !hasBatchedMethod(checker, lookup)) return undefined;

  const statement = topLevelStatement(resolver.node);
  if (!statement) return undefined;
  const options = context.facts.compilerOptions;
  // The pattern's named import is ESM syntax, an error in a CommonJS file under verbatimModuleSyntax.
  if (options.verbatimModuleSyntax && emitsCommonJs(sourceFile, options)) return undefined;
  const eol = lineEnding(sourceFile);
  const model = modelName(lookup);
  const base = `${model}${lookup.many ? 'List' : ''}By${capitalize(lookup.field)}`;
  const loaderFn = unusedName(sourceFile, `${base}Loader`);
  const loaders = unusedName(sourceFile, `${base}Loaders`);
  const create = unusedName(sourceFile, `create${capitalize(base)}Loader`);
  const helper = lookup.many ? 'batchGroupsByKey' : 'batchByKey';
  // dataloader's typings say `export = DataLoader`: the import form depends on the compiler options.
  const dataLoader = ensureExportAssignmentImport(sourceFile, 'dataloader', 'DataLoader', options);
  const inImport = lookup.orm === 'typeorm' ? ensureNamedImport(sourceFile, 'typeorm', 'In') : undefined;
  const plan = planPatternImport({
    pattern: 'batch-loader',
    symbols: [helper],
    targetFile: sourceFile.fileName,
    targetText: sourceFile.text,
    projectRoot: context.settings.projectRoot,
    patternsDir: context.settings.patternsDir,
    esm: context.facts.usesEsmImports(),
  });
  const ctxName = ctx.name.text;
  const ctxType = ctx.type.getText(sourceFile);
  const batched = batchedCallText(lookup, '[...keys]', inImport?.name);
  const code = [
    `/** Loads ${model} rows for every key requested in the same tick with one query. */`,
    `function ${create}(${ctxName}: ${ctxType}) {`,
    `  return new ${dataLoader.name}(${helper}((keys: readonly ${keyType}[]) => ${batched}, (row) => row.${lookup.field}));`,
    `}`,
    ``,
    `// One loader per request, keyed by the request's context object: rows are never cached across requests.`,
    `const ${loaders} = new WeakMap<${ctxType}, ReturnType<typeof ${create}>>();`,
    ``,
    `function ${loaderFn}(${ctxName}: ${ctxType}): ReturnType<typeof ${create}> {`,
    `  let loader = ${loaders}.get(${ctxName});`,
    `  if (!loader) {`,
    `    loader = ${create}(${ctxName});`,
    `    ${loaders}.set(${ctxName}, loader);`,
    `  }`,
    `  return loader;`,
    `}`,
  ].join(eol);
  const keyText = lookup.key.getText(sourceFile);
  return {
    title: `Batch ${resolver.typeName}.${resolver.fieldName} with a per-request DataLoader (${loaderFn})`,
    isPreferred: true,
    edits: [
      ...dataLoader.edits,
      ...(inImport?.edits ?? []),
      ...plan.edits,
      insertText(sourceFile, lineStartAbove(sourceFile, statement), code + eol + eol),
      replaceText(sourceFile, call.getStart(sourceFile), call.getEnd(), `${loaderFn}(${ctxName}).load(${keyText})`),
    ],
    createFiles: plan.createFiles,
  };
}

/** Adds the batch-loader pattern to the project when the query cannot be rewritten safely. */
function patternOnlyFix(context: FixContext): Fix | undefined {
  const plan = planPatternImport({
    pattern: 'batch-loader',
    symbols: [],
    targetFile: context.sourceFile.fileName,
    targetText: context.sourceFile.text,
    projectRoot: context.settings.projectRoot,
    patternsDir: context.settings.patternsDir,
    esm: context.facts.usesEsmImports(),
  });
  if (plan.createFiles.length === 0) return undefined;
  return {
    title: `Add the batch-loader pattern (per-request DataLoader helpers) to ${context.settings.patternsDir}`,
    edits: [],
    createFiles: plan.createFiles,
  };
}

/**
 * The generated loader is built from the context alone, outside the resolver: the data
 * access may use the context parameter and names declared at the top of the file, nothing
 * the resolver or its class declares (`this`, other parameters, locals).
 */
function reachableFromContext(lookup: BatchableLookup, ctxName: string, resolver: ts.Node): boolean {
  const sourceFile = resolver.getSourceFile();
  const topLevel = topLevelNames(sourceFile);
  const rest = [lookup.receiver, ...lookup.call.arguments];
  const stack: ts.Node[] = [...rest];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === lookup.key) continue;
    if (node.kind === ts.SyntaxKind.ThisKeyword) return false;
    if (ts.isIdentifier(node) && !isMemberName(node) && node.text !== ctxName && !topLevel.has(node.text)) return false;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return true;
}

function isMemberName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === identifier) || (ts.isPropertyAssignment(parent) && parent.name === identifier);
}

function topLevelNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const named = clause?.namedBindings;
      if (named && ts.isNamespaceImport(named)) names.add(named.name.text);
      if (named && ts.isNamedImports(named)) for (const element of named.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    }
  }
  return names;
}

function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current.parent ? (current as ts.Statement) : undefined;
}

/** `ctx.db.vendor` → 'vendor'; `ctx.repos.users` → 'users'. */
function modelName(lookup: BatchableLookup): string {
  const receiver = lookup.receiver;
  const text = ts.isPropertyAccessExpression(receiver) ? receiver.name.text : ts.isIdentifier(receiver) ? receiver.text : 'row';
  return text.replace(/(?:Repository|Repo)$/, '') || 'row';
}
