/** Building blocks of the profile schema: patterns with localized messages, mounts, ulimits. */
import { ULIMIT_NAMES } from './fields';
import { nlsText } from './schemaNls';

export const P = 'gpuContainers.profiles.';
/** A pattern with its localized message: the settings editor shows the message, not the regex. */
export function pat(pattern: string, key: string, english: string): { pattern: string; patternErrorMessage: string } {
  return { pattern, patternErrorMessage: nlsText(`${P}pattern.${key}`, english) };
}
export const ABSOLUTE = pat(
  '^(/|\\$\\{)',
  'absolute',
  'Write an absolute path such as /workspace (or a variable such as ${workspaceFolder}).',
);
export const sizePattern = () =>
  pat(SIZE, 'size', 'Write a size: a number with an optional unit b, k, m, g, t or p, e.g. "16g" or "512m".');
export const SIZE = '^\\s*[+]?(\\d+\\.?\\d*|\\.\\d+)\\s?([bBkKmMgGtTpP]([iI]?[bB])?)?$';
export const stringOrList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

export const mountSchema = {
  type: 'object',
  required: ['target'],
  additionalProperties: false,
  properties: {
    type: {
      type: 'string',
      enum: ['bind', 'volume', 'tmpfs'],
      default: 'bind',
      description: nlsText(P + 'mounts.type', 'bind: a host path; volume: a named volume; tmpfs: memory-backed.'),
    },
    source: {
      type: 'string',
      description: nlsText(P + 'mounts.source', 'Host path (bind) or volume name (volume). Variables and ~ allowed.'),
    },
    target: {
      type: 'string',
      ...ABSOLUTE,
      description: nlsText(P + 'mounts.target', 'Absolute path inside the container.'),
    },
    readOnly: { type: 'boolean', default: false, description: nlsText(P + 'mounts.readOnly', 'Mount read-only.') },
    bindPropagation: {
      type: 'string',
      enum: ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'],
      description: nlsText(P + 'mounts.bindPropagation', 'Bind propagation (bind mounts only).'),
    },
    volumeNoCopy: {
      type: 'boolean',
      description: nlsText(
        P + 'mounts.volumeNoCopy',
        'Do not copy the image content into a new volume (volume mounts only).',
      ),
    },
    tmpfsSize: {
      type: ['string', 'integer'],
      ...sizePattern(),
      examples: ['1g'],
      description: nlsText(P + 'mounts.tmpfsSize', 'Size of the tmpfs, e.g. "1g" (tmpfs only).'),
    },
    tmpfsMode: {
      type: ['string', 'integer'],
      examples: ['1777'],
      description: nlsText(P + 'mounts.tmpfsMode', 'Octal permission bits of the tmpfs, e.g. "1777" (tmpfs only).'),
    },
    consistency: {
      type: 'string',
      enum: ['default', 'consistent', 'cached', 'delegated'],
      description: nlsText(P + 'mounts.consistency', 'Mount consistency (Docker Desktop only).'),
    },
  },
};

const ULIMIT_TEXT = pat('^-?\\d+(:-?\\d+)?$', 'ulimit', 'Write soft[:hard] as whole numbers, -1 for unlimited.');
export const ULIMIT_VALUE = {
  anyOf: [
    { type: 'integer' },
    { type: 'string', ...ULIMIT_TEXT },
    {
      type: 'object',
      additionalProperties: false,
      required: ['soft'],
      properties: { soft: { type: 'integer' }, hard: { type: 'integer' } },
    },
  ],
};
export const ULIMITS = ULIMIT_NAMES;
