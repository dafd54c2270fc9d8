import { ts } from 'ts-morph';
import { ConfigResolver, isFileIncluded, ruleSettingOf, type LoadedConfig } from './config';
import { compareFindings, type Finding, type Range, type Severity } from './findings';
import type { Rule, RuleContext, RuleListener } from './rule';
import { isRuleDisabledForFile, isSuppressed, parseSuppressions, unexplainedSuppressionFindings } from './suppressions';
import type { Workspace } from './workspace';

// Runs the enabled rules over one file in a single walk. A rule that throws is disabled
// for that file and reported as a rule error; the other rules carry on.

export const DEFAULT_PATTERNS_DIR = 'src/resilience';

export interface RuleError {
  ruleId: string;
  filePath: string;
  message: string;
}

export interface FileAnalysis {
  filePath: string;
  findings: Finding[];
  /** Why the file was not (fully) analysed: skipped, parse failure. */
  notices: string[];
  ruleErrors: RuleError[];
  /** Problems with the configuration that applied to this file. */
  configProblems: string[];
  /** A test, test helper or fixture (testFiles.ts) that no enabled rule checks: not analysed, and reports say how many. */
  skippedAsTest?: boolean;
}

export interface AnalyzerEnvironment {
  workspace: Workspace;
  configs: ConfigResolver;
  rules: readonly Rule<Record<string, unknown>>[];
  /** Whether findings carry their fixes (see ReportDescriptor.fixes); default true. */
  fixes?: boolean;
}

interface ActiveRule {
  rule: Rule<Record<string, unknown>>;
  severity: Severity;
  options: Record<string, unknown>;
}

/** Thrown from a workspace hook to give up a file's analysis: analyzeFile lets it through rather than record it as a rule's error. */
export class AnalysisAbandoned extends Error {}

/** What a file's analysis runs: the rules its configuration enables, those of them that check it, and the suppression-reason check. */
interface FilePlan {
  loaded: LoadedConfig;
  included: boolean;
  enabled: ActiveRule[];
  configured: ActiveRule[];
  reasonSeverity: Severity | 'off';
}

function planFile(env: AnalyzerEnvironment, filePath: string): FilePlan {
  const loaded = env.configs.forFile(filePath);
  if (!isFileIncluded(loaded, filePath)) return { loaded, included: false, enabled: [], configured: [], reasonSeverity: 'off' };
  const isTest = env.workspace.isTestFile(filePath);
  const enabled = activeRules(env.rules, loaded);
  const configured = enabled.filter((a) => !isTest || a.options['checkTests'] === true);
  return { loaded, included: true, enabled, configured, reasonSeverity: loaded.config.requireSuppressionReason ?? 'off' };
}

/** Nothing to report (a test file, by default): not even worth a parse. */
function readsNothing(plan: FilePlan): boolean {
  return plan.configured.length === 0 && plan.reasonSeverity === 'off';
}

/** Whether analyzeFile will parse the file, rather than return as soon as its configuration is known. */
export function analysisParses(env: AnalyzerEnvironment, filePath: string): boolean {
  const plan = planFile(env, filePath);
  return plan.included && !readsNothing(plan);
}

