import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';

// Folder contents read once per look at the workspace. Finding the tsconfig.json files,
// expanding each one's `include` globs, and finding the loose source files each walk the
// tree; a monorepo's tsconfigs overlap (medusa has 68), and TypeScript's own expansion
// also resolves the real path of every folder it enters. Short-lived on purpose: files
// appear and vanish while the editor runs, so a listing never outlives the look it serves.

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', 'coverage', '.next', '.turbo']);

interface Entries {
  /** Sorted names, symbolic links classified by their targets, as TypeScript lists them. */
  files: string[];
  directories: string[];
  /** Entries that are symbolic links, which walk() neither enters nor reports. */
  linked: Set<string>;
}

const NO_ENTRIES: Entries = { files: [], directories: [], linked: new Set() };

/** TypeScript's glob expansion (ts.sys.readDirectory's), internal but stable since 2.x; given our listing instead of its own reads. */
type MatchFiles = (
  path: string,
  extensions: readonly string[] | undefined,
  excludes: readonly string[] | undefined,
  includes: readonly string[] | undefined,
  useCaseSensitiveFileNames: boolean,
  currentDirectory: string,
  depth: number | undefined,
  getFileSystemEntries: (path: string) => { files: readonly string[]; directories: readonly string[] },
  realpath: (path: string) => string,
) => string[];

const matchFiles = (ts as unknown as { matchFiles?: MatchFiles }).matchFiles;

export class DirectoryListing {
  private readonly listed = new Map<string, Entries>();
  private readonly realPaths = new Map<string, string>();

  /** Visits `root` and the folders below it, iteratively, never through a symbolic link (so link loops cannot trap it), skipping build output, dependencies and dot-folders. */
  walk(root: string, visit: (dir: string, files: readonly string[]) => void): void {
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const { files, directories, linked } = this.entries(dir);
      visit(dir, linked.size === 0 ? files : files.filter((name) => !linked.has(name)));
      for (const name of directories) {
        if (!linked.has(name) && !SKIPPED_DIRS.has(name) && !name.startsWith('.')) stack.push(path.join(dir, name));
      }
    }
  }

  /** A tsconfig parse host whose glob expansion reads folders through this listing. */
  parseConfigHost(): ts.ParseConfigHost {
    if (!matchFiles) return ts.sys;
    return {
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: (root, extensions, excludes, includes, depth) =>
        matchFiles(root, extensions, excludes, includes, ts.sys.useCaseSensitiveFileNames, process.cwd(), depth, (dir) => this.entries(dir), (dir) => this.realpath(dir)),
    };
  }

  private entries(dir: string): Entries {
    const key = path.resolve(dir);
    let found = this.listed.get(key);
    if (!found) this.listed.set(key, (found = readEntries(key)));
    return found;
  }

  /** A folder's real path, from its parent's listing where that shows no symbolic link on the way: one system call per folder adds up over dozens of overlapping tsconfigs. */
  private realpath(dir: string): string {
    const key = path.resolve(dir);
    let real = this.realPaths.get(key);
    if (real === undefined) {
      const parent = path.dirname(key);
      const name = path.basename(key);
      const parentEntries = this.listed.get(parent);
      if (parent !== key && parentEntries && parentEntries.directories.includes(name) && !parentEntries.linked.has(name)) {
        real = path.join(this.realpath(parent), name);
      } else {
        try {
          real = fs.realpathSync.native(key);
        } catch {
          real = key;
        }
      }
      this.realPaths.set(key, real);
    }
    return real;
  }
}

function readEntries(dir: string): Entries {
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return NO_ENTRIES;
  }
  const files: string[] = [];
  const directories: string[] = [];
  const linked = new Set<string>();
  for (const dirent of dirents) {
    let kind: fs.Dirent | fs.Stats | undefined = dirent;
    if (dirent.isSymbolicLink()) {
      kind = statOrUndefined(path.join(dir, dirent.name));
      linked.add(dirent.name);
    }
    if (kind?.isFile()) files.push(dirent.name);
    else if (kind?.isDirectory()) directories.push(dirent.name);
  }
  files.sort();
  directories.sort();
  return { files, directories, linked };
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
