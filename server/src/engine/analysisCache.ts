import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { AnalyzerEnvironment, FileAnalysis } from './analyzer';
import type { LoadedConfig } from './config';
import { normalizePath, packageJsonsAbove, type ProjectEntry, type Workspace } from './workspace';

// `--cache`: a file's previous analysis is reused when its text, the text of every
// project file it imports or references (transitively, since cross-file facts such as
// I/O summaries flow along imports), the configuration that applies to it, its project's
// compiler options, package manifests, lockfiles and ambient declarations, and the
// Resilint build are all unchanged. Anything doubtful is a miss; a corrupt cache file is
// ignored with a message.

/**
 * Files that say which versions of dependencies are installed, and so which types their
 * declarations give: lockfiles, and the records package managers keep in node_modules
 * of what they installed (these change even when a lockfile is not committed).
 */
const INSTALL_RECORDS = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'node_modules/.package-lock.json',
  'node_modules/.modules.yaml',
  'node_modules/.yarn-state.yml',
];

interface CacheFile {
  version: string;
  settings: string;
  entries: Record<string, { key: string; analysis: FileAnalysis }>;
}

export interface CacheIdentity {
  /** The Resilint build: a cache is never trusted across versions. */
  version: string;
  /** A digest of run-wide settings (rules, explicit config file) that affect results. */
  settings: string;
}

/** How the JSON of every cache file begins: `version` is always its first property. */
const CACHE_FILE_START = '{"version":';

export interface CacheStats {
  hits: number;
  misses: number;
}

export function digest(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

export class AnalysisCache {
  readonly stats: CacheStats = { hits: 0, misses: 0 };
  private readonly used = new Set<string>();

  private constructor(
    readonly file: string,
    private readonly identity: CacheIdentity,
    private readonly entries: CacheFile['entries'],
    /** Why the existing cache file was not used, when that deserves a message. */
    readonly problem?: string,
    /** Why the existing cache was started afresh although it was readable. */
    readonly discarded?: string,
    /** False when the file at the cache's place is someone else's: it is never overwritten. */
    readonly writable = true,
  ) {}

  static open(file: string, identity: CacheIdentity): AnalysisCache {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? new AnalysisCache(file, identity, {}) : new AnalysisCache(file, identity, {}, `cache ${file} cannot be read (${code ?? 'error'}); ignoring it`);
    }
    // Every cache this class writes starts so (see save); a file that does not is another
    // tool's or the user's, named by a mistyped --cache-location, and must survive the run.
    if (text.length > 0 && !text.startsWith(CACHE_FILE_START)) {
      return new AnalysisCache(file, identity, {}, `${file} is not a Resilint cache; leaving it untouched and running without a cache`, undefined, false);
    }
    let parsed: Partial<CacheFile> | null;
    try {
      parsed = JSON.parse(text) as Partial<CacheFile> | null;
    } catch (error) {
      return new AnalysisCache(file, identity, {}, `cache ${file} is corrupt (${(error as Error).message}); ignoring it`);
    }
    if (!parsed || typeof parsed !== 'object' || !isEntries(parsed.entries)) {
      return new AnalysisCache(file, identity, {}, `cache ${file} is not a Resilint cache; ignoring it`);
    }
    if (parsed.version !== identity.version) return new AnalysisCache(file, identity, {}, undefined, 'written by another Resilint build');
    if (parsed.settings !== identity.settings) return new AnalysisCache(file, identity, {}, undefined, 'written with other settings');
    return new AnalysisCache(file, identity, parsed.entries);
  }

  get(filePath: string, key: string): FileAnalysis | undefined {
    const entry = this.entries[filePath];
    if (!entry || entry.key !== key) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.used.add(filePath);
    return entry.analysis;
  }

  set(filePath: string, key: string, analysis: FileAnalysis): void {
    this.entries[filePath] = { key, analysis };
    this.used.add(filePath);
  }

  /**
   * Writes the cache atomically. Entries of files this run did not analyse are kept
   * while the file exists, so checking one folder does not evict the others.
   */
  save(): void {
    if (!this.writable) return;
    const entries: CacheFile['entries'] = {};
    for (const [filePath, entry] of Object.entries(this.entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (this.used.has(filePath) || fs.existsSync(filePath)) entries[filePath] = entry;
    }
    const data: CacheFile = { version: this.identity.version, settings: this.identity.settings, entries };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(data));
    fs.renameSync(temporary, this.file);
  }
}

