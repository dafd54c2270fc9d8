import { ts } from 'ts-morph';
import { indentationAt, lineEnding, replaceText } from '../../engine/edits';
import type { Fix, TextEdit } from '../../engine/findings';
import { planPatternImport } from '../../engine/patternInsertion';
import type { RuleContext } from '../../engine/rule';
import type { Assessment } from './assessment';
import { attemptCountText, type AttemptProgram, type Step } from './attemptCount';
import { delayOptions } from './delayOptions';
import { planHandler, rethrows, type HandlerPlan } from './handlerPlan';
import type { RetrySite } from './model';
import { canImportRetry, deleteLines, isAsyncContext, unitOf } from './replaceEditing';
import { catchVariable } from './retryPath';
import { breakTarget, forEachInScope, functionBody, functionName, isLoop, mentionsAny, referencedKeys } from './syntax';
import { isAsync, skipOuterExpressions } from '../shared/localDeclarations';

// The full fix: replace a home-made retry loop or recursion with the retry() pattern
// (capped exponential backoff with full jitter, an attempt limit, shouldRetry), inserted
// into the project once and imported. It is offered only when the retry matches a shape
// whose behaviour can be carried over exactly: the same operation, the same number of
// attempts, the same error filter and logging; otherwise the smaller delay fix remains.

export interface ReplaceOptions {
  maxDelayMs: number;
  maxAttempts: number;
}

interface Replacement {
  /** `return` or `result =`. */
  prefix: string;
  operation: string;
  options: string[];
  range: { start: number; end: number };
  deletions: ts.Node[];
}

/** The retry() pattern fix, and the same rewrite with p-retry when the project already depends on it. */
export function replaceWithRetryFixes(site: RetrySite, assessment: Assessment, context: RuleContext<ReplaceOptions>): Fix[] {
  if (!site.bounded && site.shape === 'reconnect') return []; // a reconnect may rightly run for ever; retry() stops
  const container = site.container;
  const replacement = isLoop(container) ? loopReplacement(container, site, assessment, context) : site.shape === 'recursion' && ts.isFunctionLike(container) ? recursionReplacement(container, site, assessment, context) : undefined;
  if (!replacement) return [];
  const library = pRetryFix(replacement, site, context);
  const pattern = canImportRetry(site.anchor, context.sourceFile) ? patternFix(replacement, site, context) : undefined;
  return [...(pattern ? [pattern] : []), ...(library ? [library] : [])];
}

function patternFix(replacement: Replacement, site: RetrySite, context: RuleContext<ReplaceOptions>): Fix {
  const { sourceFile } = context;
  const container = site.container;
  const plan = planPatternImport({
    pattern: 'retry',
    symbols: ['retry'],
    targetFile: sourceFile.fileName,
    targetText: sourceFile.text,
    projectRoot: context.settings.projectRoot,
    patternsDir: context.settings.patternsDir,
    esm: context.facts.usesEsmImports(),
  });
  const indent = indentationAt(sourceFile, replacement.range.start);
  const edits: TextEdit[] = [
    replaceText(sourceFile, replacement.range.start, replacement.range.end, render('retry', replacement, indent, lineEnding(sourceFile), unitOf(sourceFile, container))),
    ...replacement.deletions.map((node) => deleteLines(sourceFile, node)),
    ...plan.edits,
  ];
  return { title: 'Replace with retry() (exponential backoff, full jitter, cap, attempt limit)', edits, createFiles: plan.createFiles };
}

/**
 * The same rewrite with p-retry (randomized exponential backoff), for projects that depend
 * on it. Its callbacks receive p-retry's own context, so a filter or logging is not moved.
 */
