import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { analyzeFile } from '../../server/src/engine/analyzer';
import { ConfigResolver } from '../../server/src/engine/config';
import { defineRule } from '../../server/src/engine/rule';
import { Workspace } from '../../server/src/engine/workspace';

// Fixes are computed only for callers that want them: a CI report must not pay for a
// type-checked fix it never shows.

describe('analyzer: fixes on demand', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-analyzer-')));
    file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'export const a = 1;\nexport const b = 2;\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function countingRule() {
    const calls = { fixes: 0 };
    const rule = defineRule({
      meta: { id: 'every-declaration', description: 'test', docsUrl: 'https://example.test', messages: { found: 'found' }, defaultSeverity: 'warning', requiresTypes: false, defaultOptions: {} },
      create: (context) => ({
        [ts.SyntaxKind.VariableDeclaration]: (node) =>
          context.report({
            node,
            messageId: 'found',
            fixes: () => {
              calls.fixes++;
              return [{ title: 'Fix it', edits: [] }];
            },
          }),
      }),
    });
    return { rule, calls };
  }

  it('computes each finding’s fixes once by default', () => {
    const { rule, calls } = countingRule();
    const result = analyzeFile({ workspace: new Workspace(dir), configs: new ConfigResolver(dir), rules: [rule] }, file);
    assert.equal(calls.fixes, 2);
    assert.deepEqual(result.findings.map((f) => f.fixes.map((x) => x.title)), [['Fix it'], ['Fix it']]);
  });

  it('never calls a fix when the caller asked for findings only', () => {
    const { rule, calls } = countingRule();
    const result = analyzeFile({ workspace: new Workspace(dir), configs: new ConfigResolver(dir), rules: [rule], fixes: false }, file);
    assert.equal(calls.fixes, 0);
    assert.equal(result.findings.length, 2);
    assert.ok(result.findings.every((f) => f.fixes.length === 0));
  });
});
