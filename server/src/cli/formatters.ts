import * as path from 'node:path';
import type * as Sarif from 'sarif';
import type { FileAnalysis } from '../engine/analyzer';
import { fingerprintFindings } from '../engine/fingerprint';
import type { Finding, Severity } from '../engine/findings';
import type { Rule } from '../engine/rule';
import { REPOSITORY_URL } from '../rules/docs';
import type { ScopeCounts } from './reporting';
import { posixRelative } from '../engine/paths';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface Report {
  root: string;
  version: string;
  rules: readonly Rule<Record<string, unknown>>[];
  results: FileAnalysis[];
  textOf: (filePath: string) => string | undefined;
  /** What the baseline and --changed-since left out, so reports can say so. */
  scope?: ScopeCounts;
}

interface Located {
  finding: Finding;
  file: string;
  fingerprint: string;
}

export function format(kind: Format, report: Report): string {
  const located = locate(report);
  switch (kind) {
    case 'text':
      return formatText(located, report);
    case 'json':
      return JSON.stringify(formatJson(located, report), null, 2) + '\n';
    case 'sarif':
      return JSON.stringify(formatSarif(located, report), null, 2) + '\n';
    case 'github':
      return formatGithub(located);
    case 'junit':
      return formatJunit(located, report);
  }
}

function locate(report: Report): Located[] {
  const findings = report.results.flatMap((r) => r.findings);
  const relative = (filePath: string) => posixRelative(report.root, filePath);
  const fingerprints = fingerprintFindings(findings, relative, report.textOf);
  return findings.map((finding, i) => ({ finding, file: relative(finding.filePath), fingerprint: fingerprints[i]! }));
}

