import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  Command,
  FileChangeType,
  type FileEvent,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type TextDocuments,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ts } from 'ts-morph';
import { analyzeInEditor, type AnalyzerEnvironment, type FileAnalysis } from '../engine/analyzer';
import { ConfigResolver } from '../engine/config';
import { mergeFixes } from '../engine/edits';
import { rangesOverlap, type Finding, type Fix, type TextEdit } from '../engine/findings';
import { heapReclaimer } from '../engine/heapReclaimer';
import { readsChangedSince } from '../engine/memos';
import { disableFileEdit, disableNextLineEdit } from '../engine/suppressions';
import { typedPackagesOf } from '../engine/rule';
import { EDITOR_TREE_BUDGET, isAnalysableFile, normalizePath, TSCONFIG_NAME, Workspace } from '../engine/workspace';
import { BASELINE_FILE_NAME } from '../engine/baseline';
import { ClientCommands, StatusNotification, type ServerState } from '../protocol';
import { allRules, findRule } from '../rules';
import { FIX_ALL_KIND, pathToUri, SOURCE, toDiagnostic, toQuickFix, toWorkspaceEdit, uriToPath, type OpenVersions } from './convert';
import { WorkspaceBaselines, type BaselineMode } from './baselineDiagnostics';
import { readSettings, type ServerSettings } from './settings';
import { ArchitectureCache } from './architectureCache';
import { startWorkspaceScan } from './workspaceScan';

// The language server's state: one engine Workspace per workspace folder, the latest
// analysis per document version, and the scheduling that keeps typing smooth.

interface Published {
  version: number | undefined;
  /** What the editor shows: the analysis with the baseline applied. */
  analysis: FileAnalysis;
  /** The findings before the baseline, while they describe the file's text (undefined once it changed on disk). */
  found: readonly Finding[] | undefined;
}

const CONFIG_FILES = new Set(['resilint.config.json', 'package.json']);
/**
 * How long after the last write (a change on disk, a save) closed files are analysed again,
 * the whole workspace or the files that read what was written: a branch switch or a code
 * generator writes many files in a burst, and one run after it is enough.
 */
const RESCAN_DELAY_MS = 500;

export class Session {
  private folders: string[] = [];
  private readonly envs = new Map<string, AnalyzerEnvironment>();
  /** One for the server's thread, whose heap all folders' workspaces share. */
  private readonly reclaimMemory = heapReclaimer();
  private readonly published = new Map<string, Published>();
  /** The findings of every published analysis, kept as they are published: the status is sent after each file of a scan. */
  private shownFindings = 0;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly reported = new Set<string>();
  private scanGeneration = 0;
  private readonly baselines = new WorkspaceBaselines((message) => this.reportOnce(message, true));
  /** The resilint.baseline setting last read for each document. */
  private readonly baselineModes = new Map<string, BaselineMode>();
  private state: ServerState = 'starting';

