import { ts } from 'ts-morph';
import { importBindings, isRelativeSpecifier, resolveImportedDeclaration } from '../../engine/imports';
import type { ProjectFacts } from '../../engine/projectFacts';
import { enclosingClass, functionBody } from './syntax';
import { skipOuterExpressions } from '../shared/localDeclarations';

// What a call calls, without the type checker: a function of this file, a method of the
// enclosing class, a function exported by another project file, or a package export.

export type Callee =
  | { kind: 'function'; fn: ts.SignatureDeclaration; sourceFile: ts.SourceFile }
  | { kind: 'package'; module: string; imported: string; path: readonly string[] };

export function resolveCallee(call: ts.CallExpression | ts.NewExpression, sourceFile: ts.SourceFile, facts: ProjectFacts): Callee | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return resolveName(callee, sourceFile, facts, []);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const member = classMember(callee, callee.name.text);
    return member ? { kind: 'function', fn: member, sourceFile } : undefined;
  }
  // `ns.fn()` / `Promise.delay()`: only package values are followed through members.
  const path: string[] = [callee.name.text];
  let owner = skipOuterExpressions(callee.expression);
  while (ts.isPropertyAccessExpression(owner)) {
    path.unshift(owner.name.text);
    owner = skipOuterExpressions(owner.expression);
  }
  if (!ts.isIdentifier(owner)) return undefined;
  const resolved = resolveName(owner, sourceFile, facts, path);
  return resolved?.kind === 'package' ? resolved : undefined;
}

function resolveName(identifier: ts.Identifier, sourceFile: ts.SourceFile, facts: ProjectFacts, path: readonly string[]): Callee | undefined {
  const name = identifier.text;
  const local = localFunction(identifier, name, sourceFile, facts);
  if (local) return path.length === 0 ? { kind: 'function', fn: local, sourceFile } : undefined;
  const binding = importBindings(facts, sourceFile).get(name);
  if (!binding) return undefined;
  const relative = isRelativeSpecifier(binding.module);
  if (path.length === 0) {
    const target = resolveImportedDeclaration(facts, sourceFile, binding);
    const fn = target && asFunction(target.node);
    // A package name a tsconfig `paths` alias maps into the project (`@app/helpers/timer`) is
    // the project's own code; a declaration without a body there is a package's stand-in.
    if (fn && target && (relative || functionBody(fn))) return { kind: 'function', fn, sourceFile: target.sourceFile };
  }
  return relative ? undefined : { kind: 'package', module: binding.module, imported: binding.imported, path };
}

/** A function declared in an enclosing block or at the top of the file, by name. */
function localFunction(from: ts.Node, name: string, sourceFile: ts.SourceFile, facts: ProjectFacts): ts.SignatureDeclaration | undefined {
  for (let node: ts.Node | undefined = from.parent; node; node = node.parent) {
    if (ts.isSourceFile(node)) return topLevelFunctions(sourceFile, facts).get(name);
    const statements = ts.isBlock(node) || ts.isModuleBlock(node) ? node.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) return statement;
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return asFunction(declaration);
        }
      }
    }
  }
  return undefined;
}

/** The file's top-level functions by name, computed once per version of the file. */
function topLevelFunctions(sourceFile: ts.SourceFile, facts: ProjectFacts): ReadonlyMap<string, ts.SignatureDeclaration | undefined> {
  return facts.perFile(sourceFile, 'retry-without-backoff/top-level-functions', () => {
    const functions = new Map<string, ts.SignatureDeclaration | undefined>();
    for (const statement of sourceFile.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body && !functions.has(statement.name.text)) functions.set(statement.name.text, statement);
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && !functions.has(declaration.name.text)) functions.set(declaration.name.text, asFunction(declaration));
      }
    }
    return functions;
  });
}

export function asFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && node.initializer) {
    const initializer = skipOuterExpressions(node.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

/** A method or function-valued field of the class enclosing `from`. */
export function classMember(from: ts.Node, name: string): ts.SignatureDeclaration | undefined {
  const cls = enclosingClass(from);
  if (!cls) return undefined;
  for (const member of cls.members) {
    if (!member.name || !ts.isIdentifier(member.name) || member.name.text !== name) continue;
    if (ts.isMethodDeclaration(member) && member.body) return member;
    if (ts.isPropertyDeclaration(member)) return asFunction(member);
  }
  return undefined;
}

/** Binds a function's simple parameters to a call's arguments, or to their default values when omitted. */
export function bindParameters(fn: ts.SignatureDeclaration, call: ts.CallExpression): Map<string, { expression: ts.Expression; fromCall: boolean }> {
  const bound = new Map<string, { expression: ts.Expression; fromCall: boolean }>();
  fn.parameters.forEach((parameter, index) => {
    if (!ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return;
    const argument = call.arguments[index];
    if (argument && !ts.isSpreadElement(argument)) bound.set(parameter.name.text, { expression: argument, fromCall: true });
    else if (!argument && parameter.initializer) bound.set(parameter.name.text, { expression: parameter.initializer, fromCall: false });
  });
  return bound;
}
