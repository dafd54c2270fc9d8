import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { readFileText, DEFAULT_MAX_FILE_BYTES } from './fileText';
import { DirectoryListing } from './directoryListing';
import { createProgramHost, DeclarationFiles, sourceFileOptions } from './programHost';
import { Memos } from './memos';
import { ResolutionKeys, type PathProbe } from './resolutionKeys';
import { TypedProgram } from './typedProgram';
import { isTestPath } from './testFiles';
import type { ProjectFacts } from './projectFacts';
import { isWithin, NOT_NORMAL, posixRelative } from './paths';
import { describedPackage } from './imports';
import { manifestDependencies, packagesByName, packageTarget, readManifest, type WorkspacePackage } from './workspacePackages';

// The workspace model: one project per tsconfig.json (monorepos have many; a solution-style
// one's referenced configs, `tsconfig.app.json`, are projects instead) and one inferred
// project for files no tsconfig claims. Files are parsed on demand with the
// compiler API (no ts-morph wrappers: rules work on raw nodes), and editor text overrides
// disk, so opening a 2,000-file folder costs a directory walk, not 2,000 parses, and an
// edit re-parses one file. The type checker is built only when a rule asks for it, from
// the already parsed files, and rebuilt after edits by reusing the previous program.

const SOURCE_EXTENSIONS = /\.(?:[cm]?ts|tsx)$/;
/** Endings tried for an extensionless or built (`.js`) path of a workspace package. */
const SOURCE_SUFFIXES = ['.ts', '.tsx', '.mts', '.cts'];

/**
 * How much source text a batch run keeps parsed between files (see Workspace.releaseTrees),
 * split over the threads of a parallel scan: one thread holding all of it reparses less.
 */
export const BATCH_TREE_BUDGET = 6_000_000;

/**
 * How much source text the editor's trees may hold (about 30 MB of trees) before it releases
 * those of files neither open nor read by its last analysis (see WorkspaceOptions.editorTreeBudget).
 */
export const EDITOR_TREE_BUDGET = 1_000_000;

export interface WorkspaceOptions {
  maxFileBytes?: number;
  /** Called before a type-checking program is built (a scan worker throws there, to leave the file to the calling thread). */
  beforeTypes?: () => void;
  /**
   * A batch run's bound on the source text (in UTF-16 code units) whose syntax trees stay
   * in memory between files; see releaseTrees. Absent, as is editorTreeBudget: every tree stays.
   */
  treeBudget?: number;
  /**
   * The editor's bound, as treeBudget, on the trees a long day across a large code base
   * leaves parsed; releaseTrees is then called after each analysis, with what it read.
   * Trees a type-checking program holds may go, unlike in a batch run: the editor's
   * programs take in every tree it parsed; such a program is built anew at the next type
   * question.
   */
  editorTreeBudget?: number;
  /** Called after releaseTrees dropped trees, whose memory returns only at a full garbage collection. */
  reclaimMemory?: () => void;
  /**
   * The packages rules ask types about (see RuleMeta.typedPackages); absent: a program
   * always reads every package's declarations.
   */
  typedPackages?: (packageName: string) => boolean;
  /**
   * The folder whose subfolders' names say which files are tests. Default: the root, the
   * folder the user chose to analyse, whose own name (and those above it) never counts.
   */
  testsJudgedFrom?: string;
}

export function isAnalysableFile(filePath: string): boolean {
  return SOURCE_EXTENSIONS.test(filePath) && !filePath.endsWith('.d.ts');
}

export function normalizePath(filePath: string): string {
  // Most paths arrive absolute and normal already; path.resolve costs a scan's worth of time on them.
  return path.sep === '/' && filePath.startsWith('/') && !NOT_NORMAL.test(filePath) ? filePath : path.resolve(filePath);
}

export class Workspace {
  readonly root: string;
  private readonly maxFileBytes: number;
  readonly beforeTypes: () => void;
  private readonly overlays = new Map<string, string>();
  private readonly skipped = new Map<string, string>();
  /** Text read ahead of a batch run's parses (see readAheadText), handed over to the file's next read. */
  private readonly readAhead = new Map<string, string>();
  /** lib.*.d.ts and dependencies' declarations, shared by all projects. */
  readonly declarations = new DeclarationFiles();
  private projects: ProjectEntry[] | undefined;
  /** What is wrong in the tsconfig.json files, found with the projects. */
  private tsconfigProblems: string[] = [];
  private inferred: ProjectEntry | undefined;
  /** The tsconfig project that owns each file it includes, until the projects are rebuilt. */
  private owners: Map<string, ProjectEntry> | undefined;
  /** package.json files found with the tsconfigs, and the workspace packages they name (see workspacePackages.ts). */
  private manifests: string[] = [];
  private packages: Map<string, WorkspacePackage> | undefined;
  private readonly batch = new Set<string>();
  /** The folder test files are told apart from (see WorkspaceOptions.testsJudgedFrom). */
  readonly testsJudgedFrom: string;
  private treeBudget: number | undefined;
  /** Whether releaseTrees may release the trees a type-checking program holds (see WorkspaceOptions.editorTreeBudget). */
  readonly releasesProgramTrees: boolean;
  private readonly reclaimMemory: () => void;
  private readonly typedPackages: ((packageName: string) => boolean) | undefined;
  /**
   * By installed package folder, and by declaration file (asked again for thousands of files
   * at every program build: taking the path apart each time took 149 ms of a 40-edit editor
   * profile on installed outline, the lookup 53 ms): whether a program that reads only the
   * typed packages reads it (see declaredByTypedPackage).
   */
  private readonly typedPackageDirs = new Map<string, boolean>();
  private readonly typedDeclarationFiles = new Map<string, boolean>();
  /**
   * What module resolution found on disk, shared by all projects: a monorepo's projects
   * resolve the same packages and folders (medusa's scan made 105,184 exists checks of
   * 10,265 paths with a cache per project). Cleared when a file is created or deleted.
   */
  private readonly probedPaths = new Map<string, boolean>();
  /** Source text held by the parsed trees of all projects. */
  residentText = 0;
  /** Counts releaseTrees calls: a tree's last use is the value when it was last loaded; undefined when trees are never released (the editor), which keeps loads free of the bookkeeping. */
  useClock: number | undefined;
  /** The resident text at which releaseTrees next looks for trees to drop. */
  private releaseAbove: number;
  private expectedUses: ReadonlyMap<string, readonly number[]> | undefined;

