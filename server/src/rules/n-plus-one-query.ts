import { ts } from 'ts-morph';
import { calleeOf, type CallSite } from './shared/callSites';
import { callIo } from './shared/ioSummaries';
import { defineRule } from '../engine/rule';
import { docsUrl } from './docs';
import { explainIo, ioOfCall, isIoTypedPackage } from './shared/ioCalls';
import { iterationScopeOf, usesAny, bindingNames, type IterationScope } from './shared/iterationScopes';
import { loopBatchFixes } from './shared/loopBatchFix';
import { messageText } from './shared/messageText';
import { posixRelative } from '../engine/paths';
import type { ProjectFacts } from '../engine/projectFacts';
import { declarationOf, skipOuterExpressions } from './shared/localDeclarations';
import { breakTarget, isAssignment } from './shared/statements';

// One query or request per element of a collection: N elements cost N round trips, and
// the list only grows. Found in loop bodies and iteration callbacks, directly or through
// project functions in other files (see shared/ioSummaries.ts).

/**
 * Migrations and seed scripts loop over rows on purpose, once, off any request path (tests,
 * which do the same with fixtures, are left out by the analyzer unless `checkTests` is on).
 */
const DEFAULT_IGNORED_PATHS = ['(^|/)((migrations?|seeds?|seeders?|alterations?|migration-scripts)/|(migrations?|seeds?|seeders?)\\.[cm]?[jt]sx?$)'];

export default defineRule<{ ignorePaths: string[]; checkTests: boolean }>({
  meta: {
    id: 'n-plus-one-query',
    description: 'I/O issued once per element of a collection: awaits in loops, map/forEach callbacks, Promise.all over items.',
    docsUrl: docsUrl('n-plus-one-query'),
    messages: {
      sequential:
        '{{subject}} once per element of `{{collection}}`, one after another: N elements cost N round trips. Load them in one batched call before the loop (an IN query, a batch endpoint or a DataLoader).',
      concurrent:
        '{{subject}} once per element of `{{collection}}` ({{how}}): concurrent, but still N round trips. Load them in one batched call (an IN query, a batch endpoint or a DataLoader).',
      sequentialJobs:
        '{{subject}} once per element of `{{collection}}`, one after another: N elements cost N round trips. Add the jobs in one call before the loop (`addBulk`).',
      concurrentJobs:
        '{{subject}} once per element of `{{collection}}` ({{how}}): concurrent, but still N round trips. Add the jobs in one call (`addBulk`).',
    },
    defaultSeverity: 'warning',
    requiresTypes: true,
    typedPackages: isIoTypedPackage,
    defaultOptions: { ignorePaths: DEFAULT_IGNORED_PATHS, checkTests: false },
  },
  create(context) {
    const { facts } = context;
    if (isIgnored(context.filePath, context.settings.projectRoot, context.options.ignorePaths)) return {};
    const scopes = new Map<ts.Node, IterationScope | null>();
    const calls: CallSite[] = [];
    const collect = (node: ts.Node) => {
      calls.push(node as CallSite);
    };
    return {
      [ts.SyntaxKind.CallExpression]: collect,
      [ts.SyntaxKind.TaggedTemplateExpression]: collect,
      onEnd() {
        for (const call of calls) {
          const scope = iterationScopeOf(call, facts, scopes);
          if (!scope || stopsAtFirstResult(scope, call) || leavesLoopAfter(scope, call) || runsUntilFlagSet(scope, call, facts)) continue;
          const witness = ioOfCall(context, call, scope.mode);
          if (!witness || receiverPerformsIo(context, call)) continue;
          const { subject, related } = explainIo(witness, context.settings.workspaceRoot);
          const concurrent = scope.mode === 'concurrent';
          // Only where the loop adds the job itself (a witness through a helper has a callee): a
          // finding's fingerprint holds its messageId, which must not follow what a helper happens to do first.
          const jobs = !witness.callee && witness.io?.kind === 'queue command';
          context.report({
            node: calleeOf(call),
            messageId: concurrent ? (jobs ? 'concurrentJobs' : 'concurrent') : jobs ? 'sequentialJobs' : 'sequential',
            data: { subject, collection: collectionText(scope), how: howText(scope) },
            related,
            fixes: () => loopBatchFixes(context, scope, witness),
          });
        }
      },
    };
  },
});

function isIgnored(filePath: string, projectRoot: string, patterns: readonly string[]): boolean {
  const relative = posixRelative(projectRoot, filePath);
  return patterns.some((pattern) => new RegExp(pattern).test(relative));
}

function collectionText(scope: IterationScope): string {
  return scope.collection ? messageText(scope.collection, 40) : 'the collection';
}

function howText(scope: IterationScope): string {
  if (scope.kind === 'callback') return `inside ${scope.iterator ?? '.map'}()`;
  return 'started without await';
}

