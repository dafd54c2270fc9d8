import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// Runs the real CLI, as a process, over a large corpus of strange but real TypeScript
// (the TypeScript compiler's own test cases: see docs/reliability.md for getting them;
// they are never committed). Not part of `npm test`: it needs the corpus and minutes.
//
// Files go to the CLI in chunks, one process each with a wall-clock timeout, so a crash
// or a hang is caught and then attributed by re-running that chunk's files one by one.
// The CLI reports no per-file time and the engine's hot path stays free of clocks, so a
// preloaded probe (corpusTimingProbe.cjs) times each file from the outside; a chunk's
// wall time bounds each of its files regardless. A last run checks the whole corpus in
// one process, worker threads and all, as `resilint check DIR` runs for a user.

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
/** What the CLI analyses (workspace.ts isAnalysableFile); the run checks the CLI agrees. */
const ANALYSABLE = /\.(?:[cm]?ts|tsx)$/;
const DECLARATION = /\.d\.ts$/;
/** stderr lines the CLI writes by design: notices and contained rule errors (also in the JSON). */
const EXPECTED_STDERR = /^resilint: (?:.+: (?:skipped|not analysed): |rule \S+ failed on )/;
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/;
const SLOWEST = 5;
const PROBE = path.join(HERE, 'corpusTimingProbe.cjs');
/** Start-up and the lib files' parse, on top of the budget, for a process checking one file. */
const STARTUP_ALLOWANCE_MS = 30_000;

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: 'string' },
    chunk: { type: 'string', default: '100' },
    jobs: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '300' },
    budget: { type: 'string', default: '10' },
    'whole-timeout': { type: 'string', default: '1200' },
    'no-whole': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(REPO, 'test-results', 'corpus.json') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help || positionals.length !== 1) {
  process.stdout.write(`Usage: node test/reliability/corpus.mjs CORPUS_DIR [options]
  --limit N            only the first N files (sorted by path)
  --chunk 100          files per CLI process
  --jobs 1             CLI processes at once
  --timeout 300        seconds a chunk process may run before it counts as a hang
  --budget 10          seconds one file may take (measured by the timing probe)
  --whole-timeout 1200 seconds for the final run over the whole corpus in one process
  --no-whole           skip that run (--limit skips it too)
  --no-build           use dist/ as it is instead of building it first
  --out FILE           JSON report (default test-results/corpus.json)
Exits 1 when anything crashed, hung, lost files, reported a rule error or broke the budget.
`);
  process.exit(opts.help ? 0 : 2);
}

