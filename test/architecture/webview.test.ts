import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderMermaid } from '../../server/src/architecture/mermaid';
import { extractFixture, extractProject, REPO_ROOT } from './graphHelpers';
import { closeBrowser, openWebviewPage, type WebviewPage } from './webviewPage';

const svgNodes = '#canvas svg g.node';

describe('architecture webview in Chromium', function () {
  this.timeout(90_000);
  let view: WebviewPage;

  beforeEach(async () => {
    view = await openWebviewPage();
  });
  afterEach(async () => {
    await view.close();
  });
  after(async () => {
    await closeBrowser();
  });

  it('has a strict Content-Security-Policy whose nonce is the one on its only script', async () => {
    const csp = await view.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp ?? '', /default-src 'none'/);
    assert.match(csp ?? '', new RegExp(`script-src 'nonce-${view.nonce}'`));
    assert.doesNotMatch(csp ?? '', /unsafe-eval|https?:/);
    const scripts = await view.page.$$eval('script', (all) => all.map((s) => s.getAttribute('nonce')));
    assert.deepEqual(scripts, [view.nonce]);
  });

  it('draws the NestJS fixture: every node of the graph appears in the SVG, without CSP violations', async () => {
    const graph = extractFixture('nest-app');
    await view.send({ type: 'diagram', mermaid: renderMermaid(graph) });
    await view.page.waitForSelector(svgNodes);
    const texts = await view.page.$$eval(svgNodes, (nodes) => nodes.map((n) => n.textContent ?? ''));
    assert.equal(texts.length, graph.nodes.length);
    for (const label of ['OrdersService', 'OrdersController', 'OrdersResolver', 'TypeORM', 'emails', 'crm.example.com', 'PAYMENTS_URL']) {
      assert.ok(texts.some((t) => t.includes(label)), `${label} is drawn: ${JSON.stringify(texts)}`);
    }
    assert.equal((await view.page.textContent('#status'))?.trim(), '');
    assert.deepEqual(await view.violations(), []);
    fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    await view.page.screenshot({ path: path.join(REPO_ROOT, 'test-results/diagram.png') });
  });

  it('shows names shaped like HTML or Mermaid syntax as text, and runs none of them', async () => {
    const graph = extractProject({
      'src/a.routes.ts': "import express from 'express';\nexpress().get('/<script>window.__pwned = 1</script>', (_q: unknown, r: any) => r.end());",
      'src/b.routes.ts': "import express from 'express';\nexpress().post('/\"]; click n1 call alert(1)', (_q: unknown, r: any) => r.end());",
      'src/c.worker.ts': "import { Worker } from 'bullmq';\nexport const w = new Worker('%%{init: {\"theme\":\"forest\"}}%%<img src=x onerror=alert(1)>', async () => {});",
      'src/d.client.ts': "export const ping = () => fetch('https://`evil`.example.com/x', { signal: AbortSignal.timeout(1000) });",
    });
    await view.send({ type: 'diagram', mermaid: renderMermaid(graph) });
    await view.page.waitForSelector(svgNodes);
    const text = await view.page.$$eval(svgNodes, (nodes) => nodes.map((n) => n.textContent).join('\n'));
    assert.ok(text?.includes('/<script>window.__pwned = 1</script>'), text ?? '');
    assert.ok(text?.includes('/"]; click n1 call alert(1)'), text ?? '');
    assert.ok(text?.includes('%%{init: {"theme":"forest"}}%%<img src=x onerror=alert(1)>'), text ?? '');
    assert.ok(text?.includes('`evil`.example.com'), text ?? '');
    assert.equal(await view.page.locator('#canvas script, #canvas img, #canvas iframe, #canvas a').count(), 0);
    assert.equal(await view.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });

  it('opens a node by id when it is clicked, and filters nodes by name', async () => {
    const graph = extractFixture('express-queues');
    await view.send({ type: 'diagram', mermaid: renderMermaid(graph) });
    await view.page.waitForSelector(svgNodes);
    const target = graph.nodes.find((n) => n.label === 'order.service')!;
    await view.page.locator(svgNodes, { hasText: 'order.service' }).first().click();
    assert.deepEqual((await view.posted()).filter((m) => m.type === 'open'), [{ type: 'open', id: target.id }]);

    await view.page.fill('#filter', 'worker');
    const dimmed = await view.page.$$eval(svgNodes, (nodes) => nodes.filter((n) => n.classList.contains('dimmed')).map((n) => n.textContent));
    assert.equal(dimmed.length, graph.nodes.length - 2, JSON.stringify(dimmed));
    await view.page.press('#filter', 'Enter');
    assert.deepEqual((await view.posted()).filter((m) => m.type === 'focus'), [{ type: 'focus', focus: 'worker', depth: 1 }]);
  });

  it('exports the drawing as SVG', async () => {
    await view.send({ type: 'diagram', mermaid: renderMermaid(extractFixture('apollo-server')) });
    await view.page.waitForSelector(svgNodes);
    await view.page.click('#export-svg');
    const exported = (await view.posted()).find((m) => m.type === 'export');
    assert.equal(exported?.['format'], 'svg');
    assert.match(String(exported?.['svg']), /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*InventoryAPI[\s\S]*<\/svg>$/);
  });

  it('says so when nothing is detected, and when Mermaid cannot draw the text', async () => {
    await view.send({ type: 'diagram', mermaid: '', empty: true, message: 'No services, controllers, resolvers or external resources were detected in 3 file(s).' });
    await view.page.waitForFunction(() => document.getElementById('status')?.classList.contains('empty'));
    assert.match((await view.page.textContent('#status')) ?? '', /No services/);

    await view.send({ type: 'diagram', mermaid: 'flowchart LR\n  n1[unclosed --> ' });
    await view.page.waitForFunction(() => document.getElementById('status')?.classList.contains('error'));
    assert.match((await view.page.textContent('#status')) ?? '', /Mermaid could not draw this diagram/);
    assert.equal(await view.page.locator('#canvas svg').count(), 0);
  });
});
