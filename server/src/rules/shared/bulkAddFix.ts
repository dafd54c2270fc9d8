import { ts } from 'ts-morph';
import { replaceText } from '../../engine/edits';
import type { Fix } from '../../engine/findings';
import type { RuleContext } from '../../engine/rule';
import type { IoWitness } from './ioSummaries';
import { awaits } from './fixText';
import { usesAny, type IterationScope } from './iterationScopes';

// The quick fix for a job added to a Bull or BullMQ queue once per element: one `addBulk`
// of the jobs the loop or `Promise.all(items.map(...))` would add. Offered only where the
// rewrite keeps what the code did: every element adds exactly one job and nothing else, and
// the checker confirms the queue's `add(name, data, opts)` and its `addBulk`.

type FixContext = Pick<RuleContext, 'sourceFile' | 'getTypeChecker'>;

/** The parameters of `add` that a bulk entry names alike: `{ name, data, opts }`. */
const ENTRY_FIELDS = new Set(['name', 'data', 'opts']);

export function bulkAddFix(context: FixContext, scope: IterationScope, witness: IoWitness): Fix | undefined {
  const call = witness.call;
  if (witness.callee || witness.io?.kind !== 'queue command' || !ts.isCallExpression(call)) return undefined;
  const method = call.expression;
  if (!ts.isPropertyAccessExpression(method) || method.questionDotToken || method.name.text !== 'add') return undefined;
  // The arguments move into a callback that is not async.
  if (usesAny(method.expression, scope.elementNames) || call.arguments.some((a) => ts.isSpreadElement(a) || awaits(a))) return undefined;
  const rewrite = loopRewrite(scope, call) ?? promiseAllRewrite(scope, call);
  if (!rewrite) return undefined;
  const { sourceFile } = context;
  if (hasCommentsOutside(sourceFile, rewrite.replaced, [...rewrite.kept, method.expression, ...call.arguments])) return undefined;
  const checker = context.getTypeChecker();
  const entry = checker && bulkEntry(checker, sourceFile, method.expression, call);
  if (!entry) return undefined;
  const receiver = method.expression.getText(sourceFile);
  const collection = rewrite.collection.getText(sourceFile);
  const mapped = checker.isArrayType(checker.getTypeAtLocation(rewrite.collection))
    ? `${collection}.map((${rewrite.parameters}) => (${entry}))`
    : `Array.from(${collection}, (${rewrite.parameters}) => (${entry}))`;
  return {
    title: `Add the jobs with one ${receiver}.addBulk()`,
    isPreferred: true,
    edits: [replaceText(sourceFile, rewrite.replaced.getStart(sourceFile), rewrite.replaced.getEnd(), rewrite.text(`${receiver}.addBulk(${mapped})`))],
  };
}

interface Rewrite {
  /** What the `addBulk` call replaces: the loop, or the `Promise.all(...)` call. */
  replaced: ts.Node;
  collection: ts.Expression;
  /** The element's binding, as the new callback's parameters. */
  parameters: string;
  /** The nodes besides the call's that the rewrite copies: the collection and the binding. */
  kept: ts.Node[];
  text: (addBulk: string) => string;
}

/** `for (const x of xs) await q.add(...);`, the loop holding nothing else. */
function loopRewrite(scope: IterationScope, call: ts.CallExpression): Rewrite | undefined {
  const loop = scope.node;
  if (scope.kind !== 'for-of' || !ts.isForOfStatement(loop) || loop.awaitModifier || ts.isLabeledStatement(loop.parent)) return undefined;
  const list = loop.initializer;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return undefined;
  let statement: ts.Statement = loop.statement;
  if (ts.isBlock(statement) && statement.statements.length === 1) statement = statement.statements[0]!;
  if (!ts.isExpressionStatement(statement) || !ts.isAwaitExpression(statement.expression) || statement.expression.expression !== call) return undefined;
  const binding = list.declarations[0]!.name;
  return { replaced: loop, collection: loop.expression, parameters: binding.getText(), kept: [loop.expression, binding], text: (addBulk) => `await ${addBulk};` };
}

/** `Promise.all(xs.map((x) => q.add(...)))`: the callback only adds the job. */
function promiseAllRewrite(scope: IterationScope, call: ts.CallExpression): Rewrite | undefined {
  const callback = scope.node;
  if (scope.kind !== 'callback' || !ts.isArrowFunction(callback) || callback.parameters.length !== 1) return undefined;
  const body = ts.isAwaitExpression(callback.body) ? callback.body.expression : callback.body;
  if (body !== call) return undefined;
  const map = callback.parent;
  if (!ts.isCallExpression(map) || map.arguments.length !== 1 || !ts.isPropertyAccessExpression(map.expression) || map.expression.name.text !== 'map') return undefined;
  const all = map.parent;
  if (!ts.isCallExpression(all) || all.arguments.length !== 1 || all.expression.getText() !== 'Promise.all') return undefined;
  const parameter = callback.parameters[0]!;
  return { replaced: all, collection: map.expression.expression, parameters: parameter.getText(), kept: [map.expression.expression, parameter], text: (addBulk) => addBulk };
}

/**
 * `{ name: 'welcome', data: { userId }, opts: { attempts: 3 } }` from the arguments, by the
 * parameter names of the `add` overload the checker chose. Undefined when a parameter is not
 * one of a bulk entry's fields (BullMQ's FlowProducer) or the queue has no `addBulk`, and when
 * the options may repeat the job, which `addBulk` does not take.
 */
function bulkEntry(checker: ts.TypeChecker, sourceFile: ts.SourceFile, receiver: ts.Expression, call: ts.CallExpression): string | undefined {
  if (!checker.getTypeAtLocation(receiver).getProperty('addBulk')) return undefined;
  const parameters = checker.getResolvedSignature(call)?.getParameters().map((p) => p.name) ?? [];
  if (call.arguments.length > parameters.length) return undefined;
  const fields: string[] = [];
  for (const [i, argument] of call.arguments.entries()) {
    const field = parameters[i]!;
    if (!ENTRY_FIELDS.has(field)) return undefined;
    if (field === 'opts' && checker.getTypeAtLocation(argument).getProperty('repeat')) return undefined;
    const text = argument.getText(sourceFile);
    fields.push(text === field ? field : `${field}: ${text}`);
  }
  return `{ ${fields.join(', ')} }`;
}

/**
 * Whether `node` holds a comment outside the parts the rewrite copies. Its text is searched
 * with those parts cut out, not scanned: `//` in a string left in makes no fix, but no
 * comment can hide from the search.
 */
function hasCommentsOutside(sourceFile: ts.SourceFile, node: ts.Node, kept: readonly ts.Node[]): boolean {
  let text = '';
  let at = node.getStart(sourceFile);
  for (const part of [...kept].sort((a, b) => a.getStart(sourceFile) - b.getStart(sourceFile))) {
    text += sourceFile.text.slice(at, part.getStart(sourceFile)) + ' ';
    at = part.getEnd();
  }
  text += sourceFile.text.slice(at, node.getEnd());
  return text.includes('//') || text.includes('/*');
}
