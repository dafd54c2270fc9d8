#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches:
// it takes the same command line (--extensionDevelopmentPath=..., --extensionTestsPath=...,
// --user-data-dir=..., --extensions-dir=..., a folder), runs the tests in code-server's
// extension host, and exits with the code the workbench reports through
// window.codeAutomationExit (the extension host's own exit code is always 0 there).
import * as path from 'node:path';
import { repoRoot, startVSCode } from './codeServer.mjs';

// Electron-only switches runTests always passes; code-server has no equivalent (workspace trust
// is disabled by startVSCode anyway).
const ignoredSwitches = new Set(['--no-sandbox', '--disable-gpu-sandbox', '--disable-updates',
  '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust']);
const valueSwitches = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir']);
const suiteTimeoutMs = 5 * 60_000;
// The in-host suite cannot reach the browser, so it asks for screenshots with console lines
// (the extension host forwards its console to the page).
const screenshotRequest = /resilint-e2e:screenshot:([\w.-]+)/;

function parseArgs(argv) {
  const values = new Map();
  const folders = [];
  for (const arg of argv) {
    if (ignoredSwitches.has(arg)) continue;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (valueSwitches.has(name) && eq !== -1) {
      if (values.has(name)) throw new Error(`${name} given twice; this shim supports one`);
      values.set(name, path.resolve(arg.slice(eq + 1)));
    } else if (!arg.startsWith('-')) {
      folders.push(path.resolve(arg));
    } else {
      throw new Error(`unsupported argument ${arg}`);
    }
  }
  const missing = ['--extensionDevelopmentPath', '--extensionTestsPath'].filter((name) => !values.has(name));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}`);
  if (folders.length !== 1) throw new Error(`expected exactly one folder to open, got ${folders.length}`);
  return {
    extensionDevelopmentPath: values.get('--extensionDevelopmentPath'),
    extensionTestsPath: values.get('--extensionTestsPath'),
    userDataDir: values.get('--user-data-dir'),
    extensionsDir: values.get('--extensions-dir'),
    folder: folders[0],
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const artifactsDir = process.env.RESILINT_E2E_ARTIFACTS ?? path.join(repoRoot, 'test-results/e2e/extension-host');
  const vscode = await startVSCode({
    artifactsDir,
    ...(args.userDataDir ? { userDataDir: args.userDataDir } : {}),
    ...(args.extensionsDir ? { extensionsDir: args.extensionsDir } : {}),
  });
  const screenshots = [];
  try {
    const { page } = vscode;
    let reportExit;
    const exitCode = new Promise((resolve) => { reportExit = resolve; });
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
    page.on('console', (message) => {
      const request = screenshotRequest.exec(message.text());
      if (request) screenshots.push(vscode.screenshot(request[1]).catch(() => {}));
    });
    await page.goto(vscode.url(args.folder, [
      ['extensionDevelopmentPath', vscode.remoteUri(args.extensionDevelopmentPath)],
      ['extensionTestsPath', vscode.remoteUri(args.extensionTestsPath)],
    ]));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    let timer;
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), suiteTimeoutMs); });
    const outcome = await Promise.race([exitCode, timedOut]);
    clearTimeout(timer);
    await Promise.all(screenshots);
    if (outcome === 'timeout') {
      await vscode.screenshot('timeout');
      console.error(`[vscode-shim] the workbench never called codeAutomationExit within ${suiteTimeoutMs} ms`);
      return 1;
    }
    return outcome;
  } finally {
    await vscode.stop();
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));
main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[vscode-shim] ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  },
);
