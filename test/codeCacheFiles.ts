import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Shared by the CLI's and the server's code cache tests (cachedBundle.ts).

/** The cache files under a cache home (XDG_CACHE_HOME). */
export function cacheFiles(cacheHome: string): string[] {
  const dir = path.join(cacheHome, 'resilint');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : [];
}

/** Asserts that the cache home holds one cache, of `kind`, of a compiled bundle, readable by this user only; returns it. */
export function theOnlyCache(cacheHome: string, kind: string): string {
  const [file, ...others] = cacheFiles(cacheHome);
  assert.ok(file, 'no cache written');
  assert.deepEqual(others, []);
  assert.match(path.basename(file), new RegExp(`^${kind}-[0-9a-f]{8}\\.v8cache$`));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.ok(fs.statSync(file).size > 1_000_000, 'the cache holds the compiled bundle');
  return file;
}
