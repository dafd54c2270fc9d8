// Runs test/e2e/suite (mocha inside the extension host) through @vscode/test-electron's standard
// runTests(), with vscodeShim.mjs as the "VS Code executable", then prints the suite's results.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './codeServer.mjs';

const shim = path.join(repoRoot, 'test/e2e/vscodeShim.mjs');
const suiteEntry = path.join(repoRoot, 'out/test/e2e/suite/index.js');

/**
 * @param {{ extensionPath: string, workspace: string, target: { file: string, line: string }, artifactsDir: string }} options
 */
export async function runExtensionSuite({ extensionPath, workspace, target, artifactsDir }) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const resultsFile = path.join(artifactsDir, 'results.json');
  fs.rmSync(resultsFile, { force: true });
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-profile-'));
  let launchError;
  try {
    await runTests({
      vscodeExecutablePath: shim,
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: suiteEntry,
      launchArgs: [workspace, `--user-data-dir=${path.join(profileDir, 'user-data')}`, `--extensions-dir=${path.join(profileDir, 'extensions')}`],
      extensionTestsEnv: {
        RESILINT_E2E_RESULTS: resultsFile,
        RESILINT_E2E_ARTIFACTS: artifactsDir,
        RESILINT_E2E_TARGET_FILE: target.file,
        RESILINT_E2E_TARGET_LINE: target.line,
      },
    });
  } catch (error) {
    launchError = error;
  } finally {
    fs.rmSync(profileDir, { recursive: true, force: true });
  }

  if (!fs.existsSync(resultsFile)) {
    throw new Error(`the extension-host suite never reported results (${launchError ?? 'VS Code exited 0'}); see ${artifactsDir}`);
  }
  /** @type {{ passed: string[], failed: { title: string, error: string }[] }} */
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const title of results.passed) console.log(`    ✓ ${title}`);
  for (const { title, error } of results.failed) console.log(`    ✗ ${title}\n${indent(error, 8)}`);
  if (results.failed.length > 0) throw new Error(`extension-host suite: ${results.failed.length} failed, ${results.passed.length} passed`);
  if (results.passed.length === 0) throw new Error('the extension-host suite ran no tests');
  if (launchError) throw new Error(`the suite passed but VS Code reported failure: ${launchError}`);
}

function indent(text, spaces) {
  return text.split('\n').map((line) => ' '.repeat(spaces) + line).join('\n');
}
