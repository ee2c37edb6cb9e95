/** One settings field of a profile → the profile (the fields that hold one value). Never throws. */
import { t } from '../l10n';
import {
  checkImage,
  checkIpc,
  checkNetwork,
  checkUser,
  parseCpus,
  parseMount,
  parsePortSpec,
  parseRamSize,
  parseRestart,
  parseVolumeSpec,
} from './fields';
import { gpusValue } from './parseGpus';
import {
  bool,
  commandValue,
  describe,
  ENV_NAME,
  GPU_CAPABILITIES,
  list,
  record,
  shorten,
  str,
  stringList,
  take,
  vars,
  type Report,
} from './parseValues';
import { applyMoreSettingsField } from './settingsFieldLists';
import type { Profile } from './types';

/** Applies one settings field to `p`. */
export function applySettingsField(p: Profile, key: string, v: unknown, report: Report): void {
  switch (key) {
    case 'name':
    case 'description':
      return;
    case 'image': {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = checkImage(s);
      if (e) return report(key, e);
      p.image = s;
      return;
    }
    case 'containerName': {
      const s = str(key, v, report);
      if (s !== undefined) p.containerName = s;
      return;
    }
    case 'gpus':
      return gpusValue(v, report, p);
    case 'gpuCapabilities': {
      const l = stringList(key, v, report);
      if (!l) return;
      l.forEach((c, i) => {
        if (!GPU_CAPABILITIES.includes(c))
          report(
            `${key}[${i}]`,
            t('"{0}" is not a known GPU capability ({1}).', shorten(c), GPU_CAPABILITIES.join(', ')),
            'warning',
          );
      });
      p.gpuCapabilities = l;
      return;
    }
    case 'shmSize':
    case 'memory': {
      if (typeof v !== 'string' && typeof v !== 'number')
        return report(key, t('{0} must be a size such as "16g" or a number of bytes, not {1}.', key, describe(v)));
      const r = take(key, parseRamSize(v), report);
      if (r) p[key] = r;
      return;
    }
    case 'cpus': {
      if (typeof v !== 'string' && typeof v !== 'number')
        return report(key, t('cpus must be a number such as 4 or 1.5, not {0}.', describe(v)));
      const r = take(key, parseCpus(v), report);
      if (r) p.cpus = r;
      return;
    }
    case 'ipc':
    case 'network': {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = key === 'ipc' ? checkIpc(s) : checkNetwork(s);
      if (e) return report(key, e);
      p[key] = s;
      return;
    }
    case 'ports': {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        if (typeof x !== 'string' && typeof x !== 'number')
          return report(`ports[${i}]`, t('a port must be a string such as "8888:8888", not {0}.', describe(x)));
        const r = take(`ports[${i}]`, parsePortSpec(x), report);
        if (r) p.ports.push(r);
      });
      return;
    }
    case 'volumes': {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        const s = str(`volumes[${i}]`, x, report);
        if (s === undefined) return;
        const r = take(`volumes[${i}]`, parseVolumeSpec(s), report);
        if (r) p.volumes.push(r);
      });
      return;
    }
    case 'mounts': {
      const l = list(key, v, report, false);
      l?.forEach((x, i) => {
        const o = record(x);
        if (!o)
          return report(
            `mounts[${i}]`,
            t(
              'a mount must be an object such as {"type": "bind", "source": "/data", "target": "/data"}, not {0}.',
              describe(x),
            ),
          );
        for (const k of Object.keys(o)) {
          if (
            ![
              'type',
              'source',
              'target',
              'readOnly',
              'bindPropagation',
              'volumeNoCopy',
              'tmpfsSize',
              'tmpfsMode',
              'consistency',
            ].includes(k)
          ) {
            report(
              `mounts[${i}].${k}`,
              t(
                'unknown mount field "{0}"; known: type, source, target, readOnly, bindPropagation, volumeNoCopy, tmpfsSize, tmpfsMode, consistency.',
                shorten(k),
              ),
              'warning',
            );
          }
        }
        for (const k of ['source', 'target'])
          if (typeof o[k] === 'string') vars(`mounts[${i}].${k}`, o[k] as string, report);
        const r = take(`mounts[${i}]`, parseMount(o), report);
        if (r) p.mounts.push(r);
      });
      return;
    }
    case 'env': {
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (typeof x !== 'string' || x === '' || x.startsWith('='))
            return report(`env[${i}]`, t('an env entry must be "NAME=value" or "NAME", not {0}.', describe(x)));
          const eq = x.indexOf('=');
          const k = eq < 0 ? x : x.slice(0, eq);
          if (!ENV_NAME.test(k))
            return report(
              `env[${i}]`,
              t(
                '"{0}" is not an environment variable name; use letters, digits and "_", not starting with a digit.',
                shorten(k),
              ),
            );
          if (eq < 0) p.env[x] = null;
          else p.env[x.slice(0, eq)] = vars(`env[${i}]`, x.slice(eq + 1), report);
        });
        return;
      }
      const o = record(v);
      if (!o) return report(key, t('env must be an object of NAME: value pairs, not {0}.', describe(v)));
      for (const [k, x] of Object.entries(o)) {
        if (!ENV_NAME.test(k)) {
          report(
            `env.${shorten(k)}`,
            t(
              '"{0}" is not an environment variable name; use letters, digits and "_", not starting with a digit.',
              shorten(k),
            ),
          );
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
      return;
    }
    case 'envFile': {
      const l = stringList(key, v, report);
      if (l) p.envFile.push(...l);
      return;
    }
    case 'user':
    case 'execUser': {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = s.includes('${') ? undefined : checkUser(s);
      if (e) return report(key, e);
      p[key] = s;
      return;
    }
    case 'workdir': {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!s.startsWith('/') && !s.startsWith('${'))
        return report(
          key,
          t('workdir "{0}" must be an absolute path inside the container, e.g. /workspace.', shorten(s)),
        );
      p.workdir = s;
      return;
    }
    case 'entrypoint':
    case 'command': {
      if (key === 'entrypoint' && v === '') {
        p.entrypoint = [''];
        return;
      }
      const c = commandValue(key, v, report);
      if (c) p[key] = c;
      return;
    }
    case 'autoRemove':
    case 'privileged':
    case 'init': {
      const b = bool(key, v, report);
      if (b !== undefined) p[key] = b;
      return;
    }
    case 'restart': {
      const s = str(key, v, report);
      if (s === undefined) return;
      const r = take(key, parseRestart(s), report);
      if (r) p.restart = r;
      return;
    }
    default:
      return applyMoreSettingsField(p, key, v, report);
  }
}
