import { mergeSummaries } from './overlay';
import { CODE_KINDS, isResourceKind, type ArchEdge, type ArchGraph, type ArchNode, type CodeKind } from './model';

// Makes a graph readable: a focus keeps one service and what lies within `depth` steps of
// it; past `maxNodes`, folders collapse into one node each, biggest first, and then into
// their parent folders, until the diagram fits. External resources are never collapsed:
// they are what people look for.

export interface ViewOptions {
  /** A node's label (exact, else unique substring, case-insensitive) or id. */
  focus?: string;
  /** Steps from the focus, following edges both ways. Default 1. */
  depth?: number;
  /** Code nodes drawn before folders collapse. Default 40. */
  maxNodes?: number;
}

export interface View {
  graph: ArchGraph;
  /** Why the view is empty or reduced, for the user. */
  message?: string;
  collapsedGroups: number;
}

export const DEFAULT_MAX_NODES = 40;
export const DEFAULT_DEPTH = 1;

export function shapeView(graph: ArchGraph, options: ViewOptions = {}): View {
  let current = graph;
  let message: string | undefined;
  if (options.focus !== undefined && options.focus.trim() !== '') {
    const focused = focusOn(graph, options.focus.trim(), Math.max(0, options.depth ?? DEFAULT_DEPTH));
    if ('error' in focused) return { graph: { nodes: [], edges: [] }, message: focused.error, collapsedGroups: 0 };
    current = focused.graph;
  }
  const { graph: collapsed, count } = collapse(current, Math.max(1, options.maxNodes ?? DEFAULT_MAX_NODES));
  if (count > 0) message = `${count} folder(s) are collapsed to keep the diagram readable; focus on a service to see its neighbourhood.`;
  return { graph: collapsed, collapsedGroups: count, ...(message ? { message } : {}) };
}

function focusOn(graph: ArchGraph, focus: string, depth: number): { graph: ArchGraph } | { error: string } {
  const wanted = focus.toLowerCase();
  let starts = graph.nodes.filter((n) => n.id === focus || n.label.toLowerCase() === wanted);
  if (starts.length === 0) starts = graph.nodes.filter((n) => n.label.toLowerCase().includes(wanted));
  if (starts.length === 0) return { error: `No node matches "${focus}".` };
  const keep = new Set(starts.map((n) => n.id));
  let frontier = [...keep];
  for (let step = 0; step < depth && frontier.length > 0; step++) {
    const next: string[] = [];
    for (const edge of graph.edges) {
      for (const [a, b] of [[edge.from, edge.to], [edge.to, edge.from]] as const) {
        if (frontier.includes(a) && !keep.has(b)) {
          keep.add(b);
          next.push(b);
        }
      }
    }
    frontier = next;
  }
  return {
    graph: {
      nodes: graph.nodes.filter((n) => keep.has(n.id)),
      edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
    },
  };
}

/** Collapses folders until at most `maxNodes` code nodes remain (or every folder is collapsed at the top). */
function collapse(graph: ArchGraph, maxNodes: number): { graph: ArchGraph; count: number } {
  const code = graph.nodes.filter((n) => !isResourceKind(n.kind));
  if (code.length <= maxNodes) return { graph, count: 0 };
  const deepest = Math.max(...code.map((n) => segments(n.group).length));
  for (let level = deepest; level >= 1; level--) {
    const groups = new Map<string, ArchNode[]>();
    for (const node of code) {
      const key = segments(node.group).slice(0, level).join('/') || '.';
      groups.set(key, [...(groups.get(key) ?? []), node]);
    }
    const collapsed = new Set<string>();
    let count = code.length;
    const bySize = [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    for (const [key, members] of bySize) {
      if (count <= maxNodes || members.length < 2) break;
      collapsed.add(key);
      count -= members.length - 1;
    }
    if (count <= maxNodes || level === 1) return { graph: applyCollapse(graph, groups, collapsed), count: collapsed.size };
  }
  return { graph, count: 0 };
}

function applyCollapse(graph: ArchGraph, groups: Map<string, ArchNode[]>, collapsed: Set<string>): ArchGraph {
  const replacement = new Map<string, string>();
  const nodes: ArchNode[] = [];
  let index = 0;
  const groupNodes: ArchNode[] = [];
  for (const [key, members] of groups) {
    if (!collapsed.has(key)) continue;
    const id = `c${++index}`;
    for (const member of members) replacement.set(member.id, id);
    const findings = mergeSummaries(members.map((m) => m.findings));
    groupNodes.push({
      id, kind: dominantKind(members), label: key, group: parentOf(key), members: members.length,
      detail: describeMembers(members),
      ...(findings ? { findings } : {}),
    });
  }
  for (const node of graph.nodes) if (!replacement.has(node.id)) nodes.push(node);
  nodes.push(...groupNodes);

  const groupById = new Map(groupNodes.map((node) => [node.id, node]));
  const merged = new Map<string, ArchEdge>();
  for (const edge of graph.edges) {
    const from = replacement.get(edge.from) ?? edge.from;
    const to = replacement.get(edge.to) ?? edge.to;
    if (from === to) {
      // An edge inside a group is not drawn; its findings stay on the map, on the group.
      const group = groupById.get(from);
      const findings = group && mergeSummaries([group.findings, edge.findings]);
      if (group && findings) group.findings = findings;
      continue;
    }
    const key = `${from}|${to}|${edge.kind}`;
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { ...edge, from, to, sites: [...edge.sites] });
      continue;
    }
    existing.sites.push(...edge.sites);
    existing.label = mergeLabels(existing.label, edge.label);
    const findings = mergeSummaries([existing.findings, edge.findings]);
    if (findings) existing.findings = findings;
  }
  return { nodes, edges: [...merged.values()] };
}

function dominantKind(members: ArchNode[]): CodeKind {
  const counts = new Map<CodeKind, number>();
  for (const m of members) if (!isResourceKind(m.kind)) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || CODE_KINDS.indexOf(a[0]) - CODE_KINDS.indexOf(b[0]))[0]?.[0] ?? 'service';
}

function describeMembers(members: ArchNode[]): string {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n} ${n === 1 ? kind : plural(kind)}`).join(', ');
}

function plural(kind: string): string {
  return kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
}

function mergeLabels(a: string, b: string): string {
  const parts = new Set([...a.split(', '), ...b.split(', ')].filter(Boolean));
  const all = [...parts].sort();
  return all.length <= 3 ? all.join(', ') : `${all.slice(0, 3).join(', ')} +${all.length - 3}`;
}

function segments(group: string): string[] {
  return group === '.' || group === '' ? [] : group.split('/');
}

function parentOf(group: string): string {
  const parts = segments(group);
  return parts.length <= 1 ? '.' : parts.slice(0, -1).join('/');
}
