import type { ProjectFacts } from '../../engine/projectFacts';
import { classifyDelay } from './delayShape';
import { passedThrough } from './delays';
import type { DelayCall, DelayShape, RetrySite } from './model';
import { constantValue } from './constants';
import { forEachIncludingCallbacks, isComparison, mentionsAny, numericValue } from './syntax';

// Turns a detected retry into the list of what is wrong with it, most important first.

export type Defect = 'noDelay' | 'constantDelay' | 'linearDelay' | 'noJitter' | 'noCap' | 'unbounded' | 'retriesNonRetryable';

const DEFECT_ORDER: readonly Defect[] = ['noDelay', 'constantDelay', 'linearDelay', 'noJitter', 'noCap', 'unbounded', 'retriesNonRetryable'];

export interface Assessment {
  defects: Defect[];
  /** The wait whose shape was judged. */
  delay: DelayCall | undefined;
  shape: DelayShape | undefined;
}

/** Past this many attempts an uncapped exponential delay is worth a cap (2^5 × base). */
const SMALL_ATTEMPT_LIMIT = 6;

export function assess(site: RetrySite, facts: ProjectFacts, maxDelayMs: number): Assessment {
  const defects = new Set<Defect>();
  const judged = judgeDelays(site.delays, facts);
  if (!judged && !site.delayUnknown) defects.add('noDelay');
  const shape = judged?.shape;
  if (shape && shape.growth !== 'unknown' && !site.singleRetry) {
    // A fixed wait as long as the cap is where a capped backoff would settle anyway: a slow beat, not a stampede.
    const atCap = (fixedMs(judged.delay) ?? 0) >= maxDelayMs;
    if (shape.growth === 'constant' && !atCap) defects.add('constantDelay');
    if (shape.growth === 'linear') defects.add('linearDelay');
    const grows = shape.growth === 'exponential' || shape.growth === 'schedule';
    if (grows && !shape.jitter && shape.certain) defects.add('noJitter');
    const limit = site.bounded ? attemptLimit(site, facts) : undefined;
    const smallLimit = limit !== undefined && limit <= SMALL_ATTEMPT_LIMIT;
    const growsForLong = (shape.growth === 'exponential' && !smallLimit) || (shape.growth === 'linear' && !site.bounded);
    if (growsForLong && !shape.cap && shape.certain) defects.add('noCap');
  }
  if (!site.bounded && site.shape !== 'reconnect') defects.add('unbounded');
  if (site.nonRetryable) defects.add('retriesNonRetryable');
  return { defects: DEFECT_ORDER.filter((d) => defects.has(d)), delay: judged?.delay, shape };
}

/**
 * The best-behaved wait on the path decides (a second, smaller wait does not make a good
 * backoff bad). A timer of 0 ms, or without a duration, is no wait.
 */
function judgeDelays(delays: readonly DelayCall[], facts: ProjectFacts): { delay: DelayCall; shape: DelayShape } | undefined {
  let best: { delay: DelayCall; shape: DelayShape; score: number } | undefined;
  for (const delay of delays) {
    if (delay.durationUnknown) return { delay, shape: { growth: 'unknown', jitter: false, cap: false, certain: false } };
    if (!delay.ms || fixedMs(delay) === 0) continue;
    const shape = classifyDelay(delay.ms, facts);
    const score = shape.growth === 'unknown' || !shape.certain ? 100 : growthScore(shape);
    if (!best || score > best.score) best = { delay, shape, score };
  }
  return best;
}

/** The wait's duration when it is a literal, followed through the helpers that pass it on. */
function fixedMs(delay: DelayCall): number | undefined {
  return delay.ms && numericValue(passedThrough(delay.ms).expression);
}

function growthScore(shape: DelayShape): number {
  const growth = { constant: 0, linear: 1, schedule: 3, exponential: 3, unknown: 100 }[shape.growth];
  return growth * 4 + (shape.jitter ? 2 : 0) + (shape.cap ? 1 : 0);
}

/** The largest literal a counter is compared with (`attempt < 5`, `retries > this.maxRetries` with `maxRetries = 3`). */
function attemptLimit(site: RetrySite, facts: ProjectFacts): number | undefined {
  let limit: number | undefined;
  forEachIncludingCallbacks(site.container, (node) => {
    if (!isComparison(node) || !mentionsAny(node, site.counters)) return;
    for (const side of [node.left, node.right]) {
      if (mentionsAny(side, site.counters)) continue;
      const value = numericValue(side, (node) => constantValue(node, site.container, facts));
      if (value !== undefined) limit = Math.max(limit ?? 0, value);
      else limit = Infinity;
    }
  });
  return limit === Infinity ? undefined : limit;
}