const corpus = path.resolve(positionals[0]);
const chunkSize = positiveInt('chunk');
const jobs = positiveInt('jobs');
const chunkTimeoutMs = positiveInt('timeout') * 1000;
const budgetMs = positiveInt('budget') * 1000;
const log = (message) => process.stderr.write(`[corpus] ${message}\n`);
let timingRuns = 0;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-corpus-'));
try {
  process.exitCode = await main();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

async function main() {
  const started = performance.now();
  const cli = snapshotCli();
  const inventory = takeInventory(corpus);
  const files = opts.limit ? inventory.analysable.slice(0, positiveInt('limit')) : inventory.analysable;
  log(`${inventory.all.length} files in ${corpus}; ${files.length} analysable by Resilint go to the CLI in chunks of ${chunkSize}`);
  const config = writeConfigEnablingAllRules(cli);

  const problems = [];
  const chunks = [];
  for (let i = 0; i < files.length; i += chunkSize) chunks.push({ index: chunks.length, files: files.slice(i, i + chunkSize).map((f) => f.file) });
  const outcomes = await pool(chunks, async (chunk) => {
    const outcome = await checkFiles(cli, config.file, chunk.files, chunkTimeoutMs);
    log(`chunk ${chunk.index + 1}/${chunks.length}: ${chunk.files.length} files in ${ms(outcome.ms)}${outcome.problems.length ? ` — ${outcome.problems.map((p) => p.kind).join(', ')}` : ''}`);
    if (outcome.problems.length > 0) problems.push(...(await isolate(cli, config.file, chunk.files)));
    return { ...chunk, ...outcome };
  });

  const timings = outcomes.flatMap((o) => o.timings).sort((a, b) => b.ms - a.ms);
  for (const timing of timings) if (timing.ms > budgetMs) problems.push({ kind: 'over budget', file: timing.file, detail: `${ms(timing.ms)} > ${ms(budgetMs)}` });
  const whole = opts['no-whole'] || opts.limit ? undefined : await checkWhole(cli, config.file);
  if (whole) problems.push(...whole.problems);

  const reports = outcomes.map((o) => o.report).filter(Boolean);
  const result = {
    corpus,
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.availableParallelism(),
    rules: config.ruleIds,
    files: { total: inventory.all.length, analysable: files.length, lines: sum(files, 'lines'), bytes: sum(files, 'bytes'), allLines: sum(inventory.all, 'lines'), allBytes: sum(inventory.all, 'bytes'), largest: largest(inventory.all) },
    notAnalysable: countBy(inventory.notAnalysable, (f) => f.reason),
    skipped: groupNotices(reports.flatMap((r) => r.notices.map((n) => ({ file: path.join(r.root, n.file), message: n.message })))),
    findings: countBy(reports.flatMap((r) => r.findings), (f) => f.ruleId),
    ruleErrors: reports.flatMap((r) => r.ruleErrors.map((e) => ({ ...e, filePath: path.join(r.root, e.filePath) }))),
    problems,
    chunks: { count: outcomes.length, size: chunkSize, jobs, totalMs: Math.round(sum(outcomes, 'ms')), slowest: [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST).map((o) => ({ index: o.index, files: o.files.length, ms: Math.round(o.ms), first: o.files[0] })) },
    slowestFiles: timings.slice(0, SLOWEST),
    filesTimed: timings.length,
    whole: whole && { ms: Math.round(whole.ms), filesAnalysed: whole.report?.filesAnalysed, findings: whole.report?.findings.length, ruleErrors: whole.report?.ruleErrors.length, notices: whole.report?.notices.length, findingsNotInChunks: whole.report && findingsOnlyIn(whole.report, reports), chunkFindingsNotInWhole: whole.report && reports.flatMap((r) => findingsOnlyIn(r, [whole.report])) },
    wallMs: Math.round(performance.now() - started),
  };
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(table(result) + `\nJSON report: ${opts.out}\n`);
  const failed = problems.length > 0 || result.ruleErrors.length > 0 || (whole?.report?.ruleErrors.length ?? 0) > 0;
  return failed ? 1 : 0;
}

/** dist/ as built now (the CLI finds its patterns/ beside it), copied so a rebuild during the run cannot change what is measured. */
function snapshotCli() {
  if (!opts['no-build']) {
    log('building dist/');
    const build = spawnSync(process.execPath, [path.join(REPO, '.ci', 'build.mjs')], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('build failed');
  }
  const dist = path.join(work, 'dist');
  fs.cpSync(path.join(REPO, 'dist'), dist, { recursive: true, filter: (f) => !f.endsWith('.map') });
  return path.join(dist, 'cli.js');
}

/** Every regular file under the corpus (symlinks are not followed), sorted, with its size and line count. */
function takeInventory(root) {
  const all = [];
  const notAnalysable = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(file);
      else if (entry.isSymbolicLink()) notAnalysable.push({ file, reason: 'symbolic link (not followed)' });
      else if (entry.isFile()) {
        const bytes = fs.readFileSync(file);
        const info = { file, bytes: bytes.length, lines: countLines(bytes) };
        all.push(info);
        const reason = DECLARATION.test(file) ? 'declaration file (.d.ts)' : ANALYSABLE.test(file) ? undefined : `extension ${path.extname(file) || '(none)'}`;
        if (reason) notAnalysable.push({ ...info, reason });
      }
    }
  }
  const byPath = (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  all.sort(byPath);
  const excluded = new Set(notAnalysable.map((f) => f.file));
  return { all, notAnalysable, analysable: all.filter((f) => !excluded.has(f.file)) };
}

function countLines(bytes) {
  if (bytes.length === 0) return 0;
  let lines = bytes[bytes.length - 1] === 0x0a ? 0 : 1;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) lines++;
  return lines;
}

