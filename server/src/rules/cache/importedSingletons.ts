import { ts } from 'ts-morph';
import { walk } from '../../engine/analyzer';
import { importBindings, resolveImportedDeclaration } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { skipOuterExpressions } from '../shared/localDeclarations';
import { isClockRead, judgeBound } from './bounds';
import { cacheEvidence, type CacheEvidence } from './evidence';
import { classHolders, findHolders, type Holder } from './holders';
import { classifyUse, type Use } from './holderUses';
import { operationOf, type Operation } from './operations';
import { holdersOfAccess, indexHolders } from './references';

// A class declared in one file and instantiated once at module level in another
// (`export const registry = new SessionRegistry()` in a container file): its fields live
// as long as the process, which the class's own file cannot tell. The file that makes the
// instance looks into the class. Only private fields that nothing ever evicts are judged:
// every use of such a field is in the class body, so the verdict is certain, whereas a
// field other code can reach may be evicted in any file of the project.

export interface ImportedSingletonLeak {
  /** The `new X()` that makes the one instance. */
  creation: ts.NewExpression;
  /** The variable holding the instance; undefined for `export default new X()`. */
  instanceName: string | undefined;
  className: string;
  classFile: ts.SourceFile;
  holder: Holder;
  evidence: CacheEvidence;
}

interface ClassLeak {
  holder: Holder;
  evidence: CacheEvidence;
}

export function importedSingletonLeaks(facts: ProjectFacts, sourceFile: ts.SourceFile): ImportedSingletonLeak[] {
  const leaks: ImportedSingletonLeak[] = [];
  for (const { creation, instanceName } of moduleLevelCreations(sourceFile)) {
    if (!ts.isIdentifier(creation.expression)) continue;
    const binding = importBindings(facts, sourceFile).get(creation.expression.text);
    const declaration = binding && resolveImportedDeclaration(facts, sourceFile, binding);
    if (!declaration || !ts.isClassDeclaration(declaration.node) || !declaration.node.name) continue;
    const classNode = declaration.node;
    const className = classNode.name!.text;
    const classFile = declaration.sourceFile;
    const found = facts.perFile(classFile, `unbounded-cache:imported-singleton:${className}`, () => leaksOfClass(classFile, classNode, className));
    for (const leak of found) leaks.push({ creation, instanceName, className, classFile, ...leak });
  }
  return leaks;
}

/** `const x = new X()` at the top of the file (a `let` may be replaced), and `export default new X()`. */
function moduleLevelCreations(sourceFile: ts.SourceFile): { creation: ts.NewExpression; instanceName: string | undefined }[] {
  const creations: { creation: ts.NewExpression; instanceName: string | undefined }[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement) && statement.declarationList.flags & ts.NodeFlags.Const) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
        if (init && ts.isNewExpression(init) && ts.isIdentifier(declaration.name)) creations.push({ creation: init, instanceName: declaration.name.text });
      }
    } else if (ts.isExportAssignment(statement)) {
      const expression = skipOuterExpressions(statement.expression);
      if (ts.isNewExpression(expression)) creations.push({ creation: expression, instanceName: undefined });
    }
  }
  return creations;
}

function leaksOfClass(classFile: ts.SourceFile, classNode: ts.ClassDeclaration, className: string): ClassLeak[] {
  // A class its own file already knows to exist once (decorator, singleton, instance there) is judged there.
  if (findHolders(classFile).some((holder) => holder.ownerClass === classNode && !holder.isStatic)) return [];
  const holders = classHolders(classNode, `${className} (instantiated once here, at module level)`).filter((holder) => holder.isPrivate && !holder.isStatic);
  if (holders.length === 0) return [];
  const index = indexHolders(holders);
  const uses = new Map<Holder, Use[]>(holders.map((holder) => [holder, []]));
  const reachedOtherwise = new Set<string>();
  const clockReaders = new Set<Operation | undefined>();
  walk(classNode, (node) => {
    if (isClockRead(node)) clockReaders.add(operationOf(node));
    if (!ts.isPropertyAccessExpression(node)) return;
    const { holders: named, exact } = holdersOfAccess(index, node);
    for (const holder of exact ? named : []) uses.get(holder)!.push(...classifyUse(node, holder.kind).filter((use) => use.site !== holder.creation.parent));
    // `other.sessions` on another instance, allowed inside the class: uses we cannot attribute.
    if (!exact && node.expression.kind !== ts.SyntaxKind.ThisKeyword) reachedOtherwise.add(ts.isPrivateIdentifier(node.name) ? node.name.text.slice(1) : node.name.text);
  });
  const leaks: ClassLeak[] = [];
  for (const holder of holders) {
    const own = uses.get(holder)!;
    if (reachedOtherwise.has(holder.name) || own.some((use) => use.kind === 'escape' || use.kind === 'delete' || use.kind === 'drop')) continue;
    const evidence = cacheEvidence(holder, own, classFile);
    if (evidence && judgeBound(holder, own, { clockReaders, timerCalledNames: new Set() }, classFile).kind === 'none') leaks.push({ holder, evidence });
  }
  return leaks;
}
