import type { Rule } from '../engine/rule';
import missingTimeout from './missing-timeout';

// The registry: every rule the engine knows, in the order docs and SARIF list them.
export const allRules: readonly Rule<Record<string, unknown>>[] = [missingTimeout as Rule<Record<string, unknown>>];

export function findRule(id: string): Rule<Record<string, unknown>> | undefined {
  return allRules.find((rule) => rule.meta.id === id);
}
