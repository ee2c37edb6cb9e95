/**
 * Text from settings, the engine (container and image names, labels, mount paths) or files is never
 * markup. These helpers make such text inert wherever VS Code renders markdown (tooltips, hovers) or
 * link syntax (notification messages, which turn `[text](command:…)` into a working link).
 */

/** Escapes every ASCII punctuation character (CommonMark allows `\` before each) and flattens newlines. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** An inline code span that holds `text` verbatim, whatever backticks it contains. */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Breaks VS Code's link syntax in plain messages (`[label](https:…|command:…|file:…)`, which notification
 * toasts render as links): a zero-width space between `]` and `(` leaves the text readable and inert.
 * The extension's own messages contain no links, so this is applied to every message shown.
 */
export function neutralizeLinks(text: string): string {
  return text.replace(/\]\s*\(/g, (m) => `]\u200B${m.slice(1)}`);
}
