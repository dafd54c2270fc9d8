import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAnalysis } from './analyzer';
import { fingerprintFindings } from './fingerprint';
import type { Finding } from './findings';
import { posixRelative } from './paths';

// A baseline records today's accepted findings by fingerprint (never by line number), so
// a team can adopt Resilint on an old code base and fail only on new problems. The CLI
// and the language server read the same file and match it the same way.

export const BASELINE_FILE_NAME = 'resilint-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** Posix path relative to the baseline file's folder. */
  file: string;
  message: string;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

export interface BaselineMatch {
  /** Parallel to the findings matched: whether the baseline accepts each one. */
  accepted: boolean[];
  /** Entries for analysed files that matched no finding: fixed since. */
  fixed: BaselineEntry[];
}

export class BaselineFileError extends Error {}

/**
 * The baseline that applies to an analysed folder: in it, or in a parent folder up to the
 * top of its git repository (so `check src` finds the file `baseline .` wrote).
 */
export function findBaselineFile(dir: string): string | undefined {
  return foldersUpToRepositoryTop(dir).map((folder) => path.join(folder, BASELINE_FILE_NAME)).find((file) => fs.existsSync(file));
}

/** Where a new baseline goes: the top of the git repository, else the analysed folder. */
export function defaultBaselineFile(dir: string): string {
  return path.join(foldersUpToRepositoryTop(dir).at(-1)!, BASELINE_FILE_NAME);
}

/** `dir` and its parents up to the repository's top; just `dir` outside a repository, whose parents may be anything (/tmp, $HOME). */
function foldersUpToRepositoryTop(dir: string): string[] {
  const folders = [path.resolve(dir)];
  for (let current = folders[0]!; !fs.existsSync(path.join(current, '.git')); ) {
    const parent = path.dirname(current);
    if (parent === current) return folders.slice(0, 1);
    folders.push((current = parent));
  }
  return folders;
}

export function readBaseline(file: string): Baseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new BaselineFileError(`baseline ${file} cannot be read (${reason})`);
  }
  const candidate = parsed as Partial<Baseline> | null;
  if (!candidate || candidate.version !== 1 || !Array.isArray(candidate.findings) || !candidate.findings.every(isEntry)) {
    throw new BaselineFileError(`baseline ${file} is not a Resilint baseline (version 1)`);
  }
  return candidate as Baseline;
}

/** Writes entries sorted by file and rule, so the file diffs well in review. */
export function writeBaseline(file: string, entries: readonly BaselineEntry[]): void {
  const findings = [...entries].sort((a, b) => compareText(a.file, b.file) || compareText(a.ruleId, b.ruleId) || compareText(a.fingerprint, b.fingerprint));
  const baseline: Baseline = { version: 1, findings };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(baseline, null, 2) + '\n');
}

/** The findings of analysed files as baseline entries, fingerprinted relative to the baseline's folder. */
export function entriesOfResults(results: readonly FileAnalysis[], baselineDir: string, textOf: (filePath: string) => string | undefined): { findings: Finding[]; entries: BaselineEntry[]; analysedFiles: Set<string> } {
  const findings = results.flatMap((result) => result.findings);
  const fingerprints = fingerprintFindings(findings, (filePath) => posixRelative(baselineDir, filePath), textOf);
  const entries = findings.map((finding, i) => ({
    fingerprint: fingerprints[i]!,
    ruleId: finding.ruleId,
    file: posixRelative(baselineDir, finding.filePath),
    message: finding.message,
  }));
  return { findings, entries, analysedFiles: new Set(results.map((result) => posixRelative(baselineDir, result.filePath))) };
}

/**
 * Matches current entries against a baseline; each baseline entry accepts one finding.
 * Entries of files out of `scope` are left alone: not analysing a file is not fixing it.
 */
export function matchBaseline(current: readonly BaselineEntry[], baseline: Baseline, scope: (file: string) => boolean): BaselineMatch {
  const unmatched = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.findings) {
    if (!scope(entry.file)) continue;
    const same = unmatched.get(entry.fingerprint);
    if (same) same.push(entry);
    else unmatched.set(entry.fingerprint, [entry]);
  }
  const accepted = current.map((entry) => unmatched.get(entry.fingerprint)?.pop() !== undefined);
  return { accepted, fixed: [...unmatched.values()].flat() };
}

/**
 * Which baseline files a run speaks for: those it analysed, and those deleted from the
 * paths it was given (nothing analysed them, but their findings are gone all the same).
 */
export function runScope(analysedFiles: ReadonlySet<string>, baselineDir: string, paths: readonly string[]): (file: string) => boolean {
  const targets = paths.map((target) => path.resolve(target));
  return (file) => {
    if (analysedFiles.has(file)) return true;
    const absolute = path.resolve(baselineDir, file);
    return targets.some((target) => absolute === target || absolute.startsWith(target + path.sep)) && !fs.existsSync(absolute);
  };
}

/** The baseline after a `baseline` run: entries in its scope replaced, others kept. */
export function replaceEntries(existing: Baseline | undefined, current: readonly BaselineEntry[], scope: (file: string) => boolean): BaselineEntry[] {
  return [...(existing?.findings ?? []).filter((entry) => !scope(entry.file)), ...current];
}

/** The baseline without the entries found fixed. */
export function pruneEntries(existing: Baseline, fixed: readonly BaselineEntry[]): BaselineEntry[] {
  const gone = new Set(fixed);
  return existing.findings.filter((entry) => !gone.has(entry));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isEntry(value: unknown): value is BaselineEntry {
  const entry = value as Partial<BaselineEntry> | null;
  return !!entry && typeof entry.fingerprint === 'string' && typeof entry.ruleId === 'string' && typeof entry.file === 'string' && typeof entry.message === 'string';
}
