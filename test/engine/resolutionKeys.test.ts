import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { ResolutionKeys } from '../../server/src/engine/resolutionKeys';

// Resolutions are memoised by ResolutionKeys' key, so two imports with one key must get
// one answer from TypeScript's resolver. Checked against the resolver itself, with no
// cache, for every folder of a layout that has what changes answers: nested node_modules,
// package scopes with self-references, exports and #imports, paths, baseUrl and rootDirs.

const LAYOUT: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'app', exports: { '.': './src/index.ts', './util': './src/util/index.ts' }, imports: { '#shared/*': './src/shared/*.ts' } }),
  'node_modules/lib/package.json': JSON.stringify({ name: 'lib', types: 'index.d.ts' }),
  'node_modules/lib/index.d.ts': 'export declare const lib: 1;\n',
  'node_modules/@scope/pkg/package.json': JSON.stringify({ name: '@scope/pkg', types: 'index.d.ts' }),
  'node_modules/@scope/pkg/index.d.ts': 'export declare const pkg: 1;\n',
  'src/index.ts': 'export const index = 1;\n',
  'src/util/index.ts': 'export const util = 1;\n',
  'src/shared/log.ts': 'export const log = 1;\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/a/index.ts': 'export const aIndex = 1;\n',
  'src/a/x.ts': 'export const x = 1;\n',
  'src/a/b/x.ts': 'export const x = 2;\n',
  'src/a/b/c/deep.ts': 'export const deep = 1;\n',
  'src/mod/node_modules/lib/package.json': JSON.stringify({ name: 'lib', types: 'shadow.d.ts' }),
  'src/mod/node_modules/lib/shadow.d.ts': 'export declare const shadow: 1;\n',
  'src/mod/inner/y.ts': 'export const y = 1;\n',
  'generated/a/gen.ts': 'export const gen = 1;\n',
  'packages/sub/package.json': JSON.stringify({ name: 'sub', exports: './lib/main.ts', imports: { '#shared/*': './lib/*.ts' } }),
  'packages/sub/lib/main.ts': 'export const main = 1;\n',
  'packages/sub/lib/log.ts': 'export const subLog = 1;\n',
};

const SPECIFIERS = [
  './x', './x.js', '../x', '../shared/log', '../../shared/log', '../../../shared/log', '../util', './gen',
  '.', '..', './', '../', '../a', '../b', './b/', './b/.', '../node_modules/lib', '../lib/main',
  'lib', '@scope/pkg', 'app', 'app/util', 'sub', '#shared/log', 'missing', '@/shared/log', 'shared/log', 'node:fs',
];

describe('resolution keys', () => {
  let root: string;
  let folders: string[];

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-keys-')));
    for (const [name, text] of Object.entries(LAYOUT)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    folders = [root, ...fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).map((name) => path.join(root, name)).filter((p) => fs.statSync(p).isDirectory())];
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const settings: Record<string, (root: string) => ts.CompilerOptions> = {
    node10: () => ({ module: ts.ModuleKind.CommonJS }),
    bundler: () => ({ module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }),
    nodenext: () => ({ module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }),
    'paths and baseUrl': (r) => ({ module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, baseUrl: path.join(r, 'src'), paths: { '@/*': ['*'] } }),
    rootDirs: (r) => ({ module: ts.ModuleKind.CommonJS, rootDirs: [path.join(r, 'src'), path.join(r, 'generated')] }),
    'classic (module amd)': () => ({ module: ts.ModuleKind.AMD }),
    'outDir without a tsconfig': (r) => ({ module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, outDir: path.join(r, 'dist') }),
  };

  for (const [label, optionsFor] of Object.entries(settings)) {
    it(`gives imports with one key one answer (${label})`, () => {
      const options = optionsFor(root);
      const keys = new ResolutionKeys(options, { fileExists: ts.sys.fileExists, directoryExists: ts.sys.directoryExists! });
      const answers = new Map<string, { answer: string; from: string }>();
      const shared = { relative: 0, bare: 0 };
      for (const folder of folders) {
        for (const specifier of SPECIFIERS) {
          const resolved = ts.resolveModuleName(specifier, path.join(folder, 'importer.ts'), options, ts.sys).resolvedModule;
          const answer = resolved ? `${resolved.resolvedFileName} external=${resolved.isExternalLibraryImport}` : 'unresolved';
          const key = keys.key(folder, specifier);
          const earlier = answers.get(key);
          if (!earlier) {
            answers.set(key, { answer, from: folder });
            continue;
          }
          shared[/^\.\.?(\/|$)/.test(specifier) ? 'relative' : 'bare']++;
          assert.equal(answer, earlier.answer, `'${specifier}' from ${path.relative(root, folder)} and from ${path.relative(root, earlier.from)}`);
        }
      }
      // The keys must also save work: folders share them, or the memo is per directory again.
      assert.ok(shared.relative > folders.length, `only ${shared.relative} shared keys for relative specifiers`);
      if (label.startsWith('classic') || label.startsWith('outDir')) assert.equal(shared.bare, 0);
      else assert.ok(shared.bare > folders.length * 5, `only ${shared.bare} shared keys for bare specifiers`);
    });
  }

  it('tells apart folders whose nearest node_modules or package.json differ', () => {
    const keys = new ResolutionKeys({ module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }, { fileExists: ts.sys.fileExists, directoryExists: ts.sys.directoryExists! });
    const at = (folder: string, specifier: string) => keys.key(path.join(root, folder), specifier);
    assert.equal(at('src/a', 'lib'), at('src/a/b/c', 'lib'));
    assert.notEqual(at('src/a', 'lib'), at('src/mod/inner', 'lib'));
    assert.notEqual(at('src/a', 'app'), at('packages/sub/lib', 'app'));
    assert.equal(at('src/a/b', '../x'), at('src/a/b/c', '../../x'));
    assert.notEqual(at('src/a', './b/'), at('src/a', './b'));
  });
});
