import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import { analyzeInEditor, type FileAnalysis } from '../../server/src/engine/analyzer';
import { ConfigResolver } from '../../server/src/engine/config';
import { typedPackagesOf } from '../../server/src/engine/rule';
import { runAnalysis } from '../../server/src/engine/runner';
import { Workspace, type WorkspaceOptions } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { typedRules } from './scanProbeRules';

// A batch run drops the syntax trees it no longer needs, and so does the editor beyond its
// own budget, and with them every memo that read them: released trees may only cost time (a
// second parse), never a finding.

describe('releasing syntax trees between the files of a batch run, and between analyses in the editor', function () {
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

  it("in the editor: keeps open documents and the last analysis's trees, and releases trees a type-checking program holds, program and all", async () => {
    project(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
    const collectGarbage = exposedCollector();
    const workspace = new Workspace(dir, { editorTreeBudget: 150 });
    const facts = workspace.projectFor(file('a.ts'));
    workspace.setOverlay(file('a.ts'), fs.readFileSync(file('a.ts'), 'utf8'));
    /** The type of `a`, and the checker that answered (held weakly: the test must not keep a program alive). */
    const typeOfA = () => {
      const tree = workspace.getSourceFile(file('a.ts'))!;
      const checker = facts.getTypeChecker(tree);
      const declaration = (tree.statements[1] as ts.VariableStatement).declarationList.declarations[0]!;
      return { checker: new WeakRef(checker), type: checker.typeToString(checker.getTypeAtLocation(declaration.name)) };
    };
    // An analysis of the open a.ts: its program reads b.ts through the import.
    const { value: first, reads: firstReads } = facts.tracked(() => typeOfA());
    const aTree = workspace.getSourceFile(file('a.ts'));
    const bTree = new WeakRef(workspace.getSourceFile(file('b.ts'))!);
    workspace.releaseTrees(firstReads);
    assert.ok(firstReads.has(file('b.ts')));
    assert.equal(workspace.residentText, 200, 'over the budget, but the open document and what its analysis read stay');

    // An analysis of c.ts, which reads d.ts.
    const { reads } = facts.tracked(() => [workspace.getSourceFile(file('c.ts')), workspace.getSourceFile(file('d.ts'))]);
    const cTree = facts.loadedTree(file('c.ts'));
    const dTree = facts.loadedTree(file('d.ts'));
    workspace.releaseTrees(reads);
    assert.equal(workspace.getSourceFile(file('a.ts')), aTree, 'the open document stays');
    assert.equal(facts.loadedTree(file('b.ts')), undefined, "b.ts went, though a's program held it");
    assert.equal(facts.loadedTree(file('c.ts')), cTree, 'the last analysis read c.ts');
    assert.equal(facts.loadedTree(file('d.ts')), dTree);
    // A weakly held object lives at least until the job that made or read its WeakRef ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    assert.equal(bTree.deref(), undefined, "nothing keeps b.ts's tree alive");
    assert.equal(first.checker.deref(), undefined, 'nor the program that held it');

    const second = typeOfA();
    assert.equal(second.type, first.type);
    assert.equal(second.type, '1', 'a new program answers, with b.ts parsed again');
  });

  it('in the editor, finds exactly what a workspace that keeps every tree finds, file after file', async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-release-')));
    const generator = (await import(pathToFileURL(path.join(__dirname, '..', '..', '..', 'test', 'bench', 'generate.mjs')).href)) as { generateCorpus(dir: string, options: { files: number }): unknown };
    generator.generateCorpus(dir, { files: 60 });
    const files = new Workspace(dir).allFiles();
    /** Opens, edits and closes each file in turn, as the server does: each analysis, and whether trees were released. */
    const session = (options: WorkspaceOptions) => {
      let reclaimed = 0;
      const env = { workspace: new Workspace(dir, { ...options, typedPackages: typedPackagesOf(allRules), reclaimMemory: () => reclaimed++ }), configs: new ConfigResolver(dir), rules: allRules };
      const analyses: FileAnalysis[] = [];
      const analyse = (file: string) => analyses.push(analyzeInEditor(env, file));
      for (const file of files) {
        const text = fs.readFileSync(file, 'utf8');
        env.workspace.setOverlay(file, text);
        analyse(file);
        env.workspace.setOverlay(file, `${text}\n// edited\n`);
        analyse(file);
        env.workspace.clearOverlay(file);
        analyse(file);
      }
      return { analyses, reclaimed };
    };
    const kept = session({});
    const released = session({ editorTreeBudget: 1 });
    assert.ok(kept.analyses.reduce((sum, a) => sum + a.findings.length, 0) > 50, 'the corpus has findings to lose');
    assert.ok(released.reclaimed >= 20, `trees were released ${released.reclaimed} times`);
    assert.deepEqual(released.analyses, kept.analyses);
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

/** V8's full collection, which this Node exposes on request (as heapReclaimer does). */
function exposedCollector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
