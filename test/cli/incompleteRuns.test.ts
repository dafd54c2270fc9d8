import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import type * as Sarif from 'sarif';
import type { FileAnalysis } from '../../server/src/engine/analyzer';
import { format } from '../../server/src/cli/formatters';
import { exitCode } from '../../server/src/cli/reporting';
import { allRules } from '../../server/src/rules';

// A run in which a rule failed on a file, or files were skipped, has not checked everything:
// CI must not see it as a clean pass. No rule is known to fail on any input (the corpus runs
// find none), so the run is built here, as the analyzer reports one.

const ROOT = path.resolve('/work/project');
const REPO = path.resolve(__dirname, '..', '..', '..');

const results: FileAnalysis[] = [
  {
    filePath: path.join(ROOT, 'src/a.ts'),
    findings: [],
    notices: [],
    ruleErrors: [{ ruleId: 'missing-timeout', filePath: path.join(ROOT, 'src/a.ts'), message: 'Cannot read properties of undefined' }],
    configProblems: [],
  },
  { filePath: path.join(ROOT, 'src/big.ts'), findings: [], notices: ['skipped: the file is 9.0 MB, over the 8.0 MB limit'], ruleErrors: [], configProblems: [] },
  { filePath: path.join(ROOT, 'src/ok.ts'), findings: [], notices: [], ruleErrors: [], configProblems: [] },
];

describe('incomplete runs', () => {
  it('exit 2 when a rule failed, whatever the findings; otherwise 1 or 0 as before', () => {
    assert.equal(exitCode({ errors: 0, warnings: 0, maxWarnings: Infinity, ruleFailures: 1 }), 2);
    assert.equal(exitCode({ errors: 3, warnings: 9, maxWarnings: 0, ruleFailures: 2 }), 2);
    assert.equal(exitCode({ errors: 1, warnings: 0, maxWarnings: Infinity, ruleFailures: 0 }), 1);
    assert.equal(exitCode({ errors: 0, warnings: 3, maxWarnings: 2, ruleFailures: 0 }), 1);
    assert.equal(exitCode({ errors: 0, warnings: 2, maxWarnings: 2, ruleFailures: 0 }), 0);
  });

  it('SARIF marks the run unsuccessful and lists the failure and the skipped file as notifications', () => {
    const sarif = JSON.parse(format('sarif', { root: ROOT, version: '0.0.0', rules: allRules, results, textOf: () => '' })) as Sarif.Log;
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));

    const [invocation] = sarif.runs[0]!.invocations!;
    assert.equal(invocation!.executionSuccessful, false);
    const notes = invocation!.toolExecutionNotifications!.map((n) => ({
      level: n.level,
      text: n.message.text,
      file: n.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
      rule: n.associatedRule?.id,
    }));
    assert.deepEqual(notes, [
      { level: 'error', text: 'rule missing-timeout failed on this file: Cannot read properties of undefined', file: 'src/a.ts', rule: 'missing-timeout' },
      { level: 'note', text: 'skipped: the file is 9.0 MB, over the 8.0 MB limit', file: 'src/big.ts', rule: undefined },
    ]);
  });

  it('SARIF says a complete run was successful, with no notifications', () => {
    const sarif = JSON.parse(format('sarif', { root: ROOT, version: '0.0.0', rules: allRules, results: [results[2]!], textOf: () => '' })) as Sarif.Log;
    assert.deepEqual(sarif.runs[0]!.invocations, [{ executionSuccessful: true }]);
  });
});
