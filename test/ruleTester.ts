import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { analyzeFile } from '../server/src/engine/analyzer';
import { ConfigResolver } from '../server/src/engine/config';
import { applyTextEdits, mergeFixes } from '../server/src/engine/edits';
import type { Finding, Fix } from '../server/src/engine/findings';
import { typedPackagesOf, type Rule } from '../server/src/engine/rule';
import { Workspace } from '../server/src/engine/workspace';
import { allRules } from '../server/src/rules';

// typescript-eslint's RuleTester, for Resilint: each case is written to a real temporary
// project (with the repo's node_modules linked, so imported libraries carry their real
// types), analysed with only the rule under test, and every fix output is type-checked
// with the real TypeScript compiler (the `typescript` package, as users' tsc would).

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface ValidCase {
  name?: string;
  code: string;
  /** Path of the analysed file inside the temporary project. Default: src/main.ts. */
  filename?: string;
  /** Other files of the project, by relative path. */
  files?: Record<string, string>;
  options?: Record<string, unknown>;
  /** Extra resilint.config.json content (merged), e.g. patternsDir. */
  config?: Record<string, unknown>;
  /** package.json of the temporary project (e.g. { type: 'module', dependencies }). */
  packageJson?: Record<string, unknown>;
  /** tsconfig compilerOptions merged over the strict defaults. */
  compilerOptions?: Record<string, unknown>;
}

export interface ExpectedError {
  messageId: string;
  line: number;
  /** Exact message, when the case wants to pin the wording. */
  message?: string;
  /** Relative paths of related locations, in order, when the case checks them. */
  relatedFiles?: string[];
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /**
   * The file after applying the preferred fix of every finding (as fix-all does);
   * null when no finding offers a fix. Omitted: fixes are not checked by this case.
   */
  output?: string | null;
  /** Files the fixes create (relative path → exact text or a pattern), when checked. */
  createdFiles?: Record<string, string | RegExp>;
  /** Title of a non-preferred fix to apply instead of the preferred ones. */
  fixTitle?: string | RegExp;
}

export interface RuleTests {
  valid: (string | ValidCase)[];
  invalid: InvalidCase[];
}

export function runRuleTests(rule: Rule<any>, tests: RuleTests): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      tests.valid.forEach((raw, index) => {
        const testCase = typeof raw === 'string' ? { code: raw } : raw;
        it(testCase.name ?? `valid #${index + 1}: ${firstLine(testCase.code)}`, () => {
          const { findings, project } = analyse(rule, testCase);
          try {
            assert.deepEqual(findings.map(describeFinding), [], 'expected no findings');
          } finally {
            project.dispose();
          }
        });
      });
    });
    describe('invalid', () => {
      tests.invalid.forEach((testCase, index) => {
        it(testCase.name ?? `invalid #${index + 1}: ${firstLine(testCase.code)}`, () => {
          const { findings, project } = analyse(rule, testCase);
          try {
            assert.deepEqual(
              findings.map((f) => ({ messageId: f.messageId, line: f.range.start.line + 1 })),
              testCase.errors.map((e) => ({ messageId: e.messageId, line: e.line })),
              `findings differ:\n${findings.map(describeFinding).join('\n')}`,
            );
            testCase.errors.forEach((expected, i) => {
              const finding = findings[i]!;
              if (expected.message !== undefined) assert.equal(finding.message, expected.message);
              assert.ok(!/\{\{\s*\w+\s*\}\}/.test(finding.message), `unfilled placeholder in "${finding.message}"`);
              if (expected.relatedFiles) {
                assert.deepEqual(finding.related.map((r) => toPosix(path.relative(project.dir, r.filePath))), expected.relatedFiles);
              }
            });
            if (testCase.output !== undefined) checkFixes(project, testCase, findings);
          } finally {
            project.dispose();
          }
        });
      });
    });
  });
}

/** Findings of one rule on a snippet, for tests that are not valid/invalid tables (docs). */
export function findingsFor(rule: Rule<any>, testCase: ValidCase): Finding[] {
  const { findings, project } = analyse(rule, testCase);
  project.dispose();
  return findings;
}

interface TempProject {
  dir: string;
  mainFile: string;
  dispose(): void;
}

