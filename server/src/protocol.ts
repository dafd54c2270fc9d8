import { NotificationType, RequestType0 } from 'vscode-languageserver-protocol';

// Custom messages, declared once and imported by both the client and the server.

export type ServerState = 'starting' | 'analyzing' | 'idle';

export interface StatusParams {
  state: ServerState;
  /** Findings currently published across the workspace. */
  findings: number;
}

export const StatusNotification = new NotificationType<StatusParams>('resilint/status');

/** Re-analyses every file of every workspace folder, reporting progress. */
export const AnalyzeWorkspaceRequest = new RequestType0<{ files: number; findings: number }, void>('resilint/analyzeWorkspace');

/** Commands the server's code actions ask the client to run. */
export const ClientCommands = {
  showDocumentation: 'resilint.showDocumentation',
} as const;
