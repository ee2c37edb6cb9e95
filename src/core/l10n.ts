/**
 * Translation for core. Core never imports vscode, so it translates through `@vscode/l10n`, the
 * vscode-free twin of `vscode.l10n`: same `t(message, ...args)` with `{0}` placeholders, same bundle
 * files (`l10n/bundle.l10n.<locale>.json`). The extension hands it VS Code's loaded bundle at
 * activation (`configureL10n`); without that (unit tests, benches) `t` returns the English text with
 * the arguments filled in.
 *
 * Every user-facing sentence in src/** goes through a call of t with a literal first argument with a literal first argument, so
 * test/unit/l10n.test.ts can extract it and check the zh-CN bundle.
 */
import * as l10n from '@vscode/l10n';

export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** Translates an English message; `{0}`, `{1}`… are replaced by the arguments. */
export const t: Translate = (message, ...args) => l10n.t(message, ...args);

/** Called once by the extension with `vscode.l10n.bundle` (undefined when VS Code runs in English). */
export function configureL10n(bundle: { [key: string]: string } | undefined): void {
  if (bundle) l10n.config({ contents: bundle });
}
