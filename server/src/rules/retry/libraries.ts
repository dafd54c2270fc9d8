import { ts } from 'ts-morph';
import { insertText, addPropertyEdit, replaceText } from '../../engine/edits';
import type { Fix, TextEdit } from '../../engine/findings';
import { importBindings } from '../../engine/imports';
import { resolveCallee } from './callees';
import type { SiteContext } from './model';
import { awaitsWait } from './retryPath';
import { calleeName, functionBody, numericValue } from './syntax';
import { evaluate } from '../shared/staticValues';
import { skipOuterExpressions } from '../shared/localDeclarations';
import { dropImportIfUnused } from './unusedImport';

// Retry libraries are the right tool, but their options can switch the backoff off:
// `factor: 1`, `minTimeout: 0`, cockatiel without a `backoff`, axios-retry without a
// `retryDelay`. HTTP clients that retry on their own (ofetch, superagent) are judged the
// same way. Only options written as an object literal are judged; a configuration
// built elsewhere (or spread in) is not guessed at.

export interface LibraryProblem {
  defect: 'libraryWithoutBackoff' | 'unbounded';
  reason: string;
}

export interface LibraryFinding {
  node: ts.Node;
  library: string;
  problems: LibraryProblem[];
  fix: Fix | undefined;
}

interface LibraryCall {
  library: string;
  call: ts.CallExpression;
  options: ts.ObjectLiteralExpression | undefined;
  /** Whether the options argument is absent (as opposed to built elsewhere). */
  omitted: boolean;
}

const NODE_RETRY_FAMILY: Record<string, { imported: string[]; optionsIndex: (call: ts.CallExpression) => number }> = {
  'p-retry': { imported: ['default', '*'], optionsIndex: () => 1 },
  'async-retry': { imported: ['default', '*'], optionsIndex: () => 1 },
  'promise-retry': { imported: ['default', '*'], optionsIndex: (call) => (call.arguments[0] && isFunction(call.arguments[0]) ? 1 : 0) },
  retry: { imported: ['operation', 'timeouts', 'default.operation', '*.operation', 'default.timeouts', '*.timeouts'], optionsIndex: () => 0 },
};

const LIBRARIES = new Set([...Object.keys(NODE_RETRY_FAMILY), 'exponential-backoff', 'cockatiel', 'axios-retry', 'fetch-retry', 'ofetch']);

/** ofetch's calls and instance factory, by export and member, with where their options go. */
const OFETCH_OPTIONS_INDEX: Record<string, number> = {
  ofetch: 1, $fetch: 1, 'ofetch.raw': 1, '$fetch.raw': 1, 'ofetch.create': 0, '$fetch.create': 0,
};

export function checkLibraryCall(call: ts.CallExpression, context: SiteContext, maxDelayMs: number): LibraryFinding | undefined {
  const superagent = superagentRetry(call, context);
  if (superagent) return superagent;
  // Only a call on an import of one of these libraries is worth resolving.
  let root: ts.Expression = skipOuterExpressions(call.expression);
  while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  const module = ts.isIdentifier(root) ? importBindings(context.facts, context.sourceFile).get(root.text)?.module : undefined;
  if (module === undefined || !LIBRARIES.has(module)) return undefined;
  const callee = resolveCallee(call, context.sourceFile, context.facts);
  if (callee?.kind !== 'package') return undefined;
  const key = [callee.imported, ...callee.path].join('.');
  const family = NODE_RETRY_FAMILY[callee.module];
  if (family?.imported.includes(key)) {
    const polls = callee.module === 'p-retry' && call.arguments[0] !== undefined && abortsOnFailure(call.arguments[0], context);
    const target = libraryCall(callee.module, call, family.optionsIndex(call));
    return nodeRetryOptions(target, context.sourceFile, maxDelayMs, polls, callee.module === 'p-retry' && hookWaits(target.options, context));
  }
  if (callee.module === 'exponential-backoff' && key === 'backOff') return exponentialBackoffOptions(libraryCall(callee.module, call, 1));
  if (callee.module === 'cockatiel' && key === 'retry') return cockatielOptions(libraryCall(callee.module, call, 1), context);
  if (callee.module === 'axios-retry' && (key === 'default' || key === '*')) return axiosRetryOptions(libraryCall(callee.module, call, 1), context);
  if (callee.module === 'fetch-retry' && (key === 'default' || key === '*')) return fetchRetryOptions(libraryCall(callee.module, call, 1), context, maxDelayMs);
  const ofetchIndex = callee.module === 'ofetch' ? OFETCH_OPTIONS_INDEX[key] : undefined;
  if (ofetchIndex !== undefined) return ofetchOptions(libraryCall(callee.module, call, ofetchIndex), context);
  return undefined;
}

