/**
 * The one shell tokenizer: `shellSplit` for settings strings (POSIX word splitting, nothing expanded) and
 * `tokenizeShellLine` for pasted `docker run` lines (shell-quote), plus quoting for exports.
 * Nothing is ever executed: `$(…)`, backticks and `$VAR` stay text; known forms map to profile variables.
 */
import type * as ShellQuote from 'shell-quote';

/** shell-quote, loaded on the first pasted line or quoted export, not when settings are parsed (issue 17). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load esbuild still bundles.
const shellQuote = (): typeof ShellQuote => require('shell-quote') as typeof ShellQuote;
import { t } from '../l10n';

export interface TokenizeResult {
  args: string[];
  /** Problems found while splitting (operators, command substitutions), field-less. */
  issues: { message: string; severity: 'error' | 'warning' }[];
}

const SUB_MARK = '\u0001';

/** Replaces `$(…)` and backticks (outside single quotes) with placeholders so shell-quote keeps them as text. */
function hideSubstitutions(line: string): { text: string; subs: string[]; openQuote?: string } {
  const subs: string[] = [];
  let out = '';
  let single = false;
  let double = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (!single && c === '\\' && i + 1 < line.length) {
      out += c + line[i + 1];
      i++;
      continue;
    }
    if (!double && c === "'") single = !single;
    else if (!single && c === '"') double = !double;
    if (!single && c === '$' && line[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        else if (line[j] === ')' && --depth === 0) break;
      }
      subs.push(line.slice(i, j + 1));
      out += `${SUB_MARK}${subs.length - 1}${SUB_MARK}`;
      i = j;
      continue;
    }
    if (!single && c === '`') {
      const j = line.indexOf('`', i + 1);
      const end = j < 0 ? line.length - 1 : j;
      subs.push(line.slice(i, end + 1));
      out += `${SUB_MARK}${subs.length - 1}${SUB_MARK}`;
      i = end;
      continue;
    }
    out += c;
  }
  return { text: out, subs, openQuote: single ? "'" : double ? '"' : undefined };
}

/** Maps a shell variable reference to text: `$HOME` → `${userHome}`, `$X` → `${env:X}`, others stay literal. */
function shellVariable(key: string): string {
  if (key === 'HOME') return '${userHome}';
  if (key === 'USER') return '${user}';
  if (key === 'PWD') return '${workspaceFolder}';
  if (['workspaceFolder', 'workspaceFolderBasename', 'userHome', 'user', 'profile'].includes(key))
    return '${' + key + '}';
  if (/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return '${' + key + '}';
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return '${env:' + key + '}';
  if (key.length === 1) return '$' + key;
  return '${' + key + '}';
}

/** Splits a pasted shell line into argv without running anything. */
export function tokenizeShellLine(line: string): TokenizeResult {
  const issues: TokenizeResult['issues'] = [];
  const joined = line.replace(/\\\r?\n/g, '');
  const { text, subs, openQuote } = hideSubstitutions(joined);
  if (openQuote) {
    issues.push({
      severity: 'error',
      message: t(
        'the docker run line has an unclosed {0} quote; close it (or remove it) and paste the line again.',
        openQuote,
      ),
    });
    return { args: [], issues };
  }
  let entries: ReturnType<typeof ShellQuote.parse>;
  try {
    entries = shellQuote().parse(text, (key: string) => shellVariable(key));
  } catch (e) {
    issues.push({
      severity: 'error',
      message: t('the command line could not be split: {0}. Check its quotes.', (e as Error).message),
    });
    return { args: [], issues };
  }
  const args: string[] = [];
  const restore = (s: string) =>
    s.replace(/\u0001(\d+)\u0001/g, (_m, n: string) => {
      const sub = subs[Number(n)];
      const inner = sub.startsWith('`') ? sub.slice(1, -1) : sub.slice(2, -1);
      if (inner.trim() === 'pwd') {
        issues.push({
          severity: 'warning',
          message: `${sub} was taken as \${workspaceFolder}; the profile runs from the open folder, not from a shell's current directory.`,
        });
        return '${workspaceFolder}';
      }
      return sub;
    });
  for (const e of entries) {
    if (typeof e === 'string') {
      args.push(restore(e));
    } else if ('op' in e && e.op === 'glob') {
      args.push(restore((e as { pattern: string }).pattern));
    } else if ('comment' in e) {
      continue;
    } else if ('op' in e) {
      issues.push({
        severity: 'error',
        message: `the shell operator "${e.op}" is not supported; paste a single docker run command (everything from "${e.op}" on was ignored).`,
      });
      break;
    }
  }
  return { args, issues };
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argv element for a POSIX shell, taken literally: `~/data` is quoted too, so a container-side argument
 * (`ls ~/data`) reaches the container as written instead of being expanded by the host shell.
 */
export function quoteShellArg(arg: string): string {
  if (SAFE.test(arg)) return arg;
  if (!arg.includes("'")) return `'${arg}'`;
  return shellQuote().quote([arg]);
}

/** A host-side path (a volume source, an env file): a leading `~` / `~/` stays bare so the shell running it expands it. */
export function quoteHostPathArg(arg: string): string {
  if (arg === '~') return '~';
  if (arg.startsWith('~/')) return arg.length === 2 ? '~/' : '~/' + quoteShellArg(arg.slice(2));
  return quoteShellArg(arg);
}

/** argv → one correctly shell-quoted line (every element literal). */
export function quoteShellLine(argv: string[]): string {
  return argv.map(quoteShellArg).join(' ');
}

/**
 * Splits a settings string (`command`, `entrypoint`, `runArgs`) into arguments the way a POSIX shell
 * splits words — quotes and backslashes — with nothing expanded: `$HOME`, `$(…)` and `*` stay literal.
 */
export function shellSplit(s: string): { args: string[]; error?: string } {
  const args: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return { args, error: 'a single quote is not closed' };
      cur += s.slice(i + 1, j);
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length && '"\\$`'.includes(s[j + 1])) {
          cur += s[j + 1];
          j++;
        } else cur += s[j];
      }
      if (j >= s.length) return { args, error: 'a double quote is not closed' };
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      if (i + 1 < s.length) {
        if (s[i + 1] !== '\n') {
          cur += s[i + 1];
          inWord = true;
        }
        i += 2;
        continue;
      }
      return { args, error: 'it ends with a lone backslash' };
    }
    if (/\s/.test(c)) {
      if (inWord) args.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) args.push(cur);
  return { args };
}
