import * as fs from 'node:fs';
import * as path from 'node:path';

// A monorepo's own packages (`packages/db`, named `@acme/db`), imported by name from its
// other packages. TypeScript finds them only through node_modules: before an install not
// at all, and after one as "external libraries" behind a symbolic link. Either way the
// summaries would stop at the package's name. Here a name is mapped to the package's
// folder, and a specifier (`@acme/db`, `@acme/db/queries`) to the source file its
// package.json points at (`exports`, else `types`/`main`/`module`), as the package's own
// code, so that calls into it are followed like calls into any project file.

/** Conditions tried in `exports`, source-most first. */
const CONDITIONS = ['types', 'typescript', 'source', 'import', 'module', 'node', 'require', 'default'];

export interface PackageTarget {
  /** The package's folder. */
  dir: string;
  /** Paths relative to `dir` to try in turn (`./src/queries/index.ts`, `./dist/index.js`). */
  candidates: string[];
}

/** A workspace package: its folder and its parsed package.json. */
export interface WorkspacePackage {
  dir: string;
  manifest: Record<string, unknown>;
}

/** Packages by name, from the package.json files found under the workspace (never in node_modules). */
export function packagesByName(manifests: readonly string[]): Map<string, WorkspacePackage> {
  const byName = new Map<string, WorkspacePackage>();
  for (const file of manifests) {
    const manifest = readManifest(file);
    const name = manifest?.['name'];
    if (typeof name === 'string' && !byName.has(name)) byName.set(name, { dir: path.dirname(file), manifest: manifest! });
  }
  return byName;
}

/** Where a bare specifier leads inside a workspace package, or undefined when it names none. */
export function packageTarget(specifier: string, packages: ReadonlyMap<string, WorkspacePackage>): PackageTarget | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const found = packages.get(parts.slice(0, nameLength).join('/'));
  if (found === undefined) return undefined;
  const { dir, manifest } = found;
  const subpath = ['.', ...parts.slice(nameLength)].join('/');
  const candidates: string[] = [];
  const exported = exportTarget(manifest['exports'], subpath);
  if (exported !== undefined) candidates.push(exported);
  if (subpath === '.') {
    for (const field of ['types', 'typings', 'main', 'module']) {
      const value = manifest[field];
      if (typeof value === 'string') candidates.push(value);
    }
    candidates.push('./src/index', './index');
  } else {
    candidates.push(subpath, `./src/${subpath.slice(2)}`);
  }
  // Build output that is not there before a build: its source under src/ instead.
  for (const candidate of [...candidates]) {
    const built = /^\.?\/?(?:dist|build|lib|out)\/(.*?)(?:\.d)?\.[cm]?[jt]sx?$/.exec(candidate);
    if (built) candidates.push(`./src/${built[1]}`);
  }
  return { dir, candidates: [...new Set(candidates.map((c) => (c.startsWith('.') ? c : `./${c}`)))] };
}

/** `exports` for a subpath: a string, a subpath map (with `./*` patterns), or conditions. */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (!exports || typeof exports !== 'object' || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  if (!keys.some((key) => key.startsWith('.'))) return subpath === '.' ? conditional(map) : undefined;
  if (subpath in map) return conditional(map[subpath]);
  // Of the `./*` patterns that match, the one with the longest prefix, as Node picks it.
  let best: { key: string; matched: string } | undefined;
  for (const key of keys) {
    const star = key.indexOf('*');
    if (star < 0 || !subpath.startsWith(key.slice(0, star)) || !subpath.endsWith(key.slice(star + 1)) || subpath.length < key.length - 1) continue;
    if (best && best.key.indexOf('*') >= star) continue;
    best = { key, matched: subpath.slice(star, subpath.length - (key.length - star - 1)) };
  }
  return best && conditional(map[best.key])?.split('*').join(best.matched);
}

function conditional(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object' || Array.isArray(value) || depth > 4) return undefined;
  const conditions = value as Record<string, unknown>;
  for (const condition of CONDITIONS) {
    const found = conditional(conditions[condition], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The packages a manifest depends on at run time: dependencies, peer and optional ones. */
export function manifestDependencies(manifest: Record<string, unknown> | undefined): string[] {
  return ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => {
    const listed = manifest?.[field];
    return typeof listed === 'object' && listed !== null ? Object.keys(listed) : [];
  });
}

/** A package.json as an object; undefined when it is missing or does not parse. */
export function readManifest(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // unreadable manifests name no package
  }
}
