import * as assert from 'node:assert/strict';
import { messageText, oneLine } from '../../server/src/rules/shared/messageText';

// Source quoted in messages reads as it would written on one line.

describe('messageText', () => {
  it('joins a chain broken over lines and keeps the spaces within a line', () => {
    assert.equal(oneLine('this.connection\n    .getRepository(ctx, TaxCategory)\n    ?.update'), 'this.connection.getRepository(ctx, TaxCategory)?.update');
    assert.equal(oneLine('(this.constructor as typeof Document).findAll'), '(this.constructor as typeof Document).findAll');
    assert.equal(oneLine('db.insert({\n  id,\n  name: user.name,\n})'), 'db.insert({id, name: user.name,})');
    assert.equal(oneLine('merge(a, ...rest)'), 'merge(a, ...rest)');
  });

  it('cuts long text to the length asked for', () => {
    assert.equal(messageText('abcdefghij', 8), 'abcde...');
    assert.equal(messageText('abcdefgh', 8), 'abcdefgh');
  });
});
