import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The server and CLI bundles are 14 MB of JavaScript each, held in memory as their source
// string by every thread that loads them. One character outside ASCII (an arrow in a
// comment esbuild keeps) makes V8 store the whole string with two bytes per character:
// 28 MB more per thread, measured on the CLI. esbuild escapes strings and regular
// expressions; only comments can let such a character through.

const DIST = path.join(__dirname, '..', '..', '..', 'dist');

describe('bundles', () => {
  for (const bundle of ['server-bundle.js', 'cli-bundle.js']) {
    it(`${bundle} is ASCII only`, () => {
      const lines = fs.readFileSync(path.join(DIST, bundle), 'utf8').split('\n');
      const offending = lines.findIndex((line) => /[^\x00-\x7f]/.test(line));
      assert.equal(offending, -1, `line ${offending + 1} of ${bundle}: ${lines[offending]?.trim().slice(0, 120)}`);
    });
  }
});