/** A config turning every rule on, tests included (a compiler's test cases are all under tests/): the rule ids come from the CLI's own SARIF rule list. */
function writeConfigEnablingAllRules(cli) {
  const probe = path.join(work, 'probe', 'probe.ts');
  fs.mkdirSync(path.dirname(probe));
  fs.writeFileSync(probe, 'export const probe = (url: string) => fetch(url);\n');
  const run = spawnSync(process.execPath, [cli, 'check', probe, '--format', 'sarif'], { cwd: work, encoding: 'utf8' });
  const [sarif] = JSON.parse(run.stdout).runs;
  // A bundle that reports nothing would pass every corpus file: make sure it finds this one.
  if (sarif.results.length !== 1) throw new Error(`the CLI should report the probe's fetch without a timeout: ${run.stdout}${run.stderr}`);
  const ruleIds = sarif.tool.driver.rules.map((rule) => rule.id);
  const file = path.join(work, 'resilint.config.json');
  fs.writeFileSync(file, JSON.stringify({ rules: Object.fromEntries(ruleIds.map((id) => [id, { severity: 'warning', options: { checkTests: true } }])) }, null, 2));
  return { file, ruleIds };
}

/** One CLI process over `files`; every way it can go wrong becomes a problem. */
async function checkFiles(cli, config, files, timeoutMs) {
  const timingsFile = path.join(work, `timings-${process.pid}-${timingRuns++}.json`);
  const run = await runProcess(['-r', PROBE, cli, 'check', '--format', 'json', '--config', config, ...files], timeoutMs, { RESILINT_CORPUS_TIMINGS: timingsFile });
  const timings = fs.existsSync(timingsFile) ? JSON.parse(fs.readFileSync(timingsFile, 'utf8')).map(([file, time]) => ({ file, ms: time })) : [];
  fs.rmSync(timingsFile, { force: true });
  const { problems, report } = inspect(run, timeoutMs);
  if (report && report.filesAnalysed !== files.length) problems.push({ kind: 'lost files', detail: `${files.length} files given, ${report.filesAnalysed} analysed` });
  return { ms: run.ms, problems, report, timings };
}

/** What a finished (or killed) CLI process did wrong, and its JSON report when it gave one. */
function inspect(run, timeoutMs) {
  const problems = [];
  const detail = (text) => text.trim().split('\n').slice(0, 12).join('\n');
  if (run.timedOut) return { problems: [{ kind: 'hang', detail: `no exit after ${ms(timeoutMs)}` }] };
  if (run.signal || (run.code !== 0 && run.code !== 1)) problems.push({ kind: 'crash', detail: `exit ${run.signal ?? run.code}: ${detail(run.stderr)}` });
  const unexpected = run.stderr.split('\n').filter((line) => line.trim() !== '' && !EXPECTED_STDERR.test(line));
  // An uncaught exception exits with 1, like findings do: its stack trace on stderr tells them apart.
  if (unexpected.length > 0) problems.push({ kind: unexpected.some((line) => STACK_FRAME.test(line)) ? 'uncaught exception' : 'unexpected stderr', detail: detail(unexpected.join('\n')) });
  try {
    return { problems, report: JSON.parse(run.stdout) };
  } catch {
    problems.push({ kind: 'crash', detail: `stdout is not a JSON report: ${detail(run.stdout)}` });
    return { problems };
  }
}

/** A chunk went wrong: run its files one by one so every problem names its file. */
async function isolate(cli, config, files) {
  log(`re-running ${files.length} files one by one to find the culprit`);
  const found = [];
  for (const file of files) {
    const run = await checkFiles(cli, config, [file], STARTUP_ALLOWANCE_MS + budgetMs);
    for (const problem of run.problems) found.push({ ...problem, file });
  }
  if (found.length === 0) found.push({ kind: 'chunk-only failure', file: files[0], detail: `the chunk starting here failed, yet each of its ${files.length} files passes alone` });
  return found;
}

/** The whole corpus in one process, as `resilint check DIR` runs it (worker threads, wide type-checker programs). */
async function checkWhole(cli, config) {
  log('checking the whole corpus in one process');
  const timeoutMs = positiveInt('whole-timeout') * 1000;
  const run = await runProcess([cli, 'check', corpus, '--format', 'json', '--config', config], timeoutMs);
  const { problems, report } = inspect(run, timeoutMs);
  log(`whole corpus: ${ms(run.ms)}`);
  return { ms: run.ms, report, problems: problems.map((p) => ({ ...p, detail: `whole-corpus run: ${p.detail}` })) };
}

function runProcess(args, timeoutMs, env = {}) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal: timedOut ? null : signal, timedOut, ms: performance.now() - start, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

