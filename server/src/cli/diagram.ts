import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildDiagram, mappedFiles } from '../architecture/diagram';
import { renderMarkdown } from '../architecture/mermaid';
import { workspaceArchitecture } from '../architecture/fileArchitecture';
import { analyzeFile } from '../engine/analyzer';
import { ConfigResolver } from '../engine/config';
import { normalizePath, Workspace } from '../engine/workspace';
import { allRules } from '../rules';
import { explicitConfigProblem, wholeNumber, writeOutputFile } from './commandLine';
import { posixRelative } from '../engine/paths';

// `resilint diagram [path]`: the architecture map the editor shows, for READMEs and CI.

export const DIAGRAM_USAGE = `Usage: resilint diagram [path] [options]

Options:
  --format mermaid|markdown|json   output format (default: mermaid)
  --focus NAME                     only NAME (a class, file, host or queue) and its neighbours
  --depth N                        how many steps around --focus (default: 1)
  --max-nodes N                    collapse folders beyond N code nodes (default: 40)
  --output FILE                    write the diagram to FILE
  --config FILE                    use this resilint.config.json for the findings shown on the map`;

const FORMATS = ['mermaid', 'markdown', 'json'] as const;

/** Returns the exit code: 0 done, 2 usage error. */
export function runDiagramCommand(argv: string[]): number {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'mermaid' },
        focus: { type: 'string' },
        depth: { type: 'string' },
        'max-nodes': { type: 'string' },
        output: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return usageError(`${(error as Error).message}\n${DIAGRAM_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(DIAGRAM_USAGE + '\n');
    return 0;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) return usageError(`unknown format '${values.format}' (expected ${FORMATS.join(', ')})`);
  if (positionals.length > 1) return usageError(`diagram takes one path\n${DIAGRAM_USAGE}`);
  const depth = wholeNumber(values.depth, '--depth');
  const maxNodes = wholeNumber(values['max-nodes'], '--max-nodes');
  if (typeof depth === 'object') return usageError(depth.problem);
  if (typeof maxNodes === 'object') return usageError(maxNodes.problem);
  const target = normalizePath(positionals[0] ?? '.');
  if (!fs.existsSync(target)) return usageError(`path not found: ${target}`);
  const configProblem = explicitConfigProblem(values.config);
  if (configProblem) return usageError(configProblem);

  const root = fs.statSync(target).isDirectory() ? target : path.dirname(target);
  const workspace = new Workspace(root);
  const configs = new ConfigResolver(root, values.config);
  const files = mappedFiles(workspace, configs, fs.statSync(target).isFile() ? [target] : workspace.allFiles());
  const diagram = buildDiagram(
    { root, files, architectureOf: (file) => workspaceArchitecture(workspace, file)?.architecture },
    (nodeFiles) => nodeFiles.flatMap((file) => analyzeFile({ workspace, configs, rules: allRules, fixes: false }, file).findings),
    { ...(values.focus !== undefined ? { focus: values.focus } : {}), ...(depth !== undefined ? { depth } : {}), ...(maxNodes !== undefined ? { maxNodes } : {}) },
  );
  const text =
    format === 'json' ? JSON.stringify({ ...diagram, graph: relativeGraph(diagram.graph, root) }, null, 2) + '\n'
    : format === 'markdown' ? renderMarkdown(diagram.graph)
    : diagram.mermaid;
  if (diagram.message) process.stderr.write(`resilint: ${diagram.message}\n`);
  if (values.output) {
    const writeProblem = writeOutputFile(values.output, text);
    if (writeProblem) return usageError(writeProblem);
    process.stdout.write(`resilint: diagram with ${diagram.graph.nodes.length} node(s) and ${diagram.graph.edges.length} edge(s) written to ${values.output}\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

/** Paths in JSON output are relative to the analysed folder, so reports do not leak machine paths. */
function relativeGraph<T extends { nodes: { filePath?: string }[]; edges: { sites: { filePath: string }[] }[] }>(graph: T, root: string): T {
  const rel = (file: string) => posixRelative(root, file);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.filePath ? { ...n, filePath: rel(n.filePath) } : n)),
    edges: graph.edges.map((e) => ({ ...e, sites: e.sites.map((s) => ({ ...s, filePath: rel(s.filePath) })) })),
  };
}

function usageError(message: string): number {
  process.stderr.write(`resilint: ${message}\n`);
  return 2;
}
