/**
 * The hosts setting as VS Code reports it per scope: only the user's own value is used (a workspace cannot add
 * an engine to talk to), and the problems as one line each.
 */
import { t } from '../l10n';
import { HOSTS_SETTING, parseHostsSetting, type HostsProblem, type HostsSetting } from './hostsSetting';

/** What `WorkspaceConfiguration.inspect` returns, the part we read. */
export interface InspectedSetting {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The hosts from the user's settings only. A value in workspace or folder settings is never used (trusted or not:
 * the setting's scope is `machine`), and is reported once so the user knows why their hosts did not appear.
 */
export function hostsFromInspect(
  inspected: InspectedSetting | undefined,
  platform: NodeJS.Platform = process.platform,
): HostsSetting {
  const parsed = parseHostsSetting(inspected?.globalValue, platform);
  const ignored = [inspected?.workspaceValue, inspected?.workspaceFolderValue].some(
    (v) => v !== undefined && !(Array.isArray(v) && v.length === 0),
  );
  if (ignored) {
    parsed.problems.push({
      field: HOSTS_SETTING,
      severity: 'warning',
      message: t('Hosts set in workspace settings are not used: a workspace cannot add Docker hosts.'),
      fix: t('Move the hosts to your user settings (Preferences: Open User Settings (JSON)).'),
    });
  }
  return parsed;
}

/** One line per problem, for the log and a notification: `field: message Fix (value)`. */
export function formatHostsProblem(p: HostsProblem): string {
  return p.value !== undefined
    ? t('{0} ({1}): {2} {3}', p.field, p.value, p.message, p.fix)
    : t('{0}: {1} {2}', p.field, p.message, p.fix);
}