  constructor(root: string, options: WorkspaceOptions = {}) {
    this.root = normalizePath(root);
    this.testsJudgedFrom = options.testsJudgedFrom ?? this.root;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.beforeTypes = options.beforeTypes ?? (() => undefined);
    this.treeBudget = options.treeBudget ?? options.editorTreeBudget;
    this.releasesProgramTrees = options.editorTreeBudget !== undefined;
    this.useClock = this.treeBudget === undefined ? undefined : 0;
    this.releaseAbove = this.treeBudget ?? Infinity;
    this.reclaimMemory = options.reclaimMemory ?? (() => undefined);
    this.typedPackages = options.typedPackages;
  }

  /**
   * Whether a program that reads only the packages rules ask types about reads this
   * declaration file: one outside node_modules; of a package some rule names or that depends
   * on one (its types may hold or extend that package's); or of a folder with no manifest to
   * judge by (Prisma's generated `.prisma/client`). What a named package depends on is not
   * read: types it takes from there are `any` to such a program (reading them cost installed
   * outline 115 MB for no finding). Without typed packages, every file is read.
   */
  declaredByTypedPackage(file: string): boolean {
    let read = this.typedDeclarationFiles.get(file);
    if (read === undefined) this.typedDeclarationFiles.set(file, (read = this.packageOfFileTyped(file)));
    return read;
  }

  private packageOfFileTyped(file: string): boolean {
    const isTyped = this.typedPackages;
    const marker = `${path.sep}node_modules${path.sep}`;
    const at = file.lastIndexOf(marker);
    if (!isTyped || at < 0) return true;
    const modulesDir = file.slice(0, at + marker.length);
    const [scope, name] = file.slice(modulesDir.length).split(path.sep);
    const folder = scope?.startsWith('@') ? `${scope}/${name}` : scope;
    if (!folder) return true;
    const dir = modulesDir + folder.split('/').join(path.sep);
    let typed = this.typedPackageDirs.get(dir);
    if (typed === undefined) {
      const manifest = readManifest(path.join(dir, 'package.json'));
      const named = (dependency: string) => isTyped(describedPackage(dependency));
      typed = !manifest || named(folder) || manifestDependencies(manifest).some(named);
      this.typedPackageDirs.set(dir, typed);
    }
    return typed;
  }

  /** A parallel scan's share of the batch run's tree budget for this thread, set before any file is analysed. */
  shareTreeBudget(threads: number): void {
    if (this.treeBudget === undefined) return;
    this.treeBudget /= threads;
    this.releaseAbove = this.treeBudget;
  }

  /**
   * Between two files of a batch run: once the trees held exceed the budget (after a
   * release: once they have grown by half of it again), drops those expected to be read
   * last (see planUses; the least recently used first among those with no read expected)
   * until those that can go take half the budget, so the memos they take with them are
   * rebuilt rarely.
   * A tree costs some 30 times its text, and a scan's later files seldom need most of
   * its earlier ones: without this a 4,000-file scan holds every tree to the end. Never
   * called during a file's analysis, whose rules hold nodes; trees in a type-checking
   * program stay, as the program holds them anyway and would be rebuilt for new ones (in a
   * batch run; see editorTreeBudget). Never released: the trees of open documents and
   * those in `keep`, what the analysis just done read, directly or through memos, which
   * the next edit reads again.
   */
  releaseTrees(keep: ReadonlySet<string> = new Set()): void {
    if (this.treeBudget === undefined || this.useClock === undefined) return;
    this.useClock++;
    if (this.residentText <= this.releaseAbove) return;
    const clock = this.useClock;
    const held = this.loadedProjects().flatMap((project) =>
      project
        .releasableTrees()
        .filter((tree) => !keep.has(tree.file) && !this.overlays.has(tree.file))
        .map((tree) => ({ project, ...tree, nextUse: this.nextExpectedUse(tree.file, clock) })),
    );
    held.sort((a, b) => b.nextUse - a.nextUse || a.lastUse - b.lastUse);
    let releasable = held.reduce((sum, tree) => sum + tree.size, 0);
    const victims = new Map<ProjectEntry, Set<string>>();
    for (const { project, file, size } of held) {
      if (releasable <= this.treeBudget / 2) break;
      releasable -= size;
      let files = victims.get(project);
      if (!files) victims.set(project, (files = new Set()));
      files.add(file);
    }
    for (const [project, files] of victims) {
      project.releaseTrees(files);
      for (const other of this.loadedProjects()) if (other !== project) other.foreignTreesReleased(files);
    }
    this.releaseAbove = this.residentText + this.treeBudget / 2;
    if (victims.size > 0) this.reclaimMemory();
  }

