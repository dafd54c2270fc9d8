import { createHash } from 'node:crypto';
import type { Finding } from './findings';

// Fingerprints identify a finding across unrelated edits: they hash the rule, the file
// (relative to the analysed root) and the flagged line's text with spacing folded, plus
// an occurrence index for identical lines. Line numbers are deliberately left out.

export function fingerprintFindings(findings: readonly Finding[], relativePathOf: (filePath: string) => string, textOf: (filePath: string) => string | undefined): string[] {
  const occurrences = new Map<string, number>();
  const lines = new Map<string, string[]>();
  return findings.map((finding) => {
    let fileLines = lines.get(finding.filePath);
    if (!fileLines) lines.set(finding.filePath, (fileLines = (textOf(finding.filePath) ?? '').split(/\r?\n/)));
    const lineText = (fileLines[finding.range.start.line] ?? '').replace(/\s+/g, ' ').trim();
    const key = `${finding.ruleId}\0${relativePathOf(finding.filePath)}\0${finding.messageId}\0${lineText}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}