function pRetryFix(replacement: Replacement, site: RetrySite, context: RuleContext<ReplaceOptions>): Fix | undefined {
  const { sourceFile } = context;
  if (!context.facts.dependencies().has('p-retry')) return undefined;
  const options = pRetryOptions(replacement.options, context.options.maxDelayMs);
  const library = pRetryImport(sourceFile);
  if (!options || !library) return undefined;
  const indent = indentationAt(sourceFile, replacement.range.start);
  const text = render(library.name, { ...replacement, options }, indent, lineEnding(sourceFile), unitOf(sourceFile, site.container));
  return {
    title: 'Replace with p-retry (randomized exponential backoff, cap, attempt limit)',
    edits: [replaceText(sourceFile, replacement.range.start, replacement.range.end, text), ...replacement.deletions.map((node) => deleteLines(sourceFile, node)), ...library.edits],
  };
}

function pRetryOptions(options: readonly string[], maxDelayMs: number): string[] | undefined {
  const mapped: string[] = [];
  let capped = false;
  for (const option of options) {
    const [name, value] = [option.slice(0, option.indexOf(':')), option.slice(option.indexOf(':') + 1).trim()];
    if (name === 'maxAttempts') mapped.push(`retries: ${oneLess(value)}`);
    else if (name === 'baseDelay') mapped.push(`minTimeout: ${value}`);
    else if (name === 'maxDelay') {
      capped = true;
      mapped.push(`maxTimeout: ${value}`);
    } else return undefined;
  }
  return [...mapped, ...(capped ? [] : [`maxTimeout: ${maxDelayMs}`]), 'randomize: true'];
}

/** p-retry counts retries, not attempts: `maxRetries + 1` → `maxRetries`, `5` → `4`. */
function oneLess(attempts: string): string {
  if (/^\d+$/.test(attempts)) return String(Number(attempts) - 1);
  const plusOne = /^(.*) \+ 1$/.exec(attempts);
  return plusOne ? plusOne[1]! : `${attempts} - 1`;
}

/** The file's default import of p-retry, or a new one (unless `pRetry` is taken). */
function pRetryImport(sourceFile: ts.SourceFile): { name: string; edits: TextEdit[] } | undefined {
  const imports = sourceFile.statements.filter(ts.isImportDeclaration);
  const existing = imports.find((i) => ts.isStringLiteral(i.moduleSpecifier) && i.moduleSpecifier.text === 'p-retry' && i.importClause?.name);
  if (existing?.importClause?.name) return { name: existing.importClause.name.text, edits: [] };
  if (/\bpRetry\b/.test(sourceFile.text)) return undefined;
  const last = imports[imports.length - 1];
  const statement = `import pRetry from 'p-retry';`;
  const eol = lineEnding(sourceFile);
  const edit = last ? replaceText(sourceFile, last.getEnd(), last.getEnd(), `${eol}${statement}`) : replaceText(sourceFile, 0, 0, `${statement}${eol}${eol}`);
  return { name: 'pRetry', edits: [edit] };
}

