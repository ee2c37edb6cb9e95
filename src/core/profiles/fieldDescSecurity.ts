/** Field descriptors: privileges, host name and hosts, the long tail (extraFlags) and runArgs. */
import { t } from '../l10n';
import { composeExtra } from './composeExtra';
import { checkExtra, extraFlagArgs, extraFlagsSchema } from './extraFlags';
import { checkSecurityOpt, normalizeCaps, parseExtraHost } from './fields';
import { boolFlag, boolParse } from './fieldDescProcess';
import { takeFlag, type FieldDescriptor } from './fieldTypes';
import { describe, list, record, shorten, str, stringList, take } from './parseValues';
import { P, stringOrList } from './schemaParts';
import { nlsText } from './schemaNls';
import { shellSplit } from './shell';
import { extraFromInspect } from './fromContainerTail';
import { strings } from './inspectJson';
import { resolveSecurityOpt } from './seccompFile';
import type { Profile } from './profileTypes';

/** capAdd, capDrop, securityOpt: lists of checked words. */
function wordList(key: 'capAdd' | 'capDrop' | 'securityOpt', flag: string, schema: Record<string, unknown>) {
  return {
    schema,
    parse(p: Profile, v: unknown, report: Parameters<FieldDescriptor['parse']>[2]) {
      const l = stringList(key, v, report);
      if (!l) return;
      for (const [i, s] of l.entries()) {
        if (key === 'securityOpt') {
          const e = checkSecurityOpt(s);
          if (e) {
            report(`${key}[${i}]`, e);
            continue;
          }
        } else if (!/^(CAP_)?[A-Za-z_]+$/.test(s.trim())) {
          report(`${key}[${i}]`, t('"{0}" is not a capability name such as SYS_ADMIN or ALL.', shorten(s)));
          continue;
        }
        p[key].push(s);
      }
    },
    flags: [
      {
        long: flag,
        apply: (p: Profile, v: string, r: (m: string) => void) => {
          const e = key === 'securityOpt' ? checkSecurityOpt(v) : undefined;
          if (e) r(e);
          else p[key].push(v);
        },
      },
    ],
    create(p, body, x) {
      const hostKey = ({ capAdd: 'CapAdd', capDrop: 'CapDrop', securityOpt: 'SecurityOpt' } as const)[key];
      const v = key === 'securityOpt' ? resolveSecurityOpt(p, x.ctx, x.host, x.problems) : normalizeCaps(p[key]);
      if (v.length) body.hostConfig[hostKey] = v;
    },
    // privileged before securityOpt (PROFILE_KEYS): --privileged brings its own label=disable.
    inspect(p, x) {
      const hostKey = ({ capAdd: 'CapAdd', capDrop: 'CapDrop', securityOpt: 'SecurityOpt' } as const)[key];
      const v = strings(x.hc[hostKey]);
      p[key] = key === 'securityOpt' ? v.filter((s) => !(p.privileged && s.startsWith('label=disable'))) : v;
    },
    run: (p: Profile) => p[key].flatMap((c) => [`--${flag}`, c]),
    compose: (p: Profile, svc: Record<string, unknown>) =>
      void (p[key].length && (svc[flag.replace('-', '_')] = [...p[key]])),
    settings: (p: Profile) => p[key],
  } satisfies FieldDescriptor;
}

