import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCorpus } from './generate.mjs';
import { measureLsp, quantile } from './lspLatency.mjs';
import { bundleTestPaths, skippedAsTest } from './testPaths.mjs';

// `npm run bench`: the scan against the parse floor on synthetic corpora of growing size
// and on real checkouts, in paired rounds (floor and scan back to back, order alternating,
// so load on the machine hits both alike), then the editor over LSP. Prints a table and
// writes JSON. Nothing here asserts a timing: the figures are for people to read.

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const PROBE = path.join(HERE, 'usageProbe.cjs');

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '500,1000,2000,4000' },
    rounds: { type: 'string', default: '5' },
    real: { type: 'string', multiple: true, default: [] },
    'real-edit-file': { type: 'string', multiple: true, default: [] },
    'lsp-size': { type: 'string', default: '2000' },
    'no-lsp': { type: 'boolean', default: false },
    edits: { type: 'string', default: '40' },
    // 60: on the 2,000-file workspace the first full collection comes after about 30.
    cycles: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(REPO, 'test-results', 'bench.json') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(`Usage: npm run bench -- [options]
  --sizes 500,1000,2000,4000   synthetic corpus sizes (files)
  --rounds 5                   paired rounds per corpus
  --real [NAME=]DIR            also measure a real checkout (repeatable)
  --real-edit-file FILE        file (relative to the matching --real DIR) to edit over LSP; default: the largest analysed
  --lsp-size 2000              synthetic size used for the LSP measurements
  --no-lsp                     skip the LSP measurements
  --edits 40 --cycles 60       LSP edits on the edited file; open/edit/close cycles for memory
  --seed 1                     corpus seed
  --no-build                   measure dist/ as it is instead of building it first
  --out FILE                   JSON output (default test-results/bench.json)
`);
  process.exit(0);
}

const sizes = opts.sizes.split(',').filter(Boolean).map(Number);
const rounds = Number(opts.rounds);
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

const dist = snapshotDist();
const testPaths = bundleTestPaths(path.join(dist, 'testPaths.cjs'));
const workDir = path.join(os.tmpdir(), 'resilint-bench');
const corpora = [
  ...sizes.map((n) => {
    const dir = path.join(workDir, `synthetic-${n}`);
    log(`generating ${n} files in ${dir}`);
    generateCorpus(dir, { files: n, seed: Number(opts.seed) });
    return { name: `synthetic ${n}`, dir, synthetic: n };
  }),
  ...opts.real.map((value) => {
    const named = /^([\w.@/-]+)=(.+)$/.exec(value);
    const dir = path.resolve(named ? named[2] : value);
    return { name: named ? named[1] : path.basename(dir), dir };
  }),
];

