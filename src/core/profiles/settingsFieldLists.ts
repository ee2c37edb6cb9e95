/** Settings fields of a profile that hold lists and maps (labels, ulimits, devices, runArgs, extraFlags…). */
import { t } from '../l10n';
import { checkExtra } from './extraFlags';
import { checkSecurityOpt, parseDevice, parseExtraHost, parseUlimit, ulimitFrom } from './fields';
import { describe, list, record, shorten, str, stringList, take, vars, type Report } from './parseValues';
import { applyRunArgs } from './runArgs';
import { shellSplit } from './shell';
import type { Profile } from './types';

export function applyMoreSettingsField(p: Profile, key: string, v: unknown, report: Report): void {
  switch (key) {
    case 'labels': {
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
      return;
    }
    case 'ulimits': {
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (typeof x !== 'string')
            return report(`ulimits[${i}]`, t('a ulimit must be "name=soft[:hard]", not {0}.', describe(x)));
          const r = take(`ulimits[${i}]`, parseUlimit(x), report);
          if (r) upsertUlimit(p, r);
        });
        return;
      }
      const o = record(v);
      if (!o)
        return report(
          key,
          t(
            'ulimits must be an object such as {"memlock": -1, "nofile": {"soft": 1024, "hard": 65536}}, not {0}.',
            describe(v),
          ),
        );
      for (const [k, x] of Object.entries(o)) {
        const r = take(
          `ulimits.${k}`,
          ulimitFrom(k, x as string | number | { soft?: unknown; hard?: unknown }),
          report,
        );
        if (r) upsertUlimit(p, r);
      }
      return;
    }
    case 'capAdd':
    case 'capDrop':
    case 'securityOpt': {
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
      return;
    }
    case 'devices': {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        const f = `devices[${i}]`;
        if (typeof x === 'string') {
          vars(f, x, report);
          const r = take(f, parseDevice(x), report);
          if (r) p.devices.push(r);
          return;
        }
        const o = record(x);
        if (!o || typeof o.pathOnHost !== 'string')
          return report(
            f,
            t('a device must be "/dev/x[:/dev/y][:rwm]" or {"pathOnHost": "/dev/x"}, not {0}.', describe(x)),
          );
        const text = [
          o.pathOnHost,
          typeof o.pathInContainer === 'string' ? o.pathInContainer : o.pathOnHost,
          typeof o.cgroupPermissions === 'string' ? o.cgroupPermissions : 'rwm',
        ].join(':');
        const r = take(f, parseDevice(text), report);
        if (r) p.devices.push(r);
      });
      return;
    }
    case 'hostname': {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(s) && !s.includes('${'))
        return report(key, t('hostname "{0}" may only hold letters, digits, dots and dashes.', shorten(s)));
      p.hostname = s;
      return;
    }
    case 'extraHosts': {
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
      return;
    }
    case 'runtime': {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(s))
        return report(key, t('runtime "{0}" is not a runtime name such as nvidia or runc.', shorten(s)));
      p.runtime = s;
      return;
    }
    case 'extraFlags': {
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
      return;
    }
    case 'runArgs': {
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
      return;
    }
  }
}

export function upsertUlimit(p: Profile, u: { name: string; soft: number; hard: number }): void {
  const i = p.ulimits.findIndex((x) => x.name === u.name);
  if (i >= 0) p.ulimits[i] = u;
  else p.ulimits.push(u);
}