export function analyzeFile(env: AnalyzerEnvironment, filePath: string): FileAnalysis {
  const plan = planFile(env, filePath);
  const { loaded, configured, reasonSeverity } = plan;
  const result: FileAnalysis = { filePath, findings: [], notices: [], ruleErrors: [], configProblems: loaded.problems };
  if (!plan.included) return result;
  if (readsNothing(plan)) {
    if (plan.enabled.length > 0) result.skippedAsTest = true;
    return result;
  }

  let sourceFile: ts.SourceFile | undefined;
  try {
    sourceFile = env.workspace.getSourceFile(filePath);
  } catch (error) {
    result.notices.push(`not analysed: the parser failed (${describeError(error)})`);
    return result;
  }
  if (!sourceFile) {
    const reason = env.workspace.skipReason(filePath);
    result.notices.push(`skipped: the file ${reason ?? 'could not be read'}`);
    return result;
  }

  const suppressions = parseSuppressions(sourceFile);
  const active = configured.filter((a) => !isRuleDisabledForFile(suppressions, a.rule.meta.id));
  const project = env.workspace.projectFor(filePath);
  const listeners: { ruleId: string; listener: RuleListener }[] = [];
  const failed = new Set<string>();
  const fail = (ruleId: string, error: unknown) => {
    if (error instanceof AnalysisAbandoned) throw error;
    failed.add(ruleId);
    result.ruleErrors.push({ ruleId, filePath, message: describeError(error) });
  };

  for (const { rule, severity, options } of active) {
    const context: RuleContext<Record<string, unknown>> = {
      ruleId: rule.meta.id,
      sourceFile,
      filePath: sourceFile.fileName,
      options,
      settings: { patternsDir: loaded.config.patternsDir ?? DEFAULT_PATTERNS_DIR, projectRoot: project.root, workspaceRoot: env.workspace.root },
      facts: project,
      getTypeChecker: (options) => project.getTypeChecker(sourceFile, options?.everyPackage === true),
      report: (descriptor) => {
        const range = rangeOfNode(sourceFile, descriptor.node);
        if (isSuppressed(suppressions, rule.meta.id, range.start.line)) return;
        result.findings.push({
          ruleId: rule.meta.id,
          messageId: descriptor.messageId,
          message: formatMessage(rule.meta.messages[descriptor.messageId] ?? descriptor.messageId, descriptor.data),
          severity,
          filePath: sourceFile.fileName,
          range,
          related: descriptor.related ?? [],
          fixes: env.fixes !== false && descriptor.fixes ? descriptor.fixes() : [],
        });
      },
    };
    try {
      listeners.push({ ruleId: rule.meta.id, listener: rule.create(context) });
    } catch (error) {
      fail(rule.meta.id, error);
    }
  }

  // By kind, so the walk spends nothing on the many nodes no rule listens to.
  const visitorsByKind: { ruleId: string; visit: (node: ts.Node) => void }[][] = [];
  for (const { ruleId, listener } of listeners) {
    for (const [key, visit] of Object.entries(listener)) {
      if (key !== 'onEnd' && typeof visit === 'function') (visitorsByKind[Number(key)] ??= []).push({ ruleId, visit: visit as (node: ts.Node) => void });
    }
  }
  walk(sourceFile, (node) => {
    const visitors = visitorsByKind[node.kind];
    if (!visitors) return;
    for (const { ruleId, visit } of visitors) {
      if (failed.has(ruleId)) continue;
      try {
        visit(node);
      } catch (error) {
        fail(ruleId, error);
      }
    }
  });
  for (const { ruleId, listener } of listeners) {
    if (!listener.onEnd || failed.has(ruleId)) continue;
    try {
      listener.onEnd();
    } catch (error) {
      fail(ruleId, error);
    }
  }
  if (reasonSeverity !== 'off') result.findings.push(...unexplainedSuppressionFindings(suppressions, reasonSeverity, sourceFile.fileName, (start, end) => rangeOfOffsets(sourceFile, start, end)));
  result.findings.sort(compareFindings);
  return result;
}

/** One file of a batch run: its analysis, after which trees beyond the run's budget are released. */
export function analyzeInBatch(env: AnalyzerEnvironment, filePath: string): FileAnalysis {
  const analysis = analyzeFile(env, filePath);
  env.workspace.finishBatchFile(filePath);
  return analysis;
}

/**
 * One analysis in the editor: afterwards, trees beyond the editor's budget are released, all
 * but those of what the analysis read, directly or through memos, which the next edit reads
 * again (see WorkspaceOptions.editorTreeBudget).
 */
export function analyzeInEditor(env: AnalyzerEnvironment, filePath: string): FileAnalysis {
  const { value: analysis, reads } = env.workspace.projectFor(filePath).tracked(() => analyzeFile(env, filePath));
  env.workspace.releaseTrees(reads);
  return analysis;
}

export function activeRules(rules: readonly Rule<Record<string, unknown>>[], loaded: LoadedConfig): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const rule of rules) {
    const setting = ruleSettingOf(loaded.config, rule.meta.id);
    const severity = setting.severity ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    active.push({ rule, severity, options: { ...rule.meta.defaultOptions, ...setting.options } });
  }
  return active;
}

/** Pre-order walk with an explicit stack: 5,000-deep expressions must not overflow ours. */
export function walk(root: ts.Node, visit: (node: ts.Node) => void): void {
  const stack: ts.Node[] = [root];
  const children: ts.Node[] = [];
  const collect = (child: ts.Node) => {
    children.push(child);
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    node.forEachChild(collect);
    while (children.length > 0) stack.push(children.pop()!);
  }
}

export function rangeOfNode(sourceFile: ts.SourceFile, node: ts.Node): Range {
  return rangeOfOffsets(sourceFile, node.getStart(sourceFile), node.getEnd());
}

export function rangeOfOffsets(sourceFile: ts.SourceFile, start: number, end: number): Range {
  return {
    start: sourceFile.getLineAndCharacterOfPosition(start),
    end: sourceFile.getLineAndCharacterOfPosition(end),
  };
}

function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (data && key in data ? String(data[key]) : whole));
}

function describeError(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'nesting too deep';
  return error instanceof Error ? error.message : String(error);
}
