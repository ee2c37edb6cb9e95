/**
 * The JSON schema of one launch profile (an item of `gpuContainers.profiles`), with `%key%` placeholders:
 * each property is its field descriptor's fragment (fieldTable.ts).
 */
import { FIELDS, type ProfileKey } from './fieldTable';
import { P } from './schemaParts';
import { nlsText } from './schemaNls';

/** The profile skeleton settings.json completion offers (`${1:…}` are snippet tab stops; `\\$` a literal `$`). */
export const profileSnippet = {
  label: nlsText(P + 'snippet.training', 'GPU training box'),
  body: {
    name: '${1:train}',
    image: '${2:nvcr.io/nvidia/pytorch:24.05-py3}',
    gpus: 'all',
    shmSize: '16g',
    ipc: 'host',
    volumes: ['\\${workspaceFolder}:/workspace', '~/.cache/huggingface:/root/.cache/huggingface'],
    workdir: '/workspace',
  },
};

export const profileSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  defaultSnippets: [profileSnippet],
  properties: Object.fromEntries(FIELDS.map((f) => [f.key, f.schema])) as Record<ProfileKey, Record<string, unknown>>,
};
