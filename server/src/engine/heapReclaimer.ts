import * as v8 from 'node:v8';
import * as vm from 'node:vm';

// A scan, and the editor beyond its budget, release the syntax trees they no longer need
// (Workspace.releaseTrees), but their memory comes back only at V8's next full collection.
// When collections are cheap, as in a scan, V8 lets a heap grow to about four times what
// survived the last one before it collects again, so each thread would still reach some
// 250 MB however few trees it keeps. After a release, once the heap has passed RECLAIM_ABOVE,
// a full collection is asked for: a few per thread on a 4,000-file scan, none on small ones.

const RECLAIM_ABOVE = 150 * 1024 * 1024;

/** What a batch run, or the editor, calls after releasing trees; undefined where V8 refuses to expose its collector. */
export function heapReclaimer(): (() => void) | undefined {
  let collect: unknown;
  try {
    // The launcher sets the flag too, before it compiles the bundle, so that the code
    // cache it writes is checked under the same flags it was made with.
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc');
  } catch {
    return undefined;
  }
  if (typeof collect !== 'function') return undefined;
  const gc = collect as () => void;
  return () => {
    if (v8.getHeapStatistics().used_heap_size > RECLAIM_ABOVE) gc();
  };
}
