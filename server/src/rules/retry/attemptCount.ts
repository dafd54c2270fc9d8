import { ts } from 'ts-morph';
import { forEachInScope, isAssignment, mentionsAny, referenceKey } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

// How many attempts a retry makes, read by running its bookkeeping: counters start at
// their initial values, every attempt fails, and the checks decide when to stop. A limit
// that is a variable (`maxRetries`) is run twice (as 10 and 11) to find the offset, so
// `for (let i = 0; i <= maxRetries; i++)` gives `maxRetries + 1`. Anything the evaluator
// does not understand gives up: a fix built on a guessed count would change behaviour.

class Unsupported extends Error {}

export type Step =
  /** Evaluated for its side effects on counters. */
  | { kind: 'update'; expression: ts.Expression }
  /** Stops with this attempt as the last when true (or, with `negated`, when false). */
  | { kind: 'stopIf'; condition: ts.Expression; negated?: boolean }
  /** Goes round again when false (a loop condition checked before an attempt). */
  | { kind: 'continueIf'; condition: ts.Expression };

export interface AttemptProgram {
  /** Counter keys → initial value expressions (null: the limit symbol itself, for recursive counters). */
  initial: ReadonlyMap<string, ts.Expression | null>;
  /** Before each attempt (loop condition, then updates before the try). */
  before: readonly Step[];
  /** After each failed attempt (the catch block, the rest of the body, the incrementor). */
  after: readonly Step[];
  counters: ReadonlySet<string>;
}

const MAX_ATTEMPTS = 200;

/** The attempt count as source text (`3`, `maxRetries`, `retries + 1`), or undefined when it cannot be told. */
export function attemptCountText(program: AttemptProgram): string | undefined {
  try {
    const symbols = new Set<string>();
    const first = run(program, 10, symbols);
    const second = run(program, 11, symbols);
    if (first === undefined || second === undefined || symbols.size > 1) return undefined;
    const [symbol] = [...symbols];
    if (symbol === undefined) return first === second ? String(first) : undefined;
    if (second - first !== 1) return undefined;
    const offset = first - 10;
    const operand = /^[\w$.]+$/.test(symbol) ? symbol : `(${symbol})`;
    return offset === 0 ? symbol : `${operand} ${offset > 0 ? '+' : '-'} ${Math.abs(offset)}`;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function run(program: AttemptProgram, symbolValue: number, symbols: Set<string>): number | undefined {
  const evaluator = new Evaluator(program.counters, symbolValue, symbols);
  for (const [key, initial] of program.initial) {
    if (initial === null) symbols.add(key);
    evaluator.vars.set(key, initial === null ? symbolValue : toNumber(evaluator.value(initial)));
  }
  const stops = (step: Extract<Step, { kind: 'stopIf' }>) => Boolean(evaluator.value(step.condition)) !== (step.negated ?? false);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    for (const step of program.before) {
      if (step.kind === 'continueIf' && !evaluator.value(step.condition)) return attempt - 1;
      if (step.kind === 'stopIf' && stops(step)) return attempt - 1;
      if (step.kind === 'update') evaluator.value(step.expression);
    }
    for (const step of program.after) {
      if (step.kind === 'stopIf' && stops(step)) return attempt;
      if (step.kind === 'continueIf' && !evaluator.value(step.condition)) return attempt;
      if (step.kind === 'update') evaluator.value(step.expression);
    }
  }
  return undefined;
}

function toNumber(value: number | boolean): number {
  if (typeof value !== 'number') throw new Unsupported();
  return value;
}

class Evaluator {
  readonly vars = new Map<string, number>();

  constructor(
    private readonly counters: ReadonlySet<string>,
    private readonly symbolValue: number,
    private readonly symbols: Set<string>,
  ) {}

  private depth = 0;

  value(expression: ts.Expression): number | boolean {
    // Conditions are short; a pathologically deep one is not worth a fix.
    if (++this.depth > 64) throw new Unsupported();
    try {
      return this.evaluate(skipOuterExpressions(expression));
    } finally {
      this.depth--;
    }
  }

  private evaluate(node: ts.Expression): number | boolean {
    if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ''));
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    const key = referenceKey(node);
    if (key !== undefined && this.counters.has(key)) {
      const value = this.vars.get(key);
      if (value === undefined) throw new Unsupported();
      return value;
    }
    if (ts.isPrefixUnaryExpression(node)) return this.prefix(node);
    if (ts.isPostfixUnaryExpression(node)) {
      const before = this.counter(node.operand);
      this.set(node.operand, before + (node.operator === ts.SyntaxKind.PlusPlusToken ? 1 : -1));
      return before;
    }
    if (ts.isBinaryExpression(node)) return this.binary(node);
    if (!mentionsAny(node, this.counters)) return this.symbol(node);
    throw new Unsupported();
  }

  /** Anything without a counter in it is the limit: one symbol, whatever its text. */
  private symbol(node: ts.Expression): number {
    this.symbols.add(node.getText().replace(/\s+/g, ' '));
    return this.symbolValue;
  }

  private prefix(node: ts.PrefixUnaryExpression): number | boolean {
    switch (node.operator) {
      case ts.SyntaxKind.PlusPlusToken:
      case ts.SyntaxKind.MinusMinusToken: {
        const after = this.counter(node.operand) + (node.operator === ts.SyntaxKind.PlusPlusToken ? 1 : -1);
        this.set(node.operand, after);
        return after;
      }
      case ts.SyntaxKind.ExclamationToken:
        return !this.value(node.operand);
      case ts.SyntaxKind.MinusToken:
        return -toNumber(this.value(node.operand));
      default:
        throw new Unsupported();
    }
  }

  private binary(node: ts.BinaryExpression): number | boolean {
    const kind = node.operatorToken.kind;
    if (kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.PlusEqualsToken || kind === ts.SyntaxKind.MinusEqualsToken) {
      const right = toNumber(this.value(node.right));
      const value = kind === ts.SyntaxKind.EqualsToken ? right : this.counter(node.left) + (kind === ts.SyntaxKind.PlusEqualsToken ? right : -right);
      this.set(node.left, value);
      return value;
    }
    if (kind === ts.SyntaxKind.AmpersandAmpersandToken) return Boolean(this.value(node.left)) && Boolean(this.value(node.right));
    if (kind === ts.SyntaxKind.BarBarToken) return Boolean(this.value(node.left)) || Boolean(this.value(node.right));
    const left = toNumber(this.value(node.left));
    const right = toNumber(this.value(node.right));
    switch (kind) {
      case ts.SyntaxKind.PlusToken:
        return left + right;
      case ts.SyntaxKind.MinusToken:
        return left - right;
      case ts.SyntaxKind.AsteriskToken:
        return left * right;
      case ts.SyntaxKind.LessThanToken:
        return left < right;
      case ts.SyntaxKind.LessThanEqualsToken:
        return left <= right;
      case ts.SyntaxKind.GreaterThanToken:
        return left > right;
      case ts.SyntaxKind.GreaterThanEqualsToken:
        return left >= right;
      case ts.SyntaxKind.EqualsEqualsEqualsToken:
      case ts.SyntaxKind.EqualsEqualsToken:
        return left === right;
      case ts.SyntaxKind.ExclamationEqualsEqualsToken:
      case ts.SyntaxKind.ExclamationEqualsToken:
        return left !== right;
      default:
        throw new Unsupported();
    }
  }

  private counter(node: ts.Expression): number {
    const key = referenceKey(node);
    const value = key === undefined ? undefined : this.vars.get(key);
    if (value === undefined) throw new Unsupported();
    return value;
  }

  private set(node: ts.Expression, value: number): void {
    const key = referenceKey(node);
    if (key === undefined || !this.counters.has(key)) throw new Unsupported();
    this.vars.set(key, value);
  }
}

