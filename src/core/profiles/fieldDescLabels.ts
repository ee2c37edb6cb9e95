/** Field descriptors: labels and label files. */
import {
  CREATED_BY_LABEL,
  GPU_REQUEST_LABEL,
  GPU_UUIDS_LABEL,
  IDLE_POLICY_LABEL,
  OWNER_LABEL,
  PROFILE_LABEL,
} from '../docker/labels';
import { t } from '../l10n';
import type { FieldDescriptor } from './fieldTypes';
import { readKvFiles } from './kvFiles';
import { describe, record, shorten, stringList, vars } from './parseValues';
import { P, stringOrList } from './schemaParts';
import { nlsText } from './schemaNls';

/** Labels the extension sets itself: never read back as the profile's. */
const OUR_LABELS = new Set([
  CREATED_BY_LABEL,
  OWNER_LABEL,
  PROFILE_LABEL,
  GPU_REQUEST_LABEL,
  GPU_UUIDS_LABEL,
  IDLE_POLICY_LABEL,
]);

export const LABEL_FIELDS = {
  labels: {
    schema: {
      anyOf: [
        { type: 'object', additionalProperties: { type: 'string' } },
        { type: 'array', items: { type: 'string' } },
      ],
      description: nlsText(P + 'labels', 'Extra container labels; the extension adds its own gpu-containers.* labels.'),
    },
    parse(p, v, report, key) {
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (typeof x !== 'string' || x === '')
            return report(`labels[${i}]`, t('a label must be "key=value", not {0}.', describe(x)));
          const eq = x.indexOf('=');
          p.labels[eq < 0 ? x : x.slice(0, eq)] = eq < 0 ? '' : vars(`labels[${i}]`, x.slice(eq + 1), report);
        });
        return;
      }
      const o = record(v);
      if (!o) return report(key, t('labels must be an object of key: value pairs, not {0}.', describe(v)));
      for (const [k, x] of Object.entries(o)) {
        if (k.trim() === '' || /[\s=]/.test(k)) {
          report(
            `labels.${shorten(k)}`,
            t('"{0}" is not a label key; use a name such as org.example.team.', shorten(k)),
          );
          continue;
        }
        if (typeof x === 'string') p.labels[k] = vars(`labels.${k}`, x, report);
        else if (typeof x === 'number' || typeof x === 'boolean') p.labels[k] = String(x);
        else report(`labels.${k}`, t('the label {0} must have a string value, not {1}.', k, describe(x)));
      }
    },
    flags: [
      {
        long: 'label',
        short: 'l',
        apply: (p, v) => {
          const eq = v.indexOf('=');
          p.labels[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? '' : v.slice(eq + 1);
        },
      },
    ],
    create(p, body, x) {
      const labels = body.options.Labels ?? {};
      for (const [k, v] of Object.entries(p.labels)) labels[k] = x.r(`labels.${k}`, v);
      body.options.Labels = labels;
    },
    // Ours, the image's and Compose's labels are left out; the idle policy's label is the `idle` field.
    inspect(p, x) {
      const imageLabels: Record<string, string> = x.img.Labels ?? {};
      for (const [k, v] of Object.entries(x.cfg.Labels ?? {}))
        if (!OUR_LABELS.has(k) && imageLabels[k] !== v && !k.startsWith('com.docker.compose.')) p.labels[k] = v;
    },
    run: (p, x) => Object.entries(p.labels).flatMap(([k, v]) => ['-l', `${k}=${x.r(v)}`]),
    compose(p, svc, x) {
      if (Object.keys(p.labels).length)
        svc.labels = Object.fromEntries(Object.entries(p.labels).map(([k, v]) => [k, x.compose(v)]));
    },
    settings: (p) => ({ ...p.labels }),
  },
  labelFile: {
    schema: {
      ...stringOrList,
      description: nlsText(
        P + 'labelFile',
        'Label file(s) in docker --label-file syntax (KEY=value lines), read at launch; relative paths start at the workspace folder. "labels" win over them.',
      ),
    },
    parse(p, v, report, key) {
      const l = stringList(key, v, report);
      if (l) p.labelFile.push(...l);
    },
    flags: [{ long: 'label-file', apply: (p, v) => void p.labelFile.push(v) }],
    // Label files under labels (labels win), as the docker CLI reads them; a bare KEY line is dropped.
    create(p, body, x) {
      const fromFiles: Record<string, string> = {};
      for (const l of readKvFiles('labelFile', p.labelFile, () => undefined, x)) {
        const eq = l.indexOf('=');
        fromFiles[l.slice(0, eq)] = l.slice(eq + 1);
      }
      body.options.Labels = { ...fromFiles, ...body.options.Labels };
    },
    run: (p, x) => p.labelFile.flatMap((f) => ['--label-file', x.host(f)]),
    compose: (p, svc, x) => void (p.labelFile.length && (svc.label_file = p.labelFile.map(x.path))),
    settings: (p) => p.labelFile,
  },
} satisfies Record<string, FieldDescriptor>;
