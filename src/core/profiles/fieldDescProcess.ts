/** Field descriptors: the process (env, user, workdir, entrypoint, command) and its lifetime (rm, restart). */
import { t } from '../l10n';
import { checkUser, parseRestart } from './fields';
import { boolValue, takeFlag, type FieldDescriptor, type FieldFlag } from './fieldTypes';
import { bool, commandValue, describe, ENV_NAME, record, shorten, str, stringList, take, vars } from './parseValues';
import { ABSOLUTE, P, pat, stringOrList } from './schemaParts';
import { nlsText } from './schemaNls';
import type { Profile, RestartPolicy } from './profileTypes';

/** A boolean field (`--rm`, `--privileged`, `--init`). */
export function boolFlag(long: string, key: 'autoRemove' | 'privileged' | 'init'): FieldFlag {
  return {
    long,
    bool: true,
    apply: (p, v, report) => {
      const b = boolValue(v);
      if (b === undefined) report(t('"{0}" is not true or false.', v));
      else p[key] = b;
    },
  };
}

export function boolParse(p: Profile, v: unknown, report: Parameters<FieldDescriptor['parse']>[2], key: string): void {
  const b = bool(key, v, report);
  if (b !== undefined) p[key as 'autoRemove' | 'privileged' | 'init'] = b;
}

const restartText = (r: RestartPolicy) =>
  r.name === 'on-failure' && r.maximumRetryCount > 0 ? `on-failure:${r.maximumRetryCount}` : r.name;

const badEnvName = (k: string) =>
  t('"{0}" is not an environment variable name; use letters, digits and "_", not starting with a digit.', shorten(k));

function userField(key: 'user' | 'execUser', schema: Record<string, unknown>): FieldDescriptor {
  return {
    schema,
    parse(p, v, report) {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = s.includes('${') ? undefined : checkUser(s);
      if (e) return report(key, e);
      p[key] = s;
    },
    settings: (p) => p[key],
  };
}

const user = userField('user', {
  type: 'string',
  examples: ['host', '1000:1000', 'root'],
  description: nlsText(
    P + 'user',
    'User inside the container: "host" (your uid:gid, so files you create stay yours), "uid:gid" or a name.',
  ),
});