function loopReplacement(loop: ts.IterationStatement, site: RetrySite, assessment: Assessment, context: RuleContext<ReplaceOptions>): Replacement | undefined {
  const { sourceFile } = context;
  const block = loop.parent;
  const body = loop.statement;
  if (!ts.isBlock(block) || !ts.isBlock(body) || !isAsyncContext(loop) || [...site.counters].some((c) => c.includes('.'))) return undefined;
  const attempt = body.statements.find(ts.isTryStatement);
  if (!attempt?.catchClause) return undefined;
  const bookkeeping = bookkeepingKeys(site);
  const index = body.statements.indexOf(attempt);
  const handlerContext = { errorName: catchVariable(attempt.catchClause), bookkeeping, counters: site.counters, delays: new Set(site.delays.map((d) => d.node)) };
  const before = planHandler(body.statements.slice(0, index), { ...handlerContext, errorName: undefined });
  const handler = planHandler(attempt.catchClause.block.statements, handlerContext);
  const after = planHandler(body.statements.slice(index + 1), { ...handlerContext, errorName: undefined });
  if (!before || !handler || !after || before.filters.length + after.filters.length + before.logs.length + after.logs.length > 0) return undefined;
  const work = attemptWork(attempt.tryBlock, loop, bookkeeping);
  if (!work) return undefined;

  const declarations = removableDeclarations(block, loop, [...bookkeeping, ...(handler.lastError ? [handler.lastError] : [])]);
  if (!declarations) return undefined;
  const next = block.statements[block.statements.indexOf(loop) + 1];
  const endsByThrow = next !== undefined && rethrows(next, undefined, handler.lastError);
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  const runsForEver = !condition || skipOuterExpressions(condition).kind === ts.SyntaxKind.TrueKeyword;
  // When the loop can end by itself, what follows must be "give up with the last error", as retry() does.
  if (!runsForEver && !endsByThrow) return undefined;

  const initial = new Map<string, ts.Expression | null>();
  for (const declaration of [...declarations.values(), ...forInitializers(loop)]) {
    if (ts.isIdentifier(declaration.name) && site.counters.has(declaration.name.text) && declaration.initializer) initial.set(declaration.name.text, declaration.initializer);
  }
  const program: AttemptProgram = {
    initial,
    counters: site.counters,
    before: [...(condition && !ts.isDoStatement(loop) && !runsForEver ? [{ kind: 'continueIf', condition } as Step] : []), ...before.steps],
    after: [
      ...handler.steps,
      ...(handler.continues ? [] : after.steps),
      ...(ts.isForStatement(loop) && loop.incrementor ? [{ kind: 'update', expression: loop.incrementor } as Step] : []),
      ...(ts.isDoStatement(loop) ? [{ kind: 'continueIf', condition: loop.expression } as Step] : []),
    ],
  };
  const options = retryOptions(site, assessment, handler, program, context, bookkeeping);
  if (!options) return undefined;
  return {
    prefix: work.prefix,
    operation: work.operation(sourceFile, indentationAt(sourceFile, loop.getStart(sourceFile)), unitOf(sourceFile, loop)),
    options,
    range: { start: loop.getStart(sourceFile), end: (endsByThrow ? next : loop).getEnd() },
    deletions: [...declarations.keys()],
  };
}

function recursionReplacement(fn: ts.SignatureDeclaration, site: RetrySite, assessment: Assessment, context: RuleContext<ReplaceOptions>): Replacement | undefined {
  const body = functionBody(fn);
  if (!body || !ts.isBlock(body) || body.statements.length !== 1 || !isAsync(fn)) return undefined;
  const attempt = body.statements[0];
  if (!attempt || !ts.isTryStatement(attempt) || !attempt.catchClause || attempt.finallyBlock) return undefined;
  const errorName = catchVariable(attempt.catchClause);
  const statements = normaliseGuardedSelfCall(attempt.catchClause.block.statements, errorName);
  const last = statements.statements[statements.statements.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression || !isSelfCall(last.expression, fn)) return undefined;
  const bookkeeping = bookkeepingKeys(site);
  const handler = planHandler(statements.statements.slice(0, -1), { errorName, bookkeeping, counters: site.counters, delays: new Set(site.delays.map((d) => d.node)) });
  const work = attemptWork(attempt.tryBlock, undefined, bookkeeping);
  if (!handler || !work || handler.lastError) return undefined;
  const counters = [...site.counters];
  const initial = new Map<string, ts.Expression | null>(counters.map((c) => [c, null]));
  const stepArguments: Step[] = [...(site.env.recursiveArguments ?? [])].flatMap(([name, args]) =>
    args.length === 1 && site.counters.has(name) ? [{ kind: 'update', expression: assignmentText(name, args[0]!) } as Step] : [],
  );
  if (stepArguments.length !== counters.length) return undefined;
  const program: AttemptProgram = { initial, counters: site.counters, before: [], after: [...statements.guard, ...handler.steps, ...stepArguments] };
  const options = retryOptions(site, assessment, handler, program, context, bookkeeping);
  if (!options) return undefined;
  const { sourceFile } = context;
  const rendered = options.join(' ');
  // Every parameter that fed the bookkeeping must still be read, or noUnusedParameters breaks the build.
  const unread = fn.parameters.some((p) => ts.isIdentifier(p.name) && bookkeeping.has(p.name.text) && !new RegExp(`\\b${p.name.text}\\b`).test(rendered));
  if (unread) return undefined;
  return {
    prefix: work.prefix,
    operation: work.operation(sourceFile, indentationAt(sourceFile, attempt.getStart(sourceFile)), unitOf(sourceFile, attempt)),
    options,
    range: { start: attempt.getStart(sourceFile), end: attempt.getEnd() },
    deletions: [],
  };
}

