/** The small logging surface core code gets; the extension backs it with a LogOutputChannel. */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error, ...rest: unknown[]): void;
}

export const nullLogger: Logger = { trace() {}, info() {}, warn() {}, error() {} };
