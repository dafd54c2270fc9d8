import { ts } from 'ts-morph';
import { replaceText } from '../../engine/edits';
import type { TextEdit } from '../../engine/findings';

// A fix that replaces the only use of an imported name (`new ConstantBackoff(50)`) must
// also drop the import, or projects built with noUnusedLocals stop compiling.

/**
 * The edit that removes named import `specifier` when nothing outside `replaced` still
 * refers to it; an empty list when it stays in use, undefined when it cannot be removed
 * cleanly (the fix is then not offered).
 */
export function dropImportIfUnused(sourceFile: ts.SourceFile, specifier: ts.ImportSpecifier, replaced: ts.Node): TextEdit[] | undefined {
  const name = specifier.name.text;
  if (referencedOutside(sourceFile, name, specifier, replaced)) return [];
  const elements = specifier.parent.elements;
  const index = elements.indexOf(specifier);
  const next = elements[index + 1];
  const previous = elements[index - 1];
  if (next) return [replaceText(sourceFile, specifier.getStart(sourceFile), next.getStart(sourceFile), '')];
  if (previous) return [replaceText(sourceFile, previous.getEnd(), specifier.getEnd(), '')];
  // The only named import: `import { ConstantBackoff } from 'cockatiel'` goes, unless a default import shares it.
  const declaration = specifier.parent.parent.parent;
  if (declaration.importClause?.name) return undefined;
  const start = declaration.getStart(sourceFile);
  const newline = sourceFile.text.indexOf('\n', declaration.getEnd());
  return [replaceText(sourceFile, start, newline < 0 ? declaration.getEnd() : newline + 1, '')];
}

/** Whether an identifier `name` occurs anywhere but the import itself and the replaced code. */
function referencedOutside(sourceFile: ts.SourceFile, name: string, specifier: ts.ImportSpecifier, replaced: ts.Node): boolean {
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === specifier || node === replaced) continue;
    if (ts.isIdentifier(node) && node.text === name) return true;
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}
