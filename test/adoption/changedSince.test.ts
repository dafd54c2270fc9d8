import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isChanged, parseUnifiedDiff } from '../../server/src/engine/gitChanges';
import { checkJson, findingsAt, git, resilint, tempProjects } from './harness';

// `check --changed-since <ref>`: the whole project is analysed, only findings on lines
// changed since the ref are reported.

const fetchFn = (name: string) => `export async function ${name}(url: string) {\n  const res = await fetch(url);\n  return res.json();\n}\n`;

describe('check --changed-since', () => {
  const projects = tempProjects();

  function repository(files: Record<string, string>): string {
    const dir = projects.create(files);
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'base');
    return dir;
  }

  it('reports findings on committed, staged, unstaged and untracked changes only', () => {
    const dir = repository({ 'src/old.ts': fetchFn('old'), 'src/edited.ts': fetchFn('first'), 'src/staged.ts': 'export const x = 1;\n' });
    fs.writeFileSync(path.join(dir, 'src/edited.ts'), fetchFn('first') + fetchFn('second'));
    git(dir, 'add', 'src/edited.ts');
    git(dir, 'commit', '-q', '-m', 'second');
    fs.writeFileSync(path.join(dir, 'src/staged.ts'), fetchFn('staged'));
    git(dir, 'add', 'src/staged.ts');
    fs.writeFileSync(path.join(dir, 'src/edited.ts'), fetchFn('first') + fetchFn('second') + fetchFn('third'));
    fs.writeFileSync(path.join(dir, 'src/untracked.ts'), fetchFn('fresh'));

    const all = checkJson(['.'], dir).report;
    assert.equal(all.findings.length, 6);
    const base = git(dir, 'rev-list', '--max-parents=0', 'HEAD').trim();
    const { report, stderr } = checkJson(['.', '--changed-since', base], dir);
    assert.deepEqual(findingsAt(report), ['src/edited.ts:10', 'src/edited.ts:6', 'src/staged.ts:2', 'src/untracked.ts:2']);
    assert.match(stderr, new RegExp(`^resilint: 2 finding\\(s\\) on lines unchanged since ${base} not reported\\n$`));
    assert.deepEqual((report as unknown as { summary: unknown }).summary, { error: 0, warning: 4, info: 0, changedSince: { ref: base, notReported: 2 } });

    const sinceHead = checkJson(['.', '--changed-since', 'HEAD'], dir).report;
    assert.deepEqual(findingsAt(sinceHead), ['src/edited.ts:10', 'src/staged.ts:2', 'src/untracked.ts:2']);
  });

  it('counts a finding created by deleting lines, and compares from the merge base like a pull request', () => {
    const guarded = `export async function load(url: string) {\n  const res = await fetch(url, {\n    signal: AbortSignal.timeout(5000),\n  });\n  return res.json();\n}\n`;
    const dir = repository({ 'src/guarded.ts': guarded, 'src/shared.ts': fetchFn('shared') });
    git(dir, 'checkout', '-q', '-b', 'feature');
    fs.writeFileSync(path.join(dir, 'src/guarded.ts'), guarded.replace('    signal: AbortSignal.timeout(5000),\n', ''));
    git(dir, 'commit', '-q', '-am', 'drop the timeout');
    // Meanwhile main fixes shared.ts; the branch still has the old line, which it never touched.
    git(dir, 'checkout', '-q', 'main');
    fs.writeFileSync(path.join(dir, 'src/shared.ts'), fetchFn('shared').replace('fetch(url)', 'fetch(url, { signal: AbortSignal.timeout(1000) })'));
    git(dir, 'commit', '-q', '-am', 'fix shared');
    git(dir, 'checkout', '-q', 'feature');

    const { report } = checkJson(['.', '--changed-since', 'main'], dir);
    assert.deepEqual(findingsAt(report), ['src/guarded.ts:2']);
  });

  it('works on a sub-folder, run from a sub-folder of the repository', () => {
    const dir = repository({ 'api/src/a.ts': 'export const a = 1;\n', 'web/b.ts': 'export const b = 1;\n' });
    fs.writeFileSync(path.join(dir, 'api/src/a.ts'), fetchFn('a'));
    fs.writeFileSync(path.join(dir, 'web/b.ts'), fetchFn('b'));
    const { report } = checkJson(['src', '--changed-since', 'HEAD'], path.join(dir, 'api'));
    assert.deepEqual(findingsAt(report), ['a.ts:2']);
  });

  it('exits 2 with one line for a missing ref or a folder outside git', () => {
    const dir = repository({ 'src/a.ts': fetchFn('a') });
    const missing = resilint(['check', '.', '--changed-since', 'origin/nope'], dir);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, "resilint: git ref 'origin/nope' was not found\n");
    assert.equal(missing.stdout, '');

    const outside = projects.create({ 'src/a.ts': fetchFn('a') });
    const notGit = resilint(['check', '.', '--changed-since', 'main'], outside);
    assert.equal(notGit.code, 2);
    assert.match(notGit.stderr, /^resilint: --changed-since needs a git repository; .* is not inside one\n$/);
  });

  it('explains a shallow clone when the ref is missing from it', () => {
    const origin = repository({ 'src/a.ts': 'export const a = 1;\n' });
    fs.writeFileSync(path.join(origin, 'src/a.ts'), fetchFn('a'));
    git(origin, 'commit', '-q', '-am', 'second');
    const parent = projects.create({});
    git(parent, 'clone', '-q', '--depth', '1', `file://${origin}`, 'clone');
    const clone = path.join(parent, 'clone');

    const result = resilint(['check', '.', '--changed-since', 'HEAD~1'], clone);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^resilint: git ref 'HEAD~1' was not found \(this is a shallow clone: fetch more history first \(`git fetch --unshallow`, or `fetch-depth: 0` in actions\/checkout\)\)\n$/);
    // With the history fetched, the same command works.
    git(clone, 'fetch', '-q', '--unshallow');
    assert.deepEqual(findingsAt(checkJson(['.', '--changed-since', 'HEAD~1'], clone).report), ['src/a.ts:2']);
  });

  it('reads git diffs: quoted names, several hunks, pure deletions, deleted files', () => {
    const diff = [
      'diff --git "a/src/a\\"b.ts" "b/src/a\\"b.ts"',
      '--- "a/src/a\\"b.ts"',
      '+++ "b/src/a\\"b.ts"',
      '@@ -3 +3 @@ x',
      '@@ -10,2 +11,3 @@',
      '@@ -20,4 +21,0 @@',
      'diff --git a/src/caf\\303\\251.ts b/src/caf\\303\\251.ts',
      '--- "a/src/caf\\303\\251.ts"',
      '+++ "b/src/caf\\303\\251.ts"',
      '@@ -0,0 +1 @@',
      '--- a/src/gone.ts',
      '+++ /dev/null',
      '@@ -1,5 +0,0 @@',
    ].join('\n');
    const changed = parseUnifiedDiff('/repo', diff);
    assert.deepEqual([...changed.keys()], ['/repo/src/a"b.ts', '/repo/src/café.ts']);
    assert.deepEqual([...(changed.get('/repo/src/a"b.ts') as Set<number>)].sort((a, b) => a - b), [2, 10, 11, 12, 20, 21]);
    const at = (line: number, endLine = line) => ({ start: { line, character: 0 }, end: { line: endLine, character: 1 } });
    assert.equal(isChanged(changed, '/repo/src/a"b.ts', at(13)), false);
    assert.equal(isChanged(changed, '/repo/src/a"b.ts', at(8, 10)), true, 'a multi-line finding counts when any of its lines changed');
    assert.equal(isChanged(changed, '/repo/src/café.ts', at(0)), true);
    assert.equal(isChanged(changed, '/repo/src/other.ts', at(0)), false);
  });
});
