import * as vscode from 'vscode';

/** Where a question sits in a multi-step flow: VS Code shows "step/totalSteps" in the title and a Back button. */
export interface StepOptions {
  step: number;
  totalSteps: number;
}

/** Thrown by a step's question when the user presses Back; the flow goes to the previous step. */
export class GoBack extends Error {
  constructor() {
    super('Back');
    this.name = 'GoBack';
  }
}

/** By name, not instanceof: extension-host tests load their own copy of this module. */
export const isGoBack = (e: unknown): boolean => e instanceof Error && e.name === 'GoBack';

/** A quick pick that is one step of a flow (createQuickPick: the only form with step and buttons). */
export function pickStep<T extends vscode.QuickPickItem>(
  items: readonly T[] | Thenable<readonly T[]>,
  options: vscode.QuickPickOptions,
  step: StepOptions,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const q = vscode.window.createQuickPick<T>();
    q.title = options.title;
    q.placeholder = options.placeHolder;
    q.step = step.step;
    q.totalSteps = step.totalSteps;
    q.ignoreFocusOut = true;
    q.matchOnDescription = options.matchOnDescription ?? false;
    q.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    q.busy = true;
    void Promise.resolve(items).then((list) => {
      q.items = list;
      q.activeItems = list.filter((i) => i.picked).slice(0, 1);
      q.busy = false;
    }, reject);
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      f();
      q.dispose();
    };
    q.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => reject(new GoBack())));
    q.onDidAccept(() => finish(() => resolve(q.selectedItems[0])));
    q.onDidHide(() => finish(() => resolve(undefined)));
    q.show();
  });
}

/** An input box that is one step of a flow. */
export function inputStep(options: vscode.InputBoxOptions, step: StepOptions): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.placeholder = options.placeHolder;
    box.value = options.value ?? '';
    box.step = step.step;
    box.totalSteps = step.totalSteps;
    box.ignoreFocusOut = true;
    box.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      f();
      box.dispose();
    };
    const validate = async (v: string) => {
      const m = await options.validateInput?.(v);
      box.validationMessage = m ?? undefined;
      return !m;
    };
    box.onDidChangeValue((v) => void validate(v));
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => reject(new GoBack())));
    box.onDidAccept(async () => {
      if (await validate(box.value)) finish(() => resolve(box.value));
    });
    box.onDidHide(() => finish(() => resolve(undefined)));
    box.show();
  });
}