  /** Stops the workspace scan under way, if any. */
  private stopScan: (() => void) | undefined;
  /** Files opened, edited or closed since the workspace scan started: their own analysis is newer than the scan's. */
  private readonly editedSinceScan = new Set<string>();
  private rescanTimer: NodeJS.Timeout | undefined;
  /** The settings each folder's last scan published its closed files under (see scanKey), by folder. */
  private readonly scannedUnder = new Map<string, string>();
  /** What each closed file's analysis by a scan read (see Memos.tracked), by file: a save of one of those files may change its findings. */
  private readonly scannedReads = new Map<string, readonly string[]>();
  /** Files written (open documents saved, closed files changed on disk) since the closed files that read them were last analysed again. */
  private readonly changedSinceRefresh = new Set<string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** A whole scan started and did not finish: only another whole scan makes up for it. */
  private wholeScanOwed = false;
  /** The files of the last partial scan, until it finishes: a scan that stops it takes them on. */
  private partialScanOwed = new Set<string>();
  /** What the diagram links, kept current with the editor's text and the disk. */
  readonly architectures: ArchitectureCache;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    /** The server bundle, which a workspace scan's worker thread runs (see workspaceScan.ts). */
    private readonly scanScript: string,
  ) {
    this.architectures = new ArchitectureCache(scanScript, (folder) => this.unsavedTexts(folder), (message) => this.reportOnce(message, false));
  }

  setFolders(folders: readonly WorkspaceFolder[] | null | undefined): void {
    this.folders = (folders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined).map(normalizePath);
    this.envs.clear();
    this.architectures.recomputeAll();
  }

  /** Folders added or removed: the new ones are scanned, and the removed ones' closed files no longer shown. */
  foldersChanged(folders: readonly WorkspaceFolder[] | null | undefined): void {
    this.setFolders(folders);
    this.rescanSoon();
  }

  /** The engine environment of each workspace folder (the architecture diagram reads them). */
  environments(): AnalyzerEnvironment[] {
    return this.folders.map((folder) => this.envFor(path.join(folder, 'x')));
  }

  // ---- documents -------------------------------------------------------------------

  async documentChanged(document: TextDocument, immediately: boolean): Promise<void> {
    const filePath = uriToPath(document.uri);
    if (!filePath || !isAnalysableFile(filePath)) return;
    this.editedSinceScan.add(normalizePath(filePath));
    this.architectures.changed(normalizePath(filePath));
    this.envFor(filePath).workspace.setOverlay(filePath, document.getText());
    const settings = await readSettings(this.connection, document.uri);
    this.baselineModes.set(document.uri, settings.baseline);
    if (!settings.enable) return this.clear(document.uri);
    if (!immediately && settings.run === 'onSave') return;
    clearTimeout(this.timers.get(document.uri));
    const delay = immediately ? 0 : settings.debounceMs;
    this.timers.set(document.uri, setTimeout(() => this.analyzeOpenDocument(document.uri), delay));
  }

  /** An open document was written to disk: the closed files whose analysis read it are analysed again, soon. */
  documentSaved(document: TextDocument): void {
    const filePath = uriToPath(document.uri);
    if (filePath && isAnalysableFile(filePath)) this.refreshReadersSoon(normalizePath(filePath));
  }

  documentClosed(document: TextDocument): void {
    clearTimeout(this.timers.get(document.uri));
    this.timers.delete(document.uri);
    const filePath = uriToPath(document.uri);
    if (!filePath) return;
    this.editedSinceScan.add(normalizePath(filePath));
    this.architectures.changed(normalizePath(filePath));
    this.envFor(filePath).workspace.clearOverlay(filePath);
    // Keep what the workspace scan knows about the file on disk; drop editor-only state.
    this.analyzeAndPublish(filePath, document.uri, undefined);
  }

  /**
   * Files changed on disk (watcher events): configs reset caches, sources re-read, open
   * documents analysed again at once. Closed files show what a scan published, and a change
   * on disk may change the findings of the files that read it: a changed source file (or a
   * saved open one) has them analysed again once the changes settle; a file created or
   * deleted may change where any import leads, and a configuration, a tsconfig or the
   * baseline any file's findings: the workspace is scanned again.
   */
  filesChanged(changes: readonly FileEvent[]): void {
    let rescan = false;
    for (const { uri, type } of changes) {
      const filePath = uriToPath(uri);
      if (!filePath || filePath.split(path.sep).includes('node_modules')) continue;
      if (path.basename(filePath) === BASELINE_FILE_NAME) this.baselines.invalidate();
      const env = this.envFor(filePath);
      if (CONFIG_FILES.has(path.basename(filePath))) env.configs.clear();
      if (env.workspace.hasOverlay(filePath)) {
        if (isAnalysableFile(filePath)) this.refreshReadersSoon(normalizePath(filePath));
        continue;
      }
      env.workspace.fileChanged(filePath);
      // Declarations are mostly build output (a `tsc --watch` writes them on every save).
      if (isAnalysableFile(filePath) && type === FileChangeType.Changed) {
        this.architectures.changed(normalizePath(filePath));
        this.refreshReadersSoon(normalizePath(filePath));
      } else if (isAnalysableFile(filePath) || changesConfiguration(filePath)) {
        this.architectures.recomputeAll(env.workspace.root);
        rescan = true;
      }
      // Until the rescan publishes it again, the diagram analyses the file itself.
      const closed = this.published.get(pathToUri(normalizePath(filePath)));
      if (closed) closed.found = undefined;
    }
    for (const document of this.documents.all()) void this.documentChanged(document, true);
    if (rescan) this.rescanSoon();
  }

  private rescanSoon(): void {
    clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      void this.analyzeWorkspace();
    }, RESCAN_DELAY_MS);
  }

  /**
   * Closed files show what a scan found with the text their analysis read then: after a file
   * is written, the closed files that read it (and those that read every file: a question to
   * the type checker, a project-wide store), and the file itself if it is closed, are
   * analysed again on the worker, once writes settle.
   */
  private refreshReadersSoon(written: string): void {
    this.changedSinceRefresh.add(written);
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshReaders();
    }, RESCAN_DELAY_MS);
  }

  /**
   * A whole scan under way (or cancelled by the user) goes first: restarted at every save, it
   * might never finish. Its end calls this again, as it may have analysed some readers before
   * the save. One about to start makes this needless.
   */
  private refreshReaders(): void {
    if (this.wholeScanOwed || this.rescanTimer) return;
    // On readsChangedSince's clock the scans' analyses stand at 0 and these writes at 1.
    const changedAt = (file: string) => (this.changedSinceRefresh.has(file) ? 1 : undefined);
    const open = new Set(this.documents.all().map((document) => uriToPath(document.uri)).filter((file) => file !== undefined).map(normalizePath));
    const readers = new Set<string>();
    for (const [file, reads] of this.scannedReads) if (!open.has(file) && readsChangedSince(reads, 0, changedAt, 1)) readers.add(file);
    for (const file of this.changedSinceRefresh) if (!open.has(file)) readers.add(file);
    this.changedSinceRefresh.clear();
    if (readers.size > 0) void this.analyzeWorkspace(readers);
  }

  private analyzeOpenDocument(uri: string): void {
    this.timers.delete(uri);
    const document = this.documents.get(uri);
    const filePath = uriToPath(uri);
    if (!document || !filePath) return;
    this.analyzeAndPublish(filePath, uri, document.version);
  }

  private analyzeAndPublish(filePath: string, uri: string, version: number | undefined): void {
    // A closed file (version undefined) offers no code actions until it is opened, which
    // analyses it again: its fixes, some type-checked, would be wasted.
    const found = this.analyze(filePath, version !== undefined);
    // Typing during the analysis made it stale: the pending timer will redo it.
    if (version !== undefined && this.documents.get(uri)?.version !== version) return;
    this.publish(uri, version, found);
  }

  private publish(uri: string, version: number | undefined, found: FileAnalysis): void {
    const analysis = this.applyBaseline(uri, found.filePath, found);
    this.shownFindings += analysis.findings.length - (this.published.get(uri)?.analysis.findings.length ?? 0);
    this.published.set(uri, { version, analysis, found: found.findings });
    void this.connection.sendDiagnostics({
      uri,
      ...(version !== undefined ? { version } : {}),
      diagnostics: analysis.findings.map(toDiagnostic),
    });
    this.sendStatus();
  }

  private analyze(filePath: string, fixes: boolean): FileAnalysis {
    const env = this.envFor(filePath);
    // Trees beyond the editor's budget go, or a day across a large code base would keep every
    // file it opened, and their imports.
    const analysis = analyzeInEditor({ ...env, fixes }, filePath);
    this.reportProblems(analysis, env.workspace.problems());
    return analysis;
  }

  private reportProblems(analysis: FileAnalysis, workspaceProblems: readonly string[]): void {
    for (const problem of [...workspaceProblems, ...analysis.configProblems]) this.reportOnce(problem, true);
    for (const notice of analysis.notices) this.reportOnce(`${analysis.filePath}: ${notice}`, false);
    for (const error of analysis.ruleErrors) {
      this.connection.console.error(`Rule ${error.ruleId} failed on ${error.filePath}: ${error.message}`);
    }
  }

  private applyBaseline(uri: string, filePath: string, analysis: FileAnalysis): FileAnalysis {
    const { workspace } = this.envFor(filePath);
    return this.baselines.apply(workspace.root, analysis, this.baselineModes.get(uri) ?? 'lower', (file) => workspace.readText(normalizePath(file)));
  }

  private clear(uri: string): void {
    this.shownFindings -= this.published.get(uri)?.analysis.findings.length ?? 0;
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.sendStatus();
  }

  // ---- workspace scan --------------------------------------------------------------

  /**
   * Analyses every file of every folder (or `only` these files, judged as a whole scan would)
   * on a worker thread (workspaceScan.ts), publishing each closed file's findings as they
   * come; open documents keep what their own analysis published.
   */
  async analyzeWorkspace(only?: ReadonlySet<string>): Promise<{ files: number; testFilesSkipped: number; findings: number }> {
    const whole = only === undefined;
    if (whole) {
      clearTimeout(this.rescanTimer);
      clearTimeout(this.refreshTimer);
      this.changedSinceRefresh.clear();
      this.wholeScanOwed = true;
    } else {
      this.partialScanOwed = new Set([...this.partialScanOwed, ...only]);
    }
    const partial = whole ? undefined : this.partialScanOwed;
    const generation = ++this.scanGeneration;
    this.stopScan?.();
    this.editedSinceScan.clear();
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('Resilint', 0, partial ? `Analysing ${partial.size} file(s) again after changes` : 'Analysing the workspace', true);
    this.setState('analyzing');
    const counts = { files: 0, testFilesSkipped: 0, findings: 0 };
    const current = () => generation === this.scanGeneration && !progress.token.isCancellationRequested;
    /** Files the scan analysed, and the folders it saw whole (nothing of a skipped folder is shown). */
    const analysed = new Set<string>();
    const settled = new Set<string>();
    if (whole) this.scannedUnder.clear();
    for (const folder of this.folders) {
      if (!current()) break;
      const folderOnly = partial && new Set([...partial].filter((file) => this.folderOf(file) === folder));
      if (folderOnly?.size === 0) continue;
      const settings = await readSettings(this.connection, pathToUri(folder));
      if (whole) this.scannedUnder.set(folder, scanKey(settings));
      // A workspace folder deleted on disk has nothing to scan (the editor shows it as missing),
      // and one Resilint is disabled for shows nothing of it.
      if (!fs.existsSync(folder) || !settings.enable) {
        settled.add(folder);
        continue;
      }
      const scan = startWorkspaceScan(this.scanScript, folder, this.unsavedTexts(folder), folderOnly);
      this.stopScan = () => scan.stop();
      progress.token.onCancellationRequested(() => scan.stop());
      let done = 0;
      let finished = false;
      for await (const message of scan.messages) {
        if (!current()) {
          scan.stop();
          break;
        }
        if (message.kind === 'failed') this.reportOnce(`the workspace scan of ${folder} stopped: ${message.message}; open files are still analysed`, true);
        if (message.kind === 'problems') {
          finished = true;
          for (const problem of message.problems) this.reportOnce(problem, true);
        }
        // A nested workspace folder's files are its own scan's, judged from there.
        if (message.kind !== 'analysed' || this.folderOf(message.analysis.filePath) !== folder) continue;
        analysed.add(message.analysis.filePath);
        this.scannedReads.set(message.analysis.filePath, message.reads);
        counts.findings += (await this.publishScanned(message.analysis))?.findings.length ?? 0;
        if (message.analysis.skippedAsTest) counts.testFilesSkipped++;
        else counts.files++;
        if (++done % 10 === 0) progress.report(Math.round((done / message.files) * 100), `${done}/${message.files} files`);
      }
      if (current() && finished) settled.add(folder);
    }
    progress.done();
    if (generation === this.scanGeneration) {
      if (current()) this.partialScanOwed = new Set();
      if (current() && whole) {
        this.clearUnscanned(analysed, settled);
        this.wholeScanOwed = false;
        if (this.changedSinceRefresh.size > 0) this.refreshReaders();
      }
      this.setState('idle');
    }
    return counts;
  }

  /**
   * After a whole scan: closed files it did not analyse no longer show findings (deleted or
   * renamed on disk, no longer included, in a folder removed or disabled). Files opened,
   * edited or closed meanwhile keep their own analysis.
   */
  private clearUnscanned(analysed: ReadonlySet<string>, settled: ReadonlySet<string>): void {
    for (const file of [...this.scannedReads.keys()]) {
      const folder = this.folderOf(file);
      if (!analysed.has(file) && (folder === undefined || settled.has(folder))) this.scannedReads.delete(file);
    }
    for (const uri of [...this.published.keys()]) {
      const filePath = uriToPath(uri);
      if (!filePath || analysed.has(filePath) || this.editedSinceScan.has(filePath) || this.documents.get(uri)) continue;
      const folder = this.folderOf(filePath);
      if (folder === undefined || settled.has(folder)) this.clear(uri);
    }
  }

  /** Publishes the scan's analysis of a file unless the file is open; the analysis now published for the file. */
  private async publishScanned(analysis: FileAnalysis): Promise<FileAnalysis | undefined> {
    const filePath = analysis.filePath;
    const current = () => !this.openUri(filePath) && !this.editedSinceScan.has(filePath);
    if (current()) {
      const uri = pathToUri(filePath);
      const settings = await readSettings(this.connection, uri);
      this.baselineModes.set(uri, settings.baseline);
      // The file may have been opened while the settings were read: then the editor's
      // text, not the disk, is what must be published.
      if (settings.enable && current()) {
        this.reportProblems(analysis, []);
        this.publish(uri, undefined, analysis);
      }
    }
    return this.published.get(this.openUri(filePath) ?? pathToUri(filePath))?.analysis;
  }

  /** The findings last published for a file, before the baseline, if they still describe its text; undefined otherwise. */
  currentFindings(filePath: string): readonly Finding[] | undefined {
    const openUri = this.openUri(filePath);
    const published = this.published.get(openUri ?? pathToUri(filePath));
    if (openUri !== undefined && published?.version !== this.documents.get(openUri)?.version) return undefined;
    return published?.found;
  }

  private openUri(filePath: string): string | undefined {
    return this.documents.all().find((d) => uriToPath(d.uri) === filePath)?.uri;
  }

  /** The editor's text of the open documents under `folder`, by file path. */
  private unsavedTexts(folder: string): Map<string, string> {
    const texts = new Map<string, string>();
    for (const document of this.documents.all()) {
      const filePath = uriToPath(document.uri);
      if (filePath && isAnalysableFile(filePath) && normalizePath(filePath).startsWith(folder + path.sep)) texts.set(normalizePath(filePath), document.getText());
    }
    return texts;
  }

  // ---- code actions ----------------------------------------------------------------

  codeActions(params: CodeActionParams): CodeAction[] {
    const document = this.documents.get(params.textDocument.uri);
    const filePath = uriToPath(params.textDocument.uri);
    if (!document || !filePath) return [];
    // Ctrl+. right after opening or typing must not come up empty: analyse now if the
    // published result is for another version (the pending debounce then finds it current).
    if (this.published.get(document.uri)?.version !== document.version) this.analyzeAndPublish(filePath, document.uri, document.version);
    const published = this.published.get(document.uri);
    if (!published || published.version !== document.version) return [];
    const findings = published.analysis.findings;
    const versions: OpenVersions = new Map([[published.analysis.filePath, { uri: document.uri, version: document.version }]]);
    const only = params.context.only;
    if (only?.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind !== CodeActionKind.QuickFix)) {
      const fixAll = this.fixAll(findings, versions);
      return fixAll ? [fixAll] : [];
    }
    const actions: CodeAction[] = [];
    const seenRules = new Set<string>();
    const sourceFile = this.parsedDocument(filePath);
    findings.forEach((finding, index) => {
      if (!rangesOverlap(finding.range, params.range)) return;
      const diagnostic = matchingDiagnostic(params.context.diagnostics, finding, index);
      for (const fix of finding.fixes) actions.push(toQuickFix(fix, diagnostic, versions));
      // Findings about the directives themselves (requireSuppressionReason) have no rule
      // to disable or document.
      if (seenRules.has(finding.ruleId) || !findRule(finding.ruleId)) return;
      seenRules.add(finding.ruleId);
      const lineEdit = sourceFile && disableNextLineEdit(finding, sourceFile);
      const disableEdits: [string, TextEdit | undefined][] = [
        [`Disable ${finding.ruleId} for this line`, lineEdit],
        [`Disable ${finding.ruleId} for this file`, disableFileEdit(finding, document.getText())],
      ];
      for (const [title, edit] of disableEdits) {
        if (!edit) continue;
        const disable = CodeAction.create(title, toWorkspaceEdit([edit], undefined, versions), CodeActionKind.QuickFix);
        disable.diagnostics = [diagnostic];
        actions.push(disable);
      }
      const docs = CodeAction.create(
        `Show documentation for ${finding.ruleId}`,
        Command.create(`Show documentation for ${finding.ruleId}`, ClientCommands.showDocumentation, finding.ruleId),
        CodeActionKind.QuickFix,
      );
      actions.push(docs);
    });
    return actions;
  }

  /** Every preferred fix of the file whose edits do not overlap an earlier one. */
  private fixAll(findings: readonly Finding[], versions: OpenVersions): CodeAction | undefined {
    const preferred = findings.map((f) => f.fixes.find((fix) => fix.isPreferred)).filter((fix): fix is Fix => fix !== undefined);
    const { edits, createFiles } = mergeFixes(preferred);
    if (edits.length === 0) return undefined;
    return CodeAction.create('Fix all Resilint problems', toWorkspaceEdit(edits, createFiles, versions), FIX_ALL_KIND);
  }

  // ---- helpers ---------------------------------------------------------------------

  /** The syntax tree of an open document's current text, which its analysis just parsed. */
  private parsedDocument(filePath: string): ts.SourceFile | undefined {
    try {
      return this.envFor(filePath).workspace.getSourceFile(filePath);
    } catch {
      return undefined;
    }
  }

  private envFor(filePath: string): AnalyzerEnvironment {
    const root = this.folderOf(filePath) ?? path.dirname(normalizePath(filePath));
    let env = this.envs.get(root);
    if (!env) {
      const reclaimMemory = this.reclaimMemory;
      const workspace = new Workspace(root, { typedPackages: typedPackagesOf(allRules), editorTreeBudget: EDITOR_TREE_BUDGET, ...(reclaimMemory ? { reclaimMemory } : {}) });
      env = { workspace, configs: new ConfigResolver(root), rules: allRules };
      this.envs.set(root, env);
    }
    return env;
  }

  /** The deepest workspace folder that holds the file. */
  private folderOf(filePath: string): string | undefined {
    const file = normalizePath(filePath);
    return this.folders.filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
  }

  private reportOnce(message: string, warnUser: boolean): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.connection.console.warn(message);
    if (warnUser) void this.connection.window.showWarningMessage(`Resilint: ${message}`);
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.sendStatus();
  }

  private sendStatus(): void {
    void this.connection.sendNotification(StatusNotification, { state: this.state === 'starting' ? 'idle' : this.state, findings: this.shownFindings });
  }

  /** Open documents are analysed again; closed files, by a scan, if a folder's settings for them changed since its last one. */
  async settingsChanged(): Promise<void> {
    for (const document of this.documents.all()) void this.documentChanged(document, true);
    for (const [folder, key] of this.scannedUnder) {
      if (scanKey(await readSettings(this.connection, pathToUri(folder))) !== key) return this.rescanSoon();
    }
  }
}

function changesConfiguration(filePath: string): boolean {
  const name = path.basename(filePath);
  return CONFIG_FILES.has(name) || name === BASELINE_FILE_NAME || TSCONFIG_NAME.test(name);
}

/** The settings that decide what a scan publishes for closed files. */
function scanKey(settings: ServerSettings): string {
  return `${settings.enable} ${settings.baseline}`;
}

function matchingDiagnostic(diagnostics: readonly Diagnostic[], finding: Finding, index: number): Diagnostic {
  return (
    diagnostics.find((d) => d.source === SOURCE && (d.data as { index?: number } | undefined)?.index === index) ??
    toDiagnostic(finding, index)
  );
}
