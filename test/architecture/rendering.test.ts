import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { escapeLabel, renderMarkdown, renderMermaid } from '../../server/src/architecture/mermaid';
import type { ArchGraph, ArchNode } from '../../server/src/architecture/model';
import { overlayFindings } from '../../server/src/architecture/overlay';
import { shapeView } from '../../server/src/architecture/view';
import type { Finding, Severity } from '../../server/src/engine/findings';
import { edgesOf, extractFixture, FIXTURES, nodeNamed, REPO_ROOT } from './graphHelpers';

const HOSTILE_NAMES = [
  '<script>window.__pwned = 1</script>',
  '"]; click n1 call alert(1); %% ',
  '%%{init: {"securityLevel": "loose"}}%%',
  '`**markdown**` and #quot; and #60;b#62;',
  'line one\nclick n2 href "javascript:alert(1)"\r\nend',
  'a | b --> c ; d [e] {f} (g) \\ h',
];

function decode(escaped: string): string {
  return escaped.replace(/#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)));
}

function finding(filePath: string, line: number, character: number, ruleId = 'missing-timeout', severity: Severity = 'warning'): Finding {
  const position = { line, character };
  return { ruleId, messageId: 'x', message: 'x', severity, filePath, range: { start: position, end: position }, related: [], fixes: [] };
}

describe('architecture rendering', () => {
  describe('escapeLabel', () => {
    for (const name of HOSTILE_NAMES) {
      it(`keeps ${JSON.stringify(name)} as text`, () => {
        const escaped = escapeLabel(name);
        assert.doesNotMatch(escaped.replace(/#\d+;/g, ''), /["<>`%;:#[\]{}()|\\\n\r]/, 'no character Mermaid or HTML would read as syntax');
        assert.equal(decode(escaped), name.replace(/[\r\n]+/g, ' ').trim(), 'decoding gives the name back');
      });
    }

    it('shortens very long names', () => {
      const escaped = escapeLabel('x'.repeat(500));
      assert.ok(decode(escaped).length <= 60, decode(escaped));
    });
  });

  it('writes hostile names only inside quoted labels, one statement per line', () => {
    const nodes: ArchNode[] = HOSTILE_NAMES.map((label, i) => ({ id: `n${i + 1}`, kind: i % 2 ? 'queue' : 'service', label, group: i % 2 ? '' : label, detail: label }));
    const graph: ArchGraph = { nodes, edges: [{ from: 'n1', to: 'n2', kind: 'publishes', label: HOSTILE_NAMES[2]!, sites: [] }] };
    const text = renderMermaid(graph);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'flowchart LR');
    for (const line of lines.slice(1)) {
      const outsideQuotes = line.replace(/"[^"]*"/g, '""');
      assert.match(outsideQuotes.trim(), /^(subgraph g\d+\[""\]|end|n\d+[[({>/\\]+""[\])}/\\]+:::k_\w+|n\d+ [-.=]+>(\|""\|)? n\d+|classDef \w+ [\w:#,.-]+|class [\w,]+ \w+|linkStyle \d+ [\w:#,.-]+)$/, line);
      assert.doesNotMatch(line, /%%|<script|javascript:/i);
    }
  });

  it('renders Markdown as a mermaid fence that a hostile name cannot close', () => {
    const markdown = renderMarkdown({ nodes: [{ id: 'n1', kind: 'service', label: '```\n# injected', group: '' }], edges: [] });
    assert.ok(markdown.startsWith('```mermaid\nflowchart LR\n'));
    assert.equal(markdown.match(/```/g)?.length, 2);
  });

  it('draws an edge whose calls have findings in the warning style, and counts them per rule', () => {
    const graph = extractFixture('nest-app');
    const customers = nodeNamed(graph, 'CustomersService');
    const fetchLine = 12; // `const response = await fetch(...)`
    const withFindings = overlayFindings(graph, [
      finding(customers.filePath!, fetchLine, 27),
      finding(customers.filePath!, 13, 4, 'retry-without-backoff', 'info'),
    ]);
    const edge = withFindings.edges.find((e) => e.from === customers.id);
    assert.deepEqual(edge?.findings, { total: 1, byRule: { 'missing-timeout': 1 }, severity: 'warning' });
    assert.deepEqual(withFindings.nodes.find((n) => n.id === customers.id)?.findings, { total: 1, byRule: { 'retry-without-backoff': 1 }, severity: 'info' });
    const text = renderMermaid(withFindings);
    const edgeIndex = withFindings.edges.indexOf(edge!);
    assert.match(text, new RegExp(`linkStyle ${edgeIndex} stroke:#d97706`));
    assert.match(text, /⚠ missing-timeout ×1/);
    assert.match(text, new RegExp(`class ${customers.id} finding_info`));
  });

  it('puts a finding on the innermost node that contains it when no edge does', () => {
    const graph = extractFixture('nest-app');
    const service = nodeNamed(graph, 'OrdersService');
    const marked = overlayFindings(graph, [finding(service.filePath!, 20, 2, 'n-plus-one-query', 'error')]);
    assert.equal(marked.nodes.find((n) => n.id === service.id)?.findings?.severity, 'error');
    assert.equal(marked.edges.filter((e) => e.findings).length, 0);
  });

  it('focuses on one service and its neighbours, and says when nothing matches', () => {
    const graph = extractFixture('express-queues');
    const view = shapeView(graph, { focus: 'producer', depth: 1 });
    assert.deepEqual(edgesOf(view.graph), ['order.service -calls-> producer', 'producer -publishes-> order-created']);
    const wider = shapeView(graph, { focus: 'producer', depth: 2 });
    assert.ok(wider.graph.nodes.length > view.graph.nodes.length);
    const none = shapeView(graph, { focus: 'NoSuchService' });
    assert.equal(none.graph.nodes.length, 0);
    assert.match(none.message ?? '', /No node matches "NoSuchService"/);
  });

  it('collapses the biggest folders first until the diagram fits, never the external resources', () => {
    const nodes: ArchNode[] = [];
    for (let i = 0; i < 30; i++) nodes.push({ id: `n${i + 1}`, kind: 'service', label: `S${i}`, group: 'src/services' });
    for (let i = 0; i < 5; i++) nodes.push({ id: `n${i + 31}`, kind: 'resolver', label: `R${i}`, group: 'src/api/resolvers' });
    nodes.push({ id: 'n36', kind: 'controller', label: 'Health', group: 'src/health' });
    nodes.push({ id: 'n37', kind: 'database', label: 'Prisma', group: '' });
    const edges = [
      ...nodes.slice(0, 30).map((n) => ({ from: n.id, to: 'n37', kind: 'queries' as const, label: '', sites: [] })),
      { from: 'n31', to: 'n1', kind: 'injects' as const, label: '', sites: [] },
      { from: 'n1', to: 'n2', kind: 'calls' as const, label: '', sites: [], findings: { total: 2, byRule: { 'n-plus-one-query': 2 }, severity: 'warning' as const } },
    ];
    nodes[2]!.findings = { total: 1, byRule: { 'missing-timeout': 1 }, severity: 'warning' };
    const view = shapeView({ nodes, edges }, { maxNodes: 10 });
    const labels = view.graph.nodes.map((n) => n.label).sort();
    assert.deepEqual(labels, ['Health', 'Prisma', 'R0', 'R1', 'R2', 'R3', 'R4', 'src/services']);
    const folder = view.graph.nodes.find((n) => n.label === 'src/services')!;
    assert.equal(folder.members, 30);
    assert.equal(folder.detail, '30 services');
    // The call between two of its members is not drawn, but its findings stay, on the folder.
    assert.deepEqual(folder.findings, { total: 3, byRule: { 'missing-timeout': 1, 'n-plus-one-query': 2 }, severity: 'warning' });
    assert.deepEqual(view.graph.edges.map((e) => `${e.from}->${e.to}:${e.sites.length}`).sort(), [`${folder.id}->n37:0`, `n31->${folder.id}:0`]);
    assert.equal(view.collapsedGroups, 1);
    assert.match(view.message ?? '', /collapsed/);
  });

  describe('resilint diagram (CLI)', function () {
    this.timeout(120_000);
    const cli = path.join(REPO_ROOT, 'dist/cli.js');
    const run = (...args: string[]) => execFileSync(process.execPath, [cli, 'diagram', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    it('prints Mermaid, Markdown and JSON for the same graph', () => {
      const fixture = path.join(FIXTURES, 'express-queues');
      const mermaid = run(fixture);
      assert.ok(mermaid.startsWith('flowchart LR\n'));
      assert.equal(run(fixture, '--format', 'markdown'), '```mermaid\n' + mermaid + '```\n');
      const json = JSON.parse(run(fixture, '--format', 'json')) as { graph: ArchGraph };
      assert.equal(json.graph.nodes.length, extractFixture('express-queues').nodes.length);
      assert.ok(json.graph.nodes.every((n) => !n.filePath || !path.isAbsolute(n.filePath)), 'paths are relative to the analysed folder');
    });

    it('focuses with --focus and --depth, and rejects bad options with exit code 2', () => {
      const fixture = path.join(FIXTURES, 'nest-app');
      const focused = JSON.parse(run(fixture, '--format', 'json', '--focus', 'EmailProcessor', '--depth', '1')) as { graph: ArchGraph };
      assert.deepEqual(focused.graph.nodes.map((n) => n.label).sort(), ['EmailProcessor', 'emails']);
      assert.throws(() => run(fixture, '--format', 'png'), (error: { status: number; stderr: string }) => error.status === 2 && /unknown format 'png'/.test(error.stderr));
      assert.throws(() => run(fixture, '--depth', 'two'), (error: { status: number }) => error.status === 2);
    });
  });
});