/** `if (retries > 0) { …; return f(retries - 1) } throw err;` reads as `if (!(retries > 0)) throw err; …`. */
function normaliseGuardedSelfCall(statements: readonly ts.Statement[], errorName: string | undefined): { statements: readonly ts.Statement[]; guard: Step[] } {
  const [first, second] = statements;
  if (statements.length === 2 && first && second && ts.isIfStatement(first) && !first.elseStatement && ts.isBlock(first.thenStatement) && rethrows(second, errorName, undefined)) {
    return { statements: first.thenStatement.statements, guard: [{ kind: 'stopIf', condition: first.expression, negated: true }] };
  }
  return { statements, guard: [] };
}

function isSelfCall(expression: ts.Expression, fn: ts.SignatureDeclaration): boolean {
  let node = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression);
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? callee.name.text : undefined;
  return name !== undefined && name === functionName(fn);
}

/** The counter step a self-call makes (`retries - 1` for `retries`) as an assignment to evaluate. */
function assignmentText(name: string, argument: ts.Expression): ts.Expression {
  const source = ts.createSourceFile('step.ts', `${name} = ${argument.getText()};`, ts.ScriptTarget.Latest, true);
  const statement = source.statements[0];
  if (!statement || !ts.isExpressionStatement(statement)) throw new Error('unreachable: an assignment parses as one');
  return statement.expression;
}

interface AttemptWork {
  prefix: string;
  operation(sourceFile: ts.SourceFile, indent: string, unit: string): string;
}

/** The attempt as an operation: `return await E` → `async () => E`; several statements → an async block. */
function attemptWork(block: ts.Block, loop: ts.IterationStatement | undefined, bookkeeping: ReadonlySet<string>): AttemptWork | undefined {
  const statements = block.statements;
  const last = statements[statements.length - 1];
  if (!last || mentionsAny(block, bookkeeping) || exitsElsewhere(block, loop) || containsYield(block)) return undefined;
  if (ts.isReturnStatement(last) && last.expression) {
    const single = statements.length === 1 ? skipOuterExpressions(last.expression) : undefined;
    const expression = single && ts.isAwaitExpression(single) ? single.expression : single;
    return {
      prefix: 'return',
      operation: (sourceFile, indent, unit) => (expression ? `async () => ${expression.getText(sourceFile)}` : asyncBlock(statements, sourceFile, indent, unit)),
    };
  }
  // A recursive retry of a call whose result is not used: `try { await op(); } catch { … return f(); }`.
  if (!loop && !containsReturn(block)) {
    return { prefix: 'return', operation: (sourceFile, indent, unit) => asyncBlock(statements, sourceFile, indent, unit) };
  }
  // `result = await op(); break;`
  const [assignment, exit] = statements;
  if (statements.length !== 2 || !assignment || !exit || !ts.isBreakStatement(exit) || !ts.isExpressionStatement(assignment)) return undefined;
  const expression = skipOuterExpressions(assignment.expression);
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isIdentifier(expression.left)) return undefined;
  const value = skipOuterExpressions(expression.right);
  const operation = ts.isAwaitExpression(value) ? value.expression : value;
  return { prefix: `${expression.left.text} =`, operation: (sourceFile) => `async () => ${operation.getText(sourceFile)}` };
}

