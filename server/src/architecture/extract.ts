import * as path from 'node:path';
import type { FileArchitecture } from './fileArchitecture';
import type { Candidate, ResourceRef, Use, UseTarget } from './fileFacts';
import { CODE_KINDS, RESOURCE_KINDS, type ArchEdge, type ArchGraph, type ArchNode, type CodeKind, type SourceLocation } from './model';
import { posixRelative } from '../engine/paths';

// Links what each file says into one graph: imports are followed to the declarations they
// name, injections and instances to the classes behind them, and every use that ends at a
// node or an external resource becomes an edge. Candidates that name no role become nodes
// only when they talk to a resource themselves ("role by use").

export interface ExtractionInput {
  /** Groups are folders relative to this. */
  root: string;
  /** The files to map (others are consulted to resolve imports, never drawn). */
  files: readonly string[];
  /** A file's architecture (fileArchitecture.ts); undefined when it cannot be analysed. */
  architectureOf(filePath: string): FileArchitecture | undefined;
}

type Resolved = { node: string } | { resource: ResourceRef };

const MAX_RESOLVE_DEPTH = 4;
const MAX_LABEL_ITEMS = 3;

export function extractArchitecture(input: ExtractionInput): ArchGraph {
  return new Linker(input).link();
}

class Linker {
  private readonly entries = new Map<string, FileArchitecture>();
  private readonly candidates = new Map<string, { candidate: Candidate; file: string }>();
  private readonly aliases = new Map<string, { file: string; target: UseTarget }>();
  private readonly mapped: Set<string>;

  constructor(private readonly input: ExtractionInput) {
    this.mapped = new Set(input.files);
  }

  link(): ArchGraph {
    for (const file of this.input.files) {
      const entry = this.entryOf(file);
      if (!entry) continue;
      for (const candidate of entry.facts.candidates) this.candidates.set(candidate.key, { candidate, file });
      for (const [name, target] of entry.facts.constructedProps) if (!this.aliases.has(name)) this.aliases.set(name, { file, target });
    }

    const resolvedUses: { use: Use; file: string; targets: Resolved[] }[] = [];
    for (const file of this.input.files) {
      const entry = this.entries.get(file);
      if (!entry) continue;
      for (const use of entry.facts.uses) resolvedUses.push({ use, file, targets: this.resolve(file, use.target, 0) });
    }

    const nodes = this.chooseNodes(resolvedUses);
    const containerOf = (use: Use, file: string): string | undefined => {
      if (nodes.has(use.container)) return use.container;
      const moduleKey = this.entries.get(file)!.facts.moduleKey;
      return nodes.has(moduleKey) ? moduleKey : undefined;
    };

    const resources = new Map<string, ResourceRef>();
    const edges = new Map<string, { from: string; to: string; kind: ArchEdge['kind']; labels: Set<string>; sites: SourceLocation[] }>();
    for (const { use, file, targets } of resolvedUses) {
      const from = containerOf(use, file);
      if (!from) continue;
      const site = { filePath: file, range: use.range };
      for (const target of targets) {
        let edge: { from: string; to: string; kind: ArchEdge['kind']; label?: string };
        if ('node' in target) {
          const to = nodes.has(target.node) ? target.node : this.moduleFallback(target.node, nodes);
          if (!to || to === from) continue;
          edge = { from, to, kind: use.via };
        } else {
          const ref = target.resource;
          if (!resources.has(ref.key)) resources.set(ref.key, ref);
          edge = ref.edge === 'consumes' ? { from: ref.key, to: from, kind: 'consumes' } : { from, to: ref.key, kind: ref.edge };
          if (ref.edgeLabel) edge.label = ref.edgeLabel;
        }
        const key = `${edge.from}|${edge.to}|${edge.kind}`;
        let entry = edges.get(key);
        if (!entry) edges.set(key, (entry = { from: edge.from, to: edge.to, kind: edge.kind, labels: new Set(), sites: [] }));
        if (edge.label) entry.labels.add(edge.label);
        entry.sites.push(site);
      }
    }
    return this.buildGraph(nodes, resources, [...edges.values()]);
  }

  // ---- resolution ------------------------------------------------------------------

  private entryOf(file: string): FileArchitecture | undefined {
    const existing = this.entries.get(file);
    if (existing) return existing;
    const entry = this.input.architectureOf(file);
    if (entry) this.entries.set(file, entry);
    return entry;
  }

  /** What a use reaches: a candidate (class, module, map) or a resource. */
  private resolve(file: string, target: UseTarget, depth: number): Resolved[] {
    if (depth > MAX_RESOLVE_DEPTH) return [];
    const entry = this.entryOf(file);
    if (!entry) return [];
    switch (target.type) {
      case 'resource':
        return [{ resource: target.ref }];
      case 'local':
        return this.resolveName(file, entry, target.name, depth);
      case 'alias': {
        const alias = this.aliases.get(target.name);
        return alias ? this.resolve(alias.file, alias.target, depth + 1) : [];
      }
      case 'import': {
        const imported = entry.imports.get(target.local);
        const targetEntry = imported && this.entryOf(imported.file);
        if (!imported || !targetEntry) return [];
        return imported.name === undefined ? [{ node: targetEntry.facts.moduleKey }] : this.resolveName(imported.file, targetEntry, imported.name, depth + 1);
      }
    }
  }