export interface CachedRun {
  /** Files the cache cannot serve: only these need parsing and analysis. */
  misses: string[];
  /** Serves a file from the cache, or analyses and stores it. */
  analyze(filePath: string): FileAnalysis;
}

/**
 * Looks every file up in the cache before anything is parsed (keys come from text read,
 * never parsed), so the caller can plan work for the misses alone.
 */
export function planCachedRun(cache: AnalysisCache, env: AnalyzerEnvironment, files: readonly string[], analyze: (filePath: string) => FileAnalysis): CachedRun {
  const { workspace } = env;
  const contentKeys = cacheKeys(files, (file) => workspace.readText(file), projectImportResolver(workspace));
  const settingsOf = settingsDigests(env);
  const hits = new Map<string, FileAnalysis>();
  const keys = new Map<string, string>();
  for (const file of files) {
    const key = digest(contentKeys.get(file) ?? '', settingsOf(file));
    const cached = cache.get(file, key);
    if (cached) hits.set(file, cached);
    else keys.set(file, key);
  }
  return {
    misses: [...keys.keys()],
    analyze(filePath) {
      const cached = hits.get(filePath);
      if (cached) return cached;
      const analysis = analyze(filePath);
      const key = keys.get(filePath);
      if (key !== undefined) cache.set(filePath, key, analysis);
      return analysis;
    },
  };
}

/**
 * Resolves imports to the workspace files they load. Package names count too when they
 * lead to source outside node_modules (workspace packages linked into node_modules, which
 * the type checker follows into their source). They resolve alike from every folder of a
 * project, so each is resolved once per project: the node_modules lookups would otherwise
 * dominate the cost of computing keys.
 */
function projectImportResolver(workspace: Workspace): (fromFile: string, specifier: string) => string | undefined {
  const packages = new Map<ProjectEntry, Map<string, string | undefined>>();
  return (fromFile, specifier) => {
    const project = workspace.projectFor(fromFile);
    if (/^\.\.?(?:[\\/]|$)/.test(specifier) || path.isAbsolute(specifier)) return project.resolveModulePath(fromFile, specifier);
    let resolved = packages.get(project);
    if (!resolved) packages.set(project, (resolved = new Map()));
    if (!resolved.has(specifier)) {
      const file = ts.resolveModuleName(specifier, fromFile, project.compilerOptions, ts.sys).resolvedModule?.resolvedFileName;
      resolved.set(specifier, file !== undefined && !/[\\/]node_modules[\\/]/.test(file) ? normalizePath(file) : undefined);
    }
    return resolved.get(specifier);
  };
}

/** What besides source text shapes a file's results: its configuration and its project. */
function settingsDigests(env: AnalyzerEnvironment): (filePath: string) => string {
  const byConfig = new Map<LoadedConfig, string>();
  const byProject = new Map<ProjectEntry, string>();
  const installs = installRecordDigests();
  return (filePath) => {
    const loaded = env.configs.forFile(filePath);
    let config = byConfig.get(loaded);
    if (config === undefined) byConfig.set(loaded, (config = digest(JSON.stringify(loaded.config), loaded.baseDir, ...loaded.problems)));
    const project = env.workspace.projectFor(filePath);
    let projectDigest = byProject.get(project);
    if (projectDigest === undefined) {
      const manifests = packageJsonsAbove(project.root, env.workspace.root);
      // Ambient declarations (globals, `declare module`) are in every file's program
      // although no file imports them.
      const ambient = ambientDeclarationFiles(project).map((file) => `${file}:${digest(env.workspace.readText(file) ?? '')}`);
      byProject.set(project, (projectDigest = digest(project.root, JSON.stringify(project.compilerOptions), JSON.stringify(manifests), ...ambient, installs(project.root))));
    }
    // Whether a file counts as a test depends on the folder the run was given, not on its text.
    return digest(config, projectDigest, env.workspace.isTestFile(filePath) ? 'test' : 'source');
  };
}

/**
 * The project's own declaration files, and those under type roots of its own (`typeRoots`
 * outside node_modules, whose packages `types` names or which are all included by
 * default); type roots inside node_modules change with the install records.
 */
