// Messages between threads copy every string they hold, and the files analyses read repeat
// the same few hundred paths across thousands of files (medusa's scan: 627,000 reads). So
// workers send reads as indexes, and each path once, with the first message that needs it.

export class PathIndexes {
  private readonly indexes = new Map<string, number>();
  private fresh: string[] = [];

  indexOf(file: string): number {
    let index = this.indexes.get(file);
    if (index === undefined) {
      this.indexes.set(file, (index = this.indexes.size));
      this.fresh.push(file);
    }
    return index;
  }

  /** The paths indexed since the last call, in the order of their indexes: the receiver appends them to its own list. */
  takeNew(): string[] {
    const fresh = this.fresh;
    this.fresh = [];
    return fresh;
  }
}