function formatText(located: Located[], report: Report): string {
  const lines = located.map(({ finding, file }) => {
    const where = `${file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
    return `${where}  ${finding.severity}  ${finding.message}  ${finding.ruleId}`;
  });
  const counts = countBySeverity(located);
  const { analysed, skippedTests } = fileCounts(report.results);
  // Tests are skipped by default: the summary says so, or a clean result would overstate what was checked.
  const files = `${counted(analysed, 'file')}${skippedTests > 0 ? ` (${counted(skippedTests, 'test file')} skipped: see checkTests)` : ''}`;
  lines.push(
    located.length === 0
      ? `No problems found in ${files}.`
      : `${counted(located.length, 'problem')} (${counted(counts.error, 'error')}, ${counted(counts.warning, 'warning')}, ${counts.info} info) in ${files}.`,
  );
  return lines.join('\n') + '\n';
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Files analysed, and tests no enabled rule checks (skipped unparsed): reports give both. */
export function fileCounts(results: readonly FileAnalysis[]): { analysed: number; skippedTests: number } {
  const skippedTests = results.filter((r) => r.skippedAsTest).length;
  return { analysed: results.length - skippedTests, skippedTests };
}

function formatJson(located: Located[], report: Report) {
  const { analysed, skippedTests } = fileCounts(report.results);
  return {
    tool: 'resilint',
    version: report.version,
    root: report.root,
    filesAnalysed: analysed,
    testFilesSkipped: skippedTests,
    summary: { ...countBySeverity(located), ...scopeSummary(report) },
    findings: located.map(({ finding, file, fingerprint }) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      file,
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      endLine: finding.range.end.line + 1,
      endColumn: finding.range.end.character + 1,
      fingerprint,
      related: finding.related.map((r) => ({ file: posixRelative(report.root, r.filePath), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
      fixes: finding.fixes.map((f) => f.title),
    })),
    notices: report.results.flatMap((r) => r.notices.map((message) => ({ file: posixRelative(report.root, r.filePath), message }))),
    ruleErrors: report.results.flatMap((r) => r.ruleErrors.map((e) => ({ ...e, filePath: posixRelative(report.root, e.filePath) }))),
  };
}

const SARIF_LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

function formatSarif(located: Located[], report: Report): Sarif.Log {
  const ruleIndex = new Map(report.rules.map((rule, i) => [rule.meta.id, i]));
  const region = (range: Finding['range']): Sarif.Region => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Resilint',
            version: report.version,
            informationUri: REPOSITORY_URL,
            rules: report.rules.map((rule) => ({
              id: rule.meta.id,
              name: rule.meta.id,
              shortDescription: { text: rule.meta.description },
              helpUri: rule.meta.docsUrl,
              defaultConfiguration: { level: SARIF_LEVEL[rule.meta.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToDirUri(report.root) } },
        results: located.map(({ finding, file, fingerprint }) => ({
          ruleId: finding.ruleId,
          ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId)! } : {}),
          level: SARIF_LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: encodeRelative(file), uriBaseId: 'SRCROOT' }, region: region(finding.range) } }],
          ...(finding.related.length > 0
            ? {
                relatedLocations: finding.related.map((r, id) => ({
                  id,
                  message: { text: r.message },
                  physicalLocation: {
                    artifactLocation: { uri: encodeRelative(posixRelative(report.root, r.filePath)), uriBaseId: 'SRCROOT' },
                    region: region(r.range),
                  },
                })),
              }
            : {}),
          partialFingerprints: { 'resilint/v1': fingerprint },
          // Every reported result matched no baseline entry: the accepted ones are left out.
          ...(report.scope?.baseline ? { baselineState: 'new' as const } : {}),
        })),
        ...(report.scope?.baseline || report.scope?.changedSince ? { properties: scopeSummary(report) } : {}),
        invocations: [invocationOf(report, ruleIndex)],
      },
    ],
  };
}

/** Whether the run analysed everything: a rule that failed on a file makes it unsuccessful; files left out are notes. */
function invocationOf(report: Report, ruleIndex: ReadonlyMap<string, number>): Sarif.Invocation {
  const at = (filePath: string): Sarif.Location[] => [
    { physicalLocation: { artifactLocation: { uri: encodeRelative(posixRelative(report.root, filePath)), uriBaseId: 'SRCROOT' } } },
  ];
  const failures = report.results.flatMap((r) => r.ruleErrors);
  const notifications: Sarif.Notification[] = [
    ...failures.map((e): Sarif.Notification => ({
      level: 'error',
      message: { text: `rule ${e.ruleId} failed on this file: ${e.message}` },
      locations: at(e.filePath),
      associatedRule: { id: e.ruleId, ...(ruleIndex.has(e.ruleId) ? { index: ruleIndex.get(e.ruleId)! } : {}) },
    })),
    ...report.results.flatMap((r) => r.notices.map((notice): Sarif.Notification => ({ level: 'note', message: { text: notice }, locations: at(r.filePath) }))),
  ];
  return { executionSuccessful: failures.length === 0, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) };
}

/** The scope counts with the baseline's path relative to the analysed folder, as every path in reports. */
function scopeSummary({ scope, root }: Report): ScopeCounts {
  return {
    ...(scope?.baseline ? { baseline: { ...scope.baseline, file: posixRelative(root, scope.baseline.file) } } : {}),
    ...(scope?.changedSince ? { changedSince: scope.changedSince } : {}),
  };
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request. */
function formatGithub(located: Located[]): string {
  const data = (value: string) => value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (value: string) => data(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return located
    .map(({ finding, file }) => {
      const { start, end } = finding.range;
      const properties = `file=${property(file)},line=${start.line + 1},endLine=${end.line + 1},col=${start.character + 1},endColumn=${end.character + 1},title=${property(`resilint(${finding.ruleId})`)}`;
      return `::${GITHUB_COMMAND[finding.severity]} ${properties}::${data(finding.message)}\n`;
    })
    .join('');
}

/** JUnit XML: one test case per analysed file, one failure per finding. */
function formatJunit(located: Located[], report: Report): string {
  const xml = (value: string) =>
    value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
      // Characters XML 1.0 cannot carry at all.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  const byFile = new Map<string, Located[]>();
  for (const result of report.results) byFile.set(posixRelative(report.root, result.filePath), []);
  for (const item of located) byFile.get(item.file)?.push(item);
  const cases = [...byFile].map(([file, items]) => {
    const failures = items.map(({ finding }) => {
      const where = `${file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
      return `      <failure type="${xml(finding.ruleId)}" message="${xml(finding.message)}">${xml(`${where} ${finding.severity} ${finding.message} (${finding.ruleId})`)}</failure>`;
    });
    const body = failures.length > 0 ? `\n${failures.join('\n')}\n    ` : '';
    return `    <testcase classname="resilint" name="${xml(file)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="resilint" tests="${byFile.size}" failures="${located.length}">`,
    `  <testsuite name="resilint" tests="${byFile.size}" failures="${located.length}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function countBySeverity(located: Located[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const { finding } of located) counts[finding.severity]++;
  return counts;
}

function encodeRelative(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function pathToDirUri(dir: string): string {
  const posix = dir.split(path.sep).join('/');
  return `file://${posix.startsWith('/') ? '' : '/'}${posix.split('/').map(encodeURIComponent).join('/')}/`;
}
