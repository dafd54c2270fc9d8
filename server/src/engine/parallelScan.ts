import * as os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { analyzeFile, type AnalyzerEnvironment, type FileAnalysis } from './analyzer';
import { ConfigResolver } from './config';
import type { Rule } from './rule';
import { Workspace } from './workspace';

// A batch scan spread over the machine's cores: the calling thread and worker threads
// take chunks of neighbouring files from a shared queue. Each thread has its own
// workspace, so whatever a thread's files import is parsed again there; chunks are runs
// of neighbouring paths because imports mostly stay close. That duplication pays only
// while few files need the type checker: its program spans the import closure, which in
// a service code base is most of the project, so every thread would parse and bind nearly
// everything (measured: +70% CPU, +80% memory, no faster). So a first slice of the files
// is analysed on the calling thread, and workers go on only if types stayed rare there.
// They are started before that slice and work meanwhile, until their first request for
// types, where they wait at a gate for the verdict; on a closed gate they are stopped and
// the calling thread analyses everything itself.
// The calling thread analyses its own chunks synchronously, then awaits the workers'
// results and their exits, so a worker that dies (out of memory) is seen at once and its
// files are analysed on the calling thread.

/** Below this, starting a worker (loading the bundle again) costs more than it saves. */
const FILES_PER_THREAD = 150;
/** The smallest chunk: below this, a chunk's imports parsed again on another thread cost more than the balance gained. */
const MIN_CHUNK = 25;
/** The share of the files analysed first, on the calling thread, to see how widely types are needed. */
const PROBE_SHARE = 0.1;
const MAX_THREADS = 4;
/** A worker that has not finished a file for this long is presumed dead; the caller redoes its files. */
const STALL_MS = 5 * 60_000;
const NEXT_CHUNK = 0;
const FILES_DONE = 1;
const GATE = 2;
const GATE_OPEN = 1;
const GATE_CLOSED = 2;

export interface ParallelScan {
  /** The script whose worker-thread branch calls serveScanWorker (the CLI bundle). */
  script: string;
  /** Threads to use at most, the caller's included; default: the machine's parallelism, at most 4. */
  threads?: number;
}

interface ScanJob {
  kind: 'resilint-scan';
  root: string;
  configFile: string | undefined;
  fixes: boolean;
  chunks: string[][];
  /** The chunk reserved for this worker, so each one does a share however late it starts. */
  first: number;
  control: SharedArrayBuffer;
  port: MessagePort;
}

type WorkerMessage = { results: FileAnalysis[] } | { error: string } | { done: true };

export function threadsFor(files: number, parallel: ParallelScan): number {
  const cores = parallel.threads ?? Math.min(os.availableParallelism(), MAX_THREADS);
  return Math.max(1, Math.min(cores, Math.floor(files / FILES_PER_THREAD)));
}

/** Analyses `files` (sorted by path), on up to `threads` threads when that pays; resolves with every file's analysis. */
export async function analyseInParallel(env: AnalyzerEnvironment, files: readonly string[], threads: number, parallel: ParallelScan, configFile: string | undefined): Promise<Map<string, FileAnalysis>> {
  const probe = files.slice(0, Math.ceil(files.length * PROBE_SHARE));
  const rest = files.slice(probe.length);
  const chunks = shrinkingChunks(rest, threads);
  const control = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const counters = new Int32Array(control);
  Atomics.store(counters, NEXT_CHUNK, threads);
  const workers = startWorkers(env, chunks, threads, parallel, configFile, control);

  const results = new Map<string, FileAnalysis>();
  const analyseHere = (batch: readonly string[]) => {
    env.workspace.planBatch(batch);
    for (const file of batch) results.set(file, analyzeFile(env, file));
  };
  analyseHere(probe);
  const pays = !env.workspace.typesNeededWidely();
  Atomics.store(counters, GATE, pays ? GATE_OPEN : GATE_CLOSED);
  Atomics.notify(counters, GATE);
  if (!pays) {
    for (const { worker, port } of workers) {
      port.close();
      void worker.terminate();
    }
    analyseHere(rest);
    return results;
  }
  for (const [file, analysis] of await collectFromWorkers(env, rest, chunks, workers, counters)) results.set(file, analysis);
  return results;
}

