import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { AnalysisCache, cacheKeys, type CacheIdentity } from '../../server/src/engine/analysisCache';
import { callIo } from '../../server/src/rules/shared/ioSummaries';
import type { Rule } from '../../server/src/engine/rule';
import { runAnalysis } from '../../server/src/engine/runner';
import { checkJson, resilint, tempProjects } from './harness';

// `--cache`: unchanged files are not analysed again, and nothing that could change a
// file's results (its imports' contents, configuration, Resilint's build) is trusted.

/** A rule that depends on another file's I/O summary: calls of project functions that perform I/O. */
const callsIo: Rule<Record<string, unknown>> = {
  meta: { id: 'calls-io', description: 'test rule', docsUrl: 'https://example.com', messages: { io: 'calls {{name}}, which performs I/O' }, defaultSeverity: 'warning', requiresTypes: false, defaultOptions: {} },
  create(context) {
    return {
      [ts.SyntaxKind.CallExpression](node) {
        const witness = callIo(context.facts, context.sourceFile, node as ts.CallExpression, 'sequential');
        if (witness?.callee) context.report({ node, messageId: 'io', data: { name: witness.callee.name } });
      },
    };
  },
};

/** A rule that needs types: calls whose result the checker types as `string`. */
const stringCalls: Rule<Record<string, unknown>> = {
  meta: { id: 'string-calls', description: 'test rule', docsUrl: 'https://example.com', messages: { text: 'returns a string' }, defaultSeverity: 'warning', requiresTypes: true, defaultOptions: {} },
  create(context) {
    return {
      [ts.SyntaxKind.CallExpression](node) {
        const checker = context.getTypeChecker();
        if (checker && checker.getTypeAtLocation(node).flags & ts.TypeFlags.String) context.report({ node, messageId: 'text' });
      },
    };
  },
};

const TSCONFIG = JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true }, include: ['src'] });
const SERVICE = `export async function loadUser(id: string) {\n  return { id };\n}\n`;
const SERVICE_WITH_IO = `export async function loadUser(id: string) {\n  const res = await fetch('https://users.internal/' + id);\n  return res.json();\n}\n`;
const RESOLVER = `import { loadUser } from './service';\n\nexport async function user(id: string) {\n  return loadUser(id);\n}\n`;
const FETCH = `export const load = (url: string) => fetch(url);\n`;
const IDENTITY: CacheIdentity = { version: 'test', settings: 'rules:calls-io' };

const reuseLine = (stderr: string) => /resilint: cache: (.*)\n/.exec(stderr)?.[1];

