import * as path from 'node:path';

// Paths as reports, globs, patterns and import specifiers speak them: relative, with `/`
// separators on every platform.

/** `to` relative to the folder `from`, with `/` separators: `src/api/client.ts`. */
export function posixRelative(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}
