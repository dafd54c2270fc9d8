import type { ts } from 'ts-morph';
import type { Fix, RelatedLocation, Severity } from './findings';
import type { ProjectFacts } from './projectFacts';

// Rules follow typescript-eslint's shape: static `meta` plus `create(context)` returning
// listeners keyed by SyntaxKind. The analyzer walks each file once and dispatches to
// every rule, so adding a rule never adds a walk.

export interface RuleMeta {
  id: string;
  description: string;
  docsUrl: string;
  /** messageId → text; `{{name}}` placeholders are filled from the report's data. */
  messages: Record<string, string>;
  defaultSeverity: Severity;
  /** True when the rule may ask for the type checker (which costs a program build). */
  requiresTypes: boolean;
  /**
   * The installed packages (by name; `@types/pg` counts as `pg`) whose declarations the rule's
   * type questions are answered from. The program reads other packages' declarations as empty
   * modules, unless they depend on one of these (see Workspace.declaredByTypedPackage; a
   * question asking for `everyPackage` goes to a program that reads them all): a
   * library's client is found among a few packages, not in the megabytes of declarations a
   * code base installs, and a fix that needs a type the program left out is not offered.
   */
  typedPackages?: (packageName: string) => boolean;
  /**
   * Options with their defaults; the config's options are merged over these. Every rule
   * lists `checkTests: false`: the analyzer runs a rule on tests, test helpers and fixtures
   * (testFiles.ts) only when that option is on.
   */
  defaultOptions: Record<string, unknown>;
}

export interface ReportDescriptor {
  node: ts.Node;
  messageId: string;
  data?: Record<string, string | number>;
  related?: RelatedLocation[];
  /**
   * Called right away, while the tree is current, but only when the caller wants fixes:
   * the editor and JSON reports do, a CI report does not — and some fixes need the type
   * checker, a whole program build, for nothing else.
   */
  fixes?: () => Fix[];
}

export interface AnalysisSettings {
  /** Folder (relative to the project root) where quick fixes insert patterns. */
  patternsDir: string;
  /** Root of the project the file belongs to: the folder of its tsconfig.json or config. */
  projectRoot: string;
  /** The folder analysed (the CLI's, an editor's workspace folder): paths in messages are relative to it, as reports print files. */
  workspaceRoot: string;
}

export interface RuleContext<Options = Record<string, unknown>> {
  readonly ruleId: string;
  readonly sourceFile: ts.SourceFile;
  readonly filePath: string;
  readonly options: Options;
  readonly settings: AnalysisSettings;
  /** Cross-file facts: other files of the project, import resolution, memoised summaries. */
  readonly facts: ProjectFacts;
  /**
   * Builds the program on first use; only rules with `meta.requiresTypes` should call it.
   * It reads the declarations of the packages rules name in `meta.typedPackages`;
   * `everyPackage` when the question may be about any package's types (a client the user
   * configured by name): a second program, which reads them all, answers it.
   */
  getTypeChecker(options?: { everyPackage?: boolean }): ts.TypeChecker | undefined;
  report(descriptor: ReportDescriptor): void;
}

export type RuleListener = {
  [K in ts.SyntaxKind]?: (node: ts.Node) => void;
} & {
  /** Called after the walk, for rules that decide once they have seen the whole file. */
  onEnd?: () => void;
};

export interface Rule<Options = Record<string, unknown>> {
  meta: RuleMeta;
  create(context: RuleContext<Options>): RuleListener;
}

export function defineRule<Options extends Record<string, unknown>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}

/** Whether some rule's type questions are about this package (see RuleMeta.typedPackages). */
export function typedPackagesOf(rules: readonly Rule<Record<string, unknown>>[]): (packageName: string) => boolean {
  const typed = rules.flatMap((rule) => (rule.meta.typedPackages ? [rule.meta.typedPackages] : []));
  return (packageName) => typed.some((isTyped) => isTyped(packageName));
}
