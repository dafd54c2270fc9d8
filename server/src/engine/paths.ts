import * as path from 'node:path';

// Paths as reports, globs, patterns and import specifiers speak them: relative, with `/`
// separators on every platform.

const SLASH = 0x2f;

/** `.` or `..` segments, doubled or trailing slashes: what path.resolve would change in an absolute POSIX path. */
export const NOT_NORMAL = /\/\.{1,2}(?:\/|$)|\/\/|.\/$/;

/** `to` relative to the folder `from`, with `/` separators: `src/api/client.ts`. */
export function posixRelative(from: string, to: string): string {
  // Mostly a file under the folder, both normal already, asked per file: path.relative resolves both again.
  if (path.sep === '/' && from.startsWith('/') && to.startsWith(from) && to.charCodeAt(from.length) === SLASH && !NOT_NORMAL.test(to)) return to.slice(from.length + 1);
  return path.relative(from, to).split(path.sep).join('/');
}

/** Whether `file` is `dir` or lies under it (both absolute and normal). */
export function isWithin(dir: string, file: string): boolean {
  return file === dir || file.startsWith(dir + path.sep);
}
