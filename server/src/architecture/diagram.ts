import { isFileIncluded, type ConfigResolver } from '../engine/config';
import type { Finding } from '../engine/findings';
import { posixRelative } from '../engine/paths';
import type { Workspace } from '../engine/workspace';
import { extractArchitecture, type ExtractionInput } from './extract';
import type { ArchGraph } from './model';
import { renderMermaid } from './mermaid';
import { overlayFindings } from './overlay';
import { shapeView, type ViewOptions } from './view';

// One entry point for the CLI and the language server: extract, put findings on the map,
// shape it for reading, render it. Findings are asked for only for the files that hold a
// node, since findings elsewhere cannot be drawn.

export interface Diagram {
  graph: ArchGraph;
  mermaid: string;
  /** For the user: nothing detected, focus not found, folders collapsed. */
  message?: string;
  /** Size of the full graph before focus and collapsing. */
  totals: { files: number; nodes: number; edges: number };
}

/** Besides tests (testFiles.ts): mocks and stories stand in for services and would double them. */
const STAND_IN = /(?:^|\/)mocks?\/|\.stories\.[cm]?tsx?$/;

/** Tests (as the rules judge them), mocks and stories are not the architecture. */
export function isMappedFile(workspace: Workspace, file: string): boolean {
  return !workspace.isTestFile(file) && !STAND_IN.test(posixRelative(workspace.root, file));
}

/** The files a diagram maps: of `candidates` (default: all the workspace's), those isMappedFile takes and the configuration includes. */
export function mappedFiles(workspace: Workspace, configs: ConfigResolver, candidates: readonly string[] = workspace.allFiles()): string[] {
  return candidates.filter((file) => isMappedFile(workspace, file) && isFileIncluded(configs.forFile(file), file));
}

export function buildDiagram(input: ExtractionInput, findingsFor: (files: string[]) => Finding[], options: ViewOptions = {}): Diagram {
  const extracted = extractArchitecture(input);
  const nodeFiles = [...new Set(extracted.nodes.flatMap((n) => (n.filePath ? [n.filePath] : [])))].sort();
  const withFindings = overlayFindings(extracted, findingsFor(nodeFiles));
  const totals = { files: input.files.length, nodes: extracted.nodes.length, edges: extracted.edges.length };
  if (extracted.nodes.length === 0) {
    return {
      graph: extracted,
      mermaid: renderMermaid(extracted),
      message: `No services, controllers, resolvers or external resources were detected in ${input.files.length} file(s).`,
      totals,
    };
  }
  const view = shapeView(withFindings, options);
  return { graph: view.graph, mermaid: renderMermaid(view.graph), ...(view.message ? { message: view.message } : {}), totals };
}
