import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { calleeOf } from '../../server/src/rules/shared/callSites';
import { callIo, functionCalls, functionIo, witnessHops, type IoWitness } from '../../server/src/rules/shared/ioSummaries';
import { readsChangedSince } from '../../server/src/engine/memos';
import { Workspace } from '../../server/src/engine/workspace';

// The I/O summaries on real temporary projects without node_modules: everything here is
// import and name tracing, as on a bare checkout.

interface Fixture {
  dir: string;
  workspace: Workspace;
  file(relative: string): ts.SourceFile;
  dispose(): void;
}

function project(files: Record<string, string>): Fixture {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-io-')));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs' }, include: ['src'] }));
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  }
  const workspace = new Workspace(dir);
  return {
    dir,
    workspace,
    file: (relative) => workspace.getSourceFile(path.join(dir, relative))!,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function facts(fixture: Fixture, relative: string) {
  return fixture.workspace.projectFor(path.join(fixture.dir, relative));
}

function functionNamed(sourceFile: ts.SourceFile, name: string): ts.Node {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (!found && (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name?.getText() === name) found = node;
    node.forEachChild(visit);
  };
  visit(sourceFile);
  assert.ok(found, `no function ${name}`);
  return found;
}

function hopsOf(witness: IoWitness | undefined): string[] {
  assert.ok(witness, 'expected I/O');
  return witnessHops(witness).map((hop) => (hop.callee ? `${hop.callee.name}()` : `io:${calleeOf(hop.call).getText()}`));
}

describe('I/O summaries', () => {
  it('follows calls across files, through classes, fields typed by annotations and re-exports', () => {
    const fixture = project({
      'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
      'src/repo/users.repository.ts': `import { prisma } from '../db';\nexport class UsersRepository {\n  byId(id: string) { return prisma.user.findFirst({ where: { id } }); }\n}\n`,
      'src/repo/index.ts': `export * from './users.repository';\n`,
      'src/users.service.ts': `import { UsersRepository } from './repo';\nexport class UsersService {\n  constructor(private readonly repo: UsersRepository) {}\n  async name(id: string) { const u = await this.repo.byId(id); return u?.name; }\n}\n`,
    });
    try {
      const service = fixture.file('src/users.service.ts');
      const summary = functionIo(facts(fixture, 'src/users.service.ts'), service, functionNamed(service, 'name'));
      assert.deepEqual(hopsOf(summary.sequential), ['UsersRepository.byId()', 'io:prisma.user.findFirst']);
      assert.equal(witnessHops(summary.sequential!)[1]!.sourceFile.fileName, path.join(fixture.dir, 'src/repo/users.repository.ts'));
    } finally {
      fixture.dispose();
    }
  });

  it('gives every function of a recursive cycle the I/O any member reaches, and none to a pure cycle', () => {
    const fixture = project({
      'src/tree.ts': `import axios from 'axios';
export function walk(node: { id: string; children: unknown[] }): Promise<unknown> { return visit(node); }
function visit(node: { id: string; children: unknown[] }): Promise<unknown> { return node.children.length ? walk(node) : load(node.id); }
function load(id: string) { return axios.get('/nodes/' + id); }
export function even(n: number): boolean { return n === 0 ? true : odd(n - 1); }
function odd(n: number): boolean { return n === 0 ? false : even(n - 1); }
`,
    });
    try {
      const file = fixture.file('src/tree.ts');
      const f = facts(fixture, 'src/tree.ts');
      assert.deepEqual(hopsOf(functionIo(f, file, functionNamed(file, 'walk')).sequential), ['visit()', 'load()', "io:axios.get"]);
      assert.deepEqual(hopsOf(functionIo(f, file, functionNamed(file, 'visit')).concurrent), ['load()', "io:axios.get"]);
      assert.equal(functionIo(f, file, functionNamed(file, 'even')).sequential, undefined);
      assert.equal(functionIo(f, file, functionNamed(file, 'odd')).sequential, undefined);
    } finally {
      fixture.dispose();
    }
  });

  it('counts Prisma findUnique only when awaited one by one, and list queries never', () => {
    const fixture = project({
      'src/users.ts': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export function one(id: string) { return prisma.user.findUnique({ where: { id } }); }
export function many(ids: string[]) { return prisma.user.findMany({ where: { id: { in: ids } } }); }
`,
    });
    try {
      const file = fixture.file('src/users.ts');
      const f = facts(fixture, 'src/users.ts');
      const one = functionIo(f, file, functionNamed(file, 'one'));
      assert.deepEqual(hopsOf(one.sequential), ['io:prisma.user.findUnique']);
      assert.equal(one.concurrent, undefined);
      const many = functionIo(f, file, functionNamed(file, 'many'));
      assert.equal(many.sequential, undefined);
    } finally {
      fixture.dispose();
    }
  });

  it('handles call chains thousands deep without recursion', () => {
    const depth = 3000;
    const lines = ["import axios from 'axios';"];
    for (let i = 0; i < depth; i++) lines.push(`export function f${i}(): unknown { return f${i + 1}(); }`);
    lines.push(`export function f${depth}(): unknown { return axios.get('/x'); }`);
    const fixture = project({ 'src/chain.ts': lines.join('\n') });
    try {
      const file = fixture.file('src/chain.ts');
      const summary = functionIo(facts(fixture, 'src/chain.ts'), file, functionNamed(file, 'f0'));
      assert.equal(witnessHops(summary.sequential!).length, depth + 1);
    } finally {
      fixture.dispose();
    }
  });

  it('notes the files along the chain an answer reached, not every file of the project', () => {
    const fixture = project({
      'src/client.ts': `export async function getStock(sku: string) { return fetch('/stock/' + sku); }\n`,
      'src/stock.ts': `import { getStock } from './client';\nexport async function stockOf(sku: string) { return getStock(sku); }\n`,
      'src/order.ts': `import { stockOf } from './stock';\nexport async function check(skus: string[]) { for (const sku of skus) await stockOf(sku); }\n`,
      'src/unrelated.ts': `export function twice(n: number) { return n * 2; }\n`,
    });
    try {
      const order = fixture.file('src/order.ts');
      const f = facts(fixture, 'src/order.ts');
      const call = functionCalls(f, order, functionNamed(order, 'check')).find((c) => calleeOf(c).getText() === 'stockOf')!;
      // Twice: once computing the closure, once answering from it.
      for (const round of ['computed', 'stored']) {
        const { value, reads } = f.tracked(() => callIo(f, order, call, 'sequential'));
        assert.deepEqual(hopsOf(value), ['stockOf()', 'getStock()', 'io:fetch'], round);
        const changed = (relative: string) => (file: string) => (file === path.join(fixture.dir, relative) ? 1 : undefined);
        for (const relative of ['src/client.ts', 'src/stock.ts', 'src/order.ts']) assert.ok(readsChangedSince(reads, 0, changed(relative), 0), `${round}: ${relative} is read`);
        assert.ok(!readsChangedSince(reads, 0, changed('src/unrelated.ts'), 1), `${round}: an edit elsewhere changes nothing`);
      }
    } finally {
      fixture.dispose();
    }
  });

  it('recomputes after an edit: the edited file is parsed again, the others keep their per-file summaries', () => {
    const fixture = project({
      'src/client.ts': `export async function getStock(sku: string) { return fetch('/stock/' + sku); }\n`,
      'src/order.ts': `import { getStock } from './client';\nexport async function check(skus: string[]) { for (const sku of skus) await getStock(sku); }\n`,
    });
    try {
      const order = fixture.file('src/order.ts');
      const f = facts(fixture, 'src/order.ts');
      const check = functionNamed(order, 'check');
      const call = functionCalls(f, order, check).find((c) => calleeOf(c).getText() === 'getStock')!;
      assert.deepEqual(hopsOf(callIo(f, order, call, 'sequential')), ['getStock()', 'io:fetch']);
      const callsBefore = functionCalls(f, order, check);

      fixture.workspace.setOverlay(path.join(fixture.dir, 'src/client.ts'), `export async function getStock(sku: string) { return { sku, available: 1 }; }\n`);
      assert.equal(fixture.file('src/order.ts'), order, 'the unchanged file is not parsed again');
      assert.equal(functionCalls(f, order, check), callsBefore, 'its per-file summary is reused');
      assert.equal(callIo(f, order, call, 'sequential'), undefined, 'the closure sees the edit');
    } finally {
      fixture.dispose();
    }
  });
});