function libraryCall(library: string, call: ts.CallExpression, index: number): LibraryCall {
  const argument = call.arguments[index];
  const options = argument && ts.isObjectLiteralExpression(skipOuterExpressions(argument)) ? (skipOuterExpressions(argument) as ts.ObjectLiteralExpression) : undefined;
  return { library, call, options, omitted: argument === undefined };
}

function isCallTo(expression: ts.Expression, name: string): boolean {
  const node = skipOuterExpressions(expression);
  return ts.isCallExpression(node) && calleeName(node) === name;
}

function isFunction(node: ts.Expression): boolean {
  const target = skipOuterExpressions(node);
  return ts.isArrowFunction(target) || ts.isFunctionExpression(target) || ts.isIdentifier(target);
}

function property(options: ts.ObjectLiteralExpression | undefined, name: string): ts.PropertyAssignment | undefined {
  return options?.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
}

function hasSpread(options: ts.ObjectLiteralExpression | undefined): boolean {
  return options?.properties.some((p) => ts.isSpreadAssignment(p) || ts.isShorthandPropertyAssignment(p)) ?? false;
}

function isInfinite(expression: ts.Expression | undefined): boolean {
  const node = expression && skipOuterExpressions(expression);
  return !!node && ((ts.isIdentifier(node) && node.text === 'Infinity') || (ts.isPropertyAccessExpression(node) && node.name.text === 'POSITIVE_INFINITY'));
}

function result(target: LibraryCall, problems: LibraryProblem[], edits: TextEdit[], title: string): LibraryFinding | undefined {
  if (problems.length === 0) return undefined;
  const fix = edits.length > 0 ? { title, isPreferred: true, edits } : undefined;
  return { node: target.options ?? target.call.expression, library: target.library, problems, fix };
}

/**
 * `pRetry(() => getToken(code), { factor: 1 })` where getToken throws p-retry's `AbortError`
 * on failures: what is left to retry is "not ready yet", so the fixed delay is a poll's
 * interval (the operation's body, or the project function it calls, throws it).
 */
function abortsOnFailure(operation: ts.Expression, context: SiteContext): boolean {
  const fn = skipOuterExpressions(operation);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  const bodies: ts.Node[] = [fn.body];
  const returned = ts.isBlock(fn.body) ? fn.body.statements.find(ts.isReturnStatement)?.expression : fn.body;
  const called = returned && skipOuterExpressions(returned);
  const callee = called && ts.isCallExpression(called) ? resolveCallee(called, context.sourceFile, context.facts) : undefined;
  const calleeBody = callee?.kind === 'function' ? functionBody(callee.fn) : undefined;
  if (calleeBody) bodies.push(calleeBody);
  return bodies.some((body) => ABORT_ERROR.test(body.getText()));
}

