import { randomBytes } from 'node:crypto';

// The architecture webview's page. Kept free of the `vscode` module so tests render the
// exact page the panel shows in a real browser. Nothing from user code is written here:
// the diagram arrives later as a message and is drawn by dist/webview.js.

export interface DiagramPageResources {
  /** webview.cspSource: the origin VS Code serves local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function createNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Only our nonced bundle may run; Mermaid writes inline <style> into its SVG, so styles
 * allow 'unsafe-inline' (styles cannot run code). No network: every source is local.
 */
export function contentSecurityPolicy(resources: Pick<DiagramPageResources, 'cspSource' | 'nonce'>): string {
  const { cspSource, nonce } = resources;
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function diagramPageHtml(resources: DiagramPageResources): string {
  const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(resources))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(resources.styleUri)}">
<title>Architecture</title>
</head>
<body>
<div class="toolbar" role="toolbar" aria-label="Diagram tools">
  <input id="filter" type="search" placeholder="Filter nodes; Enter focuses" aria-label="Filter nodes">
  <label class="depth">Depth <select id="depth" aria-label="Focus depth"><option>1</option><option>2</option><option>3</option></select></label>
  <button id="clear-focus" type="button" hidden>Show all</button>
  <span class="spacer"></span>
  <button id="zoom-out" type="button" title="Zoom out" aria-label="Zoom out">−</button>
  <button id="zoom-fit" type="button" title="Fit to window">Fit</button>
  <button id="zoom-in" type="button" title="Zoom in" aria-label="Zoom in">+</button>
  <button id="export-mmd" type="button" title="Save as .mmd">.mmd</button>
  <button id="export-md" type="button" title="Save as Markdown">Markdown</button>
  <button id="export-svg" type="button" title="Save the drawing as .svg">SVG</button>
</div>
<div id="status" role="status" aria-live="polite">Loading the architecture…</div>
<div id="viewport" tabindex="0" aria-label="Architecture diagram"><div id="canvas"></div></div>
<script nonce="${attr(resources.nonce)}" src="${attr(resources.scriptUri)}"></script>
</body>
</html>
`;
}