  /** The first position from `clock` on where `file` is expected to be read; Infinity when none is known. */
  private nextExpectedUse(file: string, clock: number): number {
    const positions = this.expectedUses?.get(file);
    if (!positions) return Infinity;
    let low = 0;
    let high = positions.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (positions[middle]! < clock) low = middle + 1;
      else high = middle;
    }
    return positions[low] ?? Infinity;
  }

  /** Every analysable file: those of all tsconfig projects, then loose files under the root. */
  allFiles(): string[] {
    const seen = new Set<string>();
    // Building the projects (if not built yet) and finding loose files read the same folders.
    const listing = new DirectoryListing();
    for (const entry of this.tsconfigProjects(listing)) {
      // A tsconfig above the root governs the files under it, not the rest of its project.
      const outside = !isWithin(this.root, entry.root);
      for (const file of entry.fileNames) if (!outside || isWithin(this.root, file)) seen.add(file);
    }
    for (const file of walkSourceFiles(this.root, listing)) seen.add(file);
    for (const file of this.overlays.keys()) seen.add(file);
    return [...seen].sort();
  }

  /** The project that owns a file: the deepest tsconfig that includes it, else the inferred one. */
  projectFor(filePath: string): ProjectEntry {
    return this.tsconfigOwners().get(normalizePath(filePath)) ?? this.inferredProject();
  }

  /** Asked at every cross-file lookup: a monorepo has dozens of tsconfigs to look through, so they are looked through once. */
  private tsconfigOwners(): Map<string, ProjectEntry> {
    if (!this.owners) {
      this.owners = new Map();
      for (const entry of this.tsconfigProjects()) {
        for (const file of entry.fileNames) {
          const best = this.owners.get(file);
          if (!best || entry.root.length > best.root.length) this.owners.set(file, entry);
        }
      }
    }
    return this.owners;
  }

  getSourceFile(filePath: string): ts.SourceFile | undefined {
    const file = normalizePath(filePath);
    return this.projectFor(file).load(file);
  }

  /**
   * Whether a file is a test, a test helper or a fixture (see testFiles.ts), by its path
   * from testsJudgedFrom; a file outside it (opened from elsewhere in the editor) by its
   * path in its project, so that no folder above the project counts.
   */
  isTestFile(filePath: string): boolean {
    const file = normalizePath(filePath);
    let base = this.testsJudgedFrom;
    if (!isWithin(base, file)) {
      const projectRoot = this.projectFor(file).root;
      base = isWithin(projectRoot, file) ? projectRoot : path.dirname(file);
    }
    return isTestPath(posixRelative(base, file));
  }

  /**
   * Files a batch run is about to analyse, in the order it analyses them: a type checker
   * needed widely then takes in the coming ones at once (see upcomingBatchFiles) instead of
   * growing (and rebuilding) its program file by file.
   */
  planBatch(files: Iterable<string>): void {
    for (const file of files) this.batch.add(normalizePath(file));
  }

  /**
   * Where in a one-thread batch run each file is expected to be read (see ScanPlan), so that
   * releaseTrees drops the trees needed last: a position is the number of batch files
   * finished before it, as useClock counts them.
   */
  planUses(expectedUses: ReadonlyMap<string, readonly number[]>): void {
    this.expectedUses = expectedUses;
  }

  /** Between two files of a batch run: `file` is done, so programs built from now on leave it out, and trees beyond the budget go. */
  finishBatchFile(file: string): void {
    this.batch.delete(normalizePath(file));
    this.releaseTrees();
  }

  /** Whether some project's type checker had to take in most of the project (see ProjectEntry.getTypeChecker). */
  typesNeededWidely(): boolean {
    return this.loadedProjects().some((project) => project.typesNeededWidely);
  }

  /** The planned batch files a project owns that this thread has not finished (in a parallel scan, runs another thread took stay planned here). */
  upcomingBatchFiles(project: ProjectEntry): string[] {
    return [...this.batch].filter((file) => this.projectFor(file) === project);
  }

  /** Why a file was not analysed (too large, binary, unreadable), if it was not. */
  skipReason(filePath: string): string | undefined {
    return this.skipped.get(normalizePath(filePath));
  }

  /** Editor text takes precedence over disk until the document is closed. */
  setOverlay(filePath: string, text: string): void {
    const file = normalizePath(filePath);
    if (this.overlays.get(file) === text) return;
    this.overlays.set(file, text);
    this.fileChanged(file);
  }

  clearOverlay(filePath: string): void {
    const file = normalizePath(filePath);
    if (this.overlays.delete(file)) this.fileChanged(file);
  }

  hasOverlay(filePath: string): boolean {
    return this.overlays.has(normalizePath(filePath));
  }

  /** A file changed on disk (or its overlay changed): re-read it on next use. */
  fileChanged(filePath: string): void {
    const file = normalizePath(filePath);
    this.skipped.delete(file);
    this.readAhead.delete(file);
    this.declarations.forget(file);
    if (TSCONFIG_NAME.test(path.basename(file)) || path.basename(file) === 'package.json') {
      this.dropProjects();
      return;
    }
    // Asked only of a file some project had not read (an edit of a parsed file asks nothing
    // of the disk), and before the resolver's findings are cleared.
    let sawOtherwise: boolean | undefined;
    const resolverSawOtherwise = () => (sawOtherwise ??= this.resolverSawOtherwise(file));
    let existenceChanged = false;
    for (const entry of this.loadedProjects()) if (entry.invalidate(file, resolverSawOtherwise)) existenceChanged = true;
    if (existenceChanged) this.probedPaths.clear();
  }

  /** An exists check for module resolution, answered once per path (see probedPaths). */
  probePath(kind: 'file' | 'dir', target: string, exists: (target: string) => boolean): boolean {
    const key = `${kind}:${target}`;
    let found = this.probedPaths.get(key);
    if (found === undefined) this.probedPaths.set(key, (found = exists(target)));
    return found;
  }

  /** Whether module resolution found this file, or a folder on its path, missing where it now exists, or the reverse. */
  private resolverSawOtherwise(file: string): boolean {
    // The resolver asks with '/' separators on every platform.
    const asked = (target: string) => target.split(path.sep).join('/');
    const seen = this.probedPaths.get(`file:${asked(file)}`);
    if (seen !== undefined && seen !== ts.sys.fileExists(file)) return true;
    for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const seenDir = this.probedPaths.get(`dir:${asked(dir)}`);
      if (seenDir !== undefined && seenDir !== ts.sys.directoryExists(dir)) return true;
    }
    return false;
  }

  /** Drops every project; the next request rebuilds from disk. Overlays are kept. */
  reset(): void {
    this.dropProjects();
    this.skipped.clear();
    this.readAhead.clear();
    this.declarations.clear();
  }

  /** Whether a file exists as the editor sees it: open documents count, saved or not. */
  fileExists(file: string): boolean {
    return this.overlays.has(file) || ts.sys.fileExists(file);
  }

  /**
   * The source file a bare specifier names in one of the workspace's own packages
   * (`@acme/db/queries` leads to packages/db/src/queries/index.ts), or undefined.
   */
  workspacePackageFile(specifier: string): string | undefined {
    this.tsconfigProjects();
    this.packages ??= packagesByName(this.manifests);
    const target = packageTarget(specifier, this.packages);
    if (!target) return undefined;
    for (const candidate of target.candidates) {
      const base = path.resolve(target.dir, candidate);
      const stem = base.replace(/\.(?:d\.)?[cm]?[jt]sx?$/, '');
      for (const file of [base, ...SOURCE_SUFFIXES.map((suffix) => stem + suffix), ...SOURCE_SUFFIXES.map((suffix) => path.join(base, `index${suffix}`))]) {
        if (isAnalysableFile(file) && this.fileExists(file)) return normalizePath(file);
      }
    }
    return undefined;
  }

  /** A file TypeScript resolved through node_modules that is really the workspace's own source (a linked workspace package). */
  isWorkspaceSource(file: string): boolean {
    return isWithin(this.root, file) && !file.includes(`${path.sep}node_modules${path.sep}`) && isAnalysableFile(file);
  }

  readText(file: string): string | undefined {
    const overlay = this.overlays.get(file);
    if (overlay !== undefined) {
      if (overlay.length > this.maxFileBytes) {
        this.skipped.set(file, `is over the ${Math.round(this.maxFileBytes / 1048576)} MB limit`);
        return undefined;
      }
      return overlay;
    }
    const ahead = this.readAhead.get(file);
    if (ahead !== undefined) {
      this.readAhead.delete(file);
      return ahead;
    }
    const result = readFileText(file, this.maxFileBytes);
    if ('skipped' in result) {
      this.skipped.set(file, result.skipped);
      return undefined;
    }
    return result.text;
  }

  /**
   * A file's text, read before its turn in a batch run (to order the run by imports) and
   * kept until the next readText, which its parse makes: each file is read once, as the
   * parse floor reads it. Only for files that will be parsed, or their text stays held.
   */
  readAheadText(file: string): string | undefined {
    const kept = this.readAhead.get(file);
    if (kept !== undefined) return kept;
    const text = this.readText(file);
    if (text !== undefined) this.readAhead.set(file, text);
    return text;
  }

  private dropProjects(): void {
    this.typedPackageDirs.clear();
    this.typedDeclarationFiles.clear();
    this.projects = undefined;
    this.packages = undefined;
    this.inferred = undefined;
    this.owners = undefined;
    this.residentText = 0;
    this.releaseAbove = this.treeBudget ?? Infinity;
    // A manifest or tsconfig created or deleted: the resolver reads manifests too.
    this.probedPaths.clear();
  }

  private loadedProjects(): ProjectEntry[] {
    return [...(this.projects ?? []), ...(this.inferred ? [this.inferred] : [])];
  }

  private tsconfigProjects(listing = new DirectoryListing()): ProjectEntry[] {
    if (!this.projects) {
      // A sub-folder or a list of files (a pre-commit hook's) is analysed with the tsconfig
      // that governs it, found upwards as tsc finds it, when the root has none of its own.
      const ownTsconfig = fs.existsSync(path.join(this.root, 'tsconfig.json'));
      const above = ownTsconfig ? undefined : tsconfigAbove(this.root);
      this.projects = [];
      this.tsconfigProblems = [];
      // Parsed `extends` bases: a monorepo's tsconfigs extend the same few.
      const extended = new Map<string, ts.ExtendedConfigCacheEntry>();
      // A solution-style tsconfig (`"files": []` with `references`, as Vite and Nx write
      // them) owns no files: the configs it references do, under any name (tsconfig.app.json).
      const found = findConfigFiles(this.root, listing);
      this.manifests = found.manifests;
      const pending = [...(above ? [above] : []), ...found.tsconfigs];
      const seen = new Set(pending);
      for (let tsconfig = pending.shift(); tsconfig !== undefined; tsconfig = pending.shift()) {
        const { entry, problems, references } = ProjectEntry.fromTsconfig(this, tsconfig, listing.parseConfigHost(), extended);
        if (entry) this.projects.push(entry);
        this.tsconfigProblems.push(...problems);
        for (const reference of references) {
          if (seen.has(reference) || !isWithin(this.root, reference) || !fs.existsSync(reference)) continue;
          seen.add(reference);
          pending.push(reference);
        }
      }
    }
    return this.projects;
  }

  /** Problems with the workspace's own configuration (a tsconfig.json that does not parse, a missing `extends`), for the user to see once. */
  problems(): readonly string[] {
    this.tsconfigProjects();
    return this.tsconfigProblems;
  }

  private inferredProject(): ProjectEntry {
    this.inferred ??= ProjectEntry.inferred(this, this.root);
    return this.inferred;
  }
}

