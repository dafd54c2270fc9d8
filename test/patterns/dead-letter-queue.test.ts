import assert from 'node:assert/strict';
import {
  DeadLetterQueue,
  DeadLetterQueueFullError,
  type DeadLetter,
  type OverflowPolicy,
} from '../../patterns/dead-letter-queue';

describe('patterns/dead-letter-queue', () => {
  let time: number;
  const now = () => time;
  beforeEach(() => {
    time = 1000;
  });

  function queue(policy: OverflowPolicy, capacity = 2) {
    const overflowed: Array<[string, OverflowPolicy]> = [];
    const dlq = new DeadLetterQueue<string>({
      capacity,
      overflow: policy,
      now,
      onOverflow: (letter, p) => overflowed.push([letter.item, p]),
    });
    return { dlq, overflowed };
  }

  const items = (letters: Array<DeadLetter<string>>) => letters.map((letter) => letter.item);

  it('records the item, error, attempts and time of each letter', () => {
    const { dlq } = queue('reject');
    const error = new Error('poison');
    assert.equal(dlq.add('a', error, 3), true);
    time = 2000;
    dlq.add('b', 'string reason');
    assert.deepEqual(dlq.peek(), [
      { item: 'a', error, attempts: 3, failedAt: 1000 },
      { item: 'b', error: 'string reason', attempts: 1, failedAt: 2000 },
    ]);
  });

  it('peek leaves letters in place and drain removes them oldest first', () => {
    const { dlq } = queue('reject', 5);
    for (const item of ['a', 'b', 'c']) dlq.add(item, new Error(item));
    assert.deepEqual(items(dlq.peek(2)), ['a', 'b']);
    assert.equal(dlq.size, 3);
    assert.deepEqual(items(dlq.drain(2)), ['a', 'b']);
    assert.equal(dlq.size, 1);
    assert.deepEqual(items(dlq.drain()), ['c']);
    assert.deepEqual(dlq.drain(), []);
    assert.equal(dlq.size, 0);
  });

  it('drop-oldest keeps the newest letters and reports the dropped one', () => {
    const { dlq, overflowed } = queue('drop-oldest');
    dlq.add('a', null);
    dlq.add('b', null);
    assert.equal(dlq.add('c', null), true);
    assert.deepEqual(items(dlq.peek()), ['b', 'c']);
    assert.deepEqual(overflowed, [['a', 'drop-oldest']]);
    assert.equal(dlq.overflowCount, 1);
    assert.equal(dlq.size, 2);
  });

  it('drop-newest keeps the queue as it is, returns false and reports the new letter', () => {
    const { dlq, overflowed } = queue('drop-newest');
    dlq.add('a', null);
    dlq.add('b', null);
    assert.equal(dlq.add('c', null), false);
    assert.deepEqual(items(dlq.peek()), ['a', 'b']);
    assert.deepEqual(overflowed, [['c', 'drop-newest']]);
    assert.equal(dlq.overflowCount, 1);
  });

  it('reject throws DeadLetterQueueFullError, reports the letter and keeps the queue', () => {
    const { dlq, overflowed } = queue('reject');
    dlq.add('a', null);
    dlq.add('b', null);
    assert.throws(
      () => dlq.add('c', null),
      (error: unknown) => error instanceof DeadLetterQueueFullError && error.capacity === 2 && error.name === 'DeadLetterQueueFullError',
    );
    assert.deepEqual(items(dlq.peek()), ['a', 'b']);
    assert.deepEqual(overflowed, [['c', 'reject']]);
    assert.equal(dlq.overflowCount, 1);
  });

  it('accepts letters again once drained', () => {
    const { dlq } = queue('reject');
    dlq.add('a', null);
    dlq.add('b', null);
    dlq.drain(1);
    assert.equal(dlq.add('c', null), true);
    assert.deepEqual(items(dlq.peek()), ['b', 'c']);
  });

  it('behaves like a bounded FIFO across many wrap-arounds', () => {
    const { dlq } = queue('drop-oldest', 3);
    const model: string[] = [];
    for (let i = 0; i < 200; i++) {
      const item = `m${i}`;
      dlq.add(item, null);
      model.push(item);
      if (model.length > 3) model.shift();
      if (i % 7 === 0) {
        const count = i % 3;
        assert.deepEqual(items(dlq.drain(count)), model.splice(0, count));
      }
      assert.deepEqual(items(dlq.peek()), model);
    }
  });

  it('rejects an invalid capacity or policy', () => {
    assert.throws(() => new DeadLetterQueue({ capacity: 0, overflow: 'reject' }), RangeError);
    assert.throws(() => new DeadLetterQueue({ capacity: 1, overflow: 'drop-all' as OverflowPolicy }), RangeError);
  });
});
