import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RUN, ScanQueue, type Run } from '../../server/src/engine/scanQueue';

// The queue a parallel scan's threads share: every file handed out exactly once, a
// thread's own segment first and from its front, then the rest of the busiest segment
// from its back.

function drain(queue: ScanQueue, segment: number): Run[] {
  const runs: Run[] = [];
  for (let run = queue.take(segment); run; run = queue.take(segment)) runs.push(run);
  return runs;
}

const indices = (runs: readonly Run[]) => runs.flatMap(({ start, end }) => Array.from({ length: end - start }, (_, i) => start + i));

describe('scan queue', () => {
  it('hands a thread its own segment from the front, in runs', () => {
    const queue = ScanQueue.create(10, 210, 2);
    assert.deepEqual(queue.take(0), { start: 10, end: 10 + RUN });
    assert.deepEqual(queue.take(1), { start: 110, end: 110 + RUN });
    assert.deepEqual(queue.take(0), { start: 10 + RUN, end: 10 + 2 * RUN });
  });

  it('then takes from the back of the segment with most left, and ends with everything taken once', () => {
    const queue = ScanQueue.create(0, 300, 3);
    const first = drain(queue, 2);
    // Its own 100, then the other two segments from their backs, the fuller one first.
    assert.deepEqual(first.slice(0, 4).map((r) => r.start), [200, 225, 250, 275]);
    assert.deepEqual(first[4], { start: 100 - RUN, end: 100 });
    assert.deepEqual(first[5], { start: 200 - RUN, end: 200 });
    assert.deepEqual(indices(first).sort((a, b) => a - b), Array.from({ length: 300 }, (_, i) => i));
    assert.equal(queue.take(0), undefined);
    assert.equal(queue.take(1), undefined);
  });

  it('tells what is left of a segment, so a thread can plan it as a whole', () => {
    const queue = ScanQueue.create(10, 210, 2);
    assert.deepEqual(queue.remaining(1), { start: 110, end: 210 });
    queue.take(1);
    drain(queue, 0);
    // Thread 0 took its own runs, then thread 1's from the back.
    assert.equal(queue.remaining(0), undefined);
    assert.equal(queue.remaining(1), undefined);
    const partly = ScanQueue.create(0, 100, 2);
    partly.take(0);
    assert.deepEqual(partly.remaining(0), { start: RUN, end: 50 });
  });

  it('copes with fewer items than segments, and with none', () => {
    const queue = ScanQueue.create(0, 2, 4);
    assert.deepEqual(indices([...drain(queue, 3), ...drain(queue, 0)]).sort(), [0, 1]);
    assert.equal(ScanQueue.create(5, 5, 2).take(0), undefined);
  });

  it('hands out each item exactly once to threads taking at the same time', async function () {
    this.timeout(60_000);
    const items = 20_000_000;
    const threads = 4;
    const queue = ScanQueue.create(0, items, threads);
    // A barrier, so that the threads take at the same time rather than one after the other.
    const start = new Int32Array(new SharedArrayBuffer(8));
    const moduleFile = JSON.stringify(path.join(__dirname, '..', '..', 'server', 'src', 'engine', 'scanQueue.js'));
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { ScanQueue } = require(${moduleFile});
      const queue = new ScanQueue(workerData.buffer);
      Atomics.add(workerData.start, 0, 1);
      Atomics.wait(workerData.start, 1, 0);
      const taken = [];
      for (let run = queue.take(workerData.segment); run; run = queue.take(workerData.segment)) taken.push(run.start, run.end);
      parentPort.postMessage(taken);`;
    const results = Array.from({ length: threads }, (_, segment) => new Promise<number[]>((resolve, reject) => {
      const worker = new Worker(source, { eval: true, workerData: { buffer: queue.buffer, segment, start } });
      worker.once('message', resolve);
      worker.once('error', reject);
    }));
    while (Atomics.load(start, 0) < threads) await new Promise((resolve) => setTimeout(resolve, 5));
    Atomics.store(start, 1, 1);
    Atomics.notify(start, 1);
    const taken = await Promise.all(results);
    const counts = new Uint8Array(items);
    for (const pairs of taken) for (let i = 0; i < pairs.length; i += 2) for (let item = pairs[i]!; item < pairs[i + 1]!; item++) counts[item]!++;
    assert.ok(counts.every((count) => count === 1), 'every item taken exactly once');
    assert.ok(taken.filter((pairs) => pairs.length > 0).length >= 2, 'the threads took at the same time');
  });
});
