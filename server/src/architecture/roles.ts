import type { CodeKind } from './model';

// What a class or file is, from the conventions people name and decorate them by.

const SUFFIX_ROLES: [RegExp, CodeKind][] = [
  [/service$/i, 'service'],
  [/(?:client|gateway|api|datasource)$/i, 'client'],
  [/(?:repository|repo|dao)$/i, 'repository'],
  [/(?:controller|routes?|router)$/i, 'controller'],
  [/resolvers?$/i, 'resolver'],
  [/(?:consumer|worker|processor)$/i, 'worker'],
];

const DECORATOR_ROLES: Record<string, CodeKind> = {
  Controller: 'controller',
  Resolver: 'resolver',
  WebSocketGateway: 'controller',
  Processor: 'worker',
};

/** Nest plumbing that is injectable but not a part of the architecture people draw. */
const PLUMBING = /(?:Guard|Interceptor|Pipe|Filter|Middleware|Strategy|Module|Decorator|Plugin|Scalar|Dto|Input|Entity|Error|Exception)$/;

/** A role named by a class or file name: 'OrdersService', 'inventoryClient', 'orders.repository'. */
export function roleFromName(name: string): CodeKind | undefined {
  const bare = name.replace(/[-_.]/g, '');
  return SUFFIX_ROLES.find(([pattern]) => pattern.test(bare))?.[1];
}

export function roleFromDecorators(decorators: readonly string[]): CodeKind | undefined {
  for (const decorator of decorators) {
    const role = DECORATOR_ROLES[decorator];
    if (role) return role;
  }
  return undefined;
}

/** @Injectable classes are services unless their name says otherwise or marks them as plumbing. */
export function injectableRole(className: string): CodeKind | undefined {
  if (isPlumbingName(className)) return undefined;
  return roleFromName(className) ?? 'service';
}

export function isPlumbingName(name: string): boolean {
  return PLUMBING.test(name) || /^(?:Mock|Fake|Stub)[A-Z]/.test(name);
}