function ambientDeclarationFiles(project: ProjectEntry): string[] {
  const files = new Set(project.declarationFileNames);
  for (const root of project.compilerOptions.typeRoots ?? []) {
    if (/[\\/]node_modules(?:[\\/]|$)/.test(root)) continue;
    let entries: string[];
    try {
      entries = fs.readdirSync(root, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) if (/\.d\.[cm]?ts$/.test(entry)) files.add(normalizePath(path.join(root, entry)));
  }
  return [...files].sort();
}

/**
 * A digest of the install records in a folder and all its parents, as far up as Node
 * looks for node_modules. Each record is hashed once per run, however many projects of
 * a monorepo share it.
 */
function installRecordDigests(): (dir: string) => string {
  const byFile = new Map<string, string>();
  const recordDigest = (file: string) => {
    let value = byFile.get(file);
    if (value === undefined) {
      try {
        value = digest(file, fs.readFileSync(file, 'latin1'));
      } catch {
        value = '';
      }
      byFile.set(file, value);
    }
    return value;
  };
  return (dir) => {
    const parts: string[] = [];
    for (let current = dir; ; current = path.dirname(current)) {
      for (const name of INSTALL_RECORDS) parts.push(recordDigest(path.join(current, name)));
      if (path.dirname(current) === current) break;
    }
    return digest(...parts);
  };
}

/**
 * Cache keys for files: each file's text plus the texts of the project files it imports,
 * transitively. Imports are found with `ts.preProcessFile`, which scans tokens without
 * building a syntax tree, so computing keys costs a fraction of a parse.
 */
export function cacheKeys(
  files: readonly string[],
  textOf: (filePath: string) => string | undefined,
  resolveImport: (fromFile: string, specifier: string) => string | undefined,
): Map<string, string> {
  const texts = new Map<string, string>();
  const edges = new Map<string, string[]>();
  const pending = [...files];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (texts.has(file)) continue;
    const text = textOf(file) ?? '';
    texts.set(file, digest(text));
    const { importedFiles, referencedFiles } = ts.preProcessFile(text, true, true);
    const imports = importedFiles.map((ref) => resolveImport(file, ref.fileName));
    // `/// <reference path>` pulls a file into the program just as an import does.
    const references = referencedFiles.map((ref) => normalizePath(path.resolve(path.dirname(file), ref.fileName)));
    const resolved = [...new Set([...imports, ...references].filter((target): target is string => target !== undefined))];
    edges.set(file, resolved);
    for (const target of resolved) if (!texts.has(target)) pending.push(target);
  }
  const closures = closureDigests(edges, texts);
  return new Map(files.map((file) => [file, digest(file, closures.get(file)!)]));
}

/**
 * A digest per file that changes whenever any file it reaches through imports changes.
 * Barrels make transitive closures nearly as large as the project, so instead of hashing
 * each closure (quadratic), strongly connected components are hashed in the order
 * Tarjan's algorithm completes them (dependencies first), each from its members' texts
 * and the digests of the components it imports: linear in files and imports.
 */
function closureDigests(edges: ReadonlyMap<string, readonly string[]>, texts: ReadonlyMap<string, string>): Map<string, string> {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const open: string[] = [];
  const onOpen = new Set<string>();
  const digests = new Map<string, string>();
  const enter = (node: string) => {
    order.set(node, order.size);
    low.set(node, order.get(node)!);
    open.push(node);
    onOpen.add(node);
  };
  for (const root of edges.keys()) {
    if (order.has(root)) continue;
    enter(root);
    const frames = [{ node: root, next: 0 }];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!order.has(target)) {
          enter(target);
          frames.push({ node: target, next: 0 });
        } else if (onOpen.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, order.get(target)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== order.get(frame.node)) continue;
      const members: string[] = [];
      for (let member = ''; member !== frame.node; ) {
        member = open.pop()!;
        onOpen.delete(member);
        members.push(member);
      }
      const inside = new Set(members);
      const imported = new Set<string>();
      for (const member of members) for (const target of edges.get(member) ?? []) if (!inside.has(target)) imported.add(digests.get(target)!);
      const component = digest(...members.sort().map((m) => `${m}:${texts.get(m)}`), '->', ...[...imported].sort());
      for (const member of members) digests.set(member, component);
    }
  }
  return digests;
}

function isEntries(value: unknown): value is CacheFile['entries'] {
  return !!value && typeof value === 'object' && Object.values(value).every((entry: unknown) => {
    const candidate = entry as { key?: unknown; analysis?: { findings?: unknown } } | null;
    return !!candidate && typeof candidate.key === 'string' && Array.isArray(candidate.analysis?.findings);
  });
}
