import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

// A minimal LSP client over stdio for tests: the server runs as its own process,
// exactly as an editor other than VS Code would start it.

export const SERVER_BUNDLE = path.resolve(__dirname, '..', '..', '..', 'dist', 'server.js');

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  stderr: () => string;
  /** The messages the server asked to show (window/showMessage and window/showMessageRequest) so far. */
  shownMessages: () => string[];
  /** The messages of the progress the server began (a workspace scan's) so far. */
  progressBegun: () => string[];
  /** The last status the server sent (resilint/status), if any. */
  lastStatus: () => { state: string; findings: number } | undefined;
  /** Resolves with the next diagnostics for `uri` that satisfy `accept`. */
  diagnostics(uri: string, accept?: (d: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  stop(): Promise<number | null>;
}

export function uriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

export function startServer(options: { configuration?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {}): TestClient {
  const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const latest = new Map<string, PublishDiagnosticsParams>();
  const waiters: { uri: string; accept: (d: PublishDiagnosticsParams) => boolean; resolve: (d: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    latest.set(params.uri, params);
    for (const waiter of [...waiters]) {
      if (waiter.uri === params.uri && waiter.accept(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => options.configuration ?? {}));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  const shown: string[] = [];
  connection.onNotification('window/showMessage', (params: { message: string }) => shown.push(params.message));
  connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
    shown.push(params.message);
    return null;
  });
  connection.onNotification('window/logMessage', () => undefined);
  const begun: string[] = [];
  connection.onNotification('$/progress', (params: { value?: { kind?: string; message?: string } }) => {
    if (params.value?.kind === 'begin') begun.push(params.value.message ?? '');
  });
  let status: { state: string; findings: number } | undefined;
  connection.onNotification('resilint/status', (params: { state: string; findings: number }) => (status = params));
  connection.listen();
  return {
    connection,
    process: child,
    stderr: () => stderr,
    shownMessages: () => [...shown],
    progressBegun: () => [...begun],
    lastStatus: () => status,
    diagnostics(uri, accept = () => true, timeoutMs = 20000) {
      const current = latest.get(uri);
      if (current && accept(current)) return Promise.resolve(current);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(latest.get(uri))}`)), timeoutMs);
        waiters.push({ uri, accept, resolve: (d) => (clearTimeout(timer), resolve(d)) });
      });
    },
    async stop() {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      if (child.exitCode === null) {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      }
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}
