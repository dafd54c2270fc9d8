import type { ArchEdge, ArchGraph, ArchNode, FindingSummary, NodeKind } from './model';

// Mermaid text for an architecture graph. Everything that comes from user code (class and
// file names, hosts, queue names, routes) goes through `escapeLabel` and only ever appears
// inside a double-quoted label; ids are the generated n1/c1/g1. So a name such as
// `"]; click n1 call alert()` or `%%{init: …}%%` stays text, both for Mermaid's parser and
// for the HTML or SVG it produces.

const MAX_LABEL_CHARS = 60;

/**
 * Characters with a meaning to Mermaid's lexer, its directive (`%%{`) and style (`:…#…;`)
 * scanners, HTML, or Markdown strings (backticks). Others stay readable, which matters in
 * subgraph titles, where Mermaid shows entity codes as written.
 */
const ENTITY_CHARS = /[#"&<>`%;:[\]{}()|\\]/g;
const BREAKS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** Mermaid entity codes (`#60;`), which Mermaid turns into HTML character references, never into markup. */
export function escapeLabel(text: string): string {
  const flat = text.replace(BREAKS, ' ').trim();
  const short = [...flat].length > MAX_LABEL_CHARS ? [...flat].slice(0, MAX_LABEL_CHARS - 1).join('') + '…' : flat;
  return short.replace(ENTITY_CHARS, (ch) => `#${ch.codePointAt(0)};`);
}

const SHAPES: Record<NodeKind | 'group', [string, string]> = {
  service: ['["', '"]'],
  controller: ['(["', '"])'],
  resolver: ['{{"', '"}}'],
  repository: ['[/"', '"\\]'],
  client: ['("', '")'],
  worker: ['[\\"', '"/]'],
  database: ['[("', '")]'],
  cache: ['[("', '")]'],
  queue: ['>"', '"]'],
  'remote-api': ['[/"', '"/]'],
  grpc: ['[\\"', '"\\]'],
  group: ['[["', '"]]'],
};

const CLASS_STYLES: Record<NodeKind, string> = {
  service: 'fill:#dbeafe,stroke:#2563eb',
  controller: 'fill:#e0e7ff,stroke:#4f46e5',
  resolver: 'fill:#f3e8ff,stroke:#9333ea',
  repository: 'fill:#dcfce7,stroke:#16a34a',
  client: 'fill:#cffafe,stroke:#0891b2',
  worker: 'fill:#fef9c3,stroke:#ca8a04',
  database: 'fill:#d1fae5,stroke:#059669',
  cache: 'fill:#ffedd5,stroke:#ea580c',
  queue: 'fill:#fce7f3,stroke:#db2777',
  'remote-api': 'fill:#e5e7eb,stroke:#4b5563',
  grpc: 'fill:#ede9fe,stroke:#7c3aed',
};

const FINDING_STROKE = { error: '#dc2626', warning: '#d97706', info: '#2563eb' } as const;
const ASYNC_EDGES = new Set<ArchEdge['kind']>(['publishes', 'consumes']);

export function renderMermaid(graph: ArchGraph): string {
  const lines = ['flowchart LR'];
  if (graph.nodes.length === 0) {
    lines.push('  empty["No services, clients or external resources detected"]');
    return lines.join('\n') + '\n';
  }
  const groups = new Map<string, ArchNode[]>();
  const outside: ArchNode[] = [];
  for (const node of graph.nodes) {
    if (node.group === '') outside.push(node);
    else groups.set(node.group, [...(groups.get(node.group) ?? []), node]);
  }
  let groupIndex = 0;
  for (const [group, members] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`  subgraph g${++groupIndex}["${escapeLabel(group === '.' ? '(root)' : group)}"]`);
    for (const node of members) lines.push(`    ${nodeLine(node)}`);
    lines.push('  end');
  }
  for (const node of outside) lines.push(`  ${nodeLine(node)}`);

  const styled: string[] = [];
  graph.edges.forEach((edge, index) => {
    const text = edgeText(edge);
    const arrow = ASYNC_EDGES.has(edge.kind) ? '-.->' : edge.kind === 'injects' || edge.kind === 'calls' ? '-->' : '==>';
    lines.push(`  ${edge.from} ${arrow}${text ? `|"${text}"|` : ''} ${edge.to}`);
    if (edge.findings) styled.push(`  linkStyle ${index} stroke:${FINDING_STROKE[edge.findings.severity]},stroke-width:3px,color:${FINDING_STROKE[edge.findings.severity]}`);
  });
  lines.push(...styled);

  const used = new Set(graph.nodes.map((n) => n.kind));
  for (const kind of Object.keys(CLASS_STYLES) as NodeKind[]) {
    if (used.has(kind)) lines.push(`  classDef ${className(kind)} ${CLASS_STYLES[kind]},color:#111827`);
  }
  for (const severity of ['info', 'warning', 'error'] as const) {
    const ids = graph.nodes.filter((n) => n.findings?.severity === severity).map((n) => n.id);
    if (ids.length === 0) continue;
    lines.push(`  classDef finding_${severity} stroke:${FINDING_STROKE[severity]},stroke-width:3px`);
    lines.push(`  class ${ids.join(',')} finding_${severity}`);
  }
  return lines.join('\n') + '\n';
}

export function renderMarkdown(graph: ArchGraph): string {
  return '```mermaid\n' + renderMermaid(graph) + '```\n';
}

function nodeLine(node: ArchNode): string {
  const [open, close] = SHAPES[node.members ? 'group' : node.kind];
  const lines = [escapeLabel(node.label)];
  const second = node.members ? `${node.detail ?? ''}` : [node.kind, node.detail].filter(Boolean).join(' · ');
  if (second) lines.push(escapeLabel(second));
  if (node.findings) lines.push(escapeLabel(findingsText(node.findings)));
  return `${node.id}${open}${lines.join('<br/>')}${close}:::${className(node.kind)}`;
}

function edgeText(edge: ArchEdge): string {
  const parts: string[] = [];
  if (edge.label) parts.push(escapeLabel(edge.label));
  if (edge.findings) parts.push(escapeLabel(findingsText(edge.findings)));
  return parts.join('<br/>');
}

function findingsText(summary: FindingSummary): string {
  const rules = Object.entries(summary.byRule).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return `⚠ ${rules.map(([rule, count]) => `${rule} ×${count}`).join(', ')}`;
}

function className(kind: NodeKind): string {
  return `k_${kind.replace('-', '_')}`;
}
