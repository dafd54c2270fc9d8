// The first hour of a marketplace user, in a real VS Code: the packaged .vsix is installed into a
// fresh code-server, the shop workspace is opened, and a person (Playwright, keyboard and mouse)
// sees every rule's squiggle and Problems entry with its documentation link, applies each rule's
// quick fix and saves (the compiler still accepts the project), disables a rule for a line, opens
// the architecture diagram and clicks through to the source, inserts a snippet, and opens the
// walkthrough. Screenshots of every step land in the artifacts folder for people to look at.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, startVSCode } from './codeServer.mjs';
import { installDependencies, newTypeErrors, typeErrors } from './journeyProject.mjs';
import { docsUrlPrefix, positionOf, ruleExamples } from './journeyRules.mjs';
import { dismissHover, filteredProblems, hoverWarningsAtCursor, insertSnippet, newFileInExplorer, pickQuickInputRow, runCommand, waitForProblems } from './journeyWorkbench.mjs';
import { chooseQuickFix, goToPosition, openFile, openQuickFixMenu, openWorkbench } from './workbench.mjs';

const vsixPath = path.join(repoRoot, 'resilint.vsix');
const extensionName = 'Resilint — resilience linter for TypeScript';
// No mechanical rewrite exists for an HTTP call per loop element: this is where a person
// reaches for "Disable for this line" instead.
const suppressed = { rule: 'n-plus-one-query', file: 'src/services/orderService.ts', line: 'const stock = await getStock(line.sku);', at: 'getStock(' };
const diagramLabels = ['OrderService', 'resolvers', 'inventoryClient', 'paymentClient', 'inventory.internal.example'];
const diagramNode = { label: 'paymentClient', file: 'src/clients/paymentClient.ts' };
const snippet = { prefix: 'resilint-retry', file: 'src/resilience/retry.ts', marker: '// resilint-pattern: retry v1' };
const walkthrough = {
  title: 'Get started with Resilint',
  steps: ['What Resilint finds', 'Try a quick fix', 'Open the architecture diagram', 'Add the CLI to CI'],
};

