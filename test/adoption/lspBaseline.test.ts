import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startServer, uriOf, type TestClient } from '../lsp/lspClient';
import { resilint, tempProjects } from './harness';

// The editor applies resilint-baseline.json like `check` does; resilint.baseline decides
// whether baselined findings show as they are, as information, or not at all.

const OLD = `export async function loadUser(id: string) {\n  const res = await fetch('https://users.internal/' + id);\n  return res.json();\n}\n`;
const NEW = `export async function loadOrders(id: string) {\n  const res = await fetch('https://orders.internal/' + id);\n  return res.json();\n}\n`;

const shape = (published: PublishDiagnosticsParams) => published.diagnostics.map((d) => `${d.range.start.line + 1} ${d.severity} ${d.message}`);

describe('baseline in the editor', function () {
  const projects = tempProjects();
  let client: TestClient | undefined;

  afterEach(async () => {
    if (client && client.process.exitCode === null) await client.stop();
    client = undefined;
  });

  async function open(dir: string, configuration: Record<string, unknown>, listen?: (client: TestClient) => void): Promise<TestClient> {
    client = startServer({ configuration });
    listen?.(client);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(dir),
      workspaceFolders: [{ uri: uriOf(dir), name: 'case' }],
      // workspaceFolders: without it the server skips its start-up scan of closed files.
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: true } },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  function baselinedProject(): { dir: string; file: string } {
    const dir = projects.create({ 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }), 'src/api.ts': OLD });
    assert.equal(resilint(['baseline'], dir).code, 0);
    const file = path.join(dir, 'src', 'api.ts');
    fs.writeFileSync(file, OLD + NEW);
    return { dir, file };
  }

  it('lowers baselined findings to information by default and leaves new ones alone', async () => {
    const { dir, file } = baselinedProject();
    const server = await open(dir, {});
    const uri = uriOf(file);
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: OLD + NEW } });
    const published = await server.diagnostics(uri, (d) => d.version === 1);
    assert.deepEqual(shape(published), [
      `2 ${DiagnosticSeverity.Information} fetch() has no timeout: if the server stops responding, this call waits forever. (accepted in resilint-baseline.json)`,
      `6 ${DiagnosticSeverity.Warning} fetch() has no timeout: if the server stops responding, this call waits forever.`,
    ]);
  });

  it('hides or shows them as resilint.baseline says, following edits above the finding', async () => {
    const { dir, file } = baselinedProject();
    const uri = uriOf(file);
    const edited = `// moved down\n\n${OLD}${NEW}`;
    const hidden = await open(dir, { baseline: 'hide' });
    await hidden.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: edited } });
    assert.deepEqual(shape(await hidden.diagnostics(uri, (d) => d.version === 1)).map((s) => s.split(' ')[0]), ['8']);
    await hidden.stop();

    const shown = await open(dir, { baseline: 'show' });
    await shown.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: edited } });
    const all = await shown.diagnostics(uri, (d) => d.version === 1);
    assert.deepEqual(all.diagnostics.map((d) => [d.range.start.line + 1, d.severity]), [[4, DiagnosticSeverity.Warning], [8, DiagnosticSeverity.Warning]]);
  });

  it('follows a rewritten baseline file, for open files and files the workspace scan published', async () => {
    const { dir, file } = baselinedProject();
    const closed = path.join(dir, 'src', 'closed.ts');
    fs.writeFileSync(closed, NEW);
    const server = await open(dir, { baseline: 'hide' });
    const closedUri = uriOf(closed);
    const openUri = uriOf(file);
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: openUri, languageId: 'typescript', version: 1, text: OLD + NEW } });
    await server.diagnostics(openUri, (d) => d.version === 1 && d.diagnostics.length === 1);
    await server.diagnostics(closedUri, (d) => d.diagnostics.length === 1);

    assert.equal(resilint(['baseline'], dir).code, 0);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, 'resilint-baseline.json')), type: 2 }] });
    await server.diagnostics(closedUri, (d) => d.diagnostics.length === 0);
    await server.diagnostics(openUri, (d) => d.version === 1 && d.diagnostics.length === 0);
  });

  it('warns once about a broken baseline file and shows every finding', async () => {
    const { dir, file } = baselinedProject();
    fs.writeFileSync(path.join(dir, 'resilint-baseline.json'), '{ broken');
    const warnings: string[] = [];
    const server = await open(dir, { baseline: 'hide' }, (c) =>
      c.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
        warnings.push(params.message);
        return null;
      }),
    );
    const uri = uriOf(file);
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: OLD + NEW } });
    assert.equal((await server.diagnostics(uri, (d) => d.version === 1)).diagnostics.length, 2);
    assert.ok(warnings.some((w) => /^Resilint: baseline .*resilint-baseline\.json cannot be read \(.*\); showing all findings$/.test(w)), warnings.join('\n'));
  });
});