const results = { machine: machine(), startedAt: new Date().toISOString(), rounds, corpora: [], lsp: [] };
for (const corpus of corpora) {
  log(`warm-up ${corpus.name}`);
  const floorArgs = [path.join(HERE, 'parseFloor.mjs'), corpus.dir];
  const floorWarm = await measureProcess(floorArgs);
  const floorInfo = JSON.parse(floorWarm.stdout);
  // The floor parses every file under the folder, the scan only those it analyses (tests
  // are skipped): a second floor over the analysed files alone, where the two differ, is
  // the like-for-like comparison.
  const analysedArgs = [...floorArgs, '--skip-tests', testPaths];
  const analysedInfo = JSON.parse((await measureProcess(analysedArgs)).stdout);
  const withAnalysedFloor = analysedInfo.files !== floorInfo.files;
  const scanWarm = await measureScan(corpus.dir);
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    // Order rotates, so load on the machine hits each measurement alike.
    const jobs = [['floor', () => measureProcess(floorArgs)], ['scan', () => measureScan(corpus.dir)], ...(withAnalysedFloor ? [['analysedFloor', () => measureProcess(analysedArgs)]] : [])];
    const measured = {};
    for (let i = 0; i < jobs.length; i++) {
      const [name, measure] = jobs[(round + i) % jobs.length];
      measured[name] = await measure();
    }
    const { floor, scan, analysedFloor = floor } = measured;
    samples.push({ floor: pick(floor), analysedFloor: pick(analysedFloor), scan: pick(scan), ratio: scan.wallMs / floor.wallMs, analysedRatio: scan.wallMs / analysedFloor.wallMs });
    log(`${corpus.name} round ${round + 1}/${rounds}: floor ${Math.round(floor.wallMs)} ms${withAnalysedFloor ? ` (analysed files ${Math.round(analysedFloor.wallMs)} ms)` : ''}, scan ${Math.round(scan.wallMs)} ms, ratio ${(scan.wallMs / floor.wallMs).toFixed(2)}${withAnalysedFloor ? ` (${(scan.wallMs / analysedFloor.wallMs).toFixed(2)})` : ''}`);
  }
  const median = (f) => quantile(samples.map(f), 0.5);
  const range = (f) => [round2(Math.min(...samples.map(f))), round2(Math.max(...samples.map(f)))];
  results.corpora.push({
    name: corpus.name,
    dir: corpus.dir,
    synthetic: corpus.synthetic ?? null,
    files: floorInfo.files,
    filesScanned: scanWarm.filesAnalysed,
    // Can differ from filesScanned: a tsconfig may take in files the folder walk skips
    // (vendure's build/), and the scan skips files too large or binary.
    filesInAnalysedFloor: analysedInfo.files,
    lines: floorInfo.lines,
    bytes: floorInfo.bytes,
    findings: scanWarm.findings.length,
    findingsByRule: countBy(scanWarm.findings.map((f) => f.ruleId)),
    ruleErrors: scanWarm.ruleErrors,
    floorWallMs: Math.round(median((s) => s.floor.wallMs)),
    analysedFloorWallMs: Math.round(median((s) => s.analysedFloor.wallMs)),
    scanWallMs: Math.round(median((s) => s.scan.wallMs)),
    ratio: round2(median((s) => s.ratio)),
    analysedRatio: round2(median((s) => s.analysedRatio)),
    // The spread shows how busy the machine was: a parse floor that varies by 30% between
    // rounds hides any change smaller than that in the medians.
    ratioRange: range((s) => s.ratio),
    analysedRatioRange: range((s) => s.analysedRatio),
    floorSpread: round2((Math.max(...samples.map((s) => s.floor.wallMs)) - Math.min(...samples.map((s) => s.floor.wallMs))) / median((s) => s.floor.wallMs)),
    floorCpuMs: Math.round(median((s) => s.floor.cpuMs)),
    scanCpuMs: Math.round(median((s) => s.scan.cpuMs)),
    floorMaxRssMb: Math.max(...samples.map((s) => s.floor.maxRssMb)),
    scanMaxRssMb: Math.max(...samples.map((s) => s.scan.maxRssMb)),
    samples,
  });
}
results.growth = growth(results.corpora.filter((c) => c.synthetic !== null));

if (!opts['no-lsp']) {
  const targets = [
    ...(opts['lsp-size'] ? [{ name: `synthetic ${opts['lsp-size']}`, dir: path.join(workDir, `synthetic-${opts['lsp-size']}`), size: Number(opts['lsp-size']) }] : []),
    ...corpora.filter((c) => c.synthetic === undefined).map((c, i) => ({ ...c, editFile: opts['real-edit-file'][i] })),
  ];
  for (const target of targets) {
    if (target.size && !fs.existsSync(target.dir)) generateCorpus(target.dir, { files: target.size, seed: Number(opts.seed) });
    log(`LSP on ${target.name}`);
    const lsp = await measureLsp({ root: target.dir, server: path.join(dist, 'server.js'), editFile: target.editFile, isSkipped: skippedAsTest(testPaths, target.dir), edits: Number(opts.edits), cycles: Number(opts.cycles) });
    results.lsp.push({ name: target.name, ...lsp });
  }
}

fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(table(results));
log(`JSON written to ${path.relative(process.cwd(), opts.out)}`);

// ---- measuring ----------------------------------------------------------------------

