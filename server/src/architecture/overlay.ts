import { comparePositions, type Finding, type Position, type Range, type Severity } from '../engine/findings';
import type { ArchGraph, FindingSummary } from './model';

// Puts the engine's findings on the map: a finding inside the code that makes an edge
// (the call to the remote API, the query in a loop) marks that edge; any other finding
// marks the innermost node whose code contains it. Findings outside every node are not drawn.

const SEVERITY_ORDER: Severity[] = ['info', 'warning', 'error'];

export function overlayFindings(graph: ArchGraph, findings: readonly Finding[]): ArchGraph {
  const nodes = graph.nodes.map((node) => ({ ...node }));
  const edges = graph.edges.map((edge) => ({ ...edge }));
  for (const node of nodes) delete node.findings;
  for (const edge of edges) delete edge.findings;
  for (const finding of findings) {
    const edge = edges.find((e) => e.sites.some((site) => site.filePath === finding.filePath && contains(site.range, finding.range.start)));
    if (edge) {
      edge.findings = add(edge.findings, finding);
      continue;
    }
    let best: (typeof nodes)[number] | undefined;
    for (const node of nodes) {
      if (node.filePath !== finding.filePath || !node.range || !contains(node.range, finding.range.start)) continue;
      if (!best || size(node.range) < size(best.range!)) best = node;
    }
    if (best) best.findings = add(best.findings, finding);
  }
  return { nodes, edges };
}

export function mergeSummaries(summaries: readonly (FindingSummary | undefined)[]): FindingSummary | undefined {
  let merged: FindingSummary | undefined;
  for (const summary of summaries) {
    if (!summary) continue;
    merged ??= { total: 0, byRule: {}, severity: 'info' };
    merged.total += summary.total;
    for (const [rule, count] of Object.entries(summary.byRule)) merged.byRule[rule] = (merged.byRule[rule] ?? 0) + count;
    merged.severity = worse(merged.severity, summary.severity);
  }
  return merged;
}

function add(summary: FindingSummary | undefined, finding: Finding): FindingSummary {
  const next: FindingSummary = summary ? { ...summary, byRule: { ...summary.byRule } } : { total: 0, byRule: {}, severity: finding.severity };
  next.total += 1;
  next.byRule[finding.ruleId] = (next.byRule[finding.ruleId] ?? 0) + 1;
  next.severity = worse(next.severity, finding.severity);
  return next;
}

function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b;
}

function contains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) < 0;
}

/** Ranges compared by extent: lines first, then characters on the last line. */
function size(range: Range): number {
  return (range.end.line - range.start.line) * 1e6 + (range.end.character - range.start.character);
}
