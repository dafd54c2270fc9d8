import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Shared by the adoption tests: throwaway projects, the built CLI as a separate process
// (as CI runs it), and git with a fixed identity.

export const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function resilint(args: string[], cwd: string): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `check --format json` as data, failing loudly when the run did not produce a report. */
export function checkJson(args: string[], cwd: string): { report: { findings: { file: string; line: number; ruleId: string }[] }; stderr: string; code: number | null } {
  const result = resilint(['check', ...args, '--format', 'json'], cwd);
  if (result.code !== 0 && result.code !== 1) throw new Error(`resilint exited ${result.code}: ${result.stderr}`);
  return { report: JSON.parse(result.stdout), stderr: result.stderr, code: result.code };
}

export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=Test', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Temporary folders for one `describe`, removed after it. */
export function tempProjects(): { create(files: Record<string, string>): string; write(dir: string, files: Record<string, string>): void } {
  const created: string[] = [];
  after(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const write = (dir: string, files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
  };
  return {
    create(files) {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-adoption-')));
      created.push(dir);
      write(dir, files);
      return dir;
    },
    write,
  };
}

export const findingsAt = (report: { findings: { file: string; line: number }[] }) => report.findings.map((f) => `${f.file}:${f.line}`).sort();
