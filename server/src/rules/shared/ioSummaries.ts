import { ts } from 'ts-morph';
import { isCallSite, type CallSite } from './callSites';
import { argumentsLoadAList, classifyPayloadShapedCall, classifyPrismaShapedCall, type Batching, type IoCall } from './ioCatalog';
import type { ProjectFacts } from '../../engine/projectFacts';
import { importBindings } from '../../engine/imports';
import { returningFunction, type FunctionLike } from './localDeclarations';
import { recognizeOutboundCall } from './outboundCalls';
import { behindReadThroughCache, lastingStores, storeWritten } from './readThroughCache';
import { localCallTarget, resolveAcrossFiles, type CallTarget, type FunctionNode, type LocalTarget } from './valueTrace';

// Per-function I/O summaries: does calling this function perform a round trip, directly
// or through further calls in any file of the project, and by which chain?
//
// Three layers keep this cheap and incremental:
// - per file (facts.perFile, memoised on the ts.SourceFile, so recomputed only when that
//   file changes): which calls each function makes, and where each callee leads as far as
//   the file itself can tell (valueTrace.ts);
// - across files (facts.acrossFiles, dropped when a file the resolution read changes):
//   where each call leads once imports are followed;
// - per generation (facts.generationStore, dropped whenever any file changes): the
//   transitive closure, computed lazily from the functions a rule asks about with an
//   iterative Tarjan SCC pass, so every function and call edge is visited once per
//   generation: linear in the call graph it reaches. Each summary keeps the files it was
//   computed from (its component's, and its callees' summaries'), and an answer notes
//   them: what a rule or memo derives from it depends on the files along the call graph it
//   reaches, not on every file (the editor analyses again, after a save, only what read it).

/** How a caller issues a call: awaited one after another, or concurrently (same tick). */
export type IssueMode = 'sequential' | 'concurrent';

/** One hop of the chain that explains why a call performs I/O. */
export interface IoWitness {
  sourceFile: ts.SourceFile;
  /** The call made at this hop. */
  call: CallSite;
  /** Set on the last hop: the round trip itself. */
  io?: IoCall;
  /** Set on the other hops: the project function called, and the rest of the chain. */
  callee?: { name: string; sourceFile: ts.SourceFile; node: FunctionNode };
  next?: IoWitness;
}

interface Summary {
  sequential: IoWitness | undefined;
  concurrent: IoWitness | undefined;
}

interface Generation {
  summaries: Map<ts.Node, Summary>;
  /** By function, the files its summary was computed from. */
  reads: Map<ts.Node, ReadonlySet<string>>;
}

/** Where a call leads once other files are looked at: a round trip, a project function, or unknown. */
export function callTarget(facts: ProjectFacts, sourceFile: ts.SourceFile, call: CallSite): CallTarget | undefined {
  return facts.acrossFiles(
    `io-target:${sourceFile.fileName}:${call.pos}:${call.end}`,
    () => {
      const resolved = resolveAcrossFiles(facts, localTarget(facts, sourceFile, call), call);
      // A project function used as a template tag is left alone: the summaries bind a call's arguments to its parameters.
      if (ts.isTaggedTemplateExpression(call)) return resolved?.kind === 'function' ? undefined : resolved;
      return resolved?.kind === 'io' || resolved?.kind === 'function' ? resolved : (outboundTarget(facts, call) ?? resolved);
    },
    sourceFile,
  );
}

/**
 * HTTP and RPC clients (fetch, axios, got, ky, undici, node:http, gRPC) come from the
 * outbound-call recogniser missing-timeout uses, without the type checker: summaries
 * stay syntactic so that a whole-workspace run never rebuilds a program per file.
 */
function outboundTarget(facts: ProjectFacts, call: ts.CallExpression): CallTarget | undefined {
  const outbound = recognizeOutboundCall(call, { facts, customClasses: new Set(), customFunctions: new Set(), customMethods: new Map() });
  if (!outbound || outbound.client === 'custom') return undefined;
  // A request that already carries a list of keys (`where: { id: { in: ids } }`) loads one group at once.
  return { kind: 'io', io: { kind: outbound.client === 'grpc' ? 'RPC call' : 'HTTP request', batching: argumentsLoadAList(call) ? 'list' : 'none' } };
}

function importsPayload(facts: ProjectFacts, sourceFile: ts.SourceFile): boolean {
  return [...importBindings(facts, sourceFile).values()].some((binding) => binding.module === 'payload');
}

/**
 * The chain by which `call` performs I/O when issued in `mode`, or undefined. Calls that
 * load a whole list of keys never count; Prisma's same-tick batched calls count only
 * when issued one after another.
 */
export function callIo(facts: ProjectFacts, sourceFile: ts.SourceFile, call: CallSite, mode: IssueMode): IoWitness | undefined {
  const target = callTarget(facts, sourceFile, call);
  if (!target) return undefined;
  if (target.kind === 'io') return counts(target.io.batching, mode) ? { sourceFile, call, io: target.io } : undefined;
  if (target.kind === 'opaque') {
    const shaped = ts.isCallExpression(call)
      ? (classifyPrismaShapedCall(call, target.declaredAsync === true) ?? classifyPayloadShapedCall(call, () => importsPayload(facts, sourceFile)))
      : undefined;
    return shaped && counts(shaped.batching, mode) ? { sourceFile, call, io: shaped } : undefined;
  }
  const next = functionIo(facts, target.sourceFile, target.node)[mode];
  return next && { sourceFile, call, callee: { name: target.name, sourceFile: target.sourceFile, node: target.node }, next };
}

