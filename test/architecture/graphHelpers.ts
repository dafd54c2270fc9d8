import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMappedFile } from '../../server/src/architecture/diagram';
import { extractArchitecture } from '../../server/src/architecture/extract';
import { workspaceArchitecture } from '../../server/src/architecture/fileArchitecture';
import type { ArchGraph } from '../../server/src/architecture/model';
import { Workspace } from '../../server/src/engine/workspace';

// Shared by the architecture tests: build graphs from fixture folders or temporary
// projects, and describe them as sorted strings that read like the diagram.

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test/architecture/fixtures');

export function extractFolder(root: string): { graph: ArchGraph; workspace: Workspace } {
  const workspace = new Workspace(root);
  const files = workspace.allFiles().filter((file) => isMappedFile(workspace, file));
  return { graph: extractArchitecture({ root, files, architectureOf: (file) => workspaceArchitecture(workspace, file)?.architecture }), workspace };
}

export function extractFixture(name: string): ArchGraph {
  return extractFolder(path.join(FIXTURES, name)).graph;
}

/** Writes files to a fresh temporary folder; returns its path. */
export function writeProject(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-arch-'));
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

export function extractProject(files: Record<string, string>): ArchGraph {
  const root = writeProject(files);
  try {
    return extractFolder(root).graph;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** 'kind label' per node, sorted. */
export function nodesOf(graph: ArchGraph): string[] {
  return graph.nodes.map((n) => `${n.kind} ${n.label}`).sort();
}

/** 'From -kind-> To' per edge (with ' [label]' when it has one), sorted. */
export function edgesOf(graph: ArchGraph): string[] {
  const label = new Map(graph.nodes.map((n) => [n.id, n.label]));
  return graph.edges.map((e) => `${label.get(e.from)} -${e.kind}-> ${label.get(e.to)}${e.label ? ` [${e.label}]` : ''}`).sort();
}

export function nodeNamed(graph: ArchGraph, label: string) {
  const node = graph.nodes.find((n) => n.label === label);
  if (!node) throw new Error(`no node labelled ${label}: ${nodesOf(graph).join(', ')}`);
  return node;
}
