import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uriOf, type TestClient } from '../lsp/lspClient';

// The editor under load: a burst of 1,000 edits to one file and rapid open/close of 200
// files, repeated. The server must keep answering, publish diagnostics for the final
// text only, and its memory must level off. Figures are printed, not timed.

const FILES = 200;
const EDITS = 1000;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

describe('editor load over LSP', function () {
  this.timeout(600_000);
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-load-')));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
    fs.mkdirSync(path.join(dir, 'src'));
    for (let i = 0; i < FILES; i++) {
      fs.writeFileSync(path.join(dir, 'src', `m${i}.ts`), `export async function get${i}(u: string) {\n  return fetch(u${i % 2 === 0 ? ', { signal: AbortSignal.timeout(1000) }' : ''});\n}\n`);
    }
    client = startServer({ configuration: { debounceMs: 20 } });
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(dir),
      workspaceFolders: [{ uri: uriOf(dir), name: 'load' }],
      capabilities: { workspace: { configuration: true } },
    });
    await client.connection.sendNotification('initialized', {});
    await client.connection.sendRequest('resilint/analyzeWorkspace');
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function cycle(round: number): Promise<{ burstMs: number; answerMs: number }> {
    const uri = uriOf(path.join(dir, 'src', 'hot.ts'));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: '' } });
    const started = Date.now();
    let text = '';
    for (let version = 2; version <= EDITS + 1; version++) {
      // Alternate between code with and without a finding, so stale results would show.
      text = version % 2 === 0 ? `export const f${version} = (u: string) => fetch(u);\n` : `export const g${version} = 1;\n`;
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    }
    const askedAt = Date.now();
    await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    const answerMs = Date.now() - askedAt;
    const finalVersion = EDITS + 1;
    const final = await client.diagnostics(uri, (d) => d.version === finalVersion);
    const expectFinding = finalVersion % 2 === 0;
    assert.equal(final.diagnostics.length, expectFinding ? 1 : 0, `round ${round}: diagnostics match the final text`);
    const burstMs = Date.now() - started;

    for (let i = 0; i < FILES; i++) {
      const fileUri = uriOf(path.join(dir, 'src', `m${i}.ts`));
      const body = fs.readFileSync(path.join(dir, 'src', `m${i}.ts`), 'utf8');
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'typescript', version: 1, text: body } });
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri } });
    }
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    // Still correct for a file that was opened and closed in the storm:
    const last = await client.diagnostics(uriOf(path.join(dir, 'src', `m${FILES - 1}.ts`)), (d) => d.version === undefined);
    assert.equal(last.diagnostics.length, (FILES - 1) % 2 === 0 ? 0 : 1);
    return { burstMs, answerMs };
  }

  it('stays responsive, publishes only final results, and levels off in memory', async () => {
    const rows: { round: number; burstMs: number; answerMs: number; rssMb: number }[] = [];
    for (let round = 1; round <= 6; round++) {
      const { burstMs, answerMs } = await cycle(round);
      rows.push({ round, burstMs, answerMs, rssMb: Math.round(rssMb(client.process.pid!)) });
    }
    console.log(`      ${EDITS} edits + ${FILES} open/close per round`);
    for (const r of rows) console.log(`      round ${r.round}: burst ${r.burstMs} ms, request answered in ${r.answerMs} ms, server RSS ${r.rssMb} MB`);
    assert.equal(client.process.exitCode, null, client.stderr());
    // A leak grows every round; a plateau does not. Generous, because GC timing varies.
    const second = rows[1]!.rssMb;
    const last = rows.at(-1)!.rssMb;
    assert.ok(last <= second * 1.5 + 50, `server memory kept growing: ${rows.map((r) => r.rssMb).join(' → ')} MB`);
  });
});
