import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { packagesByName, packageTarget } from '../../server/src/engine/workspacePackages';

// A monorepo's packages import each other by name. Before an install TypeScript cannot
// find them, and after one it calls them external libraries behind node_modules links;
// either way the workspace must answer with the package's own source file.

function monorepo(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-monorepo-')));
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  }
  return dir;
}

const DB_PACKAGE = JSON.stringify({
  name: '@acme/db',
  main: './dist/index.js',
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './queries/*': './src/queries/*.ts' },
});

describe('workspace packages', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads exports (conditions, subpath patterns), falling back from build output to src/', () => {
    dir = monorepo({ 'packages/db/package.json': DB_PACKAGE });
    const db = path.join(dir, 'packages', 'db');
    const packages = packagesByName([path.join(db, 'package.json')]);
    assert.deepEqual(packageTarget('@acme/db/queries/teams', packages), { dir: db, candidates: ['./src/queries/teams.ts', './queries/teams', './src/queries/teams'] });
    assert.deepEqual(packageTarget('@acme/db', packages)?.candidates, ['./dist/index.d.ts', './dist/index.js', './src/index', './index']);
    assert.equal(packageTarget('@acme/other', packages), undefined);
    assert.equal(packageTarget('lodash', packages), undefined);
  });

  it('resolves a package imported by name to its source, before an install and through a node_modules link after one', () => {
    dir = monorepo({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true }, include: ['apps', 'packages'] }),
      'packages/db/package.json': DB_PACKAGE,
      'packages/db/src/index.ts': 'export const db = 1;\n',
      'packages/db/src/queries/teams.ts': 'export const teams = 1;\n',
      'packages/mail/package.json': JSON.stringify({ name: 'mail', main: 'src/index.ts' }),
      'packages/mail/src/index.ts': 'export const send = 1;\n',
      'apps/api/main.ts': "import { db } from '@acme/db';\nimport { teams } from '@acme/db/queries/teams';\nimport { send } from 'mail';\nexport const all = [db, teams, send];\n",
    });
    const main = path.join(dir, 'apps', 'api', 'main.ts');
    const before = new Workspace(dir).projectFor(main);
    assert.equal(before.resolveModulePath(main, '@acme/db'), path.join(dir, 'packages', 'db', 'src', 'index.ts'));
    assert.equal(before.resolveModulePath(main, '@acme/db/queries/teams'), path.join(dir, 'packages', 'db', 'src', 'queries', 'teams.ts'));
    assert.equal(before.resolveModulePath(main, 'mail'), path.join(dir, 'packages', 'mail', 'src', 'index.ts'));
    assert.equal(before.resolveModulePath(main, 'left-pad'), undefined, 'a package the workspace does not hold stays a package');

    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'packages', 'mail'), path.join(dir, 'node_modules', 'mail'), 'dir');
    const after = new Workspace(dir).projectFor(main);
    assert.equal(after.resolveModulePath(main, 'mail'), path.join(dir, 'packages', 'mail', 'src', 'index.ts'), 'the linked package is the workspace source, not an external library');

    fs.mkdirSync(path.join(dir, 'node_modules', '@acme'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'packages', 'db'), path.join(dir, 'node_modules', '@acme', 'db'), 'dir');
    fs.mkdirSync(path.join(dir, 'packages', 'db', 'dist'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'packages', 'db', 'dist', 'index.d.ts'), 'export declare const db: number;\n');
    fs.writeFileSync(path.join(dir, 'packages', 'db', 'dist', 'index.js'), 'exports.db = 1;\n');
    const built = new Workspace(dir).projectFor(main);
    assert.equal(built.resolveModulePath(main, '@acme/db'), path.join(dir, 'packages', 'db', 'src', 'index.ts'), 'a linked package that was built: its source, not its declarations');
  });
});
