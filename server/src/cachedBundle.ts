import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

// Starts a bundle (the CLI's, the language server's) from V8's code cache, for the small
// launchers that are the `resilint` command (cli/launcher.ts) and the server's entry
// (lsp/launcher.ts). A bundle is 14 MB of JavaScript, the compiler most of it: compiling
// it costs every process and every worker thread a fifth to a quarter of a second before
// any work, and the functions it then compiles lazily as much again. The cache is written
// once per bundle build, Node version and V8 flags, into the user's own cache folder (never
// the workspace), by the main thread as it exits; V8 checks it again on load and, should it
// not match, the bundle simply compiles as usual and the cache is written anew. Nothing here
// is required for the bundle to work: any failure to read or write the cache only costs that time.

const KEPT_CACHES = 3;

/** Runs `bundle` (CommonJS) in this thread; `kind` names its caches (`<kind>-<hash>.v8cache`). */
export function runCachedBundle(bundle: string, kind: string): void {
  // Scans ask V8 for full collections (engine/heapReclaimer.ts), which this flag allows. Set
  // here, before compiling, as V8 checks a code cache against the flags it was made under.
  v8.setFlagsFromString('--expose-gc');
  const source = fs.readFileSync(bundle, 'utf8');
  const cacheFile = compileCachePath(bundle, kind);
  const cachedData = cacheFile === undefined ? undefined : readIfPresent(cacheFile);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  // At exit, so the cache also holds the functions compiled while the command ran.
  if (cacheFile !== undefined && isMainThread && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => writeCompileCache(cacheFile, kind, script.createCachedData()));
  }
  const bundleModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  run.call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
}

/** The cache file for this bundle build under this Node and these flags; undefined without a home folder. */
function compileCachePath(bundle: string, kind: string): string | undefined {
  const base = process.env['XDG_CACHE_HOME'] || (os.homedir() ? path.join(os.homedir(), '.cache') : undefined);
  if (!base) return undefined;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(bundle);
  } catch {
    return undefined;
  }
  const key = [process.version, process.arch, stat.size, Math.round(stat.mtimeMs), process.env['NODE_OPTIONS'] ?? '', ...process.execArgv].join('|');
  return path.join(base, 'resilint', `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}.v8cache`);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (renamed into place), readable by this user only. */
function writeCompileCache(file: string, kind: string, data: Buffer): void {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(partial, data, { mode: 0o600 });
    fs.renameSync(partial, file);
    pruneCompileCaches(path.dirname(file), kind);
  } catch {
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // The folder itself is unusable: there is nothing to clean up.
    }
  }
}

/** Each build has its own cache of each kind (9 MB): keep the few newest, for installs side by side. */
function pruneCompileCaches(dir: string, kind: string): void {
  const ofKind = new RegExp(`^${kind}-[0-9a-f]{8}\\.v8cache$`);
  const caches = fs
    .readdirSync(dir)
    .filter((name) => ofKind.test(name))
    .map((name) => ({ file: path.join(dir, name), mtime: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of caches.slice(KEPT_CACHES)) fs.rmSync(file, { force: true });
}

