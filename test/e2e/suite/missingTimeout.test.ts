// Runs inside VS Code's extension host against a scratch copy of the fixture workspace: the
// extension is loaded from source, so these tests see exactly what a user's editor sees.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeValue, missingTimeoutDiagnostics, requiredEnv, screenshot, waitFor } from './harness';

const timeoutSignal = 'signal: AbortSignal.timeout(';

describe('missing-timeout in a real VS Code', function () {
  this.timeout(120_000);
  let uri: vscode.Uri;
  let targetLine: number;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'VS Code opened no workspace folder');
    uri = vscode.Uri.joinPath(folder.uri, requiredEnv('RESILINT_E2E_TARGET_FILE'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const lineText = requiredEnv('RESILINT_E2E_TARGET_LINE');
    targetLine = document.getText().split('\n').findIndex((line) => line.includes(lineText));
    assert.notEqual(targetLine, -1, `${uri.fsPath} has no line containing ${lineText}`);
    await waitFor('a missing-timeout diagnostic on the fetch line', () => onTargetLine(missingTimeoutDiagnostics(uri)));
    screenshot('01-diagnostic');
  });

  it('reports the fetch without timeout with its rule code and documentation link', () => {
    const diagnostic = onTargetLine(missingTimeoutDiagnostics(uri));
    assert.ok(diagnostic);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diagnostic.message, /^fetch\(\) has no timeout/);
    assert.equal(codeValue(diagnostic), 'missing-timeout');
    assert.ok(typeof diagnostic.code === 'object' && diagnostic.code.target instanceof vscode.Uri, 'diagnostic code has no documentation link');
    assert.match(diagnostic.code.target.scheme, /^https?$/);
  });

  it('offers the timeout fix, a line suppression and the documentation as quick fixes', async () => {
    const titles = (await quickFixesFor(targetDiagnostic())).map((action) => action.title);
    assert.ok(titles.includes('Add timeout: signal: AbortSignal.timeout(10000)'), `offered: ${JSON.stringify(titles)}`);
    assert.ok(titles.includes('Disable missing-timeout for this line'), `offered: ${JSON.stringify(titles)}`);
    assert.ok(titles.includes('Show documentation for missing-timeout'), `offered: ${JSON.stringify(titles)}`);
  });

  it('applying "Add timeout" adds an AbortSignal timeout on disk and clears the warning', async () => {
    const diagnosticsBefore = missingTimeoutDiagnostics(uri).length;
    const signalsBefore = count(fs.readFileSync(uri.fsPath, 'utf8'), timeoutSignal);
    const fix = (await quickFixesFor(targetDiagnostic())).find((action) => action.title.startsWith('Add timeout'));
    assert.ok(fix, 'no "Add timeout" quick fix');
    await apply(fix);
    screenshot('02-fix-applied');

    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(await document.save(), true, 'saving the document failed');
    const onDisk = fs.readFileSync(uri.fsPath, 'utf8');
    assert.equal(count(onDisk, timeoutSignal), signalsBefore + 1, `file on disk:\n${onDisk}`);

    await waitFor('the missing-timeout warning to disappear', () => {
      const remaining = missingTimeoutDiagnostics(uri);
      return remaining.length === diagnosticsBefore - 1 && !onTargetLine(remaining) ? true : undefined;
    });
    screenshot('03-warning-gone');
  });

  it('contributes the Resilint commands once active', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['resilint.restartServer', 'resilint.analyzeWorkspace', 'resilint.showOutput']) {
      assert.ok(commands.includes(id), `command ${id} is not registered`);
    }
  });

  function onTargetLine(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic | undefined {
    return diagnostics.find((diagnostic) => diagnostic.range.start.line === targetLine);
  }

  function targetDiagnostic(): vscode.Diagnostic {
    const diagnostic = onTargetLine(missingTimeoutDiagnostics(uri));
    assert.ok(diagnostic, 'the missing-timeout diagnostic is gone');
    return diagnostic;
  }

  async function quickFixesFor(diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
    // Like a person pressing Ctrl+. again, ask again for a few seconds while no action for a
    // Resilint diagnostic comes back: VS Code cancels a request when the set of code-action providers changes while it runs
    // (its TypeScript extension registers providers late), and the server can briefly hold
    // diagnostics from its workspace scan rather than from the opened document. Other errors fail.
    const deadline = Date.now() + 15_000;
    for (;;) {
      let actions: vscode.CodeAction[] = [];
      try {
        // The resolve count makes VS Code resolve lazily computed edits before handing them back.
        actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value, 10);
      } catch (error) {
        if (!isCancellation(error) || Date.now() > deadline) throw error;
      }
      const forResilint = actions.some((action) => action.diagnostics?.some((d) => d.source === 'resilint'));
      if (forResilint || Date.now() > deadline) return actions;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
});

async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit || action.command, `"${action.title}" has neither an edit nor a command`);
  if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true, 'the workspace edit was rejected');
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

function isCancellation(error: unknown): boolean {
  return error instanceof Error && error.name === 'Canceled';
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
