import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

type Shown = Omit<StatusParams, 'state'> & { state: StatusParams['state'] | 'stopped' };

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('resilint.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Resilint';
    this.item.command = 'resilint.showOutput';
  }

  show({ state, findings }: Shown): void {
    const icon = state === 'analyzing' || state === 'starting' ? '$(sync~spin)' : state === 'stopped' ? '$(error)' : '$(shield)';
    this.item.text = `${icon} Resilint${state === 'idle' ? `: ${findings}` : ''}`;
    this.item.tooltip =
      state === 'stopped' ? 'Resilint server stopped — click for output'
      : state === 'idle' ? `Resilint: ${findings} finding${findings === 1 ? '' : 's'} in analysed files`
      : `Resilint: ${state}…`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
