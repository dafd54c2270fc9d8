import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { listPatternFiles, patternsDir, repoRoot } from './repoRoot';

// Patterns are inserted verbatim into users' projects, so they must compile under the
// strictest settings people use, in CommonJS, Node ESM and browser-bundler projects.
// Each project is a temp dir holding copies of the pattern files and a symlink to this
// repository's node_modules (for @types/node and dataloader).

const strictest: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
  skipLibCheck: true,
  noEmit: true,
};

interface UserProject {
  name: string;
  packageType: 'commonjs' | 'module';
  options: ts.CompilerOptions;
}

const projects: UserProject[] = [
  {
    name: 'CommonJS (module commonjs, target ES2020, Node types)',
    packageType: 'commonjs',
    options: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, lib: ['lib.es2020.d.ts'], types: ['node'], esModuleInterop: true },
  },
  {
    name: 'CommonJS without esModuleInterop',
    packageType: 'commonjs',
    options: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2020,
      lib: ['lib.es2020.d.ts'],
      types: ['node'],
      esModuleInterop: false,
      ignoreDeprecations: '6.0',
    },
  },
  {
    name: 'ESM (module/moduleResolution nodenext, "type": "module", target ES2022)',
    packageType: 'module',
    options: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
    },
  },
  {
    name: 'browser bundler (lib ES2020 + DOM, no Node types)',
    packageType: 'module',
    options: {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2020,
      lib: ['lib.es2020.d.ts', 'lib.dom.d.ts'],
      types: [],
      isolatedModules: true,
    },
  },
];

// ts-morph's compiler keeps its lib files in memory; a plain compiler host reads them
// from the typescript package instead.
const libDir = path.dirname(require.resolve('typescript/lib/lib.d.ts', { paths: [repoRoot] }));

function compile(project: UserProject, dir: string, rootNames: string[]): readonly ts.Diagnostic[] {
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: project.packageType }));
  const options: ts.CompilerOptions = { ...strictest, ...project.options, typeRoots: [path.join(dir, 'node_modules', '@types')] };
  const host = ts.createCompilerHost(options);
  host.getDefaultLibLocation = () => libDir;
  host.getDefaultLibFileName = (opts) => path.join(libDir, ts.getDefaultLibFileName(opts));
  return ts.getPreEmitDiagnostics(ts.createProgram({ rootNames, options, host }));
}

function format(diagnostics: readonly ts.Diagnostic[], dir: string): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  });
}

describe('patterns compile in strict user projects', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-patterns-'));
    for (const file of listPatternFiles()) fs.copyFileSync(path.join(patternsDir, file), path.join(dir, file));
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has the nine patterns to check', () => {
    assert.equal(listPatternFiles().length, 9);
  });

  for (const project of projects) {
    it(`type-checks with zero diagnostics: ${project.name}`, () => {
      const diagnostics = compile(project, dir, listPatternFiles().map((file) => path.join(dir, file)));
      assert.equal(format(diagnostics, dir), '');
    });
  }

  it('reports a type error when there is one (the check is live)', () => {
    const broken = path.join(dir, 'broken.ts');
    fs.writeFileSync(broken, 'export const n: number = undefined;\n');
    try {
      const [project] = projects;
      assert.ok(project);
      assert.match(format(compile(project, dir, [broken]), dir), /TS2322/);
    } finally {
      fs.rmSync(broken);
    }
  });
});
