import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { workspaceArchitecture, type FileArchitecture, type TrackedArchitecture } from '../architecture/fileArchitecture';
import { isWithin } from '../engine/paths';
import { BATCH_TREE_BUDGET, Workspace } from '../engine/workspace';
import { PathIndexes } from './pathIndexes';
import { lowerThisThreadsPriority } from './workspaceScan';

// The first diagram of a folder needs the architecture of every file: on the server's
// thread that was a parse of the whole folder the user waited for while typing waited
// too (installed outline 2.5 s, medusa 4.1 s), and the trees then stayed in the server's
// memory (+220-400 MB). A worker thread computes it instead, from disk plus the unsaved
// text open documents had when it started, and hands back plain data (fileArchitecture.ts);
// what changes later is brought up to date on the server (architectureCache.ts).

const JOB_KIND = 'resilint-architecture-scan';

interface ArchitectureJob {
  kind: typeof JOB_KIND;
  folder: string;
  /** The files to map. */
  files: string[];
  overlays: Map<string, string>;
}

/** Paths by index into `paths` (see PathIndexes). */
interface Done {
  kind: 'done';
  paths: string[];
  files: { file: number; architecture: FileArchitecture; reads: Uint32Array }[];
}

type Reply = Done | { kind: 'failed'; message: string };

/** The architecture of `files` (a folder's mapped files), and of the files in the folder their imports lead to, computed on a worker thread running `script`. */
export function scanArchitecture(script: string, folder: string, files: string[], overlays: Map<string, string>): Promise<Map<string, TrackedArchitecture>> {
  const job: ArchitectureJob = { kind: JOB_KIND, folder, files, overlays };
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    worker.once('message', (reply: Reply) => {
      if (reply.kind === 'done') resolve(new Map(reply.files.map(({ file, architecture, reads }) => [reply.paths[file]!, { architecture, reads: Array.from(reads, (read) => reply.paths[read]!) }])));
      else reject(new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker stopped (exit code ${code})`)));
  });
}

/** The worker-thread side: true when this thread was started by scanArchitecture (and now computes). */
export function serveArchitectureScan(): boolean {
  const job = workerData as ArchitectureJob | undefined;
  if (isMainThread || job?.kind !== JOB_KIND || !parentPort) return false;
  lowerThisThreadsPriority();
  let reply: Reply;
  try {
    reply = indexed(folderArchitecture(job));
  } catch (error) {
    reply = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(reply);
  return true;
}

function folderArchitecture(job: ArchitectureJob): Map<string, TrackedArchitecture> {
  // A budget of trees, as a batch run keeps: the results hold no trees, and a whole
  // folder's would take the memory this thread is here to spare.
  const workspace = new Workspace(job.folder, { treeBudget: BATCH_TREE_BUDGET });
  for (const [file, text] of job.overlays) workspace.setOverlay(file, text);
  const files = new Map<string, TrackedArchitecture>();
  const pending = [...job.files];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    const tracked = workspaceArchitecture(workspace, file);
    workspace.releaseTrees();
    if (!tracked) continue;
    files.set(file, tracked);
    for (const target of tracked.architecture.imports.values()) {
      if (target && !files.has(target.file) && isWithin(job.folder, target.file)) pending.push(target.file);
    }
  }
  return files;
}

function indexed(files: Map<string, TrackedArchitecture>): Done {
  const indexes = new PathIndexes();
  const entries = [...files].map(([file, { architecture, reads }]) => ({ file: indexes.indexOf(file), architecture, reads: Uint32Array.from(reads, (read) => indexes.indexOf(read)) }));
  return { kind: 'done', paths: indexes.takeNew(), files: entries };
}
