import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import schema from '../../server/src/config/resilint.schema.json';
import { parseConfig } from '../../server/src/engine/config';
import { allRules } from '../../server/src/rules';
import { findingsFor } from '../ruleTester';

// Biome's rule: the docs are test cases. Every ```ts block marked <!-- bad --> must be
// reported by its rule, every block marked <!-- good --> must not.

const REPO = path.resolve(__dirname, '..', '..', '..');

interface Example {
  kind: 'bad' | 'good';
  code: string;
  line: number;
}

export function examplesIn(markdown: string): Example[] {
  const examples: Example[] = [];
  const pattern = /<!--\s*(bad|good)\s*-->\s*\n```(?:ts|typescript)\n([\s\S]*?)\n```/g;
  for (let match = pattern.exec(markdown); match; match = pattern.exec(markdown)) {
    examples.push({ kind: match[1] as 'bad' | 'good', code: match[2]!, line: markdown.slice(0, match.index).split('\n').length });
  }
  return examples;
}

describe('rule metadata and docs', () => {
  it('registers rules with unique ids, complete meta, and a config schema entry', () => {
    const ids = allRules.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    const schemaRules = Object.keys(schema.properties.rules.properties);
    for (const rule of allRules) {
      const { meta } = rule;
      assert.match(meta.id, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(meta.description.length > 20, `${meta.id}: description`);
      assert.equal(meta.docsUrl, `https://github.com/resilint/resilint/blob/main/docs/rules/${meta.id}.md`);
      assert.ok(Object.keys(meta.messages).length > 0, `${meta.id}: messages`);
      assert.ok(['error', 'warning', 'info'].includes(meta.defaultSeverity));
      assert.ok(schemaRules.includes(meta.id), `${meta.id} is missing from resilint.schema.json`);
      assert.ok(fs.existsSync(path.join(REPO, 'server', 'src', 'rules', `${meta.id}.ts`)), `${meta.id}: one file per rule`);
    }
  });

  it("gives each rule's options a schema, so the editor completes them and a misspelt one is an error", () => {
    const problems = (config: unknown) => parseConfig(JSON.stringify(config), 'resilint.config.json').problems;
    for (const rule of allRules) {
      const setting = schema.properties.rules.properties[rule.meta.id as keyof typeof schema.properties.rules.properties];
      const options = setting.oneOf[1]!.properties!.options as { properties: Record<string, { default?: unknown; $ref?: string }> };
      assert.deepEqual(Object.keys(options.properties).sort(), Object.keys(rule.meta.defaultOptions).sort(), `${rule.meta.id}: the schema's options are the rule's`);
      const definitions = schema.definitions as Record<string, { default?: unknown }>;
      const resolved = (option: { default?: unknown; $ref?: string }) => (option.$ref ? definitions[option.$ref.replace('#/definitions/', '')]! : option);
      for (const [name, value] of Object.entries(rule.meta.defaultOptions)) assert.deepEqual(resolved(options.properties[name]!).default, value, `${rule.meta.id}.${name}: same default`);
      assert.deepEqual(problems({ rules: { [rule.meta.id]: { severity: 'error', options: rule.meta.defaultOptions } } }), []);
      assert.equal(problems({ rules: { [rule.meta.id]: { options: { ...rule.meta.defaultOptions, notAnOption: 1 } } } }).length, 1, `${rule.meta.id}: unknown options are refused`);
    }
  });

  for (const rule of allRules) {
    describe(`docs/rules/${rule.meta.id}.md`, () => {
      const file = path.join(REPO, 'docs', 'rules', `${rule.meta.id}.md`);
      const markdown = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

      it('exists and explains what, why, and how to fix', () => {
        assert.ok(markdown.length > 0, `${file} is missing`);
        assert.match(markdown, new RegExp(`^# ${rule.meta.id}\\b`, 'm'));
        for (const heading of [/^## Why/m, /^## Options/m, /^## How to fix/m]) assert.match(markdown, heading);
        const kinds = new Set(examplesIn(markdown).map((e) => e.kind));
        assert.ok(kinds.has('bad') && kinds.has('good'), 'has marked bad and good examples');
      });

      it('documents every option, checkTests among them', () => {
        assert.equal(rule.meta.defaultOptions['checkTests'], false, 'skips tests unless checkTests is on');
        const options = markdown.split(/^## Options$/m)[1]?.split(/^## /m)[0] ?? '';
        for (const name of Object.keys(rule.meta.defaultOptions)) assert.ok(options.includes(`\`${name}\``), `the Options section names \`${name}\``);
      });

      for (const example of examplesIn(markdown)) {
        it(`${example.kind} example at line ${example.line} is ${example.kind === 'bad' ? '' : 'not '}reported`, () => {
          const findings = findingsFor(rule, { code: example.code });
          if (example.kind === 'bad') assert.ok(findings.length > 0, `expected a finding for:\n${example.code}`);
          else assert.deepEqual(findings.map((f) => `${f.range.start.line + 1}: ${f.message}`), []);
        });
      }
    });
  }
});
