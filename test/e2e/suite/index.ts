// Entry point VS Code loads as --extensionTestsPath: runs the *.test.js files next to it with
// mocha inside the extension host. Results go to the file named by RESILINT_E2E_RESULTS because
// the extension host's console and exit code do not reliably reach the process that started it.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requiredEnv } from './harness';

interface SuiteResults {
  passed: string[];
  failed: { title: string; error: string }[];
}

export async function run(): Promise<void> {
  const resultsFile = requiredEnv('RESILINT_E2E_RESULTS');
  const results: SuiteResults = { passed: [], failed: [] };
  try {
    const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
    for (const file of fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) {
      mocha.addFile(path.join(__dirname, file));
    }
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => results.passed.push(test.fullTitle()));
      runner.on('fail', (test, error: unknown) => results.failed.push({ title: test.fullTitle(), error: describeError(error) }));
    });
  } catch (error) {
    results.failed.push({ title: 'loading the extension-host suite', error: describeError(error) });
  } finally {
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  }
  if (results.failed.length > 0) throw new Error(`${results.failed.length} extension-host test(s) failed`);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
