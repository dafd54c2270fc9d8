import * as assert from 'node:assert/strict';
import { applyTextEdits, mergeFixes } from '../../server/src/engine/edits';
import type { Fix, TextEdit } from '../../server/src/engine/findings';

const at = (line: number, character: number, endCharacter = character) => ({ start: { line, character }, end: { line, character: endCharacter } });
const edit = (range: TextEdit['range'], newText: string): TextEdit => ({ filePath: '/p/a.ts', range, newText });

describe('fix merging (fix-all)', () => {
  const text = 'const a = new Map();\nconst b = new Map();\n';
  const addImport = edit(at(0, 0), "import { LruCache } from './lru-cache';\n");

  it('takes an import that two fixes both add only once', () => {
    const fixA: Fix = { title: 'a', edits: [addImport, edit(at(0, 10, 19), 'new LruCache()')], createFiles: [{ filePath: '/p/lru-cache.ts', text: 'x' }] };
    const fixB: Fix = { title: 'b', edits: [addImport, edit(at(1, 10, 19), 'new LruCache()')], createFiles: [{ filePath: '/p/lru-cache.ts', text: 'x' }] };
    const { edits, createFiles } = mergeFixes([fixA, fixB]);
    assert.equal(applyTextEdits(text, edits), "import { LruCache } from './lru-cache';\nconst a = new LruCache();\nconst b = new LruCache();\n");
    assert.equal(createFiles.length, 1);
  });

  it('leaves out a whole fix that overlaps an edit already taken', () => {
    const first: Fix = { title: 'first', edits: [edit(at(0, 6, 7), 'x')] };
    const second: Fix = { title: 'second', edits: [edit(at(1, 6, 7), 'y'), edit(at(0, 0, 9), 'let z =')] };
    const { edits } = mergeFixes([first, second]);
    assert.equal(applyTextEdits(text, edits), 'const x = new Map();\nconst b = new Map();\n');
  });

  it('is idempotent in effect: nothing to merge, nothing changes', () => {
    assert.deepEqual(mergeFixes([]), { edits: [], createFiles: [] });
    assert.equal(applyTextEdits(text, []), text);
  });
});
