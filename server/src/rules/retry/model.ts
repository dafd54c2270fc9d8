import type { ts } from 'ts-morph';
import type { ProjectFacts } from '../../engine/projectFacts';
import type { DelayContext } from './delays';

// The shared vocabulary of the retry analysis: where expressions are evaluated, what a
// delay is, and what one detected retry site looks like before it becomes findings.

/** Where an expression's identifiers are resolved. */
export interface ExprEnv {
  sourceFile: ts.SourceFile;
  /** Where local variables are looked up (the retrying function or loop). */
  scope: ts.Node | undefined;
  /** Keys (see referenceKey) of the values that change once per attempt. */
  counters: ReadonlySet<string>;
  /** A helper's parameters bound to the arguments of the call being analysed. */
  params?: ReadonlyMap<string, BoundExpression>;
  /** Variables that step through a table of delays (`for (const wait of [100, 400, 1600])`). */
  scheduled?: ReadonlySet<string>;
  /** A recursive retry's parameters → the arguments its self-calls pass for them. */
  recursiveArguments?: ReadonlyMap<string, readonly ts.Expression[]>;
}

export interface BoundExpression {
  expression: ts.Expression;
  env: ExprEnv;
}

/** A wait on the retry path: `await sleep(ms)`, `await new Promise(r => setTimeout(r, ms))`, `setTimeout(retry, ms)`. */
export interface DelayCall {
  /** The waiting expression in the analysed file. */
  node: ts.Node;
  /** How long it waits; undefined for a timer without a duration (as good as none). */
  ms: BoundExpression | undefined;
  /** It waits, but for a duration computed out of this analysis' sight. */
  durationUnknown?: boolean;
}

export type Growth = 'constant' | 'linear' | 'exponential' | 'schedule' | 'unknown';

export interface DelayShape {
  growth: Growth;
  jitter: boolean;
  cap: boolean;
  /** False when part of the expression could not be read, so a missing jitter or cap may be hidden in it. */
  certain: boolean;
}

export type RetryShape = 'loop' | 'recursion' | 'promiseChain' | 'reconnect' | 'interval' | 'strategy';

export interface RetrySite {
  shape: RetryShape;
  /** Where the finding is reported. */
  anchor: ts.Node;
  /** The loop statement or the retrying function. */
  container: ts.Node;
  /** The call that fails and is retried, when it can be told apart. */
  operation: ts.Node | undefined;
  /** The waits on the retry path; empty when there is none. */
  delays: DelayCall[];
  /** True when something on the retry path might wait in a way this analysis cannot see. */
  delayUnknown: boolean;
  bounded: boolean;
  /** Why the retried errors include ones that cannot succeed on retry, when the code shows it. */
  nonRetryable: { reason: string; node: ts.Node } | undefined;
  counters: ReadonlySet<string>;
  /** One retry of one call (`op().catch(() => op())`): how the delay grows cannot matter. */
  singleRetry?: boolean;
  /** Counters known to go up by one per attempt without an update in sight (a callback's attempt parameter). */
  risingCounters?: ReadonlySet<string>;
  env: ExprEnv;
}

/** What every detector needs about the file being analysed. */
export interface SiteContext {
  sourceFile: ts.SourceFile;
  facts: ProjectFacts;
  delays: DelayContext;
  /** Per function of this file: the names of it and the functions around it (see recursion.ts). */
  enclosing: Map<ts.Node, Enclosing>;
}

/** The functions around a node: their names, and whether one of them is a setTimeout callback. */
export interface Enclosing {
  names: ReadonlySet<string>;
  inTimer: boolean;
}
