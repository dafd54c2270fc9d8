import * as path from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../../../package.json';
import { BaselineFileError } from '../engine/baseline';
import { changedLinesSince, GitRefError } from '../engine/gitChanges';
import { serveScanWorker } from '../engine/parallelScan';
import { MissingPathError, runAnalysis } from '../engine/runner';
import { normalizePath } from '../engine/workspace';
import { writeBaselineFor } from './baselineCommand';
import { closeCache, openCache } from './cacheOption';
import { explicitConfigProblem, wholeNumber, writeOutputFile } from './commandLine';
import { runDiagramCommand } from './diagram';
import { allRules } from '../rules';
import { fileCounts, format, FORMATS, type Format } from './formatters';
import { heapReclaimer } from '../engine/heapReclaimer';
import { exitCode, scopeResults } from './reporting';

// `resilint check`: the same engine as the editor, for CI. Exit codes: 0 clean,
// 1 findings reached the failing threshold, 2 usage or configuration error, or a rule
// that failed on a file (see exitCode).

const USAGE = `Usage: resilint check [paths...] [options]
       resilint baseline [paths...] [--baseline FILE] [--config FILE] [--cache]
       resilint diagram [path] [--format mermaid|markdown|json] [--focus NAME --depth N]

Commands:
  check                      analyse and report (exit 1 on errors or too many warnings)
  baseline                   accept today's findings: write resilint-baseline.json, which
                             check then uses to report only new findings
  diagram                    the architecture map (resilint diagram --help)

Options:
  --format FORMAT            text|json|sarif|github|junit (default: text); github prints
                             workflow commands that annotate pull requests
  --output FILE              write the report to FILE and print a summary
  --config FILE              use this resilint.config.json instead of discovering one
  --max-warnings N           fail when there are more than N warnings (default: no limit)
  --baseline FILE            baseline to read or write (default: resilint-baseline.json in
                             the analysed folder or a parent up to the git repository's top,
                             where a new one is written)
  --prune-baseline           remove baseline entries whose findings are gone
  --changed-since REF        analyse everything, report only findings on lines changed
                             since git REF (e.g. origin/main)
  --cache                    reuse results for files unchanged since the last run
  --cache-location PATH      cache file or folder (default: .resilintcache)
  -h, --help                 show this help
  -v, --version              print the version`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof MissingPathError || error instanceof GitRefError || error instanceof BaselineFileError) {
      process.stderr.write(`resilint: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`resilint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}

async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'diagram') return runDiagramCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string' },
        config: { type: 'string' },
        'max-warnings': { type: 'string' },
        baseline: { type: 'string' },
        'prune-baseline': { type: 'boolean' },
        'changed-since': { type: 'string' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (command !== 'check' && command !== 'baseline') throw new UsageError(command ? `unknown command '${command}'\n${USAGE}` : USAGE);
  const checkOnly = (['format', 'output', 'max-warnings', 'changed-since', 'prune-baseline'] as const).filter((name) => values[name] !== undefined);
  if (command === 'baseline' && checkOnly.length > 0) throw new UsageError(`${checkOnly.map((name) => `--${name}`).join(', ')} ${checkOnly.length === 1 ? 'applies' : 'apply'} to check, not baseline`);
  const formatName = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(formatName)) throw new UsageError(`unknown format '${formatName}' (expected ${FORMATS.join(', ')})`);
  const maxWarnings = wholeNumber(values['max-warnings'], '--max-warnings') ?? Infinity;
  if (typeof maxWarnings === 'object') throw new UsageError(maxWarnings.problem);
  const configProblem = explicitConfigProblem(values.config);
  if (configProblem) throw new UsageError(configProblem);

  const targets = paths.length > 0 ? paths : ['.'];
  const changedSince = values['changed-since'];
  // Before the analysis, so a CI job with a missing ref fails in a second, not a minute.
  const changedLines = changedSince === undefined ? undefined : changedLinesSince(targets[0]!, changedSince);
  // Only the JSON report lists fixes; computing them for the others is wasted work.
  const fixes = formatName === 'json';
  const cache = values.cache ? openCache(values['cache-location'], { version: packageJson.version, rules: allRules, fixes, ...(values.config ? { configFile: values.config } : {}) }) : undefined;
  // Worker threads run the script this process started with (the launcher, or this bundle
  // itself), whose last line sees them as workers and takes their share of the files.
  const reclaimMemory = heapReclaimer();
  const run = await runAnalysis({ paths: targets, rules: allRules, fixes, parallel: { script: require.main?.filename ?? __filename }, ...(reclaimMemory ? { reclaimMemory } : {}), ...(values.config ? { configFile: values.config } : {}), ...(cache ? { cache } : {}) });
  if (cache) closeCache(cache);
  const configProblems = [...new Set(run.results.flatMap((r) => r.configProblems))];
  if (configProblems.length > 0) throw new UsageError(`configuration error: ${configProblems.join('\n')}`);
  // A path with nothing to analyse is a mistyped or misconfigured CI step, not a clean result.
  const empty = targets.filter((target) => {
    const folder = normalizePath(target);
    return !run.results.some((r) => r.filePath === folder || r.filePath.startsWith(folder + path.sep));
  });
  if (empty.length > 0) throw new UsageError(`no TypeScript files (.ts, .tsx, .mts, .cts) to analyse in ${empty.join(', ')}`);
  for (const problem of run.workspace.problems()) process.stderr.write(`resilint: warning: ${problem}\n`);
  for (const result of run.results) {
    for (const notice of result.notices) process.stderr.write(`resilint: ${path.relative(process.cwd(), result.filePath)}: ${notice}\n`);
    for (const e of result.ruleErrors) process.stderr.write(`resilint: rule ${e.ruleId} failed on ${path.relative(process.cwd(), e.filePath)}: ${e.message}\n`);
  }

  // Text as read, never a parse: files served from the cache must stay unparsed.
  const textOf = (filePath: string) => run.workspace.readText(filePath);
  if (command === 'baseline') {
    process.stdout.write(writeBaselineFor(run, targets, values.baseline, textOf));
    return 0;
  }
  const scoped = scopeResults(run, { paths: targets, pruneBaseline: values['prune-baseline'] === true, ...(values.baseline !== undefined ? { baselineFile: values.baseline } : {}), ...(changedLines ? { changedSince: { ref: changedSince!, lines: changedLines } } : {}) }, textOf);
  const report = format(formatName, { root: run.root, version: packageJson.version, rules: allRules, results: scoped.results, textOf, scope: scoped.counts });
  const findings = scoped.results.flatMap((r) => r.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (values.output) {
    const writeProblem = writeOutputFile(values.output, report);
    if (writeProblem) throw new UsageError(writeProblem);
    const { analysed, skippedTests } = fileCounts(run.results);
    const skipped = skippedTests > 0 ? [`${skippedTests} test file(s) skipped`] : [];
    process.stdout.write(`resilint: ${[`${findings.length} finding(s) (${errors} error(s), ${warnings} warning(s)) in ${analysed} file(s)`, ...skipped, ...scoped.summary].join('; ')}; report written to ${values.output}\n`);
  } else {
    process.stdout.write(report);
    // Machine-readable formats keep stdout clean; the summary goes to stderr for them.
    if (scoped.summary.length > 0) (formatName === 'text' ? process.stdout : process.stderr).write(`resilint: ${scoped.summary.join('; ')}\n`);
  }
  if (warnings > maxWarnings) process.stderr.write(`resilint: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
  const failures = run.results.reduce((sum, r) => sum + r.ruleErrors.length, 0);
  if (failures > 0) process.stderr.write(`resilint: ${failures} rule failure(s), so the analysis is incomplete; please report them at ${packageJson.bugs.url}\n`);
  return exitCode({ errors, warnings, maxWarnings, ruleFailures: failures });
}

if (!serveScanWorker(allRules, heapReclaimer)) {
  // A reader that stops early (`resilint check --format json | head`) closes the pipe: the
  // report was not wanted any further, which is no crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
