import { ts } from 'ts-morph';
import type { RelatedLocation } from '../engine/findings';
import { rangeOfNode, walk } from '../engine/analyzer';
import { defineRule } from '../engine/rule';
import { isClockRead, judgeBound, type BoundVerdict } from './cache/bounds';
import { cacheEvidence } from './cache/evidence';
import { findHolders, type Holder, type HolderKind } from './cache/holders';
import { classifyUse, type Use } from './cache/holderUses';
import { lruCacheFixes } from './cache/lruFix';
import { calleeName, isSchedulingCall, operationOf, type Operation } from './cache/operations';
import { importedSingletonLeaks } from './cache/importedSingletons';
import { holderOfIdentifier, holdersOfAccess, indexHolders } from './cache/references';
import { docsUrl } from './docs';

// A Map used as a cache that only grows is a slow memory leak: every distinct key stays
// for the life of the process, and the service falls over days after a deploy.

const GROWTH_UNIT: Record<HolderKind, string> = { Map: 'key', Set: 'value', object: 'key', array: 'item' };
const PREFIX = '`{{name}}` is {{holder}} used as a cache ({{usage}})';
const SUFFIX = 'it grows with every distinct {{unit}}.';

export default defineRule<{ maxEntries: number; checkTests: boolean }>({
  meta: {
    id: 'unbounded-cache',
    description: 'Long-lived Maps, Sets, objects and arrays used as caches that are never evicted.',
    docsUrl: docsUrl('unbounded-cache'),
    messages: {
      neverEvicted: `${PREFIX} and is never evicted: ${SUFFIX}`,
      invalidationOnly: `${PREFIX}; entries are deleted only on invalidation (line {{line}}), never by size or age: ${SUFFIX}`,
      deadSizeCheck: `${PREFIX}; its size check on line {{line}} can never evict ({{reason}}): ${SUFFIX}`,
      expiryNeverDeletes: `${PREFIX}; it checks expiry on read (line {{line}}) but never deletes expired entries: ${SUFFIX}`,
    },
    defaultSeverity: 'warning',
    requiresTypes: false,
    // Test code and test helpers live for one test run, so their caches cannot leak.
    defaultOptions: { maxEntries: 1000, checkTests: false },
  },
  create(context) {
    const { sourceFile } = context;
    // Classes from other files that this file instantiates once, at module level.
    const reportImportedSingletons = () => {
      for (const leak of importedSingletonLeaks(context.facts, sourceFile)) {
        const { holder, evidence } = leak;
        context.report({
          node: leak.creation,
          messageId: 'neverEvicted',
          data: { ...messageData(holder, evidence.usage), name: `${leak.instanceName ?? leak.className}.${holder.name}` },
          related: relatedLocations(leak.classFile, holder, evidence.runtimeAdds),
        });
      }
    };
    const holders = findHolders(sourceFile);
    if (holders.length === 0) return { onEnd: reportImportedSingletons };
    const index = indexHolders(holders);
    const uses = new Map<Holder, Use[]>(holders.map((holder) => [holder, []]));
    /** Uses through a reference that may be another object's field of the same name. */
    const foreignUses = new Map<Holder, Use[]>(holders.map((holder) => [holder, []]));
    const clockReaders = new Set<Operation | undefined>();
    const timerCalledNames = new Set<string>();

    const record = (holder: Holder, node: ts.Expression, target: Map<Holder, Use[]>) => {
      // The constructor's `this.x = new Map()` creates the holder; it is not a reset.
      const found = classifyUse(node, holder.kind).filter((use) => use.site !== holder.creation.parent);
      target.get(holder)!.push(...found);
    };
    /** Functions a timer runs: `setInterval(() => this.sweep())`, `setInterval(sweep)`, `.bind(this)`. */
    const noteTimerWork = (call: ts.CallExpression) => {
      for (const argument of call.arguments) {
        if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) {
          walk(argument.body, (inner) => {
            const name = ts.isCallExpression(inner) ? calleeName(inner.expression) : undefined;
            if (name) timerCalledNames.add(name);
          });
          continue;
        }
        const bound = ts.isCallExpression(argument) && ts.isPropertyAccessExpression(argument.expression) && argument.expression.name.text === 'bind';
        const name = calleeName(bound ? (argument.expression as ts.PropertyAccessExpression).expression : argument);
        if (name) timerCalledNames.add(name);
      }
    };

    return {
      [ts.SyntaxKind.Identifier](node) {
        const holder = holderOfIdentifier(index, node as ts.Identifier);
        if (holder) record(holder, node as ts.Identifier, uses);
      },
      [ts.SyntaxKind.PropertyAccessExpression](node) {
        const access = node as ts.PropertyAccessExpression;
        const { holders: named, exact } = holdersOfAccess(index, access);
        for (const holder of named) record(holder, access, exact ? uses : foreignUses);
      },
      [ts.SyntaxKind.CallExpression](node) {
        const call = node as ts.CallExpression;
        if (isClockRead(call)) clockReaders.add(operationOf(call));
        if (isSchedulingCall(call)) noteTimerWork(call);
      },
      [ts.SyntaxKind.NewExpression](node) {
        if (isClockRead(node)) clockReaders.add(operationOf(node));
      },
      onEnd() {
        const facts = { clockReaders, timerCalledNames };
        for (const holder of holders) {
          const own = uses.get(holder)!;
          const foreign = foreignUses.get(holder)!;
          if ([...own, ...foreign].some((use) => use.kind === 'escape')) continue; // evicted where we cannot see, maybe
          const evidence = cacheEvidence(holder, own, sourceFile);
          if (!evidence) continue;
          const foreignRemoval = foreign.some((use) => use.kind === 'delete' || use.kind === 'drop');
          if (foreignRemoval) continue;
          const verdict = judgeBound(holder, own, facts, sourceFile);
          if (verdict.kind === 'bounded') continue;
          context.report({
            node: holder.nameNode,
            messageId: verdict.kind === 'none' ? 'neverEvicted' : verdict.kind,
            data: { ...messageData(holder, evidence.usage), ...verdictData(verdict) },
            related: relatedLocations(sourceFile, holder, evidence.runtimeAdds),
            fixes: () => lruCacheFixes(context, holder, own, foreign.length > 0),
          });
        }
        reportImportedSingletons();
      },
    };
  },
});

function messageData(holder: Holder, usage: string): Record<string, string> {
  const name = holder.ownerClass && holder.isStatic ? `${holder.ownerClass.name?.text ?? 'class'}.${holder.name}` : holder.name;
  return { name, holder: holder.description, usage, unit: GROWTH_UNIT[holder.kind] };
}

function verdictData(verdict: BoundVerdict): Record<string, string | number> {
  if (verdict.kind === 'deadSizeCheck') return { line: verdict.line, reason: verdict.reason };
  if (verdict.kind === 'invalidationOnly' || verdict.kind === 'expiryNeverDeletes') return { line: verdict.line };
  return {};
}

function relatedLocations(sourceFile: ts.SourceFile, holder: Holder, adds: readonly Use[]): RelatedLocation[] {
  const at = (node: ts.Node, message: string): RelatedLocation => ({ filePath: sourceFile.fileName, range: rangeOfNode(sourceFile, node), message });
  return [at(holder.declaration, `\`${holder.name}\` is declared here`), ...adds.map((add) => at(add.site, `adds to \`${holder.name}\``))];
}
