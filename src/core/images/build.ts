/**
 * `docker build` as CLI arguments (run by the caller in a terminal/task with the engine's terminalEnv,
 * never as a shell string), and the parser for a user's "KEY=value" build-argument input. Pure.
 */

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

/** Splits on whitespace outside quotes; quotes are removed, backslash escapes the next character. */
function tokenize(line: string): { tokens: string[]; problem?: string } {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return quote ? { tokens, problem: `unclosed ${quote} quote in: ${line.trim()}` } : { tokens };
}

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
    const { tokens, problem } = tokenize(line);
    // Entries before an unclosed quote still count; the unclosed one is skipped.
    if (problem) problems.push(`Build argument: ${problem}.`);
    for (const token of tokens) {
      const eq = token.indexOf('=');
      if (eq < 0) {
        problems.push(`Build argument "${token}" has no value; write ${token}=value.`);
        continue;
      }
      const key = token.slice(0, eq);
      if (!KEY.test(key)) {
        problems.push(
          key === ''
            ? `Build argument "${token}" has no name before "=".`
            : `Build argument name "${key}" is invalid; use letters, digits and "_", not starting with a digit.`,
        );
        continue;
      }
      if (seen.has(key)) problems.push(`Build argument ${key} is given more than once; the last value is used.`);
      seen.add(key);
      args[key] = token.slice(eq + 1);
    }
  }
  return { args, problems };
}
