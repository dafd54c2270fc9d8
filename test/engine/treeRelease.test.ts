import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runAnalysis } from '../../server/src/engine/runner';
import { Workspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { typedRules } from './scanProbeRules';

// A batch run drops the syntax trees it no longer needs, and with them every memo that
// read them: released trees may only cost time (a second parse), never a finding.

describe('releasing syntax trees between the files of a batch run', function () {
  this.timeout(120_000);
  let dir: string;
  const file = (name: string) => path.join(dir, 'src', name);
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Files of exactly 100 characters each, so budgets can be counted in files. */
  function project(names: string[]): void {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-release-')));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }));
    for (const name of names) {
      const head = name === 'a.ts' ? "import { b } from './b';\nexport const a = b;\n" : `export const ${name[0]} = 1;\n`;
      fs.writeFileSync(file(name), head.padEnd(99, ' ') + '\n');
    }
  }

  it('drops the least recently used trees once they exceed the budget, with the memos that read them', () => {
    project(['a.ts', 'b.ts', 'c.ts']);
    let reclaimed = 0;
    const workspace = new Workspace(dir, { treeBudget: 250, reclaimMemory: () => reclaimed++ });
    const facts = workspace.projectFor(file('b.ts'));
    let computed = 0;
    const bText = () => facts.acrossFiles('b-text', () => (computed++, facts.getSourceFile(file('b.ts'))!.text.trim()));

    const bTree = workspace.getSourceFile(file('b.ts'));
    bText();
    workspace.releaseTrees();
    assert.equal(reclaimed, 0, 'under the budget nothing is released');

    const aTree = workspace.getSourceFile(file('a.ts'));
    const cTree = workspace.getSourceFile(file('c.ts'));
    bText();
    assert.equal(computed, 1, 'the memo is still warm');
    workspace.releaseTrees();
    assert.equal(reclaimed, 1);
    assert.equal(workspace.residentText, 100, 'released down to half the budget');
    assert.notEqual(workspace.getSourceFile(file('b.ts')), bTree, 'the least recently used tree was released and is parsed afresh');
    assert.equal(bText(), 'export const b = 1;');
    assert.equal(computed, 2, 'the memo that read the released tree was computed again');
    assert.ok([aTree, cTree].filter((tree) => workspace.getSourceFile(tree!.fileName) === tree).length <= 1, 'trees last used together go oldest first, until half the budget');
  });

  it('with the reads a one-thread run expects, drops the trees needed last instead of the least recently used', () => {
    project(['a.ts', 'b.ts', 'c.ts']);
    const workspace = new Workspace(dir, { treeBudget: 250 });
    // b.ts is analysed first and read again by the fourth file; a.ts and c.ts are not read again.
    workspace.planUses(new Map([[file('b.ts'), [0, 3]], [file('a.ts'), [1]], [file('c.ts'), [2]]]));
    const bTree = workspace.getSourceFile(file('b.ts'));
    workspace.releaseTrees();
    const aTree = workspace.getSourceFile(file('a.ts'));
    workspace.releaseTrees();
    workspace.getSourceFile(file('c.ts'));
    workspace.releaseTrees();
    assert.equal(workspace.residentText, 100, 'released down to half the budget');
    assert.equal(workspace.getSourceFile(file('b.ts')), bTree, 'the tree read again next was kept, though used least recently');
    assert.notEqual(workspace.getSourceFile(file('a.ts')), aTree);
  });

  it('keeps the trees a type-checking program holds', () => {
    project(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
    const workspace = new Workspace(dir, { treeBudget: 150 });
    const facts = workspace.projectFor(file('a.ts'));
    const aTree = workspace.getSourceFile(file('a.ts'))!;
    facts.getTypeChecker(aTree);
    const bTree = workspace.getSourceFile(file('b.ts'));
    workspace.releaseTrees();
    const cTree = workspace.getSourceFile(file('c.ts'));
    workspace.getSourceFile(file('d.ts'));
    workspace.releaseTrees();
    assert.equal(workspace.getSourceFile(file('a.ts')), aTree);
    assert.equal(workspace.getSourceFile(file('b.ts')), bTree, 'b.ts is in the program through the import');
    assert.equal(workspace.residentText, 200, 'c.ts and d.ts went, as the trees that can go were over half the budget');
    assert.notEqual(workspace.getSourceFile(file('c.ts')), cTree);
  });

  it('a type-checking program needed by every file takes in the files still to be analysed, not the tests the run skips', async () => {
    project(['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts']);
    fs.writeFileSync(file('e.test.ts'), "import { e } from './e';\ntest('e', () => e);\n");
    const run = await runAnalysis({ paths: [dir], rules: typedRules, treeBudget: Infinity });
    const facts = run.workspace.projectFor(file('e.ts'));
    assert.ok(run.workspace.typesNeededWidely(), 'the program grew twice, so it took in the planned files at once');
    assert.ok(facts.loadedTree(file('e.ts')), 'e.ts was analysed');
    assert.equal(facts.loadedTree(file('e.test.ts')), undefined, 'the test no rule reads was never parsed');
  });

  it('finds exactly what a run that keeps every tree finds, on a generated service code base', async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-release-')));
    const generator = (await import(pathToFileURL(path.join(__dirname, '..', '..', '..', 'test', 'bench', 'generate.mjs')).href)) as { generateCorpus(dir: string, options: { files: number }): unknown };
    generator.generateCorpus(dir, { files: 150 });
    let reclaimed = 0;
    const kept = await runAnalysis({ paths: [dir], rules: allRules, treeBudget: Infinity });
    const released = await runAnalysis({ paths: [dir], rules: allRules, treeBudget: 1, reclaimMemory: () => reclaimed++ });
    assert.ok(kept.results.reduce((sum, r) => sum + r.findings.length, 0) > 100, 'the corpus has findings to lose');
    // Until the type checker's program takes in the whole project (it holds every tree).
    assert.ok(reclaimed >= 10, `trees were released ${reclaimed} times`);
    assert.deepEqual(released.results, kept.results);
  });
});
