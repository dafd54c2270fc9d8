import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dependencyOrder, singleThreadPlan } from '../../server/src/engine/scanOrder';

// The order a batch scan analyses files in: each folder together, after the folders its
// files import from, so that a thread's files import each other and a file's imports are
// still parsed when its turn comes.

const ROOT = path.join(path.sep, 'project', 'src');
const at = (relative: string) => path.join(ROOT, ...relative.split('/'));

function order(sources: Record<string, string>): string[] {
  const files = Object.keys(sources).map(at).sort();
  const texts = new Map(Object.entries(sources).map(([file, text]) => [at(file), text]));
  return dependencyOrder(files, (file) => texts.get(file)).map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
}

describe('scan order', () => {
  it('puts a folder after the folders it imports from, each folder whole and in path order', () => {
    assert.deepEqual(
      order({
        'a/one.ts': `import { b } from '../b/two';\nimport { c } from "../c";`,
        'a/zero.ts': '',
        'b/two.ts': `export { c } from '../c/index.js';`,
        'c/index.ts': `const shared = require('../shared/util');`,
        'shared/util.ts': '',
        'z/alone.ts': `import type { Thing } from 'some-package';`,
      }),
      ['shared/util.ts', 'c/index.ts', 'b/two.ts', 'a/one.ts', 'a/zero.ts', 'z/alone.ts'],
    );
  });

  it('keeps every file once through import cycles and imports of unknown files', () => {
    const result = order({
      'a/x.ts': `import './../b/y';\nimport '../missing/file';`,
      'b/y.ts': `const lazy = () => import('../a/x');`,
      'c/w.tsx': `import { x } from '../a/x';`,
    });
    assert.deepEqual([...result].sort(), ['a/x.ts', 'b/y.ts', 'c/w.tsx']);
    assert.ok(result.indexOf('c/w.tsx') > result.indexOf('a/x.ts'));
  });

  it('follows an import chain thousands of folders long without overflowing the stack', () => {
    const sources: Record<string, string> = {};
    const folders = 6000;
    for (let i = 0; i < folders; i++) sources[`m${String(i).padStart(5, '0')}/f.ts`] = i === 0 ? '' : `import '../m${String(i - 1).padStart(5, '0')}/f';`;
    // Roots in path order would start from the chain's far end; the order must still run from its start.
    const result = order(sources);
    assert.equal(result.length, folders);
    assert.deepEqual(result.slice(0, 2), ['m00000/f.ts', 'm00001/f.ts']);
  });

  it('keeps path order on one thread while the text fits the tree budget, and orders by imports beyond it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-order-'));
    try {
      const files = ['a/uses.ts', 'z/used.ts'].map((name) => path.join(dir, ...name.split('/')));
      for (const file of files) fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(files[0]!, `import { used } from '../z/used';\n`.padEnd(100, ' '));
      fs.writeFileSync(files[1]!, 'export const used = 1;\n'.padEnd(100, ' '));
      const readText = (file: string) => fs.readFileSync(file, 'utf8');
      assert.deepEqual(singleThreadPlan(files, 200, readText, () => undefined).order, files);
      assert.deepEqual(singleThreadPlan(files, 199, readText, () => undefined).order, [files[1], files[0]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('beyond the budget, says where each file is expected to be read: its own turn and its importers\' turns, packages named included', () => {
    const files = ['app/main.ts', 'app/other.ts', 'lib/index.ts', 'lib/util.ts'].map(at);
    const texts = new Map([
      [at('app/main.ts'), `import { lib } from '@acme/lib';\nimport { util } from '../lib/util';\n`],
      [at('app/other.ts'), `import { lib } from '@acme/lib';\nimport { missing } from '@acme/missing';\n`],
      [at('lib/index.ts'), `export * from './util';\n`],
      [at('lib/util.ts'), ''],
    ]);
    const packageFile = (specifier: string) => (specifier === '@acme/lib' ? at('lib/index.ts') : undefined);
    const plan = singleThreadPlan(files, 1, (file) => texts.get(file), packageFile);
    // The package import does not move the folder order: lib/ comes first through the relative one.
    assert.deepEqual(plan.order, ['lib/index.ts', 'lib/util.ts', 'app/main.ts', 'app/other.ts'].map(at));
    assert.deepEqual(
      Object.fromEntries([...plan.expectedUses!].map(([file, positions]) => [path.relative(ROOT, file).split(path.sep).join('/'), positions])),
      { 'lib/index.ts': [0, 2, 3], 'lib/util.ts': [0, 1, 2], 'app/main.ts': [2], 'app/other.ts': [3] },
    );
    assert.equal(singleThreadPlan(files, 1_000, (file) => texts.get(file), packageFile).expectedUses, undefined, 'within the budget nothing is released');
  });
});
