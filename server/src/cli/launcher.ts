import * as path from 'node:path';
import { runCachedBundle } from '../cachedBundle';

// The `resilint` command (dist/cli.js): starts the CLI bundle next to it from V8's code
// cache (cachedBundle.ts). The CLI's scan workers start through it too.

runCachedBundle(path.join(__dirname, 'cli-bundle.js'), 'cli');
