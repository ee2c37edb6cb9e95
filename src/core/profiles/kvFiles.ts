/** Env and label files (`--env-file`, `--label-file`) read for the create body, as the docker CLI reads them. */
import { t } from '../l10n';
import { parseEnvFile } from './fields';
import type { CreateExport } from './fieldTypes';
import { printable } from './parseValues';

/** The `KEY=value` lines of env or label files (the docker CLI's kvfile syntax); problems go to `x`. */
export function readKvFiles(
  field: 'envFile' | 'labelFile',
  files: string[],
  lookup: (n: string) => string | undefined,
  x: CreateExport,
): string[] {
  const lines: string[] = [];
  for (const f of files) {
    const file = x.host(field, f);
    const content = x.ctx.readFile?.(file);
    if (content === undefined) {
      x.problem(
        field,
        'error',
        field === 'envFile'
          ? t('the env file {0} could not be read; check the path.', file)
          : t('the label file {0} could not be read; check the path.', file),
      );
      continue;
    }
    // A binary file (a program, an archive) read as text: name it, never echo its bytes.
    if (/[\u0000\ufffd]/.test(content) || (content.match(/[\u0001-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0) > 2) {
      x.problem(
        field,
        'error',
        field === 'envFile'
          ? t(
              '{0} is not a text env file (it holds binary data); point envFile at a file of KEY=value lines.',
              printable(file),
            )
          : t(
              '{0} is not a text label file (it holds binary data); point labelFile at a file of KEY=value lines.',
              printable(file),
            ),
      );
      continue;
    }
    const parsed = parseEnvFile(content, lookup);
    if (parsed.error !== undefined) x.problem(field, 'error', `${printable(file)}: ${parsed.error}`);
    else lines.push(...parsed.value);
  }
  return lines;
}
