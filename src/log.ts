import * as vscode from 'vscode';
import { redact, type Logger } from './core/logger';

/** The one output channel ("GPU Containers", a log channel), wrapped as the core Logger. Secrets redacted. */
export function createLogger(channel: vscode.LogOutputChannel): Logger {
  const fmt = (v: unknown): string => {
    if (v instanceof Error) return redact(v.stack ?? `${v.name}: ${v.message}`);
    if (typeof v === 'string') return redact(v);
    try {
      return redact(JSON.stringify(v));
    } catch {
      return String(v);
    }
  };
  return {
    trace: (m) => channel.trace(redact(m)),
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    error: (m, ...rest) => channel.error([m, ...rest].map(fmt).join(' ')),
  };
}
