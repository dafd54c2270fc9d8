import type { Connection } from 'vscode-languageserver';
import type { BaselineMode } from './baselineDiagnostics';

// Editor-only settings, read per document from the client every time they are needed:
// the server keeps no global copy, so a change in any scope applies at once.

export interface ServerSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  debounceMs: number;
  /** How findings accepted by resilint-baseline.json appear. */
  baseline: BaselineMode;
}

const DEFAULTS: ServerSettings = { enable: true, run: 'onType', debounceMs: 250, baseline: 'lower' };
const BASELINE_MODES: readonly unknown[] = ['show', 'lower', 'hide'] satisfies BaselineMode[];

let clientSupportsConfiguration = false;

export function setConfigurationSupport(supported: boolean): void {
  clientSupportsConfiguration = supported;
}

export async function readSettings(connection: Connection, scopeUri: string): Promise<ServerSettings> {
  if (!clientSupportsConfiguration) return DEFAULTS;
  const raw: unknown = await connection.workspace.getConfiguration({ scopeUri, section: 'resilint' });
  const value = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof ServerSettings, unknown>>;
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULTS.enable,
    run: value.run === 'onSave' ? 'onSave' : 'onType',
    debounceMs: typeof value.debounceMs === 'number' && value.debounceMs >= 0 ? value.debounceMs : DEFAULTS.debounceMs,
    baseline: BASELINE_MODES.includes(value.baseline) ? (value.baseline as BaselineMode) : DEFAULTS.baseline,
  };
}