export class ProjectEntry implements ProjectFacts {
  private readonly parsed = new Map<string, ts.SourceFile>();
  /** Files of other projects this one read through their owners' trees (see resolveModule). */
  private readonly foreignTrees = new Set<string>();
  /** The workspace's useClock when each parsed tree was last loaded. */
  private readonly lastUse = new Map<string, number>();
  /** The last parse of files changed since, kept so the next parse reuses their unchanged nodes. */
  private readonly superseded = new Map<string, ts.SourceFile>();
  private readonly host: ts.CompilerHost;
  /** The program type questions are answered from: it reads only the typed packages' declarations (Workspace.declaredByTypedPackage). */
  private readonly leanProgram: TypedProgram;
  /** The program that reads every package, for questions that may be about any (see RuleContext.getTypeChecker); built only for those. */
  private fullProgram: TypedProgram | undefined;

  get typesNeededWidely(): boolean {
    return this.leanProgram.neededWidely || this.fullProgram?.neededWidely === true;
  }

  private programs(): TypedProgram[] {
    return this.fullProgram ? [this.leanProgram, this.fullProgram] : [this.leanProgram];
  }
  // Memos may be kept on another project's trees this one read (see resolveModule).
  private readonly memos = new Memos((file) => this.parsed.get(file) ?? (this.foreignTrees.has(file) ? this.workspace.projectFor(file).loadedTree(file) : undefined));
  private resolutionCache: ts.ModuleResolutionCache;
  /**
   * Where import specifiers lead, by importing file and by what their resolution depends
   * on (see ResolutionKeys), and what resolving them found on disk: rules ask per call, and
   * TypeScript's own cache is per folder and still probes every extension and node_modules
   * folder of each.
   */
  private resolvedImports = new Map<string, Map<string, string | undefined>>();
  private sharedResolutions = new Map<string, string | undefined>();
  private readonly resolutionKeys: ResolutionKeys;
  private readonly resolutionHost: ts.ModuleResolutionHost & PathProbe = {
    fileExists: (file) => this.workspace.probePath('file', file, ts.sys.fileExists),
    directoryExists: (dir) => this.workspace.probePath('dir', dir, ts.sys.directoryExists),
    readFile: ts.sys.readFile,
    realpath: (file) => ts.sys.realpath?.(file) ?? file,
    getCurrentDirectory: ts.sys.getCurrentDirectory,
  };
  private packageDependencies: Set<string> | undefined;
  private esm: boolean | undefined;

