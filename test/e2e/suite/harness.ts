// Small helpers shared by the extension-host tests.
import * as vscode from 'vscode';

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the suite through test/e2e/run.mjs`);
  return value;
}

/** Asks the runner driving the browser to take a screenshot (see test/e2e/vscodeShim.mjs). */
export function screenshot(step: string): void {
  console.log(`resilint-e2e:screenshot:${step}`);
}

/** Polls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(description: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function missingTimeoutDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) =>
    diagnostic.source === 'resilint' && codeValue(diagnostic) === 'missing-timeout');
}

export function codeValue(diagnostic: vscode.Diagnostic): string | number | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? code.value : code;
}
