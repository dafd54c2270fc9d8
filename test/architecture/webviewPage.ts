import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, diagramPageHtml } from '../../client/src/diagramHtml';
import { REPO_ROOT } from './graphHelpers';

// Opens the architecture webview's page in Debian's Chromium, as VS Code would show it:
// the same HTML the panel builds, with webview URIs mapped to the local dist/ and media/
// files, and `acquireVsCodeApi` standing in for the extension (posted messages are kept).

export interface WebviewPage {
  page: Page;
  nonce: string;
  /** Messages the page posted to the extension. */
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
  send(message: unknown): Promise<void>;
  /** Content-Security-Policy violations the page reported. */
  violations(): Promise<string[]>;
  close(): Promise<void>;
}

let browser: Browser | undefined;

export async function openWebviewPage(bodyClass = 'vscode-light'): Promise<WebviewPage> {
  browser ??= await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-webview-'));
  const nonce = createNonce();
  const html = diagramPageHtml({
    cspSource: 'file:',
    scriptUri: pathToFileURL(path.join(REPO_ROOT, 'dist/webview.js')).href,
    styleUri: pathToFileURL(path.join(REPO_ROOT, 'media/diagram.css')).href,
    nonce,
  }).replace('<body>', `<body class="${bodyClass}">`);
  const file = path.join(dir, 'index.html');
  fs.writeFileSync(file, html);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    const posted: unknown[] = [];
    const violations: string[] = [];
    w['__posted'] = posted;
    w['__violations'] = violations;
    w['acquireVsCodeApi'] = () => ({ postMessage: (message: unknown) => posted.push(message) });
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`the page opened a ${dialog.type()} dialog: ${dialog.message()}`);
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));
  return {
    page,
    nonce,
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}
