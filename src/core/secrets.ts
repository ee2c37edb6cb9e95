/**
 * Secrets never reach the log, a notification, a problem message or an export: recognised by the name they
 * are stored under (HF_TOKEN, GH_PAT, DOCKER_PASS, DATABASE_URL, …) and by the shape of the value itself
 * (hf_…, ghp_…, sk-…, AKIA…, URLs with a password), whatever name they hide under.
 */

export const MASK = '***';

/** Name segments (split at `_`, `-`, `.` and camelCase) that mark a secret on their own. */
const SECRET_SEGMENTS = new Set([
  'token',
  'secret',
  'secrets',
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'pat',
  'key',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'auth',
  'authorization',
  'cookie',
  'dsn',
  'webhook',
  'signature',
  'privatekey',
  'accesskey',
]);
/** Fragments that mark a secret even inside a longer segment (PGPASSWORD, MYSECRET, APITOKEN). */
const SECRET_FRAGMENT = /passw(or)?d|secret|credential|apikey|apitoken|accesskey|privatekey|authtoken|pgpass/i;
/** Connection strings: the password rides in the URL. */
const SECRET_URL_NAME =
  /^(database|db|redis|mongo(db)?|postgres(ql)?|pg|mysql|mariadb|amqp|rabbitmq|broker|celery_broker|sqlalchemy_database|kafka)_(url|uri)$/i;
/** Environment names that contain a secret-looking segment but are not secrets. */
const NOT_SECRET = new Set(['PWD', 'OLDPWD', 'KEYMAP', 'SSH_AUTH_SOCK']);

/** Whether a variable/field name looks like it holds a secret. */
export function isSecretName(name: string): boolean {
  if (NOT_SECRET.has(name.toUpperCase())) return false;
  if (SECRET_FRAGMENT.test(name) || SECRET_URL_NAME.test(name)) return true;
  const segments = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_.-]+/);
  return segments.some((s) => SECRET_SEGMENTS.has(s));
}

/** Values that are secrets by their shape alone (provider token formats). */
const SECRET_SHAPES: RegExp[] = [
  /\bhf_[A-Za-z0-9]{16,}/g, // Hugging Face
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g, // GitHub fine-grained PAT
  /\bglpat-[A-Za-z0-9_-]{16,}/g, // GitLab
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic
  /\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,}/g, // Slack (bot, user, app-level)
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key id
  /\bnpm_[A-Za-z0-9]{30,}/g, // npm
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, // JWT
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g, // Stripe secret and restricted keys
  /\bya29\.[A-Za-z0-9_-]{20,}/g, // Google OAuth access token
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, // SendGrid
  /\bpypi-[A-Za-z0-9_-]{40,}/g, // PyPI API token
  /(?<=\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;\s'"]+/g, // Azure connection strings
  /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[^]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
];

/** Whether a value looks like a secret by itself (a token format, or a URL carrying a password). */
export function isSecretValue(value: string): boolean {
  return SECRET_SHAPES.some((re) => new RegExp(re.source).test(value)) || URL_CREDENTIALS.test(value);
}