/**
 * The attempts a `for` loop's header allows when its bounds are literals, or constants
 * `valueOf` knows (`for (let i = 0; i < 2; i++)` → 2); undefined when the body also moves the counter.
 */
export function headerAttemptCount(loop: ts.ForStatement, counters: ReadonlySet<string>, valueOf?: (limit: ts.Expression) => number | undefined): number | undefined {
  const { initializer, condition, incrementor } = loop;
  if (!initializer || !ts.isVariableDeclarationList(initializer) || !condition || !incrementor) return undefined;
  const initial = new Map<string, ts.Expression | null>();
  for (const declaration of initializer.declarations) {
    if (ts.isIdentifier(declaration.name) && declaration.initializer && counters.has(declaration.name.text)) initial.set(declaration.name.text, declaration.initializer);
  }
  const headerCounters = new Set(initial.keys());
  if (headerCounters.size === 0 || assignsAny(loop.statement, headerCounters)) return undefined;
  const text = attemptCountText({ initial, counters: headerCounters, before: [{ kind: 'continueIf', condition }], after: [{ kind: 'update', expression: incrementor }] });
  if (text === undefined || /^\d+$/.test(text)) return text === undefined ? undefined : Number(text);
  // `attempt <= MAX_RETRIES`: `MAX_RETRIES + 1`, counted once the limit's value is known.
  const symbolic = /^\(?([\w$.]+)\)?(?: ([+-]) (\d+))?$/.exec(text);
  let limit: ts.Expression | undefined;
  forEachInScope(condition, (node) => {
    if (limit === undefined && ts.isExpression(node) && referenceKey(node) === symbolic?.[1]) limit = node;
  });
  const value = limit && valueOf?.(limit);
  if (value === undefined || !symbolic) return undefined;
  const offset = symbolic[3] === undefined ? 0 : Number(symbolic[3]) * (symbolic[2] === '-' ? -1 : 1);
  return value + offset;
}

function assignsAny(root: ts.Node, keys: ReadonlySet<string>): boolean {
  let assigns = false;
  forEachInScope(root, (node) => {
    let target: ts.Expression | undefined;
    if (isAssignment(node)) target = node.left;
    else if (ts.isPostfixUnaryExpression(node)) target = node.operand;
    else if (ts.isPrefixUnaryExpression(node) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) target = node.operand;
    const key = target && referenceKey(target);
    if (key !== undefined && keys.has(key)) assigns = true;
  });
  return assigns;
}
