/** The small logging surface core code gets; the extension backs it with a LogOutputChannel. */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error, ...rest: unknown[]): void;
}

export const nullLogger: Logger = { trace() {}, info() {}, warn() {}, error() {} };

const SECRET_NAME = /(TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;

/**
 * Redacts secrets from text before it is logged: `NAME=value` pairs whose name looks secret
 * (HF_TOKEN=…, AWS_SECRET_ACCESS_KEY=…, "WANDB_API_KEY": "…") and `Authorization` headers.
 */
export function redact(text: string): string {
  return text
    .replace(/\b([A-Za-z_][A-Za-z0-9_]*)=([^\s"',\]}]+)/g, (m, name: string) =>
      SECRET_NAME.test(name) ? `${name}=***` : m,
    )
    .replace(/"([A-Za-z_][A-Za-z0-9_]*)"\s*:\s*"[^"]*"/g, (m, name: string) =>
      SECRET_NAME.test(name) ? `"${name}": "***"` : m,
    )
    .replace(/(authorization:\s*)(\S+\s+)?\S+/gi, '$1***');
}

/** Redacts the values of secret-looking `NAME=value` entries of an env list (for logs and dialogs). */
export function redactEnv(env: readonly string[]): string[] {
  return env.map((e) => {
    const eq = e.indexOf('=');
    return eq > 0 && SECRET_NAME.test(e.slice(0, eq)) ? `${e.slice(0, eq)}=***` : e;
  });
}
