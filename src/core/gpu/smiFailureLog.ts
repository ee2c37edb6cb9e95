import type { Logger } from '../logger';
import { redact } from '../secrets';

/** What a failed run leaves: Node's error (code ENOENT/EACCES, killed on timeout) and the program's stderr. */
export interface RunFailure {
  message?: string;
  code?: number | string | null;
  killed?: boolean;
  stderr?: string;
}

/** "nvidia-smi failed: /usr/bin/nvidia-smi --query-gpu=… → ENOENT: spawn /usr/bin/nvidia-smi ENOENT" (redacted). */
export function smiFailureLine(file: string, args: readonly string[], err: RunFailure): string {
  const why = [
    err.killed
      ? 'timed out'
      : typeof err.code === 'string'
        ? err.code
        : err.code != null
          ? `exit code ${err.code}`
          : '',
    (err.stderr ?? '').trim().split(/\r?\n/)[0] || err.message || '',
  ]
    .filter(Boolean)
    .join(': ');
  // Redacted apart: a NAME=value pair in the command must not swallow the error after it.
  return `nvidia-smi failed: ${redact([file, ...args].join(' '))} → ${redact(why || 'unknown error')}`;
}

/**
 * Logs nvidia-smi failures where it runs (here, or over ssh), once per program and error until a run succeeds
 * again: the GPUs view polls, and the log should say what failed and where, not repeat it every few seconds.
 */
export class SmiFailureLog {
  private readonly logged = new Set<string>();

  constructor(private readonly logger: Pick<Logger, 'warn' | 'info'>) {}

  failed(file: string, args: readonly string[], err: RunFailure): void {
    const line = smiFailureLine(file, args, err);
    const key = line.replace(/^nvidia-smi failed: .*? \u2192 /, `${file} → `);
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.logger.warn(line);
  }

  succeeded(file: string): void {
    if (this.logged.size === 0) return;
    this.logged.clear();
    this.logger.info(`nvidia-smi answers again: ${redact(file)}`);
  }
}
