import type { ts } from 'ts-morph';

// Memoised facts, and what invalidates them. A rule's question about one file is often
// answered from others (an imported client, a wrapper's body, a base class), so every
// memo records the files its computation read, directly or through the memos it
// consulted, and is dropped when one of those changes: typing in one file keeps the
// facts about the rest of the project warm instead of recomputing them after every key.

/** Read by a computation that asked the type checker or a generation-wide store: any change may alter it. */
const ANY_FILE = '\0any file';
/** Read by a computation that resolved an import: a file created or deleted may change where imports lead. */
const IMPORT_RESOLUTIONS = '\0import resolutions';

interface CrossFileMemo {
  value: unknown;
  reads: ReadonlySet<string>;
}

export class Memos {
  private readonly perFileValues = new WeakMap<ts.SourceFile, Map<string, unknown>>();
  /** Other files a file's per-file memos read, for the files whose memos read any. */
  private readonly foreignReads = new WeakMap<ts.SourceFile, Set<string>>();
  /** A file: the files whose per-file memos read it (by name: old trees must not be kept alive). */
  private readonly perFileReaders = new Map<string, Set<string>>();
  private readonly crossFile = new Map<string, CrossFileMemo>();
  private generation = new Map<string, unknown>();
  /** The read sets of the computations in progress, innermost last. */
  private readonly reading: Set<string>[] = [];

  /** `parsed` finds the current tree of a file, whose per-file memos a change elsewhere may drop. */
  constructor(private readonly parsed: (file: string) => ts.SourceFile | undefined) {}

  /** The computation in progress, if any, read `file` (also when the file does not exist: it may appear). */
  read(file: string): void {
    this.reading[this.reading.length - 1]?.add(file);
  }

  readAnyFile(): void {
    this.read(ANY_FILE);
  }

  readResolutions(): void {
    this.read(IMPORT_RESOLUTIONS);
  }

  /** A file was created or deleted: what resolved an import may now resolve it elsewhere, or at all. */
  resolutionsChanged(): void {
    this.changed(new Set([IMPORT_RESOLUTIONS]));
  }

  perFile<T>(sourceFile: ts.SourceFile, key: string, compute: () => T): T {
    let values = this.perFileValues.get(sourceFile);
    if (!values) this.perFileValues.set(sourceFile, (values = new Map()));
    if (!values.has(key)) {
      const { value, reads } = this.tracked(compute);
      values.set(key, value);
      reads.delete(sourceFile.fileName);
      if (reads.size > 0) this.addForeignReads(sourceFile, reads);
    }
    if (this.reading.length > 0) {
      this.read(sourceFile.fileName);
      const foreign = this.foreignReads.get(sourceFile);
      if (foreign) this.readAll(foreign);
    }
    return values.get(key) as T;
  }

  acrossFiles<T>(key: string, compute: () => T, origin?: ts.SourceFile): T {
    let memo = this.crossFile.get(key);
    if (!memo) {
      const { value, reads } = this.tracked(compute);
      if (origin) reads.add(origin.fileName);
      this.crossFile.set(key, (memo = { value, reads }));
    }
    this.readAll(memo.reads);
    return memo.value as T;
  }

  perGeneration<T>(key: string, compute: () => T): T {
    this.readAnyFile();
    return this.generationStore(key, compute);
  }

  /** As perGeneration, for a store whose answers note what they were computed from (noteReads): taking the store reads nothing. */
  generationStore<T>(key: string, compute: () => T): T {
    if (!this.generation.has(key)) this.generation.set(key, compute());
    return this.generation.get(key) as T;
  }

  /** The computation in progress depends on these files, as the computation it answers from read them (see tracked). */
  noteReads(files: ReadonlySet<string>): void {
    this.readAll(files);
  }

  /**
   * `files` changed (or appeared, or went away, or their trees were dropped to save
   * memory and will be parsed again): drop what read them. Memos hold nodes, so a memo
   * that outlived its tree would both keep the tree alive and hand out nodes of a tree
   * no longer in use.
   */
  changed(files: ReadonlySet<string>): void {
    this.generation = new Map();
    for (const [key, memo] of this.crossFile) {
      if (memo.reads.has(ANY_FILE) || readsAny(memo.reads, files)) this.crossFile.delete(key);
    }
    for (const read of [...files, ANY_FILE]) {
      const readers = this.perFileReaders.get(read);
      if (!readers) continue;
      this.perFileReaders.delete(read);
      for (const reader of readers) {
        const tree = this.parsed(reader);
        if (tree) {
          this.perFileValues.delete(tree);
          this.foreignReads.delete(tree);
        }
      }
    }
  }

  /** Runs `compute`, noting the files it reads as a memo would (a change to one may change its value: see readsChangedSince). */
  tracked<T>(compute: () => T): { value: T; reads: Set<string> } {
    const reads = new Set<string>();
    this.reading.push(reads);
    try {
      return { value: compute(), reads };
    } finally {
      this.reading.pop();
    }
  }

  private readAll(files: ReadonlySet<string>): void {
    const current = this.reading[this.reading.length - 1];
    if (current) for (const file of files) current.add(file);
  }

  private addForeignReads(sourceFile: ts.SourceFile, reads: ReadonlySet<string>): void {
    let foreign = this.foreignReads.get(sourceFile);
    if (!foreign) this.foreignReads.set(sourceFile, (foreign = new Set()));
    for (const file of reads) {
      foreign.add(file);
      let readers = this.perFileReaders.get(file);
      if (!readers) this.perFileReaders.set(file, (readers = new Set()));
      readers.add(sourceFile.fileName);
    }
  }
}

/**
 * Whether a value computed with these reads (see Memos.tracked) when the change clock stood at
 * `since` may differ now: `changedAt` gives the clock at a file's last change, `anyChangedAt`
 * at the last change of any file. Files created or deleted are not seen here.
 */
export function readsChangedSince(reads: Iterable<string>, since: number, changedAt: (file: string) => number | undefined, anyChangedAt: number): boolean {
  for (const read of reads) {
    if ((read === ANY_FILE ? anyChangedAt : changedAt(read) ?? 0) > since) return true;
  }
  return false;
}

function readsAny(reads: ReadonlySet<string>, files: ReadonlySet<string>): boolean {
  const [smaller, larger] = reads.size < files.size ? [reads, files] : [files, reads];
  for (const file of smaller) if (larger.has(file)) return true;
  return false;
}