/** Whether calling a project function performs I/O, per mode, with the chain that shows it. */
export function functionIo(facts: ProjectFacts, sourceFile: ts.SourceFile, node: ts.Node): Summary {
  const generation = generationOf(facts);
  if (!generation.summaries.has(node)) computeClosure(facts, generation, sourceFile, node);
  facts.noteReads(generation.reads.get(node)!);
  return generation.summaries.get(node)!;
}

/** The calls a function makes, its callbacks' included, in source order. */
export function functionCalls(facts: ProjectFacts, sourceFile: ts.SourceFile, node: ts.Node): readonly CallSite[] {
  return callsByFunction(facts, sourceFile).get(node) ?? [];
}

function counts(batching: Batching, mode: IssueMode): boolean {
  return batching === 'none' || (batching === 'sameTick' && mode === 'sequential');
}

function generationOf(facts: ProjectFacts): Generation {
  return facts.generationStore('io-summaries', () => ({ summaries: new Map(), reads: new Map() }));
}

/**
 * Calls made by each function of a file; calls in anonymous callbacks count for the
 * function around them. A walk of its own, needed only once a summary asks for a function
 * of the file: rules find their calls in the analyser's walk.
 */
function callsByFunction(facts: ProjectFacts, sourceFile: ts.SourceFile): ReadonlyMap<ts.Node, CallSite[]> {
  return facts.perFile(sourceFile, 'io-calls', () => collectCalls(sourceFile));
}

function localTarget(facts: ProjectFacts, sourceFile: ts.SourceFile, call: CallSite): LocalTarget | undefined {
  const targets = facts.perFile(sourceFile, 'io-local-targets', () => new Map<CallSite, LocalTarget | undefined>());
  if (targets.has(call)) return targets.get(call);
  const target = localCallTarget(facts, sourceFile, call);
  targets.set(call, target);
  return target;
}

/**
 * One walk of the file with an explicit stack, attributing each call to its owning function.
 * Calls a function makes only to fill a store it answers from later are left out (readThroughCache.ts).
 */
function collectCalls(sourceFile: ts.SourceFile): Map<ts.Node, CallSite[]> {
  const calls = new Map<ts.Node, CallSite[]>();
  const stores = new Map<ts.Node, Set<string>>();
  // Two stacks and one callback for the whole walk: this runs over every node of every file.
  const nodes: ts.Node[] = [sourceFile];
  const owners: ts.Node[] = [sourceFile];
  let ownerHere: ts.Node = sourceFile;
  const push = (child: ts.Node) => {
    nodes.push(child);
    owners.push(ownerHere);
  };
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const owner = owners.pop()!;
    ownerHere = node !== sourceFile && isSummaryOwner(node) ? node : owner;
    if (isCallSite(node)) {
      let list = calls.get(ownerHere);
      if (!list) calls.set(ownerHere, (list = []));
      list.push(node);
    }
    const store = storeWritten(node);
    if (store !== undefined) {
      let written = stores.get(ownerHere);
      if (!written) stores.set(ownerHere, (written = new Set()));
      written.add(store);
    }
    node.forEachChild(push);
  }
  for (const [owner, written] of stores) {
    const list = calls.get(owner);
    if (!list) continue;
    const lasting = lastingStores(owner, written);
    if (lasting.size > 0) calls.set(owner, list.filter((call) => !behindReadThroughCache(call, owner, lasting)));
  }
  for (const list of calls.values()) list.sort((a, b) => a.pos - b.pos);
  return calls;
}

/**
 * Functions that are reached by name (declarations, methods, functions stored in a
 * variable or property) own their calls; callbacks roll up into them because they run
 * when the owner runs. DataLoader batch functions run later, batched: they own theirs. So
 * does a function handed back to the caller (`makeHook(slug)` returning the hook): it runs
 * when the hook runs, not when it is made.
 */
function isSummaryOwner(node: ts.Node): boolean {
  if (isNamedFunction(node)) return true;
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  const parent = node.parent;
  // Handed back by a named function. One a callback returns (`TE.chainW(() => () => run())`), or
  // a function declared to return a fp-ts Task, runs in the pipeline it is part of.
  const maker = returningFunction(node);
  if (maker && isNamedFunction(maker) && !returnsTask(maker)) return true;
  // Kept for later: `hooks.push(async () => …)`, `afterChange: [async () => …]`.
  if (ts.isArrayLiteralExpression(parent) || (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && STORING_METHODS.has(parent.expression.name.text))) return true;
  return ts.isNewExpression(parent) && /DataLoader$/i.test(parent.expression.getText());
}

const STORING_METHODS = new Set(['push', 'unshift']);

