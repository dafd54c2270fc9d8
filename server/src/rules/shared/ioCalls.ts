import { ts } from 'ts-morph';
import { calleeOf, type CallSite } from './callSites';
import { classifyPackageCall, isIoMethodName, isIoPackage } from './ioCatalog';
import { rangeOfNode } from '../../engine/analyzer';
import type { RelatedLocation } from '../../engine/findings';
import { callIo, callTarget, functionIo, witnessHops, type IoWitness, type IssueMode } from './ioSummaries';
import { reachableWith } from './reachableIo';
import type { RuleContext } from '../../engine/rule';
import { functionName, type FunctionNode } from './valueTrace';
import { skipOuterExpressions, outermostWrapping } from './localDeclarations';
import { posixRelative } from '../../engine/paths';
import { describedPackage } from '../../engine/imports';
import { messageText } from './messageText';
import { passesTypesThrough } from './typePlumbing';

// "Does this call perform I/O?" for rules: the syntactic summaries first (they work on a
// bare checkout, reading declared types through imports), then, for an awaited call whose
// receiver no annotation describes, the type checker when the project's types resolve.

type IoContext = Pick<RuleContext, 'facts' | 'sourceFile' | 'getTypeChecker'>;

/** The packages the checker's answers about I/O come from (RuleMeta.typedPackages of the N+1 rules). */
export function isIoTypedPackage(name: string): boolean {
  return isIoPackage(name) || passesTypesThrough(name);
}

export function ioOfCall(context: IoContext, call: CallSite, mode: IssueMode): IoWitness | undefined {
  const { facts, sourceFile } = context;
  const witness = callIo(facts, sourceFile, call, mode) ?? (ts.isCallExpression(call) && worthTypeChecking(context, call) ? typeCheckedIo(context, call, mode) : undefined);
  return witness && reachableWith(facts, witness, mode);
}

/**
 * A program build is costly (and repeated as a workspace run loads files), so the checker
 * is asked only about an awaited call, on a receiver no annotation describes, named like a
 * data-access method, in a project whose client packages are installed so types resolve.
 */
function worthTypeChecking(context: IoContext, call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !isIoMethodName(callee.name.text) || !isAwaited(call)) return false;
  if (callTarget(context.facts, context.sourceFile, call)?.kind !== 'opaque') return false;
  return [...context.facts.dependencies()].some(isIoPackage) && context.facts.packagesInstalled(context.sourceFile.fileName);
}

function isAwaited(call: ts.CallExpression): boolean {
  return ts.isAwaitExpression(outermostWrapping(call).parent);
}

function typeCheckedIo(context: IoContext, call: ts.CallExpression, mode: IssueMode): IoWitness | undefined {
  const checker = context.getTypeChecker();
  const callee = skipOuterExpressions(call.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  if (!checker || !nameNode) return undefined;
  let symbol = checker.getSymbolAtLocation(nameNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!declaration) return undefined;
  const declarationFile = declaration.getSourceFile();
  const pkg = packageOfFile(declarationFile.fileName);
  if (pkg !== undefined) {
    if (!isIoPackage(pkg) || !ts.isPropertyAccessExpression(callee)) return undefined;
    // The class or interface that declares the method is the client the catalog knows by name (sequelize's `Model`, TypeORM's `Repository`).
    const owner = declaration.parent;
    const imported = (ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner)) && owner.name ? owner.name.text : '*';
    const io = classifyPackageCall({ module: pkg, imported, instance: true, path: [nameNode.text] }, call);
    return io && (io.batching === 'none' || (io.batching === 'sameTick' && mode === 'sequential')) ? { sourceFile: context.sourceFile, call, io } : undefined;
  }
  if (declarationFile.isDeclarationFile) return undefined;
  const projectFile = context.facts.getSourceFile(declarationFile.fileName);
  const fn = projectFile && functionAt(projectFile, declaration);
  if (!projectFile || !fn) return undefined;
  const next = functionIo(context.facts, projectFile, fn)[mode];
  return next && { sourceFile: context.sourceFile, call, callee: { name: functionName(fn), sourceFile: projectFile, node: fn }, next };
}

/** The npm package a declaration file belongs to ('@types/pg' counts as 'pg'), or undefined for project files. */
function packageOfFile(fileName: string): string | undefined {
  const parts = fileName.split(/[\\/]/);
  const index = parts.lastIndexOf('node_modules');
  if (index < 0) return undefined;
  const first = parts[index + 1] ?? '';
  const name = first.startsWith('@') ? `${first}/${parts[index + 2] ?? ''}` : first;
  return describedPackage(name);
}

/**
 * The function a checker declaration stands for, as a node of the project's own parse of
 * that file (the checker's program may hold another copy of the tree).
 */
function functionAt(sourceFile: ts.SourceFile, declaration: ts.Declaration): FunctionNode | undefined {
  let node: ts.Node | undefined = sourceFile;
  const target = { pos: declaration.pos, end: declaration.end, kind: declaration.kind };
  while (node && !(node.pos === target.pos && node.end === target.end && node.kind === target.kind)) {
    let next: ts.Node | undefined;
    node.forEachChild((child) => {
      if (!next && child.pos <= target.pos && child.end >= target.end) next = child;
    });
    node = next;
  }
  if (!node) return undefined;
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return node;
  if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) && node.initializer) {
    const init = skipOuterExpressions(node.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

const MAX_RELATED = 10;

/**
 * What a witness shows, as the subject of a message ("`repo.findOne` performs a database
 * query", "`getStock()` performs an HTTP request (`fetch` in src/clients/x.ts)"), and the
 * chain as related locations, one per hop after the reported call.
 */
export function explainIo(witness: IoWitness, workspaceRoot: string): { subject: string; related: RelatedLocation[] } {
  const hops = witnessHops(witness);
  const last = hops[hops.length - 1]!;
  const kind = last.io?.kind ?? 'round trip';
  // The last hops matter most (where the round trip happens); a long chain shows its ends.
  const shown = hops.length > MAX_RELATED + 1 ? [...hops.slice(1, MAX_RELATED / 2 + 1), ...hops.slice(-MAX_RELATED / 2)] : hops.slice(1);
  const related: RelatedLocation[] = shown.map((hop) => ({
    filePath: hop.sourceFile.fileName,
    range: rangeOfNode(hop.sourceFile, calleeOf(hop.call)),
    message: hop.io ? `${kind}: ${messageText(calleeOf(hop.call))}` : `${hops[hops.indexOf(hop) - 1]!.callee!.name}() calls ${hop.callee!.name}()`,
  }));
  // Said as spoken: "an HTTP request", "an RPC call", "a Redis command", "a round trip".
  const article = /^(?:[aeiou]|HTTP|RPC)/.test(kind) ? 'an' : 'a';
  if (hops.length === 1) return { subject: `\`${messageText(calleeOf(last.call))}\` performs ${article} ${kind}`, related };
  const where = posixRelative(workspaceRoot, last.sourceFile.fileName);
  const middle = hops.slice(1, -1).map((h) => `${h.callee!.name}()`);
  const names = middle.length > 4 ? [...middle.slice(0, 2), '…', ...middle.slice(-1)] : middle;
  const through = names.length > 0 ? `, through ${names.join(' → ')}` : '';
  return { subject: `\`${witness.callee!.name}()\` performs ${article} ${kind} (\`${messageText(calleeOf(last.call))}\` in ${where}${through})`, related };
}
