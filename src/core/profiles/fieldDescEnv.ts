/** Field descriptors: the environment (env, envFile). */
import { t } from '../l10n';
import type { FieldDescriptor } from './fieldTypes';
import { strings } from './inspectJson';
import { readKvFiles } from './kvFiles';
import { describe, ENV_NAME, record, shorten, stringList, vars } from './parseValues';
import { P, pat, stringOrList } from './schemaParts';
import { nlsText } from './schemaNls';

const badEnvName = (k: string) =>
  t('"{0}" is not an environment variable name; use letters, digits and "_", not starting with a digit.', shorten(k));

export const ENV_FIELDS = {
  env: {
    schema: {
      anyOf: [
        { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
        {
          type: 'array',
          items: {
            type: 'string',
            ...pat(
              '^[A-Za-z_][A-Za-z0-9_.-]*(=|$)',
              'env',
              'Write NAME=value or NAME (letters, digits and "_", not starting with a digit).',
            ),
          },
        },
      ],
      examples: [{ HF_HOME: '/root/.cache/huggingface', HF_TOKEN: '${env:HF_TOKEN}' }],
      description: nlsText(
        P + 'env',
        'Environment variables: { "NAME": "value" }; null takes the value from your environment. Variables allowed.',
      ),
    },
    parse(p, v, report, key) {
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (typeof x !== 'string' || x === '' || x.startsWith('='))
            return report(`env[${i}]`, t('an env entry must be "NAME=value" or "NAME", not {0}.', describe(x)));
          const eq = x.indexOf('=');
          const k = eq < 0 ? x : x.slice(0, eq);
          if (!ENV_NAME.test(k)) return report(`env[${i}]`, badEnvName(k));
          if (eq < 0) p.env[x] = null;
          else p.env[x.slice(0, eq)] = vars(`env[${i}]`, x.slice(eq + 1), report);
        });
        return;
      }
      const o = record(v);
      if (!o) return report(key, t('env must be an object of NAME: value pairs, not {0}.', describe(v)));
      for (const [k, x] of Object.entries(o)) {
        if (!ENV_NAME.test(k)) {
          report(`env.${shorten(k)}`, badEnvName(k));
          continue;
        }
        if (x === null) p.env[k] = null;
        else if (typeof x === 'string') p.env[k] = vars(`env.${k}`, x, report);
        else if (typeof x === 'number' || typeof x === 'boolean') p.env[k] = String(x);
        else
          report(
            `env.${k}`,
            t('the value of {0} must be a string (or null to take it from your environment), not {1}.', k, describe(x)),
          );
      }
    },
    flags: [
      {
        long: 'env',
        short: 'e',
        apply: (p, v, r) => {
          const eq = v.indexOf('=');
          if (v === '' || eq === 0) return r(t('"{0}" is not NAME=value or NAME.', v));
          if (eq < 0) p.env[v] = null;
          else p.env[v.slice(0, eq)] = v.slice(eq + 1);
        },
      },
    ],
    // `null` takes the host value like `-e NAME`; the env files (envFile's hook) go first, as docker reads them.
    create(p, body, x) {
      const env = body.options.Env ?? [];
      for (const [k, v] of Object.entries(p.env)) {
        if (v === null) {
          const hv = x.ctx.env[k];
          env.push(hv === undefined ? k : `${k}=${hv}`);
        } else env.push(`${k}=${x.r(`env.${k}`, v)}`);
      }
      if (env.length) body.options.Env = env;
    },
    inspect(p, x) {
      const imageEnv = new Set(strings(x.img.Env));
      for (const e of strings(x.cfg.Env)) {
        if (imageEnv.has(e)) continue;
        const eq = e.indexOf('=');
        if (eq > 0) p.env[e.slice(0, eq)] = e.slice(eq + 1);
      }
    },
    run: (p, x) => Object.entries(p.env).flatMap(([k, v]) => ['-e', v === null ? k : `${k}=${x.r(v)}`]),
    compose(p, svc, x) {
      if (!Object.keys(p.env).length) return;
      const env: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(p.env)) env[k] = v === null ? null : x.compose(v);
      svc.environment = env;
    },
    settings: (p) => ({ ...p.env }),
  },
  envFile: {
    schema: {
      ...stringOrList,
      description: nlsText(
        P + 'envFile',
        'Env file(s) in docker --env-file syntax; relative paths start at the workspace folder.',
      ),
    },
    parse(p, v, report, key) {
      const l = stringList(key, v, report);
      if (l) p.envFile.push(...l);
    },
    flags: [{ long: 'env-file', apply: (p, v) => void p.envFile.push(v) }],
    // Env files before env, as the docker CLI reads them (a name in env wins). Inspect: their lines are in env.
    create(p, body, x) {
      const lines = readKvFiles('envFile', p.envFile, (n) => x.ctx.env[n], x);
      if (lines.length) body.options.Env = [...lines, ...(body.options.Env ?? [])];
    },
    run: (p, x) => p.envFile.flatMap((f) => ['--env-file', x.host(f)]),
    compose: (p, svc, x) => void (p.envFile.length && (svc.env_file = p.envFile.map(x.path))),
    settings: (p) => p.envFile,
  },
} satisfies Record<string, FieldDescriptor>;
