/**
 * `docker build` as CLI arguments (run by the caller in a terminal/task with the engine's terminalEnv,
 * never as a shell string), and the parser for a user's "KEY=value" build-argument input. Pure.
 */
import { t } from '../l10n';
import { shellSplit } from '../profiles/shell';

export interface BuildOptions {
  /** Build context directory. */
  context: string;
  /** Dockerfile path; omitted = <context>/Dockerfile. */
  dockerfile?: string;
  tag: string;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  pull?: boolean;
  /** Multi-stage target. */
  target?: string;
}

/** The argv after the docker executable: ["build", "--tag", …, "--", context]. */
export function buildArgs(opts: BuildOptions): string[] {
  const args = ['build', '--tag', opts.tag];
  if (opts.dockerfile) args.push('--file', opts.dockerfile);
  for (const [key, value] of Object.entries(opts.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
  if (opts.noCache) args.push('--no-cache');
  if (opts.pull) args.push('--pull');
  if (opts.target) args.push('--target', opts.target);
  // "--" so a context path starting with "-" is never read as a flag.
  args.push('--', opts.context);
  return args;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses build arguments written as "KEY=value KEY2=value2" (quotes allowed: KEY="a b") or one per line
 * ("#" starts a comment line). Never throws: malformed entries are listed in `problems` and skipped.
 */
export function parseBuildArgs(text: string): { args: Record<string, string>; problems: string[] } {
  const args: Record<string, string> = {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rawLine of (text ?? '').split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    // The one shell tokenizer (core/profiles/shell.ts). Entries before an unclosed quote still count.
    const { args: tokens, error } = shellSplit(line);
    if (error) problems.push(t('Build arguments: {0} has an unclosed quote or a trailing backslash; close it.', line));
    for (const token of tokens) {
      const eq = token.indexOf('=');
      if (eq < 0) {
        problems.push(t('Build argument "{0}" has no value; write {0}=value.', token));
        continue;
      }
      const key = token.slice(0, eq);
      if (!KEY.test(key)) {
        problems.push(
          key === ''
            ? t('Build argument "{0}" has no name before "=".', token)
            : t('Build argument name "{0}" is invalid; use letters, digits and "_", not starting with a digit.', key),
        );
        continue;
      }
      if (seen.has(key)) problems.push(t('Build argument {0} is given more than once; the last value is used.', key));
      seen.add(key);
      args[key] = token.slice(eq + 1);
    }
  }
  return { args, problems };
}