/** @param {{ workspace: string, artifactsDir: string }} options */
export async function checkUserJourney({ workspace, artifactsDir }) {
  packageExtension();
  const dependencies = installDependencies(workspace);
  console.log(`      workspace dependencies installed: ${dependencies.join(', ') || '(none)'}`);
  // The compiler's verdict on the untouched workspace, computed while VS Code starts.
  const originalErrors = typeErrors(workspace);
  originalErrors.catch(() => {}); // awaited (and so reported) later
  const originalFiles = listFiles(workspace);

  const vscode = await startVSCode({ artifactsDir, vsix: vsixPath });
  let shots = 0;
  const step = async (name, action) => {
    const id = `${String(++shots).padStart(2, '0')}-${name}`;
    console.log(`    - ${id}`);
    try {
      await action();
    } catch (error) {
      await vscode.screenshot(`${id}-failed`);
      throw error;
    }
    await vscode.screenshot(id);
  };
  const { page } = vscode;
  const onDisk = (file) => {
    const filePath = path.join(workspace, file);
    assert.ok(fs.existsSync(filePath), `the workspace (a copy of the fixture) has no ${file}`);
    return fs.readFileSync(filePath, 'utf8');
  };

  try {
    await step('workbench', () => openWorkbench(page, vscode.url(workspace)));

    await step('extension-installed', async () => {
      await page.keyboard.press('Control+Shift+X');
      await page.locator('.extensions-viewlet .monaco-editor textarea').fill('@installed resilint');
      await page.locator('.extensions-viewlet .monaco-list-row .extension-list-item .name', { hasText: extensionName }).first().waitFor({ timeout: 30_000 });
    });
    // Back to the Explorer, as a person would before opening files.
    await page.keyboard.press('Control+Shift+E');

    // 1. Every rule: a squiggle whose hover links to the docs, and a Problems row that does too.
    for (const example of ruleExamples) {
      let position = { line: 0, column: 0 };
      await step(`${example.rule}-squiggle`, async () => {
        position = positionOf(example, onDisk(example.file));
        await openFile(page, example.file);
        await goToPosition(page, position.line, position.column);
        const shown = await hoverWarningsAtCursor(page);
        const hover = shown.find((marker) => marker.code === example.rule);
        assert.ok(hover, `the hover at ${example.file}:${position.line}:${position.column} shows no ${example.rule}: ${JSON.stringify(shown)}`);
        assert.match(hover.message, example.message);
        assertDocsLink(hover.href, example.rule);
      });
      await dismissHover(page);
      await step(`${example.rule}-problems`, async () => {
        const markers = await waitForProblems(page, example.rule,
          (shown) => shown.some((m) => isAt(m, example.file, position)), `${example.rule} at ${example.file}:${position.line}:${position.column}`);
        const marker = markers.find((m) => isAt(m, example.file, position));
        assert.match(marker.message, example.message);
        assert.equal(marker.source, 'resilint');
        assert.equal(marker.code, example.rule);
        assertDocsLink(marker.href, example.rule);
      });
    }

    // 2. Every rule's quick fix from the Ctrl+. menu, saved; the diagnostic goes away.
    for (const example of ruleExamples) {
      const before = onDisk(example.file);
      const position = positionOf(example, before);
      const shownBefore = await filteredProblems(page, example.rule);
      await step(`${example.rule}-quick-fix-menu`, async () => {
        await openFile(page, example.file);
        await goToPosition(page, position.line, position.column);
        await openQuickFixMenu(page, example.fix);
      });
      await step(`${example.rule}-fixed`, async () => {
        console.log(`      chose "${await chooseQuickFix(page, example.fix)}"`);
        // A fix may also add a pattern file to the project: save everything it touched.
        await runCommand(page, 'File: Save All Files');
        await waitForDisk(workspace, example.file, (text) => text !== before && example.checkFixed(text) === undefined,
          () => example.checkFixed(onDisk(example.file)) ?? 'the file did not change');
        assert.equal(await page.locator('.tabs-container .tab.dirty').count(), 0, 'editors left unsaved');
        await waitForProblems(page, example.rule,
          (shown) => countIn(shown, example.file, example.rule) === countIn(shownBefore, example.file, example.rule) - 1, `one ${example.rule} fewer in ${example.file}`);
      });
    }
    const created = listFiles(workspace).filter((file) => !originalFiles.includes(file));
    console.log(`      files the fixes added: ${created.join(', ') || '(none)'}`);
    await assertTypeChecks(workspace, await originalErrors, 'after the quick fixes');

    // 3. "Disable for this line" where no fix applies.
    await step('disable-for-this-line', async () => {
      const before = onDisk(suppressed.file);
      const position = positionOf(suppressed, before);
      const shownBefore = await filteredProblems(page, suppressed.rule);
      await openFile(page, suppressed.file);
      await goToPosition(page, position.line, position.column);
      const title = `Disable ${suppressed.rule} for this line`;
      await openQuickFixMenu(page, title);
      await chooseQuickFix(page, title);
      await page.keyboard.press('Control+S');
      const saved = await waitForDisk(workspace, suppressed.file, (text) => text !== before, () => 'the file did not change');
      const lines = saved.split('\n');
      const flagged = lines.findIndex((line) => line.includes(suppressed.line));
      assert.match(lines[flagged - 1] ?? '', new RegExp(`^\\s*// resilint-disable-next-line ${suppressed.rule}\\b`), `the line above ${suppressed.line}`);
      await page.locator('.monaco-editor.focused .view-line', { hasText: `resilint-disable-next-line ${suppressed.rule}` }).waitFor();
      await waitForProblems(page, suppressed.rule,
        (shown) => countIn(shown, suppressed.file, suppressed.rule) === countIn(shownBefore, suppressed.file, suppressed.rule) - 1, `the suppressed ${suppressed.rule} gone`);
    });

    // 4. The architecture diagram, and a click on a node that opens its source.
    const diagram = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const node = diagram.locator('svg g.node', { hasText: diagramNode.label });
    await step('architecture-diagram', async () => {
      // Room for the diagram: a person closes what they are done with first.
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'View: Hide Panel');
      await runCommand(page, 'Resilint: Show Architecture Diagram');
      await node.waitFor({ timeout: 60_000 });
      for (const label of diagramLabels) await diagram.locator('svg g.node', { hasText: label }).first().waitFor();
    });
    await step('diagram-node-opens-source', async () => {
      await node.click();
      const name = path.basename(diagramNode.file);
      await page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor();
      await page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'PAYMENTS_URL' }).first().waitFor();
    });

    // 5. A pattern inserted through its snippet prefix, in a new file.
    await step('snippet', async () => {
      await newFileInExplorer(page, snippet.file);
      await insertSnippet(page, snippet.prefix);
      await page.keyboard.press('Control+S');
      const saved = await waitForDisk(workspace, snippet.file, (text) => text.includes(snippet.marker), () => `no ${snippet.marker}`);
      assert.ok(saved.startsWith(snippet.marker), `the snippet fills the new file:\n${saved.slice(0, 200)}`);
    });
    await assertTypeChecks(workspace, await originalErrors, 'with the suppression and the snippet');

    // 6. The walkthrough.
    await step('walkthrough', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Welcome: Open Walkthrough...');
      await pickQuickInputRow(page, 'Resilint', walkthrough.title);
      const container = page.locator('.gettingStartedContainer');
      await container.locator('h2', { hasText: walkthrough.title }).first().waitFor();
      for (const title of walkthrough.steps) await container.locator('.getting-started-step', { hasText: title }).first().waitFor();
      // The first step's page (media/walkthrough/findings.md, from the .vsix) names every rule.
      const media = page.frameLocator('.getting-started-media iframe.webview.ready').frameLocator('#active-frame');
      for (const { rule } of ruleExamples) await media.locator('li', { hasText: rule }).first().waitFor();
    });
  } finally {
    await vscode.stop();
  }
}

