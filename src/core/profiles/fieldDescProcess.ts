/** Field descriptors: the process (user, workdir, entrypoint, command) and its lifetime (rm, restart). */
import { t } from '../l10n';
import { checkUser, parseRestart } from './fields';
import { boolValue, takeFlag, type FieldDescriptor, type FieldFlag } from './fieldTypes';
import { strings, type HostConfigJson } from './inspectJson';
import { bool, commandValue, shorten, str, take } from './parseValues';
import { ABSOLUTE, P, pat, stringOrList } from './schemaParts';
import { nlsText } from './schemaNls';
import type { Profile, RestartPolicy } from './profileTypes';

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

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
    create(p, body, x) {
      if (p.user) body.options.User = p.user === 'host' ? `${x.ctx.uid}:${x.ctx.gid}` : x.r('user', p.user);
    },
    inspect(p, x) {
      if (x.cfg.User && x.cfg.User !== (x.img.User ?? '')) p.user = x.cfg.User;
    },
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
    create(p, body, x) {
      if (p.workdir) body.options.WorkingDir = x.r('workdir', p.workdir);
    },
    inspect(p, x) {
      if (x.cfg.WorkingDir && x.cfg.WorkingDir !== (x.img.WorkingDir ?? '')) p.workdir = x.cfg.WorkingDir;
    },
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
    create(p, body, x) {
      if (p.entrypoint) body.options.Entrypoint = p.entrypoint.map((c) => x.r('entrypoint', c));
    },
    inspect(p, x) {
      const ep = strings(x.cfg.Entrypoint);
      if (!same(ep, strings(x.img.Entrypoint))) p.entrypoint = ep.length ? ep : [''];
    },
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
    create(p, body, x) {
      if (p.command) body.options.Cmd = p.command.map((c) => x.r('command', c));
    },
    // A changed entrypoint drops the image's command: then any command was given.
    inspect(p, x) {
      const cmd = strings(x.cfg.Cmd);
      const epChanged = !same(strings(x.cfg.Entrypoint), strings(x.img.Entrypoint));
      if (epChanged ? cmd.length > 0 : !same(cmd, strings(x.img.Cmd))) p.command = cmd;
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
    create: (p, body) => void (p.autoRemove && (body.hostConfig.AutoRemove = true)),
    inspect: (p, x) => void (p.autoRemove = x.hc.AutoRemove === true),
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
    // Like the docker CLI, always send a policy ("no" by default).
    create(p, body) {
      body.hostConfig.RestartPolicy = p.restart
        ? { Name: p.restart.name, MaximumRetryCount: p.restart.maximumRetryCount }
        : { Name: 'no', MaximumRetryCount: 0 };
    },
    inspect(p, x) {
      const rp: NonNullable<HostConfigJson['RestartPolicy']> = x.hc.RestartPolicy ?? {};
      // The engine only reports the policy names it accepts.
      const name = rp.Name as RestartPolicy['name'] | '' | undefined;
      if (name && name !== 'no') p.restart = { name, maximumRetryCount: Number(rp.MaximumRetryCount) || 0 };
    },
    run: (p) => (p.restart ? ['--restart', restartText(p.restart)] : []),
    compose: (p, svc) => void (p.restart && (svc.restart = restartText(p.restart))),
    settings: (p) => (p.restart && p.restart.name !== 'no' ? restartText(p.restart) : undefined),
  },
} satisfies Record<string, FieldDescriptor>;
