import { ts } from 'ts-morph';
import type { Finding, Range, Severity, TextEdit } from './findings';

// `// resilint-disable-next-line rule-a, rule-b -- reason` silences the next line;
// `// resilint-disable rule -- reason` silences the whole file. No rule list means all
// rules. Comments are found with the scanner, so the words inside a string never count.

const DIRECTIVE = /^\s*(?:\/\/|\/\*+)\s*resilint-(disable-next-line|disable)(?=\s|\*\/|$)([^\n]*?)(?:\*\/)?\s*$/;

export type RuleSet = Set<string> | 'all';

export interface Suppressions {
  file: RuleSet | undefined;
  /** 0-based line → rules silenced on it. */
  lines: Map<number, RuleSet>;
  /** Directives with no reason after `--` (or only the quick fix's placeholder). */
  unexplained: UnexplainedDirective[];
}

export interface UnexplainedDirective {
  /** Offsets of the comment. */
  pos: number;
  end: number;
  directive: string;
  placeholder: boolean;
}

/** The pseudo rule id of findings about directives without a reason (`requireSuppressionReason`). */
export const SUPPRESSION_REASON_ID = 'suppression-reason';

export function parseSuppressions(sourceFile: ts.SourceFile): Suppressions {
  const result: Suppressions = { file: undefined, lines: new Map(), unexplained: [] };
  const text = sourceFile.text;
  for (let at = text.indexOf('resilint-disable'); at >= 0; at = text.indexOf('resilint-disable', at + 1)) {
    const comment = commentAround(sourceFile, at);
    if (!comment) continue;
    const match = DIRECTIVE.exec(text.slice(comment.pos, comment.end));
    if (!match) continue;
    const rules = parseRuleList(match[2] ?? '');
    const reason = reasonOf(match[2] ?? '');
    if (reason === undefined || reason === REASON_PLACEHOLDER) {
      result.unexplained.push({ pos: comment.pos, end: comment.end, directive: `resilint-${match[1]}`, placeholder: reason !== undefined });
    }
    if (match[1] === 'disable') {
      result.file = mergeRuleSets(result.file, rules);
    } else {
      const line = sourceFile.getLineAndCharacterOfPosition(comment.end).line + 1;
      result.lines.set(line, mergeRuleSets(result.lines.get(line), rules));
    }
  }
  return result;
}

/**
 * The comment that contains `offset`, or undefined when the offset lies inside a token
 * (a string or template that merely mentions the directive). Descends the tree without
 * recursion; trivia before a node's first token is where comments live.
 */
function commentAround(sourceFile: ts.SourceFile, offset: number): ts.CommentRange | undefined {
  const text = sourceFile.text;
  let node: ts.Node = sourceFile;
  for (;;) {
    let next: ts.Node | undefined;
    let scanFrom = node === sourceFile ? 0 : node.getStart(sourceFile);
    node.forEachChild((child) => {
      if (next) return;
      if (child.pos <= offset && offset < child.end) next = child;
      else if (child.end <= offset) scanFrom = Math.max(scanFrom, child.end);
    });
    if (!next) return commentBetweenTokens(text, scanFrom, offset, sourceFile.languageVariant);
    if (offset < next.getStart(sourceFile)) {
      const comments = ts.getLeadingCommentRanges(text, next.pos) ?? [];
      return comments.find((r) => r.pos <= offset && offset < r.end);
    }
    node = next;
  }
}

/** Scans a stretch holding only a node's own tokens and trivia (no child nodes). */
function commentBetweenTokens(text: string, from: number, offset: number, variant: ts.LanguageVariant): ts.CommentRange | undefined {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, variant, text, undefined, from);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    if (start > offset) return undefined;
    if (offset < end) {
      if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
        return { pos: start, end, kind: token };
      }
      return undefined;
    }
  }
  return undefined;
}

/**
 * Findings for directives that silence a rule without saying why, so that a team which
 * asks for reasons sees the ones missing where it reviews findings (editor, CI report).
 */