const ABORT_ERROR = /\bnew\s+(?:pRetry\.)?AbortError\s*\(/;

/**
 * p-retry awaits `onFailedAttempt` before the next attempt: a hook that sleeps there
 * (`await sleep(min(2000 * 2 ** n, 60_000) + jitter)`) is the backoff, whatever `minTimeout` says.
 */
function hookWaits(options: ts.ObjectLiteralExpression | undefined, context: SiteContext): boolean {
  const hook = options && property(options, 'onFailedAttempt');
  const fn = hook && skipOuterExpressions(hook.initializer);
  return !!fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && awaitsWait(fn.body, context.sourceFile, context);
}

/**
 * p-retry, async-retry, promise-retry and retry share node-retry's options; a poll (see
 * abortsOnFailure) may wait the same delay every time, and a hook that waits (see hookWaits)
 * sets the delays itself.
 */
function nodeRetryOptions(target: LibraryCall, sourceFile: ts.SourceFile, maxDelayMs: number, polls = false, hookSetsDelay = false): LibraryFinding | undefined {
  const { options } = target;
  if (!options || hasSpread(options)) return undefined;
  const problems: LibraryProblem[] = [];
  const edits: TextEdit[] = [];
  const factor = property(options, 'factor');
  const minTimeout = property(options, 'minTimeout');
  const maxTimeout = property(options, 'maxTimeout');
  const factorValue = numericValue(factor?.initializer);
  if (hookSetsDelay) {
    // The hook's wait is the backoff: the library's own delay options do not matter.
  } else if (minTimeout && numericValue(minTimeout.initializer) === 0) {
    problems.push({ defect: 'libraryWithoutBackoff', reason: '`minTimeout: 0` retries immediately' });
    edits.push(replaceText(sourceFile, minTimeout.initializer.getStart(sourceFile), minTimeout.initializer.getEnd(), '1000'));
  } else if (maxTimeout && numericValue(maxTimeout.initializer) === 0) {
    problems.push({ defect: 'libraryWithoutBackoff', reason: '`maxTimeout: 0` retries immediately' });
    edits.push(replaceText(sourceFile, maxTimeout.initializer.getStart(sourceFile), maxTimeout.initializer.getEnd(), String(maxDelayMs)));
  } else if (factor && factorValue !== undefined && factorValue <= 1 && !polls) {
    problems.push({ defect: 'libraryWithoutBackoff', reason: `\`factor: ${factor.initializer.getText(sourceFile)}\` keeps every delay the same` });
    edits.push(replaceText(sourceFile, factor.initializer.getStart(sourceFile), factor.initializer.getEnd(), '2'));
  } else if (minTimeout && maxTimeout && minTimeout.initializer.getText(sourceFile) === maxTimeout.initializer.getText(sourceFile) && !polls) {
    problems.push({ defect: 'libraryWithoutBackoff', reason: '`minTimeout` equal to `maxTimeout` keeps every delay the same' });
    edits.push(replaceText(sourceFile, maxTimeout.initializer.getStart(sourceFile), maxTimeout.initializer.getEnd(), String(maxDelayMs)));
  }
  const forever = property(options, 'forever');
  const unbounded = isInfinite(property(options, 'retries')?.initializer) || forever?.initializer.kind === ts.SyntaxKind.TrueKeyword;
  if (unbounded && !property(options, 'maxRetryTime')) problems.push({ defect: 'unbounded', reason: 'retries for ever' });
  return result(target, problems, edits, 'Restore exponential backoff');
}

function exponentialBackoffOptions(target: LibraryCall): LibraryFinding | undefined {
  const { options } = target;
  if (!options || hasSpread(options)) return undefined;
  const problems: LibraryProblem[] = [];
  const multiple = numericValue(property(options, 'timeMultiple')?.initializer);
  if (multiple !== undefined && multiple <= 1) problems.push({ defect: 'libraryWithoutBackoff', reason: '`timeMultiple` of 1 or less keeps every delay the same' });
  if (numericValue(property(options, 'startingDelay')?.initializer) === 0) problems.push({ defect: 'libraryWithoutBackoff', reason: '`startingDelay: 0` retries immediately' });
  if (isInfinite(property(options, 'numOfAttempts')?.initializer)) problems.push({ defect: 'unbounded', reason: 'retries for ever' });
  return result(target, problems, [], '');
}

/** cockatiel: no `backoff` means ConstantBackoff(0), no `maxAttempts` means Infinity. */
function cockatielOptions(target: LibraryCall, context: SiteContext): LibraryFinding | undefined {
  const { options } = target;
  if ((!options && !target.omitted) || hasSpread(options)) return undefined;
  const { sourceFile } = context;
  const problems: LibraryProblem[] = [];
  const edits: TextEdit[] = [];
  const backoff = property(options, 'backoff');
  const exponential = cockatielExport(context, 'ExponentialBackoff');
  const backoffValue = backoff && skipOuterExpressions(backoff.initializer);
  if (!backoff) {
    problems.push({ defect: 'libraryWithoutBackoff', reason: 'without a `backoff` it retries immediately' });
    if (exponential && options) edits.push(addPropertyEdit(sourceFile, options, `backoff: new ${exponential.name}()`), ...exponential.edits);
  } else if (backoffValue && ts.isNewExpression(backoffValue) && /ConstantBackoff$/.test(backoffValue.expression.getText(sourceFile))) {
    problems.push({ defect: 'libraryWithoutBackoff', reason: '`ConstantBackoff` keeps every delay the same' });
    const cleanup = exponential && importCleanup(context, backoffValue);
    if (exponential && cleanup) edits.push(replaceText(sourceFile, backoffValue.getStart(sourceFile), backoffValue.getEnd(), `new ${exponential.name}()`), ...exponential.edits, ...cleanup);
  }
  if (!property(options, 'maxAttempts')) problems.push({ defect: 'unbounded', reason: 'retries for ever (no `maxAttempts`)' });
  return result(target, problems, edits, 'Back off exponentially (cockatiel ExponentialBackoff)');
}

/** Dropping the `ConstantBackoff` import the replacement leaves unused (none for `cockatiel.ConstantBackoff`). */
function importCleanup(context: SiteContext, constant: ts.NewExpression): TextEdit[] | undefined {
  const callee = skipOuterExpressions(constant.expression);
  const binding = ts.isIdentifier(callee) ? importBindings(context.facts, context.sourceFile).get(callee.text) : undefined;
  if (!binding || !ts.isImportSpecifier(binding.declaration)) return [];
  return dropImportIfUnused(context.sourceFile, binding.declaration, constant);
}

/** How this file can name a cockatiel export, with the import edit that makes it available. */
function cockatielExport(context: SiteContext, name: string): { name: string; edits: TextEdit[] } | undefined {
  const bindings = [...importBindings(context.facts, context.sourceFile).values()].filter((b) => b.module === 'cockatiel');
  const existing = bindings.find((b) => b.imported === name);
  if (existing) return { name: existing.local, edits: [] };
  const namespace = bindings.find((b) => b.imported === '*');
  if (namespace) return { name: `${namespace.local}.${name}`, edits: [] };
  const named = bindings.map((b) => b.declaration).find((d): d is ts.ImportSpecifier => ts.isImportSpecifier(d));
  if (!named) return undefined;
  return { name, edits: [insertText(context.sourceFile, named.parent.elements[named.parent.elements.length - 1]!.getEnd(), `, ${name}`)] };
}

/** axios-retry: the default `retryDelay` is no delay at all. */
function axiosRetryOptions(target: LibraryCall, context: SiteContext): LibraryFinding | undefined {
  const { options } = target;
  if ((!options && !target.omitted) || hasSpread(options)) return undefined;
  const problems: LibraryProblem[] = [];
  const edits: TextEdit[] = [];
  const retryDelay = property(options, 'retryDelay');
  const local = skipOuterExpressions(target.call.expression).getText(context.sourceFile);
  if (!retryDelay) {
    problems.push({ defect: 'libraryWithoutBackoff', reason: 'without a `retryDelay` it retries immediately' });
    const delay = `retryDelay: ${local}.exponentialDelay`;
    edits.push(options ? addPropertyEdit(context.sourceFile, options, delay) : insertText(context.sourceFile, target.call.arguments[0]?.getEnd() ?? target.call.getEnd() - 1, `, { ${delay} }`));
  } else if (isCallTo(retryDelay.initializer, 'linearDelay')) {
    // A function of its own is judged as a delay callback (strategies.ts).
    problems.push({ defect: 'libraryWithoutBackoff', reason: '`linearDelay` grows the delay only linearly' });
  }
  if (isInfinite(property(options, 'retries')?.initializer)) problems.push({ defect: 'unbounded', reason: 'retries for ever' });
  return result(target, problems, edits, 'Back off exponentially (axios-retry exponentialDelay)');
}

/**
 * ofetch retries with `retryDelay` between attempts, 0 unless set. Its own default (one
 * retry, for requests without a body) and a single retry are left alone: only `retry` of
 * two or more, or Infinity, is judged. A `retryDelay` function is judged as a delay
 * callback (strategies.ts).
 */
function ofetchOptions(target: LibraryCall, context: SiteContext): LibraryFinding | undefined {
  const { options } = target;
  if (!options || hasSpread(options)) return undefined;
  const retries = repeatedRetries(property(options, 'retry')?.initializer, context);
  if (!retries) return undefined;
  const retryDelay = property(options, 'retryDelay');
  const delay = retryDelay ? knownNumber(retryDelay.initializer, context) : 0;
  const problems: LibraryProblem[] = [];
  if (delay === 0) problems.push({ defect: 'libraryWithoutBackoff', reason: retryDelay ? '`retryDelay: 0` retries immediately' : 'without a `retryDelay` it retries immediately' });
  else if (delay !== undefined) problems.push({ defect: 'libraryWithoutBackoff', reason: `\`retryDelay: ${delay}\` keeps every delay the same` });
  return result(target, [...problems, ...retries.problems], [], '');
}

/**
 * superagent's `.retry(n)` on a request: it resends at once, and has no option for a
 * delay. One retry (its default) is left alone; two or more, or Infinity, are reported.
 */
function superagentRetry(call: ts.CallExpression, context: SiteContext): LibraryFinding | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'retry') return undefined;
  let root: ts.Expression = skipOuterExpressions(callee.expression);
  while (ts.isCallExpression(root) || ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root) || importBindings(context.facts, context.sourceFile).get(root.text)?.module !== 'superagent') return undefined;
  // `.retry()` with no count retries once.
  const retries = call.arguments.length === 0 ? undefined : repeatedRetries(call.arguments[0], context);
  if (!retries) return undefined;
  const problems: LibraryProblem[] = [{ defect: 'libraryWithoutBackoff', reason: '`.retry()` resends at once, and superagent has no delay between attempts' }, ...retries.problems];
  return { node: callee.name, library: 'superagent', problems, fix: undefined };
}