/** `npm run package`: the .vsix a user installs from the marketplace. */
function packageExtension() {
  fs.rmSync(vsixPath, { force: true });
  let output;
  try {
    output = execFileSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    throw new Error(`npm run package failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
  const done = output.split('\n').find((line) => line.includes('Packaged:'));
  assert.ok(done && fs.existsSync(vsixPath), `npm run package did not produce ${vsixPath}:\n${output}`);
  console.log(`      ${done.trim()}`);
}

function assertDocsLink(href, rule) {
  assert.equal(href, `${docsUrlPrefix}${rule}.md`);
  // The link points at the docs page this repository publishes.
  assert.ok(fs.existsSync(path.join(repoRoot, 'docs/rules', `${rule}.md`)), `${href} has no page in the repository`);
}

function isAt(marker, file, position) {
  return marker.file.endsWith(`/${file}`) && marker.position === `[Ln ${position.line}, Col ${position.column}]`;
}

function countIn(markers, file, rule) {
  return markers.filter((marker) => marker.file.endsWith(`/${file}`) && marker.code === rule).length;
}

async function assertTypeChecks(workspace, originalErrors, when) {
  const errors = await typeErrors(workspace);
  assert.deepEqual(newTypeErrors(originalErrors, errors), [], `tsc -p tsconfig.json --noEmit reports new errors ${when}`);
  console.log(`      tsc --noEmit ${when}: ${errors.length} error(s), as before`);
}

async function waitForDisk(workspace, file, accept, explain, timeoutMs = 15_000) {
  const filePath = path.join(workspace, file);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(filePath) ? fs.readFileSync(filePath, 'utf8') : '';
    if (accept(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file} on disk is not as expected after ${timeoutMs} ms: ${explain()}\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function listFiles(root, dir = root) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(root, full) : [path.relative(root, full)];
  });
}
