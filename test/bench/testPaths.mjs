import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

// The engine's own test-path rule and path form, bundled from its source, so that the
// benchmark's tools skip exactly the files the scan skips: the analysed files' floor
// (parseFloor.mjs --skip-tests) and the editor's edited file (lspLatency.mjs), which
// would otherwise be a test nothing analyses (vendure's largest file is a generated e2e one).

const ENGINE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'server', 'src', 'engine');

/** Writes the bundle to `outfile` (CommonJS, for parseFloor.mjs to require) and returns its path. */
export function bundleTestPaths(outfile) {
  const contents = "export { isTestPath } from './testFiles';\nexport { posixRelative } from './paths';\n";
  esbuild.buildSync({ stdin: { contents, resolveDir: ENGINE, loader: 'ts' }, outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  return outfile;
}

/** Whether the scan skips a file under `root` as a test, by the bundle at `bundle`. */
export function skippedAsTest(bundle, root) {
  const engine = createRequire(import.meta.url)(bundle);
  return (file) => engine.isTestPath(engine.posixRelative(path.resolve(root), file));
}
