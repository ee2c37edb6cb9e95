/**
 * Settings (`gpuContainers.profiles`) → profiles + problems. Never throws.
 * An entry that is not an object or has no usable name is dropped; a bad optional field is reported and skipped.
 */
import { t } from '../l10n';
import { codePoint, describe, printable, shorten, suggestKey, UNPRINTABLE, type Report } from './parseValues';
import { applySettingsField, PROFILE_KEYS } from './fieldTable';
import { applyRunArgs } from './runArgs';
import type { ParseContext } from './fieldTypes';

const PARSE_CONTEXT: ParseContext = { applyRunArgs };
import { emptyProfile, type Problem, type Profile, type ProfileSource } from './profileTypes';

/** Cross-field checks shared by settings and import. */
export function checkProfile(p: Profile, report: Report): void {
  if (p.autoRemove && p.restart && p.restart.name !== 'no') {
    report(
      'restart',
      t(
        'autoRemove (--rm) and the restart policy "{0}" conflict; remove one of them (the restart policy was dropped).',
        p.restart.name,
      ),
    );
    delete p.restart;
  }
  if (p.gpus === 'none' && (p.gpuCapabilities?.length || p.gpuDriver)) {
    report(
      'gpuCapabilities',
      t('gpuCapabilities is set but gpus is not; set gpus (e.g. "all") or remove gpuCapabilities.'),
      'warning',
    );
  }
  if (p.network === 'host' && p.ports.length) {
    report(
      'ports',
      t('ports are ignored with network "host" (the container uses the host\'s ports directly); remove them.'),
      'warning',
    );
  }
  if (p.network === 'host' && p.hostname) {
    report('hostname', t('hostname cannot be set with network "host"; remove one of them (hostname was dropped).'));
    delete p.hostname;
  }
  const hostPorts = new Map<string, string>();
  p.ports.forEach((spec, i) => {
    for (const b of spec.bindings) {
      if (!b.hostPort || b.hostPort.includes('$')) continue;
      const key = `${b.hostIp || '0.0.0.0'}:${b.hostPort}/${b.containerPort.split('/')[1] ?? 'tcp'}`;
      const other = hostPorts.get(key);
      if (other !== undefined && other !== `ports[${i}]`)
        return report(
          `ports[${i}]`,
          t(
            'host port {0} is published twice (also by {1}); docker cannot bind it twice. Use another host port.',
            b.hostPort,
            other,
          ),
        );
      hostPorts.set(key, `ports[${i}]`);
    }
  });
  const targets = new Map<string, string>();
  const addTarget = (target: string, f: string) => {
    if (targets.has(target))
      report(
        f,
        t(
          '{0} is mounted twice (also by {1}); docker refuses duplicate mount points. Remove one.',
          target,
          targets.get(target) ?? '',
        ),
      );
    else targets.set(target, f);
  };
  p.volumes.forEach((v, i) => addTarget(v.target, `volumes[${i}]`));
  p.mounts.forEach((m, i) => addTarget(m.target, `mounts[${i}]`));
}

export interface ParseOptions {
  source?: ProfileSource;
}

/** Settings array → profiles and problems. Never throws. */
export function parseProfiles(raw: unknown, opts: ParseOptions = {}): { profiles: Profile[]; problems: Problem[] } {
  const profiles: Profile[] = [];
  const problems: Problem[] = [];
  try {
    if (raw === undefined || raw === null) return { profiles, problems };
    if (!Array.isArray(raw)) {
      problems.push({
        field: 'gpuContainers.profiles',
        severity: 'error',
        message: t('gpuContainers.profiles must be a list of profiles, not {0}.', describe(raw)),
      });
      return { profiles, problems };
    }
    const names = new Set<string>();
    raw.forEach((item, index) => {
      const where = t('profile #{0}', index + 1);
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        problems.push({
          field: `profiles[${index}]`,
          severity: 'error',
          message: t('{0} must be an object with at least a "name", not {1}; it was skipped.', where, describe(item)),
        });
        return;
      }
      const o = item as Record<string, unknown>;
      const name = typeof o.name === 'string' ? o.name.trim() : '';
      if (!name) {
        problems.push({
          field: `profiles[${index}].name`,
          severity: 'error',
          message: t('{0} has no name; add "name": "…" (it was skipped).', where),
        });
        return;
      }
      const hidden = [...new Set(name.match(UNPRINTABLE) ?? [])];
      if (hidden.length) {
        // A bidi override or an invisible character makes a name read as another one in the launch picker.
        problems.push({
          field: `profiles[${index}].name`,
          severity: 'error',
          message: t(
            'the name "{0}" of {1} holds {2}: control, bidi or invisible characters can make it read as another name. Remove them (the profile was skipped).',
            printable(name),
            where,
            hidden.map(codePoint).join(', '),
          ),
        });
        return;
      }
      if (names.has(name)) {
        problems.push({
          profile: name,
          field: 'name',
          severity: 'error',
          message: t('two profiles are named "{0}"; rename one (the later one was skipped).', name),
        });
        return;
      }
      names.add(name);
      const errors: Problem[] = [];
      const report: Report = (field, message, severity = 'error') => {
        const problem: Problem = { profile: name, field, message, severity };
        problems.push(problem);
        if (severity === 'error') errors.push(problem);
      };
      if (!/^[\x20-\x7e]*$/.test(name) && typeof o.containerName !== 'string')
        report(
          'name',
          t(
            'the profile name "{0}" has characters a container name cannot hold; add "containerName" (letters, digits, "_", "." and "-") or the container is named after the ASCII part only.',
            name,
          ),
          'warning',
        );
      const p = emptyProfile(name);
      if (opts.source) p.source = opts.source;
      for (const k of Object.keys(o)) {
        if (!(PROFILE_KEYS as readonly string[]).includes(k)) {
          const s = suggestKey(k, PROFILE_KEYS);
          const key = shorten(k);
          report(
            key,
            s
              ? t('unknown field "{0}"; did you mean "{1}"?', key, s)
              : t('unknown field "{0}"; it was ignored (remove it, or check its spelling).', key),
            'warning',
          );
        }
      }
      // Known fields in the table's order (gpus before gpuCapabilities; runArgs last: its flags refine the fields above).
      for (const k of PROFILE_KEYS) {
        const v = o[k];
        if (k === 'runArgs' || v === undefined) continue;
        if (k === 'gpuCapabilities' && typeof o.gpus === 'string' && /capabilities=/.test(o.gpus)) {
          report(k, 'capabilities are given both in gpus and gpuCapabilities; gpuCapabilities wins.', 'warning');
        }
        applySettingsField(p, k, v, report, PARSE_CONTEXT);
      }
      if (o.runArgs !== undefined) applySettingsField(p, 'runArgs', o.runArgs, report, PARSE_CONTEXT);
      checkProfile(p, report);
      // Error-level problems block the launch: a profile never runs with some of its fields dropped.
      if (errors.length) p.errors = errors;
      profiles.push(p);
    });
  } catch (e) {
    problems.push({
      severity: 'error',
      message: t('internal error while reading profiles: {0}', (e as Error).message),
    });
  }
  return { profiles, problems };
}
