import { ts } from 'ts-morph';
import { rangeOfNode } from '../engine/analyzer';
import type { Fix } from '../engine/findings';
import { defineRule, type RuleContext } from '../engine/rule';
import { docsUrl } from './docs';
import { isClientPackage } from './shared/clientValues';
import { passesTypesThrough } from './shared/typePlumbing';
import type { RecognitionOptions } from './shared/outboundCalls';
import { messageText } from './shared/messageText';
import { judgeCall, type Judgement } from './shared/outboundWrappers';
import { unboundedRequestReply } from './shared/requestReply';
import { instanceFix, optionFix, withTimeoutFix, type FixSettings } from './shared/timeoutFixes';
import type { Coverage } from './shared/timeoutOptions';

// An outbound call without a deadline ties up the caller for as long as the remote side
// wants: one hung dependency then stalls every request that touches it.

export interface MissingTimeoutOptions extends Record<string, unknown> {
  /** The timeout quick fixes write, in milliseconds. */
  timeoutMs: number;
  /** The project's own client functions whose calls need a timeout, by name. */
  clientFunctions: string[];
  /** The project's own client classes ('PaymentsClient': every method; 'PaymentsClient.charge': one). */
  clientClasses: string[];
  /** Also check tests and test helpers (the test runner's timeout already bounds their calls). */
  checkTests: boolean;
}

type Missing = Extract<Coverage, { status: 'missing' }>;

export default defineRule<MissingTimeoutOptions>({
  meta: {
    id: 'missing-timeout',
    description: 'Outbound calls (fetch, HTTP clients, gRPC, request/reply) that can hang forever.',
    docsUrl: docsUrl('missing-timeout'),
    messages: {
      fetchNoTimeout: 'fetch() has no timeout: if the server stops responding, this call waits forever.',
      signalNeverAborts: '{{callee}}() gets an AbortSignal that no timer aborts: if the server stops responding, this call waits forever.',
      axiosNoTimeout: '{{callee}}() has no timeout, and axios sets none by default: if the server stops responding, this call waits forever.',
      httpServiceNoTimeout: '{{callee}}() has no timeout, and the HttpModule that provides this HttpService sets none (nor does axios by default): if the server stops responding, this call waits forever.',
      axiosTimeoutDisabled: '{{callee}}() sets timeout: 0, which turns the axios timeout off: if the server stops responding, this call waits forever.',
      gotNoTimeout: '{{callee}}() has no timeout, and got sets none by default: if the server stops responding, this call waits forever.',
      kyTimeoutDisabled: "{{callee}}() runs with timeout: false, which turns off ky's 10-second default: if the server stops responding, this call waits forever.",
      ofetchNoTimeout: '{{callee}}() has no timeout, and ofetch sets none by default: if the server stops responding, this call waits forever.',
      superagentNoTimeout: '{{callee}}() has no .timeout(), and superagent sets none by default: if the server stops responding, this request waits forever.',
      undiciNoTimeout:
        '{{callee}}() sets no signal or timeouts: undici falls back to 5-minute header and body-idle timeouts, so a stalled server holds this call for minutes and a trickling body for ever.',
      undiciTimeoutDisabled: '{{callee}}() sets an undici timeout to 0, which disables it: if the server stops responding, this call waits forever.',
      httpNoTimeout: "{{callee}}() has no timeout: Node's HTTP client waits forever for a server that stops responding.",
      httpTimeoutNotEnforced:
        "{{callee}}() sets a timeout, but nothing destroys the request when it fires: Node only emits 'timeout', and the request keeps waiting.",
      grpcNoDeadline: 'gRPC call {{callee}}() has no deadline: if the server stops responding, it waits forever.',
      customClientNoTimeout:
        '{{callee}}() is configured as an outbound client, and this call sets no timeout, signal or deadline: if the remote side stops responding, it waits forever.',
      wrapperCallNoTimeout:
        '{{callee}}() passes its {{option}} option on to {{inner}}(), and this call sets none: if the server stops responding, it waits forever.',
      requestReplyNoTimeout: 'This promise waits for a reply to {{send}}() with no timer: if the reply never comes, it never settles.',
    },
    defaultSeverity: 'warning',
    requiresTypes: true,
    typedPackages: (name) => isClientPackage(name) || passesTypesThrough(name),
    defaultOptions: { timeoutMs: 10000, clientFunctions: [], clientClasses: [], checkTests: false },
  },
  create(context) {
    const recognition = recognitionOptions(context);
    const settings: FixSettings = { ms: context.options.timeoutMs, context: context as unknown as RuleContext<Record<string, unknown>> };
    return {
      [ts.SyntaxKind.CallExpression](node) {
        const judgement = judgeCall(node as ts.CallExpression, recognition);
        if (judgement?.coverage.status === 'missing') reportJudgement(context, judgement, judgement.coverage, settings);
      },
      [ts.SyntaxKind.NewExpression](node) {
        const found = unboundedRequestReply(node as ts.NewExpression, recognition);
        if (!found) return;
        context.report({
          node: found.promise.expression,
          messageId: 'requestReplyNoTimeout',
          data: { send: messageText(found.send.expression) },
          fixes: () => {
            const fix = withTimeoutFix(found.promise, settings, true);
            return fix ? [fix] : [];
          },
        });
      },
    };
  },
});

