import { ts } from 'ts-morph';
import { calleeOf, chainOf, type CallSite } from './shared/callSites';
import { defineRule } from '../engine/rule';
import { docsUrl } from './docs';
import { fieldResolverOf, type FieldResolver } from './shared/graphqlResolvers';
import { explainIo, ioOfCall, isIoTypedPackage } from './shared/ioCalls';
import { bindingNames, derivedNames, usesAny } from './shared/iterationScopes';
import { resolverLoaderFixes } from './shared/resolverLoaderFix';

// A field resolver runs once per parent object: a query in `Post.author` costs one round
// trip per post in the list, N+1 in all. Root Query/Mutation fields run once per operation
// and are not reported, nor are lookups that do not use the parent. Calls through
// DataLoader and Prisma's findUnique (which Prisma batches within a tick, as sibling
// resolvers run) do not count.

export default defineRule<{ checkTests: boolean }>({
  meta: {
    id: 'n-plus-one-resolver',
    description: 'GraphQL field resolvers that perform I/O once per parent object instead of batching it.',
    docsUrl: docsUrl('n-plus-one-resolver'),
    messages: {
      perParent:
        'The {{type}}.{{field}} resolver runs once per {{type}}, and {{subject}}: a list of N {{type}} objects costs N extra round trips. Batch it with a per-request DataLoader.',
    },
    defaultSeverity: 'warning',
    requiresTypes: true,
    typedPackages: isIoTypedPackage,
    // A resolver map in a test is a fixture: it never serves a production query.
    defaultOptions: { checkTests: false },
  },
  create(context) {
    const resolvers = new Map<ts.Node, FieldResolver | null>();
    const reported = new Set<ts.Node>();
    const parents = new Map<ts.Node, ReadonlySet<string>>();
    // A lookup that does not use the parent is the same for every parent: a namespace type
    // (`Infra`, `Viewer`) resolved once per operation, or repeated work, but not an N+1.
    const parentNames = (resolver: FieldResolver): ReadonlySet<string> => {
      let names = parents.get(resolver.node);
      if (!names) {
        const parameter = resolver.parentParameter;
        const body = resolver.node.body;
        names = parameter && body ? derivedNames(body, new Set(bindingNames(parameter.name))) : new Set<string>();
        parents.set(resolver.node, names);
      }
      return names;
    };
    const resolverAround = (call: ts.Node): FieldResolver | undefined => {
      for (let node: ts.Node | undefined = call.parent; node && !ts.isSourceFile(node); node = node.parent) {
        if (!ts.isFunctionLike(node)) continue;
        if (!resolvers.has(node)) resolvers.set(node, fieldResolverOf(node, context.facts) ?? null);
        const resolver = resolvers.get(node);
        if (resolver) return resolver;
      }
      return undefined;
    };
    const calls: CallSite[] = [];
    const collect = (node: ts.Node) => {
      calls.push(node as CallSite);
    };
    return {
      [ts.SyntaxKind.CallExpression]: collect,
      [ts.SyntaxKind.TaggedTemplateExpression]: collect,
      onEnd() {
        for (const call of calls) {
          const resolver = resolverAround(call);
          if (!resolver || resolver.isRoot || reported.has(resolver.node)) continue;
          if (!usesAny(chainOf(call), parentNames(resolver))) continue;
          const witness = ioOfCall(context, call, 'concurrent');
          if (!witness) continue;
          reported.add(resolver.node);
          const { subject, related } = explainIo(witness, context.settings.workspaceRoot);
          context.report({
            node: calleeOf(call),
            messageId: 'perParent',
            data: { type: resolver.typeName, field: resolver.fieldName, subject },
            related,
            fixes: () => resolverLoaderFixes(context, resolver, witness),
          });
        }
      },
    };
  },
});
