// Reads the Resilint output channel's LSP trace (resilint.trace.server: verbose) that a check
// leaves in its artifacts, so a failure in CI says what the server was asked and answered.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The Resilint.log files under an artifacts folder (one per extension host). */
export function traceLogs(artifactsDir) {
  const logs = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'Resilint.log') logs.push(full);
    }
  };
  walk(artifactsDir);
  return logs;
}

/**
 * In the order logged: one line per code-action request in the trace (the range and diagnostics
 * VS Code sent, the titles the server answered) and the first line of every error logged, such
 * as a server that crashed or a request that failed; last, the requests never answered.
 */
export function summariseCodeActions(logText) {
  const entries = [];
  // Each logged line starts with a timestamp; a message's Params or Result is its own line.
  for (const entry of logText.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[)/)) {
    if (/^\S+ \S+ \[\w+\] (Params|Result): /.test(entry) && entries.length > 0) entries[entries.length - 1] += `\n${entry}`;
    else entries.push(entry);
  }
  const requests = new Map();
  const lines = [];
  for (const entry of entries) {
    const sent = /Sending request 'textDocument\/codeAction - \((\d+)\)'/.exec(entry);
    const received = /Received response 'textDocument\/codeAction - \((\d+)\)' in (\d+)ms/.exec(entry);
    if (sent) requests.set(sent[1], { params: jsonAfter(entry, 'Params: ') });
    else if (received) {
      const params = requests.get(received[1])?.params;
      requests.delete(received[1]);
      const result = jsonAfter(entry, 'Result: ');
      const titles = Array.isArray(result) ? result.map((action) => action.title) : result;
      lines.push(`codeAction ${received[1]} at ${describeRange(params?.range)} with ${params?.context?.diagnostics?.length ?? '?'} diagnostic(s), ${received[2]} ms: ${JSON.stringify(titles)}`);
    } else if (/^\S+ \S+ \[error\]|\[Error - /.test(entry.split('\n')[0])) lines.push(entry.split('\n')[0]);
  }
  for (const [id, { params }] of requests) lines.push(`codeAction ${id} at ${describeRange(params?.range)}: no response`);
  return lines;
}

function jsonAfter(entry, label) {
  const at = entry.indexOf(`] ${label}`);
  if (at === -1) return undefined;
  try {
    return JSON.parse(entry.slice(at + label.length + 2));
  } catch {
    return undefined;
  }
}

function describeRange(range) {
  if (!range) return '?';
  // LSP positions are 0-based; the editor's status bar and this report count from 1.
  const at = (position) => `${position.line + 1}:${position.character + 1}`;
  return `${at(range.start)}-${at(range.end)}`;
}