function asyncBlock(statements: readonly ts.Statement[], sourceFile: ts.SourceFile, indent: string, unit: string): string {
  const eol = lineEnding(sourceFile);
  const first = statements[0]!;
  const oldIndent = indentationAt(sourceFile, first.getStart(sourceFile));
  const text = sourceFile.text.slice(first.getStart(sourceFile), statements[statements.length - 1]!.getEnd());
  const lines = text.split(/\r?\n/).map((line, i) => (i === 0 ? line : line.startsWith(oldIndent) ? indent + unit + line.slice(oldIndent.length) : line));
  return `async () => {${eol}${indent}${unit}${lines.join(eol)}${eol}${indent}}`;
}

/** A return or break before the end of the attempt, or a jump out of the loop, cannot move into a callback. */
function exitsElsewhere(block: ts.Block, loop: ts.IterationStatement | undefined): boolean {
  let found = false;
  const last = block.statements[block.statements.length - 1];
  forEachInScope(block, (node) => {
    if ((ts.isBreakStatement(node) || ts.isContinueStatement(node)) && (node.label || (loop && breakTarget(node) === loop)) && node !== last) found = true;
    if (ts.isReturnStatement(node) && node !== last) found = true;
  });
  return found;
}

function containsReturn(block: ts.Block): boolean {
  let found = false;
  forEachInScope(block, (node) => {
    if (ts.isReturnStatement(node)) found = true;
  });
  return found;
}

function containsYield(block: ts.Block): boolean {
  let found = false;
  forEachInScope(block, (node) => {
    if (ts.isYieldExpression(node)) found = true;
  });
  return found;
}

function retryOptions(site: RetrySite, assessment: Assessment, handler: HandlerPlan, program: AttemptProgram, context: RuleContext<ReplaceOptions>, bookkeeping: ReadonlySet<string>): string[] | undefined {
  const attempts = site.bounded ? attemptCountText(program) : String(context.options.maxAttempts);
  if (attempts === undefined) return undefined;
  const options = [`maxAttempts: ${attempts}`, ...delayOptions(site, assessment, bookkeeping)];
  const errorName = catchVariable(findCatch(site));
  const errorParameter = errorParameterText(site, errorName, [...handler.filters, ...handler.logs], context);
  if (errorParameter === undefined) return undefined;
  if (handler.filters.length > 0) {
    const usesError = handler.filters.some((f) => errorName !== undefined && mentionsAny(f, new Set([errorName])));
    const predicate = handler.filters.map((f) => negation(f, context.sourceFile)).join(' && ');
    options.push(`shouldRetry: (${usesError ? errorParameter : ''}) => ${predicate}`);
  }
  if (handler.logs.length > 0) {
    const usesError = errorName !== undefined && handler.logs.some((l) => mentionsAny(l, new Set([errorName])));
    const binding = errorName === 'error' ? 'error' : `error: ${errorName}`;
    const parameter = usesError ? `({ ${binding} }${errorParameter.includes(':') ? ': { error: any }' : ''})` : '()';
    const body = handler.logs.map((l) => l.getText(context.sourceFile)).join(' ');
    options.push(`onRetry: ${parameter} => ${handler.logs.length === 1 ? skipSemicolon(body) : `{ ${body} }`}`);
  }
  return options;
}

