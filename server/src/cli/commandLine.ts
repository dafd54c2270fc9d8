import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile } from '../engine/config';

// Argument checks and output writing that `check`, `baseline` and `diagram` share. Each
// returns a one-line problem rather than throwing, so every command reports bad input
// the same way: one line on stderr and exit code 2.

/**
 * A non-negative whole number written in digits. `Number()` alone would take '' (an unset
 * CI variable) as 0, '0x10' as 16 and ESLint's '-1' ("no limit") as a limit nothing meets.
 */
export function wholeNumber(value: string | undefined, option: string): number | { problem: string } | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value) : { problem: `${option} takes a whole number of 0 or more, not '${value}'` };
}

/**
 * What is wrong with an explicit `--config` file, checked before the analysis so a CI
 * job with a broken configuration fails in a second rather than after analysing everything.
 */
export function explicitConfigProblem(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (!fs.existsSync(file)) return `config file not found: ${path.resolve(file)}`;
  const { problems } = loadConfigFile(file);
  return problems.length > 0 ? `configuration error: ${problems.join('\n')}` : undefined;
}

/** Writes a report or diagram to `--output`; returns why it could not. */
export function writeOutputFile(file: string, text: string): string | undefined {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
    return undefined;
  } catch (error) {
    return `cannot write ${path.resolve(file)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}
