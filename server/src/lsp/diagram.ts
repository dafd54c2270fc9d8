import * as path from 'node:path';
import { buildDiagram, mappedFiles, type Diagram } from '../architecture/diagram';
import { analyzeFile, type AnalyzerEnvironment } from '../engine/analyzer';
import type { Finding } from '../engine/findings';
import type { DiagramParams } from '../protocol';
import type { ArchitectureCache } from './architectureCache';

// The editor's architecture request: one graph over every workspace folder, with the
// findings the analyzer reports now (including unsaved editor text, which the workspaces
// hold as overlays): those published while they still describe the file's text (the
// workspace scan's, an open document's of its current version), a fresh analysis otherwise.
// Folders' names head the groups when there is more than one. The files' architecture
// comes from architectureCache.ts, so that a first diagram does not parse the workspace
// on the thread that answers typing.

/** `published` gives a file's findings as last published, undefined when they are not current. */
export async function computeDiagram(
  environments: readonly AnalyzerEnvironment[],
  params: DiagramParams,
  published: (file: string) => readonly Finding[] | undefined,
  cache: ArchitectureCache,
): Promise<Diagram> {
  const roots = environments.map((env) => env.workspace.root);
  const root = roots.length === 1 ? roots[0]! : commonAncestor(roots);
  const owner = (file: string) => environments.find((env) => file.startsWith(env.workspace.root + path.sep));
  const architectures = new Map(await Promise.all(environments.map(async (env) => [env, await cache.architectures(env)] as const)));
  const files = environments.flatMap((env) => mappedFiles(env.workspace, env.configs));
  return buildDiagram(
    { root, files, architectureOf: (file) => architectures.get(owner(file) ?? environments[0]!)?.(file) },
    (nodeFiles) => nodeFiles.flatMap((file) => {
      const env = owner(file);
      return published(file) ?? (env ? analyzeFile(env, file).findings : []);
    }),
    { ...(params.focus ? { focus: params.focus } : {}), ...(params.depth !== undefined ? { depth: params.depth } : {}) },
  );
}

function commonAncestor(paths: string[]): string {
  if (paths.length === 0) return path.parse(process.cwd()).root;
  let common = path.dirname(paths[0]!);
  for (const p of paths) while (common !== path.dirname(common) && !p.startsWith(common + path.sep)) common = path.dirname(common);
  return common;
}
