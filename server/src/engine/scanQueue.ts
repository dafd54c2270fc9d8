// The files of a parallel scan, shared by its threads through a SharedArrayBuffer. The
// files are in dependency order (see scanOrder.ts) and cut into one segment per thread, so
// that a thread's files import each other and it parses little beyond them. A thread takes
// small runs from the front of its own segment; when that is empty it takes runs from the
// back of the segment with most left, so the threads finish together.

/** A run small enough to balance the threads at the end, large enough to plan one type-checking program for. */
export const RUN = 25;
const LOCK = 0;
const SEGMENTS = 1;

/** A run of the queue's files: `[start, end)`. */
export interface Run {
  start: number;
  end: number;
}

export class ScanQueue {
  private readonly slots: Int32Array;

  /** A view of `buffer`, made by `ScanQueue.create` on one thread and shared with the others. */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.slots = new Int32Array(buffer);
  }

  /** The items `[from, files)` cut into `segments` equal segments. */
  static create(from: number, files: number, segments: number): ScanQueue {
    const queue = new ScanQueue(new SharedArrayBuffer((SEGMENTS + 2 * segments) * Int32Array.BYTES_PER_ELEMENT));
    const size = Math.ceil((files - from) / segments);
    for (let segment = 0; segment < segments; segment++) {
      const front = Math.min(files, from + segment * size);
      queue.setFront(segment, front);
      queue.setBack(segment, Math.min(files, front + size));
    }
    return queue;
  }

  /** The next run for the thread that owns `segment`, or undefined when every item is taken. */
  take(segment: number): Run | undefined {
    while (Atomics.compareExchange(this.slots, LOCK, 0, 1) !== 0) {
      // Held by another thread for a few reads and writes: spin.
    }
    try {
      return this.takeLocked(segment);
    } finally {
      Atomics.store(this.slots, LOCK, 0);
    }
  }

  /** What is left of `segment` now: `[front, back)`, or undefined when it is empty. */
  remaining(segment: number): Run | undefined {
    const run = { start: this.front(segment), end: this.back(segment) };
    return run.end > run.start ? run : undefined;
  }

  private takeLocked(segment: number): Run | undefined {
    const own = this.left(segment);
    if (own > 0) {
      const start = this.front(segment);
      this.setFront(segment, start + Math.min(RUN, own));
      return { start, end: start + Math.min(RUN, own) };
    }
    let victim = -1;
    let most = 0;
    for (let other = 0; other < (this.slots.length - SEGMENTS) / 2; other++) {
      if (this.left(other) > most) [victim, most] = [other, this.left(other)];
    }
    if (victim < 0) return undefined;
    const end = this.back(victim);
    this.setBack(victim, end - Math.min(RUN, most));
    return { start: end - Math.min(RUN, most), end };
  }

  private left(segment: number): number {
    return this.back(segment) - this.front(segment);
  }

  private front(segment: number): number {
    return Atomics.load(this.slots, SEGMENTS + 2 * segment);
  }

  private back(segment: number): number {
    return Atomics.load(this.slots, SEGMENTS + 2 * segment + 1);
  }

  private setFront(segment: number, value: number): void {
    Atomics.store(this.slots, SEGMENTS + 2 * segment, value);
  }

  private setBack(segment: number, value: number): void {
    Atomics.store(this.slots, SEGMENTS + 2 * segment + 1, value);
  }
}
