import mermaid from 'mermaid';
import { PanZoom } from './panZoom';

// Runs inside the webview: draws the Mermaid text the extension sends, with Mermaid's
// strict security level, and turns clicks, the filter box and the export buttons into
// messages back to the extension. It never receives file paths: a click sends a node id.

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

export interface DiagramMessage {
  type: 'diagram';
  mermaid: string;
  message?: string;
  focus?: string;
  empty?: boolean;
}
type Incoming = DiagramMessage | { type: 'error'; message: string };

const vscode = acquireVsCodeApi();
const canvas = element('canvas');
const viewport = element('viewport');
const status = element('status');
const filter = element('filter') as HTMLInputElement;
const depth = element('depth') as HTMLSelectElement;
const clearFocus = element('clear-focus') as HTMLButtonElement;
const panZoom = new PanZoom(viewport, canvas);

let current: DiagramMessage | undefined;
let renderCount = 0;

window.addEventListener('message', (event: MessageEvent<Incoming>) => {
  const data = event.data;
  if (data.type === 'diagram') {
    current = data;
    void draw(data);
  } else if (data.type === 'error') {
    showStatus(data.message, 'error');
  }
});

element('zoom-in').addEventListener('click', () => panZoom.zoomBy(1.25));
element('zoom-out').addEventListener('click', () => panZoom.zoomBy(0.8));
element('zoom-fit').addEventListener('click', () => panZoom.fit());
element('export-mmd').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'mmd' }));
element('export-md').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'markdown' }));
element('export-svg').addEventListener('click', () => {
  const svg = canvas.querySelector('svg');
  if (svg) vscode.postMessage({ type: 'export', format: 'svg', svg: new XMLSerializer().serializeToString(svg) });
});
filter.addEventListener('input', () => applyFilter());
filter.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && filter.value.trim()) vscode.postMessage({ type: 'focus', focus: filter.value.trim(), depth: Number(depth.value) });
});
clearFocus.addEventListener('click', () => {
  filter.value = '';
  vscode.postMessage({ type: 'focus', focus: '', depth: Number(depth.value) });
});
canvas.addEventListener('click', (event) => {
  if (panZoom.dragging) return;
  const node = (event.target as Element).closest('g.node');
  const id = node && nodeIdOf(node);
  if (id) vscode.postMessage({ type: 'open', id });
});
// VS Code switches the theme by changing the body's classes.
new MutationObserver(() => current && void draw(current)).observe(document.body, { attributes: true, attributeFilter: ['class'] });

vscode.postMessage({ type: 'ready' });

async function draw(diagram: DiagramMessage): Promise<void> {
  clearFocus.hidden = !diagram.focus;
  if (diagram.empty) {
    canvas.replaceChildren();
    showStatus(diagram.message ?? 'Nothing to draw.', 'empty');
    return;
  }
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: themeOfBody(),
    maxTextSize: 5_000_000,
    maxEdges: 20_000,
    fontFamily: getComputedStyle(document.body).fontFamily || 'sans-serif',
    flowchart: { htmlLabels: false, useMaxWidth: false },
  });
  const id = `architecture-${++renderCount}`;
  const started = performance.now();
  try {
    const { svg } = await mermaid.render(id, diagram.mermaid);
    canvas.replaceChildren(parseSvg(svg));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    document.body.dataset['renderSeconds'] = seconds;
    showStatus(diagram.message ?? '', diagram.message ? 'info' : 'ok');
    applyFilter();
    panZoom.fit();
  } catch (error) {
    // Mermaid leaves its scratch element behind on failure.
    document.getElementById(`d${id}`)?.remove();
    canvas.replaceChildren();
    showStatus(`Mermaid could not draw this diagram: ${error instanceof Error ? error.message : String(error)}. The .mmd export still works.`, 'error');
  }
}

/**
 * Parsed by an inert HTML parser (Mermaid's SVG may hold HTML labels that are not well-formed
 * XML; scripts in a parsed document never run) and swept of scripts and handlers before it
 * joins the page. Mermaid's strict level and our escaping already keep them out: this is the
 * last line, behind the Content-Security-Policy.
 */
function parseSvg(text: string): SVGSVGElement {
  const parsed = new DOMParser().parseFromString(text, 'text/html');
  const svg = parsed.body.querySelector('svg');
  if (!svg) throw new Error('Mermaid produced no SVG');
  for (const script of svg.querySelectorAll('script')) script.remove();
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const attribute of [...el.attributes]) if (/^on/i.test(attribute.name)) el.removeAttribute(attribute.name);
  }
  return document.importNode(svg, true);
}

function applyFilter(): void {
  const wanted = filter.value.trim().toLowerCase();
  const nodes = [...canvas.querySelectorAll('g.node')];
  const matched = new Set<string>();
  for (const node of nodes) {
    const hit = wanted !== '' && (node.textContent ?? '').toLowerCase().includes(wanted);
    node.classList.toggle('matched', hit);
    node.classList.toggle('dimmed', wanted !== '' && !hit);
    const id = nodeIdOf(node);
    if (hit && id) matched.add(id);
  }
  for (const edge of canvas.querySelectorAll('.edgePaths path, .edgeLabels .edgeLabel')) {
    const ends = edgeEnds(edge);
    const touches = ends !== undefined && (matched.has(ends[0]) || matched.has(ends[1]));
    edge.classList.toggle('dimmed', wanted !== '' && !touches);
  }
}

/** Mermaid names node groups `<svg id>-flowchart-<node id>-<n>`. */
function nodeIdOf(node: Element): string | undefined {
  return node.getAttribute('data-id') ?? /flowchart-(.+)-\d+$/.exec(node.id)?.[1];
}

/** Edges carry `L_<from>_<to>_<n>` ids (on the path, or its label's data-id). */
function edgeEnds(edge: Element): [string, string] | undefined {
  const id = edge.getAttribute('data-id') ?? edge.id ?? edge.querySelector('[data-id]')?.getAttribute('data-id') ?? '';
  const match = /L_([a-z]\d+)_([a-z]\d+)_\d+/.exec(id);
  return match ? [match[1]!, match[2]!] : undefined;
}

function themeOfBody(): 'dark' | 'default' | 'neutral' {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'neutral';
  if (classes.contains('vscode-dark') || classes.contains('vscode-high-contrast')) return 'dark';
  return 'default';
}

function showStatus(text: string, kind: 'ok' | 'info' | 'error' | 'empty'): void {
  status.textContent = text;
  status.className = kind;
}

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`webview page lacks #${id}`);
  return found;
}
