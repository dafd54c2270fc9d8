import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Workspace content is untrusted. Analysing it must never run any of it: not its code,
// not a JavaScript config, not a TypeScript plugin named in its tsconfig.

const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('untrusted workspaces', () => {
  let dir: string;
  beforeEach(() => (dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-trap-')))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };

  it('never executes workspace code, JavaScript configs or tsconfig plugins', () => {
    const marker = path.join(dir, 'EXECUTED');
    const trap = `require('fs').writeFileSync(${JSON.stringify(marker)}, __filename);\nmodule.exports = () => ({ create: (info) => info.languageService });\n`;
    write('node_modules/trap-plugin/index.js', trap);
    write('node_modules/trap-plugin/package.json', JSON.stringify({ name: 'trap-plugin', main: 'index.js' }));
    write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, plugins: [{ name: 'trap-plugin' }] }, include: ['src'] }));
    write('resilint.config.js', trap);
    write('.resilintrc.js', trap);
    write('src/trap.js', trap);
    write('src/index.ts', `import plugin = require('trap-plugin');\nexport const loaded = plugin;\nexport const f = (u: string) => fetch(u);\n`);
    const result = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).findings.length, 1, 'the TypeScript file was analysed');
    assert.equal(fs.existsSync(marker), false, `workspace code ran: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`);
  });

  it('refuses a patternsDir that points outside the project', () => {
    write('resilint.config.json', JSON.stringify({ patternsDir: '../../etc' }));
    write('src/index.ts', 'export const x = 1;\n');
    const result = spawnSync(process.execPath, [CLI, 'check', dir], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /patternsDir '\.\.\/\.\.\/etc' must be a relative path inside the project/);
  });
});
