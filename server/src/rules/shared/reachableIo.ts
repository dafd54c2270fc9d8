import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { callIo, functionCalls, type IoWitness, type IssueMode } from './ioSummaries';
import { bindArguments, evaluate, nullishness, truthiness, type Bindings } from './staticValues';

// I/O summaries hold for any arguments: to them, `present(doc)` performs the query that
// `present` makes only `if (options.withAuthor)`. So before a rule reports a chain, it is
// checked against what the call's arguments are known to hold (staticValues.ts), hop by
// hop: a hop behind a condition those values decide against is replaced by another call of
// the same function that may still run, or the chain is dropped. Only chains a rule is
// about to report are checked, so the summaries stay context-free and linear.

/** Hops checked; further hops are taken as the summary found them. */
const MAX_HOPS = 4;
/**
 * Chains looked at per reported call: functions with many calls that each lose only
 * deeper down could otherwise multiply the search. Past it, the chain counts as it is.
 */
const MAX_STEPS = 200;

/** The witness, or another chain for the same call, that the arguments given at each hop allow; undefined when none does. */
export function reachableWith(facts: ProjectFacts, witness: IoWitness, mode: IssueMode): IoWitness | undefined {
  return reachable(facts, witness, mode, new Map(), 0, { steps: MAX_STEPS });
}

function reachable(facts: ProjectFacts, witness: IoWitness, mode: IssueMode, bindings: Bindings, hops: number, budget: { steps: number }): IoWitness | undefined {
  const { callee, next } = witness;
  // A hop into a project function is always a call (ioSummaries leaves functions used as tags alone).
  if (!callee || !next || !ts.isCallExpression(witness.call) || hops >= MAX_HOPS || budget.steps-- <= 0) return witness;
  const calleeBindings = bindArguments(callee.node, witness.call, bindings, facts);
  if (mayRun(next.call, callee.node, calleeBindings, facts)) {
    const rest = reachable(facts, next, mode, calleeBindings, hops + 1, budget);
    if (rest) return rest === next ? witness : { ...witness, next: rest };
  }
  for (const call of functionCalls(facts, callee.sourceFile, callee.node)) {
    if (call === next.call || !mayRun(call, callee.node, calleeBindings, facts)) continue;
    const other = callIo(facts, callee.sourceFile, call, mode);
    const rest = other && reachable(facts, other, mode, calleeBindings, hops + 1, budget);
    if (rest) return { ...witness, next: rest };
  }
  return undefined;
}

/**
 * Whether `node` may run when `fn` is called with these parameter values: false when an
 * `if`, `?:`, `&&`, `||` or `??` around it, or an earlier `if (...) return`, is decided against it.
 */
function mayRun(node: ts.Node, fn: ts.Node, bindings: Bindings, facts: ProjectFacts): boolean {
  if (bindings.size === 0) return true;
  const decided = (condition: ts.Expression) => truthiness(evaluate(condition, bindings, facts));
  for (let child = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) || ts.isConditionalExpression(parent)) {
      const [condition, whenTrue, whenFalse] = ts.isIfStatement(parent) ? [parent.expression, parent.thenStatement, parent.elseStatement] : [parent.condition, parent.whenTrue, parent.whenFalse];
      if (child === whenTrue && decided(condition) === false) return false;
      if (child === whenFalse && decided(condition) === true) return false;
    } else if (ts.isBinaryExpression(parent) && child === parent.right) {
      const operator = parent.operatorToken.kind;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken && decided(parent.left) === false) return false;
      if (operator === ts.SyntaxKind.BarBarToken && decided(parent.left) === true) return false;
      if (operator === ts.SyntaxKind.QuestionQuestionToken && nullishness(evaluate(parent.left, bindings, facts)) === false) return false;
    } else if (ts.isBlock(parent) && !reachedPastEarlyExits(parent, child, decided)) {
      return false;
    }
  }
  return true;
}

/** Whether a statement of a block is still reached past the block's earlier `if (...) return|throw` statements. */
function reachedPastEarlyExits(block: ts.Block, statement: ts.Node, decided: (condition: ts.Expression) => boolean | undefined): boolean {
  for (const earlier of block.statements) {
    if (earlier === statement) break;
    if (!ts.isIfStatement(earlier)) continue;
    const thenExits = exits(earlier.thenStatement);
    const elseExits = earlier.elseStatement !== undefined && exits(earlier.elseStatement);
    if (thenExits && !elseExits && decided(earlier.expression) === true) return false;
    if (elseExits && !thenExits && decided(earlier.expression) === false) return false;
  }
  return true;
}

/** A `return` or `throw`, or a block that ends in one (blocks may nest deeply: no recursion). */
function exits(statement: ts.Statement): boolean {
  let last: ts.Statement | undefined = statement;
  while (last && ts.isBlock(last)) last = last.statements[last.statements.length - 1];
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}
