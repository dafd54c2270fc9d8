import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { bindArguments, evaluate, truthiness } from '../../server/src/rules/shared/staticValues';
import { Workspace } from '../../server/src/engine/workspace';

// What a guard evaluates to once a call's arguments are bound to the callee's parameters:
// decided only where every value it reads is known, as the reachability of I/O relies on.

const SOURCE = `const LIMIT = 0;
export function probe(o: { a?: number; nested?: { b: boolean } } = {}, missing?: string, n?: number) {
  const { a: renamed, zzz = 'fallback', nested: { b } = { b: true } } = o;
  return [
    o.a, o.nested.b, o.zzz, o.toString, missing, missing?.length, (missing as any).length, n,
    n && o.zzz, n || o.a, n || o.zzz, missing ?? o.a, o ?? missing,
    o.a === 1, o.a !== 1, o == null, o === o, !o.nested.b,
    o.a ? missing : o, n ? o : missing, ({ ...o, a: 0 }).a, ({ ...n }).a, LIMIT, o['a'],
    ({ a: 0, ...n }).a, ({ zzz: 0, ...o }).zzz, ({ a: 0, ...o }).a,
    renamed, zzz, b,
  ];
}
export function mutates(o: { a?: number } = {}, p: { a?: number } = {}) {
  o.a = 1;
  const alias = p;
  alias.a = 1;
  return o.a && p.a;
}
export function destructures(o: { a?: number } = {}) {
  const { a, ...rest } = o;
  return a && rest && o.a;
}
export function run(count: number) {
  probe({ a: 1, nested: { b: false } }, undefined, count);
  mutates({ a: 0 }, { a: 0 });
  destructures({ a: 0 });
}
`;

const EXPECTED: (boolean | undefined)[] = [
  true, false, false, undefined, false, false, undefined, undefined,
  false, true, undefined, true, true,
  true, false, false, undefined, true,
  false, undefined, false, undefined, false, true,
  undefined, false, true,
  true, true, undefined,
];

function withFile(test: (sourceFile: ts.SourceFile, facts: ReturnType<Workspace['projectFor']>) => void): void {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-values-')));
  try {
    const file = path.join(dir, 'probe.ts');
    fs.writeFileSync(file, SOURCE);
    const facts = new Workspace(dir).projectFor(file);
    test(facts.getSourceFile(file)!, facts);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function declared(sourceFile: ts.SourceFile, name: string): ts.FunctionDeclaration {
  return sourceFile.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name)!;
}

function calls(sourceFile: ts.SourceFile): ts.CallExpression[] {
  return declared(sourceFile, 'run').body!.statements.map((s) => (s as ts.ExpressionStatement).expression as ts.CallExpression);
}

describe('staticValues', () => {
  it('decides a condition only when every value it reads is known', () => {
    withFile((sourceFile, facts) => {
      const probe = declared(sourceFile, 'probe');
      const bindings = bindArguments(probe, calls(sourceFile)[0]!, new Map(), facts);
      const returned = (probe.body!.statements.find(ts.isReturnStatement)!).expression as ts.ArrayLiteralExpression;
      const actual = returned.elements.map((element) => `${element.getText()} → ${truthiness(evaluate(element, bindings, facts))}`);
      assert.deepEqual(actual, returned.elements.map((element, i) => `${element.getText()} → ${EXPECTED[i]}`));
      assert.equal(evaluate(returned.elements[0]!, bindings, facts), 1);
    });
  });

  it('binds no value to a parameter the function assigns through, itself or under another name', () => {
    withFile((sourceFile, facts) => {
      assert.equal(bindArguments(declared(sourceFile, 'mutates'), calls(sourceFile)[1]!, new Map(), facts).size, 0);
      assert.equal(bindArguments(declared(sourceFile, 'destructures'), calls(sourceFile)[2]!, new Map(), facts).size, 1, 'destructuring copies values out');
    });
  });
});
