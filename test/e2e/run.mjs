// `npm run test:e2e`: builds the extension and its tests, then runs every end-to-end check in a
// real VS Code against a scratch copy of the fixture workspace (so fixes never touch the repo).
// Screenshots and logs land in test-results/e2e/<check>/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { runExtensionSuite } from './extensionSuite.mjs';
import { checkUserJourney } from './journey.mjs';
import { checkMissingTimeoutInUi } from './missingTimeoutInUi.mjs';
import { summariseCodeActions, traceLogs } from './serverTrace.mjs';

const fixture = path.join(repoRoot, 'test/fixtures/shop');
const target = { file: 'src/clients/inventoryClient.ts', line: 'const res = await fetch(url);' };
const artifactsRoot = path.join(repoRoot, 'test-results/e2e');
const checks = [
  { name: 'missing-timeout fixed by a person in the workbench (Playwright)', folder: 'ui', run: checkMissingTimeoutInUi },
  { name: 'missing-timeout in the extension host (mocha via runTests)', folder: 'extension-host', run: runExtensionSuite },
  { name: 'a marketplace user\'s journey with the packaged .vsix (Playwright)', folder: 'journey', run: checkUserJourney },
];

// Turn signals into a normal exit so the clean-up hooks in codeServer.mjs run.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));

console.log('e2e: building extension and tests (node .ci/build.mjs --tests)');
try {
  execFileSync(process.execPath, ['.ci/build.mjs', '--tests'], { cwd: repoRoot, stdio: 'inherit' });
} catch {
  console.error('e2e: FAIL the build (node .ci/build.mjs --tests) failed; no checks were run');
  process.exit(1);
}
fs.rmSync(artifactsRoot, { recursive: true, force: true });

const failures = [];
for (const check of checks) {
  const artifactsDir = path.join(artifactsRoot, check.folder);
  const workspace = copyFixture();
  console.log(`e2e: ${check.name}`);
  try {
    await check.run({ extensionPath: repoRoot, workspace, target, artifactsDir });
    console.log(`e2e: PASS ${check.name}`);
  } catch (error) {
    failures.push(check.name);
    console.error(`e2e: FAIL ${check.name}\n${error instanceof Error ? error.stack : error}\n  artifacts: ${path.relative(repoRoot, artifactsDir)}/`);
    printCodeActionTrace(artifactsDir);
  } finally {
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

if (failures.length > 0) {
  console.error(`e2e: ${failures.length} of ${checks.length} checks failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`e2e: all ${checks.length} checks passed`);

function copyFixture() {
  // The folder is named like the fixture so the window title and paths read naturally.
  const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-e2e-')), path.basename(fixture));
  fs.cpSync(fixture, workspace, { recursive: true });
  return workspace;
}

/** CI keeps only the console: show the last code actions the server was asked for and gave. */
function printCodeActionTrace(artifactsDir) {
  for (const log of traceLogs(artifactsDir)) {
    const lines = summariseCodeActions(fs.readFileSync(log, 'utf8'));
    console.error(`  last code actions in ${path.relative(artifactsDir, log)} (of ${lines.length}):`);
    for (const line of lines.slice(-12)) console.error(`    ${line}`);
  }
}
