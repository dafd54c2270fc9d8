import * as fs from 'node:fs';

// A baseline records today's accepted findings by fingerprint (never by line number), so
// a team can adopt Resilint on an old code base and fail only on new problems.

export const BASELINE_FILE_NAME = 'resilint-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  message: string;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

export interface BaselineSplit<T> {
  /** Findings not in the baseline: these are reported. */
  fresh: T[];
  /** Findings the baseline accepts. */
  baselined: T[];
  /** Baseline entries that no longer match any finding: fixed since. */
  fixed: BaselineEntry[];
}

export function createBaseline(entries: BaselineEntry[]): Baseline {
  const findings = [...entries].sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: 1, findings };
}

export function readBaseline(file: string): Baseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot be read as JSON (${(error as Error).message})`);
  }
  const candidate = parsed as Partial<Baseline> | null;
  if (!candidate || candidate.version !== 1 || !Array.isArray(candidate.findings) || !candidate.findings.every(isEntry)) {
    throw new Error(`${file}: not a Resilint baseline (version 1)`);
  }
  return candidate as Baseline;
}

export function writeBaseline(file: string, baseline: Baseline): void {
  fs.writeFileSync(file, JSON.stringify(baseline, null, 2) + '\n');
}

/** Splits findings by fingerprint; each baseline entry accepts one finding. */
export function splitByBaseline<T>(items: readonly T[], fingerprintOf: (item: T) => string, baseline: Baseline): BaselineSplit<T> {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.findings) remaining.set(entry.fingerprint, [...(remaining.get(entry.fingerprint) ?? []), entry]);
  const fresh: T[] = [];
  const baselined: T[] = [];
  for (const item of items) {
    const matches = remaining.get(fingerprintOf(item));
    if (matches && matches.length > 0) {
      matches.pop();
      baselined.push(item);
    } else {
      fresh.push(item);
    }
  }
  return { fresh, baselined, fixed: [...remaining.values()].flat() };
}

function isEntry(value: unknown): value is BaselineEntry {
  const entry = value as Partial<BaselineEntry> | null;
  return !!entry && typeof entry.fingerprint === 'string' && typeof entry.ruleId === 'string' && typeof entry.file === 'string' && typeof entry.message === 'string';
}
