import { ts } from 'ts-morph';
import { insertText, lineEnding } from '../../engine/edits';
import type { TextEdit } from '../../engine/findings';

// Small text helpers the N+1 quick fixes share: fresh names, imports of packages, and the
// offset where generated declarations go.

/** `base`, or `base2`, `base3`... whichever the file does not use yet. */
export function unusedName(sourceFile: ts.SourceFile, base: string): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}${n}`;
    if (!new RegExp(`\\b${candidate}\\b`).test(sourceFile.text)) return candidate;
  }
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The local name under which `module` is imported as `imported` ('default' or a named
 * export), and the edit that adds the import when the file has none.
 */
export function ensureImport(sourceFile: ts.SourceFile, module: string, imported: string, local: string): { name: string; edits: TextEdit[] } {
  const declarations = sourceFile.statements.filter(
    (s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === module,
  );
  for (const declaration of declarations) {
    const clause = declaration.importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (imported === 'default' && clause.name) return { name: clause.name.text, edits: [] };
    const named = clause.namedBindings;
    if (imported !== 'default' && named && ts.isNamedImports(named)) {
      const element = named.elements.find((e) => (e.propertyName ?? e.name).text === imported && !e.isTypeOnly);
      if (element) return { name: element.name.text, edits: [] };
      const last = named.elements[named.elements.length - 1];
      if (last) return { name: local, edits: [insertText(sourceFile, last.getEnd(), `, ${imported === local ? local : `${imported} as ${local}`}`)] };
    }
  }
  const clause = imported === 'default' ? local : `{ ${imported === local ? local : `${imported} as ${local}`} }`;
  return { name: local, edits: [newImportEdit(sourceFile, `import ${clause} from ${quote(sourceFile)}${module}${quote(sourceFile)};`)] };
}

function newImportEdit(sourceFile: ts.SourceFile, statement: string): TextEdit {
  const eol = lineEnding(sourceFile);
  const imports = sourceFile.statements.filter((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s));
  const last = imports[imports.length - 1];
  if (!last) return insertText(sourceFile, 0, statement + eol);
  const semicolon = last.getText(sourceFile).endsWith(';');
  return insertText(sourceFile, lineEndOffset(sourceFile, last.getEnd()), eol + (semicolon ? statement : statement.replace(/;$/, '')));
}

function quote(sourceFile: ts.SourceFile): string {
  const first = sourceFile.statements.find(ts.isImportDeclaration);
  return first && first.moduleSpecifier.getText(sourceFile).startsWith('"') ? '"' : "'";
}

/** The offset of the end of the line `offset` is on, before the line break. */
function lineEndOffset(sourceFile: ts.SourceFile, offset: number): number {
  const { line } = sourceFile.getLineAndCharacterOfPosition(offset);
  const next = sourceFile.getLineStarts()[line + 1];
  if (next === undefined) return sourceFile.text.length;
  return sourceFile.text[next - 2] === '\r' ? next - 2 : next - 1;
}

/** The start of the line a node starts on, above its leading comments (JSDoc stays with its code). */
export function lineStartAbove(sourceFile: ts.SourceFile, node: ts.Node): number {
  const comments = ts.getLeadingCommentRanges(sourceFile.text, node.getFullStart()) ?? [];
  const first = comments[0]?.pos ?? node.getStart(sourceFile);
  const { line } = sourceFile.getLineAndCharacterOfPosition(first);
  return sourceFile.getLineStarts()[line] ?? 0;
}
