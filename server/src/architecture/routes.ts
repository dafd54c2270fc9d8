import { ts } from 'ts-morph';

// HTTP routes a module registers, as "GET /orders/:id", for the label of its node.

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all']);
const NEST_VERBS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL' };

/**
 * Express/Koa/Hono `app.get('/path', …)`, `router.route('/path').get(…)`, and Fastify
 * `fastify.route({ method, url })`. The caller has checked that the file imports a router
 * framework, and that the receiver is not an HTTP client (axios.get('/x') is a request).
 */
export function routeOfCall(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const verb = callee.name.text;
  const [first] = call.arguments;
  if (VERBS.has(verb) && first && isPathLiteral(first) && call.arguments.length >= 2) {
    return `${verb === 'del' ? 'DELETE' : verb.toUpperCase()} ${pathText(first)}`;
  }
  if (VERBS.has(verb) && ts.isCallExpression(callee.expression)) {
    // router.route('/orders').get(handler)
    const inner = callee.expression;
    if (ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'route' && inner.arguments[0] && isPathLiteral(inner.arguments[0])) {
      return `${verb.toUpperCase()} ${pathText(inner.arguments[0])}`;
    }
  }
  if (verb === 'route' && first && ts.isObjectLiteralExpression(first)) {
    const method = stringProperty(first, 'method');
    const url = stringProperty(first, 'url') ?? stringProperty(first, 'path');
    if (method && url) return `${method.toUpperCase()} ${url}`;
  }
  return undefined;
}

/** Nest `@Get(':id')` inside `@Controller('orders')`. */
export function routeOfDecorator(decorator: string, path: string | undefined, prefix: string | undefined): string | undefined {
  const verb = NEST_VERBS[decorator];
  if (!verb) return undefined;
  const parts = [prefix, path].filter((p): p is string => !!p).map((p) => p.replace(/^\/+|\/+$/g, ''));
  return `${verb} /${parts.filter(Boolean).join('/')}`;
}

function isPathLiteral(expression: ts.Expression): boolean {
  return (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) && /^[/*]/.test(expression.text);
}

function pathText(expression: ts.Expression): string {
  return (expression as ts.StringLiteral).text;
}

function stringProperty(object: ts.ObjectLiteralExpression, name: string): string | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === name && ts.isStringLiteralLike(property.initializer)) {
      return property.initializer.text;
    }
  }
  return undefined;
}
