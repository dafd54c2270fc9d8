import { ts } from 'ts-morph';
import { indentationAt, insertText, lineEnding, replaceText } from '../../engine/edits';
import type { Fix } from '../../engine/findings';
import type { IoWitness } from './ioSummaries';
import type { RuleContext } from '../../engine/rule';
import { bulkAddFix } from './bulkAddFix';
import { batchedCallText, batchableLookup, hasBatchedMethod, ormOf, primitiveKeyType } from './batchableLookups';
import { awaits, capitalize, ensureNamedImport, unusedName } from './fixText';
import { bindingNames, usesAny, type IterationScope } from './iterationScopes';

// The quick fixes for I/O once per element: jobs added to a queue become one `addBulk`
// (bulkAddFix.ts), and a lookup awaited once per element of a for...of loop becomes one
// batched query before the loop, then an in-memory join through a Map inside it. Offered only for
// lookups with an IN counterpart (see batchableLookups.ts) whose key is computed from the
// element alone; anything else gets no fix, because a rewrite that only looks batched
// would be worse than the documented pattern.

type FixContext = Pick<RuleContext, 'sourceFile' | 'getTypeChecker'>;

export function loopBatchFixes(context: FixContext, scope: IterationScope, witness: IoWitness): Fix[] {
  const fix = hoistedQueryFix(context, scope, witness) ?? bulkAddFix(context, scope, witness);
  return fix ? [fix] : [];
}

function hoistedQueryFix(context: FixContext, scope: IterationScope, witness: IoWitness): Fix | undefined {
  const { sourceFile } = context;
  const call = witness.call;
  if (!ts.isCallExpression(call)) return undefined; // a tagged query has no batched form to rewrite to
  const loop = scope.node;
  const element = scope.elementVariable;
  const collection = scope.collection;
  if (scope.kind !== 'for-of' || !ts.isForOfStatement(loop) || loop.awaitModifier || !element || !collection || !isStableReference(collection)) return undefined;
  if (witness.callee || witness.io?.kind !== 'database query' || !ts.isAwaitExpression(call.parent)) return undefined;
  const orm = ormOf(call);
  const lookup = orm && batchableLookup(call, orm, new Set([element.text]));
  // The keys are mapped in a callback that is not async.
  if (!lookup || awaits(lookup.key)) return undefined;
  // The hoisted query runs before the loop: nothing in it may come from the loop body.
  const bodyNames = namesDeclaredIn(loop.statement);
  if (usesAny(lookup.receiver, bodyNames) || usesAny(lookup.key, bodyNames) || call.arguments.some((a) => usesAny(a, bodyNames))) return undefined;
  const checker = context.getTypeChecker();
  const keyType = primitiveKeyType(checker, lookup.key);
  if (!keyType || !hasBatchedMethod(checker, lookup)) return undefined;

  const eol = lineEnding(sourceFile);
  const indent = indentationAt(sourceFile, loop.getStart(sourceFile));
  const target = declaredName(call) ?? 'row';
  const rows = unusedName(sourceFile, `${target}Rows`);
  const byKey = unusedName(sourceFile, `${target}By${capitalize(lookup.field)}`);
  const keyText = lookup.key.getText(sourceFile);
  const collectionText = collection.getText(sourceFile);
  const isArray = !!checker && checker.isArrayType(checker.getTypeAtLocation(collection));
  const keys =
    keyText === element.text
      ? `Array.from(${collectionText})`
      : isArray
        ? `${collectionText}.map((${element.text}) => ${keyText})`
        : `Array.from(${collectionText}, (${element.text}) => ${keyText})`;
  const inImport = lookup.orm === 'typeorm' ? ensureNamedImport(sourceFile, 'typeorm', 'In') : undefined;
  const query = `const ${rows} = await ${batchedCallText(lookup, keys, inImport?.name)};`;
  const join = lookup.many
    ? [
        `const ${byKey} = new Map<${keyType}, typeof ${rows}>();`,
        `for (const row of ${rows}) {`,
        `  const group = ${byKey}.get(row.${lookup.field});`,
        `  if (group) group.push(row);`,
        `  else ${byKey}.set(row.${lookup.field}, [row]);`,
        `}`,
      ]
    : [`const ${byKey} = new Map(${rows}.map((row) => [row.${lookup.field}, row] as const));`];
  const lines = [query, ...join].map((line) => indent + line).join(eol);
  const lineStart = sourceFile.getLineStarts()[sourceFile.getLineAndCharacterOfPosition(loop.getStart(sourceFile)).line] ?? 0;
  const awaited = call.parent;
  return {
    title: `Load all ${target} rows with one ${lookup.batchedMethod}() before the loop, then look them up in a Map`,
    isPreferred: true,
    edits: [
      ...(inImport?.edits ?? []),
      insertText(sourceFile, lineStart, lines + eol),
      replaceText(sourceFile, awaited.getStart(sourceFile), awaited.getEnd(), parenthesizedIfNeeded(awaited, `${byKey}.get(${keyText}) ?? ${lookup.many ? '[]' : 'null'}`)),
    ],
  };
}

/** The replacement of an `await` keeps its meaning where it stands alone; elsewhere it needs parentheses. */
function parenthesizedIfNeeded(replaced: ts.Node, text: string): string {
  const parent = replaced.parent;
  const standsAlone =
    (ts.isVariableDeclaration(parent) && parent.initializer === replaced) ||
    ts.isReturnStatement(parent) ||
    ts.isExpressionStatement(parent) ||
    ts.isParenthesizedExpression(parent) ||
    (ts.isPropertyAssignment(parent) && parent.initializer === replaced) ||
    (ts.isCallExpression(parent) && parent.arguments.includes(replaced as ts.Expression)) ||
    ts.isArrayLiteralExpression(parent);
  return standsAlone ? text : `(${text})`;
}

/** `orders`, `cart.lines`: evaluating it again before the loop yields the same collection. */
function isStableReference(expression: ts.Expression): boolean {
  let current = expression;
  while (ts.isPropertyAccessExpression(current)) current = current.expression;
  return ts.isIdentifier(current) || current.kind === ts.SyntaxKind.ThisKeyword;
}

/** `const vendor = await ...` → 'vendor'. */
function declaredName(call: ts.CallExpression): string | undefined {
  const declaration = call.parent.parent;
  return declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
}

function namesDeclaredIn(body: ts.Node): Set<string> {
  const names = new Set<string>();
  const stack: ts.Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isVariableDeclaration(node)) for (const name of bindingNames(node.name)) names.add(name);
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return names;
}
