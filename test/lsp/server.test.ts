import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyTextEdits } from '../../server/src/engine/edits';
import { codes, startServer, uriOf, type TestClient } from './lspClient';

// The server as a separate process, spoken to over the real protocol.

const FETCH_CODE = `export async function load(url: string) {\n  const res = await fetch(url);\n  return res.json();\n}\n`;
const FIXED_CODE = FETCH_CODE.replace('fetch(url)', 'fetch(url, { signal: AbortSignal.timeout(5000) })');
/** check.ts loops over inventory.ts's getStock: an N+1 query while getStock makes a request (STOCK_CODE), none once it does not (LOCAL_STOCK_CODE). */
const CHECK_CODE = `import { getStock } from './inventory';\nexport async function check(skus: string[]) {\n  for (const sku of skus) await getStock(sku);\n}\n`;
const STOCK_CODE = `export async function getStock(sku: string) {\n  return (await fetch('/stock/' + sku, { signal: AbortSignal.timeout(5000) })).json();\n}\n`;
const LOCAL_STOCK_CODE = `export async function getStock(sku: string) {\n  return { sku, count: 0 };\n}\n`;
/** Thousands of N+1 loops: seconds of analysis, which keep the workspace scan busy. */
const SLOW_CODE = Array.from({ length: 8000 }, (_, i) => `export async function load${i}(ids: string[]) {\n  for (const id of ids) await fetch('/items/' + id);\n}\n`).join('');

