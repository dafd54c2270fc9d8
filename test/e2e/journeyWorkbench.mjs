// Person-like actions the user journey needs on top of workbench.mjs: reading a squiggle's
// hover, filtering the Problems panel, running palette commands, accepting a suggestion.
// Selectors are those of the code-server 4.100.3 (VS Code 1.100) workbench.
import * as path from 'node:path';
import { escapeRegExp } from './workbench.mjs';

const quickInput = '.quick-input-widget .quick-input-box input';
const quickInputRow = '.quick-input-list .monaco-list-row';

/** Runs a command from the palette (F1) by its exact title. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.locator(quickInput).fill(`>${title}`);
  await page.locator(quickInputRow).filter({ has: page.locator('.label-name', { hasText: title }) }).first().waitFor();
  const focused = (await page.locator(`${quickInputRow}.focused .label-name`).innerText()).trim();
  if (focused !== title) throw new Error(`the palette focused "${focused}" instead of "${title}"`);
  await page.keyboard.press('Enter');
}

/** In an open quick pick: types `text`, waits for the row labelled `label` to be focused, and picks it. */
export async function pickQuickInputRow(page, text, label) {
  await page.locator(quickInput).fill(text);
  const row = page.locator(`${quickInputRow}.focused`).filter({ hasText: label });
  await row.waitFor().catch(async () => {
    throw new Error(`no focused row "${label}" after typing "${text}"; rows: ${JSON.stringify(await page.locator(quickInputRow).allInnerTexts())}`);
  });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * The warning squiggle under the text cursor, seen as a person sees it: the squiggle is drawn
 * under the cursor's character, and hovering there shows each diagnostic of that spot with
 * its message and its code linking to the documentation.
 * @returns {Promise<{ message: string, code: string, href: string }[]>}
 */
export async function hoverWarningsAtCursor(page) {
  // The cursor blinks; its box is read from the layout, which does not. Read afresh on every
  // poll: should the editor still scroll to reveal the line after Go to Line, a box read once
  // before that would point elsewhere for good. (A CI run waited out its 60 s here while its
  // screenshot shows the squiggle under the cursor; a failure now says what the page had.)
  const under = () => {
    const cursor = document.querySelector('.monaco-editor.focused .cursor')?.getBoundingClientRect();
    const point = cursor && { x: cursor.x + 4, y: cursor.y + cursor.height / 2 };
    const squiggles = [...document.querySelectorAll('.monaco-editor.focused .squiggly-warning')].map((el) => el.getBoundingClientRect());
    const hit = point && squiggles.some((r) => r.left <= point.x && point.x <= r.right && r.top <= point.y && point.y <= r.bottom);
    return { point, hit, squiggles: squiggles.map((r) => [r.left, r.top, r.right, r.bottom].map(Math.round)) };
  };
  // Passed as source text: the page runs it, so it cannot close over anything here.
  const found = await page.waitForFunction(`(() => { const seen = (${under})(); return seen.hit && seen.point; })()`, undefined, { timeout: 60_000 }).catch(async () => {
    throw new Error(`no warning squiggle under the cursor: ${JSON.stringify(await page.evaluate(`(${under})()`))}`);
  });
  const { x, y } = await found.jsonValue();
  const hover = page.locator('.monaco-hover:not(.hidden) .marker.hover-contents');
  // The hover appears after a short delay, and only while the mouse rests on the squiggle.
  for (let attempt = 0; attempt < 5 && !(await hover.first().isVisible()); attempt++) {
    await page.mouse.move(x + 2 + attempt, y);
    await hover.first().waitFor({ timeout: 3_000 }).catch(() => {});
  }
  await hover.first().waitFor({ timeout: 1_000 });
  return hover.evaluateAll((markers) => markers.map((marker) => {
    const link = marker.querySelector('a.code-link');
    return {
      message: marker.querySelector(':scope > span')?.textContent?.trim() ?? '',
      code: link?.textContent?.trim() ?? '',
      href: link?.getAttribute('href') ?? '',
    };
  }));
}

/** Moves the mouse away so a hover or the squiggle's tooltip closes. */
export async function dismissHover(page) {
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await page.locator('.monaco-hover:not(.hidden) .marker.hover-contents').waitFor({ state: 'hidden' });
}

/**
 * Types `text` into the Problems panel's filter box (opening the panel with Ctrl+Shift+M if
 * needed) and returns the diagnostics it then shows, each with its file.
 * @returns {Promise<{ file: string, message: string, source: string, code: string, href: string, position: string }[]>}
 */
export async function filteredProblems(page, text) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor();
  // The filter box sits in the panel's title bar, outside .markers-panel.
  const filter = page.getByPlaceholder(/^Filter \(e\.g\./);
  if ((await filter.inputValue()) !== text) {
    await filter.fill(text);
    await page.waitForTimeout(300); // the panel applies the filter after a short debounce
  }
  return panel.evaluate((element) => {
    const rows = [...element.querySelectorAll('.monaco-list-row')]
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
    const markers = [];
    let file = '';
    for (const row of rows) {
      // Level 1: a file (its label's aria-label is the path); level 2: its diagnostics; deeper: related information.
      const level = row.getAttribute('aria-level');
      if (level === '1') file = row.querySelector('.monaco-icon-label[aria-label]')?.getAttribute('aria-label') ?? '';
      const message = row.querySelector('.marker-message');
      if (level !== '2' || !message) continue;
      const link = row.querySelector('a.monaco-link');
      markers.push({
        file,
        message: message.textContent?.trim() ?? '',
        source: row.querySelector('.marker-source')?.textContent?.trim() ?? '',
        code: row.querySelector('.marker-code')?.textContent?.trim() ?? '',
        href: link?.getAttribute('href') ?? '',
        position: row.querySelector('.marker-line')?.textContent?.trim() ?? '',
      });
    }
    return markers;
  });
}

/** Polls the filtered Problems panel until `accept` approves what it shows. */
export async function waitForProblems(page, filter, accept, description, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const markers = await filteredProblems(page, filter);
    if (accept(markers)) return markers;
    if (Date.now() > deadline) throw new Error(`the Problems panel (filter "${filter}") never showed ${description}; it shows ${JSON.stringify(markers, null, 1)}`);
    await page.waitForTimeout(500);
  }
}