function recognitionOptions(context: RuleContext<MissingTimeoutOptions>): RecognitionOptions {
  // 'PaymentsClient' configures every method; 'PaymentsClient.charge' one. An empty set means all.
  const everyMethod = new Set<string>();
  const customMethods = new Map<string, Set<string>>();
  for (const entry of stringList(context.options.clientClasses)) {
    const [className, method] = entry.split('.', 2) as [string, string | undefined];
    const methods = customMethods.get(className) ?? new Set<string>();
    if (method) methods.add(method);
    else everyMethod.add(className);
    customMethods.set(className, methods);
  }
  for (const className of everyMethod) customMethods.set(className, new Set());
  return {
    facts: context.facts,
    customClasses: new Set(customMethods.keys()),
    customFunctions: new Set(stringList(context.options.clientFunctions)),
    customMethods,
    // A configured client class may come from any package; the clients known by name, only from the typed ones.
    typeChecker: (sourceFile) => (sourceFile === context.sourceFile ? context.getTypeChecker(customMethods.size > 0 ? { everyPackage: true } : undefined) : undefined),
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
}

function reportJudgement(context: RuleContext<MissingTimeoutOptions>, judgement: Judgement, missing: Missing, settings: FixSettings): void {
  const fixes = () => judgementFixes(context, judgement, missing, settings);
  if (judgement.kind === 'wrapper') {
    const { forward, inner } = judgement.summary;
    context.report({
      node: judgement.call.expression,
      messageId: 'wrapperCallNoTimeout',
      data: {
        callee: messageText(judgement.call.expression),
        option: forward.target.kind === 'option' ? forward.target.name : forward.spec.preferred,
        inner: messageText(inner.label),
      },
      related: [{ filePath: inner.call.getSourceFile().fileName, range: rangeOfNode(inner.call.getSourceFile(), inner.call), message: 'the call that receives the option' }],
      fixes,
    });
    return;
  }
  context.report({
    node: judgement.outbound.call.expression,
    messageId: judgement.outbound.value.kind === 'client' && judgement.outbound.value.httpModule && missing.reason === 'absent' ? 'httpServiceNoTimeout' : messageIdFor(judgement.outbound.client, missing.reason),
    data: { callee: messageText(judgement.outbound.label) },
    fixes,
  });
}

function judgementFixes(context: RuleContext<MissingTimeoutOptions>, judgement: Judgement, missing: Missing, settings: FixSettings): Fix[] {
  const fixes: Fix[] = [];
  const fix = optionFix(missing, settings);
  if (fix) fixes.push(fix);
  if (judgement.kind === 'wrapper') return fixes;
  const { outbound } = judgement;
  const value = outbound.value;
  if ((outbound.client === 'axios' || outbound.client === 'got' || outbound.client === 'ofetch') && missing.reason === 'absent' && value.kind === 'client' && value.creations.length === 1 && !value.unknownOrigin) {
    const alternative = instanceFix(value.creations[0]!, missing.spec, settings);
    if (alternative) fixes.push(alternative);
  }
  if (outbound.client === 'custom' && fixes.length === 0 && returnsPromise(outbound.call, context)) {
    const wrap = withTimeoutFix(outbound.call, settings, true);
    if (wrap) fixes.push(wrap);
  }
  return fixes;
}

function messageIdFor(client: string, reason: Missing['reason']): string {
  if (reason === 'untimedSignal') return 'signalNeverAborts';
  switch (client) {
    case 'fetch':
      return 'fetchNoTimeout';
    case 'axios':
      return reason === 'disabled' ? 'axiosTimeoutDisabled' : 'axiosNoTimeout';
    case 'got':
      return 'gotNoTimeout';
    case 'ky':
      return 'kyTimeoutDisabled';
    case 'ofetch':
      return 'ofetchNoTimeout';
    case 'superagent':
      return 'superagentNoTimeout';
    case 'undici':
      return reason === 'disabled' ? 'undiciTimeoutDisabled' : 'undiciNoTimeout';
    case 'node-http':
      return reason === 'notEnforced' ? 'httpTimeoutNotEnforced' : 'httpNoTimeout';
    case 'grpc':
      return 'grpcNoDeadline';
    default:
      return 'customClientNoTimeout';
  }
}

/** Whether a configured client's call returns a promise, so wrapping it in withTimeout type-checks. */
function returnsPromise(call: ts.CallExpression, context: RuleContext<MissingTimeoutOptions>): boolean {
  // The client may come from any package.
  const checker = context.getTypeChecker({ everyPackage: true });
  if (!checker) return false;
  const type = checker.getTypeAtLocation(call);
  return type.getSymbol()?.name === 'Promise';
}
