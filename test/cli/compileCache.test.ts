import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFiles, theOnlyCache } from '../codeCacheFiles';

// The `resilint` launcher starts the CLI bundle from V8's code cache in the user's cache
// folder. The cache may only ever save time: whatever state it is in, the output is the same.

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const SHOP = path.join(REPO, 'test', 'fixtures', 'shop');

function resilint(cacheHome: string) {
  const result = spawnSync(process.execPath, [CLI, 'check', SHOP, '--format', 'json'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI compile cache', () => {
  let home: string;
  let reference: ReturnType<typeof resilint>;

  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-cache-home-'));
    reference = resilint(home);
    assert.equal(reference.stderr, '');
    assert.ok(JSON.parse(reference.stdout).findings.length > 0);
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('writes one cache file, for this user only, and uses it without writing again', () => {
    const file = theOnlyCache(home, 'cli');
    const written = fs.statSync(file).mtimeMs;

    const again = resilint(home);
    assert.deepEqual(again, reference);
    assert.equal(fs.statSync(file).mtimeMs, written, 'an accepted cache is not rewritten');
  });

  it('gives the same result from a corrupt cache, and replaces it', () => {
    const [file] = cacheFiles(home);
    fs.writeFileSync(file!, Buffer.alloc(4096, 7));
    assert.deepEqual(resilint(home), reference);
    assert.notDeepEqual(fs.readFileSync(file!), Buffer.alloc(4096, 7));
    assert.ok(fs.statSync(file!).size > 1_000_000);
  });

  it('works when the cache folder cannot be created', () => {
    const blocked = path.join(home, 'not-a-folder');
    fs.writeFileSync(blocked, 'a file where the cache folder would go');
    assert.deepEqual(resilint(blocked), reference);
  });

  it('keeps only the newest few caches of earlier builds', () => {
    const dir = path.join(home, 'resilint');
    const stale = ['cli-00000001.v8cache', 'cli-00000002.v8cache', 'cli-00000003.v8cache', 'cli-00000004.v8cache'];
    stale.forEach((name, i) => {
      fs.writeFileSync(path.join(dir, name), 'old');
      const old = new Date(Date.now() - (i + 1) * 86_400_000);
      fs.utimesSync(path.join(dir, name), old, old);
    });
    for (const file of cacheFiles(home).filter((f) => !stale.includes(path.basename(f)))) fs.rmSync(file);
    assert.deepEqual(resilint(home), reference);
    const names = cacheFiles(home).map((f) => path.basename(f)).sort();
    assert.equal(names.length, 3);
    assert.ok(names.includes('cli-00000001.v8cache') && names.includes('cli-00000002.v8cache'), names.join(', '));
  });
});
