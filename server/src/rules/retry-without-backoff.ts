import { ts } from 'ts-morph';
import { rangeOfNode, rangeOfOffsets } from '../engine/analyzer';
import type { RelatedLocation } from '../engine/findings';
import { defineRule, type RuleContext } from '../engine/rule';
import { docsUrl } from './docs';
import { assess, type Assessment, type Defect } from './retry/assessment';
import { intervalRetry, promiseChainRetry } from './retry/chains';
import { retryFixes } from './retry/fixes';
import { passedThrough } from './retry/delays';
import { checkLibraryCall, type LibraryFinding } from './retry/libraries';
import { retryLoop } from './retry/loops';
import type { RetrySite, SiteContext } from './retry/model';
import { recursiveRetry } from './retry/recursion';
import { delayCallbackRetry } from './retry/strategies';
import { functionName } from './retry/syntax';
import { messageText } from './shared/messageText';

// Retries without growing, jittered, capped delays turn one slow dependency into an
// outage: every client that failed comes back at once, again and again. This rule finds
// home-made retries (loops, recursion, promise chains, timer-driven reconnects) and
// misconfigured retry libraries, and says exactly which part of the backoff is missing.

export interface RetryOptions extends Record<string, unknown> {
  /** Cap the fixes use, and the delay past which an uncapped backoff is reported. */
  maxDelayMs: number;
  /** Extra names of project or package functions that wait (`sleep`, `delay`... are known). */
  sleepFunctions: string[];
  /** Also check tests and test helpers (their retries never reach a production dependency). */
  checkTests: boolean;
  /** The attempt limit the replacement fix gives a retry that had none. */
  maxAttempts: number;
}

const SHAPE_NAMES: Record<RetrySite['shape'], string> = {
  loop: 'This retry loop',
  recursion: 'This recursive retry',
  promiseChain: 'This `.catch()` retry',
  reconnect: 'This reconnect',
  interval: 'This setInterval retry',
  strategy: 'This retry delay callback',
};

const ALSO: Record<Defect, string> = {
  noDelay: 'no delay between attempts',
  constantDelay: 'a constant delay',
  linearDelay: 'a linearly growing delay',
  noJitter: 'no jitter',
  noCap: 'no cap on the delay',
  unbounded: 'no maximum number of attempts',
  retriesNonRetryable: 'retries of errors that will fail again',
};

export default defineRule<RetryOptions>({
  meta: {
    id: 'retry-without-backoff',
    description: 'Home-made retries with no delay, a constant or linear delay, no jitter, no cap or no attempt limit.',
    docsUrl: docsUrl('retry-without-backoff'),
    messages: {
      noDelay: '{{what}} retries immediately, with no delay between attempts{{also}}.',
      constantDelay: '{{what}} waits the same delay ({{delay}}) before every attempt instead of backing off exponentially{{also}}.',
      linearDelay: '{{what}} grows its delay only linearly ({{delay}}) instead of exponentially{{also}}.',
      noJitter: '{{what}} backs off ({{delay}}) without jitter, so clients that failed together retry together{{also}}.',
      noCap: '{{what}} has no cap on its delay ({{delay}}), so late attempts wait longer and longer{{also}}.',
      unbounded: '{{what}} has no maximum number of attempts, so it retries for ever{{also}}.',
      retriesNonRetryable: '{{what}} retries errors that will fail again: {{reason}}{{also}}.',
      libraryWithoutBackoff: '{{library}} is configured without backoff: {{reason}}{{also}}.',
    },
    defaultSeverity: 'warning',
    // Only asked for when the replacement fix moves code that reads the catch variable
    // (is it `any` or `unknown` in this project?); detection is syntactic.
    requiresTypes: true,
    defaultOptions: { maxDelayMs: 30_000, maxAttempts: 5, sleepFunctions: [], checkTests: false },
  },
  create(context) {
    const { sourceFile } = context;
    const siteContext: SiteContext = {
      sourceFile,
      facts: context.facts,
      delays: { facts: context.facts, sleepNames: new Set(context.options.sleepFunctions) },
      enclosing: new Map(),
    };
    // One retry can be seen from two ends (a reconnect helper and the function it calls back):
    // the loop or function, or a wait, already reported means the same retry.
    const reported = new Set<ts.Node>();
    const report = (site: RetrySite | undefined) => {
      if (!site) return;
      const identity = [site.container, ...site.delays.map((d) => d.node)];
      if (identity.some((node) => reported.has(node))) return;
      identity.forEach((node) => reported.add(node));
      reportSite(context, site);
    };
    const onLoop = (node: ts.Node) => report(retryLoop(node as ts.IterationStatement, siteContext));
    const onProperty = (node: ts.Node) => report(delayCallbackRetry(node, siteContext));
    return {
      [ts.SyntaxKind.ForStatement]: onLoop,
      [ts.SyntaxKind.ForOfStatement]: onLoop,
      [ts.SyntaxKind.WhileStatement]: onLoop,
      [ts.SyntaxKind.DoStatement]: onLoop,
      [ts.SyntaxKind.PropertyAssignment]: onProperty,
      [ts.SyntaxKind.MethodDeclaration]: onProperty,
      [ts.SyntaxKind.CallExpression](node) {
        const call = node as ts.CallExpression;
        report(recursiveRetry(call, siteContext) ?? promiseChainRetry(call, siteContext) ?? intervalRetry(call, siteContext));
        const library = checkLibraryCall(call, siteContext, context.options.maxDelayMs);
        if (library) reportLibrary(context, library);
      },
    };
  },
});