async function pool(items, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

/** Notices grouped by their message with numbers blurred ("is 9.1 MB, over ..."), with a few example files. */
function groupNotices(notices) {
  const groups = new Map();
  for (const { file, message } of notices) {
    const key = message.replace(/\d+(?:\.\d+)?/g, 'N');
    const group = groups.get(key) ?? { message: key, count: 0, files: [] };
    group.count++;
    if (group.files.length < 10) group.files.push(path.relative(corpus, file));
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function table(r) {
  const rows = [
    ['corpus', r.corpus],
    ['files (all / analysable)', `${r.files.total} / ${r.files.analysable}`],
    ['lines (all / analysable)', `${r.files.allLines} / ${r.files.lines}`],
    ['bytes (all / analysable)', `${r.files.allBytes} / ${r.files.bytes}`],
    ['largest file', `${r.files.largest.bytes} bytes  ${path.relative(r.corpus, r.files.largest.file)}`],
    ['rules on', r.rules.join(', ')],
    ...Object.entries(r.notAnalysable).map(([reason, n]) => [`not given to the CLI: ${reason}`, n]),
    ...r.skipped.map((g) => [`engine notice: ${g.message}`, `${g.count}  e.g. ${g.files[0]}`]),
    ['findings', Object.entries(r.findings).map(([id, n]) => `${id} ${n}`).join(', ') || '0'],
    ['crashes', r.problems.filter((p) => p.kind === 'crash').length],
    ['uncaught exceptions', r.problems.filter((p) => p.kind === 'uncaught exception').length],
    ['other unexpected stderr', r.problems.filter((p) => p.kind === 'unexpected stderr').length],
    ['hangs', r.problems.filter((p) => p.kind === 'hang').length],
    ['lost files', r.problems.filter((p) => p.kind === 'lost files').length],
    ['over the per-file budget', r.problems.filter((p) => p.kind === 'over budget').length],
    ['rule errors', r.ruleErrors.length],
    ['chunk processes', `${r.chunks.count} × ≤${r.chunks.size} files, ${r.chunks.jobs} at a time, ${ms(r.chunks.totalMs)} in all`],
    ...r.chunks.slowest.map((c) => [`slow chunk ${c.index + 1}`, `${ms(c.ms)} for ${c.files} files from ${path.relative(r.corpus, c.first)}`]),
    ...r.slowestFiles.map((t) => [`slow file (of ${r.filesTimed} timed)`, `${ms(t.ms)}  ${path.relative(r.corpus, t.file)}`]),
    // Fewer files than analysable is by design: the CLI's folder walk skips node_modules, dist, build, out, coverage, dot-folders.
    ['whole corpus, one process', r.whole ? `${ms(r.whole.ms)}, ${r.whole.filesAnalysed} of the ${r.files.analysable} files, ${r.whole.findings} findings, ${r.whole.ruleErrors} rule errors` : 'not run'],
    ...(r.whole?.findingsNotInChunks ?? []).map((f) => ['finding only in the whole run', f]),
    ...(r.whole?.chunkFindingsNotInWhole ?? []).map((f) => ['finding missing from the whole run', f]),
    ['wall time', ms(r.wallMs)],
  ];
  const width = Math.max(...rows.map(([k]) => String(k).length));
  const lines = rows.map(([k, v]) => `${String(k).padEnd(width)}  ${v}`);
  for (const p of r.problems) lines.push(`PROBLEM ${p.kind}: ${p.file ? path.relative(r.corpus, p.file) : ''}\n  ${String(p.detail).split('\n').join('\n  ')}`);
  for (const e of r.ruleErrors) lines.push(`RULE ERROR ${e.ruleId}: ${path.relative(r.corpus, e.filePath)}: ${e.message}`);
  return lines.join('\n') + '\n';
}

/**
 * Findings of `report` that none of `others` has. The chunked and the whole-corpus runs
 * should agree; where files share a global scope (scripts without imports, as in the
 * TypeScript test cases), which files share a type-checking program can change a result.
 */
function findingsOnlyIn(report, others) {
  const key = (root, f) => `${path.join(root, f.file)}:${f.line}:${f.column}:${f.ruleId}`;
  const known = new Set(others.flatMap((r) => r.findings.map((f) => key(r.root, f))));
  return report.findings.map((f) => key(report.root, f)).filter((k) => !known.has(k));
}

function countBy(items, key) {
  const counts = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function sum(items, key) {
  return items.reduce((total, item) => total + item[key], 0);
}

function largest(files) {
  return files.reduce((max, f) => (f.bytes > max.bytes ? f : max), { file: '', bytes: 0 });
}

function ms(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function positiveInt(name) {
  const value = Number(opts[name]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} takes a whole number above 0\n`);
    process.exit(2);
  }
  return value;
}
