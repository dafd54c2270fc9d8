import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { normalizePath, Workspace } from '../../server/src/engine/workspace';

// The workspace parses on demand, re-parses edits incrementally and builds the type
// checker from the same tree objects the rules walk. These tests pin what must hold
// whatever the caching: an edited tree equals a fresh parse, and types follow edits.

function project(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-workspace-')));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true }, include: ['src'] }));
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  }
  return dir;
}

/** Every node's kind and span, in walk order: two trees with the same shape print the same. */
function shape(sourceFile: ts.SourceFile): string {
  const parts: string[] = [];
  const visit = (node: ts.Node, parent: ts.Node | undefined): void => {
    assert.equal(node.parent, parent, 'parent pointers are set and consistent');
    parts.push(`${ts.SyntaxKind[node.kind]}@${node.pos}-${node.end}`);
    node.forEachChild((child) => visit(child, node));
  };
  sourceFile.forEachChild((child) => visit(child, sourceFile));
  return parts.join(' ');
}

function typeOfLastIdentifier(workspace: Workspace, file: string, name: string, everyPackage = false): string {
  const sourceFile = workspace.getSourceFile(file)!;
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) found = node;
    node.forEachChild(visit);
  };
  visit(sourceFile);
  const checker = workspace.projectFor(file).getTypeChecker(sourceFile, everyPackage);
  return checker.typeToString(checker.getTypeAtLocation(found!));
}

