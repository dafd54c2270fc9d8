import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// `--changed-since <ref>`: which lines of which files changed since a git ref, counting
// committed, staged, unstaged and untracked changes. Whole-project analysis still runs
// (for cross-file facts); only reporting is narrowed.

export type ChangedLines = ReadonlyMap<string, ReadonlySet<number> | 'all'>;

export class GitRefError extends Error {}

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: (result.stderr ?? '') + (result.error ? String(result.error) : '') };
}

/** Changed lines (0-based) per absolute file path since `ref`. */
export function changedLinesSince(root: string, ref: string): ChangedLines {
  if (!git(root, ['rev-parse', '--show-toplevel']).ok) throw new GitRefError(`--changed-since needs a git repository; ${root} is not inside one`);
  if (!git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).ok) {
    const shallow = git(root, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true';
    throw new GitRefError(
      `git ref '${ref}' was not found${shallow ? ' (this is a shallow clone: fetch it first, e.g. `git fetch --depth=1 origin ' + ref + '`, or clone with fetch-depth: 0)' : ''}`,
    );
  }
  const changed = new Map<string, Set<number> | 'all'>();
  const diff = git(root, ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--relative', ref, '--', '.']);
  if (!diff.ok) throw new GitRefError(`git diff against '${ref}' failed: ${diff.stderr.trim()}`);
  let current: Set<number> | undefined;
  for (const line of diff.stdout.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4).trim();
      current = undefined;
      if (target === '/dev/null') continue;
      const file = path.resolve(root, target.replace(/^b\//, ''));
      current = new Set();
      changed.set(file, current);
    } else if (line.startsWith('@@') && current) {
      const match = /\+(\d+)(?:,(\d+))?/.exec(line);
      if (!match) continue;
      const start = Number(match[1]);
      const count = match[2] === undefined ? 1 : Number(match[2]);
      for (let i = 0; i < count; i++) current.add(start - 1 + i);
    }
  }
  const untracked = git(root, ['ls-files', '--others', '--exclude-standard', '--', '.']);
  for (const file of untracked.stdout.split('\n').filter(Boolean)) changed.set(path.resolve(root, file), 'all');
  return changed;
}

export function isChanged(changed: ChangedLines, filePath: string, line: number): boolean {
  const lines = changed.get(path.resolve(filePath));
  return lines === 'all' || (lines !== undefined && lines.has(line));
}
