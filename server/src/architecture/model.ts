import type { Range, Severity } from '../engine/findings';

// The architecture graph as plain data: the CLI prints it as JSON, the language server
// sends it to the editor, and the Mermaid renderer draws it. Ids are generated (n1, n2, …),
// never taken from user code, so a class named like Mermaid syntax cannot become syntax.

export const CODE_KINDS = ['service', 'controller', 'resolver', 'repository', 'client', 'worker'] as const;
export const RESOURCE_KINDS = ['database', 'cache', 'queue', 'remote-api', 'grpc'] as const;

export type CodeKind = (typeof CODE_KINDS)[number];
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export type NodeKind = CodeKind | ResourceKind;

/**
 * injects: constructor injection; calls: an import that is used; queries/caches/publishes/
 * consumes/http/grpc: talking to an external resource (consumes points from the queue).
 */
export type EdgeKind = 'injects' | 'calls' | 'queries' | 'caches' | 'publishes' | 'consumes' | 'http' | 'grpc';

export interface SourceLocation {
  filePath: string;
  range: Range;
}

export interface FindingSummary {
  total: number;
  /** ruleId → count. */
  byRule: Record<string, number>;
  /** The most severe finding's severity. */
  severity: Severity;
}

export interface ArchNode {
  id: string;
  kind: NodeKind;
  /** The name as written in the code (class, file, host, queue): escaped only when rendered. */
  label: string;
  /** A second line: routes, resolver fields, what a collapsed folder holds. */
  detail?: string;
  filePath?: string;
  range?: Range;
  /** Folder relative to the analysed root ('src/orders'); '' for external resources. */
  group: string;
  /** Set on a node standing for a collapsed folder: how many nodes it replaces. */
  members?: number;
  findings?: FindingSummary;
}

export interface ArchEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** What flows along the edge: entities, HTTP methods, topics; '' when nothing is known. */
  label: string;
  /** The code that makes the dependency (injection parameter, call): findings attach here. */
  sites: SourceLocation[];
  findings?: FindingSummary;
}

export interface ArchGraph {
  nodes: ArchNode[];
  edges: ArchEdge[];
}

export function isResourceKind(kind: NodeKind): kind is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(kind);
}
