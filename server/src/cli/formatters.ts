import * as path from 'node:path';
import type * as Sarif from 'sarif';
import type { FileAnalysis } from '../engine/analyzer';
import { fingerprintFindings } from '../engine/fingerprint';
import type { Finding, Severity } from '../engine/findings';
import type { Rule } from '../engine/rule';
import { REPOSITORY_URL } from '../rules/docs';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface Report {
  root: string;
  version: string;
  rules: readonly Rule<Record<string, unknown>>[];
  results: FileAnalysis[];
  textOf: (filePath: string) => string | undefined;
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
  }
}

function locate(report: Report): Located[] {
  const findings = report.results.flatMap((r) => r.findings);
  const relative = (filePath: string) => toPosix(path.relative(report.root, filePath));
  const fingerprints = fingerprintFindings(findings, relative, report.textOf);
  return findings.map((finding, i) => ({ finding, file: relative(finding.filePath), fingerprint: fingerprints[i]! }));
}

function formatText(located: Located[], report: Report): string {
  const lines = located.map(({ finding, file }) => {
    const where = `${file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
    return `${where}  ${finding.severity}  ${finding.message}  ${finding.ruleId}`;
  });
  const counts = countBySeverity(located);
  const files = report.results.length;
  lines.push(
    located.length === 0
      ? `No problems found in ${files} file${files === 1 ? '' : 's'}.`
      : `${located.length} problem${located.length === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info) in ${files} file${files === 1 ? '' : 's'}.`,
  );
  return lines.join('\n') + '\n';
}

function formatJson(located: Located[], report: Report) {
  return {
    tool: 'resilint',
    version: report.version,
    root: report.root,
    filesAnalysed: report.results.length,
    summary: countBySeverity(located),
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
      related: finding.related.map((r) => ({ file: toPosix(path.relative(report.root, r.filePath)), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
      fixes: finding.fixes.map((f) => f.title),
    })),
    notices: report.results.flatMap((r) => r.notices.map((message) => ({ file: toPosix(path.relative(report.root, r.filePath)), message }))),
    ruleErrors: report.results.flatMap((r) => r.ruleErrors.map((e) => ({ ...e, filePath: toPosix(path.relative(report.root, e.filePath)) }))),
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
                    artifactLocation: { uri: encodeRelative(toPosix(path.relative(report.root, r.filePath))), uriBaseId: 'SRCROOT' },
                    region: region(r.range),
                  },
                })),
              }
            : {}),
          partialFingerprints: { 'resilint/v1': fingerprint },
        })),
      },
    ],
  };
}

function countBySeverity(located: Located[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const { finding } of located) counts[finding.severity]++;
  return counts;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function encodeRelative(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function pathToDirUri(dir: string): string {
  const posix = toPosix(dir);
  return `file://${posix.startsWith('/') ? '' : '/'}${posix.split('/').map(encodeURIComponent).join('/')}/`;
}
