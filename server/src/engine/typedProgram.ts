import { ts } from 'ts-morph';

/**
 * One of a project's type-checking programs (see ProjectEntry.getTypeChecker): built on
 * first use and rebuilt, reusing the previous program's unchanged files and their binding,
 * once a file changed or when the asking file is not in it yet. It starts as the import
 * closure of the files that asked for types, which keeps projects where few files need
 * types cheap; once it had to grow twice, types are evidently needed all over, so it takes
 * in every parsed and planned file at once rather than being rebuilt file after file.
 */
export class TypedProgram {
  /** The last program built; kept after edits so the next one reuses its unchanged files. */
  private program: ts.Program | undefined;
  private outdated = false;
  /** Files rules asked types for: the roots of the program. */
  private readonly typedRoots = new Set<string>();
  private growths = 0;

  constructor(
    private readonly host: ts.CompilerHost,
    private readonly options: ts.CompilerOptions,
    /** The tsconfig's own .d.ts files (ambient module declarations, globals): always in it. */
    private readonly declarationFileNames: readonly string[],
  ) {}

  get neededWidely(): boolean {
    return this.growths >= 2;
  }

  /** Whether the program holds this very tree (it keeps it alive, so a batch run does not release it). */
  holds(file: string, tree: ts.SourceFile): boolean {
    return this.program?.getSourceFile(file) === tree;
  }

  /** Whether the program read this file (a tree rules walk, or a declaration file). */
  reads(file: string): boolean {
    return this.program?.getSourceFile(file) !== undefined;
  }

  /** A file it read changed, or module resolution may find other files now: the next question rebuilds it. */
  outdate(): void {
    this.outdated = this.program !== undefined;
  }

  /**
   * The editor released some of the trees it holds (see WorkspaceOptions.editorTreeBudget):
   * the program goes, and the next question builds one from the roots that remain, as if
   * types had been asked for them first.
   */
  forget(released: ReadonlySet<string>): void {
    this.program = undefined;
    this.outdated = false;
    this.growths = 0;
    for (const file of released) this.typedRoots.delete(file);
  }

  /** `wideFiles`: the files to take in once types are needed widely; `beforeBuild` runs before any program build. */
  checker(sourceFile: ts.SourceFile | undefined, wideFiles: () => string[], beforeBuild: () => void): ts.TypeChecker {
    const current = this.program && !this.outdated && (!sourceFile || this.program.getSourceFile(sourceFile.fileName) === sourceFile);
    if (!current) {
      beforeBuild();
      if (sourceFile && this.program && !this.outdated) this.growths++;
      if (sourceFile) this.typedRoots.add(sourceFile.fileName);
      const wide = this.growths >= 2 ? wideFiles() : [];
      // Sorted: TypeScript reuses the old program's module resolutions only when the roots are the same list.
      const rootNames = [...new Set([...this.declarationFileNames, ...this.typedRoots, ...wide])].sort();
      this.program = ts.createProgram({ rootNames, options: this.options, host: this.host, ...(this.program ? { oldProgram: this.program } : {}) });
      this.outdated = false;
    }
    return this.program!.getTypeChecker();
  }
}