/**
 * Creates a file from the Explorer: select the top folder of `relativePath`, "File: New File...",
 * type the rest of the path (the Explorer creates missing folders), Enter. The file opens.
 */
export async function newFileInExplorer(page, relativePath) {
  const [top, ...rest] = relativePath.split('/');
  await page.keyboard.press('Control+Shift+E');
  await page.locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(top)}$`) }) })
    .first().click();
  await runCommand(page, 'File: New File...');
  const name = page.locator('.explorer-folders-view .monaco-inputbox input');
  await name.fill(rest.join('/'));
  await page.keyboard.press('Enter');
  await page.locator('.editor-group-container.active .tab.active', { hasText: path.posix.basename(relativePath) }).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
}

/** Types a snippet's prefix in the focused editor and accepts it from the suggestions. */
export async function insertSnippet(page, prefix) {
  await page.keyboard.type(prefix, { delay: 20 });
  const suggestion = page.locator('.suggest-widget .monaco-list-row.focused').filter({ hasText: prefix });
  await suggestion.waitFor({ timeout: 5_000 }).catch(async () => {
    // The widget opens while typing; if the language service answered late, ask again (Ctrl+Space).
    await page.keyboard.press('Control+Space');
    await suggestion.waitFor({ timeout: 10_000 });
  });
  await page.keyboard.press('Enter');
  await page.locator('.suggest-widget').waitFor({ state: 'hidden' });
}
