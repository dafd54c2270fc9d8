import type { Rule } from '../engine/rule';
import missingTimeout from './missing-timeout';
import nPlusOneQuery from './n-plus-one-query';
import nPlusOneResolver from './n-plus-one-resolver';
import retryWithoutBackoff from './retry-without-backoff';
import unboundedCache from './unbounded-cache';

// The registry: every rule the engine knows, in the order docs and SARIF list them.
export const allRules: readonly Rule<Record<string, unknown>>[] = [
  missingTimeout as Rule<Record<string, unknown>>,
  retryWithoutBackoff as Rule<Record<string, unknown>>,
  nPlusOneResolver as Rule<Record<string, unknown>>,
  nPlusOneQuery as Rule<Record<string, unknown>>,
  unboundedCache as Rule<Record<string, unknown>>,
];

export function findRule(id: string): Rule<Record<string, unknown>> | undefined {
  return allRules.find((rule) => rule.meta.id === id);
}
