import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readsChangedSince } from '../../server/src/engine/memos';
import { Workspace } from '../../server/src/engine/workspace';

// Memos stay warm while the user types elsewhere, and never outlive a file they read:
// a stale fact is a wrong finding, a dropped one only costs time.

describe('memos: invalidated by the files they read', () => {
  let dir: string;
  let workspace: Workspace;
  const file = (name: string) => path.join(dir, 'src', name);

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-memos-')));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }));
    fs.writeFileSync(file('a.ts'), "import { b } from './b';\nexport const a = b;\n");
    fs.writeFileSync(file('b.ts'), 'export const b = 1;\n');
    fs.writeFileSync(file('c.ts'), 'export const c = 1;\n');
    workspace = new Workspace(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Counts the computations, and what the memo saw: the text of b.ts when it read it. */
  function memoReadingB(kind: 'acrossFiles' | 'perFile') {
    const facts = workspace.projectFor(file('a.ts'));
    let computed = 0;
    const get = () => {
      const a = facts.getSourceFile(file('a.ts'))!;
      const compute = () => {
        computed++;
        return facts.resolveModule(a.fileName, './b')!.text;
      };
      return kind === 'perFile' ? facts.perFile(a, 'b-text', compute) : facts.acrossFiles('b-text', compute, a);
    };
    return { get, computed: () => computed };
  }

  for (const kind of ['acrossFiles', 'perFile'] as const) {
    it(`${kind}: an edit to an unrelated file keeps the memo`, () => {
      const memo = memoReadingB(kind);
      memo.get();
      workspace.setOverlay(file('c.ts'), 'export const c = 2;\n');
      memo.get();
      assert.equal(memo.computed(), 1);
    });

    it(`${kind}: an edit to a file the computation read recomputes it with the new text`, () => {
      const memo = memoReadingB(kind);
      assert.equal(memo.get(), 'export const b = 1;\n');
      workspace.setOverlay(file('b.ts'), 'export const b = 2;\n');
      assert.equal(memo.get(), 'export const b = 2;\n');
      assert.equal(memo.computed(), 2);
    });
  }

  it('acrossFiles: an edit to the origin recomputes', () => {
    const memo = memoReadingB('acrossFiles');
    memo.get();
    workspace.setOverlay(file('a.ts'), "import { b } from './b';\nexport const a = b + 1;\n");
    memo.get();
    assert.equal(memo.computed(), 2);
  });

  it('an outer memo depends on what the memos it consulted read, also when they were already computed', () => {
    const facts = workspace.projectFor(file('a.ts'));
    const a = facts.getSourceFile(file('a.ts'))!;
    const inner = () => facts.acrossFiles('inner', () => facts.resolveModule(a.fileName, './b')!.text, a);
    inner();
    let outerComputed = 0;
    const outer = () =>
      facts.acrossFiles('outer', () => {
        outerComputed++;
        return inner().length;
      });
    outer();
    workspace.setOverlay(file('b.ts'), 'export const b = 22;\n');
    assert.equal(outer(), 'export const b = 22;\n'.length);
    assert.equal(outerComputed, 2);
  });

  it('a memo that asked the type checker is recomputed after any change', () => {
    const facts = workspace.projectFor(file('a.ts'));
    let computed = 0;
    const get = () =>
      facts.acrossFiles('typed', () => {
        computed++;
        return facts.getTypeChecker(facts.getSourceFile(file('a.ts'))) !== undefined;
      });
    get();
    workspace.setOverlay(file('c.ts'), 'export const c = 3;\n');
    get();
    assert.equal(computed, 2);
  });

  it('a tracked computation reports what it read, through memos computed before it too, for readsChangedSince to judge', () => {
    const facts = workspace.projectFor(file('a.ts'));
    const a = facts.getSourceFile(file('a.ts'))!;
    const inner = () => facts.acrossFiles('inner', () => facts.resolveModule(a.fileName, './b')!.text, a);
    inner();
    const { reads } = facts.tracked(() => inner());
    const changedAt = (changed: string) => (read: string) => (read === file(changed) ? 2 : undefined);
    assert.ok(readsChangedSince(reads, 1, changedAt('b.ts'), 2), 'b.ts, read through the memo');
    assert.ok(!readsChangedSince(reads, 1, changedAt('c.ts'), 2), 'c.ts, not read');
    assert.ok(!readsChangedSince(reads, 2, changedAt('b.ts'), 2), 'b.ts, changed before the computation');
    const typed = facts.tracked(() => facts.getTypeChecker(a));
    assert.ok(readsChangedSince(typed.reads, 1, changedAt('c.ts'), 2), 'the type checker read every file');
  });

  it('a memo that found a file missing is recomputed once the file appears', () => {
    const facts = workspace.projectFor(file('a.ts'));
    let computed = 0;
    const get = () =>
      facts.acrossFiles('main', () => {
        computed++;
        return facts.getSourceFile(file('main.ts'))?.text;
      });
    assert.equal(get(), undefined);
    fs.writeFileSync(file('main.ts'), 'export {};\n');
    workspace.fileChanged(file('main.ts'));
    assert.equal(get(), 'export {};\n');
    assert.equal(computed, 2);
  });

  it('a memo that resolved an import is recomputed once a created file changes where it leads', () => {
    const facts = workspace.projectFor(file('a.ts'));
    let computed = 0;
    const target = () =>
      facts.perFile(facts.getSourceFile(file('a.ts'))!, 'later', () => {
        computed++;
        return facts.resolveModule(file('a.ts'), './later')?.fileName;
      });
    assert.equal(target(), undefined);
    fs.mkdirSync(file('later'));
    fs.writeFileSync(file('later/index.ts'), 'export const later = 1;\n');
    workspace.fileChanged(file('later/index.ts'));
    assert.equal(target(), file('later/index.ts'));
    fs.writeFileSync(file('later.ts'), 'export const later = 2;\n');
    workspace.fileChanged(file('later.ts'));
    assert.equal(target(), file('later.ts'), 'later.ts now comes before later/index.ts');
    assert.equal(computed, 3);
  });

  it('a file created where two projects\' resolvers had looked changes what both resolved', () => {
    const projects = ['one', 'two'].map((name) => {
      fs.mkdirSync(path.join(dir, name, 'src'), { recursive: true });
      fs.writeFileSync(path.join(dir, name, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
      const importer = path.join(dir, name, 'src', 'main.ts');
      fs.writeFileSync(importer, "import { later } from '../../shared/later';\n");
      const facts = workspace.projectFor(importer);
      // Memoised, as rules keep what they resolved: it must be dropped for both projects.
      return () => facts.perFile(facts.getSourceFile(importer)!, 'later', () => facts.resolveModule(importer, '../../shared/later')?.fileName);
    });
    assert.deepEqual(projects.map((target) => target()), [undefined, undefined]);
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.writeFileSync(path.join(dir, 'shared', 'later.ts'), 'export const later = 1;\n');
    workspace.fileChanged(path.join(dir, 'shared', 'later.ts'));
    assert.deepEqual(projects.map((target) => target()), [path.join(dir, 'shared', 'later.ts'), path.join(dir, 'shared', 'later.ts')]);
  });

  it('an import that resolved to nothing resolves once its file is created', () => {
    const facts = workspace.projectFor(file('a.ts'));
    assert.equal(facts.resolveModule(file('a.ts'), './later'), undefined);
    fs.writeFileSync(file('later.ts'), 'export const later = 1;\n');
    workspace.fileChanged(file('later.ts'));
    assert.equal(workspace.projectFor(file('a.ts')).resolveModule(file('a.ts'), './later')?.fileName, file('later.ts'));
  });
});
