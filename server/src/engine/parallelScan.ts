import * as os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { AnalysisAbandoned, analyzeInBatch, type AnalyzerEnvironment, type FileAnalysis } from './analyzer';
import { ConfigResolver } from './config';
import { typedPackagesOf, type Rule } from './rule';
import { ScanQueue } from './scanQueue';
import { dependencyOrder } from './scanOrder';
import { Workspace } from './workspace';

// A batch scan spread over the machine's cores: the calling thread and worker threads
// take runs of files from a shared queue (scanQueue.ts), in an order that keeps folders
// together and after the folders they import from (scanOrder.ts). Each thread has its own
// workspace, so whatever a thread's files import is parsed again there; the order and
// each thread's own segment of it keep that small. That duplication pays only for
// syntax: a type-checking program spans the import closure, which in a service code base
// is most of the project even for one file, so every thread would parse and bind nearly
// everything (measured: +70% CPU, +80% memory, no faster; on renovate, where a worker's
// first program took in 1,600 files, 12.2 s against 8.5 s on one thread). So workers
// never build one: a worker leaves each file that asks for types to the calling thread,
// which analyses them, with one program, after its own. And a first slice of the files
// is analysed on the calling thread, and workers go on only if types stayed rare there.
// They are started before that slice and work meanwhile, until their first request for
// types, where they wait at a gate for the verdict; on a closed gate they are stopped and
// the calling thread analyses everything itself.
// The calling thread analyses its own runs synchronously, then awaits the workers'
// results and their exits, so a worker that dies (out of memory) is seen at once and its
// files are analysed on the calling thread.

/**
 * Below this many files per thread a worker costs more than it saves: its own start-up,
 * warm-up, collections and re-parsed imports. Measured on two cores, where the worker also
 * took the core of V8's helpers (see CORES_PER_THREAD): one thread was faster, or within 5%,
 * on every code base of fewer than 3,000 files (synthetic 500 to 2,000 files; vendure,
 * outline, atproto, langchainjs, renovate). With a core to spare per thread the break-even
 * may be lower; this machine could not say.
 */
const FILES_PER_THREAD = 1_500;
/**
 * Cores each scan thread needs. One thread keeps about one and a half cores busy, as V8
 * marks, sweeps, scavenges and compiles on helper threads: novu's scan took 9.7 s on one
 * core and 6.2-6.9 s on two, on one thread either way. A second scan thread on two cores
 * takes the helpers' core: novu (4,814 files) and medusa (5,720) were no faster on two
 * threads (6.6-7.2 s against 6.4-6.9 s) and took 18% more CPU and 510-570 MB against 345 MB.
 * Only the synthetic 4,000 files gained (7.1 against 8.1 s, medians of 3).
 */
const CORES_PER_THREAD = 2;
/** The share of the files analysed first, on the calling thread, to see how widely types are needed. */
const PROBE_SHARE = 0.1;
const MAX_THREADS = 4;
/** A worker that has not finished a file for this long is presumed dead; the caller redoes its files. */
const STALL_MS = 5 * 60_000;
const FILES_DONE = 0;
const GATE = 1;
const ORDERED = 2;
const GATE_OPEN = 1;
const GATE_CLOSED = 2;

export interface ParallelScan {
  /** The script whose worker-thread branch calls serveScanWorker (the CLI bundle). */
  script: string;
  /** Threads to use, the caller's included, however few the files; default: one per FILES_PER_THREAD files and per CORES_PER_THREAD cores, at most 4. */
  threads?: number;
}

/** What every thread of a scan is set up with. */
export interface ScanSettings {
  configFile: string | undefined;
  treeBudget: number;
}

interface ScanJob extends ScanSettings {
  kind: 'resilint-scan';
  root: string;
  testsJudgedFrom: string;
  fixes: boolean;
  queue: SharedArrayBuffer;
  /** The queue segment this worker owns, so each one does a share however late it starts. */
  segment: number;
  control: SharedArrayBuffer;
  port: MessagePort;
}

/** The files in the order the queue hands them out, sent once the workers are on their way. */
interface OrderMessage {
  files: readonly string[];
}

type WorkerMessage = { results: FileAnalysis[] } | { error: string } | { done: true };