/** In a chain (`knex('t').where(...).first()`) only the innermost round trip is reported. */
function receiverPerformsIo(context: { facts: Parameters<typeof callIo>[0]; sourceFile: ts.SourceFile }, call: CallSite): boolean {
  for (let receiver: ts.Expression = calleeOf(call); ; ) {
    if (ts.isPropertyAccessExpression(receiver) || ts.isElementAccessExpression(receiver) || ts.isParenthesizedExpression(receiver) || ts.isNonNullExpression(receiver)) {
      receiver = receiver.expression;
    } else if (ts.isCallExpression(receiver)) {
      if (callIo(context.facts, context.sourceFile, receiver, 'sequential')) return true;
      receiver = receiver.expression;
    } else return false;
  }
}

/**
 * A loop that returns or breaks on a result (try each mirror until one answers, find the
 * first match) is a search: its requests are sequential by design, not an N+1.
 */
function stopsAtFirstResult(scope: IterationScope, call: CallSite): boolean {
  if (scope.kind === 'callback') return false;
  const results = new Set<string>();
  for (let node: ts.Node = call.parent; node !== scope.node; node = node.parent) {
    if (ts.isVariableDeclaration(node)) {
      for (const name of bindingNames(node.name)) results.add(name);
      break;
    }
    if (ts.isReturnStatement(node)) return true;
    if (ts.isExpressionStatement(node) || ts.isBlock(node)) break;
  }
  if (results.size === 0) return false;
  const stack: ts.Node[] = [(scope.node as ts.IterationStatement).statement];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isFunctionLike(node)) continue;
    if (ts.isReturnStatement(node) && node.expression && usesAny(node.expression, results)) return true;
    if (ts.isIfStatement(node) && isPositiveTest(node.expression, results) && leavesLoop(node.thenStatement)) return true;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}

/**
 * A call followed, in its block or one around it inside the loop, by a `return`, `throw` or
 * a `break` of this loop runs at most once per loop (`if (reply) { send(reply); return; }`).
 */
function leavesLoopAfter(scope: IterationScope, call: CallSite): boolean {
  if (scope.kind === 'callback') return false;
  for (let node: ts.Node = call; node.parent && node !== scope.node; node = node.parent) {
    if (ts.isFunctionLike(node)) return false;
    const parent = node.parent;
    if (!ts.isBlock(parent) && !ts.isCaseOrDefaultClause(parent)) continue;
    const after = parent.statements.slice(parent.statements.indexOf(node as ts.Statement) + 1);
    if (after.some((statement) => ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || (ts.isBreakStatement(statement) && breakTarget(statement) === scope.node))) return true;
  }
  return false;
}

/**
 * `if (!parentId) { const first = await save(doc); parentId = first.id; }`: a branch that
 * sets the variable its test finds empty runs for the first element only, when that
 * variable lives outside the loop.
 */
function runsUntilFlagSet(scope: IterationScope, call: CallSite, facts: ProjectFacts): boolean {
  if (scope.kind === 'callback') return false;
  for (let child: ts.Node = call, parent = call.parent; parent && child !== scope.node; child = parent, parent = parent.parent) {
    if (!ts.isIfStatement(parent) || child !== parent.thenStatement) continue;
    const flag = emptinessTested(parent.expression, facts);
    if (!flag || (flag.declaration.pos >= scope.node.pos && flag.declaration.end <= scope.node.end)) continue;
    // Set in the branch and nowhere else in the loop: a reset (`saved = undefined`) makes it run again.
    const inBranch = assignments(parent.thenStatement, flag.name);
    if (inBranch > 0 && assignments(scope.node, flag.name) === inBranch) return true;
  }
  return false;
}

/** The variable `!x`, `x === undefined` or `x == null` tests, with where it is declared. */
function emptinessTested(condition: ts.Expression, facts: ProjectFacts): { name: string; declaration: ts.Node } | undefined {
  const e = skipOuterExpressions(condition);
  let tested: ts.Expression | undefined;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) tested = e.operand;
  else if (ts.isBinaryExpression(e) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(e.operatorToken.kind) && /^(?:undefined|null)$/.test(e.right.getText())) tested = e.left;
  const identifier = tested && skipOuterExpressions(tested);
  if (!identifier || !ts.isIdentifier(identifier)) return undefined;
  const declaration = declarationOf(identifier, facts);
  return declaration?.kind === 'variable' ? { name: identifier.text, declaration: declaration.node } : undefined;
}

function assignments(root: ts.Node, name: string): number {
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (isAssignment(node) && ts.isIdentifier(node.left) && node.left.text === name) count++;
    node.forEachChild(visit);
  };
  visit(root);
  return count;
}


/** `if (res.ok)`, `if (found)`: a test that the result is good (`if (!user)` is validation instead). */
function isPositiveTest(condition: ts.Expression, results: ReadonlySet<string>): boolean {
  return usesAny(condition, results) && !(ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken);
}

/** A `return` or `break` anywhere in the branch (not in a nested function): the loop ends on success. */
function leavesLoop(statement: ts.Statement): boolean {
  const stack: ts.Node[] = [statement];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isBreakStatement(node) || ts.isReturnStatement(node)) return true;
    if (ts.isFunctionLike(node)) continue;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}
