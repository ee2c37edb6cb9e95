import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Compiled to out/test/unit/gpu; fixtures stay in the source tree. */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'nvidia-smi');

export function fixture(rel: string): string {
  return readFileSync(path.join(ROOT, rel), 'utf8');
}
