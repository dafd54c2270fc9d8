import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../../../package.json';
import { MissingPathError, runAnalysis } from '../engine/runner';
import { allRules } from '../rules';
import { format, FORMATS, type Format } from './formatters';

// `resilint check`: the same engine as the editor, for CI. Exit codes: 0 clean,
// 1 findings reached the failing threshold, 2 usage or configuration error.

const USAGE = `Usage: resilint check [paths...] [options]

Options:
  --format text|json|sarif   output format (default: text)
  --output FILE              write the report to FILE and print a summary
  --config FILE              use this resilint.config.json instead of discovering one
  --max-warnings N           fail when there are more than N warnings (default: no limit)
  -h, --help                 show this help
  -v, --version              print the version`;

class UsageError extends Error {}

export function main(argv: string[]): number {
  try {
    return run(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof MissingPathError) {
      process.stderr.write(`resilint: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`resilint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}

function run(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        config: { type: 'string' },
        'max-warnings': { type: 'string' },
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
  if (command !== 'check') throw new UsageError(command ? `unknown command '${command}'\n${USAGE}` : USAGE);
  const formatName = values.format as Format;
  if (!FORMATS.includes(formatName)) throw new UsageError(`unknown format '${values.format}' (expected ${FORMATS.join(', ')})`);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new UsageError(`--max-warnings takes a whole number`);
  if (values.config && !fs.existsSync(values.config)) throw new UsageError(`config file not found: ${path.resolve(values.config)}`);

  const run = runAnalysis({ paths: paths.length > 0 ? paths : ['.'], rules: allRules, ...(values.config ? { configFile: values.config } : {}) });
  const configProblems = [...new Set(run.results.flatMap((r) => r.configProblems))];
  if (configProblems.length > 0) throw new UsageError(`configuration error: ${configProblems.join('\n')}`);
  for (const result of run.results) {
    for (const notice of result.notices) process.stderr.write(`resilint: ${path.relative(process.cwd(), result.filePath)}: ${notice}\n`);
    for (const e of result.ruleErrors) process.stderr.write(`resilint: rule ${e.ruleId} failed on ${path.relative(process.cwd(), e.filePath)}: ${e.message}\n`);
  }

  const report = format(formatName, {
    root: run.root,
    version: packageJson.version,
    rules: allRules,
    results: run.results,
    textOf: (filePath) => run.workspace.getSourceFile(filePath)?.text,
  });
  const findings = run.results.flatMap((r) => r.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (values.output) {
    fs.mkdirSync(path.dirname(path.resolve(values.output)), { recursive: true });
    fs.writeFileSync(values.output, report);
    process.stdout.write(`resilint: ${findings.length} finding(s) (${errors} error(s), ${warnings} warning(s)) in ${run.results.length} file(s); report written to ${values.output}\n`);
  } else {
    process.stdout.write(report);
  }
  if (warnings > maxWarnings) process.stderr.write(`resilint: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