function reportSite(context: RuleContext<RetryOptions>, site: RetrySite): void {
  const assessment = assess(site, context.facts, context.options.maxDelayMs);
  const [primary, ...others] = assessment.defects;
  if (!primary) return;
  const { sourceFile } = context;
  const ms = assessment.delay?.ms && passedThrough(assessment.delay.ms);
  // Quote the delay as the retry writes it, not as a shared helper computes it.
  const delayNode = ms?.env.sourceFile === sourceFile && !ms.env.params ? ms.expression : assessment.delay?.node;
  context.report({
    node: site.anchor,
    messageId: primary,
    data: {
      what: SHAPE_NAMES[site.shape],
      delay: delayNode ? messageText(delayNode, 48) : 'no delay',
      reason: site.nonRetryable?.reason ?? '',
      also: alsoText(others, site),
    },
    related: relatedLocations(sourceFile, site, assessment),
    fixes: () => retryFixes(site, assessment, context),
  });
}

function alsoText(others: readonly Defect[], site: RetrySite): string {
  if (others.length === 0) return '';
  const phrases = others.map((d) => (d === 'retriesNonRetryable' && site.nonRetryable ? `${ALSO[d]} (${site.nonRetryable.reason})` : ALSO[d]));
  return `; it also has ${phrases.join(', ')}`;
}

function relatedLocations(sourceFile: ts.SourceFile, site: RetrySite, assessment: Assessment): RelatedLocation[] {
  const filePath = sourceFile.fileName;
  const related: RelatedLocation[] = [];
  const container = site.container;
  if (ts.isIterationStatement(container, false)) {
    const headerEnd = container.statement.getStart(sourceFile);
    related.push({ filePath, range: rangeOfOffsets(sourceFile, container.getStart(sourceFile), headerEnd), message: 'the retry loop' });
  } else if (ts.isFunctionLike(container)) {
    const name = 'name' in container && container.name ? container.name : undefined;
    related.push({ filePath, range: rangeOfNode(sourceFile, name ?? container), message: `the retrying function${functionName(container) ? ` ${functionName(container)}` : ''}` });
  }
  if (site.operation) related.push({ filePath, range: rangeOfNode(sourceFile, site.operation), message: 'the call that fails and is retried' });
  const ms = assessment.delay?.ms && passedThrough(assessment.delay.ms);
  if (ms) {
    related.push({ filePath: ms.env.sourceFile.fileName, range: rangeOfNode(ms.env.sourceFile, ms.expression), message: 'the delay between attempts' });
  }
  return related;
}

function reportLibrary(context: RuleContext<RetryOptions>, finding: LibraryFinding): void {
  const [primary, ...others] = finding.problems;
  if (!primary) return;
  const also = others.length > 0 ? `; it also ${others.map((p) => p.reason).join(', ')}` : '';
  context.report({
    node: finding.node,
    messageId: primary.defect,
    data: {
      what: `This ${finding.library} retry`,
      library: finding.library,
      reason: primary.reason,
      also,
      delay: '',
    },
    fixes: () => (finding.fix ? [finding.fix] : []),
  });
}
