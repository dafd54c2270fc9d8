import * as fs from 'node:fs';
import * as path from 'node:path';

// Tests run from out/test/patterns (transpiled) and are type-checked from test/patterns;
// both sit below the repository root, which holds package.json and the patterns folder.
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'patterns'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);
export const patternsDir = path.join(repoRoot, 'patterns');

/** Pattern names, from the files in patterns/. */
export function listPatternFiles(): string[] {
  return fs.readdirSync(patternsDir).filter((file) => file.endsWith('.ts')).sort();
}