/** `!x` → `x`, `a !== b` → `a === b`, anything else → `!(…)`. */
function negation(condition: ts.Expression, sourceFile: ts.SourceFile): string {
  const node = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return node.operand.getText(sourceFile);
  const flipped: Partial<Record<ts.SyntaxKind, string>> = {
    [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '===',
    [ts.SyntaxKind.EqualsEqualsEqualsToken]: '!==',
    [ts.SyntaxKind.ExclamationEqualsToken]: '==',
    [ts.SyntaxKind.EqualsEqualsToken]: '!=',
  };
  const operator = ts.isBinaryExpression(node) ? flipped[node.operatorToken.kind] : undefined;
  if (operator && ts.isBinaryExpression(node)) return `${node.left.getText(sourceFile)} ${operator} ${node.right.getText(sourceFile)}`;
  return `!(${condition.getText(sourceFile)})`;
}

function findCatch(site: RetrySite): ts.CatchClause | undefined {
  let clause: ts.CatchClause | undefined;
  forEachInScope(site.container, (node) => {
    if (!clause && ts.isCatchClause(node)) clause = node;
  });
  return clause;
}

/**
 * How the error parameter is written in shouldRetry/onRetry: `err` where the catch variable
 * was `unknown`, `err: any` where the project's catch variables are `any` (the code moved
 * out of the catch may rely on it). Undefined when that cannot be known.
 */
function errorParameterText(site: RetrySite, errorName: string | undefined, moved: readonly ts.Node[], context: RuleContext<ReplaceOptions>): string | undefined {
  if (errorName === undefined || !moved.some((node) => mentionsAny(node, new Set([errorName])))) return errorName ?? '';
  const declaration = findCatch(site)?.variableDeclaration;
  if (!declaration) return undefined;
  if (declaration.type) return `${errorName}: ${declaration.type.getText(context.sourceFile)}`;
  const checker = context.getTypeChecker();
  if (!checker) return undefined;
  const type = checker.getTypeAtLocation(declaration.name);
  return type.flags & ts.TypeFlags.Any ? `${errorName}: any` : errorName;
}

function skipSemicolon(text: string): string {
  return text.endsWith(';') ? text.slice(0, -1) : text;
}

function render(callee: string, replacement: Replacement, indent: string, eol: string, unit: string): string {
  const head = `${replacement.prefix} await ${callee}(${replacement.operation}, {`;
  const oneLine = `${head} ${replacement.options.join(', ')} });`;
  if (oneLine.length + indent.length <= 100 && !replacement.operation.includes('\n')) return oneLine;
  return `${head}${eol}${replacement.options.map((o) => `${indent}${unit}${o},`).join(eol)}${eol}${indent}});`;
}

/** Counters and the variables the delay is computed from: what retry() takes over. */
function bookkeepingKeys(site: RetrySite): Set<string> {
  const keys = new Set(site.counters);
  for (const delay of site.delays) {
    if (!delay.ms || delay.ms.env.sourceFile !== site.env.sourceFile) continue;
    for (const key of referencedKeys(delay.ms.expression)) if (isLocalVariable(key, site)) keys.add(key);
  }
  return keys;
}

function isLocalVariable(key: string, site: RetrySite): boolean {
  if (key.includes('.') || !site.env.scope) return false;
  let declared = false;
  forEachInScope(site.env.scope, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === key) declared = true;
    if (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === key) declared = true;
  });
  if (ts.isFunctionLike(site.container)) declared ||= site.container.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === key);
  return declared;
}

/** `let attempt = 0;` before the loop, used nowhere else: it goes with the loop. */
function removableDeclarations(block: ts.Block, loop: ts.Node, names: readonly string[]): Map<ts.VariableStatement, ts.VariableDeclaration> | undefined {
  const removable = new Map<ts.VariableStatement, ts.VariableDeclaration>();
  const loopIndex = block.statements.indexOf(loop as ts.Statement);
  for (const statement of block.statements.slice(0, loopIndex)) {
    if (!ts.isVariableStatement(statement)) continue;
    const declarations = statement.declarationList.declarations;
    const named = declarations.filter((d) => ts.isIdentifier(d.name) && names.includes(d.name.text));
    if (named.length === 0) continue;
    if (declarations.length !== 1) return undefined;
    const name = (named[0]!.name as ts.Identifier).text;
    if (usedOutside(block, name, [statement, loop, block.statements[loopIndex + 1]])) return undefined;
    removable.set(statement, named[0]!);
  }
  return removable;
}

function usedOutside(block: ts.Block, name: string, inside: readonly (ts.Node | undefined)[]): boolean {
  let used = false;
  forEachInScope(block, (node) => {
    if (inside.includes(node)) return 'skip';
    if (ts.isIdentifier(node) && node.text === name && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) used = true;
    return undefined;
  });
  return used;
}

function forInitializers(loop: ts.IterationStatement): ts.VariableDeclaration[] {
  return ts.isForStatement(loop) && loop.initializer && ts.isVariableDeclarationList(loop.initializer) ? [...loop.initializer.declarations] : [];
}
