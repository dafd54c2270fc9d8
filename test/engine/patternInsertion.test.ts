import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyTextEdits } from '../../server/src/engine/edits';
import {
  PATTERN_NAMES,
  patternSource,
  planPatternImport,
  readPatternMarker,
  type PatternImportRequest,
} from '../../server/src/engine/patternInsertion';

const root = path.join(path.sep, 'work', 'shop');
const nothingExists = () => false;

function plan(overrides: Partial<PatternImportRequest> & Pick<PatternImportRequest, 'targetText'>) {
  return planPatternImport({
    pattern: 'with-timeout',
    symbols: ['withTimeout'],
    targetFile: path.join(root, 'src', 'client.ts'),
    projectRoot: root,
    esm: false,
    fileExists: nothingExists,
    ...overrides,
  });
}

/** The target text after the plan's edits. */
function fixed(overrides: Partial<PatternImportRequest> & Pick<PatternImportRequest, 'targetText'>): string {
  const result = plan(overrides);
  for (const edit of result.edits) assert.equal(edit.filePath, overrides.targetFile ?? path.join(root, 'src', 'client.ts'));
  return applyTextEdits(overrides.targetText, result.edits);
}

describe('engine/patternInsertion', () => {
  describe('patternSource', () => {
    it('has a pattern file for every name, and a name for every pattern file', () => {
      const repoPatterns = path.resolve(__dirname, '..', '..', '..', 'patterns');
      const onDisk = fs.readdirSync(repoPatterns).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
      assert.deepEqual([...PATTERN_NAMES].sort(), onDisk.sort());
    });

    it('returns each pattern with its marker on the first line', () => {
      for (const name of PATTERN_NAMES) {
        const source = patternSource(name);
        assert.deepEqual(readPatternMarker(source), { name, version: 1 }, name);
        assert.equal(source, patternSource(name));
      }
    });
  });

  describe('readPatternMarker', () => {
    it('recognises a copied pattern, also with CRLF or a BOM', () => {
      assert.deepEqual(readPatternMarker('// resilint-pattern: retry v2\r\nexport {}\r\n'), { name: 'retry', version: 2 });
      assert.deepEqual(readPatternMarker('\uFEFF// resilint-pattern: bulkhead v1'), { name: 'bulkhead', version: 1 });
    });

    it('ignores unknown names and markers below the first line', () => {
      assert.equal(readPatternMarker('// resilint-pattern: teleport v1\n'), undefined);
      assert.equal(readPatternMarker('import x from "y";\n// resilint-pattern: retry v1\n'), undefined);
      assert.equal(readPatternMarker(''), undefined);
    });
  });

  describe('the pattern file', () => {
    it('is created under the default patterns folder on first use', () => {
      const result = plan({ targetText: 'export const x = 1;\n' });
      const expected = path.join(root, 'src', 'resilience', 'with-timeout.ts');
      assert.deepEqual(result.createFiles, [{ filePath: expected, text: patternSource('with-timeout') }]);
      assert.equal(result.patternFile, expected);
    });

    it('goes to a configured patterns folder', () => {
      const result = plan({ targetText: '', patternsDir: 'lib/patterns', pattern: 'retry', symbols: ['retry'] });
      assert.equal(result.createFiles[0]?.filePath, path.join(root, 'lib', 'patterns', 'retry.ts'));
      assert.equal(result.specifier, '../lib/patterns/retry');
    });

    it('is reused when the project already has it, and the import is still added', () => {
      const existing = path.join(root, 'src', 'resilience', 'with-timeout.ts');
      const asked: string[] = [];
      const result = plan({
        targetText: 'export const x = 1;\n',
        fileExists: (p) => {
          asked.push(p);
          return p === existing;
        },
      });
      assert.deepEqual(asked, [existing]);
      assert.deepEqual(result.createFiles, []);
      assert.equal(result.edits.length, 1);
    });

    it('is never overwritten, even after the user changed it', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-insert-'));
      try {
        const patternFile = path.join(dir, 'src', 'resilience', 'retry.ts');
        fs.mkdirSync(path.dirname(patternFile), { recursive: true });
        fs.writeFileSync(patternFile, '// my own tweaked retry\nexport async function retry() {}\n');
        const result = planPatternImport({
          pattern: 'retry',
          symbols: ['retry'],
          targetFile: path.join(dir, 'src', 'jobs.ts'),
          targetText: '',
          projectRoot: dir,
          esm: false,
        });
        assert.deepEqual(result.createFiles, []);
        assert.equal(fs.readFileSync(patternFile, 'utf8'), '// my own tweaked retry\nexport async function retry() {}\n');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a symbol the pattern does not export', () => {
      assert.throws(() => plan({ targetText: '', symbols: ['withTimeOut'] }), /does not export 'withTimeOut'/);
    });
  });

  describe('the import specifier', () => {
    it('is relative and extensionless for CommonJS', () => {
      assert.equal(plan({ targetText: '' }).specifier, './resilience/with-timeout');
    });

    it('ends in .js for ESM', () => {
      assert.equal(
        fixed({ targetText: 'export {};\n', esm: true }),
        "import { withTimeout } from './resilience/with-timeout.js';\n\nexport {};\n",
      );
    });

    it('climbs out of nested folders', () => {
      const targetFile = path.join(root, 'src', 'api', 'users', 'handler.ts');
      assert.equal(plan({ targetText: '', targetFile }).specifier, '../../resilience/with-timeout');
      assert.equal(plan({ targetText: '', targetFile: path.join(root, 'scripts', 'seed.ts') }).specifier, '../src/resilience/with-timeout');
    });

    it('starts with ./ next to the pattern', () => {
      const targetFile = path.join(root, 'src', 'resilience', 'http.ts');
      assert.equal(plan({ targetText: '', targetFile, esm: true }).specifier, './with-timeout.js');
    });
  });

  describe('a new import', () => {
    it('goes after the last top-level import, matching quotes and semicolons', () => {
      const targetText = [
        'import axios from "axios"',
        'import {',
        '  a,',
        '  b,',
        '} from "./lib" // shared helpers',
        '',
        'export const x = 1',
        '',
      ].join('\n');
      assert.equal(
        fixed({ targetText }),
        [
          'import axios from "axios"',
          'import {',
          '  a,',
          '  b,',
          '} from "./lib" // shared helpers',
          'import { withTimeout } from "./resilience/with-timeout"',
          '',
          'export const x = 1',
          '',
        ].join('\n'),
      );
    });

    it('goes at the top of a file without imports, leaving a blank line before the code', () => {
      assert.equal(
        fixed({ targetText: '/** Fetches orders. */\nexport function f() {}\n' }),
        "import { withTimeout } from './resilience/with-timeout';\n\n/** Fetches orders. */\nexport function f() {}\n",
      );
    });

    it('goes into an empty file', () => {
      assert.equal(fixed({ targetText: '' }), "import { withTimeout } from './resilience/with-timeout';\n");
    });

    it('goes below a shebang', () => {
      assert.equal(
        fixed({ targetText: '#!/usr/bin/env node\nmain();\n' }),
        "#!/usr/bin/env node\nimport { withTimeout } from './resilience/with-timeout';\n\nmain();\n",
      );
    });

    it('goes below a header comment block', () => {
      const targetText = '// Copyright Shop Inc.\n// SPDX-License-Identifier: MIT\n\nexport function f() {}\n';
      assert.equal(
        fixed({ targetText }),
        "// Copyright Shop Inc.\n// SPDX-License-Identifier: MIT\nimport { withTimeout } from './resilience/with-timeout';\n\nexport function f() {}\n",
      );
    });

    it('goes below triple-slash directives and a use strict directive', () => {
      const targetText = '/// <reference types="node" />\n"use strict";\nrun();\n';
      assert.equal(
        fixed({ targetText }),
        '/// <reference types="node" />\n"use strict";\nimport { withTimeout } from \'./resilience/with-timeout\';\n\nrun();\n',
      );
    });

    it('keeps CRLF line endings in a CRLF file', () => {
      const withImports = fixed({ targetText: "import a from 'a';\r\n\r\nexport const x = a;\r\n" });
      assert.equal(withImports, "import a from 'a';\r\nimport { withTimeout } from './resilience/with-timeout';\r\n\r\nexport const x = a;\r\n");
      const withHeader = fixed({ targetText: '// header\r\n\r\nrun();\r\n' });
      assert.equal(withHeader, "// header\r\nimport { withTimeout } from './resilience/with-timeout';\r\n\r\nrun();\r\n");
      const bare = fixed({ targetText: 'run();\r\n' });
      assert.equal(bare, "import { withTimeout } from './resilience/with-timeout';\r\n\r\nrun();\r\n");
    });

    it('marks type-only names with an inline type modifier', () => {
      assert.equal(
        fixed({ targetText: '', pattern: 'retry', symbols: ['retry', 'RetryOptions'] }),
        "import { retry, type RetryOptions } from './resilience/retry';\n",
      );
    });

    it('works in a .tsx file', () => {
      const targetFile = path.join(root, 'src', 'App.tsx');
      const targetText = "import React from 'react';\n\nexport const App = () => <div />;\n";
      assert.equal(
        fixed({ targetText, targetFile }),
        "import React from 'react';\nimport { withTimeout } from './resilience/with-timeout';\n\nexport const App = () => <div />;\n",
      );
    });
  });

  describe('an existing import of the pattern', () => {
    it('is left alone when it already has every name', () => {
      const targetText = "import { TimeoutError, withTimeout } from './resilience/with-timeout';\n";
      assert.deepEqual(plan({ targetText, symbols: ['withTimeout', 'TimeoutError'] }).edits, []);
    });

    it('gets only the missing names', () => {
      const targetText = "import { withTimeout } from './resilience/with-timeout';\nrun();\n";
      assert.equal(
        fixed({ targetText, symbols: ['withTimeout', 'TimeoutError', 'withTimeout'] }),
        "import { withTimeout, TimeoutError } from './resilience/with-timeout';\nrun();\n",
      );
    });

    it('is matched with or without the .js extension', () => {
      const targetText = "import { withTimeout } from './resilience/with-timeout.js';\n";
      assert.equal(
        fixed({ targetText, symbols: ['TimeoutError'] }),
        "import { withTimeout, TimeoutError } from './resilience/with-timeout.js';\n",
      );
    });

    it('keeps a multi-line list one name per line, with its trailing comma', () => {
      const targetText = "import {\r\n  withTimeout,\r\n} from './resilience/with-timeout';\r\n";
      assert.equal(
        fixed({ targetText, symbols: ['TimeoutError', 'withTimeout'] }),
        "import {\r\n  withTimeout,\r\n  TimeoutError,\r\n} from './resilience/with-timeout';\r\n",
      );
    });

    it('handles a trailing comma and an empty list on one line', () => {
      assert.equal(
        fixed({ targetText: "import { withTimeout, } from './resilience/with-timeout';\n", symbols: ['TimeoutError'] }),
        "import { withTimeout, TimeoutError, } from './resilience/with-timeout';\n",
      );
      assert.equal(
        fixed({ targetText: "import {} from './resilience/with-timeout';\n" }),
        "import { withTimeout } from './resilience/with-timeout';\n",
      );
    });

    it('does not count an aliased name as bound', () => {
      const targetText = "import { withTimeout as wt } from './resilience/with-timeout';\n";
      assert.equal(fixed({ targetText }), "import { withTimeout as wt, withTimeout } from './resilience/with-timeout';\n");
    });

    it('is not extended when it is type-only: a value import is added instead', () => {
      const targetText = "import type { WithTimeoutOptions } from './resilience/with-timeout';\n";
      assert.equal(
        fixed({ targetText }),
        "import type { WithTimeoutOptions } from './resilience/with-timeout';\nimport { withTimeout } from './resilience/with-timeout';\n",
      );
    });
  });
});
