import { ts } from 'ts-morph';
import { indentationAt, replaceText } from '../../engine/edits';
import type { TextEdit } from '../../engine/findings';
import { functionName, referencedKeys } from './syntax';
import { isAsync } from '../shared/localDeclarations';

// Source-level checks and edits the replacement fix needs: is the code async, can
// `retry` be imported without a clash, how the file indents, how to delete a line.

export function isAsyncContext(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return isAsync(current);
  }
  return false;
}

/** No `retry` of the file's own, or of an enclosing function, that the import would clash with. */
export function canImportRetry(from: ts.Node, sourceFile: ts.SourceFile): boolean {
  let clash = false;
  for (let node: ts.Node | undefined = from; node; node = node.parent) {
    if (ts.isFunctionLike(node)) {
      if (functionName(node) === 'retry' || node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === 'retry')) clash = true;
    }
    if (ts.isBlock(node) || ts.isSourceFile(node)) {
      for (const statement of node.statements) if (declaresRetry(statement)) clash = true;
    }
  }
  return !clash && sourceFile.statements.every((s) => !declaresRetry(s));
}

function declaresRetry(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement)) {
    const specifier = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : '';
    const names = referencedKeys(statement);
    return names.has('retry') && !/(^|\/)retry(\.js|\.ts)?$/.test(specifier);
  }
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === 'retry') return true;
  return ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'retry');
}

/** One indentation step, as the file uses it. */
export function unitOf(sourceFile: ts.SourceFile, node: ts.Node): string {
  const outer = indentationAt(sourceFile, node.getStart(sourceFile));
  let inner: string | undefined;
  node.forEachChild((child) => {
    if (inner === undefined && ts.isBlock(child) && child.statements[0]) inner = indentationAt(sourceFile, child.statements[0].getStart(sourceFile));
  });
  return inner !== undefined && inner.startsWith(outer) && inner.length > outer.length ? inner.slice(outer.length) : '  ';
}

/** Removes whole lines a statement occupies. */
export function deleteLines(sourceFile: ts.SourceFile, node: ts.Node): TextEdit {
  const start = node.getStart(sourceFile);
  const lineStart = sourceFile.getLineStarts()[sourceFile.getLineAndCharacterOfPosition(start).line] ?? start;
  const newline = sourceFile.text.indexOf('\n', node.getEnd());
  return replaceText(sourceFile, lineStart, newline < 0 ? node.getEnd() : newline + 1, '');
}
