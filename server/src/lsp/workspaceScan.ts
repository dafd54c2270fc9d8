import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { FileAnalysis } from '../engine/analyzer';
import { heapReclaimer } from '../engine/heapReclaimer';
import { runAnalysis } from '../engine/runner';
import { allRules } from '../rules';
import { PathIndexes } from './pathIndexes';

// The editor's workspace scan runs on a worker thread of the server. On the server's own
// thread it had to share the thread with typing: it yielded between files, but building
// a type-checking program takes a second or more on a large project and cannot yield, so
// an edit made meanwhile waited for it (installed outline: 1 s p95 while the scan ran).
// The worker scans as the CLI does (the batch runner: dependency order, a budget of
// syntax trees kept, one program), from disk plus the unsaved text open documents had
// when it started, and exits when done, which returns the memory a whole-project scan
// takes; the server's thread keeps only what its open documents need.

const JOB_KIND = 'resilint-workspace-scan';

interface ScanJob {
  kind: typeof JOB_KIND;
  folder: string;
  overlays: Map<string, string>;
  /** The only files to analyse, when not all. */
  only?: ReadonlySet<string>;
}

export type ScanMessage =
  /** `files` is how many files the scan analyses in all; `reads`, the files the analysis read (see Memos.tracked). */
  | { kind: 'analysed'; analysis: FileAnalysis; files: number; reads: readonly string[] }
  /** What is wrong in the folder's tsconfig.json files: the last message of a scan that analysed every file. */
  | { kind: 'problems'; problems: readonly string[] }
  | { kind: 'failed'; message: string };

export interface WorkspaceScan {
  /** The scan's messages in order; ends when the scan ends, fails or is stopped. */
  messages: AsyncIterable<ScanMessage>;
  stop(): void;
}

/** What the worker posts: reads by index into the paths posted so far, which `newPaths` extends (see PathIndexes). */
type WorkerMessage = Exclude<ScanMessage, { kind: 'analysed' }> | { kind: 'analysed'; analysis: FileAnalysis; files: number; reads: Uint32Array; newPaths: string[] };

/** Scans `folder` (or `only` its files named there) on a worker thread running `script` (the server bundle, whose entry calls serveWorkspaceScan). */
export function startWorkspaceScan(script: string, folder: string, overlays: Map<string, string>, only?: ReadonlySet<string>): WorkspaceScan {
  const job: ScanJob = { kind: JOB_KIND, folder, overlays, ...(only ? { only } : {}) };
  const worker = new Worker(script, { workerData: job });
  const paths: string[] = [];
  const queued: ScanMessage[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: WorkerMessage) => {
    if (message.kind === 'analysed') {
      paths.push(...message.newPaths);
      queued.push({ kind: 'analysed', analysis: message.analysis, files: message.files, reads: Array.from(message.reads, (read) => paths[read]!) });
    } else {
      queued.push(message);
    }
    notify();
  });
  worker.on('error', (error) => {
    queued.push({ kind: 'failed', message: error.message });
    notify();
  });
  worker.on('exit', () => {
    ended = true;
    notify();
  });
  async function* messages(): AsyncGenerator<ScanMessage> {
    for (;;) {
      const next = queued.shift();
      if (next) yield next;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return {
    messages: messages(),
    stop: () => void worker.terminate(),
  };
}

/** The worker-thread side: true when this thread was started by startWorkspaceScan (and now scans). */
export function serveWorkspaceScan(): boolean {
  const job = workerData as ScanJob | undefined;
  if (isMainThread || job?.kind !== JOB_KIND || !parentPort) return false;
  const port = parentPort;
  lowerThisThreadsPriority();
  const post = (message: WorkerMessage) => port.postMessage(message);
  const reclaimMemory = heapReclaimer();
  const indexes = new PathIndexes();
  runAnalysis({
    paths: [job.folder],
    rules: allRules,
    // A closed file offers no code actions until it is opened, which analyses it again.
    fixes: false,
    overlays: job.overlays,
    ...(job.only ? { only: job.only } : {}),
    ...(reclaimMemory ? { reclaimMemory } : {}),
    onAnalysed: (analysis, files, reads = new Set()) => {
      const indexed = Uint32Array.from(reads, (file) => indexes.indexOf(file));
      post({ kind: 'analysed', analysis, files, reads: indexed, newPaths: indexes.takeNew() });
    },
  }).then(
    (run) => post({ kind: 'problems', problems: run.workspace.problems() }),
    (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
  return true;
}

/**
 * The scan is background work: on two cores it competed with the thread that answers the
 * user (vendure, editing order.service.ts as the server starts: first diagnostics 1.37-1.54 s,
 * edits during the scan 70-78 ms median; at a lower priority 1.01-1.10 s and 52-54 ms, the
 * scan 0.3 s longer). Linux keeps a nice value per thread, which any user may raise for their own
 * threads; elsewhere the call would lower the whole process, so it is left alone.
 */
export function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const threadId = Number(path.basename(fs.readlinkSync('/proc/thread-self')));
    os.setPriority(threadId, os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // No /proc (a container without it): the scan runs at the editor's priority, as before.
  }
}
