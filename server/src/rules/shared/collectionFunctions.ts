// Functions that hand a collection's elements back, regrouped or picked out, so that a record
// loaded in a list is still a record after them: `Object.values(groupBy(subscriptions,
// 'shareId'))` holds lists of the subscriptions, `keyBy(children, 'id')[id]` is one of the
// children. Only libraries that take the collection first (lodash, underscore, es-toolkit,
// remeda) are listed; a list's own methods (`users.filter(...)`) are ioCatalog's listMethodResult.

/** What a call makes of the collection it is given first: its elements (as a list or keyed), lists of them, or one of them. */
export type Reshape = 'same' | 'groups' | 'element';

const UTILITY_FUNCTIONS = new Map<string, Reshape>([
  ...['keyBy', 'indexBy', 'values', 'toArray', 'sortBy', 'orderBy', 'uniq', 'uniqBy', 'filter', 'reject', 'compact', 'shuffle', 'take', 'takeRight', 'drop', 'dropRight', 'without', 'sampleSize'].map((name) => [name, 'same'] as const),
  ...['groupBy', 'partition', 'chunk'].map((name) => [name, 'groups'] as const),
  ...['find', 'findLast', 'first', 'head', 'last', 'nth', 'sample', 'minBy', 'maxBy'].map((name) => [name, 'element'] as const),
]);
const BY_LOWER_CASE = new Map([...UTILITY_FUNCTIONS].map(([name, reshape]) => [name.toLowerCase(), reshape]));
const UTILITY_MODULES = new Set(['lodash', 'lodash-es', 'underscore', 'es-toolkit', 'es-toolkit/compat', 'remeda']);

/** What the function `name` of `module` makes of its first argument: the imported name, or the member called on a `*` or `default` import. */
export function utilityReshape(module: string, name: string): Reshape | undefined {
  if (UTILITY_MODULES.has(module)) return UTILITY_FUNCTIONS.get(name);
  if (name !== 'default') return undefined;
  // Per-method modules: `lodash/groupBy`, `lodash-es/groupBy`, and the `lodash.groupby` packages.
  const perMethod = /^lodash(?:-es)?\/(\w+)$/.exec(module)?.[1];
  if (perMethod) return UTILITY_FUNCTIONS.get(perMethod);
  const perPackage = /^lodash\.(\w+)$/.exec(module)?.[1];
  return perPackage ? BY_LOWER_CASE.get(perPackage) : undefined;
}

/** The same for a built-in: `Object.values(byId)`, `Object.groupBy(users, ...)`, `Array.from(users)`. */
export function builtInReshape(object: string, method: string, argumentCount: number): Reshape | undefined {
  if (object === 'Object') return method === 'values' ? 'same' : method === 'groupBy' ? 'groups' : undefined;
  return object === 'Array' && method === 'from' && argumentCount === 1 ? 'same' : undefined;
}
