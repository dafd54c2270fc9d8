import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { AnalyzeWorkspaceRequest, ClientCommands, StatusNotification } from '../../server/src/protocol';
import { registerDiagramCommand } from './diagramPanel';
import { RestartPolicy } from './restartPolicy';
import { StatusBar } from './statusBar';

// The client starts the language server, shows its state, and hosts the commands. It
// holds no analysis logic: everything a user sees comes from the server.

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Resilint', { log: true });
  const statusBar = new StatusBar();
  const restarts = new RestartPolicy();
  context.subscriptions.push(output, statusBar);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };

  const errorHandler: ErrorHandler = {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const delay = restarts.nextDelay();
      if (delay === undefined) {
        statusBar.show({ state: 'stopped', findings: 0 });
        void vscode.window.showErrorMessage('Resilint: the server stopped repeatedly and will not be restarted. See the output for details.', 'Show Output')
          .then((choice) => choice && output.show());
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      if (restarts.isFirst()) void vscode.window.showWarningMessage('Resilint: the server stopped unexpectedly and is being restarted.');
      output.warn(`Server stopped; restarting in ${delay} ms.`);
      setTimeout(() => void client?.start().catch((error: unknown) => output.error(String(error))), delay);
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'typescriptreact' },
    ],
    synchronize: {
      configurationSection: 'resilint',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.ts,*.tsx,*.mts,*.cts,tsconfig*.json,package.json,resilint.config.json,resilint-baseline.json}'),
    },
    outputChannel: output,
    errorHandler,
  };

  client = new LanguageClient('resilint', 'Resilint', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification(StatusNotification, (status) => {
      restarts.healthy();
      statusBar.show(status);
    }),
    vscode.commands.registerCommand('resilint.restartServer', async () => {
      restarts.reset();
      await client?.restart();
    }),
    vscode.commands.registerCommand('resilint.analyzeWorkspace', async () => {
      const result = await client?.sendRequest(AnalyzeWorkspaceRequest);
      const skipped = result?.testFilesSkipped ? ` (${result.testFilesSkipped} test files skipped: see checkTests)` : '';
      if (result) void vscode.window.showInformationMessage(`Resilint analysed ${result.files} files${skipped}: ${result.findings} findings.`);
    }),
    vscode.commands.registerCommand('resilint.showOutput', () => output.show()),
    registerDiagramCommand(context, () => client),
    vscode.commands.registerCommand(ClientCommands.showDocumentation, (ruleId: string) => showDocumentation(context, ruleId)),
  );
  statusBar.show({ state: 'starting', findings: 0 });
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Opens the rule's page shipped inside the extension, so it works offline. */
async function showDocumentation(context: vscode.ExtensionContext, ruleId: string): Promise<void> {
  if (!/^[a-z-]+$/.test(ruleId)) return;
  const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${ruleId}.md`);
  await vscode.commands.executeCommand('markdown.showPreview', page);
}