describe('analysis cache', () => {
  const projects = tempProjects();

  it('re-analyses a file whose import changed its I/O summary, and reuses the rest', async () => {
    const dir = projects.create({ 'tsconfig.json': TSCONFIG, 'src/service.ts': SERVICE, 'src/resolver.ts': RESOLVER, 'src/other.ts': 'export const other = 1;\n' });
    const cacheFile = path.join(dir, '.cache', 'analysis.json');
    const run = async () => {
      const cache = AnalysisCache.open(cacheFile, IDENTITY);
      const result = await runAnalysis({ paths: [dir], rules: [callsIo], cache });
      cache.save();
      return { stats: { ...cache.stats }, findings: result.results.flatMap((r) => r.findings.map((f) => `${path.relative(dir, f.filePath)}:${f.range.start.line + 1} ${f.message}`)), results: result.results };
    };
    const first = await run();
    assert.deepEqual(first.stats, { hits: 0, misses: 3 });
    assert.deepEqual(first.findings, []);
    const second = await run();
    assert.deepEqual(second.stats, { hits: 3, misses: 0 });
    assert.deepEqual(second.results, first.results);

    fs.writeFileSync(path.join(dir, 'src/service.ts'), SERVICE_WITH_IO);
    const third = await run();
    assert.deepEqual(third.stats, { hits: 1, misses: 2 }, 'service.ts changed; resolver.ts imports it; other.ts is reused');
    assert.deepEqual(third.findings, ['src/resolver.ts:4 calls loadUser, which performs I/O']);
    const uncached = (await runAnalysis({ paths: [dir], rules: [callsIo] })).results;
    assert.deepEqual(third.results, uncached);
  });

  it('reuses every file on a second CLI run, with the same report', () => {
    const dir = projects.create({ 'src/a.ts': FETCH, 'src/b.ts': 'export const b = 1;\n' });
    const first = checkJson(['.', '--cache'], dir);
    assert.equal(reuseLine(first.stderr), '0 of 2 file(s) reused, 2 analysed (.resilintcache)');
    assert.ok(fs.existsSync(path.join(dir, '.resilintcache')));
    const second = checkJson(['.', '--cache'], dir);
    assert.equal(reuseLine(second.stderr), '2 of 2 file(s) reused, 0 analysed (.resilintcache)');
    assert.deepEqual(second.report, first.report);
  });

  it('re-analyses importers of a changed file and keeps --cache-location where it is told', () => {
    const dir = projects.create({ 'tsconfig.json': TSCONFIG, 'src/service.ts': SERVICE, 'src/resolver.ts': RESOLVER, 'src/other.ts': FETCH });
    fs.mkdirSync(path.join(dir, 'ci-cache'));
    const args = ['.', '--cache', '--cache-location', 'ci-cache'];
    checkJson(args, dir);
    assert.ok(fs.existsSync(path.join(dir, 'ci-cache', '.resilintcache')));
    fs.writeFileSync(path.join(dir, 'src/service.ts'), SERVICE_WITH_IO);
    const after = checkJson(args, dir);
    assert.equal(reuseLine(after.stderr), '1 of 3 file(s) reused, 2 analysed (ci-cache/.resilintcache)');
    assert.deepEqual(after.report.findings.map((f) => `${f.file}:${f.line}`).sort(), ['src/other.ts:1', 'src/service.ts:2']);
  });

  it('is not trusted once the configuration changes', () => {
    const dir = projects.create({ 'src/a.ts': FETCH, 'resilint.config.json': JSON.stringify({ rules: { 'missing-timeout': { options: { timeoutMs: 10000 } } } }) });
    checkJson(['.', '--cache'], dir);
    fs.writeFileSync(path.join(dir, 'resilint.config.json'), JSON.stringify({ rules: { 'missing-timeout': { options: { timeoutMs: 3000 } } } }));
    const after = checkJson(['.', '--cache'], dir);
    assert.equal(reuseLine(after.stderr), '0 of 1 file(s) reused, 1 analysed (.resilintcache)');
    assert.deepEqual((after.report.findings[0] as unknown as { fixes: string[] }).fixes, ['Add timeout: signal: AbortSignal.timeout(3000)']);
  });

  it('is not trusted across Resilint builds or with another --config', () => {
    const dir = projects.create({ 'src/a.ts': FETCH, 'other.json': JSON.stringify({}) });
    checkJson(['.', '--cache'], dir);
    const cacheFile = path.join(dir, '.resilintcache');
    const written = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    fs.writeFileSync(cacheFile, JSON.stringify({ ...written, version: '0.0.1' }));
    const afterUpgrade = checkJson(['.', '--cache'], dir);
    assert.equal(reuseLine(afterUpgrade.stderr), '0 of 1 file(s) reused, 1 analysed; the previous cache was written by another Resilint build (.resilintcache)');
    assert.equal(afterUpgrade.report.findings.length, 1);
    const otherConfig = checkJson(['.', '--cache', '--config', 'other.json'], dir);
    assert.equal(reuseLine(otherConfig.stderr), '0 of 1 file(s) reused, 1 analysed; the previous cache was written with other settings (.resilintcache)');
  });

  it('ignores a corrupt cache file with a message, then replaces it', () => {
    const dir = projects.create({ 'src/a.ts': FETCH });
    fs.writeFileSync(path.join(dir, '.resilintcache'), '{"version":"1.0.0","settings":"x","entries":{"/a.ts":{"key":');
    const result = resilint(['check', '.', '--cache'], dir);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /^resilint: cache .*\.resilintcache is corrupt \(.*JSON.*\); ignoring it\n/);
    assert.match(result.stdout, /^src\/a\.ts:1:38 {2}warning/);
    fs.writeFileSync(path.join(dir, '.resilintcache'), JSON.stringify({ version: '1.0.0', entries: { x: { key: 1 } } }));
    assert.match(resilint(['check', '.', '--cache'], dir).stderr, /cache .* is not a Resilint cache; ignoring it/);
    assert.equal(reuseLine(resilint(['check', '.', '--cache'], dir).stderr), '1 of 1 file(s) reused, 0 analysed (.resilintcache)');
  });

  it('re-analyses files whose types come from an ambient declaration nothing imports, once it changes', async () => {
    const dir = projects.create({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, typeRoots: ['./typings'], types: ['settings'] }, include: ['src'] }),
      'src/globals.d.ts': 'declare function lookup(key: string): string;\n',
      'typings/settings/index.d.ts': 'declare function setting(key: string): string;\n',
      'src/a.ts': 'export const a = lookup("a");\n',
      'src/b.ts': 'export const b = setting("b");\n',
      'src/c.ts': 'export const c = 1;\n',
    });
    const cacheFile = path.join(dir, '.resilintcache');
    const run = async () => {
      const cache = AnalysisCache.open(cacheFile, { version: 'test', settings: 'rules:string-calls' });
      const result = await runAnalysis({ paths: [dir], rules: [stringCalls], cache });
      cache.save();
      return { stats: { ...cache.stats }, findings: result.results.flatMap((r) => r.findings.map((f) => path.relative(dir, f.filePath))), results: result.results };
    };
    assert.deepEqual((await run()).findings, ['src/a.ts', 'src/b.ts']);
    assert.deepEqual((await run()).stats, { hits: 3, misses: 0 });

    fs.writeFileSync(path.join(dir, 'src/globals.d.ts'), 'declare function lookup(key: string): number;\n');
    const afterGlobal = await run();
    assert.deepEqual(afterGlobal.stats, { hits: 0, misses: 3 });
    assert.deepEqual(afterGlobal.findings, ['src/b.ts']);
    assert.deepEqual(afterGlobal.results, (await runAnalysis({ paths: [dir], rules: [stringCalls] })).results);

    fs.writeFileSync(path.join(dir, 'typings/settings/index.d.ts'), 'declare function setting(key: string): boolean;\n');
    const afterTypeRoot = await run();
    assert.deepEqual(afterTypeRoot.stats, { hits: 0, misses: 3 }, 'a declaration under a local typeRoots folder is ambient too');
    assert.deepEqual(afterTypeRoot.findings, []);
  });

  it('re-analyses files referenced with /// <reference path>, which no import names', async () => {
    const dir = projects.create({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true }, files: ['src/a.ts'] }),
      'types/lookup.d.ts': 'declare function lookup(key: string): string;\n',
      'src/a.ts': '/// <reference path="../types/lookup.d.ts" />\nexport const a = lookup("a");\n',
    });
    const cacheFile = path.join(dir, '.resilintcache');
    const run = async () => {
      const cache = AnalysisCache.open(cacheFile, { version: 'test', settings: 'rules:string-calls' });
      const result = await runAnalysis({ paths: [path.join(dir, 'src')], rules: [stringCalls], cache });
      cache.save();
      return { stats: { ...cache.stats }, findings: result.results.flatMap((r) => r.findings.map((f) => path.relative(dir, f.filePath))) };
    };
    assert.deepEqual((await run()).findings, ['src/a.ts']);
    fs.writeFileSync(path.join(dir, 'types/lookup.d.ts'), 'declare function lookup(key: string): number;\n');
    assert.deepEqual(await run(), { stats: { hits: 0, misses: 1 }, findings: [] });
  });

  it('is not trusted once a lockfile or the installed-packages record changes, in the project or above it', () => {
    const dir = projects.create({
      'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/axios': { version: '1.6.0' } } }),
      'packages/api/package.json': JSON.stringify({ name: 'api', dependencies: { axios: '^1.6.0' } }),
      'packages/api/src/a.ts': FETCH,
      'packages/api/node_modules/.package-lock.json': JSON.stringify({ packages: { 'node_modules/got': { version: '14.0.0' } } }),
      'notes.md': 'unrelated\n',
    });
    const api = path.join(dir, 'packages/api');
    checkJson(['.', '--cache'], api);
    fs.writeFileSync(path.join(dir, 'notes.md'), 'still unrelated\n');
    assert.equal(reuseLine(checkJson(['.', '--cache'], api).stderr), '1 of 1 file(s) reused, 0 analysed (.resilintcache)');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/axios': { version: '1.7.2' } } }));
    assert.equal(reuseLine(checkJson(['.', '--cache'], api).stderr), '0 of 1 file(s) reused, 1 analysed (.resilintcache)', 'the monorepo lockfile above the analysed folder');
    fs.writeFileSync(path.join(api, 'node_modules/.package-lock.json'), JSON.stringify({ packages: { 'node_modules/got': { version: '14.4.0' } } }));
    assert.equal(reuseLine(checkJson(['.', '--cache'], api).stderr), '0 of 1 file(s) reused, 1 analysed (.resilintcache)', 'what npm installed');
    fs.writeFileSync(path.join(api, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    assert.equal(reuseLine(checkJson(['.', '--cache'], api).stderr), '0 of 1 file(s) reused, 1 analysed (.resilintcache)', 'a lockfile that appears');
    assert.equal(reuseLine(checkJson(['.', '--cache'], api).stderr), '1 of 1 file(s) reused, 0 analysed (.resilintcache)');
  });

  it('never overwrites a file at --cache-location that is not a Resilint cache', () => {
    const manifest = JSON.stringify({ name: 'app', version: '1.0.0' }, null, 2);
    const dir = projects.create({ 'src/a.ts': FETCH, 'package.json': manifest });
    for (const [location, original] of [['package.json', manifest], ['src/a.ts', FETCH]] as const) {
      const result = resilint(['check', '.', '--cache', '--cache-location', location], dir);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, `resilint: ${path.join(dir, location)} is not a Resilint cache; leaving it untouched and running without a cache\n`);
      assert.match(result.stdout, /^src\/a\.ts:1:38 {2}warning/);
      assert.equal(fs.readFileSync(path.join(dir, location), 'utf8'), original);
    }
  });

  it('keys each file by everything it reaches through imports, cycles included', () => {
    const texts: Record<string, string> = {
      '/p/a.ts': "import './b';",
      '/p/b.ts': "import './a'; import './c';",
      '/p/c.ts': 'export {};',
      '/p/d.ts': "import './a';",
      '/p/e.ts': 'export {};',
    };
    const resolve = (from: string, specifier: string) => path.posix.join(path.posix.dirname(from), `${specifier}.ts`);
    const keys = () => cacheKeys(Object.keys(texts), (file) => texts[file], resolve);
    const before = keys();
    texts['/p/c.ts'] = 'export const changed = 1;';
    const after = keys();
    const changed = Object.keys(texts).filter((file) => before.get(file) !== after.get(file));
    assert.deepEqual(changed, ['/p/a.ts', '/p/b.ts', '/p/c.ts', '/p/d.ts']);
    assert.equal(new Set(after.values()).size, 5, 'files in one import cycle still get keys of their own');
  });
});