/**
 * A retry count of two or more, or Infinity (with that problem); undefined for none, one
 * (the single retry HTTP clients make by default) or a count that is not known.
 */
function repeatedRetries(count: ts.Expression | undefined, context: SiteContext): { problems: LibraryProblem[] } | undefined {
  if (isInfinite(count)) return { problems: [{ defect: 'unbounded', reason: 'retries for ever' }] };
  const retries = count && knownNumber(count, context);
  return retries !== undefined && retries >= 2 ? { problems: [] } : undefined;
}

/** A number written out or held by the file's constants (`retry: MAX_RETRIES`, `limits.retries`). */
function knownNumber(expression: ts.Expression, context: SiteContext): number | undefined {
  const value = evaluate(expression, new Map(), context.facts);
  return typeof value === 'number' ? value : undefined;
}

/** fetch-retry: without a `retryDelay` function every wait is the same second. */
function fetchRetryOptions(target: LibraryCall, context: SiteContext, maxDelayMs: number): LibraryFinding | undefined {
  const { options } = target;
  if ((!options && !target.omitted) || hasSpread(options)) return undefined;
  const { sourceFile } = context;
  const retryDelay = property(options, 'retryDelay');
  const base = retryDelay ? numericValue(retryDelay.initializer) : 1000;
  if (base === undefined) return undefined; // a retryDelay function is judged as a delay callback (strategies.ts)
  const backoff = `(attempt) => Math.random() * Math.min(${maxDelayMs}, ${base} * 2 ** attempt)`;
  let edit: TextEdit;
  if (retryDelay) edit = replaceText(sourceFile, retryDelay.initializer.getStart(sourceFile), retryDelay.initializer.getEnd(), backoff);
  else if (options) edit = addPropertyEdit(sourceFile, options, `retryDelay: ${backoff}`);
  else edit = insertText(sourceFile, target.call.arguments[0]?.getEnd() ?? target.call.getEnd() - 1, `, { retryDelay: ${backoff} }`);
  const reason = retryDelay ? `\`retryDelay: ${base}\` keeps every delay the same` : 'without a `retryDelay` function it waits the same 1000 ms before every attempt';
  return result(target, [{ defect: 'libraryWithoutBackoff', reason }], [edit], 'Back off exponentially with full jitter (fetch-retry retryDelay)');
}
