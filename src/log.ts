import fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as vscode from 'vscode';
import { redact } from './core/secrets';
import type { Logger } from './core/logger';
import { mapStack } from './core/stackTrace';

const maps = new Map<string, SourceMap | undefined>();

/** The source map next to a bundled file (`dist/extension.js.map`), read once. */
function sourceMapOf(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(
        JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0],
      );
    } catch {
      map = undefined;
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

/** A stack with bundle positions mapped back to `src/…ts` (the bundle is minified in the VSIX). */
export function readableStack(stack: string): string {
  return mapStack(stack, (file, line, column) => {
    const entry = sourceMapOf(file)?.findEntry(line, column);
    return entry && 'originalSource' in entry ? entry : undefined;
  });
}

/** The one output channel ("GPU Containers", a log channel), wrapped as the core Logger. Secrets redacted. */
export function createLogger(channel: Pick<vscode.LogOutputChannel, 'trace' | 'info' | 'warn' | 'error'>): Logger {
  const fmt = (v: unknown): string => {
    if (v instanceof Error) return redact(readableStack(v.stack ?? `${v.name}: ${v.message}`));
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