  private resolveName(file: string, entry: FileArchitecture, name: string, depth: number): Resolved[] {
    const classKey = entry.facts.classes.get(name);
    if (classKey) return [{ node: classKey }];
    const variable = entry.facts.variables.get(name);
    if (variable && 'resources' in variable) return variable.resources.map((resource) => ({ resource }));
    if (variable && 'instanceOf' in variable) return this.resolve(file, variable.instanceOf, depth + 1);
    return [{ node: entry.facts.moduleKey }];
  }

  // ---- nodes -----------------------------------------------------------------------

  /** Candidates that are drawn: named roles, plus the ones that use a resource themselves. */
  private chooseNodes(resolvedUses: { use: Use; file: string; targets: Resolved[] }[]): Map<string, CodeKind> {
    const resourceKinds = new Map<string, Set<string>>();
    const note = (key: string, kind: string) => {
      const set = resourceKinds.get(key) ?? new Set<string>();
      set.add(kind);
      resourceKinds.set(key, set);
    };
    for (const { use, file, targets } of resolvedUses) {
      for (const target of targets) {
        if (!('resource' in target)) continue;
        const owner = this.candidates.get(use.container)?.candidate;
        const consuming = target.resource.edge === 'consumes' ? 'consumes' : target.resource.kind;
        if (owner && !owner.plumbing) note(owner.key, consuming);
        else note(this.entries.get(file)!.facts.moduleKey, consuming);
      }
    }
    const nodes = new Map<string, CodeKind>();
    for (const { candidate, file } of this.candidates.values()) {
      if (candidate.plumbing || !this.mapped.has(file)) continue;
      const kind = candidate.kind ?? kindByUse(resourceKinds.get(candidate.key));
      if (kind) nodes.set(candidate.key, kind);
    }
    // A class that is not drawn hands its resources to its module.
    for (const { candidate, file } of this.candidates.values()) {
      if (nodes.has(candidate.key) || !resourceKinds.has(candidate.key)) continue;
      const moduleKey = this.entries.get(file)!.facts.moduleKey;
      if (nodes.has(moduleKey)) continue;
      for (const kind of resourceKinds.get(candidate.key)!) note(moduleKey, kind);
      const kind = kindByUse(resourceKinds.get(moduleKey));
      if (kind && this.mapped.has(file)) nodes.set(moduleKey, kind);
    }
    return nodes;
  }

  /** A class that is not drawn is reached through its module, when that is drawn. */
  private moduleFallback(key: string, nodes: Map<string, CodeKind>): string | undefined {
    const found = this.candidates.get(key);
    const moduleKey = found && this.entries.get(found.file)?.facts.moduleKey;
    return moduleKey && nodes.has(moduleKey) ? moduleKey : undefined;
  }

  private buildGraph(
    nodeKinds: Map<string, CodeKind>,
    resources: Map<string, ResourceRef>,
    edges: { from: string; to: string; kind: ArchEdge['kind']; labels: Set<string>; sites: SourceLocation[] }[],
  ): ArchGraph {
    const drafts: (Omit<ArchNode, 'id'> & { key: string })[] = [];
    for (const [key, kind] of nodeKinds) {
      const { candidate, file } = this.candidates.get(key)!;
      drafts.push({
        key, kind, label: candidate.name, filePath: file, range: candidate.range,
        group: groupOf(this.input.root, file),
        ...(candidate.detail ? { detail: candidate.detail } : {}),
      });
    }
    for (const ref of resources.values()) {
      drafts.push({ key: ref.key, kind: ref.kind, label: ref.label, group: '', ...(ref.detail ? { detail: ref.detail } : {}) });
    }
    const order = [...CODE_KINDS, ...RESOURCE_KINDS] as string[];
    drafts.sort((a, b) => a.group.localeCompare(b.group) || order.indexOf(a.kind) - order.indexOf(b.kind) || a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
    const ids = new Map<string, string>();
    const nodes: ArchNode[] = drafts.map(({ key, ...node }, index) => {
      ids.set(key, `n${index + 1}`);
      return { id: `n${index + 1}`, ...node };
    });
    const archEdges: ArchEdge[] = edges
      .filter((e) => ids.has(e.from) && ids.has(e.to))
      .map((e) => ({ from: ids.get(e.from)!, to: ids.get(e.to)!, kind: e.kind, label: joinLabels(e.labels), sites: e.sites }))
      .sort((a, b) => Number(a.from.slice(1)) - Number(b.from.slice(1)) || Number(a.to.slice(1)) - Number(b.to.slice(1)) || a.kind.localeCompare(b.kind));
    return { nodes, edges: archEdges };
  }
}

function kindByUse(kinds: Set<string> | undefined): CodeKind | undefined {
  if (!kinds || kinds.size === 0) return undefined;
  const all = [...kinds];
  if (all.every((k) => k === 'database')) return 'repository';
  if (all.every((k) => k === 'remote-api' || k === 'grpc')) return 'client';
  if (all.every((k) => k === 'consumes')) return 'worker';
  return 'service';
}

export function groupOf(root: string, file: string): string {
  const relative = posixRelative(root, path.dirname(file));
  return relative === '' ? '.' : relative;
}

function joinLabels(labels: Set<string>): string {
  const all = [...labels].sort();
  return all.length <= MAX_LABEL_ITEMS ? all.join(', ') : `${all.slice(0, MAX_LABEL_ITEMS).join(', ')} +${all.length - MAX_LABEL_ITEMS}`;
}