export const PROCESS_FIELDS = {
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
    run: (p, x) => p.envFile.flatMap((f) => ['--env-file', x.host(f)]),
    compose: (p, svc, x) => void (p.envFile.length && (svc.env_file = p.envFile.map(x.path))),
    settings: (p) => p.envFile,
  },
  user: {
    ...user,
    flags: [
      {
        long: 'user',
        short: 'u',
        apply: (p, v, r) => {
          if (/^\$\(id -u\):\$\(id -g\)$/.test(v) || /^\$\{env:UID\}:\$\{env:GID\}$/.test(v)) {
            p.user = 'host';
            return;
          }
          const e = checkUser(v);
          if (e) r(e);
          else p.user = v;
        },
      },
    ],
    run(p, x) {
      if (!p.user) return [];
      if (p.user !== 'host') return ['-u', x.r(p.user)];
      return ['-u', x.ctx ? `${x.ctx.uid}:${x.ctx.gid}` : x.portable ? x.portable('host-user') : p.user];
    },
    compose(p, svc, x) {
      if (!p.user) return;
      svc.user =
        p.user === 'host' ? (x.ctx ? `${x.ctx.uid}:${x.ctx.gid}` : '${UID:-1000}:${GID:-1000}') : x.compose(p.user);
    },
  },
  execUser: userField('execUser', {
    type: 'string',
    examples: ['host', 'root'],
    description: nlsText(P + 'execUser', 'User for terminals opened with docker exec; defaults to "user".'),
  }),
  workdir: {
    schema: {
      type: 'string',
      ...ABSOLUTE,
      examples: ['/workspace'],
      description: nlsText(P + 'workdir', 'Working directory inside the container (absolute).'),
    },
    parse(p, v, report, key) {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!s.startsWith('/') && !s.startsWith('${'))
        return report(
          key,
          t('workdir "{0}" must be an absolute path inside the container, e.g. /workspace.', shorten(s)),
        );
      p.workdir = s;
    },
    flags: [
      {
        long: 'workdir',
        short: 'w',
        apply: (p, v, r) => {
          if (!v.startsWith('/') && !v.startsWith('${'))
            return r(t('the working directory "{0}" must be an absolute path.', v));
          p.workdir = v;
        },
      },
    ],
    run: (p, x) => (p.workdir ? ['-w', x.r(p.workdir)] : []),
    compose: (p, svc, x) => void (p.workdir && (svc.working_dir = x.compose(p.workdir))),
    settings: (p) => p.workdir,
  },
  entrypoint: {
    schema: {
      ...stringOrList,
      description: nlsText(
        P + 'entrypoint',
        'Overrides the image entrypoint; a string is split like a shell would (nothing expanded); "" resets it.',
      ),
    },
    parse(p, v, report, key) {
      if (v === '') {
        p.entrypoint = [''];
        return;
      }
      const c = commandValue(key, v, report);
      if (c) p.entrypoint = c;
    },
    flags: [{ long: 'entrypoint', apply: (p, v) => void (p.entrypoint = [v]) }],
    run(p, x) {
      if (!p.entrypoint) return [];
      const [first, ...rest] = p.entrypoint.map(x.r);
      x.tail.unshift(...rest);
      return ['--entrypoint', first ?? ''];
    },
    compose: (p, svc, x) => void (p.entrypoint && (svc.entrypoint = p.entrypoint.map(x.compose))),
    settings: (p) => (p.entrypoint ? [...p.entrypoint] : undefined),
  },
  command: {
    schema: {
      ...stringOrList,
      examples: [['sleep', 'infinity'], 'bash -l'],
      description: nlsText(
        P + 'command',
        'Command after the image; a string is split like a shell would (nothing expanded).',
      ),
    },
    parse(p, v, report, key) {
      const c = commandValue(key, v, report);
      if (c) p.command = c;
    },
    run(p, x) {
      if (p.command) x.tail.push(...p.command.map(x.r));
      return [];
    },
    compose: (p, svc, x) => void (p.command && (svc.command = p.command.map(x.compose))),
    settings: (p) => (p.command ? [...p.command] : undefined),
  },
  autoRemove: {
    schema: {
      type: 'boolean',
      default: false,
      description: nlsText(P + 'autoRemove', 'Remove the container when it stops (docker --rm).'),
    },
    parse: boolParse,
    flags: [boolFlag('rm', 'autoRemove')],
    run: (p) => (p.autoRemove ? ['--rm'] : []),
    // Compose has no equivalent: compose.ts writes a comment instead.
    settings: (p) => p.autoRemove,
  },
  restart: {
    schema: {
      type: 'string',
      ...pat(
        '^(no|always|unless-stopped|on-failure(:\\d+)?)$',
        'restart',
        'Use no, always, unless-stopped or on-failure[:max-retries].',
      ),
      examples: ['no', 'unless-stopped', 'on-failure:3'],
      description: nlsText(P + 'restart', 'Restart policy: no, always, unless-stopped or on-failure[:max-retries].'),
    },
    parse(p, v, report, key) {
      const s = str(key, v, report);
      if (s === undefined) return;
      const r = take(key, parseRestart(s), report);
      if (r) p.restart = r;
    },
    flags: [
      {
        long: 'restart',
        apply: (p, v, r) => {
          const s = takeFlag(parseRestart(v), r);
          if (s) p.restart = s;
        },
      },
    ],
    run: (p) => (p.restart ? ['--restart', restartText(p.restart)] : []),
    compose: (p, svc) => void (p.restart && (svc.restart = restartText(p.restart))),
    settings: (p) => (p.restart && p.restart.name !== 'no' ? restartText(p.restart) : undefined),
  },
} satisfies Record<string, FieldDescriptor>;
