// A person's path to the architecture diagram in a real VS Code (code-server + Chromium):
// open a folder, run "Resilint: Show Architecture Diagram" from the command palette, and see
// the services and resources of the NestJS fixture drawn in the webview beside the editor.
import * as assert from 'node:assert/strict';
import { startVSCode } from '../../e2e/codeServer.mjs';
import { openFile, openWorkbench } from '../../e2e/workbench.mjs';

const COMMAND_TITLE = 'Resilint: Show Architecture Diagram';
const EXPECTED_LABELS = ['OrdersService', 'OrdersController', 'TypeORM', 'emails', 'crm.example.com'];

/**
 * @param {{ extensionPath: string, workspace: string, artifactsDir: string, openFirst?: string | null }} options
 * @returns {Promise<{ nodes: string[] }>}
 */
export async function checkArchitectureDiagramInUi({ extensionPath, workspace, artifactsDir, openFirst = 'src/orders/orders.service.ts' }) {
  const vscode = await startVSCode({ artifactsDir });
  try {
    const { page } = vscode;
    await openWorkbench(page, vscode.url(workspace, [['extensionDevelopmentPath', vscode.remoteUri(extensionPath)]]));
    if (openFirst) await openFile(page, openFirst);
    await vscode.screenshot('01-workbench');

    await runCommand(page, COMMAND_TITLE);
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('#canvas svg g.node').first().waitFor({ timeout: 90_000 });
    const nodes = await frame.locator('#canvas svg g.node').allTextContents();
    for (const label of EXPECTED_LABELS) assert.ok(nodes.some((text) => text.includes(label)), `${label} is not drawn: ${JSON.stringify(nodes)}`);
    assert.ok(await frame.locator('#canvas svg').isVisible(), 'the diagram is visible');
    await page.waitForTimeout(500);
    await vscode.screenshot('02-architecture-diagram');
    return { nodes };
  } finally {
    await vscode.stop();
  }
}

/** F1, then the command's title, as a person would; retried while the extension activates. */
async function runCommand(page, title) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title });
    try {
      await row.first().waitFor({ timeout: 3_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw error;
    }
  }
}
