import * as fs from 'node:fs';
import * as path from 'node:path';

// The files a scan of `root` covers, enumerated the way the engine's directory walk does
// (server/src/engine/workspace.ts): TypeScript sources, no declaration files, no build
// output, dependencies or hidden folders. The parse floor and the scan must cover the same
// files for their ratio to mean anything, so run.mjs checks both counts.

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', 'coverage', '.next', '.turbo']);
const SOURCE = /\.(?:[cm]?ts|tsx)$/;

export function sourceFilesUnder(root) {
  const files = [];
  const stack = [path.resolve(root)];
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) stack.push(path.join(dir, entry.name));
      } else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(path.join(dir, entry.name));
      }
    }
  }
  return files.sort();
}
