import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sourceFilesUnder } from './sourceFiles.mjs';
import { bundleTestPaths, skippedAsTest } from './testPaths.mjs';

// The editor, measured over the real protocol: the server bundle runs as its own process
// and this script plays the editor. It measures
//  - first diagnostics: didOpen of the largest file right after `initialized` (while the
//    background workspace scan starts) until its diagnostics arrive;
//  - the background scan: `initialized` until its progress ends;
//  - edit latency: didChange on the largest file until diagnostics for that version
//    arrive, minus the debounce the server was told to use, while the background scan
//    still runs (right after first diagnostics) and after it;
//  - memory over a long day: the server's RSS after each of many open/edit/close cycles
//    that go through different files, and the most it held (its workspace scan's worker
//    thread included);
//  - opening a file: didOpen until its diagnostics arrive, in those cycles, one file at a
//    time (what the editor re-reads for it after releasing trees shows here).
// The edited file is the largest source file the scan analyses unless --edit-file names one
// (relative to <dir>); `isSkipped` names the files it does not (tests), which an editor user
// would not be measured on: their diagnostics are empty whatever the engine costs.
// --node-args passes flags to the server's node (e.g. "--cpu-prof" to profile it).
// Usage: node test/bench/lspLatency.mjs <dir> [--server dist/server.js] [--edit-file F] [--edits 40] [--cycles 60] [--node-args ARGS]

const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEBOUNCE_MS = 250;
const EDIT_MARK = ' // bench edit';

export async function measureLsp({ root, server, editFile, isSkipped = () => false, edits = 40, cycles = 60, filesPerCycle = 5, nodeArgs = [] }) {
  const files = sourceFilesUnder(root);
  const analysed = files.filter((file) => !isSkipped(file));
  const largest = editFile ? path.resolve(root, editFile) : analysed.reduce((a, b) => (fs.statSync(b).size > fs.statSync(a).size ? b : a));
  const client = startClient(server, nodeArgs);
  try {
    const rootUri = pathToFileURL(root).href;
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(root) }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
    });
    const scanEnded = client.progressEnd();
    const initializedAt = performance.now();
    await client.connection.sendNotification('initialized', {});

    const document = client.open(largest);
    const firstDiagnosticsMs = (await client.analysed(document)) - document.sentAt;

    // Typing while the background scan still runs: only edits answered before it ended count.
    let scanOver = false;
    void scanEnded.then(() => (scanOver = true));
    const duringScan = [];
    for (let i = 0; i < edits && !scanOver; i++) {
      client.edit(document, i);
      const latency = (await client.analysed(document)) - document.sentAt - DEBOUNCE_MS;
      if (!scanOver) duringScan.push(latency);
    }
    const scanMs = (await scanEnded) - initializedAt;

    const latencies = [];
    for (let i = 0; i < edits; i++) {
      client.edit(document, i);
      latencies.push((await client.analysed(document)) - document.sentAt - DEBOUNCE_MS);
    }
    client.close(document);

    const rssMb = [client.rssMb()];
    const openLatencies = [];
    const others = analysed.filter((f) => f !== largest);
    for (let cycle = 0; cycle < cycles; cycle++) {
      const batch = Array.from({ length: filesPerCycle }, (_, k) => others[(cycle * filesPerCycle + k) % others.length]);
      const opened = [];
      for (const file of batch) {
        const doc = client.open(file);
        openLatencies.push((await client.analysed(doc)) - doc.sentAt);
        opened.push(doc);
      }
      for (const doc of opened) {
        for (let e = 0; e < 2; e++) {
          client.edit(doc, e);
          await client.analysed(doc);
        }
      }
      for (const doc of opened) client.close(doc);
      rssMb.push(client.rssMb());
    }
    return {
      root,
      files: files.length,
      largestFile: path.relative(root, largest),
      largestFileKb: Math.round(fs.statSync(largest).size / 1024),
      debounceMs: DEBOUNCE_MS,
      firstDiagnosticsMs: Math.round(firstDiagnosticsMs),
      scanMs: Math.round(scanMs),
      edit: latencySummary(latencies),
      editDuringScan: duringScan.length > 0 ? latencySummary(duringScan) : null,
      memory: { ...plateau(rssMb, cycles, filesPerCycle), peakMb: client.peakRssMb() },
      open: openLatencies.length > 0 ? latencySummary(openLatencies) : null,
      serverErrors: client.errors(),
    };
  } finally {
    await client.stop();
  }
}

