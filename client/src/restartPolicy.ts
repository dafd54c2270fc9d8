// The client practises what Resilint preaches: restarts of a crashed server back off
// exponentially with full jitter and stop after a bounded number of attempts.

export class RestartPolicy {
  private attempts = 0;

  constructor(
    private readonly maxAttempts = 5,
    private readonly baseDelayMs = 500,
    private readonly maxDelayMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next restart, or undefined when the budget is spent. */
  nextDelay(): number | undefined {
    if (this.attempts >= this.maxAttempts) return undefined;
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** this.attempts);
    this.attempts++;
    return Math.round(this.random() * ceiling);
  }

  isFirst(): boolean {
    return this.attempts === 1;
  }

  /** The server reported in after a restart: a later crash starts a fresh budget. */
  healthy(): void {
    this.attempts = 0;
  }

  reset(): void {
    this.attempts = 0;
  }
}