/** Declarations, methods, and functions stored in a variable or property. */
function isNamedFunction(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isAccessor(node)) return true;
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  const parent = node.parent;
  return ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isExportAssignment(parent);
}

/** `(): T.Task<Report> =>`, `: TE.TaskEither<E, A>`: a lazy computation its caller runs as part of its own. */
function returnsTask(fn: FunctionLike): boolean {
  const type = fn.type;
  return type !== undefined && ts.isTypeReferenceNode(type) && /^(?:Reader)?Task(?:Either|Option|These)?$/.test(ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text);
}

interface TarjanFrame {
  node: ts.Node;
  sourceFile: ts.SourceFile;
  calls: readonly CallSite[];
  next: number;
  index: number;
  lowlink: number;
}

/** Tarjan's SCC algorithm, iteratively, from `root` over the calls the summaries resolve. */
function computeClosure(facts: ProjectFacts, generation: Generation, rootFile: ts.SourceFile, root: ts.Node): void {
  const indexOf = new Map<ts.Node, TarjanFrame>();
  const sccStack: TarjanFrame[] = [];
  const onStack = new Set<ts.Node>();
  const callStack: TarjanFrame[] = [];
  let counter = 0;
  const enter = (node: ts.Node, sourceFile: ts.SourceFile) => {
    const calls = functionCalls(facts, sourceFile, node);
    const frame: TarjanFrame = { node, sourceFile, calls, next: 0, index: counter, lowlink: counter };
    counter++;
    indexOf.set(node, frame);
    sccStack.push(frame);
    onStack.add(node);
    callStack.push(frame);
  };
  enter(root, rootFile);
  while (callStack.length > 0) {
    const frame = callStack[callStack.length - 1]!;
    if (frame.next < frame.calls.length) {
      const call = frame.calls[frame.next++]!;
      const target = callTarget(facts, frame.sourceFile, call);
      if (target?.kind !== 'function' || generation.summaries.has(target.node)) continue;
      const seen = indexOf.get(target.node);
      if (!seen) enter(target.node, target.sourceFile);
      else if (onStack.has(target.node)) frame.lowlink = Math.min(frame.lowlink, seen.index);
      continue;
    }
    callStack.pop();
    const parent = callStack[callStack.length - 1];
    if (parent) parent.lowlink = Math.min(parent.lowlink, frame.lowlink);
    if (frame.lowlink !== frame.index) continue;
    const component: TarjanFrame[] = [];
    for (;;) {
      const member = sccStack.pop()!;
      onStack.delete(member.node);
      component.push(member);
      if (member === frame) break;
    }
    const { reads } = facts.tracked(() => {
      // The members' calls again (memoised): their files are among what the summaries read.
      for (const member of component) functionCalls(facts, member.sourceFile, member.node);
      summariseComponent(facts, generation, component);
    });
    for (const member of component) generation.reads.set(member.node, reads);
  }
}

/**
 * Every function of a strongly connected component reaches the same calls, so each gets
 * a witness once any member has one: first from its own calls (in source order), then by
 * spreading along the component's internal edges, breadth first.
 */
function summariseComponent(facts: ProjectFacts, generation: Generation, component: TarjanFrame[]): void {
  const members = new Set(component.map((f) => f.node));
  const summaries = new Map<ts.Node, Summary>(component.map((f) => [f.node, { sequential: undefined, concurrent: undefined }]));
  const internalCallers = new Map<ts.Node, { frame: TarjanFrame; call: CallSite; target: CallTarget & { kind: 'function' } }[]>();
  for (const frame of component) {
    const summary = summaries.get(frame.node)!;
    for (const call of frame.calls) {
      const target = callTarget(facts, frame.sourceFile, call);
      if (target?.kind === 'function' && members.has(target.node)) {
        const list = internalCallers.get(target.node) ?? [];
        list.push({ frame, call, target });
        internalCallers.set(target.node, list);
        continue;
      }
      summary.sequential ??= callIo(facts, frame.sourceFile, call, 'sequential');
      summary.concurrent ??= callIo(facts, frame.sourceFile, call, 'concurrent');
    }
  }
  for (const mode of ['sequential', 'concurrent'] as const) {
    const queue = component.filter((f) => summaries.get(f.node)![mode]).map((f) => f.node);
    for (let head = 0; head < queue.length; head++) {
      const callee = queue[head]!;
      const calleeWitness = summaries.get(callee)![mode]!;
      for (const { frame, call, target } of internalCallers.get(callee) ?? []) {
        const summary = summaries.get(frame.node)!;
        if (summary[mode]) continue;
        summary[mode] = { sourceFile: frame.sourceFile, call, callee: { name: target.name, sourceFile: target.sourceFile, node: target.node }, next: calleeWitness };
        queue.push(frame.node);
      }
    }
  }
  for (const [node, summary] of summaries) generation.summaries.set(node, summary);
}

/** The hops of a witness, first to last. */
export function witnessHops(witness: IoWitness): IoWitness[] {
  const hops: IoWitness[] = [];
  for (let hop: IoWitness | undefined = witness; hop; hop = hop.next) hops.push(hop);
  return hops;
}
