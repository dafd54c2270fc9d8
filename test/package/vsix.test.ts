import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { allRules } from '../../server/src/rules';

// The .vsix holds only what runs and what the marketplace shows: `vsce ls` is checked
// against an allow-list, and the files a user needs must be there.

const REPO = path.resolve(__dirname, '..', '..', '..');

const ALLOWED = [
  /^package\.json$/,
  /^(README|CHANGELOG|SECURITY)\.md$/,
  /^LICENSE$/,
  /^dist\/(client|server|server-bundle|webview)\.js$/,
  /^dist\/resilint\.schema\.json$/,
  /^dist\/patterns\/[a-z-]+\.ts$/,
  /^media\/[\w./-]+\.(png|svg|css|md)$/,
  /^snippets\/[\w-]+\.code-snippets$/,
  /^docs\/[\w/-]+\.md$/,
];

describe('extension package contents', function () {
  this.timeout(120_000);

  it('lists only allow-listed files, and everything the extension needs', () => {
    const vsce = path.join(REPO, 'node_modules', '.bin', 'vsce');
    const result = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const files = result.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    const unexpected = files.filter((f) => !ALLOWED.some((pattern) => pattern.test(f)));
    assert.deepEqual(unexpected, [], 'files outside the allow-list would ship');
    const required = [
      'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/icon.png',
      'dist/client.js', 'dist/server.js', 'dist/server-bundle.js', 'dist/resilint.schema.json', 'snippets/resilint.code-snippets',
      ...allRules.map((rule) => `docs/rules/${rule.meta.id}.md`),
    ];
    assert.deepEqual(required.filter((f) => !files.includes(f)), [], 'required files are missing from the package');
    assert.ok(!files.some((f) => f.includes('node_modules') || f.endsWith('.map') || f.startsWith('test/')));
  });
});
