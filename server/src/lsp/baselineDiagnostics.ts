import * as path from 'node:path';
import type { FileAnalysis } from '../engine/analyzer';
import { BASELINE_FILE_NAME, entriesOfResults, findBaselineFile, matchBaseline, readBaseline, type Baseline } from '../engine/baseline';
import type { Finding } from '../engine/findings';

// The editor applies the same resilint-baseline.json as `resilint check`: baselined
// findings are shown as they are, lowered to information, or hidden (resilint.baseline).

export type BaselineMode = 'show' | 'lower' | 'hide';

type Loaded = { file: string; baseline: Baseline } | undefined;

export class WorkspaceBaselines {
  private readonly byRoot = new Map<string, Loaded>();

  constructor(private readonly reportProblem: (message: string) => void) {}

  /** The baseline file changed on disk: read it again on next use. */
  invalidate(): void {
    this.byRoot.clear();
  }

  /** The analysis as the editor shows it under `mode`, for a file of the workspace at `root`. */
  apply(root: string, analysis: FileAnalysis, mode: BaselineMode, textOf: (filePath: string) => string | undefined): FileAnalysis {
    if (mode === 'show' || analysis.findings.length === 0) return analysis;
    const loaded = this.load(root);
    if (!loaded) return analysis;
    const { entries, analysedFiles } = entriesOfResults([analysis], path.dirname(loaded.file), textOf);
    const { accepted } = matchBaseline(entries, loaded.baseline, (file) => analysedFiles.has(file));
    if (!accepted.includes(true)) return analysis;
    const findings: Finding[] =
      mode === 'hide'
        ? analysis.findings.filter((_, i) => !accepted[i])
        : analysis.findings.map((finding, i) => (accepted[i] ? { ...finding, severity: 'info', message: `${finding.message} (accepted in ${BASELINE_FILE_NAME})` } : finding));
    return { ...analysis, findings };
  }

  private load(root: string): Loaded {
    if (this.byRoot.has(root)) return this.byRoot.get(root);
    let loaded: Loaded;
    const file = findBaselineFile(root);
    try {
      loaded = file ? { file, baseline: readBaseline(file) } : undefined;
    } catch (error) {
      this.reportProblem(`${(error as Error).message}; showing all findings`);
    }
    this.byRoot.set(root, loaded);
    return loaded;
  }
}
