import { ts } from 'ts-morph';
import { resolveImportedDeclaration } from '../engine/imports';
import type { ProjectFacts } from '../engine/projectFacts';
import type { Workspace } from '../engine/workspace';
import { fileFactsOf, type FileFacts, type UseTarget } from './fileFacts';

// What extract.ts links for one file: its facts, and where the imports its uses name lead.
// Plain data, no syntax trees: the editor computes it for a whole folder on a worker
// thread and links it on the server's thread (lsp/architectureCache.ts).

/** Where an import leads: the declaration `name` of `file`, or the module itself when there is no name. */
export interface ImportTarget {
  file: string;
  name?: string;
}

export interface FileArchitecture {
  facts: Omit<FileFacts, 'imports'>;
  /** By local name, the imports the file's uses name; null: it leads to no declaration of the project. */
  imports: Map<string, ImportTarget | null>;
}

/** The file's architecture, from its facts (memoised with its tree) and the declarations its imports resolve to. */
export function architectureOf(project: ProjectFacts, sourceFile: ts.SourceFile): FileArchitecture {
  const { imports: bindings, ...facts } = project.perFile(sourceFile, 'architecture.fileFacts', () => fileFactsOf(sourceFile));
  const imports = new Map<string, ImportTarget | null>();
  for (const local of importedNames(facts)) {
    const binding = bindings.get(local);
    const declaration = binding && resolveImportedDeclaration(project, sourceFile, binding);
    imports.set(local, declaration ? { file: declaration.sourceFile.fileName, ...namedAs(declaration.node) } : null);
  }
  return { facts, imports };
}

/** An architecture with the files whose text it was computed from (see Memos.tracked): when one changes, it may. */
export interface TrackedArchitecture {
  architecture: FileArchitecture;
  reads: string[];
}

/** A workspace file's architecture; undefined when the file cannot be analysed. */
export function workspaceArchitecture(workspace: Workspace, file: string): TrackedArchitecture | undefined {
  const project = workspace.projectFor(file);
  const { value, reads } = project.tracked(() => {
    const sourceFile = project.getSourceFile(file);
    return sourceFile && architectureOf(project, sourceFile);
  });
  return value && { architecture: value, reads: [...reads] };
}

function importedNames(facts: FileArchitecture['facts']): Set<string> {
  const names = new Set<string>();
  const note = (target: UseTarget) => {
    if (target.type === 'import') names.add(target.local);
  };
  for (const use of facts.uses) note(use.target);
  for (const meaning of facts.variables.values()) if ('instanceOf' in meaning) note(meaning.instanceOf);
  for (const target of facts.constructedProps.values()) note(target);
  return names;
}

function namedAs(node: ts.Node): { name?: string } {
  if (ts.isSourceFile(node)) return {};
  const name = declaredName(node) ?? (ts.isIdentifier(node) ? node.text : undefined);
  return name === undefined ? {} : { name };
}

function declaredName(node: ts.Node): string | undefined {
  if ((ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node)) && node.name) return node.name.text;
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isBindingElement(node) && ts.isIdentifier(node.name)) return node.name.text;
  return undefined;
}