function textEdits(edit: WorkspaceEdit | undefined, uri: string): TextDocumentEdit[] {
  return (edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
}

describe('language server over stdio', function () {
  let dir: string;
  let client: TestClient;

  beforeEach(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-lsp-')));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }));
    fs.mkdirSync(path.join(dir, 'src'));
    client = startServer();
    const result = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(dir),
      workspaceFolders: [{ uri: uriOf(dir), name: 'case' }],
      capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    });
    assert.ok((result as { capabilities: { codeActionProvider?: unknown } }).capabilities.codeActionProvider);
    await client.connection.sendNotification('initialized', {});
  });

  afterEach(async () => {
    if (client.process.exitCode === null) await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a diagnostic, offers the quick fix, and clears it after the edit', async () => {
    const file = path.join(dir, 'src', 'api.ts');
    fs.writeFileSync(file, FETCH_CODE);
    const uri = uriOf(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });

    const published = await client.diagnostics(uri, (d) => d.version === 1 && d.diagnostics.length > 0);
    const [diagnostic] = published.diagnostics;
    assert.deepEqual(codes(published.diagnostics), ['missing-timeout']);
    assert.equal(diagnostic!.source, 'resilint');
    assert.equal(diagnostic!.range.start.line, 1);
    assert.match(diagnostic!.codeDescription!.href, /docs\/rules\/missing-timeout\.md$/);

    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic!.range,
      context: { diagnostics: published.diagnostics },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, [
      'Add timeout: signal: AbortSignal.timeout(10000)',
      'Disable missing-timeout for this line',
      'Disable missing-timeout for this file',
      'Show documentation for missing-timeout',
    ]);
    const fix = actions[0]!;
    assert.equal(fix.isPreferred, true);
    const [documentEdit] = textEdits(fix.edit, uri);
    assert.equal(documentEdit!.textDocument.version, 1, 'edits are pinned to the analysed version');
    const fixed = applyTextEdits(FETCH_CODE, documentEdit!.edits);
    assert.match(fixed, /await fetch\(url, \{ signal: AbortSignal\.timeout\(10000\) \}\)/);

    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: fixed }],
    });
    const cleared = await client.diagnostics(uri, (d) => d.version === 2);
    assert.deepEqual(cleared.diagnostics, []);

    assert.equal(await client.stop(), 0, 'the server exits cleanly after shutdown/exit');
  });

  it('offers the disable comment, and honours it once applied', async () => {
    const file = path.join(dir, 'src', 'api.ts');
    fs.writeFileSync(file, FETCH_CODE);
    const uri = uriOf(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });
    const published = await client.diagnostics(uri, (d) => d.diagnostics.length > 0);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: published.diagnostics[0]!.range,
      context: { diagnostics: published.diagnostics },
    })) as CodeAction[];
    const disable = actions.find((a) => a.title.startsWith('Disable'))!;
    const suppressed = applyTextEdits(FETCH_CODE, textEdits(disable.edit, uri)[0]!.edits);
    assert.match(suppressed, /\n {2}\/\/ resilint-disable-next-line missing-timeout -- TODO: explain why this is safe\n {2}const res = await fetch\(url\);/);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: suppressed }] });
    assert.deepEqual((await client.diagnostics(uri, (d) => d.version === 2)).diagnostics, []);
  });

  it('disables a rule for the file below a shebang, and offers no line comment where it would land inside a template', async () => {
    const code = `#!/usr/bin/env node\nexport async function report(url: string) {\n  return \`status:\n\${(await fetch(url)).status}\n\`;\n}\n`;
    const file = path.join(dir, 'src', 'report.ts');
    fs.writeFileSync(file, code);
    const uri = uriOf(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: code } });
    const published = await client.diagnostics(uri, (d) => d.version === 1 && d.diagnostics.length > 0);
    assert.equal(published.diagnostics[0]!.range.start.line, 3, 'the call sits on a line that starts inside the template');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: published.diagnostics[0]!.range,
      context: { diagnostics: published.diagnostics },
    })) as CodeAction[];
    assert.deepEqual(actions.filter((a) => a.title.startsWith('Disable')).map((a) => a.title), ['Disable missing-timeout for this file']);
    const disabled = applyTextEdits(code, textEdits(actions.find((a) => a.title.startsWith('Disable'))!.edit, uri)[0]!.edits);
    assert.ok(disabled.startsWith('#!/usr/bin/env node\n// resilint-disable missing-timeout -- TODO: explain why this is safe\nexport async function report'), disabled);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: disabled }] });
    assert.deepEqual((await client.diagnostics(uri, (d) => d.version === 2)).diagnostics, []);
  });

  it('with requireSuppressionReason, flags the disable comment until its placeholder is replaced by a reason', async () => {
    fs.writeFileSync(path.join(dir, 'resilint.config.json'), JSON.stringify({ requireSuppressionReason: 'warning' }));
    const file = path.join(dir, 'src', 'api.ts');
    fs.writeFileSync(file, FETCH_CODE);
    const uri = uriOf(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });
    const published = await client.diagnostics(uri, (d) => d.version === 1 && d.diagnostics.length > 0);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: published.diagnostics[0]!.range,
      context: { diagnostics: published.diagnostics },
    })) as CodeAction[];
    const disable = actions.find((a) => a.title === 'Disable missing-timeout for this line')!;
    const suppressed = applyTextEdits(FETCH_CODE, textEdits(disable.edit, uri)[0]!.edits);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: suppressed }] });
    const flagged = await client.diagnostics(uri, (d) => d.version === 2);
    assert.deepEqual(codes(flagged.diagnostics), ['suppression-reason']);
    const [reminder] = flagged.diagnostics;
    assert.equal(reminder!.range.start.line, 1, 'on the inserted comment');
    assert.match(reminder!.message, /still has the placeholder reason/);
    const onReminder = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: reminder!.range,
      context: { diagnostics: flagged.diagnostics },
    })) as CodeAction[];
    assert.deepEqual(onReminder.map((a) => a.title), [], 'a missing reason is not itself disabled or documented as a rule');

    const explained = suppressed.replace('TODO: explain why this is safe', 'long-poll, cancelled by the caller');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: explained }] });
    assert.deepEqual((await client.diagnostics(uri, (d) => d.version === 3)).diagnostics, []);
  });

  it('answers fix-all with every preferred fix, and nothing once fixed', async () => {
    const code = `export const a = (u: string) => fetch(u);\nexport const b = (u: string) => fetch(u, { method: 'POST' });\n`;
    const file = path.join(dir, 'src', 'two.ts');
    fs.writeFileSync(file, code);
    const uri = uriOf(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: code } });
    await client.diagnostics(uri, (d) => d.diagnostics.length === 2);
    const request = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } };
    const [fixAll] = (await client.connection.sendRequest('textDocument/codeAction', request)) as CodeAction[];
    assert.equal(fixAll!.kind, 'source.fixAll.resilint');
    const fixed = applyTextEdits(code, textEdits(fixAll!.edit, uri)[0]!.edits);
    assert.equal((fixed.match(/AbortSignal\.timeout\(10000\)/g) ?? []).length, 2);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    await client.diagnostics(uri, (d) => d.version === 2 && d.diagnostics.length === 0);
    const second = (await client.connection.sendRequest('textDocument/codeAction', request)) as CodeAction[];
    assert.deepEqual(second, [], 'fix-all applied twice changes nothing');
  });

  it('leaves tests alone until checkTests is on, and re-analyses them when the configuration says so', async () => {
    const file = path.join(dir, 'src', 'api.test.ts');
    fs.writeFileSync(file, FETCH_CODE);
    const uri = uriOf(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });
    assert.deepEqual((await client.diagnostics(uri, (d) => d.version === 1)).diagnostics, []);
    const config = path.join(dir, 'resilint.config.json');
    fs.writeFileSync(config, JSON.stringify({ rules: { 'missing-timeout': { options: { checkTests: true } } } }));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 1 }] });
    const published = await client.diagnostics(uri, (d) => d.diagnostics.length > 0);
    assert.deepEqual(codes(published.diagnostics), ['missing-timeout']);
  });

  it('follows an import into a file created after the importer was analysed', async () => {
    const file = path.join(dir, 'src', 'check.ts');
    fs.writeFileSync(file, CHECK_CODE);
    const uri = uriOf(file);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: CHECK_CODE } });
    assert.deepEqual((await client.diagnostics(uri, (d) => d.version === 1)).diagnostics, []);
    const created = path.join(dir, 'src', 'inventory.ts');
    fs.writeFileSync(created, STOCK_CODE);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(created), type: 1 }] });
    const published = await client.diagnostics(uri, (d) => d.diagnostics.length > 0);
    assert.deepEqual(codes(published.diagnostics), ['n-plus-one-query']);
  });

  it('follows what a file reads from another after opening more source than the trees it keeps', async () => {
    const { check, inventory } = writeStockFiles();
    const open = async (file: string, text: string) => {
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'typescript', version: 1, text } });
      return client.diagnostics(uriOf(file), (d) => d.version === 1);
    };
    const edit = async (version: number) => {
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(check), version }, contentChanges: [{ text: `${CHECK_CODE}// ${version}\n` }] });
      return codes((await client.diagnostics(uriOf(check), (d) => d.version === version)).diagnostics);
    };
    assert.deepEqual(codes((await open(check, CHECK_CODE)).diagnostics), ['n-plus-one-query']);
    // 1.6 MB of other files, opened and closed one after another: more than the editor keeps parsed.
    const filler = Array.from({ length: 8000 }, (_, i) => `export const value${i} = ${i};\n`).join('');
    for (let i = 0; i < 8; i++) {
      const file = path.join(dir, 'src', `filler${i}.ts`);
      fs.writeFileSync(file, filler);
      await open(file, filler);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
    }
    assert.deepEqual(await edit(2), ['n-plus-one-query'], 'the request inventory.ts makes is still known');
    await open(inventory, LOCAL_STOCK_CODE);
    assert.deepEqual(await edit(3), [], "inventory.ts's editor text, which makes no request, is followed");
  });

  it('analyses the workspace in the background, files it has not been shown included, and counts the tests it skipped', async () => {
    const file = path.join(dir, 'src', 'closed.ts');
    fs.writeFileSync(file, FETCH_CODE);
    fs.writeFileSync(path.join(dir, 'src', 'closed.test.ts'), FETCH_CODE);
    const result = (await client.connection.sendRequest('resilint/analyzeWorkspace')) as { files: number; testFilesSkipped: number; findings: number };
    assert.deepEqual(result, { files: 1, testFilesSkipped: 1, findings: 1 });
    const published = await client.diagnostics(uriOf(file), (d) => d.diagnostics.length === 1);
    assert.equal(published.version, undefined, 'disk-only files carry no document version');
  });

  /** Writes m.ts (one finding) and a slow file named after it, so the scan reaches the slow file once m.ts's diagnostics are out. */
  /** Writes check.ts and inventory.ts (see CHECK_CODE). */
  function writeStockFiles(inventoryCode = STOCK_CODE): { check: string; inventory: string } {
    const check = path.join(dir, 'src', 'check.ts');
    const inventory = path.join(dir, 'src', 'inventory.ts');
    fs.writeFileSync(check, CHECK_CODE);
    fs.writeFileSync(inventory, inventoryCode);
    return { check, inventory };
  }

  function prepareSlowScan(slowName: string): string {
    fs.writeFileSync(path.join(dir, 'src', 'm.ts'), FETCH_CODE);
    const slowFile = path.join(dir, 'src', slowName);
    fs.writeFileSync(slowFile, SLOW_CODE);
    return slowFile;
  }

  /** Opens a document with FETCH_CODE, then starts a workspace scan and resolves once it is busy with the slow file; `scanned` is its result. */
  async function openThenScanUntilBusy(uri: string): Promise<{ scanned: Promise<{ files: number }> }> {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });
    await client.diagnostics(uri, (d) => d.version === 1 && d.diagnostics.length === 1);
    const scanned = client.connection.sendRequest('resilint/analyzeWorkspace') as Promise<{ files: number }>;
    await client.diagnostics(uriOf(path.join(dir, 'src', 'm.ts')), (d) => d.diagnostics.length === 1);
    return { scanned };
  }

  it('answers an edit while the workspace scan is busy with a slow file', async () => {
    const open = path.join(dir, 'src', 'a.ts');
    fs.writeFileSync(open, FETCH_CODE);
    const slowFile = prepareSlowScan('z.ts');
    const uri = uriOf(open);
    const { scanned } = await openThenScanUntilBusy(uri);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: FIXED_CODE }] });
    const first = await Promise.race([
      client.diagnostics(uri, (d) => d.version === 2 && d.diagnostics.length === 0, 60_000).then(() => 'the edit'),
      client.diagnostics(uriOf(slowFile), () => true, 60_000).then(() => 'the slow file'),
    ]);
    assert.equal(first, 'the edit');
    assert.equal((await scanned).files, 3);
  });

  it('runs the workspace scan below the priority of the thread that answers the editor (Linux keeps one per thread)', async function () {
    if (process.platform !== 'linux') this.skip();
    const open = path.join(dir, 'src', 'a.ts');
    fs.writeFileSync(open, FETCH_CODE);
    prepareSlowScan('z.ts');
    const { scanned } = await openThenScanUntilBusy(uriOf(open));
    const niceOf = (task: string) => Number(fs.readFileSync(task, 'utf8').replace(/^.*\) /s, '').split(' ')[16]);
    const tasks = path.join('/proc', String(client.process.pid), 'task');
    const nice = fs.readdirSync(tasks).map((id) => niceOf(path.join(tasks, id, 'stat')));
    assert.equal(niceOf(path.join(tasks, String(client.process.pid), 'stat')), 0, 'the thread that answers the editor');
    assert.ok(nice.includes(10), `a scan thread at nice 10 among ${nice.join(', ')}`);
    await scanned;
  });

  it('keeps the analysis of a file closed during the workspace scan, not the scan\'s of its discarded text', async () => {
    prepareSlowScan('s.ts');
    const closed = path.join(dir, 'src', 'z.ts');
    fs.writeFileSync(closed, FIXED_CODE);
    const uri = uriOf(closed);
    const { scanned } = await openThenScanUntilBusy(uri);
    // The scan has taken the unsaved text and is busy with s.ts: close without saving.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.diagnostics(uri, (d) => d.version === undefined && d.diagnostics.length === 0);
    await scanned;
    assert.deepEqual((await client.diagnostics(uri)).diagnostics, []);
  });

  it('counts in its status the findings it shows, as files are published, fixed and cleared', async () => {
    // The status follows each file's diagnostics, in a notification of its own.
    const statusCounts = async (findings: number) => {
      for (let waited = 0; client.lastStatus()?.findings !== findings && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(client.lastStatus()?.findings, findings);
    };
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), FETCH_CODE);
    fs.writeFileSync(path.join(dir, 'src', 'b.ts'), FETCH_CODE);
    await client.connection.sendRequest('resilint/analyzeWorkspace');
    await statusCounts(2);
    const uri = uriOf(path.join(dir, 'src', 'a.ts'));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FIXED_CODE } });
    await statusCounts(1);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: FETCH_CODE }] });
    await statusCounts(2);
    fs.rmSync(path.join(dir, 'src', 'b.ts'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, 'src', 'b.ts')), type: 3 }] });
    await statusCounts(1);
  });

  it('scans source files only, however many other documents are open', async () => {
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), FETCH_CODE);
    for (const [name, languageId] of [['README.md', 'markdown'], ['tsconfig.json', 'jsonc']] as const) {
      const text = languageId === 'jsonc' ? '{ "include": ["lib"] }' : '# notes';
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(path.join(dir, name)), languageId, version: 1, text } });
    }
    const result = await client.connection.sendRequest('resilint/analyzeWorkspace');
    assert.deepEqual(result, { files: 1, testFilesSkipped: 0, findings: 1 });
  });

  it('shows in the diagram a closed file\'s findings as they are after it changed on disk', async () => {
    const api = path.join(dir, 'src', 'api.ts');
    fs.writeFileSync(api, FETCH_CODE);
    fs.writeFileSync(path.join(dir, 'src', 'main.ts'), `import { load } from './api';\nexport const go = () => load('/x');\n`);
    await client.connection.sendRequest('resilint/analyzeWorkspace');
    const findingsOn = (diagram: { graph: { nodes: { findings?: { total: number } }[]; edges: { findings?: { total: number } }[] } }) =>
      [...diagram.graph.nodes, ...diagram.graph.edges].reduce((sum, part) => sum + (part.findings?.total ?? 0), 0);
    assert.equal(findingsOn(await client.connection.sendRequest('resilint/diagram', {})), 1);
    fs.writeFileSync(api, FIXED_CODE);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(api), type: 2 }] });
    assert.equal(findingsOn(await client.connection.sendRequest('resilint/diagram', {})), 0);
  });

  it('answers an edit while the first diagram is being computed', async () => {
    const open = path.join(dir, 'src', 'a.ts');
    fs.writeFileSync(open, FETCH_CODE);
    prepareSlowScan('z.ts');
    await client.connection.sendRequest('resilint/analyzeWorkspace');
    const uri = uriOf(open);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });
    await client.diagnostics(uri, (d) => d.version === 1 && d.diagnostics.length === 1);
    const diagram = client.connection.sendRequest('resilint/diagram', {}) as Promise<{ graph: { nodes: { label: string }[] } }>;
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: FIXED_CODE }] });
    const first = await Promise.race([
      client.diagnostics(uri, (d) => d.version === 2 && d.diagnostics.length === 0, 60_000).then(() => 'the edit'),
      diagram.then(() => 'the diagram'),
    ]);
    assert.equal(first, 'the edit');
    const labels = (await diagram).graph.nodes.map((node) => node.label);
    assert.ok(labels.includes('z'), labels.join(', '));
  });

  it('draws the diagram from the editor\'s text and the disk, also for a file that imports a changed one', async () => {
    const billing = path.join(dir, 'src', 'billing.ts');
    const billingCode = `export class BillingClient {\n  charge(id: string) {\n    return fetch('https://billing.example.com/charge/' + id, { signal: AbortSignal.timeout(5000) });\n  }\n}\n`;
    fs.writeFileSync(billing, billingCode);
    fs.writeFileSync(path.join(dir, 'src', 'orders.service.ts'), `import { BillingClient } from './billing';\nexport class OrdersService {\n  constructor(private readonly billing: BillingClient) {}\n  pay(id: string) {\n    return this.billing.charge(id);\n  }\n}\n`);
    type Graph = { graph: { nodes: { id: string; label: string }[]; edges: { from: string; to: string }[] } };
    const edges = async () => {
      const { graph } = (await client.connection.sendRequest('resilint/diagram', {})) as Graph;
      const label = new Map(graph.nodes.map((node) => [node.id, node.label]));
      return graph.edges.map((edge) => `${label.get(edge.from)} -> ${label.get(edge.to)}`).sort();
    };
    assert.ok((await edges()).includes('OrdersService -> BillingClient'), 'before the edit');
    const uri = uriOf(billing);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: billingCode } });
    const renamed = billingCode.replace('class BillingClient', 'class PaymentsClient') + 'export { PaymentsClient as BillingClient };\n';
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: renamed }] });
    const after = await edges();
    assert.ok(after.includes('OrdersService -> PaymentsClient'), after.join('; '));
    assert.ok(!after.some((edge) => edge.includes('BillingClient')), after.join('; '));

    // Closed without saving: the disk's text again; then another program writes the rename.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.ok((await edges()).includes('OrdersService -> BillingClient'), 'after the close');
    fs.writeFileSync(billing, renamed);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    assert.ok((await edges()).includes('OrdersService -> PaymentsClient'), 'after the change on disk');
  });

  it('follows the disk for closed files: a changed file, a file that reads it, a deleted or renamed one', async () => {
    const api = path.join(dir, 'src', 'api.ts');
    fs.writeFileSync(api, FETCH_CODE);
    const { check, inventory } = writeStockFiles();
    await client.connection.sendRequest('resilint/analyzeWorkspace');
    assert.deepEqual(codes((await client.diagnostics(uriOf(check), (d) => d.diagnostics.length === 1)).diagnostics), ['n-plus-one-query']);
    await client.diagnostics(uriOf(api), (d) => d.diagnostics.length === 1);

    // No request: the change on disk alone brings the scan that follows it.
    fs.writeFileSync(inventory, LOCAL_STOCK_CODE);
    const renamed = path.join(dir, 'src', 'loader.ts');
    fs.renameSync(api, renamed);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(inventory), type: 2 }, { uri: uriOf(api), type: 3 }, { uri: uriOf(renamed), type: 1 }],
    });
    await client.diagnostics(uriOf(check), (d) => d.diagnostics.length === 0);
    await client.diagnostics(uriOf(renamed), (d) => d.diagnostics.length === 1);
    await client.diagnostics(uriOf(api), (d) => d.diagnostics.length === 0);

    fs.writeFileSync(renamed, FIXED_CODE);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(renamed), type: 2 }] });
    await client.diagnostics(uriOf(renamed), (d) => d.diagnostics.length === 0);
  });

  it('analyses again, after a save, the closed files that read the saved file, and only those', async () => {
    const { check, inventory } = writeStockFiles();
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, 'src', `unrelated${i}.ts`), `export const limit${i} = ${i};\n`);
    await client.connection.sendRequest('resilint/analyzeWorkspace');
    await client.diagnostics(uriOf(check), (d) => d.diagnostics.length === 1);

    const uri = uriOf(inventory);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: STOCK_CODE } });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: LOCAL_STOCK_CODE }] });
    await client.diagnostics(uri, (d) => d.version === 2);
    fs.writeFileSync(inventory, LOCAL_STOCK_CODE);
    const begunBefore = client.progressBegun().length;
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await client.diagnostics(uriOf(check), (d) => d.diagnostics.length === 0);
    const refresh = client.progressBegun().slice(begunBefore);
    assert.deepEqual(refresh, ['Analysing 1 file(s) again after changes']);
  });

  it('analyses again a closed file changed on disk and the files that read it, not the whole workspace', async () => {
    const { check, inventory } = writeStockFiles(`export async function getStock(sku: string) {\n  return (await fetch('/stock/' + sku)).json();\n}\n`);
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, 'src', `unrelated${i}.ts`), `export const limit${i} = ${i};\n`);
    await client.connection.sendRequest('resilint/analyzeWorkspace');
    await client.diagnostics(uriOf(check), (d) => d.diagnostics.length === 1);
    await client.diagnostics(uriOf(inventory), (d) => d.diagnostics.length === 1);
    const begunBefore = client.progressBegun().length;
    // A generator rewrites the file: no request, the change alone.
    fs.writeFileSync(inventory, LOCAL_STOCK_CODE);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(inventory), type: 2 }] });
    await client.diagnostics(uriOf(check), (d) => d.diagnostics.length === 0);
    await client.diagnostics(uriOf(inventory), (d) => d.diagnostics.length === 0);
    assert.deepEqual(client.progressBegun().slice(begunBefore), ['Analysing 2 file(s) again after changes']);
  });

  it('analyses the readers of a file saved during a whole scan once the scan is done', async () => {
    const { check, inventory } = writeStockFiles();
    prepareSlowScan('z.ts');
    const scanned = client.connection.sendRequest('resilint/analyzeWorkspace');
    // Busy with the slow file: check.ts was analysed with the fetch in getStock.
    await client.diagnostics(uriOf(path.join(dir, 'src', 'm.ts')), (d) => d.diagnostics.length === 1);
    await client.diagnostics(uriOf(check), (d) => d.diagnostics.length === 1);
    const uri = uriOf(inventory);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: LOCAL_STOCK_CODE } });
    fs.writeFileSync(inventory, LOCAL_STOCK_CODE);
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await scanned;
    await client.diagnostics(uriOf(check), (d) => d.diagnostics.length === 0, 60_000);
  });

  it('scans a workspace folder added later, and stops showing the closed files of one removed or disabled', async () => {
    const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-lsp-added-')));
    const first = path.join(dir, 'src', 'a.ts');
    const second = path.join(other, 'b.ts');
    fs.writeFileSync(first, FETCH_CODE);
    fs.writeFileSync(second, FETCH_CODE);
    let configuration: Record<string, unknown> = {};
    const server = startServer();
    try {
      let folders = [{ uri: uriOf(dir), name: 'case' }];
      server.connection.onRequest('workspace/workspaceFolders', () => folders);
      server.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => configuration));
      await server.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: uriOf(dir),
        workspaceFolders: folders,
        capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: true } },
      });
      await server.connection.sendNotification('initialized', {});
      await server.diagnostics(uriOf(first), (d) => d.diagnostics.length === 1);

      folders = [{ uri: uriOf(other), name: 'other' }];
      await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: folders, removed: [{ uri: uriOf(dir), name: 'case' }] } });
      await server.diagnostics(uriOf(second), (d) => d.diagnostics.length === 1);
      await server.diagnostics(uriOf(first), (d) => d.diagnostics.length === 0);

      configuration = { enable: false };
      await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await server.diagnostics(uriOf(second), (d) => d.diagnostics.length === 0);
      configuration = {};
      await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await server.diagnostics(uriOf(second), (d) => d.diagnostics.length === 1);
    } finally {
      await server.stop();
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('leaves a nested workspace folder\'s files to its own scan, and neither scans nor says anything about a folder it is disabled for', async () => {
    const app = path.join(dir, 'e2e', 'app');
    fs.mkdirSync(path.join(app, 'src'), { recursive: true });
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
    const nestedFile = path.join(app, 'src', 'x.ts');
    fs.writeFileSync(nestedFile, FETCH_CODE);
    fs.writeFileSync(path.join(dir, 'resilint.config.json'), '{ "rules": ');
    const scanWith = async (configuration: Record<string, unknown>) => {
      const other = startServer({ configuration });
      try {
        await other.connection.sendRequest('initialize', {
          processId: process.pid,
          rootUri: uriOf(dir),
          workspaceFolders: [{ uri: uriOf(app), name: 'app' }, { uri: uriOf(dir), name: 'case' }],
          capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
        });
        await other.connection.sendNotification('initialized', {});
        const result = await other.connection.sendRequest('resilint/analyzeWorkspace');
        return { result, published: (await other.diagnostics(uriOf(nestedFile), () => true, 2000).catch(() => undefined))?.diagnostics.length, shown: other.shownMessages() };
      } finally {
        await other.stop();
      }
    };
    const enabled = await scanWith({});
    assert.deepEqual(enabled.result, { files: 1, testFilesSkipped: 0, findings: 1 });
    assert.equal(enabled.published, 1);
    const disabled = await scanWith({ enable: false });
    assert.deepEqual(disabled.result, { files: 0, testFilesSkipped: 0, findings: 0 });
    assert.deepEqual(disabled.shown, []);
    assert.equal(disabled.published, undefined);
  });

  it('offers the quick fix of a file the background scan analysed once it is opened', async () => {
    const file = path.join(dir, 'src', 'closed.ts');
    fs.writeFileSync(file, FETCH_CODE);
    await client.connection.sendRequest('resilint/analyzeWorkspace');
    const uri = uriOf(file);
    const scanned = await client.diagnostics(uri, (d) => d.diagnostics.length === 1);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: scanned.diagnostics[0]!.range,
      context: { diagnostics: scanned.diagnostics },
    })) as CodeAction[];
    assert.equal(actions[0]?.title, 'Add timeout: signal: AbortSignal.timeout(10000)');
    assert.equal(textEdits(actions[0]!.edit, uri)[0]?.textDocument.version, 1);
  });

  it('warns once when the tsconfig.json does not parse, and still analyses the file', async () => {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true, }\n  "include": [ "src" ');
    const uri = uriOf(path.join(dir, 'src', 'a.ts'));
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), FETCH_CODE);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, 'tsconfig.json')), type: 2 }] });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });
    const published = await client.diagnostics(uri, (d) => d.diagnostics.length === 1);
    assert.deepEqual(codes(published.diagnostics), ['missing-timeout']);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: FETCH_CODE + '\n' }] });
    await client.diagnostics(uri, (d) => d.version === 2);
    const warnings = client.shownMessages().filter((m) => m.includes('tsconfig.json'));
    assert.equal(warnings.length, 1, client.shownMessages().join('\n'));
    assert.match(warnings[0]!, /^Resilint: .*tsconfig\.json cannot be read \(.+\): its files are analysed with default compiler options$/);
  });

  it('survives syntax errors, empty, binary and non-UTF-8 files', async () => {
    const cases: [string, Buffer][] = [
      ['broken.ts', Buffer.from('export function (( {\n  const = fetch(\n')],
      ['empty.ts', Buffer.alloc(0)],
      ['binary.ts', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x00, 0x10])],
      ['latin1.ts', Buffer.from('// caf\xe9\nexport const f = (u: string) => fetch(u);\n', 'latin1')],
    ];
    for (const [name, bytes] of cases) fs.writeFileSync(path.join(dir, 'src', name), bytes);
    for (const [name, bytes] of cases) {
      const uri = uriOf(path.join(dir, 'src', name));
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: bytes.toString('latin1') } });
    }
    const latin1 = await client.diagnostics(uriOf(path.join(dir, 'src', 'latin1.ts')), (d) => d.diagnostics.length === 1);
    assert.deepEqual(codes(latin1.diagnostics), ['missing-timeout']);
    await client.diagnostics(uriOf(path.join(dir, 'src', 'broken.ts')));
    // Still answering after all of that:
    const result = (await client.connection.sendRequest('resilint/analyzeWorkspace')) as { files: number };
    assert.equal(result.files, cases.length);
    assert.equal(client.process.exitCode, null, `server died: ${client.stderr()}`);
  });
});
