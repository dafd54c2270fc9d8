import * as fs from 'node:fs';

// Workspace files arrive in every encoding and size people manage to commit. Decide
// once, here, what the engine will read, so no rule ever sees binary or a 50 MB blob.

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

export type FileText = { text: string } | { skipped: string };

/** Strips a UTF-8 BOM (the default), which keeps offsets aligned with editors; made once, as every file is decoded. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function readFileText(filePath: string, maxBytes = DEFAULT_MAX_FILE_BYTES): FileText {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch (error) {
    return { skipped: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!stat.isFile()) return { skipped: 'is not a regular file' };
  if (stat.size > maxBytes) {
    return { skipped: `is ${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit` };
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (error) {
    return { skipped: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return decodeSourceBytes(bytes, maxBytes);
}

export function decodeSourceBytes(bytes: Uint8Array, maxBytes = DEFAULT_MAX_FILE_BYTES): FileText {
  if (bytes.length > maxBytes) {
    return { skipped: `is ${formatBytes(bytes.length)}, over the ${formatBytes(maxBytes)} limit` };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  if (looksBinary(bytes)) return { skipped: 'looks binary (contains NUL bytes)' };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    // Not UTF-8: legacy single-byte files are still worth analysing; every byte maps to
    // one character, so positions stay stable.
    return { text: new TextDecoder('latin1').decode(bytes) };
  }
}

function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).indexOf(0) !== -1;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
