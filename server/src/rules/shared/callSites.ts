import { ts } from 'ts-morph';

// Where code invokes a function or a client: a call, or a tagged template, which calls its
// tag with the template's strings and values (postgres.js's sql`select ...`, Prisma's
// $queryRaw`...`). The I/O rules treat both alike.

export type CallSite = ts.CallExpression | ts.TaggedTemplateExpression;

/** What is invoked: `pool.query` of `pool.query(...)`, `sql` of sql`...`. */
export function calleeOf(site: CallSite): ts.LeftHandSideExpression {
  return ts.isCallExpression(site) ? site.expression : site.tag;
}

/** What is passed: a call's arguments, or a tagged template's template. */
export function argumentsOf(site: CallSite): readonly ts.Node[] {
  return ts.isCallExpression(site) ? site.arguments : [site.template];
}
