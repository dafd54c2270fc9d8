import { ts } from 'ts-morph';

// Where code invokes a function or a client: a call, or a tagged template, which calls its
// tag with the template's strings and values (postgres.js's sql`select ...`, Prisma's
// $queryRaw`...`). The I/O rules treat both alike.

export type CallSite = ts.CallExpression | ts.TaggedTemplateExpression;

export function isCallSite(node: ts.Node): node is CallSite {
  return ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node);
}

/** What is invoked: `pool.query` of `pool.query(...)`, `sql` of sql`...`. */
export function calleeOf(site: CallSite): ts.LeftHandSideExpression {
  return ts.isCallExpression(site) ? site.expression : site.tag;
}

/** What is passed: a call's arguments, or a tagged template's template. */
export function argumentsOf(site: CallSite): readonly ts.Node[] {
  return ts.isCallExpression(site) ? site.arguments : [site.template];
}

/** Whether `parent` goes on the chain `child` starts: `child.x`, `child(...)`, `child[k]`, `child!`. */
export function isChainLink(parent: ts.Node | undefined, child: ts.Node): parent is ts.PropertyAccessExpression | ts.CallExpression | ts.ElementAccessExpression | ts.NonNullExpression {
  if (!parent) return false;
  const link = ts.isPropertyAccessExpression(parent) || ts.isCallExpression(parent) || ts.isElementAccessExpression(parent) || ts.isNonNullExpression(parent);
  return link && parent.expression === child;
}

/** The outermost expression of the chain a call site starts (`db('users').where(...).first()`), or the call itself. */
export function chainOf(site: CallSite): ts.Expression {
  let top: ts.Expression = site;
  while (isChainLink(top.parent, top)) top = top.parent;
  return top;
}
