import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultBaselineFile, entriesOfResults, findBaselineFile, readBaseline, replaceEntries, runScope, writeBaseline } from '../engine/baseline';
import type { RunResult } from '../engine/runner';
import { displayPath } from './reporting';

// `resilint baseline [paths]`: accept today's findings so `check` fails only on new ones.
// Entries of files outside the analysed paths are kept, so baselining one package of a
// monorepo does not forget the others.

/** Writes the baseline and returns the line to print. */
export function writeBaselineFor(run: RunResult, paths: readonly string[], explicitFile: string | undefined, textOf: (filePath: string) => string | undefined): string {
  const file = explicitFile !== undefined ? path.resolve(explicitFile) : (findBaselineFile(run.root) ?? defaultBaselineFile(run.root));
  // A broken existing baseline is an error, not something to overwrite: it may hold
  // entries for files this run did not analyse.
  const existing = fs.existsSync(file) ? readBaseline(file) : undefined;
  const { entries, analysedFiles } = entriesOfResults(run.results, path.dirname(file), textOf);
  writeBaseline(file, replaceEntries(existing, entries, runScope(analysedFiles, path.dirname(file), paths)));
  const files = new Set(entries.map((entry) => entry.file)).size;
  return `resilint: ${entries.length} finding(s) in ${files} file(s) written to the baseline ${displayPath(file)}\n`;
}
