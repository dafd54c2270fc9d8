import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Diagram } from './architecture/diagram';

// Custom messages, declared once and imported by both the client and the server.

export type ServerState = 'starting' | 'analyzing' | 'idle';

export interface StatusParams {
  state: ServerState;
  /** Findings currently published across the workspace. */
  findings: number;
}

export const StatusNotification = new NotificationType<StatusParams>('resilint/status');

/** Re-analyses every file of every workspace folder, reporting progress; answers with the `files` analysed and the tests no enabled rule checks, skipped unparsed (see checkTests). */
export const AnalyzeWorkspaceRequest = new RequestType0<{ files: number; testFilesSkipped: number; findings: number }, void>('resilint/analyzeWorkspace');

export interface DiagramParams {
  /** A node's name or id to centre the diagram on. */
  focus?: string;
  /** Steps around the focus. */
  depth?: number;
}

/** The architecture of the workspace folders as Mermaid text and as a graph (absolute paths). */
export const DiagramRequest = new RequestType<DiagramParams, Diagram, void>('resilint/diagram');

/** Commands the server's code actions ask the client to run. */
export const ClientCommands = {
  showDocumentation: 'resilint.showDocumentation',
} as const;
