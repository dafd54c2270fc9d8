// Builds the bundles that ship (client, server, CLI, webview) and, with --tests, a
// file-for-file transpile of sources and tests into out/ for mocha. esbuild only: no
// type-checking here; `npm run typecheck` does that.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

// Every `ts.X` written against ts-morph's re-export is, once bundled, a chain of four
// getters (esbuild's CJS interop, ts-morph's re-export, its namespace wrapper, the
// compiler's own export): 13% of a whole scan's CPU on vendure. The engine reads only
// the compiler namespace, so the bundles see one plain copy of it, taken from
// @ts-morph/common (where ts-morph keeps its compiler) so that the rest of ts-morph,
// 1 MB that every process and scan worker would compile and initialise, stays out.
const flatTypeScript = {
  name: 'flat-typescript',
  setup(build) {
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: 'ts-morph', namespace: 'flat-typescript' }));
    build.onLoad({ filter: /.*/, namespace: 'flat-typescript' }, () => ({
      contents: "import { ts as compiler } from '@ts-morph/common';\nexport const ts = { ...compiler };\n",
      resolveDir: root,
      loader: 'js',
    }));
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server-bundle.js', plugins: [flatTypeScript] }),
  // The server's entry: a few lines that start server-bundle.js from V8's code cache.
  esbuild.build({ ...common, sourcemap: false, entryPoints: ['server/src/lsp/launcher.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-bundle.js', plugins: [flatTypeScript] }),
  // The `resilint` command itself: a few lines that start cli-bundle.js from V8's code cache.
  esbuild.build({ ...common, sourcemap: false, entryPoints: ['server/src/cli/launcher.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  ...(fs.existsSync(path.join(root, 'client/webview/diagram.ts'))
    ? [esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['client/webview/diagram.ts'], outfile: 'dist/webview.js' })]
    : []),
]);
fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
copyFiles('patterns', 'dist/patterns', (f) => f.endsWith('.ts'));
fs.copyFileSync(path.join(root, 'server/src/config/resilint.schema.json'), path.join(root, 'dist/resilint.schema.json'));

if (args.has('--tests')) {
  const sources = ['server/src', 'client/src', 'patterns', 'test'].flatMap((dir) => listFiles(dir, (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('/fixtures/')));
  await esbuild.build({
    entryPoints: sources,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    absWorkingDir: root,
  });
  copyFiles('server/src', 'out/server/src', (f) => f.endsWith('.json'));
}

function listFiles(dir, keep) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter(keep);
}

function copyFiles(from, to, keep) {
  for (const file of listFiles(from, keep)) {
    const target = path.join(root, to, path.relative(from, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(root, file), target);
  }
}