  private constructor(
    private readonly workspace: Workspace,
    readonly root: string,
    readonly tsconfigPath: string | undefined,
    readonly fileNames: Set<string>,
    readonly compilerOptions: ts.CompilerOptions,
    /** The tsconfig's own .d.ts files (ambient module declarations, globals): always in the program. */
    readonly declarationFileNames: readonly string[] = [],
  ) {
    this.resolutionCache = this.newResolutionCache();
    this.resolutionKeys = new ResolutionKeys(compilerOptions, this.resolutionHost);
    this.host = this.programHost((file) => workspace.declaredByTypedPackage(normalizePath(file)));
    this.leanProgram = new TypedProgram(this.host, compilerOptions, declarationFileNames);
  }

  private programHost(readsDeclarations: (file: string) => boolean): ts.CompilerHost {
    return createProgramHost({
      options: this.compilerOptions,
      declarations: this.workspace.declarations,
      analysable: (file) => this.load(normalizePath(file)),
      isAnalysable: isAnalysableFile,
      readFile: (file) => this.workspace.readText(normalizePath(file)),
      fileExists: (file) => this.workspace.fileExists(normalizePath(file)),
      readsDeclarations,
    });
  }

  /** The project of a tsconfig.json, with what was wrong in it (undefined when it cannot be read at all). */
  static fromTsconfig(workspace: Workspace, tsconfigPath: string, host: ts.ParseConfigHost, extended: Map<string, ts.ExtendedConfigCacheEntry>): { entry?: ProjectEntry; problems: string[]; references: string[] } {
    const read = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
    if (read.error) return { problems: [`${tsconfigPath} cannot be read (${messageOf(read.error)}): its files are analysed with default compiler options`], references: [] };
    const root = path.dirname(tsconfigPath);
    const parsed = ts.parseJsonConfigFileContent(read.config, host, root, undefined, tsconfigPath, undefined, undefined, extended);
    const fileNames = new Set(parsed.fileNames.filter(isAnalysableFile).map(normalizePath));
    const declarationFileNames = parsed.fileNames.filter((f) => f.endsWith('.d.ts')).map(normalizePath);
    // A missing `extends` or an option this TypeScript does not know changes what is analysed
    // and how; a solution-style tsconfig that includes no files is normal.
    const problems = parsed.errors
      .filter((error) => error.category === ts.DiagnosticCategory.Error && error.code !== NO_INPUTS_FOUND)
      .map((error) => `${tsconfigPath}: ${messageOf(error)}`);
    const references = (parsed.projectReferences ?? []).map((reference) => normalizePath(ts.resolveProjectReferencePath(reference)));
    return { entry: new ProjectEntry(workspace, root, tsconfigPath, fileNames, { ...parsed.options, noEmit: true }, declarationFileNames), problems, references };
  }

