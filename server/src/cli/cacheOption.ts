import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisCache, digest } from '../engine/analysisCache';
import type { Rule } from '../engine/rule';

// `--cache` / `--cache-location` for the CLI: where the cache lives, which build and
// settings it belongs to, and the one line that says how much of it was reused.

const DEFAULT_CACHE_FILE = '.resilintcache';

interface CacheOwner {
  version: string;
  rules: readonly Rule<Record<string, unknown>>[];
  configFile?: string;
  /** Whether findings carry fixes: a cache written without them cannot serve a run that lists them. */
  fixes: boolean;
}

/** Opens the cache; an unreadable or corrupt cache file is reported and ignored. */
export function openCache(location: string | undefined, owner: CacheOwner): AnalysisCache {
  const cache = AnalysisCache.open(cacheFilePath(location), {
    version: buildIdentity(owner.version),
    settings: digest(...owner.rules.map((rule) => rule.meta.id), owner.configFile ? path.resolve(owner.configFile) : '', owner.fixes ? 'fixes' : ''),
  });
  if (cache.problem) process.stderr.write(`resilint: ${cache.problem}\n`);
  return cache;
}

/** Saves the cache and reports reuse; failing to save costs the next run time, not this one's result. */
export function closeCache(cache: AnalysisCache): void {
  // Opening it already said the file is not ours and no cache is kept.
  if (!cache.writable) return;
  try {
    cache.save();
  } catch (error) {
    process.stderr.write(`resilint: cache ${cache.file} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
  }
  const { hits, misses } = cache.stats;
  const why = cache.discarded ? `; the previous cache was ${cache.discarded}` : '';
  process.stderr.write(`resilint: cache: ${hits} of ${hits + misses} file(s) reused, ${misses} analysed${why} (${path.relative(process.cwd(), cache.file) || cache.file})\n`);
}

function cacheFilePath(location: string | undefined): string {
  const target = path.resolve(location ?? DEFAULT_CACHE_FILE);
  const isDirectory = /[\\/]$/.test(location ?? '') || (fs.existsSync(target) && fs.statSync(target).isDirectory());
  return isDirectory ? path.join(target, DEFAULT_CACHE_FILE) : target;
}

/**
 * The version alone would trust a cache across development builds and patched installs.
 * The running bundle's bytes tell builds apart (its modification time would not survive
 * the reinstall every CI run does); hashing them costs tens of milliseconds.
 */
function buildIdentity(version: string): string {
  try {
    return `${version}+${digest(fs.readFileSync(__filename, 'latin1')).slice(0, 16)}`;
  } catch {
    return version;
  }
}
