import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { heapReclaimer } from '../../server/src/engine/heapReclaimer';

// After a scan released trees, a batch run asks V8 for the full collection that returns their
// memory; V8 on its own would let the heap grow to several times the live data first.

describe('heap reclaimer', () => {
  it('returns the memory of dropped objects at once when the heap is large', () => {
    const reclaim = heapReclaimer();
    assert.ok(reclaim, 'V8 lets this Node expose its collector');
    const held = heapWithDroppedObjects();
    assert.ok(held > 200 * 1024 * 1024, `the test heap holds ${Math.round(held / 1048576)} MB`);
    reclaim();
    const after = v8.getHeapStatistics().used_heap_size;
    assert.ok(after < held - 100 * 1024 * 1024, `${Math.round(held / 1048576)} MB before, ${Math.round(after / 1048576)} MB after`);
  });
});

/** The heap's size while it holds 4 million small objects, which are garbage once this returns. */
function heapWithDroppedObjects(): number {
  const objects = Array.from({ length: 40 }, (_, chunk) => Array.from({ length: 100_000 }, (_, index) => ({ index, label: `chunk ${chunk}` })));
  return objects.length > 0 ? v8.getHeapStatistics().used_heap_size : 0;
}
