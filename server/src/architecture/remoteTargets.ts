import { ts } from 'ts-morph';

// Where an HTTP call goes, as far as the code says without running it: a literal URL's
// host, or the configuration key the URL comes from. Calls to the same host (or key) are
// drawn as one remote API, so a code base with 40 calls to Stripe shows one Stripe node.

export type RemoteTarget = { host: string } | { configKey: string };

const MAX_HOPS = 6;
const CONFIG_RECEIVER = /config|settings|options|env/i;

/** The target of a URL expression; undefined when it depends on run-time data. */
export function remoteTargetOf(expression: ts.Expression | undefined): RemoteTarget | undefined {
  return targetOf(expression, 0);
}

/** A relative path ('/orders') that needs the client's base URL to mean anything. */
export function isRelativeUrl(expression: ts.Expression | undefined): boolean {
  const text = expression && leadingText(expression);
  return text !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

function targetOf(expression: ts.Expression | undefined, hops: number): RemoteTarget | undefined {
  if (!expression || hops > MAX_HOPS) return undefined;
  const e = skipOuter(expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return hostOf(e.text);
  if (ts.isTemplateExpression(e)) {
    if (e.head.text) return hostOf(e.head.text);
    return targetOf(e.templateSpans[0]?.expression, hops + 1);
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken) return targetOf(e.left, hops + 1);
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
      return targetOf(e.left, hops + 1) ?? targetOf(e.right, hops + 1);
    }
    return undefined;
  }
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL') {
    const [first, base] = e.arguments ?? [];
    return base ? targetOf(base, hops + 1) : targetOf(first, hops + 1);
  }
  const envKey = environmentKey(e);
  if (envKey) return { configKey: envKey };
  if (ts.isCallExpression(e)) return configGetKey(e);
  if (ts.isIdentifier(e)) return targetOf(initializerOf(e), hops + 1);
  if (ts.isPropertyAccessExpression(e)) {
    if (e.expression.kind === ts.SyntaxKind.ThisKeyword) return targetOf(thisPropertyInitializer(e), hops + 1);
    const chain = accessChain(e);
    if (chain && CONFIG_RECEIVER.test(chain[0]!)) return { configKey: chain.slice(1).join('.') };
  }
  return undefined;
}

function hostOf(text: string): RemoteTarget | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\s]+)/i.exec(text.trim());
  if (!match) return undefined;
  const host = match[1]!.replace(/^[^@]*@/, '').toLowerCase();
  return host ? { host } : undefined;
}

function leadingText(expression: ts.Expression): string | undefined {
  const e = skipOuter(expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) return e.head.text || undefined;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return leadingText(e.left);
  return undefined;
}

/** process.env.X, process.env['X']. */
function environmentKey(e: ts.Expression): string | undefined {
  const isProcessEnv = (x: ts.Expression) =>
    ts.isPropertyAccessExpression(x) && x.name.text === 'env' && ts.isIdentifier(x.expression) && x.expression.text === 'process';
  if (ts.isPropertyAccessExpression(e) && isProcessEnv(e.expression)) return e.name.text;
  if (ts.isElementAccessExpression(e) && isProcessEnv(e.expression) && ts.isStringLiteral(e.argumentExpression)) {
    return e.argumentExpression.text;
  }
  return undefined;
}

/** config.get('payments.url'), this.configService.getOrThrow<string>('X'). */
function configGetKey(call: ts.CallExpression): RemoteTarget | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !/^get(?:OrThrow)?$/.test(callee.name.text)) return undefined;
  const receiver = callee.expression;
  const receiverName = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : '';
  const [key] = call.arguments;
  if (!CONFIG_RECEIVER.test(receiverName) || !key || !ts.isStringLiteralLike(key)) return undefined;
  return { configKey: key.text };
}

/** `a.b.c` → ['a', 'b', 'c'] for a chain of names rooted at an identifier. */
function accessChain(e: ts.PropertyAccessExpression): string[] | undefined {
  const names: string[] = [];
  let current: ts.Expression = e;
  while (ts.isPropertyAccessExpression(current)) {
    names.unshift(current.name.text);
    current = current.expression;
  }
  if (!ts.isIdentifier(current)) return undefined;
  names.unshift(current.text);
  return names;
}

/** The initializer of a `const` the identifier names, in an enclosing scope of the same file. */
function initializerOf(identifier: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    const statements = ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (!ts.isVariableStatement(statement)) continue;
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === identifier.text);
      if (declaration) return declaration.initializer;
    }
  }
  return undefined;
}

/** `this.baseUrl`: the class property's initializer, or what the constructor assigns to it. */
function thisPropertyInitializer(access: ts.PropertyAccessExpression): ts.Expression | undefined {
  let owner: ts.Node | undefined = access.parent;
  while (owner && !ts.isClassLike(owner)) owner = owner.parent;
  if (!owner) return undefined;
  const name = access.name.text;
  for (const member of owner.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name && member.initializer) {
      return member.initializer;
    }
    if (ts.isConstructorDeclaration(member) && member.body) {
      for (const statement of member.body.statements) {
        if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
        const { left, right, operatorToken } = statement.expression;
        if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left)) continue;
        if (left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) return right;
      }
    }
  }
  return undefined;
}

function skipOuter(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) {
    e = e.expression;
  }
  return e;
}

export function describeTarget(target: RemoteTarget | undefined): { key: string; label: string; detail?: string } {
  if (!target) return { key: 'remote:?', label: 'HTTP (URL known at run time)' };
  if ('host' in target) return { key: `remote:host:${target.host}`, label: target.host };
  return { key: `remote:config:${target.configKey}`, label: target.configKey, detail: 'URL from configuration' };
}