export const SECURITY_FIELDS = {
  privileged: {
    schema: {
      type: 'boolean',
      default: false,
      description: nlsText(P + 'privileged', 'Give the container all capabilities and devices (docker --privileged).'),
    },
    parse: boolParse,
    flags: [boolFlag('privileged', 'privileged')],
    create: (p, body) => void (p.privileged && (body.hostConfig.Privileged = true)),
    inspect: (p, x) => void (p.privileged = x.hc.Privileged === true),
    run: (p) => (p.privileged ? ['--privileged'] : []),
    compose: (p, svc) => void (p.privileged && (svc.privileged = true)),
    settings: (p) => p.privileged,
  },
  init: {
    schema: {
      type: 'boolean',
      description: nlsText(P + 'init', 'Run an init process that reaps zombies (docker --init).'),
    },
    parse: boolParse,
    flags: [boolFlag('init', 'init')],
    create: (p, body) => void (p.init !== undefined && (body.hostConfig.Init = p.init)),
    inspect: (p, x) => void (typeof x.hc.Init === 'boolean' && (p.init = x.hc.Init)),
    run: (p) => (p.init === undefined ? [] : [p.init ? '--init' : '--init=false']),
    compose: (p, svc) => void (p.init !== undefined && (svc.init = p.init)),
    settings: (p) => p.init,
  },
  capAdd: wordList('capAdd', 'cap-add', {
    type: 'array',
    items: { type: 'string', examples: ['SYS_ADMIN', 'SYS_PTRACE', 'IPC_LOCK'] },
    description: nlsText(P + 'capAdd', 'Linux capabilities to add, e.g. SYS_PTRACE.'),
  }),
  capDrop: wordList('capDrop', 'cap-drop', {
    type: 'array',
    items: { type: 'string' },
    description: nlsText(P + 'capDrop', 'Linux capabilities to drop.'),
  }),
  securityOpt: wordList('securityOpt', 'security-opt', {
    type: 'array',
    items: {
      type: 'string',
      examples: ['seccomp=unconfined', 'apparmor=unconfined', 'no-new-privileges', 'label=disable'],
    },
    description: nlsText(P + 'securityOpt', 'Security options (docker --security-opt).'),
  }),
  hostname: {
    schema: {
      type: 'string',
      description: nlsText(P + 'hostname', 'Container host name (not with network "host").'),
    },
    parse(p, v, report, key) {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(s) && !s.includes('${'))
        return report(key, t('hostname "{0}" may only hold letters, digits, dots and dashes.', shorten(s)));
      p.hostname = s;
    },
    flags: [{ long: 'hostname', short: 'h', apply: (p, v) => void (p.hostname = v) }],
    create: (p, body, x) => void (p.hostname && (body.options.Hostname = x.r('hostname', p.hostname))),
    // The engine's default is the short id; network (before hostname in PROFILE_KEYS) "host" gives the host's.
    inspect(p, x) {
      const id = String(x.c?.Id ?? '');
      if (x.cfg.Hostname && x.cfg.Hostname !== id.slice(0, 12) && p.network !== 'host') p.hostname = x.cfg.Hostname;
    },
    run: (p, x) => (p.hostname ? ['--hostname', x.r(p.hostname)] : []),
    compose: (p, svc, x) => void (p.hostname && (svc.hostname = x.compose(p.hostname))),
    settings: (p) => p.hostname,
  },
  extraHosts: {
    schema: {
      anyOf: [
        { type: 'array', items: { type: 'string', examples: ['host.docker.internal:host-gateway'] } },
        { type: 'object', additionalProperties: { type: 'string' } },
      ],
      description: nlsText(
        P + 'extraHosts',
        'Extra /etc/hosts entries: "name:ip" (or "name=ip"); ip may be host-gateway.',
      ),
    },
    parse(p, v, report, key) {
      if (!Array.isArray(v) && v && typeof v === 'object') {
        for (const [h, ip] of Object.entries(v as Record<string, unknown>)) {
          const r = take(`extraHosts.${h}`, parseExtraHost(`${h}:${String(ip)}`), report);
          if (r) p.extraHosts.push(r);
        }
        return;
      }
      const l = stringList(key, v, report);
      l?.forEach((s, i) => {
        const r = take(`extraHosts[${i}]`, parseExtraHost(s), report);
        if (r) p.extraHosts.push(r);
      });
    },
    flags: [
      {
        long: 'add-host',
        apply: (p, v, r) => {
          const h = takeFlag(parseExtraHost(v), r);
          if (h) p.extraHosts.push(h);
        },
      },
    ],
    create: (p, body) => void (p.extraHosts.length && (body.hostConfig.ExtraHosts = [...p.extraHosts])),
    inspect: (p, x) => void (p.extraHosts = strings(x.hc.ExtraHosts).map((h) => h.replace('=', ':'))),
    run: (p) => p.extraHosts.flatMap((h) => ['--add-host', h]),
    compose: (p, svc) => void (p.extraHosts.length && (svc.extra_hosts = [...p.extraHosts])),
    settings: (p) => p.extraHosts,
  },
  extraFlags: {
    schema: {
      ...extraFlagsSchema(),
      description: nlsText(
        P + 'extraFlags',
        'Any other docker create flag by its name, e.g. { "pids-limit": 100, "read-only": true, "sysctl": ["net.core.somaxconn=1024"], "tmpfs": ["/run:size=64m"] }.',
      ),
    },
    parse(p, v, report, key) {
      const o = record(v);
      if (!o)
        return report(
          key,
          t('extraFlags must be an object of docker flags such as {"pids-limit": 100}, not {0}.', describe(v)),
        );
      for (const [flag, x] of Object.entries(o)) {
        const r = checkExtra(flag, x);
        if ('error' in r) report(`extraFlags.${shorten(flag)}`, r.error);
        else (p.extra ??= {})[flag] = r.value;
      }
    },
    // Create: createOptions.ts applies the table (applyExtraFlags) over the finished body, after every field.
    inspect(p, x) {
      const extra = extraFromInspect(x.c, x.image, x.engine);
      if (Object.keys(extra).length) p.extra = extra;
    },
    // Import: runArgs.ts maps every long-tail flag of extraFlags.ts into `extra`.
    run: (p, x) => extraFlagArgs(p.extra).map((a) => x.r(a)),
    // What Compose can express (composeExtra.ts); compose.ts notes the rest.
    compose: (p, svc) => void composeExtra(p.extra, svc),
    settings: (p) => p.extra,
  },
  runArgs: {
    schema: {
      ...stringOrList,
      examples: [['--cap-add', 'SYS_PTRACE', '--ulimit', 'nofile=65536']],
      description: nlsText(
        P + 'runArgs',
        'Extra docker run flags, applied after the fields above. An unsupported flag is reported, not dropped silently.',
      ),
    },
    parse(p, v, report, key, { applyRunArgs }) {
      const l = list(key, v, report, true);
      if (!l) return;
      let args: string[] = [];
      if (typeof v === 'string') {
        const r = shellSplit(v);
        if (r.error)
          // The value is not echoed: runArgs may carry `-e TOKEN=…`.
          return report(key, t('runArgs could not be split: {0}. Write it as a list of strings.', r.error));
        args = r.args;
      } else {
        for (const [i, x] of l.entries()) {
          if (typeof x !== 'string')
            return report(`runArgs[${i}]`, t('runArgs must hold strings, not {0}.', describe(x)));
          args.push(x);
        }
      }
      const rest = applyRunArgs(p, args, (flag, message, severity) => report(`runArgs (${flag})`, message, severity), {
        positional: false,
      });
      if (rest.length)
        report(
          key,
          t(
            'runArgs holds docker run flags only; "{0}" is not a flag. Put the image in "image" and the command in "command".',
            shorten(rest.join(' ')),
          ),
        );
    },
  },
} satisfies Record<string, FieldDescriptor>;
