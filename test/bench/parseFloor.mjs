import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { sourceFilesUnder } from './sourceFiles.mjs';

// The parse floor: what any TypeScript-aware tool must at least pay on a folder. Reads
// every source file, parses it with the `typescript` package (ts.createSourceFile, all
// defaults, parent pointers set) and walks every node. Run as its own process so that its
// wall time includes loading the compiler, like the scan it is compared with.
// Usage: node test/bench/parseFloor.mjs <dir> [--skip-tests MODULE]   → one JSON line on stdout.
// With --skip-tests, MODULE (the engine's testFiles.ts and paths.ts, bundled by run.mjs)
// names the tests, test helpers and fixtures the scan skips, and the floor leaves them out
// too: the floor of the files the scan analyses.

const require = createRequire(import.meta.url);
const ts = require('typescript');
const [root, flag, testPathsModule] = process.argv.slice(2);
if (!root || (flag !== undefined && (flag !== '--skip-tests' || !testPathsModule))) {
  process.stderr.write('usage: parseFloor.mjs <dir> [--skip-tests MODULE]\n');
  process.exit(2);
}
const engine = testPathsModule && require(path.resolve(testPathsModule));
const isSkipped = engine ? (file) => engine.isTestPath(engine.posixRelative(path.resolve(root), file)) : () => false;

let nodes = 0;
let lines = 0;
let bytes = 0;
const files = sourceFilesUnder(root).filter((file) => !isSkipped(file));
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  bytes += text.length;
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  lines += sourceFile.getLineStarts().length;
  // Explicit stack: deep expressions must not overflow the floor either.
  const stack = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop();
    nodes++;
    ts.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
}
process.stdout.write(JSON.stringify({ typescript: ts.version, files: files.length, lines, bytes, nodes }) + '\n');
