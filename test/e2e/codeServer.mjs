// Starts a real VS Code (code-server 4.100.3, the VS Code server plus its web workbench) and
// a Chromium window on it, as /work/shared/vscode-in-ci.md describes. Desktop VS Code cannot
// be downloaded on the CI machines; code-server runs extensions in the same Node extension host.
// Every run gets its own HOME/XDG/TMPDIR so nothing leaks into (or out of) the machine's profile.
import { spawn, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const codeServerEntry = path.join(repoRoot, 'node_modules/code-server/out/node/entry.js');
const chromiumPath = '/usr/bin/chromium';
const readyTimeoutMs = 30_000;
const stopGraceMs = 5_000;

/**
 * @param {object} options
 * @param {string} options.artifactsDir  where screenshots, the server log and VS Code's logs go
 * @param {Record<string, unknown>} [options.settings]  extra user settings
 * @param {string} [options.vsix]  packaged extension to install before starting
 * @param {string} [options.userDataDir]  defaults to a folder inside the run dir
 * @param {string} [options.extensionsDir]  defaults to a folder inside the run dir
 * @param {Record<string, string>} [options.env]  extra environment for code-server (and so the extension host)
 */
export async function startVSCode({ artifactsDir, settings = {}, vsix, userDataDir, extensionsDir, env = {} }) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-vscode-'));
  const dirs = {
    home: path.join(runDir, 'home'),
    tmp: path.join(runDir, 'tmp'),
    userData: userDataDir ?? path.join(runDir, 'user-data'),
    extensions: extensionsDir ?? path.join(runDir, 'extensions'),
    browser: path.join(runDir, 'chromium'),
  };
  for (const dir of [...Object.values(dirs), artifactsDir]) fs.mkdirSync(dir, { recursive: true });
  // The LSP trace lands in the artifacts' Resilint.log, so a failed check can say what the
  // server was asked and answered (run.mjs prints its code actions).
  writeUserSettings(dirs.userData, { 'workbench.startupEditor': 'none', 'resilint.trace.server': 'verbose', ...settings });

  const serverEnv = {
    ...process.env,
    ...env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local/share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_STATE_HOME: path.join(dirs.home, '.local/state'),
  };
  const profileArgs = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  /** @type {import('node:child_process').ChildProcess | undefined} */
  let server;
  /** @type {import('playwright-core').BrowserContext | undefined} */
  let context;
  const consoleLines = [];
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killServerNow);
    if (context) await context.close().catch(() => {});
    if (server) await terminateGroup(server);
    fs.writeFileSync(path.join(artifactsDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
    copyIfExists(path.join(dirs.userData, 'logs'), path.join(artifactsDir, 'vscode-logs'));
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  // Last resort when the test process dies without reaching stop(): never leave a server behind.
  const killServerNow = () => {
    if (server?.pid && server.exitCode === null) {
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  };
  process.on('exit', killServerNow);

  try {
    if (vsix) {
      await promisify(execFile)(process.execPath, [codeServerEntry, '--install-extension', vsix, ...profileArgs], { env: serverEnv });
    }
    const port = await freePort();
    const serverLog = fs.openSync(path.join(artifactsDir, 'code-server.log'), 'w');
    server = spawn(process.execPath, [
      codeServerEntry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...profileArgs,
    ], { env: serverEnv, detached: true, stdio: ['ignore', serverLog, serverLog] });
    fs.closeSync(serverLog);
    await waitForHealthy(port, server);

    context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      env: { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp },
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));

    const base = `http://127.0.0.1:${port}`;
    return {
      page,
      port,
      /** The workbench URL for a folder; `payload` carries what desktop VS Code takes as CLI flags. */
      url(folder, payload) {
        const query = new URLSearchParams({ folder });
        if (payload) query.set('payload', JSON.stringify(payload));
        return `${base}/?${query}`;
      },
      /** A server-side path as the workbench addresses it in a payload. */
      remoteUri(absolutePath) {
        return `vscode-remote://127.0.0.1:${port}${absolutePath}`;
      },
      async screenshot(step) {
        await page.screenshot({ path: path.join(artifactsDir, `${step}.png`) });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function writeUserSettings(userDataDir, settings) {
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(port, server) {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with code ${server.exitCode} before it was ready`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer /healthz on port ${port} within ${readyTimeoutMs} ms`);
}

// code-server was started as a process-group leader, so signalling the group reaches the
// extension host, pty host and language servers it forked.
async function terminateGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), stopGraceMs);
  await exited;
  clearTimeout(timer);
  // Children that ignore SIGTERM outlive their parent; the group id still reaches them.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ESRCH') throw error;
  }
}

function copyIfExists(from, to) {
  if (fs.existsSync(from)) fs.cpSync(from, to, { recursive: true });
}
