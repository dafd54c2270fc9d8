import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { FileAnalysis } from './analyzer';

// `--cache`: a file's previous analysis is reused when its text, the text of every
// project file it imports (transitively, since cross-file facts flow along imports),
// the configuration and the Resilint version are all unchanged. Anything doubtful is
// a miss; a corrupt cache file is ignored with a message.

interface CacheFile {
  version: string;
  settings: string;
  entries: Record<string, { key: string; analysis: FileAnalysis }>;
}

export interface CacheIdentity {
  /** Resilint's version: a cache is never trusted across versions. */
  version: string;
  /** A digest of everything configuration-like that affects results. */
  settings: string;
}

export function digest(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

export class AnalysisCache {
  private readonly entries: CacheFile['entries'];
  private readonly used = new Set<string>();
  /** Why an existing cache file was not used, if it was not. */
  readonly problem: string | undefined;

  private constructor(
    private readonly file: string,
    private readonly identity: CacheIdentity,
    entries: CacheFile['entries'],
    problem?: string,
  ) {
    this.entries = entries;
    this.problem = problem;
  }

  static open(file: string, identity: CacheIdentity): AnalysisCache {
    if (!fs.existsSync(file)) return new AnalysisCache(file, identity, {});
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (typeof parsed !== 'object' || parsed === null || typeof parsed.entries !== 'object' || parsed.entries === null) {
        return new AnalysisCache(file, identity, {}, `cache ${file} is not a Resilint cache; ignoring it`);
      }
      if (parsed.version !== identity.version || parsed.settings !== identity.settings) return new AnalysisCache(file, identity, {});
      return new AnalysisCache(file, identity, parsed.entries);
    } catch (error) {
      return new AnalysisCache(file, identity, {}, `cache ${file} is corrupt (${(error as Error).message}); ignoring it`);
    }
  }

  get(filePath: string, key: string): FileAnalysis | undefined {
    const entry = this.entries[filePath];
    if (!entry || entry.key !== key) return undefined;
    this.used.add(filePath);
    return entry.analysis;
  }

  set(filePath: string, key: string, analysis: FileAnalysis): void {
    this.entries[filePath] = { key, analysis };
    this.used.add(filePath);
  }

  /** Writes the entries used in this run (dropping files that no longer exist). */
  save(): void {
    const entries: CacheFile['entries'] = {};
    for (const filePath of [...this.used].sort()) entries[filePath] = this.entries[filePath]!;
    const data: CacheFile = { version: this.identity.version, settings: this.identity.settings, entries };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(data));
    fs.renameSync(temporary, this.file);
  }
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
    const imports = ts.preProcessFile(text, true, true).importedFiles.map((ref) => resolveImport(file, ref.fileName));
    const resolved = imports.filter((target): target is string => target !== undefined);
    edges.set(file, resolved);
    for (const target of resolved) if (!texts.has(target)) pending.push(target);
  }
  const keys = new Map<string, string>();
  for (const file of files) {
    const closure = new Set<string>([file]);
    const stack = [file];
    while (stack.length > 0) {
      for (const next of edges.get(stack.pop()!) ?? []) if (!closure.has(next)) (closure.add(next), stack.push(next));
    }
    keys.set(file, digest(...[...closure].sort().map((f) => `${f}:${texts.get(f)}`)));
  }
  return keys;
}
