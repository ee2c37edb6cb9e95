import * as vscode from 'vscode';

/**
 * Every question the extension asks goes through this small interface, each with a stable `id`.
 * Production uses VS Code's dialogs; extension-host tests inject scripted answers by id (the smoke-test
 * driver auto-skips real dialogs), so flows are tested end to end without branching on "testing".
 */
export interface Ui {
  pick<T extends vscode.QuickPickItem>(
    id: string,
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(
    id: string,
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<readonly T[] | undefined>;
  input(id: string, options: vscode.InputBoxOptions): Promise<string | undefined>;
  /** A message with buttons; returns the chosen button's title, undefined when dismissed. */
  ask(
    id: string,
    severity: 'info' | 'warning' | 'error',
    message: string,
    options: { modal?: boolean; detail?: string },
    ...choices: string[]
  ): Promise<string | undefined>;
  saveFile(id: string, options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  openFile(id: string, options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined>;
}

export const windowUi: Ui = {
  async pick<T extends vscode.QuickPickItem>(
    _id: string,
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions,
  ) {
    return vscode.window.showQuickPick<T>(items, { ignoreFocusOut: true, ...options, canPickMany: false });
  },
  async pickMany<T extends vscode.QuickPickItem>(_id: string, items: readonly T[], options: vscode.QuickPickOptions) {
    return vscode.window.showQuickPick<T>(items, { ignoreFocusOut: true, ...options, canPickMany: true });
  },
  async input(_id, options) {
    return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  },
  async ask(_id, severity, message, options, ...choices) {
    const show =
      severity === 'error'
        ? vscode.window.showErrorMessage
        : severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    return show(message, { modal: options.modal ?? false, detail: options.detail }, ...choices);
  },
  async saveFile(_id, options) {
    return vscode.window.showSaveDialog(options);
  },
  async openFile(_id, options) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, ...options });
    return picked?.[0];
  },
};