function analyse(rule: Rule<any>, testCase: ValidCase): { findings: Finding[]; project: TempProject } {
  const project = createProject(rule, testCase);
  // Type questions read what they read in the CLI and the editor: the packages the rules name.
  const workspace = new Workspace(project.dir, { typedPackages: typedPackagesOf(allRules) });
  const result = analyzeFile({ workspace, configs: new ConfigResolver(project.dir), rules: [rule] }, project.mainFile);
  assert.deepEqual(result.ruleErrors, [], 'the rule threw');
  assert.deepEqual(result.configProblems, [], 'configuration problems');
  return { findings: result.findings, project };
}

function createProject(rule: Rule<any>, testCase: ValidCase): TempProject {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-rule-')));
  const write = (relative: string, text: string) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  write('package.json', JSON.stringify({ name: 'case', private: true, ...testCase.packageJson }));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { ...strictOptions(), ...testCase.compilerOptions }, include: ['src'] }));
  write('resilint.config.json', JSON.stringify({ ...testCase.config, rules: { [rule.meta.id]: { severity: 'warning', options: testCase.options ?? {} } } }));
  for (const [relative, text] of Object.entries(testCase.files ?? {})) write(relative, text);
  const filename = testCase.filename ?? 'src/main.ts';
  write(filename, testCase.code);
  return { dir, mainFile: path.join(dir, filename), dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function strictOptions(): Record<string, unknown> {
  return {
    target: 'ES2022',
    module: 'commonjs',
    lib: ['ES2022', 'DOM'],
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    experimentalDecorators: true,
    noEmit: true,
    types: ['node'],
  };
}

function checkFixes(project: TempProject, testCase: InvalidCase, findings: Finding[]): void {
  const chosen = findings
    .map((f) => (testCase.fixTitle === undefined ? f.fixes.find((fix) => fix.isPreferred) : f.fixes.find((fix) => titleMatches(fix, testCase.fixTitle!))))
    .filter((fix): fix is Fix => fix !== undefined);
  if (testCase.output === null) {
    assert.equal(chosen.length, 0, `expected no fix, got: ${chosen.map((f) => f.title).join(', ')}`);
    return;
  }
  assert.ok(chosen.length > 0, 'expected a fix');
  const before = typeErrors(project.dir);
  const original = fs.readFileSync(project.mainFile, 'utf8');
  // Applied together, as fix-all applies them (identical import insertions taken once).
  const { edits, createFiles } = mergeFixes(chosen);
  for (const edit of edits) assert.equal(edit.filePath, project.mainFile, 'fixes of this case edit only the analysed file');
  const output = applyTextEdits(original, edits);
  assert.equal(output, testCase.output);
  fs.writeFileSync(project.mainFile, output);
  const created = new Map<string, string>();
  for (const creation of createFiles) {
    assert.ok(!fs.existsSync(creation.filePath), `fix would overwrite ${creation.filePath}`);
    created.set(creation.filePath, creation.text);
    fs.mkdirSync(path.dirname(creation.filePath), { recursive: true });
    fs.writeFileSync(creation.filePath, creation.text);
  }
  for (const [relative, expected] of Object.entries(testCase.createdFiles ?? {})) {
    const text = created.get(path.join(project.dir, relative));
    assert.ok(text !== undefined, `expected the fix to create ${relative}; it created ${[...created.keys()].join(', ') || 'nothing'}`);
    if (typeof expected === 'string') assert.equal(text, expected);
    else assert.match(text, expected);
  }
  const after = typeErrors(project.dir);
  const introduced = after.filter((e) => !before.includes(e));
  assert.deepEqual(introduced, [], 'the fix output must type-check');
}

function titleMatches(fix: Fix, title: string | RegExp): boolean {
  return typeof title === 'string' ? fix.title === title : title.test(fix.title);
}

/** Compiler diagnostics of the project, as "file: message" without positions (fixes move code). */
export function typeErrors(projectDir: string): string[] {
  const configPath = path.join(projectDir, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, projectDir);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host: cachingHost(parsed.options) });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(projectDir, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

// Library .d.ts files are parsed once per test run, not once per case.
const libCache = new Map<string, ts.SourceFile>();
function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const cacheable = fileName.includes(`${path.sep}node_modules${path.sep}`) || fileName.endsWith(".d.ts");
    if (!cacheable) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (!fs.existsSync(fileName)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = fs.realpathSync(fileName);
    let cached = libCache.get(key);
    if (!cached) {
      cached = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (cached) libCache.set(key, cached);
    }
    return cached;
  };
  return host;
}

function describeFinding(f: Finding): string {
  return `${f.ruleId}/${f.messageId} line ${f.range.start.line + 1}: ${f.message}`;
}

function firstLine(code: string): string {
  return code.trim().split('\n')[0]!.slice(0, 60);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
