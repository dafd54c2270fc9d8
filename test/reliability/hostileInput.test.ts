import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, type AnalyzerEnvironment } from '../../server/src/engine/analyzer';
import { ConfigResolver } from '../../server/src/engine/config';
import { defineRule, type Rule } from '../../server/src/engine/rule';
import { Workspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { ts } from 'ts-morph';
import { hostileSource, rng } from './hostileSource';

// Bad input gets a clear message, never a crash: every rule over generated hostile
// files, syntax errors at every position, extreme nesting, odd encodings and sizes.

function environment(dir: string, rules: readonly Rule<Record<string, unknown>>[] = allRules): AnalyzerEnvironment {
  return { workspace: new Workspace(dir), configs: new ConfigResolver(dir), rules };
}

describe('hostile input', function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-hostile-')));
    fs.mkdirSync(path.join(dir, 'src'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, 'src', name);
    fs.writeFileSync(file, content);
    return file;
  };

  it('analyses 300 seeded hostile files without an exception or a rule error', () => {
    const random = rng(20261122);
    const env = environment(dir);
    for (let i = 0; i < 300; i++) {
      const text = hostileSource(random);
      const file = write(`hostile${i}.ts${i % 7 === 0 ? 'x' : ''}`, text);
      const result = analyzeFile(env, file);
      assert.deepEqual(result.ruleErrors, [], `seed 20261122, file ${i}:\n${text}`);
    }
  });

  it('survives a syntax error at every position of a realistic file', () => {
    const source = fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/shop/src/services/orderService.ts'), 'utf8');
    const env = environment(dir);
    const file = path.join(dir, 'src', 'edit.ts');
    for (let at = 0; at < source.length; at++) {
      // Deleting one character is the most common broken state while typing.
      env.workspace.setOverlay(file, source.slice(0, at) + source.slice(at + 1));
      const result = analyzeFile(env, file);
      assert.deepEqual(result.ruleErrors, [], `with the character at ${at} deleted`);
    }
  });

  it('handles 5,000-deep nested expressions and 10-level-deep generics', () => {
    const env = environment(dir);
    const depth = 5000;
    const nested = write('nested.ts', `export const x = ${'('.repeat(depth)}fetch('/a')${')'.repeat(depth)};\n`);
    const nestedCalls = write('calls.ts', `declare function f(x: unknown): unknown;\nexport const y = ${'f('.repeat(depth)}fetch('/b')${')'.repeat(depth)};\n`);
    const generics = write('generics.ts', `type Deep<T> = ${'Array<Map<string, '.repeat(10)}T${'>>'.repeat(10)};\nexport const g: Deep<number> | undefined = undefined;\nexport const f = (u: string) => fetch(u);\n`);
    for (const file of [nested, nestedCalls, generics]) {
      const result = analyzeFile(env, file);
      assert.deepEqual(result.ruleErrors, [], path.basename(file));
      // Either analysed, or skipped with a message; never silently empty-handed.
      assert.ok(result.findings.length > 0 || result.notices.length > 0, `${path.basename(file)}: ${JSON.stringify(result)}`);
    }
  });

  it('skips a 20 MB file and a binary file with a message, and reads BOM, UTF-16, CRLF and Latin-1 files', () => {
    const env = environment(dir);
    const huge = write('huge.ts', 'export const a = 1;\n'.repeat(1_100_000));
    const binary = write('binary.ts', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x02, 0x01]));
    assert.match(analyzeFile(env, huge).notices.join(), /skipped: the file is 2\d\.\d MB, over the 8\.0 MB limit/);
    assert.match(analyzeFile(env, binary).notices.join(), /skipped: the file looks binary/);
    const code = 'export const f = (u: string) => fetch(u);\n';
    const variants: [string, Buffer][] = [
      ['bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(code)])],
      ['utf16.ts', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(code, 'utf16le')])],
      ['crlf.ts', Buffer.from(code.replace(/\n/g, '\r\n'))],
      ['latin1.ts', Buffer.from(`// \xe9t\xe9\n${code}`, 'latin1')],
    ];
    for (const [name, bytes] of variants) {
      const result = analyzeFile(env, write(name, bytes));
      assert.equal(result.findings.length, 1, name);
      const line = name === 'latin1.ts' ? 1 : 0;
      assert.deepEqual(result.findings[0]!.range.start, { line, character: 32 }, `${name}: positions match what an editor shows`);
    }
  });

  it('does not loop on symlink cycles while discovering files', () => {
    write('a.ts', 'export const a = 1;\n');
    fs.symlinkSync(dir, path.join(dir, 'src', 'loop'), 'dir');
    fs.symlinkSync(path.join(dir, 'src'), path.join(dir, 'src', 'self'), 'dir');
    const files = new Workspace(dir).allFiles();
    assert.deepEqual(files.map((f) => path.relative(dir, f)), [path.join('src', 'a.ts')]);
  });

  it('contains a rule that throws: reported with rule and file, other rules still run', () => {
    const exploding = defineRule({
      meta: { id: 'exploding', description: 'throws on every identifier, for the test', docsUrl: 'https://example.invalid', messages: {}, defaultSeverity: 'warning', requiresTypes: false, defaultOptions: {} },
      create: () => ({
        [ts.SyntaxKind.Identifier]: () => {
          throw new Error('boom');
        },
      }),
    });
    const env = environment(dir, [exploding, ...allRules]);
    const result = analyzeFile(env, write('a.ts', 'export const f = (u: string) => fetch(u);\n'));
    assert.deepEqual(result.ruleErrors.map((e) => [e.ruleId, path.basename(e.filePath), e.message]), [['exploding', 'a.ts', 'boom']]);
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['missing-timeout']);
  });
});