function startClient(server, nodeArgs) {
  const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = new Map();
  const progressWaiters = [];
  const errors = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const waiter = waiters.get(params.uri);
    if (waiter && (params.version === waiter.version || waiter.version === undefined)) {
      waiters.delete(params.uri);
      waiter.resolve(performance.now());
    }
  });
  connection.onNotification('$/progress', (params) => {
    if (params.value?.kind === 'end') for (const resolve of progressWaiters.splice(0)) resolve(performance.now());
  });
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({ debounceMs: DEBOUNCE_MS })));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('window/logMessage', (params) => {
    if (params.type === 1) errors.push(params.message);
  });
  connection.onNotification('window/showMessage', () => undefined);
  connection.onRequest('window/showMessageRequest', () => null);
  connection.onNotification('resilint/status', () => undefined);
  connection.listen();

  return {
    connection,
    errors: () => errors.slice(0, 5),
    progressEnd: () => new Promise((resolve) => progressWaiters.push(resolve)),
    open(file) {
      const doc = { uri: pathToFileURL(file).href, text: fs.readFileSync(file, 'utf8'), version: 1, sentAt: 0, marked: undefined };
      this.expect(doc);
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'typescript', version: 1, text: doc.text } });
      return doc;
    },
    /** Types a trailing comment on a line in the middle third of the file, or removes the last one. */
    edit(doc, i) {
      doc.version++;
      let change;
      if (doc.marked) {
        const { line, character } = doc.marked;
        change = { range: { start: { line, character }, end: { line, character: character + EDIT_MARK.length } }, text: '' };
        doc.marked = undefined;
      } else {
        const lines = doc.text.split('\n');
        const line = Math.floor(lines.length / 3) + ((i * 7919) % Math.max(1, Math.floor(lines.length / 3)));
        const character = lines[line].replace(/\r$/, '').length;
        change = { range: { start: { line, character }, end: { line, character } }, text: EDIT_MARK };
        doc.marked = { line, character };
      }
      doc.text = applyChange(doc.text, change);
      this.expect(doc);
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: [change] });
    },
    close(doc) {
      void connection.sendNotification('textDocument/didClose', { textDocument: { uri: doc.uri } });
    },
    expect(doc) {
      doc.sentAt = performance.now();
      doc.pending = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${doc.uri} v${doc.version} within 120 s\n${stderr}`)), 120_000);
        waiters.set(doc.uri, { version: doc.version, resolve: (at) => (clearTimeout(timer), resolve(at)) });
      });
    },
    analysed: (doc) => doc.pending,
    rssMb: () => statusMb(child.pid, 'VmRSS'),
    /** The most the server's process (its scan worker thread included) has held. */
    peakRssMb: () => statusMb(child.pid, 'VmHWM'),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode === null) {
        await connection.sendRequest('shutdown').catch(() => undefined);
        await connection.sendNotification('exit').catch(() => undefined);
        const timer = setTimeout(() => child.kill(), 10_000);
        await exited;
        clearTimeout(timer);
      }
      connection.dispose();
    },
  };
}

function statusMb(pid, field) {
  try {
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return null; // not Linux: no portable way to read another process's memory
  }
}

function applyChange(text, { range, text: inserted }) {
  const offset = ({ line, character }) => {
    let at = 0;
    for (let l = 0; l < line; l++) at = text.indexOf('\n', at) + 1;
    return at + character;
  };
  return text.slice(0, offset(range.start)) + inserted + text.slice(offset(range.end));
}

/** RSS after each cycle; the plateau test compares the second half's growth with the first's. */
function plateau(samples, cycles, filesPerCycle) {
  if (samples.some((s) => s === null)) return { cycles, filesPerCycle, rssMb: null };
  const half = Math.floor(samples.length / 2);
  return {
    cycles,
    filesPerCycle,
    rssMb: samples,
    firstMb: samples[0],
    maxMb: Math.max(...samples),
    lastMb: samples[samples.length - 1],
    firstHalfGrowthMb: samples[half] - samples[0],
    secondHalfGrowthMb: samples[samples.length - 1] - samples[half],
  };
}

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

const round1 = (n) => Math.round(n * 10) / 10;

function latencySummary(latencies) {
  return { count: latencies.length, medianMs: round1(quantile(latencies, 0.5)), p95Ms: round1(quantile(latencies, 0.95)), maxMs: round1(Math.max(...latencies)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root, ...rest] = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = rest.indexOf(name);
    return at >= 0 ? rest[at + 1] : fallback;
  };
  if (!root) {
    process.stderr.write('usage: lspLatency.mjs <dir> [--server dist/server.js] [--edit-file F] [--edits 40] [--cycles 60]\n');
    process.exit(2);
  }
  const testPaths = bundleTestPaths(path.join(os.tmpdir(), `resilint-testPaths-${process.pid}.cjs`));
  const isSkipped = skippedAsTest(testPaths, root);
  fs.rmSync(testPaths);
  const result = await measureLsp({
    root: path.resolve(root),
    isSkipped,
    server: path.resolve(option('--server', path.join(HERE, '..', '..', 'dist', 'server.js'))),
    editFile: option('--edit-file', undefined),
    edits: Number(option('--edits', 40)),
    cycles: Number(option('--cycles', 60)),
    nodeArgs: option('--node-args', '').split(' ').filter(Boolean),
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
