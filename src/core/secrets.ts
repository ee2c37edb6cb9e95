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
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key id
  /\bnpm_[A-Za-z0-9]{30,}/g, // npm
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[^]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/** Whether a value looks like a secret by itself (a token format, or a URL carrying a password). */
export function isSecretValue(value: string): boolean {
  return SECRET_SHAPES.some((re) => new RegExp(re.source).test(value)) || URL_CREDENTIALS.test(value);
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@'"]*):([^\s/@'"]+)@/i;
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
 * flag or pair), JSON `"NAME": "value"`, YAML `NAME: value`, `--password x`, `Authorization:` headers,
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

/**
 * `docker inspect` JSON with the env values of secret-looking names (or secret-shaped values) masked, for the
 * Inspect document; `masked` counts them so the command can offer "Reveal".
 */
export function maskInspect(raw: unknown): { json: unknown; masked: number } {
  let masked = 0;
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
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  const json = walk(raw, undefined);
  return { json, masked };
}