export function unexplainedSuppressionFindings(
  suppressions: Suppressions,
  severity: Severity,
  filePath: string,
  rangeOf: (pos: number, end: number) => Range,
): Finding[] {
  return suppressions.unexplained.map(({ pos, end, directive, placeholder }) => ({
    ruleId: SUPPRESSION_REASON_ID,
    messageId: placeholder ? 'placeholder' : 'missing',
    message: placeholder
      ? `This ${directive} comment still has the placeholder reason: replace '${REASON_PLACEHOLDER}' with why the rule does not apply here.`
      : `This ${directive} comment gives no reason: add ' -- <why the rule does not apply here>' so reviewers know why it is silenced.`,
    severity,
    filePath,
    range: rangeOf(pos, end),
    related: [],
    fixes: [],
  }));
}

export function isSuppressed(suppressions: Suppressions, ruleId: string, line: number): boolean {
  return covers(suppressions.file, ruleId) || covers(suppressions.lines.get(line), ruleId);
}

export function isRuleDisabledForFile(suppressions: Suppressions, ruleId: string): boolean {
  return covers(suppressions.file, ruleId);
}

/**
 * What the "Disable" quick fix writes after `--`. LSP 3.17 workspace edits cannot carry
 * a snippet tab stop, so the reason is a placeholder that reads as unfinished work and
 * counts as no reason at all where reasons are required.
 */
export const REASON_PLACEHOLDER = 'TODO: explain why this is safe';

/**
 * The edit behind "Disable <rule> for this line": a directive above, at the same indent.
 * Undefined when the line starts inside a multi-line string, template or JSX text, where
 * the comment would become part of the text.
 */
export function disableNextLineEdit(finding: Finding, sourceFile: ts.SourceFile): TextEdit | undefined {
  const text = sourceFile.text;
  const lineStart = offsetOfLine(text, finding.range.start.line);
  if (isInsideText(sourceFile, lineStart)) return undefined;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const position = { line: finding.range.start.line, character: 0 };
  return {
    filePath: finding.filePath,
    range: { start: position, end: position },
    newText: `${indent}// resilint-disable-next-line ${finding.ruleId} -- ${REASON_PLACEHOLDER}${lineEndingOf(text)}`,
  };
}

/** The edit behind "Disable <rule> for this file": a directive on the first line, or after a shebang. */
export function disableFileEdit(finding: Finding, text: string): TextEdit {
  const directive = `// resilint-disable ${finding.ruleId} -- ${REASON_PLACEHOLDER}`;
  const eol = lineEndingOf(text);
  if (!text.startsWith('#!')) {
    const start = { line: 0, character: 0 };
    return { filePath: finding.filePath, range: { start, end: start }, newText: directive + eol };
  }
  // At the end of the shebang line, so a file that is nothing but a shebang stays valid.
  const shebangEnd = { line: 0, character: /^[^\r\n]*/.exec(text)![0].length };
  return { filePath: finding.filePath, range: { start: shebangEnd, end: shebangEnd }, newText: eol + directive };
}

const TEXT_KINDS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.JsxText,
]);

/** Whether `offset` falls inside a literal's text (not at its start). Descends without recursion. */
function isInsideText(sourceFile: ts.SourceFile, offset: number): boolean {
  let node: ts.Node = sourceFile;
  for (;;) {
    let next: ts.Node | undefined;
    node.forEachChild((child) => {
      if (!next && child.getStart(sourceFile) < offset && offset < child.end) next = child;
    });
    if (!next) return TEXT_KINDS.has(node.kind);
    node = next;
  }
}

function lineEndingOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** The text after the first `--`, or undefined when there is none. */
function reasonOf(rest: string): string | undefined {
  const at = rest.indexOf('--');
  const reason = at < 0 ? '' : rest.slice(at + 2).trim();
  return reason.length > 0 ? reason : undefined;
}

function parseRuleList(rest: string): RuleSet {
  const list = rest.split('--')[0] ?? '';
  const ids = list.split(/[\s,]+/).filter((id) => id.length > 0);
  return ids.length === 0 ? 'all' : new Set(ids);
}

function mergeRuleSets(a: RuleSet | undefined, b: RuleSet): RuleSet {
  if (a === undefined) return b;
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

function covers(set: RuleSet | undefined, ruleId: string): boolean {
  return set === 'all' || (set !== undefined && set.has(ruleId));
}
