import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { ts } from 'ts-morph';
import { defineRule, type Rule } from '../../server/src/engine/rule';

// Rules for the parallel-scan tests, in their own module so the worker threads those
// tests start can load them: each finding names the thread that produced it.

function callReporter(id: string, asksForTypes: (file: string) => boolean): Rule<Record<string, unknown>> {
  return defineRule({
    meta: {
      id,
      description: 'Reports every call, naming the analysing thread.',
      docsUrl: 'https://example.invalid',
      messages: { call: 'call to {{callee}} (thread {{thread}})' },
      defaultSeverity: 'warning',
      requiresTypes: asksForTypes !== never,
      defaultOptions: {},
    },
    create(context) {
      if (asksForTypes(context.filePath)) context.getTypeChecker();
      return {
        [ts.SyntaxKind.CallExpression](node) {
          const call = node as ts.CallExpression;
          context.report({ node: call, messageId: 'call', data: { callee: call.expression.getText(context.sourceFile), thread: threadId } });
        },
      };
    },
  }) as Rule<Record<string, unknown>>;
}

const never = () => false;
export const syntacticRules = [callReporter('probe-calls', never)];
export const typedRules = [callReporter('probe-typed-calls', () => true)];
/** Types for two files only, at the front of the second thread's segment of the test corpus. */
export const SPARSELY_TYPED_FILES = /[/\\]f(?:178|181)\.ts$/;
export const sparselyTypedRules = [callReporter('probe-sparse-types', (file) => SPARSELY_TYPED_FILES.test(file))];

/**
 * As syntacticRules, but a worker thread stops dead (as on running out of memory) at its
 * 30th file, inside the segment reserved for it. The calling thread waits for that at its
 * own first file, so the worker dies however the threads happen to be scheduled (on a busy
 * machine the calling thread could otherwise take every file before the worker starts).
 */
const DEATH_MARK = path.join(os.tmpdir(), `resilint-dying-worker-${process.pid}`);
let analysedHere = 0;
const stopsWorker = defineRule({
  meta: { id: 'stops-worker', description: 'Stops a worker thread part-way.', docsUrl: 'https://example.invalid', messages: {}, defaultSeverity: 'warning', requiresTypes: false, defaultOptions: {} },
  create() {
    analysedHere++;
    if (!isMainThread && analysedHere === 30) {
      fs.writeFileSync(DEATH_MARK, '');
      process.exit(7);
    }
    if (isMainThread && analysedHere === 1) awaitWorkerDeath();
    return {};
  },
}) as Rule<Record<string, unknown>>;

function awaitWorkerDeath(): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; !fs.existsSync(DEATH_MARK) && waited < 60_000; waited += 20) Atomics.wait(pause, 0, 0, 20);
  fs.rmSync(DEATH_MARK, { force: true });
}
export const dyingWorkerRules = [...syntacticRules, stopsWorker];