  static inferred(workspace: Workspace, root: string): ProjectEntry {
    return new ProjectEntry(workspace, root, undefined, new Set(), {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      experimentalDecorators: true,
      noEmit: true,
    });
  }

  load(file: string): ts.SourceFile | undefined {
    this.memos.read(file);
    const existing = this.parsed.get(file);
    if (existing) {
      if (this.workspace.useClock !== undefined) this.lastUse.set(file, this.workspace.useClock);
      return existing;
    }
    const text = this.workspace.readText(file);
    const previous = this.superseded.get(file);
    this.superseded.delete(file);
    if (text === undefined) return undefined;
    const sourceFile = previous
      ? reparse(previous, text)
      : ts.createSourceFile(file, text, sourceFileOptions(file, this.compilerOptions, this.host, this.resolutionCache), true, scriptKindOf(file));
    this.parsed.set(file, sourceFile);
    if (this.workspace.useClock !== undefined) this.lastUse.set(file, this.workspace.useClock);
    this.workspace.residentText += text.length;
    return sourceFile;
  }

  /** Parsed trees that releaseTrees may drop, with their last use and text size. */
  releasableTrees(): { file: string; lastUse: number; size: number }[] {
    const held: { file: string; lastUse: number; size: number }[] = [];
    for (const [file, tree] of this.parsed) {
      if (this.workspace.releasesProgramTrees || !this.programs().some((program) => program.holds(file, tree))) held.push({ file, lastUse: this.lastUse.get(file) ?? 0, size: tree.text.length });
    }
    return held;
  }

  /** Drops these parsed trees, and what was computed from them; a later load parses them afresh. */
  releaseTrees(files: ReadonlySet<string>): void {
    this.memos.changed(files);
    if (this.workspace.releasesProgramTrees) for (const program of this.programs()) if ([...files].some((file) => program.reads(file))) program.forget(files);
    for (const file of files) this.forgetTree(file);
  }

  private forgetTree(file: string): ts.SourceFile | undefined {
    const tree = this.parsed.get(file);
    if (tree) {
      this.parsed.delete(file);
      this.lastUse.delete(file);
      this.workspace.residentText -= tree.text.length;
    }
    return tree;
  }

  /** `file` changed, was created or deleted; `resolverSawOtherwise`: module resolution found it (or a folder on its path) existing where it no longer does, or the reverse. True when the project had not read it, so its existence may have changed. */
  invalidate(file: string, resolverSawOtherwise: () => boolean): boolean {
    this.memos.changed(new Set([file]));
    const previous = this.forgetTree(file);
    const programs = this.programs();
    if (previous) this.superseded.set(file, previous);
    // A parsed tree, or a declaration file a program read.
    if (previous || programs.some((program) => program.reads(file))) {
      for (const program of programs) program.outdate();
      return false;
    }
    // A file nothing had read: created (or deleted) on disk, or opened before it was
    // parsed. Imports that resolved to nothing may now resolve, and TypeScript's cache
    // remembers the misses. What was computed from resolutions goes only when the
    // resolver had seen the file or its folder otherwise: opening a file keeps it.
    if (resolverSawOtherwise()) this.memos.resolutionsChanged();
    this.resolutionCache = this.newResolutionCache();
    this.resolvedImports = new Map();
    this.sharedResolutions = new Map();
    this.resolutionKeys.clear();
    for (const program of programs) program.outdate();
    return true;
  }

