import { ts } from 'ts-morph';
import { chainOf, isChainLink, type CallSite } from './callSites';
import { enclosingFunction, isAsync, outermostWrapping } from './localDeclarations';

// Knex builds queries lazily: `knex('users').where(...)` is a thenable that runs only when
// something awaits it (or calls `then`). A builder turned into text (`.toQuery()`), handed
// to another builder as a sub-query or fragment (`qb.select(knex.raw(...))`,
// `qb.whereIn('id', knex('t').select('id'))`), or changed in place and dropped
// (`qb.where(...);`) never runs. Builders collected first (`xs.map(...)` into a const) and
// merged later are not followed: they count as run.

/** Methods that turn a builder into SQL text instead of running it. */
const TO_TEXT = new Set(['toQuery', 'toSQL', 'toString', 'toNative']);
/** Methods that run it. */
const RUNS = new Set(['then', 'catch', 'finally', 'asCallback', 'stream', 'pipe']);
/** Builder methods that take other builders or raw fragments as arguments. */
const BUILDER_METHODS = /^(?:select|columns|column|from|table|into|with\w*|union\w*|intersect|except|(?:or|and)?(?:where|having)\w*|\w*[jJ]oin\w*|on\w*|orderBy\w*|groupBy\w*|insert|update|returning|raw)$/;
const MAPPERS = new Set(['map', 'flatMap']);

/** Whether the builder chain `call` starts may run; false only where it provably cannot. */
export function builderMayRun(call: CallSite): boolean {
  let top: ts.Expression = call;
  for (let link = top.parent; isChainLink(link, top); link = top.parent) {
    if (ts.isPropertyAccessExpression(link)) {
      if (TO_TEXT.has(link.name.text)) return false;
      if (RUNS.has(link.name.text)) return true;
    }
    top = link;
  }
  return valueMayRun(top);
}

/** Whether `child` is what `parent` evaluates to on some path: a conditional's branch, the right side of `&&`, `||` or `??`. */
function isBranchOf(parent: ts.Node, child: ts.Node): boolean {
  if (ts.isConditionalExpression(parent)) return parent.condition !== child;
  return ts.isBinaryExpression(parent) && parent.right === child && LOGICAL_OPERATORS.has(parent.operatorToken.kind);
}

const LOGICAL_OPERATORS = new Set([ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken]);

function valueMayRun(value: ts.Expression): boolean {
  let outer: ts.Node = outermostWrapping(value);
  let parent = outer.parent;
  // In an object or array literal, the literal's fate decides: `select({ n: knex.raw('?') })`
  // is a fragment, `Promise.all([a, b])` runs both.
  // So does a branch's: `cond ? { n: 1 } : knex.raw('?')`, `ready && qb.select('id')`.
  while (ts.isPropertyAssignment(parent) || ts.isSpreadElement(parent) || ts.isObjectLiteralExpression(parent) || ts.isArrayLiteralExpression(parent) || isBranchOf(parent, outer)) {
    outer = ts.isPropertyAssignment(parent) || ts.isSpreadElement(parent) ? parent : outermostWrapping(parent as ts.Expression);
    parent = outer.parent;
  }
  if (ts.isExpressionStatement(parent)) return false;
  // Handed to another builder (`qb.select(knex.raw(...))`, `qb.whereIn('id', sub)`) it is a
  // fragment; handed to anything else (`pending.push(q)`, `withRetry(q)`) it may be awaited there.
  if (ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression)) {
    return !(ts.isPropertyAccessExpression(parent.expression) && BUILDER_METHODS.test(parent.expression.name.text));
  }
  const fn = ts.isReturnStatement(parent) ? enclosingFunction(parent) : ts.isArrowFunction(parent) && parent.body === outer ? parent : undefined;
  if (fn && !isAsync(fn)) {
    // Returned from a `.map` callback: the builders run only if the mapped list is awaited together.
    const mapper = outermostWrapping(fn).parent;
    if (ts.isCallExpression(mapper) && ts.isPropertyAccessExpression(mapper.expression) && MAPPERS.has(mapper.expression.name.text)) {
      return valueMayRun(chainOf(mapper));
    }
  }
  return true;
}
