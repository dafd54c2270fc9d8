import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isTestPath, repositoryRootAbove } from '../../server/src/engine/testFiles';
import { Workspace } from '../../server/src/engine/workspace';

// Which files are tests is decided once, by path, for every rule and the diagram, from
// below the folder the user chose to analyse (the CLI's handling of file lists is tested
// with the CLI).

describe('test files', () => {
  it('knows tests, test helpers and fixtures by folder or name', () => {
    const tests = [
      'test/client.ts', 'tests/helpers/api.ts', 'src/__tests__/users.ts', 'src/__mocks__/db.ts', 'src/__fixtures__/rows.ts',
      'e2e/login.ts', 'spec/user.ts', 'testing/harness.ts', 'fixtures/orders.ts', 'playwright/setup.ts', 'cypress/support/commands.ts',
      'packages/test-utils/src/ids.ts', 'packages/catalog-test-utils/src/ids.ts', 'packages/testutils/src/ids.ts', 'apps/api-tests/src/flow.ts',
      'src/users.test.ts', 'src/users.spec.tsx', 'src/app.e2e-spec.ts', 'src/app.e2e.ts', 'src/types.test-d.ts', 'src/users.test.mts',
      'src/agent/golden.eval.ts', 'src/parse.bench.ts',
    ];
    const production = [
      'src/client.ts', 'src/testimonials/list.ts', 'src/contest/entry.ts', 'src/attestation.ts', 'src/latest.ts',
      'src/users.testing.ts', 'src/protest/march.ts', 'src/spectrum/colors.ts', 'src/e2ee/keys.ts', 'src/latest-utils/x.ts',
      'src/expression/eval.ts', 'src/bench/seats.ts',
    ];
    for (const file of tests) assert.ok(isTestPath(file), `${file} is a test`);
    for (const file of production) assert.ok(!isTestPath(file), `${file} is not a test`);
  });

  it('never counts the folder analysed, nor those above it (a checkout in ~/test)', () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-testfiles-')));
    try {
      const root = path.join(base, 'test', 'shop');
      const workspace = new Workspace(root);
      assert.equal(workspace.isTestFile(path.join(root, 'src', 'client.ts')), false);
      assert.equal(workspace.isTestFile(path.join(root, 'test', 'client.ts')), true);
      const fromAbove = new Workspace(root, { testsJudgedFrom: base });
      assert.equal(fromAbove.isTestFile(path.join(root, 'src', 'client.ts')), true, 'judged from a folder above, the test/ on the way counts');
      assert.equal(new Workspace(path.join(base, 'app')).isTestFile(path.join(root, 'src', 'client.ts')), false, 'a file opened from outside the folder analysed');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('finds the repository of a checkout, a worktree or a submodule', () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-testfiles-')));
    try {
      const nested = path.join(base, 'repo', 'packages', 'api', 'src');
      fs.mkdirSync(nested, { recursive: true });
      assert.equal(repositoryRootAbove(nested), undefined);
      fs.mkdirSync(path.join(base, 'repo', '.git'));
      assert.equal(repositoryRootAbove(nested), path.join(base, 'repo'));
      fs.writeFileSync(path.join(base, 'repo', 'packages', 'api', '.git'), 'gitdir: ../../.git/modules/api\n');
      assert.equal(repositoryRootAbove(nested), path.join(base, 'repo', 'packages', 'api'));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