/** `scheme://user:password@`: the password may hold `/` (`pa/ss`), but a port and a path (`host:443/a@b`) is no password. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@'"]*):((?!\d+(?:\/|$))[^\s@'"]+)@/i;
const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
/** A value after `NAME=`: quoted (spaces and all), or unquoted words up to the next flag, pair or delimiter. */
const ASSIGNED = new RegExp(
  `(^|[^A-Za-z0-9_.-])(${NAME})=("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s"',;\\]}]+(?:[ \\t]+(?!-|${NAME}=)[^\\s"',;\\]}]+)*)`,
  'g',
);
const JSON_PAIR = new RegExp(`"(${NAME})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');
const YAML_PAIR = new RegExp(`^([ \\t]*(?:-[ \\t]+)?["']?)(${NAME})(["']?[ \\t]*:[ \\t]+)(\\S.*)$`, 'gm');
const FLAG_VALUE =
  /(--?(?:password|passwd|token|secret|api-key|access-token|auth-token)(?:=|\s+))("[^"]*"|'[^']*'|\S+)/gi;
const AUTH_HEADER = /(authorization:\s*)(\S+\s+)?\S+/gi;

/**
 * Redacts secrets from text: `NAME=value` (quoted values with their spaces, unquoted ones up to the next
 * flag or pair), JSON `"NAME": "value"`, YAML `NAME: value`, `--password x` (any secret flag: `--hf_token x`),
 * `Authorization:` headers,
 * credentials in URLs, and token-shaped values under any name.
 */
export function redact(text: string): string {
  let out = text.replace(ASSIGNED, (m, pre: string, name: string) =>
    isSecretName(name) ? `${pre}${name}=${MASK}` : m,
  );
  out = out.replace(JSON_PAIR, (m, name: string, sep: string) => (isSecretName(name) ? `"${name}"${sep}"${MASK}"` : m));
  out = out.replace(YAML_PAIR, (m, pre: string, name: string, sep: string) =>
    isSecretName(name) ? `${pre}${name}${sep}${MASK}` : m,
  );
  out = out.replace(FLAG_VALUE, `$1${MASK}`).replace(AUTH_HEADER, `$1${MASK}`);
  out = out.replace(FLAG_IN_TEXT, (m, pre: string, flag: string, sep: string) =>
    isSecretFlag(flag) ? `${pre}${flag}${sep}${MASK}` : m,
  );
  out = out.replace(new RegExp(URL_CREDENTIALS.source, 'gi'), `$1$2:${MASK}@`);
  for (const re of SECRET_SHAPES) out = out.replace(re, MASK);
  return out;
}

/** An env entry `NAME=value` with the value masked when the name or the value looks secret. */
export function redactEnvEntry(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq <= 0) return redact(entry);
  const name = entry.slice(0, eq);
  return isSecretName(name) || isSecretValue(entry.slice(eq + 1)) ? `${name}=${MASK}` : entry;
}

/** Redacts the values of secret-looking `NAME=value` entries of an env list (for logs and dialogs). */
export function redactEnv(env: readonly string[]): string[] {
  return env.map(redactEnvEntry);
}

/** Flag names that end in one of these name where a secret is (`--token-file`, `--password-stdin`), not the secret. */
const PLACE_TAIL = new Set(
  'file files path dir directory env var name id type stdin url uri endpoint host port user username header length size ttl timeout expiry mode format'.split(
    ' ',
  ),
);
const FLAG_HEAD_NOT_SECRET = new Set(['no', 'skip', 'disable', 'without', 'show', 'print', 'generate']);

/** Whether a command-line flag (`--hf_token`, `--db-pass`, `-password`, `--api-key`) takes a secret as its value. */
export function isSecretFlag(flag: string): boolean {
  const name = flag.replace(/^-+/, '');
  const segments = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_.-]+/)
    .filter(Boolean);
  if (!segments.length || PLACE_TAIL.has(segments[segments.length - 1]) || FLAG_HEAD_NOT_SECRET.has(segments[0]))
    return false;
  return isSecretName(name);
}

/** A value that is only references to variables (`${env:X}`, `$X`, `${X}`) holds no secret itself. */
export function isOnlyVariables(value: string): boolean {
  return /^(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)+$/.test(value);
}

/** The environment variable a secret flag's value should come from: `--hf_token` → `HF_TOKEN`, `--db-pass` → `DB_PASS`. */
export function envNameOf(flag: string): string {
  const n = flag
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(n) ? `_${n}` : n || 'SECRET';
}

