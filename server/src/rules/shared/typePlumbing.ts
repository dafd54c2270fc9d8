// Utility libraries whose generic helpers hand their arguments' types back (`keyBy(rows,
// ...)[id]`, `groupBy(...)`, `memoize(factory)`): a type question about what flows through
// them needs their declarations, whatever package the type itself comes from.
const UTILITY_PACKAGES = new Set(['lodash', 'lodash-es', 'es-toolkit', 'remeda', 'ramda', 'underscore', 'radash']);

/** Whether a program asked about I/O or client types must read this package's declarations (see RuleMeta.typedPackages). */
export function passesTypesThrough(packageName: string): boolean {
  return UTILITY_PACKAGES.has(packageName) || packageName.startsWith('lodash.');
}
