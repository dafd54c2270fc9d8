import { ts } from 'ts-morph';
import { rangeOfOffsets } from './analyzer';
import { rangesOverlap, type FileCreation, type Fix, type TextEdit } from './findings';

// Helpers rules use to express fixes as text edits against the analysed file.

export function replaceText(sourceFile: ts.SourceFile, start: number, end: number, newText: string): TextEdit {
  return { filePath: sourceFile.fileName, range: rangeOfOffsets(sourceFile, start, end), newText };
}

export function insertText(sourceFile: ts.SourceFile, offset: number, newText: string): TextEdit {
  return replaceText(sourceFile, offset, offset, newText);
}

/** The whitespace a line starts with. */
export function indentationAt(sourceFile: ts.SourceFile, offset: number): string {
  const { line } = sourceFile.getLineAndCharacterOfPosition(offset);
  const lineStart = sourceFile.getLineStarts()[line] ?? 0;
  return /^[ \t]*/.exec(sourceFile.text.slice(lineStart))?.[0] ?? '';
}

export function lineEnding(sourceFile: ts.SourceFile): string {
  return sourceFile.text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Adds `name: value` to an object literal, keeping its layout: inline objects stay on one
 * line, multi-line ones get a new line at the indentation of their last property.
 */
export function addPropertyEdit(sourceFile: ts.SourceFile, object: ts.ObjectLiteralExpression, property: string): TextEdit {
  const properties = object.properties;
  const last = properties[properties.length - 1];
  if (!last) return replaceText(sourceFile, object.getStart(sourceFile), object.getEnd(), `{ ${property} }`);
  const multiline = sourceFile.getLineAndCharacterOfPosition(object.getStart(sourceFile)).line !==
    sourceFile.getLineAndCharacterOfPosition(object.getEnd()).line;
  const hasTrailingComma = properties.hasTrailingComma;
  if (multiline) {
    const indent = indentationAt(sourceFile, last.getStart(sourceFile));
    const separator = hasTrailingComma ? '' : ',';
    const anchor = hasTrailingComma ? commaAfter(sourceFile, last) : last.getEnd();
    return insertText(sourceFile, anchor, `${separator}${lineEnding(sourceFile)}${indent}${property}${hasTrailingComma ? ',' : ''}`);
  }
  return hasTrailingComma
    ? insertText(sourceFile, commaAfter(sourceFile, last), ` ${property},`)
    : insertText(sourceFile, last.getEnd(), `, ${property}`);
}

function commaAfter(sourceFile: ts.SourceFile, node: ts.Node): number {
  const comma = sourceFile.text.indexOf(',', node.getEnd());
  return comma < 0 ? node.getEnd() : comma + 1;
}

/** Applies non-overlapping edits to a text; overlapping later edits are dropped. */
export function applyTextEdits(text: string, edits: readonly Pick<TextEdit, 'range' | 'newText'>[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const offset = (p: TextEdit['range']['start']) => Math.min((lineStarts[p.line] ?? text.length) + p.character, text.length);
  const resolved = edits
    .map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let cursor = 0;
  for (const edit of resolved) {
    if (edit.start < cursor) continue;
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/**
 * Combines several fixes into one edit set, as fix-all applies them: an edit identical to
 * one already taken (two fixes adding the same import) is taken once, and a fix that
 * overlaps a different edit already taken is left out whole, so no fix is half-applied.
 */
export function mergeFixes(fixes: readonly Fix[]): { edits: TextEdit[]; createFiles: FileCreation[] } {
  const edits: TextEdit[] = [];
  const creations = new Map<string, string>();
  const same = (a: TextEdit, b: TextEdit) =>
    a.filePath === b.filePath && a.newText === b.newText && JSON.stringify(a.range) === JSON.stringify(b.range);
  for (const fix of fixes) {
    const fresh = fix.edits.filter((edit) => !edits.some((taken) => same(taken, edit)));
    const conflicts = fresh.some((edit) => edits.some((taken) => taken.filePath === edit.filePath && rangesOverlap(taken.range, edit.range)));
    const clashingFile = (fix.createFiles ?? []).some((c) => creations.has(c.filePath) && creations.get(c.filePath) !== c.text);
    if (conflicts || clashingFile) continue;
    edits.push(...fresh);
    for (const creation of fix.createFiles ?? []) creations.set(creation.filePath, creation.text);
  }
  return { edits, createFiles: [...creations].map(([filePath, text]) => ({ filePath, text })) };
}