  private newResolutionCache(): ts.ModuleResolutionCache {
    return ts.createModuleResolutionCache(this.root, (name) => name, this.compilerOptions);
  }

  getSourceFile(filePath: string): ts.SourceFile | undefined {
    const file = normalizePath(filePath);
    return isAnalysableFile(file) ? this.load(file) : undefined;
  }

  resolveModule(fromFile: string, specifier: string): ts.SourceFile | undefined {
    const resolved = this.resolveModulePath(fromFile, specifier);
    if (resolved === undefined || !isAnalysableFile(resolved)) return undefined;
    // Another project's file is parsed once, by the project that owns it, not again by
    // every project that imports it (a monorepo's shared package: once per importing
    // package, 47 times in medusa). Rules ask types only about the file they analyse.
    const owner = this.workspace.projectFor(resolved);
    if (owner === this) return this.load(resolved);
    this.memos.read(resolved);
    this.foreignTrees.add(resolved);
    return owner.load(resolved);
  }

  /** The tree of a file this project has parsed, without parsing it. */
  loadedTree(file: string): ts.SourceFile | undefined {
    return this.parsed.get(file);
  }

  /** Another project released these trees: what was computed from them here goes too. */
  foreignTreesReleased(files: ReadonlySet<string>): void {
    const held = [...files].filter((file) => this.foreignTrees.delete(file));
    if (held.length > 0) this.memos.changed(new Set(held));
  }

  readText(filePath: string): string | undefined {
    const file = normalizePath(filePath);
    this.memos.read(file);
    // A parsed file's text is current (an edit drops the tree): no second read from disk.
    return this.parsed.get(file)?.text ?? this.workspace.readText(file);
  }

  resolveModulePath(fromFile: string, specifier: string): string | undefined {
    this.memos.readResolutions();
    let asked = this.resolvedImports.get(fromFile);
    if (!asked) this.resolvedImports.set(fromFile, (asked = new Map()));
    if (asked.has(specifier)) return asked.get(specifier);
    // Rules ask again and again from one file; other files and folders may share the answer.
    const key = this.resolutionKeys.key(path.dirname(fromFile), specifier);
    let file: string | undefined;
    if (this.sharedResolutions.has(key)) {
      file = this.sharedResolutions.get(key);
    } else {
      const resolved = ts.resolveModuleName(specifier, fromFile, this.compilerOptions, this.resolutionHost, this.resolutionCache).resolvedModule;
      const resolvedFile = resolved && normalizePath(resolved.resolvedFileName);
      const own = resolvedFile !== undefined && (!resolved!.isExternalLibraryImport || this.workspace.isWorkspaceSource(resolvedFile));
      file = own ? resolvedFile : undefined;
      // Not found, a package's types, or a linked workspace package's build output (`dist/index.d.ts`): its source, if the workspace holds it.
      const ownSource = file !== undefined && isAnalysableFile(file);
      if (!ownSource && !specifier.startsWith('.') && !path.isAbsolute(specifier)) file = this.workspace.workspacePackageFile(specifier) ?? file;
      this.sharedResolutions.set(key, file);
    }
    asked.set(specifier, file);
    return file;
  }

  perFile<T>(sourceFile: ts.SourceFile, key: string, compute: () => T): T {
    return this.memos.perFile(sourceFile, key, compute);
  }

  acrossFiles<T>(key: string, compute: () => T, origin?: ts.SourceFile): T {
    return this.memos.acrossFiles(key, compute, origin);
  }

  tracked<T>(compute: () => T): { value: T; reads: ReadonlySet<string> } {
    return this.memos.tracked(compute);
  }

  perGeneration<T>(key: string, compute: () => T): T {
    return this.memos.perGeneration(key, compute);
  }

  generationStore<T>(key: string, compute: () => T): T {
    return this.memos.generationStore(key, compute);
  }

  noteReads(files: ReadonlySet<string>): void {
    this.memos.noteReads(files);
  }

