/** `--security-opt seccomp=FILE`: the profile file read from the host and sent inline, as the docker CLI does. */
import { t } from '../l10n';
import type { Problem, Profile, ProfileContext } from './profileTypes';

/** Go's json.Compact: drops insignificant whitespace, keeps everything else as written. */
function compactJson(s: string): string | undefined {
  try {
    JSON.parse(s);
  } catch {
    return undefined;
  }
  let out = '';
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      out += c;
      if (c === '\\') out += s[++i];
      else if (c === '"') inStr = false;
    } else if (c === '"') {
      inStr = true;
      out += c;
    } else if (!' \t\r\n'.includes(c)) out += c;
  }
  return out;
}

/**
 * The profile's security options as the Engine API takes them: `seccomp=<file>` becomes `seccomp=<its JSON,
 * compacted>` (`host` resolves the path on the host); a file that cannot be read or is not JSON is an error.
 */
export function resolveSecurityOpt(
  p: Profile,
  ctx: ProfileContext,
  host: (field: string, path: string) => string,
  problems: Problem[],
): string[] {
  return p.securityOpt.map((s, i) => {
    const m = /^seccomp[=:](.*)$/.exec(s);
    if (!m || m[1] === 'unconfined' || m[1] === 'builtin') return s;
    const file = host(`securityOpt[${i}]`, m[1]);
    const content = ctx.readFile?.(file);
    const compact = content === undefined ? undefined : compactJson(content);
    if (compact === undefined) {
      problems.push({
        profile: p.name,
        field: `securityOpt[${i}]`,
        severity: 'error',
        message:
          content === undefined
            ? t('the seccomp profile {0} could not be read; check the path.', file)
            : t('the seccomp profile {0} is not valid JSON; fix it or remove the seccomp= option.', file),
      });
      return s;
    }
    return `seccomp=${compact}`;
  });
}
