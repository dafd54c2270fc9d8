// The journey's workspace as a project on disk: its declared dependencies installed, and the
// real TypeScript compiler's verdict on it, so that quick fixes are proven to leave code that
// compiles (a fix may import a package the project declares, such as dataloader).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './codeServer.mjs';

const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

/**
 * Installs the workspace's dependencies the way `npm install` would lay them out, by linking
 * each to the copy in the repository's node_modules (the machines have no other registry access
 * during tests, and the repository pins the versions the fixes are written against).
 */
export function installDependencies(workspace) {
  const manifest = JSON.parse(fs.readFileSync(path.join(workspace, 'package.json'), 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  for (const name of names) {
    const installed = path.join(repoRoot, 'node_modules', name);
    if (!fs.existsSync(installed)) throw new Error(`the workspace depends on ${name}, which the repository has not installed`);
    const link = path.join(workspace, 'node_modules', name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(installed, link, 'dir');
  }
  return names;
}

/**
 * `tsc -p <workspace>/tsconfig.json --noEmit`: the compiler's errors, without their line and
 * column (edits above an old error move it; it is the same error).
 * @returns {Promise<string[]>}
 */
export function typeErrors(workspace) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [tsc, '-p', path.join(workspace, 'tsconfig.json'), '--noEmit', '--pretty', 'false'],
      { cwd: workspace, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const errors = stdout.split('\n').filter((line) => /: error TS\d+:/.test(line)).map((line) => line.replace(/^(.*?)\(\d+,\d+\)/, '$1'));
        // tsc exits 2 when it reports errors; anything else (a crash, no tsconfig) is not a verdict.
        if (error && !(error.code === 2 && errors.length > 0)) reject(new Error(`tsc failed: ${error.message}\n${stdout}${stderr}`));
        else resolve(errors);
      });
  });
}

/** Errors in `after` that `before` did not have (as a multiset: a second copy of an old error is new). */
export function newTypeErrors(before, after) {
  const remaining = [...before];
  return after.filter((error) => {
    const index = remaining.indexOf(error);
    if (index === -1) return true;
    remaining.splice(index, 1);
    return false;
  });
}