interface StartedWorker {
  worker: Worker;
  port: MessagePort;
}

function startWorkers(env: AnalyzerEnvironment, chunks: string[][], threads: number, parallel: ParallelScan, configFile: string | undefined, control: SharedArrayBuffer): StartedWorker[] {
  const started: StartedWorker[] = [];
  for (let i = 1; i < threads; i++) {
    const { port1, port2 } = new MessageChannel();
    const job: ScanJob = { kind: 'resilint-scan', root: env.workspace.root, configFile, fixes: env.fixes !== false, chunks, first: i, control, port: port2 };
    const worker = new Worker(parallel.script, { workerData: job, transferList: [port2] });
    worker.unref();
    started.push({ worker, port: port1 });
  }
  return started;
}

async function collectFromWorkers(env: AnalyzerEnvironment, files: readonly string[], chunks: readonly string[][], workers: readonly StartedWorker[], counters: Int32Array): Promise<Map<string, FileAnalysis>> {
  const results = new Map<string, FileAnalysis>();
  drainChunks(env, chunks, 0, counters, (analyses) => {
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
  // Whatever a failed, stopped or stalled worker left undone is analysed here: slower, never lost.
  for (const file of files) if (!results.has(file)) results.set(file, analyzeFile(env, file));
  if (problems.length > 0) process.emitWarning(`resilint: a scan worker failed (${problems[0]}); its files were analysed on the main thread`);
  return results;
}

/** Messages already queued on the port, taken now rather than when the event loop would dispatch them. */
function takeQueued(port: MessagePort, handle: (message: WorkerMessage) => void): void {
  for (let queued = receiveMessageOnPort(port); queued; queued = receiveMessageOnPort(port)) handle(queued.message as WorkerMessage);
}

/** The worker-thread side: true when this thread was started by analyseInParallel (and has now done its share). */
export function serveScanWorker(rules: readonly Rule<Record<string, unknown>>[]): boolean {
  const job = workerData as ScanJob | undefined;
  if (job?.kind !== 'resilint-scan') return false;
  const counters = new Int32Array(job.control);
  const awaitGate = () => {
    Atomics.wait(counters, GATE, 0);
    // Closed: the caller terminates this worker and redoes its files; sleep until then.
    while (Atomics.load(counters, GATE) !== GATE_OPEN) Atomics.wait(counters, GATE, GATE_CLOSED);
  };
  try {
    const workspace = new Workspace(job.root, { beforeTypes: awaitGate });
    const env: AnalyzerEnvironment = { workspace, configs: new ConfigResolver(job.root, job.configFile), rules, fixes: job.fixes };
    drainChunks(env, job.chunks, job.first, counters, (results) => job.port.postMessage({ results } satisfies WorkerMessage));
  } catch (error) {
    job.port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
  } finally {
    job.port.postMessage({ done: true } satisfies WorkerMessage);
    job.port.close();
  }
  return true;
}

/** Analyses the thread's reserved chunk, then takes chunks from the shared queue until it is empty. */
function drainChunks(env: AnalyzerEnvironment, chunks: readonly string[][], first: number, counters: Int32Array, deliver: (results: FileAnalysis[]) => void): void {
  for (let index = first; index < chunks.length; index = Atomics.add(counters, NEXT_CHUNK, 1)) {
    const chunk = chunks[index]!;
    // One type-checking program for the whole chunk rather than one per file needing it.
    env.workspace.planBatch(chunk);
    const results = chunk.map((file) => {
      const analysis = analyzeFile(env, file);
      Atomics.add(counters, FILES_DONE, 1);
      return analysis;
    });
    deliver(results);
  }
}

/**
 * Runs of neighbouring files (the input is sorted by path), each a share of what is left
 * when it is cut: large chunks first keep imports within a thread, small ones last keep
 * all threads busy until the end instead of one finishing a large chunk alone.
 */
function shrinkingChunks(files: readonly string[], threads: number): string[][] {
  const chunks: string[][] = [];
  for (let start = 0; start < files.length; ) {
    const size = Math.max(MIN_CHUNK, Math.ceil((files.length - start) / (2 * threads)));
    chunks.push(files.slice(start, start + size));
    start += size;
  }
  return chunks;
}