export function threadsFor(files: number, parallel: ParallelScan, cores = os.availableParallelism()): number {
  const wanted = parallel.threads ?? Math.min(Math.floor(cores / CORES_PER_THREAD), MAX_THREADS, Math.floor(files / FILES_PER_THREAD));
  return Math.max(1, Math.min(wanted, files));
}

/** Analyses `files` on up to `threads` threads when that pays; resolves with every file's analysis. */
export async function analyseInParallel(env: AnalyzerEnvironment, files: readonly string[], threads: number, parallel: ParallelScan, settings: ScanSettings): Promise<Map<string, FileAnalysis>> {
  const probeEnd = Math.ceil(files.length * PROBE_SHARE);
  const queue = ScanQueue.create(probeEnd, files.length, threads);
  const control = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const counters = new Int32Array(control);
  // Workers load the bundle meanwhile, and wait for the order only when they need it.
  const workers = startWorkers(env, queue, threads, parallel, settings, control);
  const ordered = dependencyOrder(files, (file) => env.workspace.readText(file));
  for (const { port } of workers) port.postMessage({ files: ordered } satisfies OrderMessage);
  Atomics.store(counters, ORDERED, 1);
  Atomics.notify(counters, ORDERED);

  const results = new Map<string, FileAnalysis>();
  const analyseHere = (batch: readonly string[]) => {
    env.workspace.planBatch(batch);
    for (const file of batch) results.set(file, analyzeInBatch(env, file));
  };
  analyseHere(ordered.slice(0, probeEnd));
  const pays = !env.workspace.typesNeededWidely();
  Atomics.store(counters, GATE, pays ? GATE_OPEN : GATE_CLOSED);
  Atomics.notify(counters, GATE);
  if (!pays) {
    for (const { worker, port } of workers) {
      port.close();
      void worker.terminate();
    }
    analyseHere(ordered.slice(probeEnd));
    return results;
  }
  await collectFromWorkers(env, ordered, queue, workers, counters, results);
  return results;
}

interface StartedWorker {
  worker: Worker;
  port: MessagePort;
}

function startWorkers(env: AnalyzerEnvironment, queue: ScanQueue, threads: number, parallel: ParallelScan, settings: ScanSettings, control: SharedArrayBuffer): StartedWorker[] {
  const started: StartedWorker[] = [];
  for (let i = 1; i < threads; i++) {
    const { port1, port2 } = new MessageChannel();
    const job: ScanJob = { kind: 'resilint-scan', root: env.workspace.root, testsJudgedFrom: env.workspace.testsJudgedFrom, ...settings, fixes: env.fixes !== false, queue: queue.buffer, segment: i, control, port: port2 };
    const worker = new Worker(parallel.script, { workerData: job, transferList: [port2] });
    worker.unref();
    started.push({ worker, port: port1 });
  }
  return started;
}

/** Adds to `results` (which holds the probe's) the analyses of the rest of `files`, from this thread's runs and the workers'. */
async function collectFromWorkers(env: AnalyzerEnvironment, files: readonly string[], queue: ScanQueue, workers: readonly StartedWorker[], counters: Int32Array, results: Map<string, FileAnalysis>): Promise<void> {
  drainQueue(env, files, queue, 0, counters, (analyses) => {
    for (const analysis of analyses) results.set(analysis.filePath, analysis);
  });

  const problems: string[] = [];
  const receive = (message: WorkerMessage) => {
    if ('error' in message) problems.push(message.error);
    else if ('results' in message) for (const analysis of message.results) results.set(analysis.filePath, analysis);
  };
  await new Promise<void>((resolve) => {
    let running = workers.length;
    const stop = () => {
      clearInterval(watchdog);
      resolve();
    };
    // Also what keeps the event loop alive meanwhile: the workers are unref'd.
    let progress = Atomics.load(counters, FILES_DONE);
    let lastProgressAt = Date.now();
    const watchdog = setInterval(() => {
      const now = Atomics.load(counters, FILES_DONE);
      if (now !== progress) [progress, lastProgressAt] = [now, Date.now()];
      else if (Date.now() - lastProgressAt > STALL_MS) {
        problems.push(`no progress for ${STALL_MS / 1000} s`);
        stop();
      }
    }, 1000);
    for (const { worker, port } of workers) {
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        if (--running === 0) stop();
      };
      const handle = (message: WorkerMessage) => ('done' in message ? settle() : receive(message));
      port.on('message', handle);
      worker.once('error', (error) => problems.push(error.message));
      worker.once('exit', (code) => {
        // Its last messages may not have been dispatched yet.
        takeQueued(port, handle);
        if (!settled) problems.push(`it stopped with exit code ${code}`);
        settle();
      });
    }
  });
  for (const { worker, port } of workers) {
    takeQueued(port, receive);
    port.close();
    void worker.terminate();
  }
  // Files that needed types, and whatever a failed, stopped or stalled worker left undone,
  // are analysed here, planned together for one type-checking program.
  const undone = files.filter((file) => !results.has(file));
  env.workspace.planBatch(undone);
  for (const file of undone) results.set(file, analyzeInBatch(env, file));
  if (problems.length > 0) process.emitWarning(`resilint: a scan worker failed (${problems[0]}); its files were analysed on the main thread`);
}