describe('workspace', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('type questions read only the typed packages and those depending on them; a question about any package asks a second program', () => {
    const pkg = (name: string, types: string, fields: Record<string, unknown> = {}) => ({
      [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', types: 'index.d.ts', ...fields }),
      [`node_modules/${name}/index.d.ts`]: types,
    });
    dir = project({
      ...pkg('orm', "import type { Row } from 'orm-rows';\nexport declare class Model { save(): Promise<void>; row(): Row }\n", { dependencies: { 'orm-rows': '1' } }),
      ...pkg('orm-rows', 'export interface Row { id: string }\n'),
      ...pkg('.prisma/client', 'export declare const generated: true;\n'),
      ...pkg('@types/charts', 'export declare class Chart { draw(): void }\n'),
      ...pkg('orm-helpers', "import { Model } from 'orm';\nexport declare function latest(): Model;\n", { peerDependencies: { orm: '1' } }),
      'src/main.ts': `import { Model } from 'orm';
import { Chart } from 'charts';
import { latest } from 'orm-helpers';
export const model = new Model();
export const chart = new Chart();
export const helped = latest();
export const rowId = model.row().id;
export { generated } from '.prisma/client';
`,
    });
    const file = path.join(dir, 'src', 'main.ts');
    const workspace = new Workspace(dir, { typedPackages: (name) => name === 'orm' });
    const names = ['model', 'chart', 'helped', 'rowId', 'generated'];
    assert.deepEqual(
      names.map((name) => typeOfLastIdentifier(workspace, file, name)),
      ['Model', 'any', 'Model', 'any', 'true'],
      'charts (through @types) is no typed package and depends on none; orm-helpers depends on orm; what orm depends on is not read; .prisma/client has no manifest to judge by',
    );
    assert.equal(typeOfLastIdentifier(workspace, file, 'chart', true), 'Chart', 'a question about any package reads every declaration');
    assert.deepEqual(names.map((name) => typeOfLastIdentifier(workspace, file, name)), ['Model', 'any', 'Model', 'any', 'true'], 'and the other questions are answered as before');
  });

  it('re-parses edits incrementally into the same tree a fresh parse gives', () => {
    const original = [
      'export class Orders {',
      '  constructor(private readonly base: string) {}',
      '  async load(id: string) {',
      '    const res = await fetch(`${this.base}/orders/${id}`);',
      '    return res.json();',
      '  }',
      '}',
      '',
    ].join('\n');
    dir = project({ 'src/orders.ts': original });
    const file = path.join(dir, 'src', 'orders.ts');
    const workspace = new Workspace(dir);
    const first = workspace.getSourceFile(file)!;
    let text = original;
    const edits: [number, number, string][] = [
      [original.indexOf('return'), 0, 'console.log(id);\n    '],
      [original.indexOf('async'), 'async '.length, ''],
      [original.length, 0, 'export const extra = { a: 1, b: [2, 3] };\n'],
      [original.indexOf('{}'), 2, '{ this.base = base.trim(); }'],
      [10, 3, ''], // leaves the file broken: the parser must recover the same way both times
    ];
    let previous = first;
    for (const [start, length, inserted] of edits) {
      const at = Math.min(start, text.length);
      text = text.slice(0, at) + inserted + text.slice(at + length);
      workspace.setOverlay(file, text);
      const edited = workspace.getSourceFile(file)!;
      assert.notEqual(edited, previous, 'an edit yields a new tree');
      assert.equal(edited.text, text);
      assert.equal(shape(edited), shape(ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true)));
      previous = edited;
    }
  });

  it('answers type questions about the trees rules walk, and follows edits of imported files', () => {
    dir = project({
      'src/config.ts': 'export const timeoutMs: number = 5000;\n',
      'src/client.ts': "import { timeoutMs } from './config';\nexport const budget = timeoutMs;\nexport const later = Promise.resolve(budget);\n",
    });
    const client = path.join(dir, 'src', 'client.ts');
    const workspace = new Workspace(dir);
    assert.equal(typeOfLastIdentifier(workspace, client, 'budget'), 'number');
    assert.equal(typeOfLastIdentifier(workspace, client, 'later'), 'Promise<number>', 'the bundled lib files are loaded');

    workspace.setOverlay(path.join(dir, 'src', 'config.ts'), "export const timeoutMs: string = '5s';\n");
    assert.equal(typeOfLastIdentifier(workspace, client, 'budget'), 'string', 'the program was rebuilt after the imported file changed');
  });

  it('serves the unchanged tree object when a file is re-read with the same text', () => {
    dir = project({ 'src/a.ts': 'export const a = 1;\n' });
    const file = path.join(dir, 'src', 'a.ts');
    const workspace = new Workspace(dir);
    const before = workspace.getSourceFile(file);
    workspace.fileChanged(file); // a watcher event for a save that changed nothing
    assert.equal(workspace.getSourceFile(file), before, 'memoised per-file facts survive');
    fs.writeFileSync(file, 'export const a = 2;\n');
    workspace.fileChanged(file);
    assert.match(workspace.getSourceFile(file)!.text, /= 2/);
  });

  it('gives the files of a solution-style tsconfig to the configs it references, and rebuilds when one changes', () => {
    dir = project({ 'apps/web/src/main.ts': "import { api } from '@/lib/api';\nexport const x = api;\n", 'apps/web/src/lib/api.ts': 'export const api = 1;\n' });
    const web = path.join(dir, 'apps', 'web');
    fs.writeFileSync(path.join(dir, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['apps/web/src/*'] } } }));
    fs.writeFileSync(path.join(web, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.base.json', files: [], include: [], references: [{ path: './tsconfig.app.json' }] }));
    fs.writeFileSync(path.join(web, 'tsconfig.app.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src/**/*.ts'] }));
    const main = path.join(web, 'src', 'main.ts');
    const workspace = new Workspace(dir);
    const owner = workspace.projectFor(main);
    assert.equal(owner.tsconfigPath, path.join(web, 'tsconfig.app.json'));
    assert.deepEqual(owner.compilerOptions.paths, { '@/*': ['apps/web/src/*'] }, 'the alias of the base the referenced config extends');
    fs.writeFileSync(path.join(web, 'tsconfig.app.json'), JSON.stringify({ extends: './tsconfig.json', include: ['other/**/*.ts'] }));
    workspace.fileChanged(path.join(web, 'tsconfig.app.json'));
    assert.notEqual(workspace.projectFor(main).tsconfigPath, path.join(web, 'tsconfig.app.json'), 'a referenced config that changed is read again');
  });

  it('reads a base config again when it changes, whatever it is called (tsconfig-base.json)', () => {
    dir = project({ 'src/main.ts': 'export const x = 1;\n' });
    const base = path.join(dir, 'tsconfig-base.json');
    fs.writeFileSync(base, JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: './tsconfig-base.json', include: ['src'] }));
    const main = path.join(dir, 'src', 'main.ts');
    const workspace = new Workspace(dir);
    assert.deepEqual(workspace.projectFor(main).compilerOptions.paths, { '@/*': ['src/*'] });
    fs.writeFileSync(base, JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['src/*'] } } }));
    workspace.fileChanged(base);
    assert.deepEqual(workspace.projectFor(main).compilerOptions.paths, { '~/*': ['src/*'] });
  });

  it("parses a file from the text read ahead for a batch run's order, and drops that text when the file changes", () => {
    dir = project({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
    const [a, b] = ['a', 'b'].map((name) => path.join(dir, 'src', `${name}.ts`)) as [string, string];
    const workspace = new Workspace(dir, { treeBudget: 1_000_000 });
    assert.match(workspace.readAheadText(a)!, /a = 1/);
    assert.match(workspace.readAheadText(b)!, /b = 1/);
    fs.writeFileSync(a, 'export const a = 2;\n');
    fs.writeFileSync(b, 'export const b = 2;\n');
    assert.match(workspace.getSourceFile(a)!.text, /a = 1/, 'the parse takes the text read ahead: the file is read once');
    workspace.fileChanged(b);
    assert.match(workspace.getSourceFile(b)!.text, /b = 2/, 'a change drops what was read ahead');
  });

  it('normalizes paths as path.resolve does, including those it passes through unchanged', () => {
    const samples = ['/a/b/c.ts', '/a/./b.ts', '/a/../b.ts', '/a//b.ts', '/a/b/', '/', '/a/.b/c.ts', '/a/..b/c.ts', '/a/b/..', '/a/b/.', 'src/a.ts', './a.ts', '../a.ts'];
    assert.deepEqual(samples.map(normalizePath), samples.map((sample) => path.resolve(sample)));
  });
});
