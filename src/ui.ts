import * as vscode from 'vscode';
import type { PromptId } from './constants';
import { redact } from './core/secrets';
import { neutralizeLinks } from './core/markdown';
import { inputStep, pickStep, type StepOptions } from './uiStep';

/**
 * Every question the extension asks goes through this small interface, each with a stable `id`.
 * Production uses VS Code's dialogs; extension-host tests inject scripted answers by id (the smoke-test
 * driver auto-skips real dialogs), so flows are tested end to end without branching on "testing".
 */
export interface Ui {
  pick<T extends vscode.QuickPickItem>(
    id: PromptId,
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions & { step?: StepOptions },
  ): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(
    id: PromptId,
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<readonly T[] | undefined>;
  /** With `step`: shown as one step of a flow, with a Back button that throws GoBack. */
  input(id: PromptId, options: vscode.InputBoxOptions & { step?: StepOptions }): Promise<string | undefined>;
  /** A message with buttons; returns the chosen button's title, undefined when dismissed. */
  ask(
    id: PromptId,
    severity: 'info' | 'warning' | 'error',
    message: string,
    options: { modal?: boolean; detail?: string },
    ...choices: string[]
  ): Promise<string | undefined>;
  saveFile(id: PromptId, options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  openFile(id: PromptId, options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined>;
}

export const windowUi: Ui = {
  async pick<T extends vscode.QuickPickItem>(
    _id: string,
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions & { step?: StepOptions },
  ) {
    if (options.step) return pickStep(items, options, options.step);
    return vscode.window.showQuickPick<T>(items, { ignoreFocusOut: true, ...options, canPickMany: false });
  },
  async pickMany<T extends vscode.QuickPickItem>(_id: string, items: readonly T[], options: vscode.QuickPickOptions) {
    return vscode.window.showQuickPick<T>(items, { ignoreFocusOut: true, ...options, canPickMany: true });
  },
  async input(_id, options) {
    if (options.step) return inputStep(options, options.step);
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

/** What every shown message goes through: secrets redacted, link syntax from workspace or engine text inert. */
export function safeText(text: string): string {
  return neutralizeLinks(redact(text));
}

/**
 * Wraps a Ui (the window's or a test's) so that no message or detail it shows can leak a secret or render a
 * link: messages interpolate profile names, container names, labels and engine errors.
 */
export function safeUi(inner: Ui): Ui {
  return {
    pick: (id, items, options) => inner.pick(id, items, options),
    pickMany: (id, items, options) => inner.pickMany(id, items, options),
    input: (id, options) => inner.input(id, options),
    ask: (id, severity, message, options, ...choices) =>
      inner.ask(
        id,
        severity,
        safeText(message),
        { ...options, detail: options.detail === undefined ? undefined : safeText(options.detail) },
        ...choices,
      ),
    saveFile: (id, options) => inner.saveFile(id, options),
    openFile: (id, options) => inner.openFile(id, options),
  };
}

/** A hover/tooltip from markdown built by core (every engine/settings string in it escaped): never trusted. */
export function untrustedMarkdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