/** MySQL/MariaDB clients take the password glued to `-p` (`-phunter2`); elsewhere `-p` is a port or another flag. */
const GLUED_PASSWORD_PROGRAM = /(^|\/)(mysql\w*|mariadb[\w-]*)$/;
const GLUED_PASSWORD_TEXT = /(\b(?:mysql\w*|mariadb[\w-]*)\b[^|;&\n]*?\s-p)((?!\d+(?:\s|$))[^\s"'$][^\s]*)/g;
const FLAG_IN_TEXT = /(^|\s)(--?[A-Za-z][A-Za-z0-9_.-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s"'-][^\s]*)/g;

type Replace = (name: string, value: string) => string;

/** Secrets inside one free-text argument (a `sh -c` script, a URL, a token), each replaced by `sub(name, value)`. */
function maskText(text: string, sub: Replace): string {
  const unquote = (v: string) => (/^(["']).*\1$/s.test(v) ? v.slice(1, -1) : v);
  let out = text.replace(ASSIGNED, (m, pre: string, name: string, value: string) =>
    isSecretName(name) && !isOnlyVariables(unquote(value)) ? `${pre}${name}=${sub(name, value)}` : m,
  );
  out = out.replace(FLAG_IN_TEXT, (m, pre: string, flag: string, sep: string, value: string) =>
    isSecretFlag(flag) && !isOnlyVariables(unquote(value)) ? `${pre}${flag}${sep}${sub(envNameOf(flag), value)}` : m,
  );
  out = out.replace(GLUED_PASSWORD_TEXT, (_m, pre: string, value: string) => `${pre}${sub('PASSWORD', value)}`);
  out = out.replace(new RegExp(URL_CREDENTIALS.source, 'gi'), (m, scheme: string, user: string, pw: string) =>
    isOnlyVariables(pw) ? m : `${scheme}${user}:${sub('PASSWORD', pw)}@`,
  );
  out = out.replace(AUTH_HEADER, (m, pre: string) => `${pre}${sub('AUTHORIZATION', m)}`);
  for (const re of SECRET_SHAPES) out = out.replace(re, (m) => (m.includes('${') ? m : sub('SECRET', m)));
  return out;
}

/**
 * A command line (entrypoint + command, `Path` + `Args`) with its secrets replaced: the value of a flag whose
 * name looks secret (`--hf_token x`, `--db-pass=x`, mysql's `-px`), `NAME=value` with a secret name, and any
 * secret-shaped value (also inside a `sh -c` script). `replace(name)` gives what stands in for a value
 * (`***` for display; `${env:NAME}` for a profile); values that are only variable references stay. `names`
 * lists the names used, one per distinct value.
 */
export function maskArgv(
  args: readonly string[],
  replace: (name: string) => string = () => MASK,
): { args: string[]; names: string[] } {
  const byValue = new Map<string, string>();
  const sub: Replace = (name, value) => {
    let n = byValue.get(value);
    if (n === undefined) {
      const used = new Set(byValue.values());
      n = name;
      for (let i = 2; used.has(n); i++) n = `${name}_${i}`;
      byValue.set(value, n);
    }
    return replace(n);
  };
  const out: string[] = [];
  let mysql = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    mysql ||= GLUED_PASSWORD_PROGRAM.test(a);
    const flag = /^(--?[A-Za-z][A-Za-z0-9_.-]*)(?:=([^]*))?$/.exec(a);
    if (flag && isSecretFlag(flag[1])) {
      const [, name, glued] = flag;
      const next = args[i + 1];
      if (glued !== undefined)
        out.push(glued === '' || isOnlyVariables(glued) ? a : `${name}=${sub(envNameOf(name), glued)}`);
      else if (next !== undefined && next !== '' && !next.startsWith('-') && !isOnlyVariables(next)) {
        out.push(a, sub(envNameOf(name), next));
        i++;
      } else out.push(a);
      continue;
    }
    const glued = mysql ? /^-p((?!\d+$)[^]+)$/.exec(a) : null;
    if (glued && !isOnlyVariables(glued[1])) {
      out.push(`-p${sub('PASSWORD', glued[1])}`);
      continue;
    }
    const pair = /^([A-Za-z_][A-Za-z0-9_.-]*)=([^]*)$/.exec(a);
    if (pair && isSecretName(pair[1]) && pair[2] !== '' && !isOnlyVariables(pair[2])) {
      out.push(`${pair[1]}=${sub(envNameOf(pair[1]), pair[2])}`);
      continue;
    }
    out.push(maskText(a, sub));
  }
  return { args: out, names: [...new Set(byValue.values())] };
}

/**
 * `docker inspect` JSON with the env values of secret-looking names (or secret-shaped values) masked, and the
 * secrets of the command line (`Cmd`, `Entrypoint`, `Path` + `Args`), for the Inspect document; `masked`
 * counts them so the command can offer "Reveal".
 */
export function maskInspect(raw: unknown): { json: unknown; masked: number } {
  let masked = 0;
  const argv = (o: Record<string, unknown>, first: string, second: string) => {
    const part = (k: string): string[] | undefined => {
      const v = o[k];
      if (typeof v === 'string' && k === 'Path') return [v];
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
    };
    const a = part(first);
    const b = part(second);
    if (!a && !b) return;
    const all = [...(a ?? []), ...(b ?? [])];
    const shown = maskArgv(all).args.map(redact);
    masked += shown.filter((x, i) => x !== all[i]).length;
    if (a) o[first] = typeof o[first] === 'string' ? shown[0] : shown.slice(0, a.length);
    if (b) o[second] = shown.slice(a?.length ?? 0);
  };
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (Array.isArray(v)) {
      const items: unknown[] = v;
      if (key === 'Env')
        return items.map((e) => {
          if (typeof e !== 'string') return e;
          const r = redactEnvEntry(e);
          if (r !== e) masked++;
          return r;
        });
      return items.map((x) => walk(x, undefined));
    }
    if (typeof v === 'object' && v !== null) {
      const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
      argv(o, 'Entrypoint', 'Cmd');
      argv(o, 'Path', 'Args');
      return o;
    }
    return v;
  };
  const json = walk(raw, undefined);
  return { json, masked };
}
