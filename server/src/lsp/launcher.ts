import * as path from 'node:path';
import { runCachedBundle } from '../cachedBundle';

// The language server's entry (dist/server.js, which the extension starts): starts the
// server bundle next to it from V8's code cache (cachedBundle.ts), which saves each start
// of the server, and of its worker threads (the workspace scan, the diagram), compiling it.

runCachedBundle(path.join(__dirname, 'server-bundle.js'), 'server');
