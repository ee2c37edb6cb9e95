/**
 * Exec credential plugins (client.authentication.k8s.io): run the kubeconfig's command as argv (no shell) with
 * its env added and KUBERNETES_EXEC_INFO set, parse the ExecCredential it prints, and cache it until it expires
 * (or until the API answers 401: then the client asks once more, as client-go does).
 * Messages name the command, never what it printed (that holds the credential).
 */
import { execFile } from 'node:child_process';
import type { KubeExecConfig } from './kubeContext';
import { KubeApiError } from './kubeError';
import { t } from '../l10n';

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** ms since the epoch; absent: valid until the API refuses it. */
  expiresAt?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The exit code; null when killed or never started. */
  code: number | null;
  /** Set when the command could not be started (ENOENT, EACCES…). */
  error?: NodeJS.ErrnoException;
}

export type RunExec = (command: string, args: string[], env: Record<string, string>) => Promise<ExecResult>;

/** Runs a plugin: argv, no shell, this process's environment plus `env`, 60 s at most. */
export const defaultRunExec: RunExec = (command, args, env) =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const startFailed = error && typeof error.code === 'string' ? (error as NodeJS.ErrnoException) : undefined;
        resolve({
          stdout: String(stdout),
          stderr: String(stderr),
          code,
          ...(startFailed ? { error: startFailed } : {}),
        });
      },
    );
  });

/** Parses a plugin's output; `problem` is a sentence naming what is wrong (never the output itself). */
export function parseExecCredential(
  stdout: string,
  apiVersion: string,
  command: string,
): ExecCredential | { problem: string } {
  let v: unknown;
  try {
    v = JSON.parse(stdout);
  } catch {
    return { problem: t('The credential plugin {0} did not print an ExecCredential (JSON).', command) };
  }
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  if (o.kind !== 'ExecCredential')
    return { problem: t('The credential plugin {0} did not print an ExecCredential (JSON).', command) };
  if (o.apiVersion !== apiVersion)
    return {
      problem: t(
        'The credential plugin {0} answered with apiVersion "{1}" but the kubeconfig asks for "{2}". Make them match.',
        command,
        String(o.apiVersion),
        apiVersion,
      ),
    };
  const s = (o.status && typeof o.status === 'object' ? o.status : {}) as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
  const token = str(s.token);
  const cert = str(s.clientCertificateData);
  const key = str(s.clientKeyData);
  if (!token && !(cert && key))
    return {
      problem: t('The credential plugin {0} gave neither a token nor a client certificate and key.', command),
    };
  const cred: ExecCredential = {};
  if (token) cred.token = token;
  if (cert && key) {
    cred.clientCertificateData = cert;
    cred.clientKeyData = key;
  }
  const exp = str(s.expirationTimestamp);
  if (exp) {
    const ms = Date.parse(exp);
    if (Number.isNaN(ms))
      return { problem: t('The credential plugin {0} gave an expirationTimestamp that is not a date.', command) };
    cred.expiresAt = ms;
  }
  return cred;
}

const unauthorized = (message: string): KubeApiError => new KubeApiError({ status: 0, kind: 'unauthorized', message });

/** One plugin's credential, fetched on first use, shared by concurrent callers, refetched when expired or refused. */
export class ExecCredentialCache {
  private current?: ExecCredential;
  private pending?: Promise<ExecCredential>;

  constructor(
    private readonly exec: KubeExecConfig,
    private readonly run: RunExec,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached credential while it is valid, else a fresh one. */
  async get(signal?: AbortSignal): Promise<ExecCredential> {
    const c = this.current;
    if (c && (c.expiresAt === undefined || c.expiresAt > this.now())) return c;
    // One run for every caller; a caller that gives up stops waiting, the run goes on for the others.
    const pending = (this.pending ??= this.fetch().finally(() => (this.pending = undefined)));
    if (!signal) return pending;
    return new Promise<ExecCredential>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error); // KubeClient aborts with a KubeApiError
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Forgets the credential (after a 401), so the next `get` runs the plugin again. */
  invalidate(): void {
    this.current = undefined;
  }

  private async fetch(): Promise<ExecCredential> {
    const { command, args, env, apiVersion, installHint, interactiveMode } = this.exec;
    if (interactiveMode === 'Always')
      throw unauthorized(
        t(
          'The credential plugin {0} needs a terminal (interactiveMode: Always). Run kubectl once in a terminal, or change its interactiveMode.',
          command,
        ),
      );
    const info = JSON.stringify({
      apiVersion,
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    const r = await this.run(command, args, { ...env, KUBERNETES_EXEC_INFO: info });
    if (r.error) {
      const hint = installHint ? ` ${installHint.trim()}` : '';
      throw unauthorized(
        r.error.code === 'ENOENT'
          ? t('The credential plugin {0} of the kubeconfig is not installed (not found in PATH).{1}', command, hint)
          : t('The credential plugin {0} could not be started ({1}).{2}', command, r.error.code ?? '', hint),
      );
    }
    if (r.code !== 0)
      throw unauthorized(
        t(
          'The credential plugin {0} failed (exit code {1}). Run it in a terminal to see why.',
          command,
          String(r.code),
        ),
      );
    const cred = parseExecCredential(r.stdout, apiVersion, command);
    if ('problem' in cred) throw unauthorized(cred.problem);
    this.current = cred;
    return cred;
  }
}
