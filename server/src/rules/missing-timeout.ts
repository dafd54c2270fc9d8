import { ts } from 'ts-morph';
import { addPropertyEdit, insertText } from '../engine/edits';
import { defineRule } from '../engine/rule';
import { docsUrl } from './docs';

// An outbound call without a deadline ties up the caller for as long as the remote side
// wants: one hung dependency then stalls every request that touches it.

const FETCH_MODULES = new Set(['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch', 'undici-types']);

export default defineRule<{ timeoutMs: number }>({
  meta: {
    id: 'missing-timeout',
    description: 'Outbound calls (fetch, HTTP clients, gRPC, request/reply) that can hang forever.',
    docsUrl: docsUrl('missing-timeout'),
    messages: {
      fetchNoTimeout: 'fetch() has no timeout: if the server stops responding, this call waits forever.',
    },
    defaultSeverity: 'warning',
    requiresTypes: false,
    defaultOptions: { timeoutMs: 10000 },
  },
  create(context) {
    const { sourceFile } = context;
    const fetchBindings = fetchBindingsOf(sourceFile);
    const signalProperty = `signal: AbortSignal.timeout(${context.options.timeoutMs})`;
    return {
      [ts.SyntaxKind.CallExpression](node) {
        const call = node as ts.CallExpression;
        if (!isFetchCallee(call.expression, fetchBindings)) return;
        const init = call.arguments[1];
        const url = call.arguments[0];
        if (!url) return;
        if (init && !ts.isObjectLiteralExpression(init)) return; // an init built elsewhere: cannot see
        if (init && hasProperty(init, 'signal')) return;
        const edit = init
          ? addPropertyEdit(sourceFile, init, signalProperty)
          : insertText(sourceFile, url.getEnd(), `, { ${signalProperty} }`);
        context.report({
          node: call.expression,
          messageId: 'fetchNoTimeout',
          fixes: [{ title: `Add timeout: ${signalProperty}`, isPreferred: true, edits: [edit] }],
        });
      },
    };
  },
});

/** Local names that refer to a fetch implementation: the global, or an import of one. */
function fetchBindingsOf(sourceFile: ts.SourceFile): { global: boolean; names: Set<string>; namespaces: Set<string> } {
  const names = new Set<string>();
  const namespaces = new Set<string>();
  let global = true;
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const fromFetchModule = FETCH_MODULES.has(statement.moduleSpecifier.text);
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) {
        if (fromFetchModule) names.add(clause.name.text);
        else if (clause.name.text === 'fetch') global = false;
      }
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings) && fromFetchModule) namespaces.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          const imported = (element.propertyName ?? element.name).text;
          if (fromFetchModule && imported === 'fetch') names.add(element.name.text);
          else if (element.name.text === 'fetch') global = false;
        }
      }
    } else if (declaresName(statement, 'fetch')) {
      global = false;
    }
  }
  if (global) names.add('fetch');
  return { global, names, namespaces };
}

function declaresName(statement: ts.Statement, name: string): boolean {
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) return true;
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name);
  }
  return false;
}

function isFetchCallee(callee: ts.Expression, bindings: ReturnType<typeof fetchBindingsOf>): boolean {
  if (ts.isIdentifier(callee)) return bindings.names.has(callee.text) && !isShadowedLocally(callee);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'fetch' && ts.isIdentifier(callee.expression)) {
    const owner = callee.expression.text;
    return bindings.namespaces.has(owner) || owner === 'globalThis' || owner === 'window' || owner === 'self';
  }
  return false;
}

/** A parameter or local variable of an enclosing function named like the callee hides the import. */
function isShadowedLocally(identifier: ts.Identifier): boolean {
  for (let node: ts.Node | undefined = identifier.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node) && node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === identifier.text)) {
      return true;
    }
    if (ts.isBlock(node) && node.statements.some((s) => declaresName(s, identifier.text))) return true;
  }
  return false;
}

function hasProperty(object: ts.ObjectLiteralExpression, name: string): boolean {
  return object.properties.some((p) => {
    if (ts.isSpreadAssignment(p)) return true; // a spread may carry it: do not guess
    return p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name;
  });
}
