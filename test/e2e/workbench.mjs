// What a person does in the VS Code window, expressed with the selectors and keystrokes that
// /work/shared/vscode-in-ci.md verified against the code-server 4.100.3 workbench.

import * as path from 'node:path';

const quickInput = '.quick-input-widget .quick-input-box input';
const quickInputRow = '.quick-input-list .monaco-list-row';
const actionRow = '.action-widget .monaco-list-row.action';

/** @param {import('playwright-core').Page} page */
export async function openWorkbench(page, url) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer appears once the folder is resolved; before that Ctrl+P finds nothing.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
}

/**
 * Opens a file through Quick Open (Ctrl+P), as a person would. Enter waits until the focused
 * result is the file typed: right after typing, the list still shows recently opened files,
 * and Enter would reopen one of those.
 */
export async function openFile(page, relativePath) {
  const name = path.posix.basename(relativePath);
  const folder = path.posix.dirname(relativePath);
  await page.keyboard.press('Control+P');
  await page.locator(quickInput).fill(relativePath);
  await page.locator(`${quickInputRow}.focused`)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) })
    .filter({ has: page.locator('.label-description', { hasText: folder }) })
    .waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Moves the cursor to a 1-based line and column with Go to Line (Ctrl+G). */
export async function goToPosition(page, line, column) {
  await page.keyboard.press('Control+G');
  await page.locator(quickInput).fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Opens the quick-fix menu (Ctrl+.) and waits for an action whose title starts with `titlePrefix`.
 * VS Code's own TypeScript server may still be starting: the menu then comes late, or VS Code
 * says "No code actions available", and a person would press Ctrl+. again a moment later. Never
 * while a menu is open, though: there Ctrl+. means "accept the selected action". In CI a menu
 * that came after the wait was taken for none, and the next Ctrl+. applied its first fix.
 */
export async function openQuickFixMenu(page, titlePrefix, timeoutMs = 60_000) {
  const menu = page.locator('.action-widget');
  const wanted = page.locator(actionRow).filter({ hasText: titlePrefix });
  const deadline = Date.now() + timeoutMs;
  let offered = 'no menu';
  while (Date.now() < deadline) {
    if (!(await menu.isVisible())) await page.keyboard.press('Control+Period');
    try {
      await wanted.first().waitFor({ timeout: 5_000 });
      return;
    } catch {
      if (await menu.isVisible()) {
        offered = JSON.stringify(await page.locator(actionRow).allInnerTexts());
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'hidden' });
      }
      await page.waitForTimeout(1_000);
    }
  }
  throw new Error(`No quick fix starting with "${titlePrefix}" within ${timeoutMs} ms; offered: ${offered}`);
}

/**
 * Chooses an action in the open quick-fix menu. Clicking is intercepted by VS Code's
 * pointer-block overlay, so a person's keyboard path is used: arrow keys, then Enter.
 */
export async function chooseQuickFix(page, titlePrefix) {
  const rows = await page.locator(actionRow).count();
  for (let step = 0; step <= rows; step++) {
    const focused = (await page.locator(`${actionRow}.focused`).innerText()).trim();
    if (focused.startsWith(titlePrefix)) {
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').waitFor({ state: 'hidden' });
      return focused;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`Could not focus a quick fix starting with "${titlePrefix}"`);
}

/** Opens the Problems panel (Ctrl+Shift+M) and returns the texts of its marker rows matching `text`. */
export async function problemRows(page, text) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor();
  return page.locator('.markers-panel .monaco-list-row').filter({ hasText: text }).allInnerTexts();
}
