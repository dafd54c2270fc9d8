// Findings are plain data: the engine, the CLI and the language server all speak this,
// and none of it depends on LSP or on ts-morph, so results can be cached, serialised
// and compared without the AST that produced them.

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** Zero-based line and UTF-16 column, like LSP and TypeScript. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  /** Absolute file path. */
  filePath: string;
  range: Range;
  newText: string;
}

/** A file a fix creates (a pattern inserted into the user's project). Never overwrites. */
export interface FileCreation {
  filePath: string;
  text: string;
}

export interface Fix {
  title: string;
  /** The fix the editor offers first and that fix-all applies. */
  isPreferred?: boolean;
  edits: TextEdit[];
  createFiles?: FileCreation[];
}

export interface RelatedLocation {
  filePath: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  message: string;
  severity: Severity;
  filePath: string;
  range: Range;
  related: RelatedLocation[];
  fixes: Fix[];
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.filePath.localeCompare(b.filePath) ||
    comparePositions(a.range.start, b.range.start) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}
