import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './generate.mjs';

// How much `--cache` saves: `resilint check --cache` on a generated 2,000-file project,
// a cold run (no cache file) then a warm run (nothing changed), as separate processes like
// CI runs them. Each round pairs one cold and one warm run; the figure is the median of
// the per-round ratios, for wall-clock time and for CPU time (usageProbe.cjs), since the
// latter holds steady on a busy machine. The CLI runs from a private copy of dist/ so a
// concurrent rebuild cannot change the build under the benchmark (and with it the cache
// identity). Run after `node .ci/build.mjs`.
// Usage: node test/bench/cacheBench.mjs [--files N] [--rounds R] [--keep]

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '..', '..', 'dist');
const PROBE = path.join(HERE, 'usageProbe.cjs');

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function check(cli, project, work) {
  const cacheFile = path.join(work, 'cache', 'analysis.json');
  const reportFile = path.join(work, 'report.json');
  const usageFile = path.join(work, 'usage.json');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', PROBE, cli, 'check', project, '--cache', '--cache-location', cacheFile, '--format', 'json', '--output', reportFile], {
    encoding: 'utf8',
    env: { ...process.env, RESILINT_BENCH_USAGE: usageFile },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`resilint exited ${result.status}: ${result.stderr}`);
  const reuse = /cache: (\d+) of (\d+) file\(s\) reused/.exec(result.stderr);
  if (!reuse) throw new Error(`no cache line in stderr: ${result.stderr}`);
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
  return { wallMs, cpuMs: usage.userMs + usage.systemMs, reused: Number(reuse[1]), files: Number(reuse[2]), report: fs.readFileSync(reportFile, 'utf8') };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main() {
  if (!fs.existsSync(path.join(DIST, 'cli.js'))) throw new Error(`${DIST}/cli.js is missing: run node .ci/build.mjs first`);
  const files = option('--files', 2000);
  const rounds = Math.max(3, option('--rounds', 3));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-cache-bench-'));
  fs.cpSync(DIST, path.join(work, 'dist'), { recursive: true });
  const cli = path.join(work, 'dist', 'cli.js');
  const project = path.join(work, 'project');
  generateCorpus(project, { files, seed: 1 });
  const wall = [];
  const cpu = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      fs.rmSync(path.join(work, 'cache'), { recursive: true, force: true });
      const cold = check(cli, project, work);
      const warm = check(cli, project, work);
      // A fast warm run that reports something else would be no saving at all.
      if (warm.report !== cold.report) throw new Error('the warm run reported different findings from the cold run');
      if (warm.reused !== warm.files || cold.reused !== 0) throw new Error(`unexpected reuse: cold ${cold.reused}, warm ${warm.reused} of ${warm.files}`);
      wall.push(cold.wallMs / warm.wallMs);
      cpu.push(cold.cpuMs / warm.cpuMs);
      const ms = (run) => `${run.wallMs.toFixed(0)} ms wall / ${run.cpuMs.toFixed(0)} ms CPU`;
      console.log(`round ${round}: ${cold.files} files; cold ${ms(cold)}; warm ${ms(warm)}; ${wall.at(-1).toFixed(1)}x wall, ${cpu.at(-1).toFixed(1)}x CPU`);
    }
    console.log(`median speed-up of a warm --cache run over ${rounds} rounds: ${median(wall).toFixed(1)}x wall-clock, ${median(cpu).toFixed(1)}x CPU (target: at least 5x)`);
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