  dependencies(): ReadonlySet<string> {
    if (!this.packageDependencies) {
      this.packageDependencies = new Set();
      for (const manifest of packageJsonsAbove(this.root, this.workspace.root)) {
        for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
          const deps = manifest[field];
          if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) this.packageDependencies.add(name);
        }
      }
    }
    return this.packageDependencies;
  }

  packagesInstalled(fromFile: string): boolean {
    const known = this.memos.perGeneration('node-modules-above', () => new Map<string, boolean>());
    return nodeModulesAbove(path.dirname(normalizePath(fromFile)), known) || nodeModulesAbove(this.root, known);
  }

  installedManifest(fromFile: string, name: string): Record<string, unknown> | undefined {
    const found = this.memos.perGeneration('installed-manifests', () => new Map<string, Record<string, unknown> | undefined>());
    const lookup = (dir: string): Record<string, unknown> | undefined => {
      const key = `${dir}\0${name}`;
      if (found.has(key)) return found.get(key);
      const parent = path.dirname(dir);
      const manifest = readManifest(path.join(dir, 'node_modules', name, 'package.json')) ?? (parent !== dir ? lookup(parent) : undefined);
      found.set(key, manifest);
      return manifest;
    };
    return lookup(path.dirname(normalizePath(fromFile)));
  }

  ambientModules(): ReadonlySet<string> {
    return this.memos.acrossFiles('ambient-modules', () => {
      const declared = new Set<string>();
      for (const file of this.declarationFileNames) {
        for (const match of (this.readText(file) ?? '').matchAll(AMBIENT_MODULE)) declared.add(match[2]!);
      }
      return declared;
    });
  }

  usesEsmImports(): boolean {
    if (this.esm === undefined) {
      const kind = this.compilerOptions.moduleResolution;
      const nodeEsmResolution = kind === ts.ModuleResolutionKind.Node16 || kind === ts.ModuleResolutionKind.NodeNext;
      const typeModule = packageJsonsAbove(this.root, this.workspace.root)[0]?.['type'] === 'module';
      this.esm = nodeEsmResolution && typeModule;
    }
    return this.esm;
  }

  /**
   * A type checker whose program contains `sourceFile` (the very object rules walk; see
   * TypedProgram). It reads the declarations of the packages rules ask types about;
   * `everyPackage` asks a second program that reads them all, so that an answer never
   * depends on which question came first.
   */
  getTypeChecker(sourceFile?: ts.SourceFile, everyPackage = false): ts.TypeChecker {
    this.memos.readAnyFile();
    const program = everyPackage ? (this.fullProgram ??= new TypedProgram(this.programHost(() => true), this.compilerOptions, this.declarationFileNames)) : this.leanProgram;
    return program.checker(sourceFile, () => [...this.parsed.keys(), ...this.workspace.upcomingBatchFiles(this)], this.workspace.beforeTypes);
  }
}

/**
 * Incremental re-parse after an edit, as the TypeScript language service does it: only
 * the nodes around the changed span are parsed again (typing in an 85 KB file costs a
 * few milliseconds, not a full parse). The previous tree must not be used afterwards.
 */
function reparse(previous: ts.SourceFile, text: string): ts.SourceFile {
  const before = previous.text;
  if (before === text) return previous;
  let start = 0;
  const shorter = Math.min(before.length, text.length);
  while (start < shorter && before.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = text.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return ts.updateSourceFile(previous, text, { span: { start, length: oldEnd - start }, newLength: newEnd - start });
}

const AMBIENT_MODULE = /\bdeclare\s+module\s+(['"])([^'"\n]+)\1/g;

/** Whether `dir` or a folder above it holds a node_modules folder; `known` remembers folders already looked at. */
function nodeModulesAbove(dir: string, known: Map<string, boolean>): boolean {
  const cached = known.get(dir);
  if (cached !== undefined) return cached;
  const parent = path.dirname(dir);
  const found = fs.existsSync(path.join(dir, 'node_modules')) || (parent !== dir && nodeModulesAbove(parent, known));
  known.set(dir, found);
  return found;
}

/** TS18003, "No inputs were found in config file". */
const NO_INPUTS_FOUND = 18003;

function messageOf(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}

function scriptKindOf(file: string): ts.ScriptKind {
  return file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** package.json manifests from `dir` up to `stopAt`, nearest first. */
export function packageJsonsAbove(dir: string, stopAt: string): Record<string, unknown>[] {
  const manifests: Record<string, unknown>[] = [];
  let current = dir;
  for (;;) {
    // Missing or unparsable manifests simply contribute nothing.
    const manifest = readManifest(path.join(current, 'package.json'));
    if (manifest) manifests.push(manifest);
    const parent = path.dirname(current);
    if (current === stopAt || parent === current || !current.startsWith(stopAt)) break;
    current = parent;
  }
  return manifests;
}

/** tsconfig.json and the configs it extends or references by convention (tsconfig.base.json, tsconfig-base.json, tsconfig.app.json). */
export const TSCONFIG_NAME = /^tsconfig[\w.-]*\.json$/;

function tsconfigAbove(root: string): string | undefined {
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function findConfigFiles(root: string, listing: DirectoryListing): { tsconfigs: string[]; manifests: string[] } {
  const tsconfigs: string[] = [];
  const manifests: string[] = [];
  listing.walk(root, (dir, files) => {
    if (files.includes('tsconfig.json')) tsconfigs.push(path.join(dir, 'tsconfig.json'));
    if (files.includes('package.json')) manifests.push(path.join(dir, 'package.json'));
  });
  return { tsconfigs, manifests };
}

function walkSourceFiles(root: string, listing: DirectoryListing): string[] {
  const files: string[] = [];
  listing.walk(root, (dir, names) => {
    for (const name of names) if (isAnalysableFile(name)) files.push(path.join(dir, name));
  });
  return files;
}
