import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAnalysis } from '../engine/analyzer';
import { BASELINE_FILE_NAME, BaselineFileError, entriesOfResults, findBaselineFile, matchBaseline, pruneEntries, readBaseline, runScope, writeBaseline } from '../engine/baseline';
import type { Finding } from '../engine/findings';
import { isChanged, type ChangedLines } from '../engine/gitChanges';
import type { RunResult } from '../engine/runner';

// What `check` reports once the whole project is analysed: findings the baseline accepts
// are set aside, then (`--changed-since`) findings on unchanged lines, and the summary
// says how many of each so nothing disappears silently.

export interface ReportScope {
  /** The paths the run was given. */
  paths: readonly string[];
  /** `--baseline FILE`; otherwise the baseline is discovered from the analysed folder. */
  baselineFile?: string;
  pruneBaseline: boolean;
  changedSince?: { ref: string; lines: ChangedLines };
}

/** What the scoping set aside, for machine-readable reports. */
export interface ScopeCounts {
  baseline?: {
    file: string;
    /** Findings the baseline accepted, left out of the report. */
    suppressed: number;
    /** Baseline entries of analysed files that matched no finding. */
    fixedEntries: number;
    /** Whether those entries were removed from the file (`--prune-baseline`). */
    pruned: boolean;
  };
  changedSince?: {
    ref: string;
    /** Findings on lines unchanged since `ref`, left out of the report. */
    notReported: number;
  };
}

export interface ScopedResults {
  results: FileAnalysis[];
  counts: ScopeCounts;
  /** Clauses for the summary line, e.g. "3 finding(s) suppressed by the baseline ...". */
  summary: string[];
}

export function scopeResults(run: RunResult, scope: ReportScope, textOf: (filePath: string) => string | undefined): ScopedResults {
  let results = run.results;
  const summary: string[] = [];
  const counts: ScopeCounts = {};
  if (scope.baselineFile !== undefined && !fs.existsSync(scope.baselineFile)) throw new BaselineFileError(`baseline file not found: ${path.resolve(scope.baselineFile)}`);
  const baselineFile = scope.baselineFile !== undefined ? path.resolve(scope.baselineFile) : findBaselineFile(run.root);
  if (scope.pruneBaseline && !baselineFile) throw new BaselineFileError(`--prune-baseline: no ${BASELINE_FILE_NAME} found for ${run.root}`);
  if (baselineFile) {
    const baseline = readBaseline(baselineFile);
    const { findings, entries, analysedFiles } = entriesOfResults(results, path.dirname(baselineFile), textOf);
    const { accepted, fixed } = matchBaseline(entries, baseline, runScope(analysedFiles, path.dirname(baselineFile), scope.paths));
    const suppressed = new Set(findings.filter((_, i) => accepted[i]));
    results = keepFindings(results, (finding) => !suppressed.has(finding));
    if (scope.pruneBaseline && fixed.length > 0) writeBaseline(baselineFile, pruneEntries(baseline, fixed));
    const fixedClause = scope.pruneBaseline
      ? `${fixed.length} fixed baseline entr${fixed.length === 1 ? 'y' : 'ies'} pruned`
      : `${fixed.length} baseline entr${fixed.length === 1 ? 'y' : 'ies'} fixed${fixed.length > 0 ? ' (drop with --prune-baseline)' : ''}`;
    summary.push(`${suppressed.size} finding(s) suppressed by the baseline (${displayPath(baselineFile)}), ${fixedClause}`);
    counts.baseline = { file: baselineFile, suppressed: suppressed.size, fixedEntries: fixed.length, pruned: scope.pruneBaseline };
  }
  if (scope.changedSince) {
    const { ref, lines } = scope.changedSince;
    const before = countFindings(results);
    results = keepFindings(results, (finding) => isChanged(lines, finding.filePath, finding.range));
    counts.changedSince = { ref, notReported: before - countFindings(results) };
    summary.push(`${counts.changedSince.notReported} finding(s) on lines unchanged since ${ref} not reported`);
  }
  return { results, counts, summary };
}

function keepFindings(results: readonly FileAnalysis[], keep: (finding: Finding) => boolean): FileAnalysis[] {
  return results.map((result) => ({ ...result, findings: result.findings.filter(keep) }));
}

function countFindings(results: readonly FileAnalysis[]): number {
  return results.reduce((sum, result) => sum + result.findings.length, 0);
}

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * 2 when a rule failed on some file (as ESLint exits on an internal error): that file was
 * only partly checked, and a green build would claim more than was checked. Otherwise 1 for
 * error-severity findings or warnings over --max-warnings, else 0.
 */
export function exitCode(run: { errors: number; warnings: number; maxWarnings: number; ruleFailures: number }): 0 | 1 | 2 {
  if (run.ruleFailures > 0) return 2;
  return run.errors > 0 || run.warnings > run.maxWarnings ? 1 : 0;
}
