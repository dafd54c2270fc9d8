import type { Fix } from '../../engine/findings';
import type { RuleContext } from '../../engine/rule';
import type { Assessment } from './assessment';
import { delayFix } from './delayFix';
import type { RetrySite } from './model';
import { replaceWithRetryFixes, type ReplaceOptions } from './replaceFix';

// Which fixes a retry gets. When only the delay is wrong, rewriting the delay is the
// smallest correct change and is preferred; otherwise replacing the retry with the
// retry() pattern is, and the delay rewrite stays on offer when it applies.

const DELAY_DEFECTS = new Set(['constantDelay', 'linearDelay', 'noJitter', 'noCap']);

export function retryFixes(site: RetrySite, assessment: Assessment, context: RuleContext<ReplaceOptions>): Fix[] {
  const small = delayFix(site, assessment, context.sourceFile, context.options.maxDelayMs);
  const [replacement, ...alternatives] = replaceWithRetryFixes(site, assessment, context);
  const onlyDelay = assessment.defects.every((d) => DELAY_DEFECTS.has(d));
  if (small && (onlyDelay || !replacement)) return [{ ...small, isPreferred: true }, ...(replacement ? [replacement] : []), ...alternatives];
  return [...(replacement ? [{ ...replacement, isPreferred: true }] : []), ...alternatives, ...(small ? [small] : [])];
}
