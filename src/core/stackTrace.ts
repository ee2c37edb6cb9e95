/** Where a generated position came from (0-based line and column, as Node's SourceMap.findEntry answers). */
export interface OriginalPosition {
  originalSource?: string;
  originalLine?: number;
  originalColumn?: number;
}

const FRAME = /(\(|\bat )((?:[A-Za-z]:)?[^\s()]+?\.js):(\d+):(\d+)/g;

/**
 * A stack trace with positions in bundled `.js` files replaced by their sources (`src/commands/pullFlow.ts:42:7`),
 * where `lookup` knows the file's source map. Frames it cannot map are kept as they are.
 */
export function mapStack(
  stack: string,
  lookup: (file: string, line: number, column: number) => OriginalPosition | undefined,
): string {
  return stack.replace(FRAME, (m, pre: string, file: string, line: string, col: string) => {
    const pos = lookup(file, Number(line) - 1, Number(col) - 1);
    if (!pos?.originalSource || pos.originalLine === undefined) return m;
    const source = pos.originalSource.replace(/^(?:webpack:\/\/|file:\/\/)?(?:.*?\/)?(?=src\/)/, '');
    return `${pre}${source}:${pos.originalLine + 1}:${(pos.originalColumn ?? 0) + 1}`;
  });
}