/** The bundles as built now, copied aside so a rebuild during the run cannot mix versions. */
function snapshotDist() {
  if (!opts['no-build']) {
    log('building dist/');
    const build = spawnSync(process.execPath, [path.join(REPO, '.ci', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  const snapshot = path.join(REPO, 'test-results', 'bench-dist');
  fs.rmSync(snapshot, { recursive: true, force: true });
  fs.cpSync(path.join(REPO, 'dist'), snapshot, { recursive: true, filter: (f) => !f.endsWith('.map') });
  return snapshot;
}

async function measureScan(dir) {
  // As CI runs it: a SARIF report. (`--format json` also lists every finding's fixes, so
  // it computes them, some with the type checker; the editor computes them too.)
  const reportFile = path.join(os.tmpdir(), `resilint-bench-report-${process.pid}.sarif`);
  const run = await measureProcess([path.join(dist, 'cli.js'), 'check', dir, '--format', 'sarif', '--output', reportFile], [0, 1]);
  run.findings = JSON.parse(fs.readFileSync(reportFile, 'utf8')).runs[0].results;
  run.filesAnalysed = Number(/in (\d+) file\(s\)/.exec(run.stdout)?.[1]);
  run.ruleErrors = run.stderr.split('\n').filter((line) => /^resilint: rule \S+ failed on /.test(line)).length;
  fs.rmSync(reportFile);
  return run;
}

/** One whole process: wall time from spawn to exit; peak RSS and CPU from the preloaded probe. */
function measureProcess(args, okCodes = [0]) {
  const usageFile = path.join(os.tmpdir(), `resilint-bench-usage-${process.pid}.json`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-r', PROBE, ...args], { env: { ...process.env, RESILINT_BENCH_USAGE: usageFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (!okCodes.includes(code)) return reject(new Error(`${args.join(' ')} exited ${code}\n${stderr}`));
      const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
      fs.rmSync(usageFile);
      resolve({ wallMs, cpuMs: usage.userMs + usage.systemMs, maxRssMb: Math.round(usage.maxRssKb / 1024), stdout, stderr });
    });
  });
}

function pick({ wallMs, cpuMs, maxRssMb }) {
  return { wallMs: Math.round(wallMs), cpuMs: Math.round(cpuMs), maxRssMb };
}

// ---- reporting ----------------------------------------------------------------------

/** Least squares of scan wall time over file count: linear growth shows as R² near 1. */
function growth(synthetic) {
  if (synthetic.length < 2) return null;
  const xs = synthetic.map((c) => c.files);
  const ys = synthetic.map((c) => c.scanWallMs);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssr = ys.reduce((a, y, i) => a + (y - (intercept + slope * xs[i])) ** 2, 0);
  const sst = ys.reduce((a, y) => a + (y - my) ** 2, 0);
  return { msPerFile: round2(slope), fixedMs: Math.round(intercept), r2: Number((1 - ssr / sst).toFixed(4)) };
}

function table(r) {
  const rows = [['corpus', 'files', 'analysed', 'lines', 'floor wall', 'scan wall', 'ratio', 'ratio range', 'analysed floor', 'ratio to it', 'floor spread', 'floor CPU', 'scan CPU', 'floor RSS', 'scan RSS', 'findings']];
  const span = ([low, high]) => `${low.toFixed(2)}–${high.toFixed(2)}×`;
  for (const c of r.corpora) {
    const same = c.filesInAnalysedFloor === c.files;
    rows.push([c.name, c.files, c.filesScanned, c.lines, `${c.floorWallMs} ms`, `${c.scanWallMs} ms`, `${c.ratio.toFixed(2)}×`, span(c.ratioRange), same ? 'same' : `${c.analysedFloorWallMs} ms`, same ? '' : `${c.analysedRatio.toFixed(2)}× (${span(c.analysedRatioRange)})`, `${Math.round(c.floorSpread * 100)}%`, `${c.floorCpuMs} ms`, `${c.scanCpuMs} ms`, `${c.floorMaxRssMb} MB`, `${c.scanMaxRssMb} MB`, c.findings]);
  }
  let out = `\nResilint benchmark — ${r.machine.cpus}× ${r.machine.cpuModel}, Node ${r.machine.node}, median of ${r.rounds} paired rounds\n\n${formatRows(rows)}`;
  if (r.growth) out += `\nGrowth (synthetic): ${r.growth.msPerFile} ms per file + ${r.growth.fixedMs} ms fixed, R² ${r.growth.r2}\n`;
  if (r.lsp.length > 0) {
    const lspRows = [['LSP', 'files', 'edited file', 'first diagnostics', 'edit median', 'edit p95', 'during scan (n)', 'scan', 'open median / p95', 'RSS first→max→last']];
    for (const l of r.lsp) {
      const m = l.memory;
      lspRows.push([l.name, l.files, `${l.largestFile} (${l.largestFileKb} KB)`, `${l.firstDiagnosticsMs} ms`, `${l.edit.medianMs} ms`, `${l.edit.p95Ms} ms`, l.editDuringScan ? `${l.editDuringScan.medianMs} / ${l.editDuringScan.p95Ms} ms (${l.editDuringScan.count})` : 'none', `${l.scanMs} ms`, l.open ? `${l.open.medianMs} / ${l.open.p95Ms} ms` : 'none', m.rssMb ? `${m.firstMb}→${m.maxMb}→${m.lastMb} MB over ${m.cycles} cycles, peak ${m.peakMb} MB` : 'n/a']);
    }
    out += `\n${formatRows(lspRows)}(edit latency = didChange → diagnostics for that version, minus the ${r.lsp[0].debounceMs} ms debounce)\n`;
  }
  return out;
}

function formatRows(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ')).join('\n') + '\n';
}

function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: os.loadavg().map((l) => round2(l)) };
}

function countBy(items) {
  const counts = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

function round2(n) {
  return Math.round(n * 100) / 100;
}
