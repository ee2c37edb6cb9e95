import fs from 'node:fs';

/** A file's text, or undefined when it cannot be read — the `readFile` the pure resolvers take. */
export function readTextFile(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether something (a file, a socket) exists at `path`; never throws. */
export function pathExists(path: string): boolean {
  try {
    return fs.existsSync(path);
  } catch {
    return false;
  }
}
