// A person's path through the missing-timeout fix, in the real VS Code window: open the file, see
// the warning and its Problems entry, press Ctrl+. on the fetch, pick "Add timeout", save.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startVSCode } from './codeServer.mjs';
import { summariseCodeActions, traceLogs } from './serverTrace.mjs';
import { chooseQuickFix, goToPosition, openFile, openQuickFixMenu, openWorkbench, problemRows } from './workbench.mjs';

const warningSquiggle = '.monaco-editor .squiggly-warning';
const timeoutSignal = 'signal: AbortSignal.timeout(';

/**
 * @param {{ extensionPath: string, workspace: string, target: { file: string, line: string }, artifactsDir: string }} options
 */
export async function checkMissingTimeoutInUi({ extensionPath, workspace, target, artifactsDir }) {
  const filePath = path.join(workspace, target.file);
  const original = fs.readFileSync(filePath, 'utf8');
  const lines = original.split('\n');
  const lineIndex = lines.findIndex((line) => line.includes(target.line));
  assert.notEqual(lineIndex, -1, `${target.file} has no line containing ${target.line}`);
  const fetchColumn = lines[lineIndex].indexOf('fetch(') + 1;

  const vscode = await startVSCode({ artifactsDir });
  try {
    const { page } = vscode;
    const step = async (name, action) => {
      console.log(`    - ${name}`);
      try {
        await action();
      } catch (error) {
        await vscode.screenshot(`${name}-failed`);
        throw error;
      }
      await vscode.screenshot(name);
    };

    await step('01-workbench', () => openWorkbench(page, vscode.url(workspace, [['extensionDevelopmentPath', vscode.remoteUri(extensionPath)]])));
    await step('02-file-open', () => openFile(page, target.file));

    let squigglesBefore = 0;
    await step('03-warning', async () => {
      await page.locator(warningSquiggle).first().waitFor({ timeout: 90_000 });
      squigglesBefore = await page.locator(warningSquiggle).count();
    });

    let problemsBefore = [];
    await step('04-problems', async () => {
      problemsBefore = await waitForProblems(page, (rows) => rows.length > 0);
      const row = problemsBefore.find((text) => text.includes(`Ln ${lineIndex + 1},`));
      assert.ok(row, `no missing-timeout problem on line ${lineIndex + 1}: ${JSON.stringify(problemsBefore)}`);
      assert.match(row, /fetch\(\) has no timeout/);
    });

    await step('05-quick-fix-menu', async () => {
      await goToPosition(page, lineIndex + 1, fetchColumn);
      await openQuickFixMenu(page, 'Add timeout');
    });
    await step('06-fix-chosen', async () => {
      const chosen = await chooseQuickFix(page, 'Add timeout');
      console.log(`      chose "${chosen}"`);
    });

    await step('07-saved', async () => {
      await page.keyboard.press('Control+S');
      const saved = await waitForFileChange(filePath, original);
      assert.equal(count(saved, timeoutSignal), count(original, timeoutSignal) + 1, `file on disk:\n${saved}`);
    });

    await step('08-warning-gone', async () => {
      await waitForProblems(page, (rows) => rows.length === problemsBefore.length - 1
        && !rows.some((text) => text.includes(`Ln ${lineIndex + 1},`)));
      await page.waitForFunction(([selector, before]) => document.querySelectorAll(selector).length < before,
        [warningSquiggle, squigglesBefore], { timeout: 30_000 })
        .catch(() => { throw new Error(`the editor still shows ${squigglesBefore} warning squiggle(s)`); });
    });
  } finally {
    await vscode.stop();
  }
  // The trace a failure would print (run.mjs) must be readable: it shows the fix asked for here.
  const answered = traceLogs(artifactsDir).flatMap((log) => summariseCodeActions(fs.readFileSync(log, 'utf8')));
  const at = `at ${lineIndex + 1}:${fetchColumn}-${lineIndex + 1}:${fetchColumn} `;
  assert.ok(answered.some((line) => line.includes(at) && line.includes('"Add timeout')), `the LSP trace shows no "Add timeout" answered ${at}:\n${answered.join('\n')}`);
}

async function waitForProblems(page, accept, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await problemRows(page, 'missing-timeout');
    if (accept(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`Problems panel did not reach the expected missing-timeout rows: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(500);
  }
}

async function waitForFileChange(filePath, original, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.readFileSync(filePath, 'utf8');
    if (text !== original) return text;
    if (Date.now() > deadline) throw new Error(`${filePath} was not saved within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function count(text, needle) {
  return text.split(needle).length - 1;
}
