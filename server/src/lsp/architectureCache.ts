import { mappedFiles } from '../architecture/diagram';
import type { FileArchitecture, TrackedArchitecture } from '../architecture/fileArchitecture';
import { workspaceArchitecture } from '../architecture/fileArchitecture';
import type { AnalyzerEnvironment } from '../engine/analyzer';
import { readsChangedSince } from '../engine/memos';
import { scanArchitecture } from './architectureScan';

// The architecture of each workspace folder's files, for the diagram: a folder's first
// diagram has a worker compute all of it (architectureScan.ts); after that, a file whose
// text, or a file it read, has changed since (in an editor, or on disk) is computed again
// on the server's thread when a diagram asks for it, which is a handful of files per save.
// A file created or deleted may change where any import leads, and a configuration what is
// mapped: the folder is computed anew.

interface Entry extends TrackedArchitecture {
  /** The change clock when it was computed. */
  since: number;
}

export class ArchitectureCache {
  private clock = 0;
  private anyChangedAt = 0;
  private readonly changedAt = new Map<string, number>();
  private readonly folders = new Map<string, Promise<Map<string, Entry> | undefined>>();

  constructor(
    /** The server bundle, which the worker thread runs. */
    private readonly script: string,
    /** The editor's unsaved text under a folder, by file. */
    private readonly unsavedTexts: (folder: string) => Map<string, string>,
    private readonly warn: (message: string) => void,
  ) {}

  /** The file's text changed: an edit, a close that dropped unsaved text, a change on disk. */
  changed(file: string): void {
    this.clock++;
    this.changedAt.set(file, this.clock);
    this.anyChangedAt = this.clock;
  }

  /** Files were created or deleted under `folder`, or its configuration changed (or folders were added or removed: no folder given). */
  recomputeAll(folder?: string): void {
    if (folder === undefined) this.folders.clear();
    else this.folders.delete(folder);
  }

  /** For one diagram: each file of the environment's folder, current with the editor's text. */
  async architectures(env: AnalyzerEnvironment): Promise<(file: string) => FileArchitecture | undefined> {
    const folder = env.workspace.root;
    let scanned = this.folders.get(folder);
    if (!scanned) {
      const since = this.clock;
      scanned = scanArchitecture(this.script, folder, mappedFiles(env.workspace, env.configs), this.unsavedTexts(folder)).then(
        (files) => new Map([...files].map(([file, tracked]) => [file, { ...tracked, since }])),
        (error: unknown) => {
          this.warn(`the diagram's worker for ${folder} stopped (${error instanceof Error ? error.message : String(error)}); the diagram is computed on the server's thread`);
          return undefined;
        },
      );
      this.folders.set(folder, scanned);
    }
    const entries = (await scanned) ?? new Map<string, Entry>();
    return (file) => {
      const entry = entries.get(file);
      if (entry && !readsChangedSince(entry.reads, entry.since, (read) => this.changedAt.get(read), this.anyChangedAt)) return entry.architecture;
      const since = this.clock;
      const tracked = workspaceArchitecture(env.workspace, file);
      env.workspace.releaseTrees();
      if (tracked) entries.set(file, { ...tracked, since });
      else entries.delete(file);
      return tracked?.architecture;
    };
  }
}
