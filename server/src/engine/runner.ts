import * as fs from 'node:fs';
import * as path from 'node:path';
import { planCachedRun, type AnalysisCache } from './analysisCache';
import { analysisParses, analyzeInBatch, type FileAnalysis } from './analyzer';
import { ConfigResolver } from './config';
import { analyseInParallel, threadsFor, type ParallelScan } from './parallelScan';
import { typedPackagesOf, type Rule } from './rule';
import { singleThreadPlan } from './scanOrder';
import { repositoryRootAbove } from './testFiles';
import { BATCH_TREE_BUDGET, isAnalysableFile, normalizePath, Workspace } from './workspace';

// Batch analysis of paths, as the CLI and benchmarks run it.

export interface RunOptions {
  paths: string[];
  rules: readonly Rule<Record<string, unknown>>[];
  configFile?: string;
  /** Reuse analyses of unchanged files (`--cache`). */
  cache?: AnalysisCache;
  /** Spread the files to analyse over worker threads (the CLI); absent: this thread only. */
  parallel?: ParallelScan;
  /** Whether findings carry their fixes; default true. */
  fixes?: boolean;
  /** Source text whose trees stay parsed between files, split over the scan's threads (see Workspace.releaseTrees); default BATCH_TREE_BUDGET. */
  treeBudget?: number;
  /** Called on this thread after trees were released (see WorkspaceOptions); workers make their own (serveScanWorker). */
  reclaimMemory?: () => void;
  /** Unsaved text to analyse instead of what is on disk (the editor's open documents), by file path. */
  overlays?: ReadonlyMap<string, string>;
  /** Of the files under the paths, analyse only these (the editor's, after a change to files they read), judged as the whole run would judge them. */
  only?: ReadonlySet<string>;
  /**
   * Called with each file's analysis as it is made (cached ones excepted), how many files the
   * run analyses, and, on one thread, the files the analysis read (see Memos.tracked): when
   * one of them changes, so may the analysis.
   */
  onAnalysed?: (analysis: FileAnalysis, files: number, reads?: ReadonlySet<string>) => void;
}

export interface RunResult {
  /** The analysed folder: the common ancestor of the given paths. */
  root: string;
  workspace: Workspace;
  configs: ConfigResolver;
  results: FileAnalysis[];
}

export class MissingPathError extends Error {}

export async function runAnalysis(options: RunOptions): Promise<RunResult> {
  const targets = options.paths.map(normalizePath);
  for (const target of targets) if (!fs.existsSync(target)) throw new MissingPathError(`path not found: ${target}`);
  const root = commonRoot(targets);
  const treeBudget = options.treeBudget ?? BATCH_TREE_BUDGET;
  const workspace = new Workspace(root, { treeBudget, testsJudgedFrom: testsJudgedFrom(targets, root), typedPackages: typedPackagesOf(options.rules), ...(options.reclaimMemory ? { reclaimMemory: options.reclaimMemory } : {}) });
  const configs = new ConfigResolver(root, options.configFile);
  for (const [file, text] of options.overlays ?? []) workspace.setOverlay(file, text);
  const env = { workspace, configs, rules: options.rules, fixes: options.fixes !== false };
  const files = filesUnder(workspace, targets).filter((file) => !options.only || options.only.has(file));
  const fresh = (file: string) => {
    const { value: analysis, reads } = workspace.projectFor(file).tracked(() => analyzeInBatch(env, file));
    options.onAnalysed?.(analysis, files.length, reads);
    return analysis;
  };
  // Analysed ahead, in the order that suits the threads; what that left out (files no rule reads) is analysed as the results are gathered.
  let analysed: ReadonlyMap<string, FileAnalysis> = new Map();
  const analyze = (file: string) => analysed.get(file) ?? fresh(file);
  const cached = options.cache && planCachedRun(options.cache, env, files, analyze);
  const pending = cached ? cached.misses : files;
  const threads = options.parallel ? threadsFor(pending.length, options.parallel) : 1;
  if (threads > 1) {
    workspace.shareTreeBudget(threads);
    analysed = await analyseInParallel(env, pending, threads, options.parallel!, { configFile: options.configFile, treeBudget: treeBudget / threads });
    for (const analysis of analysed.values()) options.onAnalysed?.(analysis, files.length);
  } else {
    // Read ahead for the order and kept for the parse; the files no rule reads, by their path alone (tests), are never read.
    const parsed = pending.filter((file) => analysisParses(env, file));
    const { order, expectedUses } = singleThreadPlan(parsed, treeBudget, (file) => workspace.readAheadText(file), (specifier) => workspace.workspacePackageFile(specifier));
    workspace.planBatch(order);
    if (expectedUses) workspace.planUses(expectedUses);
    analysed = new Map(order.map((file) => [file, fresh(file)]));
  }
  return { root, workspace, configs, results: files.map(cached ? cached.analyze : analyze) };
}

function filesUnder(workspace: Workspace, targets: string[]): string[] {
  const explicitFiles = targets.filter((t) => fs.statSync(t).isFile());
  const dirs = targets.filter((t) => !explicitFiles.includes(t));
  const fromDirs = dirs.length === 0 ? [] : workspace.allFiles().filter((f) => dirs.some((d) => f === d || f.startsWith(d + path.sep)));
  return [...new Set([...explicitFiles.filter(isAnalysableFile), ...fromDirs])].sort();
}

/**
 * Folders named on the command line were chosen: only what is inside them is judged. Files
 * named one by one (a pre-commit hook's staged files) are judged from their repository, as
 * a run over the whole repository would judge them, not from whatever folder they share.
 */
function testsJudgedFrom(targets: string[], root: string): string {
  return targets.every((target) => fs.statSync(target).isDirectory()) ? root : (repositoryRootAbove(root) ?? root);
}

function commonRoot(targets: string[]): string {
  const dirs = targets.map((t) => (fs.statSync(t).isDirectory() ? t : path.dirname(t)));
  let root = dirs[0] ?? process.cwd();
  for (const dir of dirs) while (root !== path.dirname(root) && dir !== root && !dir.startsWith(root + path.sep)) root = path.dirname(root);
  return root;
}
