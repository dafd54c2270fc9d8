import { ts } from 'ts-morph';

// GraphQL resolver maps as Apollo, graphql-tools and Mercurius take them:
// `{ Query: { orders: … }, Mutation: { … }, Order: { customer: … } }`.

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export function isResolverMap(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ROOT_TYPES.has(p.name.text) && ts.isObjectLiteralExpression(p.initializer));
}

/** "Query 3 · Mutation 1 · Order 2": how many fields each type of the map resolves. */
export function countResolverFields(object: ts.ObjectLiteralExpression): string {
  const parts: string[] = [];
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || !ts.isObjectLiteralExpression(property.initializer)) continue;
    parts.push(`${property.name.text} ${property.initializer.properties.length}`);
  }
  return parts.join(' · ');
}
