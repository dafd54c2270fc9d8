import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadsFor } from '../../server/src/engine/parallelScan';
import { runAnalysis } from '../../server/src/engine/runner';
import type { FileAnalysis } from '../../server/src/engine/analyzer';
import { dyingWorkerRules, SPARSELY_TYPED_FILES, sparselyTypedRules, syntacticRules, typedRules } from './scanProbeRules';

// The CLI spreads a scan over worker threads when types are rarely needed. Whatever the
// threads, the results must be those of a single-threaded scan, in the same order.

const FILES = 320;

function corpus(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-parallel-')));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true }, include: ['src'] }));
  for (let i = 0; i < FILES; i++) {
    const folder = path.join(dir, 'src', `m${String(Math.floor(i / 10)).padStart(2, '0')}`);
    fs.mkdirSync(folder, { recursive: true });
    const neighbour = i % 10 === 0 ? '' : `import { load${i - 1} } from './f${i - 1}';\n`;
    // Enough work per file that the worker is up before the calling thread has done it all.
    const calls = Array.from({ length: 150 }, (_, k) => `  const r${k} = await fetch(url + '/${i}/${k}');`).join('\n');
    fs.writeFileSync(path.join(folder, `f${i}.ts`), `${neighbour}export async function load${i}(url: string) {\n${calls}\n  return r0.json();\n}\n`);
  }
  return dir;
}

/** A worker entry like the CLI bundle's: serve the scan with the test rules. */
function workerScript(dir: string, rulesExport: 'syntacticRules' | 'typedRules' | 'sparselyTypedRules' | 'dyingWorkerRules'): string {
  const script = path.join(dir, `scan-worker-${rulesExport}.js`);
  const engine = JSON.stringify(path.join(__dirname, '..', '..', 'server', 'src', 'engine', 'parallelScan.js'));
  const rules = JSON.stringify(path.join(__dirname, 'scanProbeRules.js'));
  fs.writeFileSync(script, `require(${engine}).serveScanWorker(require(${rules}).${rulesExport});\n`);
  return script;
}

const threadsOf = (results: FileAnalysis[]) => new Set(results.flatMap((r) => r.findings.map((f) => /thread (\d+)/.exec(f.message)![1])));
const withoutThreads = (results: FileAnalysis[]) => results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, message: f.message.replace(/ \(thread \d+\)/, '') })) }));

describe('parallel scan', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = corpus()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('spreads syntactic analysis over threads and returns exactly the single-threaded results', async () => {
    const single = (await runAnalysis({ paths: [dir], rules: syntacticRules })).results;
    const parallel = (await runAnalysis({ paths: [dir], rules: syntacticRules, parallel: { script: workerScript(dir, 'syntacticRules'), threads: 2 } })).results;
    assert.equal(parallel.length, FILES);
    assert.equal(threadsOf(single).size, 1);
    assert.equal(threadsOf(parallel).size, 2, 'a worker thread analysed part of the files');
    assert.deepEqual(withoutThreads(parallel), withoutThreads(single));
  });

  it('analyses on the calling thread what a worker that stopped dead left undone, without waiting for it', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const single = (await runAnalysis({ paths: [dir], rules: syntacticRules })).results;
      const parallel = (await runAnalysis({ paths: [dir], rules: dyingWorkerRules, parallel: { script: workerScript(dir, 'dyingWorkerRules'), threads: 2 } })).results;
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(withoutThreads(parallel), withoutThreads(single));
      assert.deepEqual(warnings, ['resilint: a scan worker failed (it stopped with exit code 7); its files were analysed on the main thread']);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('takes a thread per 1,500 files and per two cores, at most four, unless told how many', () => {
    const script = 'unused.js';
    assert.equal(threadsFor(100_000, { script }, 2), 1);
    assert.equal(threadsFor(100_000, { script }, 3), 1);
    assert.equal(threadsFor(2_999, { script }, 4), 1);
    assert.equal(threadsFor(3_000, { script }, 4), 2);
    assert.equal(threadsFor(4_500, { script }, 16), 3);
    assert.equal(threadsFor(100_000, { script }, 16), 4);
    assert.equal(threadsFor(100_000, { script }, 1), 1);
    assert.equal(threadsFor(320, { script, threads: 2 }, 2), 2);
    assert.equal(threadsFor(1, { script, threads: 2 }), 1);
  });

  it('leaves the files that need types to the calling thread, with the same results', async () => {
    const single = (await runAnalysis({ paths: [dir], rules: sparselyTypedRules })).results;
    const parallel = (await runAnalysis({ paths: [dir], rules: sparselyTypedRules, parallel: { script: workerScript(dir, 'sparselyTypedRules'), threads: 2 } })).results;
    assert.deepEqual(withoutThreads(parallel), withoutThreads(single));
    const typed = parallel.filter((r) => SPARSELY_TYPED_FILES.test(r.filePath));
    assert.equal(typed.length, 2);
    assert.deepEqual([...threadsOf(typed)], ['0'], 'no worker builds a type-checking program');
    assert.equal(threadsOf(parallel).size, 2, 'a worker analysed the files around them');
  });

  it('stays on one thread when most files need the type checker', async () => {
    const results = (await runAnalysis({ paths: [dir], rules: typedRules, parallel: { script: workerScript(dir, 'typedRules'), threads: 2 } })).results;
    assert.equal(results.length, FILES);
    assert.deepEqual([...threadsOf(results)], ['0'], 'no worker: each would have to parse and bind the whole import closure');
  });
});
