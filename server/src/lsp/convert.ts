import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CreateFile,
  DiagnosticSeverity,
  TextDocumentEdit,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding, Fix, Severity, TextEdit } from '../engine/findings';
import { findRule } from '../rules';

// The only place that turns engine data into LSP shapes.

export const SOURCE = 'resilint';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.resilint`;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function pathToUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Open documents by file path: the URI the client uses for each and the analysed version. */
export type OpenVersions = ReadonlyMap<string, { uri: string; version: number }>;

export function toDiagnostic(finding: Finding, index: number): Diagnostic {
  const href = findRule(finding.ruleId)?.meta.docsUrl;
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    message: finding.message,
    relatedInformation: finding.related.map((r) => ({
      location: { uri: pathToUri(r.filePath), range: r.range },
      message: r.message,
    })),
    data: { index },
  };
}

/**
 * A workspace edit that only applies to the document version the finding was computed
 * on: if the user typed since, the client rejects it instead of corrupting the file.
 */
export function toWorkspaceEdit(edits: readonly TextEdit[], creations: Fix['createFiles'], versions: OpenVersions): WorkspaceEdit {
  const documentChanges: WorkspaceEdit['documentChanges'] & unknown[] = [];
  for (const creation of creations ?? []) {
    const uri = pathToUri(creation.filePath);
    documentChanges.push(CreateFile.create(uri, { ignoreIfExists: true, overwrite: false }));
    documentChanges.push(TextDocumentEdit.create({ uri, version: null }, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: creation.text }]));
  }
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of edits) byFile.set(edit.filePath, [...(byFile.get(edit.filePath) ?? []), edit]);
  for (const [filePath, fileEdits] of byFile) {
    const open = versions.get(filePath);
    documentChanges.push(
      TextDocumentEdit.create(
        { uri: open?.uri ?? pathToUri(filePath), version: open?.version ?? null },
        fileEdits.map(({ range, newText }) => ({ range, newText })),
      ),
    );
  }
  return { documentChanges };
}

export function toQuickFix(fix: Fix, diagnostic: Diagnostic, versions: OpenVersions): CodeAction {
  const action = CodeAction.create(fix.title, toWorkspaceEdit(fix.edits, fix.createFiles, versions), CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}