/** Messages already queued on the port, taken now rather than when the event loop would dispatch them. */
function takeQueued(port: MessagePort, handle: (message: WorkerMessage) => void): void {
  for (let queued = receiveMessageOnPort(port); queued; queued = receiveMessageOnPort(port)) handle(queued.message as WorkerMessage);
}

/**
 * The worker-thread side: true when this thread was started by analyseInParallel (and has
 * now done its share). `reclaimer` makes the thread's reclaimMemory (see RunOptions).
 */
export function serveScanWorker(rules: readonly Rule<Record<string, unknown>>[], reclaimer: () => (() => void) | undefined = () => undefined): boolean {
  const job = workerData as ScanJob | undefined;
  if (job?.kind !== 'resilint-scan') return false;
  const counters = new Int32Array(job.control);
  const leaveTypesToCaller = () => {
    Atomics.wait(counters, GATE, 0);
    // Closed: the caller terminates this worker and redoes its files; sleep until then.
    while (Atomics.load(counters, GATE) !== GATE_OPEN) Atomics.wait(counters, GATE, GATE_CLOSED);
    throw new AnalysisAbandoned('left to the calling thread: it needs types');
  };
  try {
    const reclaimMemory = reclaimer();
    const workspace = new Workspace(job.root, { beforeTypes: leaveTypesToCaller, treeBudget: job.treeBudget, testsJudgedFrom: job.testsJudgedFrom, typedPackages: typedPackagesOf(rules), ...(reclaimMemory ? { reclaimMemory } : {}) });
    const env: AnalyzerEnvironment = { workspace, configs: new ConfigResolver(job.root, job.configFile), rules, fixes: job.fixes };
    Atomics.wait(counters, ORDERED, 0);
    const { files } = receiveMessageOnPort(job.port)!.message as OrderMessage;
    drainQueue(env, files, new ScanQueue(job.queue), job.segment, counters, (results) => job.port.postMessage({ results } satisfies WorkerMessage));
  } catch (error) {
    job.port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
  } finally {
    job.port.postMessage({ done: true } satisfies WorkerMessage);
    job.port.close();
  }
  return true;
}

/** Analyses runs of the queue's files, from the thread's own segment first, until every file is taken. */
function drainQueue(env: AnalyzerEnvironment, files: readonly string[], queue: ScanQueue, segment: number, counters: Int32Array, deliver: (results: FileAnalysis[]) => void): void {
  // Planned as a whole, so that the calling thread's type-checking program, once it has to
  // take in the planned files (see ProjectEntry.getTypeChecker), is built once for the
  // segment, not again for each run (measured on renovate: rebuilt five times).
  const own = queue.remaining(segment);
  if (own) env.workspace.planBatch(files.slice(own.start, own.end));
  for (let run = queue.take(segment); run; run = queue.take(segment)) {
    const batch = files.slice(run.start, run.end);
    // Runs taken from another thread's segment join the plan as they come.
    env.workspace.planBatch(batch);
    const results: FileAnalysis[] = [];
    for (const file of batch) {
      try {
        results.push(analyzeInBatch(env, file));
      } catch (error) {
        if (!(error instanceof AnalysisAbandoned)) throw error;
      }
      Atomics.add(counters, FILES_DONE, 1);
    }
    deliver(results);
  }
}
