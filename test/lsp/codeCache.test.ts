import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFiles, theOnlyCache } from '../codeCacheFiles';
import { startServer, uriOf } from './lspClient';

// The server's entry starts its bundle from V8's code cache (cachedBundle.ts), written by the
// server as it exits. The cache may only ever save time: the server answers the same with it.

const FETCH_CODE = `export async function load(url: string) {\n  const res = await fetch(url);\n  return res.json();\n}\n`;

describe('language server code cache', function () {
  this.timeout(60_000);
  let home: string;
  let dir: string;

  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-server-cache-'));
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-server-cache-project-')));
    fs.writeFileSync(path.join(dir, 'a.ts'), FETCH_CODE);
  });
  after(() => {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the server with this cache folder, has it analyse a.ts, stops it; the diagnostics' codes. */
  async function session(): Promise<string[]> {
    const client = startServer({ env: { ...process.env, XDG_CACHE_HOME: home } });
    try {
      await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: uriOf(dir), capabilities: {} });
      await client.connection.sendNotification('initialized', {});
      const uri = uriOf(path.join(dir, 'a.ts'));
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: FETCH_CODE } });
      const published = await client.diagnostics(uri, (d) => d.version === 1);
      return published.diagnostics.map((d) => String(d.code));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  }

  it('is written as the server exits, for this user only, then used without writing again', async () => {
    assert.deepEqual(await session(), ['missing-timeout']);
    const cache = theOnlyCache(home, 'server');
    const written = fs.statSync(cache).mtimeMs;
    assert.deepEqual(await session(), ['missing-timeout']);
    assert.equal(fs.statSync(cache).mtimeMs, written, 'an accepted cache is not rewritten');
  });

  it('starts the same from a corrupt cache, and replaces it', async () => {
    const [cache] = cacheFiles(home);
    fs.writeFileSync(cache!, Buffer.alloc(4096, 7));
    assert.deepEqual(await session(), ['missing-timeout']);
    assert.ok(fs.statSync(cache!).size > 1_000_000);
  });
});
