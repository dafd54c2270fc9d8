import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Diagram } from '../../server/src/architecture/diagram';
import { renderMarkdown } from '../../server/src/architecture/mermaid';
import { DiagramRequest, type DiagramParams } from '../../server/src/protocol';
import { createNonce, diagramPageHtml } from './diagramHtml';

// "Resilint: Show Architecture Diagram": a webview beside the editor that draws the
// server's architecture graph with the bundled Mermaid. The webview is untrusted: it sends
// node ids and export requests; paths and file contents never come from it.

export const SHOW_ARCHITECTURE_COMMAND = 'resilint.showArchitecture';
const REFRESH_DELAY_MS = 400;

type FromWebview =
  | { type: 'ready' }
  | { type: 'open'; id: string }
  | { type: 'focus'; focus: string; depth: number }
  | { type: 'export'; format: 'mmd' | 'markdown' }
  | { type: 'export'; format: 'svg'; svg: string };

export function registerDiagramCommand(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_ARCHITECTURE_COMMAND, () => DiagramPanel.show(context, client));
}

class DiagramPanel {
  private static current: DiagramPanel | undefined;
  private diagram: Diagram | undefined;
  private params: DiagramParams = {};
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
    if (DiagramPanel.current) DiagramPanel.current.panel.reveal(vscode.ViewColumn.Beside);
    else DiagramPanel.current = new DiagramPanel(context, client);
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(context: vscode.ExtensionContext, private readonly client: () => LanguageClient | undefined) {
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel('resilint.architecture', 'Architecture', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [dist, media],
    });
    const webview = this.panel.webview;
    webview.html = diagramPageHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'diagram.css')).toString(),
      nonce: createNonce(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => void this.handle(message)),
      vscode.workspace.onDidSaveTextDocument(() => this.scheduleRefresh()),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private scheduleRefresh(): void {
    if (!this.panel.visible) return; // a hidden webview reloads, and asks again, when shown
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    const client = this.client();
    if (!client?.isRunning()) {
      await this.panel.webview.postMessage({ type: 'error', message: 'The Resilint server is not running; the diagram appears once it has started.' });
      return;
    }
    try {
      const diagram = await client.sendRequest(DiagramRequest, this.params);
      this.diagram = diagram;
      await this.panel.webview.postMessage({
        type: 'diagram',
        mermaid: diagram.mermaid,
        empty: diagram.graph.nodes.length === 0,
        ...(diagram.message ? { message: diagram.message } : {}),
        ...(this.params.focus ? { focus: this.params.focus } : {}),
      });
    } catch (error) {
      await this.panel.webview.postMessage({ type: 'error', message: `Resilint could not build the diagram: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  private async handle(raw: unknown): Promise<void> {
    const message = parseMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        return this.refresh();
      case 'open':
        return this.open(message.id);
      case 'focus':
        this.params = message.focus ? { focus: message.focus, depth: message.depth } : {};
        return this.refresh();
      case 'export':
        return this.export(message);
    }
  }

  private async open(id: string): Promise<void> {
    const node = this.diagram?.graph.nodes.find((n) => n.id === id);
    if (!node?.filePath) return;
    const start = new vscode.Position(node.range?.start.line ?? 0, node.range?.start.character ?? 0);
    // Open the source next to the diagram, never on top of it.
    const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    await vscode.window.showTextDocument(vscode.Uri.file(node.filePath), { viewColumn: column, selection: new vscode.Range(start, start) });
  }

  private async export(message: Extract<FromWebview, { type: 'export' }>): Promise<void> {
    if (!this.diagram) return;
    const [extension, name, text] =
      message.format === 'svg' ? ['svg', 'SVG image', message.svg]
      : message.format === 'markdown' ? ['md', 'Markdown', renderMarkdown(this.diagram.graph)]
      : ['mmd', 'Mermaid', this.diagram.mermaid];
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      filters: { [name]: [extension] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `architecture.${extension}`) } : {}),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(`Resilint: architecture diagram saved to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const disposable of this.disposables) disposable.dispose();
    DiagramPanel.current = undefined;
  }
}

/** Messages from the webview are checked field by field: it renders user-derived text. */
function parseMessage(raw: unknown): FromWebview | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  if (m['type'] === 'ready') return { type: 'ready' };
  if (m['type'] === 'open' && typeof m['id'] === 'string') return { type: 'open', id: m['id'] };
  if (m['type'] === 'focus' && typeof m['focus'] === 'string') {
    const depth = typeof m['depth'] === 'number' && Number.isInteger(m['depth']) ? Math.min(Math.max(m['depth'], 0), 10) : 1;
    return { type: 'focus', focus: m['focus'].slice(0, 200), depth };
  }
  if (m['type'] === 'export' && (m['format'] === 'mmd' || m['format'] === 'markdown')) return { type: 'export', format: m['format'] };
  if (m['type'] === 'export' && m['format'] === 'svg' && typeof m['svg'] === 'string') return { type: 'export', format: 'svg', svg: m['svg'] };
  return undefined;
}
