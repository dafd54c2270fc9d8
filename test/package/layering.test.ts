import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// ARCHITECTURE.md's layering invariants, checked on the sources: the engine and the rules
// know nothing of LSP or VS Code, and the engine knows nothing of the rules.

const SERVER = path.join(__dirname, '..', '..', '..', 'server', 'src');

function importsOf(dir: string): { file: string; specifier: string }[] {
  const found: { file: string; specifier: string }[] = [];
  for (const entry of fs.readdirSync(path.join(SERVER, dir), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from\s+'([^']+)'/gm)) {
      found.push({ file: path.relative(SERVER, file), specifier: match[1]! });
    }
  }
  return found;
}

describe('layering', () => {
  for (const dir of ['engine', 'rules', 'architecture']) {
    it(`server/src/${dir} imports neither LSP nor VS Code`, () => {
      const offending = importsOf(dir).filter(({ specifier }) => /^vscode(?:-languageserver|-languageclient|-jsonrpc)?(?:\/|$)/.test(specifier));
      assert.deepEqual(offending, []);
    });
  }

  it('server/src/engine never imports from the rules', () => {
    const offending = importsOf('engine').filter(({ file, specifier }) => specifier.startsWith('.') && path.resolve(SERVER, path.dirname(file), specifier).startsWith(path.join(SERVER, 'rules')));
    assert.deepEqual(offending, []);
  });
});
