import { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import { enclosingClass, numericValue, referenceKey } from './syntax';
import { declarationOf, isConst, skipOuterExpressions } from '../shared/localDeclarations';

// The number a retry's limit names: `MAX_RETRIES`, `this.maxRetries`, a parameter's or a
// destructured option's default (`maxRetries = 2`, `{ maxRetries = 1 } = options`), or the
// fallback of `args.attempts ?? ATTEMPTS`. A default is what the retry does unless a caller
// says otherwise: good enough to spare a small retry the cap, not to exempt it from judgement
// (a caller may pass 20 where the default is 1), so exemptions ask without defaults.

const MAX_DEPTH = 8;

/** The numeric value `expression` names in the scope of `container`, when it is fixed by the code. */
export function constantValue(expression: ts.Expression, container: ts.Node, facts: ProjectFacts, options: { defaults: boolean } = { defaults: true }, depth = 0): number | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const valueOf = (e: ts.Expression | undefined) => (e === undefined ? undefined : numericValue(options.defaults ? fallbackOf(e) : e, (n) => constantValue(n, container, facts, options, depth + 1)));
  const node = skipOuterExpressions(expression);
  const key = referenceKey(node);
  if (key === undefined) return undefined;
  if (key.startsWith('this.')) {
    const field = enclosingClass(container)?.members.find((m) => ts.isPropertyDeclaration(m) && key === `this.${m.name.getText()}`);
    return field && ts.isPropertyDeclaration(field) ? valueOf(field.initializer) : undefined;
  }
  const declaration = ts.isIdentifier(node) ? declarationOf(node, facts) : undefined;
  switch (declaration?.kind) {
    case 'variable': {
      // A `let` in a function may be reassigned on the way (`if (fast) max = 1`); at the top of the file it is read as before.
      const fixed = isConst(declaration.node) || ts.isSourceFile(declaration.node.parent.parent.parent);
      return fixed ? valueOf(declaration.node.initializer) : undefined;
    }
    case 'parameter':
    case 'binding':
      return options.defaults ? valueOf(declaration.node.initializer) : undefined;
    default:
      return undefined;
  }
}

/** `args.attempts ?? ATTEMPTS`, `options.retries || 3`: the value when the caller gives none. */
function fallbackOf(expression: ts.Expression): ts.Expression {
  const e = skipOuterExpressions(expression);
  const defaults = ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken);
  return defaults ? e.right : e;
}
