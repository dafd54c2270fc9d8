import * as fs from 'node:fs';
import * as path from 'node:path';

// Tests, test helpers and fixtures, told apart by path alone, the same way for every rule
// (each skips them unless its `checkTests` option is on) and for the architecture diagram.
// A test runner's timeout bounds every call a test makes, and a test's loops, retries and
// caches never serve production traffic: findings there are noise that buries the rest.

/** A folder of tests or helpers: `test/`, `__tests__/`, `e2e/`, `test-utils/`, `api-tests/`, `fixtures/`… */
const TEST_FOLDER = /(?:^|\/)(?:__tests__|__mocks__|__fixtures__|e2e|specs?|testing|fixtures?|playwright|cypress|tests?(?:[-_.][\w.-]*)?|[\w.-]+[-_.]tests?|(?:[\w.-]*[-_.])?test-?utils)\//;
/** A test file by name: `users.test.ts`, `app.e2e-spec.ts`, `types.test-d.ts`, Vitest's `parse.bench.ts` and eval suites' `agent.eval.ts`… */
const TEST_FILE_NAME = /\.(?:test|spec|e2e-spec|e2e|test-d|bench|eval)\.[cm]?tsx?$/;

/** Whether a path, relative to the folder it is judged from and with `/` separators, names a test, a test helper or a fixture. */
export function isTestPath(relativePath: string): boolean {
  return TEST_FOLDER.test(relativePath) || TEST_FILE_NAME.test(relativePath);
}

/** The folder holding `.git` (a directory in a checkout, a file in a worktree or submodule) at or above `folder`, if any. */
export function repositoryRootAbove(folder: string): string | undefined {
  for (let current = folder; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}
