import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND } from './lsp/convert';
import { Session } from './lsp/session';
import { setConfigurationSupport } from './lsp/settings';
import { AnalyzeWorkspaceRequest, DiagramRequest } from './protocol';
import { computeDiagram } from './lsp/diagram';
import { serveArchitectureScan } from './lsp/architectureScan';
import { serveWorkspaceScan } from './lsp/workspaceScan';

// Wires the LSP connection to the session; all behaviour lives in lsp/ and engine/.
// Runs over IPC under VS Code and over stdio for other editors (`--stdio`). The same
// bundle runs the worker threads of the workspace scan (lsp/workspaceScan.ts) and of the
// diagram (lsp/architectureScan.ts).

if (!serveWorkspaceScan() && !serveArchitectureScan()) listen();

function listen(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  // Worker threads start through the launcher that started this bundle (lsp/launcher.ts), from the code cache.
  const session = new Session(connection, documents, require.main?.filename ?? __filename);

  // Asking a client for folders it never declared support for throws inside the handler.
  let clientTracksFolders = false;

  connection.onInitialize((params) => {
    const capabilities = params.capabilities;
    setConfigurationSupport(capabilities.workspace?.configuration === true);
    clientTracksFolders = capabilities.workspace?.workspaceFolders === true;
    session.setFolders(params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'resilint' },
    };
  });

  connection.onInitialized(() => {
    void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    if (clientTracksFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(() => {
        void connection.workspace.getWorkspaceFolders().then((folders) => session.foldersChanged(folders));
      });
    }
    void session.analyzeWorkspace();
  });

  documents.onDidOpen((e) => session.documentChanged(e.document, true));
  documents.onDidChangeContent((e) => session.documentChanged(e.document, false));
  documents.onDidSave((e) => {
    void session.documentChanged(e.document, true);
    session.documentSaved(e.document);
  });
  documents.onDidClose((e) => session.documentClosed(e.document));
  connection.onDidChangeWatchedFiles((params) => session.filesChanged(params.changes));
  connection.onDidChangeConfiguration(() => void session.settingsChanged());
  connection.onCodeAction((params) => session.codeActions(params));
  connection.onRequest(AnalyzeWorkspaceRequest, () => session.analyzeWorkspace());
  connection.onRequest(DiagramRequest, (params) => computeDiagram(session.environments(), params, (file) => session.currentFindings(file), session.architectures));

  process.on('uncaughtException', (error) => connection.console.error(`Resilint: uncaught ${error.stack ?? error.message}`));

  documents.listen(connection);
  connection.listen();
}
