import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { importBindings, relativeSpecifiersIn, resolveImportedDeclaration } from '../../server/src/engine/imports';
import { Workspace } from '../../server/src/engine/workspace';

// Following an import to the declaration it names, through re-exports and barrels, as
// TypeScript would resolve the name (checked here against the program's own answer).

function withProject(files: Record<string, string>, test: (resolve: (name: string) => string | undefined, checker: (name: string) => string | undefined) => void): void {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-imports-')));
  try {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs' }, include: ['src'] }));
    for (const [relative, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      fs.writeFileSync(path.join(dir, relative), text);
    }
    const main = path.join(dir, 'src/main.ts');
    const facts = new Workspace(dir).projectFor(main);
    const sourceFile = facts.getSourceFile(main)!;
    const where = (node: ts.Node) => `${path.relative(dir, node.getSourceFile().fileName)}:${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const resolve = (name: string) => {
      const binding = importBindings(facts, sourceFile).get(name);
      assert.ok(binding, `main.ts imports ${name}`);
      const found = resolveImportedDeclaration(facts, sourceFile, binding);
      return found && where(found.node);
    };
    const checker = (name: string) => {
      const typeChecker = facts.getTypeChecker(sourceFile);
      const local = sourceFile.statements.flatMap((s) => (ts.isImportDeclaration(s) && s.importClause?.namedBindings && ts.isNamedImports(s.importClause.namedBindings) ? [...s.importClause.namedBindings.elements] : [])).find((e) => e.name.text === name)!;
      const symbol = typeChecker.getSymbolAtLocation(local.name);
      const target = symbol && typeChecker.getAliasedSymbol(symbol);
      const declaration = target?.declarations?.[0];
      return declaration && !(target!.flags & ts.SymbolFlags.Alias) ? where(declaration) : undefined;
    };
    test(resolve, checker);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('resolveImportedDeclaration', () => {
  it('finds a name in whichever of a barrel’s `export *` modules exports it, as TypeScript does', () => {
    withProject(
      {
        'src/users/users.entity.ts': `export interface User { id: string }\n`,
        'src/users/users.service.ts': `export class UsersService {}\n`,
        'src/users/users.client.ts': `export const usersClient = { get: (id: string) => id };\n`,
        'src/users/index.ts': `export * from './users.entity';\nexport * from './users.service';\nexport * from './users.client';\n`,
        // The same module reached along two paths is no ambiguity.
        'src/barrel.ts': `export * from './users';\nexport * from './users/users.service';\n`,
        'src/main.ts': `import { UsersService, usersClient } from './barrel';\nexport { UsersService, usersClient };\n`,
      },
      (resolve, checker) => {
        assert.equal(resolve('UsersService'), 'src/users/users.service.ts:1');
        assert.equal(resolve('usersClient'), 'src/users/users.client.ts:1');
        assert.equal(checker('UsersService'), resolve('UsersService'));
        assert.equal(checker('usersClient'), resolve('usersClient'));
      },
    );
  });

  it('takes the first of two `export *` modules that export the same name, and finds nothing around a cycle', () => {
    withProject(
      {
        'src/a.ts': `export const shared = 1;\nexport * from './loop';\n`,
        'src/b.ts': `export const shared = 2;\n`,
        'src/both.ts': `export * from './a';\nexport * from './b';\n`,
        'src/loop.ts': `export * from './both';\nexport * from './loop2';\n`,
        'src/loop2.ts': `export * from './loop';\n`,
        'src/main.ts': `import { shared } from './both';\nimport { missing } from './loop';\nexport { shared, missing };\n`,
      },
      (resolve, checker) => {
        assert.equal(resolve('shared'), 'src/a.ts:1');
        assert.equal(checker('shared'), resolve('shared'));
        assert.equal(resolve('missing'), undefined);
      },
    );
  });

  it('finds a name in a barrel of many `export *` modules (looked up through its index) as TypeScript does: the first provider, nested barrels, never a default', () => {
    const leaves = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`src/pkg/m${i}.ts`, `export const value${i} = ${i};\nexport function shared() { return ${i}; }\n`]));
    withProject(
      {
        ...leaves,
        'src/pkg/nested/index.ts': `export * from './deep';\nexport default function ignored() { return 0; }\n`,
        'src/pkg/nested/deep.ts': `export class Deep {}\nexport default class NotPassedOn {}\n`,
        'src/pkg/index.ts': `${Object.keys(leaves).map((file) => `export * from './${path.basename(file, '.ts')}';`).join('\n')}\nexport * from './nested';\n`,
        'src/main.ts': `import { value11, shared, Deep, nothing } from './pkg';\nexport { value11, shared, Deep, nothing };\n`,
      },
      (resolve, checker) => {
        assert.equal(resolve('value11'), 'src/pkg/m11.ts:1');
        assert.equal(resolve('shared'), 'src/pkg/m0.ts:2');
        assert.equal(resolve('Deep'), 'src/pkg/nested/deep.ts:1');
        assert.equal(resolve('nothing'), undefined);
        for (const name of ['value11', 'Deep']) assert.equal(checker(name), resolve(name), name);
      },
    );
  });

  it('follows a re-exported namespace (`export * as`) to its module, and an import re-exported by name or as the default to its declaration', () => {
    withProject(
      {
        'src/http.ts': `export function get(url: string) { return url; }\n`,
        'src/presenters/user.ts': `export default function presentUser(id: string) { return id; }\n`,
        'src/presenters/index.ts': `import presentUser from './user';\nimport * as http from '../http';\nexport { presentUser, http as transport };\n`,
        'src/presenters/default.ts': `import { presentUser } from './index';\nexport default presentUser;\n`,
        'src/api.ts': `export * as http from './http';\n`,
        'src/main.ts': `import { http } from './api';\nimport { presentUser, transport } from './presenters';\nimport present from './presenters/default';\nexport { http, presentUser, transport, present };\n`,
      },
      (resolve, checker) => {
        assert.equal(resolve('http'), 'src/http.ts:1');
        assert.equal(resolve('transport'), 'src/http.ts:1');
        assert.equal(resolve('presentUser'), 'src/presenters/user.ts:1');
        assert.equal(resolve('present'), 'src/presenters/user.ts:1');
        for (const name of ['http', 'transport', 'presentUser']) assert.equal(checker(name), resolve(name), name);
      },
    );
  });
});


describe('relativeSpecifiersIn', () => {
  it('reads every relative specifier the compiler’s import scanner finds, and requires, without parsing', () => {
    const text = [
      `import { a } from './a';`,
      `import type { B } from "../b/index.js";`,
      `import './setup';`,
      `import * as up from '..';`,
      `export { c } from './c';`,
      `export * from './d'`,
      `import e = require('./e');`,
      `const f = await import('./f');`,
      `const g = require('./g');`,
      `import axios from 'axios';`,
      `import { h } from '@app/h';`,
      `const here = '.';`,
    ].join('\n');
    const scanned = ts.preProcessFile(text, true, false).importedFiles.map((file) => file.fileName).filter((name) => name.startsWith('.'));
    assert.deepEqual(scanned, ['./a', '../b/index.js', './setup', '..', './c', './d', './e', './f']);
    assert.deepEqual(relativeSpecifiersIn(text), [...scanned, './g']);
  });
});
