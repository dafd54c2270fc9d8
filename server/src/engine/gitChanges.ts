import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Range } from './findings';

// `--changed-since <ref>`: which lines of which files changed since a git ref, counting
// committed, staged, unstaged and untracked changes. Whole-project analysis still runs
// (for cross-file facts); only reporting is narrowed.

/** Changed 0-based lines per absolute file path; 'all' for files git does not track yet. */
export type ChangedLines = ReadonlyMap<string, ReadonlySet<number> | 'all'>;

export class GitRefError extends Error {}

const SHALLOW_HINT = 'this is a shallow clone: fetch more history first (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)';

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  // core.quotePath=false keeps non-ASCII names readable; names with quotes or control
  // characters are still C-quoted and are unquoted below.
  const result = spawnSync('git', ['-c', 'core.quotePath=false', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: (result.stderr ?? '') + (result.error ? String(result.error) : '') };
}

/**
 * Changed lines since `ref` in the repository that holds `target` (a file or folder). Like
 * a pull request's diff, the comparison starts at the merge base of `ref` and HEAD, so
 * commits that landed on `ref` after this branch left it do not count as changes here.
 */
export function changedLinesSince(target: string, ref: string): ChangedLines {
  const dir = folderOf(path.resolve(target));
  const cdup = git(dir, ['rev-parse', '--show-cdup']);
  if (!cdup.ok) throw new GitRefError(`--changed-since needs a git repository; ${dir} is not inside one`);
  // Derived from `dir` rather than `--show-toplevel` so paths keep the spelling (symlinks
  // included) that the analysed files have.
  const top = path.resolve(dir, cdup.stdout.trim());
  const shallow = () => git(top, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true';
  if (!git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).ok) {
    throw new GitRefError(`git ref '${ref}' was not found${shallow() ? ` (${SHALLOW_HINT})` : ''}`);
  }
  const base = git(top, ['merge-base', ref, 'HEAD']);
  if (!base.ok) {
    throw new GitRefError(shallow() ? `'${ref}' and HEAD share no commit in this clone (${SHALLOW_HINT})` : `'${ref}' and HEAD have no common history`);
  }
  const diff = git(top, ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/', base.stdout.trim(), '--']);
  if (!diff.ok) throw new GitRefError(`git diff against '${ref}' failed: ${diff.stderr.trim()}`);
  const changed = parseUnifiedDiff(top, diff.stdout);
  const untracked = git(top, ['ls-files', '-z', '--others', '--exclude-standard']);
  for (const file of untracked.stdout.split('\0').filter(Boolean)) changed.set(path.resolve(top, file), 'all');
  return changed;
}

/** The folder to run git in; a missing path is reported by the analysis, so any folder will do. */
function folderOf(target: string): string {
  try {
    return fs.statSync(target).isFile() ? path.dirname(target) : target;
  } catch {
    return process.cwd();
  }
}

/** Lines added or modified on the new side of a `--unified=0` diff, per absolute path. */
export function parseUnifiedDiff(root: string, diff: string): Map<string, Set<number> | 'all'> {
  const changed = new Map<string, Set<number> | 'all'>();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = unquote(line.slice(4));
      current = undefined;
      if (target === '/dev/null') continue;
      current = new Set();
      changed.set(path.resolve(root, target.replace(/^b\//, '')), current);
    } else if (line.startsWith('@@') && current) {
      const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!match) continue;
      const start = Number(match[1]);
      const count = match[2] === undefined ? 1 : Number(match[2]);
      // A pure deletion (`+N,0`) removes lines after new line N. Deleting, say, the
      // `signal:` line of a request creates a finding on the statement around it, so
      // the lines either side of the gap count as changed.
      if (count === 0) [start - 1, start].forEach((l) => l >= 0 && current!.add(l));
      for (let i = 0; i < count; i++) current.add(start - 1 + i);
    }
  }
  return changed;
}

/** Whether any line of `range` in `filePath` changed. */
export function isChanged(changed: ChangedLines, filePath: string, range: Range): boolean {
  const lines = changed.get(path.resolve(filePath));
  if (lines === 'all') return true;
  if (!lines) return false;
  for (let line = range.start.line; line <= range.end.line; line++) if (lines.has(line)) return true;
  return false;
}

/** Git C-quotes paths holding quotes, backslashes or control characters: "b/a\"b.ts". */
function unquote(name: string): string {
  const trimmed = name.replace(/\t$/, '');
  if (!trimmed.startsWith('"') || !trimmed.endsWith('"')) return trimmed;
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  const bytes: number[] = [];
  const body = Array.from(trimmed.slice(1, -1));
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4).join(''), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
