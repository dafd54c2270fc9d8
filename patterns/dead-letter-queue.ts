// resilint-pattern: dead-letter-queue v1
// A bounded holding area for messages that failed processing, with a visible overflow policy.
//
// Use it where failed messages or events are parked for inspection or later replay.
// An unbounded array grows without limit exactly when things go wrong (a poison message
// storm, a dependency outage) and turns an outage into an out-of-memory crash. This
// queue holds at most `capacity` letters; when full it drops the oldest letter, drops
// the new one, or rejects the add, as configured, and counts and reports every
// overflow so the loss is never silent. drain() hands letters back oldest first.

export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'reject';
const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['drop-oldest', 'drop-newest', 'reject'];

export interface DeadLetter<T> {
  item: T;
  /** Why processing failed. */
  error: unknown;
  /** How many times processing was attempted. */
  attempts: number;
  /** Clock reading (options.now) when the letter was added. */
  failedAt: number;
}

export interface DeadLetterQueueOptions<T> {
  /** The most letters held. */
  capacity: number;
  /** What happens to a letter added when the queue is full. */
  overflow: OverflowPolicy;
  /** Called with the letter that was dropped or rejected, for logging or metrics. */
  onOverflow?: (letter: DeadLetter<T>, policy: OverflowPolicy) => void;
  /** Clock in milliseconds, injectable for tests. Default Date.now. */
  now?: () => number;
}

export class DeadLetterQueueFullError extends Error {
  override readonly name = 'DeadLetterQueueFullError';
  readonly capacity: number;

  constructor(capacity: number) {
    super(`Dead-letter queue is full (${capacity} letters)`);
    this.capacity = capacity;
  }
}

export class DeadLetterQueue<T> {
  private readonly capacity: number;
  private readonly policy: OverflowPolicy;
  private readonly onOverflow: ((letter: DeadLetter<T>, policy: OverflowPolicy) => void) | undefined;
  private readonly now: () => number;
  /** A ring buffer, so dropping the oldest letter does not shift the whole array. */
  private readonly slots: Array<DeadLetter<T> | undefined>;
  private head = 0;
  private length = 0;
  private overflows = 0;

  constructor(options: DeadLetterQueueOptions<T>) {
    if (!(Number.isInteger(options.capacity) && options.capacity >= 1)) {
      throw new RangeError(`DeadLetterQueue: capacity must be a positive integer, got ${options.capacity}`);
    }
    if (!OVERFLOW_POLICIES.includes(options.overflow)) {
      throw new RangeError(`DeadLetterQueue: overflow must be one of ${OVERFLOW_POLICIES.join(', ')}`);
    }
    this.capacity = options.capacity;
    this.policy = options.overflow;
    this.onOverflow = options.onOverflow;
    this.now = options.now ?? Date.now;
    this.slots = new Array<DeadLetter<T> | undefined>(options.capacity);
  }

  /** Letters held. */
  get size(): number {
    return this.length;
  }

  /** Letters dropped or rejected because the queue was full, since construction. */
  get overflowCount(): number {
    return this.overflows;
  }

  /**
   * Parks a failed item. Returns false if the policy dropped this letter; with the
   * 'reject' policy a full queue throws DeadLetterQueueFullError instead.
   */
  add(item: T, error: unknown, attempts = 1): boolean {
    const letter: DeadLetter<T> = { item, error, attempts, failedAt: this.now() };
    if (this.length < this.capacity) {
      this.slots[(this.head + this.length) % this.capacity] = letter;
      this.length++;
      return true;
    }
    this.overflows++;
    if (this.policy === 'drop-oldest') {
      const oldest = this.takeOldest();
      this.slots[(this.head + this.length) % this.capacity] = letter;
      this.length++;
      if (oldest) this.onOverflow?.(oldest, this.policy);
      return true;
    }
    this.onOverflow?.(letter, this.policy);
    if (this.policy === 'reject') throw new DeadLetterQueueFullError(this.capacity);
    return false;
  }

  /** Up to `max` letters, oldest first, left in the queue. */
  peek(max = this.length): Array<DeadLetter<T>> {
    const letters: Array<DeadLetter<T>> = [];
    for (let i = 0; i < Math.min(max, this.length); i++) {
      const letter = this.slots[(this.head + i) % this.capacity];
      if (letter) letters.push(letter);
    }
    return letters;
  }

  /** Removes and returns up to `max` letters, oldest first. */
  drain(max = this.length): Array<DeadLetter<T>> {
    const letters: Array<DeadLetter<T>> = [];
    while (letters.length < max) {
      const letter = this.takeOldest();
      if (!letter) break;
      letters.push(letter);
    }
    return letters;
  }

  private takeOldest(): DeadLetter<T> | undefined {
    if (this.length === 0) return undefined;
    const letter = this.slots[this.head];
    // Clear the slot so a drained letter can be garbage-collected.
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.length--;
    return letter;
  }
}
