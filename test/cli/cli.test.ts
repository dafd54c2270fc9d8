import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import type * as Sarif from 'sarif';

// The CLI as users and CI run it: a separate process, judged by exit code and output.

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const SHOP = path.join(REPO, 'test', 'fixtures', 'shop');

function resilint(args: string[], cwd = REPO) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempProject(files: Record<string, string | Buffer>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-cli-')));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const FETCH = `export const load = (url: string) => fetch(url);\n`;

describe('resilint CLI', () => {
  const temps: string[] = [];
  const project = (files: Record<string, string | Buffer>) => {
    const dir = tempProject(files);
    temps.push(dir);
    return dir;
  };
  after(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('prints ESLint-style lines with the rule id and exits 0 when only warnings are found', () => {
    const dir = project({ 'src/a.ts': FETCH, 'src/ok.ts': 'export const x = 1;\n' });
    const { code, stdout } = resilint(['check', dir]);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0]!, /^src\/a\.ts:1:38 {2}warning {2}fetch\(\) has no timeout: .+ {2}missing-timeout$/);
    assert.match(lines.at(-1)!, /^1 problem \(0 errors, 1 warning, 0 info\) in 2 files\.$/);
  });

  it('exits 0 and says so on clean code', () => {
    const dir = project({ 'src/ok.ts': 'export const x = 1;\n' });
    const { code, stdout } = resilint(['check', dir]);
    assert.equal(code, 0);
    assert.equal(stdout, 'No problems found in 1 file.\n');
  });

  it('exits 1 on error-severity findings and when warnings exceed --max-warnings', () => {
    const errors = project({ 'src/a.ts': FETCH, 'resilint.config.json': JSON.stringify({ rules: { 'missing-timeout': 'error' } }) });
    const asError = resilint(['check', errors]);
    assert.equal(asError.code, 1);
    assert.match(asError.stdout, /error {2}fetch\(\)/);
    const warnings = project({ 'src/a.ts': FETCH });
    assert.equal(resilint(['check', warnings, '--max-warnings', '0']).code, 1);
    assert.equal(resilint(['check', warnings, '--max-warnings', '1']).code, 0);
  });

  it('reads the "resilint" key of package.json and honours off and exclude', () => {
    const dir = project({
      'package.json': JSON.stringify({ name: 'x', resilint: { rules: { 'missing-timeout': 'off' } } }),
      'src/a.ts': FETCH,
    });
    assert.match(resilint(['check', dir]).stdout, /^No problems found/);
    const excluded = project({ 'resilint.config.json': JSON.stringify({ exclude: ['src/generated/**'] }), 'src/generated/a.ts': FETCH, 'src/b.ts': FETCH });
    const out = resilint(['check', excluded, '--format', 'json']);
    assert.deepEqual(JSON.parse(out.stdout).findings.map((f: { file: string }) => f.file), ['src/b.ts']);
  });

  it('exits 2 with a one-line message for a missing path, a broken config, and bad usage', () => {
    const missing = resilint(['check', path.join(os.tmpdir(), 'does-not-exist-resilint')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^resilint: path not found: .*does-not-exist-resilint\n$/);

    const broken = project({ 'resilint.config.json': '{ "rules": { "missing-timeout": "loud" } ', 'src/a.ts': FETCH });
    const invalidJson = resilint(['check', broken]);
    assert.equal(invalidJson.code, 2);
    assert.match(invalidJson.stderr, /resilint\.config\.json: invalid JSON/);

    const wrong = project({ 'resilint.config.json': JSON.stringify({ rules: { 'missing-timeout': 'loud' }, colour: 1 }), 'src/a.ts': FETCH });
    const invalid = resilint(['check', wrong]);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /resilint\.config\.json: .*must be equal to one of the allowed values/);
    assert.match(invalid.stderr, /must NOT have additional properties 'colour'/);

    const typo = project({ 'resilint.config.json': JSON.stringify({ rules: { 'missing-timeout': { options: { checkTest: true, timeoutMs: '5000' } } } }), 'src/a.ts': FETCH });
    const options = resilint(['check', typo]);
    assert.equal(options.code, 2, 'a misspelt or mistyped option fails the run instead of being ignored');
    assert.equal(
      options.stderr.trim().split('\n').at(-1),
      `resilint: configuration error: ${path.join(typo, 'resilint.config.json')}: /rules/missing-timeout/options must NOT have additional properties 'checkTest'; /rules/missing-timeout/options/timeoutMs must be integer; using defaults`,
    );
    const pattern = project({ 'resilint.config.json': JSON.stringify({ rules: { 'n-plus-one-query': { options: { ignorePaths: ['(migrations'] } } } }), 'src/a.ts': FETCH });
    const badPattern = resilint(['check', pattern]);
    assert.equal(badPattern.code, 2);
    assert.match(badPattern.stderr, /\/rules\/n-plus-one-query\/options\/ignorePaths\/0 must match format "regex"/);
    assert.doesNotMatch(badPattern.stderr, /rule n-plus-one-query failed/, 'a configuration error, not a rule failure in every file');

    assert.equal(resilint(['check', SHOP, '--format', 'xml']).code, 2);
    assert.equal(resilint(['lint']).code, 2);
    assert.equal(resilint(['check', SHOP, '--config', '/nonexistent/resilint.config.json']).code, 2);

    const baselineWithCheckOptions = resilint(['baseline', SHOP, '--format', 'json', '--max-warnings', '0']);
    assert.equal(baselineWithCheckOptions.code, 2);
    assert.equal(baselineWithCheckOptions.stderr, 'resilint: --format, --max-warnings apply to check, not baseline\n');
  });

  it('honours disable comments with or without a reason, and reports those without one under requireSuppressionReason', () => {
    const code = [
      '// resilint-disable-next-line missing-timeout',
      'export const a = (u: string) => fetch(u);',
      '// resilint-disable-next-line missing-timeout -- TODO: explain why this is safe',
      'export const b = (u: string) => fetch(u);',
      '// resilint-disable-next-line missing-timeout -- long-poll, cancelled by the caller',
      'export const c = (u: string) => fetch(u);',
      '/* resilint-disable-next-line missing-timeout -- */',
      'export const d = (u: string) => fetch(u);',
      '',
    ].join('\n');
    const dir = project({ 'src/a.ts': code });
    assert.match(resilint(['check', dir]).stdout, /^No problems found/);
    fs.writeFileSync(path.join(dir, 'resilint.config.json'), JSON.stringify({ requireSuppressionReason: 'error' }));
    const required = resilint(['check', dir, '--format', 'json']);
    assert.equal(required.code, 1, required.stderr);
    const findings = JSON.parse(required.stdout).findings as { ruleId: string; line: number; severity: string; message: string }[];
    assert.deepEqual(findings.map((f) => `${f.ruleId}:${f.line}:${f.severity}`), ['suppression-reason:1:error', 'suppression-reason:3:error', 'suppression-reason:7:error']);
    assert.match(findings[0]!.message, /gives no reason/);
    assert.match(findings[1]!.message, /placeholder reason/);
    fs.writeFileSync(path.join(dir, 'resilint.config.json'), JSON.stringify({ requireSuppressionReason: 'loud' }));
    assert.match(resilint(['check', dir]).stderr, /requireSuppressionReason must be equal to one of the allowed values/);
  });

  it('exits 2 with one line for numbers that are not whole, an unwritable --output, and paths with nothing to analyse', () => {
    const dir = project({ 'src/a.ts': FETCH, 'docs/README.md': '# docs\n', 'taken/.keep': '' });
    for (const value of ['', '-1', '0x10', '1.5']) {
      const result = resilint(['check', dir, `--max-warnings=${value}`]);
      assert.equal(result.code, 2, `--max-warnings=${value}`);
      assert.equal(result.stderr, `resilint: --max-warnings takes a whole number of 0 or more, not '${value}'\n`);
    }
    assert.equal(resilint(['check', dir, '--max-warnings', '1']).code, 0);

    const unwritable = resilint(['check', dir, '--output', path.join(dir, 'taken')]);
    assert.equal(unwritable.code, 2);
    assert.equal(unwritable.stderr, `resilint: cannot write ${path.join(dir, 'taken')} (EISDIR)\n`);

    const nothing = resilint(['check', path.join(dir, 'src'), path.join(dir, 'docs')]);
    assert.equal(nothing.code, 2);
    assert.equal(nothing.stderr, `resilint: no TypeScript files (.ts, .tsx, .mts, .cts) to analyse in ${path.join(dir, 'docs')}\n`);
    assert.equal(resilint(['check', path.join(dir, 'docs', 'README.md')]).code, 2, 'a file that is not TypeScript');
    assert.equal(resilint(['baseline', path.join(dir, 'docs')]).code, 2);
    assert.equal(fs.existsSync(path.join(dir, 'resilint-baseline.json')), false);

    const diagramDepth = resilint(['diagram', dir, '--depth=']);
    assert.equal(diagramDepth.code, 2);
    assert.match(diagramDepth.stderr, /--depth takes a whole number/);
    const diagramOutput = resilint(['diagram', dir, '--output', path.join(dir, 'taken')]);
    assert.equal(diagramOutput.code, 2);
    assert.equal(diagramOutput.stderr, `resilint: cannot write ${path.join(dir, 'taken')} (EISDIR)\n`);
  });

  it('rejects a broken --config before analysing anything, in check and diagram alike', () => {
    const dir = project({ 'src/a.ts': FETCH, 'broken.json': JSON.stringify({ rules: { 'missing-timeout': 'loud' } }) });
    const check = resilint(['check', '.', '--config', 'broken.json', '--cache'], dir);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /^resilint: configuration error: .*broken\.json: \/rules\/missing-timeout must be equal to one of the allowed values/);
    assert.equal(fs.existsSync(path.join(dir, '.resilintcache')), false, 'no analysis ran, so no cache was written');
    const diagram = resilint(['diagram', '.', '--config', 'broken.json'], dir);
    assert.equal(diagram.code, 2, 'the map does not silently fall back to the default configuration');
    assert.match(diagram.stderr, /configuration error: .*broken\.json/);
  });

  it('analyses a file given alone with the tsconfig above it, as a pre-commit hook passes files', () => {
    const dir = project({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, baseUrl: '.', paths: { '@stock/*': ['src/stock/*'] } }, include: ['src'] }),
      'src/stock/client.ts': `export async function getStock(sku: string) {\n  return fetch('https://stock.example/' + sku, { signal: AbortSignal.timeout(2000) });\n}\n`,
      'src/orders/check.ts': `import { getStock } from '@stock/client';\nexport async function check(skus: string[]) {\n  for (const sku of skus) await getStock(sku);\n}\n`,
    });
    const alone = resilint(['check', path.join(dir, 'src', 'orders', 'check.ts'), '--format', 'json']);
    const whole = resilint(['check', dir, '--format', 'json']);
    const rules = (run: { stdout: string }) => (JSON.parse(run.stdout) as { findings: { ruleId: string; file: string }[] }).findings.map((f) => `${f.ruleId} ${path.basename(f.file)}`);
    assert.deepEqual(rules(whole), ['n-plus-one-query check.ts'], 'the alias resolves to a client that performs I/O');
    assert.deepEqual(rules(alone), rules(whole));
  });

  it('skips tests inside the folders it is given, judges files given alone from their repository, and checks tests on request', () => {
    const tsconfig = JSON.stringify({ compilerOptions: { strict: true }, include: ['src', 'test'] });
    const dir = project({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'packages/api/tsconfig.json': tsconfig,
      'packages/api/src/a.ts': FETCH,
      'packages/api/test/helper.ts': FETCH,
      'packages/api/src/a.spec.ts': FETCH,
      'packages/test-harness/tsconfig.json': tsconfig,
      'packages/test-harness/src/server.ts': FETCH,
      'test/shop/src/b.ts': FETCH,
    });
    const files = (...args: string[]) => {
      const run = resilint(['check', ...args, '--format', 'json'], dir);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file).sort();
    };
    assert.deepEqual(files('packages'), ['api/src/a.ts']);
    assert.deepEqual(files('packages/test-harness'), ['src/server.ts'], 'a folder given is not judged by its own name');
    assert.deepEqual(files('test/shop'), ['src/b.ts'], 'nor by the folders above it');
    assert.deepEqual(files('packages/api/test/helper.ts'), [], 'a file given alone is judged from the repository, as a whole run judges it');
    assert.deepEqual(files('packages/test-harness/src/server.ts', 'packages/api/src/a.spec.ts'), []);
    fs.writeFileSync(path.join(dir, 'packages', 'resilint.config.json'), JSON.stringify({ rules: { 'missing-timeout': { options: { checkTests: true } } } }));
    assert.deepEqual(files('packages'), ['api/src/a.spec.ts', 'api/src/a.ts', 'api/test/helper.ts', 'test-harness/src/server.ts']);
  });

  it('says so when a tsconfig.json does not parse, and still analyses its files with default options', () => {
    const dir = project({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, }\n  "include": [ "src" ', 'src/a.ts': FETCH });
    const { code, stdout, stderr } = resilint(['check', dir]);
    assert.equal(code, 0);
    assert.match(stderr, /^resilint: warning: .*tsconfig\.json cannot be read \(.+\): its files are analysed with default compiler options$/m);
    assert.match(stdout, /src\/a\.ts:1:38 {2}warning {2}fetch\(\) has no timeout/);
  });

  it('warns about a missing extends and an unknown compiler option, and not about a tsconfig that only references others', () => {
    const dir = project({
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './app' }] }),
      'app/tsconfig.json': JSON.stringify({ extends: './missing-base.json', compilerOptions: { strict: true, notAnOption: true }, include: ['src'] }),
      'app/src/a.ts': FETCH,
    });
    const { code, stdout, stderr } = resilint(['check', dir]);
    assert.equal(code, 0);
    const warnings = stderr.split('\n').filter((line) => line.startsWith('resilint: warning:'));
    assert.equal(warnings.length, 2, stderr);
    assert.match(warnings.join('\n'), /app\/tsconfig\.json: .*missing-base\.json/);
    assert.match(warnings.join('\n'), /app\/tsconfig\.json: .*notAnOption/);
    assert.match(stdout, /src\/a\.ts:1:38 {2}warning {2}fetch\(\) has no timeout/);
  });

  it('writes SARIF 2.1.0 that validates against the official schema', () => {
    const { code, stdout } = resilint(['check', SHOP, '--format', 'sarif']);
    assert.equal(code, 0);
    const sarif = JSON.parse(stdout) as Sarif.Log;
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    const run = sarif.runs[0]!;
    assert.ok(run.tool.driver.rules?.every((r) => r.helpUri?.startsWith('https://')));
    const result = run.results?.find((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === 'src/clients/inventoryClient.ts');
    assert.ok(result, 'a result for the inventory client, with a path relative to the analysed folder');
    assert.equal(result.ruleId, 'missing-timeout');
    assert.equal(result.level, 'warning');
    assert.equal(result.locations?.[0]?.physicalLocation?.region?.startLine, 11);
    assert.match(result.partialFingerprints?.['resilint/v1'] ?? '', /^[0-9a-f]{32}$/);
  });

  it('keeps fingerprints stable when unrelated lines are inserted above', () => {
    const dir = project({ 'src/a.ts': FETCH });
    const before = JSON.parse(resilint(['check', dir, '--format', 'json']).stdout).findings[0].fingerprint;
    fs.writeFileSync(path.join(dir, 'src/a.ts'), `// a comment\nexport const unrelated = 1;\n\n${FETCH}`);
    const after = JSON.parse(resilint(['check', dir, '--format', 'json']).stdout).findings[0];
    assert.equal(after.line, 4);
    assert.equal(after.fingerprint, before);
  });

  it('stops quietly when the reader of its output closes the pipe early', () => {
    const dir = project(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`src/f${i}.ts`, FETCH])));
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" check . --format json | head -c 100 > /dev/null`], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(piped.status, 0);
    assert.equal(piped.stderr, '', 'no EPIPE stack trace');
  });

  it('writes the report to --output and prints a summary', () => {
    const dir = project({ 'src/a.ts': FETCH });
    const output = path.join(dir, 'out', 'report.sarif');
    const { code, stdout } = resilint(['check', dir, '--format', 'sarif', '--output', output]);
    assert.equal(code, 0);
    assert.match(stdout, /1 finding\(s\) .* report written to/);
    assert.equal(JSON.parse(fs.readFileSync(output, 'utf8')).version, '2.1.0');
  });

  it('survives syntax errors, empty, 5 MB generated, binary and non-UTF-8 files', () => {
    const big = Array.from({ length: 110_000 }, (_, i) => `export const v${i} = { id: ${i}, name: 'item-${i}' };`).join('\n');
    assert.ok(big.length > 5_000_000);
    const dir = project({
      'src/broken.ts': 'export const f = (url: string) => fetch(url);\nexport function broken( {\n  const = ;\n',
      'src/empty.ts': '',
      'src/big.ts': big + `\nexport const f = (u: string) => fetch(u);\n`,
      'src/binary.ts': Buffer.from([0x00, 0x01, 0x02, 0xff]),
      'src/latin1.ts': Buffer.from('// caf\xe9\nexport const f = (u: string) => fetch(u);\n', 'latin1'),
      'src/bom.ts': '\ufeff' + FETCH,
    });
    const { code, stdout, stderr } = resilint(['check', dir, '--format', 'json']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`).sort(), [
      'src/big.ts:110001', 'src/bom.ts:1', 'src/broken.ts:1', 'src/latin1.ts:2',
    ]);
    assert.match(stderr, /src\/binary\.ts: skipped: the file looks binary/);
    assert.deepEqual(report.ruleErrors, []);
  });

  it('annotates pull requests with GitHub workflow commands, escaping what GitHub would misread', () => {
    const dir = project({ 'src/a,b.ts': FETCH, 'resilint.config.json': JSON.stringify({ rules: { 'missing-timeout': 'error' } }) });
    const { code, stdout } = resilint(['check', dir, '--format', 'github']);
    assert.equal(code, 1);
    assert.equal(stdout, '::error file=src/a%2Cb.ts,line=1,endLine=1,col=38,endColumn=43,title=resilint(missing-timeout)::fetch() has no timeout: if the server stops responding, this call waits forever.\n');
  });

  it('writes JUnit XML with a test case per file and a failure per finding', () => {
    const dir = project({ 'src/a.ts': FETCH, 'src/<b>.ts': 'export const ok = 1;\n' });
    const { stdout } = resilint(['check', dir, '--format', 'junit']);
    assert.match(stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="resilint" tests="2" failures="1">/);
    assert.match(stdout, /<testcase classname="resilint" name="src\/&lt;b&gt;\.ts"><\/testcase>/);
    assert.match(stdout, /<testcase classname="resilint" name="src\/a\.ts">\n {6}<failure type="missing-timeout" message="fetch\(\) has no timeout: [^"]+">src\/a\.ts:1:38 warning /);
  });

  it('prints its version and help', () => {
    assert.match(resilint(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
    const help = resilint(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: resilint check/);
  });
});
