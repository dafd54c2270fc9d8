import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listPatternFiles, patternsDir, repoRoot } from './repoRoot';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

interface SnippetsModule {
  SNIPPETS_PATH: string;
  generateSnippets(root?: string): string;
}

async function loadGenerator(): Promise<SnippetsModule> {
  return (await import(pathToFileURL(path.join(repoRoot, '.ci', 'snippets.mjs')).href)) as SnippetsModule;
}

/**
 * What VS Code inserts for a snippet body, with every placeholder left at its default.
 * Throws on a `$` that is neither escaped nor a tab stop: VS Code would read it as a
 * variable and mangle the inserted code (e.g. `${ms}` in a template literal).
 */
function expandSnippet(body: string): string {
  let out = '';
  let openPlaceholders = 0;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    const next = body[i + 1];
    if (char === '\\' && next !== undefined && '$}\\'.includes(next)) {
      out += next;
      i++;
    } else if (char === '$') {
      const tabStop = /^\$(\d+)|^\$\{(\d+):/.exec(body.slice(i));
      if (!tabStop) throw new Error(`unescaped $ at ${i}: ${body.slice(i, i + 20)}`);
      if (tabStop[2] !== undefined) openPlaceholders++;
      i += tabStop[0].length - 1;
    } else if (char === '}' && openPlaceholders > 0) {
      openPlaceholders--;
    } else {
      out += char;
    }
  }
  assert.equal(openPlaceholders, 0, 'unbalanced placeholder');
  return out;
}

describe('snippets/resilint.code-snippets', () => {
  let generator: SnippetsModule;
  let committed: Record<string, Snippet>;
  before(async () => {
    generator = await loadGenerator();
    committed = JSON.parse(fs.readFileSync(path.join(repoRoot, generator.SNIPPETS_PATH), 'utf8')) as Record<string, Snippet>;
  });

  it('is exactly what the generator produces from patterns/ (run `node .ci/snippets.mjs --write`)', () => {
    const committedText = fs.readFileSync(path.join(repoRoot, generator.SNIPPETS_PATH), 'utf8');
    assert.equal(committedText, generator.generateSnippets(repoRoot));
  });

  it('has a snippet per pattern that inserts the pattern code unchanged', () => {
    for (const file of listPatternFiles()) {
      const name = file.replace(/\.ts$/, '');
      const snippet = Object.values(committed).find((s) => s.prefix === `resilint-${name}`);
      assert.ok(snippet, `no snippet for ${name}`);
      assert.ok(snippet.description.length > 0);
      const source = fs.readFileSync(path.join(patternsDir, file), 'utf8');
      assert.equal(`${expandSnippet(snippet.body.join('\n'))}\n`, source, name);
    }
  });

  it('has the call-site snippets', () => {
    const byPrefix = new Map(Object.values(committed).map((s) => [s.prefix, expandSnippet(s.body.join('\n'))]));
    assert.match(byPrefix.get('resilint-fetch-timeout') ?? '', /fetch\(url, \{ signal: AbortSignal\.timeout\(5000\) \}\)/);
    assert.match(byPrefix.get('resilint-axios-timeout') ?? '', /axios\.create\(\{[\s\S]*timeout: 5000/);
    assert.match(byPrefix.get('resilint-dataloader-context') ?? '', /loaders: \{[\s\S]*new DataLoader/);
    assert.match(byPrefix.get('resilint-dataloader-resolver') ?? '', /loaders\.userById\.load\(parent\.authorId\)/);
  });

  it('uses unique prefixes that all start with resilint-', () => {
    const prefixes = Object.values(committed).map((s) => s.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length);
    for (const prefix of prefixes) assert.match(prefix, /^resilint-[a-z-]+$/);
  });

  it('puts tab stops on the tunable defaults', () => {
    const retry = Object.values(committed).find((s) => s.prefix === 'resilint-retry');
    assert.ok(retry?.body.includes('const DEFAULT_MAX_ATTEMPTS = ${1:3};'));
  });

  it('escapes $ so template literals survive insertion', () => {
    assert.throws(() => expandSnippet('`${ms}`'), /unescaped \$/);
    const withTimeout = Object.values(committed).find((s) => s.prefix === 'resilint-with-timeout');
    assert.ok(withTimeout?.body.some((line) => line.includes('\\${ms}')));
  });
});
