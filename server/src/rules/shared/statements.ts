import { ts } from 'ts-morph';

// Statement shapes more than one rule asks about: loops, assignments, and where a `break` goes.

export function isLoop(node: ts.Node): node is ts.IterationStatement {
  return (
    ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)
  );
}

export function isAssignment(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/** The loop (or switch) an unlabelled `break` inside `node` leaves, or the labelled target. */
export function breakTarget(statement: ts.BreakStatement | ts.ContinueStatement): ts.Node | undefined {
  const label = statement.label?.text;
  for (let node: ts.Node | undefined = statement.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node)) return undefined;
    if (label !== undefined) {
      if (ts.isLabeledStatement(node) && node.label.text === label) return node.statement;
    } else if (isLoop(node) || (ts.isSwitchStatement(node) && ts.isBreakStatement(statement))) {
      return node;
    }
  }
  return undefined;
}
