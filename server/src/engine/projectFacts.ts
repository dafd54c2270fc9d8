import type { ts } from 'ts-morph';

/**
 * What a rule may know beyond the file it analyses. Implemented by the workspace; rules
 * see only this interface so they can be tested on an in-memory project.
 */
export interface ProjectFacts {
  /** The folder of the project's tsconfig.json (or the workspace root for loose files). */
  readonly root: string;
  /** The parsed file at an absolute path, loaded on demand; undefined when not analysable. */
  getSourceFile(filePath: string): ts.SourceFile | undefined;
  /**
   * Resolves an import specifier written in `fromFile` to a source file of the project
   * (relative paths, index files, tsconfig `paths`); undefined for packages and misses.
   */
  resolveModule(fromFile: string, specifier: string): ts.SourceFile | undefined;
  /** Where such an import leads (a project file, declaration files included), without parsing anything. */
  resolveModulePath(fromFile: string, specifier: string): string | undefined;
  /** A file's text (editor text over disk) without parsing it; undefined when it cannot be read. */
  readText(filePath: string): string | undefined;
  /**
   * Memoises a computation about one file; recomputed once that file, or another file the
   * computation read through these facts, changes.
   */
  perFile<T>(sourceFile: ts.SourceFile, key: string, compute: () => T): T;
  /**
   * Memoises a computation that reads across files (a wrapper's summary, the start-up
   * files); recomputed once `origin` (the file its inputs come from) or any file it read
   * through these facts changes. Reads through the type checker count as reading every file.
   */
  acrossFiles<T>(key: string, compute: () => T, origin?: ts.SourceFile): T;
  /** Memoises a store filled as rules go until any file of the project changes; what uses it may depend on any file. */
  perGeneration<T>(key: string, compute: () => T): T;
  /**
   * A store kept as perGeneration keeps one (the I/O closure), whose answers carry the files
   * they were computed from (see tracked): whoever answers from it notes those (noteReads),
   * so what uses an answer depends on those files only.
   */
  generationStore<T>(key: string, compute: () => T): T;
  /** Runs `compute`, with the files it read through these facts (memos it consulted included). */
  tracked<T>(compute: () => T): { value: T; reads: ReadonlySet<string> };
  /** The computation in progress depends on these files (the reads of a stored answer it uses). */
  noteReads(files: ReadonlySet<string>): void;
  /** Names of the packages the project's package.json depends on (all dependency kinds). */
  dependencies(): ReadonlySet<string>;
  /**
   * Whether packages may be installed for `fromFile`: a node_modules folder in its folder,
   * the project's root or any folder above them. Looked for anew in each generation, so an
   * `npm install` counts from the next change on.
   */
  packagesInstalled(fromFile: string): boolean;
  /**
   * The package.json of package `name` as Node would find it for `fromFile` (the nearest
   * node_modules/<name> above it); undefined when it is not installed or cannot be read.
   * Looked for anew in each generation, as packagesInstalled.
   */
  installedManifest(fromFile: string, name: string): Record<string, unknown> | undefined;
  /** The modules the project's own declaration files declare (`declare module 'axios' { ... }`). */
  ambientModules(): ReadonlySet<string>;
  /** Whether generated imports need explicit `.js` extensions (ESM under node16/nodenext). */
  usesEsmImports(): boolean;
  /** The project's compiler options, as its tsconfig.json sets them (for fixes whose syntax depends on them). */
  readonly compilerOptions: ts.CompilerOptions;
}
