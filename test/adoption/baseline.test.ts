import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import type * as Sarif from 'sarif';
import { matchBaseline, type Baseline, type BaselineEntry } from '../../server/src/engine/baseline';
import { checkJson, findingsAt, git, REPO, resilint, tempProjects } from './harness';

// `resilint baseline` accepts today's findings; `check` then fails only on new ones.

const LOAD = `export async function loadUser(id: string) {\n  const res = await fetch('https://users.internal/' + id);\n  return res.json();\n}\n`;
const LOAD_ORDERS = `export async function loadOrders(id: string) {\n  const res = await fetch('https://orders.internal/' + id);\n  return res.json();\n}\n`;
const AS_ERRORS = JSON.stringify({ rules: { 'missing-timeout': 'error' } });

function baselineOf(dir: string, file = 'resilint-baseline.json'): Baseline {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Baseline;
}

describe('baseline', () => {
  const projects = tempProjects();

  it('accepts the findings it records: check then passes and says how many it suppressed', () => {
    const dir = projects.create({ 'src/users.ts': LOAD, 'resilint.config.json': AS_ERRORS });
    assert.equal(resilint(['check', '.'], dir).code, 1);
    const written = resilint(['baseline'], dir);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, /^resilint: 1 finding\(s\) in 1 file\(s\) written to the baseline resilint-baseline\.json\n$/);
    const baseline = baselineOf(dir);
    assert.equal(baseline.version, 1);
    assert.deepEqual(baseline.findings.map((e) => [e.ruleId, e.file]), [['missing-timeout', 'src/users.ts']]);
    assert.match(baseline.findings[0]!.fingerprint, /^[0-9a-f]{32}$/);
    assert.ok(!JSON.stringify(baseline).includes('"line"'), 'entries carry no line numbers');

    const check = resilint(['check', '.'], dir);
    assert.equal(check.code, 0, check.stdout);
    assert.match(check.stdout, /^No problems found in 1 file\.\nresilint: 1 finding\(s\) suppressed by the baseline \(resilint-baseline\.json\), 0 baseline entries fixed\n$/);
  });

  it('survives lines inserted above a finding and the function moving down the file', () => {
    const dir = projects.create({ 'src/users.ts': LOAD, 'resilint.config.json': AS_ERRORS });
    resilint(['baseline'], dir);
    fs.writeFileSync(path.join(dir, 'src/users.ts'), `import { strict } from 'node:assert';\n\n/** Users. */\nexport const VERSION = 2;\nstrict.ok(VERSION);\n\n${LOAD.replace('  const res', '    const res')}`);
    const { report, code, stderr } = checkJson(['.'], dir);
    assert.deepEqual(report.findings, []);
    assert.equal(code, 0);
    assert.match(stderr, /1 finding\(s\) suppressed by the baseline/);
  });

  it('reports a new finding next to baselined ones, and a baselined finding edited into a different call', () => {
    const dir = projects.create({ 'src/users.ts': LOAD, 'resilint.config.json': AS_ERRORS });
    resilint(['baseline'], dir);
    fs.writeFileSync(path.join(dir, 'src/users.ts'), LOAD + LOAD_ORDERS);
    const added = checkJson(['.'], dir);
    assert.deepEqual(findingsAt(added.report), ['src/users.ts:6']);
    assert.equal(added.code, 1);

    fs.writeFileSync(path.join(dir, 'src/users.ts'), LOAD.replace("'https://users.internal/' + id", "`https://users.internal/v2/${id}`"));
    const edited = checkJson(['.'], dir);
    assert.deepEqual(findingsAt(edited.report), ['src/users.ts:2']);
    assert.match(edited.stderr, /0 finding\(s\) suppressed by the baseline \(resilint-baseline\.json\), 1 baseline entry fixed \(drop with --prune-baseline\)/);
  });

  it('accepts as many identical lines as it recorded, and reports one more', () => {
    const twice = `export async function a(u: string) {\n  await fetch(u);\n  await fetch(u);\n}\n`;
    const dir = projects.create({ 'src/a.ts': twice });
    resilint(['baseline'], dir);
    assert.deepEqual(checkJson(['.'], dir).report.findings, []);
    fs.writeFileSync(path.join(dir, 'src/a.ts'), twice.replace('}\n', '  await fetch(u);\n}\n'));
    assert.equal(checkJson(['.'], dir).report.findings.length, 1);
  });

  it('--prune-baseline removes fixed entries and keeps entries of files the run did not analyse', () => {
    const dir = projects.create({ 'src/users.ts': LOAD, 'src/orders.ts': LOAD_ORDERS, 'src/gone.ts': LOAD });
    resilint(['baseline'], dir);
    assert.equal(baselineOf(dir).findings.length, 3);
    fs.rmSync(path.join(dir, 'src/gone.ts'));
    fs.writeFileSync(path.join(dir, 'src/users.ts'), LOAD.replace("+ id)", "+ id, { signal: AbortSignal.timeout(5000) })"));

    // Only users.ts is analysed: orders.ts is out of scope, and so is gone.ts, outside src/users.ts.
    const scoped = resilint(['check', 'src/users.ts', '--prune-baseline', '--baseline', 'resilint-baseline.json'], dir);
    assert.equal(scoped.code, 0, scoped.stderr);
    assert.match(scoped.stdout, /1 fixed baseline entry pruned/);
    assert.deepEqual(baselineOf(dir).findings.map((e) => e.file).sort(), ['src/gone.ts', 'src/orders.ts']);

    const whole = resilint(['check', '.', '--prune-baseline'], dir);
    assert.match(whole.stdout, /1 finding\(s\) suppressed by the baseline \(resilint-baseline\.json\), 1 fixed baseline entry pruned/);
    assert.deepEqual(baselineOf(dir).findings.map((e) => e.file), ['src/orders.ts']);
    assert.match(resilint(['check', '.'], dir).stdout, /0 baseline entries fixed\n$/);
  });

  it('baseline [paths] replaces only the entries of the files it analysed or that were deleted there', () => {
    const dir = projects.create({ 'src/users.ts': LOAD, 'lib/orders.ts': LOAD_ORDERS });
    resilint(['baseline'], dir);
    fs.writeFileSync(path.join(dir, 'src/users.ts'), LOAD + LOAD_ORDERS);
    fs.writeFileSync(path.join(dir, 'lib/orders.ts'), 'export const none = 1;\n');
    assert.match(resilint(['baseline', 'src', '--baseline', 'resilint-baseline.json'], dir).stdout, /2 finding\(s\) in 1 file\(s\)/);
    assert.deepEqual(baselineOf(dir).findings.map((e) => e.file).sort(), ['lib/orders.ts', 'src/users.ts', 'src/users.ts']);
    // Entries of deleted files go once a run covers where they were.
    fs.rmSync(path.join(dir, 'src/users.ts'));
    resilint(['baseline', 'lib', '--baseline', 'resilint-baseline.json'], dir);
    assert.deepEqual(baselineOf(dir).findings.map((e) => e.file).sort(), ['src/users.ts', 'src/users.ts']);
    resilint(['baseline', '.'], dir);
    assert.deepEqual(baselineOf(dir).findings, []);
  });

  it('is found from a subfolder up to the top of the git repository, and written there by default', () => {
    const dir = projects.create({ 'packages/api/src/users.ts': LOAD, 'packages/api/src/orders.ts': LOAD_ORDERS });
    git(dir, 'init', '-q');
    resilint(['baseline', 'api/src/users.ts'], path.join(dir, 'packages'));
    assert.deepEqual(baselineOf(dir).findings.map((e) => e.file), ['packages/api/src/users.ts']);
    const { report, stderr } = checkJson(['src'], path.join(dir, 'packages', 'api'));
    assert.deepEqual(findingsAt(report), ['orders.ts:2']);
    assert.ok(stderr.includes(`1 finding(s) suppressed by the baseline (${path.join(dir, 'resilint-baseline.json')})`), stderr);
  });

  it('keeps machine-readable output clean and puts the baseline counts in the --output summary', () => {
    const dir = projects.create({ 'src/users.ts': LOAD, 'src/orders.ts': 'export const none = 1;\n' });
    resilint(['baseline'], dir);
    fs.writeFileSync(path.join(dir, 'src/orders.ts'), LOAD_ORDERS);
    const sarif = resilint(['check', '.', '--format', 'sarif'], dir);
    assert.equal(JSON.parse(sarif.stdout).runs[0].results.length, 1);
    assert.match(sarif.stderr, /^resilint: 1 finding\(s\) suppressed by the baseline/m);
    const written = resilint(['check', '.', '--format', 'junit', '--output', 'out/report.xml'], dir);
    assert.match(written.stdout, /^resilint: 1 finding\(s\) \(0 error\(s\), 1 warning\(s\)\) in 2 file\(s\); 1 finding\(s\) suppressed by the baseline \(resilint-baseline\.json\), 0 baseline entries fixed; report written to out\/report\.xml\n$/);
    assert.match(fs.readFileSync(path.join(dir, 'out/report.xml'), 'utf8'), /failures="1"/);
  });

  it('says in JSON and SARIF reports how many findings the baseline accepted and how many entries are fixed', () => {
    const dir = projects.create({ 'src/users.ts': LOAD, 'src/orders.ts': LOAD_ORDERS, 'src/gone.ts': LOAD });
    resilint(['baseline'], dir);
    fs.writeFileSync(path.join(dir, 'src/orders.ts'), LOAD_ORDERS + LOAD);
    fs.writeFileSync(path.join(dir, 'src/gone.ts'), 'export const fixed = 1;\n');

    const json = checkJson(['.'], dir).report as unknown as { summary: Record<string, unknown>; findings: unknown[] };
    assert.equal(json.findings.length, 1);
    assert.deepEqual(json.summary, { error: 0, warning: 1, info: 0, baseline: { file: 'resilint-baseline.json', suppressed: 2, fixedEntries: 1, pruned: false } });

    const sarif = JSON.parse(resilint(['check', '.', '--format', 'sarif'], dir).stdout) as Sarif.Log;
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    const run = sarif.runs[0]!;
    assert.deepEqual(run.results?.map((r) => r.baselineState), ['new']);
    assert.deepEqual(run.properties, { baseline: { file: 'resilint-baseline.json', suppressed: 2, fixedEntries: 1, pruned: false } });

    const pruned = checkJson(['.', '--prune-baseline'], dir).report as unknown as { summary: { baseline: unknown } };
    assert.deepEqual(pruned.summary.baseline, { file: 'resilint-baseline.json', suppressed: 2, fixedEntries: 1, pruned: true });
    const withoutBaseline = projects.create({ 'src/users.ts': LOAD });
    const plain = JSON.parse(resilint(['check', '.', '--format', 'sarif'], withoutBaseline).stdout) as Sarif.Log;
    assert.equal(plain.runs[0]!.properties, undefined);
    assert.equal(plain.runs[0]!.results?.[0]?.baselineState, undefined, 'no baseline, no baseline state');
  });

  it('exits 2 with one line for a broken or missing baseline file and for --prune-baseline without one', () => {
    const dir = projects.create({ 'src/users.ts': LOAD });
    fs.writeFileSync(path.join(dir, 'resilint-baseline.json'), '{ "version": 1, "findings": [ ');
    const broken = resilint(['check', '.'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^resilint: baseline .*resilint-baseline\.json cannot be read \(.*JSON.*\)\n$/);
    assert.equal(resilint(['baseline'], dir).code, 2, 'a broken baseline is not silently overwritten');

    fs.writeFileSync(path.join(dir, 'resilint-baseline.json'), JSON.stringify({ version: 2, findings: [] }));
    assert.match(resilint(['check', '.'], dir).stderr, /^resilint: baseline .* is not a Resilint baseline \(version 1\)\n$/);
    fs.rmSync(path.join(dir, 'resilint-baseline.json'));

    const missing = resilint(['check', '.', '--baseline', 'nope.json'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^resilint: baseline file not found: .*nope\.json\n$/);
    const prune = resilint(['check', '.', '--prune-baseline'], dir);
    assert.equal(prune.code, 2);
    assert.match(prune.stderr, /^resilint: --prune-baseline: no resilint-baseline\.json found for /);
  });

  it('matches each baseline entry once and reports unmatched entries of analysed files only', () => {
    const entry = (fingerprint: string, file: string): BaselineEntry => ({ fingerprint, file, ruleId: 'r', message: 'm' });
    const baseline: Baseline = { version: 1, findings: [entry('a', 'x.ts'), entry('a', 'x.ts'), entry('b', 'x.ts'), entry('c', 'y.ts')] };
    const current = [entry('a', 'x.ts'), entry('a', 'x.ts'), entry('a', 'x.ts')];
    const { accepted, fixed } = matchBaseline(current, baseline, (file) => file === 'x.ts');
    assert.deepEqual(accepted, [true, true, false]);
    assert.deepEqual(fixed.map((e) => e.fingerprint), ['b']);
  });
});
